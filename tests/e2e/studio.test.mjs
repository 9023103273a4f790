// End-to-end: the rulebook studio (www/studio.html) on the built site, as a
// marketing-ops person uses it, by label: start from a template, add a
// question and a criterion with the condition builder, watch a fixture
// turn green and the preview change, enter a bad threshold and find the
// problem at its control, sign off, see the sign-off go stale after an
// edit, publish, and check the downloaded file with `accord check` and
// `accord test`, and that the inbox it was published to verifies its first
// lead; reload and find the draft.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, openPage, repoRoot } from "./support/browser.mjs";
import { startSite } from "./support/site.mjs";
import { assertNoViolations } from "./support/axe.mjs";

let site, browser;
before(async () => {
  site = await startSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/** The list item (question, criterion, grade …) whose heading is `name`. */
function item(page, name) {
  // Items nest (a criterion in its score): the innermost is the last.
  return page.getByRole("listitem").filter({ has: page.getByRole("heading", { name, exact: true }) }).last();
}

async function openStudio(context) {
  const page = await openPage(context, site.url + "/studio.html");
  await page.getByRole("heading", { name: "Accord studio" }).waitFor({ timeout: 15000 });
  return page;
}

test("a marketing-ops person writes, proves, signs off and publishes a rulebook", async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await openStudio(context);
  await page.getByRole("button", { name: "Start from minimal" }).click();
  await page.getByRole("status").filter({ hasText: "Opened rulebooks/minimal.json." }).waitFor();
  const fixtures = page.getByRole("region", { name: "Fixture results" });
  await fixtures.getByText("2 of 2 pass").waitFor();

  // A new question: how many seats.
  await page.getByRole("button", { name: "Add question" }).click();
  const question = item(page, "question_3");
  await question.getByLabel("Question", { exact: true }).fill("Seats needed");
  const seats = item(page, "Seats needed");
  await seats.getByLabel("Field id").fill("seats");
  await seats.getByLabel("Answer type").selectOption("number");

  // The preview asks it at once; a lead with 80 seats is kept as a fixture.
  const preview = page.getByRole("region", { name: "Preview" });
  await preview.getByLabel("Email").fill("ana@bigco.example");
  await preview.getByLabel("Seats needed").fill("80");
  await preview.getByText("qualified · grade nurture").waitFor();
  await preview.getByRole("button", { name: "Keep this lead as a fixture" }).click();
  await fixtures.getByText("3 of 3 pass").waitFor();
  // Both teams expect such a lead to be marketing-qualified: it fails.
  const kept = item(page, "preview lead 3");
  await kept.getByLabel("Expected").fill('{"grade": "mql"}');
  await fixtures.getByText("2 of 3 pass").waitFor();
  await fixtures.getByText('grade: expected "mql", got "nurture"').waitFor();

  // A criterion, with the builder: 20 points at 50 seats or more.
  await page.getByRole("button", { name: "Add criterion" }).click();
  const criterion = item(page, "fit-2");
  await criterion.getByLabel("Criterion", { exact: true }).fill("Many seats");
  const many = item(page, "Many seats");
  await many.getByLabel("Points").fill("20");
  await many.getByLabel("Question or fact").selectOption({ label: "Seats needed" });
  await many.getByLabel("Comparison").selectOption({ label: "is at least" });
  await many.getByLabel("Value").fill("50");
  // The fixture turns green and the preview's lead changes grade.
  await fixtures.getByText("3 of 3 pass").waitFor();
  await preview.getByText("qualified · grade mql").waitFor();

  // A bad threshold: the problem shows at the control and in the list.
  const grade = item(page, "Marketing-qualified");
  await grade.getByLabel("Value").fill("ten");
  const problems = page.getByRole("region", { name: "Problems" });
  await problems.getByText("1 problem").waitFor();
  const earned = grade.getByRole("group", { name: "Earned when" });
  await earned.getByText(/type mismatch/).waitFor();
  await problems.getByRole("button", { name: "grades[0].when" }).click();
  await focusReaches(page, "grades[0].when");
  await grade.getByLabel("Value").fill("10");
  await problems.getByText("No problems").waitFor();
  await fixtures.getByText("3 of 3 pass").waitFor();

  // Sign off for marketing, then for sales.
  await page.getByRole("button", { name: "Sign off and publish" }).click();
  for (const [team, name] of [["marketing", "Priya Raman"], ["sales", "Tom Okafor"]]) {
    await page.getByLabel("Team").fill(team);
    await page.getByLabel("Your name").fill(name);
    await page.getByRole("button", { name: "Sign off these rules" }).click();
    await page.getByText(`Signed off by ${name} for ${team}.`).waitFor();
  }
  await page.getByRole("button", { name: "Definitions" }).click();
  const definitions = page.getByRole("region", { name: /^Definitions/ });
  await definitions.getByText("+20 Many seats").waitFor();
  await definitions.getByText("Seats needed ≥ 50").waitFor();
  assert.equal(await definitions.getByText("covers these rules").count(), 2);

  // Edit again: both sign-offs go stale.
  await page.getByRole("button", { name: "Edit" }).click();
  await item(page, "Many seats").getByLabel("Points").fill("25");
  await page.getByRole("button", { name: "Definitions" }).click();
  await definitions.getByText("+25 Many seats").waitFor();
  assert.equal(await definitions.getByText("stale: the rules changed after this sign-off").count(), 2);
  await page.getByRole("button", { name: "Changes" }).click();
  const changes = page.getByRole("region", { name: "Changes since the last agreed version" });
  await changes.getByText("“Seats needed” (seats) added (number)").waitFor();
  await changes.getByText("“Many seats” (Fit) added: +25 points when Seats needed ≥ 50").waitFor();

  // Publishing waits for sign-offs that cover these rules.
  await page.getByRole("button", { name: "Sign off and publish" }).click();
  const publish = page.getByRole("button", { name: "Publish and download" });
  assert.equal(await publish.isDisabled(), true);
  for (const [team, name] of [["marketing", "Priya Raman"], ["sales", "Tom Okafor"]]) {
    await page.getByLabel("Team").fill(team);
    await page.getByLabel("Your name").fill(name);
    await page.getByRole("button", { name: "Sign off these rules" }).click();
    await page.getByText(`Signed off by ${name} for ${team}.`).waitFor();
  }
  assert.equal(await page.getByLabel("Version to publish").inputValue(), "2");
  const [download] = await Promise.all([page.waitForEvent("download"), publish.click()]);
  assert.equal(download.suggestedFilename(), "minimal-2.json");
  const file = join(mkdtempSync(join(tmpdir(), "accord-studio-")), "minimal-2.json");
  await download.saveAs(file);
  // It went to the inbox as well (the demo's `accord inbox`, no tokens).
  await page.getByText("Published version 2 to the inbox").waitFor();
  // The snippet for the landing page, with the form prerendered by the inbox.
  await page.getByLabel("Where the site serves the rulebook").fill("/rulebooks/minimal-2.json");
  await page.getByRole("button", { name: "Make the snippet" }).click();
  await page.getByText("The snippet is ready").waitFor();
  const snippet = await page.getByLabel("Snippet to paste").inputValue();
  assert.match(snippet, /^<div data-accord-rulebook="\/rulebooks\/minimal-2.json" data-accord-endpoint="\/api\/records"/);
  assert.match(snippet, /<template shadowrootmode="open">.*<input value="2" type="hidden" name="accord_version">/s);
  assert.match(snippet, /<script src="\/accord-loader.js" defer><\/script>\n$/);
  await assertNoViolations(page, "sign off and publish, with the snippet");
  const viewport = page.viewportSize();
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.locator("section[aria-labelledby=sign-heading]").screenshot({ path: join(repoRoot, `tests/e2e/results/studio-snippet-${width}.png`) });
  }
  await page.setViewportSize(viewport);

  // The downloaded file is a valid, agreed rulebook whose fixtures pass.
  const accord = join(repoRoot, "target/debug/accord");
  const check = JSON.parse(execFileSync(accord, ["check", "--agreed", "--json", file]).toString());
  assert.equal(check.valid, true);
  assert.equal(check.agreed, true);
  // Published: stamped with its hash, the form a page's widget reads.
  assert.equal(check.published, "current");
  assert.deepEqual(check.sign_offs.map((s) => [s.team, s.state]), [["marketing", "current"], ["sales", "current"]]);
  const tested = JSON.parse(execFileSync(accord, ["test", "--json", file]).toString());
  assert.deepEqual([tested.passed, tested.failed], [3, 0]);
  // The inbox verifies a lead of the new version from the first one.
  const lead = execFileSync(accord, ["score", file], { input: '{"email": "ana@bigco.example", "seats": 80}\n' });
  const posted = await fetch(site.inbox.url + "/api/records", {
    method: "POST", headers: { "content-type": "application/json" }, body: lead,
  });
  assert.equal(posted.status, 201);
  assert.equal((await posted.json()).verification, "verified");
  const doc = JSON.parse(readFileSync(file, "utf8"));
  assert.equal(doc.version, "2");
  assert.deepEqual(doc.scores[0].criteria[1].when, { ">=": [{ var: "seats" }, 50] });

  // Other rules under a version the inbox already has: refused, and
  // nothing is downloaded for the site.
  let downloads = 0;
  page.on("download", () => downloads++);
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await item(page, "Many seats").getByLabel("Points").fill("30");
  await page.getByRole("button", { name: "Sign off and publish" }).click();
  await page.getByLabel("Team").fill("marketing");
  await page.getByLabel("Your name").fill("Priya Raman");
  await page.getByRole("button", { name: "Sign off these rules" }).click();
  await page.getByText("Signed off by Priya Raman for marketing.").waitFor();
  await page.getByLabel("Team").fill("sales");
  await page.getByLabel("Your name").fill("Tom Okafor");
  await page.getByRole("button", { name: "Sign off these rules" }).click();
  await page.getByText("Signed off by Tom Okafor for sales.").waitFor();
  await page.getByLabel("Version to publish").fill("2");
  await page.getByRole("button", { name: "Publish and download" }).click();
  await page.getByText(/Not published: the inbox refused version 2 \(HTTP 409\)/).waitFor();
  assert.equal(downloads, 0);
  // The refusal is the one error this page may log.
  const refusal = page.errors.findIndex((e) => /^409 .*\/api\/rulebooks$/.test(e));
  assert.ok(refusal >= 0, "the inbox answered 409");
  page.errors.splice(refusal, 1);
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  await item(page, "Many seats").getByLabel("Points").fill("25");

  // A reload finds the draft.
  await page.reload();
  await page.getByText("Restored your draft from this device.").waitFor();
  await item(page, "Many seats").waitFor();
  assert.equal(await item(page, "Many seats").getByLabel("Points").inputValue(), "25");
  assert.deepEqual(page.errors, []);
  await context.close();
});

