/* The layout engine: styles, paragraphs (line breaking with real metrics),
 * boxes, tables and pagination, from the layout document to a page list.
 *
 * Blocks become slabs: the smallest pieces the paginator may not split (a
 * line of a paragraph, a table row, a box). A container with a fixed width
 * (box, table cell, footer) stacks its slabs into one. Shrink-to-fit lays the
 * section out again at smaller sizes, so nothing is ever clipped. */
#include <linebreak.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "rg.h"

typedef struct cs {               /* computed, inherited text style */
    const char *family;
    int bold, italic;
    int face;
    rg_mpt size;
    int leading;                  /* per mille of size */
    rg_color color;
    int align;                    /* rg_align */
    int upper;
    rg_role role;
} cs;

typedef struct slab {
    rg_mpt h, before, after;
    rg_prim *first, *last;
    const rg_node *node;          /* the block it came from, for errors */
    int brk;                      /* page break before */
    int keep_next;
    struct slab *next;
} slab;

typedef struct slist { slab *first, *last; } slist;

typedef struct L {
    const rg_theme *t;
    rg_arena *a;
    const char *src;
    rg_diags *d;
    int scale;                    /* per mille, for shrink-to-fit */
    int page_no, page_count;
    int failed;
    int oom;
    rg_mpt decimal_pad;           /* extra right indent of a decimal-aligned cell */
} L;

/* ---- errors ----------------------------------------------------------- */

static int first_src_line(const rg_node *n)
{
    for (const rg_node *c = n->first; c; c = c->next) {
        if (c->kind != RG_N_ELEMENT)
            continue;
        const char *s = rg_node_attr(c, "src-line");
        if (s && atoi(s) > 0)
            return atoi(s);
        int l = first_src_line(c);
        if (l > 0)
            return l;
    }
    return 0;
}

/* The data file's line for a block: its own, else its first descendant's
 * (a table row), else its nearest ancestor's. */
static int src_line(const rg_node *n)
{
    const char *own = n ? rg_node_attr(n, "src-line") : NULL;
    if (own && atoi(own) > 0)
        return atoi(own);
    int down = n ? first_src_line(n) : 0;
    if (down > 0)
        return down;
    for (; n; n = n->parent) {
        const char *s = rg_node_attr(n, "src-line");
        if (s && atoi(s) > 0)
            return atoi(s);
    }
    return 1;
}

static void lerr(L *l, const rg_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void lerr(L *l, const rg_node *n, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!l->failed)
        rg_diag_add(l->d, RG_SEV_ERROR, l->src, src_line(n), 1, "%s", msg);
    l->failed = 1;
}

static void *alloc(L *l, size_t n)
{
    void *p = rg_arena_alloc(l->a, n);
    if (!p && !l->oom) {
        l->oom = 1;
        l->failed = 1;
        rg_diag_add(l->d, RG_SEV_ERROR, "", 0, 0, "out of memory");
    }
    return p;
}

static int is_el(const rg_node *n, const char *name)
{
    return n->kind == RG_N_ELEMENT && strcmp(n->name, name) == 0;
}

/* The first words of a block's text, to name it in a message. */
static void text_start(const rg_node *n, char *buf, size_t size, size_t *used)
{
    for (; n && *used + 1 < size; n = n->next) {
        /* Blocks and cells are separate words. */
        if (n->kind == RG_N_ELEMENT && *used > 0 && buf[*used - 1] != ' ' &&
            (strcmp(n->name, "cell") == 0 || strcmp(n->name, "p") == 0 || strcmp(n->name, "h") == 0))
            buf[(*used)++] = ' ';
        if (n->kind == RG_N_TEXT) {
            for (const char *s = n->text; *s && *used + 1 < size; s++) {
                char c = (*s == '\n' || *s == '\t' || *s == '\r') ? ' ' : *s;
                if (c == ' ' && (*used == 0 || buf[*used - 1] == ' '))
                    continue;
                buf[(*used)++] = c;
            }
        } else {
            text_start(n->first, buf, size, used);
        }
    }
    buf[*used] = 0;
}

static const char *block_name(L *l, const rg_node *n)
{
    char buf[64];
    size_t used = 0;
    buf[0] = 0;
    text_start(n->first, buf, 44, &used);
    if (used >= 43) {
        /* do not cut a UTF-8 sequence */
        while (used > 0 && ((unsigned char)buf[used - 1] & 0xC0) == 0x80)
            used--;
        if (used > 0 && ((unsigned char)buf[used - 1] & 0xC0) == 0xC0)
            used--;
        strcpy(buf + used, "...");
    }
    char *r = rg_arena_printf(l->a, "<%s> '%s'", n->name, buf);
    return r ? r : "a block";
}

/* ---- styles ----------------------------------------------------------- */

static const char *NON_STYLE[] = {"style", "src-line", "href", "name", "level", "width", "height",
    "fill", "stroke", "stroke-width", "radius", "padding", "min-height", "valign", "rule",
    "rule-width", "header-fill", "header", "colspan", "page-style", "max-pages", "break-before",
    "title", "author", "subject", "keywords", "lang", "created", "theme", "size-page", "margin",
    "gap", "keep-with-next", NULL};

static int non_style(const char *name)
{
    for (int i = 0; NON_STYLE[i]; i++)
        if (strcmp(NON_STYLE[i], name) == 0)
            return 1;
    return 0;
}

static void apply_style(L *l, cs *c, const rg_style *st)
{
    if (st->family) c->family = st->family;
    if (st->bold >= 0) c->bold = st->bold;
    if (st->italic >= 0) c->italic = st->italic;
    if (st->size > 0) c->size = (rg_mpt)((int64_t)st->size * l->scale / 1000);
    if (st->leading > 0) c->leading = st->leading;
    if (st->color.set) c->color = st->color;
    if (st->align > 0) c->align = st->align - 1;
    if (st->letter_case) c->upper = st->letter_case == 2;
}

