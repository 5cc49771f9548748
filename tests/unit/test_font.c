/* Tests for font.c: metrics against libharu itself (the widths it writes into
 * the PDF are the ones our layout must use), a synthetic font for format 12
 * and the fall-backs, and hostile files that must fail cleanly. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>

#include "rg.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* ---- helpers ------------------------------------------------------------ */

typedef struct fixture {
    char dir[64];          /* mkdtemp directory for hostile copies */
    char lato[PATH_MAX];   /* Lato-Regular.ttf, "" when not found */
    unsigned char *data;   /* its bytes */
    size_t n;
    char files[64][PATH_MAX];
    int nfiles;
} fixture;

static int exists(const char *p)
{
    return access(p, R_OK) == 0;
}

/* The project's copy first (fonts/ under the data dir or the cwd), else the
 * system one. Returns 1 and fills out when found. */
static int find_font(const char *file, const char *sysdir, char *out, size_t n)
{
    const char *dirs[] = {
#ifdef RG_DATADIR
        RG_DATADIR "/fonts",
#endif
        "fonts", sysdir,
    };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        snprintf(out, n, "%s/%s", dirs[i], file);
        if (exists(out))
            return 1;
    }
    out[0] = 0;
    return 0;
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *p = malloc(len > 0 ? (size_t)len : 1);
    if (p && fread(p, 1, (size_t)len, f) != (size_t)len) {
        free(p);
        p = NULL;
    }
    fclose(f);
    *n = (size_t)len;
    return p;
}

/* Writes bytes to a file in the fixture's directory; returns its path. */
static const char *put(fixture *fx, const char *name, const void *p, size_t n)
{
    assert_true(fx->nfiles < 64);
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", fx->dir, name);
    memcpy(fx->files[fx->nfiles], path, sizeof path);
    fx->nfiles++;
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (n)
        assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return fx->files[fx->nfiles - 1];
}

/* memmem is a GNU extension; the PDF is small enough for a plain scan. */
static const char *find(const char *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return hay + i;
    return NULL;
}

static unsigned rd16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static void wr16(unsigned char *p, unsigned v) { p[0] = (unsigned char)(v >> 8); p[1] = (unsigned char)v; }
static void wr32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24); p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8); p[3] = (unsigned char)v;
}

/* Offset of the table directory record for tag (fails the test if absent). */
static size_t dir_entry(const unsigned char *d, const char *tag)
{
    unsigned n = rd16(d + 4);
    for (unsigned i = 0; i < n; i++)
        if (memcmp(d + 12 + 16 * i, tag, 4) == 0)
            return 12 + 16 * (size_t)i;
    fail_msg("no '%s' table", tag);
    return 0;
}

static size_t table_at(const unsigned char *d, const char *tag)
{
    return rd32(d + dir_entry(d, tag) + 8);
}

/* A copy of Lato to damage. */
static unsigned char *copy(const fixture *fx)
{
    unsigned char *p = malloc(fx->n);
    assert_non_null(p);
    memcpy(p, fx->data, fx->n);
    return p;
}

