import { expect, test } from '@playwright/test';
import { ADMIN_TOKEN } from '../playwright.config';
import { ShopPage } from './fixtures/shop_page';

// Runs against a shop of its own (see playwright.config.ts): a registry change changes the
// policy fingerprint, which would ask the shoppers of the other tests again.

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

const PAYLOADS = [
  '"><script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 2">',
  'javascript:window.__xss=3',
  'x" autofocus onfocus="window.__xss=4" x="',
];

test('a cookie registered through the admin API is in the grid, every text escaped', async ({ page, request }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  const created = await request.post('/v2/cookies', {
    headers: auth,
    data: {
      name: 'partner_*',
      category: 'tracking',
      expire_days: 90,
      is_third_party: true,
      third_party_author: PAYLOADS[0],
    },
  });
  expect(created.status()).toBe(201);
  const { id } = await created.json();
  expect(created.headers()['location']).toBe(`/v2/cookies/${id}`);
  const translated = await request.post(`/v2/cookies/${id}/translations/1`, {
    headers: auth,
    data: {
      locale: 'en',
      description: PAYLOADS[1],
      third_party_author_description: PAYLOADS[2],
      expire_text: PAYLOADS[3],
    },
  });
  expect(translated.status()).toBe(201);
  const again = await request.post(`/v2/cookies/${id}/translations/1`, {
    headers: auth,
    data: { locale: 'en', description: 'twice' },
  });
  expect(again.status()).toBe(409);

  const shop = new ShopPage(page);
  await shop.goto('/terms');
  await shop.hydrated();
  const row = page.locator('.terms .lc-cookie-details tr', { hasText: 'partner_*' });
  for (const payload of PAYLOADS) {
    await expect(row).toContainText(payload);
  }
  await expect(row.locator('img, script, [onfocus], [autofocus]')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(dialogs).toEqual([]);

  // Deleted, it is gone from the grid at once (this process reloads on every change).
  expect((await request.delete(`/v2/cookies/${id}`, { headers: auth })).status()).toBe(204);
  await shop.goto('/terms');
  await expect(page.locator('.terms .lc-cookie-details')).not.toContainText('partner_*');
});

test('the registry API refuses bad input clearly and documents itself', async ({ request }) => {
  expect((await request.get('/v2/cookies')).status()).toBe(401);
  const bad = await request.post('/v2/cookies', { headers: auth, data: { name: 'a b', category: 'system' } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toContain('name');
  const unknownCategory = await request.post('/v2/cookies', { headers: auth, data: { name: 'ok', category: 'ads' } });
  expect(unknownCategory.status()).toBe(400);
  expect((await request.get('/v2/cookies/424242', { headers: auth })).status()).toBe(404);
  const doc = await (await request.get('/v2/openapi.json')).json();
  expect(Object.keys(doc.paths)).toEqual(
    expect.arrayContaining(['/v2/cookies', '/v2/cookies/{id}', '/v2/cookies/{id}/translations/{siteId}']),
  );
});
