//! search.js: the site's search box (theme.js loads this file when the reader first reaches for
//! the box). It loads the index's manifest (search/index.js) on first use, then for each query only the shards its terms need and the text of the results shown,
//! all as classic scripts (so it works from file://), ranks pages with the BM25F weights the
//! build computed, and shows results with keyboard support. The engine half also runs in Node
//! (the integration tests and bench/ require this file with a file loader), so it touches no
//! DOM. The tokeniser must match src/search/tokenize.rs, and `fnv1a`/`shardKey` must match
//! src/search/shards.rs, which builds the index.
"use strict";

(function () {
  // Scripts written without spaces: Han, kana, hangul (same ranges as `is_cjk` in tokenize.rs).
  const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u{20000}-\u{2fa1f}]/u;
  const WORD = /[\p{Alphabetic}\p{N}]/u;
  const MAX_WORD = 40;
  const NO_MAP = new Map();
  // Invisible inside a word, never a separator: zero-width space, non-joiner and joiner, word
  // joiner, soft hyphen, BOM (`is_invisible` in tokenize.rs).
  const INVISIBLE = /[\u200b\u200c\u200d\u2060\u00ad\ufeff]/u;
  /** `obj[key]` when `obj` has it as its own property (never `constructor`, `toString` or
   * `__proto__` from Object.prototype: a term can be named like them). */
  const own = (obj, key) => (Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined);

  /** Full-width ASCII forms and the ideographic space → ASCII (one character for one). */
  function fold(ch) {
    const n = ch.codePointAt(0);
    if (n >= 0xff01 && n <= 0xff5e) return String.fromCodePoint(n - 0xfee0);
    if (n === 0x3000) return " ";
    return ch;
  }

  /** Index terms of a text: CJK bigrams (a lone character stays), lowercased words; `t2s`
   * (traditional → simplified characters) applies first. */
  function tokenize(text, t2s) {
    const map = t2s || NO_MAP;
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
      if (INVISIBLE.test(raw)) continue;
      const ch = fold(map.get(raw) || raw);
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

  /** The stem of an English word for matching: common inflection endings removed (`-ies`,
   * `-es`, `-s`, `-ing`, `-ed`, `-ation`, `-al`, a final `-e`/`-y`), never below four letters. */
  function englishStem(word) {
    if (!/^[a-z]+$/.test(word) || word.length < 5) return word;
    for (const end of ["ations", "ation", "ings", "ing", "ies", "es", "ed", "als", "al", "s", "e", "y"]) {
      if (word.endsWith(end) && word.length - end.length >= 4) return word.slice(0, word.length - end.length);
    }
    return word;
  }

  /** Lowercases ASCII, folds full-width forms and maps traditional characters without changing
   * any offset (for matching and highlighting). */
  function matchText(s, t2s) {
    const map = t2s || NO_MAP;
    let out = "";
    for (let i = 0; i < s.length; i++) {
      const n = s.charCodeAt(i);
      if (n >= 0x41 && n <= 0x5a) out += String.fromCharCode(n + 32);
      else if (n >= 0xff01 && n <= 0xff5e) out += matchText(String.fromCharCode(n - 0xfee0));
      else if (n === 0x3000) out += " ";
      else out += map.get(s[i]) || s[i];
    }
    return out;
  }

  /** A conjunction (和 与 及 或 跟) between two runs of at least two Han characters separates
   * two phrases of a query (个人备案和企业备案 → 个人备案 企业备案): no bigram spans it, and each
   * side is matched as a phrase of its own. Inside a word (共和国, 总和) it stays. */
  function splitQuery(q) {
    return q.replace(/(?<=\p{Script=Han}{2})[和与及或跟](?=\p{Script=Han}{2})/gu, " ");
  }

  /** Question words of a Chinese query (吗, 呢, 吧, 会, 了, 怎么办, 怎么样, 怎么, 怎样, 会不会)
   * become spaces: they are in almost no answer's words, and their bigrams (案会, 效吗) would
   * only lower the share of the query a page matches. 会 and 了 stay inside words (社会, 会员,
   * 了解, 为了). A query that is nothing else stays as it is. */
  function dropParticles(q) {
    const out = q
      .replace(/会不会|怎么办|怎么样|怎么|怎样|[吗呢吧]/gu, " ")
      .replace(/(?<![为除])了(?![解结])/gu, " ")
      .replace(/(?<![社机协学大开国工商省市理年委总例约聚都体领])会(?![员议计话同场务所长谈])/gu, " ");
    return out.trim() ? out : q;
  }

  /** Words readers ask with that the guides write differently: a query term also matches its
   * alternatives, at a discount (备案会失效吗 asks what the guides call 到期 or 过期). */
  const ALSO = new Map([
    ["失效", ["过期", "到期"]],
    ["过期", ["到期"]],
    ["续期", ["延续"]],
    ["延期", ["延续"]],
  ]);
  const ALSO_FACTOR = 0.8;

  /** The length of the longest run of characters `a` and `b` share (both short: a title and a
   * query phrase). */
  function common(a, b) {
    let best = 0;
    for (let i = 0; i < b.length; i++) {
      for (let j = i + best + 1; j <= b.length && a.includes(b.slice(i, j)); j++) best = j - i;
    }
    return best;
  }

  /** FNV-1a 32 over UTF-16 units (`fnv1a` in shards.rs). */
  function fnv1a(s) {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h;
  }

  const isLone = (t) => CJK.test(t) && [...t].length === 1;
  /** A term's shard key: a word's first two characters, else the term (`shard_key`). */
  const shardKey = (t) => (CJK.test([...t][0]) ? t : [...t].slice(0, 2).join(""));

  function count(hay, needle, max) {
    let n = 0;
    for (let i = hay.indexOf(needle); i >= 0 && n < max; i = hay.indexOf(needle, i + needle.length)) n++;
    return n;
  }

  /** Decodes `[page, value, Δpage, value, …]` (value = weight × 32 + in title × 16 + pack) into
   * page → [weight, pack, in title], the weight scaled by `factor`. */
  function decode(list, factor, into) {
    let doc = 0;
    for (let i = 0; i + 1 < list.length; i += 2) {
      doc += list[i];
      const v = list[i + 1];
      const w = Math.floor(v / 32) * factor;
      const old = into.get(doc);
      if (!old || w > old[0]) into.set(doc, [w, v % 16, (v >> 4) & 1]);
    }
    return into;
  }

  /** Picks the section of a pack that best matches and cuts a snippet around the first match. */
  function snippet(pack, t2s, phrases, terms) {
    const needles = phrases.concat(terms.filter((t) => !phrases.includes(t)));
    const secs = pack.s.map((s) => ({ heading: matchText(s[1], t2s), text: matchText(s[2], t2s) }));
    let best = 0;
    let bestScore = -1;
    secs.forEach((s, i) => {
      let score = 0;
      for (const n of needles) {
        const w = phrases.includes(n) ? 3 : 1;
        score += w * (count(s.text, n, 10) + 2 * count(s.heading, n, 1));
        // A section holding a whole phrase comes before any that holds only some of its terms.
        if (phrases.includes(n) && (s.text.includes(n) || s.heading.includes(n))) score += 1000;
      }
      // A footnote (a source quoted) is the snippet only when no section of the text matches
      // as well.
      if (pack.s[i][0].startsWith("fn-")) score /= 4;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    });
    const [id, heading, text] = pack.s[best] || ["", pack.t, ""];
    const mt = (secs[best] || { text: "" }).text;
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
    const window = mt.slice(start, end);
    // Marks: whole phrases, and the query's terms where they stand as written (a bigram, a
    // word); a lone character of the query is marked only as part of a longer match.
    const marks = [];
    for (const n of needles) {
      if (n.length < 2 && !phrases.includes(n)) continue;
      for (let i = window.indexOf(n); i >= 0 && n.length; i = window.indexOf(n, i + n.length)) marks.push([i, i + n.length]);
    }
    marks.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const merged = [];
    for (const m of marks) {
      const last = merged[merged.length - 1];
      if (last && m[0] <= last[1]) last[1] = Math.max(last[1], m[1]);
      else merged.push(m.slice());
    }
    return { id, heading, text: text.slice(start, end), before: start > 0, after: end < text.length, marks: merged };
  }

  /**
   * A search engine over the sharded index. `load(key, path)` returns a promise of the data the
   * script at `path` (relative to the site root) stores under `key`.
   */
  function createEngine(load) {
    const files = new Map();
    const get = (key, path) => {
      let p = files.get(key);
      if (!p) {
        p = Promise.resolve(load(key, path || "search/" + key + ".js"));
        files.set(key, p);
        p.catch(() => files.delete(key)); // a failed load is tried again next time
      }
      return p;
    };
    let manifest = null;
    const ready = () =>
      manifest ||
      (manifest = get("index", "search/index.js").then((m) => {
        if (!m || m.v !== 3) throw new Error("search/index.js: unknown index format");
        const t2s = new Map();
        const pairs = [...(m.t2s || "")];
        for (let i = 0; i + 1 < pairs.length; i += 2) t2s.set(pairs[i], pairs[i + 1]);
        return { m, t2s };
      }, (e) => {
        manifest = null;
        throw e;
      }));

    /** A term's postings as page → [weight, pack]; a word not in the index matches the words
     * it starts (one being typed), at a discount; failing that, an English word matches the
     * words its stem starts (light stemming: `renewals` and `expires` find `renewal`,
     * `expiry` and `expired`), at a larger discount. */
    async function postings(m, term) {
      const lone = isLone(term);
      const shards = lone ? m.chars : m.terms;
      if (!shards) return new Map();
      const shard = await get(m.gen + (lone ? "/c" : "/t") + (fnv1a(lone ? term : shardKey(term)) % shards));
      const out = new Map();
      const exact = own(shard, term);
      if (exact) return decode(exact, 1, out);
      if (!lone && !CJK.test(term) && [...term].length >= 2) {
        for (const k of Object.keys(shard)) if (k.startsWith(term)) decode(shard[k], 0.7, out);
        const stem = englishStem(term);
        if (!out.size && stem !== term) {
          // The stem keeps the first two characters, so its words are in the same shard.
          for (const k of Object.keys(shard)) if (k.startsWith(stem)) decode(shard[k], 0.5, out);
        }
      }
      return out;
    }

    /**
     * Ranks the pages for `query`: the sum of the query terms' BM25F weights, times the square
     * of the share of query terms the page has, times one plus the share in its title; then,
     * for the `limit` best, with the text of their best-matching part loaded, a bonus when the
     * whole query (or one of its parts) appears as written in the title, a heading or the text.
     * Resolves to at most `limit` results, best first.
     */
    async function search(query, limit) {
      const { m, t2s } = await ready();
      limit = limit || 10;
      const asked = splitQuery(String(query).replace(new RegExp(INVISIBLE.source, "gu"), ""));
      query = dropParticles(asked);
      // A Han character right after a Latin word is its suffix (ICP证, QQ群): it forms no
      // bigram with the characters after it (证到 in "ICP证到期" is nobody's word); the word
      // with its suffix stays a phrase to reward.
      const suffixed = matchText(query, t2s).match(/[a-z0-9]+\p{Script=Han}(?=\p{Script=Han})/gu) || [];
      const terms = [...new Set(tokenize(query.replace(/([A-Za-z0-9\uff10-\uff5a])\p{Script=Han}(?=\p{Script=Han})/gu, "$1 "), t2s))];
      if (!terms.length) return [];
      const phrasesOf = (q) =>
        matchText(q, t2s)
          .split(/[\s,.;:!?'"()，。、；：！？“”‘’（）《》「」]+/u)
          .filter((s) => s.length >= 2 || (s.length === 1 && CJK.test(s)));
      const phrases = phrasesOf(query);
      // The query as asked, question words and all, still rewards a title or heading that says
      // exactly that (备案会过期吗): a bonus only, never a term a page must have.
      const whole = phrasesOf(asked)
        .concat(suffixed)
        .filter((p, i, all) => !phrases.includes(p) && all.indexOf(p) === i);
      const lists = await Promise.all(
        terms.map(async (t) => {
          const out = await postings(m, t);
          for (const alt of ALSO.get(t) || []) {
            for (const [d, [w, pack, title]] of await postings(m, alt)) {
              const old = out.get(d);
              if (!old || w * ALSO_FACTOR > old[0]) out.set(d, [w * ALSO_FACTOR, pack, title]);
            }
          }
          return out;
        }),
      );
      // page → [sum, hits, packs, terms in the title]; `packs` counts, per pack, the query
      // terms that weigh most there and their weight: the result shows the pack where most of
      // the query's terms are (a phrase's bigrams), not where one frequent term weighs most.
      // A term's share of the query is its rarity (inverse document frequency, from its list's
      // length): a title holding a rare query term (icp) says more than one holding 备案.
      const n = m.n || 1;
      const idf = lists.map((l) => Math.log(1 + (n - l.size + 0.5) / (l.size + 0.5)));
      const idfSum = idf.reduce((a, b) => a + b, 0) || 1;
      const acc = new Map();
      lists.forEach((list, t) => {
        for (const [d, [w, pack, title]] of list) {
          let a = acc.get(d);
          if (!a) acc.set(d, (a = [0, 0, new Map(), 0]));
          a[0] += w;
          a[1]++;
          a[3] += title * idf[t];
          const p = a[2].get(pack);
          if (p) {
            p[0]++;
            p[1] += w;
          } else a[2].set(pack, [1, w]);
        }
      });
      const ranked = [];
      for (const [d, [sum, hits, packs, title]] of acc) {
        let pack = 0;
        let best = null;
        for (const [k, p] of packs) {
          if (!best || p[0] > best[0] || (p[0] === best[0] && (p[1] > best[1] || (p[1] === best[1] && k < pack)))) {
            best = p;
            pack = k;
          }
        }
        const coverage = hits / terms.length;
        // A title that holds the query's terms ranks above pages that only mention them.
        ranked.push({ doc: d, pack, score: sum * coverage * coverage * (1 + (2 * title) / idfSum) });
      }
      ranked.sort((a, b) => b.score - a.score || a.doc - b.doc);
      const top = ranked.slice(0, limit);
      // Pack `pack` of a run of `group` pages shares one file (search/shards.rs).
      const group = m.group || 1;
      const packs = await Promise.all(
        top.map((r) =>
          get(m.gen + "/" + Math.floor(r.doc / group) + "-" + r.pack).then((g) => {
            const page = own(g, r.doc);
            if (!page) throw new Error("search index: page " + r.doc + " missing from its pack");
            return page;
          }),
        ),
      );
      top.forEach((r, i) => {
        const pack = packs[i];
        const title = matchText(pack.t, t2s);
        // Footnote sections (ids `fn-…`) carry a fixed label, not a heading of the page.
        const headings = pack.s.filter((s) => s[0] && !s[0].startsWith("fn-")).map((s) => matchText(s[1], t2s));
        const body = matchText(pack.s.map((s) => s[1] + " " + s[2]).join(" "), t2s);
        const description = matchText(pack.d || "", t2s);
        for (const ph of phrases.concat(whole)) {
          // The title names the page; its description and a heading each name what the page
          // or one of its sections is about; a heading that is exactly the phrase is a section
          // about it (the glossary's 管局).
          if (title.includes(ph)) r.score *= 2;
          else {
            // Most of the phrase in the title (经营许可证续期 and 经营许可证（ICP证）延续与年报).
            const share = CJK.test(ph) && ph.length >= 3 ? common(title, ph) / ph.length : 0;
            if (share >= 0.6) r.score *= 1 + share;
            if (description.includes(ph)) r.score *= 1.4;
            if (headings.some((h) => h.includes(ph))) r.score *= 1.4;
            if (headings.some((h) => h.split(/[、，,（(]/u)[0].trim() === ph)) r.score *= 1.25;
          }
          if (!whole.includes(ph)) r.score *= 1 + 0.05 * count(body, ph, 5);
        }
        r.data = pack;
      });
      top.sort((a, b) => b.score - a.score || a.doc - b.doc);
      return top.slice(0, limit).map((r) => {
        const s = snippet(r.data, t2s, phrases, terms);
        return {
          title: r.data.t,
          url: r.data.u + (s.id ? "#" + s.id : ""),
          page: r.data.u,
          score: Math.round(r.score * 100) / 100,
          snippet: s,
        };
      });
    }

    return { ready, search };
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { tokenize, matchText, splitQuery, dropParticles, fnv1a, createEngine, englishStem };
  }
  if (typeof document === "undefined") return;

  // ---- The search box (browser only) ----

  /** Loads `root + path` as a classic script and takes what it stored under `key`. */
  function scriptLoader(root) {
    return (key, path) =>
      new Promise((resolve, reject) => {
        const s = document.createElement("script");
        s.src = root + path;
        s.async = true;
        s.onload = () => {
          const store = self.beianSearch || {};
          const data = store[key];
          delete store[key];
          s.remove();
          if (data === undefined) reject(new Error(path + " holds no " + key));
          else resolve(data);
        };
        s.onerror = () => {
          s.remove();
          reject(new Error("cannot load " + s.src));
        };
        document.head.appendChild(s);
      });
  }

  /** The page's texts (the JSON block rendered from the theme's string table), `{x}` filled. */
  function text(key, vars) {
    let all = {};
    try {
      const block = document.getElementById("ui-strings");
      if (block) all = JSON.parse(block.textContent) || {};
    } catch (e) {
      all = {};
    }
    return String(all[key] || "").replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? vars[k] : m));
  }

  function setup(box) {
    const root = box.getAttribute("data-root") || "";
    const input = box.querySelector("input");
    const list = box.querySelector("[role=listbox]");
    const status = box.querySelector("[data-role=status]");
    if (!input || !list || !status || box.hasAttribute("data-enhanced")) return;
    box.setAttribute("data-enhanced", "");
    box.hidden = false;
    const engine = createEngine(scriptLoader(root));
    let active = -1;
    let seq = 0;

    function load() {
      box.setAttribute("data-state", "loading");
      return engine.ready().then(
        () => box.setAttribute("data-state", "ready"),
        (e) => {
          failed();
          throw e;
        },
      );
    }

    function failed() {
      box.setAttribute("data-state", "failed");
      status.textContent = text("search-failed");
    }

    function open(on) {
      list.hidden = !on;
      if (on) {
        input.setAttribute("data-open", "");
        // Small screens: the list is fixed to the viewport just below the field.
        box.style.setProperty("--search-top", Math.round(input.getBoundingClientRect().bottom + 4) + "px");
      } else {
        input.removeAttribute("data-open");
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

    function item(r, i) {
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
      title.textContent = r.title;
      a.append(title);
      if (r.snippet.heading && r.snippet.heading !== r.title) {
        const section = document.createElement("span");
        section.className = "search-section";
        section.textContent = r.snippet.heading;
        a.append(section);
      }
      // Text nodes and <mark> elements only: nothing from the index is parsed as HTML.
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
      a.append(p);
      li.append(a);
      a.addEventListener("mousedown", (e) => e.preventDefault()); // keep focus in the field
      return li;
    }

    function show(query, results) {
      list.replaceChildren(...results.map(item));
      active = -1;
      input.removeAttribute("aria-activedescendant");
      const q = query.trim();
      status.replaceChildren();
      if (q && results.length) status.textContent = text("search-found", { n: results.length });
      else if (q) {
        status.append(text("search-none", { q }));
        const browse = box.getAttribute("data-browse");
        if (browse) {
          const a = document.createElement("a");
          a.href = browse;
          a.textContent = text("search-browse");
          status.append(a);
        }
      }
      box.setAttribute("data-state", "ready");
      open(q.length > 0 && results.length > 0);
    }

    function update() {
      const q = input.value;
      const mine = ++seq;
      if (!q.trim()) {
        show(q, []);
        return;
      }
      engine.search(q, 8).then(
        (results) => mine === seq && show(q, results),
        () => mine === seq && failed(),
      );
    }

    input.addEventListener("focus", () => {
      load().catch(() => {});
      if (input.value.trim() && list.children.length) open(true);
    });
    // While an IME composes (pinyin letters before the characters are chosen), wait for the
    // characters: searching the letters would load shards for nothing.
    input.addEventListener("input", (e) => {
      if (!e.isComposing) update();
    });
    input.addEventListener("compositionend", update);
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
    // theme.js loads this file when the reader reaches for the box (the `/` shortcut is
    // there too): what was typed meanwhile is searched now.
    if (document.activeElement === input) {
      load().catch(() => {});
      if (input.value.trim()) update();
    }
  }

  const init = () => document.querySelectorAll("[data-search]").forEach(setup);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
