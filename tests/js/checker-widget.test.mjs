//! Unit tests of the DOM-free parts of static/checker.js: the ordered "what to do today" list
//! and the glossary links in result texts (the rest is covered by tests/browser/run.mjs).

import test from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { splitTerms, termPattern, todaySteps } = require("../../static/checker.js");

const result = (axis, severity, actions) => ({ axis, state: `${axis.toUpperCase()}_X`, severity, actions });

test("today's steps: most severe result first, axis order among equals, no repeats", () => {
  const steps = todaySteps([
    result("filing", "warning", ["续费服务器", "确认接入"]),
    result("domain", "danger", ["续费域名", "续费服务器"]),
    result("licence", "warning", ["准备延续申请"]),
    result("publicSecurity", "ok", ["无需处理"]),
  ]);
  assert.deepEqual(
    steps.map((s) => s.text),
    ["续费域名", "续费服务器", "确认接入", "准备延续申请"],
  );
  assert.equal(steps[0].result.axis, "domain");
  assert.equal(steps[1].result.axis, "domain", "a repeated action stays with its first, most severe result");
});

test("today's steps: when everything is fine, the fine results' actions; none without actions", () => {
  assert.deepEqual(
    todaySteps([result("filing", "ok", ["到期前续费"]), result("domain", "ok", undefined)]).map((s) => s.text),
    ["到期前续费"],
  );
  assert.deepEqual(todaySteps([]), []);
});

test("glossary: the first mention of each entry becomes a link, longest term first", () => {
  const terms = new Map([
    ["空壳主体", "g.html#kongke"],
    ["空壳", "g.html#kongke"],
    ["主体", "g.html#zhuti"],
    ["取消接入", "g.html#quxiao-jieru"],
  ]);
  const glossary = { terms, pattern: termPattern(terms.keys()) };
  const used = new Set();
  assert.deepEqual(splitTerms("先取消接入，再看空壳主体和主体。", glossary, used), [
    "先",
    { term: "取消接入", href: "g.html#quxiao-jieru" },
    "，再看",
    { term: "空壳主体", href: "g.html#kongke" },
    "和",
    { term: "主体", href: "g.html#zhuti" },
    "。",
  ]);
  // Already linked entries stay text in later texts of the same result.
  assert.deepEqual(splitTerms("空壳与取消接入", glossary, used), ["空壳与取消接入"]);
  // Special characters in terms are matched literally.
  const odd = new Map([["a.b", "x"]]);
  assert.deepEqual(splitTerms("axb a.b", { terms: odd, pattern: termPattern(odd.keys()) }, new Set()), [
    "axb ",
    { term: "a.b", href: "x" },
  ]);
  assert.deepEqual(splitTerms("无术语", { terms: new Map(), pattern: termPattern([]) }, new Set()), ["无术语"]);
});

test("glossary: a longer word holding terms is never linked, nor the terms inside it", () => {
  const terms = new Map([
    ["空壳数据公示", ""],
    ["空壳", "g.html#kongke"],
    ["公示", "g.html#gongshi"],
  ]);
  const glossary = { terms, pattern: termPattern(terms.keys()) };
  assert.deepEqual(splitTerms("查空壳数据公示，再看公示。", glossary, new Set()), [
    "查空壳数据公示，再看",
    { term: "公示", href: "g.html#gongshi" },
    "。",
  ]);
});

test("glossary: English terms match whole words in any case, with a plural s, never inside a word", () => {
  const terms = new Map([
    ["access removal", "g.html#quxiao-jieru"],
    ["access check", "g.html#hecha"],
    ["filer", "g.html#zhuti"],
    ["Communications Administration", "g.html#guanju"],
  ]);
  const glossary = { terms, pattern: termPattern(terms.keys()) };
  assert.deepEqual(splitTerms("Access removal (取消接入) after two access checks; the communications administration.", glossary, new Set()), [
    { term: "Access removal", href: "g.html#quxiao-jieru" },
    " (取消接入) after two ",
    { term: "access checks", href: "g.html#hecha" },
    "; the ",
    { term: "communications administration", href: "g.html#guanju" },
    ".",
  ]);
  assert.deepEqual(splitTerms("profiler refiler filers", glossary, new Set()), [
    "profiler refiler ",
    { term: "filers", href: "g.html#zhuti" },
  ]);
});
