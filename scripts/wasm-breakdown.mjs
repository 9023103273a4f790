// Where the widget's wasm bytes go: code size per crate, from the function
// names wasm-bindgen keeps with --keep-debug. Raw bytes of function bodies
// after wasm-opt -Oz (gzip shrinks each part by roughly the same ratio).
// Usage: node scripts/wasm-breakdown.mjs FILE.wasm [--top N [TEXT]]
//   (see scripts/wasm-size); --top also lists the N largest functions,
//   of those whose name contains TEXT when given.
import { readFileSync } from "node:fs";

const bytes = readFileSync(process.argv[2]);
let pos = 8;
const u32 = () => {
  let result = 0, shift = 0, b;
  do { b = bytes[pos++]; result |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
  return result >>> 0;
};
const name = () => { const n = u32(); const s = bytes.toString("utf8", pos, pos + n); pos += n; return s; };

let imported = 0;
const bodySizes = [];
const names = new Map();
let dataBytes = 0;
while (pos < bytes.length) {
  const id = bytes[pos++];
  const size = u32();
  const end = pos + size;
  if (id === 2) { // imports: count function imports (they come first in the index space)
    for (let n = u32(); n > 0; n--) {
      name(); name();
      const kind = bytes[pos++];
      if (kind === 0) { u32(); imported++; }
      else if (kind === 1) { pos++; const f = bytes[pos++]; u32(); if (f & 1) u32(); }
      else if (kind === 2) { const f = bytes[pos++]; u32(); if (f & 1) u32(); }
      else if (kind === 3) { pos += 2; }
      else { pos++; u32(); }
    }
  } else if (id === 10) {
    for (let n = u32(); n > 0; n--) { const s = u32(); bodySizes.push(s); pos += s; }
  } else if (id === 11) {
    dataBytes = size;
  } else if (id === 0 && name() === "name") {
    while (pos < end) {
      const sub = bytes[pos++];
      const subSize = u32();
      const subEnd = pos + subSize;
      if (sub === 1) for (let n = u32(); n > 0; n--) { const i = u32(); names.set(i, name()); }
      pos = subEnd;
    }
  }
  pos = end;
}

const CRATES = ["accord_logic", "accord_core", "accord_web", "accord_widget_ui", "accord_widget", "accord_console", "accord_studio", "csv_core", "csv", "yew", "serde_json", "serde_core", "serde", "wasm_bindgen",
  "js_sys", "web_sys", "sha2", "hashbrown", "dlmalloc", "talc", "implicit_clone", "tracing", "indexmap"];
const totals = new Map();
bodySizes.forEach((size, i) => {
  const fn = names.get(i + imported) ?? "";
  // The crate whose code this is: the first of ours named in the symbol,
  // so generic std code instantiated for our types counts as ours.
  const crate = CRATES.find((c) => fn.includes(c + "::")) ??
    (/^<?(core|alloc|std)\b/.test(fn) ? "core/alloc/std" : "other");
  totals.set(crate, (totals.get(crate) ?? 0) + size);
});
totals.set("data (strings, tables)", dataBytes);
const sum = [...totals.values()].reduce((a, b) => a + b, 0);
for (const [crate, size] of [...totals].sort((a, b) => b[1] - a[1])) {
  console.log(`${(size / 1024).toFixed(1).padStart(7)} KB ${(100 * size / sum).toFixed(1).padStart(5)} %  ${crate}`);
}
console.log(`${(sum / 1024).toFixed(1).padStart(7)} KB  total code + data`);

const top = process.argv.indexOf("--top");
if (top > 0) {
  const [count, text = ""] = process.argv.slice(top + 1);
  const fns = bodySizes.map((size, i) => ({ size, fn: names.get(i + imported) ?? "?" }))
    .filter((f) => f.fn.includes(text)).sort((a, b) => b.size - a.size).slice(0, Number(count));
  for (const f of fns) console.log(`${String(f.size).padStart(8)} B  ${f.fn.slice(0, 160)}`);
}
