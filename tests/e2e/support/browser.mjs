// Launches Debian's Chromium through playwright-core (never a downloaded
// browser) with the flags this offline machine needs.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, "../../..");
export const distDir = join(repoRoot, "dist");
const require = createRequire(join(repoRoot, "tools/package.json"));
const { chromium } = require("playwright-core");

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
      "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run",
    ],
  });
}

/** A new page (in a browser or a browser context) that records console
 * errors and uncaught exceptions. */
export async function openPage(browser, url) {
  const page = await browser.newPage();
  const errors = [];
  page.on("console", (m) => {
    // Failed loads are recorded below with their URL.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) errors.push(m.text());
  });
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.errors = errors;
  await page.goto(url);
  return page;
}
