/* Internal: spreadsheets (sheet.c) read into rows of cells, each cell with
 * its address, and their mapping to report cards (card_sheet.c). */
#ifndef RG_SHEET_H
#define RG_SHEET_H

#include "rg.h"

/* Limits on a sheet (README.md, "Limits"). */
#define RG_SHEET_MAX_BYTES (16u << 20)  /* a CSV file, an XLSX file, one part of an XLSX unpacked */
#define RG_SHEET_MAX_INDEX (1u << 20)   /* an XLSX's workbook.xml and its relationships, unpacked */
#define RG_SHEET_MAX_PARTS (64u << 20)  /* the parts of an XLSX read, unpacked, together */
#define RG_SHEET_MAX_ROWS 10000
#define RG_SHEET_MAX_COLS 1000
#define RG_SHEET_MAX_CELLS 1048576      /* in the rows kept, empty ones between others counted */

typedef struct rg_cell {
    char *text;   /* UTF-8, never NULL ("" for an empty cell) */
    int col;      /* 1-based column */
    int number;   /* an XLSX number cell (its text as written in the file) */
} rg_cell;

typedef struct rg_sheet_row {
    int row;      /* CSV: the line the record starts on; XLSX: the row number */
    rg_cell *cell;
    int n;        /* cells, in column order; a missing column is an empty cell */
} rg_sheet_row;

typedef struct rg_sheet {
    char *path;   /* as given */
    char *name;   /* the XLSX sheet's name; NULL for a CSV file */
    char *sheets; /* the workbook's sheets ("'Notes', 'Cards'"); NULL for a CSV file */
    rg_sheet_row *row;
    int n;
    int virtual_from;     /* columns from here on were not in the file but */
    char *virtual_source; /* taken from this file (a template card); 0, NULL */
} rg_sheet;

/* Reads path: a CSV file (UTF-8 with or without a byte-order mark, comma or
 * semicolon as the header line shows, RFC 4180 quoting) or, when its name
 * ends in .xlsx, an Office Open XML workbook (its first sheet, or the one
 * called sheet_name). Rows wholly empty are left out. RG_OK, or RG_EINPUT
 * (RG_EOUTPUT when memory ran out) with diagnostics naming the file. */
rg_status rg_sheet_read(rg_sheet *s, const char *path, const char *sheet_name, rg_diags *d);
void rg_sheet_free(rg_sheet *s);
/* The text of row r's cell in column col ("" when the row is shorter). */
const char *rg_sheet_text(const rg_sheet_row *r, int col);
int rg_sheet_is_number(const rg_sheet_row *r, int col);
/* Adds a diagnostic at a cell: "scores.csv:7:3: error: ..." or
 * "scores.xlsx:Sheet1!C7: error: ..." (col 0: the row alone). */
int rg_sheet_diag(rg_diags *d, const rg_sheet *s, rg_severity sev, int row, int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Sets row r's cell in column col (text is taken over), making the row
 * longer when needed. 0, or -1 when memory ran out (text then freed). */
int rg_sheet_set(rg_sheet_row *r, int col, char *text);
/* Would a spreadsheet take the n bytes at s for a formula ('=', '+', '-'
 * or '@' first, after any apostrophes) rather than a number? Export writes
 * such a text with an apostrophe before it, as spreadsheets do, and a CSV
 * cell so written is read back without it. */
int rg_sheet_formula_like(const char *s, size_t n);
/* "C" for 3, "AA" for 27. */
void rg_sheet_col_name(int col, char *buf, size_t size);

#endif
