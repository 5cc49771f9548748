/* Pair kerning read straight from a font's GPOS, for the words HarfBuzz
 * would shape into their characters' own glyphs kerned pair by pair.
 *
 * HarfBuzz spends some 4,000 instructions a glyph on a Latin word in Lato
 * (normalisation, masks, every GSUB and GPOS lookup of the plan tried at
 * every glyph), most of a card's layout. For one shape plan (the lookups
 * HarfBuzz chose for a script, language and feature set) this finds:
 *
 *   - the glyphs at which a lookup other than plain pair kerning can start:
 *     every lookup starts at a glyph of its subtable's first coverage (a
 *     ligature at its first component, a context at its first input), so a
 *     word with none of them is neither substituted nor moved but by
 *     kerning. A context rule one of whose coverages holds no glyph a
 *     plain word can have (the caller says which: those of marks, say)
 *     cannot match such a word and adds nothing: Lato's ccmp turns "i"
 *     before a combining accent into a dotless i, which no plain word meets;
 *   - the pair adjustment subtables that change the first glyph's advance
 *     only (ValueFormat1 XAdvance or nothing, ValueFormat2 nothing), in
 *     lookup order: such a lookup moves the pen after glyph a of the pair
 *     (a, b) by the value of its first subtable that covers a and holds the
 *     pair, and then goes on at b, so a word's kerning is the sum, pair by
 *     pair, over the lookups.
 *
 * Lookups are read as HarfBuzz 6 reads them: coverage, pair sets and class
 * ranges by the same binary search, a format 2 subtable applying (even
 * with a zero value) once it covers a and both classes are in range, a
 * format 1 subtable only when it lists b. Every subtable used is checked
 * against the table's bounds when the plan is read, so looking a pair up
 * reads nothing outside it; a plan this cannot read whole (an offset
 * outside the table, a coverage or class format it does not know, a pair
 * lookup that skips base glyphs or ligatures) is not used at all
 * (rg_otkern_usable 0) and every word goes through HarfBuzz. test_font
 * compares the two, pair by pair, over every bundled face. */
#include "rg.h"
#include "sfnt.h"

#include <stdlib.h>
#include <string.h>

#define PCACHE 4096u /* pairs kept per plan, open addressing */
#define MAX_SUBS 4096u
#define BUDGET (1u << 22) /* glyphs of coverages visited per plan: past it, a font is not read */

typedef struct kern_sub {
    uint32_t off;    /* the subtable, from the start of GPOS */
    uint16_t lookup; /* its lookup's place in the plan's order */
    uint8_t format;  /* 1 pair sets, 2 classes */
    uint8_t vsize;   /* bytes of the first glyph's value record: 0 or 2 */
} kern_sub;

struct rg_otkern {
    const uint8_t *gpos;
    size_t gpos_len;
    unsigned nglyphs;
    uint8_t *starts;   /* bit per glyph: some other lookup may start here */
    kern_sub *subs;
    size_t nsubs;
    uint32_t *pkey;    /* pair cache: a << 16 | b, or EMPTY */
    int16_t *pval;
    size_t pused;
    uint32_t *first;   /* per glyph a: 1 + where its hits start, 0 not known (NULL: not made) */
    struct hit { uint32_t sub, ci; } *hits; /* the subtables covering a, in order, and a's coverage index; then END */
    size_t nhits, hits_cap;
    size_t budget;     /* glyph visits left while reading the plan */
    int usable;
    unsigned *lookups; /* the plan's GSUB lookups, then its GPOS ones (rg_otkern_same) */
    size_t nsub, npos;
    int refs;          /* plans sharing it */
};

#define EMPTY 0xFFFFFFFFu

typedef struct tab {
    const uint8_t *p;
    size_t n;
} tab;

static int get16(tab t, size_t off, unsigned *v)
{
    if (!fits(t.n, off, 2))
        return -1;
    *v = (unsigned)t.p[off] << 8 | t.p[off + 1];
    return 0;
}

static int get32(tab t, size_t off, uint32_t *v)
{
    if (!fits(t.n, off, 4))
        return -1;
    *v = (uint32_t)t.p[off] << 24 | (uint32_t)t.p[off + 1] << 16 | (uint32_t)t.p[off + 2] << 8 | t.p[off + 3];
    return 0;
}

