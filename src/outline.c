/* TrueType glyph outlines as paths: the painter draws the two parts of a
 * word hyphenated at a line's end as shapes, so that text extractors read
 * the whole word that it places as invisible text instead (paint_pdf.c).
 *
 * The glyf table is read in place: a simple glyph's points go into the
 * caller's fixed arrays, composites are followed (their components' offsets
 * and scales applied) up to four levels down. No allocation, so no failure
 * but damaged data, and the same font always gives the same path. */
#include <string.h>
#include "rg.h"
#include "sfnt.h"


typedef rg_span span;

#define MAX_POINTS 2048

typedef struct reader {
    span loca, glyf;
    int long_loca;
    unsigned nglyphs;
    const rg_outline_sink *sink;
    int x[MAX_POINTS], y[MAX_POINTS];
    unsigned char on[MAX_POINTS];
} reader;

/* A point of the glyph through the transform m (a b c d e f, as PDF's cm). */
typedef struct pt { double x, y; } pt;
static pt at(const double *m, double x, double y) { return (pt){m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]}; }
static pt mid(pt a, pt b) { return (pt){(a.x + b.x) / 2, (a.y + b.y) / 2}; }

/* A quadratic segment from cur through control c to p, as the cubic it is. */
static void quad(const rg_outline_sink *k, pt cur, pt c, pt p)
{
    k->curve(k->ctx, cur.x + 2.0 / 3 * (c.x - cur.x), cur.y + 2.0 / 3 * (c.y - cur.y),
             p.x + 2.0 / 3 * (c.x - p.x), p.y + 2.0 / 3 * (c.y - p.y), p.x, p.y);
}

/* One closed contour of points [s, e]: on-curve points joined by lines,
 * off-curve ones the controls of quadratic curves, with the on-curve point
 * between two controls implied (TrueType's rule). */
static void contour(reader *r, const double *m, unsigned s, unsigned e)
{
    const rg_outline_sink *k = r->sink;
    unsigned n = e - s + 1, first;
    pt start;
    if (r->on[s]) {
        start = at(m, r->x[s], r->y[s]);
        first = 1;
    } else if (r->on[e]) {
        start = at(m, r->x[e], r->y[e]);
        first = 0;
        n--; /* the last point is the start */
    } else {
        start = mid(at(m, r->x[s], r->y[s]), at(m, r->x[e], r->y[e]));
        first = 0;
    }
    k->move(k->ctx, start.x, start.y);
    pt cur = start, ctrl = start;
    int pending = 0;
    for (unsigned j = first; j < n; j++) {
        unsigned i = s + j;
        pt q = at(m, r->x[i], r->y[i]);
        if (r->on[i]) {
            if (pending)
                quad(k, cur, ctrl, q);
            else
                k->line(k->ctx, q.x, q.y);
            cur = q;
            pending = 0;
        } else {
            if (pending) {
                pt mpt = mid(ctrl, q);
                quad(k, cur, ctrl, mpt);
                cur = mpt;
            }
            ctrl = q;
            pending = 1;
        }
    }
    if (pending)
        quad(k, cur, ctrl, start);
    k->close(k->ctx);
}

/* A simple glyph (n contours) of data g, len bytes. */
static int simple(reader *r, const unsigned char *g, size_t len, int n, const double *m)
{
    size_t p = 10 + 2 * (size_t)n;
    if (p + 2 > len)
        return -1;
    unsigned npts = u16(g + p - 2) + 1;
    for (int c = 1; c < n; c++)
        if (u16(g + 10 + 2 * (size_t)c) < u16(g + 10 + 2 * (size_t)(c - 1)))
            return -1;
    if (npts > MAX_POINTS)
        return -1;
    p += 2 + u16(g + p); /* the instructions */
    /* flags, then all x, then all y */
    size_t xbytes = 0;
    for (unsigned i = 0; i < npts;) {
        if (p >= len)
            return -1;
        unsigned f = g[p++], rep = 1;
        if (f & 8) {
            if (p >= len)
                return -1;
            rep += g[p++];
        }
        for (unsigned k = 0; k < rep && i < npts; k++, i++) {
            r->on[i] = (unsigned char)f;
            xbytes += (f & 2) ? 1 : (f & 16) ? 0 : 2;
        }
    }
    size_t px = p, py = p + xbytes;
    int x = 0, y = 0;
    for (unsigned i = 0; i < npts; i++) {
        unsigned f = r->on[i];
        if (f & 2) {
            if (px + 1 > len)
                return -1;
            x += (f & 16) ? g[px] : -g[px];
            px++;
        } else if (!(f & 16)) {
            if (px + 2 > len)
                return -1;
            x += s16(g + px);
            px += 2;
        }
        if (f & 4) {
            if (py + 1 > len)
                return -1;
            y += (f & 32) ? g[py] : -g[py];
            py++;
        } else if (!(f & 32)) {
            if (py + 2 > len)
                return -1;
            y += s16(g + py);
            py += 2;
        }
        r->x[i] = x;
        r->y[i] = y;
        r->on[i] = f & 1;
    }
    unsigned s = 0;
    for (int c = 0; c < n; c++) {
        unsigned e = u16(g + 10 + 2 * (size_t)c);
        if (e >= npts || e < s)
            return -1;
        contour(r, m, s, e);
        s = e + 1;
    }
    return 0;
}

