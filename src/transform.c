/* XSLT stages: check rules and layout templates, with the rg: extension
 * functions that keep every figure an exact decimal, and the conversion of
 * the layout document into the plain node tree the layout engine reads. */
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <sys/stat.h>
#include <libxml/xpathInternals.h>
#include <dlfcn.h>
#include <stdatomic.h>
#include <libxslt/extra.h>
#include <libxml/uri.h>
#include <libxslt/documents.h>
#include <libxslt/extensions.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>
#include "transform.h"

#define RG_NS (const xmlChar *)"urn:reportgen"

static int pop_dec_string(xmlXPathParserContextPtr ctxt, rg_dec *v)
{
    xmlChar *s = xmlXPathPopString(ctxt);
    int ok = s && rg_dec_parse((const char *)s, v) == 0;
    xmlFree(s);
    return ok;
}

static void push_dec(xmlXPathParserContextPtr ctxt, rg_dec v)
{
    char buf[48];
    rg_dec_format(v, buf, sizeof buf);
    valuePush(ctxt, xmlXPathNewString((const xmlChar *)buf));
}

static void fn_line(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    xmlNodeSetPtr ns = xmlXPathPopNodeSet(ctxt);
    long line = 0;
    if (ns && ns->nodeNr > 0)
        line = xmlGetLineNo(ns->nodeTab[0]);
    xmlXPathFreeNodeSet(ns);
    valuePush(ctxt, xmlXPathNewFloat((double)(line > 0 ? line : 0)));
}

static void fn_num(xmlXPathParserContextPtr ctxt, int nargs)
{
    rg_dec v;
    if (nargs != 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    if (pop_dec_string(ctxt, &v))
        push_dec(ctxt, v);
    else
        valuePush(ctxt, xmlXPathNewString((const xmlChar *)""));
}

static void fn_sum(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    xmlNodeSetPtr ns = xmlXPathPopNodeSet(ctxt);
    rg_dec total = 0;
    int ok = 1;
    for (int i = 0; ns && i < ns->nodeNr; i++) {
        xmlChar *s = xmlXPathCastNodeToString(ns->nodeTab[i]);
        rg_dec v;
        if (!s || rg_dec_parse((const char *)s, &v) != 0)
            ok = 0;
        else
            total += v;
        xmlFree(s);
    }
    xmlXPathFreeNodeSet(ns);
    if (ok)
        push_dec(ctxt, total);
    else
        valuePush(ctxt, xmlXPathNewString((const xmlChar *)""));
}

/* rg:avg(node-set[, places]): the exact mean, rounded half away from zero
 * to places decimals (default 1). */
static void fn_avg(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs < 1 || nargs > 2) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    int places = 1;
    if (nargs == 2) {
        double pl = xmlXPathPopNumber(ctxt);
        places = pl >= 0 && pl <= 3 ? (int)pl : 1;
    }
    xmlNodeSetPtr ns = xmlXPathPopNodeSet(ctxt);
    rg_dec total = 0;
    int ok = ns && ns->nodeNr > 0;
    for (int i = 0; ok && i < ns->nodeNr; i++) {
        xmlChar *s = xmlXPathCastNodeToString(ns->nodeTab[i]);
        rg_dec v;
        if (!s || rg_dec_parse((const char *)s, &v) != 0)
            ok = 0;
        else
            total += v;
        xmlFree(s);
    }
    int count = ns ? ns->nodeNr : 0;
    xmlXPathFreeNodeSet(ns);
    if (!ok) {
        valuePush(ctxt, xmlXPathNewString((const xmlChar *)""));
        return;
    }
    int64_t q = 1;
    for (int i = places; i < 3; i++)
        q *= 10;
    /* mean in units of 10^-places, rounded half away from zero */
    int64_t den = (int64_t)count * q;
    int64_t m = total >= 0 ? (total + den / 2) / den : -((-total + den / 2) / den);
    push_dec(ctxt, m * q);
}

