import { expect, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import path from "node:path";
import { jsEnabled, open, test } from "./helpers";

// At least 30 ways in: script tags, event handlers, javascript: and data: URLs, SVG, Markdown
// link and image tricks, attribute breaking, </script> for the JSON-LD. Each would call
// alert(N) if it ran; `test` (helpers.ts) also fails on any CSP violation or uncaught error.
const PAYLOADS: string[] = JSON.parse(readFileSync(path.join(__dirname, "../fixtures/xss-payloads.json"), "utf8"));
const PHOTO = readFileSync(path.join(__dirname, "../../public/icons/social-card.png"));
const EDITOR = { email: "editor@demo.ngo-portal.bg", password: "demo-editor-password" };

/** Opens `url` and checks that nothing ran and the structured data is still whole JSON. */
async function visitInert(page: Page, info: Parameters<typeof open>[1], url: string, fired: string[]) {
  await open(page, info, url);
  for (const json of await page.locator('script[type="application/ld+json"]').allTextContents()) {
    expect(() => JSON.parse(json), `JSON-LD of ${url}`).not.toThrow();
  }
  expect(fired, `a payload ran on ${url}`).toEqual([]);
}

test.describe("hostile text saved through every field", () => {
  // What is rendered does not depend on the viewport: the desktop projects, with and without JavaScript.
  test("renders inert on every public and admin page", async ({ page }, info) => {
    test.skip(info.project.name.startsWith("phone"), "the same pages as on the desktop");
    test.setTimeout(300_000);
    const project = info.project.name;
    const fired: string[] = [];
    page.on("dialog", async (dialog) => {
      fired.push(dialog.message());
      await dialog.dismiss();
    });
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(30);

    const api = page.request;
    const signedIn = await api.post("/bg/admin/sign-in", {
      form: { lang: "bg", ...EDITOR },
      maxRedirects: 0,
    });
    expect(signedIn.status()).toBe(303);
    const uploaded = await api.post("/api/admin/images", { data: PHOTO, headers: { "content-type": "image/png" } });
    expect(uploaded.status()).toBe(200);
    const image = (await uploaded.json()).id as number;

    // A post per payload, the payload in every field of both languages.
    const ids: number[] = [];
    for (const [i, payload] of PAYLOADS.entries()) {
      const short = payload.slice(0, 60);
      const form: Record<string, string> = {
        "draft[slug]": `xss-${project}-${i}`,
        "draft[bg][title]": `XSS ${i} ${payload}`,
        "draft[bg][summary]": payload,
        "draft[bg][body]": `${payload}\n\n## ${payload}\n\n- ${payload}\n\n[${payload}](/bg/)`,
        "draft[en][title]": `XSS ${i} EN ${payload}`,
        "draft[en][summary]": payload,
        "draft[en][body]": payload,
        "draft[category]": "volunteering",
        // A few new categories only: they join the posts list's filter for every visitor.
        "draft[new_category]": i < 3 ? `${short} ${project}` : "",
        "draft[tags]": `xss${i}${project.replace(/\W/g, "")}, ${short.replace(/,/g, " ")}`,
        "draft[status]": "published",
        // Long ago: last in every list, never on the home page of the other journeys.
        "draft[publish_at]": `2001-01-${String((i % 28) + 1).padStart(2, "0")}T10:00`,
        "draft[cover][image_id]": String(image),
        "draft[cover][alt_bg]": payload,
        "draft[cover][alt_en]": payload,
      };
      const saved = await api.post("/api/admin/posts/save", { form, headers: { accept: "application/json" } });
      expect(saved.status(), `post ${i}: ${await saved.text()}`).toBe(200);
      ids.push((await saved.json()).id);
    }
    // A payload as the address is refused, not stored.
    const badSlug = await api.post("/api/admin/posts/save", {
      form: { "draft[slug]": PAYLOADS[1], "draft[bg][title]": "x", "draft[bg][body]": "x", "draft[category]": "volunteering" },
      headers: { accept: "application/json" },
    });
    expect(badSlug.status()).toBe(422);

    // A registration per payload, in every free-text field of the form.
    const event = `e2e-xss-${project}`;
    const registrations: string[] = [];
    for (const [i, payload] of PAYLOADS.entries()) {
      const registered = await api.post(`/bg/events/${event}`, {
        form: {
          lang: "bg",
          event,
          idempotency_key: `xss-${project}-${i}-${Date.now()}`,
          parent_name: payload,
          email: `xss-${i}-${project}@example.org`,
          phone: "0888 123 456",
          "children[0][first_name]": payload,
          "children[0][age]": "7",
          note: payload,
          consent: "yes",
          website: "",
        },
        maxRedirects: 0,
      });
      expect(registered.status(), `registration ${i}`).toBe(303);
      registrations.push(registered.headers()["location"]);
    }

    for (const [i, id] of ids.entries()) {
      await visitInert(page, info, `/bg/posts/xss-${project}-${i}`, fired);
      await expect(page.locator("h1")).toContainText(`XSS ${i} `);
      await visitInert(page, info, `/bg/admin/posts/${id}`, fired);
      if (jsEnabled(info)) {
        await page.locator("[data-testid=text-bg]").getByRole("button", { name: "Преглед" }).click();
        // Rendered (a payload may leave no text at all, only emptied elements).
        await expect.poll(() => page.getByTestId("preview-bg").innerHTML(), { message: `preview of post ${i}` }).not.toBe("");
        expect(fired).toEqual([]);
      }
    }
    for (const [i] of ids.entries()) {
      if (i % 6 === 0) await visitInert(page, info, `/en/posts/xss-${project}-${i}`, fired);
    }
    for (const url of registrations) await visitInert(page, info, url, fired);
    await visitInert(page, info, `/bg/admin/events/${event}`, fired);
    await expect(page.getByTestId("door-entry")).toHaveCount(PAYLOADS.length);
    for (const url of ["/bg/", "/en/", `/bg/events/${event}`, "/bg/admin", "/bg/admin/posts?q=XSS", "/bg/admin/outbox"]) {
      await visitInert(page, info, url, fired);
    }
    const list = await (await api.get("/api/posts/list?lang=bg")).json();
    await visitInert(page, info, `/bg/posts?page=${list.total_pages}`, fired);
    await expect(page.locator(".card__title").filter({ hasText: "XSS" }).first()).toBeVisible();
  });
});
