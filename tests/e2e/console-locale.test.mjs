// End-to-end: the rep console in German (data-locale="de"): every view's
// words come from the German table, the layout holds at 1280 and 390 px
// with the longer words, and axe finds nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { launch, openPage, repoRoot } from "./support/browser.mjs";
import { startSite } from "./support/site.mjs";
import { assertNoViolations } from "./support/axe.mjs";

const german = JSON.parse(readFileSync(join(repoRoot, "static/locales/console/de.json"), "utf8"));
const results = join(repoRoot, "tests/e2e/results");
mkdirSync(results, { recursive: true });

let site, browser;
before(async () => {
  site = await startSite();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

/** The console page with `data-locale="de"` on its root. */
async function germanConsole(width) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  await context.route("**/console.html", async (route) => {
    const page = await (await fetch(site.url + "/console.html")).text();
    route.fulfill({ contentType: "text/html", body: page.replace('<div id="console"', '<div id="console" data-locale="de"') });
  });
  const page = await openPage(context, site.url + "/console.html");
  return { context, page };
}

for (const width of [1280, 390]) {
  test(`the console speaks German at ${width} px`, async () => {
    const { context, page } = await germanConsole(width);
    await page.getByRole("heading", { name: german["Accord console"] }).waitFor({ timeout: 15000 });
    assert.equal(await page.locator("#console").getAttribute("lang"), "de");
    for (const tab of ["Call", "Feedback", "Recent calls"]) {
      await page.getByRole("tab", { name: german[tab], exact: true }).waitFor();
    }
    await page.getByText(german["Question {n} of {total}"].replace("{n}", "1").replace("{total}", "12")).waitFor();
    await page.getByRole("button", { name: german["Save call"] }).click();
    await page.getByText(german["Choose how the call ended (Disposition)."]).waitFor();
    // No English left in the call view's own words.
    const text = await page.locator("#console").innerText();
    for (const english of ["Save call", "Show all questions", "Disposition", "Notes", "Qualification"]) {
      if (german[english] !== english) assert.ok(!text.includes(english), `"${english}" is still in English`);
    }
    const { inner, scroll } = await page.evaluate(() => ({ inner: innerWidth, scroll: document.documentElement.scrollWidth }));
    assert.ok(scroll <= inner, `the page is ${scroll} px wide in ${inner}`);
    await assertNoViolations(page, `German console at ${width} px`);
    await page.screenshot({ path: join(results, `console-de-${width}.png`), fullPage: true });
    // The shortcuts list too.
    await page.getByRole("button", { name: german["Shortcuts (?)"] }).click();
    await page.getByRole("dialog").getByText(german["Save the call"]).waitFor();
    assert.deepEqual(page.errors, []);
    await context.close();
  });
}
