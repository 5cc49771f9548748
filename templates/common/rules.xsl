<?xml version="1.0" encoding="UTF-8"?>
<!-- Rules and helpers shared by the check and layout templates of the Shared
     Hope kinds (progress-brief, press-release, analysis) and open to user
     templates, imported with <xsl:import href="../common/rules.xsl"/>: all
     of state-rules.xsl (findings, other states, state names, years) and
     text.xsl (links, grade letters, dates). Not a document kind. A
     stylesheet that calls only one part may import that file alone.

     rg-finding         a warning (or an error) at a node: its line, element and attribute
     rg-other-states    the name of another US state or DC in a document about
                        one state, outside <comparison> (states.xml beside this file);
                        a phrase or list naming every state is no finding
     rg-state-name      a state name that is not one of states.xml, with the
                        nearest one suggested ("did you mean 'Texas'?")
     rg-year-agreement  the year of a document, the years its title names and
                        its publication date agree
     rg-check-link      a link (or an address in another attribute) that is
                        empty, "#", or not a well-formed http(s) URL or bare domain
     rg-link-target     what a layout links to: the address, "https://" + a bare
                        domain, or nothing for an address that would go nowhere
     rg-grade-letters   the standalone grade letters of a text ("from an F to a B": FB)
     rg-a-grade         "an 'F'", "a 'C'"
     rg-long-date       "August 1, 2019" from 2019-08-01

     Every finding is a warning unless the caller asks for an error: the documents are published as written, and
     check strict turns warnings into errors for those who want a clean copy. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="state-rules.xsl"/>
  <xsl:import href="text.xsl"/>
</xsl:stylesheet>
