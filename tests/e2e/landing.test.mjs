// End-to-end: the built landing page, served as static files, as a visitor
// sees it in headless Chromium.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { serveStatic } from "./support/static-server.mjs";
import { launch, openPage, distDir } from "./support/browser.mjs";

let server, browser;
before(async () => {
  server = await serveStatic(distDir);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("the landing page shows the product and mounts the widget", async () => {
  const page = await openPage(browser, server.url + "/");
  await page.getByRole("heading", { name: "Forecast revenue you can defend." }).waitFor();
  // The widget renders inside a shadow root; role queries pierce it.
  const widget = page.getByRole("heading", { name: "Book a Northwind Pipeline demo" });
  await widget.waitFor({ timeout: 15000 });
  assert.equal(await widget.isVisible(), true);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the loader reserves the widget's height before the wasm arrives", async () => {
  const page = await browser.newPage();
  // Hold the wasm module back so the reserved space can be measured.
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route("**/accord-widget.js", async (route) => { await held; await route.continue(); });
  await page.goto(server.url + "/");
  const slot = page.locator("[data-accord-rulebook]");
  await page.waitForFunction(() => document.querySelector("[data-accord-rulebook]").style.minHeight !== "");
  const box = await slot.boundingBox();
  assert.ok(box.height >= 500, `reserved height ${box.height}px`);
  release();
  await page.getByRole("heading", { name: "Book a Northwind Pipeline demo" }).waitFor({ timeout: 15000 });
  await page.close();
});
