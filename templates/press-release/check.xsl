<?xml version="1.0" encoding="UTF-8"?>
<!-- Consistency rules of a press release, run after the schema has passed.
     Output: <findings> as templates/README.md describes; every finding is a
     warning (an error under check strict). The rules are shared with the
     other Shared Hope kinds (../common/rules.xsl):

     1. The name of another US state or DC in a release about one state,
        outside <comparison>: "Utah faces challenges" in a list of
        Connecticut's gaps. The dateline's place is not read.
     2. A link that is empty, "#", or not a well-formed http(s) URL or bare
        domain. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen"
    exclude-result-prefixes="rg">
  <xsl:import href="../common/rules.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:variable name="release" select="/press-release"/>

  <xsl:template match="/">
    <findings>
      <xsl:call-template name="rg-other-states">
        <xsl:with-param name="nodes" select="$release/headline | $release/body//* | $release/boilerplate
            | $release/boilerplate//* | $release/media-materials | $release/media-materials//*"/>
        <xsl:with-param name="state" select="normalize-space($release/state/@name)"/>
        <xsl:with-param name="what" select="'release'"/>
      </xsl:call-template>
      <xsl:for-each select="$release//link">
        <xsl:call-template name="rg-check-link"/>
      </xsl:for-each>
    </findings>
  </xsl:template>
</xsl:stylesheet>
