//! Unit tests of static/checker/checker-ics.js: key dates of an output and the RFC 5545 calendar text.

import test from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { jsStrings } from "./strings.mjs";

// The labels and calendar texts come from the theme's string table (templates/i18n/*.toml).
const zh = jsStrings("zh-CN");
const en = jsStrings("en");

// The static scripts are classic scripts with a CommonJS export for Node (see their header).
const require = createRequire(import.meta.url);
const {
  buildCalendar,
  escapeText,
  foldLine,
  keyDates,
  utcStamp,
} = require("../../static/checker/checker-ics.js");

const encoder = new TextEncoder();

// An output object shaped as the contract says (texts are made up for the test).
const OUTPUT = {
  today: "2026-10-20",
  results: [
    {
      axis: "filing",
      state: "SERVER_EXPIRING_SOON",
      severity: "warning",
      days: 16,
      deadline: "2026-11-05",
      title: "服务器即将到期",
      summary: "续费服务器，保持接入；备案本身没有有效期。",
      actions: ["在控制台续费", "确认自动续费; 检查账户余额, 以免扣费失败"],
      links: [{ title: "续费与保持接入", href: "guides/renewal.html" }],
    },
    {
      axis: "licence",
      state: "LICENCE_RENEWAL_DUE",
      severity: "warning",
      days: 120,
      deadline: "2026-12-18",
      title: "许可证延续",
      summary: "到期前 90 天提出延续申请。",
      actions: [],
      links: [],
    },
    {
      axis: "domain",
      state: "DOMAIN_EXPIRED",
      severity: "danger",
      days: -3,
      deadline: "2026-10-17",
      title: "域名已过期",
      summary: "尽快续费域名。",
      actions: ["续费域名"],
      links: [],
    },
    { axis: "refile", state: "REFILE_ELIGIBLE", severity: "ok", title: "可以备案", summary: "", actions: [], links: [] },
  ],
  warnings: [],
  errors: [],
};

/** Undoes RFC 5545 folding: CRLF followed by one space or tab continues the line. */
function unfold(text) {
  return text.replace(/\r\n[ \t]/g, "");
}

test("key dates: one per deadline, plus the licence expiry when it differs", () => {
  const dates = keyDates(OUTPUT, zh);
  assert.deepEqual(
    dates.map((k) => [k.axis, k.kind, k.label, k.date, k.days]),
    [
      ["filing", "deadline", "服务器到期日", "2026-11-05", 16],
      ["licence", "deadline", "延续申请截止日", "2026-12-18", 59],
      ["licence", "date", "许可证到期日", "2027-02-17", 120],
      ["domain", "deadline", "域名到期日", "2026-10-17", -3],
    ],
  );
  assert.deepEqual(keyDates({ today: "2026-10-20", results: [] }), []);
  assert.deepEqual(keyDates(null), []);
});

test("a rectification notice is labelled by its deadline, also when the server has expired", () => {
  for (const state of ["RECTIFICATION_OPEN", "RECTIFICATION_OPEN_SERVER_EXPIRED", "RECTIFICATION_OVERDUE"]) {
    const output = {
      today: "2026-11-24",
      results: [{ axis: "filing", state, severity: "danger", days: 12, deadline: "2026-12-06", title: "t", summary: "s" }],
    };
    assert.deepEqual(keyDates(output, zh).map((k) => [k.label, k.date]), [["整改截止日", "2026-12-06"]], state);
  }
});

test("text values escape backslash, semicolon, comma and newlines", () => {
  assert.equal(escapeText("a\\b;c,d\ne\r\nf"), "a\\\\b\\;c\\,d\\ne\\nf");
});

test("folding keeps every physical line within 75 octets and never splits a character", () => {
  const long = "DESCRIPTION:" + "备案不会过期，会失效的是服务器、域名或经营许可证。".repeat(6) + "abc".repeat(30);
  const folded = foldLine(long);
  const physical = folded.split("\r\n");
  assert.ok(physical.length > 1);
  for (const [i, line] of physical.entries()) {
    assert.ok(encoder.encode(line).length <= 75, `line ${i} has ${encoder.encode(line).length} octets`);
    if (i > 0) assert.equal(line[0], " ");
    assert.ok(!line.includes("\uFFFD"));
  }
  assert.equal(unfold(folded), long);
  assert.equal(foldLine("SHORT:x"), "SHORT:x");
  // Exactly 75 octets stays on one line; 76 folds.
  assert.equal(foldLine("X".repeat(75)), "X".repeat(75));
  assert.equal(foldLine("X".repeat(76)), "X".repeat(75) + "\r\n X");
});

test("DTSTAMP format is UTC basic form", () => {
  assert.equal(utcStamp(Date.UTC(2026, 9, 20, 8, 5, 9, 123)), "20261020T080509Z");
});

