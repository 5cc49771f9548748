/* Spreadsheets read into rows of cells, each with its address: CSV through
 * libcsv (RFC 4180 quoting, fields holding line breaks), XLSX through libzip
 * (the workbook is a zip of XML parts) and libxml2. Never prints. */
#include <csv.h>
#include <dlfcn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>
#include "sheet.h"
#include "xml.h"

/* libzip is opened when the first workbook is read, not linked: it brings
 * libcrypto along, and loading that costs every render about a millisecond
 * at start-up though only XLSX import needs it. */
static struct {
    __typeof__(zip_discard) *discard;
    __typeof__(zip_error_code_zip) *error_code_zip;
    __typeof__(zip_error_fini) *error_fini;
    __typeof__(zip_error_init) *error_init;
    __typeof__(zip_error_strerror) *error_strerror;
    __typeof__(zip_fclose) *fclose;
    __typeof__(zip_file_get_error) *file_get_error;
    __typeof__(zip_fopen) *fopen;
    __typeof__(zip_fread) *fread;
    __typeof__(zip_get_error) *get_error;
    __typeof__(zip_open_from_source) *open_from_source;
    __typeof__(zip_source_buffer_create) *source_buffer_create;
    __typeof__(zip_source_free) *source_free;
    __typeof__(zip_stat) *stat;
    __typeof__(zip_stat_init) *stat_init;
} Z;

static int sym(void *h, const char *name, void **fn)
{
    *fn = dlsym(h, name);
    return *fn != NULL;
}

/* 0 loaded; else the reason, and *oom set when memory ran out. */
static const char *zip_api_load(int *oom)
{
    static int loaded;
    *oom = 0;
    if (loaded)
        return NULL;
    static const char *const names[] = {"libzip.so.4", "libzip.so.5", "libzip.so"};
    void *h = NULL;
    for (size_t i = 0; !h && i < sizeof names / sizeof *names; i++)
        h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        *oom = e && (strstr(e, "allocate memory") || strstr(e, "out of memory"));
        return e ? e : "libzip.so.4 not found";
    }
    if (0
        || !sym(h, "zip_discard", (void **)&Z.discard)
        || !sym(h, "zip_error_code_zip", (void **)&Z.error_code_zip)
        || !sym(h, "zip_error_fini", (void **)&Z.error_fini)
        || !sym(h, "zip_error_init", (void **)&Z.error_init)
        || !sym(h, "zip_error_strerror", (void **)&Z.error_strerror)
        || !sym(h, "zip_fclose", (void **)&Z.fclose)
        || !sym(h, "zip_file_get_error", (void **)&Z.file_get_error)
        || !sym(h, "zip_fopen", (void **)&Z.fopen)
        || !sym(h, "zip_fread", (void **)&Z.fread)
        || !sym(h, "zip_get_error", (void **)&Z.get_error)
        || !sym(h, "zip_open_from_source", (void **)&Z.open_from_source)
        || !sym(h, "zip_source_buffer_create", (void **)&Z.source_buffer_create)
        || !sym(h, "zip_source_free", (void **)&Z.source_free)
        || !sym(h, "zip_stat", (void **)&Z.stat)
        || !sym(h, "zip_stat_init", (void **)&Z.stat_init)) {
        dlclose(h);
        return "libzip.so.4 lacks a function this program calls";
    }
    loaded = 1;
    return NULL;
}

/* ---- cells and rows ----------------------------------------------------- */

typedef struct building {
    rg_sheet *s;
    rg_sheet_row cur;   /* the row being filled */
    int cap;            /* of cur.cell */
    int rows_cap;
    int oom;
    int too_many;       /* a limit passed: TOO_MANY_ROWS, _COLS or _CELLS */
    long cells;         /* in the rows kept */
} building;

enum { TOO_MANY_ROWS = 1, TOO_MANY_COLS, TOO_MANY_CELLS };

static void too_many_say(rg_diags *d, const char *path, int line, int what)
{
    if (what == TOO_MANY_ROWS)
        rg_diag_add(d, RG_SEV_ERROR, path, line, line ? 1 : 0, "over the limit of %d rows", RG_SHEET_MAX_ROWS);
    else if (what == TOO_MANY_COLS)
        rg_diag_add(d, RG_SEV_ERROR, path, line, line ? 1 : 0, "over the limit of %d columns", RG_SHEET_MAX_COLS);
    else
        rg_diag_add(d, RG_SEV_ERROR, path, line, line ? 1 : 0,
                    "over the limit of %d cells (counting the empty ones before a row's last value)",
                    RG_SHEET_MAX_CELLS);
}

/* The text of every empty cell, not allocated: a sheet of empty fields
 * (",,,,") costs no block per cell. Never freed. */
static char no_text[1];

static void text_free(char *t)
{
    if (t != no_text)
        free(t);
}

static int row_put(building *b, int col, const char *text, size_t len, int number)
{
    if (col > RG_SHEET_MAX_COLS || b->cells + col > RG_SHEET_MAX_CELLS) {
        b->too_many = col > RG_SHEET_MAX_COLS ? TOO_MANY_COLS : TOO_MANY_CELLS;
        return -1;
    }
    while (b->cur.n < col) {
        if (b->cur.n == b->cap) {
            int cap = b->cap ? b->cap * 2 : 16;
            rg_cell *c = rg_fail_now() ? NULL : realloc(b->cur.cell, (size_t)cap * sizeof *c);
            if (!c) {
                b->oom = 1;
                return -1;
            }
            b->cur.cell = c;
            b->cap = cap;
        }
        b->cur.cell[b->cur.n] = (rg_cell){no_text, b->cur.n + 1, 0};
        b->cur.n++;
    }
    rg_cell *c = &b->cur.cell[col - 1];
    char *t = !len ? no_text : rg_fail_now() ? NULL : strndup(text, len);
    if (!t) {
        b->oom = 1;
        return -1;
    }
    text_free(c->text);
    c->text = t;
    c->number = number;
    return 0;
}

