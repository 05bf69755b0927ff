// theme.js: the colour-scheme toggle (auto → light → dark, remembered), the small-screen sidebar
// drawer, keyboard access to wide tables, and opening folded rules tables for printing.
// No framework; the inline script in <head> (partials/theme-init.html) already applied the saved
// scheme before first paint, so this file only wires the controls.
(function () {
  "use strict";
  var doc = document;
  var root = doc.documentElement;
  var KEY = "theme";
  // Texts in the page's language: the JSON block rendered from the theme's string table.
  var T = {};
  try {
    var block = doc.getElementById("ui-strings");
    if (block) T = JSON.parse(block.textContent) || {};
  } catch (e) {
    T = {};
  }
  var LABELS = { auto: T["theme-auto"] || "", light: T["theme-light"] || "", dark: T["theme-dark"] || "" };
  var NEXT = { auto: "light", light: "dark", dark: "auto" };

  function saved() {
    try {
      var v = localStorage.getItem(KEY);
      return v === "light" || v === "dark" ? v : "auto";
    } catch (e) {
      return "auto";
    }
  }

  // Colour scheme: "auto" removes the attribute so the CSS follows prefers-color-scheme.
  var pref = saved();
  function apply(p) {
    pref = p;
    if (p === "auto") root.removeAttribute("data-theme");
    else root.setAttribute("data-theme", p);
    try {
      if (p === "auto") localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, p);
    } catch (e) {
      // Storage can be disabled (private mode): the choice then lasts for this page only.
    }
  }
  var toggles = doc.querySelectorAll("[data-theme-toggle]");
  function showAll() {
    for (var j = 0; j < toggles.length; j++) {
      var btn = toggles[j];
      btn.querySelector("[data-theme-label]").textContent = LABELS[pref];
      btn.setAttribute("data-pref", pref);
      btn.title = String(T["theme-title"] || "").replace("{label}", LABELS[pref]);
    }
  }
  for (var i = 0; i < toggles.length; i++) {
    toggles[i].hidden = false;
    toggles[i].addEventListener("click", function () {
      apply(NEXT[pref]);
      showAll();
    });
  }
  showAll();

  // Sidebar drawer: only on small screens (the CSS shows the sidebar inline on wide ones).
  var navBtn = doc.querySelector("[data-nav-toggle]");
  var sidebar = doc.getElementById("sidebar");
  if (navBtn && sidebar) {
    var wide = window.matchMedia("(min-width: 48rem)");
    var setOpen = function (open, focusBack) {
      navBtn.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) sidebar.setAttribute("data-open", "");
      else sidebar.removeAttribute("data-open");
      if (open) {
        var first = sidebar.querySelector("[aria-current=page]") || sidebar.querySelector("a");
        if (first) first.focus();
      } else if (focusBack) {
        navBtn.focus();
      }
    };
    navBtn.hidden = false;
    navBtn.addEventListener("click", function (ev) {
      ev.stopPropagation();
      setOpen(navBtn.getAttribute("aria-expanded") !== "true", false);
    });
    var closeBtn = sidebar.querySelector("[data-nav-close]");
    if (closeBtn) {
      closeBtn.hidden = false;
      closeBtn.addEventListener("click", function () {
        setOpen(false, true);
      });
    }
    // Tabbing out of the open drawer closes it, so focus never sits behind it.
    sidebar.addEventListener("focusout", function (ev) {
      if (sidebar.hasAttribute("data-open") && ev.relatedTarget && !sidebar.contains(ev.relatedTarget)) {
        setOpen(false, false);
      }
    });
    doc.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && sidebar.hasAttribute("data-open")) setOpen(false, true);
    });
    doc.addEventListener("click", function (ev) {
      if (sidebar.hasAttribute("data-open") && !sidebar.contains(ev.target)) setOpen(false, false);
    });
    var onChange = function () {
      if (wide.matches && sidebar.hasAttribute("data-open")) setOpen(false, false);
    };
    if (wide.addEventListener) wide.addEventListener("change", onChange);
  }

  // Sticky table of contents: mark the section being read (aria-current="location").
  var tocLinks = doc.querySelectorAll(".page > .toc a[href^='#']");
  if (tocLinks.length && "IntersectionObserver" in window) {
    var byId = {};
    var heads = [];
    for (var t = 0; t < tocLinks.length; t++) {
      var id = decodeURIComponent(tocLinks[t].getAttribute("href").slice(1));
      var h = doc.getElementById(id);
      if (h) {
        byId[id] = tocLinks[t];
        heads.push(h);
      }
    }
    var current = null;
    var mark = function (link) {
      if (link === current) return;
      if (current) current.removeAttribute("aria-current");
      if (link) link.setAttribute("aria-current", "location");
      current = link;
    };
    var io = new IntersectionObserver(
      function () {
        // The last heading above the upper third of the viewport is the one being read.
        var limit = window.innerHeight / 3;
        var active = null;
        for (var q = 0; q < heads.length; q++) {
          if (heads[q].getBoundingClientRect().top <= limit) active = heads[q];
        }
        mark(active ? byId[active.id] : null);
      },
      { rootMargin: "0px 0px -66% 0px" }
    );
    for (var u = 0; u < heads.length; u++) io.observe(heads[u]);
  }

  // Tables scroll sideways on small screens; one that overflows must be reachable by keyboard.
  var tables = doc.querySelectorAll(".markdown table, .checker-rules table");
  function markScrollable() {
    for (var k = 0; k < tables.length; k++) {
      var t = tables[k];
      if (t.scrollWidth > t.clientWidth + 1) t.setAttribute("tabindex", "0");
      else t.removeAttribute("tabindex");
    }
  }
  markScrollable();
  window.addEventListener("resize", markScrollable);

  // Task-list boxes from Markdown (`- [ ]`) come without a label; name each by its item's text
  // so screen readers announce more than "checkbox".
  var boxes = doc.querySelectorAll(".markdown li > input[type=checkbox]:not([aria-label])");
  for (var b = 0; b < boxes.length; b++) {
    var text = (boxes[b].parentNode.textContent || "").replace(/\s+/g, " ").trim();
    if (text) boxes[b].setAttribute("aria-label", text.slice(0, 120));
  }

  // Search boxes (partials/search.html): shown now; search.js loads when the reader first
  // reaches for one (focus, a tap, the `/` shortcut), so it weighs nothing on a page's first load.
  var boxes = doc.querySelectorAll("[data-search][data-script]");
  var searchScript = null;
  function loadSearch() {
    if (searchScript || !boxes.length) return;
    searchScript = doc.createElement("script");
    searchScript.src = boxes[0].getAttribute("data-script");
    searchScript.onerror = function () {
      searchScript.remove();
      searchScript = null;
      for (var f = 0; f < boxes.length; f++) {
        boxes[f].setAttribute("data-state", "failed");
        var said = boxes[f].querySelector("[data-role=status]");
        if (said) said.textContent = T["search-failed"] || "";
      }
    };
    doc.head.appendChild(searchScript);
  }
  // The `/` shortcut exists only with a keyboard: advertised where there is a fine pointer and room.
  var keyboard = window.matchMedia && matchMedia("(hover: hover) and (pointer: fine) and (min-width: 40rem)").matches;
  for (var sb = 0; sb < boxes.length; sb++) {
    var field = boxes[sb].querySelector("input");
    boxes[sb].hidden = false;
    if (!field) continue;
    var hint = boxes[sb].getAttribute("data-shortcut-hint");
    if (hint && keyboard) field.placeholder += hint;
    field.addEventListener("focus", loadSearch);
    field.addEventListener("pointerdown", loadSearch);
  }
  if (boxes.length) {
    doc.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      var t = e.target;
      var tag = t && t.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
      var input = boxes[0].querySelector("input");
      if (!input) return;
      e.preventDefault();
      input.focus();
      input.select();
    });
  }

  // The language switch keeps the reader's place: the anchor being read and, on the checker
  // page and on pages with an embedded checker, the inputs (the checker page mirrors them in
  // the address; an embed the reader filled names its own on `data-query`, see checker.js).
  function carry(a) {
    var base = a.getAttribute("data-href") || a.getAttribute("href");
    a.setAttribute("data-href", base);
    var url = new URL(base, location.href);
    var filled = doc.querySelector("[data-checker][data-query]");
    var query = filled ? filled.getAttribute("data-query") : doc.querySelector("[data-checker]") ? location.search.slice(1) : "";
    url.search = query ? "?" + query : "";
    url.hash = location.hash;
    a.href = url.href;
  }
  var switches = doc.querySelectorAll(".lang-switcher a[hreflang]");
  for (var w = 0; w < switches.length; w++) {
    (function (a) {
      var update = function () {
        carry(a);
      };
      // Before the link is followed, copied or opened in a new tab.
      a.addEventListener("pointerdown", update);
      a.addEventListener("focus", update);
      a.addEventListener("click", update);
      a.addEventListener("contextmenu", update);
    })(switches[w]);
  }

  // Offline after a first visit (http(s) only; a page opened from disk registers nothing): the
  // build's service worker, sw.js at the site root (src/offline.rs). Its first install
  // downloads the site's core files, so it waits until no checker on the page is still loading
  // its engine: on a slow network those downloads would hold back the answer (issue 20).
  var me = doc.currentScript;
  if (me && /^https?:$/.test(location.protocol) && "serviceWorker" in navigator) {
    var sw = new URL("sw.js", me.src).href;
    var register = function () {
      navigator.serviceWorker.register(sw).catch(function () {
        // Private modes and some browsers refuse workers: the site works as before.
      });
    };
    var loading = function () {
      return doc.querySelector('[data-checker][data-state="loading"]');
    };
    window.addEventListener("load", function () {
      if (!loading()) return register();
      var settled = new MutationObserver(function () {
        if (loading()) return;
        settled.disconnect();
        register();
      });
      settled.observe(doc.body, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
    });
  }

  // A closed <details> does not print its content: open the rules tables while printing.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    var folded = doc.querySelectorAll("details.checker-rules:not([open])");
    for (var n = 0; n < folded.length; n++) {
      folded[n].open = true;
      opened.push(folded[n]);
    }
  });
  window.addEventListener("afterprint", function () {
    while (opened.length) opened.pop().open = false;
  });
})();
