/* Report cards from a spreadsheet and back: one row per state, a column per
 * field, the areas' columns named as the framework names the areas
 * (templates/report-card/README.md, "Spreadsheet columns"). A row becomes
 * a data file written one value to a place, so that whatever the schema or
 * the kind's checks say of that file is told at the cell the value came
 * from. Never prints. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sheet.h"
#include "xml.h"

#define MAX_AREAS 40
#define MAX_GROUP 20   /* extra credit items, learn-more entries */
#define DEFAULT_FRAMEWORK "advanced-2021"

enum {
    F_STATE, F_SLUG, F_FRAMEWORK, F_YEAR, F_PUBLISHED, F_TIER, F_RANK, F_SAMPLE, F_THEME, F_TITLE, F_ORG,
    F_OVERALL_SCORE, F_OVERALL_GRADE, F_NFIXED
};

static const struct { const char *header; int required; } FIXED[F_NFIXED] = {
    {"State", 1}, {"Slug", 0}, {"Framework", 0}, {"Year", 1}, {"Published", 1}, {"Tier", 0}, {"Rank", 0},
    {"Sample", 0}, {"Theme", 0}, {"Title", 1}, {"Organization", 1}, {"Overall score", 0}, {"Overall grade", 0},
};

/* The framework's areas, in its order. */
typedef struct framework {
    char id[64];
    int n;
    int number[MAX_AREAS];
    char name[MAX_AREAS][160];
    char max[MAX_AREAS][24];
} framework;

/* Where each field is: a 1-based column, 0 when the sheet has none. */
typedef struct columns {
    int fixed[F_NFIXED];
    int score[MAX_AREAS], grade[MAX_AREAS], highlights[MAX_AREAS];
    int ec_name[MAX_GROUP], ec_points[MAX_GROUP], ec_text[MAX_GROUP];
    int lm_text[MAX_GROUP], lm_label[MAX_GROUP], lm_as[MAX_GROUP];
} columns;

/* One place in a generated file and the cell its value came from. */
typedef struct spot { int line, col, cell; } spot;

typedef struct staged {
    int row;           /* the sheet row */
    int state_col;
    char *name;        /* "alabama.xml" */
    char *path;        /* in the stage folder; NULL when the row is bad */
    char *xml;
    size_t len;
    spot *spot;
    int nspot;
    int bad;
    char *first_error; /* the row's first error, formatted; NULL when none */
} staged;

struct rg_import {
    rg_sheet sheet;
    staged *row;
    int n;
};

const rg_search *rg_context_search(const rg_context *c);

/* ---- small helpers ------------------------------------------------------ */

static int oom(rg_diags *d)
{
    rg_diag_add(d, RG_SEV_ERROR, "", 0, 0, "out of memory");
    return -2;
}

/* Lower case, single spaces, no spaces at the ends: how headers compare. */
static void normal_header(const char *s, char *out, size_t size)
{
    size_t k = 0;
    int space = 0;
    for (; *s && k + 1 < size; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '_') {
            space = k > 0;
            continue;
        }
        if (space && k + 2 < size)
            out[k++] = ' ';
        space = 0;
        out[k++] = (char)(*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s);
    }
    out[k] = 0;
}

/* s without white space at its ends, into out. */
static void trimmed(const char *s, char *out, size_t size)
{
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    if (n >= size)
        n = size - 1;
    memcpy(out, s, n);
    out[n] = 0;
}

static int is_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return 0;
    return 1;
}

/* "New Hampshire" -> "new-hampshire"; letters other than a-z are left out. */
static void slug_of(const char *name, char *out, size_t size)
{
    size_t k = 0;
    int dash = 0;
    for (const char *s = name; *s && k + 2 < size; s++) {
        char c = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
        if (c >= 'a' && c <= 'z') {
            if (dash && k)
                out[k++] = '-';
            dash = 0;
            out[k++] = c;
        } else if (c == ' ' || c == '-') {
            dash = 1;
        }
    }
    out[k] = 0;
}

static int slug_ok(const char *s)
{
    if (!(*s >= 'a' && *s <= 'z'))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s == '-' && s[1] >= 'a' && s[1] <= 'z')))
            return 0;
    return 1;
}

/* ---- the framework and the states --------------------------------------- */

static int read_framework(const rg_search *sp, const char *id, framework *fw, rg_diags *d)
{
    char rel[256], path[4200];
    snprintf(rel, sizeof rel, "templates/report-card/frameworks/%s.xml", id);
    if (rg_search_find(sp, rel, 0, path, sizeof path) != 0)
        return 1;
    xmlDocPtr doc = rg_xml_read_trusted(path, d);
    if (!doc)
        return rg_diags_memory(d) ? -2 : -1;
    memset(fw, 0, sizeof *fw);
    snprintf(fw->id, sizeof fw->id, "%s", id);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr a = root ? root->children : NULL; a; a = a->next) {
        if (a->type != XML_ELEMENT_NODE || strcmp((const char *)a->name, "areas") != 0)
            continue;
        for (xmlNodePtr e = a->children; e && fw->n < MAX_AREAS; e = e->next) {
            if (e->type != XML_ELEMENT_NODE || strcmp((const char *)e->name, "area") != 0)
                continue;
            xmlChar *num = xmlGetProp(e, (const xmlChar *)"number");
            xmlChar *nm = xmlGetProp(e, (const xmlChar *)"name");
            xmlChar *mx = xmlGetProp(e, (const xmlChar *)"max");
            if (num && nm && mx) {
                fw->number[fw->n] = atoi((const char *)num);
                snprintf(fw->name[fw->n], sizeof fw->name[0], "%s", (const char *)nm);
                snprintf(fw->max[fw->n], sizeof fw->max[0], "%s", (const char *)mx);
                fw->n++;
            }
            xmlFree(num);
            xmlFree(nm);
            xmlFree(mx);
        }
    }
    xmlFreeDoc(doc);
    return 0;
}

typedef struct state_names { char name[64][40]; int n; } state_names;

static int read_states(const rg_search *sp, state_names *sn, rg_diags *d)
{
    char path[4200];
    rg_search_find(sp, "templates/common/states.xml", 0, path, sizeof path);
    xmlDocPtr doc = rg_xml_read_trusted(path, d);
    if (!doc)
        return rg_diags_memory(d) ? -2 : -1;
    sn->n = 0;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    for (xmlNodePtr e = root ? root->children : NULL; e && sn->n < 64; e = e->next) {
        if (e->type != XML_ELEMENT_NODE || strcmp((const char *)e->name, "state") != 0)
            continue;
        xmlChar *nm = xmlGetProp(e, (const xmlChar *)"name");
        if (nm)
            snprintf(sn->name[sn->n++], sizeof sn->name[0], "%s", (const char *)nm);
        xmlFree(nm);
    }
    xmlFreeDoc(doc);
    return 0;
}

/* The nearest of names to s, when near enough to be a slip; else NULL. */
static const char *nearest(const char *s, const char *const *names, int n)
{
    const char *best = NULL;
    int bd = 1 << 30;
    for (int i = 0; i < n; i++) {
        int dist = rg_edit_distance(s, names[i]);
        if (dist < bd) {
            bd = dist;
            best = names[i];
        }
    }
    int len = (int)strlen(s);
    return best && bd <= (len < 8 ? 2 : len / 4 + 1) ? best : NULL;
}

/* ---- headers --------------------------------------------------------------- */

#define MAX_HEADERS (MAX_AREAS * 3 + F_NFIXED)

/* The headers with one fixed name: how the reference writes each, the
 * same normalised for comparing, and the column slot it fills. */
typedef struct header_set {
    char shown[MAX_HEADERS][200];
    char text[MAX_HEADERS][200];
    int *slot[MAX_HEADERS];
    int n;
} header_set;

static void header_add(header_set *h, const char *shown, int *slot)
{
    snprintf(h->shown[h->n], sizeof h->shown[0], "%s", shown);
    normal_header(shown, h->text[h->n], sizeof h->text[0]);
    h->slot[h->n++] = slot;
}

static void headers_of(const framework *fw, columns *cols, header_set *h)
{
    h->n = 0;
    for (int i = 0; i < F_NFIXED; i++)
        header_add(h, FIXED[i].header, &cols->fixed[i]);
    for (int i = 0; i < fw->n; i++) {
        char b[200];
        header_add(h, fw->name[i], &cols->score[i]);
        snprintf(b, sizeof b, "%s grade", fw->name[i]);
        header_add(h, b, &cols->grade[i]);
        snprintf(b, sizeof b, "%s highlights", fw->name[i]);
        header_add(h, b, &cols->highlights[i]);
    }
}

/* "extra credit 2 points" -> group slot; NULL when the header is not one. */
static int *numbered(columns *c, const char *norm, int *index)
{
    static const struct { const char *prefix, *suffix; size_t off; } G[] = {
        {"extra credit ", "", offsetof(columns, ec_name)},
        {"extra credit ", " points", offsetof(columns, ec_points)},
        {"extra credit ", " text", offsetof(columns, ec_text)},
        {"learn more ", "", offsetof(columns, lm_text)},
        {"learn more ", " label", offsetof(columns, lm_label)},
        {"learn more ", " label as", offsetof(columns, lm_as)},
    };
    for (size_t g = 0; g < sizeof G / sizeof G[0]; g++) {
        size_t pl = strlen(G[g].prefix);
        if (strncmp(norm, G[g].prefix, pl) != 0)
            continue;
        const char *p = norm + pl;
        int n = 0, digits = 0;
        while (*p >= '0' && *p <= '9' && digits < 3) {
            n = n * 10 + (*p++ - '0');
            digits++;
        }
        if (!digits || n < 1 || n > MAX_GROUP || strcmp(p, G[g].suffix) != 0)
            continue;
        *index = n;
        return (int *)((char *)c + G[g].off) + (n - 1);
    }
    return NULL;
}

