/* Tests for num.c: exact decimals as integer thousandths. The accepted forms
 * follow xs:decimal (optional sign, digits, optional point and digits), with
 * the documented limits: at most 3 decimals and |v| < 1e12. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rg.h"

static void accepts(const char *s, rg_dec want)
{
    rg_dec v = -123456789;
    if (rg_dec_parse(s, &v) != 0)
        fail_msg("\"%s\" was refused; expected %lld", s, (long long)want);
    if (v != want)
        fail_msg("\"%s\" parsed as %lld; expected %lld", s, (long long)v, (long long)want);
}

static void refuses(const char *s)
{
    rg_dec v = 777;
    if (rg_dec_parse(s, &v) == 0)
        fail_msg("\"%s\" was accepted as %lld", s, (long long)v);
    assert_int_equal(v, 777); /* untouched on failure */
}

static void formats(rg_dec v, const char *want)
{
    char buf[64];
    memset(buf, '#', sizeof buf);
    rg_dec_format(v, buf, sizeof buf);
    if (strcmp(buf, want) != 0)
        fail_msg("format(%lld) = \"%s\"; expected \"%s\"", (long long)v, buf, want);
}

/* ---- parse -------------------------------------------------------------- */

static void test_parse_accepts(void **state)
{
    (void)state;
    accepts("8.5", 8500);
    accepts("17.500", 17500);
    accepts("17.5", 17500);
    accepts("-2", -2000);
    accepts("0", 0);
    accepts("-0", 0);
    accepts("+3", 3000);
    accepts("0.001", 1);
    accepts("-0.001", -1);
    accepts("43.5", 43500);
    accepts("100", 100000);
    accepts("27.25", 27250);
    accepts("1.234", 1234);
    /* xs:decimal allows leading zeros and a bare point at either end. */
    accepts("08.5", 8500);
    accepts("007", 7000);
    accepts("08.50", 8500);
    accepts("1.", 1000);
    accepts(".5", 500);
    accepts("-.25", -250);
}

static void test_parse_refuses(void **state)
{
    (void)state;
    refuses("8,5");      /* decimal comma */
    refuses("NaN");
    refuses("nan");
    refuses("Inf");
    refuses("-INF");
    refuses("1e400");
    refuses("1e3");
    refuses("1E2");
    refuses("");
    refuses(".");
    refuses("-");
    refuses("+");
    refuses("-.");
    refuses("1.2345");   /* four places */
    refuses("0.0001");
    refuses("1 000");    /* thousands separator */
    refuses("1,000");
    refuses("1_000");
    refuses("1.2.3");
    refuses("--1");
    refuses("+-1");
    refuses("0x10");
    refuses("8.5pt");
    refuses(" ");
    refuses("8 .5");
    refuses("\xd9\xa3");  /* ARABIC-INDIC DIGIT THREE is not a digit here */
}

/* As xs:decimal, which the schema has already accepted: surrounding white
 * space and zeros past the third place do not change the value. */
static void test_parse_like_xs_decimal(void **state)
{
    (void)state;
    rg_dec v;
    assert_int_equal(rg_dec_parse(" 8.5", &v), 0);
    assert_int_equal(v, 8500);
    assert_int_equal(rg_dec_parse("\n\t17.5 ", &v), 0);
    assert_int_equal(v, 17500);
    assert_int_equal(rg_dec_parse("8.5000", &v), 0);
    assert_int_equal(v, 8500);
    assert_int_equal(rg_dec_parse("8.5001", &v), -1);
}

static void test_parse_range(void **state)
{
    (void)state;
    /* |v| < 1e12, at three places: the largest value and its negative. */
    accepts("999999999999.999", INT64_C(999999999999999));
    accepts("-999999999999.999", -INT64_C(999999999999999));
    accepts("999999999999", INT64_C(999999999999000));
    /* 1e12 itself and beyond are out of range. */
    refuses("1000000000000");
    refuses("-1000000000000");
    refuses("1000000000000.000");
    refuses("999999999999999");
    refuses("99999999999999999999999999"); /* would overflow int64 */
}

