import { expect, test } from '@playwright/test';
import { ShopPage, consentCookie, expectServerWrittenCookie } from './fixtures/shop_page';

// The same decisions with JavaScript disabled: the banner is a plain form that posts to the
// server, which sets the cookie and sends the browser back to the page.
test.use({ javaScriptEnabled: false });

test.afterEach(async ({ context }) => {
  await context.clearCookies();
});

test('accept all works without JavaScript and returns to the same page', async ({ page, context }) => {
  const shop = new ShopPage(page);
  await shop.goto('/products/3?color=green');
  await expect(shop.banner).toBeVisible();
  await shop.acceptAll.click();
  await expect(page).toHaveURL(/\/products\/3\?color=green$/);
  await expect(shop.banner).toHaveCount(0);
  await shop.expectAllowed(['system', 'functional', 'statistics', 'tracking']);
  await expectServerWrittenCookie(context);
});

test('reject all works without JavaScript', async ({ page, context }) => {
  const shop = new ShopPage(page);
  await shop.goto('/terms');
  await shop.rejectAll.click();
  await expect(page).toHaveURL(/\/terms$/);
  await expect(shop.banner).toHaveCount(0);
  await shop.expectAllowed(['system']);
  await expectServerWrittenCookie(context);
});

test('customize works without JavaScript (a native disclosure)', async ({ page }) => {
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.customize.click();
  await shop.toggle('Functional').check();
  await shop.toggle('Marketing').check();
  await shop.saveChoices.click();
  await expect(shop.banner).toHaveCount(0);
  await shop.expectAllowed(['system', 'functional', 'tracking']);
});

test('the change link brings the banner back without JavaScript', async ({ page, context }) => {
  const shop = new ShopPage(page);
  await shop.goto('/products/6');
  await shop.acceptAll.click();
  await expect(shop.banner).toHaveCount(0);
  await shop.changeConsent.click();
  await expect(page).toHaveURL(/\/products\/6\?ChangeCookiePolicyConsent=0$/);
  await expect(shop.banner).toBeVisible();
  expect(await consentCookie(context)).toBeUndefined();
});
