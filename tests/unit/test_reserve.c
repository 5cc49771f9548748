/* Tests for reserve.c's allocator of the libraries: the pool of small
 * blocks (blocks of every size hold their bytes and never overlap, a freed
 * block is used again, realloc keeps what fits, the C library's blocks
 * pass through, a block freed by another thread comes back to the pool's
 * thread) and the C library's blocks where there is no pool. Under
 * AddressSanitizer and valgrind there is no pool, and the same tests check
 * the C library's path. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif
#include "rg.h"

static int pool_expected(void)
{
#if defined(__SANITIZE_ADDRESS__)
    return 0;
#endif
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
    return 0;
#endif
#endif
    return !RUNNING_ON_VALGRIND;
}

static int setup(void **state)
{
    (void)state;
    rg_lib_pool_begin();
    return 0;
}

static void pool_begun(void **state)
{
    (void)state;
    assert_int_equal(rg_lib_pool_used(), pool_expected());
    rg_lib_pool_begin(); /* a second call changes nothing */
    assert_int_equal(rg_lib_pool_used(), pool_expected());
}

static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(seed * 131u + i * 7u);
}

static int intact(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(seed * 131u + i * 7u))
            return 0;
    return 1;
}

/* Every size from 0 to past the pool's largest, and some large ones,
 * three times each: aligned, distinct, and each keeps its own bytes while
 * the others are written; then every other one freed and the sizes asked
 * again, the survivors still intact. */
#define NSIZES 700
static void every_size(void **state)
{
    (void)state;
    enum { N = 3 * NSIZES + 3 };
    static unsigned char *p[N];
    static size_t len[N];
    for (int i = 0; i < N; i++) {
        len[i] = i < 3 * NSIZES ? (size_t)(i / 3) : (size_t)70000 << (i - 3 * NSIZES);
        p[i] = rg_lib_malloc(len[i]);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % 16, 0);
        fill(p[i], len[i], (unsigned)i);
    }
    for (int i = 0; i < N; i++) {
        assert_true(intact(p[i], len[i], (unsigned)i));
        if (i > 0)
            assert_ptr_not_equal(p[i], p[i - 1]); /* malloc(0) too: blocks of their own */
    }
    for (int i = 0; i < N; i += 2) {
        rg_lib_free(p[i]);
        p[i] = rg_lib_malloc(len[i]);
        assert_non_null(p[i]);
        fill(p[i], len[i], (unsigned)i + 1000);
    }
    for (int i = 0; i < N; i++)
        assert_true(intact(p[i], len[i], (unsigned)i + (i % 2 ? 0 : 1000)));
    for (int i = 0; i < N; i++)
        rg_lib_free(p[i]);
    rg_lib_free(NULL);
}

/* In the pool, a freed block is the next one of its size (16-byte
 * steps); without it, the C library's blocks are freed and made as
 * theirs. */
static void freed_is_used_again(void **state)
{
    (void)state;
    void *a = rg_lib_malloc(40);
    assert_non_null(a);
    rg_lib_free(a);
    void *b = rg_lib_malloc(48); /* the same step as 40 */
    assert_non_null(b);
    if (rg_lib_pool_used())
        assert_ptr_equal(a, b);
    void *c = rg_lib_malloc(49); /* the next step: another block */
    assert_non_null(c);
    assert_ptr_not_equal(b, c);
    rg_lib_free(b);
    rg_lib_free(c);
}

