/* hyph.c: Liang's hyphenation with TeX's patterns, read from the .dic files
 * of Debian's hyphen-* packages (the format of LibreOffice's hyphenator).
 *
 * A pattern such as "hy3ph" says: between "y" and "p" of any word that
 * contains "hyph", level 3. Every pattern found in ".word." raises the
 * levels at its positions; an odd level is a place to break. The file is
 * read in one piece, and the patterns kept in two blocks (their letters
 * and levels, a hash table of them), so a failure to allocate is one clean
 * error, never an exit. A card loads the 11,000 patterns of en_US for a
 * handful of words, so loading is what costs: most lines take one pass of
 * a table look-up per byte (fast_lines), their letters and levels written
 * where they stay; the rest go through every rule of the format
 * (slow_line). */
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

/* A pattern at offset o (never 0): its length at letters[o], its letters
 * at letters[o + 1 ...], its length+1 levels at levels[o + 1 ...]. The
 * next pattern starts at o + length + 1, so the two blocks take no more
 * bytes than the file; levels starts zeroed, and the loader writes only
 * the digits it reads. */
struct rg_hyph {
    unsigned char *letters, *levels; /* one block: levels is its second half */
    uint32_t *slot;               /* pattern offsets, 0 = empty */
    uint32_t mask;                /* slots - 1 */
    int maxlen;
    int lmin, rmin;
};

static uint32_t hash_step(uint32_t h, unsigned c) { return (h ^ c) * 16777619u; }
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

/* Are the n letters at a those at b? Patterns are short and most differ
 * in their first letter: no call to memcmp, which would cost the loader's
 * loop its registers. */
static inline int same(const unsigned char *a, const unsigned char *b, size_t n)
{
    size_t j = 0;
    while (j < n && a[j] == b[j])
        j++;
    return j == n;
}

/* The slot of the pattern whose letters are the n at s (hash theirs), or
 * the empty slot where it would go. */
static inline uint32_t *probe(const unsigned char *letters, uint32_t *slot, uint32_t mask, const unsigned char *s,
                              size_t n, uint32_t hash)
{
    uint32_t i = hash & mask, off;
    while ((off = slot[i]) != 0 && !(letters[off] == n && same(letters + off + 1, s, n)))
        i = (i + 1) & mask;
    return &slot[i];
}

/* The same letters twice: the higher level wins (n letters, n+1 levels);
 * lev is zeroed for the next pattern. */
static void merge(unsigned char *old, unsigned char *lev, size_t n)
{
    for (size_t j = 0; j <= n; j++)
        if (lev[j] > old[j])
            old[j] = lev[j];
    memset(lev, 0, n + 1);
}

static int keyword(const char *line, const char *kw, const char **rest)
{
    size_t k = strlen(kw);
    if (strncmp(line, kw, k) != 0 || (line[k] != ' ' && line[k] != '\t' && line[k] != 0))
        return 0;
    *rest = line + k;
    return 1;
}

/* What a byte is to fast_lines: a letter (0), a digit (its level + 1),
 * the end of the line (EOL), or anything else (ODD), which needs
 * slow_line's rules. */
#define EOL 0xfe
#define ODD 0xff
static const unsigned char byte_value[256] = {
    ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9,
    ['9'] = 10, ['\n'] = EOL, [0] = ODD, ['\r'] = ODD, [' '] = ODD, ['\t'] = ODD, ['/'] = ODD,
};
/* A line starting with one of these may be a comment, a keyword or
 * empty: slow_line. */
static const unsigned char odd_start[256] = {
    [0] = 1, ['\n'] = 1, ['\r'] = 1, [' '] = 1, ['\t'] = 1, ['/'] = 1,
    ['%'] = 1, ['L'] = 1, ['R'] = 1, ['C'] = 1, ['N'] = 1,
};

/* The table as the loader fills it: h's blocks and table, copied where a
 * store through a char pointer does not make the compiler read them
 * again. */
struct fill {
    unsigned char *letters;
    size_t gap;        /* levels = letters + gap */
    uint32_t *slot;
    uint32_t mask;
    uint32_t at;       /* the next pattern's offset */
    uint32_t count;    /* patterns in the table */
    uint32_t limit;    /* how many it takes before it grows */
    uint32_t lines;    /* lines read by fast_lines */
    size_t maxlen;
};

/* The pattern of n letters (1 to HYPH_MAX_PAT) whose letters and levels
 * are in place at f->at, into the table, which has room. */
static void put(struct fill *f, size_t n, uint32_t hash)
{
    uint32_t *sl = probe(f->letters, f->slot, f->mask, f->letters + f->at + 1, n, hash);
    if (*sl) {
        merge(f->letters + f->gap + *sl + 1, f->letters + f->gap + f->at + 1, n);
        return;
    }
    *sl = f->at;
    f->letters[f->at] = (unsigned char)n;
    f->at += (uint32_t)n + 1;
    f->count++;
    if (n > f->maxlen)
        f->maxlen = n;
}

