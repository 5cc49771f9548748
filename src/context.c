/* The pipeline: load -> validate -> check -> transform -> layout -> paint,
 * with what can be compiled once kept in the context. */
#include <dirent.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <libxslt/xsltutils.h>
#include "transform.h"

#ifndef NAME_MAX
#define NAME_MAX 255
#endif

#define MAX_KINDS 16
#define MAX_THEMES 8

struct rg_context {
    rg_search search;              /* the user's folders, then the base data folder */
    rg_kind *kind[MAX_KINDS];
    int nkind;
    rg_theme *theme[MAX_THEMES];
    rg_pdfwriter *writer[MAX_THEMES]; /* per theme: its fonts parsed once for libharu */
    int ntheme;
    rg_fonts *fonts;      /* the themes' font files, each read once, when first used */
    rg_inputs inputs;     /* every file read so far: an output may not replace one */
    int pages;            /* of the last document laid out (rg_context_pages) */
    volatile char *temp_slot; /* rg_context_set_temp_slot */
    size_t temp_slot_size;
    int threads;          /* rg_context_set_threads */
    int one_thread;       /* this render's data is small: all on this thread (front_stages) */
    size_t beside_min;    /* bytes of data from which a render uses a second thread */
    int sync_later;       /* rg_context_sync_later */
    char *unsynced[8];    /* folders renamed into and not yet synced */
    int nunsynced;
};

/* dir without its trailing slashes ("/" stays), malloc'ed. */
static char *folder_dup(const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    return strndup(dir, n);
}

#ifndef RG_BESIDE_MIN
#define RG_BESIDE_MIN 8192 /* bytes of data from which a render uses its second thread (front_stages) */
#endif

void rg_context_set_threads(rg_context *c, int n)
{
    c->threads = n;
}

void rg_context_set_beside_min(rg_context *c, size_t bytes)
{
    c->beside_min = bytes;
}

void rg_sync_folder(const char *dir)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
}

void rg_context_sync_later(rg_context *c, int on)
{
    if (!on)
        rg_context_sync_folders(c);
    c->sync_later = on;
}

void rg_context_sync_folders(rg_context *c)
{
    for (int i = 0; i < c->nunsynced; i++) {
        rg_sync_folder(c->unsynced[i]);
        free(c->unsynced[i]);
    }
    c->nunsynced = 0;
}

/* After a rename into dir: its folder synced now, or remembered for
 * rg_context_sync_folders (a full list, or no memory: now). */
static void renamed_into(rg_context *c, const char *dir)
{
    if (c->sync_later) {
        for (int i = 0; i < c->nunsynced; i++)
            if (strcmp(c->unsynced[i], dir) == 0)
                return;
        char *p = c->nunsynced < 8 ? strdup(dir) : NULL;
        if (p) {
            c->unsynced[c->nunsynced++] = p;
            return;
        }
    }
    rg_sync_folder(dir);
}

void rg_context_set_temp_slot(rg_context *c, volatile char *slot, size_t size)
{
    c->temp_slot = size > 1 ? slot : NULL;
    c->temp_slot_size = size;
    if (c->temp_slot)
        c->temp_slot[0] = 0;
}

/* Names tmp in the slot (rg_context_set_temp_slot), its first byte last,
 * or clears it (tmp NULL). */
static void temp_announce(const rg_context *c, const char *tmp)
{
    if (!c->temp_slot)
        return;
    if (!tmp) {
        c->temp_slot[0] = 0;
        return;
    }
    size_t n = strlen(tmp);
    if (n >= c->temp_slot_size)
        return; /* too long to name: left unnamed rather than cut */
    c->temp_slot[0] = 0;
    for (size_t i = n + 1; i-- > 1;)
        c->temp_slot[i] = tmp[i];
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    c->temp_slot[0] = tmp[0];
}

size_t rg_context_input_count(const rg_context *c)
{
    return c->inputs.n;
}

const char *rg_context_input(const rg_context *c, size_t i)
{
    return i < c->inputs.n ? c->inputs.v[i].path : NULL;
}

size_t rg_context_missing_count(const rg_context *c)
{
    return c->inputs.nmissing;
}

const char *rg_context_missing(const rg_context *c, size_t i)
{
    return i < c->inputs.nmissing ? c->inputs.missing[i] : NULL;
}

int rg_context_pages(const rg_context *c)
{
    return c->pages;
}

/* The data folders, for modules that read template data themselves (card_sheet.c). */
const rg_search *rg_context_search(const rg_context *c);
const rg_search *rg_context_search(const rg_context *c)
{
    return &c->search;
}

rg_context *rg_context_new(const char *datadir)
{
    rg_context *c = NULL;
    if (rg_transform_init() != 0 || !(c = calloc(1, sizeof *c)) || !(c->fonts = rg_fonts_new()) ||
        !(c->search.dir[0] = folder_dup(datadir ? datadir : RG_DATADIR))) {
        if (c)
            rg_fonts_free(c->fonts);
        free(c);
        rg_reserve_release(); /* set aside by rg_transform_init */
        return NULL;
    }
    c->search.real[0] = realpath(c->search.dir[0], NULL); /* NULL: the folder is not there */
    c->search.n = 1;
    c->beside_min = RG_BESIDE_MIN;
    return c;
}

rg_status rg_context_add_folder(rg_context *c, const char *dir, rg_diags *d)
{
    struct stat st;
    int e = !*dir ? ENOENT : stat(dir, &st) != 0 ? errno : !S_ISDIR(st.st_mode) ? ENOTDIR : 0;
    if (e) {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "search folder '%s' cannot be used: %s", dir, strerror(e));
        return RG_EINPUT;
    }
    if (c->search.n == RG_MAX_FOLDERS) {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "too many search folders (at most %d)", RG_MAX_FOLDERS - 1);
        return RG_EINPUT;
    }
    /* Kept by its real path: the paths libxslt builds from a template's
     * place (../common/rules.xsl) then match it. */
    char *real = realpath(dir, NULL);
    if (!real) {
        e = errno;
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "search folder '%s' cannot be used: %s", dir, strerror(e));
        return e == ENOMEM ? RG_EOUTPUT : RG_EINPUT;
    }
    char *given = strdup(real);
    if (!given) {
        free(real);
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        return RG_EOUTPUT;
    }
    int at = c->search.n - 1; /* before the base, after the folders added before */
    memmove(c->search.dir + at + 1, c->search.dir + at, sizeof c->search.dir[0]);
    memmove(c->search.real + at + 1, c->search.real + at, sizeof c->search.real[0]);
    c->search.dir[at] = given;
    c->search.real[at] = real;
    c->search.n++;
    return RG_OK;
}

static void kind_free(rg_kind *k)
{
    if (!k)
        return;
    xmlSchemaFree(k->schema);
    xmlFreeDoc(k->schema_doc);
    if (k->check)
        xsltFreeStylesheet(k->check);
    if (k->layout)
        xsltFreeStylesheet(k->layout);
    if (k->set_check)
        xsltFreeStylesheet(k->set_check);
    free(k->set_check_path);
    free(k->name);
    free(k->dir);
    free(k->check_path);
    free(k->layout_path);
    free(k);
}

void rg_context_free(rg_context *c)
{
    if (!c)
        return;
    rg_context_sync_folders(c);
    for (int i = 0; i < c->nkind; i++)
        kind_free(c->kind[i]);
    for (int i = 0; i < c->ntheme; i++) {
        rg_pdfwriter_free(c->writer[i]);
        rg_theme_free(c->theme[i]);
    }
    rg_fonts_free(c->fonts);
    for (int i = 0; i < c->search.n; i++) {
        free(c->search.dir[i]);
        free(c->search.real[i]);
    }
    rg_inputs_free(&c->inputs);
    free(c);
    rg_reserve_release();
}

static char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static int file_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static char *kind_file(const rg_context *c, const char *kind, const char *file);

static int load_scale(const rg_context *c, rg_kind *k, rg_diags *d)
{
    char *path = kind_file(c, k->name, "grades.xml");
    if (!path) {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        return -1;
    }
    if (!file_exists(path)) {
        free(path);
        return 0; /* kinds without grades */
    }
    int rc = 0;
    xmlDocPtr doc = rg_xml_read_trusted(path, d);
    if (!doc) {
        free(path);
        return -1;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlChar *ref = root ? xmlGetProp(root, (const xmlChar *)"ref") : NULL;
    if (ref) {
        /* <grades ref="report-card"/>: one scale shared by two kinds, kept once. */
        char rp[4096], rel[512];
        int ok = !strchr((const char *)ref, '/') && !strstr((const char *)ref, "..") && strlen((const char *)ref) < 200;
        snprintf(rel, sizeof rel, "templates/%s/grades.xml", ok ? (const char *)ref : "");
        rg_search_find(&c->search, rel, 0, rp, sizeof rp);
        xmlFree(ref);
        xmlFreeDoc(doc);
        if (!ok) {
            rg_diag_add(d, RG_SEV_ERROR, path, 1, 1, "grades ref must name a kind");
            free(path);
            return -1;
        }
        doc = rg_xml_read_trusted(rp, d);
        if (!doc) {
            free(path);
            return -1;
        }
        root = xmlDocGetRootElement(doc);
    }
    for (xmlNodePtr n = root ? root->children : NULL; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *letter = xmlGetProp(n, (const xmlChar *)"letter");
        xmlChar *min = xmlGetProp(n, (const xmlChar *)"min");
        rg_dec v;
        if (!letter || !min || rg_dec_parse((const char *)min, &v) != 0 ||
            rg_grade_scale_add(&k->scale, (const char *)letter, v) != 0) {
            rg_diag_add(d, RG_SEV_ERROR, path, (int)xmlGetLineNo(n), 1,
                        "grade needs a letter and a min percent, in descending order");
            rc = -1;
        }
        xmlFree(letter);
        xmlFree(min);
    }
    xmlFreeDoc(doc);
    free(path);
    return rc;
}

typedef struct schema_errs { rg_diags *d; int count; const char *path; } schema_errs;

static void on_schema_parse_error(void *ud, xmlErrorPtr e)
{
    schema_errs *se = ud;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "?");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '.'))
        msg[--n] = 0;
    if (msg[0] >= 'A' && msg[0] <= 'Z' && msg[1] >= 'a' && msg[1] <= 'z')
        msg[0] = (char)(msg[0] + 32);
    rg_diag_add(se->d, RG_SEV_ERROR, e->file ? e->file : se->path, e->line > 0 ? e->line : 1, 1,
                "invalid schema: %s", msg);
    se->count++;
}

