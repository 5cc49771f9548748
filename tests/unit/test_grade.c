/* Tests for grade.c: building a scale and applying it exactly, including the
 * boundaries that binary floating point gets wrong (24.75/27.5 is exactly
 * 90%, but 24.75/27.5*100 in doubles is not 90). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rg.h"

#define D(x) ((rg_dec)((x) * 1000 + ((x) < 0 ? -0.5 : 0.5))) /* literal -> thousandths */

/* The report-card scale of templates/report-card/grades.xml. */
static void card_scale(rg_grade_scale *s)
{
    memset(s, 0, sizeof *s);
    assert_int_equal(rg_grade_scale_add(s, "A", D(90)), 0);
    assert_int_equal(rg_grade_scale_add(s, "B", D(80)), 0);
    assert_int_equal(rg_grade_scale_add(s, "C", D(70)), 0);
    assert_int_equal(rg_grade_scale_add(s, "D", D(60)), 0);
    assert_int_equal(rg_grade_scale_add(s, "F", D(0)), 0);
    assert_int_equal(s->n, 5);
}

/* Grades score/max given as decimal text, so the test does no arithmetic. */
static void grade_is(const rg_grade_scale *s, const char *score, const char *max, const char *want)
{
    rg_dec sc, mx;
    assert_int_equal(rg_dec_parse(score, &sc), 0);
    assert_int_equal(rg_dec_parse(max, &mx), 0);
    const char *g = rg_grade_for(s, sc, mx);
    if (!want) {
        if (g)
            fail_msg("%s/%s gave '%s'; expected no grade", score, max, g);
        return;
    }
    if (!g)
        fail_msg("%s/%s gave no grade; expected '%s'", score, max, want);
    if (strcmp(g, want) != 0)
        fail_msg("%s/%s gave '%s'; expected '%s'", score, max, g, want);
}

/* ---- building ----------------------------------------------------------- */

static void test_scale_add(void **state)
{
    (void)state;
    rg_grade_scale s;
    card_scale(&s);
    assert_string_equal(s.step[0].letter, "A");
    assert_int_equal(s.step[0].min_percent, 90000);
    assert_string_equal(s.step[4].letter, "F");
    assert_int_equal(s.step[4].min_percent, 0);
}

static void test_scale_rejects_order(void **state)
{
    (void)state;
    rg_grade_scale s;
    memset(&s, 0, sizeof s);
    assert_int_equal(rg_grade_scale_add(&s, "A", D(90)), 0);
    assert_int_equal(rg_grade_scale_add(&s, "B", D(90)), -1);   /* equal */
    assert_int_equal(rg_grade_scale_add(&s, "B", D(95)), -1);   /* ascending */
    assert_int_equal(rg_grade_scale_add(&s, "B", D(90.001)), -1);
    assert_int_equal(s.n, 1);                                   /* unchanged */
    assert_int_equal(rg_grade_scale_add(&s, "B", D(89.999)), 0);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.step[1].letter, "B");
}

static void test_scale_rejects_letters(void **state)
{
    (void)state;
    rg_grade_scale s;
    memset(&s, 0, sizeof s);
    assert_int_equal(rg_grade_scale_add(&s, "", D(90)), -1);
    assert_int_equal(s.n, 0);
    /* letter[8] holds 7 characters and the NUL. */
    assert_int_equal(rg_grade_scale_add(&s, "TOOLONG!", D(90)), -1);
    assert_int_equal(s.n, 0);
    assert_int_equal(rg_grade_scale_add(&s, "A+plus", D(97)), 0);
    assert_int_equal(rg_grade_scale_add(&s, "Passing", D(50)), 0);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.step[0].letter, "A+plus");
    assert_string_equal(s.step[1].letter, "Passing");
}

static void test_scale_too_many_steps(void **state)
{
    (void)state;
    rg_grade_scale s;
    memset(&s, 0, sizeof s);
    int cap = (int)(sizeof s.step / sizeof s.step[0]);
    assert_int_equal(cap, 16);
    for (int i = 0; i < cap; i++) {
        char l[16];
        snprintf(l, sizeof l, "G%d", i);
        assert_int_equal(rg_grade_scale_add(&s, l, D(100 - 5 * i)), 0);
    }
    assert_int_equal(s.n, 16);
    assert_int_equal(rg_grade_scale_add(&s, "X", D(1)), -1);
    assert_int_equal(s.n, 16);
    /* The steps are 100, 95, ..., 25: the last one still applies. */
    grade_is(&s, "25", "100", "G15");
    grade_is(&s, "24.999", "100", NULL);
}

/* ---- applying ----------------------------------------------------------- */

static void test_connecticut_2021(void **state)
{
    (void)state;
    rg_grade_scale s;
    card_scale(&s);
    grade_is(&s, "8.5", "17.5", "F");   /* 48.6% */
    grade_is(&s, "6.5", "27.5", "F");   /* 23.6% */
    grade_is(&s, "4", "15", "F");       /* 26.7% */
    grade_is(&s, "10", "15", "D");      /* 66.7% */
    grade_is(&s, "3", "10", "F");       /* 30% */
    grade_is(&s, "8.5", "15", "F");     /* 56.7% */
    grade_is(&s, "43.5", "100", "F");   /* overall */
}

