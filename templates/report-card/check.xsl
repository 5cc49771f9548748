<?xml version="1.0" encoding="UTF-8"?>
<!-- Consistency rules of a report card, run after the schema has passed.
     Output: <findings> as templates/README.md describes. Numbers are compared
     with the program's exact decimals (rg:cmp, rg:sum, rg:grade), never with
     XPath's floating point; only the percentage in a message is a float.
     What the card is checked against (areas, maxima, total, grade scale,
     tiers, extra credit, rank) comes from its framework (framework.xsl). -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen"
    exclude-result-prefixes="rg">
  <xsl:import href="../common/state-rules.xsl"/>
  <xsl:import href="framework.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:variable name="issues" select="/report-card/issues/issue"/>
  <xsl:variable name="points" select="/report-card/extra-credit/item/@points"/>
  <!-- every figure is a decimal rg: can read (the schema lets " 8.5 " through) -->
  <xsl:variable name="numbers-ok"
      select="not(($issues/@score | $issues/@max | $points | /report-card/overall/@score)[rg:num(.) = ''])"/>
  <!-- the area scores plus the extra credit: what the overall score must be -->
  <xsl:variable name="total" select="rg:sum($issues/@score | $points)"/>

  <xsl:template match="/">
    <findings>
      <xsl:apply-templates select="report-card"/>
    </findings>
  </xsl:template>

  <xsl:template match="report-card">
    <xsl:call-template name="framework"/>
    <xsl:if test="$fw-ok">
      <xsl:call-template name="tier-and-rank"/>
      <xsl:call-template name="rg-state-name">
        <xsl:with-param name="name" select="state/@name"/>
      </xsl:call-template>
      <xsl:call-template name="rg-year-agreement">
        <xsl:with-param name="year" select="@year"/>
        <xsl:with-param name="title" select="title"/>
        <xsl:with-param name="published" select="@published"/>
      </xsl:call-template>
      <xsl:apply-templates select="issues | issues/issue | extra-credit | extra-credit/item | overall | learn-more/entry/link"/>
      <!-- another state's name pasted into the card's text (once the card's
           own state is one: else every mention of it would be "another") -->
      <xsl:variable name="state-known" select="$rg-states/@name = normalize-space(state/@name)"/>
      <xsl:for-each select="(title | issues/issue/highlights | extra-credit/item/text | learn-more/entry)[$state-known]">
        <xsl:call-template name="rg-other-states">
          <xsl:with-param name="state" select="normalize-space(/report-card/state/@name)"/>
          <xsl:with-param name="what" select="'a report card'"/>
        </xsl:call-template>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <!-- ===== the framework itself ===== -->
  <xsl:variable name="fw-maxima" select="rg:sum($fw-areas/@max)"/>
  <xsl:variable name="fw-ok"
      select="$fw and $fw-areas and $fw-out-of != '' and $fw-maxima != '' and rg:cmp($fw-maxima, $fw-out-of) = 0
              and rg:grade('0', '1', $fw-scale) != ''
              and not($fw-areas[@number = preceding-sibling::area/@number])"/>

  <xsl:template name="framework">
    <xsl:variable name="what" select="concat('framework ', $apos, $fw-id, $apos, ' (frameworks/', $fw-id, '.xml): ')"/>
    <xsl:choose>
      <xsl:when test="not($fw-known)">
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">framework</xsl:with-param>
          <xsl:with-param name="message" select="concat('unknown framework ', $apos, $fw-id, $apos, ': no file frameworks/', $fw-id, '.xml among the report-card templates')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="not($fw)">
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">framework</xsl:with-param>
          <xsl:with-param name="message" select="concat($what, 'not a framework file (its root is not &lt;framework&gt;)')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="not($fw-areas) or $fw-out-of = '' or $fw-maxima = ''">
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">framework</xsl:with-param>
          <xsl:with-param name="message" select="concat($what, 'needs areas with decimal maxima and a total out-of')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="rg:cmp($fw-maxima, $fw-out-of) != 0">
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">framework</xsl:with-param>
          <xsl:with-param name="message" select="concat($what, 'the maxima of its areas add up to ', $fw-maxima, ', not its total ', $fw-out-of)"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="$fw-areas[@number = preceding-sibling::area/@number]">
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">framework</xsl:with-param>
          <xsl:with-param name="message" select="concat($what, 'area number ', $fw-areas[@number = preceding-sibling::area/@number][1]/@number, ' is listed twice')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="rg:grade('0', '1', $fw-scale) = ''">
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">framework</xsl:with-param>
          <xsl:with-param name="message" select="concat($what, 'its grades are not a scale (letters with min percents in descending order, the last 0)')"/>
        </xsl:call-template>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <!-- ===== tier and national rank, as the framework has them ===== -->
  <xsl:template name="tier-and-rank">
    <xsl:variable name="tier" select="normalize-space(@tier)"/>
    <xsl:variable name="tiers">
      <xsl:for-each select="$fw-tiers">
        <xsl:value-of select="concat($apos, normalize-space(@value), $apos)"/>
        <xsl:if test="position() != last()">, </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="@tier and not($fw-tiers)">
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">tier</xsl:with-param>
          <xsl:with-param name="message" select="concat('tier ', $apos, $tier, $apos, ' but framework ', $apos, $fw-id, $apos, ' has no tiers')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="not(@tier) and $fw-tiers">
        <xsl:call-template name="finding">
          <xsl:with-param name="message" select="concat('no tier: framework ', $apos, $fw-id, $apos, ' puts every card in a tier (', $tiers, ')')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="@tier and not($fw-tiers[normalize-space(@value) = $tier])">
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">tier</xsl:with-param>
          <xsl:with-param name="message" select="concat('tier ', $apos, $tier, $apos, ' is not a tier of framework ', $apos, $fw-id, $apos, ' (', $tiers, ')')"/>
        </xsl:call-template>
      </xsl:when>
    </xsl:choose>
    <xsl:if test="@rank and not($fw-rank)">
      <xsl:call-template name="finding">
        <xsl:with-param name="attribute">rank</xsl:with-param>
        <xsl:with-param name="message" select="concat('rank ', $apos, normalize-space(@rank), $apos, ' but framework ', $apos, $fw-id, $apos, ' shows no national rank')"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template match="issues">
    <xsl:variable name="maxima" select="rg:sum(issue/@max)"/>
    <xsl:variable name="here" select="issue"/>
    <xsl:variable name="issues-element" select="."/>
    <!-- a missing area is said once, by its name, not again through the sums -->
    <xsl:variable name="complete" select="not($fw-areas[not(@number = $here/@number)])"/>
    <xsl:if test="$numbers-ok and $complete and rg:cmp($maxima, $fw-out-of) != 0">
      <xsl:call-template name="finding">
        <xsl:with-param name="message">the maxima of the issue areas add up to <xsl:value-of select="$maxima"/>, not <xsl:value-of select="$fw-out-of"/></xsl:with-param>
      </xsl:call-template>
    </xsl:if>
    <xsl:variable name="label" select="translate(normalize-space($fw-area-label), $rg-upper, $rg-lower)"/>
    <xsl:for-each select="$fw-areas[not(@number = $here/@number)]">
      <xsl:call-template name="finding">
        <xsl:with-param name="at" select="$issues-element"/>
        <xsl:with-param name="message" select="concat($label, substring(' area', 1, 5 * number($label = 'issue')), ' ',
            @number, ' (', normalize-space(@name), ') is missing')"/>
      </xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="issue">
    <xsl:variable name="what" select="concat('issue ', @number, ': ')"/>
    <xsl:variable name="first" select="preceding-sibling::issue[@number = current()/@number][last()]"/>
    <xsl:if test="$first">
      <xsl:call-template name="finding">
        <xsl:with-param name="attribute">number</xsl:with-param>
        <xsl:with-param name="message">duplicate issue number <xsl:value-of select="@number"/> (first on line <xsl:value-of select="rg:line($first)"/>)</xsl:with-param>
      </xsl:call-template>
    </xsl:if>
    <xsl:variable name="area" select="$fw-areas[number(@number) = number(current()/@number)]"/>
    <xsl:choose>
      <xsl:when test="not($area)">
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">number</xsl:with-param>
          <xsl:with-param name="message" select="concat($what, 'framework ', $apos, $fw-id, $apos, ' has no issue area ', @number,
              ' (it has ', count($fw-areas), ')')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:if test="normalize-space(name) != normalize-space($area/@name)">
          <!-- a warning: cards may print an area's name shortened -->
          <xsl:call-template name="finding">
            <xsl:with-param name="severity">warning</xsl:with-param>
            <xsl:with-param name="at" select="name"/>
            <xsl:with-param name="message" select="concat($what, 'name ', $apos, normalize-space(name), $apos,
                ' is not the framework', $apos, 's ', $apos, normalize-space($area/@name), $apos)"/>
          </xsl:call-template>
        </xsl:if>
        <xsl:if test="rg:num(@max) != '' and rg:cmp(@max, $area/@max) != 0">
          <xsl:call-template name="finding">
            <xsl:with-param name="attribute">max</xsl:with-param>
            <xsl:with-param name="message" select="concat($what, 'maximum ', @max, ' is not the framework', $apos, 's ', rg:num($area/@max))"/>
          </xsl:call-template>
        </xsl:if>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:call-template name="not-a-number">
      <xsl:with-param name="what" select="$what"/>
      <xsl:with-param name="value" select="@score"/>
    </xsl:call-template>
    <xsl:call-template name="not-a-number">
      <xsl:with-param name="what" select="$what"/>
      <xsl:with-param name="value" select="@max"/>
    </xsl:call-template>
    <xsl:choose>
      <xsl:when test="rg:num(@score) = '' or rg:num(@max) = ''"/>
      <xsl:when test="rg:cmp(@score, @max) = 1">
        <!-- the grade of an impossible score means nothing: no grade finding -->
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">score</xsl:with-param>
          <xsl:with-param name="message"><xsl:value-of select="$what"/>score <xsl:value-of select="@score"/> exceeds its maximum <xsl:value-of select="@max"/></xsl:with-param>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="@grade and not($fw-area-grades)">
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">grade</xsl:with-param>
          <xsl:with-param name="message" select="concat($what, 'stated grade ', $apos, @grade, $apos, ' but framework ', $apos, $fw-id, $apos, ' grades no issue area')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="@grade and not($fw-scale[normalize-space(@letter) = normalize-space(current()/@grade)])">
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">grade</xsl:with-param>
          <xsl:with-param name="message" select="concat($what, 'grade ', $apos, @grade, $apos, ' is not on the scale of framework ', $apos, $fw-id, $apos, ' (', $fw-letters, ')')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="@grade and @grade != rg:grade(@score, @max, $fw-scale)">
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">grade</xsl:with-param>
          <xsl:with-param name="message">
            <xsl:value-of select="concat($what, 'stated grade ', $apos, @grade, $apos, ' but ', @score, ' of ', @max, ' (', format-number(@score * 100 div @max, '0.#'), '%) is ')"/>
            <xsl:call-template name="a-grade">
              <xsl:with-param name="letter" select="rg:grade(@score, @max, $fw-scale)"/>
            </xsl:call-template>
            <xsl:text> (leave the grade out and it is computed)</xsl:text>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="extra-credit">
    <xsl:variable name="points" select="rg:sum(item/@points)"/>
    <xsl:choose>
      <xsl:when test="not($fw-extra)">
        <xsl:call-template name="finding">
          <xsl:with-param name="message" select="concat('extra credit but framework ', $apos, $fw-id, $apos, ' gives none')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="$fw-extra-cap != '' and $points != '' and rg:cmp($points, $fw-extra-cap) = 1">
        <xsl:call-template name="finding">
          <xsl:with-param name="message" select="concat('extra credit of ', $points, ' points exceeds the cap of framework ', $apos, $fw-id, $apos, ', ', $fw-extra-cap)"/>
        </xsl:call-template>
      </xsl:when>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="item">
    <xsl:call-template name="not-a-number">
      <xsl:with-param name="what" select="concat('extra credit ', $apos, normalize-space(name), $apos, ': ')"/>
      <xsl:with-param name="value" select="@points"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="overall">
    <xsl:call-template name="not-a-number">
      <xsl:with-param name="what">overall: </xsl:with-param>
      <xsl:with-param name="value" select="@score"/>
    </xsl:call-template>
    <xsl:if test="$numbers-ok">
      <xsl:if test="@score and rg:cmp(@score, $total) != 0 and not($fw-areas[not(@number = $issues/@number)])">
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">score</xsl:with-param>
          <xsl:with-param name="message">overall score <xsl:value-of select="@score"/> disagrees with the sum of the areas and extra credit, <xsl:value-of select="$total"/> (leave the score out and it is computed)</xsl:with-param>
        </xsl:call-template>
      </xsl:if>
      <xsl:if test="@grade and not($fw-scale[normalize-space(@letter) = normalize-space(current()/@grade)])">
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">grade</xsl:with-param>
          <xsl:with-param name="message" select="concat('overall: grade ', $apos, @grade, $apos, ' is not on the scale of framework ', $apos, $fw-id, $apos, ' (', $fw-letters, ')')"/>
        </xsl:call-template>
      </xsl:if>
      <xsl:if test="@grade and $fw-scale[normalize-space(@letter) = normalize-space(current()/@grade)]
                    and @grade != rg:grade($total, $fw-graded-out-of, $fw-scale)">
        <xsl:call-template name="finding">
          <xsl:with-param name="attribute">grade</xsl:with-param>
          <xsl:with-param name="message">
            <xsl:value-of select="concat('overall: stated grade ', $apos, @grade, $apos, ' but the total ', $total, ' of ', $fw-graded-out-of, ' is ')"/>
            <xsl:call-template name="a-grade">
              <xsl:with-param name="letter" select="rg:grade($total, $fw-graded-out-of, $fw-scale)"/>
            </xsl:call-template>
            <xsl:text> (leave the grade out and it is computed)</xsl:text>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <!-- The page shows the link's text and goes to its href: they must agree. -->
  <xsl:template match="link">
    <xsl:variable name="shown" select="normalize-space(.)"/>
    <xsl:variable name="target" select="substring-after(@href, '://')"/>
    <xsl:if test="$shown != $target and concat($shown, '/') != $target">
      <xsl:call-template name="finding">
        <xsl:with-param name="severity">warning</xsl:with-param>
        <xsl:with-param name="attribute">href</xsl:with-param>
        <xsl:with-param name="message">link text '<xsl:value-of select="$shown"/>' does not match its address '<xsl:value-of select="@href"/>'</xsl:with-param>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- ===== helpers ===== -->

  <xsl:variable name="apos">'</xsl:variable>

  <xsl:template name="finding">
    <xsl:param name="severity">error</xsl:param>
    <xsl:param name="attribute"/>
    <xsl:param name="message"/>
    <xsl:param name="at" select="."/>
    <finding severity="{$severity}" line="{rg:line($at)}" element="{local-name($at)}">
      <xsl:if test="$attribute != ''">
        <xsl:attribute name="attribute"><xsl:value-of select="$attribute"/></xsl:attribute>
      </xsl:if>
      <xsl:value-of select="normalize-space($message)"/>
    </finding>
  </xsl:template>

  <!-- A figure the exact arithmetic cannot read (the schema admits padding). -->
  <xsl:template name="not-a-number">
    <xsl:param name="what"/>
    <xsl:param name="value"/>
    <xsl:if test="$value and rg:num($value) = ''">
      <xsl:call-template name="finding">
        <xsl:with-param name="attribute" select="name($value)"/>
        <xsl:with-param name="message" select="concat($what, name($value), ' ', $apos, $value, $apos, ' is not a decimal number')"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- "an 'F'", "a 'B'": the article as the letter is spoken. -->
  <xsl:template name="a-grade">
    <xsl:param name="letter"/>
    <xsl:choose>
      <xsl:when test="contains('AEFHILMNORSX', substring($letter, 1, 1))">an </xsl:when>
      <xsl:otherwise>a </xsl:otherwise>
    </xsl:choose>
    <xsl:value-of select="concat($apos, $letter, $apos)"/>
  </xsl:template>
</xsl:stylesheet>