/* Computes n's style from its parent's; block spacing goes to *blk. */
static void node_style(L *l, const rg_node *n, const cs *parent, cs *out, rg_style *blk)
{
    *out = *parent;
    rg_style st;
    rg_style_init(&st);
    const char *sn = rg_node_attr(n, "style");
    if (sn) {
        const rg_style *named = rg_theme_style(l->t, sn);
        if (named)
            st = *named;
        else
            lerr(l, n, "unknown style '%s' in theme '%s'", sn, l->t->name);
    }
    for (const rg_attr *a = n->attr; a; a = a->next) {
        if (non_style(a->name) || (strcmp(a->name, "size") == 0 && is_el(n, "page-style")))
            continue;
        int r = rg_style_set(&st, l->t, a->name, a->value);
        if (r < 0)
            lerr(l, n, "bad value '%s' for %s on <%s>", a->value, a->name, n->name);
        else if (r > 0)
            lerr(l, n, "unknown attribute '%s' on <%s>", a->name, n->name);
    }
    apply_style(l, out, &st);
    out->face = rg_theme_face(l->t, out->family, out->bold, out->italic);
    if (blk) {
        blk->space_before = st.space_before < 0 ? 0 : (rg_mpt)((int64_t)st.space_before * l->scale / 1000);
        blk->space_after = st.space_after < 0 ? 0 : (rg_mpt)((int64_t)st.space_after * l->scale / 1000);
    }
}

static rg_mpt attr_len(L *l, const rg_node *n, const char *name, rg_mpt def)
{
    const char *v = rg_node_attr(n, name);
    rg_mpt m;
    if (!v)
        return def;
    if (rg_length_parse(v, &m) != 0) {
        lerr(l, n, "bad length '%s' for %s on <%s>", v, name, n->name);
        return def;
    }
    return m;
}

static rg_color attr_color(L *l, const rg_node *n, const char *name)
{
    const char *v = rg_node_attr(n, name);
    rg_color c = {0, 0, 0, 0};
    if (v && rg_color_parse(l->t, v, &c) != 0)
        lerr(l, n, "unknown colour '%s' for %s on <%s>", v, name, n->name);
    return c;
}

/* "6pt" or "4pt 8pt" ... in CSS order: top right bottom left. */
static void attr_box4(L *l, const rg_node *n, const char *name, rg_mpt out[4], int scaled)
{
    const char *v = rg_node_attr(n, name);
    if (!v)
        return;
    rg_mpt m[4];
    int k = 0;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", v);
    for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        if (k == 4 || rg_length_parse(tok, &m[k]) != 0 || m[k] < 0) {
            lerr(l, n, "bad %s '%s' on <%s>", name, v, n->name);
            return;
        }
        k++;
    }
    if (k == 0) return;
    if (k == 1) m[1] = m[2] = m[3] = m[0];
    if (k == 2) m[2] = m[0], m[3] = m[1];
    if (k == 3) m[3] = m[1];
    for (int i = 0; i < 4; i++)
        out[i] = scaled ? (rg_mpt)((int64_t)m[i] * l->scale / 1000) : m[i];
}

/* ---- primitives and slabs --------------------------------------------- */

static rg_prim *prim_new(L *l, rg_prim_kind kind)
{
    rg_prim *p = alloc(l, sizeof *p);
    if (p) {
        p->kind = kind;
        p->face = -1;
    }
    return p;
}

static void slab_add(slab *s, rg_prim *p)
{
    if (!p)
        return;
    p->next = NULL;
    if (s->last)
        s->last->next = p;
    else
        s->first = p;
    s->last = p;
}

static void prims_move(rg_prim *p, rg_mpt dx, rg_mpt dy)
{
    for (; p; p = p->next) {
        p->x += dx;
        p->y += dy;
    }
}

static void slab_append_prims(slab *dst, slab *src, rg_mpt dx, rg_mpt dy)
{
    if (!src->first)
        return;
    prims_move(src->first, dx, dy);
    if (dst->last)
        dst->last->next = src->first;
    else
        dst->first = src->first;
    dst->last = src->last;
    src->first = src->last = NULL;
}

static slab *slab_new(L *l, const rg_node *n)
{
    slab *s = alloc(l, sizeof *s);
    if (s)
        s->node = n;
    return s;
}

static void slist_add(slist *sl, slab *s)
{
    if (!s)
        return;
    if (sl->last)
        sl->last->next = s;
    else
        sl->first = s;
    sl->last = s;
}

/* Stacks slabs into one: the first slab's space before and the last one's
 * space after are dropped (a container's padding takes their place). */
static slab *stack(L *l, slist *sl, const rg_node *n)
{
    slab *out = slab_new(l, n);
    if (!out)
        return NULL;
    rg_mpt y = 0, prev_after = 0;
    int first = 1;
    for (slab *s = sl->first; s; s = s->next) {
        rg_mpt gap = first ? 0 : (prev_after > s->before ? prev_after : s->before);
        slab_append_prims(out, s, 0, y + gap);
        y += gap + s->h;
        prev_after = s->after;
        first = 0;
    }
    out->h = y;
    return out;
}

/* ---- paragraphs ------------------------------------------------------- */

typedef struct run { cs s; const char *href; } run;

typedef struct para {
    char *buf;
    size_t len, cap;
    int *runidx;                  /* per byte */
    run *runs;
    int nruns, rcap;
    int cur;                      /* current run */
} para;

static int para_reserve(para *p, size_t extra)
{
    if (p->len + extra + 1 <= p->cap)
        return 0;
    size_t cap = p->cap ? p->cap : 256;
    while (cap < p->len + extra + 1)
        cap *= 2;
    char *b = rg_fail_now() ? NULL : realloc(p->buf, cap);
    if (!b)
        return -1;
    p->buf = b;
    int *r = rg_fail_now() ? NULL : realloc(p->runidx, cap * sizeof *r);
    if (!r)
        return -1;
    p->runidx = r;
    p->cap = cap;
    return 0;
}

/* Field by field: memcmp would read the struct's padding. */
static int cs_same(const cs *a, const cs *b)
{
    return a->face == b->face && a->size == b->size && a->leading == b->leading &&
           a->color.r == b->color.r && a->color.g == b->color.g && a->color.b == b->color.b &&
           a->color.set == b->color.set && a->align == b->align && a->upper == b->upper &&
           a->role == b->role;
}

static int para_run(para *p, const cs *s, const char *href)
{
    if (p->nruns > 0 && p->runs[p->nruns - 1].href == href && cs_same(&p->runs[p->nruns - 1].s, s)) {
        p->cur = p->nruns - 1;
        return 0;
    }
    if (p->nruns == p->rcap) {
        int cap = p->rcap ? p->rcap * 2 : 8;
        run *r = rg_fail_now() ? NULL : realloc(p->runs, (size_t)cap * sizeof *r);
        if (!r)
            return -1;
        p->runs = r;
        p->rcap = cap;
    }
    p->runs[p->nruns] = (run){*s, href};
    p->cur = p->nruns++;
    return 0;
}

