// What pdf.js (a browser's PDF viewer) reads from a PDF, for the tests:
//   PDFJS=DIR node pdfjs.mjs labels FILE.pdf   the page labels, comma-separated
//   PDFJS=DIR node pdfjs.mjs text FILE.pdf     each page's getTextContent: its items
//                                              in order, a line break where hasEOL
// DIR is the pdfjs-dist package (npm install --prefix out/npm pdfjs-dist@4).
const { getDocument } = await import(`${process.env.PDFJS}/legacy/build/pdf.mjs`);
const [what, file] = process.argv.slice(2);
const doc = await getDocument({ url: file, verbosity: 0 }).promise;
if (what === "labels") {
  console.log((await doc.getPageLabels() || []).join(","));
} else {
  for (let i = 1; i <= doc.numPages; i++) {
    const tc = await (await doc.getPage(i)).getTextContent();
    process.stdout.write(tc.items.map((it) => it.str + (it.hasEOL ? "\n" : "")).join("") + "\n");
  }
}
