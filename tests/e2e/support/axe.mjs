// axe-core (from npm, tools/) run in a page: one check for every test
// that looks for accessibility violations.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { join } from "node:path";
import { repoRoot } from "./browser.mjs";

const require = createRequire(join(repoRoot, "tools/package.json"));
const axePath = require.resolve("axe-core/axe.min.js");

/** Runs axe on the page (shadow roots included) and fails with every
 * violation's rule, impact and first elements. */
export async function assertNoViolations(page, what) {
  await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
    }));
  });
  assert.deepEqual(violations, [], `${what}: ${JSON.stringify(violations, null, 2)}`);
}
