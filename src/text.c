/* Paragraphs: inline content collected into one UTF-8 buffer with a style
 * run per byte, break opportunities from libunibreak (UAX #14), greedy line
 * filling with real font metrics, and alignment by placing words. */
#include <linebreak.h>
#include <pthread.h>
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

/* Field by field: memcmp would read the struct's padding. All but the
 * structure node, which each layout pass makes anew. */
static int cs_same_look(const cs *a, const cs *b)
{
    return a->face == b->face && a->size == b->size && a->leading == b->leading &&
           a->color.r == b->color.r && a->color.g == b->color.g && a->color.b == b->color.b &&
           a->color.set == b->color.set && a->align == b->align && a->upper == b->upper &&
           a->role == b->role && a->hyphenate == b->hyphenate;
}

static int cs_same(const cs *a, const cs *b)
{
    return cs_same_look(a, b) && a->sn == b->sn;
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

static int xml_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Appends text with XML white space collapsed, upper-cased when asked.
 * Written in place after one reservation (the text never grows: white
 * space only collapses, and an upper-cased letter keeps its bytes). */
static int para_text(para *p, const char *s, int upper)
{
    if (para_reserve(p, strlen(s)) != 0)
        return -1;
    char *o = p->buf;
    size_t start = p->len, len = p->len;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (xml_space(c)) {
            if (len > 0 && o[len - 1] != ' ' && o[len - 1] != '\n')
                o[len++] = ' ';
            continue;
        }
        if (!upper) { /* the bytes up to the next space as they are, at once */
            size_t n = strcspn(s, " \t\n\r");
            memcpy(o + len, s, n);
            len += n;
            s += n - 1;
            continue;
        }
        if (c >= 'a' && c <= 'z') {
            c = (unsigned char)(c - 32);
        } else if (c == 0xC3 && s[1] && (unsigned char)s[1] >= 0xA0 && (unsigned char)s[1] <= 0xBE &&
                   (unsigned char)s[1] != 0xB7) {
            o[len++] = (char)c;
            o[len++] = (char)((unsigned char)s[1] - 0x20); /* Latin-1 lower to upper */
            s++;
            continue;
        }
        o[len++] = (char)c;
    }
    for (size_t i = start; i < len; i++)
        p->runidx[i] = p->cur;
    p->len = len;
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
            /* Its words go into a Link element, which also holds the
             * annotation and names it by those words. */
            if ((cc.sn = lay_snode(l, s, RG_S_LINK)) != NULL) {
                char words[512];
                size_t used = 0;
                words[0] = 0;
                lay_text_start(c->first, words, sizeof words, &used);
                while (used > 0 && words[used - 1] == ' ')
                    words[--used] = 0;
                cc.sn->alt = lay_strdup(l, words);
            }
            para_inline(l, p, c, &cc, h);
        } else if (lay_is_el(c, "br")) {
            if (p->len > 0 && p->buf[p->len - 1] == ' ')
                p->len--;
            if (para_run(p, s, href) != 0 || para_put(p, "\n", 1) != 0)
                para_oom(l);
        } else if (lay_is_el(c, "page-number") || lay_is_el(c, "page-count") || lay_is_el(c, "var") ||
                   lay_is_el(c, "ref")) {
            char num[32];
            const char *txt = num, *rh = href;
            if (lay_is_el(c, "ref")) {
                const char *to = rg_node_attr(c, "to");
                int pn = to ? lay_ref_number(l, to) : -1;
                if (pn < 0) {
                    lay_lerr(l, c, "reference to '%s', which no block has as its id", to ? to : "");
                    continue;
                }
                snprintf(num, sizeof num, "%d", pn > 0 ? pn : 0);
                /* The number is a link to the page it names. */
                if (!href && (cc.sn = lay_snode(l, s, RG_S_LINK)) != NULL) {
                    cc.sn->alt = rg_arena_printf(l->a, "page %s", num);
                    rh = rg_arena_printf(l->a, "#%s", to);
                    if (!cc.sn->alt || !rh) {
                        para_oom(l);
                        continue;
                    }
                }
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
            if (para_run(p, &cc, rh) != 0 || para_text(p, txt, cc.upper) != 0)
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

/* The points where the word [s, e) of buf may be hyphenated, in hy (hy[i]
 * set: a break may follow byte s+i): 1, or 0 when the word is not one the
 * patterns apply to. Only plain words of ASCII letters are hyphenated (the
 * dictionaries' safe ground). *unread is set when the patterns were needed
 * and could not be read. */
static int hyphen_points(const rg_theme *t, const char *buf, size_t s, size_t e, unsigned char *hy,
                         int *unread)
{
    char word[RG_HYPH_WORD];
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
    return 1;
}

/* Where the word [s, e) of buf may be hyphenated so that its first part
 * and a hyphen fit in room, not inside a ligature (joined): the byte offset
 * of the split, or 0. */
static size_t hyphen_point(const rg_theme *t, const char *buf, size_t s, size_t e, const rg_mpt *w,
                           const unsigned char *joined, rg_mpt room, rg_mpt hyphen_w, int *unread)
{
    unsigned char hy[RG_HYPH_WORD];
    if (!hyphen_points(t, buf, s, e, hy, unread))
        return 0;
    size_t n = e - s, best = 0;
    rg_mpt acc = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        acc += w[s + i];
        if (hy[i] && !joined[s + i + 1] && acc + hyphen_w <= room)
            best = i + 1;
    }
    return best;
}

rg_mpt lay_adv(L *l, const cs *s, uint32_t cp)
{
    const rg_font *f = lay_font(l, s->face);
    if (!f)
        return 0;
    return (rg_mpt)((int64_t)rg_font_units(f, cp) * s->size / rg_font_upem(f));
}

/* One paragraph's text as the breaker sees it. */
typedef struct brkrun {
    L *l;
    const rg_node *n;             /* the block, for errors */
    const para *p;
    const rg_mpt *w;              /* width per character, at its first byte */
    const unsigned char *joined;  /* set at a character a ligature shows with the one before */
    const char *brk;              /* libunibreak's opportunities, as filtered */
    int trial;                    /* trying a measure (balancing): report nothing */
    int cut;                      /* a word was wider than the line (warned, or an error) */
} brkrun;

enum { BRK_OK = 0, BRK_OOM = -1, BRK_FAILED = -2, BRK_NOFIT = -3 };

static int is_letter_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* May the line break after the hyphen at buf[i]? UAX #14 allows it after
 * any hyphen-minus that is not before a digit; we also want a word on both
 * sides ("survivor-|informed", "19-|year-old"), so not after a hyphen that
 * starts a word or doubles as a dash, and not inside an address, where a
 * hyphen at the end of a line reads as part of it (break after its "/"). */
static int hard_hyphen_break(const char *buf, size_t len, size_t i)
{
    if (i == 0 || i + 1 >= len)
        return 0;
    unsigned char before = (unsigned char)buf[i - 1], after = (unsigned char)buf[i + 1];
    if (!(is_letter_byte(before) || (before >= '0' && before <= '9')) || !is_letter_byte(after))
        return 0;
    size_t s = i, e = i;
    while (s > 0 && buf[s - 1] != ' ' && buf[s - 1] != '\n')
        s--;
    while (e < len && buf[e] != ' ' && buf[e] != '\n')
        e++;
    for (size_t k = s; k < e; k++)
        if (strchr("/@:=?&#_\\", buf[k]) || (buf[k] == '.' && k + 1 < e && is_letter_byte((unsigned char)buf[k + 1])))
            return 0;
    return 1;
}

/* A word's name when the arena has no room for it. */
static const char word_unnamed[] = "a word";

/* The segment [s, e) as a quoted word for a message, its first 40 bytes
 * (whole characters). */
static const char *word_name(L *l, const char *buf, size_t s, size_t e)
{
    size_t n = e - s;
    if (n > 40) {
        n = 40;
        while (n > 0 && ((unsigned char)buf[s + n] & 0xC0) == 0x80)
            n--;
    }
    const char *r = rg_arena_printf(l->a, "'%.*s%s'", (int)n, buf + s, n < e - s ? "..." : "");
    return r ? r : word_unnamed;
}

/* A warning that the word (quoted) is cut across lines; the same block and
 * word are reported once, however many layout passes meet them. */
static void cut_warning(L *l, const rg_node *n, const char *word, rg_mpt need, rg_mpt avail)
{
    int at = lay_src_line(n);
    for (size_t i = 0; i < rg_diags_count(l->d); i++) {
        const rg_diag *g = rg_diags_get(l->d, i);
        if (g->severity == RG_SEV_WARNING && g->line == at && strncmp(g->message, "the word ", 9) == 0 &&
            strncmp(g->message + 9, word, strlen(word)) == 0 && g->message[9 + strlen(word)] == ' ')
            return;
    }
    if (rg_diag_add(l->d, RG_SEV_WARNING, l->src, at, 1,
                    "the word %s is wider than its line (%.1fpt > %.1fpt) and is cut across lines", word,
                    need / 1000.0, avail / 1000.0) != 0)
        para_oom(l);
}

/* Whether the segment starting at seg may be soft-hyphenated: its style
 * asks for it, and it is not the second part of a compound that already
 * broke at its own hyphen. */
static int may_hyphenate(const para *p, size_t seg)
{
    return p->runs[p->runidx[seg]].s.hyphenate && !(seg > 0 && p->buf[seg - 1] == '-');
}

/* Greedy line filling of the paragraph at measure avail into lv (emptied
 * first by the caller). *splits counts the lines that end inside a word
 * (hyphenated or cut). BRK_OK, BRK_OOM, BRK_FAILED after a diagnostic, or
 * BRK_NOFIT in a trial when a word is wider than the measure. */
static int break_lines(brkrun *b, rg_mpt avail, linevec *lv, int *splits)
{
    L *l = b->l;
    const para *pp = b->p;
    const char *buf = pp->buf;
    size_t len = pp->len;
    const rg_mpt *w = b->w;
    const char *brk = b->brk;
    size_t ls = 0;            /* current line's start */
    rg_mpt cur = 0;           /* width so far, with trailing spaces */
    size_t seg = 0;
    int empty = 1;
    size_t line_end = 0;      /* end of last placed content (no spaces) */
    size_t cut_end = 0;       /* where the rest of a cut word starts */
    while (seg < len) {
        size_t e = seg;
        while (e < len && brk[e] != LINEBREAK_ALLOWBREAK && brk[e] != LINEBREAK_MUSTBREAK)
            e++;
        e++; /* segment is [seg, e) */
        size_t ce = e;
        while (ce > seg && (buf[ce - 1] == ' ' || buf[ce - 1] == '\n'))
            ce--;
        rg_mpt sw = 0, tw = 0;
        for (size_t i = seg; i < ce; i++)
            sw += w[i];
        for (size_t i = ce; i < e; i++)
            tw += w[i];
        /* Hyphenate rather than leave the line short (or gappy when
         * justified), or than cut a word too wide for a line of its own. */
        if ((!empty || sw > avail) && cur + sw > avail && may_hyphenate(pp, seg)) {
            const cs *hs = &pp->runs[pp->runidx[seg]].s;
            rg_mpt hw = lay_adv(l, hs, '-');
            int unread = 0;
            size_t k = hyphen_point(l->t, buf, seg, ce, w, b->joined, avail - cur, hw, &unread);
            if (unread) { /* else the text would silently go unhyphenated */
                if (b->trial)
                    return BRK_NOFIT;
                lay_lerr(l, b->n, "cannot read the hyphenation patterns %s: %s", l->t->hyphen_path,
                         l->t->hyphen_why);
                return BRK_FAILED;
            }
            if (k) {
                if (line_push(lv, w, ls, seg + k, hw, 0, 1) != 0)
                    return BRK_OOM;
                ++*splits;
                ls = seg + k;
                seg = seg + k;
                cur = 0;
                empty = 1;
                continue;
            }
        }
        if (!empty && cur + sw > avail) {
            if (line_push(lv, w, ls, line_end, 0, 0, 0) != 0)
                return BRK_OOM;
            ls = seg;
            cur = 0;
            empty = 1;
        }
        if (empty && sw > avail) {
            if (b->trial)
                return BRK_NOFIT;
            b->cut = 1;
            if (l->in_cell) {
                /* A table's figures and words are never cut: "199|0" reads as
                 * two numbers. The column widths gave every word its room
                 * (lay_table); this one is in a block that has less. */
                lay_lerr(l, b->n, "the word %s does not fit its table cell (%.1fpt > %.1fpt)",
                         word_name(l, buf, seg, ce), sw / 1000.0, avail / 1000.0);
                return BRK_FAILED;
            }
            /* A word wider than the line (a long address in a narrow
             * frame): split it between characters, and say so, once for
             * all the passes that lay the block out again. */
            if (seg == 0 || seg != cut_end)
                cut_warning(l, b->n, word_name(l, buf, seg, ce), sw, avail);
            size_t i = seg;
            rg_mpt acc = 0;
            size_t cut = seg;
            size_t hyph = 0;
            rg_mpt hacc = 0;
            while (i < ce) {
                int clen;
                rg_utf8_decode(buf + i, len - i, &clen);
                if (acc + w[i] > avail && cut > seg && !b->joined[i])
                    break;
                acc += w[i];
                i += (size_t)clen;
                cut = i;
                if (buf[i - 1] == '-' && i < ce) {
                    hyph = i; /* the word's own hyphen: the best place to split */
                    hacc = acc;
                }
            }
            if (hyph && cut < ce) {
                cut = hyph;
                acc = hacc;
            }
            if (cut < ce) {
                if (line_push(lv, w, seg, cut, 0, 0, 0) != 0)
                    return BRK_OOM;
                ++*splits;
                seg = cut;
                ls = cut;
                cut_end = cut;
                continue;
            }
        }
        cur += sw + tw;
        line_end = ce;
        empty = 0;
        if (brk[e - 1] == LINEBREAK_MUSTBREAK) {
            if (line_push(lv, w, ls, line_end, 0, 1, 0) != 0)
                return BRK_OOM;
            ls = e;
            cur = 0;
            empty = 1;
        }
        seg = e;
    }
    return BRK_OK;
}

/* Min-content (for table columns): the widest piece of the paragraph that
 * no line break may divide, a hyphenated word's widest part with its
 * hyphen. Kept in l->probe_w and l->probe_word when wider than what they
 * held: 1 then, else 0. *unread is set when the hyphenation patterns were
 * needed and could not be read (the words then count whole). */
static int probe_words(brkrun *b, int *unread)
{
    L *l = b->l;
    const para *pp = b->p;
    size_t seg = 0, len = pp->len;
    /* the widest word so far, named once at the end (a table's cells are
     * probed word by word, and most words are wider than the one before) */
    size_t best = 0, best_end = 0;
    int wider = 0;
    while (seg < len) {
        size_t e = seg;
        while (e < len && b->brk[e] != LINEBREAK_ALLOWBREAK && b->brk[e] != LINEBREAK_MUSTBREAK)
            e++;
        e++;
        size_t ce = e;
        while (ce > seg && (pp->buf[ce - 1] == ' ' || pp->buf[ce - 1] == '\n'))
            ce--;
        rg_mpt sw = 0;
        for (size_t i = seg; i < ce; i++)
            sw += b->w[i];
        if (sw > l->probe_w && may_hyphenate(pp, seg)) {
            /* Split at every point the patterns allow: its widest piece. */
            const cs *hs = &pp->runs[pp->runidx[seg]].s;
            unsigned char hy[RG_HYPH_WORD];
            if (hyphen_points(l->t, pp->buf, seg, ce, hy, unread)) {
                rg_mpt hw = lay_adv(l, hs, '-'), piece = 0, widest = 0;
                for (size_t i = seg; i < ce; i++) {
                    piece += b->w[i];
                    if (i + 1 < ce && hy[i - seg] && !b->joined[i + 1]) {
                        if (piece + hw > widest)
                            widest = piece + hw;
                        piece = 0;
                    }
                }
                sw = piece > widest ? piece : widest;
            }
        }
        if (sw > l->probe_w) {
            l->probe_w = sw;
            best = seg;
            best_end = ce;
            wider = 1;
        }
        seg = e;
    }
    if (wider)
        l->probe_word = word_name(l, pp->buf, best, best_end);
    return wider;
}

/* Adds the fonts' kerning to the widths w (per character, at its first
 * byte), run by run: the pair of glyphs "AV" or "To" is set closer, as
 * the painter draws it (both ask rg_font_shape). With the face's
 * ligatures on, a ligature's width goes to its first character, and its
 * other characters (0 wide) are marked in joined: no line is cut before
 * them. A line feed ends a run. 0, or -1 when memory ran out. */
static int kern_widths(L *l, const para *p, rg_mpt *w, unsigned char *joined)
{
    uint32_t *cps = rg_fail_now() ? NULL : malloc(p->len * sizeof *cps);
    int *kern = rg_fail_now() ? NULL : malloc(p->len * sizeof *kern);
    size_t *at = rg_fail_now() ? NULL : malloc(p->len * sizeof *at);
    unsigned *gid = rg_fail_now() ? NULL : malloc(p->len * sizeof *gid);
    int rc = cps && kern && at && gid ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < p->len;) {
        int r = p->runidx[i], len;
        const cs *rs = &p->runs[r].s;
        size_t m = 0, j = i;
        while (j < p->len && p->runidx[j] == r) {
            int32_t cp = rg_utf8_decode(p->buf + j, p->len - j, &len);
            if (cp == '\n' || cp < 0)
                break;
            cps[m] = (uint32_t)cp;
            at[m++] = j;
            j += (size_t)len;
        }
        const rg_font *f = m > 1 && rs->face >= 0 ? lay_font(l, rs->face) : NULL;
        if (f) {
            if (rg_font_shape(f, cps, m, l->t->face[rs->face].ligatures, gid, kern)) {
                rc = -1;
                break;
            }
            for (size_t k = 0; k < m; k++) {
                if (kern[k])
                    w[at[k]] = (rg_mpt)(((int64_t)rg_font_units(f, cps[k]) + kern[k]) * rs->size /
                                        rg_font_upem(f));
                joined[at[k]] = gid[k] == 0;
            }
        }
        i = j < p->len && p->runidx[j] == r ? j + 1 : j; /* past a line feed */
    }
    free(cps);
    free(kern);
    free(at);
    free(gid);
    return rc;
}

