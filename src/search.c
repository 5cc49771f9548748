/* The data folders: the user's folders (REPORTGEN_PATH), searched first in
 * their order, then the base data folder (REPORTGEN_DATADIR or the
 * installed one). Every file the program reads from "the data folder" is
 * named by its path inside a folder (templates/themes/neutral.xml) and taken
 * from the first folder that has it: a user adds a kind, a theme, a font or
 * one file a template reads without copying the tree. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "rg.h"

static int exists(const char *p, int want_dir)
{
    struct stat st;
    return stat(p, &st) == 0 && (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

int rg_search_find(const rg_search *s, const char *rel, int want_dir, char *out, size_t size)
{
    for (int i = 0; i < s->n; i++)
        if ((size_t)snprintf(out, size, "%s/%s", s->dir[i], rel) < size && exists(out, want_dir))
            return 0;
    /* Not found: the base folder's path, for the message of whoever opens it. */
    snprintf(out, size, "%s/%s", s->n ? s->dir[s->n - 1] : ".", rel);
    return -1;
}

/* path's part inside folder dir ("templates/x.xsl"), or NULL. */
static const char *inside(const char *dir, const char *path)
{
    size_t n = dir ? strlen(dir) : 0;
    return n && strncmp(path, dir, n) == 0 && path[n] == '/' ? path + n + 1 : NULL;
}

const char *rg_search_relative(const rg_search *s, const char *path)
{
    for (int i = 0; i < s->n; i++) {
        const char *r = inside(s->dir[i], path);
        if (!r)
            r = inside(s->real[i], path);
        if (r)
            return r;
    }
    return NULL;
}

int rg_search_resolve(const rg_search *s, const char *path, char *out, size_t size)
{
    const char *rel = s ? rg_search_relative(s, path) : NULL;
    char *real = NULL;
    if (s && !rel && (real = realpath(path, NULL)) != NULL)
        rel = rg_search_relative(s, real);
    int found = rel && rg_search_find(s, rel, 0, out, size) == 0;
    free(real);
    if (!found && (size_t)snprintf(out, size, "%s", path) >= size)
        return -1;
    return 0;
}
