/* Tests for hyph.c: Liang's hyphenation with the patterns of Debian's
 * hyphen-en-us. The expected breaks are LibreOffice's hyphenator's (libhyphen
 * 2.8.8) on the same file; over the 69,652 plain words of 5 to 63 letters in
 * wamerican's word list the two agree on every break. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rg.h"

#define EN_US "/usr/share/hyphen/hyph_en_US.dic"

/* "hy-phen-ation" for "hyphenation" */
static void shown(const rg_hyph *h, const char *word, char *out)
{
    unsigned char hy[RG_HYPH_WORD];
    size_t n = strlen(word);
    memset(hy, 7, sizeof hy);
    rg_hyph_word(h, word, n, hy);
    for (size_t i = 0; i < n; i++) {
        *out++ = word[i];
        assert_true(hy[i] == 0 || hy[i] == 1);
        if (hy[i])
            *out++ = '-';
    }
    *out = 0;
}

static void breaks_as(const rg_hyph *h, const char *want)
{
    char word[RG_HYPH_WORD], got[2 * RG_HYPH_WORD];
    size_t n = 0;
    for (const char *c = want; *c; c++)
        if (*c != '-')
            word[n++] = *c;
    word[n] = 0;
    shown(h, word, got);
    if (strcmp(got, want) != 0)
        fail_msg("%s: got %s, expected %s", word, got, want);
}

