import { type Page, expect, test } from '@playwright/test';
import { ADMIN_TOKEN } from '../playwright.config';
import { ShopPage } from './fixtures/shop_page';
import { screenshot } from './fixtures/screenshots';

// Consent per service: the demo declares "Visit counter" and "Heatmap" under statistics and
// "Nordlys Ads pixel" under marketing. The heatmap's script needs its service, not just the
// category.

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

async function services(page: Page) {
  return page.evaluate(() => (window as unknown as { CookiePolicy: { services?: Record<string, boolean> } }).CookiePolicy.services);
}

async function heatmapRuns(page: Page) {
  return page.evaluate(() => (window as unknown as { __demoHeatmapRuns?: number }).__demoHeatmapRuns ?? 0);
}

async function loggedServices(page: Page, request: import('@playwright/test').APIRequestContext) {
  const consentId = (await page.getByTestId('consent-id').textContent())!.replace(/^[^:]*:\s*/, '').trim();
  const log = await (await request.get(`/admin/consent-log?consent_id=${consentId}`, { headers: auth })).json();
  return log.records.map((record: { services: string[]; granted: string[] }) => ({ services: record.services, granted: record.granted }));
}

test('a category toggle sets its services, a service alone allows only itself, and only its script runs', async ({ page, request }) => {
  const shop = new ShopPage(page);
  await shop.goto('/products/1');
  await shop.hydrated();
  await shop.customize.click();
  const statistics = shop.toggle('Statistics');
  const counter = shop.banner.getByRole('checkbox', { name: 'Visit counter' });
  const heatmap = shop.banner.getByRole('checkbox', { name: 'Heatmap' });
  // Nothing pre-ticked; the category ticks all of its services, and unticks them.
  await expect(counter).not.toBeChecked();
  await statistics.check();
  await expect(counter).toBeChecked();
  await expect(heatmap).toBeChecked();
  // One service off: the category is no longer wholly on (shown half-ticked).
  await counter.uncheck();
  await expect(statistics).not.toBeChecked();
  expect(await statistics.evaluate((input: HTMLInputElement) => input.indeterminate)).toBe(true);
  expect(await services(page)).toEqual({ 'visit-counter': false, heatmap: false, 'ads-pixel': false });
  await screenshot(page, 'banner-services', { width: 390, height: 844 });
  await shop.decide(shop.saveChoices);

  // The heatmap is allowed on its own, and its script ran at once; the counter is not.
  expect(await services(page)).toEqual({ 'visit-counter': false, heatmap: true, 'ads-pixel': false });
  await expect.poll(() => heatmapRuns(page)).toBe(1);
  expect(await loggedServices(page, request)).toEqual([{ services: ['heatmap'], granted: ['system', 'statistics'] }]);
  // After a reload the server says the same.
  await page.reload();
  await shop.hydrated();
  expect(await services(page)).toEqual({ 'visit-counter': false, heatmap: true, 'ads-pixel': false });
  await expect.poll(() => heatmapRuns(page)).toBe(1);
});

test('the toggles keep in step before the WASM has loaded (the plain-JS runtime does it)', async ({ page }) => {
  // The WASM never arrives: what keeps the boxes in step is the page's own small script.
  await page.route('**/*.wasm', (route) => route.abort());
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.customize.click();
  await shop.toggle('Statistics').check();
  await expect(shop.banner.getByRole('checkbox', { name: 'Heatmap' })).toBeChecked();
  await shop.banner.getByRole('checkbox', { name: 'Heatmap' }).uncheck();
  await expect(shop.toggle('Statistics')).not.toBeChecked();
  expect(await shop.toggle('Statistics').evaluate((input: HTMLInputElement) => input.indeterminate)).toBe(true);
  await expect(page.locator('.shop')).not.toHaveAttribute('data-hydrated', 'true');
});

test('the visit counter alone: statistics allowed, the heatmap script never runs', async ({ page }) => {
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.hydrated();
  await shop.customize.click();
  await shop.banner.getByRole('checkbox', { name: 'Visit counter' }).check();
  await shop.decide(shop.saveChoices);
  expect(await services(page)).toEqual({ 'visit-counter': true, heatmap: false, 'ads-pixel': false });
  await shop.expectAllowed(['system', 'statistics']);
  await page.reload();
  await shop.hydrated();
  expect(await heatmapRuns(page)).toBe(0);
  await expect(page.locator('script.cpc-service-heatmap[data-cpc-done]')).toHaveCount(0);
});

test('without JavaScript, services are chosen in the same form', async ({ browser, request }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const shop = new ShopPage(page);
  await shop.goto('/products/2');
  await shop.customize.click();
  await shop.banner.getByRole('checkbox', { name: 'Nordlys Ads pixel' }).check();
  await shop.saveChoices.click();
  await expect(shop.banner).toHaveCount(0);
  expect(await loggedServices(page, request)).toEqual([{ services: ['ads-pixel'], granted: ['system', 'tracking'] }]);
  // The page the server renders for this shopper says so too: the declared services in
  // their order, and the decision, none refused (the pixel is marketing's only service).
  const policy = page.locator('#lc-cookie-policy');
  await expect(policy).toHaveAttribute('data-services', 'visit-counter:statistics heatmap:statistics ads-pixel:tracking');
  // Marketing (bits 1 + 8) by a custom choice, with no fifth field: nothing refused.
  await expect(policy).toHaveAttribute('data-decision', /^[0-9a-f]{32}\.9\.c\.\d+$/);
  await context.close();
});

test("a gate's offer adds its category and keeps the services refused on their own", async ({ page, request }) => {
  const shop = new ShopPage(page);
  await shop.goto('/products/1');
  await shop.hydrated();
  await shop.customize.click();
  await shop.banner.getByRole('checkbox', { name: 'Heatmap' }).check();
  await shop.decide(shop.saveChoices);
  // The video's gate allows marketing in place: the pixel joins, the counter stays refused.
  await page.locator('.lc-gate').getByRole('button', { name: 'Allow marketing cookies' }).click();
  await expect(page.locator('iframe.product__video')).toBeVisible();
  await expect.poll(() => services(page)).toEqual({ 'visit-counter': false, heatmap: true, 'ads-pixel': true });
  await shop.expectAllowed(['system', 'statistics', 'tracking']);
  expect((await loggedServices(page, request)).at(-1)).toEqual({ services: ['heatmap', 'ads-pixel'], granted: ['system', 'statistics', 'tracking'] });
  // The server's page after a reload agrees.
  await page.reload();
  await shop.hydrated();
  expect(await services(page)).toEqual({ 'visit-counter': false, heatmap: true, 'ads-pixel': true });
});
