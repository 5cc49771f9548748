/* Tests for arena.c: alignment, zeroing, big and small blocks side by side,
 * the string helpers, the size accounting and fault injection. */
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

static int is_aligned(const void *p)
{
    return ((uintptr_t)p & 15u) == 0;
}

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0)
            return 0;
    return 1;
}

/* ---- alignment ---------------------------------------------------------- */

static void test_alignment_every_size(void **state)
{
    (void)state;
    rg_arena *a = rg_arena_new();
    assert_non_null(a);
    /* Odd sizes in a row: each block must still start on 16 bytes. */
    for (size_t n = 0; n < 300; n++) {
        unsigned char *p = rg_arena_alloc(a, n);
        assert_non_null(p);
        if (!is_aligned(p))
            fail_msg("alloc(%zu) = %p is not 16-byte aligned", n, (void *)p);
    }
    /* Strings too: strdup of 1..40 bytes. */
    for (int k = 1; k <= 40; k++) {
        char src[41];
        memset(src, 'a' + k % 26, (size_t)k);
        src[k] = 0;
        char *s = rg_arena_strdup(a, src);
        assert_non_null(s);
        assert_true(is_aligned(s));
        assert_string_equal(s, src);
    }
    rg_arena_free(a);
}

static void test_zero_size_gives_distinct_blocks(void **state)
{
    (void)state;
    rg_arena *a = rg_arena_new();
    assert_non_null(a);
    unsigned char *p = rg_arena_alloc(a, 0);
    unsigned char *q = rg_arena_alloc(a, 0);
    assert_non_null(p);
    assert_non_null(q);
    assert_ptr_not_equal(p, q);
    assert_true(is_aligned(p) && is_aligned(q));
    rg_arena_free(a);
}

/* ---- zeroing ------------------------------------------------------------ */

static void test_memory_is_zeroed(void **state)
{
    (void)state;
    /* Leave a dirty block of the size of an arena chunk behind in the heap,
     * so that the arena's first chunk is likely to reuse dirty memory. */
    size_t dirty_n = 70000;
    unsigned char *dirty = malloc(dirty_n);
    assert_non_null(dirty);
    memset(dirty, 0xAA, dirty_n);
    free(dirty);

    rg_arena *a = rg_arena_new();
    assert_non_null(a);
    size_t total = 0;
    for (size_t n = 1; total < 60000; n = n * 3 % 997 + 1) {
        unsigned char *p = rg_arena_alloc(a, n);
        assert_non_null(p);
        if (!all_zero(p, n))
            fail_msg("alloc(%zu) is not zeroed", n);
        memset(p, 0x55, n); /* dirty it for the next ones */
        total += n;
    }
    /* A huge one too. */
    size_t big = 3u << 20;
    unsigned char *p = rg_arena_alloc(a, big);
    assert_non_null(p);
    assert_true(all_zero(p, big));
    rg_arena_free(a);
}

/* ---- many small and one huge -------------------------------------------- */

typedef struct blk { unsigned char *p; size_t n; unsigned char tag; } blk;

static int cmp_blk(const void *x, const void *y)
{
    const blk *a = x, *b = y;
    return a->p < b->p ? -1 : a->p > b->p;
}

static void test_many_small_and_one_huge(void **state)
{
    (void)state;
    enum { N = 20000 };
    blk *b = calloc(N + 2, sizeof *b);
    assert_non_null(b);
    rg_arena *a = rg_arena_new();
    assert_non_null(a);
    int k = 0;
    for (; k < N / 2; k++) {
        size_t n = (size_t)(k % 57) + 1;
        b[k] = (blk){rg_arena_alloc(a, n), n, (unsigned char)(k * 7 + 1)};
        assert_non_null(b[k].p);
        memset(b[k].p, b[k].tag, n);
    }
    /* One block far over the chunk size, in the middle of the small ones. */
    size_t huge = 5u << 20;
    b[k] = (blk){rg_arena_alloc(a, huge), huge, 0xC3};
    assert_non_null(b[k].p);
    assert_true(is_aligned(b[k].p));
    memset(b[k].p, 0xC3, huge);
    k++;
    for (; k < N + 1; k++) {
        size_t n = (size_t)(k % 31) + 1;
        b[k] = (blk){rg_arena_alloc(a, n), n, (unsigned char)(k * 7 + 1)};
        assert_non_null(b[k].p);
        assert_true(is_aligned(b[k].p));
        memset(b[k].p, b[k].tag, n);
    }
    /* Every block still holds what was written into it ... */
    for (int i = 0; i < N + 1; i++)
        for (size_t j = 0; j < b[i].n; j++)
            if (b[i].p[j] != b[i].tag)
                fail_msg("block %d (%zu bytes) was overwritten at %zu", i, b[i].n, j);
    /* ... and no two blocks overlap. */
    qsort(b, N + 1, sizeof *b, cmp_blk);
    for (int i = 0; i + 1 < N + 1; i++)
        if (b[i].p + b[i].n > b[i + 1].p)
            fail_msg("blocks at %p (%zu bytes) and %p overlap", (void *)b[i].p, b[i].n, (void *)b[i + 1].p);
    assert_true(rg_arena_used(a) >= huge + (size_t)N);
    rg_arena_free(a);
    free(b);
}

