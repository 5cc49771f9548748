/* Fault injection for the whole process (make faultcheck).
 *
 * Linked into a separate build of reportgen (out/fault/bin/reportgen). It
 * replaces malloc, calloc, realloc, free and the aligned allocators, as
 * glibc allows ("Replacing malloc" in its manual: every library in the
 * process, libc itself, libxml2, libxslt and libharu included, then calls
 * these), and wraps the file system calls the output path goes through.
 * The real work is done by glibc's own allocator (__libc_malloc ...) and by
 * the raw system calls (mkstemp alone is glibc's, found with dlsym).
 *
 *   REPORTGEN_FAIL_ALLOC=N   the Nth allocation returns NULL (ENOMEM)
 *   REPORTGEN_FAIL_WRITE=N   the Nth output call fails: open for writing,
 *                            write, fsync, fdatasync, rename, mkstemp, fchmod,
 *                            close of a file opened for writing (ENOSPC for
 *                            open, mkstemp and write; EIO for the others)
 *   REPORTGEN_FAIL_READ=N    the Nth open for reading or read fails (EIO)
 *   REPORTGEN_FAIL_PERSIST=1 every call from the Nth on fails, not just one
 *   REPORTGEN_FAIL_CEILING=1 with FAIL_ALLOC=N: memory runs out as it does
 *                            under a limit (ulimit -v, a cgroup): the Nth
 *                            allocation fails and from then on the heap may
 *                            not grow beyond the bytes live at that moment;
 *                            an allocation fails when it would pass that
 *                            ceiling, and what is freed makes room again
 *   REPORTGEN_TRAP_ALLOC=N   SIGTRAP at the Nth allocation (for gdb: where is it?)
 *   REPORTGEN_FAULT_REPORT=F at exit, F gets the counts, the call stack of
 *                            the first failed call, and the blocks still
 *                            allocated (after libxml2's and libxslt's global
 *                            cleanup; the first 40, with the function that
 *                            made each); on a crash, the counts, that stack
 *                            and the crash's (tests/fault/run.py reads it)
 *
 * Calls are counted from the start of main's constructors, one process at
 * a time (a forked child goes on counting where its parent was). time()
 * returns a constant so libxml2's hash seeds, and with them the number of
 * allocations, are the same in every run. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* reserve.c's pool of small blocks would take the libraries' allocations
 * away from the failures counted here: none in this build. */
const int rg_lib_pool_off = 1;

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);
/* libxml2 and libxslt keep global tables until these are called. */
extern void xmlCleanupParser(void);
extern void xsltCleanupGlobals(void);

/* ---- settings and counters --------------------------------------------- */

static int armed;                 /* the constructor has run */
static int persist, ceiling_mode;
static size_t live_bytes, ceiling;  /* ceiling_mode: set at the Nth allocation */
static int ceiling_set;
static long fail_alloc, fail_write, fail_read, trap_alloc;
static long n_alloc, n_write, n_read;
static long failed_alloc, failed_write, failed_read; /* how many were failed */
static const char *report_path;

/* The call stack of the first call made to fail. */
static void *fault_frames[64];
static int fault_depth;

static int should_fail(long n, long at, long *failed)
{
    if (at <= 0 || !armed)
        return 0;
    if (n == at || (persist && n > at)) {
        if (!failed_alloc && !failed_write && !failed_read)
            fault_depth = backtrace(fault_frames, 64);
        (*failed)++;
        return 1;
    }
    return 0;
}

/* ---- live blocks: an open-addressing table in memory of our own -------- */

typedef struct live {
    uintptr_t p;                  /* 0: empty */
    size_t size;
    long index;                   /* which allocation made it (1-based) */
    void *caller;
} live;

static live *tab;
static size_t tab_cap, tab_n;
static atomic_flag lock = ATOMIC_FLAG_INIT;

static void take(void) { while (atomic_flag_test_and_set_explicit(&lock, memory_order_acquire)) ; }
static void give(void) { atomic_flag_clear_explicit(&lock, memory_order_release); }

