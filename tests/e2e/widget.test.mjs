// End-to-end: visitors fill in the widget on the built site, by label, and
// the real inbox (accord inbox) shows what it received and whether the
// browser's qualification matched the native engine's.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage } from "./support/browser.mjs";
import { startSite, eventually } from "./support/site.mjs";

const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self'; connect-src 'self'";

let site, browser;
before(async () => {
  site = await startSite({ headers: (path) => (path === "/test/csp.html" ? { "content-security-policy": CSP } : {}) });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/** Records the inbox stored for this submission's answers. */
async function recordsFor(email) {
  const all = await site.inbox.records();
  return all.filter((r) => r.record.answers.email === email);
}

/** Fills in the inbound demo-request form's first two steps. */
async function aboutYou(form, { name, email, company, role }) {
  await form.getByLabel("Full name").fill(name);
  await form.getByLabel("Work email").fill(email);
  await form.getByLabel("Company").fill(company);
  await form.getByLabel("Your role").selectOption({ label: role });
  await form.getByRole("button", { name: "Continue" }).click();
}

test("a sales-ready lead books a meeting and reaches the inbox, verified", async () => {
  const page = await openPage(browser, site.url + "/?utm_source=newsletter&utm_campaign=q4&gclid=abc123");
  const form = page.locator("[data-accord-rulebook]");
  await form.getByLabel("Full name").waitFor({ timeout: 15000 });
  const ready = Date.now();
  const email = "dana@acme-industrial.example";
  await aboutYou(form, { name: "Dana Smith", email, company: "Acme Industrial", role: "Executive (VP, C-level)" });

  await form.getByRole("heading", { name: "Your team" }).waitFor();
  await form.getByLabel("Company size").selectOption({ label: "1,000 or more" });
  await form.getByLabel("Which CRM does your team use?").selectOption({ label: "Salesforce" });
  await form.getByRole("group", { name: /Is budget approved/ }).getByLabel("Yes").check();
  await form.getByLabel("When will you decide?").selectOption({ label: "This quarter" });
  await form.getByLabel("Forecast accuracy").check();
  await form.getByRole("button", { name: "Continue" }).click();

  await form.getByRole("heading", { name: "Almost done" }).waitFor();
  await form.getByLabel("Anything we should know?").fill("We have 40 reps <b>and</b> a board meeting soon.");
  await form.getByLabel(/I agree that Northwind may contact me/).check();
  // The form refuses submissions faster than a person could type.
  await page.waitForTimeout(Math.max(0, 3500 - (Date.now() - ready)));
  await form.getByRole("button", { name: "Send" }).click();

  await form.getByRole("heading", { name: "You're a great fit — let's talk" }).waitFor();
  const link = form.getByRole("link", { name: "Book a meeting" });
  assert.match(await link.getAttribute("href"), /^https:\/\//);
  await form.getByText("Sent.").waitFor();

  const [stored] = await eventually(() => recordsFor(email).then((r) => r.length && r));
  assert.equal(stored.verification, "verified", JSON.stringify(stored.discrepancies));
  const record = stored.record;
  assert.equal(record.channel, "web_form");
  assert.equal(record.qualification.status, "qualified");
  assert.equal(record.qualification.grade, "sql");
  assert.equal(record.rulebook.id, "northwind-inbound");
  assert.equal(record.context.utm_source, "newsletter");
  assert.equal(record.context.utm_campaign, "q4");
  assert.equal(record.answers.gclid, "abc123", "hidden field filled from the URL");
  assert.equal(record.answers.message, "We have 40 reps <b>and</b> a board meeting soon.");
  assert.deepEqual(record.consent.map((c) => c.given), [true]);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a knocked-out lead sees a polite exit, and the record says why", async () => {
  const page = await openPage(browser, site.url + "/test/two.html");
  const form = page.locator("#inbound");
  const email = "sam@university.example";
  await aboutYou(form, { name: "Sam Student", email, company: "State University", role: "Student or researcher" });
  await form.getByLabel("Company size").selectOption({ label: "1–49 people" });
  await form.getByRole("button", { name: "Continue" }).click();
  await form.getByLabel(/I agree that Northwind may contact me/).check();
  await form.getByRole("button", { name: "Send" }).click();
  await form.getByRole("heading", { name: "Thanks for your interest" }).waitFor();
  assert.equal(await form.getByRole("link").count(), 0, "no booking link for a knockout");

  const [stored] = await eventually(() => recordsFor(email).then((r) => r.length && r));
  assert.equal(stored.verification, "verified");
  assert.equal(stored.record.qualification.status, "knocked_out");
  assert.deepEqual(stored.record.qualification.knocked_out_by.map((k) => k.id), ["student"]);
  await page.close();
});

test("an incomplete form shows each problem next to its field and sends nothing", async () => {
  const page = await openPage(browser, site.url + "/test/two.html");
  const form = page.locator("#inbound");
  await form.getByLabel("Work email").fill("not-an-email");
  await form.getByRole("button", { name: "Continue" }).click();

  const name = form.getByLabel("Full name");
  await eventually(async () => (await name.getAttribute("aria-invalid")) === "true");
  assert.equal(await name.evaluate((el) => el === el.getRootNode().activeElement), true, "focus on the first problem");
  const email = form.getByLabel("Work email");
  assert.equal(await email.getAttribute("aria-invalid"), "true");
  const describedBy = await email.getAttribute("aria-describedby");
  const descriptions = await email.evaluate((el, ids) => ids.split(" ").map((id) => el.getRootNode().getElementById(id).textContent), describedBy);
  assert.deepEqual(descriptions, ["We will send the meeting invite here.", "Enter an email address, like name@company.com."]);
  await form.getByText("Please fill in this field.").first().waitFor();
  assert.equal(await form.getByRole("heading", { name: "About you" }).count(), 1, "still on step 1");

  // Fixing the answer clears its message once the field is valid, and the
  // visitor keeps typing in the same box (focus is not lost on the way).
  await email.fill("");
  await email.pressSequentially("fixed@acme.example");
  await eventually(async () => (await email.getAttribute("aria-invalid")) === "false");
  assert.equal(await email.inputValue(), "fixed@acme.example");
  assert.equal(await email.evaluate((el) => el === el.getRootNode().activeElement), true);
  assert.equal((await recordsFor("fixed@acme.example")).length, 0);
  await page.close();
});

test("a conditional question appears only when its condition holds", async () => {
  const page = await openPage(browser, site.url + "/test/two.html");
  const form = page.locator("#inbound");
  await aboutYou(form, { name: "Lee", email: "lee@acme.example", company: "Acme", role: "Sales or RevOps manager" });
  await form.getByRole("heading", { name: "Your team" }).waitFor();
  // Role queries see what a person (and a screen reader) can perceive: a
  // hidden question is not there for them.
  const timeline = form.getByRole("combobox", { name: "When will you decide?" });
  assert.equal(await timeline.count(), 0, "hidden before budget is answered");
  const budget = form.getByRole("group", { name: /Is budget approved/ });
  await budget.getByLabel("Yes").check();
  await timeline.waitFor();
  await budget.getByLabel("No").check();
  await eventually(async () => (await timeline.count()) === 0);
  await page.close();
});

test("a broken or unreachable rulebook falls back to a capture form that still delivers", async () => {
  const page = await openPage(browser, site.url + "/test/broken.html");
  const unreachable = page.locator("#unreachable");
  await unreachable.getByRole("heading", { name: "Contact us" }).waitFor({ timeout: 15000 });
  await page.locator("#invalid").getByRole("heading", { name: "Contact us" }).waitFor();
  // The site owner finds each error in the console, with its cause.
  await eventually(() => page.errors.some((e) => e.includes("no-such-rulebook.json: HTTP 404")));
  await eventually(() => page.errors.some((e) => e.includes("fields[0].type") && e.includes("colour")));

  const email = "fallback@acme.example";
  await unreachable.getByLabel("Name").fill("Robin");
  await unreachable.getByLabel("Email").fill(email);
  await unreachable.getByLabel("Message").fill("Your form looks broken, call me.");
  await unreachable.getByRole("button", { name: "Send" }).click();
  await unreachable.getByRole("heading", { name: "Thank you" }).waitFor();
  const [stored] = await eventually(() => recordsFor(email).then((r) => r.length && r));
  assert.equal(stored.record.rulebook.id, "accord-capture");
  assert.equal(stored.record.answers.message, "Your form looks broken, call me.");
  assert.equal(stored.verification, "unknown_rulebook");
  await page.close();
});

test("hostile labels and answers stay text", async () => {
  const page = await openPage(browser, site.url + "/test/hostile.html");
  const form = page.locator("#hostile");
  const email = form.getByLabel('<img src=x onerror="window.__pwned = 1">');
  await email.waitFor({ timeout: 15000 });
  await form.getByText("<script>window.__pwned = 1</script>Hi").waitFor();
  await form.getByText('<a href="javascript:window.__pwned = 1">help</a>').waitFor();
  await email.fill('"><img src=q onerror="window.__pwned=1">@x.example');
  await form.getByRole("button", { name: "Send" }).click();
  await form.getByText("Enter an email address, like name@company.com.").waitFor();
  await email.fill("ok@x.example");
  await form.getByRole("button", { name: "Send" }).click();
  await form.getByText('<img src=z onerror="window.__pwned = 1">').waitFor();
  const injected = await form.evaluate((host) => host.shadowRoot.querySelectorAll("img, script, b, i, a[href^='javascript']").length);
  assert.equal(injected, 0, "no element came from rulebook text");
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await page.close();
});

test("two widgets on one page work independently", async () => {
  const page = await openPage(browser, site.url + "/test/two.html");
  const inbound = page.locator("#inbound");
  const minimal = page.locator("#minimal");
  await inbound.getByLabel("Full name").waitFor({ timeout: 15000 });
  await minimal.getByLabel("Email").waitFor();
  await minimal.getByLabel("Email").fill("two@large.example");
  await minimal.getByLabel("Company size").selectOption("large");
  // The preview shows the live qualification as answers arrive.
  await minimal.getByText("Grade: mql (qualified)").waitFor();
  assert.equal(await inbound.getByLabel("Full name").inputValue(), "", "the other widget is untouched");
  await minimal.getByRole("button", { name: "Send" }).click();
  await minimal.getByRole("heading", { name: "Thank you" }).waitFor();
  assert.equal(await inbound.getByRole("button", { name: "Continue" }).count(), 1);
  const [stored] = await eventually(() => recordsFor("two@large.example").then((r) => r.length && r));
  assert.equal(stored.record.qualification.grade, "mql");
  assert.equal(stored.verification, "verified");
  await page.close();
});

test("the widget works under a strict Content-Security-Policy", async () => {
  const page = await openPage(browser, site.url + "/test/csp.html");
  const violations = [];
  page.on("console", (m) => { if (/Content.Security.Policy|CSP/i.test(m.text())) violations.push(m.text()); });
  const form = page.locator("[data-accord-rulebook]");
  await form.getByLabel("Email").fill("csp@acme.example");
  await form.getByRole("button", { name: "Send" }).click();
  await form.getByRole("heading", { name: "Thank you" }).waitFor();
  await eventually(() => recordsFor("csp@acme.example").then((r) => r.length));
  assert.deepEqual(violations, []);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("bots see success and nothing is sent", async () => {
  const page = await openPage(browser, site.url + "/test/bot.html");
  const fast = page.locator("#fast");
  await fast.getByLabel("Email").fill("fast-bot@spam.example");
  await fast.getByRole("button", { name: "Send" }).click();
  await fast.getByRole("heading", { name: "Thank you" }).waitFor();

  const trap = page.locator("#trap");
  await trap.getByLabel("Email").fill("trap-bot@spam.example");
  await trap.getByLabel("Leave this field empty if you are human").fill("http://spam.example");
  await trap.getByRole("button", { name: "Send" }).click();
  await trap.getByRole("heading", { name: "Thank you" }).waitFor();

  await page.waitForTimeout(500);
  assert.equal((await recordsFor("fast-bot@spam.example")).length, 0);
  assert.equal((await recordsFor("trap-bot@spam.example")).length, 0);
  await page.close();
});

test("a keyboard-only visitor can complete the form", async () => {
  const page = await openPage(browser, site.url + "/test/csp.html");
  const form = page.locator("[data-accord-rulebook]");
  await form.getByLabel("Email").waitFor({ timeout: 15000 });
  await form.getByLabel("Email").focus();
  await page.keyboard.type("keys@large.example");
  await page.keyboard.press("Tab");
  await page.keyboard.press("ArrowDown"); // first option of the select: small
  await page.keyboard.press("ArrowDown"); // large
  await page.keyboard.press("Tab"); // the honeypot is skipped (tabindex -1)
  await page.keyboard.press("Enter");
  await form.getByRole("heading", { name: "Thank you" }).waitFor();
  const focused = await form.evaluate((host) => host.shadowRoot.activeElement?.textContent);
  assert.equal(focused, "Thank you", "focus moves to the outcome");
  const [stored] = await eventually(() => recordsFor("keys@large.example").then((r) => r.length && r));
  assert.equal(stored.record.answers.employees, "large");
  await page.close();
});

test("the page's dataLayer gets the lead's fate, and its answers only when the site opts in", async () => {
  const page = await openPage(browser, site.url + "/test/datalayer.html");
  const submit = async (id, email) => {
    const form = page.locator("#" + id);
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Company size").selectOption({ index: 1 });
    await form.getByRole("button", { name: "Send" }).click();
    await eventually(() => recordsFor(email).then((r) => r.length));
  };
  await submit("plain", "plain-datalayer@acme.example");
  const [plain] = await eventually(() => page.evaluate(() => window.dataLayer.filter((e) => e.event === "accord_qualified")).then((l) => l.length && l));
  assert.deepEqual(Object.keys(plain).sort(), ["event", "grade", "route_team", "rulebook", "status", "submission_id"]);
  assert.ok(!JSON.stringify(plain).includes("@"), "no email in the dataLayer: " + JSON.stringify(plain));
  await submit("opted", "opted-datalayer@acme.example");
  const entries = await eventually(() => page.evaluate(() => window.dataLayer.filter((e) => e.event === "accord_qualified")).then((l) => l.length === 2 && l));
  assert.equal(entries[1].answers.email, "opted-datalayer@acme.example");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("an answer that shows a question keeps focus where the visitor is, and Tab reaches the new question", async () => {
  const page = await openPage(browser, site.url + "/");
  const form = page.locator("[data-accord-rulebook]");
  await form.getByLabel("Full name").waitFor({ timeout: 15000 });
  await aboutYou(form, { name: "Kai", email: "kai@bigcorp.example", company: "BigCorp", role: "Sales or RevOps manager" });
  await form.getByRole("heading", { name: "Your team" }).waitFor();
  const active = () => page.evaluate(() => {
    const el = document.querySelector("[data-accord-rulebook]").shadowRoot.activeElement;
    return el ? el.id : document.activeElement.tagName;
  });
  const yes = form.getByRole("group", { name: /Is budget approved/ }).getByLabel("Yes");
  await yes.focus();
  await page.keyboard.press("Space");
  await form.getByLabel("When will you decide?").waitFor();
  assert.equal(await active(), "f-budget-0", "focus stays on the answer just given");
  await page.keyboard.press("Tab");
  assert.equal(await active(), "f-timeline", "Tab goes on to the question that appeared");
  // Hiding it again does not lose focus either.
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("ArrowRight"); // to "No"
  await eventually(async () => (await form.getByRole("combobox", { name: "When will you decide?" }).count()) === 0);
  assert.equal(await active(), "f-budget-1");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the booking link opens the pool owner's page prefilled with the visitor's answers", async () => {
  const page = await openPage(browser, site.url + "/test/booking.html");
  const form = page.locator("#book");
  await form.getByLabel("Name").waitFor({ timeout: 15000 });
  const qualified = page.evaluate(() => new Promise((ok) =>
    document.addEventListener("accord:qualified", (e) => ok(e.detail), { once: true })));
  await form.getByLabel("Name").fill("Zoë O'Brien & Co");
  await form.getByLabel("Email").fill("zoe+demo@example.com");
  await form.getByRole("button", { name: "Send" }).click();
  await form.getByRole("heading", { name: "Pick a time" }).waitFor();
  const record = await qualified;
  const owner = record.qualification.route.owner;
  assert.ok(["ana", "ben"].includes(owner), JSON.stringify(record.qualification.route));
  const href = await form.getByRole("link", { name: "Book a meeting" }).getAttribute("href");
  assert.equal(href,
    `https://calendly.com/acme-${owner}/intro?name=Zo%C3%AB%20O%27Brien%20%26%20Co&email=zoe%2Bdemo%40example%2Ecom` +
    `&a1=${record.submission_id}&utm_content=sql`);
  // The booking page reads the same values back.
  const params = new URL(href).searchParams;
  assert.equal(params.get("name"), "Zoë O'Brien & Co");
  assert.equal(params.get("email"), "zoe+demo@example.com");
  // The inbox stored the same owner (the native engine picks it again on
  // verification, for a rulebook it knows).
  const [stored] = await eventually(() => recordsFor("zoe+demo@example.com").then((r) => r.length && r));
  assert.equal(stored.record.qualification.route.owner, owner);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("first-touch attribution: the campaign that brought the visitor travels with a lead sent later", async () => {
  const context = await browser.newContext();
  // The visit starts on a page from a newsletter link...
  const landing = await openPage(context, site.url + "/?utm_source=newsletter&utm_medium=email&utm_campaign=launch");
  await landing.locator("[data-accord-rulebook]").getByLabel("Full name").waitFor({ timeout: 15000 });
  const kept = JSON.parse(await landing.evaluate(() => localStorage.getItem("accord:first-touch")));
  assert.equal(kept.utm_source, "newsletter");
  await landing.close();
  // ...and the lead is sent later from another campaign's page.
  const page = await openPage(context, site.url + "/test/booking.html?utm_source=google&utm_campaign=brand");
  const form = page.locator("#book");
  await form.getByLabel("Name").waitFor({ timeout: 15000 });
  const qualified = page.evaluate(() => new Promise((ok) =>
    document.addEventListener("accord:qualified", (e) => ok(e.detail), { once: true })));
  await form.getByLabel("Name").fill("Fay");
  await form.getByLabel("Email").fill("first-touch@example.com");
  await form.getByRole("button", { name: "Send" }).click();
  const record = await qualified;
  assert.equal(record.context.utm_source, "google");
  assert.equal(record.context.utm_campaign, "brand");
  assert.equal(record.context.first_utm_source, "newsletter");
  assert.equal(record.context.first_utm_medium, "email");
  assert.equal(record.context.first_utm_campaign, "launch");
  assert.match(record.context.first_page_url, /\/\?utm_source=newsletter/);
  assert.ok(!Number.isNaN(Date.parse(record.context.first_seen_at)));
  const [stored] = await eventually(() => recordsFor("first-touch@example.com").then((r) => r.length && r));
  assert.equal(stored.record.context.first_utm_campaign, "launch");
  await page.close();
  await context.close();
});

test("first-touch attribution is off with one attribute, and forgets what it kept", async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => localStorage.setItem("accord:first-touch", JSON.stringify({ seen_at: new Date().toISOString(), utm_source: "old" })));
  const page = await context.newPage();
  await page.route("**/test/off.html*", (route) => route.fulfill({ contentType: "text/html", body:
    '<!doctype html><html lang="en"><head><title>Off</title><script src="/accord-loader.js" data-accord-first-touch="off"></script></head><body><h1>Off</h1></body></html>' }));
  // The init script runs before the page's scripts: the loader removes it.
  await page.goto(site.url + "/test/off.html?utm_source=ads");
  await eventually(async () => (await page.evaluate(() => localStorage.getItem("accord:first-touch"))) === null);
  await context.close();
});
