/* Tests for xml_load.c: rg_source_load on files written into a mkdtemp
 * folder (size cap, UTF-8 only, no DOCTYPE or entities, one error per
 * malformed file) and rg_source_column. Every diagnostic is checked whole:
 * file, line, column, severity and message. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xml.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

typedef struct fixture {
    char dir[64];
    char path[PATH_MAX];   /* the file of the current test */
    rg_diags *d;
    rg_source src;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "%s", "/tmp/rg-loader-XXXXXX");
    if (!mkdtemp(fx->dir)) {
        free(fx);
        return -1;
    }
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    rmdir(fx->dir);
    free(fx);
    return 0;
}

/* Per test: a fresh diagnostics list; afterwards the file and tree go. */
static int before(void **state)
{
    fixture *fx = *state;
    fx->d = rg_diags_new();
    fx->path[0] = 0;
    memset(&fx->src, 0, sizeof fx->src);
    return fx->d ? 0 : -1;
}

static int after(void **state)
{
    fixture *fx = *state;
    rg_source_free(&fx->src);
    rg_diags_free(fx->d);
    fx->d = NULL;
    if (fx->path[0])
        unlink(fx->path);
    return 0;
}

/* Writes n bytes into DIR/name and returns its path. */
static const char *put(fixture *fx, const char *name, const void *p, size_t n)
{
    snprintf(fx->path, sizeof fx->path, "%s/%s", fx->dir, name);
    FILE *f = fopen(fx->path, "wb");
    assert_non_null(f);
    if (n)
        assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return fx->path;
}

#define PUT(fx, name, lit) put(fx, name, lit, sizeof(lit) - 1)

/* The list holds exactly one diagnostic, this one. */
static void only_diag(const fixture *fx, const char *file, int line, int col, const char *msg)
{
    size_t n = rg_diags_count(fx->d);
    if (n != 1) {
        char buf[600];
        for (size_t i = 0; i < n; i++) {
            rg_diag_format(rg_diags_get(fx->d, i), buf, sizeof buf);
            print_message("diag %zu: %s\n", i, buf);
        }
        fail_msg("%zu diagnostics; expected 1 (\"%s\")", n, msg);
    }
    const rg_diag *g = rg_diags_get(fx->d, 0);
    assert_string_equal(g->file, file);
    assert_int_equal(g->severity, RG_SEV_ERROR);
    assert_string_equal(g->message, msg);
    if (g->line != line || g->col != col)
        fail_msg("\"%s\" at %d:%d; expected %d:%d", msg, g->line, g->col, line, col);
}

static void load_fails(fixture *fx, const char *path, size_t cap)
{
    rg_status st = rg_source_load(&fx->src, path, cap, fx->d);
    assert_int_equal(st, RG_EINPUT);
    assert_null(fx->src.doc);
    assert_null(fx->src.buf);
}

/* ---- good input --------------------------------------------------------- */

