import AxeBuilder from '@axe-core/playwright';
import { type Browser, type Page, expect, test } from '@playwright/test';
import { ADMIN_TOKEN } from '../playwright.config';
import { ShopPage } from './fixtures/shop_page';
import { screenshot } from './fixtures/screenshots';

// The privacy console's overview counts the decisions made here, and its cookie scanner
// reports the cookies browsers send. It runs against the registry server (project
// `cookie-registry`), where no other test decides, so the counts move only by this test's
// decisions.

const OVERVIEW = '/admin/privacy/overview?days=7';

/** The overview's figure for `term` (its first number). */
async function figure(page: Page, term: string): Promise<number> {
  const value = page.locator('.lc-console__summary div', { has: page.locator('dt', { hasText: new RegExp(`^${term}$`) }) }).locator('dd');
  return Number((await value.textContent())!.split(' ')[0]);
}

/** One shopper's decision, in a fresh browser (with or without JavaScript). */
async function decide(browser: Browser, button: 'acceptAll' | 'rejectAll' | 'saveChoices', javaScriptEnabled = true) {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  const shop = new ShopPage(page);
  await shop.goto('/products/1');
  if (button === 'saveChoices') {
    await shop.customize.click();
    await shop.toggle('Statistics').check();
  }
  if (javaScriptEnabled) {
    await shop.hydrated();
    await shop.decide(shop[button]);
  } else {
    await shop[button].click();
    await expect(shop.banner).toBeHidden();
  }
  await context.close();
}

async function signIn(page: Page) {
  await page.goto('/admin/privacy/login');
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
}

test('the overview counts the decisions shoppers make, by action, category and source', async ({ browser, page }) => {
  await signIn(page);
  await page.goto(OVERVIEW);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
  const before = {
    all: await figure(page, 'All decisions'),
    accept: await figure(page, 'accept all'),
    reject: await figure(page, 'reject all'),
    custom: await figure(page, 'custom'),
  };

  await decide(browser, 'acceptAll');
  await decide(browser, 'rejectAll');
  await decide(browser, 'saveChoices', false);

  await page.goto(OVERVIEW);
  expect(await figure(page, 'All decisions')).toBe(before.all + 3);
  expect(await figure(page, 'accept all')).toBe(before.accept + 1);
  expect(await figure(page, 'reject all')).toBe(before.reject + 1);
  expect(await figure(page, 'custom')).toBe(before.custom + 1);
  // The charts are SVG drawn by the server, each with a text alternative and a table.
  const perDay = page.getByRole('img', { name: /^Last 7 days: \d+ decisions;/ });
  await expect(perDay.locator('svg')).toHaveCount(1);
  await page.getByText('The figures as a table').first().click();
  const today = new Date().toISOString().slice(0, 10);
  await expect(page.getByRole('row', { name: new RegExp(`^${today}`) })).toBeVisible();
  // Where the decisions were taken: the no-JavaScript one is a form post.
  await expect(page.getByRole('row', { name: /^banner-form \d+/ })).toBeVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations).toEqual([]);
  await screenshot(page, 'console-overview');
});

