/* The command line: parses arguments, runs the library, prints diagnostics.
 * The only part of the program that talks to the user. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

static const char USAGE[] =
    "usage: reportgen render IN.xml [-o OUT.pdf] [--theme NAME|FILE] [--format pdf|trace]\n"
    "                      [--root DIR] [--strict]\n"
    "       reportgen check IN.xml... [--strict]\n"
    "       reportgen overview DIR [-o OUT.pdf] [--theme NAME|FILE]\n"
    "       reportgen batch DIR|LIST|SHEET -o OUTDIR [-j N] [--changed] [--timeout S]\n"
    "                      [--root DIR] [--theme NAME|FILE] [--strict] [--sheet NAME]\n"
    "                      [--template CARD.xml]\n"
    "       reportgen import SHEET.csv|SHEET.xlsx -o DIR [--sheet NAME] [--template CARD.xml]\n"
    "                      [--strict]\n"
    "       reportgen export DIR -o SHEET.csv\n"
    "       reportgen watch IN.xml [-o OUT.pdf] [--theme NAME|FILE] [--root DIR] [--strict]\n"
    "       reportgen --help | --version\n";

static const char HELP[] =
    "reportgen turns XML data into branded, print-ready PDF documents.\n"
    "\n"
    "Commands:\n"
    "  render IN.xml    validate, check and lay out IN.xml, then write the PDF.\n"
    "                   The root element of IN.xml names its kind (templates/KIND/).\n"
    "  check IN.xml...  validate and run the kind's consistency checks, then its rules\n"
    "                   about the files together (a rank held twice); write nothing.\n"
    "  overview DIR     the national overview of the report cards in DIR: map, ranking,\n"
    "                   average and grade distribution (default output overview.pdf).\n"
    "  batch DIR|LIST   render every .xml in DIR (or each path listed in the file LIST)\n"
    "                   into OUTDIR with N worker processes (default: one per core).\n"
    "                   One bad or crashing document never stops the others; each\n"
    "                   failure is listed at the end; Ctrl-C stops cleanly.\n"
    "                   --changed skips documents whose PDF is newer than their data,\n"
    "                   the templates, themes and fonts. --timeout S stops a\n"
    "                   document that takes longer than S seconds (default 120).\n"
    "  watch IN.xml     render IN.xml, then again each time it, its theme or a\n"
    "                   template, font or image it was made from is saved; one line\n"
    "                   per render (time, pages, milliseconds) and its findings. A\n"
    "                   save with an error keeps the last good PDF. Ctrl-C stops.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT   where the output goes (default: IN's name with .pdf, in the\n"
    "                     current folder; '-' writes a trace to standard output).\n"
    "                     It is written to a temporary file and renamed, so OUT is\n"
    "                     either complete or left as it was.\n"
    "  --theme NAME|FILE  brand from templates/themes/NAME.xml, or the theme file FILE\n"
    "                     (a value holding '/' or ending in .xml); default: the one the\n"
    "                     data names, else its organisation's brand in\n"
    "                     templates/common/brands.xml, else neutral\n"
    "  --format pdf|trace the PDF, or the layout trace (one line per drawn item)\n"
    "  --root DIR         the folder whose files a document may name (images);\n"
    "                     default: the data file's own folder. A path outside it\n"
    "                     is refused; the templates are always readable.\n"
    "  --strict           treat warnings as errors\n"
    "  --pdf-standard S   a-2a,ua-1 (the default): the PDF claims PDF/A-2a and\n"
    "                     PDF/UA-1 in XMP metadata and has an sRGB output intent;\n"
    "                     none: a plain tagged PDF without them (render, overview,\n"
    "                     batch and watch)\n"
    "  -h, --help         this text\n"
    "  --version          the version\n"
    "\n"
    "Environment:\n"
    "  SOURCE_DATE_EPOCH  creation date of the PDF (Unix time); default: the data's date\n"
    "  REPORTGEN_DATADIR  the folder holding templates/ and fonts/ (the base)\n"
    "  REPORTGEN_PATH     folders laid out like it (DIR:DIR...), searched first and\n"
    "                     adding to it: each file of templates/ (a kind's schema, layout\n"
    "                     or checks, a theme, a file a template reads) and of fonts/ is\n"
    "                     taken from the first folder that has it\n"
    "\n"
    "Exit status: 0 done, 1 bad input (nothing written; batch: a document failed),\n"
    "2 usage (and an output that is one of the inputs), 3 output not written (batch:\n"
    "a document not attempted, or the report to standard output lost), 130 batch\n"
    "interrupted.\n"
    "Messages read FILE:LINE:COL: severity: message.\n";

int cli_usage_error(const char *fmt, const char *arg)
{
    fputs("reportgen: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n", stderr);
    fputs(USAGE, stderr);
    return RG_EUSAGE;
}

static void print_diags(const rg_diags *d)
{
    char buf[2048];
    for (size_t i = 0; i < rg_diags_count(d); i++) {
        rg_diag_format(rg_diags_get(d, i), buf, sizeof buf);
        fprintf(stderr, "%s\n", buf);
    }
}

/* The temporary file being written (rg_context_set_temp_slot): removed by
 * name when a signal ends the run, so no partial file survives it. */