static void test_good_document(void **state)
{
    fixture *fx = *state;
    static const char xml[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<report-card year=\"2021\">\n"
        "  <state name=\"Connecticut\"/>\n"
        "  <title>Caf\xc3\xa9 &amp; more</title>\n"
        "</report-card>\n";
    const char *path = PUT(fx, "good.xml", xml);
    assert_int_equal(rg_source_load(&fx->src, path, RG_MAX_INPUT, fx->d), RG_OK);
    assert_int_equal(rg_diags_count(fx->d), 0);
    assert_non_null(fx->src.doc);
    assert_string_equal(fx->src.path, path);
    assert_int_equal(fx->src.len, sizeof xml - 1);
    assert_memory_equal(fx->src.buf, xml, sizeof xml - 1);
    xmlNodePtr root = xmlDocGetRootElement(fx->src.doc);
    assert_non_null(root);
    assert_string_equal((const char *)root->name, "report-card");
    assert_int_equal(xmlGetLineNo(root), 2);
    xmlChar *year = xmlGetProp(root, (const xmlChar *)"year");
    assert_string_equal((const char *)year, "2021");
    xmlFree(year);
    /* The predefined entity is resolved in text; the title reads as written. */
    xmlNodePtr title = root->children;
    while (title && !(title->type == XML_ELEMENT_NODE && strcmp((const char *)title->name, "title") == 0))
        title = title->next;
    assert_non_null(title);
    xmlChar *t = xmlNodeGetContent(title);
    assert_string_equal((const char *)t, "Caf\xc3\xa9 & more");
    xmlFree(t);
}

static void test_utf8_bom_accepted(void **state)
{
    fixture *fx = *state;
    const char *path = PUT(fx, "bom.xml", "\xef\xbb\xbf<r>x</r>\n");
    assert_int_equal(rg_source_load(&fx->src, path, RG_MAX_INPUT, fx->d), RG_OK);
    assert_int_equal(rg_diags_count(fx->d), 0);
    assert_string_equal((const char *)xmlDocGetRootElement(fx->src.doc)->name, "r");
}

static void test_exactly_at_cap(void **state)
{
    fixture *fx = *state;
    const char *path = PUT(fx, "ten.xml", "<a>xyz</a>"); /* 10 bytes */
    assert_int_equal(rg_source_load(&fx->src, path, 10, fx->d), RG_OK);
    assert_int_equal(rg_diags_count(fx->d), 0);
    assert_int_equal(fx->src.len, 10);
}

/* ---- refused files ------------------------------------------------------ */

static void test_empty_file(void **state)
{
    fixture *fx = *state;
    const char *path = put(fx, "empty.xml", "", 0);
    load_fails(fx, path, RG_MAX_INPUT);
    only_diag(fx, path, 1, 1, "file is empty");
}

static void test_over_cap(void **state)
{
    fixture *fx = *state;
    const char *path = PUT(fx, "big.xml", "<a>xyzw</a>\n"); /* 12 bytes */
    load_fails(fx, path, 10);
    only_diag(fx, path, 1, 1, "file is 12 bytes, over the limit of 10 bytes");
}

static void test_invalid_utf8(void **state)
{
    fixture *fx = *state;
    /* Line 3: two spaces, "<t>It", then a cp1252 apostrophe: column 8. */
    const char *path = PUT(fx, "latin1.xml",
                           "<?xml version=\"1.0\"?>\n"
                           "<r>\n"
                           "  <t>It\x92s</t>\n"
                           "</r>\n");
    load_fails(fx, path, RG_MAX_INPUT);
    only_diag(fx, path, 3, 8, "invalid UTF-8: byte 0x92 ('’' in Windows-1252): re-save the file as UTF-8");
}

static void test_invalid_utf8_column_counts_characters(void **state)
{
    fixture *fx = *state;
    /* "<r>" then n-tilde, a, n-tilde, e-acute: the bad byte is the 8th
     * character of the line but its 11th byte. */
    const char *path = PUT(fx, "cols.xml", "<r>\xc3\xb1" "a\xc3\xb1\xc3\xa9\xff</r>\n");
    load_fails(fx, path, RG_MAX_INPUT);
    only_diag(fx, path, 1, 8, "invalid UTF-8: byte 0xff ('ÿ' in Latin-1): re-save the file as UTF-8");
}

static void test_overlong_is_invalid(void **state)
{
    fixture *fx = *state;
    /* An overlong '<' (C0 BC) must not sneak markup past the check. */
    const char *path = PUT(fx, "overlong.xml", "<r>\n\xc0\xbc/r>\n</r>\n");
    load_fails(fx, path, RG_MAX_INPUT);
    only_diag(fx, path, 2, 1, "invalid UTF-8: byte 0xc0: re-save the file as UTF-8");
}

static void test_billion_laughs(void **state)
{
    fixture *fx = *state;
    const char *path = PUT(fx, "lol.xml",
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE lolz [\n"
        " <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
        "]>\n"
        "<lolz>&lol9;</lolz>\n");
    load_fails(fx, path, RG_MAX_INPUT);
    /* Refused where the parser meets the internal subset: the '[' at 2:16. */
    only_diag(fx, path, 2, 16, "DOCTYPE is not allowed: data files may not declare entities or a DTD");
}

/* Counts every attempt of libxml2 to read an external resource. */
static int external_loads;

static xmlParserInputPtr counting_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)url; (void)id; (void)ctxt;
    external_loads++;
    return NULL;
}

