/* Drives a painter over a page list. */
#include "rg.h"

int rg_paint(const rg_pagelist *pl, const rg_painter *p)
{
    int rc = p->begin ? p->begin(p->self, pl) : 0;
    for (const rg_page *pg = pl->first; pg && rc == 0; pg = pg->next) {
        rc = p->page(p->self, pg);
        for (const rg_prim *q = pg->first; q && rc == 0; q = q->next)
            rc = p->prim(p->self, q);
    }
    if (rc == 0)
        rc = p->end ? p->end(p->self) : 0;
    if (rc != 0 && p->discard)
        p->discard(p->self);
    return rc;
}
