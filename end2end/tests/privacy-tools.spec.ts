import { type APIRequestContext, type Browser, type Page, expect, test } from '@playwright/test';
import { ADMIN_TOKEN, PASSIVE_PORT } from '../playwright.config';
import { type Action, Autoconsent } from './fixtures/autoconsent';
import { LANGUAGES } from './fixtures/languages';

// Shoppers' privacy tools answer the banner for them. DuckDuckGo's autoconsent, with only
// the crate's rule (autoconsent/leptos-consent.json), in every built-in language and both
// modes: the rule reads the markup contract (data-lc-*), never a text.

test.describe.configure({ mode: 'parallel' });

const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const PASSIVE = `http://127.0.0.1:${PASSIVE_PORT}`;

type Policy = { allowFunctionalCookies: boolean; allowStatisticsCookies: boolean; allowTrackingCookies: boolean };

function policy(page: Page): Promise<Policy> {
  return page.evaluate(() => (window as unknown as { CookiePolicy: Policy }).CookiePolicy);
}

function allowed(all: boolean) {
  return { allowFunctionalCookies: all, allowStatisticsCookies: all, allowTrackingCookies: all };
}

/** A shopper speaking `locale` whose privacy tool answers the banner at `url` with `action`
 * (after `prepare`, once the page has hydrated). Returns the page and its collect requests. */
async function answeredBy(
  browser: Browser,
  locale: string,
  action: Action,
  url: string,
  options: { prepare?: (page: Page) => Promise<void>; with_?: 'rule' | 'heuristics' } = {},
) {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  const collect: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/_consent/collect') collect.push(request.url());
  });
  await page.goto(url);
  await expect(page.locator('.shop')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.locator('[data-lc-banner]')).toHaveAttribute('lang', locale);
  await options.prepare?.(page);
  const tool = new Autoconsent(page, action, options.with_);
  await tool.start();
  const { cmp } = await tool.finished();
  await expect(page.locator('[data-lc-banner]')).toBeHidden();
  return { context, page, collect, cmp };
}

/** The consent log's records of the page's shopper (block-mode shop, after a reload). */
async function logged(page: Page, request: APIRequestContext) {
  await page.reload();
  await expect(page.locator('[data-lc-banner]')).toHaveCount(0);
  const consentId = (await page.getByTestId('consent-id').textContent())!.replace(/^[^:]*:\s*/, '').trim();
  return (await (await request.get(`/admin/consent-log?consent_id=${consentId}`, { headers: auth })).json()).records;
}

for (const lang of LANGUAGES) {
  test(`${lang}: the rule opts out and in; the passive banner's acknowledgement is its opt-out`, async ({ browser, request }) => {
    test.setTimeout(60_000);
    // Opt-out: a refusal, nothing but the essential allowed, no tracking, logged as such.
    {
      const { context, page, collect, cmp } = await answeredBy(browser, lang, 'optOut', '/products/1');
      expect(cmp).toBe('leptos-consent');
      await expect.poll(() => policy(page)).toMatchObject(allowed(false));
      await expect(page.locator('#lc-cookie-policy')).toHaveAttribute('data-lc-decision', 'reject_all');
      const records = await logged(page, request);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ action: 'reject_all', granted: ['system'], ui_source: 'banner', locale: lang });
      await expect(page.locator('#lc-cookie-policy')).toHaveAttribute('data-lc-decision', 'reject_all');
      expect(collect).toEqual([]);
      await context.close();
    }
    // Opt-in: everything allowed.
    {
      const { context, page, cmp } = await answeredBy(browser, lang, 'optIn', '/products/1');
      expect(cmp).toBe('leptos-consent');
      await expect.poll(() => policy(page)).toMatchObject(allowed(true));
      await expect(page.locator('#lc-cookie-policy')).toHaveAttribute('data-lc-decision', 'accept_all');
      await context.close();
    }
    // The passive banner has no reject: its one acknowledgement is the opt-out there.
    {
      const { context, page, cmp } = await answeredBy(browser, lang, 'optOut', `${PASSIVE}/products/1`);
      expect(cmp).toBe('leptos-consent');
      await expect(page.locator('#lc-cookie-policy')).toHaveAttribute('data-lc-decision', 'acknowledge');
      await context.close();
    }
  });
}

test("the passive banner's acknowledgement is its opt-in too", async ({ browser }) => {
  const { context, page, cmp } = await answeredBy(browser, 'de', 'optIn', `${PASSIVE}/`);
  expect(cmp).toBe('leptos-consent');
  await expect(page.locator('#lc-cookie-policy')).toHaveAttribute('data-lc-decision', 'acknowledge');
  await context.close();
});

test('with the customize panel open, the rule still refuses (and accepts)', async ({ browser }) => {
  const openCustomize = async (page: Page) => {
    await page.locator('[data-lc-customize] > summary').click();
    await expect(page.locator('[data-lc-customize]')).toHaveAttribute('open', '');
  };
  for (const [action, all, decision] of [['optOut', false, 'reject_all'], ['optIn', true, 'accept_all']] as const) {
    const { context, page } = await answeredBy(browser, 'da', action, '/', { prepare: openCustomize });
    await expect.poll(() => policy(page)).toMatchObject(allowed(all));
    await expect(page.locator('#lc-cookie-policy')).toHaveAttribute('data-lc-decision', decision);
    await context.close();
  }
});

test('without the rule, the generic heuristics still refuse the English banner', async ({ browser, request }) => {
  const { context, page, collect, cmp } = await answeredBy(browser, 'en', 'optOut', '/products/2', { with_: 'heuristics' });
  expect(cmp).toMatch(/^HEURISTIC/);
  await expect.poll(() => policy(page)).toMatchObject(allowed(false));
  const records = await logged(page, request);
  expect(records[0]).toMatchObject({ action: 'reject_all', granted: ['system'] });
  expect(collect).toEqual([]);
  await context.close();
});
