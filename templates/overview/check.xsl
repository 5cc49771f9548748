<?xml version="1.0" encoding="UTF-8"?>
<!-- Rules about the cards of an overview together, run on the assembled
     document after each card has passed its own checks. A finding names the
     card's file in file="..." (its source), so the message points into it.
       - one framework: every card is graded under the first card's framework
         (a card that names none is under advanced-2021, as on its own)
       - a stated national rank is held by one card only
       - a better (smaller) stated rank goes with a score no lower (a warning:
         the folder may hold only some of the cards ranked) -->
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
        <xsl:if test="$rank != ''">
          <xsl:variable name="score">
            <xsl:call-template name="score"><xsl:with-param name="card" select="."/></xsl:call-template>
          </xsl:variable>
          <xsl:variable name="me" select="."/>
          <!-- the first card ranked better that scores lower -->
          <xsl:variable name="above">
            <xsl:for-each select="$cards[normalize-space(@rank) != '' and number(normalize-space(@rank)) &lt; number($rank)]">
              <xsl:variable name="s">
                <xsl:call-template name="score"><xsl:with-param name="card" select="."/></xsl:call-template>
              </xsl:variable>
              <xsl:if test="rg:cmp($s, $score) = -1">
                <xsl:value-of select="concat('|', generate-id(), '=', $s)"/>
              </xsl:if>
            </xsl:for-each>
          </xsl:variable>
          <xsl:if test="$above != ''">
            <xsl:variable name="id" select="substring-before(substring($above, 2), '=')"/>
            <xsl:variable name="other" select="$cards[generate-id() = $id]"/>
            <finding severity="warning" line="{rg:line(.)}" element="report-card" attribute="rank" file="{@source}">
              <xsl:value-of select="concat('rank ', $rank, ' with a score of ', $score, ', but ', normalize-space($other/state/@name),
                  ' (', $other/@source, ') has the better rank ', normalize-space($other/@rank), ' with a lower score, ',
                  substring-before(concat(substring-after(substring($above, 2), '='), '|'), '|'))"/>
            </finding>
          </xsl:if>
        </xsl:if>
      </xsl:for-each>
    </findings>
  </xsl:template>

  <!-- a card's score: its stated overall score, else its areas and extra credit -->
  <xsl:template name="score">
    <xsl:param name="card"/>
    <xsl:value-of select="rg:sum($card/overall/@score
        | $card/issues/issue/@score[not(../../../overall/@score)]
        | $card/extra-credit/item/@points[not(../../../overall/@score)])"/>
  </xsl:template>

  <xsl:template name="fw">
    <xsl:param name="card"/>
    <xsl:value-of select="normalize-space($card/@framework)"/>
    <xsl:if test="normalize-space($card/@framework) = ''">advanced-2021</xsl:if>
  </xsl:template>
</xsl:stylesheet>