static void row_clear(rg_sheet_row *r)
{
    for (int i = 0; i < r->n; i++)
        text_free(r->cell[i].text);
    free(r->cell);
    memset(r, 0, sizeof *r);
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return 0;
    return 1;
}

/* Ends the current row: kept unless wholly empty. */
static int row_end(building *b, int rownum)
{
    int empty = 1;
    for (int i = 0; i < b->cur.n && empty; i++)
        empty = blank(b->cur.cell[i].text);
    if (empty) {
        row_clear(&b->cur);
        b->cap = 0;
        return 0;
    }
    if (b->s->n >= RG_SHEET_MAX_ROWS) {
        b->too_many = TOO_MANY_ROWS;
        row_clear(&b->cur);
        b->cap = 0;
        return -1;
    }
    if (b->s->n == b->rows_cap) {
        int cap = b->rows_cap ? b->rows_cap * 2 : 64;
        rg_sheet_row *r = rg_fail_now() ? NULL : realloc(b->s->row, (size_t)cap * sizeof *r);
        if (!r) {
            b->oom = 1;
            row_clear(&b->cur);
            b->cap = 0;
            return -1;
        }
        b->s->row = r;
        b->rows_cap = cap;
    }
    b->cur.row = rownum;
    b->cells += b->cur.n;
    b->s->row[b->s->n++] = b->cur;
    memset(&b->cur, 0, sizeof b->cur);
    b->cap = 0;
    return 0;
}

void rg_sheet_free(rg_sheet *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n; i++)
        row_clear(&s->row[i]);
    free(s->row);
    free(s->path);
    free(s->name);
    free(s->sheets);
    free(s->virtual_source);
    memset(s, 0, sizeof *s);
}

const char *rg_sheet_text(const rg_sheet_row *r, int col)
{
    return col >= 1 && col <= r->n ? r->cell[col - 1].text : "";
}

int rg_sheet_is_number(const rg_sheet_row *r, int col)
{
    return col >= 1 && col <= r->n && r->cell[col - 1].number;
}

void rg_sheet_col_name(int col, char *buf, size_t size)
{
    char tmp[16];
    int n = 0;
    while (col > 0 && n < 15) {
        col--;
        tmp[n++] = (char)('A' + col % 26);
        col /= 26;
    }
    size_t k = 0;
    while (n > 0 && k + 1 < size)
        buf[k++] = tmp[--n];
    if (size)
        buf[k] = 0;
}

int rg_sheet_set(rg_sheet_row *r, int col, char *text)
{
    if (col > r->n) {
        rg_cell *c = rg_fail_now() ? NULL : realloc(r->cell, (size_t)col * sizeof *c);
        if (!c) {
            free(text);
            return -1;
        }
        r->cell = c;
        for (; r->n < col; r->n++)
            c[r->n] = (rg_cell){no_text, r->n + 1, 0};
    }
    text_free(r->cell[col - 1].text);
    r->cell[col - 1].text = text;
    r->cell[col - 1].number = 0;
    return 0;
}

int rg_sheet_diag(rg_diags *d, const rg_sheet *s, rg_severity sev, int row, int col, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (s->virtual_from && col >= s->virtual_from) {
        /* a value the row took from the template card: told at the row */
        size_t k = strlen(msg);
        snprintf(msg + k, sizeof msg - k, " (a value from %s)", s->virtual_source);
        col = 1;
    }
    if (!s->name)
        return rg_diag_add(d, sev, s->path, row, col > 0 ? col : 1, "%s", msg);
    char where[4600], cn[16] = "";
    rg_sheet_col_name(col, cn, sizeof cn);
    snprintf(where, sizeof where, "%s:%s!%s%d", s->path, s->name, cn, row);
    return rg_diag_add(d, sev, where, 0, 0, "%s", msg);
}

/* ---- CSV ------------------------------------------------------------------ */

typedef struct csv_state {
    building b;
    int col;
    int record_line;    /* the line the record being read starts on */
} csv_state;

int rg_sheet_formula_like(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] == '\'')
        i++;
    if (i == n || !strchr("=+-@", s[i]))
        return 0;
    if (i > 0)
        return 1; /* "'-1" is a text */
    size_t j = i + (s[i] == '+' || s[i] == '-'), d = 0, dot = 0; /* "-1.5" is a number */
    for (; j < n; j++) {
        if (s[j] >= '0' && s[j] <= '9')
            d++;
        else if (s[j] == '.' && !dot && d)
            dot = 1;
        else
            return 1;
    }
    return !d || s[n - 1] == '.';
}

static void on_field(void *field, size_t len, void *data)
{
    csv_state *cs = data;
    const char *f = field ? field : "";
    cs->col++;
    if (len > 1 && f[0] == '\'' && rg_sheet_formula_like(f + 1, len - 1))
        f++, len--; /* "'=1+2" is the text "=1+2" */
    if (!cs->b.oom && !cs->b.too_many)
        row_put(&cs->b, cs->col, f, field ? len : 0, 0);
}

