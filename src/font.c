/* TrueType metrics, read by us rather than through libharu so that a font is
 * parsed once per process and shared by every document. The layout measures
 * advances in font units, exactly, kerned by HarfBuzz (rg_font_kern), and
 * the PDF states the same widths (paint_pdf.c). The thousandths of an em
 * (rg_font_advance) and the choice of cmap still follow libharu 2.3.0's
 * formulas (hpdf_fontdef_tt.c): advance * 1000 / unitsPerEm truncated, and
 * BMP code points through the (3,1) format 4 cmap.
 *
 * Every table but glyf is read when the font is loaded, into a buffer the
 * size of the file, and every offset is checked against that size before
 * use. glyf, most of a font's bytes (72% of Lato), is read a page at a
 * time when a document first shows a glyph (rg_font_glyphs: what a card
 * uses of three faces is some 60 kB of their 1.4 MB), from the descriptor
 * kept open: a font file replaced or removed while in use is still read
 * as it was, and one changed in place is refused rather than embedded as
 * glyphs other than those measured.
 *
 * Words are shaped by HarfBuzz, or, a word of plain characters whose
 * glyphs no lookup of its plan but pair kerning starts at, kerned from
 * GPOS directly (otkern.c, direct_word) to the same numbers. */
#include "rg.h"
#include "sfnt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hb.h>
#include <hb-ot.h>

/* The kerning of words already shaped: documents repeat their words, and
 * the layout measures a paragraph more than once. Open addressing with a
 * short probe; a full neighbourhood replaces its first word. */
#define KCACHE 4096
#define KCACHE_WORD 32             /* longer words are shaped every time */
#define KCACHE_PROBE 8
#define PLANS 4                    /* shape plans kept per font: a word's script, or none (digits) */
struct kword {
    uint32_t hash;
    unsigned n;
    int liga;
    uint32_t cp[KCACHE_WORD];
    int kern[KCACHE_WORD];
    unsigned gid[KCACHE_WORD];
};

#define MAX_FILE (32u * 1024u * 1024u)
#define FPAGE 4096u                /* what the file is read by, past its tables */
#define MAX_PSNAME 63

typedef struct group {             /* format 12 range above the BMP */
    uint32_t start, end, gid;
} group;

struct rg_font {
    uint16_t *page[256];           /* BMP: page[cp >> 8][cp & 255] = gid; NULL page: all 0 */
    int16_t *width;                /* per glyph, 1/1000 em, as libharu computes it */
    uint16_t *units;               /* per glyph, the advance in font units (hmtx) */
    uint32_t nglyphs;
    group *groups;                 /* sorted by start, not overlapping */
    size_t ngroups;
    int ascent, descent, cap_height;
    rg_font_desc desc;             /* what a PDF FontDescriptor says of it */
    char psname[MAX_PSNAME + 1];
    char *path;
    uint8_t *data;                 /* the file's size, its pages read as needed (loaded) */
    size_t size;
    int fd;                        /* the file, kept open for its glyphs; -1 once all is read */
    struct stat st;                /* as opened: a file changed since is refused */
    unsigned char *loaded;         /* per FPAGE page of data: read */
    char *broken;                  /* why a read failed for good (the file changed), or NULL */
    unsigned upem;
    hb_font_t *hb;                 /* for kerning, made on first use (rg_font_kern) */
    hb_buffer_t *buf;              /* the buffer words are shaped in, or NULL */
    hb_language_t lang;            /* "und": the font's default language system */
    struct kword **kcache;         /* words kerned so far, by hash (KCACHE slots), or NULL */
    struct {                       /* shape plans used, without and with ligatures */
        hb_shape_plan_t *plan;     /* or NULL */
        hb_segment_properties_t props; /* what it was made for */
        rg_otkern *kern;           /* its lookups as otkern.c reads them, or NULL */
        int kern_state;            /* 0 not read, 1 read, -1 not usable */
    } plans[2][PLANS];
    uint8_t *plain[256];           /* BMP: per code point 0 not known, 1 not plain, 2 Common, 3 Latin */
    uint8_t *reach;                /* bit per glyph: a BMP character other than a mark maps to it */
    int gdef;                      /* the font has a GDEF table: 1, 0, or -1 not looked for yet */
    hb_segment_properties_t word_props[2]; /* of a word of Common characters, of one with Latin ones */
    int word_props_ready;
    int direct_off;                /* every word through HarfBuzz (rg_font_set_direct_kerning) */
    unsigned long direct_words;    /* words set by direct_word */
    unsigned next_plan[2];         /* the slot a new plan takes, round the ring */
    int hb_state;                  /* 0 not made, 1 ready, 2 no kerning (a GPOS HarfBuzz refuses) */
};

typedef struct buf {
    const uint8_t *p;
    size_t n;
} buf;

typedef struct table {
    size_t off, len;
    int found;
} table;

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Is the file still as it was opened? 0, or -1 with f->broken set. */
static int unchanged(rg_font *f)
{
    struct stat now;
    if (f->broken)
        return -1;
    if (fstat(f->fd, &now) == 0 && now.st_size == f->st.st_size && now.st_mtim.tv_sec == f->st.st_mtim.tv_sec &&
        now.st_mtim.tv_nsec == f->st.st_mtim.tv_nsec && now.st_ino == f->st.st_ino && now.st_dev == f->st.st_dev)
        return 0;
    f->broken = strdup("the font file changed while in use; run again");
    return -1;
}

/* Reads the pages want[] names that are not read yet, in runs, checking
 * before and after that the file is the one opened. 0, or -1 with the
 * reason in err (and, for a changed file, in f->broken for good). */
static int read_pages(rg_font *f, const unsigned char *want, char *err, size_t errlen)
{
    size_t np = (f->size + FPAGE - 1) / FPAGE;
    int checked = 0;
    for (size_t p = 0; p < np;) {
        if (!want[p] || f->loaded[p]) {
            p++;
            continue;
        }
        size_t q = p;
        while (q < np && want[q] && !f->loaded[q])
            q++;
        if (!checked++ && unchanged(f))
            return fail(err, errlen, "%s", f->broken ? f->broken : "out of memory");
        size_t off = p * FPAGE, end = q * FPAGE < f->size ? q * FPAGE : f->size, got = 0;
        while (got < end - off) {
            ssize_t r = pread(f->fd, f->data + off + got, end - off - got, (off_t)(off + got));
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0)
                return fail(err, errlen, "cannot read: %s", strerror(errno));
            if (r == 0) { /* shorter than when opened */
                unchanged(f);
                return fail(err, errlen, "%s", f->broken ? f->broken : "out of memory");
            }
            got += (size_t)r;
        }
        memset(f->loaded + p, 1, q - p);
        p = q;
    }
    if (checked && unchanged(f))
        return fail(err, errlen, "%s", f->broken ? f->broken : "out of memory");
    return 0;
}

/* Marks the pages of [off, off + len) in want; the range is in the file. */
static void want_range(unsigned char *want, size_t off, size_t len)
{
    if (len)
        memset(want + off / FPAGE, 1, (off + len - 1) / FPAGE - off / FPAGE + 1);
}

/* Opens the font file into f: the buffer, the descriptor, the header
 * page. The directory and tables are read by load_tables. */
