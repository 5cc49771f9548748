/* Tests for the line breaker, through the real layout engine: layout
 * documents rendered with the public API to the trace format, whose text
 * lines are then measured with the font's own advance widths. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linebreak.h>

#include "rg.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif
#ifndef RG_DATADIR
#define RG_DATADIR "."
#endif

#define LEFT 72000            /* the frame's left edge: margin 72pt */
#define PAGE_W 612000         /* letter */

/* ---- fixture ------------------------------------------------------------ */

typedef struct fixture {
    char dir[64];
    char in[PATH_MAX], out[PATH_MAX];
    rg_context *ctx;
    rg_font *lato;            /* fonts/Lato-Regular.ttf, for measuring */
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "%s", "/tmp/rg-linebreak-XXXXXX");
    if (!mkdtemp(fx->dir)) {
        free(fx);
        return -1;
    }
    snprintf(fx->in, sizeof fx->in, "%s/in.xml", fx->dir);
    snprintf(fx->out, sizeof fx->out, "%s/out.trace", fx->dir);
    fx->ctx = rg_context_new(NULL); /* RG_DATADIR: this checkout */
    char err[128];
    fx->lato = rg_font_load(RG_DATADIR "/fonts/Lato-Regular.ttf", err, sizeof err);
    if (!fx->ctx || !fx->lato) {
        fprintf(stderr, "setup: %s\n", fx->lato ? "no context" : err);
        rg_context_free(fx->ctx);
        rg_font_free(fx->lato);
        rmdir(fx->dir);
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    unlink(fx->in);
    unlink(fx->out);
    rmdir(fx->dir);
    rg_context_free(fx->ctx);
    rg_font_free(fx->lato);
    free(fx);
    return 0;
}

/* ---- the trace ---------------------------------------------------------- */

typedef struct item {
    long x, y, size;          /* millipoints */
    char font[64];
    char *text;
} item;

typedef struct trace {
    item *v;
    int n;
    int pages;
} trace;

static void trace_free(trace *t)
{
    for (int i = 0; i < t->n; i++)
        free(t->v[i].text);
    free(t->v);
    memset(t, 0, sizeof *t);
}

/* "72.000" -> 72000 */
static long mpt(const char *s)
{
    int neg = *s == '-';
    if (neg)
        s++;
    long ip = strtol(s, (char **)&s, 10);
    long fp = 0;
    if (*s == '.') {
        s++;
        for (int k = 0; k < 3; k++)
            fp = fp * 10 + (s[k] >= '0' && s[k] <= '9' ? s[k] - '0' : 0);
    }
    return neg ? -(ip * 1000 + fp) : ip * 1000 + fp;
}

static const char *field(const char *line, const char *key)
{
    const char *p = strstr(line, key);
    if (!p)
        fail_msg("no '%s' in trace line: %s", key, line);
    return p + strlen(key);
}

static void parse_trace(const char *path, trace *t)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[8192];
    int cap = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (strncmp(line, "page ", 5) == 0)
            t->pages++;
        if (strncmp(line, "  text ", 7) != 0)
            continue;
        if (t->n == cap) {
            cap = cap ? cap * 2 : 64;
            t->v = realloc(t->v, (size_t)cap * sizeof *t->v);
            assert_non_null(t->v);
        }
        item *it = &t->v[t->n++];
        memset(it, 0, sizeof *it);
        it->x = mpt(field(line, " x="));
        it->y = mpt(field(line, " y="));
        it->size = mpt(field(line, " size="));
        const char *fo = field(line, " font=");
        size_t fl = strcspn(fo, " ");
        assert_true(fl < sizeof it->font);
        memcpy(it->font, fo, fl);
        const char *q = strchr(field(line, " role="), '"');
        const char *e = strrchr(line, '"');
        assert_non_null(q);
        assert_true(e > q);
        it->text = strndup(q + 1, (size_t)(e - q - 1));
        assert_non_null(it->text);
        /* A word run may end in one space, drawn for text extraction but
         * not part of the measured width: strip it, and allow no more. */
        size_t tl = strlen(it->text);
        if (tl > 0 && it->text[tl - 1] == ' ')
            it->text[tl - 1] = 0;
    }
    fclose(f);
}

/* ---- rendering ---------------------------------------------------------- */

/* A layout document with a frame of the given width (millipoints) between
 * the left margin and the right one. */
static char *layout_doc(long width, const char *body)
{
    long right = PAGE_W - LEFT - width;
    size_t n = strlen(body) + 512;
    char *s = malloc(n);
    assert_non_null(s);
    snprintf(s, n,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<document theme=\"sharedhope\">\n"
             "  <page-style size=\"letter\" margin=\"72pt %ld.%03ldpt 72pt 72pt\"/>\n"
             "  <section>\n%s\n  </section>\n"
             "</document>\n",
             right / 1000, right % 1000, body);
    return s;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

static rg_status render_to(fixture *fx, long width, const char *body, trace *t, rg_diags *d)
{
    char *doc = layout_doc(width, body);
    write_file(fx->in, doc);
    free(doc);
    unlink(fx->out);
    rg_render_options opt = {NULL, RG_FORMAT_TRACE, 0, 0, NULL, RG_PDF_ARCHIVAL};
    rg_status st = rg_render_file(fx->ctx, fx->in, fx->out, &opt, d);
    memset(t, 0, sizeof *t);
    if (st == RG_OK)
        parse_trace(fx->out, t);
    return st;
}

/* Renders and expects success; prints the diagnostics otherwise. */
static void render(fixture *fx, long width, const char *body, trace *t)
{
    rg_diags *d = rg_diags_new();
    assert_non_null(d);
    rg_status st = render_to(fx, width, body, t, d);
    if (st != RG_OK) {
        char buf[1024];
        for (size_t i = 0; i < rg_diags_count(d); i++) {
            rg_diag_format(rg_diags_get(d, i), buf, sizeof buf);
            print_message("%s\n", buf);
        }
        rg_diags_free(d);
        fail_msg("render failed with status %d", (int)st);
    }
    rg_diags_free(d);
    assert_int_equal(t->pages, 1);
    assert_true(t->n > 0);
}

/* ---- measuring ---------------------------------------------------------- */

/* A small decoder of our own, so that measuring does not lean on utf8.c. */
static uint32_t next_cp(const char **s)
{
    const unsigned char *u = (const unsigned char *)*s;
    uint32_t c = u[0];
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n > 1)
        c &= 0xFFu >> (n + 1);
    for (int i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80)
            fail_msg("a trace text is not valid UTF-8 (split inside a character?)");
        c = c << 6 | (u[i] & 0x3F);
    }
    *s += n;
    return c;
}