static void on_record(int c, void *data)
{
    (void)c;
    csv_state *cs = data;
    cs->col = 0;
    if (!cs->b.oom && !cs->b.too_many)
        row_end(&cs->b, cs->record_line);
}

/* The header line's separator: a semicolon when it holds more of them
 * than commas outside quotes (Excel's CSV where the decimal mark is a comma). */
static unsigned char separator(const char *p, const char *end)
{
    int comma = 0, semi = 0, quoted = 0;
    for (; p < end && (quoted || (*p != '\n' && *p != '\r')); p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted && *p == ',')
            comma++;
        else if (!quoted && *p == ';')
            semi++;
    }
    return semi > comma ? ';' : ',';
}

/* The length of the line at q, its end included: a line ends in LF, CR LF
 * or a lone CR (what old Mac programs write). */
static size_t line_len(const char *q, const char *end)
{
    const char *p = q;
    while (p < end && *p != '\n' && *p != '\r')
        p++;
    if (p < end && *p == '\r' && p + 1 < end && p[1] == '\n')
        p++;
    return (size_t)(p < end ? p + 1 - q : p - q);
}

/* buf is NUL-terminated: buf[i + 1] may be read at any i < off. */
/* Does the line at p (n bytes) hold more of the other separator than of
 * sep outside quotes? Then it was written with the other one: a sheet
 * pasted together from two programs' files. */
static int other_separator(const char *p, size_t n, unsigned char sep)
{
    int mine = 0, other = 0, quoted = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '"')
            quoted = !quoted;
        else if (!quoted && p[i] == (char)sep)
            mine++;
        else if (!quoted && (p[i] == ',' || p[i] == ';'))
            other++;
    }
    return other > mine;
}

static void line_col(const char *buf, size_t off, int *line, int *col)
{
    int l = 1, c = 1;
    for (size_t i = 0; i < off; i++) {
        if (buf[i] == '\n' || (buf[i] == '\r' && buf[i + 1] != '\n')) {
            l++;
            c = 1;
        } else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *col = c;
}

/* UTF-16 (Excel's "Unicode Text", Notepad's "Unicode"): a byte-order mark
 * of its own, or a NUL beside each ASCII letter of the first line. */
static int utf16(const char *p, size_t len)
{
    const unsigned char *u = (const unsigned char *)p;
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return 1;
    return len >= 4 && ((u[0] && !u[1] && u[2] && !u[3]) || (!u[0] && u[1] && !u[2] && u[3]));
}

static rg_status read_csv(rg_sheet *s, char *buf, size_t len, rg_diags *d)
{
    const char *p = buf, *end = buf + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* Excel's "CSV UTF-8" starts with a byte-order mark */
    if (utf16(buf, len)) {
        rg_diag_add(d, RG_SEV_ERROR, s->path, 1, 1,
                    "the file is UTF-16, not UTF-8: re-save it as UTF-8 (in Excel: CSV UTF-8)");
        return RG_EINPUT;
    }
    size_t bad;
    if (!rg_utf8_valid(p, (size_t)(end - p), &bad)) {
        int l, c;
        line_col(buf, (size_t)(p - buf) + bad, &l, &c);
        rg_diag_add(d, RG_SEV_ERROR, s->path, l, c,
                    "the file is not UTF-8: re-save it as UTF-8 (in Excel: CSV UTF-8)");
        return RG_EINPUT;
    }
    if (memchr(p, 0, (size_t)(end - p))) {
        int l, c;
        line_col(buf, (size_t)((const char *)memchr(p, 0, (size_t)(end - p)) - buf), &l, &c);
        rg_diag_add(d, RG_SEV_ERROR, s->path, l, c, "a NUL byte: not a text file");
        return RG_EINPUT;
    }
    struct csv_parser cp;
    if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0 || rg_fail_now()) {
        rg_diag_add(d, RG_SEV_ERROR, s->path, 0, 0, "out of memory");
        return RG_EOUTPUT;
    }
    unsigned char sep = separator(p, end);
    csv_set_delim(&cp, sep);
    csv_state cs = {{s, {0}, 0, 0, 0, 0, 0}, 0, 1};
    int line = 1;
    const char *q = p;
    rg_status st = RG_OK;
    /* A line at a time, so that each record knows the line it starts on. */
    while (q < end && st == RG_OK) {
        size_t n = line_len(q, end);
        if (cp.pstate == 0) /* ROW_NOT_BEGUN: a record starts on this line */
            cs.record_line = line;
        if (cp.pstate == 0 && other_separator(q, n, sep)) {
            rg_diag_add(d, RG_SEV_ERROR, s->path, line, 1,
                        "this line separates its values with '%c', the header line with '%c': "
                        "use one separator throughout", sep == ',' ? ';' : ',', sep);
            st = RG_EINPUT;
        } else if (csv_parse(&cp, q, n, on_field, on_record, &cs) != n) {
            if (csv_error(&cp) == CSV_ENOMEM) {
                rg_diag_add(d, RG_SEV_ERROR, s->path, 0, 0, "out of memory");
                st = RG_EOUTPUT;
            } else {
                rg_diag_add(d, RG_SEV_ERROR, s->path, line, 1,
                            "a quote inside a field that does not start with one: "
                            "put the whole field in quotes and double the quote (\"\"9.5\"\")");
                st = RG_EINPUT;
            }
        }
        q += n;
        line++;
        if (cs.b.oom || cs.b.too_many)
            break;
    }
    if (st == RG_OK && !cs.b.oom && !cs.b.too_many && csv_fini(&cp, on_field, on_record, &cs) != 0) {
        rg_diag_add(d, RG_SEV_ERROR, s->path, cs.record_line, 1,
                    "a quoted field is never closed: its closing quote is missing");
        st = RG_EINPUT;
    }
    csv_free(&cp);
    row_clear(&cs.b.cur);
    if (cs.b.oom) {
        rg_diag_add(d, RG_SEV_ERROR, s->path, 0, 0, "out of memory");
        return RG_EOUTPUT;
    }
    if (cs.b.too_many) {
        too_many_say(d, s->path, cs.record_line, cs.b.too_many);
        return RG_EINPUT;
    }
    return st;
}