static int para_put(para *p, const char *s, size_t n)
{
    if (para_reserve(p, n) != 0)
        return -1;
    memcpy(p->buf + p->len, s, n);
    for (size_t i = 0; i < n; i++)
        p->runidx[p->len + i] = p->cur;
    p->len += n;
    return 0;
}

/* Appends text with XML white space collapsed, upper-cased when asked. */
static int para_text(para *p, const char *s, int upper)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            if (p->len == 0 || p->buf[p->len - 1] == ' ' || p->buf[p->len - 1] == '\n')
                continue;
            if (para_put(p, " ", 1) != 0)
                return -1;
            continue;
        }
        char ch[2] = {(char)c, 0};
        if (upper && c >= 'a' && c <= 'z') {
            ch[0] = (char)(c - 32);
        } else if (upper && c == 0xC3 && s[1] && (unsigned char)s[1] >= 0xA0 &&
                   (unsigned char)s[1] <= 0xBE && (unsigned char)s[1] != 0xB7) {
            ch[1] = (char)((unsigned char)s[1] - 0x20); /* Latin-1 lower to upper */
            if (para_put(p, ch, 2) != 0)
                return -1;
            s++;
            continue;
        }
        if (para_put(p, ch, 1) != 0)
            return -1;
    }
    return 0;
}

static void para_inline(L *l, para *p, const rg_node *n, const cs *s, const char *href)
{
    for (const rg_node *c = n->first; c && !l->failed; c = c->next) {
        if (c->kind == RG_N_TEXT) {
            if (para_run(p, s, href) != 0 || para_text(p, c->text, s->upper) != 0)
                l->failed = l->oom = 1;
            continue;
        }
        cs cc;
        node_style(l, c, s, &cc, NULL);
        if (is_el(c, "b")) {
            cc.bold = 1;
            cc.face = rg_theme_face(l->t, cc.family, cc.bold, cc.italic);
            para_inline(l, p, c, &cc, href);
        } else if (is_el(c, "i")) {
            cc.italic = 1;
            cc.face = rg_theme_face(l->t, cc.family, cc.bold, cc.italic);
            para_inline(l, p, c, &cc, href);
        } else if (is_el(c, "span")) {
            para_inline(l, p, c, &cc, href);
        } else if (is_el(c, "a")) {
            const char *h = rg_node_attr(c, "href");
            if (!h || !*h)
                lerr(l, c, "link without href");
            para_inline(l, p, c, &cc, h);
        } else if (is_el(c, "br")) {
            if (p->len > 0 && p->buf[p->len - 1] == ' ')
                p->len--;
            if (para_run(p, s, href) != 0 || para_put(p, "\n", 1) != 0)
                l->failed = l->oom = 1;
        } else if (is_el(c, "page-number") || is_el(c, "page-count") || is_el(c, "var")) {
            char num[32];
            const char *txt = num;
            if (is_el(c, "var")) {
                const char *name = rg_node_attr(c, "name");
                txt = name ? rg_theme_text(l->t, name) : NULL;
                if (!txt) {
                    lerr(l, c, "theme '%s' has no text '%s'", l->t->name, name ? name : "");
                    continue;
                }
            } else {
                snprintf(num, sizeof num, "%d", is_el(c, "page-number") ? l->page_no : l->page_count);
            }
            if (para_run(p, &cc, href) != 0 || para_text(p, txt, cc.upper) != 0)
                l->failed = l->oom = 1;
        } else {
            lerr(l, c, "<%s> cannot stand inside a paragraph", c->name);
        }
    }
}

static void para_free(para *p)
{
    free(p->buf);
    free(p->runidx);
    free(p->runs);
}

typedef struct line {
    size_t start, end;            /* bytes, trailing spaces excluded */
    rg_mpt width;
    int last;                     /* ends the paragraph or a forced break */
} line;

static rg_mpt adv(const L *l, const cs *s, uint32_t cp)
{
    const rg_font *f = l->t->face[s->face].font;
    return (rg_mpt)((int64_t)rg_font_advance(f, cp) * s->size / 1000);
}

