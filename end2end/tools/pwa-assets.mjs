// Renders the PWA's icons from public/favicon.svg and its manifest screenshots from the site
// at BASE_URL into public/ (run by scripts/pwa-assets; the PNGs are committed).
import { chromium } from "@playwright/test";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const publicDir = fileURLToPath(new URL("../../public/", import.meta.url));
const baseUrl = process.env.BASE_URL ?? "http://127.0.0.1:3000";
const source = readFileSync(`${publicDir}favicon.svg`);
const mark = `data:image/svg+xml;base64,${source.toString("base64")}`;
const brandGreen = "#0b5d4b";

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu"],
});

async function icon(file, size, { background, scale }) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const inset = ((1 - scale) / 2) * 100;
  await page.setContent(`<html><body style="margin:0;background:${background ?? "transparent"}">
    <img src="${mark}" style="display:block;width:${scale * 100}vw;height:${scale * 100}vh;margin:${inset}vh ${inset}vw">
    </body></html>`);
  await page.screenshot({ path: `${publicDir}icons/${file}`, omitBackground: !background });
  await page.close();
}

// "any": the round mark on transparency. Maskable and Apple: full bleed, the mark inside the
// safe zone (the central 80 % circle) so any launcher mask keeps it whole.
await icon("icon-192.png", 192, { scale: 1 });
await icon("icon-512.png", 512, { scale: 1 });
await icon("maskable-192.png", 192, { background: brandGreen, scale: 0.72 });
await icon("maskable-512.png", 512, { background: brandGreen, scale: 0.72 });
await icon("apple-touch-icon.png", 180, { background: brandGreen, scale: 0.8 });

async function screenshot(file, lang, viewport, deviceScaleFactor) {
  const page = await browser.newPage({ viewport, deviceScaleFactor, locale: lang });
  await page.goto(`${baseUrl}/${lang}/`);
  // JPEG: a photo-like page shot is a quarter of the PNG's size for the install dialog.
  await page.screenshot({ path: `${publicDir}screenshots/${file}`, type: "jpeg", quality: 82 });
  await page.close();
}

for (const lang of ["bg", "en"]) {
  await screenshot(`phone-${lang}.jpg`, lang, { width: 412, height: 892 }, 2);
  await screenshot(`desktop-${lang}.jpg`, lang, { width: 1280, height: 800 }, 1);
}
await browser.close();
