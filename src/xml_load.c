/* Safe loading of data files: a size cap, UTF-8 only, no DOCTYPE, no
 * entities, no network, and every error with file:line:col. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxml/xmlerror.h>
#include "xml.h"

static _Thread_local rg_xml_capture *capture;

/* libxml2 writes "Element 'x': The value ..." and "[facet 'pattern'] The
 * value ...": make it read like the rest of our messages. */
static void tidy_message(char *msg)
{
    char *f;
    while ((f = strstr(msg, "[facet '")) != NULL) {
        char *e = strstr(f, "'] ");
        if (!e)
            break;
        memmove(f, e + 3, strlen(e + 3) + 1);
    }
    for (char *p = msg; *p; p++) {
        int start = p == msg || (p >= msg + 2 && p[-1] == ' ' && p[-2] == ':');
        if (start && isupper((unsigned char)p[0]) && p[1] && !isupper((unsigned char)p[1]))
            *p = (char)tolower((unsigned char)*p);
    }
}

/* ---- Messages that say what to do -------------------------------------
 * libxml2 words a slip in its own terms ("xmlParseEntityRef: no name");
 * the slips people make most (a bare '&', Word's curly quotes, "9%" in a
 * score, a US date, a misspelt element) are said again with the fix. */

/* The source line `line` of src, or NULL. */
static const char *line_start(const rg_source *src, int line)
{
    if (!src || !src->buf || line < 1)
        return NULL;
    const char *s = src->buf, *end = src->buf + src->len;
    for (int l = 1; l < line && s < end; s++)
        if (*s == '\n')
            l++;
    return s < end ? s : NULL;
}

/* The byte at 1-based column col (in characters) of the line at s. */
static const char *at_column(const char *s, int col)
{
    for (int c = 1; *s && *s != '\n' && c < col; s++)
        if (((unsigned char)s[1] & 0xC0) != 0x80)
            c++;
    return s;
}

static int is_curly(const char *p)
{
    /* U+201C U+201D U+2018 U+2019 U+201E, and U+00AB U+00BB */
    const unsigned char *u = (const unsigned char *)p;
    return (u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0x9C || u[2] == 0x9D || u[2] == 0x98 || u[2] == 0x99 ||
                                             u[2] == 0x9E)) ||
           (u[0] == 0xC2 && (u[1] == 0xAB || u[1] == 0xBB));
}

/* "attValue: \" or ' expected": what stands where the quote should. */
static void advise_quotes(const rg_source *src, int line, int col, char *msg, size_t size)
{
    const char *ls = line_start(src, line);
    if (!ls)
        return;
    const char *p = at_column(ls, col);
    /* libxml2's column is at or just past the '=' */
    if (*p == '=')
        p++;
    const char *name_end = p;
    while (name_end > ls && (name_end[-1] == '=' || name_end[-1] == ' '))
        name_end--;
    const char *name = name_end;
    while (name > ls && (isalnum((unsigned char)name[-1]) || name[-1] == '-' || name[-1] == '_' || name[-1] == ':'))
        name--;
    int nl = (int)(name_end - name);
    if (is_curly(p)) {
        const char *v = p + (((unsigned char)*p == 0xC2) ? 2 : 3), *e = v;
        while (*e && *e != '\n' && !is_curly(e) && e - v < 60)
            e++;
        snprintf(msg, size, "attribute values need straight quotes: write %.*s=\"%.*s\", not curly ones (Word's autocorrect)",
                 nl, name, (int)(e - v), v);
    } else if (*p && *p != '\n') {
        const char *e = p;
        while (*e && *e != ' ' && *e != '>' && *e != '/' && *e != '\n' && e - p < 60)
            e++;
        snprintf(msg, size, "attribute values need quotes: write %.*s=\"%.*s\"", nl, name, (int)(e - p), p);
    }
}

static int all_of(const char *s, size_t n, const char *set)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(set, s[i]))
            return 0;
    return n > 0;
}

static const char *const MONTHS[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};