/* ---- XLSX ----------------------------------------------------------------- */

typedef struct book {
    const char *path;
    zip_t *zip;
    size_t unpacked;  /* bytes of parts read so far */
    rg_diags *d;
} book;

/* The part called name, unpacked (NUL-terminated). 1 when there is no such
 * part; 0 read; -1 bad (said); -2 out of memory (said). */
static int part_read(book *bk, const char *name, size_t cap, char **out, size_t *len)
{
    zip_stat_t zs;
    Z.stat_init(&zs);
    if (Z.stat(bk->zip, name, 0, &zs) != 0) {
        if (Z.error_code_zip(Z.get_error(bk->zip)) != ZIP_ER_MEMORY)
            return 1;
        rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0, "out of memory");
        return -2;
    }
    if (!(zs.valid & ZIP_STAT_SIZE) || zs.size > cap ||
        bk->unpacked + zs.size > RG_SHEET_MAX_PARTS) {
        rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0,
                    "part '%s' unpacks to %llu bytes, over the limit of %u bytes (a damaged file or a zip bomb)", name,
                    (unsigned long long)zs.size,
                    zs.size > cap ? (unsigned)cap : RG_SHEET_MAX_PARTS);
        return -1;
    }
    size_t size = (size_t)zs.size;
    char *buf = rg_fail_now() ? NULL : malloc(size + 1);
    if (!buf) {
        rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0, "out of memory");
        return -2;
    }
    zip_file_t *f = Z.fopen(bk->zip, name, 0);
    size_t got = 0;
    int bad = !f;
    while (!bad) {
        /* one byte more than promised: a part longer than its header says is refused */
        char extra;
        zip_int64_t r = got < size ? Z.fread(f, buf + got, size - got) : Z.fread(f, &extra, 1);
        if (r < 0 || (got == size && r > 0))
            bad = 1;
        else if (r == 0)
            break;
        else
            got += (size_t)r;
    }
    /* libzip's own allocation failing is memory, not a damaged file */
    int oom = f ? Z.error_code_zip(Z.file_get_error(f)) == ZIP_ER_MEMORY
                : Z.error_code_zip(Z.get_error(bk->zip)) == ZIP_ER_MEMORY;
    int code = f ? 0 : Z.error_code_zip(Z.get_error(bk->zip));
    if (f)
        Z.fclose(f);
    if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_ENCRNOTSUPP || code == ZIP_ER_WRONGPASSWD) {
        rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0,
                    "part '%s' is encrypted: save the workbook without a password", name);
        free(buf);
        return -1;
    }
    if (bad && oom) {
        rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0, "out of memory");
        free(buf);
        return -2;
    }
    if (bad || got != size) {
        rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0, "part '%s' cannot be unpacked: the file is damaged", name);
        free(buf);
        return -1;
    }
    buf[size] = 0;
    bk->unpacked += size;
    *out = buf;
    *len = size;
    return 0;
}

/* A DOCTYPE can declare entities that expand exponentially or read files:
 * the parser stops where it meets one, before its subset is read, in
 * whatever encoding the part is written (a text search for "<!DOCTYPE"
 * misses one in a UTF-16 part). */
static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *eid, const xmlChar *sid)
{
    (void)name; (void)eid; (void)sid;
    xmlParserCtxtPtr p = ctx;
    *(int *)p->_private = 1;
    xmlStopParser(p);
}

/* Excel's bounds: rows 1 to 1048576, columns A to XFD. */
#define XLSX_ROWS 1048576
#define XLSX_COLS 16384

/* "1048576" -> 1048576; 0 unless digits alone within Excel's rows. */
static int row_number(const char *s)
{
    long n = 0;
    if (!*s)
        return 0;
    for (; *s >= '0' && *s <= '9'; s++)
        if ((n = n * 10 + (*s - '0')) > XLSX_ROWS)
            return 0;
    return *s ? 0 : (int)n;
}

/* "C7" -> column 3, row 7; -1 unless upper-case letters then digits within
 * Excel's bounds ("A0", "XFD1048577", "c7" are not cells). A column past
 * RG_SHEET_MAX_COLS comes back as RG_SHEET_MAX_COLS + 1. */
static int ref_parse(const char *ref, int *col, int *row)
{
    int c = 0;
    const char *p = ref;
    for (; *p >= 'A' && *p <= 'Z' && p - ref < 3; p++)
        c = c * 26 + (*p - 'A' + 1);
    if (c < 1 || c > XLSX_COLS || !(*row = row_number(p)))
        return -1;
    *col = c > RG_SHEET_MAX_COLS ? RG_SHEET_MAX_COLS + 1 : c;
    return 0;
}

