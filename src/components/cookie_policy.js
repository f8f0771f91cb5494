// leptos-consent: `window.CookiePolicy` and consent-gated scripts, before any shop script
// and before the WASM loads. The page writes the policy object in a script element in front
// of this file's (which the ConsentLayer serves: src/server/runtime_file.rs).
// Pages get it minified (cookie_policy.min.js): after editing this file, run
// `cargo xtask runtime` (`cargo xtask test` fails until the two agree).
//
// Gated markup, as the shop platforms define it (this file never spells out a closing
// script tag, so it could be inlined into a script element):
//   script type="text/plain" class="cpc-script-inline-statistics", with the code inside
//   script data-cpc-src="/tag.js" class="cpc-script-src-tracking", empty
// runs once, in document order, as soon as its category is allowed: at load, when the
// shopper decides in the page (the `cookiepolicychange` event), and when the page adds
// such markup later (client-side navigation). Each copy carries the page's CSP nonce.
// A further class cpc-service-<id> (a service the shop declared) makes it wait for that
// service too: it runs when CookiePolicy.services[id] is true, never for an unknown id.
// CookiePolicy.services is written here, from the script element's data-services (the
// declared services, "id:category" in their order) and the decision's refused services.
//
// After a decision in the page the WASM writes the recorded decision into the element's
// data-decision (the compact form the consent cookie carries: <consent id>.<granted
// bits>.<action code>.<time>[.<refused services' bits>], all hex but the time) and
// dispatches cookiepolicychange; this code, listening first, brings CookiePolicy and the
// element's data-lc-decision (the markup contract for privacy tools) up to date from it
// before the shop's listeners run.
//
// It also keeps the customize panel's toggles in step, with or without the WASM: a
// category's toggle sets its services'; a service's sets its category's (half-ticked while
// only some are ticked).
//
// Only markup that carries the page's nonce itself is activated (on a page served with
// one): gated markup is code, and an HTML injection elsewhere on the page (a review, a
// product text) must not become script execution under the page's CSP. What the server
// rendered is trusted once the parser is done, before the app hydrates (hydration may drop
// the nonce attribute); markup added later needs the nonce then. External sources must be
// http(s) URLs.
(function (w, d) {
  var policy = w.CookiePolicy;
  policy.allowStatisdicsCookies = policy.allowStatisticsCookies;
  var script = d.currentScript;
  var nonce = (script && script.nonce) || "";
  var googleConsentMode = !!script && script.hasAttribute("data-google-consent-mode");
  var keys = {
    system: "",
    functional: "allowFunctionalCookies",
    statistics: "allowStatisticsCookies",
    tracking: "allowTrackingCookies",
  };
  var pattern = /(?:^|\s)cpc-script-(inline|src)-(system|functional|statistics|tracking)(?:\s|$)/;
  var servicePattern = /(?:^|\s)cpc-service-([a-z0-9_-]+)(?:\s|$)/;
  var ran = {};
  var ranServices = {};
  var queue = [];
  var busy = false;
  var selector = "script[class*='cpc-script-']";
  var trusted = new WeakSet();

  function carriesNonce(gated) {
    return !nonce || gated.nonce === nonce || trusted.has(gated);
  }

  function httpSource(gated) {
    try {
      var url = new URL(gated.getAttribute("data-cpc-src"), w.location.href);
      return url.protocol === "https:" || url.protocol === "http:";
    } catch (e) {
      return false;
    }
  }

  function allowed(category) {
    return !keys[category] || !!w.CookiePolicy[keys[category]];
  }

  var actions = { a: "accept_all", r: "reject_all", c: "custom", k: "acknowledge" };
  var categoryBits = { functional: 2, statistics: 4, tracking: 8 };

  // The element's data-decision, or null while undecided.
  function decision() {
    var fields = ((script && script.getAttribute("data-decision")) || "").split(".");
    if (fields.length < 4 || !actions[fields[2]]) return null;
    return { granted: parseInt(fields[1], 16), action: actions[fields[2]], refused: parseInt(fields[4] || "0", 16) };
  }

  function publishServices() {
    var declared = script && script.getAttribute("data-services");
    if (!declared) return;
    var decided = decision();
    var refused = decided ? decided.refused : 0;
    var services = {};
    declared.split(" ").forEach(function (service, i) {
      var parts = service.split(":");
      services[parts[0]] = allowed(parts[1]) && !(refused & (1 << i));
    });
    w.CookiePolicy.services = services;
  }
  publishServices();

  function serviceAllowed(id) {
    var services = w.CookiePolicy.services;
    return !!services && services[id] === true;
  }

  function collect() {
    var found = d.querySelectorAll(selector);
    for (var i = 0; i < found.length; i++) {
      var gated = found[i];
      var match = pattern.exec(gated.className);
      if (!match || gated.hasAttribute("data-cpc-done") || !allowed(match[2])) continue;
      var service = servicePattern.exec(gated.className);
      if (service && !serviceAllowed(service[1])) continue;
      if (!carriesNonce(gated)) continue;
      if (match[1] === "inline" && gated.type !== "text/plain") continue;
      if (match[1] === "src" && !httpSource(gated)) continue;
      gated.setAttribute("data-cpc-done", "");
      ran[match[2]] = true;
      if (service) ranServices[service[1]] = true;
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
    copy.nonce = nonce;
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

  // The banner shows while the shopper has not decided, except on ?HideCookieDialog=1 pages
  // (the first such pair of the query, as the server reads it). The server rendered it so;
  // after a decision in the page and after client-side navigation it follows here.
  function hiddenHere() {
    var pairs = w.location.search.slice(1).split("&");
    for (var i = 0; i < pairs.length; i++) {
      if (pairs[i].split("=")[0] === "HideCookieDialog") return pairs[i] === "HideCookieDialog=1";
    }
    return false;
  }
  function showBanner() {
    var banner = d.querySelector("[data-lc-banner]");
    if (banner) banner.hidden = !!decision() || hiddenHere();
  }
  if (w.navigation) w.navigation.addEventListener("currententrychange", showBanner);
  else w.addEventListener("popstate", showBanner);

  d.addEventListener("cookiepolicychange", function () {
    var decided = decision();
    showBanner();
    if (decided) {
      for (var name in categoryBits) w.CookiePolicy[keys[name]] = !!(decided.granted & categoryBits[name]);
      script.setAttribute("data-lc-decision", decided.action);
    }
    w.CookiePolicy.allowStatisdicsCookies = w.CookiePolicy.allowStatisticsCookies;
    publishServices();
    syncGates();
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
    for (var id in ranServices) {
      if (!serviceAllowed(id)) return w.location.reload();
    }
    collect();
  });
  // A gate (<ConsentGate/>) shows its placeholder while its category is not allowed, and
  // its content only while it is: the content waits in a <template>, where nothing loads,
  // goes into the page when the category is allowed and back when it is withdrawn. No
  // script in it runs from here: a gate is markup anyone who can put markup in the page
  // could write, and scripts inserted by this code would pass a strict-dynamic CSP.
  function syncGates() {
    var gates = d.querySelectorAll(".lc-gated>.lc-gate");
    for (var i = 0; i < gates.length; i++) {
      var gate = gates[i];
      var on = allowed(gate.getAttribute("data-category"));
      var kept = gate.nextElementSibling;
      kept = kept && kept.tagName === "TEMPLATE" ? kept : null;
      gate.hidden = on;
      if (on && kept) {
        var content = d.importNode(kept.content, true);
        content.querySelectorAll("script").forEach(function (code) {
          code.remove();
        });
        kept.replaceWith(content);
      }
      if (!on && !kept) {
        kept = d.createElement("template");
        while (gate.nextSibling) kept.content.appendChild(gate.nextSibling);
        gate.after(kept);
      }
    }
  }
  function serviceToggles(form, category) {
    return form.querySelectorAll('.lc-service__toggle[data-category="' + category + '"]');
  }
  d.addEventListener("change", function (event) {
    var input = event.target;
    var form = input.form;
    if (!form || !input.classList) return;
    var services, i;
    if (input.classList.contains("lc-category__toggle")) {
      services = serviceToggles(form, input.name);
      for (i = 0; i < services.length; i++) services[i].checked = input.checked;
    } else if (input.classList.contains("lc-service__toggle")) {
      var category = input.getAttribute("data-category");
      var toggle = form.querySelector("#lc-category-" + category);
      services = serviceToggles(form, category);
      var ticked = 0;
      for (i = 0; i < services.length; i++) if (services[i].checked) ticked++;
      if (toggle) {
        toggle.checked = ticked === services.length;
        toggle.indeterminate = ticked > 0 && ticked < services.length;
      }
    }
  });
  // The keyboard focus leaves the consent UI (about to be hidden), or a lost focus goes, to
  // the page's <main>.
  function focusMain() {
    var active = d.activeElement;
    var main = d.querySelector("main");
    if (!main || (active && active !== d.body && !active.closest(".lc-root"))) return;
    if (!main.hasAttribute("tabindex")) main.setAttribute("tabindex", "-1");
    main.focus();
  }

  // The banner's and the gates' forms decide in place, with or without the WASM: posted as
  // the browser would post them (their fields and the pressed button's choice); the
  // recorded decision (the answer's x-consent-decision header) goes into data-decision and
  // cookiepolicychange announces it (the gates' content appears; the WASM, when loaded,
  // follows from the event). Forms that are not ours are left to the browser.
  var choices = { reject_all: 1, accept_all: 1, custom: 1, acknowledge: 1 };
  // The page the shopper is on now, for a form of ours to come back to (it may have been
  // rendered for another, before client-side navigation).
  function comeBackHere(form) {
    var back = form.querySelector("[name=return_to]");
    if (back) back.value = w.location.pathname + w.location.search;
  }
  function post(form, button) {
    comeBackHere(form);
    var fields = new URLSearchParams(new FormData(form));
    fields.append("choice", button.value);
    return w
      .fetch(form.getAttribute("action"), {
        method: "POST",
        // A shopper who follows a link right after the click keeps the decision.
        keepalive: true,
        headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
        body: fields.toString(),
      })
      .then(function (response) {
        var compact = response.ok && response.headers.get("x-consent-decision");
        if (!compact) throw new Error("not recorded: " + response.status);
        script.setAttribute("data-decision", compact);
        d.dispatchEvent(new CustomEvent("cookiepolicychange", { bubbles: true, detail: w.CookiePolicy }));
      });
  }
  // The banner hides in the frame of the click, and the post waits until that frame is
  // painted, so the interaction costs the shopper almost nothing. A refusal brings it back
  // with the reason. The two messages are the server's, on the error element.
  function decideInBanner(form, button) {
    var banner = form.parentElement;
    var root = form.closest(".lc-root");
    var error = form.querySelector(".lc-banner__error");
    banner.setAttribute("hidden", "");
    w.requestAnimationFrame(function () {
      focusMain();
      setTimeout(function () {
        post(form, button)
          .then(function () {
            var status = root && root.querySelector(".lc-root__status");
            if (status && error) status.textContent = error.getAttribute("data-saved");
            // Again: a re-render may have taken it.
            focusMain();
          })
          .catch(function () {
            banner.removeAttribute("hidden");
            if (error) error.textContent = error.getAttribute("data-save-failed");
          });
      }, 0);
    });
  }
  d.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    // <DeleteCookiesButton/>'s form, posted by the browser.
    if (form.classList && form.classList.contains("lc-forget")) comeBackHere(form);
    if (!script || !w.fetch || !form.classList || !button || !choices[button.value]) return;
    var inBanner = form.classList.contains("lc-banner__form");
    if (!inBanner && !form.classList.contains("lc-gate__form")) return;
    event.preventDefault();
    if (inBanner) decideInBanner(form, button);
    else post(form, button).catch(function (error) {
      w.console.warn("leptos-consent: the decision was not saved: " + error.message);
    });
  });

  // The cookie details grid, true to document.cookie: the server rendered it for the
  // request's cookies; scripts may have set more since. When document.cookie holds a name the
  // grid was not rendered for (or the grid was never rendered, after client-side
  // navigation), the server renders it again for those names. Asked for by opening the
  // banner's cookie details, once the page has loaded (every grid), and for a grid added
  // empty (see fill).
  function cookieNames() {
    var names = [];
    d.cookie.split(";").forEach(function (pair) {
      var name = pair.split("=")[0].trim();
      if (name && names.indexOf(name) < 0) names.push(name);
    });
    return names;
  }
  // The names a grid is being asked for: the same question is not asked twice while its
  // answer is on the way (the load, the banner's toggle and a grid appearing may ask at
  // once), and only the latest question's answer is shown.
  var asking = new WeakMap();
  function refreshGrid(grid) {
    var present = cookieNames();
    var content = grid.querySelector("[data-lc-checked]");
    var checked = content ? content.getAttribute("data-lc-checked").split(";") : null;
    if (checked && present.every(function (name) { return checked.indexOf(name) >= 0; })) return;
    var names = present.join(";");
    if (asking.get(grid) === names) return;
    asking.set(grid, names);
    var latest = function () {
      return asking.get(grid) === names;
    };
    w.fetch("/_consent/cookie-details?" + new URLSearchParams({ present: names }))
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (html) {
        if (typeof html === "string" && latest()) grid.innerHTML = html;
      })
      .catch(function () {})
      .then(function () {
        if (latest()) asking.delete(grid);
      });
  }
  d.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest(".lc-banner__cookie-details-toggle");
    var grid = toggle && toggle.nextElementSibling;
    if (grid) refreshGrid(grid);
  });
  w.addEventListener("load", function () {
    var grids = d.querySelectorAll(".lc-cookie-details");
    for (var i = 0; i < grids.length; i++) refreshGrid(grids[i]);
  });

  // The consent UI the WASM renders after client-side navigation is built here from what it
  // carries, so the WASM builds no markup: a gate's placeholder (data-lc-message and
  // data-lc-allow, the texts of the page's language, with data-lc-what and
  // data-lc-category put in), the policy text's paragraphs and grids
  // (data-lc-policy, the shop's text), as the server renders them. A grid added empty is
  // asked of the server once.
  function element(tag, parent, className, text) {
    var made = d.createElement(tag);
    if (className) made.className = className;
    if (text) made.textContent = text;
    parent.appendChild(made);
    return made;
  }
  function hidden(form, name, value) {
    var input = element("input", form);
    input.type = "hidden";
    input.name = name;
    input.value = value;
  }
  // A text of the gate's with its {what} and {category} put in, in one pass.
  function gateText(gate, name) {
    return gate.getAttribute(name).replace(/\{(what|category)\}/g, function (_, key) {
      return gate.getAttribute("data-lc-" + key);
    });
  }
  function fillGate(gate) {
    element("p", gate, "lc-gate__message", gateText(gate, "data-lc-message"));
    var form = element("form", gate, "lc-gate__form");
    form.setAttribute("action", "/_consent/decide");
    form.method = "post";
    hidden(form, "return_to", "");
    // Adds the category to what the shopper already allowed and refused.
    hidden(form, "add", "true");
    hidden(form, gate.getAttribute("data-category"), "true");
    var button = element("button", form);
    button.type = "submit";
    button.name = "choice";
    button.value = "custom";
    button.className = "lc-button lc-gate__allow";
    button.textContent = gateText(gate, "data-lc-allow");
  }
  // Paragraphs are separated by blank lines; a paragraph's lines are joined by a space; the
  // grid goes where the text says [[CookieDetails]].
  function fillPolicy(box) {
    box.getAttribute("data-lc-policy").split("[[CookieDetails]]").forEach(function (part, i) {
      if (i) element("div", box, "lc-cookie-details");
      var lines = [];
      (part + "\n").split("\n").forEach(function (line) {
        line = line.trim();
        if (line) lines.push(line);
        else if (lines.length) {
          element("p", box, "", lines.join(" "));
          lines = [];
        }
      });
    });
  }
  var asked = new WeakSet();
  function fill() {
    var found = d.querySelectorAll(".lc-gate[data-lc-allow]:empty,.lc-policy-text[data-lc-policy]:empty");
    for (var i = 0; i < found.length; i++) (found[i].hasAttribute("data-lc-allow") ? fillGate : fillPolicy)(found[i]);
    var grids = d.querySelectorAll(".lc-cookie-details:empty");
    for (i = 0; i < grids.length; i++) {
      if (asked.has(grids[i])) continue;
      asked.add(grids[i]);
      refreshGrid(grids[i]);
    }
  }

  // A "Cookie settings" link (<ChangeConsentLink/>) goes to the page the shopper is on, also
  // after client-side navigation (the server wrote the page it rendered): pointed there as it
  // is about to be followed (pressed, focused, opened in a new tab).
  function pointHere(event) {
    var link = event.target.closest && event.target.closest("a.lc-change-consent");
    if (!link) return;
    var url = new URL(w.location.href);
    // The banner must show after the reset, also on a ?HideCookieDialog=1 page.
    url.searchParams.delete("HideCookieDialog");
    url.searchParams.set("ChangeCookiePolicyConsent", "1");
    link.setAttribute("href", url.pathname + url.search);
  }
  ["pointerdown", "focusin", "click", "contextmenu"].forEach(function (type) {
    d.addEventListener(type, pointHere, true);
  });

  // What the page's markup asks for: gated scripts to run, consent UI to build, gates'
  // content in or out.
  function follow() {
    collect();
    fill();
    syncGates();
  }
  // Watching for markup added later starts once the parser is done, so that it never sees
  // a gated script whose text has not been parsed yet.
  function start() {
    var rendered = d.querySelectorAll(selector);
    for (var i = 0; i < rendered.length; i++) {
      if (rendered[i].nonce === nonce) trusted.add(rendered[i]);
    }
    follow();
    new MutationObserver(follow).observe(d.documentElement, { childList: true, subtree: true });
  }
  if (d.readyState === "loading") d.addEventListener("DOMContentLoaded", start);
  else start();
})(window, document);
