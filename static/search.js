//! search.js: the site's search box: loads search/index.js on first use, ranks pages, and shows
//! results with keyboard support. The ranking half also runs in Node (the integration tests
//! require this file), so it touches no DOM. The tokeniser must match `tokenize` in
//! src/search.rs, which builds the index.
"use strict";

(function () {
  // Scripts written without spaces: Han, kana, hangul (same ranges as `is_cjk` in search.rs).
  const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{2fa1f}]/u;
  const WORD = /[\p{Alphabetic}\p{N}]/u;
  const MAX_WORD = 40;

  /** Full-width ASCII forms and the ideographic space → ASCII (one character for one). */
  function fold(ch) {
    const n = ch.codePointAt(0);
    if (n >= 0xff01 && n <= 0xff5e) return String.fromCodePoint(n - 0xfee0);
    if (n === 0x3000) return " ";
    return ch;
  }

  /** Index terms of a text: CJK bigrams (a lone character stays), lowercased words. */
  function tokenize(text) {
    const out = [];
    let cjk = [];
    let word = [];
    const flushCjk = () => {
      if (cjk.length === 1) out.push(cjk[0]);
      for (let i = 0; i + 1 < cjk.length; i++) out.push(cjk[i] + cjk[i + 1]);
      cjk = [];
    };
    const flushWord = () => {
      if (word.length && word.length <= MAX_WORD) out.push(word.join("").toLowerCase());
      word = [];
    };
    for (const raw of String(text)) {
      const ch = fold(raw);
      const c = ch.codePointAt(0);
      const ascii = c < 0x80;
      if (!ascii && CJK.test(ch)) {
        flushWord();
        cjk.push(ch);
      } else if (ascii ? (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) : WORD.test(ch)) {
        flushCjk();
        word.push(ch);
      } else {
        flushCjk();
        flushWord();
      }
    }
    flushCjk();
    flushWord();
    return out;
  }

  /** Lowercases ASCII and folds full-width forms without changing any offset (for matching). */
  function matchText(s) {
    let out = "";
    for (let i = 0; i < s.length; i++) {
      const n = s.charCodeAt(i);
      if (n >= 0x41 && n <= 0x5a) out += String.fromCharCode(n + 32);
      else if (n >= 0xff01 && n <= 0xff5e) out += matchText(String.fromCharCode(n - 0xfee0));
      else if (n === 0x3000) out += " ";
      else out += s[i];
    }
    return out;
  }

  // BM25F: field weights (title, headings, description, body), saturation, length normalisation.
  const WEIGHTS = [6, 2.5, 2, 1];
  const K1 = 1.2;
  const B = 0.75;

  /** Term → [doc, weight×100, …] postings, built from the pages' text on first use. */
  function buildTerms(docs) {
    // Per page: term → (title, headings, description, body) counts and each field's length.
    const pages = docs.map((d) => {
      const counts = new Map();
      const lens = [0, 0, 0, 0];
      [[d.t], d.s.filter((s) => s[0]).map((s) => s[1]), [d.d], d.s.map((s) => s[2])].forEach((texts, f) => {
        for (const t of texts) {
          for (const tok of tokenize(t)) {
            let c = counts.get(tok);
            if (!c) counts.set(tok, (c = [0, 0, 0, 0]));
            c[f]++;
            lens[f]++;
          }
        }
      });
      return { counts, lens };
    });
    const n = Math.max(docs.length, 1);
    const avg = WEIGHTS.map((_, f) => Math.max(pages.reduce((a, p) => a + p.lens[f], 0) / n, 1));
    const df = new Map();
    for (const p of pages) for (const t of p.counts.keys()) df.set(t, (df.get(t) || 0) + 1);
    const terms = new Map();
    pages.forEach((p, doc) => {
      const norm = WEIGHTS.map((w, f) => w / (1 - B + (B * p.lens[f]) / avg[f]));
      for (const [term, c] of p.counts) {
        const tf = c[0] * norm[0] + c[1] * norm[1] + c[2] * norm[2] + c[3] * norm[3];
        const d = df.get(term);
        const idf = Math.log(1 + (n - d + 0.5) / (d + 0.5));
        const w = Math.max(Math.round((idf * tf * 100) / (K1 + tf)), 1);
        const list = terms.get(term);
        if (list) list.push(doc, w);
        else terms.set(term, [doc, w]);
      }
    });
    return terms;
  }

  const prepared = new WeakMap();
  /** Per-index data computed once: postings, the term list and the match text of every page. */
  function prepare(index) {
    let p = prepared.get(index);
    if (!p) {
      const terms = buildTerms(index.docs);
      p = {
        terms,
        keys: [...terms.keys()],
        docs: index.docs.map((d) => ({
          title: matchText(d.t),
          headings: d.s.filter((s) => s[0]).map((s) => matchText(s[1])),
          body: d.s.map((s) => matchText(s[1] + " " + s[2])).join(" "),
          sections: d.s.map((s) => ({ heading: matchText(s[1]), text: matchText(s[2]) })),
        })),
      };
      prepared.set(index, p);
    }
    return p;
  }

  function count(hay, needle, max) {
    let n = 0;
    for (let i = hay.indexOf(needle); i >= 0 && n < max; i = hay.indexOf(needle, i + needle.length)) n++;
    return n;
  }

  /** A term's postings as doc → weight; a term not in the index matches the terms that
   * contain it (one CJK character) or start with it (a word being typed), at a discount. */
  function postings(index, p, term) {
    const per = new Map();
    const add = (list, factor) => {
      for (let i = 0; i + 1 < list.length; i += 2) {
        const w = list[i + 1] * factor;
        if (w > (per.get(list[i]) || 0)) per.set(list[i], w);
      }
    };
    const exact = p.terms.get(term);
    if (exact) {
      add(exact, 1);
    } else {
      const single = CJK.test(term) && [...term].length === 1;
      for (const k of p.keys) {
        if (single ? k.includes(term) : !CJK.test(term) && k.startsWith(term)) add(p.terms.get(k), 0.7);
      }
    }
    return per;
  }

  /** Picks the section that best matches and cuts a snippet around the first match. */
  function snippet(doc, pd, phrases, terms) {
    const needles = phrases.concat(terms.filter((t) => !phrases.includes(t)));
    let best = 0;
    let bestScore = -1;
    pd.sections.forEach((s, i) => {
      let score = 0;
      for (const n of needles) {
        const w = phrases.includes(n) ? 3 : 1;
        score += w * (count(s.text, n, 10) + 2 * count(s.heading, n, 1));
      }
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    });
    const [id, heading, text] = doc.s[best] || ["", doc.t, ""];
    const mt = (pd.sections[best] || { text: "" }).text;
    // Centre on the first whole-phrase match, else on the earliest term match.
    let pos = -1;
    for (const ph of phrases) {
      pos = mt.indexOf(ph);
      if (pos >= 0) break;
    }
    if (pos < 0) {
      for (const t of terms) {
        const i = mt.indexOf(t);
        if (i >= 0 && (pos < 0 || i < pos)) pos = i;
      }
    }
    const start = Math.max(0, (pos < 0 ? 0 : pos) - 24);
    const end = Math.min(text.length, start + 96);
    const marks = [];
    const window = mt.slice(start, end);
    for (const n of needles) {
      for (let i = window.indexOf(n); i >= 0 && n.length; i = window.indexOf(n, i + n.length)) marks.push([i, i + n.length]);
    }
    marks.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const merged = [];
    for (const m of marks) {
      const last = merged[merged.length - 1];
      if (last && m[0] <= last[1]) last[1] = Math.max(last[1], m[1]);
      else merged.push(m.slice());
    }
    return {
      id,
      heading,
      text: text.slice(start, end),
      before: start > 0,
      after: end < text.length,
      marks: merged,
    };
  }

  /**
   * Ranks the pages of `index` for `query`: the sum of the query terms' BM25F weights, times
   * the square of the share of query terms the page has, with a bonus when the whole query
   * (or one of its space-separated parts) appears as written in the title or the text.
   * Returns at most `limit` results, best first.
   */
  function search(index, query, limit) {
    const p = prepare(index);
    const terms = [...new Set(tokenize(query))];
    if (!terms.length) return [];
    const phrases = matchText(String(query))
      .split(/[\s,.;:!?'"()，。、；：！？“”‘’（）《》「」]+/u)
      .filter((s) => s.length >= 2 || (s.length === 1 && CJK.test(s)));
    const scores = new Map();
    const hits = new Map();
    for (const t of terms) {
      for (const [d, w] of postings(index, p, t)) {
        scores.set(d, (scores.get(d) || 0) + w);
        hits.set(d, (hits.get(d) || 0) + 1);
      }
    }
    const results = [];
    for (const [d, sum] of scores) {
      const coverage = hits.get(d) / terms.length;
      let score = sum * coverage * coverage;
      for (const ph of phrases) {
        if (p.docs[d].title.includes(ph)) score *= 1.5;
        else if (p.docs[d].headings.some((h) => h.includes(ph))) score *= 1.25;
        score *= 1 + 0.1 * count(p.docs[d].body, ph, 5);
      }
      results.push({ doc: d, score });
    }
    results.sort((a, b) => b.score - a.score || a.doc - b.doc);
    return results.slice(0, limit || 10).map((r) => {
      const doc = index.docs[r.doc];
      const s = snippet(doc, p.docs[r.doc], phrases, terms);
      return {
        title: doc.t,
        url: doc.u + (s.id ? "#" + s.id : ""),
        page: doc.u,
        score: Math.round(r.score * 100) / 100,
        snippet: s,
      };
    });
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { tokenize, search, matchText };
  }
  if (typeof document === "undefined") return;

  // ---- The search box (browser only) ----

  function setup(box) {
    const root = box.getAttribute("data-root") || "";
    const input = box.querySelector("input");
    const list = box.querySelector("[role=listbox]");
    const status = box.querySelector("[data-role=status]");
    if (!input || !list || !status) return;
    box.hidden = false;
    let index = null;
    let loading = null;
    let active = -1;
    let results = [];

    function load() {
      if (!loading) {
        box.setAttribute("data-state", "loading");
        loading = new Promise((resolve, reject) => {
          const s = document.createElement("script");
          s.src = root + "search/index.js";
          s.async = true;
          s.onload = () => (self.beianSearchIndex ? resolve(self.beianSearchIndex) : reject(new Error("empty index")));
          s.onerror = () => reject(new Error("cannot load " + s.src));
          document.head.appendChild(s);
        }).then(
          (ix) => {
            // Build the postings now (the field has focus), not on the first keystroke.
            prepare(ix);
            index = ix;
            box.setAttribute("data-state", "ready");
            return ix;
          },
          (e) => {
            box.setAttribute("data-state", "failed");
            status.textContent = "搜索索引加载失败，请刷新页面重试。";
            loading = null;
            throw e;
          },
        );
      }
      return loading;
    }

    function open(on) {
      list.hidden = !on;
      input.setAttribute("aria-expanded", on ? "true" : "false");
      if (on) {
        // Small screens: the list is fixed to the viewport just below the field.
        box.style.setProperty("--search-top", Math.round(input.getBoundingClientRect().bottom + 4) + "px");
      } else {
        setActive(-1);
      }
    }

    function setActive(i) {
      const items = list.querySelectorAll("[role=option]");
      if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
      active = i;
      if (i >= 0 && items[i]) {
        items[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", items[i].id);
        items[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(query) {
      results = index ? search(index, query, 8) : [];
      list.replaceChildren();
      results.forEach((r, i) => {
        // The link itself is the option (ARIA allows role=option on a link), so the list holds
        // no interactive element inside another and the result stays a real link.
        const li = document.createElement("li");
        li.setAttribute("role", "none");
        const a = document.createElement("a");
        a.id = input.id + "-opt-" + i;
        a.setAttribute("role", "option");
        a.setAttribute("aria-selected", "false");
        a.href = root + r.url;
        a.tabIndex = -1;
        const title = document.createElement("span");
        title.className = "search-title";
        title.textContent = r.snippet.heading && r.snippet.heading !== r.title ? r.title + " › " + r.snippet.heading : r.title;
        const p = document.createElement("span");
        p.className = "search-snippet";
        const text = r.snippet.text;
        let at = 0;
        if (r.snippet.before) p.append("…");
        for (const [s, e] of r.snippet.marks) {
          p.append(text.slice(at, s));
          const m = document.createElement("mark");
          m.textContent = text.slice(s, e);
          p.append(m);
          at = e;
        }
        p.append(text.slice(at));
        if (r.snippet.after) p.append("…");
        a.append(title, p);
        li.append(a);
        a.addEventListener("mousedown", (e) => e.preventDefault()); // keep focus in the field
        list.append(li);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      const q = query.trim();
      status.textContent = !q ? "" : results.length ? "找到 " + results.length + " 条结果" : "没有找到与“" + q + "”相关的页面";
      open(q.length > 0 && results.length > 0);
    }

    function update() {
      const q = input.value;
      if (index) render(q);
      else load().then(() => input.value === q && render(q), () => {});
    }

    input.addEventListener("focus", () => {
      load().catch(() => {});
      if (input.value.trim() && results.length) open(true);
    });
    input.addEventListener("input", update);
    input.addEventListener("keydown", (e) => {
      const n = list.children.length;
      if (e.key === "ArrowDown" && n) {
        e.preventDefault();
        open(true);
        setActive((active + 1) % n);
      } else if (e.key === "ArrowUp" && n) {
        e.preventDefault();
        open(true);
        setActive(active <= 0 ? n - 1 : active - 1);
      } else if (e.key === "Enter") {
        // Enter opens the highlighted result (the first when none is), or shows a closed list.
        const a = list.querySelectorAll("[role=option]")[active >= 0 ? active : 0];
        if (a && list.hidden) {
          e.preventDefault();
          open(true);
        } else if (a) {
          e.preventDefault();
          location.href = a.href;
        }
      } else if (e.key === "Escape") {
        if (!list.hidden) open(false);
        else {
          input.value = "";
          status.textContent = "";
          input.blur();
        }
      }
    });
    document.addEventListener("click", (e) => {
      if (!box.contains(e.target)) open(false);
    });
    document.addEventListener("keydown", (e) => {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      const t = e.target;
      const tag = t && t.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
      e.preventDefault();
      input.focus();
      input.select();
    });
  }

  const init = () => document.querySelectorAll("[data-search]").forEach(setup);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
