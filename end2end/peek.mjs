// Dev helper (not a test): screenshot a URL in Debian Chromium and print console errors.
import { chromium, devices } from "@playwright/test";
const [url, out, device = "Pixel 7", js = "1", full = "1"] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
const context = await browser.newContext({ ...devices[device], javaScriptEnabled: js === "1", locale: "bg-BG" });
const page = await context.newPage();
page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") console.log("console:", m.type(), m.text()); });
page.on("pageerror", (e) => console.log("pageerror:", e.message));
await page.goto(url);
if (js === "1") await page.waitForSelector("body[data-hydrated]", { timeout: 10000 }).then(() => console.log("hydrated")).catch(() => console.log("NOT hydrated"));
await page.screenshot({ path: out, fullPage: full === "1" });
await browser.close();
