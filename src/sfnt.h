/* Big-endian readers for TrueType/OpenType tables (font.c, subset.c,
 * outline.c, otkern.c). They only read: every caller has checked that
 * the bytes lie inside the table, with fits. */
#ifndef RG_SFNT_H
#define RG_SFNT_H

#include <stddef.h>
#include <stdint.h>

static inline unsigned u16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static inline int s16(const unsigned char *p) { return (int16_t)(uint16_t)u16(p); }
static inline uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Is [off, off + len) inside [0, n)? Written so that nothing can overflow. */
static inline int fits(size_t n, size_t off, size_t len) { return off <= n && len <= n - off; }

#endif