static int cmp_str(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    return strcmp(x ? x : "", y ? y : "");
}

/* The sorted names of sub/NAME(suffix) files in every data folder, comma
 * separated, each once: what a message offers when a kind or theme is unknown. */
static void list_names(const rg_search *sp, const char *sub, const char *suffix, char *out, size_t size)
{
    char *names[64];
    int nn = 0;
    size_t sl = strlen(suffix);
    for (int f = 0; f < sp->n; f++) {
        char dpath[4096];
        snprintf(dpath, sizeof dpath, "%s/%s", sp->dir[f], sub);
        DIR *dir = opendir(dpath);
        for (struct dirent *e; dir && (e = readdir(dir)) != NULL && nn < 64;) {
            char sp2[8192];
            size_t n = strlen(e->d_name);
            char *name = NULL;
            if (e->d_name[0] == '.')
                continue;
            if (suffix[0] == '/') {
                snprintf(sp2, sizeof sp2, "%s/%s%s", dpath, e->d_name, suffix);
                if (file_exists(sp2))
                    name = strndup(e->d_name, n);
            } else if (n > sl && strcmp(e->d_name + n - sl, suffix) == 0) {
                name = strndup(e->d_name, n - sl);
            }
            for (int i = 0; name && i < nn; i++)
                if (names[i] && strcmp(names[i], name) == 0) {
                    free(name);
                    name = NULL;
                }
            if (name)
                names[nn++] = name;
        }
        if (dir)
            closedir(dir);
    }
    qsort(names, (size_t)nn, sizeof names[0], cmp_str);
    out[0] = 0;
    for (int i = 0; i < nn; i++) {
        if (names[i] && strlen(out) + strlen(names[i]) + 3 < size) {
            if (*out)
                strcat(out, ", ");
            strcat(out, names[i]);
        }
        free(names[i]);
    }
    if (!*out)
        snprintf(out, size, "none");
}

/* templates/KIND/FILE from the first data folder holding it (else the
 * base's path, for the message of whoever opens it), malloc'ed. */
static char *kind_file(const rg_context *c, const char *kind, const char *file)
{
    char rel[512], path[4096];
    snprintf(rel, sizeof rel, "templates/%s/%s", kind, file);
    rg_search_find(&c->search, rel, 0, path, sizeof path);
    return strdup(path);
}

/* The kind's check and layout templates, compiled when a document first
 * needs them: the set check before a batch (set_member) reads its cards'
 * kind for the schema alone. 0, or -1 with diagnostics (tried again for
 * the next document). */
static int kind_templates(rg_context *c, rg_kind *k, rg_diags *d)
{
    if (k->layout)
        return 0;
    unsigned long oom = rg_xml_oom_count();
    if (!k->check && file_exists(k->check_path) && !(k->check = rg_xslt_compile(k->check_path, &c->search, d)))
        return -1;
    if (!(k->layout = rg_xslt_compile(k->layout_path, &c->search, d)))
        return -1;
    if (rg_xml_oom_count() != oom) { /* kept for every later document: it must be whole */
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        xsltFreeStylesheet(k->check);
        xsltFreeStylesheet(k->layout);
        k->check = k->layout = NULL;
        return -1;
    }
    return 0;
}

static int kind_read(const rg_context *c, rg_kind *k, rg_diags *d);

/* The kind called name, read on first use; with templates, its check and
 * layout templates too. With fresh, a kind not yet read is only made:
 * *fresh is it, for the caller to read (kind_read) and keep (kind_keep)
 * or free. */
static rg_kind *kind_get(rg_context *c, const char *name, const rg_source *src, int templates, rg_diags *d,
                         rg_kind **fresh)
{
    for (int i = 0; i < c->nkind; i++)
        if (strcmp(c->kind[i]->name, name) == 0)
            return !templates || kind_templates(c, c->kind[i], d) == 0 ? c->kind[i] : NULL;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '-')) {
            name = NULL;
            break;
        }
    char tdir[4096], rel[512], lpath[4200];
    snprintf(rel, sizeof rel, "templates/%s", name ? name : "");
    /* A folder with neither layout nor schema in any data folder (common/,
     * themes/) is not a kind; a kind that lost one of them is reported as
     * such below. */
    int found = name && strlen(name) <= 200 && rg_search_find(&c->search, rel, 1, tdir, sizeof tdir) == 0;
    if (found) {
        char lrel[600], srel[600];
        snprintf(lrel, sizeof lrel, "%s/layout.xsl", rel);
        snprintf(srel, sizeof srel, "%s/schema.xsd", rel);
        found = rg_search_find(&c->search, lrel, 0, lpath, sizeof lpath) == 0 ||
                rg_search_find(&c->search, srel, 0, lpath, sizeof lpath) == 0;
    }
    if (!found) {
        xmlNodePtr root = xmlDocGetRootElement(src->doc);
        int line = root ? (int)xmlGetLineNo(root) : 1;
        char known[512];
        list_names(&c->search, "templates", "/layout.xsl", known, sizeof known);
        rg_diag_add(d, RG_SEV_ERROR, src->path, line, rg_source_column(src, line, (const char *)root->name, NULL),
                    "unknown document kind '%s' (root element); known kinds: %s",
                    (const char *)root->name, known);
        return NULL;
    }
    if (c->nkind == MAX_KINDS) {
        rg_diag_add(d, RG_SEV_ERROR, src->path, 1, 1, "more than %d document kinds in one run", MAX_KINDS);
        return NULL;
    }
    unsigned long oom = rg_xml_oom_count();
    rg_kind *k = calloc(1, sizeof *k);
    if (!k) {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        return NULL;
    }
    k->name = strdup(name);
    k->dir = strdup(tdir);
    /* Each file from the first folder that has it: a user folder may hold
     * one kind's layout alone. */
    k->search = &c->search;
    k->layout_path = kind_file(c, name, "layout.xsl");
    k->check_path = kind_file(c, name, "check.xsl");
    k->set_check_path = kind_file(c, name, "set-check.xsl");
    if (!k->name || !k->dir || !k->layout_path || !k->check_path || !k->set_check_path) {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        goto fail;
    }
    if (fresh) {
        *fresh = k;
        return k;
    }
    if (kind_read(c, k, d) != 0)
        goto fail;
    if (templates && kind_templates(c, k, d) != 0)
        goto fail;
    if (rg_xml_oom_count() != oom) { /* kept for every later document: it must be whole */
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        goto fail;
    }
    c->kind[c->nkind++] = k;
    return k;
fail:
    kind_free(k);
    return NULL;
}

/* Reads a new kind's schema and grade scale: 0, or -1 with diagnostics.
 * Reads c's search path only: the checks' thread may run it. */
static int kind_read(const rg_context *c, rg_kind *k, rg_diags *d)
{
    unsigned long oom = rg_xml_oom_count();
    char *schema = kind_file(c, k->name, "schema.xsd");
    if (!schema) {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        return -1;
    }
    /* Read as every template is (xml_load.c), not by libxml2's own reader. */
    if (!(k->schema_doc = rg_xml_read_trusted(schema, d)))
        goto fail;
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewDocParserCtxt(k->schema_doc);
    if (!pc || rg_xml_oom_count() != oom) { /* libxml2 2.9 may hand back a half-made one */
        if (pc)
            xmlSchemaFreeParserCtxt(pc);
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        goto fail;
    }
    schema_errs se = {d, 0, schema};
    xmlSchemaSetParserStructuredErrors(pc, on_schema_parse_error, &se);
    k->schema = xmlSchemaParse(pc);
    xmlSchemaFreeParserCtxt(pc);
    /* Stop at the first step whose memory ran out: the reserve (reserve.c)
     * has been spent on it, and the next step would meet NULLs. */
    if (rg_xml_oom_count() != oom) {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        goto fail;
    }
    if (!k->schema) {
        if (!se.count)
            rg_diag_add(d, RG_SEV_ERROR, schema, 1, 1, "cannot read schema");
        goto fail;
    }
    if (load_scale(c, k, d) != 0)
        goto fail;
    if (rg_xml_oom_count() != oom) { /* kept for every later document: it must be whole */
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        goto fail;
    }
    free(schema);
    return 0;
fail:
    free(schema);
    return -1;
}

/* A theme by name (templates/themes/NAME.xml in the data folders) or by
 * path (a value holding '/' or ending in .xml), kept per file. */