static volatile char temp_slot[8192];

static void on_fatal_signal(int sig)
{
    if (temp_slot[0])
        unlink((const char *)temp_slot);
    signal(sig, SIG_DFL);
    raise(sig);
}

void cli_guard_temp_files(rg_context *ctx)
{
    rg_context_set_temp_slot(ctx, temp_slot, sizeof temp_slot);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal_signal;
    sigfillset(&sa.sa_mask);
    int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        /* A signal ignored by whoever started us stays ignored (nohup). */
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

/* Was standard output closed when we started (then /dev/null stands in for
 * it, so that no file we open takes its number)? */
static int stdout_was_closed;

static void std_fds_open(void)
{
    for (int fd = 0; fd <= 2; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
            int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
            if (n >= 0 && n != fd)
                close(n);
            if (fd == 1)
                stdout_was_closed = 1;
        }
}

int cli_stdout_failed(void)
{
    int e = 0;
    if (fflush(stdout) != 0 || ferror(stdout))
        e = errno ? errno : EIO;
    if (stdout_was_closed)
        e = EBADF;
    if (!e)
        return 0;
    fprintf(stderr, "reportgen: error: cannot write to standard output: %s\n",
            e == EBADF ? "it is closed" : strerror(e));
    return 1;
}

int cli_is_folder(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cli_datadir(void)
{
    const char *e = getenv("REPORTGEN_DATADIR");
    return e && *e ? e : NULL;
}

int cli_datadir_usable(void)
{
    const char *e = cli_datadir();
    char t[4200];
    if (!e)
        return 0;
    snprintf(t, sizeof t, "%s/templates", e);
    if (cli_is_folder(t))
        return 0;
    fprintf(stderr, "reportgen: error: REPORTGEN_DATADIR '%s' holds no templates/ folder\n", e);
    return RG_EUSAGE;
}

const char *cli_datadir_or_default(void)
{
    const char *e = cli_datadir();
    return e ? e : RG_DATADIR;
}

void cli_each_folder(void (*fn)(const char *dir, void *arg), void *arg)
{
    const char *p = getenv("REPORTGEN_PATH");
    while (p && *p) {
        const char *colon = strchr(p, ':');
        size_t n = colon ? (size_t)(colon - p) : strlen(p);
        char dir[4096];
        if (n > 0 && n < sizeof dir) {
            memcpy(dir, p, n);
            dir[n] = 0;
            fn(dir, arg);
        }
        p += n + (colon != NULL);
    }
    fn(cli_datadir_or_default(), arg);
}

typedef struct adding { rg_context *ctx; rg_diags *d; rg_status st; } adding;

static void add_folder(const char *dir, void *arg)
{
    adding *ad = arg;
    if (ad->st == RG_OK && strcmp(dir, cli_datadir_or_default()) != 0)
        ad->st = rg_context_add_folder(ad->ctx, dir, ad->d);
}

rg_context *cli_context_new(int *status)
{
    if (cli_datadir_usable() != 0) {
        *status = RG_EUSAGE;
        return NULL;
    }
    adding ad = {rg_context_new(cli_datadir()), rg_diags_new(), RG_OK};
    if (!ad.ctx || !ad.d) {
        fputs("reportgen: out of memory\n", stderr);
        rg_context_free(ad.ctx);
        rg_diags_free(ad.d);
        *status = RG_EOUTPUT;
        return NULL;
    }
    /* Empty entries (a:b:, ::) are skipped, as PATH's are not: an empty
     * folder name here is more likely a slip than "the current folder". */
    cli_each_folder(add_folder, &ad);
    if (ad.st != RG_OK) {
        char buf[2048];
        for (size_t i = 0; i < rg_diags_count(ad.d); i++) {
            rg_diag_format(rg_diags_get(ad.d, i), buf, sizeof buf);
            fprintf(stderr, "%s (REPORTGEN_PATH)\n", buf);
        }
        rg_context_free(ad.ctx);
        ad.ctx = NULL;
        *status = ad.st == RG_EOUTPUT ? RG_EOUTPUT : RG_EUSAGE;
    }
    rg_diags_free(ad.d);
    return ad.ctx;
}

int cli_epoch(long long *out)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    *out = -1;
    if (!e || !*e)
        return 0;
    char *end;
    errno = 0;
    long long v = strtoll(e, &end, 10);
    if (errno || *end || v < 0 || v > 253402300799LL)
        return -1;
    *out = v;
    return 0;
}

int cli_pdf_standard(const char *v, rg_pdf_standard *out)
{
    if (strcmp(v, "a-2a,ua-1") == 0)
        *out = RG_PDF_ARCHIVAL;
    else if (strcmp(v, "none") == 0)
        *out = RG_PDF_PLAIN;
    else
        return -1;
    return 0;
}

/* Default output: IN's base name with the extension replaced, in the current folder. */
static char *default_output(const char *in, const char *ext)
{
    const char *b = strrchr(in, '/') ? strrchr(in, '/') + 1 : in;
    size_t n = strlen(b);
    const char *dot = strrchr(b, '.');
    if (dot && dot != b)
        n = (size_t)(dot - b);
    char *o = malloc(n + strlen(ext) + 1);
    if (o) {
        memcpy(o, b, n);
        strcpy(o + n, ext);
    }
    return o;
}

/* The options render and overview share. Parses argv into out, opt and the
 * one positional argument (what names it: "render", "overview"). Returns 0,
 * or the usage error's exit status. */
static int parse_render_args(int argc, char **argv, const char *what, const char **pos, const char **out,
                             rg_render_options *opt)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (++i == argc)
                return cli_usage_error("%s needs a file name", a);
            *out = argv[i];
        } else if (strcmp(a, "--theme") == 0) {
            if (++i == argc)
                return cli_usage_error("%s needs a theme name or file", a);
            opt->theme = argv[i];
        } else if (strcmp(a, "--format") == 0) {
            if (++i == argc)
                return cli_usage_error("%s needs pdf or trace", a);
            if (strcmp(argv[i], "pdf") == 0)
                opt->format = RG_FORMAT_PDF;
            else if (strcmp(argv[i], "trace") == 0)
                opt->format = RG_FORMAT_TRACE;
            else
                return cli_usage_error("unknown format '%s' (pdf or trace)", argv[i]);
        } else if (strcmp(a, "--root") == 0) {
            if (++i == argc)
                return cli_usage_error("%s needs a folder", a);
            opt->root = argv[i];
        } else if (strcmp(a, "--strict") == 0) {
            opt->strict = 1;
        } else if (strcmp(a, "--pdf-standard") == 0) {
            if (++i == argc || cli_pdf_standard(argv[i], &opt->pdf_standard) != 0)
                return cli_usage_error("--pdf-standard needs %s", CLI_PDF_STANDARDS);
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("unknown option '%s'", a);
        } else if (*pos) {
            fprintf(stderr, "reportgen: %s takes one input; '%s' is a second\n%s", what, a, USAGE);
            return RG_EUSAGE;
        } else {
            *pos = a;
        }
    }
    if (!*pos) {
        fprintf(stderr, "reportgen: %s needs %s\n%s", what,
                strcmp(what, "render") == 0 ? "an input file" : "the folder of report cards", USAGE);
        return RG_EUSAGE;
    }
    if (cli_epoch(&opt->epoch) != 0)
        return cli_usage_error("SOURCE_DATE_EPOCH '%s' is not a Unix time", getenv("SOURCE_DATE_EPOCH"));
    if (opt->root && !cli_is_folder(opt->root))
        return cli_usage_error("--root '%s' is not a folder", opt->root);
    return 0; /* REPORTGEN_DATADIR is checked by cli_context_new */
}

