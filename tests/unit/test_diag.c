/* Tests for diag.c: the diagnostics list, its counts, blocking rules, the
 * "file:line:col: severity: message" form and the out-of-memory path. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rg.h"

static int reset_faults(void **state)
{
    (void)state;
    rg_fail_after(0);
    return 0;
}

static void fmt(const rg_diag *dg, char *buf, size_t n)
{
    assert_non_null(dg);
    rg_diag_format(dg, buf, n);
}

/* ---- list and counts ---------------------------------------------------- */

static void test_empty_list(void **state)
{
    (void)state;
    rg_diags *d = rg_diags_new();
    assert_non_null(d);
    assert_int_equal(rg_diags_count(d), 0);
    assert_int_equal(rg_diags_errors(d), 0);
    assert_null(rg_diags_get(d, 0));
    assert_int_equal(rg_diags_blocking(d, 0), 0);
    assert_int_equal(rg_diags_blocking(d, 1), 0);
    rg_diags_free(d);
    rg_diags_free(NULL);
}

static void test_add_and_get(void **state)
{
    (void)state;
    rg_diags *d = rg_diags_new();
    assert_non_null(d);
    char file[] = "data/card.xml";
    assert_int_equal(rg_diag_add(d, RG_SEV_ERROR, file, 14, 13, "issue %d: score %s exceeds %s", 3, "16", "15"), 0);
    file[0] = 'X'; /* the list keeps its own copy */
    assert_int_equal(rg_diags_count(d), 1);
    const rg_diag *g = rg_diags_get(d, 0);
    assert_non_null(g);
    assert_string_equal(g->file, "data/card.xml");
    assert_int_equal(g->line, 14);
    assert_int_equal(g->col, 13);
    assert_int_equal(g->severity, RG_SEV_ERROR);
    assert_string_equal(g->message, "issue 3: score 16 exceeds 15");
    assert_null(rg_diags_get(d, 1));

    /* A NULL file is stored as "". */
    assert_int_equal(rg_diag_add(d, RG_SEV_NOTE, NULL, 0, 0, "plain"), 0);
    g = rg_diags_get(d, 1);
    assert_non_null(g);
    assert_non_null(g->file);
    assert_string_equal(g->file, "");
    assert_int_equal(g->severity, RG_SEV_NOTE);
    assert_string_equal(g->message, "plain");
    /* A '%' in an argument is not a format. */
    assert_int_equal(rg_diag_add(d, RG_SEV_WARNING, "f", 1, 1, "%s", "100%s %d"), 0);
    assert_string_equal(rg_diags_get(d, 2)->message, "100%s %d");
    assert_int_equal(rg_diags_count(d), 3);
    rg_diags_free(d);
}

static void test_many_entries_keep_order(void **state)
{
    (void)state;
    rg_diags *d = rg_diags_new();
    assert_non_null(d);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(rg_diag_add(d, i % 3 == 0 ? RG_SEV_ERROR : RG_SEV_WARNING, "f.xml",
                                     i + 1, i % 80 + 1, "message %d", i), 0);
    assert_int_equal(rg_diags_count(d), 1000);
    assert_int_equal(rg_diags_errors(d), 334); /* 0, 3, ..., 999 */
    for (int i = 0; i < 1000; i++) {
        const rg_diag *g = rg_diags_get(d, (size_t)i);
        char want[32];
        snprintf(want, sizeof want, "message %d", i);
        assert_non_null(g);
        assert_string_equal(g->message, want);
        assert_int_equal(g->line, i + 1);
        assert_int_equal(g->col, i % 80 + 1);
    }
    assert_null(rg_diags_get(d, 1000));
    rg_diags_free(d);
}

static void test_errors_and_blocking(void **state)
{
    (void)state;
    rg_diags *d = rg_diags_new();
    assert_non_null(d);
    rg_diag_add(d, RG_SEV_NOTE, "f.xml", 1, 1, "a note");
    assert_int_equal(rg_diags_errors(d), 0);
    assert_int_equal(rg_diags_blocking(d, 0), 0);
    assert_int_equal(rg_diags_blocking(d, 1), 0); /* notes never block */

    rg_diag_add(d, RG_SEV_WARNING, "f.xml", 2, 1, "a warning");
    assert_int_equal(rg_diags_errors(d), 0);
    assert_int_equal(rg_diags_blocking(d, 0), 0);
    assert_int_equal(rg_diags_blocking(d, 1), 1); /* strict: warnings block */

    rg_diag_add(d, RG_SEV_ERROR, "f.xml", 3, 1, "an error");
    rg_diag_add(d, RG_SEV_ERROR, "f.xml", 4, 1, "another");
    assert_int_equal(rg_diags_count(d), 4);
    assert_int_equal(rg_diags_errors(d), 2);
    assert_int_equal(rg_diags_blocking(d, 0), 1);
    assert_int_equal(rg_diags_blocking(d, 1), 1);
    rg_diags_free(d);

    /* An error alone blocks either way. */
    d = rg_diags_new();
    assert_non_null(d);
    rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "x");
    assert_int_equal(rg_diags_blocking(d, 0), 1);
    assert_int_equal(rg_diags_errors(d), 1);
    rg_diags_free(d);
}