/* Width in millipoints as a PDF viewer computes it from the font's widths
 * and kerning (font units, each glyph's width with its kerning rounded
 * down to the millipoint). */
static long width_of(const fixture *fx, const char *text, long size)
{
    uint32_t cps[512] = {0};
    int kern[512];
    size_t n = 0;
    long w = 0;
    for (const char *s = text; *s && n < 512;)
        cps[n++] = next_cp(&s);
    assert_int_equal(rg_font_kern(fx->lato, cps, n, kern), 0);
    for (size_t i = 0; i < n; i++) {
        int a = (int)rg_font_units(fx->lato, cps[i]);
        if (a <= 0)
            fail_msg("Lato has no width for U+%04X", (unsigned)cps[i]);
        w += (long)((int64_t)(a + kern[i]) * size / rg_font_upem(fx->lato));
    }
    return w;
}

/* ---- lines: items grouped by baseline ----------------------------------- */

typedef struct tline {
    int first, n;             /* items [first, first + n) */
    long y, x0, x1;           /* baseline, left of the first, right of the last */
    char text[2048];          /* the items' texts joined by single spaces */
} tline;

static int group_lines(const fixture *fx, const trace *t, tline *ln, int max)
{
    int n = 0;
    for (int i = 0; i < t->n; i++) {
        const item *it = &t->v[i];
        if (strcmp(it->font, "Lato-Regular") != 0)
            fail_msg("item \"%s\" in font %s", it->text, it->font);
        if (it->text[0] == 0)
            fail_msg("an empty text item at y=%ld", it->y);
        if (it->text[0] == ' ' || it->text[strlen(it->text) - 1] == ' ')
            fail_msg("item \"%s\" starts or ends with a space", it->text);
        if (n == 0 || ln[n - 1].y != it->y) {
            assert_true(n < max);
            if (n > 0 && it->y <= ln[n - 1].y)
                fail_msg("line %d is not below line %d", n, n - 1);
            memset(&ln[n], 0, sizeof ln[n]);
            ln[n].first = i;
            ln[n].y = it->y;
            ln[n].x0 = it->x;
            n++;
        } else {
            strcat(ln[n - 1].text, " ");
        }
        tline *l = &ln[n - 1];
        assert_true(strlen(l->text) + strlen(it->text) + 2 < sizeof l->text);
        strcat(l->text, it->text);
        l->n++;
        l->x1 = it->x + width_of(fx, it->text, it->size);
    }
    return n;
}

/* Words of a text joined by single spaces (XML white space collapsed). */
static char *normalize(const char *s)
{
    char *out = malloc(strlen(s) + 1);
    assert_non_null(out);
    size_t k = 0;
    for (; *s; s++) {
        int sp = *s == ' ' || *s == '\n' || *s == '\t';
        if (sp && (k == 0 || out[k - 1] == ' '))
            continue;
        out[k++] = sp ? ' ' : *s;
    }
    while (k > 0 && out[k - 1] == ' ')
        k--;
    out[k] = 0;
    return out;
}

static char *join_lines(const tline *ln, int n, const char *sep)
{
    size_t len = 1;
    for (int i = 0; i < n; i++)
        len += strlen(ln[i].text) + strlen(sep);
    char *s = malloc(len);
    assert_non_null(s);
    s[0] = 0;
    for (int i = 0; i < n; i++) {
        if (i)
            strcat(s, sep);
        strcat(s, ln[i].text);
    }
    return s;
}

static const char TEXT[] =
    "Policy goals accomplished in areas related to buyer and trafficker accountability "
    "under state CSEC laws and decoy defenses. Gaps remain in areas related to buyer "
    "accountability under the trafficking law, mistake of age defenses, business entity "
    "liability under the trafficking law, and financial penalties.";

#define MAXL 200

/* ---- tests -------------------------------------------------------------- */

static void test_wraps_within_frame(void **state)
{
    fixture *fx = *state;
    static const long widths[] = {100000, 140000, 187500, 263333, 400000};
    char *want = normalize(TEXT);
    char body[2048];
    snprintf(body, sizeof body, "<p size=\"10pt\">%s</p>", TEXT);
    tline *ln = calloc(MAXL, sizeof *ln);
    assert_non_null(ln);
    for (size_t k = 0; k < sizeof widths / sizeof widths[0]; k++) {
        long W = widths[k];
        trace t;
        render(fx, W, body, &t);
        int n = group_lines(fx, &t, ln, MAXL);
        if (n < 3)
            fail_msg("width %ld: %d lines; a narrow frame must wrap", W, n);
        long space = width_of(fx, " ", 10000);
        for (int i = 0; i < n; i++) {
            assert_int_equal(t.v[ln[i].first].size, 10000);
            if (ln[i].x0 != LEFT)
                fail_msg("width %ld line %d starts at %ld", W, i, ln[i].x0);
            if (ln[i].x1 > LEFT + W)
                fail_msg("width %ld line %d \"%s\" ends at %ld, past the frame's %ld", W, i,
                         ln[i].text, ln[i].x1, LEFT + W);
            /* Greedy: the next line's first word would not have fitted. */
            if (i + 1 < n) {
                char first[256];
                snprintf(first, sizeof first, "%.*s", (int)strcspn(ln[i + 1].text, " "), ln[i + 1].text);
                long more = ln[i].x1 + space + width_of(fx, first, 10000);
                if (more <= LEFT + W)
                    fail_msg("width %ld: \"%s\" would have fitted after \"%s\"", W, first, ln[i].text);
                /* 10pt at leading 1.25: 12.5pt apart (one millipoint of rounding). */
                long dy = ln[i + 1].y - ln[i].y;
                if (dy < 12499 || dy > 12501)
                    fail_msg("lines %d and %d are %ld mpt apart", i, i + 1, dy);
            }
        }
        /* Every word, in order, none lost or doubled. */
        char *got = join_lines(ln, n, " ");
        assert_string_equal(got, want);
        free(got);
        trace_free(&t);
    }
    free(ln);
    free(want);
}

