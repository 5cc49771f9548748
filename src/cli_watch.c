/* reportgen watch: renders a document, then again each time a file it was
 * made from is saved: the data, its theme, its templates, fonts and
 * images, as the library lists what a render read. Part of the command
 * line: it prints, waits on inotify and handles signals.
 *
 * Folders are watched, not files: an editor saves by writing a new file
 * and renaming it over the old one, and a watch on the old file's inode
 * would see nothing of that. A save is several events (a temporary file,
 * a rename, a backup removed); they are let settle for QUIET_MS and give
 * one render. A save of the data file alone renders with the context of
 * the render before (schemas, templates and fonts compiled and parsed: the
 * card in a third of the time); a save of any other file, with a fresh
 * one, so that the edited template, theme, font or image is read again.
 * The files a render read, and those it looked for in vain (an image not
 * there yet), are the ones watched next. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

#ifndef PATH_MAX
#define PATH_MAX 4096 /* Linux's */
#endif

/* How long a folder must stay quiet after a save before the render, and
 * how long a stream of saves may put it off at most. */
#define QUIET_MS 20
#define SETTLE_MAX_MS 1000
/* Renders one context serves at most: its list of the files read grows by
 * the data file at each save by rename (a new file each time). */
#define RENDERS_PER_CONTEXT 64

/* A name in a watched folder saved (in place, renamed over it, made,
 * removed or moved away) starts a render; a write still going on puts it
 * off (a large file being copied in). */
#define SAVED (IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM)
#define MASK (SAVED | IN_MODIFY | IN_DELETE_SELF | IN_MOVE_SELF)

typedef struct strs { char **v; size_t n, cap; } strs;

/* A watched folder and the names in it that a render read. */
typedef struct folder {
    int wd;
    char *dir;
    strs names;
    int used; /* by the watch set being built */
} folder;

typedef struct watch {
    const char *in, *out;
    rg_render_options opt;
    int fd;                /* inotify */
    folder *f;
    size_t nf, capf;
    strs last, good;       /* files of the last render, and of the last good one */
    strs missing;          /* files the last render looked for in vain */
    rg_context *ctx;       /* kept from render to render while only the data changes */
    int ctx_renders;       /* renders made with it */
    int stale;             /* a file other than the data was saved: a fresh context */
    char good_at[16];      /* when the last good render was, "" before one */
    int data_wd;           /* the watch on the data file's folder */
    int last_wd;           /* the one watch_path used last */
    size_t files;          /* files watched (not counting the names that
                              could shadow them), for the first line */
} watch;

/* ---- signals ------------------------------------------------------------ */

/* The temporary file of a render in progress (rg_context_set_temp_slot). */
static volatile char temp_slot[8192];
static volatile sig_atomic_t rendering, stop_requested;
static int wake[2] = {-1, -1};

/* SIGINT, SIGTERM and SIGHUP end the watch with status 0. Between renders
 * the main loop is woken and frees everything; during one, the temporary
 * file is removed here and the process ends at once: the earlier PDF is
 * either untouched or already replaced whole. SIGQUIT ends it as it ends
 * the other commands (temporary file removed, then the default action). */
static void on_signal(int sig)
{
    int saved = errno;
    if (sig == SIGQUIT || rendering) {
        if (temp_slot[0])
            unlink((const char *)temp_slot);
        if (sig == SIGQUIT) {
            signal(sig, SIG_DFL);
            raise(sig);
        }
        _exit(0);
    }
    stop_requested = 1;
    if (write(wake[1], "", 1) < 0) {
        /* the pipe is full: the loop is already woken */
    }
    errno = saved;
}

/* SIGINT and SIGTERM are caught even when ignored on arrival (a shell
 * without job control ignores SIGINT in what it starts with &): a watch
 * runs until stopped, and they are how it is stopped. SIGHUP and SIGQUIT
 * stay ignored when they were (nohup). */
