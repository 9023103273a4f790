// The loader starts every download the widget needs at once: while the
// JavaScript glue is still on its way (held back here for 1.5 s), the wasm,
// the stylesheet and the rulebook have already been asked for. Before, each
// waited for the one before it (docs/embedding.md, "One snippet").
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { launch, openPage, repoRoot, distDir } from "./support/browser.mjs";
import { serveStatic } from "./support/static-server.mjs";

const GLUE = "/accord/accord-widget.js";
const HELD = 1500;
let server, browser;
const arrivals = [];

before(async () => {
  server = await serveStatic(distDir, {
    mounts: { "/test/": join(repoRoot, "tests/e2e/pages") },
    seen: (path) => arrivals.push({ path, at: Date.now() }),
    delay: (path) => (path === GLUE ? HELD : 0),
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("the wasm, the stylesheet and the rulebook are requested while the glue is still loading", async () => {
  const page = await openPage(browser, server.url + "/test/start/widget.html");
  const form = page.locator("[data-accord-rulebook]");
  await form.getByLabel("Full name").waitFor({ timeout: 20000 });
  const glue = arrivals.find((a) => a.path === GLUE);
  assert.ok(glue, "the glue was requested");
  for (const path of ["/accord/accord-widget_bg.wasm", "/accord/accord.css", "/rulebooks/inbound.json"]) {
    const asked = arrivals.filter((a) => a.path === path);
    assert.equal(asked.length, 1, `${path} is fetched once (the widget uses the loader's request): ${asked.length}`);
    assert.ok(asked[0].at < glue.at + HELD,
      `${path} was requested ${asked[0].at - glue.at} ms after the glue, before the glue's answer (${HELD} ms)`);
  }
  assert.deepEqual(page.errors, []);
});