/* Calls fn for every glyph (below nglyphs) of the coverage table at off.
 * 0, or -1 when it does not fit the table or has an unknown format. */
static int each_covered(tab t, size_t off, rg_otkern *k, void (*fn)(unsigned g, void *), void *ud)
{
    unsigned nglyphs = k->nglyphs;
    unsigned format, count;
    if (get16(t, off, &format) || get16(t, off + 2, &count))
        return -1;
    if (format == 1) {
        if (!fits(t.n, off + 4, 2 * (size_t)count))
            return -1;
        if (k->budget < count)
            return -1;
        k->budget -= count;
        for (unsigned i = 0; i < count; i++) {
            unsigned g = u16(t.p + off + 4 + 2 * i);
            if (g < nglyphs)
                fn(g, ud);
        }
        return 0;
    }
    if (format == 2) {
        if (!fits(t.n, off + 4, 6 * (size_t)count))
            return -1;
        for (unsigned i = 0; i < count; i++) {
            const uint8_t *r = t.p + off + 4 + 6 * i;
            unsigned first = u16(r), last = u16(r + 2);
            for (unsigned g = first; g <= last && g < nglyphs; g++) {
                if (!k->budget--)
                    return -1;
                fn(g, ud);
            }
        }
        return 0;
    }
    return -1;
}

/* A coverage or class table's arrays inside the table: 0 or -1. */
static int coverage_ok(tab t, size_t off)
{
    unsigned format, count;
    if (get16(t, off, &format) || get16(t, off + 2, &count))
        return -1;
    if (format == 1)
        return fits(t.n, off + 4, 2 * (size_t)count) ? 0 : -1;
    if (format == 2)
        return fits(t.n, off + 4, 6 * (size_t)count) ? 0 : -1;
    return -1;
}

static int classdef_ok(tab t, size_t off)
{
    unsigned format, a, count;
    if (get16(t, off, &format))
        return -1;
    if (format == 1)
        return get16(t, off + 2, &a) || get16(t, off + 4, &count) || !fits(t.n, off + 6, 2 * (size_t)count) ? -1 : 0;
    if (format == 2)
        return get16(t, off + 2, &count) || !fits(t.n, off + 4, 6 * (size_t)count) ? -1 : 0;
    return -1;
}

/* HarfBuzz's binary search (hb_bsearch_impl): the same steps, so the same
 * answer even where a font's array is out of order. cmp(key, i) as strcmp. */
static long bsearch_hb(const uint8_t *base, unsigned count, size_t stride, unsigned g,
                       int (*cmp)(unsigned g, const uint8_t *rec))
{
    int min = 0, max = (int)count - 1;
    while (min <= max) {
        int mid = (int)(((unsigned)min + (unsigned)max) / 2);
        int c = cmp(g, base + (size_t)mid * stride);
        if (c < 0)
            max = mid - 1;
        else if (c > 0)
            min = mid + 1;
        else
            return mid;
    }
    return -1;
}

static int cmp_glyph(unsigned g, const uint8_t *rec)
{
    unsigned v = u16(rec);
    return g < v ? -1 : g > v ? 1 : 0;
}

static int cmp_range(unsigned g, const uint8_t *rec)
{
    return g < u16(rec) ? -1 : g > u16(rec + 2) ? 1 : 0;
}

/* Coverage index of g in the (checked) table at p, or -1. */
static long coverage_index(const uint8_t *p, unsigned g)
{
    unsigned count = u16(p + 2);
    if (u16(p) == 1)
        return bsearch_hb(p + 4, count, 2, g, cmp_glyph);
    long i = bsearch_hb(p + 4, count, 6, g, cmp_range);
    if (i < 0)
        return -1;
    const uint8_t *r = p + 4 + 6 * (size_t)i;
    return u16(r) <= u16(r + 2) ? (long)u16(r + 4) + (long)(g - u16(r)) : -1;
}

