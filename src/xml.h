/* Internal: the stages that read XML (load, validate, check, transform, theme).
 * Only these include libxml2 and libxslt. */
#ifndef RG_XML_H
#define RG_XML_H

#include <libxml/parser.h>
#include <libxml/tree.h>
#include "rg.h"

#include "limits.h"

/* One data file: its bytes (kept for column look-ups) and its tree. */
typedef struct rg_source {
    const char *path;
    char *buf;
    size_t len;
    xmlDocPtr doc;
} rg_source;

/* Reads path (at most cap bytes) and parses it safely: UTF-8 only, no DTD,
 * no entities, no network. On failure (a missing file included) returns
 * RG_EINPUT with diagnostics, and src holds nothing. */
rg_status rg_source_load(rg_source *src, const char *path, size_t cap, rg_diags *d);
void rg_source_free(rg_source *src);
/* src's bytes parsed again into a document of its own (its own dictionary):
 * what another thread may read while src->doc is being transformed. NULL
 * with diagnostics when memory ran out. */
xmlDocPtr rg_source_reparse(const rg_source *src, rg_diags *d);

/* The 1-based column of element elem's start tag on line, or of attr within
 * it when attr is given; 1 when it cannot be found. */
int rg_source_column(const rg_source *src, int line, const char *elem, const char *attr);
/* A warning "placeholder left: WHAT" at each placeholder of src's text,
 * outside comments: "[TODO: WHAT]" in a text or an attribute value, or a
 * processing instruction <?todo WHAT?> beside a value that must be a
 * number or a date (what reportgen new writes). Returns how many. */
int rg_source_placeholders(const rg_source *src, rg_diags *d);

/* Routes libxml2's errors for this thread into d (file: path) until the
 * matching rg_xml_errors_end. At most one capture per thread at a time. */
typedef struct rg_xml_capture {
    rg_diags *d;
    const char *path;
    const rg_source *src;   /* to find columns; may be NULL */
    int count;
    int doctype;            /* a DOCTYPE was seen and refused */
} rg_xml_capture;
void rg_xml_errors_begin(rg_xml_capture *c, rg_diags *d, const char *path, const rg_source *src);
void rg_xml_errors_end(rg_xml_capture *c);

/* Parses an XML file of the program's own (template, theme, grade scale)
 * with the same safety rules; NULL with diagnostics on failure. */
xmlDocPtr rg_xml_read_trusted(const char *path, rg_diags *d);
/* The same, with the tree's names in dict (for libxslt's document loader). */
xmlDocPtr rg_xml_read_shared(const char *path, xmlDictPtr dict, rg_diags *d);
/* A stylesheet, read as rg_xml_read_shared reads (dict may be NULL),
 * without the text of blanks only that XSLT strips. */
xmlDocPtr rg_xml_read_stylesheet(const char *path, xmlDictPtr dict, rg_diags *d);

/* Theme loading (theme.c): the theme file at path, called name in messages.
 * A font file is an absolute path, or relative to the theme's folder, or
 * else looked up in the data folders s (fonts/Lato-Regular.ttf); a logo is
 * absolute or relative to the theme's folder. A font file is opened now,
 * to say at once when it is missing, and read when a document first uses
 * it (rg_theme_font); the theme holds its slot in fonts (the context's:
 * themes and documents share them), or in fonts of its own when fonts is
 * NULL. */
rg_theme *rg_theme_load(const rg_search *s, rg_fonts *fonts, const char *path, const char *name, rg_diags *d);
void rg_theme_free(rg_theme *t);

#endif
