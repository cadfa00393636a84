import { expect, type Page } from "@playwright/test";
import path from "node:path";
import { jsEnabled, open, screenshot, test } from "./helpers";

const EDITOR = { email: "editor@demo.ngo-portal.bg", password: "demo-editor-password" };
// A real picture to upload as a cover (the portal's own social card, 1200×630 PNG).
const PHOTO = path.join(__dirname, "../../public/icons/social-card.png");

async function signInAsEditor(page: Page, info: Parameters<typeof open>[1]) {
  await open(page, info, "/bg/admin/sign-in");
  await page.locator("#email").fill(EDITOR.email);
  await page.locator("#password").fill(EDITOR.password);
  await page.getByRole("button", { name: "Вход", exact: true }).click();
  await expect(page).toHaveURL(/\/bg\/admin$/);
}

test.describe("an editor writing a post", () => {
  // The editor is part of the app: without JavaScript it says so (its page is checked below).
  test("writes a BG+EN post with a cover, previews, publishes, then changes its address", async ({ page }, info) => {
    test.skip(!jsEnabled(info), "the editor needs JavaScript");
    const project = info.project.name;
    const title = `Доброволци засадиха 200 дървета (${project})`;
    const slug = `dobrovoltsi-zasadiha-200-darveta-${project}`;
    await signInAsEditor(page, info);
    await page.getByTestId("admin-posts-link").click();
    await expect(page.locator("h1")).toHaveText("Публикации");
    await page.getByTestId("new-post").click();
    await expect(page.locator("h1")).toHaveText("Нова публикация");

    await page.locator("#bg-title").fill(title);
    // The address follows the Bulgarian title, transliterated by the official rules.
    await expect(page.locator("#slug")).toHaveValue(slug);
    await page.locator("#bg-summary").fill("Над сто доброволци от пет организации засадиха липи и кленове в Южния парк.");
    await page.locator("#bg-body").fill("## Какво направихме\n\nДоброволци от **пет организации** засадиха дървета.\n\n- липи\n- кленове");
    await page.locator("[data-testid=text-bg]").getByRole("button", { name: "Преглед" }).click();
    await expect(page.getByTestId("preview-bg").locator("h2")).toHaveText("Какво направихме");
    await expect(page.getByTestId("preview-bg").locator("strong")).toHaveText("пет организации");
    await page.locator("#en-title").fill(`Volunteers planted 200 trees (${project})`);
    await page.locator("#en-summary").fill("Over a hundred volunteers from five organisations planted limes and maples in South Park.");
    await page.locator("#en-body").fill("## What we did\n\nVolunteers from **five organisations** planted trees.");
    await page.locator("#category").selectOption("volunteering");
    await page.locator("#tags").fill("доброволчество, екология");

    await page.locator("#cover-file").setInputFiles(PHOTO);
    await expect(page.getByTestId("cover-thumb")).toBeVisible();
    // Saving without the photo's description is refused next to the field; nothing typed is lost.
    await page.getByLabel("Публикувана").check();
    await page.getByTestId("save-post").click();
    await expect(page.getByTestId("error-alt-bg")).toHaveText("Попълнете това поле.");
    await expect(page.locator("#bg-title")).toHaveValue(title);
    await page.locator("#alt-bg").fill("Доброволци засаждат дърво в парка");
    await page.locator("#alt-en").fill("Volunteers planting a tree in the park");
    await screenshot(page, info, "post-editor-bg");
    await page.getByTestId("save-post").click();
    await expect(page).toHaveURL(/\/bg\/admin\/posts\/\d+\?saved=1$/);
    await expect(page.getByTestId("save-status")).toHaveText("Запазено.");

    // On the public site, with its cover in responsive widths and three related items.
    await page.getByTestId("view-post").click();
    await expect(page).toHaveURL(new RegExp(`/bg/posts/${slug}$`));
    await expect(page.locator("h1")).toHaveText(title);
    await expect(page.locator(".post__body strong")).toHaveText("пет организации");
    await expect(page.locator(".post__cover")).toHaveAttribute("alt", "Доброволци засаждат дърво в парка");
    await expect(page.locator(".post__cover")).toHaveAttribute("srcset", /-480\.jpg 480w, .*-960\.jpg 960w, .*-1200\.jpg 1200w/);
    await expect(page.getByTestId("related").locator(".card")).toHaveCount(3);
    await screenshot(page, info, "post-published-bg");

    // A new address; the old one still leads to the post.
    await page.goBack();
    await expect(page.locator("h1")).toHaveText("Редакция на публикация");
    await page.locator("#slug").fill(`${slug}-v-parka`);
    // The page still says "Saved." from the first save: wait for this one's answer.
    const saved = page.waitForResponse((response) => response.url().endsWith("/api/admin/posts/save"));
    await page.getByTestId("save-post").click();
    expect((await saved).status()).toBe(200);
    await expect(page.getByTestId("save-status")).toHaveText("Запазено.");
    await page.goto(`/bg/posts/${slug}`);
    await expect(page).toHaveURL(new RegExp(`/bg/posts/${slug}-v-parka$`));
    await expect(page.locator("h1")).toHaveText(title);
    await page.goto(`/en/posts/${slug}-v-parka`);
    await expect(page.locator("h1")).toHaveText(`Volunteers planted 200 trees (${project})`);
  });

  test("without JavaScript the editor says it needs it", async ({ page }, info) => {
    test.skip(jsEnabled(info), "only without JavaScript");
    await signInAsEditor(page, info);
    await page.goto("/bg/admin/posts/new");
    await expect(page.locator("noscript, .notice").filter({ hasText: "Редакторът изисква JavaScript" })).toHaveCount(1);
    // The list works as plain pages and a plain search form.
    await page.goto("/bg/admin/posts?status=published");
    expect(await page.getByTestId("admin-post").count()).toBeGreaterThan(3);
  });
});
