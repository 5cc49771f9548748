/* Internal interfaces between the stages. See README.md, "How it works".
 * Lengths are integer millipoints (1/1000 pt) so sums never drift. */
#ifndef RG_INTERNAL_H
#define RG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "reportgen.h"
#include "limits.h"

typedef int32_t rg_mpt; /* millipoints */
#define RG_PT(x) ((rg_mpt)((x) * 1000))

/* ---- arena.c: memory for one document, freed at once ------------------ */
typedef struct rg_arena rg_arena;
rg_arena *rg_arena_new(void);
void rg_arena_free(rg_arena *a);
/* Zeroed, 16-byte aligned memory that lives until rg_arena_free; NULL when out. */
void *rg_arena_alloc(rg_arena *a, size_t n);
char *rg_arena_strdup(rg_arena *a, const char *s);
char *rg_arena_strndup(rg_arena *a, const char *s, size_t n);
char *rg_arena_printf(rg_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
size_t rg_arena_used(const rg_arena *a);

/* A growing string on the heap, always NUL-terminated once written to:
 * { 0 } is empty. After an allocation fails, oom is set and adding does
 * nothing; the caller frees s. */
typedef struct rg_buf { char *s; size_t n, cap; int oom; } rg_buf;
void rg_buf_add(rg_buf *b, const char *s, size_t k);
void rg_buf_clear(rg_buf *b); /* empty again ("", the memory kept) */

/* Fault injection for tests: the Nth allocation from now fails (0: never). */
void rg_fail_after(long n);
int rg_fail_now(void);

/* ---- reserve.c: the allocator of libxml2, libxslt and libharu. How many of
 * their allocations have failed in this thread so far: a stage that saw it
 * change may hold a silently incomplete result and must fail. */
unsigned long rg_xml_oom_count(void);
void *rg_lib_malloc(size_t n);
void *rg_lib_realloc(void *p, size_t n);
char *rg_lib_strdup(const char *s);
void rg_lib_free(void *p);
/* The pool of the libraries' small blocks, begun by the calling thread
 * (once; not under AddressSanitizer, valgrind or the fault build), and
 * whether it was. */
void rg_lib_pool_begin(void);
int rg_lib_pool_used(void);
/* Sets the reserve aside again (before each document): 0, or -1 when even
 * that cannot be had. rg_reserve_release gives it back (at the end). */
int rg_reserve_refill(void);
void rg_reserve_release(void);

/* ---- diag.c ------------------------------------------------------------ */
/* Adds a diagnostic; the message is formatted and copied. Returns 0, or -1
 * when memory ran out (the list then keeps a single "out of memory" entry). */
int rg_diag_add(rg_diags *d, rg_severity sev, const char *file, int line, int col,
                const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* Did an error say memory ran out? Every such message ends in "out of
 * memory" ("font 'x': out of memory"); the stage then fails with
 * RG_EOUTPUT, the status of trouble that is not the input's fault. */
int rg_diags_memory(const rg_diags *d);
/* Moves entry i to line:col (a stage that knows the place better). */
void rg_diag_place(rg_diags *d, size_t i, int line, int col);
/* Entry i says message instead (unchanged when memory runs out). */
void rg_diag_reword(rg_diags *d, size_t i, const char *message);
/* Entry i is gone; those after it move up. */
void rg_diags_drop(rg_diags *d, size_t i);
/* Is there any error, or (strict) any warning? */
int rg_diags_blocking(const rg_diags *d, int strict);
/* Adds a copy of every entry of from to d, in order. 0, or -1 when memory ran
 * out (d then says so, as rg_diag_add does). */
int rg_diags_append(rg_diags *d, const rg_diags *from);

/* ---- num.c: exact decimals, as integer thousandths --------------------- */
typedef int64_t rg_dec; /* value * 1000 */
#define RG_DEC_ONE 1000
/* Parses "8.5", "-2", "17.500"; at most 3 decimals, no exponent, no
 * thousands separator, |v| < 1e12. Returns 0, or -1 when s is not such a number. */
int rg_dec_parse(const char *s, rg_dec *out);
/* Shortest exact form: 8500 -> "8.5", 4000 -> "4", -1500 -> "-1.5". */
void rg_dec_format(rg_dec v, char *buf, size_t size);

/* ---- grade.c: letter grades from a scale kept in template data --------- */
typedef struct rg_grade_step { char letter[8]; rg_dec min_percent; } rg_grade_step;
typedef struct rg_grade_scale { rg_grade_step step[16]; int n; } rg_grade_scale;
/* The letter for score out of max: the first step (steps are in descending
 * min_percent order) with score*100 >= min_percent*max, exactly. NULL when
 * max <= 0 or the scale has no step that matches. */
const char *rg_grade_for(const rg_grade_scale *s, rg_dec score, rg_dec max);
/* Adds a step; steps must come in strictly descending order. 0, or -1. */
int rg_grade_scale_add(rg_grade_scale *s, const char *letter, rg_dec min_percent);

/* image.c: checks a PNG or JPEG file the PDF writer can embed. 0, or -1
 * with a lower-case reason in err naming the file. */
typedef enum { RG_IMAGE_PNG = 1, RG_IMAGE_JPEG } rg_image_kind;
typedef struct rg_image_info { rg_image_kind kind; uint32_t width, height; } rg_image_info;
int rg_image_probe(const char *path, rg_image_info *out, char *err, size_t n);

/* transform.c: edit distance in code points (strings past 128 are cut). */
int rg_edit_distance(const char *a, const char *b);

/* ---- search.c: the data folders, user folders first, the base last ------ */
#define RG_MAX_FOLDERS 17 /* 16 user folders and the base */
typedef struct rg_search {
    char *dir[RG_MAX_FOLDERS];     /* what paths are made from, without a trailing '/':
                                      the base as given, a user folder by its real path */
    char *real[RG_MAX_FOLDERS];    /* realpath of each (NULL when unknown): for matching */
    int n;
} rg_search;
/* Writes into out the path of rel ("templates/themes/x.xml") in the first
 * folder holding it (a regular file, or a folder when want_dir): 0. When no
 * folder has it: -1, out holding the base folder's path, for messages. */
int rg_search_find(const rg_search *s, const char *rel, int want_dir, char *out, size_t size);
/* The part of path inside one of the folders ("templates/common/states.xml"),
 * or NULL when path lies in none. */
const char *rg_search_relative(const rg_search *s, const char *path);
/* A path inside one of the folders, looked up again from the first folder
 * (how xsl:import and document() reach the user's folders); any other path,
 * or one no folder holds, is written as it is. 0, or -1 when out is too small. */
int rg_search_resolve(const rg_search *s, const char *path, char *out, size_t size);

/* ---- utf8.c ------------------------------------------------------------ */
/* Decodes one code point at s (n bytes left); stores its length in *len.
 * Returns the code point, or -1 for an invalid or overlong sequence. */
int32_t rg_utf8_decode(const char *s, size_t n, int *len);
/* Checks a whole buffer; on failure *bad_off is the offset of the first bad byte. */
int rg_utf8_valid(const char *s, size_t n, size_t *bad_off);

/* ---- font.c: TrueType metrics read by us (no libharu) ------------------ */
typedef struct rg_font rg_font;
/* Reads and parses a TrueType file. On failure returns NULL and writes a
 * lower-case reason into err ("not a TrueType font", "no Unicode cmap", ...). */
rg_font *rg_font_load(const char *path, char *err, size_t errlen);
void rg_font_free(rg_font *f);
/* Glyph id of a code point, 0 when the font lacks it. */
unsigned rg_font_glyph(const rg_font *f, uint32_t cp);
/* Advance width in 1/1000 em, computed as libharu computes it (advance *
 * 1000 / unitsPerEm, truncated); 0 for a missing glyph. The layout and
 * the PDF use the exact advances (rg_font_units). */
int rg_font_advance(const rg_font *f, uint32_t cp);
/* Ascent (positive) and descent (negative), 1/1000 em, from hhea. */
int rg_font_ascent(const rg_font *f);
int rg_font_descent(const rg_font *f);
int rg_font_cap_height(const rg_font *f);
const char *rg_font_psname(const rg_font *f); /* PostScript name */
/* Advances in font units, exact (what the layout measures and the PDF
 * states), of a glyph id and of a code point (0 when missing); unitsPerEm. */
unsigned rg_font_glyph_units(const rg_font *f, unsigned gid);
unsigned rg_font_units(const rg_font *f, uint32_t cp);
unsigned rg_font_upem(const rg_font *f);
/* How many glyphs the font has. */
unsigned rg_font_glyph_count(const rg_font *f);
/* What a PDF FontDescriptor says of the font, read from head, hhea, OS/2
 * and post: lengths in 1/1000 em, italic_angle in 1/1000 degree. */
typedef struct rg_font_desc {
    int flags, italic_angle, ascent, descent, cap_height, stem_v, bbox[4];
} rg_font_desc;
const rg_font_desc *rg_font_descriptor(const rg_font *f);
/* The tables a PDF subset holds (a NULL-terminated list of tags), those
 * it adds when it keeps the hinting, and the check that a subset (glyph
 * ids kept) holds them (the hinting ones that f has, when hinting) and each
 * glyph used[g] != 0 as f has it: 0, or -1. */
extern const char *const rg_font_subset_tables[], *const rg_font_hinting_tables[];
int rg_font_check_subset(const rg_font *f, const unsigned char *p, size_t n, const uint32_t *used,
                         int hinting);
/* Kerning of n code points of one run, per character, in font units:
 * kern[i] moves what follows cp[i]. 0, or -1 when memory ran out. */
int rg_font_kern(const rg_font *f, const uint32_t *cp, size_t n, int *kern);
/* The same with the glyphs drawn, standard ligatures when liga: gid[i] is
 * the glyph for the characters from cp[i] on, 0 for a character an earlier
 * glyph shows (a ligature's later letters); cp[i]'s advance plus kern[i],
 * summed over a glyph's characters, is the pen's move after it. */
int rg_font_shape(const rg_font *f, const uint32_t *cp, size_t n, int liga, unsigned *gid, int *kern);
/* Words of plain glyphs take their kerning from the font's pair
 * adjustment subtables (otkern.c) rather than from HarfBuzz, to the same
 * result; off, every word is shaped by HarfBuzz (the tests compare). */
void rg_font_set_direct_kerning(rg_font *f, int on);
unsigned long rg_font_direct_words(const rg_font *f); /* words set so */

/* The bytes of data from which a render with two threads uses the second
 * (8192 unless set): the tests take every document there. */
void rg_context_set_beside_min(rg_context *c, size_t bytes);

/* otkern.c: what one HarfBuzz shape plan does to plain words (no marks),
 * read from GSUB and GPOS (pointers kept: the tables outlive it) for the
 * lookups it applies, by index; never(g, ud) says that glyph g cannot be
 * one of a plain word's. NULL when memory ran out. */
typedef struct rg_otkern rg_otkern;
typedef int (*rg_glyph_never)(unsigned gid, void *ud);
rg_otkern *rg_otkern_new(const uint8_t *gsub, size_t gsub_len, const uint8_t *gpos, size_t gpos_len,
                         const unsigned *sub_lookups, size_t nsub, const unsigned *pos_lookups, size_t npos,
                         unsigned nglyphs, rg_glyph_never never, void *ud);
/* 0 when the plan's tables could not be read whole: use HarfBuzz. */
int rg_otkern_usable(const rg_otkern *k);
/* 1 when no lookup but pair kerning can start at glyph g. */
int rg_otkern_plain(const rg_otkern *k, unsigned g);
/* What the pair a b adds to a's advance, in font units. */
int rg_otkern_pair(rg_otkern *k, unsigned a, unsigned b);
/* Was k read for these lookups? Then a plan that has them shares it
 * (rg_otkern_share: freed with its last holder). */
int rg_otkern_same(const rg_otkern *k, const unsigned *sub_lookups, size_t nsub, const unsigned *pos_lookups,
                   size_t npos);
rg_otkern *rg_otkern_share(rg_otkern *k);
void rg_otkern_free(rg_otkern *k);
/* The file's bytes (owned by f), size of them: every table but glyf is
 * read by rg_font_load; a glyph's outline only once rg_font_glyphs or
 * rg_font_need_glyph has read it (zeros before). */
const unsigned char *rg_font_data(const rg_font *f, size_t *size);
/* Reads into rg_font_data the outlines of glyph 0, of each glyph g < nused
 * with used[g] != 0, and of the components of composites among them, at
 * any depth (the glyphs rg_ttf_subset keeps). 0, or -1 with a lower-case
 * reason in err: out of memory, a read error, or the file changed since
 * rg_font_load (then every later call fails the same way). */
int rg_font_glyphs(const rg_font *f, const uint32_t *used, unsigned nused, char *err, size_t errlen);
/* The same for one glyph and its components. */
int rg_font_need_glyph(const rg_font *f, unsigned gid, char *err, size_t errlen);

/* ---- subset.c: TrueType subsets with glyph ids kept --------------------- */
#define RG_SUBSET_BAD (-2)    /* the font's tables are cut short or inconsistent */
#define RG_SUBSET_MEMORY (-1) /* an allocation failed */
/* The subset of font (size bytes) holding glyph 0, every glyph g < nused
 * with used[g] != 0, and their components, each at its own id; other ids
 * are empty. Tables: glyf, head, hhea, hmtx, loca, maxp, and with hinting
 * cvt, fpgm, prep and the glyphs' instructions. 0 with *out (malloc'ed,
 * the caller's) and *out_len; RG_SUBSET_MEMORY or RG_SUBSET_BAD. */
int rg_ttf_subset(const unsigned char *font, size_t size, const uint32_t *used, unsigned nused, int hinting,
                  unsigned char **out, size_t *out_len);
/* A run of a font's bytes: a table, a glyph. */
typedef struct rg_span { const unsigned char *p; size_t len; } rg_span;
/* The table tag of the font: 0 found, -1 not there or out of bounds. */
int rg_ttf_table(const unsigned char *font, size_t size, const char *tag, rg_span *t);
/* Where glyph g (of n) lies in glyf, by loca: 0, or -1 when g is past n
 * or loca points outside. */
int rg_ttf_glyph_at(rg_span loca, rg_span glyf, int long_loca, unsigned n, unsigned g, size_t *off, size_t *len);
/* The components of composite glyph g (len bytes, numberOfContours < 0):
 * each id below n not yet kept[] is kept and appended to queue (*nq ids).
 * The offset just past the last component record, or 0 when the data is
 * cut short; *instr is set when instructions follow them. */
size_t rg_ttf_components(const unsigned char *g, size_t len, unsigned char *keep, unsigned n, int *instr,
                         unsigned *queue, unsigned *nq);
const char *rg_font_path(const rg_font *f);

/* The fonts of a context, one slot per file path: a slot is made when a
 * theme names the file, read when a document first uses it, and kept
 * while a theme holds it (across documents, and shared by themes). One
 * thread at a time. */
typedef struct rg_fonts rg_fonts;
typedef struct rg_font_slot rg_font_slot;
rg_fonts *rg_fonts_new(void);            /* NULL when out of memory */
void rg_fonts_free(rg_fonts *fs);        /* after every theme holding a slot */
/* path's slot, held until rg_fonts_release; NULL when out of memory. */
rg_font_slot *rg_fonts_hold(rg_fonts *fs, const char *path);
void rg_fonts_release(rg_fonts *fs, rg_font_slot *slot);
/* The slot's font, read on first call; NULL with a reason in err (tried
 * again on the next call). */
rg_font *rg_font_slot_font(rg_font_slot *s, char *err, size_t errlen);
const char *rg_font_slot_path(const rg_font_slot *s);

/* ---- outline.c: TrueType glyph outlines ---------------------------------- */
typedef struct rg_outline_sink {
    void *ctx;
    void (*move)(void *ctx, double x, double y);
    void (*line)(void *ctx, double x, double y);
    void (*curve)(void *ctx, double x1, double y1, double x2, double y2, double x3, double y3);
    void (*close)(void *ctx);
} rg_outline_sink;
/* Draws the outline of glyph gid of f through sink, each point (in font
 * units) mapped by m (a b c d e f, as PDF's cm: x' = a x + c y + e): closed
 * contours of lines and cubic curves, to be filled by the nonzero rule.
 * 0, or -1 when the glyph's data is damaged or beyond this reader (over
 * 2,048 points, composites nested past four levels, components placed by
 * matching points); some contours may have been drawn by then. */
int rg_glyph_outline(const rg_font *f, unsigned gid, const double m[6], const rg_outline_sink *sink);

/* ---- theme.c: brand, fonts, colours, styles ---------------------------- */
typedef struct rg_color { uint8_t r, g, b, set; } rg_color;

typedef struct rg_face {           /* one font file of a family */
    const char *family;
    int bold, italic;
    rg_font *font;                 /* once read (rg_theme_font), or set by whoever made the face */
    int hinting;                   /* 1: the PDF keeps the font's hinting (hinting="keep") */
    rg_font_slot *slot;            /* the file, read on first use; held by the theme */
    const char *file;              /* as the theme names it, for messages */
    const char *where;             /* the theme file and line naming it */
    int line;
    int ligatures;                 /* 1: standard ligatures ("fi" as one glyph; ligatures="on") */
} rg_face;

/* A style: any field left unset (0 / NULL / set==0) inherits. */
typedef struct rg_style {
    const char *name;
    const char *family;
    int bold, italic;              /* -1 unset, 0 no, 1 yes */
    rg_mpt size;                   /* 0 unset */
    int leading;                   /* line height in 1/1000 of the size; 0 unset */
    rg_color color;
    int align;                     /* rg_align + 1; 0 unset */
    rg_mpt space_before, space_after; /* -1 unset */
    int letter_case;               /* 0 unset, 1 as is, 2 upper */
    int hyphenate;                 /* 0 unset, 1 no, 2 yes */
    int balance;                   /* 0 unset, 1 no, 2 yes */
} rg_style;

typedef struct rg_theme {
    const char *name, *path;
    rg_face face[16]; int nface;
    struct { const char *name; rg_color c; } color[64]; int ncolor;
    rg_style style[64]; int nstyle;
    int shrink_step, shrink_floor; /* per mille: 50 and 800 mean 5% steps to 80% */
    struct { const char *name, *value; } text[16]; int ntext;
    const char *hyphen_path;       /* the hyphenation patterns, or NULL: no hyphenation */
    struct rg_hyph *hyphen;        /* the patterns once loaded (rg_theme_hyphen) */
    char hyphen_why[160];          /* why the last attempt to read them failed, or "" */
    const char *logo;              /* the logo's file (PNG or JPEG), or NULL */
    const char *logo_alt;          /* its text for a screen reader */
    rg_arena *arena;               /* owns the strings above */
    rg_fonts *fonts;               /* where the faces' slots are held */
    int own_fonts;                 /* fonts is the theme's own (none was given) */
} rg_theme;

/* style.c: parsing of lengths, colours and style properties. */
/* "12pt", "4mm", "1in", "12" (points). 0 ok, -1 not a length. */
int rg_length_parse(const char *s, rg_mpt *out);
/* "#rrggbb", "#rgb" or a theme colour name ("none" gives an unset colour). */
int rg_color_parse(const rg_theme *t, const char *s, rg_color *out);
/* Sets one text property (font, size, weight, font-style, color, leading,
 * align, case, hyphenate, balance, space-before, space-after) from its attribute form.
 * 0 set, 1 not a text property, -1 a bad value. */
int rg_style_set(rg_style *st, const rg_theme *t, const char *prop, const char *value);
void rg_style_init(rg_style *st);
const rg_style *rg_theme_style(const rg_theme *t, const char *name);
/* The face index for family/bold/italic, falling back to the nearest face
 * of the family, then to face 0; -1 when the theme has no face at all. */
int rg_theme_face(const rg_theme *t, const char *family, int bold, int italic);
const char *rg_theme_text(const rg_theme *t, const char *name);
/* theme.c: face i's font, read on first use. NULL when i is no face or the
 * file cannot be read: then d (when not NULL) gets the error at the theme's
 * line, "font 'FILE': REASON". */
const rg_font *rg_theme_font(const rg_theme *t, int i, rg_diags *d);
/* Face i's font when it has been read already, else NULL: rg_theme_font's
 * first step, for loops that ask for every character. */
static inline const rg_font *rg_theme_font_ready(const rg_theme *t, int i)
{
    return i >= 0 && i < t->nface ? t->face[i].font : NULL;
}
/* theme.c: the hyphenation patterns, read on first use; NULL when none
 * (hyphen_why then says why, or is empty when the theme has none). */
const struct rg_hyph *rg_theme_hyphen(const rg_theme *t);

/* ---- hyph.c: Liang's hyphenation with a .dic pattern file --------------- */
typedef struct rg_hyph rg_hyph;
#define RG_HYPH_WORD 64 /* longer words are not hyphenated */
/* Reads a pattern file (UTF-8 or ASCII; the LEFTHYPHENMIN and
 * RIGHTHYPHENMIN it gives are kept). NULL with a reason in why. */
rg_hyph *rg_hyph_load(const char *path, char *why, size_t why_size);
void rg_hyph_free(rg_hyph *h);
/* hy[i] = 1 where word (n lower-case bytes) may break after its byte i, with
 * the file's minimum letters before and after; 0 elsewhere. */
void rg_hyph_word(const rg_hyph *h, const char *word, size_t n, unsigned char *hy);

/* ---- the layout document as a plain tree (made by transform.c) --------- */
typedef enum {
    RG_N_ELEMENT, RG_N_TEXT
} rg_node_kind;

typedef struct rg_attr { const char *name, *value; struct rg_attr *next; } rg_attr;

typedef struct rg_node {
    rg_node_kind kind;
    const char *name;              /* element name; NULL for text */
    const char *text;              /* text nodes: UTF-8 */
    rg_attr *attr;
    int line;                      /* line in the layout document */
    struct rg_node *parent, *first, *last, *next;
} rg_node;

const char *rg_node_attr(const rg_node *n, const char *name);

/* ---- structure: what a screen reader gets (tagged PDF) ------------------
 * The layout makes a tree of structure nodes and points every primitive at
 * the node its content belongs to (NULL: decoration, an artifact). Only the
 * parent links are kept: a painter makes an element for a node when the
 * first primitive of the node (or of a node under it) comes, so nodes
 * nothing was drawn for (an attempt shrink-to-fit dropped, an empty
 * paragraph) leave no trace, and children come in reading order. */
typedef enum {
    RG_S_DOCUMENT, RG_S_P, RG_S_H1, RG_S_H2, RG_S_H3, RG_S_FIGURE,
    RG_S_TABLE, RG_S_THEAD, RG_S_TBODY, RG_S_TR, RG_S_TH, RG_S_TD,
    RG_S_L, RG_S_LI, RG_S_LBL, RG_S_LBODY, RG_S_TOC, RG_S_TOCI, RG_S_LINK
} rg_stype;

typedef struct rg_snode {
    rg_stype type;
    int id;                        /* 1..rg_pagelist.nsnodes: painters index their records by it */
    const struct rg_snode *parent; /* NULL for the document */
    const char *alt;               /* FIGURE: its /Alt; LINK: the link's words (/Contents) */
    const char *actual;            /* words that stand for its content (/ActualText), or NULL */
    int row_header;                /* TH: heads its row (/Scope /Row), else its column */
    int colspan;                   /* TH, TD: columns spanned (1: one) */
} rg_snode;

/* The name of a structure type in PDF ("TBody"). */
const char *rg_stype_name(rg_stype t);

/* ---- page list: positioned primitives ---------------------------------- */
typedef enum { RG_P_TEXT, RG_P_RECT, RG_P_LINE, RG_P_LINK, RG_P_IMAGE } rg_prim_kind;
typedef enum { RG_ALIGN_LEFT, RG_ALIGN_RIGHT, RG_ALIGN_CENTER, RG_ALIGN_JUSTIFY, RG_ALIGN_DECIMAL } rg_align;

typedef struct rg_prim {
    rg_prim_kind kind;
    const rg_snode *node; /* the structure it belongs to; NULL: an artifact. A LINK's
                             node is the Link element its annotation belongs to */
    rg_mpt x, y;        /* y grows downward from the page's top edge.
                           TEXT: baseline start; RECT, LINK: top-left; LINE: start */
    rg_mpt w, h;        /* RECT, LINK: size; LINE: end minus start */
    rg_color fill, stroke;
    rg_mpt stroke_width, radius;
    int face;           /* TEXT: index into theme->face */
    rg_mpt size;        /* TEXT: font size */
    const char *text;   /* TEXT: UTF-8, len bytes */
    size_t len;
    const char *uri;    /* LINK to the web */
    const char *dest;   /* LINK inside the document: an anchor id (rg_pagelist_anchor) */
    const char *alt;    /* IMAGE: the text a screen reader gets (its node's too) */
    const char *image;  /* IMAGE: the file, checked by rg_image_probe */
    int image_kind;     /* IMAGE: rg_image_kind */
    const char *word;   /* TEXT ending in a word hyphenated at the line's end ("... ac-"):
                           the whole word ("accountability") */
    const char *head;   /* TEXT starting with the rest of such a word ("countability ..."):
                           the word's first part ("ac"), which it reads with */
    struct rg_prim *next;
} rg_prim;

typedef struct rg_page {
    rg_mpt width, height;
    int index;          /* 0-based position in the document */
    int number;         /* the printed page number; 0: not numbered (a cover) */
    rg_prim *first, *last;
    struct rg_page *next;
} rg_page;

/* A named place: the target of links, references and bookmarks. */
typedef struct rg_anchor {
    const char *id;
    const rg_page *page;
    rg_mpt y;                      /* top of the block, from the page's top */
    struct rg_anchor *next;
} rg_anchor;

typedef struct rg_bookmark {
    int level;                     /* 1 = top */
    const char *title;             /* UTF-8 */
    const rg_page *page;
    rg_mpt y;
    struct rg_bookmark *next;
} rg_bookmark;

typedef struct rg_docinfo {
    const char *title, *author, *subject, *keywords, *lang, *creator;
    long long created;  /* Unix time; -1: none */
    int plain;          /* no PDF/A or PDF/UA claim, XMP or output intent (--pdf-standard none) */
} rg_docinfo;

typedef struct rg_pagelist {
    rg_page *first, *last;
    int count;
    rg_docinfo info;
    const rg_theme *theme;
    rg_anchor *anchors;            /* in document order */
    rg_bookmark *bookmarks;        /* in document order; nesting from levels */
    const rg_snode *sroot;         /* the Document node */
    int nsnodes;                   /* structure node ids go up to this */
    int threads;                   /* the painter may compress on this many (rg_context_set_threads) */
} rg_pagelist;

/* The anchor named id, or NULL. */
const rg_anchor *rg_pagelist_anchor(const rg_pagelist *pl, const char *id);

/* ---- layout.c: layout document + theme -> page list ------------------- */
/* Lays out the document. Errors name src_path and the src-line of the block
 * concerned. All memory comes from a. */
rg_status rg_layout(const rg_node *doc, const rg_theme *theme, rg_arena *a,
                    const char *src_path, rg_pagelist *out, rg_diags *d);

/* ---- painters: one table of operations per back end -------------------- */
typedef struct rg_painter {
    void *self;
    int (*begin)(void *self, const rg_pagelist *pl);
    int (*page)(void *self, const rg_page *pg);       /* starts a page */
    int (*prim)(void *self, const rg_prim *p);
    int (*end)(void *self);                            /* 0 ok */
    void (*discard)(void *self);                       /* after a failure */
} rg_painter;

/* Paints every page through p; returns 0 or the first failing call's value. */
int rg_paint(const rg_pagelist *pl, const rg_painter *p);

/* paint_trace.c: one line per primitive, for golden tests. */
int rg_paint_trace_file(const rg_pagelist *pl, FILE *out);

/* paint_pdf.c: makes the PDF in memory: on RG_OK *out is a malloc'ed block
 * of *out_size bytes for the caller to write (and free); nothing touches a
 * file here, so no failure, not even a crash in libharu, can leave half a
 * PDF on disk. Errors go to d with file set to name (the path the caller
 * will write). Returns RG_OK or RG_EOUTPUT. The same page list always gives
 * the same bytes.
 * cache, when not NULL, keeps libharu's document with the theme's fonts
 * parsed between calls (*cache NULL at first; the caller frees it with
 * rg_pdfwriter_free); NULL parses the fonts for this document alone. */
typedef struct rg_pdfwriter rg_pdfwriter;
/* libharu's allocator (paint_pdf.c): blocks of up to 512 bytes from the
 * thread's pool, 16-byte aligned; every chunk back to the C library when
 * the thread's last block is freed. */
void *rg_hpdf_alloc(unsigned n);
void rg_hpdf_free(void *p);
rg_status rg_paint_pdf(const rg_pagelist *pl, const char *name, rg_pdfwriter **cache, unsigned char **out,
                       size_t *out_size, rg_diags *d);
void rg_pdfwriter_free(rg_pdfwriter *w);

/* ---- pdf_meta.c: the archival parts of a PDF, as bytes ------------------ */
/* One character of a metadata string at s (n bytes left), its length in
 * *len: the code point, or U+FFFD for what an XMP packet cannot hold (an
 * invalid sequence, a surrogate, a control character but tab, line feed
 * and carriage return, U+FFFE, U+FFFF). The Info strings use it too, so
 * both say the same. */
int32_t rg_meta_char(const char *s, size_t n, int *len);
/* Unix time t as an XMP date ("2021-11-01T00:00:00Z") and a PDF date
 * ("D:20211101000000Z00'00'"), either may be NULL: 0, or -1 when t falls
 * outside the years 1-9999. */
int rg_meta_date(long long t, char xmp[32], char pdf[32]);
/* The XMP packet (UTF-8, malloc'ed, *len bytes) repeating in's Info
 * entries and producer, and identifying the file as PDF/A-2a and PDF/UA-1.
 * NULL when memory ran out. */
char *rg_xmp_packet(const rg_docinfo *in, const char *producer, size_t *len);
/* LittleCMS's sRGB profile, ICC 4.2, with a fixed date: *len constant
 * bytes, the same on every call. */
const unsigned char *rg_srgb_profile(size_t *len);
/* The /PageLabels ranges of pl: out (pl->count entries) gets one per page
 * where the labels start again; returns how many. A range labels its pages
 * prefix followed by the page's number in style ('D' decimal, 'a' letters,
 * 0 none) counting from first. */
typedef struct rg_page_label { int start; char prefix[16]; char style; int first; } rg_page_label;
int rg_page_labels(const rg_pagelist *pl, rg_page_label *out);

/* ---- file.c: opening what a run reads ---------------------------------- */
#include <sys/types.h>
struct stat;
/* The files a context has read (data, templates, themes, fonts, images),
 * by device and inode: an output that is one of them is refused. */
typedef struct rg_input { dev_t dev; ino_t ino; char *path; } rg_input;
typedef struct rg_inputs {
    rg_input *v;
    size_t n, cap;
    /* The folders the files a document names may come from (rg_file_confined):
     * each as written, made absolute and normalised, and resolved. */
    char *root[2][2];
    /* The files looked for and not there (an image, a theme's logo), each
     * once: what a watcher waits for too. */
    char **missing;
    size_t nmissing, capmissing;
} rg_inputs;
/* Files opened by this thread from now on are added to in (NULL: none). */
void rg_inputs_track(rg_inputs *in);
void rg_inputs_free(rg_inputs *in);
/* An empty list confined to the folders of in, for another thread to track
 * into and then hand back with rg_inputs_merge. 0, or -1 when memory ran out. */
int rg_inputs_fork(rg_inputs *out, const rg_inputs *in);
/* Moves to the end of to the files and missing files of from that to lacks
 * (an entry that finds no memory is lost, as remember() loses one). */
void rg_inputs_merge(rg_inputs *to, rg_inputs *from);
/* Forgets the files read after the first n (and missing after nmissing). */
void rg_inputs_truncate(rg_inputs *in, size_t n, size_t nmissing);
/* Confines the files a document names to root (its own folder or --root)
 * and extra (the templates): 0, or -1 when memory ran out. */
int rg_inputs_set_roots(rg_inputs *in, const char *root, const char *extra);
/* Is path (as it will be opened) inside one of the roots of the list being
 * tracked? 0 when it is, or when there are no roots; -1 with why set when
 * it is outside, whether or not it exists, or longer than PATH_MAX. */
int rg_file_confined(const char *path, char *why, size_t n);
/* The path under which the file st describes was read, or NULL (also when
 * that path now names another file: the inode read may have been reused). */
const char *rg_inputs_find(const rg_inputs *in, const struct stat *st);
/* Opens path for reading without ever blocking (a FIFO, a device) and only
 * when it is a regular file; st gets its status. A descriptor; -1 when it
 * cannot be opened, -2 when it is not a regular file, with why set. */
int rg_file_open(const char *path, struct stat *st, char *why, size_t n);
/* Reads the regular file path whole (at most cap bytes) into *out, NUL-
 * terminated, its length in *len. 0; -1 when it cannot be read or is
 * larger, -2 when memory ran out, each with a diagnostic naming path. */
int rg_file_read(const char *path, size_t cap, char **out, size_t *len, rg_diags *d);

#endif
