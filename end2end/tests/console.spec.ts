import AxeBuilder from '@axe-core/playwright';
import { type Page, expect, test } from '@playwright/test';
import { ADMIN_TOKEN } from '../playwright.config';
import { ShopPage } from './fixtures/shop_page';
import { screenshot } from './fixtures/screenshots';

// The privacy console at /admin/privacy, used as staff use it: without JavaScript (its pages
// are plain forms), checked by axe-core on every page.

const CONSOLE = '/admin/privacy';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
/** A User-Agent with markup in it: the console must show it as text. */
const MARKUP_AGENT = 'Mozilla/5.0 <img src=x onerror="document.title=\'pwned\'"> Chrome/1';

/** axe-core on the page. */
async function noAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations).toEqual([]);
}

for (const javaScriptEnabled of [false, true]) {
test(`staff sign in, find, export and erase a shopper's records, purge, and sign out (JavaScript ${javaScriptEnabled ? 'on, axe-core' : 'off'})`, async ({ browser, request }) => {
  // Eight pages, each checked by axe-core: more than the default 30 s on a busy machine.
  test.setTimeout(90_000);
  // axe-core needs JavaScript: the run without checks the same pages without it.
  const checkAxe = (page: Page) => (javaScriptEnabled ? noAxeViolations(page) : Promise.resolve());
  // A shopper decides (with markup in their User-Agent).
  const shopper = await browser.newContext({ userAgent: MARKUP_AGENT });
  const shopPage = await shopper.newPage();
  const shop = new ShopPage(shopPage);
  await shop.goto('/products/2');
  await shop.hydrated();
  await shop.customize.click();
  await shop.toggle('Statistics').check();
  await shop.decide(shop.saveChoices);
  await expect(shopPage.getByTestId('consent-id')).toHaveText(/[0-9a-f]{8}-/);
  const consentId = (await shopPage.getByTestId('consent-id').textContent())!.replace('Consent ID: ', '').trim();
  await shopper.close();

  // The console's pages allow no script (CSP); axe-core is injected past it.
  const staff = await browser.newContext({ javaScriptEnabled, bypassCSP: true });
  const page = await staff.newPage();
  // Not signed in: the console sends you to its login.
  await page.goto(`${CONSOLE}/records`);
  await expect(page).toHaveURL(`${CONSOLE}/login`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sign in');
  await checkAxe(page);
  if (javaScriptEnabled) await screenshot(page, 'console-login');

  // A wrong token is refused, next to the field.
  await page.getByLabel('Admin token').fill('not-the-admin-token-at-all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('That is not the admin token.');
  await checkAxe(page);

  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${CONSOLE}/overview`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
  await checkAxe(page);
  await page.getByRole('link', { name: 'Records of consent' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Records of consent');
  await checkAxe(page);

  // Search by consent id: the record in full, the markup shown as text.
  await page.getByLabel('Consent id').fill(consentId);
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('status')).toHaveText(`Records about consent id ${consentId}: 1.`);
  const card = page.locator('.lc-console__record');
  await expect(card).toContainText('custom');
  await expect(card).toContainText('Necessary, Statistics');
  await expect(card).toContainText(MARKUP_AGENT);
  expect(await page.title()).not.toBe('pwned');
  await expect(page.locator('.lc-console__record img')).toHaveCount(0);
  await checkAxe(page);
  if (javaScriptEnabled) await screenshot(page, 'console-records');

  // A malformed field is named next to it.
  await page.goto(`${CONSOLE}/records?ip=not-an-address`);
  await expect(page.locator('#ip-error')).toContainText('not an IPv4 or IPv6 address');
  await expect(page.getByLabel('IP address')).toHaveAttribute('aria-invalid', 'true');
  await checkAxe(page);

  // Export: the same record as JSON, with the staff member's session.
  const exported = await page.request.get(`${CONSOLE}/records/export?consent_id=${consentId}&format=json`);
  expect(exported.status()).toBe(200);
  expect((await exported.json()).records[0]).toMatchObject({ consent_id: consentId, action: 'custom' });
  const csv = await page.request.get(`${CONSOLE}/records/export?consent_id=${consentId}&format=csv`);
  expect((await csv.text()).split('\n')[1]).toContain(consentId);

  // Erase: a confirmation, then gone from the database.
  await page.goto(`${CONSOLE}/records?consent_id=${consentId}`);
  await page.getByRole('link', { name: 'Erase…' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Erase a person\'s records');
  await checkAxe(page);
  await page.getByRole('button', { name: 'Erase 1 record(s)' }).click();
  await expect(page.locator('.lc-console__message')).toContainText('Erased 1 record(s)');
  const after = await (await request.get(`/admin/consent-log?consent_id=${consentId}`, { headers: auth })).json();
  expect(after.count).toBe(0);

  // Purge: a preview first (before 2000, so that no other test loses its records).
  await page.goto(`${CONSOLE}/records`);
  await page.getByLabel('Records before (UTC day)').fill('2000-01-01');
  await page.getByRole('button', { name: 'Preview the purge' }).click();
  await expect(page.getByRole('button', { name: 'Purge 0 record(s)' })).toBeVisible();
  await checkAxe(page);
  await page.getByRole('button', { name: 'Purge 0 record(s)' }).click();
  await expect(page.locator('.lc-console__message')).toContainText('Erased 0 record(s) made before 2000-01-01');

  // The tracking outbox: its status, the deliveries per minute, the dead letters.
  await page.getByRole('link', { name: 'Tracking' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tracking');
  await expect(page.locator('.lc-console__summary')).toContainText('Waiting for delivery');
  await expect(page.getByRole('img', { name: /events delivered in the last hour/ })).toBeVisible();
  await checkAxe(page);
  if (javaScriptEnabled) await screenshot(page, 'console-tracking');

  // The audit trail names what was done.
  await page.getByRole('link', { name: 'Audit trail' }).click();
  const audit = page.locator('.lc-console__table tbody');
  for (const action of ['login', 'login_refused', 'search', 'export', 'erase', 'purge']) {
    await expect(audit.getByRole('cell', { name: action, exact: true }).first()).toBeVisible();
  }
  await expect(audit).toContainText(`consent id ${consentId}`);
  await checkAxe(page);
  if (javaScriptEnabled) await screenshot(page, 'console-audit');

  // Sign out: back to the login, and the console is closed again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(`${CONSOLE}/login`);
  await page.goto(`${CONSOLE}/audit`);
  await expect(page).toHaveURL(`${CONSOLE}/login`);
  await staff.close();
});
}

test('the console refuses a post without its CSRF token', async ({ page }) => {
  await page.goto(`${CONSOLE}/login`);
  await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${CONSOLE}/overview`);
  // Signed in, but a form from elsewhere carries no (or a wrong) token.
  for (const csrf of ['', 'forged-token']) {
    const answer = await page.request.post(`${CONSOLE}/records/purge`, { form: { csrf, before: '2030-01-01' } });
    expect(answer.status()).toBe(403);
  }
});