static int missing_column(rg_diags *d, const rg_sheet *s, const char *what, const char *why)
{
    rg_sheet_diag(d, s, RG_SEV_ERROR, s->row[0].row, 1, "missing column '%s'%s", what, why);
    return -1;
}

/* Reads the header row into cols. 0, or -1 after saying what is wrong. */
static int read_headers(const rg_sheet *s, const framework *fw, columns *cols, rg_diags *d)
{
    memset(cols, 0, sizeof *cols);
    header_set *h = calloc(1, sizeof *h);
    if (!h)
        return oom(d);
    headers_of(fw, cols, h);
    const rg_sheet_row *hr = &s->row[0];
    int bad = 0;
    for (int c = 1; c <= hr->n; c++) {
        char norm[200];
        normal_header(rg_sheet_text(hr, c), norm, sizeof norm);
        if (!norm[0]) {
            for (int r = 1; r < s->n; r++)
                if (!is_blank(rg_sheet_text(&s->row[r], c))) {
                    rg_sheet_diag(d, s, RG_SEV_ERROR, s->row[r].row, c, "a value in a column without a header");
                    bad = 1;
                    break;
                }
            continue;
        }
        int *slot = NULL, idx = 0;
        for (int i = 0; i < h->n && !slot; i++)
            if (strcmp(norm, h->text[i]) == 0)
                slot = h->slot[i];
        if (!slot)
            slot = numbered(cols, norm, &idx);
        if (!slot) {
            char want[200];
            trimmed(rg_sheet_text(hr, c), want, sizeof want);
            /* compared in lower case, shown as the reference writes it;
               a numbered header ("Extra credt 2") against its group's */
            const char *names[MAX_HEADERS + 6];
            char group[6][40];
            int k = 0, num = 0;
            for (int i = 0; i < h->n; i++)
                names[k++] = h->text[i];
            const char *digits = strpbrk(norm, "0123456789");
            if (digits && (num = atoi(digits)) >= 1 && num <= MAX_GROUP) {
                static const char *pat[6] = {"extra credit %d", "extra credit %d points", "extra credit %d text",
                                             "learn more %d", "learn more %d label", "learn more %d label as"};
                for (int g = 0; g < 6; g++) {
                    snprintf(group[g], sizeof group[g], pat[g], num);
                    names[k++] = group[g];
                }
            }
            const char *near = nearest(norm, names, k);
            char shown[64];
            for (int i = 0; near && i < k; i++)
                if (names[i] == near && i < h->n) {
                    near = h->shown[i];
                } else if (names[i] == near) { /* "extra credit 2" -> "Extra credit 2" */
                    snprintf(shown, sizeof shown, "%c%s", near[0] - 'a' + 'A', near + 1);
                    near = shown;
                    break;
                }
            if (near)
                rg_sheet_diag(d, s, RG_SEV_ERROR, hr->row, c, "unknown column '%s'; did you mean '%s'?", want, near);
            else
                rg_sheet_diag(d, s, RG_SEV_ERROR, hr->row, c,
                              "unknown column '%s' (the columns are listed in templates/report-card/README.md)", want);
            bad = 1;
            continue;
        }
        if (*slot) {
            char cn[16];
            rg_sheet_col_name(*slot, cn, sizeof cn);
            if (s->name)
                rg_sheet_diag(d, s, RG_SEV_ERROR, hr->row, c, "column '%s' is also column %s",
                              rg_sheet_text(hr, c), cn);
            else
                rg_sheet_diag(d, s, RG_SEV_ERROR, hr->row, c, "column '%s' is also column %d",
                              rg_sheet_text(hr, c), *slot);
            bad = 1;
            continue;
        }
        *slot = c;
    }
    if (!bad) {
        for (int i = 0; i < F_NFIXED && !bad; i++)
            if (FIXED[i].required && !cols->fixed[i])
                bad = missing_column(d, s, FIXED[i].header, "") != 0;
        for (int i = 0; i < fw->n && !bad; i++) {
            char b[200];
            if (!cols->score[i])
                bad = missing_column(d, s, fw->name[i], ": the area's score") != 0;
            snprintf(b, sizeof b, "%s highlights", fw->name[i]);
            if (!bad && !cols->highlights[i])
                bad = missing_column(d, s, b, "") != 0;
        }
        if (!bad && !cols->lm_text[0])
            bad = missing_column(d, s, "Learn more 1", ": a card has at least one learn-more entry") != 0;
        for (int i = 0; i < MAX_GROUP && !bad; i++) {
            char b[64];
            int any = cols->ec_name[i] || cols->ec_points[i] || cols->ec_text[i];
            if (any && !cols->ec_name[i])
                snprintf(b, sizeof b, "Extra credit %d", i + 1), bad = missing_column(d, s, b, "") != 0;
            else if (any && !cols->ec_points[i])
                snprintf(b, sizeof b, "Extra credit %d points", i + 1), bad = missing_column(d, s, b, "") != 0;
            else if (any && !cols->ec_text[i])
                snprintf(b, sizeof b, "Extra credit %d text", i + 1), bad = missing_column(d, s, b, "") != 0;
            any = cols->lm_text[i] || cols->lm_label[i] || cols->lm_as[i];
            if (!bad && any && !cols->lm_text[i])
                snprintf(b, sizeof b, "Learn more %d", i + 1), bad = missing_column(d, s, b, "") != 0;
            else if (!bad && any && !cols->lm_label[i])
                snprintf(b, sizeof b, "Learn more %d label", i + 1), bad = missing_column(d, s, b, "") != 0;
            else if (!bad && any && !cols->lm_as[i])
                snprintf(b, sizeof b, "Learn more %d label as", i + 1), bad = missing_column(d, s, b, "") != 0;
        }
    }
    free(h);
    return bad ? -1 : 0;
}

/* ---- the generated file ------------------------------------------------- */

typedef struct out {
    rg_buf b;
    int line, col;    /* where the next byte goes */
    spot *spot;
    int nspot, spot_cap;
    int oom;          /* the spots' memory ran out (the text's: b.oom) */
} xml_out;

static void put(xml_out *o, const char *s, size_t k)
{
    rg_buf_add(&o->b, s, k);
    if (o->b.oom)
        return;
    for (size_t i = 0; i < k; i++) {
        if (s[i] == '\n') {
            o->line++;
            o->col = 1;
        } else if (((unsigned char)s[i] & 0xC0) != 0x80) {
            o->col++;
        }
    }
}

static void puts_(xml_out *o, const char *s)
{
    put(o, s, strlen(s));
}

/* s escaped for XML text or an attribute's value. */
static void put_esc(xml_out *o, const char *s, size_t k)
{
    size_t from = 0;
    for (size_t i = 0; i < k; i++) {
        const char *e = s[i] == '&'   ? "&amp;"
                        : s[i] == '<' ? "&lt;"
                        : s[i] == '>' ? "&gt;"
                        : s[i] == '"' ? "&quot;"
                                      : NULL;
        if (!e)
            continue;
        put(o, s + from, i - from);
        puts_(o, e);
        from = i + 1;
    }
    put(o, s + from, k - from);
}

/* Marks the place where the next byte goes as cell col's. */
static void mark(xml_out *o, int cell)
{
    if (o->oom || !cell)
        return;
    if (o->nspot == o->spot_cap) {
        int cap = o->spot_cap ? o->spot_cap * 2 : 64;
        spot *p = rg_fail_now() ? NULL : realloc(o->spot, (size_t)cap * sizeof *p);
        if (!p) {
            o->oom = 1;
            return;
        }
        o->spot = p;
        o->spot_cap = cap;
    }
    o->spot[o->nspot++] = (spot){o->line, o->col, cell};
}

static void put_attr(xml_out *o, const char *name, const char *value, int cell)
{
    puts_(o, " ");
    mark(o, cell);
    puts_(o, name);
    puts_(o, "=\"");
    put_esc(o, value, strlen(value));
    puts_(o, "\"");
}

/* <name>value</name> on a line of its own, indented. */
static void put_elem(xml_out *o, const char *indent, const char *name, const char *value, int cell)
{
    puts_(o, indent);
    mark(o, cell);
    puts_(o, "<");
    puts_(o, name);
    puts_(o, ">");
    put_esc(o, value, strlen(value));
    puts_(o, "</");
    puts_(o, name);
    puts_(o, ">\n");
}

/* The end of an address in running text: punctuation after it is the sentence's. */
static size_t url_len(const char *s)
{
    size_t n = 0;
    while (s[n] && s[n] != ' ' && s[n] != '\t' && s[n] != '\n' && s[n] != '\r' && s[n] != '<' && s[n] != '"')
        n++;
    while (n && strchr(".,;:!?)'", s[n - 1]))
        n--;
    return n;
}

static int url_at(const char *s)
{
    return strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0;
}

/* A learn-more cell: text in which an address (https://...) becomes a link
 * showing the address without its scheme, and [text](https://...) a link
 * showing the text. */