/* FNV-1a of a paragraph's text: the key of both memos below. */
static uint32_t text_hash(const char *buf, size_t len)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)buf[i]) * 16777619u;
    return h;
}

/* Break opportunities already found, by paragraph text: the layout lays a
 * paragraph out more than once (again for page references, after measuring
 * table columns), and what libunibreak and hard_hyphen_break say depends on
 * the text alone. Kept in the document's arena for one rg_layout. */
#define BRK_MEMO 1024
struct brkmemo {
    uint32_t hash;
    size_t len;
    const char *text, *brk;
    struct brkmemo *next;
};

/* UAX #14 gives every ASCII letter the line-breaking class AL, as it
 * gives '#'. libunibreak 1.1 looks a character's class up by walking its
 * table from the start, where '#' is 9 ranges in and a lower-case letter
 * over 30: the text it reads has its letters as '#', which gives the same
 * breaks (test_linebreak holds them to the text's own) for a third of the
 * look-ups' cost. out has len bytes. */
static const utf8_t *letters_as_al(const char *buf, size_t len, char *out)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)buf[i];
        out[i] = (char)(((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ? '#' : c);
    }
    return (const utf8_t *)out;
}

/* p's break opportunities into brk (p->len bytes), as the breaker reads
 * them: UAX #14's, no break after a hyphen that is not between two words,
 * and a break at the end. h is text_hash of p's text. */
