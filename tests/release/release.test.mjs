// The release folder (scripts/release): exactly the artefacts, their
// checksums, only what each package needs, a manifest that tells the
// truth, and a CLI that is one static binary.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { releaseDir, version, unpack, listTar } from "./support.mjs";

const WIDGET_ASSETS = ["accord-widget.js", "accord-widget_bg.wasm", "accord.css",
  ...["de", "es", "fr", "it", "nl", "pt"].map((l) => `locales/${l}.json`),
  // The built-in enrichment's data and its licence.
  "enrichment/LICENSE-disposable-domains", "enrichment/disposable-domains.txt"];

test("the release folder holds exactly the artefacts, and SHA256SUMS checks them", () => {
  const listing = execFileSync("ls", [releaseDir], { encoding: "utf8" }).trim().split("\n").sort();
  assert.deepEqual(listing, [
    `accord-${version}-x86_64-linux-musl`,
    `accord-${version}-x86_64-linux-musl.THIRD-PARTY-NOTICES.txt`,
    `accord-console-${version}.tar.gz`,
    `accord-studio-${version}.tar.gz`,
    `accord-widget-${version}.tar.gz`,
    `accord-widget-${version}.tgz`,
    "SHA256SUMS",
  ].sort());
  const checked = execFileSync("sha256sum", ["-c", "SHA256SUMS"], { cwd: releaseDir, encoding: "utf8" });
  assert.equal(checked.trim().split("\n").filter((l) => l.endsWith(": OK")).length, 6, checked);
});

test("the widget package holds only what the widget needs, the same in both archives", () => {
  const npm = listTar(`accord-widget-${version}.tgz`);
  const plain = listTar(`accord-widget-${version}.tar.gz`);
  assert.ok(npm.every((f) => f.startsWith("package/")), npm.join("\n"));
  assert.ok(plain.every((f) => f.startsWith(`accord-widget-${version}/`)), plain.join("\n"));
  const inNpm = npm.map((f) => f.slice("package/".length)).sort();
  const inPlain = plain.map((f) => f.slice(`accord-widget-${version}/`.length)).sort();
  assert.deepEqual(inNpm, inPlain);
  const assets = inNpm.find((f) => f.endsWith("accord-widget_bg.wasm")).replace("accord-widget_bg.wasm", "");
  assert.match(assets, /^accord\/[0-9a-f]{10}\/$/, "the widget's files sit in a content-addressed folder");
  assert.deepEqual(inNpm, [
    "LICENSE-APACHE", "LICENSE-MIT", "README.md", "THIRD-PARTY-NOTICES.txt", "_headers", "accord-loader.js",
    ...WIDGET_ASSETS.map((f) => assets + f), "manifest.json", "package.json",
  ].sort());
});

