/* The PDF painter: a page list through libharu 2.3.0 into a block of memory.
 *
 * Why it looks the way it does (see DESIGN.md section 5):
 * - Fonts are ours, not libharu's (which keeps every glyph's metrics in
 *   its "subset", writes a ToUnicode Ghostscript misreads and gives one tag
 *   to two fonts): one Type0 font per font file, Identity-H codes that are
 *   glyph ids, written through libharu's object API after the last page,
 *   with a subset (subset.c) of exactly the glyphs shown (embed_face). Text
 *   is shown as glyph ids in TJ arrays, at the widths font.c measured and
 *   with the kerning the layout measured (rg_font_kern) as adjustments.
 * - Info strings: libharu writes them byte for byte, so non-ASCII ones go
 *   in as UTF-16BE (with BOM) hex strings, which cover every character.
 * - The PDF is handed back in memory; the caller (context.c) writes it
 *   whole or not at all, so nothing here, a crash included, touches a file.
 * - libharu allocates through reserve.c: a failure it survived is still
 *   "out of memory", and so is whatever it reports after one.
 * - libharu reports errors through a callback and keeps them (sticky); we
 *   record the first one and stop painting there. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hpdf.h>
#include <hpdf_pages.h>
#include <hpdf_utils.h>
#include <libdeflate.h>

#include "pdf_save.h"
#include "rg.h"

#define NFACE ((int)(sizeof(((rg_theme *)0)->face) / sizeof(((rg_theme *)0)->face[0])))

typedef struct pdf_face {
    const rg_font *font;   /* NULL until a text run uses the face */
    HPDF_Dict type0;       /* its Type0 font: made on first use, filled in by embed_face */
    uint32_t *uni;         /* per glyph id: the character it shows (0: not shown) */
    unsigned nglyphs;
    int index;             /* the face's index in the theme */
    int hinting;           /* the subset keeps the hinting */
    struct pdf_face *same; /* the record of an earlier face with the same file, or NULL */
    struct pdf_lig *ligs;  /* the ligature glyphs shown, with their characters */
} pdf_face;

/* A ligature glyph and the characters it was shown for ("fi"): its
 * ToUnicode entry gives them all, so the text extracts letter by letter. */
typedef struct pdf_lig {
    unsigned gid;
    size_t n;
    struct pdf_lig *next;
    uint32_t cp[];
} pdf_lig;

/* libharu's allocations go through reserve.c (rg_paint_pdf checks its count). */
/* libharu's allocations: thousands of small objects a document (a
 * tagged annual report's dictionaries, arrays, names and numbers), made
 * and freed one at a time, were 7% of its time in the C library's malloc
 * and free. Blocks up to 512 bytes come from 64 kB chunks and go back to a
 * free list of their size (16-byte steps; a header of 16 keeps the
 * alignment); larger ones are the C library's. The lists are the thread's
 * (a document is painted on one thread), and the chunks go back to the C
 * library when the thread's last block is freed (the writer, when the
 * context is), so nothing is left at exit. Chunks come through
 * rg_lib_malloc, as every libharu allocation did. Not under
 * AddressSanitizer, which checks each block only when it is malloc's. */
#if defined(__SANITIZE_ADDRESS__)
#define HPDF_POOL 0
#else
#define HPDF_POOL 1
#endif
#define POOL_STEP 16
#define POOL_MAX 512
#define POOL_CHUNK 65536
typedef union pool_head {
    struct { size_t cls; union pool_head *next; } h; /* cls: size / 16, or 0 for malloc's */
    max_align_t align;
} pool_head;
typedef struct pool_chunk { struct pool_chunk *next; size_t used; max_align_t data[]; } pool_chunk;
static _Thread_local struct {
    pool_head *free[POOL_MAX / POOL_STEP + 1];
    pool_chunk *chunks;
    size_t live;
} pool;

static void pool_release(void)
{
    for (pool_chunk *c = pool.chunks, *next; c; c = next) {
        next = c->next;
        rg_lib_free(c);
    }
    memset(&pool, 0, sizeof pool);
}

void *rg_hpdf_alloc(unsigned n)
{
    size_t cls = ((size_t)n + POOL_STEP - 1) / POOL_STEP;
    pool_head *b = NULL;
    if (!HPDF_POOL || n == 0 || n > POOL_MAX) {
        b = rg_lib_malloc(sizeof *b + n);
        cls = 0;
    } else if (pool.free[cls]) {
        b = pool.free[cls];
        pool.free[cls] = b->h.next;
    } else {
        size_t need = sizeof *b + cls * POOL_STEP;
        if (!pool.chunks || POOL_CHUNK - pool.chunks->used < need) {
            pool_chunk *c = rg_lib_malloc(sizeof *c + POOL_CHUNK);
            if (!c)
                return NULL;
            c->next = pool.chunks;
            c->used = 0;
            pool.chunks = c;
        }
        b = (pool_head *)((char *)pool.chunks->data + pool.chunks->used);
        pool.chunks->used += need;
    }
    if (!b)
        return NULL;
    b->h.cls = cls;
    pool.live++;
    return b + 1;
}

void rg_hpdf_free(void *p)
{
    if (!p)
        return;
    pool_head *b = (pool_head *)p - 1;
    if (b->h.cls == 0) {
        rg_lib_free(b);
    } else {
        b->h.next = pool.free[b->h.cls];
        pool.free[b->h.cls] = b;
    }
    if (--pool.live == 0 && pool.chunks)
        pool_release();
}

/* What outlives one document: libharu's document object, which
 * HPDF_NewDoc starts again for the next document. */
struct rg_pdfwriter {
    HPDF_Doc pdf;
    const rg_theme *theme;
    int used;                  /* a document has been started on it */
    rg_deflate dz;             /* pdf_save.c's, made once */
};

typedef struct pdf_painter {
    rg_pdfwriter *writer;      /* NULL: a libharu document of our own */
    rg_deflate dz;             /* without a writer: pdf_save.c's */
    HPDF_Doc pdf;
    const rg_pagelist *pl;
    const char *path;          /* the name errors are reported under */
    rg_diags *d;
    unsigned char *out;        /* the finished PDF (save) */
    size_t out_size;
    unsigned long oom_start;   /* rg_xml_oom_count() when painting began */
    int failed;            /* a diagnostic has been added */

    /* first libharu error, filled in by on_error */
    HPDF_STATUS err, err_detail;

    pdf_face face[NFACE];
    char tags[NFACE][6];       /* subset tags given so far */
    int ntags;

    /* page state: what the content stream has set, to avoid repeating it */
    HPDF_Page page;
    double page_h;         /* points */
    rg_mpt page_hm;        /* the same in millipoints */
    int in_text;
    rg_mpt tx, ty;         /* the text line's origin (Td moves it), from the bottom left */
    char *ops;             /* the page's content not yet in libharu's stream (page_flush) */
    size_t ops_len, ops_cap;
    char *tj;              /* the open TJ array's contents, written by flush_tj */
    size_t tj_len, tj_cap;
    long long pen;         /* where its next glyph goes: x in 1/(1000 upem) mpt */
    long long run_adv;     /* encode_run: the run's advance, font units */
    uint32_t *cps;         /* encode_run: the run's code points, glyphs and kerning */
    unsigned *gid;
    int *kern;
    size_t cps_cap;
    pdf_face *font;
    rg_mpt font_size;
    rg_color fill, stroke;
    rg_mpt line_width;

    char *buf;             /* scratch for converted text and URIs */
    size_t cap;

    /* Every page, by index: links and bookmarks may point forward, so
     * they are made in pp_end when all pages exist. */
    HPDF_Page *pages;
    int npages, pages_cap;
    struct inlink { int page; HPDF_Rect rect; const char *dest; HPDF_Dict objr; int key; const char *words; } *links;
    int nlinks, links_cap;
    struct { const char *path; HPDF_Image img; } images[64];
    int nimages;

    /* Tagged PDF: the layout's structure nodes as elements over marked
     * content, decoration marked as artifact, for screen readers. */
    struct selem *el;          /* per structure node id, made on first use */
    int nel;
    HPDF_Dict st_root;         /* the StructTreeRoot */
    HPDF_Array page_parents;   /* this page's MCIDs -> elements */
    struct ptleaf { HPDF_Dict d; HPDF_Array nums; int first, last, n; } *leaves;
    int nleaves, leaves_cap;   /* the ParentTree's leaves, each under the array limit */
    int next_key;              /* the ParentTree's next key (pages, annotations) */
    int mcid, tag_open;
    const rg_snode *tag_node;  /* what the open marked content belongs to (NULL: artifact) */
    HPDF_Dict scope_attr[2];   /* /A of column and of row headers, shared */
} pdf_painter;

/* strerror is not thread-safe and documents may be painted in parallel.
 * strerror_r is the XSI one (int) or the GNU one (char *) depending on
 * feature macros; _Generic picks the matching reader without evaluating. */
static const char *from_xsi(int r, char *buf) { return r == 0 ? buf : "unknown error"; }
static const char *from_gnu(char *r, char *buf) { (void)buf; return r; }
#define errstr(e, buf) \
    _Generic(strerror_r((e), (buf), sizeof(buf)), char *: from_gnu, default: from_xsi)( \
        strerror_r((e), (buf), sizeof(buf)), (buf))

/* ---- errors --------------------------------------------------------------- */

static void on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user)
{
    pdf_painter *s = user;
    if (!s->err) {
        s->err = error_no;
        s->err_detail = detail_no;
    }
}

static HPDF_Doc new_pdf(void *painter)
{
    return HPDF_NewEx(on_error, rg_hpdf_alloc, rg_hpdf_free, 0, painter);
}

/* Why a libharu call failed, in words; NULL for codes we have none for. */
static const char *hpdf_reason(HPDF_STATUS e)
{
    switch (e) {
    case HPDF_FAILD_TO_ALLOC_MEM: return "out of memory";
    case HPDF_FILE_OPEN_ERROR: return "cannot open the file";
    case HPDF_FILE_IO_ERROR: return "cannot read the file";
    case HPDF_TTF_INVALID_FOMAT: return "not a TrueType font";
    case HPDF_TTF_MISSING_TABLE: return "a required TrueType table is missing";
    case HPDF_TTF_INVALID_CMAP: return "no usable Unicode cmap";
    case HPDF_TTF_CANNOT_EMBEDDING_FONT: return "the font's licence forbids embedding";
    case HPDF_INVALID_TTC_FILE: return "not a valid TrueType collection";
    case HPDF_INVALID_FONTDEF_DATA: return "invalid font data";
    case HPDF_UNSUPPORTED_FONT_TYPE: return "unsupported font type";
    case HPDF_INVALID_FONT_NAME: return "unknown font name";
    case HPDF_INVALID_ENCODING_NAME: return "unknown encoding";
    case HPDF_PAGE_INVALID_SIZE: return "page size outside 3..14400 pt";
    case HPDF_PAGE_INVALID_FONT_SIZE: return "font size outside 0..600 pt";
    case HPDF_REAL_OUT_OF_RANGE: return "a coordinate is out of range";
    case HPDF_INVALID_DATE_TIME: return "invalid date";
    case HPDF_STRING_OUT_OF_RANGE: return "a string is too long";
    case HPDF_BINARY_LENGTH_ERR: return "a string is too long";
    case HPDF_ZLIB_ERROR: return "compression failed";
    case HPDF_INVALID_URI: return "invalid link address";
    default: return NULL;
    }
}

/* Adds an error diagnostic (only the first: later ones are consequences)
 * and marks the painter failed. Returns -1. */
static int fail(pdf_painter *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(pdf_painter *s, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    if (!s->failed && s->d) {
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        rg_diag_add(s->d, RG_SEV_ERROR, s->path, 0, 0, "%s", msg);
    }
    s->failed = 1;
    return -1;
}

/* Checks for a libharu error after a step; what names the step for the
 * message ("cannot load font 'x'"). Errors that libharu only stored
 * without calling us are picked up from the document too. */
static int check(pdf_painter *s, const char *what)
{
    char msg[200], ebuf[96];
    const char *why;

    if (s->failed)
        return -1;
    if (!s->err && s->pdf && HPDF_GetError(s->pdf) != HPDF_OK) {
        s->err = HPDF_GetError(s->pdf);
        s->err_detail = HPDF_GetErrorDetail(s->pdf);
    }
    if (!s->err)
        return 0;
    why = hpdf_reason(s->err);
    /* Memory, whatever libharu calls it: its own allocation failed (counted
     * by reserve.c, after which it reports the object it could not make:
     * "unknown encoding"), or zlib's Z_MEM_ERROR (-4) in its deflate. */
    if (s->err == HPDF_FAILD_TO_ALLOC_MEM || (s->err == HPDF_ZLIB_ERROR && (long)s->err_detail == -4) ||
        rg_xml_oom_count() != s->oom_start) {
        if (s->pdf)
            HPDF_ResetError(s->pdf);
        return fail(s, "%s: out of memory", what ? what : "cannot write");
    }
    if (s->err == HPDF_FILE_OPEN_ERROR && s->err_detail)
        snprintf(msg, sizeof msg, "%s (%s, libharu error 0x%04X)",
                 why, errstr((int)s->err_detail, ebuf), (unsigned)s->err);
    else
        snprintf(msg, sizeof msg, "%s (libharu error 0x%04X)",
                 why ? why : "libharu failed", (unsigned)s->err);
    if (s->pdf)
        HPDF_ResetError(s->pdf);
    return fail(s, "%s: %s", what ? what : "cannot write", msg);
}

/* ---- text ----------------------------------------------------------------- */

static int reserve(pdf_painter *s, size_t n)
{
    char *p;
    size_t cap;

    if (n <= s->cap)
        return 0;
    cap = s->cap ? s->cap : 256;
    while (cap < n)
        cap *= 2;
    if (!(p = realloc(s->buf, cap)))
        return fail(s, "cannot write: out of memory");
    s->buf = p;
    s->cap = cap;
    return 0;
}

/* Writes v millipoints as a PDF number: "12", "-3.5", "0.125". */
/* v in decimal at o, NUL-terminated; returns the end. What sprintf's
 * "%lld" writes, without parsing a format for every number of a page. */
static char *put_ll(char *o, long long v)
{
    char tmp[24];
    int n = 0;
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    if (v < 0)
        *o++ = '-';
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n)
        *o++ = tmp[--n];
    *o = '\0';
    return o;
}

