// Debian's Chromium driven by playwright-core: never a downloaded browser, no network beyond
// loopback.
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
  '--disable-component-update', '--disable-sync', '--disable-quic',
];

/** Debian's Chromium, or with `BROWSER=firefox` Debian's Firefox ESR (tests/console/harness.mjs). */
export async function launch() {
  if (process.env.BROWSER === 'firefox') return (await import('../console/harness.mjs')).launchFirefox();
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
}

/** Collects console errors and page errors, to assert that a run had none. */
export function watchErrors(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().includes('/clouddb/')) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
  return errors;
}