/* A date written another way (11/01/2023, 1.11.2023, 2023-11-1,
 * November 1, 2023) as YYYY-MM-DD in out; 0, or -1 when it is not one. */
static int iso_date(const char *v, char *out, size_t size)
{
    int a, b, y;
    char sep1, sep2, month[16], tail;
    if (sscanf(v, "%d%c%d%c%d%c", &a, &sep1, &b, &sep2, &y, &tail) == 5 && sep1 == sep2 &&
        (sep1 == '/' || sep1 == '.' || sep1 == '-')) {
        int m = a, d = b;
        if (a > 31) { /* 2023-11-1: year first, a digit short */
            y = a;
            sscanf(v, "%*d%*c%d%*c%d", &m, &d);
        } else if (a > 12) { /* 13/11/2023: day first */
            m = b;
            d = a;
        }
        if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31)
            return -1;
        snprintf(out, size, "%04d-%02d-%02d", y, m, d);
        return 0;
    }
    int d;
    if (sscanf(v, "%15[A-Za-z] %d, %d%c", month, &d, &y, &tail) == 3 ||
        sscanf(v, "%d %15[A-Za-z] %d%c", &d, month, &y, &tail) == 3) {
        for (int m = 0; m < 12; m++)
            if (strncasecmp(month, MONTHS[m], 3) == 0 && d >= 1 && d <= 31 && y >= 1000 && y <= 9999) {
                snprintf(out, size, "%04d-%02d-%02d", y, m + 1, d);
                return 0;
            }
    }
    return -1;
}

/* "X: 'v' is not a valid value of the atomic type 't'": a number or a date
 * written as people write them elsewhere. */
static void advise_value(char *msg, size_t size)
{
    static const char tail[] = "' is not a valid value of the atomic type '";
    char *t = strstr(msg, tail);
    if (!t)
        return;
    char *v = t;
    while (v > msg && !(v[-1] == '\'' && (v - 1 == msg || v[-2] == ' ')))
        v--;
    if (v == msg)
        return;
    size_t vl = (size_t)(t - v);
    const char *type = t + sizeof tail - 1;
    char value[128], iso[16];
    snprintf(value, sizeof value, "%.*s", (int)(vl < 100 ? vl : 100), v);
    size_t lead = (size_t)(v - 1 - msg); /* "element 'x', attribute 'y': " */
    int digits = strpbrk(value, "0123456789") != NULL;
    if (strncmp(type, "date'", 5) == 0 && iso_date(value, iso, sizeof iso) == 0 && strcmp(iso, value) == 0)
        snprintf(v - 1, size - lead, "'%s' is not a day of the calendar", value);
    else if (strncmp(type, "date'", 5) == 0 && iso_date(value, iso, sizeof iso) == 0)
        snprintf(v - 1, size - lead, "'%s' is not in the form YYYY-MM-DD: write the date as %s", value, iso);
    else if (strncmp(type, "date'", 5) == 0)
        snprintf(v - 1, size - lead, "'%s' is not a date in the form YYYY-MM-DD: write the date as 2023-11-01, for instance", value);
    else if (digits && all_of(value, strlen(value), "0123456789.,% ") && strpbrk(value, "%,"))
        snprintf(v - 1, size - lead, "'%s' is not a number: write a number such as 9.5, without %% or a comma", value);
}

/* The name among the comma-separated list that is nearest to name, when
 * it is near enough to be the one meant. */
static int nearest_name(const char *name, const char *list, char *out, size_t size)
{
    int best = -1;
    char item[128];
    for (const char *p = list; *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t n = strcspn(p, ", )");
        if (n == 0)
            break;
        snprintf(item, sizeof item, "%.*s", (int)(n < 127 ? n : 127), p);
        int d = rg_edit_distance(name, item);
        int near = d >= 0 && d <= 2 + (int)strlen(item) / 6;
        if (near && (best < 0 || d < best)) {
            best = d;
            snprintf(out, size, "%s", item);
        }
        p += n;
        if (*p == ')')
            break;
    }
    return best >= 0;
}

