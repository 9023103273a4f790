// Measures, in headless Chromium, the time from the widget's element
// becoming visible to its first field accepting input: the cold path of
// fetching and compiling the wasm, fetching and validating the rulebook,
// and rendering. Each run uses a fresh browser context (empty cache).
// Usage: node scripts/widget-timing.mjs [RUNS]   (after trunk build --release)
import { join } from "node:path";
import { serveStatic } from "../tests/e2e/support/static-server.mjs";
import { launch, repoRoot, distDir } from "../tests/e2e/support/browser.mjs";

const runs = Number(process.argv[2] ?? 9);
const server = await serveStatic(distDir, { mounts: { "/test/": join(repoRoot, "tests/e2e/pages") } });
const browser = await launch();
const times = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url + "/test/timing.html");
  await page.waitForFunction(() => window.Accord);
  const ms = await page.evaluate(async () => {
    const el = document.getElementById("late");
    el.scrollIntoView();
    const start = performance.now();
    // What the loader does when the element becomes visible.
    window.Accord.mount(el, { rulebook: new URL(el.dataset.rulebookUrl, location.href).href });
    return new Promise((done) => {
      const check = () => {
        const input = el.shadowRoot?.querySelector("input:not([tabindex='-1']), select, textarea");
        if (input && !input.disabled) {
          input.focus();
          if (el.shadowRoot.activeElement === input) return done(performance.now() - start);
        }
        requestAnimationFrame(check);
      };
      check();
    });
  });
  times.push(ms);
  await context.close();
}
await browser.close();
await server.close();
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`runs: ${times.map((t) => t.toFixed(0)).join(", ")} ms`);
console.log(`visible → first field accepts input: median ${median.toFixed(0)} ms over ${runs} runs`);
