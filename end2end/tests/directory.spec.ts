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

const found = (page: Page) => page.getByTestId("directory-found");
const count = async (page: Page) => Number((await found(page).innerText()).replace(/\D/g, ""));

test.describe("someone looking up NGOs", () => {
  test("filters by region and field, opens a profile and comes back", async ({ page }, info) => {
    await open(page, info, "/bg/");
    await markDocument(page, info);
    await page.getByTestId("ngo-count").click();
    await expect(page.locator("h1")).toHaveText("Регистър на НПО");
    const all = await count(page);
    expect(all).toBeGreaterThan(10000);

    const region = page.getByTestId("facet-region");
    if (!(await region.getAttribute("open"))) await region.locator("summary").click();
    await region.getByRole("link", { name: /^Смолян/ }).click();
    await expect(page).toHaveURL(/\/bg\/ngos\?region=smolyan$/);
    await expect.poll(() => count(page)).toBeLessThan(all);
    const inSmolyan = await count(page);
    const field = page.getByTestId("facet-field");
    if (!(await field.getAttribute("open"))) await field.locator("summary").click();
    await field.getByRole("link", { name: /^Култура/ }).click();
    await expect(page).toHaveURL(/region=smolyan&field=culture/);
    await expect.poll(() => count(page)).toBeLessThan(inSmolyan);
    for (const meta of await page.locator(".ngo-row__meta").allInnerTexts()) expect(meta).toContain("Смолян");
    await screenshot(page, info, "directory-filtered-bg");

    // A search typed now keeps the filters chosen by the links.
    const beforeSearch = await count(page);
    await page.getByTestId("directory-q").fill("читалище");
    if (!jsEnabled(info)) await page.getByTestId("directory-q").press("Enter");
    await expect(page).toHaveURL(/q=/);
    await expect(page).toHaveURL(/region=smolyan/);
    await expect(page).toHaveURL(/field=culture/);
    await expect.poll(() => count(page)).not.toBe(beforeSearch);
    await expect(page.getByTestId("ngo-row").first()).toContainText("Смолян");
    // The list shows the search's results (not the list from before it) before one is opened.
    for (const name of await page.locator(".ngo-row__name").allInnerTexts()) expect(name.toLowerCase()).toContain("читалище");

    const first = page.getByTestId("ngo-row").first().locator(".ngo-row__name");
    const name = await first.innerText();
    await first.click();
    await expect(page.locator("h1")).toHaveText(name);
    await expect(page.locator(".event-facts")).toContainText("ЕИК");
    await screenshot(page, info, "ngo-profile-bg");
    await expectSameDocument(page, info);
  });

  test("searches in Bulgarian and in Latin letters and follows a result", async ({ page }, info) => {
    await open(page, info, "/bg/ngos");
    await markDocument(page, info);
    const search = page.getByTestId("directory-q");
    await search.fill("Зелени Родопи");
    if (!jsEnabled(info)) await search.press("Enter");
    await expect(page).toHaveURL(/q=/);
    await expect(page.getByTestId("ngo-row").first()).toContainText("Зелени Родопи");
    // The box keeps what was typed while the results follow it.
    await expect(search).toHaveValue("Зелени Родопи");

    await search.fill("zeleni rodopi");
    if (!jsEnabled(info)) await search.press("Enter");
    await expect(page.getByTestId("ngo-row").first().locator(".ngo-row__name")).toHaveText("Сдружение „Зелени Родопи“");
    await page.getByTestId("ngo-row").first().locator(".ngo-row__name").click();
    await expect(page).toHaveURL(/\/bg\/ngos\/zeleni-rodopi$/);
    await expect(page.locator("h1")).toHaveText("Сдружение „Зелени Родопи“");
    await expectSameDocument(page, info);
  });

  test("taps an oblast on the map and back to all", async ({ page }, info) => {
    await open(page, info, "/bg/ngos");
    await markDocument(page, info);
    const all = await count(page);
    const map = page.getByTestId("cartogram");
    const varna = map.getByRole("link", { name: /^Варна: / });
    const label = (await varna.getAttribute("aria-label")) ?? "";
    const inVarna = Number(label.replace(/\D/g, ""));
    expect(inVarna).toBeGreaterThan(0);
    await varna.click();
    await expect(page).toHaveURL(/\/bg\/ngos\?region=varna$/);
    await expect.poll(() => count(page)).toBe(inVarna);
    await expect(map.getByRole("link", { name: /^Варна: / })).toHaveAttribute("aria-current", "true");
    for (const meta of await page.locator(".ngo-row__meta").allInnerTexts()) expect(meta).toContain("Варна");
    await screenshot(page, info, "directory-map-bg");
    // The chosen oblast's tile leads back to every oblast.
    await map.getByRole("link", { name: /^Варна: / }).click();
    await expect(page).toHaveURL(/\/bg\/ngos$/);
    await expect.poll(() => count(page)).toBe(all);
    await expectSameDocument(page, info);
  });

  test("the English directory names regions and fields in English", async ({ page }, info) => {
    await open(page, info, "/en/ngos?region=varna");
    await expect(page.locator("h1")).toHaveText("NGO directory");
    await expect(page.getByTestId("facet-region").locator("a[aria-current]")).toContainText("Varna");
    await page.getByTestId("facet-field").locator("summary").click();
    await expect(page.getByTestId("facet-field")).toContainText("Children and youth");
  });
});