static char *put_mpt(char *o, long long v)
{
    if (v < 0) {
        *o++ = '-';
        v = -v;
    }
    o = put_ll(o, v / 1000);
    int frac = (int)(v % 1000);
    if (frac) {
        *o++ = '.';
        *o++ = (char)('0' + frac / 100);
        if (frac % 100) {
            *o++ = (char)('0' + frac / 10 % 10);
            if (frac % 10)
                *o++ = (char)('0' + frac % 10);
        }
    }
    *o = '\0';
    return o;
}

/* ---- fonts ---------------------------------------------------------------- */

static int tags_begin(pdf_painter *s);
static int tags_page(pdf_painter *s);
static int tag_close(pdf_painter *s);

/* The file a face is read from (a slot's path, or its font's). */
static const char *face_file(const rg_face *face)
{
    return face->slot ? rg_font_slot_path(face->slot) : face->font ? rg_font_path(face->font) : NULL;
}

/* The font record for face fi: faces naming one file share the record of
 * the lowest such face, so the file is embedded once. Its Type0 font
 * object is made now (pages refer to it) and filled in by embed_face. NULL
 * after a diagnostic. */
static pdf_face *face_get(pdf_painter *s, int fi)
{
    const rg_theme *th = s->pl->theme;
    pdf_face *f;

    if (!th || fi < 0 || fi >= th->nface || fi >= NFACE || (!th->face[fi].font && !th->face[fi].slot)) {
        fail(s, "cannot write: a text run uses face %d, which the theme lacks", fi);
        return NULL;
    }
    f = &s->face[fi];
    if (f->same)
        return f->same;
    if (f->font)
        return f;
    const char *file = face_file(&th->face[fi]);
    for (int j = 0; j < fi; j++) {
        const char *other = face_file(&th->face[j]);
        if (other && strcmp(other, file) == 0) {
            f->same = &s->face[j];
            if (s->face[j].font)
                return f->same;
            f = f->same;
            fi = j;
            break;
        }
    }
    /* The layout has read it (it measured the text): this only fails for
     * a page list made otherwise. */
    const rg_font *font = rg_theme_font(th, fi, s->failed ? NULL : s->d);
    if (!font) {
        s->failed = 1;
        return NULL;
    }
    f->index = fi;
    f->hinting = th->face[fi].hinting;
    f->nglyphs = rg_font_glyph_count(font);
    if (!(f->uni = calloc(f->nglyphs, sizeof *f->uni))) {
        fail(s, "cannot write: out of memory");
        return NULL;
    }
    f->type0 = HPDF_Dict_New(s->pdf->mmgr);
    if (!f->type0 || HPDF_Xref_Add(s->pdf->xref, f->type0) != HPDF_OK) {
        f->type0 = NULL; /* HPDF_Xref_Add freed it */
        free(f->uni);
        f->uni = NULL;
        check(s, NULL);
        if (!s->failed)
            fail(s, "cannot write: out of memory");
        return NULL;
    }
    f->font = font;
    return f;
}

/* Notes that glyph g of f shows the n characters at cp (a ligature), for
 * the ToUnicode CMap; the first characters noted for a glyph stay. 0, or
 * -1 when memory ran out. */
static int note_ligature(pdf_face *f, unsigned g, const uint32_t *cp, size_t n)
{
    for (const pdf_lig *l = f->ligs; l; l = l->next)
        if (l->gid == g)
            return 0;
    pdf_lig *l = malloc(sizeof *l + n * sizeof l->cp[0]);
    if (!l)
        return -1;
    l->gid = g;
    l->n = n;
    memcpy(l->cp, cp, n * sizeof *cp);
    l->next = f->ligs;
    f->ligs = l;
    return 0;
}

/* Puts the glyph ids of a UTF-8 run of face f into s->buf as hex (four
 * digits a glyph, NUL-terminated), with standard ligatures when liga, and
 * notes each glyph's character for the ToUnicode CMap: the lowest code
 * point shown with it, so that a space and a no-break space drawn with one
 * glyph extract as a space (a ligature's glyph: all its characters). */
static int encode_run(pdf_painter *s, pdf_face *f, const char *t, size_t len, int liga)
{
    static const char hexd[] = "0123456789ABCDEF";
    size_t n = 0, m = 0;
    int clen;

    /* 4 hex digits a glyph, and a kerning number (">-123.456<") after any. */
    if (reserve(s, 40 * len + 1))
        return -1;
    if (len > s->cps_cap) {
        uint32_t *c = realloc(s->cps, len * sizeof *c);
        if (c)
            s->cps = c;
        unsigned *g = c ? realloc(s->gid, len * sizeof *g) : NULL;
        if (g)
            s->gid = g;
        int *k = g ? realloc(s->kern, len * sizeof *k) : NULL;
        if (!k)
            return fail(s, "cannot write: out of memory");
        s->kern = k;
        s->cps_cap = len;
    }
    s->run_adv = 0;
    for (size_t i = 0; i < len; i += (size_t)clen) {
        int32_t cp = rg_utf8_decode(t + i, len - i, &clen);
        if (cp < 0 || clen <= 0 || (cp >= 0xD800 && cp <= 0xDFFF))
            return fail(s, "cannot write: invalid UTF-8 at byte %zu of the text run '%.*s'",
                        i, (int)(len < 60 ? len : 60), t);
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
            return fail(s, "cannot write: control character U+%04X in the text run '%.*s'",
                        (unsigned)cp, (int)(len < 60 ? len : 60), t);
        unsigned g = rg_font_glyph(f->font, (uint32_t)cp);
        if (g == 0 || g > 0xFFFF)
            return fail(s, "cannot write: character U+%04X is not in font %s",
                        (unsigned)cp, rg_font_psname(f->font));
        s->cps[m++] = (uint32_t)cp;
    }
    /* The run shaped as the layout shaped it (rg_font_shape). */
    if (rg_font_shape(f->font, s->cps, m, liga, s->gid, s->kern))
        return fail(s, "cannot write: out of memory");
    for (size_t i = 0; i < m;) {
        unsigned g = s->gid[i];
        size_t e = i + 1; /* the characters the glyph shows: [i, e) */
        long long adv = (long long)rg_font_units(f->font, s->cps[i]) + s->kern[i];
        for (; e < m && s->gid[e] == 0; e++)
            adv += (long long)rg_font_units(f->font, s->cps[e]) + s->kern[e];
        if (g > 0xFFFF || g >= f->nglyphs)
            return fail(s, "cannot write: glyph %u is not in font %s", g, rg_font_psname(f->font));
        if (e - i == 1 && (!f->uni[g] || s->cps[i] < f->uni[g]))
            f->uni[g] = s->cps[i];
        if (e - i > 1) {
            if (!f->uni[g])
                f->uni[g] = s->cps[i]; /* shown: in the subset and the widths */
            if (note_ligature(f, g, s->cps + i, e - i))
                return fail(s, "cannot write: out of memory");
        }
        s->run_adv += adv;
        s->buf[n++] = hexd[g >> 12];
        s->buf[n++] = hexd[(g >> 8) & 15];
        s->buf[n++] = hexd[(g >> 4) & 15];
        s->buf[n++] = hexd[g & 15];
        long long kern = adv - (long long)rg_font_glyph_units(f->font, g);
        if (kern) { /* in 1/1000 of text space, to 3 decimals */
            long long k = -kern * 1000000, u = rg_font_upem(f->font);
            s->buf[n++] = '>';
            n = (size_t)(put_mpt(s->buf + n, k >= 0 ? (k + u / 2) / u : -((-k + u / 2) / u)) - s->buf);
            s->buf[n++] = '<';
        }
        i = e;
    }
    s->buf[n] = '\0';
    return 0;
}

/* The page's resource name of f's font ("F1" for face 0), added to the
 * page's /Font resources on its first use there. */
static const char *font_resource(pdf_painter *s, pdf_face *f)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)s->page->attr;
    char name[16];

    if (!attr->fonts) {
        HPDF_Dict res = HPDF_Dict_GetItem(s->page, "Resources", HPDF_OCLASS_DICT);
        HPDF_Dict fonts = res ? HPDF_Dict_New(s->pdf->mmgr) : NULL;
        if (!fonts || HPDF_Dict_Add(res, "Font", fonts) != HPDF_OK) {
            check(s, NULL);
            if (!s->failed)
                fail(s, "cannot write: out of memory");
            return NULL;
        }
        attr->fonts = fonts;
    }
    const char *key = HPDF_Dict_GetKeyByObj(attr->fonts, f->type0);
    if (key)
        return key;
    snprintf(name, sizeof name, "F%d", f->index + 1);
    if (HPDF_Dict_Add(attr->fonts, name, f->type0) != HPDF_OK ||
        !(key = HPDF_Dict_GetKeyByObj(attr->fonts, f->type0))) {
        check(s, NULL);
        if (!s->failed)
            fail(s, "cannot write: out of memory");
        return NULL;
    }
    return key;
}

/* FNV-1a, 64 bits: the subset tag is made from the subset's bytes. */
static uint64_t fnv1a(uint64_t h, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001B3ull;
    }
    return h;
}

/* The ToUnicode CMap of f: one bfchar entry per glyph shown (Ghostscript
 * misreads bfrange entries whose targets pass U+00FF), at most 100 a block
 * as the CMap syntax requires; a ligature's entry gives all its characters. */
