/* pdf_save.c: libharu documents made by hand, written by rg_pdf_save and
 * read back by qpdf: a stream without a filter stays plain (the XMP
 * metadata must), many small objects fill object streams of at most 255,
 * a stream's /Length is the bytes between stream and endstream, and a
 * packed object is written byte for byte as libharu writes it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf.h>
#include "rg.h"
#include <libdeflate.h>

#include "pdf_save.h"

#define NUM(obj) (((HPDF_Obj_Header *)(obj))->obj_id & 0x00FFFFFFu)

static char path[64];

static int setup(void **state)
{
    (void)state;
    snprintf(path, sizeof path, "/tmp/rg-pdf-save-%ld.pdf", (long)getpid());
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(path);
    return 0;
}

/* One set of compressors for every save, as a batch worker keeps it. */
static rg_deflate dz;

/* Saves pdf to path (its objects numbered anew: NUM is their number in
 * the file). */
static void save(HPDF_Doc pdf)
{
    unsigned char *out;
    size_t n;
    int oom;

    assert_int_equal(rg_pdf_save(pdf, &dz, &out, &n, &oom), 0);
    assert_int_equal(oom, 0);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(out, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    free(out);
}

/* What cmd prints (at most 64 KB), NUL-terminated; its exit status must be 0. */
static char *output(const char *cmd)
{
    static char buf[65536];
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(buf, 1, sizeof buf - 1, p);
    buf[n] = '\0';
    assert_int_equal(pclose(p), 0);
    return buf;
}

static void qpdf_check(void)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "qpdf --check %s 2>&1", path);
    char *out = output(cmd);
    assert_non_null(strstr(out, "No syntax or stream encoding errors"));
    assert_null(strstr(out, "WARNING"));
}

static HPDF_Dict add_stream(HPDF_Doc pdf, const char *key, const char *data, HPDF_UINT filter)
{
    HPDF_Dict st = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    assert_non_null(st);
    st->filter = filter;
    assert_int_equal(HPDF_Stream_Write(st->stream, (const HPDF_BYTE *)data, (HPDF_UINT)strlen(data)), HPDF_OK);
    assert_int_equal(HPDF_Dict_Add(pdf->catalog, key, st), HPDF_OK);
    return st;
}

static void test_plain_stream_stays_plain(void **state)
{
    const char *xmp = "<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\"/>"
                      "<?xpacket end=\"w\"?>";
    const char *packed = "a stream deflated as libharu deflates it, a stream deflated as libharu deflates it";
    char cmd[256];
    (void)state;

    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    assert_non_null(HPDF_AddPage(pdf));
    HPDF_Dict md = add_stream(pdf, "Metadata", xmp, HPDF_STREAM_FILTER_NONE);
    assert_int_equal(HPDF_Dict_AddName(md, "Type", "Metadata"), HPDF_OK);
    HPDF_Dict other = add_stream(pdf, "Other", packed, HPDF_STREAM_FILTER_FLATE_DECODE);
    save(pdf);
    unsigned md_num = NUM(md), other_num = NUM(other);
    HPDF_Free(pdf);
    qpdf_check();
    /* The metadata: no /Filter, /Length its bytes, its bytes in the file as they are. */
    snprintf(cmd, sizeof cmd, "qpdf --show-object=%u %s", md_num, path);
    char *dict = output(cmd);
    assert_null(strstr(dict, "/Filter"));
    char want[64];
    snprintf(want, sizeof want, "/Length %zu", strlen(xmp));
    if (!strstr(dict, want))
        fail_msg("%s not in %s", want, dict);
    snprintf(cmd, sizeof cmd, "grep -c -F 'xmpmeta xmlns:x=' %s", path);
    assert_string_equal(output(cmd), "1\n");
    /* The other one deflated, and read back whole. */
    snprintf(cmd, sizeof cmd, "qpdf --show-object=%u %s", other_num, path);
    assert_non_null(strstr(output(cmd), "/FlateDecode"));
    snprintf(cmd, sizeof cmd, "qpdf --show-object=%u --filtered-stream-data %s", other_num, path);
    assert_string_equal(output(cmd), packed);
}

/* 1,000 small dictionaries, as a structure tree makes them: four object
 * streams (255, 255, 255 and the rest), every index below 255. */
