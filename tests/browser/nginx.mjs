//! The built site behind nginx (deploy/nginx.conf), checked in Debian's headless Chromium.
//!
//! Usage: node nginx.mjs BASE_URL SITE_DIR NGINX_CONF
//!   BASE_URL    where nginx serves the site (`http://127.0.0.1:PORT/`; the site was built for it)
//!   SITE_DIR    the built site nginx serves (to compare what is sent with the files)
//!   NGINX_CONF  deploy/nginx.conf (its Content-Security-Policy is compared with the pages')
//! Environment: CHROMIUM (default /usr/bin/chromium).
//! Run from tests/integration/nginx.rs, which starts nginx and builds the site.
//!
//! Every request of every page is recorded; any that leaves the origin is aborted and fails.

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { request } from "node:http";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium } from "playwright-core";

const [baseArg, siteArg, confArg] = process.argv.slice(2);
if (!baseArg || !siteArg || !confArg) {
  console.error("usage: node nginx.mjs BASE_URL SITE_DIR NGINX_CONF");
  process.exit(2);
}
const BASE = new URL(baseArg);
const SITE = resolve(siteArg);
const CONF = readFileSync(confArg, "utf8");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const WAIT_MS = 15000;
const TODAY = "2026-10-20";
const SHARED_LINK = `checker.html?serverExpiry=2026-11-05&today=${TODAY}`;
const HASHED = /^\/checker\/[^/]+\.[0-9a-f]{8}\.(js|json|wasm)$/;

let browser;
/** Every request any page made: { page, url }. */
const requests = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  if (browser) await browser.close();
});