/* ---- format ------------------------------------------------------------- */

static void test_format_forms(void **state)
{
    (void)state;
    char buf[256];
    rg_diag g = {"f.xml", 3, 7, RG_SEV_ERROR, "msg"};
    fmt(&g, buf, sizeof buf);
    assert_string_equal(buf, "f.xml:3:7: error: msg");

    g = (rg_diag){"f.xml", 12, 1, RG_SEV_WARNING, "unused value"};
    fmt(&g, buf, sizeof buf);
    assert_string_equal(buf, "f.xml:12:1: warning: unused value");

    g = (rg_diag){"f.xml", 1, 1, RG_SEV_NOTE, "first defined here"};
    fmt(&g, buf, sizeof buf);
    assert_string_equal(buf, "f.xml:1:1: note: first defined here");

    /* No position (output files). */
    g = (rg_diag){"out.pdf", 0, 0, RG_SEV_ERROR, "msg"};
    fmt(&g, buf, sizeof buf);
    assert_string_equal(buf, "out.pdf: error: msg");

    /* No file: the program speaks. */
    g = (rg_diag){"", 0, 0, RG_SEV_ERROR, "msg"};
    fmt(&g, buf, sizeof buf);
    assert_string_equal(buf, "reportgen: error: msg");
    g = (rg_diag){"", 5, 2, RG_SEV_WARNING, "msg"};
    fmt(&g, buf, sizeof buf);
    assert_string_equal(buf, "reportgen: warning: msg");
    g = (rg_diag){NULL, 5, 2, RG_SEV_ERROR, "msg"};
    fmt(&g, buf, sizeof buf);
    assert_string_equal(buf, "reportgen: error: msg");
}

static void test_format_of_added_entries(void **state)
{
    (void)state;
    rg_diags *d = rg_diags_new();
    assert_non_null(d);
    rg_diag_add(d, RG_SEV_ERROR, "tests/errors/empty.xml", 1, 1, "file is empty");
    rg_diag_add(d, RG_SEV_ERROR, "/tmp/out.pdf", 0, 0, "cannot write: %s", "No space left on device");
    rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "unknown theme '%s'", "nosuch");
    char buf[256];
    fmt(rg_diags_get(d, 0), buf, sizeof buf);
    assert_string_equal(buf, "tests/errors/empty.xml:1:1: error: file is empty");
    fmt(rg_diags_get(d, 1), buf, sizeof buf);
    assert_string_equal(buf, "/tmp/out.pdf: error: cannot write: No space left on device");
    fmt(rg_diags_get(d, 2), buf, sizeof buf);
    assert_string_equal(buf, "reportgen: error: unknown theme 'nosuch'");
    rg_diags_free(d);
}

static void test_format_small_buffer(void **state)
{
    (void)state;
    rg_diag g = {"f.xml", 3, 7, RG_SEV_ERROR, "msg"};
    char buf[16];
    memset(buf, '#', sizeof buf);
    rg_diag_format(&g, buf, 10);
    assert_string_equal(buf, "f.xml:3:7");  /* 9 characters and the NUL */
    for (size_t i = 10; i < sizeof buf; i++)
        assert_int_equal(buf[i], '#');      /* nothing written past size */
    memset(buf, '#', sizeof buf);
    rg_diag_format(&g, buf, 1);
    assert_int_equal(buf[0], 0);
    assert_int_equal(buf[1], '#');
}

