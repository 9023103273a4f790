// The site under test: the built pages (dist/) and the test pages
// (tests/e2e/pages/, under /test/) served as static files, with /api/
// forwarded to a real `accord inbox` (target/debug/accord, built by the
// native test layer) so tests can check what the backend received.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { serveStatic } from "./static-server.mjs";
import { repoRoot, distDir } from "./browser.mjs";

const accordBin = join(repoRoot, "target/debug/accord");

/** Runs `bin inbox ARGS` (its `--addr` ending in `:0`) with `env`;
 * resolves to `{ url, stop }` once it says where it listens, or fails if it
 * exits first. */
export async function spawnInbox(bin, args, env) {
  const child = spawn(bin, ["inbox", ...args], { stdio: ["ignore", "pipe", "inherit"], env });
  const url = await new Promise((ok, fail) => {
    child.on("exit", (code) => fail(new Error(`${bin} inbox exited with ${code}`)));
    createInterface({ input: child.stdout }).on("line", (line) => {
      const m = line.match(/listening on (http:\/\/\S+)/);
      if (m) ok(m[1]);
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}

/** Publishes the rulebook file at `path` in place (`accord publish`), as
 * a page's widget reads only published rulebooks; throws with accord's
 * reasons when it cannot be published. */
export function publishFile(path) {
  execFileSync(accordBin, ["publish", path, "--out", path], { stdio: ["ignore", "ignore", "pipe"] });
}

/** `html` with each inline rulebook (`data-accord-rulebook-json='…'`)
 * published, for pages whose rulebook a test fills in; throws when one
 * cannot be published. */
export function publishInline(html) {
  return html.replace(/(data-accord-rulebook-json=')([^']*)'/g, (_, attribute, text) =>
    attribute + execFileSync(accordBin, ["publish", "-"], { input: text, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] }).trimEnd() + "'");
}

/** The snippet `accord embed` prints for the demo's inbound rulebook, as
 * the pages under tests/e2e/pages/start/ fetch it, posting to this site's
 * inbox: pages put it where they say `<!-- accord embed -->`. */
export function inboundSnippet() {
  if (!existsSync(accordBin)) throw new Error(`${accordBin} is missing: cargo build -p accord-cli first`);
  return execFileSync(accordBin, [
    "embed", join(repoRoot, "static/rulebooks/inbound.json"),
    "--rulebook-url", "/rulebooks/inbound.json", "--endpoint", "/api/records",
  ], { encoding: "utf8" });
}

/** The built site with the pages under tests/e2e/pages/ (at /test/),
 * served gzipped as any real host serves them, the prerendered snippet
 * where a page asks for it: what the speed reports load. `widget` serves
 * the widget's files (/accord/) from another folder. Resolves to
 * `{ url, close }`. */
export function serveSpeedPages({ widget } = {}) {
  const snippet = inboundSnippet();
  return serveStatic(distDir, {
    mounts: { "/test/": join(repoRoot, "tests/e2e/pages"), ...(widget ? { "/accord/": widget } : {}) }, compress: true,
    transform: (path, html) => html.replace("<!-- accord embed -->", snippet),
  });
}

/** In the page, for `page.waitForFunction`: whether the widget has
 * started, i.e. has taken a prerendered form over, or shows its own form
 * (drawn whole: it is drawn out of sight, a few questions per task). What
 * the speed reports wait for. */
export function widgetStarted() {
  const host = document.querySelector("[data-accord-rulebook]");
  return host.hasAttribute("data-accord-taken-over") ||
    (!host.shadowRoot?.querySelector("[data-accord-prerendered]") &&
     !!host.shadowRoot?.querySelector("section.accord:not([hidden]) .accord-form"));
}

/** Starts `accord inbox` on a free port; resolves to `{ url, records, close }`.
 * `env` adds environment variables (e.g. `ACCORD_READ_TOKENS`); `records()`
 * then reads with `readToken`. `rulebooks` adds folders of rulebooks it
 * verifies records against. */
export async function startInbox({ env = {}, readToken = null, rulebooks = [] } = {}) {
  if (!existsSync(accordBin)) throw new Error(`${accordBin} is missing: run the native tests (cargo test) first`);
  const dir = mkdtempSync(join(tmpdir(), "accord-e2e-"));
  const { url, stop } = await spawnInbox(accordBin, [
    "--addr", "127.0.0.1:0", "--db", join(dir, "inbox.sqlite"),
    "--rulebooks", join(repoRoot, "static/rulebooks"),
    // Rulebooks only the tests use (a challenger to run in a shadow).
    "--rulebooks", join(repoRoot, "tests/e2e/pages/rulebooks"), "--allow-origin", "*",
    ...rulebooks.flatMap((dir) => ["--rulebooks", dir]),
  ], { ...process.env, ...env });
  return {
    url,
    /** Every stored record, as the inbox lists them. */
    async records() {
      const res = await fetch(url + "/api/records",
        { headers: readToken ? { authorization: "Bearer " + readToken } : {} });
      const body = await res.json();
      return body.records ?? body;
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts the inbox and the site in front of it. `headers(path)` adds
 * response headers (e.g. a CSP); `mounts` serves more folders. */
export async function startSite({ headers, inbox: inboxOptions, mounts = {} } = {}) {
  const inbox = await startInbox(inboxOptions);
  const site = await serveStatic(distDir, {
    headers, proxy: inbox.url, mounts: { "/test/": join(repoRoot, "tests/e2e/pages"), ...mounts },
  });
  return { url: site.url, inbox, async close() { await site.close(); await inbox.close(); } };
}

/** Polls `fn` until it returns a truthy value (or times out). */
export async function eventually(fn, { timeout = 10000, interval = 100 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error("timed out waiting: " + fn.toString());
    await new Promise((r) => setTimeout(r, interval));
  }
}
