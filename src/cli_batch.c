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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

typedef struct job {
    char *in, *out;
    int state;          /* 0 waiting, 1 running, 2 done, 3 failed, 4 skipped */
    char *error;        /* first error, for the summary */
    double ms;
} job;

typedef struct worker {
    pid_t pid;
    int to, from;       /* pipes: jobs in, results out */
    int job;            /* the job in flight, or -1 */
} worker;

typedef struct result {
    int job, status, warnings;
    int msglen;
    double ms;
} result;

static volatile sig_atomic_t stop_requested;

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

/* The worker: reads job numbers, renders, answers; exits at end of input. */
static void worker_main(int in, int out, job *jobs, const rg_render_options *opt)
{
    signal(SIGINT, SIG_IGN);   /* the batch stops between documents, not inside one */
    signal(SIGTERM, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    const char *crash = getenv("REPORTGEN_TEST_CRASH"); /* test hook: this input crashes */
    int cst = 0;
    rg_context *ctx = cli_context_new(&cst); /* NULL: said once per worker, each document fails */
    int idx;
    while (read_full(in, &idx, sizeof idx) == 0) {
        job *j = &jobs[idx];
        double t0 = now_ms();
        if (crash && *crash && strcmp(base_name(j->in), crash) == 0) {
            signal(SIGSEGV, SIG_DFL); /* die as a real crash does, even under a sanitizer */
            raise(SIGSEGV);
        }
        rg_diags *d = rg_diags_new();
        rg_status st = ctx && d ? rg_render_file(ctx, j->in, j->out, opt, d) : RG_EOUTPUT;
        char msg[2048] = "";
        int warnings = 0;
        for (size_t i = 0; d && i < rg_diags_count(d); i++) {
            const rg_diag *g = rg_diags_get(d, i);
            if (g->severity == RG_SEV_WARNING)
                warnings++;
            if (!msg[0] && (g->severity == RG_SEV_ERROR || st != RG_OK))
                rg_diag_format(g, msg, sizeof msg);
        }
        if (st != RG_OK && !msg[0])
            snprintf(msg, sizeof msg, "%s: error: rendering failed", j->in);
        rg_diags_free(d);
        result r = {idx, (int)st, warnings, (int)strlen(msg), now_ms() - t0};
        if (write_full(out, &r, sizeof r) != 0 || write_full(out, msg, (size_t)r.msglen) != 0)
            break;
    }
    rg_context_free(ctx);
    _exit(0);
}

static int spawn(worker *w, job *jobs, const rg_render_options *opt, worker *all, int nall)
{
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
        worker_main(a[0], b[1], jobs, opt);
    }
    close(a[0]);
    close(b[1]);
    fcntl(a[1], F_SETFD, FD_CLOEXEC);
    fcntl(b[0], F_SETFD, FD_CLOEXEC);
    w->pid = pid;
    w->to = a[1];
    w->from = b[0];
    w->job = -1;
    return 0;
}

static void retire(worker *w)
{
    if (w->pid <= 0)
        return;
    close(w->to);
    close(w->from);
    int status;
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
        ;
    w->pid = 0;
}

/* A worker killed mid-write leaves its temporary file (.NAME.XXXXXX) beside
 * the output: remove it, so nothing partial is left. */
static void remove_temps(const char *out)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", out);
    char *slash = strrchr(dir, '/');
    const char *base = base_name(out);
    if (slash)
        *slash = 0;
    else
        strcpy(dir, ".");
    DIR *dp = opendir(dir);
    if (!dp)
        return;
    size_t bl = strlen(base);
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        if (e->d_name[0] == '.' && strncmp(e->d_name + 1, base, bl) == 0 && e->d_name[1 + bl] == '.' &&
            strlen(e->d_name + 2 + bl) == 6) {
            char p[8192];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    }
    closedir(dp);
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
    if (!j->in || !j->out)
        return -1;
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