static void english_words(void **state)
{
    (void)state;
    char why[160] = "";
    rg_hyph *h = rg_hyph_load(EN_US, why, sizeof why);
    if (!h)
        fail_msg("%s: %s", EN_US, why);
    static const char *const want[] = {
        "hy-phen-ation", "traf-fick-ing", "leg-is-la-tion", "pros-e-cu-tion", "com-mer-cial",
        "ex-ploita-tion", "con-necti-cut", "pro-tected", "in-no-cence", "as-sem-bly",
        "rep-re-sen-ta-tives", "ap-pro-pri-a-tions", "rec-om-men-da-tions", "vic-tim-iza-tion",
        "sex-ual", "statu-tory", "iden-ti-fi-ca-tion", "in-for-ma-tion", "com-pre-hen-sive",
        "ju-ris-dic-tion", "en-force-ment", "in-ter-na-tional", "buy-ers", "chil-dren",
        "coun-cil", "mi-nors", "de-fense", "crim-i-nal", "youth", "odome-ters", "sand-wiches",
        "granges", "con-ven-tion-al-ity", "xeno-pho-bic",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        breaks_as(h, want[i]);
    rg_hyph_free(h);
}

static char dir[] = "/tmp/rg-hyph-XXXXXX";

static const char *file_with(const char *name, const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* Liang's rules on a small made-up file: the highest level at a place
 * wins, odd breaks, even does not, the minimum letters at each end hold,
 * and a pattern given twice keeps the higher of each level. */
static void small_patterns(void **state)
{
    (void)state;
    char why[160] = "";
    const char *p = file_with("small.dic", "UTF-8\n% a comment\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\n"
                                           "a1b\nb2c\nb3c\nc1d4\n.x1\nq0r\nq2r\n\n");
    rg_hyph *h = rg_hyph_load(p, why, sizeof why);
    if (!h)
        fail_msg("%s", why);
    breaks_as(h, "a-b-c");        /* a1b; b2c and b3c: 3 wins, odd */
    breaks_as(h, "dc-da");        /* c1d4: 1 between c and d, 4 (even) after d */
    breaks_as(h, "dc-dc-da");     /* the pattern at each place it occurs */
    breaks_as(h, "x-aaa");        /* .x1 only at the start of a word */
    breaks_as(h, "axaa");
    breaks_as(h, "qqr");          /* q0r then q2r: 2 is even */
    rg_hyph_free(h);
    p = file_with("margins.dic", "UTF-8\nLEFTHYPHENMIN 2\nRIGHTHYPHENMIN 3\na1a\n");
    h = rg_hyph_load(p, why, sizeof why);
    assert_non_null(h);
    breaks_as(h, "aa-a-aaa");    /* 2 letters before, 3 after */
    rg_hyph_free(h);
}

static void refuses(const char *name, const char *text, const char *want)
{
    char why[160] = "";
    const char *p = text ? file_with(name, text) : name;
    rg_hyph *h = rg_hyph_load(p, why, sizeof why);
    if (h) {
        rg_hyph_free(h);
        fail_msg("%s was read", name);
    }
    if (strcmp(why, want) != 0)
        fail_msg("%s: \"%s\", expected \"%s\"", name, why, want);
}

static void bad_files(void **state)
{
    (void)state;
    char pat[200];
    refuses("/nonexistent/hyph.dic", NULL, "No such file or directory");
    refuses("/tmp", NULL, "not a regular file");
    refuses("nextlevel.dic", "UTF-8\na1b\nNEXTLEVEL\nc1d\n",
            "line 3: two-level (compound) dictionaries are not supported");
    refuses("lmin.dic", "UTF-8\nLEFTHYPHENMIN 0\n", "line 2: LEFTHYPHENMIN must be 1 to 20");
    refuses("rmin.dic", "UTF-8\nRIGHTHYPHENMIN 99\n", "line 2: RIGHTHYPHENMIN must be 1 to 20");
    refuses("space.dic", "UTF-8\na1b c\n", "line 2: a pattern has no spaces");
    memset(pat, 'a', sizeof pat);
    memcpy(pat, "UTF-8\n", 6);
    pat[6 + 70] = '\n';
    pat[6 + 71] = 0;
    refuses("long.dic", pat, "line 2: a pattern longer than 64 letters");
}

/* A line with a '/' is skipped wherever the '/' is, even after what
 * would be an error (a space, a 65th letter); a keyword's value is on its
 * own line (not the next line's digits); CR LF ends a line as LF does. */
static void skipped_lines(void **state)
{
    (void)state;
    char why[160] = "", text[300], many[71];
    memset(many, 'a', 70);
    many[70] = 0; /* 70 letters: too long for a pattern */
    snprintf(text, sizeof text, "UTF-8\r\nx1y z/q,1,1\r\n%s/\r\na1b\r\n", many);
    rg_hyph *h = rg_hyph_load(file_with("slash.dic", text), why, sizeof why);
    if (!h)
        fail_msg("%s", why);
    breaks_as(h, "aaa-bbb");
    breaks_as(h, "xxxyyy"); /* x1y is in a line with a '/' */
    rg_hyph_free(h);
    refuses("bare.dic", "UTF-8\nLEFTHYPHENMIN\n2\n", "line 2: LEFTHYPHENMIN must be 1 to 20");
}

/* A file of nothing but its first line hyphenates nothing. */
static void empty_file(void **state)
{
    (void)state;
    char why[160] = "";
    rg_hyph *h = rg_hyph_load(file_with("empty.dic", "UTF-8"), why, sizeof why);
    assert_non_null(h);
    breaks_as(h, "hyphenation");
    rg_hyph_free(h);
}

/* ---- the loader against a reference ------------------------------------ */

/* The format read the plain way: a line at a time, the patterns in a
 * sorted array, the same letters twice merged; Liang's rule by binary
 * search. Slow and short, so that what the loader does to be quick (one
 * pass, the patterns left in the text and listed by their first two
 * letters, repeated patterns kept apart, the levels read as a word meets
 * them) has something to be wrong against. */
typedef struct { char letters[RG_HYPH_WORD + 3]; unsigned char lev[RG_HYPH_WORD + 4]; } ref_pat;
typedef struct { ref_pat *p; size_t n; int lmin, rmin; } ref_dict;

static int ref_cmp(const void *a, const void *b)
{
    return strcmp(((const ref_pat *)a)->letters, ((const ref_pat *)b)->letters);
}

static void ref_load(const char *path, ref_dict *d)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *line = NULL;
    size_t cap = 0, have = 0;
    ssize_t len;
    memset(d, 0, sizeof *d);
    d->lmin = d->rmin = 2;
    for (int lineno = 1; (len = getline(&line, &cap, f)) >= 0; lineno++) {
        while (len > 0 && strchr("\r\n \t", line[len - 1]))
            line[--len] = 0;
        if (lineno == 1 || len == 0 || line[0] == '%' || strchr(line, '/'))
            continue;
        if (sscanf(line, "LEFTHYPHENMIN %d", &d->lmin) == 1 || sscanf(line, "RIGHTHYPHENMIN %d", &d->rmin) == 1 ||
            strncmp(line, "COMPOUND", 8) == 0 || strncmp(line, "NOHYPHEN", 8) == 0)
            continue;
        if (d->n == have) {
            have = have ? 2 * have : 1024;
            d->p = realloc(d->p, have * sizeof *d->p);
            assert_non_null(d->p);
        }
        ref_pat *p = &d->p[d->n];
        memset(p, 0, sizeof *p);
        size_t k = 0;
        for (const char *c = line; *c; c++) {
            if (*c >= '0' && *c <= '9')
                p->lev[k] = (unsigned char)(*c - '0');
            else
                p->letters[k++] = *c;
        }
        assert_true(k <= RG_HYPH_WORD);
        if (k > 0)
            d->n++;
    }
    free(line);
    fclose(f);
    qsort(d->p, d->n, sizeof *d->p, ref_cmp);
    size_t out = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (out > 0 && strcmp(d->p[out - 1].letters, d->p[i].letters) == 0) {
            for (size_t j = 0; j < sizeof d->p[i].lev; j++)
                if (d->p[i].lev[j] > d->p[out - 1].lev[j])
                    d->p[out - 1].lev[j] = d->p[i].lev[j];
        } else {
            d->p[out++] = d->p[i];
        }
    }
    d->n = out;
}

