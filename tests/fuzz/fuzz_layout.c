/* libFuzzer harness: the layout document path (make fuzz). Each input is
 * written to a file and rendered to the layout trace on standard output
 * (sent to /dev/null): a <document> goes straight to the layout engine and
 * the trace painter; a data file goes through its kind's templates first. */
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
    fuzz_init("layout");
    if (!freopen("/dev/null", "w", stdout))
        abort();
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
    rg_render_options opt = {NULL, RG_FORMAT_TRACE, 1635724800, 0};
    rg_status st = rg_render_file(ctx, path, "-", &opt, d);
    fuzz_diags(d, st);
    rg_diags_free(d);
    return 0;
}