static rg_theme *theme_get(rg_context *c, const char *name, rg_diags *d)
{
    char path[4096], base[256];
    size_t nl = strlen(name);
    int by_path = strchr(name, '/') || (nl > 4 && strcmp(name + nl - 4, ".xml") == 0);
    if (by_path) {
        const char *b = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
        size_t bl = strlen(b);
        snprintf(base, sizeof base, "%.*s", (int)(bl > 4 && strcmp(b + bl - 4, ".xml") == 0 ? bl - 4 : bl), b);
        if ((size_t)snprintf(path, sizeof path, "%s", name) >= sizeof path || !file_exists(path)) {
            struct stat st;
            int e = stat(name, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
            rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "theme file '%s' cannot be read: %s", name,
                        e == EINVAL ? "not a regular file" : strerror(e));
            return NULL;
        }
    } else {
        char rel[512];
        int plain = nl > 0 && nl < 200;
        for (const char *p = name; *p; p++)
            if (!(*p == '-' || *p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9')))
                plain = 0;
        snprintf(rel, sizeof rel, "templates/themes/%s.xml", plain ? name : "");
        if (!plain || rg_search_find(&c->search, rel, 0, path, sizeof path) != 0) {
            char known[512];
            list_names(&c->search, "templates/themes", ".xml", known, sizeof known);
            rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "unknown theme '%s' (themes: %s)", name, known);
            return NULL;
        }
        snprintf(base, sizeof base, "%s", name);
    }
    for (int i = 0; i < c->ntheme; i++)
        if (strcmp(c->theme[i]->path, path) == 0)
            return c->theme[i];
    if (c->ntheme == MAX_THEMES) {
        rg_pdfwriter_free(c->writer[0]);
        rg_theme_free(c->theme[0]);
        memmove(c->theme, c->theme + 1, (MAX_THEMES - 1) * sizeof c->theme[0]);
        memmove(c->writer, c->writer + 1, (MAX_THEMES - 1) * sizeof c->writer[0]);
        c->ntheme--;
    }
    rg_theme *t = rg_theme_load(&c->search, c->fonts, path, base, d);
    if (t) {
        c->writer[c->ntheme] = NULL;
        c->theme[c->ntheme++] = t;
    }
    return t;
}

static rg_status out_of_memory(rg_diags *d)
{
    rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
    return RG_EOUTPUT;
}

/* Runs rules (a kind's check.xsl or set-check.xsl) on src and turns its <finding>s into
 * diagnostics. A finding's file="..." (the overview's, about one of its
 * cards) names the file it is about; its column is then found in that file.
 * -1 when the rules could not run. */
static int run_rules(rg_kind *k, xsltStylesheetPtr rules, const char *rules_path, const rg_source *src, rg_diags *d)
{
    xmlDocPtr f = rg_xslt_apply(rules, rules_path, src->doc, k, NULL, d);
    if (!f)
        return -1;
    xmlNodePtr fr = xmlDocGetRootElement(f);
    for (xmlNodePtr n = fr ? fr->children : NULL; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *sev = xmlGetProp(n, (const xmlChar *)"severity");
        xmlChar *ln = xmlGetProp(n, (const xmlChar *)"line");
        xmlChar *el = xmlGetProp(n, (const xmlChar *)"element");
        xmlChar *at = xmlGetProp(n, (const xmlChar *)"attribute");
        xmlChar *file = xmlGetProp(n, (const xmlChar *)"file");
        xmlChar *msg = xmlNodeGetContent(n);
        int line = ln ? atoi((const char *)ln) : 0;
        if (line < 1)
            line = 1;
        const char *path = src->path;
        int col;
        if (file && *file && strcmp((const char *)file, src->path) != 0) {
            rg_source other = {0};
            path = (const char *)file;
            rg_diags *scratch = rg_diags_new(); /* a file that cannot be read again: column 1 */
            col = scratch && rg_source_load(&other, path, RG_MAX_INPUT, scratch) == RG_OK
                      ? rg_source_column(&other, line, (const char *)el, (const char *)at) : 1;
            rg_source_free(&other);
            rg_diags_free(scratch);
        } else {
            col = rg_source_column(src, line, (const char *)el, (const char *)at);
        }
        rg_diag_add(d, sev && strcmp((const char *)sev, "warning") == 0 ? RG_SEV_WARNING : RG_SEV_ERROR,
                    path, line, col, "%s", msg ? (const char *)msg : "check failed");
        xmlFree(sev);
        xmlFree(ln);
        xmlFree(el);
        xmlFree(at);
        xmlFree(file);
        xmlFree(msg);
    }
    xmlFreeDoc(f);
    return 0;
}

static int run_check(rg_kind *k, const rg_source *src, rg_diags *d)
{
    return run_rules(k, k->check, k->check_path, src, d);
}

/* libxml2 says a misspelt attribute in two errors on one line: "element
 * 'issue', attribute 'scor': the attribute 'scor' is not allowed", then
 * "element 'issue': the attribute 'score' is required but missing". When
 * the names are that close they are one slip: said once, with the name
 * meant. Entries from `from` on. */
static void misspelt_attributes(rg_diags *d, size_t from)
{
    for (size_t i = from; i < rg_diags_count(d); i++) {
        const rg_diag *g = rg_diags_get(d, i);
        char elem[128], attr[128], msg[600];
        const char *na = strstr(g->message, "' is not allowed");
        if (!na || sscanf(g->message, "element '%127[^']', attribute '%127[^']'", elem, attr) != 2)
            continue;
        for (size_t j = i + 1; j < rg_diags_count(d); j++) {
            const rg_diag *h = rg_diags_get(d, j);
            char elem2[128], want[128];
            if (h->line != g->line || !strstr(h->message, "' is required but missing") ||
                sscanf(h->message, "element '%127[^']': the attribute '%127[^']'", elem2, want) != 2 ||
                strcmp(elem, elem2) != 0)
                continue;
            int dist = rg_edit_distance(attr, want);
            if (dist < 0 || dist > 2)
                continue;
            snprintf(msg, sizeof msg, "element '%s': attribute '%s' is not allowed; did you mean '%s'?", elem, attr,
                     want);
            rg_diag_reword(d, i, msg);
            rg_diags_drop(d, j);
            break;
        }
    }
}

/* Does the schema declare an element named name (anywhere)? */
static int schema_declares(xmlNodePtr n, const char *name)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)n->name, "element") == 0) {
            xmlChar *v = xmlGetProp(n, (const xmlChar *)"name");
            int hit = v && strcmp((const char *)v, name) == 0;
            xmlFree(v);
            if (hit)
                return 1;
        }
        if (schema_declares(n->children, name))
            return 1;
    }
    return 0;
}

/* "element 'organization' is not allowed here; expected: title" where the
 * schema knows 'organization' (it belongs later on): the slip is the
 * missing 'title', and that is said. Entries from `from` on. */
static void missing_elements(const rg_kind *k, rg_diags *d, size_t from)
{
    for (size_t i = from; i < rg_diags_count(d); i++) {
        const rg_diag *g = rg_diags_get(d, i);
        char got[128], want[128], msg[400];
        const char *e = strstr(g->message, "' is not allowed here; expected: ");
        if (!e || sscanf(g->message, "element '%127[^']'", got) != 1 ||
            sscanf(e, "' is not allowed here; expected: %127[^ ,]", want) != 1 || strchr(e + 33, ',') ||
            !schema_declares(xmlDocGetRootElement(k->schema_doc), got))
            continue;
        snprintf(msg, sizeof msg, "element '%s' is missing before '%s'", want, got);
        rg_diag_reword(d, i, msg);
    }
}

/* A document's checks (check.xsl), run on a thread of their own beside
 * the main one: on a second core the card's checks cost no time.
 * Phase 1 compiles check.xsl, when the kind has not yet, while the main
 * thread compiles layout.xsl and validates (libxslt's compile errors go
 * to each thread's own listener: transform.c). Phase 2, once the main
 * thread says go, parses the same bytes again into a document of its own
 * (the layout transform may strip spaces from src->doc) and runs the
 * checks on it while the main thread lays the document out, paints and
 * compresses it. The thread tracks the files it reads in a list of its own
 * and says what it found in lists of its own; the main thread merges them
 * in the order one thread would have said them. */
typedef struct check_job {
    rg_kind *k;
    const rg_context *c;
    rg_kind *fresh;                /* k, new: its schema and scale to read (kind_read); set for the job */
    int kept;                      /* kind_wait is done with fresh */
    rg_diags *said_reading;        /* what reading them said */
    int read_claimed;              /* a thread reads them: the first to get there, here or there */
    rg_inputs read_here;           /* the files read for them when the main thread did */
    int read_done, read_ok;
    const rg_source *src;
    xsltStylesheetPtr style;       /* the checks: k's, or compiled in phase 1 */
    int compile;                   /* phase 1 compiles */
    rg_diags *said_compiling, *d;  /* phase 1's words; phase 2's findings */
    rg_inputs inputs;              /* the files it read, confined as ours */
    int failed;                    /* phase 2: the rules could not run */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int compiled;                  /* phase 1 is over */
    int go;                        /* 0 wait, 1 run the checks, -1 stop */
    int started;
    pthread_t th;
    size_t said, read, missing;    /* diagnostics and files of the run when the job began */
    int layout_made;               /* the main thread compiled k->layout beside it */
} check_job;