static int cmd_render(int argc, char **argv)
{
    const char *in = NULL, *out = NULL;
    rg_render_options opt = {NULL, RG_FORMAT_PDF, -1, 0, NULL, RG_PDF_ARCHIVAL};
    int rc = parse_render_args(argc, argv, "render", &in, &out, &opt);
    if (rc != 0)
        return rc;
    char *def = NULL;
    if (!out) {
        def = default_output(in, opt.format == RG_FORMAT_TRACE ? ".trace" : ".pdf");
        if (!def) {
            fputs("reportgen: out of memory\n", stderr);
            return RG_EOUTPUT;
        }
        out = def;
    }
    int cst = 0;
    rg_context *ctx = cli_context_new(&cst);
    if (!ctx) {
        free(def);
        return cst;
    }
    rg_diags *d = rg_diags_new();
    if (!d) {
        fputs("reportgen: out of memory\n", stderr);
        rg_context_free(ctx);
        free(def);
        return RG_EOUTPUT;
    }
    cli_guard_temp_files(ctx);
    rg_status st = rg_render_file(ctx, in, out, &opt, d);
    if (st == RG_OK && strcmp(out, "-") == 0 && cli_stdout_failed())
        st = RG_EOUTPUT;
    print_diags(d);
    rg_diags_free(d);
    rg_context_free(ctx);
    free(def);
    return (int)st;
}

