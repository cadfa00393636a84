import { expect, type Page } from "@playwright/test";
import { fillForm, jsEnabled, open, screenshot, test } from "./helpers";

async function submit(page: Page) {
  await page.getByRole("button", { name: /Запиши децата|Register the children/ }).click();
}

const status = (page: Page) => page.getByTestId("registration-status");

test.describe("a parent registering children", () => {
  // The journeys of one project share its fixture events: one at a time.
  test.describe.configure({ mode: "serial" });

  test("registers two children, sees the code, opens the private link and cancels", async ({ page }, info) => {
    const event = `/bg/events/e2e-workshop-${info.project.name}`;
    await open(page, info, event);
    await expect(page.locator(".event-facts [data-testid=seats]")).toHaveText("Остават 30 места");
    await fillForm(page, { name: "Мария Иванова", email: "maria@example.bg", phone: "0888 123 456" }, [
      { name: "Ива", age: "6" },
      { name: "Петър", age: "9" },
    ]);
    await submit(page);
    await expect(page).toHaveURL(/\/bg\/registrations\/[A-Za-z0-9_-]{20,}$/);
    await expect(status(page)).toHaveText("Записахте се! Очакваме ви.");
    await expect(page.getByTestId("registration-code")).toHaveText(/^E2-[2-9A-HJKMNP-Z]{4}$/);
    await expect(page.locator(".registration-page")).toContainText("Ива (6)");
    await screenshot(page, info, "registration-confirmed");

    // The private link is all a parent needs to come back.
    const manage = page.url();
    await open(page, info, manage);
    await expect(status(page)).toHaveText("Записахте се! Очакваме ви.");
    await page.getByRole("button", { name: "Отмени регистрацията" }).click();
    await expect(status(page)).toHaveText("Регистрацията е отменена.");
    await open(page, info, event);
    await expect(page.locator(".event-facts [data-testid=seats]")).toHaveText("Остават 30 места");
  });

  test("a full event puts the next parent on the waitlist and a cancellation promotes them", async ({ page }, info) => {
    const event = `/bg/events/e2e-waitlist-${info.project.name}`; // 2 places
    await open(page, info, event);
    await fillForm(page, { name: "Първи Родител", email: "first@example.bg", phone: "+359 888 111 222" }, [
      { name: "Ани", age: "5" },
      { name: "Боби", age: "7" },
    ]);
    await submit(page);
    await expect(status(page)).toHaveText("Записахте се! Очакваме ви.");
    const firstParent = page.url();

    await open(page, info, event);
    await expect(page.locator(".event-facts [data-testid=seats]")).toHaveText("Няма свободни места — списък с чакащи");
    await fillForm(page, { name: "Втори Родител", email: "second@example.bg", phone: "0877 333 444" }, [
      { name: "Вики", age: "8" },
    ]);
    await submit(page);
    await expect(status(page)).toContainText("списъка с чакащи под номер 1");
    const secondParent = page.url();

    await open(page, info, firstParent);
    await page.getByRole("button", { name: "Отмени регистрацията" }).click();
    await expect(status(page)).toHaveText("Регистрацията е отменена.");
    await open(page, info, secondParent);
    await expect(status(page)).toHaveText("Записахте се! Очакваме ви.");
  });

  test("a second visitor typing the same parent and children never sees the first parent's registration", async ({ page, browser }, info) => {
    const event = `/bg/events/e2e-workshop-${info.project.name}`;
    const parent = { name: "Елена Петрова", email: `elena-${info.project.name}@example.bg`, phone: "0888 765 432" };
    const children = [{ name: "Мира", age: "7" }];
    await open(page, info, event);
    await fillForm(page, parent, children);
    await submit(page);
    await expect(status(page)).toHaveText("Записахте се! Очакваме ви.");
    const code = await page.getByTestId("registration-code").textContent();
    const manage = page.url();

    // Another person, another browser, the same e-mail and child.
    const { viewport, userAgent, isMobile, hasTouch, deviceScaleFactor, javaScriptEnabled, locale, baseURL } = info.project.use;
    const other = await browser.newContext({ viewport, userAgent, isMobile, hasTouch, deviceScaleFactor, javaScriptEnabled, locale, baseURL });
    const stranger = await other.newPage();
    await open(stranger, info, event);
    await fillForm(stranger, { ...parent, phone: "0899 000 111" }, [{ name: "мира", age: "7" }]);
    await submit(stranger);
    await expect(stranger.getByTestId("link-sent")).toBeVisible();
    await expect(stranger.locator("h1")).toHaveText("Вече има такава регистрация");
    expect(new URL(stranger.url()).pathname).toBe(`${event}/link-sent`);
    await expect(stranger.locator("body")).not.toContainText(code ?? "no code");
    await expect(stranger.getByTestId("registration-code")).toHaveCount(0);
    await screenshot(stranger, info, "registration-link-sent");
    await other.close();

    // Leave the places as they were for the other journeys of this project.
    await open(page, info, manage);
    await page.getByRole("button", { name: "Отмени регистрацията" }).click();
    await expect(status(page)).toHaveText("Регистрацията е отменена.");
  });

  for (const [lang, messages] of [
    ["bg", {
      email: "Въведете валиден имейл адрес, например maria@example.bg.",
      phone: "Въведете валиден телефон, например 0888 123 456 или +359 888 123 456.",
      age: "Събитието е за деца от 4 до 12 години.",
      consent: "Необходимо е съгласие, за да ви запишем.",
    }],
    ["en", {
      email: "Enter a valid email address, e.g. maria@example.com.",
      phone: "Enter a valid phone number, e.g. +359 888 123 456.",
      age: "The event is for children aged 4 to 12.",
      consent: "We need your consent to register you.",
    }],
  ] as const) {
    test(`shows errors next to the fields in ${lang} and keeps what was typed`, async ({ page }, info) => {
      await open(page, info, `/${lang}/events/e2e-workshop-${info.project.name}`);
      await fillForm(page, { name: "Мария", email: "maria@", phone: "12345" }, [{ name: "Ива", age: "15" }], false);
      await submit(page);
      await expect(page.getByTestId("error-email")).toHaveText(messages.email);
      await expect(page.getByTestId("error-phone")).toHaveText(messages.phone);
      await expect(page.getByTestId("error-child-0-age")).toHaveText(messages.age);
      await expect(page.locator("#err-consent")).toHaveText(messages.consent);
      await expect(page.locator("#email")).toHaveValue("maria@");
      await expect(page.locator("#phone")).toHaveValue("12345");
      await expect(page.locator("#parent_name")).toHaveValue("Мария");
      await expect(page.locator("#child-0-age")).toHaveValue("15");
      await expect(page.locator("#email")).toHaveAttribute("aria-invalid", "true");
      // The address bar is the event page, with nothing that was typed in it.
      expect(new URL(page.url()).pathname).toBe(`/${lang}/events/e2e-workshop-${info.project.name}`);
      expect(new URL(page.url()).search).toBe("");
      for (const typed of ["maria", "12345", "Мария", "%D0%9C"]) expect(page.url()).not.toContain(typed);
      if (lang === "bg") await screenshot(page, info, "registration-errors-bg");
      // Corrected, the same form goes through.
      await page.locator("#email").fill("maria@example.bg");
      await page.locator("#phone").fill("0888 123 456");
      await page.locator("#child-0-age").fill("6");
      await page.locator("#consent").check();
      await submit(page);
      await expect(status(page)).toBeVisible();
      await expect(page).toHaveURL(new RegExp(`/${lang}/registrations/`));
      if (!jsEnabled(info)) await expect(page.locator("html")).toHaveAttribute("lang", lang);
      // Leave the places as they were for the other journeys of this project.
      await page.getByRole("button", { name: /Отмени регистрацията|Cancel the registration/ }).click();
      await expect(status(page)).toHaveText(/Регистрацията е отменена\.|The registration is cancelled\./);
    });
  }
});

test("hydrated, a mistyped email or phone is flagged as soon as the field is left", async ({ page }, info) => {
  test.skip(!jsEnabled(info), "inline checks need JavaScript; without it the server's answer shows them");
  await open(page, info, `/en/events/e2e-workshop-${info.project.name}`);
  await page.locator("#email").fill("maria@example");
  await page.locator("#phone").focus();
  await expect(page.getByTestId("error-email")).toHaveText("Enter a valid email address, e.g. maria@example.com.");
  await page.locator("#phone").fill("0888 12");
  await page.locator("#parent_name").focus();
  await expect(page.getByTestId("error-phone")).toHaveText("Enter a valid phone number, e.g. +359 888 123 456.");
  await page.locator("#email").fill("maria@example.com");
  await page.locator("#phone").focus();
  await expect(page.getByTestId("error-email")).toBeEmpty();
  await page.locator("#child-0-age").fill("2");
  await page.locator("#child-0-name").focus();
  await expect(page.getByTestId("error-child-0-age")).toHaveText("The event is for children aged 4 to 12.");
});
