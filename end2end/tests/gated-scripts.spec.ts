import { type Page, expect, test } from '@playwright/test';
import { ShopPage } from './fixtures/shop_page';

test.afterEach(async ({ context }) => {
  await context.clearCookies();
});

const GATED = /\/demo-stats\.js|\/demo-pixel\.gif/;

/** Records every request for a gated resource, and every CSP violation the page reports. */
async function watch(page: Page) {
  const gated: string[] = [];
  page.on('request', (request) => {
    if (GATED.test(request.url())) gated.push(new URL(request.url()).pathname);
  });
  const violations: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`Refused to load (CSP): ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  return { gated, violations };
}

/** Google Consent Mode v2 commands in the dataLayer, in order. */
async function consentMode(page: Page) {
  return page.evaluate(() =>
    ((window as unknown as { dataLayer?: IArguments[] }).dataLayer ?? [])
      .map((entry) => Array.from(entry))
      .filter((entry) => entry[0] === 'consent'),
  );
}

async function runs(page: Page) {
  return page.evaluate(() => {
    const w = window as unknown as { __demoStatsRuns?: number; __demoPixelRuns?: number };
    return { stats: w.__demoStatsRuns ?? 0, pixel: w.__demoPixelRuns ?? 0 };
  });
}

test('nothing gated runs before consent; accepting runs each tag once, in place', async ({ page, context }) => {
  const { gated, violations } = await watch(page);
  const shop = new ShopPage(page);
  await shop.goto('/products/1');
  await shop.hydrated();
  expect(await page.evaluate(() => (window as unknown as { CookiePolicy: object }).CookiePolicy)).toEqual({
    cookiesRequireConsent: true,
    allowFunctionalCookies: false,
    allowStatisticsCookies: false,
    allowStatisdicsCookies: false,
    allowTrackingCookies: false,
    services: { 'visit-counter': false, heatmap: false, 'ads-pixel': false },
  });
  await shop.goto('/');
  await shop.hydrated();
  expect(gated).toEqual([]);
  expect(await runs(page)).toEqual({ stats: 0, pixel: 0 });
  expect((await context.cookies()).map((c) => c.name)).toEqual([]);
  const denied = { ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied' };
  expect(await consentMode(page)).toEqual([['consent', 'default', denied]]);

  const events = page.evaluate(
    () =>
      new Promise<object>((resolve) =>
        window.addEventListener('cookiepolicychange', (e) => resolve((e as CustomEvent).detail), { once: true }),
      ),
  );
  await shop.acceptAll.click();
  await expect(shop.banner).toBeHidden();
  expect(await events).toMatchObject({ allowStatisticsCookies: true, allowStatisdicsCookies: true, allowTrackingCookies: true });
  await expect.poll(() => runs(page)).toEqual({ stats: 1, pixel: 1 });
  await expect.poll(async () => (await context.cookies()).map((c) => c.name).sort()).toEqual([
    '__Host-lc_consent',
    '_demo_px',
    '_demo_stats',
    'cems',
    'cemv',
  ]);
  expect(gated.sort()).toEqual(['/demo-pixel.gif', '/demo-stats.js']);
  const granted = { ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted', analytics_storage: 'granted' };
  expect(await consentMode(page)).toEqual([
    ['consent', 'default', denied],
    ['consent', 'update', granted],
  ]);

  // Client-side navigation does not run the tags (in the shell's <head>) a second time.
  await page.locator('header').getByRole('link', { name: 'Terms' }).click();
  await page.locator('header').getByRole('link', { name: 'Shop' }).click();
  await expect(page.locator('.shop')).toHaveAttribute('data-hydrated', 'true');
  expect(await runs(page)).toEqual({ stats: 1, pixel: 1 });
  expect(violations).toEqual([]);
});

test('a decided shopper gets the allowed tags at load, and only those', async ({ page }) => {
  const { gated, violations } = await watch(page);
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.hydrated();
  await shop.customize.click();
  await shop.toggle('Statistics').check();
  await shop.decide(shop.saveChoices);
  gated.length = 0;

  await shop.goto('/products/2');
  await shop.hydrated();
  await expect.poll(() => runs(page)).toEqual({ stats: 1, pixel: 0 });
  expect(gated).not.toContain('/demo-pixel.gif');
  expect(await page.evaluate(() => (window as unknown as { CookiePolicy: { allowStatisticsCookies: boolean } }).CookiePolicy.allowStatisticsCookies)).toBe(true);
  expect(violations).toEqual([]);
});

test('every page is served under a strict CSP with a fresh nonce', async ({ request }) => {
  const nonces = [];
  for (const path of ['/', '/', '/terms']) {
    const response = await request.get(path);
    const csp = response.headers()['content-security-policy'];
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9_-]{16,}' 'strict-dynamic' 'wasm-unsafe-eval'/);
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    const html = await response.text();
    expect(html).toContain(`<script id="lc-cookie-policy" nonce="${nonce}"`);
    nonces.push(nonce);
  }
  expect(new Set(nonces).size).toBe(3);
});

test('with JavaScript off nothing gated runs, and the banner still works', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const { gated } = await watch(page);
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.acceptAll.click();
  await expect(shop.banner).toBeHidden();
  await shop.goto('/products/1');
  expect(gated).toEqual([]);
  // The server's own cookies only: the decision and the tracking ids it allows.
  expect((await context.cookies()).map((c) => c.name).sort()).toEqual(['__Host-lc_consent', 'cems', 'cemv']);
  await context.close();
});

test('withdrawing consent removes the cookies of the tags that ran', async ({ page, context }) => {
  const shop = new ShopPage(page);
  await shop.goto('/products/1');
  await shop.hydrated();
  await shop.acceptAll.click();
  await expect.poll(async () => (await context.cookies()).map((c) => c.name).sort()).toEqual([
    '__Host-lc_consent',
    '_demo_px',
    '_demo_stats',
    'cems',
    'cemv',
    'nk_last_product',
  ]);

  // "Cookie settings": the server withdraws the decision and expires what the registry
  // knows of the optional categories (the demo's unregistered nk_last_product stays).
  await shop.changeConsent.click();
  await expect(shop.banner).toBeVisible();
  await shop.hydrated();
  expect((await context.cookies()).map((c) => c.name)).toEqual(['nk_last_product']);
  expect(await runs(page)).toEqual({ stats: 0, pixel: 0 });

  await shop.rejectAll.click();
  await expect(shop.banner).toBeHidden();
  await expect.poll(async () => (await context.cookies()).map((c) => c.name).sort()).toEqual(['__Host-lc_consent', 'nk_last_product']);
  expect(await runs(page)).toEqual({ stats: 0, pixel: 0 });
});

test('a category withdrawn in the page reloads it, since its scripts cannot be unloaded', async ({ page }) => {
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.hydrated();
  await shop.acceptAll.click();
  await expect.poll(() => runs(page)).toEqual({ stats: 1, pixel: 1 });
  // What the WASM does after a decision that withdraws statistics (e.g. from a shop's own
  // settings UI built on ConsentContext::decide): it writes the recorded decision (here all
  // but statistics: bits 1 + 2 + 8, a custom choice) and dispatches the event.
  await expect(page.locator('#lc-cookie-policy')).toHaveAttribute('data-lc-decision', 'accept_all');
  const reloaded = page.waitForEvent('load');
  await page.evaluate(() => {
    const script = document.getElementById('lc-cookie-policy')!;
    const [id, , , time] = script.getAttribute('data-decision')!.split('.');
    script.setAttribute('data-decision', [id, 'b', 'c', time].join('.'));
    document.dispatchEvent(new CustomEvent('cookiepolicychange', { bubbles: true, detail: (window as unknown as { CookiePolicy: object }).CookiePolicy }));
  });
  await reloaded;
  await shop.hydrated();
  // The server still holds "accept all", so the reloaded page runs both again, once.
  expect(await runs(page)).toEqual({ stats: 1, pixel: 1 });
});

test('injected gated markup never runs: only what carries the page nonce does', async ({ page }) => {
  const { violations } = await watch(page);
  const injected: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('injected')) injected.push(request.url());
  });
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.hydrated();
  await shop.acceptAll.click();
  await expect(shop.banner).toBeHidden();
  await expect.poll(() => runs(page)).toEqual({ stats: 1, pixel: 1 });
  // An HTML injection elsewhere on the page (a review, a product text) adds gated markup
  // of an allowed category, inline and external, without the nonce.
  await page.evaluate(() => {
    const holder = document.createElement('div');
    holder.innerHTML =
      '<script type="text/plain" class="cpc-script-inline-system">window.__injected = 1;</script>' +
      '<script type="text/plain" data-cpc-src="/demo-stats.js?injected" class="cpc-script-src-statistics"></script>' +
      '<script type="text/plain" data-cpc-src="javascript:window.__injected=2" class="cpc-script-src-system"></script>';
    document.body.appendChild(holder);
  });
  // The activator sees the new markup at once (a mutation observer); give it time to act.
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
  expect(injected).toEqual([]);
  expect(await runs(page)).toEqual({ stats: 1, pixel: 1 });
  expect(violations).toEqual([]);
});

test('the ready-made GA4 and Meta pixel tags load nothing before consent, then each its own', async ({ page }) => {
  const vendor: string[] = [];
  page.on('request', (request) => {
    if (/\/vendor-/.test(request.url())) vendor.push(new URL(request.url()).pathname);
  });
  const vendorRuns = () =>
    page.evaluate(() => (window as unknown as { __vendorRuns?: Record<string, number> }).__vendorRuns ?? {});
  const shop = new ShopPage(page);
  await shop.goto('/products/1');
  await shop.hydrated();
  expect(vendor).toEqual([]);
  expect(await vendorRuns()).toEqual({});
  expect(await page.evaluate(() => typeof (window as unknown as { fbq?: unknown }).fbq)).toBe('undefined');

  // Statistics only: Google Analytics, not the pixel.
  await shop.customize.click();
  await shop.toggle('Statistics').check();
  await shop.saveChoices.click();
  await expect(shop.banner).toBeHidden();
  await expect.poll(vendorRuns).toEqual({ gtag: 1 });
  expect(await page.evaluate(() => (window as unknown as { __gtagConfigured: string[] }).__gtagConfigured)).toEqual([
    'G-DEMO000000',
  ]);
  expect(vendor).toEqual(['/vendor-gtag.js']);

  // Then marketing too: the pixel, initialised with its id and a page view.
  await shop.changeConsent.click();
  await shop.hydrated();
  await shop.acceptAll.click();
  await expect.poll(vendorRuns).toEqual({ gtag: 1, fbevents: 1 });
  expect(await page.evaluate(() => (window as unknown as { __fbqQueued: unknown[][] }).__fbqQueued)).toEqual([
    ['init', '100000000000001'],
    ['track', 'PageView'],
  ]);
});
