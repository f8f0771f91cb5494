import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

// The demo shop is built by `cargo xtask test` (or `cargo xtask site`), which also sets
// DEMO_SHOP_BIN and LEPTOS_SITE_ROOT; the defaults match its debug build.
const root = path.resolve(__dirname, '..');
const bin = process.env.DEMO_SHOP_BIN ?? path.join(root, 'target/debug/demo-shop');
const siteRoot = process.env.LEPTOS_SITE_ROOT ?? path.join(root, 'target/site');

/** Chromium's flags, shared with the benchmarks in `bench/`. */
const chromiumArgs: string[] = JSON.parse(readFileSync(path.join(__dirname, 'chromium.json'), 'utf8')).args;

export const BLOCK_PORT = 3100;
export const PASSIVE_PORT = 3101;
/** A block-mode shop of its own for the cookie registry API (a change there asks every
 * shopper again, so it must not share a shop with the other tests). */
export const REGISTRY_PORT = 3102;
/** The README's quick start as an app: the start-axum template with leptos-consent. */
export const START_AXUM_PORT = 3103;
/** Two instances on one PostgreSQL database, started by `tests/instances.spec.ts` itself. */
export const INSTANCE_PORTS = [3110, 3111] as const;
/** The block-mode server's admin token; the passive-mode server has none (admin off). */
export const ADMIN_TOKEN = 'e2e-admin-token-4f9c2a7d1b3e8f60';

/** One demo shop server in `mode`, with its own data directory (database, signing secret). */
function shop(port: number, mode: 'block' | 'passive', name: string = mode) {
  return {
    command: bin,
    cwd: root,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    env: {
      LEPTOS_OUTPUT_NAME: 'demo_shop',
      LEPTOS_SITE_ROOT: siteRoot,
      LEPTOS_SITE_PKG_DIR: 'pkg',
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      DEMO_DATA_DIR: path.join(root, 'target', 'e2e', name),
      CONSENT_MODE: mode,
      // Every test decides from 127.0.0.1: the per-address limit is tested in Rust.
      CONSENT_DECISIONS_PER_MINUTE: '100000',
      ...(mode === 'block' ? { ADMIN_TOKEN } : {}),
      RUST_LOG: 'warn',
    },
  };
}

/** The start-axum app, configured as its README says (a secret, SQLite, connect info). */
function startAxum() {
  return {
    command: process.env.START_AXUM_BIN ?? path.join(root, 'target/debug/start-axum'),
    // Its fallback journal's relative `data/` lands under target/.
    cwd: path.join(root, 'target'),
    url: `http://127.0.0.1:${START_AXUM_PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    env: {
      LEPTOS_OUTPUT_NAME: 'start-axum',
      LEPTOS_SITE_ROOT: process.env.START_AXUM_SITE_ROOT ?? path.join(root, 'target/site-start-axum'),
      LEPTOS_SITE_PKG_DIR: 'pkg',
      LEPTOS_SITE_ADDR: `127.0.0.1:${START_AXUM_PORT}`,
      CONSENT_SECRET: 'e2e-start-axum-secret-of-more-than-32-bytes',
      CONSENT_DATABASE: `sqlite://${path.join(root, 'target', 'e2e', 'start-axum', 'consent.db')}`,
      RUST_LOG: 'warn',
    },
  };
}

export default defineConfig({
  testDir: './tests',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // Chromium from Debian, on a machine without internet: keep it off Google's hosts.
      args: chromiumArgs,
    },
  },
  projects: [
    {
      name: 'block-before-consent',
      testIgnore: /(passive|cookie-admin|console-analytics|start-axum|instances)\.spec\.ts/,
      use: { baseURL: `http://127.0.0.1:${BLOCK_PORT}` },
    },
    {
      name: 'cookie-registry',
      testMatch: /(cookie-admin|console-analytics)\.spec\.ts/,
      use: { baseURL: `http://127.0.0.1:${REGISTRY_PORT}` },
    },
    {
      name: 'passive-info',
      testMatch: /passive\.spec\.ts/,
      use: { baseURL: `http://127.0.0.1:${PASSIVE_PORT}` },
    },
    {
      name: 'several-instances',
      testMatch: /instances\.spec\.ts/,
    },
    {
      name: 'start-axum',
      testMatch: /start-axum\.spec\.ts/,
      use: { baseURL: `http://127.0.0.1:${START_AXUM_PORT}` },
    },
  ],
  webServer: [
    shop(BLOCK_PORT, 'block'),
    shop(PASSIVE_PORT, 'passive'),
    shop(REGISTRY_PORT, 'block', 'registry'),
    startAxum(),
  ],
});
