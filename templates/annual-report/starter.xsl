<?xml version="1.0" encoding="UTF-8"?>
<!-- A new annual report (reportgen new annual-report): a cover with the
     council, the state, the title, the period and the date, then an
     executive summary, a members list with one seat, and recommendations,
     each to be written (more parts: README.md beside this file). Parameters:
     state (a name, or '' for a placeholder) and year. Placeholders:
     "[TODO: ...]" in text, <?todo ...?> beside a date; check warns about
     each one left. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>
  <xsl:param name="state" select="''"/>
  <xsl:param name="year" select="2026"/>

  <xsl:template match="/">
    <annual-report>
      <cover>
        <state>
          <xsl:choose>
            <xsl:when test="$state != ''">State of <xsl:value-of select="$state"/></xsl:when>
            <xsl:otherwise>[TODO: the state, as the cover names it: State of New Mexico]</xsl:otherwise>
          </xsl:choose>
        </state>
        <council>[TODO: the council's name]</council>
        <title>Annual Report</title>
        <period><xsl:value-of select="$year"/></period>
        <date iso="{$year}-01-01">[TODO: the date as the cover prints it: January <xsl:value-of select="$year"/>]</date>
        <xsl:processing-instruction name="todo">the date above as YYYY-MM-DD (iso)</xsl:processing-instruction>
      </cover>
      <section id="summary">
        <title>Executive Summary</title>
        <p>[TODO: what the council did this year]</p>
      </section>
      <members id="members">
        <title>Council Members</title>
        <seat org="seat-1"><office>[TODO: the office holding the seat]</office><person first="[TODO: first name]" last="[TODO: last name]" role="chair"/></seat>
      </members>
      <recommendations id="recommendations" year="{$year + 1}">
        <title>Recommendations for <xsl:value-of select="$year + 1"/></title>
        <consensus id="consensus">
          <title>Recommendations of the Council:</title>
          <recommendation><text>[TODO: a recommendation]</text></recommendation>
        </consensus>
      </recommendations>
    </annual-report>
  </xsl:template>
</xsl:stylesheet>
