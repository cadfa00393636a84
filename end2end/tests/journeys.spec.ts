import { expect } from "@playwright/test";
import { jsEnabled, open, screenshot, test } from "./helpers";

test.describe("a visitor reading the news", () => {
  test("home shows the portal header with the live NGO count and the latest posts", async ({ page }, info) => {
    await open(page, info, "/bg/");
    await expect(page.locator("html")).toHaveAttribute("lang", "bg");
    await expect(page.locator(".brand__name")).toHaveText(
      "Информационен портал за неправителствените организации в България",
    );
    await expect(page.getByTestId("ngo-count")).toHaveText(/^\d[\d\u00a0]* НПО$/);
    const cards = page.locator("[aria-labelledby=latest-heading] .card");
    await expect(cards).toHaveCount(6);
    for (const card of await cards.all()) {
      await expect(card.locator("img")).toHaveAttribute("width", "1200");
      await expect(card.locator("h3 a")).not.toBeEmpty();
      await expect(card.locator("time")).toHaveText(/\d{1,2} [а-я]+ 20\d\d\u00a0г\./);
    }
    await screenshot(page, info, "home-bg");
  });

  test("opens a post, sees three related posts and follows one", async ({ page }, info) => {
    await open(page, info, "/bg/");
    const firstTitle = await page.locator("[aria-labelledby=latest-heading] .card h3 a").first().innerText();
    await page.locator("[aria-labelledby=latest-heading] .card h3 a").first().click();
    await expect(page).toHaveURL(/\/bg\/posts\/[a-z0-9-]+$/);
    await expect(page.locator("h1")).toHaveText(firstTitle);

    const related = page.getByTestId("related");
    await expect(related.locator("h2")).toHaveText("Сходни публикации");
    const relatedCards = related.locator(".card");
    await expect(relatedCards).toHaveCount(3);
    for (const card of await relatedCards.all()) {
      await expect(card.locator("img")).toBeVisible();
      await expect(card.locator("h3")).not.toBeEmpty();
      await expect(card.locator(".card__excerpt")).not.toBeEmpty();
    }
    await screenshot(page, info, "post-bg");

    const relatedTitle = await relatedCards.first().locator("h3 a").innerText();
    await relatedCards.first().locator("h3 a").click();
    await expect(page.locator("h1")).toHaveText(relatedTitle);
    await expect(page.getByTestId("related").locator(".card")).toHaveCount(3);
  });

  test("switches language and lands on the same post in English", async ({ page }, info) => {
    await open(page, info, "/bg/posts/summer-art-party-workshop");
    await expect(page.locator("h1")).toHaveText("„Лятно парти“ – безплатна работилница по рисуване за деца");
    await page.locator(".lang-switch").click();
    await expect(page).toHaveURL(/\/en\/posts\/summer-art-party-workshop$/);
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.locator("h1")).toHaveText('"Summer Party" – a free painting workshop for children');
    await expect(page.getByTestId("related").locator("h2")).toHaveText("Related posts");
    await expect(page.getByTestId("ngo-count")).toHaveText(/^\d[\d,]* NGOs$/);
    await screenshot(page, info, "post-en");
    // The choice is remembered: the bare address now leads to English.
    await page.goto("/");
    await expect(page).toHaveURL(/\/en\/$/);
  });

  test("filters posts by category with a shareable address", async ({ page }, info) => {
    await open(page, info, "/en/posts");
    await expect(page.locator("h1")).toHaveText("News");
    await page.locator(".chips a", { hasText: "Environment" }).click();
    await expect(page).toHaveURL(/\/en\/posts\?category=environment$/);
    const categories = page.locator(".card .card__category");
    await expect(categories.first()).toHaveText("Environment");
    for (const category of await categories.all()) await expect(category).toHaveText("Environment");
    await expect(page.locator(".chips a[aria-current=page]")).toHaveText("Environment");
  });

  test("an unknown address shows a localized not-found page", async ({ page }, info) => {
    const bg = await open(page, info, "/bg/no-such-page");
    expect(bg?.status()).toBe(404);
    await expect(page.locator("h1")).toHaveText("Страницата не е намерена");
    const en = await open(page, info, "/en/posts/no-such-post");
    expect(en?.status()).toBe(404);
    await expect(page.locator("h1")).toHaveText("Page not found");
  });
});

test.describe("language of the bare address", () => {
  test.use({ locale: "en-US" });

  test("an English browser lands on the English home", async ({ page }) => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/en\/$/);
    await expect(page.locator("h1")).toHaveText("News and events for civil society");
  });
});

test("a Bulgarian browser lands on the Bulgarian home", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/bg\/$/);
  await expect(page.locator("h1")).toHaveText("Новини и събития за гражданския сектор");
});
