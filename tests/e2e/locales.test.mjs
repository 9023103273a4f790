// End-to-end: the widget in other languages. A German page uses the
// built-in German strings (fetched only by that page); an Arabic rulebook
// brings its own strings and is laid out right to left, with Arabic
// digits. Checked as a visitor sees them, with axe at both widths.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import { launch, openPage, repoRoot } from "./support/browser.mjs";
import { startSite, eventually } from "./support/site.mjs";
import { assertNoViolations } from "./support/axe.mjs";

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

test("a German page shows German words, problems and status, and fetches only the German table", async () => {
  const page = await openPage(browser, site.url + "/test/locales.html");
  const fetched = [];
  page.on("request", (r) => { if (r.url().includes("/locales/")) fetched.push(new URL(r.url()).pathname); });
  await page.reload();
  const form = page.locator("#de");
  await form.getByLabel("E-Mail").waitFor({ timeout: 15000 });
  await form.getByText("Schritt 1 von 2").waitFor();
  await form.getByRole("button", { name: "Weiter" }).click();
  await form.getByText("Bitte füllen Sie dieses Feld aus.").waitFor();
  await form.getByLabel("E-Mail").fill("kein-email");
  await form.getByRole("button", { name: "Weiter" }).click();
  await form.getByText(/E-Mail-Adresse/).first().waitFor();
  await form.getByLabel("E-Mail").fill("anna@firma.example");
  await form.getByRole("button", { name: "Weiter" }).click();
  await form.getByText("Schritt 2 von 2").waitFor();
  assert.equal(await form.getByLabel("Unternehmensgröße").locator("option").first().textContent(), "Bitte auswählen…");
  await form.getByLabel("Unternehmensgröße").selectOption("large");
  await form.getByRole("button", { name: "Senden" }).click();
  await form.getByRole("heading", { name: "Vielen Dank" }).waitFor();
  await eventually(async () => (await form.locator(".delivery").textContent()) === "Gesendet.", { timeout: 15000 });
  assert.equal(await form.locator(".accord-locale").getAttribute("lang"), "de");
  assert.deepEqual([...new Set(fetched)], ["/accord/locales/de.json"], "only the German table");
  assert.deepEqual(page.errors, []);
  await page.close();
});

for (const width of [1280, 390]) {
  test(`an Arabic rulebook is laid out right to left with its own words, at ${width} px`, async () => {
    const page = await openPage(browser, site.url + "/test/locales.html");
    await page.setViewportSize({ width, height: 900 });
    const form = page.locator("#ar");
    await form.getByLabel("البريد الإلكتروني").waitFor({ timeout: 15000 });
    const root = form.locator(".accord-locale");
    assert.equal(await root.getAttribute("dir"), "rtl");
    assert.equal(await root.getAttribute("lang"), "ar-EG");
    // Numbers written the Arabic way.
    await form.getByText("الخطوة ١ من ٢").waitFor();
    // Right to left: the label starts at the right edge of its field.
    const label = await form.locator("label[for=f-email]").boundingBox();
    const input = await form.getByLabel("البريد الإلكتروني").boundingBox();
    assert.ok(Math.abs(label.x + label.width - (input.x + input.width)) < 2,
      `label ends at ${label.x + label.width}, field at ${input.x + input.width}`);
    await form.getByRole("button", { name: "متابعة" }).click();
    await form.getByText("يرجى ملء هذا الحقل.").waitFor();
    await assertNoViolations(page, `Arabic form at ${width} px`);
    const { innerWidth, scrollWidth } = await page.evaluate(() => ({ innerWidth, scrollWidth: document.documentElement.scrollWidth }));
    assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth} px wide in ${innerWidth}`);
    await page.screenshot({ path: join(results, `locales-${width}.png`), fullPage: true });
    // A string the rulebook does not translate stays English rather than
    // breaking: the German widget on the same page is unaffected.
    await page.locator("#de").getByText("Schritt 1 von 2").waitFor();
    assert.deepEqual(page.errors, []);
    await page.close();
  });
}