static void test_long_message_truncated(void **state)
{
    (void)state;
    size_t n = 10000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)('a' + i % 26);
    big[n] = 0;
    rg_diags *d = rg_diags_new();
    assert_non_null(d);
    assert_int_equal(rg_diag_add(d, RG_SEV_ERROR, "f.xml", 1, 2, "value '%s' is bad", big), 0);
    const rg_diag *g = rg_diags_get(d, 0);
    assert_non_null(g);
    size_t len = strlen(g->message);
    /* Cut, but a useful prefix kept. */
    assert_true(len < n);
    assert_true(len >= 512);
    assert_memory_equal(g->message, "value '", 7);
    assert_memory_equal(g->message + 7, big, len - 7);
    /* The format into a small buffer stays in bounds too. */
    char out[64];
    rg_diag_format(g, out, sizeof out);
    assert_int_equal(strlen(out), sizeof out - 1);
    assert_memory_equal(out, "f.xml:1:2: error: value 'abc", 28);
    /* And a long file name is kept whole. */
    assert_int_equal(rg_diag_add(d, RG_SEV_ERROR, big, 1, 1, "x"), 0);
    assert_string_equal(rg_diags_get(d, 1)->file, big);
    free(big);
    rg_diags_free(d);
}

/* ---- out of memory ------------------------------------------------------ */

static void check_single_oom(const rg_diags *d)
{
    assert_int_equal(rg_diags_count(d), 1);
    const rg_diag *g = rg_diags_get(d, 0);
    assert_non_null(g);
    assert_string_equal(g->message, "out of memory");
    assert_int_equal(g->severity, RG_SEV_ERROR);
    assert_null(rg_diags_get(d, 1));
    assert_int_equal(rg_diags_errors(d), 1);
    assert_int_equal(rg_diags_blocking(d, 0), 1);
    char buf[64];
    rg_diag_format(g, buf, sizeof buf);
    assert_string_equal(buf, "reportgen: error: out of memory");
}

static void test_oom_each_allocation(void **state)
{
    (void)state;
    /* rg_diag_add allocates three times on an empty list (the array, the
     * file name, the message): each failure leaves one entry, and nothing
     * leaks (see valgrind). */
    for (long k = 1; k <= 3; k++) {
        rg_diags *d = rg_diags_new();
        assert_non_null(d);
        rg_fail_after(k);
        assert_int_equal(rg_diag_add(d, RG_SEV_WARNING, "f.xml", 3, 4, "lost %ld", k), -1);
        rg_fail_after(0);
        check_single_oom(d);
        rg_diags_free(d);
    }
}

static void test_oom_repeated_stays_single(void **state)
{
    (void)state;
    rg_diags *d = rg_diags_new();
    assert_non_null(d);
    for (int i = 0; i < 5; i++) {
        rg_fail_after(1);
        assert_int_equal(rg_diag_add(d, RG_SEV_ERROR, "f.xml", 1, 1, "lost"), -1);
    }
    rg_fail_after(0);
    check_single_oom(d);
    rg_diags_free(d);
}

static void test_oom_after_entries(void **state)
{
    (void)state;
    rg_diags *d = rg_diags_new();
    assert_non_null(d);
    assert_int_equal(rg_diag_add(d, RG_SEV_WARNING, "f.xml", 2, 3, "kept"), 0);
    rg_fail_after(1); /* the array has room: the file name copy fails */
    assert_int_equal(rg_diag_add(d, RG_SEV_WARNING, "f.xml", 5, 6, "lost"), -1);
    rg_fail_after(0);
    assert_int_equal(rg_diags_count(d), 2);
    assert_string_equal(rg_diags_get(d, 0)->message, "kept");
    assert_string_equal(rg_diags_get(d, 1)->message, "out of memory");
    assert_int_equal(rg_diags_errors(d), 1);     /* the warning is not an error */
    assert_int_equal(rg_diags_blocking(d, 0), 1); /* running out always blocks */
    rg_diags_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_empty_list, reset_faults),
        cmocka_unit_test_teardown(test_add_and_get, reset_faults),
        cmocka_unit_test_teardown(test_many_entries_keep_order, reset_faults),
        cmocka_unit_test_teardown(test_errors_and_blocking, reset_faults),
        cmocka_unit_test_teardown(test_format_forms, reset_faults),
        cmocka_unit_test_teardown(test_format_of_added_entries, reset_faults),
        cmocka_unit_test_teardown(test_format_small_buffer, reset_faults),
        cmocka_unit_test_teardown(test_long_message_truncated, reset_faults),
        cmocka_unit_test_teardown(test_oom_each_allocation, reset_faults),
        cmocka_unit_test_teardown(test_oom_repeated_stays_single, reset_faults),
        cmocka_unit_test_teardown(test_oom_after_entries, reset_faults),
    };
    return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
