/* Tests for sheet.c: CSV and XLSX read into rows of cells with their
 * addresses. The workbooks are made here with libzip, part by part, so
 * each test shows the XML it reads. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "sheet.h"

static char dir[] = "/tmp/rg-test-sheet.XXXXXX";

static const char *write_file(const char *name, const char *data, size_t len)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

static const char *csv(const char *name, const char *text)
{
    return write_file(name, text, strlen(text));
}

/* A workbook of the given parts: pairs of name and content, NULL-ended. */
static const char *xlsx(const char *name, ...)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
    int err = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(z);
    va_list ap;
    va_start(ap, name);
    for (const char *part; (part = va_arg(ap, const char *)) != NULL;) {
        const char *text = va_arg(ap, const char *);
        zip_source_t *s = zip_source_buffer(z, text, strlen(text), 0);
        assert_non_null(s);
        assert_true(zip_file_add(z, part, s, ZIP_FL_OVERWRITE) >= 0);
    }
    va_end(ap);
    assert_int_equal(zip_close(z), 0);
    return path;
}

#define WORKBOOK(sheets) \
    "xl/workbook.xml", \
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>" sheets \
    "</sheets></workbook>"
#define RELS(rels) \
    "xl/_rels/workbook.xml.rels", \
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">" rels "</Relationships>"
#define SHEET(part, rows) \
    part, "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" rows \
          "</sheetData></worksheet>"

static const char *first_error(rg_diags *d)
{
    static char buf[1024];
    for (size_t i = 0; i < rg_diags_count(d); i++)
        if (rg_diags_get(d, i)->severity == RG_SEV_ERROR) {
            rg_diag_format(rg_diags_get(d, i), buf, sizeof buf);
            const char *p = strstr(buf, dir);
            return p ? p + strlen(dir) + 1 : buf; /* without the folder */
        }
    return "";
}

/* ---- CSV -------------------------------------------------------------------- */

static void test_csv_quoted_newlines_keep_line_numbers(void **state)
{
    (void)state;
    rg_sheet s;
    rg_diags *d = rg_diags_new();
    const char *p = csv("a.csv", "State,Notes,Score\n"
                                 "Texas,\"two\nlines, and a \"\"quote\"\"\",9.5\n"
                                 "\n"
                                 ",,\n"
                                 "Utah,plain,7\n");
    assert_int_equal(rg_sheet_read(&s, p, NULL, d), RG_OK);
    assert_null(s.name);
    assert_int_equal(s.n, 3); /* the blank line and the row of empty cells are left out */
    assert_int_equal(s.row[1].row, 2);
    assert_string_equal(rg_sheet_text(&s.row[1], 2), "two\nlines, and a \"quote\"");
    assert_string_equal(rg_sheet_text(&s.row[1], 3), "9.5");
    assert_int_equal(s.row[2].row, 6); /* the line it starts on, past the quoted line break */
    assert_string_equal(rg_sheet_text(&s.row[2], 1), "Utah");
    assert_string_equal(rg_sheet_text(&s.row[2], 9), ""); /* past the row's end */
    rg_sheet_free(&s);
    rg_diags_free(d);
}

static void test_csv_bom_semicolons_crlf(void **state)
{
    (void)state;
    rg_sheet s;
    rg_diags *d = rg_diags_new();
    const char *p = csv("b.csv", "\xEF\xBB\xBFState;Score;Note\r\nTexas;9,5;\"a; b\"\r\nUtah;7;x\r\n");
    assert_int_equal(rg_sheet_read(&s, p, NULL, d), RG_OK);
    assert_int_equal(s.n, 3);
    assert_string_equal(rg_sheet_text(&s.row[0], 1), "State"); /* no byte-order mark left */
    assert_string_equal(rg_sheet_text(&s.row[1], 2), "9,5");   /* a comma is the decimal mark here */
    assert_string_equal(rg_sheet_text(&s.row[1], 3), "a; b");
    assert_int_equal(s.row[2].row, 3);
    rg_sheet_free(&s);
    rg_diags_free(d);
}

/* A text a spreadsheet would run as a formula is written with an apostrophe
 * before it; a CSV cell so written reads back without it, others as they are. */
