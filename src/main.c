/* The command line: parses arguments, runs the library, prints diagnostics.
 * The only part of the program that talks to the user. */
#define _GNU_SOURCE /* sched_getaffinity */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

/* The commands: each with its own synopsis, summary and help (reportgen
 * COMMAND --help). A new command is a cli_command in its own file, named in
 * this list and declared in cli.h. */
static const cli_command *const COMMANDS[] = {
    &cli_cmd_render, &cli_cmd_check, &cli_cmd_overview, &cli_cmd_batch, &cli_cmd_import,
    &cli_cmd_export, &cli_cmd_watch,   &cli_cmd_new,
};
#define NCOMMANDS (sizeof COMMANDS / sizeof COMMANDS[0])

/* The command being run, whose usage a usage error shows. */
static const cli_command *current;

static const char HELP_INTRO[] = "reportgen turns XML data into branded, print-ready PDF documents.\n";

static const char HELP_TAIL[] =
    "\n"
    "Run 'reportgen COMMAND --help' (or 'reportgen help COMMAND') for a command's\n"
    "options; 'man reportgen' for the whole manual.\n"
    "\n"
    "Environment:\n"
    "  SOURCE_DATE_EPOCH  creation date of the PDF (Unix time); default: the data's date\n"
    "  REPORTGEN_DATADIR  the folder holding templates/ and fonts/ (the base)\n"
    "  REPORTGEN_PATH     folders laid out like it (DIR:DIR...), searched first and\n"
    "                     adding to it: each file of templates/ (a kind's schema, layout\n"
    "                     or checks, a theme, a file a template reads) and of fonts/ is\n"
    "                     taken from the first folder that has it\n"
    "  REPORTGEN_THREADS  at most this many threads per render (default: the\n"
    "                     processors it may use; 1: the checks run before the layout)\n"
    "  REPORTGEN_FREE_AT_EXIT=1  free all before exiting (for leak checkers)\n"
    "\n"
    "Exit status: 0 done, 1 bad input (nothing written; batch: a document failed),\n"
    "2 usage (also an output that is one of the inputs, a PDF not named .pdf, a\n"
    "file new would replace), 3 output not written (batch: a document not\n"
    "attempted, or the report to standard output lost), 130 batch interrupted.\n"
    "Messages read FILE:LINE:COL: severity: message.\n";

/* "usage: reportgen NAME SYNOPSIS", continuation lines indented under it. */
static void print_synopsis(FILE *f, const cli_command *c, const char *lead)
{
    fprintf(f, "%sreportgen %s ", lead, c->name);
    for (const char *p = c->synopsis; *p; p++) {
        fputc(*p, f);
        if (*p == '\n' && p[1])
            fprintf(f, "%*s", (int)(strlen(lead) + strlen("reportgen ") + strlen(c->name) + 1), "");
    }
    if (!*c->synopsis || c->synopsis[strlen(c->synopsis) - 1] != '\n')
        fputc('\n', f);
}

static void print_usage(FILE *f)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        print_synopsis(f, COMMANDS[i], i == 0 ? "usage: " : "       ");
    fputs("       reportgen help [COMMAND] | --help | --version\n", f);
}

static int print_help(void)
{
    print_usage(stdout);
    fputs("\n", stdout);
    fputs(HELP_INTRO, stdout);
    fputs("\nCommands:\n", stdout);
    for (size_t i = 0; i < NCOMMANDS; i++)
        printf("  %-9s %s\n", COMMANDS[i]->name, COMMANDS[i]->summary);
    fputs("\nOptions:\n"
          "  -h, --help   this text; after a command, that command's help\n"
          "  --version    the version\n", stdout);
    fputs(HELP_TAIL, stdout);
    return cli_stdout_failed() ? RG_EOUTPUT : 0;
}

static int print_command_help(const cli_command *c)
{
    print_synopsis(stdout, c, "usage: ");
    printf("\n%s", c->help);
    return cli_stdout_failed() ? RG_EOUTPUT : 0;
}

static const cli_command *command_named(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(COMMANDS[i]->name, name) == 0)
            return COMMANDS[i];
    return NULL;
}

int cli_usage_error(const char *fmt, const char *arg)
{
    fputs("reportgen: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n", stderr);
    if (current) {
        print_synopsis(stderr, current, "usage: ");
        fprintf(stderr, "Run 'reportgen %s --help' for its options.\n", current->name);
    } else {
        print_usage(stderr);
    }
    return RG_EUSAGE;
}

void cli_print_diags(const rg_diags *d)
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

/* REPORTGEN_THREADS: 0 when unset, the number, or -1 when it is not one
 * from 1 to 1024. */
static long threads_asked(void)
{
    const char *v = getenv("REPORTGEN_THREADS");
    if (!v || !*v)
        return 0;
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    return errno || *end || n < 1 || n > 1024 ? -1 : n;
}

int cli_threads_bad(void)
{
    if (threads_asked() >= 0)
        return 0;
    return cli_usage_error("REPORTGEN_THREADS '%s' is not a number from 1 to 1024", getenv("REPORTGEN_THREADS"));
}

