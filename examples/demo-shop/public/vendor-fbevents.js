// Stands in for Meta's fbevents.js (the demo has no internet). Like fbevents.js, it takes
// over the queue the set-up made; it sets no cookie, and says that it ran.
(function () {
  var runs = (window.__vendorRuns = window.__vendorRuns || {});
  runs.fbevents = (runs.fbevents || 0) + 1;
  window.__fbqQueued = ((window.fbq && window.fbq.queue) || []).map(function (command) {
    return Array.prototype.slice.call(command);
  });
})();
