/* Accord loader: finds widget elements, reserves their height, and loads the
 * wasm widget lazily (when an element nears the viewport, or on idle).
 * Embed: <script src=".../accord-loader.js" defer></script>
 *        <div data-accord-rulebook="/rulebooks/inbound.json"></div>
 * The widget files are fetched from the loader's own URL, so they may be
 * served from another origin than the page. See docs/embedding.md. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL(".", (script && script.src) || location.href).href;
  var app = null;
  var mounted = new WeakSet();
  var SELECTOR = "[data-accord-rulebook],[data-accord-rulebook-json]";

  // First-touch attribution: the first page of the visit, its referrer and
  // UTM parameters, kept in this browser for 90 days and sent only inside a
  // submitted record's context. `data-accord-first-touch="off"` on this
  // script turns it off and forgets what was kept.
  var FIRST = "accord:first-touch";
  try {
    if (script && script.getAttribute("data-accord-first-touch") === "off") localStorage.removeItem(FIRST);
    else {
      var kept = JSON.parse(localStorage.getItem(FIRST) || "null");
      if (!kept || !(Date.now() - Date.parse(kept.seen_at) < 90 * 864e5)) {
        // Only where the visit came from: the page without its query (but
        // its UTM parameters) and fragment, the referrer's page without
        // either. Tokens and personal data in URLs are not kept.
        var q = new URLSearchParams(location.search), utm = new URLSearchParams(), t = { seen_at: new Date().toISOString() };
        ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"].forEach(function (k) {
          if (q.get(k)) { t[k] = q.get(k); utm.set(k, q.get(k)); }
        });
        t.page_url = location.origin + location.pathname + (String(utm) ? "?" + utm : "");
        if (document.referrer) {
          var r = new URL(document.referrer);
          t.referrer = r.origin + r.pathname;
        }
        localStorage.setItem(FIRST, JSON.stringify(t));
      }
    }
  } catch (e) { /* no storage (private mode, sandbox): no first touch */ }

  function load() {
    if (!app) {
      app = import(base + "accord/accord-widget.js").then(function (m) {
        return m.default({ module_or_path: base + "accord/accord-widget_bg.wasm" }).then(function () { return m; });
      });
      app.catch(function () { app = null; });
    }
    return app;
  }

  function options(el, extra) {
    var d = el.dataset, o = { assetBase: base + "accord/" };
    if (d.accordRulebook) o.rulebook = new URL(d.accordRulebook, location.href).href;
    if (d.accordRulebookJson) o.rulebookJson = d.accordRulebookJson;
    if (d.accordEndpoint) o.endpoint = new URL(d.accordEndpoint, location.href).href;
    if (d.accordReportEndpoint) o.reportEndpoint = new URL(d.accordReportEndpoint, location.href).href;
    if (d.accordShadow) o.shadow = new URL(d.accordShadow, location.href).href;
    ["encoding", "headers", "audience", "theme", "preview", "minFillMs", "dataLayerAnswers", "locale"].forEach(function (k) {
      var v = d["accord" + k[0].toUpperCase() + k.slice(1)];
      if (v != null) o[k] = v;
    });
    for (var k in extra || {}) o[k] = extra[k];
    return o;
  }

  function mount(el, extra) {
    if (mounted.has(el)) return Promise.resolve(el);
    mounted.add(el);
    return load().then(function (m) {
      m.mount(el, options(el, extra));
      el.style.minHeight = "";
      el.dispatchEvent(new CustomEvent("accord:ready", { bubbles: true }));
      return el;
    }).catch(function (err) {
      mounted.delete(el);
      console.error("accord: could not load the widget", err);
      throw err;
    });
  }

  function unmount(el) {
    if (!mounted.has(el)) return;
    mounted.delete(el);
    load().then(function (m) { m.unmount(el); });
  }

  var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 2000); };

  function watch(el) {
    if (!el.style.minHeight) el.style.minHeight = (el.dataset.accordHeight || "420") + "px";
    var go = function () { mount(el).catch(function () {}); };
    if ("IntersectionObserver" in window) {
      var io = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) { io.disconnect(); go(); }
      }, { rootMargin: "200px" });
      io.observe(el);
    }
    idle(go, { timeout: 4000 });
  }

  function pending() {
    try { return !!localStorage.getItem("accord:outbox"); } catch (e) { return false; }
  }

  function scan() {
    document.querySelectorAll(SELECTOR).forEach(watch);
    // Records a closed tab left behind go out from any page with the loader.
    if (pending()) idle(function () { load().then(function (m) { m.flushOutbox(); }); }, { timeout: 4000 });
  }

  window.Accord = {
    mount: mount,
    unmount: unmount,
    load: load,
    outbox: function () { return load().then(function (m) { return m.outbox(); }); },
    flush: function () { return load().then(function (m) { m.flushOutbox(); }); },
    retryFailed: function () { return load().then(function (m) { return m.retryFailed(); }); },
    version: "1"
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();
