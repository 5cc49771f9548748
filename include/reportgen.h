/* reportgen: XML data to branded, print-ready PDF documents.
 *
 * The one public header. Types are opaque; every call returns an rg_status and
 * leaves its details in an rg_diags list owned by the caller. The library never
 * prints and never exits. */
#ifndef REPORTGEN_H
#define REPORTGEN_H

#include <stddef.h>

#define RG_VERSION "0.1.0"

/* Exit statuses of the command line are the same numbers. */
typedef enum {
    RG_OK = 0,
    RG_EINPUT = 1,  /* bad input: nothing was written */
    RG_EUSAGE = 2,  /* the call itself was wrong */
    RG_EOUTPUT = 3  /* the output could not be written (or memory ran out) */
} rg_status;

typedef enum { RG_SEV_ERROR, RG_SEV_WARNING, RG_SEV_NOTE } rg_severity;

typedef struct rg_diag {
    const char *file; /* may be "" when no file is concerned */
    int line, col;    /* 1-based; 0 when unknown */
    rg_severity severity;
    const char *message;
} rg_diag;

typedef struct rg_diags rg_diags;
typedef struct rg_context rg_context;

/* Diagnostics: a growing list the caller owns and frees. */
rg_diags *rg_diags_new(void);
void rg_diags_free(rg_diags *d);
size_t rg_diags_count(const rg_diags *d);
const rg_diag *rg_diags_get(const rg_diags *d, size_t i);
size_t rg_diags_errors(const rg_diags *d);
/* Writes "file:line:col: severity: message" into buf (always NUL-terminated). */
void rg_diag_format(const rg_diag *dg, char *buf, size_t size);

/* A context holds what is compiled once and reused for many documents:
 * schemas, stylesheets, themes and parsed fonts. datadir holds templates/ and
 * fonts/. NULL when memory runs out. One context per thread. The first call
 * sets, for the whole process, libxml2's allocator (src/reserve.c), a silent
 * default error channel for libxml2 and libxslt, and libxslt's document
 * loader (local files only, read with the same limits as templates). */
rg_context *rg_context_new(const char *datadir);
void rg_context_free(rg_context *ctx);

/* Adds a folder laid out like the data folder (templates/, fonts/), searched
 * before datadir and after the folders added before it. Every file read from
 * the data folder (a kind's schema.xsd, layout.xsl, check.xsl, grades.xml, a
 * theme, a font, a file a template reads with document() or xsl:import) is
 * taken from the first folder that has it, so a folder may hold one file.
 * Call before the first document. RG_OK; RG_EINPUT (details in d) when dir
 * is not a folder or there are already 16; RG_EOUTPUT when memory ran out. */
rg_status rg_context_add_folder(rg_context *ctx, const char *dir, rg_diags *d);

/* How many threads one render may use (1 unless set): with 2 or more, a
 * document's checks (check.xsl) run on a second thread while it is laid
 * out, written only once they pass, and its streams are compressed there;
 * data under 8 kB renders on one (a second costs a one-page card more
 * than it saves). What is said, and written, is the same as with one. */
void rg_context_set_threads(rg_context *ctx, int n);

/* Every PDF is synced before it is renamed into place, so a crash leaves
 * the earlier file or the new one whole; the folder is then synced so the
 * rename lasts too. With on, folders are synced once, by
 * rg_context_sync_folders (or rg_context_free), not after every file: for
 * a batch writing many files into one folder. */
void rg_context_sync_later(rg_context *ctx, int on);
void rg_context_sync_folders(rg_context *ctx);
/* Syncs the folder dir, so that files renamed into it stay there after a
 * crash (a failure is not reported: the files are in place already). */
void rg_sync_folder(const char *dir);

/* Where the context names the temporary file it is writing, so that a
 * signal handler, or the parent of a process that died, can remove it by
 * its exact name: the path is stored NUL-terminated, its first byte last,
 * before the file is created, and slot[0] is set to 0 once the file has
 * been renamed or removed. slot may be shared memory; NULL for none. */
