// End-to-end delivery: no lead is ever lost. A visitor submits the form
// while the backend (tests/e2e/support/backend.mjs, in front of a real
// `accord inbox` on its own origin) fails on command; each scenario checks
// the exact set of records the inbox stored — nothing lost, nothing
// duplicated in effect — and what the visitor was told.
//
// Retry delays are seconds to minutes, so each browser context runs on
// Playwright's fake clock and the tests move time forward instead of
// waiting for it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { launch, openPage, repoRoot, distDir } from "./support/browser.mjs";
import { startInbox, eventually, publishInline } from "./support/site.mjs";
import { startBackend } from "./support/backend.mjs";
import { serveStatic } from "./support/static-server.mjs";

let inbox, backend, site, browser;
before(async () => {
  inbox = await startInbox();
  backend = await startBackend(inbox.url);
  site = await serveStatic(distDir, {
    mounts: { "/test/": join(repoRoot, "tests/e2e/pages") },
    transform: (_path, html) => html.includes("{{BACKEND}}") ? publishInline(html.replaceAll("{{BACKEND}}", backend.url)) : html,
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
  await backend?.close();
  await inbox?.close();
});

const SENT = "Sent.";
const SAVED = "Saved on this device; we will keep trying to send it.";
const OFFLINE = "You are offline. Your answers are saved on this device and will be sent when you are back online.";
const REFUSED = "We could not deliver this yet. A copy is kept on this device and the site owner can see it.";

/** A fresh browser profile (its own localStorage) on the fake clock. */
async function visitor() {
  const context = await browser.newContext();
  await context.clock.install();
  return context;
}

/** Opens the contact page and waits for the form. */
async function contactPage(context) {
  const page = await openPage(context, site.url + "/test/delivery.html");
  await page.locator("#contact").getByLabel("Email").waitFor({ timeout: 15000 });
  return page;
}

/** Fills in and sends the contact form; resolves to the submission id. */
async function submit(page, email) {
  const form = page.locator("#contact");
  const qualified = page.evaluate(() => new Promise((ok) =>
    document.addEventListener("accord:qualified", (e) => ok(e.detail.submission_id), { once: true })));
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Company size").selectOption("large");
  await form.getByRole("button", { name: "Send" }).click();
  await form.getByRole("heading", { name: "Thank you" }).waitFor();
  return qualified;
}

/** The visitor's delivery status line. */
function status(page) {
  return page.locator(".delivery");
}

async function statusIs(page, text) {
  await eventually(async () => (await status(page).textContent()) === text, { timeout: 15000 })
    .catch(async () => assert.fail(`status is ${JSON.stringify(await status(page).textContent())}, expected ${JSON.stringify(text)}`));
}

/** Records the inbox stored for this email. */
async function stored(email) {
  return (await inbox.records()).filter((r) => r.record.answers.email === email);
}

/** Moves the page's clock on a second at a time until `done()` holds. */
async function advanceUntil(page, done, { step = 1000, limit = 15 * 60 * 1000 } = {}) {
  for (let t = 0; t <= limit; t += step) {
    if (await done()) return;
    await page.clock.fastForward(step);
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail("not done after " + limit + " ms of page time: " + done.toString());
}

/** The outbox as `Accord.outbox()` shows it to site owners. */
function outbox(page) {
  return page.evaluate(() => window.Accord.outbox());
}

/** Whether the page's outbox holds nothing. */
async function outboxEmpty(page) {
  return (await outbox(page)).deliveries.length === 0;
}

/** Exactly one record for `id` in the inbox, and its deliveries counted. */
async function deliveredOnce(email, id) {
  const records = await eventually(() => stored(email).then((r) => r.length && r));
  assert.deepEqual(records.map((r) => r.record.submission_id), [id], "exactly one record, this one");
}

test("backend down, then up: the record waits on the device and arrives once", async () => {
  const context = await visitor();
  const page = await contactPage(context);
  await backend.down();
  const email = "down-then-up@example.com";
  const id = await submit(page, email);
  await statusIs(page, SAVED);
  assert.equal((await outbox(page)).deliveries.length, 1, "kept in the outbox");
  assert.deepEqual(await stored(email), []);

  await backend.up();
  await advanceUntil(page, async () => (await stored(email)).length > 0);
  await deliveredOnce(email, id);
  await statusIs(page, SENT);
  assert.ok(await outboxEmpty(page), "the outbox is empty once delivered");
  await context.close();
});

test("500 three times, then 200: retried with backoff, stored once", async () => {
  const context = await visitor();
  const page = await contactPage(context);
  backend.plan({ status: 500 }, { status: 500 }, { status: 500 });
  const email = "five-hundred@example.com";
  const id = await submit(page, email);
  await statusIs(page, SAVED);
  await advanceUntil(page, async () => (await stored(email)).length > 0);
  await deliveredOnce(email, id);
  assert.deepEqual(backend.attemptsFor(id).map((a) => a.got), [500, 500, 500, 201]);
  assert.ok(backend.attemptsFor(id).every((a) => a.key === id), "Idempotency-Key on every attempt");
  await statusIs(page, SENT);
  await context.close();
});

test("429 with Retry-After: the next attempt waits as long as the server asked", async () => {
  const context = await visitor();
  const page = await contactPage(context);
  backend.plan({ status: 429, retryAfter: 30 });
  const email = "rate-limited@example.com";
  const id = await submit(page, email);
  await statusIs(page, SAVED);
  // The backoff alone would retry within 2 s; Retry-After says 30.
  for (let i = 0; i < 25; i++) await page.clock.fastForward(1000);
  assert.equal(backend.attemptsFor(id).length, 1, "no retry before Retry-After");
  await advanceUntil(page, async () => (await stored(email)).length > 0);
  await deliveredOnce(email, id);
  assert.deepEqual(backend.attemptsFor(id).map((a) => a.got), [429, 201]);
  await context.close();
});

test("a request that times out is retried, and the backend keeps one copy", async () => {
  const context = await visitor();
  const page = await contactPage(context);
  // The backend stores the record but answers only after a minute.
  backend.plan({ hang: 60000, forward: true });
  const email = "slow-backend@example.com";
  const id = await submit(page, email);
  await eventually(() => backend.attemptsFor(id).length === 1);
  await advanceUntil(page, async () => backend.attemptsFor(id).length >= 2);
  await deliveredOnce(email, id);
  assert.deepEqual(backend.attemptsFor(id).map((a) => a.got), ["hung", 200], "the repeat is answered as a duplicate");
  await statusIs(page, SENT);
  await context.close();
});

test("offline, then online: nothing is sent offline, everything on reconnect", async () => {
  const context = await visitor();
  const page = await contactPage(context);
  await context.setOffline(true);
  const email = "offline@example.com";
  const id = await submit(page, email);
  await statusIs(page, OFFLINE);
  for (let i = 0; i < 30; i++) await page.clock.fastForward(1000);
  assert.equal(backend.attemptsFor(id).length, 0, "no attempts while offline");

  await context.setOffline(false);
  await deliveredOnce(email, id);
  await statusIs(page, SENT);
  await context.close();
});

test("tab closed right after submit: the next page with the widget sends it, once", async () => {
  const context = await visitor();
  const page = await contactPage(context);
  // The first POST is stored but never answered before the tab closes.
  backend.plan({ hang: 60000, forward: true });
  const email = "closed-tab@example.com";
  const id = await submit(page, email);
  await eventually(() => backend.attemptsFor(id).length === 1);
  await page.close({ runBeforeUnload: true });

  const again = await contactPage(context);
  await advanceUntil(again, () => outboxEmpty(again));
  await deliveredOnce(email, id);
  assert.ok(backend.attemptsFor(id).length >= 2, "sent again from the reopened page");
  await context.close();
});

test("a tab closed while the backend is down leaves the record for the next visit", async () => {
  const context = await visitor();
  const page = await contactPage(context);
  await backend.down();
  const email = "closed-while-down@example.com";
  const id = await submit(page, email);
  await statusIs(page, SAVED);
  await page.close({ runBeforeUnload: true });
  await backend.up();
  assert.deepEqual(await stored(email), []);

  // Any page with the loader flushes the outbox, even without a widget in view.
  const home = await openPage(context, site.url + "/");
  await eventually(async () => (await stored(email)).length > 0, { timeout: 15000 });
  await deliveredOnce(email, id);
  await eventually(() => outboxEmpty(home));
  await context.close();
});

test("two tabs: both records arrive once and both visitors see them sent", async () => {
  const context = await visitor();
  const [first, second] = [await contactPage(context), await contactPage(context)];
  await backend.down();
  const a = await submit(first, "tab-one@example.com");
  const b = await submit(second, "tab-two@example.com");
  await statusIs(first, SAVED);
  await statusIs(second, SAVED);

  await backend.up();
  await advanceUntil(first, async () => (await stored("tab-one@example.com")).length > 0 &&
    (await stored("tab-two@example.com")).length > 0);
  await deliveredOnce("tab-one@example.com", a);
  await deliveredOnce("tab-two@example.com", b);
  // Whichever tab drained, each visitor hears that their record went out.
  await statusIs(first, SENT);
  await statusIs(second, SENT);
  assert.ok(await outboxEmpty(first));
  await context.close();
});

test("the same record delivered twice is stored once", async () => {
  const context = await visitor();
  const page = await contactPage(context);
  // Stored, but the answer is lost to a 503: the browser must send it again.
  backend.plan({ status: 503, forward: true });
  const email = "twice@example.com";
  const id = await submit(page, email);
  await advanceUntil(page, async () => backend.attemptsFor(id).length >= 2);
  await deliveredOnce(email, id);
  // The repeat reached the backend; wait for the inbox's answer to it too.
  const attempts = await eventually(() =>
    backend.attemptsFor(id).every((a) => a.stored !== undefined) && backend.attemptsFor(id));
  assert.deepEqual(attempts.map((a) => a.stored), [201, 200], "the inbox saw the repeat and kept the first");
  await statusIs(page, SENT);
  await context.close();
});

test("a 400 is kept and reported, and goes out once the site owner retries", async () => {
  const context = await visitor();
  const page = await contactPage(context);
  const failed = page.evaluate(() => new Promise((ok) =>
    document.addEventListener("accord:failed", (e) => ok(e.detail), { once: true })));
  backend.plan({ status: 400, body: "email domain not allowed" });
  const email = "refused@example.com";
  const id = await submit(page, email);
  const detail = await failed;
  assert.equal(detail.submission_id, id);
  assert.equal(detail.status, 400);
  assert.match(detail.reason, /HTTP 400: email domain not allowed/);
  await statusIs(page, REFUSED);
  assert.ok(page.errors.some((e) => e.includes("refused submission " + id)), "the site owner sees it in the console");

  // Kept, not retried on its own.
  for (let i = 0; i < 60; i++) await page.clock.fastForward(10000);
  assert.equal(backend.attemptsFor(id).length, 1);
  const [kept] = (await outbox(page)).deliveries;
  assert.equal(kept.submission_id, id);
  assert.equal(kept.state.state, "failed");
  assert.equal(kept.state.status, 400);
  assert.deepEqual(await stored(email), []);

  assert.equal(await page.evaluate(() => window.Accord.retryFailed()), 1);
  await deliveredOnce(email, id);
  await statusIs(page, SENT);
  await context.close();
});

test("rulebook destinations: a Web-to-Lead form post and HubSpot, each tracked on its own", async () => {
  const context = await visitor();
  await context.addCookies([{ name: "hubspotutk", value: "hutk-e2e", url: site.url }]);
  const hubspot = [];
  await context.route("https://api.hsforms.com/**", async (route) => {
    const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "content-type" };
    if (route.request().method() === "OPTIONS") return route.fulfill({ status: 204, headers: cors });
    hubspot.push(JSON.parse(route.request().postData()));
    // HubSpot is briefly unavailable: the form post must not be repeated.
    const status = hubspot.length === 1 ? 503 : 200;
    return route.fulfill({ status, headers: cors, contentType: "application/json", body: "{}" });
  });
  const page = await openPage(context, site.url + "/test/destinations.html");
  const form = page.locator("#sales");
  await form.getByLabel("Email").waitFor({ timeout: 15000 });
  await form.getByLabel("Email").fill("dest@example.com");
  await form.getByLabel("Salesforce").check();
  await form.getByLabel("HubSpot").check();
  await form.getByLabel("You may contact me about this request.").check();
  await form.getByRole("button", { name: "Send" }).click();
  await advanceUntil(page, async () => hubspot.length >= 2);
  await eventually(() => outboxEmpty(page));

  assert.deepEqual(backend.forms.filter((f) => f.email === "dest@example.com"), [{
    oid: "00D000000000062", email: "dest@example.com", "00N0000000Tools": "salesforce;hubspot", lead_source: "lead",
  }], "one form post, although HubSpot needed two attempts");
  const body = hubspot[1];
  assert.deepEqual(body.fields, [
    { objectTypeId: "0-1", name: "email", value: "dest@example.com" },
    { objectTypeId: "0-1", name: "crm_tools", value: "salesforce;hubspot" },
  ]);
  assert.equal(body.context.hutk, "hutk-e2e");
  assert.equal(body.context.pageName, "Talk to sales");
  assert.equal(body.context.pageUri, site.url + "/test/destinations.html");
  assert.deepEqual(body.legalConsentOptions, { consent: { consentToProcess: true, text: "You may contact me about this request." } });
  assert.match(body.submittedAt, /^\d{13}$/);
  await statusIs(page, SENT);
  await context.close();
});

test("two tabs and a form post cut short: the lead is posted once, and the site owner sees it unconfirmed", async () => {
  const context = await visitor();
  const hubspot = [];
  await context.route("https://api.hsforms.com/**", async (route) => {
    const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "content-type" };
    if (route.request().method() === "OPTIONS") return route.fulfill({ status: 204, headers: cors });
    hubspot.push(JSON.parse(route.request().postData()));
    return route.fulfill({ status: 200, headers: cors, contentType: "application/json", body: "{}" });
  });
  const open = async () => {
    const page = await openPage(context, site.url + "/test/destinations.html");
    await page.locator("#sales").getByLabel("Email").waitFor({ timeout: 15000 });
    return page;
  };
  const email = "cut-short@example.com";
  const posted = () => backend.forms.filter((f) => f.email === email);
  // The form endpoint takes the post but answers only much later.
  backend.holdForms(120000);
  const first = await open();
  const form = first.locator("#sales");
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("You may contact me about this request.").check();
  await form.getByRole("button", { name: "Send" }).click();
  await eventually(async () => posted().length === 1, { timeout: 15000 });

  // A second tab drains while the first is still sending: it must not
  // post the same lead again.
  const second = await open();
  await second.evaluate(() => window.dispatchEvent(new Event("online")));
  for (let i = 0; i < 5; i++) await second.clock.fastForward(1000);
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(posted().length, 1, "the second tab left the form post to the first");

  // The first tab closes before the answer: nobody knows whether the post
  // arrived. The next page does not post it again (a second lead in the
  // CRM); once the send could no longer be running, it is a failure the
  // site owner sees, and HubSpot, which was still to go, goes.
  await first.close();
  await second.close();
  backend.holdForms(0);
  const third = await open();
  await advanceUntil(third, async () => {
    const kept = (await outbox(third)).deliveries;
    return kept.length === 1 && kept[0].state.state === "failed";
  });
  const [kept] = (await outbox(third)).deliveries;
  assert.equal(kept.destination, 0, "the form post");
  assert.match(kept.state.reason, /^not confirmed: the page closed while this was being sent/);
  assert.equal(posted().length, 1, "posted once");
  assert.equal(hubspot.filter((b) => b.fields.some((f) => f.value === email)).length, 1, "HubSpot once");
  assert.ok(third.errors.some((e) => e.includes("not confirmed")), "the site owner sees it in the console");
  await context.close();
});

test("HubSpot refuses the lead: the record and the reason reach the site owner's report endpoint", async () => {
  const context = await visitor();
  await context.route("https://api.hsforms.com/**", async (route) => {
    const cors = { "access-control-allow-origin": "*", "access-control-allow-headers": "content-type" };
    if (route.request().method() === "OPTIONS") return route.fulfill({ status: 204, headers: cors });
    return route.fulfill({ status: 400, headers: cors, contentType: "application/json",
      body: '{"status":"error","message":"The request is not valid","errors":[{"message":"Form not found"}]}' });
  });
  const page = await openPage(context, site.url + "/test/report.html");
  const form = page.locator("#hubspot-only");
  await form.getByLabel("Email").waitFor({ timeout: 15000 });
  await form.getByLabel("Email").fill("misconfigured@example.com");
  await form.getByRole("button", { name: "Send" }).click();
  await form.getByRole("heading", { name: "Thank you" }).waitFor();
  await eventually(async () => (await form.locator(".delivery").textContent()) === REFUSED, { timeout: 15000 });

  // The lead reached the owner's inbox through the report endpoint...
  const [lead] = await eventually(() => stored("misconfigured@example.com").then((r) => r.length && r));
  assert.equal(lead.record.rulebook.id, "hubspot-only");
  // (The page's own inline rulebook is not one the inbox knows.)
  assert.equal(lead.verification, "unknown_rulebook");
  // ...with what HubSpot said.
  const failures = await eventually(async () => {
    const list = (await (await fetch(inbox.url + "/api/failures")).json()).failures;
    return list.filter((f) => f.submission_id === lead.record.submission_id).length && list;
  });
  const failure = failures.find((f) => f.submission_id === lead.record.submission_id);
  assert.equal(failure.failed, "delivery");
  assert.equal(failure.destination, 0);
  assert.equal(failure.status, 400);
  assert.match(failure.url, /^https:\/\/api\.hsforms\.com\/submissions\/v3\/integration\/submit\/123456\//);
  assert.match(failure.reason, /Form not found/);
  // The HubSpot delivery stays in the outbox for the owner to retry; the
  // report leaves it once the page has read the inbox's answer (which can
  // come after the inbox stored the failure).
  const kept = await eventually(async () => {
    const deliveries = (await outbox(page)).deliveries;
    return deliveries.every((d) => d.destination !== 1000) && deliveries;
  });
  assert.deepEqual(kept.map((d) => [d.destination, d.state.state]), [[0, "failed"]]);
  await context.close();
});

test("the capture-only form works beside the rulebook's destinations, through the report endpoint", async () => {
  const context = await visitor();
  const page = await openPage(context, site.url + "/test/report.html");
  const form = page.locator("#broken");
  await form.getByRole("heading", { name: "Contact us" }).waitFor({ timeout: 15000 });
  await form.getByLabel("Name").fill("Casey");
  await form.getByLabel("Email").fill("capture-report@example.com");
  await form.getByLabel("Message").fill("Your form is broken, but here I am.");
  await form.getByRole("button", { name: "Send" }).click();
  await eventually(async () => (await form.locator(".delivery").textContent()) === SENT, { timeout: 15000 });
  const [lead] = await eventually(() => stored("capture-report@example.com").then((r) => r.length && r));
  assert.equal(lead.record.rulebook.id, "accord-capture");
  assert.equal(lead.record.answers.message, "Your form is broken, but here I am.");
  const failures = (await (await fetch(inbox.url + "/api/failures")).json()).failures;
  const failure = failures.find((f) => f.submission_id === lead.record.submission_id);
  assert.equal(failure.failed, "rulebook");
  assert.match(failure.url, /\/test\/no-such-rulebook\.json$/);
  assert.match(failure.reason, /404/);
  await context.close();
});

test("storage full: the record is sent from memory, the site owner is told, and it arrives once", async () => {
  const context = await visitor();
  const page = await contactPage(context);
  const warnings = [];
  page.on("console", (m) => { if (m.type() === "warning") warnings.push(m.text()); });
  // Another script on the site filled this origin's storage to the quota.
  const filled = await page.evaluate(() => {
    // Big pieces first, then ever smaller ones, until not a character fits.
    let n = 0, last = null;
    for (let size = 256 * 1024; size >= 1; size = Math.floor(size / 2)) {
      const chunk = "x".repeat(size);
      try { for (;;) localStorage.setItem("filler:" + n++, chunk); } catch (e) { last = e.name; }
    }
    return last;
  });
  assert.equal(filled, "QuotaExceededError");
  await backend.down();
  const email = "full-storage@example.com";
  const id = await submit(page, email);
  await statusIs(page, "Not sent yet. We will keep trying while this page is open.");
  assert.ok(warnings.some((w) => w.includes("would not store the record")), warnings.join("\n"));
  assert.equal(await page.evaluate(() => localStorage.getItem("accord:outbox")), null, "nothing half-written");

  await backend.up();
  await advanceUntil(page, async () => (await stored(email)).length > 0);
  await deliveredOnce(email, id);
  await statusIs(page, SENT);
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith("filler:")) localStorage.removeItem(k); });
  await context.close();
});