/* ---- string helpers ----------------------------------------------------- */

static void test_strdup_strndup(void **state)
{
    (void)state;
    rg_arena *a = rg_arena_new();
    assert_non_null(a);
    char src[] = "hello, world";
    char *s = rg_arena_strdup(a, src);
    assert_non_null(s);
    assert_ptr_not_equal(s, src);
    src[0] = 'J'; /* a copy, not the same storage */
    assert_string_equal(s, "hello, world");

    char *e = rg_arena_strdup(a, "");
    assert_non_null(e);
    assert_string_equal(e, "");

    /* strndup takes n bytes even when the source has no NUL there. */
    const char raw[5] = {'a', 'b', 'c', 'd', 'e'};
    char *n3 = rg_arena_strndup(a, raw, 3);
    assert_non_null(n3);
    assert_int_equal(strlen(n3), 3);
    assert_string_equal(n3, "abc");
    char *n0 = rg_arena_strndup(a, raw, 0);
    assert_non_null(n0);
    assert_string_equal(n0, "");
    /* Multi-byte text is copied byte for byte. */
    char *u = rg_arena_strndup(a, "caf\xc3\xa9 au lait", 5);
    assert_non_null(u);
    assert_memory_equal(u, "caf\xc3\xa9", 6);
    rg_arena_free(a);
}

static void test_printf(void **state)
{
    (void)state;
    rg_arena *a = rg_arena_new();
    assert_non_null(a);
    char *s = rg_arena_printf(a, "%s-%d-%.2f-%03u-%c", "issue", 42, 1.5, 7u, 'x');
    assert_non_null(s);
    assert_string_equal(s, "issue-42-1.50-007-x");
    char *e = rg_arena_printf(a, "%s", "");
    assert_non_null(e);
    assert_string_equal(e, "");
    /* Longer than a chunk: the whole text, no truncation. */
    size_t n = 200000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = (char)('a' + i % 26);
    big[n] = 0;
    char *p = rg_arena_printf(a, "<%s>", big);
    assert_non_null(p);
    assert_int_equal(strlen(p), n + 2);
    assert_int_equal(p[0], '<');
    assert_memory_equal(p + 1, big, n);
    assert_int_equal(p[n + 1], '>');
    free(big);
    rg_arena_free(a);
}

/* ---- accounting --------------------------------------------------------- */

static void test_used_grows(void **state)
{
    (void)state;
    rg_arena *a = rg_arena_new();
    assert_non_null(a);
    assert_int_equal(rg_arena_used(a), 0);
    assert_non_null(rg_arena_alloc(a, 10));
    size_t u1 = rg_arena_used(a);
    assert_true(u1 >= 16);
    /* Never shrinks, and covers what was asked for. */
    size_t asked = 16, prev = u1;
    for (int i = 0; i < 5000; i++) {
        assert_non_null(rg_arena_alloc(a, 100));
        asked += 112; /* 100 rounded up to 16 */
        size_t u = rg_arena_used(a);
        assert_true(u >= prev);
        assert_true(u >= asked);
        prev = u;
    }
    assert_true(prev > u1);
    size_t huge = 1u << 20;
    assert_non_null(rg_arena_alloc(a, huge));
    assert_true(rg_arena_used(a) >= prev + huge);
    rg_arena_free(a);
}

/* ---- fault injection ---------------------------------------------------- */