/* The order ECMA-376 asks for: rows ascending, each row's cells ascending
 * and in that row. A workbook breaking it is damaged or made by hand: two
 * values for one cell, or a row read twice, would pass unseen. 0, or -1
 * after saying why. */
static int row_in_order(book *bk, const char *rr, int prev, int *rownum)
{
    if (!rr) {
        *rownum = prev + 1;
        return 0;
    }
    *rownum = row_number(rr);
    if (!*rownum) {
        rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0, "row number '%s' is not one from 1 to %d: the file is damaged",
                    rr, XLSX_ROWS);
        return -1;
    }
    if (*rownum <= prev) {
        rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0,
                    "row %d comes after row %d (rows given twice or out of order): the file is damaged", *rownum, prev);
        return -1;
    }
    return 0;
}

static int cell_in_order(book *bk, const char *ref, int rownum, int prev, int *col)
{
    int row;
    char pn[16];
    if (!ref) {
        *col = prev + 1;
        return 0;
    }
    if (ref_parse(ref, col, &row) != 0) {
        rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0,
                    "row %d: cell reference '%s' is not a cell (as C7): the file is damaged", rownum, ref);
        return -1;
    }
    if (row != rownum) {
        rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0, "cell %s stands in row %d: the file is damaged", ref, rownum);
        return -1;
    }
    if (*col <= prev) {
        rg_sheet_col_name(prev, pn, sizeof pn);
        rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0,
                    "cell %s comes after %s%d (cells given twice or out of order): the file is damaged", ref, pn,
                    rownum);
        return -1;
    }
    return 0;
}

/* ---- the shared strings and the cells, read as a stream -------------------
 * These two parts can be 16 MiB of small elements: a tree of them took
 * 540 MB, so they are read as libxml2's SAX events, keeping only what a
 * cell or a string needs. */

typedef rg_buf text_buf;

/* How deep a string's elements may nest under <si> or <is> (Excel writes
 * <r><t>: two). */
#define TEXT_DEPTH 16

#define text_addn rg_buf_add
#define text_clear rg_buf_clear

typedef struct strings { char **v; size_t n, cap; } strings;

static void strings_free(strings *ss)
{
    for (size_t i = 0; i < ss->n; i++)
        free(ss->v[i]);
    free(ss->v);
}

typedef struct walk {
    int doctype;          /* first: on_doctype sets it */
    book *bk;
    xmlParserCtxtPtr p;
    int depth;            /* of the element open now (the root's: 1) */
    int failed;           /* -1 said why, -2 out of memory, -3 a limit passed */
    char root[16];        /* the root element's name */
    int item;             /* the depth of the <si> or <is> being read; 0 */
    int rph, t;           /* the depth of the <rPh>, the <t> we are in; 0 */
    text_buf text;        /* the item's text */
    strings *ss;          /* reading the shared strings into it; or */
    const strings *sst;   /* reading cells, with these shared strings, */
    building *b;          /* into b */
    int in_data, in_row, in_cell, v;  /* the depth of the <v> we are in; 0 */
    int rownum, col, has_v;
    char type[16];        /* the cell's t */
    text_buf value;       /* its <v> */
} walk;

static void walk_fail(walk *w, int code)
{
    w->failed = code;
    xmlStopParser(w->p);
}

/* The value of the attribute called local (whatever its namespace) among
 * SAX2's (local, prefix, URI, value, end) fives, into out; 0 when absent. */
static int sax_attr(const xmlChar **a, int n, const char *local, char *out, size_t size)
{
    for (int i = 0; i < n; i++, a += 5) {
        if (strcmp((const char *)a[0], local) != 0)
            continue;
        size_t k = (size_t)(a[4] - a[3]);
        snprintf(out, size, "%.*s", (int)(k < size ? k : size - 1), (const char *)a[3]);
        return 1;
    }
    return 0;
}

static void cell_name(char *buf, size_t size, int col, int row)
{
    char cn[16];
    rg_sheet_col_name(col, cn, sizeof cn);
    snprintf(buf, size, "%s%d", cn, row);
}

static void item_start(walk *w, const char *name)
{
    if (w->depth - w->item > TEXT_DEPTH) {
        char where[48], cell[32];
        cell_name(cell, sizeof cell, w->col, w->rownum);
        if (w->ss)
            snprintf(where, sizeof where, "shared string %zu", w->ss->n);
        else
            snprintf(where, sizeof where, "cell %s", cell);
        rg_diag_add(w->bk->d, RG_SEV_ERROR, w->bk->path, 0, 0, "%s nests elements over %d deep: the file is damaged",
                    where, TEXT_DEPTH);
        walk_fail(w, -1);
    } else if (!w->rph && strcmp(name, "rPh") == 0) {
        w->rph = w->depth; /* a phonetic run: not the text */
    } else if (!w->rph && !w->t && strcmp(name, "t") == 0) {
        w->t = w->depth;
    }
}

