import { expect, test } from '@playwright/test';
import { ShopPage, expectServerWrittenCookie } from './fixtures/shop_page';

// The demo shop started with CONSENT_MODE=passive (see playwright.config.ts).

test.afterEach(async ({ context }) => {
  await context.clearCookies();
});

test('the passive banner only informs, blocks nothing and hides once acknowledged', async ({ page, context }) => {
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.hydrated();
  await expect(shop.banner).toHaveAttribute('data-mode', 'passive_info');
  await expect(shop.acceptAll).toHaveCount(0);
  await expect(shop.rejectAll).toHaveCount(0);
  await shop.expectAllowed(['system', 'functional', 'statistics', 'tracking']);

  await shop.decide(shop.acknowledge);
  await expectServerWrittenCookie(context);
  await page.reload();
  await expect(shop.banner).toHaveCount(0);
});

test('under Global Privacy Control the passive mode keeps marketing off', async ({ browser }) => {
  const context = await browser.newContext({ extraHTTPHeaders: { 'Sec-GPC': '1' } });
  const page = await context.newPage();
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.hydrated();
  await expect(shop.banner.locator('.lc-banner__gpc')).toBeVisible();
  await shop.expectAllowed(['system', 'functional', 'statistics']);
  // Saved before the reload, which would abort the request otherwise.
  await shop.decide(shop.acknowledge);
  await page.reload();
  await expect(shop.banner).toHaveCount(0);
  await shop.expectAllowed(['system', 'functional', 'statistics']);
  await context.close();
});

test('the passive banner works without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const shop = new ShopPage(page);
  await shop.goto('/products/1');
  await shop.acknowledge.click();
  await expect(page).toHaveURL(/\/products\/1$/);
  await expect(shop.banner).toHaveCount(0);
  await context.close();
});
