// Writes an npm package folder whose dist/cli.js.map embeds ~2,000 real source files (Python's
// standard library and the C headers on this machine) in sourcesContent, as a bundler would:
// dist/cli.js is their concatenation, package.json says UNLICENSED. Usage:
//   node make-sourcemap-package.mjs OUT_DIR [MAP_MIB=60] [SOURCES=2000]
import { readdirSync, readFileSync, statSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const [out, mapMiB = "60", sourceCount = "2000"] = process.argv.slice(2);
const targetBytes = Number(mapMiB) * 1024 * 1024;
const wanted = Number(sourceCount);
const roots = ["/usr/lib/python3.11", "/usr/include"];

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile() && /\.(py|h)$/.test(entry.name)) yield path;
  }
}

// Spread the byte target over the wanted number of files: skip files too small to get there.
const minSize = Math.floor(targetBytes / wanted / 5);
const sources = [], contents = [];
let bytes = 0;
for (const root of roots) {
  for (const path of files(root)) {
    if (sources.length >= wanted || bytes >= targetBytes) break;
    const size = statSync(path).size;
    if (size < minSize || size > 4 * 1024 * 1024) continue;
    const text = readFileSync(path, "utf8");
    // One in ten is a bundled dependency, as in a real CLI bundle.
    const name = sources.length % 10 === 9 ? `../node_modules/${relative("/", path)}` : `../src/${relative("/", path)}`;
    sources.push(name);
    contents.push(text);
    // The map's bytes: the escaped source, plus its mappings (one segment per line).
    bytes += Buffer.byteLength(JSON.stringify(text)) + 5 * text.split("\n").length;
  }
}
const mappings = contents.map(c => "AACA;".repeat(c.split("\n").length)).join("");
mkdirSync(join(out, "package", "dist"), { recursive: true });
writeFileSync(join(out, "package", "package.json"), JSON.stringify({ name: "@acme/big-cli", version: "9.9.9", license: "UNLICENSED", bin: "dist/cli.js" }, null, 2));
writeFileSync(join(out, "package", "dist", "cli.js"), contents.join("\n") + "\n//# sourceMappingURL=cli.js.map\n");
writeFileSync(join(out, "package", "dist", "cli.js.map"), JSON.stringify({ version: 3, file: "cli.js", sources, sourcesContent: contents, names: [], mappings }));
console.log(`${sources.length} sources, ${(bytes / 1048576).toFixed(1)} MiB of source map`);
