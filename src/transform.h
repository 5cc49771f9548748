/* Internal: document kinds and their XSLT stages. */
#ifndef RG_TRANSFORM_H
#define RG_TRANSFORM_H

#include <libxml/xmlschemas.h>
#include <libxslt/xsltInternals.h>
#include "xml.h"

/* A document kind, compiled once per context: templates/<name>/. */
typedef struct rg_kind {
    char *name;
    char *dir;
    xmlSchemaPtr schema;
    xmlDocPtr schema_doc;      /* the schema's tree: its components point into it */
    xsltStylesheetPtr check, layout;
    xsltStylesheetPtr set_check;  /* set-check.xsl: rules about several documents together, or NULL */
    char *check_path, *layout_path, *set_check_path;
    rg_grade_scale scale;
    const rg_search *search;   /* the context's data folders, for document() */
} rg_kind;

int rg_transform_init(void); /* 0, or -1 when memory ran out (try again later) */
/* Compiles the stylesheet at path; its xsl:import and xsl:include files,
 * when they lie in one of the data folders s (may be NULL), come from the
 * first folder that has them. */
xsltStylesheetPtr rg_xslt_compile(const char *path, const rg_search *s, rg_diags *d);
/* Applies s to in with kind k available to rg:grade(), and k's data
 * folders to document(); NULL on failure. */
xmlDocPtr rg_xslt_apply(xsltStylesheetPtr s, const char *style_path, xmlDocPtr in,
                        const rg_kind *k, const char **params, rg_diags *d);
/* The layout document as a plain tree; lines: keep source line numbers (a
 * document the user wrote; a template's output has none worth keeping). */
rg_node *rg_tree_from_xml(rg_arena *a, xmlDocPtr doc, int lines);

#endif