/* The lines from p that are a pattern of letters and digits ended by a
 * line feed (most of them), into the table while it has room: returns
 * the first line not taken, untouched but for levels that slow_line
 * clears. Each pattern's letters go to letters[at + 1 ...] and the level
 * before each letter to levels, gap bytes further, as they are read. Kept
 * apart from rg_hyph_load, whose other variables would push these out of
 * registers. */
__attribute__((noinline)) static const unsigned char *fast_lines(struct fill *f, const unsigned char *p)
{
    unsigned char *letters = f->letters;
    size_t gap = f->gap, maxlen = f->maxlen;
    uint32_t *slot = f->slot, mask = f->mask, at = f->at, room = f->limit - f->count, lines = 0;
    while (room && !odd_start[*p]) {
        const unsigned char *e = p;
        unsigned char *start = letters + at + 1, *q = start;
        uint32_t hash = HASH_INIT;
        unsigned c, v;
        for (;;) {
            /* two bytes a turn: most patterns have two letters in a row */
            c = e[0];
            v = byte_value[c];
            if (v == 0) {
                q[0] = (unsigned char)c;
                hash = hash_step(hash, c);
                c = e[1];
                v = byte_value[c];
                if (v == 0) {
                    q[1] = (unsigned char)c;
                    hash = hash_step(hash, c);
                    e += 2;
                    q += 2;
                    continue;
                }
                e++;
                q++;
            }
            e++;
            if (v >= EOL)
                break;
            q[gap] = (unsigned char)(v - 1);
        }
        size_t n = (size_t)(q - start);
        if (n - 1 >= HYPH_MAX_PAT || v != EOL)
            break; /* n == 0 is no pattern */
        uint32_t *sl = probe(letters, slot, mask, start, n, hash);
        if (*sl) {
            merge(letters + gap + *sl + 1, start + gap, n);
        } else {
            *sl = at;
            letters[at] = (unsigned char)n;
            at += (uint32_t)n + 1;
            room--;
            if (n > maxlen)
                maxlen = n;
        }
        lines++;
        p = e;
    }
    f->count = f->limit - room;
    f->at = at;
    f->maxlen = maxlen;
    f->lines = lines;
    return p;
}

/* A table twice the size, the same patterns: -1 when memory ran out. */
static int grow(rg_hyph *h)
{
    uint32_t slots = 2 * (h->mask + 1);
    uint32_t *slot = calloc(slots, sizeof *slot);
    if (!slot)
        return -1;
    for (uint32_t k = 0; k <= h->mask; k++) {
        uint32_t off = h->slot[k];
        if (!off)
            continue;
        const unsigned char *p = h->letters + off;
        uint32_t hash = HASH_INIT;
        for (int j = 1; j <= p[0]; j++)
            hash = hash_step(hash, p[j]);
        uint32_t i = hash & (slots - 1);
        while (slot[i])
            i = (i + 1) & (slots - 1);
        slot[i] = off;
    }
    free(h->slot);
    h->slot = slot;
    h->mask = slots - 1;
    return 0;
}

/* One line by every rule of the format (the first line, comments,
 * keywords, spaces, '/', a pattern too long, CR LF, the last line), with
 * *next set to the following line (NULL at the end of the text): 1 when
 * it is a pattern, its letters and levels in place at offset at, *n and
 * *hash set; 0 when there is nothing to add; -1 with why set. The text
 * ends at its first NUL, as a C string does. */
