/* Diagnostics: errors travel as values in a list the caller owns. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rg.h"

struct rg_diags {
    rg_diag *v;
    size_t n, cap;
    int oom;          /* memory ran out while adding: one entry says so */
    int memory;       /* an error said memory ran out (rg_diags_memory) */
};

static rg_diag oom_diag = {"", 0, 0, RG_SEV_ERROR, "out of memory"};

rg_diags *rg_diags_new(void)
{
    return calloc(1, sizeof(rg_diags));
}

void rg_diags_free(rg_diags *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free((char *)d->v[i].file);
        free((char *)d->v[i].message);
    }
    free(d->v);
    free(d);
}

size_t rg_diags_count(const rg_diags *d)
{
    return d->n + (d->oom ? 1 : 0);
}

const rg_diag *rg_diags_get(const rg_diags *d, size_t i)
{
    if (i < d->n)
        return &d->v[i];
    return d->oom && i == d->n ? &oom_diag : NULL;
}

void rg_diag_reword(rg_diags *d, size_t i, const char *message)
{
    char *m = i < d->n && !rg_fail_now() ? strdup(message) : NULL;
    if (m) { /* without memory the first words stand */
        free((char *)d->v[i].message);
        d->v[i].message = m;
    }
}

void rg_diags_drop(rg_diags *d, size_t i)
{
    if (i >= d->n)
        return;
    free((char *)d->v[i].file);
    free((char *)d->v[i].message);
    memmove(d->v + i, d->v + i + 1, (d->n - i - 1) * sizeof *d->v);
    d->n--;
}

void rg_diag_place(rg_diags *d, size_t i, int line, int col)
{
    if (i < d->n) {
        d->v[i].line = line;
        d->v[i].col = col;
    }
}

size_t rg_diags_errors(const rg_diags *d)
{
    size_t e = d->oom ? 1 : 0;
    for (size_t i = 0; i < d->n; i++)
        e += d->v[i].severity == RG_SEV_ERROR;
    return e;
}

int rg_diags_memory(const rg_diags *d)
{
    return d->memory || d->oom;
}

int rg_diags_blocking(const rg_diags *d, int strict)
{
    if (d->oom)
        return 1;
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].severity == RG_SEV_ERROR || (strict && d->v[i].severity == RG_SEV_WARNING))
            return 1;
    return 0;
}

int rg_diag_add(rg_diags *d, rg_severity sev, const char *file, int line, int col,
                const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* "out of memory", or "what: out of memory", as every such message of ours reads */
    size_t bl = strlen(buf);
    if (sev == RG_SEV_ERROR && (strcmp(buf, "out of memory") == 0 ||
                                (bl > 15 && strcmp(buf + bl - 15, ": out of memory") == 0)))
        d->memory = 1;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        rg_diag *v = rg_fail_now() ? NULL : realloc(d->v, cap * sizeof *v);
        if (!v) {
            d->oom = 1;
            return -1;
        }
        d->v = v;
        d->cap = cap;
    }
    char *f = rg_fail_now() ? NULL : strdup(file ? file : "");
    char *m = rg_fail_now() ? NULL : strdup(buf);
    if (!f || !m) {
        free(f);
        free(m);
        d->oom = 1;
        return -1;
    }
    d->v[d->n++] = (rg_diag){f, line, col, sev, m};
    return 0;
}

void rg_diag_format(const rg_diag *dg, char *buf, size_t size)
{
    static const char *sevname[] = {"error", "warning", "note"};
    const char *sev = sevname[dg->severity <= RG_SEV_NOTE ? dg->severity : 0];
    if (dg->file && *dg->file && dg->line > 0)
        snprintf(buf, size, "%s:%d:%d: %s: %s", dg->file, dg->line, dg->col, sev, dg->message);
    else if (dg->file && *dg->file)
        snprintf(buf, size, "%s: %s: %s", dg->file, sev, dg->message); /* no position: output files */
    else
        snprintf(buf, size, "reportgen: %s: %s", sev, dg->message);
}

int rg_diags_append(rg_diags *d, const rg_diags *from)
{
    int rc = 0;
    for (size_t i = 0; i < rg_diags_count(from); i++) {
        const rg_diag *g = rg_diags_get(from, i);
        rc |= rg_diag_add(d, g->severity, g->file, g->line, g->col, "%s", g->message);
    }
    return rc;
}