static int signals_catch(void)
{
    if (pipe(wake) != 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        int fl = fcntl(wake[i], F_GETFL);
        if (fl < 0 || fcntl(wake[i], F_SETFL, fl | O_NONBLOCK) != 0 || fcntl(wake[i], F_SETFD, FD_CLOEXEC) != 0)
            return -1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigfillset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        if (i >= 2 && sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(sigs[i], &sa, NULL);
    }
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

/* ---- small helpers ------------------------------------------------------ */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void clock_text(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    if (!localtime_r(&t, &tm) || strftime(buf, n, "%H:%M:%S", &tm) == 0)
        snprintf(buf, n, "--:--:--");
}

static void strs_free(strs *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    memset(s, 0, sizeof *s);
}

static int strs_has(const strs *s, const char *x)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], x) == 0)
            return 1;
    return 0;
}

/* Adds a copy of x unless it is there: 0, or -1 when memory ran out. */
static int strs_add(strs *s, const char *x)
{
    if (strs_has(s, x))
        return 0;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        char **v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return -1;
        s->v = v;
        s->cap = cap;
    }
    if (!(s->v[s->n] = strdup(x)))
        return -1;
    s->n++;
    return 0;
}

/* Default output: IN's base name with .pdf, in the current folder (as render). */
static char *default_output(const char *in)
{
    const char *b = strrchr(in, '/') ? strrchr(in, '/') + 1 : in;
    size_t n = strlen(b);
    const char *dot = strrchr(b, '.');
    if (dot && dot != b)
        n = (size_t)(dot - b);
    char *o = malloc(n + 5);
    if (o) {
        memcpy(o, b, n);
        memcpy(o + n, ".pdf", 5);
    }
    return o;
}

/* ---- the watch set ------------------------------------------------------ */

static folder *folder_of_wd(watch *w, int wd)
{
    for (size_t i = 0; i < w->nf; i++)
        if (w->f[i].wd == wd)
            return &w->f[i];
    return NULL;
}

/* Watches path's folder for path's name. 1 when the name is new to this
 * round, 0 when it was there; -1 with errno when the folder cannot be
 * watched (or memory ran out: ENOMEM). */
static int watch_path(watch *w, const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    if (!*name)
        return 0;
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else if ((size_t)snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path) >= sizeof dir)
        return errno = ENAMETOOLONG, -1;
    /* The same folder by another name gives the same descriptor. */
    int wd = inotify_add_watch(w->fd, dir, MASK | IN_ONLYDIR);
    if (wd < 0)
        return -1;
    w->last_wd = wd;
    folder *f = folder_of_wd(w, wd);
    if (!f) {
        if (w->nf == w->capf) {
            size_t cap = w->capf ? w->capf * 2 : 8;
            folder *v = realloc(w->f, cap * sizeof *v);
            if (!v)
                return errno = ENOMEM, -1;
            w->f = v;
            w->capf = cap;
        }
        f = &w->f[w->nf];
        memset(f, 0, sizeof *f);
        f->wd = wd;
        if (!(f->dir = strdup(dir)))
            return errno = ENOMEM, -1;
        w->nf++;
    }
    if (!f->used) { /* first use in this round: last round's names go */
        strs_free(&f->names);
        f->used = 1;
    }
    size_t had = f->names.n;
    if (strs_add(&f->names, name) != 0)
        return errno = ENOMEM, -1;
    return f->names.n > had;
}

typedef struct shadowing { watch *w; const char *rel; } shadowing;

static void watch_in_folder(const char *dir, void *arg)
{
    shadowing *sh = arg;
    char p[PATH_MAX];
    if ((size_t)snprintf(p, sizeof p, "%s/%s", dir, sh->rel) < sizeof p)
        (void)watch_path(sh->w, p); /* a folder that is not there has nothing to shadow */
}

typedef struct finding { const char *path; const char *rel; } finding;

