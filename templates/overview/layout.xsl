<?xml version="1.0" encoding="UTF-8"?>
<!-- The national overview of a folder of report cards (reportgen overview DIR):
     page 1 has the header band, the headline figures (national average and the
     grade distribution) and a tile-grid map of the 50 states and DC coloured
     by grade; then the ranking of every card by score. Every figure is
     computed here from the cards with the program's exact arithmetic:
       score of a card  its stated overall score, else rg:sum of the six area
                        scores and the extra credit (the same rule as the card)
       grade            rg:grade(score, graded-out-of, scale) on the scale of the
                        cards' framework (one framework per overview: check.xsl);
                        the map, chart and legend group a scale's plus and
                        minus steps under their letter
       national average rg:avg of the scores, one place, half away from zero
     XPath's floating point only orders the ranking (scores times 1000,
     rounded, so exact for the three places a score may have). -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen"
    xmlns:map="urn:reportgen:overview-map"
    xmlns:exsl="http://exslt.org/common"
    exclude-result-prefixes="rg map exsl">
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>
  <xsl:strip-space elements="*"/>

  <xsl:param name="theme" select="'sharedhope'"/>

  <xsl:variable name="cards" select="/overview/report-card"/>
  <xsl:variable name="first" select="$cards[1]"/>
  <xsl:variable name="year" select="normalize-space($first/@year)"/>
  <xsl:variable name="org" select="normalize-space($first/organization)"/>
  <!-- "2021 Report Card on Child & Youth Sex Trafficking", with the data's year -->
  <xsl:variable name="series">
    <xsl:variable name="t" select="normalize-space($first/title)"/>
    <xsl:choose>
      <xsl:when test="starts-with($t, concat($year, ' '))"><xsl:value-of select="$t"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat($year, ' ', $t)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="title" select="concat($series, ': National Overview')"/>
  <xsl:variable name="n" select="count($cards)"/>
  <!-- Every card's ranking key, highest first, with its place. A tied score's
       rank is the place of the first card with its key (1 + the number of
       higher scores), found through rank-place: counting the higher scores
       for each card took time growing with the square of the cards. -->
  <xsl:variable name="ranked">
    <xsl:for-each select="$cards">
      <xsl:sort select="round(1000 * (sum(overall/@score) + number(not(overall/@score)) * (sum(issues/issue/@score) + sum(extra-credit/item/@points))))"
                data-type="number" order="descending"/>
      <place key="{round(1000 * (sum(overall/@score) + number(not(overall/@score)) * (sum(issues/issue/@score) + sum(extra-credit/item/@points))))}" at="{position()}"/>
    </xsl:for-each>
  </xsl:variable>
  <xsl:key name="rank-place" match="place" use="@key"/>
  <xsl:variable name="any-sample" select="boolean($cards[normalize-space(@sample) = 'yes'])"/>
  <xsl:variable name="notice">Sample data, not an official grade</xsl:variable>
  <!-- the latest publication date of the cards: the PDF's creation date -->
  <xsl:variable name="created">
    <xsl:for-each select="$cards/@published">
      <xsl:sort select="." order="descending"/>
      <xsl:if test="position() = 1"><xsl:value-of select="normalize-space(.)"/></xsl:if>
    </xsl:for-each>
  </xsl:variable>

  <!-- The national average: rg:avg of the stated overall scores when every
       card states one; otherwise the exact sum of every card's score (stated,
       or areas plus extra credit) divided by n and rounded half away from
       zero on integers in thousandths, which a double holds exactly. -->
  <xsl:variable name="average">
    <xsl:choose>
      <xsl:when test="count($cards[overall/@score]) = $n">
        <xsl:value-of select="rg:avg($cards/overall/@score, 1)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="milli" select="round(1000 * rg:sum($cards/overall/@score
            | $cards/issues/issue/@score[not(../../../overall/@score)]
            | $cards/extra-credit/item/@points[not(../../../overall/@score)]))"/>
        <xsl:value-of select="rg:num(string(floor(($milli + 50 * $n) div (100 * $n)) div 10))"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="average-grade" select="rg:grade($average, $graded-out-of, $fw-scale)"/>

  <!-- The framework of the cards (the first card's; check.xsl makes sure
       they share it): report-card/frameworks/ID.xml, advanced-2021 when a
       card names none, as for the card itself. -->
  <xsl:variable name="fw-id">
    <xsl:value-of select="normalize-space($first/@framework)"/>
    <xsl:if test="normalize-space($first/@framework) = ''">advanced-2021</xsl:if>
  </xsl:variable>
  <xsl:variable name="fw-href" select="concat('../report-card/frameworks/', $fw-id, '.xml')"/>
  <xsl:variable name="fw" select="document(substring($fw-href, 1, string-length($fw-href) * number(rg:exists($fw-href))))/framework"/>
  <xsl:variable name="fw-scale" select="$fw/grades/grade"/>
  <xsl:variable name="fw-tiers" select="$fw/tiers/tier"/>
  <xsl:variable name="out-of" select="rg:num(normalize-space($fw/total/@out-of))"/>
  <xsl:variable name="graded-out-of">
    <xsl:value-of select="rg:num(normalize-space($fw/total/@graded-out-of))"/>
    <xsl:if test="not($fw/total/@graded-out-of)"><xsl:value-of select="$out-of"/></xsl:if>
  </xsl:variable>
  <!-- the legend's steps: the first step of each letter (A, then B+ for B+ B B-) -->
  <xsl:variable name="scale"
      select="$fw-scale[not(substring(@letter, 1, 1) = substring(preceding-sibling::grade[1]/@letter, 1, 1))]"/>

  <!-- ===== the tile grid: 12 columns by 8 rows, two letters a tile ===== -->
  <map:grid>
    <map:row>AK .. .. .. .. .. .. .. .. .. .. ME</map:row>
    <map:row>.. .. .. .. .. .. WI .. .. .. VT NH</map:row>
    <map:row>WA ID MT ND MN IL .. MI .. NY MA ..</map:row>
    <map:row>OR NV WY SD IA IN OH PA NJ CT RI ..</map:row>
    <map:row>CA UT CO NE MO KY WV VA MD DE .. ..</map:row>
    <map:row>.. AZ NM KS AR TN NC SC DC .. .. ..</map:row>
    <map:row>.. .. .. OK LA MS AL GA .. .. .. ..</map:row>
    <map:row>HI .. .. TX .. .. .. .. FL .. .. ..</map:row>
  </map:grid>
  <map:states>
    <map:s code="AL" slug="alabama"/>        <map:s code="AK" slug="alaska"/>
    <map:s code="AZ" slug="arizona"/>        <map:s code="AR" slug="arkansas"/>
    <map:s code="CA" slug="california"/>     <map:s code="CO" slug="colorado"/>
    <map:s code="CT" slug="connecticut"/>    <map:s code="DE" slug="delaware"/>
    <map:s code="DC" slug="district-of-columbia"/>
    <map:s code="FL" slug="florida"/>        <map:s code="GA" slug="georgia"/>
    <map:s code="HI" slug="hawaii"/>         <map:s code="ID" slug="idaho"/>
    <map:s code="IL" slug="illinois"/>       <map:s code="IN" slug="indiana"/>
    <map:s code="IA" slug="iowa"/>           <map:s code="KS" slug="kansas"/>
    <map:s code="KY" slug="kentucky"/>       <map:s code="LA" slug="louisiana"/>
    <map:s code="ME" slug="maine"/>          <map:s code="MD" slug="maryland"/>
    <map:s code="MA" slug="massachusetts"/>  <map:s code="MI" slug="michigan"/>
    <map:s code="MN" slug="minnesota"/>      <map:s code="MS" slug="mississippi"/>
    <map:s code="MO" slug="missouri"/>       <map:s code="MT" slug="montana"/>
    <map:s code="NE" slug="nebraska"/>       <map:s code="NV" slug="nevada"/>
    <map:s code="NH" slug="new-hampshire"/>  <map:s code="NJ" slug="new-jersey"/>
    <map:s code="NM" slug="new-mexico"/>     <map:s code="NY" slug="new-york"/>
    <map:s code="NC" slug="north-carolina"/> <map:s code="ND" slug="north-dakota"/>
    <map:s code="OH" slug="ohio"/>           <map:s code="OK" slug="oklahoma"/>
    <map:s code="OR" slug="oregon"/>         <map:s code="PA" slug="pennsylvania"/>
    <map:s code="RI" slug="rhode-island"/>   <map:s code="SC" slug="south-carolina"/>
    <map:s code="SD" slug="south-dakota"/>   <map:s code="TN" slug="tennessee"/>
    <map:s code="TX" slug="texas"/>          <map:s code="UT" slug="utah"/>
    <map:s code="VT" slug="vermont"/>        <map:s code="VA" slug="virginia"/>
    <map:s code="WA" slug="washington"/>     <map:s code="WV" slug="west-virginia"/>
    <map:s code="WI" slug="wisconsin"/>      <map:s code="WY" slug="wyoming"/>
  </map:states>
  <xsl:variable name="grid" select="document('')/*/map:grid/map:row"/>
  <xsl:variable name="codes" select="document('')/*/map:states/map:s"/>
  <!-- how many tiles have no card in the folder -->
  <xsl:variable name="missing" select="count($codes[not(@slug = $cards/state/@slug)])"/>

  <!-- the map's measures: tiles and the gutters between them -->
  <xsl:variable name="tile">38</xsl:variable>
  <xsl:variable name="tile-h">33</xsl:variable>
  <xsl:variable name="gutter">3.5</xsl:variable>

  <xsl:template match="/">
    <document title="{$title}" author="{$org}"
              subject="{$series}: grades of {$n} jurisdictions, national average, grade distribution and ranking"
              keywords="{$year}, report card, national overview, child and youth sex trafficking, {$org}{substring(', sample data', 1, 13 * $any-sample)}"
              lang="en-US" created="{$created}" theme="{$theme}">
      <page-style name="overview" size="letter" margin="36pt 40pt 46pt 40pt">
        <footer>
          <rule color="rule" width="0.5pt" space-before="12pt"/>
          <table padding="4pt 0 0 0">
            <col width="4*"/>
            <col width="1*"/>
            <row>
              <cell style="footer">
                <xsl:value-of select="concat($series, ' · National Overview')"/>
                <xsl:if test="$any-sample">
                  <xsl:text> · </xsl:text>
                  <b color="grade-D"><xsl:value-of select="$notice"/></b>
                </xsl:if>
              </cell>
              <cell style="footer" align="right">Page <page-number/> of <page-count/></cell>
            </row>
          </table>
        </footer>
      </page-style>
      <section page-style="overview">
        <xsl:apply-templates select="overview"/>
      </section>
    </document>
  </xsl:template>

  <xsl:template match="overview">
    <xsl:call-template name="header-band"/>
    <xsl:if test="$any-sample">
      <xsl:call-template name="sample-notice"/>
    </xsl:if>
    <xsl:call-template name="summary"/>
    <xsl:call-template name="headline"/>
    <xsl:call-template name="map"/>
    <page-break/>
    <xsl:call-template name="ranking"/>
  </xsl:template>

  <!-- ===== header band ===== -->
  <xsl:template name="header-band">
    <box fill="brand" radius="6pt" padding="14pt 16pt 14pt 20pt">
      <table padding="0">
        <col width="1*"/>
        <col width="92pt"/>
        <row>
          <cell valign="middle">
            <h level="1" style="state" size="28pt" case="none" id="overview">
              <span style="title" case="none" font="Lato" size="14pt"><xsl:value-of select="concat($series, ':')"/></span>
              <br/>
              <xsl:text>National Overview</xsl:text>
            </h>
          </cell>
          <cell valign="top">
            <box stroke="on-brand" stroke-width="1pt" radius="3pt" padding="5pt 4pt">
              <p style="tier"><xsl:value-of select="$n"/> JURISDICTIONS</p>
            </box>
          </cell>
        </row>
      </table>
    </box>
  </xsl:template>

  <xsl:template name="sample-notice">
    <box fill="#fdf1e4" stroke="grade-D" stroke-width="1pt" radius="4pt" padding="5pt 10pt" space-before="8pt">
      <p size="9pt" leading="1.25" color="grade-D">
        <b><xsl:value-of select="concat($notice, '.')"/></b>
        <xsl:value-of select="concat(' ', count($cards[normalize-space(@sample) = 'yes']), ' of the ', $n,
            ' report cards behind these figures hold invented data made to test the layout.')"/>
      </p>
    </box>
  </xsl:template>

  <!-- ===== one sentence of the figures ===== -->
  <xsl:template name="summary">
    <xsl:variable name="top" select="$cards[normalize-space(state/@name) = $ranked-first][1]"/>
    <xsl:variable name="bottom" select="$cards[normalize-space(state/@name) = $ranked-last][1]"/>
    <p size="10.5pt" leading="1.35" space-before="10pt" color="text">
      <xsl:value-of select="concat('The ', $n, ' report cards of ', $year, ' average ')"/>
      <b><xsl:value-of select="$average"/></b>
      <xsl:value-of select="concat(' out of ', $out-of, ', ')"/>
      <xsl:call-template name="a-grade"><xsl:with-param name="letter" select="$average-grade"/></xsl:call-template>
      <xsl:text>. Of them, </xsl:text>
      <xsl:call-template name="counts-sentence"/>
      <xsl:text> The highest score is </xsl:text>
      <xsl:value-of select="concat($ranked-first, '’s ')"/>
      <b><xsl:call-template name="score"><xsl:with-param name="card" select="$top"/></xsl:call-template></b>
      <xsl:value-of select="concat(', the lowest ', $ranked-last, '’s ')"/>
      <b><xsl:call-template name="score"><xsl:with-param name="card" select="$bottom"/></xsl:call-template></b>
      <xsl:text>.</xsl:text>
    </p>
  </xsl:template>

  <!-- the names of the first and the last card of the ranking -->
  <xsl:variable name="ranked-last">
    <xsl:for-each select="$cards">
      <xsl:sort select="round(1000 * (sum(overall/@score) + number(not(overall/@score)) * (sum(issues/issue/@score) + sum(extra-credit/item/@points))))"
                data-type="number" order="descending"/>
      <xsl:sort select="normalize-space(state/@name)"/>
      <xsl:if test="position() = last()"><xsl:value-of select="normalize-space(state/@name)"/></xsl:if>
    </xsl:for-each>
  </xsl:variable>
  <xsl:variable name="ranked-first">
    <xsl:for-each select="$cards">
      <xsl:sort select="round(1000 * (sum(overall/@score) + number(not(overall/@score)) * (sum(issues/issue/@score) + sum(extra-credit/item/@points))))"
                data-type="number" order="descending"/>
      <xsl:sort select="normalize-space(state/@name)"/>
      <xsl:if test="position() = 1"><xsl:value-of select="normalize-space(state/@name)"/></xsl:if>
    </xsl:for-each>
  </xsl:variable>

  <!-- "1 earned a C, 9 a D and 41 an F; none an A or a B." -->
  <xsl:template name="counts-sentence">
    <!-- "|1 C|9 D|41 F" and "|A|B": the grades given and not given, in scale order -->
    <xsl:variable name="given">
      <xsl:for-each select="$scale">
        <xsl:variable name="k" select="count($cards[substring(rg:grade(rg:sum(overall/@score
            | issues/issue/@score[not(../../../overall/@score)]
            | extra-credit/item/@points[not(../../../overall/@score)]), $graded-out-of, $fw-scale), 1, 1) = substring(current()/@letter, 1, 1)])"/>
        <xsl:if test="$k &gt; 0"><xsl:value-of select="concat('|', $k, ' ', substring(@letter, 1, 1))"/></xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="not-given">
      <xsl:for-each select="$scale">
        <xsl:if test="not($cards[substring(rg:grade(rg:sum(overall/@score
            | issues/issue/@score[not(../../../overall/@score)]
            | extra-credit/item/@points[not(../../../overall/@score)]), $graded-out-of, $fw-scale), 1, 1) = substring(current()/@letter, 1, 1)])">
          <xsl:value-of select="concat('|', substring(@letter, 1, 1))"/>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:call-template name="grade-list">
      <xsl:with-param name="items" select="$given"/>
      <xsl:with-param name="and"> and </xsl:with-param>
    </xsl:call-template>
    <xsl:if test="$not-given != ''">
      <xsl:text>; none </xsl:text>
      <xsl:call-template name="grade-list">
        <xsl:with-param name="items" select="$not-given"/>
        <xsl:with-param name="and"> or </xsl:with-param>
      </xsl:call-template>
    </xsl:if>
    <xsl:text>.</xsl:text>
  </xsl:template>

  <!-- "|1 C|9 D|41 F" -> "1 earned a C, 9 a D and 41 an F"; "|A|B" -> "an A or a B" -->
  <xsl:template name="grade-list">
    <xsl:param name="items"/>
    <xsl:param name="and"/>
    <xsl:param name="i" select="1"/>
    <xsl:variable name="body" select="substring($items, 2)"/>
    <xsl:variable name="item" select="substring-before(concat($body, '|'), '|')"/>
    <xsl:variable name="rest" select="substring-after($body, '|')"/>
    <xsl:if test="$item != ''">
      <xsl:choose>
        <xsl:when test="$i = 1"/>
        <xsl:when test="$rest = ''"><xsl:value-of select="$and"/></xsl:when>
        <xsl:otherwise>, </xsl:otherwise>
      </xsl:choose>
      <xsl:choose>
        <xsl:when test="contains($item, ' ')">
          <xsl:value-of select="substring-before($item, ' ')"/>
          <xsl:if test="$i = 1"> earned</xsl:if>
          <xsl:text> </xsl:text>
          <xsl:call-template name="a-grade"><xsl:with-param name="letter" select="substring-after($item, ' ')"/></xsl:call-template>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="a-grade"><xsl:with-param name="letter" select="$item"/></xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:if test="$rest != ''">
        <xsl:call-template name="grade-list">
          <xsl:with-param name="items" select="concat('|', $rest)"/>
          <xsl:with-param name="and" select="$and"/>
          <xsl:with-param name="i" select="$i + 1"/>
        </xsl:call-template>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <!-- ===== headline figures: the average and the distribution ===== -->
  <xsl:template name="headline">
    <table space-before="12pt" padding="0">
      <col width="30%"/>
      <col width="70%"/>
      <row>
        <cell valign="top" padding="0 9pt 0 0">
          <box stroke="brand" stroke-width="1.5pt" radius="6pt" padding="12pt 10pt 12pt 10pt" min-height="168pt">
            <h level="2" style="overall" id="average">NATIONAL AVERAGE</h>
            <p style="overall-tier"><xsl:value-of select="concat('mean of ', $n, ' overall scores')"/></p>
            <box read-as="{concat('Average grade ', $average-grade, ', score ', $average)}">
              <p style="overall-grade" size="60pt" color="grade-{substring($average-grade, 1, 1)}"><xsl:value-of select="$average-grade"/></p>
              <p style="overall-score"><xsl:value-of select="$average"/></p>
            </box>
          </box>
        </cell>
        <cell valign="top" padding="0 0 0 9pt">
          <h level="2" style="learn-heading" id="distribution">GRADE DISTRIBUTION</h>
          <rule color="brand" width="1pt" space-after="4pt"/>
          <chart type="bar" height="128pt" size="9pt" color="muted"
                 alt="Bar chart: number of jurisdictions with each grade. {$alt-counts}">
            <series name="Jurisdictions by overall grade" color="brand">
              <xsl:for-each select="$scale">
                <point label="{substring(@letter, 1, 1)}" color="grade-{substring(@letter, 1, 1)}" value="{count($cards[substring(rg:grade(rg:sum(overall/@score
                    | issues/issue/@score[not(../../../overall/@score)]
                    | extra-credit/item/@points[not(../../../overall/@score)]), $graded-out-of, $fw-scale), 1, 1) = substring(current()/@letter, 1, 1)])}"/>
              </xsl:for-each>
            </series>
          </chart>
        </cell>
      </row>
    </table>
  </xsl:template>

  <!-- "A: 0, B: 0, C: 1, D: 9, F: 41; most: F, 41 of 51" -->
  <xsl:variable name="grade-counts">
    <xsl:for-each select="$scale">
      <c letter="{substring(@letter, 1, 1)}">
        <xsl:value-of select="count($cards[substring(rg:grade(rg:sum(overall/@score
          | issues/issue/@score[not(../../../overall/@score)]
          | extra-credit/item/@points[not(../../../overall/@score)]), $graded-out-of, $fw-scale), 1, 1) = substring(current()/@letter, 1, 1)])"/>
      </c>
    </xsl:for-each>
  </xsl:variable>
  <xsl:variable name="alt-counts">
    <xsl:for-each select="exsl:node-set($grade-counts)/c">
      <xsl:value-of select="concat(@letter, ': ', .)"/>
      <xsl:if test="position() != last()">, </xsl:if>
    </xsl:for-each>
    <xsl:for-each select="exsl:node-set($grade-counts)/c">
      <xsl:sort select="number(.)" data-type="number" order="descending"/>
      <xsl:if test="position() = 1"><xsl:value-of select="concat('; most: ', @letter, ', ', ., ' of ', $n)"/></xsl:if>
    </xsl:for-each>
  </xsl:variable>

  <!-- ===== the tile-grid map ===== -->
  <xsl:template name="map">
    <h level="2" style="learn-heading" space-before="14pt" id="map">GRADES BY STATE</h>
    <rule color="brand" width="1pt" space-after="8pt"/>
    <table padding="0">
      <col width="1*"/>
      <xsl:call-template name="map-cols"/>
      <col width="1*"/>
      <xsl:for-each select="$grid">
        <xsl:if test="position() &gt; 1">
          <row><cell colspan="25" padding="{$gutter div 2}pt 0"/></row>
        </xsl:if>
        <row>
          <cell/>
          <xsl:call-template name="tiles">
            <xsl:with-param name="rest" select="normalize-space(.)"/>
          </xsl:call-template>
          <cell/>
        </row>
      </xsl:for-each>
    </table>
    <xsl:call-template name="legend"/>
  </xsl:template>

  <!-- 12 tile columns with 11 gutters between them -->
  <xsl:template name="map-cols">
    <xsl:param name="i" select="1"/>
    <col width="{$tile}pt"/>
    <xsl:if test="$i &lt; 12">
      <col width="{$gutter}pt"/>
      <xsl:call-template name="map-cols"><xsl:with-param name="i" select="$i + 1"/></xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- "AK .. ME": a cell per tile, coloured by the grade of the state's card -->
  <xsl:template name="tiles">
    <xsl:param name="rest"/>
    <xsl:param name="i" select="1"/>
    <xsl:variable name="code" select="substring($rest, 1, 2)"/>
    <xsl:variable name="slug" select="$codes[@code = $code]/@slug"/>
    <xsl:variable name="card" select="$cards[normalize-space(state/@slug) = $slug]"/>
    <xsl:variable name="pad" select="($tile-h - 8) div 2"/>
    <xsl:choose>
      <xsl:when test="$code = '..'"><cell/></xsl:when>
      <xsl:when test="$card">
        <xsl:variable name="g" select="rg:grade(rg:sum($card/overall/@score
            | $card/issues/issue/@score[not(../../../overall/@score)]
            | $card/extra-credit/item/@points[not(../../../overall/@score)]), $graded-out-of, $fw-scale)"/>
        <!-- a tile says its grade by colour: a screen reader gets "Connecticut: F" -->
        <cell fill="grade-{substring($g, 1, 1)}" align="center" padding="{$pad}pt 0"
              read-as="{concat(normalize-space($card/state/@name), ': ', $g)}">
          <p font="Lato" weight="bold" size="8pt" leading="1" color="#ffffff" align="center"><xsl:value-of select="$code"/></p>
        </cell>
      </xsl:when>
      <xsl:otherwise>
        <!-- no card for this state in the folder -->
        <cell fill="tint" align="center" padding="{$pad}pt 0" read-as="{concat($code, ': no card')}">
          <p font="Lato" weight="bold" size="8pt" leading="1" color="muted" align="center"><xsl:value-of select="$code"/></p>
        </cell>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:if test="$i &lt; 12">
      <cell/>
      <xsl:call-template name="tiles">
        <xsl:with-param name="rest" select="substring($rest, 4)"/>
        <xsl:with-param name="i" select="$i + 1"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- a swatch, the letter, its range of scores and how many cards have it -->
  <xsl:template name="legend">
    <table padding="0" space-before="10pt">
      <col width="1*"/>
      <xsl:for-each select="$scale">
        <col width="10pt"/>
        <col width="76pt"/>
      </xsl:for-each>
      <xsl:if test="$missing">
        <col width="10pt"/>
        <col width="64pt"/>
      </xsl:if>
      <col width="1*"/>
      <row>
        <cell/>
        <xsl:for-each select="$scale">
          <xsl:variable name="k" select="count($cards[substring(rg:grade(rg:sum(overall/@score
              | issues/issue/@score[not(../../../overall/@score)]
              | extra-credit/item/@points[not(../../../overall/@score)]), $graded-out-of, $fw-scale), 1, 1) = substring(current()/@letter, 1, 1)])"/>
          <cell fill="grade-{substring(@letter, 1, 1)}" padding="5pt 0"/>
          <cell padding="0 0 0 5pt" valign="middle">
            <p size="8.5pt" leading="1.2">
              <b color="grade-{substring(@letter, 1, 1)}"><xsl:value-of select="substring(@letter, 1, 1)"/></b>
              <span color="muted">
                <!-- from the lowest step of the letter to below the next letter up -->
                <xsl:value-of select="concat(' ', $fw-scale[substring(@letter, 1, 1) = substring(current()/@letter, 1, 1)][last()]/@min, '–')"/>
                <xsl:choose>
                  <xsl:when test="position() = 1"><xsl:value-of select="$graded-out-of"/></xsl:when>
                  <xsl:otherwise><xsl:value-of select="preceding-sibling::grade[1]/@min - 1"/></xsl:otherwise>
                </xsl:choose>
                <xsl:value-of select="concat(': ', $k)"/>
              </span>
            </p>
          </cell>
        </xsl:for-each>
        <xsl:if test="$missing">
          <cell fill="tint" padding="5pt 0"/>
          <cell padding="0 0 0 5pt" valign="middle">
            <p size="8.5pt" leading="1.2" color="muted"><xsl:value-of select="concat('no card: ', $missing)"/></p>
          </cell>
        </xsl:if>
        <cell/>
      </row>
    </table>
    <p style="footer" align="center" space-before="8pt">Each tile is a state or the District of Columbia, by postal code, in the colour of its overall grade.
      A score is the card’s stated overall score, or else the sum of its issue areas and extra credit.</p>
    <xsl:if test="$cards[not(normalize-space(state/@slug) = $codes/@slug)]">
      <p style="footer" align="center" space-before="4pt">
        <xsl:text>Not on the map (no tile for the slug): </xsl:text>
        <xsl:for-each select="$cards[not(normalize-space(state/@slug) = $codes/@slug)]">
          <xsl:value-of select="normalize-space(state/@name)"/>
          <xsl:if test="position() != last()">, </xsl:if>
        </xsl:for-each>
      </p>
    </xsl:if>
  </xsl:template>

  <!-- ===== the ranking ===== -->
  <xsl:template name="ranking">
    <h level="2" style="learn-heading" id="ranking">RANKING BY OVERALL SCORE</h>
    <rule color="brand" width="1pt" space-after="4pt"/>
    <table rule="rule" rule-width="0.5pt" padding="1.5pt 6pt" header-fill="header-fill" space-before="2pt">
      <col width="7%"/>
      <col width="27%"/>
      <col width="10%"/>
      <col width="{36 + 11 * number(not($fw-tiers))}%"/>
      <col width="9%"/>
      <xsl:if test="$fw-tiers"><col width="11%"/></xsl:if>
      <row header="yes">
        <cell style="th" align="right" padding="3pt 6pt">Rank</cell>
        <cell style="th" padding="3pt 6pt">State</cell>
        <cell style="th" align="right" padding="3pt 6pt">Score</cell>
        <cell style="th" padding="3pt 6pt 3pt 4pt"><xsl:value-of select="concat('Score out of ', $out-of)"/></cell>
        <cell style="th" align="center" padding="3pt 6pt">Grade</cell>
        <xsl:if test="$fw-tiers"><cell style="th" align="center" padding="3pt 6pt">Tier</cell></xsl:if>
      </row>
      <xsl:for-each select="$cards">
        <xsl:sort select="round(1000 * (sum(overall/@score) + number(not(overall/@score)) * (sum(issues/issue/@score) + sum(extra-credit/item/@points))))"
                  data-type="number" order="descending"/>
        <xsl:sort select="normalize-space(state/@name)"/>
        <xsl:variable name="key" select="round(1000 * (sum(overall/@score) + number(not(overall/@score)) * (sum(issues/issue/@score) + sum(extra-credit/item/@points))))"/>
        <xsl:variable name="score" select="rg:sum(overall/@score
            | issues/issue/@score[not(../../../overall/@score)]
            | extra-credit/item/@points[not(../../../overall/@score)])"/>
        <xsl:variable name="g" select="rg:grade($score, $graded-out-of, $fw-scale)"/>
        <!-- tied scores share a rank: 1 + the number of higher scores -->
        <xsl:variable name="rank">
          <xsl:for-each select="exsl:node-set($ranked)">
            <xsl:value-of select="key('rank-place', string($key))[1]/@at"/>
          </xsl:for-each>
        </xsl:variable>
        <row>
          <xsl:if test="position() mod 2 = 0"><xsl:attribute name="fill">#f6f8fb</xsl:attribute></xsl:if>
          <cell align="right" valign="middle"><p size="8.5pt" leading="1.15" color="muted"><xsl:value-of select="$rank"/></p></cell>
          <cell valign="middle" header="yes">
            <p size="8.5pt" leading="1.15" weight="bold" color="brand">
              <xsl:value-of select="normalize-space(state/@name)"/>
            </p>
          </cell>
          <cell align="right" valign="middle"><p size="8.5pt" leading="1.15" weight="bold"><xsl:value-of select="$score"/></p></cell>
          <cell valign="middle" padding="1.5pt 6pt 1.5pt 4pt">
            <xsl:choose>
              <xsl:when test="rg:cmp($score, '0') = 1">
                <box fill="#e6ebf1" min-height="6pt">
                  <!-- a drawing: XPath's float is exact enough for a bar's length -->
                  <box fill="grade-{substring($g, 1, 1)}" width="{format-number($score * 100 div $out-of, '0.###')}%" min-height="6pt"/>
                </box>
              </xsl:when>
              <xsl:otherwise><box fill="#e6ebf1" min-height="6pt"/></xsl:otherwise>
            </xsl:choose>
          </cell>
          <cell align="center" valign="middle"><p font="Lato Black" size="9.5pt" leading="1" color="grade-{substring($g, 1, 1)}"><xsl:value-of select="$g"/></p></cell>
          <xsl:if test="$fw-tiers">
            <cell align="center" valign="middle"><p size="8.5pt" leading="1.15" color="muted"><xsl:value-of select="normalize-space(@tier)"/></p></cell>
          </xsl:if>
        </row>
      </xsl:for-each>
    </table>
  </xsl:template>

  <!-- ===== helpers ===== -->

  <!-- The score of a card, exact and canonical. -->
  <xsl:template name="score">
    <xsl:param name="card"/>
    <xsl:value-of select="rg:sum($card/overall/@score
        | $card/issues/issue/@score[not(../../../overall/@score)]
        | $card/extra-credit/item/@points[not(../../../overall/@score)])"/>
  </xsl:template>

  <!-- "an 'F'", "a 'C'": the article as the letter is spoken. -->
  <xsl:template name="a-grade">
    <xsl:param name="letter"/>
    <xsl:choose>
      <xsl:when test="contains('AEFHILMNORSX', substring($letter, 1, 1))">an </xsl:when>
      <xsl:otherwise>a </xsl:otherwise>
    </xsl:choose>
    <xsl:value-of select="$letter"/>
  </xsl:template>
</xsl:stylesheet>
