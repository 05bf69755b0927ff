//! Unit tests of static/checker-dates.js (run by `node --test`, from tests/integration/parity.rs).

import test from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { jsStrings } from "./strings.mjs";

// The static scripts are classic scripts with a CommonJS export for Node (see their header).
const require = createRequire(import.meta.url);
const {
  addDays,
  basicDate,
  dayNumber,
  daysBetween,
  keyDateText,
  relativeDays,
  shanghaiToday,
} = require("../../static/checker-dates.js");

test("today in Asia/Shanghai is UTC+8 with no daylight saving", () => {
  // 2026-10-19T15:59:59Z is 23:59:59 in Shanghai; one second later it is the 20th there.
  assert.equal(shanghaiToday(Date.UTC(2026, 9, 19, 15, 59, 59)), "2026-10-19");
  assert.equal(shanghaiToday(Date.UTC(2026, 9, 19, 16, 0, 0)), "2026-10-20");
  // Midsummer: still +8 (no DST).
  assert.equal(shanghaiToday(Date.UTC(2026, 6, 1, 15, 59, 59)), "2026-07-01");
  assert.equal(shanghaiToday(Date.UTC(2026, 6, 1, 16, 0, 0)), "2026-07-02");
  // New year in Shanghai while it is still the old year in UTC.
  assert.equal(shanghaiToday(Date.UTC(2026, 11, 31, 16, 30)), "2027-01-01");
});

test("only real YYYY-MM-DD dates parse", () => {
  assert.equal(dayNumber("1970-01-01"), 0);
  assert.equal(dayNumber("2024-02-29"), 19782);
  for (const bad of ["2026-02-30", "2027-02-29", "2026/10/01", "2026-1-5", "20261001", "", null, 42]) {
    assert.equal(dayNumber(bad), null, String(bad));
  }
});

test("whole-day arithmetic across month, leap day and year ends", () => {
  assert.equal(addDays("2024-02-28", 1), "2024-02-29");
  assert.equal(addDays("2024-02-29", 1), "2024-03-01");
  assert.equal(addDays("2026-12-31", 1), "2027-01-01");
  assert.equal(addDays("2026-11-05", -16), "2026-10-20");
  assert.equal(addDays("2026-02-30", 1), null);
  assert.equal(daysBetween("2026-10-20", "2026-11-05"), 16);
  assert.equal(daysBetween("2026-11-05", "2026-10-20"), -16);
  assert.equal(daysBetween("2026-10-20", "2026-10-20"), 0);
  assert.equal(daysBetween("2026-10-20", "bad"), null);
  assert.equal(basicDate("2026-11-05"), "20261105");
});

test("key dates are written out with the days left or past", () => {
  // The texts come from the theme's string table (templates/i18n/*.toml `[js]`).
  const zh = jsStrings("zh-CN");
  assert.equal(keyDateText("2026-11-05", 16, zh), "2026-11-05，还剩 16 天");
  assert.equal(keyDateText("2026-10-17", -3, zh), "2026-10-17，已过 3 天");
  assert.equal(relativeDays(0, zh), "今天是最后一天");
  assert.equal(relativeDays(1, zh), "还剩 1 天");
  assert.equal(relativeDays(-1, zh), "已过 1 天");
  const en = jsStrings("en");
  assert.equal(keyDateText("2026-11-05", 16, en), "2026-11-05, 16 days left");
  assert.equal(relativeDays(-3, en), "3 days ago");
  assert.equal(relativeDays(0, en), "today is the last day");
  // English counts agree in number (contract v3).
  assert.equal(relativeDays(1, en), "1 day left");
  assert.equal(relativeDays(-1, en), "1 day ago");
  assert.equal(relativeDays(2, en), "2 days left");
});
