/* hyph.c: Liang's hyphenation with TeX's patterns, read from the .dic files
 * of Debian's hyphen-* packages (the format of LibreOffice's hyphenator).
 *
 * A pattern such as "hy3ph" says: between "y" and "p" of any word that
 * contains "hyph", level 3. Every pattern found in ".word." raises the
 * levels at its positions; an odd level is a place to break. The file is
 * read in one piece and kept in three blocks (the text, the patterns, a hash
 * table of them), so loading is quick and a failure to allocate is one
 * clean error, never an exit. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rg.h"

#define HYPH_MAX_FILE (8u << 20)  /* the en_US file is 106 kB */
#define HYPH_MAX_PAT  64          /* letters in one pattern */

/* pool: for each pattern, its length, its letters, then length+1 levels */
struct rg_hyph {
    unsigned char *pool;
    uint32_t *slot;               /* offsets into pool, 0 = empty */
    uint32_t mask;                /* slots - 1 */
    int maxlen;
    int lmin, rmin;
};

static uint32_t hash_step(uint32_t h, unsigned char c) { return (h ^ c) * 16777619u; }
#define HASH_INIT 2166136261u

static void why_set(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void why_set(char *why, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, n, fmt, ap);
    va_end(ap);
}

/* The whole file, NUL-terminated; NULL with why set. */
static char *read_all(const char *path, size_t *len, char *why, size_t wn)
{
    struct stat st;
    char *buf = NULL;
    int fd = rg_file_open(path, &st, why, wn);
    if (fd < 0)
        return NULL;
    if ((uint64_t)st.st_size > HYPH_MAX_FILE) {
        why_set(why, wn, "larger than %u bytes", HYPH_MAX_FILE);
        goto out;
    }
    size_t size = (size_t)st.st_size, got = 0;
    if (!(buf = malloc(size + 1))) {
        why_set(why, wn, "out of memory");
        goto out;
    }
    while (got < size) {
        ssize_t r = read(fd, buf + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            why_set(why, wn, "%s", r < 0 ? strerror(errno) : "the file shrank while being read");
            free(buf);
            buf = NULL;
            goto out;
        }
        got += (size_t)r;
    }
    buf[size] = 0;
    *len = size;
out:
    close(fd);
    return buf;
}

static const unsigned char *find(const rg_hyph *h, const unsigned char *s, int n, uint32_t hash)
{
    for (uint32_t i = hash & h->mask;; i = (i + 1) & h->mask) {
        uint32_t off = h->slot[i];
        if (!off)
            return NULL;
        const unsigned char *p = h->pool + off;
        if (p[0] == n && memcmp(p + 1, s, (size_t)n) == 0)
            return p + 1 + n;
    }
}

static int keyword(const char *line, const char *kw, const char **rest)
{
    size_t k = strlen(kw);
    if (strncmp(line, kw, k) != 0 || (line[k] != ' ' && line[k] != '\t' && line[k] != 0))
        return 0;
    *rest = line + k;
    return 1;
}