static void *check_thread(void *arg)
{
    check_job *j = arg;
    rg_inputs_track(&j->inputs);
    /* libxml2 2.9 makes a thread's globals on its first call and, when
     * that allocation fails, reads through NULL: made here first, and
     * without them nothing of libxml2 runs on this thread. */
    int xml_ok = xmlGetGlobalState() != NULL;
    int read_ok = 1;
    if (j->fresh) { /* phase 0: the new kind read, here or by the main thread */
        pthread_mutex_lock(&j->mu);
        int mine = !j->read_claimed;
        j->read_claimed = 1;
        while (!mine && !j->read_done)
            pthread_cond_wait(&j->cv, &j->mu);
        read_ok = j->read_ok;
        pthread_mutex_unlock(&j->mu);
        if (mine) {
            read_ok = xml_ok && kind_read(j->c, j->fresh, j->said_reading) == 0;
            if (!xml_ok)
                rg_diag_add(j->said_reading, RG_SEV_ERROR, "", 0, 0, "out of memory");
            pthread_mutex_lock(&j->mu);
            j->read_done = 1;
            j->read_ok = read_ok;
            pthread_cond_broadcast(&j->cv);
            pthread_mutex_unlock(&j->mu);
        }
    }
    if (!xml_ok && read_ok) { /* as the checks would have failed for want of memory */
        rg_diag_add(j->compile ? j->said_compiling : j->d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        j->failed = 1;
    } else if (j->compile && read_ok)
        j->style = rg_xslt_compile(j->k->check_path, j->k->search, j->said_compiling);
    pthread_mutex_lock(&j->mu);
    j->compiled = 1;
    pthread_cond_broadcast(&j->cv);
    while (j->go == 0)
        pthread_cond_wait(&j->cv, &j->mu);
    int go = j->go > 0 && j->style && xml_ok;
    pthread_mutex_unlock(&j->mu);
    if (go) {
        rg_source own = *j->src;
        own.doc = rg_source_reparse(j->src, j->d);
        j->failed = !own.doc || run_rules(j->k, j->style, j->k->check_path, &own, j->d) != 0;
        xmlFreeDoc(own.doc);
    }
    rg_inputs_track(NULL);
    return NULL;
}

/* Tells the job to run the checks (go 1) or to end (go -1). */
static void job_tell(check_job *j, int go)
{
    pthread_mutex_lock(&j->mu);
    j->go = go;
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
}

/* The files the job read (its thread, and the main thread for its kind)
 * taken into the run's. */
static void job_inputs(rg_context *c, check_job *j)
{
    rg_inputs_merge(&c->inputs, &j->read_here);
    rg_inputs_merge(&c->inputs, &j->inputs);
}

/* After the job's thread has ended: when the checks compiled, the kind
 * keeps them and what compiling them said goes where one thread would
 * have said it (before everything said since the job began); when they
 * did not, that is all the run says and reads, as kind_templates stops
 * there: what the main thread said and read since is dropped. 0, or -1
 * when the checks did not compile. The files the thread read are the
 * caller's to take (rg_inputs_merge) on 0. */
static int job_settle(rg_context *c, check_job *j, rg_diags *d)
{
    if (!j->style) {
        if (j->layout_made) { /* kind_templates compiles the layout only once the checks are */
            xsltFreeStylesheet(j->k->layout);
            j->k->layout = NULL;
        }
        while (rg_diags_count(d) > j->said)
            rg_diags_drop(d, rg_diags_count(d) - 1);
        rg_inputs_truncate(&c->inputs, j->read, j->missing);
        job_inputs(c, j);
        rg_diags_append(d, j->said_reading);
        rg_diags_append(d, j->said_compiling);
        return -1;
    }
    j->k->check = j->style;
    /* words of the kind read and of a stylesheet that compiled: first, still */
    if (rg_diags_count(j->said_reading) + rg_diags_count(j->said_compiling) > 0) {
        rg_diags *since = rg_diags_new();
        for (size_t i = j->said; since && i < rg_diags_count(d); i++) {
            const rg_diag *g = rg_diags_get(d, i);
            rg_diag_add(since, g->severity, g->file, g->line, g->col, "%s", g->message);
        }
        while (rg_diags_count(d) > j->said)
            rg_diags_drop(d, rg_diags_count(d) - 1);
        rg_diags_append(d, j->said_reading);
        rg_diags_append(d, j->said_compiling);
        if (since)
            rg_diags_append(d, since);
        else
            rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        rg_diags_free(since);
    }
    return 0;
}

static void job_free(check_job *j)
{
    rg_inputs_free(&j->read_here);
    rg_inputs_free(&j->inputs);
    rg_diags_free(j->said_reading);
    rg_diags_free(j->said_compiling);
    rg_diags_free(j->d);
    pthread_mutex_destroy(&j->mu);
    pthread_cond_destroy(&j->cv);
    j->started = 0;
}

/* Ends a job whose checks will not run: the document stopped before them. */
static void job_end(rg_context *c, check_job *j, rg_diags *d)
{
    if (!j->started)
        return;
    job_tell(j, -1);
    pthread_join(j->th, NULL);
    if (job_settle(c, j, d) == 0)
        job_inputs(c, j);
    job_free(j);
}

/* A new kind (kind_get's fresh) read on this thread, and kept when it
 * is whole. 0, or -1 with diagnostics (the kind freed). */
static int read_here(rg_context *c, rg_kind *fresh, rg_diags *d)
{
    if (!fresh)
        return 0;
    if (kind_read(c, fresh, d) != 0) {
        kind_free(fresh);
        return -1;
    }
    c->kind[c->nkind++] = fresh;
    return 0;
}

/* The job's new kind read: by the checks' thread if it got there first,
 * else here (a thread's start can take longer than the reading), while
 * that thread waits to compile the checks. Kept when whole; when not, the
 * job ends where one thread stops (kind_get failing): the reading's words
 * and files alone, what this thread said, read and compiled since
 * dropped, the kind freed. 0, or -1 so. */
static int kind_wait(rg_context *c, check_job *j, rg_diags *d)
{
    if (!j->fresh || j->kept)
        return 0;
    j->kept = 1;
    pthread_mutex_lock(&j->mu);
    /* (no memory for the list of its files: the other thread reads it) */
    int here = !j->read_claimed && rg_inputs_fork(&j->read_here, &c->inputs) == 0;
    if (here)
        j->read_claimed = 1;
    while (!here && !j->read_done)
        pthread_cond_wait(&j->cv, &j->mu);
    int ok = j->read_ok;
    pthread_mutex_unlock(&j->mu);
    if (here) {
        rg_inputs_track(&j->read_here);
        ok = kind_read(c, j->fresh, j->said_reading) == 0;
        rg_inputs_track(&c->inputs);
        pthread_mutex_lock(&j->mu);
        j->read_done = 1;
        j->read_ok = ok;
        pthread_cond_broadcast(&j->cv);
        pthread_mutex_unlock(&j->mu);
    }
    rg_kind *k = j->fresh;
    if (ok) {
        c->kind[c->nkind++] = k;
        return 0;
    }
    job_tell(j, -1);
    pthread_join(j->th, NULL);
    while (rg_diags_count(d) > j->said)
        rg_diags_drop(d, rg_diags_count(d) - 1);
    rg_inputs_truncate(&c->inputs, j->read, j->missing);
    job_inputs(c, j);
    rg_diags_append(d, j->said_reading);
    kind_free(k); /* and the layout compiled for it */
    job_free(j);
    return -1;
}

/* Step 2's templates with the checks on a thread (started here): the
 * checks compile there while this thread compiles the layout and goes on
 * (validation, the layout) without waiting for them; job_settle puts
 * their words in the order kind_templates gives. A new kind (fresh, from
 * kind_get) has its schema and scale read there first, while the layout
 * compiles here; validation waits for them (kind_wait). RG_OK with the
 * job started, or with the templates compiled here when no thread can be
 * had (job->started 0); RG_EINPUT after diagnostics. */
static rg_status templates_beside(rg_context *c, rg_kind *k, rg_kind *fresh, const rg_source *src, check_job *j,
                                  rg_diags *d)
{
    memset(j, 0, sizeof *j);
    int has_check = k->check || (!k->layout && file_exists(k->check_path));
    if (!has_check)
        return read_here(c, fresh, d) == 0 && kind_templates(c, k, d) == 0 ? RG_OK : RG_EINPUT;
    j->k = k;
    j->c = c;
    j->fresh = fresh;
    j->src = src;
    j->style = k->check;
    j->compile = !k->check;
    j->said = rg_diags_count(d);
    j->read = c->inputs.n;
    j->missing = c->inputs.nmissing;
    j->said_reading = rg_diags_new();
    j->said_compiling = rg_diags_new();
    j->d = rg_diags_new();
    int mu = 0, cv = 0;
    if (!j->said_reading || !j->said_compiling || !j->d || rg_inputs_fork(&j->inputs, &c->inputs) != 0 ||
        !(mu = pthread_mutex_init(&j->mu, NULL) == 0) || !(cv = pthread_cond_init(&j->cv, NULL) == 0) ||
        pthread_create(&j->th, NULL, check_thread, j) != 0) { /* no thread: one, as kind_templates does */
        if (mu)
            pthread_mutex_destroy(&j->mu);
        if (cv)
            pthread_cond_destroy(&j->cv);
        rg_diags_free(j->said_reading);
        rg_diags_free(j->said_compiling);
        rg_diags_free(j->d);
        rg_inputs_free(&j->inputs);
        memset(j, 0, sizeof *j);
        return read_here(c, fresh, d) == 0 && kind_templates(c, k, d) == 0 ? RG_OK : RG_EINPUT;
    }
    j->started = 1;
    if (k->layout)
        return kind_wait(c, j, d) == 0 ? RG_OK : RG_EINPUT;
    unsigned long oom = rg_xml_oom_count();
    xsltStylesheetPtr layout = rg_xslt_compile(k->layout_path, &c->search, d);
    if (layout && rg_xml_oom_count() != oom) {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        xsltFreeStylesheet(layout);
        layout = NULL;
    }
    if (!layout) { /* said after the checks' words, or not at all when they fail too */
        if (kind_wait(c, j, d) == 0)
            job_end(c, j, d);
        return RG_EINPUT;
    }
    k->layout = layout;
    j->layout_made = 1;
    return kind_wait(c, j, d) == 0 ? RG_OK : RG_EINPUT;
}

/* Steps 1-4: load, kind, validate, check. On success src holds the document.
 * job: the checks go on a thread (templates_beside); when it started, the
 * stages end before them (and before judging warnings under strict), told
 * to go, for the caller to finish (checks_beside). */
static rg_status front_stages(rg_context *c, const char *path, int strict, rg_source *src,
                              rg_kind **kout, rg_diags *d, check_job *job)
{
    rg_status st = rg_source_load(src, path, RG_MAX_INPUT, d);
    if (st != RG_OK)
        return st;
    xmlNodePtr root = xmlDocGetRootElement(src->doc);
    if (!root) {
        rg_diag_add(d, RG_SEV_ERROR, path, 1, 1, "no root element");
        return RG_EINPUT;
    }
    if (strcmp((const char *)root->name, "document") == 0) {
        /* A layout document renders as it is: no schema, checks or template. */
        *kout = NULL;
        return RG_OK;
    }
    /* Small data renders on this thread alone, checks and compression:
     * beside a one-page card (4.7 kB) a second thread costs more than it
     * takes off this one (0.6 ms more, measured cold, after another
     * program); from a 10 kB analysis of three pages on it pays (the
     * annual report's 48 kB: 1.9 ms less). */
    if (job && src->len < c->beside_min) {
        job = NULL;
        c->one_thread = 1;
    }
    rg_kind *fresh = NULL;
    rg_kind *k = kind_get(c, (const char *)root->name, src, job == NULL, d, job ? &fresh : NULL);
    if (!k)
        return RG_EINPUT;
    if (job && templates_beside(c, k, fresh, src, job, d) != RG_OK)
        return RG_EINPUT;
    unsigned long oom = rg_xml_oom_count();
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(k->schema);
    if (!vc || rg_xml_oom_count() != oom) { /* libxml2 2.9 may hand back a half-made one */
        if (vc)
            xmlSchemaFreeValidCtxt(vc);
        return out_of_memory(d);
    }
    rg_xml_capture cap;
    size_t before = rg_diags_count(d);
    rg_xml_errors_begin(&cap, d, path, src);
    xmlSchemaSetValidStructuredErrors(vc, NULL, NULL);
    int r = xmlSchemaValidateDoc(vc, src->doc);
    rg_xml_errors_end(&cap);
    misspelt_attributes(d, before);
    missing_elements(k, d, before);
    xmlSchemaFreeValidCtxt(vc);
    if (rg_xml_oom_count() != oom) /* what it said may be misleading, and the reserve is spent */
        return out_of_memory(d);
    if (r != 0) {
        if (cap.count == 0)
            rg_diag_add(d, RG_SEV_ERROR, path, 1, 1, "does not match the schema of '%s'", k->name);
        return RG_EINPUT;
    }
    rg_source_placeholders(src, d);
    *kout = k;
    if (job && job->started) {
        job_tell(job, 1);
        return RG_OK;
    }
    if (k->check && run_check(k, src, d) != 0)
        return RG_EINPUT;
    return rg_diags_blocking(d, strict) ? RG_EINPUT : RG_OK;
}

/* Steps 1-4. When libxml2 or libxslt ran out of memory on the way, what
 * they gave back may be incomplete and what they said misleading ("invalid
 * schema", "template failed"): the stage fails, saying so. */
static rg_status front(rg_context *c, const char *path, int strict, rg_source *src,
                       rg_kind **kout, rg_diags *d, check_job *job)
{
    unsigned long oom = rg_xml_oom_count();
    if (rg_reserve_refill() != 0) { /* reserve.c: the libraries' margin */
        memset(src, 0, sizeof *src);
        *kout = NULL;
        return out_of_memory(d);
    }
    rg_status st = front_stages(c, path, strict, src, kout, d, job);
    return rg_xml_oom_count() != oom && st != RG_EOUTPUT ? out_of_memory(d) : st;
}

/* Input errors that came of memory running out are not the input's fault. */
static rg_status status_of(rg_status st, const rg_diags *d)
{
    return st == RG_EINPUT && rg_diags_memory(d) ? RG_EOUTPUT : st;
}

rg_status rg_check_file(rg_context *c, const char *path, int strict, rg_diags *d)
{
    rg_source src;
    rg_kind *k;
    rg_inputs_track(&c->inputs);
    rg_status st = front(c, path, strict, &src, &k, d, NULL);
    rg_inputs_track(NULL);
    rg_source_free(&src);
    return status_of(st, d);
}

/* Loads path and, when it is valid data of a kind with a set-check.xsl,
 * gives its kind. Anything wrong is left to the document's own check
 * (quiet goes unread). */
static rg_kind *set_member(rg_context *c, const char *path, rg_source *src, rg_diags *quiet)
{
    if (rg_source_load(src, path, RG_MAX_INPUT, quiet) != RG_OK)
        return NULL;
    xmlNodePtr root = xmlDocGetRootElement(src->doc);
    if (!root || strcmp((const char *)root->name, "document") == 0)
        return NULL;
    rg_kind *k = kind_get(c, (const char *)root->name, src, 0, quiet, NULL); /* the schema is all it needs */
    if (!k || !file_exists(k->set_check_path))
        return NULL;
    /* compiled when first needed: a render never needs it */
    if (!k->set_check && !(k->set_check = rg_xslt_compile(k->set_check_path, &c->search, quiet)))
        return NULL;
    xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(k->schema);
    if (!vc)
        return NULL;
    rg_xml_capture cap;
    rg_xml_errors_begin(&cap, quiet, path, src);
    int r = xmlSchemaValidateDoc(vc, src->doc);
    rg_xml_errors_end(&cap);
    xmlSchemaFreeValidCtxt(vc);
    return r == 0 ? k : NULL;
}

rg_status rg_check_set(rg_context *c, const char *const *paths, size_t n, int strict, rg_diags *d)
{
    unsigned long oom = rg_xml_oom_count();
    if (rg_reserve_refill() != 0)
        return out_of_memory(d);
    rg_kind *kind[MAX_KINDS];
    xmlDocPtr set[MAX_KINDS];
    int count[MAX_KINDS], nset = 0, failed = 0;
    rg_diags *quiet = rg_diags_new();
    if (!quiet)
        return out_of_memory(d);
    rg_inputs_track(&c->inputs);
    for (size_t i = 0; i < n && !failed; i++) {
        rg_source src;
        memset(&src, 0, sizeof src);
        rg_kind *k = set_member(c, paths[i], &src, quiet);
        int j = 0;
        while (k && j < nset && kind[j] != k)
            j++;
        if (k && j == nset) {
            xmlDocPtr doc = xmlNewDoc((const xmlChar *)"1.0");
            xmlNodePtr root = doc ? xmlNewDocNode(doc, NULL, (const xmlChar *)"set", NULL) : NULL;
            if (!root) {
                xmlFreeDoc(doc);
                failed = 1;
            } else {
                xmlDocSetRootElement(doc, root);
                kind[nset] = k;
                count[nset] = 0;
                set[nset++] = doc;
            }
        }
        if (k && !failed) {
            /* The root and its children's attributes, not their text: the
               set of a thousand cards stays small. */
            xmlNodePtr r = xmlDocGetRootElement(src.doc);
            xmlNodePtr copy = xmlDocCopyNode(r, set[j], 2);
            for (xmlNodePtr ch = r->children; copy && ch; ch = ch->next) {
                if (ch->type != XML_ELEMENT_NODE)
                    continue;
                xmlNodePtr cc = xmlDocCopyNode(ch, set[j], 2);
                if (!cc || !xmlAddChild(copy, cc)) {
                    xmlFreeNode(cc);
                    xmlFreeNode(copy);
                    copy = NULL;
                }
            }
            if (!copy || !xmlAddChild(xmlDocGetRootElement(set[j]), copy)) {
                xmlFreeNode(copy);
                failed = 1;
            } else if (!xmlNewProp(copy, (const xmlChar *)"source", (const xmlChar *)paths[i])) {
                failed = 1;
            } else {
                count[j]++;
            }
        }
        rg_source_free(&src);
    }
    rg_inputs_track(NULL);
    rg_diags_free(quiet);
    size_t before = rg_diags_count(d);
    for (int j = 0; j < nset; j++) {
        /* one document has nothing to be compared with */
        if (!failed && count[j] > 1) {
            rg_source whole = {kind[j]->set_check_path, NULL, 0, set[j]};
            if (run_rules(kind[j], kind[j]->set_check, kind[j]->set_check_path, &whole, d) != 0)
                failed = 2;
        }
        xmlFreeDoc(set[j]);
    }
    if (failed == 1 || rg_xml_oom_count() != oom)
        return out_of_memory(d);
    if (failed)
        return status_of(RG_EINPUT, d);
    for (size_t i = before; i < rg_diags_count(d); i++) {
        const rg_diag *g = rg_diags_get(d, i);
        if (g->severity == RG_SEV_ERROR || (strict && g->severity == RG_SEV_WARNING))
            return RG_EINPUT;
    }
    return RG_OK;
}

/* Creation date: "2021-11-01" as midnight UTC. */
static long long parse_date(const char *s)
{
    int y, m, dd;
    if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &dd) != 3 || m < 1 || m > 12 || dd < 1 || dd > 31)
        return -1;
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = dd;
    return (long long)timegm(&tm);
}

