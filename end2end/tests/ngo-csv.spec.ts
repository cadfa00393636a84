import { expect, type Page } from "@playwright/test";
import { ADMIN_PASSWORD, createAdmin, jsEnabled, open, screenshot, test } from "./helpers";

/** A valid 9-digit ЕИК starting with `eight` (the register's check digit). */
function eik(eight: string) {
  const digits = [...eight].map(Number);
  let sum = digits.reduce((s, d, i) => s + d * (i + 1), 0) % 11;
  if (sum === 10) sum = digits.reduce((s, d, i) => s + d * (i + 3), 0) % 11;
  return eight + (sum === 10 ? 0 : sum);
}

async function choose(page: Page, csv: string) {
  await page.getByTestId("ngos-file").setInputFiles({ name: "ngos.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf8") });
}

const HEADER =
  "eik,name_bg,name_en,legal_form,region,municipality,fields,email,founded,status,public_benefit,description_bg,description_en,website,phone,address";

test.describe("an admin importing the directory", () => {
  test("sees every bad row and nothing stored, then imports a new NGO the site finds", async ({ page }, info) => {
    test.skip(!jsEnabled(info), "the import page needs JavaScript");
    const admin = createAdmin(info, "csv-admin");
    await open(page, info, "/bg/admin/sign-in");
    await page.locator("#email").fill(admin);
    await page.locator("#password").fill(ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Вход", exact: true }).click();
    await expect(page).toHaveURL(/\/bg\/admin$/);
    await page.getByTestId("admin-ngos-link").click();
    await expect(page.locator("h1")).toHaveText("Организации в регистъра");
    await expect(page.getByTestId("ngos-export")).toHaveAttribute("href", "/api/admin/ngos/export.csv");

    const project = [...info.project.name].reduce((n, c) => n * 31 + c.charCodeAt(0), 7) % 1000;
    const code = eik(`77${String(project).padStart(3, "0")}123`);
    const name = `Фондация „Светулки ${info.project.name}“`;
    const good = `${code},${name},,фондация,Пловдив,Пловдив,children-youth,office@svetulki.example.org,2020,active,да,,,,,`;
    await choose(page, `${HEADER}\n${good}\n123456789,,,кооперация,Атлантида,,,not-an-address,3000,,,,,,,\n`);
    await expect(page.getByTestId("ngos-refused")).toContainText("Нищо не е записано");
    const refused = page.locator(".import__refused tbody tr");
    await expect(refused.filter({ hasText: "Невалиден ЕИК" })).toHaveCount(1);
    await expect(refused.filter({ hasText: "Не е една от 28-те области." })).toContainText("3");
    await screenshot(page, info, "ngo-csv-refused");

    await choose(page, `${HEADER}\n${good}\n`);
    // Added (or, on a retry of this test, updated: matched by its ЕИК).
    await expect(page.getByTestId("ngos-imported")).toHaveText(/^Готово: (1 добавени и 0|0 добавени и 1) обновени организации\.$/);
    await open(page, info, `/bg/search?q=${encodeURIComponent(`светулки ${info.project.name}`)}`);
    await expect(page.locator(".search-result__title").first()).toHaveText(name);
  });
});
