// Packs a release from a release build (Trunk's dist/ and the static
// `accord` binary): scripts/release runs the builds, then this. Writes
// release/accord-VERSION/ with
//   accord-widget-VERSION.tgz      the widget as an npm package (npm pack)
//   accord-widget-VERSION.tar.gz   the same files, for hosts without npm
//   accord-studio-VERSION.tar.gz   the studio's static bundle
//   accord-console-VERSION.tar.gz  the rep console's static bundle
//   accord-VERSION-x86_64-linux-musl  the CLI and inbox, a static binary
//   accord-VERSION-x86_64-linux-musl.THIRD-PARTY-NOTICES.txt  its crates' licences
//   SHA256SUMS                     for `sha256sum -c`
// What each holds and how to host it: docs/deploy/README.md.
//
// Usage: node scripts/release.mjs [--dist dist] [--cli PATH] [--out release]
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (a.startsWith("--") ? [...pairs, [a.slice(2), all[i + 1]]] : pairs), []),
);
const dist = path.resolve(root, args.dist ?? "dist");
const cli = path.resolve(root, args.cli ?? "target/x86_64-unknown-linux-musl/release/accord");
const version = /\[package\][^[]*?\nversion = "([^"]+)"/.exec(fs.readFileSync(path.join(root, "Cargo.toml"), "utf8"))[1];
const out = path.resolve(root, args.out ?? "release", `accord-${version}`);
// Archives hold fixed times and owners, so the same build packs to the same bytes.
const EPOCH = process.env.SOURCE_DATE_EPOCH ?? "1767225600";

function fail(message) {
  console.error(`release: ${message}`);
  process.exit(1);
}

for (const need of [path.join(dist, "accord-loader.js"), path.join(dist, "accord/accord-widget_bg.wasm"), path.join(dist, "studio.html"), cli]) {
  if (!fs.existsSync(need)) fail(`${path.relative(root, need)} is missing: run scripts/release (it builds dist/ and the static CLI)`);
}

fs.rmSync(out, { recursive: true, force: true });
const stage = path.join(out, ".stage");
fs.mkdirSync(stage, { recursive: true });

/** Every file under `dir`, as sorted paths relative to it. */
function filesUnder(dir) {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join("/"))
    .sort();
}

function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

function digest(algorithm, bytes, encoding = "hex") {
  return createHash(algorithm).update(bytes).digest(encoding);
}

/** The licences of the crates compiled into `pkg` for `target`: every
 * normal dependency, transitively, from crates.io (proc macros and build
 * scripts run at build time and ship nothing), with each licence text the
 * crate ships, each distinct text once. MIT and Apache-2.0 ask for their
 * notices to travel with the binary. */
