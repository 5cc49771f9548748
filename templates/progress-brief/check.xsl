<?xml version="1.0" encoding="UTF-8"?>
<!-- Consistency rules of a progress brief, run after the schema has passed.
     Output: <findings> as templates/README.md describes, in the order of the
     data file; every finding is a warning (an error under check strict).
     Numbers are compared with the program's exact decimals (rg:sum, rg:cmp,
     rg:grade), never with XPath's floating point.

     1. Framework section maxima that do not add up to the framework's total.
     2. A year without a score for a section of the framework.
     3. A section score over its maximum.
     4. A year's stated score that is not the sum of its section scores.
     5. A grade change claimed in text (<grade-change from to>) that
        disagrees with the history: its first two grade letters against the
        grades of the scores of those years, or a year the history lacks.
     6. The name of another US state or DC outside <comparison>, in the
        intro, the question, the summary, the assistance and the calls to
        action (../common/rules.xsl).
     7. A link that is empty, "#", or not a well-formed http(s) URL or bare
        domain (../common/rules.xsl). -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen"
    exclude-result-prefixes="rg">
  <xsl:import href="../common/rules.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:variable name="doc" select="/progress-brief"/>
  <xsl:variable name="state" select="normalize-space($doc/state/@name)"/>
  <xsl:variable name="framework" select="$doc/framework"/>
  <xsl:variable name="years" select="$doc/history/year"/>

  <xsl:template match="/">
    <findings>
      <xsl:for-each select="$doc//*">
        <xsl:apply-templates select="." mode="numbers"/>
        <xsl:if test="ancestor-or-self::intro | ancestor-or-self::question | ancestor-or-self::summary
                      | ancestor-or-self::assistance | ancestor-or-self::calls-to-action">
          <xsl:call-template name="rg-other-states">
            <xsl:with-param name="state" select="$state"/>
            <xsl:with-param name="what" select="'a brief'"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:if test="self::link">
          <xsl:call-template name="rg-check-link"/>
        </xsl:if>
      </xsl:for-each>
    </findings>
  </xsl:template>

  <xsl:template match="*" mode="numbers"/>

  <!-- 1. the maxima against the total -->
  <xsl:template match="framework" mode="numbers">
    <xsl:variable name="maxima" select="rg:sum(section/@max)"/>
    <xsl:if test="rg:cmp($maxima, @total) != 0">
      <xsl:call-template name="rg-finding">
        <xsl:with-param name="attribute">total</xsl:with-param>
        <xsl:with-param name="message" select="concat('the section maxima add up to ', $maxima, ', not the ',
            normalize-space(@name), ' total of ', rg:num(@total))"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- 2. and 4. a year's sections and its stated score -->
  <xsl:template match="year" mode="numbers">
    <xsl:variable name="year" select="."/>
    <xsl:for-each select="$framework/section">
      <!-- an error, not a warning: the year's bar in the chart has no value to draw -->
      <xsl:if test="not($year/score[number(@section) = number(current()/@number)])">
        <finding severity="error" line="{rg:line($year)}" element="{local-name($year)}">
          <xsl:value-of select="concat(normalize-space($year/@value), ': no score for section ',
              @number, ' (', normalize-space(.), ')')"/>
        </finding>
      </xsl:if>
    </xsl:for-each>
    <xsl:variable name="sum" select="rg:sum(score/@value)"/>
    <xsl:if test="@score and rg:cmp(@score, $sum) != 0">
      <xsl:call-template name="rg-finding">
        <xsl:with-param name="attribute">score</xsl:with-param>
        <xsl:with-param name="message" select="concat(normalize-space(@value), ': score ', rg:num(@score),
            ' disagrees with the sum of the section scores, ', $sum, ' (leave the score out and it is computed)')"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- 3. a section score over its maximum -->
  <xsl:template match="year/score" mode="numbers">
    <xsl:variable name="max" select="$framework/section[number(@number) = number(current()/@section)]/@max"/>
    <xsl:if test="$max and rg:cmp(@value, $max) = 1">
      <xsl:call-template name="rg-finding">
        <xsl:with-param name="attribute">value</xsl:with-param>
        <xsl:with-param name="message" select="concat(normalize-space(../@value), ': section ', @section, ' score ',
            rg:num(@value), ' exceeds its maximum ', rg:num($max))"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- 5. a grade change claimed in text -->
  <xsl:template match="grade-change" mode="numbers">
    <xsl:variable name="from" select="$years[number(@value) = number(current()/@from)]"/>
    <xsl:variable name="to" select="$years[number(@value) = number(current()/@to)]"/>
    <xsl:variable name="letters">
      <xsl:call-template name="rg-grade-letters">
        <xsl:with-param name="text" select="normalize-space(.)"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="not($from) or not($to)">
        <xsl:call-template name="rg-finding">
          <xsl:with-param name="attribute">
            <xsl:choose>
              <xsl:when test="not($from)">from</xsl:when>
              <xsl:otherwise>to</xsl:otherwise>
            </xsl:choose>
          </xsl:with-param>
          <xsl:with-param name="message">
            <xsl:value-of select="'grade change claimed for '"/>
            <xsl:choose>
              <xsl:when test="not($from)"><xsl:value-of select="normalize-space(@from)"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="normalize-space(@to)"/></xsl:otherwise>
            </xsl:choose>
            <xsl:value-of select="', a year the score history does not hold'"/>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="string-length($letters) &lt; 2">
        <xsl:call-template name="rg-finding">
          <xsl:with-param name="message" select="concat('grade change ', $rg-apos, normalize-space(.), $rg-apos,
              ' names no grade letters to compare with the history (from an F to a C)')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="out-of" select="$framework/@graded-out-of"/>
        <xsl:variable name="from-score">
          <xsl:call-template name="year-score"><xsl:with-param name="year" select="$from"/></xsl:call-template>
        </xsl:variable>
        <xsl:variable name="to-score">
          <xsl:call-template name="year-score"><xsl:with-param name="year" select="$to"/></xsl:call-template>
        </xsl:variable>
        <xsl:variable name="from-grade" select="rg:grade($from-score, $out-of)"/>
        <xsl:variable name="to-grade" select="rg:grade($to-score, $out-of)"/>
        <xsl:if test="substring($letters, 1, 1) != $from-grade or substring($letters, 2, 1) != $to-grade">
          <xsl:call-template name="rg-finding">
            <xsl:with-param name="message" select="concat('grade change claimed from ', $rg-apos,
                substring($letters, 1, 1), $rg-apos, ' to ', $rg-apos, substring($letters, 2, 1), $rg-apos,
                ' (', normalize-space(@from), ' to ', normalize-space(@to), '), but the scores give ',
                $rg-apos, $from-grade, $rg-apos, ' (', $from-score, ') to ',
                $rg-apos, $to-grade, $rg-apos, ' (', $to-score, ')')"/>
          </xsl:call-template>
        </xsl:if>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A year's overall score: stated, or the sum of its sections. -->
  <xsl:template name="year-score">
    <xsl:param name="year"/>
    <xsl:choose>
      <xsl:when test="$year/@score"><xsl:value-of select="rg:num($year/@score)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="rg:sum($year/score/@value)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