static void test_many_objects(void **state)
{
    char cmd[256];
    (void)state;

    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    assert_non_null(HPDF_AddPage(pdf));
    HPDF_Array kids = HPDF_Array_New(pdf->mmgr);
    assert_int_equal(HPDF_Dict_Add(pdf->catalog, "Elements", kids), HPDF_OK);
    for (int i = 0; i < 1000; i++) {
        HPDF_Dict e = HPDF_Dict_New(pdf->mmgr);
        assert_non_null(e);
        assert_int_equal(HPDF_Xref_Add(pdf->xref, e), HPDF_OK);
        assert_int_equal(HPDF_Dict_AddNumber(e, "N", i), HPDF_OK);
        assert_int_equal(HPDF_Array_Add(kids, e), HPDF_OK);
    }
    unsigned objects = pdf->xref->entries->count - 1;
    save(pdf);
    HPDF_Free(pdf);
    qpdf_check();
    snprintf(cmd, sizeof cmd, "qpdf --show-xref %s", path);
    char *xref = output(cmd);
    unsigned in_streams[16] = {0}, stm[16] = {0}, nstm = 0, packed = 0, maxidx = 0;
    for (char *l = strtok(xref, "\n"); l; l = strtok(NULL, "\n")) {
        unsigned obj, s, idx;
        if (sscanf(l, "%u/0: compressed; stream = %u, index = %u", &obj, &s, &idx) != 3)
            continue;
        unsigned k = 0;
        while (k < nstm && stm[k] != s)
            k++;
        if (k == nstm) {
            assert_true(nstm < 16);
            stm[nstm++] = s;
        }
        in_streams[k]++;
        packed++;
        if (idx > maxidx)
            maxidx = idx;
    }
    /* The page's content stream is the one object outside. */
    assert_int_equal(packed, objects - 2 /* content stream and its Length */);
    assert_int_equal(nstm, (packed + 254) / 255);
    for (unsigned k = 0; k + 1 < nstm; k++)
        assert_int_equal(in_streams[k], 255);
    assert_int_equal(maxidx, 254);
    /* Element 999 is read back through its object stream. */
    snprintf(cmd, sizeof cmd, "qpdf --json=2 --json-key=qpdf %s | grep -c '\"/N\": 999$'", path);
    assert_string_equal(output(cmd), "1\n");
}

/* A file past the cap (4 GiB in use: offsets are 32 bits in libharu and
 * in our cross-reference stream) is refused whole, not written with its
 * offsets wrapped: -2, nothing made, not out of memory. The same document
 * under a cap it fits is written, as by rg_pdf_save. */
static void test_cap(void **state)
{
    (void)state;
    for (int big = 0; big < 2; big++) {
        HPDF_Doc pdf = HPDF_New(NULL, NULL);
        assert_non_null(pdf);
        assert_non_null(HPDF_AddPage(pdf));
        unsigned char *out = (unsigned char *)"untouched";
        size_t n = 7;
        int oom = 1;
        int rc = rg_pdf_save_capped(pdf, &dz, big ? 300 : 1 << 20, &out, &n, &oom);
        HPDF_Free(pdf);
        assert_int_equal(oom, 0);
        if (big) {
            assert_int_equal(rc, -2);
            assert_null(out);
            assert_int_equal(n, 0);
        } else {
            assert_int_equal(rc, 0);
            assert_true(n > 300);
            assert_memory_equal(out, "%PDF-1.7", 8);
            free(out);
        }
    }
}

/* A document with a deflated stream of n bytes (over several of
 * libharu's 4 KB buffers when n is large) and an empty one; returns the
 * file's bytes, *size of them, and the two streams' numbers. */
/* The file saved at path, checked by qpdf: a malloc'ed copy of its bytes. */
static unsigned char *checked_copy(size_t *size)
{
    qpdf_check();
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static unsigned char buf[1 << 18];
    *size = fread(buf, 1, sizeof buf, f);
    assert_true(*size < sizeof buf);
    fclose(f);
    unsigned char *copy = malloc(*size);
    assert_non_null(copy);
    memcpy(copy, buf, *size);
    return copy;
}

