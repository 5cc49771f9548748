/* reportgen import and export: report cards from a spreadsheet and back.
 * Part of the command line: it prints. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "cli.h"

static void print_all(const rg_diags *d)
{
    char buf[2048];
    for (size_t i = 0; i < rg_diags_count(d); i++) {
        rg_diag_format(rg_diags_get(d, i), buf, sizeof buf);
        fprintf(stderr, "%s\n", buf);
    }
}

int cli_is_sheet(const char *path)
{
    size_t n = strlen(path);
    return (n > 4 && strcasecmp(path + n - 4, ".csv") == 0) || (n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0);
}

/* import SHEET -o DIR [--sheet NAME] [--template CARD.xml] [--strict] */
int cli_import(int argc, char **argv)
{
    const char *sheet = NULL, *out = NULL;
    rg_import_options io = {NULL, NULL, 0};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (++i == argc)
                return cli_usage_error("%s needs a folder", a);
            out = argv[i];
        } else if (strcmp(a, "--sheet") == 0) {
            if (++i == argc)
                return cli_usage_error("%s needs a sheet's name", a);
            io.sheet = argv[i];
        } else if (strcmp(a, "--template") == 0) {
            if (++i == argc || argv[i][0] == '-')
                return cli_usage_error("%s needs a data file", a);
            io.template_card = argv[i];
        } else if (strcmp(a, "--strict") == 0) {
            io.strict = 1;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("unknown option '%s'", a);
        } else if (sheet) {
            return cli_usage_error("import takes one sheet; '%s' is a second", a);
        } else {
            sheet = a;
        }
    }
    if (!sheet || !out)
        return cli_usage_error("%s", "import needs a sheet (.csv or .xlsx) and -o DIR");
    if (!cli_is_sheet(sheet))
        return cli_usage_error("'%s' is not a sheet: import reads .csv and .xlsx files", sheet);
    int cst = 0;
    rg_context *ctx = cli_context_new(&cst);
    if (!ctx)
        return cst;
    rg_diags *d = rg_diags_new();
    rg_status st = d ? rg_import_sheet(ctx, sheet, &io, out, d) : RG_EOUTPUT;
    if (d)
        print_all(d);
    else
        fputs("reportgen: out of memory\n", stderr);
    rg_diags_free(d);
    rg_context_free(ctx);
    return (int)st;
}

/* export DIR -o SHEET.csv */
int cli_export(int argc, char **argv)
{
    const char *dir = NULL, *out = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (++i == argc)
                return cli_usage_error("%s needs a file name", a);
            out = argv[i];
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("unknown option '%s'", a);
        } else if (dir) {
            return cli_usage_error("export takes one folder; '%s' is a second", a);
        } else {
            dir = a;
        }
    }
    if (!dir || !out)
        return cli_usage_error("%s", "export needs a folder of report cards and -o SHEET.csv");
    size_t n = strlen(out);
    if (n < 5 || strcasecmp(out + n - 4, ".csv") != 0)
        return cli_usage_error("export writes a .csv sheet; '%s' does not end in .csv", out);
    int cst = 0;
    rg_context *ctx = cli_context_new(&cst);
    if (!ctx)
        return cst;
    rg_diags *d = rg_diags_new();
    rg_status st = d ? rg_export_dir(ctx, dir, out, d) : RG_EOUTPUT;
    if (d)
        print_all(d);
    else
        fputs("reportgen: out of memory\n", stderr);
    rg_diags_free(d);
    rg_context_free(ctx);
    return (int)st;
}

rg_import *cli_sheet_stage(const char *sheet, const rg_import_options *io, char *stage, size_t size, int *bad)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(stage, size, "%s/reportgen-batch.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(stage)) {
        fprintf(stderr, "%s: error: cannot make a folder for the sheet's rows: %s\n", stage, strerror(errno));
        *bad = RG_EOUTPUT;
        return NULL;
    }
    int cst = 0;
    rg_context *ctx = cli_context_new(&cst);
    rg_diags *d = ctx ? rg_diags_new() : NULL;
    rg_import *im = NULL;
    rg_status st = d ? rg_import_stage(ctx, sheet, io, stage, &im, d) : RG_EOUTPUT;
    if (d)
        print_all(d);
    else if (ctx)
        fputs("reportgen: out of memory\n", stderr);
    rg_diags_free(d);
    rg_context_free(ctx);
    *bad = 0;
    for (size_t i = 0; im && i < rg_import_count(im); i++)
        *bad += rg_import_staged(im, i) == NULL;
    if (!im || st == RG_EOUTPUT) {
        rg_import_free(im);
        rmdir(stage);
        *bad = ctx ? (st == RG_OK ? RG_EINPUT : (int)st) : cst;
        return NULL;
    }
    return im;
}
