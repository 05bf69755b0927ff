//! The expiry checker widget: progressive enhancement of the server-rendered form.
//!
//! Without this script the page still has the form and the static rules table. With it, the
//! WebAssembly checker is loaded on demand (when the widget has values, is focused or scrolls into
//! view), every change of the form is classified at once, and the results are rendered per axis
//! with textContent only. Inputs are mirrored in the URL query on the checker page, and the key
//! dates can be exported as an .ics calendar.
//!
//! DOM contract (templates/partials/checker-widget.html): a `[data-checker]` element with
//! `data-wasm-js` (URL of the hashed wasm-bindgen glue), `data-root` (relative prefix to the site
//! root), optional `data-sync-url`; inside it `form[data-role=form]` whose controls carry
//! `data-kind` (date, choice, bool, check, count), `[data-error-for=FIELD]` slots, and the
//! `status`, `message`, `results`, `toolbar`, `ics`, `open-full` roles. The rules JSON is in a
//! `script[data-checker-rules]` element on the page, or in the file named by `data-rules`. State markers for tests: the widget's
//! `data-state` is `static`, `loading`, `ready` or `failed`; each result has `data-axis`,
//! `data-state` and `data-severity`.

import { keyDateText, shanghaiToday } from "./checker-dates.js";
import { buildCalendar, keyDates } from "./checker-ics.js";

const SEVERITY = {
  ok: { icon: "✓", label: "正常" },
  info: { icon: "i", label: "提示" },
  warning: { icon: "!", label: "需要注意" },
  danger: { icon: "✕", label: "紧急" },
};

let engine = null;

/** Records a performance mark once per page (read by the benchmark and browser tests). */
function mark(name) {
  if (typeof performance !== "undefined" && performance.mark && !performance.getEntriesByName(name).length) {
    performance.mark(name);
  }
}

/**
 * The rules JSON: from the page's inline script (the checker page carries one), else from the
 * hashed rules file the widget names in `data-rules` (embeds in guide pages).
 */
