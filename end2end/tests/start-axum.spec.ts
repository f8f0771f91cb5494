import { expect, test } from '@playwright/test';
import { CONSENT_COOKIE } from './fixtures/shop_page';

// The README's quick start as a new shop developer follows it: the start-axum template
// with leptos-consent added exactly as the README says (examples/start-axum).

const banner = 'section.lc-banner';

test('the banner is in the first HTML, styled, with the template centring the body', async ({ page, request }) => {
  const html = await (await request.get('/')).text();
  expect(html).toContain('class="lc-banner');
  expect(html).toContain('<style id="lc-styles"');
  expect(html).toContain('window.CookiePolicy');
  await page.goto('/');
  await expect(page.locator(banner)).toBeVisible();
  // The crate's stylesheet applies (the banner is a fixed overlay) and the template's
  // `text-align: center` on body does not reach the banner.
  expect(await page.locator(banner).evaluate((el) => getComputedStyle(el).position)).toBe('fixed');
  expect(await page.locator(banner).evaluate((el) => getComputedStyle(el).textAlign)).toBe('start');
  expect(await page.locator('body').evaluate((el) => getComputedStyle(el).textAlign)).toBe('center');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('"Accept all" is a form post that sets the cookie and comes back', async ({ page, context }) => {
    await page.goto('/');
    await page.locator(banner).getByRole('button', { name: 'Accept all' }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(page.locator(banner)).toHaveCount(0);
    const cookie = (await context.cookies()).find((c) => c.name === CONSENT_COOKIE);
    expect(cookie?.httpOnly).toBe(true);
  });
});

test('with JavaScript, "Accept all" decides in place after hydration', async ({ page, context }) => {
  await page.goto('/');
  const counter = page.getByRole('button', { name: /Click Me/ });
  // The template's counter only counts once the WASM has hydrated the page.
  await expect(async () => {
    await counter.click();
    await expect(counter).not.toHaveText('Click Me: 0', { timeout: 500 });
  }).toPass();
  const count = await counter.textContent();
  await page.locator(banner).getByRole('button', { name: 'Accept all' }).click();
  await expect(page.locator(banner)).toBeHidden();
  // In place: no reload (the counter keeps its count).
  await expect(counter).toHaveText(count ?? '');
  await expect.poll(async () => (await context.cookies()).map((c) => c.name)).toContain(CONSENT_COOKIE);
  // The change link brings the banner back.
  await page.locator('footer').getByRole('link', { name: 'Cookie settings' }).click();
  await expect(page.locator(banner)).toBeVisible();
});