/* One width: the word is cut between characters, each piece as long as
 * the frame allows, and nothing is lost. */
static void long_word_at(fixture *fx, const char *word, long W)
{
    char body[1024];
    snprintf(body, sizeof body, "<p size=\"10pt\">aa %s bb</p>", word);
    assert_true(width_of(fx, word, 10000) > 2 * W);
    trace t;
    render(fx, W, body, &t);
    tline ln[MAXL];
    int n = group_lines(fx, &t, ln, MAXL);
    assert_true(n >= 4);
    assert_string_equal(ln[0].text, "aa"); /* the word does not fit after "aa" */
    /* Nothing lost: the pieces put together give the word back. */
    char *all = join_lines(ln, n, "");
    char want[512];
    snprintf(want, sizeof want, "aa%sbb", word);
    char *nospace = malloc(strlen(all) + 1);
    assert_non_null(nospace);
    size_t k = 0;
    for (const char *s = all; *s; s++)
        if (*s != ' ')
            nospace[k++] = *s;
    nospace[k] = 0;
    assert_string_equal(nospace, want);
    /* Each piece fits, and one more character would not have. */
    size_t used = 0;
    int pieces = 0;
    for (int i = 1; i < n; i++) {
        if (ln[i].x1 > LEFT + W)
            fail_msg("width %ld: piece \"%s\" ends at %ld, past %ld", W, ln[i].text, ln[i].x1, LEFT + W);
        size_t len = strlen(ln[i].text);
        if (strncmp(ln[i].text, word + used, len) != 0)
            break; /* the last piece, followed by " bb" */
        used += len;
        pieces++;
        if (used < strlen(word)) {
            const char *nx = word + used;
            const char *e = nx;
            next_cp(&e);
            char longer[256];
            snprintf(longer, sizeof longer, "%s%.*s", ln[i].text, (int)(e - nx), nx);
            if (width_of(fx, longer, 10000) <= W)
                fail_msg("width %ld: piece \"%s\" was cut short: \"%s\" fits", W, ln[i].text, longer);
        }
    }
    assert_true(pieces >= 2);
    free(nospace);
    free(all);
    trace_free(&t);
}

static void test_long_word_is_split(void **state)
{
    fixture *fx = *state;
    /* 70 characters, some of them two bytes long: far wider than the frame. */
    static const char word[] =
        "Pneumonoultramicroscopicsilicovolcanoconiosis\xc3\xa9t\xc3\xa9\xc3\xa9t\xc3\xa9" "abcdefghijklmnopqrs";
    /* Several widths, so that where the cut falls varies. */
    static const long widths[] = {100000, 101300, 102600, 103900, 97700, 95100, 92500, 110000};
    for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++)
        long_word_at(fx, word, widths[i]);
}

/* Cutting a word is reported: a warning naming it and its block's line,
 * once, however many layout passes the block goes through. */
static void test_cut_word_is_reported(void **state)
{
    fixture *fx = *state;
    rg_diags *d = rg_diags_new();
    assert_non_null(d);
    trace t;
    assert_int_equal(render_to(fx, 100000, "<p size=\"10pt\" src-line=\"7\">aa Pneumonoultramicroscopicsilicovolcanoconiosis bb</p>"
                                          "<p src-line=\"8\">x <ref to=\"z\"/></p><p id=\"z\">z</p>", &t, d), RG_OK);
    trace_free(&t);
    assert_int_equal(rg_diags_count(d), 1);
    const rg_diag *g = rg_diags_get(d, 0);
    assert_int_equal(g->severity, RG_SEV_WARNING);
    assert_int_equal(g->line, 7);
    const char *want = "the word 'Pneumonoultramicroscopicsilicovolcanocon...' is wider than its line";
    if (strncmp(g->message, want, strlen(want)) != 0)
        fail_msg("got \"%s\"", g->message);
    rg_diags_free(d);
}

/* Two blocks of the same words at the same measure: a paragraph laid out
 * again is not broken again (text.c keeps its lines), but a cut word is
 * still reported for each block that has it, in every pass's terms once. */
static void test_cut_word_reported_per_block(void **state)
{
    fixture *fx = *state;
    rg_diags *d = rg_diags_new();
    assert_non_null(d);
    trace t;
    assert_int_equal(render_to(fx, 100000, "<p size=\"10pt\" src-line=\"7\">aa Pneumonoultramicroscopicsilicovolcanoconiosis bb</p>"
                                          "<p size=\"10pt\" src-line=\"9\">aa Pneumonoultramicroscopicsilicovolcanoconiosis bb</p>"
                                          "<p src-line=\"11\">x <ref to=\"z\"/></p><p id=\"z\">z</p>", &t, d), RG_OK);
    trace_free(&t);
    assert_int_equal(rg_diags_count(d), 2);
    for (int i = 0; i < 2; i++) {
        const rg_diag *g = rg_diags_get(d, (size_t)i);
        assert_int_equal(g->severity, RG_SEV_WARNING);
        assert_int_equal(g->line, 7 + 2 * i);
        assert_non_null(strstr(g->message, "is wider than its line"));
    }
    rg_diags_free(d);
}

