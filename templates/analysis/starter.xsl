<?xml version="1.0" encoding="UTF-8"?>
<!-- A new analysis (reportgen new analysis): the Protected Innocence
     Challenge framework of the published analyses, its six sections with
     their maxima, every score 0 and marked to be written, no final score or
     grade (they are computed from the sections). Parameters: state (a name,
     or '' for a placeholder) and year (of the publication date).
     Placeholders: "[TODO: ...]" in text, <?todo ...?> beside a number;
     check warns about each one left. -->
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

  <xsl:template name="section">
    <xsl:param name="number"/>
    <xsl:param name="max"/>
    <xsl:param name="title"/>
    <section number="{$number}" score="0" max="{$max}">
      <xsl:processing-instruction name="todo">
        <xsl:value-of select="concat('the score of section ', $number, ', out of ', $max)"/>
      </xsl:processing-instruction>
      <title><xsl:value-of select="$title"/></title>
      <p>[TODO: the analysis of section <xsl:value-of select="$number"/>: what the laws provide and what they lack]</p>
    </section>
  </xsl:template>

  <xsl:template match="/">
    <analysis published="{$year}-01-01">
      <xsl:processing-instruction name="todo">the publication date (YYYY-MM-DD) on the line above</xsl:processing-instruction>
      <state name="{$name}"/>
      <title>Protected Innocence Challenge Report Card</title>
      <organization>Shared Hope International</organization>
      <framework name="Protected Innocence Challenge" total="102.5" graded-out-of="100"/>
      <summary>[TODO: the summary: what the state's laws do and the gaps that remain]</summary>
      <sections>
        <xsl:call-template name="section">
          <xsl:with-param name="number" select="1"/>
          <xsl:with-param name="max" select="10"/>
          <xsl:with-param name="title" select="'Criminalization of Domestic Minor Sex Trafficking'"/>
        </xsl:call-template>
        <xsl:call-template name="section">
          <xsl:with-param name="number" select="2"/>
          <xsl:with-param name="max" select="25"/>
          <xsl:with-param name="title" select="'Criminal Provisions for Demand'"/>
        </xsl:call-template>
        <xsl:call-template name="section">
          <xsl:with-param name="number" select="3"/>
          <xsl:with-param name="max" select="15"/>
          <xsl:with-param name="title" select="'Criminal Provisions for Traffickers'"/>
        </xsl:call-template>
        <xsl:call-template name="section">
          <xsl:with-param name="number" select="4"/>
          <xsl:with-param name="max" select="10"/>
          <xsl:with-param name="title" select="'Criminal Provisions for Facilitators'"/>
        </xsl:call-template>
        <xsl:call-template name="section">
          <xsl:with-param name="number" select="5"/>
          <xsl:with-param name="max" select="'27.5'"/>
          <xsl:with-param name="title" select="'Protective Provisions for the Child Victims'"/>
        </xsl:call-template>
        <xsl:call-template name="section">
          <xsl:with-param name="number" select="6"/>
          <xsl:with-param name="max" select="15"/>
          <xsl:with-param name="title" select="'Criminal Justice Tools for Investigation and Prosecution'"/>
        </xsl:call-template>
      </sections>
    </analysis>
  </xsl:template>
</xsl:stylesheet>