/* Is the path inside dir (as given, or as its real path)? Sets the part inside. */
static void find_rel(const char *dir, void *arg)
{
    finding *fd = arg;
    char *real = realpath(dir, NULL);
    const char *cands[2] = {dir, real};
    for (int i = 0; i < 2 && !fd->rel; i++) {
        size_t n = cands[i] ? strlen(cands[i]) : 0;
        while (n > 1 && cands[i][n - 1] == '/')
            n--;
        if (n && strncmp(fd->path, cands[i], n) == 0 && fd->path[n] == '/')
            fd->rel = fd->path + n + 1;
    }
    free(real);
}

/* Watches where path's symbolic links lead as well: an editor opening a
 * link saves the file it points to, in the folder it is in. */
static void watch_target(watch *w, const char *path)
{
    char *real = realpath(path, NULL);
    if (real && strcmp(real, path) != 0)
        (void)watch_path(w, real);
    free(real);
}

/* Watches path (and where it leads) and, when it came from a data folder
 * (REPORTGEN_PATH or the base), the same name in every data folder: a
 * theme or template saved into a folder searched earlier takes its
 * place. count: a file read, counted in w->files. */
static int watch_file(watch *w, const char *path, int count)
{
    int added = watch_path(w, path);
    if (added < 0)
        return -1;
    if (count)
        w->files += (size_t)added;
    watch_target(w, path);
    finding fd = {path, NULL};
    cli_each_folder(find_rel, &fd);
    if (fd.rel) {
        shadowing sh = {w, fd.rel};
        cli_each_folder(watch_in_folder, &sh);
    }
    return 0;
}

/* Watches the files of the last render, those of the last good one (a
 * data file that no longer loads read no template: they are still what
 * the next good render reads), those the last render looked for in vain,
 * the data file and a theme given as a file;
 * folders no longer needed are let go. 0; or -1 with errno when the data
 * file's folder cannot be watched. Other folders that cannot be watched
 * are passed over: a template's folder removed, say. */
static int watch_update(watch *w)
{
    w->files = 0;
    for (size_t i = 0; i < w->nf; i++)
        w->f[i].used = 0;
    int rc = 0, added = watch_path(w, w->in), e = errno;
    if (added < 0)
        rc = -1;
    else
        w->files += (size_t)added;
    w->data_wd = added < 0 ? -1 : w->last_wd;
    watch_target(w, w->in);
    const char *t = w->opt.theme;
    if (t && (strchr(t, '/') || (strlen(t) > 4 && strcmp(t + strlen(t) - 4, ".xml") == 0)))
        (void)watch_file(w, t, 1);
    for (size_t i = 0; i < w->last.n; i++)
        (void)watch_file(w, w->last.v[i], 1);
    for (size_t i = 0; i < w->good.n; i++)
        (void)watch_file(w, w->good.v[i], 1);
    /* a file that appears where one was looked for (an image, a logo) */
    for (size_t i = 0; i < w->missing.n; i++)
        (void)watch_file(w, w->missing.v[i], 0);
    size_t k = 0;
    for (size_t i = 0; i < w->nf; i++) {
        if (w->f[i].used) {
            w->f[k++] = w->f[i];
            continue;
        }
        inotify_rm_watch(w->fd, w->f[i].wd);
        free(w->f[i].dir);
        strs_free(&w->f[i].names);
    }
    w->nf = k;
    errno = e;
    return rc;
}

static void watch_free(watch *w)
{
    for (size_t i = 0; i < w->nf; i++) {
        free(w->f[i].dir);
        strs_free(&w->f[i].names);
    }
    free(w->f);
    strs_free(&w->last);
    strs_free(&w->good);
    strs_free(&w->missing);
    rg_context_free(w->ctx);
    if (w->fd >= 0)
        close(w->fd);
}

/* ---- rendering ---------------------------------------------------------- */

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* One render with a fresh context; prints its findings and then its line
 * and keeps the list of files it read. Returns its status (the context's
 * when one could not be made). */
