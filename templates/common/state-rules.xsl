<?xml version="1.0" encoding="UTF-8"?>
<!-- The findings, state and year rules of the check templates, imported by
     rules.xsl (with text.xsl, for the Shared Hope kinds and user templates)
     and by the report card's check.xsl alone, which compiles no more than
     it calls (every process compiles the templates of what it renders).
     Not a document kind.

     rg-finding         a warning (or an error) at a node: its line, element and attribute
     rg-other-states    the name of another US state or DC in a document about
                        one state, outside <comparison> (states.xml beside this file);
                        a phrase or list naming every state is no finding
     rg-state-name      a state name that is not one of states.xml, with the
                        nearest one suggested ("did you mean 'Texas'?")
     rg-year-agreement  the year of a document, the years its title names and
                        its publication date agree

     Every finding is a warning unless the caller asks for an error: the documents are published as written, and
     check strict turns warnings into errors for those who want a clean copy. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:rg="urn:reportgen"
    xmlns:exsl="http://exslt.org/common"
    exclude-result-prefixes="rg exsl">

  <xsl:variable name="rg-apos">'</xsl:variable>
  <xsl:variable name="rg-lower" select="'abcdefghijklmnopqrstuvwxyz'"/>
  <xsl:variable name="rg-upper" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>
  <xsl:variable name="rg-alnum" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'"/>
  <xsl:variable name="rg-states" select="document('states.xml')/states/state"/>
  <!-- every name and alias, united once for every element read -->
  <xsl:variable name="rg-state-names" select="$rg-states/@name | $rg-states/alias"/>

  <!-- ===== a finding ===== -->
  <xsl:template name="rg-finding">
    <xsl:param name="node" select="."/>
    <xsl:param name="attribute"/>
    <xsl:param name="message"/>
    <xsl:param name="severity" select="'warning'"/>
    <finding severity="{$severity}" line="{rg:line($node)}" element="{local-name($node)}">
      <xsl:if test="$attribute != ''">
        <xsl:attribute name="attribute"><xsl:value-of select="$attribute"/></xsl:attribute>
      </xsl:if>
      <xsl:value-of select="normalize-space($message)"/>
    </finding>
  </xsl:template>

  <!-- ===== another state named in a document about one state =====
       The context node is an element whose own text is read (the caller
       leaves out structured fields such as a dateline); text inside
       <comparison> is never read. Names are whole words, compared without
       regard to case; one finding per element and state. -->
  <xsl:template name="rg-other-states">
    <xsl:param name="state"/>
    <xsl:param name="what" select="'a document'"/>
    <xsl:if test="not($rg-states)">
      <xsl:message terminate="yes">no state names: templates/common/states.xml is missing or empty</xsl:message>
    </xsl:if>
    <xsl:if test="not(ancestor-or-self::comparison) and text()[normalize-space()]">
      <xsl:variable name="at" select="."/>
      <xsl:variable name="own">
        <xsl:for-each select="text()">
          <xsl:value-of select="concat(' ', ., ' ')"/>
        </xsl:for-each>
      </xsl:variable>
      <xsl:variable name="raw" select="rg:upper(normalize-space($own))"/>
      <!-- "all 50 states and the District of Columbia": the District in a
           phrase naming every state is not a mention of it -->
      <xsl:variable name="text-rtf">
        <xsl:choose>
          <xsl:when test="contains($raw, 'STATES')">
            <xsl:call-template name="rg-drop-every">
              <xsl:with-param name="text" select="$raw"/>
              <xsl:with-param name="phrases" select="$rg-every"/>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="$raw"/></xsl:otherwise>
        </xsl:choose>
      </xsl:variable>
      <!-- a string, not a tree fragment each contains() would flatten again -->
      <xsl:variable name="text" select="string($text-rtf)"/>
      <!-- "|Utah|Texas|": the other states the text names -->
      <xsl:variable name="others-rtf">
        <!-- only states whose name or alias occurs at all (rg:occurring, one
             pass in C) are counted as whole words (a template per name, not) -->
        <xsl:variable name="own-state" select="normalize-space($state)"/>
        <xsl:for-each select="rg:occurring($text, $rg-state-names)/parent::state[normalize-space(@name) != $own-state]">
          <xsl:for-each select=".">
            <xsl:variable name="named">
              <xsl:call-template name="rg-count-all">
                <xsl:with-param name="text" select="$text"/>
                <xsl:with-param name="names" select="@name | alias"/>
              </xsl:call-template>
            </xsl:variable>
            <xsl:variable name="held">
              <xsl:call-template name="rg-count-all">
                <xsl:with-param name="text" select="$text"/>
                <xsl:with-param name="names" select="within"/>
              </xsl:call-template>
            </xsl:variable>
            <xsl:if test="$named - $held &gt; 0">
              <xsl:value-of select="concat('|', @name)"/>
            </xsl:if>
          </xsl:for-each>
        </xsl:for-each>
        <xsl:text>|</xsl:text>
      </xsl:variable>
      <xsl:variable name="others" select="string($others-rtf)"/>
      <!-- a list of every state (49 others, with or without DC) is no slip -->
      <xsl:variable name="n-others"
          select="string-length($others) - string-length(translate($others, '|', '')) - 1"/>
      <xsl:if test="$n-others &gt; 0 and $n-others &lt; 49">
        <xsl:for-each select="$rg-states[contains($others, concat('|', @name, '|'))]">
          <xsl:call-template name="rg-finding">
            <xsl:with-param name="node" select="$at"/>
            <xsl:with-param name="message" select="concat('state ', $rg-apos, @name, $rg-apos, ' named in ', $what,
                ' about ', $state, ' (not marked as a comparison)')"/>
          </xsl:call-template>
        </xsl:for-each>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <xsl:variable name="rg-every" select="$rg-states/../every"/>

  <!-- text with each "STATES" + phrase (upper case) cut to "STATES" -->
  <xsl:template name="rg-drop-every">
    <xsl:param name="text"/>
    <xsl:param name="phrases"/>
    <xsl:param name="i" select="1"/>
    <xsl:choose>
      <xsl:when test="$i &gt; count($phrases)"><xsl:value-of select="$text"/></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="p" select="rg:upper(normalize-space($phrases[$i]))"/>
        <xsl:variable name="cut">
          <xsl:call-template name="rg-cut">
            <xsl:with-param name="text" select="$text"/>
            <xsl:with-param name="find" select="concat('STATES', substring(' ', 1, number(not(starts-with($p, ',')))), $p)"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:call-template name="rg-drop-every">
          <xsl:with-param name="text" select="$cut"/>
          <xsl:with-param name="phrases" select="$phrases"/>
          <xsl:with-param name="i" select="$i + 1"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- text with every find replaced by "STATES" -->
  <xsl:template name="rg-cut">
    <xsl:param name="text"/>
    <xsl:param name="find"/>
    <xsl:choose>
      <xsl:when test="contains($text, $find)">
        <xsl:value-of select="concat(substring-before($text, $find), 'STATES')"/>
        <xsl:call-template name="rg-cut">
          <xsl:with-param name="text" select="substring-after($text, $find)"/>
          <xsl:with-param name="find" select="$find"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ===== a state's name =====
       name is the attribute node holding it; an error when it is not the name
       of a state or DC, with the nearest name suggested when one is close.
       A placeholder ("[TODO: the state's name]", reportgen new) is left to
       the placeholder warning. -->
  <xsl:template name="rg-state-name">
    <xsl:param name="name" select="@name"/>
    <xsl:param name="severity" select="'error'"/>
    <xsl:variable name="given" select="normalize-space($name)"/>
    <xsl:if test="not($rg-states)">
      <xsl:message terminate="yes">no state names: templates/common/states.xml is missing or empty</xsl:message>
    </xsl:if>
    <xsl:if test="not($rg-states[normalize-space(@name) = $given]) and not(starts-with($given, '[TODO:'))">
      <xsl:variable name="low" select="translate($given, $rg-upper, $rg-lower)"/>
      <xsl:variable name="nearest">
        <xsl:for-each select="$rg-states">
          <xsl:sort select="rg:distance($low, translate(@name, $rg-upper, $rg-lower))" data-type="number"/>
          <xsl:if test="position() = 1"><xsl:value-of select="@name"/></xsl:if>
        </xsl:for-each>
      </xsl:variable>
      <xsl:variable name="d" select="rg:distance($low, translate($nearest, $rg-upper, $rg-lower))"/>
      <xsl:call-template name="rg-finding">
        <xsl:with-param name="node" select="$name/.."/>
        <xsl:with-param name="attribute" select="local-name($name)"/>
        <xsl:with-param name="severity" select="$severity"/>
        <xsl:with-param name="message">
          <xsl:value-of select="concat('state name ', $rg-apos, $given, $rg-apos, ' is not a US state or DC')"/>
          <!-- close: two letters off (a transposition), or three in a long name -->
          <xsl:if test="$d &lt;= 2 or ($d = 3 and string-length($nearest) &gt;= 9)">
            <xsl:value-of select="concat('; did you mean ', $rg-apos, $nearest, $rg-apos, '?')"/>
          </xsl:if>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- ===== year, title and publication date =====
       year is the document's year (a string), title the element whose text
       names it, published the attribute holding the date (YYYY-MM-DD). The
       title may name no year; if it names some, one of them is the year. A
       document is published in its year or the next. Warnings. -->
  <xsl:template name="rg-year-agreement">
    <xsl:param name="year"/>
    <xsl:param name="title"/>
    <xsl:param name="published"/>
    <xsl:variable name="y" select="normalize-space($year)"/>
    <!-- "|2020|2021|": the years (19xx, 20xx, standing alone) the title names -->
    <xsl:variable name="years" select="rg:years(normalize-space($title))"/>
    <xsl:if test="$y != '' and $years != '|' and not(contains($years, concat('|', $y, '|')))">
      <xsl:call-template name="rg-finding">
        <xsl:with-param name="node" select="$title"/>
        <xsl:with-param name="message" select="concat('title ', $rg-apos, normalize-space($title), $rg-apos,
            ' names the year ', substring($years, 2, 4), ', not the document', $rg-apos, 's year ', $y)"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:variable name="py" select="substring(normalize-space($published), 1, 4)"/>
    <xsl:if test="$y != '' and $published and (number($py) &lt; number($y) or number($py) &gt; number($y) + 1)">
      <xsl:call-template name="rg-finding">
        <xsl:with-param name="node" select="$published/.."/>
        <xsl:with-param name="attribute" select="local-name($published)"/>
        <xsl:with-param name="message">
          <xsl:value-of select="concat('publication date ', $rg-apos, normalize-space($published), $rg-apos, ' is ')"/>
          <xsl:choose>
            <xsl:when test="number($py) &lt; number($y)">before</xsl:when>
            <xsl:otherwise>more than a year after</xsl:otherwise>
          </xsl:choose>
          <xsl:value-of select="concat(' the document', $rg-apos, 's year ', $y)"/>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- How often the names (a node-set) occur in text as whole words; text is
       upper case, names are folded to it. -->
  <xsl:template name="rg-count-all">
    <xsl:param name="text"/>
    <xsl:param name="names"/>
    <xsl:param name="i" select="1"/>
    <xsl:choose>
      <xsl:when test="$i &gt; count($names)">0</xsl:when>
      <xsl:otherwise>
        <xsl:variable name="here">
          <xsl:call-template name="rg-count-word">
            <xsl:with-param name="text" select="$text"/>
            <xsl:with-param name="word" select="rg:upper(normalize-space($names[$i]))"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:variable name="more">
          <xsl:call-template name="rg-count-all">
            <xsl:with-param name="text" select="$text"/>
            <xsl:with-param name="names" select="$names"/>
            <xsl:with-param name="i" select="$i + 1"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:value-of select="$here + $more"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Occurrences of word in text with neither a letter nor a digit on
       either side; before is the character that precedes text. -->
  <xsl:template name="rg-count-word">
    <xsl:param name="text"/>
    <xsl:param name="word"/>
    <xsl:param name="before" select="' '"/>
    <xsl:choose>
      <xsl:when test="$word = '' or not(contains($text, $word))">0</xsl:when>
      <xsl:otherwise>
        <xsl:variable name="head" select="substring-before($text, $word)"/>
        <xsl:variable name="lead" select="concat($before, $head)"/>
        <xsl:variable name="prev" select="substring($lead, string-length($lead), 1)"/>
        <xsl:variable name="rest" select="substring($text, string-length($head) + string-length($word) + 1)"/>
        <xsl:variable name="next" select="substring($rest, 1, 1)"/>
        <xsl:variable name="whole"
            select="translate($prev, $rg-alnum, '') != '' and ($next = '' or translate($next, $rg-alnum, '') != '')"/>
        <xsl:variable name="more">
          <xsl:call-template name="rg-count-word">
            <xsl:with-param name="text" select="substring($text, string-length($head) + 2)"/>
            <xsl:with-param name="word" select="$word"/>
            <xsl:with-param name="before" select="substring($word, 1, 1)"/>
          </xsl:call-template>
        </xsl:variable>
        <xsl:value-of select="number($whole) + $more"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