static void para_breaks(L *l, const para *p, uint32_t h, char *brk)
{
    struct brkmemo **slot = l->brk_memo ? &l->brk_memo[h % BRK_MEMO] : NULL;
    for (const struct brkmemo *m = slot ? *slot : NULL; m; m = m->next)
        if (m->hash == h && m->len == p->len && memcmp(m->text, p->buf, p->len) == 0) {
            memcpy(brk, m->brk, p->len);
            return;
        }
    /* libunibreak looks a character's class up from the start of its
     * table until its index is made: once per process, before the first
     * paragraph (on either thread). */
    static pthread_once_t indexed = PTHREAD_ONCE_INIT;
    pthread_once(&indexed, init_linebreak);
    char small[1024], *big = p->len > sizeof small ? malloc(p->len) : NULL;
    const utf8_t *read = p->len <= sizeof small ? letters_as_al(p->buf, p->len, small)
                         : big                  ? letters_as_al(p->buf, p->len, big)
                                                : (const utf8_t *)p->buf; /* no memory: as it is */
    set_linebreaks_utf8(read, p->len, "en", brk);
    free(big);
    for (size_t i = 0; i + 1 < p->len; i++)
        if (brk[i] == LINEBREAK_ALLOWBREAK && p->buf[i] == '-' && !hard_hyphen_break(p->buf, p->len, i))
            brk[i] = LINEBREAK_NOBREAK;
    brk[p->len - 1] = LINEBREAK_MUSTBREAK;
    /* Straight from the arena: when it has no room, the paragraph is only
     * not remembered (lay_alloc would fail the layout). */
    if (!l->brk_memo && !(l->brk_memo = rg_arena_alloc(l->a, BRK_MEMO * sizeof *l->brk_memo)))
        return;
    struct brkmemo *m = rg_arena_alloc(l->a, sizeof *m);
    char *text = m ? rg_arena_alloc(l->a, 2 * p->len) : NULL;
    if (!text)
        return;
    memcpy(text, p->buf, p->len);
    memcpy(text + p->len, brk, p->len);
    *m = (struct brkmemo){h, p->len, text, text + p->len, l->brk_memo[h % BRK_MEMO]};
    l->brk_memo[h % BRK_MEMO] = m;
}