/* realloc keeps the bytes that fit, in the pool and out of it, both ways. */
static void realloc_keeps(void **state)
{
    (void)state;
    unsigned char *p = rg_lib_realloc(NULL, 20);
    assert_non_null(p);
    fill(p, 20, 1);
    unsigned char *q = rg_lib_realloc(p, 30); /* the same 32-byte block */
    if (rg_lib_pool_used())
        assert_ptr_equal(p, q);
    assert_true(intact(q, 20, 1));
    fill(q, 30, 2);
    unsigned char *r = rg_lib_realloc(q, 300);
    assert_non_null(r);
    assert_true(intact(r, 30, 2));
    fill(r, 300, 3);
    unsigned char *s = rg_lib_realloc(r, 5000); /* out of the pool */
    assert_non_null(s);
    assert_true(intact(s, 300, 3));
    fill(s, 5000, 4);
    unsigned char *t = rg_lib_realloc(s, 100000);
    assert_non_null(t);
    assert_true(intact(t, 5000, 4));
    unsigned char *u = rg_lib_realloc(t, 10);
    assert_non_null(u);
    assert_true(intact(u, 10, 4));
    rg_lib_free(u);
    char *d = rg_lib_strdup("a string of the libraries");
    assert_string_equal(d, "a string of the libraries");
    rg_lib_free(d);
}

/* A block of the C library's (made before the pool, or by a library
 * that never asked it) is freed and grown by the pool's functions. */
static void c_library_blocks(void **state)
{
    (void)state;
    unsigned char *p = malloc(24);
    assert_non_null(p);
    fill(p, 24, 5);
    unsigned char *q = rg_lib_realloc(p, 2000);
    assert_non_null(q);
    assert_true(intact(q, 24, 5));
    rg_lib_free(q);
    rg_lib_free(malloc(100));
}

/* Blocks freed by another thread come back to the pool's thread once its
 * own list of that size is empty; the other thread's own blocks are the C
 * library's and are freed as such. */
#define FAR 500
static void *free_them(void *arg)
{
    void **blocks = arg;
    for (int i = 0; i < FAR; i++)
        rg_lib_free(blocks[i]);
    for (int i = 0; i < 1000; i++) { /* its own, made and freed here */
        unsigned char *p = rg_lib_malloc((size_t)i % 600);
        if (!p)
            return arg;
        fill(p, (size_t)i % 600, (unsigned)i);
        if (!intact(p, (size_t)i % 600, (unsigned)i))
            return arg;
        rg_lib_free(p);
    }
    return NULL;
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (void *const *)a, y = (uintptr_t) * (void *const *)b;
    return x < y ? -1 : x > y;
}

static void freed_elsewhere(void **state)
{
    (void)state;
    static void *mine[FAR], *again[FAR], *held[5000];
    /* whatever of this size the earlier tests left free on this thread,
     * taken first */
    for (int i = 0; i < 5000; i++)
        assert_non_null(held[i] = rg_lib_malloc(200));
    for (int i = 0; i < FAR; i++) {
        mine[i] = rg_lib_malloc(200);
        assert_non_null(mine[i]);
    }
    pthread_t th;
    void *failed = NULL;
    assert_int_equal(pthread_create(&th, NULL, free_them, mine), 0);
    assert_int_equal(pthread_join(th, &failed), 0);
    assert_null(failed);
    for (int i = 0; i < FAR; i++) {
        again[i] = rg_lib_malloc(200);
        assert_non_null(again[i]);
    }
    if (rg_lib_pool_used()) {
        qsort(mine, FAR, sizeof *mine, by_address);
        qsort(again, FAR, sizeof *again, by_address);
        assert_memory_equal(mine, again, sizeof mine);
    }
    for (int i = 0; i < FAR; i++)
        rg_lib_free(again[i]);
    for (int i = 0; i < 5000; i++)
        rg_lib_free(held[i]);
}

/* Two threads at once: this one makes and frees blocks of every size,
 * the other frees half of what this one hands it and makes its own; no
 * block is overwritten by another. */
#define RING 256
static struct {
    pthread_mutex_t lock;
    unsigned char *block[RING];
    size_t len[RING];
    unsigned seed[RING];
    int head, tail, done, bad;
} ring = {PTHREAD_MUTEX_INITIALIZER, {0}, {0}, {0}, 0, 0, 0, 0};

