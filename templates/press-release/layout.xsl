<?xml version="1.0" encoding="UTF-8"?>
<!-- A press release on US Letter in the data's reading order: the letterhead
     (a band in the theme's brand colour with the theme's logo when it has
     one, the organization and its web address), FOR IMMEDIATE RELEASE and the
     date, the headline and the subheadline, the body opening with the
     dateline, headings, pull quotes set in a tinted box with their
     attribution (or split by it), bullet lists, the boilerplate, the media
     contact and materials side by side (each when given), and the end mark
     ###. Usually one page; when the body runs on, "-more-" stands at the
     foot of every page but the last (a footer block with pages="not-last"),
     and the pages after the first carry the headline and "Page X of Y".

     Every word of content comes from the data. The template adds only what a
     layout adds: FOR IMMEDIATE RELEASE, "About", MEDIA CONTACT:, MEDIA
     MATERIALS:, the sample-data notice (sample="yes"), quotation marks, the
     period or comma a quotation lacks, "said"
     (or the quote's verb), the dash before an attribution, -more-, "Page X
     of Y" and ###. A link whose address would go nowhere ("#") is printed as
     plain text; check reports it. Text styles are the attribute sets below,
     on the theme's colours (brand, accent, link, muted, rule, tint,
     on-brand); the heavy headline asks for "Lato Black" and bold, so a theme
     without that family sets it in its bold. The theme is the data's, else
     its organisation's brand (../common/brands.xml), else neutral. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen"
    exclude-result-prefixes="rg">
  <xsl:import href="../common/text.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:strip-space elements="press-release body list media-contact"/>

  <xsl:variable name="release" select="/press-release"/>
  <xsl:variable name="org" select="normalize-space($release/organization)"/>
  <xsl:variable name="headline" select="normalize-space($release/headline)"/>
  <xsl:variable name="state" select="normalize-space($release/state/@name)"/>

  <!-- the theme's name, only passed on to <document theme>: the data's,
       else its organisation's brand (../common/brands.xml), else neutral -->
  <xsl:variable name="brand"
      select="document('../common/brands.xml')/brands/brand[@organization = normalize-space($release/organization)]/@theme"/>
  <xsl:param name="theme">
    <xsl:choose>
      <xsl:when test="$release/@theme"><xsl:value-of select="normalize-space($release/@theme)"/></xsl:when>
      <xsl:when test="$brand"><xsl:value-of select="$brand"/></xsl:when>
      <xsl:otherwise>neutral</xsl:otherwise>
    </xsl:choose>
  </xsl:param>

  <!-- "June 6, 2016" from 2016-06-06 -->
  <xsl:variable name="date">
    <xsl:if test="$release/@released">
      <xsl:call-template name="rg-long-date">
        <xsl:with-param name="iso" select="normalize-space($release/@released)"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:variable>

  <!-- ===== text styles ===== -->
  <xsl:attribute-set name="body-text">
    <xsl:attribute name="size">10pt</xsl:attribute>
    <xsl:attribute name="leading">1.38</xsl:attribute>
    <xsl:attribute name="color">text</xsl:attribute>
  </xsl:attribute-set>
  <xsl:attribute-set name="label">
    <xsl:attribute name="weight">bold</xsl:attribute>
    <xsl:attribute name="size">8.5pt</xsl:attribute>
    <xsl:attribute name="leading">1.3</xsl:attribute>
    <xsl:attribute name="color">brand</xsl:attribute>
    <xsl:attribute name="case">upper</xsl:attribute>
  </xsl:attribute-set>
  <xsl:attribute-set name="small-text">
    <xsl:attribute name="size">8.5pt</xsl:attribute>
    <xsl:attribute name="leading">1.35</xsl:attribute>
    <xsl:attribute name="color">text</xsl:attribute>
  </xsl:attribute-set>
  <xsl:attribute-set name="running">
    <xsl:attribute name="size">7.5pt</xsl:attribute>
    <xsl:attribute name="leading">1.2</xsl:attribute>
    <xsl:attribute name="color">muted</xsl:attribute>
  </xsl:attribute-set>

  <xsl:template match="/">
    <document title="{$headline}" author="{$org}"
              subject="Press release of {$org}: {$headline}"
              keywords="{$state}{substring(', ', 1, 2 * ($state != ''))}press release, {$org}"
              lang="en-US" theme="{$theme}">
      <xsl:if test="$release/@released">
        <xsl:attribute name="created"><xsl:value-of select="normalize-space($release/@released)"/></xsl:attribute>
      </xsl:if>
      <page-style name="release" size="letter" margin="36pt 56pt 48pt 56pt">
        <!-- continuation pages carry a slug line; the footer is only -more-,
             so that nothing follows it on the page (pdftotext would join a
             line after a closing hyphen to it) -->
        <header gap="5pt">
          <table padding="0" pages="not-first">
            <col width="3*"/>
            <col width="1*"/>
            <row>
              <cell xsl:use-attribute-sets="running"><xsl:value-of select="$headline"/></cell>
              <cell xsl:use-attribute-sets="running" align="right">Page <page-number/> of <page-count/></cell>
            </row>
          </table>
          <rule color="rule" width="0.5pt" space-before="3pt" pages="not-first"/>
        </header>
        <footer>
          <p pages="not-last" align="center" size="9pt" weight="bold" color="brand">-more-</p>
        </footer>
      </page-style>
      <section page-style="release">
        <xsl:apply-templates select="press-release"/>
      </section>
    </document>
  </xsl:template>

  <xsl:template match="press-release">
    <xsl:call-template name="letterhead"/>
    <xsl:call-template name="release-line"/>
    <h level="1" font="Lato Black" weight="bold" size="20pt" leading="1.12" color="brand" case="upper"
       space-before="12pt" space-after="9pt" src-line="{rg:line(headline)}">
      <xsl:if test="subheadline">
        <xsl:attribute name="space-after">5pt</xsl:attribute>
      </xsl:if>
      <xsl:value-of select="$headline"/>
    </h>
    <xsl:apply-templates select="subheadline"/>
    <xsl:apply-templates select="body/*"/>
    <xsl:apply-templates select="boilerplate"/>
    <xsl:if test="media-contact | media-materials">
      <xsl:call-template name="media"/>
    </xsl:if>
    <p align="center" weight="bold" size="10pt" color="brand" space-before="8pt" keep-together="yes"
       src-line="{rg:line(.)}">###</p>
  </xsl:template>

  <!-- ===== the letterhead: a band, the theme's logo and the name left, the
       address right ===== -->
  <xsl:template name="letterhead">
    <box fill="brand" padding="12pt 18pt 11pt 18pt" src-line="{rg:line(organization)}">
      <table padding="0" if-logo="yes">
        <col width="64pt"/>
        <col width="1*"/>
        <col width="150pt"/>
        <row>
          <cell valign="middle"><image logo="yes" height="40pt"/></cell>
          <xsl:call-template name="letterhead-cells"/>
        </row>
      </table>
      <table padding="0" if-logo="no">
        <col width="1*"/>
        <col width="150pt"/>
        <row>
          <xsl:call-template name="letterhead-cells"/>
        </row>
      </table>
    </box>
  </xsl:template>

  <xsl:template name="letterhead-cells">
    <cell valign="middle">
      <p font="Lato Black" weight="bold" size="17pt" leading="1.1" color="on-brand" case="upper">
        <xsl:value-of select="$org"/>
      </p>
    </cell>
    <cell valign="middle" align="right">
      <xsl:if test="organization/@web">
        <p size="9pt" leading="1.2" color="on-brand" align="right">
          <xsl:call-template name="address">
            <xsl:with-param name="href" select="organization/@web"/>
            <xsl:with-param name="text" select="normalize-space(organization/@web)"/>
            <xsl:with-param name="color" select="'on-brand'"/>
          </xsl:call-template>
        </p>
      </xsl:if>
    </cell>
  </xsl:template>

  <!-- FOR IMMEDIATE RELEASE, and the date when it is known -->
  <xsl:template name="release-line">
    <table padding="0" space-before="10pt" src-line="{rg:line(.)}">
      <col width="1*"/>
      <col width="1*"/>
      <row>
        <cell><p xsl:use-attribute-sets="label" size="9.5pt" color="accent">For immediate release</p></cell>
        <cell align="right"><p weight="bold" size="9.5pt" leading="1.3" color="brand" align="right"><xsl:value-of select="$date"/></p></cell>
      </row>
    </table>
    <rule color="brand" width="1.25pt" space-before="5pt"/>
    <xsl:if test="$release/@sample = 'yes'">
      <p size="8.5pt" leading="1.3" weight="bold" color="muted" space-before="4pt" src-line="{rg:line($release)}">Sample data: an invented release that describes no real event, law or statement.</p>
    </xsl:if>
  </xsl:template>

  <!-- ===== the body ===== -->

  <!-- the deck, under the headline -->
  <xsl:template match="subheadline">
    <p font-style="italic" size="12.5pt" leading="1.3" color="accent" space-after="9pt" src-line="{rg:line(.)}">
      <xsl:value-of select="normalize-space(.)"/>
    </p>
  </xsl:template>

  <!-- the first paragraph opens with the dateline: place, date – -->
  <xsl:template match="body/p">
    <p xsl:use-attribute-sets="body-text" space-after="7pt" src-line="{rg:line(.)}">
      <xsl:if test="not(preceding-sibling::p) and /press-release/dateline">
        <b color="brand">
          <xsl:value-of select="normalize-space(/press-release/dateline/@place)"/>
          <xsl:if test="$date != ''"><xsl:value-of select="concat(', ', $date)"/></xsl:if>
        </b>
        <xsl:text> – </xsl:text>
      </xsl:if>
      <xsl:apply-templates/>
    </p>
  </xsl:template>

  <xsl:template match="body/heading">
    <h level="2" weight="bold" size="11.5pt" leading="1.25" color="brand" space-before="5pt" space-after="4pt"
       src-line="{rg:line(.)}">
      <xsl:value-of select="normalize-space(.)"/>
    </h>
  </xsl:template>

  <!-- A pull quote: the words large and italic in a tinted box. Whole, the
       speaker stands under them; in two parts, the attribution stands
       between them in the speaker's line style: "...," said X. "..." -->
  <xsl:template match="quote">
    <xsl:variable name="who">
      <xsl:if test="@role"><xsl:value-of select="concat(normalize-space(@role), ' ')"/></xsl:if>
      <xsl:value-of select="normalize-space(@by)"/>
    </xsl:variable>
    <xsl:variable name="verb">
      <xsl:choose>
        <xsl:when test="@verb"><xsl:value-of select="normalize-space(@verb)"/></xsl:when>
        <xsl:otherwise>said</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <box fill="tint" radius="4pt" padding="10pt 20pt 9pt 20pt" space-before="3pt" space-after="10pt"
         keep-together="yes" src-line="{rg:line(.)}">
      <xsl:choose>
        <xsl:when test="part">
          <p font-style="italic" size="12pt" leading="1.32" color="brand" src-line="{rg:line(.)}">
            <xsl:call-template name="quoted">
              <xsl:with-param name="words" select="part[1]"/>
              <xsl:with-param name="end" select="','"/>
            </xsl:call-template>
            <xsl:text> </xsl:text>
            <span font-style="normal" size="10pt" weight="bold" color="muted">
              <xsl:value-of select="concat($verb, ' ', $who, '.')"/>
            </span>
            <xsl:text> </xsl:text>
            <xsl:call-template name="quoted">
              <xsl:with-param name="words" select="part[2]"/>
            </xsl:call-template>
          </p>
        </xsl:when>
        <xsl:otherwise>
          <p font-style="italic" size="12pt" leading="1.32" color="brand" src-line="{rg:line(.)}">
            <xsl:call-template name="quoted">
              <xsl:with-param name="words" select="."/>
            </xsl:call-template>
          </p>
          <p size="9pt" leading="1.3" weight="bold" color="muted" align="right" space-before="4pt" src-line="{rg:line(.)}">
            <xsl:value-of select="concat('— ', $who)"/>
          </p>
        </xsl:otherwise>
      </xsl:choose>
    </box>
  </xsl:template>

  <!-- The words in quotation marks, keeping their own closing punctuation
       (. ! ? … and, for a first part, a comma); words without any get end. -->
  <xsl:template name="quoted">
    <xsl:param name="words"/>
    <xsl:param name="end" select="'.'"/>
    <xsl:variable name="all" select="normalize-space($words)"/>
    <xsl:variable name="last" select="substring($all, string-length($all))"/>
    <xsl:text>“</xsl:text>
    <xsl:apply-templates select="$words/node()" mode="quote">
      <xsl:with-param name="in" select="$words"/>
    </xsl:apply-templates>
    <xsl:if test="not(contains('.!?…,;:', $last)) or $last = ''">
      <xsl:value-of select="$end"/>
    </xsl:if>
    <xsl:text>”</xsl:text>
  </xsl:template>

  <!-- inside quotation marks: the first text loses its leading space, the
       last its trailing space, so no space stands inside a mark -->
  <xsl:template match="text()" mode="quote">
    <xsl:param name="in"/>
    <xsl:variable name="texts" select="$in//text()"/>
    <xsl:variable name="t" select="translate(., '&#10;&#13;&#9;', '   ')"/>
    <xsl:variable name="first" select="generate-id(.) = generate-id($texts[1])"/>
    <xsl:variable name="lastone" select="generate-id(.) = generate-id($texts[last()])"/>
    <xsl:variable name="left">
      <xsl:choose>
        <xsl:when test="$first"><xsl:call-template name="trim-start"><xsl:with-param name="s" select="$t"/></xsl:call-template></xsl:when>
        <xsl:otherwise><xsl:value-of select="$t"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$lastone"><xsl:call-template name="trim-end"><xsl:with-param name="s" select="$left"/></xsl:call-template></xsl:when>
      <xsl:otherwise><xsl:value-of select="$left"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="*" mode="quote">
    <xsl:param name="in"/>
    <xsl:variable name="inner">
      <xsl:apply-templates select="node()" mode="quote"><xsl:with-param name="in" select="$in"/></xsl:apply-templates>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="self::strong"><b><xsl:apply-templates select="node()" mode="quote"><xsl:with-param name="in" select="$in"/></xsl:apply-templates></b></xsl:when>
      <xsl:when test="self::em"><i><xsl:apply-templates select="node()" mode="quote"><xsl:with-param name="in" select="$in"/></xsl:apply-templates></i></xsl:when>
      <xsl:when test="self::link">
        <xsl:call-template name="address">
          <xsl:with-param name="href" select="@href"/>
          <xsl:with-param name="text" select="string($inner)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:apply-templates select="node()" mode="quote"><xsl:with-param name="in" select="$in"/></xsl:apply-templates></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="trim-start">
    <xsl:param name="s"/>
    <xsl:choose>
      <xsl:when test="starts-with($s, ' ')">
        <xsl:call-template name="trim-start"><xsl:with-param name="s" select="substring($s, 2)"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="trim-end">
    <xsl:param name="s"/>
    <xsl:choose>
      <xsl:when test="substring($s, string-length($s)) = ' '">
        <xsl:call-template name="trim-end"><xsl:with-param name="s" select="substring($s, 1, string-length($s) - 1)"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="list">
    <list marker="bullet" indent="16pt" space-before="0" space-after="8pt" src-line="{rg:line(.)}">
      <xsl:apply-templates select="item"/>
    </list>
  </xsl:template>

  <xsl:template match="item">
    <item xsl:use-attribute-sets="body-text" space-after="2pt" src-line="{rg:line(.)}">
      <xsl:apply-templates/>
    </item>
  </xsl:template>

  <!-- ===== boilerplate, media contact and materials ===== -->
  <xsl:template match="boilerplate">
    <rule color="rule" width="0.75pt" space-before="6pt" space-after="8pt"/>
    <p xsl:use-attribute-sets="label" space-after="3pt" keep-with-next="yes" src-line="{rg:line(.)}">
      <xsl:choose>
        <xsl:when test="@heading"><xsl:value-of select="normalize-space(@heading)"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="concat('About ', $org)"/></xsl:otherwise>
      </xsl:choose>
    </p>
    <p xsl:use-attribute-sets="small-text" src-line="{rg:line(.)}"><xsl:apply-templates/></p>
  </xsl:template>

  <!-- the media contact and materials side by side, or the one given alone -->
  <xsl:template name="media">
    <table padding="0" space-before="10pt" keep-together="yes" src-line="{rg:line((media-contact | media-materials)[1])}">
      <xsl:choose>
        <xsl:when test="media-contact and media-materials">
          <col width="36%"/>
          <col width="64%"/>
          <row>
            <cell valign="top" padding="0 14pt 0 0">
              <xsl:apply-templates select="media-contact"/>
            </cell>
            <cell valign="top" padding="0 0 0 14pt">
              <xsl:apply-templates select="media-materials"/>
            </cell>
          </row>
        </xsl:when>
        <xsl:otherwise>
          <col width="1*"/>
          <row>
            <cell valign="top">
              <xsl:apply-templates select="media-contact | media-materials"/>
            </cell>
          </row>
        </xsl:otherwise>
      </xsl:choose>
    </table>
  </xsl:template>

  <xsl:template match="media-contact">
    <p xsl:use-attribute-sets="label" space-after="3pt" src-line="{rg:line(.)}">Media contact:</p>
    <p xsl:use-attribute-sets="small-text" src-line="{rg:line(.)}">
      <b><xsl:value-of select="normalize-space(name)"/></b>
      <xsl:if test="title">
        <br/><xsl:value-of select="normalize-space(title)"/>
      </xsl:if>
      <xsl:if test="phone">
        <br/>
        <xsl:for-each select="phone">
          <xsl:if test="position() &gt; 1"> / </xsl:if>
          <xsl:value-of select="normalize-space(.)"/>
          <xsl:if test="@kind"><xsl:value-of select="concat(' ', normalize-space(@kind))"/></xsl:if>
        </xsl:for-each>
      </xsl:if>
      <xsl:if test="email">
        <br/><a href="mailto:{normalize-space(email)}" color="link"><xsl:value-of select="normalize-space(email)"/></a>
      </xsl:if>
    </p>
  </xsl:template>

  <xsl:template match="media-materials">
    <p xsl:use-attribute-sets="label" space-after="3pt" src-line="{rg:line(.)}">Media materials:</p>
    <p xsl:use-attribute-sets="small-text" src-line="{rg:line(.)}"><xsl:apply-templates/></p>
  </xsl:template>

  <!-- ===== inline ===== -->
  <xsl:template match="strong">
    <b><xsl:apply-templates/></b>
  </xsl:template>

  <xsl:template match="em">
    <i><xsl:apply-templates/></i>
  </xsl:template>

  <xsl:template match="comparison">
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="link">
    <xsl:call-template name="address">
      <xsl:with-param name="href" select="@href"/>
      <xsl:with-param name="text" select="normalize-space(.)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A link where the address goes somewhere, else the text alone. -->
  <xsl:template name="address">
    <xsl:param name="href"/>
    <xsl:param name="text"/>
    <xsl:param name="color" select="'link'"/>
    <xsl:variable name="target">
      <xsl:call-template name="rg-link-target">
        <xsl:with-param name="href" select="$href"/>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="$target != ''">
        <a href="{$target}" color="{$color}"><xsl:value-of select="$text"/></a>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Text keeps its spaces but not the line breaks of the data file. -->
  <xsl:template match="text()">
    <xsl:value-of select="translate(., '&#10;&#13;&#9;', '   ')"/>
  </xsl:template>

</xsl:stylesheet>
