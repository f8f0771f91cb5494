// leptos-consent: `window.CookiePolicy` and consent-gated scripts, before any shop script
// and before the WASM loads. The server writes the policy object in front of this code.
//
// Gated markup, as the shop platforms define it (this file is inlined into a script
// element, so it never spells out a closing script tag):
//   script type="text/plain" class="cpc-script-inline-statistics", with the code inside
//   script data-cpc-src="/tag.js" class="cpc-script-src-tracking", empty
// runs once, in document order, as soon as its category is allowed: at load, when the
// shopper decides in the page (the `cookiepolicychange` event), and when the page adds
// such markup later (client-side navigation). Each copy carries the page's CSP nonce.
(function (w, d) {
  var policy = w.CookiePolicy;
  policy.allowStatisdicsCookies = policy.allowStatisticsCookies;
  var nonce = (d.currentScript && d.currentScript.nonce) || "";
  var googleConsentMode = !!d.currentScript && d.currentScript.hasAttribute("data-google-consent-mode");
  var keys = {
    system: "",
    functional: "allowFunctionalCookies",
    statistics: "allowStatisticsCookies",
    tracking: "allowTrackingCookies",
  };
  var pattern = /(?:^|\s)cpc-script-(inline|src)-(system|functional|statistics|tracking)(?:\s|$)/;
  var ran = {};
  var queue = [];
  var busy = false;

  function allowed(category) {
    return !keys[category] || !!w.CookiePolicy[keys[category]];
  }

  function collect() {
    var found = d.querySelectorAll("script[class*='cpc-script-']");
    for (var i = 0; i < found.length; i++) {
      var gated = found[i];
      var match = pattern.exec(gated.className);
      if (!match || gated.hasAttribute("data-cpc-done") || !allowed(match[2])) continue;
      if (match[1] === "inline" && gated.type !== "text/plain") continue;
      gated.setAttribute("data-cpc-done", "");
      ran[match[2]] = true;
      queue.push([gated, match[1]]);
    }
    next();
  }

  // One at a time: an external script is loaded before the next one runs.
  function next() {
    if (busy || !queue.length) return;
    var item = queue.shift();
    var gated = item[0];
    var copy = d.createElement("script");
    copy.nonce = gated.nonce || nonce;
    if (item[1] === "src") {
      busy = true;
      copy.onload = copy.onerror = function () {
        busy = false;
        next();
      };
      copy.src = gated.getAttribute("data-cpc-src");
    } else {
      copy.text = gated.text;
    }
    // Into <head>: the body belongs to the app, which hydrates exactly what the server
    // rendered; where a script element sits does not change what it does.
    d.head.appendChild(copy);
    next();
  }

  d.addEventListener("cookiepolicychange", function () {
    w.CookiePolicy.allowStatisdicsCookies = w.CookiePolicy.allowStatisticsCookies;
    if (googleConsentMode && typeof w.gtag === "function") {
      var ads = allowed("tracking") ? "granted" : "denied";
      w.gtag("consent", "update", {
        ad_storage: ads,
        ad_user_data: ads,
        ad_personalization: ads,
        analytics_storage: allowed("statistics") ? "granted" : "denied",
      });
    }
    // A script that ran cannot be unloaded: when its category is revoked, reload the page
    // (which then renders without it).
    for (var category in ran) {
      if (!allowed(category)) return w.location.reload();
    }
    collect();
  });
  // Watching for markup added later starts once the parser is done, so that it never sees
  // a gated script whose text has not been parsed yet.
  function start() {
    collect();
    new MutationObserver(collect).observe(d.documentElement, { childList: true, subtree: true });
  }
  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", start);
  else start();
})(window, document);
