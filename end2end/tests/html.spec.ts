import { expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vnu from "vnu-jar";
import { test } from "./helpers";

// The pages as the server sends them pass the Nu Html Checker (the W3C validator's engine,
// npm `vnu-jar`, run with the machine's Java) without a single error.

test("home, posts, a post, events, an event, offline and not-found pages are valid HTML", async ({ request }, info) => {
  test.skip(info.project.name !== "desktop", "the server's HTML is the same for every project");
  const pages = [
    "/bg/",
    "/en/posts",
    "/bg/posts/summer-art-party-workshop",
    "/en/events",
    "/bg/events/summer-art-party",
    "/en/offline",
    "/bg/no-such-page",
  ];
  const dir = mkdtempSync(join(tmpdir(), "ngo-portal-html-"));
  try {
    const files = [];
    for (const [i, path] of pages.entries()) {
      const response = await request.get(path);
      const file = join(dir, `page-${i}.html`);
      writeFileSync(file, await response.text());
      files.push(file);
    }
    let output = "";
    try {
      execFileSync("java", ["-jar", vnu, "--errors-only", "--format", "json", ...files], { stdio: "pipe" });
    } catch (error) {
      output = String((error as { stderr?: Buffer }).stderr ?? error);
    }
    const messages = output
      ? (JSON.parse(output).messages as { url: string; message: string; extract?: string }[]).map(
          (m) => `${pages[Number(m.url.match(/page-(\d+)/)?.[1])]}: ${m.message} ${m.extract ?? ""}`,
        )
      : [];
    expect(messages).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
