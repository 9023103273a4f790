// Measures, in headless Chromium, what one edit costs in the studio: a
// keystroke in a criterion's Points box, while the studio re-validates the
// rulebook, re-runs its fixtures, refreshes the preview and re-renders the
// forms. For each example rulebook, RUNS keystrokes (default 40),
// unthrottled and with the CPU slowed 4× (Chrome's throttling). Prints
// the median and 95th percentile of the input event's processing time
// (its handlers with the engine and the render: the studio's own work) and
// of its duration to the next paint (which adds waiting for the frame),
// both from Event Timing. A report, never a pass/fail. Usage: node scripts/studio-timing.mjs [RUNS]
// (after trunk build --release)
import { serveStatic } from "../tests/e2e/support/static-server.mjs";
import { launch, distDir } from "../tests/e2e/support/browser.mjs";

const runs = Number(process.argv[2] ?? 40);
const server = await serveStatic(distDir, {});
const browser = await launch();
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
const ms = (x) => x.toFixed(1).padStart(6) + " ms";

console.log("rulebook".padEnd(22) + "cpu".padEnd(6) + "processing p50".padStart(16) + "p95".padStart(10) + "to paint p50".padStart(15) + "p95".padStart(10));
// The baseline, measured in the same run: the start page's URL box, where
// a keystroke does no work, so its figures are the harness and the frame.
for (const name of ["baseline (no work)", "northwind-inbound", "northwind-meddpicc", "minimal"]) {
  for (const slowdown of [1, 4]) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(server.url + "/studio.html");
    const baseline = name.startsWith("baseline");
    const id = baseline ? "open-url" : "scores[0].criteria[0].points";
    if (baseline) {
      await page.getByLabel("Rulebook URL").waitFor();
    } else {
      await page.getByRole("button", { name: `Start from ${name}` }).click();
      await page.getByRole("heading", { name: "Grades" }).waitFor();
    }
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: slowdown });
    await page.evaluate((id) => {
      window.__events = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.name === "input") window.__events.push({ processing: e.processingEnd - e.processingStart, duration: e.duration });
        }
      }).observe({ type: "event", durationThreshold: 16, buffered: false });
      window.__inputs = 0;
      document.getElementById(id).addEventListener("input", () => window.__inputs++);
    }, id);
    const box = page.locator(`[id="${id}"]`);
    await box.focus();
    for (let i = 0; i < runs; i++) {
      await page.keyboard.press("End");
      await page.keyboard.press(i % 2 ? "Backspace" : "5");
      await page.waitForTimeout(50);
    }
    await page.waitForFunction((n) => window.__inputs >= n, runs);
    await page.waitForTimeout(200);
    const events = await page.evaluate(() => window.__events);
    // Event Timing reports only inputs that took 16 ms or more to paint;
    // the others count as 8 ms to paint and 0 ms of processing (both
    // lower bounds: the row says how many were not reported).
    const missing = Math.max(0, runs - events.length);
    const processing = [...events.map((e) => e.processing), ...Array(missing).fill(0)];
    const paint = [...events.map((e) => e.duration), ...Array(missing).fill(8)];
    const long = events;
    console.log(name.padEnd(22) + `${slowdown}×`.padEnd(6) + ms(quantile(processing, 0.5)).padStart(16) +
      ms(quantile(processing, 0.95)).padStart(10) + ms(quantile(paint, 0.5)).padStart(15) + ms(quantile(paint, 0.95)).padStart(10) +
      `   (${long.length} of ${runs} inputs took 16 ms or more to paint)`);
    await context.close();
  }
}

// The impact report on 100,000 leads: how long the page takes, and its
// longest task (the page must stay usable: slices of about 12 ms).
{
  const { execFileSync } = await import("node:child_process");
  const { mkdtempSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const { join } = await import("node:path");
  const file = join(mkdtempSync(join(tmpdir(), "accord-impact-")), "leads.jsonl");
  writeFileSync(file, execFileSync("node", [new URL("./make-leads.mjs", import.meta.url).pathname, "100000"], { maxBuffer: 1 << 28 }));
  console.log("\nimpact report, 100,000 leads (inbound.json, the sales-ready total lowered to 40)");
  for (const slowdown of [1, 4]) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(server.url + "/studio.html");
    await page.getByRole("button", { name: "Start from northwind-inbound" }).click();
    await page.locator('[id="grades[0].when~0~value"]').fill("40");
    await page.getByRole("button", { name: "Impact", exact: true }).click();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: slowdown });
    await page.evaluate(() => {
      window.__long = [];
      new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: "longtask" });
    });
    const start = Date.now();
    await page.getByLabel(/^Leads file/).setInputFiles(file);
    await page.getByText(/100000 leads of leads.jsonl re-qualified/).waitFor({ timeout: 600000 });
    const seconds = (Date.now() - start) / 1000;
    const long = await page.evaluate(() => window.__long);
    console.log(`${slowdown}× cpu: ${seconds.toFixed(1)} s from the file to the report; ${long.length} tasks over 50 ms, the longest ${Math.max(0, ...long).toFixed(0)} ms`);
    await context.close();
  }
}
await browser.close();
await server.close();
