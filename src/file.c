/* Opening the files a run reads: never blocking, regular files only, and
 * each one remembered so that an output can be refused when it would
 * replace one of them. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rg.h"

#ifndef PATH_MAX
#define PATH_MAX 4096 /* Linux's, and what the kernel takes in one path */
#endif

/* The list the files opened by this thread go to (the context's, while
 * one of its calls runs), or NULL. */
static _Thread_local rg_inputs *tracking;

void rg_inputs_track(rg_inputs *in)
{
    tracking = in;
}

int rg_inputs_fork(rg_inputs *out, const rg_inputs *in)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 2; k++)
            if (in->root[i][k] && !(out->root[i][k] = strdup(in->root[i][k]))) {
                rg_inputs_free(out);
                return -1;
            }
    return 0;
}

void rg_inputs_merge(rg_inputs *to, rg_inputs *from)
{
    for (size_t i = 0; i < from->n; i++) {
        size_t k = 0;
        while (k < to->n && !(to->v[k].dev == from->v[i].dev && to->v[k].ino == from->v[i].ino))
            k++;
        if (k == to->n && to->n == to->cap) {
            size_t cap = to->cap ? to->cap * 2 : 32;
            void *v = realloc(to->v, cap * sizeof to->v[0]);
            if (v) {
                to->v = v;
                to->cap = cap;
            }
        }
        if (k == to->n && to->n < to->cap) {
            to->v[to->n++] = from->v[i];
            from->v[i].path = NULL;
        }
    }
    for (size_t i = 0; i < from->nmissing; i++) {
        size_t k = 0;
        while (k < to->nmissing && strcmp(to->missing[k], from->missing[i]) != 0)
            k++;
        if (k == to->nmissing && to->nmissing == to->capmissing) {
            size_t cap = to->capmissing ? to->capmissing * 2 : 8;
            char **v = realloc(to->missing, cap * sizeof *v);
            if (v) {
                to->missing = v;
                to->capmissing = cap;
            }
        }
        if (k == to->nmissing && to->nmissing < to->capmissing) {
            to->missing[to->nmissing++] = from->missing[i];
            from->missing[i] = NULL;
        }
    }
}

void rg_inputs_truncate(rg_inputs *in, size_t n, size_t nmissing)
{
    for (; in->n > n; in->n--)
        free(in->v[in->n - 1].path);
    for (; in->nmissing > nmissing; in->nmissing--)
        free(in->missing[in->nmissing - 1]);
}

void rg_inputs_free(rg_inputs *in)
{
    for (size_t i = 0; i < in->n; i++)
        free(in->v[i].path);
    free(in->v);
    for (int i = 0; i < 2; i++)
        for (int k = 0; k < 2; k++)
            free(in->root[i][k]);
    for (size_t i = 0; i < in->nmissing; i++)
        free(in->missing[i]);
    free(in->missing);
    memset(in, 0, sizeof *in);
}

/* path made absolute (from the working folder) and normalised by its
 * letters alone: no ".", "..", or repeated "/"; symbolic links are not
 * followed. A new string, or NULL (memory, or longer than PATH_MAX). */
static char *normalise(const char *path)
{
    char cwd[PATH_MAX] = "";
    if (path[0] != '/' && !getcwd(cwd, sizeof cwd))
        return NULL;
    size_t n = strlen(cwd) + strlen(path) + 2;
    if (n > PATH_MAX)
        return NULL;
    char *in = malloc(n), *out = malloc(n + 1);
    if (!in || !out) {
        free(in);
        free(out);
        return NULL;
    }
    size_t cl = strlen(cwd);
    memcpy(in, cwd, cl);
    in[cl] = '/';
    memcpy(in + cl + 1, path, strlen(path) + 1);
    size_t o = 0;
    for (char *s = in; *s;) {
        while (*s == '/')
            s++;
        char *e = s;
        while (*e && *e != '/')
            e++;
        size_t len = (size_t)(e - s);
        if (len == 0 || (len == 1 && s[0] == '.')) {
        } else if (len == 2 && s[0] == '.' && s[1] == '.') {
            while (o > 0 && out[o - 1] != '/')
                o--;
            if (o > 0)
                o--;
        } else {
            out[o++] = '/';
            memcpy(out + o, s, len);
            o += len;
        }
        s = e;
    }
    if (o == 0)
        out[o++] = '/';
    out[o] = 0;
    free(in);
    return out;
}

int rg_inputs_set_roots(rg_inputs *in, const char *root, const char *extra)
{
    const char *r[2] = {root, extra};
    for (int i = 0; i < 2; i++) {
        for (int k = 0; k < 2; k++) {
            free(in->root[i][k]);
            in->root[i][k] = NULL;
        }
        if (!r[i])
            continue;
        if (!(in->root[i][0] = normalise(r[i])))
            return -1;
        in->root[i][1] = realpath(r[i], NULL);
        if (!in->root[i][1] && !(in->root[i][1] = strdup(in->root[i][0])))
            return -1;
    }
    return 0;
}

/* Is p the folder dir or inside it? */
static int under(const char *p, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/')
        return 1;
    return strncmp(p, dir, n) == 0 && (p[n] == '/' || p[n] == 0);
}