/* The cell just read, into the row. */
static void cell_end(walk *w)
{
    text_buf *tb = &w->text;
    const char *t = w->type, *v = w->has_v ? w->value.s : NULL;
    int number = 0;
    if (strcmp(t, "inlineStr") != 0)
        text_clear(tb);
    if (strcmp(t, "s") == 0 && v) {
        char *end, where[32];
        unsigned long k = strtoul(v, &end, 10);
        if (*end || !*v || k >= w->sst->n) {
            cell_name(where, sizeof where, w->col, w->rownum);
            rg_diag_add(w->bk->d, RG_SEV_ERROR, w->bk->path, 0, 0,
                        "cell %s names shared string %s, which the workbook lacks: the file is damaged", where, v);
            walk_fail(w, -1);
            return;
        }
        text_addn(tb, w->sst->v[k], strlen(w->sst->v[k]));
    } else if (strcmp(t, "b") == 0 && v) {
        text_addn(tb, strcmp(v, "1") == 0 ? "TRUE" : "FALSE", strcmp(v, "1") == 0 ? 4 : 5);
    } else if (strcmp(t, "inlineStr") != 0 && v) {
        text_addn(tb, v, strlen(v)); /* a number as written ("9.5"), a formula's string, an error, an ISO date */
        number = !*t || strcmp(t, "n") == 0;
    }
    if (tb->oom || w->value.oom || (row_put(w->b, w->col, tb->s, tb->n, number) != 0 && w->b->oom))
        walk_fail(w, -2);
    else if (w->b->too_many)
        walk_fail(w, -3);
}

static void cells_start(walk *w, const char *name, const xmlChar **attrs, int nattrs)
{
    char a[32];
    if (w->depth == 2 && strcmp(name, "sheetData") == 0) {
        w->in_data = 1;
    } else if (w->in_data && w->depth == 3 && strcmp(name, "row") == 0) {
        if (row_in_order(w->bk, sax_attr(attrs, nattrs, "r", a, sizeof a) ? a : NULL, w->rownum, &w->rownum) != 0) {
            walk_fail(w, -1);
            return;
        }
        w->in_row = 1;
        w->col = 0;
    } else if (w->in_row && w->depth == 4 && strcmp(name, "c") == 0) {
        if (cell_in_order(w->bk, sax_attr(attrs, nattrs, "r", a, sizeof a) ? a : NULL, w->rownum, w->col, &w->col)) {
            walk_fail(w, -1); /* which frees the parser's input, and attrs with it */
            return;
        }
        if (!sax_attr(attrs, nattrs, "t", w->type, sizeof w->type))
            w->type[0] = 0;
        w->in_cell = 1;
        w->has_v = 0;
        text_clear(&w->value);
        text_clear(&w->text);
    } else if (w->in_cell && w->depth == 5 && strcmp(name, "v") == 0 && !w->has_v) {
        w->v = w->depth;
        w->has_v = 1;
    } else if (w->in_cell && w->depth == 5 && strcmp(name, "is") == 0 && strcmp(w->type, "inlineStr") == 0) {
        w->item = w->depth;
    }
}

static void cells_end(walk *w)
{
    if (w->depth == w->v) {
        w->v = 0;
    } else if (w->in_cell && w->depth == 4) {
        w->in_cell = 0;
        cell_end(w);
    } else if (w->in_row && w->depth == 3) {
        w->in_row = 0;
        if (row_end(w->b, w->rownum) != 0)
            walk_fail(w, w->b->oom ? -2 : -3);
    } else if (w->in_data && w->depth == 2) {
        w->in_data = 0;
    }
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri, int nns,
                     const xmlChar **ns, int nattrs, int ndefaulted, const xmlChar **attrs)
{
    (void)prefix; (void)uri; (void)nns; (void)ns; (void)ndefaulted;
    walk *w = ((xmlParserCtxtPtr)ctx)->_private;
    const char *name = (const char *)local;
    w->depth++;
    if (w->failed)
        return;
    if (w->depth == 1)
        snprintf(w->root, sizeof w->root, "%s", name);
    if (w->item) {
        item_start(w, name);
    } else if (w->ss && w->depth == 2 && strcmp(name, "si") == 0) {
        w->item = w->depth;
        text_clear(&w->text);
    } else if (!w->ss) {
        cells_start(w, name, attrs, nattrs);
    }
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)local; (void)prefix; (void)uri;
    walk *w = ((xmlParserCtxtPtr)ctx)->_private;
    if (!w->failed && w->item && w->depth == w->item) {
        w->item = 0;
        if (w->ss && w->text.oom)
            walk_fail(w, -2);
        else if (w->ss && w->ss->n == w->ss->cap) {
            size_t cap = w->ss->cap ? w->ss->cap * 2 : 256;
            char **v = rg_fail_now() ? NULL : realloc(w->ss->v, cap * sizeof *v);
            if (!v)
                walk_fail(w, -2);
            else
                w->ss->v = v, w->ss->cap = cap;
        }
        if (w->ss && !w->failed) {
            w->ss->v[w->ss->n++] = w->text.s; /* taken over */
            memset(&w->text, 0, sizeof w->text);
        }
    } else if (!w->failed && w->item) {
        if (w->depth == w->rph)
            w->rph = 0;
        if (w->depth == w->t)
            w->t = 0;
    } else if (!w->failed && !w->ss) {
        cells_end(w);
    }
    w->depth--;
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
    walk *w = ((xmlParserCtxtPtr)ctx)->_private;
    if (w->failed)
        return;
    if (w->item && w->t && w->depth == w->t)
        text_addn(&w->text, (const char *)ch, (size_t)len);
    else if (w->v && w->depth == w->v)
        text_addn(&w->value, (const char *)ch, (size_t)len);
}

/* Reads the part called name (at most cap bytes unpacked) through w's
 * handlers; or, with tree set, into a tree (*tree, the caller's). A
 * DOCTYPE stops either. 1 when there is no such part; 0 read; -1 bad, -2
 * out of memory, -3 a limit passed (said but for -3). */