rg_hyph *rg_hyph_load(const char *path, char *why, size_t wn)
{
    size_t len = 0;
    char *text = read_all(path, &len, why, wn);
    if (!text)
        return NULL;
    rg_hyph *h = calloc(1, sizeof *h);
    /* Each pattern takes at most 2 bytes per byte of its line in the pool. */
    size_t lines = 1;
    for (const char *q = text; (q = memchr(q, '\n', len - (size_t)(q - text))) != NULL; q++)
        lines++;
    uint32_t slots = 1024;
    while (slots < 2 * lines && slots < (1u << 24))
        slots <<= 1;
    if (!h || len > UINT32_MAX / 4 || !(h->pool = malloc(2 * len + 2 * lines + 1)) ||
        !(h->slot = calloc(slots, sizeof *h->slot))) {
        why_set(why, wn, "out of memory");
        goto fail;
    }
    h->mask = slots - 1;
    h->lmin = 2;
    h->rmin = 2;
    size_t used = 1; /* offset 0 means an empty slot */
    int lineno = 0;
    /* One pass over each line, no copy: the patterns are most of 11,000
     * lines, and a card loads them for a handful of words. The text ends
     * at its first NUL, as a C string does. */
    char *end = text + strlen(text);
    for (char *line = text, *next; line < end || (line == end && lineno == 0); line = next) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        next = nl ? nl + 1 : end + 1;
        size_t ll = (size_t)((nl ? nl : end) - line);
        lineno++;
        while (ll && (line[ll - 1] == '\r' || line[ll - 1] == ' ' || line[ll - 1] == '\t'))
            ll--;
        line[ll] = 0; /* over the line feed or the space after the line: a keyword's value ends */
        if (lineno == 1 || ll == 0 || line[0] == '%')
            continue; /* the first line names the character set */
        /* Keywords start with one of these letters; the patterns (most
         * lines) skip their comparisons. */
        if (line[0] == 'L' || line[0] == 'R' || line[0] == 'C' || line[0] == 'N') {
            const char *rest;
            if (keyword(line, "LEFTHYPHENMIN", &rest) || keyword(line, "RIGHTHYPHENMIN", &rest)) {
                int v = atoi(rest);
                if (v < 1 || v > 20) {
                    why_set(why, wn, "line %d: %s must be 1 to 20", lineno,
                            line[0] == 'L' ? "LEFTHYPHENMIN" : "RIGHTHYPHENMIN");
                    goto fail;
                }
                *(line[0] == 'L' ? &h->lmin : &h->rmin) = v;
                continue;
            }
            if (keyword(line, "COMPOUNDLEFTHYPHENMIN", &rest) || keyword(line, "COMPOUNDRIGHTHYPHENMIN", &rest) ||
                keyword(line, "NOHYPHEN", &rest))
                continue; /* compounds: only plain words are hyphenated here */
            if (keyword(line, "NEXTLEVEL", &rest)) {
                why_set(why, wn, "line %d: two-level (compound) dictionaries are not supported", lineno);
                goto fail;
            }
        }
        /* A pattern with '/' anywhere is a non-standard break that changes
         * letters: never used, and never an error. */
        unsigned char *rec = h->pool + used, *letters = rec + 1;
        unsigned char lev[HYPH_MAX_PAT + 1];
        int n = 0, slash = 0;
        uint32_t hash = HASH_INIT;
        lev[0] = 0;
        for (size_t i = 0; i < ll && !slash; i++) {
            unsigned char c = (unsigned char)line[i];
            if (c >= '0' && c <= '9') {
                lev[n] = (unsigned char)(c - '0');
            } else if (c == '/') {
                slash = 1;
            } else if (c == ' ' || c == '\t' || n == HYPH_MAX_PAT) {
                if (memchr(line + i, '/', ll - i)) {
                    slash = 1;
                    break;
                }
                if (n == HYPH_MAX_PAT && c != ' ' && c != '\t')
                    why_set(why, wn, "line %d: a pattern longer than %d letters", lineno, HYPH_MAX_PAT);
                else
                    why_set(why, wn, "line %d: a pattern has no spaces", lineno);
                goto fail;
            } else {
                letters[n++] = c;
                lev[n] = 0;
                hash = hash_step(hash, c);
            }
        }
        if (slash || n == 0)
            continue;
        unsigned char *old = (unsigned char *)find(h, letters, n, hash);
        if (old) { /* the same letters twice: the higher level wins */
            for (int i = 0; i <= n; i++)
                if (lev[i] > old[i])
                    old[i] = lev[i];
            continue;
        }
        rec[0] = (unsigned char)n;
        memcpy(letters + n, lev, (size_t)n + 1);
        uint32_t i = hash & h->mask;
        while (h->slot[i])
            i = (i + 1) & h->mask;
        h->slot[i] = (uint32_t)used;
        used += 1 + 2 * (size_t)n + 1;
        if (n > h->maxlen)
            h->maxlen = n;
    }
    free(text);
    return h;
fail:
    free(text);
    rg_hyph_free(h);
    return NULL;
}

void rg_hyph_free(rg_hyph *h)
{
    if (!h)
        return;
    free(h->pool);
    free(h->slot);
    free(h);
}

void rg_hyph_word(const rg_hyph *h, const char *word, size_t n, unsigned char *hy)
{
    unsigned char w[RG_HYPH_WORD + 2], lv[RG_HYPH_WORD + 3];
    if (n >= RG_HYPH_WORD) {
        memset(hy, 0, n);
        return;
    }
    w[0] = '.';
    memcpy(w + 1, word, n);
    w[n + 1] = '.';
    memset(lv, 0, n + 3);
    int total = (int)n + 2;
    for (int i = 0; i < total; i++) {
        uint32_t hash = HASH_INIT;
        for (int k = 1; k <= h->maxlen && i + k <= total; k++) {
            hash = hash_step(hash, w[i + k - 1]);
            const unsigned char *pl = find(h, w + i, k, hash);
            if (pl)
                for (int j = 0; j <= k; j++)
                    if (pl[j] > lv[i + j])
                        lv[i + j] = pl[j];
        }
    }
    /* hy[i]: after the word's byte i, which is between w[i+1] and w[i+2] */
    for (size_t i = 0; i < n; i++)
        hy[i] = (unsigned char)(i + 1 < n && (int)(i + 1) >= h->lmin && (int)(n - i - 1) >= h->rmin &&
                                (lv[i + 2] & 1));
}
