// The demo shop's heatmap tag: it stands in for a session-recording service (Hotjar,
// Clarity). It belongs to the service "heatmap" under statistics: it runs only while the
// shopper allows that service (the whole category, or the service on its own).
(function () {
  window.__demoHeatmapRuns = (window.__demoHeatmapRuns || 0) + 1;
})();
