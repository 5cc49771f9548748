/* Bar charts drawn as vector paths: axis, ticks, grid, legend, value
 * labels that are left out rather than drawn over each other. */
#include <stdlib.h>
#include <string.h>
#include "layout.h"

#define MAX_SERIES 8
#define MAX_POINTS 64

typedef struct series {
    const char *name;
    rg_color color;
    rg_color pcolor[MAX_POINTS]; /* a point's own colour (grade bars), or unset */
    rg_dec v[MAX_POINTS];
    const char *label[MAX_POINTS];
    int n;
} series;

typedef struct box { rg_mpt x0, y0, x1, y1; } box;

static int hits(const box *a, const box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static rg_prim *text_at(L *l, slab *sl, const cs *s, const char *t, rg_mpt x, rg_mpt y)
{
    rg_prim *p = lay_text_prim(l, t, s, x, y, NULL);
    if (p)
        lay_slab_add(sl, p);
    return p;
}

static rg_prim *rect_at(L *l, slab *sl, rg_mpt x, rg_mpt y, rg_mpt w, rg_mpt h, rg_color fill)
{
    rg_prim *p = lay_prim_new(l, RG_P_RECT);
    if (!p)
        return NULL;
    p->x = x;
    p->y = y;
    p->w = w;
    p->h = h;
    p->fill = fill;
    lay_slab_add(sl, p);
    return p;
}

static rg_prim *line_at(L *l, slab *sl, rg_mpt x, rg_mpt y, rg_mpt dx, rg_mpt dy, rg_color c, rg_mpt w)
{
    rg_prim *p = lay_prim_new(l, RG_P_LINE);
    if (!p)
        return NULL;
    p->x = x;
    p->y = y;
    p->w = dx;
    p->h = dy;
    p->stroke = c;
    p->stroke_width = w;
    lay_slab_add(sl, p);
    return p;
}

/* A tick step of 1, 2 or 5 times a power of ten giving at most 5 steps;
 * never below 1 when every value is a whole number (counts). */
static rg_dec nice_step(rg_dec max, int whole)
{
    rg_dec step = whole ? RG_DEC_ONE : 1;
    for (;;) {
        static const int m[] = {1, 2, 5};
        for (int i = 0; i < 3; i++)
            if (max <= step * m[i] * 5)
                return step * m[i];
        step *= 10;
    }
}

void lay_chart(L *l, const rg_node *n, const cs *s, rg_mpt width, rg_style *blk, slist *out)
{
    const char *type = rg_node_attr(n, "type");
    if (type && strcmp(type, "bar") != 0 && strcmp(type, "line") != 0) {
        lay_lerr(l, n, "unknown chart type '%s' (bar or line)", type);
        return;
    }
    int line = type && strcmp(type, "line") == 0;
    series *sv = calloc(MAX_SERIES, sizeof *sv);
    if (!sv) {
        lay_lerr(l, n, "out of memory");
        return;
    }
    int ns = 0;
    rg_dec max = 0;
    for (const rg_node *c = n->first; c && !l->failed; c = c->next) {
        if (c->kind == RG_N_TEXT)
            continue;
        if (!lay_is_el(c, "series") || ns == MAX_SERIES) {
            lay_lerr(l, c, ns == MAX_SERIES ? "a chart has at most 8 series" : "<%s> cannot stand in a chart; use <series>",
                     c->name);
            goto done;
        }
        series *se = &sv[ns++];
        se->name = rg_node_attr(c, "name");
        se->color = lay_attr_color(l, c, "color");
        if (!se->color.set)
            se->color = s->color;
        for (const rg_node *p = c->first; p; p = p->next) {
            if (p->kind == RG_N_TEXT)
                continue;
            const char *v = rg_node_attr(p, "value");
            if (!lay_is_el(p, "point") || se->n == MAX_POINTS) {
                lay_lerr(l, p, "a series holds at most %d <point> elements", MAX_POINTS);
                goto done;
            }
            if (!v || rg_dec_parse(v, &se->v[se->n]) != 0 || se->v[se->n] < 0) {
                lay_lerr(l, p, "chart value '%s' is not a number >= 0", v ? v : "");
                goto done;
            }
            if (se->v[se->n] > max)
                max = se->v[se->n];
            se->pcolor[se->n] = lay_attr_color(l, p, "color");
            se->label[se->n++] = rg_node_attr(p, "label");
        }
    }
    if (ns == 0 || sv[0].n == 0) {
        lay_lerr(l, n, "chart without values");
        goto done;
    }
    int np = sv[0].n;
    for (int i = 1; i < ns; i++)
        if (sv[i].n != np) {
            lay_lerr(l, n, "chart series '%s' has %d values, the first has %d", sv[i].name ? sv[i].name : "",
                     sv[i].n, np);
            goto done;
        }
    slab *sl = lay_slab_new(l, n);
    if (!sl)
        goto done;
    rg_mpt height = (rg_mpt)((int64_t)lay_attr_len(l, n, "height", RG_PT(160)) * l->scale / 1000);
    cs small = *s;
    small.size = s->size * 8 / 10;
    small.color = s->color;
    rg_color grid = {0xd5, 0xd9, 0xde, 1}, axis = s->color;
    rg_mpt y = 0;
    const char *title = rg_node_attr(n, "title");
    if (title) {
        cs ts = *s;
        ts.bold = 1;
        ts.face = rg_theme_face(l->t, ts.family, 1, ts.italic);
        y += ts.size;
        if (!text_at(l, sl, &ts, title, 0, y))
            goto done;
        y += ts.size / 2;
    }
    /* Legend: a swatch and the name of each series, in a row. */
    rg_mpt lx = 0, sw = small.size;
    y += small.size;
    for (int i = 0; i < ns; i++) {
        if (!rect_at(l, sl, lx, y - sw * 8 / 10, sw, sw * 8 / 10, sv[i].color))
            goto done;
        lx += sw + sw / 2;
        const char *nm = sv[i].name ? sv[i].name : "";
        if (!text_at(l, sl, &small, nm, lx, y))
            goto done;
        lx += lay_text_width(l, &small, nm) + sw * 2;
    }
    y += small.size;
    /* Scale. */
    if (max == 0)
        max = RG_DEC_ONE;
    int whole = 1;
    for (int i = 0; i < ns; i++)
        for (int k = 0; k < sv[i].n; k++)
            if (sv[i].v[k] % RG_DEC_ONE)
                whole = 0;
    rg_dec step = nice_step(max, whole);
    rg_dec top = (max + step - 1) / step * step;
    char buf[48];
    rg_dec_format(top, buf, sizeof buf);
    rg_mpt axisw = lay_text_width(l, &small, buf) + small.size / 2;
    rg_mpt plot_top = y + small.size * 3 / 2, plot_bottom = height - small.size * 2;
    rg_mpt plot_left = axisw + small.size / 2, plot_w = width - plot_left;
    if (plot_bottom - plot_top < RG_PT(20)) {
        lay_lerr(l, n, "chart height %.1fpt leaves no room to plot", height / 1000.0);
        goto done;
    }
    rg_mpt ph = plot_bottom - plot_top;
    for (rg_dec t = 0; t <= top; t += step) {
        rg_mpt ty = plot_bottom - (rg_mpt)((int64_t)ph * t / top);
        if (!line_at(l, sl, plot_left, ty, plot_w, 0, t == 0 ? axis : grid, t == 0 ? RG_PT(0.75) : RG_PT(0.4)))
            goto done;
        rg_dec_format(t, buf, sizeof buf);
        if (!text_at(l, sl, &small, buf, plot_left - small.size / 2 - lay_text_width(l, &small, buf),
                     ty + small.size * 35 / 100))
            goto done;
    }
    /* Bars, value labels and the category labels under them. */
    rg_mpt slot = plot_w / np, group = slot * 7 / 10, bw = group / ns;
    box placed[MAX_SERIES * MAX_POINTS + MAX_POINTS];
    int nplaced = 0;
    rg_mpt last_cat_end = -RG_PT(1000);
    for (int p = 0; p < np; p++) {
        rg_mpt gx = plot_left + slot * p + (slot - group) / 2;
        for (int i = 0; i < ns; i++) {
            rg_mpt bh = (rg_mpt)((int64_t)ph * sv[i].v[p] / top);
            rg_mpt bx = gx + bw * i;
            if (line) {
                /* A line from the previous point and a square marker here;
                 * the label goes above the marker. */
                rg_mpt cx = plot_left + slot * p + slot / 2, cy = plot_bottom - bh, m = small.size / 3;
                if (p > 0) {
                    rg_mpt px = plot_left + slot * (p - 1) + slot / 2;
                    rg_mpt py = plot_bottom - (rg_mpt)((int64_t)ph * sv[i].v[p - 1] / top);
                    if (!line_at(l, sl, px, py, cx - px, cy - py, sv[i].color, RG_PT(1.5)))
                        goto done;
                }
                if (!rect_at(l, sl, cx - m, cy - m, 2 * m, 2 * m, sv[i].color))
                    goto done;
                bx = cx - bw / 2;
                bh += m;
            } else if (bh > 0 && !rect_at(l, sl, bx, plot_bottom - bh, bw, bh,
                                          sv[i].pcolor[p].set ? sv[i].pcolor[p] : sv[i].color)) {
                goto done;
            }
            rg_dec_format(sv[i].v[p], buf, sizeof buf);
            rg_mpt tw = lay_text_width(l, &small, buf);
            box b = {bx + bw / 2 - tw / 2, plot_bottom - bh - small.size * 3 / 2, bx + bw / 2 + tw / 2,
                     plot_bottom - bh - small.size / 5};
            int free_spot = 1;
            for (int k = 0; k < nplaced && free_spot; k++)
                free_spot = !hits(&b, &placed[k]);
            if (free_spot) {
                placed[nplaced++] = b;
                if (!text_at(l, sl, &small, buf, b.x0, plot_bottom - bh - small.size * 35 / 100))
                    goto done;
            }
        }
        const char *lab = sv[0].label[p] ? sv[0].label[p] : "";
        rg_mpt tw = lay_text_width(l, &small, lab);
        rg_mpt cx = plot_left + slot * p + slot / 2 - tw / 2;
        if (cx > last_cat_end + small.size / 2) {
            if (!text_at(l, sl, &small, lab, cx, plot_bottom + small.size * 13 / 10))
                goto done;
            last_cat_end = cx + tw;
        }
    }
    const char *yl = rg_node_attr(n, "y-label");
    (void)yl; /* the legend names the series; a rotated axis title is not drawn yet */
    /* The whole chart is one figure for a screen reader: its alt text, or
     * its title, stands for the drawing. */
    const char *alt = rg_node_attr(n, "alt");
    if (!alt)
        alt = title;
    rg_snode *fig = lay_snode(l, s, RG_S_FIGURE);
    if (fig)
        fig->alt = alt;
    for (rg_prim *q = sl->first; q; q = q->next)
        q->node = fig;
    sl->h = height;
    sl->before = blk->space_before;
    sl->after = blk->space_after;
    lay_slist_add(out, sl);
done:
    free(sv);
}
