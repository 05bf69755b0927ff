//! Chromium half of the checker benchmark: how soon a shared checker link shows its answer.
//!
//! Usage: node --experimental-websocket chromium.mjs (SITE_DIR… | --url BASE_URL) [RUNS] [--verbose]
//!        [--lang=zh-CN|en] [--network=slow|fast] [--encoding=gzip|browser]
//!
//! Opens `checker.html?serverExpiry=2026-11-05&today=2026-10-20` and its English twin
//! `en/checker.html?…` in headless Chromium with a fresh profile per load (a cold cache, no
//! service worker yet), once throttled with Chromium's network emulation (DevTools
//! `Network.emulateNetworkConditions`: 150 ms latency, 1.6 Mbit/s down and up, a slow phone
//! network) and once unthrottled, RUNS loads each, and prints per load and as medians:
//!
//! - `answer`: ms from navigation start until the result list is visible with its text (a
//!   MutationObserver put in the page before it loads, through the DevTools protocol, so it
//!   does not wait for a poll); `ready` and `first` are the widget's own performance marks
//!   (`beian-checker-ready`: glue, wasm and rules loaded; `beian-checker-first-answer`);
//! - `bytes`: what went over the wire (response headers and bodies, compressed as sent) for
//!   the requests finished by the answer, and their count; `--verbose` lists each request with
//!   its start, end and size, to see what is on the critical path.
//!
//! Given several SITE_DIRs (a site built before a change and one after), it takes their loads in
//! turn, so that both meet the same load on a shared machine, and prints medians for each.
//!
//! With SITE_DIR it serves the built site itself on 127.0.0.1 as `deploy/nginx.conf` does:
//! a `name.gz` beside the file is sent as it is with `Content-Encoding: gzip` when the browser
//! accepts gzip, hashed assets are cacheable for a year and the rest for five minutes, and the
//! Content-Security-Policy header is the one that file sends. With `--url` it measures a server
//! already running there (bench/checker/run.sh starts nginx with deploy/nginx.conf).

import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const verbose = args.includes("--verbose");
const option = (name) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const onlyLang = option("lang");
const onlyNetwork = option("network");
// What the browser accepts: `gzip` (the default, issue 20's measure: Chromium is told to ask
// for gzip only) or `browser` (what it asks for by itself, brotli too where the server has it).
const encoding = option("encoding") || "gzip";
if (!["gzip", "browser"].includes(encoding)) {
  console.error(`--encoding is gzip or browser, not ${encoding}`);
  process.exit(2);
}
const rest = args.filter((a) => !a.startsWith("--") || a === "--url");
/** { name, dir (null for --url), base URL (set once served) } */
const sites = [];
if (rest[0] === "--url") {
  sites.push({ name: rest[1], dir: null, base: rest[1].endsWith("/") ? rest[1] : `${rest[1]}/` });
  rest.splice(0, 2);
} else {
  while (rest.length && !/^\d+$/.test(rest[0])) {
    const dir = rest.shift();
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
      console.error(`${dir} is not a folder (a built site)`);
      process.exit(2);
    }
    sites.push({ name: dir, dir, base: null });
  }
}
if (!sites.length) {
  console.error("usage: node --experimental-websocket chromium.mjs (SITE_DIR… | --url BASE_URL) [RUNS] [--verbose]");
  process.exit(2);
}
if (typeof WebSocket === "undefined") {
  console.error("this Node has no WebSocket: run it with --experimental-websocket (Node 20) or Node 22+");
  process.exit(2);
}
const runs = Number(rest[0] || 5);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`RUNS must be a whole number above 0, not ${rest[0]}`);
  process.exit(2);
}
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";
const TIMEOUT_MS = 60000;
const QUERY = "?serverExpiry=2026-11-05&today=2026-10-20";
/** The slow phone network of issue 20: 150 ms latency, 1.6 Mbit/s each way (bytes per second). */
const SLOW = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 1.6e6 / 8 };

