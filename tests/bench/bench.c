/* In-process timing: renders one document N times with one context (what a
 * batch pays per document) and prints the median and the process's peak RSS. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include "reportgen.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: bench IN.xml OUT.pdf N\n");
        return 2;
    }
    int n = atoi(argv[3]);
    if (n < 1 || n > 100000)
        return 2;
    double *t = calloc((size_t)n, sizeof *t);
    rg_context *ctx = rg_context_new(getenv("REPORTGEN_DATADIR"));
    if (!t || !ctx)
        return 3;
    rg_render_options opt = {NULL, RG_FORMAT_PDF, -1, 0, NULL, RG_PDF_ARCHIVAL};
    struct timespec a, b, first;
    for (int i = 0; i < n; i++) {
        rg_diags *d = rg_diags_new();
        clock_gettime(CLOCK_MONOTONIC, &a);
        rg_status st = rg_render_file(ctx, argv[1], argv[2], &opt, d);
        clock_gettime(CLOCK_MONOTONIC, &b);
        rg_diags_free(d);
        if (st != RG_OK) {
            fprintf(stderr, "bench: render failed (%d)\n", st);
            return 1;
        }
        t[i] = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
        if (i == 0)
            first = b;
    }
    (void)first;
    double first_ms = t[0];
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("first_ms=%.2f median_ms=%.2f min_ms=%.2f peak_rss_kb=%ld\n", first_ms, t[n / 2], t[0], ru.ru_maxrss);
    rg_context_free(ctx);
    free(t);
    return 0;
}
