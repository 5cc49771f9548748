/* Tests for file.c: opening without blocking, remembering what was read,
 * and confining the files a document names to its roots. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rg.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/rg-test-file.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char p[128];
    snprintf(p, sizeof p, "%s/docs", dir);
    mkdir(p, 0777);
    snprintf(p, sizeof p, "%s/other", dir);
    mkdir(p, 0777);
    snprintf(p, sizeof p, "%s/docs/a.png", dir);
    FILE *f = fopen(p, "w");
    if (!f)
        return -1;
    fputs("x", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/other/b.png", dir);
    if (!(f = fopen(p, "w")))
        return -1;
    fputs("y", f);
    fclose(f);
    char t[128];
    snprintf(t, sizeof t, "%s/docs/link.png", dir);
    symlink("../other/b.png", t);
    snprintf(p, sizeof p, "%s/docs/fifo", dir);
    return mkfifo(p, 0600);
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_fifo_is_refused_without_blocking(void **state)
{
    (void)state;
    char p[128], why[128];
    struct stat st;
    snprintf(p, sizeof p, "%s/docs/fifo", dir);
    assert_int_equal(rg_file_open(p, &st, why, sizeof why), -2);
    assert_string_equal(why, "not a regular file");
    snprintf(p, sizeof p, "%s/docs/none", dir);
    assert_int_equal(rg_file_open(p, &st, why, sizeof why), -1);
}

static void test_files_read_are_remembered(void **state)
{
    (void)state;
    rg_inputs in = {0};
    char p[128], why[128];
    struct stat st, st2;
    snprintf(p, sizeof p, "%s/docs/a.png", dir);
    rg_inputs_track(&in);
    int fd = rg_file_open(p, &st, why, sizeof why);
    rg_inputs_track(NULL);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(stat(p, &st2), 0);
    assert_non_null(rg_inputs_find(&in, &st2));
    snprintf(p, sizeof p, "%s/other/b.png", dir);
    assert_int_equal(stat(p, &st2), 0);
    assert_null(rg_inputs_find(&in, &st2));
    rg_inputs_free(&in);
}

/* A file read and then replaced by rename (as editors save) no longer
 * counts: its inode is free for a new file, an output even. */
static void test_replaced_file_is_forgotten(void **state)
{
    (void)state;
    rg_inputs in = {0};
    char p[128], q[128], why[128];
    struct stat st, st2;
    snprintf(p, sizeof p, "%s/docs/data.xml", dir);
    snprintf(q, sizeof q, "%s/docs/.data.xml.new", dir);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fclose(f);
    rg_inputs_track(&in);
    int fd = rg_file_open(p, &st, why, sizeof why);
    rg_inputs_track(NULL);
    assert_true(fd >= 0);
    close(fd);
    assert_non_null(rg_inputs_find(&in, &st));
    assert_non_null(f = fopen(q, "w"));
    fclose(f);
    assert_int_equal(rename(q, p), 0);
    /* st is what a new file given the old inode would show */
    assert_null(rg_inputs_find(&in, &st));
    assert_int_equal(stat(p, &st2), 0);
    assert_null(rg_inputs_find(&in, &st2)); /* the new one was never read */
    unlink(p);
    rg_inputs_free(&in);
}

/* Is path confined to docs/ (and the templates folder "tmpl", absent)? */
static int confined(const char *rel)
{
    rg_inputs in = {0};
    char root[128], tmpl[128], p[4200], why[256];
    snprintf(root, sizeof root, "%s/docs", dir);
    snprintf(tmpl, sizeof tmpl, "%s/tmpl", dir);
    if (rel[0] == '/')
        snprintf(p, sizeof p, "%s", rel);
    else
        snprintf(p, sizeof p, "%s/docs/%s", dir, rel);
    assert_int_equal(rg_inputs_set_roots(&in, root, tmpl), 0);
    rg_inputs_track(&in);
    int rc = rg_file_confined(p, why, sizeof why);
    rg_inputs_track(NULL);
    rg_inputs_free(&in);
    return rc;
}

static void test_confinement(void **state)
{
    (void)state;
    assert_int_equal(confined("a.png"), 0);
    assert_int_equal(confined("./x/../a.png"), 0);
    assert_int_equal(confined("missing.png"), 0); /* inside: "cannot open" is no secret */
    assert_int_equal(confined("../other/b.png"), -1);
    assert_int_equal(confined("../other/missing.png"), -1); /* the same answer */
    assert_int_equal(confined("link.png"), -1);             /* by link */
    assert_int_equal(confined("/etc/passwd"), -1);
    assert_int_equal(confined("../docs2/a.png"), -1);       /* a prefix is not a folder */
    char tmpl[160];
    snprintf(tmpl, sizeof tmpl, "%s/tmpl/logo.png", dir);
    assert_int_equal(confined(tmpl), 0);
    char *lng = malloc(5000);
    memset(lng, 'a', 4999);
    lng[4999] = 0;
    assert_int_equal(confined(lng), -1); /* too long: refused, never cut */
    free(lng);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fifo_is_refused_without_blocking),
        cmocka_unit_test(test_files_read_are_remembered),
        cmocka_unit_test(test_replaced_file_is_forgotten),
        cmocka_unit_test(test_confinement),
    };
    return cmocka_run_group_tests_name("file", tests, setup, teardown);
}
