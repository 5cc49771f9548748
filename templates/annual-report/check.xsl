<?xml version="1.0" encoding="UTF-8"?>
<!-- Consistency rules of an annual report, run after the schema has passed.
     Output: <findings> as templates/README.md describes. Every finding is a
     warning: the report is published as it was written, and the strict option turns
     warnings into errors for those who want a clean copy. Sums use the
     program's exact decimals (rg:sum, rg:cmp), names its edit distance
     (rg:distance).

     1. A person named two ways: every person on the cover against the member
        list (members, and the people holding seats), and the members among
        themselves. Two names are taken for the same person when the first
        names agree, or the roles do (the cover's council chair and the member
        whose role is chair), and the last names differ by one or two letters.
     2. A percentage breakdown that does not add up to 100 (+-1 for rounding).
     3. A stated total that is not the sum of its groups.
     4. An organization that opposed or abstained on a recommendation, or whose
        activities are reported, that no member or seat of the council is from. The
        org ids are plain tokens, not xs:IDREF: several members share one
        organization, and this message names it, which libxml2's would not.
     5. More convictions than arrests under a statute over the whole period. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen"
    exclude-result-prefixes="rg">
  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:variable name="apos">'</xsl:variable>
  <!-- the people of the member lists: a member's name, a seat's person -->
  <xsl:variable name="people" select="/annual-report/members//member/name | /annual-report/members//seat/person"/>
  <!-- the org ids of the council: members' organizations and seats -->
  <xsl:variable name="orgs" select="/annual-report/members//member/organization/@org | /annual-report/members//seat/@org"/>

  <xsl:template match="/">
    <findings>
      <xsl:apply-templates select="$people"/>
      <xsl:apply-templates select="//breakdown | //tally | //dissent/org | //activity[@org] | //statute"/>
    </findings>
  </xsl:template>

  <!-- ===== 1. a person named two ways ===== -->
  <!-- A person of the member lists (member/name or seat/person), against
       the cover's chairs and the people listed before it. -->
  <xsl:template match="member/name | seat/person">
    <xsl:variable name="p" select="."/>
    <xsl:variable name="role">
      <xsl:call-template name="role"/>
    </xsl:variable>
    <xsl:variable name="last" select="normalize-space(@last)"/>
    <xsl:variable name="first" select="normalize-space(@first)"/>
    <!-- the cover names the chairs; the member list says who chairs -->
    <xsl:for-each select="/annual-report/cover/chair/person">
      <xsl:variable name="d" select="rg:distance(normalize-space(@last), $last)"/>
      <xsl:if test="$d &gt;= 1 and $d &lt;= 2 and (normalize-space(@first) = $first or $role = 'chair')">
        <xsl:call-template name="named-twice">
          <xsl:with-param name="at" select="$p"/>
          <xsl:with-param name="role" select="$role"/>
          <xsl:with-param name="other" select="."/>
        </xsl:call-template>
      </xsl:if>
    </xsl:for-each>
    <!-- $people is every member/name and seat/person in document order,
         and this template is applied to $people in that order: the ones
         before this one are its first position() - 1, with no walk of the
         preceding axis (the whole document before it) for each person -->
    <xsl:variable name="n" select="position() - 1"/>
    <xsl:for-each select="$people">
      <xsl:if test="position() &lt;= $n">
        <xsl:variable name="d" select="rg:distance(normalize-space(@last), $last)"/>
        <!-- the other's role only for a name that is close: a variable is
             made where it is declared, and most names are not -->
        <xsl:if test="$d &gt;= 1 and $d &lt;= 2">
          <xsl:variable name="other-role">
            <xsl:call-template name="role"/>
          </xsl:variable>
          <xsl:if test="normalize-space(@first) = $first or $other-role = $role">
            <xsl:call-template name="named-twice">
              <xsl:with-param name="at" select="$p"/>
              <xsl:with-param name="role" select="$role"/>
              <xsl:with-param name="other" select="."/>
            </xsl:call-template>
          </xsl:if>
        </xsl:if>
      </xsl:if>
    </xsl:for-each>
  </xsl:template>

  <!-- A listed person's role: the member's, or the seat person's own
       (member when not given). -->
  <xsl:template name="role">
    <xsl:choose>
      <xsl:when test="parent::member"><xsl:value-of select="normalize-space(../@role)"/></xsl:when>
      <xsl:when test="@role"><xsl:value-of select="normalize-space(@role)"/></xsl:when>
      <xsl:otherwise>member</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- "chair named 'Gilcrest' here but 'Gilchrest' on line 19" -->
  <xsl:template name="named-twice">
    <xsl:param name="at"/>
    <xsl:param name="role"/>
    <xsl:param name="other"/>
    <xsl:call-template name="finding">
      <xsl:with-param name="node" select="$at"/>
      <xsl:with-param name="attribute">last</xsl:with-param>
      <xsl:with-param name="message" select="concat($role, ' named ', $apos, normalize-space($at/@last), $apos,
          ' here but ', $apos, normalize-space($other/@last), $apos, ' on line ', rg:line($other))"/>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== 2. percentages that do not add up to 100 ===== -->
  <xsl:template match="breakdown">
    <xsl:variable name="sum" select="rg:sum(share/@percent)"/>
    <xsl:if test="rg:cmp($sum, '99') = -1 or rg:cmp($sum, '101') = 1">
      <xsl:call-template name="finding">
        <xsl:with-param name="message" select="concat(normalize-space(@name), ' add up to ', $sum, '%, not 100%')"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- ===== 3. a stated total that is not the sum of its parts ===== -->
  <xsl:template match="tally">
    <xsl:variable name="sum" select="rg:sum(groups/group/@count)"/>
    <xsl:if test="groups and rg:cmp(@stated, $sum) != 0">
      <xsl:call-template name="finding">
        <xsl:with-param name="attribute">stated</xsl:with-param>
        <xsl:with-param name="message" select="concat(normalize-space(@stated), ' ', normalize-space(@unit),
            ' stated, but the parts add up to ', $sum)"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- ===== 4. an organization that is not on the council ===== -->
  <xsl:template match="dissent/org">
    <xsl:variable name="ref" select="normalize-space(@ref)"/>
    <xsl:if test="not($orgs[normalize-space(.) = $ref])">
      <xsl:variable name="how">
        <xsl:choose>
          <xsl:when test="../@position = 'oppose'">opposing</xsl:when>
          <xsl:otherwise>abstaining</xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:call-template name="finding">
        <xsl:with-param name="attribute">ref</xsl:with-param>
        <xsl:with-param name="message" select="concat($how, ' organization ', $apos, normalize-space(.), $apos,
            ' (', $ref, ') is not on the council: no member is from it')"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template match="activity">
    <xsl:variable name="ref" select="normalize-space(@org)"/>
    <xsl:if test="not($orgs[normalize-space(.) = $ref])">
      <xsl:call-template name="finding">
        <xsl:with-param name="attribute">org</xsl:with-param>
        <xsl:with-param name="message" select="concat('organization ', $apos, $ref, $apos,
            ' is not on the council, but its activities are reported as a member', $apos, 's')"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- ===== 5. more convictions than arrests ===== -->
  <xsl:template match="statute">
    <xsl:variable name="arrests" select="rg:sum(record/@arrests)"/>
    <xsl:variable name="convictions" select="rg:sum(record/@convictions)"/>
    <xsl:if test="rg:cmp($convictions, $arrests) = 1">
      <xsl:variable name="from">
        <xsl:for-each select="record/@year">
          <xsl:sort data-type="number"/>
          <xsl:if test="position() = 1"><xsl:value-of select="normalize-space(.)"/></xsl:if>
        </xsl:for-each>
      </xsl:variable>
      <xsl:variable name="to">
        <xsl:for-each select="record/@year">
          <xsl:sort data-type="number" order="descending"/>
          <xsl:if test="position() = 1"><xsl:value-of select="normalize-space(.)"/></xsl:if>
        </xsl:for-each>
      </xsl:variable>
      <xsl:variable name="period">
        <xsl:choose>
          <xsl:when test="$from = $to"><xsl:value-of select="concat('in ', $from)"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="concat('over ', $from, '-', $to)"/></xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <xsl:call-template name="finding">
        <xsl:with-param name="message">
          <xsl:value-of select="concat('Sec. ', normalize-space(@number), ': ', $convictions)"/>
          <xsl:choose>
            <xsl:when test="$convictions = '1'"> conviction</xsl:when>
            <xsl:otherwise> convictions</xsl:otherwise>
          </xsl:choose>
          <xsl:value-of select="concat(' but ', $arrests)"/>
          <xsl:choose>
            <xsl:when test="$arrests = '1'"> arrest </xsl:when>
            <xsl:otherwise> arrests </xsl:otherwise>
          </xsl:choose>
          <xsl:value-of select="$period"/>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- ===== helpers ===== -->

  <!-- A warning at node (the context node by default): its line, and its
       element and attribute, by which the program finds the column. -->
  <xsl:template name="finding">
    <xsl:param name="node" select="."/>
    <xsl:param name="attribute"/>
    <xsl:param name="message"/>
    <finding severity="warning" line="{rg:line($node)}" element="{local-name($node)}">
      <xsl:if test="$attribute != ''">
        <xsl:attribute name="attribute"><xsl:value-of select="$attribute"/></xsl:attribute>
      </xsl:if>
      <xsl:value-of select="normalize-space($message)"/>
    </finding>
  </xsl:template>
</xsl:stylesheet>