static unsigned class_of(const uint8_t *p, unsigned g)
{
    if (u16(p) == 1) {
        unsigned start = u16(p + 2), count = u16(p + 4);
        return g - start < count && g >= start ? u16(p + 6 + 2 * (size_t)(g - start)) : 0;
    }
    long i = bsearch_hb(p + 4, u16(p + 2), 6, g, cmp_range);
    return i < 0 ? 0 : u16(p + 4 + 6 * (size_t)i + 4);
}

typedef struct build {
    rg_otkern *k;
    rg_glyph_never never;
    void *ud;
    int all_never; /* each_covered into all_never */
} build;

static void set_start(unsigned g, void *ud)
{
    rg_otkern *k = ud;
    k->starts[g >> 3] |= (uint8_t)(1u << (g & 7));
}

static void all_of_never(unsigned g, void *ud)
{
    build *b = ud;
    if (b->all_never && !b->never(g, b->ud))
        b->all_never = 0;
}

/* Does the coverage at off hold only glyphs no plain word has (or none)?
 * 1, 0, or -1 when it cannot be read. */
static int never_only(tab t, size_t off, build *b)
{
    b->all_never = 1;
    if (each_covered(t, off, b->k, all_of_never, b) != 0)
        return -1;
    return b->all_never;
}

/* A context subtable of format 3 (GSUB 5 and 6, GPOS 7 and 8): its first
 * input coverage marks where it can start, unless one of its coverages
 * holds no glyph a plain word has. 0 or -1. */
static int context3(tab t, size_t s, int chained, build *b)
{
    size_t at = s + 2;
    unsigned counts[3] = {0, 0, 0}, first_input = 0;
    int parts = chained ? 3 : 1, never = 0;
    for (int part = 0; part < parts; part++) {
        if (get16(t, at, &counts[part]))
            return -1;
        at += 2;
        if (!chained) /* format 3 context: glyphCount, seqLookupCount, coverages */
            at += 2;
        for (unsigned i = 0; i < counts[part]; i++, at += 2) {
            unsigned o;
            if (get16(t, at, &o))
                return -1;
            int m = never_only(t, s + o, b);
            if (m < 0)
                return -1;
            never |= m;
            if ((chained ? part == 1 : 1) && i == 0)
                first_input = o;
        }
    }
    unsigned inputs = chained ? counts[1] : counts[0];
    if (never || inputs == 0)
        return 0; /* cannot match a plain word */
    return each_covered(t, s + first_input, b->k, set_start, b->k);
}

/* The subtable at s of a lookup of type type (extensions resolved) in GSUB
 * (gsub 1) or GPOS: where it can start, or, a plain pair kerning
 * subtable, kept. 0 or -1. */
static int one_subtable(tab t, int gsub, unsigned type, unsigned flag, size_t s, unsigned lookup, build *b)
{
    rg_otkern *k = b->k;
    unsigned format, cov;
    if (get16(t, s, &format))
        return -1;
    int context = gsub ? (type == 5 || type == 6) : (type == 7 || type == 8);
    int chained = gsub ? type == 6 : type == 8;
    if (context && format == 3)
        return context3(t, s, chained, b);
    if (get16(t, s + 2, &cov))
        return -1;
    if (!gsub && type == 2 && (format == 1 || format == 2)) {
        unsigned vf1, vf2;
        if (get16(t, s + 4, &vf1) || get16(t, s + 6, &vf2))
            return -1;
        /* Skipping base glyphs or ligatures would pair glyphs that are not
         * neighbours: such a lookup is not read here. */
        if ((vf1 == 0 || vf1 == 4) && vf2 == 0 && !(flag & 6u)) {
            if (coverage_ok(t, s + cov) != 0)
                return -1;
            unsigned vsize = vf1 ? 2 : 0;
            if (format == 1) {
                unsigned count;
                if (get16(t, s + 8, &count) || !fits(t.n, s + 10, 2 * (size_t)count))
                    return -1;
                for (unsigned i = 0; i < count; i++) {
                    size_t ps = s + u16(t.p + s + 10 + 2 * i);
                    unsigned npairs;
                    if (get16(t, ps, &npairs) || !fits(t.n, ps + 2, (size_t)npairs * (2 + vsize)))
                        return -1;
                }
            } else {
                unsigned c1, c2, c1n, c2n;
                if (get16(t, s + 8, &c1) || get16(t, s + 10, &c2) || get16(t, s + 12, &c1n) ||
                    get16(t, s + 14, &c2n) || classdef_ok(t, s + c1) != 0 || classdef_ok(t, s + c2) != 0 ||
                    !fits(t.n, s + 16, (size_t)c1n * c2n * vsize))
                    return -1;
            }
            if (k->nsubs == MAX_SUBS)
                return -1;
            k->subs[k->nsubs++] = (kern_sub){(uint32_t)s, (uint16_t)lookup, (uint8_t)format, (uint8_t)vsize};
            return 0;
        }
    }
    return each_covered(t, s + cov, k, set_start, k);
}