static void load_watched(fixture *fx, const char *path)
{
    xmlExternalEntityLoader old = xmlGetExternalEntityLoader();
    xmlSetExternalEntityLoader(counting_loader);
    external_loads = 0;
    rg_status st = rg_source_load(&fx->src, path, RG_MAX_INPUT, fx->d);
    xmlSetExternalEntityLoader(old);
    assert_int_equal(st, RG_EINPUT);
    assert_null(fx->src.doc);
    assert_null(fx->src.buf);
    assert_int_equal(external_loads, 0); /* /etc/passwd was never opened */
}

static void test_external_entity(void **state)
{
    fixture *fx = *state;
    const char *path = PUT(fx, "xxe.xml",
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
        "<r a=\"x\">&xxe;</r>\n");
    load_watched(fx, path);
    only_diag(fx, path, 2, 13, "DOCTYPE is not allowed: data files may not declare entities or a DTD");
}

static void test_external_dtd(void **state)
{
    fixture *fx = *state;
    const char *path = PUT(fx, "dtd.xml",
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE r SYSTEM \"file:///etc/passwd\">\n"
        "<r/>\n");
    load_watched(fx, path);
    only_diag(fx, path, 2, 40, "DOCTYPE is not allowed: data files may not declare entities or a DTD");
}

static void test_malformed_one_error(void **state)
{
    fixture *fx = *state;
    /* The mismatch is reported once, just after the "</b>" that ends line 5
     * (column 7); the parser's echoes for line 6 are not. */
    const char *path = PUT(fx, "bad.xml",
        "<?xml version=\"1.0\"?>\n"
        "<r>\n"
        "  <a>\n"
        "    <name>x</name>\n"
        "  </b>\n"
        "</r>\n");
    load_fails(fx, path, RG_MAX_INPUT);
    only_diag(fx, path, 5, 7, "opening and ending tag mismatch: a line 3 and b");
}

static void test_malformed_unclosed_attribute(void **state)
{
    fixture *fx = *state;
    const char *path = PUT(fx, "attr.xml",
        "<r>\n"
        "  <issue score=\"8.5 max=\"17\"/>\n"
        "</r>\n");
    load_fails(fx, path, RG_MAX_INPUT);
    assert_int_equal(rg_diags_count(fx->d), 1);
    const rg_diag *g = rg_diags_get(fx->d, 0);
    assert_string_equal(g->file, path);
    assert_int_equal(g->line, 2);
    assert_true(g->col >= 1);
    assert_int_equal(g->severity, RG_SEV_ERROR);
    assert_non_null(g->message);
    assert_true(g->message[0] >= 'a' && g->message[0] <= 'z'); /* lower case, as compilers write */
}

static void test_nul_byte(void **state)
{
    fixture *fx = *state;
    static const char xml[] = "<r>\n  <t>ab\0cd</t>\n</r>\n";
    const char *path = put(fx, "nul.xml", xml, sizeof xml - 1);
    load_fails(fx, path, RG_MAX_INPUT);
    only_diag(fx, path, 2, 8, "NUL byte in file");
}

static void test_utf16_bom(void **state)
{
    fixture *fx = *state;
    static const char le[] = "\xff\xfe<\0r\0/\0>\0";
    const char *path = put(fx, "le.xml", le, sizeof le - 1);
    load_fails(fx, path, RG_MAX_INPUT);
    only_diag(fx, path, 1, 1, "file is UTF-16: data files must be UTF-8");
}

