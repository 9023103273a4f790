/* Accord loader: finds widget elements, reserves their height, and loads the
 * wasm widget lazily (when an element nears the viewport, or on idle).
 * Embed: <script src=".../accord-loader.js" defer></script>
 *        <div data-accord-rulebook="/rulebooks/inbound.json"></div>
 * The widget files are fetched from the loader's own URL, so they may be
 * served from another origin than the page. See docs/embedding.md. */
(function () {
  "use strict";
  // One loader per page: a second copy (the site's, and a snippet's own
  // <script>) would mount every widget again over the first's.
  if (window.Accord && window.Accord.mount) return;
  var script = document.currentScript;
  var base = new URL(".", (script && script.src) || location.href).href;
  // The widget's files, beside the loader. scripts/release points this at
  // the release's content-addressed folder (accord/<hash>/), which hosts may
  // cache for ever; the loader itself is the one short-cached URL.
  var ASSETS = base + "accord/";
  var app = null;
  var mounted = new WeakSet(), fallen = new WeakSet(); // fallen: showing the plain form
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

  // Parallel start: the glue, the wasm (compiled as it streams in), the
  // stylesheet and each widget's rulebook are all requested at once, so the
  // slowest of them, not their sum, is what a visitor waits for. The wasm's
  // response goes straight to the glue's init; the stylesheet and rulebooks
  // are preloaded (by mount below) for the widget's own requests.
  function load() {
    if (!app) {
      var wasm = fetch(ASSETS + "accord-widget_bg.wasm");
      wasm.catch(function () {}); // a failure surfaces through init below
      app = import(ASSETS + "accord-widget.js").then(function (m) {
        return m.default({ module_or_path: wasm }).then(function () {
          // Instantiating the wasm was one task; mounting is the next.
          return new Promise(function (next) { setTimeout(next); });
        }).then(function () { return m; });
      });
      app.catch(function () { app = null; });
    }
    return app;
  }

  var preloaded = {};
  function preload(href, as) {
    if (preloaded[href]) return;
    preloaded[href] = 1;
    var link = document.createElement("link");
    link.rel = "preload";
    link.as = as;
    link.href = href;
    if (as == "fetch") link.crossOrigin = "anonymous"; // as the widget's fetch asks
    document.head.appendChild(link);
  }

  function options(el, extra) {
    var d = el.dataset, o = { assetBase: ASSETS };
    if (d.accordRulebook) o.rulebook = new URL(d.accordRulebook, location.href).href;
    if (d.accordRulebookJson) o.rulebookJson = d.accordRulebookJson;
    if (d.accordEndpoint) o.endpoint = new URL(d.accordEndpoint, location.href).href;
    if (d.accordReportEndpoint) o.reportEndpoint = new URL(d.accordReportEndpoint, location.href).href;
    if (d.accordShadow) o.shadow = new URL(d.accordShadow, location.href).href;
    ["encoding", "headers", "audience", "theme", "preview", "minFillMs", "dataLayerAnswers", "locale", "enrich"].forEach(function (k) {
      var v = d["accord" + k[0].toUpperCase() + k.slice(1)];
      if (v != null) o[k] = v;
    });
    for (var k in extra || {}) o[k] = extra[k];
    return o;
  }

  function mount(el, extra) {
    if (mounted.has(el)) return Promise.resolve(el);
    if (fallen.has(el)) return Promise.reject(new Error("accord: the widget could not load here; the plain form stays"));
    mounted.add(el);
    var o = options(el, extra);
    // A prerendered form came with its stylesheet: the widget's own, unless
    // the snippet is older than the widget's files.
    var css = ASSETS + "accord.css", link = el.shadowRoot && el.shadowRoot.querySelector("link[rel=stylesheet]");
    if (!link || link.href != css) preload(css, "style");
    if (o.rulebook && !o.rulebookJson) preload(o.rulebook, "fetch");
    return load().then(function (m) {
      m.mount(el, o);
      el.style.minHeight = "";
      el.dispatchEvent(new CustomEvent("accord:ready", { bubbles: true }));
      return el;
    }).catch(function (err) {
      mounted.delete(el);
      explain(err).then(function (why) { console.error(why); });
      capture(el, o);
      // As the widget says when its rulebook cannot be used: a send held
      // over a prerendered form then goes as the form post it is.
      el.dispatchEvent(new CustomEvent("accord:error", { detail: String(err), bubbles: true, composed: true }));
      throw err;
    });
  }

  // Why the widget's files did not load, in words a site owner can act on:
  // the usual cause is a host that serves them to other sites without CORS.
  function explain(err) {
    var url = ASSETS + "accord-widget.js", no = function () {};
    return fetch(url, { mode: "cors", cache: "no-store" }).then(function (r) {
      return r.ok ? "accord: the widget from " + url + " could not start: " + err
        : "accord: " + url + " answered " + r.status + "; upload the whole widget package beside accord-loader.js";
    }, function () {
      return fetch(url, { mode: "no-cors", cache: "no-store" }).then(function () {
        return "accord: " + url + " is served without an Access-Control-Allow-Origin header, so " + location.origin +
          " cannot load the widget. Serve the widget's files with the header \"Access-Control-Allow-Origin: *\" (docs/deploy/README.md).";
      }, function () { return "accord: could not reach " + url + " (offline, or not allowed by the page's Content-Security-Policy)"; });
    }).catch(no);
  }

  // When the widget cannot load, a plain form that needs none of its files:
  // name, email and message sent to the endpoint (http or https only) as a
  // form post, which the inbox takes as a capture-only record
  // (docs/embedding.md). Sent with fetch, so the page stays and the browser
  // sends the page's origin; as a normal form post if fetch cannot reach it.
  // The submission id makes a repeated post one lead.
  function capture(el, o) {
    el.style.minHeight = "";
    fallen.add(el);
    var root = el.shadowRoot || el.attachShadow({ mode: "open" });
    if (!/^https?:$/.test(new URL(o.endpoint || "about:blank").protocol) || root.querySelector("form")) return;
    root.innerHTML = '<link rel="stylesheet" href="' + ASSETS + 'accord.css"><section class="accord" aria-labelledby="accord-title">' +
      '<h2 id="accord-title" tabindex="-1">Contact us</h2><form class="accord-form" method="post">' +
      '<div class="field"><label for="c-name">Name</label><input id="c-name" name="name" type="text" autocomplete="name" maxlength="200"></div>' +
      '<div class="field"><label for="c-email">Email<span class="req" aria-hidden="true"> *</span></label><input id="c-email" name="email" type="email" autocomplete="email" required maxlength="254"></div>' +
      '<div class="field"><label for="c-message">Message</label><textarea id="c-message" name="message" rows="3" maxlength="5000"></textarea></div>' +
      '<div class="trap"><label for="c-website">Leave this field empty if you are human</label><input id="c-website" name="website" type="text" tabindex="-1" autocomplete="off"></div>' +
      '<input type="hidden" name="page_url"><input type="hidden" name="submission_id"><div class="actions"><button type="submit">Send</button></div></form></section>';
    var form = root.querySelector("form"), f = form.elements;
    form.action = o.endpoint;
    f.page_url.value = location.href.split("#")[0];
    f.submission_id.value = crypto.randomUUID ? crypto.randomUUID() : "";
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      fetch(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)) }).then(function (r) {
        if (!r.ok) throw r;
        var h = root.getElementById("accord-title");
        h.textContent = "Thank you";
        form.outerHTML = "<p>We received your details and will be in touch.</p>";
        h.focus();
      }).catch(function () { form.submit(); });
    });
  }

  function unmount(el) {
    if (!mounted.has(el)) return;
    mounted.delete(el);
    load().then(function (m) { m.unmount(el); });
  }

  var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 2000); };

  // A form `accord embed` prerendered is usable before the widget runs: it
  // needs no reserved height. A send pressed before the widget took it over
  // waits for the widget, or goes as the plain form post it is when the
  // widget cannot take over (docs/embedding.md, "Prerendered form").
  function prerendered(el) {
    return !!(el.shadowRoot && el.shadowRoot.querySelector("[data-accord-prerendered]"));
  }
  function hold(el) {
    var root = el.shadowRoot, state = "waiting", held = null; // then "taken", or "stays"
    // Posting twice (a reload, a second press) is then one lead.
    var mark = function (form) {
      var id = form.elements.accord_submission_id;
      if (id && !id.value && crypto.randomUUID) id.value = crypto.randomUUID();
    };
    var post = function () {
      var form = held;
      held = null;
      if (!form || !form.getAttribute("action")) return;
      mark(form);
      form.submit();
    };
    el.addEventListener("accord:taken-over", function () {
      state = "taken";
      if (held) { held = null; root.querySelector("form").requestSubmit(); }
    }, { once: true });
    el.addEventListener("accord:error", function () {
      if (state == "waiting") { state = "stays"; post(); }
    });
    root.addEventListener("submit", function (e) {
      if (state == "waiting" && fallen.has(el)) state = "stays";
      if (state == "stays") mark(e.target); // the form post it is
      if (state != "waiting") return; // or the widget's form
      e.preventDefault();
      if (held) return;
      held = e.target;
      mount(el).catch(function () { state = "stays"; post(); });
      // A widget that never takes over (a rulebook that never arrives)
      // does not keep the send: after 8 s it goes as the form post.
      setTimeout(function () { if (state == "waiting" && held) { state = "stays"; post(); } }, 8000);
    }, true);
  }

  function watch(el) {
    if (prerendered(el)) hold(el);
    else if (!el.style.minHeight) el.style.minHeight = (el.dataset.accordHeight || "420") + "px";
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