static int open_file(rg_font *f, const char *path, char *err, size_t errlen)
{
    char why[256];
    int fd = rg_file_open(path, &f->st, why, sizeof why);
    if (fd < 0)
        return fail(err, errlen, fd == -1 ? "cannot open: %s" : "%s", why);
    f->fd = fd;
    if (f->st.st_size == 0)
        return fail(err, errlen, "not a TrueType font (empty file)");
    if ((uintmax_t)f->st.st_size > MAX_FILE)
        return fail(err, errlen, "font file too large (over 32 MB)");
    f->size = (size_t)f->st.st_size;
    /* Pages never read cost nothing: most of glyf stays so. */
    void *p = mmap(NULL, f->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return fail(err, errlen, "out of memory");
    f->data = p;
    if (!(f->loaded = calloc((f->size + FPAGE - 1) / FPAGE, 1)))
        return fail(err, errlen, "out of memory");
    return 0;
}

/* Reads the table directory and every table but glyf (each record was
 * checked to lie in the file by read_directory, which needs the directory
 * read first). A font without glyf is read whole. */
static int load_tables(rg_font *f, char *err, size_t errlen)
{
    size_t np = (f->size + FPAGE - 1) / FPAGE;
    unsigned char *want = calloc(np, 1);
    if (!want)
        return fail(err, errlen, "out of memory");
    want[0] = 1; /* the header */
    if (read_pages(f, want, err, errlen)) {
        free(want);
        return -1;
    }
    int rc = 0;
    size_t ntables = f->size >= 12 ? u16(f->data + 4) : 0;
    size_t dir = 12 + 16 * ntables;
    want_range(want, 0, dir < f->size ? dir : f->size);
    if (read_pages(f, want, err, errlen)) {
        free(want);
        return -1;
    }
    int lazy = 0;
    for (size_t i = 0; i < ntables && fits(f->size, 12, dir); i++) {
        const uint8_t *r = f->data + 12 + 16 * i;
        size_t off = u32(r + 8), len = u32(r + 12);
        if (!fits(f->size, off, len))
            continue; /* read_directory says so */
        if (memcmp(r, "glyf", 4) == 0)
            lazy = 1;
        else
            want_range(want, off, len);
    }
    if (!lazy)
        memset(want, 1, np);
    rc = read_pages(f, want, err, errlen);
    free(want);
    return rc;
}

/* Checks the sfnt header and every table record (not only the ones we use),
 * so a truncated file is refused here rather than when libharu embeds it. */
static int read_directory(buf b, table *head, table *hhea, table *maxp, table *hmtx,
                          table *cmap, table *os2, table *name, table *post, char *err, size_t errlen)
{
    if (b.n < 4)
        return fail(err, errlen, "not a TrueType font");
    uint32_t tag = u32(b.p);
    if (tag == 0x4F54544Fu) /* 'OTTO' */
        return fail(err, errlen, "CFF-flavoured OpenType is not supported, use a TrueType font");
    if (tag == 0x74746366u) /* 'ttcf' */
        return fail(err, errlen, "font collections (.ttc) are not supported, use a single TrueType font");
    if (tag != 0x00010000u && tag != 0x74727565u) /* 'true' */
        return fail(err, errlen, "not a TrueType font");
    if (b.n < 12)
        return fail(err, errlen, "truncated table directory");
    size_t ntables = u16(b.p + 4);
    if (ntables == 0)
        return fail(err, errlen, "not a TrueType font (no tables)");
    if (!fits(b.n, 12, ntables * 16))
        return fail(err, errlen, "truncated table directory");

    static const char *const want[] = {"head", "hhea", "maxp", "hmtx", "cmap", "OS/2", "name", "post"};
    table *slot[] = {head, hhea, maxp, hmtx, cmap, os2, name, post};
    for (size_t i = 0; i < ntables; i++) {
        const uint8_t *r = b.p + 12 + i * 16;
        char t[5];
        memcpy(t, r, 4);
        t[4] = 0;
        for (int k = 0; k < 4; k++) /* keep error messages printable */
            if ((unsigned char)t[k] < 0x20 || (unsigned char)t[k] > 0x7E)
                t[k] = '?';
        size_t off = u32(r + 8), len = u32(r + 12);
        if (off >= b.n && len > 0)
            return fail(err, errlen, "'%s' table starts past the end of the file", t);
        if (!fits(b.n, off, len))
            return fail(err, errlen, "truncated '%s' table", t);
        for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
            if (memcmp(r, want[k], 4) == 0 && !slot[k]->found) {
                slot[k]->off = off;
                slot[k]->len = len;
                slot[k]->found = 1;
            }
    }
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
        if (!slot[k]->found && slot[k] != os2 && slot[k] != post) /* optional for us */
            return fail(err, errlen, "missing '%s' table", want[k]);
    return 0;
}

static uint16_t *page_for(rg_font *f, unsigned cp)
{
    uint16_t **pp = &f->page[cp >> 8];
    if (!*pp)
        *pp = calloc(256, sizeof(uint16_t));
    return *pp;
}

static int set_gid(rg_font *f, unsigned cp, uint32_t gid)
{
    if (gid == 0 || gid >= f->nglyphs) /* an id past the glyphs is a missing glyph */
        return 0;
    uint16_t *pg = page_for(f, cp);
    if (!pg)
        return -1;
    pg[cp & 255] = (uint16_t)gid;
    return 0;
}

/* Fills the BMP from a format 4 subtable at s (limit: end of cmap). libharu
 * finds a code's segment by a linear search for the first endCode >= code, so
 * segment i owns exactly the codes above every earlier endCode; walking the
 * segments with that running maximum gives libharu's answer for any segment
 * order, while visiting each code at most once (hostile tables with thousands
 * of overlapping full-range segments stay cheap). */
static int parse_format4(rg_font *f, buf c, size_t s, char *err, size_t errlen)
{
    if (!fits(c.n, s, 14))
        return fail(err, errlen, "truncated 'cmap' table");
    size_t segx2 = u16(c.p + s + 6);
    if (segx2 == 0 || segx2 % 2)
        return fail(err, errlen, "bad format 4 'cmap' subtable");
    size_t seg = segx2 / 2;
    size_t ends = s + 14, starts = ends + segx2 + 2;
    size_t deltas = starts + segx2, ranges = deltas + segx2;
    if (!fits(c.n, ends, 4 * segx2 + 2))
        return fail(err, errlen, "truncated 'cmap' table");

    long done = -1; /* highest code already owned by an earlier segment */
    for (size_t i = 0; i < seg && done < 0xFFFF; i++) {
        long end = (long)u16(c.p + ends + 2 * i);
        long start = (long)u16(c.p + starts + 2 * i);
        unsigned delta = u16(c.p + deltas + 2 * i);
        size_t ro_at = ranges + 2 * i;
        size_t ro = u16(c.p + ro_at);
        long from = start > done ? start : done + 1;
        for (long cp = from; cp <= end; cp++) {
            uint32_t gid;
            if (ro == 0) {
                gid = ((unsigned)cp + delta) & 0xFFFF;
            } else {
                size_t at = ro_at + ro + 2 * (size_t)(cp - start);
                if (!fits(c.n, at, 2))
                    continue; /* libharu also yields 0 past its array */
                gid = u16(c.p + at);
                /* The spec keeps 0 as "missing"; libharu adds delta anyway,
                 * which differs only for a 0 entry with a non-zero delta. */
                if (gid)
                    gid = (gid + delta) & 0xFFFF;
            }
            if (set_gid(f, (unsigned)cp, gid))
                return fail(err, errlen, "out of memory");
        }
        if (end > done)
            done = end;
    }
    return 0;
}

static int cmp_group(const void *a, const void *b)
{
    const group *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

/* Reads a format 12 subtable: the ranges above the BMP are kept for a binary
 * search, and the BMP part fills the pages only when no format 4 did. */
static int parse_format12(rg_font *f, buf c, size_t s, int fill_bmp, char *err, size_t errlen)
{
    if (!fits(c.n, s, 16))
        return fail(err, errlen, "truncated 'cmap' table");
    size_t n = u32(c.p + s + 12);
    if (n > (c.n - s - 16) / 12)
        return fail(err, errlen, "truncated 'cmap' table");
    group *g = n ? malloc(n * sizeof *g) : NULL;
    if (n && !g)
        return fail(err, errlen, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *r = c.p + s + 16 + 12 * i;
        uint32_t start = u32(r), end = u32(r + 4), gid = u32(r + 8);
        if (start > end || start > 0x10FFFF)
            continue;
        if (end > 0x10FFFF)
            end = 0x10FFFF;
        g[k++] = (group){start, end, gid};
    }
    qsort(g, k, sizeof *g, cmp_group);
    /* Clip overlaps so that the search below is exact and the BMP fill
     * visits each code once, whatever a hostile table says. */
    size_t m = 0;
    uint32_t next = 0; /* lowest code not yet covered */
    for (size_t i = 0; i < k; i++) {
        group x = g[i];
        if (x.end < next)
            continue;
        if (x.start < next) {
            x.gid += next - x.start;
            x.start = next;
        }
        next = x.end + 1; /* end <= 0x10FFFF: cannot wrap */
        if (x.start <= 0xFFFF) {
            if (fill_bmp) {
                uint32_t top = x.end < 0xFFFF ? x.end : 0xFFFF;
                for (uint32_t cp = x.start; cp <= top; cp++)
                    if (set_gid(f, cp, x.gid + (cp - x.start))) {
                        free(g);
                        return fail(err, errlen, "out of memory");
                    }
            }
            if (x.end <= 0xFFFF)
                continue; /* BMP codes live in the pages */
            x.gid += 0x10000 - x.start;
            x.start = 0x10000;
        }
        g[m++] = x;
    }
    if (m == 0) {
        free(g);
        g = NULL;
    }
    f->groups = g;
    f->ngroups = m;
    return 0;
}

/* Picks the subtables. BMP code points use the (3,1) format 4 subtable when
 * there is one, because that is the only one libharu 2.3.0 reads, and the
 * widths in the PDF come from its glyphs; format 12 adds the planes above. */
static int parse_cmap(rg_font *f, buf b, table t, char *err, size_t errlen)
{
    buf c = {b.p + t.off, t.len};
    if (c.n < 4)
        return fail(err, errlen, "truncated 'cmap' table");
    size_t n = u16(c.p + 2);
    if (!fits(c.n, 4, n * 8))
        return fail(err, errlen, "truncated 'cmap' table");
    size_t f4 = 0, f12 = 0;
    int f4rank = 0, f12rank = 0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *r = c.p + 4 + 8 * i;
        unsigned plat = u16(r), enc = u16(r + 2);
        size_t off = u32(r + 4);
        if (!fits(c.n, off, 2))
            continue; /* judged below: a broken record only matters if nothing else serves */
        unsigned fmt = u16(c.p + off);
        int rank = 0;
        if (fmt == 4)
            rank = plat == 3 && enc == 1 ? 2 : plat == 0 ? 1 : 0;
        else if (fmt == 12)
            rank = plat == 3 && enc == 10 ? 2 : plat == 0 ? 1 : 0;
        if (fmt == 4 && rank > f4rank) {
            f4 = off;
            f4rank = rank;
        } else if (fmt == 12 && rank > f12rank) {
            f12 = off;
            f12rank = rank;
        }
    }
    if (!f4rank && !f12rank) {
        for (size_t i = 0; i < n; i++)
            if (!fits(c.n, u32(c.p + 4 + 8 * i + 4), 2))
                return fail(err, errlen, "truncated 'cmap' table");
        return fail(err, errlen, "no Unicode cmap");
    }
    if (f4rank && parse_format4(f, c, f4, err, errlen))
        return -1;
    if (f12rank && parse_format12(f, c, f12, !f4rank, err, errlen))
        return -1;
    return 0;
}

/* Copies a name into psname, keeping only what a PostScript name may hold. */
static void put_psname(char *dst, const uint8_t *s, size_t n, size_t step)
{
    size_t k = 0;
    for (size_t i = 0; i + step <= n && k < MAX_PSNAME; i += step) {
        unsigned ch = step == 2 ? u16(s + i) : s[i];
        if (ch > 32 && ch < 127 && !strchr("[](){}<>/%", (int)ch))
            dst[k++] = (char)ch;
    }
    dst[k] = 0;
}

/* nameID 6: a Windows (UTF-16BE) record, US English first, else a Mac Roman
 * one. Damaged records are skipped: a missing name is not worth refusing a
 * font whose metrics are fine, as the file's base name stands in. */
static void parse_name(rg_font *f, buf b, table t)
{
    buf c = {b.p + t.off, t.len};
    f->psname[0] = 0;
    if (c.n < 6)
        return;
    size_t n = u16(c.p + 2), strings = u16(c.p + 4);
    if (!fits(c.n, 6, n * 12))
        return;
    int best = 0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *r = c.p + 6 + 12 * i;
        unsigned plat = u16(r), enc = u16(r + 2), lang = u16(r + 4), id = u16(r + 6);
        size_t len = u16(r + 8), off = strings + u16(r + 10);
        if (id != 6 || !fits(c.n, off, len) || len == 0)
            continue;
        int rank = plat == 3 && (enc == 1 || enc == 0 || enc == 10) ? (lang == 0x409 ? 4 : 3)
                 : plat == 0 ? 2 : plat == 1 && enc == 0 ? 1 : 0;
        if (rank <= best)
            continue;
        char tmp[MAX_PSNAME + 1];
        put_psname(tmp, c.p + off, len, plat == 1 ? 1 : 2);
        if (tmp[0]) {
            memcpy(f->psname, tmp, sizeof tmp);
            best = rank;
        }
    }
}

