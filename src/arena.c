/* Arena: all memory of one document comes from here and goes at once. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "rg.h"

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
} chunk;

struct rg_arena {
    chunk *head;
    size_t total;
};

/* Fault injection is per thread so batch workers do not disturb each other. */
static _Thread_local long fail_countdown;

void rg_fail_after(long n) { fail_countdown = n; }

int rg_fail_now(void)
{
    if (fail_countdown <= 0)
        return 0;
    return --fail_countdown == 0;
}

rg_arena *rg_arena_new(void)
{
    if (rg_fail_now())
        return NULL;
    return calloc(1, sizeof(rg_arena));
}

void rg_arena_free(rg_arena *a)
{
    if (!a)
        return;
    for (chunk *c = a->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(a);
}

void *rg_arena_alloc(rg_arena *a, size_t n)
{
    if (n > ((size_t)1 << 40))
        return NULL; /* no document needs this; rounding would wrap */
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > 65536 ? n : 65536;
        if (rg_fail_now())
            return NULL;
        chunk *nc = malloc(sizeof(chunk) + size);
        if (!nc)
            return NULL;
        nc->size = size;
        nc->used = 0;
        /* A big block gets a chunk of its own behind the head, so the
         * head's free space is not wasted. */
        if (c && size == n && c->size - c->used > 4096) {
            nc->next = c->next;
            c->next = nc;
        } else {
            nc->next = c;
            a->head = nc;
        }
        a->total += size;
        c = nc;
    }
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *rg_arena_strndup(rg_arena *a, const char *s, size_t n)
{
    char *p = rg_arena_alloc(a, n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

char *rg_arena_strdup(rg_arena *a, const char *s)
{
    return rg_arena_strndup(a, s, strlen(s));
}

char *rg_arena_printf(rg_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = rg_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

size_t rg_arena_used(const rg_arena *a)
{
    return a->total;
}

void rg_buf_add(rg_buf *b, const char *s, size_t k)
{
    if (b->oom)
        return;
    if (b->n + k + 1 > b->cap) {
        size_t cap = (b->n + k + 1) * 2;
        char *p = rg_fail_now() ? NULL : realloc(b->s, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    if (k)
        memcpy(b->s + b->n, s, k);
    b->n += k;
    b->s[b->n] = 0;
}

void rg_buf_clear(rg_buf *b)
{
    b->n = 0;
    rg_buf_add(b, "", 0);
}