/* "element 'x': this element is not expected. Expected is ( a, b )". */
static void advise_element(char *msg, size_t size)
{
    static const char unexpected[] = "': this element is not expected";
    char *u = strstr(msg, unexpected);
    if (strncmp(msg, "element '", 9) != 0 || !u)
        return;
    char name[128], list[400], near[128];
    snprintf(name, sizeof name, "%.*s", (int)(u - msg - 9 < 127 ? u - msg - 9 : 127), msg + 9);
    const char *l = strstr(u, "( ");
    snprintf(list, sizeof list, "%s", l ? l + 2 : "");
    char *close = strstr(list, " )");
    if (close)
        *close = 0;
    if (*list && nearest_name(name, list, near, sizeof near))
        snprintf(msg, size, "element '%.100s' is not allowed here; did you mean '%.100s'?", name, near);
    else if (*list)
        snprintf(msg, size, "element '%.100s' is not allowed here; expected: %.300s", name, list);
    else
        snprintf(msg, size, "element '%.100s' is not allowed here (nothing more may follow)", name);
}

/* libxml2's words for a slip, and ours with its fix. */
static void advise(const rg_xml_capture *c, int line, int col, char *msg, size_t size)
{
    if (strcmp(msg, "xmlParseEntityRef: no name") == 0 || strcmp(msg, "entityRef: expecting ';'") == 0)
        snprintf(msg, size, "a bare '&': write &amp; for an ampersand");
    else if (strncmp(msg, "entity '", 8) == 0 && strstr(msg, "' not defined")) {
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(strstr(msg, "' not defined") - msg - 8), msg + 8);
        snprintf(msg, size, "entity '&%s;' is not defined: write the character itself, or &amp; for an ampersand",
                 name);
    } else if (strcmp(msg, "attValue: \" or ' expected") == 0)
        advise_quotes(c->src, line, col, msg, size);
    else if (strstr(msg, "is not a valid value of the atomic type"))
        advise_value(msg, size);
    else if (strstr(msg, "this element is not expected"))
        advise_element(msg, size);
}

static void on_error(void *ud, xmlErrorPtr e)
{
    rg_xml_capture *c = ud;
    if (!c || !e || c->doctype)
        return;
    /* After the first syntax error the parser's recovery only adds echoes. */
    if (e->domain == XML_FROM_PARSER && c->count > 0)
        return;
    char msg[512];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "malformed XML");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' ' || msg[n - 1] == '.'))
        msg[--n] = 0;
    tidy_message(msg);
    const char *deep = strstr(msg, "xcessive depth in document: ");
    if (deep) { /* libxml2 stops at 256, or 2048 with XML_PARSE_HUGE */
        int at = atoi(deep + 28);
        snprintf(msg, sizeof msg, "elements nested more than %d deep, over the limit of %d", at > 0 ? at : 256,
                 RG_MAX_DEPTH);
    }
    int line = e->line, col = e->int2;
    if (e->domain == XML_FROM_SCHEMASV || e->domain == XML_FROM_SCHEMASP) {
        /* Validation errors carry the node but no column. */
        xmlNodePtr node = e->node;
        const char *elem = node && node->type == XML_ELEMENT_NODE ? (const char *)node->name : NULL;
        const char *attr = NULL;
        const char *q = strstr(msg, "attribute '");
        static _Thread_local char attrbuf[128];
        if (q && strncmp(msg, "element", 7) == 0) {
            q += 11;
            size_t k = 0;
            while (q[k] && q[k] != '\'' && k + 1 < sizeof attrbuf) {
                attrbuf[k] = q[k];
                k++;
            }
            attrbuf[k] = 0;
            attr = attrbuf;
        }
        if (node && line <= 0)
            line = (int)xmlGetLineNo(node);
        col = c->src && elem ? rg_source_column(c->src, line, elem, attr) : 1;
    }
    if (line <= 0)
        line = 1;
    if (col <= 0)
        col = 1;
    if (c->src)
        advise(c, line, col, msg, sizeof msg);
    rg_diag_add(c->d, e->level == XML_ERR_WARNING ? RG_SEV_WARNING : RG_SEV_ERROR,
                c->path, line, col, "%s", msg);
    c->count++;
}