static int write_to_unicode(pdf_face *f, HPDF_Stream st)
{
    static const char hexd[] = "0123456789ABCDEF";
    HPDF_STATUS r = HPDF_OK;
    unsigned left = 0;
    char line[64];

    for (unsigned g = 1; g < f->nglyphs; g++)
        left += f->uni[g] != 0;
    r |= HPDF_Stream_WriteStr(st,
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\n"
        "begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n"
        "/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    unsigned inblock = 0;
    for (unsigned g = 1; g < f->nglyphs && left; g++) {
        uint32_t cp = f->uni[g];
        if (!cp)
            continue;
        if (inblock == 0) {
            snprintf(line, sizeof line, "%u beginbfchar\n", left < 100 ? left : 100);
            r |= HPDF_Stream_WriteStr(st, line);
        }
        const pdf_lig *lig = f->ligs;
        while (lig && lig->gid != g)
            lig = lig->next;
        const uint32_t *cps = lig ? lig->cp : &cp;
        size_t ncp = lig ? lig->n : 1;
        char *o = line;
        *o++ = '<';
        for (int k = 12; k >= 0; k -= 4)
            *o++ = hexd[(g >> k) & 15];
        *o++ = '>';
        *o++ = ' ';
        *o++ = '<';
        for (size_t c = 0; c < ncp; c++) {
            if (o - line > (long)sizeof line - 16) { /* a long ligature: in pieces */
                *o = '\0';
                r |= HPDF_Stream_WriteStr(st, line);
                o = line;
            }
            unsigned u[2] = {cps[c], 0};
            int nu = 1;
            if (cps[c] > 0xFFFF) {
                u[0] = 0xD800 + ((cps[c] - 0x10000) >> 10);
                u[1] = 0xDC00 + ((cps[c] - 0x10000) & 0x3FF);
                nu = 2;
            }
            for (int i = 0; i < nu; i++)
                for (int k = 12; k >= 0; k -= 4)
                    *o++ = hexd[(u[i] >> k) & 15];
        }
        *o++ = '>';
        *o++ = '\n';
        *o = '\0';
        r |= HPDF_Stream_WriteStr(st, line);
        left--;
        if (++inblock == 100 || left == 0) {
            r |= HPDF_Stream_WriteStr(st, "endbfchar\n");
            inblock = 0;
        }
    }
    r |= HPDF_Stream_WriteStr(st,
        "endcmap\n"
        "CMapName currentdict /CMap defineresource pop\n"
        "end\n"
        "end\n");
    return r == HPDF_OK ? 0 : -1;
}

/* The subset of f's font file holding the glyphs shown (and glyph 0), glyph
 * ids kept, so that the codes in the content streams, written before the
 * subset existed, are its glyph ids (/CIDToGIDMap /Identity: smaller than
 * renumbered glyphs with a CIDToGIDMap stream, by 100 to 200 bytes a font
 * on the samples). Hinting is dropped unless the theme keeps it (cvt,
 * fpgm, prep and the glyphs' instructions), and so is every table a PDF
 * reader does not use (cmap, name, post, OS/2, layout). Made by our own
 * subset.c, not hb-subset: HarfBuzz 6.0's subsetter, when an allocation
 * fails inside it, may return a font missing glyphs with no error, or
 * leave its face to crash when destroyed (250 of 1,326 fault-injection
 * runs over its allocations). A buffer the caller frees; NULL after a
 * diagnostic. */
static unsigned char *subset_font(pdf_painter *s, pdf_face *f, const char *what, size_t *len)
{
    size_t size;
    char err[256];
    const unsigned char *data = rg_font_data(f->font, &size);
    unsigned char *out = NULL;
    if (rg_font_glyphs(f->font, f->uni, f->nglyphs, err, sizeof err)) {
        fail(s, "%s: %s", what, err);
        return NULL;
    }
    int rc = rg_ttf_subset(data, size, f->uni, f->nglyphs, f->hinting, &out, len);
    if (rc == 0 && rg_font_check_subset(f->font, out, *len, f->uni, f->hinting) != 0)
        rc = RG_SUBSET_BAD;
    if (rc != 0) {
        free(out);
        fail(s, "%s: %s", what, rc == RG_SUBSET_MEMORY ? "out of memory" : "the font's glyph tables are damaged");
        return NULL;
    }
    return out;
}

/* A stream written whole (a page's contents once it is painted, a font
 * program once it is made) is deflated on a second thread beside what
 * follows (pdf_save.c), when there is one. */
static void stream_done(pdf_painter *s, HPDF_Dict d)
{
    rg_deflate *dz = s->writer ? &s->writer->dz : &s->dz;
    dz->threads = s->pl->threads;
    rg_deflate_early(dz, d);
}

/* Completes f's Type0 font once every page is drawn, so the subset holds
 * exactly the glyphs shown: a CIDFontType2 with Identity-H codes that are
 * glyph ids, /W for those glyphs only, a FontDescriptor from the font's
 * tables, the subset as FontFile2, and a ToUnicode CMap. The subset tag
 * comes from the subset's bytes (another one if a font of the document
 * already has it), so two different subsets never share a name. */
static int embed_face(pdf_painter *s, pdf_face *f)
{
    HPDF_MMgr mm = s->pdf->mmgr;
    HPDF_Xref xref = s->pdf->xref;
    char what[300], base[8 + 64];
    const char *psname = rg_font_psname(f->font);

    snprintf(what, sizeof what, "cannot embed font '%.250s'", rg_font_path(f->font));
    size_t len;
    unsigned char *sub = subset_font(s, f, what, &len);
    if (!sub)
        return -1;
    const unsigned char *data = sub;

    uint64_t h = fnv1a(0xCBF29CE484222325ull, data, len);
    for (;;) {
        uint64_t v = h;
        for (int i = 0; i < 6; i++) {
            base[i] = (char)('A' + v % 26);
            v /= 26;
        }
        base[6] = '+';
        snprintf(base + 7, sizeof base - 7, "%s", psname);
        int taken = 0;
        for (int j = 0; j < s->ntags; j++)
            taken |= memcmp(s->tags[j], base, 6) == 0;
        if (!taken)
            break;
        h = fnv1a(h, (const unsigned char *)"+", 1);
    }
    memcpy(s->tags[s->ntags++], base, 6);

    HPDF_Dict file = HPDF_DictStream_New(mm, xref);
    HPDF_Dict desc = file ? HPDF_Dict_New(mm) : NULL;
    if (desc && HPDF_Xref_Add(xref, desc) != HPDF_OK)
        desc = NULL;
    HPDF_Dict cid = desc ? HPDF_Dict_New(mm) : NULL;
    if (cid && HPDF_Xref_Add(xref, cid) != HPDF_OK)
        cid = NULL;
    HPDF_Dict tu = cid ? HPDF_DictStream_New(mm, xref) : NULL;
    HPDF_Dict info = tu ? HPDF_Dict_New(mm) : NULL;
    HPDF_Array bbox = info ? HPDF_Array_New(mm) : NULL;
    HPDF_Array w = bbox ? HPDF_Array_New(mm) : NULL;
    HPDF_Array kids = w ? HPDF_Array_New(mm) : NULL;
    if (!kids) {
        /* Those made are owned by the document or freed below. */
        if (info)
            HPDF_Dict_Free(info);
        if (bbox)
            HPDF_Array_Free(bbox);
        if (w)
            HPDF_Array_Free(w);
        free(sub);
        check(s, what);
        return s->failed ? -1 : fail(s, "%s: out of memory", what);
    }
    HPDF_STATUS r = HPDF_OK;

    file->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    r |= HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)len);
    r |= HPDF_Stream_Write(file->stream, data, len);
    free(sub);
    if (r == HPDF_OK)
        stream_done(s, file);

    const rg_font_desc *d = rg_font_descriptor(f->font);
    for (int i = 0; i < 4; i++)
        r |= HPDF_Array_AddNumber(bbox, d->bbox[i]);
    r |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    r |= HPDF_Dict_AddName(desc, "FontName", base);
    r |= HPDF_Dict_AddNumber(desc, "Flags", d->flags);
    r |= HPDF_Dict_Add(desc, "FontBBox", bbox);
    if (d->italic_angle % 1000)
        r |= HPDF_Dict_AddReal(desc, "ItalicAngle", (HPDF_REAL)(d->italic_angle / 1000.0));
    else
        r |= HPDF_Dict_AddNumber(desc, "ItalicAngle", d->italic_angle / 1000);
    r |= HPDF_Dict_AddNumber(desc, "Ascent", d->ascent);
    r |= HPDF_Dict_AddNumber(desc, "Descent", d->descent);
    r |= HPDF_Dict_AddNumber(desc, "CapHeight", d->cap_height);
    r |= HPDF_Dict_AddNumber(desc, "StemV", d->stem_v);
    r |= HPDF_Dict_Add(desc, "FontFile2", file);

    /* /W: runs of consecutive glyph ids, each [first [w1 w2 ...]]. */
    for (unsigned g = 1; g < f->nglyphs && r == HPDF_OK; g++) {
        if (!f->uni[g])
            continue;
        HPDF_Array run = HPDF_Array_New(mm);
        if (!run) {
            r = HPDF_FAILD_TO_ALLOC_MEM;
            break;
        }
        r |= HPDF_Array_AddNumber(w, (HPDF_INT32)g);
        r |= HPDF_Array_Add(w, run);
        for (; g < f->nglyphs && f->uni[g]; g++) {
            /* Exact (the layout measures font units), not libharu's
             * truncated thousandths: kerned positions match HarfBuzz's. */
            unsigned u = rg_font_glyph_units(f->font, g), upem = rg_font_upem(f->font);
            if (u * 1000 % upem == 0)
                r |= HPDF_Array_AddNumber(run, (HPDF_INT32)(u * 1000 / upem));
            else
                r |= HPDF_Array_AddReal(run, (HPDF_REAL)(u * 1000.0 / upem));
        }
    }
    r |= HPDF_Dict_AddName(cid, "Type", "Font");
    r |= HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
    r |= HPDF_Dict_AddName(cid, "BaseFont", base);
    r |= HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");
    r |= HPDF_Dict_Add(cid, "CIDSystemInfo", info);
    r |= HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", NULL));
    r |= HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity", NULL));
    r |= HPDF_Dict_AddNumber(info, "Supplement", 0);
    r |= HPDF_Dict_Add(cid, "FontDescriptor", desc);
    r |= HPDF_Dict_Add(cid, "W", w);

    tu->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
    if (write_to_unicode(f, tu->stream))
        r |= HPDF_FAILD_TO_ALLOC_MEM;

    r |= HPDF_Dict_AddName(f->type0, "Type", "Font");
    r |= HPDF_Dict_AddName(f->type0, "Subtype", "Type0");
    r |= HPDF_Dict_AddName(f->type0, "BaseFont", base);
    r |= HPDF_Dict_AddName(f->type0, "Encoding", "Identity-H");
    r |= HPDF_Array_Add(kids, cid);
    r |= HPDF_Dict_Add(f->type0, "DescendantFonts", kids);
    r |= HPDF_Dict_Add(f->type0, "ToUnicode", tu);
    if (check(s, what))
        return -1;
    if (r != HPDF_OK)
        return fail(s, "%s: out of memory", what);
    return 0;
}

/* ---- document ------------------------------------------------------------- */

static int is_ascii(const char *t)
{
    for (; *t; t++)
        if ((unsigned char)*t >= 0x80)
            return 0;
    return 1;
}

/* ASCII that the XMP repeats as it is: no control character but tab and
 * line feed (rg_meta_char turns the others into U+FFFD, so set_info does). */
static int is_plain_ascii(const char *t)
{
    for (; *t; t++)
        if ((unsigned char)*t >= 0x80 || ((unsigned char)*t < 0x20 && *t != '\t' && *t != '\n' && *t != '\r'))
            return 0;
    return 1;
}

/* Sets an info string. libharu writes strings byte for byte (it assumes
 * PDFDocEncoding), so anything beyond printable ASCII goes in as a UTF-16BE
 * string with a byte order mark, which every reader decodes. Invalid UTF-8
 * (and what XMP cannot hold) becomes U+FFFD rather than a failure: metadata
 * is not worth losing a document. */
static int set_info(pdf_painter *s, HPDF_InfoType type, const char *key, const char *v)
{
    size_t n, i, o = 2;
    unsigned char *u;
    int len;

    if (!v || !*v)
        return 0;
    if (is_plain_ascii(v)) {
        HPDF_SetInfoAttr(s->pdf, type, v);
        return check(s, NULL);
    }
    n = strlen(v);
    if (!s->pdf->info)     /* HPDF_New made it, with /Producer */
        return fail(s, "cannot write: libharu made no info dictionary");
    if (!(u = malloc(2 + 4 * n)))
        return fail(s, "cannot write: out of memory");
    u[0] = 0xFE;
    u[1] = 0xFF;
    for (i = 0; i < n; i += (size_t)len) {
        int32_t cp = rg_meta_char(v + i, n - i, &len); /* as the XMP says it */
        if (cp > 0xFFFF) {
            unsigned hi = 0xD800 + (((unsigned)cp - 0x10000) >> 10);
            unsigned lo = 0xDC00 + (((unsigned)cp - 0x10000) & 0x3FF);
            u[o++] = (unsigned char)(hi >> 8);
            u[o++] = (unsigned char)hi;
            u[o++] = (unsigned char)(lo >> 8);
            u[o++] = (unsigned char)lo;
        } else {
            u[o++] = (unsigned char)(cp >> 8);
            u[o++] = (unsigned char)cp;
        }
    }
    HPDF_Dict_Add(s->pdf->info, key, HPDF_Binary_New(s->pdf->mmgr, u, (HPDF_UINT)o));
    free(u);
    return check(s, NULL);
}

static int set_date(pdf_painter *s, long long t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    HPDF_Date dt;

    if ((long long)tt != t || !gmtime_r(&tt, &tm) || tm.tm_year + 1900 < 1 ||
        tm.tm_year + 1900 > 9999)
        return fail(s, "cannot write: creation date %lld is out of range", t);
    memset(&dt, 0, sizeof dt);
    dt.year = tm.tm_year + 1900;
    dt.month = tm.tm_mon + 1;
    dt.day = tm.tm_mday;
    dt.hour = tm.tm_hour;
    dt.minutes = tm.tm_min;
    dt.seconds = tm.tm_sec > 59 ? 59 : tm.tm_sec;
    dt.ind = 'Z';
    HPDF_SetInfoDateAttr(s->pdf, HPDF_INFO_CREATION_DATE, dt);
    HPDF_SetInfoDateAttr(s->pdf, HPDF_INFO_MOD_DATE, dt);
    return check(s, NULL);
}

