/* reportgen batch: many documents, each rendered by a pool of worker
 * processes. A worker compiles schemas, templates and fonts once and renders
 * document after document; one that crashes costs only its document, which
 * is reported, and a new worker takes its place. Part of the command line,
 * not of the library: it prints, forks and handles signals. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

enum { WAITING, RUNNING, DONE, FAILED, SKIPPED, NOT_ATTEMPTED };

typedef struct job {
    char *in, *out;
    char *label;        /* what messages call it (a sheet's row); NULL: in */
    int state;          /* WAITING ... NOT_ATTEMPTED */
    int status;         /* the worker's answer: an rg_status */
    char *error;        /* first error, for the summary */
    double ms;
} job;

/* Bytes of shared memory per worker where its context names the temporary
 * file it is writing (rg_context_set_temp_slot): a worker that dies or is
 * stopped mid-write leaves that file, which the batch removes by that
 * exact name and no other. */
#define SLOT 8192

typedef struct worker {
    pid_t pid;
    int to, from;       /* pipes: jobs in, results out */
    int job;            /* the job in flight, or -1 */
    double started;     /* when that job was handed out (ms) */
    volatile char *slot;
    int reaped, status; /* already waited for (answer_within), and how it ended */
} worker;

typedef struct result {
    int job, status, warnings;
    int msglen;
    double ms;
} result;

static volatile sig_atomic_t stop_requested;

/* A batch from a sheet: its rows, each staged as a data file in a folder
 * of its own that is removed at the end. */