static void psname_from_path(rg_font *f, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        n = (size_t)(dot - base);
    put_psname(f->psname, (const uint8_t *)base, n, 1);
    if (!f->psname[0])
        memcpy(f->psname, "Font", 5);
}

/* libharu: (HPDF_INT16)(HPDF_UINT16)((HPDF_UINT)advance * 1000 / upem). The
 * double cast only bites past 32.767 em; it is copied so that even a freak
 * glyph measures the same as in the PDF. */
static int16_t haru_width(unsigned advance, unsigned upem)
{
    unsigned w = (advance * 1000u / upem) & 0xFFFFu;
    return (int16_t)(w >= 0x8000u ? (int)w - 0x10000 : (int)w);
}

/* Font-unit vertical metrics to 1/1000 em as libharu does: an int32 product
 * divided with C's truncation toward zero. */
static int haru_em(int v, unsigned upem)
{
    return (int)((int32_t)v * 1000 / (int32_t)upem);
}

/* The FontDescriptor's numbers (PDF 1.7, 9.8): the box from head, the
 * italic angle and fixed pitch from post, italic also from head's macStyle
 * and OS/2's fsSelection. A TrueType font states no stem width, so StemV is
 * estimated from the weight class as Adobe's tools do: 50 + (weight / 65)^2.
 * Flags: Symbolic (4) always, as the codes are glyph ids and not a standard
 * encoding; FixedPitch (1) and Italic (64) from the tables. */
static void parse_desc(rg_font *f, buf b, table head, table os2, table post, unsigned upem)
{
    rg_font_desc *d = &f->desc;
    const uint8_t *h = b.p + head.off;
    int italic = (u16(h + 44) & 2) != 0; /* macStyle bit 1 */
    d->bbox[0] = haru_em(s16(h + 36), upem);
    d->bbox[1] = haru_em(s16(h + 38), upem);
    d->bbox[2] = haru_em(s16(h + 40), upem);
    d->bbox[3] = haru_em(s16(h + 42), upem);
    d->ascent = f->ascent;
    d->descent = f->descent;
    d->cap_height = f->cap_height;
    d->italic_angle = 0;
    d->flags = 4;
    if (post.found && post.len >= 16) {
        int32_t fixed = (int32_t)u32(b.p + post.off + 4);
        d->italic_angle = (int)((int64_t)fixed * 1000 / 65536); /* 1/1000 degree */
        if (u32(b.p + post.off + 12))
            d->flags |= 1;
    }
    unsigned weight = 400;
    if (os2.found && os2.len >= 64) {
        unsigned wc = u16(b.p + os2.off + 4);
        if (wc >= 1 && wc <= 1000)
            weight = wc;
        if (u16(b.p + os2.off + 62) & 1) /* fsSelection ITALIC */
            italic = 1;
    }
    if (italic || d->italic_angle)
        d->flags |= 64;
    d->stem_v = (int)(50 + (weight * weight) / (65 * 65));
}

static int parse(rg_font *f, buf b, char *err, size_t errlen)
{
    table head = {0}, hhea = {0}, maxp = {0}, hmtx = {0}, cmap = {0}, os2 = {0}, name = {0}, post = {0};
    if (read_directory(b, &head, &hhea, &maxp, &hmtx, &cmap, &os2, &name, &post, err, errlen))
        return -1;

    if (head.len < 54)
        return fail(err, errlen, "truncated 'head' table");
    unsigned upem = u16(b.p + head.off + 18);
    if (upem == 0)
        return fail(err, errlen, "bad 'head' table: unitsPerEm is 0");
    f->upem = upem;

    if (maxp.len < 6)
        return fail(err, errlen, "truncated 'maxp' table");
    f->nglyphs = u16(b.p + maxp.off + 4);
    if (f->nglyphs == 0)
        return fail(err, errlen, "font has no glyphs");

    if (hhea.len < 36)
        return fail(err, errlen, "truncated 'hhea' table");
    f->ascent = haru_em(s16(b.p + hhea.off + 4), upem);
    f->descent = haru_em(s16(b.p + hhea.off + 6), upem);
    size_t nhm = u16(b.p + hhea.off + 34);
    /* libharu sizes its metrics by numGlyphs and then reads numberOfHMetrics
     * entries into it, so a larger count is refused here, not crashed on later. */
    if (nhm == 0 || nhm > f->nglyphs)
        return fail(err, errlen, "bad 'hhea' table: numberOfHMetrics is %zu for %u glyphs",
                    nhm, (unsigned)f->nglyphs);

    if (hmtx.len / 4 < nhm)
        return fail(err, errlen, "truncated 'hmtx' table");
    f->width = malloc(f->nglyphs * sizeof *f->width);
    f->units = malloc(f->nglyphs * sizeof *f->units);
    if (!f->width || !f->units)
        return fail(err, errlen, "out of memory");
    for (size_t g = 0; g < f->nglyphs; g++) { /* the last advance repeats */
        f->units[g] = (uint16_t)u16(b.p + hmtx.off + 4 * (g < nhm ? g : nhm - 1));
        f->width[g] = haru_width(f->units[g], upem);
    }

    f->cap_height = 700; /* 0.7 em when OS/2 has no sCapHeight (version < 2) */
    if (os2.found && os2.len >= 90 && u16(b.p + os2.off) >= 2) {
        int cap = s16(b.p + os2.off + 88);
        if (cap > 0)
            f->cap_height = haru_em(cap, upem);
    }

    parse_desc(f, b, head, os2, post, upem);
    if (parse_cmap(f, b, cmap, err, errlen))
        return -1;
    parse_name(f, b, name);
    return 0;
}

