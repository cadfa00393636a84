import { expect, type Page, type TestInfo } from "@playwright/test";
import { jsEnabled, open, screenshot, test } from "./helpers";

// The demo accounts the test server creates (DEMO_ACCOUNTS=1; passwords in the README).
const EDITOR = { email: "editor@demo.ngo-portal.bg", password: "demo-editor-password" };
const ORGANISER = { email: "organiser@demo.ngo-portal.bg", password: "demo-organiser-password" };

/** Marks the document: the mark survives only while no new document is loaded. */
async function markDocument(page: Page, info: TestInfo) {
  if (jsEnabled(info)) await page.evaluate(() => ((window as unknown as { spaMark: string }).spaMark = "kept"));
}

async function expectSameDocument(page: Page, info: TestInfo) {
  if (!jsEnabled(info)) return;
  expect(await page.evaluate(() => (window as unknown as { spaMark?: string }).spaMark)).toBe("kept");
}

async function signIn(page: Page, account: { email: string; password: string }, button = "Вход") {
  await page.locator("#email").fill(account.email);
  await page.locator("#password").fill(account.password);
  await page.getByRole("button", { name: button, exact: true }).click();
}

test.describe("an editor or organiser signing in", () => {
  test("an editor follows the footer link, signs in, sees every event and signs out", async ({ page }, info) => {
    await open(page, info, "/bg/");
    // A page load (the admin pages come with their own bundle), then the app again.
    await page.locator(".site-footer__admin a").click();
    // Signed out: the admin page sends the visitor to sign in.
    await expect(page).toHaveURL(/\/bg\/admin\/sign-in$/);
    await expect(page.locator("h1")).toHaveText("Вход за редактори и организатори");
    if (jsEnabled(info)) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
    await markDocument(page, info);
    await screenshot(page, info, "sign-in-bg");
    await signIn(page, EDITOR);
    await expect(page).toHaveURL(/\/bg\/admin$/);
    await expect(page.locator("h1")).toHaveText("Администрация");
    await expect(page.getByTestId("signed-in-as")).toHaveText("Влезли сте като Демо редактор (редактор).");
    expect(await page.getByTestId("admin-event").count()).toBeGreaterThan(1);
    await expect(page.getByTestId("admin-event").first().locator(".admin-event__seats")).toHaveText(/\d+ от \d+ деца/);
    await expectSameDocument(page, info);
    await screenshot(page, info, "admin-home-bg");

    await page.getByRole("button", { name: "Изход", exact: true }).click();
    await expect(page).toHaveURL(/\/bg\/admin\/sign-in$/);
    await expectSameDocument(page, info);
    // The session is over: the admin page asks to sign in again.
    await page.goto("/bg/admin");
    await expect(page).toHaveURL(/\/bg\/admin\/sign-in$/);
  });

  test("an organiser sees only the event they organise", async ({ page }, info) => {
    await open(page, info, "/bg/admin/sign-in");
    await signIn(page, ORGANISER);
    await expect(page).toHaveURL(/\/bg\/admin$/);
    await expect(page.getByTestId("signed-in-as")).toContainText("(организатор)");
    await expect(page.getByTestId("admin-event")).toHaveCount(1);
    await expect(page.getByTestId("admin-event").locator(".admin-event__title")).toHaveText("Лятно парти");
  });

  test("a wrong password is refused next to the field and the address stays typed", async ({ page }, info) => {
    await open(page, info, "/en/admin/sign-in");
    await expect(page.locator("h1")).toHaveText("Sign in for editors and organisers");
    // An address of this project's own: failures lock an address for a while.
    const email = `nobody-${info.project.name}@example.org`;
    await signIn(page, { email, password: "not the password" }, "Sign in");
    await expect(page.getByTestId("error-password")).toHaveText("Wrong e-mail address or password.");
    await expect(page.locator("#password")).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator("#email")).toHaveValue(email);
    await expect(page.getByTestId("form-error")).toHaveText("Please correct the marked fields.");
    await expect(page).toHaveURL(/\/en\/admin\/sign-in$/);
    await screenshot(page, info, "sign-in-refused-en");
  });
});

