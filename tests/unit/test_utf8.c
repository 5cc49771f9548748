/* Tests for utf8.c: decoding by the rules of RFC 3629 / Unicode table 3-7
 * (no overlong forms, no surrogates, nothing past U+10FFFF). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rg.h"

/* Decodes bytes (given as a string literal of n bytes) expecting cp and len. */
static void dec_ok(const char *s, size_t n, int32_t want, int want_len)
{
    int len = -7;
    int32_t cp = rg_utf8_decode(s, n, &len);
    if (cp != want || len != want_len)
        fail_msg("decode of %zu bytes %02x.. = U+%04X len %d; expected U+%04X len %d", n,
                 (unsigned char)s[0], (unsigned)cp, len, (unsigned)want, want_len);
}

static void dec_bad(const char *s, size_t n)
{
    int len = -7;
    int32_t cp = rg_utf8_decode(s, n, &len);
    if (cp != -1)
        fail_msg("decode of %zu bytes %02x.. = U+%04X (len %d); expected -1", n,
                 n ? (unsigned char)s[0] : 0, (unsigned)cp, len);
}

#define OK(lit, cp, len) dec_ok(lit, sizeof(lit) - 1, cp, len)
#define BAD(lit) dec_bad(lit, sizeof(lit) - 1)

static void test_ascii(void **state)
{
    (void)state;
    OK("A", 'A', 1);
    OK("\x7f", 0x7F, 1);
    OK("z and more", 'z', 1);   /* only the first code point */
    dec_ok("\0", 1, 0, 1);       /* NUL is a code point */
    for (int c = 1; c < 0x80; c++) {
        char b[1] = {(char)c};
        dec_ok(b, 1, c, 1);
    }
}

static void test_multibyte(void **state)
{
    (void)state;
    /* 2 bytes */
    OK("\xc3\xa9", 0xE9, 2);           /* é */
    OK("\xc2\x80", 0x80, 2);           /* lowest */
    OK("\xdf\xbf", 0x7FF, 2);          /* highest */
    OK("\xc3\xa9tait", 0xE9, 2);
    /* 3 bytes */
    OK("\xe2\x82\xac", 0x20AC, 3);     /* € */
    OK("\xe0\xa0\x80", 0x800, 3);      /* lowest */
    OK("\xed\x9f\xbf", 0xD7FF, 3);     /* just below the surrogates */
    OK("\xee\x80\x80", 0xE000, 3);     /* just above them */
    OK("\xef\xbf\xbd", 0xFFFD, 3);
    OK("\xef\xbf\xbf", 0xFFFF, 3);
    /* 4 bytes */
    OK("\xf0\x9f\x98\x80", 0x1F600, 4); /* 😀 */
    OK("\xf0\x90\x80\x80", 0x10000, 4); /* lowest */
    OK("\xf4\x8f\xbf\xbf", 0x10FFFF, 4); /* highest */
}

static void test_overlong(void **state)
{
    (void)state;
    BAD("\xc0\x80");          /* NUL in 2 bytes */
    BAD("\xc0\xaf");          /* '/' */
    BAD("\xc1\xbf");          /* 0x7F in 2 bytes */
    BAD("\xe0\x80\x80");      /* NUL in 3 */
    BAD("\xe0\x9f\xbf");      /* 0x7FF in 3 */
    BAD("\xf0\x80\x80\x80");  /* NUL in 4 */
    BAD("\xf0\x8f\xbf\xbf");  /* 0xFFFF in 4 */
}

static void test_surrogates_and_range(void **state)
{
    (void)state;
    BAD("\xed\xa0\x80");      /* U+D800 */
    BAD("\xed\xaf\xbf");      /* U+DBFF */
    BAD("\xed\xb0\x80");      /* U+DC00 */
    BAD("\xed\xbf\xbf");      /* U+DFFF */
    BAD("\xed\xa0\xbd\xed\xb8\x80"); /* CESU-8 pair for U+1F600 */
    BAD("\xf4\x90\x80\x80");  /* U+110000 */
    BAD("\xf5\x80\x80\x80");
    BAD("\xf7\xbf\xbf\xbf");
    BAD("\xf8\x88\x80\x80\x80"); /* old 5-byte form */
    BAD("\xfc\x84\x80\x80\x80\x80");
    BAD("\xfe");
    BAD("\xff");
}

static void test_bad_continuation(void **state)
{
    (void)state;
    BAD("\x80");              /* lone continuation bytes */
    BAD("\xbf");
    BAD("\x80\x80");
    BAD("\xc3\x41");          /* lead then ASCII */
    BAD("\xc3\xc3\xa9");      /* lead then lead */
    BAD("\xe2\x28\xa1");
    BAD("\xe2\x82\x28");
    BAD("\xf0\x9f\x41\x80");
    BAD("\xf0\x9f\x98\x41");
}

