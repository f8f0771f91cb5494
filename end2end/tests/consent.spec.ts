import { expect, test } from '@playwright/test';
import { CONSENT_COOKIE, ShopPage, consentCookie, expectServerWrittenCookie } from './fixtures/shop_page';

test.afterEach(async ({ context }) => {
  await context.clearCookies();
});

test('the banner is in the server HTML, before any script runs', async ({ request }) => {
  const response = await request.get('/products/3');
  expect(response.status()).toBe(200);
  const html = await response.text();
  // The banner comes before the shop and its hydration script has not run: it is plain HTML.
  expect(html).toContain('<section data-lc-banner="" lang="en" aria-labelledby="lc-banner-title"');
  expect(html).toContain('<form action="/_consent/decide" method="post"');
  expect(html.indexOf('class="lc-banner"')).toBeLessThan(html.indexOf('class="shop"'));
  expect(response.headers()['set-cookie']).toBeUndefined();
});

test('before a decision only the necessary category is allowed and no cookie is set', async ({ page, context }) => {
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.hydrated();
  await expect(shop.banner).toBeVisible();
  await shop.expectAllowed(['system']);
  expect(await context.cookies()).toEqual([]);
});

test('accept all decides in place, without a reload, and survives a reload', async ({ page, context }) => {
  const shop = new ShopPage(page);
  await shop.goto('/products/2');
  await shop.hydrated();
  // A marker that a reload would wipe out.
  await page.evaluate(() => ((window as any).__samePage = true));
  let navigations = 0;
  page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations++);

  await shop.acceptAll.click();

  await expect(shop.banner).toBeHidden();
  await shop.expectAllowed(['system', 'functional', 'statistics', 'tracking']);
  expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);
  expect(navigations).toBe(0);
  await expect(page.getByRole('status').filter({ hasText: 'Your cookie choices have been saved.' })).toBeAttached();

  // Written by the server, HttpOnly: the page's scripts never see it.
  await expectServerWrittenCookie(context);
  expect(await page.evaluate(() => document.cookie)).not.toContain(CONSENT_COOKIE);

  await page.reload();
  await expect(shop.banner).toHaveCount(0);
  await shop.expectAllowed(['system', 'functional', 'statistics', 'tracking']);
});

test('reject all is as easy as accept all and is remembered too', async ({ page, context }) => {
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.hydrated();
  // Same layer, same look.
  const acceptClass = await shop.acceptAll.getAttribute('class');
  expect(await shop.rejectAll.getAttribute('class')).toBe(acceptClass);
  const [acceptBox, rejectBox] = [await shop.acceptAll.boundingBox(), await shop.rejectAll.boundingBox()];
  expect(Math.abs(acceptBox!.height - rejectBox!.height)).toBeLessThan(1);
  expect(Math.abs(acceptBox!.width - rejectBox!.width)).toBeLessThan(2);

  await shop.decide(shop.rejectAll);
  await shop.expectAllowed(['system']);
  await expectServerWrittenCookie(context);

  await page.reload();
  await expect(shop.banner).toHaveCount(0);
  await shop.expectAllowed(['system']);
});

test('customize grants only the ticked categories; nothing is pre-ticked', async ({ page }) => {
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.hydrated();
  await shop.customize.click();
  await expect(shop.toggle('Necessary')).toBeChecked();
  await expect(shop.toggle('Necessary')).toBeDisabled();
  for (const label of ['Functional', 'Statistics', 'Marketing']) {
    await expect(shop.toggle(label)).not.toBeChecked();
  }
  await shop.toggle('Statistics').check();
  await shop.saveChoices.click();

  await expect(shop.banner).toBeHidden();
  await shop.expectAllowed(['system', 'statistics']);
  await page.reload();
  await shop.expectAllowed(['system', 'statistics']);
});

test('?ChangeCookiePolicyConsent=1 deletes the cookie and redirects so the banner shows again', async ({ page, context }) => {
  const shop = new ShopPage(page);
  await shop.goto('/products/4?color=blue');
  await shop.hydrated();
  await shop.acceptAll.click();
  await expect(shop.banner).toBeHidden();
  await expect.poll(() => consentCookie(context)).toBeDefined();

  // The raw answer: 302 to the same path and query, parameter 0, not cached.
  const raw = await page.request.get('/products/4?color=blue&ChangeCookiePolicyConsent=1', { maxRedirects: 0 });
  expect(raw.status()).toBe(302);
  expect(raw.headers()['location']).toBe('/products/4?color=blue&ChangeCookiePolicyConsent=0');
  expect(raw.headers()['cache-control']).toBe('no-store');
  expect(raw.headers()['set-cookie']).toContain(`${CONSENT_COOKIE}=;`);
});

test('the footer link resets the decision in the browser, from any page', async ({ page, context }) => {
  const shop = new ShopPage(page);
  await shop.goto('/products/5');
  await shop.hydrated();
  await shop.decide(shop.rejectAll);

  await shop.changeConsent.click();
  await expect(page).toHaveURL(/\/products\/5\?ChangeCookiePolicyConsent=0$/);
  await expect(shop.banner).toBeVisible();
  expect(await consentCookie(context)).toBeUndefined();
  await shop.hydrated();
  await shop.expectAllowed(['system']);
});

