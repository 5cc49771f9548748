/* The layout engine: styles, paragraphs (line breaking with real metrics),
 * boxes, tables and pagination, from the layout document to a page list.
 *
 * Blocks become slabs: the smallest pieces the paginator may not split (a
 * line of a paragraph, a table row, a box). A container with a fixed width
 * (box, table cell, footer) stacks its slabs into one. Shrink-to-fit lays the
 * section out again at smaller sizes, so nothing is ever clipped. */
#include <linebreak.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "layout.h"

/* ---- errors ----------------------------------------------------------- */

static int first_src_line(const rg_node *n)
{
    for (const rg_node *c = n->first; c; c = c->next) {
        if (c->kind != RG_N_ELEMENT)
            continue;
        const char *s = rg_node_attr(c, "src-line");
        if (s && atoi(s) > 0)
            return atoi(s);
        int l = first_src_line(c);
        if (l > 0)
            return l;
    }
    return 0;
}

/* The data file's line for a block: its own, else its first descendant's
 * (a table row), else its nearest ancestor's. */
int lay_src_line(const rg_node *n)
{
    const char *own = n ? rg_node_attr(n, "src-line") : NULL;
    if (own && atoi(own) > 0)
        return atoi(own);
    int down = n ? first_src_line(n) : 0;
    if (down > 0)
        return down;
    const rg_node *self = n;
    for (; n; n = n->parent) {
        const char *s = rg_node_attr(n, "src-line");
        if (s && atoi(s) > 0)
            return atoi(s);
    }
    /* A layout document rendered as it is: its own lines are the data's. */
    return self && self->line > 0 ? self->line : 1;
}

void lay_lerr(L *l, const rg_node *n, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!l->failed)
        rg_diag_add(l->d, RG_SEV_ERROR, l->src, lay_src_line(n), 1, "%s", msg);
    l->failed = 1;
}

const rg_font *lay_font_read(L *l, int face)
{
    const rg_font *f = rg_theme_font(l->t, face, l->failed ? NULL : l->d);
    if (!f && !l->failed) {
        if (face < 0 || face >= l->t->nface)
            rg_diag_add(l->d, RG_SEV_ERROR, l->src, 0, 0, "theme '%s' has no font", l->t->name);
        else if (rg_diags_memory(l->d))
            l->oom = 1;
    }
    if (!f)
        l->failed = 1;
    return f;
}

void *lay_alloc(L *l, size_t n)
{
    void *p = rg_arena_alloc(l->a, n);
    if (!p && !l->oom) {
        l->oom = 1;
        l->failed = 1;
        rg_diag_add(l->d, RG_SEV_ERROR, "", 0, 0, "out of memory");
    }
    return p;
}

char *lay_strndup(L *l, const char *s, size_t n)
{
    char *p = lay_alloc(l, n + 1); /* zeroed: the NUL is there */
    if (p)
        memcpy(p, s, n);
    return p;
}

char *lay_strdup(L *l, const char *s)
{
    return lay_strndup(l, s, strlen(s));
}

int lay_is_el(const rg_node *n, const char *name)
{
    return n->kind == RG_N_ELEMENT && strcmp(n->name, name) == 0;
}

/* The first words of a block's text, to name it in a message. */
void lay_text_start(const rg_node *n, char *buf, size_t size, size_t *used)
{
    for (; n && *used + 1 < size; n = n->next) {
        /* Blocks and cells are separate words. */
        if (n->kind == RG_N_ELEMENT && *used > 0 && buf[*used - 1] != ' ' &&
            (strcmp(n->name, "cell") == 0 || strcmp(n->name, "p") == 0 || strcmp(n->name, "h") == 0))
            buf[(*used)++] = ' ';
        if (n->kind == RG_N_TEXT) {
            for (const char *s = n->text; *s && *used + 1 < size; s++) {
                char c = (*s == '\n' || *s == '\t' || *s == '\r') ? ' ' : *s;
                if (c == ' ' && (*used == 0 || buf[*used - 1] == ' '))
                    continue;
                buf[(*used)++] = c;
            }
        } else {
            lay_text_start(n->first, buf, size, used);
        }
    }
    buf[*used] = 0;
}

const char *lay_block_name(L *l, const rg_node *n)
{
    char buf[64];
    size_t used = 0;
    buf[0] = 0;
    lay_text_start(n->first, buf, 44, &used);
    if (used >= 43) {
        /* do not cut a UTF-8 sequence */
        while (used > 0 && ((unsigned char)buf[used - 1] & 0xC0) == 0x80)
            used--;
        if (used > 0 && ((unsigned char)buf[used - 1] & 0xC0) == 0xC0)
            used--;
        strcpy(buf + used, "...");
    }
    char *r = rg_arena_printf(l->a, "<%s> '%s'", n->name, buf);
    return r ? r : "a block";
}

/* ---- styles ----------------------------------------------------------- */

static const char *NON_STYLE[] = {"style", "src-line", "logo", "if-logo", "href", "name", "level", "width", "height",
    "fill", "stroke", "stroke-width", "radius", "padding", "min-height", "valign", "rule",
    "rule-width", "header-fill", "header", "colspan", "page-style", "max-pages", "break-before",
    "title", "author", "subject", "keywords", "lang", "created", "theme", "size-page", "margin",
    "gap", "keep-with-next", "to", "id", "bookmark", "marker", "indent", "levels", "count", "type",
    "label", "value", "alt", "y-label", "keep-together", "pages", "src", "read-as", NULL};

/* First letters before strcmp: a node's every attribute is looked up here
 * in every pass, and most are style properties, found in no entry. */
static int non_style(const char *name)
{
    for (int i = 0; NON_STYLE[i]; i++)
        if (NON_STYLE[i][0] == name[0] && strcmp(NON_STYLE[i], name) == 0)
            return 1;
    return 0;
}

/* rg_theme_face through a one-entry memo: the nodes of a paragraph or a
 * table mostly ask for the face their neighbour asked for. The family is
 * compared by pointer (theme and layout strings live through the layout). */
