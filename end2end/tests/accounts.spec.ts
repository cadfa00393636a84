import { expect, type Page, type TestInfo } from "@playwright/test";
import { ADMIN_PASSWORD, createAdmin, jsEnabled, open, screenshot, test } from "./helpers";

const PASSWORD = ADMIN_PASSWORD;

async function signIn(page: Page, info: TestInfo, email: string, password: string) {
  await open(page, info, "/bg/admin/sign-in");
  await page.locator("#email").fill(email);
  await page.locator("#password").fill(password);
  await page.getByRole("button", { name: "Вход", exact: true }).click();
}

test.describe("an admin managing accounts", () => {
  test("creates an organiser, then turns the account off", async ({ page }, info) => {
    test.skip(!jsEnabled(info), "the accounts page needs JavaScript");
    const admin = createAdmin(info);
    await signIn(page, info, admin, PASSWORD);
    await expect(page).toHaveURL(/\/bg\/admin$/);
    await page.getByTestId("admin-accounts-link").click();
    await expect(page.locator("h1")).toHaveText("Профили");

    const email = `organiser-${info.project.name}@example.org`;
    await page.getByTestId("new-account").click();
    await page.locator("#account-email").fill(email);
    await page.locator("#account-name").fill("Мария Иванова");
    await page.locator("#account-role").selectOption("organiser");
    await page.locator("#account-password").fill("short-1");
    await page.getByRole("button", { name: "Създай профила" }).click();
    await expect(page.getByTestId("error-password")).toContainText("поне 12 знака");
    await expect(page.locator("#account-email")).toHaveValue(email);
    await page.locator("#account-password").fill(PASSWORD);
    await page.getByRole("button", { name: "Създай профила" }).click();
    const card = page.getByTestId("account").filter({ hasText: email });
    await expect(card).toHaveCount(1);
    await expect(card.getByTestId("account-role")).toHaveValue("organiser");

    // A role chosen in the list is saved at once (the last admin's is refused: tests/accounts.rs),
    // and the list is read again: wait for it before the next tap.
    const reread = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/admin/accounts");
    await card.getByTestId("account-role").selectOption("editor");
    await reread;
    await expect(card.getByTestId("account-role")).toHaveValue("editor");
    await expect.poll(async () => {
      const list = await page.request.get("/api/admin/accounts");
      const { accounts } = await list.json();
      return accounts.find((account: { email: string }) => account.email === email)?.role;
    }).toBe("editor");

    const turnedOff = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/admin/accounts");
    await card.getByTestId("account-toggle").click();
    await turnedOff;
    await expect(page.getByTestId("account").filter({ hasText: email })).toContainText("Изключен");
    await screenshot(page, info, "accounts-bg");

    await page.getByRole("link", { name: "Към администрацията" }).click();
    await page.getByRole("button", { name: "Изход", exact: true }).click();
    await signIn(page, info, email, PASSWORD);
    await expect(page.getByTestId("error-password")).toHaveText("Грешен имейл или парола.");
  });

  test("without JavaScript the page says it needs it", async ({ page }, info) => {
    test.skip(jsEnabled(info), "only without JavaScript");
    const admin = createAdmin(info);
    await signIn(page, info, admin, PASSWORD);
    await page.goto("/bg/admin/accounts");
    await expect(page.locator("h1")).toHaveText("Профили");
    await expect(page.locator(".notice").filter({ hasText: "ngo-portal admin create" })).toHaveCount(1);
  });
});
