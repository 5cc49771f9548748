/* reserve.c: the allocator of the libraries that do not survive a failed
 * allocation.
 *
 * libxml2 2.9.14, libxslt 1.1.35 and libharu 2.3.0, as Debian 12 ships
 * them, go on after malloc returns NULL and then may crash, leak, or hand
 * back a schema, a stylesheet or a tree with a piece missing without a word
 * (make faultcheck found all of these). Their allocations come here
 * (xmlMemSetup, HPDF_NewEx). When one fails, the reserve set aside before
 * the document began is given back to the C library and the allocation is
 * tried once more, so the library finishes its call with memory that
 * exists, and the failure is counted: the stage that saw the count move
 * fails with "out of memory" (rg_xml_oom_count), and nothing it made is
 * used. This is the "rainy day fund" of programs that must stop cleanly
 * when memory runs out. Our own code gets NULL from malloc and handles it. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "xml.h"

#define RESERVE_SIZE (1u << 20)

static _Thread_local unsigned long lib_oom;     /* a stage looks at its own thread's */
static _Atomic(void *) reserve;                  /* one for the process: any thread may spend it */

static int spend_reserve(void)
{
    lib_oom++;
    void *r = atomic_exchange(&reserve, NULL);
    free(r);
    return r != NULL;
}

static void *sys_malloc(size_t n)
{
    void *p = malloc(n);
    if (!p && spend_reserve())
        p = malloc(n);
    return p;
}

/* The pool. A card makes 27,000 allocations through here (libxml2's nodes,
 * names and XPath values, libxslt's), most of them small and soon freed,
 * and the C library took about 120 instructions for each and 70 more to
 * free it: 5.8 M of the card's 44 M. Blocks up to 512 bytes come from one
 * reserved stretch of address space, cut into 64 kB chunks of one size each
 * (16-byte steps), with no header: the chunk's size is in lp_cls, and an
 * address tells by its range whether it is the pool's, so a block of the C
 * library's (made before the pool began, or too big) can be given to
 * rg_lib_free too. The thread that began the pool (the one that first set
 * libxml2 up: the main thread of a command) takes from it and keeps a free
 * list per size; another thread's small blocks are the C library's, and a
 * pool block it frees goes to a list of its own (lp_far, pushed with
 * compare-and-swap) that the pool's thread takes back whole when its list
 * runs dry. Pages are the kernel's zero pages until a block is cut from
 * them, and nothing is given back before exit: what a document frees is
 * what the next one uses. Under AddressSanitizer or valgrind, which watch
 * each block only when it is malloc's, and in the fault build, which fails
 * allocations one at a time (rg_lib_pool_off), there is no pool, nor
 * under a limit on address space (limited()). */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LP_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define LP_SANITIZED 1
#endif
#ifndef LP_SANITIZED
#define LP_SANITIZED 0
#endif
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif
#include <sys/mman.h>
#include <sys/resource.h>

#define LP_STEP 16
#define LP_MAX 512
#define LP_CLASSES (LP_MAX / LP_STEP + 1)
#define LP_SHIFT 16                       /* 64 kB chunks */
#define LP_REGION ((size_t)16 << 20)      /* address space, not memory: a card cuts 40 chunks */
#define LP_CHUNKS (LP_REGION >> LP_SHIFT)

typedef struct lp_block { struct lp_block *next; } lp_block;
static char *lp_base;                          /* NULL: no pool */
static size_t lp_chunks;                       /* chunks handed out */
static unsigned char lp_cls[LP_CHUNKS];        /* each chunk's size, in steps */
static lp_block *lp_list[LP_CLASSES];          /* the pool thread's free blocks */
static char *lp_at[LP_CLASSES], *lp_end[LP_CLASSES]; /* its chunks being cut */
static _Atomic(lp_block *) lp_far[LP_CLASSES]; /* freed by other threads */
static _Thread_local int lp_mine;              /* this is the pool's thread */
extern const int rg_lib_pool_off __attribute__((weak));