static int node_face(L *l, const char *family, int bold, int italic)
{
    if (!l->face_memo.valid || l->face_memo.family != family || l->face_memo.bold != bold ||
        l->face_memo.italic != italic) {
        l->face_memo.face = rg_theme_face(l->t, family, bold, italic);
        l->face_memo.family = family;
        l->face_memo.bold = bold;
        l->face_memo.italic = italic;
        l->face_memo.valid = 1;
    }
    return l->face_memo.face;
}

static void apply_style(L *l, cs *c, const rg_style *st)
{
    if (st->family) c->family = st->family;
    if (st->bold >= 0) c->bold = st->bold;
    if (st->italic >= 0) c->italic = st->italic;
    if (st->size > 0) c->size = (rg_mpt)((int64_t)st->size * l->scale / 1000);
    if (st->leading > 0) c->leading = st->leading;
    if (st->color.set) c->color = st->color;
    if (st->align > 0) c->align = st->align - 1;
    if (st->letter_case) c->upper = st->letter_case == 2;
    if (st->hyphenate) c->hyphenate = st->hyphenate == 2;
    if (st->balance) c->balance = st->balance;
}

/* Computes n's style from its parent's; block spacing goes to *blk. */
void lay_node_style(L *l, const rg_node *n, const cs *parent, cs *out, rg_style *blk)
{
    *out = *parent;
    rg_style st;
    rg_style_init(&st);
    const char *sn = rg_node_attr(n, "style");
    if (sn) {
        const rg_style *named = rg_theme_style(l->t, sn);
        if (named)
            st = *named;
        else
            lay_lerr(l, n, "unknown style '%s' in theme '%s'", sn, l->t->name);
    }
    for (const rg_attr *a = n->attr; a; a = a->next) {
        if (non_style(a->name) || (strcmp(a->name, "size") == 0 && lay_is_el(n, "page-style")))
            continue;
        int r = rg_style_set(&st, l->t, a->name, a->value);
        if (r < 0)
            lay_lerr(l, n, "bad value '%s' for %s on <%s>", a->value, a->name, n->name);
        else if (r > 0)
            lay_lerr(l, n, "unknown attribute '%s' on <%s>", a->name, n->name);
    }
    apply_style(l, out, &st);
    out->face = node_face(l, out->family, out->bold, out->italic);
    if (blk) {
        blk->space_before = st.space_before < 0 ? 0 : (rg_mpt)((int64_t)st.space_before * l->scale / 1000);
        blk->space_after = st.space_after < 0 ? 0 : (rg_mpt)((int64_t)st.space_after * l->scale / 1000);
    }
}

rg_mpt lay_attr_len(L *l, const rg_node *n, const char *name, rg_mpt def)
{
    const char *v = rg_node_attr(n, name);
    rg_mpt m;
    if (!v)
        return def;
    if (rg_length_parse(v, &m) != 0) {
        lay_lerr(l, n, "bad length '%s' for %s on <%s>", v, name, n->name);
        return def;
    }
    return m;
}

rg_color lay_attr_color(L *l, const rg_node *n, const char *name)
{
    const char *v = rg_node_attr(n, name);
    rg_color c = {0, 0, 0, 0};
    if (v && rg_color_parse(l->t, v, &c) != 0)
        lay_lerr(l, n, "unknown colour '%s' for %s on <%s>", v, name, n->name);
    return c;
}

/* "6pt" or "4pt 8pt" ... in CSS order: top right bottom left. */
void lay_attr_box4(L *l, const rg_node *n, const char *name, rg_mpt out[4], int scaled)
{
    const char *v = rg_node_attr(n, name);
    if (!v)
        return;
    rg_mpt m[4];
    int k = 0;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", v);
    for (char *save = NULL, *tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        if (k == 4 || rg_length_parse(tok, &m[k]) != 0 || m[k] < 0) {
            lay_lerr(l, n, "bad %s '%s' on <%s>", name, v, n->name);
            return;
        }
        k++;
    }
    if (k == 0) return;
    if (k == 1) m[1] = m[2] = m[3] = m[0];
    if (k == 2) m[2] = m[0], m[3] = m[1];
    if (k == 3) m[3] = m[1];
    for (int i = 0; i < 4; i++)
        out[i] = scaled ? (rg_mpt)((int64_t)m[i] * l->scale / 1000) : m[i];
}

/* ---- primitives and slabs --------------------------------------------- */

rg_prim *lay_prim_new(L *l, rg_prim_kind kind)
{
    rg_prim *p = lay_alloc(l, sizeof *p);
    if (p) {
        p->kind = kind;
        p->face = -1;
    }
    return p;
}

const char *rg_stype_name(rg_stype t)
{
    static const char *n[] = {"Document", "P", "H1", "H2", "H3", "Figure", "Table", "THead", "TBody", "TR",
                              "TH", "TD", "L", "LI", "Lbl", "LBody", "TOC", "TOCI", "Link"};
    return (unsigned)t < sizeof n / sizeof n[0] ? n[t] : "P";
}

rg_snode *lay_snode(L *l, const cs *s, rg_stype t)
{
    if (s->role == RG_ROLE_ARTIFACT || l->probe)
        return NULL;
    rg_snode *n = lay_alloc(l, sizeof *n);
    if (!n)
        return NULL;
    n->type = t;
    n->id = ++l->nsnodes;
    n->parent = s->sn;
    n->colspan = 1;
    return n;
}

rg_snode *lay_para_node(L *l, const cs *s)
{
    if (s->into && s->role != RG_ROLE_ARTIFACT)
        return l->probe ? NULL : s->sn;
    static const rg_stype of[] = {RG_S_P, RG_S_P, RG_S_H1, RG_S_H2, RG_S_H3};
    return lay_snode(l, s, of[s->role]);
}

int lay_one_para(const rg_node *c)
{
    int paras = 0, text = 0;
    for (const rg_node *k = c->first; k; k = k->next) {
        if (k->kind == RG_N_TEXT || lay_is_inline(k))
            text |= lay_is_inline(k);
        else if (lay_is_el(k, "p"))
            paras++;
        else
            return 0;
    }
    return paras + text == 1;
}