static int pp_begin(void *self, const rg_pagelist *pl)
{
    pdf_painter *s = self;
    const rg_docinfo *in = &pl->info;

    s->pl = pl;
    if (s->writer) {
        /* The error handler's data is this document's painter. */
        s->pdf = s->writer->pdf;
        s->pdf->error.user_data = s;
        HPDF_ResetError(s->pdf);
        if (HPDF_NewDoc(s->pdf) != HPDF_OK)
            return check(s, NULL) ? -1 : fail(s, "cannot write: out of memory");
        s->writer->used = 1;
    } else {
        s->pdf = new_pdf(s);
    }
    if (!s->pdf)
        return check(s, NULL) ? -1 : fail(s, "cannot write: out of memory");
    HPDF_SetCompressionMode(s->pdf, HPDF_COMP_ALL);
    if (check(s, NULL))
        return -1;
    if (set_info(s, HPDF_INFO_TITLE, "Title", in->title) ||
        set_info(s, HPDF_INFO_AUTHOR, "Author", in->author) ||
        set_info(s, HPDF_INFO_SUBJECT, "Subject", in->subject) ||
        set_info(s, HPDF_INFO_KEYWORDS, "Keywords", in->keywords) ||
        set_info(s, HPDF_INFO_CREATOR, "Creator", in->creator))
        return -1;
    if (in->created != -1 && set_date(s, in->created))
        return -1;
    if (in->lang && *in->lang) {
        /* A language tag is ASCII by definition (BCP 47). */
        if (!is_ascii(in->lang))
            return fail(s, "cannot write: language tag '%s' is not ASCII", in->lang);
        HPDF_Dict_Add(s->pdf->catalog, "Lang", HPDF_String_New(s->pdf->mmgr, in->lang, NULL));
        if (check(s, NULL))
            return -1;
    }
    /* Viewers show the title, not the file name. */
    HPDF_Dict vp = HPDF_Dict_New(s->pdf->mmgr);
    if (!vp)
        return check(s, NULL) ? -1 : fail(s, "cannot write: out of memory");
    HPDF_Dict_AddBoolean(vp, "DisplayDocTitle", HPDF_TRUE);
    HPDF_Dict_Add(s->pdf->catalog, "ViewerPreferences", vp);
    return tags_begin(s);
}

/* ---- pages and primitives ------------------------------------------------- */

static int flush_tj(pdf_painter *s);
static int write_ops(pdf_painter *s, const char *ops);

static int end_text(pdf_painter *s)
{
    if (flush_tj(s))
        return -1;
    if (!s->in_text)
        return 0;
    s->in_text = 0;
    return write_ops(s, "ET\n");
}

/* Appends n bytes to the page's content. */
static int ops_put(pdf_painter *s, const char *p, size_t n)
{
    if (n > s->ops_cap - s->ops_len) {
        size_t cap = s->ops_cap ? s->ops_cap : 16384;
        while (cap - s->ops_len < n)
            cap *= 2;
        char *v = realloc(s->ops, cap);
        if (!v)
            return fail(s, "cannot write: out of memory");
        s->ops = v;
        s->ops_cap = cap;
    }
    memcpy(s->ops + s->ops_len, p, n);
    s->ops_len += n;
    return 0;
}

/* Hands the page's content to libharu's content stream in one write.
 * Why: that stream copies a byte at a time, in four calls a write (10,000
 * writes in the annual report). Every operator is ours, BT and ET
 * included; libharu writes only what HPDF_Page_DrawImage does, after a
 * flush. */
static int page_flush(pdf_painter *s)
{
    if (!s->ops_len)
        return 0;
    HPDF_Stream st = ((HPDF_PageAttr)s->page->attr)->stream;
    HPDF_Stream_Write(st, (const HPDF_BYTE *)s->ops, (HPDF_UINT)s->ops_len);
    s->ops_len = 0;
    return check(s, NULL);
}

static void page_done(pdf_painter *s)
{
    if (s->page)
        stream_done(s, ((HPDF_PageAttr)s->page->attr)->contents);
}

static int pp_page(void *self, const rg_page *pg)
{
    pdf_painter *s = self;

    if (tag_close(s) || end_text(s) || (s->page && page_flush(s)))
        return -1;
    page_done(s);
    s->page = HPDF_AddPage(s->pdf);
    if (check(s, NULL))
        return -1;
    if (s->npages == s->pages_cap) {
        int cap = s->pages_cap ? s->pages_cap * 2 : 16;
        HPDF_Page *v = realloc(s->pages, (size_t)cap * sizeof *v);
        if (!v)
            return fail(s, "cannot write: out of memory");
        s->pages = v;
        s->pages_cap = cap;
    }
    s->pages[s->npages++] = s->page;
    if (tags_page(s))
        return -1;
    HPDF_Page_SetWidth(s->page, (HPDF_REAL)(pg->width / 1000.0));
    HPDF_Page_SetHeight(s->page, (HPDF_REAL)(pg->height / 1000.0));
    if (check(s, NULL))
        return -1;
    s->page_h = pg->height / 1000.0;
    s->page_hm = pg->height;
    /* A new page starts from the default graphics state. */
    s->font = NULL;
    s->font_size = 0;
    s->fill = (rg_color){0, 0, 0, 1};
    s->stroke = (rg_color){0, 0, 0, 1};
    s->line_width = 1000;
    return 0;
}

static int same_rgb(rg_color a, rg_color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b;
}

/* An operator after n operands, written as libharu's page functions write
 * them (HPDF_FToA: at most 5 decimals) but by us: each of those functions
 * first clears a 512-byte buffer a byte at a time, 2,000 to 4,000
 * instructions a call. Colours, line widths and every path are written
 * here, a path built and painted in one go, so libharu's graphics mode
 * (which its path functions check) stays what its text functions expect. */
static int put_op(pdf_painter *s, const HPDF_REAL *v, int n, const char *op)
{
    char ops[160], *o = ops; /* six operands of at most 18 characters */

    for (int i = 0; i < n; i++) {
        o = HPDF_FToA(o, v[i], ops + sizeof ops - 8);
        *o++ = ' ';
    }
    strcpy(o, op);
    return write_ops(s, ops);
}

static int set_fill(pdf_painter *s, rg_color c)
{
    if (!c.set)
        c = (rg_color){0, 0, 0, 1};
    if (same_rgb(c, s->fill))
        return 0;
    s->fill = c;
    return put_op(s, (HPDF_REAL[]){c.r / 255.0f, c.g / 255.0f, c.b / 255.0f}, 3, "rg\n");
}

static int set_stroke(pdf_painter *s, rg_color c, rg_mpt width)
{
    if (!same_rgb(c, s->stroke)) {
        s->stroke = c;
        if (put_op(s, (HPDF_REAL[]){c.r / 255.0f, c.g / 255.0f, c.b / 255.0f}, 3, "RG\n"))
            return -1;
    }
    if (width != s->line_width) {
        s->line_width = width;
        if (put_op(s, (HPDF_REAL[]){(HPDF_REAL)(width / 1000.0)}, 1, "w\n"))
            return -1;
    }
    return 0;
}

/* ---- tags ------------------------------------------------------------------ */

/* An element of the structure tree as it is being written. */
typedef struct selem {
    HPDF_Dict dict;            /* NULL until its node's first content comes */
    HPDF_Array k;              /* its /K, made with the first kid */
    HPDF_Page pg;              /* its /Pg: the page of its first marked content */
    int nk;                    /* entries in k */
    int lone;                  /* 1 + the MCID that is its whole /K, not yet an array; 0: none */
} selem;

/* libharu refuses an array past HPDF_LIMIT_MAX_ARRAY entries (error
 * 0x1001; 8191 in some releases, 32767 in Debian's 2.3.0): a /K or a
 * ParentTree leaf is kept below this many either way. */
#define MAX_K 8000
#define MAX_LEAF 4000 /* key and value pairs */

static int write_ops(pdf_painter *s, const char *ops)
{
    if (flush_tj(s))
        return -1;
    return ops_put(s, ops, strlen(ops));
}

/* A text string for the structure tree: PDFDocEncoding when ASCII, else UTF-16BE. */
static void *text_string(pdf_painter *s, const char *v)
{
    if (is_ascii(v))
        return HPDF_String_New(s->pdf->mmgr, v, NULL);
    size_t n = strlen(v), o = 2;
    unsigned char *u = malloc(2 + 4 * n);
    if (!u)
        return NULL;
    u[0] = 0xFE;
    u[1] = 0xFF;
    for (size_t i = 0; i < n;) {
        int len;
        int32_t cp = rg_utf8_decode(v + i, n - i, &len);
        if (cp < 0)
            cp = 0xFFFD;
        if (cp > 0xFFFF) { /* a surrogate pair */
            int32_t hi = 0xD800 + ((cp - 0x10000) >> 10);
            u[o++] = (unsigned char)(hi >> 8);
            u[o++] = (unsigned char)hi;
            cp = 0xDC00 + ((cp - 0x10000) & 0x3FF);
        }
        u[o++] = (unsigned char)(cp >> 8);
        u[o++] = (unsigned char)cp;
        i += (size_t)(len > 0 ? len : 1);
    }
    void *b = HPDF_Binary_New(s->pdf->mmgr, u, (HPDF_UINT)o);
    free(u);
    return b;
}

static int text_key(pdf_painter *s, HPDF_Dict d, const char *key, const char *v)
{
    void *t = text_string(s, v);
    if (!t)
        return check(s, NULL) ? -1 : fail(s, "cannot write: out of memory");
    HPDF_Dict_Add(d, key, t);
    return check(s, NULL);
}

static int tag_close(pdf_painter *s)
{
    if (!s->tag_open)
        return 0;
    if (end_text(s))
        return -1;
    s->tag_open = 0;
    return write_ops(s, "EMC\n");
}

static HPDF_Dict new_elem(pdf_painter *s, const char *type, HPDF_Dict parent)
{
    HPDF_Dict e = HPDF_Dict_New(s->pdf->mmgr);
    if (!e || HPDF_Xref_Add(s->pdf->xref, e) != HPDF_OK) /* which frees e when it fails */
        return check(s, NULL) ? NULL : (fail(s, "cannot write: out of memory"), NULL);
    HPDF_Dict_AddName(e, "S", type);
    HPDF_Dict_Add(e, "P", parent);
    return check(s, NULL) ? NULL : e;
}

static int kid_add(pdf_painter *s, selem *e, const rg_snode *n, void *kid);
static int k_ready(pdf_painter *s, selem *e, const rg_snode *n);

/* Makes room in e's /K for one more kid. A full /K goes on in a new
 * element: a TBody, list or contents in a sibling of its own type (a table
 * may have many bodies), anything else in a Div (or, inside a paragraph, a
 * Span) that takes the last place and every kid after it. */
static int k_room(pdf_painter *s, selem *e, const rg_snode *n)
{
    if (e->nk < MAX_K - 1 || (e->nk < MAX_K && n && n->parent &&
                              (n->type == RG_S_TBODY || n->type == RG_S_L || n->type == RG_S_TOC)))
        return 0;
    HPDF_Dict d;
    if (n && n->parent && (n->type == RG_S_TBODY || n->type == RG_S_L || n->type == RG_S_TOC)) {
        selem *up = &s->el[n->parent->id];
        if (k_ready(s, up, n->parent) || !(d = new_elem(s, rg_stype_name(n->type), up->dict)) ||
            kid_add(s, up, n->parent, d))
            return -1;
    } else {
        int inl = n && (n->type == RG_S_P || n->type == RG_S_LINK || n->type == RG_S_LBL ||
                        (n->type >= RG_S_H1 && n->type <= RG_S_H3));
        if (!(d = new_elem(s, inl ? "Span" : "Div", e->dict)))
            return -1;
        HPDF_Array_Add(e->k, d);
        if (check(s, NULL))
            return -1;
    }
    e->dict = d;
    e->k = NULL;
    e->nk = 0;
    e->lone = 0;
    e->pg = NULL;
    return 0;
}

/* Makes e's /K ready for one more kid. Callers making a direct kid call
 * it first, so no kid is left unowned when memory runs out. */
static int k_ready(pdf_painter *s, selem *e, const rg_snode *n)
{
    if (e->k && k_room(s, e, n))
        return -1;
    if (!e->k) {
        if (e->lone) /* a second kid: the lone MCID becomes the array's first */
            HPDF_Dict_RemoveElement(e->dict, "K");
        if (!(e->k = HPDF_Array_New(s->pdf->mmgr)) || HPDF_Dict_Add(e->dict, "K", e->k) != HPDF_OK)
            return check(s, NULL) ? -1 : fail(s, "cannot write: out of memory");
        if (e->lone)
            HPDF_Array_AddNumber(e->k, e->lone - 1);
        e->lone = 0;
        return check(s, NULL);
    }
    return 0;
}

/* Adds kid (an element, an MCID reference, an OBJR) to the /K of node n's
 * element e. */
static int kid_add(pdf_painter *s, selem *e, const rg_snode *n, void *kid)
{
    if (k_ready(s, e, n))
        return -1;
    HPDF_Array_Add(e->k, kid);
    e->nk++;
    return check(s, NULL);
}

/* The table attributes of a header or data cell: /Scope, /ColSpan. The
 * headers of one span share their attribute object (30 bytes a header). */
static int cell_attrs(pdf_painter *s, HPDF_Dict d, const rg_snode *n)
{
    if (n->type != RG_S_TH && n->colspan <= 1)
        return 0;
    HPDF_Dict *shared = n->type == RG_S_TH && n->colspan <= 1 ? &s->scope_attr[n->row_header != 0] : NULL;
    if (shared && *shared) {
        HPDF_Dict_Add(d, "A", *shared);
        return check(s, NULL);
    }
    HPDF_Dict a = HPDF_Dict_New(s->pdf->mmgr);
    if (!a || (shared && HPDF_Xref_Add(s->pdf->xref, a) != HPDF_OK))
        return check(s, NULL) ? -1 : fail(s, "cannot write: out of memory");
    if (shared)
        *shared = a;
    HPDF_Dict_Add(d, "A", a);
    HPDF_Dict_AddName(a, "O", "Table");
    if (n->type == RG_S_TH)
        HPDF_Dict_AddName(a, "Scope", n->row_header ? "Row" : "Column");
    if (n->colspan > 1)
        HPDF_Dict_AddNumber(a, "ColSpan", n->colspan);
    return check(s, NULL);
}

