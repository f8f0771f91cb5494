import { expect, test } from '@playwright/test';
import { ADMIN_TOKEN } from '../playwright.config';
import { ShopPage } from './fixtures/shop_page';

test.afterEach(async ({ context }) => {
  await context.clearCookies();
});

test('"Delete all my cookies" deletes every cookie of the shop and is logged', async ({ page, context, request }) => {
  const shop = new ShopPage(page);
  await shop.goto('/products/1');
  await shop.hydrated();
  await shop.acceptAll.click();
  // The consent cookie, the gated tags' two, the visitor and session ids, the last product.
  await expect.poll(async () => (await context.cookies()).length).toBe(6);
  const consentId = (await page.getByTestId('consent-id').textContent())!.replace('Consent ID: ', '').trim();

  await page.locator('footer').getByRole('link', { name: 'Privacy' }).click();
  await page.getByRole('button', { name: 'Delete all my cookies for this shop' }).click();
  await expect(page).toHaveURL(/\/privacy$/);
  await expect(shop.banner).toBeVisible();
  expect(await context.cookies()).toEqual([]);

  const log = await (
    await request.get(`/admin/consent-log?consent_id=${consentId}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })
  ).json();
  expect(log.records.map((r: { action: string; ui_source: string }) => [r.action, r.ui_source])).toEqual([
    ['accept_all', 'banner'],
    ['reset', 'privacy-page'],
  ]);
});

test('"Delete all my cookies" works without JavaScript', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const shop = new ShopPage(page);
  await shop.goto('/privacy');
  await shop.acceptAll.click();
  expect((await context.cookies()).map((c) => c.name).sort()).toEqual(['__Host-lc_consent', 'cems', 'cemv']);
  await page.getByRole('button', { name: 'Delete all my cookies for this shop' }).click();
  await expect(page).toHaveURL(/\/privacy$/);
  expect(await context.cookies()).toEqual([]);
  await context.close();
});
