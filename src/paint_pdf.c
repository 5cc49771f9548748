/* The PDF painter: a page list through libharu 2.3.0 into a block of memory.
 *
 * Why it looks the way it does (see DESIGN.md section 5):
 * - A face's TrueType file is parsed once per document, and only when a
 *   text run first uses it. Runs whose characters all fit Windows-1252 use
 *   the face's single-byte "CP1252" instance (cheap, small, clean text
 *   extraction); a run with any other character uses the face's "UTF-8"
 *   instance, whose ToUnicode CMap we rewrite because libharu's is invalid.
 * - Info strings: libharu writes them byte for byte, so non-ASCII ones go
 *   in as UTF-16BE (with BOM) hex strings, which cover every character.
 * - The PDF is handed back in memory; the caller (context.c) writes it
 *   whole or not at all, so nothing here, a crash included, touches a file.
 * - libharu allocates through reserve.c: a failure it survived is still
 *   "out of memory", and so is whatever it reports after one.
 * - libharu reports errors through a callback and keeps them (sticky); we
 *   record the first one and stop painting there. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hpdf.h>
#include <hpdf_pages.h>

#include "rg.h"

#define NFACE ((int)(sizeof(((rg_theme *)0)->face) / sizeof(((rg_theme *)0)->face[0])))

typedef struct pdf_face {
    const char *name;      /* libharu's font name; NULL until loaded */
    HPDF_Font cp1252, utf8;
    unsigned char *used;   /* UTF-8 instance: bit per BMP code point shown */
    struct pdf_face *same; /* an earlier face with the same file, or NULL */
} pdf_face;

/* libharu's allocations go through reserve.c (rg_paint_pdf checks its count). */
static void *hpdf_alloc(HPDF_UINT n) { return rg_lib_malloc(n); }
static void hpdf_free(void *p) { free(p); }

/* What outlives one document: libharu's document object with every face
 * of one theme parsed once. HPDF_NewDoc starts the next document and keeps
 * the parsed fonts (it only clears their used-glyph marks). */
struct rg_pdfwriter {
    HPDF_Doc pdf;
    const rg_theme *theme;
    const char *name[NFACE];   /* libharu's font name per face */
    int utf8_ready;
    int used;                  /* a document has been started on it */
};