/* Loads the TrueType font at path (at most 32 MB). Returns a font the caller
 * owns and releases with rg_font_free; it keeps no reference to path or the
 * file. On failure returns NULL and, when err is not NULL, writes a
 * NUL-terminated lower-case reason of at most errlen bytes. Thread-safe: no
 * shared state. */
rg_font *rg_font_load(const char *path, char *err, size_t errlen)
{
    if (err && errlen)
        err[0] = 0;
    if (!path) {
        fail(err, errlen, "no font path");
        return NULL;
    }
    rg_font *f = calloc(1, sizeof *f);
    if (!f || !(f->path = strdup(path))) {
        free(f);
        fail(err, errlen, "out of memory");
        return NULL;
    }
    f->fd = -1;
    f->gdef = -1;
    if (open_file(f, path, err, errlen) || load_tables(f, err, errlen) ||
        parse(f, (buf){f->data, f->size}, err, errlen)) {
        rg_font_free(f);
        return NULL;
    }
    if (!f->psname[0])
        psname_from_path(f, path);
    return f;
}

/* ---- the fonts of a context ------------------------------------------ */

/* One font file as themes name it: read on first use, then kept while a
 * theme holds it, so documents and themes naming one file share one
 * reading, one HarfBuzz font and one cache of kerned words. */
struct rg_font_slot {
    char *path;
    rg_font *font;                 /* NULL until read */
    int holders;
    struct rg_font_slot *next;
};

struct rg_fonts {
    rg_font_slot *first;
};

rg_fonts *rg_fonts_new(void)
{
    return calloc(1, sizeof(rg_fonts));
}

static void slot_free(rg_font_slot *s)
{
    rg_font_free(s->font);
    free(s->path);
    free(s);
}

/* Frees every slot, held or not: the themes holding them must go first. */
void rg_fonts_free(rg_fonts *fs)
{
    if (!fs)
        return;
    for (rg_font_slot *s = fs->first, *next; s; s = next) {
        next = s->next;
        slot_free(s);
    }
    free(fs);
}

/* The slot of path (one per path), held by the caller until
 * rg_fonts_release; nothing is read yet. NULL when memory ran out. */
rg_font_slot *rg_fonts_hold(rg_fonts *fs, const char *path)
{
    for (rg_font_slot *s = fs->first; s; s = s->next)
        if (strcmp(s->path, path) == 0) {
            s->holders++;
            return s;
        }
    rg_font_slot *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path))) {
        free(s);
        return NULL;
    }
    s->holders = 1;
    s->next = fs->first;
    fs->first = s;
    return s;
}

/* Lets go of a slot from rg_fonts_hold; the last holder frees its font. */
void rg_fonts_release(rg_fonts *fs, rg_font_slot *slot)
{
    if (!slot || --slot->holders > 0)
        return;
    for (rg_font_slot **pp = &fs->first; *pp; pp = &(*pp)->next)
        if (*pp == slot) {
            *pp = slot->next;
            slot_free(slot);
            return;
        }
}

/* The slot's font, read and parsed on the first call. NULL with a reason
 * in err when it cannot be: a later call tries again (memory may have
 * come back, the file been mended). */
rg_font *rg_font_slot_font(rg_font_slot *s, char *err, size_t errlen)
{
    if (!s->font)
        s->font = rg_font_load(s->path, err, errlen);
    return s->font;
}

/* The path a slot was made for. */
const char *rg_font_slot_path(const rg_font_slot *s) { return s->path; }

/* The table tagged tag in the sfnt at b: 0 with its place, -1 when absent
 * or outside the file. */
static int find_table(buf b, const char *tag, table *t)
{
    if (b.n < 12)
        return -1;
    size_t n = u16(b.p + 4);
    if (!fits(b.n, 12, n * 16))
        return -1;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *r = b.p + 12 + 16 * i;
        if (memcmp(r, tag, 4) == 0) {
            t->off = u32(r + 8);
            t->len = u32(r + 12);
            t->found = 1;
            return fits(b.n, t->off, t->len) ? 0 : -1;
        }
    }
    return -1;
}

/* Glyph g's bytes in glyf: its length through loca, or -1 when the tables
 * do not hold it. */
static long glyph_length(buf b, table head, table loca, table glyf, unsigned g)
{
    int longf = s16(b.p + head.off + 50) != 0;
    size_t at = longf ? 4 * (size_t)g : 2 * (size_t)g, step = longf ? 4 : 2;
    if (!fits(loca.len, at, 2 * step))
        return -1;
    const uint8_t *l = b.p + loca.off + at;
    size_t from = longf ? u32(l) : 2 * (size_t)u16(l);
    size_t to = longf ? u32(l + 4) : 2 * (size_t)u16(l + 2);
    if (to < from || !fits(glyf.len, from, to - from))
        return -1;
    return (long)(to - from);
}

static long glyph_advance(buf b, table hhea, table hmtx, unsigned g)
{
    size_t nhm = u16(b.p + hhea.off + 34);
    if (nhm == 0)
        return -1;
    size_t at = 4 * (g < nhm ? g : nhm - 1);
    return fits(hmtx.len, at, 2) ? (long)u16(b.p + hmtx.off + at) : -1;
}

/* The tables a subset of the font for a PDF holds: what a TrueType
 * rasteriser needs, without hinting. */
const char *const rg_font_subset_tables[] = {"glyf", "head", "hhea", "hmtx", "loca", "maxp", NULL};
const char *const rg_font_hinting_tables[] = {"cvt ", "fpgm", "prep", NULL};

/* Checks a subset (n bytes at p, glyph ids kept) made from f for the glyphs
 * used[g] != 0 (g < rg_font_glyph_count): it holds every table of
 * rg_font_subset_tables (and the hinting ones f has, when hinting), as many glyphs as the highest used id needs, and
 * each used glyph with its advance and an outline exactly when f has one
 * (glyphs that composite glyphs use may come on top).
 * A second look at the subset before it is embedded: a table left out or
 * an outline lost is caught here. 0, or -1. */
int rg_font_check_subset(const rg_font *f, const unsigned char *p, size_t n, const uint32_t *used,
                         int hinting)
{
    buf src = {f->data, f->size}, sub = {p, n};
    table sh = {0}, sl = {0}, sg = {0}, shh = {0}, sm = {0};
    table dh = {0}, dl = {0}, dg = {0}, dhh = {0}, dm = {0}, dmaxp = {0};
    for (const char *const *t = rg_font_subset_tables; *t; t++) {
        table x = {0};
        if (find_table(sub, *t, &x) || x.len == 0)
            return -1;
    }
    for (const char *const *t = rg_font_hinting_tables; hinting && *t; t++) {
        table x = {0}, y = {0};
        if (find_table(src, *t, &x) == 0 && x.len > 0 && (find_table(sub, *t, &y) || y.len == 0))
            return -1;
    }
    if (find_table(src, "head", &sh) || find_table(src, "loca", &sl) || find_table(src, "glyf", &sg) ||
        find_table(src, "hhea", &shh) || find_table(src, "hmtx", &sm) ||
        find_table(sub, "head", &dh) || find_table(sub, "loca", &dl) || find_table(sub, "glyf", &dg) ||
        find_table(sub, "hhea", &dhh) || find_table(sub, "hmtx", &dm) || find_table(sub, "maxp", &dmaxp))
        return -1;
    if (sh.len < 54 || dh.len < 54 || shh.len < 36 || dhh.len < 36 || dmaxp.len < 6)
        return -1;
    unsigned top = 0;
    for (unsigned g = 1; g < f->nglyphs; g++)
        if (used[g])
            top = g;
    if (u16(sub.p + dmaxp.off + 4) <= top) /* components may lie above */
        return -1;
    for (unsigned g = 1; g <= top; g++) { /* .notdef's outline is dropped */
        if (!used[g])
            continue;
        long a = glyph_length(src, sh, sl, sg, g), b = glyph_length(sub, dh, dl, dg, g);
        if (a < 0 || b < 0 || (a > 0) != (b > 0))
            return -1;
        if (glyph_advance(src, shh, sm, g) != glyph_advance(sub, dhh, dm, g))
            return -1;
    }
    return 0;
}

