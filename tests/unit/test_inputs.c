/* Tests for what a context tells of its renders (rg_context_input_count,
 * rg_context_input, rg_context_missing_count, rg_context_missing,
 * rg_context_pages): the files a render read and those it looked for in
 * vain, which a watcher watches, and the pages it laid out. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reportgen.h"

typedef struct fx { char dir[64], out[128], bad[128]; rg_context *ctx; rg_diags *d; } fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/rg-inputs.XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->out, sizeof f->out, "%s/out.pdf", f->dir);
    snprintf(f->bad, sizeof f->bad, "%s/bad.xml", f->dir);
    FILE *b = fopen(f->bad, "w");
    if (!b)
        return -1;
    fputs("<report-card year=\"2021\">\n  <state name=\"Ohio\"\n</report-card>\n", b);
    fclose(b);
    f->ctx = rg_context_new(NULL); /* RG_DATADIR: this checkout */
    f->d = rg_diags_new();
    *state = f;
    return f->ctx && f->d ? 0 : -1;
}

static int teardown(void **state)
{
    fx *f = *state;
    rg_diags_free(f->d);
    rg_context_free(f->ctx);
    unlink(f->out);
    unlink(f->bad);
    rmdir(f->dir);
    free(f);
    return 0;
}

/* Is there an entry of the list ending in tail? And how many? */
static int count_ending(const rg_context *c, const char *tail)
{
    int n = 0;
    size_t tl = strlen(tail);
    for (size_t i = 0; i < rg_context_input_count(c); i++) {
        const char *p = rg_context_input(c, i);
        n += strlen(p) >= tl && strcmp(p + strlen(p) - tl, tail) == 0;
    }
    return n;
}

/* Pages of a layout trace (paint_trace.c): its "page N ..." lines. */
static int trace_pages(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[4096];
    int pages = 0;
    while (fgets(line, sizeof line, f))
        pages += strncmp(line, "page ", 5) == 0;
    fclose(f);
    return pages;
}

/* The pages ctx claims for in, just rendered, are those of its trace. */
static void assert_pages_as_traced(fx *f, const char *in)
{
    int pages = rg_context_pages(f->ctx);
    char trace[160];
    snprintf(trace, sizeof trace, "%s/out.trace", f->dir);
    rg_render_options opt = {NULL, RG_FORMAT_TRACE, -1, 0, NULL, RG_PDF_ARCHIVAL};
    assert_int_equal(rg_render_file(f->ctx, in, trace, &opt, f->d), RG_OK);
    assert_int_equal(rg_context_pages(f->ctx), pages);
    assert_int_equal(trace_pages(trace), pages);
    unlink(trace);
}

static void test_render_lists_what_it_read(void **state)
{
    fx *f = *state;
    const char *in = RG_DATADIR "/data/ct-2021-card.xml";
    assert_int_equal(rg_context_input_count(f->ctx), 0);
    assert_int_equal(rg_context_pages(f->ctx), 0);
    assert_int_equal(rg_render_file(f->ctx, in, f->out, NULL, f->d), RG_OK);
    /* the data file first, under the name it was given */
    assert_string_equal(rg_context_input(f->ctx, 0), in);
    /* the kind's schema, checks and layout, a common file they import, the
       theme the organisation's brand names and the fonts it sets */
    const char *want[] = {"/templates/report-card/schema.xsd", "/templates/report-card/check.xsl",
                          "/templates/report-card/layout.xsl", "/templates/common/state-rules.xsl",
                          "/templates/common/brands.xml",      "/templates/themes/sharedhope.xml",
                          "/fonts/Lato-Regular.ttf",           "/fonts/Lato-Bold.ttf"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_int_equal(count_ending(f->ctx, want[i]), 1);
    /* each once, and nothing past the end */
    for (size_t i = 0; i < rg_context_input_count(f->ctx); i++)
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(rg_context_input(f->ctx, i), rg_context_input(f->ctx, j));
    assert_null(rg_context_input(f->ctx, rg_context_input_count(f->ctx)));
    assert_int_equal(count_ending(f->ctx, "/out.pdf"), 0);
    assert_pages_as_traced(f, in);
}

static void test_pages_of_a_long_document(void **state)
{
    fx *f = *state;
    const char *in = RG_DATADIR "/data/tip-2021-annual.xml";
    assert_int_equal(rg_render_file(f->ctx, in, f->out, NULL, f->d), RG_OK);
    assert_true(rg_context_pages(f->ctx) > 1);
    assert_pages_as_traced(f, in);
}

/* A data file that does not load read no template: the list holds it
 * alone, and no pages are claimed, not even the last render's. */
static void test_failed_render(void **state)
{
    fx *f = *state;
    assert_int_equal(rg_render_file(f->ctx, RG_DATADIR "/data/ct-2021-card.xml", f->out, NULL, f->d), RG_OK);
    assert_int_equal(rg_context_pages(f->ctx), 1);
    rg_context *fresh = rg_context_new(NULL);
    assert_non_null(fresh);
    assert_int_equal(rg_render_file(fresh, f->bad, f->out, NULL, f->d), RG_EINPUT);
    assert_int_equal(rg_context_input_count(fresh), 1);
    assert_string_equal(rg_context_input(fresh, 0), f->bad);
    rg_context_free(fresh);
    assert_int_equal(rg_render_file(f->ctx, f->bad, f->out, NULL, f->d), RG_EINPUT);
    assert_int_equal(rg_context_pages(f->ctx), 0);
}

/* What a render looked for in vain is listed apart: a theme's logo. */
static void test_missing_files_are_listed(void **state)
{
    fx *f = *state;
    assert_int_equal(rg_render_file(f->ctx, RG_DATADIR "/data/ct-2021-card.xml", f->out, NULL, f->d), RG_OK);
    assert_int_equal(rg_context_missing_count(f->ctx), 0);
    char theme[160], logo[160];
    snprintf(theme, sizeof theme, "%s/brand.xml", f->dir);
    snprintf(logo, sizeof logo, "%s/seal.png", f->dir);
    FILE *t = fopen(theme, "w");
    assert_non_null(t);
    fputs("<theme name=\"brand\">\n"
          "  <font family=\"Lato\" regular=\"fonts/Lato-Regular.ttf\" bold=\"fonts/Lato-Bold.ttf\"/>\n"
          "  <logo src=\"seal.png\"/>\n"
          "  <style name=\"body\" font=\"Lato\" size=\"9pt\"/>\n"
          "</theme>\n",
          t);
    fclose(t);
    rg_render_options opt = {theme, RG_FORMAT_PDF, -1, 0, NULL, RG_PDF_ARCHIVAL};
    for (int twice = 0; twice < 2; twice++)
        assert_int_equal(rg_render_file(f->ctx, RG_DATADIR "/data/sample-release-agency.xml", f->out, &opt, f->d),
                         RG_EINPUT);
    assert_int_equal(rg_context_missing_count(f->ctx), 1); /* once, though looked for twice */
    assert_string_equal(rg_context_missing(f->ctx, 0), logo);
    assert_null(rg_context_missing(f->ctx, 1));
    unlink(theme);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_render_lists_what_it_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pages_of_a_long_document, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_render, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_files_are_listed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
