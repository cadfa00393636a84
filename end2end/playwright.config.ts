import { defineConfig, devices } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The server under test: the binary scripts/test built, on a fresh SQLite database.
const port = Number(process.env.E2E_PORT ?? 3107);
const serverBin = process.env.SERVER_BIN ?? "../target/debug/ngo-portal";
// Made once, in the main process; workers read the config again and find it in the
// environment (tests create accounts in this database with the server's own command line).
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), "ngo-portal-e2e-"));
process.env.E2E_DATA_DIR = dataDir;
process.env.E2E_DATABASE_URL = `sqlite://${dataDir}/e2e.db`;
process.env.E2E_SERVER_BIN = serverBin;

// Debian's Chromium: Playwright's own browser download is not reachable here.
const launchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

const desktop = { ...devices["Desktop Chrome"], launchOptions };
const phone = { ...devices["Pixel 7"], launchOptions };

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: "bg-BG",
    trace: "retain-on-failure",
  },
  projects: [
    { name: "desktop", use: { ...desktop, javaScriptEnabled: true } },
    { name: "desktop-nojs", use: { ...desktop, javaScriptEnabled: false } },
    { name: "phone", use: { ...phone, javaScriptEnabled: true } },
    { name: "phone-nojs", use: { ...phone, javaScriptEnabled: false } },
  ],
  webServer: {
    command: serverBin,
    cwd: "..",
    url: `http://127.0.0.1:${port}/bg/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      RUST_LOG: "warn",
      // Events of their own for each project, so parallel journeys do not share places.
      SEED_EXTRA: "end2end/fixtures/events.json",
      // Every journey registers from 127.0.0.1.
      REGISTRATIONS_PER_MINUTE: "1000",
      // The demo editor and organiser (passwords in the README) sign in from every project.
      DEMO_ACCOUNTS: "1",
      SIGN_INS_PER_MINUTE: "1000",
    },
  },
});