/* rg:widest(node-set): the most characters any node's value takes as
 * rg:num writes it (0 for a value that is not a decimal, and for no
 * nodes). What a template would get by sorting the nodes on
 * string-length(rg:num(.)): a table sizes its columns by it. */
static void fn_widest(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    xmlNodeSetPtr ns = xmlXPathPopNodeSet(ctxt);
    if (xmlXPathCheckError(ctxt)) {
        xmlXPathFreeNodeSet(ns);
        return;
    }
    size_t widest = 0;
    int oom = 0;
    for (int i = 0; ns && i < ns->nodeNr && !oom; i++) {
        xmlChar *s = xmlXPathCastNodeToString(ns->nodeTab[i]);
        rg_dec v;
        char buf[48];
        if (!s)
            oom = 1;
        else if (rg_dec_parse((const char *)s, &v) == 0) {
            rg_dec_format(v, buf, sizeof buf);
            if (strlen(buf) > widest)
                widest = strlen(buf);
        }
        xmlFree(s);
    }
    xmlXPathFreeNodeSet(ns);
    if (oom) {
        xmlXPathSetError(ctxt, XPATH_MEMORY_ERROR);
        return;
    }
    valuePush(ctxt, xmlXPathNewFloat((double)widest));
}

static void fn_cmp(xmlXPathParserContextPtr ctxt, int nargs)
{
    rg_dec a, b;
    if (nargs != 2) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    int okb = pop_dec_string(ctxt, &b);
    int oka = pop_dec_string(ctxt, &a);
    valuePush(ctxt, xmlXPathNewFloat(!oka || !okb ? NAN : a < b ? -1.0 : a > b ? 1.0 : 0.0));
}

/* rg:grade(score, max[, steps]): the letter of the kind's grades.xml, or of
 * steps, a node-set of elements with letter and min attributes in descending
 * order (a report card's framework carries its own scale). "" when a figure
 * is not a decimal or the steps are not a scale. */
static void fn_grade(xmlXPathParserContextPtr ctxt, int nargs)
{
    rg_dec score, max;
    if (nargs != 2 && nargs != 3) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    rg_grade_scale own = {0};
    int okscale = 1;
    if (nargs == 3) {
        xmlNodeSetPtr ns = xmlXPathPopNodeSet(ctxt);
        if (xmlXPathCheckError(ctxt)) {
            xmlXPathFreeNodeSet(ns);
            return;
        }
        for (int i = 0; ns && i < ns->nodeNr && okscale; i++) {
            xmlNodePtr n = ns->nodeTab[i];
            xmlChar *letter = n->type == XML_ELEMENT_NODE ? xmlGetProp(n, (const xmlChar *)"letter") : NULL;
            xmlChar *min = n->type == XML_ELEMENT_NODE ? xmlGetProp(n, (const xmlChar *)"min") : NULL;
            rg_dec v;
            okscale = letter && min && rg_dec_parse((const char *)min, &v) == 0 &&
                      rg_grade_scale_add(&own, (const char *)letter, v) == 0;
            xmlFree(letter);
            xmlFree(min);
        }
        okscale = okscale && own.n > 0;
        xmlXPathFreeNodeSet(ns);
    }
    int okm = pop_dec_string(ctxt, &max);
    int oks = pop_dec_string(ctxt, &score);
    xsltTransformContextPtr t = xsltXPathGetTransformContext(ctxt);
    const rg_kind *k = t ? t->_private : NULL;
    const rg_grade_scale *scale = nargs == 3 ? (okscale ? &own : NULL) : k ? &k->scale : NULL;
    const char *g = oks && okm && scale ? rg_grade_for(scale, score, max) : NULL;
    valuePush(ctxt, xmlXPathNewString((const xmlChar *)(g ? g : "")));
}

/* Edit distance between two strings, counted in code points: how names
 * written twice ("Gilchrest", "Gilcrest") are compared by check rules. */
