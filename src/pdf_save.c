/* pdf_save.c: libharu's objects written as a PDF 1.7 file with object
 * streams and a cross-reference stream, which libharu 2.3.0 cannot write.
 *
 * Why: a tagged document is mostly small dictionaries (the annual report's
 * structure elements alone are hundreds), and libharu writes each one as
 * plain text with a 20-byte line of its own in the cross-reference table.
 * Packed into deflated object streams, with a deflated cross-reference
 * stream, they take a fraction of that.
 * - Everything is written with libharu's own serializer (HPDF_Obj_Write);
 *   this file only decides where each object goes and numbers them.
 * - A stream (page contents, a font, an image, a ToUnicode CMap, metadata)
 *   cannot be packed: it is written as an object of its own with its data
 *   as libharu prepares it, except that /Length is a direct number, so the
 *   indirect Length objects libharu makes for it are left out.
 * - Objects keep libharu's order and are numbered anew without the Length
 *   objects; the object streams and the cross-reference stream come last.
 *   References are written from the referenced object's number, so
 *   numbering anew is setting that number.
 * - The packed objects are written before the streams: a page's write
 *   callback may still close its content stream, as in libharu's order.
 * - /ID is the MD5 (libharu's) of every byte before the cross-reference
 *   stream: the same document gives the same file, another one another ID.
 * - Deflate is libdeflate's, not libharu's zlib: whole buffers at once,
 *   about 3 times faster at the same size (zlib was a fifth of a render's
 *   instructions). A stream's data is gathered from libharu's memory
 *   stream and compressed in one call. */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_encrypt.h>
#include <hpdf_utils.h>
#include <libdeflate.h>

#include "pdf_save.h"

/* Exported by libharu 2.3.0 but missing from its headers; HPDF_Dict_Write
 * uses it for a stream's /DecodeParms. */
HPDF_STATUS HPDF_Dict_Add_FilterParams(HPDF_Dict dict, HPDF_Dict filterParam);

/* Objects per object stream: an index fits one byte of the cross-reference
 * stream, and a reader inflates at most this many to reach one. */
#define PACK_MAX 255

#define NUM(obj) (((HPDF_Obj_Header *)(obj))->obj_id & 0x00FFFFFFu)

enum { PACKED, STREAM, LEFT_OUT };

/* A buffer grown as libharu writes into it: the file, and the scratch
 * streams (a callback writer: libharu's memory streams copy byte by byte). */
typedef struct filebuf {
    unsigned char *p;
    size_t n, cap;
    size_t max;     /* the buffer may not grow past it */
    int oom, big;
} filebuf;

/* One cross-reference stream entry: 1 (at an offset), 2 (the index-th
 * object of object stream f2) or 0 (free). */
typedef struct xrow {
    unsigned char type;
    uint32_t f2;
    unsigned char f3;
} xrow;

typedef struct saver {
    HPDF_Doc pdf;
    unsigned nent;         /* libharu's entries, its free entry 0 included */
    unsigned char *kind;   /* per entry */
    uint32_t *packed;      /* the entries to pack, in order */
    unsigned npacked;
    unsigned nkept;        /* objects numbered 1..nkept */
    xrow *rows;            /* per object number, size of them */
    unsigned size;         /* 1 + kept + object streams + the xref stream */
    HPDF_Stream out;       /* writes to file */
    HPDF_Stream a, b;      /* scratch, written into abuf and bbuf */
    filebuf file, abuf, bbuf;
    struct libdeflate_compressor *z;
    unsigned char *in, *zout; /* data gathered for deflate, and deflated */
    size_t in_n, in_cap, zout_n, zout_cap;
    struct squeezed *pre;  /* per entry: its stream deflated before the writing (precompress), or NULL */
} saver;

/* A stream deflated ahead (precompress). */
typedef struct squeezed {
    unsigned char *p;
    size_t n;
} squeezed;