int cli_cores(void)
{
    long asked = threads_asked();
    if (asked > 0)
        return (int)asked;
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 && n <= 1024 ? (int)n : 1;
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
            return cli_usage_error(strcmp(what, "render") == 0 ? "render takes one input; '%s' is a second"
                                                              : "overview takes one folder; '%s' is a second", a);
        } else {
            *pos = a;
        }
    }
    if (!*pos)
        return cli_usage_error("%s", strcmp(what, "render") == 0 ? "render needs an input file"
                                                                : "overview needs the folder of report cards");
    if (*out && opt->format == RG_FORMAT_PDF && cli_pdf_name_bad(*out))
        return RG_EUSAGE;
    if (cli_epoch(&opt->epoch) != 0)
        return cli_usage_error("SOURCE_DATE_EPOCH '%s' is not a Unix time", getenv("SOURCE_DATE_EPOCH"));
    if (cli_threads_bad())
        return RG_EUSAGE;
    if (opt->root && !cli_is_folder(opt->root))
        return cli_usage_error("--root '%s' is not a folder", opt->root);
    return 0; /* REPORTGEN_DATADIR is checked by cli_context_new */
}

void cli_context_done(rg_context *ctx)
{
    if (!ctx) /* a batch worker whose context could not be made */
        return;
    const char *e = getenv("REPORTGEN_FREE_AT_EXIT");
    if (e && *e && strcmp(e, "0") != 0)
        rg_context_free(ctx);
    else
        rg_context_sync_folders(ctx);
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
    rg_context_set_threads(ctx, cli_cores());
    rg_status st = rg_render_file(ctx, in, out, &opt, d);
    if (st == RG_OK && strcmp(out, "-") == 0 && cli_stdout_failed())
        st = RG_EOUTPUT;
    cli_print_diags(d);
    rg_diags_free(d);
    cli_context_done(ctx);
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
    cli_print_diags(d);
    rg_diags_free(d);
    cli_context_done(ctx);
    return (int)st;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds path to the growing list *files (malloc'ed copies). 0, or -1 when
 * memory ran out. */
static int push_file(char ***files, size_t *n, size_t *cap, const char *path)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        char **f = realloc(*files, nc * sizeof *f);
        if (!f)
            return -1;
        *files = f;
        *cap = nc;
    }
    if (!((*files)[*n] = strdup(path)))
        return -1;
    (*n)++;
    return 0;
}

/* A folder's data files: its *.xml (not hidden), in name order, as batch
 * and overview read a folder. 0; 1 after saying that it holds none; -1
 * when memory ran out. */
static int push_folder(char ***files, size_t *n, size_t *cap, const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp) {
        fprintf(stderr, "%s: error: cannot open: %s\n", dir, strerror(errno));
        return 1;
    }
    size_t first = *n;
    int r = 0;
    for (struct dirent *e; r == 0 && (e = readdir(dp)) != NULL;) {
        size_t k = strlen(e->d_name);
        if (e->d_name[0] == '.' || k <= 4 || strcmp(e->d_name + k - 4, ".xml") != 0)
            continue;
        char p[8192];
        snprintf(p, sizeof p, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
        r = push_file(files, n, cap, p);
    }
    closedir(dp);
    if (r == 0 && *n == first) {
        fprintf(stderr, "%s: error: no .xml data files\n", dir);
        return 1;
    }
    qsort(*files + first, *n - first, sizeof **files, cmp_names);
    return r;
}

static int cmd_check(int argc, char **argv)
{
    int strict = 0, worst = RG_OK, named = 0;
    char **files = NULL;
    size_t n = 0, cap = 0;
    for (int i = 0; i < argc && worst != RG_EOUTPUT; i++) {
        int r = 0;
        if (strcmp(argv[i], "--strict") == 0)
            strict = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            worst = cli_usage_error("unknown option '%s'", argv[i]);
        else if (named++, cli_is_folder(argv[i]))
            r = push_folder(&files, &n, &cap, argv[i]);
        else
            r = push_file(&files, &n, &cap, argv[i]);
        if (r == 1 && worst == RG_OK)
            worst = RG_EINPUT;
        if (r < 0) {
            fputs("reportgen: out of memory\n", stderr);
            worst = RG_EOUTPUT;
        }
    }
    if (worst == RG_OK && !named)
        worst = cli_usage_error("%s", "check needs at least one input file or folder");
    int cst = 0;
    rg_context *ctx = worst == RG_EUSAGE || worst == RG_EOUTPUT ? NULL : cli_context_new(&cst);
    if (!ctx) {
        for (size_t i = 0; i < n; i++)
            free(files[i]);
        free(files);
        return worst != RG_OK ? worst : cst;
    }
    for (size_t i = 0; i < n; i++) {
        rg_diags *d = rg_diags_new();
        if (!d) {
            worst = RG_EOUTPUT;
            break;
        }
        rg_status st = rg_check_file(ctx, files[i], strict, d);
        cli_print_diags(d);
        rg_diags_free(d);
        if ((int)st > worst)
            worst = st;
    }
    /* Then the files together (a rank held by two cards). */
    rg_diags *d = worst == RG_EOUTPUT ? NULL : rg_diags_new();
    if (d) {
        rg_status st = rg_check_set(ctx, (const char *const *)files, n, strict, d);
        cli_print_diags(d);
        if ((int)st > worst)
            worst = st;
    } else if (worst != RG_EOUTPUT) {
        worst = RG_EOUTPUT;
    }
    if (worst == RG_EOUTPUT && !d)
        fputs("reportgen: out of memory\n", stderr);
    for (size_t i = 0; i < n; i++)
        free(files[i]);
    free(files);
    rg_diags_free(d);
    rg_context_free(ctx);
    return worst;
}