/* Paragraphs measured and broken already. What lay_para_range works out
 * before it makes slabs (the widths after kerning, the ligature marks, the
 * break opportunities and the lines) depends only on the built text, the
 * runs' styles and where each run starts, and the measure: the second pass
 * for page references meets most paragraphs again, as do a table cell set
 * after it was probed and a header on every page. So they are kept in the
 * arena for one rg_layout, found by the text's hash and compared in full:
 * the text byte for byte, the run starts, every run's style but its
 * structure node (each pass makes its own) and its link by content. A
 * "see page 9" that became "see page 10" is another text; a contents entry
 * whose number grew keeps its words but has another measure. Lines that cut
 * a word are not kept: the cut's warning or a table cell's error is the
 * block's own. With RG_PARA_MEMO 0, nothing is kept (the render tests
 * compare the two builds' output). */
#ifndef RG_PARA_MEMO
#define RG_PARA_MEMO 1
#endif
#define PARA_MEMO 1024

struct runstart { size_t at; int run; };

struct paralines {                /* the lines at one measure */
    rg_mpt avail;
    int balance;
    size_t n;
    const line *v;
    struct paralines *next;
};

struct paramemo {
    uint32_t hash;
    size_t len;
    const char *text;
    int nruns, nstarts;
    const run *runs;              /* the styles, structure nodes cleared */
    const struct runstart *starts;/* each byte where the run index changes */
    const rg_mpt *w;
    const unsigned char *joined;
    const char *brk;
    struct paralines *lines;
    /* The last probe: from the widest piece probe_in before it, the widest
     * after it and its name (NULL: not wider). */
    int probed;
    rg_mpt probe_in, probe_out;
    const char *probe_word;
    struct paramemo *next;
};