int rg_edit_distance(const char *a, const char *b)
{
    int32_t x[128], y[128];
    int n = 0, m = 0, len;
    for (size_t i = 0, la = strlen(a); i < la && n < 128; i += (size_t)len) {
        int32_t c = rg_utf8_decode(a + i, la - i, &len);
        x[n++] = c;
    }
    for (size_t i = 0, lb = strlen(b); i < lb && m < 128; i += (size_t)len) {
        int32_t c = rg_utf8_decode(b + i, lb - i, &len);
        y[m++] = c;
    }
    int row[129];
    for (int j = 0; j <= m; j++)
        row[j] = j;
    for (int i = 1; i <= n; i++) {
        int diag = row[0];
        row[0] = i;
        for (int j = 1; j <= m; j++) {
            int up = row[j];
            int best = diag + (x[i - 1] != y[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

static void fn_distance(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 2) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    xmlChar *b = xmlXPathPopString(ctxt);
    xmlChar *a = xmlXPathPopString(ctxt);
    int d = a && b ? rg_edit_distance((const char *)a, (const char *)b) : -1;
    xmlFree(a);
    xmlFree(b);
    valuePush(ctxt, xmlXPathNewFloat(d < 0 ? NAN : (double)d));
}

/* s with ASCII letters in lower case, in place. */
static void fold_ascii(char *s)
{
    for (; *s; s++)
        if (*s >= 'A' && *s <= 'Z')
            *s = (char)(*s - 'A' + 'a');
}

/* rg:occurring(text, nodes): the nodes whose string value occurs in text,
 * ASCII letters compared without regard to case (a plain substring: the
 * template then decides what counts as a whole word). What a template
 * would write as nodes[contains(text, .)] over fifty names, node by node,
 * in one pass. The text is folded once, each value once, and strstr
 * compares: a card calls this for each of its paragraphs with every
 * state's names. */
static void fn_occurring(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 2) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    xmlNodeSetPtr nodes = xmlXPathPopNodeSet(ctxt);
    if (xmlXPathCheckError(ctxt)) {
        xmlXPathFreeNodeSet(nodes);
        return;
    }
    xmlChar *text = xmlXPathPopString(ctxt);
    xmlNodeSetPtr out = xmlXPathNodeSetCreate(NULL);
    int oom = !text || !out;
    if (text)
        fold_ascii((char *)text);
    for (int i = 0; !oom && nodes && i < nodes->nodeNr; i++) {
        xmlChar *v = xmlXPathCastNodeToString(nodes->nodeTab[i]);
        if (!v) {
            oom = 1;
            break;
        }
        /* spaces in the value as in normalize-space(): "New  York" is "New York" */
        char *w = (char *)v, *q = w;
        int space = 0;
        for (char *c = w; *c; c++) {
            if (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r') {
                space = q > w;
                continue;
            }
            if (space)
                *q++ = ' ';
            space = 0;
            *q++ = *c;
        }
        *q = 0;
        fold_ascii(w);
        if (*w && strstr((const char *)text, w) && xmlXPathNodeSetAdd(out, nodes->nodeTab[i]) < 0)
            oom = 1;
        xmlFree(v);
    }
    xmlFree(text);
    xmlXPathFreeNodeSet(nodes);
    if (oom) {
        xmlXPathFreeNodeSet(out);
        xmlXPathSetError(ctxt, XPATH_MEMORY_ERROR);
        return;
    }
    valuePush(ctxt, xmlXPathWrapNodeSet(out));
}

/* rg:upper(text): text with the ASCII letters in upper case, what
 * translate(text, 'abc...z', 'ABC...Z') gives; libxml2's translate looks
 * each character up in the alphabet, and a paragraph is hundreds. */
static void fn_upper(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    xmlChar *text = xmlXPathPopString(ctxt);
    if (!text) {
        xmlXPathSetError(ctxt, XPATH_MEMORY_ERROR);
        return;
    }
    for (xmlChar *c = text; *c; c++)
        if (*c >= 'a' && *c <= 'z')
            *c = (xmlChar)(*c - 'a' + 'A');
    valuePush(ctxt, xmlXPathWrapString(text));
}

static int ascii_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* rg:years(text): "|2020|2021|", the years (19xx or 20xx, four digits
 * with neither a letter nor a digit on either side) text names, in order;
 * "|" for none. A template would look at each character in turn, one
 * recursive call each. Bytes serve for characters: a digit is one byte,
 * and no byte of a longer UTF-8 character is a letter or a digit. */
static void fn_years(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    xmlChar *text = xmlXPathPopString(ctxt);
    size_t n = text ? strlen((const char *)text) : 0;
    /* each year takes 5 bytes of the answer and at least 4 of the text,
     * then the closing '|' and the NUL: "2021" is "|2021|" */
    xmlChar *out = text ? xmlMalloc(n + n / 4 + 2) : NULL;
    if (!out) {
        xmlFree(text);
        xmlXPathSetError(ctxt, XPATH_MEMORY_ERROR);
        return;
    }
    size_t o = 0;
    const unsigned char *t = text;
    for (size_t i = 0; i + 4 <= n; i++) {
        int digits = 1;
        for (int k = 0; k < 4; k++)
            digits = digits && t[i + (size_t)k] >= '0' && t[i + (size_t)k] <= '9';
        if (digits && (t[i] == '1' ? t[i + 1] == '9' : t[i] == '2' && t[i + 1] == '0') &&
            (i == 0 || !ascii_alnum(t[i - 1])) && !ascii_alnum(t[i + 4])) {
            out[o++] = '|';
            memcpy(out + o, t + i, 4);
            o += 4;
        }
    }
    out[o++] = '|';
    out[o] = 0;
    xmlFree(text);
    valuePush(ctxt, xmlXPathWrapString(out));
}

/* The stylesheet being compiled or applied, for the loader: where its
 * errors go, and how many files it could not read (a document() that
 * failed gives libxslt an empty node-set and no error of its own). */
typedef struct loading { rg_diags *d; int failed; const rg_search *search; } loading;
static _Thread_local loading *now_loading;

/* rg:exists(href): true when href, resolved as document() resolves it
 * against the stylesheet that calls, names a local regular file. Lets a
 * template turn an unknown name (a report card's framework) into a finding
 * on the data's line instead of a failed document(). */
static void fn_exists(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    xmlChar *href = xmlXPathPopString(ctxt);
    xsltTransformContextPtr t = xsltXPathGetTransformContext(ctxt);
    xmlNodePtr inst = t ? t->inst : NULL;
    xmlChar *base = inst && inst->doc ? xmlNodeGetBase(inst->doc, inst) : NULL;
    xmlChar *uri = href && *href ? xmlBuildURI(href, base) : NULL;
    int yes = 0;
    if (uri) {
        const char *u = (const char *)uri;
        if (strncmp(u, "file://", 7) == 0)
            u += 7;
        char *path = strstr(u, "://") ? NULL : xmlURIUnescapeString(u, 0, NULL);
        /* Looked up as document() would load it: the user folders first. */
        char found[4096];
        const rg_search *search = now_loading ? now_loading->search : NULL;
        const char *p = path;
        if (path && search && rg_search_resolve(search, path, found, sizeof found) == 0)
            p = found;
        struct stat st;
        yes = p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
        xmlFree(path);
    }
    xmlFree(uri);
    xmlFree(base);
    xmlFree(href);
    valuePush(ctxt, xmlXPathNewBoolean(yes));
}

/* EXSLT beyond exsl:node-set (math:, str:, set:, date:, dyn:, func:,
 * exsl:object-type), for templates that use it: libexslt, opened when a
 * stylesheet or a file it imports first declares one of its namespaces.
 * Not linked: it brings libgcrypt, whose loading was 2% of a card's time,
 * and the templates here use node-set() alone, which libxslt has (its
 * xsltFunctionNodeSet, registered under EXSLT's name at init). */
static pthread_mutex_t exslt_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int exslt_done;

/* Does the tree at n declare an EXSLT namespace other than common, or
 * call object-type() (an attribute: select, test, a value template)? */
static int wants_exslt(xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (xmlNsPtr ns = n->nsDef; ns; ns = ns->next)
            if (ns->href && strncmp((const char *)ns->href, "http://exslt.org/", 17) == 0 &&
                strcmp((const char *)ns->href, "http://exslt.org/common") != 0)
                return 1;
        for (xmlAttrPtr a = n->properties; a; a = a->next)
            for (xmlNodePtr t = a->children; t; t = t->next)
                if (t->content && strstr((const char *)t->content, "object-type("))
                    return 1;
        if (wants_exslt(n->children))
            return 1;
    }
    return 0;
}

/* Opens libexslt and registers its functions, once, when the stylesheet
 * doc asks for them (wants_exslt). A library that cannot be opened leaves
 * libxslt to say which function it lacks. */
static void exslt_for(xmlDocPtr doc)
{
    if (exslt_done || !doc || !wants_exslt(doc->children))
        return;
    pthread_mutex_lock(&exslt_lock);
    if (!exslt_done) {
        void *h = dlopen("libexslt.so.0", RTLD_NOW | RTLD_GLOBAL);
        void (*reg)(void) = h ? (void (*)(void))dlsym(h, "exsltRegisterAll") : NULL;
        if (reg) {
            reg();
            exslt_done = 1;
        }
    }
    pthread_mutex_unlock(&exslt_lock);
}

/* The one-time setup: our allocator for libxml2 (reserve.c), EXSLT's
 * node-set() and our extension functions. It is not marked done when an allocation failed on
 * the way (a function could be missing): the next call does it all again,
 * which libxml2 and libxslt allow (registering replaces). */
static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;

/* Where libxml2 and libxslt send a message when no stage is listening:
 * nowhere (their default is stderr; a library does not print). Every stage
 * that can fail listens (rg_xml_errors_begin, rg_xslt_compile, rg_xslt_apply). */
static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}


/* libxslt's loader for xsl:import, xsl:include and document(): the files
 * are read as templates are (rg_xml_read_shared: size cap, UTF-8, no DTD,
 * nothing from the network, no decompression), and only local files. The
 * URI is libxslt's, escaped ("my%20data"): the file's name is unescaped. */
static xmlDocPtr load_for_xslt(const xmlChar *uri, xmlDictPtr dict, int options, void *ctxt, xsltLoadType type)
{
    (void)options;
    (void)ctxt;
    (void)type;
    loading *ld = now_loading;
    if (!ld) /* not one of our calls: another user of libxslt in the process */
        return NULL;
    const char *u = (const char *)uri;
    if (strncmp(u, "file://", 7) == 0)
        u += 7;
    else if (strstr(u, "://")) {
        rg_diag_add(ld->d, RG_SEV_ERROR, "", 0, 0, "only local files can be read, not '%s'", u);
        ld->failed++;
        return NULL;
    }
    char *path = xmlURIUnescapeString(u, 0, NULL);
    /* A file in one of the data folders comes from the first folder that
     * has it: a user folder may hold one framework or the common rules. */
    char found[4096];
    if (path && ld->search && rg_search_resolve(ld->search, path, found, sizeof found) == 0 &&
        strcmp(found, path) != 0) {
        char *p2 = (char *)xmlStrdup((const xmlChar *)found);
        if (p2) {
            xmlFree(path);
            path = p2;
        }
    }
    xmlDocPtr doc = !path ? NULL
                    : type == XSLT_LOAD_STYLESHEET ? rg_xml_read_stylesheet(path, dict, ld->d)
                                                   : rg_xml_read_shared(path, dict, ld->d);
    if (type == XSLT_LOAD_STYLESHEET)
        exslt_for(doc);
    if (!path)
        rg_diag_add(ld->d, RG_SEV_ERROR, "", 0, 0, "out of memory");
    xmlFree(path);
    ld->failed += !doc;
    return doc;
}

/* libxslt's generic error channel is one for the whole process, set once
 * (rg_transform_init) to route(), which hands a message to what the
 * calling thread is compiling: two threads may compile at once, each
 * hearing its own stylesheet's errors. */
static _Thread_local struct xslt_err *compiling;
static void route(void *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int init_done;

int rg_transform_init(void)
{
    pthread_mutex_lock(&init_lock);
    if (!init_done && rg_reserve_refill() == 0) {
        unsigned long oom = rg_xml_oom_count();
        rg_lib_pool_begin();
        xmlMemSetup(rg_lib_free, rg_lib_malloc, rg_lib_realloc, rg_lib_strdup);
        xmlInitParser();
        /* libxslt makes its extensions' mutex on the first compile, unlocked:
         * two threads compiling at once (the layout here, the checks beside)
         * made two, one never freed. Made here, before any thread. */
        xsltInitGlobals();
        xmlThrDefSetGenericErrorFunc(NULL, quiet);
        xmlSetGenericErrorFunc(NULL, quiet);
        xsltSetGenericErrorFunc(NULL, route);
        xsltSetLoaderFunc(load_for_xslt);
        xsltRegisterExtModuleFunction((const xmlChar *)"node-set", (const xmlChar *)"http://exslt.org/common",
                                      xsltFunctionNodeSet);
        xsltRegisterExtModuleFunction((const xmlChar *)"line", RG_NS, fn_line);
        xsltRegisterExtModuleFunction((const xmlChar *)"exists", RG_NS, fn_exists);
        xsltRegisterExtModuleFunction((const xmlChar *)"num", RG_NS, fn_num);
        xsltRegisterExtModuleFunction((const xmlChar *)"sum", RG_NS, fn_sum);
        xsltRegisterExtModuleFunction((const xmlChar *)"avg", RG_NS, fn_avg);
        xsltRegisterExtModuleFunction((const xmlChar *)"cmp", RG_NS, fn_cmp);
        xsltRegisterExtModuleFunction((const xmlChar *)"grade", RG_NS, fn_grade);
        xsltRegisterExtModuleFunction((const xmlChar *)"distance", RG_NS, fn_distance);
        xsltRegisterExtModuleFunction((const xmlChar *)"occurring", RG_NS, fn_occurring);
        xsltRegisterExtModuleFunction((const xmlChar *)"years", RG_NS, fn_years);
        xsltRegisterExtModuleFunction((const xmlChar *)"upper", RG_NS, fn_upper);
        xsltRegisterExtModuleFunction((const xmlChar *)"widest", RG_NS, fn_widest);
        init_done = rg_xml_oom_count() == oom;
    }
    int ok = init_done;
    pthread_mutex_unlock(&init_lock);
    return ok ? 0 : -1;
}

typedef struct xslt_err xslt_err;
struct xslt_err {
    rg_diags *d;
    const char *path;
    int count;
    char line[512];    /* libxml2 writes a message in pieces: gathered to its newline */
    size_t used;
    /* libxslt says where before it says what: "runtime error: file F line N
     * element E", then the reason. The place waits here for its reason. */
    int pending;
    char at_file[400], at_elem[64];
    int at_line;
};

static void xslt_report(xslt_err *e, const char *reason)
{
    if (e->count++ > 0) /* the first message is the telling one */
        return;
    if (e->pending)
        rg_diag_add(e->d, RG_SEV_ERROR, e->at_file, e->at_line, e->at_line ? 1 : 0, "template failed in <%s>%s%s",
                    e->at_elem, reason ? ": " : "", reason ? reason : "");
    else
        rg_diag_add(e->d, RG_SEV_ERROR, e->path, 1, 1, "template failed: %s", reason);
}

static void on_xslt_error(void *ud, const char *fmt, ...)
{
    xslt_err *e = ud;
    char piece[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(piece, sizeof piece, fmt, ap);
    va_end(ap);
    size_t pl = strlen(piece);
    if (e->used + pl >= sizeof e->line)
        pl = sizeof e->line - 1 - e->used;
    memcpy(e->line + e->used, piece, pl);
    e->used += pl;
    e->line[e->used] = 0;
    if (!strchr(e->line, '\n') && e->used + 1 < sizeof e->line)
        return;
    char *msg = e->line;
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = 0;
    for (char *c = msg; *c; c++)
        if (*c == '\n')
            *c = ' ';
    char file[400], elem[64];
    int line;
    const char *kind = strncmp(msg, "runtime error: ", 15) == 0 ? msg + 15
                       : strncmp(msg, "compilation error: ", 19) == 0 ? msg + 19 : NULL;
    line = 0;
    snprintf(file, sizeof file, "%s", e->path);
    if (kind && (sscanf(kind, "file %399s line %d element %63s", file, &line, elem) == 3 ||
                 sscanf(kind, "file %399s element %63s", file, elem) == 2 ||
                 sscanf(kind, "element %63s", elem) == 1)) {
        if (e->pending) /* a place with no reason of its own */
            xslt_report(e, NULL);
        e->pending = 1;
        memcpy(e->at_file, file, sizeof file);
        memcpy(e->at_elem, elem, sizeof elem);
        e->at_line = line;
    } else if (n) {
        xslt_report(e, msg);
        e->pending = 0;
    }
    e->used = 0;
    e->line[0] = 0;
}

static void route(void *ctx, const char *fmt, ...)
{
    (void)ctx;
    xslt_err *e = compiling;
    if (!e)
        return; /* not compiling (libxslt's word at run time without a context): nowhere */
    char piece[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(piece, sizeof piece, fmt, ap);
    va_end(ap);
    on_xslt_error(e, "%s", piece);
}

/* A message left without its newline still counts. */
static void flush_xslt_error(xslt_err *e)
{
    if (e->used > 0)
        on_xslt_error(e, "\n");
    if (e->pending)
        xslt_report(e, NULL);
    e->pending = 0;
}

xsltStylesheetPtr rg_xslt_compile(const char *path, const rg_search *search, rg_diags *d)
{
    if (rg_transform_init() != 0) {
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        return NULL;
    }
    xmlDocPtr doc = rg_xml_read_stylesheet(path, NULL, d);
    if (!doc)
        return NULL;
    exslt_for(doc);
    xslt_err e = {.d = d, .path = path};
    loading ld = {d, 0, search};
    unsigned long oom = rg_xml_oom_count();
    compiling = &e;
    now_loading = &ld;
    xsltStylesheetPtr s = xsltParseStylesheetDoc(doc);
    now_loading = NULL;
    compiling = NULL;
    flush_xslt_error(&e);
    e.count += ld.failed;
    if (rg_xml_oom_count() != oom) { /* compiled with a piece missing: never use it */
        rg_diag_add(d, RG_SEV_ERROR, path, 0, 0, "out of memory");
        e.count++;
    }
    if (!s || s->errors || rg_xml_oom_count() != oom) {
        if (e.count == 0)
            rg_diag_add(d, RG_SEV_ERROR, path, 1, 1, "not a valid XSLT stylesheet");
        if (s)
            xsltFreeStylesheet(s);
        else
            xmlFreeDoc(doc);
        return NULL;
    }
    return s;
}

xmlDocPtr rg_xslt_apply(xsltStylesheetPtr s, const char *style_path, xmlDocPtr in,
                        const rg_kind *k, const char **params, rg_diags *d)
{
    xslt_err e = {.d = d, .path = style_path};
    unsigned long oom = rg_xml_oom_count();
    xsltTransformContextPtr t = xsltNewTransformContext(s, in);
    xsltSecurityPrefsPtr sec = xsltNewSecurityPrefs();
    if (!t || !sec || rg_xml_oom_count() != oom) { /* libxslt may hand back a half-made one */
        if (t)
            xsltFreeTransformContext(t);
        xsltFreeSecurityPrefs(sec);
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        return NULL;
    }
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid);
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid);
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid);
    xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid);
    xsltSetCtxtSecurityPrefs(sec, t);
    xsltSetTransformErrorFunc(t, &e, on_xslt_error);
    t->_private = (void *)k;
    /* document() reads through libxml2, which reports a missing file on its
     * own channel (stderr by default): the library never prints, so those
     * messages become diagnostics too. */
    xmlSetGenericErrorFunc(&e, on_xslt_error);
    xmlSetStructuredErrorFunc(NULL, NULL);
    loading ld = {d, 0, k ? k->search : NULL};
    now_loading = &ld;
    xmlDocPtr out = xsltApplyStylesheetUser(s, in, params, NULL, NULL, t);
    now_loading = NULL;
    xmlSetGenericErrorFunc(NULL, quiet);
    flush_xslt_error(&e);
    e.count += ld.failed; /* its message is the loader's */
    int failed = !out || e.count > 0 || t->state != XSLT_STATE_OK;
    xsltFreeTransformContext(t);
    xsltFreeSecurityPrefs(sec);
    if (rg_xml_oom_count() != oom) { /* the output may lack a piece: never use it */
        rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
        e.count++;
        failed = 1;
    }
    if (failed) {
        if (e.count == 0)
            rg_diag_add(d, RG_SEV_ERROR, style_path, 1, 1, "template produced no document");
        xmlFreeDoc(out);
        return NULL;
    }
    return out;
}