/* Lays out one paragraph at width; returns its lines as slabs. */
static void layout_para(L *l, const rg_node *n, const cs *s, rg_style *blk, rg_mpt width,
                        rg_mpt right_pad, slist *out)
{
    para p = {0};
    rg_mpt *w = NULL;
    char *brk = NULL;
    line *lines = NULL;
    size_t nlines = 0, lcap = 0;
    para_inline(l, &p, n, s, NULL);
    if (l->failed)
        goto done;
    while (p.len > 0 && p.buf[p.len - 1] == ' ')
        p.len--;
    if (p.len == 0) {
        /* An empty paragraph still takes its spacing, as a word processor does. */
        slab *e = slab_new(l, n);
        if (e) {
            e->before = blk->space_before;
            e->after = blk->space_after;
        }
        slist_add(out, e);
        goto done;
    }
    if (para_reserve(&p, 1) != 0)
        goto oom;
    p.buf[p.len] = 0;
    w = rg_fail_now() ? NULL : calloc(p.len, sizeof *w);
    brk = rg_fail_now() ? NULL : malloc(p.len);
    if (!w || !brk)
        goto oom;
    /* Widths per character (at its first byte), and glyph checks. */
    for (size_t i = 0; i < p.len;) {
        int len;
        int32_t cp = rg_utf8_decode(p.buf + i, p.len - i, &len);
        const cs *rs = &p.runs[p.runidx[i]].s;
        if (cp < 0) {
            lerr(l, n, "invalid UTF-8 in text");
            goto done;
        }
        if (rs->face < 0) {
            lerr(l, n, "theme '%s' has no font", l->t->name);
            goto done;
        }
        if (cp > 0xFFFF) {
            /* libharu's UTF-8 path turns these into spaces: refuse, do not lose them. */
            lerr(l, n, "character U+%04X '%.*s' is outside the Basic Multilingual Plane, which the PDF "
                 "writer cannot embed", (unsigned)cp, len, p.buf + i);
            goto done;
        }
        if (cp != '\n') {
            if (rg_font_glyph(l->t->face[rs->face].font, (uint32_t)cp) == 0) {
                lerr(l, n, "character U+%04X '%.*s' is not in font %s", (unsigned)cp, len, p.buf + i,
                     rg_font_psname(l->t->face[rs->face].font));
                goto done;
            }
            w[i] = adv(l, rs, (uint32_t)cp);
        }
        i += (size_t)len;
    }
    set_linebreaks_utf8((const utf8_t *)p.buf, p.len, "en", brk);
    for (size_t i = 0; i + 1 < p.len; i++) {
        /* Breaking "Victim-Centered" at its hyphen makes text extraction
         * rejoin it as one word: break there only when a word must split. */
        if (brk[i] == LINEBREAK_ALLOWBREAK && p.buf[i] == '-' &&
            ((p.buf[i + 1] >= 'a' && p.buf[i + 1] <= 'z') || (p.buf[i + 1] >= 'A' && p.buf[i + 1] <= 'Z')))
            brk[i] = LINEBREAK_NOBREAK;
    }
    brk[p.len - 1] = LINEBREAK_MUSTBREAK;
    rg_mpt avail = width - right_pad;
    if (avail < RG_PT(1))
        avail = RG_PT(1);
    size_t ls = 0;            /* current line's start */
    rg_mpt cur = 0;           /* width so far, with trailing spaces */
    size_t seg = 0;
    int empty = 1;
    size_t line_end = 0;      /* end of last placed content (no spaces) */
    while (seg < p.len) {
        size_t e = seg;
        while (e < p.len && brk[e] != LINEBREAK_ALLOWBREAK && brk[e] != LINEBREAK_MUSTBREAK)
            e++;
        e++; /* segment is [seg, e) */
        size_t ce = e;
        while (ce > seg && (p.buf[ce - 1] == ' ' || p.buf[ce - 1] == '\n'))
            ce--;
        rg_mpt sw = 0, tw = 0;
        for (size_t i = seg; i < ce; i++)
            sw += w[i];
        for (size_t i = ce; i < e; i++)
            tw += w[i];
        if (!empty && cur + sw > avail) {
            if (nlines == lcap) {
                lcap = lcap ? lcap * 2 : 16;
                line *nl = rg_fail_now() ? NULL : realloc(lines, lcap * sizeof *nl);
                if (!nl)
                    goto oom;
                lines = nl;
            }
            rg_mpt lw = 0;
            for (size_t i = ls; i < line_end; i++)
                lw += w[i];
            lines[nlines++] = (line){ls, line_end, lw, 0};
            ls = seg;
            cur = 0;
            empty = 1;
        }
        if (empty && sw > avail) {
            /* A word wider than the line: split it between characters. */
            size_t i = seg;
            rg_mpt acc = 0;
            size_t cut = seg;
            while (i < ce) {
                int len;
                rg_utf8_decode(p.buf + i, p.len - i, &len);
                if (acc + w[i] > avail && cut > seg)
                    break;
                acc += w[i];
                i += (size_t)len;
                cut = i;
            }
            if (cut < ce) {
                if (nlines == lcap) {
                    lcap = lcap ? lcap * 2 : 16;
                    line *nl = rg_fail_now() ? NULL : realloc(lines, lcap * sizeof *nl);
                    if (!nl)
                        goto oom;
                    lines = nl;
                }
                lines[nlines++] = (line){seg, cut, acc, 0};
                seg = cut;
                ls = cut;
                continue;
            }
        }
        cur += sw + tw;
        line_end = ce;
        empty = 0;
        if (brk[e - 1] == LINEBREAK_MUSTBREAK) {
            if (nlines == lcap) {
                lcap = lcap ? lcap * 2 : 16;
                line *nl = rg_fail_now() ? NULL : realloc(lines, lcap * sizeof *nl);
                if (!nl)
                    goto oom;
                lines = nl;
            }
            rg_mpt lw = 0;
            for (size_t i = ls; i < line_end; i++)
                lw += w[i];
            lines[nlines++] = (line){ls, line_end, lw, 1};
            ls = e;
            cur = 0;
            empty = 1;
        }
        seg = e;
    }
    /* Lines to slabs. */
    for (size_t li = 0; li < nlines && !l->failed; li++) {
        line *ln = &lines[li];
        slab *sl = slab_new(l, n);
        if (!sl)
            goto done;
        rg_mpt above = 0, below = 0;
        for (size_t i = ln->start; i < (ln->end > ln->start ? ln->end : ln->start + 1) && i < p.len; i++) {
            const cs *rs = &p.runs[p.runidx[i]].s;
            const rg_font *f = l->t->face[rs->face].font;
            rg_mpt A = (rg_mpt)((int64_t)rg_font_ascent(f) * rs->size / 1000);
            rg_mpt D = (rg_mpt)((int64_t)-rg_font_descent(f) * rs->size / 1000);
            rg_mpt LH = (rg_mpt)((int64_t)rs->size * (rs->leading ? rs->leading : 1200) / 1000);
            rg_mpt half = (LH - (A + D)) / 2;
            if (half + A > above) above = half + A;
            if (half + D > below) below = half + D;
        }
        sl->h = above + below;
        if (li == 0)
            sl->before = blk->space_before;
        if (li + 1 == nlines)
            sl->after = blk->space_after;
        rg_mpt slack = avail - ln->width;
        int align = s->align;
        rg_mpt x = 0, extra = 0;
        int spaces = 0;
        for (size_t i = ln->start; i < ln->end; i++)
            spaces += p.buf[i] == ' ';
        if (align == RG_ALIGN_RIGHT)
            x = slack;
        else if (align == RG_ALIGN_DECIMAL)
            x = slack - l->decimal_pad;
        else if (align == RG_ALIGN_CENTER)
            x = slack / 2;
        int justify = align == RG_ALIGN_JUSTIFY && !ln->last && spaces > 0 && slack > 0;
        /* Fragments: a run of one style (and, when justifying, one word). */
        size_t i = ln->start;
        rg_prim *lastlink = NULL;
        while (i < ln->end) {
            if (p.buf[i] == ' ' && justify) {
                /* Spread the slack so the sum is exact: the k-th space gets
                 * slack*k/n - slack*(k-1)/n. */
                extra++;
                x += w[i] + (rg_mpt)((int64_t)slack * extra / spaces - (int64_t)slack * (extra - 1) / spaces);
                i++;
                continue;
            }
            int r = p.runidx[i];
            size_t j = i;
            rg_mpt fw = 0;
            while (j < ln->end && p.runidx[j] == r && !(justify && p.buf[j] == ' ')) {
                fw += w[j];
                j++;
            }
            size_t te = j;
            while (te > i && p.buf[te - 1] == ' ')
                te--;
            rg_mpt tw = 0;
            for (size_t k = i; k < te; k++)
                tw += w[k];
            const run *ru = &p.runs[r];
            if (te > i) {
                rg_prim *t = prim_new(l, RG_P_TEXT);
                if (!t)
                    goto done;
                t->x = x;
                t->y = above;
                t->face = ru->s.face;
                t->size = ru->s.size;
                t->fill = ru->s.color;
                t->role = ru->s.role;
                t->text = rg_arena_strndup(l->a, p.buf + i, te - i);
                t->len = te - i;
                if (!t->text) {
                    l->failed = l->oom = 1;
                    goto done;
                }
                slab_add(sl, t);
                if (ru->href) {
                    const rg_font *f = l->t->face[ru->s.face].font;
                    rg_mpt A = (rg_mpt)((int64_t)rg_font_ascent(f) * ru->s.size / 1000);
                    rg_mpt D = (rg_mpt)((int64_t)-rg_font_descent(f) * ru->s.size / 1000);
                    if (lastlink && lastlink->uri == ru->href && lastlink->x + lastlink->w <= x + 1) {
                        lastlink->w = x + tw - lastlink->x;
                    } else {
                        rg_prim *k = prim_new(l, RG_P_LINK);
                        if (!k)
                            goto done;
                        k->x = x;
                        k->y = above - A;
                        k->w = tw;
                        k->h = A + D;
                        k->uri = ru->href;
                        slab_add(sl, k);
                        lastlink = k;
                    }
                }
            }
            x += fw;
            i = j;
        }
        slist_add(out, sl);
    }
    goto done;
oom:
    if (!l->oom)
        rg_diag_add(l->d, RG_SEV_ERROR, "", 0, 0, "out of memory");
    l->failed = l->oom = 1;
done:
    free(w);
    free(brk);
    free(lines);
    para_free(&p);
}