static unsigned char *saved_bytes(const char *data, size_t *size, unsigned *big, unsigned *empty)
{
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    assert_non_null(HPDF_AddPage(pdf));
    HPDF_Dict b = add_stream(pdf, "Big", data, HPDF_STREAM_FILTER_FLATE_DECODE);
    HPDF_Dict e = add_stream(pdf, "Empty", "", HPDF_STREAM_FILTER_FLATE_DECODE);
    save(pdf);
    *big = NUM(b);
    *empty = NUM(e);
    HPDF_Free(pdf);
    return checked_copy(size);
}

/* Stream data gathered from libharu's buffers and deflated in one call:
 * read back whole, empty stays empty, and the same document gives the same
 * bytes with the compressor used again. */
static void test_deflated_streams(void **state)
{
    enum { N = 15000 };
    static char data[N + 1];
    char cmd[256];
    (void)state;

    for (int i = 0; i < N; i++)
        data[i] = (char)('a' + (i * 7 + i / 13) % 26);
    size_t n1, n2;
    unsigned big, empty;
    unsigned char *one = saved_bytes(data, &n1, &big, &empty);
    snprintf(cmd, sizeof cmd, "qpdf --show-object=%u --filtered-stream-data %s", big, path);
    assert_string_equal(output(cmd), data);
    snprintf(cmd, sizeof cmd, "qpdf --show-object=%u --filtered-stream-data %s | wc -c", empty, path);
    assert_string_equal(output(cmd), "0\n");
    unsigned char *two = saved_bytes(data, &n2, &big, &empty);
    assert_int_equal(n1, n2);
    assert_memory_equal(one, two, n1);
    free(one);
    free(two);
}

/* Five streams of 30,000 down to 14,000 letters, a pattern per seed. */
enum { SN = 30000, SK = 5 };
static void fill_streams(char (*data)[SN + 1], int seed)
{
    for (int k = 0; k < SK; k++)
        for (int i = 0; i < SN - 4000 * k; i++)
            data[k][i] = (char)('a' + (i * (k + seed) + i / (11 + k - seed % 5)) % 26);
}

/* The streams in a new document of one page, saved with dz.threads set
 * to threads and, when early, all but the last given to rg_deflate_early
 * first (a thread runs for them only with two threads); returns the
 * file's bytes, each stream's object number in num, how many streams
 * were saved from the early bytes in taken. */
static unsigned char *streams_saved(char (*data)[SN + 1], int threads, int early, unsigned *num, size_t *size,
                                    unsigned long *taken)
{
    dz.threads = threads;
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    assert_non_null(HPDF_AddPage(pdf));
    HPDF_Dict d[SK];
    for (int k = 0; k < SK; k++) {
        char name[16];
        snprintf(name, sizeof name, "S%d", k);
        d[k] = add_stream(pdf, name, data[k], HPDF_STREAM_FILTER_FLATE_DECODE);
        if (early && k < SK - 1) {
            rg_deflate_early(&dz, d[k]);
            assert_true((dz.early != NULL) == (threads > 1));
        }
    }
    unsigned long before = dz.early_taken;
    save(pdf);
    assert_null(dz.early);
    *taken = dz.early_taken - before;
    for (int k = 0; k < SK; k++)
        num[k] = NUM(d[k]);
    HPDF_Free(pdf);
    dz.threads = 1;
    return checked_copy(size);
}

/* Each stream of the saved file read back whole (qpdf). */
static void streams_read_back(char (*data)[SN + 1], const unsigned *num)
{
    char cmd[256];
    for (int k = 0; k < SK; k++) {
        snprintf(cmd, sizeof cmd, "qpdf --show-object=%u --filtered-stream-data %s", num[k], path);
        assert_string_equal(output(cmd), data[k]);
    }
}

/* Streams shared out between two threads (over 64 kB in all, dz.threads
 * 2): the very bytes one thread writes, each stream read back whole. */
static void test_two_threads(void **state)
{
    static char data[SK][SN + 1];
    unsigned num[SK];
    unsigned long taken;
    size_t size[2];
    (void)state;
    fill_streams(data, 3);
    unsigned char *one = streams_saved(data, 1, 0, num, &size[0], &taken);
    unsigned char *two = streams_saved(data, 2, 0, num, &size[1], &taken);
    assert_int_equal(size[0], size[1]);
    assert_memory_equal(one, two, size[0]);
    streams_read_back(data, num);
    assert_non_null(dz.z[1]); /* the second thread's compressor was made: the streams were shared */
    free(one);
    free(two);
}