static void put_entry_text(xml_out *o, const char *s)
{
    const char *from = s;
    for (const char *p = s; *p;) {
        if (*p == '[') {
            const char *close = strstr(p, "](");
            const char *end = close ? strchr(close + 2, ')') : NULL;
            if (close && end && url_at(close + 2) && !memchr(p, '\n', (size_t)(close - p))) {
                put_esc(o, from, (size_t)(p - from));
                puts_(o, "<link href=\"");
                put_esc(o, close + 2, (size_t)(end - close - 2));
                puts_(o, "\">");
                put_esc(o, p + 1, (size_t)(close - p - 1));
                puts_(o, "</link>");
                p = from = end + 1;
                continue;
            }
        }
        if (url_at(p) && (p == s || p[-1] == ' ' || p[-1] == '(' || p[-1] == '\n')) {
            size_t n = url_len(p);
            size_t scheme = p[4] == 's' ? 8 : 7;
            if (n > scheme) {
                put_esc(o, from, (size_t)(p - from));
                puts_(o, "<link href=\"");
                put_esc(o, p, n);
                puts_(o, "\">");
                put_esc(o, p + scheme, n - scheme);
                puts_(o, "</link>");
                p = from = p + n;
                continue;
            }
        }
        p++;
    }
    put_esc(o, from, strlen(from));
}

/* ---- a row ---------------------------------------------------------------- */

typedef struct ctx_row {
    const rg_sheet *s;
    const rg_sheet_row *r;
    const columns *c;
    rg_diags *d;
    int bad;
} ctx_row;

static const char *cell(ctx_row *x, int col)
{
    return col ? rg_sheet_text(x->r, col) : "";
}

static void row_error(ctx_row *x, int col, const char *fmt, const char *a, const char *b)
{
    rg_sheet_diag(x->d, x->s, RG_SEV_ERROR, x->r->row, col, fmt, a, b);
    x->bad = 1;
}

/* A required cell's value, trimmed; "" after saying it is empty. */
static const char *need(ctx_row *x, int col, const char *what, const char *hint, char *buf, size_t size)
{
    trimmed(cell(x, col), buf, size);
    if (!buf[0])
        row_error(x, col, "no value for '%s'%s", what, hint);
    return buf;
}

/* A decimal as the schema takes it: digits, an optional point and up to three more. */
static void check_number(ctx_row *x, int col, const char *what, const char *v, const char *hint)
{
    if (!*v)
        return;
    int digits = 0, frac = -1;
    const char *p = v;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++, frac += frac >= 0;
        else if (*p == '.' && frac < 0)
            frac = 0;
        else
            break;
    }
    if (*p || !digits || frac == 0) {
        char m[200];
        snprintf(m, sizeof m, "%s '%%s' is not a number (write %s)", what, hint);
        row_error(x, col, m, v, "");
    } else if (frac > 3) {
        char m[200];
        snprintf(m, sizeof m, "%s '%%s' has more than three decimal places%s", what, "");
        row_error(x, col, m, v, "");
    }
}

/* Days since 1899-12-30 (a spreadsheet's date number) as YYYY-MM-DD. */
static int serial_date(const char *v, char *out, size_t size)
{
    char *end;
    long n = strtol(v, &end, 10);
    if (end == v || (*end && *end != '.') || n < 1 || n > 2958465)
        return -1;
    long z = n - 25569 + 719468; /* days from 1970-01-01, then from 0000-03-01 */
    long era = z / 146097, doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, dd = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(out, size, "%04ld-%02ld-%02ld", y + (m <= 2), m, dd);
    return 0;
}

static void check_date(ctx_row *x, int col, char *v, size_t size)
{
    if (!*v)
        return;
    if (rg_sheet_is_number(x->r, col) && serial_date(v, v, size) == 0)
        return; /* a date cell of a workbook */
    int y, m, dd, k = 0;
    if (sscanf(v, "%4d-%2d-%2d%n", &y, &m, &dd, &k) == 3 && !v[k] && strlen(v) == 10)
        return;
    char hint[64] = "2021-11-01";
    if (sscanf(v, "%d/%d/%d%n", &m, &dd, &y, &k) == 3 && !v[k] && m >= 1 && m <= 12 && dd >= 1 && dd <= 31 &&
        y >= 1000)
        snprintf(hint, sizeof hint, "%04d-%02d-%02d", y, m, dd);
    row_error(x, col, "date '%s' is not a date as the card writes it: write it as %s", v, hint);
}

typedef struct row_values {
    char state[200], slug[200], fw[64], year[32], published[32], tier[32], rank[32], sample[8], theme[64];
    char title[2048], org[1024], oscore[32], ograde[16];
} row_values;

