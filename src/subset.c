/* TrueType subsetting: the glyphs a document shows, with their ids kept
 * (a CIDFontType2 with /CIDToGIDMap /Identity needs them where they were),
 * in a font of head, hhea, maxp, hmtx, loca and glyf (and cvt, fpgm, prep
 * when hinting is kept). Glyphs not used are empty; composite glyphs bring
 * their components. One output buffer and one flag array are allocated,
 * so a failed allocation is one clear "out of memory", and the same input
 * always gives the same bytes. */
#include <stdlib.h>
#include <string.h>
#include "rg.h"
#include "sfnt.h"

static void put16(unsigned char *p, unsigned v) { p[0] = (unsigned char)(v >> 8); p[1] = (unsigned char)v; }
static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

typedef rg_span span;

int rg_ttf_table(const unsigned char *font, size_t size, const char *tag, span *t)
{
    if (size < 12)
        return -1;
    unsigned n = u16(font + 4);
    for (unsigned i = 0; i < n && 12 + 16 * (size_t)i + 16 <= size; i++) {
        const unsigned char *r = font + 12 + 16 * (size_t)i;
        if (memcmp(r, tag, 4) != 0)
            continue;
        uint32_t off = u32(r + 8), len = u32(r + 12);
        if (off > size || len > size - off)
            return -1;
        t->p = font + off;
        t->len = len;
        return 0;
    }
    return -1;
}

/* Where glyph g's data lies in glyf: 0, or -1 when loca points outside. */
int rg_ttf_glyph_at(span loca, span glyf, int long_loca, unsigned n, unsigned g, size_t *off, size_t *len)
{
    if (g >= n || (size_t)(g + 2) * (long_loca ? 4 : 2) > loca.len)
        return -1;
    size_t a = long_loca ? u32(loca.p + 4 * (size_t)g) : 2 * (size_t)u16(loca.p + 2 * (size_t)g);
    size_t b = long_loca ? u32(loca.p + 4 * (size_t)g + 4) : 2 * (size_t)u16(loca.p + 2 * (size_t)g + 2);
    if (b < a || b > glyf.len)
        return -1;
    *off = a;
    *len = b - a;
    return 0;
}

size_t rg_ttf_components(const unsigned char *g, size_t len, unsigned char *keep, unsigned n, int *instr,
                         unsigned *queue, unsigned *nq)
{
    size_t p = 10;
    unsigned flags;
    *instr = 0;
    do {
        if (p + 4 > len)
            return 0;
        flags = u16(g + p);
        unsigned gid = u16(g + p + 2);
        if (gid < n && !keep[gid]) {
            keep[gid] = 1;
            queue[(*nq)++] = gid;
        }
        p += 4 + ((flags & 0x1) ? 4 : 2);
        if (flags & 0x8)
            p += 2;
        else if (flags & 0x40)
            p += 4;
        else if (flags & 0x80)
            p += 8;
        *instr |= (flags & 0x100) != 0;
    } while (flags & 0x20);
    return p <= len ? p : 0;
}

static uint32_t checksum(const unsigned char *p, size_t len)
{
    uint32_t s = 0;
    for (size_t i = 0; i + 4 <= len; i += 4)
        s += u32(p + i);
    if (len % 4) {
        unsigned char last[4] = {0};
        memcpy(last, p + len - len % 4, len % 4);
        s += u32(last);
    }
    return s;
}

