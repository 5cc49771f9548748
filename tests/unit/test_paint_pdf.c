/* paint_pdf.c: hand-made page lists written as PDF, then checked with the
 * tools a reader of the PDF would use (qpdf, poppler's pdftotext, pdffonts,
 * pdfinfo), not by looking at our own bytes. */
#include <dirent.h>
#include <math.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "rg.h"

static char dir[64];           /* scratch directory for the whole group */
static rg_font *regular, *bold;

static const char *font_file(const char *name)
{
    static char buf[2][512];
    static int k;
    char *b = buf[k++ & 1];

    snprintf(b, 512, "%s/fonts/%s", RG_DATADIR, name);
    if (access(b, R_OK) != 0)
        snprintf(b, 512, "/usr/share/fonts/truetype/lato/%s", name);
    return b;
}

typedef struct { char s[320]; } path_t;

static path_t in_dir(const char *name)
{
    path_t p;
    snprintf(p.s, sizeof p.s, "%s/%s", dir, name);
    return p;
}

/* Runs a shell command; returns its exit status and what it printed on
 * stdout and stderr (malloc'd, NUL-terminated, caller frees). */
static int run(const char *cmd, char **out, char **err)
{
    char full[1024];
    path_t errp = in_dir("stderr.txt");
    const char *errpath = errp.s;
    FILE *p, *f;
    size_t n = 0, cap = 4096;
    char *o = malloc(cap);
    int st;

    snprintf(full, sizeof full, "%s 2>%s", cmd, errpath);
    assert_non_null(p = popen(full, "r"));
    for (;;) {
        size_t r;
        if (n + 1024 > cap)
            o = realloc(o, cap *= 2);
        if ((r = fread(o + n, 1, cap - n - 1, p)) == 0)
            break;
        n += r;
    }
    o[n] = '\0';
    /* A stream's binary bytes (the ICC profile in qdf output) may hold NULs:
     * they become '?' so that the text after them is searched too. */
    for (size_t i = 0; i < n; i++)
        if (!o[i])
            o[i] = '?';
    st = pclose(p);
    if (err) {
        long len;
        assert_non_null(f = fopen(errpath, "rb"));
        fseek(f, 0, SEEK_END);
        len = ftell(f);
        rewind(f);
        *err = calloc(1, (size_t)len + 1);
        if (len > 0)
            assert_int_equal(fread(*err, 1, (size_t)len, f), (size_t)len);
        fclose(f);
    }
    if (out)
        *out = o;
    else
        free(o);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *b;
    long n;

    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    b = malloc((size_t)n + 1);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    b[n] = '\0';
    *len = (size_t)n;
    return b;
}