static size_t slot_of(uintptr_t p, size_t cap)
{
    uint64_t h = (uint64_t)p * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 20) & (cap - 1);
}

static void tab_put(live e);

static int tab_grow(void)
{
    size_t cap = tab_cap ? tab_cap * 2 : 1 << 16;
    live *old = tab;
    size_t ocap = tab_cap;
    void *m = mmap(NULL, cap * sizeof(live), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return -1;
    tab = m;
    tab_cap = cap;
    tab_n = 0;
    for (size_t i = 0; i < ocap; i++)
        if (old[i].p)
            tab_put(old[i]);
    if (old)
        munmap(old, ocap * sizeof(live));
    return 0;
}

static void tab_put(live e)
{
    if ((tab_n + 1) * 2 > tab_cap && tab_grow() != 0)
        return;
    size_t i = slot_of(e.p, tab_cap);
    while (tab[i].p && tab[i].p != e.p)
        i = (i + 1) & (tab_cap - 1);
    if (!tab[i].p)
        tab_n++;
    tab[i] = e;
}

/* Removal with backward shifting, so lookups need no tombstones. */
static size_t tab_size(uintptr_t p)
{
    if (!tab_cap)
        return 0;
    size_t i = slot_of(p, tab_cap);
    while (tab[i].p && tab[i].p != p)
        i = (i + 1) & (tab_cap - 1);
    return tab[i].p ? tab[i].size : 0;
}

static void tab_del(uintptr_t p)
{
    if (!tab_cap)
        return;
    size_t i = slot_of(p, tab_cap);
    while (tab[i].p && tab[i].p != p)
        i = (i + 1) & (tab_cap - 1);
    if (!tab[i].p)
        return;
    tab_n--;
    live_bytes -= tab[i].size;
    size_t j = i;
    for (;;) {
        tab[i].p = 0;
        for (;;) {
            j = (j + 1) & (tab_cap - 1);
            if (!tab[j].p)
                return;
            size_t k = slot_of(tab[j].p, tab_cap);
            /* move j back to i unless its home lies cyclically in (i, j] */
            if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
                continue;
            break;
        }
        tab[i] = tab[j];
        i = j;
    }
}

static void note_alloc(void *p, size_t size, long index, void *caller)
{
    if (!p || !armed)
        return;
    take();
    tab_put((live){(uintptr_t)p, size, index, caller});
    live_bytes += size;
    give();
}

static void note_free(void *p)
{
    if (!p || !armed)
        return;
    take();
    tab_del((uintptr_t)p);
    give();
}

/* Counts an allocation of want bytes (in place of old's, for realloc); 1
 * when it is to fail. */
static int alloc_step_for(long *index, size_t want, void *old)
{
    *index = 0;
    if (!armed)
        return 0;
    take();
    *index = ++n_alloc;
    if (n_alloc == trap_alloc)
        raise(SIGTRAP);
    int f;
    if (ceiling_mode && ceiling_set) {
        size_t back = old ? tab_size((uintptr_t)old) : 0;
        f = live_bytes - back + want > ceiling;
        if (f)
            failed_alloc++;
    } else {
        f = should_fail(n_alloc, fail_alloc, &failed_alloc);
        if (f && ceiling_mode) {
            ceiling = live_bytes;
            ceiling_set = 1;
        }
    }
    give();
    return f;
}

#define alloc_step(index) alloc_step_for(index, n, NULL)

/* ---- the allocator ------------------------------------------------------ */

void *malloc(size_t n)
{
    long idx;
    if (alloc_step(&idx)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_malloc(n);
    note_alloc(p, n, idx, __builtin_return_address(0));
    return p;
}

void *calloc(size_t k, size_t n)
{
    long idx;
    if (alloc_step_for(&idx, k * n, NULL)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_calloc(k, n);
    note_alloc(p, k * n, idx, __builtin_return_address(0));
    return p;
}

void *realloc(void *old, size_t n)
{
    if (old && n == 0) {
        note_free(old);
        return __libc_realloc(old, 0);
    }
    long idx;
    if (alloc_step_for(&idx, n, old)) {
        errno = ENOMEM;
        return NULL;       /* old stays valid, as when memory runs out */
    }
    void *p = __libc_realloc(old, n);
    if (p) {
        note_free(old);
        note_alloc(p, n, idx, __builtin_return_address(0));
    }
    return p;
}

void free(void *p)
{
    note_free(p);
    __libc_free(p);
}

void *memalign(size_t align, size_t n)
{
    long idx;
    if (alloc_step(&idx)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = __libc_memalign(align, n);
    note_alloc(p, n, idx, __builtin_return_address(0));
    return p;
}

void *aligned_alloc(size_t align, size_t n)
{
    return memalign(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
    if (align % sizeof(void *) || (align & (align - 1)))
        return EINVAL;
    long idx;
    if (alloc_step(&idx))
        return ENOMEM;
    void *p = __libc_memalign(align, n);
    if (!p)
        return ENOMEM;
    note_alloc(p, n, idx, __builtin_return_address(0));
    *out = p;
    return 0;
}

void *valloc(size_t n)
{
    return memalign((size_t)sysconf(_SC_PAGESIZE), n);
}

void *pvalloc(size_t n)
{
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    return memalign(pg, (n + pg - 1) & ~(pg - 1));
}

/* ---- file system calls -------------------------------------------------- */

static int io_fail(long *count, long at, long *failed)
{
    if (!armed)
        return 0;
    take();
    ++*count;
    int f = should_fail(*count, at, failed);
    give();
    return f;
}

#define WRITE_FAILS() io_fail(&n_write, fail_write, &failed_write)
#define READ_FAILS() io_fail(&n_read, fail_read, &failed_read)

static int for_writing(int flags)
{
    return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC));
}

/* Descriptors opened for writing: only their close counts as an output call. */
static unsigned char wfd[4096 / 8];
static void mark_fd(int fd, int writing)
{
    if (fd >= 0 && fd < 4096) {
        if (writing)
            wfd[fd / 8] |= (unsigned char)(1u << (fd % 8));
        else
            wfd[fd / 8] &= (unsigned char)~(1u << (fd % 8));
    }
}
static int is_wfd(int fd) { return fd >= 0 && fd < 4096 && (wfd[fd / 8] >> (fd % 8)) & 1; }

int open(const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (for_writing(flags) ? WRITE_FAILS() : READ_FAILS()) {
        errno = for_writing(flags) ? ENOSPC : EIO;
        return -1;
    }
    int fd = (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
    mark_fd(fd, for_writing(flags));
    return fd;
}
int open64(const char *path, int flags, ...) __attribute__((alias("open")));

int openat(int dir, const char *path, int flags, ...)
{
    mode_t mode = 0;
    if (flags & (O_CREAT | O_TMPFILE)) {
        va_list ap;
        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (for_writing(flags) ? WRITE_FAILS() : READ_FAILS()) {
        errno = for_writing(flags) ? ENOSPC : EIO;
        return -1;
    }
    int fd = (int)syscall(SYS_openat, dir, path, flags, mode);
    mark_fd(fd, for_writing(flags));
    return fd;
}
int openat64(int dir, const char *path, int flags, ...) __attribute__((alias("openat")));

ssize_t read(int fd, void *buf, size_t n)
{
    if (READ_FAILS()) {
        errno = EIO;
        return -1;
    }
    return syscall(SYS_read, fd, buf, n);
}

ssize_t pread(int fd, void *buf, size_t n, off_t at)
{
    if (READ_FAILS()) {
        errno = EIO;
        return -1;
    }
    return syscall(SYS_pread64, fd, buf, n, at);
}
ssize_t pread64(int fd, void *buf, size_t n, off_t at) __attribute__((alias("pread")));

ssize_t write(int fd, const void *buf, size_t n)
{
    /* Our own standard error stays out of it: that is how failures are told. */
    if (fd != 2 && WRITE_FAILS()) {
        errno = ENOSPC;
        return -1;
    }
    return syscall(SYS_write, fd, buf, n);
}

int fsync(int fd)
{
    if (WRITE_FAILS()) {
        errno = EIO;
        return -1;
    }
    return (int)syscall(SYS_fsync, fd);
}

int fdatasync(int fd)
{
    if (WRITE_FAILS()) {
        errno = EIO;
        return -1;
    }
    return (int)syscall(SYS_fdatasync, fd);
}

/* A failed close still closes the descriptor, as on Linux. */
int close(int fd)
{
    int w = is_wfd(fd);
    mark_fd(fd, 0);
    int r = (int)syscall(SYS_close, fd);
    if (r == 0 && w && WRITE_FAILS()) {
        errno = EIO;
        return -1;
    }
    return r;
}

int rename(const char *from, const char *to)
{
    if (WRITE_FAILS()) {
        errno = EIO;
        return -1;
    }
    return (int)syscall(SYS_renameat, AT_FDCWD, from, AT_FDCWD, to);
}

int fchmod(int fd, mode_t mode)
{
    if (WRITE_FAILS()) {
        errno = EIO;
        return -1;
    }
    return (int)syscall(SYS_fchmod, fd, mode);
}

/* mkstemp opens inside glibc, out of our reach: fail it here, or pass. */
int mkstemp(char *tmpl)
{
    if (WRITE_FAILS()) {
        errno = ENOSPC;
        return -1;
    }
    static int (*real)(char *);
    if (!real)
        real = (int (*)(char *))dlsym(RTLD_NEXT, "mkstemp");
    int fd = real(tmpl);
    mark_fd(fd, 1);
    return fd;
}
int mkstemp64(char *tmpl) __attribute__((alias("mkstemp")));

time_t time(time_t *t)
{
    time_t v = 1635724800; /* 2021-11-01 */
    if (t)
        *t = v;
    return v;
}

/* ---- start and end ------------------------------------------------------ */

static long env_long(const char *name)
{
    const char *s = getenv(name);
    return s && *s ? strtol(s, NULL, 10) : 0;
}

static void put(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(int fd, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n > 0)
        syscall(SYS_write, fd, line, (size_t)(n < (int)sizeof line ? n : (int)sizeof line - 1));
}

/* "function+0xOFF object+0xOFF": the function from the dynamic symbols (the
 * nearest exported one: a static function shows as its neighbour), the
 * object offset for addr2line. */
static void put_addr(int fd, const char *tag, void *a)
{
    Dl_info di;
    const char *sym = "?", *obj = "?";
    uintptr_t off = 0, objoff = 0;
    if (dladdr(a, &di)) {
        obj = di.dli_fname ? di.dli_fname : "?";
        objoff = (uintptr_t)a - (uintptr_t)di.dli_fbase;
        if (di.dli_sname) {
            sym = di.dli_sname;
            off = (uintptr_t)a - (uintptr_t)di.dli_saddr;
        }
    }
    put(fd, "%s %s+0x%lx %s+0x%lx\n", tag, sym, (unsigned long)off, obj, (unsigned long)objoff);
}

static int open_report(void)
{
    if (!report_path)
        return -1;
    return (int)syscall(SYS_openat, AT_FDCWD, report_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
}

static void put_counts(int fd)
{
    size_t bytes = 0;
    for (size_t i = 0; i < tab_cap; i++)
        bytes += tab[i].p ? tab[i].size : 0;
    put(fd, "allocs %ld\nwrites %ld\nreads %ld\nfailed %ld %ld %ld\nlive %zu %zu\n", n_alloc, n_write,
        n_read, failed_alloc, failed_write, failed_read, tab_n, bytes);
    for (int i = 0; i < fault_depth; i++)
        put_addr(fd, "fault", fault_frames[i]);
}

/* glibc's tzset keeps the time zone's name (TZ, else "/etc/localtime") in
 * a block of its own for the life of the process (time/tzset.c, old_tz);
 * libzip's mktime, reading a zip's file dates, reaches it. No leak of ours:
 * forgotten here (called while armed, so that note_free takes it). */
static void forget_tz_name(void)
{
    const char *tz = getenv("TZ");
    const char *names[2] = {tz ? tz : "/etc/localtime", "/etc/localtime"};
    for (int k = 0; k < 2; k++) {
        size_t n = strlen(names[k]) + 1;
        for (size_t i = 0; i < tab_cap; i++)
            if (tab[i].p && tab[i].size == n && memcmp((const void *)tab[i].p, names[k], n) == 0) {
                note_free((void *)tab[i].p);
                break;
            }
    }
}

static void report(void)
{
    armed = 0;
    if (!report_path)
        return;
    /* Fail nothing during the cleanup itself, but count what it frees. */
    fail_alloc = fail_write = fail_read = 0;
    armed = 1;
    xsltCleanupGlobals();
    xmlCleanupParser();
    forget_tz_name();
    armed = 0;
    int fd = open_report();
    if (fd < 0)
        return;
    put_counts(fd);
    int shown = 0;
    for (size_t i = 0; i < tab_cap && shown < 40; i++) { /* the first 40 are enough to go on */
        if (!tab[i].p)
            continue;
        shown++;
        char tag[64];
        snprintf(tag, sizeof tag, "block %ld %zu", tab[i].index, tab[i].size);
        put_addr(fd, tag, tab[i].caller);
    }
    syscall(SYS_close, fd);
}

/* A crash: the counts, where the fault was made and where the process died. */
static void on_crash(int sig)
{
    armed = 0;
    int fd = open_report();
    if (fd >= 0) {
        put_counts(fd);
        put(fd, "signal %d\n", sig);
        void *fr[64];
        int n = backtrace(fr, 64);
        for (int i = 0; i < n; i++)
            put_addr(fd, "crash", fr[i]);
        syscall(SYS_close, fd);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void *idle(void *arg) { return arg; }

__attribute__((constructor(101))) static void start(void)
{
    fail_alloc = env_long("REPORTGEN_FAIL_ALLOC");
    fail_write = env_long("REPORTGEN_FAIL_WRITE");
    fail_read = env_long("REPORTGEN_FAIL_READ");
    trap_alloc = env_long("REPORTGEN_TRAP_ALLOC");
    persist = env_long("REPORTGEN_FAIL_PERSIST") != 0;
    ceiling_mode = env_long("REPORTGEN_FAIL_CEILING") != 0;
    report_path = getenv("REPORTGEN_FAULT_REPORT");
    if (report_path && !*report_path)
        report_path = NULL;
    atexit(report);   /* registered first, so it runs last */
    /* glibc reads the time zone once and keeps it for the life of the
     * process (timegm does it on first call): fill that cache now, so it
     * is neither counted as a leak nor made to fail. backtrace loads its
     * unwinder on first use: that too. */
    tzset();
    void *fr[2];
    backtrace(fr, 2);
    /* The program opens libzip when it first reads a workbook; the loader's
     * own blocks live as long as the process. Open it now, so a fault
     * sweep counts the program's allocations, not the loader's. */
    if (!dlopen("libzip.so.4", RTLD_NOW | RTLD_LOCAL))
        dlopen("libzip.so.5", RTLD_NOW | RTLD_LOCAL);
    /* A render runs its checks on a thread of its own; the C library keeps
     * a finished thread's stack, and the block of thread-local storage
     * that comes with it, for the next thread. Made now, so that block is
     * the process's from the start, not a leak at its end. */
    pthread_t th;
    if (pthread_create(&th, NULL, idle, NULL) == 0)
        pthread_join(th, NULL);
    if (report_path) {
        int sigs[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
            signal(sigs[i], on_crash);
    }
    armed = 1;
}
