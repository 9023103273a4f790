// Size report: raw and gzipped bytes of every file a visitor downloads for
// the widget (loader, wasm-bindgen JS, wasm, CSS), checked against the
// ceiling in size-budget.json, which fails the run when exceeded. Run after
// `trunk build --release`.
// Exits 1 when a budget is exceeded or a file is missing.
import { readFileSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const budget = JSON.parse(readFileSync(join(root, "size-budget.json"), "utf8"));
const rows = [];
let total = 0, failures = [];
/** Raw and gzipped bytes of a built file; `null` (and a failure) when it
 * is missing. */
function measure(file) {
  const path = join(root, "dist", file);
  if (!existsSync(path)) { failures.push(`${file}: missing (run trunk build --release)`); return null; }
  const raw = readFileSync(path);
  return { raw: raw.length, gz: gzipSync(raw, { level: 9 }).length };
}
for (const [file, limit] of Object.entries(budget.files)) {
  const size = measure(file);
  if (!size) continue;
  const { raw, gz } = size;
  total += gz;
  rows.push([file, raw, gz, limit]);
  if (limit != null && gz > limit) failures.push(`${file}: ${gz} B gzipped exceeds its budget of ${limit} B`);
}
if (total > budget.total_gzip) failures.push(`total: ${total} B gzipped exceeds the budget of ${budget.total_gzip} B`);

const kb = (n) => (n / 1024).toFixed(1).padStart(7) + " KB";
console.log("file".padEnd(32) + "raw".padStart(10) + "gzip".padStart(10) + "budget".padStart(10));
for (const [f, raw, gz, limit] of rows) {
  console.log(f.padEnd(32) + kb(raw) + kb(gz) + (limit == null ? "        -" : kb(limit)));
}
console.log("total".padEnd(32) + " ".repeat(10) + kb(total) + kb(budget.total_gzip));
// The rep console and the studio are separate downloads (for sales reps;
// for the people who write the rules), not part of the widget's budget;
// each is reported with its own ceiling.
function app(name, entry) {
  if (!entry) { failures.push(`size-budget.json has no ceiling for the ${name}`); return; }
  let appTotal = 0;
  console.log(`\n${name} (not part of the widget)`);
  for (const file of entry.files) {
    const size = measure(file);
    if (!size) continue;
    appTotal += size.gz;
    console.log(file.padEnd(32) + kb(size.raw) + kb(size.gz));
  }
  console.log("total".padEnd(32) + " ".repeat(10) + kb(appTotal) + kb(entry.total_gzip));
  if (appTotal > entry.total_gzip) failures.push(`${name} total: ${appTotal} B gzipped exceeds its ceiling of ${entry.total_gzip} B`);
}
app("rep console", budget.console);
app("rulebook studio", budget.studio);
// A page in another language adds its strings table; English pages never
// load one.
if (budget.locales) {
  console.log("\nstrings of other languages (each only on pages in that language)");
  for (const file of budget.locales.files) {
    const size = measure(file);
    if (!size) continue;
    console.log(file.padEnd(32) + kb(size.raw) + kb(size.gz) + kb(budget.locales.each_gzip));
    if (size.gz > budget.locales.each_gzip) failures.push(`${file}: ${size.gz} B gzipped exceeds its ceiling of ${budget.locales.each_gzip} B`);
  }
}
if (failures.length) { console.error("\nsize budget exceeded:\n  " + failures.join("\n  ")); process.exit(1); }
