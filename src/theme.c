/* Themes: templates/themes/<name>.xml gives fonts, colours, styles, texts. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "xml.h"

/* NULL when the attribute is missing, or when memory ran out: then d has
 * the error, or libxml2's failure is counted (rg_xml_oom_count), and the
 * theme fails at the end of rg_theme_load. */
static const char *prop(xmlNodePtr n, const char *name, rg_arena *a, rg_diags *d)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = rg_arena_strdup(a, (const char *)v);
    xmlFree(v);
    if (!s)
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
    return s;
}

static int is(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The file a theme names: absolute as it is; relative from the folder of
 * the theme file tpath when it is there, else (data_rel) from the data
 * folders. */
static void theme_file(const char *tpath, const rg_search *s, const char *file, int data_rel, char *out,
                       size_t size)
{
    const char *slash = strrchr(tpath, '/');
    if (file[0] == '/') {
        snprintf(out, size, "%s", file);
        return;
    }
    if (slash)
        snprintf(out, size, "%.*s/%s", (int)(slash - tpath), tpath, file);
    else
        snprintf(out, size, "%s", file);
    if (data_rel && s && access(out, R_OK) != 0)
        rg_search_find(s, file, 0, out, size);
}

static int add_face(rg_theme *t, const rg_search *s, const char *tpath, const char *file, const char *family,
                    int bold, int italic, int hinting, int liga, int line, rg_diags *d)
{
    if (!file)
        return 0;
    if (t->nface >= (int)(sizeof t->face / sizeof t->face[0])) {
        rg_diag_add(d, RG_SEV_ERROR, tpath, line, 1, "too many font faces (at most 16)");
        return -1;
    }
    char path[4096], why[256];
    theme_file(tpath, s, file, 1, path, sizeof path);
    /* Only opened: a file that is not there is the theme's error whatever
     * the document, but reading waits for a document that uses the face. */
    struct stat st;
    int fd = rg_file_open(path, &st, why, sizeof why);
    if (fd < 0) {
        rg_diag_add(d, RG_SEV_ERROR, tpath, line, 1, "font '%s': %s%s", file, fd == -1 ? "cannot open: " : "",
                    why);
        return -1;
    }
    close(fd);
    rg_font_slot *slot = rg_fonts_hold(t->fonts, path);
    if (!slot) {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        return -1;
    }
    t->face[t->nface++] = (rg_face){family, bold, italic, NULL, hinting, slot, file, tpath, line, liga};
    return 0;
}

const rg_font *rg_theme_font(const rg_theme *t, int i, rg_diags *d)
{
    if (!t || i < 0 || i >= t->nface)
        return NULL;
    rg_face *f = (rg_face *)&t->face[i]; /* a cache filled on first use; one thread per theme */
    if (f->font || !f->slot)
        return f->font;
    char err[256];
    f->font = rg_font_slot_font(f->slot, err, sizeof err);
    if (!f->font && d)
        rg_diag_add(d, RG_SEV_ERROR, f->where, f->line, 1, "font '%s': %s", f->file, err);
    return f->font;
}

/* The families the theme's <font> elements declare (read or not). */
typedef struct family_list { const char *name[32]; int n; } family_list;

static int has_family(const family_list *fl, const char *family)
{
    for (int i = 0; i < fl->n; i++)
        if (strcmp(fl->name[i], family) == 0)
            return 1;
    return 0;
}

/* "'Lato', 'Lato Black'": what a message about an undefined family offers. */
static void families(const family_list *fl, char *out, size_t size)
{
    out[0] = 0;
    for (int i = 0; i < fl->n; i++)
        if (strlen(out) + strlen(fl->name[i]) + 5 < size)
            snprintf(out + strlen(out), size - strlen(out), "%s'%s'", *out ? ", " : "", fl->name[i]);
    if (!*out)
        snprintf(out, size, "none");
}

static int has_color(const rg_theme *t, const char *name)
{
    for (int i = 0; i < t->ncolor; i++)
        if (strcmp(t->color[i].name, name) == 0)
            return 1;
    return 0;
}

/* What one theme file adds while it is read. A theme that extends another
 * is read first; its base then fills in only what it left undefined
 * (colours, styles and texts by name, fonts by family, the shrink rule,
 * hyphenation and the logo), so a brand states what it changes and the
 * rest comes from its base. */
#define THEME_DEPTH 4 /* a brand on a base on a base...: past that, a cycle */

typedef struct reading {
    rg_theme *t;
    const rg_search *s;
    family_list fl;
    const char *style_path[64];
    int style_line[64];
    int has_shrink, has_hyphenation, has_logo;
} reading;


/* The chain of theme files: the theme, the one it extends, and so on. */
typedef struct chain {
    xmlDocPtr doc[THEME_DEPTH];
    const char *path[THEME_DEPTH]; /* in the theme's arena */
    int n;
} chain;

/* Reads the theme file path and, through extends, its bases into ch.
 * Errors go to d; the caller decides from their count. */
static void chain_read(reading *r, chain *ch, const char *path, rg_diags *d)
{
    xmlDocPtr doc = rg_xml_read_trusted(path, d);
    if (!doc)
        return;
    const char *tpath = rg_arena_strdup(r->t->arena, path);
    if (!tpath) {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        xmlFreeDoc(doc);
        return;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || !is(root, "theme")) {
        rg_diag_add(d, RG_SEV_ERROR, path, 1, 1, "not a theme: the root element must be <theme>");
        xmlFreeDoc(doc);
        return;
    }
    ch->doc[ch->n] = doc;
    ch->path[ch->n++] = tpath;
    /* extends="NAME" (templates/themes/NAME.xml in the data folders) or
       extends="FILE.xml" (from this theme's folder). */
    xmlChar *ext = xmlGetProp(root, (const xmlChar *)"extends");
    if (!ext)
        return;
    int line = (int)xmlGetLineNo(root);
    const char *e = (const char *)ext;
    char bpath[4096], rel[600];
    int found = -2;
    if (!*e) {
        rg_diag_add(d, RG_SEV_ERROR, path, line, 1, "extends needs a theme name or file");
        found = -1;
    } else if (strchr(e, '/') || (strlen(e) > 4 && strcmp(e + strlen(e) - 4, ".xml") == 0)) {
        theme_file(path, NULL, e, 0, bpath, sizeof bpath);
        found = access(bpath, R_OK) == 0 ? 0 : -2;
    } else if (strlen(e) < 200 && !strpbrk(e, "\\.") && r->s) {
        snprintf(rel, sizeof rel, "templates/themes/%s.xml", e);
        found = rg_search_find(r->s, rel, 0, bpath, sizeof bpath) == 0 ? 0 : -2;
    }
    if (found == -2)
        rg_diag_add(d, RG_SEV_ERROR, path, line, 1, "theme '%s' that this theme extends is not found", e);
    else if (found == 0 && ch->n >= THEME_DEPTH)
        rg_diag_add(d, RG_SEV_ERROR, path, line, 1,
                    "themes extend each other more than %d deep (does '%s' extend this one?)", THEME_DEPTH - 1, e);
    else if (found == 0)
        chain_read(r, ch, bpath, d);
    xmlFree(ext);
}

/* Colours first, over the whole chain: styles may name a base's colour. */
static void colors_read(reading *r, xmlNodePtr root, const char *path, rg_diags *d)
{
    rg_theme *t = r->t;
    rg_arena *a = t->arena;
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (!is(n, "color"))
            continue;
        int line = (int)xmlGetLineNo(n);
        const char *cn = prop(n, "name", a, d), *cv = prop(n, "value", a, d);
        rg_color c;
        if (!cn || !cv || rg_color_parse(NULL, cv, &c) != 0 ||
            t->ncolor >= (int)(sizeof t->color / sizeof t->color[0])) {
            rg_diag_add(d, RG_SEV_ERROR, path, line, 1, "colour needs a name and a value '#rrggbb'");
            continue;
        }
        if (has_color(t, cn))
            continue;
        t->color[t->ncolor].name = cn;
        t->color[t->ncolor++].c = c;
    }
}

