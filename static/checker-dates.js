//! Date helpers of the checker widget: today in Asia/Shanghai and whole-day arithmetic on
//! `YYYY-MM-DD` strings. Plain functions without DOM access, so Node can unit-test them.
//!
//! A classic script (pages opened from file:// cannot run modules): in the browser it sets
//! `beianChecker.dates`; in Node, `require` returns the same object.

(function (root, factory) {
  const api = factory();
  if (typeof module === "object" && module.exports) module.exports = api;
  else (root.beianChecker || (root.beianChecker = {})).dates = api;
})(typeof self !== "undefined" ? self : this, function () {
"use strict";

const DAY_MS = 86400000;
// China Standard Time is UTC+8 all year (no daylight saving since 1991).
const SHANGHAI_OFFSET_MS = 8 * 3600000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses a strict `YYYY-MM-DD` calendar date into a day number (days since 1970-01-01),
 * or returns null for anything else (including 2026-02-30).
 */
function dayNumber(date) {
  const m = typeof date === "string" ? DATE_RE.exec(date) : null;
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March; a real date survives the round trip.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    return null;
  }
  return Math.round(ms / DAY_MS);
}

/** Formats a day number (days since 1970-01-01) as `YYYY-MM-DD`. */
function fromDayNumber(n) {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** Today's date in Asia/Shanghai for the instant `nowMs` (milliseconds since the epoch). */
function shanghaiToday(nowMs) {
  return new Date(nowMs + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** `date` plus `days` whole days, as `YYYY-MM-DD`; null when `date` is not a valid date. */
function addDays(date, days) {
  const n = dayNumber(date);
  return n === null ? null : fromDayNumber(n + days);
}

/** `later − earlier` in whole days; null when either is not a valid date. */
function daysBetween(earlier, later) {
  const a = dayNumber(earlier);
  const b = dayNumber(later);
  return a === null || b === null ? null : b - a;
}

/** The basic (RFC 5545 `DATE`) form of a `YYYY-MM-DD` date: `20261105`. */
function basicDate(date) {
  return date.replace(/-/g, "");
}

/**
 * The widget's texts in the page's language: `t` when given, else the page's JSON block
 * (`#ui-strings`, rendered from the theme's string table `[js]`); `{n}` … are filled from `vars`.
 */
function text(key, vars, t) {
  let all = t;
  if (!all) {
    all = {};
    try {
      const block = typeof document !== "undefined" && document.getElementById("ui-strings");
      if (block) all = JSON.parse(block.textContent) || {};
    } catch (e) {
      all = {};
    }
  }
  return String(all[key] || "").replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? vars[k] : m));
}

/**
 * `key` with `{n}` filled, in agreement with `n`: the `key-one` text when n is 1 ("1 day
 * left", "In 1 day"), else `key` ("3 days left"). `t`: the texts (see `text`).
 */
function counted(key, n, t) {
  const one = n === 1 ? text(`${key}-one`, { n }, t) : "";
  return one || text(key, { n }, t);
}

/**
 * How far a key date is from today, in words ("还剩 16 天", "今天是最后一天", "已过 3 天" in
 * Chinese; `days` = date − today, as in the checker's output). `t`: the texts (see `text`).
 */
function relativeDays(days, t) {
  if (days > 0) return counted("days-left", days, t);
  if (days < 0) return counted("days-ago", -days, t);
  return text("days-today", {}, t);
}

/** A key date written out with its distance from today: "2026-11-05，还剩 16 天". */
function keyDateText(date, days, t) {
  return `${date}${text("date-sep", {}, t)}${relativeDays(days, t)}`;
}

return {
  addDays,
  basicDate,
  counted,
  dayNumber,
  daysBetween,
  fromDayNumber,
  keyDateText,
  relativeDays,
  shanghaiToday,
  text,
};
});