int rg_file_confined(const char *path, char *why, size_t n)
{
    rg_inputs *in = tracking;
    if (strlen(path) >= PATH_MAX) {
        snprintf(why, n, "path is %zu bytes long, over the limit of %d", strlen(path), PATH_MAX - 1);
        return -1;
    }
    if (!in || (!in->root[0][0] && !in->root[1][0]))
        return 0;
    /* First by the letters alone, which cannot tell whether a file
     * exists; then where the links lead, for what is inside by name. */
    char *norm = normalise(path);
    if (!norm) { /* the length was checked: memory ran out (or the working folder is gone) */
        snprintf(why, n, "cannot be checked: out of memory");
        return -1;
    }
    int inside = 0;
    for (int i = 0; i < 2; i++)
        inside |= in->root[i][0] && under(norm, in->root[i][0]);
    free(norm);
    if (inside) {
        char *real = realpath(path, NULL);
        if (real) {
            inside = 0;
            for (int i = 0; i < 2; i++)
                inside |= in->root[i][1] && under(real, in->root[i][1]);
            free(real);
        }
    }
    if (!inside) {
        snprintf(why, n, "is outside the folders a document may read from (its own folder, --root, the templates)");
        return -1;
    }
    return 0;
}

/* Remembers (dev, ino) of a file read; a failed allocation only loses the
 * check for this file, never the run. */
static void remember(const struct stat *st, const char *path)
{
    rg_inputs *in = tracking;
    if (!in)
        return;
    for (size_t i = in->n; i-- > 0 && i + 64 >= in->n;) /* the same file again: templates, fonts */
        if (in->v[i].dev == st->st_dev && in->v[i].ino == st->st_ino)
            return;
    if (in->n == in->cap) {
        size_t cap = in->cap ? in->cap * 2 : 32;
        void *v = realloc(in->v, cap * sizeof in->v[0]);
        if (!v)
            return;
        in->v = v;
        in->cap = cap;
    }
    char *p = strdup(path);
    if (!p)
        return;
    in->v[in->n++] = (rg_input){st->st_dev, st->st_ino, p};
}

/* Remembers a path opened in vain because nothing is there; as remember(),
 * a failed allocation loses the entry only. */
static void remember_missing(const char *path)
{
    rg_inputs *in = tracking;
    if (!in)
        return;
    for (size_t i = 0; i < in->nmissing; i++)
        if (strcmp(in->missing[i], path) == 0)
            return;
    if (in->nmissing == in->capmissing) {
        size_t cap = in->capmissing ? in->capmissing * 2 : 8;
        char **v = realloc(in->missing, cap * sizeof *v);
        if (!v)
            return;
        in->missing = v;
        in->capmissing = cap;
    }
    if ((in->missing[in->nmissing] = strdup(path)) != NULL)
        in->nmissing++;
}

const char *rg_inputs_find(const rg_inputs *in, const struct stat *st)
{
    for (size_t i = 0; in && i < in->n; i++) {
        if (in->v[i].dev != st->st_dev || in->v[i].ino != st->st_ino)
            continue;
        /* A file replaced since it was read (a data file saved again by
         * rename, in a context kept for the next render) gave up its
         * inode, which a new file, the output's even, may now have: an
         * entry counts while its path still names that file. */
        struct stat now;
        if (stat(in->v[i].path, &now) == 0 && now.st_dev == st->st_dev && now.st_ino == st->st_ino)
            return in->v[i].path;
    }
    return NULL;
}

int rg_file_open(const char *path, struct stat *st, char *why, size_t n)
{
    /* O_NONBLOCK: opening a FIFO would otherwise wait for a writer, and a
     * device could wait for a carrier. Cleared once the file is known to
     * be a regular file (where it changes nothing anyway). */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        snprintf(why, n, "%s", strerror(e));
        if (e == ENOENT || e == ENOTDIR)
            remember_missing(path);
        errno = e;
        return -1;
    }
    if (fstat(fd, st) != 0) {
        snprintf(why, n, "%s", strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISREG(st->st_mode)) {
        snprintf(why, n, "not a regular file");
        close(fd);
        errno = EINVAL;
        return -2;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    remember(st, path);
    return fd;
}

int rg_file_read(const char *path, size_t cap, char **out, size_t *len, rg_diags *d)
{
    struct stat st;
    char why[256];
    int fd = rg_file_open(path, &st, why, sizeof why);
    if (fd < 0) {
        rg_diag_add(d, RG_SEV_ERROR, path, 0, 0, fd == -1 ? "cannot open: %s" : "%s", why);
        return -1;
    }
    if ((unsigned long long)st.st_size > cap) {
        rg_diag_add(d, RG_SEV_ERROR, path, 1, 1, "file is %lld bytes, over the limit of %zu bytes",
                    (long long)st.st_size, cap);
        close(fd);
        return -1;
    }
    size_t size = (size_t)st.st_size;
    char *buf = rg_fail_now() ? NULL : malloc(size + 1);
    if (!buf) {
        rg_diag_add(d, RG_SEV_ERROR, path, 0, 0, "cannot read %zu bytes: out of memory", size);
        close(fd);
        return -2;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            rg_diag_add(d, RG_SEV_ERROR, path, 0, 0, "cannot read: %s", strerror(errno));
            free(buf);
            close(fd);
            return -1;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    buf[got] = 0;
    *out = buf;
    *len = got;
    return 0;
}