/* Loads path expecting failure, and err to contain want. */
static void expect_fail(const char *path, const char *want)
{
    char err[200];
    memset(err, 'x', sizeof err);
    rg_font *f = rg_font_load(path, err, sizeof err);
    if (f) {
        rg_font_free(f);
        fail_msg("%s loaded; expected \"%s\"", path, want);
    }
    assert_non_null(memchr(err, 0, sizeof err));
    if (!strstr(err, want))
        fail_msg("err \"%s\" lacks \"%s\"", err, want);
    for (const char *s = err; *s; s++) /* one printable line */
        assert_true((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7F);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    strcpy(fx->dir, "/tmp/rg-font-XXXXXX");
    if (!mkdtemp(fx->dir)) {
        free(fx);
        return -1;
    }
    if (find_font("Lato-Regular.ttf", "/usr/share/fonts/truetype/lato", fx->lato, sizeof fx->lato))
        fx->data = slurp(fx->lato, &fx->n);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    for (int i = 0; i < fx->nfiles; i++)
        unlink(fx->files[i]);
    rmdir(fx->dir);
    free(fx->data);
    free(fx);
    return 0;
}

static int reset_files(void **state)
{
    fixture *fx = *state;
    for (int i = 0; i < fx->nfiles; i++)
        unlink(fx->files[i]);
    fx->nfiles = 0;
    return 0;
}

#define NEED_LATO(fx) do { if (!(fx)->data) { skip(); } } while (0)

/* ---- libharu as the reference -------------------------------------------- */

static void haru_error(HPDF_STATUS no, HPDF_STATUS detail, void *user)
{
    HPDF_STATUS *last = user;
    (void)detail;
    *last = no;
}

/* Compares every CP1252 code 32..255 that the font has: first through
 * HPDF_Font_TextWidth, then against the /Widths array libharu writes into
 * the saved PDF. Returns how many codes were compared. */
static int compare_cp1252(const char *path)
{
    char err[200];
    rg_font *f = rg_font_load(path, err, sizeof err);
    if (!f)
        fail_msg("%s: %s", path, err);
    HPDF_STATUS last = 0;
    HPDF_Doc pdf = HPDF_New(haru_error, &last);
    assert_non_null(pdf);
    const char *name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
    assert_non_null(name);
    /* libharu 2.3.0 names the font "<PostScript name>,<subfamily>" unless the
     * subfamily is Regular ("Lato-Bold,Bold"); the part before the comma is
     * the PostScript name, as ours. */
    size_t pslen = strcspn(name, ",");
    assert_int_equal(pslen, strlen(rg_font_psname(f)));
    assert_memory_equal(name, rg_font_psname(f), pslen);
    HPDF_Font font = HPDF_GetFont(pdf, name, "CP1252");
    assert_non_null(font);
    HPDF_Encoder enc = HPDF_GetEncoder(pdf, "CP1252");
    assert_non_null(enc);

    assert_int_equal(HPDF_Font_GetAscent(font), rg_font_ascent(f));
    assert_int_equal(HPDF_Font_GetDescent(font), rg_font_descent(f));

    int ours[256] = {0}, compared = 0;
    for (unsigned code = 32; code < 256; code++) {
        HPDF_BYTE b = (HPDF_BYTE)code;
        HPDF_TextWidth tw = HPDF_Font_TextWidth(font, &b, 1); /* also marks it used */
        HPDF_UNICODE u = HPDF_Encoder_GetUnicode(enc, (HPDF_UINT16)code);
        ours[code] = -1;
        if (!rg_font_glyph(f, u))
            continue; /* libharu measures .notdef there; we say 0 on purpose */
        ours[code] = rg_font_advance(f, u);
        if ((int)tw.width != ours[code])
            fail_msg("%s: code 0x%02X U+%04X: libharu %u, ours %d", path, code, u,
                     (unsigned)tw.width, ours[code]);
        compared++;
    }

    /* The PDF itself: its /Widths array for the font. */
    HPDF_Page page = HPDF_AddPage(pdf);
    assert_non_null(page);
    assert_int_equal(HPDF_Page_SetFontAndSize(page, font, 12), HPDF_OK);
    assert_int_equal(HPDF_SaveToStream(pdf), HPDF_OK);
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
    char *doc = malloc(size + 1);
    assert_non_null(doc);
    HPDF_UINT32 got = size;
    HPDF_ReadFromStream(pdf, (HPDF_BYTE *)doc, &got);
    assert_int_equal(got, size);
    doc[size] = 0;
    const char *fc = find(doc, size, "/FirstChar ");
    const char *w = find(doc, size, "/Widths [");
    assert_non_null(fc);
    assert_non_null(w);
    long first = strtol(fc + 11, NULL, 10);
    char *p = (char *)w + 9;
    for (long code = first; code < 256; code++) {
        char *end;
        long v = strtol(p, &end, 10);
        assert_true(end != p);
        p = end;
        if (code >= 32 && ours[code] >= 0 && v != ours[code])
            fail_msg("%s: /Widths[0x%02lX] is %ld, ours %d", path, code, v, ours[code]);
    }
    free(doc);
    assert_int_equal(last, 0);
    HPDF_Free(pdf);
    rg_font_free(f);
    return compared;
}

/* Every BMP code point through the UTF-8 (Type0) path. */
static int compare_utf8(const char *path)
{
    char err[200];
    rg_font *f = rg_font_load(path, err, sizeof err);
    if (!f)
        fail_msg("%s: %s", path, err);
    HPDF_STATUS last = 0;
    HPDF_Doc pdf = HPDF_New(haru_error, &last);
    assert_non_null(pdf);
    assert_int_equal(HPDF_UseUTFEncodings(pdf), HPDF_OK);
    const char *name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
    assert_non_null(name);
    HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
    assert_non_null(font);
    int compared = 0;
    for (uint32_t cp = 0x20; cp <= 0xFFFD; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        if (!rg_font_glyph(f, cp))
            continue;
        HPDF_BYTE s[3];
        HPDF_UINT len;
        if (cp < 0x80) {
            s[0] = (HPDF_BYTE)cp; len = 1;
        } else if (cp < 0x800) {
            s[0] = (HPDF_BYTE)(0xC0 | cp >> 6); s[1] = (HPDF_BYTE)(0x80 | (cp & 0x3F)); len = 2;
        } else {
            s[0] = (HPDF_BYTE)(0xE0 | cp >> 12); s[1] = (HPDF_BYTE)(0x80 | ((cp >> 6) & 0x3F));
            s[2] = (HPDF_BYTE)(0x80 | (cp & 0x3F)); len = 3;
        }
        HPDF_TextWidth tw = HPDF_Font_TextWidth(font, s, len);
        if ((int)tw.width != rg_font_advance(f, cp))
            fail_msg("%s: U+%04X: libharu %u, ours %d", path, (unsigned)cp,
                     (unsigned)tw.width, rg_font_advance(f, cp));
        compared++;
    }
    assert_int_equal(last, 0);
    HPDF_Free(pdf);
    rg_font_free(f);
    return compared;
}

/* ---- real fonts ------------------------------------------------------------ */

static void test_lato_basics(void **state)
{
    fixture *fx = *state;
    NEED_LATO(fx);
    char err[200] = "untouched";
    rg_font *f = rg_font_load(fx->lato, err, sizeof err);
    assert_non_null(f);
    assert_string_equal(err, "");
    assert_string_equal(rg_font_psname(f), "Lato-Regular");
    assert_string_equal(rg_font_path(f), fx->lato);
    assert_true(rg_font_glyph(f, 'A') != 0);
    assert_true(rg_font_glyph(f, 'A') != rg_font_glyph(f, 'B'));
    assert_true(rg_font_advance(f, 'A') > 0);
    /* Lato: unitsPerEm 2000, so advances are half the font units. */
    assert_in_range(rg_font_advance(f, ' '), 150, 400);
    assert_true(rg_font_advance(f, 'M') > rg_font_advance(f, 'i'));
    /* Absent code points: glyph 0 and advance 0. */
    assert_int_equal(rg_font_glyph(f, 0x1F600), 0);
    assert_int_equal(rg_font_advance(f, 0x1F600), 0);
    assert_int_equal(rg_font_glyph(f, 0x0E01), 0);   /* Thai: not in Lato */
    assert_int_equal(rg_font_glyph(f, 0x110000), 0); /* not Unicode */
    assert_int_equal(rg_font_glyph(f, 0xFFFFFFFFu), 0);
    /* hhea of Lato-Regular: 1974 / -426 at 2000 units. */
    assert_int_equal(rg_font_ascent(f), 987);
    assert_int_equal(rg_font_descent(f), -213);
    assert_true(rg_font_ascent(f) > 0 && 0 > rg_font_descent(f));
    /* OS/2 v4 sCapHeight 1433 -> 716. */
    assert_int_equal(rg_font_cap_height(f), 716);
    rg_font_free(f);
    rg_font_free(NULL);
}

/* The subset check: the font itself passes for any glyphs; a table left
 * out, an outline emptied or an advance changed (what HarfBuzz leaves when
 * an allocation fails) does not; hinting tables are asked for only when
 * the theme keeps them. */
static void test_subset_check(void **state)
{
    fixture *fx = *state;
    NEED_LATO(fx);
    char err[200];
    rg_font *f = rg_font_load(fx->lato, err, sizeof err);
    assert_non_null(f);
    unsigned n = rg_font_glyph_count(f), a = rg_font_glyph(f, 'A');
    uint32_t *used = calloc(n, sizeof *used);
    assert_non_null(used);
    used[a] = 'A';
    used[rg_font_glyph(f, 'z')] = 'z';
    assert_int_equal(rg_font_check_subset(f, fx->data, fx->n, used, 0), 0);
    assert_int_equal(rg_font_check_subset(f, fx->data, fx->n, used, 1), 0);
    assert_int_equal(rg_font_check_subset(f, fx->data, 11, used, 0), -1);

    unsigned char *p = copy(fx);
    memcpy(p + dir_entry(p, "hmtx"), "hmtX", 4);      /* no hmtx */
    assert_int_equal(rg_font_check_subset(f, p, fx->n, used, 0), -1);
    free(p);

    p = copy(fx);
    memcpy(p + dir_entry(p, "fpgm"), "fpgX", 4);      /* no fpgm: fine without hinting */
    assert_int_equal(rg_font_check_subset(f, p, fx->n, used, 0), 0);
    assert_int_equal(rg_font_check_subset(f, p, fx->n, used, 1), -1);
    free(p);

    p = copy(fx);                                     /* A's advance changed */
    size_t hm = table_at(p, "hmtx") + 4 * (size_t)a;
    wr16(p + hm, rd16(p + hm) + 1);
    assert_int_equal(rg_font_check_subset(f, p, fx->n, used, 0), -1);
    free(p);

    p = copy(fx);                                     /* A's outline emptied */
    size_t head = table_at(p, "head"), loca = table_at(p, "loca");
    assert_int_equal(rd16(p + head + 50), 1);         /* Lato: long offsets */
    wr32(p + loca + 4 * (size_t)(a + 1), rd32(p + loca + 4 * (size_t)a));
    assert_int_equal(rg_font_check_subset(f, p, fx->n, used, 0), -1);
    free(p);

    p = copy(fx);                                     /* too few glyphs */
    wr16(p + table_at(p, "maxp") + 4, a);
    assert_int_equal(rg_font_check_subset(f, p, fx->n, used, 0), -1);
    free(p);
    free(used);
    rg_font_free(f);
}

/* Kerning in font units: Lato kerns "AV" and "To" but not "nu"; a GPOS
 * table HarfBuzz refuses (its version zeroed) leaves the font without
 * kerning, not failing. */
static void test_kerning(void **state)
{
    fixture *fx = *state;
    NEED_LATO(fx);
    char err[200];
    uint32_t av[] = {'A', 'V', ' ', 'T', 'o', ' ', 'n', 'u'};
    int k[8];
    rg_font *f = rg_font_load(fx->lato, err, sizeof err);
    assert_non_null(f);
    assert_int_equal(rg_font_kern(f, av, 8, k), 0);
    assert_true(k[0] < 0);          /* A before V */
    assert_true(k[3] < 0);          /* T before o */
    assert_int_equal(k[1], 0);      /* V before a space: spaces are not kerned */
    assert_int_equal(k[2], 0);
    assert_int_equal(k[6], 0);
    /* Again, from the cache of words kerned: the same numbers; a word too
     * long for the cache is shaped as it comes. */
    int again[8];
    assert_int_equal(rg_font_kern(f, av, 8, again), 0);
    assert_memory_equal(k, again, sizeof k);
    uint32_t longw[40];
    int lk[40];
    for (int i = 0; i < 40; i++)
        longw[i] = i % 2 ? 'V' : 'A';
    assert_int_equal(rg_font_kern(f, longw, 40, lk), 0);
    for (int i = 0; i < 39; i++)
        assert_int_equal(lk[i], i % 2 ? lk[1] : k[0]);
    rg_font_free(f);

    unsigned char *p = copy(fx);
    memset(p + table_at(p, "GPOS"), 0, 4);
    assert_non_null(f = rg_font_load(put(fx, "nogpos.ttf", p, fx->n), err, sizeof err));
    free(p);
    assert_int_equal(rg_font_kern(f, av, 8, k), 0);
    for (int i = 0; i < 8; i++)
        assert_int_equal(k[i], 0);
    rg_font_free(f);
}

/* Standard ligatures when asked: Lato draws "ffi" of "office" as one glyph
 * whose advance its three letters share, the first carrying it; without
 * them (and from the cache, which keeps the two apart) each letter keeps
 * its own glyph. */
static void test_ligatures(void **state)
{
    fixture *fx = *state;
    NEED_LATO(fx);
    uint32_t w[] = {'o', 'f', 'f', 'i', 'c', 'e'};
    unsigned g[6], plain[6];
    int k[6], pk[6];
    rg_font *f = rg_font_load(fx->lato, NULL, 0);
    assert_non_null(f);
    for (int round = 0; round < 2; round++) { /* the second from the cache */
        assert_int_equal(rg_font_shape(f, w, 6, 1, g, k), 0);
        assert_int_equal(g[0], rg_font_glyph(f, 'o'));
        assert_true(g[1] != 0 && g[1] != rg_font_glyph(f, 'f') && g[1] < rg_font_glyph_count(f));
        assert_int_equal(g[2], 0);
        assert_int_equal(g[3], 0);
        assert_int_equal(g[4], rg_font_glyph(f, 'c'));
        long adv = 0;
        for (int i = 1; i < 4; i++)
            adv += (long)rg_font_units(f, w[i]) + k[i];
        assert_int_equal(adv, (long)rg_font_glyph_units(f, g[1])); /* no kerning after it */
        assert_int_equal(rg_font_shape(f, w, 6, 0, plain, pk), 0);
        for (int i = 0; i < 6; i++)
            assert_int_equal(plain[i], rg_font_glyph(f, w[i]));
        assert_int_equal(pk[1], 0);
    }
    rg_font_free(f);
}

static void test_lato_matches_libharu_cp1252(void **state)
{
    fixture *fx = *state;
    NEED_LATO(fx);
    int n = compare_cp1252(fx->lato);
    /* All of printable ASCII plus the CP1252 extras Lato has. */
    assert_true(n >= 95 + 100);
    /* And some named ones, spelled out so a broken table cannot hide them. */
    rg_font *f = rg_font_load(fx->lato, NULL, 0);
    assert_non_null(f);
    const uint32_t extras[] = {0x2019, 0x2014, 0x2022, 0x00BD, 0x20AC, 0x201C, 0x00E9, 0x00A0};
    for (size_t i = 0; i < sizeof extras / sizeof extras[0]; i++)
        assert_true(rg_font_advance(f, extras[i]) > 0);
    rg_font_free(f);
}

static void test_lato_matches_libharu_utf8(void **state)
{
    fixture *fx = *state;
    NEED_LATO(fx);
    assert_true(compare_utf8(fx->lato) > 2000);
}

static void test_other_fonts_match_libharu(void **state)
{
    (void)state;
    static const struct { const char *file, *dir, *ps; } fonts[] = {
        {"Lato-Bold.ttf", "/usr/share/fonts/truetype/lato", "Lato-Bold"},
        {"Lato-Italic.ttf", "/usr/share/fonts/truetype/lato", "Lato-Italic"},
        {"LiberationSans-Regular.ttf", "/usr/share/fonts/truetype/liberation2", "LiberationSans"},
        {"LiberationSerif-Bold.ttf", "/usr/share/fonts/truetype/liberation2", "LiberationSerif-Bold"},
        {"DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu", "DejaVuSans"},
    };
    int tried = 0;
    for (size_t i = 0; i < sizeof fonts / sizeof fonts[0]; i++) {
        char path[PATH_MAX];
        if (!find_font(fonts[i].file, fonts[i].dir, path, sizeof path))
            continue;
        rg_font *f = rg_font_load(path, NULL, 0);
        assert_non_null(f);
        assert_string_equal(rg_font_psname(f), fonts[i].ps);
        rg_font_free(f);
        assert_true(compare_cp1252(path) >= 95);
        assert_true(compare_utf8(path) >= 95);
        tried++;
    }
    if (!tried)
        skip();
}

/* DejaVu Sans has format 4 and format 12 subtables: the planes above the
 * BMP come from format 12. */
static void test_format12_planes(void **state)
{
    (void)state;
    char path[PATH_MAX];
    if (!find_font("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu", path, sizeof path))
        skip();
    rg_font *f = rg_font_load(path, NULL, 0);
    assert_non_null(f);
    assert_true(rg_font_glyph(f, 0x1D538) != 0); /* mathematical double-struck A */
    assert_true(rg_font_advance(f, 0x1D538) > 0);
    assert_true(rg_font_glyph(f, 0x10300) != 0); /* Old Italic */
    assert_int_equal(rg_font_glyph(f, 0x1D53A), 0); /* a hole in that block */
    assert_int_equal(rg_font_glyph(f, 0x10FFFF), 0);
    rg_font_free(f);
}

/* ---- a synthetic font: format 12 only, no OS/2, no PostScript name ------- */

typedef struct builder { unsigned char b[4096]; size_t n; } builder;

static size_t add(builder *bd, const void *p, size_t n)
{
    size_t at = bd->n;
    memcpy(bd->b + at, p, n);
    bd->n += (n + 3) & ~(size_t)3;
    return at;
}

/* Tables: head (upem), hhea, maxp (4 glyphs), hmtx (2 long metrics), cmap
 * with one (3,10) format 12 subtable, and an empty name table. */
static size_t synth(unsigned char *out, unsigned upem, uint32_t ngroups_claimed)
{
    builder bd = {{0}, 0};
    unsigned char head[54] = {0}, hhea[36] = {0}, maxp[6] = {0}, hmtx[12] = {0};
    unsigned char cmap[12 + 16 + 3 * 12] = {0}, name[6] = {0};
    wr32(head, 0x00010000); wr32(head + 12, 0x5F0F3CF5); wr16(head + 18, upem);
    wr32(hhea, 0x00010000); wr16(hhea + 4, 1854); wr16(hhea + 6, (unsigned)-434 & 0xFFFF);
    wr16(hhea + 34, 2);
    wr32(maxp, 0x00005000); wr16(maxp + 4, 4);
    wr16(hmtx, 500); wr16(hmtx + 4, 1023); wr16(hmtx + 8, 7); wr16(hmtx + 10, 7);
    wr16(cmap + 2, 1); wr16(cmap + 4, 3); wr16(cmap + 6, 10); wr32(cmap + 8, 12);
    unsigned char *s = cmap + 12;
    wr16(s, 12); wr32(s + 4, 16 + 3 * 12); wr32(s + 12, ngroups_claimed);
    const uint32_t g[3][3] = {{0x41, 0x42, 1}, {0x1F600, 0x1F600, 3}, {0x20000, 0x20001, 99}};
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++)
            wr32(s + 16 + 12 * i + 4 * k, g[i][k]);
    wr16(name + 4, 6);

    struct { const char *tag; const unsigned char *p; size_t n; } t[] = {
        {"cmap", cmap, sizeof cmap}, {"head", head, sizeof head}, {"hhea", hhea, sizeof hhea},
        {"hmtx", hmtx, sizeof hmtx}, {"maxp", maxp, sizeof maxp}, {"name", name, sizeof name},
    };
    const unsigned nt = sizeof t / sizeof t[0];
    unsigned char dir[12 + 16 * 6] = {0};
    wr32(dir, 0x00010000); wr16(dir + 4, nt);
    add(&bd, dir, sizeof dir);
    for (unsigned i = 0; i < nt; i++) {
        size_t at = add(&bd, t[i].p, t[i].n);
        unsigned char *r = bd.b + 12 + 16 * i;
        memcpy(r, t[i].tag, 4);
        wr32(r + 8, (uint32_t)at);
        wr32(r + 12, (uint32_t)t[i].n);
    }
    memcpy(out, bd.b, bd.n);
    return bd.n;
}