static void row_xml(ctx_row *x, const framework *fw, const row_values *v, xml_out *o)
{
    const columns *c = x->c;
    char buf[64];
    puts_(o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<report-card");
    if (v->fw[0])
        put_attr(o, "framework", v->fw, c->fixed[F_FRAMEWORK]);
    put_attr(o, "year", v->year, c->fixed[F_YEAR]);
    if (v->tier[0])
        put_attr(o, "tier", v->tier, c->fixed[F_TIER]);
    if (v->rank[0])
        put_attr(o, "rank", v->rank, c->fixed[F_RANK]);
    put_attr(o, "published", v->published, c->fixed[F_PUBLISHED]);
    if (v->sample[0])
        put_attr(o, "sample", v->sample, c->fixed[F_SAMPLE]);
    if (v->theme[0])
        put_attr(o, "theme", v->theme, c->fixed[F_THEME]);
    puts_(o, ">\n  <state");
    put_attr(o, "name", v->state, c->fixed[F_STATE]);
    put_attr(o, "slug", v->slug, c->fixed[F_SLUG] ? c->fixed[F_SLUG] : c->fixed[F_STATE]);
    puts_(o, "/>\n");
    put_elem(o, "  ", "title", v->title, c->fixed[F_TITLE]);
    put_elem(o, "  ", "organization", v->org, c->fixed[F_ORG]);
    puts_(o, "  <issues>\n");
    for (int i = 0; i < fw->n; i++) {
        char score[64], grade[32];
        trimmed(cell(x, c->score[i]), score, sizeof score);
        trimmed(cell(x, c->grade[i]), grade, sizeof grade);
        puts_(o, "    <issue");
        snprintf(buf, sizeof buf, "%d", fw->number[i]);
        put_attr(o, "number", buf, c->score[i]);
        put_attr(o, "score", score, c->score[i]);
        put_attr(o, "max", fw->max[i], c->score[i]);
        if (grade[0])
            put_attr(o, "grade", grade, c->grade[i]);
        puts_(o, ">\n");
        put_elem(o, "      ", "name", fw->name[i], c->score[i]);
        put_elem(o, "      ", "highlights", cell(x, c->highlights[i]), c->highlights[i]);
        puts_(o, "    </issue>\n");
    }
    puts_(o, "  </issues>\n");
    int items = 0;
    for (int i = 0; i < MAX_GROUP; i++) {
        if (!c->ec_name[i] || is_blank(cell(x, c->ec_name[i])))
            continue;
        if (!items++)
            puts_(o, "  <extra-credit>\n");
        char pts[64];
        trimmed(cell(x, c->ec_points[i]), pts, sizeof pts);
        puts_(o, "    <item");
        put_attr(o, "points", pts, c->ec_points[i]);
        puts_(o, ">\n");
        put_elem(o, "      ", "name", cell(x, c->ec_name[i]), c->ec_name[i]);
        put_elem(o, "      ", "text", cell(x, c->ec_text[i]), c->ec_text[i]);
        puts_(o, "    </item>\n");
    }
    if (items)
        puts_(o, "  </extra-credit>\n");
    if (v->oscore[0] || v->ograde[0]) {
        puts_(o, "  <overall");
        if (v->oscore[0])
            put_attr(o, "score", v->oscore, c->fixed[F_OVERALL_SCORE]);
        if (v->ograde[0])
            put_attr(o, "grade", v->ograde, c->fixed[F_OVERALL_GRADE]);
        puts_(o, "/>\n");
    }
    puts_(o, "  <learn-more>\n");
    for (int i = 0; i < MAX_GROUP; i++) {
        if (!c->lm_text[i] || is_blank(cell(x, c->lm_text[i])))
            continue;
        char label[512], as[32];
        trimmed(cell(x, c->lm_label[i]), label, sizeof label);
        trimmed(cell(x, c->lm_as[i]), as, sizeof as);
        puts_(o, "    <entry");
        put_attr(o, "label", label, c->lm_label[i]);
        put_attr(o, "label-as", as, c->lm_as[i]);
        puts_(o, ">");
        mark(o, c->lm_text[i]);
        put_entry_text(o, cell(x, c->lm_text[i]));
        puts_(o, "</entry>\n");
    }
    puts_(o, "  </learn-more>\n</report-card>\n");
}

/* A control character other than tab and line breaks: not allowed in XML. */
static int control_char(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r')
            return (unsigned char)*s;
    return 0;
}

/* Checks row r's cells and writes its file into st. 0, -1 bad, -2 memory. */
static int do_row(ctx_row *x, const framework *fw, const state_names *sn, staged *st, int first_of_state[64])
{
    const columns *c = x->c;
    row_values *v = calloc(1, sizeof *v);
    if (!v)
        return oom(x->d);
    for (int i = 1; i <= x->r->n; i++) {
        int cc = control_char(rg_sheet_text(x->r, i));
        if (cc) {
            char m[80];
            snprintf(m, sizeof m, "a control character (U+%04X) in the cell: delete it", cc);
            row_error(x, i, "%s%s", m, "");
        }
    }
    need(x, c->fixed[F_STATE], "State", " (write the state's name, as Texas)", v->state, sizeof v->state);
    st->state_col = c->fixed[F_STATE];
    if (v->state[0]) {
        int k = -1;
        const char *names[64];
        for (int i = 0; i < sn->n; i++) {
            names[i] = sn->name[i];
            if (strcmp(sn->name[i], v->state) == 0)
                k = i;
        }
        if (k < 0) {
            const char *near = nearest(v->state, names, sn->n);
            for (int i = 0; !near && i < sn->n; i++)
                if (strcasecmp(sn->name[i], v->state) == 0)
                    near = sn->name[i];
            if (near)
                row_error(x, c->fixed[F_STATE], "state name '%s' is not a US state or DC; did you mean '%s'?", v->state,
                          near);
            else
                row_error(x, c->fixed[F_STATE], "state name '%s' is not a US state or DC%s", v->state, "");
        } else if (first_of_state[k]) {
            char at[64];
            if (x->s->name) {
                char cn[16];
                rg_sheet_col_name(c->fixed[F_STATE], cn, sizeof cn);
                snprintf(at, sizeof at, "row %d", first_of_state[k]);
            } else {
                snprintf(at, sizeof at, "line %d", first_of_state[k]);
            }
            row_error(x, c->fixed[F_STATE], "a second row for '%s' (the first is on %s)", v->state, at);
        } else {
            first_of_state[k] = x->r->row;
        }
    }
    trimmed(cell(x, c->fixed[F_SLUG]), v->slug, sizeof v->slug);
    if (!v->slug[0])
        slug_of(v->state, v->slug, sizeof v->slug);
    else if (!slug_ok(v->slug)) {
        char want[200];
        slug_of(v->slug, want, sizeof want);
        row_error(x, c->fixed[F_SLUG], "slug '%s' is not lower-case words joined by hyphens (write %s)", v->slug,
                  want[0] ? want : "new-hampshire");
    }
    trimmed(cell(x, c->fixed[F_FRAMEWORK]), v->fw, sizeof v->fw);
    if (v->fw[0] && strcmp(v->fw, fw->id) != 0)
        row_error(x, c->fixed[F_FRAMEWORK],
                  "framework '%s' differs from the sheet's, '%s': a sheet holds the cards of one framework",
                  v->fw, fw->id);
    need(x, c->fixed[F_YEAR], "Year", " (write it as 2021)", v->year, sizeof v->year);
    if (v->year[0] && (strlen(v->year) != 4 || strspn(v->year, "0123456789") != 4))
        row_error(x, c->fixed[F_YEAR], "year '%s' is not a year (write it as 2021)%s", v->year, "");
    need(x, c->fixed[F_PUBLISHED], "Published", " (write the date as 2021-11-01)", v->published, sizeof v->published);
    check_date(x, c->fixed[F_PUBLISHED], v->published, sizeof v->published);
    trimmed(cell(x, c->fixed[F_TIER]), v->tier, sizeof v->tier);
    trimmed(cell(x, c->fixed[F_RANK]), v->rank, sizeof v->rank);
    if (v->rank[0] && strspn(v->rank, "0123456789") != strlen(v->rank))
        row_error(x, c->fixed[F_RANK], "rank '%s' is not a whole number (write 12)%s", v->rank, "");
    trimmed(cell(x, c->fixed[F_SAMPLE]), v->sample, sizeof v->sample);
    if (strcasecmp(v->sample, "yes") == 0 || strcasecmp(v->sample, "true") == 0)
        strcpy(v->sample, "yes");
    else if (strcasecmp(v->sample, "no") == 0 || strcasecmp(v->sample, "false") == 0)
        strcpy(v->sample, "no");
    else if (v->sample[0])
        row_error(x, c->fixed[F_SAMPLE], "sample '%s' is neither yes nor no%s", v->sample, "");
    trimmed(cell(x, c->fixed[F_THEME]), v->theme, sizeof v->theme);
    need(x, c->fixed[F_TITLE], "Title", "", v->title, sizeof v->title);
    need(x, c->fixed[F_ORG], "Organization", "", v->org, sizeof v->org);
    trimmed(cell(x, c->fixed[F_OVERALL_SCORE]), v->oscore, sizeof v->oscore);
    check_number(x, c->fixed[F_OVERALL_SCORE], "score", v->oscore, "43.5");
    trimmed(cell(x, c->fixed[F_OVERALL_GRADE]), v->ograde, sizeof v->ograde);
    for (int i = 0; i < fw->n; i++) {
        char score[64], hl[8];
        need(x, c->score[i], fw->name[i], " (write the area's score, as 9 or 9.5)", score, sizeof score);
        check_number(x, c->score[i], "score", score, "9 or 9.5");
        /* the schema's own bound (1000) would speak first, in its words */
        if (!x->bad && strtod(score, NULL) > 1000 && fw->max[i][0])
            row_error(x, c->score[i], "score %s exceeds its maximum %s", score, fw->max[i]);
        char what[200];
        snprintf(what, sizeof what, "%s highlights", fw->name[i]);
        need(x, c->highlights[i], what, "", hl, sizeof hl);
    }
    for (int i = 0; i < MAX_GROUP; i++) {
        if (!c->ec_name[i])
            continue;
        int any = !is_blank(cell(x, c->ec_name[i])) || !is_blank(cell(x, c->ec_points[i])) ||
                  !is_blank(cell(x, c->ec_text[i]));
        if (!any)
            continue;
        char what[64], b[64];
        snprintf(what, sizeof what, "Extra credit %d", i + 1);
        need(x, c->ec_name[i], what, "", b, sizeof b);
        snprintf(what, sizeof what, "Extra credit %d points", i + 1);
        need(x, c->ec_points[i], what, " (write 1 or 1.5)", b, sizeof b);
        check_number(x, c->ec_points[i], "points", b, "1 or 1.5");
        snprintf(what, sizeof what, "Extra credit %d text", i + 1);
        need(x, c->ec_text[i], what, "", b, sizeof b);
    }
    int entries = 0;
    for (int i = 0; i < MAX_GROUP; i++) {
        if (!c->lm_text[i])
            continue;
        int any = !is_blank(cell(x, c->lm_text[i])) || !is_blank(cell(x, c->lm_label[i])) ||
                  !is_blank(cell(x, c->lm_as[i]));
        if (!any)
            continue;
        entries++;
        char what[64], b[64];
        snprintf(what, sizeof what, "Learn more %d", i + 1);
        need(x, c->lm_text[i], what, "", b, sizeof b);
        snprintf(what, sizeof what, "Learn more %d label", i + 1);
        need(x, c->lm_label[i], what, "", b, sizeof b);
        snprintf(what, sizeof what, "Learn more %d label as", i + 1);
        need(x, c->lm_as[i], what, " (write run-in or heading)", b, sizeof b);
        if (b[0] && strcmp(b, "run-in") != 0 && strcmp(b, "heading") != 0)
            row_error(x, c->lm_as[i], "'%s' is not a way to show a label: write run-in or heading%s", b, "");
    }
    if (!entries)
        row_error(x, c->lm_text[0], "no value for '%s'%s", "Learn more 1",
                  ": a card has at least one learn-more entry");
    int rc = x->bad ? -1 : 0;
    if (!x->bad) {
        xml_out o = {{0}, 1, 1, NULL, 0, 0, 0};
        row_xml(x, fw, v, &o);
        if (o.oom || o.b.oom) {
            free(o.b.s);
            free(o.spot);
            rc = oom(x->d);
        } else {
            st->xml = o.b.s;
            st->len = o.b.n;
            st->spot = o.spot;
            st->nspot = o.nspot;
        }
    }
    if (rc == 0 || v->slug[0]) {
        char name[256];
        snprintf(name, sizeof name, "%s.xml", v->slug[0] ? v->slug : "row");
        if (!(st->name = strdup(name)))
            rc = oom(x->d);
    }
    free(v);
    return rc;
}

/* ---- staging and checking ------------------------------------------------ */

/* Keeps the first error among d's entries from index from as st's. */
static void keep_first_error(staged *st, const rg_diags *d, size_t from)
{
    for (size_t i = from; !st->first_error && i < rg_diags_count(d); i++) {
        const rg_diag *g = rg_diags_get(d, i);
        if (g->severity != RG_SEV_ERROR)
            continue;
        char buf[2048];
        rg_diag_format(g, buf, sizeof buf);
        st->first_error = strdup(buf);
    }
}

/* The cell that wrote what line:col of st points at. */
static int cell_at(const staged *st, int line, int col)
{
    int on_line = 0;
    for (int i = 0; i < st->nspot; i++) {
        if (st->spot[i].line == line && st->spot[i].col == col)
            return st->spot[i].cell;
        if (st->spot[i].line == line && !on_line)
            on_line = st->spot[i].cell;
    }
    return on_line ? on_line : st->state_col;
}

static const staged *staged_of(const rg_import *im, const char *file)
{
    for (int i = 0; file && i < im->n; i++)
        if (im->row[i].path && strcmp(im->row[i].path, file) == 0)
            return &im->row[i];
    return NULL;
}

void rg_import_remap(const rg_import *im, const rg_diag *g, rg_diags *d)
{
    const staged *st = staged_of(im, g->file);
    if (!st) {
        rg_diag_add(d, g->severity, g->file, g->line, g->col, "%s", g->message);
        return;
    }
    rg_sheet_diag(d, &im->sheet, g->severity, st->row, cell_at(st, g->line, g->col), "%s", g->message);
}

int rg_import_remap_text(const rg_import *im, const char *msg, char *buf, size_t size)
{
    for (int i = 0; i < im->n; i++) {
        const staged *st = &im->row[i];
        size_t k = st->path ? strlen(st->path) : 0;
        if (!k || strncmp(msg, st->path, k) != 0 || msg[k] != ':')
            continue;
        int line = 0, col = 0, used = 0;
        if (sscanf(msg + k, ":%d:%d: %n", &line, &col, &used) != 2 || !used)
            continue;
        rg_diags *d = rg_diags_new();
        if (!d)
            return -1;
        const char *sev = msg + k + used;
        rg_severity sv = strncmp(sev, "warning: ", 9) == 0 ? RG_SEV_WARNING : RG_SEV_ERROR;
        const char *text = strchr(sev, ':') ? strchr(sev, ':') + 2 : sev;
        rg_diag g = {st->path, line, col, sv, text};
        rg_import_remap(im, &g, d);
        if (rg_diags_count(d))
            rg_diag_format(rg_diags_get(d, 0), buf, size);
        rg_diags_free(d);
        return 0;
    }
    snprintf(buf, size, "%s", msg);
    return 0;
}

size_t rg_import_count(const rg_import *im)
{
    return im ? (size_t)im->n : 0;
}

const char *rg_import_staged(const rg_import *im, size_t i)
{
    return i < (size_t)im->n && !im->row[i].bad ? im->row[i].path : NULL;
}

const char *rg_import_name(const rg_import *im, size_t i)
{
    return i < (size_t)im->n && im->row[i].name ? im->row[i].name : "row.xml";
}

const char *rg_import_error(const rg_import *im, size_t i)
{
    return i < (size_t)im->n ? im->row[i].first_error : NULL;
}

void rg_import_where(const rg_import *im, size_t i, char *buf, size_t size)
{
    const rg_sheet *s = &im->sheet;
    const staged *st = i < (size_t)im->n ? &im->row[i] : NULL;
    int row = st ? st->row : 0, col = st && st->state_col ? st->state_col : 1;
    if (s->name) {
        char cn[16];
        rg_sheet_col_name(col, cn, sizeof cn);
        snprintf(buf, size, "%s:%s!%s%d", s->path, s->name, cn, row);
    } else {
        snprintf(buf, size, "%s:%d:%d", s->path, row, col);
    }
}

void rg_import_free(rg_import *im)
{
    if (!im)
        return;
    for (int i = 0; i < im->n; i++) {
        if (im->row[i].path)
            unlink(im->row[i].path);
        free(im->row[i].path);
        free(im->row[i].name);
        free(im->row[i].xml);
        free(im->row[i].spot);
        free(im->row[i].first_error);
    }
    free(im->row);
    rg_sheet_free(&im->sheet);
    free(im);
}

static int write_file(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            unlink(path);
            return -1;
        }
        done += (size_t)w;
    }
    if (close(fd) != 0) {
        unlink(path);
        return -1;
    }
    return 0;
}

