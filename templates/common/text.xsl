<?xml version="1.0" encoding="UTF-8"?>
<!-- Helpers for the text of the Shared Hope kinds (progress-brief,
     press-release, analysis): links, grade letters and dates, imported with
     <xsl:import href="../common/text.xsl"/> by their check and layout
     templates (rules.xsl imports it with state-rules.xsl). Not a document
     kind. rg-check-link reports through rg-finding: a stylesheet that calls
     it imports rules.xsl (or state-rules.xsl too).

     rg-check-link      a link (or an address in another attribute) that is
                        empty, "#", or not a well-formed http(s) URL or bare domain
     rg-link-target     what a layout links to: the address, "https://" + a bare
                        domain, or nothing for an address that would go nowhere
     rg-grade-letters   the standalone grade letters of a text ("from an F to a B": FB)
     rg-a-grade         "an 'F'", "a 'C'"
     rg-long-date       "August 1, 2019" from 2019-08-01 -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen"
    exclude-result-prefixes="rg">

  <!-- as in rules.xsl (a stylesheet importing both has one of each) -->
  <xsl:variable name="rg-apos">'</xsl:variable>
  <xsl:variable name="rg-lower" select="'abcdefghijklmnopqrstuvwxyz'"/>
  <xsl:variable name="rg-upper" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>
  <xsl:variable name="rg-alnum" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'"/>
  <!-- characters of a host name -->
  <xsl:variable name="rg-host-chars" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-'"/>
  <xsl:variable name="rg-space-chars" select="' &#9;&#10;&#13;'"/>

  <!-- ===== links ===== -->

  <!-- "ok", "empty", "placeholder" or "malformed" -->
  <xsl:template name="rg-link-status">
    <xsl:param name="href" select="@href"/>
    <xsl:variable name="h" select="string($href)"/>
    <xsl:variable name="low" select="translate($h, $rg-upper, $rg-lower)"/>
    <xsl:variable name="rest">
      <xsl:choose>
        <xsl:when test="starts-with($low, 'http://') or starts-with($low, 'https://')">
          <xsl:value-of select="substring-after($h, '://')"/>
        </xsl:when>
        <xsl:otherwise><xsl:value-of select="$h"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <!-- the host ends at the path, the query or the fragment -->
    <xsl:variable name="host" select="substring-before(translate(concat($rest, '/'), '?#', '//'), '/')"/>
    <xsl:variable name="tld">
      <xsl:call-template name="rg-after-last">
        <xsl:with-param name="text" select="$host"/>
        <xsl:with-param name="sep" select="'.'"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="normalize-space($h) = ''">empty</xsl:when>
      <xsl:when test="starts-with(normalize-space($h), '#')">placeholder</xsl:when>
      <xsl:when test="translate($h, $rg-space-chars, '') != $h">malformed</xsl:when>
      <xsl:when test="translate($host, $rg-host-chars, '') != ''">malformed</xsl:when>
      <xsl:when test="not(contains($host, '.')) or starts-with($host, '.') or starts-with($host, '-')
                      or contains($host, '..') or contains($host, '.-') or contains($host, '-.')">malformed</xsl:when>
      <xsl:when test="string-length($tld) &lt; 2 or translate($tld, $rg-alnum, '') != ''
                      or translate($tld, '0123456789', '') != $tld">malformed</xsl:when>
      <xsl:otherwise>ok</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="rg-after-last">
    <xsl:param name="text"/>
    <xsl:param name="sep"/>
    <xsl:choose>
      <xsl:when test="contains($text, $sep)">
        <xsl:call-template name="rg-after-last">
          <xsl:with-param name="text" select="substring-after($text, $sep)"/>
          <xsl:with-param name="sep" select="$sep"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The context node is a <link href>, or an element with an address in
       another attribute (then named by attribute, and described by shown). -->
  <xsl:template name="rg-check-link">
    <xsl:param name="attribute" select="'href'"/>
    <xsl:param name="href" select="@*[local-name() = $attribute]"/>
    <xsl:param name="shown" select="concat('link ', $rg-apos, normalize-space(.), $rg-apos)"/>
    <xsl:variable name="status">
      <xsl:call-template name="rg-link-status">
        <xsl:with-param name="href" select="$href"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$status = 'empty'">
        <xsl:call-template name="rg-finding">
          <xsl:with-param name="attribute" select="$attribute"/>
          <xsl:with-param name="message" select="concat($shown, ' has an empty address')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="$status = 'placeholder'">
        <xsl:call-template name="rg-finding">
          <xsl:with-param name="attribute" select="$attribute"/>
          <xsl:with-param name="message" select="concat($shown, ' goes nowhere: its address is the placeholder ',
              $rg-apos, normalize-space($href), $rg-apos)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="$status = 'malformed'">
        <xsl:call-template name="rg-finding">
          <xsl:with-param name="attribute" select="$attribute"/>
          <xsl:with-param name="message" select="concat($shown, ': address ', $rg-apos, $href, $rg-apos,
              ' is not an http(s) URL or a domain')"/>
        </xsl:call-template>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- The address a layout links to; empty when the link would go nowhere
       (the text is then shown without a link, and check reports it). -->
  <xsl:template name="rg-link-target">
    <xsl:param name="href" select="@href"/>
    <xsl:variable name="status">
      <xsl:call-template name="rg-link-status">
        <xsl:with-param name="href" select="$href"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:variable name="low" select="translate(string($href), $rg-upper, $rg-lower)"/>
    <xsl:if test="$status = 'ok'">
      <xsl:if test="not(starts-with($low, 'http://') or starts-with($low, 'https://'))">https://</xsl:if>
      <xsl:value-of select="$href"/>
    </xsl:if>
  </xsl:template>

  <!-- ===== grades ===== -->

  <!-- The standalone capital grade letters of text, in order: "raised its
       grade from F to C" gives "FC"; "from an F to a B" gives "FB". -->
  <xsl:template name="rg-grade-letters">
    <xsl:param name="text"/>
    <xsl:param name="prev" select="' '"/>
    <xsl:if test="$text != ''">
      <xsl:variable name="c" select="substring($text, 1, 1)"/>
      <xsl:variable name="next" select="substring($text, 2, 1)"/>
      <xsl:if test="contains('ABCDF', $c) and translate($prev, $rg-alnum, '') != ''
                    and ($next = '' or translate($next, $rg-alnum, '') != '')">
        <xsl:value-of select="$c"/>
      </xsl:if>
      <xsl:call-template name="rg-grade-letters">
        <xsl:with-param name="text" select="substring($text, 2)"/>
        <xsl:with-param name="prev" select="$c"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- "an 'F'", "a 'C'": the article as the letter is spoken. -->
  <xsl:template name="rg-a-grade">
    <xsl:param name="letter"/>
    <xsl:choose>
      <xsl:when test="contains('AEFHILMNORSX', substring($letter, 1, 1))">an </xsl:when>
      <xsl:otherwise>a </xsl:otherwise>
    </xsl:choose>
    <xsl:value-of select="concat($rg-apos, $letter, $rg-apos)"/>
  </xsl:template>

  <!-- "August 1, 2019" from 2019-08-01 -->
  <xsl:template name="rg-long-date">
    <xsl:param name="iso"/>
    <xsl:variable name="months"
        select="'|01=January|02=February|03=March|04=April|05=May|06=June|07=July|08=August|09=September|10=October|11=November|12=December|'"/>
    <xsl:value-of select="concat(substring-before(substring-after($months, concat('|', substring($iso, 6, 2), '=')), '|'),
        ' ', number(substring($iso, 9, 2)), ', ', substring($iso, 1, 4))"/>
  </xsl:template>

</xsl:stylesheet>