/* Node n's element, made now (its ancestors first) when it is n's first
 * content: children take their places in reading order. NULL after a
 * diagnostic. */
static selem *element(pdf_painter *s, const rg_snode *n)
{
    if (n->id < 1 || n->id >= s->nel) {
        fail(s, "cannot write: structure node %d is not in the document's tree", n->id);
        return NULL;
    }
    selem *e = &s->el[n->id];
    if (e->dict)
        return e;
    selem *up = n->parent ? element(s, n->parent) : NULL;
    if (n->parent && (!up || k_ready(s, up, n->parent))) /* its /P is where it will go */
        return NULL;
    HPDF_Dict d = new_elem(s, rg_stype_name(n->type), up ? up->dict : s->st_root);
    if (!d)
        return NULL;
    if (n->type == RG_S_FIGURE && n->alt && *n->alt && text_key(s, d, "Alt", n->alt))
        return NULL;
    if (n->actual && text_key(s, d, "ActualText", n->actual))
        return NULL;
    if ((n->type == RG_S_TH || n->type == RG_S_TD) && cell_attrs(s, d, n))
        return NULL;
    if (up ? kid_add(s, up, n->parent, d) : (HPDF_Dict_Add(s->st_root, "K", d), check(s, NULL)))
        return NULL;
    e->dict = d;
    return e;
}

/* Adds marked content s->mcid of this page to e: a number on the page of
 * its first, << /Type /MCR /Pg /MCID >> on any later page. */
static int add_mcid(pdf_painter *s, selem *e, const rg_snode *n)
{
    if (!e->pg) {
        HPDF_Dict_Add(e->dict, "Pg", s->page);
        e->pg = s->page;
    }
    if (!e->k && !e->lone && !e->nk && e->pg == s->page) {
        /* Most elements hold one marked content: /K 3, not /K [3]. */
        HPDF_Dict_AddNumber(e->dict, "K", s->mcid);
        e->lone = s->mcid + 1;
        e->nk = 1;
        return check(s, NULL);
    }
    if (k_ready(s, e, n))
        return -1;
    if (e->pg == s->page) {
        HPDF_Array_AddNumber(e->k, s->mcid);
        e->nk++;
        return check(s, NULL);
    }
    HPDF_Dict mcr = HPDF_Dict_New(s->pdf->mmgr);
    if (!mcr)
        return check(s, NULL) ? -1 : fail(s, "cannot write: out of memory");
    if (kid_add(s, e, n, mcr))
        return -1;
    HPDF_Dict_AddName(mcr, "Type", "MCR"); /* optional, but poppler skips an MCR without it */
    HPDF_Dict_Add(mcr, "Pg", s->page);
    HPDF_Dict_AddNumber(mcr, "MCID", s->mcid);
    return check(s, NULL);
}

/* Opens the marked-content sequence for p unless it continues the open
 * one: one per run of primitives of one node, artifacts for decoration. */
static int tag_for(pdf_painter *s, const rg_prim *p)
{
    if (!s->st_root)
        return 0;
    if (s->tag_open && p->node == s->tag_node)
        return 0;
    if (tag_close(s))
        return -1;
    s->tag_open = 1;
    s->tag_node = p->node;
    if (!p->node)
        return write_ops(s, "/Artifact BMC\n");
    selem *e = element(s, p->node);
    if (!e || add_mcid(s, e, p->node))
        return -1;
    HPDF_Array_Add(s->page_parents, e->dict);
    if (check(s, NULL))
        return -1;
    /* "/P <</MCID 12>> BDC", without parsing a format for every run (the
     * type names are at most 8 bytes). */
    char ops[64], *o = ops;
    const char *type = rg_stype_name(p->node->type);
    size_t n = strlen(type);
    *o++ = '/';
    memcpy(o, type, n);
    o += n;
    memcpy(o, " <</MCID ", 9);
    o = put_ll(o + 9, s->mcid++);
    strcpy(o, ">> BDC\n");
    return write_ops(s, ops);
}

/* The ParentTree leaf the next entry goes in: leaves of at most
 * MAX_LEAF pairs. NULL after a diagnostic. */
static struct ptleaf *leaf_ready(pdf_painter *s, int key)
{
    struct ptleaf *f = s->nleaves ? &s->leaves[s->nleaves - 1] : NULL;
    if (!f || f->n == MAX_LEAF) {
        if (s->nleaves == s->leaves_cap) {
            int cap = s->leaves_cap ? s->leaves_cap * 2 : 4;
            struct ptleaf *v = realloc(s->leaves, (size_t)cap * sizeof *v);
            if (!v) {
                fail(s, "cannot write: out of memory");
                return NULL;
            }
            s->leaves = v;
            s->leaves_cap = cap;
        }
        f = &s->leaves[s->nleaves];
        *f = (struct ptleaf){0};
        f->d = HPDF_Dict_New(s->pdf->mmgr);
        if (!f->d || HPDF_Xref_Add(s->pdf->xref, f->d) != HPDF_OK ||
            !(f->nums = HPDF_Array_New(s->pdf->mmgr)) || HPDF_Dict_Add(f->d, "Nums", f->nums) != HPDF_OK) {
            if (!check(s, NULL))
                fail(s, "cannot write: out of memory");
            return NULL;
        }
        s->nleaves++;
        f->first = key;
    }
    return f;
}

/* A ParentTree entry: key -> value (a page's array of elements by MCID,
 * or an annotation's element); value may be made after leaf_ready. */
static int parent_tree_add(pdf_painter *s, struct ptleaf *f, int key, void *value)
{
    HPDF_Array_AddNumber(f->nums, key);
    HPDF_Array_Add(f->nums, value);
    f->last = key;
    f->n++;
    return check(s, NULL);
}

/* The ParentTree: its one leaf, or a root whose /Kids are the leaves, each
 * with the /Limits of its keys (a number tree, PDF 7.9.7). */
static int parent_tree_end(pdf_painter *s)
{
    if (!s->st_root || !s->nleaves)
        return 0;
    if (s->nleaves == 1) {
        HPDF_Dict_Add(s->st_root, "ParentTree", s->leaves[0].d);
        return check(s, NULL);
    }
    HPDF_Dict root = HPDF_Dict_New(s->pdf->mmgr);
    HPDF_Array kids = NULL;
    if (!root || HPDF_Xref_Add(s->pdf->xref, root) != HPDF_OK || !(kids = HPDF_Array_New(s->pdf->mmgr)) ||
        HPDF_Dict_Add(root, "Kids", kids) != HPDF_OK)
        return check(s, NULL) ? -1 : fail(s, "cannot write: out of memory");
    for (int i = 0; i < s->nleaves; i++) {
        HPDF_Array lim = HPDF_Array_New(s->pdf->mmgr);
        if (!lim || HPDF_Dict_Add(s->leaves[i].d, "Limits", lim) != HPDF_OK)
            return check(s, NULL) ? -1 : fail(s, "cannot write: out of memory");
        HPDF_Array_AddNumber(lim, s->leaves[i].first);
        HPDF_Array_AddNumber(lim, s->leaves[i].last);
        HPDF_Array_Add(kids, s->leaves[i].d);
    }
    HPDF_Dict_Add(s->st_root, "ParentTree", root);
    return check(s, NULL);
}

/* The annotation a link primitive makes belongs to a Link element (its
 * node's, or for a link drawn as decoration one of its own), through an
 * OBJR in the element and /StructParent in the annotation; *objr and *key
 * are set (objr NULL: no structure). The OBJR's /Obj comes with the
 * annotation. */
static int link_struct(pdf_painter *s, const rg_prim *p, HPDF_Dict *objr, int *key)
{
    *objr = NULL;
    if (!s->st_root)
        return 0;
    selem *e, own = {0};
    if (p->node) {
        if (!(e = element(s, p->node)))
            return -1;
    } else {
        selem *doc = element(s, s->pl->sroot);
        if (!doc || k_ready(s, doc, s->pl->sroot) || !(own.dict = new_elem(s, "Link", doc->dict)) ||
            kid_add(s, doc, s->pl->sroot, own.dict))
            return -1;
        e = &own;
    }
    if (k_ready(s, e, p->node))
        return -1;
    HPDF_Dict o = HPDF_Dict_New(s->pdf->mmgr);
    if (!o)
        return check(s, NULL) ? -1 : fail(s, "cannot write: out of memory");
    if (kid_add(s, e, p->node, o))
        return -1;
    HPDF_Dict_AddName(o, "Type", "OBJR");
    HPDF_Dict_Add(o, "Pg", s->page);
    *key = s->next_key++;
    struct ptleaf *f = leaf_ready(s, *key);
    if (!f || parent_tree_add(s, f, *key, e->dict))
        return -1;
    *objr = o;
    return check(s, NULL);
}

/* An annotation's part in the tree: /StructParent, its words as
 * /Contents, and the OBJR's /Obj; and its /F. */
static int link_tagged(pdf_painter *s, HPDF_Annotation an, HPDF_Dict objr, int key, const char *words)
{
    HPDF_Dict_AddNumber(an, "F", 4); /* printed, as PDF/A asks of every annotation */
    if (check(s, NULL) || !objr)
        return check(s, NULL);
    HPDF_Dict_AddNumber(an, "StructParent", key);
    HPDF_Dict_Add(objr, "Obj", an);
    if (check(s, NULL))
        return -1;
    return words && *words ? text_key(s, an, "Contents", words) : 0;
}

/* The document's structure root, made once per document; the elements
 * come with the content. */
static int tags_begin(pdf_painter *s)
{
    HPDF_MMgr mm = s->pdf->mmgr;
    HPDF_Dict root, mark;
    if (!s->pl->sroot)
        return 0;
    s->nel = s->pl->nsnodes + 1;
    if (!(s->el = calloc((size_t)s->nel, sizeof *s->el)))
        return fail(s, "cannot write: out of memory");
    /* Owned by the document as soon as made (HPDF_Xref_Add frees it when
     * it fails; mark is handed over by HPDF_Dict_Add below). */
    if (!(root = HPDF_Dict_New(mm)) || HPDF_Xref_Add(s->pdf->xref, root) != HPDF_OK || !(mark = HPDF_Dict_New(mm)))
        return check(s, NULL) ? -1 : fail(s, "cannot write: out of memory");
    HPDF_Dict_AddName(root, "Type", "StructTreeRoot");
    HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
    HPDF_Dict_Add(s->pdf->catalog, "MarkInfo", mark);
    HPDF_Dict_Add(s->pdf->catalog, "StructTreeRoot", root);
    s->st_root = root;
    return check(s, NULL);
}

static int tags_page(pdf_painter *s)
{
    if (!s->st_root)
        return 0;
    int key = s->next_key++;
    struct ptleaf *f = leaf_ready(s, key);
    if (!f)
        return -1;
    s->page_parents = HPDF_Array_New(s->pdf->mmgr);
    if (!s->page_parents)
        return check(s, NULL) ? -1 : fail(s, "cannot write: out of memory");
    if (parent_tree_add(s, f, key, s->page_parents))
        return -1;
    HPDF_Dict_AddNumber(s->page, "StructParents", key);
    HPDF_Dict_AddName(s->page, "Tabs", "S");
    s->mcid = 0;
    return check(s, NULL);
}

/* Adds n bytes to the open TJ array. */
static int tj_add(pdf_painter *s, const char *t, size_t n)
{
    if (s->tj_len + n + 1 > s->tj_cap) {
        size_t cap = s->tj_cap ? s->tj_cap : 1024;
        while (cap < s->tj_len + n + 1)
            cap *= 2;
        char *v = realloc(s->tj, cap);
        if (!v)
            return fail(s, "cannot write: out of memory");
        s->tj = v;
        s->tj_cap = cap;
    }
    memcpy(s->tj + s->tj_len, t, n);
    s->tj_len += n;
    s->tj[s->tj_len] = '\0';
    return 0;
}

/* Writes the open TJ array, if any: "[<...> -12 <...>] TJ". */
static int flush_tj(pdf_painter *s)
{
    if (!s->tj_len)
        return 0;
    size_t n = s->tj_len;
    s->tj_len = 0;
    return ops_put(s, "[<", 2) || ops_put(s, s->tj, n) || ops_put(s, ">] TJ\n", 6) ? -1 : 0;
}

/* words hyphenated at a line's end (below) */
static int paint_hyphenated(pdf_painter *s, const rg_prim *p);
static int paint_head(pdf_painter *s, const rg_prim *p);
static int as_shapes(pdf_painter *s, const rg_prim *p, const char *head, size_t n);
static int hyphen_shapes(pdf_painter *s, const rg_prim *p, int alone);
static int paint_shapes(pdf_painter *s, const rg_prim *p, size_t a);

