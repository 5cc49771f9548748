<?xml version="1.0" encoding="UTF-8"?>
<!-- A new report card (reportgen new report-card): the areas of its
     framework (frameworks/NAME.xml: the parameter framework, else
     advanced-2021, the default of a card that names none) with their names
     and maxima,
     every score 0 and marked to be written, no grades (they are computed
     from the scores), the learn-more entries of the published cards.
     Parameters: state (a name, or '' for a placeholder), year and framework.
     Placeholders: "[TODO: ...]" in text, <?todo ...?> beside a number, a
     date or a code; check warns about each one left. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen" exclude-result-prefixes="rg">
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>
  <xsl:param name="state" select="''"/>
  <xsl:param name="year" select="2026"/>
  <xsl:param name="framework" select="''"/>

  <xsl:variable name="fw-href" select="concat('frameworks/', $framework, substring('advanced-2021', 1, 13 * number($framework = '')), '.xml')"/>
  <!-- (the program has checked that the file is there; a missing one is
       this template's own error, not a failed read: document('') holds no
       <framework>) -->
  <xsl:variable name="fw-known" select="rg:exists($fw-href)"/>
  <xsl:variable name="fw" select="document(substring($fw-href, 1, string-length($fw-href) * number($fw-known)))/framework"/>
  <xsl:variable name="label" select="translate(normalize-space($fw/@area-label), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"/>
  <xsl:variable name="area" select="concat($label, substring(' area', 1, 5 * number($label = 'issue')))"/>
  <xsl:variable name="name">
    <xsl:choose>
      <xsl:when test="$state != ''"><xsl:value-of select="$state"/></xsl:when>
      <xsl:otherwise>[TODO: the state's name]</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="slug">
    <xsl:choose>
      <xsl:when test="$state != ''">
        <xsl:value-of select="translate(normalize-space(translate($state, '.', ' ')),
                              'ABCDEFGHIJKLMNOPQRSTUVWXYZ ', 'abcdefghijklmnopqrstuvwxyz-')"/>
      </xsl:when>
      <xsl:otherwise>state</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <xsl:template match="/">
    <xsl:if test="not($fw-known)">
      <xsl:message terminate="yes">no framework '<xsl:value-of select="$framework"/>' (templates/report-card/<xsl:value-of select="$fw-href"/>)</xsl:message>
    </xsl:if>
    <xsl:variable name="tiers" select="$fw/tiers/tier"/>
    <report-card year="{$year}" published="{$year}-01-01">
      <xsl:if test="$framework != ''">
        <xsl:attribute name="framework"><xsl:value-of select="$framework"/></xsl:attribute>
      </xsl:if>
      <xsl:if test="$tiers">
        <xsl:attribute name="tier"><xsl:value-of select="$tiers[1]/@value"/></xsl:attribute>
      </xsl:if>
      <xsl:processing-instruction name="todo">
        <xsl:if test="$tiers">
          <xsl:text>the tier (</xsl:text>
          <xsl:for-each select="$tiers">
            <xsl:value-of select="@value"/>
            <xsl:if test="position() != last()">, </xsl:if>
          </xsl:for-each>
          <xsl:text>) and </xsl:text>
        </xsl:if>
        <xsl:text>the publication date (YYYY-MM-DD) on this line</xsl:text>
      </xsl:processing-instruction>
      <state name="{$name}" slug="{$slug}"/>
      <xsl:if test="$state = ''">
        <xsl:processing-instruction name="todo">the state's slug above, as in its report card's address (new-mexico)</xsl:processing-instruction>
      </xsl:if>
      <title><xsl:value-of select="$year"/> Report Card on Child &amp; Youth Sex Trafficking</title>
      <organization>Shared Hope International</organization>
      <issues>
        <xsl:for-each select="$fw/areas/area">
          <issue number="{@number}" score="0" max="{@max}">
            <xsl:processing-instruction name="todo">
              <xsl:value-of select="concat('the score of ', $area, ' ', @number, ', out of ', @max)"/>
            </xsl:processing-instruction>
            <name><xsl:value-of select="@name"/></name>
            <highlights>[TODO: the highlights of <xsl:value-of select="concat($area, ' ', @number)"/>: the goals met and the gaps that remain]</highlights>
          </issue>
        </xsl:for-each>
      </issues>
      <learn-more>
        <entry label="TOOLKIT" label-as="run-in">To see how <xsl:value-of select="$name"/> compares, visit <link href="https://reportcards.sharedhope.org/toolkit">reportcards.sharedhope.org/toolkit</link>.</entry>
        <entry label="ISSUE BRIEFS" label-as="run-in">To better understand a policy goal, visit <link href="https://reportcards.sharedhope.org/issue-briefs">reportcards.sharedhope.org/issue-briefs</link>.</entry>
        <entry label="{translate($name, 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')} SPECIFIC RESOURCES" label-as="heading">To better understand <xsl:value-of select="$name"/>'s grade, visit <link href="https://reportcards.sharedhope.org/{$slug}">reportcards.sharedhope.org/<xsl:value-of select="$slug"/></link>.</entry>
      </learn-more>
    </report-card>
  </xsl:template>
</xsl:stylesheet>
