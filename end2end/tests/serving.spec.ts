import { expect, test } from '@playwright/test';

// How the demo serves its pages and bundle (issue 17, part 3): compressed for browsers that
// ask, and with what search engines read.

test('pages and the WASM bundle are compressed for browsers that ask', async ({ request }) => {
  for (const [encoding, expected] of [
    ['br, gzip', 'br'],
    ['gzip', 'gzip'],
  ]) {
    const page = await request.get('/', { headers: { 'Accept-Encoding': encoding } });
    expect(page.status()).toBe(200);
    expect(page.headers()['content-encoding'], `the page for ${encoding}`).toBe(expected);
    expect(await page.text()).toContain('lc-banner');
    const wasm = await request.get('/pkg/demo_shop.wasm', { headers: { 'Accept-Encoding': encoding } });
    expect(wasm.status()).toBe(200);
    expect(wasm.headers()['content-encoding'], `the WASM for ${encoding}`).toBe(expected);
  }
  // A client that does not ask gets it as it is.
  const plain = await request.get('/', { headers: { 'Accept-Encoding': 'identity' } });
  expect(plain.headers()['content-encoding']).toBeUndefined();
});

test('every page has a meta description', async ({ page }) => {
  for (const path of ['/', '/products/1', '/terms']) {
    await page.goto(path);
    await expect(page.locator('meta[name="description"]')).toHaveAttribute('content', /Nordlys Kaffe/);
  }
});

test('the stylesheets and the bundle the page names are served', async ({ request }) => {
  const html = await (await request.get('/')).text();
  // Links, and the hydration script's import of the JS glue and the WASM.
  const named = [...html.matchAll(/"(\/(?:pkg|_consent)\/[^"]+\.(?:css|js|wasm))"/g)].map((m) => m[1]);
  expect(named.filter((url) => url.endsWith('.css'))).toHaveLength(2);
  // The JS glue, and the crate's runtime.
  expect(named.filter((url) => url.endsWith('.js'))).toHaveLength(2);
  expect(named.filter((url) => url.endsWith('.wasm'))).toHaveLength(1);
  for (const url of named) {
    const response = await request.get(url);
    expect(response.status(), url).toBe(200);
  }
});

test('the runtime is a file the browser keeps, not part of every page', async ({ page, request }) => {
  const html = await (await request.get('/products/1')).text();
  expect(html).not.toContain('cookiepolicychange');
  const src = /<script id="lc-cookie-policy" nonce="[^"]+" src="([^"]+)"/.exec(html)?.[1];
  expect(src).toMatch(/^\/_consent\/runtime-tracker-[0-9a-f]{16}\.js$/);
  const file = await request.get(src!, { headers: { 'Accept-Encoding': 'br' } });
  expect(file.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(file.headers()['content-type']).toBe('text/javascript; charset=utf-8');
  expect(file.headers()['content-encoding']).toBe('br');

  // Loaded from the server on the first page only: the next page's comes from the cache.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const fromServer: string[] = [];
  const runtime = new Map<string, string>();
  cdp.on('Network.requestWillBeSent', (event) => {
    if (event.request.url.includes('/_consent/runtime-')) runtime.set(event.requestId, page.url());
  });
  const fromMemory = new Set<string>();
  cdp.on('Network.requestServedFromCache', (event) => fromMemory.add(event.requestId));
  cdp.on('Network.responseReceived', (event) => {
    const cached = fromMemory.has(event.requestId) || event.response.fromDiskCache;
    if (runtime.has(event.requestId) && !cached) fromServer.push(event.response.url);
  });
  await page.goto('/');
  await expect.poll(() => fromServer.length).toBe(1);
  expect(await page.evaluate(() => typeof (window as unknown as { CookiePolicy: object }).CookiePolicy)).toBe('object');
  await page.goto('/terms');
  await expect(page.locator('#lc-cookie-policy')).toHaveAttribute('src', src!);
  expect(await page.evaluate(() => 'allowStatisdicsCookies' in (window as unknown as { CookiePolicy: object }).CookiePolicy)).toBe(true);
  expect(fromServer).toHaveLength(1);
});