static void test_truncated(void **state)
{
    (void)state;
    dec_bad("", 0);
    BAD("\xc3");
    BAD("\xe2\x82");
    BAD("\xe2");
    BAD("\xf0\x9f\x98");
    BAD("\xf0\x9f");
    /* The bytes follow in memory, but n says they are not part of the text. */
    dec_bad("\xc3\xa9", 1);
    dec_bad("\xe2\x82\xac", 2);
    dec_bad("\xf0\x9f\x98\x80", 3);
}

static void test_decode_every_code_point(void **state)
{
    (void)state;
    /* Encode by hand and decode back: all scalar values round trip. */
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp++) {
        unsigned char b[4];
        int n;
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        if (cp < 0x80) {
            b[0] = (unsigned char)cp; n = 1;
        } else if (cp < 0x800) {
            b[0] = (unsigned char)(0xC0 | cp >> 6); b[1] = (unsigned char)(0x80 | (cp & 0x3F)); n = 2;
        } else if (cp < 0x10000) {
            b[0] = (unsigned char)(0xE0 | cp >> 12); b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
            b[2] = (unsigned char)(0x80 | (cp & 0x3F)); n = 3;
        } else {
            b[0] = (unsigned char)(0xF0 | cp >> 18); b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
            b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F)); b[3] = (unsigned char)(0x80 | (cp & 0x3F)); n = 4;
        }
        int len = 0;
        int32_t got = rg_utf8_decode((const char *)b, (size_t)n, &len);
        if (got != (int32_t)cp || len != n)
            fail_msg("U+%04X: got U+%04X len %d", (unsigned)cp, (unsigned)got, len);
    }
}

/* ---- whole buffers ------------------------------------------------------ */

static void valid(const char *s, size_t n)
{
    size_t off = 12345;
    if (!rg_utf8_valid(s, n, &off))
        fail_msg("valid text refused at offset %zu", off);
    assert_int_equal(rg_utf8_valid(s, n, NULL), 1);
}

static void invalid_at(const char *s, size_t n, size_t want)
{
    size_t off = 12345;
    assert_int_equal(rg_utf8_valid(s, n, &off), 0);
    if (off != want)
        fail_msg("first bad byte reported at %zu; expected %zu", off, want);
    assert_int_equal(rg_utf8_valid(s, n, NULL), 0);
}

#define VALID(lit) valid(lit, sizeof(lit) - 1)
#define INVALID_AT(lit, off) invalid_at(lit, sizeof(lit) - 1, off)

static void test_valid_buffers(void **state)
{
    (void)state;
    valid("", 0);
    VALID("hello");
    VALID("caf\xc3\xa9 \xe2\x82\xac 5 \xf0\x9f\x98\x80!");
    VALID("a\0b");   /* NUL is valid UTF-8; the loader refuses it separately */
    VALID("\xef\xbb\xbf<r/>");  /* with a BOM */
}

static void test_invalid_offsets(void **state)
{
    (void)state;
    INVALID_AT("\xff", 0);
    INVALID_AT("ab\xc3\xa9" "cd\xff" "ef", 6);
    INVALID_AT("abc\xe2\x82", 3);                 /* truncated at the end */
    INVALID_AT("x\xc3\xa9\xc0\x80", 3);           /* overlong after a good one */
    INVALID_AT("\xed\xa0\x80", 0);                /* surrogate */
    INVALID_AT("ok \xf4\x90\x80\x80", 3);         /* past U+10FFFF */
    INVALID_AT("\xe2\x82\xac\x80", 3);            /* stray continuation */
    INVALID_AT("It\x92s", 2);                     /* cp1252 apostrophe */
    INVALID_AT("\xc3\xa9\xc3\xa9\xc3", 4);
    /* A limit inside a good sequence makes it truncated. */
    invalid_at("\xe2\x82\xac", 2, 0);
}

/* ASCII is checked 8 bytes at a time: a bad byte is found at every place
 * in and across those 8-byte steps, after a good multi-byte character at
 * every place too, and nothing at or past the limit counts. */
static void test_every_offset(void **state)
{
    (void)state;
    char b[64];
    for (size_t n = 1; n <= 40; n++)
        for (size_t at = 0; at < n; at++) {
            memset(b, 'a', sizeof b);
            b[at] = '\xff';
            invalid_at(b, n, at);
            b[at] = '\xe2'; /* a lead byte with no continuation */
            invalid_at(b, n, at);
            b[at] = 'a';
            b[n] = '\xff'; /* past the limit */
            valid(b, n);
            if (at + 2 < n) {
                b[at] = '\xc3';
                b[at + 1] = '\xa9';
                valid(b, n);
                b[n - 1] = '\x80'; /* a stray continuation at the end */
                invalid_at(b, n, n - 1);
            }
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii),
        cmocka_unit_test(test_multibyte),
        cmocka_unit_test(test_overlong),
        cmocka_unit_test(test_surrogates_and_range),
        cmocka_unit_test(test_bad_continuation),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_decode_every_code_point),
        cmocka_unit_test(test_valid_buffers),
        cmocka_unit_test(test_invalid_offsets),
        cmocka_unit_test(test_every_offset),
    };
    return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