static void test_csv_formula_apostrophe(void **state)
{
    (void)state;
    assert_true(rg_sheet_formula_like("=1+2", 4));
    assert_true(rg_sheet_formula_like("@SUM(A1)", 8));
    assert_true(rg_sheet_formula_like("-2+3", 4));
    assert_true(rg_sheet_formula_like("'-1", 3)); /* a text that looks like a number */
    assert_true(rg_sheet_formula_like("-", 1));
    assert_false(rg_sheet_formula_like("-1.5", 4));
    assert_false(rg_sheet_formula_like("+9", 2));
    assert_false(rg_sheet_formula_like("9", 1));
    assert_false(rg_sheet_formula_like("'abc", 4));
    assert_false(rg_sheet_formula_like("", 0));
    rg_sheet s;
    rg_diags *d = rg_diags_new();
    const char *p = csv("f.csv", "A,B,C,D,E\n'=1+2,\"'@x, y\",''-1,'abc,-1.5\n");
    assert_int_equal(rg_sheet_read(&s, p, NULL, d), RG_OK);
    assert_int_equal(s.n, 2);
    assert_string_equal(rg_sheet_text(&s.row[1], 1), "=1+2");
    assert_string_equal(rg_sheet_text(&s.row[1], 2), "@x, y");
    assert_string_equal(rg_sheet_text(&s.row[1], 3), "'-1");
    assert_string_equal(rg_sheet_text(&s.row[1], 4), "'abc");
    assert_string_equal(rg_sheet_text(&s.row[1], 5), "-1.5");
    rg_sheet_free(&s);
    rg_diags_free(d);
}

static void test_csv_not_utf8_and_bad_quotes(void **state)
{
    (void)state;
    rg_sheet s;
    rg_diags *d = rg_diags_new();
    const char *p = csv("c.csv", "State,Year\nTexas,2021\nM\xe9xico,2021\n");
    assert_int_equal(rg_sheet_read(&s, p, NULL, d), RG_EINPUT);
    assert_string_equal(first_error(d), "c.csv:3:2: error: the file is not UTF-8: re-save it as UTF-8 (in Excel: CSV UTF-8)");
    rg_diags_free(d);
    d = rg_diags_new();
    p = csv("d.csv", "State,Year\nTexas,20\"21\n");
    assert_int_equal(rg_sheet_read(&s, p, NULL, d), RG_EINPUT);
    assert_non_null(strstr(first_error(d), "d.csv:2:1: error: a quote inside a field"));
    rg_diags_free(d);
    d = rg_diags_new();
    p = csv("e.csv", "State,Year\nTexas,\"2021\n");
    assert_int_equal(rg_sheet_read(&s, p, NULL, d), RG_EINPUT);
    assert_string_equal(first_error(d), "e.csv:2:1: error: a quoted field is never closed: its closing quote is missing");
    rg_diags_free(d);
}

/* ---- XLSX ------------------------------------------------------------------- */

static void test_xlsx_cells(void **state)
{
    (void)state;
    const char *p = xlsx("w.xlsx",
        WORKBOOK("<sheet name=\"Notes\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"Cards\" sheetId=\"2\" r:id=\"rId2\"/>"),
        RELS("<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"
             "<Relationship Id=\"rId2\" Target=\"/xl/worksheets/cards.xml\"/>"),
        "xl/sharedStrings.xml",
        "<sst><si><t>State</t></si><si><r><t xml:space=\"preserve\">New </t></r><r><rPr><b/></rPr><t>Hampshire</t></r>"
        "<rPh><t>PHONETIC</t></rPh></si><si><t>Score</t></si></sst>",
        SHEET("xl/worksheets/sheet1.xml", "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>notes</t></is></c></row>"),
        SHEET("xl/worksheets/cards.xml",
              "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"s\"><v>2</v></c></row>"
              "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>1</v></c><c r=\"C4\"><v>9.5</v></c>"
              "<c t=\"b\"><v>1</v></c><c r=\"F4\" t=\"inlineStr\"><is><r><t>in</t></r><r><t>line</t></r></is></c></row>"),
        NULL);
    rg_sheet s;
    rg_diags *d = rg_diags_new();
    assert_int_equal(rg_sheet_read(&s, p, "Cards", d), RG_OK);
    assert_string_equal(s.name, "Cards");
    assert_int_equal(s.n, 2);
    assert_int_equal(s.row[1].row, 4);
    assert_string_equal(rg_sheet_text(&s.row[1], 1), "New Hampshire"); /* runs joined, phonetic text left out */
    assert_string_equal(rg_sheet_text(&s.row[1], 2), "");              /* B4 is not in the file */
    assert_string_equal(rg_sheet_text(&s.row[1], 3), "9.5");           /* as written */
    assert_true(rg_sheet_is_number(&s.row[1], 3));
    assert_string_equal(rg_sheet_text(&s.row[1], 4), "TRUE");          /* a cell without r follows C4 */
    assert_false(rg_sheet_is_number(&s.row[1], 4));
    assert_string_equal(rg_sheet_text(&s.row[1], 6), "inline");
    rg_sheet_diag(d, &s, RG_SEV_ERROR, 4, 3, "score '%s' is bad", "9.5");
    assert_string_equal(first_error(d), "w.xlsx:Cards!C4: error: score '9.5' is bad");
    rg_sheet_free(&s);
    rg_diags_free(d);

    /* No name: the first sheet. */
    d = rg_diags_new();
    assert_int_equal(rg_sheet_read(&s, p, NULL, d), RG_OK);
    assert_string_equal(s.name, "Notes");
    assert_string_equal(rg_sheet_text(&s.row[0], 1), "notes");
    rg_sheet_free(&s);
    rg_diags_free(d);

    d = rg_diags_new();
    assert_int_equal(rg_sheet_read(&s, p, "Scores", d), RG_EINPUT);
    assert_string_equal(first_error(d), "w.xlsx: error: no sheet 'Scores' (its sheets: 'Notes', 'Cards')");
    rg_diags_free(d);
}

