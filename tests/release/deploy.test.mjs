// What docs/deploy describes, done from the release folder alone, in a
// folder outside the repository and with no Rust on the PATH: the npm
// package unpacked and served from one origin with its own `_headers`, the
// team's rulebook beside it, the snippet from docs/deploy/README.md on a
// plain page of another origin, and the inbox run from the static binary.
// Then the same without the CORS header: the loader's plain form, a console
// error that names the header and the file, and the lead still arrives.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launch, openPage } from "../e2e/support/browser.mjs";
import { assertNoViolations } from "../e2e/support/axe.mjs";
import { serveStatic } from "../e2e/support/static-server.mjs";
import { eventually, spawnInbox } from "../e2e/support/site.mjs";
import { releaseDir, repoRoot, version, unpack } from "./support.mjs";

/** The snippet docs/deploy/README.md gives, after its `<!-- snippet -->` line. */
function documentedSnippet() {
  const readme = readFileSync(join(repoRoot, "docs/deploy/README.md"), "utf8");
  const match = /<!-- snippet -->\s*```html\n([\s\S]*?)```/.exec(readme);
  assert.ok(match, "docs/deploy/README.md has the snippet after <!-- snippet -->");
  return match[1];
}

/** Netlify / Cloudflare Pages `_headers` rules: `[{pattern, headers}]`. */
function parseHeadersFile(text) {
  const rules = [];
  for (const line of text.split("\n")) {
    if (!line.trim() || line.trim().startsWith("#")) continue;
    if (!/^\s/.test(line)) { rules.push({ pattern: line.trim(), headers: {} }); continue; }
    const [, name, value] = /^\s+([^:]+):\s*(.*)$/.exec(line);
    rules.at(-1).headers[name.toLowerCase()] = value;
  }
  return rules;
}