void rg_context_set_temp_slot(rg_context *ctx, volatile char *slot, size_t size);

/* The files ctx has read so far (data files, schemas, templates, themes,
 * fonts, images, hyphenation patterns) in the order first read, under the
 * path each was opened by: file i for i < rg_context_input_count (a file
 * read again long after may be listed twice; one whose entry found no
 * memory is missing). A context made for one render lists what that render
 * read: what a watcher has to watch. The strings live as long as ctx. */
size_t rg_context_input_count(const rg_context *ctx);
const char *rg_context_input(const rg_context *ctx, size_t i);

/* The files ctx looked for and did not find (an image a document names, a
 * theme's logo, a theme file), each once, in the order looked for: file i
 * for i < rg_context_missing_count. A watcher waits for them to appear. */
size_t rg_context_missing_count(const rg_context *ctx);
const char *rg_context_missing(const rg_context *ctx, size_t i);

/* Pages of the document the last rg_render_file or rg_overview_dir on ctx
 * laid out; 0 when that call stopped before its layout was done. */
int rg_context_pages(const rg_context *ctx);

typedef enum { RG_FORMAT_PDF, RG_FORMAT_TRACE } rg_format;
/* RG_PDF_ARCHIVAL: PDF/A-2a and PDF/UA-1, identified in XMP metadata, with
 * an sRGB output intent. RG_PDF_PLAIN: neither the claim nor those parts
 * (the structure tree and page labels stay). */
typedef enum { RG_PDF_ARCHIVAL, RG_PDF_PLAIN } rg_pdf_standard;

typedef struct rg_render_options {
    const char *theme;     /* a theme's name (templates/themes/NAME.xml in the data
                              folders), or a path when it holds '/' or ends in .xml;
                              NULL: the one the kind's layout names */
    rg_format format;      /* PDF or the layout trace used by tests */
    long long epoch;       /* creation date as Unix time; -1: from the data, else none */
    int strict;            /* warnings stop the render */
    const char *root;      /* the folder whose files a document may name (images);
                              NULL: the data file's own folder. The templates
                              in use are always readable. */
    rg_pdf_standard pdf_standard; /* the standards the PDF claims (and meets) */
} rg_render_options;

/* Loads, validates and checks one data file; warnings and errors go to d.
 * Returns RG_EINPUT when an error was found (or a warning under strict). */
rg_status rg_check_file(rg_context *ctx, const char *path, int strict, rg_diags *d);
/* Rules about several documents together (a national rank held by one
 * card of a year's framework): for each kind among paths whose templates
 * have a set-check.xsl, that stylesheet runs over one document <set>
 * holding every valid document of that kind, each root carrying
 * source="PATH"; its findings name the files they are about. A document
 * that does not load or validate is left out (its own check says why).
 * RG_OK; RG_EINPUT when a rule found an error (or a warning, when strict);
 * RG_EOUTPUT when memory ran out. */
rg_status rg_check_set(rg_context *ctx, const char *const *paths, size_t n, int strict, rg_diags *d);

/* The whole pipeline. The output appears at out_path complete or not at all:
 * it is written to a temporary file beside it and renamed. out_path "-" writes
 * to standard output (trace format only). An out_path that is one of the
 * files read (the data file, an image, a template, a theme, a font: the same
 * device and inode) is refused with RG_EUSAGE and left as it is. */
rg_status rg_render_file(rg_context *ctx, const char *in_path, const char *out_path,
                         const rg_render_options *opt, rg_diags *d);

/* The national overview: every report card in dir (its *.xml files, each
 * validated and checked) rendered as one document of kind "overview". */
rg_status rg_overview_dir(rg_context *ctx, const char *dir, const char *out_path,
                          const rg_render_options *opt, rg_diags *d);