/* Lookup index of the table (GSUB or GPOS): each subtable read. 0 or -1. */
static int one_lookup(tab t, int gsub, unsigned index, unsigned order, build *b)
{
    unsigned list, count, off, type, flag, nsub;
    if (get16(t, 8, &list) || get16(t, list, &count) || index >= count || get16(t, list + 2 + 2 * (size_t)index, &off))
        return -1;
    size_t l = (size_t)list + off;
    if (get16(t, l, &type) || get16(t, l + 2, &flag) || get16(t, l + 4, &nsub))
        return -1;
    unsigned ext = gsub ? 7 : 9, ext_type = 0;
    /* HarfBuzz drops a lookup whose mark filtering set is not there: read
     * no further. */
    if ((flag & 0x10) && !fits(t.n, l + 6 + 2 * (size_t)nsub, 2))
        return -1;
    for (unsigned i = 0; i < nsub; i++) {
        unsigned so;
        if (get16(t, l + 6 + 2 * (size_t)i, &so))
            return -1;
        size_t s = l + so;
        unsigned st = type;
        if (type == ext) {
            unsigned xf;
            uint32_t xo;
            if (get16(t, s, &xf) || xf != 1 || get16(t, s + 2, &st) || get32(t, s + 4, &xo) || st == ext ||
                (ext_type && st != ext_type)) /* one type for all, or HarfBuzz drops the lookup */
                return -1;
            ext_type = st;
            s += xo;
        }
        if (one_subtable(t, gsub, st, flag, s, order, b) != 0)
            return -1;
    }
    return 0;
}

/* Marks in skip[] (nlookups bits) the GSUB lookups that only the fraction
 * features (frac, numr, dnom) list: HarfBuzz applies those only around a
 * fraction slash, which no plain word holds. Nothing is marked when the
 * table has feature variations (another feature may stand in) or cannot
 * be read. */
static void fraction_only(tab t, uint8_t *skip, unsigned nlookups)
{
    unsigned major, minor, flist, count;
    uint32_t fvar = 0;
    if (get16(t, 0, &major) || get16(t, 2, &minor) || get16(t, 6, &flist) || get16(t, flist, &count) ||
        (minor >= 1 && get32(t, 10, &fvar)) || fvar != 0)
        return;
    size_t bytes = nlookups / 8 + 1;
    uint8_t *frac = calloc(bytes, 1), *other = calloc(bytes, 1);
    for (unsigned pass = 0; frac && other && pass < 1; pass++) {
        for (unsigned i = 0; i < count; i++) {
            size_t r = (size_t)flist + 2 + 6 * (size_t)i;
            unsigned off, nidx;
            if (!fits(t.n, r, 6) || get16(t, r + 4, &off) || get16(t, (size_t)flist + off + 2, &nidx) ||
                !fits(t.n, (size_t)flist + off + 4, 2 * (size_t)nidx))
                goto out;
            int is_frac = memcmp(t.p + r, "frac", 4) == 0 || memcmp(t.p + r, "numr", 4) == 0 ||
                          memcmp(t.p + r, "dnom", 4) == 0;
            for (unsigned j = 0; j < nidx; j++) {
                unsigned x = u16(t.p + flist + off + 4 + 2 * j);
                if (x < nlookups)
                    (is_frac ? frac : other)[x >> 3] |= (uint8_t)(1u << (x & 7));
            }
        }
        for (size_t i = 0; i < bytes; i++)
            skip[i] = (uint8_t)(frac[i] & ~other[i]);
    }
out:
    free(frac);
    free(other);
}

