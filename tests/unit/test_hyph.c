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
#include <sys/stat.h>
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
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
