import { expect, type Page } from "@playwright/test";
import { jsEnabled, open, test } from "./helpers";

// The app after its first load: every page is rendered in the browser from the `/api/` server
// functions, with no new document. Without JavaScript the same journey is a series of page loads.

/** Follows a link and waits for the page's heading to show `heading`. */
async function follow(page: Page, link: ReturnType<Page["locator"]>, heading: string | RegExp) {
  await link.click();
  await expect(page.locator("main h1")).toHaveText(heading);
}

test("home → post → related → events → event → back → forward", async ({ page }, info) => {
  const documents: string[] = [];
  const data: string[] = [];
  await open(page, info, "/bg/");
  page.on("request", (request) => {
    if (request.resourceType() === "document") documents.push(request.url());
    if (new URL(request.url()).pathname.startsWith("/api/")) data.push(new URL(request.url()).pathname);
  });
  await page.evaluate(() => ((window as unknown as { journey: string }).journey = "same document"));

  const post = page.locator("[aria-labelledby=latest-heading] .card h3 a").first();
  const postTitle = await post.innerText();
  await follow(page, post, postTitle);
  await expect(page).toHaveTitle(`${postTitle} · НПО портал`);
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", /\/bg\/posts\/[a-z0-9-]+$/);

  const related = page.getByTestId("related").locator(".card h3 a").first();
  const relatedTitle = await related.innerText();
  await follow(page, related, relatedTitle);
  await expect(page).toHaveTitle(`${relatedTitle} · НПО портал`);
  const articleJsonLd = await page.locator('script[type="application/ld+json"]').first().textContent();
  expect(JSON.parse(articleJsonLd ?? "{}").headline).toBe(relatedTitle);

  await follow(page, page.locator(".site-nav a", { hasText: "Събития" }), "Събития");
  const event = page.locator(".event-card h3 a", { hasText: "Лятно парти" }).first();
  const eventTitle = await event.innerText();
  await follow(page, event, eventTitle);
  await expect(page.locator("#registration-heading")).toBeVisible();

  await page.goBack();
  await expect(page.locator("main h1")).toHaveText("Събития");
  await page.goForward();
  await expect(page.locator("main h1")).toHaveText(eventTitle);

  if (jsEnabled(info)) {
    expect(documents, "no page was loaded as a new document").toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { journey?: string }).journey)).toBe("same document");
    expect(data).toEqual(expect.arrayContaining(["/api/posts/page", "/api/events/list", "/api/events/page"]));
    // Focus lands in the new page, on its heading.
    await expect(page.locator("main h1")).toBeFocused();
  } else {
    expect(documents.length).toBeGreaterThanOrEqual(5);
  }
});

test("the events tabs and the posts filter render in place, and the address says where we are", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "without JavaScript these are the page loads the journeys cover");
  const documents: string[] = [];
  await open(page, info, "/en/posts");
  page.on("request", (request) => {
    if (request.resourceType() === "document") documents.push(request.url());
  });
  await page.locator(".chips a", { hasText: "Environment" }).click();
  await expect(page).toHaveURL(/\/en\/posts\?category=environment$/);
  await expect(page.locator(".chips a[aria-current=page]")).toHaveText("Environment");
  await expect(page.locator("main h1")).toHaveText("News · Environment");
  await page.locator(".site-nav a", { hasText: "Events" }).click();
  await page.locator(".chips a", { hasText: "Past" }).click();
  await expect(page).toHaveURL(/\/en\/events\?when=past$/);
  await expect(page.locator(".chips a[aria-current=page]")).toHaveText("Past");
  expect(documents).toEqual([]);
});

test("back returns to where the visitor was in the list", async ({ page }, info) => {
  await open(page, info, "/bg/posts");
  const cards = page.locator(".card h3 a");
  const last = cards.last();
  await last.scrollIntoViewIfNeeded();
  const title = await last.innerText();
  const where = await page.evaluate(() => scrollY);
  expect(where).toBeGreaterThan(300);
  await last.click();
  await expect(page.locator("main h1")).toHaveText(title);
  if (jsEnabled(info)) expect(await page.evaluate(() => scrollY)).toBeLessThan(50);
  await page.goBack();
  await expect(cards.last()).toHaveText(title);
  await expect.poll(() => page.evaluate(() => scrollY)).toBeGreaterThan(where - 40);
  expect(await page.evaluate(() => scrollY)).toBeLessThan(where + 40);
});

// The page hydrates in parts (src/site/later.rs): the app first, then the header, the article,
// the form and the related items, one task each, each after a `scheduler.yield()`.

test("a click on a part of the page that is not interactive yet is handled in place by the app", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "hydration only");
  // The page's `scheduler.yield()` answers only when the test says so: the first one is
  // pwa.js' before the app starts, the second the app's before its first later part.
  await page.addInitScript(() => {
    const waiting: Array<() => void> = [];
    const held = window as unknown as { waiting: number; release: () => void };
    Object.defineProperty(window, "scheduler", {
      value: { yield: () => new Promise<void>((resolve) => waiting.push(resolve)) },
    });
    Object.defineProperty(held, "waiting", { get: () => waiting.length });
    held.release = () => waiting.shift()?.();
  });
  const waiting = () => page.evaluate(() => (window as unknown as { waiting: number }).waiting);
  await page.goto("/bg/posts/summer-art-party-workshop");
  await expect.poll(waiting).toBe(1);
  await page.evaluate(() => (window as unknown as { release: () => void }).release());
  // The app has hydrated; the related posts wait for their turn.
  await expect.poll(waiting).toBe(1);
  await expect(page.locator("body[data-hydrated]")).toHaveCount(0);

  const documents: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "document") documents.push(request.url());
  });
  const related = page.getByTestId("related").locator(".card h3 a").first();
  const title = await related.innerText();
  await follow(page, related, title);
  expect(documents, "no page was loaded as a new document").toEqual([]);
});

test("without scheduler.yield (Safari) every part of the page still becomes interactive", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "hydration only");
  await page.addInitScript(() => Object.defineProperty(window, "scheduler", { value: undefined }));
  await open(page, info, "/bg/events");
  const event = page.locator(".event-card h3 a", { hasText: "Лятно парти" }).first();
  await open(page, info, (await event.getAttribute("href")) ?? "");
  // Shown by the registration form once it is hydrated (the last part but one).
  await expect(page.locator(".children__buttons")).toBeVisible();
  await expect(page.locator(".lang-switch")).toHaveAttribute("href", /^\/en\/events\//);
});