async function rulesText(widget) {
  const own = document.querySelector("script[data-checker-rules]");
  if (own) return own.textContent;
  if (!widget.dataset.rules) {
    throw new Error("the page has no inline checker rules and the widget names no rules file (data-rules)");
  }
  const url = new URL(widget.dataset.rules, document.baseURI);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load the checker rules from ${url} (${response.status})`);
  return response.text();
}

/** Loads the glue, the wasm and the rules once per page; resolves to a `Checker`. */
function loadEngine(widget) {
  if (!engine) {
    engine = (async () => {
      if (!widget.dataset.wasmJs) throw new Error("the page names no checker module");
      const glueUrl = new URL(widget.dataset.wasmJs, document.baseURI).href;
      const [glue, rules] = await Promise.all([import(glueUrl), rulesText(widget)]);
      await glue.default();
      return new glue.Checker(rules);
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

/** Fills the form from a query string; returns whether any field was set. */
function restore(form, search) {
  const params = new URLSearchParams(search);
  let any = false;
  for (const control of form.querySelectorAll("[data-kind][name]")) {
    if (!params.has(control.name)) continue;
    const value = params.get(control.name);
    if (control.dataset.kind === "check") {
      control.checked = value === "true";
    } else if (control.tagName === "SELECT") {
      if (![...control.options].some((o) => o.value === value)) continue;
      control.value = value;
    } else {
      control.value = value;
    }
    any = true;
  }
  return any;
}

function hasValues(form) {
  return queryOf(form) !== "";
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

function linkHref(root, href) {
  // Rules links are site-root-relative (`guides/renewal.html`); absolute URLs stay as they are.
  return /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("/") || href.startsWith("#")
    ? href
    : root + href;
}

function renderResult(widget, output, result) {
  const severity = SEVERITY[result.severity] || SEVERITY.info;
  const item = el("li", `checker-result is-${result.severity}`);
  item.dataset.axis = result.axis;
  item.dataset.state = result.state;
  item.dataset.severity = result.severity;

  const head = el("div", "checker-result-head");
  const badge = el("span", "checker-badge");
  const icon = el("span", "checker-icon", severity.icon);
  icon.setAttribute("aria-hidden", "true");
  badge.append(icon, el("span", "checker-severity", severity.label));
  head.append(badge, el("h3", "checker-result-title", result.title));
  item.append(head);

  for (const k of keyDates({ today: output.today, results: [result] })) {
    const line = el("p", "checker-key-date");
    line.dataset.kind = k.kind;
    const time = el("time", "", k.date);
    time.dateTime = k.date;
    const rest = keyDateText(k.date, k.days).slice(k.date.length);
    line.append(el("span", "checker-key-date-label", `${k.label}：`), time, rest);
    item.append(line);
  }
  if (result.summary) item.append(el("p", "checker-summary", result.summary));
  if (Array.isArray(result.actions) && result.actions.length) {
    const list = el("ul", "checker-actions");
    for (const action of result.actions) list.append(el("li", "", action));
    item.append(list);
  }
  if (Array.isArray(result.links) && result.links.length) {
    const list = el("ul", "checker-links");
    for (const link of result.links) {
      const a = el("a", "", link.title);
      a.href = linkHref(widget.dataset.root || "", link.href);
      const li = el("li");
      li.append(a);
      list.append(li);
    }
    item.append(list);
  }
  return item;
}

function render(widget, output) {
  const results = widget.querySelector('[data-role="results"]');
  const list = results.querySelector('[data-role="result-list"]');
  const message = widget.querySelector('[data-role="message"]');
  const status = widget.querySelector('[data-role="status"]');
  const toolbar = widget.querySelector('[data-role="toolbar"]');
  const ics = widget.querySelector('[data-role="ics"]');
  clearFieldNotes(widget);
  list.replaceChildren();
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
      if (!noteField(widget, e.field, e.message, false)) loose.push(e.message);
    }
    if (loose.length) {
      message.textContent = loose.join(" ");
      message.hidden = false;
    }
    results.hidden = true;
    toolbar.hidden = true;
    const invalid = output.errors.filter((e) => e.field).length;
    status.textContent = invalid ? `有 ${invalid} 处输入需要修改，修改后显示结果。` : loose.join(" ");
    return;
  }
  for (const w of output.warnings) {
    if (!noteField(widget, w.field, w.message, true)) appendMessage(message, w.message);
  }
  for (const result of output.results) list.append(renderResult(widget, output, result));
  const today = results.querySelector('[data-role="today"]');
  if (today) today.textContent = `按 ${output.today}（北京时间）计算。`;
  results.hidden = false;
  widget.lastOutput = output;
  mark("beian-checker-first-answer");

  const ahead = keyDates(output).filter((k) => k.days >= 0).length;
  toolbar.hidden = false;
  if (ics) {
    ics.disabled = ahead === 0;
    ics.title = ahead === 0 ? "没有今天或以后的关键日期可导出" : `导出 ${ahead} 个关键日期`;
  }
  status.textContent =
    "检查结果：" +
    output.results.map((r) => `${r.title}（${(SEVERITY[r.severity] || SEVERITY.info).label}）`).join("；");
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
  const { text, count } = buildCalendar(output, {
    now: Date.now(),
    uidDomain: location.hostname || "beian-guide.local",
    pageUrl: /^https?:/.test(location.protocol) ? pageUrl(widget) : undefined,
    calendarName: "备案相关日期提醒",
  });
  if (count === 0) return;
  const blob = new Blob([text], { type: "text/calendar;charset=utf-8" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `beian-dates-${output.today}.ics`;
  document.body.append(a);
  a.click();
  a.remove();
  // Give the download a moment to start before the object URL goes away.
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

function setUp(widget) {
  const form = widget.querySelector('[data-role="form"]');
  if (!form) return;
  const sync = widget.dataset.syncUrl !== undefined;
  if (sync) restore(form, location.search);
  openFilledGroups(form);
  for (const hidden of widget.querySelectorAll("[data-js-only]")) hidden.hidden = false;
  const openFull = widget.querySelector('[data-role="open-full"]');

  let checker = null;
  let loading = null;
  // Whether the reader changed anything yet. Until then a form whose values say nothing about
  // the situation (only `today` from the URL, say) shows nothing rather than NO_INPUT.
  let interacted = false;
  // `explicit`: the reader pressed the button, so an empty form gets the checker's NO_INPUT
  // message instead of silently showing nothing.
  const update = (explicit = false) => {
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
    if (!checker) return;
    const input = readInput(form);
    if (Object.keys(input).length === 0 && explicit !== true) {
      render(widget, null);
      return;
    }
    try {
      const output = JSON.parse(checker.classify(JSON.stringify(input), shanghaiToday(Date.now())));
      const onlyNoInput = output.errors.length > 0 && output.errors.every((e) => e.code === "NO_INPUT");
      render(widget, onlyNoInput && !interacted && explicit !== true ? null : output);
    } catch (e) {
      fail(e);
    }
  };
  const fail = (e) => {
    widget.dataset.state = "failed";
    const message = widget.querySelector('[data-role="message"]');
    message.textContent = "检查器没能在这个浏览器里加载，请对照下方的规则表自行判断。";
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
      },
      (e) => fail(e),
    );
    return loading;
  };

  const edited = () => {
    interacted = true;
    update();
  };
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
    start().then(() => {
      update(true);
      const results = widget.querySelector('[data-role="results"]');
      if (!results.hidden) results.focus();
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