/* Where f's glyph outlines lie: loca and glyf (glyf's offset in the file
 * in *at) and loca's format. -1 when the font lacks them (the subset then
 * finds it damaged). */
typedef struct glyph_tables {
    rg_span loca, glyf;
    size_t at;
    int long_loca;
} glyph_tables;

static int find_glyphs(const rg_font *f, glyph_tables *g)
{
    buf b = {f->data, f->size};
    table head = {0}, loca = {0}, glyf = {0};
    if (find_table(b, "glyf", &glyf) || find_table(b, "loca", &loca) || find_table(b, "head", &head) ||
        head.len < 54)
        return -1;
    *g = (glyph_tables){{f->data + loca.off, loca.len}, {f->data + glyf.off, glyf.len}, glyf.off,
                        u16(f->data + head.off + 50) != 0};
    return 0;
}

/* Reads the outlines of the glyphs queued (queue[0..nq), kept[] set) and
 * of their components, at any depth, as rg_ttf_subset finds them. */
static int load_glyphs(rg_font *f, unsigned char *keep, unsigned *queue, unsigned nq, char *err, size_t errlen)
{
    glyph_tables gt;
    if (find_glyphs(f, &gt))
        return 0; /* nothing to read: the subset finds the font damaged */
    rg_span sl = gt.loca, sg = gt.glyf;
    int long_loca = gt.long_loca;
    size_t np = (f->size + FPAGE - 1) / FPAGE;
    unsigned char *want = calloc(np, 1);
    if (!want)
        return fail(err, errlen, "out of memory");
    unsigned done = 0;
    int rc = 0;
    while (done < nq && rc == 0) { /* one round per level of components */
        unsigned to = nq;
        size_t off, len;
        memset(want, 0, np);
        for (unsigned i = done; i < to; i++)
            if (rg_ttf_glyph_at(sl, sg, long_loca, f->nglyphs, queue[i], &off, &len) == 0)
                want_range(want, gt.at + off, len);
        rc = read_pages(f, want, err, errlen);
        for (unsigned i = done; i < to && rc == 0; i++) {
            int instr;
            if (rg_ttf_glyph_at(sl, sg, long_loca, f->nglyphs, queue[i], &off, &len) == 0 && len >= 10 &&
                s16(sg.p + off) < 0)
                (void)rg_ttf_components(sg.p + off, len, keep, f->nglyphs, &instr, queue, &nq);
        }
        done = to;
    }
    free(want);
    return rc;
}

/* Is glyph gid's outline read, and a simple glyph (no components)? */
static int simple_and_read(const rg_font *f, unsigned gid)
{
    glyph_tables gt;
    size_t off, len;
    if (find_glyphs(f, &gt) || rg_ttf_glyph_at(gt.loca, gt.glyf, gt.long_loca, f->nglyphs, gid, &off, &len))
        return 0;
    for (size_t p = (gt.at + off) / FPAGE; len && p <= (gt.at + off + len - 1) / FPAGE; p++)
        if (!f->loaded[p])
            return 0;
    return len < 10 || s16(gt.glyf.p + off) >= 0;
}

/* rg_font_glyphs and rg_font_need_glyph: one glyph (gid), or the used ones. */
static int need(const rg_font *cf, const uint32_t *used, unsigned nused, unsigned gid, char *err, size_t errlen)
{
    rg_font *f = (rg_font *)cf; /* pages are read on first use */
    if (f->broken)
        return fail(err, errlen, "%s", f->broken);
    if (!used && simple_and_read(f, gid))
        return 0;
    unsigned n = f->nglyphs;
    unsigned char *keep = calloc(n, 1);
    unsigned *queue = malloc(n * sizeof *queue);
    if (!keep || !queue) {
        free(keep);
        free(queue);
        return fail(err, errlen, "out of memory");
    }
    unsigned nq = 0;
    keep[0] = 1;
    queue[nq++] = 0;
    for (unsigned g = 1; g < n && g < nused; g++)
        if (used[g]) {
            keep[g] = 1;
            queue[nq++] = g;
        }
    if (!used && gid < n && !keep[gid]) {
        keep[gid] = 1;
        queue[nq++] = gid;
    }
    int rc = load_glyphs(f, keep, queue, nq, err, errlen);
    free(keep);
    free(queue);
    return rc;
}

int rg_font_glyphs(const rg_font *f, const uint32_t *used, unsigned nused, char *err, size_t errlen)
{
    return need(f, used, nused, 0, err, errlen);
}

int rg_font_need_glyph(const rg_font *f, unsigned gid, char *err, size_t errlen)
{
    return need(f, NULL, 0, gid, err, errlen);
}

/* A table of f for HarfBuzz, from the bytes read at load. Not glyf: its
 * pages are read only as documents show glyphs, and shaping does not need
 * it, so HarfBuzz sees none rather than a part. NULL: an empty table. */
static hb_blob_t *hb_table(hb_face_t *face, hb_tag_t tag, void *user)
{
    (void)face;
    const rg_font *f = user;
    char t[5] = {(char)(tag >> 24), (char)(tag >> 16), (char)(tag >> 8), (char)tag, 0};
    table x = {0};
    if (tag == HB_TAG('g', 'l', 'y', 'f') || find_table((buf){f->data, f->size}, t, &x))
        return NULL;
    return hb_blob_create_or_fail((const char *)f->data + x.off, (unsigned)x.len, HB_MEMORY_MODE_READONLY, NULL,
                                  NULL);
}

/* A HarfBuzz font over f's tables, scaled to font units; NULL when memory
 * ran out. */
static hb_font_t *hb_open(const rg_font *f)
{
    hb_face_t *face = hb_face_create_for_tables(hb_table, (void *)f, NULL);
    if (!face || face == hb_face_get_empty())
        return NULL;
    hb_font_t *font = hb_font_create(face);
    hb_face_destroy(face);
    if (font == hb_font_get_empty())
        return NULL;
    hb_font_set_scale(font, (int)f->upem, (int)f->upem);
    return font;
}

/* Makes f's HarfBuzz font with its tables loaded and checked now:
 * HarfBuzz loads cmap, hmtx and GPOS on first use and, when an allocation
 * fails there, goes on for good as if the font lacked them. So an ENOMEM
 * left by the C library means memory ran out; otherwise a glyph or
 * advance that differs from ours, or a GPOS table HarfBuzz does not take,
 * is tried once more with a new face and then taken for a damaged font,
 * set without kerning. 0, or -1 when memory ran out. */
static int hb_ready(rg_font *f)
{
    if (f->hb_state)
        return 0;
    errno = 0;
    buf b = {f->data, f->size};
    table hmtx = {0}, hhea = {0}, gpos = {0};
    if (find_table(b, "hmtx", &hmtx) || find_table(b, "hhea", &hhea))
        return -1; /* parse() found them: cannot happen */
    int has_gpos = find_table(b, "GPOS", &gpos) == 0 && gpos.len > 0;
    for (int attempt = 0; attempt < 2; attempt++) {
        hb_font_t *font = hb_open(f);
        if (!font)
            return -1;
        /* The first character of the font's cmap among these. */
        static const uint32_t probe[] = {'a', 'A', '0', ' ', 0x410, 0x3B1};
        int agree = 1;
        for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++) {
            unsigned ours = rg_font_glyph(f, probe[i]);
            if (!ours)
                continue;
            hb_codepoint_t g = 0;
            long adv = glyph_advance(b, hhea, hmtx, ours);
            agree = hb_font_get_nominal_glyph(font, probe[i], &g) && g == ours &&
                    hb_font_get_glyph_h_advance(font, g) == adv;
            break;
        }
        int gpos_ok = !has_gpos || hb_ot_layout_has_positioning(hb_font_get_face(font));
        if (errno == ENOMEM) {
            hb_font_destroy(font);
            return -1;
        }
        if (agree && gpos_ok) {
            /* Not the process's locale (HarfBuzz's default): the same
             * text gives the same bytes whatever LANG says. */
            f->lang = hb_language_from_string("und", 3);
            if (f->lang == HB_LANGUAGE_INVALID || errno == ENOMEM) {
                hb_font_destroy(font);
                return -1;
            }
            f->hb = font;
            f->hb_state = 1;
            return 0;
        }
        hb_font_destroy(font);
    }
    f->hb_state = 2;
    return 0;
}