static int href_same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Do p's runs, and where they start, match m's? */
static int runs_same(const struct paramemo *m, const para *p)
{
    for (int r = 0; r < p->nruns; r++)
        if (!cs_same_look(&m->runs[r].s, &p->runs[r].s) || !href_same(m->runs[r].href, p->runs[r].href))
            return 0;
    int k = 0;
    for (size_t i = 0; i < p->len; i++)
        if (i == 0 || p->runidx[i] != p->runidx[i - 1]) {
            if (k == m->nstarts || m->starts[k].at != i || m->starts[k].run != p->runidx[i])
                return 0;
            k++;
        }
    return k == m->nstarts;
}

/* The memo of a paragraph like p (h its text's hash), or NULL. */
static struct paramemo *memo_find(L *l, const para *p, uint32_t h)
{
    if (!RG_PARA_MEMO || !l->para_memo)
        return NULL;
    for (struct paramemo *m = l->para_memo[h % PARA_MEMO]; m; m = m->next)
        if (m->hash == h && m->len == p->len && m->nruns == p->nruns && memcmp(m->text, p->buf, p->len) == 0 &&
            runs_same(m, p))
            return m;
    return NULL;
}

/* Keeps p's measures (copies of w, joined and brk); the memo, or NULL
 * when the arena has no room (the paragraph is then only not kept). */
static struct paramemo *memo_keep(L *l, const para *p, uint32_t h, const rg_mpt *w, const unsigned char *joined,
                                  const char *brk)
{
    if (!RG_PARA_MEMO)
        return NULL;
    if (!l->para_memo && !(l->para_memo = rg_arena_alloc(l->a, PARA_MEMO * sizeof *l->para_memo)))
        return NULL;
    int nstarts = 0;
    for (size_t i = 0; i < p->len; i++)
        nstarts += i == 0 || p->runidx[i] != p->runidx[i - 1];
    struct paramemo *m = rg_arena_alloc(l->a, sizeof *m);
    run *runs = m ? rg_arena_alloc(l->a, (size_t)p->nruns * sizeof *runs) : NULL;
    struct runstart *st = runs ? rg_arena_alloc(l->a, (size_t)nstarts * sizeof *st) : NULL;
    rg_mpt *mw = st ? rg_arena_alloc(l->a, p->len * sizeof *mw) : NULL;
    char *text = mw ? rg_arena_alloc(l->a, 3 * p->len) : NULL;
    if (!text)
        return NULL;
    for (int r = 0; r < p->nruns; r++) {
        runs[r] = p->runs[r];
        runs[r].s.sn = NULL;
    }
    int k = 0;
    for (size_t i = 0; i < p->len; i++)
        if (i == 0 || p->runidx[i] != p->runidx[i - 1])
            st[k++] = (struct runstart){i, p->runidx[i]};
    memcpy(mw, w, p->len * sizeof *mw);
    memcpy(text, p->buf, p->len);
    memcpy(text + p->len, joined, p->len);
    memcpy(text + 2 * p->len, brk, p->len);
    *m = (struct paramemo){.hash = h, .len = p->len, .text = text, .nruns = p->nruns, .nstarts = nstarts,
                           .runs = runs, .starts = st, .w = mw, .joined = (const unsigned char *)text + p->len,
                           .brk = text + 2 * p->len, .next = l->para_memo[h % PARA_MEMO]};
    l->para_memo[h % PARA_MEMO] = m;
    return m;
}

