/* Tests for transform.c's extension functions that stand for template
 * code: each answer is compared with what the template it replaced (kept
 * here as the oracle) gives for the same strings, through libxslt itself. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "transform.h"
#include "xml.h"

/* For each <s>: rg:years against the recursive template rules.xsl had, and
 * rg:upper against translate(), rg:occurring against contains() on both
 * strings folded to lower case; for each <set>, rg:widest against sorting
 * its values by the length of rg:num (as the annual report's tables did). */
static const char *style =
    "<xsl:stylesheet version='1.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'\n"
    "    xmlns:rg='urn:reportgen' exclude-result-prefixes='rg'>\n"
    "  <xsl:variable name='alnum' select=\"'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'\"/>\n"
    "  <xsl:variable name='up' select=\"'ABCDEFGHIJKLMNOPQRSTUVWXYZ'\"/>\n"
    "  <xsl:variable name='low' select=\"'abcdefghijklmnopqrstuvwxyz'\"/>\n"
    "  <xsl:template match='/'><r><xsl:apply-templates select='//s | //set'/></r></xsl:template>\n"
    "  <xsl:template match='set'>\n"
    "    <xsl:variable name='old'><xsl:for-each select='v'>\n"
    "      <xsl:sort select='string-length(rg:num(normalize-space(.)))' data-type='number' order='descending'/>\n"
    "      <xsl:if test='position() = 1'><xsl:value-of select='string-length(rg:num(normalize-space(.)))'/></xsl:if>\n"
    "    </xsl:for-each></xsl:variable>\n"
    "    <w new='{rg:widest(v)}' old='{$old}'/>\n"
    "  </xsl:template>\n"
    "  <xsl:template match='s'>\n"
    "    <xsl:variable name='text' select='string(.)'/>\n"
    "    <xsl:variable name='old'><xsl:call-template name='years'>\n"
    "      <xsl:with-param name='text' select='$text'/></xsl:call-template></xsl:variable>\n"
    "    <y new='{rg:years($text)}' old='{$old}'/>\n"
    "    <u new='{rg:upper($text)}' old='{translate($text, $low, $up)}'/>\n"
    "    <xsl:variable name='folded' select='translate($text, $up, $low)'/>\n"
    "    <xsl:for-each select='//name'>\n"
    "      <o new='{count(rg:occurring($text, .))}'\n"
    "         old='{number(normalize-space(.) != \"\" and\n"
    "               contains($folded, translate(normalize-space(.), $up, $low)))}'/>\n"
    "    </xsl:for-each>\n"
    "  </xsl:template>\n"
    "  <xsl:template name='years'>\n"
    "    <xsl:param name='text'/>\n"
    "    <xsl:param name='prev' select=\"' '\"/>\n"
    "    <xsl:choose>\n"
    "      <xsl:when test='string-length($text) &lt; 4'>|</xsl:when>\n"
    "      <xsl:otherwise>\n"
    "        <xsl:variable name='four' select='substring($text, 1, 4)'/>\n"
    "        <xsl:variable name='next' select='substring($text, 5, 1)'/>\n"
    "        <xsl:if test=\"translate($four, '0123456789', '') = '' and (starts-with($four, '19') or\n"
    "            starts-with($four, '20')) and translate($prev, $alnum, '') != '' and\n"
    "            ($next = '' or translate($next, $alnum, '') != '')\">|<xsl:value-of select='$four'/></xsl:if>\n"
    "        <xsl:call-template name='years'>\n"
    "          <xsl:with-param name='text' select='substring($text, 2)'/>\n"
    "          <xsl:with-param name='prev' select='substring($text, 1, 1)'/>\n"
    "        </xsl:call-template>\n"
    "      </xsl:otherwise>\n"
    "    </xsl:choose>\n"
    "  </xsl:template>\n"
    "</xsl:stylesheet>\n";

static const char *input =
    "<t>\n"
    "  <s>2021 Report Card</s><s>FY2021-2022 and 1999</s><s>2020/2021</s><s>20210</s>\n"
    "  <s>1899 1900 2099 2100 1999a a1999 _1999_</s><s></s><s>202</s><s>2021</s><s> 2021</s><s>2020 2021</s>\n"
    "  <s>Łódź 2020é é2021 2022–2023 «1998»</s><s>x20201 2019.</s><s>New  york and Texas</s>\n"
    "  <s>Arkansas, KANSAS; west virginia</s>\n"
    "  <name>Kansas</name><name>New York</name><name> new\n  york </name><name>Texas</name>\n"
    "  <name>Virginia</name><name>Utah</name><name>  </name><name>Łódź</name>\n"
    "  <set><v>08.50</v><v> 12 </v><v>abc</v><v>-0.5</v></set>\n"
    "  <set><v>1 2</v><v>0012.000</v><v>\n 999 </v><v/><v>-1234.567</v><v>7</v></set>\n"
    "  <set><v>x</v><v/></set>\n"
    "</t>\n";

