/* Tables: column widths (fixed, percentage, proportional), cells holding
 * blocks, row and cell fills, rules, vertical and decimal alignment. */
#include <stdlib.h>
#include <string.h>
#include "layout.h"

typedef struct col { rg_mpt w; } col;

/* Width of a cell's text from its decimal point on (0 without one): cells
 * of a decimal column are indented by the difference so the points align. */
static rg_mpt decimal_tail(L *l, const rg_node *cell, const cs *s)
{
    char buf[128];
    size_t used = 0;
    buf[0] = 0;
    lay_text_start(cell->first, buf, sizeof buf, &used);
    while (used > 0 && buf[used - 1] == ' ')
        buf[--used] = 0;
    const char *dot = strrchr(buf, '.');
    if (!dot || s->face < 0)
        return 0;
    return lay_text_width(l, s, dot); /* kerned, as drawn */
}

/* The widest piece of a cell's content that no line may divide (its
 * min-content), with the cell's padding; *word names it. -1 after an error. */
static rg_mpt cell_min(L *l, const rg_node *c, const cs *cellstyle, rg_mpt w, const rg_mpt pad_def[4],
                       const char **word)
{
    rg_mpt pad[4];
    memcpy(pad, pad_def, 4 * sizeof pad[0]);
    lay_attr_box4(l, c, "padding", pad, 1);
    int probe = l->probe;
    rg_mpt pw = l->probe_w;
    const char *pword = l->probe_word;
    l->probe = 1;
    l->probe_w = 0;
    l->probe_word = NULL;
    slist inner = {0};
    lay_blocks(l, c, cellstyle, w - pad[1] - pad[3], &inner);
    rg_mpt m = l->probe_w + pad[1] + pad[3];
    *word = l->probe_word;
    l->probe = probe;
    if (!probe || pw >= l->probe_w) { /* a probe around this one keeps its widest */
        l->probe_w = probe ? pw : 0;
        l->probe_word = probe ? pword : NULL;
    }
    return l->failed ? -1 : m;
}

/* Gives every column at least its min-content, as CSS's automatic table
 * layout does: a proportional column narrower than its widest word takes
 * the width from the other proportional columns, which keep their shares
 * of what is left. A figure or word is never cut in a cell ("199|0"), so a
 * table whose columns cannot all have their words fails, naming the word.
 * 0, or -1 after a diagnostic. */
static int fit_columns(L *l, const rg_node *n, const cs *s, col *cols, int ncol, const int64_t *wsum,
                       int64_t weights, rg_mpt rest, const rg_mpt pad_def[4])
{
    rg_mpt min[64] = {0};
    const char *word[64] = {0};
    int short_of = 0;
    for (const rg_node *r = n->first; r && !l->failed; r = r->next) {
        if (!lay_is_el(r, "row"))
            continue;
        cs rs;
        lay_node_style(l, r, s, &rs, NULL);
        int ci = 0;
        for (const rg_node *c = r->first; c && ci < ncol && !l->failed; c = c->next) {
            if (!lay_is_el(c, "cell"))
                continue;
            const char *sp = rg_node_attr(c, "colspan");
            int span = sp && atoi(sp) > 0 ? atoi(sp) : 1;
            if (span == 1) {
                cs ccs;
                lay_node_style(l, c, &rs, &ccs, NULL);
                const char *wd = NULL;
                rg_mpt m = cell_min(l, c, &ccs, cols[ci].w, pad_def, &wd);
                if (m < 0)
                    return -1;
                if (m > min[ci]) {
                    min[ci] = m;
                    word[ci] = wd;
                }
            }
            ci += span;
        }
    }
    if (l->failed)
        return -1;
    for (int i = 0; i < ncol; i++) /* the column its share leaves shortest */
        if (cols[i].w < min[i] && word[i] &&
            (!short_of || min[i] - cols[i].w > min[short_of - 1] - cols[short_of - 1].w))
            short_of = i + 1;
    if (!short_of)
        return 0;
    /* Fixed and percentage widths are the author's: they do not give way. */
    for (int i = 0; i < ncol; i++)
        if (wsum[i] == 0 && cols[i].w < min[i] && word[i]) {
            lay_lerr(l, n, "table column %d is %.1fpt wide, too narrow for %s, which needs %.1fpt "
                     "(a word is never split in a cell)", i + 1, cols[i].w / 1000.0, word[i], min[i] / 1000.0);
            return -1;
        }
    /* Pin each proportional column that its share leaves short at its
     * minimum, and share the rest among the others, until none is short. */
    int pinned[64] = {0};
    rg_mpt left;
    int64_t wts;
    for (;;) {
        left = rest;
        wts = 0;
        for (int i = 0; i < ncol; i++)
            if (wsum[i] > 0) {
                if (pinned[i])
                    left -= min[i];
                else
                    wts += wsum[i];
            }
        int more = 0;
        for (int i = 0; i < ncol; i++)
            if (wsum[i] > 0 && !pinned[i] && (left > 0 ? (rg_mpt)(left * wsum[i] / wts) : 0) < min[i])
                pinned[i] = more = 1;
        if (!more)
            break;
    }
    if (left < 0) {
        rg_mpt need = 0, have = rest;
        for (int i = 0; i < ncol; i++) {
            need += wsum[i] > 0 ? min[i] : cols[i].w;
            have += wsum[i] > 0 ? 0 : cols[i].w;
        }
        int c = short_of - 1;
        lay_lerr(l, n, "table does not fit its width of %.1fpt without splitting a word: %s in column %d "
                 "needs %.1fpt, and the columns' narrowest widths add up to %.1fpt",
                 have / 1000.0, word[c], c + 1, min[c] / 1000.0, need / 1000.0);
        return -1;
    }
    for (int i = 0; i < ncol; i++)
        if (wsum[i] > 0)
            cols[i].w = pinned[i] ? min[i] : (rg_mpt)(left * wsum[i] / wts);
    if (wts == 0) /* every column at its minimum: the room left goes by weight */
        for (int i = 0; i < ncol; i++)
            if (wsum[i] > 0)
                cols[i].w += (rg_mpt)(left * wsum[i] / weights);
    return 0;
}