static void test_xlsx_damaged(void **state)
{
    (void)state;
    rg_sheet s;
    rg_diags *d = rg_diags_new();
    const char *p = xlsx("x.xlsx", WORKBOOK("<sheet name=\"S\" r:id=\"rId1\"/>"),
                         RELS("<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"),
                         SHEET("xl/worksheets/sheet1.xml", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>3</v></c></row>"), NULL);
    assert_int_equal(rg_sheet_read(&s, p, NULL, d), RG_EINPUT);
    assert_string_equal(first_error(d), "x.xlsx: error: cell A1 names shared string 3, which the workbook lacks: the file is damaged");
    rg_diags_free(d);

    d = rg_diags_new();
    p = xlsx("y.xlsx", WORKBOOK("<sheet name=\"S\" r:id=\"rId1\"/>"),
             RELS("<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"),
             "xl/worksheets/sheet1.xml", "<!DOCTYPE w [<!ENTITY a \"aaaa\">]><worksheet/>", NULL);
    assert_int_equal(rg_sheet_read(&s, p, NULL, d), RG_EINPUT);
    assert_string_equal(first_error(d), "y.xlsx: error: part 'xl/worksheets/sheet1.xml' declares a DOCTYPE, which is not allowed");
    rg_diags_free(d);

    d = rg_diags_new();
    p = csv("z.xlsx", "State,Year\n");
    assert_int_equal(rg_sheet_read(&s, p, NULL, d), RG_EINPUT);
    assert_string_equal(first_error(d), "z.xlsx: error: not an XLSX workbook: not a zip archive");
    rg_diags_free(d);
}

/* A part that unpacks past the limit is refused before it is unpacked. */
static void test_xlsx_bomb(void **state)
{
    (void)state;
    size_t n = RG_SHEET_MAX_BYTES + 1;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, ' ', n);
    big[n] = 0;
    const char *p = xlsx("bomb.xlsx", WORKBOOK("<sheet name=\"S\" r:id=\"rId1\"/>"),
                         RELS("<Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/>"),
                         "xl/worksheets/sheet1.xml", big, NULL);
    free(big);
    rg_sheet s;
    rg_diags *d = rg_diags_new();
    assert_int_equal(rg_sheet_read(&s, p, NULL, d), RG_EINPUT);
    assert_string_equal(first_error(d), "bomb.xlsx: error: part 'xl/worksheets/sheet1.xml' unpacks to 16777217 bytes, "
                                        "over the limit of 16777216 bytes (a damaged file or a zip bomb)");
    rg_diags_free(d);
}

static void test_col_names(void **state)
{
    (void)state;
    char b[16];
    int cols[] = {1, 26, 27, 52, 703};
    const char *want[] = {"A", "Z", "AA", "AZ", "AAA"};
    for (int i = 0; i < 5; i++) {
        rg_sheet_col_name(cols[i], b, sizeof b);
        assert_string_equal(b, want[i]);
    }
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_quoted_newlines_keep_line_numbers),
        cmocka_unit_test(test_csv_formula_apostrophe),
        cmocka_unit_test(test_csv_bom_semicolons_crlf),
        cmocka_unit_test(test_csv_not_utf8_and_bad_quotes),
        cmocka_unit_test(test_xlsx_cells),
        cmocka_unit_test(test_xlsx_damaged),
        cmocka_unit_test(test_xlsx_bomb),
        cmocka_unit_test(test_col_names),
    };
    return cmocka_run_group_tests_name("sheet", tests, setup, teardown);
}