static void *consumer(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&ring.lock);
        if (ring.tail == ring.head) {
            int done = ring.done;
            pthread_mutex_unlock(&ring.lock);
            if (done)
                return NULL;
            continue;
        }
        int k = ring.tail++ % RING;
        unsigned char *b = ring.block[k];
        size_t n = ring.len[k];
        unsigned s = ring.seed[k];
        pthread_mutex_unlock(&ring.lock);
        if (!intact(b, n, s))
            ring.bad = 1;
        rg_lib_free(b);
        unsigned char *own = rg_lib_malloc(n);
        if (own) {
            fill(own, n, s + 1);
            if (!intact(own, n, s + 1))
                ring.bad = 1;
            rg_lib_free(own);
        }
    }
}

static void two_threads(void **state)
{
    (void)state;
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, consumer, NULL), 0);
    static unsigned char *kept[64];
    static size_t kept_len[64];
    uint32_t seed = 99;
    for (unsigned i = 0; i < 40000; i++) {
        seed = seed * 1103515245u + 12345u;
        size_t n = (seed >> 16) % 530;
        unsigned char *p = rg_lib_malloc(n);
        assert_non_null(p);
        fill(p, n, i);
        if (i % 2) { /* to the other thread */
            for (;;) {
                pthread_mutex_lock(&ring.lock);
                if (ring.head - ring.tail < RING)
                    break;
                pthread_mutex_unlock(&ring.lock);
            }
            int k = ring.head++ % RING;
            ring.block[k] = p;
            ring.len[k] = n;
            ring.seed[k] = i;
            pthread_mutex_unlock(&ring.lock);
        } else { /* kept a while here, then freed here */
            int k = (int)(i / 2 % 64);
            if (kept[k]) {
                assert_true(intact(kept[k], kept_len[k], i - 128));
                rg_lib_free(kept[k]);
            }
            kept[k] = p;
            kept_len[k] = n;
        }
    }
    pthread_mutex_lock(&ring.lock);
    ring.done = 1;
    pthread_mutex_unlock(&ring.lock);
    assert_int_equal(pthread_join(th, NULL), 0);
    assert_int_equal(ring.bad, 0);
    for (int k = 0; k < 64; k++)
        rg_lib_free(kept[k]);
}

/* Under a limit on address space (ulimit -v) the pool's reserved stretch
 * would count in full, untouched as most of it is: a process with such a
 * limit begins no pool, one without begins it as ever. Each in a process
 * of its own (this binary again, "--limited" or "--free", by the name it
 * was started with: under valgrind /proc/self/exe is valgrind's), since a
 * process begins the pool once. */
static const char *self;
static int begin_in_child(int limited)
{
    if (limited) { /* a limit well above what the process holds (AddressSanitizer's shadow counts too) */
        unsigned long pages = 0;
        FILE *f = fopen("/proc/self/statm", "r");
        if (!f || fscanf(f, "%lu", &pages) != 1)
            return 2;
        fclose(f);
        rlim_t lim = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + ((rlim_t)1 << 30);
        struct rlimit r = {lim, lim};
        if (setrlimit(RLIMIT_AS, &r) != 0)
            return 2;
    }
    rg_lib_pool_begin();
    return rg_lib_pool_used() == (limited ? 0 : pool_expected()) ? 0 : 1;
}

static void no_pool_under_a_limit(void **state)
{
    (void)state;
    const char *const how[] = {"--limited", "--free"};
    for (int i = 0; i < 2; i++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            execl(self, self, how[i], (char *)NULL);
            _exit(99);
        }
        int st = 0;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        assert_true(WIFEXITED(st));
        if (WEXITSTATUS(st) != 0)
            fail_msg("%s: exit %d", how[i], WEXITSTATUS(st));
    }
}

int main(int argc, char **argv)
{
    self = argv[0];
    if (argc == 2 && (strcmp(argv[1], "--limited") == 0 || strcmp(argv[1], "--free") == 0))
        return begin_in_child(strcmp(argv[1], "--limited") == 0);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pool_begun),
        cmocka_unit_test(every_size),
        cmocka_unit_test(freed_is_used_again),
        cmocka_unit_test(realloc_keeps),
        cmocka_unit_test(c_library_blocks),
        cmocka_unit_test(freed_elsewhere),
        cmocka_unit_test(two_threads),
        cmocka_unit_test(no_pool_under_a_limit),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
