/* subset.c: TrueType subsets with glyph ids kept, read back table by table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rg.h"

static unsigned char *font;
static size_t font_size;

static unsigned u16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static const unsigned char *tab(const unsigned char *f, size_t n, const char *tag, uint32_t *len)
{
    for (unsigned i = 0; i < u16(f + 4) && 12 + 16 * (size_t)i + 16 <= n; i++) {
        const unsigned char *r = f + 12 + 16 * (size_t)i;
        if (memcmp(r, tag, 4) == 0) {
            *len = u32(r + 12);
            return f + u32(r + 8);
        }
    }
    return NULL;
}

/* glyph g's offset and length in glyf, by the font's own loca */
static void glyph(const unsigned char *f, size_t n, unsigned g, uint32_t *off, uint32_t *len)
{
    uint32_t l;
    const unsigned char *head = tab(f, n, "head", &l), *loca = tab(f, n, "loca", &l);
    if (u16(head + 50)) {
        *off = u32(loca + 4 * g);
        *len = u32(loca + 4 * g + 4) - *off;
    } else {
        *off = 2 * u16(loca + 2 * g);
        *len = 2 * u16(loca + 2 * g + 2) - *off;
    }
}

static int setup(void **state)
{
    (void)state;
    FILE *fp = fopen(RG_DATADIR "/fonts/Lato-Regular.ttf", "rb");
    if (!fp)
        return -1;
    fseek(fp, 0, SEEK_END);
    font_size = (size_t)ftell(fp);
    rewind(fp);
    font = malloc(font_size);
    int ok = font && fread(font, 1, font_size, fp) == font_size;
    fclose(fp);
    return ok ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(font);
    return 0;
}

static unsigned num_glyphs(const unsigned char *f, size_t n)
{
    uint32_t l;
    return u16(tab(f, n, "maxp", &l) + 4);
}

/* Glyphs 36 and 50 kept at their ids, the others empty, no instructions,
 * the tables a PDF reader needs and no other, a valid checksum. */
static void test_kept_ids_and_empty_others(void **state)
{
    (void)state;
    unsigned n = num_glyphs(font, font_size);
    uint32_t *used = calloc(n, sizeof *used);
    used[36] = 'A';
    used[50] = 'O';
    unsigned char *out;
    size_t len;
    assert_int_equal(rg_ttf_subset(font, font_size, used, n, 0, &out, &len), 0);
    assert_int_equal(num_glyphs(out, len), 51);
    uint32_t l;
    assert_null(tab(out, len, "cmap", &l));
    assert_null(tab(out, len, "fpgm", &l));
    assert_non_null(tab(out, len, "glyf", &l));
    for (unsigned g = 0; g < 51; g++) {
        uint32_t off, gl, ooff, ogl;
        glyph(out, len, g, &off, &gl);
        glyph(font, font_size, g, &ooff, &ogl);
        if (g == 0 || g == 36 || g == 50) {
            assert_true(gl > 10 && gl <= ogl + 3);
            const unsigned char *gp = tab(out, len, "glyf", &l) + off;
            int nc = (int16_t)u16(gp);
            if (nc >= 0)
                assert_int_equal(u16(gp + 10 + 2 * nc), 0); /* instructions dropped */
        } else {
            assert_int_equal(gl, 0);
        }
    }
    /* the whole font sums to 0xB1B0AFBA, as the head's adjustment intends */
    uint32_t sum = 0;
    for (size_t i = 0; i + 4 <= len; i += 4)
        sum += u32(out + i);
    assert_int_equal(sum, 0xB1B0AFBAu);
    free(out);
    free(used);
}

/* A composite glyph brings its components; hinting kept brings fpgm. */
static void test_composite_and_hinting(void **state)
{
    (void)state;
    unsigned n = num_glyphs(font, font_size);
    uint32_t l;
    const unsigned char *glyf = tab(font, font_size, "glyf", &l);
    unsigned comp = 0;
    for (unsigned g = 1; g < n && !comp; g++) {
        uint32_t off, gl;
        glyph(font, font_size, g, &off, &gl);
        if (gl >= 10 && (int16_t)u16(glyf + off) < 0)
            comp = g;
    }
    assert_true(comp > 0);
    uint32_t off, gl;
    glyph(font, font_size, comp, &off, &gl);
    unsigned part = u16(glyf + off + 12); /* the first component's glyph id */
    uint32_t *used = calloc(n, sizeof *used);
    used[comp] = 1;
    unsigned char *out;
    size_t len;
    assert_int_equal(rg_ttf_subset(font, font_size, used, n, 1, &out, &len), 0);
    glyph(out, len, part, &off, &gl);
    assert_true(gl > 0);
    assert_non_null(tab(out, len, "fpgm", &l));
    free(out);
    free(used);
}

/* A font cut short is refused, never read past its end. */
static void test_cut_short(void **state)
{
    (void)state;
    unsigned n = num_glyphs(font, font_size);
    uint32_t *used = calloc(n, sizeof *used);
    used[36] = 1;
    unsigned char *out;
    size_t len;
    assert_int_equal(rg_ttf_subset(font, 200, used, n, 0, &out, &len), RG_SUBSET_BAD);
    assert_null(out);
    assert_int_equal(rg_ttf_subset(font, 8, used, n, 0, &out, &len), RG_SUBSET_BAD);
    free(used);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kept_ids_and_empty_others),
        cmocka_unit_test(test_composite_and_hinting),
        cmocka_unit_test(test_cut_short),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