static void test_synthetic_format12(void **state)
{
    fixture *fx = *state;
    unsigned char b[4096];
    size_t n = synth(b, 2048, 3);
    const char *path = put(fx, "Synth-Test.ttf", b, n);
    char err[200];
    rg_font *f = rg_font_load(path, err, sizeof err);
    if (!f)
        fail_msg("synthetic font: %s", err);
    assert_int_equal(rg_font_glyph(f, 'A'), 1);
    assert_int_equal(rg_font_glyph(f, 'B'), 2);
    assert_int_equal(rg_font_glyph(f, 'C'), 0);
    /* 1023 * 1000 / 2048 = 499.5: truncated, as libharu does. */
    assert_int_equal(rg_font_advance(f, 'A'), 499);
    /* Glyph 2 is past numberOfHMetrics: the last advance repeats. */
    assert_int_equal(rg_font_advance(f, 'B'), 499);
    assert_int_equal(rg_font_glyph(f, 0x1F600), 3);
    assert_int_equal(rg_font_advance(f, 0x1F600), 499);
    assert_int_equal(rg_font_glyph(f, 0x1F601), 0);
    /* Glyph 99 does not exist (4 glyphs): missing, not out of bounds. */
    assert_int_equal(rg_font_glyph(f, 0x20000), 0);
    assert_int_equal(rg_font_advance(f, 0x20001), 0);
    /* 1854 and -434 at 2048 units, truncated toward zero. */
    assert_int_equal(rg_font_ascent(f), 905);
    assert_int_equal(rg_font_descent(f), -211);
    assert_int_equal(rg_font_cap_height(f), 700); /* no OS/2: 0.7 em */
    assert_string_equal(rg_font_psname(f), "Synth-Test"); /* no nameID 6 */
    rg_font_free(f);

    n = synth(b, 0, 3);
    expect_fail(put(fx, "upem0.ttf", b, n), "unitsPerEm");
    n = synth(b, 1000, 0x7FFFFFFF);
    expect_fail(put(fx, "groups.ttf", b, n), "truncated 'cmap' table");
    n = synth(b, 1000, 3);
    wr16(b + 12 + 16 * 0 + 0, 0); /* rename 'cmap' */
    expect_fail(put(fx, "nocmap.ttf", b, n), "missing 'cmap' table");
}

