//! Chromium half of the checker benchmark: the checker page's load-and-first-answer time.
//!
//! Usage: node --experimental-websocket chromium.mjs SITE_DIR [RUNS]
//! Serves SITE_DIR (a built site) on 127.0.0.1, opens
//! checker.html?serverExpiry=2026-11-05&today=2026-10-20 in headless Chromium with a fresh profile
//! per run (cold cache), and reads the widget's performance marks through the DevTools protocol:
//! `beian-checker-ready` (glue + wasm + rules loaded) and `beian-checker-first-answer` (first
//! result rendered), both in ms since navigation start, then once more on a second visit in the
//! same browser (cached). Prints one line per run and the medians.

import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";

const [siteDir, runsArg] = process.argv.slice(2);
if (!siteDir) {
  console.error("usage: node --experimental-websocket chromium.mjs SITE_DIR [RUNS]");
  process.exit(2);
}
if (typeof WebSocket === "undefined") {
  console.error("this Node has no WebSocket: run it with --experimental-websocket (Node 20) or Node 22+");
  process.exit(2);
}
const runs = Number(runsArg || 5);
const chromium = process.env.CHROMIUM || "/usr/bin/chromium";
const TIMEOUT_MS = 30000;

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};

const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname)).replace(/^(\.\.[/\\])+/, "");
  const file = join(siteDir, path.endsWith("/") ? `${path}index.html` : path);
  try {
    if (!statSync(file).isFile()) throw new Error("not a file");
    // Cacheable, as a static host would serve them, so the second visit measures a warm cache.
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] || "application/octet-stream",
      "cache-control": "public, max-age=3600",
    });
    res.end(readFileSync(file));
  } catch {
    res.writeHead(404);
    res.end("not found");
  }
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = server.address().port;
const pageUrl = `http://127.0.0.1:${port}/checker.html?serverExpiry=2026-11-05&today=2026-10-20`;

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

async function oneRun() {
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
    ws.onmessage = (event) => {
      const msg = JSON.parse(event.data);
      if (msg.id && pending.has(msg.id)) {
        pending.get(msg.id)(msg);
        pending.delete(msg.id);
      }
    };
    const send = (method, params = {}) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, method, params }));
      });
    await send("Page.enable");
    await send("Page.navigate", { url: pageUrl });
    const expr = `(() => {
      const first = performance.getEntriesByName("beian-checker-first-answer")[0];
      const widget = document.querySelector("[data-checker]");
      if (widget && widget.dataset.state === "failed") return { failed: true };
      if (!first) return null;
      const ready = performance.getEntriesByName("beian-checker-ready")[0];
      const wasm = performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"));
      const nav = performance.getEntriesByType("navigation")[0];
      return {
        first: first.startTime,
        ready: ready ? ready.startTime : null,
        domContentLoaded: nav ? nav.domContentLoadedEventEnd : null,
        wasmFetch: wasm ? wasm.duration : null,
        state: document.querySelector(".checker-result")?.dataset.state,
      };
    })()`;
    const measure = (what) =>
      until(what, async () => {
        const r = await send("Runtime.evaluate", { expression: expr, returnByValue: true });
        return r.result && r.result.result ? r.result.result.value : null;
      });
    const result = await measure("the first answer");
    if (result.failed) throw new Error("the widget reported data-state=failed");
    // Same browser, second visit: glue, wasm and page come from the HTTP cache.
    await send("Page.navigate", { url: `${pageUrl}&domainExpiry=2027-01-01` });
    await until("the second page", async () => {
      const r = await send("Runtime.evaluate", { expression: "location.search", returnByValue: true });
      return r.result?.result?.value?.includes("domainExpiry");
    });
    const warm = await measure("the warm first answer");
    ws.close();
    if (warm.failed) throw new Error("the widget reported data-state=failed on the second visit");
    result.warm = warm.first;
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

const results = [];
try {
  for (let i = 0; i < runs; i++) {
    const r = await oneRun();
    results.push(r);
    console.log(
      `run ${i + 1}: first answer ${r.first.toFixed(1)} ms (wasm ready ${r.ready?.toFixed(1)} ms, ` +
        `DOMContentLoaded ${r.domContentLoaded?.toFixed(1)} ms, wasm fetch ${r.wasmFetch?.toFixed(1)} ms, ` +
        `state ${r.state}); second visit (cached) ${r.warm.toFixed(1)} ms`,
    );
  }
} finally {
  server.close();
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
console.log(
  `chromium load-and-first-answer over ${runs} cold runs: median ${median(results.map((r) => r.first)).toFixed(1)} ms, ` +
    `min ${Math.min(...results.map((r) => r.first)).toFixed(1)} ms, max ${Math.max(...results.map((r) => r.first)).toFixed(1)} ms; ` +
    `second visit (cached) median ${median(results.map((r) => r.warm)).toFixed(1)} ms`,
);
