// Lighthouse (mobile: its simulated slow 4G and 4× slower CPU) on a plain
// landing page without the widget (tests/e2e/pages/start/host.html), the
// same page with it (widget.html) and with its form prerendered by `accord
// embed` (prerendered.html), interleaved, served gzipped: performance
// score, total blocking time, largest contentful paint and layout shift.
// Lighthouse is large, so it lives in tools/lighthouse/ and is installed on
// first use. Debian's Chromium, never a downloaded browser. A report, never
// a test.
// Usage: node scripts/lighthouse.mjs [RUNS]
//        (after trunk build --release and cargo build -p accord-cli)
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { repoRoot } from "../tests/e2e/support/browser.mjs";
import { serveSpeedPages } from "../tests/e2e/support/site.mjs";

const tools = join(repoRoot, "tools/lighthouse");
if (!existsSync(join(tools, "node_modules/lighthouse"))) {
  console.log("installing Lighthouse into tools/lighthouse (once)");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: tools, stdio: "inherit" });
}
const require = createRequire(join(tools, "package.json"));
const { default: lighthouse } = await import(require.resolve("lighthouse"));
const chromeLauncher = await import(require.resolve("chrome-launcher"));

const runs = Number(process.argv[2] ?? 3);
const server = await serveSpeedPages();
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});

const PAGES = {
  "without the widget": "/test/start/host.html",
  "with the widget": "/test/start/widget.html",
  "prerendered": "/test/start/prerendered.html",
};
const results = Object.fromEntries(Object.keys(PAGES).map((k) => [k, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, path] of Object.entries(PAGES)) {
    const { lhr } = await lighthouse(server.url + path, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance"] });
    const a = lhr.audits;
    results[name].push({
      score: Math.round(lhr.categories.performance.score * 100),
      tbt: a["total-blocking-time"].numericValue,
      lcp: a["largest-contentful-paint"].numericValue,
      cls: a["cumulative-layout-shift"].numericValue,
    });
  }
}
await chrome.kill();
await server.close();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`Lighthouse mobile (simulated throttling), median of ${runs}, interleaved:`);
console.log("page".padEnd(22) + "score".padStart(7) + "TBT ms".padStart(9) + "LCP ms".padStart(9) + "CLS".padStart(8));
for (const [name, rs] of Object.entries(results)) {
  console.log(name.padEnd(22) + String(median(rs.map((r) => r.score))).padStart(7) +
    median(rs.map((r) => r.tbt)).toFixed(0).padStart(9) + median(rs.map((r) => r.lcp)).toFixed(0).padStart(9) +
    median(rs.map((r) => r.cls)).toFixed(3).padStart(8));
  console.log("  runs: " + rs.map((r) => `${r.score} (TBT ${r.tbt.toFixed(0)}, LCP ${r.lcp.toFixed(0)}, CLS ${r.cls.toFixed(3)})`).join("; "));
}
