// The demo shop's statistics tag: it stands in for an analytics script. The shop loads it
// only while the shopper allows statistics cookies; it sets `_demo_stats`, a random id that
// the shop registered in its cookie registry (see the terms page's cookie details).
(function () {
  window.__demoStatsRuns = (window.__demoStatsRuns || 0) + 1;
  if (!/(?:^|;\s*)_demo_stats=/.test(document.cookie)) {
    var id = Math.random().toString(36).slice(2, 12);
    document.cookie = "_demo_stats=" + id + "; path=/; max-age=2592000; samesite=lax";
  }
})();