rg_prim *lay_text_prim(L *l, const char *text, const cs *s, rg_mpt x, rg_mpt y, const rg_snode *node)
{
    rg_prim *t = lay_prim_new(l, RG_P_TEXT);
    if (!t)
        return NULL;
    t->x = x;
    t->y = y;
    t->face = s->face;
    t->size = s->size;
    t->fill = s->color;
    t->node = node;
    t->text = lay_strdup(l, text);
    t->len = t->text ? strlen(t->text) : 0;
    return t->text ? t : NULL;
}

void lay_slab_add(slab *s, rg_prim *p)
{
    if (!p)
        return;
    p->next = NULL;
    if (s->last)
        s->last->next = p;
    else
        s->first = p;
    s->last = p;
}

void lay_prims_move(rg_prim *p, rg_mpt dx, rg_mpt dy)
{
    for (; p; p = p->next) {
        p->x += dx;
        p->y += dy;
    }
}

void lay_slab_append_prims(slab *dst, slab *src, rg_mpt dx, rg_mpt dy)
{
    if (src->marks) {
        mark **tail = &dst->marks;
        while (*tail)
            tail = &(*tail)->next;
        for (mark *m = src->marks; m; m = m->next)
            m->y += dy;
        *tail = src->marks;
        src->marks = NULL;
    }
    if (!src->first)
        return;
    lay_prims_move(src->first, dx, dy);
    if (dst->last)
        dst->last->next = src->first;
    else
        dst->first = src->first;
    dst->last = src->last;
    src->first = src->last = NULL;
}

slab *lay_slab_new(L *l, const rg_node *n)
{
    slab *s = lay_alloc(l, sizeof *s);
    if (s)
        s->node = n;
    return s;
}

void lay_slist_add(slist *sl, slab *s)
{
    if (!s)
        return;
    if (sl->last)
        sl->last->next = s;
    else
        sl->first = s;
    sl->last = s;
}

/* Stacks slabs into one: the first slab's space before and the last one's
 * space after are dropped (a container's padding takes their place). */
slab *lay_stack(L *l, slist *sl, const rg_node *n)
{
    slab *out = lay_slab_new(l, n);
    if (!out)
        return NULL;
    rg_mpt y = 0, prev_after = 0;
    int first = 1;
    for (slab *s = sl->first; s; s = s->next) {
        rg_mpt gap = first ? 0 : (prev_after > s->before ? prev_after : s->before);
        lay_slab_append_prims(out, s, 0, y + gap);
        y += gap + s->h;
        prev_after = s->after;
        first = 0;
    }
    out->h = y;
    return out;
}

/* ---- paragraphs ------------------------------------------------------- */

/* ---- blocks ----------------------------------------------------------- */


