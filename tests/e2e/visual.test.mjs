// Visual checks of the widget and the console at 1280 and 390 px wide:
// layout assertions that do not depend on how fonts render (nothing
// scrolls sideways, labels sit in the middle of their buttons, every
// invalid control has the error border, the card keeps its height after
// sending, buttons do not wrap, the console opens with its header in
// sight), plus reference images compared with a tolerance.
//
// Reference images live in tests/e2e/reference/. A missing one fails the
// test; to make or refresh them after a deliberate change, run
//   UPDATE_REFERENCES=1 node --test tests/e2e/visual.test.mjs
// then look at the images and commit them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launch, openPage, repoRoot } from "./support/browser.mjs";
import { startSite, eventually } from "./support/site.mjs";

const WIDTHS = [1280, 390];
const references = join(repoRoot, "tests/e2e/reference");
/** At most this share of pixels may differ (by more than 48 in a channel). */
const TOLERANCE = 0.01;

let site, browser;
before(async () => {
  site = await startSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/** Compares a screenshot with its reference image, in the browser. */
async function matchesReference(page, name, png) {
  const path = join(references, `${name}.png`);
  if (process.env.UPDATE_REFERENCES === "1") {
    mkdirSync(references, { recursive: true });
    writeFileSync(path, png);
    return;
  }
  assert.ok(existsSync(path), `no reference image ${path}: run UPDATE_REFERENCES=1 node --test tests/e2e/visual.test.mjs, look at it, and commit it`);
  const result = await page.evaluate(async ([a, b]) => {
    const load = (b64) => new Promise((ok, fail) => {
      const img = new Image();
      img.onload = () => ok(img);
      img.onerror = fail;
      img.src = "data:image/png;base64," + b64;
    });
    const [x, y] = await Promise.all([load(a), load(b)]);
    if (x.width !== y.width || x.height !== y.height) {
      return { size: `${x.width}×${x.height} now, ${y.width}×${y.height} in the reference` };
    }
    const pixels = (img) => {
      const canvas = document.createElement("canvas");
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext("2d");
      ctx.drawImage(img, 0, 0);
      return ctx.getImageData(0, 0, img.width, img.height).data;
    };
    const [p, q] = [pixels(x), pixels(y)];
    let differ = 0;
    for (let i = 0; i < p.length; i += 4) {
      if (Math.abs(p[i] - q[i]) > 48 || Math.abs(p[i + 1] - q[i + 1]) > 48 || Math.abs(p[i + 2] - q[i + 2]) > 48) differ++;
    }
    return { share: differ / (p.length / 4) };
  }, [png.toString("base64"), readFileSync(path).toString("base64")]);
  assert.equal(result.size, undefined, `${name}: ${result.size}`);
  assert.ok(result.share <= TOLERANCE, `${name}: ${(result.share * 100).toFixed(2)} % of pixels differ from the reference`);
}

/** The page does not scroll sideways. */
async function fitsWidth(page, what) {
  const { inner, scroll } = await page.evaluate(() => ({ inner: innerWidth, scroll: document.documentElement.scrollWidth }));
  assert.ok(scroll <= inner, `${what}: the page is ${scroll} px wide in a ${inner} px window`);
}

/** The text of an element sits in the middle of its box (within 2 px). */
async function labelCentred(locator, what) {
  const { text, box } = await locator.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const t = range.getBoundingClientRect();
    const b = el.getBoundingClientRect();
    return { text: { top: t.top, bottom: t.bottom }, box: { top: b.top, bottom: b.bottom } };
  });
  const offset = Math.abs((text.top + text.bottom) / 2 - (box.top + box.bottom) / 2);
  assert.ok(offset <= 2, `${what}: the label is ${offset.toFixed(1)} px off the middle of its box`);
}

/** How many lines an element's text takes. */
function lines(locator) {
  return locator.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
    return tops.size;
  });
}