/* ---- hostile files ----------------------------------------------------------- */

static void test_unreadable(void **state)
{
    fixture *fx = *state;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/none.ttf", fx->dir);
    expect_fail(path, "cannot open: No such file or directory");
    expect_fail(fx->dir, "not a regular file");
    expect_fail(put(fx, "empty.ttf", "", 0), "empty file");
    const char text[] = "This is not a font.\nJust some text, long enough to look like one.\n";
    expect_fail(put(fx, "text.ttf", text, sizeof text - 1), "not a TrueType font");
    expect_fail(put(fx, "tiny.ttf", "\0\1\0\0\0", 5), "truncated table directory");
    unsigned char otto[64] = "OTTO";
    expect_fail(put(fx, "cff.otf", otto, sizeof otto),
                "CFF-flavoured OpenType is not supported, use a TrueType font");
    unsigned char ttc[64] = "ttcf";
    expect_fail(put(fx, "coll.ttc", ttc, sizeof ttc), "collections");
    /* err may be NULL or zero-sized. */
    assert_null(rg_font_load(path, NULL, 0));
    char one[1] = {'x'};
    assert_null(rg_font_load(path, one, 0));
    assert_int_equal(one[0], 'x');
    char small[8];
    assert_null(rg_font_load(path, small, sizeof small));
    assert_int_equal(strlen(small), 7);
}