test("the manifest gives every file's true size and SHA-384, and the loader names the asset folder", () => {
  const dir = unpack(`accord-widget-${version}.tgz`);
  try {
    const pkg = join(dir, "package");
    const manifest = JSON.parse(readFileSync(join(pkg, "manifest.json"), "utf8"));
    const pkgJson = JSON.parse(readFileSync(join(pkg, "package.json"), "utf8"));
    assert.equal(pkgJson.name, "accord-widget");
    assert.equal(pkgJson.version, version);
    assert.equal(pkgJson.license, "MIT OR Apache-2.0");
    assert.equal(manifest.version, version);
    const files = Object.keys(manifest.files).sort();
    assert.deepEqual(files, listTar(`accord-widget-${version}.tgz`)
      .map((f) => f.slice("package/".length)).filter((f) => f !== "manifest.json").sort());
    for (const [file, { bytes, sha384 }] of Object.entries(manifest.files)) {
      const content = readFileSync(join(pkg, file));
      assert.equal(content.length, bytes, file);
      assert.equal(sha384, "sha384-" + createHash("sha384").update(content).digest("base64"), file);
    }
    const loader = readFileSync(join(pkg, "accord-loader.js"), "utf8");
    assert.ok(loader.includes(JSON.stringify(manifest.assets)), "the loader loads the manifest's asset folder");
    assert.ok(!loader.includes('"accord/"'), "no unversioned asset path is left in the loader");
    // The licences of what is compiled into the wasm travel with it; crates
    // that only run at build time (proc macros) are not in it.
    const notices = readFileSync(join(pkg, "THIRD-PARTY-NOTICES.txt"), "utf8");
    for (const crate of ["yew 0.23", "serde_json ", "wasm-bindgen ", "talc "]) assert.ok(notices.includes("\n" + crate), crate);
    for (const crate of ["syn ", "quote ", "yew-macro "]) assert.ok(!notices.includes("\n" + crate), `${crate}is build-time only`);
    assert.match(notices, /Permission is hereby granted/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the studio and console bundles hold their own pages and nothing of the other's", () => {
  const top = (name) => `accord-${name}-${version}/`;
  const studio = listTar(`accord-studio-${version}.tar.gz`).map((f) => f.slice(top("studio").length));
  const consoleFiles = listTar(`accord-console-${version}.tar.gz`).map((f) => f.slice(top("console").length));
  for (const f of ["studio.html", "studio.js", "studio.css", "studio/accord-studio.js", "studio/accord-studio_bg.wasm",
    "rulebooks.json", "rulebooks/inbound.json", "favicon.svg", "LICENSE-MIT", "THIRD-PARTY-NOTICES-studio.txt"]) {
    assert.ok(studio.includes(f), `studio: ${f}`);
  }
  for (const f of ["console.html", "console.js", "console.css", "console/accord-console.js", "console/accord-console_bg.wasm",
    "accord/accord.css", "accord/locales/console/de.json", "rulebooks.json", "rulebooks/meddpicc-call.json", "LICENSE-MIT",
    "THIRD-PARTY-NOTICES-console.txt"]) {
    assert.ok(consoleFiles.includes(f), `console: ${f}`);
  }
  assert.ok(!studio.some((f) => f.startsWith("console") || f.includes("accord-widget")), studio.join("\n"));
  assert.ok(!consoleFiles.some((f) => f.startsWith("studio") || f.includes("accord-widget")), consoleFiles.join("\n"));
  assert.ok(!studio.includes("index.html") && !consoleFiles.includes("index.html"), "no demo landing page");
  // Files both bundles hold are the same, so they unpack into one folder.
  const both = studio.filter((f) => consoleFiles.includes(f));
  const dir = mkdtempSync(join(tmpdir(), "accord-bundles-"));
  try {
    for (const name of ["studio", "console"]) {
      execFileSync("tar", ["-xzf", join(releaseDir, `accord-${name}-${version}.tar.gz`), "-C", dir]);
    }
    for (const f of both) {
      assert.deepEqual(readFileSync(join(dir, top("studio"), f)), readFileSync(join(dir, top("console"), f)), f);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the CLI is one static binary that runs on its own", () => {
  const binary = join(releaseDir, `accord-${version}-x86_64-linux-musl`);
  const notices = readFileSync(`${binary}.THIRD-PARTY-NOTICES.txt`, "utf8");
  for (const crate of ["rusqlite ", "libsqlite3-sys ", "axum ", "mimalloc "]) assert.ok(notices.includes("\n" + crate), crate);
  const described = execFileSync("file", ["-b", binary], { encoding: "utf8" });
  assert.match(described, /ELF 64-bit LSB .*x86-64/);
  assert.match(described, /static(ally|-pie) linked/, described);
  const env = { PATH: "/usr/bin:/bin" };
  assert.match(execFileSync(binary, ["--version"], { encoding: "utf8", env }), /accord /);
  const dir = unpack(`accord-studio-${version}.tar.gz`);
  try {
    const checked = execFileSync(binary, ["check", join(dir, `accord-studio-${version}`, "rulebooks/minimal.json")],
      { encoding: "utf8", env });
    assert.match(checked, /^ok: .*minimal 1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
