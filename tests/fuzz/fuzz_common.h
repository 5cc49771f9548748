/* What the harnesses share: the input file and the checks on diagnostics. */
#ifndef RG_FUZZ_COMMON_H
#define RG_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "reportgen.h"

static char fuzz_path[256];

static void fuzz_cleanup(void)
{
    unlink(fuzz_path);
}

/* One file per process, in memory when /dev/shm is there. */
static void fuzz_init(const char *name)
{
    const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(fuzz_path, sizeof fuzz_path, "%s/reportgen-fuzz-%s.%ld.xml", dir, name, (long)getpid());
    atexit(fuzz_cleanup);
}

static const char *fuzz_write(const uint8_t *data, size_t size)
{
    FILE *f = fopen(fuzz_path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    return fuzz_path;
}

/* The library's promises: a failure always says why, every message formats,
 * a status is one of the four (a warning under strict is a reason too). */
static void fuzz_diags(const rg_diags *d, rg_status st)
{
    char buf[2048];
    if (st != RG_OK && st != RG_EINPUT && st != RG_EUSAGE && st != RG_EOUTPUT)
        abort();
    if (st != RG_OK && rg_diags_count(d) == 0)
        abort();
    for (size_t i = 0; i < rg_diags_count(d); i++) {
        const rg_diag *g = rg_diags_get(d, i);
        if (!g || !g->message || !g->file)
            abort();
        rg_diag_format(g, buf, sizeof buf);
    }
}

#endif