/** A fresh context and page; records every request and aborts those leaving the origin. */
async function open(label, locale = "zh-CN") {
  const context = await browser.newContext({ locale, timezoneId: "Asia/Shanghai" });
  context.setDefaultTimeout(WAIT_MS);
  await context.route("**/*", (route) => {
    const url = route.request().url();
    requests.push({ page: label, url });
    const local = url.startsWith("data:") || url.startsWith("blob:") || new URL(url).origin === BASE.origin;
    return local ? route.continue() : route.abort("blockedbyclient");
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  /** path → response, for every response of the page. */
  const responses = new Map();
  page.on("response", (r) => responses.set(new URL(r.url()).pathname, r));
  return { context, page, errors, responses };
}

/** GET `path` with `encoding` as Accept-Encoding; the raw (still encoded) body and headers. */
function fetchRaw(path, encoding) {
  return new Promise((ok, fail) => {
    const headers = encoding ? { "accept-encoding": encoding } : {};
    const req = request(new URL(path, BASE), { headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", fail);
    });
    req.on("error", fail);
    req.end();
  });
}

/** The pages' Content-Security-Policy, as their <meta> carries it. */
function metaPolicy(html) {
  const m = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/);
  assert.ok(m, "the page carries a Content-Security-Policy <meta>");
  return m[1];
}

test("pages and a shared checker link work in both editions, with the policy as a header", async () => {
  for (const [path, lang, state] of [
    ["index.html", "zh-CN", null],
    ["guides/renewal.html", "zh-CN", null],
    [SHARED_LINK, "zh-CN", "SERVER_EXPIRING_SOON"],
    [`en/${SHARED_LINK}`, "en", "SERVER_EXPIRING_SOON"],
    ["en/index.html", "en", null],
    ["", "zh-CN", null],
  ]) {
    const { context, page, errors, responses } = await open(`page ${path}`);
    try {
      const response = await page.goto(new URL(path, BASE).href, { waitUntil: "load" });
      assert.equal(response.status(), 200, `${path} answers 200`);
      assert.equal(await page.getAttribute("html", "lang"), lang, `${path} is in ${lang}`);
      const html = readFileSync(join(SITE, path.split("?")[0] || "index.html"), "utf8");
      const policy = response.headers()["content-security-policy"];
      assert.ok(policy, `${path} is sent with a Content-Security-Policy header`);
      assert.ok(
        policy.startsWith(metaPolicy(html)),
        `the header's policy is the pages' policy (plus what only a header says):\nheader: ${policy}\nmeta:   ${metaPolicy(html)}`,
      );
      if (state) {
        const result = page.locator(".checker-result[data-axis=filing]").first();
        await result.waitFor({ state: "visible" });
        assert.equal(await result.getAttribute("data-state"), state, `${path} shows the answer`);
        const wasm = [...responses.keys()].find((p) => /^\/checker\/checker\.[0-9a-f]{8}\.wasm$/.test(p));
        assert.ok(wasm, `${path} loads the checker's wasm (responses: ${[...responses.keys()].join(", ")})`);
        assert.equal(responses.get(wasm).headers()["content-type"], "application/wasm");
      }
      assert.deepEqual(errors, [], `${path}: no script error, no refused resource`);
      for (const [p, r] of responses) {
        assert.ok(r.status() < 400, `${path}: ${p} answered ${r.status()}`);
      }
    } finally {
      await context.close();
    }
  }
});

test("text files are sent from their precompressed copies", async () => {
  const { context, page, responses } = await open("encodings");
  let assets;
  try {
    await page.goto(new URL(SHARED_LINK, BASE).href, { waitUntil: "load" });
    await page.locator(".checker-result").first().waitFor({ state: "visible" });
    // What Chromium received: every text response with a copy on disk came encoded.
    for (const [p, r] of responses) {
      const file = join(SITE, p === "/" ? "index.html" : p.slice(1));
      if (!existsSync(`${file}.gz`)) continue;
      const encoding = r.headers()["content-encoding"];
      assert.ok(["gzip", "br"].includes(encoding), `${p} came with Content-Encoding ${encoding}`);
    }
    assets = [...responses.keys()].filter((p) => HASHED.test(p));
  } finally {
    await context.close();
  }
  assert.ok(assets.length >= 2, `the checker loads hashed assets (${assets.join(", ")})`);
  // Byte for byte, for each encoding: the response body is the file's copy, so nginx sends the
  // build's files (gzip is off in the configuration: nothing is compressed per request).
  for (const path of ["/index.html", "/en/checker.html", "/style.css", ...assets]) {
    const file = join(SITE, path.slice(1));
    for (const [encoding, suffix] of [["gzip", "gz"], ["br", "br"]]) {
      assert.ok(existsSync(`${file}.${suffix}`), `the build wrote ${path}.${suffix}`);
      const r = await fetchRaw(path, encoding);
      assert.equal(r.status, 200, `${path} (${encoding})`);
      assert.equal(r.headers["content-encoding"], encoding, `${path} asked with ${encoding}`);
      assert.ok(r.body.equals(readFileSync(`${file}.${suffix}`)), `${path} is sent as ${path}.${suffix}`);
    }
    const plain = await fetchRaw(path, null);
    assert.equal(plain.headers["content-encoding"], undefined, `${path} without Accept-Encoding`);
    assert.ok(plain.body.equals(readFileSync(file)), `${path} plain is the file`);
  }
  // A file whose copy would not help has none and is sent as it is.
  assert.ok(!existsSync(join(SITE, "robots.txt.gz")), "robots.txt has no copy");
  const robots = await fetchRaw("/robots.txt", "gzip, br");
  assert.equal(robots.status, 200);
  assert.equal(robots.headers["content-encoding"], undefined);
  // The build's list of files is not served.
  assert.equal((await fetchRaw("/.beian-guide-build", null)).status, 404);
});

test("the 404 page renders for a missing path at any depth, in each edition", async () => {
  for (const [path, lang] of [
    ["no-such-page.html", "zh-CN"],
    ["guides/no-such-page.html", "zh-CN"],
    ["a/b/c/d/e/", "zh-CN"],
    ["404.html/x", "zh-CN"],
    ["en/no-such-page.html", "en"],
    ["en/guides/deep/er/missing", "en"],
  ]) {
    const { context, page, errors, responses } = await open(`404 ${path}`);
    try {
      const response = await page.goto(new URL(path, BASE).href, { waitUntil: "load" });
      assert.equal(response.status(), 404, `${path} answers 404`);
      assert.equal(await page.getAttribute("html", "lang"), lang, `${path}: the ${lang} 404 page`);
      const expected = readFileSync(join(SITE, lang === "en" ? "en/404.html" : "404.html"), "utf8");
      assert.equal(await page.title(), expected.match(/<title>([^<]*)<\/title>/)[1], `${path}: its title`);
      assert.ok(response.headers()["content-security-policy"], `${path}: the policy header`);
      // Rendered with its styles: every stylesheet and script it names arrived.
      const styled = await page.evaluate(() => [...document.styleSheets].filter((s) => s.cssRules.length > 0).length);
      assert.ok(styled >= 1, `${path}: the 404 page is styled`);
      for (const [p, r] of responses) {
        if (p === new URL(path, BASE).pathname) continue;
        assert.equal(r.status(), 200, `${path}: ${p} answered ${r.status()}`);
      }
      assert.deepEqual(errors.filter((e) => !/404/.test(e)), [], `${path}: no script error`);
    } finally {
      await context.close();
    }
  }
  // Asking for the 404 page itself is a 404 too (it is not a page of the site).
  assert.equal((await fetchRaw("/404.html", null)).status, 404);
});

test("hashed assets are cached for a year, pages for five minutes", async () => {
  const checker = readFileSync(join(SITE, "checker.html"), "utf8");
  const loader = readFileSync(join(SITE, "checker/loader.js"), "utf8");
  const named = [...`${checker}\n${loader}`.matchAll(/checker\/[a-z-]+\.[0-9a-f]{8}\.(?:js|json|wasm)/g)].map((m) => `/${m[0]}`);
  assert.ok(named.length >= 2, `the checker names its hashed files (${named.join(", ")})`);
  for (const path of new Set(named)) {
    const r = await fetchRaw(path, "gzip");
    assert.equal(r.status, 200, path);
    assert.match(r.headers["cache-control"], /max-age=31536000/, `${path}: cached for a year`);
    assert.match(r.headers["cache-control"], /immutable/, `${path}: immutable`);
  }
  const gen = readFileSync(join(SITE, "search/index.js"), "utf8").match(/"gen":"([0-9a-f]{8})"/)[1];
  const shard = `/search/${gen}/0-0.js`;
  assert.ok(existsSync(join(SITE, shard)), `${shard} exists`);
  assert.match((await fetchRaw(shard, "gzip")).headers["cache-control"], /max-age=31536000/, shard);
  for (const path of ["/index.html", "/en/checker.html", "/style.css", "/search/index.js", "/checker/loader.js"]) {
    const r = await fetchRaw(path, "gzip");
    assert.equal(r.headers["cache-control"], "public, max-age=300", `${path}: a short lifetime`);
  }
});

test("the configuration's policy is the one in the templates", () => {
  const header = CONF.match(/add_header Content-Security-Policy "([^"]+)" always;/);
  assert.ok(header, "deploy/nginx.conf sends a Content-Security-Policy");
  const page = readFileSync(join(SITE, "index.html"), "utf8");
  assert.ok(header[1].startsWith(`${metaPolicy(page)}; `), "the header extends the pages' policy");
});

test("no request left the origin", () => {
  assert.ok(requests.length > 0, "requests were recorded");
  const away = requests.filter(({ url }) => !url.startsWith("data:") && !url.startsWith("blob:") && new URL(url).origin !== BASE.origin);
  assert.deepEqual(away, [], "every request went to the site's own origin");
});
