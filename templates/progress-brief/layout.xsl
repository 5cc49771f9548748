<?xml version="1.0" encoding="UTF-8"?>
<!-- A progress brief on two US Letter pages, front and back, like the
     printed briefs: the calls to action stand at the foot of both.

     Front: the masthead band (the series and its tagline, the state, the
     years of the history), the intro, the question and the answer, written
     here from the history ("As of August 1, 2019, Connecticut had raised its
     grade from F to C:"), the score history as a table (a row per year: the
     overall score, the grade, each section's score over its maximum) beside a
     line chart of the overall score, and the summary.
     Back: the section scores of every year as grouped bars, the key to the
     sections with their maxima, and the offer of technical assistance.

     Grades are never read from the data: each year's grade is rg:grade of
     its score (stated, or the sum of its sections) against the framework's
     graded-out-of, on the kind's grades.xml. Every other word of content
     comes from the data; the template adds the column headings, "Overall
     score", "Section scores by year", "Sections", "Technical assistance", "of", "max.", the verbs of
     the answer ("had raised its grade from", "had lowered", "had kept") and
     the footer. Text styles are the attribute sets below, on the theme's
     fonts and colours (the data's theme, else its organisation's brand, else
     neutral). -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen"
    xmlns:exsl="http://exslt.org/common"
    exclude-result-prefixes="rg exsl">
  <xsl:import href="../common/text.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:strip-space elements="progress-brief masthead framework intro history year summary calls-to-action"/>

  <xsl:variable name="doc" select="/progress-brief"/>
  <xsl:variable name="state" select="normalize-space($doc/state/@name)"/>
  <xsl:variable name="series" select="normalize-space($doc/masthead/title)"/>
  <xsl:variable name="org" select="normalize-space($doc/organization)"/>
  <xsl:variable name="framework" select="$doc/framework"/>
  <xsl:variable name="out-of" select="$framework/@graded-out-of"/>
  <xsl:variable name="years" select="$doc/history/year"/>
  <xsl:variable name="n" select="count($years)"/>

  <!-- the earliest and the latest year of the history -->
  <xsl:variable name="first-year">
    <xsl:for-each select="$years">
      <xsl:sort select="@value" data-type="number"/>
      <xsl:if test="position() = 1"><xsl:value-of select="number(@value)"/></xsl:if>
    </xsl:for-each>
  </xsl:variable>
  <xsl:variable name="last-year">
    <xsl:for-each select="$years">
      <xsl:sort select="@value" data-type="number" order="descending"/>
      <xsl:if test="position() = 1"><xsl:value-of select="number(@value)"/></xsl:if>
    </xsl:for-each>
  </xsl:variable>
  <xsl:variable name="first" select="$years[number(@value) = $first-year]"/>
  <xsl:variable name="last" select="$years[number(@value) = $last-year]"/>

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

  <!-- ===== text styles ===== -->
  <xsl:attribute-set name="body-text">
    <xsl:attribute name="size">10pt</xsl:attribute>
    <xsl:attribute name="leading">1.42</xsl:attribute>
    <xsl:attribute name="color">text</xsl:attribute>
  </xsl:attribute-set>
  <xsl:attribute-set name="kicker">
    <xsl:attribute name="weight">bold</xsl:attribute>
    <xsl:attribute name="size">8pt</xsl:attribute>
    <xsl:attribute name="leading">1.25</xsl:attribute>
    <xsl:attribute name="color">accent</xsl:attribute>
    <xsl:attribute name="case">upper</xsl:attribute>
  </xsl:attribute-set>
  <xsl:attribute-set name="heading">
    <xsl:attribute name="weight">bold</xsl:attribute>
    <xsl:attribute name="size">12pt</xsl:attribute>
    <xsl:attribute name="leading">1.2</xsl:attribute>
    <xsl:attribute name="color">brand</xsl:attribute>
  </xsl:attribute-set>
  <xsl:attribute-set name="th">
    <xsl:attribute name="weight">bold</xsl:attribute>
    <xsl:attribute name="size">8pt</xsl:attribute>
    <xsl:attribute name="leading">1.2</xsl:attribute>
    <xsl:attribute name="color">on-brand</xsl:attribute>
  </xsl:attribute-set>
  <xsl:attribute-set name="small">
    <xsl:attribute name="size">8pt</xsl:attribute>
    <xsl:attribute name="leading">1.35</xsl:attribute>
    <xsl:attribute name="color">text</xsl:attribute>
  </xsl:attribute-set>

  <xsl:template match="/">
    <document title="{$state}: {$series}, progress {$first-year}–{$last-year}" author="{$org}"
              subject="{$state}: {normalize-space($framework/@name)} scores and grades, {$first-year} to {$last-year}"
              keywords="{$state}, {$series}, {normalize-space($framework/@name)}, progress brief, score history, {$org}"
              lang="en-US" theme="{$theme}">
      <xsl:if test="$doc/@published">
        <xsl:attribute name="created"><xsl:value-of select="normalize-space($doc/@published)"/></xsl:attribute>
      </xsl:if>
      <page-style name="brief" size="letter" margin="36pt 50pt 118pt 50pt">
        <footer>
          <xsl:apply-templates select="$doc/calls-to-action"/>
        </footer>
      </page-style>
      <section page-style="brief">
        <xsl:apply-templates select="progress-brief"/>
      </section>
    </document>
  </xsl:template>

  <xsl:template match="progress-brief">
    <!-- front -->
    <xsl:call-template name="masthead"/>
    <xsl:apply-templates select="intro/p"/>
    <xsl:apply-templates select="question"/>
    <xsl:call-template name="answer"/>
    <xsl:call-template name="history-table"/>
    <xsl:call-template name="overall"/>
    <xsl:apply-templates select="summary"/>
    <!-- back -->
    <page-break/>
    <xsl:call-template name="back-band"/>
    <xsl:call-template name="section-chart"/>
    <xsl:call-template name="section-key"/>
    <xsl:apply-templates select="assistance"/>
  </xsl:template>

  <!-- ===== the masthead: the state and the series left, the years right ===== -->
  <xsl:template name="masthead">
    <box fill="brand" radius="6pt" padding="15pt 20pt 15pt 20pt" src-line="{rg:line(masthead)}">
      <table padding="0">
        <col width="1*"/>
        <col width="130pt"/>
        <row>
          <cell valign="middle">
            <h level="1" bookmark="no" font="Lato Black" size="30pt" leading="1.05" color="on-brand" case="upper"
               src-line="{rg:line(state)}">
              <xsl:value-of select="$state"/>
            </h>
            <p size="13pt" leading="1.2" color="on-brand" space-before="3pt" src-line="{rg:line(masthead/title)}">
              <xsl:value-of select="$series"/>
            </p>
            <xsl:if test="masthead/tagline">
              <p font-style="italic" size="9.5pt" leading="1.2" color="on-brand" space-before="3pt"
                 src-line="{rg:line(masthead/tagline)}">
                <xsl:value-of select="normalize-space(masthead/tagline)"/>
              </p>
            </xsl:if>
          </cell>
          <cell valign="middle" align="right">
            <p xsl:use-attribute-sets="kicker" color="on-brand" align="right" src-line="{rg:line(history)}">Progress</p>
            <p font="Lato Black" size="20pt" leading="1.1" color="on-brand" align="right" src-line="{rg:line(history)}">
              <xsl:value-of select="concat($first-year, '–', $last-year)"/>
            </p>
          </cell>
        </row>
      </table>
    </box>
  </xsl:template>

  <xsl:template match="intro/p">
    <p xsl:use-attribute-sets="body-text" space-before="12pt" src-line="{rg:line(.)}"><xsl:apply-templates/></p>
  </xsl:template>

  <xsl:template match="question">
    <h level="1" id="score" weight="bold" size="12pt" leading="1.3" color="brand" space-before="12pt"
       src-line="{rg:line(.)}"><xsl:apply-templates/></h>
  </xsl:template>

  <!-- ===== the answer, written from the history =====
       "As of August 1, 2019, CONNECTICUT HAD RAISED ITS GRADE FROM F TO C:" -->
  <xsl:template name="answer">
    <xsl:variable name="from-grade">
      <xsl:call-template name="grade-of"><xsl:with-param name="year" select="$first"/></xsl:call-template>
    </xsl:variable>
    <xsl:variable name="to-grade">
      <xsl:call-template name="grade-of"><xsl:with-param name="year" select="$last"/></xsl:call-template>
    </xsl:variable>
    <xsl:variable name="from-score">
      <xsl:call-template name="score-of"><xsl:with-param name="year" select="$first"/></xsl:call-template>
    </xsl:variable>
    <xsl:variable name="to-score">
      <xsl:call-template name="score-of"><xsl:with-param name="year" select="$last"/></xsl:call-template>
    </xsl:variable>
    <box fill="tint" radius="4pt" padding="9pt 14pt" space-before="6pt" keep-with-next="yes" src-line="{rg:line(history)}">
      <p size="12pt" leading="1.3" color="brand" src-line="{rg:line($last)}">
        <xsl:choose>
          <xsl:when test="$last/@as-of">
            <xsl:text>As of </xsl:text>
            <xsl:call-template name="rg-long-date">
              <xsl:with-param name="iso" select="normalize-space($last/@as-of)"/>
            </xsl:call-template>
            <xsl:text>, </xsl:text>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="concat('In ', $last-year, ', ')"/></xsl:otherwise>
        </xsl:choose>
        <b case="upper">
          <xsl:value-of select="$state"/>
          <xsl:choose>
            <xsl:when test="$n = 1">
              <xsl:value-of select="concat(' had a grade of ', $to-grade)"/>
            </xsl:when>
            <xsl:when test="$from-grade = $to-grade">
              <xsl:value-of select="concat(' had kept its grade at ', $to-grade, ' since ', $first-year)"/>
            </xsl:when>
            <xsl:when test="rg:cmp($to-score, $from-score) = 1">
              <xsl:value-of select="concat(' had raised its grade from ', $from-grade, ' to ', $to-grade)"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:value-of select="concat(' had lowered its grade from ', $from-grade, ' to ', $to-grade)"/>
            </xsl:otherwise>
          </xsl:choose>
          <xsl:text>:</xsl:text>
        </b>
      </p>
    </box>
  </xsl:template>

  <!-- ===== the history: a row per year, latest first ===== -->
  <xsl:template name="history-table">
    <table rule="rule" rule-width="0.5pt" padding="5pt 4pt" header-fill="header-fill" space-before="10pt"
           keep-together="yes" src-line="{rg:line(history)}">
      <col width="40pt"/>
      <col width="46pt"/>
      <col width="42pt"/>
      <xsl:for-each select="$framework/section">
        <col width="1*"/>
      </xsl:for-each>
      <row header="yes">
        <cell valign="bottom"><p xsl:use-attribute-sets="th">Year</p></cell>
        <cell valign="bottom" align="right"><p xsl:use-attribute-sets="th" align="right">Score</p></cell>
        <cell valign="bottom" align="center"><p xsl:use-attribute-sets="th" align="center">Grade</p></cell>
        <xsl:for-each select="$framework/section">
          <cell valign="bottom" align="center">
            <p xsl:use-attribute-sets="th" align="center" src-line="{rg:line(.)}">
              <xsl:value-of select="@number"/>
              <br/>
              <span weight="normal" size="7pt"><xsl:value-of select="normalize-space(@short)"/></span>
            </p>
          </cell>
        </xsl:for-each>
      </row>
      <xsl:for-each select="$years">
        <xsl:sort select="@value" data-type="number" order="descending"/>
        <xsl:variable name="year" select="."/>
        <xsl:variable name="grade">
          <xsl:call-template name="grade-of"><xsl:with-param name="year" select="."/></xsl:call-template>
        </xsl:variable>
        <row>
          <cell valign="middle" header="yes">
            <p weight="bold" size="11pt" leading="1.2" color="brand" src-line="{rg:line(.)}">
              <xsl:value-of select="normalize-space(@value)"/>
            </p>
          </cell>
          <cell valign="middle" align="right">
            <p weight="bold" size="11pt" leading="1.2" color="text" align="right" src-line="{rg:line(.)}">
              <xsl:call-template name="score-of"><xsl:with-param name="year" select="."/></xsl:call-template>
            </p>
          </cell>
          <cell valign="middle" align="center">
            <p font="Lato Black" size="18pt" leading="1" color="grade-{$grade}" align="center" src-line="{rg:line(.)}">
              <xsl:value-of select="$grade"/>
            </p>
          </cell>
          <xsl:for-each select="$framework/section">
            <xsl:variable name="s" select="$year/score[number(@section) = number(current()/@number)]"/>
            <cell valign="middle" align="center">
              <p size="8pt" leading="1.2" color="muted" align="center" src-line="{rg:line($s)}">
                <b size="10pt" color="text"><xsl:value-of select="rg:num($s/@value)"/></b>
                <xsl:value-of select="concat('/', rg:num(@max))"/>
              </p>
            </cell>
          </xsl:for-each>
        </row>
      </xsl:for-each>
    </table>
  </xsl:template>

  <!-- ===== the overall score by year: a line chart beside the grades ===== -->
  <xsl:template name="overall">
    <table padding="0" space-before="12pt" keep-together="yes" src-line="{rg:line(history)}">
      <col width="1*"/>
      <col width="150pt"/>
      <row>
        <cell valign="top" padding="0 18pt 0 0">
          <!-- the alt text names the extremes: "lowest 43.5 in 2019, highest 60 in 2021" -->
          <xsl:variable name="scores">
            <xsl:for-each select="$years">
              <s year="{normalize-space(@value)}"><xsl:call-template name="score-of"><xsl:with-param name="year" select="."/></xsl:call-template></s>
            </xsl:for-each>
          </xsl:variable>
          <xsl:variable name="extremes">
            <xsl:for-each select="exsl:node-set($scores)/s">
              <xsl:sort select="number(.)" data-type="number"/>
              <xsl:sort select="@year" data-type="number"/>
              <xsl:if test="position() = 1"><xsl:value-of select="concat('lowest ', ., ' in ', @year)"/></xsl:if>
            </xsl:for-each>
            <xsl:for-each select="exsl:node-set($scores)/s">
              <xsl:sort select="number(.)" data-type="number" order="descending"/>
              <xsl:sort select="@year" data-type="number"/>
              <xsl:if test="position() = 1"><xsl:value-of select="concat(', highest ', ., ' in ', @year)"/></xsl:if>
            </xsl:for-each>
          </xsl:variable>
          <chart type="line" height="150pt" size="9pt" color="text" title="Overall score by year"
                 alt="{concat('Overall score of ', $state, ' by year, ', $first-year, '-', $last-year, ', out of ', rg:num($framework/@total), ': ', $extremes)}"
                 src-line="{rg:line(history)}">
            <series name="{concat('Overall score (of ', rg:num($framework/@total), ')')}" color="brand">
              <xsl:for-each select="$years">
                <xsl:sort select="@value" data-type="number"/>
                <point label="{normalize-space(@value)}">
                  <xsl:attribute name="value">
                    <xsl:call-template name="score-of"><xsl:with-param name="year" select="."/></xsl:call-template>
                  </xsl:attribute>
                </point>
              </xsl:for-each>
            </series>
          </chart>
        </cell>
        <cell valign="top">
          <xsl:call-template name="grade-steps"/>
        </cell>
      </row>
    </table>
  </xsl:template>

  <!-- The grades of the years, oldest first, each a letter with its year. -->
  <xsl:template name="grade-steps">
    <p xsl:use-attribute-sets="kicker" space-after="4pt">Grade</p>
    <xsl:for-each select="$years">
      <xsl:sort select="@value" data-type="number"/>
      <xsl:variable name="grade">
        <xsl:call-template name="grade-of"><xsl:with-param name="year" select="."/></xsl:call-template>
      </xsl:variable>
      <box stroke="rule" stroke-width="0.75pt" radius="4pt" padding="5pt 10pt" space-after="6pt" src-line="{rg:line(.)}">
        <table padding="0">
          <col width="1*"/>
          <col width="40pt"/>
          <row>
            <cell valign="middle">
              <p weight="bold" size="11pt" leading="1.2" color="brand"><xsl:value-of select="normalize-space(@value)"/></p>
              <p size="8pt" leading="1.2" color="muted">
                <xsl:call-template name="score-of"><xsl:with-param name="year" select="."/></xsl:call-template>
                <xsl:value-of select="concat(' of ', rg:num($framework/@total))"/>
              </p>
            </cell>
            <cell valign="middle" align="right">
              <p font="Lato Black" size="30pt" leading="1" color="grade-{$grade}" align="right">
                <xsl:value-of select="$grade"/>
              </p>
            </cell>
          </row>
        </table>
      </box>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="summary">
    <xsl:for-each select="p">
      <p xsl:use-attribute-sets="body-text" space-before="14pt" src-line="{rg:line(.)}"><xsl:apply-templates/></p>
    </xsl:for-each>
  </xsl:template>

  <!-- ===== the back: the sections year by year ===== -->
  <xsl:template name="back-band">
    <box fill="brand" radius="6pt" padding="10pt 18pt 10pt 20pt" src-line="{rg:line(masthead)}">
      <table padding="0">
        <col width="3*"/>
        <col width="2*"/>
        <row>
          <cell valign="middle">
            <p font="Lato Black" size="12pt" leading="1.15" color="on-brand"><xsl:value-of select="$series"/></p>
          </cell>
          <cell valign="middle" align="right">
            <p font="Lato Black" size="14pt" leading="1.15" color="on-brand" case="upper" align="right">
              <xsl:value-of select="$state"/>
            </p>
          </cell>
        </row>
      </table>
    </box>
  </xsl:template>

  <xsl:template name="section-chart">
    <h level="1" id="sections" xsl:use-attribute-sets="heading" space-before="16pt" space-after="2pt" src-line="{rg:line(history)}">
      <xsl:value-of select="concat('Section scores by year, ', $first-year, '–', $last-year)"/>
    </h>
    <p size="9pt" leading="1.35" color="muted" space-after="6pt" src-line="{rg:line(framework)}">
      <xsl:value-of select="concat('Each section of the ', normalize-space($framework/@name),
          ' framework is scored out of its maximum; together they are worth ', rg:num($framework/@total), ' points.')"/>
    </p>
    <chart type="bar" height="230pt" size="9pt" color="text" title="Points by section"
           alt="{concat('Section scores of ', $state, ' by year, ', $first-year, '-', $last-year, ', each beside its maximum')}" src-line="{rg:line(history)}">
      <xsl:for-each select="$years">
        <xsl:sort select="@value" data-type="number"/>
        <xsl:variable name="year" select="."/>
        <series name="{normalize-space(@value)}">
          <xsl:attribute name="color">
            <xsl:call-template name="year-color"><xsl:with-param name="from-last" select="$n - position()"/></xsl:call-template>
          </xsl:attribute>
          <xsl:for-each select="$framework/section">
            <point label="{normalize-space(@short)}"
                   value="{rg:num($year/score[number(@section) = number(current()/@number)]/@value)}"/>
          </xsl:for-each>
        </series>
      </xsl:for-each>
      <series name="Maximum" color="rule">
        <xsl:for-each select="$framework/section">
          <point label="{normalize-space(@short)}" value="{rg:num(@max)}"/>
        </xsl:for-each>
      </series>
    </chart>
  </xsl:template>

  <!-- The key: each section's number, label, name and maximum. -->
  <xsl:template name="section-key">
    <table rule="rule" rule-width="0.5pt" padding="4pt 4pt" space-before="12pt" keep-together="yes"
           src-line="{rg:line(framework)}">
      <col width="18pt"/>
      <col width="76pt"/>
      <col width="1*"/>
      <col width="44pt"/>
      <row header="yes">
        <cell colspan="3"><p xsl:use-attribute-sets="kicker">Sections</p></cell>
        <cell align="right"><p xsl:use-attribute-sets="kicker" align="right">Max.</p></cell>
      </row>
      <xsl:for-each select="$framework/section">
        <row>
          <cell valign="top"><p font="Lato Black" size="10pt" leading="1.3" color="brand"><xsl:value-of select="@number"/></p></cell>
          <cell valign="top" header="yes"><p weight="bold" size="9pt" leading="1.4" color="brand"><xsl:value-of select="normalize-space(@short)"/></p></cell>
          <cell valign="top"><p size="9pt" leading="1.4" color="text" src-line="{rg:line(.)}"><xsl:value-of select="normalize-space(.)"/></p></cell>
          <cell valign="top" align="right"><p size="9pt" leading="1.4" color="text" align="right"><xsl:value-of select="rg:num(@max)"/></p></cell>
        </row>
      </xsl:for-each>
    </table>
  </xsl:template>

  <xsl:template match="assistance">
    <box stroke="brand" stroke-width="1pt" radius="5pt" padding="10pt 14pt" space-before="16pt" keep-together="yes"
         src-line="{rg:line(.)}">
      <p xsl:use-attribute-sets="kicker" space-after="3pt">Technical assistance</p>
      <p xsl:use-attribute-sets="body-text" src-line="{rg:line(.)}"><xsl:apply-templates/></p>
    </box>
  </xsl:template>

  <!-- ===== the calls to action: the foot of every page ===== -->
  <xsl:template match="calls-to-action">
    <rule color="brand" width="1.25pt" space-after="7pt"/>
    <table padding="0">
      <xsl:for-each select="action">
        <col width="1*"/>
      </xsl:for-each>
      <row>
        <xsl:for-each select="action">
          <cell valign="top">
            <xsl:attribute name="padding">
              <xsl:choose>
                <xsl:when test="position() = 1">0 9pt 0 0</xsl:when>
                <xsl:when test="position() = last()">0 0 0 9pt</xsl:when>
                <xsl:otherwise>0 9pt</xsl:otherwise>
              </xsl:choose>
            </xsl:attribute>
            <p xsl:use-attribute-sets="small" src-line="{rg:line(.)}"><xsl:apply-templates/></p>
          </cell>
        </xsl:for-each>
      </row>
    </table>
    <p size="7.5pt" leading="1.2" color="muted" space-before="7pt">
      <xsl:value-of select="concat($org, ' · ', $series, ' · ', $state)"/>
    </p>
  </xsl:template>

  <!-- ===== inline ===== -->
  <xsl:template match="strong">
    <b><xsl:apply-templates/></b>
  </xsl:template>

  <xsl:template match="em">
    <i><xsl:apply-templates/></i>
  </xsl:template>

  <xsl:template match="comparison | grade-change">
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

  <!-- ===== helpers ===== -->

  <!-- A year's overall score: stated, or the sum of its sections. -->
  <xsl:template name="score-of">
    <xsl:param name="year"/>
    <xsl:choose>
      <xsl:when test="$year/@score"><xsl:value-of select="rg:num($year/@score)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="rg:sum($year/score/@value)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="grade-of">
    <xsl:param name="year"/>
    <xsl:variable name="score">
      <xsl:call-template name="score-of"><xsl:with-param name="year" select="$year"/></xsl:call-template>
    </xsl:variable>
    <xsl:value-of select="rg:grade($score, $out-of)"/>
  </xsl:template>

  <!-- The latest year navy, the ones before it lighter blues. -->
  <xsl:template name="year-color">
    <xsl:param name="from-last"/>
    <xsl:choose>
      <xsl:when test="$from-last = 0">brand</xsl:when>
      <xsl:when test="$from-last = 1">accent</xsl:when>
      <xsl:when test="$from-last = 2">#7fa3c9</xsl:when>
      <xsl:otherwise>#b3c7dc</xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