const metadata = new Map(); // target → `cargo metadata` for it, read once
function thirdPartyNotices(title, pkg, target) {
  if (!metadata.has(target)) {
    metadata.set(target, JSON.parse(execFileSync("cargo", ["metadata", "--format-version", "1", "--locked",
      "--filter-platform", target], { cwd: root, encoding: "utf8", maxBuffer: 256 << 20 })));
  }
  const meta = metadata.get(target);
  const byId = Object.fromEntries(meta.packages.map((p) => [p.id, p]));
  const nodes = Object.fromEntries(meta.resolve.nodes.map((n) => [n.id, n]));
  const macro = (p) => p.targets.some((t) => t.kind.includes("proc-macro"));
  const seen = new Set();
  const stack = [meta.packages.find((p) => p.name === pkg && !p.source).id];
  while (stack.length) {
    const id = stack.pop();
    if (seen.has(id) || macro(byId[id])) continue;
    seen.add(id);
    for (const d of nodes[id].deps) if (d.dep_kinds.some((k) => k.kind === null)) stack.push(d.pkg);
  }
  const crates = [...seen].map((id) => byId[id]).filter((p) => p.source)
    .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  const texts = new Map(); // licence text → crates that ship it
  const without = [];
  for (const c of crates) {
    const dir = path.dirname(c.manifest_path);
    const files = fs.readdirSync(dir).filter((f) => /^(licen[cs]e|copying|notice|unlicense)/i.test(f)).sort();
    if (!files.length) without.push(c);
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), "utf8").trim();
      if (!texts.has(text)) texts.set(text, []);
      texts.get(text).push(`${c.name} ${c.version}`);
    }
  }
  let out = `${title} contains these Rust crates, under the licences below.\n\n`;
  out += crates.map((c) => `${c.name} ${c.version}: ${c.license ?? "see its files"}${c.repository ? ` (${c.repository})` : ""}`).join("\n") + "\n";
  for (const [text, owners] of texts) out += `\n\n==== ${owners.join(", ")}\n\n${text}\n`;
  if (without.length) {
    out += `\n\n==== Crates that ship no licence file; their licence is the standard text of the SPDX identifier listed above (the MIT and Apache-2.0 texts are above, and in Accord's own LICENSE-MIT and LICENSE-APACHE):\n${without.map((c) => `${c.name} ${c.version}`).join(", ")}\n`;
  }
  return out;
}

/** A reproducible .tar.gz of `dir` (its folder name is the archive's top folder). */
function tarball(dir, file) {
  execFileSync("tar", ["--sort=name", "--owner=0", "--group=0", "--numeric-owner", "--mode=go-w,a+rX", `--mtime=@${EPOCH}`,
    "-cf", file.replace(/\.gz$/, ""), "-C", path.dirname(dir), path.basename(dir)]);
  execFileSync("gzip", ["-n", "-9", "-f", file.replace(/\.gz$/, "")]);
}

// ---- The widget package -------------------------------------------------
// The widget's files go in a folder named by their content, so a host can
// cache them for ever; the loader (short-cached) is pointed at that folder.
const widgetFiles = ["accord-widget.js", "accord-widget_bg.wasm", "accord.css",
  ...filesUnder(path.join(dist, "accord/locales")).filter((f) => !f.includes("/")).map((f) => `locales/${f}`),
  // The built-in enrichment's data, fetched only by rulebooks that use it.
  ...filesUnder(path.join(dist, "accord/enrichment")).map((f) => `enrichment/${f}`)];
const assetHash = createHash("sha256");
for (const file of widgetFiles) {
  assetHash.update(file + "\0").update(fs.readFileSync(path.join(dist, "accord", file)));
}
const assets = `accord/${assetHash.digest("hex").slice(0, 10)}/`;

const widgetName = `accord-widget-${version}`;
const widget = path.join(stage, widgetName);
for (const file of widgetFiles) copy(path.join(dist, "accord", file), path.join(widget, assets, file));

const loader = fs.readFileSync(path.join(dist, "accord-loader.js"), "utf8");
const literal = '"accord/"';
if (loader.split(literal).length !== 2) fail(`dist/accord-loader.js must name ${literal} exactly once (its ASSETS folder)`);
fs.writeFileSync(path.join(widget, "accord-loader.js"), loader.replace(literal, JSON.stringify(assets)));

for (const file of ["_headers", "README.md"]) copy(path.join(root, "packaging/widget", file), path.join(widget, file));
for (const file of ["LICENSE-MIT", "LICENSE-APACHE"]) copy(path.join(root, file), path.join(widget, file));
fs.writeFileSync(path.join(widget, "THIRD-PARTY-NOTICES.txt"),
  thirdPartyNotices(`The Accord widget ${version} (${assets}accord-widget_bg.wasm)`, "accord-widget", "wasm32-unknown-unknown"));