static const struct paralines *lines_find(const struct paramemo *m, rg_mpt avail, int balance)
{
    for (const struct paralines *x = m ? m->lines : NULL; x; x = x->next)
        if (x->avail == avail && x->balance == balance)
            return x;
    return NULL;
}

/* Keeps a copy of lv as m's lines at avail (when the arena has room). */
static void lines_keep(L *l, struct paramemo *m, rg_mpt avail, int balance, const linevec *lv)
{
    struct paralines *x = rg_arena_alloc(l->a, sizeof *x);
    line *v = x ? rg_arena_alloc(l->a, lv->n * sizeof *v) : NULL;
    if (!v)
        return;
    memcpy(v, lv->v, lv->n * sizeof *v);
    *x = (struct paralines){avail, balance, lv->n, v, m->lines};
    m->lines = x;
}

/* p's widths per character (at its first byte, kerned) into w, with the
 * ligature marks into joined and the glyph checks: BRK_OK, BRK_OOM, or
 * BRK_FAILED after a diagnostic. */
static int para_widths(L *l, const rg_node *n, const para *p, rg_mpt *w, unsigned char *joined)
{
    for (size_t i = 0; i < p->len;) {
        int len;
        int32_t cp = rg_utf8_decode(p->buf + i, p->len - i, &len);
        const cs *rs = &p->runs[p->runidx[i]].s;
        if (cp < 0) {
            lay_lerr(l, n, "invalid UTF-8 in text");
            return BRK_FAILED;
        }
        if (rs->face < 0) {
            lay_lerr(l, n, "theme '%s' has no font", l->t->name);
            return BRK_FAILED;
        }
        if (cp != '\n') {
            const rg_font *f = lay_font(l, rs->face);
            if (!f)
                return BRK_FAILED;
            if (rg_font_glyph(f, (uint32_t)cp) == 0) {
                lay_lerr(l, n, "character U+%04X '%.*s' is not in font %s", (unsigned)cp, len, p->buf + i,
                         rg_font_psname(f));
                return BRK_FAILED;
            }
            w[i] = lay_adv(l, rs, (uint32_t)cp);
        }
        i += (size_t)len;
    }
    if (kern_widths(l, p, w, joined))
        return BRK_OOM;
    return l->failed ? BRK_FAILED : BRK_OK;
}

/* The paragraph's lines at avail into lv (empty), evened out when balance
 * is set: BRK_OK, BRK_OOM or BRK_FAILED. */
static int para_lines(brkrun *br, rg_mpt avail, int balance, linevec *lv)
{
    int splits = 0;
    int br_r = break_lines(br, avail, lv, &splits);
    if (br_r != BRK_OK || !balance || lv->n < 2)
        return br_r;
    /* The narrowest measure that keeps the line count (and splits no
     * more words) makes the lines as even as they can be: no last line
     * of one word when the words could be shared out. */
    linevec tv = {0};
    rg_mpt lo = 0, hi = avail;
    size_t want = lv->n;
    br->trial = 1;
    while (hi - lo > 100) {
        rg_mpt mid = lo + (hi - lo) / 2;
        int ts = 0;
        tv.n = 0;
        br_r = break_lines(br, mid, &tv, &ts);
        if (br_r == BRK_OOM) {
            free(tv.v);
            return BRK_OOM;
        }
        if (br_r == BRK_OK && tv.n == want && ts <= splits)
            hi = mid;
        else
            lo = mid;
    }
    br->trial = 0;
    if (hi < avail) {
        tv.n = 0;
        int ts = 0;
        br_r = break_lines(br, hi, &tv, &ts);
        if (br_r == BRK_OOM) {
            free(tv.v);
            return BRK_OOM;
        }
        if (br_r == BRK_OK && tv.n == want) {
            free(lv->v);
            *lv = tv;
            tv.v = NULL;
        }
    }
    free(tv.v);
    return BRK_OK;
}

/* probe_words, or what it did when it last met the same paragraph (m)
 * and the same widest piece so far. Not kept: a word it could not name, or
 * a probe without the hyphenation patterns it needed (the next one may
 * read them). */