/* The rows' files checked one by one, then together (a rank held twice). */
static rg_status check_staged(rg_context *c, rg_import *im, int strict, rg_diags *d)
{
    const char **paths = calloc((size_t)im->n + 1, sizeof *paths);
    if (!paths)
        return oom(d), RG_EOUTPUT;
    size_t np = 0;
    rg_status worst = RG_OK;
    for (int i = 0; i < im->n; i++) {
        staged *st = &im->row[i];
        if (st->bad)
            continue;
        rg_diags *one = rg_diags_new();
        if (!one) {
            free(paths);
            return oom(d), RG_EOUTPUT;
        }
        rg_status s = rg_check_file(c, st->path, strict, one);
        size_t from = rg_diags_count(d);
        for (size_t k = 0; k < rg_diags_count(one); k++)
            rg_import_remap(im, rg_diags_get(one, k), d);
        keep_first_error(st, d, from);
        rg_diags_free(one);
        if (s == RG_EOUTPUT) {
            free(paths);
            return RG_EOUTPUT;
        }
        if (s != RG_OK)
            st->bad = 1, worst = RG_EINPUT;
        else
            paths[np++] = st->path;
    }
    rg_diags *set = rg_diags_new();
    rg_status s = set ? rg_check_set(c, paths, np, strict, set) : RG_EOUTPUT;
    for (size_t k = 0; set && k < rg_diags_count(set); k++) {
        const rg_diag *g = rg_diags_get(set, k);
        size_t from = rg_diags_count(d);
        rg_import_remap(im, g, d);
        staged *st = (staged *)staged_of(im, g->file);
        if (st && (g->severity == RG_SEV_ERROR || strict)) {
            st->bad = 1;
            keep_first_error(st, d, from);
        }
    }
    rg_diags_free(set);
    free(paths);
    if (s == RG_EOUTPUT)
        return RG_EOUTPUT;
    return s != RG_OK ? RG_EINPUT : worst;
}

static int apply_template(rg_context *c, rg_sheet *s, const char *path, rg_diags *d);

rg_status rg_import_stage(rg_context *c, const char *sheet_path, const rg_import_options *opt, const char *stage,
                          rg_import **out, rg_diags *d)
{
    int strict = opt->strict;
    *out = NULL;
    rg_import *im = calloc(1, sizeof *im);
    if (!im)
        return oom(d), RG_EOUTPUT;
    rg_status st = rg_sheet_read(&im->sheet, sheet_path, opt->sheet, d);
    if (st != RG_OK) {
        free(im);
        return st;
    }
    rg_sheet *s = &im->sheet;
    int t = s->n >= 2 && opt->template_card ? apply_template(c, s, opt->template_card, d) : 0;
    if (t != 0) {
        rg_import_free(im);
        return t == -2 ? RG_EOUTPUT : RG_EINPUT;
    }
    if (s->n < 2) {
        if (s->name)
            rg_diag_add(d, RG_SEV_ERROR, sheet_path, 0, 0, "sheet '%s' %s (the workbook's sheets: %s)", s->name,
                        s->n ? "has no rows under its header row" : "is empty", s->sheets ? s->sheets : "");
        else
            rg_diag_add(d, RG_SEV_ERROR, sheet_path, 0, 0, "%s",
                        s->n ? "no rows under the header row" : "the sheet is empty");
        rg_import_free(im);
        return RG_EINPUT;
    }
    const rg_search *sp = rg_context_search(c);
    /* The framework: the first row's, else the default. */
    framework *fw = calloc(1, sizeof *fw);
    state_names *sn = calloc(1, sizeof *sn);
    columns *cols = calloc(1, sizeof *cols);
    im->row = calloc((size_t)s->n, sizeof *im->row);
    if (!fw || !sn || !cols || !im->row) {
        free(fw), free(sn), free(cols), rg_import_free(im);
        return oom(d), RG_EOUTPUT;
    }
    char id[64] = DEFAULT_FRAMEWORK;
    int fwcol = 0, fwrow = 0;
    const rg_sheet_row *hr = &s->row[0];
    for (int k = 1; k <= hr->n && !fwcol; k++) {
        char norm[96];
        normal_header(rg_sheet_text(hr, k), norm, sizeof norm);
        if (strcmp(norm, "framework") == 0)
            fwcol = k;
    }
    for (int r = 1; fwcol && r < s->n && !fwrow; r++) {
        char v[64];
        trimmed(rg_sheet_text(&s->row[r], fwcol), v, sizeof v);
        if (v[0])
            snprintf(id, sizeof id, "%s", v), fwrow = r;
    }
    int rc = 0;
    int fr = slug_ok(id) || strspn(id, "abcdefghijklmnopqrstuvwxyz0123456789-") == strlen(id)
                 ? read_framework(sp, id, fw, d) : 1;
    if (fr == 1) {
        rg_sheet_diag(d, s, RG_SEV_ERROR, fwrow ? s->row[fwrow].row : hr->row, fwcol ? fwcol : 1,
                      "unknown framework '%s' (templates/report-card/frameworks/ has none of that name)", id);
        rc = -1;
    } else if (fr != 0) {
        rc = fr;
    }
    if (rc == 0)
        rc = read_states(sp, sn, d);
    if (rc == 0)
        rc = read_headers(s, fw, cols, d);
    int first_of_state[64] = {0};
    int any_bad = rc != 0;
    for (int r = 1; rc == 0 && r < s->n; r++) {
        staged *stg = &im->row[im->n++];
        stg->row = s->row[r].row;
        ctx_row x = {s, &s->row[r], cols, d, 0};
        size_t from = rg_diags_count(d);
        int k = do_row(&x, fw, sn, stg, first_of_state);
        keep_first_error(stg, d, from);
        if (k == -2)
            rc = -2;
        stg->bad = k != 0;
        any_bad |= stg->bad;
    }
    /* Two rows writing one file (the same slug). */
    for (int i = 0; rc == 0 && i < im->n; i++)
        for (int k = 0; k < i && !im->row[i].bad; k++)
            if (!im->row[k].bad && strcmp(im->row[i].name, im->row[k].name) == 0) {
                rg_sheet_diag(d, s, RG_SEV_ERROR, im->row[i].row, cols->fixed[F_SLUG] ? cols->fixed[F_SLUG] : 1,
                              "this row and the row at %d would both write %s", im->row[k].row, im->row[i].name);
                im->row[i].bad = any_bad = 1;
            }
    for (int i = 0; rc == 0 && i < im->n; i++) {
        staged *stg = &im->row[i];
        if (stg->bad)
            continue;
        size_t n = strlen(stage) + strlen(stg->name) + 2;
        if (!(stg->path = malloc(n))) {
            rc = -2;
            break;
        }
        snprintf(stg->path, n, "%s/%s", stage, stg->name);
        if (write_file(stg->path, stg->xml, stg->len) != 0) {
            rg_diag_add(d, RG_SEV_ERROR, stg->path, 0, 0, "cannot write: %s", strerror(errno));
            free(stg->path);
            stg->path = NULL;
            rc = -3;
        }
    }
    free(fw);
    free(sn);
    free(cols);
    if (rc == -2 || rc == -3 || (rc == -1 && im->n == 0)) {
        if (rc == -2)
            oom(d);
        rg_import_free(im);
        return rc == -1 ? RG_EINPUT : RG_EOUTPUT;
    }
    st = check_staged(c, im, strict, d);
    *out = im;
    if (st == RG_EOUTPUT)
        return st;
    return any_bad || st != RG_OK ? RG_EINPUT : RG_OK;
}