/* Under a limit on address space or data (ulimit -v, ulimit -d) the
 * reserved stretch would count in full, untouched as most of it is, and
 * a render would run out of memory under a limit it met before. */
static int limited(void)
{
    struct rlimit r;
    return (getrlimit(RLIMIT_AS, &r) == 0 && r.rlim_cur != RLIM_INFINITY) ||
           (getrlimit(RLIMIT_DATA, &r) == 0 && r.rlim_cur != RLIM_INFINITY);
}

void rg_lib_pool_begin(void)
{
    if (lp_base || LP_SANITIZED || RUNNING_ON_VALGRIND || (&rg_lib_pool_off && rg_lib_pool_off) || limited())
        return;
    void *p = mmap(NULL, LP_REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED)
        return; /* the C library's blocks then, as before */
    lp_base = p;
    lp_mine = 1;
}

static inline int in_pool(const void *p)
{
    return lp_base && (size_t)((const char *)p - lp_base) < LP_REGION;
}

static inline size_t pool_size(const void *p)
{
    return (size_t)lp_cls[(size_t)((const char *)p - lp_base) >> LP_SHIFT] * LP_STEP;
}

void *rg_lib_malloc(size_t n)
{
    if (!lp_mine || n > LP_MAX)
        return sys_malloc(n);
    size_t cls = n ? (n + LP_STEP - 1) / LP_STEP : 1;
    lp_block *b = lp_list[cls];
    if (!b && atomic_load_explicit(&lp_far[cls], memory_order_relaxed))
        b = atomic_exchange_explicit(&lp_far[cls], NULL, memory_order_acquire);
    if (b) {
        lp_list[cls] = b->next;
        return b;
    }
    if ((size_t)(lp_end[cls] - lp_at[cls]) < cls * LP_STEP) {
        if (lp_chunks == LP_CHUNKS)
            return sys_malloc(n); /* the stretch is used up */
        lp_cls[lp_chunks] = (unsigned char)cls;
        lp_at[cls] = lp_base + (lp_chunks++ << LP_SHIFT);
        lp_end[cls] = lp_at[cls] + ((size_t)1 << LP_SHIFT);
    }
    void *r = lp_at[cls];
    lp_at[cls] += cls * LP_STEP;
    return r;
}

void rg_lib_free(void *p)
{
    if (!in_pool(p)) {
        free(p);
        return;
    }
    size_t cls = pool_size(p) / LP_STEP;
    lp_block *b = p;
    if (lp_mine) {
        b->next = lp_list[cls];
        lp_list[cls] = b;
        return;
    }
    b->next = atomic_load_explicit(&lp_far[cls], memory_order_relaxed);
    while (!atomic_compare_exchange_weak_explicit(&lp_far[cls], &b->next, b, memory_order_release,
                                                  memory_order_relaxed))
        ;
}

void *rg_lib_realloc(void *p, size_t n)
{
    if (!p)
        return rg_lib_malloc(n);
    if (!in_pool(p)) {
        void *q = realloc(p, n);
        if (!q && n && spend_reserve())
            q = realloc(p, n);
        return q;
    }
    size_t have = pool_size(p);
    if (n <= have)
        return p;
    void *q = rg_lib_malloc(n);
    if (!q)
        return NULL;
    memcpy(q, p, have);
    rg_lib_free(p);
    return q;
}

char *rg_lib_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = rg_lib_malloc(n);
    return p ? memcpy(p, s, n) : NULL;
}

int rg_lib_pool_used(void)
{
    return lp_base != NULL;
}

unsigned long rg_xml_oom_count(void)
{
    return lib_oom;
}

int rg_reserve_refill(void)
{
    if (atomic_load(&reserve))
        return 0;
    void *r = malloc(RESERVE_SIZE), *none = NULL;
    if (!r)
        return -1;
    if (!atomic_compare_exchange_strong(&reserve, &none, r))
        free(r); /* another thread refilled it first */
    return 0;
}

void rg_reserve_release(void)
{
    free(atomic_exchange(&reserve, NULL));
}
