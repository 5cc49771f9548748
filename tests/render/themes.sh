#!/bin/sh
# Themes for any organisation: a theme given by path, its fonts by path and
# its logo from its own folder; the search path REPORTGEN_PATH (a user folder
# adding a kind, a theme and files that templates read with document(),
# searched before the shipped folder). Needs ROOT, BIN, WORK (tests/run.sh).
check() { if [ "$2" = 0 ]; then echo "ok - $1"; else echo "not ok - $1"; [ -n "$3" ] && printf '%s\n' "$3" | sed 's/^/    /'; fi; }
run() { (cd "$ROOT" && $VG "$BIN" "$@" 2>&1); }

# ---- a theme by path: fonts absolute and relative to its folder, a logo beside it
B="$WORK/themes/brand"
mkdir -p "$B/type"
cp "$ROOT/fonts/Lato-Bold.ttf" "$B/type/Brand-Bold.ttf"
cp "$ROOT/tests/images/logo.png" "$B/seal.png"
cat > "$B/brand.xml" <<XML
<theme name="brand">
  <font family="Brand" regular="$ROOT/fonts/Lato-Regular.ttf" bold="type/Brand-Bold.ttf"/>
  <logo src="seal.png" alt="The agency's seal"/>
  <color name="brand" value="#5a2d82"/>
  <style name="body" font="Brand" size="10pt" leading="1.3" color="#222222"/>
  <style name="strong" font="Brand" weight="bold"/>
</theme>
XML
cat > "$WORK/themes/logo.xml" <<'XML'
<document theme="neutral" title="Logo" lang="en-US" created="2024-01-02">
  <page-style name="p" size="letter" margin="54pt"/>
  <section page-style="p">
    <image logo="yes" height="24pt" if-logo="yes"/>
    <p if-logo="no">Shown without a logo.</p>
    <p style="body">Shown always, <b>bold</b>.</p>
  </section>
</document>
XML
out=$(run render "$WORK/themes/logo.xml" --theme "$B/brand.xml" -o "$WORK/themes/logo.pdf"); rc=$?
[ $rc = 0 ] && qpdf --check "$WORK/themes/logo.pdf" >/dev/null 2>&1
check "--theme path/brand.xml: renders (fonts by absolute path and from the theme's folder, a logo)" $? "$out"
imgs=$(pdfimages -list "$WORK/themes/logo.pdf" 2>&1 | tail -n +3 | grep -c .)
txt=$(pdftotext "$WORK/themes/logo.pdf" - 2>&1)
[ "$imgs" = 1 ] && ! echo "$txt" | grep -q 'without a logo' && echo "$txt" | grep -q 'Shown always'
check "the theme's logo is drawn, and if-logo=\"no\" blocks left out ($imgs image)" $? "$txt"
fonts=$(pdffonts "$WORK/themes/logo.pdf" 2>&1)
echo "$fonts" | grep -q 'Lato-Bold' && echo "$fonts" | grep -q 'Lato-Regular'
check "the theme's own family 'Brand' gives both faces, one found from the theme's folder" $? "$fonts"
tr=$(run render "$WORK/themes/logo.xml" --theme "$B/brand.xml" --format trace -o -)
echo "$tr" | grep -q 'image .*file=seal.png alt="The agency.s seal"'
check "the logo's alt text comes from the theme" $? "$tr"
out=$(run render "$WORK/themes/logo.xml" -o "$WORK/themes/nologo.pdf"); rc=$?
imgs=$(pdfimages -list "$WORK/themes/nologo.pdf" 2>&1 | tail -n +3 | grep -c .)
[ $rc = 0 ] && [ "$imgs" = 0 ] && pdftotext "$WORK/themes/nologo.pdf" - | grep -q 'without a logo'
check "the neutral theme has no logo: the guarded image is left out, if-logo=\"no\" shown" $? "$out"
cp "$ROOT/tests/images/logo.jpg" "$B/seal.jpg"
sed 's/seal.png/seal.jpg/' "$B/brand.xml" > "$B/brand-jpeg.xml"
out=$(run render "$WORK/themes/logo.xml" --theme "$B/brand-jpeg.xml" -o "$WORK/themes/jpeg.pdf"); rc=$?
enc=$(pdfimages -list "$WORK/themes/jpeg.pdf" 2>&1 | tail -n +3 | awk '{print $9}')
[ $rc = 0 ] && [ "$enc" = jpeg ]; check "a JPEG logo is embedded as JPEG ($enc)" $? "$out"
out=$(cd "$WORK/themes" && $VG "$BIN" render logo.xml --theme brand/brand.xml -o rel.pdf 2>&1); rc=$?
[ $rc = 0 ]; check "--theme with a relative path (holding '/')" $? "$out"

