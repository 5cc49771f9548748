/* Lists with hanging indents, the table of contents and multi-column
 * blocks: layouts made of other blocks' slabs. */
#include <stdlib.h>
#include <string.h>
#include "layout.h"

static const rg_prim *first_text(const slab *s)
{
    for (const rg_prim *p = s->first; p; p = p->next)
        if (p->kind == RG_P_TEXT)
            return p;
    return NULL;
}


void lay_list(L *l, const rg_node *n, const cs *s, rg_mpt width, rg_style *blk, slist *out)
{
    const char *marker = rg_node_attr(n, "marker");
    if (!marker)
        marker = "bullet";
    if (strcmp(marker, "bullet") && strcmp(marker, "number") && strcmp(marker, "dash") &&
        strcmp(marker, "none")) {
        lay_lerr(l, n, "unknown list marker '%s' (bullet, number, dash or none)", marker);
        return;
    }
    rg_mpt indent = lay_attr_len(l, n, "indent", RG_PT(14));
    rg_mpt item_gap = (rg_mpt)((int64_t)RG_PT(2) * l->scale / 1000);
    int k = 0;
    slab *list_first = NULL;
    /* L > LI > Lbl (the marker) + LBody (the item's blocks). */
    cs ls = *s;
    ls.sn = lay_snode(l, s, RG_S_L);
    ls.into = 0;
    for (const rg_node *it = n->first; it && !l->failed; it = it->next) {
        if (it->kind == RG_N_TEXT && !lay_is_inline(it))
            continue;
        if (!lay_is_el(it, "item")) {
            lay_lerr(l, it, "<%s> cannot stand in a list; use <item>", it->kind == RG_N_TEXT ? "text" : it->name);
            return;
        }
        k++;
        cs ic;
        rg_style iblk;
        lay_node_style(l, it, &ls, &ic, &iblk);
        cs li = ic;
        li.sn = lay_snode(l, &ic, RG_S_LI);
        ic.sn = lay_snode(l, &li, RG_S_LBODY);
        ic.into = lay_one_para(it);
        slist inner = {0};
        lay_blocks(l, it, &ic, width - indent, &inner);
        if (l->failed || !inner.first)
            continue;
        for (slab *x = inner.first; x; x = x->next)
            lay_prims_move(x->first, indent, 0);
        const rg_prim *ft = first_text(inner.first);
        char mk[32] = "";
        if (strcmp(marker, "bullet") == 0)
            strcpy(mk, "\xe2\x80\xa2"); /* U+2022 */
        else if (strcmp(marker, "dash") == 0)
            strcpy(mk, "\xe2\x80\x93"); /* U+2013 */
        else if (strcmp(marker, "number") == 0)
            snprintf(mk, sizeof mk, "%d.", k);
        if (*mk && ft) {
            cs ms = ic;
            ms.face = ft->face;
            ms.size = ft->size;
            ms.color = ic.color;
            rg_mpt mw = lay_text_width(l, &ms, mk);
            rg_mpt x = indent - mw - (rg_mpt)((int64_t)ms.size * 35 / 100);
            if (x < 0)
                x = 0;
            rg_prim *mp = lay_text_prim(l, mk, &ms, x, ft->y, lay_snode(l, &li, RG_S_LBL));
            if (!mp)
                return;
            /* The marker goes first so the item reads in order. */
            mp->next = inner.first->first;
            inner.first->first = mp;
            if (!inner.first->last)
                inner.first->last = mp;
        }
        if (k > 1) {
            rg_mpt b = iblk.space_before > item_gap ? iblk.space_before : item_gap;
            if (inner.first->before < b)
                inner.first->before = b;
        }
        if (iblk.space_after > inner.last->after)
            inner.last->after = iblk.space_after;
        if (!list_first)
            list_first = inner.first;
        if (out->last)
            out->last->next = inner.first;
        else
            out->first = inner.first;
        out->last = inner.last;
    }
    if (list_first && blk->space_before > list_first->before)
        list_first->before = blk->space_before;
    if (out->last && list_first && blk->space_after > out->last->after)
        out->last->after = blk->space_after;
}

/* ---- table of contents ------------------------------------------------ */

typedef struct entry { const rg_node *h; int level; } entry;

