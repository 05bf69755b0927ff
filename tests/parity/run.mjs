//! Parity runner: classifies every case of a case table through the compiled WebAssembly checker.
//!
//! Usage: node run.mjs GLUE.js MODULE.wasm RULES.json INPUTS.json DEFAULT_TODAY
//! INPUTS.json is an array of input texts (strings, passed to classify unchanged so both sides
//! parse the very same bytes). Prints a JSON array with, per input in order, either
//! {"output": "<output JSON text>"} or {"usageError": "<message>"} (what the bindings threw).
//! The Rust test compares it with the native core. Runs the `--target no-modules` glue as the
//! page does (a classic script that sets `self.beianChecker.wasm`) and calls its `initSync` with
//! the bytes, so no network or file-URL loading is involved.

import { readFileSync } from "node:fs";
import vm from "node:vm";

const [gluePath, wasmPath, rulesPath, inputsPath, defaultToday] = process.argv.slice(2);
if (!defaultToday) {
  console.error("usage: node run.mjs GLUE.js MODULE.wasm RULES.json INPUTS.json DEFAULT_TODAY");
  process.exit(2);
}

globalThis.self = globalThis;
vm.runInThisContext(readFileSync(gluePath, "utf8"), { filename: gluePath });
const glue = globalThis.beianChecker && globalThis.beianChecker.wasm;
if (typeof glue !== "function") throw new Error(`${gluePath} did not set self.beianChecker.wasm`);
glue.initSync({ module: readFileSync(wasmPath) });
const checker = new glue.Checker(readFileSync(rulesPath, "utf8"));
const inputs = JSON.parse(readFileSync(inputsPath, "utf8"));

const results = inputs.map((text) => {
  try {
    return { output: checker.classify(text, defaultToday) };
  } catch (e) {
    return { usageError: String(e && e.message) };
  }
});
process.stdout.write(JSON.stringify(results));
