<?xml version="1.0" encoding="UTF-8"?>
<!-- Rules about the cards of an overview together, run on the assembled
     document after each card has passed its own checks. A finding names the
     card's file in file="..." (its source), so the message points into it.
       - one framework: every card is graded under the first card's framework
         (a card that names none is under advanced-2021, as on its own)
       - a stated national rank is held by one card only -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen"
    exclude-result-prefixes="rg">
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:variable name="apos">'</xsl:variable>
  <xsl:variable name="cards" select="/overview/report-card"/>
  <xsl:variable name="first-fw">
    <xsl:call-template name="fw"><xsl:with-param name="card" select="$cards[1]"/></xsl:call-template>
  </xsl:variable>

  <xsl:template match="/">
    <findings>
      <xsl:for-each select="$cards">
        <xsl:variable name="fw">
          <xsl:call-template name="fw"><xsl:with-param name="card" select="."/></xsl:call-template>
        </xsl:variable>
        <xsl:if test="$fw != $first-fw">
          <finding severity="error" line="{rg:line(.)}" element="report-card" attribute="framework" file="{@source}">
            <xsl:value-of select="concat('framework ', $apos, $fw, $apos, ' differs from ', $apos, $first-fw, $apos,
                ' of ', $cards[1]/@source, ': an overview compares cards of one framework')"/>
          </finding>
        </xsl:if>
        <xsl:variable name="rank" select="normalize-space(@rank)"/>
        <xsl:variable name="same" select="preceding-sibling::report-card[normalize-space(@rank) = $rank][1]"/>
        <xsl:if test="$rank != '' and $same">
          <finding severity="error" line="{rg:line(.)}" element="report-card" attribute="rank" file="{@source}">
            <xsl:value-of select="concat('rank ', $rank, ' is also the rank of ', normalize-space($same/state/@name),
                ' (', $same/@source, ')')"/>
          </finding>
        </xsl:if>
      </xsl:for-each>
    </findings>
  </xsl:template>

  <xsl:template name="fw">
    <xsl:param name="card"/>
    <xsl:value-of select="normalize-space($card/@framework)"/>
    <xsl:if test="normalize-space($card/@framework) = ''">advanced-2021</xsl:if>
  </xsl:template>
</xsl:stylesheet>
