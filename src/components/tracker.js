// leptos-consent: the browser half of the tracker, in plain JS. The server appends it to
// the page's runtime (cookie_policy.js) when the shop tracks, and writes the tracking
// settings into the script element's data-tracking: the category events need ("s"
// statistics, "t" tracking), then "1"/"0" for "held until the shopper opts in" and for "the
// server emitted this page's render-time events" ("s10").
// Pages get it minified (tracker.min.js): after editing this file, run `cargo xtask runtime`.
//
// The WASM hands each event over as an `lc-track` event on document, its detail an array:
// [hydrating ("1" or ""), type, product, module, user, then property name and value pairs]
// (undefined where the event has none). Here events queue and go to the shop's collect
// endpoint in batches (fetch with keepalive; sendBeacon when the page is hidden). Without
// consent they are dropped, or with opt-in required held until the shopper opts in; held
// events die with the page, and with the route: a client-side navigation discards what was
// held for the page left, as a full page load would. The consent is window.CookiePolicy's,
// which the runtime keeps current before this code hears `cookiepolicychange`.
(function (w, d) {
  var script = d.currentScript;
  var settings = (script && script.getAttribute("data-tracking")) || "";
  var key = { s: "allowStatisticsCookies", t: "allowTrackingCookies" }[settings[0]];
  if (!key || !w.fetch) return;
  var optIn = settings[1] === "1";
  var serverEmits = settings[2] === "1";
  var path = "/_consent/collect";
  // At most this many events go in one request (the endpoint takes up to 50); events wait
  // 250 ms for others to join their batch.
  var batch = 20;
  var outgoing = [];
  // [page, event] pairs: the page (path and query) an event was held on.
  var held = [];
  var scheduled = false;
  // The shopper is deleting every cookie of the shop: this page sends nothing more (a
  // request still carrying the old ids would bring them back).
  var forgotten = false;

  function allowed() {
    return !!w.CookiePolicy[key];
  }
  function decided() {
    return !!script.getAttribute("data-decision");
  }
  // The page as the router sees it: a #fragment is not another page.
  function here() {
    return w.location.pathname + w.location.search;
  }

  // A uuid v7 (the time in milliseconds, then random bits): time-ordered ids keep the
  // server's dedupe index growing at its end.
  function timeOrderedId() {
    var bytes = w.crypto.getRandomValues(new Uint8Array(16));
    for (var i = 5, time = Date.now(); i >= 0; i--, time = Math.floor(time / 256)) bytes[i] = time % 256;
    bytes[6] = (bytes[6] & 15) | 112;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = "";
    for (i = 0; i < 16; i++) hex += (bytes[i] + 256).toString(16).slice(1) + (i === 3 || i === 5 || i === 7 || i === 9 ? "-" : "");
    return hex;
  }

  // Sends what is queued, in batches: with sendBeacon when the page is going away (it
  // outlives the page), else with fetch and keepalive. A refused batch (consent changed
  // meanwhile, a full queue) is the server's to log.
  function send(leaving) {
    while (outgoing.length) {
      var body = new URLSearchParams({ batch: "[" + outgoing.splice(0, batch).join(",") + "]" });
      if (leaving && w.navigator.sendBeacon) w.navigator.sendBeacon(path, body);
      else w.fetch(path, { method: "POST", keepalive: true, body: body }).catch(function () {});
    }
  }

  // Event::check's limits (the endpoint refuses a whole batch for one event outside them):
  // at most 16 properties; the product, the module, property names and values of at most 256
  // bytes without control characters; property names not empty.
  function outside(fields) {
    if (fields.length - 5 > 2 * 16) return "more than 16 properties";
    for (var i = 2; i < fields.length; i++) {
      var field = fields[i];
      if (i === 4 || field === undefined) continue;
      if (new TextEncoder().encode(field).length > 256 || /[\u0000-\u001f\u007f-\u009f]/.test(field) || (i > 4 && i % 2 && !field)) {
        return "a field is empty, longer than 256 bytes or holds control characters";
      }
    }
  }

  // Queues, holds or drops an event, as the shopper's consent says.
  function enqueue(fields) {
    var hold = !allowed() && optIn && !decided();
    if (forgotten || (!allowed() && !hold)) return;
    var page = here();
    var event = { id: timeOrderedId(), at: Date.now(), page: page, type: fields[1] };
    if (fields[2] !== undefined) event.product = fields[2];
    if (fields[3] !== undefined) event.module = fields[3];
    if (fields.length > 5) {
      event.properties = {};
      for (var i = 5; i < fields.length; i += 2) event.properties[fields[i]] = fields[i + 1];
    }
    if (fields[4] !== undefined) event.user = fields[4];
    var json = JSON.stringify(event);
    if (hold) {
      // Held events die with their route, as with a full page load.
      held = held.filter(function (pair) {
        return pair[0] === page;
      });
      held.push([page, json]);
      return;
    }
    outgoing.push(json);
    if (outgoing.length >= batch) send(false);
    else if (!scheduled) {
      scheduled = true;
      setTimeout(function () {
        scheduled = false;
        send(false);
      }, 250);
    }
  }

  d.addEventListener("lc-track", function (event) {
    var fields = event.detail;
    var invalid = outside(fields);
    if (invalid) return w.console.warn("leptos-consent: event dropped: " + invalid);
    // While the page hydrates, render-time events are the server's, which it emitted
    // already when it could.
    if (fields[0] && serverEmits) return;
    // A page view rendered by a client-side navigation belongs to the new URL, which the
    // router puts in the address bar after rendering the page; other events (a click)
    // belong to the page where they happen, now.
    if (!fields[0] && (fields[1] === "pageview" || fields[1] === "productview")) {
      setTimeout(function () {
        enqueue(fields);
      }, 0);
    } else enqueue(fields);
  });

  d.addEventListener("cookiepolicychange", function () {
    if (allowed()) {
      var page = here();
      held.forEach(function (pair) {
        if (pair[0] === page) outgoing.push(pair[1]);
      });
      held = [];
      send(false);
    } else {
      // Refused: what was held will never be sent.
      if (decided()) held = [];
      outgoing = [];
    }
  });

  d.addEventListener("visibilitychange", function () {
    if (d.visibilityState === "hidden") send(true);
  });
  w.addEventListener("pagehide", function () {
    send(true);
  });
  // <DeleteCookiesButton/>'s form is being submitted: what waits is dropped, and nothing
  // more is sent, not even on pagehide, so that no request with the old ids races the
  // deletion and sets them again.
  d.addEventListener("submit", function (event) {
    if (event.target.classList && event.target.classList.contains("lc-forget")) {
      forgotten = true;
      outgoing = [];
      held = [];
    }
  });
})(window, document);
