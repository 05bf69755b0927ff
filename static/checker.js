//! The expiry checker widget: progressive enhancement of the server-rendered form.
//!
//! Without this script the page still has the form and the static rules table. With it, the
//! WebAssembly checker is loaded on demand (when the widget has values, is focused or scrolls into
//! view) and every change the reader makes is classified at once. The result leads with an
//! ordered list of what to do today, then one card per axis (textContent only; terms link to the
//! glossary). A preset in a guide page fills the form but shows no verdict until the reader edits
//! it or presses the button. Inputs are mirrored in the URL query on the checker page, carried by
//! the result's links into the site, and the key dates can be exported as an .ics calendar.
//!
//! Classic script (no modules, no `fetch` on file://), after checker-dates.js: it reads
//! `beianChecker.dates` and loads, by inserting <script> elements, when the checker starts:
//! `checker/checker-ics.js` (key dates and the calendar, `beianChecker.ics`),
//! `checker/loader.js` (names of the hashed files), the wasm-bindgen glue (`beianChecker.wasm`),
//! and on file:// the base64 module (`beianChecker.wasmBase64`) and the rules twin
//! (`beianChecker.rulesJson`). Over http(s) the .wasm and the rules .json of the page's language
//! are fetched, all at once (the checker page preloads every one of these files from its head).
//!
//! DOM contract (templates/partials/checker-widget.html): a `[data-checker]` element with
//! `data-assets` (URL of checker/loader.js), `data-root` (relative prefix to the site root),
//! `data-rules` / `data-rules-js`, optional `data-sync-url`, `data-rules-page` (an embed: the
//! checker page's rules table) and `data-preset`; inside it
//! `form[data-role=form]` whose controls carry `data-kind` (date, choice, bool, check, count),
//! `[data-error-for=FIELD]` slots, and the `status`, `message`, `results`, `steps`,
//! `result-list`, `chain-wrap` (the chain picture, steps `[data-step][data-states]`), `toolbar`,
//! `ics`, `open-full`, `static-note`, `preset-note`, `glossary` roles.
//! State markers for tests: the widget's `data-state` is `static`, `loading`, `ready` or
//! `failed`; each result has `data-axis`, `data-state` and `data-severity`.