for (const javaScriptEnabled of [true, false]) {
test(`a cookie seen in traffic but not described is described from the console and shows in the grid (JavaScript ${javaScriptEnabled ? 'on: in place, live preview' : 'off'})`, async ({ browser, baseURL }) => {
  test.setTimeout(60_000);
  // Each run its own cookie, so that the two runs never describe the same one.
  const name = `e2e_mystery_${javaScriptEnabled ? 'js' : 'nojs'}_*`;
  const label = `Describe ${name}`;
  // A shopper's browser carries a cookie nobody described (an id in its name).
  const shopper = await browser.newContext();
  await shopper.addCookies([{ name: name.replace('*', '1234567'), value: '1', url: baseURL! }]);
  const shopperPage = await shopper.newPage();
  await shopperPage.goto('/');

  // The console's own CSP is in force: its script must run under it, and nothing break it.
  const staff = await browser.newContext({ javaScriptEnabled });
  const page = await staff.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  // Chromium asks for /favicon.ico once per browser and port (the shop has none): not the
  // console's doing, and only the first test to open the port sees it.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) problems.push(message.text());
  });
  await signIn(page);
  // With JavaScript, every step below is answered in place: this mark survives only if
  // no page is loaded in full.
  if (javaScriptEnabled) await page.evaluate(() => { (window as any).e2eNoReload = true; });
  const row = (section: ReturnType<Page['locator']>) => section.getByRole('row', { name: new RegExp(`^${name.replace('*', '\\*')}`) });

  await page.getByRole('link', { name: 'Cookies' }).click();
  if (javaScriptEnabled) {
    await expect(page).toHaveURL(/\/admin\/privacy\/cookies$/);
    await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  }
  const unknown = page.locator('section', { has: page.getByRole('heading', { name: 'Seen but not described' }) });
  await expect(row(unknown)).toBeVisible();
  await expect(unknown).not.toContainText('1234567');
  if (javaScriptEnabled) {
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations).toEqual([]);
    await screenshot(page, 'console-cookies');
  }

  // "Describe this cookie": the form, its name filled in.
  await unknown.getByRole('link', { name: label }).click();
  await expect(page.getByLabel('Name (a * stands for a random part)')).toHaveValue(name);
  await page.getByLabel('Category').selectOption('statistics');
  await page.getByLabel('Lifetime in days (0: until the browser closes)').fill('30');
  await page.getByLabel('What it is for (English)').fill('Counts <b>e2e</b> visits');
  if (javaScriptEnabled) {
    const formAxe = await new AxeBuilder({ page }).analyze();
    expect(formAxe.violations).toEqual([]);
  }
  await page.getByRole('button', { name: 'Add the cookie' }).click();
  await expect(page.getByRole('status')).toHaveText(`Added ${name}.`);
  await expect(row(unknown)).toHaveCount(0);

  // Edited: the grid previewed (as staff type with JavaScript, by its button without),
  // then saved.
  await page.getByRole('link', { name: `Edit ${name}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Edit a cookie');
  await page.getByLabel('What it is for (English)').fill('Counts <b>e2e</b> visits, per day');
  if (!javaScriptEnabled) await page.getByRole('button', { name: 'Preview in the grid' }).click();
  const preview = page.locator('section', { has: page.getByRole('heading', { name: /^Preview/ }) });
  await expect(row(preview)).toContainText('Counts <b>e2e</b> visits, per day');
  if (javaScriptEnabled) {
    // Typing on: the preview follows, and an invalid form keeps the last good preview.
    await page.getByLabel('What it is for (English)').pressSequentially(' and per week');
    await expect(row(preview)).toContainText('visits, per day and per week');
    const previewAxe = await new AxeBuilder({ page }).analyze();
    expect(previewAxe.violations).toEqual([]);
    await screenshot(page, 'console-cookie-preview');
  }
  await page.getByRole('button', { name: 'Save the cookie' }).click();
  await expect(page.getByRole('status')).toHaveText(`Saved ${name}.`);

  // The shop's grid describes it now, the markup as text.
  await shopperPage.goto('/terms?HideCookieDialog=1');
  const described = shopperPage.locator('.terms .lc-cookie-details tr', { hasText: name });
  await expect(described).toContainText(/Counts <b>e2e<\/b> visits, per day/);
  await shopper.close();

  // Deleted from the console, it is gone from the registry.
  await page.getByRole('button', { name: `Delete ${name}` }).click();
  const registry = page.locator('section', { has: page.getByRole('heading', { name: 'The registry' }) });
  await expect(registry.locator('table')).toBeVisible();
  await expect(registry).not.toContainText(name);
  if (javaScriptEnabled) {
    // Back goes back in place too; then out, still without a full load.
    await page.goBack();
    await expect(page).toHaveURL(/\/cookies\?saved=/);
    await expect(page.getByRole('status')).toHaveText(`Saved ${name}.`);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/admin\/privacy\/login$/);
    await expect(page.getByRole('navigation', { name: 'Privacy console' })).toHaveCount(0);
    expect(await page.evaluate(() => (window as any).e2eNoReload)).toBe(true);
  }
  expect(problems).toEqual([]);
  await staff.close();
});
}