typedef struct rg_new_options {
    const char *state;     /* the state the document is about; NULL: a placeholder */
    int year;              /* the document's year */
    const char *framework; /* a grading framework by name, for kinds that have
                              several (report-card: frameworks/NAME.xml); NULL:
                              the kind's default */
} rg_new_options;

/* A starter data file of kind (templates/KIND/starter.xsl, run with the
 * parameters state, year and framework, '' for those not given) written to
 * out_path, which must not exist: every part the kind requires is there,
 * each value still to be written marked as a placeholder that
 * rg_check_file warns about. RG_OK; RG_EUSAGE when the kind has no
 * starter, the state, year or framework is not one, or out_path exists
 * (it is left as it is); RG_EINPUT when the starter failed; RG_EOUTPUT
 * when the file could not be written. */
rg_status rg_new_file(rg_context *ctx, const char *kind, const rg_new_options *opt, const char *out_path,
                      rg_diags *d);
/* The kinds rg_new_file can write, "analysis, annual-report, ...", in buf
 * (always NUL-terminated; "none" when there are none). */
void rg_new_kinds(const rg_context *ctx, char *buf, size_t size);

/* Spreadsheets (a CSV file, or an XLSX workbook's first sheet or the one
 * opt->sheet names): one report card per row, columns named as the kind's
 * data reference lists them (templates/report-card/README.md). Every
 * message about a row names its cell: "cards.csv:7:3" or
 * "cards.xlsx:Sheet1!C7". */
typedef struct rg_import rg_import;

typedef struct rg_import_options {
    const char *sheet;         /* an XLSX sheet's name; NULL: the first */
    const char *template_card; /* a card whose values stand for the columns the
                                  sheet lacks (title, dates, learn-more entries),
                                  its state's name and slug made the row's; NULL */
    int strict;                /* a warning makes a row bad */
} rg_import_options;

/* Writes one data file per row into out_dir (made when missing), each
 * validated and checked first: when any row is bad, nothing is written and
 * RG_EINPUT is returned. */
rg_status rg_import_sheet(rg_context *ctx, const char *sheet_path, const rg_import_options *opt,
                          const char *out_dir, rg_diags *d);
/* The same rows checked and written into the existing folder stage, each
 * good row's file kept there for rendering: RG_OK when every row is good,
 * RG_EINPUT when some are bad (*out then still lists the good ones), or
 * with *out NULL when the sheet as a whole is unusable (a missing column).
 * rg_import_free removes the files. */
rg_status rg_import_stage(rg_context *ctx, const char *sheet_path, const rg_import_options *opt,
                          const char *stage, rg_import **out, rg_diags *d);
size_t rg_import_count(const rg_import *im);
/* Row i's file in the stage folder; NULL when the row is bad. */
const char *rg_import_staged(const rg_import *im, size_t i);
/* Row i's file name ("texas.xml"). */
const char *rg_import_name(const rg_import *im, size_t i);
/* Row i's first error, as a message ("cards.csv:7:3: error: ..."); NULL
 * when it has none. */
const char *rg_import_error(const rg_import *im, size_t i);
/* Where row i is: its state's cell ("cards.csv:7:1", "cards.xlsx:Sheet1!A7"). */
void rg_import_where(const rg_import *im, size_t i, char *buf, size_t size);
/* Adds g to d, told at the cell its value came from when it is about a
 * staged file. */
void rg_import_remap(const rg_import *im, const rg_diag *g, rg_diags *d);
/* The same for a message already formatted ("PATH:LINE:COL: error: ..."). */
int rg_import_remap_text(const rg_import *im, const char *msg, char *buf, size_t size);
void rg_import_free(rg_import *im);

/* Writes the report cards of dir (*.xml, each checked first) as one CSV
 * sheet at out_path, with the columns rg_import_sheet reads: importing it
 * gives the same cards back. */
rg_status rg_export_dir(rg_context *ctx, const char *dir, const char *out_path, rg_diags *d);

#endif