static void test_truncated(void **state)
{
    fixture *fx = *state;
    NEED_LATO(fx);
    /* A cut inside a table says "truncated 'X' table"; a table beyond the cut
     * says "'X' table starts past the end of the file". */
    expect_fail(put(fx, "t100.ttf", fx->data, 100), "truncated table directory");
    expect_fail(put(fx, "half.ttf", fx->data, fx->n / 2), "' table");
    expect_fail(put(fx, "less1.ttf", fx->data, fx->n - 1), "truncated 'GSUB' table");
    /* Every cut, including ones inside the directory, fails cleanly. */
    for (size_t cut = 1; cut < fx->n; cut += fx->n / 37 + 1) {
        char name[32];
        snprintf(name, sizeof name, "cut%zu.ttf", cut);
        rg_font *f = rg_font_load(put(fx, name, fx->data, cut), NULL, 0);
        assert_null(f);
        reset_files(state);
    }
}

static void test_damaged_tables(void **state)
{
    fixture *fx = *state;
    NEED_LATO(fx);
    unsigned char *d = copy(fx);
    size_t e = dir_entry(d, "cmap");

    wr32(d + e + 8, (uint32_t)fx->n + 16); /* cmap offset past the end */
    expect_fail(put(fx, "cmap-past.ttf", d, fx->n), "'cmap' table starts past the end of the file");
    wr32(d + e + 8, 0xFFFFFFF0u);          /* and where offset + length wraps */
    expect_fail(put(fx, "cmap-wrap.ttf", d, fx->n), "'cmap'");
    memcpy(d, fx->data, fx->n);
    wr32(d + e + 12, (uint32_t)fx->n);     /* length past the end */
    expect_fail(put(fx, "cmap-long.ttf", d, fx->n), "truncated 'cmap' table");

    /* Subtable offsets past the cmap: the (3,1) one alone falls back to (0,3). */
    memcpy(d, fx->data, fx->n);
    size_t c = table_at(d, "cmap");
    unsigned nsub = rd16(d + c + 2);
    for (unsigned i = 0; i < nsub; i++)
        if (rd16(d + c + 4 + 8 * i) == 3)
            wr32(d + c + 4 + 8 * i + 4, 0x7FFFFFF0u);
    rg_font *f = rg_font_load(put(fx, "sub31.ttf", d, fx->n), NULL, 0);
    assert_non_null(f);
    assert_true(rg_font_glyph(f, 'A') != 0);
    rg_font_free(f);
    for (unsigned i = 0; i < nsub; i++)
        wr32(d + c + 4 + 8 * i + 4, 0x7FFFFFF0u);
    expect_fail(put(fx, "suball.ttf", d, fx->n), "truncated 'cmap' table");

    /* A format 4 subtable claiming 32767 segments. */
    memcpy(d, fx->data, fx->n);
    size_t s4 = c + rd32(d + c + 4 + 4);
    assert_int_equal(rd16(d + s4), 4);
    wr16(d + s4 + 6, 0xFFFE);
    expect_fail(put(fx, "segs.ttf", d, fx->n), "truncated 'cmap' table");

    /* No Unicode subtable at all: mark them all as Macintosh Roman. */
    memcpy(d, fx->data, fx->n);
    for (unsigned i = 0; i < nsub; i++) {
        wr16(d + c + 4 + 8 * i, 1);
        wr16(d + c + 4 + 8 * i + 2, 0);
    }
    expect_fail(put(fx, "nouni.ttf", d, fx->n), "no Unicode cmap");

    memcpy(d, fx->data, fx->n);
    wr16(d + table_at(d, "maxp") + 4, 0);
    expect_fail(put(fx, "glyphs0.ttf", d, fx->n), "font has no glyphs");

    memcpy(d, fx->data, fx->n);
    wr16(d + table_at(d, "head") + 18, 0);
    expect_fail(put(fx, "upem0.ttf", d, fx->n), "unitsPerEm is 0");

    memcpy(d, fx->data, fx->n);
    wr16(d + table_at(d, "hhea") + 34, 0xFFFF);
    expect_fail(put(fx, "nhm.ttf", d, fx->n), "numberOfHMetrics");

    memcpy(d, fx->data, fx->n);
    wr32(d + dir_entry(d, "hmtx") + 12, 8);
    expect_fail(put(fx, "hmtx.ttf", d, fx->n), "truncated 'hmtx' table");

    memcpy(d, fx->data, fx->n);
    wr32(d + dir_entry(d, "head") + 12, 20);
    expect_fail(put(fx, "head.ttf", d, fx->n), "truncated 'head' table");

    memcpy(d, fx->data, fx->n);
    wr16(d + 4, 0xFFFF); /* numTables */
    expect_fail(put(fx, "ntables.ttf", d, fx->n), "truncated table directory");

    memcpy(d, fx->data, fx->n);
    memcpy(d + dir_entry(d, "hhea"), "hhex", 4);
    expect_fail(put(fx, "nohhea.ttf", d, fx->n), "missing 'hhea' table");

    /* A broken name table costs only the name: the file's base name stands in. */
    memcpy(d, fx->data, fx->n);
    wr16(d + table_at(d, "name") + 2, 0xFFFF);
    f = rg_font_load(put(fx, "My Font[1].ttf", d, fx->n), NULL, 0);
    assert_non_null(f);
    assert_string_equal(rg_font_psname(f), "MyFont1");
    rg_font_free(f);

    /* 'true' is accepted like 0x00010000. */
    memcpy(d, fx->data, fx->n);
    memcpy(d, "true", 4);
    f = rg_font_load(put(fx, "true.ttf", d, fx->n), NULL, 0);
    assert_non_null(f);
    rg_font_free(f);
    free(d);
}

/* Random damage to the bytes the parser reads. Whatever loads must answer
 * queries; nothing may read out of bounds (run under ASan or valgrind). */