int cli_batch(int argc, char **argv)
{
    const char *src = NULL, *outdir = NULL;
    int nworkers = 0, changed = 0;
    rg_render_options opt = {NULL, RG_FORMAT_PDF, -1, 0};
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
        } else if (strcmp(a, "--changed") == 0) {
            changed = 1;
        } else if (strcmp(a, "--strict") == 0) {
            opt.strict = 1;
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
    if (cli_epoch(&opt.epoch) != 0)
        return cli_usage_error("SOURCE_DATE_EPOCH '%s' is not a Unix time", getenv("SOURCE_DATE_EPOCH"));
    if (nworkers == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        nworkers = n > 0 && n <= 64 ? (int)n : 2;
    }
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
    if (stat(src, &st) != 0) {
        fprintf(stderr, "%s: error: cannot open: %s\n", src, strerror(errno));
        return RG_EINPUT;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *dp = opendir(src);
        for (struct dirent *e; dp && (e = readdir(dp)) != NULL;) {
            size_t k = strlen(e->d_name);
            if (e->d_name[0] == '.' || k <= 4 || strcmp(e->d_name + k - 4, ".xml") != 0)
                continue;
            char p[8192];
            snprintf(p, sizeof p, "%s/%s", src, e->d_name);
            if (add_job(&jobs, &n, &cap, p, outdir) != 0) {
                fputs("reportgen: out of memory\n", stderr);
                return RG_EOUTPUT;
            }
        }
        if (dp)
            closedir(dp);
        qsort(jobs, (size_t)n, sizeof *jobs, cmp_job);
    } else {
        FILE *f = fopen(src, "r");
        char line[8192];
        int ln = 0;
        while (f && fgets(line, sizeof line, f)) {
            ln++;
            size_t k = strlen(line);
            while (k && (line[k - 1] == '\n' || line[k - 1] == '\r' || line[k - 1] == ' '))
                line[--k] = 0;
            if (!k || line[0] == '#')
                continue;
            if (add_job(&jobs, &n, &cap, line, outdir) != 0) {
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
    {   /* a bad REPORTGEN_PATH is said once, not by every worker */
        int cst = 0;
        rg_context *probe = cli_context_new(&cst);
        if (!probe)
            return cst;
        rg_context_free(probe);
    }
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
                jobs[i].state = 4;
                skipped++;
            }
        }
    }
    if (nworkers > n - skipped)
        nworkers = n - skipped > 0 ? n - skipped : 1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    worker *w = calloc((size_t)nworkers, sizeof *w);
    struct pollfd *pf = calloc((size_t)nworkers, sizeof *pf);
    if (!w || !pf) {
        fputs("reportgen: out of memory\n", stderr);
        return RG_EOUTPUT;
    }
    int tty = isatty(2) && !getenv("REPORTGEN_NO_PROGRESS");
    double t0 = now_ms();
    int next = 0, done = skipped, failed = 0, rendered = 0, running = 0, spawn_failed = 0;
    for (int i = 0; i < nworkers; i++)
        if (spawn(&w[i], jobs, &opt, w, nworkers) != 0)
            spawn_failed = 1;
    if (spawn_failed && w[0].pid <= 0) {
        fprintf(stderr, "reportgen: error: cannot start workers: %s\n", strerror(errno));
        return RG_EOUTPUT;
    }
    for (;;) {
        /* Hand out work to idle workers. */
        for (int i = 0; i < nworkers && !stop_requested; i++) {
            if (w[i].pid <= 0 || w[i].job >= 0)
                continue;
            while (next < n && jobs[next].state == 4)
                next++;
            if (next >= n)
                break;
            if (write_full(w[i].to, &next, sizeof next) != 0)
                continue;
            w[i].job = next;
            jobs[next].state = 1;
            running++;
            next++;
        }
        if (running == 0)
            break;
        progress(tty, done, n, failed, NULL, t0);
        int np = 0;
        for (int i = 0; i < nworkers; i++) {
            pf[i].fd = w[i].pid > 0 && w[i].job >= 0 ? w[i].from : -1;
            pf[i].events = POLLIN;
            pf[i].revents = 0;
            np++;
        }
        int r = poll(pf, (nfds_t)nworkers, 200);
        if (r < 0 && errno != EINTR)
            break;
        for (int i = 0; i < nworkers; i++) {
            if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            result res;
            char msg[2049];
            job *j = &jobs[w[i].job];
            if (read_full(w[i].from, &res, sizeof res) == 0 && res.msglen >= 0 && res.msglen < 2048 &&
                read_full(w[i].from, msg, (size_t)res.msglen) == 0) {
                msg[res.msglen] = 0;
                j->ms = res.ms;
                j->state = res.status == RG_OK ? 2 : 3;
                if (res.status != RG_OK) {
                    j->error = strdup(msg);
                    failed++;
                } else {
                    rendered++;
                }
                if (tty && res.status != RG_OK)
                    fprintf(stderr, "\r\033[K%s\n", msg);
                if (!tty)
                    printf("%s %s -> %s (%.0f ms)\n", res.status == RG_OK ? "ok    " : "FAILED", j->in, j->out,
                           res.ms);
            } else {
                /* The worker died with this document: report it and replace the worker. */
                int status = 0;
                close(w[i].to);
                close(w[i].from);
                while (waitpid(w[i].pid, &status, 0) < 0 && errno == EINTR)
                    ;
                w[i].pid = 0;
                remove_temps(j->out);
                char why[256];
                if (WIFSIGNALED(status))
                    snprintf(why, sizeof why, "%s: error: the worker rendering it crashed (signal %d: %s)", j->in,
                             WTERMSIG(status), strsignal(WTERMSIG(status)));
                else
                    snprintf(why, sizeof why, "%s: error: the worker rendering it exited (status %d)", j->in,
                             WEXITSTATUS(status));
                j->error = strdup(why);
                j->state = 3;
                failed++;
                if (tty)
                    fprintf(stderr, "\r\033[K%s\n", why);
                else
                    printf("FAILED %s -> %s (worker crashed)\n", j->in, j->out);
                if (!stop_requested && next < n)
                    spawn(&w[i], jobs, &opt, w, nworkers);
            }
            if (w[i].pid > 0)
                w[i].job = -1;
            running--;
            done++;
        }
        fflush(stdout);
    }
    for (int i = 0; i < nworkers; i++)
        retire(&w[i]);
    if (tty)
        fprintf(stderr, "\r\033[K");
    double secs = (now_ms() - t0) / 1000.0;
    int not_started = 0;
    for (int i = 0; i < n; i++)
        not_started += jobs[i].state == 0;
    printf("%d rendered, %d failed, %d skipped%s in %.2f s\n", rendered, failed, skipped,
           stop_requested ? " (interrupted: the rest not started)" : "", secs);
    if (stop_requested && not_started)
        printf("%d not started\n", not_started);
    for (int i = 0; i < n; i++)
        if (jobs[i].state == 3)
            fprintf(stderr, "%s\n", jobs[i].error ? jobs[i].error : jobs[i].in);
    for (int i = 0; i < n; i++) {
        free(jobs[i].in);
        free(jobs[i].out);
        free(jobs[i].error);
    }
    free(jobs);
    free(w);
    free(pf);
    if (stop_requested)
        return 130;
    return failed ? RG_EINPUT : RG_OK;
}