/* A text run: glyph ids of the face's font at the run's baseline start.
 * Runs that follow each other on one baseline in one font, size and
 * colour (the words of a line) share one TJ array: the space between two
 * is a TJ adjustment from where the glyphs left the pen, rounded to a unit
 * of text space (1/1000 of the size) with the pen tracked exactly, so no
 * error adds up along a line; left-aligned words need none. A run that
 * starts elsewhere is reached with Td from the last line origin. */
static int paint_text(pdf_painter *s, const rg_prim *p)
{
    pdf_face *f;
    char ops[128], *o;

    if (p->len == 0)
        return 0;
    rg_prim rest;
    if (p->head) {
        if (as_shapes(s, p, p->head, strlen(p->head)) && paint_head(s, p))
            return -1;
        rest = *p;
        rest.head = NULL;
        p = &rest;
    }
    if (hyphen_shapes(s, p, 0))
        return paint_hyphenated(s, p);
    /* A word's own hyphen at the end of a line comes as U+2010 (text.c):
     * text extractors take a line-final U+002D for a hyphenation mark and
     * drop it. It is drawn as the font's hyphen-minus (the width the line
     * was measured with) inside /ActualText that says U+2010. */
    size_t len = p->len;
    size_t tail = p->len >= 4 && p->text[p->len - 1] == ' '; /* "pre- and": its space */
    int hyphen = p->len >= 3 + tail && memcmp(p->text + p->len - 3 - tail, "\xe2\x80\x90", 3) == 0;
    if (hyphen)
        len -= 3 + tail;
    if (!(f = face_get(s, p->face)))
        return -1;
    if (hyphen && (encode_run(s, f, "-", 1, 0) || (tail && encode_run(s, f, " ", 1, 0))))
        return -1;
    /* The face's own switch: faces sharing one file share f. */
    if (encode_run(s, f, p->text, len, s->pl->theme->face[p->face].ligatures))
        return -1;
    rg_color fill = p->fill.set ? p->fill : (rg_color){0, 0, 0, 1};
    rg_mpt x = p->x, y = s->page_hm - p->y;
    if (s->tj_len && (f != s->font || p->size != s->font_size || y != s->ty || !same_rgb(fill, s->fill)) &&
        flush_tj(s))
        return -1;
    if (set_fill(s, p->fill))
        return -1;
    if (!s->in_text) {
        if (write_ops(s, "BT\n"))
            return -1;
        s->in_text = 1;
        s->tx = s->ty = 0;
    }
    if (f != s->font || p->size != s->font_size) {
        const char *res = font_resource(s, f);
        if (!res)
            return -1;
        s->font = f;
        s->font_size = p->size;
        o = ops + snprintf(ops, sizeof ops, "/%s ", res);
        o = put_mpt(o, p->size);
        strcpy(o, " Tf\n");
        if (write_ops(s, ops))
            return -1;
    }
    long long upem = rg_font_upem(f->font), size = p->size > 0 ? p->size : 1;
    if (s->tj_len) {
        long long gap = (long long)x * 1000 * upem - s->pen, q = size * upem;
        long long n = gap >= 0 ? -((gap + q / 2) / q) : (-gap + q / 2) / q;
        if (n) {
            o = ops;
            *o++ = '>';
            o = put_ll(o, n);
            *o++ = '<';
            if (tj_add(s, ops, (size_t)(o - ops)))
                return -1;
            s->pen -= n * q;
        }
    } else {
        o = put_mpt(ops, (long long)x - s->tx);
        *o++ = ' ';
        o = put_mpt(o, (long long)y - s->ty);
        strcpy(o, " Td\n");
        s->tx = x;
        s->ty = y;
        if (write_ops(s, ops))
            return -1;
        s->pen = (long long)x * 1000 * upem;
    }
    if (tj_add(s, s->buf, strlen(s->buf)))
        return -1;
    s->pen += s->run_adv * size * 1000;
    if (hyphen) {
        if (write_ops(s, "/Span <</ActualText <FEFF2010>>> BDC\n") || encode_run(s, f, "-", 1, 0) ||
            tj_add(s, s->buf, strlen(s->buf)) || write_ops(s, "EMC\n"))
            return -1;
        s->pen += s->run_adv * size * 1000;
        if (tail && (encode_run(s, f, " ", 1, 0) || tj_add(s, s->buf, strlen(s->buf))))
            return -1;
        s->pen += tail ? s->run_adv * size * 1000 : 0;
    }
    return 0;
}

/* ---- words hyphenated at a line's end -------------------------------------- */
/* MuPDF 1.21, Ghostscript 10.0 and pdf.js ignore /ActualText, and poppler
 * alone honours it (measured on "ac-" + "countability"): a line-end hyphen
 * that is drawn as text reads as "ac-" in three of the four. So the first
 * part of such a word and its hyphen are drawn as the glyphs' shapes,
 * marked as an artifact, and the first part is written again as invisible
 * text (render mode 3), squeezed, just before the rest of the word on the
 * next line: every reader, a screen reader following the tags, search and
 * copy find "accountability" there. */

typedef struct shape_out {
    double k;              /* font units to the 1000-unit em */
    int dry;
    rg_buf b;              /* the operators */
} shape_out;

static void shape_put(shape_out *o, const char *t, size_t n)
{
    if (!o->dry)
        rg_buf_add(&o->b, t, n);
}

static void shape_op(shape_out *o, const double *v, int n, const char *op)
{
    char num[200], *q = num; /* six numbers of at most 21 characters, and op */
    if (o->dry)
        return;
    for (int i = 0; i < n; i++) {
        q = put_ll(q, llround(v[i] * o->k));
        *q++ = ' ';
    }
    size_t k = strlen(op);
    memcpy(q, op, k);
    shape_put(o, num, (size_t)(q - num) + k);
}
static void shape_move(void *c, double x, double y) { shape_op(c, (double[]){x, y}, 2, "m\n"); }
static void shape_line(void *c, double x, double y) { shape_op(c, (double[]){x, y}, 2, "l\n"); }
static void shape_curve(void *c, double x1, double y1, double x2, double y2, double x3, double y3)
{
    shape_op(c, (double[]){x1, y1, x2, y2, x3, y3}, 6, "c\n");
}
static void shape_close(void *c) { shape_op(c, NULL, 0, "h\n"); }

/* Draws t (len bytes of face f at size, kerned as the layout measured it)
 * as filled shapes from x on the baseline y (millipoints from the bottom
 * left): each glyph's outline in its own coordinates, placed by cm, so a
 * glyph drawn twice is the same bytes twice (deflate keeps one). dry: only
 * tries that every glyph's outline can be read. 0, or -1. */
static int draw_shapes(pdf_painter *s, pdf_face *f, rg_mpt size, long long x, long long y, const char *t, size_t len,
                       int dry)
{
    static const double unit[6] = {1, 0, 0, 1, 0, 0};
    size_t n = 0;
    int clen;
    for (size_t i = 0; i < len; i += (size_t)clen, n++)
        if (rg_utf8_decode(t + i, len - i, &clen) < 0 || clen <= 0)
            return -1;
    if (encode_run(s, f, t, len, 0)) /* code points and kerning into s->cps, s->kern; one glyph a character, as drawn below */
        return -1;
    long long pen = 0, upem = rg_font_upem(f->font);
    for (size_t i = 0; i < n; i++) {
        unsigned g = rg_font_glyph(f->font, s->cps[i]);
        shape_out o = {1000.0 / upem, dry, {0}};
        rg_outline_sink sink = {&o, shape_move, shape_line, shape_curve, shape_close};
        char ops[160], *q = ops;
        q = put_mpt(strcpy(q, "q ") + 2, size);
        q = put_mpt(strcpy(q, " 0 0 ") + 5, size);
        *q++ = ' ';
        q = put_mpt(q, x + (pen * size + upem / 2) / upem);
        *q++ = ' ';
        q = put_mpt(q, y);
        strcpy(q, " cm .001 0 0 .001 0 0 cm\n");
        if (!dry)
            shape_put(&o, ops, strlen(ops));
        char err[256];
        if (rg_font_need_glyph(f->font, g, err, sizeof err)) {
            free(o.b.s);
            return fail(s, "cannot write: font '%s': %s", rg_font_path(f->font), err);
        }
        int bad = rg_glyph_outline(f->font, g, unit, &sink);
        shape_op(&o, NULL, 0, "f Q\n");
        int rc = bad ? (dry ? -1 : fail(s, "cannot write: glyph %u of %s cannot be drawn", g, rg_font_psname(f->font)))
                 : o.b.oom ? fail(s, "cannot write: out of memory")
                 : dry || !o.b.s || !strstr(o.b.s, "m\n") ? 0 /* a space has no outline */
                 : write_ops(s, o.b.s);
        free(o.b.s);
        if (rc)
            return -1;
        pen += rg_font_glyph_units(f->font, g) + s->kern[i];
    }
    return 0;
}

/* Can the first part of a hyphenated word (head, n bytes, of p's face)
 * and a hyphen be drawn as shapes? The run it ends and the run its rest
 * starts ask the same of the same glyphs, so they agree; when not, the word
 * is drawn as text with its hyphen. */
static int as_shapes(pdf_painter *s, const rg_prim *p, const char *head, size_t n)
{
    pdf_face *f = face_get(s, p->face);
    return f && !draw_shapes(s, f, p->size, 0, 0, head, n, 1) && !draw_shapes(s, f, p->size, 0, 0, "-", 1, 1);
}

/* Where the last word of p's text starts (p ends in a hyphenated word's
 * first part and its hyphen). */
static size_t last_word(const rg_prim *p)
{
    size_t a = p->len - 1;
    while (a > 0 && p->text[a - 1] != ' ')
        a--;
    return a;
}

/* Is p a run whose last word is the first part of a hyphenated word drawn
 * as shapes? (and none of its text before.) */
static int hyphen_shapes(pdf_painter *s, const rg_prim *p, int alone)
{
    if (!p->word || p->len < 2 || p->text[p->len - 1] != '-')
        return 0;
    size_t a = last_word(p);
    return (!alone || a == 0) && as_shapes(s, p, p->text + a, p->len - 1 - a);
}

/* p's text from byte a on as shapes, an artifact outside the tagged content. */
static int paint_shapes(pdf_painter *s, const rg_prim *p, size_t a)
{
    pdf_face *f = face_get(s, p->face);
    if (!f || tag_close(s) || end_text(s) || encode_run(s, f, p->text, a, s->pl->theme->face[p->face].ligatures))
        return -1;
    long long upem = rg_font_upem(f->font), x = p->x + (s->run_adv * p->size + upem / 2) / upem;
    return set_fill(s, p->fill) || write_ops(s, "/Artifact BMC\n") ||
           draw_shapes(s, f, p->size, x, (long long)s->page_hm - p->y, p->text + a, p->len - a, 0) ||
           write_ops(s, "EMC\n") ? -1 : 0;
}

/* A run whose last word is the first part of a hyphenated word: the words
 * before it as text, then the part and its hyphen as shapes. */
static int paint_hyphenated(pdf_painter *s, const rg_prim *p)
{
    rg_prim q = *p;
    q.word = NULL;
    q.len = last_word(p);
    return paint_text(s, &q) || paint_shapes(s, p, q.len) ? -1 : 0;
}

/* The first part of the word that p starts with the rest of (p->head),
 * as invisible text squeezed into the space just before it. As squeezed as
 * it may be: poppler drops a character that meets its like closer than a
 * tenth of the size (its test for overprinted bold), so two alike stay 0.15
 * of the size apart, the rest's first character counted; at most 100%. */
static int paint_head(pdf_painter *s, const rg_prim *p)
{
    pdf_face *f = face_get(s, p->face);
    size_t n = strlen(p->head);
    int clen;
    int32_t next = rg_utf8_decode(p->text, p->len, &clen);
    if (!f || encode_run(s, f, p->head, n, 0))
        return -1;
    long long upem = rg_font_upem(f->font), width = s->run_adv, pct = 10;
    size_t m = 0;
    for (size_t i = 0; i < n; i += (size_t)clen, m++)
        if (rg_utf8_decode(p->head + i, n - i, &clen) < 0 || clen <= 0)
            return -1;
    for (size_t i = 0; i < m; i++) {
        long long at = 0; /* from character i to character j (j = m: the rest's first) */
        for (size_t j = i + 1; j <= m; j++) {
            at += (long long)rg_font_glyph_units(f->font, rg_font_glyph(f->font, s->cps[j - 1])) + s->kern[j - 1];
            uint32_t c = j < m ? s->cps[j] : (uint32_t)next;
            if (c == s->cps[i] && at > 0 && (15 * upem + at - 1) / at > pct)
                pct = (15 * upem + at - 1) / at; /* 0.15 em / at, in percent, rounded up */
        }
    }
    if (pct > 100)
        pct = 100;
    rg_prim q = *p;
    q.text = p->head;
    q.len = n;
    q.head = q.word = NULL;
    q.x = p->x - (rg_mpt)((width * p->size * pct / 100 + upem / 2) / upem);
    char ops[32];
    snprintf(ops, sizeof ops, "%lld Tz 3 Tr\n", pct);
    return flush_tj(s) || write_ops(s, ops) || paint_text(s, &q) || flush_tj(s) ||
           write_ops(s, "100 Tz 0 Tr\n") ? -1 : 0;
}

