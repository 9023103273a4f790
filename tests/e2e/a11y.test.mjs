// End-to-end: axe-core (from npm, run in the page) finds no accessibility
// violation on the landing page with the widget and on each view of the rep
// console, on each view of the rulebook studio, and on the inbox page, at a
// desktop width (1280 px) and a phone
// width (390 px). Each state is saved as a screenshot in tests/e2e/results/
// to look at.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launch, openPage, repoRoot } from "./support/browser.mjs";
import { startSite, eventually } from "./support/site.mjs";
import { assertNoViolations } from "./support/axe.mjs";

const results = join(repoRoot, "tests/e2e/results");
const WIDTHS = [1280, 390];

let site, browser;
before(async () => {
  site = await startSite();
  browser = await launch();
  mkdirSync(results, { recursive: true });
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/** Saves a screenshot, after checking that nothing makes the page itself
 * scroll sideways (wide tables scroll inside their own box). */
async function shoot(page, name) {
  const { width, scrollWidth, widest } = await page.evaluate(() => {
    // The innermost elements that reach past the window, to name in a failure.
    const past = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth)
      .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > window.innerWidth));
    return {
      width: window.innerWidth, scrollWidth: document.documentElement.scrollWidth,
      widest: past.slice(0, 5).map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}.${e.className}: ${(e.textContent || "").slice(0, 40)}`),
    };
  });
  assert.ok(scrollWidth <= width, `${name}: the page is ${scrollWidth} px wide in a ${width} px window; past its edge: ${widest.join(" | ")}`);
  await page.screenshot({ path: join(results, `${name}.png`), fullPage: true });
}

for (const width of WIDTHS) {
  test(`the landing page with the widget has no axe violation at ${width} px`, async () => {
    const page = await openPage(browser, site.url + "/");
    await page.setViewportSize({ width, height: 900 });
    const widget = page.locator("[data-accord-rulebook]");
    await widget.getByLabel("Email").waitFor({ timeout: 15000 });
    await assertNoViolations(page, `landing at ${width} px`);
    // With problems shown next to their fields.
    await widget.getByRole("button", { name: "Continue" }).click();
    await widget.getByText("Please fill in this field.").first().waitFor();
    await assertNoViolations(page, `landing with problems at ${width} px`);
    await shoot(page, `landing-${width}`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });

  test(`every console view has no axe violation at ${width} px`, async () => {
    const page = await openPage(browser, site.url + "/console.html");
    await page.setViewportSize({ width, height: 900 });
    await page.getByText(/^Question 1 of \d+$/).waitFor({ timeout: 15000 });
    await assertNoViolations(page, `console call view at ${width} px`);
    await page.getByRole("button", { name: "Save call" }).click();
    await page.getByText("Choose how the call ended (Disposition).").waitFor();
    await assertNoViolations(page, `console call view with problems at ${width} px`);
    await shoot(page, `console-call-${width}`);

    await page.getByRole("tab", { name: "Feedback" }).click();
    await page.getByRole("heading", { name: "Leads from marketing" }).waitFor();
    await assertNoViolations(page, `console feedback view at ${width} px`);
    await shoot(page, `console-feedback-${width}`);

    // An open lead, then a call that follows it up.
    const company = `Follow${width}`;
    const line = execFileSync(join(repoRoot, "target/debug/accord"),
      ["score", join(repoRoot, "static/rulebooks/inbound.json")],
      { input: JSON.stringify({ email: `pat${width}@follow.example`, company, role: "manager" }) + "\n" });
    assert.equal((await fetch(site.inbox.url + "/api/records", {
      method: "POST", headers: { "content-type": "application/json" }, body: line.toString().trim(),
    })).status, 201);
    await page.getByRole("button", { name: "Load leads from the inbox" }).click();
    await page.getByRole("button", { name: `Open lead ${company} (pat${width}@follow.example)` }).click();
    await page.getByRole("heading", { name: `Lead: ${company} (pat${width}@follow.example)` }).waitFor();
    await assertNoViolations(page, `console open lead at ${width} px`);
    await shoot(page, `console-lead-${width}`);
    await page.getByRole("button", { name: "Call this lead" }).click();
    await page.getByText(new RegExp(`^Following up ${company}`)).waitFor();
    await assertNoViolations(page, `console follow-up call at ${width} px`);
    await shoot(page, `console-follow-up-${width}`);
    // "Not a follow-up" goes away; focus moves to the question, not the body.
    await page.getByRole("button", { name: "Not a follow-up" }).click();
    await page.getByText(/^Following up/).waitFor({ state: "detached" });
    await eventually(async () => (await page.evaluate(() => document.activeElement?.id)) === "f-contact_email");

    await page.getByRole("tab", { name: "Recent calls" }).click();
    await page.getByRole("heading", { name: "Recent calls on this device" }).waitFor();
    await assertNoViolations(page, `console recent calls at ${width} px`);
    await shoot(page, `console-recent-${width}`);

    await page.getByRole("button", { name: "Shortcuts (?)" }).click();
    await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
    await assertNoViolations(page, `console shortcuts dialog at ${width} px`);
    await shoot(page, `console-help-${width}`);
    // The dialog fits the screen (it scrolls inside), so Close is reachable,
    // and closing gives focus back to the button that opened it.
    const box = await page.getByRole("dialog", { name: "Keyboard shortcuts" }).boundingBox();
    assert.ok(box.height <= 900, `the dialog is ${box.height} px tall`);
    await page.getByRole("button", { name: "Close" }).click();
    await page.getByRole("dialog").waitFor({ state: "detached" });
    // Focus returns with the render that closes it: wait for it.
    await eventually(async () => (await page.evaluate(() => document.activeElement?.textContent)) === "Shortcuts (?)");
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

for (const width of WIDTHS) {
  test(`the inbox and report pages have no axe violation and fit a ${width} px screen`, async () => {
    // A lead with long unbroken text, as real answers have.
    const line = execFileSync(join(repoRoot, "target/debug/accord"),
      ["score", join(repoRoot, "static/rulebooks/inbound.json")],
      { input: JSON.stringify({ email: `a-very-long-address-without-breaks-${width}@subdomain.example-company.example`, company: "Initech", role: "manager" }) + "\n" });
    const posted = await fetch(site.inbox.url + "/api/records", {
      method: "POST", headers: { "content-type": "application/json" }, body: line.toString().trim(),
    });
    assert.equal(posted.status, 201);
    const page = await openPage(browser, site.inbox.url + "/inbox");
    await page.setViewportSize({ width, height: 900 });
    await page.getByRole("table", { name: "Records" }).waitFor();
    await assertNoViolations(page, `inbox page at ${width} px`);
    await shoot(page, `inbox-${width}`);
    // The report, one click away, reads the same way.
    await page.getByRole("link", { name: "Pipeline report" }).click();
    await page.getByRole("heading", { name: "Pipeline report" }).waitFor();
    await page.getByRole("img", { name: /Verified leads per week/ }).waitFor();
    await assertNoViolations(page, `report page at ${width} px`);
    await shoot(page, `report-${width}`);
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}

for (const width of WIDTHS) {
  test(`every view of the studio has no axe violation at ${width} px`, async () => {
    // Its own context: the studio keeps its draft in this origin's storage.
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await openPage(context, site.url + "/studio.html");
    await page.getByRole("button", { name: "Start from northwind-inbound" }).waitFor({ timeout: 15000 });
    await assertNoViolations(page, `studio start at ${width} px`);
    await shoot(page, `studio-start-${width}`);
    await page.getByRole("button", { name: "Start from northwind-inbound" }).click();
    await page.getByRole("heading", { name: "Grades" }).waitFor();
    // With a problem at its control.
    await page.getByLabel("Rulebook id").fill("not an id");
    await page.getByRole("region", { name: "Problems" }).getByText("1 problem").waitFor();
    await assertNoViolations(page, `studio editing with a problem at ${width} px`);
    await shoot(page, `studio-edit-${width}`);
    await page.getByLabel("Rulebook id").fill("northwind-inbound");
    for (const view of ["JSON", "Definitions", "Changes", "Impact", "Sign off and publish"]) {
      await page.getByRole("button", { name: view, exact: true }).click();
      await page.getByRole("heading", { level: 2, name: new RegExp("^" + view.split(" ")[0]) }).first().waitFor();
      await assertNoViolations(page, `studio ${view} at ${width} px`);
      await shoot(page, `studio-${view.split(" ")[0].toLowerCase()}-${width}`);
    }
    assert.deepEqual(page.errors, []);
    await context.close();
  });
}
