// What clicking "Accept all" costs a shopper on a slow phone: the demo shop's release build
// in Chromium with 4× CPU throttling. `cargo xtask interaction` builds and serves the shop
// and runs this; by hand: `node bench/interaction.mjs <shop URL> [<baseline URL>] [runs]`,
// where the baseline is the same shop built without leptos-consent (the demo's `baseline`
// feature), whose hydration is measured alike for comparison.
//
// Per run, in a fresh browser context: loads `/` with the banner showing, waits for the
// hydration, and clicks "Accept all" as a shopper does. It reads from the page itself:
//
// - the click's interaction (Event Timing, `PerformanceObserver` of `event` entries): its
//   duration from input to the next paint (what INP reports), and the handlers' time;
// - whether the banner is hidden in the frame after the click (`requestAnimationFrame`);
// - long tasks (over 50 ms) from navigation to hydration, and after the click.
//
// It prints every run and the median. A benchmark, not a test: nothing here fails on a
// figure.
import { readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const baseline = process.argv[3];
const runs = Number(process.argv[4] ?? 7);
const THROTTLING = 4;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: JSON.parse(readFileSync(new URL('../chromium.json', import.meta.url), 'utf8')).args,
});

// Installed before the page's own scripts: the observers, and a note of the click.
function instrument() {
  const perf = { events: [], longTasks: [], hiddenNextFrame: null, clickAt: null };
  window.__perf = perf;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      perf.events.push({
        name: e.name,
        interactionId: e.interactionId,
        startTime: e.startTime,
        duration: e.duration,
        processing: e.processingEnd - e.processingStart,
        delay: e.processingStart - e.startTime,
      });
    }
  }).observe({ type: 'event', durationThreshold: 16, buffered: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) perf.longTasks.push({ startTime: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  addEventListener(
    'click',
    () => {
      perf.clickAt = performance.now();
      requestAnimationFrame(() => {
        const banner = document.querySelector('section.lc-banner');
        perf.hiddenNextFrame = !!banner && banner.hidden;
      });
    },
    { capture: true },
  );
}

/** A fresh, throttled, instrumented page on `url`, hydrated; and when it was. */
async function hydratedPage(url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLING });
  await page.addInitScript(instrument);
  await page.goto(`${url}/`);
  await page.locator('.shop[data-hydrated=true]').waitFor({ timeout: 60_000 });
  const hydratedAt = await page.evaluate(() => performance.now());
  await page.waitForTimeout(500);
  return { context, page, hydratedAt };
}

/** The longest task from navigation to hydration. */
const longestUntil = (perf, at) => Math.max(0, ...perf.longTasks.filter((t) => t.startTime < at).map((t) => t.duration));

const results = [];
for (let run = 1; run <= runs; run++) {
  let baselineLongest = null;
  if (baseline) {
    const { context, page, hydratedAt } = await hydratedPage(baseline);
    baselineLongest = longestUntil(await page.evaluate(() => window.__perf), hydratedAt);
    await context.close();
  }
  const { context, page, hydratedAt } = await hydratedPage(base);
  // A real click at the button's place (CDP input, as a person's), without Playwright's
  // actionability checks, whose in-page scripts would run right before it and delay it.
  const box = await page.locator('section.lc-banner').getByRole('button', { name: 'Accept all' }).boundingBox();
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.locator('section.lc-banner').waitFor({ state: 'hidden' });
  // The server's answer and the page's update after it.
  await page.locator('[data-testid=consent-status] li[data-category=tracking][data-allowed=true]').waitFor();
  await page.waitForTimeout(1000);
  const perf = await page.evaluate(() => window.__perf);
  const click = perf.events.filter((e) => e.interactionId && e.startTime >= perf.clickAt - 100);
  const inp = Math.max(0, ...click.map((e) => e.duration));
  const handlers = click.reduce((sum, e) => sum + e.processing, 0);
  const hydrationTasks = perf.longTasks.filter((t) => t.startTime < hydratedAt).map((t) => t.duration);
  const afterClick = perf.longTasks.filter((t) => t.startTime >= perf.clickAt).map((t) => t.duration);
  const result = {
    inp,
    handlers,
    hiddenNextFrame: perf.hiddenNextFrame,
    hydrationLongest: Math.max(0, ...hydrationTasks),
    hydrationTasks: hydrationTasks.length,
    afterClickLongest: Math.max(0, ...afterClick),
    baselineLongest,
  };
  results.push(result);
  console.log(
    `run ${run}: click interaction ${inp.toFixed(0)} ms (handlers ${handlers.toFixed(1)} ms), ` +
      `banner hidden in the next frame: ${result.hiddenNextFrame ? 'yes' : 'no'}; ` +
      `long tasks until hydrated: ${hydrationTasks.length} (longest ${result.hydrationLongest.toFixed(0)} ms` +
      (baseline ? `; without leptos-consent ${baselineLongest.toFixed(0)} ms), ` : '), ') +
      `after the click: longest ${result.afterClickLongest.toFixed(0)} ms`,
  );
  await context.close();
}
await browser.close();

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
console.log(
  `\n"Accept all" at ${THROTTLING}× CPU throttling, release build, median of ${runs} runs:\n` +
    `| click interaction (INP entry) | handlers | banner hidden in the next frame | longest task until hydrated | the same without leptos-consent | longest task after the click |\n` +
    `|---|---|---|---|---|---|\n` +
    `| ${median(results.map((r) => r.inp)).toFixed(0)} ms | ${median(results.map((r) => r.handlers)).toFixed(1)} ms | ` +
    `${results.filter((r) => r.hiddenNextFrame).length} of ${runs} runs | ` +
    `${median(results.map((r) => r.hydrationLongest)).toFixed(0)} ms | ` +
    `${baseline ? `${median(results.map((r) => r.baselineLongest)).toFixed(0)} ms` : 'not measured'} | ` +
    `${median(results.map((r) => r.afterClickLongest)).toFixed(0)} ms |`,
);
