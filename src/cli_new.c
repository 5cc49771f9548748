/* reportgen new: a starter data file of a kind, every required part there
 * and each value still to be written marked as a placeholder, which check
 * lists and --strict refuses. The starter itself is the kind's
 * templates/KIND/starter.xsl (rg_new_file). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"

/* The year of SOURCE_DATE_EPOCH when set (the same run, the same file),
 * else of today. */
static int this_year(void)
{
    long long epoch;
    time_t t = cli_epoch(&epoch) == 0 && epoch >= 0 ? (time_t)epoch : time(NULL);
    struct tm tm;
    return gmtime_r(&t, &tm) ? tm.tm_year + 1900 : 2000;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n > k && strcmp(s + n - k, tail) == 0;
}

/* --list: the kinds one a line on stdout; without a kind: a usage error
 * that names them. */
static int list_kinds(int list)
{
    int cst = 0;
    rg_context *ctx = cli_context_new(&cst);
    if (!ctx)
        return cst;
    char kinds[1024];
    rg_new_kinds(ctx, kinds, sizeof kinds);
    rg_context_free(ctx);
    if (!list)
        return cli_usage_error("new needs a kind: %s", kinds);
    for (char *k = strtok(kinds, ", "); k; k = strtok(NULL, ", "))
        printf("%s\n", k);
    return cli_stdout_failed() ? RG_EOUTPUT : 0;
}

static int cmd_new(int argc, char **argv)
{
    const char *kind = NULL, *state = NULL, *out = NULL, *framework = NULL;
    int year = 0, list = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (++i == argc)
                return cli_usage_error("%s needs a file name", a);
            out = argv[i];
        } else if (strcmp(a, "--state") == 0) {
            if (++i == argc)
                return cli_usage_error("%s needs a state's name", a);
            state = argv[i];
        } else if (strcmp(a, "--framework") == 0) {
            if (++i == argc)
                return cli_usage_error("%s needs a framework's name", a);
            framework = argv[i];
        } else if (strcmp(a, "--year") == 0) {
            char *end;
            long y = 0;
            if (++i == argc || (y = strtol(argv[i], &end, 10)) < 2000 || *end || y > 2100)
                return cli_usage_error("%s needs a year from 2000 to 2100", a);
            year = (int)y;
        } else if (strcmp(a, "--list") == 0) {
            list = 1;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("unknown option '%s'", a);
        } else if (kind) {
            return cli_usage_error("new makes one file; '%s' is a second kind", a);
        } else {
            kind = a;
        }
    }
    if (list || !kind)
        return list_kinds(list);
    if (cli_epoch(&(long long){0}) != 0)
        return cli_usage_error("SOURCE_DATE_EPOCH '%s' is not a Unix time", getenv("SOURCE_DATE_EPOCH"));
    char def[300];
    if (!out) {
        snprintf(def, sizeof def, "%s.xml", strlen(kind) < 200 ? kind : "new");
        out = def;
    }
    /* check and batch read a folder's .xml files only. */
    if (!ends_with(out, ".xml"))
        return cli_usage_error("output '%s' does not end in .xml: name the data file NAME.xml", out);
    int cst = 0;
    rg_context *ctx = cli_context_new(&cst);
    if (!ctx)
        return cst;
    rg_diags *d = rg_diags_new();
    if (!d) {
        fputs("reportgen: out of memory\n", stderr);
        rg_context_free(ctx);
        return RG_EOUTPUT;
    }
    rg_new_options opt = {state, year ? year : this_year(), framework};
    rg_status st = rg_new_file(ctx, kind, &opt, out, d);
    char buf[2048];
    for (size_t i = 0; i < rg_diags_count(d); i++) {
        const rg_diag *g = rg_diags_get(d, i);
        if (!*g->file) /* about the call, not a file */
            fprintf(stderr, "reportgen: error: %s\n", g->message);
        else {
            rg_diag_format(g, buf, sizeof buf);
            fprintf(stderr, "%s\n", buf);
        }
    }
    if (st == RG_OK) {
        printf("%s\n", out);
        if (cli_stdout_failed())
            st = RG_EOUTPUT;
    }
    rg_diags_free(d);
    rg_context_free(ctx);
    return (int)st;
}

const cli_command cli_cmd_new = {
    "new", "KIND [--state NAME] [--year YYYY] [--framework NAME] [-o FILE.xml]\n| --list",
    "write a starter data file of a kind, to fill in",
    "Writes a starter data file of KIND (each kind whose templates/KIND/ holds a\n"
    "starter.xsl; --list names them) with every part the kind requires, its\n"
    "framework's names and maxima filled in. Each value still to be written is a\n"
    "placeholder, \"[TODO: what]\" in a text or <?todo what?> beside a number or a\n"
    "date, which 'reportgen check' lists as a warning: the draft renders (the\n"
    "placeholders show on the page), and check --strict refuses it until each one\n"
    "is filled in and its mark removed. A report card's grades are left out: they\n"
    "are computed from the scores. An existing file is never replaced.\n"
    "\n"
    "Options:\n"
    "  --state NAME       the state the document is about (\"New Mexico\")\n"
    "  --year YYYY        the document's year (default: this year)\n"
    "  --framework NAME   the grading framework, for a kind that has several\n"
    "                     (templates/KIND/frameworks/NAME.xml; default: the kind's)\n"
    "  -o, --output FILE  the file to write (default: KIND.xml in the current folder)\n"
    "  --list             the kinds, one a line\n"
    "  -h, --help         this text\n",
    cmd_new,
};
