<?xml version="1.0" encoding="UTF-8"?>
<!-- The framework a report card is graded under, for check.xsl and layout.xsl
     (imported by both). A card names it in <report-card framework="ID">; a
     card that names none is graded under advanced-2021 (the 2021 cards, and
     the 51 in data/states, were written before frameworks had names). The
     framework's file is frameworks/ID.xml beside this stylesheet; its format
     is in README.md. No framework knowledge lives in C: grades come from
     rg:grade(score, max, $fw-scale), exact. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen"
    exclude-result-prefixes="rg">

  <xsl:variable name="fw-default" select="'advanced-2021'"/>
  <xsl:variable name="fw-id">
    <xsl:choose>
      <xsl:when test="normalize-space(/report-card/@framework) != ''">
        <xsl:value-of select="normalize-space(/report-card/@framework)"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$fw-default"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="fw-href" select="concat('frameworks/', $fw-id, '.xml')"/>
  <!-- an unknown framework is a finding of check.xsl, not a failed read:
       document('') is this stylesheet, which holds no <framework> -->
  <xsl:variable name="fw-known" select="rg:exists($fw-href)"/>
  <xsl:variable name="fw" select="document(substring($fw-href, 1, string-length($fw-href) * number($fw-known)))/framework"/>
  <xsl:variable name="fw-areas" select="$fw/areas/area"/>
  <xsl:variable name="fw-scale" select="$fw/grades/grade"/>
  <xsl:variable name="fw-tiers" select="$fw/tiers/tier"/>
  <xsl:variable name="fw-out-of" select="rg:num(normalize-space($fw/total/@out-of))"/>
  <!-- what the overall grade reads the total against (points out of 100 in
       the Protected Innocence Challenge, whose total is 102.5) -->
  <xsl:variable name="fw-graded-out-of">
    <xsl:choose>
      <xsl:when test="$fw/total/@graded-out-of">
        <xsl:value-of select="rg:num(normalize-space($fw/total/@graded-out-of))"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$fw-out-of"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="fw-area-grades" select="normalize-space($fw/@area-grades) != 'no'"/>
  <xsl:variable name="fw-rank" select="normalize-space($fw/rank/@shown) = 'yes'"/>
  <xsl:variable name="fw-extra" select="normalize-space($fw/extra-credit/@allowed) != 'no'"/>
  <xsl:variable name="fw-extra-cap" select="rg:num(normalize-space($fw/extra-credit/@cap))"/>
  <xsl:variable name="fw-area-label">
    <xsl:value-of select="normalize-space($fw/@area-label)"/>
    <xsl:if test="normalize-space($fw/@area-label) = ''">Issue</xsl:if>
  </xsl:variable>
  <xsl:variable name="fw-overall-label">
    <xsl:value-of select="normalize-space($fw/@overall-label)"/>
    <xsl:if test="normalize-space($fw/@overall-label) = ''">OVERALL GRADE</xsl:if>
  </xsl:variable>
  <!-- the card's tier as the framework prints it ("TIER II", "Tier 2"); empty
       when the framework has no tiers or the card states none -->
  <xsl:variable name="fw-card-tier" select="normalize-space(/report-card/@tier)"/>
  <xsl:variable name="fw-tier-printed"
      select="normalize-space($fw-tiers[normalize-space(@value) = $fw-card-tier]/@printed)"/>

  <!-- "A, B, C, D, F": the letters of the scale, for messages -->
  <xsl:variable name="fw-letters">
    <xsl:for-each select="$fw-scale">
      <xsl:value-of select="normalize-space(@letter)"/>
      <xsl:if test="position() != last()">, </xsl:if>
    </xsl:for-each>
  </xsl:variable>
</xsl:stylesheet>