/* The file name in folder dir, its path in path (64 bytes), with text in it. */
static void write_file(char *path, const char *dir, const char *name, const char *text)
{
    snprintf(path, 64, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void test_same_as_templates(void **state)
{
    (void)state;
    char dir[] = "/tmp/rg-transform-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char xsl[64], xml[64];
    write_file(xsl, dir, "t.xsl", style);
    write_file(xml, dir, "t.xml", input);
    rg_diags *d = rg_diags_new();
    assert_non_null(d);
    xsltStylesheetPtr s = rg_xslt_compile(xsl, NULL, d);
    assert_non_null(s);
    xmlDocPtr in = xmlReadFile(xml, NULL, XML_PARSE_NONET);
    assert_non_null(in);
    xmlDocPtr out = rg_xslt_apply(s, xsl, in, NULL, NULL, d);
    assert_non_null(out);
    int years = 0, upper = 0, occurring = 0, hits = 0, widest = 0;
    for (xmlNodePtr n = xmlDocGetRootElement(out)->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *a = xmlGetProp(n, (const xmlChar *)"new"), *b = xmlGetProp(n, (const xmlChar *)"old");
        assert_non_null(a);
        assert_non_null(b);
        if (strcmp((const char *)a, (const char *)b) != 0)
            fail_msg("%s: rg gives '%s', the template '%s'", (const char *)n->name, (const char *)a,
                     (const char *)b);
        if (n->name[0] == 'y')
            years += strcmp((const char *)a, "|") != 0;
        else if (n->name[0] == 'u')
            upper++;
        else if (n->name[0] == 'w')
            widest = widest * 10 + atoi((const char *)a);
        else
            occurring++, hits += strcmp((const char *)a, "1") == 0;
        xmlFree(a);
        xmlFree(b);
    }
    /* the strings hold years and names: the comparisons compared something */
    assert_int_equal(years, 9);
    assert_int_equal(upper, 14);
    assert_int_equal(widest, 490); /* "-0.5"; "-1234.567"; none */
    assert_int_equal(occurring, 14 * 8);
    assert_int_equal(hits, 4);
    xmlFreeDoc(out);
    xmlFreeDoc(in);
    xsltFreeStylesheet(s);
    rg_diags_free(d);
    unlink(xsl);
    unlink(xml);
    rmdir(dir);
}

/* EXSLT: exsl:node-set() is there from the start (libxslt's own, under
 * EXSLT's name); the rest (str:, math:, exsl:object-type) once a stylesheet,
 * or one it imports, asks for it: libexslt is opened then, not before. */
static void test_exslt(void **state)
{
    (void)state;
    char dir[] = "/tmp/rg-exslt-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char a[64], b[64], main_xsl[64], xml[64];
    write_file(xml, dir, "in.xml", "<in><v>3</v><v>11</v><v>7</v></in>\n");
    write_file(a, dir, "a.xsl", "<xsl:stylesheet version='1.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'\n"
                  "    xmlns:exsl='http://exslt.org/common'>\n"
                  "  <xsl:template match='/'><xsl:variable name='t'><x>1</x><x>2</x></xsl:variable>\n"
                  "    <out n='{count(exsl:node-set($t)/x)}'/></xsl:template>\n"
                  "</xsl:stylesheet>\n");
    write_file(b, dir, "b.xsl", "<xsl:stylesheet version='1.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'\n"
                  "    xmlns:str='http://exslt.org/strings' xmlns:math='http://exslt.org/math'\n"
                  "    xmlns:exsl='http://exslt.org/common'>\n"
                  "  <xsl:template name='more'><more max='{math:max(//v)}'\n"
                  "      words='{count(str:tokenize(\"a b  c\", \" \"))}' type='{exsl:object-type(//v)}'/>\n"
                  "  </xsl:template>\n"
                  "</xsl:stylesheet>\n");
    write_file(main_xsl, dir, "main.xsl", "<xsl:stylesheet version='1.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>\n"
                         "  <xsl:import href='b.xsl'/>\n"
                         "  <xsl:template match='/'><xsl:call-template name='more'/></xsl:template>\n"
                         "</xsl:stylesheet>\n");
    rg_diags *d = rg_diags_new();
    xmlDocPtr in = xmlReadFile(xml, NULL, XML_PARSE_NONET);
    assert_non_null(in);
    /* node-set() alone: no libexslt */
    xsltStylesheetPtr s = rg_xslt_compile(a, NULL, d);
    assert_non_null(s);
    xmlDocPtr out = rg_xslt_apply(s, a, in, NULL, NULL, d);
    assert_non_null(out);
    xmlChar *n = xmlGetProp(xmlDocGetRootElement(out), (const xmlChar *)"n");
    assert_string_equal((const char *)n, "2");
    xmlFree(n);
    xmlFreeDoc(out);
    xsltFreeStylesheet(s);
    assert_null(dlopen("libexslt.so.0", RTLD_NOW | RTLD_NOLOAD));
    /* strings, math and object-type, asked for by an imported stylesheet */
    s = rg_xslt_compile(main_xsl, NULL, d);
    assert_non_null(s);
    out = rg_xslt_apply(s, main_xsl, in, NULL, NULL, d);
    if (!out)
        fail_msg("%s", rg_diags_count(d) ? rg_diags_get(d, 0)->message : "no output");
    xmlNodePtr r = xmlDocGetRootElement(out);
    xmlChar *mx = xmlGetProp(r, (const xmlChar *)"max"), *w = xmlGetProp(r, (const xmlChar *)"words"),
            *t = xmlGetProp(r, (const xmlChar *)"type");
    assert_string_equal((const char *)mx, "11");
    assert_string_equal((const char *)w, "3");
    assert_string_equal((const char *)t, "node-set");
    xmlFree(mx);
    xmlFree(w);
    xmlFree(t);
    void *h = dlopen("libexslt.so.0", RTLD_NOW | RTLD_NOLOAD);
    assert_non_null(h);
    dlclose(h);
    assert_int_equal(rg_diags_count(d), 0);
    xmlFreeDoc(out);
    xsltFreeStylesheet(s);
    xmlFreeDoc(in);
    rg_diags_free(d);
    unlink(a);
    unlink(b);
    unlink(main_xsl);
    unlink(xml);
    rmdir(dir);
}

/* Whitespace in a stylesheet: what XSLT strips (text of blanks only
 * between elements) is left out as the stylesheet and those it imports
 * are read, and what it keeps stays: xsl:text's blanks, with a comment
 * after them too, and text under xml:space="preserve"; a document read
 * with document() keeps all its text. */
static int blank_texts(xmlNodePtr n)
{
    int count = 0;
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE && xmlIsBlankNode(n) &&
            !(n->parent && xmlStrEqual(n->parent->name, (const xmlChar *)"text")) &&
            xmlNodeGetSpacePreserve(n->parent) != 1)
            count++;
        if (n->type == XML_ELEMENT_NODE)
            count += blank_texts(n->children);
    }
    return count;
}

