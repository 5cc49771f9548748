<?xml version="1.0" encoding="UTF-8"?>
<!-- Consistency rules of a press release, run after the schema has passed.
     Output: <findings> as templates/README.md describes, in the order of the
     data file; every finding is a warning (an error under check strict).
     The rules are shared with the other Shared Hope kinds (../common/rules.xsl):

     1. The name of another US state or DC in a release about one state,
        outside <comparison>: "Utah faces challenges" in a list of
        Connecticut's gaps. The headline, the body, the boilerplate and the
        media materials are read; the dateline's place ("WASHINGTON, D.C.")
        and the media contact are not.
     2. A link, or the organization's web address in the letterhead, that is
        empty, "#", or not a well-formed http(s) URL or bare domain. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen"
    exclude-result-prefixes="rg">
  <xsl:import href="../common/rules.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:variable name="state" select="normalize-space(/press-release/state/@name)"/>

  <xsl:template match="/">
    <findings>
      <xsl:for-each select="/press-release//*">
        <xsl:if test="ancestor-or-self::headline | ancestor-or-self::body | ancestor-or-self::boilerplate
                      | ancestor-or-self::media-materials">
          <xsl:call-template name="rg-other-states">
            <xsl:with-param name="state" select="$state"/>
            <xsl:with-param name="what" select="'a release'"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:if test="self::link">
          <xsl:call-template name="rg-check-link"/>
        </xsl:if>
        <xsl:if test="self::organization[@web]">
          <xsl:call-template name="rg-check-link">
            <xsl:with-param name="attribute" select="'web'"/>
            <xsl:with-param name="shown" select="concat('web address of ', $rg-apos, normalize-space(.), $rg-apos)"/>
          </xsl:call-template>
        </xsl:if>
      </xsl:for-each>
    </findings>
  </xsl:template>
</xsl:stylesheet>