static rg_import *sheet_rows;
static char sheet_stage[4200];

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int write_full(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

static int read_full(int fd, void *p, size_t n)
{
    char *c = p;
    while (n > 0) {
        ssize_t r = read(fd, c, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        c += r;
        n -= (size_t)r;
    }
    return 0;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static long long newest_under(const char *path, int depth);

/* Folds the newest time under dir's templates/ and fonts/ into *arg. */
static void newest_of_folder(const char *dir, void *arg)
{
    long long *newest = arg;
    char tp[4096];
    const char *sub[] = {"templates", "fonts"};
    for (int i = 0; i < 2; i++) {
        snprintf(tp, sizeof tp, "%s/%s", dir, sub[i]);
        long long t = newest_under(tp, 0);
        if (t > *newest)
            *newest = t;
    }
}

/* Threads a worker's render may use: the processors the workers leave. */
static int worker_threads = 1;

/* The worker: reads job numbers, renders, answers; exits at end of input. */
static void worker_main(int in, int out, job *jobs, const rg_render_options *opt, volatile char *slot)
{
    /* The batch stops between documents, not inside one; a document that
     * takes too long is ended by the batch (SIGKILL). */
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_DFL);
    signal(SIGHUP, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    const char *crash = getenv("REPORTGEN_TEST_CRASH"); /* test hook: this input crashes */
    const char *hang = getenv("REPORTGEN_TEST_HANG");   /* test hook: this input never ends */
    int cst = 0;
    rg_context *ctx = cli_context_new(&cst); /* NULL: said once per worker, each document fails */
    if (ctx) {
        rg_context_set_temp_slot(ctx, slot, SLOT);
        rg_context_set_threads(ctx, worker_threads);
        rg_context_sync_later(ctx, 1); /* the output folder once, by the batch at its end */
    }
    int idx;
    while (read_full(in, &idx, sizeof idx) == 0) {
        job *j = &jobs[idx];
        double t0 = now_ms();
        if (crash && *crash && strcmp(base_name(j->in), crash) == 0) {
            signal(SIGSEGV, SIG_DFL); /* die as a real crash does, even under a sanitizer */
            raise(SIGSEGV);
        }
        if (hang && *hang && strcmp(base_name(j->in), hang) == 0)
            for (;;)
                pause();
        rg_diags *d = rg_diags_new();
        rg_status st = ctx && d ? rg_render_file(ctx, j->in, j->out, opt, d) : RG_EOUTPUT;
        /* The reason a document failed is its first error; a warning only
         * when there is none (--strict). */
        char msg[2048] = "", first[2048] = "";
        int warnings = 0;
        for (size_t i = 0; d && i < rg_diags_count(d); i++) {
            const rg_diag *g = rg_diags_get(d, i);
            if (g->severity == RG_SEV_WARNING)
                warnings++;
            if (!msg[0] && g->severity == RG_SEV_ERROR)
                rg_diag_format(g, msg, sizeof msg);
            if (!first[0] && st != RG_OK)
                rg_diag_format(g, first, sizeof first);
        }
        if (!msg[0])
            memcpy(msg, first, sizeof msg);
        if (st != RG_OK && !msg[0])
            snprintf(msg, sizeof msg, "%s: error: rendering failed", j->in);
        rg_diags_free(d);
        result r = {idx, (int)st, warnings, (int)strlen(msg), now_ms() - t0};
        if (write_full(out, &r, sizeof r) != 0 || write_full(out, msg, (size_t)r.msglen) != 0)
            break;
    }
    cli_context_done(ctx);
    _exit(0);
}

static int spawn(worker *w, job *jobs, const rg_render_options *opt, worker *all, int nall)
{
    w->slot[0] = 0;
    int a[2], b[2];
    if (pipe(a) != 0)
        return -1;
    if (pipe(b) != 0) {
        close(a[0]);
        close(a[1]);
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(a[0]); close(a[1]); close(b[0]); close(b[1]);
        return -1;
    }
    if (pid == 0) {
        /* Only this worker's own pipe ends stay open. */
        for (int i = 0; i < nall; i++)
            if (all[i].pid > 0) {
                close(all[i].to);
                close(all[i].from);
            }
        close(a[1]);
        close(b[0]);
        worker_main(a[0], b[1], jobs, opt, w->slot);
    }
    close(a[0]);
    close(b[1]);
    fcntl(a[1], F_SETFD, FD_CLOEXEC);
    fcntl(b[0], F_SETFD, FD_CLOEXEC);
    w->pid = pid;
    w->reaped = 0;
    w->status = 0;
    w->to = a[1];
    w->from = b[0];
    w->job = -1;
    return 0;
}

/* Ends a worker (SIGKILL first when kill_it) and waits for it; a temporary
 * file it was writing is removed by the name its slot holds, and no other
 * file is touched. Returns its wait status. */
static int retire(worker *w, int kill_it)
{
    if (w->pid <= 0)
        return 0;
    if (kill_it && !w->reaped)
        kill(w->pid, SIGKILL);
    if (w->to >= 0)
        close(w->to);
    close(w->from);
    int status = w->status;
    while (!w->reaped && waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    w->pid = 0;
    if (w->slot[0]) {
        unlink((const char *)w->slot);
        w->slot[0] = 0;
    }
    return status;
}

/* How many workers the open-files limit leaves room for: each costs the
 * batch two pipe ends, poll() refuses more entries than the limit, and
 * the batch keeps a few descriptors for itself. */
static int workers_allowed(long *limit)
{
    struct rlimit rl;
    *limit = -1;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return 256;
    *limit = (long)rl.rlim_cur;
    long w = ((long)rl.rlim_cur - 6) / 2; /* 3 standard, 4 while a worker starts */
    return w < 0 ? 0 : w > 256 ? 256 : (int)w;
}

/* A worker's answer: 0, or -1 when it died without one. */
static int read_result(int fd, result *res, char *msg)
{
    if (read_full(fd, res, sizeof *res) != 0 || res->msglen < 0 || res->msglen >= 2048 ||
        read_full(fd, msg, (size_t)res->msglen) != 0)
        return -1;
    msg[res->msglen] = 0;
    return 0;
}

/* Counts and reports a document's outcome. */
static void record(job *j, const result *res, const char *msg, int tty, int *rendered, int *failed)
{
    j->ms = res->ms;
    j->status = res->status;
    j->state = res->status == RG_OK ? DONE : FAILED;
    if (res->status != RG_OK) {
        char buf[2048];
        if (sheet_rows && rg_import_remap_text(sheet_rows, msg, buf, sizeof buf) == 0)
            msg = buf; /* told at the cell, as import tells it */
        j->error = strdup(msg);
        (*failed)++;
    } else {
        (*rendered)++;
    }
    if (tty && res->status != RG_OK)
        fprintf(stderr, "\r\033[K%s\n", msg);
    if (!tty)
        printf("%s %s -> %s (%.0f ms)\n", res->status == RG_OK ? "ok    " : "FAILED", j->label ? j->label : j->in,
               j->out, res->ms);
}

/* Without poll(): the worker is told there is no more work and given ms
 * to exit; its answer is then in the pipe. 0 with the answer, or -1 (the
 * worker is left running, for retire to stop). */
static int answer_within(worker *w, int ms, result *res, char *msg)
{
    close(w->to);
    w->to = -1;
    int status;
    for (int waited = 0; waited <= ms; waited += 10) {
        pid_t r = waitpid(w->pid, &status, WNOHANG);
        if (r == w->pid) {
            w->reaped = 1;
            w->status = status;
            return read_result(w->from, res, msg);
        }
        if (r < 0 && errno != EINTR)
            return -1;
        struct timespec t = {0, 10 * 1000 * 1000};
        nanosleep(&t, NULL);
    }
    return -1;
}

/* Modification times in nanoseconds: a second is too coarse for a batch
 * run right after an edit. */
static long long mtime_ns(const struct stat *st)
{
    return (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

static long long newest_under(const char *path, int depth)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return 0;
    long long t = mtime_ns(&st);
    if (!S_ISDIR(st.st_mode) || depth > 3)
        return t;
    DIR *dp = opendir(path);
    for (struct dirent *e; dp && (e = readdir(dp)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char p[8192];
        snprintf(p, sizeof p, "%s/%s", path, e->d_name);
        long long c = newest_under(p, depth + 1);
        if (c > t)
            t = c;
    }
    if (dp)
        closedir(dp);
    return t;
}

/* A document the batch itself fails (its worker crashed, its time ran
 * out, a rule about the documents together): why is its first error,
 * listed at the end; said now too, on the progress line or as a line of
 * the report. */
static void fail_job(job *j, const char *why, const char *tag, int tty, int *failed)
{
    free(j->error);
    j->error = strdup(why);
    j->state = FAILED;
    j->status = RG_EINPUT;
    (*failed)++;
    if (tty)
        fprintf(stderr, "\r\033[K%s\n", why);
    else
        printf("FAILED %s -> %s (%s)\n", j->label ? j->label : j->in, j->out, tag);
}

/* Runs the kinds' rules about documents together over every input
 * (rg_check_set). Warnings are printed; a waiting document named by an
 * error fails with it. The number failed, or -1 with *st set when memory
 * ran out. */
static int set_check(rg_context *ctx, job *jobs, int n, int strict, int tty, int *st)
{
    const char **paths = calloc((size_t)n, sizeof *paths);
    rg_diags *d = rg_diags_new();
    if (!paths || !d) {
        free(paths);
        rg_diags_free(d);
        fputs("reportgen: out of memory\n", stderr);
        *st = RG_EOUTPUT;
        return -1;
    }
    for (int i = 0; i < n; i++)
        paths[i] = jobs[i].in;
    rg_status r = rg_check_set(ctx, paths, (size_t)n, strict, d);
    int nfailed = 0;
    char buf[2048];
    for (size_t k = 0; k < rg_diags_count(d); k++) {
        const rg_diag *g = rg_diags_get(d, k);
        rg_diag_format(g, buf, sizeof buf);
        int blocking = g->severity == RG_SEV_ERROR || (strict && g->severity == RG_SEV_WARNING);
        int hit = 0;
        for (int i = 0; blocking && i < n; i++)
            if (jobs[i].state == WAITING && g->file && strcmp(g->file, jobs[i].in) == 0) {
                fail_job(&jobs[i], buf, "a rule about the documents together", tty, &nfailed);
                hit = 1;
            }
        if (!hit)
            fprintf(stderr, "%s\n", buf);
    }
    rg_diags_free(d);
    free(paths);
    if (r == RG_EOUTPUT) {
        *st = RG_EOUTPUT;
        return -1;
    }
    return nfailed;
}

static int cmp_job(const void *a, const void *b)
{
    return strcmp(((const job *)a)->in, ((const job *)b)->in);
}

static int add_job(job **jobs, int *n, int *cap, const char *in, const char *outdir)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        job *v = realloc(*jobs, (size_t)*cap * sizeof *v);
        if (!v)
            return -1;
        *jobs = v;
    }
    job *j = &(*jobs)[*n];
    memset(j, 0, sizeof *j);
    const char *b = base_name(in);
    size_t bl = strlen(b);
    if (bl > 4 && strcmp(b + bl - 4, ".xml") == 0)
        bl -= 4;
    j->in = strdup(in);
    j->out = malloc(strlen(outdir) + bl + 6);
    if (!j->in || !j->out) {
        free(j->in);
        free(j->out);
        return -1;
    }
    sprintf(j->out, "%s/%.*s.pdf", outdir, (int)bl, b);
    (*n)++;
    return 0;
}

static void progress(int tty, int done, int total, int failed, const char *current, double t0)
{
    if (!tty)
        return;
    double el = now_ms() - t0;
    double left = done > 0 ? el / done * (total - done) / 1000.0 : 0;
    fprintf(stderr, "\r\033[K[%*d/%d] %s%s%d failed, about %.1f s left", total >= 100 ? 3 : 2, done, total,
            current ? current : "", current ? "  " : "", failed, left);
    fflush(stderr);
}

/* The rows of a sheet as jobs: each good row's staged file, and each bad
 * row as a failed job whose error is its first (all said already). 0, or
 * the exit status. */
static int sheet_jobs(const char *src, const rg_import_options *io, const char *outdir, job **jobs, int *n,
                      int *cap, int *bad)
{
    sheet_rows = cli_sheet_stage(src, io, sheet_stage, sizeof sheet_stage, bad);
    if (!sheet_rows)
        return *bad;
    for (size_t i = 0; i < rg_import_count(sheet_rows); i++) {
        const char *staged = rg_import_staged(sheet_rows, i);
        char path[8192], where[4600];
        snprintf(path, sizeof path, "%s/%s", sheet_stage, rg_import_name(sheet_rows, i));
        rg_import_where(sheet_rows, i, where, sizeof where);
        if (add_job(jobs, n, cap, staged ? staged : path, outdir) != 0 || !((*jobs)[*n - 1].label = strdup(where))) {
            fputs("reportgen: out of memory\n", stderr);
            return RG_EOUTPUT;
        }
        if (!staged) {
            job *j = &(*jobs)[*n - 1];
            const char *e = rg_import_error(sheet_rows, i);
            j->state = FAILED;
            j->status = RG_EINPUT;
            j->error = strdup(e ? e : where);
            if (!isatty(2) || getenv("REPORTGEN_NO_PROGRESS"))
                printf("FAILED %s -> %s (a bad row)\n", where, j->out); /* as record() reports a document */
        }
    }
    return 0;
}

/* The batch itself. The jobs it makes are also left in *jobs_ref and
 * *n_ref, so that the caller frees them whichever way it returns. */
static int batch_main(int argc, char **argv, job **jobs_ref, int *n_ref)
{
    const char *src = NULL, *outdir = NULL;
    rg_import_options io = {NULL, NULL, 0};
    int nworkers = 0, changed = 0, timeout_s = 120, sheet_bad = 0;
    rg_render_options opt = {NULL, RG_FORMAT_PDF, -1, 0, NULL, RG_PDF_ARCHIVAL};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (++i == argc)
                return cli_usage_error("%s needs a folder", a);
            outdir = argv[i];
        } else if (strcmp(a, "-j") == 0 || strcmp(a, "--jobs") == 0) {
            char *end;
            if (++i == argc || (nworkers = (int)strtol(argv[i], &end, 10)) < 1 || *end || nworkers > 256)
                return cli_usage_error("%s needs a number of workers from 1 to 256", a);
        } else if (strcmp(a, "--timeout") == 0) {
            char *end;
            long v = 0;
            if (++i == argc || (v = strtol(argv[i], &end, 10)) < 1 || *end || v > 86400)
                return cli_usage_error("%s needs a number of seconds from 1 to 86400", a);
            timeout_s = (int)v;
        } else if (strcmp(a, "--changed") == 0) {
            changed = 1;
        } else if (strcmp(a, "--strict") == 0) {
            opt.strict = 1;
        } else if (strcmp(a, "--pdf-standard") == 0) {
            if (++i == argc || cli_pdf_standard(argv[i], &opt.pdf_standard) != 0)
                return cli_usage_error("--pdf-standard needs %s", CLI_PDF_STANDARDS);
        } else if (strcmp(a, "--sheet") == 0) {
            if (++i == argc)
                return cli_usage_error("%s needs a sheet's name", a);
            io.sheet = argv[i];
        } else if (strcmp(a, "--template") == 0) {
            if (++i == argc)
                return cli_usage_error("%s needs a data file", a);
            io.template_card = argv[i];
        } else if (strcmp(a, "--root") == 0) {
            if (++i == argc)
                return cli_usage_error("%s needs a folder", a);
            opt.root = argv[i];
        } else if (strcmp(a, "--theme") == 0) {
            if (++i == argc)
                return cli_usage_error("%s needs a theme name or file", a);
            opt.theme = argv[i];
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("unknown option '%s'", a);
        } else if (src) {
            return cli_usage_error("batch takes one folder or list; '%s' is a second", a);
        } else {
            src = a;
        }
    }
    if (!src || !outdir)
        return cli_usage_error("%s", "batch needs a folder (or a list file) and -o OUTDIR");
    if (cli_datadir_usable() != 0)
        return RG_EUSAGE;
    if (opt.root && !cli_is_folder(opt.root))
        return cli_usage_error("--root '%s' is not a folder", opt.root);
    if (cli_epoch(&opt.epoch) != 0)
        return cli_usage_error("SOURCE_DATE_EPOCH '%s' is not a Unix time", getenv("SOURCE_DATE_EPOCH"));
    if (cli_threads_bad())
        return RG_EUSAGE;
    if (nworkers == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        nworkers = n > 0 && n <= 64 ? (int)n : 2;
    }
    worker_threads = cli_cores() / nworkers > 1 ? cli_cores() / nworkers : 1;
    struct stat st;
    if (stat(outdir, &st) != 0) {
        if (mkdir(outdir, 0777) != 0) {
            fprintf(stderr, "%s: error: cannot create the output folder: %s\n", outdir, strerror(errno));
            return RG_EOUTPUT;
        }
    } else if (!S_ISDIR(st.st_mode)) {
        fprintf(stderr, "%s: error: the output path is not a folder\n", outdir);
        return RG_EOUTPUT;
    }
    job *jobs = NULL;
    int n = 0, cap = 0;
    if (cli_is_sheet(src)) {
        io.strict = opt.strict;
        int rc = sheet_jobs(src, &io, outdir, &jobs, &n, &cap, &sheet_bad);
        *jobs_ref = jobs;
        *n_ref = n;
        if (rc != 0)
            return rc;
    } else if (stat(src, &st) != 0) {
        fprintf(stderr, "%s: error: cannot open: %s\n", src, strerror(errno));
        return RG_EINPUT;
    } else if (S_ISDIR(st.st_mode)) {
        DIR *dp = opendir(src);
        for (struct dirent *e; dp && (e = readdir(dp)) != NULL;) {
            size_t k = strlen(e->d_name);
            if (e->d_name[0] == '.' || k <= 4 || strcmp(e->d_name + k - 4, ".xml") != 0)
                continue;
            char p[8192];
            snprintf(p, sizeof p, "%s/%s", src, e->d_name);
            int added = add_job(&jobs, &n, &cap, p, outdir);
            *jobs_ref = jobs;
            *n_ref = n;
            if (added != 0) {
                fputs("reportgen: out of memory\n", stderr);
                return RG_EOUTPUT;
            }
        }
        if (dp)
            closedir(dp);
        qsort(jobs, (size_t)n, sizeof *jobs, cmp_job);
    } else {
        /* Without blocking: a FIFO named as the list would wait for a writer. */
        int fd = open(src, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        struct stat ls;
        if (fd < 0 || fstat(fd, &ls) != 0 || !S_ISREG(ls.st_mode)) {
            if (fd >= 0)
                fprintf(stderr, "%s: error: not a folder or a regular file listing data files\n", src);
            else
                fprintf(stderr, "%s: error: cannot open: %s\n", src, strerror(errno));
            if (fd >= 0)
                close(fd);
            return RG_EINPUT;
        }
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        FILE *f = fdopen(fd, "r");
        char line[8192];
        int ln = 0;
        while (f && fgets(line, sizeof line, f)) {
            ln++;
            size_t k = strlen(line);
            while (k && (line[k - 1] == '\n' || line[k - 1] == '\r' || line[k - 1] == ' '))
                line[--k] = 0;
            if (!k || line[0] == '#')
                continue;
            int added = add_job(&jobs, &n, &cap, line, outdir);
            *jobs_ref = jobs;
            *n_ref = n;
            if (added != 0) {
                fputs("reportgen: out of memory\n", stderr);
                fclose(f);
                return RG_EOUTPUT;
            }
        }
        if (f)
            fclose(f);
    }
    /* Two inputs with one name would overwrite each other's PDF. */
    for (int i = 0; i < n; i++)
        for (int k = i + 1; k < n; k++)
            if (strcmp(jobs[i].out, jobs[k].out) == 0) {
                fprintf(stderr, "%s: error: '%s' and '%s' would both write %s\n", src, jobs[i].in, jobs[k].in,
                        jobs[i].out);
                return RG_EUSAGE;
            }
    if (n == 0) {
        fprintf(stderr, "%s: error: no .xml data files\n", src);
        return RG_EINPUT;
    }
    int skipped = 0;
    /* A bad REPORTGEN_PATH is said once, not by every worker. */
    int cst = 0;
    rg_context *probe = cli_context_new(&cst);
    if (!probe)
        return cst;
    if (changed) {
        long long tmpl = 0;
        cli_each_folder(newest_of_folder, &tmpl);
        size_t tl = opt.theme ? strlen(opt.theme) : 0;
        if (tl && (strchr(opt.theme, '/') || (tl > 4 && strcmp(opt.theme + tl - 4, ".xml") == 0))) {
            /* a theme file and what lies beside it: its logo, its fonts */
            char td[4096];
            snprintf(td, sizeof td, "%s", opt.theme);
            char *slash = strrchr(td, '/');
            if (slash)
                *slash = 0;
            long long t = newest_under(slash ? td : opt.theme, 0);
            if (t > tmpl)
                tmpl = t;
        }
        for (int i = 0; i < n; i++) {
            struct stat si, so;
            if (stat(jobs[i].in, &si) == 0 && stat(jobs[i].out, &so) == 0 && mtime_ns(&so) > mtime_ns(&si) &&
                mtime_ns(&so) > tmpl) {
                jobs[i].state = SKIPPED;
                skipped++;
            }
        }
    }
    /* The documents together (a rank held by two cards): a document a rule
     * names as wrong fails before any is rendered. */
    int set_failed = set_check(probe, jobs, n, opt.strict, isatty(2) && !getenv("REPORTGEN_NO_PROGRESS"), &cst);
    rg_context_free(probe);
    if (set_failed < 0)
        return cst;
    set_failed += sheet_bad;
    if (nworkers > n - skipped - set_failed)
        nworkers = n - skipped - set_failed > 0 ? n - skipped - set_failed : 1;
    long fdlimit;
    int allowed = workers_allowed(&fdlimit);
    if (allowed < 1) {
        fprintf(stderr, "reportgen: error: the open-files limit of %ld leaves no room for a worker\n", fdlimit);
        return RG_EOUTPUT;
    }
    if (nworkers > allowed) {
        fprintf(stderr, "reportgen: note: %d workers instead of %d: the open-files limit is %ld\n", allowed,
                nworkers, fdlimit);
        nworkers = allowed;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    /* A write to standard output interrupted by the signal is resumed, not
       failed (poll() still returns early: it is never restarted). */
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    worker *w = calloc((size_t)nworkers, sizeof *w);
    struct pollfd *pf = calloc((size_t)nworkers, sizeof *pf);
    int *pw = calloc((size_t)nworkers, sizeof *pw);
    char *slots = mmap(NULL, (size_t)nworkers * SLOT, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (!w || !pf || !pw || slots == MAP_FAILED) {
        fputs("reportgen: out of memory\n", stderr);
        return RG_EOUTPUT;
    }
    for (int i = 0; i < nworkers; i++)
        w[i].slot = slots + (size_t)i * SLOT;
    int tty = isatty(2) && !getenv("REPORTGEN_NO_PROGRESS");
    double t0 = now_ms();
    int next = 0, done = skipped + set_failed, failed = set_failed, rendered = 0, running = 0;
    /* A failure of the batch itself (no worker can be started, poll fails):
     * said once, the batch ends, and the documents it did not get to are
     * counted as not attempted. */
    char broken[512] = "";
    int spawn_errno = 0;
    double stop_at = 0;
    while (!broken[0]) {
        double now = now_ms();
        if (stop_requested && stop_at == 0)
            stop_at = now + 800; /* workers finish their document, else are stopped */
        /* Hand out work to idle workers; replace those that are gone. */
        while (!stop_requested && next < n && jobs[next].state != WAITING)
            next++;
        int alive = 0;
        for (int i = 0; i < nworkers && !stop_requested; i++) {
            if (w[i].pid <= 0 && next < n && spawn(&w[i], jobs, &opt, w, nworkers) != 0) {
                spawn_errno = errno;
                continue;
            }
            if (w[i].pid <= 0)
                continue;
            alive++;
            if (w[i].job >= 0)
                continue;
            while (next < n && jobs[next].state != WAITING)
                next++;
            if (next >= n)
                continue;
            if (write_full(w[i].to, &next, sizeof next) != 0) {
                retire(&w[i], 1); /* died idle: replaced on the next round */
                alive--;
                continue;
            }
            w[i].job = next;
            w[i].started = now;
            jobs[next].state = RUNNING;
            running++;
            next++;
        }
        if (running == 0) {
            if (!stop_requested && next < n && alive == 0)
                snprintf(broken, sizeof broken, "cannot start a worker: %s", strerror(spawn_errno));
            if (stop_requested || next >= n || alive == 0)
                break;
            continue;
        }
        progress(tty, done, n, failed, NULL, t0);
        int np = 0;
        for (int i = 0; i < nworkers; i++)
            if (w[i].pid > 0 && w[i].job >= 0) {
                pf[np].fd = w[i].from;
                pf[np].events = POLLIN;
                pf[np].revents = 0;
                pw[np++] = i;
            }
        int r = poll(pf, (nfds_t)np, 100);
        if (r < 0 && errno != EINTR) {
            snprintf(broken, sizeof broken, "waiting for the workers failed: %s", strerror(errno));
            break;
        }
        for (int q = 0; r > 0 && q < np; q++) {
            int i = pw[q];
            if (!(pf[q].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            result res;
            char msg[2049];
            job *j = &jobs[w[i].job];
            if (read_result(w[i].from, &res, msg) == 0) {
                record(j, &res, msg, tty, &rendered, &failed);
                w[i].job = -1;
            } else {
                /* The worker died with this document: report it (unless the
                 * batch is being stopped, which may have killed it). */
                int status = retire(&w[i], 0);
                if (stop_requested) {
                    j->state = NOT_ATTEMPTED;
                } else {
                    char why[256];
                    if (WIFSIGNALED(status))
                        snprintf(why, sizeof why, "%s: error: the worker rendering it crashed (signal %d: %s)",
                                 j->in, WTERMSIG(status), strsignal(WTERMSIG(status)));
                    else
                        snprintf(why, sizeof why, "%s: error: the worker rendering it exited (status %d)", j->in,
                                 WEXITSTATUS(status));
                    fail_job(j, why, "worker crashed", tty, &failed);
                }
                w[i].job = -1;
            }
            running--;
            done++;
        }
        /* A document past its time limit, or any once a stop was asked for
         * and its grace is over: the worker is killed, its file removed. */
        now = now_ms();
        for (int i = 0; i < nworkers; i++) {
            if (w[i].pid <= 0 || w[i].job < 0)
                continue;
            job *j = &jobs[w[i].job];
            if (stop_at > 0 && now >= stop_at) {
                retire(&w[i], 1);
                j->state = NOT_ATTEMPTED;
            } else if (now - w[i].started >= timeout_s * 1000.0) {
                retire(&w[i], 1);
                char why[256];
                snprintf(why, sizeof why, "%s: error: rendering took longer than the time limit of %d s (--timeout)",
                         j->in, timeout_s);
                fail_job(j, why, "time limit", tty, &failed);
            } else {
                continue;
            }
            w[i].job = -1;
            running--;
            done++;
        }
        fflush(stdout);
    }
    /* Whatever ended the loop, no worker outlives it. One still at work
     * (the batch broke) has a second to finish and answer; then it is
     * stopped and its document counted as not attempted. */
    for (int i = 0; i < nworkers; i++) {
        if (w[i].pid > 0 && w[i].job >= 0) {
            job *j = &jobs[w[i].job];
            result res;
            char msg[2049];
            if (answer_within(&w[i], 1000, &res, msg) == 0)
                record(j, &res, msg, tty, &rendered, &failed);
            else
                j->state = NOT_ATTEMPTED;
        }
        retire(&w[i], w[i].pid > 0);
    }
    /* The workers renamed their PDFs into place without syncing the
     * folder after each (rg_context_sync_later): once now, for them all. */
    rg_sync_folder(outdir);
    if (tty)
        fprintf(stderr, "\r\033[K");
    double secs = (now_ms() - t0) / 1000.0;
    int not_attempted = 0;
    for (int i = 0; i < n; i++)
        not_attempted += jobs[i].state == WAITING || jobs[i].state == RUNNING || jobs[i].state == NOT_ATTEMPTED;
    printf("%d rendered, %d failed, %d skipped, %d not attempted in %.2f s\n", rendered, failed, skipped,
           not_attempted, secs);
    if (broken[0])
        fprintf(stderr, "reportgen: error: %s: the batch stopped; %d document%s not attempted\n", broken,
                not_attempted, not_attempted == 1 ? "" : "s");
    else if (stop_requested)
        fprintf(stderr, "reportgen: interrupted: %d document%s not attempted\n", not_attempted,
                not_attempted == 1 ? "" : "s");
    for (int i = 0; i < n; i++)
        if (jobs[i].state == FAILED)
            fprintf(stderr, "%s\n", jobs[i].error ? jobs[i].error : jobs[i].in);
    int lost = cli_stdout_failed();
    /* Every failure a usage error (an unknown --theme): the call was wrong. */
    int usage = 0;
    for (int i = 0; i < n; i++)
        usage += jobs[i].state == FAILED && jobs[i].status == RG_EUSAGE;
    free(w);
    free(pf);
    free(pw);
    munmap(slots, (size_t)nworkers * SLOT);
    if (broken[0] || lost)
        return RG_EOUTPUT;
    if (stop_requested)
        return 130;
    if (not_attempted)
        return RG_EOUTPUT;
    if (!failed)
        return RG_OK;
    return usage == failed ? RG_EUSAGE : RG_EINPUT;
}

static int cmd_batch(int argc, char **argv)
{
    job *jobs = NULL;
    int n = 0;
    int rc = batch_main(argc, argv, &jobs, &n);
    for (int i = 0; i < n; i++) {
        free(jobs[i].in);
        free(jobs[i].out);
        free(jobs[i].label);
        free(jobs[i].error);
    }
    free(jobs);
    if (sheet_rows) {
        rg_import_free(sheet_rows); /* removes the staged files */
        rmdir(sheet_stage);
    }
    return rc;
}

const cli_command cli_cmd_batch = {
    "batch", "DIR|LIST|SHEET -o OUTDIR [-j N] [--changed] [--timeout S]\n"
             "[--root DIR] [--theme NAME|FILE] [--strict] [--sheet NAME]\n[--template CARD.xml] [--pdf-standard S]",
    "render every data file of a folder, list or spreadsheet, in parallel",
    "Renders every .xml in DIR (or each path listed in the file LIST, one a line,\n"
    "# for a comment, or each row of a spreadsheet SHEET.csv or SHEET.xlsx, read as\n"
    "import reads it) into OUTDIR with N worker processes. One bad or crashing\n"
    "document never stops the others; each failure is listed at the end; Ctrl-C\n"
    "stops cleanly. The rules about the documents together run first.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUTDIR  the folder the PDFs go to (made when missing)\n"
    "  -j, --jobs N         worker processes, 1 to 256 (default: one per core,\n"
    "                       lowered to what the open-files limit allows)\n"
    "  --changed            skip documents whose PDF is newer than their data,\n"
    "                       the templates, themes and fonts\n"
    "  --timeout S          stop a document that takes longer than S seconds\n"
    "                       (default 120)\n"
    "  --theme NAME|FILE    brand for every document (see render --help)\n"
    "  --root DIR           the folder whose files the documents may name\n"
    "  --strict             treat warnings as errors\n"
    "  --pdf-standard S     a-2a,ua-1 (default) or none (see render --help)\n"
    "  --sheet NAME         of a workbook, the sheet NAME (default: the first)\n"
    "  --template CARD.xml  a card whose values stand for the columns a sheet lacks\n"
    "  -h, --help           this text\n",
    cmd_batch,
};
