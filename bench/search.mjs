//! bench/search.mjs: measures the sharded search on this site and on this site plus a generated
//! corpus (10,456 pages by default) in headless Chromium, one cold page per size: bytes loaded
//! by the first query and by a second query on other terms (gzip), time to the first result,
//! JS heap after the first query, index size and build time, and the top-3/top-1 rates of the
//! shared reader queries (tests/search/queries.json), of the held-out ones (heldout.json) and of
//! the question-style ones (questions.json). A
//! benchmark, not a test: it prints a table.
//!
//! Usage: node bench/search.mjs [--pages 10000] [--shared DIR] [--work DIR] [--bin PATH]
//!   --shared  folder holding bench/gen_corpus.py (default: ../shared next to the repository)
//!   --work    where the sites go (default: $TMPDIR or /tmp, /beian-guide-search-bench)
//!   --bin     the generator (default: target/release/beian-guide; build it first with
//!             `cargo build --release`)
//! Needs python3, Chromium (CHROMIUM, default /usr/bin/chromium) and tests/browser's npm
//! packages (`npm ci` in tests/browser).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import { dirname, extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { evaluate } from "../tests/search/quality.mjs";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(repo, "tests/browser/package.json"));
const { chromium } = require("playwright-core");

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const pages = Number(opt("--pages", "10000"));
const shared = resolve(opt("--shared", join(repo, "../shared")));
const work = resolve(opt("--work", join(process.env.TMPDIR || "/tmp", "beian-guide-search-bench")));
const bin = resolve(opt("--bin", join(repo, "target/release/beian-guide")));
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const FIRST = "取消接入";
const SECOND = "经营许可证";
const { queries } = JSON.parse(readFileSync(join(repo, "tests/search/queries.json"), "utf8"));
// Held-out queries (never tuned on), reported on their own line.
const { queries: heldout } = JSON.parse(readFileSync(join(repo, "tests/search/heldout.json"), "utf8"));
// Question-style reader queries (issue 19), reported on their own line too.
const { queries: questions } = JSON.parse(readFileSync(join(repo, "tests/search/questions.json"), "utf8"));

for (const [what, path] of [["generator", bin], ["Chromium", CHROMIUM], ["gen_corpus.py", join(shared, "bench/gen_corpus.py")]]) {
  if (!existsSync(path)) {
    console.error(`bench/search.mjs: ${what} not found at ${path}`);
    process.exit(2);
  }
}

/** Copies the repository's site (config, content, theme) into `dir`. */
function siteCopy(dir) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of ["book.toml", "content", "templates", "static"]) cpSync(join(repo, f), join(dir, f), { recursive: true });
}

/** Builds `dir`; returns the total and the search stage's milliseconds (from --verbose). */
function buildTimes(dir) {
  const res = require("node:child_process").spawnSync(bin, ["build", "--root", dir, "--verbose"], { encoding: "utf8" });
  if (res.status !== 0) throw new Error(`build of ${dir} failed:\n${res.stderr}`);
  const ms = (name) => {
    const m = new RegExp(`^\\s*${name}\\s+([0-9.]+) ms`, "m").exec(res.stderr + res.stdout);
    return m ? Number(m[1]) : NaN;
  };
  return { total: ms("total"), search: ms("search") };
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Serves `root` on loopback; counts the gzip size of every response since the last reset. */
function serve(root) {
  const log = [];
  const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json", ".wasm": "application/wasm" };
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^\/+/, "");
    let file = join(root, path);
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
    if (!file.startsWith(root) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const body = gzipSync(readFileSync(file));
    log.push([path, body.length]);
    res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream", "content-encoding": "gzip", "cache-control": "no-store" });
    res.end(body);
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok({ server, log, port: server.address().port })));
}

/** Types `query` into the box at once and resolves with the ms until the result list changed. */
async function query(page, q) {
  return page.evaluate(
    (q) =>
      new Promise((resolve) => {
        const input = document.querySelector("[data-search] input");
        const list = document.querySelector("[data-search] [role=listbox]");
        const t0 = performance.now();
        new MutationObserver((_, obs) => {
          obs.disconnect();
          resolve({ ms: performance.now() - t0, results: list.querySelectorAll("[role=option]").length });
        }).observe(list, { childList: true });
        input.focus();
        input.value = q;
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }),
    q,
  );
}

/** The build's total without the search index (the same site, `[search] enabled = false`). */
function buildWithoutSearch(site) {
  const toml = join(site, "book.toml");
  const text = readFileSync(toml, "utf8");
  if (/^\[search\]/m.test(text)) return NaN;
  writeFileSync(toml, text + "\n[search]\nenabled = false\n");
  try {
    return buildTimes(site).total;
  } finally {
    writeFileSync(toml, text);
  }
}

