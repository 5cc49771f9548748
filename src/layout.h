/* Internal to the layout engine (layout.c, text.c, table.c, list.c,
 * chart.c): computed styles, slabs and the shared helpers. */
#ifndef RG_LAYOUT_H
#define RG_LAYOUT_H

#include "rg.h"

/* What a block is to a reader: the structure type its paragraphs get, or
 * decoration (headers, footers: an artifact, no structure at all). */
typedef enum {
    RG_ROLE_ARTIFACT, RG_ROLE_P, RG_ROLE_H1, RG_ROLE_H2, RG_ROLE_H3
} rg_role;

typedef struct cs {               /* computed, inherited text style */
    const char *family;
    int bold, italic;
    int face;
    rg_mpt size;
    int leading;                  /* per mille of size */
    rg_color color;
    int align;                    /* rg_align */
    int upper;
    int hyphenate;
    int balance;                  /* 0 unset, 1 no, 2 yes: even lines (headings) */
    rg_role role;
    rg_snode *sn;                 /* the structure node new blocks go under */
    int into;                     /* paragraphs add their text to sn itself (a cell,
                                     item or read-as block of one paragraph) */
} cs;

/* An anchor (id) and/or a bookmark (level, title) at y within a slab: kept
 * with the slab's primitives when slabs are stacked into boxes, cells and
 * rows, and placed when the slab is. */
typedef struct mark {
    const char *id;
    int bm_level;
    const char *bm_title;
    rg_mpt y;
    struct mark *next;
} mark;

typedef struct slab {
    rg_mpt h, before, after;
    rg_prim *first, *last;
    const rg_node *node;          /* the block it came from, for errors */
    int brk;                      /* page break before */
    int keep_next;                /* stay on the page of the next slab */
    struct mark *marks;           /* anchors and bookmarks inside, in order */
    struct slab *thead;           /* table rows: the header rows to repeat (unplaced) */
    int is_head;                  /* a header row itself */
    struct colset *cols;          /* a section-level <columns>: set on pages by the paginator */
    struct slab *next;
} slab;

/* The units of a <columns> block (runs of slabs that keep together), laid
 * out at the column width but not yet placed: the paginator cuts them into
 * parts that fill the rest of a page, then whole pages, the last balanced. */
typedef struct colset {
    int count, n;
    rg_mpt colw, gap;
    slab **unit;
} colset;

typedef struct slist { slab *first, *last; } slist;

typedef struct L {
    const rg_theme *t;
    rg_arena *a;
    const char *src;
    rg_diags *d;
    int scale;                    /* per mille, for shrink-to-fit */
    int page_no, page_count;
    int failed;
    int oom;
    rg_mpt decimal_pad;           /* extra right indent of a decimal-aligned cell */
    const rg_pagelist *prev;      /* the previous pass, for page references */
    int refs;                     /* this pass printed page references */
    int page_is_first, page_is_last; /* of its section, while decorating */
    int nsnodes;                  /* the last structure node id given */
    rg_snode *sroot;              /* the Document node */
    const rg_node *doc;
    int in_cell;                  /* laying out a table cell: words are never cut */
    int probe;                    /* measuring min-content: paragraphs make no lines */
    rg_mpt probe_w;               /* the widest unbreakable piece seen while probing */
    const char *probe_word;       /* that piece, quoted, for messages */
    struct brkmemo **brk_memo;    /* text.c: paragraphs' break opportunities, by text */
    struct paramemo **para_memo;  /* text.c: paragraphs' measures and lines, by text and styles */
    struct {                      /* layout.c: the face last looked up, and for what */
        const char *family;
        int bold, italic, face, valid;
    } face_memo;
} L;

/* The printed number of the page anchor id is on, from the previous pass;
 * 0 when unknown (the first pass) and -1 when there is no such id. */
int lay_ref_number(L *l, const char *id);
/* A deep copy of s's primitives, for header rows repeated on each page. */
slab *lay_slab_clone(L *l, const slab *s);