/* A rectangle path with corners of radius r. PDF has no arcs: each corner
 * is a cubic Bezier whose control points sit 0.5523 r from its ends, the
 * usual quarter-circle fit (radius error under 0.03%). */
static int round_rect(pdf_painter *s, double l, double b, double w, double h, double r)
{
    const double k = 0.5523 * r;
    double rt = l + w, t = b + h;
    const HPDF_REAL c1[] = {(HPDF_REAL)(rt - r + k), (HPDF_REAL)b, (HPDF_REAL)rt, (HPDF_REAL)(b + r - k),
                            (HPDF_REAL)rt, (HPDF_REAL)(b + r)};
    const HPDF_REAL c2[] = {(HPDF_REAL)rt, (HPDF_REAL)(t - r + k), (HPDF_REAL)(rt - r + k), (HPDF_REAL)t,
                            (HPDF_REAL)(rt - r), (HPDF_REAL)t};
    const HPDF_REAL c3[] = {(HPDF_REAL)(l + r - k), (HPDF_REAL)t, (HPDF_REAL)l, (HPDF_REAL)(t - r + k),
                            (HPDF_REAL)l, (HPDF_REAL)(t - r)};
    const HPDF_REAL c4[] = {(HPDF_REAL)l, (HPDF_REAL)(b + r - k), (HPDF_REAL)(l + r - k), (HPDF_REAL)b,
                            (HPDF_REAL)(l + r), (HPDF_REAL)b};

    return put_op(s, (HPDF_REAL[]){(HPDF_REAL)(l + r), (HPDF_REAL)b}, 2, "m\n") ||
           put_op(s, (HPDF_REAL[]){(HPDF_REAL)(rt - r), (HPDF_REAL)b}, 2, "l\n") || put_op(s, c1, 6, "c\n") ||
           put_op(s, (HPDF_REAL[]){(HPDF_REAL)rt, (HPDF_REAL)(t - r)}, 2, "l\n") || put_op(s, c2, 6, "c\n") ||
           put_op(s, (HPDF_REAL[]){(HPDF_REAL)(l + r), (HPDF_REAL)t}, 2, "l\n") || put_op(s, c3, 6, "c\n") ||
           put_op(s, (HPDF_REAL[]){(HPDF_REAL)l, (HPDF_REAL)(b + r)}, 2, "l\n") || put_op(s, c4, 6, "c\n") ||
           write_ops(s, "h\n") ? -1 : 0;
}

/* A stroke_width of 0 draws no stroke: PDF would draw the thinnest line
 * the device can, which is never what a layout of 0 means. */
static int paint_rect(pdf_painter *s, const rg_prim *p)
{
    int fill = p->fill.set, stroke = p->stroke.set && p->stroke_width > 0;
    double x = p->x / 1000.0, y = p->y / 1000.0, w = p->w / 1000.0, h = p->h / 1000.0;
    double r = p->radius / 1000.0;

    if (!fill && !stroke)
        return 0;
    if (end_text(s))
        return -1;
    if (w < 0) {
        x += w;
        w = -w;
    }
    if (h < 0) {
        y += h;
        h = -h;
    }
    if ((fill && set_fill(s, p->fill)) || (stroke && set_stroke(s, p->stroke, p->stroke_width)))
        return -1;
    if (r > w / 2)
        r = w / 2;
    if (r > h / 2)
        r = h / 2;
    if (r > 0 ? round_rect(s, x, s->page_h - y - h, w, h, r)
              : put_op(s, (HPDF_REAL[]){(HPDF_REAL)x, (HPDF_REAL)(s->page_h - y - h), (HPDF_REAL)w, (HPDF_REAL)h},
                       4, "re\n"))
        return -1;
    return write_ops(s, fill && stroke ? "B\n" : fill ? "f\n" : "S\n");
}

static int paint_line(pdf_painter *s, const rg_prim *p)
{
    if (!p->stroke.set || p->stroke_width <= 0)
        return 0;
    if (end_text(s))
        return -1;
    const HPDF_REAL from[] = {(HPDF_REAL)(p->x / 1000.0), (HPDF_REAL)(s->page_h - p->y / 1000.0)};
    const HPDF_REAL to[] = {(HPDF_REAL)((p->x + p->w) / 1000.0), (HPDF_REAL)(s->page_h - (p->y + p->h) / 1000.0)};
    return set_stroke(s, p->stroke, p->stroke_width) || put_op(s, from, 2, "m\n") || put_op(s, to, 2, "l\n") ||
           write_ops(s, "S\n") ? -1 : 0;
}

/* A link is an annotation, not page content, so it may come between text
 * runs without closing the text object. The URI of a URI action must be
 * 7-bit ASCII: other bytes and spaces are percent-encoded. */
static int paint_link(pdf_painter *s, const rg_prim *p)
{
    static const char hexd[] = "0123456789ABCDEF";
    HPDF_Rect rect;
    HPDF_Annotation a;
    HPDF_Dict objr;
    int key;
    size_t n = 0;
    const char *words = p->node && p->node->alt ? p->node->alt : p->uri;

    if (p->dest) {
        if (!rg_pagelist_anchor(s->pl, p->dest))
            return 0; /* the layout checked references; nothing to point at */
        if (s->nlinks == s->links_cap) {
            int cap = s->links_cap ? s->links_cap * 2 : 16;
            struct inlink *v = realloc(s->links, (size_t)cap * sizeof *v);
            if (!v)
                return fail(s, "cannot write: out of memory");
            s->links = v;
            s->links_cap = cap;
        }
        if (link_struct(s, p, &objr, &key))
            return -1;
        struct inlink *k = &s->links[s->nlinks++];
        k->page = s->npages - 1;
        k->dest = p->dest;
        k->objr = objr;
        k->key = key;
        k->words = words;
        k->rect.left = (HPDF_REAL)(p->x / 1000.0);
        k->rect.right = (HPDF_REAL)((p->x + p->w) / 1000.0);
        k->rect.top = (HPDF_REAL)(s->page_h - p->y / 1000.0);
        k->rect.bottom = (HPDF_REAL)(s->page_h - (p->y + p->h) / 1000.0);
        return 0;
    }
    if (!p->uri || !*p->uri)
        return 0;
    if (reserve(s, 3 * strlen(p->uri) + 1))
        return -1;
    for (const unsigned char *u = (const unsigned char *)p->uri; *u; u++) {
        if (*u <= 0x20 || *u >= 0x7F) {
            s->buf[n++] = '%';
            s->buf[n++] = hexd[*u >> 4];
            s->buf[n++] = hexd[*u & 15];
        } else {
            s->buf[n++] = (char)*u;
        }
    }
    s->buf[n] = '\0';
    rect.left = (HPDF_REAL)(p->x / 1000.0);
    rect.right = (HPDF_REAL)((p->x + p->w) / 1000.0);
    rect.top = (HPDF_REAL)(s->page_h - p->y / 1000.0);
    rect.bottom = (HPDF_REAL)(s->page_h - (p->y + p->h) / 1000.0);
    if (link_struct(s, p, &objr, &key))
        return -1;
    a = HPDF_Page_CreateURILinkAnnot(s->page, rect, s->buf);
    if (check(s, NULL))
        return -1;
    HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
    if (check(s, NULL))
        return -1;
    return link_tagged(s, a, objr, key, words);
}

/* An image file whole, for libharu; NULL (size 0: it cannot be read, else
 * memory ran out). */
static unsigned char *read_image(const char *path, size_t *size)
{
    struct stat st;
    char why[256];
    *size = 0;
    int fd = rg_file_open(path, &st, why, sizeof why);
    if (fd < 0)
        return NULL;
    unsigned char *buf = NULL;
    size_t n = (size_t)st.st_size, got = 0;
    if (st.st_size > 0 && (unsigned long long)st.st_size <= RG_MAX_IMAGE_BYTES && !(buf = malloc(n)))
        *size = n;
    while (buf && got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            free(buf);
            buf = NULL;
            break;
        }
        got += (size_t)r;
    }
    close(fd);
    if (buf)
        *size = n;
    return buf;
}

/* Images are loaded once per document and file (checked by the layout). */
static int paint_image(pdf_painter *s, const rg_prim *p)
{
    HPDF_Image img = NULL;
    for (int i = 0; i < s->nimages; i++)
        if (strcmp(s->images[i].path, p->image) == 0)
            img = s->images[i].img;
    if (!img) {
        char what[300];
        snprintf(what, sizeof what, "cannot embed image '%.250s'", p->image);
        if (end_text(s))
            return -1;
        /* Read here, not by libharu's fopen: a file swapped for a FIFO
         * since layout checked it must not hang the run. */
        size_t size = 0;
        unsigned char *buf = read_image(p->image, &size);
        if (!buf)
            return fail(s, "%s: %s", what, size ? "out of memory" : "cannot read it again");
        img = p->image_kind == RG_IMAGE_JPEG ? HPDF_LoadJpegImageFromMem(s->pdf, buf, (HPDF_UINT)size)
                                             : HPDF_LoadPngImageFromMem(s->pdf, buf, (HPDF_UINT)size);
        free(buf);
        if (check(s, what) || !img)
            return s->failed ? -1 : fail(s, "%s", what);
        if (s->nimages < (int)(sizeof s->images / sizeof s->images[0])) {
            s->images[s->nimages].path = p->image;
            s->images[s->nimages++].img = img;
        }
    }
    if (end_text(s))
        return -1;
    if (page_flush(s))
        return -1;
    HPDF_Page_DrawImage(s->page, img, (HPDF_REAL)(p->x / 1000.0), (HPDF_REAL)(s->page_h - (p->y + p->h) / 1000.0),
                        (HPDF_REAL)(p->w / 1000.0), (HPDF_REAL)(p->h / 1000.0));
    return check(s, NULL);
}

static int pp_prim(void *self, const rg_prim *p)
{
    pdf_painter *s = self;

    /* A run that is only the first part of a hyphenated word: shapes, no
     * tagged content (its text is read with the rest). */
    if (p->kind == RG_P_TEXT && !p->head && hyphen_shapes(s, p, 1))
        return paint_shapes(s, p, 0);
    if (p->kind != RG_P_LINK && tag_for(s, p))
        return -1;
    switch (p->kind) {
    case RG_P_TEXT: return paint_text(s, p);
    case RG_P_RECT: return paint_rect(s, p);
    case RG_P_LINE: return paint_line(s, p);
    case RG_P_LINK: return paint_link(s, p);
    case RG_P_IMAGE: return paint_image(s, p);
    }
    return fail(s, "cannot write: unknown primitive kind %d", (int)p->kind);
}

/* ---- output --------------------------------------------------------------- */

/* Hands the finished document over in one malloc'ed block (s->out),
 * written by pdf_save.c. */
static int save(pdf_painter *s)
{
    int oom;

    rg_deflate *dz = s->writer ? &s->writer->dz : &s->dz;
    dz->threads = s->pl->threads;
    int rc = rg_pdf_save(s->pdf, dz, &s->out, &s->out_size, &oom);
    if (rc == 0)
        return 0;
    if (rc == -2)
        return fail(s, "cannot write: the PDF would pass 4 GiB, more than its cross-reference stream can address");
    if (oom)
        return fail(s, "cannot write: out of memory");
    if (check(s, NULL))
        return -1;
    return fail(s, "cannot write: libharu failed");
}

/* Frees the libharu document and our buffers; safe to call again. */
static void release(pdf_painter *s)
{
    rg_deflate_early_end(s->writer ? &s->writer->dz : &s->dz); /* its thread reads the pages */
    if (s->pdf && s->writer) {
        /* Keep the parsed fonts, drop this document's objects now. */
        HPDF_FreeDoc(s->pdf);
        HPDF_ResetError(s->pdf);
        s->pdf->error.user_data = NULL;
        s->pdf = NULL;
    } else if (s->pdf) {
        HPDF_Free(s->pdf);
        s->pdf = NULL;
    }
    for (int i = 0; i < NFACE; i++) {
        free(s->face[i].uni);
        for (pdf_lig *g = s->face[i].ligs, *next; g; g = next) {
            next = g->next;
            free(g);
        }
        s->face[i] = (pdf_face){0};
    }
    s->ntags = 0;
    free(s->buf);
    s->buf = NULL;
    s->cap = 0;
    free(s->ops);
    s->ops = NULL;
    s->ops_len = s->ops_cap = 0;
    free(s->tj);
    s->tj = NULL;
    s->tj_len = s->tj_cap = 0;
    free(s->cps);
    free(s->gid);
    free(s->kern);
    s->cps = NULL;
    s->gid = NULL;
    s->kern = NULL;
    s->cps_cap = 0;
    free(s->pages);
    s->pages = NULL;
    s->npages = s->pages_cap = 0;
    free(s->links);
    s->links = NULL;
    s->nlinks = s->links_cap = 0;
    free(s->el);
    s->el = NULL;
    s->nel = 0;
    free(s->leaves);
    s->leaves = NULL;
    s->nleaves = s->leaves_cap = 0;
    s->st_root = NULL;
    s->scope_attr[0] = s->scope_attr[1] = NULL;
}