/* Shaping of n code points set together in f (a run of one style), word
 * by word (spaces are not kerned): gid[i] is the glyph drawn for the
 * characters from cp[i] on, 0 for a character an earlier glyph already
 * shows (the 'i' of an "fi" ligature), and kern[i] what is added to cp[i]'s
 * own advance, in font units, so that the advances of a glyph's characters
 * add up to what HarfBuzz moves the pen by after it. The font's kerning is
 * on, contextual alternates off, standard ligatures only when liga is set;
 * a word HarfBuzz shapes otherwise than into the characters' own glyphs
 * (or, with liga, ligatures of them) is set with its own glyphs and no
 * kerning. 0, or -1 when memory ran out. Not thread-safe for one font (f
 * keeps HarfBuzz's font and the words shaped so far). */
static int shape_word(rg_font *f, const uint32_t *cp, size_t n, int liga, unsigned *gid, int *kern);

/* Each character its own glyph, unkerned. */
static void own_glyphs(const rg_font *f, const uint32_t *cp, size_t n, unsigned *gid, int *kern)
{
    for (size_t i = 0; i < n; i++) {
        gid[i] = rg_font_glyph(f, cp[i]);
        kern[i] = 0;
    }
}

int rg_font_shape(const rg_font *cf, const uint32_t *cp, size_t n, int liga, unsigned *gid, int *kern)
{
    rg_font *f = (rg_font *)cf; /* the HarfBuzz font is made on first use */
    int shaping = n > 1;
    if (shaping && hb_ready(f))
        return -1;
    shaping = shaping && f->hb_state == 1;
    /* Word by word: a space is never kerned, so a line that ends at a
     * space measures what is drawn, however the text is cut into runs. */
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && cp[j] != ' ' && cp[j] != 0xA0)
            j++;
        if (shaping && j - i > 1) {
            if (shape_word(f, cp + i, j - i, liga, gid + i, kern + i))
                return -1;
        } else {
            own_glyphs(f, cp + i, j - i, gid + i, kern + i);
        }
        if (j < n)
            own_glyphs(f, cp + j, 1, gid + j, kern + j); /* the space */
        i = j + 1;
    }
    return 0;
}

int rg_font_kern(const rg_font *f, const uint32_t *cp, size_t n, int *kern)
{
    unsigned *gid = n ? malloc(n * sizeof *gid) : NULL;
    if (n && !gid)
        return -1;
    int rc = rg_font_shape(f, cp, n, 0, gid, kern);
    free(gid);
    return rc;
}

/* One word (n >= 2 code points, no space) shaped by HarfBuzz. */
static int hb_word(rg_font *f, const uint32_t *cp, size_t n, int liga, unsigned *gid, int *kern);

static uint32_t word_hash(const uint32_t *cp, size_t n, int liga)
{
    uint32_t h = 2166136261u ^ (uint32_t)liga;
    for (size_t i = 0; i < n; i++)
        h = (h ^ cp[i]) * 16777619u;
    return h;
}

/* hb_word through the cache. A cache that cannot grow (memory) is only
 * slower: the word is shaped again next time. */
static int direct_word(rg_font *f, const uint32_t *cp, size_t n, int liga, unsigned *gid, int *kern);

static int shape_word(rg_font *f, const uint32_t *cp, size_t n, int liga, unsigned *gid, int *kern)
{
    int direct = direct_word(f, cp, n, liga, gid, kern);
    if (direct)
        return direct > 0 ? 0 : -1;
    if (n > KCACHE_WORD)
        return hb_word(f, cp, n, liga, gid, kern);
    uint32_t h = word_hash(cp, n, liga);
    size_t slot = h % KCACHE;
    if (f->kcache)
        for (size_t i = 0; i < KCACHE_PROBE; i++) {
            const struct kword *w = f->kcache[(slot + i) % KCACHE];
            if (w && w->hash == h && w->n == n && w->liga == liga && memcmp(w->cp, cp, n * sizeof *cp) == 0) {
                memcpy(kern, w->kern, n * sizeof *kern);
                memcpy(gid, w->gid, n * sizeof *gid);
                return 0;
            }
        }
    if (hb_word(f, cp, n, liga, gid, kern))
        return -1;
    if (!f->kcache)
        f->kcache = calloc(KCACHE, sizeof *f->kcache);
    struct kword *w = f->kcache ? malloc(sizeof *w) : NULL;
    if (!w)
        return 0;
    w->hash = h;
    w->n = (unsigned)n;
    w->liga = liga;
    memcpy(w->cp, cp, n * sizeof *cp);
    memcpy(w->kern, kern, n * sizeof *kern);
    memcpy(w->gid, gid, n * sizeof *gid);
    size_t at = slot;
    for (size_t i = 0; i < KCACHE_PROBE; i++)
        if (!f->kcache[(slot + i) % KCACHE]) {
            at = (slot + i) % KCACHE;
            break;
        }
    free(f->kcache[at]);
    f->kcache[at] = w;
    return 0;
}

/* Reads HarfBuzz's glyphs for the word into gid and kern (see
 * rg_font_shape): 1 when they are the characters' own glyphs, each
 * possibly with the characters after it in its cluster (a ligature, when
 * liga), in order and moved along the line only; 0 otherwise (gid and kern
 * are then partly written). A glyph after the first that HarfBuzz moves
 * by x_offset (as it sets a kern table's pair, half on each side) is
 * drawn there and the pen goes on from where it would: the glyph before
 * it takes the offset as kerning, and the glyph's own kerning gives it
 * back. */
static int hb_read(rg_font *f, hb_buffer_t *hb, const uint32_t *cp, size_t n, int liga, unsigned *gid,
                   int *kern)
{
    unsigned len = 0;
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(hb, &len);
    const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(hb, NULL);
    if (!liga) { /* one glyph a character, each its own */
        if (len != n)
            return 0;
        for (unsigned i = 0; i < len; i++)
            if (info[i].cluster != i || info[i].codepoint != rg_font_glyph(f, cp[i]) ||
                (i == 0 && pos[i].x_offset) || pos[i].y_offset)
                return 0;
        for (unsigned i = 0; i < len; i++) {
            gid[i] = info[i].codepoint;
            kern[i] = (int)((long)pos[i].x_advance - (long)hb_font_get_glyph_h_advance(f->hb, info[i].codepoint));
            if (i > 0) {
                kern[i - 1] += pos[i].x_offset;
                kern[i] -= pos[i].x_offset;
            }
        }
        return 1;
    }
    size_t before = 0; /* the first character of the glyph before */
    for (unsigned j = 0; j < len; j++) {
        size_t c = info[j].cluster, end = j + 1 < len ? info[j + 1].cluster : n;
        if (c >= end || end > n || (j == 0 && (c != 0 || pos[j].x_offset)) || pos[j].y_offset)
            return 0; /* out of order, two glyphs for one character, or moved off the line */
        if (end - c == 1 && info[j].codepoint != rg_font_glyph(f, cp[c]))
            return 0; /* a character drawn with another glyph than its own */
        gid[c] = info[j].codepoint;
        kern[c] = (int)((long)pos[j].x_advance - (long)rg_font_units(f, cp[c]));
        if (j > 0) {
            kern[before] += pos[j].x_offset;
            kern[c] -= pos[j].x_offset;
        }
        for (size_t k = c + 1; k < end; k++) {
            gid[k] = 0;
            kern[k] = -(int)rg_font_units(f, cp[k]);
        }
        before = c;
    }
    return 1;
}