/* ---- import: every row or nothing ----------------------------------------- */

static int write_atomic(const char *dir, const char *name, const char *data, size_t len)
{
    size_t n = strlen(dir) + strlen(name) + 32;
    char *path = malloc(n), *tmp = malloc(n);
    int rc = -1;
    if (path && tmp) {
        snprintf(path, n, "%s/%s", dir, name);
        snprintf(tmp, n, "%s/.%s.XXXXXX", dir, name);
        int fd = mkstemp(tmp);
        if (fd >= 0) {
            size_t done = 0;
            while (done < len) {
                ssize_t w = write(fd, data + done, len - done);
                if (w < 0 && errno == EINTR)
                    continue;
                if (w <= 0)
                    break;
                done += (size_t)w;
            }
            (void)fchmod(fd, 0644);
            int ok = done == len && fsync(fd) == 0;
            ok = close(fd) == 0 && ok;
            if (ok && rename(tmp, path) == 0)
                rc = 0;
            else {
                int e = errno;
                unlink(tmp);
                errno = e;
            }
        }
    }
    free(path);
    free(tmp);
    return rc;
}

/* Writes data into a new temporary file in dir (its name into tmp, which
 * has room for dir + 32): 0, or -1 with errno set and nothing left. */
static int write_temp(const char *dir, const char *data, size_t len, char *tmp, size_t size, mode_t mode)
{
    snprintf(tmp, size, "%s/.import.XXXXXX", dir);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return -1;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    int ok = done == len && fchmod(fd, mode) == 0 && fsync(fd) == 0;
    int e = errno;
    ok = close(fd) == 0 && ok;
    if (ok)
        return 0;
    if (done == len && !e)
        e = errno ? errno : EIO;
    unlink(tmp);
    errno = e ? e : ENOSPC;
    return -1;
}

/* Puts the rows' files into out_dir all at once, or none of them: a new
 * folder is filled under a temporary name and then renamed; in an existing
 * one every file is written in full under a temporary name before the
 * first is renamed to its own. */
static rg_status publish(const rg_import *im, const char *out_dir, rg_diags *d)
{
    mode_t um = umask(0);
    umask(um);
    struct stat sb;
    int exists = stat(out_dir, &sb) == 0;
    if (exists && !S_ISDIR(sb.st_mode)) {
        rg_diag_add(d, RG_SEV_ERROR, out_dir, 0, 0, "the output path is not a folder");
        return RG_EOUTPUT;
    }
    size_t n = strlen(out_dir) + 64;
    char *dir = malloc(n), **tmp = calloc((size_t)im->n + 1, sizeof *tmp);
    if (!dir || !tmp) {
        free(dir);
        free(tmp);
        return oom(d), RG_EOUTPUT;
    }
    if (exists) {
        snprintf(dir, n, "%s", out_dir);
    } else {
        /* beside it, so that the rename stays on one file system */
        size_t k = strlen(out_dir);
        while (k > 1 && out_dir[k - 1] == '/') /* "cards/" */
            k--;
        while (k > 0 && out_dir[k - 1] != '/')
            k--;
        snprintf(dir, n, "%.*s.import.XXXXXX", (int)k, out_dir);
    }
    rg_status st = RG_OK;
    if (!exists && (!mkdtemp(dir) || chmod(dir, 0777 & ~um) != 0)) {
        rg_diag_add(d, RG_SEV_ERROR, out_dir, 0, 0, "cannot create the output folder: %s", strerror(errno));
        free(dir);
        free(tmp);
        return RG_EOUTPUT;
    }
    for (int i = 0; st == RG_OK && i < im->n; i++) {
        if (!(tmp[i] = malloc(n + strlen(im->row[i].name)))) {
            st = RG_EOUTPUT, oom(d);
        } else if (write_temp(dir, im->row[i].xml, im->row[i].len, tmp[i], n + strlen(im->row[i].name),
                              0666 & ~um) != 0) {
            rg_diag_add(d, RG_SEV_ERROR, out_dir, 0, 0, "cannot write %s: %s", im->row[i].name, strerror(errno));
            free(tmp[i]);
            tmp[i] = NULL;
            st = RG_EOUTPUT;
        }
    }
    for (int i = 0; st == RG_OK && i < im->n; i++) {
        char *to = malloc(n + strlen(im->row[i].name));
        if (!to) {
            st = RG_EOUTPUT, oom(d);
            break;
        }
        sprintf(to, "%s/%s", dir, im->row[i].name);
        if (rename(tmp[i], to) != 0) {
            rg_diag_add(d, RG_SEV_ERROR, out_dir, 0, 0, "cannot write %s: %s", im->row[i].name, strerror(errno));
            st = RG_EOUTPUT;
        } else {
            free(tmp[i]);
            tmp[i] = to; /* in place now: removed only from a folder of our own */
            to = NULL;
        }
        free(to);
    }
    if (st == RG_OK && !exists && rename(dir, out_dir) != 0) {
        rg_diag_add(d, RG_SEV_ERROR, out_dir, 0, 0, "cannot create the output folder: %s", strerror(errno));
        st = RG_EOUTPUT;
    }
    for (int i = 0; i < im->n; i++) {
        if (tmp[i] && st != RG_OK && (!exists || strstr(tmp[i], "/.import.")))
            unlink(tmp[i]);
        free(tmp[i]);
    }
    if (st != RG_OK && !exists)
        rmdir(dir);
    free(tmp);
    free(dir);
    return st;
}

rg_status rg_import_sheet(rg_context *c, const char *sheet_path, const rg_import_options *opt, const char *out_dir,
                          rg_diags *d)
{
    const char *tmpdir = getenv("TMPDIR");
    char stage[4200];
    snprintf(stage, sizeof stage, "%s/reportgen-import.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    if (!mkdtemp(stage)) {
        rg_diag_add(d, RG_SEV_ERROR, stage, 0, 0, "cannot make a folder to check the rows in: %s", strerror(errno));
        return RG_EOUTPUT;
    }
    rg_import *im = NULL;
    rg_status st = rg_import_stage(c, sheet_path, opt, stage, &im, d);
    if (st == RG_OK)
        st = publish(im, out_dir, d);
    rg_import_free(im);
    rmdir(stage);
    return st;
}

/* ---- export ------------------------------------------------------------------ */

typedef rg_buf sbuf;
#define sb_add rg_buf_add

/* Text with runs of white space made one space, appended. */
static void sb_text(sbuf *b, const char *s)
{
    for (; *s; s++) {
        int sp = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
        if (sp && (b->n == 0 || b->s[b->n - 1] == ' '))
            continue;
        sb_add(b, sp ? " " : s, 1);
    }
}

/* prop, content and entry_cell: a copy, or NULL when there is nothing to
 * copy, or when memory ran out: *lost is then set (libxml2's own failures
 * show in rg_xml_oom_count), so that a value lost is not read as absent. */
static char *prop(xmlNodePtr n, const char *name, int *lost)
{
    xmlChar *v = n ? xmlGetProp(n, (const xmlChar *)name) : NULL;
    char *r = v ? strdup((const char *)v) : NULL;
    *lost |= v && !r;
    xmlFree(v);
    return r;
}

static xmlNodePtr elem(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

static char *content(xmlNodePtr n, int *lost)
{
    if (!n)
        return NULL;
    xmlChar *v = xmlNodeGetContent(n);
    sbuf b = {0};
    sb_add(&b, "", 0);
    sb_text(&b, v ? (const char *)v : "");
    xmlFree(v);
    while (b.n && b.s[b.n - 1] == ' ')
        b.s[--b.n] = 0;
    *lost |= b.oom;
    return b.oom ? (free(b.s), NULL) : b.s;
}

/* An entry's text as a cell writes it: a link showing its own address as
 * the address, any other as [text](address). */
static char *entry_cell(xmlNodePtr e, int *lost)
{
    sbuf b = {0};
    sb_add(&b, "", 0);
    for (xmlNodePtr c = e->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content) {
            sb_text(&b, (const char *)c->content);
        } else if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "link") == 0) {
            char *href = prop(c, "href", lost), *text = content(c, lost);
            const char *bare = href && strncmp(href, "https://", 8) == 0 ? href + 8
                               : href && strncmp(href, "http://", 7) == 0 ? href + 7 : NULL;
            size_t hl = href ? strlen(href) : 0;
            if (bare && text && strcmp(bare, text) == 0 && url_len(href) == hl && hl) {
                sb_add(&b, href, hl);
            } else {
                sb_add(&b, "[", 1);
                sb_text(&b, text ? text : "");
                sb_add(&b, "](", 2);
                sb_add(&b, href ? href : "", hl);
                sb_add(&b, ")", 1);
            }
            free(href);
            free(text);
        }
    }
    size_t k = 0;
    while (b.s && b.s[k] == ' ')
        k++;
    if (b.s && k)
        memmove(b.s, b.s + k, b.n - k + 1), b.n -= k;
    while (b.n && b.s[b.n - 1] == ' ')
        b.s[--b.n] = 0;
    *lost |= b.oom;
    return b.oom ? (free(b.s), NULL) : b.s;
}

