//! The scripts' texts for the unit tests: the `[js]` table of templates/i18n/<lang>.toml (the
//! same table the build renders into each page's `#ui-strings` block). The table holds only
//! `key = "string"` lines, whose strings are JSON-compatible, so no TOML parser is needed.

import { readFileSync } from "node:fs";

export function jsStrings(lang) {
  const text = readFileSync(new URL(`../../templates/i18n/${lang}.toml`, import.meta.url), "utf8");
  const out = {};
  let inJs = false;
  for (const line of text.split("\n")) {
    const header = /^\[(.+)\]\s*$/.exec(line);
    if (header) {
      inJs = header[1] === "js";
      continue;
    }
    const m = inJs && /^([A-Za-z0-9_-]+)\s*=\s*(".*")\s*$/.exec(line);
    if (m) out[m[1]] = JSON.parse(m[2]);
  }
  return out;
}