static int glyph(reader *r, unsigned gid, const double *m, int depth)
{
    size_t a, len;
    if (rg_ttf_glyph_at(r->loca, r->glyf, r->long_loca, r->nglyphs, gid, &a, &len) != 0)
        return -1;
    if (len == 0)
        return 0; /* no outline (a space) */
    const unsigned char *g = r->glyf.p + a;
    if (len < 10)
        return -1;
    int n = s16(g);
    if (n >= 0)
        return simple(r, g, len, n, m);
    if (depth >= 4)
        return -1;
    size_t p = 10;
    unsigned flags;
    do {
        if (p + 4 > len)
            return -1;
        flags = u16(g + p);
        unsigned cg = u16(g + p + 2);
        p += 4;
        if (!(flags & 2))
            return -1; /* placed by matching points: not taken */
        double dx, dy, t[4] = {1, 0, 0, 1};
        if (flags & 1) {
            if (p + 4 > len)
                return -1;
            dx = s16(g + p);
            dy = s16(g + p + 2);
            p += 4;
        } else {
            if (p + 2 > len)
                return -1;
            dx = (int8_t)g[p];
            dy = (int8_t)g[p + 1];
            p += 2;
        }
        int nscale = (flags & 8) ? 1 : (flags & 0x40) ? 2 : (flags & 0x80) ? 4 : 0;
        if (p + 2 * (size_t)nscale > len)
            return -1;
        if (nscale == 1)
            t[0] = t[3] = s16(g + p) / 16384.0;
        else if (nscale == 2) {
            t[0] = s16(g + p) / 16384.0;
            t[3] = s16(g + p + 2) / 16384.0;
        } else if (nscale == 4)
            for (int i = 0; i < 4; i++)
                t[i] = s16(g + p + 2 * (size_t)i) / 16384.0;
        p += 2 * (size_t)nscale;
        /* m applied after the component's own scale and offset */
        double cm[6] = {
            m[0] * t[0] + m[2] * t[1], m[1] * t[0] + m[3] * t[1],
            m[0] * t[2] + m[2] * t[3], m[1] * t[2] + m[3] * t[3],
            m[0] * dx + m[2] * dy + m[4], m[1] * dx + m[3] * dy + m[5],
        };
        if (glyph(r, cg, cm, depth + 1))
            return -1;
    } while (flags & 0x20);
    return 0;
}

int rg_glyph_outline(const rg_font *f, unsigned gid, const double m[6], const rg_outline_sink *sink)
{
    size_t size;
    char err[8];
    const unsigned char *font = rg_font_data(f, &size);
    span head, maxp;
    reader r;
    if (!font || rg_font_need_glyph(f, gid, err, sizeof err) || rg_ttf_table(font, size, "head", &head) || head.len < 54 ||
        rg_ttf_table(font, size, "maxp", &maxp) || maxp.len < 6 ||
        rg_ttf_table(font, size, "loca", &r.loca) || rg_ttf_table(font, size, "glyf", &r.glyf))
        return -1;
    r.long_loca = s16(head.p + 50) == 1;
    r.nglyphs = u16(maxp.p + 4);
    r.sink = sink;
    return glyph(&r, gid, m, 0);
}
