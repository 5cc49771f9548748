/* The archival parts of a PDF, made as bytes for the painter (paint_pdf.c)
 * to attach: the XMP metadata packet that identifies the file as PDF/A-2a
 * and PDF/UA-1 and repeats its Info dictionary, the sRGB ICC profile of its
 * output intent, and the page labels that match the printed page numbers.
 * Nothing here knows libharu, so each part is tested alone.
 *
 * Why it looks the way it does:
 * - PDF/A-2 wants every Info entry repeated in the XMP with the same value.
 *   Both are made from the same strings through rg_meta_char, which maps
 *   what either side cannot hold to U+FFFD the same way.
 * - pdfuaid is not one of PDF/A's predefined schemas: a PDF/A file using it
 *   describes it in a pdfaExtension schema (ISO 19005-2, 6.6.2.3.3).
 * - The sRGB profile is LittleCMS's, kept here as its bytes: making it
 *   took a million instructions per file, and the program one library
 *   more to load. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rg.h"

int32_t rg_meta_char(const char *s, size_t n, int *len)
{
    int32_t cp = rg_utf8_decode(s, n, len);
    if (cp < 0 || *len <= 0) {
        *len = 1;
        return 0xFFFD;
    }
    /* XML 1.0 has no way to write these, not even as &#...; */
    if ((cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0xD800 && cp <= 0xDFFF) ||
        cp == 0xFFFE || cp == 0xFFFF)
        return 0xFFFD;
    return cp;
}

/* ---- XMP --------------------------------------------------------------- */

typedef rg_buf xbuf;

static void put(xbuf *b, const char *s, size_t n) { rg_buf_add(b, s, n); }

static void puts_(xbuf *b, const char *s) { put(b, s, strlen(s)); }

/* v as XML character data: & < > " escaped, a carriage return as a
 * reference (a parser would turn a literal one into a line feed), anything
 * rg_meta_char refuses as U+FFFD, the rest as UTF-8. */
static void put_text(xbuf *b, const char *v)
{
    size_t n = strlen(v);
    for (size_t i = 0; i < n;) {
        int len;
        int32_t cp = rg_meta_char(v + i, n - i, &len);
        switch (cp) {
        case '&': puts_(b, "&amp;"); break;
        case '<': puts_(b, "&lt;"); break;
        case '>': puts_(b, "&gt;"); break;
        case '"': puts_(b, "&quot;"); break;
        case '\r': puts_(b, "&#13;"); break;
        case 0xFFFD: puts_(b, "\xEF\xBF\xBD"); break;
        default: put(b, v + i, (size_t)len);
        }
        i += (size_t)len;
    }
}

/* <name>open v close</name>, or nothing when v is unset or empty (the Info
 * dictionary leaves such entries out too). */
static void prop(xbuf *b, const char *name, const char *open, const char *v, const char *close)
{
    if (!v || !*v)
        return;
    puts_(b, "   <");
    puts_(b, name);
    puts_(b, ">");
    puts_(b, open);
    put_text(b, v);
    puts_(b, close);
    puts_(b, "</");
    puts_(b, name);
    puts_(b, ">\n");
}