/* A destination at the top of a place on a page that keeps the reader's
 * zoom: [page /XYZ null top null]. libharu's own setter refuses a null zoom. */
static HPDF_Destination destination(pdf_painter *s, const rg_page *pg, rg_mpt y)
{
    if (pg->index < 0 || pg->index >= s->npages)
        return NULL;
    HPDF_Page target = s->pages[pg->index];
    HPDF_Destination d = HPDF_Page_CreateDestination(target);
    if (!d)
        return NULL;
    double top = pg->height / 1000.0 - y / 1000.0 + 6.0; /* a little air above */
    if (top > pg->height / 1000.0)
        top = pg->height / 1000.0;
    HPDF_Array_Clear(d);
    HPDF_Array_Add(d, target);
    HPDF_Array_AddName(d, "XYZ");
    HPDF_Array_Add(d, HPDF_Null_New(s->pdf->mmgr));
    HPDF_Array_AddReal(d, (HPDF_REAL)top);
    HPDF_Array_Add(d, HPDF_Null_New(s->pdf->mmgr));
    return d;
}

static int make_links(pdf_painter *s)
{
    for (int i = 0; i < s->nlinks; i++) {
        const rg_anchor *a = rg_pagelist_anchor(s->pl, s->links[i].dest); /* paint_link found it */
        HPDF_Destination d = destination(s, a->page, a->y);
        if (!d || check(s, NULL))
            return -1;
        HPDF_Annotation an = HPDF_Page_CreateLinkAnnot(s->pages[s->links[i].page], s->links[i].rect, d);
        if (check(s, NULL))
            return -1;
        HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
        if (check(s, NULL) || link_tagged(s, an, s->links[i].objr, s->links[i].key, s->links[i].words))
            return -1;
    }
    return 0;
}

/* Bookmarks nested by level; a level skipped (1 then 3) nests under the
 * nearest one above. */
static int make_outlines(pdf_painter *s)
{
    HPDF_Outline parent[4] = {NULL, NULL, NULL, NULL};
    for (const rg_bookmark *b = s->pl->bookmarks; b; b = b->next) {
        int level = b->level < 1 ? 1 : b->level > 3 ? 3 : b->level;
        HPDF_Outline up = NULL;
        for (int k = level - 1; k >= 1 && !up; k--)
            up = parent[k];
        /* A title that is not ASCII is replaced by our own UTF-16BE
         * string: libharu's UTF-8 encoder costs 1.4 M instructions to set
         * up, a twentieth of painting the annual report. */
        int ascii = is_ascii(b->title);
        HPDF_Outline ol = HPDF_CreateOutline(s->pdf, up, ascii ? b->title : "", NULL);
        if (!ol || check(s, NULL))
            return -1;
        if (!ascii && text_key(s, ol, "Title", b->title))
            return -1;
        HPDF_Destination d = destination(s, b->page, b->y);
        if (!d || check(s, NULL))
            return -1;
        HPDF_Outline_SetDestination(ol, d);
        HPDF_Outline_SetOpened(ol, level == 1 ? HPDF_TRUE : HPDF_FALSE);
        if (check(s, NULL))
            return -1;
        parent[level] = ol;
        for (int k = level + 1; k <= 3; k++)
            parent[k] = NULL;
    }
    if (s->pl->bookmarks) {
        HPDF_SetPageMode(s->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
        if (check(s, NULL))
            return -1;
    }
    return 0;
}

/* ---- archival form: PDF/A-2a and PDF/UA-1 (pdf_meta.c makes the parts) -- */

/* A new stream object holding n bytes, deflated or not (PDF/A wants the
 * metadata readable as it is); NULL after a failure. */
static HPDF_Dict stream_of(pdf_painter *s, const void *p, size_t n, int deflate)
{
    HPDF_Dict st = HPDF_DictStream_New(s->pdf->mmgr, s->pdf->xref);
    if (!st)
        return check(s, NULL) ? NULL : (fail(s, "cannot write: out of memory"), NULL);
    st->filter = deflate ? HPDF_STREAM_FILTER_FLATE_DECODE : HPDF_STREAM_FILTER_NONE;
    HPDF_Stream_Write(st->stream, p, (HPDF_UINT)n);
    return check(s, NULL) ? NULL : st;
}

/* The XMP metadata: the Info dictionary again, and the claim. */
static int add_metadata(pdf_painter *s)
{
    size_t n;
    char *x = rg_xmp_packet(&s->pl->info, HPDF_GetInfoAttr(s->pdf, HPDF_INFO_PRODUCER), &n);
    if (!x)
        return fail(s, "cannot write: out of memory");
    HPDF_Dict st = stream_of(s, x, n, 0);
    free(x);
    if (!st)
        return -1;
    HPDF_Dict_AddName(st, "Type", "Metadata");
    HPDF_Dict_AddName(st, "Subtype", "XML");
    HPDF_Dict_Add(s->pdf->catalog, "Metadata", st);
    return check(s, NULL);
}

/* The colours are sRGB: /OutputIntents with LittleCMS's sRGB profile. */
static int add_output_intent(pdf_painter *s)
{
    HPDF_MMgr mm = s->pdf->mmgr;
    size_t n;
    const unsigned char *icc = rg_srgb_profile(&n);
    HPDF_Dict prof = stream_of(s, icc, n, 1);
    if (!prof)
        return -1;
    HPDF_Dict oi = HPDF_Dict_New(mm);
    HPDF_Array list = oi ? HPDF_Array_New(mm) : NULL;
    if (!list) {
        if (oi)
            HPDF_Dict_Free(oi);
        return check(s, NULL) ? -1 : fail(s, "cannot write: out of memory");
    }
    const char *id = "sRGB IEC61966-2.1";
    HPDF_Dict_AddNumber(prof, "N", 3);
    HPDF_Array_Add(list, oi); /* owns oi from here on */
    HPDF_Dict_AddName(oi, "Type", "OutputIntent");
    HPDF_Dict_AddName(oi, "S", "GTS_PDFA1");
    HPDF_Dict_Add(oi, "OutputConditionIdentifier", HPDF_String_New(mm, id, NULL));
    HPDF_Dict_Add(oi, "Info", HPDF_String_New(mm, id, NULL));
    HPDF_Dict_Add(oi, "RegistryName", HPDF_String_New(mm, "http://www.color.org", NULL));
    HPDF_Dict_Add(oi, "DestOutputProfile", prof);
    HPDF_Dict_Add(s->pdf->catalog, "OutputIntents", list);
    return check(s, NULL);
}

/* /PageLabels: the numbers a viewer shows are the printed ones. */
static int add_page_labels(pdf_painter *s)
{
    HPDF_MMgr mm = s->pdf->mmgr;
    rg_page_label *l = s->pl->count > 0 ? malloc((size_t)s->pl->count * sizeof *l) : NULL;
    if (!l)
        return s->pl->count > 0 ? fail(s, "cannot write: out of memory") : 0;
    int n = rg_page_labels(s->pl, l);
    HPDF_Dict labels = HPDF_Dict_New(mm);
    HPDF_Array nums = labels ? HPDF_Array_New(mm) : NULL;
    if (!nums) {
        if (labels)
            HPDF_Dict_Free(labels);
        free(l);
        return check(s, NULL) ? -1 : fail(s, "cannot write: out of memory");
    }
    HPDF_Dict_Add(labels, "Nums", nums);
    HPDF_Dict_Add(s->pdf->catalog, "PageLabels", labels); /* owns labels from here on */
    for (int i = 0; i < n && !check(s, NULL); i++) {
        HPDF_Dict r = HPDF_Dict_New(mm);
        if (!r) {
            free(l);
            return check(s, NULL) ? -1 : fail(s, "cannot write: out of memory");
        }
        HPDF_Array_AddNumber(nums, l[i].start);
        HPDF_Array_Add(nums, r);
        if (l[i].prefix[0])
            HPDF_Dict_Add(r, "P", HPDF_String_New(mm, l[i].prefix, NULL));
        if (l[i].style) {
            char style[2] = {l[i].style, 0};
            HPDF_Dict_AddName(r, "S", style);
        }
        if (l[i].style && l[i].first != 1)
            HPDF_Dict_AddNumber(r, "St", l[i].first);
    }
    free(l);
    return check(s, NULL);
}

/* PDF/A wants every annotation printed (ISO 19005-2, 6.3.2): /F 4 (Print)
 * on those made without flags, links included. */
static int print_annotations(pdf_painter *s)
{
    for (int i = 0; i < s->npages; i++) {
        HPDF_Array an = HPDF_Dict_GetItem(s->pages[i], "Annots", HPDF_OCLASS_ARRAY);
        for (HPDF_UINT k = 0; an && k < an->list->count; k++) {
            HPDF_Dict a = HPDF_Array_GetItem(an, k, HPDF_OCLASS_DICT);
            if (a && !HPDF_Dict_GetItem(a, "F", HPDF_OCLASS_NUMBER))
                HPDF_Dict_AddNumber(a, "F", 4);
            if (check(s, NULL))
                return -1;
        }
    }
    return check(s, NULL);
}

/* Page labels always (they cost nothing); the XMP identification, the
 * output intent and printed annotations unless the document is to be plain
 * (--pdf-standard none). */
static int archival(pdf_painter *s)
{
    if (add_page_labels(s))
        return -1;
    if (s->pl->info.plain)
        return 0;
    return print_annotations(s) || add_metadata(s) || add_output_intent(s) ? -1 : 0;
}

static int pp_end(void *self)
{
    pdf_painter *s = self;
    int rc = 0;

    if (tag_close(s) || end_text(s) || (s->page && page_flush(s)))
        rc = -1;
    if (rc == 0)
        page_done(s);
    if (rc == 0 && (make_links(s) || make_outlines(s) || parent_tree_end(s)))
        rc = -1;
    /* Fonts last: their subsets hold exactly the glyphs the pages show. */
    for (int i = 0; rc == 0 && i < NFACE; i++)
        if (s->face[i].font && !s->face[i].same && embed_face(s, &s->face[i]))
            rc = -1;
    if (rc == 0 && archival(s))
        rc = -1;
    if (rc == 0)
        rc = save(s);
    release(s);
    return rc;
}

static void pp_discard(void *self)
{
    release(self);
}

static rg_pdfwriter *writer_new(const rg_theme *th, pdf_painter *s)
{
    rg_pdfwriter *w = calloc(1, sizeof *w);
    if (!w) {
        fail(s, "cannot write: out of memory");
        return NULL;
    }
    w->theme = th;
    w->pdf = new_pdf(s);
    if (!w->pdf) {
        free(w);
        fail(s, "cannot write: out of memory");
        return NULL;
    }
    w->pdf->error.user_data = NULL;
    return w;
}

void rg_pdfwriter_free(rg_pdfwriter *w)
{
    if (!w)
        return;
    if (w->pdf)
        HPDF_Free(w->pdf);
    libdeflate_free_compressor(w->dz.z[0]);
    libdeflate_free_compressor(w->dz.z[1]);
    free(w);
}

rg_status rg_paint_pdf(const rg_pagelist *pl, const char *path, rg_pdfwriter **cache, unsigned char **out,
                       size_t *out_size, rg_diags *d)
{
    pdf_painter s;
    rg_painter p = { &s, pp_begin, pp_page, pp_prim, pp_end, pp_discard };
    int rc;

    memset(&s, 0, sizeof s);
    s.path = path ? path : "";
    s.d = d;
    *out = NULL;
    *out_size = 0;
    if (!pl) {
        fail(&s, "cannot write: no page list");
        return RG_EOUTPUT;
    }
    if (cache && pl->theme) {
        if (*cache && (*cache)->theme != pl->theme) {
            rg_pdfwriter_free(*cache);
            *cache = NULL;
        }
        if (!*cache && !(*cache = writer_new(pl->theme, &s)))
            return RG_EOUTPUT;
        s.writer = *cache;
    }
    s.oom_start = rg_xml_oom_count();
    rc = rg_paint(pl, &p);
    release(&s);
    libdeflate_free_compressor(s.dz.z[0]);
    libdeflate_free_compressor(s.dz.z[1]);
    int memory = rg_xml_oom_count() != s.oom_start; /* even when libharu got it from the reserve */
    if (!s.failed && (rc != 0 || memory))
        fail(&s, "cannot write: %s", memory ? "out of memory" : "painting failed");
    if (s.failed) {
        if (cache && *cache) {
            /* After a libharu error its state is not worth trusting. */
            rg_pdfwriter_free(*cache);
            *cache = NULL;
        }
        free(s.out);
        return RG_EOUTPUT;
    }
    *out = s.out;
    *out_size = s.out_size;
    return RG_OK;
}