static void test_fail_after_one(void **state)
{
    (void)state;
    /* The arena itself. */
    rg_fail_after(1);
    assert_null(rg_arena_new());
    rg_arena *a = rg_arena_new(); /* the countdown was used up */
    assert_non_null(a);

    /* The first block of a fresh arena needs memory: it fails ... */
    rg_fail_after(1);
    assert_null(rg_arena_alloc(a, 32));
    /* ... once only. */
    unsigned char *p = rg_arena_alloc(a, 32);
    assert_non_null(p);
    assert_true(all_zero(p, 32));
    rg_arena_free(a);

    /* The string helpers pass the failure on. */
    rg_arena *b = rg_arena_new();
    assert_non_null(b);
    rg_fail_after(1);
    assert_null(rg_arena_strdup(b, "x"));
    rg_fail_after(1);
    assert_null(rg_arena_strndup(b, "xyz", 2));
    rg_fail_after(1);
    assert_null(rg_arena_printf(b, "%d", 5));
    char *s = rg_arena_printf(b, "%d", 5);
    assert_non_null(s);
    assert_string_equal(s, "5");
    rg_arena_free(b);
}

static void test_fail_after_n_counts(void **state)
{
    (void)state;
    rg_fail_after(3);
    assert_int_equal(rg_fail_now(), 0);
    assert_int_equal(rg_fail_now(), 0);
    assert_int_equal(rg_fail_now(), 1);
    assert_int_equal(rg_fail_now(), 0);
    assert_int_equal(rg_fail_now(), 0);

    /* A big block needs a fresh chunk, so it consumes the countdown. */
    rg_arena *a = rg_arena_new();
    assert_non_null(a);
    rg_fail_after(2);
    assert_non_null(rg_arena_alloc(a, 200000));
    assert_null(rg_arena_alloc(a, 300000));
    assert_non_null(rg_arena_alloc(a, 300000));
    rg_arena_free(a);
}

static void test_fail_after_zero_disables(void **state)
{
    (void)state;
    rg_fail_after(1);
    rg_fail_after(0);
    for (int i = 0; i < 100; i++)
        assert_int_equal(rg_fail_now(), 0);
    rg_arena *a = rg_arena_new();
    assert_non_null(a);
    assert_non_null(rg_arena_alloc(a, 1));
    assert_non_null(rg_arena_alloc(a, 1u << 20));
    rg_arena_free(a);
    /* Negative counts never fail either. */
    rg_fail_after(-5);
    assert_int_equal(rg_fail_now(), 0);
    assert_int_equal(rg_fail_now(), 0);
}

/* ---- hostile sizes and NULL --------------------------------------------- */

static void test_free_null(void **state)
{
    (void)state;
    rg_arena_free(NULL);
    rg_arena *a = rg_arena_new();
    assert_non_null(a);
    rg_arena_free(a); /* an arena that never allocated */
    assert_true(1);
}

/* A size that cannot be met must give NULL, not a smaller block: rounding
 * SIZE_MAX up to 16 wraps to 0. */
static void test_impossible_size_is_null(void **state)
{
    (void)state;
    rg_arena *a = rg_arena_new();
    assert_non_null(a);
    assert_null(rg_arena_alloc(a, SIZE_MAX));
    assert_null(rg_arena_alloc(a, SIZE_MAX - 7));
    assert_null(rg_arena_alloc(a, SIZE_MAX / 2));
    /* Still usable afterwards. */
    char *s = rg_arena_strdup(a, "ok");
    assert_non_null(s);
    assert_string_equal(s, "ok");
    rg_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_alignment_every_size, reset_faults),
        cmocka_unit_test_teardown(test_zero_size_gives_distinct_blocks, reset_faults),
        cmocka_unit_test_teardown(test_memory_is_zeroed, reset_faults),
        cmocka_unit_test_teardown(test_many_small_and_one_huge, reset_faults),
        cmocka_unit_test_teardown(test_strdup_strndup, reset_faults),
        cmocka_unit_test_teardown(test_printf, reset_faults),
        cmocka_unit_test_teardown(test_used_grows, reset_faults),
        cmocka_unit_test_teardown(test_fail_after_one, reset_faults),
        cmocka_unit_test_teardown(test_fail_after_n_counts, reset_faults),
        cmocka_unit_test_teardown(test_fail_after_zero_disables, reset_faults),
        cmocka_unit_test_teardown(test_free_null, reset_faults),
        cmocka_unit_test_teardown(test_impossible_size_is_null, reset_faults),
    };
    return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
