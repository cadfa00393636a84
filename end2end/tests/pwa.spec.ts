import { chromium, devices, expect, type Page } from "@playwright/test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fillForm, open, screenshot, test } from "./helpers";

// The installable app needs JavaScript: these journeys run in the hydrated projects.
test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, "a service worker needs JavaScript");

/** Waits for the service worker, then reloads so that it controls the page. */
async function openControlled(page: Page, path: string, info: Parameters<typeof open>[1]) {
  await open(page, info, path);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await page.reload();
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(bytes: Buffer) {
  expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

/** Width and height of a PNG or a JPEG (from its start-of-frame marker). */
function imageSize(bytes: Buffer) {
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return pngSize(bytes);
  let at = 2;
  while (at < bytes.length) {
    const marker = bytes[at + 1];
    const length = bytes.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xc3) return `${bytes.readUInt16BE(at + 7)}x${bytes.readUInt16BE(at + 5)}`;
    at += 2 + length;
  }
  throw new Error("no JPEG frame header");
}

test.describe("the installable portal", () => {
  // The two offline registrations share the project's event: one at a time.
  test.describe.configure({ mode: "serial" });
  for (const [lang, manifestPath, name] of [
    ["bg", "/manifest.webmanifest", "НПО портал"],
    ["en", "/manifest.en.webmanifest", "NGO portal"],
  ] as const) {
    test(`links a valid ${lang} manifest and reports no installability errors`, async ({ browserName }, info) => {
      expect(browserName).toBe("chromium");
      // Chromium never offers installation in a throwaway (incognito) context: use a profile.
      const use = info.project.use;
      const profile = mkdtempSync(join(tmpdir(), "ngo-portal-profile-"));
      const context = await chromium.launchPersistentContext(profile, {
        executablePath: use.launchOptions?.executablePath,
        args: use.launchOptions?.args,
        viewport: use.viewport,
        userAgent: use.userAgent,
        deviceScaleFactor: use.deviceScaleFactor,
        isMobile: use.isMobile,
        hasTouch: use.hasTouch,
        baseURL: use.baseURL,
        locale: use.locale,
      });
      try {
        const page = context.pages()[0] ?? (await context.newPage());
        await open(page, info, `/${lang}/`);
        await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", manifestPath);
        const response = await page.request.get(manifestPath);
        expect(response.headers()["content-type"]).toContain("application/manifest+json");
        const manifest = await response.json();
        expect(manifest).toMatchObject({
          short_name: name,
          lang,
          start_url: `/${lang}/?source=pwa`,
          scope: "/",
          display: "standalone",
        });
        for (const icon of manifest.icons.filter((i: { type: string }) => i.type === "image/png")) {
          const bytes = await (await page.request.get(icon.src)).body();
          expect(pngSize(bytes), icon.src).toBe(icon.sizes);
        }
        const purposes = manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`);
        expect(purposes).toEqual(expect.arrayContaining(["192x192 any", "512x512 any", "512x512 maskable"]));
        for (const shot of manifest.screenshots) {
          expect(imageSize(await (await page.request.get(shot.src)).body()), shot.src).toBe(shot.sizes);
        }
        for (const shortcut of manifest.shortcuts) {
          expect((await page.request.get(shortcut.url)).status(), shortcut.url).toBe(200);
        }
        const touchIcon = await page.locator('link[rel="apple-touch-icon"]').getAttribute("href");
        expect(pngSize(await (await page.request.get(touchIcon!)).body())).toBe("180x180");

        const cdp = await context.newCDPSession(page);
        await expect
          .poll(async () => (await cdp.send("Page.getInstallabilityErrors")).installabilityErrors)
          .toEqual([]);
        // The browser offers installation, and the portal its install button.
        await expect(page.locator("#install-button")).toBeVisible();
        await screenshot(page, info, `install-offered-${lang}`);
      } finally {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      }
    });
  }

  test("the service worker controls the page after a reload", async ({ page }, info) => {
    await openControlled(page, "/bg/", info);
    const scope = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.scope));
    expect(new URL(scope).pathname).toBe("/");
    // Not an iPhone: no home-screen instructions.
    await expect(page.locator("#notice-ios")).toBeHidden();
  });

  test("offline, a visited post or event still renders and an unvisited one shows the offline page", async ({ page, context }, info) => {
    await openControlled(page, "/bg/", info);
    await open(page, info, "/bg/posts/summer-art-party-workshop");
    const title = await page.locator("h1").innerText();
    await open(page, info, "/en/posts/summer-art-party-workshop");
    const event = `/bg/events/e2e-offline-${info.project.name}`;
    await open(page, info, event);
    const eventTitle = await page.locator("h1").innerText();

    await context.setOffline(true);
    try {
      await page.goto(event);
      await expect(page.locator("h1")).toHaveText(eventTitle);
      await expect(page.locator("#registration-heading")).toBeVisible();

      await page.goto("/bg/posts/summer-art-party-workshop");
      await expect(page.locator("h1")).toHaveText(title);
      await expect(page.getByTestId("related").locator(".card")).toHaveCount(3);
      await expect(page.locator("#notice-offline")).toBeVisible();

      await page.goto("/bg/posts/ngo-grants-guide-2025");
      await expect(page.getByTestId("offline-page").locator("h1")).toHaveText("Няма връзка с интернет");
      await screenshot(page, info, "offline-bg");

      await page.goto("/en/posts/ngo-grants-guide-2025");
      await expect(page.getByTestId("offline-page").locator("h1")).toHaveText("You are offline");
    } finally {
      await context.setOffline(false);
    }
  });

  test("offline, the app moves between the pages seen before without loading a document, and shows its offline view for others", async ({ page, context }, info) => {
    await openControlled(page, "/bg/", info);
    const documents: string[] = [];
    page.on("request", (request) => {
      if (request.resourceType() === "document") documents.push(request.url());
    });
    const heading = page.locator("main h1");
    const cards = page.locator("[aria-labelledby=latest-heading] .card h3 a");
    const home = page.locator(".site-nav a", { hasText: "Начало" });
    const events = page.locator(".site-nav a", { hasText: "Събития" });
    const [first, second, unseen] = await Promise.all([0, 1, 2].map((i) => cards.nth(i).innerText()));
    await cards.nth(0).click();
    await expect(heading).toHaveText(first);
    await home.click();
    await cards.nth(1).click();
    await expect(heading).toHaveText(second);
    await events.click();
    const event = page.locator(".event-card h3 a").first();
    const eventTitle = await event.innerText();
    await event.click();
    await expect(heading).toHaveText(eventTitle);

    await context.setOffline(true);
    try {
      await home.click();
      await expect(cards).toHaveCount(6);
      await cards.nth(0).click();
      await expect(heading).toHaveText(first);
      await expect(page.getByTestId("related").locator(".card")).toHaveCount(3);
      await page.goBack();
      await cards.nth(1).click();
      await expect(heading).toHaveText(second);
      await events.click();
      await page.locator(".event-card h3 a", { hasText: eventTitle }).click();
      await expect(heading).toHaveText(eventTitle);
      await expect(page.locator("#registration-heading")).toBeVisible();
      await home.click();
      await page.locator("[aria-labelledby=latest-heading] .card h3 a", { hasText: unseen }).click();
      await expect(page.getByTestId("offline-page").locator("h1")).toHaveText("Няма връзка с интернет");
      await screenshot(page, info, "offline-in-app-bg");
      expect(documents, "the app never left its document").toEqual([]);
    } finally {
      await context.setOffline(false);
    }
  });

  test("a post pointed at is fetched ahead, at the very address the app asks when it is opened", async ({ page }, info) => {
    await openControlled(page, "/bg/posts/summer-art-party-workshop", info);
    const asked: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/api/posts/page") asked.push(request.url());
    });
    const link = page.getByTestId("related").locator(".card h3 a").first();
    const slug = (await link.getAttribute("href"))!.split("/").pop()!;
    const title = await link.innerText();
    await link.hover();
    const forSlug = (url: string) => new URL(url).searchParams.get("slug") === slug;
    await expect.poll(() => asked.find(forSlug)).toBeTruthy();
    const ahead = asked.find(forSlug)!;
    // The worker keeps it, so the click finds it at once.
    await expect
      .poll(() => page.evaluate((url) => caches.open("data-v1").then((c) => c.match(url)).then(Boolean), ahead))
      .toBe(true);
    const before = asked.length;
    await link.click();
    await expect(page.locator("main h1")).toHaveText(title);
    // The app asked exactly what was fetched ahead (and nothing else for the post).
    expect(asked.slice(before).filter(forSlug)).toEqual([ahead]);
  });

  test("a registration made offline is delivered once the connection returns, exactly once", async ({ page, context }, info) => {
    const slug = `e2e-offline-${info.project.name}`;
    const seatsLeft = async () => {
      const availability = await (await page.request.get(`/api/events/${slug}/availability`)).json();
      return availability.capacity - availability.confirmed;
    };
    await openControlled(page, `/bg/events/${slug}`, info);
    const before = await seatsLeft();

    await fillForm(page, { name: "Елена Петрова", email: "elena@example.bg", phone: "0877 555 666" }, [
      { name: "Дара", age: "7" },
      { name: "Калин", age: "10" },
    ]);

    await context.setOffline(true);
    await page.getByRole("button", { name: "Запиши децата" }).click();
    // The parent is told it waits, and nothing typed is lost.
    await expect(page.getByTestId("form-error")).toContainText("запазена на това устройство");
    await expect(page.getByTestId("notice-queued")).toBeVisible();
    await expect(page.locator("#child-1-name")).toHaveValue("Калин");
    await screenshot(page, info, "registration-queued-bg");
    expect(await seatsLeft()).toBe(before);

    await context.setOffline(false);
    const delivered = page.getByTestId("notice-delivered");
    await expect(delivered).toBeVisible({ timeout: 15_000 });
    await expect(page.getByTestId("notice-queued")).toBeHidden();
    expect(await seatsLeft()).toBe(before - 2);

    // Another replay (a new page, the connection "returning" again) sends nothing twice.
    await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active?.postMessage({ type: "replay" })));
    await page.reload();
    await page.evaluate(() => window.dispatchEvent(new Event("online")));
    await page.waitForTimeout(500);
    expect(await seatsLeft()).toBe(before - 2);

    await context.setOffline(true);
    await context.setOffline(false);
    await open(page, info, `/bg/events/${slug}`);
    expect(await seatsLeft()).toBe(before - 2);
  });

  test("the confirmation link of a registration delivered later opens the registration", async ({ page, context }, info) => {
    const slug = `e2e-offline-${info.project.name}`;
    await openControlled(page, `/en/events/${slug}`, info);
    await fillForm(page, { name: "Anna Smith", email: "anna@example.com", phone: "+359 878 000 111" }, [{ name: "Leo", age: "8" }]);
    await context.setOffline(true);
    await page.getByRole("button", { name: "Register the children" }).click();
    await expect(page.getByTestId("form-error")).toContainText("saved on this device");
    await context.setOffline(false);
    await page.locator("#notice-delivered-link").click();
    await expect(page).toHaveURL(/\/en\/registrations\/[A-Za-z0-9_-]{20,}$/);
    await expect(page.getByTestId("registration-status")).toHaveText(/You are registered/);
  });
  test("a second registration from the kept copy of an event page is one of its own", async ({ page, context }, info) => {
    const slug = `e2e-offline-${info.project.name}`;
    const event = `/bg/events/${slug}`;
    await openControlled(page, event, info);
    const register = async (child: string) => {
      await fillForm(page, { name: "Иван Иванов", email: "same.parent@example.bg", phone: "0877 123 123" }, [
        { name: child, age: "6" },
      ]);
      await page.getByRole("button", { name: "Запиши децата" }).click();
    };
    await register("Радо");
    await expect(page.getByTestId("registration-status")).toBeVisible();

    // Offline, the event page is the copy kept when it was last seen: the one just used.
    await context.setOffline(true);
    await page.goto(event);
    await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
    await register("Сия");
    await expect(page.getByTestId("notice-queued")).toBeVisible();
    await context.setOffline(false);
    await page.locator("#notice-delivered-link").click();
    await expect(page.locator(".registration-page")).toContainText("Сия (6)");
    await expect(page.locator(".registration-page")).not.toContainText("Радо");
  });
  test("Safari on an iPhone is told how to add the portal to the home screen, until it says no", async ({ browser }, info) => {
    const { userAgent, viewport, deviceScaleFactor, isMobile, hasTouch } = devices["iPhone 13"];
    const context = await browser.newContext({ userAgent, viewport, deviceScaleFactor, isMobile, hasTouch, locale: "bg-BG" });
    try {
      const page = await context.newPage();
      await open(page, info, "/bg/");
      const hint = page.locator("#notice-ios");
      await expect(hint).toContainText("Добави към началния екран");
      await expect(page.locator("#install-button")).toBeHidden();
      await screenshot(page, info, "ios-install-hint-bg");
      await page.locator("#ios-dismiss").click();
      await expect(hint).toBeHidden();
      await open(page, info, "/bg/posts");
      await expect(hint).toBeHidden();
    } finally {
      await context.close();
    }
  });
});
