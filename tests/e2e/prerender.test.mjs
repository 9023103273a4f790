// A form prerendered by `accord embed` (docs/embedding.md, "Prerendered
// form"): a visitor types into it before the widget's script has arrived
// (held back here until the test lets it go), and the widget takes it over
// without losing a character, the focus or the caret. With scripts blocked,
// the same form posts itself to the inbox, which qualifies it with its
// rulebook.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { launch, openPage, repoRoot, distDir } from "./support/browser.mjs";
import { serveStatic } from "./support/static-server.mjs";
import { startInbox, eventually, inboundSnippet } from "./support/site.mjs";
import { assertNoViolations } from "./support/axe.mjs";

const GLUE = "/accord/accord-widget.js";
const PAGE = "/test/start/prerendered.html";
// The same page (a link to it), served with the rulebook's URL broken.
const GONE = "/test/start/prerendered-gone.html";
let inbox, server, browser, release = () => {};
let glueHeld = Promise.resolve();

before(async () => {
  const prerendered = inboundSnippet();
  assert.match(prerendered, /<template shadowrootmode="open">/);
  // The same form, whose rulebook has gone from the site since.
  const gone = prerendered.replace('data-accord-rulebook="/rulebooks/inbound.json"', 'data-accord-rulebook="/rulebooks/gone.json"');
  assert.notEqual(gone, prerendered);
  inbox = await startInbox();
  server = await serveStatic(distDir, {
    proxy: inbox.url,
    mounts: { "/test/": join(repoRoot, "tests/e2e/pages") },
    transform: (path, html) => html.replace("<!-- accord embed -->", path === GONE ? gone : prerendered),
    delay: (path) => (path === GLUE ? glueHeld : 0),
  });
  browser = await launch();
});
after(async () => {
  release();
  await browser?.close();
  await server?.close();
  await inbox?.close();
});

/** Holds the widget's glue back until `release()`. */
function holdGlue() {
  glueHeld = new Promise((r) => { release = r; });
}

/** The id of the focused element inside the widget's shadow root. */
function focused(page) {
  return page.evaluate(() => document.querySelector("[data-accord-rulebook]").shadowRoot.activeElement?.id ?? null);
}

/** Answers the first step, "About you", as a person would. */
async function aboutYou(host, { name, email, company, role }) {
  await host.getByLabel("Full name").fill(name);
  await host.getByLabel("Work email").fill(email);
  await host.getByLabel("Company").fill(company);
  await host.getByLabel("Your role").selectOption({ label: role });
}

async function recordsFor(email) {
  return (await inbox.records()).filter((r) => r.record.answers.email === email);
}

