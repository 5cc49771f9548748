<?xml version="1.0" encoding="UTF-8"?>
<!-- Rules about several report cards together, run by `check` on the files
     it is given and by `batch` on its documents before any is rendered: a
     stated national rank is held by one card of a framework and year. The
     input is <set> holding each valid card, its root carrying source="FILE";
     a finding names that file, so the message points into the card. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen"
    exclude-result-prefixes="rg">
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:variable name="apos">'</xsl:variable>
  <!-- framework (a card that names none is under advanced-2021), year, rank -->
  <xsl:key name="rank" match="report-card[normalize-space(@rank) != '']"
      use="concat(normalize-space(@framework), substring('advanced-2021', 1, 13 * not(normalize-space(@framework))),
                  '|', @year, '|', normalize-space(@rank))"/>

  <xsl:template match="/">
    <findings>
      <xsl:for-each select="set/report-card[normalize-space(@rank) != '']">
        <xsl:variable name="same" select="key('rank', concat(normalize-space(@framework),
            substring('advanced-2021', 1, 13 * not(normalize-space(@framework))),
            '|', @year, '|', normalize-space(@rank)))"/>
        <xsl:if test="count($same) > 1 and generate-id($same[1]) != generate-id(.)">
          <finding severity="error" line="{rg:line(.)}" element="report-card" attribute="rank" file="{@source}">
            <xsl:value-of select="concat('rank ', normalize-space(@rank), ' of ', @year, ' is also the rank of ',
                normalize-space($same[1]/state/@name), ' (', $same[1]/@source, ')')"/>
          </finding>
        </xsl:if>
      </xsl:for-each>
    </findings>
  </xsl:template>
</xsl:stylesheet>
