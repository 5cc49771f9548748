/* The command line's own helpers (main.c, cli_batch.c): not part of the library. */
#ifndef RG_CLI_H
#define RG_CLI_H

#include "reportgen.h"

/* A command of the command line: "reportgen NAME ...". main.c lists them. */
typedef struct cli_command {
    const char *name;
    /* its arguments, as "usage: reportgen NAME SYNOPSIS" shows them; lines
       after the first are indented under the first */
    const char *synopsis;
    /* one line for the list of commands in reportgen --help */
    const char *summary;
    /* what reportgen NAME --help prints after the synopsis: what it does,
       then "Options:", one option a line, as man/reportgen.1 has them */
    const char *help;
    /* argv holds the arguments after NAME; returns the exit status */
    int (*run)(int argc, char **argv);
} cli_command;

extern const cli_command cli_cmd_render, cli_cmd_check, cli_cmd_overview, cli_cmd_batch, cli_cmd_import,
    cli_cmd_export, cli_cmd_watch, cli_cmd_new;

/* Says "reportgen: " fmt (with arg) on stderr, then the usage of the
 * command being run; returns the usage status. */
int cli_usage_error(const char *fmt, const char *arg);
/* 0 when out names a PDF (or is "-"); 1 after a usage error saying that it
 * should end in .pdf. */
int cli_pdf_name_bad(const char *out);
/* REPORTGEN_DATADIR, or NULL for the built-in default. */
const char *cli_datadir(void);
/* The same, with the built-in default filled in. */
const char *cli_datadir_or_default(void);
/* A context on REPORTGEN_DATADIR with the folders of REPORTGEN_PATH added
 * before it. NULL after printing why; *status is then the exit status. */
rg_context *cli_context_new(int *status);
/* The folders of REPORTGEN_PATH, then the base: calls fn for each that is set. */
void cli_each_folder(void (*fn)(const char *dir, void *arg), void *arg);
/* SOURCE_DATE_EPOCH into *out (-1 when unset); -1 when it is not a time. */
int cli_epoch(long long *out);
/* --pdf-standard's value into *out: 0, or -1 when it is none of these. */
#define CLI_PDF_STANDARDS "a-2a,ua-1 or none"
int cli_pdf_standard(const char *v, rg_pdf_standard *out);
/* Prints d's diagnostics on stderr, one a line. */
void cli_print_diags(const rg_diags *d);
/* Does path name a sheet (.csv or .xlsx)? */
int cli_is_sheet(const char *path);
/* For batch: makes a folder (its name into stage) and stages the sheet's
 * rows there (rg_import_stage), printing what is said of them. The rows,
 * *bad the number of bad ones; or NULL, *bad the exit status. */
rg_import *cli_sheet_stage(const char *sheet, const rg_import_options *io, char *stage, size_t size, int *bad);
/* 0 when REPORTGEN_DATADIR is unset or holds templates/; else says so on
 * stderr and returns the usage status. */
int cli_datadir_usable(void);
/* Is path a folder (or a link to one)? */
int cli_is_folder(const char *path);
/* Names ctx's temporary file where a handler of SIGINT, SIGTERM, SIGHUP
 * and SIGQUIT removes it before the signal ends the process. */
void cli_guard_temp_files(rg_context *ctx);
/* Flushes standard output: 0, or 1 after saying on stderr that what went
 * there was lost (closed, a full device, a reader gone). */
int cli_stdout_failed(void);
/* The processors this process may run on (its affinity), at least 1. */
int cli_cores(void);
/* A REPORTGEN_THREADS that is not a number from 1 to 1024 is said (a
 * usage error: RG_EUSAGE back); 0 when it is good or unset. */
int cli_threads_bad(void);
/* Ends with a finished context: its deferred folder syncs made, and, when
 * REPORTGEN_FREE_AT_EXIT is set (leak checkers: tests/run.sh), all it holds
 * freed; otherwise the process's end frees it, 0.5 ms sooner. */
void cli_context_done(rg_context *ctx);

#endif