static void csv_field(sbuf *b, const char *s)
{
    if (!s)
        s = "";
    /* a text a spreadsheet would run as a formula gets an apostrophe before
     * it, inside the quotes (import takes it off) */
    int guard = rg_sheet_formula_like(s, strlen(s));
    if (!strpbrk(s, ",\";\n\r") && s[0] != ' ' && (!*s || s[strlen(s) - 1] != ' ')) {
        if (guard)
            sb_add(b, "'", 1);
        sb_add(b, s, strlen(s));
        return;
    }
    sb_add(b, "\"", 1);
    if (guard)
        sb_add(b, "'", 1);
    for (; *s; s++) {
        sb_add(b, s, 1);
        if (*s == '"')
            sb_add(b, s, 1); /* a quote inside is doubled */
    }
    sb_add(b, "\"", 1);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct card_row { char *v[F_NFIXED]; char *score[MAX_AREAS], *grade[MAX_AREAS], *hl[MAX_AREAS];
    char *ec[MAX_GROUP][3]; char *lm[MAX_GROUP][3]; } card_row;

static void card_row_free(card_row *r)
{
    char **p = (char **)r;
    for (size_t i = 0; i < sizeof *r / sizeof(char *); i++)
        free(p[i]);
}

/* Reads one checked card into r. 0; -1 bad, -2 out of memory (said). */
static int read_card(const char *path, xmlDocPtr doc, framework *fw, const rg_search *sp, card_row *r, rg_diags *d)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    int lost = 0;
    unsigned long before = rg_xml_oom_count();
    char *id = prop(root, "framework", &lost);
    const char *want = id ? id : DEFAULT_FRAMEWORK;
    if (!fw->id[0]) {
        int k = read_framework(sp, want, fw, d);
        if (k != 0) {
            free(id);
            return -1;
        }
    } else if (strcmp(fw->id, want) != 0) {
        rg_diag_add(d, RG_SEV_ERROR, path, root->line, 1,
                    "framework '%s' differs from the other cards' '%s': a sheet holds the cards of one framework", want,
                    fw->id);
        free(id);
        return -1;
    }
    r->v[F_FRAMEWORK] = id;
    xmlNodePtr state = elem(root, "state");
    r->v[F_STATE] = prop(state, "name", &lost);
    r->v[F_SLUG] = prop(state, "slug", &lost);
    r->v[F_YEAR] = prop(root, "year", &lost);
    r->v[F_PUBLISHED] = prop(root, "published", &lost);
    r->v[F_TIER] = prop(root, "tier", &lost);
    r->v[F_RANK] = prop(root, "rank", &lost);
    r->v[F_SAMPLE] = prop(root, "sample", &lost);
    r->v[F_THEME] = prop(root, "theme", &lost);
    r->v[F_TITLE] = content(elem(root, "title"), &lost);
    r->v[F_ORG] = content(elem(root, "organization"), &lost);
    xmlNodePtr overall = elem(root, "overall");
    r->v[F_OVERALL_SCORE] = prop(overall, "score", &lost);
    r->v[F_OVERALL_GRADE] = prop(overall, "grade", &lost);
    for (xmlNodePtr is = elem(root, "issues")->children; is; is = is->next) {
        if (is->type != XML_ELEMENT_NODE)
            continue;
        char *num = prop(is, "number", &lost);
        int k = 0;
        while (k < fw->n && (!num || fw->number[k] != atoi(num)))
            k++;
        free(num);
        if (k == fw->n)
            continue; /* check has said so */
        r->score[k] = prop(is, "score", &lost);
        r->grade[k] = prop(is, "grade", &lost);
        r->hl[k] = content(elem(is, "highlights"), &lost);
        char *name = content(elem(is, "name"), &lost);
        if (name && strcmp(name, fw->name[k]) != 0)
            rg_diag_add(d, RG_SEV_WARNING, path, is->line, 1,
                        "issue %d is called '%s', not '%s' as in the framework: the sheet gives the framework's name",
                        fw->number[k], name, fw->name[k]);
        free(name);
    }
    int i = 0;
    for (xmlNodePtr it = elem(root, "extra-credit") ? elem(root, "extra-credit")->children : NULL; it && i < MAX_GROUP;
         it = it->next) {
        if (it->type != XML_ELEMENT_NODE)
            continue;
        r->ec[i][0] = content(elem(it, "name"), &lost);
        r->ec[i][1] = prop(it, "points", &lost);
        r->ec[i][2] = content(elem(it, "text"), &lost);
        i++;
    }
    i = 0;
    for (xmlNodePtr e = elem(root, "learn-more")->children; e && i < MAX_GROUP; e = e->next) {
        if (e->type != XML_ELEMENT_NODE)
            continue;
        r->lm[i][0] = prop(e, "label", &lost);
        r->lm[i][1] = prop(e, "label-as", &lost);
        r->lm[i][2] = entry_cell(e, &lost);
        i++;
    }
    if (lost || rg_xml_oom_count() != before) {
        oom(d);
        return -2;
    }
    return 0;
}

rg_status rg_export_dir(rg_context *c, const char *dir, const char *out_path, rg_diags *d)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        rg_diag_add(d, RG_SEV_ERROR, dir, 0, 0, "cannot open the folder: %s", strerror(errno));
        return RG_EINPUT;
    }
    char **names = NULL;
    int n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        size_t k = strlen(e->d_name);
        if (e->d_name[0] == '.' || k <= 4 || strcmp(e->d_name + k - 4, ".xml") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **p = realloc(names, (size_t)cap * sizeof *p);
            if (!p)
                break;
            names = p;
        }
        size_t pl = strlen(dir) + k + 2;
        if (!(names[n] = malloc(pl)))
            break;
        snprintf(names[n++], pl, "%s/%s", dir, e->d_name);
    }
    closedir(dp);
    if (n == 0) {
        free(names);
        rg_diag_add(d, RG_SEV_ERROR, dir, 0, 0, "no .xml data files");
        return RG_EINPUT;
    }
    qsort(names, (size_t)n, sizeof *names, cmp_names);
    card_row *rows = calloc((size_t)n, sizeof *rows);
    framework *fw = calloc(1, sizeof *fw);
    rg_status st = rows && fw ? RG_OK : RG_EOUTPUT;
    if (st != RG_OK)
        oom(d);
    for (int i = 0; i < n && st == RG_OK; i++) {
        /* A card first (what else it is, its own check would say at length), then checked. */
        rg_source src;
        if (rg_source_load(&src, names[i], RG_MAX_INPUT, d) != RG_OK) {
            st = rg_diags_memory(d) ? RG_EOUTPUT : RG_EINPUT;
            break;
        }
        xmlNodePtr root = xmlDocGetRootElement(src.doc);
        if (!root || strcmp((const char *)root->name, "report-card") != 0) {
            rg_diag_add(d, RG_SEV_ERROR, names[i], root ? root->line : 1, 1,
                        "not a report card: export writes report cards only");
            st = RG_EINPUT;
        } else if ((st = rg_check_file(c, names[i], 0, d)) == RG_OK &&
                   read_card(names[i], src.doc, fw, rg_context_search(c), &rows[i], d) != 0) {
            st = rg_diags_memory(d) ? RG_EOUTPUT : RG_EINPUT;
        }
        rg_source_free(&src);
    }
    /* The columns: every one some card has a value for. */
    sbuf b = {0};
    if (st == RG_OK) {
        sb_add(&b, "\xEF\xBB\xBF", 3); /* so that Excel reads it as UTF-8 */
        int used[F_NFIXED] = {0}, grades = 0, ec = 0, lm = 0;
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < F_NFIXED; f++)
                used[f] |= rows[i].v[f] != NULL;
            char slug[200];
            slug_of(rows[i].v[F_STATE] ? rows[i].v[F_STATE] : "", slug, sizeof slug);
            used[F_SLUG] = used[F_SLUG] && 1;
            if (rows[i].v[F_SLUG] && strcmp(rows[i].v[F_SLUG], slug) == 0)
                free(rows[i].v[F_SLUG]), rows[i].v[F_SLUG] = NULL;
            for (int k = 0; k < fw->n; k++)
                grades |= rows[i].grade[k] != NULL;
            for (int k = 0; k < MAX_GROUP; k++) {
                if (rows[i].ec[k][0] && k + 1 > ec)
                    ec = k + 1;
                if (rows[i].lm[k][0] && k + 1 > lm)
                    lm = k + 1;
            }
        }
        used[F_SLUG] = 0;
        for (int i = 0; i < n; i++)
            used[F_SLUG] |= rows[i].v[F_SLUG] != NULL;
        const int order1[] = {F_STATE, F_SLUG, F_FRAMEWORK, F_YEAR, F_PUBLISHED, F_TIER, F_RANK, F_SAMPLE, F_THEME,
                              F_TITLE, F_ORG};
        const int order2[] = {F_OVERALL_SCORE, F_OVERALL_GRADE};
        for (int pass = 0; pass <= n; pass++) {
            int first = 1;
            card_row *r = pass ? &rows[pass - 1] : NULL;
#define FIELD(hdr, val) do { if (!first) sb_add(&b, ",", 1); first = 0; csv_field(&b, r ? (val) : (hdr)); } while (0)
            for (size_t f = 0; f < sizeof order1 / sizeof order1[0]; f++)
                if (used[order1[f]])
                    FIELD(FIXED[order1[f]].header, r->v[order1[f]]);
            for (int k = 0; k < fw->n; k++) {
                char h[200];
                FIELD(fw->name[k], r->score[k]);
                snprintf(h, sizeof h, "%s grade", fw->name[k]);
                if (grades)
                    FIELD(h, r->grade[k]);
                snprintf(h, sizeof h, "%s highlights", fw->name[k]);
                FIELD(h, r->hl[k]);
            }
            for (int k = 0; k < ec; k++) {
                char h[64];
                snprintf(h, sizeof h, "Extra credit %d", k + 1);
                FIELD(h, r->ec[k][0]);
                snprintf(h, sizeof h, "Extra credit %d points", k + 1);
                FIELD(h, r->ec[k][1]);
                snprintf(h, sizeof h, "Extra credit %d text", k + 1);
                FIELD(h, r->ec[k][2]);
            }
            for (size_t f = 0; f < sizeof order2 / sizeof order2[0]; f++)
                if (used[order2[f]])
                    FIELD(FIXED[order2[f]].header, r->v[order2[f]]);
            for (int k = 0; k < lm; k++) {
                char h[64];
                snprintf(h, sizeof h, "Learn more %d label", k + 1);
                FIELD(h, r->lm[k][0]);
                snprintf(h, sizeof h, "Learn more %d label as", k + 1);
                FIELD(h, r->lm[k][1]);
                snprintf(h, sizeof h, "Learn more %d", k + 1);
                FIELD(h, r->lm[k][2]);
            }
#undef FIELD
            sb_add(&b, "\n", 1);
        }
        if (b.oom)
            st = RG_EOUTPUT, oom(d);
    }
    if (st == RG_OK) {
        char *copy = strdup(out_path), *slash = copy ? strrchr(copy, '/') : NULL;
        const char *folder = slash ? (slash == copy ? "/" : (*slash = 0, copy)) : ".";
        const char *base = strrchr(out_path, '/') ? strrchr(out_path, '/') + 1 : out_path;
        if (!copy || write_atomic(folder, base, b.s, b.n) != 0) {
            rg_diag_add(d, RG_SEV_ERROR, out_path, 0, 0, "cannot write: %s", strerror(errno));
            st = RG_EOUTPUT;
        }
        free(copy);
    }
    free(b.s);
    for (int i = 0; rows && i < n; i++)
        card_row_free(&rows[i]);
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(rows);
    free(fw);
    return st;
}

