// Turns the Lighthouse JSON reports of scripts/audit into bench-results/lighthouse.md: the median
// run per page (by performance score), its four category scores and LCP/TBT/CLS, and the
// first-visit download sizes measured by the script.
//   node lighthouse-summary.mjs <reports dir> <runs> <post HTML br>:<post HTML raw> <pwa.js br>:<wasm br>:<bindings br>
import { readFileSync } from "node:fs";

const [dir, runs, htmlSizes, bundleSizes] = process.argv.slice(2);
const pages = ["home", "post", "event"];
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const rows = [];
const scores = {};
for (const page of pages) {
  const reports = [];
  for (let run = 1; run <= Number(runs); run++) {
    reports.push(JSON.parse(readFileSync(`${dir}/${page}-${run}.json`, "utf8")));
  }
  reports.sort((a, b) => a.categories.performance.score - b.categories.performance.score);
  const median = reports[Math.floor(reports.length / 2)];
  const score = (id) => Math.round(median.categories[id].score * 100);
  const audit = (id) => median.audits[id].numericValue;
  const all = reports.map((r) => Math.round(r.categories.performance.score * 100)).join(", ");
  const transferred = median.audits["network-requests"].details.items
    .filter((item) => ["Script", "Stylesheet", "Fetch", "Other"].includes(item.resourceType) || item.url.endsWith(".wasm"))
    .reduce((sum, item) => sum + item.transferSize, 0);
  scores[page] = { performance: score("performance"), accessibility: score("accessibility"), bestPractices: score("best-practices"), seo: score("seo") };
  rows.push(
    `| ${page} | ${score("performance")} (${all}) | ${score("accessibility")} | ${score("best-practices")} | ${score("seo")} ` +
      `| ${(audit("largest-contentful-paint") / 1000).toFixed(2)} s | ${Math.round(audit("total-blocking-time"))} ms ` +
      `| ${audit("cumulative-layout-shift").toFixed(3)} | ${kb(transferred)} |`,
  );
}

const [htmlBr, htmlRaw] = htmlSizes.split(":").map(Number);
const [pwaBr, wasmBr, bindingsBr] = bundleSizes.split(":").map(Number);
const failures = Object.entries(scores).flatMap(([page, s]) =>
  [s.performance < 98 && `${page} performance ${s.performance} < 98`, s.accessibility < 100 && `${page} accessibility`,
   s.bestPractices < 100 && `${page} best practices`, s.seo < 100 && `${page} SEO`].filter(Boolean));
const bundle = pwaBr + wasmBr + bindingsBr;

console.log(`# Lighthouse ${JSON.parse(readFileSync(`${dir}/home-1.json`, "utf8")).lighthouseVersion}, mobile (${new Date().toISOString().slice(0, 16)}Z)

Release build, Debian Chromium headless, Lighthouse's default mobile emulation (simulated slow 4G,
4× CPU slowdown). Median of ${runs} runs per page by performance score (all runs in brackets).
Every page loads and hydrates the single-page app within the measured load (after its own
\`load\` event). Targets: performance ≥ 98, accessibility, best practices and SEO 100.

| page | performance | accessibility | best practices | SEO | LCP | TBT | CLS | scripts+CSS transferred |
|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}

${failures.length ? `Below target: ${failures.join("; ")}.` : "Every page meets every target."}

## First visit of a post page, brotli

| what | bytes |
|---|---|
| HTML with the inline stylesheet and its hydration data (as sent, brotli q11) | ${kb(htmlBr)} (${kb(htmlRaw)} raw) |

Target ≤ 14 KB: one round trip paints the page; nothing else blocks rendering.

## The app bundle (every page, after load), brotli q11

| what | bytes |
|---|---|
| pwa.js | ${kb(pwaBr)} |
| wasm bindings JS | ${kb(bindingsBr)} |
| wasm | ${kb(wasmBr)} |
| **total** | **${kb(bundle)}** |

Target ≤ 250 KB.`);