# ---- the search path
U1="$WORK/user1"; U2="$WORK/user2"; U3="$WORK/user3"
mkdir -p "$U1/templates/themes" "$U1/templates/memo" "$U2/templates/themes" "$U3/templates/common"
for u in "$U1:#5a2d82" "$U2:#0b6e4f"; do
    cat > "${u%%:*}/templates/themes/agency.xml" <<XML
<theme name="agency">
  <font family="Lato" regular="fonts/Lato-Regular.ttf" bold="fonts/Lato-Bold.ttf"/>
  <color name="brand" value="${u#*:}"/>
  <style name="body" font="Lato" size="10pt" leading="1.3" color="#222222"/>
</theme>
XML
done
cat > "$U1/templates/memo/schema.xsd" <<'XML'
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="memo">
    <xs:complexType>
      <xs:simpleContent>
        <xs:extension base="xs:string"><xs:attribute name="theme" type="xs:string"/></xs:extension>
      </xs:simpleContent>
    </xs:complexType>
  </xs:element>
</xs:schema>
XML
cat > "$U1/templates/memo/words.xml" <<'XML'
<words><closing>Filed from the user folder.</closing></words>
XML
cat > "$U1/templates/memo/layout.xsl" <<'XML'
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:rg="urn:reportgen"
    exclude-result-prefixes="rg">
  <xsl:import href="../common/rules.xsl"/>
  <xsl:template match="/memo">
    <document title="Memo" lang="en-US" theme="{@theme}">
      <page-style name="p" size="letter" margin="54pt"/>
      <section page-style="p">
        <h level="1" color="brand"><xsl:value-of select="."/></h>
        <p><xsl:value-of select="document('words.xml')/words/closing"/></p>
        <p>States known: <xsl:value-of select="count(document('../common/states.xml')//state)"/>.</p>
        <p>Dated <xsl:call-template name="rg-long-date"><xsl:with-param name="iso" select="'2024-03-05'"/></xsl:call-template>.</p>
      </section>
    </document>
  </xsl:template>
</xsl:stylesheet>
XML
printf '<memo theme="agency">A kind from a user folder</memo>\n' > "$WORK/memo.xml"
tr=$(cd "$ROOT" && REPORTGEN_PATH="$U1" $VG "$BIN" render "$WORK/memo.xml" --format trace -o - 2>&1); rc=$?
[ $rc = 0 ] && echo "$tr" | grep -q '"Filed from the user folder."' && echo "$tr" | grep -q 'States known: 51' \
    && echo "$tr" | grep -q 'March 5, 2024' && echo "$tr" | grep -q 'color=#5a2d82'
