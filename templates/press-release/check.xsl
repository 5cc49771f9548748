<?xml version="1.0" encoding="UTF-8"?>
<!-- Consistency rules of a press release, run after the schema has passed.
     Output: <findings> as templates/README.md describes, in the order of the
     data file; every finding is a warning (an error under check strict).
     The rules are shared with the other Shared Hope kinds (../common/rules.xsl):

     1. The name of another US state or DC in a release about one state
        (when <state> names it), outside <comparison>: "Utah faces
        challenges" in a list of Connecticut's gaps. The headline, the
        subheadline, the body, the boilerplate and the media materials are
        read; the dateline's place ("WASHINGTON, D.C.") and the media contact
        are not.
     2. A link, or the organization's web address in the letterhead, that is
        empty, "#", or not a well-formed http(s) URL or bare domain.
     3. (an error) Text in a quote split into <part>s but outside them: the
        layout sets the parts alone, so that text would be lost.
     4. A quote whose words begin or end with a quotation mark: the layout
        sets the marks, and they would be doubled. -->
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
        <xsl:if test="$state != '' and (ancestor-or-self::headline | ancestor-or-self::subheadline
                      | ancestor-or-self::body | ancestor-or-self::boilerplate | ancestor-or-self::media-materials)">
          <xsl:call-template name="rg-other-states">
            <xsl:with-param name="state" select="$state"/>
            <xsl:with-param name="what" select="'a release'"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:if test="self::link">
          <xsl:call-template name="rg-check-link"/>
        </xsl:if>
        <xsl:if test="self::quote[part]/text()[normalize-space()]">
          <xsl:variable name="stray" select="normalize-space(text()[normalize-space()][1])"/>
          <finding severity="error" line="{rg:line(.)}" element="quote">
            <xsl:value-of select="concat('text outside the parts of a split quote by ', $rg-apos, normalize-space(@by),
                                         $rg-apos, ': ', $rg-apos, $stray, $rg-apos, ' (put it in a part)')"/>
          </finding>
        </xsl:if>
        <xsl:for-each select="self::quote[not(part)] | self::part">
          <xsl:variable name="words" select="normalize-space(.)"/>
          <xsl:variable name="marks" select="'&quot;“”'"/>
          <xsl:if test="contains($marks, substring($words, 1, 1)) or contains($marks, substring($words, string-length($words)))">
            <xsl:call-template name="rg-finding">
              <xsl:with-param name="message" select="concat('quotation marks around the words of a quote by ', $rg-apos,
                                               normalize-space(ancestor-or-self::quote/@by), $rg-apos,
                                               ': the layout sets them (', $rg-apos, substring($words, 1, 30),
                                               substring('…', 1, string-length($words) &gt; 30), $rg-apos, ')')"/>
            </xsl:call-template>
          </xsl:if>
        </xsl:for-each>
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