void rg_xml_errors_begin(rg_xml_capture *c, rg_diags *d, const char *path, const rg_source *src)
{
    *c = (rg_xml_capture){d, path, src, 0, 0};
    capture = c;
    xmlSetStructuredErrorFunc(c, on_error);
}

void rg_xml_errors_end(rg_xml_capture *c)
{
    (void)c;
    capture = NULL;
    xmlSetStructuredErrorFunc(NULL, NULL);
}

/* A DOCTYPE can declare entities that expand exponentially or read files:
 * refuse it as soon as the parser meets it, before its subset is read. */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
    (void)name; (void)eid; (void)sid;
    xmlParserCtxtPtr p = ctx;
    rg_xml_capture *c = capture;
    if (c && !c->doctype) {
        rg_diag_add(c->d, RG_SEV_ERROR, c->path, xmlSAX2GetLineNumber(p),
                    xmlSAX2GetColumnNumber(p) > 0 ? xmlSAX2GetColumnNumber(p) : 1,
                    "DOCTYPE is not allowed: %s may not declare entities or a DTD",
                    c->src ? "data files" : "templates");
        c->doctype = 1;
        c->count++;
    }
    xmlStopParser(p);
}

static void line_col_at(const char *buf, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        if (buf[i] == '\n') {
            l++;
            c = 1;
        } else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* A stylesheet's text of blanks only, which the parser offers here when it
 * stands between elements (not under xml:space="preserve", not alone in
 * an element): XSLT strips it everywhere but in xsl:text, so it is kept
 * there only, and the tree libxslt compiles is half the nodes. */
static void stylesheet_blanks(void *ctx, const xmlChar *ch, int len)
{
    xmlParserCtxtPtr p = ctx;
    xmlNodePtr n = p->node;
    if (n && n->ns && xmlStrEqual(n->name, BAD_CAST "text") &&
        xmlStrEqual(n->ns->href, BAD_CAST "http://www.w3.org/1999/XSL/Transform"))
        xmlSAX2Characters(ctx, ch, len);
}

/* dict: the names' dictionary the tree must share (libxslt's loader), or
 * NULL; blanks 0: a stylesheet (stylesheet_blanks). */
static xmlDocPtr parse(const char *path, const char *buf, size_t len, const rg_source *src, xmlDictPtr dict,
                       int blanks, rg_diags *d)
{
    unsigned long oom = rg_xml_oom_count();
    xmlParserCtxtPtr p = xmlNewParserCtxt();
    if (!p || rg_xml_oom_count() != oom) { /* libxml2 2.9 may hand back a half-made one */
        if (p)
            xmlFreeParserCtxt(p);
        rg_diag_add(d, RG_SEV_ERROR, path, 0, 0, "out of memory");
        return NULL;
    }
    if (dict) { /* as libxslt's own loader does */
        xmlDictFree(p->dict);
        p->dict = dict;
        xmlDictReference(dict);
    }
    p->sax->internalSubset = on_doctype;
    if (!blanks)
        p->sax->ignorableWhitespace = stylesheet_blanks;
    rg_xml_capture c;
    rg_xml_errors_begin(&c, d, path, src);
    /* XML_PARSE_HUGE: without it libxml2 refuses any input past 10 MB
     * ("huge input lookup") though our own cap is 16 MiB; the file was
     * read whole under that cap, and depth and field lengths are checked
     * on the tree (check_limits), so it lifts nothing we rely on. */
    xmlDocPtr doc = xmlCtxtReadMemory(p, buf, (int)len, path, "UTF-8",
                                      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                      XML_PARSE_NOCDATA | (src ? XML_PARSE_HUGE : 0));
    int failed = c.count > 0 || !doc || !p->wellFormed;
    if (rg_xml_oom_count() != oom) { /* the tree may lack a piece: never use it */
        if (!failed || c.count == 0)
            rg_diag_add(d, RG_SEV_ERROR, path, 0, 0, "out of memory");
        failed = 1;
    } else if (failed && c.count == 0) {
        rg_diag_add(d, RG_SEV_ERROR, path, 1, 1, "malformed XML");
    }
    rg_xml_errors_end(&c);
    xmlFreeParserCtxt(p);
    if (failed) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

/* Depth and field length: what a schema cannot bound but layout would pay for. */
static int check_limits(const rg_source *src, xmlNodePtr n, int depth, rg_diags *d)
{
    for (; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE) {
            int line = (int)xmlGetLineNo(n);
            if (depth > RG_MAX_DEPTH) {
                rg_diag_add(d, RG_SEV_ERROR, src->path, line, rg_source_column(src, line, (const char *)n->name, NULL),
                            "elements nested %d deep, over the limit of %d", depth, RG_MAX_DEPTH);
                return -1;
            }
            for (xmlAttrPtr a = n->properties; a; a = a->next) {
                size_t len = a->children && a->children->content ? strlen((const char *)a->children->content) : 0;
                if (len > RG_MAX_TEXT) {
                    rg_diag_add(d, RG_SEV_ERROR, src->path, line,
                                rg_source_column(src, line, (const char *)n->name, (const char *)a->name),
                                "attribute '%s' is %zu bytes long, over the limit of %u", (const char *)a->name,
                                len, RG_MAX_TEXT);
                    return -1;
                }
            }
            if (check_limits(src, n->children, depth + 1, d) != 0)
                return -1;
        } else if (n->type == XML_TEXT_NODE && n->content) {
            size_t len = strlen((const char *)n->content);
            if (len > RG_MAX_TEXT) {
                int line = (int)xmlGetLineNo(n->parent);
                rg_diag_add(d, RG_SEV_ERROR, src->path, line,
                            rg_source_column(src, line, (const char *)n->parent->name, NULL),
                            "text of <%s> is %zu bytes long, over the limit of %u", (const char *)n->parent->name,
                            len, RG_MAX_TEXT);
                return -1;
            }
        }
    }
    return 0;
}

/* The character byte b stands for in a file saved as Latin-1 (0xA0-0xFF)
 * or Windows-1252 (0x80-0x9F, where Word's quotes and dashes lie), in
 * UTF-8: the slip is then a file saved in the old encoding. 0 for none. */
static int legacy_char(unsigned char b, char *out, size_t size)
{
    static const unsigned short cp1252[32] = {
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E,
        0x0178};
    unsigned cp = b >= 0xA0 ? b : b >= 0x80 ? cp1252[b - 0x80] : 0;
    if (!cp || size < 4)
        return 0;
    if (cp < 0x800)
        snprintf(out, size, "%c%c", (char)(0xC0 | cp >> 6), (char)(0x80 | (cp & 0x3F)));
    else
        snprintf(out, size, "%c%c%c", (char)(0xE0 | cp >> 12), (char)(0x80 | ((cp >> 6) & 0x3F)),
                 (char)(0x80 | (cp & 0x3F)));
    return 1;
}

/* What the parser must never be given: an empty file, a compressed one
 * (libxml2 would inflate it on its own), UTF-16, invalid UTF-8, a NUL byte.
 * 0, or -1 with the error in d; what: "data files", "templates". */
static int sniff(const char *path, const char *buf, size_t len, const char *what, rg_diags *d)
{
    const unsigned char *u = (const unsigned char *)buf;
    if (len == 0) {
        rg_diag_add(d, RG_SEV_ERROR, path, 1, 1, "file is empty");
        return -1;
    }
    if (len >= 2 && u[0] == 0x1F && u[1] == 0x8B) {
        rg_diag_add(d, RG_SEV_ERROR, path, 1, 1, "file is gzip-compressed: decompress it first");
        return -1;
    }
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF) ||
                 (u[0] == '<' && u[1] == 0) || (u[0] == 0 && u[1] == '<'))) {
        rg_diag_add(d, RG_SEV_ERROR, path, 1, 1, "file is UTF-16: %s must be UTF-8", what);
        return -1;
    }
    size_t bad;
    if (!rg_utf8_valid(buf, len, &bad)) {
        int line, col;
        char was[8];
        line_col_at(buf, bad, &line, &col);
        /* a lead byte with its continuation is broken UTF-8, not Latin-1 */
        int utf8_like = u[bad] >= 0xC0 && bad + 1 < len && (u[bad + 1] & 0xC0) == 0x80;
        if (!utf8_like && legacy_char(u[bad], was, sizeof was))
            rg_diag_add(d, RG_SEV_ERROR, path, line, col,
                        "invalid UTF-8: byte 0x%02x ('%s' in %s): re-save the file as UTF-8", u[bad], was,
                        u[bad] >= 0xA0 ? "Latin-1" : "Windows-1252");
        else
            rg_diag_add(d, RG_SEV_ERROR, path, line, col, "invalid UTF-8: byte 0x%02x: re-save the file as UTF-8",
                        u[bad]);
        return -1;
    }
    if (memchr(buf, 0, len)) {
        int line, col;
        line_col_at(buf, (size_t)((char *)memchr(buf, 0, len) - buf), &line, &col);
        rg_diag_add(d, RG_SEV_ERROR, path, line, col, "NUL byte in file");
        return -1;
    }
    return 0;
}