/* Streams given early (rg_deflate_early, a page's contents once it is
 * painted) are deflated on a second thread while the document goes on,
 * and saved from those bytes: the same file as without. Given and never
 * saved, they are dropped with their thread (rg_deflate_early_end). With
 * one thread nothing starts. */
static void test_early_deflate(void **state)
{
    static char data[SK][SN + 1];
    unsigned num[SK];
    unsigned long taken[2];
    size_t size[2];
    (void)state;
    fill_streams(data, 5);
    unsigned char *one = streams_saved(data, 1, 1, num, &size[0], &taken[0]);
    unsigned char *two = streams_saved(data, 2, 1, num, &size[1], &taken[1]);
    assert_int_equal(taken[0], 0);
    assert_int_equal(taken[1], SK - 1);
    assert_int_equal(size[0], size[1]);
    assert_memory_equal(one, two, size[0]);
    streams_read_back(data, num);
    /* Given, then the document dropped unsaved. */
    dz.threads = 2;
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    for (int k = 0; k < SK; k++)
        rg_deflate_early(&dz, add_stream(pdf, k ? "B" : "A", data[k], HPDF_STREAM_FILTER_FLATE_DECODE));
    assert_non_null(dz.early);
    rg_deflate_early_end(&dz);
    assert_null(dz.early);
    rg_deflate_early_end(&dz);
    HPDF_Free(pdf);
    dz.threads = 1;
    free(one);
    free(two);
}

/* libharu's allocator (rg_hpdf_alloc): every block aligned to 16 and its
 * own (a pattern written into each survives the others' writes, frees and
 * reuse), sizes from 0 to past the pool's 512 bytes, and the pool empty
 * again at the end (a leak checker would see its chunks otherwise). */
static void test_libharu_allocator(void **state)
{
    (void)state;
    enum { N = 4000 };
    static unsigned char *p[N];
    static unsigned sz[N];
    unsigned seed = 7;
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < N; i++) {
            seed = seed * 1103515245u + 12345u;
            sz[i] = i % 50 == 0 ? 600 + seed % 3000 : (seed >> 8) % 513; /* some past the pool */
            p[i] = rg_hpdf_alloc(sz[i]);
            assert_non_null(p[i]);
            assert_int_equal((uintptr_t)p[i] % 16, 0);
            memset(p[i], (int)(i & 0xFF), sz[i]);
        }
        for (int i = 0; i < N; i += 3) { /* a third freed and made again, of other sizes */
            rg_hpdf_free(p[i]);
            sz[i] = (sz[i] * 7 + 5) % 513;
            p[i] = rg_hpdf_alloc(sz[i]);
            assert_non_null(p[i]);
            memset(p[i], (int)(i & 0xFF), sz[i]);
        }
        for (int i = 0; i < N; i++) {
            for (unsigned k = 0; k < sz[i]; k++)
                if (p[i][k] != (unsigned char)(i & 0xFF))
                    fail_msg("block %d (%u bytes) overwritten at %u", i, sz[i], k);
            rg_hpdf_free(p[i]);
        }
    }
}

/* A dictionary of every kind of value, packed: pdf_save.c writes names,
 * numbers, references, arrays and dictionaries itself, and must write the
 * very bytes HPDF_Obj_WriteValue writes (escapes, signs, spacing). */
