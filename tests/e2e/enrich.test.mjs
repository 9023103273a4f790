// End-to-end: enrichment in the widget. A visitor gives a work email; the
// rulebook's lookup (a provider this test runs) answers the company's size
// and industry, so those questions are not asked, and the record says
// where the answers came from. When the lookup does not answer in time,
// the visitor is asked as usual and the record says it timed out. The
// inbox verifies both from the records' own snapshots. A page may hold
// lookups back until the visitor consents.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, openPage, repoRoot } from "./support/browser.mjs";
import { startSite, eventually, publishFile } from "./support/site.mjs";
import { assertNoViolations } from "./support/axe.mjs";

const SIZE = "How many people work at your company?";

let site, browser, provider, dir;
const hits = new Map();
const held = [];

/** The lookup: knows acme.example; never answers slow.example in time. */
function startProvider() {
  const server = createServer((req, res) => {
    const domain = new URL(req.url, "http://x").searchParams.get("domain");
    hits.set(domain, (hits.get(domain) ?? 0) + 1);
    const headers = { "content-type": "application/json", "access-control-allow-origin": "*" };
    if (domain === "slow.example") {
      held.push(res);
      return;
    }
    if (domain === "acme.example") {
      res.writeHead(200, headers).end(JSON.stringify({ employees: 450, industry: "software", country: "US" }));
      return;
    }
    res.writeHead(404, headers).end("{}");
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

before(async () => {
  provider = await startProvider();
  dir = mkdtempSync(join(tmpdir(), "accord-enrich-"));
  const rulebook = JSON.parse(readFileSync(join(repoRoot, "static/rulebooks/enriched.json"), "utf8"));
  const lookup = rulebook.enrichment.providers.find((p) => p.kind === "http");
  lookup.url = `http://127.0.0.1:${provider.address().port}/v1/company?domain={derived.email_domain}`;
  lookup.timeout_ms = 1000;
  rulebook.version = "e2e";
  writeFileSync(join(dir, "enriched.json"), JSON.stringify(rulebook));
  // The same, asking for consent, for a page that looks up only after it.
  rulebook.version = "e2e-consent";
  rulebook.fields.push({ id: "consent", label: "Northwind may look up my company and contact me.", type: "consent", required: true });
  for (const fixture of rulebook.fixtures) fixture.answers.consent = true;
  writeFileSync(join(dir, "enriched-consent.json"), JSON.stringify(rulebook));
  for (const name of ["enriched.json", "enriched-consent.json"]) publishFile(join(dir, name));
  site = await startSite({ mounts: { "/enrich/": dir }, inbox: { rulebooks: [dir] } });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
  for (const res of held) res.destroy();
  provider?.closeAllConnections();
  provider?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function stored(email) {
  return eventually(async () => {
    const found = (await site.inbox.records()).find((r) => r.record.answers.email === email);
    return found;
  });
}

/** The `name` of the control that has focus inside the widget. */
function focusedName(page) {
  return page.evaluate(() => {
    const root = document.querySelector("#enriched").shadowRoot;
    return root.activeElement?.getAttribute("name") ?? null;
  });
}

test("a lead whose company size comes from the lookup is not asked it, and the record says so", async () => {
  const page = await openPage(browser, site.url + "/test/enrich.html");
  const widget = page.locator("#enriched");
  await widget.getByLabel("Full name").fill("Ada Lovelace");
  await widget.getByLabel("Work email").fill("ada@acme.example");
  // On to the size question, as a visitor would: the lookup answers it
  // while they are there, so it goes, and focus moves on, never to nowhere.
  await widget.getByLabel("Work email").press("Tab");
  await widget.getByLabel(SIZE).waitFor({ state: "hidden" });
  await widget.getByLabel("Industry").waitFor({ state: "hidden" });
  assert.equal(await focusedName(page), "timeline");
  assert.equal(hits.get("acme.example"), 1);
  await assertNoViolations(page, "the enriched form");

  await widget.getByLabel("When do you want to start?").selectOption("this_quarter");
  await widget.getByRole("button", { name: "Send" }).click();
  await widget.getByRole("heading", { name: "Thanks, let's talk" }).waitFor();

  const lead = await stored("ada@acme.example");
  const record = lead.record;
  assert.equal(lead.verification, "verified");
  assert.equal(record.qualification.grade, "sql");
  assert.equal(record.answers.employees, 450);
  assert.equal(record.answers.industry, "software");
  assert.equal(record.enrichment.status, "ok");
  assert.deepEqual(record.enrichment.answered, { employees: "employees", industry: "industry" });
  assert.equal(record.enrichment.sources.employees, "company-lookup");
  assert.equal(record.enrichment.values.free_mail, false);
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the same lead when the lookup times out is asked as usual, and the record says it timed out", async () => {
  const page = await openPage(browser, site.url + "/test/enrich.html");
  const widget = page.locator("#enriched");
  await widget.getByLabel("Full name").fill("Sam Slow");
  await widget.getByLabel("Work email").fill("sam@slow.example");
  await widget.getByLabel("Work email").press("Tab");
  // The lookup went out and does not answer: the visitor is not held up.
  await eventually(() => hits.get("slow.example") === 1);
  await widget.getByLabel(SIZE).fill("450");
  assert.equal(await widget.getByLabel(SIZE).isVisible(), true);
  await widget.getByLabel("Industry").selectOption("software");
  await widget.getByLabel("When do you want to start?").selectOption("this_quarter");
  await widget.getByRole("button", { name: "Send" }).click();
  await widget.getByRole("heading", { name: "Thanks, let's talk" }).waitFor();

  const lead = await stored("sam@slow.example");
  const record = lead.record;
  assert.equal(lead.verification, "verified");
  assert.equal(record.enrichment.status, "timeout");
  assert.equal(record.enrichment.providers["company-lookup"], "timeout");
  assert.equal(record.answers.employees, 450);
  assert.deepEqual(record.enrichment.answered ?? {}, {});
  assert.equal(record.qualification.grade, "sql");
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a page that looks up only after consent sends nothing until the visitor ticks the box", async () => {
  const page = await openPage(browser, site.url + "/test/enrich-consent.html");
  const widget = page.locator("#enriched");
  await widget.getByLabel("Full name").fill("Grace Consent");
  await widget.getByLabel("Work email").fill("grace@acme.example");
  const before = hits.get("acme.example") ?? 0;
  // Well past the debounce on the page's own clock: nothing was looked up.
  const typed = await page.evaluate(() => performance.now());
  await page.waitForFunction((t) => performance.now() > t + 1500, typed);
  assert.equal(hits.get("acme.example") ?? 0, before);
  assert.equal(await widget.getByLabel(SIZE).isVisible(), true);

  await widget.getByLabel("Northwind may look up my company and contact me.").check();
  await widget.getByLabel(SIZE).waitFor({ state: "hidden" });
  assert.equal(hits.get("acme.example"), before + 1);
  await widget.getByLabel("When do you want to start?").selectOption("this_quarter");
  await widget.getByRole("button", { name: "Send" }).click();
  await widget.getByRole("heading", { name: "Thanks, let's talk" }).waitFor();
  const lead = await stored("grace@acme.example");
  assert.equal(lead.verification, "verified");
  assert.equal(lead.record.rulebook.version, "e2e-consent");
  assert.equal(lead.record.enrichment.status, "ok");
  assert.equal(lead.record.answers.employees, 450);
  assert.deepEqual(page.errors, []);
  await page.close();
});