static int slow_line(rg_hyph *h, uint32_t at, char *line, int lineno, char **next, size_t *np, uint32_t *hp,
                     char *why, size_t wn)
{
    size_t ll = strcspn(line, "\n");
    *next = line[ll] ? line + ll + 1 : NULL;
    /* the levels fast_line may have written before the line came here */
    memset(h->levels + at + 1, 0, ll + 1);
    while (ll && (line[ll - 1] == '\r' || line[ll - 1] == ' ' || line[ll - 1] == '\t'))
        ll--;
    line[ll] = 0; /* over the line feed or the space after the line: a keyword's value ends */
    if (lineno == 1 || ll == 0 || line[0] == '%')
        return 0; /* the first line names the character set */
    if (line[0] == 'L' || line[0] == 'R' || line[0] == 'C' || line[0] == 'N') {
        const char *rest;
        if (keyword(line, "LEFTHYPHENMIN", &rest) || keyword(line, "RIGHTHYPHENMIN", &rest)) {
            int v = atoi(rest);
            if (v < 1 || v > 20) {
                why_set(why, wn, "line %d: %s must be 1 to 20", lineno,
                        line[0] == 'L' ? "LEFTHYPHENMIN" : "RIGHTHYPHENMIN");
                return -1;
            }
            *(line[0] == 'L' ? &h->lmin : &h->rmin) = v;
            return 0;
        }
        if (keyword(line, "COMPOUNDLEFTHYPHENMIN", &rest) || keyword(line, "COMPOUNDRIGHTHYPHENMIN", &rest) ||
            keyword(line, "NOHYPHEN", &rest))
            return 0; /* compounds: only plain words are hyphenated here */
        if (keyword(line, "NEXTLEVEL", &rest)) {
            why_set(why, wn, "line %d: two-level (compound) dictionaries are not supported", lineno);
            return -1;
        }
    }
    /* A pattern with '/' anywhere is a non-standard break that changes
     * letters: never used, and never an error. */
    unsigned char *letters = h->letters + at + 1;
    unsigned char lev[HYPH_MAX_PAT + 1];
    int n = 0;
    uint32_t hash = HASH_INIT;
    lev[0] = 0;
    for (size_t i = 0; i < ll; i++) {
        unsigned char c = (unsigned char)line[i];
        if (c >= '0' && c <= '9') {
            lev[n] = (unsigned char)(c - '0');
        } else if (c == '/') {
            return 0;
        } else if (c == ' ' || c == '\t' || n == HYPH_MAX_PAT) {
            if (memchr(line + i, '/', ll - i))
                return 0;
            if (n == HYPH_MAX_PAT && c != ' ' && c != '\t')
                why_set(why, wn, "line %d: a pattern longer than %d letters", lineno, HYPH_MAX_PAT);
            else
                why_set(why, wn, "line %d: a pattern has no spaces", lineno);
            return -1;
        } else {
            letters[n++] = c;
            lev[n] = 0;
            hash = hash_step(hash, c);
        }
    }
    if (n == 0)
        return 0;
    memcpy(h->levels + at + 1, lev, (size_t)n + 1);
    *np = (size_t)n;
    *hp = hash;
    return 1;
}

rg_hyph *rg_hyph_load(const char *path, char *why, size_t wn)
{
    size_t len = 0;
    char *text = read_all(path, &len, why, wn);
    if (!text)
        return NULL;
    rg_hyph *h = calloc(1, sizeof *h);
    /* A pattern line is 9.5 bytes on average: a table of a quarter of the
     * bytes is half full at most for such a file; grow() doubles it for
     * others. Each block takes a byte per byte of the file, one for the
     * last line (it may have no line feed) and one for offset 0; calloc
     * gives a block of this size as fresh zeroed pages. */
    uint32_t slots = 1024;
    while (slots < len / 4 && slots < (1u << 24))
        slots <<= 1;
    size_t gap = len + 3;
    if (!h || len > UINT32_MAX / 4 || !(h->letters = calloc(2, gap)) ||
        !(h->slot = calloc(slots, sizeof *h->slot))) {
        why_set(why, wn, "out of memory");
        goto fail;
    }
    h->levels = h->letters + gap;
    h->mask = slots - 1;
    h->lmin = 2;
    h->rmin = 2;
    struct fill f = {h->letters, gap, h->slot, h->mask, 1, 0, slots / 2, 0, 0};
    char *line;
    size_t n;
    uint32_t hash;
    if (slow_line(h, f.at, text, 1, &line, &n, &hash, why, wn) < 0) /* the first line: never a pattern */
        goto fail;
    for (int lineno = 2; line;) {
        line = (char *)fast_lines(&f, (const unsigned char *)line);
        lineno += (int)f.lines;
        if (f.count >= f.limit) {
            if (grow(h)) {
                why_set(why, wn, "out of memory");
                goto fail;
            }
            f.slot = h->slot;
            f.mask = h->mask;
            f.limit = (h->mask + 1) / 2;
            continue;
        }
        int r = slow_line(h, f.at, line, lineno++, &line, &n, &hash, why, wn);
        if (r < 0)
            goto fail;
        if (r > 0)
            put(&f, n, hash);
    }
    h->maxlen = (int)f.maxlen;
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
    free(h->letters); /* levels with it */
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
            uint32_t off = *probe(h->letters, h->slot, h->mask, w + i, (size_t)k, hash);
            for (int j = 0; off && j <= k; j++)
                if (h->levels[off + 1 + j] > lv[i + j])
                    lv[i + j] = h->levels[off + 1 + j];
        }
    }
    /* hy[i]: after the word's byte i, which is between w[i+1] and w[i+2] */
    for (size_t i = 0; i < n; i++)
        hy[i] = (unsigned char)(i + 1 < n && (int)(i + 1) >= h->lmin && (int)(n - i - 1) >= h->rmin &&
                                (lv[i + 2] & 1));
}