void lay_table(L *l, const rg_node *n, const cs *s, rg_mpt width, rg_style *blk, slist *out)
{
    col cols[64];
    int ncol = 0;
    int64_t weights = 0, wsum[64];
    rg_mpt fixed = 0;
    for (const rg_node *c = n->first; c; c = c->next) {
        if (!lay_is_el(c, "col"))
            continue;
        if (ncol == 64) {
            lay_lerr(l, c, "a table has at most 64 columns");
            return;
        }
        const char *wv = rg_node_attr(c, "width");
        size_t k = wv ? strlen(wv) : 0;
        wsum[ncol] = 0;
        cols[ncol].w = 0;
        if (!wv || (k >= 1 && wv[k - 1] == '*')) {
            rg_dec v = RG_DEC_ONE;
            char tmp[32];
            snprintf(tmp, sizeof tmp, "%.*s", (int)(k ? k - 1 : 0), wv ? wv : "");
            if (k > 1 && (rg_dec_parse(tmp, &v) != 0 || v <= 0))
                lay_lerr(l, c, "bad column width '%s'", wv);
            wsum[ncol] = v;
            weights += v;
        } else if (k > 1 && wv[k - 1] == '%') {
            rg_dec pc;
            char tmp[32];
            snprintf(tmp, sizeof tmp, "%.*s", (int)(k - 1), wv);
            if (rg_dec_parse(tmp, &pc) != 0 || pc <= 0)
                lay_lerr(l, c, "bad column width '%s'", wv);
            else
                cols[ncol].w = (rg_mpt)((int64_t)width * pc / (100 * RG_DEC_ONE));
            fixed += cols[ncol].w;
        } else {
            cols[ncol].w = lay_attr_len(l, c, "width", 0);
            fixed += cols[ncol].w;
        }
        ncol++;
    }
    if (ncol == 0) {
        lay_lerr(l, n, "table without <col>");
        return;
    }
    rg_mpt rest = width - fixed;
    if (rest < 0 || (rest > 0 && weights == 0 && rest > RG_PT(1) && 0)) {
        lay_lerr(l, n, "table columns are wider than the space for them (%.1fpt > %.1fpt)",
             fixed / 1000.0, width / 1000.0);
        return;
    }
    for (int i = 0; i < ncol; i++)
        if (wsum[i] > 0)
            cols[i].w = (rg_mpt)(rest * wsum[i] / weights);
    rg_mpt pad_def[4] = {RG_PT(3), RG_PT(4), RG_PT(3), RG_PT(4)};
    lay_attr_box4(l, n, "padding", pad_def, 1);
    if (fit_columns(l, n, s, cols, ncol, wsum, weights, rest, pad_def) != 0)
        return;
    rg_color rule = lay_attr_color(l, n, "rule");
    rg_mpt rule_w = lay_attr_len(l, n, "rule-width", RG_PT(0.5));
    rg_color header_fill = lay_attr_color(l, n, "header-fill");
    /* Decimal columns: the widest tail after the point, per column. */
    rg_mpt tail_max[64] = {0};
    for (const rg_node *r = n->first; r && !l->failed; r = r->next) {
        if (!lay_is_el(r, "row"))
            continue;
        cs rs0;
        lay_node_style(l, r, s, &rs0, NULL);
        int ci0 = 0;
        for (const rg_node *c = r->first; c && ci0 < ncol; c = c->next) {
            if (!lay_is_el(c, "cell"))
                continue;
            cs c0;
            lay_node_style(l, c, &rs0, &c0, NULL);
            if (c0.align == RG_ALIGN_DECIMAL) {
                rg_mpt tw = decimal_tail(l, c, &c0);
                if (tw > tail_max[ci0])
                    tail_max[ci0] = tw;
            }
            const char *sp0 = rg_node_attr(c, "colspan");
            ci0 += sp0 && atoi(sp0) > 0 ? atoi(sp0) : 1;
        }
    }
    int first_row = 1, nrows = 0, heads = 0;
    slab *thead = NULL;
    for (const rg_node *r = n->first; r; r = r->next) {
        if (!lay_is_el(r, "row"))
            continue;
        nrows++;
        const char *h = rg_node_attr(r, "header");
        heads += h && strcmp(h, "yes") == 0;
        for (const rg_node *c = r->first; c && !heads; c = c->next)
            heads += lay_is_el(c, "cell") && (h = rg_node_attr(c, "header")) && strcmp(h, "yes") == 0;
    }
    /* A table with a header row or header cells is data: Table > THead,
     * TBody > TR > TH, TD. One without is a grid for the eye (a
     * letterhead, a card's two columns): its cells' blocks read in order
     * as if there were none. */
    rg_snode *tnode = heads ? lay_snode(l, s, RG_S_TABLE) : NULL, *sect = NULL;
    cs ts = *s;
    ts.sn = tnode;
    ts.into = 0;
    if (nrows > RG_MAX_ROWS) {
        lay_lerr(l, n, "table has %d rows, over the limit of %d", nrows, RG_MAX_ROWS);
        return;
    }
    for (const rg_node *r = n->first; r && !l->failed; r = r->next) {
        if (r->kind == RG_N_TEXT && !lay_is_inline(r))
            continue;
        if (lay_is_el(r, "col"))
            continue;
        if (!lay_is_el(r, "row")) {
            lay_lerr(l, r, "<%s> cannot stand in a table; use <row>", r->kind == RG_N_TEXT ? "text" : r->name);
            return;
        }
        cs rs;
        rg_style rblk;
        lay_node_style(l, r, s, &rs, &rblk);
        const char *hv = rg_node_attr(r, "header");
        int header = hv && strcmp(hv, "yes") == 0;
        rg_snode *tr = NULL;
        if (tnode) {
            /* Header rows after the first body row stay in the body. */
            if (!sect || (sect->type == RG_S_THEAD && !header)) {
                ts.sn = tnode;
                sect = lay_snode(l, &ts, header ? RG_S_THEAD : RG_S_TBODY);
            }
            ts.sn = sect;
            tr = lay_snode(l, &ts, RG_S_TR);
        }
        slab *row = lay_slab_new(l, r);
        if (!row)
            return;
        struct { slab *content; rg_mpt x, w; const rg_node *cell; rg_mpt pad[4]; } cell[64];
        int nc = 0, ci = 0;
        rg_mpt rowh = 0;
        for (const rg_node *c = r->first; c && !l->failed; c = c->next) {
            if (c->kind == RG_N_TEXT && !lay_is_inline(c))
                continue;
            if (!lay_is_el(c, "cell")) {
                lay_lerr(l, c, "<%s> cannot stand in a row; use <cell>", c->kind == RG_N_TEXT ? "text" : c->name);
                return;
            }
            int span = 1;
            const char *sp = rg_node_attr(c, "colspan");
            if (sp)
                span = atoi(sp);
            if (span < 1 || ci + span > ncol) {
                lay_lerr(l, c, "row has more cells than the table has columns (%d)", ncol);
                return;
            }
            rg_mpt x = 0, w = 0;
            for (int k = 0; k < ci; k++)
                x += cols[k].w;
            for (int k = ci; k < ci + span; k++)
                w += cols[k].w;
            ci += span;
            cs ccs;
            rg_style cblk;
            lay_node_style(l, c, &rs, &ccs, &cblk);
            const char *ch = rg_node_attr(c, "header"), *ra = rg_node_attr(c, "read-as");
            int row_head = ch && strcmp(ch, "yes") == 0;
            if (ch && !row_head && strcmp(ch, "no") != 0) {
                lay_lerr(l, c, "cell header '%s' is not yes or no", ch);
                return;
            }
            if (tr) {
                ts.sn = tr;
                if ((ccs.sn = lay_snode(l, &ts, header || row_head ? RG_S_TH : RG_S_TD)) != NULL) {
                    ccs.sn->row_header = row_head && !header;
                    ccs.sn->colspan = span;
                    ccs.sn->actual = ra;
                }
                ccs.into = ra || lay_one_para(c);
            } else if (ra && (ccs.sn = lay_snode(l, &rs, RG_S_P)) != NULL) {
                /* A map's tile "CT" read as "Connecticut: F". */
                ccs.sn->actual = ra;
                ccs.into = 1;
            }
            memcpy(cell[nc].pad, pad_def, sizeof pad_def);
            lay_attr_box4(l, c, "padding", cell[nc].pad, 1);
            slist inner = {0};
            int last_col = ci - 1;
            l->decimal_pad = ccs.align == RG_ALIGN_DECIMAL ? tail_max[last_col] - decimal_tail(l, c, &ccs) : 0;
            l->in_cell++;
            lay_blocks(l, c, &ccs, w - cell[nc].pad[1] - cell[nc].pad[3], &inner);
            l->in_cell--;
            l->decimal_pad = 0;
            cell[nc].content = lay_stack(l, &inner, c);
            if (!cell[nc].content)
                return;
            int read = 0;
            for (const rg_prim *q = cell[nc].content->first; q && !read; q = q->next)
                read = q->node != NULL;
            if (tr && ccs.sn && !read) {
                /* A cell with nothing to read (empty, or a bar drawn as
                 * decoration) still has its element, so every row has its
                 * columns: an empty rectangle marks its (empty) content. */
                rg_prim *empty = lay_prim_new(l, RG_P_RECT);
                if (!empty)
                    return;
                empty->node = ccs.sn;
                lay_slab_add(cell[nc].content, empty);
            }
            cell[nc].x = x;
            cell[nc].w = w;
            cell[nc].cell = c;
            rg_mpt h = cell[nc].content->h + cell[nc].pad[0] + cell[nc].pad[2];
            rg_mpt minh = (rg_mpt)((int64_t)lay_attr_len(l, c, "min-height", 0) * l->scale / 1000);
            if (minh > h)
                h = minh;
            if (h > rowh)
                rowh = h;
            nc++;
        }
        rg_color rf = lay_attr_color(l, r, "fill");
        if (!rf.set && header)
            rf = header_fill;
        if (rf.set) {
            rg_prim *bg = lay_prim_new(l, RG_P_RECT);
            if (!bg)
                return;
            bg->w = width;
            bg->h = rowh;
            bg->fill = rf;
            lay_slab_add(row, bg);
        }
        for (int k = 0; k < nc; k++) {
            rg_color cf = lay_attr_color(l, cell[k].cell, "fill");
            if (cf.set) {
                rg_prim *bg = lay_prim_new(l, RG_P_RECT);
                if (!bg)
                    return;
                bg->x = cell[k].x;
                bg->w = cell[k].w;
                bg->h = rowh;
                bg->fill = cf;
                lay_slab_add(row, bg);
            }
            const char *va = rg_node_attr(cell[k].cell, "valign");
            rg_mpt ch = cell[k].content->h + cell[k].pad[0] + cell[k].pad[2], dy = 0;
            if (va && strcmp(va, "middle") == 0)
                dy = (rowh - ch) / 2;
            else if (va && strcmp(va, "bottom") == 0)
                dy = rowh - ch;
            lay_slab_append_prims(row, cell[k].content, cell[k].x + cell[k].pad[3], cell[k].pad[0] + dy);
        }
        rg_color rr = rule;
        const char *rv = rg_node_attr(r, "rule");
        if (rv)
            rr = lay_attr_color(l, r, "rule");
        if (rr.set) {
            rg_prim *ln = lay_prim_new(l, RG_P_LINE);
            if (!ln)
                return;
            ln->y = rowh;
            ln->w = width;
            ln->stroke = rr;
            ln->stroke_width = rule_w;
            lay_slab_add(row, ln);
        }
        row->h = rowh;
        if (first_row)
            row->before = blk->space_before;
        first_row = 0;
        if (header) {
            /* Header rows keep with the first body row and are copied
             * (before the paginator moves them) to repeat on later pages. */
            row->is_head = 1;
            row->keep_next = 1;
            slab *copy = lay_slab_clone(l, row);
            if (!copy)
                return;
            if (!thead && !(thead = lay_slab_new(l, r)))
                return;
            thead->is_head = 1;
            lay_slab_append_prims(thead, copy, 0, thead->h);
            thead->h += row->h;
        } else {
            row->thead = thead;
        }
        lay_slist_add(out, row);
    }
    if (out->last)
        out->last->after = blk->space_after;
}

