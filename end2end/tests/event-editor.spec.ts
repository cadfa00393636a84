import { expect } from "@playwright/test";
import { jsEnabled, open, screenshot, test } from "./helpers";

const EDITOR = { email: "editor@demo.ngo-portal.bg", password: "demo-editor-password" };

test.describe("an editor running an event", () => {
  test("writes an event, publishes it, then cancels it", async ({ page }, info) => {
    test.skip(!jsEnabled(info), "the editor needs JavaScript");
    const project = info.project.name;
    const title = `Куклен театър в парка (${project})`;
    const slug = `kuklen-teatar-v-parka-${project}`;
    await open(page, info, "/bg/admin/sign-in");
    await page.locator("#email").fill(EDITOR.email);
    await page.locator("#password").fill(EDITOR.password);
    await page.getByRole("button", { name: "Вход", exact: true }).click();
    await expect(page).toHaveURL(/\/bg\/admin$/);
    await page.getByTestId("admin-events-link").click();
    await expect(page.locator("h1")).toHaveText("Събития");
    await page.getByTestId("new-event").click();
    await expect(page.locator("h1")).toHaveText("Ново събитие");

    await page.locator("#bg-title").fill(title);
    await expect(page.locator("#slug")).toHaveValue(slug);
    await page.locator("#bg-summary").fill("Представление и работилница, в която децата правят свои кукли.");
    await page.locator("#bg-body").fill("Гледаме представление и **правим кукли** заедно.");
    await page.locator("#bg-venue-name").fill("Борисова градина");
    await page.locator("#bg-venue-address").fill("Езерото Ариана, София");
    await page.locator("#min-age").fill("4");
    await page.locator("#max-age").fill("10");
    await page.locator("#capacity").fill("25");
    // The organiser is found in the directory by typing part of its name.
    await page.locator("#organiser-ngo").fill("Зелени Родопи");
    await page.getByTestId("organiser-ngo-found").getByRole("button").first().click();
    await expect(page.getByTestId("organiser-ngo-chosen")).toHaveText("Сдружение „Зелени Родопи“");
    await page.getByLabel("Публикувано").check();
    // No start time: refused next to the field, nothing typed is lost.
    await page.getByTestId("save-event").click();
    await expect(page.getByTestId("error-starts_at")).toHaveText("Попълнете това поле.");
    await expect(page.locator("#bg-title")).toHaveValue(title);
    await page.locator("#starts-at").fill("2099-07-21T11:00");
    await page.locator("#ends-at").fill("2099-07-21T13:30");
    await screenshot(page, info, "event-editor-bg");
    await page.getByTestId("save-event").click();
    await expect(page).toHaveURL(new RegExp(`/bg/admin/events/${slug}/edit\\?saved=1$`));
    await expect(page.getByTestId("save-status")).toHaveText("Запазено.");

    await page.getByTestId("view-event").click();
    await expect(page).toHaveURL(new RegExp(`/bg/events/${slug}$`));
    await expect(page.locator("h1")).toHaveText(title);
    await expect(page.locator(".event-facts")).toContainText("Борисова градина");
    await expect(page.locator(".post__body strong")).toHaveText("правим кукли");

    // Cancelled after a confirmation: the public page says so and takes no registrations.
    await page.goBack();
    await expect(page.locator("h1")).toHaveText("Редакция на събитие");
    page.once("dialog", (dialog) => dialog.accept());
    await page.getByLabel("Отменено").check();
    const saved = page.waitForResponse((response) => response.url().endsWith("/api/admin/events/save"));
    await page.getByTestId("save-event").click();
    expect((await saved).status()).toBe(200);
    await page.goto(`/bg/events/${slug}`);
    await expect(page.locator("main")).toContainText("Събитието е отменено.");
    await expect(page.locator("form.registration-form")).toHaveCount(0);
  });

  test("without JavaScript the events list works as plain pages", async ({ page }, info) => {
    test.skip(jsEnabled(info), "only without JavaScript");
    await open(page, info, "/bg/admin/sign-in");
    await page.locator("#email").fill(EDITOR.email);
    await page.locator("#password").fill(EDITOR.password);
    await page.getByRole("button", { name: "Вход", exact: true }).click();
    await page.goto("/bg/admin/events?status=published");
    expect(await page.getByTestId("admin-event-row").count()).toBeGreaterThan(3);
    await page.goto("/bg/admin/events/new");
    await expect(page.locator("noscript, .notice").filter({ hasText: "Редакторът изисква JavaScript" })).toHaveCount(1);
  });
});