check "REPORTGEN_PATH: a new kind, its theme, document() of its own file and of the shipped states, xsl:import of the shipped rules" $? "$tr"
tr=$(cd "$ROOT" && REPORTGEN_PATH="$U2:$U1" $VG "$BIN" render "$WORK/memo.xml" --format trace -o - 2>&1)
echo "$tr" | grep -q 'color=#0b6e4f'; check "REPORTGEN_PATH=user2:user1: user2's theme wins" $? "$tr"
tr=$(cd "$ROOT" && REPORTGEN_PATH="$U1:$U2" $VG "$BIN" render "$WORK/memo.xml" --format trace -o - 2>&1)
echo "$tr" | grep -q 'color=#5a2d82'; check "REPORTGEN_PATH=user1:user2: user1's theme wins" $? "$tr"
out=$(run render "$WORK/memo.xml" --format trace -o -); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q "unknown document kind 'memo'"
check "without REPORTGEN_PATH the kind is unknown" $? "$out"
# One shipped file replaced: a list of states without Utah, read by the
# shipped check rules through document().
grep -v 'Utah' "$ROOT/templates/common/states.xml" > "$U3/templates/common/states.xml"
out=$(run check data/ct-press-release.xml)
echo "$out" | grep -q "state 'Utah'"; check "the shipped list of states flags Utah in the release" $? "$out"
out=$(cd "$ROOT" && REPORTGEN_PATH="$U3" $VG "$BIN" check data/ct-press-release.xml 2>&1)
! echo "$out" | grep -q "state 'Utah'" && echo "$out" | grep -q "goes nowhere"
check "REPORTGEN_PATH with one states.xml: the shipped check rules read it" $? "$out"
out=$(cd "$ROOT" && REPORTGEN_PATH="$U3" $VG "$BIN" render data/ct-press-release.xml -o "$WORK/u3.pdf" --theme agency 2>&1); rc=$?
[ $rc = 2 ] && echo "$out" | grep -q "unknown theme 'agency' (themes: general-assembly, .*neutral, sharedhope)"
check "a theme in no folder: a usage error (exit 2) whose message lists every folder's themes" $? "$out"
out=$(cd "$ROOT" && REPORTGEN_PATH="$U1" $VG "$BIN" render data/ct-press-release.xml -o "$WORK/u1.pdf" --theme nosuch 2>&1)
echo "$out" | grep -q "(themes: agency, general-assembly, .*neutral, sharedhope)"
check "the themes of the user folders are listed too" $? "$out"
"$BIN" --help | grep -q 'REPORTGEN_PATH' && "$BIN" --help | grep -q -- '--theme NAME|FILE'
check "--help describes REPORTGEN_PATH and --theme FILE" $?

# The neutral theme carries every shipped kind's styles: each seed renders in
# it, and pdf-layout-check finds nothing.
TOOLS="$ROOT/../shared/tools"
for f in ct-2021-card ct-analysis ct-progress-brief ct-press-release tip-2021-annual; do
    out=$(run render "data/$f.xml" --theme neutral -o "$WORK/neutral-$f.pdf"); rc=$?
    [ $rc = 0 ] && qpdf --check "$WORK/neutral-$f.pdf" >/dev/null 2>&1 \
        && pdffonts "$WORK/neutral-$f.pdf" | tail -n +3 | grep -q 'Lato' && ! pdffonts "$WORK/neutral-$f.pdf" | grep -q 'Black'
    check "$f renders in the neutral theme (Lato, no Lato Black)" $? "$out"
    if [ -x "$TOOLS/pdf-layout-check" ] && [ -f "$WORK/neutral-$f.pdf" ]; then
        out=$("$TOOLS/pdf-layout-check" "$WORK/neutral-$f.pdf" 2>&1)
        check "$f in the neutral theme: pdf-layout-check finds nothing" $? "$out"
    fi
done

# Brands: a document naming no theme gets its organisation's brand from
# templates/common/brands.xml; a user folder's brands.xml adds an agency's.
U5="$WORK/user5"
mkdir -p "$U5/templates/common" "$U5/templates/themes"
cat > "$U5/templates/themes/agency.xml" <<'XML'
<theme name="agency">
  <font family="Lato" regular="fonts/Lato-Regular.ttf" bold="fonts/Lato-Bold.ttf" italic="fonts/Lato-Italic.ttf"/>
  <color name="brand" value="#5a2d82"/>
  <color name="accent" value="#5a2d82"/>
  <color name="link" value="#1d5a8c"/>
  <color name="text" value="#222222"/>
  <color name="muted" value="#555555"/>
  <color name="rule" value="#cccccc"/>
  <color name="tint" value="#f2eef6"/>
  <color name="on-brand" value="#ffffff"/>
  <style name="body" font="Lato" size="9pt" leading="1.25" color="text"/>
