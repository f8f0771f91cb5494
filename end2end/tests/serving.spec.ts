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
  expect(named.filter((url) => url.endsWith('.js'))).toHaveLength(1);
  expect(named.filter((url) => url.endsWith('.wasm'))).toHaveLength(1);
  for (const url of named) {
    const response = await request.get(url);
    expect(response.status(), url).toBe(200);
  }
});