static void test_utf16_be_and_no_bom(void **state)
{
    fixture *fx = *state;
    static const char be[] = "\xfe\xff\0<\0r\0/\0>";
    const char *path = put(fx, "be.xml", be, sizeof be - 1);
    load_fails(fx, path, RG_MAX_INPUT);
    only_diag(fx, path, 1, 1, "file is UTF-16: data files must be UTF-8");
    unlink(path);
    rg_diags_free(fx->d);
    fx->d = rg_diags_new();
    assert_non_null(fx->d);
    /* Without a BOM: '<' then a zero byte. */
    static const char nobom[] = "<\0r\0/\0>\0";
    path = put(fx, "nobom.xml", nobom, sizeof nobom - 1);
    load_fails(fx, path, RG_MAX_INPUT);
    only_diag(fx, path, 1, 1, "file is UTF-16: data files must be UTF-8");
}

static void test_missing_file(void **state)
{
    fixture *fx = *state;
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/nosuch.xml", fx->dir);
    rg_status st = rg_source_load(&fx->src, path, RG_MAX_INPUT, fx->d);
    /* xml.h: "On failure (a missing file included) returns RG_EINPUT". */
    assert_int_equal(st, RG_EINPUT);
    assert_null(fx->src.doc);
    assert_null(fx->src.buf);
    /* No position: there is no line in a file that is not there. */
    only_diag(fx, path, 0, 0, "cannot open: No such file or directory");
}

static void test_directory(void **state)
{
    fixture *fx = *state;
    rg_status st = rg_source_load(&fx->src, fx->dir, RG_MAX_INPUT, fx->d);
    assert_int_not_equal(st, RG_OK);
    assert_null(fx->src.doc);
    only_diag(fx, fx->dir, 0, 0, "not a regular file");
}

/* ---- columns ------------------------------------------------------------ */

static void test_source_column(void **state)
{
    fixture *fx = *state;
    static const char xml[] =
        "<report-card>\n"                                            /* 1 */
        "  <issues><issue number=\"1\" score=\"8.5\" max=\"17.5\"/>\n" /* 2 */
        "    <issue number=\"2\"\n"                                  /* 3 */
        "           score=\"6.5\" max=\"27.5\"/></issues>\n"         /* 4 */
        "  <t a=\"1\" xscore=\"1\" score=\"2\"/>\n"                  /* 5 */
        "  <t>caf\xc3\xa9 <issue score=\"3\"/></t>\n"                /* 6 */
        "</report-card>\n";
    const char *path = PUT(fx, "cols.xml", xml);
    assert_int_equal(rg_source_load(&fx->src, path, RG_MAX_INPUT, fx->d), RG_OK);
    const rg_source *s = &fx->src;
    assert_int_equal(rg_source_column(s, 1, "report-card", NULL), 1);
    /* <issues> is not <issue>. */
    assert_int_equal(rg_source_column(s, 2, "issues", NULL), 3);
    assert_int_equal(rg_source_column(s, 2, "issue", NULL), 11);
    assert_int_equal(rg_source_column(s, 2, "issue", "number"), 18);
    assert_int_equal(rg_source_column(s, 2, "issue", "score"), 29);
    assert_int_equal(rg_source_column(s, 2, "issue", "max"), 41);
    /* An attribute on a later line of the start tag: the element's column. */
    assert_int_equal(rg_source_column(s, 3, "issue", "score"), 5);
    /* Asked on the attribute's own line, it is found there. */
    assert_int_equal(rg_source_column(s, 4, "issue", "score"), 12);
    /* "xscore" is not "score". */
    assert_int_equal(rg_source_column(s, 5, "t", "score"), 23);
    /* Columns count characters, not bytes. */
    assert_int_equal(rg_source_column(s, 6, "issue", NULL), 11);
    assert_int_equal(rg_source_column(s, 6, "issue", "score"), 18);
    /* Not found, or no source: column 1. */
    assert_int_equal(rg_source_column(s, 2, "nosuch", NULL), 1);
    assert_int_equal(rg_source_column(s, 99, "issue", NULL), 1);
    assert_int_equal(rg_source_column(s, 0, "issue", NULL), 1);
    assert_int_equal(rg_source_column(NULL, 2, "issue", NULL), 1);
}