static int part_parse(book *bk, const char *name, size_t cap, walk *w, xmlDocPtr *tree)
{
    char *buf;
    size_t len;
    int r = part_read(bk, name, cap, &buf, &len);
    if (r != 0)
        return r;
    unsigned long before = rg_xml_oom_count();
    xmlDocPtr doc = NULL;
    /* (libxml2 2.9 may hand back a half-made context) */
    xmlParserCtxtPtr p = xmlNewParserCtxt();
    if (p && rg_xml_oom_count() == before) {
        p->sax->internalSubset = on_doctype;
        if (!tree) {
            p->sax->startElementNs = on_start;
            p->sax->endElementNs = on_end;
            p->sax->characters = on_text;
            p->sax->cdataBlock = on_text;
            p->sax->ignorableWhitespace = on_text;
            p->sax->comment = NULL;
            p->sax->processingInstruction = NULL;
        }
        p->_private = w;
        w->bk = bk;
        w->p = p;
        /* XML_PARSE_HUGE: a text past 10 MB is refused without it; a stream
         * makes no tree, and our own depth is bounded (TEXT_DEPTH). len is
         * under RG_SHEET_MAX_BYTES. */
        doc = xmlCtxtReadMemory(p, buf, (int)len, name, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE);
    }
    int ill = !p || !p->wellFormed || (tree ? !doc || !xmlDocGetRootElement(doc) : !w->root[0]);
    if (p)
        xmlFreeParserCtxt(p);
    free(buf);
    int rc = 0;
    if (!p || rg_xml_oom_count() != before || w->text.oom || w->value.oom || w->failed == -2) {
        rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0, "out of memory");
        rc = -2;
    } else if (w->doctype) {
        rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0, "part '%s' declares a DOCTYPE, which is not allowed", name);
        rc = -1;
    } else if (w->failed) {
        rc = w->failed;
    } else if (ill) {
        rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0, "part '%s' is not well-formed XML: the file is damaged", name);
        rc = -1;
    }
    if (tree && rc == 0)
        *tree = doc;
    else
        xmlFreeDoc(doc);
    return rc;
}

static int shared_strings(book *bk, strings *ss)
{
    walk w = {0};
    w.ss = ss;
    int rc = part_parse(bk, "xl/sharedStrings.xml", RG_SHEET_MAX_BYTES, &w, NULL);
    free(w.text.s);
    return rc == 1 ? 0 : rc;
}

/* A part (workbook.xml, its relationships) as a tree, parsed with the
 * data files' safety rules (no DTD, no entities, no network). NULL after
 * saying why; *oom set when memory ran out. */
static xmlDocPtr part_xml(book *bk, const char *name, int *missing, int *oom)
{
    walk w = {0};
    xmlDocPtr doc = NULL;
    int r = part_parse(bk, name, RG_SHEET_MAX_INDEX, &w, &doc);
    *missing = r == 1;
    *oom = r == -2;
    return doc;
}

static int is(xmlNodePtr n, const char *local)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, local) == 0;
}

static xmlNodePtr child(xmlNodePtr n, const char *local)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (is(c, local))
            return c;
    return NULL;
}

/* An attribute by its local name, whatever its namespace ("r:id"). */
static const char *attr(xmlNodePtr n, const char *local)
{
    for (xmlAttrPtr a = n->properties; a; a = a->next)
        if (strcmp((const char *)a->name, local) == 0 && a->children && a->children->content)
            return (const char *)a->children->content;
    return NULL;
}

/* The worksheet part of the sheet called want (NULL: the first), into
 * part; the sheet's name into *name. 0, or -1/-2 after saying why. */
static int find_sheet(book *bk, const char *want, char *part, size_t size, char **name, char **list)
{
    int missing, oom;
    xmlDocPtr wb = part_xml(bk, "xl/workbook.xml", &missing, &oom);
    if (!wb) {
        if (missing)
            rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0, "not an XLSX workbook: it has no xl/workbook.xml");
        return oom ? -2 : -1;
    }
    xmlNodePtr sheets = child(xmlDocGetRootElement(wb), "sheets");
    const char *rid = NULL, *found = NULL;
    char names[512] = "";
    for (xmlNodePtr s = sheets ? sheets->children : NULL; s; s = s->next) {
        if (!is(s, "sheet") || !attr(s, "name"))
            continue;
        const char *nm = attr(s, "name");
        size_t k = strlen(names);
        snprintf(names + k, sizeof names - k, "%s'%s'", k ? ", " : "", nm);
        if (!found && (!want || strcmp(want, nm) == 0)) {
            found = nm;
            rid = attr(s, "id");
        }
    }
    int rc = 0;
    if (!found) {
        if (want)
            rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0, "no sheet '%s' (its sheets: %s)", want,
                        names[0] ? names : "none");
        else
            rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0, "the workbook has no sheet");
        rc = -1;
    } else if (!(*name = rg_fail_now() ? NULL : strdup(found)) || !(*list = strdup(names))) {
        rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0, "out of memory");
        rc = -2;
    }
    xmlDocPtr rels = NULL;
    if (rc == 0)
        rels = part_xml(bk, "xl/_rels/workbook.xml.rels", &missing, &oom);
    if (rc == 0 && !rels)
        rc = oom ? -2 : -1;
    const char *target = NULL;
    for (xmlNodePtr r = rels ? xmlDocGetRootElement(rels)->children : NULL; r && rid; r = r->next)
        if (is(r, "Relationship") && attr(r, "Id") && strcmp(attr(r, "Id"), rid) == 0)
            target = attr(r, "Target");
    if (rc == 0 && !target) {
        rg_diag_add(bk->d, RG_SEV_ERROR, bk->path, 0, 0, "sheet '%s' has no part in the workbook: the file is damaged",
                    found);
        rc = -1;
    }
    if (rc == 0) {
        /* Targets are relative to xl/, or absolute in the package ("/xl/..."). */
        if (target[0] == '/')
            snprintf(part, size, "%s", target + 1);
        else
            snprintf(part, size, "xl/%s", target);
    }
    xmlFreeDoc(rels);
    xmlFreeDoc(wb);
    return rc;
}