static void collect(const rg_node *n, int levels, entry *v, int *nv, int max)
{
    for (const rg_node *c = n->first; c && *nv < max; c = c->next) {
        if (c->kind != RG_N_ELEMENT)
            continue;
        if (lay_is_el(c, "h") && rg_node_attr(c, "id")) {
            const char *lv = rg_node_attr(c, "level");
            int level = lv ? atoi(lv) : 1;
            if (level >= 1 && level <= levels)
                v[(*nv)++] = (entry){c, level};
        }
        if (!lay_is_el(c, "page-style"))
            collect(c, levels, v, nv, max);
    }
}

void lay_toc(L *l, const rg_node *n, const cs *s, rg_mpt width, rg_style *blk, slist *out)
{
    const char *lv = rg_node_attr(n, "levels");
    int levels = lv ? atoi(lv) : 2;
    if (levels < 1 || levels > 3) {
        lay_lerr(l, n, "toc levels '%s' is not 1, 2 or 3", lv);
        return;
    }
    entry v[512];
    int nv = 0;
    collect(l->doc, levels, v, &nv, 512);
    slab *toc_first = NULL;
    /* TOC > TOCI > Link: an entry's words, number and annotations. */
    cs tocs = *s;
    tocs.sn = lay_snode(l, s, RG_S_TOC);
    tocs.into = 0;
    for (int i = 0; i < nv && !l->failed; i++) {
        const rg_node *h = v[i].h;
        const char *id = rg_node_attr(h, "id");
        char sname[16];
        snprintf(sname, sizeof sname, "toc-%d", v[i].level);
        /* An entry is a paragraph of the heading's words in the toc-N style. */
        rg_attr sa = {"style", sname, NULL};
        rg_node text = {RG_N_TEXT, NULL, NULL, NULL, h->line, NULL, NULL, NULL, NULL};
        rg_node p = {RG_N_ELEMENT, "p", NULL, rg_theme_style(l->t, sname) ? &sa : NULL, h->line,
                     (rg_node *)n, &text, &text, NULL};
        text.parent = &p;
        char buf[512];
        size_t used = 0;
        buf[0] = 0;
        lay_text_start(h->first, buf, sizeof buf, &used);
        text.text = buf;
        cs ec;
        rg_style eblk;
        lay_node_style(l, &p, s, &ec, &eblk);
        ec.role = s->role == RG_ROLE_ARTIFACT ? RG_ROLE_ARTIFACT : RG_ROLE_P;
        ec.sn = lay_snode(l, &tocs, RG_S_TOCI);
        ec.sn = lay_snode(l, &ec, RG_S_LINK);
        ec.into = 1;
        if (ec.sn)
            ec.sn->alt = lay_strdup(l, buf);
        int num = lay_ref_number(l, id);
        char numstr[16];
        snprintf(numstr, sizeof numstr, "%d", num > 0 ? num : 0);
        rg_mpt numw = lay_text_width(l, &ec, numstr);
        rg_mpt ind = (rg_mpt)(v[i].level - 1) * RG_PT(14);
        rg_mpt room = numw + (rg_mpt)((int64_t)ec.size * 3);
        slist tmp = {0};
        lay_para(l, &p, &ec, &eblk, width - ind, room, &tmp);
        if (l->failed || !tmp.last)
            return;
        /* The text was copied into the arena by lay_para: buf may go. */
        const rg_prim *lt = NULL;
        for (const rg_prim *q = tmp.last->first; q; q = q->next)
            if (q->kind == RG_P_TEXT)
                lt = q;
        rg_mpt base = lt ? lt->y : 0;
        rg_mpt end = 0;
        if (lt) {
            char *t = lay_strndup(l, lt->text, lt->len);
            if (!t)
                return;
            cs ts = ec;
            ts.face = lt->face;
            ts.size = lt->size;
            end = lt->x + lay_text_width(l, &ts, t);
        }
        /* The entry's words and number read as one link. */
        rg_prim *np = lay_text_prim(l, numstr, &ec, width - ind - numw, base, ec.sn);
        if (!np)
            return;
        /* Dot leaders between the words and the number. */
        rg_mpt dotw = lay_text_width(l, &ec, ". ");
        rg_mpt from = end + (rg_mpt)((int64_t)ec.size / 2), to = width - ind - numw - (rg_mpt)((int64_t)ec.size / 2);
        if (dotw > 0 && to - from > dotw * 2) {
            /* Dots on a grid common to all entries, so they line up in columns. */
            rg_mpt start = ((from + ind + dotw - 1) / dotw) * dotw - ind;
            int nd = (int)((to - start) / dotw);
            if (nd < 1)
                nd = 1;
            char *dots = lay_alloc(l, (size_t)nd * 2 + 1);
            if (!dots)
                return;
            for (int d = 0; d < nd; d++)
                memcpy(dots + d * 2, ". ", 2);
            dots[nd * 2 - 1] = 0;
            cs ds = ec;
            rg_prim *dp = lay_text_prim(l, dots, &ds, start, base, NULL);
            if (!dp)
                return;
            lay_slab_add(tmp.last, dp);
        }
        lay_slab_add(tmp.last, np);
        for (slab *x = tmp.first; x; x = x->next) {
            lay_prims_move(x->first, ind, 0);
            rg_prim *k = lay_prim_new(l, RG_P_LINK);
            if (!k)
                return;
            k->x = ind;
            k->y = 0;
            k->w = width - ind;
            k->h = x->h;
            k->dest = id;
            k->node = ec.sn;
            lay_slab_add(x, k);
            if (x != tmp.last)
                x->keep_next = 1;
        }
        if (!toc_first)
            toc_first = tmp.first;
        if (out->last)
            out->last->next = tmp.first;
        else
            out->first = tmp.first;
        out->last = tmp.last;
    }
    if (toc_first && blk->space_before > toc_first->before)
        toc_first->before = blk->space_before;
    if (out->last && toc_first && blk->space_after > out->last->after)
        out->last->after = blk->space_after;
}

