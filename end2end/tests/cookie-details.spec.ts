import { expect, test } from '@playwright/test';
import { ShopPage } from './fixtures/shop_page';

test.afterEach(async ({ context }) => {
  await context.clearCookies();
});

/** The rows of a grid: cookie name → the category group it is listed in. */
async function rows(grid: import('@playwright/test').Locator): Promise<Record<string, string>> {
  const pairs: [string, string][] = await grid.locator('.lc-cookie-details__group').evaluateAll((groups) =>
    groups.flatMap((group) =>
      [...group.querySelectorAll('tbody th')].map(
        (th) => [th.textContent ?? '', group.getAttribute('data-category') ?? ''] as [string, string],
      ),
    ),
  );
  // Each cookie is listed once (the tracking ids used to show under two categories).
  const names = pairs.map(([name]) => name);
  expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  return Object.fromEntries(pairs);
}

test('the banner shows the cookie details grid, and what scripts set after the page loaded', async ({ page }) => {
  const shop = new ShopPage(page);
  await shop.goto('/products/1');
  await shop.hydrated();
  // Set by scripts after the server rendered the page; `js_only` on a path the grid's
  // request to the server does not cover, so only document.cookie knows it.
  await page.evaluate(() => {
    document.cookie = '_ga_K4Z2Q=GS1.1.1; path=/';
    document.cookie = '_gat=1; path=/';
    document.cookie = 'js_only=1; path=/products';
  });
  const toggle = shop.banner.locator('summary', { hasText: 'Show cookie details' });
  const grid = shop.banner.locator('.lc-cookie-details');
  await expect(grid).toBeHidden();
  await toggle.click();
  await expect(grid).toBeVisible();
  await expect.poll(() => rows(grid)).toEqual({
    _demo_stats: 'statistics', // shop-local: always listed
    _demo_px: 'tracking', // shop-local too
    '_ga_*': 'statistics', // native, matched by pattern
    _gat: 'statistics',
    js_only: 'unknown',
  });
  const ga = grid.locator('tr', { hasText: '_ga_*' });
  await expect(ga).toContainText('Google LLC');
  await expect(ga).toContainText('2 years');
  // Lifetimes that are not whole days say so.
  await expect(grid.locator('tr', { hasText: '_gat' })).toContainText('1 minute');
  // The grid works inside the banner's form without deciding anything.
  await expect(shop.banner).toBeVisible();
});

test('without JavaScript the banner still toggles the grid', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  await context.addCookies([{ name: '_fbp', value: 'fb.1.1', url: 'http://127.0.0.1:3100' }]);
  const page = await context.newPage();
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.banner.locator('summary', { hasText: 'Show cookie details' }).click();
  const grid = shop.banner.locator('.lc-cookie-details');
  await expect(grid).toBeVisible();
  await expect(grid.locator('tr', { hasText: '_fbp' })).toContainText('Meta Platforms');
  await context.close();
});

test('the terms page puts the grid where its text says [[CookieDetails]]', async ({ page, context }) => {
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.hydrated();
  await shop.acceptAll.click();
  await expect(shop.banner).toBeHidden();
  // The statistics script now runs and sets its cookie; the product page remembers itself.
  await expect.poll(async () => (await context.cookies()).map((c) => c.name)).toContain('_demo_stats');
  await page.getByRole('link', { name: /Morning Fjord Roast/ }).first().click();
  await expect.poll(async () => (await context.cookies()).map((c) => c.name)).toContain('nk_last_product');

  await shop.goto('/terms');
  const grid = page.locator('.terms .lc-policy-text .lc-cookie-details');
  await expect(grid).toBeVisible();
  await expect(page.locator('.terms')).not.toContainText('[[CookieDetails]]');
  expect(await rows(grid)).toEqual({
    '__Host-lc_consent': 'system',
    _demo_stats: 'statistics',
    _demo_px: 'tracking',
    cemv: 'tracking', // the tracking context's visitor and session ids
    cems: 'tracking',
    nk_last_product: 'unknown', // set by the demo, deliberately not registered
  });
  await expect(grid.locator('tr', { hasText: '__Host-lc_consent' })).toContainText('This shop');
  await expect(grid.locator('tr', { hasText: '_demo_stats' })).toContainText('Demo statistics');
  await expect(grid.locator('tr', { hasText: 'nk_last_product' })).toContainText('Unknown');
  // The ids' lifetimes count from the last visit.
  await expect(grid.locator('tr', { hasText: 'cems' })).toContainText('20 minutes, renewed');
  await expect(grid.locator('tr', { hasText: 'cemv' })).toContainText('1 year, renewed');

  const paragraphs = await page.locator('.terms .lc-policy-text > p').allTextContents();
  expect(paragraphs.length).toBeGreaterThan(1);

  // After client-side navigation the page's runtime builds the text as the server did, and
  // asks the server for the grid.
  await page.locator('header').getByRole('link', { name: 'Shop' }).click();
  await page.locator('header').getByRole('link', { name: 'Terms' }).click();
  await expect.poll(() => page.locator('.terms .lc-policy-text > p').allTextContents()).toEqual(paragraphs);
  await expect(page.locator('.terms .lc-policy-text > .lc-cookie-details')).toHaveCount(1);
  await expect.poll(() => rows(grid)).toEqual({
    '__Host-lc_consent': 'system',
    _demo_stats: 'statistics',
    _demo_px: 'tracking',
    cemv: 'tracking',
    cems: 'tracking',
    nk_last_product: 'unknown',
  });
});

test('after "Reject all" the gated cookies are never set', async ({ page, context }) => {
  const shop = new ShopPage(page);
  await shop.goto('/products/1');
  await shop.hydrated();
  await shop.decide(shop.rejectAll);
  await shop.goto('/products/2');
  await shop.hydrated();
  await shop.goto('/terms');
  const names = (await context.cookies()).map((c) => c.name);
  expect(names).toEqual(['__Host-lc_consent']);
  const grid = page.locator('.terms .lc-cookie-details');
  expect(await rows(grid)).toEqual({ '__Host-lc_consent': 'system', _demo_stats: 'statistics', _demo_px: 'tracking' });
});
