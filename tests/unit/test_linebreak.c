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
    rg_render_options opt = {NULL, RG_FORMAT_TRACE, 0, 0, NULL};
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
 * (1/1000 em, each glyph's width rounded down to the millipoint). */
static long width_of(const fixture *fx, const char *text, long size)
{
    long w = 0;
    for (const char *s = text; *s;) {
        uint32_t cp = next_cp(&s);
        int a = rg_font_advance(fx->lato, cp);
        if (a <= 0)
            fail_msg("Lato has no width for U+%04X", (unsigned)cp);
        w += (long)((int64_t)a * size / 1000);
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

static void test_hyphen_not_broken_when_word_fits(void **state)
{
    fixture *fx = *state;
    /* A frame that holds "Tools for a Victim-" but not "...Victim-Centered". */
    long W = width_of(fx, "Tools for a Victim-", 10000) + 500;
    assert_true(width_of(fx, "Tools for a Victim-Centered", 10000) > W);
    assert_true(width_of(fx, "Victim-Centered", 10000) <= W); /* fits on a line of its own */
    tline ln[MAXL];
    trace t;

    /* The control: with a space there, the break does fall after "Victim",
     * so the frame is tight enough to tempt the breaker. */
    render(fx, W, "<p size=\"10pt\">Tools for a Victim Centered Criminal Justice Response</p>", &t);
    int n = group_lines(fx, &t, ln, MAXL);
    assert_true(n >= 2);
    assert_string_equal(ln[0].text, "Tools for a Victim");
    trace_free(&t);

    render(fx, W, "<p size=\"10pt\">Tools for a Victim-Centered Criminal Justice Response</p>", &t);
    n = group_lines(fx, &t, ln, MAXL);
    assert_true(n >= 2);
    assert_string_equal(ln[0].text, "Tools for a");
    assert_int_equal(strncmp(ln[1].text, "Victim-Centered", 15), 0);
    for (int i = 0; i < n; i++) {
        size_t len = strlen(ln[i].text);
        if (ln[i].text[len - 1] == '-')
            fail_msg("line %d \"%s\" ends at a hyphen", i, ln[i].text);
        if (ln[i].x1 > LEFT + W)
            fail_msg("line %d \"%s\" is past the frame", i, ln[i].text);
    }
    char *all = join_lines(ln, n, " ");
    assert_string_equal(all, "Tools for a Victim-Centered Criminal Justice Response");
    free(all);
    trace_free(&t);
}

/* text.c keeps "Victim-Centered" whole ("break there only when a word must
 * split"). When the word must split - it is wider than the line - the place
 * to split it is its hyphen, not whatever character reaches the edge. */
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
        if (i + 1 < n && len >= 7 && strcmp(ln[i].text + len - 7, "Victim-") == 0 &&
            strncmp(ln[i + 1].text, "Centered", 8) == 0 && (ln[i + 1].text[8] == 0 || ln[i + 1].text[8] == ' '))
            found = 1;
    }
    if (!found)
        fail_msg("lines \"%s\": expected a break after \"Victim-\"", all);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wraps_within_frame),
        cmocka_unit_test(test_long_word_is_split),
        cmocka_unit_test(test_br_forces_break),
        cmocka_unit_test(test_hyphen_not_broken_when_word_fits),
        cmocka_unit_test(test_hyphen_used_when_word_must_split),
        cmocka_unit_test(test_justify),
        cmocka_unit_test(test_align_right_and_center),
        cmocka_unit_test(test_missing_glyph_fails),
        cmocka_unit_test(test_upper_case),
    };
    return cmocka_run_group_tests_name("linebreak", tests, setup, teardown);
}
