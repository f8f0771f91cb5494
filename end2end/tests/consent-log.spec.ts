import { expect, test } from '@playwright/test';
import { ADMIN_TOKEN, PASSIVE_PORT } from '../playwright.config';
import { ShopPage } from './fixtures/shop_page';

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

test.afterEach(async ({ context }) => {
  await context.clearCookies();
});

test('a decision taken in the browser is in the consent log, and staff can find and erase it', async ({ page, request }) => {
  const shop = new ShopPage(page);
  await shop.goto('/products/2');
  await shop.hydrated();
  await shop.customize.click();
  await shop.toggle('Statistics').check();
  await shop.saveChoices.click();
  await expect(shop.banner).toBeHidden();
  // The banner hides at once; the page shows the decision once the server has recorded it.
  await expect(page.getByTestId('consent-id')).toHaveText(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  const consentId = (await page.getByTestId('consent-id').textContent())!.replace('Consent ID: ', '').trim();
  expect(consentId).toMatch(/^[0-9a-f-]{36}$/);

  const found = await request.get(`/admin/consent-log?consent_id=${consentId}`, { headers: auth });
  expect(found.status()).toBe(200);
  const body = await found.json();
  expect(body.count).toBe(1);
  const entry = body.records[0];
  expect(entry).toMatchObject({
    consent_id: consentId,
    action: 'custom',
    granted: ['system', 'statistics'],
    denied: ['functional', 'tracking'],
    ui_source: 'banner',
    gpc: false,
    locale: 'en',
    ip: '127.0.0.1',
  });
  expect(entry.user_agent).toContain('Chrom');
  expect(Date.now() - Date.parse(entry.recorded_at)).toBeLessThan(120_000);

  // The reset link withdraws the decision: that is recorded too.
  await shop.changeConsent.click();
  await expect(shop.banner).toBeVisible();
  const history = await (await request.get(`/admin/consent-log?consent_id=${consentId}`, { headers: auth })).json();
  expect(history.records.map((r: { action: string }) => r.action)).toEqual(['custom', 'reset']);

  const erased = await request.delete(`/admin/consent-log?consent_id=${consentId}`, { headers: auth });
  // Statistics only: no tracking ids were kept, so no tracked event is theirs.
  expect(await erased.json()).toEqual({ erased: 2, tracked_events: 0, dead_letters: 0 });
  const after = await (await request.get(`/admin/consent-log?consent_id=${consentId}`, { headers: auth })).json();
  expect(after.count).toBe(0);
});

test('a decision without JavaScript is logged as a form post', async ({ browser, request }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const shop = new ShopPage(page);
  await shop.goto('/terms');
  await shop.rejectAll.click();
  // The banner hides at once; the page shows the decision once the server has recorded it.
  await expect(page.getByTestId('consent-id')).toHaveText(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  const consentId = (await page.getByTestId('consent-id').textContent())!.replace('Consent ID: ', '').trim();
  const body = await (await request.get(`/admin/consent-log?consent_id=${consentId}`, { headers: auth })).json();
  expect(body.records).toHaveLength(1);
  expect(body.records[0]).toMatchObject({ action: 'reject_all', ui_source: 'banner-form', granted: ['system'] });
  await context.close();
});

test('the admin endpoints refuse a missing token and malformed requests', async ({ request }) => {
  const anonymous = await request.get('/admin/consent-log?ip=127.0.0.1');
  expect(anonymous.status()).toBe(401);
  expect(anonymous.headers()['www-authenticate']).toContain('Bearer');
  const wrong = await request.get('/admin/consent-log?ip=127.0.0.1', { headers: { Authorization: 'Bearer nope-nope-nope-nope-nope-nope' } });
  expect(wrong.status()).toBe(401);
  const malformed = await request.get('/admin/consent-log?ip=localhost', { headers: auth });
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).error).toContain('not an IPv4 or IPv6 address');
});

test('without ADMIN_TOKEN the admin endpoints do not exist', async ({ request }) => {
  const response = await request.get(`http://127.0.0.1:${PASSIVE_PORT}/admin/consent-log?ip=127.0.0.1`, {
    headers: { Authorization: 'Bearer anything-anything-anything-anything' },
  });
  expect(response.status()).toBe(404);
});

test("an opt-in records the visitor id; erasing by it takes the shopper's tracked events too", async ({
  page,
  context,
  request,
}) => {
  const shop = new ShopPage(page);
  await shop.goto('/products/3');
  await shop.hydrated();
  await shop.acceptAll.click();
  await expect(shop.banner).toBeHidden();
  // The banner hides at once; the id cookie comes with the server's answer.
  await expect.poll(async () => (await context.cookies()).some((c) => c.name === 'cemv')).toBe(true);
  const visitor = (await context.cookies()).find((c) => c.name === 'cemv')!.value;
  await shop.goto('/products/4');
  const status = async () => (await (await request.get('/admin/tracking/status', { headers: auth })).json()).pending;
  await expect.poll(status).toBe(0);

  const found = await (await request.get(`/admin/consent-log?visitor_id=${visitor}`, { headers: auth })).json();
  expect(found.records.map((r: { action: string; visitor_id: string }) => [r.action, r.visitor_id])).toEqual([
    ['accept_all', visitor],
  ]);
  const erased = await (await request.delete(`/admin/consent-log?visitor_id=${visitor}`, { headers: auth })).json();
  expect(erased.erased).toBe(1);
  // The page views of both pages (server-side and held), kept after delivery: gone now.
  expect(erased.tracked_events).toBeGreaterThanOrEqual(2);
  const again = await (await request.delete(`/admin/consent-log?visitor_id=${visitor}`, { headers: auth })).json();
  expect(again).toEqual({ erased: 0, tracked_events: 0, dead_letters: 0 });
});
