/* hyph.c: Liang's hyphenation with TeX's patterns, read from the .dic files
 * of Debian's hyphen-* packages (the format of LibreOffice's hyphenator).
 *
 * A pattern such as "hy3ph" says: between "y" and "p" of any word that
 * contains "hyph", level 3. Every pattern found in ".word." raises the
 * levels at its positions; an odd level is a place to break. A card loads
 * the 11,000 patterns of en_US for a handful of words, so loading is what
 * costs: the file is read in one piece and each line checked once (most
 * by a table look-up per byte, fast_lines; the rest by every rule of the
 * format, slow_line), and a pattern is not copied or parsed further: it
 * stays in the text, listed under its first three letters (or its only
 * one or two). A word then reads the few patterns listed under the
 * letters at each of its places. A failure to allocate is one clean
 * error, never an exit. */
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

/* A pattern is its line of the text: letters with the level before each
 * one and after the last as digits (none: 0), ended by a line feed or a
 * NUL (slow_line ends a line it trimmed with one). pat[i] is the offset
 * of pattern i and the index + 1 of the previous pattern in its list (0:
 * none); first[b] is the index + 1 of the last pattern of list b, which
 * holds the patterns whose first three letters give b (list_of(); those
 * of one or two letters have their own lists). */
#define HYPH_LISTS 8192
typedef struct { uint32_t off, prev; } pat_ref;

struct rg_hyph {
    unsigned char *text;
    uint32_t *first;   /* HYPH_LISTS lists */
    pat_ref *pat;
    uint32_t npat;
    int lmin, rmin;
};

/* What a byte of a line is: a letter, with its 5 bits in a key ('.' and
 * a to z each their own, 1 to 27; any other letter 31, which no word of
 * ASCII letters has; 0 in a key is no letter), a DIGIT, the end of the
 * line (EOL), or anything else (ODD), which needs slow_line's rules. */
#define DIGIT 32
#define EOL 0xfe
#define ODD 0xff
#define X 31
#define X16 X, X, X, X, X, X, X, X, X, X, X, X, X, X, X, X
#define D DIGIT
static const unsigned char byte_kind[256] = {
    ODD, X, X, X, X, X, X, X, X, ODD, EOL, X, X, ODD, X, X,           /* 0x00: NUL, tab, LF, CR */
    X16,                                                              /* 0x10 */
    ODD, X, X, X, X, X, X, X, X, X, X, X, X, X, 1, ODD,               /* 0x20: space, '.', '/' */
    D, D, D, D, D, D, D, D, D, D, X, X, X, X, X, X,                   /* 0x30: digits */
    X16, X16,                                                         /* 0x40 */
    X, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,            /* 0x60: a-o */
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, X, X, X, X, X,        /* 0x70: p-z */
    X16, X16, X16, X16, X16, X16, X16, X16,                           /* 0x80 */
};
#undef D
#undef X16
#undef X

/* The 5 bits of a byte taken as a letter (slow_line's letters, a word's
 * bytes). */
static inline uint32_t letter_code(unsigned char c)
{
    return byte_kind[c] < DIGIT ? byte_kind[c] : 31;
}

/* The list of the patterns whose first letters have the codes c (15
 * bits: the first letter's in the high 5, 0 for a letter it lacks).
 * Lists are shared where keys meet, which costs only comparisons. */
static inline uint32_t list_of(uint32_t c)
{
    return (c * 0x9E3779B1u) >> (32 - 13);
}

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

static int keyword(const char *line, const char *kw, const char **rest)
{
    size_t k = strlen(kw);
    if (strncmp(line, kw, k) != 0 || (line[k] != ' ' && line[k] != '\t' && line[k] != 0))
        return 0;
    *rest = line + k;
    return 1;
}

/* A line starting with one of these may be a comment, a keyword or
 * empty: slow_line. */
static const unsigned char odd_start[256] = {
    [0] = 1, ['\n'] = 1, ['\r'] = 1, [' '] = 1, ['\t'] = 1, ['/'] = 1,
    ['%'] = 1, ['L'] = 1, ['R'] = 1, ['C'] = 1, ['N'] = 1,
};

/* The pattern at offset off, whose first letters have the codes c, into
 * its list. The list has room: pat was sized for a pattern on every other
 * byte. */
static inline void add(rg_hyph *h, uint32_t off, uint32_t c)
{
    uint32_t *head = &h->first[list_of(c)];
    h->pat[h->npat] = (pat_ref){off, *head};
    *head = ++h->npat;
}

/* The lines from p that are a pattern of letters and digits ended by a
 * line feed (most of them), listed: returns the first line not taken, for
 * slow_line (*lines says how many were). A line is read once: its first
 * three letters coded, then the rest to its end, its letters counted
 * only when it is long enough to have too many. Kept apart from
 * rg_hyph_load, whose other variables would push these out of
 * registers. */