static void test_source_column_attr_name_in_value(void **state)
{
    fixture *fx = *state;
    /* The attribute's name also appears inside an earlier value. */
    static const char xml[] =
        "<r>\n"
        "  <issue note=\"the score is low\" score=\"-1\"/>\n"
        "  <issue title=\"score=5\" score=\"-1\"/>\n"
        "  <issue note=\"a &gt; b\" comment=\"x > y\" score=\"-1\"/>\n"
        "</r>\n";
    const char *path = PUT(fx, "vals.xml", xml);
    assert_int_equal(rg_source_load(&fx->src, path, RG_MAX_INPUT, fx->d), RG_OK);
    assert_int_equal(rg_source_column(&fx->src, 2, "issue", "score"), 34);
    assert_int_equal(rg_source_column(&fx->src, 3, "issue", "score"), 26);
    /* A '>' inside a value does not end the start tag. */
    assert_int_equal(rg_source_column(&fx->src, 4, "issue", "score"), 42);
}

/* Placeholders left in data ("[TODO: ...]", "<?todo ...?>") are warned of
 * at their line and column (characters, not bytes), once each, never from
 * inside a comment, and a mark that only starts like one is not one. */
static void test_placeholders_placed(void **state)
{
    fixture *fx = *state;
    static const char xml[] =
        "<a>\n"
        "<!-- [TODO: not this one]\n  <?todo nor this?> -->\n"
        "  \xc3\xa9\xc3\xa9 [TODO: one] x <?todo two?>\n"
        "<b t=\"[TODO: three]\"/> [TODO no <?todox no?>\n"
        "</a>\n";
    const char *path = PUT(fx, "todo.xml", xml);
    assert_int_equal(rg_source_load(&fx->src, path, RG_MAX_INPUT, fx->d), RG_OK);
    assert_int_equal(rg_source_placeholders(&fx->src, fx->d), 3);
    static const int want[3][2] = {{4, 6}, {4, 20}, {5, 7}};
    assert_int_equal(rg_diags_count(fx->d), 3);
    for (int i = 0; i < 3; i++) {
        const rg_diag *g = rg_diags_get(fx->d, (size_t)i);
        if (g->line != want[i][0] || g->col != want[i][1])
            fail_msg("placeholder %d at %d:%d (%s); expected %d:%d", i, g->line, g->col, g->message, want[i][0],
                     want[i][1]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_good_document, before, after),
        cmocka_unit_test_setup_teardown(test_utf8_bom_accepted, before, after),
        cmocka_unit_test_setup_teardown(test_exactly_at_cap, before, after),
        cmocka_unit_test_setup_teardown(test_empty_file, before, after),
        cmocka_unit_test_setup_teardown(test_over_cap, before, after),
        cmocka_unit_test_setup_teardown(test_invalid_utf8, before, after),
        cmocka_unit_test_setup_teardown(test_invalid_utf8_column_counts_characters, before, after),
        cmocka_unit_test_setup_teardown(test_overlong_is_invalid, before, after),
        cmocka_unit_test_setup_teardown(test_billion_laughs, before, after),
        cmocka_unit_test_setup_teardown(test_external_entity, before, after),
        cmocka_unit_test_setup_teardown(test_external_dtd, before, after),
        cmocka_unit_test_setup_teardown(test_malformed_one_error, before, after),
        cmocka_unit_test_setup_teardown(test_malformed_unclosed_attribute, before, after),
        cmocka_unit_test_setup_teardown(test_nul_byte, before, after),
        cmocka_unit_test_setup_teardown(test_utf16_bom, before, after),
        cmocka_unit_test_setup_teardown(test_utf16_be_and_no_bom, before, after),
        cmocka_unit_test_setup_teardown(test_missing_file, before, after),
        cmocka_unit_test_setup_teardown(test_directory, before, after),
        cmocka_unit_test_setup_teardown(test_source_column, before, after),
        cmocka_unit_test_setup_teardown(test_placeholders_placed, before, after),
        cmocka_unit_test_setup_teardown(test_source_column_attr_name_in_value, before, after),
    };
    return cmocka_run_group_tests_name("loader", tests, setup, teardown);
}
