// End-to-end: the rep console (www/console.html) on the built site, with a
// real `accord inbox` behind /api/. A rep qualifies a call with the
// keyboard only, watches the missing-questions list change, saves calls
// offline, and sends feedback on marketing's leads that shows up in the
// inbox's per-grade summary.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { launch, openPage, repoRoot } from "./support/browser.mjs";
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

/** Opens the console on the MEDDPICC call rulebook. */
async function openConsole(context) {
  const page = await openPage(context ?? browser, site.url + "/console.html");
  await page.getByText(/^Question 1 of \d+$/).waitFor({ timeout: 15000 });
  return page;
}

async function callRecords(company) {
  return (await site.inbox.records()).filter((r) => r.record.channel === "call" && r.record.answers.company === company);
}

/** A web-form lead, scored by the native engine, posted to the inbox. */
async function marketingLead(answers) {
  const line = execFileSync(join(repoRoot, "target/debug/accord"),
    ["score", join(repoRoot, "static/rulebooks/inbound.json")], { input: JSON.stringify(answers) + "\n" });
  const record = JSON.parse(line.toString().trim());
  const res = await fetch(site.inbox.url + "/api/records", {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(record),
  });
  assert.equal(res.status, 201);
  return record;
}

async function feedbackFor(submissionId) {
  const res = await fetch(site.inbox.url + "/api/feedback");
  return (await res.json()).feedback.map((f) => f.feedback).filter((f) => f.submission_id === submissionId);
}

