/* Text properties: parsing of lengths, colours and style attributes, and
 * theme look-ups. No XML here: theme.c and layout.c hand in strings. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "rg.h"

/* Parses a decimal with up to 3 places into thousandths, leaving *end after it. */
static int parse_milli(const char *s, int64_t *out, const char **end)
{
    int64_t v = 0;
    int frac = -1, digits = 0, neg = 0;
    if (*s == '-')
        neg = 1, s++;
    for (; *s; s++) {
        if (*s == '.' && frac < 0) {
            frac = 0;
        } else if (isdigit((unsigned char)*s)) {
            if (digits++ > 9)
                return -1;
            if (frac >= 3)
                continue; /* finer than 1/1000: ignore */
            v = v * 10 + (*s - '0');
            if (frac >= 0)
                frac++;
        } else {
            break;
        }
    }
    if (!digits)
        return -1;
    for (int f = frac < 0 ? 0 : frac; f < 3; f++)
        v *= 10;
    *out = neg ? -v : v;
    *end = s;
    return 0;
}

int rg_length_parse(const char *s, rg_mpt *out)
{
    int64_t v;
    const char *u;
    while (isspace((unsigned char)*s))
        s++;
    if (parse_milli(s, &v, &u) != 0)
        return -1;
    if (*u == 0 || strcmp(u, "pt") == 0)
        ;
    else if (strcmp(u, "mm") == 0)
        v = v * 72 * 10 / 254;
    else if (strcmp(u, "cm") == 0)
        v = v * 72 * 100 / 254;
    else if (strcmp(u, "in") == 0)
        v = v * 72;
    else
        return -1;
    if (v > 100000000 || v < -100000000)
        return -1;
    *out = (rg_mpt)v;
    return 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int rg_color_parse(const rg_theme *t, const char *s, rg_color *out)
{
    if (strcmp(s, "none") == 0) {
        *out = (rg_color){0, 0, 0, 0};
        return 0;
    }
    if (s[0] == '#') {
        size_t n = strlen(s + 1);
        int h[6];
        if (n != 3 && n != 6)
            return -1;
        for (size_t i = 0; i < n; i++)
            if ((h[i] = hexval(s[1 + i])) < 0)
                return -1;
        if (n == 3)
            *out = (rg_color){(uint8_t)(h[0] * 17), (uint8_t)(h[1] * 17), (uint8_t)(h[2] * 17), 1};
        else
            *out = (rg_color){(uint8_t)(h[0] * 16 + h[1]), (uint8_t)(h[2] * 16 + h[3]),
                              (uint8_t)(h[4] * 16 + h[5]), 1};
        return 0;
    }
    if (t)
        for (int i = 0; i < t->ncolor; i++)
            if (strcmp(t->color[i].name, s) == 0) {
                *out = t->color[i].c;
                return 0;
            }
    return -1;
}

void rg_style_init(rg_style *st)
{
    memset(st, 0, sizeof *st);
    st->bold = st->italic = -1;
    st->space_before = st->space_after = -1;
}

int rg_style_set(rg_style *st, const rg_theme *t, const char *prop, const char *v)
{
    if (strcmp(prop, "font") == 0) {
        st->family = v; /* the caller keeps v alive (arena or theme) */
        return 0;
    }
    if (strcmp(prop, "size") == 0)
        return rg_length_parse(v, &st->size) == 0 && st->size > 0 ? 0 : -1;
    if (strcmp(prop, "weight") == 0) {
        if (strcmp(v, "bold") == 0) st->bold = 1;
        else if (strcmp(v, "normal") == 0) st->bold = 0;
        else return -1;
        return 0;
    }
    if (strcmp(prop, "font-style") == 0) {
        if (strcmp(v, "italic") == 0) st->italic = 1;
        else if (strcmp(v, "normal") == 0) st->italic = 0;
        else return -1;
        return 0;
    }
    if (strcmp(prop, "color") == 0)
        return rg_color_parse(t, v, &st->color);
    if (strcmp(prop, "leading") == 0) {
        int64_t m;
        const char *end;
        if (parse_milli(v, &m, &end) != 0 || *end || m < 500 || m > 5000)
            return -1;
        st->leading = (int)m;
        return 0;
    }
    if (strcmp(prop, "align") == 0) {
        static const char *names[] = {"left", "right", "center", "justify", "decimal"};
        for (int i = 0; i < 5; i++)
            if (strcmp(v, names[i]) == 0) {
                st->align = i + 1;
                return 0;
            }
        return -1;
    }
    if (strcmp(prop, "case") == 0) {
        if (strcmp(v, "upper") == 0) st->letter_case = 2;
        else if (strcmp(v, "none") == 0) st->letter_case = 1;
        else return -1;
        return 0;
    }
    if (strcmp(prop, "hyphenate") == 0) {
        if (strcmp(v, "yes") == 0) st->hyphenate = 2;
        else if (strcmp(v, "no") == 0) st->hyphenate = 1;
        else return -1;
        return 0;
    }
    if (strcmp(prop, "balance") == 0) {
        if (strcmp(v, "yes") == 0) st->balance = 2;
        else if (strcmp(v, "no") == 0) st->balance = 1;
        else return -1;
        return 0;
    }
    if (strcmp(prop, "space-before") == 0)
        return rg_length_parse(v, &st->space_before) == 0 && st->space_before >= 0 ? 0 : -1;
    if (strcmp(prop, "space-after") == 0)
        return rg_length_parse(v, &st->space_after) == 0 && st->space_after >= 0 ? 0 : -1;
    return 1;
}

const rg_style *rg_theme_style(const rg_theme *t, const char *name)
{
    for (int i = 0; i < t->nstyle; i++) /* first letters first: a theme has dozens of styles */
        if (t->style[i].name[0] == name[0] && strcmp(t->style[i].name, name) == 0)
            return &t->style[i];
    return NULL;
}

int rg_theme_face(const rg_theme *t, const char *family, int bold, int italic)
{
    int best = -1, score = -1;
    for (int i = 0; i < t->nface; i++) {
        const rg_face *f = &t->face[i];
        int s = 0;
        if (family && strcmp(f->family, family) == 0)
            s += 8;
        if (f->bold == bold)
            s += 4;
        if (f->italic == italic)
            s += 2;
        if (s > score)
            score = s, best = i;
    }
    return best;
}

const char *rg_theme_text(const rg_theme *t, const char *name)
{
    for (int i = 0; i < t->ntext; i++)
        if (strcmp(t->text[i].name, name) == 0)
            return t->text[i].value;
    return NULL;
}
