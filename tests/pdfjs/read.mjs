// Reads a PDF as a browser does, with pdf.js (tests/pdfjs/setup.sh installs it):
//   node tests/pdfjs/read.mjs FILE.pdf --text     each page's text, a form feed after each
//   node tests/pdfjs/read.mjs FILE.pdf --struct   each page's structure tree, roles indented
//   node tests/pdfjs/read.mjs FILE.pdf --labels   the page labels, one a line
// Exit 0, or 1 with pdf.js's message on stderr when it cannot read the file.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const build = join(root, "out", "npm", "node_modules", "pdfjs-dist", "legacy", "build", "pdf.mjs");

function usage(msg) {
    process.stderr.write(`read.mjs: ${msg}\nusage: node tests/pdfjs/read.mjs FILE.pdf --text|--struct|--labels\n`);
    process.exit(2);
}

// Text as a reader copies it: items in content order, a line break where
// pdf.js ends a line (hasEOL).
async function text(doc) {
    let out = "";
    for (let i = 1; i <= doc.numPages; i++) {
        const page = await doc.getPage(i);
        const content = await page.getTextContent();
        for (const item of content.items) {
            if (item.str !== undefined)
                out += item.str;
            if (item.hasEOL)
                out += "\n";
        }
        out += "\n\f";
    }
    return out;
}

// One line per node: two spaces a level, the role, then what a screen reader
// is told besides (alt text, language); marked content shows as "content",
// annotations and other objects as "object".
function tree(node, depth, lines) {
    const pad = "  ".repeat(depth);
    if (node.type === "content" || node.type === "object" || node.type === "annotation") {
        lines.push(pad + node.type);
        return;
    }
    let line = pad + node.role;
    if (node.alt !== undefined)
        line += ` alt=${JSON.stringify(node.alt)}`;
    if (node.lang !== undefined)
        line += ` lang=${node.lang}`;
    lines.push(line);
    for (const child of node.children || [])
        tree(child, depth + 1, lines);
}

async function struct(doc) {
    const lines = [];
    for (let i = 1; i <= doc.numPages; i++) {
        const page = await doc.getPage(i);
        const root = await page.getStructTree();
        lines.push(`page ${i}`);
        if (root)
            tree(root, 1, lines);
    }
    return lines.join("\n") + "\n";
}

async function labels(doc) {
    const l = await doc.getPageLabels();
    return l ? l.join("\n") + "\n" : "";
}

const [file, mode] = process.argv.slice(2);
const modes = { "--text": text, "--struct": struct, "--labels": labels };
if (!file || !modes[mode])
    usage("a PDF file and one of --text, --struct, --labels");
// pdf.js warns with console.log: its warnings go to stderr, so stdout holds
// only what was read; the ones it gives on loading, that Node has no canvas
// to draw with, are dropped, as nothing here draws.
console.log = () => {};
let pdfjs;
try {
    pdfjs = await import(build);
    console.log = (...args) => process.stderr.write(args.join(" ") + "\n");
} catch (e) {
    process.stderr.write(`read.mjs: pdf.js is not installed (run tests/pdfjs/setup.sh): ${e.message}\n`);
    process.exit(1);
}
try {
    const data = new Uint8Array(readFileSync(file));
    const doc = await pdfjs.getDocument({ data, verbosity: pdfjs.VerbosityLevel.WARNINGS, isEvalSupported: false,
                                          useSystemFonts: false, stopAtErrors: true }).promise;
    process.stdout.write(await modes[mode](doc));
    await doc.destroy();
} catch (e) {
    process.stderr.write(`read.mjs: ${file}: ${e.message}\n`);
    process.exit(1);
}