__attribute__((noinline)) static const unsigned char *fast_lines(rg_hyph *h, const unsigned char *p,
                                                                 uint32_t *lines)
{
    const unsigned char *text = h->text;
    uint32_t n0 = h->npat;
    while (!odd_start[*p]) {
        const unsigned char *e = p;
        uint32_t c = 0, v = 0;
        int k = 0;
        while (k < 3) {
            v = byte_kind[*e++];
            if (v < DIGIT) {
                c = c << 5 | v;
                k++;
            } else if (v != DIGIT) {
                e--;
                break;
            }
        }
        c <<= 5 * (3 - k);
        if (k == 3)
            while ((v = byte_kind[*e]) < EOL)
                e++;
        if (k == 0 || v != EOL)
            break;
        if (e - p > HYPH_MAX_PAT) {
            int n = 0;
            for (const unsigned char *q = p; q < e; q++)
                n += byte_kind[*q] < DIGIT;
            if (n > HYPH_MAX_PAT)
                break;
        }
        add(h, (uint32_t)(p - text), c);
        p = e + 1;
    }
    *lines = h->npat - n0;
    return p;
}

/* One line by every rule of the format (the first line, comments,
 * keywords, spaces, '/', a pattern too long, CR LF, the last line), with
 * *next set to the following line (NULL at the end of the text): 1 when
 * it is a pattern, ended now by a NUL or its line feed, with its first
 * letters' codes in *code; 0 when there is nothing to add; -1 with why
 * set. The text ends at its first NUL, as a C string does. */
static int slow_line(rg_hyph *h, char *line, int lineno, char **next, uint32_t *code, char *why, size_t wn)
{
    size_t ll = strcspn(line, "\n");
    *next = line[ll] ? line + ll + 1 : NULL;
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
    if (memchr(line, '/', ll))
        return 0;
    int n = 0;
    *code = 0;
    for (size_t i = 0; i < ll; i++) {
        unsigned char c = (unsigned char)line[i];
        if (c >= '0' && c <= '9')
            continue;
        if (c == ' ' || c == '\t') {
            why_set(why, wn, "line %d: a pattern has no spaces", lineno);
            return -1;
        }
        if (n == HYPH_MAX_PAT) {
            why_set(why, wn, "line %d: a pattern longer than %d letters", lineno, HYPH_MAX_PAT);
            return -1;
        }
        if (n < 3)
            *code |= letter_code(c) << (10 - 5 * n);
        n++;
    }
    return n > 0;
}

rg_hyph *rg_hyph_load(const char *path, char *why, size_t wn)
{
    size_t len = 0;
    char *text = read_all(path, &len, why, wn);
    if (!text)
        return NULL;
    rg_hyph *h = calloc(1, sizeof *h);
    /* A pattern takes a letter and a line feed at least: room for one on
     * every other byte, and the last line may have no line feed. Pages of
     * it that no pattern reaches are never touched. */
    if (!h || len > UINT32_MAX / 2 || !(h->first = calloc(HYPH_LISTS, sizeof *h->first)) ||
        !(h->pat = malloc((len / 2 + 1) * sizeof *h->pat))) {
        why_set(why, wn, "out of memory");
        free(text);
        rg_hyph_free(h);
        return NULL;
    }
    h->text = (unsigned char *)text;
    h->lmin = 2;
    h->rmin = 2;
    char *line;
    uint32_t code;
    if (slow_line(h, text, 1, &line, &code, why, wn) < 0) /* the first line: never a pattern */
        goto fail;
    for (int lineno = 2; line;) {
        uint32_t lines;
        line = (char *)fast_lines(h, (const unsigned char *)line, &lines);
        lineno += (int)lines;
        char *at = line;
        int r = slow_line(h, line, lineno++, &line, &code, why, wn);
        if (r < 0)
            goto fail;
        if (r > 0)
            add(h, (uint32_t)(at - text), code);
    }
    return h;
fail:
    rg_hyph_free(h);
    return NULL;
}

void rg_hyph_free(rg_hyph *h)
{
    if (!h)
        return;
    free(h->text);
    free(h->first);
    free(h->pat);
    free(h);
}

/* The pattern at p against the room bytes at w: when its letters are
 * there, its levels raised into lv (lv[j]: before w[j]). As the file
 * gives them, the last of two digits in a row is the level. */
static void apply(const unsigned char *p, const unsigned char *w, int room, unsigned char *lv)
{
    int j = 0;
    for (const unsigned char *q = p; *q != '\n' && *q; q++)
        if (*q < '0' || *q > '9') {
            if (j == room || w[j] != *q)
                return;
            j++;
        }
    int level = -1;
    j = 0;
    for (const unsigned char *q = p; *q != '\n' && *q; q++) {
        if (*q >= '0' && *q <= '9') {
            level = *q - '0';
            continue;
        }
        if (level > lv[j])
            lv[j] = (unsigned char)level;
        level = -1;
        j++;
    }
    if (level > lv[j])
        lv[j] = (unsigned char)level;
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
    /* At each place, the lists of the patterns of one, two and three or
     * more letters that start there; a list may hold others, which
     * apply() passes by. */
    for (int i = 0; i < total; i++) {
        uint32_t c = 0;
        for (int k = 0; k < 3 && i + k < total; k++) {
            c |= letter_code(w[i + k]) << (10 - 5 * k);
            for (uint32_t p = h->first[list_of(c)]; p; p = h->pat[p - 1].prev)
                apply(h->text + h->pat[p - 1].off, w + i, total - i, lv + i);
        }
    }
    /* hy[i]: after the word's byte i, which is between w[i+1] and w[i+2] */
    for (size_t i = 0; i < n; i++)
        hy[i] = (unsigned char)(i + 1 < n && (int)(i + 1) >= h->lmin && (int)(n - i - 1) >= h->rmin &&
                                (lv[i + 2] & 1));
}
