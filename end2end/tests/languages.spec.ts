import { type Browser, type Page, expect, test } from '@playwright/test';
import { ADMIN_TOKEN } from '../playwright.config';
import { LANGUAGES } from './fixtures/languages';
import { screenshot } from './fixtures/screenshots';

// Site 1 of the demo offers every built-in language: each shopper gets the one their
// browser asks for (Accept-Language), the site's English otherwise.


const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** A shopper whose browser speaks `locale` (Chromium's Accept-Language follows it;
 * Playwright cannot override that header for navigations). */
async function shopperSpeaking(browser: Browser, locale: string, options = {}) {
  const context = await browser.newContext({ locale, ...options });
  return { context, page: await context.newPage() };
}

const banner = (page: Page) => page.locator('section.lc-banner');
const choice = (page: Page, value: string) => banner(page).locator(`button[name=choice][value=${value}]`);

for (const [acceptLanguage, lang, title, reject, changeLink] of [
  ['de-DE', 'de', 'Wir verwenden Cookies', 'Alle ablehnen', 'Cookie-Einstellungen'],
  ['pl', 'pl', 'Używamy plików cookie', 'Odrzuć wszystkie', 'Ustawienia plików cookie'],
]) {
  test(`a browser in ${acceptLanguage}: the banner in ${lang}, the decision logged in ${lang}, the language kept after it`, async ({ browser, request }) => {
    const { context, page } = await shopperSpeaking(browser, acceptLanguage);
    await page.goto('/products/1');
    await expect(banner(page)).toHaveAttribute('lang', lang);
    await expect(banner(page).getByRole('heading', { level: 2 })).toHaveText(title);
    await expect(page.locator('.shop')).toHaveAttribute('data-hydrated', 'true');
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/_consent/decide');
    await choice(page, 'reject_all').click();
    await answered;
    await expect(banner(page)).toBeHidden();
    await expect(choice(page, 'reject_all')).toHaveText(reject);

    // The next page speaks the same language: the change link in the footer.
    await page.reload();
    await expect(banner(page)).toHaveCount(0);
    await expect(page.locator('footer').getByRole('link', { name: changeLink })).toBeVisible();
    const consentId = (await page.getByTestId('consent-id').textContent())!.replace(/^[^:]*:\s*/, '').trim();
    const log = await (await request.get(`/admin/consent-log?consent_id=${consentId}`, { headers: auth })).json();
    expect(log.records).toHaveLength(1);
    expect(log.records[0]).toMatchObject({ action: 'reject_all', locale: lang });
    await context.close();
  });
}

test('a language the shop does not offer gets the site default, English', async ({ browser }) => {
  const { context, page } = await shopperSpeaking(browser, 'ja-JP');
  await page.goto('/');
  await expect(banner(page)).toHaveAttribute('lang', 'en');
  await expect(choice(page, 'reject_all')).toHaveText('Reject all');
  await context.close();
});

test('every language fits a 360 px wide phone, Reject as prominent as Accept', async ({ browser }) => {
  test.setTimeout(120_000);
  let longest = { lang: '', length: 0 };
  for (const lang of LANGUAGES) {
    const { context, page } = await shopperSpeaking(browser, lang, { viewport: { width: 360, height: 740 } });
    await page.goto('/');
    await expect(banner(page)).toHaveAttribute('lang', lang);
    const layout = await page.evaluate(() => {
      const banner = document.querySelector('section.lc-banner')!;
      const clipped = [...banner.querySelectorAll<HTMLElement>('button, summary, h2, p, label, a')]
        .filter((element) => element.getClientRects().length > 0)
        .filter((element) => element.scrollWidth > element.clientWidth + 1)
        .map((element) => element.textContent);
      const box = (value: string) => {
        const button = banner.querySelector<HTMLElement>(`button[value=${value}]`)!;
        const rect = button.getBoundingClientRect();
        const style = getComputedStyle(button);
        return { left: rect.left, right: rect.right, height: rect.height, font: style.fontSize + style.fontWeight, background: style.backgroundColor };
      };
      return {
        pageWidth: document.documentElement.scrollWidth,
        bannerRight: banner.getBoundingClientRect().right,
        clipped,
        accept: box('accept_all'),
        reject: box('reject_all'),
        length: (banner.textContent ?? '').length,
      };
    });
    expect(layout.pageWidth, lang).toBeLessThanOrEqual(360);
    expect(layout.bannerRight, lang).toBeLessThanOrEqual(360);
    expect(layout.clipped, lang).toEqual([]);
    for (const button of [layout.accept, layout.reject]) {
      expect(button.left, lang).toBeGreaterThanOrEqual(0);
      expect(button.right, lang).toBeLessThanOrEqual(360);
    }
    // Equally prominent: the same size, weight and colour, whatever the words.
    expect(layout.reject.font, lang).toBe(layout.accept.font);
    expect(layout.reject.background, lang).toBe(layout.accept.background);
    expect(Math.abs(layout.reject.height - layout.accept.height), lang).toBeLessThanOrEqual(1);
    if (layout.length > longest.length) longest = { lang, length: layout.length };
    await context.close();
  }
  // The longest language, as a phone shows it (committed for the README).
  const { context, page } = await shopperSpeaking(browser, longest.lang, { viewport: { width: 360, height: 740 } });
  await page.goto('/');
  await expect(banner(page)).toHaveAttribute('lang', longest.lang);
  await screenshot(page, 'banner-longest-language-360px', { width: 360, height: 740 });
  await context.close();
});