int rg_meta_date(long long t, char xmp[32], char pdf[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if ((long long)tt != t || !gmtime_r(&tt, &tm) || tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999)
        return -1;
    /* (ranges the compiler can see: a PDF date stops at second 59) */
    unsigned y = (unsigned)(tm.tm_year + 1900) % 10000u, mo = (unsigned)(tm.tm_mon + 1) % 100u,
             d = (unsigned)tm.tm_mday % 100u, h = (unsigned)tm.tm_hour % 100u, mi = (unsigned)tm.tm_min % 100u,
             sec = tm.tm_sec > 59 ? 59u : (unsigned)tm.tm_sec;
    if (xmp)
        snprintf(xmp, 32, "%04u-%02u-%02uT%02u:%02u:%02uZ", y, mo, d, h, mi, sec);
    if (pdf)
        snprintf(pdf, 32, "D:%04u%02u%02u%02u%02u%02uZ00'00'", y, mo, d, h, mi, sec);
    return 0;
}

static const char XMP_HEAD[] =
    "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
    " <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
    "  <rdf:Description rdf:about=\"\"\n"
    "    xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n"
    "    xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\"\n"
    "    xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\"\n"
    "    xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\"\n"
    "    xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
    "   <dc:format>application/pdf</dc:format>\n";

static const char XMP_IDS[] =
    "   <pdfaid:part>2</pdfaid:part>\n"
    "   <pdfaid:conformance>A</pdfaid:conformance>\n"
    "   <pdfuaid:part>1</pdfuaid:part>\n"
    "  </rdf:Description>\n"
    "  <rdf:Description rdf:about=\"\"\n"
    "    xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\"\n"
    "    xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\"\n"
    "    xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
    "   <pdfaExtension:schemas>\n"
    "    <rdf:Bag>\n"
    "     <rdf:li rdf:parseType=\"Resource\">\n"
    "      <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>\n"
    "      <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>\n"
    "      <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>\n"
    "      <pdfaSchema:property>\n"
    "       <rdf:Seq>\n"
    "        <rdf:li rdf:parseType=\"Resource\">\n"
    "         <pdfaProperty:name>part</pdfaProperty:name>\n"
    "         <pdfaProperty:valueType>Integer</pdfaProperty:valueType>\n"
    "         <pdfaProperty:category>internal</pdfaProperty:category>\n"
    "         <pdfaProperty:description>Part of ISO 14289 the file conforms to</pdfaProperty:description>\n"
    "        </rdf:li>\n"
    "       </rdf:Seq>\n"
    "      </pdfaSchema:property>\n"
    "     </rdf:li>\n"
    "    </rdf:Bag>\n"
    "   </pdfaExtension:schemas>\n"
    "  </rdf:Description>\n"
    " </rdf:RDF>\n"
    "</x:xmpmeta>\n"
    "<?xpacket end=\"w\"?>";

char *rg_xmp_packet(const rg_docinfo *in, const char *producer, size_t *len)
{
    xbuf b = {0};
    char date[32] = "";
    if (in->created != -1 && rg_meta_date(in->created, date, NULL) != 0)
        date[0] = '\0'; /* the painter refuses such a date before asking */
    puts_(&b, XMP_HEAD);
    prop(&b, "dc:title", "<rdf:Alt><rdf:li xml:lang=\"x-default\">", in->title, "</rdf:li></rdf:Alt>");
    prop(&b, "dc:creator", "<rdf:Seq><rdf:li>", in->author, "</rdf:li></rdf:Seq>");
    prop(&b, "dc:description", "<rdf:Alt><rdf:li xml:lang=\"x-default\">", in->subject, "</rdf:li></rdf:Alt>");
    prop(&b, "dc:language", "<rdf:Bag><rdf:li>", in->lang, "</rdf:li></rdf:Bag>");
    prop(&b, "pdf:Keywords", "", in->keywords, "");
    prop(&b, "pdf:Producer", "", producer, "");
    prop(&b, "xmp:CreatorTool", "", in->creator, "");
    prop(&b, "xmp:CreateDate", "", date, "");
    prop(&b, "xmp:ModifyDate", "", date, "");
    prop(&b, "xmp:MetadataDate", "", date, "");
    puts_(&b, XMP_IDS);
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    *len = b.n;
    return b.s;
}

/* ---- the output intent's profile ---------------------------------------- */

/* The output intent's profile: LittleCMS 2.14's sRGB profile, made once
 * by cmsCreate_sRGBProfile, cmsSetProfileVersion 4.2 (the ICC version PDF
 * 1.7 names, ICC.1:2004-10) and cmsSaveProfileToMem; then the header's
 * creation date (bytes 24-35: year, month, day, hour, minute, second, 16
 * bits each) set to 2000-01-01 00:00:00, and the profile ID (84-99), an
 * MD5 that covers the date, to "not computed"; its 588 bytes written out
 * as C. tests/unit/test_srgb.c makes it so again and compares. */
static const unsigned char srgb_icc[] = {
    0x00, 0x00, 0x02, 0x4c, 0x6c, 0x63, 0x6d, 0x73, 0x04, 0x20, 0x00, 0x00, 0x6d, 0x6e, 0x74, 0x72,
    0x52, 0x47, 0x42, 0x20, 0x58, 0x59, 0x5a, 0x20, 0x07, 0xd0, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x61, 0x63, 0x73, 0x70, 0x41, 0x50, 0x50, 0x4c, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf6, 0xd6, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0xd3, 0x2d,
    0x6c, 0x63, 0x6d, 0x73, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x0b, 0x64, 0x65, 0x73, 0x63, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x36,
    0x63, 0x70, 0x72, 0x74, 0x00, 0x00, 0x01, 0x40, 0x00, 0x00, 0x00, 0x4c, 0x77, 0x74, 0x70, 0x74,
    0x00, 0x00, 0x01, 0x8c, 0x00, 0x00, 0x00, 0x14, 0x63, 0x68, 0x61, 0x64, 0x00, 0x00, 0x01, 0xa0,
    0x00, 0x00, 0x00, 0x2c, 0x72, 0x58, 0x59, 0x5a, 0x00, 0x00, 0x01, 0xcc, 0x00, 0x00, 0x00, 0x14,
    0x62, 0x58, 0x59, 0x5a, 0x00, 0x00, 0x01, 0xe0, 0x00, 0x00, 0x00, 0x14, 0x67, 0x58, 0x59, 0x5a,
    0x00, 0x00, 0x01, 0xf4, 0x00, 0x00, 0x00, 0x14, 0x72, 0x54, 0x52, 0x43, 0x00, 0x00, 0x02, 0x08,
    0x00, 0x00, 0x00, 0x20, 0x67, 0x54, 0x52, 0x43, 0x00, 0x00, 0x02, 0x08, 0x00, 0x00, 0x00, 0x20,
    0x62, 0x54, 0x52, 0x43, 0x00, 0x00, 0x02, 0x08, 0x00, 0x00, 0x00, 0x20, 0x63, 0x68, 0x72, 0x6d,
    0x00, 0x00, 0x02, 0x28, 0x00, 0x00, 0x00, 0x24, 0x6d, 0x6c, 0x75, 0x63, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0c, 0x65, 0x6e, 0x55, 0x53, 0x00, 0x00, 0x00, 0x1a,
    0x00, 0x00, 0x00, 0x1c, 0x00, 0x73, 0x00, 0x52, 0x00, 0x47, 0x00, 0x42, 0x00, 0x20, 0x00, 0x62,
    0x00, 0x75, 0x00, 0x69, 0x00, 0x6c, 0x00, 0x74, 0x00, 0x2d, 0x00, 0x69, 0x00, 0x6e, 0x00, 0x00,
    0x6d, 0x6c, 0x75, 0x63, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0c,
    0x65, 0x6e, 0x55, 0x53, 0x00, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x4e, 0x00, 0x6f,
    0x00, 0x20, 0x00, 0x63, 0x00, 0x6f, 0x00, 0x70, 0x00, 0x79, 0x00, 0x72, 0x00, 0x69, 0x00, 0x67,
    0x00, 0x68, 0x00, 0x74, 0x00, 0x2c, 0x00, 0x20, 0x00, 0x75, 0x00, 0x73, 0x00, 0x65, 0x00, 0x20,
    0x00, 0x66, 0x00, 0x72, 0x00, 0x65, 0x00, 0x65, 0x00, 0x6c, 0x00, 0x79, 0x58, 0x59, 0x5a, 0x20,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf6, 0xd6, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0xd3, 0x2d,
    0x73, 0x66, 0x33, 0x32, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x0c, 0x42, 0x00, 0x00, 0x05, 0xde,
    0xff, 0xff, 0xf3, 0x25, 0x00, 0x00, 0x07, 0x93, 0x00, 0x00, 0xfd, 0x90, 0xff, 0xff, 0xfb, 0xa1,
    0xff, 0xff, 0xfd, 0xa2, 0x00, 0x00, 0x03, 0xdc, 0x00, 0x00, 0xc0, 0x6e, 0x58, 0x59, 0x5a, 0x20,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x6f, 0xa0, 0x00, 0x00, 0x38, 0xf5, 0x00, 0x00, 0x03, 0x90,
    0x58, 0x59, 0x5a, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x24, 0x9f, 0x00, 0x00, 0x0f, 0x84,
    0x00, 0x00, 0xb6, 0xc3, 0x58, 0x59, 0x5a, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x62, 0x97,
    0x00, 0x00, 0xb7, 0x87, 0x00, 0x00, 0x18, 0xd9, 0x70, 0x61, 0x72, 0x61, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x03, 0x00, 0x00, 0x00, 0x02, 0x66, 0x66, 0x00, 0x00, 0xf2, 0xa7, 0x00, 0x00, 0x0d, 0x59,
    0x00, 0x00, 0x13, 0xd0, 0x00, 0x00, 0x0a, 0x5b, 0x63, 0x68, 0x72, 0x6d, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0xa3, 0xd7, 0x00, 0x00, 0x54, 0x7b, 0x00, 0x00, 0x4c, 0xcd,
    0x00, 0x00, 0x99, 0x9a, 0x00, 0x00, 0x26, 0x66, 0x00, 0x00, 0x0f, 0x5c,
};

const unsigned char *rg_srgb_profile(size_t *len)
{
    *len = sizeof srgb_icc;
    return srgb_icc;
}

/* ---- page labels --------------------------------------------------------- */

/* Each page's label is its printed number. Unnumbered pages (a section
 * with count="no") at the start are the cover: "Cover", then "Cover 2",
 * "Cover 3"; an unnumbered run after page N reads "Na", "Nb", as inserted
 * plates are numbered in print. */
int rg_page_labels(const rg_pagelist *pl, rg_page_label *out)
{
    int n = 0, last = 0; /* the last printed number seen */
    const rg_page *prev = NULL;
    for (const rg_page *pg = pl->first; pg; prev = pg, pg = pg->next) {
        rg_page_label *l = &out[n];
        memset(l, 0, sizeof *l);
        l->start = pg->index;
        if (pg->number > 0) {
            last = pg->number;
            if (prev && prev->number > 0 && prev->number + 1 == pg->number)
                continue;
            l->style = 'D';
            l->first = pg->number;
        } else if (prev && prev->number == 0) {
            if (last > 0 || prev != pl->first)
                continue; /* the run goes on */
            snprintf(l->prefix, sizeof l->prefix, "Cover "); /* the cover's second page */
            l->style = 'D';
            l->first = 2;
        } else if (last == 0) {
            snprintf(l->prefix, sizeof l->prefix, "Cover");
        } else {
            snprintf(l->prefix, sizeof l->prefix, "%d", last);
            l->style = 'a';
            l->first = 1;
        }
        n++;
    }
    return n;
}