test("calendar: CRLF, required properties, one event per future key date, alarms", () => {
  const { text, count } = buildCalendar(OUTPUT, {
    now: Date.UTC(2026, 9, 20, 1, 2, 3),
    uidDomain: "example.org",
    pageUrl: "https://example.org/checker.html?serverExpiry=2026-11-05",
    calendarName: "备案相关日期",
    strings: zh,
  });
  // Every line ends with CRLF; no bare LF or CR anywhere.
  assert.ok(text.endsWith("\r\n"));
  assert.equal(text.replace(/\r\n/g, "").includes("\n"), false);
  assert.equal(text.replace(/\r\n/g, "").includes("\r"), false);
  for (const line of text.split("\r\n")) assert.ok(encoder.encode(line).length <= 75, line);

  const lines = unfold(text).split("\r\n").filter((l) => l !== "");
  assert.equal(lines[0], "BEGIN:VCALENDAR");
  assert.equal(lines.at(-1), "END:VCALENDAR");
  assert.ok(lines.includes("VERSION:2.0"));
  assert.ok(lines.some((l) => l.startsWith("PRODID:")));

  // The domain date is in the past: not exported. Three future dates remain.
  assert.equal(count, 3);
  const events = unfold(text).split("BEGIN:VEVENT").slice(1).map((e) => e.split("END:VEVENT")[0]);
  assert.equal(events.length, 3);
  const [filing, renewal, expiry] = events.map((e) => e.split("\r\n").filter(Boolean));
  assert.ok(filing.includes("UID:filing-deadline-20261105@example.org"));
  assert.ok(filing.includes("DTSTAMP:20261020T010203Z"));
  assert.ok(filing.includes("DTSTART;VALUE=DATE:20261105"));
  assert.ok(filing.includes("DTEND;VALUE=DATE:20261106"));
  assert.ok(filing.includes("SUMMARY:服务器到期日：服务器即将到期"));
  const description = filing.find((l) => l.startsWith("DESCRIPTION:"));
  assert.ok(description.includes("- 确认自动续费\\; 检查账户余额\\, 以免扣费失败"), description);
  assert.ok(description.includes("\\n重新检查：https://example.org/checker.html?serverExpiry=2026-11-05"));
  // 16 days ahead: reminders 7 days, 1 day before and on the day; 30 days before is past.
  assert.deepEqual(
    filing.filter((l) => l.startsWith("TRIGGER:")),
    ["TRIGGER:-P6DT15H", "TRIGGER:-PT15H", "TRIGGER:PT9H"],
  );
  assert.equal(filing.filter((l) => l === "BEGIN:VALARM").length, 3);
  assert.equal(filing.filter((l) => l === "ACTION:DISPLAY").length, 3);
  assert.ok(renewal.includes("DTSTART;VALUE=DATE:20261218"));
  assert.ok(renewal.includes("SUMMARY:延续申请截止日：许可证延续"));
  assert.deepEqual(
    renewal.filter((l) => l.startsWith("TRIGGER:")),
    ["TRIGGER:-P29DT15H", "TRIGGER:-P6DT15H", "TRIGGER:-PT15H", "TRIGGER:PT9H"],
  );
  assert.ok(expiry.includes("UID:licence-date-20270217@example.org"));
  // BEGIN/END pairs balance.
  const begins = lines.filter((l) => l.startsWith("BEGIN:")).length;
  const ends = lines.filter((l) => l.startsWith("END:")).length;
  assert.equal(begins, ends);
});

test("calendar in English: English labels and reminder texts (an English page's export)", () => {
  const { text, count } = buildCalendar(OUTPUT, { now: 0, calendarName: en["calendar-name"], strings: en });
  assert.equal(count, 3);
  const all = unfold(text);
  assert.ok(all.includes("X-WR-CALNAME:ICP filing dates"), all);
  assert.ok(all.includes("SUMMARY:Server expiry: 服务器即将到期"), all);
  assert.ok(all.includes("DESCRIPTION:In 7 days: Server expiry: "), all);
  assert.ok(all.includes("DESCRIPTION:Today: Server expiry: "), all);
  assert.ok(!/延续申请截止日|天后|今天：/.test(all), "no Chinese widget wording in an English calendar");
});

test("calendar with nothing ahead has no events", () => {
  const { text, count } = buildCalendar({ today: "2026-10-20", results: [OUTPUT.results[2]] }, { now: 0 });
  assert.equal(count, 0);
  assert.ok(!text.includes("BEGIN:VEVENT"));
  assert.ok(text.startsWith("BEGIN:VCALENDAR\r\n"));
});

test("calendar reminders agree in number: In 1 day, In 7 days (contract v3)", () => {
  const out = {
    today: "2026-10-20",
    results: [{ ...OUTPUT.results[0], deadline: "2026-10-22", days: 2 }],
  };
  const all = unfold(buildCalendar(out, { now: 0, strings: en }).text);
  assert.ok(all.includes("DESCRIPTION:In 1 day: "), all);
  assert.ok(!/In 1 days/.test(all), all);
  const zhAll = unfold(buildCalendar(out, { now: 0, strings: zh }).text);
  assert.ok(zhAll.includes("DESCRIPTION:1 天后"), zhAll);
});

test("calendar never writes a date an RFC 5545 DATE cannot hold (issue 22 item 20)", () => {
  for (const date of ["9999-12-31", "2199-12-31"]) {
    const out = { today: "2026-10-20", results: [{ ...OUTPUT.results[0], deadline: date, days: undefined }] };
    const { text } = buildCalendar(out, { now: 0, strings: en });
    for (const line of unfold(text).split("\r\n")) {
      const m = /^DT(START|END);VALUE=DATE:(.*)$/.exec(line);
      if (m) assert.match(m[2], /^\d{8}$/, line);
    }
  }
  const edge = { today: "2026-10-20", results: [{ ...OUTPUT.results[0], deadline: "2199-12-31", days: undefined }] };
  assert.ok(unfold(buildCalendar(edge, { now: 0 }).text).includes("DTEND;VALUE=DATE:22000101"));
});