/* Writes all n bytes, through short writes and interruptions; 0 or -1 (errno). */
static int write_all(int fd, const unsigned char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Creates tmp, whose name ends in XXXXXX, replaced by random letters, as
 * mkstemp does but with mode 0666 less the umask, which the kernel applies
 * (mkstemp's 0600 would need the umask read, and umask() changes it for
 * the whole process while it looks). An open descriptor, or -1 (errno). */
static int make_temp(const rg_context *c, char *tmp)
{
    static const char set[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static _Thread_local unsigned long counter;
    size_t n = strlen(tmp);
    if (n < 6)
        return errno = EINVAL, -1;
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned char r[6];
        if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
            unsigned long x = (unsigned long)getpid() * 2654435761u ^ (unsigned long)time(NULL) ^ ++counter * 40503u;
            for (int i = 0; i < 6; i++, x >>= 6)
                r[i] = (unsigned char)x;
        }
        for (int i = 0; i < 6; i++)
            tmp[n - 6 + i] = set[r[i] % (sizeof set - 1)];
        temp_announce(c, tmp);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0 || errno != EEXIST) {
            if (fd < 0)
                temp_announce(c, NULL);
            return fd;
        }
    }
    temp_announce(c, NULL);
    return errno = EEXIST, -1;
}

/* Is out_path one of the files this context has read, or in_path (not
 * read yet)? Then it says so in d and returns 1: replacing it would lose
 * the data, the template or the image it holds. */
