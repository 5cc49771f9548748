<?xml version="1.0" encoding="UTF-8"?>
<!-- Consistency rules of a report card, run after the schema has passed.
     Output: <findings> as templates/README.md describes. Numbers are compared
     with the program's exact decimals (rg:cmp, rg:sum, rg:grade), never with
     XPath's floating point; only the percentage in a message is a float. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen"
    exclude-result-prefixes="rg">
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:variable name="issues" select="/report-card/issues/issue"/>
  <xsl:variable name="points" select="/report-card/extra-credit/item/@points"/>
  <!-- every figure is a decimal rg: can read (the schema lets " 8.5 " through) -->
  <xsl:variable name="numbers-ok"
      select="not(($issues/@score | $issues/@max | $points | /report-card/overall/@score)[rg:num(.) = ''])"/>
  <!-- the six scores plus the extra credit: what the overall score must be -->
  <xsl:variable name="total" select="rg:sum($issues/@score | $points)"/>

  <xsl:template match="/">
    <findings>
      <xsl:apply-templates select="report-card"/>
    </findings>
  </xsl:template>

  <xsl:template match="report-card">
    <xsl:apply-templates select="issues | issues/issue | extra-credit/item | overall | learn-more/entry/link"/>
  </xsl:template>

  <xsl:template match="issues">
    <xsl:variable name="maxima" select="rg:sum(issue/@max)"/>
    <xsl:if test="$numbers-ok and rg:cmp($maxima, '100') != 0">
      <xsl:call-template name="finding">
        <xsl:with-param name="message">the maxima of the issue areas add up to <xsl:value-of select="$maxima"/>, not 100</xsl:with-param>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template match="issue">
    <xsl:variable name="what" select="concat('issue ', @number, ': ')"/>
    <xsl:variable name="first" select="preceding-sibling::issue[@number = current()/@number][last()]"/>
    <xsl:if test="$first">
      <xsl:call-template name="finding">
        <xsl:with-param name="attribute">number</xsl:with-param>
        <xsl:with-param name="message">duplicate issue number <xsl:value-of select="@number"/> (first on line <xsl:value-of select="rg:line($first)"/>)</xsl:with-param>
      </xsl:call-template>
    </xsl:if>
    <xsl:call-template name="not-a-number">
      <xsl:with-param name="what" select="$what"/>
      <xsl:with-param name="value" select="@score"/>
    </xsl:call-template>
    <xsl:call-template name="not-a-number">
      <xsl:with-param name="what" select="$what"/>
      <xsl:with-param name="value" select="@max"/>
    </xsl:call-template>
    <xsl:choose>
      <xsl:when test="rg:num(@score) = '' or rg:num(@max) = ''"/>
      <xsl:when test="rg:cmp(@score, @max) = 1">
        <!-- the grade of an impossible score means nothing: no grade finding -->
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">score</xsl:with-param>
          <xsl:with-param name="message"><xsl:value-of select="$what"/>score <xsl:value-of select="@score"/> exceeds its maximum <xsl:value-of select="@max"/></xsl:with-param>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="@grade and @grade != rg:grade(@score, @max)">
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">grade</xsl:with-param>
          <xsl:with-param name="message">
            <xsl:value-of select="concat($what, 'stated grade ', $apos, @grade, $apos, ' but ', @score, ' of ', @max, ' (', format-number(@score * 100 div @max, '0.#'), '%) is ')"/>
            <xsl:call-template name="a-grade">
              <xsl:with-param name="letter" select="rg:grade(@score, @max)"/>
            </xsl:call-template>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="item">
    <xsl:call-template name="not-a-number">
      <xsl:with-param name="what" select="concat('extra credit ', $apos, normalize-space(name), $apos, ': ')"/>
      <xsl:with-param name="value" select="@points"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="overall">
    <xsl:call-template name="not-a-number">
      <xsl:with-param name="what">overall: </xsl:with-param>
      <xsl:with-param name="value" select="@score"/>
    </xsl:call-template>
    <xsl:if test="$numbers-ok">
      <xsl:if test="@score and rg:cmp(@score, $total) != 0">
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">score</xsl:with-param>
          <xsl:with-param name="message">overall score <xsl:value-of select="@score"/> disagrees with the sum of the areas and extra credit, <xsl:value-of select="$total"/></xsl:with-param>
        </xsl:call-template>
      </xsl:if>
      <xsl:if test="@grade and @grade != rg:grade($total, '100')">
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">grade</xsl:with-param>
          <xsl:with-param name="message">
            <xsl:value-of select="concat('overall: stated grade ', $apos, @grade, $apos, ' but the total ', $total, ' of 100 is ')"/>
            <xsl:call-template name="a-grade">
              <xsl:with-param name="letter" select="rg:grade($total, '100')"/>
            </xsl:call-template>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <!-- The page shows the link's text and goes to its href: they must agree. -->
  <xsl:template match="link">
    <xsl:variable name="shown" select="normalize-space(.)"/>
    <xsl:variable name="target" select="substring-after(@href, '://')"/>
    <xsl:if test="$shown != $target and concat($shown, '/') != $target">
      <xsl:call-template name="finding">
        <xsl:with-param name="severity">warning</xsl:with-param>
        <xsl:with-param name="attribute">href</xsl:with-param>
        <xsl:with-param name="message">link text '<xsl:value-of select="$shown"/>' does not match its address '<xsl:value-of select="@href"/>'</xsl:with-param>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- ===== helpers ===== -->

  <xsl:variable name="apos">'</xsl:variable>

  <xsl:template name="finding">
    <xsl:param name="severity">error</xsl:param>
    <xsl:param name="attribute"/>
    <xsl:param name="message"/>
    <finding severity="{$severity}" line="{rg:line(.)}" element="{local-name()}">
      <xsl:if test="$attribute != ''">
        <xsl:attribute name="attribute"><xsl:value-of select="$attribute"/></xsl:attribute>
      </xsl:if>
      <xsl:value-of select="normalize-space($message)"/>
    </finding>
  </xsl:template>

  <!-- A figure the exact arithmetic cannot read (the schema admits padding). -->
  <xsl:template name="not-a-number">
    <xsl:param name="what"/>
    <xsl:param name="value"/>
    <xsl:if test="$value and rg:num($value) = ''">
      <xsl:call-template name="finding">
        <xsl:with-param name="attribute" select="name($value)"/>
        <xsl:with-param name="message" select="concat($what, name($value), ' ', $apos, $value, $apos, ' is not a decimal number')"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- "an 'F'", "a 'B'": the article as the letter is spoken. -->
  <xsl:template name="a-grade">
    <xsl:param name="letter"/>
    <xsl:choose>
      <xsl:when test="contains('AEFHILMNORSX', substring($letter, 1, 1))">an </xsl:when>
      <xsl:otherwise>a </xsl:otherwise>
    </xsl:choose>
    <xsl:value-of select="concat($apos, $letter, $apos)"/>
  </xsl:template>
</xsl:stylesheet>
