import { type Page, expect, test } from '@playwright/test';
import { ShopPage } from './fixtures/shop_page';

test.afterEach(async ({ context }) => {
  await context.clearCookies();
});

/** The shopper on `path` once they allowed statistics only. */
async function statisticsOnly(page: Page, path: string) {
  const shop = new ShopPage(page);
  await shop.goto(path);
  await shop.hydrated();
  await shop.customize.click();
  await shop.toggle('Statistics').check();
  await shop.saveChoices.click();
  await expect(shop.banner).toBeHidden();
  return shop;
}

test('an embed behind a consent gate loads only once its category is allowed, in place', async ({ page }) => {
  const videos: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/demo-video')) videos.push(request.url());
  });
  // The shopper first allows statistics only.
  const shop = await statisticsOnly(page, '/products/1');

  const gate = page.locator('.lc-gate');
  await expect(gate).toContainText('Here is a video from our roastery.');
  await expect(page.locator('iframe.product__video')).toHaveCount(0);
  expect(videos).toEqual([]);

  await gate.getByRole('button', { name: 'Allow marketing cookies' }).click();
  await expect(page.locator('iframe.product__video')).toBeVisible();
  await expect(gate).toBeHidden();
  expect(videos).toHaveLength(1);
  // Statistics stayed allowed; marketing was added; functional was not.
  await shop.expectAllowed(['system', 'statistics', 'tracking']);
  expect(page.url()).toContain('/products/1');
});

test('without JavaScript the gate posts the choice and comes back with the embed', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const shop = new ShopPage(page);
  await shop.goto('/products/2');
  await expect(page.locator('iframe.product__video')).toHaveCount(0);
  await page.locator('.lc-gate').getByRole('button', { name: 'Allow marketing cookies' }).click();
  await expect(page).toHaveURL(/\/products\/2$/);
  await expect(page.locator('iframe.product__video')).toHaveCount(1);
  await expect(shop.banner).toHaveCount(0);
  await context.close();
});

test('a gate rendered after client-side navigation offers the same placeholder, in place', async ({ page }) => {
  const shop = await statisticsOnly(page, '/products/1');
  const served = await page.locator('.lc-gate').innerHTML();

  // A recommendation: the router renders the next product page, its gate included.
  await page.locator('.recommended a').first().click();
  await expect(page).toHaveURL(/\/products\/\d+$/);
  const path = new URL(page.url()).pathname;
  const gate = page.locator('.lc-gate');
  await expect(gate).toContainText('Here is a video from our roastery.');
  // The page's runtime built what the server writes (but the page to come back to, which
  // it writes when it posts the form).
  const same = (html: string) => html.replace(/<!---->/g, '').replace(/(name="return_to" value=")[^"]*"/, '$1"');
  expect(same(await gate.innerHTML())).toBe(same(served));
  const posted = page.waitForRequest('**/_consent/decide');
  await gate.getByRole('button', { name: 'Allow marketing cookies' }).click();
  expect(new URLSearchParams((await posted).postData() ?? '').get('return_to')).toBe(path);
  await expect(page.locator('iframe.product__video')).toBeVisible();
  await expect(gate).toBeHidden();
  await shop.expectAllowed(['system', 'statistics', 'tracking']);
  expect(new URL(page.url()).pathname).toBe(path);
});

test('the gate lets its embed in before the WASM has loaded, and keeps it out until then', async ({ page }) => {
  // The WASM never arrives: the page's small runtime posts the offer and lets the embed in.
  await page.route('**/*.wasm', (route) => route.abort());
  const videos: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/demo-video')) videos.push(request.url());
  });
  await page.goto('/products/3');
  const gate = page.locator('.lc-gate');
  await expect(gate).toContainText('Here is a video from our roastery.');
  // The embed waits in a template, where nothing loads.
  await expect(page.locator('iframe.product__video')).toHaveCount(0);
  expect(await page.locator('.lc-gated > template').evaluate((kept: HTMLTemplateElement) => kept.content.querySelectorAll('iframe').length)).toBe(1);
  expect(videos).toEqual([]);

  await gate.getByRole('button', { name: 'Allow marketing cookies' }).click();
  await expect(page.locator('iframe.product__video')).toBeVisible();
  await expect(gate).toBeHidden();
  await expect(page.locator('.lc-gated > template')).toHaveCount(0);
  expect(videos).toHaveLength(1);
  expect(new URL(page.url()).pathname).toBe('/products/3');
  await expect(page.locator('.shop')).not.toHaveAttribute('data-hydrated', 'true');
});

test('markup put in the page runs no script through a gate: its embed goes in without scripts', async ({ page }) => {
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.hydrated();
  // As an HTML injection (a review, a product text) could write it: a gate of an allowed
  // category whose embed holds a script. Under the page's strict-dynamic CSP a script the
  // runtime inserted would run.
  await page.evaluate(() => {
    const gate = document.createElement('div');
    gate.className = 'lc-gated';
    gate.innerHTML =
      '<div class="lc-gate" data-category="system"></div>' +
      '<template><p class="injected">shown</p><script>window.__injected = 1</script></template>';
    document.querySelector('main')!.appendChild(gate);
  });
  await expect(page.locator('.lc-gated p.injected')).toHaveText('shown');
  await expect(page.locator('.lc-gated script')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
});
