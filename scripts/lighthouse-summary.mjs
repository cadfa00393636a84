// Turns the Lighthouse JSON reports of scripts/audit into bench-results/lighthouse.md: the median
// run per page (by performance score), its four category scores and LCP/TBT/CLS, and the
// first-visit download sizes measured by the script.
//   node lighthouse-summary.mjs <reports dir> <runs> post:<css br>:<pwa.js br> event:<wasm br>:<js br>
import { readFileSync } from "node:fs";

const [dir, runs, postSizes, eventSizes] = process.argv.slice(2);
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

const [, cssBr, pwaBr] = postSizes.split(":").map(Number);
const [, wasmBr, bindingsBr] = eventSizes.split(":").map(Number);
const failures = Object.entries(scores).flatMap(([page, s]) =>
  [s.performance < 98 && `${page} performance ${s.performance} < 98`, s.accessibility < 100 && `${page} accessibility`,
   s.bestPractices < 100 && `${page} best practices`, s.seo < 100 && `${page} SEO`].filter(Boolean));
const postTotal = cssBr + pwaBr;
const eventTotal = cssBr + pwaBr + wasmBr + bindingsBr;

console.log(`# Lighthouse ${JSON.parse(readFileSync(`${dir}/home-1.json`, "utf8")).lighthouseVersion}, mobile (${new Date().toISOString().slice(0, 16)}Z)

Release build, Debian Chromium headless, Lighthouse's default mobile emulation (simulated slow 4G,
4× CPU slowdown). Median of ${runs} runs per page by performance score (all runs in brackets).
Targets: performance ≥ 98, accessibility, best practices and SEO 100.

| page | performance | accessibility | best practices | SEO | LCP | TBT | CLS | scripts+CSS transferred |
|---|---|---|---|---|---|---|---|---|
${rows.join("\n")}

${failures.length ? `Below target: ${failures.join("; ")}.` : "Every page meets every target."}

## First visit, brotli (q 11)

| what | post page | event page (has the registration form) |
|---|---|---|
| stylesheet (inline in the HTML) | ${kb(cssBr)} | ${kb(cssBr)} |
| pwa.js | ${kb(pwaBr)} | ${kb(pwaBr)} |
| wasm bindings JS | — | ${kb(bindingsBr)} |
| wasm | — | ${kb(wasmBr)} |
| **total** | **${kb(postTotal)}** | **${kb(eventTotal)}** |

Target ≤ 200 KB. A post page has no island, so it loads no wasm; the event page loads the
registration form's island. After the load event the service worker precaches the bundle in the
background (${kb(wasmBr + bindingsBr)} brotli) so that event pages work offline.`);