test("a rep qualifies a prospect with the keyboard only, and the call reaches the inbox", async () => {
  const page = await openConsole();
  const key = (k) => page.keyboard.press(k);
  const focused = () => page.evaluate(() => document.activeElement?.id);
  assert.equal(await focused(), "f-contact_email", "the call starts at its first question");

  // The shortcuts are listed on F1 and closed with Escape.
  await key("F1");
  await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
  assert.ok(await page.getByRole("dialog").getByText("Save the call").isVisible());
  await eventually(async () => (await page.evaluate(() => document.activeElement?.textContent)) === "Close");
  await key("Escape");
  await page.getByRole("dialog").waitFor({ state: "detached" });
  await eventually(async () => (await focused()) === "f-contact_email", { timeout: 2000 });

  // Each answer, then Alt+N; the next question takes focus.
  const next = async (id) => {
    await key("Alt+KeyN");
    await eventually(async () => (await focused()) === id);
  };
  await page.keyboard.type("cfo@bigcorp.example");
  await next("f-company");
  await page.keyboard.type("BigCorp");
  await next("f-metrics-0");
  await key("Space"); // Metrics: Yes
  await next("f-economic_buyer");
  await key("ArrowDown"); // Economic buyer: identified and engaged
  await next("f-decision_criteria-0");
  await key("Space"); // Decision criteria: Yes
  await next("f-decision_process");
  await key("ArrowDown"); // Decision process: documented
  await next("f-paper_process-0");
  await key("Space"); // Paper process: Yes
  await next("f-pain");
  await key("ArrowDown"); // Pain: critical
  await next("f-champion");
  await key("ArrowDown"); // Champion: strong
  await next("f-competition-0");
  await key("Space"); // Competition: spreadsheets
  await next("f-deal_size");
  await page.keyboard.type("84000");
  await next("f-close_quarter");
  await key("ArrowDown"); // Expected close: this quarter
  await page.locator(".live .grade", { hasText: "Commit" }).waitFor();
  assert.equal(await page.locator(".live .route").textContent(), "account-executives");

  await key("Alt+KeyM");
  assert.equal(await focused(), "call-notes");
  await page.keyboard.type("CFO wants a proposal by Friday.");
  await key("Shift+Tab");
  assert.equal(await focused(), "rep-name");
  await page.keyboard.type("Riley Rep");
  // Saving without a disposition says what is missing and goes there.
  await key("Alt+KeyS");
  await page.getByRole("alert").getByText("Choose how the call ended (Disposition).").waitFor();
  assert.equal(await focused(), "call-disposition");
  await key("Alt+KeyM");
  await key("Alt+KeyD");
  assert.equal(await focused(), "call-disposition");
  await key("ArrowDown"); // Qualified — next step booked
  await key("Alt+KeyS");

  await page.getByText("Call with BigCorp (cfo@bigcorp.example) saved. Sent.").waitFor({ timeout: 15000 });
  assert.equal(await focused(), "f-contact_email", "the next call starts fresh");
  const [stored] = await eventually(() => callRecords("BigCorp").then((r) => r.length && r));
  assert.equal(stored.verification, "verified", JSON.stringify(stored.discrepancies));
  const record = stored.record;
  assert.equal(record.qualification.grade, "commit");
  assert.equal(record.rep.name, "Riley Rep");
  assert.equal(record.notes, "CFO wants a proposal by Friday.");
  assert.equal(record.call.disposition, "qualified");
  assert.ok(Number.isInteger(record.call.duration_seconds));
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("the missing-questions list changes as answers arrive", async () => {
  const page = await openConsole();
  await page.getByRole("button", { name: "Show all questions" }).click();
  const missing = page.getByRole("list", { name: /To reach/ });
  await page.getByRole("heading", { name: "To reach Best case" }).waitFor();
  assert.match(await missing.locator("li").first().textContent(), /^Economic buyer — up to \+20 points$/);

  await page.getByRole("group", { name: /Metrics/ }).getByLabel("Yes").check();
  await page.getByLabel("Economic buyer").selectOption({ label: "Identified and engaged" });
  await page.getByLabel("Identified pain").selectOption({ label: "Critical, with a deadline" });
  // 55 points: a strong champion alone reaches Best case.
  await eventually(async () => /^Champion — can reach Best case/.test(await missing.locator("li").first().textContent()));
  const items = await missing.locator("li").allTextContents();
  assert.ok(!items.some((t) => t.startsWith("Identified pain")), "answered questions leave the list");
  assert.ok(!items.some((t) => t.startsWith("Metrics")), "answered questions leave the list");

  await page.getByLabel("Champion").selectOption({ label: "Strong: sells for us internally" });
  await page.getByRole("heading", { name: "To reach Commit" }).waitFor();
  await page.locator(".live .grade", { hasText: "Best case" }).waitFor();
  assert.match(await missing.locator("li").first().textContent(), /^Expected annual contract value \(USD\)/);
  // Each entry jumps to its question.
  await missing.getByRole("button", { name: "Expected annual contract value (USD)" }).click();
  await eventually(async () => (await page.evaluate(() => document.activeElement?.id)) === "f-deal_size");
  await page.close();
});

test("sales feedback: a rejection with a reason reaches the inbox and its per-grade summary", async () => {
  const lead = await marketingLead({ email: "pat@globex.example", name: "Pat", company: "Globex", role: "manager", employees: "50-249" });
  const page = await openConsole();
  // Alt+I opens the Feedback view and loads the inbox's leads.
  await page.keyboard.press("Alt+KeyI");
  await page.getByRole("button", { name: "Open lead Globex (pat@globex.example)" }).click();
  await page.getByRole("heading", { name: "Lead: Globex (pat@globex.example)" }).waitFor();
  // What the record claims was checked with the engine.
  await page.getByText("Verified against northwind-inbound 2026.11.1.").waitFor();
  await page.getByRole("button", { name: "Reject lead" }).click();
  await page.getByText("Choose a reason for rejecting this lead.").waitFor();
  await page.getByLabel("Reason for rejecting").selectOption({ label: "No budget after all" });
  await page.getByLabel("Note for marketing").fill("Budget frozen until Q3.");
  await page.getByLabel("Rep").fill("Sam Seller");
  await page.getByRole("button", { name: "Reject lead" }).click();
  await page.getByText("Rejected (No budget after all). Sent.").waitFor({ timeout: 15000 });

  const [feedback] = await eventually(() => feedbackFor(lead.submission_id).then((f) => f.length && f));
  assert.equal(feedback.verdict, "rejected");
  assert.deepEqual(feedback.reason, { id: "no-budget", label: "No budget after all" });
  assert.equal(feedback.grade, lead.qualification.grade);
  assert.equal(feedback.note, "Budget frozen until Q3.");
  assert.equal(feedback.rep.name, "Sam Seller");

  const inbox = await openPage(browser, site.inbox.url + "/inbox");
  const summary = inbox.getByRole("table", { name: "Sales feedback by grade" });
  const row = summary.getByRole("row").filter({ hasText: "northwind-inbound" }).filter({ hasText: lead.qualification.grade });
  const cells = await row.getByRole("cell").allTextContents();
  assert.equal(cells[4], "1", "one rejected: " + cells.join(" | "));
  assert.equal(cells[6], "No budget after all (1)");
  await inbox.close();

  // A pasted record works too, and Alt+A accepts it.
  const other = await marketingLead({ email: "lee@initech.example", name: "Lee", company: "Initech", role: "executive", employees: "1000+" });
  await page.getByLabel("Paste a lead record").fill(JSON.stringify(other));
  await page.getByRole("button", { name: "Open pasted record" }).click();
  await page.getByRole("heading", { name: "Lead: Initech (lee@initech.example)" }).waitFor();
  await page.keyboard.press("Alt+KeyA");
  await page.getByText("Accepted. Sent.").waitFor({ timeout: 15000 });
  const [accepted] = await eventually(() => feedbackFor(other.submission_id).then((f) => f.length && f));
  assert.equal(accepted.verdict, "accepted");
  assert.equal(accepted.reason, undefined);

  // A record whose grade was changed after the fact says so before anyone
  // judges it.
  const tampered = { ...other, submission_id: "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    qualification: { ...other.qualification, grade: other.qualification.grade === "sql" ? "nurture" : "sql" } };
  await page.getByLabel("Paste a lead record").fill(JSON.stringify(tampered));
  await page.getByRole("button", { name: "Open pasted record" }).click();
  await page.getByText(/^This record does not match its rulebook: grade: recorded/).waitFor();

  // A JSON feed URL lists leads the same way (here the inbox's own feed).
  await page.getByLabel("JSON feed URL").fill(site.url + "/api/records?limit=50");
  await page.getByRole("button", { name: "Load feed" }).click();
  await page.getByRole("button", { name: "Open lead Initech (lee@initech.example)" }).waitFor();
  const leads = page.getByRole("table", { name: "Leads" });
  assert.match(await leads.getByRole("row").filter({ hasText: "Globex" }).textContent(), /Rejected \(No budget after all\)/,
    "the list shows the verdict given on this device");
  await page.close();
});

test("the console works offline, keeps its calls, and delivers later", async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await openConsole(context);
  await context.setOffline(true);
  await page.getByRole("button", { name: "Show all questions" }).click();
  await page.getByLabel("Prospect's email").fill("ops@hooli.example");
  await page.getByLabel("Company").fill("Hooli");
  await page.getByLabel("Identified pain").selectOption({ label: "Real but not urgent" });
  await page.getByLabel("Rep").fill("Riley Rep");
  await page.getByLabel("Disposition").selectOption({ label: "Follow-up scheduled" });
  await page.getByRole("button", { name: "Save call" }).click();
  await page.getByText("Call with Hooli (ops@hooli.example) saved. You are offline.", { exact: false }).waitFor();
  assert.deepEqual(await callRecords("Hooli"), []);

  // Alt+K opens Recent calls at its search box.
  await page.keyboard.press("Alt+KeyK");
  await eventually(async () => (await page.evaluate(() => document.activeElement?.id)) === "recent-search");
  await page.keyboard.type("hooli");
  const row = page.getByRole("table", { name: "Recent calls" }).getByRole("row").filter({ hasText: "Hooli" });
  assert.match(await row.textContent(), /Waiting to send/);
  const download = page.waitForEvent("download");
  await page.keyboard.press("Alt+KeyE");
  const csv = readFileSync(await (await download).path(), "utf8");
  assert.match(csv, /^submitted_at,submission_id,rep,who,grade,status,total,route,disposition,duration_seconds,notes\r\n/);
  assert.match(csv, /Riley Rep,Hooli \(ops@hooli\.example\),pipeline,incomplete,10,sdr-follow-up,follow_up,/);

  await context.setOffline(false);
  const [stored] = await eventually(() => callRecords("Hooli").then((r) => r.length && r), { timeout: 15000 });
  assert.equal(stored.record.call.disposition, "follow_up");
  // The list follows the delivery.
  await eventually(async () => /Sent/.test(await row.textContent()));
  await context.close();
});

test("with a protected inbox the rep enters its token once, and only the inbox gets it", async () => {
  const token = "e2e-read-token-0123456789abcdef";
  const protectedSite = await startSite({ inbox: { env: { ACCORD_READ_TOKENS: token }, readToken: token } });
  try {
    // A web lead arrives: posting records needs no token.
    const line = execFileSync(join(repoRoot, "target/debug/accord"),
      ["score", join(repoRoot, "static/rulebooks/inbound.json")],
      { input: JSON.stringify({ email: "kim@umbrella.example", name: "Kim", company: "Umbrella", role: "manager", employees: "50-249" }) + "\n" });
    const lead = JSON.parse(line.toString().trim());
    const posted = await fetch(protectedSite.inbox.url + "/api/records", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(lead),
    });
    assert.equal(posted.status, 201);
    // Without the token the inbox's leads stay closed.
    assert.equal((await fetch(protectedSite.inbox.url + "/api/records")).status, 401);

    const page = await openPage(browser, protectedSite.url + "/console.html");
    await page.getByText(/^Question 1 of \d+$/).waitFor({ timeout: 15000 });
    await page.getByRole("tab", { name: "Feedback" }).click();
    await page.getByRole("button", { name: "Load leads from the inbox" }).click();
    await page.getByText(/HTTP 401 \(the inbox needs a token: enter it under Inbox token\)/).waitFor();
    await page.getByLabel("Inbox token").fill(token);
    await page.getByRole("button", { name: "Load leads from the inbox" }).click();
    await page.getByRole("button", { name: "Open lead Umbrella (kim@umbrella.example)" }).click();
    await page.getByRole("heading", { name: "Lead: Umbrella (kim@umbrella.example)" }).waitFor();
    await page.getByLabel("Reason for rejecting").selectOption({ label: "No budget after all" });
    await page.getByRole("button", { name: "Reject lead" }).click();
    await page.getByText("Rejected (No budget after all). Sent.").waitFor({ timeout: 15000 });
    const stored = await eventually(async () => {
      const res = await fetch(protectedSite.inbox.url + "/api/feedback", { headers: { authorization: "Bearer " + token } });
      const list = (await res.json()).feedback.map((f) => f.feedback);
      return list.find((f) => f.submission_id === lead.submission_id);
    });
    assert.equal(stored.verdict, "rejected");

    // "Call this lead": a call that follows a lead up starts from what the
    // lead answered, goes to the inbox with the rep's token, and is that
    // lead's first touch in the report (not a new lead).
    const wayneLine = execFileSync(join(repoRoot, "target/debug/accord"),
      ["score", join(repoRoot, "static/rulebooks/inbound.json")],
      { input: JSON.stringify({ email: "bruce@wayne.example", name: "Bruce", company: "Wayne", role: "executive", employees: "1000+" }) + "\n" });
    const wayne = JSON.parse(wayneLine.toString().trim());
    assert.equal((await fetch(protectedSite.inbox.url + "/api/records", {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(wayne),
    })).status, 201);
    const touches = async () => {
      const res = await fetch(protectedSite.inbox.url + "/api/report", { headers: { authorization: "Bearer " + token } });
      const speed = (await res.json()).speed;
      return { leads: speed.reduce((n, r) => n + r.leads, 0), touched: speed.reduce((n, r) => n + r.touched, 0) };
    };
    assert.deepEqual(await touches(), { leads: 2, touched: 1 });
    await page.getByRole("button", { name: "Load leads from the inbox" }).click();
    await page.getByRole("button", { name: "Open lead Wayne (bruce@wayne.example)" }).click();
    await page.getByRole("heading", { name: "Lead: Wayne (bruce@wayne.example)" }).waitFor();
    await page.getByRole("button", { name: "Call this lead" }).click();
    await page.getByText(/^Following up Wayne \(bruce@wayne\.example\) \(marketing's grade: /).waitFor();
    assert.equal(await page.getByRole("tab", { name: "Call", exact: true }).getAttribute("aria-selected"), "true");
    assert.equal(await page.getByLabel("Prospect's email").inputValue(), "bruce@wayne.example");
    await eventually(async () => (await page.evaluate(() => document.activeElement?.id)) === "f-contact_email");
    await page.getByLabel("Rep", { exact: true }).fill("Robin Rep");
    await page.getByLabel("Disposition").selectOption("follow_up");
    await page.getByRole("button", { name: "Save call" }).click();
    await page.getByText("Call with Wayne (bruce@wayne.example) saved. Sent.").waitFor({ timeout: 15000 });
    assert.equal(await page.getByText(/^Following up/).count(), 0, "the next call is a fresh one");
    const call = await eventually(async () => {
      const res = await fetch(protectedSite.inbox.url + "/api/records", { headers: { authorization: "Bearer " + token } });
      return (await res.json()).records.map((r) => r.record).find((r) => r.channel === "call");
    });
    assert.equal(call.call.follows_up, wayne.submission_id);
    assert.deepEqual(await touches(), { leads: 2, touched: 2 });

    // The token is remembered on this device, and a JSON feed on another
    // URL is fetched without it.
    await page.reload();
    await page.getByRole("tab", { name: "Feedback" }).click();
    assert.equal(await page.getByLabel("Inbox token").inputValue(), token);
    const sent = [];
    page.on("request", (r) => { if (r.url().includes("/feed.json")) sent.push(r.headers()["authorization"]); });
    await page.getByLabel("JSON feed URL").fill(protectedSite.url + "/test/feed.json");
    await page.getByRole("button", { name: "Load feed" }).click();
    await page.getByText(/feed\.json/).first().waitFor();
    assert.deepEqual(sent, [undefined], "the token goes to the inbox only");
    assert.deepEqual(page.errors.filter((e) => !e.startsWith("401 ") && !e.startsWith("404 ")), []);
    await page.close();
  } finally {
    await protectedSite.close();
  }
});

test("a link cannot make the console load a rulebook from another site", async () => {
  const page = await openPage(browser, site.url + "/console.html?rulebook=" + encodeURIComponent("https://evil.example/rulebook.json"));
  await page.getByText(/evil\.example\/rulebook\.json is on another site; the console loads \?rulebook= only from its own/).waitFor();
  assert.equal(await page.getByText(/^Question 1 of/).count(), 0);
  assert.deepEqual(page.errors, []);
  await page.close();
});