/* Everything but colours from one theme file of the chain. */
static void rest_read(reading *r, xmlNodePtr root, const char *path, rg_diags *d)
{
    rg_theme *t = r->t;
    rg_arena *a = t->arena;
    const char *tpath = path;
    /* Families this file declares that an earlier (derived) file did not:
       only those of its <font> elements are read. */
    family_list own = {{0}, 0};
    for (xmlNodePtr n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || is(n, "color"))
            continue;
        int line = (int)xmlGetLineNo(n);
        if (is(n, "font")) {
            const char *fam = prop(n, "family", a, d);
            if (!fam) {
                rg_diag_add(d, RG_SEV_ERROR, path, line, 1, "font needs a family");
                continue;
            }
            if (has_family(&r->fl, fam) && !has_family(&own, fam))
                continue; /* the derived theme's own faces of that family */
            if (!has_family(&own, fam) && own.n < 32)
                own.name[own.n++] = fam;
            /* The PDF drops the fonts' hinting (TrueType instructions that
               only screens at small sizes use) unless hinting="keep". */
            const char *hint = prop(n, "hinting", a, d);
            int keep = hint && strcmp(hint, "keep") == 0;
            if (hint && !keep && strcmp(hint, "drop") != 0)
                rg_diag_add(d, RG_SEV_ERROR, path, line, 1, "font hinting '%s': use 'keep' or 'drop'", hint);
            /* Standard ligatures ("fi", "fl" as one glyph) only when asked:
               the text still extracts letter by letter (paint_pdf.c). */
            const char *lig = prop(n, "ligatures", a, d);
            int liga = lig && strcmp(lig, "on") == 0;
            if (lig && !liga && strcmp(lig, "off") != 0)
                rg_diag_add(d, RG_SEV_ERROR, path, line, 1, "font ligatures '%s': use 'on' or 'off'", lig);
            add_face(t, r->s, path, prop(n, "regular", a, d), fam, 0, 0, keep, liga, line, d);
            add_face(t, r->s, path, prop(n, "bold", a, d), fam, 1, 0, keep, liga, line, d);
            add_face(t, r->s, path, prop(n, "italic", a, d), fam, 0, 1, keep, liga, line, d);
            add_face(t, r->s, path, prop(n, "bold-italic", a, d), fam, 1, 1, keep, liga, line, d);
        } else if (is(n, "style")) {
            const char *sn = prop(n, "name", a, d);
            if (sn && rg_theme_style(t, sn))
                continue; /* defined by the derived theme */
            if (t->nstyle >= (int)(sizeof t->style / sizeof t->style[0])) {
                rg_diag_add(d, RG_SEV_ERROR, path, line, 1, "too many styles (at most %d)",
                            (int)(sizeof t->style / sizeof t->style[0]));
                continue;
            }
            rg_style *st = &t->style[t->nstyle];
            rg_style_init(st);
            for (xmlAttrPtr at = n->properties; at; at = at->next) {
                const char *an = (const char *)at->name;
                if (strcmp(an, "name") == 0)
                    continue;
                const char *av = prop(n, an, a, d);
                if (!av)
                    break; /* out of memory: the theme fails below */
                int rc = rg_style_set(st, t, an, av);
                if (rc != 0)
                    rg_diag_add(d, RG_SEV_ERROR, path, line, 1, "style %s: %s '%s'",
                                rc > 0 ? "unknown property" : "bad value for", an, av);
            }
            if (!sn) {
                rg_diag_add(d, RG_SEV_ERROR, path, line, 1, "style needs a name");
                continue;
            }
            st->name = sn;
            r->style_path[t->nstyle] = tpath;
            r->style_line[t->nstyle++] = line;
        } else if (is(n, "shrink")) {
            if (r->has_shrink)
                continue;
            r->has_shrink = 1;
            const char *sv = prop(n, "step", a, d), *f = prop(n, "floor", a, d);
            rg_dec v;
            if (sv && rg_dec_parse(sv, &v) == 0 && v > 0 && v < 500)
                t->shrink_step = (int)v;
            if (f && rg_dec_parse(f, &v) == 0 && v > 0 && v <= 1000)
                t->shrink_floor = (int)v;
        } else if (is(n, "hyphenation")) {
            if (r->has_hyphenation)
                continue;
            r->has_hyphenation = 1;
            /* Debian's dictionaries: hyphen-en-us gives hyph_en_US.dic. */
            const char *lang = prop(n, "lang", a, d);
            char dic[512];
            int ok = lang && *lang && strlen(lang) < 32;
            for (const char *c = lang; ok && *c; c++)
                ok = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || *c == '_';
            if (!ok) {
                rg_diag_add(d, RG_SEV_ERROR, path, line, 1, "hyphenation needs a lang such as 'en_US'");
                continue;
            }
            snprintf(dic, sizeof dic, "/usr/share/hyphen/hyph_%s.dic", lang);
            /* Read when a line first needs it: parsing the patterns costs
             * more than rendering a card. */
            if (!(t->hyphen_path = rg_arena_strdup(a, dic)))
                rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
            if (access(dic, R_OK) != 0)
                rg_diag_add(d, RG_SEV_ERROR, path, line, 1,
                            "hyphenation dictionary %s cannot be read (Debian package hyphen-%s)", dic,
                            strcmp(lang, "en_US") == 0 ? "en-us" : "...");
        } else if (is(n, "logo")) {
            if (r->has_logo)
                continue;
            r->has_logo = 1;
            const char *src = prop(n, "src", a, d);
            char lp[4096], err[512];
            rg_image_info info;
            if (!src || !*src) {
                rg_diag_add(d, RG_SEV_ERROR, path, line, 1, "logo needs src (a PNG or JPEG file)");
                continue;
            }
            theme_file(path, NULL, src, 0, lp, sizeof lp);
            if (rg_image_probe(lp, &info, err, sizeof err) != 0) {
                rg_diag_add(d, RG_SEV_ERROR, path, line, 1, "logo: %s", err);
                continue;
            }
            t->logo_alt = prop(n, "alt", a, d);
            if (!(t->logo = rg_arena_strdup(a, lp)))
                rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        } else if (is(n, "text")) {
            const char *tn = prop(n, "name", a, d);
            if (tn && rg_theme_text(t, tn))
                continue;
            xmlChar *tv = xmlNodeGetContent(n);
            if (tn && tv && t->ntext < (int)(sizeof t->text / sizeof t->text[0])) {
                t->text[t->ntext].name = tn;
                if (!(t->text[t->ntext++].value = rg_arena_strdup(a, (const char *)tv)))
                    rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
            }
            xmlFree(tv);
        } else {
            rg_diag_add(d, RG_SEV_ERROR, path, line, 1, "unknown theme element <%s>", (const char *)n->name);
        }
    }
    for (int i = 0; i < own.n; i++)
        if (!has_family(&r->fl, own.name[i]) && r->fl.n < 32)
            r->fl.name[r->fl.n++] = own.name[i];
}

