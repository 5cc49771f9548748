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

/* The list the files opened by this thread go to (the context's, while
 * one of its calls runs), or NULL. */
static _Thread_local rg_inputs *tracking;

void rg_inputs_track(rg_inputs *in)
{
    tracking = in;
}

void rg_inputs_free(rg_inputs *in)
{
    for (size_t i = 0; i < in->n; i++)
        free(in->v[i].path);
    free(in->v);
    memset(in, 0, sizeof *in);
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

const char *rg_inputs_find(const rg_inputs *in, const struct stat *st)
{
    for (size_t i = 0; in && i < in->n; i++)
        if (in->v[i].dev == st->st_dev && in->v[i].ino == st->st_ino)
            return in->v[i].path;
    return NULL;
}

int rg_file_open(const char *path, struct stat *st, char *why, size_t n)
{
    /* O_NONBLOCK: opening a FIFO would otherwise wait for a writer, and a
     * device could wait for a carrier. Cleared once the file is known to
     * be a regular file (where it changes nothing anyway). */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, n, "%s", strerror(errno));
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
