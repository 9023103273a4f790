// Where a landing page's long main-thread tasks go while the widget starts:
// one cold load of a page under tests/e2e/pages/start/ (default the
// prerendered one) on the slow-phone profile of start-timing.mjs (150 ms
// latency, 200 KB/s down, CPU 4×), traced by Chromium, until the widget
// has taken the form over (or drawn it). Prints every task over 20 ms with
// its largest parts, then the tasks that ran the loader or the widget: how
// many went over 50 ms, the longest (from 20 ms up), and their blocking time (what each
// lasted beyond 50 ms, as Lighthouse counts it). A report for finding what
// to split, never a test.
// Usage: node scripts/start-trace.mjs [PAGE] [V8_FLAGS]
//   e.g. node scripts/start-trace.mjs prerendered.html --no-wasm-lazy-compilation
//   (after trunk build --release and cargo build -p accord-cli)
import { createRequire } from "node:module";
import { join } from "node:path";
import { repoRoot } from "../tests/e2e/support/browser.mjs";
import { serveSpeedPages, widgetStarted } from "../tests/e2e/support/site.mjs";

const [pageName = "prerendered.html", flags] = process.argv.slice(2);
const server = await serveSpeedPages();
const { chromium } = createRequire(join(repoRoot, "tools/package.json"))("playwright-core");
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", ...(flags ? [`--js-flags=${flags}`] : [])],
});
const context = await browser.newContext();
const page = await context.newPage();
const cdp = await context.newCDPSession(page);
await cdp.send("Network.enable");
await cdp.send("Network.emulateNetworkConditions",
  { offline: false, latency: 150, downloadThroughput: 200 * 1024, uploadThroughput: 100 * 1024 });
await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
const events = [];
cdp.on("Tracing.dataCollected", (d) => events.push(...d.value));
const complete = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
await cdp.send("Tracing.start", { categories: "devtools.timeline,disabled-by-default-devtools.timeline,v8,blink", transferMode: "ReportEvents" });
await page.goto(`${server.url}/test/start/${pageName}`);
await page.waitForFunction(widgetStarted, null, { timeout: 30000 });
await page.waitForTimeout(300); // the task that took over ends after the attribute is set
await cdp.send("Tracing.end");
await complete;
await browser.close();
await server.close();

const spans = events.filter((e) => e.ph === "X" && e.dur);
const ours = [];
// Tasks from 20 ms up, so the longest is known even when none is over 50.
for (const task of spans.filter((e) => e.name === "RunTask" && e.dur > 20_000)) {
  const parts = new Map();
  for (const e of spans) {
    if (e === task || e.tid !== task.tid || e.ts < task.ts || e.ts + e.dur > task.ts + task.dur || e.dur < 8_000) continue;
    const what = [e.name, e.args?.data?.functionName, e.args?.data?.url?.split("/").pop()].filter(Boolean).join(":");
    parts.set(what, Math.max(parts.get(what) ?? 0, e.dur));
  }
  if ([...parts.keys()].some((p) => /accord-(widget|loader)\.js|wasm/.test(p))) ours.push(task.dur / 1000);
  const top = [...parts].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([n, d]) => `${n} ${(d / 1000).toFixed(0)}`);
  console.log(`${(task.dur / 1000).toFixed(0).padStart(5)} ms at ${((task.ts - spans[0].ts) / 1000).toFixed(0).padStart(6)}: ${top.join(" | ")}`);
}
const longest = Math.max(0, ...ours);
const over = ours.filter((ms) => ms > 50);
const blocking = over.reduce((sum, ms) => sum + ms - 50, 0);
console.log(`loader and widget: ${over.length} tasks over 50 ms, longest ${longest.toFixed(0)} ms, blocking ${blocking.toFixed(0)} ms`);