/* xs:decimal puts no limit on leading zeros (the schema's fractionDigits and
 * bounds are about the value): "0000000000000008.5" is a valid score of 8.5
 * in templates/report-card/schema.xsd, so it must parse as 8.5, not be
 * refused for having more than 15 digits. */
static void test_parse_leading_zeros_do_not_count(void **state)
{
    (void)state;
    accepts("000000000000000000000000000000001", 1000);
    accepts("0000000000000008.5", 8500);
    accepts("-0000000000000000000.125", -125);
    accepts("0000000999999999999.999", INT64_C(999999999999999));
    refuses("00000001000000000000"); /* still 1e12: out of range */
}

/* ---- format ------------------------------------------------------------- */

static void test_format_shortest(void **state)
{
    (void)state;
    formats(8500, "8.5");
    formats(4000, "4");
    formats(1250, "1.25");
    formats(1, "0.001");
    formats(10, "0.01");
    formats(100, "0.1");
    formats(-1500, "-1.5");
    formats(-1, "-0.001");
    formats(-999, "-0.999");
    formats(0, "0");
    formats(17500, "17.5");
    formats(43500, "43.5");
    formats(1001, "1.001");
    formats(1010, "1.01");
    formats(1100, "1.1");
    formats(100000, "100");
    formats(-100000, "-100");
    formats(INT64_C(999999999999999), "999999999999.999");
}

static void test_format_extremes(void **state)
{
    (void)state;
    formats(INT64_MAX, "9223372036854775.807");
    formats(INT64_MIN, "-9223372036854775.808");
    formats(INT64_MIN + 1, "-9223372036854775.807");
}

static void test_format_small_buffer(void **state)
{
    (void)state;
    char buf[8];
    memset(buf, '#', sizeof buf);
    rg_dec_format(-1500, buf, 3);
    assert_string_equal(buf, "-1");
    assert_int_equal(buf[3], '#');
    memset(buf, '#', sizeof buf);
    rg_dec_format(INT64_MIN, buf, 5);
    assert_string_equal(buf, "-922");
    assert_int_equal(buf[5], '#');
}

/* format then parse gives the value back, over every value near 0 and some
 * far from it; parse then format gives the canonical text. */
static void test_round_trip(void **state)
{
    (void)state;
    char buf[64];
    for (rg_dec v = -25000; v <= 25000; v++) {
        rg_dec back;
        rg_dec_format(v, buf, sizeof buf);
        if (rg_dec_parse(buf, &back) != 0 || back != v)
            fail_msg("%lld -> \"%s\" does not parse back", (long long)v, buf);
    }
    uint64_t x = 88172645463325252u; /* xorshift: reproducible */
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        rg_dec v = (rg_dec)(x % INT64_C(1999999999999999)) - INT64_C(999999999999999);
        rg_dec back;
        rg_dec_format(v, buf, sizeof buf);
        if (rg_dec_parse(buf, &back) != 0 || back != v)
            fail_msg("%lld -> \"%s\" does not parse back", (long long)v, buf);
    }
    static const struct { const char *in, *canon; } c[] = {
        {"08.50", "8.5"}, {"17.500", "17.5"}, {"+3", "3"}, {"-0", "0"}, {"-0.000", "0"},
        {"0.100", "0.1"}, {".5", "0.5"}, {"1.", "1"}, {"-2.050", "-2.05"},
    };
    for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
        rg_dec v;
        assert_int_equal(rg_dec_parse(c[i].in, &v), 0);
        rg_dec_format(v, buf, sizeof buf);
        assert_string_equal(buf, c[i].canon);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_accepts),
        cmocka_unit_test(test_parse_refuses),
        cmocka_unit_test(test_parse_range),
        cmocka_unit_test(test_parse_like_xs_decimal),
        cmocka_unit_test(test_parse_leading_zeros_do_not_count),
        cmocka_unit_test(test_format_shortest),
        cmocka_unit_test(test_format_extremes),
        cmocka_unit_test(test_format_small_buffer),
        cmocka_unit_test(test_round_trip),
    };
    return cmocka_run_group_tests_name("num", tests, NULL, NULL);
}