static HPDF_STATUS file_write(HPDF_Stream st, const HPDF_BYTE *p, HPDF_UINT n)
{
    filebuf *f = st->attr;

    if (n > f->max - f->n) {
        f->big = 1;
        return HPDF_SetError(st->error, HPDF_STREAM_EOF, 0);
    }
    if (n > f->cap - f->n) {
        size_t cap = f->cap ? f->cap : 65536;
        while (cap - f->n < n)
            cap *= 2;
        unsigned char *q = realloc(f->p, cap);
        if (!q) {
            f->oom = 1;
            return HPDF_SetError(st->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
        }
        f->p = q;
        f->cap = cap;
    }
    memcpy(f->p + f->n, p, n);
    f->n += n;
    return HPDF_OK;
}

static HPDF_STATUS putf(HPDF_Stream st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static HPDF_STATUS putf(HPDF_Stream st, const char *fmt, ...)
{
    char line[400];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    return HPDF_Stream_WriteStr(st, line);
}

/* Makes room for n bytes in *p (capacity *cap); -1: out of memory. */
static int grow(unsigned char **p, size_t *cap, size_t n)
{
    if (n <= *cap)
        return 0;
    size_t c = *cap ? *cap : 65536;
    while (c < n)
        c *= 2;
    unsigned char *q = realloc(*p, c);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

/* Appends a memory stream's bytes to the buffer *in (*n used of *cap);
 * -1: out of memory. */
static int gather_into(HPDF_Stream st, unsigned char **in, size_t *n, size_t *cap)
{
    if (grow(in, cap, *n + st->size))
        return -1;
    HPDF_UINT count = HPDF_MemStream_GetBufCount(st);
    for (HPDF_UINT i = 0; i < count; i++) {
        HPDF_UINT len = 0;
        HPDF_BYTE *p = HPDF_MemStream_GetBufPtr(st, i, &len);
        if (!p || len > *cap - *n)
            return -1;
        memcpy(*in + *n, p, len);
        *n += len;
    }
    return 0;
}

/* Appends a memory stream's bytes to w->in; -1: out of memory. */
static int gather(saver *w, HPDF_Stream st)
{
    return gather_into(st, &w->in, &w->in_n, &w->in_cap);
}

/* Appends f's bytes to w->in; -1: out of memory. */
static int gather_buf(saver *w, const filebuf *f)
{
    if (grow(&w->in, &w->in_cap, w->in_n + f->n))
        return -1;
    memcpy(w->in + w->in_n, f->p, f->n);
    w->in_n += f->n;
    return 0;
}

/* Empties scratch stream st (a or b). */
static void empty(HPDF_Stream st)
{
    ((filebuf *)st->attr)->n = 0;
    st->size = 0;
}

/* w->in deflated (zlib format) into w->zout, and w->in emptied; -1: out
 * of memory. */
static int squeeze(saver *w)
{
    if (!w->z)
        return -1;
    size_t bound = libdeflate_zlib_compress_bound(w->z, w->in_n);
    if (grow(&w->zout, &w->zout_cap, bound))
        return -1;
    w->zout_n = libdeflate_zlib_compress(w->z, w->in, w->in_n, w->zout, bound);
    w->in_n = 0;
    return w->zout_n ? 0 : -1;
}

/* Streams deflated on two threads before they are written: the streams
 * (page contents, fonts, the profile, the metadata) are shared out by size
 * between this thread and a second one, each with its compressor, and
 * write_stream takes the bytes ready. The same bytes as one thread makes
 * (each stream is deflated alone either way). A stream whose turn found
 * no memory is left to write_stream, which deflates it as before. */
typedef struct squeeze_job {
    struct libdeflate_compressor *z;
    unsigned *at;          /* the entries of its streams */
    unsigned n;
    saver *w;
    unsigned char *in;     /* gathered bytes */
    size_t in_cap;
} squeeze_job;

static void *squeeze_thread(void *arg)
{
    squeeze_job *j = arg;
    for (unsigned i = 0; i < j->n; i++) {
        HPDF_Dict d = HPDF_Xref_GetEntry(j->w->pdf->xref, j->at[i])->obj;
        size_t n = 0;
        if (gather_into(d->stream, &j->in, &n, &j->in_cap))
            continue;
        size_t bound = libdeflate_zlib_compress_bound(j->z, n);
        unsigned char *z = malloc(bound);
        size_t zn = z ? libdeflate_zlib_compress(j->z, j->in, n, z, bound) : 0;
        if (zn)
            j->w->pre[j->at[i]] = (squeezed){z, zn};
        else
            free(z);
    }
    return NULL;
}

/* Is entry i's stream one write_stream deflates from memory? */
static HPDF_Dict deflated_stream(saver *w, unsigned i)
{
    if (w->kind[i] != STREAM)
        return NULL;
    HPDF_Dict d = HPDF_Xref_GetEntry(w->pdf->xref, i)->obj;
    return d && d->stream && !d->before_write_fn && (d->filter & HPDF_STREAM_FILTER_FLATE_DECODE) &&
                   d->stream->type == HPDF_STREAM_MEMORY ? d : NULL;
}

/* ---- Early: a page's contents deflated while the next pages are painted.
 * The queue is the thread's to take from in order; each result goes back
 * into its item, read once the thread has ended (early_stop). */
typedef struct early_item {
    HPDF_Dict d;
    HPDF_Stream st;
    size_t size;           /* the stream's size when given: one that grew since is not taken */
    unsigned char *z;      /* deflated, or NULL */
    size_t zn;
} early_item;

struct rg_early {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    early_item *v;
    size_t n, cap, next;   /* items given; the first the thread has not taken */
    int done;
    struct libdeflate_compressor *z;
    unsigned char *in;
    size_t in_cap;
};

static void *early_thread(void *arg)
{
    struct rg_early *e = arg;
    pthread_mutex_lock(&e->mu);
    for (;;) {
        while (e->next == e->n && !e->done)
            pthread_cond_wait(&e->cv, &e->mu);
        if (e->next == e->n)
            break;
        size_t i = e->next++;
        HPDF_Stream st = e->v[i].st;
        pthread_mutex_unlock(&e->mu);
        size_t n = 0, zn = 0;
        unsigned char *z = NULL;
        if (gather_into(st, &e->in, &n, &e->in_cap) == 0) {
            size_t bound = libdeflate_zlib_compress_bound(e->z, n);
            z = malloc(bound);
            zn = z ? libdeflate_zlib_compress(e->z, e->in, n, z, bound) : 0;
            if (!zn) {
                free(z);
                z = NULL;
            }
        }
        pthread_mutex_lock(&e->mu);
        e->v[i].z = z;
        e->v[i].zn = zn;
    }
    pthread_mutex_unlock(&e->mu);
    return NULL;
}

void rg_deflate_early(rg_deflate *dz, HPDF_Dict d)
{
    if (dz->threads < 2 || !d || !d->stream || d->stream->type != HPDF_STREAM_MEMORY ||
        !(d->filter & HPDF_STREAM_FILTER_FLATE_DECODE) || d->before_write_fn)
        return;
    struct rg_early *e = dz->early;
    if (!e) {
        if (!dz->z[1])
            dz->z[1] = libdeflate_alloc_compressor(RG_DEFLATE_LEVEL);
        if (!dz->z[1] || !(e = calloc(1, sizeof *e)))
            return;
        e->z = dz->z[1];
        int mu = pthread_mutex_init(&e->mu, NULL) == 0, cv = mu && pthread_cond_init(&e->cv, NULL) == 0;
        if (!cv || pthread_create(&e->th, NULL, early_thread, e) != 0) {
            if (cv)
                pthread_cond_destroy(&e->cv);
            if (mu)
                pthread_mutex_destroy(&e->mu);
            free(e);
            return;
        }
        dz->early = e;
    }
    pthread_mutex_lock(&e->mu);
    if (e->n == e->cap) {
        size_t cap = e->cap ? 2 * e->cap : 16;
        early_item *v = realloc(e->v, cap * sizeof *v);
        if (!v) {
            pthread_mutex_unlock(&e->mu);
            return;
        }
        e->v = v;
        e->cap = cap;
    }
    e->v[e->n++] = (early_item){d, d->stream, d->stream->size, NULL, 0};
    pthread_cond_signal(&e->cv);
    pthread_mutex_unlock(&e->mu);
}

/* Waits for the thread to deflate what it was given and end. */
static void early_stop(struct rg_early *e)
{
    pthread_mutex_lock(&e->mu);
    e->done = 1;
    pthread_cond_signal(&e->cv);
    pthread_mutex_unlock(&e->mu);
    pthread_join(e->th, NULL);
}

void rg_deflate_early_end(rg_deflate *dz)
{
    struct rg_early *e = dz->early;
    if (!e)
        return;
    early_stop(e);
    for (size_t i = 0; i < e->n; i++)
        free(e->v[i].z);
    free(e->v);
    free(e->in);
    pthread_cond_destroy(&e->cv);
    pthread_mutex_destroy(&e->mu);
    free(e);
    dz->early = NULL;
}

/* The early bytes, each to its stream's entry (w->pre); when memory ran
 * out for that, the streams are deflated as they are written. */
static void early_take(saver *w, rg_deflate *dz)
{
    struct rg_early *e = dz->early;
    if (!e)
        return;
    early_stop(e);
    size_t found = 0;
    for (size_t k = 0; k < e->n; k++)
        found += e->v[k].z != NULL;
    if (found && !w->pre)
        w->pre = calloc(w->nent, sizeof *w->pre);
    for (unsigned i = 1; found && w->pre && i < w->nent; i++) {
        HPDF_Dict d = deflated_stream(w, i);
        for (size_t k = 0; d && k < e->n; k++)
            if (e->v[k].d == d && e->v[k].z && d->stream == e->v[k].st && d->stream->size == e->v[k].size) {
                w->pre[i] = (squeezed){e->v[k].z, e->v[k].zn};
                e->v[k].z = NULL;
                dz->early_taken++;
                found--;
                break;
            }
    }
    rg_deflate_early_end(dz);
}

/* Under 64 kB in all, a second thread costs more than it saves. */
#define PRECOMPRESS_MIN 65536

typedef struct sized { unsigned at; size_t size; } sized;
static int larger_first(const void *a, const void *b)
{
    const sized *x = a, *y = b;
    return x->size != y->size ? (x->size < y->size ? 1 : -1) : (x->at > y->at) - (x->at < y->at);
}

static void precompress(saver *w, rg_deflate *dz)
{
    if (dz->threads < 2)
        return;
    sized *list = malloc(w->nent * sizeof *list);
    unsigned n = 0;
    size_t total = 0;
    for (unsigned i = 1; list && i < w->nent; i++) {
        HPDF_Dict d = deflated_stream(w, i);
        if (d && !(w->pre && w->pre[i].p)) {
            list[n++] = (sized){i, d->stream->size};
            total += d->stream->size;
        }
    }
    squeeze_job job[2] = {{w->z, NULL, 0, w, NULL, 0}, {NULL, NULL, 0, w, NULL, 0}};
    if (n < 2 || total < PRECOMPRESS_MIN)
        goto done;
    if (!dz->z[1])
        dz->z[1] = libdeflate_alloc_compressor(RG_DEFLATE_LEVEL);
    job[1].z = dz->z[1];
    if (!w->pre)
        w->pre = calloc(w->nent, sizeof *w->pre);
    job[0].at = malloc(n * sizeof *job[0].at);
    job[1].at = malloc(n * sizeof *job[1].at);
    if (!job[1].z || !w->pre || !job[0].at || !job[1].at)
        goto done;
    /* Largest first, each to the thread with less so far. */
    qsort(list, n, sizeof *list, larger_first);
    size_t load[2] = {0, 0};
    for (unsigned i = 0; i < n; i++) {
        int k = load[1] < load[0];
        job[k].at[job[k].n++] = list[i].at;
        load[k] += list[i].size;
    }
    pthread_t th;
    int started = pthread_create(&th, NULL, squeeze_thread, &job[1]) == 0;
    squeeze_thread(&job[0]);
    if (started)
        pthread_join(th, NULL);
done:
    for (int k = 0; k < 2; k++) {
        free(job[k].at);
        free(job[k].in);
    }
    free(list);
}

/* The deflated bytes, or when squeeze failed, the out-of-memory error
 * (libdeflate fails only for want of room or memory). */
static HPDF_STATUS put_squeezed(saver *w, int rc)
{
    if (rc) {
        w->file.oom = 1;
        return HPDF_SetError(&w->pdf->error, HPDF_FAILD_TO_ALLOC_MEM, 0);
    }
    return HPDF_Stream_Write(w->out, w->zout, (HPDF_UINT)w->zout_n);
}

/* The number object a stream dictionary's /Length refers to, or NULL. */
static void *length_object(HPDF_Dict d)
{
    for (HPDF_UINT i = 0; i < d->list->count; i++) {
        HPDF_DictElement el = HPDF_List_ItemAt(d->list, i);
        HPDF_Obj_Header *h = el->value;
        if (strcmp(el->key, "Length") != 0 || !h || h->obj_class != HPDF_OCLASS_PROXY)
            continue;
        h = ((HPDF_Proxy)el->value)->obj;
        return (h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_NUMBER ? h : NULL;
    }
    return NULL;
}

static int is_stream(void *obj)
{
    HPDF_Obj_Header *h = obj;
    return (h->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_DICT && ((HPDF_Dict)obj)->stream;
}

/* Sorts libharu's entries into streams, objects to pack and Length
 * objects left out, and numbers them anew. -1: out of memory. */
static int plan(saver *w)
{
    HPDF_Xref xref = w->pdf->xref;

    w->nent = xref->entries->count;
    w->kind = calloc(w->nent, 1);
    w->packed = malloc(w->nent * sizeof *w->packed);
    if (!w->kind || !w->packed)
        return -1;
    for (unsigned i = 1; i < w->nent; i++) {
        void *obj = HPDF_Xref_GetEntry(xref, i)->obj;
        if (!is_stream(obj))
            continue;
        w->kind[i] = STREAM;
        void *len = length_object(obj);
        if (len && NUM(len) < w->nent && HPDF_Xref_GetEntry(xref, NUM(len))->obj == len)
            w->kind[NUM(len)] = LEFT_OUT;
    }
    uint32_t n = 0;
    for (unsigned i = 1; i < w->nent; i++) {
        HPDF_Obj_Header *h = HPDF_Xref_GetEntry(xref, i)->obj;
        if (w->kind[i] == LEFT_OUT)
            continue;
        h->obj_id = (h->obj_id & 0xFF000000u) | ++n;
        if (w->kind[i] == PACKED)
            w->packed[w->npacked++] = i;
    }
    w->nkept = n;
    unsigned nstm = (w->npacked + PACK_MAX - 1) / PACK_MAX;
    w->size = 1 + n + nstm + 1;
    w->rows = calloc(w->size, sizeof *w->rows);
    return w->rows ? 0 : -1;
}

/* ---- packed objects, written by us ----------------------------------------
 * A packed object as HPDF_Obj_WriteValue writes it, byte for byte: names,
 * numbers, references, arrays and dictionaries here, into b's buffer;
 * anything else (strings, reals, booleans, a dictionary with a write
 * callback) by libharu into b itself, which appends to the same buffer.
 * Why: libharu writes a value in several calls that each count or copy
 * a byte at a time, 4.7 M instructions for the annual report's 1,069
 * packed objects (a structure tree is hundreds of small dictionaries). */

static HPDF_STATUS put_value(saver *w, void *obj);

static HPDF_STATUS put_bytes(saver *w, const char *p, size_t n)
{
    return file_write(w->b, (const HPDF_BYTE *)p, (HPDF_UINT)n);
}

/* u in decimal at o; returns the end. */
static char *put_u(char *o, uint32_t u)
{
    char tmp[12];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n)
        *o++ = tmp[--n];
    return o;
}

/* HPDF_Stream_WriteEscapeName: "/" and the name (at most 127 bytes),
 * with #XX for what HPDF_NEEDS_ESCAPE says. */
static HPDF_STATUS put_name(saver *w, const char *name)
{
    static const char hexd[] = "0123456789ABCDEF";
    char tmp[HPDF_LIMIT_MAX_NAME_LEN * 3 + 2], *o = tmp;
    size_t n = strnlen(name, HPDF_LIMIT_MAX_NAME_LEN);

    *o++ = '/';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (HPDF_NEEDS_ESCAPE(c)) {
            *o++ = '#';
            *o++ = hexd[c >> 4];
            *o++ = hexd[c & 15];
        } else {
            *o++ = (char)c;
        }
    }
    return put_bytes(w, tmp, (size_t)(o - tmp));
}

/* HPDF_Obj_Write: a reference for a proxy, else the value. */
static HPDF_STATUS put_obj(saver *w, void *obj)
{
    HPDF_Obj_Header *h = obj;
    if (h->obj_id & HPDF_OTYPE_HIDDEN)
        return HPDF_OK;
    if (h->obj_class != HPDF_OCLASS_PROXY)
        return put_value(w, obj);
    const HPDF_Obj_Header *t = ((HPDF_Proxy)obj)->obj;
    char ref[32], *o = put_u(ref, t->obj_id & 0x00FFFFFFu);
    *o++ = ' ';
    o = put_u(o, t->gen_no);
    *o++ = ' ';
    *o++ = 'R';
    return put_bytes(w, ref, (size_t)(o - ref));
}

/* HPDF_Dict_Write of a dictionary without a stream or callbacks. */
static HPDF_STATUS put_dict(saver *w, HPDF_Dict d)
{
    HPDF_STATUS r = put_bytes(w, "<<\n", 3);
    for (HPDF_UINT i = 0; i < d->list->count && r == HPDF_OK; i++) {
        HPDF_DictElement el = HPDF_List_ItemAt(d->list, i);
        HPDF_Obj_Header *h = el->value;
        if (!h)
            return HPDF_SetError(d->error, HPDF_INVALID_OBJECT, 0);
        if (h->obj_id & HPDF_OTYPE_HIDDEN)
            continue;
        if ((r = put_name(w, el->key)) == HPDF_OK && (r = put_bytes(w, " ", 1)) == HPDF_OK &&
            (r = put_obj(w, el->value)) == HPDF_OK)
            r = put_bytes(w, "\n", 1);
    }
    return r == HPDF_OK ? put_bytes(w, ">>", 2) : r;
}

/* HPDF_Array_Write: "[ a b ]". */
static HPDF_STATUS put_array(saver *w, HPDF_Array a)
{
    HPDF_STATUS r = put_bytes(w, "[ ", 2);
    for (HPDF_UINT i = 0; i < a->list->count && r == HPDF_OK; i++)
        if ((r = put_obj(w, HPDF_List_ItemAt(a->list, i))) == HPDF_OK)
            r = put_bytes(w, " ", 1);
    return r == HPDF_OK ? put_bytes(w, "]", 1) : r;
}

static HPDF_STATUS put_value(saver *w, void *obj)
{
    HPDF_Obj_Header *h = obj;
    char num[16];

    switch (h->obj_class & HPDF_OCLASS_ANY) {
    case HPDF_OCLASS_NAME:
        return put_name(w, ((HPDF_Name)obj)->value);
    case HPDF_OCLASS_NUMBER: {
        HPDF_INT32 v = ((HPDF_Number)obj)->value;
        char *o = num;
        if (v < HPDF_LIMIT_MIN_INT) /* as HPDF_IToA clamps it */
            v = HPDF_LIMIT_MIN_INT;
        if (v < 0)
            *o++ = '-';
        o = put_u(o, v < 0 ? 0u - (uint32_t)v : (uint32_t)v);
        return put_bytes(w, num, (size_t)(o - num));
    }
    case HPDF_OCLASS_ARRAY:
        return put_array(w, obj);
    case HPDF_OCLASS_DICT: {
        HPDF_Dict d = obj;
        if (!d->stream && !d->before_write_fn && !d->write_fn && !d->after_write_fn)
            return put_dict(w, d);
        break;
    }
    default:
        break;
    }
    return HPDF_Obj_WriteValue(obj, w->b, NULL);
}

/* Object stream number k (0-based): up to PACK_MAX packed objects. */
static HPDF_STATUS write_objstm(saver *w, unsigned k)
{
    HPDF_Xref xref = w->pdf->xref;
    uint32_t num = w->nkept + 1 + k;
    unsigned from = k * PACK_MAX, to = from + PACK_MAX;
    HPDF_STATUS r = HPDF_OK;

    if (to > w->npacked)
        to = w->npacked;
    empty(w->a);
    empty(w->b);
    /* a: the pairs "number offset"; b: the objects. */
    for (unsigned j = from; j < to && r == HPDF_OK; j++) {
        void *obj = HPDF_Xref_GetEntry(xref, w->packed[j])->obj;
        w->rows[NUM(obj)] = (xrow){ 2, num, (unsigned char)(j - from) };
        HPDF_UINT32 off = (HPDF_UINT32)w->bbuf.n;
        if ((r = HPDF_Stream_WriteUInt(w->a, NUM(obj))) == HPDF_OK &&
            (r = HPDF_Stream_WriteChar(w->a, ' ')) == HPDF_OK &&
            (r = HPDF_Stream_WriteUInt(w->a, off)) == HPDF_OK)
            r = HPDF_Stream_WriteChar(w->a, ' ');
        if (r == HPDF_OK)
            r = put_value(w, obj);
        if (r == HPDF_OK)
            r = put_bytes(w, "\n", 1);
    }
    if (r != HPDF_OK)
        return r;
    HPDF_UINT32 first = w->a->size;
    int zr = gather_buf(w, &w->abuf) || gather_buf(w, &w->bbuf) || squeeze(w);
    if (zr)
        return put_squeezed(w, zr);
    w->rows[num] = (xrow){ 1, w->out->size, 0 };
    r = putf(w->out, "%u 0 obj\n<</Type /ObjStm /N %u /First %u /Filter /FlateDecode /Length %u>>\nstream\r\n",
             (unsigned)num, to - from, (unsigned)first, (unsigned)w->zout_n);
    if (r == HPDF_OK)
        r = put_squeezed(w, 0);
    if (r == HPDF_OK)
        r = HPDF_Stream_WriteStr(w->out, "\nendstream\nendobj\n");
    return r;
}

/* /Filter (and /DecodeParms) from the stream's filter bits, as
 * HPDF_Dict_Write sets them. */
static HPDF_STATUS set_filter(HPDF_Dict d)
{
    HPDF_STATUS r = HPDF_OK;

    if (d->filter == HPDF_STREAM_FILTER_NONE) {
        HPDF_Dict_RemoveElement(d, "Filter"); /* none there is fine */
        return HPDF_OK;
    }
    HPDF_Array f = HPDF_Dict_GetItem(d, "Filter", HPDF_OCLASS_ARRAY);
    if (!f) {
        if (!(f = HPDF_Array_New(d->mmgr)))
            return HPDF_Error_GetCode(d->error);
        if ((r = HPDF_Dict_Add(d, "Filter", f)) != HPDF_OK)
            return r;
    }
    HPDF_Array_Clear(f);
    if (d->filter & HPDF_STREAM_FILTER_FLATE_DECODE)
        r |= HPDF_Array_AddName(f, "FlateDecode");
    if (d->filter & HPDF_STREAM_FILTER_DCT_DECODE)
        r |= HPDF_Array_AddName(f, "DCTDecode");
    if (d->filter & HPDF_STREAM_FILTER_CCITT_DECODE)
        r |= HPDF_Array_AddName(f, "CCITTFaxDecode");
    if (r == HPDF_OK && d->filterParams)
        r = HPDF_Dict_Add_FilterParams(d, d->filterParams);
    return r != HPDF_OK ? HPDF_Error_GetCode(d->error) : HPDF_OK;
}

/* A stream object, as HPDF_Dict_Write writes it but with a direct /Length:
 * its data is encoded first (into zout, or b when it is written as it is)
 * to know it. libharu deflates a stream whose filter has the Flate bit
 * (a JPEG's is DCT alone: written as it is), and so do we. */
static HPDF_STATUS write_stream(saver *w, HPDF_Dict d, unsigned at)
{
    HPDF_Stream out = w->out;
    HPDF_STATUS r;

    if (d->before_write_fn && (r = d->before_write_fn(d)) != HPDF_OK)
        return r;
    if ((r = set_filter(d)) != HPDF_OK)
        return r;
    int ours = (d->filter & HPDF_STREAM_FILTER_FLATE_DECODE) && d->stream->type == HPDF_STREAM_MEMORY;
    size_t len;
    squeezed *pre = w->pre && w->pre[at].p ? &w->pre[at] : NULL;
    if (ours && pre) {
        HPDF_MemStream_FreeData(d->stream);
        len = pre->n;
    } else if (ours) {
        int zr = gather(w, d->stream) || squeeze(w);
        if (zr)
            return put_squeezed(w, zr);
        /* Not needed again (pdf is only freed after this): a smaller peak. */
        HPDF_MemStream_FreeData(d->stream);
        len = w->zout_n;
    } else {
        empty(w->b);
        if ((r = HPDF_Stream_WriteToStream(d->stream, w->b, d->filter, NULL)) != HPDF_OK)
            return r;
        len = w->b->size;
    }
    w->rows[NUM(d)] = (xrow){ 1, out->size, 0 };
    if ((r = putf(out, "%u 0 obj\n<<\n/Length %u\n", (unsigned)NUM(d), (unsigned)len)) != HPDF_OK)
        return r;
    for (HPDF_UINT i = 0; i < d->list->count; i++) {
        HPDF_DictElement el = HPDF_List_ItemAt(d->list, i);
        HPDF_Obj_Header *h = el->value;
        if (!h)
            return HPDF_SetError(d->error, HPDF_INVALID_OBJECT, 0);
        if ((h->obj_id & HPDF_OTYPE_HIDDEN) || strcmp(el->key, "Length") == 0)
            continue;
        if ((r = HPDF_Stream_WriteEscapeName(out, el->key)) != HPDF_OK ||
            (r = HPDF_Stream_WriteChar(out, ' ')) != HPDF_OK ||
            (r = HPDF_Obj_Write(el->value, out, NULL)) != HPDF_OK ||
            (r = HPDF_Stream_WriteChar(out, '\n')) != HPDF_OK)
            return r;
    }
    if (d->write_fn && (r = d->write_fn(d, out)) != HPDF_OK)
        return r;
    if ((r = HPDF_Stream_WriteStr(out, ">>\nstream\r\n")) != HPDF_OK ||
        (r = pre ? HPDF_Stream_Write(out, pre->p, (HPDF_UINT)pre->n)
             : ours ? put_squeezed(w, 0) : HPDF_Stream_Write(out, w->bbuf.p, (HPDF_UINT)w->bbuf.n)) != HPDF_OK ||
        (r = HPDF_Stream_WriteStr(out, "\nendstream\nendobj\n")) != HPDF_OK)
        return r;
    if (d->after_write_fn)
        return d->after_write_fn(d);
    return HPDF_OK;
}

/* The cross-reference stream and the end of the file. Its rows are
 * deflated after the PNG "Up" predictor: an offset differs little from
 * the one above it, and an object stream's number not at all. */
static HPDF_STATUS write_xref(saver *w)
{
    HPDF_Doc pdf = w->pdf;
    uint32_t num = w->size - 1, max = 0;
    HPDF_BYTE id[16];
    struct HPDF_MD5Context md5;
    HPDF_STATUS r = HPDF_OK;

    HPDF_MD5Init(&md5);
    HPDF_MD5Update(&md5, w->file.p, (HPDF_UINT32)w->file.n);
    HPDF_MD5Final(id, &md5);
    w->rows[num] = (xrow){ 1, w->out->size, 0 };
    for (unsigned i = 0; i < w->size; i++)
        if (w->rows[i].f2 > max)
            max = w->rows[i].f2;
    unsigned w2 = 1;
    while (w2 < 4 && max >> (8 * w2))
        w2++;
    unsigned cols = 1 + w2 + 1;
    HPDF_BYTE prev[6] = {0}, row[1 + 6];
    empty(w->a);
    for (unsigned i = 0; i < w->size && r == HPDF_OK; i++) {
        HPDF_BYTE cur[6];
        cur[0] = w->rows[i].type;
        for (unsigned k = 0; k < w2; k++)
            cur[1 + k] = (HPDF_BYTE)(w->rows[i].f2 >> (8 * (w2 - 1 - k)));
        cur[1 + w2] = w->rows[i].f3;
        row[0] = 2; /* Up */
        for (unsigned k = 0; k < cols; k++)
            row[1 + k] = (HPDF_BYTE)(cur[k] - prev[k]);
        memcpy(prev, cur, cols);
        r = HPDF_Stream_Write(w->a, row, 1 + cols);
    }
    if (r != HPDF_OK)
        return r;
    int zr = gather_buf(w, &w->abuf) || squeeze(w);
    if (zr)
        return put_squeezed(w, zr);
    char hex[33], info[32] = "";
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02X", id[i]);
    if (pdf->info)
        snprintf(info, sizeof info, " /Info %u 0 R", (unsigned)NUM(pdf->info));
    r = putf(w->out,
             "%u 0 obj\n<</Type /XRef /Size %u /W [1 %u 1] /Root %u 0 R%s /ID [<%s> <%s>]"
             " /Filter /FlateDecode /DecodeParms <</Predictor 12 /Columns %u>> /Length %u>>\nstream\r\n",
             (unsigned)num, w->size, w2, (unsigned)NUM(pdf->catalog), info, hex, hex, cols,
             (unsigned)w->zout_n);
    if (r == HPDF_OK)
        r = put_squeezed(w, 0);
    if (r == HPDF_OK)
        r = putf(w->out, "\nendstream\nendobj\nstartxref\n%u\n%%%%EOF\n", (unsigned)w->rows[num].f2);
    return r;
}

static HPDF_STATUS write_all(saver *w, rg_deflate *dz)
{
    HPDF_STATUS r;

    /* libharu's header line, with its binary comment; 1.7 for what the
     * file holds (object streams need 1.5). */
    if ((r = HPDF_Stream_WriteStr(w->out, "%PDF-1.7\n%\267\276\255\252\n")) != HPDF_OK)
        return r;
    for (unsigned k = 0; k * PACK_MAX < w->npacked; k++)
        if ((r = write_objstm(w, k)) != HPDF_OK)
            return r;
    early_take(w, dz);
    precompress(w, dz);
    for (unsigned i = 1; i < w->nent; i++)
        if (w->kind[i] == STREAM && (r = write_stream(w, HPDF_Xref_GetEntry(w->pdf->xref, i)->obj, i)) != HPDF_OK)
            return r;
    /* A write callback that made an object would leave it out of the file. */
    if (w->pdf->xref->entries->count != w->nent)
        return HPDF_SetError(&w->pdf->error, HPDF_INVALID_OBJECT, 0);
    return write_xref(w);
}

int rg_pdf_save(HPDF_Doc pdf, rg_deflate *dz, unsigned char **out, size_t *size, int *oom)
{
    return rg_pdf_save_capped(pdf, dz, RG_PDF_MAX_BYTES, out, size, oom);
}

int rg_pdf_save_capped(HPDF_Doc pdf, rg_deflate *dz, size_t cap, unsigned char **out, size_t *size, int *oom)
{
    saver w;
    int rc = -1;

    memset(&w, 0, sizeof w);
    w.pdf = pdf;
    w.file.max = cap;
    w.abuf.max = w.bbuf.max = RG_PDF_MAX_BYTES;
    *out = NULL;
    *size = 0;
    *oom = 0;
    if (!dz->z[0])
        dz->z[0] = libdeflate_alloc_compressor(RG_DEFLATE_LEVEL);
    w.z = dz->z[0];
    if (!w.z || plan(&w)) {
        *oom = 1;
        goto done;
    }
    w.out = HPDF_CallbackWriter_New(pdf->mmgr, file_write, &w.file);
    /* Not libharu's memory streams: they copy a byte at a time. */
    w.a = w.out ? HPDF_CallbackWriter_New(pdf->mmgr, file_write, &w.abuf) : NULL;
    w.b = w.a ? HPDF_CallbackWriter_New(pdf->mmgr, file_write, &w.bbuf) : NULL;
    if (w.b && write_all(&w, dz) == HPDF_OK && !w.file.oom && !w.abuf.oom && !w.bbuf.oom) {
        *out = w.file.p;
        *size = w.file.n;
        w.file.p = NULL;
        rc = 0;
    }
    *oom = w.file.oom || w.abuf.oom || w.bbuf.oom;
    if (w.file.big || w.abuf.big || w.bbuf.big)
        rc = -2;
done:
    HPDF_Stream_Free(w.a);
    HPDF_Stream_Free(w.b);
    HPDF_Stream_Free(w.out);
    free(w.file.p);
    free(w.abuf.p);
    free(w.bbuf.p);
    free(w.kind);
    free(w.packed);
    free(w.rows);
    free(w.in);
    free(w.zout);
    for (unsigned i = 0; w.pre && i < w.nent; i++)
        free(w.pre[i].p);
    free(w.pre);
    return rc;
}