/** Presses Tab (Shift+Tab with `back`) until the focused element matches
 * `want` (a description the page computes: its accessible label, id or
 * text); fails after 400 presses. Focus never falls back to the page's
 * body on the way. */
async function tabTo(page, want, { back = false } = {}) {
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    const focused = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) return null;
      const label = e.id && document.querySelector(`label[for="${CSS.escape(e.id)}"]`);
      return { id: e.id, text: (e.getAttribute("aria-label") || (label && label.textContent) || e.textContent || "").trim() };
    });
    assert.ok(focused, "focus fell to the page's body");
    if (want(focused)) return focused;
  }
  assert.fail("never reached the element");
}

/** Waits until the element with this id has focus (focus moves after the
 * render that follows an action). */
async function focusReaches(page, id) {
  await page.waitForFunction((id) => document.activeElement?.id === id, id, { timeout: 5000 })
    .catch(async () => assert.fail(`focus is on #${await page.evaluate(() => document.activeElement?.id)}, not #${id}`));
}

test("the studio works with the keyboard only, and focus is never lost", async () => {
  const context = await browser.newContext();
  const page = await openStudio(context);
  await page.getByRole("button", { name: "Start from minimal" }).waitFor();
  await tabTo(page, (f) => f.text === "Start from minimal");
  await page.keyboard.press("Enter");
  // Opening moves focus to the Edit view's button.
  await page.getByRole("heading", { name: "Grades" }).waitFor();
  await focusReaches(page, "view-edit");

  // Move the first question down: focus follows it (to its Up button, as
  // it is now the last and cannot go further down), and back up (to its
  // Down button, for the same reason).
  await tabTo(page, (f) => f.text === "Move question “Email” down");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.getElementById("fields[1]")?.querySelector("h3")?.textContent === "Email");
  await focusReaches(page, "fields[1]-up");
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.getElementById("fields[0]")?.querySelector("h3")?.textContent === "Email");
  await focusReaches(page, "fields[0]-down");

  // Add a question: focus goes to its first field; type its question.
  await tabTo(page, (f) => f.text === "Add question");
  await page.keyboard.press("Enter");
  await focusReaches(page, "fields[2].label");
  await page.keyboard.type("Phone");
  await page.getByRole("heading", { name: "Phone", exact: true }).waitFor();
  // Remove it: focus goes to the question before it.
  await tabTo(page, (f) => f.text === "Remove question “Phone”", { back: true });
  await page.keyboard.press("Enter");
  await focusReaches(page, "fields[1]");
  assert.equal(await page.getByRole("heading", { name: "Phone", exact: true }).count(), 0);

  // Change a grade's threshold through the builder, then undo it.
  await tabTo(page, (f) => f.id === "grades[0].when~~value");
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("25");
  await page.getByRole("region", { name: "Fixture results" }).getByText("1 of 2 pass").waitFor();
  await tabTo(page, (f) => f.text === "Undo", { back: true });
  await page.keyboard.press("Enter");
  await page.getByRole("region", { name: "Fixture results" }).getByText("2 of 2 pass").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Undo");

  // The views switch with the keyboard and keep focus on their button.
  await tabTo(page, (f) => f.id === "view-definitions");
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: /^Definitions/ }).waitFor();
  await focusReaches(page, "view-definitions");
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("rulebooks open from a file, a drop and a URL; the JSON view and the forms stay in step; items reorder by dragging; the preview asks each audience its questions", async () => {
  const context = await browser.newContext();
  const page = await openStudio(context);
  page.on("dialog", (d) => d.accept());
  const status = page.getByRole("status").first();

  // From a file picked with the file chooser.
  await page.getByLabel("Rulebook file (.json), or drop it on this page").setInputFiles(join(repoRoot, "static/rulebooks/inbound.json"));
  await page.getByText("Opened inbound.json.").waitFor();

  // The preview asks the form its questions, and the call its own.
  const preview = page.getByRole("region", { name: "Preview" });
  await preview.getByLabel("Anything we should know?").waitFor();
  await preview.getByRole("button", { name: "Call" }).click();
  await preview.getByLabel("Anything we should know?").waitFor({ state: "detached" });
  await preview.getByLabel("Full name").waitFor();
  assert.equal(await preview.getByText("I agree that Northwind may contact me").count(), 0);

  // Sign-offs written by hand (the example's) bind to no rules; one that
  // nobody will renew can be removed.
  await page.getByRole("button", { name: "Sign off and publish" }).click();
  const unbound = page.getByText("not bound to these rules (signed outside the studio)");
  assert.equal(await unbound.count(), 2);
  await page.getByRole("button", { name: "Remove the sign-off of Tom Okafor (sales)" }).click();
  await page.waitForFunction(() => document.querySelectorAll(".sign-offs li").length === 1);
  assert.equal(await unbound.count(), 1);
  await page.getByRole("button", { name: "Edit", exact: true }).click();

  // From a file dropped on the page.
  await page.getByRole("button", { name: "Open another" }).click();
  await page.getByRole("heading", { name: "Open a rulebook" }).waitFor();
  const text = readFileSync(join(repoRoot, "static/rulebooks/minimal.json"), "utf8");
  const dropped = await page.evaluateHandle((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], "dropped.json", { type: "application/json" }));
    return data;
  }, text);
  await page.locator(".start").dispatchEvent("drop", { dataTransfer: dropped });
  await page.getByText("Opened dropped.json.").waitFor();

  // From a URL; something that is not a rulebook is refused with a reason.
  await page.getByRole("button", { name: "Open another" }).click();
  await page.getByLabel("Rulebook URL").fill(site.url + "/rulebooks.json");
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByText(/is JSON but not a rulebook/).waitFor();
  await page.getByLabel("Rulebook URL").fill(site.url + "/rulebooks/minimal.json");
  await page.getByRole("button", { name: "Open", exact: true }).click();
  await page.getByRole("heading", { name: "Grades" }).waitFor();

  // The JSON view shows a form edit, and a JSON edit shows in the forms.
  await page.getByLabel("Title (the form's heading)").fill("Talk to sales");
  await page.getByRole("button", { name: "JSON", exact: true }).click();
  const json = page.getByLabel("The rulebook as JSON (applies as soon as it is JSON)");
  assert.match(await json.inputValue(), /"title": "Talk to sales"/);
  const edited = (await json.inputValue()).replace('"title": "Talk to sales"', '"title": "Book a call"');
  await json.fill(edited.replace(/}\s*$/, ""));
  await page.getByText(/Not applied, not JSON yet/).waitFor();
  assert.equal(await page.getByRole("heading", { level: 1 }).textContent(), "Accord studio · Talk to sales");
  await json.fill(edited);
  await page.getByRole("heading", { level: 1, name: "Accord studio · Book a call" }).waitFor();
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  assert.equal(await page.getByLabel("Title (the form's heading)").inputValue(), "Book a call");


  // Drag the fallback grade above the other: a problem; undo puts it back.
  const problems = page.getByRole("region", { name: "Problems" });
  // By its head, the handle (a drag inside a text box is not a move).
  await item(page, "Nurture").getByRole("heading", { name: "Nurture" }).dragTo(item(page, "Marketing-qualified"));
  await page.waitForFunction(() => document.getElementById("grades[0]")?.querySelector("h3")?.textContent === "Nurture");
  await problems.getByText(/can never be reached|the last grade must have no/).first().waitFor();
  await page.getByRole("button", { name: "Undo" }).click();
  await problems.getByText("No problems").waitFor();
  await page.waitForFunction(() => document.getElementById("grades[0]")?.querySelector("h3")?.textContent === "Marketing-qualified");
  // An option dragged onto another option moves among its question's
  // options only; the questions keep their order.
  const size = item(page, "Company size");
  await size.getByRole("heading", { name: "large", exact: true }).dragTo(item(page, "small"));
  await page.waitForFunction(() => document.getElementById("fields[1].options[0]")?.querySelector("h5")?.textContent === "large");
  assert.equal(await page.evaluate(() => document.getElementById("fields[0]").querySelector("h3").textContent), "Email");

  // A condition the builder has no row for shows as JsonLogic text, kept
  // as written, checked as it is typed.
  await page.getByRole("button", { name: "JSON", exact: true }).click();
  const doc = JSON.parse(await json.inputValue());
  doc.grades[0].when = { "<": [5, { var: "score.fit" }] };
  await json.fill(JSON.stringify(doc, null, 2));
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  const logic = item(page, "Marketing-qualified").getByLabel("JsonLogic (a shape the builder does not show)");
  assert.equal(await logic.inputValue(), '{"<":[5,{"var":"score.fit"}]}');
  await logic.fill('{"<":[5,{"var":"score.fit"}]');
  await item(page, "Marketing-qualified").getByText(/Not applied, not JSON yet/).waitFor();
  await logic.fill('{"<":[9,{"var":"score.fit"}]}');
  await page.getByRole("button", { name: "JSON", exact: true }).click();
  assert.deepEqual(JSON.parse(await json.inputValue()).grades[0].when, { "<": [9, { var: "score.fit" }] });
  await page.getByRole("button", { name: "Edit", exact: true }).click();
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("the impact report re-qualifies a dropped file of 100,000 leads in the page, with a progress bar, and counts exactly what accord diff counts", async () => {
  const dir = mkdtempSync(join(tmpdir(), "accord-impact-"));
  const leads = join(dir, "leads.jsonl");
  writeFileSync(leads, execFileSync("node", [join(repoRoot, "scripts/make-leads.mjs"), "100000"], { maxBuffer: 1 << 28 }));
  // The draft lowers the sales-ready total from 60 to 40; the same change,
  // written by hand, is what `accord diff` compares natively.
  const inbound = JSON.parse(readFileSync(join(repoRoot, "static/rulebooks/inbound.json"), "utf8"));
  const lowered = structuredClone(inbound);
  lowered.grades[0].when.and[0][">="][1] = 40;
  writeFileSync(join(dir, "lowered.json"), JSON.stringify(lowered));
  const native = JSON.parse(execFileSync(join(repoRoot, "target/debug/accord"),
    ["diff", "--json", join(repoRoot, "static/rulebooks/inbound.json"), join(dir, "lowered.json"), leads],
    { maxBuffer: 1 << 26 }).toString());

  const context = await browser.newContext();
  const page = await openStudio(context);
  await page.getByRole("button", { name: "Start from northwind-inbound" }).click();
  const sql = item(page, "Sales-ready");
  await sql.getByLabel("Value").first().fill("40");
  await page.getByRole("region", { name: "Problems" }).getByText("No problems").waitFor();
  await page.getByRole("button", { name: "Impact", exact: true }).click();
  await page.getByLabel("Leads file: records (JSON Lines) or CSV, or drop it here").setInputFiles(leads);
  // It runs in slices: the progress bar shows while the page stays usable.
  await page.getByRole("progressbar", { name: "Re-qualifying the leads" }).waitFor();
  await page.getByRole("button", { name: "Edit", exact: true }).focus();
  await page.getByText("100000 leads of leads.jsonl re-qualified with both versions.").waitFor({ timeout: 120000 });

  // The matrix the page shows is the one accord diff computed.
  assert.ok(Object.keys(native.impact.transitions).length >= 3, "accord diff found grades");
  const matrix = page.getByRole("table", { name: /Grade with the last agreed version/ });
  for (const [from, row] of Object.entries(native.impact.transitions)) {
    for (const [to, fates] of Object.entries(row)) {
      const cell = matrix.getByRole("row", { name: new RegExp("^" + from + " ") }).getByRole("cell").nth(
        await matrix.getByRole("columnheader").evaluateAll((hs, to) => hs.findIndex((h) => h.textContent === to) - 1, to));
      assert.equal(await cell.textContent(), String(fates.leads), `${from} → ${to}`);
    }
  }
  const moved = native.impact.transitions.mql.sql.leads;
  await page.getByText(`${moved} leads go from mql to sql`).waitFor();
  await page.getByRole("heading", { name: /^Moving leads \(\d+\)$/ }).waitFor();
  // A moving lead opens on both explanations.
  const first = page.locator(".movers details").first();
  await first.locator("summary").click();
  await first.getByRole("heading", { name: "Agreed version" }).waitFor();
  await first.getByText(/grade: Sales-ready \(sql\)/).waitFor();
  await assertNoViolations(page, "studio impact report");
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("enrichment is written without JSON: attributes, providers, a question it answers, and conditions on what it found", async () => {
  const context = await browser.newContext();
  const page = await openStudio(context);
  await page.getByRole("button", { name: "Start from northwind-enriched" }).click();
  await page.getByRole("status").filter({ hasText: "Opened rulebooks/enriched.json." }).waitFor();
  const fixtures = page.getByRole("region", { name: "Fixture results" });
  await fixtures.getByText("5 of 5 pass").waitFor();
  const section = page.getByRole("region", { name: "Enrichment" });

  // The lookup's timeout, and a new attribute it fills.
  const lookup = item(page, "company-lookup");
  await lookup.getByLabel("Timeout (ms)").fill("900");
  await section.getByRole("button", { name: "Add attribute" }).click();
  const added = item(page, "attribute_7");
  await added.getByLabel("Attribute", { exact: true }).fill("Revenue band");
  const revenue = item(page, "Revenue band");
  await revenue.getByLabel("Attribute id").fill("revenue");
  // Not filled by any provider yet: the engine says so at the attribute.
  await page.getByText("no provider's map fills this attribute").first().waitFor();
  await lookup.getByLabel("Map").fill('{"employees": "/employees", "industry": "/industry", "country": "/country", "revenue": "/revenue"}');
  await page.getByText("no provider's map fills this attribute").waitFor({ state: "detached" });

  // The size question is asked always from now on: a fixture that relied
  // on the lookup answering it fails, naming what differs.
  const size = item(page, "How many people work at your company?");
  await size.getByLabel("Answered by enrichment").selectOption({ label: "Never: always asked" });
  await fixtures.getByText("4 of 5 pass").waitFor();
  await size.getByLabel("Answered by enrichment").selectOption({ label: "When enriched.employees is known" });
  await fixtures.getByText("5 of 5 pass").waitFor();

  // A criterion on what enrichment found, with the builder.
  const criterion = item(page, "Starting this quarter");
  await criterion.getByLabel("Question or fact").selectOption({ label: "Enriched: Revenue band" });
  await assertNoViolations(page, "the studio with enrichment");

  await page.getByRole("button", { name: "JSON", exact: true }).click();
  const json = JSON.parse(await page.getByLabel("The rulebook as JSON (applies as soon as it is JSON)").inputValue());
  assert.equal(json.enrichment.providers[1].timeout_ms, 900);
  assert.equal(json.enrichment.attributes[6].id, "revenue");
  assert.equal(json.fields[2].skip_when_enriched, "employees");
  assert.deepEqual(page.errors, []);
});
