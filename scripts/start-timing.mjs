// Navigation → the form's first field accepts typing, in headless Chromium,
// for a landing page whose form is the widget (tests/e2e/pages/start/
// widget.html), the same with the form prerendered by `accord embed`
// (prerendered.html, also timed until the widget has taken it over)
// against the same page with that field as plain HTML (plain.html): the
// baseline, measured in the same run, interleaved.
// Twice: unthrottled, and on a slow phone's profile (150 ms latency,
// 200 KB/s down, the CPU slowed 4×). Each run is a fresh browser context
// (nothing cached). It also lists what the widget page fetched and when,
// to show whether the downloads run in parallel. A report, never a test.
// Usage: node scripts/start-timing.mjs [RUNS]
//        (after trunk build --release and cargo build -p accord-cli)
import { launch } from "../tests/e2e/support/browser.mjs";
import { serveSpeedPages } from "../tests/e2e/support/site.mjs";

const runs = Number(process.argv[2] ?? 7);
const server = await serveSpeedPages();
const browser = await launch();

const PROFILES = {
  unthrottled: null,
  "slow phone": { latency: 150, downloadThroughput: 200 * 1024, uploadThroughput: 100 * 1024, cpu: 4 },
};

/** One cold load of `page` (a path): ms from navigation start until its
 * first text field takes focus, and the widget page's requests. */
async function firstInput(path, profile) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  if (profile) {
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false, latency: profile.latency,
      downloadThroughput: profile.downloadThroughput, uploadThroughput: profile.uploadThroughput,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: profile.cpu });
  }
  // Tasks over 50 ms on the main thread (what blocks a visitor's typing).
  await page.addInitScript(() => {
    window.__long = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__long.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: "longtask", buffered: true });
  });
  await page.goto(server.url + path, { waitUntil: "commit" });
  const ms = await page.evaluate(() => new Promise((done) => {
    const check = () => {
      const host = document.querySelector("[data-accord-rulebook]");
      const root = host ? host.shadowRoot : document;
      const input = root?.querySelector("input:not([tabindex='-1']):not([type=hidden]), select, textarea");
      if (input && !input.disabled) {
        input.focus();
        if ((host ? root.activeElement : document.activeElement) === input) return done(performance.now());
      }
      requestAnimationFrame(check);
    };
    check();
  }));
  // A prerendered form: also until the widget has taken it over.
  const tookOver = !path.includes("prerendered") ? null : await page.evaluate(() => new Promise((done) => {
    const host = document.querySelector("[data-accord-rulebook]");
    const check = () => host.hasAttribute("data-accord-taken-over") ? done(performance.now()) : setTimeout(check, 10);
    check();
  }));
  const fetched = await page.evaluate(() => performance.getEntriesByType("resource")
    .map((r) => ({ name: new URL(r.name).pathname, start: r.startTime, end: r.responseEnd })));
  const long = await page.evaluate(() => window.__long);
  await context.close();
  return { ms, tookOver, fetched, long };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const show = (xs) => xs.map((t) => t.toFixed(0)).join(", ");
for (const [name, profile] of Object.entries(PROFILES)) {
  const widget = [], plain = [], pre = [], taken = [], longest = [], preLongest = [];
  let waterfall = null, tasks = null, preTasks = null;
  for (let i = 0; i < runs; i++) {
    plain.push((await firstInput("/test/start/plain.html", profile)).ms);
    const run = await firstInput("/test/start/widget.html", profile);
    widget.push(run.ms);
    longest.push(Math.max(0, ...run.long.map((t) => t.ms)));
    waterfall = run.fetched;
    tasks = run.long;
    const prerun = await firstInput("/test/start/prerendered.html", profile);
    pre.push(prerun.ms);
    taken.push(prerun.tookOver);
    preLongest.push(Math.max(0, ...prerun.long.map((t) => t.ms)));
    preTasks = prerun.long;
  }
  const w = median(widget), p = median(plain), r = median(pre);
  console.log(`${name}: first input accepts typing, median of ${runs}: widget ${w.toFixed(0)} ms, ` +
    `prerendered ${r.toFixed(0)} ms, plain page ${p.toFixed(0)} ms ` +
    `(widget ${(w / p).toFixed(2)}×, prerendered ${(r / p).toFixed(2)}× the plain page; prerendered ${(r / w).toFixed(2)}× the widget)`);
  console.log(`  widget runs:      ${show(widget)} ms`);
  console.log(`  prerendered runs: ${show(pre)} ms; taken over by the widget at ${show(taken)} ms (median ${median(taken).toFixed(0)})`);
  console.log(`  plain runs:       ${show(plain)} ms`);
  console.log(`  longest main-thread task before the first input, per widget run: ${show(longest)} ms`);
  console.log(`  longest main-thread task until taken over, per prerendered run: ${show(preLongest)} ms`);
  console.log(`  the last widget run's tasks over 50 ms (start: ms): ${tasks.map((t) => `${t.start.toFixed(0)}: ${t.ms.toFixed(0)}`).join(", ") || "none"}`);
  console.log(`  the last prerendered run's tasks over 50 ms (start: ms): ${preTasks.map((t) => `${t.start.toFixed(0)}: ${t.ms.toFixed(0)}`).join(", ") || "none"}`);
  console.log("  the last widget run's downloads (start → end, ms):");
  for (const f of waterfall) console.log(`    ${f.start.toFixed(0).padStart(6)} → ${f.end.toFixed(0).padStart(6)}  ${f.name}`);
}
await browser.close();
await server.close();