static void test_random_damage(void **state)
{
    fixture *fx = *state;
    NEED_LATO(fx);
    unsigned char *d = copy(fx);
    const char *tags[] = {"cmap", "head", "hhea", "maxp", "hmtx", "OS/2", "name"};
    uint32_t seed = 12345;
    int loaded = 0;
    for (int iter = 0; iter < 300; iter++) {
        memcpy(d, fx->data, fx->n);
        for (int k = 0; k < 8; k++) {
            seed = seed * 1103515245u + 12345u;
            uint32_t r = seed >> 8;
            size_t at;
            if (r % 4 == 0) {
                at = r / 4 % (12 + 16 * (size_t)rd16(fx->data + 4)); /* the directory */
            } else {
                const char *tag = tags[r / 4 % 7];
                size_t e = dir_entry(fx->data, tag);
                size_t len = rd32(fx->data + e + 12);
                size_t span = len < 2048 ? len : 2048; /* headers, not bulk data */
                at = rd32(fx->data + e + 8) + (r / 28) % span;
            }
            seed = seed * 1103515245u + 12345u;
            d[at] = (seed >> 16) % 3 == 0 ? 0xFF : (unsigned char)(seed >> 8);
        }
        rg_font *f = rg_font_load(put(fx, "fuzz.ttf", d, fx->n), NULL, 0);
        reset_files(state);
        if (!f)
            continue;
        loaded++;
        long sum = 0;
        for (uint32_t cp = 0; cp < 0x11000; cp += 7)
            sum += rg_font_advance(f, cp) + (long)rg_font_glyph(f, cp);
        sum += rg_font_ascent(f) + rg_font_descent(f) + rg_font_cap_height(f);
        assert_true(strlen(rg_font_psname(f)) > 0);
        assert_true(sum != 0x7FFFFFFF); /* keeps the loop from being optimised out */
        rg_font_free(f);
    }
    free(d);
    print_message("random damage: %d of 300 copies still loaded\n", loaded);
}

/* The fonts of a context: one slot per path, nothing read until a font is
 * asked for, a failure tried again, the font freed with its last holder. */
static void test_font_slots(void **state)
{
    fixture *fx = *state;
    NEED_LATO(fx);
    char err[128];
    const char text[] = "not a font yet";
    const char *path = put(fx, "slot.ttf", text, sizeof text - 1);
    rg_fonts *fs = rg_fonts_new();
    assert_non_null(fs);
    rg_font_slot *a = rg_fonts_hold(fs, path), *b = rg_fonts_hold(fs, path);
    rg_font_slot *other = rg_fonts_hold(fs, fx->lato);
    assert_non_null(a);
    assert_ptr_equal(a, b);
    assert_ptr_not_equal(a, other);
    assert_string_equal(rg_font_slot_path(a), path);
    err[0] = 0;
    assert_null(rg_font_slot_font(a, err, sizeof err));
    assert_string_equal(err, "not a TrueType font");
    /* Mended after the failure: read now, and then kept. */
    put(fx, "slot.ttf", fx->data, fx->n);
    rg_font *f = rg_font_slot_font(a, err, sizeof err);
    assert_non_null(f);
    assert_string_equal(rg_font_psname(f), "Lato-Regular");
    unlink(path);
    assert_ptr_equal(rg_font_slot_font(b, err, sizeof err), f);
    rg_fonts_release(fs, a);
    assert_ptr_equal(rg_font_slot_font(b, err, sizeof err), f); /* b still holds it */
    rg_fonts_release(fs, b);
    /* The last holder gone, the path's next slot starts unread. */
    rg_font_slot *c = rg_fonts_hold(fs, path);
    assert_non_null(c);
    assert_null(rg_font_slot_font(c, err, sizeof err));
    assert_non_null(strstr(err, "cannot open"));
    rg_fonts_free(fs); /* frees the slots still held */
}

/* ---- kerning read from GPOS (otkern.c) against HarfBuzz ---------------- */

/* Shapes cp in a (direct kerning on) and in b (every word through
 * HarfBuzz): the same glyphs and kerning, or a message naming the word. */
static int same_shaping(rg_font *a, rg_font *b, const uint32_t *cp, size_t n, int liga)
{
    unsigned ga[64], gb[64];
    int ka[64], kb[64];
    if (n > 64)
        n = 64;
    assert_int_equal(rg_font_shape(a, cp, n, liga, ga, ka), 0);
    assert_int_equal(rg_font_shape(b, cp, n, liga, gb, kb), 0);
    if (memcmp(ga, gb, n * sizeof *ga) == 0 && memcmp(ka, kb, n * sizeof *ka) == 0)
        return 1;
    char word[400];
    size_t at = 0;
    for (size_t i = 0; i < n && at + 12 < sizeof word; i++)
        at += (size_t)snprintf(word + at, sizeof word - at, "U+%04X ", (unsigned)cp[i]);
    print_error("%s, liga %d: %s\n", rg_font_psname(a), liga, word);
    for (size_t i = 0; i < n; i++)
        print_error("  %zu: glyph %u/%u kern %d/%d\n", i, ga[i], gb[i], ka[i], kb[i]);
    return 0;
}

/* The words of a file: runs of characters between spaces and markup. */
static int file_words(rg_font *a, rg_font *b, const char *path, int liga, size_t *words)
{
    size_t n = 0;
    char *text = (char *)slurp(path, &n);
    if (!text)
        return 1;
    uint32_t w[64];
    size_t wn = 0;
    int ok = 1;
    for (size_t i = 0; i <= n && ok;) {
        int len = 1;
        int32_t c = i < n ? rg_utf8_decode(text + i, n - i, &len) : ' ';
        if (c < 0)
            c = ' ', len = 1;
        i += (size_t)len;
        if (c <= ' ' || c == '<' || c == '>' || c == 0xA0 || wn == 64) {
            if (wn > 1) {
                ok = same_shaping(a, b, w, wn, liga);
                (*words)++;
            }
            wn = 0;
            if (c <= ' ' || c == '<' || c == '>' || c == 0xA0)
                continue;
        }
        w[wn++] = (uint32_t)c;
    }
    free(text);
    return ok;
}

/* A word whose glyphs no lookup but pair kerning can start at takes its
 * kerning from GPOS directly: it must come out as HarfBuzz sets it. Every
 * bundled face, with and without ligatures: every two characters of
 * printable ASCII and Latin-1, the words of every sample, and words
 * HarfBuzz must set itself (marks, ligatures, a fraction, other scripts).
 * Most of the samples' words go the direct way (else the speed is lost). */