rg_status rg_source_load(rg_source *src, const char *path, size_t cap, rg_diags *d)
{
    memset(src, 0, sizeof *src);
    src->path = path;
    if (rg_file_read(path, cap, &src->buf, &src->len, d) != 0)
        return RG_EINPUT;
    if (sniff(path, src->buf, src->len, "data files", d) != 0)
        goto fail;
    if (src->len > (size_t)INT32_MAX)
        goto fail;
    src->doc = parse(path, src->buf, src->len, src, NULL, 1, d);
    if (!src->doc)
        goto fail;
    if (check_limits(src, xmlDocGetRootElement(src->doc), 1, d) != 0) {
        xmlFreeDoc(src->doc);
        src->doc = NULL;
        goto fail;
    }
    return RG_OK;
fail:
    free(src->buf);
    src->buf = NULL;
    return RG_EINPUT;
}

xmlDocPtr rg_source_reparse(const rg_source *src, rg_diags *d)
{
    return parse(src->path, src->buf, src->len, src, NULL, 1, d);
}

void rg_source_free(rg_source *src)
{
    if (src->doc)
        xmlFreeDoc(src->doc);
    free(src->buf);
    memset(src, 0, sizeof *src);
}

static int is_name_char(char ch)
{
    return isalnum((unsigned char)ch) || ch == '-' || ch == '_' || ch == '.' || ch == ':';
}

