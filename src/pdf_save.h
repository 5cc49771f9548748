/* Internal: the PDF painter's file writer (pdf_save.c). Only the painter
 * includes it: it speaks libharu's types. */
#ifndef RG_PDF_SAVE_H
#define RG_PDF_SAVE_H

#include <stddef.h>
#include <hpdf.h>

struct libdeflate_compressor;

/* The compressors a writer keeps from one document to the next (made on
 * first use; libdeflate_free_compressor), and how many threads may
 * compress: with 2 or more, the streams are shared out between this
 * thread and a second one before they are written. */
typedef struct rg_deflate {
    struct libdeflate_compressor *z[2];
    int threads;
    struct rg_early *early;   /* streams deflated while the document is painted, or NULL */
    unsigned long early_taken; /* streams saved from those bytes, all documents */
} rg_deflate;

/* A finished stream (a page's contents, written no more) deflated now, on
 * a second thread beside the painting of the next pages, when dz->threads
 * is 2 or more; rg_pdf_save takes its bytes. When no thread or memory can
 * be had, nothing: rg_pdf_save deflates it as any other. */
void rg_deflate_early(rg_deflate *dz, HPDF_Dict d);
/* Ends the early deflation: waits for the thread, drops what rg_pdf_save
 * did not take. Before the document is freed; again is harmless. */
void rg_deflate_early_end(rg_deflate *dz);

/* libdeflate's level for every deflated stream, measured (render in
 * process, ms; bytes) on the card, the annual report and 51 cards:
 *   zlib 6 (libharu's):  4.7   25,694   20.4   88,827   1,229,812
 *   level 2:             3.75  26,635   14.8   95,857   1,269,532
 *   level 4:             3.85  26,160   15.2   92,278   1,251,745
 *   level 6:             4.1   25,466   16.5   86,780   1,220,982
 * 4 keeps most of the time of 2 at half its extra bytes. */
#ifndef RG_DEFLATE_LEVEL
#define RG_DEFLATE_LEVEL 4
#endif

/* Writes every object of pdf's cross-reference table as a PDF 1.7 file:
 * streams as objects of their own, every other object packed into
 * deflated object streams, a cross-reference stream with an /ID made from
 * the bytes before it. The file is a new malloc'ed block (*out, *size).
 * Returns 0; or -1 with *oom set when our own allocation failed, or with
 * libharu's error on pdf (HPDF_GetError) when one of its calls did.
 * Numbers the objects anew and runs their write callbacks: pdf is for
 * freeing afterwards, not for saving again.
 * Deflates with dz's compressors (the same bytes however many threads). */
int rg_pdf_save(HPDF_Doc pdf, rg_deflate *dz, unsigned char **out, size_t *size, int *oom);
/* The same, refusing a file past cap bytes: -2 then, nothing made.
 * rg_pdf_save's cap is RG_PDF_MAX_BYTES: the cross-reference stream and
 * libharu's stream sizes count offsets in 32 bits. */
#define RG_PDF_MAX_BYTES 0xFFFFFFFFu
int rg_pdf_save_capped(HPDF_Doc pdf, rg_deflate *dz, size_t cap, unsigned char **out, size_t *size, int *oom);

#endif
