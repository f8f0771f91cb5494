// The privacy console's in-place updates. Every console page works without this script
// (plain links and forms); with it, links and forms inside the console fetch their page and
// swap its header and main in place (no full reload, focus moved to the new heading or to
// the first field in error, the new title announced), and the cookie entry form previews
// the grid as staff type. Served from the console itself, allowed by its CSP as 'self'.
(() => {
  'use strict';
  const base = document.documentElement.dataset.lcConsole;
  if (!base || !window.fetch || !window.DOMParser) return;

  const announcer = document.createElement('div');
  announcer.className = 'lc-visually-hidden';
  announcer.setAttribute('aria-live', 'polite');
  document.body.append(announcer);

  /** Whether `url` is a console page this script may load in place. */
  const inConsole = (url) =>
    url.origin === location.origin &&
    (url.pathname === base || url.pathname.startsWith(base + '/'));

  let inFlight = null;

  /** Loads `url` (`init` as for fetch) and shows its page in place of this one; a new
   * history entry for a link, a search or a post that redirected, none for going back. */
  async function visit(url, init, entry) {
    if (inFlight) inFlight.abort();
    const controller = (inFlight = new AbortController());
    const main = document.querySelector('main');
    main.setAttribute('aria-busy', 'true');
    let response;
    try {
      response = await fetch(url, { ...init, signal: controller.signal, credentials: 'same-origin' });
    } catch (error) {
      if (error.name === 'AbortError') return;
      main.removeAttribute('aria-busy');
      announcer.textContent = 'The console could not be reached. Check the connection and try again.';
      return;
    }
    const type = response.headers.get('content-type') || '';
    const text = await response.text();
    if (controller !== inFlight) return;
    inFlight = null;
    main.removeAttribute('aria-busy');
    if (!type.startsWith('text/html')) {
      // A failure in plain text (the database unavailable): said at the top of the page.
      const message = document.createElement('p');
      message.className = 'lc-console__message';
      message.setAttribute('role', 'alert');
      message.textContent = text;
      main.prepend(message);
      return;
    }
    swap(new DOMParser().parseFromString(text, 'text/html'));
    if (entry === 'new' || (entry === 'if-redirected' && response.redirected)) {
      history.pushState(null, '', response.url);
    }
    const invalid = document.querySelector('main [aria-invalid="true"]');
    const heading = document.querySelector('main h1');
    const target = invalid || heading;
    if (target === heading && heading) heading.tabIndex = -1;
    if (!invalid) window.scrollTo(0, 0);
    if (target) target.focus();
    announcer.textContent = document.title;
  }

  /** Puts `page`'s title, header and main in place of this page's. */
  function swap(page) {
    document.title = page.title;
    const fresh = page.querySelector('.lc-console__header');
    const header = document.querySelector('.lc-console__header');
    if (header && fresh) header.replaceWith(fresh);
    else if (header) header.remove();
    else if (fresh) document.body.prepend(fresh);
    document.querySelector('main').replaceWith(page.querySelector('main'));
  }

  /** The request a form's submission makes, as the browser would make it. */
  function submission(form, submitter) {
    const data = new URLSearchParams(new FormData(form, submitter));
    const url = new URL(form.action, location.href);
    if ((form.method || 'get').toLowerCase() === 'get') {
      url.search = data.toString();
      return { url, init: { method: 'GET' }, entry: 'new' };
    }
    return { url, init: { method: 'POST', body: data }, entry: 'if-redirected' };
  }

  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[href]');
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (link.hasAttribute('download') || (link.target && link.target !== '_self')) return;
    const url = new URL(link.href, location.href);
    if (!inConsole(url) || (url.hash && url.pathname === location.pathname && url.search === location.search)) return;
    event.preventDefault();
    visit(url, { method: 'GET' }, 'new');
  });

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (event.defaultPrevented || !inConsole(new URL(form.action, location.href))) return;
    event.preventDefault();
    const { url, init, entry } = submission(form, event.submitter);
    visit(url, init, entry);
  });

  window.addEventListener('popstate', () => visit(new URL(location.href), { method: 'GET' }, 'none'));

  // The entry form's preview, kept up to date as staff type: the form posted as the
  // "Preview in the grid" button posts it, and the new preview put in place. A form with
  // an error keeps the last preview until it is valid again.
  let previewTimer = 0;
  let previewRequest = null;
  document.addEventListener('input', (event) => {
    const form = event.target.form;
    if (!form || !form.querySelector('button[name="intent"][value="preview"]')) return;
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => preview(form), 300);
  });

  async function preview(form) {
    const data = new URLSearchParams(new FormData(form));
    data.set('intent', 'preview');
    if (previewRequest) previewRequest.abort();
    const controller = (previewRequest = new AbortController());
    let response;
    try {
      response = await fetch(form.action, { method: 'POST', body: data, signal: controller.signal, credentials: 'same-origin' });
    } catch {
      return;
    }
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), 'text/html');
    const fresh = page.getElementById('lc-console-preview');
    const current = document.getElementById('lc-console-preview');
    if (controller === previewRequest && fresh && current) current.replaceWith(fresh);
  }
})();