/* The cells of the worksheet part into b; the part's root element's name
 * into root. As part_parse. */
static int read_cells(book *bk, const char *part, const strings *sst, building *b, char *root, size_t size)
{
    walk w = {0};
    w.sst = sst;
    w.b = b;
    int rc = part_parse(bk, part, RG_SHEET_MAX_BYTES, &w, NULL);
    snprintf(root, size, "%s", w.root);
    free(w.text.s);
    free(w.value.s);
    return rc;
}

/* A chart sheet (<chartsheet>) or a dialog sheet has no cells to read. -1. */
static int not_cells(const rg_sheet *s, const char *root, rg_diags *d)
{
    rg_diag_add(d, RG_SEV_ERROR, s->path, 0, 0,
                "sheet '%s' is %s, not a sheet of cells: name the one to read with --sheet (the workbook's sheets: %s)",
                s->name, strcmp(root, "chartsheet") == 0 ? "a chart" : "of another kind", s->sheets);
    return -1;
}

static rg_status read_xlsx(rg_sheet *s, char *buf, size_t len, const char *want, rg_diags *d)
{
    int no_mem;
    const char *why = zip_api_load(&no_mem);
    if (why) {
        rg_diag_add(d, RG_SEV_ERROR, s->path, 0, 0, no_mem ? "out of memory" :
                    "reading an XLSX workbook needs libzip (Debian package libzip4): %s", why);
        return no_mem ? RG_EOUTPUT : RG_EINPUT;
    }
    /* Excel keeps a workbook saved with a password, as it kept every .xls,
     * in a compound file (OLE2), not a zip. */
    if (len >= 8 && memcmp(buf, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
        rg_diag_add(d, RG_SEV_ERROR, s->path, 0, 0,
                    "a workbook with a password, or an Excel 97-2003 one: save it as an Excel Workbook (.xlsx) "
                    "without a password");
        return RG_EINPUT;
    }
    zip_error_t ze;
    Z.error_init(&ze);
    zip_source_t *src = Z.source_buffer_create(buf, len, 0, &ze);
    zip_t *z = src ? Z.open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!z) {
        int oom = Z.error_code_zip(&ze) == ZIP_ER_MEMORY;
        rg_diag_add(d, RG_SEV_ERROR, s->path, 0, 0, oom ? "out of memory" : "not an XLSX workbook: %s",
                    Z.error_code_zip(&ze) == ZIP_ER_NOZIP ? "not a zip archive" : Z.error_strerror(&ze));
        if (src)
            Z.source_free(src);
        Z.error_fini(&ze);
        return oom ? RG_EOUTPUT : RG_EINPUT;
    }
    Z.error_fini(&ze);
    book bk = {s->path, z, 0, d};
    strings ss = {0};
    char part[1024];
    int rc = find_sheet(&bk, want, part, sizeof part, &s->name, &s->sheets);
    if (rc == 0)
        rc = shared_strings(&bk, &ss);
    building b = {s, {0}, 0, 0, 0, 0, 0};
    char root[16] = "";
    if (rc == 0) {
        rc = read_cells(&bk, part, &ss, &b, root, sizeof root);
        if (rc == 1)
            rg_diag_add(d, RG_SEV_ERROR, s->path, 0, 0, "the sheet's part '%s' is missing: the file is damaged", part);
        else if (rc == 0 && strcmp(root, "worksheet") != 0)
            rc = not_cells(s, root, d);
        else if (rc == -3)
            too_many_say(d, s->path, 0, b.too_many);
        rc = rc == 1 ? -1 : rc;
    }
    row_clear(&b.cur);
    strings_free(&ss);
    Z.discard(z);
    return rc == 0 ? RG_OK : rc == -2 ? RG_EOUTPUT : RG_EINPUT;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcasecmp(s + n - k, suffix) == 0;
}

rg_status rg_sheet_read(rg_sheet *s, const char *path, const char *sheet_name, rg_diags *d)
{
    memset(s, 0, sizeof *s);
    if (!(s->path = rg_fail_now() ? NULL : strdup(path))) {
        rg_diag_add(d, RG_SEV_ERROR, path, 0, 0, "out of memory");
        return RG_EOUTPUT;
    }
    char *buf;
    size_t len;
    int r = rg_file_read(path, RG_SHEET_MAX_BYTES, &buf, &len, d);
    if (r != 0) {
        rg_sheet_free(s);
        return r == -2 ? RG_EOUTPUT : RG_EINPUT;
    }
    rg_status st;
    if (ends_with(path, ".xlsx"))
        st = read_xlsx(s, buf, len, sheet_name, d);
    else
        st = read_csv(s, buf, len, d);
    free(buf);
    if (st != RG_OK)
        rg_sheet_free(s);
    return st;
}
