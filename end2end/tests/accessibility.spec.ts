import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { ShopPage } from './fixtures/shop_page';

// axe-core with every rule it enables by default (WCAG 2.x A/AA and best practices).

test('the banner has no axe-core violations', async ({ page }) => {
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.hydrated();
  await expect(shop.banner).toBeVisible();
  const closed = await new AxeBuilder({ page }).include('.lc-root').analyze();
  expect(closed.violations).toEqual([]);

  await shop.customize.click();
  await expect(shop.toggle('Statistics')).toBeVisible();
  const open = await new AxeBuilder({ page }).include('.lc-root').analyze();
  expect(open.violations).toEqual([]);

  await shop.banner.locator('summary', { hasText: 'Show cookie details' }).click();
  await expect(shop.banner.locator('.lc-cookie-details table').first()).toBeVisible();
  const details = await new AxeBuilder({ page }).include('.lc-root').analyze();
  expect(details.violations).toEqual([]);
});

test('the terms page with its cookie details grid has no axe-core violations', async ({ page }) => {
  const shop = new ShopPage(page);
  await shop.goto('/terms?HideCookieDialog=1');
  await shop.hydrated();
  await expect(page.locator('.terms .lc-cookie-details table').first()).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations).toEqual([]);
});

test('the whole page with the banner has no axe-core violations', async ({ page }) => {
  const shop = new ShopPage(page);
  await shop.goto('/products/2');
  await shop.hydrated();
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations).toEqual([]);
});

test('the banner is labelled and every control is reachable with the keyboard', async ({ page }) => {
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.hydrated();
  await expect(page.getByRole('region', { name: 'We use cookies' })).toBeVisible();
  const reached = new Set<string>();
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    reached.add(await page.evaluate(() => document.activeElement?.textContent?.trim() ?? ''));
  }
  for (const control of ['Read our cookie policy', 'Customize', 'Reject all', 'Accept all']) {
    expect(reached, `Tab reaches ${control}`).toContain(control);
  }
});