static void ref_word(const ref_dict *d, const char *word, size_t n, unsigned char *hy)
{
    char w[RG_HYPH_WORD + 3];
    unsigned char lv[RG_HYPH_WORD + 3] = {0};
    snprintf(w, sizeof w, ".%.*s.", (int)n, word);
    for (size_t i = 0; i < n + 2; i++)
        for (size_t k = 1; i + k <= n + 2; k++) {
            ref_pat key;
            memcpy(key.letters, w + i, k);
            key.letters[k] = 0;
            const ref_pat *p = bsearch(&key, d->p, d->n, sizeof *d->p, ref_cmp);
            for (size_t j = 0; p && j <= k; j++)
                if (p->lev[j] > lv[i + j])
                    lv[i + j] = p->lev[j];
        }
    for (size_t i = 0; i < n; i++)
        hy[i] = i + 1 < n && (int)(i + 1) >= d->lmin && (int)(n - i - 1) >= d->rmin && (lv[i + 2] & 1);
}

/* Words that meet many patterns: each pattern's own letters, alone and
 * inside longer words, and words drawn from a fixed sequence of the
 * letters' English frequencies. */
static size_t words_for(const ref_dict *d, char (*out)[RG_HYPH_WORD], size_t max)
{
    static const char freq[] = "eeeeeeeeeeeetttttttttaaaaaaaaoooooooiiiiiiinnnnnnnssssssrrrrrrhhhhhdddd"
                               "lllluuucccmmmffyywwggppbbvkxqjz";
    size_t n = 0;
    uint32_t seed = 12345;
    for (size_t i = 0; i < d->n && n + 3 <= max; i++) {
        char base[41];
        size_t k = 0;
        for (const char *c = d->p[i].letters; *c && k < 40; c++)
            if (*c != '.')
                base[k++] = *c;
        base[k] = 0;
        if (k == 0)
            continue;
        snprintf(out[n++], RG_HYPH_WORD, "%s", base);
        snprintf(out[n++], RG_HYPH_WORD, "un%sing", base);
        snprintf(out[n++], RG_HYPH_WORD, "%sations", base);
    }
    while (n < max) {
        seed = seed * 1103515245u + 12345u;
        size_t len = 3 + (seed >> 16) % 18;
        for (size_t k = 0; k < len; k++) {
            seed = seed * 1103515245u + 12345u;
            out[n][k] = freq[(seed >> 16) % (sizeof freq - 1)];
        }
        out[n++][len] = 0;
    }
    return n;
}

/* The loader's breaks are the reference's on every word of the list. */
static void same_as_reference(const char *path, size_t nwords)
{
    char why[160] = "";
    rg_hyph *h = rg_hyph_load(path, why, sizeof why);
    if (!h)
        fail_msg("%s: %s", path, why);
    ref_dict d;
    ref_load(path, &d);
    char (*words)[RG_HYPH_WORD] = malloc(nwords * sizeof *words);
    assert_non_null(words);
    size_t n = words_for(&d, words, nwords), breaks = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(words[i]);
        unsigned char got[RG_HYPH_WORD], want[RG_HYPH_WORD];
        rg_hyph_word(h, words[i], len, got);
        ref_word(&d, words[i], len, want);
        for (size_t k = 0; k < len; k++) {
            breaks += want[k];
            if (got[k] != want[k])
                fail_msg("%s: \"%s\" byte %zu: %d, the reference says %d", path, words[i], k, got[k], want[k]);
        }
    }
    /* the list must have something to agree on */
    if (getenv("RG_HYPH_SAY"))
        fprintf(stderr, "%s: %zu words, %zu breaks, %zu patterns\n", path, n, breaks, d.n);
    assert_true(breaks > n / 2);
    free(words);
    free(d.p);
    rg_hyph_free(h);
}