test('?HideCookieDialog=1 hides the banner on that page only', async ({ page }) => {
  const shop = new ShopPage(page);
  await shop.goto('/terms?HideCookieDialog=1#cookieconsent');
  await shop.hydrated();
  await expect(shop.banner).toBeHidden();
  await expect(page.locator('#cookieconsent')).toBeVisible();

  // Client-side navigation to another page: the banner is back, the decision still pending.
  await page.locator('header').getByRole('link', { name: 'Shop' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(shop.banner).toBeVisible();
});

test('the banner follows client-side navigation: hidden on the policy page its link opens, back again after', async ({ page }) => {
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.hydrated();
  await expect(shop.banner).toBeVisible();
  // The same document throughout: the router navigates, the runtime follows.
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

  await shop.banner.locator('a.lc-banner__policy').click();
  await expect(page).toHaveURL(/\/terms\?HideCookieDialog=1#cookieconsent$/);
  await expect(shop.banner).toBeHidden();
  await page.goBack();
  await expect(page).toHaveURL(/\/$/);
  await expect(shop.banner).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
});

test('a decision taken outside the banner hides it too', async ({ page }) => {
  const shop = new ShopPage(page);
  await shop.goto('/products/1');
  await shop.hydrated();
  await expect(shop.banner).toBeVisible();
  await page.locator('.lc-gate').getByRole('button', { name: 'Allow marketing cookies' }).click();
  await expect(page.locator('iframe.product__video')).toBeVisible();
  await expect(shop.banner).toBeHidden();
  await shop.expectAllowed(['system', 'tracking']);
});

test('from the cookie policy page (?HideCookieDialog=1) the settings link shows the banner', async ({ page }) => {
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.hydrated();
  await shop.decide(shop.acceptAll);
  await shop.goto('/terms?HideCookieDialog=1#cookieconsent');
  await page.locator('article.terms').getByRole('link', { name: 'Cookie settings' }).click();
  await expect(page).toHaveURL(/\/terms\?ChangeCookiePolicyConsent=0$/);
  await expect(shop.banner).toBeVisible();
});

test('a decision the server does not record is reported and changes nothing', async ({ page, context }) => {
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.hydrated();
  // The banner hides at once, before the server answers; when the answer is a refusal, it
  // comes back saying so.
  let answer = () => {};
  const answered = new Promise<void>((resolve) => (answer = resolve));
  await page.route('**/_consent/decide', async (route) => {
    await answered;
    await route.fulfill({ status: 503, body: 'down for maintenance' });
  });
  await shop.acceptAll.click();
  await expect(shop.banner).toBeHidden();
  answer();
  await expect(shop.banner.getByRole('alert')).toHaveText('Your choice could not be saved. Please try again.');
  await expect(shop.banner).toBeVisible();
  await shop.expectAllowed(['system']);
  expect(await consentCookie(context)).toBeUndefined();

  // Once the server is back, the same button works.
  await page.unroute('**/_consent/decide');
  await shop.decide(shop.rejectAll);
  await shop.expectAllowed(['system']);
  expect(await consentCookie(context)).toBeDefined();
});

test('the page hydrates: its widgets respond', async ({ page }) => {
  const shop = new ShopPage(page);
  await shop.goto('/products/1');
  await shop.hydrated();
  await page.getByRole('button', { name: 'One more' }).click();
  await expect(page.getByTestId('quantity')).toHaveText('2');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByTestId('cart-count')).toHaveText('Cart (2)');
});

test('Global Privacy Control is announced, and an explicit choice still wins', async ({ browser }) => {
  const context = await browser.newContext({ extraHTTPHeaders: { 'Sec-GPC': '1' } });
  const page = await context.newPage();
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.hydrated();
  await expect(shop.banner.locator('.lc-banner__gpc')).toContainText('Global Privacy Control');
  await shop.customize.click();
  await expect(shop.toggle('Marketing')).not.toBeChecked();
  await shop.acceptAll.click();
  await shop.expectAllowed(['system', 'functional', 'statistics', 'tracking']);
  await context.close();
});

test('a decision taken with the keyboard moves focus to the page', async ({ page }) => {
  const shop = new ShopPage(page);
  await shop.goto('/');
  await shop.hydrated();
  await shop.rejectAll.focus();
  await page.keyboard.press('Enter');
  await expect(shop.banner).toBeHidden();
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
});

test('a forged consent cookie is ignored: the banner asks again', async ({ page, context }) => {
  await context.addCookies([
    {
      name: CONSENT_COOKIE,
      value: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=1.00000000000000000000000000000000.a.f.0000000000000000.1790000000',
      // A __Host- cookie: Secure, on `/`, host-only (an IP address gets no Domain).
      domain: '127.0.0.1',
      path: '/',
      secure: true,
    },
  ]);
  const shop = new ShopPage(page);
  const sent = page.waitForRequest((request) => request.isNavigationRequest());
  await shop.goto('/');
  // The browser did send the forged cookie; the server ignored it.
  expect(await (await sent).headerValue('cookie')).toContain(`${CONSENT_COOKIE}=AAAA`);
  await expect(shop.banner).toBeVisible();
  await shop.hydrated();
  await shop.expectAllowed(['system']);
});
