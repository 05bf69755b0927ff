// sw.js: the site's service worker, written by beian-guide for each build (src/offline.rs). It
// makes the checker (with any inputs) and every page the reader has opened work offline after a
// first visit over http(s); pages opened from disk (file://) never register it.
//
// - Install: the build's core files (the checker pages and the files they load, the theme's
//   scripts and styles) go into a cache named after this build's version; a failure leaves the
//   previous worker in charge.
// - Pages, and files whose names do not change between builds (style.css, theme.js, …): the
//   network first, so an online reader always gets the current build, and the copy is kept for
//   offline use; offline, the kept copy (a page's copy answers for every query string, so a
//   shared checker link works).
// - Content-hashed files (checker/*.<hash>.*, search/<generation>/…): from the cache when there,
//   as their name changes with their content.
// - Activate: the pages the reader had opened are fetched again into the new cache (when they
//   cannot be, their old copy moves over), then every older cache is deleted, and the worker
//   takes over the open pages. A new build's worker replaces this one on the next online visit.
"use strict";
const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__;
const PREFIX = "beian-guide-";
const CACHE = PREFIX + VERSION;
const SCOPE = new URL("./", self.location.href);

/** Whether `url` names content-hashed data that never changes under its name. */
function hashed(url) {
  const path = url.pathname.slice(SCOPE.pathname.length);
  return /\.[0-9a-f]{8}\.[a-z0-9]+$/.test(path) || /(^|\/)search\/[0-9a-f]{8}\//.test(path);
}

/** The cache key of a request: pages without their query string (inputs live in it). */
function key(request) {
  const url = new URL(request.url);
  if (request.mode === "navigate" || /\.html$|\/$/.test(url.pathname)) url.search = "";
  url.hash = "";
  return url.href;
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((p) => new Request(new URL(p, SCOPE).href, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      for (const name of await caches.keys()) {
        if (name === CACHE || !name.startsWith(PREFIX)) continue;
        const old = await caches.open(name);
        for (const request of await old.keys()) {
          if (await cache.match(request)) continue;
          const url = new URL(request.url);
          if (hashed(url)) continue; // an older build's file: this build names its own
          try {
            const fresh = await fetch(request.url, { cache: "reload" });
            if (fresh.ok) {
              await cache.put(request.url, fresh);
              continue;
            }
          } catch (e) {
            // Offline while activating: keep the old copy rather than nothing.
          }
          const copy = await old.match(request);
          if (copy) await cache.put(request.url, copy);
        }
        await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const k = key(request);
      if (hashed(url)) {
        const kept = await cache.match(k);
        if (kept) return kept;
      }
      try {
        const response = await fetch(request);
        if (response.ok && response.type === "basic") await cache.put(k, response.clone());
        return response;
      } catch (e) {
        const kept = await cache.match(k);
        if (kept) return kept;
        throw e;
      }
    })(),
  );
});
