//! HTML comments that the build accepted, checked in Debian's headless Chromium: in each page
//! given, nothing written inside a comment is live (no image with an error handler, no meta
//! refresh, no frame, no script that ran) and the text after the comment is shown.
//!
//! Usage: node comments.mjs SITE_DIR PAGE...   (PAGE: a path inside SITE_DIR, e.g. guides/c1.html)
//! Environment: CHROMIUM (default /usr/bin/chromium).
//! Run from tests/integration/browser.rs (`accepted_html_comments_cannot_end_early_in_chromium`),
//! which builds the pages. Prints one line per page and exits 1 if any page has live markup.

import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [siteArg, ...pages] = process.argv.slice(2);
if (!siteArg || pages.length === 0) {
  console.error("usage: node comments.mjs SITE_DIR PAGE...");
  process.exit(2);
}
const SITE = resolve(siteArg);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let failed = 0;
try {
  const context = await browser.newContext();
  context.setDefaultTimeout(15000);
  // Nothing leaves the folder: a live image or refresh would be requested, never reached.
  await context.route("**/*", (route) => (route.request().url().startsWith("file:") ? route.continue() : route.abort("blockedbyclient")));
  for (const rel of pages) {
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(SITE, rel)).href, { waitUntil: "load" });
    const found = await page.evaluate(() => ({
      handlers: [...document.querySelectorAll("*")].filter((e) => [...e.attributes].some((a) => a.name.startsWith("on"))).map((e) => e.outerHTML),
      refresh: [...document.querySelectorAll("meta[http-equiv]")].map((e) => e.outerHTML),
      frames: [...document.querySelectorAll("iframe, object, embed")].map((e) => e.outerHTML),
      ran: window.__commentEscaped === true,
      after: document.body.innerText.includes("后文"),
    }));
    const problems = [];
    if (found.handlers.length) problems.push(`live event handlers: ${found.handlers.join(" ")}`);
    if (found.refresh.length) problems.push(`live meta: ${found.refresh.join(" ")}`);
    if (found.frames.length) problems.push(`live frames: ${found.frames.join(" ")}`);
    if (found.ran) problems.push("a script from inside a comment ran");
    if (!found.after) problems.push("the text after the comment is not shown");
    if (problems.length) failed += 1;
    console.log(`${rel}: ${problems.length ? problems.join("; ") : "ok"}`);
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`${pages.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