/* Errors name the block's data line; only the first one is kept. */
void lay_lerr(L *l, const rg_node *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void *lay_alloc(L *l, size_t n);
/* Copies of strings in the arena; NULL when memory ran out, which fails
 * the layout (as lay_alloc). */
char *lay_strndup(L *l, const char *s, size_t n);
char *lay_strdup(L *l, const char *s);
int lay_is_el(const rg_node *n, const char *name);
int lay_src_line(const rg_node *n);
void lay_text_start(const rg_node *n, char *buf, size_t size, size_t *used);
const char *lay_block_name(L *l, const rg_node *n);
/* n's style from its parent's; block spacing (space-before/after) to *blk. */
void lay_node_style(L *l, const rg_node *n, const cs *parent, cs *out, rg_style *blk);
rg_mpt lay_attr_len(L *l, const rg_node *n, const char *name, rg_mpt def);
rg_color lay_attr_color(L *l, const rg_node *n, const char *name);
void lay_attr_box4(L *l, const rg_node *n, const char *name, rg_mpt out[4], int scaled);
rg_prim *lay_prim_new(L *l, rg_prim_kind kind);
/* A text primitive of a copy of text in style s, its baseline at (x, y). */
rg_prim *lay_text_prim(L *l, const char *text, const cs *s, rg_mpt x, rg_mpt y, const rg_snode *node);
/* A structure node of type t under s->sn; NULL where no structure is made
 * (decoration, measuring) or memory ran out (l->failed). */
rg_snode *lay_snode(L *l, const cs *s, rg_stype t);
/* The node a paragraph of style s puts its text in: s->sn itself when
 * s->into, else a new one of its role's type. */
rg_snode *lay_para_node(L *l, const cs *s);
/* Does the container's content make exactly one paragraph (inline content,
 * or one <p>)? Its text may then go into the container's own node. */
int lay_one_para(const rg_node *c);
void lay_slab_add(slab *s, rg_prim *p);
void lay_prims_move(rg_prim *p, rg_mpt dx, rg_mpt dy);
/* Moves src's primitives and marks into dst, offset by (dx, dy). */
void lay_slab_append_prims(slab *dst, slab *src, rg_mpt dx, rg_mpt dy);
slab *lay_slab_new(L *l, const rg_node *n);
void lay_slist_add(slist *sl, slab *s);
/* Stacks slabs into one, dropping the outer spacing. */
slab *lay_stack(L *l, slist *sl, const rg_node *n);
rg_mpt lay_adv(L *l, const cs *s, uint32_t cp);
/* Face face's font, read on first use; NULL when it cannot be read (the
 * error names the theme's line) or there is no such face: the layout
 * has failed. */
const rg_font *lay_font_read(L *l, int face);
static inline const rg_font *lay_font(L *l, int face)
{
    const rg_font *f = rg_theme_font_ready(l->t, face);
    return f ? f : lay_font_read(l, face);
}
int lay_is_inline(const rg_node *n);

/* text.c: a paragraph's lines as slabs (right_pad: space kept free at the right). */
void lay_para(L *l, const rg_node *n, const cs *s, rg_style *blk, rg_mpt width, rg_mpt right_pad, slist *out);
/* The same for the inline nodes from first up to stop (mixed content). */
void lay_para_range(L *l, const rg_node *n, const rg_node *first, const rg_node *stop, const cs *s,
                    rg_style *blk, rg_mpt width, rg_mpt right_pad, slist *out);
/* Width of a UTF-8 string in style s (no line breaking). */
rg_mpt lay_text_width(L *l, const cs *s, const char *text);
/* list.c */
void lay_list(L *l, const rg_node *n, const cs *s, rg_mpt width, rg_style *blk, slist *out);
void lay_toc(L *l, const rg_node *n, const cs *s, rg_mpt width, rg_style *blk, slist *out);
void lay_columns(L *l, const rg_node *n, const cs *s, rg_mpt width, rg_style *blk, slist *out);
/* s's columns as parts (linked by next): the first no taller than avail (or
 * frame, when not even its first unit fits in avail), the others no taller
 * than frame and starting a page; NULL after an error. */
slab *lay_columns_split(L *l, slab *s, rg_mpt avail, rg_mpt frame);
/* chart.c */
void lay_chart(L *l, const rg_node *n, const cs *s, rg_mpt width, rg_style *blk, slist *out);
/* layout.c: the blocks of a container at width. */
void lay_blocks(L *l, const rg_node *parent, const cs *s, rg_mpt width, slist *out);
/* table.c */
void lay_table(L *l, const rg_node *n, const cs *s, rg_mpt width, rg_style *blk, slist *out);

#endif