test("text typed before the widget arrives survives its taking over, with the focus and caret", async () => {
  holdGlue();
  const page = await openPage(browser, server.url + PAGE);
  const host = page.locator("[data-accord-rulebook]");
  // The form is there at first paint, before any of the widget's script.
  const name = host.getByLabel("Full name");
  const email = host.getByLabel("Work email");
  await email.fill("ada@analytical.example");
  await host.getByLabel("Company").fill("Analytical Engines");
  await host.getByLabel("Your role").selectOption({ label: "Executive (VP, C-level)" });
  await name.fill("Ada Lovelce");
  await name.press("ArrowLeft");
  await name.press("ArrowLeft");
  assert.equal(await host.getAttribute("data-accord-taken-over"), null, "the widget has not run yet");
  assert.equal(await focused(page), "f-name");
  const before = await host.boundingBox();

  release();
  await page.waitForFunction(() =>
    document.querySelector("[data-accord-rulebook]").hasAttribute("data-accord-taken-over"), null, { timeout: 20000 });
  assert.equal(await page.evaluate(() =>
    document.querySelector("[data-accord-rulebook]").shadowRoot.querySelectorAll("[data-accord-prerendered]").length), 0,
  "the prerendered form is gone");
  assert.equal(await host.getByLabel("Full name").count(), 1, "one form is left");
  assert.deepEqual(await host.boundingBox(), before, "nothing moved: the widget's form is the prerendered one's size");
  assert.equal(await name.inputValue(), "Ada Lovelce");
  assert.equal(await email.inputValue(), "ada@analytical.example");
  assert.equal(await host.getByLabel("Company").inputValue(), "Analytical Engines");
  assert.equal(await host.getByLabel("Your role").inputValue(), "executive");
  assert.equal(await focused(page), "f-name", "focus stayed in the name field");
  // The caret stayed where it was: typing lands two letters from the end.
  await page.keyboard.type("a");
  assert.equal(await name.inputValue(), "Ada Lovelace");
  // The widget counts what was typed before as answered.
  await host.getByRole("button", { name: "Continue" }).click();
  await host.getByRole("heading", { name: "Your team" }).waitFor();
  await host.getByRole("button", { name: "Back" }).click();
  assert.equal(await name.inputValue(), "Ada Lovelace");

  // The widget works the form now: its steps, its checks, its record.
  await host.getByRole("button", { name: "Continue" }).click();
  await host.getByRole("heading", { name: "Your team" }).waitFor();
  await host.getByLabel("Company size").selectOption({ label: "1,000 or more" });
  await host.getByLabel("Which CRM does your team use?").selectOption({ label: "Salesforce" });
  await host.getByRole("group", { name: /Is budget approved/ }).getByLabel("Yes").check();
  await host.getByLabel("When will you decide?").selectOption({ label: "This quarter" });
  await host.getByRole("button", { name: "Continue" }).click();
  await host.getByRole("heading", { name: "Almost done" }).waitFor();
  await host.getByLabel(/I agree that Northwind may contact me/).check();
  // The form takes sends faster than a person could type (3 s from when
  // the page began to load) for a bot's: wait on the page's own clock,
  // which starts with its navigation (a busy machine can take a while
  // between opening a tab and navigating it).
  await page.waitForFunction(() => performance.now() > 3500, null, { polling: 100 });
  await host.getByRole("button", { name: "Send" }).click();
  await host.getByRole("heading", { name: "You're a great fit — let's talk" }).waitFor();

  const [stored] = await eventually(() => recordsFor("ada@analytical.example").then((r) => r.length && r));
  assert.equal(stored.verification, "verified", JSON.stringify(stored.discrepancies));
  assert.equal(stored.record.answers.name, "Ada Lovelace");
  assert.equal(stored.record.answers.company, "Analytical Engines");
  assert.equal(stored.record.qualification.grade, "sql");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("what is typed while the widget draws its form, out of sight and a few questions at a time, is kept too", async () => {
  holdGlue();
  const page = await openPage(browser, server.url + PAGE);
  const host = page.locator("[data-accord-rulebook]");
  await host.getByLabel("Full name").fill("Mary Jackson");
  // The moment the widget's own form first appears, hidden beside the
  // prerendered one, the visitor types on in the prerendered one. A
  // MutationObserver's callback runs right after that drawing, before the
  // widget's next task: a person typing then, made exact.
  await page.evaluate(() => {
    const shadow = document.querySelector("[data-accord-rulebook]").shadowRoot;
    window.__drawing = new Promise((seen) => {
      new MutationObserver((_, observer) => {
        const own = shadow.querySelector(".accord-root[hidden] .accord-form");
        if (!own) return;
        observer.disconnect();
        const company = shadow.querySelector("[data-accord-prerendered] [name=company]");
        company.value = "NACA";
        company.dispatchEvent(new Event("input", { bubbles: true }));
        seen({ fields: own.querySelectorAll(".field").length, takenOver: shadow.host.hasAttribute("data-accord-taken-over") });
      }).observe(shadow, { childList: true, subtree: true });
    });
  });
  release();
  const drawing = await page.evaluate(() => window.__drawing);
  assert.equal(drawing.takenOver, false, "typed before the widget took over");
  assert.ok(drawing.fields > 0 && drawing.fields < 4,
    `the first step's four questions are drawn a few per task (first: ${drawing.fields})`);
  await page.waitForFunction(() =>
    document.querySelector("[data-accord-rulebook]").hasAttribute("data-accord-taken-over"), null, { timeout: 20000 });
  assert.equal(await host.getByLabel("Full name").count(), 1, "one form is left");
  assert.equal(await host.getByLabel("Full name").inputValue(), "Mary Jackson");
  assert.equal(await host.getByLabel("Company").inputValue(), "NACA", "typed while it drew");
  // The widget's answers hold it: the step's problems name only what is
  // still empty.
  await host.getByRole("button", { name: "Continue" }).click();
  await host.getByText("Please fill in this field.").first().waitFor();
  assert.equal(await host.getByLabel("Company").getAttribute("aria-invalid"), "false");
  assert.equal(await host.getByLabel("Work email").getAttribute("aria-invalid"), "true");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a send pressed before the widget arrives waits for it, then goes on", async () => {
  holdGlue();
  const page = await openPage(browser, server.url + PAGE);
  const host = page.locator("[data-accord-rulebook]");
  await aboutYou(host, { name: "Grace Hopper", email: "grace@cobol.example", company: "Navy", role: "Sales or RevOps manager" });
  await host.getByLabel("Company").press("Enter");
  // Held, not posted: the page stays, the form too.
  assert.equal(await host.getByRole("heading", { name: "About you" }).count(), 1);
  release();
  await host.getByRole("heading", { name: "Your team" }).waitFor({ timeout: 20000 });
  assert.equal(new URL(page.url()).pathname, PAGE, "the page did not navigate");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("when the rulebook cannot be read, the prerendered form stays, and a send goes as a form post", async () => {
  holdGlue();
  const page = await openPage(browser, server.url + GONE);
  const host = page.locator("[data-accord-rulebook]");
  await aboutYou(host, { name: "Katherine Johnson", email: "katherine@langley.example", company: "NACA", role: "Individual contributor" });
  release();
  await page.waitForEvent("console", { predicate: (m) => m.text().includes("the rulebook cannot be used"), timeout: 20000 });
  // Still the prerendered form, with what was typed.
  assert.equal(await host.getByLabel("Full name").inputValue(), "Katherine Johnson");
  assert.equal(await host.getAttribute("data-accord-taken-over"), null);
  const posts = [];
  page.on("request", (r) => { if (r.method() === "POST") posts.push(r.postData()); });
  await host.getByRole("button", { name: "Continue" }).click();
  await page.waitForURL(/\/api\/records$/);
  await page.getByRole("heading", { level: 1 }).waitFor();
  await assertNoViolations(page, "the inbox's answer to a form post");
  const [stored] = await eventually(() => recordsFor("katherine@langley.example").then((r) => r.length && r));
  assert.equal(stored.record.rulebook.id, "northwind-inbound", "the inbox has the rulebook the page could not fetch");
  const sent = new URLSearchParams(posts[0]).get("accord_submission_id");
  assert.match(sent, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-/, "the loader gave the post an id");
  assert.equal(stored.record.submission_id, sent, "and the inbox kept it, so posting again is one lead");
  assert.equal(stored.verification, "verified");
  await page.close();
});

test("with scripts blocked, the prerendered form posts itself and the inbox qualifies it", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await openPage(context, server.url + PAGE);
  const host = page.locator("[data-accord-rulebook]");
  // A question of the step left empty, another answered wrongly: the
  // inbox says which, in the widget's words, and stores nothing.
  await host.getByLabel("Full name").fill("Mary Jackson");
  await host.getByLabel("Work email").fill("mary@langley");
  await host.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("heading", { name: "Not sent" }).waitFor();
  const refusal = await page.locator("main").innerText();
  assert.match(refusal, /Work email: /);
  assert.match(refusal, /Company: /);
  assert.equal((await recordsFor("mary@langley")).length, 0);
  page.errors.length = 0; // the refusal's 400, which is the point
  await page.goto(server.url + PAGE);
  await aboutYou(host, { name: "Mary Jackson", email: "mary@langley.example", company: "Langley", role: "Executive (VP, C-level)" });
  await host.getByRole("button", { name: "Continue" }).click();
  // The inbox answers with the rulebook's outcome for what was sent.
  await page.getByRole("heading").first().waitFor();
  assert.match(new URL(page.url()).pathname, /\/api\/records$/);
  const [stored] = await eventually(() => recordsFor("mary@langley.example").then((r) => r.length && r));
  assert.equal(stored.verification, "verified", JSON.stringify(stored.discrepancies));
  assert.equal(stored.record.rulebook.id, "northwind-inbound");
  assert.equal(stored.record.answers.role, "executive");
  assert.equal(stored.record.context.page_url, server.url + PAGE);
  assert.equal(stored.record.qualification.status, "incomplete", "the first step alone");
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("the prerendered form is accessible and keyboard-usable before the widget runs, at 1280 and 390 px", async () => {
  holdGlue();
  for (const width of [1280, 390]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(server.url + PAGE);
    const host = page.locator("[data-accord-rulebook]");
    await host.getByLabel("Full name").waitFor();
    await assertNoViolations(page, `prerendered form at ${width} px`);
    await page.screenshot({ path: join(repoRoot, `tests/e2e/results/prerendered-${width}.png`), fullPage: true });
    // Keyboard only: Tab from the top reaches the first question.
    await page.keyboard.press("Tab");
    assert.equal(await focused(page), "f-name");
    await page.keyboard.type("Dorothy Vaughan");
    assert.equal(await host.getByLabel("Full name").inputValue(), "Dorothy Vaughan");
    await page.close();
  }
  release();
});