rg_otkern *rg_otkern_new(const uint8_t *gsub, size_t gsub_len, const uint8_t *gpos, size_t gpos_len,
                         const unsigned *sub_lookups, size_t nsub, const unsigned *pos_lookups, size_t npos,
                         unsigned nglyphs, rg_glyph_never never, void *ud)
{
    rg_otkern *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    k->refs = 1;
    k->gpos = gpos;
    k->gpos_len = gpos_len;
    k->nglyphs = nglyphs;
    k->nsub = nsub;
    k->npos = npos;
    if (nsub + npos && !(k->lookups = malloc((nsub + npos) * sizeof *k->lookups))) {
        rg_otkern_free(k);
        return NULL;
    }
    if (nsub)
        memcpy(k->lookups, sub_lookups, nsub * sizeof *k->lookups);
    if (npos)
        memcpy(k->lookups + nsub, pos_lookups, npos * sizeof *k->lookups);
    k->budget = BUDGET;
    k->starts = calloc((size_t)nglyphs / 8 + 1, 1);
    k->subs = malloc(MAX_SUBS * sizeof *k->subs);
    k->pkey = malloc(PCACHE * sizeof *k->pkey);
    k->pval = malloc(PCACHE * sizeof *k->pval);
    if (!k->starts || !k->subs || !k->pkey || !k->pval) {
        rg_otkern_free(k);
        return NULL;
    }
    memset(k->pkey, 0xFF, PCACHE * sizeof *k->pkey);
    build b = {k, never, ud, 0};
    tab ts = {gsub, gsub ? gsub_len : 0}, tp = {gpos, gpos ? gpos_len : 0};
    int ok = nglyphs > 0 && nglyphs <= 65536;
    unsigned nlookups = 0, list;
    if (ts.p && !get16(ts, 8, &list))
        get16(ts, list, &nlookups);
    uint8_t *skip = calloc((size_t)nlookups / 8 + 1, 1);
    if (!skip) {
        rg_otkern_free(k);
        return NULL;
    }
    fraction_only(ts, skip, nlookups);
    for (size_t i = 0; ok && i < nsub; i++)
        if (!(sub_lookups[i] < nlookups && skip[sub_lookups[i] >> 3] & (1u << (sub_lookups[i] & 7))))
            ok = one_lookup(ts, 1, sub_lookups[i], 0, &b) == 0;
    free(skip);
    for (size_t i = 0; ok && i < npos; i++)
        ok = i < 0xFFFF && one_lookup(tp, 0, pos_lookups[i], (unsigned)i, &b) == 0;
    k->usable = ok;
    return k;
}

int rg_otkern_usable(const rg_otkern *k) { return k && k->usable; }

int rg_otkern_same(const rg_otkern *k, const unsigned *sub_lookups, size_t nsub, const unsigned *pos_lookups,
                   size_t npos)
{
    return k->nsub == nsub && k->npos == npos &&
           (!nsub || memcmp(k->lookups, sub_lookups, nsub * sizeof *k->lookups) == 0) &&
           (!npos || memcmp(k->lookups + nsub, pos_lookups, npos * sizeof *k->lookups) == 0);
}

rg_otkern *rg_otkern_share(rg_otkern *k)
{
    k->refs++;
    return k;
}

int rg_otkern_plain(const rg_otkern *k, unsigned g)
{
    return g < k->nglyphs && !(k->starts[g >> 3] & (1u << (g & 7)));
}

/* What subtable s, whose coverage gives a index ci, adds to a's advance
 * before b: 1 with *v when it applies (the lookup then tries no further
 * subtable), else 0. */