static void para_probe(brkrun *br, struct paramemo *m)
{
    L *l = br->l;
    rg_mpt in = l->probe_w;
    if (m && m->probed && m->probe_in == in) {
        if (m->probe_word) {
            l->probe_w = m->probe_out;
            l->probe_word = m->probe_word;
        }
        return;
    }
    int unread = 0;
    int wider = probe_words(br, &unread);
    if (m && !unread && !(wider && l->probe_word == word_unnamed)) {
        m->probed = 1;
        m->probe_in = in;
        m->probe_out = l->probe_w;
        m->probe_word = wider ? l->probe_word : NULL;
    }
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
    rg_mpt *ow = NULL;            /* measures of this call (those of a memo are the arena's) */
    char *obrk = NULL;
    unsigned char *ojoined = NULL;
    linevec lv = {0};
    /* Every run of the paragraph names the node its text goes in: the
     * paragraph's, or a link's inside it. */
    cs ps = *s;
    ps.sn = lay_para_node(l, s);
    ps.into = 1;
    if (l->failed)
        goto done;
    if (ps.sn && ps.sn != s->sn && first == n->first && rg_node_attr(n, "read-as"))
        ps.sn->actual = rg_node_attr(n, "read-as"); /* a paragraph's own words for a reader */
    para_inline_range(l, &p, first, stop, &ps, NULL);
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
    uint32_t h = text_hash(p.buf, p.len);
    struct paramemo *pm = memo_find(l, &p, h);
    const rg_mpt *w;
    const unsigned char *joined;
    const char *brk;
    if (pm) {
        w = pm->w;
        joined = pm->joined;
        brk = pm->brk;
    } else {
        ow = rg_fail_now() ? NULL : calloc(p.len, sizeof *ow);
        obrk = rg_fail_now() ? NULL : malloc(p.len);
        ojoined = rg_fail_now() ? NULL : calloc(p.len, 1);
        if (!ow || !obrk || !ojoined)
            goto oom;
        int wr = para_widths(l, n, &p, ow, ojoined);
        if (wr == BRK_OOM)
            goto oom;
        if (wr != BRK_OK)
            goto done;
        para_breaks(l, &p, h, obrk);
        pm = memo_keep(l, &p, h, ow, ojoined, obrk);
        w = ow;
        joined = ojoined;
        brk = obrk;
    }
    rg_mpt avail = width - right_pad;
    if (avail < RG_PT(1))
        avail = RG_PT(1);
    brkrun br = {l, n, &p, w, joined, brk, 0, 0};
    if (l->probe) {
        para_probe(&br, pm);
        goto done;
    }
    int balance = s->balance == 2;
    const struct paralines *known = lines_find(pm, avail, balance);
    if (!known) {
        int br_r = para_lines(&br, avail, balance, &lv);
        if (br_r == BRK_OOM)
            goto oom;
        if (br_r != BRK_OK)
            goto done;
        if (pm && !br.cut)
            lines_keep(l, pm, avail, balance, &lv);
    }
    /* Lines to slabs. The first line keeps with the second (no orphan at a
     * page's foot) and the last but one with the last (no widow at its head). */
    const line *lines = known ? known->v : lv.v;
    size_t nlines = known ? known->n : lv.n;
    /* the first part of the word hyphenated at the line before, or NULL,
     * and where the word ends */
    const char *prev_head = NULL;
    size_t prev_we = 0;
    for (size_t li = 0; li < nlines && !l->failed; li++) {
        const line *ln = &lines[li];
        slab *sl = lay_slab_new(l, n);
        if (sl && nlines >= 2 && (li == 0 || li + 2 == nlines))
            sl->keep_next = 1;
        if (!sl)
            goto done;
        rg_mpt above = 0, below = 0;
        for (size_t i = ln->start; i < (ln->end > ln->start ? ln->end : ln->start + 1) && i < p.len; i++) {
            if (i > ln->start && p.runidx[i] == p.runidx[i - 1])
                continue; /* the same style: the same heights */
            const cs *rs = &p.runs[p.runidx[i]].s;
            const rg_font *f = lay_font(l, rs->face);
            if (!f)
                goto done;
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
        /* A line that ends at a word's own hyphen ("survivor-|informed"):
         * poppler and the text extractors that follow it take a line-final
         * U+002D for a hyphenation mark and drop it ("survivorinformed").
         * The run ends in U+2010 HYPHEN instead, the mark that belongs to
         * the word; the painter draws it as the font's hyphen-minus, the
         * width measured here (paint_pdf.c). So does a hyphen that ends a
         * word of its own ("pre- and post-trial"), which keeps its space. */
        /* A word hyphenated at this line's end: [hy_ws, hy_we), when it is
         * of one style and the next line starts with its rest. Its first
         * part is drawn as shapes and read with the rest (paint_pdf.c). */
        size_t hy_ws = ln->end, hy_we = ln->end;
        const char *hy_head = NULL;
        if (ln->hyphen && li + 1 < nlines && lines[li + 1].start == ln->end) {
            while (hy_ws > ln->start && p.buf[hy_ws - 1] != ' ' && p.buf[hy_ws - 1] != '\n')
                hy_ws--;
            while (hy_we < lines[li + 1].end && p.buf[hy_we] != ' ' && p.buf[hy_we] != '\n')
                hy_we++;
            for (size_t k = hy_ws; k < hy_we; k++)
                if (p.runidx[k] != p.runidx[hy_ws])
                    hy_ws = hy_we = ln->end;
        }
        int hard = !ln->hyphen && !ln->last && ln->end > ln->start && p.buf[ln->end - 1] == '-' &&
                   ln->end < p.len;
        int in_word = hard && p.buf[ln->end] != ' ' && p.buf[ln->end] != '\n';
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
        const char *lasthref = NULL;
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
                t->node = ru->s.sn;
                int add_hyphen = ln->hyphen && te == ln->end;
                int hard_end = hard && te == ln->end;
                /* A space after the words, drawn but not measured: whoever
                 * reads the text in order (a screen reader, the structure
                 * tree) finds the word boundaries that placement made. */
                int add_space = !add_hyphen && !(hard_end && in_word) &&
                                (te < j || (justify && j < ln->end && p.buf[j] == ' ') ||
                                 (te == ln->end && li + 1 < nlines));
                /* Copied, not formatted: a document has thousands of these. */
                const char *tail = add_hyphen ? "-" : hard_end ? "\xe2\x80\x90" : "";
                size_t body = te - i - (size_t)hard_end, tl = strlen(tail);
                char *txt = rg_arena_alloc(l->a, body + tl + (size_t)add_space + 1);
                if (!txt) {
                    para_oom(l);
                    goto done;
                }
                memcpy(txt, p.buf + i, body);
                memcpy(txt + body, tail, tl);
                if (add_space)
                    txt[body + tl] = ' '; /* the arena's memory is zeroed: the NUL is there */
                t->text = txt;
                t->len = body + tl + (size_t)add_space;
                /* (a word over three lines: the first part goes on to the third) */
                int carry = prev_head && hy_ws == ln->start && hy_ws < ln->end;
                if (add_hyphen && hy_ws < ln->end && i <= hy_ws) {
                    if (!(t->word = rg_arena_strndup(l->a, p.buf + hy_ws, hy_we - hy_ws)) ||
                        !(hy_head = rg_arena_printf(l->a, "%s%.*s", carry ? prev_head : "",
                                                    (int)(ln->end - hy_ws), p.buf + hy_ws))) {
                        para_oom(l);
                        goto done;
                    }
                }
                if (i == ln->start && prev_head && te >= prev_we && !carry)
                    t->head = prev_head;
                lay_slab_add(sl, t);
                if (ru->href) {
                    const rg_font *f = lay_font(l, ru->s.face);
                    if (!f)
                        goto done;
                    rg_mpt A = (rg_mpt)((int64_t)rg_font_ascent(f) * ru->s.size / 1000);
                    rg_mpt D = (rg_mpt)((int64_t)-rg_font_descent(f) * ru->s.size / 1000);
                    if (lastlink && lasthref == ru->href && lastlink->x + lastlink->w <= x + 1) {
                        lastlink->w = x + tw - lastlink->x;
                    } else {
                        rg_prim *k = lay_prim_new(l, RG_P_LINK);
                        if (!k)
                            goto done;
                        k->x = x;
                        k->y = above - A;
                        k->w = tw;
                        k->h = A + D;
                        /* "#name" is a place in the document; "#" alone stays a
                         * link to nowhere, as written (the checks warn of it). */
                        if (ru->href[0] == '#' && ru->href[1])
                            k->dest = ru->href + 1;
                        else
                            k->uri = ru->href;
                        k->node = ru->s.sn;
                        lay_slab_add(sl, k);
                        lastlink = k;
                        lasthref = ru->href;
                    }
                }
            }
            x += fw;
            i = j;
        }
        prev_head = hy_head;
        prev_we = hy_we;
        lay_slist_add(out, sl);
    }
    goto done;
