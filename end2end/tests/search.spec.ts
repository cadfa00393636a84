import { expect, type Page, type TestInfo } from "@playwright/test";
import { jsEnabled, open, screenshot, test } from "./helpers";

/** Marks the document: the mark survives only while no new document is loaded. */
async function markDocument(page: Page, info: TestInfo) {
  if (jsEnabled(info)) await page.evaluate(() => ((window as unknown as { spaMark: string }).spaMark = "kept"));
}

async function expectSameDocument(page: Page, info: TestInfo) {
  if (!jsEnabled(info)) return;
  expect(await page.evaluate(() => (window as unknown as { spaMark?: string }).spaMark)).toBe("kept");
}

/** Types `words` into the search box: hydrated the results follow; without JavaScript, Enter. */
async function searchFor(page: Page, info: TestInfo, words: string) {
  const box = page.getByTestId("search-q");
  await box.fill(words);
  if (!jsEnabled(info)) await box.press("Enter");
  await expect(page).toHaveURL(new RegExp(`q=${encodeURIComponent(words).replace(/%20/g, "(\\+|%20)")}`));
}

const titles = (page: Page) => page.locator(".search-result__title").allInnerTexts();

test.describe("someone searching the portal", () => {
  test("finds posts, events and NGOs in Bulgarian and in Latin letters and follows a result", async ({ page }, info) => {
    await open(page, info, "/bg/posts");
    await markDocument(page, info);
    await page.getByTestId("search-entry").click();
    await expect(page).toHaveURL(/\/bg\/search$/);
    await expect(page.locator("h1")).toHaveText("Търсене");

    await searchFor(page, info, "лятно парти");
    await expect(page.getByTestId("search-found")).toContainText("„лятно парти“");
    await expect.poll(() => titles(page)).toContain("Лятно парти");
    const event = page.getByTestId("search-result").filter({ hasText: "Събитие" }).first();
    await expect(event.locator("mark").first()).toHaveText("Лятно");
    // The box keeps what was typed while the results follow it.
    await expect(page.getByTestId("search-q")).toHaveValue("лятно парти");

    await searchFor(page, info, "rabotilnitsa risuvane");
    await expect(page.getByTestId("search-found")).toContainText("rabotilnitsa risuvane");
    await expect(page.getByTestId("search-result").first().locator("mark").first()).toHaveText(/работилница|рисуване/i);
    await screenshot(page, info, "search-results-bg");

    // Only the events, then the event itself.
    await page.getByTestId("search-tab-events").click();
    await expect(page).toHaveURL(/kind=events/);
    await expect(page.getByTestId("search-tab-events")).toHaveAttribute("aria-current", "page");
    for (const kind of await page.getByTestId("search-result").evaluateAll((items) => items.map((i) => i.getAttribute("data-kind"))))
      expect(kind).toBe("events");
    await page.locator(".search-result__title", { hasText: "Лятно парти" }).click();
    await expect(page).toHaveURL(/\/bg\/events\/summer-art-party$/);
    await expect(page.locator("h1")).toHaveText("Лятно парти");
    await expectSameDocument(page, info);
  });

  test("finds an NGO typed in Latin letters", async ({ page }, info) => {
    await open(page, info, "/bg/search");
    await markDocument(page, info);
    await searchFor(page, info, "morski dobrovoltsi");
    await expect(page.getByTestId("search-result").first()).toContainText("НПО");
    const first = page.getByTestId("search-result").first().locator(".search-result__title");
    await expect(first).toHaveText("Сдружение „Морски доброволци“");
    await first.click();
    await expect(page).toHaveURL(/\/bg\/ngos\/morski-dobrovolci$/);
    await expect(page.locator("h1")).toHaveText("Сдружение „Морски доброволци“");
    await expectSameDocument(page, info);
  });

  test("forgives a mistyped letter, and says so; says when nothing is found", async ({ page }, info) => {
    await open(page, info, "/bg/search");
    await searchFor(page, info, "рабтилница");
    await expect(page.getByTestId("search-also")).toContainText("работилница");
    await expect(page.getByTestId("search-result").first().locator("mark").first()).toHaveText(/работилница/i);

    await open(page, info, "/en/search");
    await expect(page.locator(".search-intro")).toContainText("Latin letters");
    await searchFor(page, info, "zzzzqqqq");
    await expect(page.getByTestId("search-none")).toContainText("We found nothing for “zzzzqqqq”.");
    await expect(page.getByTestId("search-none").getByRole("link", { name: "the directory of organisations" })).toHaveAttribute("href", "/en/ngos");
    await screenshot(page, info, "search-none-en");
  });
});
