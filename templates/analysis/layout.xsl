<?xml version="1.0" encoding="UTF-8"?>
<!-- An analysis of a state's laws on US Letter, in the data's reading order:
     a navy band with the state, the title and the final grade and score; the
     summary; the section scores, each over its maximum with a bar; then the
     narrative by section, each under its heading (a bookmark) with its score;
     and the closing note. From the second page on, a running header; on
     every page, "Page X of Y".

     Every word of content comes from the data. The template adds only what a
     layout adds: FINAL GRADE, FINAL SCORE, "Section scores", "Section N",
     "of", "points", the running header and footer. The final score and grade
     are the data's when stated (check compares them), else computed with the
     program's exact arithmetic (rg:sum, rg:grade). Text styles are the
     attribute sets below, on the theme's fonts and colours (the data's
     theme, else its organisation's brand, else neutral). -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen"
    exclude-result-prefixes="rg">
  <xsl:import href="../common/text.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:strip-space elements="analysis sections section"/>

  <xsl:variable name="doc" select="/analysis"/>
  <xsl:variable name="state" select="normalize-space($doc/state/@name)"/>
  <xsl:variable name="title" select="normalize-space($doc/title)"/>
  <xsl:variable name="org" select="normalize-space($doc/organization)"/>
  <xsl:variable name="framework" select="$doc/framework"/>
  <xsl:variable name="sections" select="$doc/sections/section"/>

  <!-- the theme's name, only passed on to <document theme>: the data's,
       else its organisation's brand (../common/brands.xml), else neutral -->
  <xsl:variable name="brand"
      select="document('../common/brands.xml')/brands/brand[@organization = normalize-space($doc/organization)]/@theme"/>
  <xsl:param name="theme">
    <xsl:choose>
      <xsl:when test="$doc/@theme"><xsl:value-of select="normalize-space($doc/@theme)"/></xsl:when>
      <xsl:when test="$brand"><xsl:value-of select="$brand"/></xsl:when>
      <xsl:otherwise>neutral</xsl:otherwise>
    </xsl:choose>
  </xsl:param>

  <xsl:variable name="score">
    <xsl:choose>
      <xsl:when test="$doc/final/@score"><xsl:value-of select="rg:num($doc/final/@score)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="rg:sum($sections/@score)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="grade">
    <xsl:choose>
      <xsl:when test="$doc/final/@grade"><xsl:value-of select="normalize-space($doc/final/@grade)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="rg:grade($score, $framework/@graded-out-of)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <!-- ===== text styles ===== -->
  <xsl:attribute-set name="kicker">
    <xsl:attribute name="weight">bold</xsl:attribute>
    <xsl:attribute name="size">8pt</xsl:attribute>
    <xsl:attribute name="leading">1.25</xsl:attribute>
    <xsl:attribute name="color">accent</xsl:attribute>
    <xsl:attribute name="case">upper</xsl:attribute>
  </xsl:attribute-set>
  <xsl:attribute-set name="body-text">
    <xsl:attribute name="size">10pt</xsl:attribute>
    <xsl:attribute name="leading">1.45</xsl:attribute>
    <xsl:attribute name="color">text</xsl:attribute>
    <xsl:attribute name="align">justify</xsl:attribute>
    <xsl:attribute name="hyphenate">yes</xsl:attribute>
  </xsl:attribute-set>
  <xsl:attribute-set name="running">
    <xsl:attribute name="size">7.5pt</xsl:attribute>
    <xsl:attribute name="leading">1.2</xsl:attribute>
    <xsl:attribute name="color">muted</xsl:attribute>
  </xsl:attribute-set>

  <xsl:template match="/">
    <document title="{$state}: {$title}" author="{$org}"
              subject="{$state}: the {normalize-space($framework/@name)} analysis of its laws, section by section"
              keywords="{$state}, {normalize-space($framework/@name)}, analysis, report card, child sex trafficking, {$org}"
              lang="en-US" theme="{$theme}">
      <xsl:if test="$doc/@published">
        <xsl:attribute name="created"><xsl:value-of select="normalize-space($doc/@published)"/></xsl:attribute>
      </xsl:if>
      <page-style name="analysis" size="letter" margin="54pt 62pt 60pt 62pt">
        <header>
          <table padding="0" pages="not-first">
            <col width="3*"/>
            <col width="2*"/>
            <row>
              <cell xsl:use-attribute-sets="running"><xsl:value-of select="concat($title, ' · ', $state)"/></cell>
              <cell xsl:use-attribute-sets="running" align="right"><xsl:value-of select="$org"/></cell>
            </row>
          </table>
          <rule color="rule" width="0.5pt" space-before="3pt" pages="not-first"/>
        </header>
        <footer>
          <rule color="rule" width="0.5pt" space-after="4pt"/>
          <p xsl:use-attribute-sets="running" align="center">Page <page-number/> of <page-count/></p>
        </footer>
      </page-style>
      <section page-style="analysis">
        <xsl:apply-templates select="analysis"/>
      </section>
    </document>
  </xsl:template>

  <xsl:template match="analysis">
    <xsl:call-template name="band"/>
    <p size="11pt" leading="1.45" color="brand" space-before="16pt" space-after="4pt" src-line="{rg:line(summary)}">
      <xsl:apply-templates select="summary/node()"/>
    </p>
    <xsl:call-template name="scores"/>
    <xsl:apply-templates select="sections/section"/>
    <xsl:apply-templates select="note"/>
  </xsl:template>

  <!-- ===== the band: state and title left, the final grade right ===== -->
  <xsl:template name="band">
    <box fill="brand" radius="6pt" padding="16pt 16pt 16pt 20pt" src-line="{rg:line(state)}">
      <table padding="0">
        <col width="1*"/>
        <col width="124pt"/>
        <row>
          <cell valign="middle">
            <p xsl:use-attribute-sets="kicker" color="on-brand" src-line="{rg:line(framework)}">
              <xsl:value-of select="normalize-space($framework/@name)"/>
            </p>
            <h level="1" bookmark="no" font="Lato Black" size="32pt" leading="1.05" color="on-brand" case="upper"
               space-before="4pt" src-line="{rg:line(state)}">
              <xsl:value-of select="$state"/>
            </h>
            <p size="13pt" leading="1.25" color="on-brand" space-before="3pt" src-line="{rg:line(title)}">
              <xsl:value-of select="$title"/>
            </p>
          </cell>
          <cell valign="middle">
            <!-- read "Final grade F, final score 43.5 of 102.5" -->
            <box fill="#ffffff" radius="5pt" padding="8pt 6pt 9pt 6pt" src-line="{rg:line(final | sections)}"
                 read-as="{concat('Final grade ', $grade, ', final score ', $score, ' of ', rg:num($framework/@total))}">
              <p xsl:use-attribute-sets="kicker" color="brand" align="center">Final grade</p>
              <p font="Lato Black" size="50pt" leading="1" color="grade-{$grade}" align="center" space-before="2pt">
                <xsl:value-of select="$grade"/>
              </p>
              <p xsl:use-attribute-sets="kicker" color="brand" align="center" space-before="5pt">Final score</p>
              <p size="9pt" leading="1.2" color="muted" align="center" space-before="1pt">
                <b size="16pt" color="text"><xsl:value-of select="$score"/></b>
                <xsl:value-of select="concat(' of ', rg:num($framework/@total))"/>
              </p>
            </box>
          </cell>
        </row>
      </table>
    </box>
  </xsl:template>

  <!-- ===== the section scores, each with a bar of its share ===== -->
  <xsl:template name="scores">
    <h level="1" id="scores" weight="bold" size="11pt" leading="1.2" color="brand" space-before="14pt" space-after="2pt"
       src-line="{rg:line(sections)}">Section scores</h>
    <table rule="rule" rule-width="0.5pt" padding="5pt 4pt" keep-together="yes" src-line="{rg:line(sections)}">
      <col width="20pt"/>
      <col width="1*"/>
      <col width="130pt"/>
      <col width="66pt"/>
      <xsl:for-each select="$sections">
        <row>
          <cell valign="middle">
            <p font="Lato Black" size="12pt" leading="1.1" color="brand"><xsl:value-of select="@number"/></p>
          </cell>
          <cell valign="middle" header="yes">
            <p weight="bold" size="9.5pt" leading="1.25" color="text" src-line="{rg:line(title)}">
              <xsl:value-of select="normalize-space(title)"/>
            </p>
          </cell>
          <cell valign="middle">
            <xsl:call-template name="bar"/>
          </cell>
          <cell valign="middle" align="right">
            <p size="9pt" leading="1.2" color="muted" align="right" src-line="{rg:line(.)}">
              <b size="11pt" color="text"><xsl:value-of select="rg:num(@score)"/></b>
              <xsl:value-of select="concat(' / ', rg:num(@max))"/>
            </p>
          </cell>
        </row>
      </xsl:for-each>
      <row fill="tint">
        <cell/>
        <cell valign="middle" header="yes">
          <p weight="bold" size="9.5pt" leading="1.25" color="brand">Final score</p>
        </cell>
        <cell/>
        <cell valign="middle" align="right">
          <p size="9pt" leading="1.2" color="muted" align="right">
            <b size="11pt" color="brand"><xsl:value-of select="$score"/></b>
            <xsl:value-of select="concat(' / ', rg:num($framework/@total))"/>
          </p>
        </cell>
      </row>
    </table>
  </xsl:template>

  <!-- A bar: the score's share of the maximum in navy on a pale track. -->
  <xsl:template name="bar">
    <xsl:variable name="share" select="number(rg:num(@score)) * 100 div number(rg:num(@max))"/>
    <box fill="tint" radius="2pt" padding="0" min-height="8pt">
      <xsl:if test="$share &gt; 0">
        <box fill="brand" radius="2pt" padding="0" min-height="8pt">
          <xsl:attribute name="width">
            <xsl:choose>
              <xsl:when test="$share &gt;= 100">100%</xsl:when>
              <xsl:otherwise><xsl:value-of select="concat(format-number($share, '0.#'), '%')"/></xsl:otherwise>
            </xsl:choose>
          </xsl:attribute>
        </box>
      </xsl:if>
    </box>
  </xsl:template>

  <!-- ===== the narrative, section by section ===== -->
  <xsl:template match="section">
    <p xsl:use-attribute-sets="kicker" space-before="16pt" keep-with-next="yes" src-line="{rg:line(.)}">
      <xsl:value-of select="concat('Section ', @number, ' · ', rg:num(@score), ' of ', rg:num(@max), ' points')"/>
    </p>
    <h level="1" id="section-{@number}" weight="bold" size="13.5pt" leading="1.2" color="brand"
       space-before="2pt" space-after="6pt" src-line="{rg:line(title)}">
      <xsl:value-of select="normalize-space(title)"/>
    </h>
    <xsl:apply-templates select="p"/>
  </xsl:template>

  <xsl:template match="section/p">
    <p xsl:use-attribute-sets="body-text" space-after="6pt" src-line="{rg:line(.)}"><xsl:apply-templates/></p>
  </xsl:template>

  <xsl:template match="note">
    <rule color="rule" width="0.75pt" space-before="14pt" space-after="8pt"/>
    <p font-style="italic" size="9pt" leading="1.4" color="muted" src-line="{rg:line(.)}"><xsl:apply-templates/></p>
  </xsl:template>

  <!-- ===== inline ===== -->
  <xsl:template match="strong">
    <b><xsl:apply-templates/></b>
  </xsl:template>

  <xsl:template match="em">
    <i><xsl:apply-templates/></i>
  </xsl:template>

  <xsl:template match="comparison">
    <xsl:apply-templates/>
  </xsl:template>

  <!-- A link where the address goes somewhere, else the text alone. -->
  <xsl:template match="link">
    <xsl:variable name="target">
      <xsl:call-template name="rg-link-target"/>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$target != ''">
        <a href="{$target}" color="link"><xsl:value-of select="normalize-space(.)"/></a>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Text keeps its spaces but not the line breaks of the data file. -->
  <xsl:template match="text()">
    <xsl:value-of select="translate(., '&#10;&#13;&#9;', '   ')"/>
  </xsl:template>
</xsl:stylesheet>