(function () {
  "use strict";
  // Labels come from the page's texts (`severity-ok`, …; see `text`).
  const SEVERITY = {
    ok: { icon: "✓", key: "severity-ok", rank: 0 },
    info: { icon: "i", key: "severity-info", rank: 1 },
    warning: { icon: "!", key: "severity-warning", rank: 2 },
    danger: { icon: "✕", key: "severity-danger", rank: 3 },
  };
  // Node (tests/js) gets the DOM-free helpers and nothing runs.
  if (typeof module === "object" && module.exports) {
    module.exports = { splitTerms, termPattern, todaySteps };
    return;
  }
  const ns = self.beianChecker || (self.beianChecker = {});
  // Two embeds on one page load this file twice; the first run enhances every widget.
  if (ns.widgetScriptLoaded) return;
  ns.widgetScriptLoaded = true;
  const { keyDateText, shanghaiToday, text } = ns.dates;
  // checker/checker-ics.js arrives with the engine (see loadEngine); nothing renders before.
  const keyDates = (output) => ns.ics.keyDates(output);
  const buildCalendar = (output, options) => ns.ics.buildCalendar(output, options);

  const fromDisk = location.protocol === "file:";

  let engine = null;

  /** Records a performance mark once per page (read by the benchmark and browser tests). */
  function mark(name) {
    if (typeof performance !== "undefined" && performance.mark && !performance.getEntriesByName(name).length) {
      performance.mark(name);
    }
  }

  /** Runs the classic script at `url` once; resolves when it has run. */
  function loadScript(url) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.onload = () => resolve();
      script.onerror = () => reject(new Error(`cannot load ${url}`));
      document.head.append(script);
    });
  }

  /** A site-root-relative path (`checker/x.js`) as a URL, through the widget's root prefix. */
  function siteUrl(widget, path) {
    return new URL((widget.dataset.root || "") + path, document.baseURI).href;
  }

  /**
   * The rules JSON of the page's language: the hashed rules file the widget names, its
   * classic-script twin on file://, the JSON over http(s) (the checker page preloads it).
   */
  async function rulesText(widget) {
    if (fromDisk || typeof fetch !== "function") {
      if (typeof ns.rulesJson !== "string") {
        if (!widget.dataset.rulesJs) throw new Error("the widget names no rules script (data-rules-js)");
        await loadScript(new URL(widget.dataset.rulesJs, document.baseURI).href);
      }
      if (typeof ns.rulesJson !== "string") throw new Error(`${widget.dataset.rulesJs} did not set the rules`);
      return ns.rulesJson;
    }
    if (!widget.dataset.rules) throw new Error("the widget names no rules file (data-rules)");
    const url = new URL(widget.dataset.rules, document.baseURI);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`cannot load the checker rules from ${url} (${response.status})`);
    return response.text();
  }

  /**
   * The WebAssembly module for the glue: over http(s) its response, asked for at once (so it
   * downloads beside the glue and the rules; the checker page preloads it), on file:// its bytes
   * (from the base64 script).
   */
  async function wasmSource(widget) {
    if (!fromDisk) return fetch(siteUrl(widget, ns.assets.wasm));
    if (typeof ns.wasmBase64 !== "string") await loadScript(siteUrl(widget, ns.assets.wasmBase64));
    if (typeof ns.wasmBase64 !== "string") throw new Error(`${ns.assets.wasmBase64} did not set the module`);
    const text = atob(ns.wasmBase64);
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  /** Loads the names, the glue, the wasm and the rules once per page; resolves to a `Checker`. */
  function loadEngine(widget) {
    if (!engine) {
      engine = (async () => {
        if (!ns.assets) {
          if (!widget.dataset.assets) throw new Error("the widget names no checker loader (data-assets)");
          await loadScript(new URL(widget.dataset.assets, document.baseURI).href);
        }
        if (!ns.assets) throw new Error("checker/loader.js did not name the checker's files");
        const [, , rules, source] = await Promise.all([
          ns.ics ? null : loadScript(siteUrl(widget, "checker/checker-ics.js")),
          ns.wasm ? null : loadScript(siteUrl(widget, ns.assets.glue)),
          rulesText(widget),
          wasmSource(widget),
        ]);
        if (typeof ns.wasm !== "function") throw new Error("the checker glue did not load");
        if (!ns.ics) throw new Error("checker/checker-ics.js did not load");
        await ns.wasm({ module_or_path: source });
        return new ns.wasm.Checker(rules);
      })();
    }
    return engine;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** The contract input object for the form's current values (empty fields are left out). */
  function readInput(form) {
    const input = {};
    for (const control of form.querySelectorAll("[data-kind][name]")) {
      const name = control.name;
      const kind = control.dataset.kind;
      if (kind === "check") {
        if (control.checked) input[name] = true;
        continue;
      }
      const value = control.value.trim();
      // A half-typed date or number reads as "" in the browser; pass something invalid so the
      // checker reports the field instead of silently ignoring it.
      if (value === "" && control.validity && control.validity.badInput) {
        input[name] = "invalid";
        continue;
      }
      if (value === "") continue;
      if (kind === "bool") input[name] = value === "true" ? true : value === "false" ? false : value;
      else if (kind === "count") input[name] = /^\d+$/.test(value) ? Number(value) : value;
      else input[name] = value;
    }
    return input;
  }

  /** The query string of the form's values, in form order (`serverExpiry=2026-11-05&…`). */
  function queryOf(form) {
    const params = new URLSearchParams();
    for (const control of form.querySelectorAll("[data-kind][name]")) {
      if (control.dataset.kind === "check") {
        if (control.checked) params.set(control.name, "true");
      } else if (control.value.trim() !== "") {
        params.set(control.name, control.value.trim());
      }
    }
    return params.toString();
  }

  /** Whether `search` names any of the form's fields besides `today`. */
  function queryHasFields(form, search) {
    const params = new URLSearchParams(search);
    return [...form.querySelectorAll("[data-kind][name]")].some((c) => c.name !== "today" && params.has(c.name));
  }

  /**
   * Fills the form from a query string: every field takes the query's value, or is cleared when
   * the query does not name it (the reader's inputs replace a preset, they do not mix with it).
   */
  function restore(form, search) {
    const params = new URLSearchParams(search);
    for (const control of form.querySelectorAll("[data-kind][name]")) {
      const value = params.has(control.name) ? params.get(control.name) : "";
      if (control.dataset.kind === "check") {
        control.checked = value === "true";
      } else if (control.tagName === "SELECT") {
        if ([...control.options].some((o) => o.value === value)) control.value = value;
      } else {
        control.value = value;
      }
    }
  }

  function hasValues(form) {
    return queryOf(form) !== "";
  }

  /**
   * Shows a follow-up question (`data-show-when="field=value other=*"`, any clause holding;
   * `*`: any value) only when it matters, or when it holds a value itself, so the form stays
   * short until then.
   */
  function showFollowUps(form) {
    const value = (name) => {
      const control = form.querySelector(`[name="${CSS.escape(name)}"]`);
      if (!control) return "";
      return control.dataset.kind === "check" ? (control.checked ? "true" : "") : control.value.trim();
    };
    for (const field of form.querySelectorAll("[data-show-when]")) {
      const own = field.querySelector("[name]");
      const wanted = field.dataset.showWhen.split(" ").some((clause) => {
        const [name, want] = clause.split("=");
        const v = value(name);
        return want === "*" ? v !== "" : v === want;
      });
      field.hidden = !wanted && !(own && own.value.trim() !== "");
    }
  }

  /** Opens the folded groups that hold a filled-in field, so nothing set is hidden. */
  function openFilledGroups(form) {
    for (const details of form.querySelectorAll("details")) {
      if (hasValues(details)) details.open = true;
    }
  }

  function clearFieldNotes(widget) {
    for (const slot of widget.querySelectorAll("[data-error-for]")) {
      slot.textContent = "";
      slot.hidden = true;
      slot.classList.remove("is-warning");
    }
    for (const control of widget.querySelectorAll("[aria-invalid]")) {
      control.removeAttribute("aria-invalid");
    }
  }

  /** Shows `message` next to its field; returns false when the form has no slot for it. */
  function noteField(widget, field, message, isWarning) {
    const slot = field ? widget.querySelector(`[data-error-for="${CSS.escape(field)}"]`) : null;
    if (!slot) return false;
    slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
    slot.hidden = false;
    slot.classList.toggle("is-warning", Boolean(isWarning));
    if (!isWarning) {
      const control = widget.querySelector(`[name="${CSS.escape(field)}"]`);
      if (control) {
        control.setAttribute("aria-invalid", "true");
        // Reveal a folded field that has an error.
        const details = control.closest("details");
        if (details) details.open = true;
      }
    }
    return true;
  }

  /**
   * A regular expression matching any of `terms` (longest first), or null when there are none.
   * A term in Latin letters matches whole words only, in any case, with an optional plural `s`
   * (`access check`, `Access checks`), never inside a longer word (`filer` in `refiler`).
   */
  function termPattern(terms) {
    const names = [...terms].filter(Boolean).sort((a, b) => b.length - a.length);
    const escape = (t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const source = (t) => (/^[A-Za-z]/.test(t) ? `(?<![\\p{L}\\p{N}-])${escape(t)}s?(?![\\p{L}\\p{N}-])` : escape(t));
    return names.length ? new RegExp(names.map(source).join("|"), "giu") : null;
  }

  /** The glossary entry of a matched text: the term as written, else in any case, without `s`. */
  function hrefOf(glossary, found) {
    if (glossary.terms.has(found)) return glossary.terms.get(found);
    const lower = found.toLowerCase();
    for (const [term, href] of glossary.terms) {
      const t = term.toLowerCase();
      if (t === lower || t + "s" === lower) return href;
    }
    return undefined;
  }

  /** `{ terms: Map(term → href), pattern }` from the widget's hidden glossary list; a longer
   * word that holds terms but is none (空壳数据公示) maps to "" and is never linked. */
  function glossaryOf(widget) {
    const terms = new Map();
    for (const a of widget.querySelectorAll('[data-role="glossary"] a')) {
      terms.set(a.textContent.trim(), a.getAttribute("href"));
    }
    for (const word of widget.querySelectorAll('[data-role="glossary"] [data-no-link]')) {
      terms.set(word.textContent.trim(), "");
    }
    return { terms, pattern: termPattern(terms.keys()) };
  }

  /**
   * `text` cut into pieces: strings, and `{ term, href }` for the first mention of each glossary
   * entry not yet in `used` (a Set of hrefs, updated; 空壳主体 and 空壳网站 share one entry).
   */
  function splitTerms(text, glossary, used) {
    if (!glossary.pattern) return [text];
    const pieces = [];
    let last = 0;
    for (const m of text.matchAll(glossary.pattern)) {
      const href = hrefOf(glossary, m[0]);
      // Not a term (a longer word holding terms) or already linked: stays text.
      if (!href || used.has(href)) continue;
      used.add(href);
      if (m.index > last) pieces.push(text.slice(last, m.index));
      pieces.push({ term: m[0], href });
      last = m.index + m[0].length;
    }
    if (last < text.length) pieces.push(text.slice(last));
    return pieces;
  }

  /** Appends `text` to `parent` with glossary terms as links (text stays text, no innerHTML). */
  function appendWithTerms(parent, text, glossary, used) {
    for (const piece of splitTerms(text, glossary, used)) {
      if (typeof piece === "string") {
        parent.append(piece);
      } else {
        const a = el("a", "checker-term", piece.term);
        a.href = piece.href;
        parent.append(a);
      }
    }
  }

  /**
   * Where a result link goes: rules links are site-root-relative (`guides/renewal.html#x`);
   * absolute URLs stay as they are. Links into the site carry the reader's inputs (`query`), so
   * the checker page, and a guide's embedded checker, show the reader's own situation.
   */
  function linkHref(widget, href, query) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//")) return href;
    const url = new URL(href.startsWith("/") || href.startsWith("#") ? href : (widget.dataset.root || "") + href, location.href);
    if (query) url.search = query;
    return url.href;
  }

  function renderResult(widget, output, result, glossary, used, query) {
    const severity = SEVERITY[result.severity] || SEVERITY.info;
    const item = el("li", `checker-result is-${result.severity}`);
    item.dataset.axis = result.axis;
    item.dataset.state = result.state;
    item.dataset.severity = result.severity;

    const head = el("div", "checker-result-head");
    const badge = el("span", "checker-badge");
    const icon = el("span", "checker-icon", severity.icon);
    icon.setAttribute("aria-hidden", "true");
    badge.append(icon, el("span", "checker-severity", text(severity.key)));
    head.append(badge, el("h3", "checker-result-title", result.title));
    item.append(head);

    for (const k of keyDates({ today: output.today, results: [result] })) {
      const line = el("p", "checker-key-date");
      line.dataset.kind = k.kind;
      const time = el("time", "", k.date);
      time.dateTime = k.date;
      const rest = keyDateText(k.date, k.days).slice(k.date.length);
      line.append(el("span", "checker-key-date-label", `${k.label}${text("colon")}`), time, rest);
      item.append(line);
    }
    if (result.estimated === true) {
      item.append(el("p", "checker-estimated", text("estimated")));
    }
    if (result.summary) {
      const p = el("p", "checker-summary");
      appendWithTerms(p, result.summary, glossary, used);
      item.append(p);
    }
    if (Array.isArray(result.links) && result.links.length) {
      const list = el("ul", "checker-links");
      for (const link of result.links) {
        const a = el("a", "", link.title);
        a.href = linkHref(widget, link.href, query);
        const li = el("li");
        li.append(a);
        list.append(li);
      }
      item.append(list);
    }
    return item;
  }

  /**
   * What to do today, in order: the actions of the results that need something (most severe
   * first, axis order otherwise), without repeats; when every result is fine, their actions.
   */
  function todaySteps(results) {
    const ranked = results
      .map((r, i) => ({ r, i, rank: (SEVERITY[r.severity] || SEVERITY.info).rank }))
      .sort((a, b) => b.rank - a.rank || a.i - b.i);
    const urgent = ranked.filter((x) => x.rank > 0);
    const steps = [];
    for (const { r } of urgent.length ? urgent : ranked) {
      for (const action of Array.isArray(r.actions) ? r.actions : []) {
        if (!steps.some((s) => s.text === action)) steps.push({ text: action, result: r });
      }
    }
    return steps;
  }

  function render(widget, output) {
    const results = widget.querySelector('[data-role="results"]');
    const list = results.querySelector('[data-role="result-list"]');
    const stepsList = results.querySelector('[data-role="steps"]');
    const stepsBox = results.querySelector('[data-role="steps-box"]') || stepsList;
    const message = widget.querySelector('[data-role="message"]');
    const status = widget.querySelector('[data-role="status"]');
    const toolbar = widget.querySelector('[data-role="toolbar"]');
    const ics = widget.querySelector('[data-role="ics"]');
    clearFieldNotes(widget);
    list.replaceChildren();
    stepsList.replaceChildren();
    message.textContent = "";
    message.hidden = true;
    widget.lastOutput = null;

    if (output === null) {
      results.hidden = true;
      toolbar.hidden = true;
      status.textContent = "";
      return;
    }
    if (output.errors.length) {
      const loose = [];
      for (const e of output.errors) {
        if (!noteField(widget, e.field, dateMessage(widget, e.field) || e.message, false)) loose.push(e.message);
      }
      if (loose.length) {
        message.textContent = loose.join(" ");
        message.hidden = false;
      }
      results.hidden = true;
      toolbar.hidden = true;
      const invalid = output.errors.filter((e) => e.field).length;
      status.textContent = invalid ? text("invalid", { n: invalid }) : loose.join(" ");
      return;
    }
    for (const w of output.warnings) {
      if (!noteField(widget, w.field, w.message, true)) appendMessage(message, w.message);
    }
    const glossary = glossaryOf(widget);
    const used = new Set();
    const query = queryOf(widget.querySelector('[data-role="form"]'));
    const steps = todaySteps(output.results);
    for (const step of steps) {
      const li = el("li", `checker-step is-${step.result.severity}`);
      li.dataset.axis = step.result.axis;
      appendWithTerms(li, step.text, glossary, used);
      stepsList.append(li);
    }
    stepsBox.hidden = steps.length === 0;
    for (const result of output.results) list.append(renderResult(widget, output, result, glossary, used, query));
    markChain(widget, output.results);
    const today = results.querySelector('[data-role="today"]');
    if (today) today.textContent = text("today", { date: output.today });
    results.hidden = false;
    widget.lastOutput = output;
    mark("beian-checker-first-answer");

    const ahead = keyDates(output).filter((k) => k.days >= 0).length;
    toolbar.hidden = false;
    if (ics) {
      ics.disabled = ahead === 0;
      ics.title = ahead === 0 ? text("ics-none") : text("ics-some", { n: ahead });
    }
    // A disabled button says why, in words under it (a tooltip never shows on a phone).
    const why = widget.querySelector('[data-role="ics-why"]');
    if (why) {
      why.hidden = ahead !== 0;
      why.textContent = ahead === 0 ? text("ics-why") : "";
    }
    status.textContent =
      text("results-status") +
      output.results
        .map((r) => `${r.title}${text("paren-open")}${text((SEVERITY[r.severity] || SEVERITY.info).key)}${text("paren-close")}`)
        .join(text("list-sep"));
  }

  /**
   * Marks the reader's step on the chain picture (the step whose `data-states` lists the filing
   * result's state) with aria-current="step" and the visible "你在这里"; hides the picture when
   * the filing result has no place on it.
   */
  function markChain(widget, results) {
    const wrap = widget.querySelector('[data-role="chain-wrap"]');
    if (!wrap) return;
    const filing = results.find((r) => r.axis === "filing");
    let current = null;
    for (const step of wrap.querySelectorAll("[data-step]")) {
      const states = (step.dataset.states || "").split(" ");
      const here = Boolean(filing) && current === null && states.includes(filing.state);
      if (here) current = step;
      step.classList.toggle("is-current", here);
      if (here) step.setAttribute("aria-current", "step");
      else step.removeAttribute("aria-current");
    }
    wrap.hidden = current === null;
    if (filing) wrap.dataset.severity = filing.severity;
  }

  /**
   * The error of a date field whose text is no real day (the browser's picker holds it but
   * gives no value), in the picker's own terms: the checker's message asks for YYYY-MM-DD, which
   * nobody types into a date picker. Null for any other field or error.
   */
  function dateMessage(widget, field) {
    const control = field ? widget.querySelector(`[name="${CSS.escape(field)}"]`) : null;
    if (!control || control.dataset.kind !== "date" || !(control.validity && control.validity.badInput)) return null;
    const label = control.id ? widget.querySelector(`label[for="${CSS.escape(control.id)}"]`) : null;
    return text("date-invalid", { label: label ? label.textContent.trim() : field });
  }

  /**
   * Brings the result into view: its heading at the top of the screen, then focus on the result
   * without scrolling again (focusing first scrolled the heading and the first step out of view).
   */
  function bringIntoView(widget) {
    const results = widget.querySelector('[data-role="results"]');
    if (!results || results.hidden) return;
    const title = results.querySelector('[data-role="results-title"]') || results;
    title.scrollIntoView({ block: "start" });
    results.focus({ preventScroll: true });
  }

  /** The checker page's address with exactly the form's inputs (what the share control sends). */
  function shareUrl(widget) {
    const form = widget.querySelector('[data-role="form"]');
    const url = new URL(form.action, location.href);
    url.search = queryOf(form);
    url.hash = "";
    return url.href;
  }

  /** Shares the result's address: the Web Share API where the browser has it, else the
   * clipboard, else the address in a selected field to copy by hand. */
  async function share(widget) {
    const url = shareUrl(widget);
    const note = widget.querySelector('[data-role="share-note"]');
    note.hidden = true;
    note.replaceChildren();
    widget.dataset.sharedUrl = url;
    if (typeof navigator.share === "function") {
      try {
        await navigator.share({ title: text("share-title"), url });
        return;
      } catch (e) {
        if (e && e.name === "AbortError") return; // the reader closed the share sheet
      }
    }
    try {
      await navigator.clipboard.writeText(url);
      note.textContent = text("share-copied");
      note.hidden = false;
      return;
    } catch (e) {
      // No clipboard (file://, an old browser, permission refused): show the address.
    }
    const input = el("input");
    input.readOnly = true;
    input.value = url;
    input.setAttribute("aria-label", text("share-manual"));
    note.append(text("share-manual"), input);
    note.hidden = false;
    input.focus();
    input.select();
  }

  /** Queries this tab has seen as the reader's own (typed, or already flagged as shared once). */
  const OWN_KEY = "beian-checker-own";
  function ownQueries() {
    try {
      const list = JSON.parse(sessionStorage.getItem(OWN_KEY) || "[]");
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return [];
    }
  }
  function rememberOwn(query) {
    if (!query) return;
    try {
      const list = ownQueries().filter((q) => q !== query).slice(-19);
      list.push(query);
      sessionStorage.setItem(OWN_KEY, JSON.stringify(list));
    } catch (e) {
      // Storage off: the shared-link note may show again; nothing else changes.
    }
  }

  function appendMessage(message, text) {
    message.textContent = message.textContent ? `${message.textContent} ${text}` : text;
    message.hidden = false;
  }

  function pageUrl(widget) {
    const form = widget.querySelector('[data-role="form"]');
    const url = new URL(widget.dataset.syncUrl !== undefined ? location.href : form.action, location.href);
    // Without `today`, a reader coming back from the calendar gets the answer for that day.
    const params = new URLSearchParams(queryOf(form));
    params.delete("today");
    url.search = params.toString();
    url.hash = "";
    return url.href;
  }

  function exportCalendar(widget) {
    const output = widget.lastOutput;
    if (!output) return;
    const { text: calendar, count } = buildCalendar(output, {
      now: Date.now(),
      uidDomain: location.hostname || "beian-guide.local",
      pageUrl: /^https?:/.test(location.protocol) ? pageUrl(widget) : undefined,
      calendarName: text("calendar-name"),
    });
    if (count === 0) return;
    const blob = new Blob([calendar], { type: "text/calendar;charset=utf-8" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `beian-dates-${output.today}.ics`;
    document.body.append(a);
    a.click();
    a.remove();
    // Give the download a moment to start before the object URL goes away.
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  }

  /** The rules table on this page (the checker page's), if any; an embed names the checker
   *  page's in `data-rules-page`. */
  function rulesFor(widget) {
    return document.getElementById(`${widget.id}-rules`);
  }

  function setUp(widget) {
    const form = widget.querySelector('[data-role="form"]');
    if (!form || widget.dataset.enhanced !== undefined) return;
    widget.dataset.enhanced = "";
    const sync = widget.dataset.syncUrl !== undefined;
    // The reader's inputs arrive in the query: on the checker page, and on a guide page reached
    // from a result link. They replace a preset and are answered at once: the reader gave them.
    const carried = queryHasFields(form, location.search);
    if (sync || carried) restore(form, location.search);
    openFilledGroups(form);
    for (const hidden of widget.querySelectorAll("[data-js-only]")) hidden.hidden = false;
    const staticNote = widget.querySelector('[data-role="static-note"]');
    if (staticNote) staticNote.hidden = true;
    const presetNote = widget.querySelector('[data-role="preset-note"]');
    if (presetNote && carried) presetNote.hidden = true;
    const openFull = widget.querySelector('[data-role="open-full"]');
    // On paper the embed is one line with the checker's address (checker.css @media print).
    const printLink = widget.querySelector('[data-role="print-link"]');
    if (printLink && /^https?:$/.test(location.protocol)) {
      printLink.href = new URL(printLink.getAttribute("href"), location.href).href;
      printLink.textContent = printLink.href;
    }
    // Inputs that arrive in the address and that this tab has not seen as the reader's own came
    // from someone else (a shared link): say so, once, and offer to clear them.
    const sharedNote = widget.querySelector('[data-role="shared-note"]');
    if (sharedNote && carried) {
      const given = queryOf(form);
      if (!ownQueries().includes(given)) sharedNote.hidden = false;
      rememberOwn(given);
    }

    let checker = null;
    let loading = null;
    const openedAt = window.scrollY;
    // Whether the reader has acted (edited a field or pressed the button), or came with inputs
    // in the URL. Until then nothing is judged: a preset shows no verdict, and a URL with only
    // `today` shows no NO_INPUT message.
    let acted = carried;
    // `explicit`: the reader pressed the button, so an empty form gets the checker's NO_INPUT
    // message instead of silently showing nothing.
    const update = (explicit = false) => {
      showFollowUps(form);
      const query = queryOf(form);
      if (sync) {
        const url = new URL(location.href);
        url.search = query;
        history.replaceState(history.state, "", url.href);
      }
      if (openFull) {
        const url = new URL(form.action, location.href);
        url.search = query;
        openFull.href = url.href;
      }
      // The reader's inputs, for the language switch (theme.js carries them to the other edition).
      if (acted && query) widget.dataset.query = query;
      else delete widget.dataset.query;
      if (!checker) return;
      const input = readInput(form);
      if (!acted || (Object.keys(input).length === 0 && explicit !== true)) {
        render(widget, null);
        return;
      }
      try {
        // The answer comes in the page's language (`lang` of the contract input).
        const lang = widget.dataset.lang;
        const asked = lang ? { ...input, lang } : input;
        const output = JSON.parse(checker.classify(JSON.stringify(asked), shanghaiToday(Date.now())));
        const onlyNoInput = output.errors.length > 0 && output.errors.every((e) => e.code === "NO_INPUT");
        render(widget, onlyNoInput && explicit !== true && !carried ? null : output);
      } catch (e) {
        fail(e);
      }
    };
    const fail = (e) => {
      widget.dataset.state = "failed";
      // Without a checker the button does nothing: hide it, say why, and open the rules.
      for (const hidden of widget.querySelectorAll("[data-js-only]")) hidden.hidden = true;
      render(widget, null);
      const message = widget.querySelector('[data-role="message"]');
      // Say why: no WebAssembly in this browser, or the checker's files did not load.
      const noWasm = typeof WebAssembly !== "object" || (e && /CompileError|LinkError/.test(e.name || ""));
      message.textContent = text("failed") + text(noWasm ? "failed-no-wasm" : "failed-load");
      // The rules table: the page's own (the checker page), else the checker page's (an embed).
      const rules = rulesFor(widget);
      const target = rules && rules.id ? `#${rules.id}` : widget.dataset.rulesPage;
      if (target) {
        message.append(" ");
        const a = el("a", "", text("failed-link"));
        a.href = target;
        message.append(a);
        if (rules && rules.tagName === "DETAILS") rules.open = true;
      }
      message.hidden = false;
      console.error("beian-guide checker:", e);
    };
    const start = () => {
      if (loading) return loading;
      widget.dataset.state = "loading";
      loading = loadEngine(widget).then(
        (c) => {
          checker = c;
          widget.dataset.state = "ready";
          mark("beian-checker-ready");
          update();
          // Inputs from a link: the answer is what the reader came for, so it comes into view
          // (once per page; not when the link names a place on the page, nor once the reader
          // has scrolled away from where the page opened).
          if (carried && !location.hash && !ns.broughtIntoView && Math.abs(window.scrollY - openedAt) < 40) {
            ns.broughtIntoView = true;
            bringIntoView(widget);
          }
        },
        (e) => fail(e),
      );
      return loading;
    };

    const edited = () => {
      acted = true;
      if (presetNote) presetNote.hidden = true;
      if (sharedNote) sharedNote.hidden = true;
      update();
      rememberOwn(queryOf(form));
    };
    const clear = widget.querySelector('[data-role="clear"]');
    if (clear) {
      clear.addEventListener("click", () => {
        restore(form, "");
        acted = false;
        sharedNote.hidden = true;
        update();
        const first = form.querySelector("[data-kind][name]");
        if (first) first.focus();
      });
    }
    const shareButton = widget.querySelector('[data-role="share"]');
    if (shareButton) shareButton.addEventListener("click", () => share(widget));
    form.addEventListener("input", edited);
    form.addEventListener("change", edited);
    // Chromium fires neither `input` nor `change` while a date field's text is an impossible date
    // (its value stays ""), so re-check when the reader leaves such a field.
    form.addEventListener("focusout", (event) => {
      const v = event.target.validity;
      if (v && v.badInput) edited();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      acted = true;
      if (presetNote) presetNote.hidden = true;
      start().then(() => {
        if (!checker) return;
        update(true);
        bringIntoView(widget);
      });
    });
    form.addEventListener("focusin", start, { once: true });
    form.addEventListener("pointerdown", start, { once: true });
    const ics = widget.querySelector('[data-role="ics"]');
    if (ics) ics.addEventListener("click", () => exportCalendar(widget));

    if (hasValues(form)) {
      start();
    } else if ("IntersectionObserver" in window) {
      const observer = new IntersectionObserver(
        (entries) => {
          if (entries.some((e) => e.isIntersecting)) {
            observer.disconnect();
            start();
          }
        },
        { rootMargin: "200px" },
      );
      observer.observe(widget);
    } else {
      start();
    }
    update();
  }

  for (const widget of document.querySelectorAll("[data-checker]")) setUp(widget);
})();
