/* Every limit on input, in one place (README.md, "Limits", lists them).
 * Exceeding one is a bad-input error naming the limit and the value. */
#ifndef RG_LIMITS_H
#define RG_LIMITS_H

#define RG_MAX_INPUT (16u << 20)   /* bytes in one data file */
#define RG_MAX_DEPTH 64            /* element nesting in a data file */
#define RG_MAX_TEXT (64u << 10)    /* bytes of text in one field (text node or attribute) */
#define RG_MAX_PAGES 2000          /* pages in one document */
#define RG_MAX_ROWS 5000           /* rows in one table */
#define RG_MAX_IMAGE_SIDE 10000    /* pixels on either side of an image */
#define RG_MAX_IMAGE_BYTES (32u << 20) /* bytes in one image file */

#endif