typedef struct pdf_painter {
    rg_pdfwriter *writer;      /* NULL: a libharu document of our own */
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
    int utf8_ready;

    /* page state: what the content stream has set, to avoid repeating it */
    HPDF_Page page;
    double page_h;         /* points */
    int in_text;
    HPDF_Font font;
    rg_mpt font_size;
    rg_color fill, stroke;
    rg_mpt line_width;

    char *buf;             /* scratch for converted text and URIs */
    size_t cap;

    /* Every page, by index: links and bookmarks may point forward, so
     * they are made in pp_end when all pages exist. */
    HPDF_Page *pages;
    int npages, pages_cap;
    struct inlink { int page; HPDF_Rect rect; const char *dest; } *links;
    int nlinks, links_cap;
    struct { const char *path; HPDF_Image img; } images[64];
    int nimages;

    /* Tagged PDF: a structure tree of headings, paragraphs and figures over
     * marked content, decoration marked as artifact, for screen readers. */
    HPDF_Dict st_doc;          /* the Document element */
    HPDF_Array st_kids, st_nums;
    HPDF_Array page_parents;   /* this page's MCIDs -> elements */
    HPDF_Dict elem;            /* the element now open */
    int elem_block, elem_page;
    int mcid, tag_open, tag_role, tag_block;
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
    return HPDF_NewEx(on_error, hpdf_alloc, hpdf_free, 0, painter);
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

/* ---- text conversion ------------------------------------------------------ */

/* Windows-1252 bytes 0x80..0x9F; 0 where the code page has a hole. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* The Windows-1252 byte for cp, or -1. Control characters have no glyph in
 * libharu's table, so they count as outside. */
static int cp1252_byte(int32_t cp)
{
    if ((cp >= 0x20 && cp < 0x7F) || (cp >= 0xA0 && cp <= 0xFF))
        return (int)cp;
    for (int i = 0; i < 32; i++)
        if (cp1252_high[i] == cp)
            return 0x80 + i;
    return -1;
}

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

/* Puts the run into s->buf, NUL-terminated, as Windows-1252 when every
 * character fits (*utf8 = 0), else as the UTF-8 itself (*utf8 = 1). */
static int convert_run(pdf_painter *s, const rg_prim *p, int *utf8)
{
    size_t i, n = 0;
    int len;

    if (reserve(s, p->len + 1))
        return -1;
    *utf8 = 0;
    for (i = 0; i < p->len; i += (size_t)len) {
        int32_t cp = rg_utf8_decode(p->text + i, p->len - i, &len);
        int b;
        if (cp < 0 || len <= 0 || (cp >= 0xD800 && cp <= 0xDFFF))
            return fail(s, "cannot write: invalid UTF-8 at byte %zu of the text run '%.*s'",
                        i, (int)(p->len < 60 ? p->len : 60), p->text);
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
            return fail(s, "cannot write: control character U+%04X in the text run '%.*s'",
                        (unsigned)cp, (int)(p->len < 60 ? p->len : 60), p->text);
        /* libharu's UTF-8 encoder would turn these into spaces. */
        if (cp > 0xFFFF)
            return fail(s, "cannot write: character U+%04X is outside the Basic "
                        "Multilingual Plane, which libharu 2.3.0 cannot show",
                        (unsigned)cp);
        if ((b = cp1252_byte(cp)) < 0)
            *utf8 = 1;
        else
            s->buf[n++] = (char)b;
    }
    if (*utf8) {
        memcpy(s->buf, p->text, p->len);
        n = p->len;
    }
    s->buf[n] = '\0';
    return 0;
}

/* ---- fonts ---------------------------------------------------------------- */

/* The face record for face fi, its file loaded (once per document); NULL
 * after a diagnostic. */
static const char *load_face(rg_pdfwriter *w, const char *path, int index, pdf_painter *s);
static int tags_begin(pdf_painter *s);
static int tags_page(pdf_painter *s, int index);
static int tag_close(pdf_painter *s);

static pdf_face *face_get(pdf_painter *s, int fi)
{
    const rg_theme *th = s->pl->theme;
    pdf_face *f;
    char what[300];

    if (!th || fi < 0 || fi >= th->nface || fi >= NFACE || !th->face[fi].font) {
        fail(s, "cannot write: a text run uses face %d, which the theme lacks", fi);
        return NULL;
    }
    f = &s->face[fi];
    if (f->same)
        return f->same;
    if (!f->name && s->writer) {
        /* Parsed on first use, once per process; named by face index, so
         * the order of first use does not change the bytes. */
        if (!s->writer->name[fi] &&
            !(s->writer->name[fi] = load_face(s->writer, rg_font_path(th->face[fi].font), fi, s)))
            return NULL;
        /* Faces of one file share one record: the lowest such face. */
        for (int j = 0; j < fi; j++)
            if (s->writer->name[j] && strcmp(s->writer->name[j], s->writer->name[fi]) == 0) {
                s->face[j].name = s->writer->name[j];
                return f->same = &s->face[j];
            }
        f->name = s->writer->name[fi];
        return f;
    }
    if (!f->name) {
        const char *fpath = rg_font_path(th->face[fi].font), *name;
        /* Faces sharing a file share one libharu font: libharu would
         * return the same font anyway, and its ToUnicode must then cover
         * the text of both. */
        for (int j = 0; j < th->nface && j < NFACE; j++)
            if (j != fi && s->face[j].name && !s->face[j].same && th->face[j].font &&
                strcmp(rg_font_path(th->face[j].font), fpath) == 0)
                return f->same = &s->face[j];
        snprintf(what, sizeof what, "cannot load font '%.250s'", fpath);
        name = HPDF_LoadTTFontFromFile(s->pdf, fpath, HPDF_TRUE);
        if (check(s, what) || !name) {
            /* libharu returns NULL with no error code when the file ends
             * early (its reader's EOF is not an error). */
            if (!s->failed)
                fail(s, "%s: the file is truncated or damaged", what);
            return NULL;
        }
        /* libharu knows fonts by PostScript name: for a second file of the
         * same name it hands back the first font. */
        for (int j = 0; j < th->nface && j < NFACE; j++)
            if (j != fi && s->face[j].name && !s->face[j].same &&
                strcmp(s->face[j].name, name) == 0) {
                if (s->d)
                    rg_diag_add(s->d, RG_SEV_WARNING, s->path, 0, 0,
                                "fonts '%s' and '%s' have the same PostScript name; "
                                "the PDF uses the first for both", rg_font_path(th->face[j].font),
                                fpath);
                return f->same = &s->face[j];
            }
        f->name = name;
    }
    return f;
}

/* The libharu font of face f in the wanted encoding; sets up the UTF-8
 * encoder on first need. */
static HPDF_Font face_font(pdf_painter *s, pdf_face *f, int utf8)
{
    if (!utf8) {
        if (!f->cp1252) {
            f->cp1252 = HPDF_GetFont(s->pdf, f->name, "CP1252");
            if (check(s, NULL))
                return NULL;
        }
        return f->cp1252;
    }
    if (!f->utf8) {
        if (!s->utf8_ready) {
            HPDF_UseUTFEncodings(s->pdf);
            if (check(s, NULL))
                return NULL;
            s->utf8_ready = 1;
        }
        if (!(f->used = calloc(65536 / 8, 1))) {
            fail(s, "cannot write: out of memory");
            return NULL;
        }
        f->utf8 = HPDF_GetFont(s->pdf, f->name, "UTF-8");
        if (check(s, NULL))
            return NULL;
    }
    return f->utf8;
}

/* Notes the BMP code points of a UTF-8 run (already validated). */
static void mark_used(pdf_face *f, const char *t, size_t n)
{
    int len;
    for (size_t i = 0; i < n; i += (size_t)len) {
        int32_t cp = rg_utf8_decode(t + i, n - i, &len);
        f->used[cp >> 3] |= (unsigned char)(1u << (cp & 7));
    }
}

static int is_used(const unsigned char *used, unsigned cp)
{
    return (used[cp >> 3] >> (cp & 7)) & 1;
}

/* libharu 2.3.0 gives the UTF-8 font a copy of its encoding CMap
 * (cidrange, "Identity-H") as ToUnicode, which poppler rejects ("Invalid
 * 'begincidrange'"). Content codes of that font are the BMP code points
 * themselves, so the right ToUnicode maps each code shown to itself. We
 * replace the stream's contents in place, so no orphan object is left. */
static int fix_to_unicode(pdf_painter *s, pdf_face *f)
{
    HPDF_FontAttr fa = (HPDF_FontAttr)f->utf8->attr;
    HPDF_Dict cm = fa->cmap_stream;
    HPDF_Stream st;
    HPDF_STATUS r = HPDF_OK;
    char line[64];
    unsigned cp, nrange = 0, inblock = 0;

    if (!cm || !cm->stream)
        return 0;
    st = cm->stream;
    /* Those keys describe an encoding CMap, not a ToUnicode one. */
    HPDF_Dict_RemoveElement(cm, "Type");
    HPDF_Dict_RemoveElement(cm, "CMapName");
    HPDF_Dict_RemoveElement(cm, "CIDSystemInfo");
    HPDF_Dict_RemoveElement(cm, "WMode");
    HPDF_MemStream_FreeData(st);

    r |= HPDF_Stream_WriteStr(st,
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\n"
        "begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n"
        "/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");

    /* Count the ranges first: each block must say how many it holds. A
     * range is a run of consecutive codes within one high byte. */
    for (cp = 0; cp < 65536; cp++)
        if (is_used(f->used, cp) && (cp % 256 == 0 || !is_used(f->used, cp - 1)))
            nrange++;
    for (cp = 0; cp < 65536; cp++) {
        unsigned lo = cp;
        if (!is_used(f->used, cp))
            continue;
        while (cp % 256 != 255 && is_used(f->used, cp + 1))
            cp++;
        if (inblock == 0) {
            unsigned k = nrange < 100 ? nrange : 100;
            snprintf(line, sizeof line, "%u beginbfrange\n", k);
            r |= HPDF_Stream_WriteStr(st, line);
        }
        snprintf(line, sizeof line, "<%04X> <%04X> <%04X>\n", lo, cp, lo);
        r |= HPDF_Stream_WriteStr(st, line);
        nrange--;
        if (++inblock == 100 || nrange == 0) {
            r |= HPDF_Stream_WriteStr(st, "endbfrange\n");
            inblock = 0;
        }
    }
    r |= HPDF_Stream_WriteStr(st,
        "endcmap\n"
        "CMapName currentdict /CMap defineresource pop\n"
        "end\n"
        "end\n");
    if (check(s, NULL))
        return -1;
    if (r != HPDF_OK)
        return fail(s, "cannot write: cannot rewrite the ToUnicode CMap");
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

/* Sets an info string. libharu writes strings byte for byte (it assumes
 * PDFDocEncoding), so anything beyond ASCII goes in as a UTF-16BE string
 * with a byte order mark, which every reader decodes. Invalid UTF-8 becomes
 * U+FFFD rather than a failure: metadata is not worth losing a document. */
static int set_info(pdf_painter *s, HPDF_InfoType type, const char *key, const char *v)
{
    size_t n, i, o = 2;
    unsigned char *u;
    int len;

    if (!v || !*v)
        return 0;
    if (is_ascii(v)) {
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
        int32_t cp = rg_utf8_decode(v + i, n - i, &len);
        if (cp < 0 || len <= 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
            cp = 0xFFFD;
            len = 1;
        }
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
        s->utf8_ready = s->writer->utf8_ready;
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

static int end_text(pdf_painter *s)
{
    if (!s->in_text)
        return 0;
    s->in_text = 0;
    HPDF_Page_EndText(s->page);
    return check(s, NULL);
}

static int pp_page(void *self, const rg_page *pg)
{
    pdf_painter *s = self;

    if (tag_close(s))
        return -1;
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
    if (tags_page(s, s->npages - 1))
        return -1;
    HPDF_Page_SetWidth(s->page, (HPDF_REAL)(pg->width / 1000.0));
    HPDF_Page_SetHeight(s->page, (HPDF_REAL)(pg->height / 1000.0));
    if (check(s, NULL))
        return -1;
    s->page_h = pg->height / 1000.0;
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

static void set_fill(pdf_painter *s, rg_color c)
{
    if (!c.set)
        c = (rg_color){0, 0, 0, 1};
    if (same_rgb(c, s->fill))
        return;
    s->fill = c;
    HPDF_Page_SetRGBFill(s->page, c.r / 255.0f, c.g / 255.0f, c.b / 255.0f);
}

static void set_stroke(pdf_painter *s, rg_color c, rg_mpt width)
{
    if (!same_rgb(c, s->stroke)) {
        s->stroke = c;
        HPDF_Page_SetRGBStroke(s->page, c.r / 255.0f, c.g / 255.0f, c.b / 255.0f);
    }
    if (width != s->line_width) {
        s->line_width = width;
        HPDF_Page_SetLineWidth(s->page, (HPDF_REAL)(width / 1000.0));
    }
}

/* ---- tags ------------------------------------------------------------------ */

static const char *struct_type(rg_role r)
{
    switch (r) {
    case RG_ROLE_H1: return "H1";
    case RG_ROLE_H2: return "H2";
    case RG_ROLE_H3: return "H3";
    case RG_ROLE_FIGURE: return "Figure";
    default: return "P"; /* cells and list items read as paragraphs: no table or list tree yet */
    }
}

static int write_ops(pdf_painter *s, const char *ops)
{
    HPDF_PageAttr attr = (HPDF_PageAttr)s->page->attr;
    HPDF_Stream_WriteStr(attr->stream, ops);
    return check(s, NULL);
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
        if (cp < 0 || cp > 0xFFFF)
            cp = 0xFFFD;
        u[o++] = (unsigned char)(cp >> 8);
        u[o++] = (unsigned char)cp;
        i += (size_t)(len > 0 ? len : 1);
    }
    void *b = HPDF_Binary_New(s->pdf->mmgr, u, (HPDF_UINT)o);
    free(u);
    return b;
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

/* Opens the marked-content sequence for p unless it continues the open one:
 * one per paragraph (block) and page, artifacts for decoration. */
static int tag_for(pdf_painter *s, const rg_prim *p)
{
    if (!s->st_doc)
        return 0;
    int role = p->role;
    if (s->tag_open && role == s->tag_role && (role == RG_ROLE_ARTIFACT || p->block == s->tag_block))
        return 0;
    if (tag_close(s))
        return -1;
    s->tag_open = 1;
    s->tag_role = role;
    s->tag_block = p->block;
    if (role == RG_ROLE_ARTIFACT)
        return write_ops(s, "/Artifact BMC\n");
    HPDF_MMgr mm = s->pdf->mmgr;
    if (!s->elem || s->elem_block != p->block || s->elem_page != s->npages || !p->block) {
        HPDF_Dict e = HPDF_Dict_New(mm);
        if (!e || HPDF_Xref_Add(s->pdf->xref, e) != HPDF_OK)
            return check(s, NULL) ? -1 : fail(s, "cannot write: out of memory");
        HPDF_Dict_AddName(e, "Type", "StructElem");
        HPDF_Dict_AddName(e, "S", struct_type((rg_role)role));
        HPDF_Dict_Add(e, "P", s->st_doc);
        HPDF_Dict_Add(e, "Pg", s->page);
        HPDF_Dict_Add(e, "K", HPDF_Array_New(mm));
        if (role == RG_ROLE_FIGURE && p->alt && *p->alt) {
            void *alt = text_string(s, p->alt);
            if (!alt)
                return fail(s, "cannot write: out of memory");
            HPDF_Dict_Add(e, "Alt", alt);
        }
        HPDF_Array_Add(s->st_kids, e);
        s->elem = e;
        s->elem_block = p->block;
        s->elem_page = s->npages;
        if (check(s, NULL)) /* else K may be missing when memory ran out */
            return -1;
    }
    HPDF_Array_AddNumber((HPDF_Array)HPDF_Dict_GetItem(s->elem, "K", HPDF_OCLASS_ARRAY), s->mcid);
    HPDF_Array_Add(s->page_parents, s->elem);
    if (check(s, NULL))
        return -1;
    char ops[64];
    snprintf(ops, sizeof ops, "/%s <</MCID %d>> BDC\n", struct_type((rg_role)role), s->mcid++);
    return write_ops(s, ops);
}

/* The document's structure root, made once per document. */
static int tags_begin(pdf_painter *s)
{
    HPDF_MMgr mm = s->pdf->mmgr;
    /* Each one owned by the document as soon as it is made (HPDF_Xref_Add
     * frees it when it fails; mark is handed over by HPDF_Dict_Add below),
     * so none leaks when memory runs out halfway. */
    HPDF_Dict root, doc, tree, mark;
    if (!(root = HPDF_Dict_New(mm)) || HPDF_Xref_Add(s->pdf->xref, root) != HPDF_OK ||
        !(doc = HPDF_Dict_New(mm)) || HPDF_Xref_Add(s->pdf->xref, doc) != HPDF_OK ||
        !(tree = HPDF_Dict_New(mm)) || HPDF_Xref_Add(s->pdf->xref, tree) != HPDF_OK ||
        !(mark = HPDF_Dict_New(mm)))
        return check(s, NULL) ? -1 : fail(s, "cannot write: out of memory");
    s->st_kids = HPDF_Array_New(mm);
    s->st_nums = HPDF_Array_New(mm);
    HPDF_Dict_AddName(root, "Type", "StructTreeRoot");
    HPDF_Dict_Add(root, "K", doc);
    HPDF_Dict_Add(root, "ParentTree", tree);
    HPDF_Dict_Add(tree, "Nums", s->st_nums);
    HPDF_Dict_AddName(doc, "Type", "StructElem");
    HPDF_Dict_AddName(doc, "S", "Document");
    HPDF_Dict_Add(doc, "P", root);
    HPDF_Dict_Add(doc, "K", s->st_kids);
    HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
    HPDF_Dict_Add(s->pdf->catalog, "MarkInfo", mark);
    HPDF_Dict_Add(s->pdf->catalog, "StructTreeRoot", root);
    s->st_doc = doc;
    return check(s, NULL);
}

static int tags_page(pdf_painter *s, int index)
{
    if (!s->st_doc)
        return 0;
    s->page_parents = HPDF_Array_New(s->pdf->mmgr);
    if (!s->page_parents)
        return check(s, NULL) ? -1 : fail(s, "cannot write: out of memory");
    HPDF_Array_AddNumber(s->st_nums, index);
    HPDF_Array_Add(s->st_nums, s->page_parents);
    HPDF_Dict_AddNumber(s->page, "StructParents", index);
    HPDF_Dict_AddName(s->page, "Tabs", "S");
    s->mcid = 0;
    s->elem = NULL;
    return check(s, NULL);
}

static int paint_text(pdf_painter *s, const rg_prim *p)
{
    HPDF_Font font;
    pdf_face *f;
    int utf8;

    if (p->len == 0)
        return 0;
    /* A word's own hyphen at the end of a line comes as U+2010 (text.c):
     * text extractors take a line-final U+002D for a hyphenation mark and
     * drop it. It is drawn as the font's hyphen-minus (the width the line
     * was measured with, in either encoding: no UTF-8 font for one
     * character) inside /ActualText that says U+2010. */
    rg_prim head = *p;
    size_t tail = p->len >= 4 && p->text[p->len - 1] == ' '; /* "pre- and": its space */
    int hyphen = p->len >= 3 + tail && memcmp(p->text + p->len - 3 - tail, "\xe2\x80\x90", 3) == 0;
    if (hyphen)
        head.len -= 3 + tail;
    if (convert_run(s, &head, &utf8))
        return -1;
    if (!(f = face_get(s, p->face)) || !(font = face_font(s, f, utf8)))
        return -1;
    if (utf8) {
        mark_used(f, head.text, head.len);
        if (hyphen)
            mark_used(f, "- ", 1 + tail);
    }
    if (!s->in_text) {
        HPDF_Page_BeginText(s->page);
        s->in_text = 1;
    }
    if (font != s->font || p->size != s->font_size) {
        s->font = font;
        s->font_size = p->size;
        HPDF_Page_SetFontAndSize(s->page, font, (HPDF_REAL)(p->size / 1000.0));
    }
    set_fill(s, p->fill);
    HPDF_Page_TextOut(s->page, (HPDF_REAL)(p->x / 1000.0),
                      (HPDF_REAL)(s->page_h - p->y / 1000.0), s->buf);
    if (hyphen) {
        if (check(s, NULL) || write_ops(s, "/Span <</ActualText <FEFF2010>>> BDC\n"))
            return -1;
        HPDF_Page_ShowText(s->page, "-");
        if (check(s, NULL) || write_ops(s, "EMC\n"))
            return -1;
        if (tail)
            HPDF_Page_ShowText(s->page, " ");
    }
    return check(s, NULL);
}

/* A rectangle path with corners of radius r. PDF has no arcs: each corner
 * is a cubic Bezier whose control points sit 0.5523 r from its ends, the
 * usual quarter-circle fit (radius error under 0.03%). */
static void round_rect(HPDF_Page pg, double l, double b, double w, double h, double r)
{
    const double k = 0.5523 * r;
    double rt = l + w, t = b + h;

    HPDF_Page_MoveTo(pg, (HPDF_REAL)(l + r), (HPDF_REAL)b);
    HPDF_Page_LineTo(pg, (HPDF_REAL)(rt - r), (HPDF_REAL)b);
    HPDF_Page_CurveTo(pg, (HPDF_REAL)(rt - r + k), (HPDF_REAL)b, (HPDF_REAL)rt,
                      (HPDF_REAL)(b + r - k), (HPDF_REAL)rt, (HPDF_REAL)(b + r));
    HPDF_Page_LineTo(pg, (HPDF_REAL)rt, (HPDF_REAL)(t - r));
    HPDF_Page_CurveTo(pg, (HPDF_REAL)rt, (HPDF_REAL)(t - r + k), (HPDF_REAL)(rt - r + k),
                      (HPDF_REAL)t, (HPDF_REAL)(rt - r), (HPDF_REAL)t);
    HPDF_Page_LineTo(pg, (HPDF_REAL)(l + r), (HPDF_REAL)t);
    HPDF_Page_CurveTo(pg, (HPDF_REAL)(l + r - k), (HPDF_REAL)t, (HPDF_REAL)l,
                      (HPDF_REAL)(t - r + k), (HPDF_REAL)l, (HPDF_REAL)(t - r));
    HPDF_Page_LineTo(pg, (HPDF_REAL)l, (HPDF_REAL)(b + r));
    HPDF_Page_CurveTo(pg, (HPDF_REAL)l, (HPDF_REAL)(b + r - k), (HPDF_REAL)(l + r - k),
                      (HPDF_REAL)b, (HPDF_REAL)(l + r), (HPDF_REAL)b);
    HPDF_Page_ClosePath(pg);
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
    if (fill)
        set_fill(s, p->fill);
    if (stroke)
        set_stroke(s, p->stroke, p->stroke_width);
    if (r > w / 2)
        r = w / 2;
    if (r > h / 2)
        r = h / 2;
    if (r > 0)
        round_rect(s->page, x, s->page_h - y - h, w, h, r);
    else
        HPDF_Page_Rectangle(s->page, (HPDF_REAL)x, (HPDF_REAL)(s->page_h - y - h),
                            (HPDF_REAL)w, (HPDF_REAL)h);
    if (fill && stroke)
        HPDF_Page_FillStroke(s->page);
    else if (fill)
        HPDF_Page_Fill(s->page);
    else
        HPDF_Page_Stroke(s->page);
    return check(s, NULL);
}

static int paint_line(pdf_painter *s, const rg_prim *p)
{
    if (!p->stroke.set || p->stroke_width <= 0)
        return 0;
    if (end_text(s))
        return -1;
    set_stroke(s, p->stroke, p->stroke_width);
    HPDF_Page_MoveTo(s->page, (HPDF_REAL)(p->x / 1000.0),
                     (HPDF_REAL)(s->page_h - p->y / 1000.0));
    HPDF_Page_LineTo(s->page, (HPDF_REAL)((p->x + p->w) / 1000.0),
                     (HPDF_REAL)(s->page_h - (p->y + p->h) / 1000.0));
    HPDF_Page_Stroke(s->page);
    return check(s, NULL);
}

/* A link is an annotation, not page content, so it may come between text
 * runs without closing the text object. The URI of a URI action must be
 * 7-bit ASCII: other bytes and spaces are percent-encoded. */
static int paint_link(pdf_painter *s, const rg_prim *p)
{
    static const char hexd[] = "0123456789ABCDEF";
    HPDF_Rect rect;
    HPDF_Annotation a;
    size_t n = 0;

    if (p->dest) {
        if (s->nlinks == s->links_cap) {
            int cap = s->links_cap ? s->links_cap * 2 : 16;
            struct inlink *v = realloc(s->links, (size_t)cap * sizeof *v);
            if (!v)
                return fail(s, "cannot write: out of memory");
            s->links = v;
            s->links_cap = cap;
        }
        struct inlink *k = &s->links[s->nlinks++];
        k->page = s->npages - 1;
        k->dest = p->dest;
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
    a = HPDF_Page_CreateURILinkAnnot(s->page, rect, s->buf);
    if (check(s, NULL))
        return -1;
    HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
    return check(s, NULL);
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
    HPDF_Page_DrawImage(s->page, img, (HPDF_REAL)(p->x / 1000.0), (HPDF_REAL)(s->page_h - (p->y + p->h) / 1000.0),
                        (HPDF_REAL)(p->w / 1000.0), (HPDF_REAL)(p->h / 1000.0));
    return check(s, NULL);
}

static int pp_prim(void *self, const rg_prim *p)
{
    pdf_painter *s = self;

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

/* Hands the finished document over in one malloc'ed block (s->out). */
static int save(pdf_painter *s)
{
    HPDF_UINT32 size, got;
    HPDF_STATUS r;
    unsigned char *data;

    HPDF_SaveToStream(s->pdf);
    if (check(s, NULL))
        return -1;
    size = HPDF_GetStreamSize(s->pdf);
    if (size == 0 || !(data = malloc(size)))
        return fail(s, "cannot write: %s", size ? "out of memory" : "empty document");
    got = size;
    r = HPDF_ReadFromStream(s->pdf, data, &got);
    if ((r != HPDF_OK && r != HPDF_STREAM_EOF) || got != size) {
        free(data);
        if (check(s, NULL))
            return -1;
        return fail(s, "cannot write: libharu returned a short document");
    }
    s->out = data;
    s->out_size = size;
    return 0;
}

/* Frees the libharu document and our buffers; safe to call again. */
static void release(pdf_painter *s)
{
    if (s->pdf && s->writer) {
        /* Keep the parsed fonts, drop this document's objects now. */
        s->writer->utf8_ready = s->utf8_ready;
        HPDF_FreeDoc(s->pdf);
        HPDF_ResetError(s->pdf);
        s->pdf->error.user_data = NULL;
        s->pdf = NULL;
    } else if (s->pdf) {
        HPDF_Free(s->pdf);
        s->pdf = NULL;
    }
    for (int i = 0; i < NFACE; i++) {
        free(s->face[i].used);
        s->face[i] = (pdf_face){0};
    }
    free(s->buf);
    s->buf = NULL;
    s->cap = 0;
    free(s->pages);
    s->pages = NULL;
    s->npages = s->pages_cap = 0;
    free(s->links);
    s->links = NULL;
    s->nlinks = s->links_cap = 0;
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
        const rg_anchor *a = rg_pagelist_anchor(s->pl, s->links[i].dest);
        if (!a)
            continue; /* the layout checked references; nothing to point at */
        HPDF_Destination d = destination(s, a->page, a->y);
        if (!d || check(s, NULL))
            return -1;
        HPDF_Annotation an = HPDF_Page_CreateLinkAnnot(s->pages[s->links[i].page], s->links[i].rect, d);
        if (check(s, NULL))
            return -1;
        HPDF_LinkAnnot_SetBorderStyle(an, 0, 0, 0);
        if (check(s, NULL))
            return -1;
    }
    return 0;
}

/* Bookmarks nested by level; a level skipped (1 then 3) nests under the
 * nearest one above. */
static int make_outlines(pdf_painter *s)
{
    HPDF_Outline parent[4] = {NULL, NULL, NULL, NULL};
    HPDF_Encoder utf8 = NULL;
    for (const rg_bookmark *b = s->pl->bookmarks; b; b = b->next) {
        int level = b->level < 1 ? 1 : b->level > 3 ? 3 : b->level;
        HPDF_Outline up = NULL;
        for (int k = level - 1; k >= 1 && !up; k--)
            up = parent[k];
        HPDF_Encoder enc = NULL;
        if (!is_ascii(b->title)) {
            if (!utf8) {
                if (!s->utf8_ready) {
                    HPDF_UseUTFEncodings(s->pdf);
                    s->utf8_ready = 1;
                }
                utf8 = HPDF_GetEncoder(s->pdf, "UTF-8");
                if (check(s, NULL))
                    return -1;
            }
            enc = utf8;
        }
        HPDF_Outline ol = HPDF_CreateOutline(s->pdf, up, b->title, enc);
        if (!ol || check(s, NULL))
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

static int pp_end(void *self)
{
    pdf_painter *s = self;
    int rc = 0;

    if (tag_close(s) || end_text(s))
        rc = -1;
    if (rc == 0 && (make_links(s) || make_outlines(s)))
        rc = -1;
    for (int i = 0; rc == 0 && i < NFACE; i++)
        if (s->face[i].utf8 && fix_to_unicode(s, &s->face[i]))
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

/* Parses one font file into w's document from memory: libharu's file
 * loader reads the font again at save time, four bytes per fread call. */
static const char *load_face(rg_pdfwriter *w, const char *path, int index, pdf_painter *s)
{
    struct stat fst;
    char why[256];
    int fd = rg_file_open(path, &fst, why, sizeof why);
    FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;
    if (!f) {
        char eb[96];
        if (fd >= 0)
            close(fd);
        fail(s, "cannot load font '%.250s': %s", path, fd >= 0 ? errstr(errno, eb) : why);
        return NULL;
    }
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    int sized = size > 0 && size < (64L << 20) && fseek(f, 0, SEEK_SET) == 0;
    unsigned char *buf = sized ? malloc((size_t)size) : NULL;
    size_t got = buf ? fread(buf, 1, (size_t)size, f) : 0;
    int e = ferror(f) ? errno : 0;
    fclose(f);
    if (!buf || got != (size_t)size) {
        char eb[96];
        free(buf);
        fail(s, "cannot load font '%.250s': %s", path,
             !sized ? "cannot read it" : !buf ? "out of memory" : e ? errstr(e, eb) : "the file shrank while being read");
        return NULL;
    }
    HPDF_Stream st = HPDF_MemStream_New(w->pdf->mmgr, (HPDF_UINT)size);
    /* One byte through libharu allocates the stream's single chunk; the rest
     * goes in with memcpy, since libharu copies byte by byte (2.3.0's
     * HPDF_MemStream_InWrite; the attribute record is in hpdf_streams.h). */
    if (!st || HPDF_Stream_Write(st, buf, 1) != HPDF_OK) {
        free(buf);
        if (st)
            HPDF_Stream_Free(st);
        check(s, NULL);
        return s->failed ? NULL : (fail(s, "cannot load font '%.250s': out of memory", path), NULL);
    }
    HPDF_MemStreamAttr ma = (HPDF_MemStreamAttr)st->attr;
    if (ma->buf_siz - ma->w_pos >= (HPDF_UINT)size - 1) {
        memcpy(ma->w_ptr, buf + 1, (size_t)size - 1);
        ma->w_ptr += size - 1;
        ma->w_pos += (HPDF_UINT)size - 1;
        st->size += (HPDF_UINT)size - 1;
    } else if (HPDF_Stream_Write(st, buf + 1, (HPDF_UINT)size - 1) != HPDF_OK) {
        free(buf);
        HPDF_Stream_Free(st);
        check(s, NULL);
        return NULL;
    }
    free(buf);
    HPDF_FontDef def = HPDF_TTFontDef_Load(w->pdf->mmgr, st, HPDF_TRUE);
    if (!def) {
        char what[300];
        snprintf(what, sizeof what, "cannot load font '%.250s'", path);
        if (!check(s, what))
            fail(s, "%s: the file is truncated or damaged", what);
        return NULL;
    }
    HPDF_FontDef same = HPDF_Doc_FindFontDef(w->pdf, def->base_font);
    if (same) {
        HPDF_FontDef_Free(def);
        return same->base_font;
    }
    if (HPDF_List_Add(w->pdf->fontdef_list, def) != HPDF_OK) {
        HPDF_FontDef_Free(def);
        check(s, NULL);
        return NULL;
    }
    /* Subset tags by face order: the same theme always gives the same bytes. */
    char tag[7] = "HPDFAA";
    tag[4] = (char)('A' + index / 26);
    tag[5] = (char)('A' + index % 26);
    HPDF_TTFontDef_SetTagName(def, tag);
    return def->base_font;
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
