/* Tests for search.c: the data folders, user folders first and the base
 * last. A file is taken from the first folder that holds it; a path inside
 * one folder is looked up again from the first (how xsl:import and
 * document() reach a user folder); anything else is left as it is. */
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

typedef struct fx { char root[64]; char user[96], base[96]; rg_search s; } fx;

static void touch(const char *dir, const char *rel)
{
    char p[512], cmd[1200];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s')\" && : > '%s'", p, p);
    assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    snprintf(f->root, sizeof f->root, "/tmp/rg-search.XXXXXX");
    if (!f || !mkdtemp(f->root))
        return -1;
    snprintf(f->user, sizeof f->user, "%s/user", f->root);
    snprintf(f->base, sizeof f->base, "%s/base", f->root);
    touch(f->base, "templates/common/states.xml");
    touch(f->base, "templates/common/rules.xsl");
    touch(f->base, "templates/themes/neutral.xml");
    touch(f->user, "templates/common/states.xml");
    touch(f->user, "templates/memo/layout.xsl");
    f->s.dir[0] = f->user;
    f->s.dir[1] = f->base;
    f->s.n = 2;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->root);
    int rc = system(cmd);
    free(f);
    return rc == 0 ? 0 : -1;
}

static void test_first_folder_wins(void **state)
{
    fx *f = *state;
    char out[512], want[512];
    assert_int_equal(rg_search_find(&f->s, "templates/common/states.xml", 0, out, sizeof out), 0);
    snprintf(want, sizeof want, "%s/templates/common/states.xml", f->user);
    assert_string_equal(out, want);
    assert_int_equal(rg_search_find(&f->s, "templates/themes/neutral.xml", 0, out, sizeof out), 0);
    snprintf(want, sizeof want, "%s/templates/themes/neutral.xml", f->base);
    assert_string_equal(out, want);
    assert_int_equal(rg_search_find(&f->s, "templates/memo", 1, out, sizeof out), 0);
    snprintf(want, sizeof want, "%s/templates/memo", f->user);
    assert_string_equal(out, want);
    /* a folder is not a file, nor a file a folder */
    assert_int_equal(rg_search_find(&f->s, "templates/memo", 0, out, sizeof out), -1);
    assert_int_equal(rg_search_find(&f->s, "templates/memo/layout.xsl", 1, out, sizeof out), -1);
}

static void test_missing_names_the_base(void **state)
{
    fx *f = *state;
    char out[512], want[512];
    assert_int_equal(rg_search_find(&f->s, "templates/themes/nosuch.xml", 0, out, sizeof out), -1);
    snprintf(want, sizeof want, "%s/templates/themes/nosuch.xml", f->base);
    assert_string_equal(out, want);
}

static void test_relative(void **state)
{
    fx *f = *state;
    char p[512];
    snprintf(p, sizeof p, "%s/templates/common/rules.xsl", f->user);
    assert_string_equal(rg_search_relative(&f->s, p), "templates/common/rules.xsl");
    snprintf(p, sizeof p, "%s/templates/x.xsl", f->base);
    assert_string_equal(rg_search_relative(&f->s, p), "templates/x.xsl");
    snprintf(p, sizeof p, "%sx/templates/x.xsl", f->base); /* a sibling whose name starts alike */
    assert_null(rg_search_relative(&f->s, p));
    assert_null(rg_search_relative(&f->s, "/elsewhere/templates/x.xsl"));
}

static void test_resolve(void **state)
{
    fx *f = *state;
    char p[512], out[512], want[512];
    /* the base's states.xml, as a base template would name it: the user's */
    snprintf(p, sizeof p, "%s/templates/common/states.xml", f->base);
    assert_int_equal(rg_search_resolve(&f->s, p, out, sizeof out), 0);
    snprintf(want, sizeof want, "%s/templates/common/states.xml", f->user);
    assert_string_equal(out, want);
    /* the user's rules.xsl, as a user template would name it: the base's */
    snprintf(p, sizeof p, "%s/templates/common/rules.xsl", f->user);
    assert_int_equal(rg_search_resolve(&f->s, p, out, sizeof out), 0);
    snprintf(want, sizeof want, "%s/templates/common/rules.xsl", f->base);
    assert_string_equal(out, want);
    /* in no folder, or held by none: as it is */
    assert_int_equal(rg_search_resolve(&f->s, "/elsewhere/a.xml", out, sizeof out), 0);
    assert_string_equal(out, "/elsewhere/a.xml");
    snprintf(p, sizeof p, "%s/templates/common/gone.xml", f->user);
    assert_int_equal(rg_search_resolve(&f->s, p, out, sizeof out), 0);
    assert_string_equal(out, p);
    assert_int_equal(rg_search_resolve(&f->s, p, out, 8), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_first_folder_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_names_the_base, setup, teardown),
        cmocka_unit_test_setup_teardown(test_relative, setup, teardown),
        cmocka_unit_test_setup_teardown(test_resolve, setup, teardown),
    };
    return cmocka_run_group_tests_name("search", tests, NULL, NULL);
}
