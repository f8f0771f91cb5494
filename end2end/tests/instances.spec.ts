import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { type Browser, expect, test } from '@playwright/test';
import { ADMIN_TOKEN, INSTANCE_PORTS } from '../playwright.config';
import { ShopPage } from './fixtures/shop_page';

// Two demo shop instances on one PostgreSQL database, as a shop runs them behind a load
// balancer (`cargo xtask demo --instances 2` starts the same): one signing secret, one consent
// log, one cookie registry, one tracking outbox. The test starts them itself, because it
// kills one.

const root = path.resolve(__dirname, '..', '..');
const bin = process.env.DEMO_SHOP_BIN ?? path.join(root, 'target/debug/demo-shop');
const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.join(root, 'target/site');
const postgres = process.env.LEPTOS_CONSENT_TEST_POSTGRES;
const DATABASE = 'leptos_consent_instances';
const SECRET = 'e2e-instances-secret-shared-by-both-of-them';
/** How long the registry is cached (seconds): a change shows everywhere within it. */
const REGISTRY_CACHE_SECS = 2;
/** How long an instance's claim on a batch of events lasts (seconds). */
const LEASE_SECS = 3;
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

test.describe.configure({ mode: 'serial' });
test.skip(!postgres && !process.env.CI, 'LEPTOS_CONSENT_TEST_POSTGRES names no PostgreSQL database');

/** A webhook provider on loopback that records every event id it is sent, per instance, and
 * answers after `delayMs`, so that deliveries are in flight long enough to kill an instance
 * during one. */
class LoopbackProvider {
  readonly received: { instance: string; eventId: string }[] = [];
  /** The event ids of each instance's deliveries not yet answered. */
  readonly inFlight = new Map<string, Set<string>>();
  private readonly server: http.Server;

  constructor(readonly delayMs: number) {
    this.server = http.createServer((request, response) => {
      const instance = (request.url ?? '/').slice(1);
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const ids = (JSON.parse(body).events as { event_id: string }[]).map((e) => e.event_id);
        const pending = this.inFlight.get(instance) ?? new Set<string>();
        this.inFlight.set(instance, pending);
        for (const eventId of ids) {
          this.received.push({ instance, eventId });
          pending.add(eventId);
        }
        setTimeout(() => {
          for (const eventId of ids) pending.delete(eventId);
          response.writeHead(200).end();
        }, this.delayMs);
      });
      // The connection of a killed instance goes away mid-answer: nothing to do.
      response.on('error', () => {});
      request.on('error', () => {});
    });
    this.server.on('clientError', (_error, socket) => socket.destroy());
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close() {
    this.server.closeAllConnections();
    this.server.close();
  }
}