int lay_is_inline(const rg_node *n)
{
    static const char *names[] = {"b", "i", "span", "a", "br", "page-number", "page-count", "var", NULL};
    if (n->kind == RG_N_TEXT) {
        for (const char *t = n->text; *t; t++)
            if (!(*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r'))
                return 1;
        return 0;
    }
    for (int i = 0; names[i]; i++)
        if (strcmp(n->name, names[i]) == 0)
            return 1;
    return 0;
}

static slab *layout_box(L *l, const rg_node *n, const cs *s, rg_mpt width, rg_style *blk)
{
    rg_mpt pad[4] = {0, 0, 0, 0};
    lay_attr_box4(l, n, "padding", pad, 1);
    rg_mpt bw = width;
    const char *wv = rg_node_attr(n, "width");
    if (wv) {
        size_t k = strlen(wv);
        if (k > 1 && wv[k - 1] == '%') {
            rg_dec pc;
            char tmp[32];
            snprintf(tmp, sizeof tmp, "%.*s", (int)(k - 1), wv);
            if (rg_dec_parse(tmp, &pc) != 0 || pc <= 0 || pc > 100 * RG_DEC_ONE)
                lay_lerr(l, n, "bad width '%s' on <box>", wv);
            else
                bw = (rg_mpt)((int64_t)width * pc / (100 * RG_DEC_ONE));
        } else {
            bw = lay_attr_len(l, n, "width", width);
        }
    }
    slist inner = {0};
    cs bs = *s;
    const char *ra = rg_node_attr(n, "read-as");
    if (ra && (bs.sn = lay_snode(l, s, RG_S_P)) != NULL) {
        /* One paragraph for a reader, its words replaced: "F" over "43.5"
         * is read "Overall grade F, score 43.5". */
        bs.sn->actual = ra;
        bs.into = 1;
    } else if (ra) {
        bs.sn = s->sn;
    }
    lay_blocks(l, n, &bs, bw - pad[1] - pad[3], &inner);
    slab *content = lay_stack(l, &inner, n);
    slab *b = lay_slab_new(l, n);
    if (!content || !b)
        return NULL;
    rg_mpt h = content->h + pad[0] + pad[2];
    rg_mpt minh = (rg_mpt)((int64_t)lay_attr_len(l, n, "min-height", 0) * l->scale / 1000);
    rg_mpt dy = 0;
    if (minh > h) {
        const char *va = rg_node_attr(n, "valign");
        if (va && strcmp(va, "middle") == 0)
            dy = (minh - h) / 2;
        else if (va && strcmp(va, "bottom") == 0)
            dy = minh - h;
        h = minh;
    }
    rg_color fill = lay_attr_color(l, n, "fill"), stroke = lay_attr_color(l, n, "stroke");
    if (fill.set || stroke.set) {
        rg_prim *r = lay_prim_new(l, RG_P_RECT);
        if (!r)
            return NULL;
        r->w = bw;
        r->h = h;
        r->fill = fill;
        r->stroke = stroke;
        r->stroke_width = lay_attr_len(l, n, "stroke-width", RG_PT(1));
        r->radius = lay_attr_len(l, n, "radius", 0);
        lay_slab_add(b, r);
    }
    lay_slab_append_prims(b, content, pad[3], pad[0] + dy);
    b->h = h;
    b->before = blk->space_before;
    b->after = blk->space_after;
    if (ra && !fill.set && !stroke.set && !rg_node_attr(n, "padding") && inner.first) {
        /* A box there only for the reader: its blocks keep their spacing. */
        if (inner.first->before > b->before)
            b->before = inner.first->before;
        if (inner.last->after > b->after)
            b->after = inner.last->after;
    }
    return b;
}

/* An image from a file beside the data file, scaled to its width or height
 * (or 96 pixels an inch), never wider than the frame. */
static slab *layout_image(L *l, const rg_node *c, const cs *s, rg_mpt width, rg_style *blk)
{
    const char *src = rg_node_attr(c, "src");
    const char *logo = rg_node_attr(c, "logo");
    if (logo && strcmp(logo, "yes") == 0) {
        /* the theme's logo, found from the theme's folder when it was read */
        if (!l->t->logo) {
            lay_lerr(l, c, "<image logo=\"yes\">: theme '%s' has no logo (guard it with if-logo=\"yes\")",
                     l->t->name);
            return NULL;
        }
        src = l->t->logo;
    } else if (logo && strcmp(logo, "no") != 0) {
        lay_lerr(l, c, "<image> logo '%s' is not yes or no", logo);
        return NULL;
    }
    if (!src || !*src) {
        lay_lerr(l, c, "<image> needs src");
        return NULL;
    }
    char path[4096];
    const char *slash = strrchr(l->src, '/');
    /* The theme's logo is the theme's file, named as found; a document's
       image is named from the document's folder. */
    int is_logo = src == l->t->logo;
    size_t dl = src[0] == '/' || !slash || is_logo ? 0 : (size_t)(slash - l->src) + 1;
    if (dl + strlen(src) >= sizeof path) { /* never cut: a shorter path is another file */
        lay_lerr(l, c, "image path '%.40s...' is %zu bytes long, over the limit of %zu", src, dl + strlen(src),
                 sizeof path - 1);
        return NULL;
    }
    snprintf(path, sizeof path, "%.*s%s", (int)dl, l->src, src);
    rg_image_info info;
    char err[512];
    if (!is_logo && rg_file_confined(path, err, sizeof err) != 0) {
        lay_lerr(l, c, "image '%s' %s", src, err);
        return NULL;
    }
    if (rg_image_probe(path, &info, err, sizeof err) != 0) {
        lay_lerr(l, c, "%s", err);
        return NULL;
    }
    rg_mpt w = lay_attr_len(l, c, "width", 0), h = lay_attr_len(l, c, "height", 0);
    if (w <= 0 && h <= 0)
        w = (rg_mpt)((int64_t)info.width * 750);
    if (w <= 0)
        w = (rg_mpt)((int64_t)h * info.width / info.height);
    if (h <= 0)
        h = (rg_mpt)((int64_t)w * info.height / info.width);
    if (w > width) {
        h = (rg_mpt)((int64_t)h * width / w);
        w = width;
    }
    slab *sl = lay_slab_new(l, c);
    rg_prim *p = lay_prim_new(l, RG_P_IMAGE);
    char *ip = lay_strdup(l, path);
    if (!sl || !p || !ip)
        return NULL;
    const char *align = rg_node_attr(c, "align");
    p->x = align && strcmp(align, "center") == 0 ? (width - w) / 2 : align && strcmp(align, "right") == 0 ? width - w : 0;
    p->w = w;
    p->h = h;
    p->image = ip;
    p->image_kind = info.kind;
    p->alt = rg_node_attr(c, "alt");
    if (!p->alt && src == l->t->logo)
        p->alt = l->t->logo_alt;
    /* A figure, except in a header or footer: a logo on every page is decoration. */
    rg_snode *fig = lay_snode(l, s, RG_S_FIGURE);
    if (fig)
        fig->alt = p->alt;
    p->node = fig;
    lay_slab_add(sl, p);
    sl->h = h;
    sl->before = blk->space_before;
    sl->after = blk->space_after;
    return sl;
}

/* A heading's text for its bookmark: the words, white space collapsed. */
static const char *flat_text(L *l, const rg_node *n)
{
    char buf[512];
    size_t used = 0;
    buf[0] = 0;
    lay_text_start(n->first, buf, sizeof buf, &used);
    while (used > 0 && buf[used - 1] == ' ')
        buf[--used] = 0;
    return lay_strdup(l, buf);
}

/* A header or footer block's pages="...": first, not-first, last, not-last
 * (of its section: "-more-" at the foot of every page but the last). */
static int shown_on_page(L *l, const rg_node *c)
{
    const char *on = rg_node_attr(c, "pages");
    if (!on || strcmp(on, "all") == 0)
        return 1;
    if (strcmp(on, "first") == 0) return l->page_is_first;
    if (strcmp(on, "not-first") == 0) return !l->page_is_first;
    if (strcmp(on, "last") == 0) return l->page_is_last;
    if (strcmp(on, "not-last") == 0) return !l->page_is_last;
    lay_lerr(l, c, "pages '%s' is not all, first, not-first, last or not-last", on);
    return 0;
}

/* if-logo="yes|no": the block only when the theme has (or lacks) a logo. */
static int shown_for_theme(L *l, const rg_node *c)
{
    const char *v = rg_node_attr(c, "if-logo");
    if (!v)
        return 1;
    if (strcmp(v, "yes") == 0 || strcmp(v, "no") == 0)
        return (l->t->logo != NULL) == (v[0] == 'y');
    lay_lerr(l, c, "if-logo '%s' is not yes or no", v);
    return 0;
}

static void block(L *l, const rg_node *c, const cs *s, rg_mpt width, slist *out)
{
    if (rg_node_attr(c, "pages") && !shown_on_page(l, c))
        return;
    if (!shown_for_theme(l, c))
        return;
    cs cc;
    rg_style blk;
    lay_node_style(l, c, s, &cc, &blk);
    if (l->failed)
        return;
    slab *before = out->last;
    int level = 0;
    if (lay_is_el(c, "p") || lay_is_el(c, "h")) {
        if (lay_is_el(c, "h")) {
            const char *lv = rg_node_attr(c, "level");
            level = lv ? atoi(lv) : 1;
            if (level < 1 || level > 3) {
                lay_lerr(l, c, "heading level '%s' is not 1, 2 or 3", lv);
                return;
            }
            if (cc.role != RG_ROLE_ARTIFACT)
                cc.role = (rg_role)(RG_ROLE_H1 + level - 1);
            if (!cc.balance) /* a heading's lines are even unless it says no */
                cc.balance = 2;
        } else if (cc.role != RG_ROLE_ARTIFACT) {
            cc.role = RG_ROLE_P;
        }
        lay_para(l, c, &cc, &blk, width, 0, out);
        if (level && out->last && out->last != before) {
            /* A heading keeps with what follows: all its lines, then the next block. */
            for (slab *x = before ? before->next : out->first; x; x = x->next)
                x->keep_next = 1;
        }
    } else if (lay_is_el(c, "box")) {
        lay_slist_add(out, layout_box(l, c, &cc, width, &blk));
    } else if (lay_is_el(c, "table")) {
        lay_table(l, c, &cc, width, &blk, out);
    } else if (lay_is_el(c, "list")) {
        lay_list(l, c, &cc, width, &blk, out);
    } else if (lay_is_el(c, "toc")) {
        lay_toc(l, c, &cc, width, &blk, out);
    } else if (lay_is_el(c, "columns")) {
        lay_columns(l, c, &cc, width, &blk, out);
    } else if (lay_is_el(c, "chart")) {
        lay_chart(l, c, &cc, width, &blk, out);
    } else if (lay_is_el(c, "image")) {
        lay_slist_add(out, layout_image(l, c, &cc, width, &blk));
    } else if (lay_is_el(c, "spacer")) {
        slab *sp = lay_slab_new(l, c);
        if (sp)
            sp->h = (rg_mpt)((int64_t)lay_attr_len(l, c, "height", RG_PT(6)) * l->scale / 1000);
        lay_slist_add(out, sp);
    } else if (lay_is_el(c, "rule")) {
        slab *sp = lay_slab_new(l, c);
        rg_prim *ln = lay_prim_new(l, RG_P_LINE);
        if (!sp || !ln)
            return;
        ln->w = width;
        ln->stroke = cc.color;
        ln->stroke_width = lay_attr_len(l, c, "width", RG_PT(0.5));
        ln->y = 0;
        lay_slab_add(sp, ln);
        sp->before = blk.space_before;
        sp->after = blk.space_after;
        lay_slist_add(out, sp);
    } else if (lay_is_el(c, "page-break")) {
        slab *sp = lay_slab_new(l, c);
        if (sp)
            sp->brk = 1;
        lay_slist_add(out, sp);
    } else {
        lay_lerr(l, c, "unknown block <%s>", c->name);
        return;
    }
    slab *first = before ? before->next : out->first;
    if (!first || l->failed)
        return;
    const char *id = rg_node_attr(c, "id");
    const char *bm = rg_node_attr(c, "bookmark");
    int want_bm = level && !(bm && strcmp(bm, "no") == 0) && cc.role != RG_ROLE_ARTIFACT;
    if (id || want_bm) {
        mark *m = lay_alloc(l, sizeof *m);
        if (!m)
            return;
        m->id = id;
        if (want_bm) {
            m->bm_level = level;
            m->bm_title = flat_text(l, c);
        }
        /* First in the slab: it marks the top of this block. */
        m->next = first->marks;
        first->marks = m;
    }
    const char *kn = rg_node_attr(c, "keep-with-next");
    if (kn && strcmp(kn, "yes") == 0)
        out->last->keep_next = 1;
    const char *kt = rg_node_attr(c, "keep-together");
    if (kt && strcmp(kt, "yes") == 0)
        for (slab *x = first; x && x != out->last; x = x->next)
            x->keep_next = 1;
}

void lay_blocks(L *l, const rg_node *parent, const cs *s, rg_mpt width, slist *out)
{
    /* Mixed content: each run of inline nodes between blocks is an
     * implicit paragraph ("Barriers reported:" followed by a list). */
    const rg_node *run = NULL;
    for (const rg_node *c = parent->first;; c = c->next) {
        int inl = c && (lay_is_inline(c) || (run && c->kind == RG_N_TEXT));
        if (c && inl) {
            if (!run)
                run = c;
            continue;
        }
        if (run) {
            rg_style blk;
            rg_style_init(&blk);
            blk.space_before = blk.space_after = 0;
            cs ps = *s;
            lay_para_range(l, parent, run, c, &ps, &blk, width, 0, out);
            run = NULL;
        }
        if (!c || l->failed)
            break;
        if (c->kind == RG_N_TEXT)
            continue;
        block(l, c, s, width, out);
    }
}

/* ---- pages ------------------------------------------------------------ */

typedef struct pstyle {
    rg_mpt w, h, m[4];
    const rg_node *header, *footer, *node;
} pstyle;

static int page_style(L *l, const rg_node *doc, const char *name, pstyle *ps)
{
    const rg_node *n = NULL;
    for (const rg_node *c = doc->first; c; c = c->next)
        if (lay_is_el(c, "page-style") && (!name || (rg_node_attr(c, "name") && strcmp(rg_node_attr(c, "name"), name) == 0))) {
            n = c;
            break;
        }
    memset(ps, 0, sizeof *ps);
    ps->w = RG_PT(612);
    ps->h = RG_PT(792);
    for (int i = 0; i < 4; i++)
        ps->m[i] = RG_PT(54);
    if (!n) {
        if (name) {
            lay_lerr(l, doc, "no page-style named '%s'", name);
            return -1;
        }
        return 0;
    }
    ps->node = n;
    const char *sz = rg_node_attr(n, "size");
    if (sz && strcmp(sz, "a4") == 0) {
        ps->w = 595276;
        ps->h = 841890;
    } else if (sz && strcmp(sz, "letter") != 0) {
        lay_lerr(l, n, "unknown page size '%s' (letter or a4)", sz);
        return -1;
    }
    lay_attr_box4(l, n, "margin", ps->m, 0);
    for (const rg_node *c = n->first; c; c = c->next) {
        if (lay_is_el(c, "header"))
            ps->header = c;
        else if (lay_is_el(c, "footer"))
            ps->footer = c;
    }
    return l->failed ? -1 : 0;
}

static rg_page *page_new(L *l, rg_pagelist *pl, const pstyle *ps)
{
    if (pl->count >= RG_MAX_PAGES) {
        lay_lerr(l, ps->node, "the document needs more than %d pages, the limit", RG_MAX_PAGES);
        return NULL;
    }
    rg_page *pg = lay_alloc(l, sizeof *pg);
    if (!pg)
        return NULL;
    pg->width = ps->w;
    pg->height = ps->h;
    pg->index = pl->count;
    if (pl->last)
        pl->last->next = pg;
    else
        pl->first = pg;
    pl->last = pg;
    pl->count++;
    return pg;
}

static void page_put(rg_page *pg, slab *s, rg_mpt dx, rg_mpt dy)
{
    if (!s->first)
        return;
    lay_prims_move(s->first, dx, dy);
    if (pg->last)
        pg->last->next = s->first;
    else
        pg->first = s->first;
    pg->last = s->last;
    s->first = s->last = NULL;
}

slab *lay_slab_clone(L *l, const slab *s)
{
    slab *c = lay_slab_new(l, s->node);
    if (!c)
        return NULL;
    c->h = s->h;
    c->is_head = 1;
    for (const rg_prim *p = s->first; p; p = p->next) {
        rg_prim *q = lay_prim_new(l, p->kind);
        if (!q)
            return NULL;
        *q = *p;
        q->next = NULL;
        q->node = NULL; /* read once: a repeated header row is an artifact */
        lay_slab_add(c, q);
    }
    return c;
}

typedef struct placed {
    slab *s;
    rg_page *pg;
    rg_mpt y;
} placed;

typedef struct plan {
    placed *v;
    size_t n, cap;
} plan;

static int plan_add(L *l, plan *pl, slab *s, rg_page *pg, rg_mpt y)
{
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? pl->cap * 2 : 64;
        placed *v = rg_fail_now() ? NULL : realloc(pl->v, cap * sizeof *v);
        if (!v) {
            if (!l->oom)
                rg_diag_add(l->d, RG_SEV_ERROR, "", 0, 0, "out of memory");
            l->oom = l->failed = 1;
            return -1;
        }
        pl->v = v;
        pl->cap = cap;
    }
    pl->v[pl->n++] = (placed){s, pg, y};
    return 0;
}

/* Places a section's slabs on pages: a slab that does not fit goes to the
 * next page, together with the slabs before it that must keep with it (a
 * heading, the first line of a paragraph); a table continued on a new page
 * gets its header rows again. Returns the number of pages, or -1. */
static int paginate(L *l, slist *sl, const pstyle *ps, rg_pagelist *pl, const slab **overflow, int max_pages)
{
    rg_mpt top = ps->m[0], bottom = ps->h - ps->m[2];
    size_t n = 0;
    for (slab *s = sl->first; s; s = s->next)
        n++;
    slab **arr = rg_fail_now() ? NULL : malloc((n ? n : 1) * sizeof *arr);
    plan pv = {0};
    if (!arr) {
        lay_lerr(l, NULL, "out of memory");
        l->oom = 1;
        return -1;
    }
    n = 0;
    for (slab *s = sl->first; s; s = s->next)
        arr[n++] = s;
    rg_page *pg = NULL;
    rg_mpt y = top, prev_after = 0;
    size_t first_on_page = 0, plan_mark = 0;
    int pages = 0, empty = 1, rc = -1;
    *overflow = NULL;
    for (size_t i = 0; i < n; i++) {
        slab *s = arr[i];
        int need_page = !pg || (s->brk && !empty);
        rg_mpt gap = empty ? 0 : (prev_after > s->before ? prev_after : s->before);
        if (s->cols) {
            /* Columns continue on the next pages: cut them here, the first
             * part to the rest of this page, and flow the parts. */
            rg_mpt avail = need_page || empty ? bottom - top : bottom - y - gap;
            slab *parts = lay_columns_split(l, s, avail, bottom - top);
            if (!parts)
                goto done;
            size_t k = 0;
            for (slab *x = parts; x; x = x->next)
                k++;
            slab **grown = rg_fail_now() ? NULL : realloc(arr, (n + k - 1) * sizeof *arr);
            if (!grown) {
                lay_lerr(l, NULL, "out of memory");
                l->oom = 1;
                goto done;
            }
            arr = grown;
            memmove(arr + i + k, arr + i + 1, (n - i - 1) * sizeof *arr);
            for (slab *x = parts; x; x = x->next)
                arr[i++] = x;
            i -= k;
            n += k - 1;
            s = arr[i];
            need_page = !pg || (s->brk && !empty);
            gap = empty ? 0 : (prev_after > s->before ? prev_after : s->before);
        }
        if (!need_page && !empty && y + gap + s->h > bottom) {
            need_page = 1;
            /* Go back to the start of the keep chain that ends here. */
            size_t j = i;
            while (j > first_on_page && arr[j - 1]->keep_next)
                j--;
            if (j > first_on_page && j < i) {
                while (pv.n > plan_mark && pv.v[pv.n - 1].s != arr[j])
                    pv.n--;
                if (pv.n > plan_mark)
                    pv.n--; /* arr[j] itself */
                i = j;
                s = arr[i];
            }
        }
        if (need_page) {
            if (!(pg = page_new(l, pl, ps)))
                goto done;
            pages++;
            y = top;
            empty = 1;
            gap = 0;
            first_on_page = i;
            plan_mark = pv.n;
            if (s->thead && !s->is_head) {
                slab *h = lay_slab_clone(l, s->thead);
                if (!h || plan_add(l, &pv, h, pg, y) != 0)
                    goto done;
                y += h->h;
                empty = 0;
                prev_after = 0;
            }
        }
        if (pages > max_pages && !*overflow)
            *overflow = s;
        if (s->h > bottom - top) {
            lay_lerr(l, s->node, "%s is taller than the page's frame (%.1fpt > %.1fpt)",
                     lay_block_name(l, s->node), s->h / 1000.0, (bottom - top) / 1000.0);
            goto done;
        }
        if (plan_add(l, &pv, s, pg, y + gap) != 0)
            goto done;
        y += gap + s->h;
        prev_after = s->after;
        empty = 0;
    }
    /* Commit: move the primitives and record anchors and bookmarks. */
    for (size_t k = 0; k < pv.n; k++) {
        placed *q = &pv.v[k];
        for (const mark *m = q->s->marks; m; m = m->next) {
            if (m->id) {
                rg_anchor *a = lay_alloc(l, sizeof *a);
                if (!a)
                    goto done;
                *a = (rg_anchor){m->id, q->pg, q->y + m->y, NULL};
                rg_anchor **tail = &pl->anchors;
                while (*tail)
                    tail = &(*tail)->next;
                *tail = a;
            }
            if (m->bm_title) {
                rg_bookmark *b = lay_alloc(l, sizeof *b);
                if (!b)
                    goto done;
                *b = (rg_bookmark){m->bm_level, m->bm_title, q->pg, q->y + m->y, NULL};
                rg_bookmark **tail = &pl->bookmarks;
                while (*tail)
                    tail = &(*tail)->next;
                *tail = b;
            }
        }
        page_put(q->pg, q->s, ps->m[3], q->y);
    }
    rc = pages;
done:
    free(arr);
    free(pv.v);
    return rc;
}

/* Headers and footers go on last, when the page numbers are known. */
static void decorate(L *l, const cs *root, rg_pagelist *pl, const pstyle *ps, const rg_page *first,
                     const rg_page *stop, int counted_total)
{
    int on = 0;
    for (rg_page *pg = pl->first; pg && pg != stop && !l->failed; pg = pg->next) {
        if (pg == first)
            on = 1;
        if (!on)
            continue;
        l->page_no = pg->number;
        l->page_count = counted_total;
        const rg_node *parts[2] = {ps->header, ps->footer};
        for (int k = 0; k < 2; k++) {
            if (!parts[k])
                continue;
            cs cc;
            rg_style blk;
            lay_node_style(l, parts[k], root, &cc, &blk);
            cc.role = RG_ROLE_ARTIFACT;
            slist sl = {0};
            l->page_is_last = pg->next == NULL || pg->next == stop;
            l->page_is_first = pg == first;
            lay_blocks(l, parts[k], &cc, ps->w - ps->m[1] - ps->m[3], &sl);
            slab *s = lay_stack(l, &sl, parts[k]);
            if (!s || l->failed)
                return;
            rg_mpt gap = lay_attr_len(l, parts[k], "gap", RG_PT(12));
            /* A header or footer lives in its margin: past it, it would run
               off the paper or over the body. */
            rg_mpt room = (k == 0 ? ps->m[0] : ps->m[2]) - gap;
            if (s->h > room) {
                lay_lerr(l, parts[k], "<%s> is taller than its margin less its gap (%.1fpt > %.1fpt) on page %d",
                         parts[k]->name, s->h / 1000.0, room / 1000.0, pg->index + 1);
                return;
            }
            rg_mpt y = k == 0 ? ps->m[0] - gap - s->h : ps->h - ps->m[2] + gap;
            page_put(pg, s, ps->m[3], y);
        }
    }
}

const rg_anchor *rg_pagelist_anchor(const rg_pagelist *pl, const char *id)
{
    for (const rg_anchor *a = pl->anchors; a; a = a->next)
        if (strcmp(a->id, id) == 0)
            return a;
    return NULL;
}

int lay_ref_number(L *l, const char *id)
{
    l->refs = 1;
    if (!l->prev)
        return 0;
    const rg_anchor *a = rg_pagelist_anchor(l->prev, id);
    if (!a)
        return -1;
    return a->page->number ? a->page->number : a->page->index + 1;
}

#define MAX_SECTIONS 64

/* One layout of the whole document. */
static void layout_pass(L *l, const rg_node *doc, rg_pagelist *out)
{
    const rg_theme *theme = l->t;
    struct { pstyle ps; cs root; const rg_page *first; int counted; } secs[MAX_SECTIONS];
    int nsec = 0;
    for (const rg_node *sec = doc->first; sec && !l->failed; sec = sec->next) {
        if (sec->kind == RG_N_TEXT || lay_is_el(sec, "page-style"))
            continue;
        if (!lay_is_el(sec, "section")) {
            lay_lerr(l, sec, "<%s> cannot stand in <document>; use <section>", sec->name);
            break;
        }
        if (nsec == MAX_SECTIONS) {
            lay_lerr(l, sec, "too many sections (at most %d)", MAX_SECTIONS);
            break;
        }
        pstyle ps;
        if (page_style(l, doc, rg_node_attr(sec, "page-style"), &ps) != 0)
            break;
        const char *mp = rg_node_attr(sec, "max-pages");
        int max_pages = mp ? atoi(mp) : 1 << 30;
        if (mp && max_pages < 1) {
            lay_lerr(l, sec, "bad max-pages '%s'", mp);
            break;
        }
        const char *cnt = rg_node_attr(sec, "count");
        rg_page *pmark = out->last;
        int count = out->count;
        rg_anchor *amark = out->anchors;
        rg_bookmark *bmark = out->bookmarks;
        size_t na = 0, nb = 0;
        for (rg_anchor *a = amark; a; a = a->next)
            na++;
        for (rg_bookmark *b = bmark; b; b = b->next)
            nb++;
        for (int scale = 1000;; scale -= theme->shrink_step) {
            l->scale = scale;
            const rg_style *body = rg_theme_style(theme, "body");
            cs root = {.size = RG_PT(10), .leading = 1200, .color = {0, 0, 0, 1}, .align = RG_ALIGN_LEFT,
                       .role = RG_ROLE_P, .sn = l->sroot};
            if (body) {
                rg_style sb = *body;
                if (sb.size > 0)
                    sb.size = (rg_mpt)((int64_t)sb.size); /* scaled below */
                if (sb.family) root.family = sb.family;
                if (sb.bold >= 0) root.bold = sb.bold;
                if (sb.italic >= 0) root.italic = sb.italic;
                if (sb.size > 0) root.size = (rg_mpt)((int64_t)sb.size * scale / 1000);
                if (sb.leading > 0) root.leading = sb.leading;
                if (sb.color.set) root.color = sb.color;
                if (sb.align > 0) root.align = sb.align - 1;
                if (sb.hyphenate) root.hyphenate = sb.hyphenate == 2;
            }
            root.face = rg_theme_face(theme, root.family, root.bold, root.italic);
            cs scs;
            rg_style blk;
            lay_node_style(l, doc, &root, &scs, NULL);
            lay_node_style(l, sec, &scs, &scs, &blk);
            slist sl = {0};
            lay_blocks(l, sec, &scs, ps.w - ps.m[1] - ps.m[3], &sl);
            if (l->failed)
                break;
            const slab *over;
            int pages = paginate(l, &sl, &ps, out, &over, max_pages);
            if (pages < 0)
                break;
            if (pages <= max_pages) {
                secs[nsec].ps = ps;
                secs[nsec].root = root;
                secs[nsec].counted = !(cnt && strcmp(cnt, "no") == 0);
                secs[nsec++].first = pmark ? pmark->next : out->first;
                break;
            }
            /* Drop this attempt's pages, anchors and bookmarks; try smaller. */
            if (pmark)
                pmark->next = NULL;
            else
                out->first = NULL;
            out->last = pmark;
            out->count = count;
            if (na == 0) out->anchors = NULL;
            else { rg_anchor *a = out->anchors; for (size_t k = 1; k < na; k++) a = a->next; a->next = NULL; }
            if (nb == 0) out->bookmarks = NULL;
            else { rg_bookmark *b = out->bookmarks; for (size_t k = 1; k < nb; k++) b = b->next; b->next = NULL; }
            if (scale - theme->shrink_step < theme->shrink_floor) {
                lay_lerr(l, over->node, "section does not fit on %d page%s even at %d%% size: %s starts page %d",
                         max_pages, max_pages == 1 ? "" : "s", scale / 10, lay_block_name(l, over->node),
                         max_pages + 1);
                break;
            }
        }
    }
    if (l->failed)
        return;
    if (out->count == 0) {
        lay_lerr(l, doc, "the document has no content");
        return;
    }
    /* Page numbers: counted sections only, so a cover does not shift them. */
    int counted = 0, k = 0;
    for (rg_page *pg = out->first; pg; pg = pg->next) {
        while (k + 1 < nsec && pg == secs[k + 1].first)
            k++;
        pg->number = secs[k].counted ? ++counted : 0;
    }
    for (int i = 0; i < nsec && !l->failed; i++)
        decorate(l, &secs[i].root, out, &secs[i].ps, secs[i].first, i + 1 < nsec ? secs[i + 1].first : NULL,
                 counted);
}

/* Do two passes agree on every page number a reference printed? */
static int same_pages(const rg_pagelist *a, const rg_pagelist *b)
{
    for (const rg_anchor *x = b->anchors; x; x = x->next) {
        const rg_anchor *y = rg_pagelist_anchor(a, x->id);
        if (!y || y->page->index != x->page->index || y->page->number != x->page->number)
            return 0;
    }
    return 1;
}

rg_status rg_layout(const rg_node *doc, const rg_theme *theme, rg_arena *a,
                    const char *src_path, rg_pagelist *out, rg_diags *d)
{
    memset(out, 0, sizeof *out);
    out->theme = theme;
    L l;
    memset(&l, 0, sizeof l);
    l.t = theme;
    l.a = a;
    l.src = src_path;
    l.d = d;
    l.scale = 1000;
    l.doc = doc;
    /* One Document node for every pass: the elements come from the
     * primitives of the last one. */
    l.sroot = lay_alloc(&l, sizeof *l.sroot);
    if (!l.sroot)
        return RG_EOUTPUT;
    l.sroot->type = RG_S_DOCUMENT;
    l.sroot->id = ++l.nsnodes;
    if (!lay_is_el(doc, "document")) {
        lay_lerr(&l, doc, "the layout must be a <document>, not <%s>", doc->name ? doc->name : "text");
        return RG_EINPUT;
    }
    /* Page references (contents, "see page N") are resolved by laying the
     * document out again with the previous pass's pages, until they agree. */
    rg_pagelist prev;
    for (int pass = 0; pass < 4; pass++) {
        rg_pagelist cur;
        memset(&cur, 0, sizeof cur);
        cur.theme = theme;
        l.refs = 0;
        layout_pass(&l, doc, &cur);
        if (l.failed)
            break;
        *out = cur;
        if (!l.refs || (pass > 0 && same_pages(&prev, &cur)))
            break;
        prev = cur;
        l.prev = &prev;
    }
    out->info.title = rg_node_attr(doc, "title");
    out->info.author = rg_node_attr(doc, "author");
    out->info.subject = rg_node_attr(doc, "subject");
    out->info.keywords = rg_node_attr(doc, "keywords");
    out->info.lang = rg_node_attr(doc, "lang");
    out->info.creator = "reportgen " RG_VERSION;
    out->sroot = l.sroot;
    out->nsnodes = l.nsnodes;
    out->info.created = -1;
    return l.failed ? (l.oom ? RG_EOUTPUT : RG_EINPUT) : RG_OK;
}