int rg_ttf_subset(const unsigned char *font, size_t size, const uint32_t *used, unsigned nused, int hinting,
                  unsigned char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    span head, hhea, maxp, hmtx, loca, glyf, hint[3] = {{0}};
    static const char *const hint_tags[3] = {"cvt ", "fpgm", "prep"};
    if (rg_ttf_table(font, size, "head", &head) || rg_ttf_table(font, size, "hhea", &hhea) ||
        rg_ttf_table(font, size, "maxp", &maxp) || rg_ttf_table(font, size, "hmtx", &hmtx) ||
        rg_ttf_table(font, size, "loca", &loca) || rg_ttf_table(font, size, "glyf", &glyf) ||
        head.len < 54 || hhea.len < 36 || maxp.len < 6)
        return RG_SUBSET_BAD;
    int long_loca = u16(head.p + 50) != 0;
    unsigned n = u16(maxp.p + 4), nhm = u16(hhea.p + 34);
    if (n == 0 || nhm == 0 || nhm > n || hmtx.len < 4 * (size_t)nhm + 2 * (size_t)(n - nhm))
        return RG_SUBSET_BAD;
    int nhint = 0;
    for (int i = 0; hinting && i < 3; i++)
        if (rg_ttf_table(font, size, hint_tags[i], &hint[i]) == 0 && hint[i].len)
            nhint++;

    /* The glyphs kept: .notdef, those used, and their components. */
    unsigned char *keep = calloc(n, 1);
    unsigned *queue = calloc(n, sizeof *queue);
    if (!keep || !queue) {
        free(keep);
        free(queue);
        return RG_SUBSET_MEMORY;
    }
    unsigned nq = 0;
    keep[0] = 1;
    queue[nq++] = 0;
    for (unsigned g = 1; g < n && g < nused; g++)
        if (used[g] && !keep[g]) {
            keep[g] = 1;
            queue[nq++] = g;
        }
    int rc = 0;
    for (unsigned i = 0; i < nq && rc == 0; i++) {
        size_t off, len;
        int instr;
        if (rg_ttf_glyph_at(loca, glyf, long_loca, n, queue[i], &off, &len) != 0)
            rc = RG_SUBSET_BAD;
        else if (len >= 10 && (int16_t)u16(glyf.p + off) < 0 &&
                 rg_ttf_components(glyf.p + off, len, keep, n, &instr, queue, &nq) == 0)
            rc = RG_SUBSET_BAD;
    }
    free(queue);
    unsigned top = 0;
    for (unsigned g = 0; g < n; g++)
        if (keep[g])
            top = g;
    unsigned nn = top + 1, nnhm = nn < nhm ? nn : nhm;
    size_t glyf_max = 0;
    for (unsigned g = 0; rc == 0 && g < nn; g++) {
        size_t off, len;
        if (keep[g] && rg_ttf_glyph_at(loca, glyf, long_loca, n, g, &off, &len) == 0)
            glyf_max += len + 3;
    }
    size_t hmtx_len = 4 * (size_t)nnhm + 2 * (size_t)(nn - nnhm), loca_len = 4 * ((size_t)nn + 1);
    int ntab = 6 + nhint;
    size_t total = 12 + 16 * (size_t)ntab + (head.len + 3) + (hhea.len + 3) + (maxp.len + 3) + (hmtx_len + 3) +
                   (loca_len + 3) + glyf_max + 3;
    for (int i = 0; i < 3; i++)
        total += hint[i].len + 3;
    unsigned char *o = rc == 0 ? calloc(total, 1) : NULL;
    if (rc == 0 && !o)
        rc = RG_SUBSET_MEMORY;
    if (rc != 0) {
        free(keep);
        return rc;
    }

    /* Tables in tag order, each on a 4-byte boundary. */
    struct { const char *tag; size_t at, len; } rec[9];
    int nrec = 0;
    size_t at = 12 + 16 * (size_t)ntab;
#define BEGIN(t)                                                                                                     \
    do {                                                                                                             \
        rec[nrec].tag = (t);                                                                                         \
        rec[nrec].at = at;                                                                                           \
    } while (0)
#define END()                                                                                                        \
    do {                                                                                                             \
        rec[nrec].len = at - rec[nrec].at;                                                                           \
        nrec++;                                                                                                      \
        at = (at + 3) & ~(size_t)3;                                                                                  \
    } while (0)
#define COPY(tag, t)                                                                                                 \
    do {                                                                                                             \
        BEGIN(tag);                                                                                                  \
        memcpy(o + at, (t).p, (t).len);                                                                              \
        at += (t).len;                                                                                               \
        END();                                                                                                       \
    } while (0)
    if (hint[0].len) /* "cvt " sorts first */
        COPY("cvt ", hint[0]);
    if (hint[1].len)
        COPY("fpgm", hint[1]);
    /* glyf and loca together: each kept glyph, instructions dropped unless
       hinting is kept. */
    size_t glyf_at = at;
    BEGIN("glyf");
    uint32_t *loc = calloc((size_t)nn + 1, sizeof *loc);
    if (!loc) {
        free(o);
        free(keep);
        return RG_SUBSET_MEMORY;
    }
    for (unsigned g = 0; g < nn; g++) {
        loc[g] = (uint32_t)(at - glyf_at);
        size_t off, len;
        if (!keep[g] || rg_ttf_glyph_at(loca, glyf, long_loca, n, g, &off, &len) != 0 || len < 10)
            continue;
        const unsigned char *src = glyf.p + off;
        int nc = (int16_t)u16(src);
        if (hinting) {
            memcpy(o + at, src, len);
            at += len;
        } else if (nc >= 0) {
            size_t il = 10 + 2 * (size_t)nc; /* instructionLength */
            if (il + 2 > len || il + 2 + u16(src + il) > len) {
                memcpy(o + at, src, len);
                at += len;
            } else {
                memcpy(o + at, src, il);
                put16(o + at + il, 0);
                size_t rest = il + 2 + u16(src + il);
                memcpy(o + at + il + 2, src + rest, len - rest);
                at += il + 2 + (len - rest);
            }
        } else {
            int instr;
            unsigned dummy_q[1];
            unsigned nq2 = 0;
            /* components are already kept (n = 0: none is added): only
               the end of the records is wanted */
            size_t end = rg_ttf_components(src, len, keep, 0, &instr, dummy_q, &nq2);
            if (!end)
                end = len;
            memcpy(o + at, src, end);
            if (instr) { /* clear WE_HAVE_INSTRUCTIONS in every component */
                size_t p = 10;
                unsigned flags;
                do {
                    flags = u16(o + at + p);
                    put16(o + at + p, flags & ~0x100u);
                    p += 4 + ((flags & 0x1) ? 4 : 2) + ((flags & 0x8) ? 2 : (flags & 0x40) ? 4 : (flags & 0x80) ? 8 : 0);
                } while ((flags & 0x20) && p + 4 <= end);
            }
            at += end;
        }
        at = (at + 3) & ~(size_t)3;
    }
    loc[nn] = (uint32_t)(at - glyf_at);
    END();
    /* head, hhea and maxp are copied, then patched: head's
       checkSumAdjustment (set last) and indexToLocFormat (with loca),
       hhea's numberOfHMetrics, maxp's numGlyphs */
    size_t head_at = at;
    COPY("head", head);
    put32(o + head_at + 8, 0);
    size_t hhea_at = at;
    COPY("hhea", hhea);
    put16(o + hhea_at + 34, nnhm);
    BEGIN("hmtx");
    /* An unused glyph's metrics are zeros (the PDF's /W gives the widths
       of those shown): long runs of zeros that deflate to nothing. The
       entries keep their places: with nn <= nhm every glyph has a long
       metric; past nhm the layout is the original's. The last long metric
       stays whole, as it gives the advance of the glyphs after it. */
    for (unsigned g = 0; g < nn; g++) {
        if (g < nnhm && (keep[g] || (g == nhm - 1 && nn > nhm)))
            memcpy(o + at + 4 * (size_t)g, hmtx.p + 4 * (size_t)g, 4);
        else if (g >= nnhm && keep[g])
            memcpy(o + at + 4 * (size_t)nhm + 2 * (size_t)(g - nhm), hmtx.p + 4 * (size_t)nhm + 2 * (size_t)(g - nhm), 2);
    }
    at += hmtx_len;
    END();
    BEGIN("loca");
    /* short offsets (half the offset, 16 bits) when the glyphs fit */
    int short_loca = loc[nn] / 2 <= 0xFFFF;
    for (unsigned g = 0; g <= nn; g++) {
        if (short_loca)
            put16(o + at + 2 * (size_t)g, loc[g] / 2);
        else
            put32(o + at + 4 * (size_t)g, loc[g]);
    }
    at += short_loca ? 2 * ((size_t)nn + 1) : loca_len;
    put16(o + head_at + 50, short_loca ? 0 : 1);
    END();
    size_t maxp_at = at;
    COPY("maxp", maxp);
    put16(o + maxp_at + 4, nn);
    if (hint[2].len)
        COPY("prep", hint[2]);
#undef COPY
#undef BEGIN
#undef END
    free(loc);
    free(keep);

    /* The offset table and the records, then the whole font's checksum. */
    unsigned es = 0;
    while ((2u << es) <= (unsigned)nrec)
        es++;
    put32(o, 0x00010000);
    put16(o + 4, (unsigned)nrec);
    put16(o + 6, 16u << es);
    put16(o + 8, es);
    put16(o + 10, (unsigned)nrec * 16 - (16u << es));
    for (int i = 0; i < nrec; i++) {
        unsigned char *r = o + 12 + 16 * (size_t)i;
        memcpy(r, rec[i].tag, 4);
        put32(r + 4, checksum(o + rec[i].at, rec[i].len));
        put32(r + 8, (uint32_t)rec[i].at);
        put32(r + 12, (uint32_t)rec[i].len);
    }
    put32(o + head_at + 8, 0xB1B0AFBAu - checksum(o, at));
    *out = o;
    *out_len = at;
    return 0;
}
