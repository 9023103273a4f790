// End-to-end: champion and challenger. A page runs a challenger rulebook in
// the shadow of the live one (data-accord-shadow): the visitor and the
// delivery see only the live rulebook, the record carries the challenger's
// verdict, the inbox verifies it, and its report compares the two. A
// challenger that cannot be loaded changes nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launch, openPage } from "./support/browser.mjs";
import { startSite, eventually } from "./support/site.mjs";

let site, browser;
before(async () => {
  site = await startSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

async function send(widget, email) {
  await widget.getByLabel("Email").fill(email);
  await widget.getByLabel("Company size").selectOption("large");
  await widget.getByRole("button", { name: "Send" }).click();
  await widget.getByRole("heading", { name: "Thank you" }).waitFor();
}

async function stored(email) {
  return eventually(async () => {
    const found = (await site.inbox.records()).filter((r) => r.record.answers.email === email);
    return found.length && found;
  });
}

test("a challenger runs in the shadow of the live rulebook, and the inbox compares them", async () => {
  const page = await openPage(browser, site.url + "/test/shadow.html");
  const challenged = page.locator("#challenged");
  // Wait for the challenger, as a site owner could.
  await page.locator('#challenged[data-accord-shadow-status="ready"]').waitFor({ timeout: 15000 });
  await send(challenged, "ana@large.example");
  const [lead] = await stored("ana@large.example");
  // The live rulebook graded and delivered it; the challenger's verdict
  // rides along and verifies.
  assert.equal(lead.verification, "verified");
  assert.equal(lead.record.qualification.grade, "mql");
  assert.equal(lead.record.rulebook.version, "1");
  assert.deepEqual(lead.record.shadow.rulebook.version, "1-challenger");
  assert.equal(lead.record.shadow.grade, "nurture");
  assert.equal(lead.record.shadow.scores.fit, 10);
  assert.equal(lead.shadow_verification, "verified");
  assert.equal(await challenged.getAttribute("data-accord-grade"), "mql");

  // The report: the challenger agreed with none of the champion's mql.
  const report = await (await fetch(site.inbox.url + "/api/report")).json();
  const mql = report.agreement.find((a) => a.grade === "mql" && a.challenger_version === "1-challenger");
  assert.deepEqual([mql.leads, mql.agreed], [1, 0]);
  const cell = report.challengers.find((c) => c.grade === "mql" && c.challenger_grade === "nurture");
  assert.equal(cell.leads, 1);
  const csv = await (await fetch(site.inbox.url + "/api/report.csv?table=challengers")).text();
  assert.match(csv, /^minimal,1,minimal,1-challenger,mql,nurture,1,/m);

  // A challenger that cannot be loaded: the lead goes as it would without.
  const missing = page.locator("#missing");
  await page.locator('#missing[data-accord-shadow-status="unused"]').waitFor({ timeout: 15000 });
  await send(missing, "bo@large.example");
  const [plain] = await stored("bo@large.example");
  assert.equal(plain.verification, "verified");
  assert.equal(plain.record.shadow, undefined);
  assert.equal(plain.shadow_verification, undefined);
  // The only errors: the missing challenger's 404 (a warning names it).
  assert.deepEqual(page.errors.filter((e) => !/^404 .*no-such-challenger\.json$/.test(e)), []);
  await page.close();
});
