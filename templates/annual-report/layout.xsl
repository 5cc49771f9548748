<?xml version="1.0" encoding="UTF-8"?>
<!-- An annual report on US Letter: a formal cover that is neither numbered
     nor counted, made of the parts the data gives; the contents; then the
     body in the data's order: the member list in two columns over as many
     pages as it needs, the sections, the recommendations with their
     dissents, the member activities with their figures, each statute with
     its text, a table of arrests and convictions by year (with a total
     computed here; stacked blocks past 12 years) and a bar chart of both;
     and the closing notes.
     Every word of content comes from the data. The template adds only what a
     layout adds: the running header and footer, "Contents", the table's
     "Total" column and the series names, "Class", "Sec.", "%", the phrases
     "Submitted to the", "Report prepared by", "represented by" (a seat's
     default) and the sample-data notice, and the punctuation that joins
     names, figures and labels. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen"
    exclude-result-prefixes="rg">
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:strip-space elements="annual-report cover commission chair members member section findings figures group
                             tally groups breakdown recommendations consensus without-consensus recommendation
                             dissent activities activity statutes statute closing list"/>

  <xsl:variable name="report" select="/annual-report"/>
  <xsl:variable name="cover" select="$report/cover"/>

  <!-- the theme's name, only passed on to <document theme>: the data's,
       else the brand (../common/brands.xml) of the body the cover names
       (its agency, council, commission or the commission's assembly), else neutral -->
  <xsl:variable name="brand"
      select="(document('../common/brands.xml')/brands/brand[@organization = normalize-space($cover/agency)
               or @organization = normalize-space($cover/council) or @organization = normalize-space($cover/commission/name)
               or @organization = normalize-space($cover/commission/assembly)]/@theme)[1]"/>
  <xsl:param name="theme">
    <xsl:choose>
      <xsl:when test="$report/@theme"><xsl:value-of select="normalize-space($report/@theme)"/></xsl:when>
      <xsl:when test="$brand"><xsl:value-of select="$brand"/></xsl:when>
      <xsl:otherwise>neutral</xsl:otherwise>
    </xsl:choose>
  </xsl:param>

  <!-- Every part of the cover is optional but the title: the names below
       are empty when the data leaves them out. -->
  <xsl:variable name="council" select="normalize-space($cover/council)"/>
  <xsl:variable name="sample" select="normalize-space($report/@sample) = 'yes'"/>
  <!-- the period as written: the title's (before it) or the cover's own line -->
  <xsl:variable name="period">
    <xsl:choose>
      <xsl:when test="$cover/title/@period"><xsl:value-of select="normalize-space($cover/title/@period)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="normalize-space($cover/period)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="title">
    <xsl:if test="$cover/title/@period"><xsl:value-of select="concat($period, ' ')"/></xsl:if>
    <xsl:value-of select="normalize-space($cover/title)"/>
  </xsl:variable>
  <!-- the running header's "council · title", and the PDF's title -->
  <xsl:variable name="long-title">
    <xsl:if test="$council != ''"><xsl:value-of select="concat($council, ' ')"/></xsl:if>
    <xsl:value-of select="$title"/>
    <xsl:if test="not($cover/title/@period) and $period != ''"><xsl:value-of select="concat(', ', $period)"/></xsl:if>
    <xsl:if test="$sample"> (sample data)</xsl:if>
  </xsl:variable>
  <xsl:variable name="header-title">
    <xsl:if test="$council != ''"><xsl:value-of select="concat($council, ' · ')"/></xsl:if>
    <xsl:value-of select="$title"/>
    <xsl:if test="not($cover/title/@period) and $period != ''"><xsl:value-of select="concat(', ', $period)"/></xsl:if>
  </xsl:variable>
  <xsl:variable name="assembly">
    <xsl:choose>
      <xsl:when test="$cover/commission/assembly"><xsl:value-of select="normalize-space($cover/commission/assembly)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="normalize-space($cover/assembly)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="author">
    <xsl:choose>
      <xsl:when test="$cover/chair[@kind = 'administrative']/organization">
        <xsl:value-of select="normalize-space($cover/chair[@kind = 'administrative']/organization)"/>
      </xsl:when>
      <xsl:when test="$cover/commission"><xsl:value-of select="normalize-space($cover/commission/name)"/></xsl:when>
      <xsl:when test="$cover/agency"><xsl:value-of select="normalize-space($cover/agency)"/></xsl:when>
      <xsl:when test="$cover/prepared-by"><xsl:value-of select="normalize-space($cover/prepared-by)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$council"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="subject">
    <xsl:if test="$assembly != ''"><xsl:value-of select="concat($assembly, ': ')"/></xsl:if>
    <xsl:value-of select="$title"/>
    <xsl:if test="$council != ''"><xsl:value-of select="concat(' of the ', $council)"/></xsl:if>
  </xsl:variable>
  <xsl:variable name="keywords">
    <xsl:for-each select="$cover/commission/assembly | $cover/assembly[not($cover/commission/assembly)] | $cover/council">
      <xsl:value-of select="concat(normalize-space(.), ', ')"/>
    </xsl:for-each>
    <xsl:text>annual report, </xsl:text>
    <xsl:if test="$period != ''"><xsl:value-of select="concat($period, ', ')"/></xsl:if>
    <xsl:if test="$cover/commission/@abbreviation"><xsl:value-of select="concat(normalize-space($cover/commission/@abbreviation), ', ')"/></xsl:if>
    <xsl:text>human trafficking</xsl:text>
    <xsl:if test="//statute">, arrests and convictions</xsl:if>
  </xsl:variable>

  <xsl:template match="/">
    <document title="{$long-title}" author="{$author}" subject="{$subject}" keywords="{$keywords}"
              lang="en-US" theme="{$theme}">
      <xsl:if test="$cover/date">
        <xsl:attribute name="created"><xsl:value-of select="$cover/date/@iso"/></xsl:attribute>
      </xsl:if>
      <page-style name="cover" size="letter" margin="72pt 72pt 72pt 72pt"/>
      <page-style name="body" size="letter" margin="72pt 72pt 68pt 72pt">
        <header>
          <table padding="0">
            <col width="3*"/>
            <col width="2*"/>
            <row>
              <cell style="header"><xsl:value-of select="$header-title"/></cell>
              <cell style="header" align="right">
                <xsl:value-of select="$assembly"/>
                <xsl:if test="$sample">
                  <xsl:if test="$assembly != ''"> · </xsl:if>
                  <xsl:text>Sample data</xsl:text>
                </xsl:if>
              </cell>
            </row>
          </table>
          <rule color="rule" width="0.5pt" space-before="3pt"/>
        </header>
        <footer>
          <rule color="rule" width="0.5pt" space-after="4pt"/>
          <p style="footer">Page <page-number/> of <page-count/></p>
        </footer>
      </page-style>
      <section page-style="cover" count="no">
        <xsl:apply-templates select="$cover"/>
      </section>
      <section page-style="body">
        <h level="1" style="contents-heading">Contents</h>
        <toc levels="2"/>
      </section>
      <section page-style="body">
        <xsl:apply-templates select="$report/*[not(self::cover)]"/>
      </section>
    </document>
  </xsl:template>

  <!-- ===== the cover ===== -->
  <!-- From the top: the commission or agency, the state and assembly, the
       title between double rules (with the subtitle and period), the chairs,
       who prepared it, whom it is submitted to, the date, the notice. A part
       the data leaves out leaves no line. -->
  <xsl:template match="cover">
    <xsl:if test="$sample">
      <box fill="#fdf1e4" stroke="#b45309" stroke-width="1pt" radius="4pt" padding="5pt 10pt" src-line="{rg:line(..)}">
        <p size="9pt" leading="1.25" color="#b45309" align="center" src-line="{rg:line(..)}">
          <b>Sample data, not a published report.</b>
          <xsl:text> Every name, figure and text in this document is invented to show the layout.</xsl:text>
        </p>
      </box>
    </xsl:if>
    <spacer height="24pt"/>
    <xsl:apply-templates select="commission | agency"/>
    <rule color="brand" width="1.5pt" space-before="54pt" space-after="1.5pt"/>
    <rule color="brand" width="0.5pt" space-after="24pt"/>
    <xsl:for-each select="state | assembly">
      <p style="cover-state" src-line="{rg:line(.)}"><xsl:value-of select="normalize-space(.)"/></p>
    </xsl:for-each>
    <h level="1" bookmark="no" style="cover-title" src-line="{rg:line(title)}">
      <xsl:if test="council">
        <xsl:value-of select="$council"/>
        <br/>
      </xsl:if>
      <xsl:value-of select="$title"/>
    </h>
    <xsl:if test="subtitle">
      <p style="cover-small" size="14pt" space-before="6pt" src-line="{rg:line(subtitle)}"><xsl:value-of select="normalize-space(subtitle)"/></p>
    </xsl:if>
    <xsl:if test="period">
      <p style="cover-state" space-before="8pt" src-line="{rg:line(period)}"><xsl:value-of select="normalize-space(period)"/></p>
    </xsl:if>
    <rule color="brand" width="0.5pt" space-before="24pt" space-after="1.5pt"/>
    <rule color="brand" width="1.5pt" space-after="40pt"/>
    <xsl:apply-templates select="chair"/>
    <xsl:if test="prepared-by">
      <p style="cover-role" space-before="16pt" src-line="{rg:line(prepared-by)}">
        <xsl:value-of select="concat('Report prepared by ', normalize-space(prepared-by))"/>
      </p>
    </xsl:if>
    <xsl:if test="submitted-to | date">
      <spacer height="48pt"/>
    </xsl:if>
    <xsl:if test="submitted-to">
      <p style="cover-submitted" src-line="{rg:line(submitted-to)}">
        <xsl:value-of select="concat('Submitted to the ', normalize-space(submitted-to))"/>
      </p>
    </xsl:if>
    <xsl:if test="date">
      <p style="cover-date" src-line="{rg:line(date)}"><xsl:value-of select="normalize-space(date)"/></p>
    </xsl:if>
    <xsl:apply-templates select="notice"/>
  </xsl:template>

  <xsl:template match="commission">
    <p style="cover-commission" src-line="{rg:line(name)}"><xsl:value-of select="normalize-space(name)"/></p>
    <xsl:if test="@abbreviation">
      <p style="cover-abbreviation" src-line="{rg:line(.)}"><xsl:value-of select="normalize-space(@abbreviation)"/></p>
    </xsl:if>
    <xsl:if test="assembly">
      <p style="cover-small" src-line="{rg:line(assembly)}"><xsl:value-of select="normalize-space(assembly)"/></p>
    </xsl:if>
  </xsl:template>

  <xsl:template match="agency">
    <p style="cover-commission" size="14pt" src-line="{rg:line(.)}"><xsl:value-of select="normalize-space(.)"/></p>
  </xsl:template>

  <!-- The front notice: a box under the date -->
  <xsl:template match="notice">
    <box stroke="brand" stroke-width="1.5pt" radius="4pt" padding="10pt 14pt" space-before="28pt" src-line="{rg:line(.)}">
      <xsl:if test="title">
        <p style="cover-submitted" space-after="4pt" src-line="{rg:line(title)}"><xsl:value-of select="normalize-space(title)"/></p>
      </xsl:if>
      <xsl:for-each select="p">
        <p style="closing" src-line="{rg:line(.)}"><xsl:apply-templates/></p>
      </xsl:for-each>
    </box>
  </xsl:template>

  <xsl:template match="chair">
    <p style="cover-chair" src-line="{rg:line(.)}">
      <xsl:apply-templates select="organization | person"/>
    </p>
    <p style="cover-role" src-line="{rg:line(role)}"><xsl:value-of select="normalize-space(role)"/></p>
  </xsl:template>

  <xsl:template match="chair/organization">
    <xsl:value-of select="normalize-space(.)"/>
  </xsl:template>

  <!-- "State Representative Jillian Gilchrest, MSW" -->
  <xsl:template match="person">
    <xsl:if test="@title"><xsl:value-of select="concat(normalize-space(@title), ' ')"/></xsl:if>
    <xsl:value-of select="concat(normalize-space(@first), ' ', normalize-space(@last))"/>
    <xsl:if test="@suffix"><xsl:value-of select="concat(', ', normalize-space(@suffix))"/></xsl:if>
  </xsl:template>

  <!-- ===== members, in two columns ===== -->
  <!-- The columns continue over as many pages as the list needs; an entry
       keeps together, a group's heading keeps with its first entry. -->
  <xsl:template match="members">
    <h level="1" style="h1" id="{@id}" src-line="{rg:line(title)}"><xsl:value-of select="normalize-space(title)"/></h>
    <columns count="2" gap="18pt" src-line="{rg:line(.)}">
      <xsl:apply-templates select="member | seat | group"/>
    </columns>
  </xsl:template>

  <!-- A group is one level under the list (H2), whatever its look: a
       screen reader must not meet H3 right after H1. -->
  <xsl:template match="members/group">
    <h level="2" style="h3" bookmark="no" src-line="{rg:line(title)}"><xsl:value-of select="normalize-space(title)"/></h>
    <xsl:apply-templates select="member | seat"/>
  </xsl:template>

  <!-- "The Attorney General" over "represented by Jane Doe, Assistant
       Attorney General", each further person on a line of their own -->
  <xsl:template match="seat">
    <p style="member" keep-together="yes" src-line="{rg:line(.)}">
      <b style="member-name"><xsl:value-of select="normalize-space(office)"/></b>
      <xsl:if test="person">
        <br/>
        <xsl:choose>
          <xsl:when test="@by"><xsl:value-of select="concat(normalize-space(@by), ' ')"/></xsl:when>
          <xsl:otherwise>represented by </xsl:otherwise>
        </xsl:choose>
        <xsl:for-each select="person">
          <xsl:apply-templates select="."/>
          <xsl:if test="@position"><xsl:value-of select="concat(', ', normalize-space(@position))"/></xsl:if>
          <xsl:if test="@role = 'designee'"> (designee)</xsl:if>
          <xsl:if test="@role = 'chair'"> (chair)</xsl:if>
          <xsl:if test="position() != last()"><br/></xsl:if>
        </xsl:for-each>
      </xsl:if>
    </p>
  </xsl:template>

  <!-- "Doyle, John (Jack) P. Jr." over "Chief State's Attorney's Office" -->
  <xsl:template match="member">
    <p style="member" keep-together="yes" src-line="{rg:line(.)}">
      <b style="member-name">
        <xsl:value-of select="concat(normalize-space(name/@last), ', ', normalize-space(name/@first))"/>
        <xsl:if test="name/@title"><xsl:value-of select="concat(' ', normalize-space(name/@title))"/></xsl:if>
        <xsl:if test="name/@suffix"><xsl:value-of select="concat(' ', normalize-space(name/@suffix))"/></xsl:if>
      </b>
      <br/>
      <xsl:choose>
        <xsl:when test="organization">
          <xsl:if test="organization/@position">
            <xsl:value-of select="concat(normalize-space(organization/@position), ', ')"/>
          </xsl:if>
          <xsl:value-of select="normalize-space(organization)"/>
          <xsl:if test="@role = 'designee'"> designee</xsl:if>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="normalize-space(position)"/></xsl:otherwise>
      </xsl:choose>
    </p>
  </xsl:template>

  <!-- ===== sections, headings and blocks ===== -->

  <!-- The heading level is the depth in the report: a section of the report
       is level 1, its subsections 2, theirs 3. -->
  <xsl:template name="heading">
    <xsl:param name="text" select="normalize-space(title)"/>
    <xsl:variable name="depth" select="count(ancestor-or-self::*) - 1"/>
    <xsl:variable name="level">
      <xsl:choose>
        <xsl:when test="$depth &gt; 3">3</xsl:when>
        <xsl:otherwise><xsl:value-of select="$depth"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <h level="{$level}" style="h{$level}" id="{@id}" src-line="{rg:line(title)}"><xsl:value-of select="$text"/></h>
  </xsl:template>

  <xsl:template match="section | activities | activity">
    <xsl:call-template name="heading"/>
    <xsl:apply-templates select="*[not(self::title)]"/>
  </xsl:template>

  <xsl:template match="p">
    <p style="text" src-line="{rg:line(.)}"><xsl:apply-templates/></p>
  </xsl:template>

  <xsl:template match="findings">
    <p style="label" keep-with-next="yes" src-line="{rg:line(label)}"><xsl:value-of select="normalize-space(label)"/></p>
    <xsl:apply-templates select="*[not(self::label)]"/>
  </xsl:template>

  <!-- Lists: bullets, dashes one level down. -->
  <xsl:template match="list">
    <list indent="14pt" src-line="{rg:line(.)}">
      <xsl:if test="not(ancestor::list)">
        <xsl:attribute name="space-after">6pt</xsl:attribute>
      </xsl:if>
      <xsl:attribute name="marker">
        <xsl:choose>
          <xsl:when test="count(ancestor::list) mod 2 = 1">dash</xsl:when>
          <xsl:otherwise>bullet</xsl:otherwise>
        </xsl:choose>
      </xsl:attribute>
      <xsl:apply-templates select="item"/>
    </list>
  </xsl:template>

  <xsl:template match="item">
    <item src-line="{rg:line(.)}"><xsl:apply-templates/></item>
  </xsl:template>

  <!-- "Number of youth provided rapid responses: 64" -->
  <xsl:template match="figures">
    <list marker="bullet" indent="14pt" space-after="6pt" src-line="{rg:line(.)}">
      <xsl:apply-templates select="figure | group"/>
    </list>
  </xsl:template>

  <xsl:template match="figures/group">
    <item src-line="{rg:line(.)}">
      <i><xsl:value-of select="normalize-space(label)"/></i>
      <list marker="dash" indent="14pt">
        <xsl:apply-templates select="figure"/>
      </list>
    </item>
  </xsl:template>

  <xsl:template match="figure">
    <item src-line="{rg:line(.)}">
      <xsl:value-of select="concat(normalize-space(.), ': ')"/>
      <b><xsl:call-template name="count"><xsl:with-param name="n" select="@value"/></xsl:call-template></b>
    </item>
  </xsl:template>

  <!-- A stated total, its breakdowns and its groups:
       "Total clients referred ... in 2021 – 23", then the lists. -->
  <xsl:template match="tally">
    <p style="text" src-line="{rg:line(.)}">
      <xsl:value-of select="concat(normalize-space(label), ' – ')"/>
      <b><xsl:call-template name="count"><xsl:with-param name="n" select="@stated"/></xsl:call-template></b>
    </p>
    <list marker="bullet" indent="14pt" space-after="6pt" src-line="{rg:line(.)}">
      <xsl:apply-templates select="breakdown | groups"/>
    </list>
  </xsl:template>

  <xsl:template match="groups">
    <item src-line="{rg:line(.)}">
      <xsl:value-of select="normalize-space(label)"/>
      <list marker="dash" indent="14pt">
        <xsl:apply-templates select="group"/>
      </list>
    </item>
  </xsl:template>

  <!-- "Sex Trafficking – 20", and a line for each breakdown under it -->
  <xsl:template match="groups/group">
    <item src-line="{rg:line(.)}">
      <xsl:value-of select="concat(normalize-space(label), ' – ')"/>
      <b><xsl:call-template name="count"><xsl:with-param name="n" select="@count"/></xsl:call-template></b>
      <xsl:if test="breakdown">
        <list marker="bullet" indent="14pt">
          <xsl:apply-templates select="breakdown"/>
        </list>
      </xsl:if>
    </item>
  </xsl:template>

  <!-- With a label: the label, and a line for each share under it.
       Without: "10% Black; 40% Hispanic/Latina; ..." on one line. -->
  <xsl:template match="breakdown[label]">
    <item src-line="{rg:line(.)}">
      <xsl:value-of select="normalize-space(label)"/>
      <list marker="dash" indent="14pt">
        <xsl:for-each select="share">
          <item src-line="{rg:line(.)}">
            <xsl:call-template name="share"/>
          </item>
        </xsl:for-each>
      </list>
    </item>
  </xsl:template>

  <xsl:template match="breakdown">
    <item src-line="{rg:line(.)}">
      <xsl:for-each select="share">
        <xsl:call-template name="share"/>
        <xsl:if test="position() != last()">; </xsl:if>
      </xsl:for-each>
      <xsl:text>.</xsl:text>
    </item>
  </xsl:template>

  <xsl:template name="share">
    <b><xsl:value-of select="concat(rg:num(normalize-space(@percent)), '%')"/></b>
    <xsl:value-of select="concat(' ', normalize-space(.))"/>
  </xsl:template>

  <!-- ===== inline ===== -->
  <xsl:template match="em">
    <i><xsl:apply-templates/></i>
  </xsl:template>

  <xsl:template match="strong">
    <b><xsl:apply-templates/></b>
  </xsl:template>

  <xsl:template match="count">
    <xsl:call-template name="count"><xsl:with-param name="n" select="."/></xsl:call-template>
  </xsl:template>

  <xsl:template match="percent">
    <xsl:value-of select="concat(rg:num(normalize-space(.)), '%')"/>
  </xsl:template>

  <!-- Text: runs of white space become one space; none at the start or end
       of a paragraph or item, or next to a nested list. -->
  <xsl:template match="text()">
    <xsl:variable name="n" select="normalize-space(.)"/>
    <xsl:variable name="before" select="preceding-sibling::node()[1][not(self::list)]"/>
    <xsl:variable name="after" select="following-sibling::node()[1][not(self::list)]"/>
    <xsl:if test="$before and (substring(., 1, 1) = ' ' or substring(., 1, 1) = '&#10;' or substring(., 1, 1) = '&#9;' or substring(., 1, 1) = '&#13;')">
      <xsl:text> </xsl:text>
    </xsl:if>
    <xsl:value-of select="$n"/>
    <xsl:if test="$after and $n != '' and (substring(., string-length(.)) = ' ' or substring(., string-length(.)) = '&#10;' or substring(., string-length(.)) = '&#9;' or substring(., string-length(.)) = '&#13;')">
      <xsl:text> </xsl:text>
    </xsl:if>
  </xsl:template>

  <!-- ===== recommendations ===== -->
  <xsl:template match="recommendations">
    <xsl:call-template name="heading"/>
    <xsl:apply-templates select="consensus | without-consensus"/>
  </xsl:template>

  <xsl:template match="consensus | without-consensus">
    <xsl:call-template name="heading"/>
    <list marker="bullet" indent="14pt" space-after="6pt" src-line="{rg:line(.)}">
      <xsl:apply-templates select="recommendation"/>
    </list>
  </xsl:template>

  <xsl:template match="recommendation">
    <item src-line="{rg:line(.)}">
      <p style="text" src-line="{rg:line(text)}"><xsl:apply-templates select="text/node()"/></p>
      <xsl:apply-templates select="dissent"/>
    </item>
  </xsl:template>

  <!-- "(Oppose: Department of Children and Families, Department of Education)" -->
  <xsl:template match="dissent">
    <p style="dissent" src-line="{rg:line(.)}">
      <xsl:text>(</xsl:text>
      <xsl:choose>
        <xsl:when test="@position = 'oppose'">Oppose: </xsl:when>
        <xsl:otherwise>Abstain: </xsl:otherwise>
      </xsl:choose>
      <xsl:for-each select="org">
        <xsl:value-of select="normalize-space(.)"/>
        <xsl:if test="position() != last()">, </xsl:if>
      </xsl:for-each>
      <xsl:text>)</xsl:text>
    </p>
  </xsl:template>

  <!-- ===== statutes ===== -->
  <xsl:template match="statutes">
    <xsl:call-template name="heading"/>
    <list marker="none" indent="0pt" space-after="6pt" src-line="{rg:line(.)}">
      <xsl:for-each select="statute">
        <item style="statute-entry" src-line="{rg:line(.)}">
          <b><xsl:call-template name="statute-name"/><xsl:call-template name="statute-class"/></b>
          <span style="muted"> (page <ref to="{@id}"/>)</span>
        </item>
      </xsl:for-each>
    </list>
    <xsl:apply-templates select="p"/>
    <xsl:apply-templates select="statute"/>
  </xsl:template>

  <!-- "Sec. 53a-192a. Trafficking in persons:" when a class follows, else "Sec. 53a-90a. Enticing a minor." -->
  <xsl:template name="statute-name">
    <xsl:value-of select="concat('Sec. ', normalize-space(@number), '. ', normalize-space(title))"/>
    <xsl:choose>
      <xsl:when test="@class">:</xsl:when>
      <xsl:otherwise>.</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="statute-class">
    <xsl:if test="@class"><xsl:value-of select="concat(' Class ', normalize-space(@class), '.')"/></xsl:if>
  </xsl:template>

  <xsl:template match="statute">
    <xsl:call-template name="heading">
      <xsl:with-param name="text"><xsl:call-template name="statute-name"/></xsl:with-param>
    </xsl:call-template>
    <xsl:for-each select="text">
      <p style="text" src-line="{rg:line(.)}">
        <xsl:if test="position() = 1 and ../@class">
          <xsl:value-of select="concat('Class ', normalize-space(../@class), '. ')"/>
        </xsl:if>
        <xsl:apply-templates/>
      </p>
    </xsl:for-each>
    <xsl:if test="note">
      <p style="note" src-line="{rg:line(note)}"><xsl:apply-templates select="note/node()"/></p>
    </xsl:if>
    <!-- a box does not split: the table and its chart stay on one page -->
    <box padding="0" space-before="8pt" space-after="6pt" src-line="{rg:line(record)}">
      <xsl:call-template name="statute-table"/>
      <xsl:call-template name="statute-chart"/>
    </box>
  </xsl:template>

  <!-- Years across, as published, and a Total column computed exactly.
       A year's column is 7 parts of 23 + 7 n (the label 15, the total 8) of
       the 468pt line; its widest entry of d digits needs about 5 d + 10 pt
       (9pt figures and the cell's padding). So at most
       ((468 * 7) / (5 d + 10) - 23) / 7 years fit the width with every year
       and figure whole: 12 for four digits. More are set as stacked blocks
       of equal size (30 years: three blocks of 10), each repeating the row
       labels, the totals in the last. Every block has the same columns, so
       the years line up. For a screen reader each block is a table of its
       own, its years the column headers and "Arrests" and "Convictions" row
       headers, so every figure is read with its year and what it counts;
       the columns a last block leaves empty are empty cells. -->
  <xsl:template name="statute-table">
    <xsl:variable name="records" select="record"/>
    <xsl:variable name="n" select="count($records)"/>
    <xsl:variable name="digits" select="rg:widest($records/@year | $records/@arrests | $records/@convictions)"/>
    <xsl:variable name="fit" select="floor((3276 div (5 * $digits + 10) - 23) div 7)"/>
    <xsl:variable name="years-per-block">
      <xsl:choose>
        <xsl:when test="$fit &lt; 1">1</xsl:when>
        <xsl:otherwise><xsl:value-of select="$fit"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="blocks" select="ceiling($n div $years-per-block)"/>
    <xsl:variable name="per" select="ceiling($n div $blocks)"/>
    <xsl:for-each select="$records[(position() - 1) mod $per = 0]">
      <xsl:variable name="from" select="(position() - 1) * $per"/>
      <xsl:variable name="block" select="$records[position() &gt; $from and position() &lt;= $from + $per]"/>
      <xsl:variable name="last" select="position() = last()"/>
      <table rule="rule" rule-width="0.5pt" padding="3pt 3pt" header-fill="header-fill"
             src-line="{rg:line(.)}">
        <xsl:if test="position() &gt; 1">
          <xsl:attribute name="space-before">6pt</xsl:attribute>
        </xsl:if>
        <col width="15*"/>
        <xsl:for-each select="$records[position() &lt;= $per]"><col width="7*"/></xsl:for-each>
        <col width="8*"/>
        <row header="yes">
          <cell style="th"/>
          <xsl:for-each select="$block">
            <cell style="th" align="right"><xsl:value-of select="normalize-space(@year)"/></cell>
          </xsl:for-each>
          <xsl:call-template name="pad"><xsl:with-param name="k" select="$per - count($block)"/></xsl:call-template>
          <cell style="th" align="right"><xsl:if test="$last">Total</xsl:if></cell>
        </row>
        <row>
          <cell style="td-label" header="yes">Arrests</cell>
          <xsl:for-each select="$block">
            <cell style="td" align="right" src-line="{rg:line(.)}"><xsl:value-of select="rg:num(normalize-space(@arrests))"/></cell>
          </xsl:for-each>
          <xsl:call-template name="pad"><xsl:with-param name="k" select="$per - count($block)"/></xsl:call-template>
          <cell style="td-total" align="right"><xsl:if test="$last"><xsl:value-of select="rg:sum($records/@arrests)"/></xsl:if></cell>
        </row>
        <row>
          <cell style="td-label" header="yes">Convictions</cell>
          <xsl:for-each select="$block">
            <cell style="td" align="right" src-line="{rg:line(.)}"><xsl:value-of select="rg:num(normalize-space(@convictions))"/></cell>
          </xsl:for-each>
          <xsl:call-template name="pad"><xsl:with-param name="k" select="$per - count($block)"/></xsl:call-template>
          <cell style="td-total" align="right"><xsl:if test="$last"><xsl:value-of select="rg:sum($records/@convictions)"/></xsl:if></cell>
        </row>
      </table>
    </xsl:for-each>
  </xsl:template>

  <!-- k empty cells: the last block's columns after its last year -->
  <xsl:template name="pad">
    <xsl:param name="k"/>
    <xsl:if test="$k &gt; 0">
      <cell/>
      <xsl:call-template name="pad"><xsl:with-param name="k" select="$k - 1"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- Both series by year. A statute with no arrest and no conviction in any
       year gets no chart: the table says all there is. -->
  <xsl:template name="statute-chart">
    <xsl:variable name="records" select="record"/>
    <xsl:variable name="name" select="concat('Sec. ', normalize-space(@number))"/>
    <!-- the alt text names the extremes: "most arrests: 21 in 2014" (the
         first such year when several tie) -->
    <xsl:variable name="most-arrests">
      <xsl:for-each select="$records">
        <xsl:sort select="number(normalize-space(@arrests))" data-type="number" order="descending"/>
        <xsl:if test="position() = 1">
          <xsl:value-of select="concat(rg:num(normalize-space(@arrests)), ' in ', normalize-space(@year))"/>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="most-convictions">
      <xsl:for-each select="$records">
        <xsl:sort select="number(normalize-space(@convictions))" data-type="number" order="descending"/>
        <xsl:if test="position() = 1">
          <xsl:value-of select="concat(rg:num(normalize-space(@convictions)), ' in ', normalize-space(@year))"/>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:if test="rg:cmp(rg:sum($records/@arrests | $records/@convictions), '0') = 1">
      <chart type="bar" height="150pt" style="chart" space-before="8pt"
             title="{$name}: arrests and convictions by year" y-label="Cases"
             alt="{$name}, arrests and convictions by year, {normalize-space($records[1]/@year)}-{normalize-space($records[last()]/@year)}: {rg:sum($records/@arrests)} arrests and {rg:sum($records/@convictions)} convictions in all; most arrests: {$most-arrests}; most convictions: {$most-convictions}."
             src-line="{rg:line(record)}">
        <series name="Arrests" color="series-1">
          <xsl:for-each select="$records">
            <point label="{normalize-space(@year)}" value="{rg:num(normalize-space(@arrests))}"/>
          </xsl:for-each>
        </series>
        <series name="Convictions" color="series-2">
          <xsl:for-each select="$records">
            <point label="{normalize-space(@year)}" value="{rg:num(normalize-space(@convictions))}"/>
          </xsl:for-each>
        </series>
      </chart>
    </xsl:if>
  </xsl:template>

  <!-- ===== closing ===== -->
  <xsl:template match="closing">
    <box stroke="brand" stroke-width="0.75pt" padding="10pt 14pt" space-before="18pt" src-line="{rg:line(.)}">
      <xsl:for-each select="p">
        <p style="closing" src-line="{rg:line(.)}"><xsl:apply-templates/></p>
      </xsl:for-each>
    </box>
  </xsl:template>

  <!-- ===== helpers ===== -->

  <!-- A count with thousands separated: 1135 is "1,135". -->
  <xsl:template name="count">
    <xsl:param name="n"/>
    <xsl:value-of select="format-number(normalize-space($n), '#,##0')"/>
  </xsl:template>
</xsl:stylesheet>
