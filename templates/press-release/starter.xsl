<?xml version="1.0" encoding="UTF-8"?>
<!-- A new press release (reportgen new press-release): the organization,
     the release date, headline, dateline, a body of a paragraph and a
     quote, the boilerplate and the media contact, each to be written.
     Parameters: state (the state the release is about, or '' for none)
     and year. Placeholders: "[TODO: ...]" in text, <?todo ...?> beside a
     date; check warns about each one left. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>
  <xsl:param name="state" select="''"/>
  <xsl:param name="year" select="2026"/>

  <xsl:template match="/">
    <press-release released="{$year}-01-01">
      <xsl:processing-instruction name="todo">the release date (YYYY-MM-DD) on the line above</xsl:processing-instruction>
      <xsl:if test="$state != ''">
        <state name="{$state}"/>
      </xsl:if>
      <organization>[TODO: the organization's name]</organization>
      <headline>[TODO: the headline]</headline>
      <dateline place="[TODO: the place it is issued from, WASHINGTON, D.C.]"/>
      <body>
        <p>[TODO: the first paragraph: who, what, when and why]</p>
        <quote by="[TODO: who said it]" role="[TODO: their role]">[TODO: the words, without quotation marks]</quote>
      </body>
      <boilerplate>[TODO: what the organization is and does]</boilerplate>
      <media-contact>
        <name>[TODO: the media contact's name]</name>
      </media-contact>
    </press-release>
  </xsl:template>
</xsl:stylesheet>