int rg_source_column(const rg_source *src, int line, const char *elem, const char *attr)
{
    if (!src || !src->buf || line < 1)
        return 1;
    const char *s = src->buf, *end = src->buf + src->len;
    for (int l = 1; l < line && s < end; s++)
        if (*s == '\n')
            l++;
    const char *eol = memchr(s, '\n', (size_t)(end - s));
    if (!eol)
        eol = end;
    const char *hit = NULL;
    size_t el = elem ? strlen(elem) : 0;
    for (const char *q = s; elem && q + el < eol; q++)
        if (*q == '<' && strncmp(q + 1, elem, el) == 0 && !is_name_char(q[1 + el])) {
            hit = q;
            break;
        }
    if (attr && *attr) {
        size_t al = strlen(attr);
        /* The attribute may sit on a later line of a long start tag. */
        char quote = 0;
        for (const char *q = hit ? hit : s; q + al < end; q++) {
            /* Skip attribute values: a value may contain the name. */
            if (quote) {
                if (*q == quote)
                    quote = 0;
                continue;
            }
            if (*q == '"' || *q == '\'') {
                quote = *q;
                continue;
            }
            if (*q == '>')
                break;
            if (strncmp(q, attr, al) == 0 && !is_name_char(q[-1]) && (q[al] == '=' || q[al] == ' ')) {
                const char *ls = q;
                while (ls > src->buf && ls[-1] != '\n')
                    ls--;
                if (ls != s)
                    break; /* different line: keep the element's column */
                hit = q;
                break;
            }
        }
    }
    if (!hit)
        return 1;
    int col = 1;
    for (const char *q = s; q < hit; q++)
        if (((unsigned char)*q & 0xC0) != 0x80)
            col++;
    return col;
}

