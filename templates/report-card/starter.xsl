<?xml version="1.0" encoding="UTF-8"?>
<!-- A new report card (reportgen new report-card): the areas of the default
     framework (frameworks/advanced-2021.xml) with their names and maxima,
     every score 0 and marked to be written, no grades (they are computed
     from the scores), the learn-more entries of the published cards.
     Parameters: state (a name, or '' for a placeholder) and year.
     Placeholders: "[TODO: ...]" in text, <?todo ...?> beside a number, a
     date or a code; check warns about each one left. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>
  <xsl:param name="state" select="''"/>
  <xsl:param name="year" select="2026"/>

  <xsl:variable name="fw" select="document('frameworks/advanced-2021.xml')/framework"/>
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
    <report-card year="{$year}" tier="II" published="{$year}-01-01">
      <xsl:processing-instruction name="todo">the tier (I, II or III) and the publication date (YYYY-MM-DD) on this line</xsl:processing-instruction>
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
              <xsl:value-of select="concat('the score of issue area ', @number, ', out of ', @max)"/>
            </xsl:processing-instruction>
            <name><xsl:value-of select="@name"/></name>
            <highlights>[TODO: the highlights of issue area <xsl:value-of select="@number"/>: the goals met and the gaps that remain]</highlights>
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