static int output_is_input(const rg_context *c, const char *out_path, const char *in_path, rg_diags *d)
{
    struct stat o, i;
    if (strcmp(out_path, "-") == 0 || stat(out_path, &o) != 0)
        return 0;
    const char *hit = rg_inputs_find(&c->inputs, &o);
    if (!hit && in_path && stat(in_path, &i) == 0 && i.st_dev == o.st_dev && i.st_ino == o.st_ino)
        hit = in_path;
    if (!hit)
        return 0;
    rg_diag_add(d, RG_SEV_ERROR, out_path, 0, 0, "output would replace '%s', an input of this run", hit);
    return 1;
}

/* The files a document names (images) come from root, or else the folder
 * of in_path, or the templates. 0, or -1 when memory ran out. */
static int confine(rg_context *c, const char *root, const char *in_path, rg_diags *d)
{
    char dir[4096], tmpl[4096];
    if (!root) {
        const char *slash = strrchr(in_path, '/');
        snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - in_path) + (slash == in_path) : 1,
                 slash ? in_path : ".");
        root = dir;
    }
    /* the base data folder's templates (the last folder searched) */
    snprintf(tmpl, sizeof tmpl, "%s/templates", c->search.n ? c->search.dir[c->search.n - 1] : ".");
    if (rg_inputs_set_roots(&c->inputs, root, tmpl) != 0) {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        return -1;
    }
    return 0;
}

/* Puts data at out_path whole or not at all: a temporary file beside it
 * (".NAME.XXXXXX", mode 0666 less the umask: make_temp), written, fsync'ed, then
 * renamed over it; its folder is then synced so the rename lasts too (that
 * last step's failure cannot be undone and is not reported: the file is
 * already in place). An existing file that is not a regular file (a
 * device, a pipe) is refused rather than replaced. A file replaced keeps
 * its permission bits and, when we run as root, its owner and group (it is
 * still a new file: a hard link to the old one keeps the old one). The
 * temporary name is cut to fit NAME_MAX for any legal output name, and
 * named in the context's slot while it exists. replace 0: an existing
 * file is left as it is and the call fails. 0, or -1 with an error in
 * d, no temporary file left and an earlier file unchanged. */
static int write_atomic(rg_context *c, const char *out_path, const unsigned char *data, size_t size,
                        int replace, rg_diags *d)
{
    struct stat st;
    int exists = stat(out_path, &st) == 0;
    if (exists && !replace) {
        rg_diag_add(d, RG_SEV_ERROR, out_path, 0, 0, "already exists: choose another name (nothing is replaced)");
        return errno = EEXIST, -1;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        rg_diag_add(d, RG_SEV_ERROR, out_path, 0, 0, "%s",
                    S_ISDIR(st.st_mode) ? "output path is a directory" : "output path is not a regular file");
        return -1;
    }
    char copy[4096], base[4096], tmp[4096];
    snprintf(copy, sizeof copy, "%s", out_path);
    const char *dir = dirname(copy);
    snprintf(base, sizeof base, "%s", out_path);
    const char *b = strrchr(base, '/') ? strrchr(base, '/') + 1 : base;
    /* "." + name + ".XXXXXX" must fit NAME_MAX: a long name is cut, at a
     * character's start, for the temporary name only. */
    size_t bl = strlen(b);
    if (bl > NAME_MAX - 8) {
        bl = NAME_MAX - 8;
        while (bl > 0 && ((unsigned char)b[bl] & 0xC0) == 0x80)
            bl--;
    }
    if ((size_t)snprintf(tmp, sizeof tmp, "%s/.%.*s.XXXXXX", dir, (int)bl, b) >= sizeof tmp) {
        rg_diag_add(d, RG_SEV_ERROR, out_path, 0, 0, "output path is too long");
        return -1;
    }
    int fd = make_temp(c, tmp);
    if (fd < 0) {
        rg_diag_add(d, RG_SEV_ERROR, out_path, 0, 0, "cannot write in '%s': %s", dir, strerror(errno));
        return -1;
    }
    int e = 0;
    /* Owner first: chown clears the set-id bits that fchmod then restores. */
    if (exists && geteuid() == 0 && fchown(fd, st.st_uid, st.st_gid) != 0)
        e = errno;
    if (!e && exists && fchmod(fd, st.st_mode & 07777) != 0)
        e = errno;
    if (!e && (write_all(fd, data, size) != 0 || fsync(fd) != 0))
        e = errno;
    if (close(fd) != 0 && !e)
        e = errno;
    /* Without replacing: link() refuses a name that appeared meanwhile. */
    if (!e && (replace ? rename(tmp, out_path) : link(tmp, out_path)) != 0)
        e = errno;
    if (!e && !replace)
        unlink(tmp);
    if (e) {
        if (e == EEXIST && !replace)
            rg_diag_add(d, RG_SEV_ERROR, out_path, 0, 0, "already exists: choose another name (nothing is replaced)");
        else if (e == EFBIG)
            rg_diag_add(d, RG_SEV_ERROR, out_path, 0, 0,
                        "cannot write: the file size limit was hit (%zu bytes to write; ulimit -f)", size);
        else
            rg_diag_add(d, RG_SEV_ERROR, out_path, 0, 0, "cannot write: %s", strerror(e));
        unlink(tmp);
        temp_announce(c, NULL);
        return errno = e, -1;
    }
    temp_announce(c, NULL);
    renamed_into(c, dir);
    return 0;
}

/* Steps 5-7 for a checked document (or a layout document when k is NULL):
 * transform, lay out and paint to out_path atomically. */
/* The output's last step: refused when it would replace a file read (an
 * image or template read since the first look), else written whole. */
static rg_status write_out(rg_context *c, const char *out_path, const unsigned char *data, size_t size, rg_diags *d)
{
    if (output_is_input(c, out_path, NULL, d))
        return RG_EUSAGE;
    return write_atomic(c, out_path, data, size, 1, d) != 0 ? RG_EOUTPUT : RG_OK;
}

/* Steps 5-8: layout transform, layout, paint, write. keep: the bytes are
 * handed back in *keep (the caller's) instead of written. */
static rg_status back_stages(rg_context *c, rg_kind *k, xmlDocPtr doc, const char *in_path,
                             const char *out_path, const rg_render_options *opt, rg_diags *d,
                             unsigned char **keep, size_t *keep_size)
{
    rg_arena *a = NULL;
    xmlDocPtr layout = NULL;
    rg_status st = RG_OK;
    unsigned long oom = rg_xml_oom_count();
    if (k) {
        const char *params[] = {NULL, NULL};
        layout = rg_xslt_apply(k->layout, k->layout_path, doc, k, params, d);
        if (!layout) {
            st = RG_EINPUT;
            goto done;
        }
    }
    a = rg_arena_new();
    rg_node *root = a ? rg_tree_from_xml(a, layout ? layout : doc, layout == NULL) : NULL;
    if (!root) {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        st = RG_EOUTPUT;
        goto done;
    }
    xmlFreeDoc(layout);
    layout = NULL;
    const char *theme_name = opt->theme ? opt->theme : rg_node_attr(root, "theme");
    if (!theme_name) {
        rg_diag_add(d, RG_SEV_ERROR, k ? k->layout_path : in_path, 1, 1,
                    "the layout names no theme and none was given");
        st = RG_EINPUT;
        goto done;
    }
    size_t before = rg_diags_count(d);
    rg_theme *theme = theme_get(c, theme_name, d);
    if (!theme) {
        /* A theme the command line names that is not there is a usage
         * error; a theme file that is broken is bad input. */
        const rg_diag *g = rg_diags_count(d) > before ? rg_diags_get(d, before) : NULL;
        st = opt->theme && g && strncmp(g->message, "unknown theme", 13) == 0 ? RG_EUSAGE : RG_EINPUT;
        goto done;
    }
    if (rg_xml_oom_count() != oom) { /* the layout document may have lost a piece */
        st = out_of_memory(d);
        goto done;
    }
    rg_pagelist pl;
    st = rg_layout(root, theme, a, in_path, &pl, d);
    if (st != RG_OK)
        goto done;
    c->pages = pl.count;
    pl.info.created = opt->epoch >= 0 ? opt->epoch : parse_date(rg_node_attr(root, "created"));
    pl.info.plain = opt->pdf_standard == RG_PDF_PLAIN;
    pl.threads = c->one_thread ? 1 : c->threads;
    if (strcmp(out_path, "-") == 0) {
        if (opt->format != RG_FORMAT_TRACE) {
            rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "a PDF cannot go to standard output; give -o FILE.pdf");
            st = RG_EUSAGE;
        } else if (rg_paint_trace_file(&pl, stdout) != 0 || fflush(stdout) != 0) {
            rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "cannot write to standard output");
            st = RG_EOUTPUT;
        }
        goto done;
    }
    unsigned char *data = NULL;
    size_t size = 0;
    if (opt->format == RG_FORMAT_TRACE) {
        char *mem = NULL;
        FILE *f = open_memstream(&mem, &size);
        int bad = !f || rg_paint_trace_file(&pl, f) != 0;
        if (f)
            bad |= fclose(f) != 0;
        data = (unsigned char *)mem;
        if (bad) {
            rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
            st = RG_EOUTPUT;
        }
    } else {
        rg_pdfwriter **w = NULL;
        for (int i = 0; i < c->ntheme; i++)
            if (c->theme[i] == theme)
                w = &c->writer[i];
        st = rg_paint_pdf(&pl, out_path, w, &data, &size, d);
    }
    if (st == RG_OK && keep) {
        *keep = data;
        *keep_size = size;
        data = NULL;
    } else if (st == RG_OK) {
        st = write_out(c, out_path, data, size, d);
    }
    free(data);
done:
    xmlFreeDoc(layout);
    rg_arena_free(a);
    return st;
}

/* The layout names a character it cannot set ("character U+0F00 'ༀ' is
 * not in font Lato-Bold") at the line of its block, which the layout
 * document carries; the column, and the line when the block spans several,
 * are where that character first occurs from there on in the source. */