fs.writeFileSync(path.join(widget, "package.json"), JSON.stringify({
  name: "accord-widget",
  version,
  description: "Accord lead-qualification widget for landing pages: upload, then embed with two lines of HTML",
  license: "MIT OR Apache-2.0",
  browser: "accord-loader.js",
  files: ["accord-loader.js", "accord/", "_headers", "manifest.json", "README.md", "LICENSE-MIT", "LICENSE-APACHE", "THIRD-PARTY-NOTICES.txt"],
  keywords: ["lead-qualification", "forms", "webassembly", "landing-page"],
}, null, 2) + "\n");

// The manifest: each file's size and SHA-384, in the form an `integrity`
// attribute takes.
const manifest = { name: "accord-widget", version, loader: "accord-loader.js", assets, files: {} };
for (const file of filesUnder(widget)) {
  const bytes = fs.readFileSync(path.join(widget, file));
  manifest.files[file] = { bytes: bytes.length, sha384: `sha384-${digest("sha384", bytes, "base64")}` };
}
fs.writeFileSync(path.join(widget, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");

tarball(widget, path.join(out, `${widgetName}.tar.gz`));
const packed = execFileSync("npm", ["pack", "--json", "--pack-destination", out], { cwd: widget, encoding: "utf8" });
const npmFile = JSON.parse(packed)[0].filename;
if (npmFile !== `${widgetName}.tgz`) fail(`npm pack wrote ${npmFile}, expected ${widgetName}.tgz`);

// ---- The studio and console bundles ---------------------------------------
// Static pages served at the root of a host, e.g. by the inbox itself
// (`accord serve --dist FOLDER`); both unpack into one folder.
const shared = ["favicon.svg", "rulebooks.json", ...filesUnder(path.join(dist, "rulebooks")).map((f) => `rulebooks/${f}`)];
const bundles = {
  studio: ["studio.html", "studio.js", "studio.css", ...filesUnder(path.join(dist, "studio")).map((f) => `studio/${f}`), ...shared],
  console: ["console.html", "console.js", "console.css", "accord/accord.css",
    ...filesUnder(path.join(dist, "accord/locales/console")).map((f) => `accord/locales/console/${f}`),
    ...filesUnder(path.join(dist, "console")).map((f) => `console/${f}`), ...shared],
};
for (const [name, files] of Object.entries(bundles)) {
  const dir = path.join(stage, `accord-${name}-${version}`);
  for (const file of files) copy(path.join(dist, file), path.join(dir, file));
  for (const file of ["LICENSE-MIT", "LICENSE-APACHE"]) copy(path.join(root, file), path.join(dir, file));
  fs.writeFileSync(path.join(dir, `THIRD-PARTY-NOTICES-${name}.txt`),
    thirdPartyNotices(`The Accord ${name} ${version} (${name}/accord-${name}_bg.wasm)`, `accord-${name}`, "wasm32-unknown-unknown"));
  tarball(dir, path.join(out, `accord-${name}-${version}.tar.gz`));
}

// ---- The CLI ----------------------------------------------------------------
const binary = path.join(out, `accord-${version}-x86_64-linux-musl`);
fs.copyFileSync(cli, binary);
fs.chmodSync(binary, 0o755);
fs.writeFileSync(`${binary}.THIRD-PARTY-NOTICES.txt`,
  thirdPartyNotices(`The accord ${version} binary for x86_64 Linux`, "accord-cli", "x86_64-unknown-linux-musl"));

fs.rmSync(stage, { recursive: true });
const artefacts = fs.readdirSync(out).sort();
fs.writeFileSync(path.join(out, "SHA256SUMS"),
  artefacts.map((f) => `${digest("sha256", fs.readFileSync(path.join(out, f)))}  ${f}\n`).join(""));

console.log(`release: ${path.relative(root, out)}/ (widget assets in ${assets})`);
for (const f of [...artefacts, "SHA256SUMS"]) {
  console.log(`  ${f.padEnd(44)} ${(fs.statSync(path.join(out, f)).size / 1024).toFixed(1).padStart(9)} KB`);
}
