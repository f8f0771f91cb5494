// Stands in for Google's gtag.js (the demo has no internet). Like gtag.js, it reads the
// commands the set-up queued in `dataLayer`; it sets no cookie, and says that it ran.
(function () {
  var runs = (window.__vendorRuns = window.__vendorRuns || {});
  runs.gtag = (runs.gtag || 0) + 1;
  window.__gtagConfigured = (window.dataLayer || [])
    .filter(function (command) { return command[0] === "config"; })
    .map(function (command) { return command[1]; });
})();