oom:
    if (!l->oom)
        rg_diag_add(l->d, RG_SEV_ERROR, "", 0, 0, "out of memory");
    l->failed = l->oom = 1;
done:
    free(ow);
    free(obrk);
    free(ojoined);
    free(lv.v);
    para_free(&p);
}


/* The width of one line of text in style s, kerned as the painter draws
 * it; when memory runs out, the layout fails (l->oom) and 0 comes back. */
rg_mpt lay_text_width(L *l, const cs *s, const char *text)
{
    rg_mpt w = 0;
    size_t n = strlen(text), m = 0;
    if (s->face < 0 || n == 0)
        return 0;
    uint32_t *cps = rg_fail_now() ? NULL : malloc(n * sizeof *cps);
    int *kern = rg_fail_now() ? NULL : malloc(n * sizeof *kern);
    unsigned *gid = rg_fail_now() ? NULL : malloc(n * sizeof *gid);
    if (!cps || !kern || !gid) {
        free(cps);
        free(kern);
        free(gid);
        para_oom(l);
        return 0;
    }
    for (size_t i = 0; i < n;) {
        int len;
        int32_t cp = rg_utf8_decode(text + i, n - i, &len);
        if (cp > 0)
            cps[m++] = (uint32_t)cp;
        i += (size_t)(len > 0 ? len : 1);
    }
    const rg_font *f = lay_font(l, s->face);
    if (!f)
        ; /* the layout has failed */
    else if (rg_font_shape(f, cps, m, l->t->face[s->face].ligatures, gid, kern))
        para_oom(l);
    else
        for (size_t i = 0; i < m; i++)
            w += (rg_mpt)(((int64_t)rg_font_units(f, cps[i]) + kern[i]) * s->size / rg_font_upem(f));
    free(cps);
    free(kern);
    free(gid);
    return w;
}
