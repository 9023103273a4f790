// Where the widget's own time goes while it starts, by Rust function: one
// cold load of a page under tests/e2e/pages/start/ (default the widget
// page) with the CPU slowed 4×, sampled by Chromium's profiler, until the
// form is shown (or the prerendered one taken over). Prints the longest
// stretches of busy main thread with the functions that took most of each
// (inclusive ms). start-trace.mjs says which tasks are long; this says
// what is in them. A report, never a test.
// The shipped wasm has no function names (wasm-opt strips them), so this
// serves the widget's files from a copy whose wasm is the release build
// before wasm-opt, bound by wasm-bindgen with its names kept. Its code is
// the same; it is larger and unoptimised by wasm-opt, so read its
// proportions, not its milliseconds.
// Usage: node scripts/start-profile.mjs [PAGE]
//        (after trunk build --release and cargo build -p accord-cli)
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, repoRoot, distDir } from "../tests/e2e/support/browser.mjs";
import { serveSpeedPages, widgetStarted } from "../tests/e2e/support/site.mjs";

const pageName = process.argv[2] ?? "widget.html";
const widget = mkdtempSync(join(tmpdir(), "accord-profile-"));
cpSync(join(distDir, "accord"), widget, { recursive: true });
execFileSync("wasm-bindgen", ["--target", "web", "--out-dir", widget, "--out-name", "accord-widget",
  join(repoRoot, "target/wasm32-unknown-unknown/wasm-release/accord_widget.wasm")]);
const server = await serveSpeedPages({ widget });
const browser = await launch();
const page = await browser.newPage();
const cdp = await page.context().newCDPSession(page);
await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
await cdp.send("Profiler.enable");
await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
await cdp.send("Profiler.start");
await page.goto(`${server.url}/test/start/${pageName}`);
await page.waitForFunction(widgetStarted, null, { timeout: 30000, polling: 250 });
await page.waitForTimeout(1000); // what follows the form (the outbox) too
const { profile } = await cdp.send("Profiler.stop");
await browser.close();
await server.close();
rmSync(widget, { recursive: true, force: true });

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (id) => nodes.get(id).callFrame.functionName || "(anonymous)";
let at = 0;
const times = profile.timeDeltas.map((d) => (at += d) / 1000);
// Busy stretches: samples between two idle ones.
const stretches = [];
let from = 0;
profile.samples.forEach((id, i) => {
  if (name(id) !== "(idle)") return;
  if (i > from) stretches.push([from, i]);
  from = i + 1;
});
// Frames that say nothing about our code (glue, Yew's plumbing).
const plumbing = /shim|closure|iter::|scheduler|Runnable|lifecycle|LocalKey|catch_unwind|handleError|^real$|js-to-wasm|wasm-to-js|\(root\)|\(program\)|\(anonymous\)|FunctionComponent|reconcile|dom_bundle::(bnode|blist)/;
const ms = ([a, b]) => times[b] - times[a];
for (const [a, b] of stretches.sort((x, y) => ms(y) - ms(x)).slice(0, 6)) {
  const inclusive = new Map();
  for (let i = a; i < b; i++) {
    const dt = (times[i + 1] ?? times[i]) - times[i];
    const seen = new Set();
    for (let id = profile.samples[i]; id != null; id = parent.get(id)) {
      const n = name(id);
      if (seen.has(n)) continue;
      seen.add(n);
      inclusive.set(n, (inclusive.get(n) ?? 0) + dt);
    }
  }
  console.log(`busy ${ms([a, b]).toFixed(0)} ms from ${times[a].toFixed(0)} ms:`);
  for (const [n, t] of [...inclusive].filter(([n]) => !plumbing.test(n)).sort((x, y) => y[1] - x[1]).slice(0, 10)) {
    console.log(`  ${t.toFixed(0).padStart(5)} ${n.replace(/::h[0-9a-f]{16}$/, "").slice(0, 110)}`);
  }
}