static int render(watch *w)
{
    if (w->ctx && (w->stale || w->ctx_renders >= RENDERS_PER_CONTEXT)) {
        rg_context_free(w->ctx);
        w->ctx = NULL;
    }
    w->stale = 0;
    if (!w->ctx) {
        int cst = 0;
        if (!(w->ctx = cli_context_new(&cst)))
            return cst;
        rg_context_set_threads(w->ctx, cli_cores());
        w->ctx_renders = 0;
    }
    rg_context *ctx = w->ctx;
    w->ctx_renders++;
    rg_diags *d = rg_diags_new();
    if (!d) {
        fputs("reportgen: out of memory\n", stderr);
        return RG_EOUTPUT;
    }
    rg_context_set_temp_slot(ctx, temp_slot, sizeof temp_slot);
    double t0 = now_ms();
    rendering = 1;
    rg_status st = rg_render_file(ctx, w->in, w->out, &w->opt, d);
    rendering = 0;
    double ms = now_ms() - t0;
    int oom = 0;
    strs_free(&w->last);
    /* (a kept context lists what its earlier renders read too: the same
       templates, and the data file) */
    for (size_t i = 0; i < rg_context_input_count(ctx); i++)
        oom |= strs_add(&w->last, rg_context_input(ctx, i)) != 0;
    strs_free(&w->missing);
    for (size_t i = 0; i < rg_context_missing_count(ctx); i++)
        oom |= strs_add(&w->missing, rg_context_missing(ctx, i)) != 0;
    size_t errors = rg_diags_errors(d), warnings = 0;
    for (size_t i = 0; i < rg_diags_count(d); i++)
        warnings += rg_diags_get(d, i)->severity == RG_SEV_WARNING;
    /* The findings first, then the line that ends the render. */
    cli_print_diags(d);
    char at[16], tail[128] = "";
    clock_text(at, sizeof at);
    if (warnings)
        snprintf(tail, sizeof tail, ", %zu %s", warnings, plural(warnings, "warning", "warnings"));
    if (st == RG_OK) {
        int pages = rg_context_pages(ctx);
        printf("%s rendered %s (%d %s, %.0f ms)%s\n", at, w->out, pages, plural((size_t)pages, "page", "pages"), ms,
               tail);
        snprintf(w->good_at, sizeof w->good_at, "%s", at);
        strs_free(&w->good);
        w->good = w->last;
        memset(&w->last, 0, sizeof w->last);
    } else {
        char counts[192];
        if (errors)
            snprintf(counts, sizeof counts, "%zu %s%s", errors, plural(errors, "error", "errors"), tail);
        else
            snprintf(counts, sizeof counts, "%zu %s under --strict", warnings, plural(warnings, "warning", "warnings"));
        struct stat sb;
        int there = stat(w->out, &sb) == 0; /* (its folder may be gone, or the PDF deleted) */
        if (w->good_at[0] && there)
            printf("%s not rendered (%s): %s is still the one rendered at %s\n", at, counts, w->out, w->good_at);
        else if (there)
            printf("%s not rendered (%s): %s is left as it was\n", at, counts, w->out);
        else
            printf("%s not rendered (%s)\n", at, counts);
    }
    fflush(stdout);
    if (oom)
        fputs("reportgen: warning: out of memory: a file this render read may go unwatched\n", stderr);
    rg_diags_free(d);
    return (int)st;
}

/* ---- waiting ------------------------------------------------------------ */

enum { NOTHING, ACTIVITY, SAVE };

/* Is the event about the data file? */
static int about_data(const watch *w, const folder *f, const char *name)
{
    const char *base = strrchr(w->in, '/') ? strrchr(w->in, '/') + 1 : w->in;
    return f->wd == w->data_wd && strcmp(name, base) == 0;
}

/* Reads the events waiting on the inotify descriptor: SAVE when a name
 * that matters was saved (or events were lost, or a watched folder went),
 * ACTIVITY when one is being written, else NOTHING. A save of anything
 * but the data file makes the context stale. -1 on a read error. */