static void test_br_forces_break(void **state)
{
    fixture *fx = *state;
    trace t;
    tline ln[MAXL];
    render(fx, 400000, "<p>one two<br/>three <br/> four</p>", &t);
    int n = group_lines(fx, &t, ln, MAXL);
    assert_int_equal(n, 3);
    assert_string_equal(ln[0].text, "one two");
    assert_string_equal(ln[1].text, "three");
    assert_string_equal(ln[2].text, "four");
    long pitch = ln[1].y - ln[0].y;
    /* body: 9pt at leading 1.25 */
    assert_true(pitch >= 11249 && pitch <= 11251);
    assert_true(ln[2].y - ln[1].y >= 11249 && ln[2].y - ln[1].y <= 11251);
    trace_free(&t);

    /* Two in a row leave an empty line of full height. */
    render(fx, 400000, "<p>alpha<br/><br/>beta</p>", &t);
    n = group_lines(fx, &t, ln, MAXL);
    assert_int_equal(n, 2);
    assert_string_equal(ln[0].text, "alpha");
    assert_string_equal(ln[1].text, "beta");
    long dy = ln[1].y - ln[0].y;
    assert_true(dy >= 2 * 11250 - 2 && dy <= 2 * 11250 + 2);
    trace_free(&t);
}

#define HY "\xe2\x80\x90" /* U+2010 HYPHEN: a word's own hyphen at the end of a line */

/* The lines joined back into the paragraph's text: a line ending in U+2010
 * continues its word on the next line with a hyphen-minus. */
static char *rejoin(const tline *ln, int n)
{
    char *s = join_lines(ln, n, "\n");
    char *o = s;
    for (char *q = s; *q;) {
        if (strncmp(q, HY "\n", 4) == 0) {
            *o++ = '-';
            q += 4;
        } else {
            *o++ = *q == '\n' ? ' ' : *q;
            q++;
        }
    }
    *o = 0;
    return s;
}

/* UAX #14 allows a break after the hyphen of "Victim-Centered": when the
 * word does not fit, its first part stays on the line with the hyphen
 * rather than leaving the line short. */
static void test_hyphen_breaks_when_word_does_not_fit(void **state)
{
    fixture *fx = *state;
    /* A frame that holds "Tools for a Victim-" but not "...Victim-Centered". */
    long W = width_of(fx, "Tools for a Victim" HY, 10000) + 500;
    assert_true(width_of(fx, "Tools for a Victim-Centered", 10000) > W);
    assert_true(width_of(fx, "Victim-Centered", 10000) <= W); /* would fit on a line of its own */
    tline ln[MAXL];
    trace t;
    static const char text[] = "Tools for a Victim-Centered Criminal Justice Response";
    char body[512];
    snprintf(body, sizeof body, "<p size=\"10pt\">%s</p>", text);
    render(fx, W, body, &t);
    int n = group_lines(fx, &t, ln, MAXL);
    trace_free(&t);
    assert_true(n >= 2);
    assert_string_equal(ln[0].text, "Tools for a Victim" HY);
    assert_int_equal(strncmp(ln[1].text, "Centered ", 9), 0);
    for (int i = 0; i < n; i++)
        if (ln[i].x1 > LEFT + W)
            fail_msg("line %d \"%s\" is past the frame", i, ln[i].text);
    char *all = rejoin(ln, n);
    assert_string_equal(all, text);
    free(all);

    /* Justified, the same break, and the first line flush right. */
    snprintf(body, sizeof body, "<p size=\"10pt\" align=\"justify\">%s</p>", text);
    render(fx, W, body, &t);
    n = group_lines(fx, &t, ln, MAXL);
    trace_free(&t);
    assert_string_equal(ln[0].text, "Tools for a Victim" HY);
    if (labs(ln[0].x1 - (LEFT + W)) > 10)
        fail_msg("justified line \"%s\" ends at %ld, not %ld", ln[0].text, ln[0].x1, LEFT + W);
}

/* Where the hyphen is not a word's own: a minus sign before a number, a
 * year range (UAX #14: no break between a hyphen and a digit), an address.
 * Each frame would take the text up to and with the hyphen. */
