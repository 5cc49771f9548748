/* Exact decimals: scores like 8.5 and 17.5 are kept as integer thousandths,
 * so sums and comparisons are exact where binary floating point is not. */
#include <stdio.h>
#include <string.h>
#include "rg.h"

static int xml_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int rg_dec_parse(const char *str, rg_dec *out)
{
    int neg = 0, digits = 0, frac = -1;
    int64_t v = 0;
    /* As xs:decimal: white space around the number is not part of it. */
    const char *s = str, *end = str + strlen(str);
    while (xml_space(*s))
        s++;
    while (end > s && xml_space(end[-1]))
        end--;
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    for (; s < end; s++) {
        if (*s == '.') {
            if (frac >= 0)
                return -1;
            frac = 0;
        } else if (*s >= '0' && *s <= '9') {
            if (frac >= 3) {
                if (*s != '0')
                    return -1; /* finer than a thousandth */
                continue;
            }
            if (frac >= 0)
                frac++;
            v = v * 10 + (*s - '0');
            digits++;
            if (v >= 1000000000000000LL) /* leading zeros do not count */
                return -1;
        } else {
            return -1;
        }
    }
    if (digits == 0)
        return -1;
    for (int f = frac < 0 ? 0 : frac; f < 3; f++)
        v *= 10;
    if (v >= 1000000000000000LL) /* |value| < 1e12, so sums of many stay exact */
        return -1;
    *out = neg ? -v : v;
    return 0;
}

void rg_dec_format(rg_dec v, char *buf, size_t size)
{
    /* By hand, not snprintf: templates format every figure of a table and
     * its chart (rg:num), and a chart its axis. Written from the end. */
    char t[32], *e = t + sizeof t, *q = e;
    uint64_t a = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    uint64_t ip = a / 1000, fp = a % 1000;
    int places = fp == 0 ? 0 : fp % 100 == 0 ? 1 : fp % 10 == 0 ? 2 : 3;
    for (int i = 3; i > places; i--)
        fp /= 10;
    for (int i = 0; i < places; i++, fp /= 10)
        *--q = (char)('0' + fp % 10);
    if (places)
        *--q = '.';
    do
        *--q = (char)('0' + ip % 10);
    while ((ip /= 10) != 0);
    if (v < 0)
        *--q = '-';
    size_t n = (size_t)(e - q);
    if (size == 0)
        return;
    if (n > size - 1)
        n = size - 1;
    memcpy(buf, q, n);
    buf[n] = 0;
}
