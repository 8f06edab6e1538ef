// Renders Mermaid flowcharts written by procdef with mermaid-cli (headless
// Chromium) and checks the drawing: mmdc must succeed, and the SVG must hold
// one node per node line of the chart, under the node's id, and one edge per
// arrow, so that no id was read as a keyword or an arrow head.
//
//   node mermaid.mjs MMDC PUPPETEER_CONFIG OUT_DIR CHART.mmd ...
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";

const [mmdc, puppeteerConfig, outDir, ...charts] = process.argv.slice(2);
if (!mmdc || !puppeteerConfig || !outDir || charts.length === 0) {
  console.error("usage: node mermaid.mjs MMDC PUPPETEER_CONFIG OUT_DIR CHART.mmd ...");
  process.exit(2);
}

let failures = 0;
for (const chart of charts) {
  const svgPath = join(outDir, basename(chart).replace(/\.mmd$/, "") + ".svg");
  try {
    execFileSync(mmdc, ["--quiet", "-p", puppeteerConfig, "-i", chart, "-o", svgPath], { stdio: ["ignore", "ignore", "pipe"] });
  } catch (e) {
    console.error(`${chart}: mmdc failed: ${e.stderr}`);
    failures++;
    continue;
  }
  const text = readFileSync(chart, "utf8").split("\n");
  // `  id["Title"]`, `  id(["Title"])`, `  id(("Title"))`.
  const nodes = text.map((l) => /^  (\S+?)(\[|\(\[|\(\()"/.exec(l)).filter(Boolean).map((m) => m[1]);
  const arrows = text.filter((l) => /(-->|-\.->)\|/.test(l)).length;
  const svg = readFileSync(svgPath, "utf8");
  const drawn = new Set([...svg.matchAll(/<g class="node [^"]*" id="[^"]*?flowchart-(.+?)-\d+"/g)].map((m) => m[1]));
  const edges = [...svg.matchAll(/<path [^>]*id="[^"]*L_[^"]*"/g)].length;
  const missing = nodes.filter((n) => !drawn.has(n));
  if (missing.length > 0 || drawn.size !== nodes.length) {
    console.error(`${chart}: ${nodes.length} nodes written, ${drawn.size} drawn; not drawn: ${missing.join(", ")}`);
    failures++;
  }
  if (edges !== arrows) {
    console.error(`${chart}: ${arrows} arrows written, ${edges} edges drawn`);
    failures++;
  }
  if (/Syntax error|Parse error/.test(svg)) {
    console.error(`${chart}: the SVG shows an error`);
    failures++;
  }
}
if (failures > 0) process.exit(1);
console.log(`mermaid-cli: ${charts.length} charts drawn, every node and edge in place`);