static void test_stylesheet_blanks(void **state)
{
    (void)state;
    char dir[] = "/tmp/rg-blanks-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char main_xsl[64], part[64], data[64], xml[64];
    write_file(xml, dir, "in.xml", "<in/>\n");
    write_file(data, dir, "data.xml", "<d> <e/> </d>\n");
    write_file(part, dir, "part.xsl", "<xsl:stylesheet version='1.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>\n"
                     "  <xsl:template name='part'>\n"
                     "    <c><xsl:text> <!-- a comment after the blank --></xsl:text></c>\n"
                     "    <q xml:space='preserve'> <b/> </q>\n"
                     "  </xsl:template>\n"
                     "</xsl:stylesheet>\n");
    write_file(main_xsl, dir, "main.xsl", "<xsl:stylesheet version='1.0' xmlns:xsl='http://www.w3.org/1999/XSL/Transform'>\n"
                         "  <xsl:import href='part.xsl'/>\n"
                         "  <xsl:template match='/'>\n"
                         "    <r>\n"
                         "      <a><xsl:text>  </xsl:text></a>\n"
                         "      <s> <b/> </s>\n"
                         "      <xsl:call-template name='part'/>\n"
                         "      <t><xsl:value-of select=\"concat('[', document('data.xml')/d, ']')\"/></t>\n"
                         "    </r>\n"
                         "  </xsl:template>\n"
                         "</xsl:stylesheet>\n");
    rg_diags *d = rg_diags_new();
    xmlDocPtr in = xmlReadFile(xml, NULL, XML_PARSE_NONET);
    assert_non_null(in);
    /* as read, nothing XSLT strips is left in a stylesheet */
    const char *const sheets[] = {main_xsl, part};
    for (int i = 0; i < 2; i++) {
        xmlDocPtr doc = rg_xml_read_stylesheet(sheets[i], NULL, d);
        assert_non_null(doc);
        assert_int_equal(blank_texts(doc->children), 0);
        xmlFreeDoc(doc);
    }
    xsltStylesheetPtr s = rg_xslt_compile(main_xsl, NULL, d);
    assert_non_null(s);
    xmlDocPtr out = rg_xslt_apply(s, main_xsl, in, NULL, NULL, d);
    if (!out)
        fail_msg("%s", rg_diags_count(d) ? rg_diags_get(d, 0)->message : "no output");
    static const char *const want[][2] = {{"a", "  "}, {"s", ""}, {"c", " "}, {"q", "  "}, {"t", "[  ]"}};
    int seen = 0;
    for (xmlNodePtr n = xmlDocGetRootElement(out)->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *text = xmlNodeGetContent(n);
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
            if (xmlStrEqual(n->name, (const xmlChar *)want[i][0])) {
                if (strcmp((const char *)text, want[i][1]) != 0)
                    fail_msg("<%s>: \"%s\", expected \"%s\"", want[i][0], (const char *)text, want[i][1]);
                seen++;
            }
        xmlFree(text);
    }
    assert_int_equal(seen, 5);
    assert_int_equal(rg_diags_count(d), 0);
    xmlFreeDoc(out);
    xsltFreeStylesheet(s);
    xmlFreeDoc(in);
    rg_diags_free(d);
    unlink(main_xsl);
    unlink(part);
    unlink(data);
    unlink(xml);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exslt),
        cmocka_unit_test(test_stylesheet_blanks),
        cmocka_unit_test(test_same_as_templates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
