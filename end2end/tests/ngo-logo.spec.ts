import { expect, type Page, type TestInfo } from "@playwright/test";
import { crc32, deflateSync } from "node:zlib";
import { ADMIN_PASSWORD, createAdmin, jsEnabled, open, screenshot, test } from "./helpers";

/** A square PNG logo: a green disc with a white ring on a transparent background. */
function logoPng(side = 240): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  const rows = Buffer.alloc(side * (side * 4 + 1));
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const r = Math.hypot(x - side / 2, y - side / 2) / (side / 2);
      const pixel = r < 0.6 ? [11, 93, 75, 255] : r < 0.75 ? [255, 255, 255, 255] : r < 0.95 ? [11, 93, 75, 255] : [0, 0, 0, 0];
      rows.set(pixel, y * (side * 4 + 1) + 1 + x * 4);
    }
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

/** A demo NGO of each project's own, so that the projects running at once do not meet. */
const NGOS: Record<string, { slug: string; name: string; words: string }> = {
  desktop: { slug: "morski-dobrovolci", name: "Сдружение „Морски доброволци“", words: "морски доброволци" },
  "desktop-nojs": { slug: "reka-marica", name: "Екосдружение „Река Марица“", words: "reka maritsa" },
  phone: { slug: "gradski-darveta", name: "Инициатива „Дърветата на града“", words: "дърветата на града" },
  "phone-nojs": { slug: "hranitelna-banka", name: "Хранителна банка – Бургас", words: "hranitelna banka" },
};

async function signIn(page: Page, info: TestInfo) {
  const admin = createAdmin(info, "logo-admin");
  await open(page, info, "/bg/admin/sign-in");
  await page.locator("#email").fill(admin);
  await page.locator("#password").fill(ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Вход", exact: true }).click();
  await expect(page).toHaveURL(/\/bg\/admin$/);
}

test.describe("an NGO's logo", () => {
  test("an admin finds the NGO, gives it a logo, and its public pages show it", async ({ page }, info) => {
    const ngo = NGOS[info.project.name];
    await signIn(page, info);
    await page.getByTestId("admin-ngos-link").click();
    await expect(page.locator("h1")).toHaveText("Организации в регистъра");
    // The search is a GET form: it works the same with and without JavaScript.
    await page.getByTestId("ngo-find").fill(ngo.words);
    await page.getByTestId("ngo-find").press("Enter");
    await expect(page).toHaveURL(/\/bg\/admin\/ngos\?q=/);
    await page.getByTestId("ngo-found").getByRole("link", { name: ngo.name }).click();
    await expect(page).toHaveURL(`/bg/admin/ngos/${ngo.slug}`);
    await expect(page.locator("h1")).toHaveText(ngo.name);

    if (jsEnabled(info)) {
      await expect(page.getByTestId("admin-logo").getByTestId("ngo-initials")).toBeVisible();
      // Not a picture: refused next to the field, in the admin's language.
      await page.getByTestId("logo-file").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: Buffer.from("not a picture") });
      await expect(page.getByTestId("logo-problem")).toHaveText("Това не е снимка във формат JPEG, PNG или WebP до 15 MB.");
      await page.getByTestId("logo-file").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: logoPng() });
      await expect(page.getByTestId("logo-done")).toHaveText("Логото е запазено и се показва в регистъра.");
      await expect(page.getByTestId("logo-problem")).toBeEmpty();
      await expect(page.getByTestId("admin-logo").getByTestId("ngo-logo")).toBeVisible();
      await screenshot(page, info, "ngo-logo-admin");
    } else {
      // Says why there is nothing to choose. (Chromium with scripting turned off from outside
      // still parses <noscript> as text, so its text is read rather than seen.)
      expect(await page.locator("main noscript").evaluate((n) => n.textContent)).toContain("Качването на лого изисква JavaScript.");
      // Without JavaScript the page cannot send a file; the same request the page makes.
      const uploaded = await page.request.post(`/api/admin/ngos/${ngo.slug}/logo`, {
        headers: { "content-type": "image/png", "sec-fetch-site": "same-origin" },
        data: logoPng(),
      });
      expect(uploaded.status()).toBe(200);
    }

    await open(page, info, `/bg/ngos/${ngo.slug}`);
    const logo = page.locator(".ngo-profile__head").getByTestId("ngo-logo");
    await expect(logo).toBeVisible();
    // The picture loaded (a broken image has no natural width).
    await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await screenshot(page, info, "ngo-logo-profile");

    await open(page, info, `/bg/ngos?q=${encodeURIComponent(ngo.words)}`);
    const row = page.getByTestId("ngo-row").filter({ hasText: ngo.name });
    await expect(row.getByTestId("ngo-logo")).toBeVisible();
    await screenshot(page, info, "ngo-logo-directory");
  });
});
