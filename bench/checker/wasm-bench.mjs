//! WebAssembly half of the checker benchmark (run by benches/checker.rs, not a test).
//!
//! Usage: node wasm-bench.mjs DIR [SECONDS]
//! DIR holds checker.js (the wasm-bindgen no-modules glue), checker.wasm, rules.json and inputs.json (an
//! array of input texts). Prints one JSON object: module compile + instantiate time, Checker
//! construction time (parsing the rules), and classifications per second over the inputs,
//! called exactly as the widget calls it (JSON text in, JSON text out, today passed in).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import vm from "node:vm";

const [dir, secondsArg] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node wasm-bench.mjs DIR [SECONDS]");
  process.exit(2);
}
const seconds = Number(secondsArg || 2);
// The glue is a classic script (no-modules target) that sets self.beianChecker.wasm.
globalThis.self = globalThis;
vm.runInThisContext(readFileSync(join(dir, "checker.js"), "utf8"), { filename: "checker.js" });
const glue = globalThis.beianChecker.wasm;
const bytes = readFileSync(join(dir, "checker.wasm"));
const rules = readFileSync(join(dir, "rules.json"), "utf8");
const inputs = JSON.parse(readFileSync(join(dir, "inputs.json"), "utf8"));

let t = performance.now();
glue.initSync({ module: new WebAssembly.Module(bytes) });
const instantiateMs = performance.now() - t;

t = performance.now();
const checker = new glue.Checker(rules);
const rulesMs = performance.now() - t;

// Warm up, then run whole passes over the inputs until the time is up.
for (const text of inputs) checker.classify(text, "2026-10-20");
let calls = 0;
let sink = 0;
const start = performance.now();
const until = start + seconds * 1000;
while (performance.now() < until) {
  for (const text of inputs) sink += checker.classify(text, "2026-10-20").length;
  calls += inputs.length;
}
const elapsed = (performance.now() - start) / 1000;
process.stdout.write(
  JSON.stringify({
    instantiateMs,
    rulesMs,
    calls,
    seconds: elapsed,
    perSecond: calls / elapsed,
    microsPerCall: (elapsed * 1e6) / calls,
    outputBytes: sink,
  }),
);