const servers = [];
/** Serves `siteDir` as deploy/nginx.conf does; resolves to its base URL. */
async function serve(siteDir) {
  const TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
  };
  const nginxConf = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../../deploy/nginx.conf"), "utf8");
  const csp = /add_header Content-Security-Policy "([^"]+)"/.exec(nginxConf)?.[1];
  if (!csp) throw new Error("deploy/nginx.conf has no Content-Security-Policy header line");
  const hashed = /^\/checker\/[^/]+\.[0-9a-f]{8}\.(js|json|wasm)$|^\/([a-z]{2}(-[A-Za-z]+)?\/)?search\/[0-9a-f]{8}\//;
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
    const file = join(siteDir, path.endsWith("/") ? `${path}index.html` : path);
    try {
      if (!statSync(file).isFile()) throw new Error("not a file");
      const headers = {
        "content-type": TYPES[extname(file)] || "application/octet-stream",
        "cache-control": hashed.test(path) ? "public, max-age=31536000, immutable" : "public, max-age=300",
        "content-security-policy": csp,
        vary: "Accept-Encoding",
      };
      let body;
      if (/\bgzip\b/.test(req.headers["accept-encoding"] || "")) {
        try {
          body = readFileSync(`${file}.gz`);
          headers["content-encoding"] = "gzip";
        } catch {
          body = undefined;
        }
      }
      body ??= readFileSync(file);
      headers["content-length"] = body.length;
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end("not found");
    }
  });
  servers.push(server);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${server.address().port}/`;
}
for (const site of sites) if (site.dir) site.base = await serve(site.dir);

/** Resolves when `check()` returns a truthy value, polling; rejects after TIMEOUT_MS. */
async function until(what, check) {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

// Put in every document before its own scripts: notes when the answer first shows.
const WATCH = `(() => {
  const done = () => {
    const results = document.querySelector("[data-checker] [data-role=results]");
    const list = results && results.querySelector("[data-role=result-list]");
    if (!results || results.hidden || !list || !list.textContent.trim()) return false;
    if (results.checkVisibility ? !results.checkVisibility() : !results.getClientRects().length) return false;
    window.__benchAnswer = performance.now();
    return true;
  };
  const observer = new MutationObserver(() => { if (done()) observer.disconnect(); });
  observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();`;

async function oneLoad(base, url, throttle) {
  const profile = mkdtempSync(join(tmpdir(), "beian-bench-chromium-"));
  const browser = spawn(
    chromium,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      `--user-data-dir=${profile}`,
      "--remote-debugging-port=0",
      "about:blank",
    ],
    // Own process group, so the helpers (zygote, crashpad) end with the browser.
    { stdio: "ignore", detached: true },
  );
  try {
    const devtoolsPort = await until("DevToolsActivePort", () => {
      try {
        return readFileSync(join(profile, "DevToolsActivePort"), "utf8").split("\n")[0];
      } catch {
        return null;
      }
    });
    const target = await until("a page target", async () => {
      const list = await fetch(`http://127.0.0.1:${devtoolsPort}/json/list`).then((r) => r.json(), () => []);
      return list.find((t) => t.type === "page");
    });
    const ws = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    let nextId = 1;
    const pending = new Map();
    const requests = new Map();
    let origin = null; // the navigation request's wall time, for the request list
    ws.onmessage = (event) => {
      const msg = JSON.parse(event.data);
      if (msg.id && pending.has(msg.id)) {
        pending.get(msg.id)(msg);
        pending.delete(msg.id);
        return;
      }
      const p = msg.params;
      if (msg.method === "Network.requestWillBeSent") {
        if (origin === null) origin = p.timestamp;
        requests.set(p.requestId, { url: p.request.url, start: p.timestamp, end: null, bytes: 0 });
      } else if (msg.method === "Network.loadingFinished" && requests.has(p.requestId)) {
        Object.assign(requests.get(p.requestId), { end: p.timestamp, bytes: p.encodedDataLength });
      } else if (msg.method === "Network.loadingFailed" && requests.has(p.requestId)) {
        Object.assign(requests.get(p.requestId), { end: p.timestamp, failed: p.errorText });
      }
    };
    const send = (method, params = {}) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, (msg) => (msg.error ? reject(new Error(`${method}: ${msg.error.message}`)) : resolve(msg.result)));
        ws.send(JSON.stringify({ id, method, params }));
      });
    await send("Network.enable");
    await send("Page.enable");
    if (throttle) await send("Network.emulateNetworkConditions", throttle);
    if (encoding === "gzip") await send("Network.setExtraHTTPHeaders", { headers: { "Accept-Encoding": "gzip, deflate" } });
    await send("Page.addScriptToEvaluateOnNewDocument", { source: WATCH });
    await send("Page.navigate", { url });
    const probe = `(() => {
      const widget = document.querySelector("[data-checker]");
      if (widget && widget.dataset.state === "failed") return { failed: true };
      if (window.__benchAnswer === undefined) return null;
      const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? null;
      return {
        answer: window.__benchAnswer,
        ready: at("beian-checker-ready"),
        first: at("beian-checker-first-answer"),
        state: document.querySelector(".checker-result")?.dataset.state,
        wallNow: Date.now(),
        now: performance.now(),
      };
    })()`;
    const result = await until("the answer", async () => {
      const r = await send("Runtime.evaluate", { expression: probe, returnByValue: true });
      return r.result ? r.result.value : null;
    });
    if (result.failed) throw new Error(`${url}: the widget reported data-state=failed`);
    // Network timestamps are seconds on a monotonic clock starting at the navigation request;
    // the answer is ms since navigation start, on the same time line up to a few ms.
    const answerAt = origin + result.answer / 1000;
    let bytes = 0;
    let count = 0;
    const list = [];
    for (const r of requests.values()) {
      const done = r.end !== null && r.end <= answerAt;
      if (done && !r.failed) {
        bytes += r.bytes;
        count += 1;
      }
      list.push(r);
    }
    ws.close();
    result.bytes = bytes;
    result.count = count;
    result.requests = list.map((r) => ({
      url: r.url.replace(base, "/"),
      start: (r.start - origin) * 1000,
      end: r.end === null ? null : (r.end - origin) * 1000,
      bytes: r.bytes,
      failed: r.failed,
    }));
    return result;
  } finally {
    const exited = new Promise((r) => browser.once("exit", r));
    try {
      process.kill(-browser.pid, "SIGTERM");
    } catch {
      browser.kill();
    }
    await exited;
    // Chromium's helper processes may still be writing the profile for a moment.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch (e) {
      console.error(`note: could not remove ${profile}: ${e.message}`);
    }
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => (x === null || x === undefined ? "-" : `${x.toFixed(0)} ms`);