test.describe("an organiser at the door", () => {
  test("finds a family, checks a child in and downloads the list", async ({ page, request }, info) => {
    // A family of this project's own registers for the organiser's event.
    const parent = `Родител ${info.project.name}`;
    const registered = await request.post("/bg/events/summer-art-party", {
      form: {
        lang: "bg",
        event: "summer-art-party",
        idempotency_key: `door-${info.project.name}-${Date.now()}`,
        parent_name: parent,
        email: `door-${info.project.name}@example.org`,
        phone: "0888 123 456",
        "children[0][first_name]": "Ива",
        "children[0][age]": "7",
        note: "",
        consent: "yes",
        website: "",
      },
      maxRedirects: 0,
    });
    expect(registered.status()).toBe(303);

    await open(page, info, "/bg/admin/sign-in");
    await signIn(page, ORGANISER);
    await expect(page).toHaveURL(/\/bg\/admin$/);
    await markDocument(page, info);
    await page.getByTestId("admin-event").locator(".admin-event__title").click();
    await expect(page).toHaveURL(/\/bg\/admin\/events\/summer-art-party$/);
    await expect(page.locator("h1")).toHaveText("Лятно парти");

    await page.locator("#q").fill(parent);
    await page.getByRole("button", { name: "Търсене", exact: true }).click();
    await expect(page).toHaveURL(/\?q=/);
    const entry = page.getByTestId("door-entry");
    await expect(entry).toHaveCount(1);
    await expect(entry.locator(".door-entry__head strong")).toHaveText(parent);
    const toggle = entry.getByTestId("check-in");
    await expect(toggle).toHaveAttribute("aria-pressed", "false");
    const before = await page.getByTestId("door-totals").innerText();
    const arrivedBefore = Number(/Дошли: (\d+)/.exec(before)?.[1]);
    await toggle.click();
    await expect(page.getByTestId("check-in")).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByTestId("check-in")).toContainText("Дошло ✓");
    // Other projects check children in at the same event: at least this one more.
    const arrived = async () => Number(/Дошли: (\d+)/.exec(await page.getByTestId("door-totals").innerText())?.[1]);
    await expect.poll(arrived).toBeGreaterThan(arrivedBefore);
    await expectSameDocument(page, info);
    await screenshot(page, info, "door-bg");

    // Saved: a fresh load of the list shows the child in.
    await page.reload();
    await expect(page.getByTestId("check-in")).toHaveAttribute("aria-pressed", "true");
    if (jsEnabled(info)) await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
    await markDocument(page, info);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("door-csv").click()]);
    expect(download.suggestedFilename()).toBe("summer-art-party-registrations.csv");
    const path = await download.path();
    const { readFileSync } = await import("node:fs");
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString("utf8")).toContain(`"${parent}","0888 123 456","потвърдена","Ива","7","да"`);

    // The parent phones to cancel: two taps, and the family leaves the list.
    await page.getByTestId("door-entry").locator("summary").click();
    await page.getByRole("button", { name: "Отмени регистрацията", exact: true }).click();
    await expect(page.getByTestId("door-entry")).toHaveCount(0);
    await expect(page.getByTestId("door-none")).toHaveText("Няма регистрации.");
    await expectSameDocument(page, info);
  });

  test("checks a child in with no connection; the tap is sent when the connection returns", async ({ page, context, request }, info) => {
    test.skip(!jsEnabled(info), "the device keeps taps only in the app");
    const parent = `Офлайн ${info.project.name}`;
    const registered = await request.post("/bg/events/summer-art-party", {
      form: {
        lang: "bg",
        event: "summer-art-party",
        idempotency_key: `offline-door-${info.project.name}-${Date.now()}`,
        parent_name: parent,
        email: `offline-door-${info.project.name}@example.org`,
        phone: "0888 123 457",
        "children[0][first_name]": "Калина",
        "children[0][age]": "8",
        note: "",
        consent: "yes",
        website: "",
      },
      maxRedirects: 0,
    });
    expect(registered.status()).toBe(303);
    await open(page, info, "/bg/admin/sign-in");
    await signIn(page, ORGANISER);
    await expect(page).toHaveURL(/\/bg\/admin$/);
    // The door list under the service worker, as on the organiser's phone.
    const door = `/bg/admin/events/summer-art-party?q=${encodeURIComponent(parent)}`;
    await open(page, info, door);
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await page.reload();
    await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    const toggle = page.getByTestId("door-entry").getByTestId("check-in");
    await expect(toggle).toHaveAttribute("aria-pressed", "false");

    await context.setOffline(true);
    try {
      await toggle.click();
      await expect(toggle).toHaveAttribute("aria-pressed", "true");
      await expect(page.getByTestId("check-in-queued")).toContainText("запазено на устройството");
      await expect(page.getByTestId("notice-check-ins")).toBeVisible();
      await screenshot(page, info, "door-offline-bg");
    } finally {
      await context.setOffline(false);
    }
    // Back online, the worker sends it (the page asks when the browser says it is online).
    await expect(page.getByTestId("notice-check-ins")).toBeHidden({ timeout: 15_000 });
    const list = await request.get(`/api/admin/door?lang=bg&slug=summer-art-party&q=${encodeURIComponent(parent)}`, {
      headers: { cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ") },
    });
    expect(list.status()).toBe(200);
    const body = await list.json();
    expect(body.registrations[0].children[0].checked_in).toBe(true);
  });
});
