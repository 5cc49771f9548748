/* libFuzzer harness: the loader, the schema validator and the check rules
 * (make fuzz). Each input is written to a file and checked with one context
 * made once, as `reportgen check` does for many files. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "reportgen.h"
#include "fuzz_common.h"

static rg_context *ctx;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_init("check");
    ctx = rg_context_new(getenv("REPORTGEN_DATADIR"));
    if (!ctx)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write(data, size);
    rg_diags *d = rg_diags_new();
    if (!d)
        abort();
    rg_status st = rg_check_file(ctx, path, (int)(size & 1), d);
    fuzz_diags(d, st);
    rg_diags_free(d);
    return 0;
}