static void test_exact_boundaries(void **state)
{
    (void)state;
    rg_grade_scale s;
    card_scale(&s);
    /* In doubles 24.75/27.5*100 = 89.99999999999999; exactly it is 90. */
    grade_is(&s, "24.75", "27.5", "A");
    grade_is(&s, "24.749", "27.5", "B");
    grade_is(&s, "13.5", "15", "A");
    grade_is(&s, "13.499", "15", "B");
    grade_is(&s, "15.75", "17.5", "A");
    /* 70% boundaries: 0.7*x. */
    grade_is(&s, "10.5", "15", "C");
    grade_is(&s, "10.499", "15", "D");
    grade_is(&s, "19.25", "27.5", "C");
    grade_is(&s, "12.25", "17.5", "C");
    grade_is(&s, "7", "10", "C");
    grade_is(&s, "6.999", "10", "D");
    /* 80% and 60%. */
    grade_is(&s, "12", "15", "B");
    grade_is(&s, "22", "27.5", "B");
    grade_is(&s, "21.999", "27.5", "C");
    grade_is(&s, "9", "15", "D");
    grade_is(&s, "16.5", "27.5", "D");
    grade_is(&s, "16.499", "27.5", "F");
    /* Ends of the range. */
    grade_is(&s, "0", "15", "F");
    grade_is(&s, "15", "15", "A");
    grade_is(&s, "0.001", "999999999999.999", "F");
    grade_is(&s, "999999999999.999", "999999999999.999", "A");
    grade_is(&s, "899999999999.999", "999999999999.999", "B");
}

static void test_overall(void **state)
{
    (void)state;
    rg_grade_scale s;
    card_scale(&s);
    grade_is(&s, "43.5", "100", "F");
    grade_is(&s, "72.5", "100", "C");
    grade_is(&s, "90", "100", "A");
    grade_is(&s, "89.999", "100", "B");
    grade_is(&s, "60", "100", "D");
    grade_is(&s, "59.999", "100", "F");
}

/* A scale with plus and minus steps (frameworks/agenda-2025.xml): twelve
 * steps, letters of two characters, boundaries exact. */
static void test_plus_minus(void **state)
{
    (void)state;
    static const struct { const char *letter; double min; } steps[] = {
        {"A", 93}, {"A-", 90}, {"B+", 87}, {"B", 83}, {"B-", 80}, {"C+", 77},
        {"C", 73}, {"C-", 70}, {"D+", 67}, {"D", 63}, {"D-", 60}, {"F", 0},
    };
    rg_grade_scale s;
    memset(&s, 0, sizeof s);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        assert_int_equal(rg_grade_scale_add(&s, steps[i].letter, D(steps[i].min)), 0);
    assert_int_equal(s.n, 12);
    grade_is(&s, "87", "100", "B+");
    grade_is(&s, "86.999", "100", "B");
    grade_is(&s, "80", "100", "B-");
    grade_is(&s, "79.999", "100", "C+");
    grade_is(&s, "93", "100", "A");
    grade_is(&s, "92.999", "100", "A-");
    grade_is(&s, "59.999", "100", "F");
    grade_is(&s, "10.44", "12", "B+");    /* 87% of a 12-point area, exactly */
    grade_is(&s, "10.439", "12", "B");
}

static void test_no_grade(void **state)
{
    (void)state;
    rg_grade_scale s;
    card_scale(&s);
    grade_is(&s, "5", "0", NULL);       /* max 0 */
    grade_is(&s, "0", "0", NULL);
    grade_is(&s, "5", "-10", NULL);     /* max negative */
    grade_is(&s, "-1", "10", NULL);     /* below the lowest step (0%) */

    /* A scale without a 0% step leaves low scores without a letter. */
    rg_grade_scale p;
    memset(&p, 0, sizeof p);
    assert_int_equal(rg_grade_scale_add(&p, "Pass", D(50)), 0);
    grade_is(&p, "5", "10", "Pass");
    grade_is(&p, "4.999", "10", NULL);

    rg_grade_scale empty;
    memset(&empty, 0, sizeof empty);
    grade_is(&empty, "10", "10", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scale_add),
        cmocka_unit_test(test_scale_rejects_order),
        cmocka_unit_test(test_scale_rejects_letters),
        cmocka_unit_test(test_scale_too_many_steps),
        cmocka_unit_test(test_connecticut_2021),
        cmocka_unit_test(test_exact_boundaries),
        cmocka_unit_test(test_overall),
        cmocka_unit_test(test_no_grade),
        cmocka_unit_test(test_plus_minus),
    };
    return cmocka_run_group_tests_name("grade", tests, NULL, NULL);
}