static void test_packed_as_libharu_writes(void **state)
{
    char cmd[256];
    (void)state;

    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    assert_non_null(HPDF_AddPage(pdf));
    HPDF_Dict other = HPDF_Dict_New(pdf->mmgr);
    HPDF_Dict probe = HPDF_Dict_New(pdf->mmgr);
    assert_non_null(other);
    assert_non_null(probe);
    assert_int_equal(HPDF_Xref_Add(pdf->xref, other), HPDF_OK);
    assert_int_equal(HPDF_Xref_Add(pdf->xref, probe), HPDF_OK);
    assert_int_equal(HPDF_Dict_Add(pdf->catalog, "Probe", probe), HPDF_OK);
    assert_int_equal(HPDF_Dict_AddName(probe, "Name", "Ab#c(d)/e\x7f"), HPDF_OK);
    assert_int_equal(HPDF_Dict_AddName(probe, "K#y(odd)", "plain"), HPDF_OK);
    assert_int_equal(HPDF_Dict_AddNumber(probe, "Neg", -2147483647 - 1), HPDF_OK);
    assert_int_equal(HPDF_Dict_AddNumber(probe, "Pos", 2147483647), HPDF_OK);
    assert_int_equal(HPDF_Dict_AddNumber(probe, "Zero", 0), HPDF_OK);
    assert_int_equal(HPDF_Dict_AddReal(probe, "Real", -0.125f), HPDF_OK);
    assert_int_equal(HPDF_Dict_AddBoolean(probe, "Bool", HPDF_TRUE), HPDF_OK);
    assert_int_equal(HPDF_Dict_Add(probe, "Str", HPDF_String_New(pdf->mmgr, "x (y) \\ z", NULL)), HPDF_OK);
    assert_int_equal(HPDF_Dict_Add(probe, "Null", HPDF_Null_New(pdf->mmgr)), HPDF_OK);
    assert_int_equal(HPDF_Dict_Add(probe, "Ref", other), HPDF_OK);
    HPDF_Array a = HPDF_Array_New(pdf->mmgr), empty = HPDF_Array_New(pdf->mmgr);
    assert_int_equal(HPDF_Dict_Add(probe, "Arr", a), HPDF_OK);
    assert_int_equal(HPDF_Array_AddName(a, "N"), HPDF_OK);
    assert_int_equal(HPDF_Array_AddNumber(a, -7), HPDF_OK);
    assert_int_equal(HPDF_Array_Add(a, other), HPDF_OK);
    assert_int_equal(HPDF_Array_Add(a, empty), HPDF_OK);
    HPDF_Dict inner = HPDF_Dict_New(pdf->mmgr);
    assert_int_equal(HPDF_Array_Add(a, inner), HPDF_OK);
    assert_int_equal(HPDF_Dict_AddNumber(inner, "I", 1), HPDF_OK);
    HPDF_Dict hidden = HPDF_Dict_New(pdf->mmgr);
    hidden->header.obj_id |= HPDF_OTYPE_HIDDEN;
    assert_int_equal(HPDF_Dict_Add(probe, "Hidden", hidden), HPDF_OK);
    save(pdf);
    /* What libharu writes for it, with the numbers pdf_save gave. */
    HPDF_Stream ms = HPDF_MemStream_New(pdf->mmgr, 4096);
    assert_non_null(ms);
    assert_int_equal(HPDF_Obj_WriteValue(probe, ms, NULL), HPDF_OK);
    char want[4096];
    HPDF_UINT n = ms->size;
    assert_true(n < sizeof want);
    assert_int_equal(HPDF_Stream_Seek(ms, 0, HPDF_SEEK_SET), HPDF_OK);
    assert_int_equal(HPDF_Stream_Read(ms, (HPDF_BYTE *)want, &n), HPDF_OK);
    want[n] = '\0';
    assert_non_null(strstr(want, "/Name /Ab#23c#28d#29#2Fe#7F"));
    unsigned stm = 0;
    snprintf(cmd, sizeof cmd, "qpdf --show-xref %s", path);
    char *xref = output(cmd);
    for (char *l = strtok(xref, "\n"); l; l = strtok(NULL, "\n")) {
        unsigned obj, s, idx;
        if (sscanf(l, "%u/0: compressed; stream = %u, index = %u", &obj, &s, &idx) == 3 && obj == NUM(probe))
            stm = s;
    }
    HPDF_Stream_Free(ms);
    HPDF_Free(pdf);
    qpdf_check();
    assert_true(stm > 0);
    snprintf(cmd, sizeof cmd, "qpdf --show-object=%u --filtered-stream-data %s", stm, path);
    char *got = output(cmd);
    if (!strstr(got, want))
        fail_msg("libharu writes\n%s\nnot found in the object stream:\n%s", want, got);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_stream_stays_plain),
        cmocka_unit_test(test_many_objects),
        cmocka_unit_test(test_deflated_streams),
        cmocka_unit_test(test_two_threads),
        cmocka_unit_test(test_early_deflate),
        cmocka_unit_test(test_libharu_allocator),
        cmocka_unit_test(test_packed_as_libharu_writes),
        cmocka_unit_test(test_cap),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    libdeflate_free_compressor(dz.z[0]);
    libdeflate_free_compressor(dz.z[1]);
    return rc;
}