async function measure(site, label) {
  const without = buildWithoutSearch(site);
  const times = buildTimes(site);
  const dir = /^\s*build-dir\s*=\s*"([^"]+)"/m.exec(readFileSync(join(site, "book.toml"), "utf8"));
  const root = join(site, dir ? dir[1] : "book");
  const files = walk(join(root, "search"));
  const raw = files.reduce((a, f) => a + statSync(f).size, 0);
  const gz = files.reduce((a, f) => a + gzipSync(readFileSync(f)).length, 0);
  const pagesBuilt = walk(root).filter((f) => f.endsWith(".html")).length;

  const { server, log, port } = await serve(root);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--enable-precise-memory-info"] });
  try {
    // The site's service worker (sw.js) would precache the checker's files during the first
    // query and count them as its bytes: this measures search alone.
    const context = await browser.newContext({ serviceWorkers: "block" });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await page.goto(`http://127.0.0.1:${port}/index.html`, { waitUntil: "load" });
    await page.waitForSelector("[data-search]:not([hidden])");
    // The box's own files, whenever they load: search.css with the page, search.js when the
    // reader first reaches for the box (theme.js), i.e. during the first query.
    const ui = ([p]) => p === "search.js" || p === "search.css";
    const sum = (list) => list.reduce((a, [, n]) => a + n, 0);
    let scripts = sum(log.filter(ui));
    log.length = 0;
    const first = await query(page, FIRST);
    scripts += sum(log.filter(ui));
    const firstBytes = sum(log.filter((e) => !ui(e)));
    const firstFiles = log.filter((e) => !ui(e)).length;
    await cdp.send("HeapProfiler.collectGarbage");
    const heap = (await cdp.send("Runtime.getHeapUsage")).usedSize;
    log.length = 0;
    const second = await query(page, SECOND);
    const secondBytes = log.reduce((a, [, n]) => a + n, 0);
    await context.close();
    const quality = await evaluate(root, queries);
    const held = await evaluate(root, heldout);
    const asked = await evaluate(root, questions);
    return { label, pagesBuilt, times, without, files: files.length, raw, gz, scripts, first, firstBytes, firstFiles, heap, second, secondBytes, quality, held, asked };
  } finally {
    await browser.close();
    server.close();
  }
}

const kb = (n) => (n / 1024).toFixed(1) + " KB";
const rows = [];
mkdirSync(work, { recursive: true });
const own = join(work, "own");
siteCopy(own);
rows.push(await measure(own, "this site"));
const big = join(work, `plus-${pages}`);
siteCopy(big);
const corpus = join(work, `corpus-${pages}`);
execFileSync("python3", [join(shared, "bench/gen_corpus.py"), "--pages", String(pages), "--layout", "neutral", "--out", corpus], { stdio: "ignore" });
cpSync(join(corpus, "content"), join(big, "content/corpus"), { recursive: true });
rows.push(await measure(big, `this site + gen_corpus ${pages}`));

console.log(`Search benchmark (Chromium ${CHROMIUM}, cold page, loopback, gzip level 6); first query "${FIRST}", second "${SECOND}"\n`);
console.log(["", ...rows.map((r) => `${r.label} (${r.pagesBuilt} HTML files)`)].join(" | "));
const line = (name, f) => console.log([name, ...rows.map(f)].join(" | "));
line("index files / raw / gzip", (r) => `${r.files} / ${kb(r.raw)} / ${kb(r.gz)}`);
line("site build: total / search stage / total without search", (r) => `${r.times.total.toFixed(0)} / ${r.times.search.toFixed(0)} / ${r.without.toFixed(0)} ms`);
line("first query: search data (files)", (r) => `${kb(r.firstBytes)} (${r.firstFiles})`);
line("first query incl. search.js + search.css", (r) => kb(r.firstBytes + r.scripts));
line("time to first result", (r) => `${r.first.ms.toFixed(0)} ms (${r.first.results} results)`);
line("second query, other terms", (r) => `${kb(r.secondBytes)} more, ${r.second.ms.toFixed(0)} ms`);
line("JS heap after first query", (r) => `${(r.heap / 1048576).toFixed(1)} MB`);
line("reader queries top-3 / top-1", (r) => `${(r.quality.top3 * 100).toFixed(0)}% / ${(r.quality.top1 * 100).toFixed(0)}% of ${r.quality.queries}`);
line("held-out queries top-3 / top-1", (r) => `${(r.held.top3 * 100).toFixed(0)}% / ${(r.held.top1 * 100).toFixed(0)}% of ${r.held.queries}`);
line("question queries top-3 / top-1", (r) => `${(r.asked.top3 * 100).toFixed(0)}% / ${(r.asked.top1 * 100).toFixed(0)}% of ${r.asked.queries}`);
for (const r of rows) {
  const missed = r.quality.rows.concat(r.held.rows, r.asked.rows).filter((x) => !x.top1 || !x.top3).map((x) => `${x.query} → ${x.top.join(", ")}`);
  if (missed.length) console.log(`\n${r.label}, not first or not in the top three:\n  ${missed.join("\n  ")}`);
}
