/* Tests for outline.c: every glyph of the fonts we ship drawn as HarfBuzz
 * draws it (hb_font_get_glyph_shape, its quadratic curves raised to cubics
 * as outline.c raises them), and damaged glyph data refused. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>

#include "rg.h"

/* A segment from (x0, y0): 'L' to (x3, y3), or 'C' with controls 1 and 2;
 * coordinates in 1/64 font unit, so float and double agree. */
typedef struct seg { char op; long long v[8]; } seg;
typedef struct path { seg *s; size_t n, cap; double x, y, sx, sy; int open; } path;

static long long q64(double v) { return llround(v * 64); }

static void add(path *p, char op, const double *pts, int n)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 64;
        p->s = realloc(p->s, p->cap * sizeof *p->s);
        assert_non_null(p->s);
    }
    seg *g = &p->s[p->n++];
    memset(g, 0, sizeof *g);
    g->op = op;
    g->v[0] = q64(p->x);
    g->v[1] = q64(p->y);
    for (int i = 0; i < n; i++)
        g->v[2 + i] = q64(pts[i]);
    p->x = pts[n - 2];
    p->y = pts[n - 1];
}

static void p_move(path *p, double x, double y)
{
    p->x = p->sx = x;
    p->y = p->sy = y;
    p->open = 1;
}

/* Both readers' contours end back at their start: HarfBuzz by a line it
 * adds, ours by the close operator; the line is counted for both. */
static void p_close(path *p)
{
    if (p->open && (q64(p->x) != q64(p->sx) || q64(p->y) != q64(p->sy)))
        add(p, 'L', (double[]){p->sx, p->sy}, 2);
    p->open = 0;
}

static void o_move(void *c, double x, double y) { p_move(c, x, y); }
static void o_line(void *c, double x, double y) { add(c, 'L', (double[]){x, y}, 2); }
static void o_curve(void *c, double x1, double y1, double x2, double y2, double x3, double y3)
{
    add(c, 'C', (double[]){x1, y1, x2, y2, x3, y3}, 6);
}
static void o_close(void *c) { p_close(c); }

static void h_move(hb_draw_funcs_t *f, void *c, hb_draw_state_t *st, float x, float y, void *u)
{
    (void)f, (void)st, (void)u;
    p_close(c);
    p_move(c, x, y);
}
static void h_line(hb_draw_funcs_t *f, void *c, hb_draw_state_t *st, float x, float y, void *u)
{
    (void)f, (void)st, (void)u;
    add(c, 'L', (double[]){x, y}, 2);
}
static void h_quad(hb_draw_funcs_t *f, void *c, hb_draw_state_t *st, float cx, float cy, float x, float y, void *u)
{
    (void)f, (void)st, (void)u;
    path *p = c;
    double x0 = p->x, y0 = p->y;
    add(c, 'C', (double[]){x0 + 2.0 / 3 * (cx - x0), y0 + 2.0 / 3 * (cy - y0), x + 2.0 / 3 * (cx - x),
                           y + 2.0 / 3 * (cy - y), x, y}, 6);
}
static void h_cubic(hb_draw_funcs_t *f, void *c, hb_draw_state_t *st, float x1, float y1, float x2, float y2,
                    float x, float y, void *u)
{
    (void)f, (void)st, (void)u;
    add(c, 'C', (double[]){x1, y1, x2, y2, x, y}, 6);
}
static void h_close(hb_draw_funcs_t *f, void *c, hb_draw_state_t *st, void *u)
{
    (void)f, (void)st, (void)u;
    p_close(c);
}

static int cmp_seg(const void *a, const void *b)
{
    const seg *x = a, *y = b;
    if (x->op != y->op)
        return x->op < y->op ? -1 : 1;
    for (int i = 0; i < 8; i++)
        if (x->v[i] != y->v[i])
            return x->v[i] < y->v[i] ? -1 : 1;
    return 0;
}

/* Segments may start elsewhere on a contour (HarfBuzz starts at the first
 * on-curve point, outline.c at the last when the first is off the curve),
 * so the two are compared as sets of segments, lines of no length left out. */
static void normalise(path *p)
{
    size_t k = 0;
    for (size_t i = 0; i < p->n; i++)
        if (!(p->s[i].op == 'L' && p->s[i].v[0] == p->s[i].v[2] && p->s[i].v[1] == p->s[i].v[3]))
            p->s[k++] = p->s[i];
    p->n = k;
    if (p->n) /* (qsort wants an array, even of none) */
        qsort(p->s, p->n, sizeof *p->s, cmp_seg);
}

static char *font_path(const char *name)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/fonts/%s", RG_DATADIR, name);
    return buf;
}

