import { type APIRequestContext, type BrowserContext, type Page, expect, test } from '@playwright/test';
import { ADMIN_TOKEN } from '../playwright.config';
import { ShopPage } from './fixtures/shop_page';

test.afterEach(async ({ context }) => {
  await context.clearCookies();
});

type Hit = Record<string, string>;

/** What the stand-in provider received that matches every key of `filter`. */
async function hitsWhere(request: APIRequestContext, filter: Record<string, string>): Promise<Hit[]> {
  const response = await request.get(`/stand-in-provider/hits?${new URLSearchParams(filter)}`, {
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(response.ok()).toBe(true);
  return response.json();
}

/** What the demo's stand-in provider received for this visitor. */
async function hits(request: APIRequestContext, visitor: string): Promise<Hit[]> {
  return hitsWhere(request, { coid: visitor });
}

/** Every request the page makes to the collect endpoint or to another host. */
function watchRequests(page: Page) {
  const collect: string[] = [];
  const foreign: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/_consent/collect') collect.push(request.postData() ?? '');
    if (url.hostname !== '127.0.0.1') foreign.push(request.url());
  });
  return { collect, foreign };
}

async function idCookies(context: BrowserContext) {
  const cookies = await context.cookies();
  return {
    visitor: cookies.find((c) => c.name === 'cemv'),
    session: cookies.find((c) => c.name === 'cems'),
    all: cookies,
  };
}

/** The shopper on `path` once they accepted everything, with the visitor id that gave them. */
async function optedIn(page: Page, context: BrowserContext, path: string) {
  const shop = new ShopPage(page);
  await shop.goto(path);
  await shop.hydrated();
  await shop.acceptAll.click();
  await shop.expectAllowed(['system', 'functional', 'statistics', 'tracking']);
  const { visitor } = await idCookies(context);
  return { shop, visitor };
}

const summary = (list: Hit[]) => list.map((h) => `${h.p1} ${h.p3}${h.am ? ` ${h.am}` : ''}`).sort();

test('no id cookie and no event before consent', async ({ page, context }) => {
  const { collect, foreign } = watchRequests(page);
  const shop = new ShopPage(page);
  await shop.goto('/products/1');
  await shop.hydrated();
  await page.locator('.recommended a').first().click();
  await expect(page).toHaveURL(/\/products\/2$/);
  await shop.goto('/');
  await shop.hydrated();
  await page.waitForTimeout(600);
  const { visitor, session } = await idCookies(context);
  expect(visitor).toBeUndefined();
  expect(session).toBeUndefined();
  expect(collect).toEqual([]);
  expect(foreign).toEqual([]);
});