static void write_file(const char *path, const char *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

/* ---- a page list made by hand --------------------------------------------- */

typedef struct doc {
    rg_theme theme;
    rg_pagelist pl;
    rg_page page;
    rg_prim prim[16];
    int n;
    rg_snode root, para;           /* Document > P: every text run is in the P */
} doc;

static void doc_init(doc *d, const char *title)
{
    memset(d, 0, sizeof *d);
    d->theme.name = "test";
    d->theme.face[0] = (rg_face){.family = "Lato", .bold = 0, .italic = 0, .font = regular, .hinting = 0};
    d->theme.face[1] = (rg_face){.family = "Lato", .bold = 1, .italic = 0, .font = bold, .hinting = 0};
    d->theme.nface = 2;
    d->page.width = RG_PT(612);
    d->page.height = RG_PT(792);
    d->pl.first = d->pl.last = &d->page;
    d->pl.count = 1;
    d->pl.theme = &d->theme;
    d->root = (rg_snode){ .type = RG_S_DOCUMENT, .id = 1 };
    d->para = (rg_snode){ .type = RG_S_P, .id = 2, .parent = &d->root, .colspan = 1 };
    d->pl.sroot = &d->root;
    d->pl.nsnodes = 2;
    d->pl.info = (rg_docinfo){ title, "Test Author", "paint_pdf", "pdf, test",
                               "en-US", "reportgen tests", 1625097600 /* 2021-07-01 */, 0 };
}

static rg_prim *add(doc *d, rg_prim_kind kind)
{
    rg_prim *p = &d->prim[d->n];
    assert_true(d->n < 16);
    memset(p, 0, sizeof *p);
    p->kind = kind;
    if (d->n > 0)
        d->prim[d->n - 1].next = p;
    else
        d->page.first = p;
    d->page.last = p;
    d->n++;
    return p;
}

static void text(doc *d, int face, rg_mpt x, rg_mpt y, const char *t, rg_color c)
{
    rg_prim *p = add(d, RG_P_TEXT);
    p->node = &d->para;
    p->x = x;
    p->y = y;
    p->face = face;
    p->size = RG_PT(12);
    p->text = t;
    p->len = strlen(t);
    p->fill = c;
}

static const rg_color black = { 0, 0, 0, 1 }, navy = { 0x1F, 0x3A, 0x68, 1 },
                      orange = { 0xE8, 0x6A, 0x10, 1 };

#define ASCII_TEXT "Report card for Connecticut, 2021"
#define CP1252_TEXT "Connecticut\xE2\x80\x99s \xE2\x80\x94 \xC2\xBD \xE2\x80\xA2"  /* ’ — ½ • */
#define UTF8_TEXT "\xC5\x81\xC3\xB3" "d\xC5\xBA and \xC5\x91" "r"             /* Łódź and őr */

/* Text in both faces, CP1252 only, with shapes between the runs. */
static void doc_cp1252(doc *d)
{
    rg_prim *p;

    doc_init(d, "Connecticut 2021 \xE2\x80\x94 Report Card");
    text(d, 1, RG_PT(72), RG_PT(100), ASCII_TEXT, navy);
    text(d, 0, RG_PT(72), RG_PT(130), CP1252_TEXT, black);
    p = add(d, RG_P_RECT);
    p->x = RG_PT(72); p->y = RG_PT(160); p->w = RG_PT(200); p->h = RG_PT(60);
    p->radius = RG_PT(8);
    p->fill = orange;
    p->stroke = navy;
    p->stroke_width = RG_PT(1.5);
    p = add(d, RG_P_LINE);
    p->x = RG_PT(72); p->y = RG_PT(240); p->w = RG_PT(468); p->h = 0;
    p->stroke = navy;
    p->stroke_width = RG_PT(0.5);
    text(d, 0, RG_PT(72), RG_PT(270), "Visit sharedhope.org", navy);
    p = add(d, RG_P_LINK);
    p->x = RG_PT(72); p->y = RG_PT(258); p->w = RG_PT(120); p->h = RG_PT(15);
    p->uri = "https://sharedhope.org/legislative-technical-assistance";
    text(d, 0, RG_PT(72), RG_PT(300), "Plain rect below", black);
    p = add(d, RG_P_RECT);
    p->x = RG_PT(300); p->y = RG_PT(160); p->w = RG_PT(100); p->h = RG_PT(40);
    p->stroke = black;
    p->stroke_width = RG_PT(1);
}

static int group_setup(void **state)
{
    char err[128];
    (void)state;

    strcpy(dir, "/tmp/rg-paint-pdf-XXXXXX");
    if (!mkdtemp(dir)) {
        print_error("cannot make a scratch directory\n");
        return -1;
    }
    if (!(regular = rg_font_load(font_file("Lato-Regular.ttf"), err, sizeof err)) ||
        !(bold = rg_font_load(font_file("Lato-Bold.ttf"), err, sizeof err))) {
        print_error("cannot load Lato: %s\n", err);
        return -1;
    }
    return 0;
}

/* RG_KEEP=1 leaves the scratch directory and its PDFs for a look. */
static int group_teardown(void **state)
{
    DIR *dp;
    struct dirent *e;
    (void)state;

    rg_font_free(regular);
    rg_font_free(bold);
    if (getenv("RG_KEEP")) {
        print_message("kept %s\n", dir);
        return 0;
    }
    if ((dp = opendir(dir))) {
        while ((e = readdir(dp)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
                unlink(in_dir(e->d_name).s);
        closedir(dp);
    }
    rmdir(dir);
    return 0;
}

/* Paints d in memory and writes it to path for the checks that read files. */
static void paint_ok(const doc *d, const char *path)
{
    rg_diags *dg = rg_diags_new();
    unsigned char *pdf = NULL;
    size_t n = 0;
    rg_status st = rg_paint_pdf(&d->pl, path, NULL, &pdf, &n, dg);
    if (st == RG_OK) {
        assert_non_null(pdf);
        assert_true(n > 100);
        assert_memory_equal(pdf, "%PDF-", 5);
        write_file(path, (const char *)pdf, n);
    }
    free(pdf);
    if (st != RG_OK && rg_diags_count(dg) > 0) {
        char buf[512];
        rg_diag_format(rg_diags_get(dg, 0), buf, sizeof buf);
        print_error("%s\n", buf);
    }
    assert_int_equal(st, RG_OK);
    assert_int_equal(rg_diags_count(dg), 0);
    rg_diags_free(dg);
}

/* The first diagnostic of a failing paint, for message checks. */
static char *paint_fails(const doc *d, const char *path)
{
    rg_diags *dg = rg_diags_new();
    const rg_diag *dd;
    char *msg;
    unsigned char *pdf = (unsigned char *)"x";
    size_t n = 7;

    assert_int_equal(rg_paint_pdf(&d->pl, path, NULL, &pdf, &n, dg), RG_EOUTPUT);
    assert_null(pdf);
    assert_int_equal(n, 0);
    assert_int_equal(rg_diags_errors(dg), 1);
    dd = rg_diags_get(dg, 0);
    assert_int_equal(dd->severity, RG_SEV_ERROR);
    assert_string_equal(dd->file, path);
    msg = strdup(dd->message);
    rg_diags_free(dg);
    return msg;
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("'%s' not found in:\n%s", needle, hay);
}

/* ---- tests ---------------------------------------------------------------- */

static void test_cp1252_document(void **state)
{
    doc d;
    char cmd[512], *out, *err;
    path_t pdf_p = in_dir("cp1252.pdf");
    const char *pdf = pdf_p.s;
    (void)state;

    doc_cp1252(&d);
    paint_ok(&d, pdf);

    snprintf(cmd, sizeof cmd, "qpdf --check %s", pdf);
    assert_int_equal(run(cmd, &out, &err), 0);
    free(out);
    free(err);

    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s -", pdf);
    assert_int_equal(run(cmd, &out, &err), 0);
    assert_contains(out, ASCII_TEXT);
    assert_contains(out, CP1252_TEXT);
    assert_contains(out, "Visit sharedhope.org");
    assert_string_equal(err, "");          /* poppler has nothing to complain of */
    free(out);
    free(err);

    /* Two faces, each a CID TrueType font, embedded (subset). */
    snprintf(cmd, sizeof cmd, "pdffonts %s", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_contains(out, "Lato-Regular");
    assert_contains(out, "Lato-Bold");
    {
        int lines = 0;
        for (char *l = strtok(out, "\n"); l; l = strtok(NULL, "\n"))
            if (strstr(l, "Lato-")) {
                /* columns: name type encoding emb sub uni object ID */
                assert_non_null(strstr(l, "TrueType"));
                assert_non_null(strstr(l, " yes "));
                lines++;
            }
        assert_int_equal(lines, 2);
    }
    free(out);

    snprintf(cmd, sizeof cmd, "pdfinfo -isodates %s", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_contains(out, "Title:           Connecticut 2021 \xE2\x80\x94 Report Card\n");
    assert_contains(out, "Author:          Test Author\n");
    assert_contains(out, "Subject:         paint_pdf\n");
    assert_contains(out, "Keywords:        pdf, test\n");
    assert_contains(out, "Creator:         reportgen tests\n");
    assert_contains(out, "CreationDate:    2021-07-01T00:00:00Z\n");
    assert_contains(out, "ModDate:         2021-07-01T00:00:00Z\n");
    assert_contains(out, "Pages:           1\n");
    assert_contains(out, "Page size:       612 x 792 pts (letter)\n");
    free(out);

    /* The catalog's /Lang, the link without a border, the rounded corners. */
    snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable %s -", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_contains(out, "/Lang (en-US)");
    assert_contains(out, "/URI (https://sharedhope.org/legislative-technical-assistance)");
    assert_contains(out, "/Border [\n    0\n    0\n    0\n  ]");
    assert_contains(out, " c\n");          /* Bezier corners */
    assert_contains(out, " re\n");         /* the plain rectangle */
    assert_null(strstr(out, "begincidrange"));
    free(out);
}

static void test_text_grouping(void **state)
{
    doc d;
    char cmd[512], *out;
    path_t pdf_p = in_dir("group.pdf");
    const char *pdf = pdf_p.s;
    int bt = 0, tf = 0, rg = 0;
    (void)state;

    /* Six runs, a link among them: one BT..ET, a font switch only where the
     * face changes, a colour only where it changes. */
    doc_init(&d, "grouping");
    text(&d, 0, RG_PT(72), RG_PT(100), "one", black);
    text(&d, 0, RG_PT(72), RG_PT(120), "two", black);
    add(&d, RG_P_LINK)->uri = "https://example.org/a b";
    d.prim[2].x = RG_PT(72); d.prim[2].y = RG_PT(110); d.prim[2].w = RG_PT(50); d.prim[2].h = RG_PT(12);
    text(&d, 1, RG_PT(72), RG_PT(140), "three", navy);
    text(&d, 1, RG_PT(72), RG_PT(160), "four", navy);
    text(&d, 0, RG_PT(72), RG_PT(180), "five", navy);
    text(&d, 0, RG_PT(72), RG_PT(200), "six", black);
    paint_ok(&d, pdf);

    snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable %s -", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    for (char *l = strtok(out, "\n"); l; l = strtok(NULL, "\n")) {
        size_t n = strlen(l);
        bt += strcmp(l, "BT") == 0;
        tf += n > 3 && strcmp(l + n - 3, " Tf") == 0;
        rg += n > 3 && strcmp(l + n - 3, " rg") == 0;
    }
    free(out);
    assert_int_equal(bt, 1);
    assert_int_equal(tf, 3);               /* regular, bold, regular */
    assert_int_equal(rg, 2);               /* navy, black again */

    snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable %s - | grep -a /URI", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_contains(out, "/URI (https://example.org/a%20b)");
    free(out);
}

/* The words of a line share one TJ array: none of the space left-aligned
 * words leave needs a number, a wider one (justified) an adjustment in
 * 1/1000 of the size, so "nun mum" is one string and the gap one number. */
static void test_words_of_a_line(void **state)
{
    doc d;
    char cmd[512], *out;
    path_t pdf_p = in_dir("line.pdf");
    const char *pdf = pdf_p.s;
    rg_mpt x = RG_PT(72);
    (void)state;

    doc_init(&d, "line");
    text(&d, 0, x, RG_PT(100), "nun ", black);
    for (const char *c = "nun "; *c; c++)
        x += (rg_mpt)((int64_t)rg_font_units(regular, (uint32_t)*c) * RG_PT(12) / rg_font_upem(regular));
    text(&d, 0, x, RG_PT(100), "mum ", black);
    text(&d, 0, RG_PT(300), RG_PT(100), "far", black);
    text(&d, 0, RG_PT(72), RG_PT(120), "unum", black);
    paint_ok(&d, pdf);

    snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable %s - | grep -a -e ' TJ$' -e ' Td$'", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    {
        char *td1 = strtok(out, "\n"), *tj1 = strtok(NULL, "\n"), *td2 = strtok(NULL, "\n"),
             *tj2 = strtok(NULL, "\n");
        assert_non_null(tj2);
        assert_null(strtok(NULL, "\n"));
        assert_string_equal(td1, "72 692 Td");
        assert_string_equal(td2, "0 -20 Td");
        /* nun mum (no kerning pairs): 8 glyphs in one string, then the gap to 300 pt, then far */
        assert_int_equal(strchr(tj1 + 2, '>') - (tj1 + 2), 32);
        assert_non_null(strstr(tj1, ">-"));
        assert_int_equal(strlen(tj2), strlen("[<>] TJ") + 16);
    }
    free(out);
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s -", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_contains(out, "nun mum");
    assert_contains(out, "far");
    assert_contains(out, "unum");
    free(out);
}

static void test_two_pages(void **state)
{
    doc d;
    rg_page second;
    rg_prim run2;
    char cmd[512], *out, *err;
    path_t pdf_p = in_dir("two.pdf");
    const char *pdf = pdf_p.s;
    (void)state;

    /* Font and colour are set again on the second page: a page's content
     * starts from the default state. Sizes may differ per page. */
    doc_init(&d, "two pages");
    text(&d, 0, RG_PT(72), RG_PT(100), "page one", navy);
    second = (rg_page){ .width = RG_PT(595.276), .height = RG_PT(841.89), .index = 1, .number = 2,
                        .first = &run2, .last = &run2, .next = NULL };
    run2 = d.prim[0];
    run2.text = "page two";
    run2.len = 8;
    d.page.next = &second;
    d.pl.last = &second;
    d.pl.count = 2;
    paint_ok(&d, pdf);

    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s -", pdf);
    assert_int_equal(run(cmd, &out, &err), 0);
    assert_contains(out, "page one");
    assert_contains(out, "page two");
    assert_string_equal(err, "");
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd, "pdfinfo -f 2 -l 2 %s", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_contains(out, "Pages:           2\n");
    assert_contains(out, "Page    2 size:  595.276 x 841.89 pts (A4)\n");
    free(out);
    snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable %s - | grep -ac ' Tf$'", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_string_equal(out, "2\n");
    free(out);
}

static void test_utf8_run(void **state)
{
    doc d;
    char cmd[512], *out, *err;
    path_t pdf_p = in_dir("utf8.pdf");
    const char *pdf = pdf_p.s;
    (void)state;

    doc_init(&d, "\xC5\x81\xC3\xB3" "d\xC5\xBA \xF0\x9F\x93\x8A");   /* Łódź + U+1F4CA */
    text(&d, 0, RG_PT(72), RG_PT(100), ASCII_TEXT, black);
    text(&d, 0, RG_PT(72), RG_PT(130), UTF8_TEXT, navy);
    text(&d, 0, RG_PT(72), RG_PT(160), CP1252_TEXT, navy);
    text(&d, 1, RG_PT(72), RG_PT(190), "Bold \xC5\x81" "a\xC5\x84" "cut", navy);  /* Łańcut */
    paint_ok(&d, pdf);

    snprintf(cmd, sizeof cmd, "qpdf --check %s", pdf);
    assert_int_equal(run(cmd, &out, &err), 0);
    free(out);
    free(err);

    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s -", pdf);
    assert_int_equal(run(cmd, &out, &err), 0);
    assert_contains(out, ASCII_TEXT);
    assert_contains(out, UTF8_TEXT);
    assert_contains(out, CP1252_TEXT);
    assert_contains(out, "Bold \xC5\x81" "a\xC5\x84" "cut");
    /* libharu's own ToUnicode CMap made poppler say "Invalid 'begincidrange'". */
    assert_string_equal(err, "");
    free(out);
    free(err);

    /* One font per face whatever the characters: CID, Identity-H,
     * embedded, subset, with a ToUnicode. */
    snprintf(cmd, sizeof cmd, "pdffonts %s", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    {
        int n = 0;
        for (char *l = strtok(out, "\n"); l; l = strtok(NULL, "\n"))
            if (strstr(l, "Lato-")) {
                assert_non_null(strstr(l, "CID TrueType      Identity-H       yes yes yes "));
                n++;
            }
        assert_int_equal(n, 2);
    }
    free(out);

    /* A title beyond PDFDocEncoding and beyond the BMP survives. */
    snprintf(cmd, sizeof cmd, "pdfinfo %s", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_contains(out, "Title:           \xC5\x81\xC3\xB3" "d\xC5\xBA \xF0\x9F\x93\x8A\n");
    free(out);
}

/* A word's own hyphen ending a line (U+2010 from the line breaker): drawn
 * with the font's hyphen-minus, and extracted as a hyphen that stays
 * (poppler drops a line-final U+002D as a soft one). */
static void test_line_end_hyphen(void **state)
{
    doc d;
    char cmd[512], *out, *err;
    path_t pdf_p = in_dir("hyphen.pdf");
    const char *pdf = pdf_p.s;
    (void)state;

    doc_init(&d, "hyphen");
    text(&d, 0, RG_PT(72), RG_PT(100), "a survivor\xE2\x80\x90", black);
    text(&d, 0, RG_PT(72), RG_PT(112), "informed pre\xE2\x80\x90 ", black);
    text(&d, 0, RG_PT(72), RG_PT(124), "and post-trial", black);
    paint_ok(&d, pdf);

    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s -", pdf);
    assert_int_equal(run(cmd, &out, &err), 0);
    assert_contains(out, "a survivor\xE2\x80\x90\ninformed pre\xE2\x80\x90\nand post-trial");
    assert_string_equal(err, "");
    free(out);
    free(err);

    /* The same with characters outside Windows-1252. */
    doc_init(&d, "hyphen");
    text(&d, 0, RG_PT(72), RG_PT(100), "Bielsko\xE2\x80\x90", black);
    text(&d, 0, RG_PT(72), RG_PT(112), "Bia\xC5\x82" "a\xE2\x80\x90", black);
    text(&d, 0, RG_PT(72), RG_PT(124), "Bia\xC5\x82" "a", black);
    paint_ok(&d, pdf);
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s -", pdf);
    assert_int_equal(run(cmd, &out, &err), 0);
    assert_contains(out, "Bielsko\xE2\x80\x90\nBia\xC5\x82" "a\xE2\x80\x90\nBia\xC5\x82" "a");
    assert_string_equal(err, "");
    free(out);
    free(err);
}

static void test_faces_sharing_a_file(void **state)
{
    doc d;
    char cmd[512], *out, *err;
    path_t pdf_p = in_dir("shared.pdf");
    const char *pdf = pdf_p.s;
    (void)state;

    /* A theme may name one file for two faces (a family without a bold).
     * The file is embedded once and its ToUnicode covers both faces' text. */
    doc_init(&d, "shared");
    d.theme.face[2] = (rg_face){.family = "Lato", .bold = 1, .italic = 1, .font = regular, .hinting = 0};
    d.theme.nface = 3;
    text(&d, 0, RG_PT(72), RG_PT(100), "\xC5\x81\xC3\xB3" "d\xC5\xBA", black);
    text(&d, 2, RG_PT(72), RG_PT(130), "\xC5\x91" "r \xC5\x84", black);
    text(&d, 2, RG_PT(72), RG_PT(160), "plain", black);
    paint_ok(&d, pdf);

    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s -", pdf);
    assert_int_equal(run(cmd, &out, &err), 0);
    assert_contains(out, "\xC5\x81\xC3\xB3" "d\xC5\xBA");
    assert_contains(out, "\xC5\x91" "r \xC5\x84");
    assert_contains(out, "plain");
    assert_string_equal(err, "");
    free(out);
    free(err);

    snprintf(cmd, sizeof cmd, "pdffonts %s", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    {
        int n = 0;
        for (char *l = strtok(out, "\n"); l; l = strtok(NULL, "\n"))
            n += strstr(l, "Lato-Regular") != NULL;
        assert_int_equal(n, 1);            /* one font for the file */
    }
    free(out);
}

/* Subset tags come from the subset's bytes, so the fonts of two files with
 * one PostScript name are both embedded under names of their own, and two
 * identical subsets (a copy of the file, the same text) still get two. */
static void test_same_postscript_name(void **state)
{
    doc d;
    char err[128], cmd[512], *out;
    path_t copy_p = in_dir("copy.ttf"), pdf_p = in_dir("same.pdf");
    const char *copy = copy_p.s, *pdf = pdf_p.s;
    rg_font *f;
    char *data;
    size_t n;
    (void)state;

    data = slurp(font_file("Lato-Regular.ttf"), &n);
    write_file(copy, data, n);
    free(data);
    assert_non_null(f = rg_font_load(copy, err, sizeof err));
    doc_init(&d, "same name");
    d.theme.face[2] = (rg_face){.family = "Other", .bold = 0, .italic = 0, .font = f, .hinting = 0};
    d.theme.nface = 3;
    text(&d, 0, RG_PT(72), RG_PT(100), "first \xC5\x81", black);
    text(&d, 2, RG_PT(72), RG_PT(130), "second \xC5\x91", black);
    text(&d, 1, RG_PT(72), RG_PT(160), "same", black);
    paint_ok(&d, pdf);
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s -", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_contains(out, "first \xC5\x81");
    assert_contains(out, "second \xC5\x91");
    free(out);

    /* The copy shows exactly what the original shows: equal subsets. */
    doc_init(&d, "same subset");
    d.theme.face[2] = (rg_face){.family = "Other", .bold = 0, .italic = 0, .font = f, .hinting = 0};
    d.theme.nface = 3;
    text(&d, 0, RG_PT(72), RG_PT(100), "twins", black);
    text(&d, 2, RG_PT(72), RG_PT(130), "twins", black);
    paint_ok(&d, pdf);
    snprintf(cmd, sizeof cmd, "pdffonts %s | awk 'NR > 2 { print $1 }' | sort", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    {
        char *a = strtok(out, "\n"), *b = strtok(NULL, "\n");
        assert_non_null(a);
        assert_non_null(b);
        assert_null(strtok(NULL, "\n"));
        assert_string_not_equal(a, b);
        assert_string_equal(a + 6, "+Lato-Regular");
        assert_string_equal(b + 6, "+Lato-Regular");
    }
    free(out);
    rg_font_free(f);
}

#define NAMES "Ji\xC5\x99\xC3\xAD Nguy\xE1\xBB\x85n \xC5\x81\xC3\xB3" "d\xC5\xBA"       /* Jiří Nguyễn Łódź */
#define PUNCT "\xE2\x80\x9CQuoted\xE2\x80\x9D \xE2\x80\x98single\xE2\x80\x99 2011\xE2\x80\x93" "2021 \xE2\x80\x94 done"

/* Names beyond Latin-1, curly quotes and dashes extract exactly in poppler,
 * MuPDF, Ghostscript (and after Ghostscript rewrites the PDF) and pdf.js
 * (tests/pdfjs, installed by tests/run.sh), which once
 * read a bfrange ToUnicode as "JiYí Nguyßn Aód{"; the ToUnicode has bfchar
 * entries only. */
static void test_extracts_in_every_reader(void **state)
{
    doc d;
    char cmd[1024], *out, *err;
    path_t pdf_p = in_dir("readers.pdf");
    const char *pdf = pdf_p.s;
    (void)state;

    doc_init(&d, "readers");
    text(&d, 0, RG_PT(72), RG_PT(100), NAMES, black);
    text(&d, 1, RG_PT(72), RG_PT(130), PUNCT, navy);
    paint_ok(&d, pdf);

    snprintf(cmd, sizeof cmd, "qpdf --check %s", pdf);
    assert_int_equal(run(cmd, NULL, NULL), 0);
    const char *readers[] = {
        "pdftotext -enc UTF-8 %s -",
        "mutool draw -q -F txt -o - %s",
        "gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=txtwrite -sOutputFile=- %s",
        "node " RG_DATADIR "/tests/pdfjs/read.mjs %s --text",
        /* a Ghostscript pdfwrite round trip keeps the text, read by poppler */
        "gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=pdfwrite -sOutputFile=%1$s.gs.pdf %1$s && "
        "pdftotext -enc UTF-8 %1$s.gs.pdf -",
    };
    for (size_t i = 0; i < sizeof readers / sizeof readers[0]; i++) {
        snprintf(cmd, sizeof cmd, readers[i], pdf);
        assert_int_equal(run(cmd, &out, &err), 0);
        assert_contains(out, NAMES);
        assert_contains(out, PUNCT);
        free(out);
        free(err);
    }

    snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable %s -", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_contains(out, "beginbfchar");
    assert_null(strstr(out, "beginbfrange"));
    assert_contains(out, "/Ordering (Identity)");
    assert_contains(out, "/CIDToGIDMap /Identity");
    assert_contains(out, "/Encoding /Identity-H");
    assert_contains(out, "/StemV 87");             /* Lato Regular, weight 400: 50 + (400 / 65)^2 */
    assert_contains(out, "/StemV 165");            /* Lato Bold, weight 700 */
    assert_contains(out, "] TJ");
    free(out);
}

/* An italic face says so in its FontDescriptor: the angle from post. */
static void test_italic_descriptor(void **state)
{
    doc d;
    char err[128], cmd[512], *out;
    path_t pdf_p = in_dir("italic.pdf");
    const char *pdf = pdf_p.s;
    rg_font *it;
    (void)state;

    assert_non_null(it = rg_font_load(font_file("Lato-Italic.ttf"), err, sizeof err));
    doc_init(&d, "italic");
    d.theme.face[0] = (rg_face){.family = "Lato", .bold = 0, .italic = 1, .font = it, .hinting = 0};
    text(&d, 0, RG_PT(72), RG_PT(100), "slanted", black);
    paint_ok(&d, pdf);
    snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable %s - | grep -a -e /ItalicAngle -e /Flags", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_null(strstr(out, "/ItalicAngle 0\n"));
    assert_contains(out, "/ItalicAngle -");
    assert_contains(out, "/Flags 68");             /* symbolic, italic */
    free(out);
    rg_font_free(it);
}

/* The subset drops the hinting (cvt, fpgm, prep) unless the theme keeps it,
 * and never carries the tables a PDF reader does not use. */
static void test_hinting(void **state)
{
    doc d;
    char cmd[512], *out;
    path_t pdf_p = in_dir("hinting.pdf");
    const char *pdf = pdf_p.s;
    (void)state;

    for (int keep = 0; keep < 2; keep++) {
        doc_init(&d, "hinting");
        d.theme.face[0].hinting = keep;
        text(&d, 0, RG_PT(72), RG_PT(100), "hinted", black);
        paint_ok(&d, pdf);
        /* qdf mode writes the font program uncompressed: its table tags show. */
        snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable %s - | "
                 "grep -a -o -e fpgm -e prep -e GPOS -e GSUB | sort -u | tr '\\n' ' '", pdf);
        assert_int_equal(run(cmd, &out, NULL), 0);
        assert_string_equal(out, keep ? "fpgm prep " : "");
        free(out);
    }
}

/* Kerning: "AVATAR To Wa" in Lato Regular, each glyph where HarfBuzz's own
 * hb-shape puts it (kern on, liga off) within 1/1000 em, word by word:
 * spaces are not kerned, so a line measures what is drawn. Positions are
 * read back from the PDF by MuPDF. */
static void test_kerning_matches_hb_shape(void **state)
{
    doc d;
    char cmd[1024], *out;
    path_t pdf_p = in_dir("kern.pdf");
    const char *pdf = pdf_p.s;
    static const char *const words[] = {"AVATAR", "To", "Wa"};
    const double size = 12, upem = 2000;
    double x[32];
    int n = 0;
    (void)state;

    doc_init(&d, "kerning");
    text(&d, 0, RG_PT(72), RG_PT(100), "AVATAR To Wa", black);
    paint_ok(&d, pdf);
    snprintf(cmd, sizeof cmd, "mutool draw -q -F stext -o - %s | grep -o ' x=\"[0-9.]*\"'", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    for (char *l = strtok(out, "\n"); l && n < 32; l = strtok(NULL, "\n"))
        x[n++] = atof(l + 4);
    free(out);
    assert_int_equal(n, 12);

    int at = 0, kerned = 0;
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        snprintf(cmd, sizeof cmd, "hb-shape --features=-liga,kern --no-glyph-names --no-clusters %s '%s'",
                 font_file("Lato-Regular.ttf"), words[w]);
        assert_int_equal(run(cmd, &out, NULL), 0);
        double pen = 0;
        int k = 0;
        for (char *p = strchr(out, '+'); p; p = strchr(p + 1, '+'), k++) {
            double got = x[at + k] - x[at];
            if (fabs(got - pen) > size / 1000)
                fail_msg("'%s' glyph %d at %.4f pt, hb-shape says %.4f", words[w], k, got, pen);
            int nominal = rg_font_advance(regular, (unsigned char)words[w][k]);
            kerned |= k + 1 < (int)strlen(words[w]) && fabs(atoi(p + 1) / upem * 1000 - nominal) >= 1;
            pen += atoi(p + 1) * size / upem;
        }
        free(out);
        assert_int_equal(k, (int)strlen(words[w]));
        at += k + 1;
    }
    assert_true(kerned);           /* the string has pairs HarfBuzz kerns */
}

/* A character beyond the Basic Multilingual Plane is a glyph like any
 * other (DejaVu Serif Bold has U+1D400, MATHEMATICAL BOLD CAPITAL A), and
 * its ToUnicode entry is a UTF-16 surrogate pair. */
static void test_beyond_the_bmp(void **state)
{
    doc d;
    char err[128], cmd[512], *out;
    path_t pdf_p = in_dir("astral.pdf");
    const char *pdf = pdf_p.s;
    rg_font *dv;
    (void)state;

    assert_non_null(dv = rg_font_load("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf", err, sizeof err));
    assert_true(rg_font_glyph(dv, 0x1D400) != 0);
    doc_init(&d, "astral");
    d.theme.face[0] = (rg_face){.family = "DejaVu", .bold = 1, .italic = 0, .font = dv, .hinting = 0};
    text(&d, 0, RG_PT(72), RG_PT(100), "the letter \xF0\x9D\x90\x80 in bold", black);
    paint_ok(&d, pdf);
    snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s -", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_contains(out, "the letter \xF0\x9D\x90\x80 in bold");
    free(out);
    snprintf(cmd, sizeof cmd, "mutool draw -q -F txt -o - %s", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_contains(out, "the letter \xF0\x9D\x90\x80 in bold");
    free(out);
    rg_font_free(dv);
}

static void test_same_bytes_twice(void **state)
{
    doc d;
    path_t ap = in_dir("a.pdf"), bp = in_dir("b.pdf");
    const char *a = ap.s, *b = bp.s;
    char *x, *y, cmd[512], *out;
    size_t nx, ny;
    (void)state;

    doc_cp1252(&d);
    text(&d, 0, RG_PT(72), RG_PT(400), UTF8_TEXT, black);
    paint_ok(&d, a);
    paint_ok(&d, b);
    x = slurp(a, &nx);
    y = slurp(b, &ny);
    assert_int_equal(nx, ny);
    assert_memory_equal(x, y, nx);
    /* The trailer (a cross-reference stream's dictionary) has an /ID:
     * made from the content, as the same bytes twice show. */
    snprintf(cmd, sizeof cmd, "qpdf --json=2 --json-key=qpdf %s | grep -A20 '\"trailer\"'", a);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_contains(out, "\"/ID\": [");
    assert_contains(out, "\"/Type\": \"/XRef\"");
    free(out);
    free(x);
    free(y);
    paint_ok(&d, a);                       /* over an existing file: truncated */
    x = slurp(a, &nx);
    assert_int_equal(nx, ny);
    free(x);
}

/* The PDF embeds the font file as it was read and measured: a file changed
 * or removed since cannot make the glyphs disagree with the widths. */
/* A font's outlines are read when a document first shows them, from the
 * file as it was opened: one replaced (by rename) or removed meanwhile is
 * still read as it was, to the same bytes; one changed in place is refused
 * with a reason, then and afterwards, rather than embedded as other glyphs. */
static void test_font_file_changed(void **state)
{
    doc d;
    char err[128], cmd[1024], *out, *msg, *first, *again, junk[2000];
    path_t copy_p = in_dir("changed.ttf"), other_p = in_dir("other.ttf"), pdf_p = in_dir("changed.pdf");
    const char *copy = copy_p.s, *other = other_p.s, *pdf = pdf_p.s;
    rg_font *f;
    size_t n, n1, n2;
    char *data;
    (void)state;

    data = slurp(font_file("Lato-Regular.ttf"), &n);
    write_file(copy, data, n);
    assert_non_null(f = rg_font_load(copy, err, sizeof err));
    doc_init(&d, "changed font");
    d.theme.face[0].font = f;
    text(&d, 0, RG_PT(72), RG_PT(100), "text", black);
    paint_ok(&d, pdf);
    first = slurp(pdf, &n1);

    /* Replaced by rename, then removed: the same PDF, byte for byte. */
    memset(junk, 'x', sizeof junk);
    write_file(other, junk, sizeof junk);
    assert_int_equal(rename(other, copy), 0);
    text(&d, 0, RG_PT(72), RG_PT(120), "wonderful", black); /* glyphs not read yet */
    paint_ok(&d, pdf);
    unlink(copy);
    paint_ok(&d, pdf);
    again = slurp(pdf, &n2);
    assert_true(n2 > n1);
    snprintf(cmd, sizeof cmd, "qpdf --check %s >/dev/null && pdftotext %s -", pdf, pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_contains(out, "wonderful");
    free(out);
    rg_font_free(f);
    doc_init(&d, "changed font");
    write_file(copy, data, n);
    assert_non_null(f = rg_font_load(copy, err, sizeof err));
    d.theme.face[0].font = f;
    text(&d, 0, RG_PT(72), RG_PT(100), "text", black);
    text(&d, 0, RG_PT(72), RG_PT(120), "wonderful", black);
    paint_ok(&d, pdf);
    free(first);
    first = slurp(pdf, &n1);
    assert_int_equal(n1, n2);
    assert_memory_equal(first, again, n1);

    /* Changed in place before its glyphs were read: refused, and again. */
    text(&d, 0, RG_PT(72), RG_PT(140), "\xD0\x96 \xCE\xA9", black); /* pages far from a-z */
    write_file(copy, junk, sizeof junk);
    msg = paint_fails(&d, pdf);
    assert_non_null(strstr(msg, "the font file changed while in use"));
    free(msg);
    msg = paint_fails(&d, pdf);
    assert_non_null(strstr(msg, "the font file changed while in use"));
    free(msg);
    unlink(copy);
    free(first);
    free(again);
    free(data);
    rg_font_free(f);
}

static void test_bad_runs(void **state)
{
    doc d;
    char *msg;
    (void)state;

    doc_init(&d, "bad runs");
    text(&d, 5, RG_PT(72), RG_PT(100), "text", black);
    msg = paint_fails(&d, in_dir("bad.pdf").s);
    assert_string_equal(msg, "cannot write: a text run uses face 5, which the theme lacks");
    free(msg);

    doc_init(&d, "bad runs");
    text(&d, 0, RG_PT(72), RG_PT(100), "chart \xF0\x9F\x93\x8A", black);
    msg = paint_fails(&d, in_dir("bad.pdf").s);
    assert_string_equal(msg, "cannot write: character U+1F4CA is not in font Lato-Regular");
    free(msg);

    doc_init(&d, "bad runs");
    text(&d, 0, RG_PT(72), RG_PT(100), "a\tb", black);
    msg = paint_fails(&d, in_dir("bad.pdf").s);
    assert_string_equal(msg, "cannot write: control character U+0009 in the text run 'a\tb'");
    free(msg);

    /* libharu refuses a page of 1 pt; the message says why and its code. */
    doc_init(&d, "bad page");
    d.page.width = RG_PT(1);
    msg = paint_fails(&d, in_dir("bad.pdf").s);
    assert_string_equal(msg, "cannot write: page size outside 3..14400 pt (libharu error 0x1054)");
    free(msg);
}

static void test_minimal_document(void **state)
{
    doc d;
    char cmd[512], *out;
    path_t pdf_p = in_dir("minimal.pdf");
    const char *pdf = pdf_p.s;
    (void)state;

    /* No metadata, no date, no text: no font is loaded at all. */
    doc_init(&d, NULL);
    d.pl.info = (rg_docinfo){ NULL, NULL, NULL, NULL, NULL, NULL, -1, 0 };
    add(&d, RG_P_LINE)->stroke = navy;
    d.prim[0].stroke_width = RG_PT(2);
    d.prim[0].w = RG_PT(100);
    paint_ok(&d, pdf);
    snprintf(cmd, sizeof cmd, "qpdf --check %s", pdf);
    assert_int_equal(run(cmd, NULL, NULL), 0);
    snprintf(cmd, sizeof cmd, "pdffonts %s", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_null(strstr(out, "Lato"));
    free(out);
    snprintf(cmd, sizeof cmd, "pdfinfo %s", pdf);
    assert_int_equal(run(cmd, &out, NULL), 0);
    assert_null(strstr(out, "CreationDate"));
    assert_null(strstr(out, "Title"));
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cp1252_document),
        cmocka_unit_test(test_text_grouping),
        cmocka_unit_test(test_words_of_a_line),
        cmocka_unit_test(test_two_pages),
        cmocka_unit_test(test_utf8_run),
        cmocka_unit_test(test_line_end_hyphen),
        cmocka_unit_test(test_faces_sharing_a_file),
        cmocka_unit_test(test_same_postscript_name),
        cmocka_unit_test(test_extracts_in_every_reader),
        cmocka_unit_test(test_italic_descriptor),
        cmocka_unit_test(test_hinting),
        cmocka_unit_test(test_kerning_matches_hb_shape),
        cmocka_unit_test(test_beyond_the_bmp),
        cmocka_unit_test(test_same_bytes_twice),
        cmocka_unit_test(test_font_file_changed),
        cmocka_unit_test(test_bad_runs),
        cmocka_unit_test(test_minimal_document),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
