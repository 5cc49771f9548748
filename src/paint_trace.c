/* The trace painter: one line per primitive, stable and diffable, so golden
 * tests can pin the layout without reading a PDF. */
#include <string.h>
#include "rg.h"

typedef struct trace {
    FILE *f;
    const rg_pagelist *pl;
    int page;
} trace;

static void num(FILE *f, const char *key, rg_mpt v)
{
    long long a = v < 0 ? -(long long)v : v;
    fprintf(f, " %s=%s%lld.%03lld", key, v < 0 ? "-" : "", a / 1000, a % 1000);
}

static void color(FILE *f, const char *key, rg_color c)
{
    if (c.set)
        fprintf(f, " %s=#%02x%02x%02x", key, c.r, c.g, c.b);
}

/* The structure type a primitive's content goes in, lower case ("td"). */
static const char *role_name(const rg_snode *n, char *buf, size_t size)
{
    const char *t = n ? rg_stype_name(n->type) : "artifact";
    size_t i = 0;
    for (; t[i] && i + 1 < size; i++)
        buf[i] = (char)(t[i] >= 'A' && t[i] <= 'Z' ? t[i] + 32 : t[i]);
    buf[i] = 0;
    return buf;
}

static int t_begin(void *self, const rg_pagelist *pl)
{
    trace *t = self;
    t->pl = pl;
    fprintf(t->f, "document pages=%d title=\"%s\" lang=%s\n", pl->count,
            pl->info.title ? pl->info.title : "", pl->info.lang ? pl->info.lang : "");
    return 0;
}

static int t_page(void *self, const rg_page *pg)
{
    trace *t = self;
    fprintf(t->f, "page %d number=%d", ++t->page, pg->number);
    num(t->f, "w", pg->width);
    num(t->f, "h", pg->height);
    fputc('\n', t->f);
    return 0;
}

static int t_prim(void *self, const rg_prim *p)
{
    trace *t = self;
    FILE *f = t->f;
    char role[16];
    switch (p->kind) {
    case RG_P_TEXT:
        fputs("  text", f);
        num(f, "x", p->x);
        num(f, "y", p->y);
        fprintf(f, " font=%s", p->face >= 0 ? rg_font_psname(t->pl->theme->face[p->face].font) : "?");
        num(f, "size", p->size);
        color(f, "color", p->fill);
        fprintf(f, " role=%s \"%.*s\"\n", role_name(p->node, role, sizeof role), (int)p->len, p->text);
        break;
    case RG_P_RECT:
        fputs("  rect", f);
        num(f, "x", p->x);
        num(f, "y", p->y);
        num(f, "w", p->w);
        num(f, "h", p->h);
        color(f, "fill", p->fill);
        color(f, "stroke", p->stroke);
        if (p->stroke.set)
            num(f, "sw", p->stroke_width);
        if (p->radius)
            num(f, "r", p->radius);
        fputc('\n', f);
        break;
    case RG_P_LINE:
        fputs("  line", f);
        num(f, "x", p->x);
        num(f, "y", p->y);
        num(f, "dx", p->w);
        num(f, "dy", p->h);
        color(f, "stroke", p->stroke);
        num(f, "sw", p->stroke_width);
        fputc('\n', f);
        break;
    case RG_P_IMAGE:
        fputs("  image", f);
        num(f, "x", p->x);
        num(f, "y", p->y);
        num(f, "w", p->w);
        num(f, "h", p->h);
        {
            const char *b = strrchr(p->image, '/');
            fprintf(f, " file=%s alt=\"%s\"\n", b ? b + 1 : p->image, p->alt ? p->alt : "");
        }
        break;
    case RG_P_LINK:
        fputs("  link", f);
        num(f, "x", p->x);
        num(f, "y", p->y);
        num(f, "w", p->w);
        num(f, "h", p->h);
        if (p->dest)
            fprintf(f, " dest=%s\n", p->dest);
        else
            fprintf(f, " uri=%s\n", p->uri ? p->uri : "");
        break;
    }
    return ferror(f) ? -1 : 0;
}

static int t_end(void *self)
{
    trace *t = self;
    for (const rg_anchor *a = t->pl->anchors; a; a = a->next) {
        fprintf(t->f, "anchor %s page=%d", a->id, a->page->index + 1);
        num(t->f, "y", a->y);
        fputc('\n', t->f);
    }
    for (const rg_bookmark *b = t->pl->bookmarks; b; b = b->next) {
        fprintf(t->f, "bookmark level=%d page=%d", b->level, b->page->index + 1);
        num(t->f, "y", b->y);
        fprintf(t->f, " \"%s\"\n", b->title);
    }
    return ferror(t->f) ? -1 : 0;
}

int rg_paint_trace_file(const rg_pagelist *pl, FILE *out)
{
    trace t = {out, pl, 0};
    rg_painter p = {&t, t_begin, t_page, t_prim, t_end, NULL};
    return rg_paint(pl, &p) || ferror(out) ? -1 : 0;
}
