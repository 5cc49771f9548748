/* Paragraphs: inline content collected into one UTF-8 buffer with a style
 * run per byte, break opportunities from libunibreak (UAX #14), greedy line
 * filling with real font metrics, and alignment by placing words. */
#include <linebreak.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "layout.h"

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
           a->role == b->role && a->hyphenate == b->hyphenate;
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

static void para_inline_range(L *l, para *p, const rg_node *first, const rg_node *stop, const cs *s,
                              const char *href);

static void para_oom(L *l)
{
    if (!l->oom)
        rg_diag_add(l->d, RG_SEV_ERROR, "", 0, 0, "out of memory");
    l->failed = l->oom = 1;
}

/* Where a link may lead: the web, mail, or a place in the document; not
 * javascript:, file: or a reader's other schemes. */
static int link_allowed(const char *h)
{
    static const char *ok[] = {"http://", "https://", "mailto:", "#"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strncasecmp(h, ok[i], strlen(ok[i])) == 0)
            return 1;
    return 0;
}

static void para_inline(L *l, para *p, const rg_node *n, const cs *s, const char *href)
{
    para_inline_range(l, p, n->first, NULL, s, href);
}

/* Collects the inline nodes from first up to (not including) stop. */
static void para_inline_range(L *l, para *p, const rg_node *first, const rg_node *stop, const cs *s,
                              const char *href)
{
    for (const rg_node *c = first; c && c != stop && !l->failed; c = c->next) {
        if (c->kind == RG_N_TEXT) {
            if (para_run(p, s, href) != 0 || para_text(p, c->text, s->upper) != 0)
                para_oom(l);
            continue;
        }
        cs cc;
        lay_node_style(l, c, s, &cc, NULL);
        if (lay_is_el(c, "b")) {
            cc.bold = 1;
            cc.face = rg_theme_face(l->t, cc.family, cc.bold, cc.italic);
            para_inline(l, p, c, &cc, href);
        } else if (lay_is_el(c, "i")) {
            cc.italic = 1;
            cc.face = rg_theme_face(l->t, cc.family, cc.bold, cc.italic);
            para_inline(l, p, c, &cc, href);
        } else if (lay_is_el(c, "span")) {
            para_inline(l, p, c, &cc, href);
        } else if (lay_is_el(c, "a")) {
            const char *h = rg_node_attr(c, "href");
            if (!h || !*h)
                lay_lerr(l, c, "link without href");
            else if (!link_allowed(h))
                lay_lerr(l, c, "link target '%s' is not allowed: a link goes to http, https, mailto or '#name'", h);
            para_inline(l, p, c, &cc, h);
        } else if (lay_is_el(c, "br")) {
            if (p->len > 0 && p->buf[p->len - 1] == ' ')
                p->len--;
            if (para_run(p, s, href) != 0 || para_put(p, "\n", 1) != 0)
                para_oom(l);
        } else if (lay_is_el(c, "page-number") || lay_is_el(c, "page-count") || lay_is_el(c, "var") ||
                   lay_is_el(c, "ref")) {
            char num[32];
            const char *txt = num;
            if (lay_is_el(c, "ref")) {
                const char *to = rg_node_attr(c, "to");
                int pn = to ? lay_ref_number(l, to) : -1;
                if (pn < 0) {
                    lay_lerr(l, c, "reference to '%s', which no block has as its id", to ? to : "");
                    continue;
                }
                snprintf(num, sizeof num, "%d", pn > 0 ? pn : 0);
            } else if (lay_is_el(c, "var")) {
                const char *name = rg_node_attr(c, "name");
                txt = name ? rg_theme_text(l->t, name) : NULL;
                if (!txt) {
                    lay_lerr(l, c, "theme '%s' has no text '%s'", l->t->name, name ? name : "");
                    continue;
                }
            } else {
                snprintf(num, sizeof num, "%d", lay_is_el(c, "page-number") ? l->page_no : l->page_count);
            }
            if (para_run(p, &cc, href) != 0 || para_text(p, txt, cc.upper) != 0)
                para_oom(l);
        } else {
            lay_lerr(l, c, "<%s> cannot stand inside a paragraph", c->name);
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
    int hyphen;                   /* ends inside a word: draw a hyphen */
} line;

typedef struct linevec { line *v; size_t n, cap; } linevec;

/* Appends the line [start, end), its width the sum of w over it plus extra
 * (a hyphen). 0, or -1 when memory ran out. */
static int line_push(linevec *lv, const rg_mpt *w, size_t start, size_t end, rg_mpt extra, int last, int hyphen)
{
    if (lv->n == lv->cap) {
        size_t cap = lv->cap ? lv->cap * 2 : 16;
        line *nl = rg_fail_now() ? NULL : realloc(lv->v, cap * sizeof *nl);
        if (!nl)
            return -1;
        lv->v = nl;
        lv->cap = cap;
    }
    rg_mpt width = extra;
    for (size_t i = start; i < end; i++)
        width += w[i];
    lv->v[lv->n++] = (line){start, end, width, last, hyphen};
    return 0;
}

/* Where the word [s, e) of buf may be hyphenated so that its first part
 * and a hyphen fit in room: the byte offset of the split, or 0. Only plain
 * words of ASCII letters are hyphenated (the dictionaries' safe ground).
 * *unread is set when the patterns were needed and could not be read. */
static size_t hyphen_point(const rg_theme *t, const char *buf, size_t s, size_t e, const rg_mpt *w,
                           rg_mpt room, rg_mpt hyphen_w, int *unread)
{
    char word[RG_HYPH_WORD];
    unsigned char hy[RG_HYPH_WORD];
    size_t n = e - s;
    if (!t->hyphen_path || n < 5 || n >= sizeof word)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = buf[s + i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return 0;
        word[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    const rg_hyph *dict = rg_theme_hyphen(t);
    if (!dict) {
        *unread = 1;
        return 0;
    }
    rg_hyph_word(dict, word, n, hy);
    size_t best = 0;
    rg_mpt acc = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        acc += w[s + i];
        if (hy[i] && acc + hyphen_w <= room)
            best = i + 1;
    }
    return best;
}

rg_mpt lay_adv(const L *l, const cs *s, uint32_t cp)
{
    const rg_font *f = l->t->face[s->face].font;
    return (rg_mpt)((int64_t)rg_font_advance(f, cp) * s->size / 1000);
}

/* Lays out one paragraph at width; returns its lines as slabs. */
void lay_para(L *l, const rg_node *n, const cs *s, rg_style *blk, rg_mpt width, rg_mpt right_pad, slist *out)
{
    lay_para_range(l, n, n->first, NULL, s, blk, width, right_pad, out);
}

void lay_para_range(L *l, const rg_node *n, const rg_node *first, const rg_node *stop, const cs *s,
                    rg_style *blk, rg_mpt width, rg_mpt right_pad, slist *out)
{
    para p = {0};
    rg_mpt *w = NULL;
    char *brk = NULL;
    linevec lv = {0};
    int block = ++l->blocks;
    para_inline_range(l, &p, first, stop, s, NULL);
    if (l->failed)
        goto done;
    while (p.len > 0 && p.buf[p.len - 1] == ' ')
        p.len--;
    if (p.len == 0) {
        /* An empty paragraph still takes its spacing, as a word processor does. */
        slab *e = lay_slab_new(l, n);
        if (e) {
            e->before = blk->space_before;
            e->after = blk->space_after;
        }
        lay_slist_add(out, e);
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
            lay_lerr(l, n, "invalid UTF-8 in text");
            goto done;
        }
        if (rs->face < 0) {
            lay_lerr(l, n, "theme '%s' has no font", l->t->name);
            goto done;
        }
        if (cp > 0xFFFF) {
            /* libharu's UTF-8 path turns these into spaces: refuse, do not lose them. */
            lay_lerr(l, n, "character U+%04X '%.*s' is outside the Basic Multilingual Plane, which the PDF "
                 "writer cannot embed", (unsigned)cp, len, p.buf + i);
            goto done;
        }
        if (cp != '\n') {
            if (rg_font_glyph(l->t->face[rs->face].font, (uint32_t)cp) == 0) {
                lay_lerr(l, n, "character U+%04X '%.*s' is not in font %s", (unsigned)cp, len, p.buf + i,
                     rg_font_psname(l->t->face[rs->face].font));
                goto done;
            }
            w[i] = lay_adv(l, rs, (uint32_t)cp);
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
        if (!empty && cur + sw > avail && p.runs[p.runidx[seg]].s.hyphenate) {
            /* Hyphenate rather than leave the line short (or gappy when justified). */
            const cs *hs = &p.runs[p.runidx[seg]].s;
            rg_mpt hw = lay_adv(l, hs, '-');
            int unread = 0;
            size_t k = hyphen_point(l->t, p.buf, seg, ce, w, avail - cur, hw, &unread);
            if (unread) { /* else the text would silently go unhyphenated */
                lay_lerr(l, n, "cannot read the hyphenation patterns %s: %s", l->t->hyphen_path,
                         l->t->hyphen_why);
                goto done;
            }
            if (k) {
                if (line_push(&lv, w, ls, seg + k, hw, 0, 1) != 0)
                    goto oom;
                ls = seg + k;
                seg = seg + k;
                cur = 0;
                empty = 1;
                continue;
            }
        }
        if (!empty && cur + sw > avail) {
            if (line_push(&lv, w, ls, line_end, 0, 0, 0) != 0)
                goto oom;
            ls = seg;
            cur = 0;
            empty = 1;
        }
        if (empty && sw > avail) {
            /* A word wider than the line: split it between characters. */
            size_t i = seg;
            rg_mpt acc = 0;
            size_t cut = seg;
            size_t hyph = 0;
            rg_mpt hacc = 0;
            while (i < ce) {
                int len;
                rg_utf8_decode(p.buf + i, p.len - i, &len);
                if (acc + w[i] > avail && cut > seg)
                    break;
                acc += w[i];
                i += (size_t)len;
                cut = i;
                if (p.buf[i - 1] == '-' && i < ce) {
                    hyph = i; /* the word's own hyphen: the best place to split */
                    hacc = acc;
                }
            }
            if (hyph && cut < ce) {
                cut = hyph;
                acc = hacc;
            }
            if (cut < ce) {
                if (line_push(&lv, w, seg, cut, 0, 0, 0) != 0)
                    goto oom;
                seg = cut;
                ls = cut;
                continue;
            }
        }
        cur += sw + tw;
        line_end = ce;
        empty = 0;
        if (brk[e - 1] == LINEBREAK_MUSTBREAK) {
            if (line_push(&lv, w, ls, line_end, 0, 1, 0) != 0)
                goto oom;
            ls = e;
            cur = 0;
            empty = 1;
        }
        seg = e;
    }
    /* Lines to slabs. The first line keeps with the second (no orphan at a
     * page's foot) and the last but one with the last (no widow at its head). */
    line *lines = lv.v;
    size_t nlines = lv.n;
    for (size_t li = 0; li < nlines && !l->failed; li++) {
        line *ln = &lines[li];
        slab *sl = lay_slab_new(l, n);
        if (sl && nlines >= 2 && (li == 0 || li + 2 == nlines))
            sl->keep_next = 1;
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
                rg_prim *t = lay_prim_new(l, RG_P_TEXT);
                if (!t)
                    goto done;
                t->x = x;
                t->y = above;
                t->face = ru->s.face;
                t->size = ru->s.size;
                t->fill = ru->s.color;
                t->role = ru->s.role;
                t->block = block;
                int add_hyphen = ln->hyphen && te == ln->end;
                /* A space after the words, drawn but not measured: whoever
                 * reads the text in order (a screen reader, the structure
                 * tree) finds the word boundaries that placement made. */
                int add_space = !add_hyphen && (te < j || (justify && j < ln->end && p.buf[j] == ' ') ||
                                                 (te == ln->end && li + 1 < nlines));
                t->text = rg_arena_printf(l->a, "%.*s%s", (int)(te - i), p.buf + i,
                                          add_hyphen ? "-" : add_space ? " " : "");
                t->len = t->text ? strlen(t->text) : 0;
                if (!t->text) {
                    para_oom(l);
                    goto done;
                }
                lay_slab_add(sl, t);
                if (ru->href) {
                    const rg_font *f = l->t->face[ru->s.face].font;
                    rg_mpt A = (rg_mpt)((int64_t)rg_font_ascent(f) * ru->s.size / 1000);
                    rg_mpt D = (rg_mpt)((int64_t)-rg_font_descent(f) * ru->s.size / 1000);
                    if (lastlink && lastlink->uri == ru->href && lastlink->x + lastlink->w <= x + 1) {
                        lastlink->w = x + tw - lastlink->x;
                    } else {
                        rg_prim *k = lay_prim_new(l, RG_P_LINK);
                        if (!k)
                            goto done;
                        k->x = x;
                        k->y = above - A;
                        k->w = tw;
                        k->h = A + D;
                        k->uri = ru->href;
                        lay_slab_add(sl, k);
                        lastlink = k;
                    }
                }
            }
            x += fw;
            i = j;
        }
        lay_slist_add(out, sl);
    }
    goto done;
oom:
    if (!l->oom)
        rg_diag_add(l->d, RG_SEV_ERROR, "", 0, 0, "out of memory");
    l->failed = l->oom = 1;
done:
    free(w);
    free(brk);
    free(lv.v);
    para_free(&p);
}


rg_mpt lay_text_width(const L *l, const cs *s, const char *text)
{
    rg_mpt w = 0;
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        int len;
        int32_t cp = rg_utf8_decode(text + i, n - i, &len);
        if (cp > 0 && s->face >= 0)
            w += lay_adv(l, s, (uint32_t)cp);
        i += (size_t)len;
    }
    return w;
}
