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

void *rg_lib_malloc(size_t n)
{
    void *p = malloc(n);
    if (!p && spend_reserve())
        p = malloc(n);
    return p;
}

void *rg_lib_realloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q && n && spend_reserve())
        q = realloc(p, n);
    return q;
}

char *rg_lib_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = rg_lib_malloc(n);
    return p ? memcpy(p, s, n) : NULL;
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
