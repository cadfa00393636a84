// Client-side navigation as a phone does it: Chromium with 4× CPU throttling (CDP), time from
// the click on a related item to the new page's heading painted, median of RUNS clicks, without
// prefetch (no service worker, the browser's own cache only) and with it (the worker controls
// the app; the link was pointed at first, as a finger or mouse does before a tap or click).
//   node scripts/client-nav.mjs <base URL> [runs]   → prints one JSON line
import { createRequire } from "node:module";
const require = createRequire(new URL("../end2end/package.json", import.meta.url));
const { chromium } = require("playwright");

const base = process.argv[2];
const runs = Number(process.argv[3] ?? 15);
const start = "/bg/posts/summer-art-party-workshop";
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

async function measure(prefetch) {
  const context = await browser.newContext({
    viewport: { width: 412, height: 915 },
    serviceWorkers: prefetch ? "allow" : "block",
  });
  const page = await context.newPage();
  await page.goto(base + start);
  await page.waitForSelector("body[data-hydrated]");
  if (prefetch) {
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    await page.waitForSelector("body[data-hydrated]");
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  }
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  const times = [];
  for (let run = 0; run < runs; run++) {
    const link = page.locator("[data-testid=related] .card__title a").nth(run % 3);
    const title = (await link.innerText()).trim();
    if (prefetch) {
      // Pointing at the link fetches its data ahead; the worker keeps it (or already has it).
      const slug = (await link.getAttribute("href")).split("/").pop();
      await link.hover();
      await page.waitForFunction(
        (url) => caches.open("data-v1").then((cache) => cache.match(url)).then(Boolean),
        `/api/posts/page?lang=bg&slug=${slug}&`,
      );
    }
    await page.evaluate((title) => {
      window.__navDone = new Promise((resolve) => {
        let clicked = 0;
        document.addEventListener("click", () => (clicked = performance.now()), { capture: true, once: true });
        const painted = () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - clicked), 0));
        const check = () => {
          const heading = document.querySelector("main h1");
          if (clicked && heading && heading.textContent.trim() === title) {
            observer.disconnect();
            painted();
          }
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      });
    }, title);
    await link.click();
    times.push(await page.evaluate(() => window.__navDone));
  }
  await context.close();
  return { median_ms: Math.round(median(times)), min_ms: Math.round(Math.min(...times)), max_ms: Math.round(Math.max(...times)) };
}

const without = await measure(false);
const withPrefetch = await measure(true);
await browser.close();
console.log(JSON.stringify({ runs, cpu_throttling: 4, without_prefetch: without, with_prefetch: withPrefetch }));
