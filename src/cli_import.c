/* reportgen import and export: report cards from a spreadsheet and back.
 * Part of the command line: it prints. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "cli.h"

int cli_is_sheet(const char *path)
{
    size_t n = strlen(path);
    return (n > 4 && strcasecmp(path + n - 4, ".csv") == 0) || (n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0);
}

/* import SHEET -o DIR [--sheet NAME] [--template CARD.xml] [--strict] */
static int cmd_import(int argc, char **argv)
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
        cli_print_diags(d);
    else
        fputs("reportgen: out of memory\n", stderr);
    rg_diags_free(d);
    rg_context_free(ctx);
    return (int)st;
}

/* export DIR -o SHEET.csv */
static int cmd_export(int argc, char **argv)
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
        cli_print_diags(d);
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
        cli_print_diags(d);
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

const cli_command cli_cmd_import = {
    "import", "SHEET.csv|SHEET.xlsx -o DIR [--sheet NAME] [--template CARD.xml]\n[--strict]",
    "write a report card per row of a spreadsheet",
    "Writes one report card per row of a spreadsheet (a CSV file, comma or\n"
    "semicolon, UTF-8 with or without a byte-order mark; or an Excel workbook)\n"
    "into DIR, columns matched by the header names of the kind's data reference\n"
    "(templates/report-card/README.md). Each row is validated and checked as a\n"
    "card is, and each message names its cell (cards.csv:7:3, cards.xlsx:Sheet1!C7).\n"
    "When any row is bad, nothing is written.\n"
    "\n"
    "Options:\n"
    "  -o, --output DIR     the folder the cards go to (made when missing)\n"
    "  --sheet NAME         of a workbook, the sheet NAME (default: the first)\n"
    "  --template CARD.xml  a card whose values stand for the columns the sheet\n"
    "                       lacks (title, dates, learn-more entries)\n"
    "  --strict             a warning makes a row bad\n"
    "  -h, --help           this text\n",
    cmd_import,
};

const cli_command cli_cmd_export = {
    "export", "DIR -o SHEET.csv",
    "write a folder's report cards as one spreadsheet",
    "Writes the report cards of DIR (every .xml, each checked first) as one CSV\n"
    "sheet with the columns import reads: importing it gives the same cards back.\n"
    "\n"
    "Options:\n"
    "  -o, --output SHEET.csv  the sheet to write\n"
    "  -h, --help              this text\n",
    cmd_export,
};