static void place_characters(const rg_source *src, rg_diags *d, size_t from)
{
    for (size_t i = from; src->buf && i < rg_diags_count(d); i++) {
        const rg_diag *g = rg_diags_get(d, i);
        const char *q = strncmp(g->message, "character U+", 12) == 0 ? strchr(g->message, '\'') : NULL;
        int len = 0;
        if (!q || strcmp(g->file, src->path) != 0 || g->line < 1 || rg_utf8_decode(q + 1, strlen(q + 1), &len) < 0)
            continue;
        const char *s = src->buf, *end = src->buf + src->len;
        for (int l = 1; l < g->line && s < end; s++)
            if (*s == '\n')
                l++;
        const char *hit = NULL;
        for (const char *p = s; !hit && p + len <= end; p++)
            if (memcmp(p, q + 1, (size_t)len) == 0)
                hit = p;
        if (!hit)
            continue; /* written as a reference (&#x...;): the block's line is what is known */
        int line = g->line, col = 1;
        for (const char *p = s; p < hit; p++)
            if (*p == '\n')
                line++, col = 1;
            else if (((unsigned char)*p & 0xC0) != 0x80)
                col++;
        rg_diag_place(d, i, line, col);
    }
}

static rg_status back(rg_context *c, rg_kind *k, xmlDocPtr doc, const char *in_path, const char *out_path,
                      const rg_render_options *opt, rg_diags *d, unsigned char **keep, size_t *keep_size)
{
    unsigned long oom = rg_xml_oom_count();
    rg_status st = back_stages(c, k, doc, in_path, out_path, opt, d, keep, keep_size);
    /* (back_stages itself refuses to write after such a failure) */
    return rg_xml_oom_count() != oom && st != RG_OK && st != RG_EOUTPUT ? out_of_memory(d) : st;
}

/* Steps 5-8 beside the checks of a started job (front_stages told it to
 * go): the document is laid out, painted and compressed, then the checks'
 * findings are said first, and when they stop the document (an error, a
 * warning under strict) the layout's words, reads and bytes are dropped,
 * as if it had never run. */
static rg_status checks_beside(rg_context *c, rg_kind *k, rg_source *src, const char *in_path,
                               const char *out_path, const rg_render_options *opt, rg_diags *d, check_job *j)
{
    rg_diags *back_d = rg_diags_new();
    unsigned char *data = NULL;
    size_t size = 0, read = c->inputs.n, missing = c->inputs.nmissing;
    rg_status st = RG_EOUTPUT;
    if (back_d) {
        st = back(c, k, src->doc, in_path, out_path, opt, back_d, &data, &size);
        place_characters(src, back_d, 0);
    } else {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
    }
    pthread_join(j->th, NULL);
    if (job_settle(c, j, d) != 0) { /* the checks did not compile: nothing else was */
        c->pages = 0;
        free(data);
        job_free(j);
        rg_diags_free(back_d);
        return RG_EINPUT;
    }
    rg_diags_append(d, j->d);
    if (j->failed || rg_diags_blocking(d, opt->strict)) {
        st = RG_EINPUT;
        c->pages = 0;
        rg_inputs_truncate(&c->inputs, read, missing); /* what the layout read is not the run's */
        job_inputs(c, j);
    } else if (back_d) {
        job_inputs(c, j);
        rg_diags_append(d, back_d);
        if (st == RG_OK)
            st = write_out(c, out_path, data, size, d);
    }
    free(data);
    job_free(j);
    rg_diags_free(back_d);
    return st;
}

rg_status rg_render_file(rg_context *c, const char *in_path, const char *out_path,
                         const rg_render_options *opt, rg_diags *d)
{
    rg_render_options defaults = {NULL, RG_FORMAT_PDF, -1, 0, NULL, RG_PDF_ARCHIVAL};
    if (!opt)
        opt = &defaults;
    c->pages = 0;
    if (output_is_input(c, out_path, in_path, d))
        return RG_EUSAGE;
    if (confine(c, opt->root, in_path, d) != 0)
        return RG_EOUTPUT;
    rg_source src;
    rg_kind *k = NULL;
    rg_inputs_track(&c->inputs);
    /* Not for standard output: what is written there cannot be taken back
     * when the checks then find an error. */
    check_job job = {0};
    int beside = c->threads > 1 && strcmp(out_path, "-") != 0;
    c->one_thread = 0;
    rg_status st = front(c, in_path, opt->strict, &src, &k, d, beside ? &job : NULL);
    if (job.started && st == RG_OK) {
        st = checks_beside(c, k, &src, in_path, out_path, opt, d, &job);
    } else if (job.started) {
        job_end(c, &job, d); /* the document stopped before its checks */
    } else if (st == RG_OK) {
        size_t before = rg_diags_count(d);
        st = back(c, k, src.doc, in_path, out_path, opt, d, NULL, NULL);
        place_characters(&src, d, before);
    }
    rg_inputs_track(NULL);
    rg_source_free(&src);
    return status_of(st, d);
}

static int ends_with_xml(const char *n)
{
    size_t k = strlen(n);
    return k > 4 && strcmp(n + k - 4, ".xml") == 0 && n[0] != '.';
}

/* XPath's normalize-space in place: runs of white space made one space,
 * none at either end. Returns s. */
static char *normalize_space(char *s)
{
    size_t o = 0;
    int space = 0;
    for (const char *p = s; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            space = o > 0;
            continue;
        }
        if (space)
            s[o++] = ' ';
        space = 0;
        s[o++] = *p;
    }
    s[o] = 0;
    return s;
}

/* A card's state, for the overview's check that none is there twice. */
typedef struct card_state { char *name, *slug; const char *file; int line; size_t order; } card_state;

static int cmp_by_name(const void *a, const void *b)
{
    const card_state *x = a, *y = b;
    int r = strcmp(x->name, y->name);
    return r ? r : (x->order > y->order) - (x->order < y->order);
}

static int cmp_by_slug(const void *a, const void *b)
{
    const card_state *x = a, *y = b;
    int r = strcmp(x->slug, y->slug);
    return r ? r : (x->order > y->order) - (x->order < y->order);
}

/* Each state once: a second card for a state (same name or same slug) is
 * an error at that card naming the first; sorting keeps it n log n. 0 or
 * -1. */
static int states_once(card_state *cs, size_t n, rg_diags *d)
{
    int rc = 0;
    unsigned char *said = calloc(n ? n : 1, 1);
    if (!said) {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        return -1;
    }
    for (int pass = 0; pass < 2; pass++) {
        qsort(cs, n, sizeof *cs, pass ? cmp_by_slug : cmp_by_name);
        for (size_t i = 1; i < n; i++) {
            const char *a = pass ? cs[i].slug : cs[i].name, *b = pass ? cs[i - 1].slug : cs[i - 1].name;
            if (!*a || strcmp(a, b) != 0 || said[cs[i].order])
                continue;
            size_t first = i - 1;
            while (first > 0 && strcmp(pass ? cs[first - 1].slug : cs[first - 1].name, a) == 0)
                first--;
            rg_diag_add(d, RG_SEV_ERROR, cs[i].file, cs[i].line, 1,
                        "state %s '%s' is also in '%s': an overview counts each state once", pass ? "slug" : "name",
                        a, cs[first].file);
            said[cs[i].order] = 1;
            rc = -1;
        }
    }
    free(said);
    return rc;
}