static xmlDocPtr read_own(const char *path, xmlDictPtr dict, int blanks, rg_diags *d)
{
    char *buf;
    size_t len;
    if (rg_file_read(path, RG_MAX_INPUT, &buf, &len, d) != 0)
        return NULL;
    xmlDocPtr doc = sniff(path, buf, len, "templates", d) == 0 ? parse(path, buf, len, NULL, dict, blanks, d) : NULL;
    free(buf);
    return doc;
}

xmlDocPtr rg_xml_read_trusted(const char *path, rg_diags *d)
{
    return read_own(path, NULL, 1, d);
}

xmlDocPtr rg_xml_read_shared(const char *path, xmlDictPtr dict, rg_diags *d)
{
    return read_own(path, dict, 1, d);
}

xmlDocPtr rg_xml_read_stylesheet(const char *path, xmlDictPtr dict, rg_diags *d)
{
    return read_own(path, dict, 0, d);
}

/* Warns about the placeholder whose text begins at p (past "[TODO:" or
 * "<?todo") and ends at close ("]", "?>"), or at the line's end when a
 * "[TODO:" is not closed on its line. Returns where the scan goes on. */
static const char *placeholder(const rg_source *src, const char *p, const char *end, const char *close, int line,
                               int col, rg_diags *d)
{
    const char *q = strstr(p, close);
    const char *stop = memchr(p, '\n', (size_t)(end - p));
    if (!q || (stop && stop < q && strcmp(close, "]") == 0))
        q = stop ? stop : end; /* unclosed: up to the line's end */
    while (p < q && (*p == ' ' || *p == '\t'))
        p++;
    const char *e = q;
    while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'))
        e--;
    int n = (int)(e - p) > 200 ? 200 : (int)(e - p);
    rg_diag_add(d, RG_SEV_WARNING, src->path, line, col, "placeholder left: %.*s", n, p);
    return q;
}

/* Moves the place (*line, *col) of from on to the place of to. */
static void advance(const char *from, const char *to, int *line, int *col)
{
    for (; from < to; from++)
        if (*from == '\n')
            ++*line, *col = 1;
        else if (((unsigned char)*from & 0xC0) != 0x80)
            ++*col;
}

int rg_source_placeholders(const rg_source *src, rg_diags *d)
{
    static const char text[] = "[TODO:", pi[] = "<?todo";
    const char *p = src->buf, *end = src->buf + src->len, *at = p;
    int line = 1, col = 1, count = 0; /* the place of at: counted only when a placeholder is found */
    while (p && p < end) {
        while (p < end && *p != '<' && *p != '[') /* where the three marks can start */
            p++;
        if (p >= end)
            break;
        if (strncmp(p, "<!--", 4) == 0) {
            const char *q = strstr(p + 4, "-->");
            p = q ? q + 3 : end;
            continue;
        }
        const char *next = NULL;
        if (strncmp(p, text, sizeof text - 1) == 0 ||
            (strncmp(p, pi, sizeof pi - 1) == 0 && (p[6] == ' ' || p[6] == '?' || p[6] == '\n'))) {
            advance(at, p, &line, &col);
            at = p;
            next = *p == '['
                ? placeholder(src, p + sizeof text - 1, end, "]", line, col, d)
                : placeholder(src, p + sizeof pi - 1, end, "?>", line, col, d);
        }
        if (next) {
            count++;
            p = next;
            continue;
        }
        p++;
    }
    return count;
}
