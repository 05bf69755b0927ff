//! Key dates of a checker result and the RFC 5545 (.ics) calendar made from them, in the browser.
//! No DOM access here, so Node can unit-test it; checker.js turns the text into a download.
//!
//! A classic script after checker-dates.js, loaded by checker.js when the checker starts (so it
//! is not part of a page's first load): in the browser it sets `beianChecker.ics`; in Node,
//! `require` returns the same object (and requires ../checker-dates.js itself).

(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("../checker-dates.js"));
  } else {
    const ns = root.beianChecker || (root.beianChecker = {});
    ns.ics = factory(ns.dates);
  }
})(typeof self !== "undefined" ? self : this, function (dates) {
"use strict";
const { addDays, basicDate, counted, daysBetween, text } = dates;

// Which date a result's `deadline` and `days` stand for, per axis (and per state where the
// same axis uses them differently), as keys of the theme's string table `[js]`. The wording
// is the widget's, not the contract's.
const LABELS = {
  filing: { deadline: "label-filing-deadline" },
  domain: { deadline: "label-domain-deadline" },
  licence: { deadline: "label-licence-deadline", date: "label-licence-date" },
  annualReport: { deadline: "label-annualReport-deadline" },
  publicSecurity: { deadline: "label-publicSecurity-deadline" },
};
const STATE_LABELS = {
  RECTIFICATION_OPEN: "label-rectification",
  RECTIFICATION_OVERDUE: "label-rectification",
  RECTIFICATION_OPEN_SERVER_EXPIRED: "label-rectification",
  ANNUAL_REPORT_LATE_CORRECTION: "label-late-correction",
};

// Reminders before each key date: 30, 7 and 1 days before, and on the day, at 09:00.
const ALARM_DAYS = [30, 7, 1, 0];

/**
 * The key dates of a checker output, in result order: one for each result's `deadline`, and
 * one for the date `today + days` when that is a different day (the licence's expiry, whose
 * deadline is the last day to apply for renewal). Each is
 * `{ axis, state, severity, kind, label, date, days, title, summary, actions }`. `t`: the
 * texts (the page's `#ui-strings` block when absent; see checker-dates.js `text`).
 */
function keyDates(output, t) {
  const out = [];
  if (!output || !Array.isArray(output.results)) return out;
  for (const r of output.results) {
    const labels = LABELS[r.axis] || {};
    const base = {
      axis: r.axis,
      state: r.state,
      severity: r.severity,
      title: r.title,
      summary: r.summary,
      actions: Array.isArray(r.actions) ? r.actions : [],
    };
    if (typeof r.deadline === "string") {
      const days = daysBetween(output.today, r.deadline);
      if (days !== null) {
        const label = text(STATE_LABELS[r.state] || labels.deadline || "label-deadline", {}, t);
        out.push({ ...base, kind: "deadline", label, date: r.deadline, days });
      }
    }
    if (typeof r.days === "number") {
      const date = addDays(output.today, r.days);
      if (date !== null && date !== r.deadline) {
        out.push({ ...base, kind: "date", label: text(labels.date || "label-date", {}, t), date, days: r.days });
      }
    }
  }
  return out;
}

/** Escapes a value of type TEXT (RFC 5545 §3.3.11). */
function escapeText(s) {
  return String(s)
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n");
}

function utf8Length(codePoint) {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

/**
 * Folds one content line so no physical line exceeds 75 octets (RFC 5545 §3.1), never splitting
 * a UTF-8 sequence; continuation lines start with one space. Returns the lines joined by CRLF.
 */
function foldLine(line) {
  const parts = [];
  let current = "";
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const len = utf8Length(ch.codePointAt(0));
    if (octets + len > limit) {
      parts.push(current);
      current = " ";
      octets = 1;
      limit = 75;
    }
    current += ch;
    octets += len;
  }
  parts.push(current);
  return parts.join("\r\n");
}

/** `YYYYMMDDTHHMMSSZ` for an instant in milliseconds since the epoch. */
function utcStamp(ms) {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}

function trigger(daysBefore) {
  // The event starts at 00:00 on its date; 09:00 on the day before is 15 hours earlier.
  if (daysBefore === 0) return "PT9H";
  if (daysBefore === 1) return "-PT15H";
  return `-P${daysBefore - 1}DT15H`;
}

/**
 * Builds a VCALENDAR with one all-day VEVENT per key date that is today or later, each with
 * VALARM reminders. Options: `now` (ms since the epoch, for DTSTAMP), `uidDomain` (the right
 * side of each UID), `pageUrl` (where to check again; optional), `calendarName`, `strings`
 * (the texts, in the page's language; the page's `#ui-strings` block when absent).
 * Returns `{ text, count }`; `text` uses CRLF line endings and folded lines.
 */
function buildCalendar(output, options = {}) {
  const now = typeof options.now === "number" ? options.now : Date.now();
  const uidDomain = options.uidDomain || "beian-guide.invalid";
  const stamp = utcStamp(now);
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//beian-guide//checker//ZH",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
  ];
  if (options.calendarName) lines.push(`X-WR-CALNAME:${escapeText(options.calendarName)}`);
  let count = 0;
  const t = options.strings;
  const colon = text("colon", {}, t);
  for (const k of keyDates(output, t)) {
    if (k.days < 0) continue;
    // Only dates an RFC 5545 DATE can hold (eight digits); the checker's dates lie in
    // 1900–2199 and a few years around, so this never drops a real one.
    const start = basicDate(k.date);
    const next = addDays(k.date, 1);
    if (!/^\d{8}$/.test(start) || next === null || !/^\d{8}$/.test(basicDate(next))) continue;
    count += 1;
    const summary = `${k.label}${colon}${k.title}`;
    const description = [k.summary, ...k.actions.map((a) => `- ${a}`)];
    if (options.pageUrl) description.push(`${text("calendar-check-again", {}, t)}${options.pageUrl}`);
    lines.push(
      "BEGIN:VEVENT",
      `UID:${k.axis}-${k.kind}-${basicDate(k.date)}@${uidDomain}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${start}`,
      `DTEND;VALUE=DATE:${basicDate(next)}`,
      `SUMMARY:${escapeText(summary)}`,
      `DESCRIPTION:${escapeText(description.join("\n"))}`,
      "TRANSP:TRANSPARENT",
    );
    if (options.pageUrl) lines.push(`URL:${options.pageUrl}`);
    for (const n of ALARM_DAYS) {
      if (k.days < n) continue;
      const when = n === 0 ? text("calendar-today", {}, t) : counted("calendar-in-days", n, t);
      lines.push(
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        `TRIGGER:${trigger(n)}`,
        `DESCRIPTION:${escapeText(`${when}${colon}${summary}`)}`,
        "END:VALARM",
      );
    }
    lines.push("END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return { text: lines.map(foldLine).join("\r\n") + "\r\n", count };
}

return { buildCalendar, escapeText, foldLine, keyDates, utcStamp };
});
