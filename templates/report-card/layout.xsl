<?xml version="1.0" encoding="UTF-8"?>
<!-- A report card on one US Letter page, in the seed's reading order: the
     header band (state, title, tier), the issue areas of the card's framework
     (framework.xsl: any number of areas, a grade column when the framework
     grades areas, the tier and rank only where it has them), the extra credit,
     the overall grade, then "learn more". Every word on the page comes from the
     data, except the column headings, the footer and the score slashes.
     Grades and the overall score that the data does not state are computed
     here with the program's exact arithmetic (rg:grade, rg:sum). -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen"
    exclude-result-prefixes="rg">
  <xsl:import href="framework.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>
  <xsl:strip-space elements="*"/>
  <xsl:preserve-space elements="entry"/>

  <!-- the theme's name: only passed on to <document theme> -->
  <!-- the theme's name, only passed on to <document theme>: the data's,
       else its organisation's brand (../common/brands.xml), else neutral -->
  <xsl:variable name="brand"
      select="document('../common/brands.xml')/brands/brand[@organization = $org]/@theme"/>
  <xsl:param name="theme">
    <xsl:choose>
      <xsl:when test="$card/@theme"><xsl:value-of select="normalize-space($card/@theme)"/></xsl:when>
      <xsl:when test="$brand"><xsl:value-of select="$brand"/></xsl:when>
      <xsl:otherwise>neutral</xsl:otherwise>
    </xsl:choose>
  </xsl:param>

  <xsl:variable name="card" select="/report-card"/>
  <xsl:variable name="state" select="normalize-space($card/state/@name)"/>
  <xsl:variable name="title" select="normalize-space($card/title)"/>
  <xsl:variable name="org" select="normalize-space($card/organization)"/>
  <!-- the tier as the framework prints it; empty without tiers -->
  <xsl:variable name="tier" select="$fw-tier-printed"/>
  <xsl:variable name="rank" select="normalize-space($card/@rank)"/>
  <xsl:variable name="show-rank" select="$fw-rank and $rank != ''"/>
  <!-- invented data (data/make-states.py): the page says so -->
  <xsl:variable name="sample" select="normalize-space($card/@sample) = 'yes'"/>
  <xsl:variable name="total">
    <xsl:choose>
      <xsl:when test="$card/overall/@score">
        <xsl:call-template name="figure">
          <xsl:with-param name="value" select="$card/overall/@score"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="rg:sum($card/issues/issue/@score | $card/extra-credit/item/@points)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="overall-grade">
    <xsl:choose>
      <xsl:when test="$card/overall/@grade">
        <xsl:value-of select="normalize-space($card/overall/@grade)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="rg:grade(rg:sum($card/issues/issue/@score | $card/extra-credit/item/@points), $fw-graded-out-of, $fw-scale)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <xsl:template match="/">
    <document title="{$state} {$title}{substring(' (sample data)', 1, 14 * $sample)}" author="{$org}"
              subject="{$state}: grades in the {count($card/issues/issue)} issue areas of the {$title}"
              keywords="{$state}, {$card/@year}, report card, child and youth sex trafficking, {$fw/@name}, {concat($tier, substring(', ', 1, 2 * ($tier != '')))}{$org}"
              lang="en-US" created="{$card/@published}" theme="{$theme}">
      <page-style name="card" size="letter" margin="36pt 40pt 46pt 40pt">
        <footer>
          <rule color="rule" width="0.5pt" space-before="12pt"/>
          <table padding="4pt 0 0 0">
            <col width="1*"/>
            <col width="1*"/>
            <row>
              <cell style="footer"><xsl:value-of select="concat($title, ' · ', $state)"/></cell>
              <cell style="footer" align="right"><xsl:value-of select="$org"/></cell>
            </row>
          </table>
        </footer>
      </page-style>
      <section page-style="card" max-pages="1">
        <xsl:apply-templates select="report-card"/>
      </section>
    </document>
  </xsl:template>

  <xsl:template match="report-card">
    <xsl:call-template name="header-band"/>
    <xsl:if test="$sample">
      <xsl:call-template name="sample-notice"/>
    </xsl:if>
    <xsl:apply-templates select="issues"/>
    <table space-before="12pt" padding="0">
      <col width="34%"/>
      <col width="66%"/>
      <row>
        <cell valign="top" padding="0 9pt 0 0">
          <xsl:call-template name="overall-box"/>
        </cell>
        <cell valign="top" padding="0 0 0 9pt">
          <xsl:apply-templates select="learn-more"/>
        </cell>
      </row>
    </table>
  </xsl:template>

  <!-- ===== the header band: state and title left, the tier right ===== -->
  <xsl:template name="header-band">
    <box fill="brand" radius="6pt" padding="14pt 16pt 14pt 20pt" src-line="{rg:line(state)}">
      <table padding="0">
        <col width="1*"/>
        <col width="80pt"/>
        <row>
          <cell valign="middle">
            <h level="1" style="state" src-line="{rg:line(state)}"><xsl:value-of select="$state"/></h>
            <p style="title" src-line="{rg:line(title)}"><xsl:value-of select="$title"/></p>
          </cell>
          <cell valign="top">
            <xsl:if test="$tier != ''">
              <box stroke="on-brand" stroke-width="1pt" radius="3pt" padding="5pt 4pt">
                <p style="tier" src-line="{rg:line(.)}"><xsl:value-of select="$tier"/></p>
              </box>
            </xsl:if>
          </cell>
        </row>
      </table>
    </box>
  </xsl:template>

  <!-- ===== sample data: a warning band under the header ===== -->
  <xsl:template name="sample-notice">
    <box fill="#fdf1e4" stroke="grade-D" stroke-width="1pt" radius="4pt" padding="5pt 10pt"
         space-before="8pt" src-line="{rg:line(.)}">
      <p size="9pt" leading="1.25" color="grade-D" src-line="{rg:line(.)}">
        <b>Sample data, not an official grade.</b>
        <xsl:text> This card was generated to test the layout; it is not the published report card.</xsl:text>
      </p>
    </box>
  </xsl:template>

  <!-- ===== the six issue areas and the extra credit ===== -->
  <xsl:template match="issues">
    <table space-before="12pt" rule="rule" rule-width="0.5pt" padding="5pt 6pt" header-fill="header-fill"
           src-line="{rg:line(.)}">
      <col width="26%"/>
      <xsl:if test="$fw-area-grades"><col width="8%"/></xsl:if>
      <col width="13%"/>
      <col width="{53 + 8 * number(not($fw-area-grades))}%"/>
      <row header="yes">
        <cell style="th"><xsl:value-of select="$fw-area-label"/></cell>
        <xsl:if test="$fw-area-grades"><cell style="th" align="center">Grade</cell></xsl:if>
        <cell style="th" align="right">Score</cell>
        <cell style="th">Highlights</cell>
      </row>
      <xsl:apply-templates select="issue">
        <xsl:sort select="@number" data-type="number"/>
      </xsl:apply-templates>
      <xsl:apply-templates select="../extra-credit"/>
    </table>
  </xsl:template>

  <xsl:template match="issue">
    <xsl:variable name="grade">
      <xsl:choose>
        <xsl:when test="@grade"><xsl:value-of select="normalize-space(@grade)"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="rg:grade(@score, @max, $fw-scale)"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <row>
      <cell valign="top" header="yes">
        <p style="issue-name" src-line="{rg:line(name)}">
          <xsl:value-of select="concat(@number, '. ', normalize-space(name))"/>
        </p>
      </cell>
      <xsl:if test="$fw-area-grades">
        <cell valign="top" align="center">
          <p style="grade" color="grade-{substring($grade, 1, 1)}" src-line="{rg:line(.)}"><xsl:value-of select="$grade"/></p>
        </cell>
      </xsl:if>
      <cell valign="top" align="right">
        <p style="score" src-line="{rg:line(.)}">
          <b style="score-value">
            <xsl:call-template name="figure"><xsl:with-param name="value" select="@score"/></xsl:call-template>
          </b>
          <xsl:text> / </xsl:text>
          <xsl:call-template name="figure"><xsl:with-param name="value" select="@max"/></xsl:call-template>
        </p>
      </cell>
      <cell valign="top">
        <p style="highlight" src-line="{rg:line(highlights)}"><xsl:value-of select="normalize-space(highlights)"/></p>
      </cell>
    </row>
  </xsl:template>

  <xsl:template match="extra-credit">
    <row fill="tint">
      <cell colspan="{3 + number($fw-area-grades)}" padding="4pt 6pt">
        <p style="extra-heading" src-line="{rg:line(.)}">EXTRA CREDIT</p>
      </cell>
    </row>
    <xsl:apply-templates select="item"/>
  </xsl:template>

  <xsl:template match="item">
    <row>
      <cell valign="top" header="yes">
        <p style="extra-name" src-line="{rg:line(name)}"><xsl:value-of select="normalize-space(name)"/></p>
      </cell>
      <xsl:if test="$fw-area-grades"><cell/></xsl:if>
      <cell valign="top" align="right">
        <p style="extra-points" src-line="{rg:line(.)}">
          <xsl:text>+</xsl:text>
          <xsl:call-template name="figure"><xsl:with-param name="value" select="@points"/></xsl:call-template>
        </p>
      </cell>
      <cell valign="top">
        <p style="extra" src-line="{rg:line(text)}"><xsl:value-of select="normalize-space(text)"/></p>
      </cell>
    </row>
  </xsl:template>

  <!-- ===== the overall grade ===== -->
  <xsl:template name="overall-box">
    <xsl:variable name="at" select="overall | issues[not(../overall)]"/>
    <box stroke="brand" stroke-width="1.5pt" radius="6pt" padding="12pt 10pt 14pt 10pt" min-height="180pt" valign="top" src-line="{rg:line($at)}">
      <h level="2" style="overall" src-line="{rg:line($at)}"><xsl:value-of select="$fw-overall-label"/></h>
      <xsl:if test="$tier != ''">
        <p style="overall-tier" src-line="{rg:line(.)}"><xsl:value-of select="$tier"/></p>
      </xsl:if>
      <!-- read "Overall grade F, score 43.5", not "F43.5" -->
      <box read-as="{concat('Overall grade ', $overall-grade, ', score ', $total)}">
        <p style="overall-grade" color="grade-{substring($overall-grade, 1, 1)}" src-line="{rg:line($at)}"><xsl:value-of select="$overall-grade"/></p>
        <p style="overall-score" src-line="{rg:line($at)}"><xsl:value-of select="$total"/></p>
      </box>
      <xsl:if test="$show-rank">
        <p style="overall-tier" space-before="6pt" src-line="{rg:line(.)}"><xsl:value-of select="concat('NATIONAL RANK ', $rank)"/></p>
      </xsl:if>
    </box>
  </xsl:template>

  <!-- ===== learn more ===== -->
  <xsl:template match="learn-more">
    <h level="2" style="learn-heading" src-line="{rg:line(.)}">LEARN MORE</h>
    <rule color="brand" width="1pt" space-after="2pt"/>
    <xsl:apply-templates select="entry"/>
  </xsl:template>

  <!-- "TOOLKIT: To see how ..." -->
  <xsl:template match="entry[@label-as = 'run-in']">
    <p style="learn-text" src-line="{rg:line(.)}">
      <span style="learn-label"><xsl:value-of select="concat(normalize-space(@label), ':')"/></span>
      <xsl:text> </xsl:text>
      <xsl:apply-templates/>
    </p>
  </xsl:template>

  <!-- the label as a small heading of its own -->
  <xsl:template match="entry">
    <h level="3" style="learn-head" src-line="{rg:line(.)}"><xsl:value-of select="normalize-space(@label)"/></h>
    <p style="learn-text" space-before="0" src-line="{rg:line(.)}"><xsl:apply-templates/></p>
  </xsl:template>

  <xsl:template match="link">
    <a href="{@href}" style="link"><xsl:value-of select="normalize-space(.)"/></a>
  </xsl:template>

  <!-- ===== helpers ===== -->

  <!-- A figure in its shortest form ("08.50" is shown as "8.5"). -->
  <xsl:template name="figure">
    <xsl:param name="value"/>
    <xsl:variable name="canonical" select="rg:num(normalize-space($value))"/>
    <xsl:choose>
      <xsl:when test="$canonical != ''"><xsl:value-of select="$canonical"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="normalize-space($value)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
