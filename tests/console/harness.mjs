// What the console's browser tests and the screenshot script share: two real Redis servers and
// the gateway serving www/ and pkg/, a Chromium page with its requests and console messages
// recorded, and the steps a person takes in the console.
import { join } from 'node:path';
import { startRedis } from '../support/redis.mjs';
import { startGateway, ROOT } from '../support/gateway.mjs';
import { watchErrors } from '../support/chromium.mjs';

export { ROOT, startGateway };
export const WWW = join(ROOT, 'www');
export const PKG = join(ROOT, 'pkg');
export const AK = 'AK-console-test';
/** Recognisable, so that finding it anywhere it must not be is unambiguous. */
export const SK = 'SK-C0NS0LE-S3CR3T-marmot-91f2';
export const A = '882689';
export const B = '882690';

/** Redis A and B, and the gateway with the console: `{ redisA, redisB, gateway, stop() }`. */
export async function startStack() {
  const [redisA, redisB] = await Promise.all([startRedis(), startRedis()]);
  let gateway;
  try {
    gateway = await startGateway({
      credentials: [{ accessKey: AK, secretKey: SK }],
      instances: [
        { no: A, redisUrl: redisA.url, name: 'cache-a' },
        { no: B, redisUrl: redisB.url, name: 'sessions-b', isHa: true },
      ],
      extra: `www_dir = ${JSON.stringify(WWW)}\npkg_dir = ${JSON.stringify(PKG)}`,
    });
  } catch (e) {
    await Promise.all([redisA.close(), redisB.close()]);
    throw e;
  }
  return {
    redisA, redisB, gateway,
    async stop() {
      await gateway.stop();
      await Promise.all([redisA.close(), redisB.close()]);
    },
  };
}

/**
 * A fresh context and page that record every request, every console message and, through
 * watchErrors, console errors, page errors and failed non-API responses.
 */
export async function openPage(browser, { viewport = { width: 1280, height: 900 }, ...options } = {}) {
  const context = await browser.newContext({ viewport, ...options });
  const page = await context.newPage();
  const errors = watchErrors(page);
  const requests = [];
  const consoleMessages = [];
  // The browser's own "Failed to load resource" line for an API answer ≥ 400 (or a refused
  // connection) is the answer the console exists to show, not a defect of the page.
  const apiFailures = [];
  page.on('request', (r) => requests.push(r));
  page.on('console', (m) => {
    consoleMessages.push(m.text());
    if (m.type() === 'error' && /^Failed to load resource/.test(m.text()) && m.location().url.includes('/clouddb/')) {
      apiFailures.push(`console: ${m.text()}`);
    }
  });
  return {
    context, page, requests, consoleMessages,
    /** watchErrors' list without the browser's lines about API answers. */
    errors() {
      const rest = [...errors];
      for (const f of apiFailures) {
        const i = rest.indexOf(f);
        if (i >= 0) rest.splice(i, 1);
      }
      return rest;
    },
    /** Requests to the API (anything under /clouddb/, preflights included). */
    apiRequests: () => requests.filter((r) => new URL(r.url()).pathname.startsWith('/clouddb/')),
    close: () => context.close(),
  };
}

/** Opens the console and waits until the signing module is loaded. */
export async function openConsole(page, url) {
  await page.goto(url);
  await page.waitForSelector('#loader', { state: 'hidden', timeout: 20_000 });
}

/** Fills the form as a person would; only the given fields. */
export async function fillForm(page, f) {
  if (f.endpoint) await page.check(`input[name="endpoint"][value="${f.endpoint}"]`);
  if (f.customUrl !== undefined) await page.fill('#custom-url', f.customUrl);
  if (f.accessKey !== undefined) await page.fill('#access-key', f.accessKey);
  if (f.secretKey !== undefined) await page.fill('#secret-key', f.secretKey);
  if (f.instanceNo !== undefined) await page.fill('#instance-no', f.instanceNo);
  if (f.format) await page.check(`input[name="format"][value="${f.format}"]`);
  if (f.method) await page.check(`input[name="method"][value="${f.method}"]`);
  if (f.timeout !== undefined) await page.fill('#timeout', String(f.timeout));
}

/** The preview as shown: method, URL, headers, body text, curl command. */
export function readPreview(page) {
  return page.evaluate(() => {
    const headers = {};
    for (const row of document.querySelectorAll('#preview-headers tr[data-header]')) {
      headers[row.dataset.header] = row.querySelector('td').textContent;
    }
    return {
      method: document.querySelector('#preview .method')?.textContent,
      url: document.querySelector('#preview-url')?.textContent,
      headers,
      body: document.querySelector('#preview-body')?.textContent,
      curl: document.querySelector('#curl-text')?.textContent,
      text: document.querySelector('#preview').textContent,
    };
  });
}

/** Opens the confirmation dialog, types `typed`, and clicks Flush (it must be enabled). */
export async function confirmFlush(page, typed) {
  await page.click('#flush');
  await page.waitForSelector('#confirm[open]');
  await page.fill('#confirm-input', typed);
  await page.click('#confirm-flush');
}

/** Waits until the flush has an outcome (a result or an error). */
export async function waitOutcome(page) {
  await page.waitForSelector('#outcome:not([hidden]) h2', { timeout: 40_000 });
  await page.waitForSelector('#progress', { state: 'hidden' });
}

/** Every place in the page a secret must never be: storage, cookies, the URL. */
export function pageTraces(page) {
  return page.evaluate(() => ({
    localStorage: JSON.stringify({ ...localStorage }),
    sessionStorage: JSON.stringify({ ...sessionStorage }),
    cookie: document.cookie,
    url: location.href,
  }));
}
