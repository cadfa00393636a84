import { test as base, expect, type Page, type TestInfo } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";

/**
 * Playwright's `test`, whose pages fail the test on an uncaught exception, a panic of the app
 * (console_error_panic_hook's message: a broken rule of `site::later` is one) or anything the
 * Content-Security-Policy blocked.
 */
export const test = base.extend({
  page: async ({ page }, use) => {
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      const text = message.text();
      if (text.includes("Content Security Policy") || text.includes("panicked at")) problems.push(text);
    });
    await use(page);
    expect(problems, "errors in the page").toEqual([]);
  },
});

export const jsEnabled = (info: TestInfo) => info.project.use.javaScriptEnabled !== false;

/** Opens a page and, where JavaScript runs, waits until it has hydrated. */
export async function open(page: Page, info: TestInfo, path: string) {
  const response = await page.goto(path);
  if (jsEnabled(info)) {
    await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
  }
  return response;
}

/** Saves a full-page screenshot under end2end/screenshots/<project>/. */
export async function screenshot(page: Page, info: TestInfo, name: string) {
  const dir = `screenshots/${info.project.name}`;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

export type Child = { name: string; age: string };

/** Fills in the registration form of an event page (children in rows from the first). */
export async function fillForm(page: Page, parent: { name: string; email: string; phone: string }, children: Child[], consent = true) {
  await page.locator("#parent_name").fill(parent.name);
  await page.locator("#email").fill(parent.email);
  await page.locator("#phone").fill(parent.phone);
  for (const [i, child] of children.entries()) {
    await page.locator(`#child-${i}-name`).fill(child.name);
    await page.locator(`#child-${i}-age`).fill(child.age);
  }
  if (consent) await page.locator("#consent").check();
}

/** The password of the admins the journeys make with `createAdmin`. */
export const ADMIN_PASSWORD = "дълга парола за вход";

/**
 * An admin of this project's own (`{name}-{project}@e2e.example.org`), made as an operator
 * makes the first one: `ngo-portal admin create`, the password on standard input.
 */
export function createAdmin(info: TestInfo, name = "admin") {
  const email = `${name}-${info.project.name}@e2e.example.org`;
  try {
    execFileSync(process.env.E2E_SERVER_BIN!, ["admin", "create", "--email", email, "--name", "Админ", "--role", "admin"], {
      cwd: "..",
      env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL },
      input: `${ADMIN_PASSWORD}\n`,
      stdio: ["pipe", "pipe", "pipe"],
    });
  } catch (error) {
    // A retry of the test: the account is there already.
    if (!String((error as { stderr?: Buffer }).stderr ?? "").includes("already exists")) throw error;
  }
  return email;
}
