/* Internal: the PDF painter's file writer (pdf_save.c). Only the painter
 * includes it: it speaks libharu's types. */
#ifndef RG_PDF_SAVE_H
#define RG_PDF_SAVE_H

#include <stddef.h>
#include <hpdf.h>

/* Writes every object of pdf's cross-reference table as a PDF 1.7 file:
 * streams as objects of their own, every other object packed into
 * deflated object streams, a cross-reference stream with an /ID made from
 * the bytes before it. The file is a new malloc'ed block (*out, *size).
 * Returns 0; or -1 with *oom set when our own allocation failed, or with
 * libharu's error on pdf (HPDF_GetError) when one of its calls did.
 * Numbers the objects anew and runs their write callbacks: pdf is for
 * freeing afterwards, not for saving again. */
int rg_pdf_save(HPDF_Doc pdf, unsigned char **out, size_t *size, int *oom);
/* The same, refusing a file past cap bytes: -2 then, nothing made.
 * rg_pdf_save's cap is RG_PDF_MAX_BYTES: the cross-reference stream and
 * libharu's stream sizes count offsets in 32 bits. */
#define RG_PDF_MAX_BYTES 0xFFFFFFFFu
int rg_pdf_save_capped(HPDF_Doc pdf, size_t cap, unsigned char **out, size_t *size, int *oom);

#endif