/* ---- columns ------------------------------------------------------------ */

static rg_mpt unit_gap(slab *const *v, int i)
{
    return v[i]->before > v[i - 1]->after ? v[i]->before : v[i - 1]->after;
}

/* Greedy fill of count columns no taller than target, from the first unit:
 * col[] and y[] of each unit set; returns how many units fit (a unit taller
 * than target ends the fill). */
static int fill(slab *const *v, int n, rg_mpt target, int count, int *col, rg_mpt *y)
{
    int c = 0;
    rg_mpt h = 0;
    for (int i = 0; i < n; i++) {
        rg_mpt gap = h > 0 ? unit_gap(v, i) : 0;
        if (h > 0 && h + gap + v[i]->h > target) {
            if (++c == count)
                return i;
            h = 0;
            gap = 0;
        }
        if (v[i]->h > target)
            return i;
        col[i] = c;
        y[i] = h + gap;
        h += gap + v[i]->h;
    }
    return n;
}

/* Units v[0..n) in at most count columns no taller than limit (0: no
 * limit): balanced (the lowest height that holds them all) when all fit,
 * else as many as fill the columns. Returns the units placed. */
static int place(slab *const *v, int n, int count, rg_mpt limit, int *col, rg_mpt *y)
{
    rg_mpt total = 0, tallest = 0;
    for (int i = 0; i < n; i++) {
        total += v[i]->h + (i > 0 ? unit_gap(v, i) : 0);
        if (v[i]->h > tallest)
            tallest = v[i]->h;
    }
    rg_mpt target = total / count > tallest ? total / count : tallest;
    if (limit > 0 && target > limit)
        return fill(v, n, limit, count, col, y);
    while (fill(v, n, target, count, col, y) < n) {
        target += RG_PT(1);
        if (limit > 0 && target > limit)
            return fill(v, n, limit, count, col, y);
    }
    return n;
}

/* One slab of units v[0..k) at their places. */
static slab *put_units(L *l, const rg_node *node, slab *const *v, int k, const int *col, const rg_mpt *y,
                       rg_mpt colw, rg_mpt gap)
{
    slab *res = lay_slab_new(l, node);
    if (!res)
        return NULL;
    rg_mpt h = 0;
    for (int i = 0; i < k; i++) {
        lay_slab_append_prims(res, v[i], col[i] * (colw + gap), y[i]);
        if (y[i] + v[i]->h > h)
            h = y[i] + v[i]->h;
    }
    res->h = h;
    return res;
}

/* A column never splits what keeps together: the content's slabs are cut
 * into units at each slab that does not keep with the next (a paragraph's
 * lines with keep-together, a heading with what follows it, the first two
 * and last two lines of any paragraph). */
static int make_units(L *l, slist *inner, slab ***units)
{
    int nv = 0;
    for (slab *x = inner->first; x; x = x->next)
        if (!x->keep_next || !x->next)
            nv++;
    slab **v = nv ? lay_alloc(l, (size_t)nv * sizeof *v) : NULL;
    if (nv && !v)
        return -1;
    int i = 0;
    slab *x = inner->first;
    while (x) {
        slab *start = x;
        while (x->keep_next && x->next)
            x = x->next;
        slab *rest = x->next;
        x->next = NULL;
        slist run = {start, x};
        slab *u = lay_stack(l, &run, start->node);
        if (!u)
            return -1;
        u->before = start->before;
        u->after = x->after;
        v[i++] = u;
        x = rest;
    }
    *units = v;
    return nv;
}