static int events_read(watch *w)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    int what = NOTHING;
    for (;;) {
        ssize_t n = read(w->fd, buf, sizeof buf);
        if (n < 0)
            return errno == EAGAIN || errno == EINTR ? what : -1;
        for (char *p = buf; p < buf + n;) {
            const struct inotify_event *ev = (const struct inotify_event *)p;
            p += sizeof *ev + ev->len;
            if (ev->mask & IN_Q_OVERFLOW) {
                what = SAVE;
                w->stale = 1;
                continue;
            }
            folder *f = folder_of_wd(w, ev->wd);
            if (!f)
                continue;
            if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED)) {
                what = SAVE; /* watched again (or not) after the render */
                w->stale = 1;
                continue;
            }
            if (!ev->len || !strs_has(&f->names, ev->name))
                continue;
            if (ev->mask & SAVED) {
                what = SAVE;
                w->stale |= !about_data(w, f, ev->name);
            }
            else if (what == NOTHING)
                what = ACTIVITY;
        }
    }
}

/* Waits for the inotify descriptor (or the stop pipe) for up to ms
 * milliseconds (-1: no limit). 1 when an event is waiting, 0 on timeout
 * or a stop request, -1 when poll failed. */
static int wait_for(watch *w, int ms)
{
    struct pollfd pf[2] = {{w->fd, POLLIN, 0}, {wake[0], POLLIN, 0}};
    for (;;) {
        if (stop_requested)
            return 0;
        int r = poll(pf, 2, ms);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        return !stop_requested && (pf[0].revents & POLLIN);
    }
}

/* Blocks until a save of a file that matters has settled: QUIET_MS with no
 * further event for those names, or SETTLE_MAX_MS after the first. 1 then;
 * 0 when a stop was requested; -1 when waiting failed. */
static int next_save(watch *w)
{
    for (;;) {
        int r = wait_for(w, -1);
        if (r <= 0)
            return r;
        int what = events_read(w);
        if (what < 0)
            return -1;
        if (what == SAVE)
            break;
    }
    double first = now_ms(), last = first;
    for (;;) {
        double t = now_ms(), until = last + QUIET_MS;
        if (until > first + SETTLE_MAX_MS)
            until = first + SETTLE_MAX_MS;
        if (t >= until)
            return 1;
        int r = wait_for(w, (int)(until - t) + 1);
        if (r < 0)
            return -1;
        if (stop_requested)
            return 0;
        int what = r ? events_read(w) : NOTHING;
        if (what < 0)
            return -1;
        if (what != NOTHING) /* our own output's events are not a save */
            last = now_ms();
    }
}

/* ---- the command -------------------------------------------------------- */

static int parse_args(int argc, char **argv, watch *w)
{
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
            if (++i == argc)
                return cli_usage_error("%s needs a file name", a);
            w->out = argv[i];
        } else if (strcmp(a, "--theme") == 0) {
            if (++i == argc)
                return cli_usage_error("%s needs a theme name or file", a);
            w->opt.theme = argv[i];
        } else if (strcmp(a, "--root") == 0) {
            if (++i == argc)
                return cli_usage_error("%s needs a folder", a);
            w->opt.root = argv[i];
        } else if (strcmp(a, "--strict") == 0) {
            w->opt.strict = 1;
        } else if (strcmp(a, "--pdf-standard") == 0) {
            if (++i == argc || cli_pdf_standard(argv[i], &w->opt.pdf_standard) != 0)
                return cli_usage_error("--pdf-standard needs %s", CLI_PDF_STANDARDS);
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("unknown option '%s'", a);
        } else if (w->in) {
            return cli_usage_error("watch takes one input; '%s' is a second", a);
        } else {
            w->in = a;
        }
    }
    if (!w->in)
        return cli_usage_error("%s", "watch needs an input file");
    if (w->out && strcmp(w->out, "-") == 0)
        return cli_usage_error("%s", "watch writes a PDF file; give -o FILE.pdf");
    if (w->out && cli_pdf_name_bad(w->out))
        return RG_EUSAGE;
    if (cli_epoch(&w->opt.epoch) != 0)
        return cli_usage_error("SOURCE_DATE_EPOCH '%s' is not a Unix time", getenv("SOURCE_DATE_EPOCH"));
    if (cli_threads_bad())
        return RG_EUSAGE;
    if (w->opt.root && !cli_is_folder(w->opt.root))
        return cli_usage_error("--root '%s' is not a folder", w->opt.root);
    return cli_datadir_usable();
}

