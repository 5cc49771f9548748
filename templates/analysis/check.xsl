<?xml version="1.0" encoding="UTF-8"?>
<!-- Consistency rules of an analysis, run after the schema has passed.
     Output: <findings> as templates/README.md describes, in the order of the
     data file; every finding is a warning (an error under check strict).
     Numbers are compared with the program's exact decimals (rg:sum, rg:cmp,
     rg:grade), never with XPath's floating point.

     1. A section score over its maximum.
     2. Section maxima that do not add up to the framework's total.
     3. A stated final score that is not the sum of the section scores.
     4. A stated final grade outside the band of the sum of the section
        scores (a wrong stated score is rule 3's finding), read against the
        framework's graded-out-of with the kind's grades.xml.
     5. The name of another US state or DC outside <comparison>, in the
        summary, the sections and the note (../common/rules.xsl).
     6. A link that is empty, "#", or not a well-formed http(s) URL or bare
        domain (../common/rules.xsl). -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen"
    exclude-result-prefixes="rg">
  <xsl:import href="../common/rules.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:variable name="doc" select="/analysis"/>
  <xsl:variable name="state" select="normalize-space($doc/state/@name)"/>
  <xsl:variable name="framework" select="$doc/framework"/>
  <xsl:variable name="sections" select="$doc/sections/section"/>
  <!-- every figure is a decimal rg: can read (the schema lets " 8.5 " through) -->
  <xsl:variable name="numbers-ok"
      select="not(($sections/@score | $sections/@max | $doc/final/@score | $framework/@total
                   | $framework/@graded-out-of)[rg:num(.) = ''])"/>
  <xsl:variable name="sum" select="rg:sum($sections/@score)"/>

  <xsl:template match="/">
    <findings>
      <xsl:for-each select="$doc//*">
        <xsl:apply-templates select="." mode="numbers"/>
        <xsl:if test="ancestor-or-self::summary | ancestor::section | ancestor-or-self::note">
          <xsl:call-template name="rg-other-states">
            <xsl:with-param name="state" select="$state"/>
            <xsl:with-param name="what" select="'an analysis'"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:if test="self::link">
          <xsl:call-template name="rg-check-link"/>
        </xsl:if>
      </xsl:for-each>
    </findings>
  </xsl:template>

  <xsl:template match="*" mode="numbers"/>

  <!-- 2. the maxima against the framework's total -->
  <xsl:template match="sections" mode="numbers">
    <xsl:variable name="maxima" select="rg:sum(section/@max)"/>
    <xsl:if test="$numbers-ok and rg:cmp($maxima, $framework/@total) != 0">
      <xsl:call-template name="rg-finding">
        <xsl:with-param name="message" select="concat('the section maxima add up to ', $maxima, ', not the ',
            normalize-space($framework/@name), ' total of ', rg:num($framework/@total))"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- 1. a score over its maximum -->
  <xsl:template match="section" mode="numbers">
    <xsl:if test="$numbers-ok and rg:cmp(@score, @max) = 1">
      <xsl:call-template name="rg-finding">
        <xsl:with-param name="attribute">score</xsl:with-param>
        <xsl:with-param name="message" select="concat('section ', @number, ': score ', rg:num(@score),
            ' exceeds its maximum ', rg:num(@max))"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- 3. and 4. the stated final score and grade -->
  <xsl:template match="final" mode="numbers">
    <xsl:if test="$numbers-ok">
      <xsl:if test="@score and rg:cmp(@score, $sum) != 0">
        <xsl:call-template name="rg-finding">
          <xsl:with-param name="attribute">score</xsl:with-param>
          <xsl:with-param name="message" select="concat('final score ', rg:num(@score),
              ' disagrees with the sum of the section scores, ', $sum, ' (leave the score out and it is computed)')"/>
        </xsl:call-template>
      </xsl:if>
      <xsl:variable name="band" select="rg:grade($sum, $framework/@graded-out-of)"/>
      <xsl:if test="@grade and normalize-space(@grade) != $band">
        <xsl:call-template name="rg-finding">
          <xsl:with-param name="attribute">grade</xsl:with-param>
          <xsl:with-param name="message">
            <xsl:value-of select="concat('final grade ', $rg-apos, normalize-space(@grade), $rg-apos,
                ' but the section scores add up to ', $sum, ', which out of ', rg:num($framework/@graded-out-of), ' is ')"/>
            <xsl:call-template name="rg-a-grade">
              <xsl:with-param name="letter" select="$band"/>
            </xsl:call-template>
            <xsl:text> (leave the grade out and it is computed)</xsl:text>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:if>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>