static rg_node *convert(rg_arena *a, xmlNodePtr x, rg_node *parent, int lines)
{
    rg_node *n = rg_arena_alloc(a, sizeof *n);
    if (!n)
        return NULL;
    n->parent = parent;
    n->line = lines ? (int)xmlGetLineNo(x) : 0;
    if (x->type == XML_TEXT_NODE || x->type == XML_CDATA_SECTION_NODE) {
        n->kind = RG_N_TEXT;
        n->text = rg_arena_strdup(a, x->content ? (const char *)x->content : "");
        return n->text ? n : NULL;
    }
    n->kind = RG_N_ELEMENT;
    n->name = rg_arena_strdup(a, (const char *)x->name);
    if (!n->name)
        return NULL;
    rg_attr **tail = &n->attr;
    for (xmlAttrPtr at = x->properties; at; at = at->next) {
        xmlChar *v = xmlNodeListGetString(x->doc, at->children, 1);
        rg_attr *ra = rg_arena_alloc(a, sizeof *ra);
        if (ra) {
            ra->name = rg_arena_strdup(a, (const char *)at->name);
            ra->value = rg_arena_strdup(a, v ? (const char *)v : "");
        }
        xmlFree(v);
        if (!ra || !ra->name || !ra->value)
            return NULL;
        *tail = ra;
        tail = &ra->next;
    }
    for (xmlNodePtr c = x->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE && c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
            continue;
        rg_node *cn = convert(a, c, n, lines);
        if (!cn)
            return NULL;
        if (n->last)
            n->last->next = cn;
        else
            n->first = cn;
        n->last = cn;
    }
    return n;
}

rg_node *rg_tree_from_xml(rg_arena *a, xmlDocPtr doc, int lines)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    return root ? convert(a, root, NULL, lines) : NULL;
}

const char *rg_node_attr(const rg_node *n, const char *name)
{
    for (const rg_attr *a = n->attr; a; a = a->next)
        if (strcmp(a->name, name) == 0)
            return a->value;
    return NULL;
}
