/* Tests for the sRGB profile pdf_meta.c carries as bytes: LittleCMS makes
 * it here the way the comment above the bytes says (sRGB, ICC 4.2, the
 * date 2000-01-01 00:00:00, no profile ID), and the two must agree byte
 * for byte. A newer LittleCMS that writes another profile fails this test
 * rather than changing what the program embeds unnoticed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <lcms2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rg.h"

/* LittleCMS's sRGB profile with the header's date and ID fixed
 * (malloc'ed, *len bytes). */
static unsigned char *lcms_srgb(size_t *len)
{
    cmsHPROFILE h = cmsCreate_sRGBProfile();
    assert_non_null(h);
    cmsSetProfileVersion(h, 4.2);
    cmsUInt32Number n = 0;
    assert_true(cmsSaveProfileToMem(h, NULL, &n));
    assert_true(n >= 128);
    unsigned char *p = malloc(n);
    assert_non_null(p);
    assert_true(cmsSaveProfileToMem(h, p, &n));
    cmsCloseProfile(h);
    static const unsigned char date[12] = {0x07, 0xD0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0};
    memcpy(p + 24, date, sizeof date);
    memset(p + 84, 0, 16);
    *len = n;
    return p;
}

static void same_as_littlecms(void **state)
{
    (void)state;
    size_t want_len, got_len;
    unsigned char *want = lcms_srgb(&want_len);
    const unsigned char *got = rg_srgb_profile(&got_len);
    if (got_len != want_len)
        fail_msg("%zu bytes, LittleCMS makes %zu", got_len, want_len);
    for (size_t i = 0; i < want_len; i++)
        if (got[i] != want[i])
            fail_msg("byte %zu is 0x%02x, LittleCMS makes 0x%02x", i, got[i], want[i]);
    /* the header's own length, and what a PDF/A reader looks for */
    assert_int_equal(((size_t)got[0] << 24 | (size_t)got[1] << 16 | (size_t)got[2] << 8 | got[3]), got_len);
    assert_memory_equal(got + 12, "mntrRGB XYZ ", 12);
    assert_memory_equal(got + 36, "acsp", 4);
    free(want);
}

/* The header's date is the fixed one whatever the time: LittleCMS puts
 * the time of the call there, and the same input gives the same bytes. */
static void fixed_date(void **state)
{
    (void)state;
    size_t n;
    const unsigned char *p = rg_srgb_profile(&n);
    static const unsigned char date[12] = {0x07, 0xD0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0};
    assert_memory_equal(p + 24, date, sizeof date);
    static const unsigned char zero[16] = {0};
    assert_memory_equal(p + 84, zero, sizeof zero);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_as_littlecms),
        cmocka_unit_test(fixed_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