static void test_direct_kerning(void **state)
{
    (void)state;
    static const char *const faces[] = {"Lato-Regular.ttf", "Lato-Bold.ttf", "Lato-Black.ttf", "Lato-Italic.ttf",
                                        "Lato-BoldItalic.ttf", "LiberationSerif-Regular.ttf",
                                        "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf",
                                        "LiberationSerif-BoldItalic.ttf"};
    static const char *const special[] = {"office", "ﬁne", "naïve", "cafe\xcc\x81", "1\xe2\x81\x84" "2", "Jiří",
                                          "Nguyễn", "Łódź", "Ωμέγα", "Привет", "2021", "53a-90a", "ffl",
                                          "i\xcc\x88", "A\xcc\x8a" "B", "x\xc2\xad" "y", "To\xe2\x80\x8dWa",
                                          "AVATAR", "‘quoted’", "—dash–", "Ǆǅǆ", "ŉ", "ǰ"};
    char path[PATH_MAX], dir[PATH_MAX];
    int fonts = 0;
    for (size_t fi = 0; fi < sizeof faces / sizeof faces[0]; fi++) {
        if (!find_font(faces[fi], "/nonexistent", path, sizeof path))
            continue;
        fonts++;
        rg_font *a = rg_font_load(path, NULL, 0), *b = rg_font_load(path, NULL, 0);
        assert_non_null(a);
        assert_non_null(b);
        rg_font_set_direct_kerning(b, 0);
        for (int liga = 0; liga < 2; liga++) {
            /* The first word of a script makes its plan through HarfBuzz. */
            uint32_t warm[] = {'a', 'b'}, warm0[] = {'1', '2'};
            assert_true(same_shaping(a, b, warm, 2, liga));
            assert_true(same_shaping(a, b, warm0, 2, liga));
            uint32_t cps[200];
            size_t nc = 0;
            for (uint32_t c = 0x21; c < 0x100; c++)
                if (c < 0x7F || (c > 0xA0 && c != 0xAD))
                    cps[nc++] = c;
            int pairs_on = fi == 0 || fi == 5; /* one face of each family: the rest by their words */
            for (size_t i = 0; pairs_on && i < nc; i++)
                for (size_t j = 0; j < nc; j++) {
                    uint32_t w[2] = {cps[i], cps[j]};
                    if (!same_shaping(a, b, w, 2, liga))
                        fail();
                }
            for (size_t i = 0; i < sizeof special / sizeof special[0]; i++) {
                uint32_t w[32];
                size_t wn = 0;
                for (const char *p = special[i]; *p && wn < 32;) {
                    int len = 1;
                    int32_t c = rg_utf8_decode(p, strlen(p), &len);
                    assert_true(c > 0);
                    w[wn++] = (uint32_t)c;
                    p += len;
                }
                if (!same_shaping(a, b, w, wn, liga))
                    fail();
            }
            size_t words = 0;
#ifdef RG_DATADIR
            const char *data = RG_DATADIR "/data";
#else
            const char *data = "data";
#endif
            DIR *dp = opendir(data);
            assert_non_null(dp);
            for (struct dirent *e; (e = readdir(dp)) != NULL;) {
                size_t k = strlen(e->d_name);
                if (k < 5 || strcmp(e->d_name + k - 4, ".xml") != 0)
                    continue;
                snprintf(dir, sizeof dir, "%s/%s", data, e->d_name);
                if (!file_words(a, b, dir, liga, &words))
                    fail();
            }
            closedir(dp);
            assert_true(words > 1000);
        }
        unsigned long direct = rg_font_direct_words(a);
        print_message("%s: %lu words set from GPOS directly\n", rg_font_psname(a), direct);
        assert_int_equal(rg_font_direct_words(b), 0);
        assert_true(direct > 1000);
        rg_font_free(a);
        rg_font_free(b);
    }
    if (!fonts)
        skip();
}

/* Random damage to GSUB and GPOS: words are still set (HarfBuzz or the
 * direct way, whichever takes them), with glyphs of the font, and nothing
 * is read outside the tables (run under ASan or valgrind). */
static void test_direct_kerning_damage(void **state)
{
    fixture *fx = *state;
    NEED_LATO(fx);
    unsigned char *d = copy(fx);
    const char *tags[] = {"GSUB", "GPOS"};
    uint32_t seed = 777;
    static const uint32_t text[] = {'A', 'V', 'A', 'T', 'A', 'R', ' ', 'T', 'o', ' ', 'W', 'a', ' ', 'o', 'f',
                                    'f', 'i', 'c', 'e', ' ', '2', '0', '2', '1', ' ', 'k', 'e', 'r', 'n', 'y'};
    size_t n = sizeof text / sizeof text[0];
    for (int iter = 0; iter < 200; iter++) {
        memcpy(d, fx->data, fx->n);
        for (int k = 0; k < 6; k++) {
            seed = seed * 1103515245u + 12345u;
            uint32_t r = seed >> 8;
            size_t e = dir_entry(fx->data, tags[r % 2]);
            size_t len = rd32(fx->data + e + 12);
            size_t span = r % 3 ? (len < 4096 ? len : 4096) : len; /* headers and lookup lists, or anywhere */
            seed = seed * 1103515245u + 12345u;
            size_t at = rd32(fx->data + e + 8) + (seed >> 4) % span;
            seed = seed * 1103515245u + 12345u;
            d[at] = (seed >> 16) % 3 == 0 ? 0xFF : (unsigned char)(seed >> 8);
        }
        rg_font *f = rg_font_load(put(fx, "fuzz.ttf", d, fx->n), NULL, 0);
        reset_files(state);
        assert_non_null(f); /* the tables read at load are whole */
        unsigned g[64];
        int kern[64];
        for (int liga = 0; liga < 2; liga++) {
            assert_int_equal(rg_font_shape(f, text, n, liga, g, kern), 0);
            for (size_t i = 0; i < n; i++)
                assert_true(g[i] < rg_font_glyph_count(f));
        }
        rg_font_free(f);
    }
    free(d);
}

/* Lato with its kern table replaced by one of ours and its GPOS kerning
 * under another feature ('dist', which HarfBuzz applies by default): a
 * plan then has pair lookups but no GPOS kern, so HarfBuzz kerns with the
 * kern table too, half of each pair on each glyph (an x_offset on the
 * second), and the direct way, which reads GPOS alone, must leave such
 * words to it. The pairs of our kern table (units): */
static const struct { uint32_t l, r; int v; } kern_pairs[] = {{'A', 'V', -150}, {'T', 'o', -120}, {'W', 'a', -100}};