static rg_status overview_dir(rg_context *c, const char *dir, const char *out_path,
                              const rg_render_options *opt, rg_diags *d)
{
    rg_render_options defaults = {NULL, RG_FORMAT_PDF, -1, 0, NULL, RG_PDF_ARCHIVAL};
    if (!opt)
        opt = &defaults;
    if (rg_reserve_refill() != 0)
        return out_of_memory(d);
    DIR *dp = opendir(dir);
    if (!dp) {
        rg_diag_add(d, RG_SEV_ERROR, dir, 0, 0, "cannot read the folder: %s", strerror(errno));
        return RG_EINPUT;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    rg_status st = RG_OK;
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        if (!ends_with_xml(e->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **v = realloc(names, cap * sizeof *v);
            if (!v) {
                st = RG_EOUTPUT;
                break;
            }
            names = v;
        }
        if (!(names[n] = path_join(dir, e->d_name))) {
            st = RG_EOUTPUT;
            break;
        }
        n++;
    }
    closedir(dp);
    xmlDocPtr agg = NULL;
    for (size_t i = 0; st == RG_OK && i < n; i++)
        if (output_is_input(c, out_path, names[i], d))
            st = RG_EUSAGE;
    if (st == RG_OK && n == 0) {
        rg_diag_add(d, RG_SEV_ERROR, dir, 0, 0, "no .xml data files in the folder");
        st = RG_EINPUT;
    }
    if (st == RG_OK && n > RG_MAX_ROWS - 1) {
        /* One row of the ranking per card, and its header: said at the
         * first card over, before any is read. */
        qsort(names, n, sizeof names[0], cmp_str);
        rg_diag_add(d, RG_SEV_ERROR, names[RG_MAX_ROWS - 1], 0, 0,
                    "card %d of %zu: an overview ranks at most %d cards (a table has at most %d rows)", RG_MAX_ROWS,
                    n, RG_MAX_ROWS - 1, RG_MAX_ROWS);
        st = RG_EINPUT;
    }
    card_state *cs = st == RG_OK ? calloc(n, sizeof *cs) : NULL;
    size_t ncs = 0;
    if (st == RG_OK && !cs) {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        st = RG_EOUTPUT;
    }
    if (st == RG_OK) {
        qsort(names, n, sizeof names[0], cmp_str);
        /* One document holding every card, each marked with its file: the
         * overview's template computes scores and grades from it. */
        agg = xmlNewDoc((const xmlChar *)"1.0");
        xmlNodePtr root = agg ? xmlNewDocNode(agg, NULL, (const xmlChar *)"overview", NULL) : NULL;
        if (!root) {
            st = RG_EOUTPUT;
        } else {
            xmlDocSetRootElement(agg, root);
            xmlNewProp(root, (const xmlChar *)"source", (const xmlChar *)dir);
        }
        for (size_t i = 0; i < n && st != RG_EOUTPUT; i++) {
            rg_source src;
            rg_kind *k = NULL;
            rg_status fs = front(c, names[i], opt->strict, &src, &k, d, NULL);
            if (fs == RG_OK && (!k || strcmp(k->name, "report-card") != 0)) {
                xmlNodePtr r = xmlDocGetRootElement(src.doc);
                rg_diag_add(d, RG_SEV_ERROR, names[i], (int)xmlGetLineNo(r), 1,
                            "not a report card: the overview is made of <report-card> files");
                fs = RG_EINPUT;
            }
            if (fs == RG_OK) {
                xmlNodePtr r = xmlDocGetRootElement(src.doc), s = r->children;
                while (s && !(s->type == XML_ELEMENT_NODE && strcmp((const char *)s->name, "state") == 0))
                    s = s->next;
                xmlChar *nm = s ? xmlGetProp(s, (const xmlChar *)"name") : NULL;
                xmlChar *sl = s ? xmlGetProp(s, (const xmlChar *)"slug") : NULL;
                card_state *e = &cs[ncs];
                e->name = nm ? (char *)xmlStrdup((const xmlChar *)normalize_space((char *)nm)) : (char *)xmlStrdup((const xmlChar *)"");
                e->slug = sl ? (char *)xmlStrdup(sl) : (char *)xmlStrdup((const xmlChar *)"");
                xmlFree(nm);
                xmlFree(sl);
                e->file = names[i];
                e->line = s ? (int)xmlGetLineNo(s) : 1;
                e->order = ncs;
                if (!e->name || !e->slug) {
                    xmlFree(e->name);
                    xmlFree(e->slug);
                    st = RG_EOUTPUT;
                } else {
                    ncs++;
                }
            }
            if (fs == RG_OK && st != RG_EOUTPUT) {
                xmlNodePtr copy = xmlDocCopyNode(xmlDocGetRootElement(src.doc), agg, 1);
                if (!copy || !xmlAddChild(root, copy)) {
                    xmlFreeNode(copy);
                    st = RG_EOUTPUT;
                } else {
                    xmlNewProp(copy, (const xmlChar *)"source", (const xmlChar *)names[i]);
                }
            } else if (st == RG_OK) {
                st = fs;
            }
            rg_source_free(&src);
        }
        if (st == RG_EOUTPUT)
            rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        else if (states_once(cs, ncs, d) != 0)
            st = rg_diags_memory(d) ? RG_EOUTPUT : RG_EINPUT;
    }
    for (size_t i = 0; i < ncs; i++) {
        xmlFree(cs[i].name);
        xmlFree(cs[i].slug);
    }
    free(cs);
    if (st == RG_OK) {
        rg_source dummy = {dir, NULL, 0, agg};
        rg_kind *k = kind_get(c, "overview", &dummy, 1, d, NULL);
        st = k ? RG_OK : RG_EINPUT;
        /* The assembled document is ours, but its schema still says what the
         * template may rely on. */
        xmlSchemaValidCtxtPtr vc = k ? xmlSchemaNewValidCtxt(k->schema) : NULL;
        if (k && !vc) {
            rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
            st = RG_EOUTPUT;
        } else if (vc) {
            rg_xml_capture xc;
            rg_xml_errors_begin(&xc, d, dir, NULL);
            int r = xmlSchemaValidateDoc(vc, agg);
            rg_xml_errors_end(&xc);
            xmlSchemaFreeValidCtxt(vc);
            if (r != 0) {
                if (xc.count == 0)
                    rg_diag_add(d, RG_SEV_ERROR, dir, 0, 0, "the cards do not make an overview its schema accepts");
                st = RG_EINPUT;
            }
        }
        /* Rules about the cards together (one framework, ranks unique):
         * the overview kind's check.xsl, when it has one. */
        if (st == RG_OK && k->check) {
            rg_source whole = {dir, NULL, 0, agg};
            if (run_check(k, &whole, d) != 0 || rg_diags_blocking(d, opt->strict))
                st = RG_EINPUT;
        }
        if (st == RG_OK)
            st = back(c, k, agg, dir, out_path, opt, d, NULL, NULL);
    }
    xmlFreeDoc(agg);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return st;
}

rg_status rg_overview_dir(rg_context *c, const char *dir, const char *out_path,
                          const rg_render_options *opt, rg_diags *d)
{
    c->one_thread = 0;
    c->pages = 0;
    if (confine(c, opt && opt->root ? opt->root : dir, NULL, d) != 0)
        return RG_EOUTPUT;
    rg_inputs_track(&c->inputs);
    rg_status st = overview_dir(c, dir, out_path, opt, d);
    rg_inputs_track(NULL);
    return status_of(st, d);
}

/* A state's name as the starters may take it (an XPath string literal
 * in quotes): letters, UTF-8 ones too, spaces, dots, hyphens. */
static int plain_name(const char *s)
{
    if (!*s || strlen(s) > 100)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (!(isalpha(*p) || *p >= 0x80 || *p == ' ' || *p == '.' || *p == '-'))
            return 0;
    return 1;
}

void rg_new_kinds(const rg_context *c, char *buf, size_t size)
{
    list_names(&c->search, "templates", "/starter.xsl", buf, size);
}

/* A framework's name as a starter may take it: like a file's name
 * without its folder or extension. */
static int plain_id(const char *s)
{
    if (!*s || strlen(s) > 100)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (!(islower(*p) || isdigit(*p) || *p == '-'))
            return 0;
    return 1;
}

rg_status rg_new_file(rg_context *c, const char *kind, const rg_new_options *opt, const char *out_path,
                      rg_diags *d)
{
    char rel[512], path[4096], known[512], yearbuf[16], statebuf[128], fwbuf[128];
    const char *state = opt->state, *fw = opt->framework;
    int year = opt->year;
    int named = strlen(kind) <= 200;
    for (const char *p = kind; *p && named; p++)
        named = (*p >= 'a' && *p <= 'z') || *p == '-';
    snprintf(rel, sizeof rel, "templates/%s/starter.xsl", named ? kind : "");
    if (!named || rg_search_find(&c->search, rel, 0, path, sizeof path) != 0) {
        list_names(&c->search, "templates", "/starter.xsl", known, sizeof known);
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "no starter for kind '%s' (templates/%s/starter.xsl); kinds: %s",
                    kind, named ? kind : "KIND", known);
        return RG_EUSAGE;
    }
    if (state && !plain_name(state)) {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "state '%s' is not a name (letters, spaces, dots and hyphens)", state);
        return RG_EUSAGE;
    }
    if (fw && !plain_id(fw)) {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "framework '%s' is not a name (lower-case letters, digits, hyphens)",
                    fw);
        return RG_EUSAGE;
    }
    if (fw) { /* templates/KIND/frameworks/NAME.xml, in the data folders */
        char frel[700], fdir[600];
        snprintf(frel, sizeof frel, "templates/%s/frameworks/%s.xml", kind, fw);
        if (rg_search_find(&c->search, frel, 0, path, sizeof path) != 0) {
            snprintf(fdir, sizeof fdir, "templates/%s/frameworks", kind);
            list_names(&c->search, fdir, ".xml", known, sizeof known);
            rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "no framework '%s' for kind '%s' (%s); frameworks: %s", fw, kind,
                        frel, known);
            return RG_EUSAGE;
        }
        snprintf(rel, sizeof rel, "templates/%s/starter.xsl", kind);
        rg_search_find(&c->search, rel, 0, path, sizeof path);
    }
    if (year < 1000 || year > 9999) {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "year %d is not a year of four digits", year);
        return RG_EUSAGE;
    }
    struct stat st;
    if (stat(out_path, &st) == 0) {
        rg_diag_add(d, RG_SEV_ERROR, out_path, 0, 0, "already exists: choose another name (nothing is replaced)");
        return RG_EUSAGE;
    }
    if (rg_reserve_refill() != 0)
        return out_of_memory(d);
    unsigned long oom = rg_xml_oom_count();
    snprintf(yearbuf, sizeof yearbuf, "%d", year);
    snprintf(statebuf, sizeof statebuf, "'%s'", state ? state : "");
    snprintf(fwbuf, sizeof fwbuf, "'%s'", fw ? fw : "");
    const char *params[] = {"state", statebuf, "year", yearbuf, "framework", fwbuf, NULL};
    /* The starter reads the data folders with document() (a framework). */
    rg_kind self = {0};
    self.name = (char *)kind;
    self.search = &c->search;
    rg_status rs = RG_OK;
    xmlChar *text = NULL;
    int len = 0;
    xsltStylesheetPtr s = rg_xslt_compile(path, &c->search, d);
    xmlDocPtr in = s ? xmlNewDoc((const xmlChar *)"1.0") : NULL;
    xmlNodePtr root = in ? xmlNewDocNode(in, NULL, (const xmlChar *)"new", NULL) : NULL;
    if (root)
        xmlDocSetRootElement(in, root);
    xmlDocPtr out = root ? rg_xslt_apply(s, path, in, &self, params, d) : NULL;
    if (out && (xsltSaveResultToString(&text, &len, out, s) != 0 || !text))
        rs = RG_EOUTPUT;
    if (rg_xml_oom_count() != oom || (s && !root))
        rs = RG_EOUTPUT;
    if (rs == RG_EOUTPUT)
        out_of_memory(d);
    else if (!out)
        rs = RG_EINPUT; /* the starter's own error, said in d */
    else if (write_atomic(c, out_path, text, (size_t)len, 0, d) != 0)
        rs = errno == EEXIST ? RG_EUSAGE : RG_EOUTPUT;
    xmlFree(text);
    xmlFreeDoc(out);
    xmlFreeDoc(in);
    if (s)
        xsltFreeStylesheet(s);
    return rs;
}
