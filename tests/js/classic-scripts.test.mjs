//! The widget's scripts as the browser runs them: classic scripts (no modules, so pages opened
//! from file:// work) that hang their API on `self.beianChecker`, in load order.

import test from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import vm from "node:vm";

const source = (name) => readFileSync(new URL(`../../static/${name}`, import.meta.url), "utf8");

/** A fresh browser-like global with `self` and no `module`/`require`, running `files` in order. */
function runClassic(files) {
  const context = vm.createContext({ URL, URLSearchParams, console });
  context.self = context;
  for (const f of files) vm.runInContext(source(f), context, { filename: f });
  return context;
}

test("the scripts contain no module syntax", () => {
  for (const f of ["checker-dates.js", "checker/checker-ics.js", "checker.js"]) {
    const text = source(f);
    assert.doesNotMatch(text, /^\s*(import|export)\s/m, `${f} uses import/export`);
    assert.doesNotMatch(text, /import\(/, `${f} uses a dynamic import`);
    // Parses as a classic script (throws a SyntaxError otherwise).
    new vm.Script(text, { filename: f });
  }
});

test("checker-dates.js and checker-ics.js set beianChecker.dates and .ics as classic scripts", () => {
  const g = runClassic(["checker-dates.js", "checker/checker-ics.js"]);
  assert.equal(typeof g.beianChecker, "object");
  assert.equal(g.beianChecker.dates.addDays("2024-02-28", 1), "2024-02-29");
  const out = { today: "2026-10-20", results: [{ axis: "filing", state: "S", severity: "warning", days: 16, deadline: "2026-11-05", title: "t" }] };
  const keys = g.beianChecker.ics.keyDates(out);
  assert.equal(keys.length, 1);
  assert.equal(keys[0].days, 16);
  const { count, text } = g.beianChecker.ics.buildCalendar(out, { now: 0 });
  assert.equal(count, 1);
  assert.match(text, /DTSTART;VALUE=DATE:20261105/);
});

test("loading a script twice (two embeds on one page) keeps one working namespace", () => {
  const g = runClassic(["checker-dates.js", "checker/checker-ics.js", "checker-dates.js", "checker/checker-ics.js"]);
  assert.equal(g.beianChecker.dates.daysBetween("2026-10-20", "2026-11-05"), 16);
  assert.equal(typeof g.beianChecker.ics.buildCalendar, "function");
});
