//! Reader-experience checks of issue 19 (round three), on a phone (390 × 844) in both
//! languages: the answer in view, the loading note, the English checker, the language switch
//! keeping the reader's place, footnote separators, print, sharing, offline use (with an update),
//! and the smaller things (date errors, header, theme state, the calendar button's reason).
//! Registered by run.mjs, whose helpers it receives; each check saves screenshots under the
//! artefacts folder (`reader-*.png`) for a human to look at.

import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PHONE = { width: 390, height: 844 };
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * Registers the checks with node:test. `h`: `test`, `open(label, options)`, `goto(page, path)`,
 * `url(path)`, `readyWidget`, `filingResult`, `assertEventually`, `typeDate`, `site` (the built
 * site's folder), `setRoot(dir)` (the folder the server serves), `artifacts`, `today`.
 */
export function registerReaderChecks(h) {
  const { test, open, goto, readyWidget, filingResult, assertEventually, today } = h;
  const shot = async (page, name, options = {}) => {
    await page.screenshot({ path: join(h.artifacts, `reader-${name}.png`), ...options });
  };
  const LANGS = [
    { prefix: "", code: "zh" },
    { prefix: "en/", code: "en" },
  ];

  /** Top of the result heading relative to the viewport, and whether focus is on the result. */
  const resultPlace = (page) =>
    page.evaluate(() => {
      const results = document.querySelector('[data-role="results"]:not([hidden])');
      const h = results && results.querySelector('[data-role="results-title"]');
      return h ? { top: h.getBoundingClientRect().top, focused: document.activeElement === results } : null;
    });

  for (const { prefix, code } of LANGS) {
    test(`reader (${code}): a shared link puts the result heading at the top of the phone screen`, async () => {
      const { context, page, errors } = await open(`reader answer link ${code}`, PHONE);
      try {
        await goto(page, `${prefix}checker.html?serverExpiry=2026-10-01&today=${today}`);
        await filingResult(await readyWidget(page));
        await assertEventually(async () => {
          const p = await resultPlace(page);
          return p && p.top >= 0 && p.top < 60 && p.focused;
        }, "the result heading is at the top of the screen and the result has focus");
        await shot(page, `1-link-${code}`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });

    test(`reader (${code}): submitting an embedded checker shows the result heading, not step 2`, async () => {
      const { context, page } = await open(`reader answer submit ${code}`, PHONE);
      try {
        await goto(page, `${prefix}guides/renewal.html`);
        const widget = page.locator("[data-checker]").first();
        await widget.scrollIntoViewIfNeeded();
        await readyWidget(page);
        await widget.locator('[name="serverExpiry"]').fill("2026-10-01");
        await widget.locator('button[type="submit"]').click();
        await assertEventually(async () => {
          const p = await resultPlace(page);
          return p && p.top >= 0 && p.top < 60 && p.focused;
        }, "after submit the heading is in view and focused without scrolling past it");
        await shot(page, `1-submit-${code}`);
      } finally {
        await context.close();
      }
    });

    test(`reader (${code}): while the checker loads it says so; the no-script note only when the script failed`, async () => {
      const { context, page } = await open(`reader loading ${code}`, PHONE);
      try {
        // Hold the checker's loader until the page has been looked at: a slow phone.
        let release;
        const held = new Promise((ok) => (release = ok));
        await page.route("**/checker/loader.js", async (route) => {
          await held;
          await route.continue();
        });
        // The held file also holds the page's load event (it is preloaded): wait for the DOM only.
        await page.goto(h.url(`${prefix}checker.html?serverExpiry=2026-10-01&today=${today}`), { waitUntil: "domcontentloaded" });
        const widget = page.locator("[data-checker]").first();
        const loading = widget.locator('[data-role="loading-note"]');
        await loading.waitFor({ state: "visible" });
        assert.equal(await widget.locator('[data-role="static-note"]').isVisible(), false, "no failure note while loading");
        assert.match(await loading.innerText(), code === "zh" ? /正在加载检查器/ : /Loading the checker/);
        await shot(page, `2-loading-${code}`);
        release();
        await filingResult(await readyWidget(page));
        assert.equal(await loading.isVisible(), false, "the loading note goes once the answer is there");
      } finally {
        await context.close();
      }
      const failed = await open(`reader script failed ${code}`, PHONE);
      try {
        await failed.page.route("**/checker.js", (route) => route.abort("blockedbyclient"));
        await goto(failed.page, `${prefix}checker.html`);
        const widget = failed.page.locator("[data-checker][data-script-failed]").first();
        await widget.waitFor({ state: "attached" });
        assert.equal(await widget.locator('[data-role="static-note"]').isVisible(), true, "the no-script note is back");
        assert.equal(await widget.locator('[data-role="loading-note"]').isVisible(), false);
      } finally {
        await failed.context.close();
      }
      const noWasm = await open(`reader wasm failed ${code}`, PHONE);
      try {
        await noWasm.page.route("**/*.wasm", (route) => route.abort("blockedbyclient"));
        await goto(noWasm.page, `${prefix}checker.html?serverExpiry=2026-10-01&today=${today}`);
        const message = noWasm.page.locator("[data-checker] [data-role=message]").first();
        await message.waitFor({ state: "visible" });
        assert.match(await message.innerText(), code === "zh" ? /原因：检查器的文件没能加载/ : /Reason: the checker's files did not load/);
      } finally {
        await noWasm.context.close();
      }
    });
  }

  test("reader (en): no CJK in the English result's labels, headings or CSS-generated text; terms link English words", async () => {
    const { context, page } = await open("reader english", PHONE);
    try {
      await goto(page, `en/checker.html?accessStatus=cancelled&miitLookup=found&today=${today}`);
      const widget = await readyWidget(page);
      await filingResult(widget);
      const title = widget.locator(".checker-steps-title");
      assert.equal(await title.innerText(), "Do these today:");
      const generated = await page.evaluate(() => {
        const out = [];
        for (const el of document.querySelectorAll("[data-checker], [data-checker] *")) {
          for (const pseudo of ["::before", "::after"]) {
            const c = getComputedStyle(el, pseudo).content;
            if (c && c !== "none" && c !== "normal") out.push(c);
          }
        }
        return out;
      });
      assert.ok(!generated.some((c) => /[\u3400-\u9fff\uff01-\uff5e]/.test(c)), `CSS-generated text: ${generated.join(" | ")}`);
      const labels = await widget.locator(".checker-severity, .checker-key-date-label, .checker-results-head, .checker-toolbar button").allInnerTexts();
      for (const l of labels) assert.ok(!CJK.test(l), `label in English: ${l}`);
      const terms = await widget.locator(".checker-term").allInnerTexts();
      assert.ok(terms.length > 0, "English terms are linked");
      for (const t of terms) assert.match(t, /^[A-Za-z][A-Za-z -]*$/, `an English term: ${t}`);
      await shot(page, "3-english-result", { fullPage: true });
    } finally {
      await context.close();
    }
  });

  test("reader (zh): glossary links never split 空壳数据公示", async () => {
    const { context, page } = await open("reader terms zh", PHONE);
    try {
      await goto(page, `checker.html?accessStatus=cancelled&miitLookup=found&today=${today}`);
      const widget = await readyWidget(page);
      await filingResult(widget);
      const text = await widget.locator('[data-role="results"]').innerText();
      assert.match(text, /空壳数据公示/, "the result mentions the list (the check means something)");
      const split = await page.evaluate(() =>
        [...document.querySelectorAll(".checker-term")]
          .map((a) => (a.previousSibling ? a.previousSibling.textContent.slice(-6) : "") + a.textContent + (a.nextSibling ? a.nextSibling.textContent.slice(0, 6) : ""))
          .filter((s) => s.includes("空壳数据公示")),
      );
      assert.deepEqual(split, [], "no link inside 空壳数据公示");
      await shot(page, "3-terms-zh", { fullPage: true });
    } finally {
      await context.close();
    }
  });

  for (const [from, to] of [
    ["", "en/"],
    ["en/", ""],
  ]) {
    test(`reader: the language switch from ${from || "zh"} keeps the anchor and the checker's inputs`, async () => {
      const { context, page } = await open(`reader switch ${from}`, PHONE);
      try {
        await goto(page, `${from}guides/renewal.html#notice`);
        await page.locator(".lang-switcher a").first().click();
        await page.waitForURL(/renewal\.html#notice$/);
        assert.ok(page.url().endsWith(`/${to}guides/renewal.html#notice`), page.url());
        const top = await page.evaluate(() => document.getElementById("notice").getBoundingClientRect().top);
        assert.ok(top >= -2 && top < 120, `the reader lands on #notice (top ${top})`);
        await shot(page, `4-switch-anchor-to-${to ? "en" : "zh"}`);

        const query = `serverExpiry=2026-10-01&today=${today}`;
        await goto(page, `${from}checker.html?${query}`);
        await filingResult(await readyWidget(page));
        await page.locator(".lang-switcher a").first().click();
        await page.waitForURL((u) => u.pathname.endsWith(`/${to}checker.html`));
        assert.equal(new URL(page.url()).search, `?${query}`);
        const r = await filingResult(await readyWidget(page));
        assert.equal(r.state, "SERVER_EXPIRED_FILING_AT_RISK", "the other edition answers the same inputs");
        await shot(page, `4-switch-checker-to-${to ? "en" : "zh"}`);

        // An embed the reader filled: its inputs go along too.
        await goto(page, `${from}guides/renewal.html`);
        const widget = page.locator("[data-checker]").first();
        await widget.scrollIntoViewIfNeeded();
        await readyWidget(page);
        await widget.locator('[name="serverExpiry"]').fill("2026-10-01");
        await page.locator(".lang-switcher a").first().click();
        await page.waitForURL(/serverExpiry=2026-10-01/);
        assert.ok(new URL(page.url()).pathname.endsWith(`/${to}guides/renewal.html`), page.url());
      } finally {
        await context.close();
      }
    });
  }

  for (const { prefix, code } of LANGS) {
    test(`reader (${code}): adjacent footnote references are separated, on screen and in print`, async () => {
      const { context, page } = await open(`reader footnotes ${code}`, PHONE);
      try {
        await goto(page, `${prefix}guides/renewal.html`);
        const pairs = await page.evaluate(() =>
          [...document.querySelectorAll("sup.footnote-reference")]
            .filter((s) => s.previousSibling && s.previousSibling.nodeName === "SUP")
            .map((s) => s.previousSibling.innerText + s.innerText),
        );
        assert.ok(pairs.length > 0, "the page has adjacent references ([^4][^1])");
        for (const p of pairs) assert.match(p, /^\d+,\d+$/, `separated: ${p}`);
        const sup = page.locator("sup.footnote-reference:has(.footnote-sep)").first();
        await sup.scrollIntoViewIfNeeded();
        await shot(page, `5-footnotes-${code}`);
      } finally {
        await context.close();
      }
    });

    test(`reader (${code}): print: an embed prints one line with the checker's address; the print edition opens with a summary`, async () => {
      const { context, page } = await open(`reader print ${code}`, PHONE);
      try {
        await goto(page, `${prefix}guides/renewal.html`);
        await page.emulateMedia({ media: "print" });
        const widget = page.locator("[data-checker]").first();
        const printed = (await widget.innerText()).trim();
        assert.equal(printed.split("\n").filter((l) => l.trim()).length, 1, `one line: ${printed}`);
        assert.ok(printed.includes(h.url(`${prefix}checker.html`)), `the checker's address: ${printed}`);
        await widget.scrollIntoViewIfNeeded();
        await shot(page, `6-print-embed-${code}`);
        await goto(page, `${prefix}print.html`);
        const summary = page.locator(".print-summary");
        assert.equal(await summary.isVisible(), true);
        assert.ok((await summary.locator("li").count()) >= 3);
        const order = await page.evaluate(() => {
          const s = document.querySelector(".print-summary");
          const toc = document.querySelector(".print-toc");
          return Boolean(s.compareDocumentPosition(toc) & Node.DOCUMENT_POSITION_FOLLOWING);
        });
        assert.ok(order, "the summary comes before the contents");
        await shot(page, `6-print-summary-${code}`);
      } finally {
        await context.close();
      }
    });
  }

  test("reader (zh): share sends the checker's address with exactly the inputs; the shared link says so and clears", async () => {
    const { context, page } = await open("reader share zh", PHONE);
    let shared;
    try {
      // The Web Share API as a phone has it: record what the page shares.
      await page.addInitScript(() => {
        navigator.share = (data) => {
          window.__shared = data;
          return Promise.resolve();
        };
      });
      await goto(page, `guides/renewal.html`);
      const widget = page.locator("[data-checker]").first();
      await widget.scrollIntoViewIfNeeded();
      await readyWidget(page);
      await widget.locator('[name="serverExpiry"]').fill("2026-10-01");
      await page.locator('[data-group="advanced"] > summary').first().click();
      await widget.locator('[name="today"]').fill(today);
      const share = widget.locator('[data-role="share"]');
      await share.waitFor({ state: "visible" });
      await shot(page, "7-share-control-zh");
      await share.click();
      await assertEventually(async () => Boolean(await page.evaluate(() => window.__shared)), "the page shared something");
      shared = await page.evaluate(() => window.__shared.url);
      const url = new URL(shared);
      assert.ok(url.pathname.endsWith("/checker.html"), shared);
      // Every filled-in field of the form, nothing else (an unset choice is left out).
      const filled = await widget.evaluate((w) =>
        Object.fromEntries(
          [...w.querySelectorAll("[data-kind][name]")]
            .filter((c) => (c.type === "checkbox" ? c.checked : c.value.trim() !== ""))
            .map((c) => [c.name, c.type === "checkbox" ? "true" : c.value.trim()]),
        ),
      );
      assert.equal(filled.serverExpiry, "2026-10-01");
      assert.equal(filled.today, today);
      assert.deepEqual(Object.fromEntries(url.searchParams), filled, "exactly the inputs");
    } finally {
      await context.close();
    }
    const other = await open("reader shared link zh", PHONE);
    try {
      await other.page.goto(shared, { waitUntil: "load" });
      const widget = await readyWidget(other.page);
      const r = await filingResult(widget);
      assert.equal(r.state, "SERVER_EXPIRED_FILING_AT_RISK", "the shared link answers the same inputs");
      const note = widget.locator('[data-role="shared-note"]');
      await note.waitFor({ state: "visible" });
      assert.match(await note.innerText(), /这是别人分享的输入，改成你自己的/);
      await shot(other.page, "7-shared-link-zh");
      await note.locator("button").click();
      await assertEventually(async () => (await widget.locator('[name="serverExpiry"]').inputValue()) === "", "the inputs are cleared");
      assert.equal(await widget.locator('[data-role="results"]').isVisible(), false, "no result for cleared inputs");
      assert.equal(new URL(other.page.url()).search, "", "the address holds no inputs any more");
      await other.page.reload({ waitUntil: "load" });
      assert.equal(await other.page.locator('[data-role="shared-note"]').first().isVisible(), false);
    } finally {
      await other.context.close();
    }
  });

  test("reader (en): without the Web Share API the share control copies the link", async () => {
    const { context, page } = await open("reader share en", PHONE);
    try {
      await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: h.url("") });
      await page.addInitScript(() => {
        delete Navigator.prototype.share;
      });
      const query = `serverExpiry=2026-10-01&today=${today}`;
      await goto(page, `en/checker.html?${query}`);
      const widget = await readyWidget(page);
      await filingResult(widget);
      await widget.locator('[data-role="share"]').click();
      const note = widget.locator('[data-role="share-note"]');
      await note.waitFor({ state: "visible" });
      assert.match(await note.innerText(), /Link copied/);
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.equal(copied, h.url(`en/checker.html?${query}`));
      const banner = widget.locator('[data-role="shared-note"]');
      assert.match(await banner.innerText(), /someone else's inputs/);
      await shot(page, "7-share-copied-en");
    } finally {
      await context.close();
    }
  });

  test("reader: offline after a first visit (checker with any inputs, a visited page), and a new build replaces the cache", async () => {
    const copy = mkdtempSync(join(tmpdir(), "beian-sw-"));
    const { context, page, errors } = await open("reader offline", { ...PHONE, serviceWorkers: "allow" });
    try {
      cpSync(h.site, copy, { recursive: true });
      await goto(page, "guides/renewal.html");
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await assertEventually(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)), "the worker controls the page");
      await goto(page, "en/guides/domain-expiry.html");
      await context.setOffline(true);
      await goto(page, `checker.html?serverExpiry=2026-10-01&today=${today}`);
      const r = await filingResult(await readyWidget(page));
      assert.equal(r.state, "SERVER_EXPIRED_FILING_AT_RISK", "the checker answers offline, inputs from a link");
      await shot(page, "8-offline-checker");
      await goto(page, `en/checker.html?serverExpiry=2026-11-05&today=${today}`);
      assert.equal((await filingResult(await readyWidget(page))).state, "SERVER_EXPIRING_SOON", "any inputs, either edition");
      await goto(page, "en/guides/domain-expiry.html");
      assert.match(await page.locator("h1").innerText(), /Domain/);
      await goto(page, "guides/renewal.html");
      await shot(page, "8-offline-visited");

      // A new build: a changed stylesheet and page, and so a new worker (src/offline.rs gives it
      // a new version). Served in place of the old one, as a deploy does.
      const marker = "新的构建";
      const page0 = join(copy, "guides/renewal.html");
      writeFileSync(page0, readFileSync(page0, "utf8").replace("</h1>", `<span id="new-build">${marker}</span></h1>`));
      writeFileSync(join(copy, "style.css"), readFileSync(join(copy, "style.css"), "utf8") + "\n#new-build { color: red; }\n");
      const sw = readFileSync(join(copy, "sw.js"), "utf8");
      const version = sw.match(/const VERSION = "([^"]+)"/)[1];
      writeFileSync(join(copy, "sw.js"), sw.replace(`"${version}"`, `"${version}-next"`));
      h.setRoot(copy);
      await context.setOffline(false);
      await goto(page, "guides/renewal.html");
      assert.equal(await page.locator("#new-build").count(), 1, "online, the new build's page at once");
      await assertEventually(
        () => page.evaluate(async (v) => (await caches.keys()).join(" ") === `beian-guide-${v}-next`, version),
        "the new worker took over and the old cache is gone",
      );
      await context.setOffline(true);
      await goto(page, "guides/renewal.html");
      assert.equal(await page.locator("#new-build").count(), 1, "offline, the new build's page");
      const css = await page.evaluate(() => getComputedStyle(document.getElementById("new-build")).color);
      assert.equal(css, "rgb(255, 0, 0)", "and the new build's stylesheet");
      await goto(page, `checker.html?serverExpiry=2026-10-01&today=${today}`);
      await filingResult(await readyWidget(page));
      await shot(page, "8-offline-after-update");
      assert.deepEqual(errors, []);
    } finally {
      h.setRoot(h.site);
      await context.close();
      rmSync(copy, { recursive: true, force: true });
    }
  });

  test("reader: the service worker is registered over http, never from disk (file://)", async () => {
    const { context, page, errors } = await open("reader file no sw", { ...PHONE, serviceWorkers: "allow" });
    try {
      // Count the page's registrations (the browser refuses them on file://, with an error).
      await page.addInitScript(() => {
        window.__registered = 0;
        const sw = navigator.serviceWorker;
        if (sw) {
          const register = sw.register.bind(sw);
          sw.register = (...args) => {
            window.__registered++;
            return register(...args);
          };
        }
      });
      await goto(page, "index.html");
      await assertEventually(async () => (await page.evaluate(() => window.__registered)) === 1, "registered over http");
      await page.goto(h.fileUrl("index.html"), { waitUntil: "load" });
      assert.equal(await page.evaluate(() => window.__registered), 0, "nothing from disk");
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  for (const { prefix, code } of LANGS) {
    test(`reader (${code}): date errors in the picker's terms, a compact header, the theme state in words, the calendar button's reason`, async () => {
      const { context, page } = await open(`reader small ${code}`, PHONE);
      try {
        await goto(page, `${prefix}checker.html?serverExpiry=2026-10-01&today=${today}`);
        const widget = await readyWidget(page);
        await filingResult(widget);
        // A past date only: nothing ahead to export, and the button says why.
        const why = widget.locator('[data-role="ics-why"]');
        await why.waitFor({ state: "visible" });
        assert.equal(await widget.locator('[data-role="ics"]').isDisabled(), true);
        assert.match(await why.innerText(), code === "zh" ? /没有可导出的日期/ : /Nothing to export/);
        await why.scrollIntoViewIfNeeded();
        await shot(page, `10-ics-why-${code}`);

        await page.evaluate(() => window.scrollTo(0, 0));
        const header = await page.locator(".site-header").boundingBox();
        assert.ok(header.height <= 844 * 0.2, `the header takes ${header.height} px of 844`);
        const label = page.locator(".theme-toggle [data-theme-label]");
        assert.equal(await label.isVisible(), true, "the theme state is shown as text");
        assert.equal(await label.innerText(), code === "zh" ? "跟随系统" : "System");
        await page.locator(".theme-toggle").click();
        assert.equal(await label.innerText(), code === "zh" ? "浅色" : "Light");
        await shot(page, `10-header-${code}`);

        const field = widget.locator('[name="serverExpiry"]');
        await field.fill("");
        await field.focus();
        await h.typeDate(page, "2026-02-30");
        await page.keyboard.press("Enter");
        const note = widget.locator('[data-error-for="serverExpiry"]');
        await note.waitFor({ state: "visible" });
        const said = await note.innerText();
        assert.ok(!/YYYY/.test(said), `no format the picker does not take: ${said}`);
        assert.match(said, code === "zh" ? /日期选择器/ : /date picker/);
        await note.scrollIntoViewIfNeeded();
        await shot(page, `10-date-error-${code}`);
      } finally {
        await context.close();
      }
    });
  }
}