/** The database both instances share, made afresh for this run. */
function freshDatabase(): string {
  const url = new URL(postgres!);
  for (const sql of [`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`, `CREATE DATABASE ${DATABASE}`]) {
    execFileSync('psql', [url.toString(), '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql], { stdio: 'pipe' });
  }
  url.pathname = `/${DATABASE}`;
  return url.toString();
}

function query(database: string, sql: string): string[] {
  return execFileSync('psql', [database, '-v', 'ON_ERROR_STOP=1', '-At', '-c', sql], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line !== '');
}

async function startInstance(name: string, port: number, database: string, webhook: string): Promise<ChildProcess> {
  const child = spawn(bin, [], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      LEPTOS_OUTPUT_NAME: 'demo_shop',
      LEPTOS_SITE_ROOT: siteRoot,
      LEPTOS_SITE_PKG_DIR: 'pkg',
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      DEMO_DATA_DIR: path.join(root, 'target', 'e2e', `instance-${name}`),
      DATABASE_URL: database,
      CONSENT_SECRET: SECRET,
      ADMIN_TOKEN,
      CONSENT_DECISIONS_PER_MINUTE: '100000',
      CONSENT_REGISTRY_CACHE_SECS: String(REGISTRY_CACHE_SECS),
      TRACKING_WEBHOOK_URL: `${webhook}/${name}`,
      TRACKING_OUTBOX_LEASE_SECS: String(LEASE_SECS),
      RUST_LOG: 'warn',
    },
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`instance ${name} stopped (${child.exitCode})`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return child;
    } catch {
      // not serving yet
    }
    if (Date.now() > deadline) throw new Error(`instance ${name} did not start`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function decide(browser: Browser, port: number, choice: 'acceptAll' | 'rejectAll') {
  const context = await browser.newContext();
  const page = await context.newPage();
  const shop = new ShopPage(page);
  await shop.goto(`http://127.0.0.1:${port}/`);
  await shop.hydrated();
  await shop[choice].click();
  await expect(shop.banner).toBeHidden();
  // The banner hides at once; the page shows the decision once the server has recorded it.
  await expect(page.getByTestId('consent-id')).toHaveText(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  const consentId = (await page.getByTestId('consent-id').textContent())!.replace('Consent ID: ', '').trim();
  return { context, page, shop, consentId };
}

const [A, B] = INSTANCE_PORTS;
const url = (port: number, rest: string) => `http://127.0.0.1:${port}${rest}`;
let database: string;
let provider: LoopbackProvider;
const instances = new Map<string, ChildProcess>();

test.beforeAll(async () => {
  test.setTimeout(120_000);
  if (!postgres) throw new Error('CI runs this test: LEPTOS_CONSENT_TEST_POSTGRES must name a database');
  database = freshDatabase();
  provider = new LoopbackProvider(400);
  const webhook = await provider.listen();
  // One after the other, as `cargo xtask demo --instances` starts them.
  instances.set('a', await startInstance('a', A, database, webhook));
  instances.set('b', await startInstance('b', B, database, webhook));
});

test.afterAll(() => {
  for (const child of instances.values()) child.kill('SIGKILL');
  provider?.close();
});

test('a decision taken on one instance is honoured on the other; the log holds both', async ({ browser, request }) => {
  const accepted = await decide(browser, A, 'acceptAll');
  await accepted.shop.goto(url(B, '/'));
  await accepted.shop.hydrated();
  await expect(accepted.shop.banner).toBeHidden();
  await accepted.shop.expectAllowed(['system', 'functional', 'statistics', 'tracking']);

  const rejected = await decide(browser, B, 'rejectAll');
  await rejected.shop.goto(url(A, '/'));
  await rejected.shop.hydrated();
  await expect(rejected.shop.banner).toBeHidden();
  await rejected.shop.expectAllowed(['system']);

  // Either instance reads the one log: each decision is there once, as taken.
  for (const port of [A, B]) {
    for (const [consentId, action] of [
      [accepted.consentId, 'accept_all'],
      [rejected.consentId, 'reject_all'],
    ]) {
      const body = await (await request.get(url(port, `/admin/consent-log?consent_id=${consentId}`), { headers: auth })).json();
      expect(body.count).toBe(1);
      expect(body.records[0]).toMatchObject({ consent_id: consentId, action });
    }
  }
  await accepted.context.close();
  await rejected.context.close();
});

test('a registry change through one instance shows on the other within the cache period', async ({ request }) => {
  const grid = async () => (await (await request.get(url(B, '/terms'))).text()).includes('_instances_probe');
  expect(await grid()).toBe(false);
  const created = await request.post(url(A, '/v2/cookies'), {
    headers: auth,
    data: { name: '_instances_probe', category: 'functional', expire_days: 30 },
  });
  expect(created.status()).toBe(201);
  const changed = Date.now();
  await expect.poll(grid, { timeout: (REGISTRY_CACHE_SECS + 3) * 1000, intervals: [100] }).toBe(true);
  const seconds = (Date.now() - changed) / 1000;
  console.log(`registry change on instance a shown by instance b after ${seconds.toFixed(1)} s (cache ${REGISTRY_CACHE_SECS} s)`);
});

test('events from both instances are delivered, each once by event id, while one is killed mid-delivery', async ({ browser, request }) => {
  test.setTimeout(90_000);
  const shopper = await decide(browser, A, 'acceptAll');
  const pages = async (port: number, count: number) => {
    for (let n = 0; n < count; n++) {
      const response = await shopper.context.request.get(url(port, `/products/${(n % 6) + 1}`));
      expect(response.ok()).toBe(true);
    }
  };
  // Every page a decided shopper loads tracks a page view on the server, into the outbox.
  await pages(A, 10);
  await pages(B, 10);

  // Kill instance a while the provider holds one of its deliveries unanswered.
  const inFlightAtA = () => provider.inFlight.get('a')?.size ?? 0;
  for (let n = 0; inFlightAtA() === 0; n++) {
    expect(n, 'instance a never had a delivery in flight').toBeLessThan(200);
    await pages(A, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const unanswered = new Set(provider.inFlight.get('a'));
  instances.get('a')!.kill('SIGKILL');
  instances.delete('a');
  await pages(B, 10);

  // Instance b delivers what is left, a's claimed batch too once its lease has run out.
  await expect
    .poll(
      async () => {
        const status = await (await request.get(url(B, '/admin/tracking/status'), { headers: auth })).json();
        return { pending: status.pending, dead: status.dead_letters };
      },
      { timeout: 30_000, intervals: [250] },
    )
    .toEqual({ pending: 0, dead: 0 });
  await expect.poll(() => [...provider.inFlight.values()].reduce((n, s) => n + s.size, 0)).toBe(0);

  const produced = query(database, 'SELECT event_id FROM tracking_outbox').sort();
  expect(produced.length).toBeGreaterThanOrEqual(30);
  const received = provider.received.map((r) => r.eventId);
  const distinct = [...new Set(received)].sort();
  expect(distinct).toEqual(produced);
  // At least once: only what a's unanswered delivery held may arrive a second time (b
  // sends it again); every other event arrives exactly once.
  const counts = new Map<string, number>();
  for (const id of received) counts.set(id, (counts.get(id) ?? 0) + 1);
  const repeated = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
  for (const id of repeated) expect(unanswered.has(id), `${id} arrived twice`).toBe(true);
  expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
  const byInstance = (name: string) => provider.received.filter((r) => r.instance === name).length;
  console.log(
    `events: ${produced.length} produced, ${distinct.length} distinct delivered ` +
      `(a sent ${byInstance('a')}, b sent ${byInstance('b')}); ${unanswered.size} unanswered at a's SIGKILL, ` +
      `${repeated.length} of them sent again by b`,
  );
  await shopper.context.close();
});
