// The live-reload client of `beian-guide serve`, injected into served pages only (never into
// `build` output). Reloads on `reload`, shows the error overlay on `build-error`, and reloads
// on (re)connect when the page is older than the last good build. The server fills in the
// upper-case placeholders (src/serve/reload.rs) before injecting it.
(() => {
  const me = document.currentScript;
  const gen = Number(me.dataset.serveGeneration);
  const show = (text) => {
    let o = document.getElementById("__OVERLAY_ID__");
    if (!o) {
      o = document.createElement("div");
      o.id = "__OVERLAY_ID__";
      o.setAttribute("role", "alert");
      o.style.cssText = "__OVERLAY_STYLE__";
      document.body.appendChild(o);
    }
    o.textContent = "";
    const p = document.createElement("p");
    p.textContent = "__OVERLAY_TITLE__";
    p.style.cssText = "__TITLE_STYLE__";
    const pre = document.createElement("pre");
    pre.style.cssText = "__PRE_STYLE__";
    pre.textContent = text;
    o.append(p, pre);
  };
  const es = new EventSource("__EVENTS__");
  es.addEventListener("state", (e) => {
    const s = JSON.parse(e.data);
    if (s.error) {
      show(s.error);
    } else if (s.generation !== gen) {
      location.reload();
    }
  });
  es.addEventListener("reload", () => location.reload());
  es.addEventListener("build-error", (e) => show(JSON.parse(e.data).error));
})();
