/* Images: PNG and JPEG files checked before the PDF writer sees them, since
 * libharu fails on 16-bit and interlaced PNGs and reads a truncated file
 * without complaint. Only the header and the end of the file are read. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rg.h"

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int probe_png(FILE *f, long size, rg_image_info *out, char *err, size_t n)
{
    unsigned char h[33], tail[12];
    static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};
    if (size < 33 + 12 || fseek(f, 0, SEEK_SET) != 0 || fread(h, 1, 33, f) != 33) {
        snprintf(err, n, "PNG file is truncated");
        return -1;
    }
    if (be32(h + 8) != 13 || memcmp(h + 12, "IHDR", 4) != 0) {
        snprintf(err, n, "PNG file has no IHDR header: damaged");
        return -1;
    }
    out->width = be32(h + 16);
    out->height = be32(h + 20);
    int depth = h[24], color = h[25], interlace = h[28];
    if (fseek(f, size - 12, SEEK_SET) != 0 || fread(tail, 1, 12, f) != 12 || memcmp(tail, iend, 12) != 0) {
        snprintf(err, n, "PNG file is truncated (no IEND chunk at its end)");
        return -1;
    }
    if (depth == 16) {
        snprintf(err, n, "PNG has 16 bits per channel, which the PDF writer cannot embed: save it with 8");
        return -1;
    }
    if (interlace) {
        snprintf(err, n, "PNG is interlaced, which the PDF writer cannot embed: save it without interlacing");
        return -1;
    }
    if (!(depth == 1 || depth == 2 || depth == 4 || depth == 8) || color > 6 || color == 1 || color == 5) {
        snprintf(err, n, "PNG header is invalid (bit depth %d, colour type %d)", depth, color);
        return -1;
    }
    out->kind = RG_IMAGE_PNG;
    return 0;
}

static int probe_jpeg(FILE *f, long size, rg_image_info *out, char *err, size_t n)
{
    unsigned char b[2];
    if (fseek(f, size - 2, SEEK_SET) != 0 || fread(b, 1, 2, f) != 2 || b[0] != 0xFF || b[1] != 0xD9) {
        snprintf(err, n, "JPEG file is truncated (no end marker)");
        return -1;
    }
    if (fseek(f, 2, SEEK_SET) != 0)
        return -1;
    for (;;) {
        unsigned char m[4];
        if (fread(m, 1, 4, f) != 4 || m[0] != 0xFF) {
            snprintf(err, n, "JPEG file is damaged: no frame header");
            return -1;
        }
        int marker = m[1], len = m[2] << 8 | m[3];
        if (len < 2) {
            snprintf(err, n, "JPEG file is damaged: bad segment length");
            return -1;
        }
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
            unsigned char s[6];
            if (fread(s, 1, 6, f) != 6) {
                snprintf(err, n, "JPEG file is truncated");
                return -1;
            }
            out->height = (uint32_t)(s[1] << 8 | s[2]);
            out->width = (uint32_t)(s[3] << 8 | s[4]);
            if (s[5] != 1 && s[5] != 3 && s[5] != 4) {
                snprintf(err, n, "JPEG has %d colour components (1, 3 or 4 can be embedded)", s[5]);
                return -1;
            }
            out->kind = RG_IMAGE_JPEG;
            return 0;
        }
        if (fseek(f, len - 2, SEEK_CUR) != 0) {
            snprintf(err, n, "JPEG file is truncated");
            return -1;
        }
    }
}

int rg_image_probe(const char *path, rg_image_info *out, char *err, size_t n)
{
    memset(out, 0, sizeof *out);
    struct stat st;
    char why0[256];
    int fd = rg_file_open(path, &st, why0, sizeof why0);
    if (fd < 0) {
        if (fd == -1)
            snprintf(err, n, "cannot open image '%s': %s", path, why0);
        else
            snprintf(err, n, "image '%s' is not a regular file", path);
        return -1;
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        snprintf(err, n, "cannot open image '%s': %s", path, strerror(errno));
        return -1;
    }
    if ((unsigned long long)st.st_size > RG_MAX_IMAGE_BYTES) {
        fclose(f);
        snprintf(err, n, "image '%s' is %lld bytes, over the limit of %u", path, (long long)st.st_size,
                 RG_MAX_IMAGE_BYTES);
        return -1;
    }
    unsigned char sig[8] = {0};
    size_t got = fread(sig, 1, 8, f);
    int rc;
    char why[200] = "";
    if (got == 8 && memcmp(sig, "\x89PNG\r\n\x1a\n", 8) == 0)
        rc = probe_png(f, (long)st.st_size, out, why, sizeof why);
    else if (got >= 3 && sig[0] == 0xFF && sig[1] == 0xD8 && sig[2] == 0xFF)
        rc = probe_jpeg(f, (long)st.st_size, out, why, sizeof why);
    else {
        snprintf(why, sizeof why, "not a PNG or JPEG file");
        rc = -1;
    }
    fclose(f);
    if (rc == 0 && (out->width == 0 || out->height == 0 || out->width > RG_MAX_IMAGE_SIDE ||
                    out->height > RG_MAX_IMAGE_SIDE)) {
        snprintf(why, sizeof why, "%u x %u pixels, over the limit of %d on a side", out->width, out->height,
                 RG_MAX_IMAGE_SIDE);
        rc = -1;
    }
    if (rc != 0)
        snprintf(err, n, "image '%s': %s", path, why);
    return rc;
}