static unsigned char *with_kern_table(const fixture *fx, const rg_font *lato, size_t *size)
{
    const unsigned char *d = fx->data;
    unsigned nt = rd16(d + 4);
    /* the kern table: version 0, one format 0 subtable, pairs sorted */
    enum { NP = sizeof kern_pairs / sizeof kern_pairs[0] };
    unsigned char kern[18 + 6 * NP];
    unsigned gl[NP], gr[NP];
    int order[NP];
    for (int i = 0; i < NP; i++) {
        gl[i] = rg_font_glyph(lato, kern_pairs[i].l);
        gr[i] = rg_font_glyph(lato, kern_pairs[i].r);
        assert_true(gl[i] && gr[i]);
        order[i] = i;
    }
    for (int i = 0; i < NP; i++)
        for (int j = i + 1; j < NP; j++)
            if ((gl[order[j]] << 16 | gr[order[j]]) < (gl[order[i]] << 16 | gr[order[i]])) {
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
    wr16(kern, 0);
    wr16(kern + 2, 1);
    wr16(kern + 4, 0);
    wr16(kern + 6, 14 + 6 * NP);
    wr16(kern + 8, 0x0001); /* horizontal, format 0 */
    wr16(kern + 10, NP);
    wr16(kern + 12, 12); /* searchRange: 6 * 2^floor(log2 3) */
    wr16(kern + 14, 1);
    wr16(kern + 16, 6 * NP - 12);
    for (int i = 0; i < NP; i++) {
        unsigned char *p = kern + 18 + 6 * i;
        wr16(p, gl[order[i]]);
        wr16(p + 2, gr[order[i]]);
        wr16(p + 4, (unsigned)(kern_pairs[order[i]].v & 0xFFFF));
    }
    /* the same directory, the tables after it, kern's being ours */
    size_t total = 12 + 16 * (size_t)nt;
    for (unsigned i = 0; i < nt; i++)
        total += (rd32(d + 12 + 16 * i + 12) + 3) & ~(uint32_t)3;
    total += sizeof kern + 3;
    unsigned char *o = calloc(1, total);
    assert_non_null(o);
    memcpy(o, d, 12 + 16 * (size_t)nt);
    size_t at = 12 + 16 * (size_t)nt;
    int kerns = 0, dists = 0;
    for (unsigned i = 0; i < nt; i++) {
        unsigned char *r = o + 12 + 16 * i;
        uint32_t off = rd32(r + 8), len = rd32(r + 12);
        wr32(r + 8, (uint32_t)at);
        if (memcmp(r, "kern", 4) == 0) {
            memcpy(o + at, kern, sizeof kern);
            wr32(r + 12, sizeof kern);
            len = sizeof kern;
            kerns++;
        } else {
            memcpy(o + at, d + off, len);
        }
        if (memcmp(r, "GPOS", 4) == 0) { /* every kern feature becomes dist */
            unsigned char *g = o + at, *fl = g + rd16(g + 6);
            for (unsigned k = 0, nf = rd16(fl); k < nf; k++)
                if (memcmp(fl + 2 + 6 * k, "kern", 4) == 0) {
                    memcpy(fl + 2 + 6 * k, "dist", 4);
                    dists++;
                }
        }
        at += (len + 3) & ~(uint32_t)3;
    }
    assert_int_equal(kerns, 1);
    assert_true(dists > 0);
    *size = at;
    return o;
}

static void test_kern_table_beside_gpos(void **state)
{
    fixture *fx = *state;
    NEED_LATO(fx);
    rg_font *lato = rg_font_load(fx->lato, NULL, 0);
    assert_non_null(lato);
    size_t n = 0;
    unsigned char *d = with_kern_table(fx, lato, &n);
    const char *path = put(fx, "kern-table.ttf", d, n);
    free(d);
    rg_font *a = rg_font_load(path, NULL, 0), *b = rg_font_load(path, NULL, 0);
    assert_non_null(a);
    assert_non_null(b);
    rg_font_set_direct_kerning(b, 0);
    rg_font_set_direct_kerning(lato, 0);
    /* The pair's kerning is GPOS's (now under dist) and the kern table's:
     * HarfBuzz's half on the second glyph, an offset, comes back as the
     * first glyph's kerning, and the second keeps its own. */
    for (size_t i = 0; i < sizeof kern_pairs / sizeof kern_pairs[0]; i++) {
        uint32_t w[2] = {kern_pairs[i].l, kern_pairs[i].r};
        unsigned g1[2], g2[2];
        int k1[2], k2[2];
        for (int liga = 0; liga < 2; liga++) {
            assert_int_equal(rg_font_shape(lato, w, 2, liga, g1, k1), 0);
            assert_int_equal(rg_font_shape(b, w, 2, liga, g2, k2), 0);
            assert_int_equal(g2[0], g1[0]);
            assert_int_equal(g2[1], g1[1]);
            assert_int_equal(k2[0], k1[0] + kern_pairs[i].v);
            assert_int_equal(k2[1], k1[1]);
        }
    }
    /* The direct way gives what HarfBuzz gives, for every pair of
     * printable ASCII and words of the pairs. */
    for (int liga = 0; liga < 2; liga++) {
        for (uint32_t x = 0x21; x < 0x7F; x++)
            for (uint32_t y = 0x21; y < 0x7F; y++) {
                uint32_t w[2] = {x, y};
                if (!same_shaping(a, b, w, 2, liga))
                    fail();
            }
        static const uint32_t words[][6] = {{'A', 'V', 'A', 'T', 'A', 'R'}, {'T', 'o', 'W', 'a', 'r', 'd'}};
        for (size_t i = 0; i < 2; i++)
            if (!same_shaping(a, b, words[i], 6, liga))
                fail();
    }
    rg_font_free(a);
    rg_font_free(b);
    rg_font_free(lato);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_lato_basics, reset_files),
        cmocka_unit_test_teardown(test_subset_check, reset_files),
        cmocka_unit_test_teardown(test_kerning, reset_files),
        cmocka_unit_test_teardown(test_ligatures, reset_files),
        cmocka_unit_test_teardown(test_lato_matches_libharu_cp1252, reset_files),
        cmocka_unit_test_teardown(test_lato_matches_libharu_utf8, reset_files),
        cmocka_unit_test_teardown(test_other_fonts_match_libharu, reset_files),
        cmocka_unit_test_teardown(test_format12_planes, reset_files),
        cmocka_unit_test_teardown(test_synthetic_format12, reset_files),
        cmocka_unit_test_teardown(test_unreadable, reset_files),
        cmocka_unit_test_teardown(test_truncated, reset_files),
        cmocka_unit_test_teardown(test_damaged_tables, reset_files),
        cmocka_unit_test_teardown(test_random_damage, reset_files),
        cmocka_unit_test_teardown(test_font_slots, reset_files),
        cmocka_unit_test_teardown(test_direct_kerning, reset_files),
        cmocka_unit_test_teardown(test_direct_kerning_damage, reset_files),
        cmocka_unit_test_teardown(test_kern_table_beside_gpos, reset_files),
    };
    return cmocka_run_group_tests_name("font", tests, setup, teardown);
}