static int hb_word(rg_font *f, const uint32_t *cp, size_t n, int liga, unsigned *gid, int *kern)
{
    /* Some allocations that fail inside hb_shape (its plan, its feature
     * map) leave no trace but the C library's ENOMEM: they are caught so. */
    errno = 0;
    /* One buffer a font, emptied for each word (a word is shaped when
     * first seen, which is thousands of times a document). */
    hb_buffer_t *hb = f->buf ? f->buf : hb_buffer_create();
    f->buf = NULL;
    hb_buffer_reset(hb);
    hb_buffer_add_codepoints(hb, cp, (int)n, 0, (int)n);
    hb_buffer_set_language(hb, f->lang);
    hb_buffer_guess_segment_properties(hb);
    hb_buffer_set_direction(hb, HB_DIRECTION_LTR);
    /* Clusters of characters, not of graphemes: a ligature's cluster is
     * the characters it shows. */
    if (liga)
        hb_buffer_set_cluster_level(hb, HB_BUFFER_CLUSTER_LEVEL_MONOTONE_CHARACTERS);
    hb_feature_t features[] = {
        {HB_TAG('k', 'e', 'r', 'n'), 1, 0, (unsigned)-1},
        {HB_TAG('l', 'i', 'g', 'a'), liga ? 1u : 0u, 0, (unsigned)-1},
        {HB_TAG('c', 'l', 'i', 'g'), 0, 0, (unsigned)-1},
        {HB_TAG('c', 'a', 'l', 't'), 0, 0, (unsigned)-1},
    };
    unsigned nf = sizeof features / sizeof features[0];
    int ok = hb_buffer_allocation_successful(hb);
    /* What hb_shape_full does, with the plan kept: HarfBuzz looks one up
     * in the face's cache for every call otherwise (a word is shaped when
     * first seen, thousands of times a document). A plan is for one set of
     * segment properties: a word in another script gets its own. */
    hb_segment_properties_t props;
    hb_buffer_get_segment_properties(hb, &props);
    int l = liga != 0, at = 0;
    while (at < PLANS && f->plans[l][at].plan && !hb_segment_properties_equal(&props, &f->plans[l][at].props))
        at++;
    if (ok && (at == PLANS || !f->plans[l][at].plan)) {
        hb_shape_plan_t *plan =
            hb_shape_plan_create_cached2(hb_font_get_face(f->hb), &props, features, nf, NULL, 0, NULL);
        if (plan == hb_shape_plan_get_empty()) {
            ok = 0;
        } else {
            if (at == PLANS)
                at = (int)(f->next_plan[l]++ % PLANS);
            hb_shape_plan_destroy(f->plans[l][at].plan);
            rg_otkern_free(f->plans[l][at].kern);
            f->plans[l][at].kern = NULL;
            f->plans[l][at].kern_state = 0;
            f->plans[l][at].plan = plan;
            f->plans[l][at].props = props;
        }
    }
    ok = ok && hb_shape_plan_execute(f->plans[l][at].plan, f->hb, hb, features, nf) &&
         hb_buffer_allocation_successful(hb) && errno != ENOMEM;
    if (!ok) {
        hb_buffer_destroy(hb);
        return -1;
    }
    if (!hb_read(f, hb, cp, n, liga, gid, kern))
        own_glyphs(f, cp, n, gid, kern);
    f->buf = hb;
    return 0;
}

void rg_font_set_direct_kerning(rg_font *f, int on) { f->direct_off = !on; }

unsigned long rg_font_direct_words(const rg_font *f) { return f->direct_words; }

static int glyph_is_mark(unsigned g, void *face)
{
    return hb_ot_layout_get_glyph_class(face, g) == HB_OT_LAYOUT_GLYPH_CLASS_MARK;
}

/* Can glyph g be one of a plain word's? Only when a BMP character other
 * than a mark maps to it (f->reach, made on first use). */
static int glyph_never(unsigned g, void *font)
{
    const rg_font *f = font;
    return g >= f->nglyphs || !(f->reach[g >> 3] & (1u << (g & 7)));
}

static int reach_read(rg_font *f)
{
    if (f->reach)
        return 0;
    if (!(f->reach = calloc((size_t)f->nglyphs / 8 + 1, 1)))
        return -1;
    hb_unicode_funcs_t *u = hb_unicode_funcs_get_default();
    for (unsigned hi = 0; hi < 256; hi++)
        for (unsigned lo = 0; f->page[hi] && lo < 256; lo++) {
            unsigned g = f->page[hi][lo], cp = hi << 8 | lo;
            if (!g || g >= f->nglyphs)
                continue;
            hb_unicode_general_category_t c = hb_unicode_general_category(u, cp);
            if (c != HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK && c != HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK &&
                c != HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK)
                f->reach[g >> 3] |= (uint8_t)(1u << (g & 7));
        }
    return 0;
}

/* Is cp a plain character in f: one HarfBuzz maps to our glyph for it and
 * leaves alone but for kerning (not a mark by Unicode or by GDEF, not a
 * format, control or space character, not the fraction slash whose
 * neighbours take the fraction features), of the Latin or Common script?
 * 1 no, 2 Common, 3 Latin; 0 when memory ran out. */
static int plain_char(rg_font *f, uint32_t cp)
{
    if (cp > 0xFFFF)
        return 1;
    uint8_t **pg = &f->plain[cp >> 8];
    if (!*pg && !(*pg = calloc(256, 1)))
        return 0;
    uint8_t *v = &(*pg)[cp & 255];
    if (*v)
        return *v;
    unsigned g = rg_font_glyph(f, cp);
    hb_codepoint_t hg = 0;
    hb_unicode_funcs_t *u = hb_unicode_funcs_get_default();
    int plain = g && cp != 0x2044 && hb_font_get_nominal_glyph(f->hb, cp, &hg) && hg == g;
    switch (plain ? hb_unicode_general_category(u, cp) : HB_UNICODE_GENERAL_CATEGORY_CONTROL) {
    case HB_UNICODE_GENERAL_CATEGORY_CONTROL:
    case HB_UNICODE_GENERAL_CATEGORY_FORMAT:
    case HB_UNICODE_GENERAL_CATEGORY_UNASSIGNED:
    case HB_UNICODE_GENERAL_CATEGORY_PRIVATE_USE:
    case HB_UNICODE_GENERAL_CATEGORY_SURROGATE:
    case HB_UNICODE_GENERAL_CATEGORY_SPACING_MARK:
    case HB_UNICODE_GENERAL_CATEGORY_ENCLOSING_MARK:
    case HB_UNICODE_GENERAL_CATEGORY_NON_SPACING_MARK:
    case HB_UNICODE_GENERAL_CATEGORY_LINE_SEPARATOR:
    case HB_UNICODE_GENERAL_CATEGORY_PARAGRAPH_SEPARATOR:
    case HB_UNICODE_GENERAL_CATEGORY_SPACE_SEPARATOR:
        plain = 0;
        break;
    default:
        break;
    }
    hb_script_t sc = plain ? hb_unicode_script(u, cp) : HB_SCRIPT_UNKNOWN;
    if (sc != HB_SCRIPT_LATIN && sc != HB_SCRIPT_COMMON)
        plain = 0;
    if (f->gdef < 0) {
        table t = {0};
        f->gdef = find_table((buf){f->data, f->size}, "GDEF", &t) == 0;
    }
    /* Without GDEF HarfBuzz takes a mark for one by Unicode: excluded above. */
    if (plain && f->gdef && glyph_is_mark(g, hb_font_get_face(f->hb)))
        plain = 0;
    *v = (uint8_t)(!plain ? 1 : sc == HB_SCRIPT_LATIN ? 3 : 2);
    return *v;
}

/* The segment properties hb_word gives a word of plain characters: with
 * a Latin letter, and of Common ones only (digits, punctuation). 0 or -1. */
static int word_props(rg_font *f)
{
    if (f->word_props_ready)
        return 0;
    hb_buffer_t *hb = hb_buffer_create();
    static const uint32_t probe[2] = {'0', 'a'};
    for (int i = 0; i < 2; i++) {
        hb_buffer_reset(hb);
        hb_buffer_add_codepoints(hb, &probe[i], 1, 0, 1);
        hb_buffer_set_language(hb, f->lang);
        hb_buffer_guess_segment_properties(hb);
        hb_buffer_set_direction(hb, HB_DIRECTION_LTR);
        hb_buffer_get_segment_properties(hb, &f->word_props[i]);
    }
    int ok = hb_buffer_allocation_successful(hb);
    hb_buffer_destroy(hb);
    if (!ok)
        return -1;
    f->word_props_ready = 1;
    return 0;
}

/* The lookups of a table in a set (hb_set_t) as an array. NULL when memory
 * ran out (or the set holds none: *n 0). */
static unsigned *set_array(hb_set_t *set, size_t *n)
{
    *n = hb_set_get_population(set);
    unsigned *a = *n ? malloc(*n * sizeof *a) : NULL;
    size_t i = 0;
    for (hb_codepoint_t x = HB_SET_VALUE_INVALID; a && hb_set_next(set, &x) && i < *n;)
        a[i++] = x;
    return a;
}

/* Does HarfBuzz find GPOS's kern feature for a plan of these properties?
 * The script and language system it picks, as hb_ot_map_builder_t does;
 * without it, HarfBuzz kerns with a kern table as well. */
static int kern_in_plan(hb_face_t *face, const hb_segment_properties_t *props)
{
    unsigned sc = 3, lc = 3, si = 0, li = 0, fi = 0;
    hb_tag_t st[3], lt[3], chosen = 0;
    hb_ot_tags_from_script_and_language(props->script, props->language, &sc, st, &lc, lt);
    hb_ot_layout_table_select_script(face, HB_OT_TAG_GPOS, sc, st, &si, &chosen);
    hb_ot_layout_script_select_language(face, HB_OT_TAG_GPOS, si, lc, lt, &li);
    return hb_ot_layout_language_find_feature(face, HB_OT_TAG_GPOS, si, li, HB_TAG('k', 'e', 'r', 'n'), &fi);
}

/* Reads plan slot l, at for otkern.c. 0 (kern_state 1 or -1), or -1 when
 * memory ran out. */