/* ---- a template card: what the sheet's columns leave out ------------------ */

/* text with the template's state (its name, the name in capitals, its
 * slug) made the row's. A new string, or NULL when memory ran out. */
static char *made_the_rows(const char *text, const char *const from[3], const char *const to[3])
{
    sbuf b = {0};
    sb_add(&b, "", 0);
    for (const char *p = text; *p;) {
        int hit = -1;
        for (int i = 0; i < 3 && hit < 0; i++)
            if (from[i][0] && strncmp(p, from[i], strlen(from[i])) == 0)
                hit = i;
        if (hit < 0) {
            sb_add(&b, p++, 1);
            continue;
        }
        sb_add(&b, to[hit], strlen(to[hit]));
        p += strlen(from[hit]);
    }
    return b.oom ? (free(b.s), NULL) : b.s;
}

static void upper(const char *s, char *out, size_t size)
{
    size_t k = 0;
    for (; *s && k + 1 < size; s++)
        out[k++] = *s >= 'a' && *s <= 'z' ? (char)(*s - 'a' + 'A') : *s;
    out[k] = 0;
}

/* Adds, as columns after the sheet's own, the template card's values for
 * the columns the sheet lacks: framework, year, published, sample, theme,
 * title, organization, and its learn-more entries when the sheet has no
 * learn-more column. 0, -1 bad (said), -2 memory. */
static int apply_template(rg_context *c, rg_sheet *s, const char *path, rg_diags *d)
{
    rg_source src;
    if (rg_source_load(&src, path, RG_MAX_INPUT, d) != RG_OK)
        return rg_diags_memory(d) ? -2 : -1;
    xmlNodePtr root = xmlDocGetRootElement(src.doc);
    if (!root || strcmp((const char *)root->name, "report-card") != 0) {
        rg_diag_add(d, RG_SEV_ERROR, path, root ? root->line : 1, 1,
                    "not a report card: a template for a sheet's rows is a card");
        rg_source_free(&src);
        return -1;
    }
    rg_status st = rg_check_file(c, path, 0, d); /* a card that checks clean */
    if (st != RG_OK) {
        rg_source_free(&src);
        return st == RG_EOUTPUT ? -2 : -1;
    }
    framework *fw = calloc(1, sizeof *fw);
    card_row *tr = calloc(1, sizeof *tr);
    rg_diags *quiet = rg_diags_new(); /* its issue names are not the sheet's business */
    int rc = fw && tr && quiet ? read_card(path, src.doc, fw, rg_context_search(c), tr, quiet) : -2;
    if (rc == -1 && rg_diags_memory(quiet))
        rc = -2;
    /* but its errors are (its framework unreadable): they would go unsaid */
    for (size_t i = 0; rc == -1 && i < rg_diags_count(quiet); i++) {
        const rg_diag *g = rg_diags_get(quiet, i);
        if (g->severity == RG_SEV_ERROR)
            rg_diag_add(d, RG_SEV_ERROR, g->file, g->line, g->col, "%s", g->message);
    }
    rg_source_free(&src);
    rg_diags_free(quiet);
    rg_sheet_row *hr = &s->row[0];
    int present[F_NFIXED] = {0}, any_lm = 0, state_col = 0, slug_col = 0;
    for (int k = 1; rc == 0 && k <= hr->n; k++) {
        char norm[200], f[200];
        normal_header(rg_sheet_text(hr, k), norm, sizeof norm);
        for (int i = 0; i < F_NFIXED; i++) {
            normal_header(FIXED[i].header, f, sizeof f);
            if (strcmp(norm, f) == 0)
                present[i] = 1, state_col = i == F_STATE ? k : state_col, slug_col = i == F_SLUG ? k : slug_col;
        }
        any_lm |= strncmp(norm, "learn more ", 11) == 0;
    }
    /* The columns to add: header and the template's value. */
    const int take[] = {F_FRAMEWORK, F_YEAR, F_PUBLISHED, F_SAMPLE, F_THEME, F_TITLE, F_ORG};
    const char *hdr[64], *val[64];
    char hbuf[3 * MAX_GROUP][40];
    int nv = 0;
    for (size_t i = 0; rc == 0 && i < sizeof take / sizeof take[0]; i++)
        if (!present[take[i]] && tr->v[take[i]])
            hdr[nv] = FIXED[take[i]].header, val[nv++] = tr->v[take[i]];
    for (int k = 0; rc == 0 && !any_lm && k < MAX_GROUP && tr->lm[k][2]; k++) {
        static const char *suffix[3] = {" label", " label as", ""};
        for (int j = 0; j < 3; j++) {
            snprintf(hbuf[3 * k + j], sizeof hbuf[0], "Learn more %d%s", k + 1, suffix[j]);
            hdr[nv] = hbuf[3 * k + j];
            val[nv++] = tr->lm[k][j] ? tr->lm[k][j] : "";
        }
    }
    char tupper[200], tslug[200];
    const char *tstate = rc == 0 && tr->v[F_STATE] ? tr->v[F_STATE] : ""; /* (tr may be NULL: rc -2) */
    upper(tstate, tupper, sizeof tupper);
    snprintf(tslug, sizeof tslug, "%s", rc == 0 && tr->v[F_SLUG] ? tr->v[F_SLUG] : "");
    const char *from[3] = {tstate, tupper, tslug};
    int first = hr->n + 1;
    for (int v = 0; rc == 0 && v < nv; v++) {
        char *h = strdup(hdr[v]);
        if (!h || rg_sheet_set(hr, first + v, h) != 0)
            rc = -2;
        for (int r = 1; rc == 0 && r < s->n; r++) {
            char name[200], up[200], slug[200];
            trimmed(rg_sheet_text(&s->row[r], state_col), name, sizeof name);
            upper(name, up, sizeof up);
            trimmed(rg_sheet_text(&s->row[r], slug_col), slug, sizeof slug);
            if (!slug[0])
                slug_of(name, slug, sizeof slug);
            const char *to[3] = {name, up, slug};
            char *text = name[0] ? made_the_rows(val[v], from, to) : strdup(val[v]);
            if (!text || rg_sheet_set(&s->row[r], first + v, text) != 0)
                rc = -2;
        }
    }
    if (rc == 0 && nv && !(s->virtual_source = strdup(path)))
        rc = -2;
    if (rc == 0 && nv)
        s->virtual_from = first;
    if (tr)
        card_row_free(tr);
    free(tr);
    free(fw);
    if (rc == -2)
        oom(d);
    return rc;
}