static void test_no_break_after_other_hyphens(void **state)
{
    fixture *fx = *state;
    static const struct { const char *text, *first, *head; } cases[] = {
        {"fell to -15 degrees", "fell to", "fell to -"},
        {"over 2011-2021 there", "over", "over 2011-20"},
        {"see sharedhope.org/legislative-technical help", "see sharedhope.org/", "see sharedhope.org/legislative-"},
        {"a well--known case", "a", "a well--"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        long W = width_of(fx, cases[k].head, 10000) + 300;
        /* Wide enough for the word alone: the breaker has no need to cut it. */
        char word[128];
        size_t fl = strlen(cases[k].first) + (cases[k].first[strlen(cases[k].first) - 1] != '/');
        const char *sp = strchr(cases[k].text + fl, ' ');
        snprintf(word, sizeof word, "%.*s", (int)(sp - cases[k].text - fl), cases[k].text + fl);
        if (width_of(fx, word, 10000) + 300 > W)
            W = width_of(fx, word, 10000) + 300;
        char body[512];
        snprintf(body, sizeof body, "<p size=\"10pt\">%s</p>", cases[k].text);
        trace t;
        tline ln[MAXL];
        render(fx, W, body, &t);
        int n = group_lines(fx, &t, ln, MAXL);
        trace_free(&t);
        if (n < 2 || strcmp(ln[0].text, cases[k].first) != 0)
            fail_msg("\"%s\": first line \"%s\", expected \"%s\"", cases[k].text, n ? ln[0].text : "",
                     cases[k].first);
        for (int i = 0; i < n; i++)
            if (strstr(ln[i].text, HY))
                fail_msg("\"%s\": line \"%s\" ends at a word's hyphen", cases[k].text, ln[i].text);
    }
}

/* A hyphen that ends a word of its own ("pre- and post-trial") at the end
 * of a line is marked the same way (U+2010, which extraction keeps), and
 * keeps the space after it for readers of the text in order. */
static void test_suspended_hyphen_at_line_end(void **state)
{
    fixture *fx = *state;
    long W = width_of(fx, "xx pre- and", 10000) - 500;
    assert_true(width_of(fx, "xx pre" HY, 10000) < W);
    trace t;
    tline ln[MAXL];
    render(fx, W, "<p size=\"10pt\">xx pre- and post-trial</p>", &t);
    int n = group_lines(fx, &t, ln, MAXL);
    trace_free(&t);
    assert_true(n >= 2);
    assert_string_equal(ln[0].text, "xx pre" HY);
    FILE *f = fopen(fx->out, "r");
    assert_non_null(f);
    char line[1024];
    int found = 0;
    while (fgets(line, sizeof line, f))
        found |= strstr(line, "\"xx pre" HY " \"") != NULL;
    fclose(f);
    if (!found)
        fail_msg("no text run \"xx pre" HY " \" (with its space) in the trace");
}

/* A compound that broke at its own hyphen is not also hyphenated by the
 * patterns next to it ("survivor-in-|formed"). */
static void test_compound_not_hyphenated_again(void **state)
{
    fixture *fx = *state;
    long W = width_of(fx, "xx survivor-informe-", 10000);
    assert_true(width_of(fx, "xx survivor-informed", 10000) > W);
    trace t;
    tline ln[MAXL];
    /* The control: the patterns do break "informed" at this measure. */
    render(fx, W, "<p size=\"10pt\" hyphenate=\"yes\">xx survivor informed accountability</p>", &t);
    int n = group_lines(fx, &t, ln, MAXL);
    trace_free(&t);
    assert_true(n >= 2);
    assert_string_equal(ln[0].text, "xx survivor in-");
    render(fx, W, "<p size=\"10pt\" hyphenate=\"yes\">xx survivor-informed accountability</p>", &t);
    n = group_lines(fx, &t, ln, MAXL);
    trace_free(&t);
    assert_true(n >= 2);
    assert_string_equal(ln[0].text, "xx survivor" HY);
    assert_int_equal(strncmp(ln[1].text, "informed", 8), 0);
}

/* A word too wide for any line, in a paragraph: when it must split, the
 * place to split it is its hyphen, not whatever character reaches the edge. */
static void test_hyphen_used_when_word_must_split(void **state)
{
    fixture *fx = *state;
    long W = width_of(fx, "Victim-Cen", 10000);
    assert_true(width_of(fx, "Victim-Centered", 10000) > W);
    assert_true(width_of(fx, "Criminal", 10000) <= W);
    trace t;
    tline ln[MAXL];
    render(fx, W, "<p size=\"10pt\">a Victim-Centered Criminal Justice Response</p>", &t);
    int n = group_lines(fx, &t, ln, MAXL);
    trace_free(&t); /* before any failure: the lines are copies */
    char all[1024];
    all[0] = 0;
    int found = 0;
    for (int i = 0; i < n; i++) {
        size_t len = strlen(ln[i].text);
        if (strlen(all) + len + 2 < sizeof all)
            strcat(strcat(all, i ? "|" : ""), ln[i].text);
        if (i + 1 < n && len >= 9 && strcmp(ln[i].text + len - 9, "Victim" HY) == 0 &&
            strncmp(ln[i + 1].text, "Centered", 8) == 0 && (ln[i + 1].text[8] == 0 || ln[i + 1].text[8] == ' '))
            found = 1;
    }
    if (!found)
        fail_msg("lines \"%s\": expected a break after \"Victim-\"", all);
}

/* Lines of a heading (or of a block with balance="yes") are made even:
 * the same number of lines as greedy filling gives, no last line of one
 * word when the words can be shared out. */
static void test_balanced_headline(void **state)
{
    fixture *fx = *state;
    static const char head[] = "2021 REPORT CARD ON CHILD &amp; YOUTH SEX TRAFFICKING";
    static const char plain[] = "2021 REPORT CARD ON CHILD & YOUTH SEX TRAFFICKING";
    /* Greedy filling leaves "TRAFFICKING" alone on the second line. */
    long W = width_of(fx, "2021 REPORT CARD ON CHILD & YOUTH SEX", 20000) + 1000;
    assert_true(width_of(fx, plain, 20000) > W);
    static const char *forms[] = {
        "<h level=\"1\" font=\"Lato\" weight=\"normal\" size=\"20pt\"%s>%s</h>",
        "<p size=\"20pt\"%s>%s</p>",
    };
    tline greedy[MAXL], ln[MAXL];
    for (int k = 0; k < 2; k++) {
        char body[512];
        trace t;
        /* The control: balance="no" (a paragraph's default) is greedy. */
        snprintf(body, sizeof body, forms[k], " balance=\"no\"", head);
        render(fx, W, body, &t);
        int ng = group_lines(fx, &t, greedy, MAXL);
        trace_free(&t);
        assert_int_equal(ng, 2);
        assert_string_equal(greedy[1].text, "TRAFFICKING");

        snprintf(body, sizeof body, forms[k], k == 0 ? "" : " balance=\"yes\"", head);
        render(fx, W, body, &t);
        int n = group_lines(fx, &t, ln, MAXL);
        trace_free(&t);
        if (n != 2)
            fail_msg("%s: %d lines; balancing never adds one", k ? "p" : "h", n);
        if (!strchr(ln[1].text, ' '))
            fail_msg("%s: the last line \"%s\" holds one word", k ? "p" : "h", ln[1].text);
        char *all = join_lines(ln, n, " ");
        assert_string_equal(all, plain);
        free(all);
        /* As even as can be: the first line is no wider than the second
         * would be with one more word, and both fit. */
        long w0 = ln[0].x1 - ln[0].x0, w1 = ln[1].x1 - ln[1].x0;
        assert_true(w0 <= W && w1 <= W);
        const char *last = strrchr(ln[0].text, ' ');
        assert_non_null(last);
        char moved[sizeof ln[1].text + 64];
        snprintf(moved, sizeof moved, "%s %s", last + 1, ln[1].text);
        long wm = width_of(fx, moved, 20000);
        if (wm < w0)
            fail_msg("\"%s\" | \"%s\" is not the most even break: \"%s\" is narrower than the first line",
                     ln[0].text, ln[1].text, moved);
    }
    /* A paragraph by default is filled greedily. */
    char body[512];
    trace t;
    snprintf(body, sizeof body, "<p size=\"20pt\">%s</p>", head);
    render(fx, W, body, &t);
    int n = group_lines(fx, &t, ln, MAXL);
    trace_free(&t);
    assert_int_equal(n, 2);
    assert_string_equal(ln[1].text, "TRAFFICKING");
}

/* Balancing keeps the line count of greedy filling, whatever the width. */
static void test_balance_keeps_line_count(void **state)
{
    fixture *fx = *state;
    static const long widths[] = {90000, 120000, 163000, 211000, 300000};
    tline *a = calloc(MAXL, sizeof *a), *b = calloc(MAXL, sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    for (size_t k = 0; k < sizeof widths / sizeof widths[0]; k++) {
        char body[2048];
        trace t;
        snprintf(body, sizeof body, "<p size=\"10pt\">%s</p>", TEXT);
        render(fx, widths[k], body, &t);
        int na = group_lines(fx, &t, a, MAXL);
        trace_free(&t);
        snprintf(body, sizeof body, "<p size=\"10pt\" balance=\"yes\">%s</p>", TEXT);
        render(fx, widths[k], body, &t);
        int nb = group_lines(fx, &t, b, MAXL);
        trace_free(&t);
        if (na != nb)
            fail_msg("width %ld: %d lines greedy, %d balanced", widths[k], na, nb);
        for (int i = 0; i < nb; i++)
            if (b[i].x1 > LEFT + widths[k])
                fail_msg("width %ld: balanced line \"%s\" is past the frame", widths[k], b[i].text);
        char *ga = join_lines(a, na, " "), *gb = join_lines(b, nb, " ");
        assert_string_equal(ga, gb);
        free(ga);
        free(gb);
    }
    free(a);
    free(b);
}

/* A statute table of 20 years (as real reports have): proportional columns
 * whose share is narrower than "1990" take room from the wide label column,
 * and no year, figure or word is cut inside a cell. */
static void test_table_numbers_whole(void **state)
{
    fixture *fx = *state;
    long W = 540000;
    size_t cap = 32768;
    char *body = malloc(cap);
    assert_non_null(body);
    size_t k = 0;
    k += (size_t)snprintf(body + k, cap - k, "<table size=\"7pt\" padding=\"3pt\"><col width=\"30*\"/>");
    for (int y = 0; y < 20; y++)
        k += (size_t)snprintf(body + k, cap - k, "<col width=\"4*\"/>");
    k += (size_t)snprintf(body + k, cap - k, "<col width=\"5*\"/><row header=\"yes\"><cell>Statute</cell>");
    for (int y = 1990; y < 2010; y++)
        k += (size_t)snprintf(body + k, cap - k, "<cell>%d</cell>", y);
    k += (size_t)snprintf(body + k, cap - k, "<cell>Total</cell></row>");
    static const char *labels[] = {"Arrests", "Convictions"};
    for (int r = 0; r < 2; r++) {
        k += (size_t)snprintf(body + k, cap - k, "<row><cell>%s</cell>", labels[r]);
        for (int y = 0; y < 20; y++)
            k += (size_t)snprintf(body + k, cap - k, "<cell>%d</cell>", 1000 + 37 * y + r);
        k += (size_t)snprintf(body + k, cap - k, "<cell>%d</cell></row>", 27030 + 20 * r);
    }
    k += (size_t)snprintf(body + k, cap - k, "</table>");
    assert_true(k < cap);
    /* The share of a year column would be too narrow for "1990". */
    assert_true(width_of(fx, "1990", 7000) > W * 4 / 115 - 6000);
    trace t;
    render(fx, W, body, &t);
    free(body);
    int years = 0;
    for (int i = 0; i < t.n; i++) {
        const char *s = t.v[i].text;
        char *end;
        long v = strtol(s, &end, 10);
        int number = end != s && *end == 0;
        if (!(number || strcmp(s, "Statute") == 0 || strcmp(s, "Total") == 0 || strcmp(s, "Arrests") == 0 ||
              strcmp(s, "Convictions") == 0))
            fail_msg("cell text \"%s\" is a piece of a word", s);
        if (number && !((v >= 1990 && v < 2010) || (v >= 1000 && v < 1000 + 37 * 20 + 2) || v == 27030 ||
                        v == 27050))
            fail_msg("cell text \"%s\" is a piece of a number", s);
        years += v >= 1990 && v < 2010;
        if (t.v[i].x + width_of(fx, s, t.v[i].size) > LEFT + W)
            fail_msg("\"%s\" ends past the frame", s);
    }
    assert_int_equal(years, 20);
    assert_int_equal(t.n, 3 * 22);
    trace_free(&t);
}

static void test_justify(void **state)
{
    fixture *fx = *state;
    long W = 150000;
    char body[2048];
    snprintf(body, sizeof body, "<p size=\"10pt\" align=\"justify\">%s</p>", TEXT);
    trace t;
    render(fx, W, body, &t);
    tline *ln = calloc(MAXL, sizeof *ln);
    assert_non_null(ln);
    int n = group_lines(fx, &t, ln, MAXL);
    assert_true(n >= 4);
    long space = width_of(fx, " ", 10000);
    for (int i = 0; i < n; i++) {
        if (ln[i].x0 != LEFT)
            fail_msg("line %d starts at %ld", i, ln[i].x0);
        if (i + 1 < n) {
            /* Flush right, to 0.01pt. */
            if (ln[i].n > 1 && labs(ln[i].x1 - (LEFT + W)) > 10)
                fail_msg("justified line %d \"%s\" ends at %ld, not %ld", i, ln[i].text, ln[i].x1, LEFT + W);
            if (ln[i].x1 > LEFT + W + 10)
                fail_msg("line %d \"%s\" is past the frame", i, ln[i].text);
        } else {
            /* The last line keeps its natural spacing. */
            assert_true(ln[i].x1 < LEFT + W);
            for (int k = 1; k < ln[i].n; k++) {
                const item *a = &t.v[ln[i].first + k - 1], *b = &t.v[ln[i].first + k];
                long gap = b->x - (a->x + width_of(fx, a->text, a->size));
                if (labs(gap - space) > 1)
                    fail_msg("last line: gap of %ld before \"%s\"; a space is %ld", gap, b->text, space);
            }
        }
    }
    /* The same words in the same order as the plain paragraph, with the same breaks. */
    char *want = normalize(TEXT);
    char *got = join_lines(ln, n, " ");
    assert_string_equal(got, want);
    trace t2;
    snprintf(body, sizeof body, "<p size=\"10pt\">%s</p>", TEXT);
    render(fx, W, body, &t2);
    tline *ln2 = calloc(MAXL, sizeof *ln2);
    assert_non_null(ln2);
    int n2 = group_lines(fx, &t2, ln2, MAXL);
    assert_int_equal(n2, n);
    for (int i = 0; i < n; i++)
        assert_string_equal(ln2[i].text, ln[i].text);
    free(got);
    free(want);
    free(ln);
    free(ln2);
    trace_free(&t);
    trace_free(&t2);
}

static void test_align_right_and_center(void **state)
{
    fixture *fx = *state;
    long W = 200000;
    char body[2048];
    tline *left = calloc(MAXL, sizeof *left), *ln = calloc(MAXL, sizeof *ln);
    assert_non_null(left);
    assert_non_null(ln);
    trace t;
    snprintf(body, sizeof body, "<p size=\"10pt\">%s</p>", TEXT);
    render(fx, W, body, &t);
    int nl = group_lines(fx, &t, left, MAXL);
    trace_free(&t);

    snprintf(body, sizeof body, "<p size=\"10pt\" align=\"right\">%s</p>", TEXT);
    render(fx, W, body, &t);
    int n = group_lines(fx, &t, ln, MAXL);
    assert_int_equal(n, nl);
    for (int i = 0; i < n; i++) {
        assert_string_equal(ln[i].text, left[i].text);  /* same breaks */
        if (labs(ln[i].x1 - (LEFT + W)) > 1)
            fail_msg("right-aligned line %d ends at %ld, not %ld", i, ln[i].x1, LEFT + W);
        assert_true(ln[i].x0 > LEFT);
    }
    trace_free(&t);

    snprintf(body, sizeof body, "<p size=\"10pt\" align=\"center\">%s</p>", TEXT);
    render(fx, W, body, &t);
    n = group_lines(fx, &t, ln, MAXL);
    assert_int_equal(n, nl);
    for (int i = 0; i < n; i++) {
        assert_string_equal(ln[i].text, left[i].text);
        long l = ln[i].x0 - LEFT, r = LEFT + W - ln[i].x1;
        if (labs(l - r) > 2)
            fail_msg("centred line %d: %ld mpt on the left, %ld on the right", i, l, r);
        assert_true(l > 0);
    }
    trace_free(&t);
    free(left);
    free(ln);
}

/* The folder holds only in.xml: no output, no temporary file. */
static void nothing_written(const fixture *fx)
{
    DIR *dir = opendir(fx->dir);
    assert_non_null(dir);
    for (struct dirent *e; (e = readdir(dir)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 || strcmp(e->d_name, "in.xml") == 0)
            continue;
        closedir(dir);
        fail_msg("'%s' was left in the output folder", e->d_name);
    }
    closedir(dir);
}

static void expect_char_error(fixture *fx, const char *body, const char *want_prefix)
{
    rg_diags *d = rg_diags_new();
    assert_non_null(d);
    trace t;
    rg_status st = render_to(fx, 300000, body, &t, d);
    assert_int_equal(st, RG_EINPUT);
    assert_int_equal(rg_diags_errors(d), 1);
    const rg_diag *g = rg_diags_get(d, 0);
    assert_non_null(g);
    char buf[PATH_MAX + 1024], want[PATH_MAX + 1024];
    rg_diag_format(g, buf, sizeof buf);
    snprintf(want, sizeof want, "%s:7:1: error: %s", fx->in, want_prefix);
    if (strncmp(buf, want, strlen(want)) != 0)
        fail_msg("got \"%s\"; expected it to start \"%s\"", buf, want);
    nothing_written(fx);
    rg_diags_free(d);
}

static void test_missing_glyph_fails(void **state)
{
    fixture *fx = *state;
    /* U+1F600 (outside the BMP, and not in Lato). */
    assert_int_equal(rg_font_glyph(fx->lato, 0x1F600), 0);
    expect_char_error(fx, "<p src-line=\"7\">Smile \xf0\x9f\x98\x80 please</p>",
                      "character U+1F600 '\xf0\x9f\x98\x80'");
    /* A BMP character Lato lacks: U+2603 SNOWMAN. */
    assert_int_equal(rg_font_glyph(fx->lato, 0x2603), 0);
    expect_char_error(fx, "<p src-line=\"7\">Snow \xe2\x98\x83 day</p>",
                      "character U+2603 '\xe2\x98\x83' is not in font Lato-Regular");
}

/* A word wider than its cell where the columns could not make room (a
 * spanned cell is not measured for them): an error naming it, not a cut. */
static void test_word_too_wide_for_cell_fails(void **state)
{
    fixture *fx = *state;
    expect_char_error(fx,
                      "<table src-line=\"7\"><col width=\"50pt\"/><col width=\"50pt\"/>"
                      "<row><cell>a</cell><cell>b</cell></row>"
                      "<row><cell colspan=\"2\">Pneumonoultramicroscopicsilicovolcanoconiosis</cell></row></table>",
                      "the word 'Pneumonoultramicroscopicsilicovolcanocon...' does not fit its table cell");
    /* A fixed column narrower than a word of its own. */
    expect_char_error(fx,
                      "<table src-line=\"7\"><col width=\"20pt\"/><col width=\"1*\"/>"
                      "<row><cell>1990</cell><cell>b</cell></row></table>",
                      "table column 1 is 20.0pt wide, too narrow for '1990'");
}

static void test_upper_case(void **state)
{
    fixture *fx = *state;
    trace t;
    tline ln[MAXL];
    render(fx, 400000, "<p case=\"upper\">\xc3\xa9t\xc3\xa9 and \xc3\xa0\xc3\xa7\xc3\xb1 4 \xc3\xb7 2</p>", &t);
    int n = group_lines(fx, &t, ln, MAXL);
    assert_int_equal(n, 1);
    /* é -> É, à ç ñ -> À Ç Ñ; the division sign (C3 B7) is not a letter. */
    assert_string_equal(ln[0].text, "\xc3\x89T\xc3\x89 AND \xc3\x80\xc3\x87\xc3\x91 4 \xc3\xb7 2");
    trace_free(&t);

    render(fx, 400000, "<p case=\"upper\">\xc3\xa9</p>", &t);
    n = group_lines(fx, &t, ln, MAXL);
    assert_int_equal(n, 1);
    assert_string_equal(ln[0].text, "\xc3\x89");
    trace_free(&t);
}

/* text.c hands libunibreak its paragraphs with every ASCII letter as
 * '#' (UAX #14's class AL for all of them; '#' is found sooner): the
 * breaks of every string of two and three characters drawn from printable
 * ASCII, a tab, a line feed and some letters and marks past ASCII are the
 * same either way, as they are only if the library gives the letters and
 * '#' the same class. */
static void test_letters_break_as_number_sign(void **state)
{
    (void)state;
    static const char *const unit[] = {"\t", "\n", "\xc3\xa9", "\xe2\x80\x99", "\xe2\x80\x94", "\xe2\x80\x9c",
                                       "\xc2\xa0", "\xcc\x81"};
    const char *chars[95 + sizeof unit / sizeof unit[0]];
    char ascii[95][2];
    size_t nc = 0;
    for (int c = 0x20; c < 0x7f; c++) {
        ascii[c - 0x20][0] = (char)c;
        ascii[c - 0x20][1] = 0;
        chars[nc++] = ascii[c - 0x20];
    }
    for (size_t i = 0; i < sizeof unit / sizeof unit[0]; i++)
        chars[nc++] = unit[i];
    long compared = 0, letters = 0;
    for (size_t a = 0; a < nc; a++)
        for (size_t b = 0; b < nc; b++)
            for (size_t c = 0; c <= nc; c++) { /* c == nc: two characters */
                char s[16], t[16], bs[16], bt[16];
                int n = snprintf(s, sizeof s, "%s%s%s", chars[a], chars[b], c < nc ? chars[c] : "");
                int seen = 0;
                for (int i = 0; i < n; i++) {
                    int letter = ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z');
                    t[i] = letter ? '#' : s[i];
                    seen |= letter;
                }
                if (!seen)
                    continue;
                set_linebreaks_utf8((const utf8_t *)s, (size_t)n, "en", bs);
                set_linebreaks_utf8((const utf8_t *)t, (size_t)n, "en", bt);
                if (memcmp(bs, bt, (size_t)n) != 0)
                    fail_msg("\"%s\": breaks differ with its letters as '#'", s);
                compared++;
                letters += seen;
            }
    assert_true(compared > 100000);
    assert_int_equal(letters, compared);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_letters_break_as_number_sign),
        cmocka_unit_test(test_wraps_within_frame),
        cmocka_unit_test(test_long_word_is_split),
        cmocka_unit_test(test_cut_word_is_reported),
        cmocka_unit_test(test_cut_word_reported_per_block),
        cmocka_unit_test(test_br_forces_break),
        cmocka_unit_test(test_hyphen_breaks_when_word_does_not_fit),
        cmocka_unit_test(test_no_break_after_other_hyphens),
        cmocka_unit_test(test_suspended_hyphen_at_line_end),
        cmocka_unit_test(test_compound_not_hyphenated_again),
        cmocka_unit_test(test_hyphen_used_when_word_must_split),
        cmocka_unit_test(test_balanced_headline),
        cmocka_unit_test(test_balance_keeps_line_count),
        cmocka_unit_test(test_table_numbers_whole),
        cmocka_unit_test(test_justify),
        cmocka_unit_test(test_align_right_and_center),
        cmocka_unit_test(test_missing_glyph_fails),
        cmocka_unit_test(test_word_too_wide_for_cell_fails),
        cmocka_unit_test(test_upper_case),
    };
    return cmocka_run_group_tests_name("linebreak", tests, setup, teardown);
}