static int kern_read(rg_font *f, int l, int at)
{
    hb_face_t *face = hb_font_get_face(f->hb);
    buf b = {f->data, f->size};
    table gsub = {0}, gpos = {0}, x = {0};
    int gsub_ok = find_table(b, "GSUB", &gsub) == 0, gpos_ok = find_table(b, "GPOS", &gpos) == 0;
    /* HarfBuzz kerns with GPOS when the plan's script and language have a
     * kern feature there, else with a kern table too, or with AAT's
     * tables: those words stay with it. */
    static const char *const aat[] = {"morx", "mort", "kerx", "trak"};
    table kt = {0};
    int usable = gpos_ok && (find_table(b, "kern", &kt) != 0 && !kt.found ? 1
                                                                          : kern_in_plan(face, &f->plans[l][at].props));
    for (size_t i = 0; usable && i < sizeof aat / sizeof aat[0]; i++)
        usable = find_table(b, aat[i], &x) != 0 && !x.found;
    if (!usable) {
        f->plans[l][at].kern_state = -1;
        return errno == ENOMEM ? -1 : 0;
    }
    hb_set_t *sub = hb_set_create(), *pos = hb_set_create();
    hb_ot_shape_plan_collect_lookups(f->plans[l][at].plan, HB_OT_TAG_GSUB, sub);
    hb_ot_shape_plan_collect_lookups(f->plans[l][at].plan, HB_OT_TAG_GPOS, pos);
    size_t nsub = 0, npos = 0;
    unsigned *asub = NULL, *apos = NULL;
    int ok = hb_set_allocation_successful(sub) && hb_set_allocation_successful(pos);
    if (ok) {
        asub = set_array(sub, &nsub);
        apos = set_array(pos, &npos);
        ok = (asub || !nsub) && (apos || !npos);
    }
    rg_otkern *k = NULL;
    for (int ol = 0; ok && npos && !k && ol < 2; ol++) /* another plan with the same lookups */
        for (int oa = 0; !k && oa < PLANS; oa++)
            if (f->plans[ol][oa].kern && rg_otkern_same(f->plans[ol][oa].kern, asub, nsub, apos, npos))
                k = rg_otkern_share(f->plans[ol][oa].kern);
    if (ok && npos && !k) /* none: not HarfBuzz's OpenType shaper after all */
        ok = reach_read(f) == 0 &&
             (k = rg_otkern_new(gsub_ok ? f->data + gsub.off : NULL, gsub.len, f->data + gpos.off, gpos.len, asub,
                                nsub, apos, npos, f->nglyphs, glyph_never, f)) != NULL;
    free(asub);
    free(apos);
    hb_set_destroy(sub);
    hb_set_destroy(pos);
    if (!ok || errno == ENOMEM) {
        rg_otkern_free(k);
        return -1;
    }
    f->plans[l][at].kern = k;
    f->plans[l][at].kern_state = rg_otkern_usable(k) ? 1 : -1;
    return 0;
}

/* A word of plain characters (plain_char) whose glyphs no lookup of its
 * plan but pair kerning starts at: its own glyphs, kerned pair by pair
 * from GPOS (otkern.c), as HarfBuzz would set it. 1 when set so, 0 when it
 * is HarfBuzz's to shape (or its plan is not made yet), -1 when memory
 * ran out. */
static int direct_word(rg_font *f, const uint32_t *cp, size_t n, int liga, unsigned *gid, int *kern)
{
    if (f->direct_off)
        return 0;
    errno = 0;
    int latin = 0;
    for (size_t i = 0; i < n; i++) {
        int c = plain_char(f, cp[i]);
        if (c == 0 || errno == ENOMEM)
            return -1;
        if (c == 1)
            return 0;
        latin |= c == 3;
    }
    if (word_props(f) != 0)
        return -1;
    int l = liga != 0, at = 0;
    while (at < PLANS && !(f->plans[l][at].plan && hb_segment_properties_equal(&f->word_props[latin],
                                                                               &f->plans[l][at].props)))
        at++;
    if (at == PLANS)
        return 0;
    if (f->plans[l][at].kern_state == 0 && kern_read(f, l, at) != 0)
        return -1;
    rg_otkern *k = f->plans[l][at].kern;
    if (f->plans[l][at].kern_state < 0)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!rg_otkern_plain(k, gid[i] = rg_font_glyph(f, cp[i])))
            return 0;
    for (size_t i = 0; i < n; i++)
        kern[i] = i + 1 < n ? rg_otkern_pair(k, gid[i], gid[i + 1]) : 0;
    f->direct_words++;
    return 1;
}

/* Frees a font from rg_font_load; NULL is allowed. Strings returned by
 * rg_font_psname and rg_font_path die with it. */
void rg_font_free(rg_font *f)
{
    if (!f)
        return;
    for (int i = 0; i < 256; i++)
        free(f->page[i]);
    free(f->width);
    free(f->units);
    free(f->groups);
    free(f->path);
    if (f->hb)
        hb_font_destroy(f->hb);
    hb_buffer_destroy(f->buf);
    for (int l = 0; l < 2; l++)
        for (int i = 0; i < PLANS; i++) {
            hb_shape_plan_destroy(f->plans[l][i].plan);
            rg_otkern_free(f->plans[l][i].kern);
        }
    for (int i = 0; i < 256; i++)
        free(f->plain[i]);
    free(f->reach);
    for (size_t i = 0; f->kcache && i < KCACHE; i++)
        free(f->kcache[i]);
    free(f->kcache);
    if (f->data)
        munmap(f->data, f->size);
    if (f->fd >= 0)
        close(f->fd);
    free(f->loaded);
    free(f->broken);
    free(f);
}

/* The font file's bytes as they were measured (owned by f): the PDF embeds
 * a subset of these; glyph outlines once rg_font_glyphs has read them. */
const unsigned char *rg_font_data(const rg_font *f, size_t *size)
{
    *size = f->size;
    return f->data;
}

/* Glyph id for code point cp, 0 when the font has no glyph for it (this
 * includes surrogates and values past U+10FFFF). Constant time in the BMP. */
unsigned rg_font_glyph(const rg_font *f, uint32_t cp)
{
    if (cp <= 0xFFFF) {
        const uint16_t *pg = f->page[cp >> 8];
        return pg ? pg[cp & 255] : 0;
    }
    size_t lo = 0, hi = f->ngroups;
    while (lo < hi) { /* first group whose end is >= cp */
        size_t mid = lo + (hi - lo) / 2;
        if (f->groups[mid].end < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == f->ngroups || f->groups[lo].start > cp)
        return 0;
    uint32_t gid = f->groups[lo].gid + (cp - f->groups[lo].start);
    return gid < f->nglyphs ? gid : 0;
}

/* Advance of cp in 1/1000 em, the number libharu writes into the PDF's
 * widths for the same glyph; 0 when the font lacks cp (libharu would draw
 * and measure .notdef instead: callers must not send such code points). */
int rg_font_advance(const rg_font *f, uint32_t cp)
{
    unsigned gid = rg_font_glyph(f, cp);
    return gid ? f->width[gid] : 0;
}

/* Advance of glyph gid in font units; 0 past the last glyph. */
unsigned rg_font_glyph_units(const rg_font *f, unsigned gid)
{
    return gid < f->nglyphs ? f->units[gid] : 0;
}

/* Advance of cp in font units (what the layout measures, exactly); 0 when
 * the font lacks cp. */
unsigned rg_font_units(const rg_font *f, uint32_t cp)
{
    unsigned gid = rg_font_glyph(f, cp);
    return gid ? f->units[gid] : 0;
}

/* unitsPerEm. */
unsigned rg_font_upem(const rg_font *f) { return f->upem; }

/* How many glyphs the font has (maxp numGlyphs). */
unsigned rg_font_glyph_count(const rg_font *f) { return f->nglyphs; }

/* The FontDescriptor's numbers, 1/1000 em (ItalicAngle: 1/1000 degree). */
const rg_font_desc *rg_font_descriptor(const rg_font *f) { return &f->desc; }

/* hhea ascender, 1/1000 em (positive for any sane font). */
int rg_font_ascent(const rg_font *f) { return f->ascent; }

/* hhea descender, 1/1000 em (negative below the baseline). */
int rg_font_descent(const rg_font *f) { return f->descent; }

/* OS/2 sCapHeight (version 2 and later), 1/1000 em; 700 when absent. */
int rg_font_cap_height(const rg_font *f) { return f->cap_height; }

/* PostScript name (nameID 6, printable ASCII), else the file's base name
 * without its extension. Owned by f. */
const char *rg_font_psname(const rg_font *f) { return f->psname; }

/* The path given to rg_font_load (a copy owned by f). */
const char *rg_font_path(const rg_font *f) { return f->path; }