/* ---- blocks ----------------------------------------------------------- */

static void layout_blocks(L *l, const rg_node *parent, const cs *s, rg_mpt width, slist *out);

static int is_inline(const rg_node *n)
{
    static const char *names[] = {"b", "i", "span", "a", "br", "page-number", "page-count", "var", NULL};
    if (n->kind == RG_N_TEXT) {
        for (const char *t = n->text; *t; t++)
            if (!(*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r'))
                return 1;
        return 0;
    }
    for (int i = 0; names[i]; i++)
        if (strcmp(n->name, names[i]) == 0)
            return 1;
    return 0;
}

static slab *layout_box(L *l, const rg_node *n, const cs *s, rg_mpt width, rg_style *blk)
{
    rg_mpt pad[4] = {0, 0, 0, 0};
    attr_box4(l, n, "padding", pad, 1);
    rg_mpt bw = width;
    const char *wv = rg_node_attr(n, "width");
    if (wv) {
        size_t k = strlen(wv);
        if (k > 1 && wv[k - 1] == '%') {
            rg_dec pc;
            char tmp[32];
            snprintf(tmp, sizeof tmp, "%.*s", (int)(k - 1), wv);
            if (rg_dec_parse(tmp, &pc) != 0 || pc <= 0 || pc > 100 * RG_DEC_ONE)
                lerr(l, n, "bad width '%s' on <box>", wv);
            else
                bw = (rg_mpt)((int64_t)width * pc / (100 * RG_DEC_ONE));
        } else {
            bw = attr_len(l, n, "width", width);
        }
    }
    slist inner = {0};
    layout_blocks(l, n, s, bw - pad[1] - pad[3], &inner);
    slab *content = stack(l, &inner, n);
    slab *b = slab_new(l, n);
    if (!content || !b)
        return NULL;
    rg_mpt h = content->h + pad[0] + pad[2];
    rg_mpt minh = (rg_mpt)((int64_t)attr_len(l, n, "min-height", 0) * l->scale / 1000);
    rg_mpt dy = 0;
    if (minh > h) {
        const char *va = rg_node_attr(n, "valign");
        if (va && strcmp(va, "middle") == 0)
            dy = (minh - h) / 2;
        else if (va && strcmp(va, "bottom") == 0)
            dy = minh - h;
        h = minh;
    }
    rg_color fill = attr_color(l, n, "fill"), stroke = attr_color(l, n, "stroke");
    if (fill.set || stroke.set) {
        rg_prim *r = prim_new(l, RG_P_RECT);
        if (!r)
            return NULL;
        r->w = bw;
        r->h = h;
        r->fill = fill;
        r->stroke = stroke;
        r->stroke_width = attr_len(l, n, "stroke-width", RG_PT(1));
        r->radius = attr_len(l, n, "radius", 0);
        slab_add(b, r);
    }
    slab_append_prims(b, content, pad[3], pad[0] + dy);
    b->h = h;
    b->before = blk->space_before;
    b->after = blk->space_after;
    return b;
}

typedef struct col { rg_mpt w; } col;

/* Width of a cell's text from its decimal point on (0 without one): cells
 * of a decimal column are indented by the difference so the points align. */
static rg_mpt decimal_tail(L *l, const rg_node *cell, const cs *s)
{
    char buf[128];
    size_t used = 0;
    buf[0] = 0;
    text_start(cell->first, buf, sizeof buf, &used);
    while (used > 0 && buf[used - 1] == ' ')
        buf[--used] = 0;
    const char *dot = strrchr(buf, '.');
    if (!dot || s->face < 0)
        return 0;
    rg_mpt w = 0;
    for (const char *q = dot; *q;) {
        int len;
        int32_t cp = rg_utf8_decode(q, strlen(q), &len);
        if (cp > 0)
            w += adv(l, s, (uint32_t)cp);
        q += len;
    }
    return w;
}

static void layout_table(L *l, const rg_node *n, const cs *s, rg_mpt width, rg_style *blk, slist *out)
{
    col cols[64];
    int ncol = 0;
    int64_t weights = 0, wsum[64];
    rg_mpt fixed = 0;
    for (const rg_node *c = n->first; c; c = c->next) {
        if (!is_el(c, "col"))
            continue;
        if (ncol == 64) {
            lerr(l, c, "a table has at most 64 columns");
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
                lerr(l, c, "bad column width '%s'", wv);
            wsum[ncol] = v;
            weights += v;
        } else if (k > 1 && wv[k - 1] == '%') {
            rg_dec pc;
            char tmp[32];
            snprintf(tmp, sizeof tmp, "%.*s", (int)(k - 1), wv);
            if (rg_dec_parse(tmp, &pc) != 0 || pc <= 0)
                lerr(l, c, "bad column width '%s'", wv);
            else
                cols[ncol].w = (rg_mpt)((int64_t)width * pc / (100 * RG_DEC_ONE));
            fixed += cols[ncol].w;
        } else {
            cols[ncol].w = attr_len(l, c, "width", 0);
            fixed += cols[ncol].w;
        }
        ncol++;
    }
    if (ncol == 0) {
        lerr(l, n, "table without <col>");
        return;
    }
    rg_mpt rest = width - fixed;
    if (rest < 0 || (rest > 0 && weights == 0 && rest > RG_PT(1) && 0)) {
        lerr(l, n, "table columns are wider than the space for them (%.1fpt > %.1fpt)",
             fixed / 1000.0, width / 1000.0);
        return;
    }
    for (int i = 0; i < ncol; i++)
        if (wsum[i] > 0)
            cols[i].w = (rg_mpt)(rest * wsum[i] / weights);
    rg_mpt pad_def[4] = {RG_PT(3), RG_PT(4), RG_PT(3), RG_PT(4)};
    attr_box4(l, n, "padding", pad_def, 1);
    rg_color rule = attr_color(l, n, "rule");
    rg_mpt rule_w = attr_len(l, n, "rule-width", RG_PT(0.5));
    rg_color header_fill = attr_color(l, n, "header-fill");
    /* Decimal columns: the widest tail after the point, per column. */
    rg_mpt tail_max[64] = {0};
    for (const rg_node *r = n->first; r && !l->failed; r = r->next) {
        if (!is_el(r, "row"))
            continue;
        cs rs0;
        node_style(l, r, s, &rs0, NULL);
        int ci0 = 0;
        for (const rg_node *c = r->first; c && ci0 < ncol; c = c->next) {
            if (!is_el(c, "cell"))
                continue;
            cs c0;
            node_style(l, c, &rs0, &c0, NULL);
            if (c0.align == RG_ALIGN_DECIMAL) {
                rg_mpt tw = decimal_tail(l, c, &c0);
                if (tw > tail_max[ci0])
                    tail_max[ci0] = tw;
            }
            const char *sp0 = rg_node_attr(c, "colspan");
            ci0 += sp0 && atoi(sp0) > 0 ? atoi(sp0) : 1;
        }
    }
    int first_row = 1;
    for (const rg_node *r = n->first; r && !l->failed; r = r->next) {
        if (r->kind == RG_N_TEXT && !is_inline(r))
            continue;
        if (is_el(r, "col"))
            continue;
        if (!is_el(r, "row")) {
            lerr(l, r, "<%s> cannot stand in a table; use <row>", r->kind == RG_N_TEXT ? "text" : r->name);
            return;
        }
        cs rs;
        rg_style rblk;
        node_style(l, r, s, &rs, &rblk);
        const char *hv = rg_node_attr(r, "header");
        int header = hv && strcmp(hv, "yes") == 0;
        rs.role = header ? RG_ROLE_TH : RG_ROLE_TD;
        slab *row = slab_new(l, r);
        if (!row)
            return;
        struct { slab *content; rg_mpt x, w; const rg_node *cell; rg_mpt pad[4]; } cell[64];
        int nc = 0, ci = 0;
        rg_mpt rowh = 0;
        for (const rg_node *c = r->first; c && !l->failed; c = c->next) {
            if (c->kind == RG_N_TEXT && !is_inline(c))
                continue;
            if (!is_el(c, "cell")) {
                lerr(l, c, "<%s> cannot stand in a row; use <cell>", c->kind == RG_N_TEXT ? "text" : c->name);
                return;
            }
            int span = 1;
            const char *sp = rg_node_attr(c, "colspan");
            if (sp)
                span = atoi(sp);
            if (span < 1 || ci + span > ncol) {
                lerr(l, c, "row has more cells than the table has columns (%d)", ncol);
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
            node_style(l, c, &rs, &ccs, &cblk);
            memcpy(cell[nc].pad, pad_def, sizeof pad_def);
            attr_box4(l, c, "padding", cell[nc].pad, 1);
            slist inner = {0};
            int last_col = ci - 1;
            l->decimal_pad = ccs.align == RG_ALIGN_DECIMAL ? tail_max[last_col] - decimal_tail(l, c, &ccs) : 0;
            layout_blocks(l, c, &ccs, w - cell[nc].pad[1] - cell[nc].pad[3], &inner);
            l->decimal_pad = 0;
            cell[nc].content = stack(l, &inner, c);
            if (!cell[nc].content)
                return;
            cell[nc].x = x;
            cell[nc].w = w;
            cell[nc].cell = c;
            rg_mpt h = cell[nc].content->h + cell[nc].pad[0] + cell[nc].pad[2];
            if (h > rowh)
                rowh = h;
            nc++;
        }
        rg_color rf = attr_color(l, r, "fill");
        if (!rf.set && header)
            rf = header_fill;
        if (rf.set) {
            rg_prim *bg = prim_new(l, RG_P_RECT);
            if (!bg)
                return;
            bg->w = width;
            bg->h = rowh;
            bg->fill = rf;
            slab_add(row, bg);
        }
        for (int k = 0; k < nc; k++) {
            rg_color cf = attr_color(l, cell[k].cell, "fill");
            if (cf.set) {
                rg_prim *bg = prim_new(l, RG_P_RECT);
                if (!bg)
                    return;
                bg->x = cell[k].x;
                bg->w = cell[k].w;
                bg->h = rowh;
                bg->fill = cf;
                slab_add(row, bg);
            }
            const char *va = rg_node_attr(cell[k].cell, "valign");
            rg_mpt ch = cell[k].content->h + cell[k].pad[0] + cell[k].pad[2], dy = 0;
            if (va && strcmp(va, "middle") == 0)
                dy = (rowh - ch) / 2;
            else if (va && strcmp(va, "bottom") == 0)
                dy = rowh - ch;
            slab_append_prims(row, cell[k].content, cell[k].x + cell[k].pad[3], cell[k].pad[0] + dy);
        }
        rg_color rr = rule;
        const char *rv = rg_node_attr(r, "rule");
        if (rv)
            rr = attr_color(l, r, "rule");
        if (rr.set) {
            rg_prim *ln = prim_new(l, RG_P_LINE);
            if (!ln)
                return;
            ln->y = rowh;
            ln->w = width;
            ln->stroke = rr;
            ln->stroke_width = rule_w;
            slab_add(row, ln);
        }
        row->h = rowh;
        if (first_row)
            row->before = blk->space_before;
        first_row = 0;
        slist_add(out, row);
    }
    if (out->last)
        out->last->after = blk->space_after;
}

static void layout_blocks(L *l, const rg_node *parent, const cs *s, rg_mpt width, slist *out)
{
    int inl = 0;
    for (const rg_node *c = parent->first; c; c = c->next)
        if (is_inline(c))
            inl = 1;
    if (inl) {
        /* Inline content directly in a container: one implicit paragraph. */
        rg_style blk;
        rg_style_init(&blk);
        blk.space_before = blk.space_after = 0;
        layout_para(l, parent, s, &blk, width, 0, out);
        return;
    }
    for (const rg_node *c = parent->first; c && !l->failed; c = c->next) {
        if (c->kind == RG_N_TEXT)
            continue;
        cs cc;
        rg_style blk;
        node_style(l, c, s, &cc, &blk);
        if (l->failed)
            return;
        if (is_el(c, "p") || is_el(c, "h")) {
            if (is_el(c, "h")) {
                const char *lv = rg_node_attr(c, "level");
                int level = lv ? atoi(lv) : 1;
                if (level < 1 || level > 3) {
                    lerr(l, c, "heading level '%s' is not 1, 2 or 3", lv);
                    return;
                }
                if (cc.role != RG_ROLE_ARTIFACT)
                    cc.role = (rg_role)(RG_ROLE_H1 + level - 1);
            } else if (cc.role != RG_ROLE_ARTIFACT && cc.role != RG_ROLE_TD && cc.role != RG_ROLE_TH) {
                cc.role = RG_ROLE_P;
            }
            slab *before = out->last;
            layout_para(l, c, &cc, &blk, width, 0, out);
            if (is_el(c, "h") && out->last && out->last != before)
                out->last->keep_next = 1;
        } else if (is_el(c, "box")) {
            slist_add(out, layout_box(l, c, &cc, width, &blk));
        } else if (is_el(c, "table")) {
            layout_table(l, c, &cc, width, &blk, out);
        } else if (is_el(c, "spacer")) {
            slab *sp = slab_new(l, c);
            if (sp)
                sp->h = (rg_mpt)((int64_t)attr_len(l, c, "height", RG_PT(6)) * l->scale / 1000);
            slist_add(out, sp);
        } else if (is_el(c, "rule")) {
            slab *sp = slab_new(l, c);
            rg_prim *ln = prim_new(l, RG_P_LINE);
            if (!sp || !ln)
                return;
            ln->w = width;
            ln->stroke = cc.color;
            ln->stroke_width = attr_len(l, c, "width", RG_PT(0.5));
            ln->y = 0;
            slab_add(sp, ln);
            sp->before = blk.space_before;
            sp->after = blk.space_after;
            slist_add(out, sp);
        } else if (is_el(c, "page-break")) {
            slab *sp = slab_new(l, c);
            if (sp)
                sp->brk = 1;
            slist_add(out, sp);
        } else {
            lerr(l, c, "unknown block <%s>", c->name);
        }
    }
}

/* ---- pages ------------------------------------------------------------ */

typedef struct pstyle {
    rg_mpt w, h, m[4];
    const rg_node *header, *footer, *node;
} pstyle;

static int page_style(L *l, const rg_node *doc, const char *name, pstyle *ps)
{
    const rg_node *n = NULL;
    for (const rg_node *c = doc->first; c; c = c->next)
        if (is_el(c, "page-style") && (!name || (rg_node_attr(c, "name") && strcmp(rg_node_attr(c, "name"), name) == 0))) {
            n = c;
            break;
        }
    memset(ps, 0, sizeof *ps);
    ps->w = RG_PT(612);
    ps->h = RG_PT(792);
    for (int i = 0; i < 4; i++)
        ps->m[i] = RG_PT(54);
    if (!n) {
        if (name) {
            lerr(l, doc, "no page-style named '%s'", name);
            return -1;
        }
        return 0;
    }
    ps->node = n;
    const char *sz = rg_node_attr(n, "size");
    if (sz && strcmp(sz, "a4") == 0) {
        ps->w = 595276;
        ps->h = 841890;
    } else if (sz && strcmp(sz, "letter") != 0) {
        lerr(l, n, "unknown page size '%s' (letter or a4)", sz);
        return -1;
    }
    attr_box4(l, n, "margin", ps->m, 0);
    for (const rg_node *c = n->first; c; c = c->next) {
        if (is_el(c, "header"))
            ps->header = c;
        else if (is_el(c, "footer"))
            ps->footer = c;
    }
    return l->failed ? -1 : 0;
}

static rg_page *page_new(L *l, rg_pagelist *pl, const pstyle *ps)
{
    rg_page *pg = alloc(l, sizeof *pg);
    if (!pg)
        return NULL;
    pg->width = ps->w;
    pg->height = ps->h;
    if (pl->last)
        pl->last->next = pg;
    else
        pl->first = pg;
    pl->last = pg;
    pl->count++;
    return pg;
}

static void page_put(rg_page *pg, slab *s, rg_mpt dx, rg_mpt dy)
{
    if (!s->first)
        return;
    prims_move(s->first, dx, dy);
    if (pg->last)
        pg->last->next = s->first;
    else
        pg->first = s->first;
    pg->last = s->last;
    s->first = s->last = NULL;
}

/* Places a section's slabs on pages. Returns the number of pages, or -1. */
static int paginate(L *l, slist *sl, const pstyle *ps, rg_pagelist *pl, const slab **overflow, int max_pages)
{
    rg_mpt top = ps->m[0], bottom = ps->h - ps->m[2];
    rg_page *pg = NULL;
    rg_mpt y = top, prev_after = 0;
    int pages = 0, empty = 1;
    *overflow = NULL;
    for (slab *s = sl->first; s; s = s->next) {
        if (!pg || (s->brk && !empty)) {
            if (!(pg = page_new(l, pl, ps)))
                return -1;
            pages++;
            y = top;
            empty = 1;
        }
        rg_mpt gap = empty ? 0 : (prev_after > s->before ? prev_after : s->before);
        if (!empty && y + gap + s->h > bottom) {
            if (!(pg = page_new(l, pl, ps)))
                return -1;
            pages++;
            y = top;
            gap = 0;
            empty = 1;
        }
        if (pages > max_pages && !*overflow)
            *overflow = s;
        if (s->h > bottom - top) {
            lerr(l, s->node, "%s is taller than the page's frame (%.1fpt > %.1fpt)",
                 block_name(l, s->node), s->h / 1000.0, (bottom - top) / 1000.0);
            return -1;
        }
        page_put(pg, s, ps->m[3], y + gap);
        y += gap + s->h;
        prev_after = s->after;
        empty = 0;
    }
    return pages;
}

/* Headers and footers go on last, when the page count is known. */
static void decorate(L *l, const cs *root, rg_pagelist *pl, const pstyle *ps, const rg_page *first,
                     const rg_page *stop)
{
    int no = 0, on = 0;
    for (rg_page *pg = pl->first; pg && pg != stop && !l->failed; pg = pg->next) {
        no++;
        if (pg == first)
            on = 1;
        if (!on)
            continue;
        l->page_no = no;
        l->page_count = pl->count;
        const rg_node *parts[2] = {ps->header, ps->footer};
        for (int k = 0; k < 2; k++) {
            if (!parts[k])
                continue;
            cs cc;
            rg_style blk;
            node_style(l, parts[k], root, &cc, &blk);
            cc.role = RG_ROLE_ARTIFACT;
            slist sl = {0};
            layout_blocks(l, parts[k], &cc, ps->w - ps->m[1] - ps->m[3], &sl);
            slab *s = stack(l, &sl, parts[k]);
            if (!s || l->failed)
                return;
            rg_mpt gap = attr_len(l, parts[k], "gap", RG_PT(12));
            rg_mpt y = k == 0 ? ps->m[0] - gap - s->h : ps->h - ps->m[2] + gap;
            page_put(pg, s, ps->m[3], y);
        }
    }
}

rg_status rg_layout(const rg_node *doc, const rg_theme *theme, rg_arena *a,
                    const char *src_path, rg_pagelist *out, rg_diags *d)
{
    L l = {theme, a, src_path, d, 1000, 0, 0, 0, 0, 0};
    struct { pstyle ps; cs root; const rg_page *first; } secs[64];
    int nsec = 0;
    memset(out, 0, sizeof *out);
    out->theme = theme;
    if (!is_el(doc, "document")) {
        lerr(&l, doc, "the layout must be a <document>, not <%s>", doc->name ? doc->name : "text");
        return RG_EINPUT;
    }
    out->info.title = rg_node_attr(doc, "title");
    out->info.author = rg_node_attr(doc, "author");
    out->info.subject = rg_node_attr(doc, "subject");
    out->info.keywords = rg_node_attr(doc, "keywords");
    out->info.lang = rg_node_attr(doc, "lang");
    out->info.creator = "reportgen " RG_VERSION;
    out->info.created = -1;
    for (const rg_node *sec = doc->first; sec && !l.failed; sec = sec->next) {
        if (sec->kind == RG_N_TEXT || is_el(sec, "page-style"))
            continue;
        if (!is_el(sec, "section")) {
            lerr(&l, sec, "<%s> cannot stand in <document>; use <section>", sec->name);
            break;
        }
        pstyle ps;
        if (page_style(&l, doc, rg_node_attr(sec, "page-style"), &ps) != 0)
            break;
        const char *mp = rg_node_attr(sec, "max-pages");
        int max_pages = mp ? atoi(mp) : 1 << 30;
        if (mp && max_pages < 1) {
            lerr(&l, sec, "bad max-pages '%s'", mp);
            break;
        }
        rg_page *mark = out->last;
        int count = out->count;
        if (nsec == (int)(sizeof secs / sizeof secs[0])) {
            lerr(&l, sec, "too many sections (at most 64)");
            break;
        }
        for (int scale = 1000;; scale -= theme->shrink_step) {
            l.scale = scale;
            const rg_style *body = rg_theme_style(theme, "body");
            cs root = {NULL, 0, 0, 0, RG_PT(10), 1200, {0, 0, 0, 1}, RG_ALIGN_LEFT, 0, RG_ROLE_P};
            if (body)
                apply_style(&l, &root, body);
            root.face = rg_theme_face(theme, root.family, root.bold, root.italic);
            cs scs;
            rg_style blk;
            node_style(&l, doc, &root, &scs, NULL);
            node_style(&l, sec, &scs, &scs, &blk);
            slist sl = {0};
            layout_blocks(&l, sec, &scs, ps.w - ps.m[1] - ps.m[3], &sl);
            if (l.failed)
                break;
            const slab *over;
            int pages = paginate(&l, &sl, &ps, out, &over, max_pages);
            if (pages < 0)
                break;
            if (pages <= max_pages) {
                secs[nsec].ps = ps;
                secs[nsec].root = root;
                secs[nsec++].first = mark ? mark->next : out->first;
                break;
            }
            /* Drop this attempt's pages and try smaller. */
            if (mark)
                mark->next = NULL;
            else
                out->first = NULL;
            out->last = mark;
            out->count = count;
            if (scale - theme->shrink_step < theme->shrink_floor) {
                lerr(&l, over->node, "section does not fit on %d page%s even at %d%% size: %s starts page %d",
                     max_pages, max_pages == 1 ? "" : "s", scale / 10, block_name(&l, over->node),
                     pages > max_pages ? max_pages + 1 : pages);
                break;
            }
        }
    }
    if (!l.failed && out->count == 0)
        lerr(&l, doc, "the document has no content");
    for (int i = 0; i < nsec && !l.failed; i++)
        decorate(&l, &secs[i].root, out, &secs[i].ps, secs[i].first, i + 1 < nsec ? secs[i + 1].first : NULL);
    return l.failed ? (l.oom ? RG_EOUTPUT : RG_EINPUT) : RG_OK;
}