test('after opting in: ids with their lifetimes, the held events of the page, each event once', async ({
  page,
  context,
}) => {
  const { foreign } = watchRequests(page);
  const shop = new ShopPage(page);
  await shop.goto('/products/2');
  await shop.hydrated();
  await shop.acceptAll.click();
  await shop.expectAllowed(['system', 'functional', 'statistics', 'tracking']);

  const { visitor, session } = await idCookies(context);
  expect(visitor, 'the visitor cookie').toBeDefined();
  expect(session, 'the session cookie').toBeDefined();
  expect(visitor!.value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(session!.value).toMatch(/^[0-9a-f-]{36}$/);
  const days = (visitor!.expires - Date.now() / 1000) / 86400;
  expect(days).toBeGreaterThan(364);
  expect(days).toBeLessThan(366);
  const minutes = (session!.expires - Date.now() / 1000) / 60;
  expect(minutes).toBeGreaterThan(19);
  expect(minutes).toBeLessThanOrEqual(20);
  // On an IP address the cookies are host-only.
  expect(visitor!.domain).toBe('127.0.0.1');
  expect(visitor!.httpOnly).toBe(true);

  // The events held while the shopper had not decided arrive, once.
  await expect
    .poll(async () => summary(await hits(page.request, visitor!.value)))
    .toEqual(['pageview /products/2', 'productview /products/2']);

  // A click on a recommendation: an item click with the module's name, then the next page.
  await page.locator('.recommended a').first().click();
  await expect(page).toHaveURL(/\/products\/3$/);
  await expect
    .poll(async () => summary(await hits(page.request, visitor!.value)))
    .toEqual([
      'itemclick /products/2 GetSimilarItems',
      'pageview /products/2',
      'pageview /products/3',
      'productview /products/2',
      'productview /products/3',
    ]);

  // A full page load: the server emits the page's events during SSR; the browser does not
  // send them again when it hydrates.
  await shop.goto('/products/3');
  await shop.hydrated();
  await expect
    .poll(async () => (await hits(page.request, visitor!.value)).length)
    .toBe(7);
  await page.waitForTimeout(800);
  const all = await hits(page.request, visitor!.value);
  expect(all.length).toBe(7);
  expect(all.filter((h) => h.p1 === 'pageview' && h.p3 === '/products/3').length).toBe(2);
  // Every event has its own id, time-ordered (uuid v7) whether the server or the browser
  // made it, and every hit carries the session.
  expect(new Set(all.map((h) => h.p4)).size).toBe(7);
  expect(all.filter((h) => !/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(h.p4))).toEqual([]);
  expect(all.every((h) => h.sid === session!.value && h.customer === 'nordlys')).toBe(true);
  expect(foreign).toEqual([]);
});

test('the events of a page left without opting in are never sent', async ({ page, context }) => {
  const { collect } = watchRequests(page);
  const shop = new ShopPage(page);
  await shop.goto('/products/4');
  await shop.hydrated();
  // Leave with a full page load: the held events die with the page.
  await shop.goto('/terms');
  await shop.hydrated();
  expect(collect).toEqual([]);
  await shop.acceptAll.click();
  // The decision's response sets the ids: wait until it is saved.
  await shop.expectAllowed(['system', 'functional', 'statistics', 'tracking']);
  const { visitor } = await idCookies(context);
  expect(visitor).toBeDefined();
  await expect
    .poll(async () => summary(await hits(page.request, visitor!.value)))
    .toEqual(['pageview /terms']);
  await page.waitForTimeout(600);
  expect(summary(await hits(page.request, visitor!.value))).toEqual(['pageview /terms']);
  expect(collect.join('\n')).not.toContain('/products/4');
});

test('held events die with the route too: a client-side navigation discards them', async ({ page, context }) => {
  const { collect } = watchRequests(page);
  const shop = new ShopPage(page);
  await shop.goto('/products/4');
  await shop.hydrated();
  // A recommendation click navigates with the router, no page load: the item click and
  // /products/4's views were held for /products/4 and go with it.
  await page.locator('.recommended a').first().click();
  await expect(page).toHaveURL(/\/products\/\d+$/);
  const path = new URL(page.url()).pathname;
  expect(path).not.toBe('/products/4');
  await expect(page.locator('h1')).toBeVisible();
  expect(collect).toEqual([]);
  await shop.acceptAll.click();
  await shop.expectAllowed(['system', 'functional', 'statistics', 'tracking']);
  const { visitor } = await idCookies(context);
  expect(visitor).toBeDefined();
  await expect
    .poll(async () => summary(await hits(page.request, visitor!.value)))
    .toEqual([`pageview ${path}`, `productview ${path}`]);
  await page.waitForTimeout(600);
  expect(summary(await hits(page.request, visitor!.value))).toEqual([`pageview ${path}`, `productview ${path}`]);
  expect(collect.join('\n')).not.toContain('/products/4');
});

test('rejecting drops the held events and sets no id', async ({ page, context }) => {
  const { collect } = watchRequests(page);
  const shop = new ShopPage(page);
  await shop.goto('/products/5');
  await shop.hydrated();
  await shop.rejectAll.click();
  await shop.expectAllowed(['system']);
  await page.locator('.recommended a').first().click();
  await expect(page).toHaveURL(/\/products\/6$/);
  await page.waitForTimeout(600);
  expect(collect).toEqual([]);
  expect((await idCookies(context)).visitor).toBeUndefined();
});

test('checkout identifies the shopper without the address in clear text; campaign ids from the URL', async ({
  page,
  context,
}) => {
  const shop = new ShopPage(page);
  await shop.goto('/?reaid=newsletter-7');
  await shop.hydrated();
  await shop.acceptAll.click();
  await shop.expectAllowed(['system', 'functional', 'statistics', 'tracking']);
  // The campaign id arrives with the next page request.
  await shop.goto('/checkout?reaid=newsletter-7');
  await shop.hydrated();
  await page.getByLabel('E-mail for the receipt').fill('Ada@Example.com');
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Thank you' })).toBeVisible();

  const cookies = (await idCookies(context)).all;
  const ruid = cookies.find((c) => c.name === 'ruid');
  const reaid = cookies.find((c) => c.name === 'reaid');
  expect(ruid, 'the user id cookie').toBeDefined();
  expect(reaid?.value).toBe('newsletter-7');
  const decoded = Buffer.from(ruid!.value, 'base64').toString();
  expect(decoded).toMatch(/^[0-9a-f]{64}$/);
  expect(ruid!.value.toLowerCase()).not.toContain('ada');
  expect((ruid!.expires - Date.now() / 1000) / 86400).toBeGreaterThan(364);

  const visitor = cookies.find((c) => c.name === 'cemv')!.value;
  await expect
    .poll(async () => (await hits(page.request, visitor)).filter((h) => h.p1 === 'identify' || h.p1 === 'purchase').length)
    .toBe(2);
  const identify = (await hits(page.request, visitor)).find((h) => h.p1 === 'identify')!;
  expect(identify.ruid).toBe(ruid!.value);
  expect(identify.reaid).toBe('newsletter-7');
  expect(identify.p3).toBe('/checkout?reaid=newsletter-7');
});

test('the collect endpoint checks its input', async ({ page }) => {
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.acceptAll.click();
  await shop.expectAllowed(['system', 'functional', 'statistics', 'tracking']);
  const post = (batch: string, headers: Record<string, string> = {}) =>
    page.request.post('/_consent/collect', { form: { batch }, headers });
  const event = (fields: object) =>
    JSON.stringify([{ id: crypto.randomUUID(), at: Date.now(), page: '/', type: 'pageview', ...fields }]);
  expect((await post(event({}))).status()).toBe(204);
  expect((await post('not json')).status()).toBe(400);
  expect((await post(event({ type: 'clickbait' }))).status()).toBe(400);
  expect((await post(event({ id: 'not-a-uuid' }))).status()).toBe(400);
  expect((await post(event({ page: 'https://evil.example/' }))).status()).toBe(400);
  expect((await post(event({ product: 'x'.repeat(300) }))).status()).toBe(400);
  expect((await post('[' + Array(51).fill(event({}).slice(1, -1)).join(',') + ']')).status()).toBe(400);
  expect((await post(event({}), { 'sec-fetch-site': 'cross-site' })).status()).toBe(403);
});

test('events go through the durable outbox, whose status the admin reads', async ({ page, context, request }) => {
  const { shop, visitor } = await optedIn(page, context, '/products/4');
  await shop.goto('/products/5');
  await expect.poll(async () => (await hits(page.request, visitor!.value)).length).toBeGreaterThanOrEqual(2);

  const status = async () => {
    const response = await request.get('/admin/tracking/status', {
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(response.status()).toBe(200);
    return response.json();
  };
  await expect.poll(async () => (await status()).pending).toBe(0);
  const figures = await status();
  expect(figures.provider).toBe('raptor');
  expect(figures.delivered_kept).toBeGreaterThanOrEqual(2);
  expect(figures.instance.delivered).toBeGreaterThanOrEqual(2);
  expect(figures.dead_letters).toBe(0);
  expect(figures.oldest_pending_age_secs).toBeNull();
  expect((await request.get('/admin/tracking/status')).status()).toBe(401);
});

test("the shop's search asks its provider with tracking's ids, and only with consent", async ({ page, context }) => {
  const shop = new ShopPage(page);
  // No decision yet: the search works, and the provider gets the query without ids.
  await shop.goto('/search?q=fjord');
  await expect(page.locator('.search__results .product-card')).not.toHaveCount(0);
  await expect.poll(async () => (await hitsWhere(page.request, { q: 'fjord' })).length).toBe(1);
  expect((await hitsWhere(page.request, { q: 'fjord' }))[0].coid).toBeUndefined();

  await shop.hydrated();
  await shop.acceptAll.click();
  await shop.expectAllowed(['system', 'functional', 'statistics', 'tracking']);
  const { visitor, session } = await idCookies(context);
  expect(visitor && session).toBeTruthy();
  // Searching from the front page's form: the same visitor and session as tracking.
  await shop.goto('/');
  await page.getByRole('searchbox', { name: 'Search the shop' }).fill('Fjord');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/\/search\?q=Fjord$/);
  await expect(page.locator('.search__results .product-card')).not.toHaveCount(0);
  await expect
    .poll(() => hitsWhere(page.request, { q: 'Fjord' }))
    .toEqual([{ p1: 'search-api', q: 'Fjord', coid: visitor!.value, sid: session!.value }]);
});

test("the shop's own event reaches the provider under the provider's name", async ({ page, context }) => {
  const { visitor } = await optedIn(page, context, '/products/6');
  await page.getByRole('button', { name: 'Save for later' }).click();
  await expect(page.locator('.product__added')).toContainText('Saved for later.');
  // `wishlist_add` in the shop, declared in its tracking configuration; `wishlist` at Raptor.
  await expect
    .poll(async () => (await hits(page.request, visitor!.value)).filter((h) => h.p1 === 'wishlist'))
    .toEqual([expect.objectContaining({ p1: 'wishlist', p2: '6', p3: '/products/6', sid: expect.any(String) })]);
});

test("the page's tracker keeps an event outside the limits from the batch, with a warning", async ({ page, context }) => {
  const warnings: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'warning' && message.text().includes('event dropped')) warnings.push(message.text());
  });
  const { visitor } = await optedIn(page, context, '/products/6');
  // As the WASM hands events over: [hydrating, type, product, module, user, name, value, …].
  await page.evaluate(() => {
    const track = (fields: (string | undefined)[]) =>
      document.dispatchEvent(new CustomEvent('lc-track', { detail: fields }));
    const many = Array.from({ length: 17 }, (_, i) => [`p${i}`, '1']).flat();
    track(['', 'wishlist_add', 'x'.repeat(257), undefined, undefined]);
    track(['', 'wishlist_add', 'a\u0007b', undefined, undefined]);
    track(['', 'wishlist_add', '8', undefined, undefined, '', 'empty name']);
    track(['', 'wishlist_add', '8', undefined, undefined, ...many]);
    track(['', 'wishlist_add', 'ü'.repeat(128), undefined, undefined, 'q', 'x'.repeat(256)]);
  });
  // The one within the limits (256 bytes: 128 two-byte letters) arrives; the batch was not
  // refused for the others.
  await expect
    .poll(async () => (await hits(page.request, visitor!.value)).filter((h) => h.p1 === 'wishlist').map((h) => h.p2))
    .toEqual(['ü'.repeat(128)]);
  expect(warnings).toHaveLength(4);
});