static int cmd_overview(int argc, char **argv)
{
    const char *dir = NULL, *out = NULL;
    rg_render_options opt = {NULL, RG_FORMAT_PDF, -1, 0, NULL, RG_PDF_ARCHIVAL};
    int rc = parse_render_args(argc, argv, "overview", &dir, &out, &opt);
    if (rc != 0)
        return rc;
    if (!out)
        out = opt.format == RG_FORMAT_TRACE ? "overview.trace" : "overview.pdf";
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
    cli_guard_temp_files(ctx);
    rg_status st = rg_overview_dir(ctx, dir, out, &opt, d);
    if (st == RG_OK && strcmp(out, "-") == 0 && cli_stdout_failed())
        st = RG_EOUTPUT;
    print_diags(d);
    rg_diags_free(d);
    rg_context_free(ctx);
    return (int)st;
}

static int cmd_check(int argc, char **argv)
{
    int strict = 0, nfiles = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--strict") == 0)
            strict = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error("unknown option '%s'", argv[i]);
        else
            nfiles++;
    }
    if (nfiles == 0)
        return cli_usage_error("%s", "check needs at least one input file");
    int cst = 0;
    rg_context *ctx = cli_context_new(&cst);
    if (!ctx)
        return cst;
    int worst = RG_OK;
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1])
            continue;
        rg_diags *d = rg_diags_new();
        if (!d) {
            worst = RG_EOUTPUT;
            break;
        }
        rg_status st = rg_check_file(ctx, argv[i], strict, d);
        print_diags(d);
        rg_diags_free(d);
        if ((int)st > worst)
            worst = st;
    }
    /* Then the files together (a rank held by two cards). */
    rg_diags *d = worst == RG_EOUTPUT ? NULL : rg_diags_new();
    const char **files = d ? calloc((size_t)argc, sizeof *files) : NULL;
    if (files) {
        size_t n = 0;
        for (int i = 0; i < argc; i++)
            if (!(argv[i][0] == '-' && argv[i][1]))
                files[n++] = argv[i];
        rg_status st = rg_check_set(ctx, files, n, strict, d);
        print_diags(d);
        if ((int)st > worst)
            worst = st;
    } else if (worst != RG_EOUTPUT) {
        fputs("reportgen: out of memory\n", stderr);
        worst = RG_EOUTPUT;
    }
    free(files);
    rg_diags_free(d);
    rg_context_free(ctx);
    return worst;
}

int main(int argc, char **argv)
{
    std_fds_open();
    /* Past ulimit -f a write fails with EFBIG, which is reported, instead
     * of the signal killing us with the temporary file left behind. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        fputs(USAGE, stderr);
        return RG_EUSAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        fputs(USAGE, stdout);
        fputs("\n", stdout);
        fputs(HELP, stdout);
        return cli_stdout_failed() ? RG_EOUTPUT : 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("reportgen %s\n", RG_VERSION);
        return cli_stdout_failed() ? RG_EOUTPUT : 0;
    }
    if (strcmp(cmd, "render") == 0)
        return cmd_render(argc - 2, argv + 2);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 2, argv + 2);
    if (strcmp(cmd, "overview") == 0)
        return cmd_overview(argc - 2, argv + 2);
    if (strcmp(cmd, "batch") == 0)
        return cli_batch(argc - 2, argv + 2);
    if (strcmp(cmd, "import") == 0)
        return cli_import(argc - 2, argv + 2);
    if (strcmp(cmd, "export") == 0)
        return cli_export(argc - 2, argv + 2);
    if (strcmp(cmd, "watch") == 0)
        return cli_watch(argc - 2, argv + 2);
    return cli_usage_error("unknown command '%s'", cmd);
}
