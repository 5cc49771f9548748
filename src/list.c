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
        lay_node_style(l, it, s, &ic, &iblk);
        if (ic.role != RG_ROLE_ARTIFACT)
            ic.role = RG_ROLE_LI;
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
            rg_prim *mp = lay_text_prim(l, mk, &ms, x, ft->y, RG_ROLE_ARTIFACT);
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
        ec.role = RG_ROLE_P;
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
            char *t = rg_arena_strndup(l->a, lt->text, lt->len);
            cs ts = ec;
            ts.face = lt->face;
            ts.size = lt->size;
            end = lt->x + (t ? lay_text_width(l, &ts, t) : 0);
        }
        rg_prim *np = lay_text_prim(l, numstr, &ec, width - ind - numw, base, RG_ROLE_P);
        if (!np)
            return;
        np->block = l->blocks; /* the entry's paragraph: title and number read as one */
        /* Dot leaders between the words and the number. */
        rg_mpt dotw = lay_text_width(l, &ec, ". ");
        rg_mpt from = end + (rg_mpt)((int64_t)ec.size / 2), to = width - ind - numw - (rg_mpt)((int64_t)ec.size / 2);
        if (dotw > 0 && to - from > dotw * 2) {
            /* Dots on a grid common to all entries, so they line up in columns. */
            rg_mpt start = ((from + ind + dotw - 1) / dotw) * dotw - ind;
            int nd = (int)((to - start) / dotw);
            if (nd < 1)
                nd = 1;
            char *dots = rg_arena_alloc(l->a, (size_t)nd * 2 + 1);
            if (!dots)
                return;
            for (int d = 0; d < nd; d++)
                memcpy(dots + d * 2, ". ", 2);
            dots[nd * 2 - 1] = 0;
            cs ds = ec;
            rg_prim *dp = lay_text_prim(l, dots, &ds, start, base, RG_ROLE_ARTIFACT);
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

/* Greedy fill of count columns no taller than target; the columns used. */
static int fill(slab **v, int n, rg_mpt target, int count, int *col, rg_mpt *y)
{
    int c = 0;
    rg_mpt h = 0;
    for (int i = 0; i < n; i++) {
        rg_mpt gap = h > 0 ? (v[i]->before > v[i - 1]->after ? v[i]->before : v[i - 1]->after) : 0;
        if (h > 0 && h + gap + v[i]->h > target) {
            c++;
            h = 0;
            gap = 0;
        }
        col[i] = c;
        y[i] = h + gap;
        h += gap + v[i]->h;
    }
    return c + 1 <= count ? c + 1 : -1;
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
    int nv = 0;
    for (slab *x = inner.first; x; x = x->next)
        nv++;
    slab *res = lay_slab_new(l, n);
    if (!res || l->failed)
        return;
    if (nv > 0) {
        slab **v = malloc((size_t)nv * sizeof *v);
        int *col = malloc((size_t)nv * sizeof *col);
        rg_mpt *y = malloc((size_t)nv * sizeof *y);
        if (!v || !col || !y) {
            free(v); free(col); free(y);
            lay_lerr(l, n, "out of memory");
            return;
        }
        int i = 0;
        rg_mpt total = 0, tallest = 0;
        for (slab *x = inner.first; x; x = x->next) {
            v[i++] = x;
            total += x->h + x->before;
            if (x->h > tallest)
                tallest = x->h;
        }
        /* The lowest column height that fits: balanced columns. */
        rg_mpt target = total / count > tallest ? total / count : tallest;
        while (fill(v, nv, target, count, col, y) < 0)
            target += RG_PT(1);
        rg_mpt h = 0;
        for (i = 0; i < nv; i++) {
            lay_slab_append_prims(res, v[i], col[i] * (colw + gap), y[i]);
            if (y[i] + v[i]->h > h)
                h = y[i] + v[i]->h;
        }
        res->h = h;
        free(v); free(col); free(y);
    }
    res->before = blk->space_before;
    res->after = blk->space_after;
    lay_slist_add(out, res);
}
