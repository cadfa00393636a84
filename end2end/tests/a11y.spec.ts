import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { open, test } from "./helpers";

// axe runs inside the page: in the projects without JavaScript it cannot. Their HTML is the
// same server rendering the hydrated projects check, minus the form's add/remove buttons.
test.skip(({ javaScriptEnabled }) => javaScriptEnabled === false, "axe-core runs as JavaScript in the page");

const WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** A registration made through the form's server function, as a form post without JavaScript. */
async function registrationPage(page: Page, lang: "bg" | "en", slug: string) {
  const response = await page.request.post("/api/events/register", {
    form: {
      lang,
      event: slug,
      idempotency_key: `a11y-${lang}-${slug}-${Date.now()}`,
      parent_name: "Мария Иванова",
      // An address of its own: the same parent and child again would be told only that the
      // registration exists.
      email: `a11y-${lang}-${Date.now()}@example.bg`,
      phone: "0888 123 456",
      "children[0][first_name]": "Ива",
      "children[0][age]": "6",
      consent: "yes",
    },
    headers: { Accept: "text/html" },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(302);
  return response.headers()["location"];
}

async function expectNoViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_A_AA).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(summary, what).toEqual([]);
  // It really looked: a page of ours passes dozens of checks.
  expect(results.passes.length, what).toBeGreaterThan(15);
}

// One test a page: axe takes seconds a page on a busy machine, and a failure names its page.
const MAIN_PAGES = [
  "/",
  "/posts",
  "/posts/summer-art-party-workshop",
  "/events",
  "/events/e2e-a11y-{project}",
  "/offline",
  "/no-such-page",
  "/admin/sign-in",
];

for (const lang of ["bg", "en"] as const) {
  for (const route of MAIN_PAGES) {
    test(`${lang}${route} has no WCAG A/AA violations`, async ({ page }, info) => {
      const path = `/${lang}${route.replace("{project}", info.project.name)}`;
      await open(page, info, path);
      await expectNoViolations(page, path);
    });
  }

  test(`the registration confirmation has no WCAG A/AA violations (${lang})`, async ({ page }, info) => {
    const confirmation = await registrationPage(page, lang, `e2e-a11y-${info.project.name}`);
    await open(page, info, confirmation);
    await expect(page.getByTestId("registration-code")).toBeVisible();
    await expectNoViolations(page, "registration confirmation");
  });
}

test("the admin pages an organiser works from have no WCAG A/AA violations", async ({ page }, info) => {
  await open(page, info, "/bg/admin/sign-in");
  await page.locator("#email").fill("organiser@demo.ngo-portal.bg");
  await page.locator("#password").fill("demo-organiser-password");
  await page.getByRole("button", { name: "Вход", exact: true }).click();
  await expect(page).toHaveURL(/\/bg\/admin$/);
  await expect(page.getByTestId("admin-event")).toHaveCount(1);
  await expectNoViolations(page, "admin home");
  await open(page, info, "/bg/admin/events/summer-art-party");
  await expect(page.locator("h1")).toHaveText("Лятно парти");
  await expectNoViolations(page, "door list");
});

test("a registration form sent back with errors has no WCAG A/AA violations", async ({ page }, info) => {
  await open(page, info, `/bg/events/e2e-a11y-${info.project.name}`);
  await page.getByRole("button", { name: "Запиши децата" }).click();
  await expect(page.getByTestId("error-email")).not.toBeEmpty();
  await expectNoViolations(page, "rejected form");
});

test("pages reflow at 320 CSS pixels (400 % zoom of a desktop) without sideways scrolling", async ({ page }, info) => {
  await page.setViewportSize({ width: 320, height: 640 });
  for (const path of ["/bg/", "/bg/posts/summer-art-party-workshop", "/bg/events", `/bg/events/e2e-a11y-${info.project.name}`, "/en/offline"]) {
    await open(page, info, path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
});

test("headings outline every page: one h1, no skipped levels", async ({ page }, info) => {
  for (const path of ["/bg/", "/en/posts", "/bg/posts/summer-art-party-workshop", "/en/events", `/bg/events/e2e-a11y-${info.project.name}`]) {
    await open(page, info, path);
    const levels = await page.locator("h1, h2, h3, h4, h5, h6").evaluateAll((headings) =>
      headings.filter((h) => (h as HTMLElement).offsetParent !== null).map((h) => Number(h.tagName[1])),
    );
    expect(levels.filter((level) => level === 1), path).toHaveLength(1);
    expect(levels[0], path).toBe(1);
    for (let i = 1; i < levels.length; i++) expect(levels[i] - levels[i - 1], `${path}: ${levels}`).toBeLessThanOrEqual(1);
  }
});

test("the skip link is the first stop of the keyboard and leads into the main content", async ({ page }, info) => {
  await open(page, info, "/bg/posts/summer-art-party-workshop");
  await page.keyboard.press("Tab");
  const skip = page.locator(".skip-link");
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
});