rg_theme *rg_theme_load(const rg_search *s, rg_fonts *fonts, const char *path, const char *name, rg_diags *d)
{
    unsigned long oom = rg_xml_oom_count();
    rg_arena *a = rg_arena_new();
    rg_theme *t = a ? rg_arena_alloc(a, sizeof *t) : NULL;
    if (t && !fonts) {
        t->own_fonts = 1;
        fonts = rg_fonts_new();
    }
    if (!t || !fonts) {
        rg_arena_free(a);
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        return NULL;
    }
    t->fonts = fonts;
    t->arena = a;
    t->name = rg_arena_strdup(a, name);
    t->path = rg_arena_strdup(a, path);
    if (!t->name || !t->path) {
        rg_theme_free(t);
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        return NULL;
    }
    t->shrink_step = 50;
    t->shrink_floor = 800;
    size_t before = rg_diags_errors(d);
    reading *r = calloc(1, sizeof *r);
    if (!r) {
        rg_theme_free(t);
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        return NULL;
    }
    r->t = t;
    r->s = s;
    chain ch = {{0}, {0}, 0};
    chain_read(r, &ch, path, d);
    if (rg_diags_errors(d) == before) {
        for (int i = 0; i < ch.n; i++)
            colors_read(r, xmlDocGetRootElement(ch.doc[i]), ch.path[i], d);
        for (int i = 0; i < ch.n; i++)
            rest_read(r, xmlDocGetRootElement(ch.doc[i]), ch.path[i], d);
    }
    for (int i = 0; i < ch.n; i++)
        xmlFreeDoc(ch.doc[i]);
    if (rg_diags_errors(d) == before) {
        /* A style naming a family no theme in the chain declares would fall
           back to another face without a word. */
        for (int i = 0; i < t->nstyle; i++)
            if (t->style[i].family && !has_family(&r->fl, t->style[i].family)) {
                char known[256];
                families(&r->fl, known, sizeof known);
                rg_diag_add(d, RG_SEV_ERROR, r->style_path[i], r->style_line[i], 1,
                            "undefined font family '%s' in style '%s' (the theme's families: %s)",
                            t->style[i].family, t->style[i].name, known);
            }
        if (t->nface == 0)
            rg_diag_add(d, RG_SEV_ERROR, path, 1, 1, "theme has no font");
        else if (!rg_theme_style(t, "body"))
            rg_diag_add(d, RG_SEV_ERROR, path, 1, 1, "theme has no 'body' style");
    }
    free(r);
    if (rg_xml_oom_count() != oom) /* a property may be missing: the theme is kept */
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
    if (rg_diags_errors(d) > before) {
        rg_theme_free(t);
        return NULL;
    }
    return t;
}

void rg_theme_free(rg_theme *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->nface; i++)
        rg_fonts_release(t->fonts, t->face[i].slot);
    if (t->own_fonts)
        rg_fonts_free(t->fonts);
    rg_hyph_free(t->hyphen);
    rg_arena_free(t->arena);
}

const rg_hyph *rg_theme_hyphen(const rg_theme *t)
{
    rg_theme *mt = (rg_theme *)t; /* a cache filled on first use; one thread per theme */
    /* No giving up for good: the failure is an error of the document that
     * met it (text.c), and the next document tries again. */
    if (!mt->hyphen && mt->hyphen_path) {
        mt->hyphen_why[0] = 0;
        mt->hyphen = rg_hyph_load(mt->hyphen_path, mt->hyphen_why, sizeof mt->hyphen_why);
    }
    return mt->hyphen;
}