test("a corrupt outbox entry among good ones: the good records arrive, the bad one is kept aside and reported", async () => {
  // Two records an earlier visit stored, with a broken entry between them
  // (a browser extension, a half-written value).
  const records = ["aside-one@example.com", "aside-two@example.com"].map((email) => JSON.parse(execFileSync(
    join(repoRoot, "target/debug/accord"), ["score", join(repoRoot, "static/rulebooks/minimal.json"), "--submitted-at", "2026-11-30T10:00:00Z"],
    { input: JSON.stringify({ answers: { email, employees: "large" } }) + "\n" }).toString().trim()));
  const delivery = (record) => ({
    submission_id: record.submission_id, destination: 0,
    request: { url: backend.url + "/api/records", content_type: "application/json", body: JSON.stringify(record), idempotent: true },
    attempts: 0, next_attempt_at: 0, created_at: 0, state: { state: "pending" },
  });
  const stored = { deliveries: [delivery(records[0]), { submission_id: 42, request: "garbage" }, delivery(records[1])] };
  const context = await visitor();
  await context.addInitScript((outbox) => {
    if (!sessionStorage.getItem("seeded")) {
      sessionStorage.setItem("seeded", "1");
      localStorage.setItem("accord:outbox", outbox);
    }
  }, JSON.stringify(stored));
  const page = await contactPage(context);
  for (const [i, record] of records.entries()) {
    await deliveredOnce(["aside-one@example.com", "aside-two@example.com"][i], record.submission_id);
  }
  const aside = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("accord:outbox:unreadable:"))
    .map((k) => JSON.parse(localStorage.getItem(k))));
  assert.deepEqual(aside, [[{ submission_id: 42, request: "garbage" }]], "kept aside, never deleted");
  assert.ok(page.errors.some((e) => e.includes("could not be read") && e.includes("the others are sent")), page.errors.join("\n"));
  await eventually(() => outboxEmpty(page));
  await context.close();
});