void lay_columns(L *l, const rg_node *n, const cs *s, rg_mpt width, rg_style *blk, slist *out)
{
    const char *cv = rg_node_attr(n, "count");
    int count = cv ? atoi(cv) : 2;
    if (count < 1 || count > 8) {
        lay_lerr(l, n, "columns count '%s' is not 1 to 8", cv ? cv : "");
        return;
    }
    rg_mpt gap = lay_attr_len(l, n, "gap", RG_PT(18));
    rg_mpt colw = (width - gap * (count - 1)) / count;
    slist inner = {0};
    lay_blocks(l, n, s, colw, &inner);
    if (l->failed)
        return;
    slab **v = NULL;
    int nv = make_units(l, &inner, &v);
    if (nv < 0)
        return;
    int *col = nv ? malloc((size_t)nv * sizeof *col) : NULL;
    rg_mpt *y = nv ? malloc((size_t)nv * sizeof *y) : NULL;
    if (nv && (!col || !y)) {
        free(col); free(y);
        lay_lerr(l, n, "out of memory");
        return;
    }
    slab *res;
    if (n->parent && lay_is_el(n->parent, "section")) {
        /* In a section's flow: the paginator sets the units on as many
         * pages as they need. The height is the balanced one, for errors. */
        colset *cset = lay_alloc(l, sizeof *cset);
        res = lay_slab_new(l, n);
        if (!cset || !res) {
            free(col); free(y);
            return;
        }
        *cset = (colset){count, nv, colw, gap, v};
        res->cols = cset;
        place(v, nv, count, 0, col, y);
        for (int i = 0; i < nv; i++)
            if (y[i] + v[i]->h > res->h)
                res->h = y[i] + v[i]->h;
    } else {
        /* Inside a box, cell or item: on one page, balanced. */
        place(v, nv, count, 0, col, y);
        res = put_units(l, n, v, nv, col, y, colw, gap);
    }
    free(col); free(y);
    if (!res)
        return;
    res->before = blk->space_before;
    res->after = blk->space_after;
    lay_slist_add(out, res);
}

slab *lay_columns_split(L *l, slab *s, rg_mpt avail, rg_mpt frame)
{
    colset *c = s->cols;
    slab *first = NULL, *last = NULL;
    if (c->n == 0) {
        first = lay_slab_new(l, s->node);
        if (!first)
            return NULL;
        last = first;
    }
    int *col = c->n ? malloc((size_t)c->n * sizeof *col) : NULL;
    rg_mpt *y = c->n ? malloc((size_t)c->n * sizeof *y) : NULL;
    if (c->n && (!col || !y)) {
        free(col); free(y);
        lay_lerr(l, s->node, "out of memory");
        return NULL;
    }
    int at = 0;
    rg_mpt limit = avail < frame ? avail : frame;
    while (at < c->n) {
        int k = place(c->unit + at, c->n - at, c->count, limit, col + at, y + at);
        if (k == 0) {
            if (limit < frame) {
                /* Not even one unit fits the rest of the page: start on the next. */
                limit = frame;
                continue;
            }
            const slab *u = c->unit[at];
            lay_lerr(l, u->node, "%s in <columns> is taller than the page's frame (%.1fpt > %.1fpt)",
                     lay_block_name(l, u->node), u->h / 1000.0, frame / 1000.0);
            break;
        }
        slab *part = put_units(l, s->node, c->unit + at, k, col + at, y + at, c->colw, c->gap);
        if (!part)
            break;
        if (first) {
            part->brk = 1;
            last->next = part;
        } else {
            first = part;
        }
        last = part;
        at += k;
        limit = frame;
    }
    free(col); free(y);
    if (l->failed || !first)
        return NULL;
    first->before = s->before;
    first->brk = s->brk;
    if (s->marks) {
        /* The block's own id marks its top: before its units' marks. */
        mark *m = s->marks;
        while (m->next)
            m = m->next;
        m->next = first->marks;
        first->marks = s->marks;
        s->marks = NULL;
    }
    last->after = s->after;
    last->keep_next = s->keep_next;
    last->next = NULL;
    return first;
}
