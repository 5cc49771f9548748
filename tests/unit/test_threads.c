/* A render with two threads (rg_context_set_threads: the checks beside the
 * layout) says and writes exactly what a render with one does: the same
 * status, the same diagnostics in the same order, the same bytes or no
 * file, and the same files read. Every sample and every bad input of
 * tests/errors is rendered both ways, each way in a context of its own and
 * again in the same context (compiled templates kept). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reportgen.h"
#include "rg.h"

typedef struct outcome {
    rg_status st;
    char *said;      /* every diagnostic, formatted, one a line */
    char *bytes;     /* the file written, or NULL */
    size_t n;
    char **read;     /* the files read, sorted */
    size_t nread;
} outcome;

static char dir[64];

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    char *b = malloc((size_t)len + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    b[len] = 0; /* read as a string too (test_order) */
    *n = (size_t)len;
    return b;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static outcome render(rg_context *c, const char *in, int strict)
{
    outcome o = {0};
    char out[128];
    snprintf(out, sizeof out, "%s/out.pdf", dir);
    unlink(out);
    rg_diags *d = rg_diags_new();
    rg_render_options opt = {NULL, RG_FORMAT_PDF, 0, strict, NULL, RG_PDF_ARCHIVAL};
    o.st = rg_render_file(c, in, out, &opt, d);
    size_t cap = 1;
    for (size_t i = 0; i < rg_diags_count(d); i++)
        cap += 2100;
    o.said = calloc(cap, 1);
    assert_non_null(o.said);
    for (size_t i = 0; i < rg_diags_count(d); i++) {
        char buf[2048];
        rg_diag_format(rg_diags_get(d, i), buf, sizeof buf);
        strcat(strcat(o.said, buf), "\n");
    }
    rg_diags_free(d);
    o.bytes = slurp(out, &o.n);
    o.nread = rg_context_input_count(c);
    o.read = calloc(o.nread + 1, sizeof *o.read);
    for (size_t i = 0; i < o.nread; i++)
        o.read[i] = strdup(rg_context_input(c, i));
    qsort(o.read, o.nread, sizeof *o.read, cmp_str);
    return o;
}

static void outcome_free(outcome *o)
{
    free(o->said);
    free(o->bytes);
    for (size_t i = 0; i < o->nread; i++)
        free(o->read[i]);
    free(o->read);
}

static void same(const char *in, const outcome *a, const outcome *b)
{
    if (a->st != b->st || strcmp(a->said, b->said) != 0 || (a->bytes == NULL) != (b->bytes == NULL) ||
        a->n != b->n || (a->bytes && memcmp(a->bytes, b->bytes, a->n) != 0))
        fail_msg("%s: one thread: status %d, %s\n%s\ntwo threads: status %d, %s\n%s", in, a->st,
                 a->bytes ? "written" : "no file", a->said, b->st, b->bytes ? "written" : "no file", b->said);
    if (a->nread != b->nread) {
        for (size_t i = 0; i < a->nread || i < b->nread; i++)
            print_error("  %s | %s\n", i < a->nread ? a->read[i] : "", i < b->nread ? b->read[i] : "");
        fail_msg("%s: %zu files read with one thread, %zu with two (said: %s)", in, a->nread, b->nread, a->said);
    }
    for (size_t i = 0; i < a->nread; i++)
        assert_string_equal(a->read[i], b->read[i]);
}

/* in rendered in a fresh context with one thread and with two; then the
 * two-thread context renders it again (templates kept). */
static void both_ways(const char *in, int strict)
{
    rg_context *c1 = rg_context_new(NULL), *c2 = rg_context_new(NULL);
    assert_non_null(c1);
    assert_non_null(c2);
    rg_context_set_threads(c2, 2);
    rg_context_set_beside_min(c2, 0); /* every document, small too */
    outcome a = render(c1, in, strict), b = render(c2, in, strict);
    same(in, &a, &b);
    outcome again = render(c2, in, strict);
    assert_int_equal(again.st, a.st);
    assert_string_equal(again.said, a.said);
    outcome_free(&again);
    outcome_free(&a);
    outcome_free(&b);
    rg_context_free(c1);
    rg_context_free(c2);
}

static void each_xml(const char *folder, int strict, int *count)
{
    DIR *dd = opendir(folder);
    assert_non_null(dd);
    struct dirent *e;
    while ((e = readdir(dd)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 4, ".xml") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", folder, e->d_name);
        both_ways(path, strict);
        ++*count;
    }
    closedir(dd);
}

static void test_samples(void **state)
{
    (void)state;
    int n = 0;
    each_xml(RG_DATADIR "/data", 0, &n);
    assert_true(n >= 10);
}

static void test_samples_strict(void **state)
{
    (void)state;
    int n = 0;
    /* the annual report has two warnings: under strict it stops at the checks */
    each_xml(RG_DATADIR "/data", 1, &n);
    assert_true(n >= 10);
}

static void test_bad_inputs(void **state)
{
    (void)state;
    int n = 0;
    each_xml(RG_DATADIR "/tests/errors", 0, &n);
    assert_true(n >= 100);
}

/* The checks' findings come before the layout's words, and checks that
 * stop the document (its warnings, under strict) drop those words and the
 * file: the annual report, with its two check warnings, given a word too
 * wide for its line (a layout warning). */
static void test_order(void **state)
{
    (void)state;
    size_t n;
    char *text = slurp(RG_DATADIR "/data/tip-2021-annual.xml", &n), path[128];
    assert_non_null(text);
    const char *at = strstr(text, "The COVID pandemic");
    assert_non_null(at);
    snprintf(path, sizeof path, "%s/long.xml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "%.*sThe ", (int)(at - text), text);
    for (int i = 0; i < 12; i++)
        fputs("1234567890", f); /* 630pt of figures, which do not hyphenate */
    fputs(at + strlen("The COVID pandemic"), f);
    fclose(f);
    free(text);
    both_ways(path, 0);
    both_ways(path, 1);
    rg_context *c = rg_context_new(NULL);
    assert_non_null(c);
    rg_context_set_threads(c, 2);
    rg_context_set_beside_min(c, 0);
    outcome o = render(c, path, 0);
    assert_int_equal(o.st, RG_OK);
    assert_non_null(o.bytes);
    const char *check = strstr(o.said, "warning: chair named 'Gilcrest'"), *word = strstr(o.said, "warning: the word");
    assert_non_null(check);
    assert_non_null(word);
    assert_true(check < word);
    outcome_free(&o);
    o = render(c, path, 1);
    assert_int_equal(o.st, RG_EINPUT);
    assert_null(o.bytes);
    assert_non_null(strstr(o.said, "warning: chair named 'Gilcrest'"));
    assert_null(strstr(o.said, "warning: the word"));
    outcome_free(&o);
    rg_context_free(c);
    unlink(path);
}

/* in rendered both ways with folder searched first (a user's templates). */
static void both_ways_with(const char *in, const char *folder)
{
    rg_context *c1 = rg_context_new(NULL), *c2 = rg_context_new(NULL);
    rg_diags *d = rg_diags_new();
    assert_non_null(c1);
    assert_non_null(c2);
    assert_int_equal(rg_context_add_folder(c1, folder, d), RG_OK);
    assert_int_equal(rg_context_add_folder(c2, folder, d), RG_OK);
    rg_diags_free(d);
    rg_context_set_threads(c2, 2);
    rg_context_set_beside_min(c2, 0); /* every document, small too */
    outcome a = render(c1, in, 0), b = render(c2, in, 0);
    same(in, &a, &b);
    outcome again1 = render(c1, in, 0), again2 = render(c2, in, 0);
    same(in, &again1, &again2);
    outcome_free(&again1);
    outcome_free(&again2);
    outcome_free(&a);
    outcome_free(&b);
    rg_context_free(c1);
    rg_context_free(c2);
}

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A user's check.xsl or layout.xsl that does not compile, or both, or
 * checks that stop at run time: the same words, in the same order, and no
 * file, whichever thread compiled what. */
static void test_broken_templates(void **state)
{
    (void)state;
    static const char *const bad = "<xsl:stylesheet version=\"1.0\" "
                                   "xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">\n"
                                   "  <xsl:template match=\"/\"><xsl:value-of select=\"((\"/></xsl:template>\n"
                                   "</xsl:stylesheet>\n";
    static const char *const stops = "<xsl:stylesheet version=\"1.0\" "
                                     "xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">\n"
                                     "  <xsl:template match=\"/\"><xsl:message terminate=\"yes\">no</xsl:message>"
                                     "</xsl:template>\n</xsl:stylesheet>\n";
    char folder[128], kind[256], check[300], layout[300];
    snprintf(folder, sizeof folder, "%s/user", dir);
    snprintf(kind, sizeof kind, "%s/templates/report-card", folder);
    snprintf(check, sizeof check, "%s/check.xsl", kind);
    snprintf(layout, sizeof layout, "%s/layout.xsl", kind);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", kind);
    assert_int_equal(system(cmd), 0);
    const char *card = RG_DATADIR "/data/ct-2021-card.xml";
    put(check, bad);
    both_ways_with(card, folder); /* the checks do not compile */
    put(layout, bad);
    both_ways_with(card, folder); /* neither does */
    unlink(check);
    both_ways_with(card, folder); /* the layout does not */
    put(check, stops);
    both_ways_with(card, folder); /* the layout does not, the checks would stop */
    unlink(layout);
    both_ways_with(card, folder); /* the checks stop */
    unlink(check);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", folder);
    assert_int_equal(system(cmd), 0);
}

/* A user's schema.xsd or grades.xml that cannot be read, alone or with a
 * layout.xsl or check.xsl that does not compile: a new kind's schema and
 * scale are read on the checks' thread while the layout compiles; the
 * same words in the same order, the same files, no file written, and a
 * second render the same again. */
static void test_broken_kind(void **state)
{
    (void)state;
    static const char *const not_xml = "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n  <xs:element\n";
    static const char *const bad_schema = "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n"
                                          "  <xs:element name=\"report-card\" type=\"nowhere\"/>\n</xs:schema>\n";
    static const char *const bad_grades = "<grades>\n  <grade letter=\"A\"/>\n</grades>\n";
    static const char *const bad_xsl = "<xsl:stylesheet version=\"1.0\" "
                                       "xmlns:xsl=\"http://www.w3.org/1999/XSL/Transform\">\n"
                                       "  <xsl:template match=\"/\"><xsl:value-of select=\"((\"/></xsl:template>\n"
                                       "</xsl:stylesheet>\n";
    char folder[128], kind[256], schema[300], grades[300], layout[300], check[300], cmd[600];
    snprintf(folder, sizeof folder, "%s/userkind", dir);
    snprintf(kind, sizeof kind, "%s/templates/report-card", folder);
    snprintf(schema, sizeof schema, "%s/schema.xsd", kind);
    snprintf(grades, sizeof grades, "%s/grades.xml", kind);
    snprintf(layout, sizeof layout, "%s/layout.xsl", kind);
    snprintf(check, sizeof check, "%s/check.xsl", kind);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", kind);
    assert_int_equal(system(cmd), 0);
    const char *card = RG_DATADIR "/data/ct-2021-card.xml";
    const char *const schemas[] = {not_xml, bad_schema, NULL};
    for (int i = 0; i < 3; i++) {
        if (schemas[i])
            put(schema, schemas[i]);
        else
            put(grades, bad_grades); /* the schema read, the scale not */
        both_ways_with(card, folder);
        put(layout, bad_xsl);
        both_ways_with(card, folder); /* the layout does not compile either */
        unlink(layout);
        put(check, bad_xsl);
        both_ways_with(card, folder); /* nor the checks */
        unlink(check);
        unlink(schema);
        unlink(grades);
    }
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", folder);
    assert_int_equal(system(cmd), 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/rg-threads.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char out[128];
    snprintf(out, sizeof out, "%s/out.pdf", dir);
    unlink(out);
    rmdir(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples),
        cmocka_unit_test(test_samples_strict),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_broken_templates),
        cmocka_unit_test(test_broken_kind),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