static void english_as_reference(void **state)
{
    (void)state;
    same_as_reference(EN_US, 40000);
}

/* A pattern of 2 to 4 letters from the sequence at *seed with one digit
 * at a place of its own: patterns so sparse that a level out of place
 * changes a break. */
static void sparse_pattern(uint32_t *seed, char *pat)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyz.";
    *seed = *seed * 1103515245u + 12345u;
    int len = 2 + (int)((*seed >> 16) % 3), at = (int)((*seed >> 8) % (uint32_t)(len + 1)), k = 0;
    for (int j = 0; j <= len; j++) {
        *seed = *seed * 1103515245u + 12345u;
        if (j == at)
            pat[k++] = (char)('1' + (*seed >> 24) % 9);
        if (j < len)
            pat[k++] = letters[(*seed >> 16) % (j == 0 ? 27 : 26)];
    }
    pat[k] = 0;
}

/* A file that takes every turn of the loader: CR LF and trailing
 * spaces, comments and keywords between the patterns, '/' lines with
 * digits before the '/', a line of digits only, a pattern repeated with
 * other levels, uppercase first letters, patterns of one letter, a last
 * line with no line feed. */
static void odd_file_as_reference(void **state)
{
    (void)state;
    char path[256], pat[16];
    snprintf(path, sizeof path, "%s/odd.dic", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("ISO8859-1\nLEFTHYPHENMIN 1\n% comment\nRIGHTHYPHENMIN 1\n", f);
    uint32_t seed = 7;
    for (int i = 0; i < 4000; i++) {
        sparse_pattern(&seed, pat);
        switch (i % 31) {
        case 1: fprintf(f, "%s\r\n", pat); break;
        case 2: fprintf(f, "%s \t\n", pat); break;
        case 3: fprintf(f, "%% %s\n", pat); break;
        case 4: fprintf(f, "1%s1/x,1,1\n", pat); break;
        case 5: fprintf(f, "NOHYPHEN %s\nCOMPOUNDLEFTHYPHENMIN 2\n", pat); break;
        case 6: fprintf(f, "13\n"); break;
        case 7: fprintf(f, "L%s\nC%s\n", pat, pat); break;
        case 8: fprintf(f, "%c%d\n%d%c\n", 'a' + i % 26, i % 10, i % 7, 'z' - i % 26); break;
        default: fprintf(f, "%s\n", pat);
        }
        if (i % 20 == 0) /* the same letters later, other levels */
            fprintf(f, "%s%d\n", pat, i % 10);
    }
    fputs("ab5cd", f);
    fclose(f);
    same_as_reference(path, 10000);
}

/* Every pair and triple of letters: each list of patterns (one per pair
 * of first letters) holds 27 of them, the most a list of en_US holds is
 * far fewer, and a word meets a full list at each of its places. */
static void full_lists_as_reference(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/full.dic", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("UTF-8\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 1\n", f);
    const char *abc = "abcdefghijklmnopqrstuvwxyz";
    for (const char *a = abc; *a; a++)
        for (const char *b = abc; *b; b++) {
            fprintf(f, "%c%d%c\n", *a, (*a * 3 + *b) % 10, *b);
            for (const char *c = abc; *c; c++)
                fprintf(f, "%c%c%d%c\n", *a, *b, (*a + *b * 7 + *c) % 10, *c);
        }
    fclose(f);
    same_as_reference(path, 10000);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(english_words),
        cmocka_unit_test(small_patterns),
        cmocka_unit_test(bad_files),
        cmocka_unit_test(empty_file),
        cmocka_unit_test(skipped_lines),
        cmocka_unit_test(english_as_reference),
        cmocka_unit_test(odd_file_as_reference),
        cmocka_unit_test(full_lists_as_reference),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