for (const width of WIDTHS) {
  test(`the widget at ${width} px: centred labels, red borders on every invalid control, a card that keeps its height`, async () => {
    const page = await openPage(browser, site.url + "/");
    await page.setViewportSize({ width, height: 900 });
    const form = page.locator("[data-accord-rulebook]");
    await form.getByLabel("Full name").waitFor({ timeout: 15000 });
    const ready = Date.now();
    await fitsWidth(page, "the landing page");
    assert.equal(await lines(page.getByRole("link", { name: "Book a demo" })), 1, "the header's link stays on one line");
    await labelCentred(form.getByRole("button", { name: "Continue" }), "Continue");
    await matchesReference(page, `widget-start-${width}`, await form.screenshot({ animations: "disabled", caret: "hide" }));

    // Every invalid control gets the error colour, text fields as well as
    // selects.
    await form.getByRole("button", { name: "Continue" }).click();
    await form.getByText("Please fill in this field.").first().waitFor();
    const borders = await form.locator('[aria-invalid="true"]').evaluateAll((els) => els.map((el) => ({
      tag: el.tagName.toLowerCase(), id: el.id, border: getComputedStyle(el).borderTopColor,
      error: getComputedStyle(el.closest(".field").querySelector(".error")).color,
    })));
    assert.deepEqual(borders.map((b) => b.tag).sort(), ["input", "input", "input", "select"]);
    for (const b of borders) assert.equal(b.border, b.error, `${b.id} has the error border`);
    await matchesReference(page, `widget-problems-${width}`, await form.screenshot({ animations: "disabled", caret: "hide" }));

    // Send a sales-ready lead: the outcome does not shrink the card.
    await form.getByLabel("Full name").fill("Dana Smith");
    await form.getByLabel("Work email").fill(`dana-${width}@acme-industrial.example`);
    await form.getByLabel("Company").fill("Acme Industrial");
    await form.getByLabel("Your role").selectOption({ label: "Executive (VP, C-level)" });
    await form.getByRole("button", { name: "Continue" }).click();
    await form.getByRole("heading", { name: "Your team" }).waitFor();
    await form.getByLabel("Company size").selectOption({ label: "1,000 or more" });
    await form.getByLabel("Which CRM does your team use?").selectOption({ label: "Salesforce" });
    await form.getByRole("group", { name: /Is budget approved/ }).getByLabel("Yes").check();
    await form.getByLabel("When will you decide?").selectOption({ label: "This quarter" });
    await form.getByRole("button", { name: "Continue" }).click();
    await form.getByRole("heading", { name: "Almost done" }).waitFor();
    await form.getByLabel(/I agree that Northwind may contact me/).check();
    const card = form.locator("section.accord");
    const before = (await card.boundingBox()).height;
    await page.waitForTimeout(Math.max(0, 3500 - (Date.now() - ready)));
    await form.getByRole("button", { name: "Send" }).click();
    await form.getByRole("heading", { name: "You're a great fit — let's talk" }).waitFor();
    const afterSend = (await card.boundingBox()).height;
    assert.ok(afterSend >= before - 1, `the card went from ${before} to ${afterSend} px`);
    await labelCentred(form.getByRole("link", { name: "Book a meeting" }), "Book a meeting");
    await fitsWidth(page, "the outcome");
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test(`the console at ${width} px: header in sight, spaced controls, buttons on one line, list numbers by their first line`, async () => {
    const page = await openPage(browser, site.url + "/console.html");
    await page.setViewportSize({ width, height: 900 });
    await page.getByText(/^Question 1 of \d+$/).waitFor({ timeout: 15000 });
    await eventually(async () => (await page.evaluate(() => document.activeElement?.id)) === "f-contact_email");
    // The first question has focus, and the page still shows its header.
    assert.equal(await page.evaluate(() => scrollY), 0, "opened scrolled past its header");
    await page.getByRole("heading", { name: "Accord console" }).waitFor();
    await fitsWidth(page, "the console");
    // The view tabs and the rulebook loader do not touch.
    const gap = await page.evaluate(() => document.querySelector(".loader").getBoundingClientRect().top -
      document.querySelector(".bar").getBoundingClientRect().bottom);
    assert.ok(gap >= 8, `the header and the loader are ${gap} px apart`);
    // The file picker is styled like the other controls, not the browser's 13 px default.
    const fileFont = await page.locator('input[type="file"]').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    assert.ok(fileFont >= 16, `the file picker's text is ${fileFont} px`);
    for (const button of await page.locator("button:visible").all()) {
      if (await button.evaluate((el) => el.classList.contains("link"))) continue;
      const name = await button.textContent();
      assert.equal(await lines(button), 1, `"${name}" wraps`);
    }
    // Each numbered item's number sits by its first line.
    for (const item of await page.locator(".missing li").all()) {
      const offset = await item.evaluate((li) => li.querySelector("button").getBoundingClientRect().top - li.getBoundingClientRect().top);
      assert.ok(Math.abs(offset) <= 2, `an item starts ${offset} px below its number: ${await item.textContent()}`);
    }
    await matchesReference(page, `console-start-${width}`, await page.screenshot({ animations: "disabled", caret: "hide" }));
    // An icon the browser can show.
    const icon = await page.locator('link[rel="icon"]').getAttribute("href");
    assert.equal((await fetch(new URL(icon, site.url))).status, 200);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}