</theme>
XML
cat > "$U5/templates/common/brands.xml" <<'XML'
<brands>
  <brand organization="Shared Hope International" theme="sharedhope"/>
  <brand organization="Vermont Office of Youth Safety" theme="agency"/>
</brands>
XML
tr=$(run render data/sample-release-agency.xml --format trace -o -)
echo "$tr" | sed -n 3p | grep -q 'fill=#2e3338'; check "an organisation without a brand: the neutral theme" $? "$(echo "$tr" | sed -n 3p)"
tr=$(cd "$ROOT" && REPORTGEN_PATH="$U5" $VG "$BIN" render data/sample-release-agency.xml --format trace -o - 2>&1)
echo "$tr" | sed -n 3p | grep -q 'fill=#5a2d82'; check "a user folder's brands.xml gives the agency its theme" $? "$(echo "$tr" | sed -n 3p)"
for f in ct-analysis ct-progress-brief ct-press-release; do
    tr=$(run render "data/$f.xml" --format trace -o - 2>/dev/null)
    echo "$tr" | grep -q 'Lato-Black'; check "$f names no theme: Shared Hope International's brand, sharedhope (Lato Black)" $?
done

# A font file from a user folder: the shipped theme's fonts/Lato-Black.ttf,
# replaced there by another face, is the one used.
U4="$WORK/user4"
mkdir -p "$U4/fonts" && cp "$ROOT/fonts/LiberationSerif-Bold.ttf" "$U4/fonts/Lato-Black.ttf"
tr=$(cd "$ROOT" && REPORTGEN_PATH="$U4" $VG "$BIN" render data/ct-press-release.xml --format trace -o - 2>/dev/null)
echo "$tr" | grep -q 'font=LiberationSerif-Bold size=17.000 color=#ffffff role=p "SHARED HOPE INTERNATIONAL"'
check "REPORTGEN_PATH: a theme's font file is taken from the user folder first" $? "$(echo "$tr" | head -5)"

# A brand that extends the neutral theme states only what it changes (its
# colours and one style) in a user folder, and every kind renders in it,
# clean; its own colour and style are used, the rest comes from neutral.
U6="$WORK/user6"
mkdir -p "$U6/templates/themes" && cat > "$U6/templates/themes/acme.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<theme name="acme" extends="neutral">
  <color name="brand" value="#7a1f2b"/>
  <style name="footer" font="Lato" font-style="italic" size="7pt" color="brand"/>
</theme>
XML
for f in ct-2021-card tx-2025-card tip-2021-annual ct-press-release ct-analysis ct-progress-brief; do
    pdf="$WORK/acme-$f.pdf"
    out=$(cd "$ROOT" && REPORTGEN_PATH="$U6" $VG "$BIN" render "data/$f.xml" --theme acme -o "$pdf" 2>&1 >/dev/null)
    tr=$(cd "$ROOT" && REPORTGEN_PATH="$U6" "$BIN" render "data/$f.xml" --theme acme --format trace -o - 2>/dev/null)
    if [ -x "$ROOT/../shared/tools/pdf-layout-check" ]; then
        lc=$("$ROOT/../shared/tools/pdf-layout-check" "$pdf" 2>&1 | tail -1)
    else # (without ../shared: the colour only)
        lc=" 0 off-page, 0 margin, 0 overlap, 0 empty"
    fi
    printf '%s\n' "$tr" | grep -q '#7a1f2b' && printf '%s\n' "$lc" | grep -q ' 0 off-page, 0 margin, 0 overlap, 0 empty$'
    check "$f in a brand of two lines on the neutral theme: its colour, laid out clean" $? "$out$lc"
done
for th in sharedhope general-assembly harbor-light; do
    bad=""
    for f in ct-2021-card tip-2021-annual ct-press-release ct-analysis ct-progress-brief; do
        (cd "$ROOT" && "$BIN" render "data/$f.xml" --theme "$th" -o "$WORK/any.pdf" >/dev/null 2>&1) || bad="$bad $f"
    done
    [ -z "$bad" ]; check "every kind renders in the shipped theme '$th' (it extends neutral)" $? "failed:$bad"
done
