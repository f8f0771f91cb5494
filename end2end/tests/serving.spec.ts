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

test('the runtime is a file the browser keeps: only the first page of a visit carries it', async ({ page, request }) => {
  // A page of the shop's own (or a client that does not say where it comes from).
  const html = await (await request.get('/products/1', { headers: { 'Sec-Fetch-Site': 'same-origin' } })).text();
  expect(html).not.toContain('cookiepolicychange');
  const src = /<script id="lc-cookie-policy" nonce="[^"]+" src="([^"]+)"/.exec(html)?.[1];
  expect(src).toMatch(/^\/_consent\/runtime-tracker-[0-9a-f]{16}\.js$/);
  const file = await request.get(src!, { headers: { 'Accept-Encoding': 'br' } });
  expect(file.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  expect(file.headers()['content-type']).toBe('text/javascript; charset=utf-8');
  expect(file.headers()['content-encoding']).toBe('br');
  // The first page of a visit carries it, and names the file for the browser to fetch.
  const landing = await (await request.get('/products/1', { headers: { 'Sec-Fetch-Site': 'cross-site' } })).text();
  expect(landing).toContain('cookiepolicychange');
  expect(landing).toContain(`<link rel="prefetch" href="${src}">`);

  // In a browser: the first page fetches the file while idle, and the next page of the
  // visit finds it in the cache.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const fromServer: string[] = [];
  const runtime = new Set<string>();
  const fromMemory = new Set<string>();
  cdp.on('Network.requestWillBeSent', (event) => {
    if (event.request.url.includes('/_consent/runtime-')) runtime.add(event.requestId);
  });
  cdp.on('Network.requestServedFromCache', (event) => fromMemory.add(event.requestId));
  cdp.on('Network.responseReceived', (event) => {
    const cached = fromMemory.has(event.requestId) || event.response.fromDiskCache;
    if (runtime.has(event.requestId) && !cached) fromServer.push(event.response.url);
  });
  await page.goto('/');
  await expect(page.locator('#lc-cookie-policy')).not.toHaveAttribute('src', /./);
  await expect.poll(() => fromServer).toEqual([new URL(src!, page.url()).href]);
  // Followed from the page: a navigation of the shop's own.
  await page.evaluate(() => window.location.assign('/terms'));
  await page.waitForURL('**/terms');
  await expect(page.locator('#lc-cookie-policy')).toHaveAttribute('src', src!);
  expect(await page.evaluate(() => 'allowStatisdicsCookies' in (window as unknown as { CookiePolicy: object }).CookiePolicy)).toBe(true);
  expect(runtime.size).toBe(2);
  expect(fromServer).toHaveLength(1);
});