const summary = [];
try {
  for (const [network, name, throttle] of [
    ["slow", "1.6 Mbit/s, 150 ms", SLOW],
    ["fast", "unthrottled", null],
  ]) {
    if (onlyNetwork && onlyNetwork !== network) continue;
    for (const [lang, path] of [
      ["zh-CN", "checker.html"],
      ["en", "en/checker.html"],
    ]) {
      if (onlyLang && onlyLang !== lang) continue;
      const results = sites.map(() => []);
      for (let i = 0; i < runs; i++) {
        for (const [k, site] of sites.entries()) {
          const r = await oneLoad(site.base, `${site.base}${path}${QUERY}`, throttle);
          results[k].push(r);
          console.log(
            `${site.name} ${lang} ${name} run ${i + 1}: answer ${ms(r.answer)} (ready ${ms(r.ready)}, ` +
              `first-answer mark ${ms(r.first)}, state ${r.state}); ${r.bytes} B in ${r.count} requests by then`,
          );
          if (verbose) {
            for (const q of r.requests) {
              console.log(
                `    ${ms(q.start).padStart(8)} → ${ms(q.end).padStart(8)} ${String(q.bytes).padStart(7)} B ` +
                  `${q.url.slice(0, 100)}${q.failed ? ` (failed: ${q.failed})` : ""}`,
              );
            }
          }
        }
      }
      for (const [k, site] of sites.entries()) {
        const rs = results[k];
        const answers = rs.map((r) => r.answer);
        summary.push(
          `${site.name}: ${lang.padEnd(5)} ${name.padEnd(18)} answer median ${ms(median(answers))} ` +
            `(min ${ms(Math.min(...answers))}, max ${ms(Math.max(...answers))}), ` +
            `${median(rs.map((r) => r.bytes))} B in ${median(rs.map((r) => r.count))} requests by the answer`,
        );
      }
    }
  }
} finally {
  for (const server of servers) server.close();
}
console.log(
  `\nchecker link ${QUERY}, ${runs} cold loads each (fresh profile, no service worker yet; ` +
    `${encoding === "gzip" ? "Accept-Encoding: gzip, deflate" : "the browser's own Accept-Encoding"}):`,
);
for (const line of summary) console.log(line);
