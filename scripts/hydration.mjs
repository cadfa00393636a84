// The app's start on a phone's first visit: Chromium with 4× CPU throttling (CDP), a fresh
// browser profile per load (cold HTTP and code caches), for each page: the time to load and
// instantiate the bundle ("app-load"), to hydrate the page ("app-hydrate", both User Timing
// marks set by public/pwa.js), the longest main-thread task and the blocking time (the part of
// every long task over 50 ms, as TBT counts it), medians of RUNS loads.
//   node scripts/hydration.mjs <base URL> [runs]   → prints one JSON line
import { createRequire } from "node:module";
const require = createRequire(new URL("../end2end/package.json", import.meta.url));
const { chromium } = require("playwright");

const base = process.argv[2];
const runs = Number(process.argv[3] ?? 7);
const pages = {
  home: "/bg/",
  post: "/bg/posts/summer-art-party-workshop",
  event: "/bg/events/summer-art-party",
};
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]);
};

async function load(path) {
  const context = await browser.newContext({ viewport: { width: 412, height: 915 }, serviceWorkers: "block" });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => window.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
      type: "longtask",
      buffered: true,
    });
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  await page.goto(base + path);
  await page.waitForSelector("body[data-hydrated]", { timeout: 60000 });
  // Let the tasks queued by hydration finish before reading the figures.
  await page.waitForTimeout(500);
  const figures = await page.evaluate(() => {
    const duration = (name) => performance.getEntriesByName(name)[0]?.duration ?? NaN;
    return {
      load: duration("app-load"),
      hydrate: duration("app-hydrate"),
      longest: Math.max(0, ...window.__longTasks),
      blocking: window.__longTasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0),
    };
  });
  await context.close();
  return figures;
}

const result = { cpu_slowdown: 4, runs };
for (const [name, path] of Object.entries(pages)) {
  const samples = [];
  for (let run = 0; run < runs; run++) samples.push(await load(path));
  result[name] = Object.fromEntries(
    ["load", "hydrate", "longest", "blocking"].map((key) => [`${key}_ms`, median(samples.map((s) => s[key]))]),
  );
}
await browser.close();
console.log(JSON.stringify(result));
