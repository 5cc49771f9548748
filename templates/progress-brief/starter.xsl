<?xml version="1.0" encoding="UTF-8"?>
<!-- A new progress brief (reportgen new progress-brief): the Protected
     Innocence Challenge framework of the published briefs, one year of
     scores, all 0 and marked to be written (add a <year> per earlier year;
     the grades and the grade change are computed from the scores), and the
     texts to write. Parameters: state (a name, or '' for a placeholder) and
     year. Placeholders: "[TODO: ...]" in text, <?todo ...?> beside a number
     or a date; check warns about each one left. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>
  <xsl:param name="state" select="''"/>
  <xsl:param name="year" select="2026"/>

  <xsl:variable name="name">
    <xsl:choose>
      <xsl:when test="$state != ''"><xsl:value-of select="$state"/></xsl:when>
      <xsl:otherwise>[TODO: the state's name]</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <xsl:template match="/">
    <progress-brief published="{$year}-01-01">
      <xsl:processing-instruction name="todo">the publication date (YYYY-MM-DD) on the line above</xsl:processing-instruction>
      <state name="{$name}"/>
      <masthead>
        <title>Report Cards on Child &amp; Youth Sex Trafficking</title>
        <tagline>State Action. National Change.</tagline>
      </masthead>
      <organization>Shared Hope International</organization>
      <framework name="Protected Innocence Challenge" total="102.5" graded-out-of="100">
        <section number="1" max="10" short="Criminalization">Criminalization of Domestic Minor Sex Trafficking</section>
        <section number="2" max="25" short="Demand">Criminal Provisions for Demand</section>
        <section number="3" max="15" short="Traffickers">Criminal Provisions for Traffickers</section>
        <section number="4" max="10" short="Facilitators">Criminal Provisions for Facilitators</section>
        <section number="5" max="27.5" short="Child victims">Protective Provisions for the Child Victims</section>
        <section number="6" max="15" short="Justice tools">Criminal Justice Tools for Investigation and Prosecution</section>
      </framework>
      <intro>
        <p>[TODO: the introduction: what the framework is and why this session matters]</p>
      </intro>
      <question>So what is <strong><xsl:value-of select="$name"/></strong>'s current score and what changes are needed?</question>
      <history>
        <year value="{$year}" as-of="{$year}-01-01">
          <xsl:processing-instruction name="todo">the date the scores hold on (as-of) and the score of each section below</xsl:processing-instruction>
          <score section="1" value="0"/>
          <score section="2" value="0"/>
          <score section="3" value="0"/>
          <score section="4" value="0"/>
          <score section="5" value="0"/>
          <score section="6" value="0"/>
        </year>
      </history>
      <summary>
        <p>[TODO: the summary: what the state's laws do and the gaps that remain]</p>
      </summary>
      <calls-to-action>
        <action>To learn more about the Report Cards on Child &amp; Youth Sex Trafficking, visit our page: <link href="https://sharedhope.org/reportcards">sharedhope.org/reportcards</link></action>
      </calls-to-action>
    </progress-brief>
  </xsl:template>
</xsl:stylesheet>