/* Says that the data file's folder cannot be watched; the exit status. */
static int cannot_watch(const watch *w)
{
    int e = errno;
    fprintf(stderr, "%s: error: cannot watch its folder: %s%s\n", w->in, strerror(e),
            e == ENOSPC ? " (the limit fs.inotify.max_user_watches is reached)" : "");
    return e == ENOENT || e == ENOTDIR || e == EACCES ? RG_EINPUT : RG_EOUTPUT;
}

static int cmd_watch(int argc, char **argv)
{
    watch w;
    memset(&w, 0, sizeof w);
    w.fd = -1;
    w.opt = (rg_render_options){NULL, RG_FORMAT_PDF, -1, 0, NULL, RG_PDF_ARCHIVAL};
    int rc = parse_args(argc, argv, &w);
    if (rc != 0)
        return rc < 0 ? 0 : rc;
    char *def = NULL;
    if (!w.out && !(w.out = def = default_output(w.in))) {
        fputs("reportgen: out of memory\n", stderr);
        return RG_EOUTPUT;
    }
    if (signals_catch() != 0 || (w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) < 0) {
        fprintf(stderr, "reportgen: error: cannot watch files: %s\n", strerror(errno));
        free(def);
        return RG_EOUTPUT;
    }
    /* The data file's folder is watched before the first render, so that
     * a save while it runs is not missed. */
    if (watch_update(&w) != 0) {
        rc = cannot_watch(&w);
        goto out;
    }
    rc = render(&w);
    if (rc == RG_EUSAGE) /* an output that is an input, an unknown theme */
        goto out;
    if (watch_update(&w) != 0) {
        rc = cannot_watch(&w);
        goto out;
    }
    printf("watching %s and %zu other %s it was made from (Ctrl-C stops)\n", w.in, w.files - 1,
           plural(w.files - 1, "file", "files"));
    if (cli_stdout_failed()) {
        rc = RG_EOUTPUT;
        goto out;
    }
    for (;;) {
        int r = next_save(&w);
        if (r < 0) {
            fprintf(stderr, "reportgen: error: waiting for a save failed: %s\n", strerror(errno));
            rc = RG_EOUTPUT;
            break;
        }
        if (r == 0) {
            rc = 0;
            break;
        }
        render(&w);
        if (cli_stdout_failed()) { /* no one reads what it says: | head -1 */
            rc = RG_EOUTPUT;
            break;
        }
        if (watch_update(&w) != 0) {
            rc = cannot_watch(&w);
            break;
        }
        if (stop_requested) {
            rc = 0;
            break;
        }
    }
out:
    watch_free(&w);
    free(def);
    close(wake[0]);
    close(wake[1]);
    return rc;
}

const cli_command cli_cmd_watch = {
    "watch", "IN.xml [-o OUT.pdf] [--theme NAME|FILE] [--root DIR] [--strict]\n[--pdf-standard S]",
    "render a data file again each time it or its templates are saved",
    "Renders IN.xml, then again each time it, its theme, a template, font or\n"
    "image it was made from is saved; prints a line per render (time, pages,\n"
    "milliseconds) and its findings. OUT.pdf is replaced only by a whole new PDF:\n"
    "a save with an error keeps the last good one. Ctrl-C stops.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT   the PDF (default: IN's name with .pdf, in the current\n"
    "                     folder); its name must end in .pdf\n"
    "  --theme NAME|FILE  brand (see render --help)\n"
    "  --root DIR         the folder whose files the document may name\n"
    "  --strict           treat warnings as errors\n"
    "  --pdf-standard S   a-2a,ua-1 (default) or none (see render --help)\n"
    "  -h, --help         this text\n",
    cmd_watch,
};