static void same_as_harfbuzz(const char *name)
{
    char err[200];
    rg_font *f = rg_font_load(font_path(name), err, sizeof err);
    if (!f)
        fail_msg("%s: %s", name, err);
    size_t size;
    const unsigned char *data = rg_font_data(f, &size);
    hb_blob_t *blob = hb_blob_create((const char *)data, (unsigned)size, HB_MEMORY_MODE_READONLY, NULL, NULL);
    hb_face_t *face = hb_face_create(blob, 0);
    hb_font_t *font = hb_font_create(face);
    hb_font_set_scale(font, (int)rg_font_upem(f), (int)rg_font_upem(f));
    hb_draw_funcs_t *df = hb_draw_funcs_create();
    hb_draw_funcs_set_move_to_func(df, h_move, NULL, NULL);
    hb_draw_funcs_set_line_to_func(df, h_line, NULL, NULL);
    hb_draw_funcs_set_quadratic_to_func(df, h_quad, NULL, NULL);
    hb_draw_funcs_set_cubic_to_func(df, h_cubic, NULL, NULL);
    hb_draw_funcs_set_close_path_func(df, h_close, NULL, NULL);
    const double unit[6] = {1, 0, 0, 1, 0, 0};
    unsigned n = rg_font_glyph_count(f), differ = 0, first = 0, segs = 0;
    for (unsigned g = 0; g < n; g++) {
        path ours = {0}, hb = {0};
        rg_outline_sink sink = {&ours, o_move, o_line, o_curve, o_close};
        int rc = rg_glyph_outline(f, g, unit, &sink);
        hb_font_get_glyph_shape(font, g, df, &hb);
        p_close(&hb);
        normalise(&ours);
        normalise(&hb);
        segs += (unsigned)ours.n;
        if (rc != 0 || ours.n != hb.n || (ours.n && memcmp(ours.s, hb.s, ours.n * sizeof *ours.s) != 0)) {
            if (!differ++)
                first = g;
            if (differ <= 3)
                print_message("%s glyph %u: rc %d, %zu segments, HarfBuzz %zu\n", name, g, rc, ours.n, hb.n);
        }
        free(ours.s);
        free(hb.s);
    }
    hb_draw_funcs_destroy(df);
    hb_font_destroy(font);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    rg_font_free(f);
    if (differ)
        fail_msg("%s: %u of %u glyphs differ from HarfBuzz's (first: %u)", name, differ, n, first);
    assert_true(segs > 10u * n); /* the glyphs were drawn at all */
}

static void test_lato(void **state) { (void)state; same_as_harfbuzz("Lato-Regular.ttf"); }
static void test_lato_black(void **state) { (void)state; same_as_harfbuzz("Lato-Black.ttf"); }
static void test_liberation(void **state) { (void)state; same_as_harfbuzz("LiberationSerif-Italic.ttf"); }

/* A glyph is drawn where m puts it: "o" of Lato twice as large and moved. */
static void test_transform(void **state)
{
    (void)state;
    char err[200];
    rg_font *f = rg_font_load(font_path("Lato-Regular.ttf"), err, sizeof err);
    assert_non_null(f);
    unsigned g = rg_font_glyph(f, 'o');
    path a = {0}, b = {0};
    rg_outline_sink sa = {&a, o_move, o_line, o_curve, o_close}, sb = {&b, o_move, o_line, o_curve, o_close};
    const double unit[6] = {1, 0, 0, 1, 0, 0}, m[6] = {2, 0, 0, 2, 100, -50};
    assert_int_equal(rg_glyph_outline(f, g, unit, &sa), 0);
    assert_int_equal(rg_glyph_outline(f, g, m, &sb), 0);
    assert_int_equal(a.n, b.n);
    assert_true(a.n > 4);
    for (size_t i = 0; i < a.n; i++)
        for (int k = 0; k < 8; k += 2)
            if (a.s[i].v[k] || a.s[i].v[k + 1] || k < 4)
                assert_true(llabs(b.s[i].v[k] - (2 * a.s[i].v[k] + 100 * 64)) <= 1 &&
                            llabs(b.s[i].v[k + 1] - (2 * a.s[i].v[k + 1] - 50 * 64)) <= 1);
    free(a.s);
    free(b.s);
    rg_font_free(f);
}

/* Damaged glyph data: refused with -1, never read past the font. */
static void test_damaged(void **state)
{
    (void)state;
    char err[200];
    rg_font *f = rg_font_load(font_path("Lato-Regular.ttf"), err, sizeof err);
    assert_non_null(f);
    const double unit[6] = {1, 0, 0, 1, 0, 0};
    path p = {0};
    rg_outline_sink sink = {&p, o_move, o_line, o_curve, o_close};
    assert_int_equal(rg_glyph_outline(f, rg_font_glyph_count(f), unit, &sink), -1); /* no such glyph */
    assert_int_equal(rg_glyph_outline(f, 0xFFFF, unit, &sink), -1);
    unsigned space = rg_font_glyph(f, ' ');
    p.n = 0;
    assert_int_equal(rg_glyph_outline(f, space, unit, &sink), 0);
    assert_int_equal(p.n, 0); /* a space has no outline */
    free(p.s);
    rg_font_free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lato),
        cmocka_unit_test(test_lato_black),
        cmocka_unit_test(test_liberation),
        cmocka_unit_test(test_transform),
        cmocka_unit_test(test_damaged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
