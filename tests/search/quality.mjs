//! quality.mjs: ranks the shared reader queries (queries.json) with the shipped search.js over a
//! built site's index in Node, and prints the top-3 and top-1 rates and the bytes each query
//! loaded as JSON. Used by tests/integration/search.rs (this site) and bench/search.mjs (10,456
//! pages). Usage: node tests/search/quality.mjs SITE_DIR [QUERIES_JSON]
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";
import { createRequire } from "node:module";

/** A loader for search.js's engine that reads the site's script files from disk. */
export function fileLoader(site, loaded) {
  return (key, rel) => {
    const file = path.join(site, rel);
    const text = fs.readFileSync(file, "utf8");
    if (loaded) loaded.push([rel, zlib.gzipSync(text).length]);
    const sandbox = { self: {} };
    vm.runInNewContext(text, sandbox, { filename: file });
    const data = sandbox.self.beianSearch && sandbox.self.beianSearch[key];
    if (data === undefined) throw new Error(`${file} holds no ${key}`);
    return data;
  };
}

/** Runs every query on a fresh engine (a cold page) and scores the ranking. */
export async function evaluate(site, queries) {
  const require = createRequire(import.meta.url);
  const search = require(path.resolve(site, "search.js"));
  const rows = [];
  for (const { query, pages, also = [] } of queries) {
    const loaded = [];
    const engine = search.createEngine(fileLoader(site, loaded));
    // Ranked as the search box ranks (8 results), then the first three.
    const top = (await engine.search(query, 8)).slice(0, 3).map((r) => r.page);
    rows.push({
      query,
      top,
      top3: pages.every((p) => top.includes(p)),
      // `also`: pages that answer the query too (an FAQ entry asking exactly it), a right first
      // result, but not required in the top three.
      top1: pages.includes(top[0]) || also.includes(top[0]),
      files: loaded.length,
      gzip: loaded.reduce((a, [, n]) => a + n, 0),
    });
  }
  const rate = (k) => rows.filter((r) => r[k]).length / rows.length;
  return { queries: rows.length, top3: rate("top3"), top1: rate("top1"), rows };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [site, file] = process.argv.slice(2);
  if (!site) {
    console.error("usage: node tests/search/quality.mjs SITE_DIR [QUERIES_JSON]");
    process.exit(2);
  }
  const queriesFile = file || new URL("./queries.json", import.meta.url);
  const { queries } = JSON.parse(fs.readFileSync(queriesFile, "utf8"));
  console.log(JSON.stringify(await evaluate(site, queries), null, 1));
}