static int sub_value(const rg_otkern *k, const kern_sub *s, long ci, unsigned a, unsigned b, int *v)
{
    const uint8_t *p = k->gpos + s->off;
    if (s->format == 1) {
        if ((unsigned long)ci >= u16(p + 8))
            return 0;
        const uint8_t *set = p + u16(p + 10 + 2 * (size_t)ci);
        size_t stride = 2u + s->vsize;
        long i = bsearch_hb(set + 2, u16(set), stride, b, cmp_glyph);
        if (i < 0)
            return 0;
        *v = s->vsize ? (int16_t)u16(set + 2 + (size_t)i * stride + 2) : 0;
        return 1;
    }
    unsigned k1 = class_of(p + u16(p + 8), a), k2 = class_of(p + u16(p + 10), b);
    unsigned c1n = u16(p + 12), c2n = u16(p + 14);
    if (k1 >= c1n || k2 >= c2n)
        return 0;
    *v = s->vsize ? (int16_t)u16(p + 16 + ((size_t)k1 * c2n + k2) * s->vsize) : 0;
    return 1;
}

#define END 0xFFFFFFFFu

/* Where the subtables covering a are listed (k->hits), found on a's
 * first pair: the pairs of one first glyph search the coverages once.
 * NULL when memory ran out. */
static const struct hit *hits_of(rg_otkern *k, unsigned a)
{
    if (!k->first && !(k->first = calloc(k->nglyphs, sizeof *k->first)))
        return NULL;
    if (k->first[a])
        return k->hits + k->first[a] - 1;
    size_t start = k->nhits;
    for (size_t i = 0; i <= k->nsubs; i++) {
        long ci = 0;
        if (i < k->nsubs) {
            const uint8_t *p = k->gpos + k->subs[i].off;
            if ((ci = coverage_index(p + u16(p + 2), a)) < 0)
                continue;
        }
        if (k->nhits == k->hits_cap) {
            size_t cap = k->hits_cap ? 2 * k->hits_cap : 256;
            struct hit *h = realloc(k->hits, cap * sizeof *h);
            if (!h) {
                k->nhits = start;
                return NULL;
            }
            k->hits = h;
            k->hits_cap = cap;
        }
        k->hits[k->nhits++] = (struct hit){i < k->nsubs ? (uint32_t)i : END, (uint32_t)ci};
    }
    k->first[a] = (uint32_t)start + 1;
    return k->hits + start;
}

int rg_otkern_pair(rg_otkern *k, unsigned a, unsigned b)
{
    uint32_t key = (uint32_t)a << 16 | (b & 0xFFFF);
    uint32_t h = (key * 2654435761u) >> 20; /* 12 bits: PCACHE */
    for (unsigned i = 0; i < 8; i++) {
        uint32_t at = (h + i) & (PCACHE - 1);
        if (k->pkey[at] == key)
            return k->pval[at];
        if (k->pkey[at] == EMPTY)
            break;
    }
    int sum = 0;
    const struct hit *hit = a < k->nglyphs ? hits_of(k, a) : NULL;
    if (hit) {
        long done = -1; /* the lookup that applied last: its later subtables are not tried */
        for (; hit->sub != END; hit++) {
            const kern_sub *s = &k->subs[hit->sub];
            int v = 0;
            if (s->lookup != done && sub_value(k, s, hit->ci, a, b, &v)) {
                sum += v;
                done = s->lookup;
            }
        }
    } else {
        for (size_t i = 0; i < k->nsubs;) {
            unsigned lookup = k->subs[i].lookup;
            int v = 0;
            for (; i < k->nsubs && k->subs[i].lookup == lookup; i++) {
                const uint8_t *p = k->gpos + k->subs[i].off;
                long ci = coverage_index(p + u16(p + 2), a);
                if (ci >= 0 && sub_value(k, &k->subs[i], ci, a, b, &v)) {
                    sum += v;
                    break;
                }
            }
            while (i < k->nsubs && k->subs[i].lookup == lookup)
                i++;
        }
    }
    if (sum >= -32768 && sum <= 32767 && k->pused < PCACHE * 3 / 4)
        for (unsigned i = 0; i < 8; i++) {
            uint32_t at = (h + i) & (PCACHE - 1);
            if (k->pkey[at] == EMPTY) {
                k->pkey[at] = key;
                k->pval[at] = (int16_t)sum;
                k->pused++;
                break;
            }
        }
    return sum;
}

void rg_otkern_free(rg_otkern *k)
{
    if (!k || --k->refs > 0)
        return;
    free(k->lookups);
    free(k->starts);
    free(k->subs);
    free(k->pkey);
    free(k->pval);
    free(k->first);
    free(k->hits);
    free(k);
}