int cli_pdf_name_bad(const char *out)
{
    size_t n = strlen(out);
    if (strcmp(out, "-") == 0 || (n > 4 && strcasecmp(out + n - 4, ".pdf") == 0))
        return 0;
    /* the name it should have: the same with .pdf for its extension */
    const char *b = strrchr(out, '/') ? strrchr(out, '/') + 1 : out;
    const char *dot = strrchr(b, '.');
    size_t keep = dot && dot != b ? (size_t)(dot - out) : n;
    char msg[8400];
    snprintf(msg, sizeof msg, "output '%.4000s' does not end in .pdf: the output is a PDF; name it '%.*s.pdf'", out,
             (int)(keep < 4000 ? keep : 4000), out);
    cli_usage_error("%s", msg);
    return 1;
}

/* The commands of this file. */
const cli_command cli_cmd_render = {
    "render", "IN.xml [-o OUT.pdf] [--theme NAME|FILE] [--format pdf|trace]\n[--root DIR] [--strict] [--pdf-standard S]",
    "validate, check and lay out one data file, then write its PDF",
    "Validates, checks and lays out IN.xml, then writes the PDF. The root element\n"
    "of IN.xml names its kind (templates/KIND/). Nothing is written when an error\n"
    "is found: the output is written to a temporary file and renamed, so OUT is\n"
    "either complete or left as it was.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT   where the output goes (default: IN's name with .pdf, in the\n"
    "                     current folder); a PDF's name must end in .pdf; with\n"
    "                     --format trace, '-' writes to standard output\n"
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
    "                     none: a plain tagged PDF without them\n"
    "  -h, --help         this text\n",
    cmd_render,
};

const cli_command cli_cmd_check = {
    "check", "IN.xml|DIR... [--strict]",
    "validate and check data files and folders; write nothing",
    "Validates each data file (every .xml of a folder DIR, in name order) and runs\n"
    "its kind's consistency checks, then the rules about the files together (two\n"
    "cards of one framework and year stating the same rank). Writes nothing.\n"
    "A placeholder that 'reportgen new' left is a warning.\n"
    "\n"
    "Options:\n"
    "  --strict           treat warnings as errors (exit 1)\n"
    "  -h, --help         this text\n",
    cmd_check,
};

const cli_command cli_cmd_overview = {
    "overview", "DIR [-o OUT.pdf] [--theme NAME|FILE] [--format pdf|trace]\n[--root DIR] [--strict] [--pdf-standard S]",
    "the national overview of a folder of report cards",
    "Makes the national overview of the report cards in DIR (every .xml): map,\n"
    "ranking, average and grade distribution. The cards must share one framework.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT   where the output goes (default: overview.pdf); a PDF's\n"
    "                     name must end in .pdf\n"
    "  --theme NAME|FILE  brand (default: sharedhope)\n"
    "  --format pdf|trace the PDF, or the layout trace\n"
    "  --root DIR         the folder whose files the cards may name\n"
    "  --strict           treat the cards' warnings as errors\n"
    "  --pdf-standard S   a-2a,ua-1 (default) or none (see render --help)\n"
    "  -h, --help         this text\n",
    cmd_overview,
};

int main(int argc, char **argv)
{
    std_fds_open();
    /* Past ulimit -f a write fails with EFBIG, which is reported, instead
     * of the signal killing us with the temporary file left behind. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        print_usage(stderr);
        return RG_EUSAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0)
        return print_help();
    if (strcmp(cmd, "help") == 0) {
        if (argc < 3)
            return print_help();
        current = command_named(argv[2]);
        return current ? print_command_help(current) : cli_usage_error("unknown command '%s'", argv[2]);
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("reportgen %s\n", RG_VERSION);
        return cli_stdout_failed() ? RG_EOUTPUT : 0;
    }
    current = command_named(cmd);
    if (!current)
        return cli_usage_error("unknown command '%s'", cmd);
    /* -h or --help anywhere after the command asks for its help, as git's
     * commands take it: no command has a value that could be spelt so. */
    for (int i = 2; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return print_command_help(current);
    return current->run(argc - 2, argv + 2);
}