/** The headers those rules give `path` (a `*` matches anything, as on Netlify). */
function headersFor(rules, path) {
  const out = {};
  for (const { pattern, headers } of rules) {
    const re = new RegExp("^" + pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*") + "$");
    if (re.test(path)) Object.assign(out, headers);
  }
  return out;
}

const results = join(repoRoot, "tests/e2e/results");
mkdirSync(results, { recursive: true });

let work, pkg, assetsCors, assetsBare, site, inbox, inboxUrl, browser;

before(async () => {
  // 1. Unpack the npm package outside the repository and put the team's
  //    published rulebook beside it, as docs/deploy/README.md says.
  work = unpack(`accord-widget-${version}.tgz`);
  pkg = join(work, "package");
  mkdirSync(join(pkg, "rulebooks"));
  copyFileSync(join(repoRoot, "static/rulebooks/inbound.json"), join(pkg, "rulebooks/inbound.json"));
  const rules = parseHeadersFile(readFileSync(join(pkg, "_headers"), "utf8"));

  // 2. The host: one origin with the package's `_headers`, and one whose
  //    owner forgot the CORS header.
  assetsCors = await serveStatic(pkg, { headers: (path) => headersFor(rules, path) });
  assetsBare = await serveStatic(pkg, {
    headers: (path) => {
      const { ["access-control-allow-origin"]: _, ...rest } = headersFor(rules, path);
      return rest;
    },
  });
  // 3. The landing page, on another origin (another host name and port).
  mkdirSync(join(work, "site"));
  site = await serveStatic(join(work, "site"));
  const pageOrigin = site.url.replace("127.0.0.1", "localhost");

  // 4. The inbox from the static binary, with nothing but the system's PATH.
  inbox = await spawnInbox(join(releaseDir, `accord-${version}-x86_64-linux-musl`), [
    "--addr", "127.0.0.1:0", "--db", join(work, "inbox.sqlite"),
    "--rulebooks", join(pkg, "rulebooks"), "--allow-origin", pageOrigin,
  ], { PATH: "/usr/bin:/bin" });
  inboxUrl = inbox.url;

  // 5. The snippet, with this test's hosts for the documented ones.
  for (const [file, assets] of [["cors.html", assetsCors.url], ["bare.html", assetsBare.url]]) {
    const snippet = documentedSnippet()
      .replaceAll("https://assets.example.com", assets)
      .replaceAll("https://leads.example.com", inboxUrl);
    writeFileSync(join(work, "site", file), `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Northwind</title></head>
<body><main><h1>Forecast revenue you can defend</h1>${snippet}</main></body></html>`);
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await inbox?.stop();
  await site?.close();
  await assetsCors?.close();
  await assetsBare?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function storedFor(email) {
  const body = await (await fetch(inboxUrl + "/api/records")).json();
  return body.records.filter((r) => r.record.answers.email === email);
}

test("the package on one origin, the snippet on another: the widget qualifies a lead into the inbox", async () => {
  const asked = [];
  const context = await browser.newContext();
  context.on("response", (r) => { if (r.url().startsWith(assetsCors.url)) asked.push(r); });
  const page = await openPage(context, site.url.replace("127.0.0.1", "localhost") + "/cors.html");
  const form = page.locator("[data-accord-rulebook]");
  await form.getByLabel("Full name").waitFor({ timeout: 20000 });
  const ready = Date.now();
  const email = "dana@release.example";
  await form.getByLabel("Full name").fill("Dana Smith");
  await form.getByLabel("Work email").fill(email);
  await form.getByLabel("Company").fill("Acme Industrial");
  await form.getByLabel("Your role").selectOption({ label: "Executive (VP, C-level)" });
  await form.getByRole("button", { name: "Continue" }).click();
  await form.getByRole("heading", { name: "Your team" }).waitFor();
  await form.getByLabel("Company size").selectOption({ label: "1,000 or more" });
  await form.getByRole("group", { name: /Is budget approved/ }).getByLabel("Yes").check();
  await form.getByLabel("When will you decide?").selectOption({ label: "This quarter" });
  await form.getByRole("button", { name: "Continue" }).click();
  await form.getByRole("heading", { name: "Almost done" }).waitFor();
  await form.getByLabel(/I agree that Northwind may contact me/).check();
  await page.waitForTimeout(Math.max(0, 3500 - (Date.now() - ready)));
  await form.getByRole("button", { name: "Send" }).click();
  await form.getByText("Sent.").waitFor({ timeout: 15000 });

  const [stored] = await eventually(() => storedFor(email).then((r) => r.length && r));
  assert.equal(stored.verification, "verified", JSON.stringify(stored.discrepancies));
  assert.equal(stored.record.rulebook.id, "northwind-inbound");
  assert.deepEqual(page.errors, []);

  // Every file the loader asked for was there, with the documented caching.
  const manifest = JSON.parse(readFileSync(join(pkg, "manifest.json"), "utf8"));
  const paths = asked.map((r) => new URL(r.url()).pathname);
  for (const file of ["accord-loader.js", "accord-widget.js", "accord-widget_bg.wasm", "accord.css"]) {
    const want = file === "accord-loader.js" ? "/" + file : "/" + manifest.assets + file;
    assert.ok(paths.includes(want), `${want} was loaded (${paths.join(", ")})`);
  }
  for (const r of asked) {
    const path = new URL(r.url()).pathname;
    assert.equal(r.status(), 200, path);
    const cache = (await r.allHeaders())["cache-control"];
    if (path.startsWith("/accord/")) assert.equal(cache, "public, max-age=31536000, immutable", path);
    if (path === "/accord-loader.js") assert.equal(cache, "public, max-age=300");
    if (path.startsWith("/rulebooks/")) assert.equal(cache, "public, max-age=60");
  }
  await context.close();
});

test("without the CORS header: a plain form, an error naming the header and the file, and the lead arrives", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const logged = [];
  page.on("console", (m) => { if (m.type() === "error") logged.push(m.text()); });
  await page.goto(site.url.replace("127.0.0.1", "localhost") + "/bare.html");
  const form = page.locator("[data-accord-rulebook]");
  await form.getByRole("heading", { name: "Contact us" }).waitFor({ timeout: 20000 });
  const manifest = JSON.parse(readFileSync(join(pkg, "manifest.json"), "utf8"));
  const glue = `${assetsBare.url}/${manifest.assets}accord-widget.js`;
  const explained = await eventually(() => logged.find((t) => t.startsWith("accord: ")));
  assert.ok(explained.includes("Access-Control-Allow-Origin") && explained.includes(glue), explained);

  // The plain form is accessible and looks like the widget, wide and narrow:
  // the widget's stylesheet styles every field alike.
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const boxes = await Promise.all(["Name", "Email", "Message"].map((l) => form.getByLabel(l).boundingBox()));
    assert.ok(boxes.every((b) => Math.abs(b.width - boxes[1].width) < 1), `fields as wide as each other: ${JSON.stringify(boxes)}`);
    await assertNoViolations(page, `the loader's plain form at ${width} px`);
    await page.screenshot({ path: join(results, `release-plain-form-${width}.png`), fullPage: true });
  }

  // Keyboard only: Tab from the top reaches each field in order, then Send.
  const email = "lee@no-cors.example";
  const focused = () => page.evaluate(() => {
    const inner = document.activeElement?.shadowRoot?.activeElement ?? document.activeElement;
    return inner ? inner.id || inner.textContent || inner.tagName : "none";
  });
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "c-name");
  await page.keyboard.type("Lee Chen");
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "c-email");
  await page.keyboard.type(email);
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "c-message");
  await page.keyboard.type("Please call me back.");
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "Send");
  await page.keyboard.press("Enter");
  // Sent with fetch: the page stays, and focus moves to the thank-you.
  await form.getByRole("heading", { name: "Thank you" }).waitFor();
  await form.getByText("We received your details").waitFor();
  assert.equal(await focused(), "accord-title");
  await page.screenshot({ path: join(results, "release-plain-form-sent.png") });

  const [stored] = await eventually(() => storedFor(email).then((r) => r.length && r));
  assert.equal(stored.record.rulebook.id, "accord-capture");
  assert.equal(stored.record.answers.message, "Please call me back.");
  assert.equal(stored.record.context.page_url, site.url.replace("127.0.0.1", "localhost") + "/bare.html");

  // Where fetch cannot reach the endpoint, the form posts as a normal HTML
  // form, and the inbox answers with a page of its own.
  await page.reload();
  const again = "lee.again@no-cors.example";
  await form.getByLabel("Email").fill(again);
  await form.evaluate((host) => {
    const f = host.shadowRoot.querySelector("form");
    f.submit(); // the path the loader takes when its fetch fails
  });
  await page.getByRole("heading", { name: "Thank you" }).waitFor();
  await page.getByRole("link", { name: "Back to the page" }).waitFor();
  await assertNoViolations(page, "the inbox's thank-you page");
  await page.screenshot({ path: join(results, "release-plain-form-posted.png") });
  const [posted] = await eventually(() => storedFor(again).then((r) => r.length && r));
  assert.equal(posted.record.rulebook.id, "accord-capture");
  await context.close();
});
