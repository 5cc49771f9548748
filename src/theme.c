/* Themes: templates/themes/<name>.xml gives fonts, colours, styles, texts. */
#include <stdlib.h>
#include <string.h>
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

/* The file a theme names: absolute as it is; relative from the theme's own
 * folder when it is there, else (data_rel) from the data folders. */
static void theme_file(const rg_theme *t, const rg_search *s, const char *file, int data_rel, char *out,
                       size_t size)
{
    const char *slash = strrchr(t->path, '/');
    if (file[0] == '/') {
        snprintf(out, size, "%s", file);
        return;
    }
    if (slash)
        snprintf(out, size, "%.*s/%s", (int)(slash - t->path), t->path, file);
    else
        snprintf(out, size, "%s", file);
    if (data_rel && s && access(out, R_OK) != 0)
        rg_search_find(s, file, 0, out, size);
}

static int add_face(rg_theme *t, const rg_search *s, const char *file, const char *family,
                    int bold, int italic, int line, rg_diags *d)
{
    if (!file)
        return 0;
    if (t->nface >= (int)(sizeof t->face / sizeof t->face[0])) {
        rg_diag_add(d, RG_SEV_ERROR, t->path, line, 1, "too many font faces (at most 16)");
        return -1;
    }
    char path[4096], err[256];
    theme_file(t, s, file, 1, path, sizeof path);
    rg_font *f = rg_font_load(path, err, sizeof err);
    if (!f) {
        rg_diag_add(d, RG_SEV_ERROR, t->path, line, 1, "font '%s': %s", file, err);
        return -1;
    }
    t->face[t->nface++] = (rg_face){family, bold, italic, f};
    return 0;
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

rg_theme *rg_theme_load(const rg_search *s, const char *path, const char *name, rg_diags *d)
{
    unsigned long oom = rg_xml_oom_count();
    rg_arena *a = rg_arena_new();
    rg_theme *t = a ? rg_arena_alloc(a, sizeof *t) : NULL;
    if (!t) {
        rg_arena_free(a);
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        return NULL;
    }
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
    int style_line[64] = {0};
    family_list fl = {{0}, 0};
    xmlDocPtr doc = rg_xml_read_trusted(path, d);
    if (!doc) {
        rg_theme_free(t);
        return NULL;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root || !is(root, "theme")) {
        rg_diag_add(d, RG_SEV_ERROR, path, 1, 1, "not a theme: the root element must be <theme>");
        goto fail;
    }
    /* Colours first: styles may name them. */
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
        t->color[t->ncolor].name = cn;
        t->color[t->ncolor++].c = c;
    }
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
            if (!has_family(&fl, fam) && fl.n < 32)
                fl.name[fl.n++] = fam;
            add_face(t, s, prop(n, "regular", a, d), fam, 0, 0, line, d);
            add_face(t, s, prop(n, "bold", a, d), fam, 1, 0, line, d);
            add_face(t, s, prop(n, "italic", a, d), fam, 0, 1, line, d);
            add_face(t, s, prop(n, "bold-italic", a, d), fam, 1, 1, line, d);
        } else if (is(n, "style")) {
            if (t->nstyle >= (int)(sizeof t->style / sizeof t->style[0])) {
                rg_diag_add(d, RG_SEV_ERROR, path, line, 1, "too many styles (at most 64)");
                continue;
            }
            rg_style *st = &t->style[t->nstyle];
            rg_style_init(st);
            for (xmlAttrPtr at = n->properties; at; at = at->next) {
                const char *an = (const char *)at->name;
                const char *av = prop(n, an, a, d);
                if (!av)
                    break; /* out of memory: the theme fails below */
                if (strcmp(an, "name") == 0) {
                    st->name = av;
                    continue;
                }
                int r = rg_style_set(st, t, an, av);
                if (r != 0)
                    rg_diag_add(d, RG_SEV_ERROR, path, line, 1, "style %s: %s '%s'",
                                r > 0 ? "unknown property" : "bad value for", an, av);
            }
            if (!st->name)
                rg_diag_add(d, RG_SEV_ERROR, path, line, 1, "style needs a name");
            else
                style_line[t->nstyle++] = line;
        } else if (is(n, "shrink")) {
            const char *sv = prop(n, "step", a, d), *f = prop(n, "floor", a, d);
            rg_dec v;
            if (sv && rg_dec_parse(sv, &v) == 0 && v > 0 && v < 500)
                t->shrink_step = (int)v;
            if (f && rg_dec_parse(f, &v) == 0 && v > 0 && v <= 1000)
                t->shrink_floor = (int)v;
        } else if (is(n, "hyphenation")) {
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
            const char *src = prop(n, "src", a, d);
            char lp[4096], err[512];
            rg_image_info info;
            if (!src || !*src) {
                rg_diag_add(d, RG_SEV_ERROR, path, line, 1, "logo needs src (a PNG or JPEG file)");
                continue;
            }
            theme_file(t, NULL, src, 0, lp, sizeof lp);
            if (rg_image_probe(lp, &info, err, sizeof err) != 0) {
                rg_diag_add(d, RG_SEV_ERROR, path, line, 1, "logo: %s", err);
                continue;
            }
            t->logo_alt = prop(n, "alt", a, d);
            if (!(t->logo = rg_arena_strdup(a, lp)))
                rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        } else if (is(n, "text")) {
            const char *tn = prop(n, "name", a, d);
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
    /* A style naming a family the theme lacks would fall back to another
     * face without a word. */
    for (int i = 0; i < t->nstyle; i++)
        if (t->style[i].family && !has_family(&fl, t->style[i].family)) {
            char known[256];
            families(&fl, known, sizeof known);
            rg_diag_add(d, RG_SEV_ERROR, path, style_line[i], 1,
                        "undefined font family '%s' in style '%s' (the theme's families: %s)",
                        t->style[i].family, t->style[i].name, known);
        }
    if (t->nface == 0)
        rg_diag_add(d, RG_SEV_ERROR, path, 1, 1, "theme has no font");
    else if (!rg_theme_style(t, "body"))
        rg_diag_add(d, RG_SEV_ERROR, path, 1, 1, "theme has no 'body' style");
    if (rg_xml_oom_count() != oom) /* a property may be missing: the theme is kept */
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
    if (rg_diags_errors(d) > before)
        goto fail;
    xmlFreeDoc(doc);
    return t;
fail:
    xmlFreeDoc(doc);
    rg_theme_free(t);
    return NULL;
}

void rg_theme_free(rg_theme *t)
{
    if (!t)
        return;
    for (int i = 0; i < t->nface; i++)
        rg_font_free(t->face[i].font);
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
