// What the console's browser tests and the screenshot script share: two real Redis servers and
// the gateway serving www/ and pkg/, a Chromium page (or, with BROWSER=firefox, a Firefox ESR page
// behind launchFirefox's adapter) with its requests and console messages recorded, and the steps a
// person takes in the console.
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

/**
 * The API family's instances (`startStack({ family: true })`), each on its own Redis: `no` is the
 * instance's number, `master` (and `slave` on HA) its servers' (the gateway numbers them
 * <instance>1, <instance>2).
 */
export const FAMILY = {
  orders: { no: '1103456', master: '11034561', slave: '11034562', name: 'orders', platform: 'vpc', isHa: true, regionCode: 'KR' },
  carts: { no: '1103460', master: '11034601', name: 'carts', platform: 'vpc', isHa: false, regionCode: 'KR' },
  tokyo: { no: '1103470', master: '11034701', name: 'tokyo', platform: 'vpc', isHa: false, regionCode: 'JPN' },
  sessions: { no: '2200001', master: '22000011', name: 'sessions', platform: 'cache', isHa: false, regionCode: 'KR' },
};

/** The paths of the API: what the browser's own error lines about answers ≥ 400 may name. */
const API_PATH = /^\/(clouddb|vredis|vcache)\//;
const isApiUrl = (url) => API_PATH.test(new URL(url).pathname);

/**
 * Redis A and B (Classic; B is HA), and the gateway with the console: `{ redisA, redisB, gateway,
 * stop() }`. With `family`, also one Redis per instance of FAMILY, in `redis[name]`.
 */
export async function startStack({ family = false } = {}) {
  const names = family ? Object.keys(FAMILY) : [];
  const servers = await Promise.all([startRedis(), startRedis(), ...names.map(() => startRedis())]);
  const [redisA, redisB, ...rest] = servers;
  const redis = Object.fromEntries(names.map((n, i) => [n, rest[i]]));
  let gateway;
  try {
    gateway = await startGateway({
      credentials: [{ accessKey: AK, secretKey: SK }],
      instances: [
        { no: A, redisUrl: redisA.url, name: 'cache-a' },
        { no: B, redisUrl: redisB.url, name: 'sessions-b', isHa: true },
        ...names.map((n) => ({ ...FAMILY[n], redisUrl: redis[n].url })),
      ],
      extra: `www_dir = ${JSON.stringify(WWW)}\npkg_dir = ${JSON.stringify(PKG)}`,
    });
  } catch (e) {
    await Promise.all(servers.map((r) => r.close()));
    throw e;
  }
  return {
    redisA, redisB, redis, gateway,
    async stop() {
      await gateway.stop();
      await Promise.all(servers.map((r) => r.close()));
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
    if (m.type() === 'error' && /^Failed to load resource/.test(m.text()) && isApiUrl(m.location().url)) {
      apiFailures.push(`console: ${m.text()}`);
    }
  });
  // Firefox's line for the same expected failure, a refused connection to an API URL on another
  // origin (Chromium: "Failed to load resource: net::ERR_CONNECTION_REFUSED"). Any other CORS
  // reason (a header missing, say) is still a defect.
  page.on('pageerror', (e) => {
    const refused = /^Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at (\S+)\. \(Reason: CORS request did not succeed\)\. Status code: \(null\)\.$/.exec(e.message);
    if (refused && isApiUrl(refused[1])) apiFailures.push(`pageerror: ${e.message}`);
  });
  // watchErrors counts answers ≥ 400 outside /clouddb/ as defects; the VPC and Cache APIs' are answers too.
  page.on('response', (r) => {
    if (r.status() >= 400 && isApiUrl(r.url()) && !r.url().includes('/clouddb/')) apiFailures.push(`HTTP ${r.status()}: ${r.url()}`);
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
    /** Requests to the API (anything under /clouddb/, /vredis/ or /vcache/, preflights included). */
    apiRequests: () => requests.filter((r) => isApiUrl(r.url())),
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
  if (f.platform) await page.check(`input[name="platform"][value="${f.platform}"]`);
  if (f.regionCode !== undefined) await page.fill('#region-code', f.regionCode);
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

/** Clicks List instances and waits until the listing (or its error) is shown. */
export async function listInstances(page) {
  await page.click('#list');
  await page.waitForFunction(() => !document.querySelector('#list').hasAttribute('aria-disabled')
    && document.querySelector('#instances').childElementCount > 0, null, { timeout: 40_000 });
}

/** The instances shown to pick from: name, number, status, engine, HA, count, servers [name, number, role], state. */
export function readInstances(page) {
  return page.$$eval('#instances .pick', (picks) => picks.map((p) => ({
    no: p.dataset.instance,
    name: p.querySelector('.pick-name').textContent,
    number: p.querySelector('.pick-no').textContent,
    status: p.querySelector('.pick-status').textContent,
    engine: p.querySelector('.pick-engine').textContent,
    ha: p.querySelector('.pick-ha').textContent,
    count: p.querySelector('.pick-count').textContent,
    servers: [...p.querySelectorAll('.pick-server')].map((s) => [s.children[0].textContent, s.children[1].textContent, s.children[2].textContent]),
    named: p.querySelector('.pick-server:has(.tag)')?.dataset.no ?? null,
    checked: p.querySelector('input').checked,
    disabled: p.querySelector('input').disabled,
  })));
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

/**
 * Shifts the page's clock by `offsetMs` (negative: slow) from its next document on: `Date.now()`
 * and `new Date()` read the real time plus the offset, and the clock keeps running. The same init
 * script in both browsers (Playwright's page.clock has no Firefox counterpart here).
 */
export function shiftClock(context, offsetMs) {
  return context.addInitScript((offset) => {
    const RealDate = Date;
    const now = () => RealDate.now() + offset;
    function ShiftedDate(...args) {
      if (!new.target) return new RealDate(now()).toString();
      return args.length === 0 ? new RealDate(now()) : new RealDate(...args);
    }
    ShiftedDate.prototype = RealDate.prototype;
    Object.defineProperties(ShiftedDate, {
      now: { value: now, writable: true, configurable: true },
      parse: { value: RealDate.parse, writable: true, configurable: true },
      UTC: { value: RealDate.UTC, writable: true, configurable: true },
    });
    globalThis.Date = ShiftedDate;
  }, offsetMs);
}

/**
 * Debian's Firefox ESR over WebDriver BiDi (puppeteer-core), behind the few Playwright calls the
 * console tests make, so the same tests run in both browsers: `BROWSER=firefox` (see
 * tests/support/chromium.mjs's `launch`). Never a downloaded browser; no network beyond loopback.
 */
export async function launchFirefox() {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: process.env.FIREFOX ?? '/usr/bin/firefox-esr',
    headless: true,
    extraPrefsFirefox: {
      'network.proxy.type': 0,
      'app.update.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
    },
  });
  return {
    version: () => browser.version(),
    close: () => browser.close(),
    newContext: async ({ viewport, deviceScaleFactor, isMobile, hasTouch } = {}) => {
      const context = await browser.createBrowserContext();
      const initScripts = [];
      const pages = [];
      return {
        async newPage() {
          const page = await context.newPage();
          if (viewport) await page.setViewport({ ...viewport, deviceScaleFactor: deviceScaleFactor ?? 1, isMobile: !!isMobile, hasTouch: !!hasTouch });
          for (const [script, arg] of initScripts) await page.evaluateOnNewDocument(script, arg);
          pages.push(page);
          return firefoxPage(page);
        },
        // As in Playwright, for the context's open pages too (from their next navigation on).
        async addInitScript(script, arg) {
          initScripts.push([script, arg]);
          for (const page of pages) await page.evaluateOnNewDocument(script, arg);
        },
        grantPermissions: (permissions, { origin }) => context.overridePermissions(origin, permissions),
        close: () => context.close(),
      };
    },
  };
}

/** Playwright's waiting states in puppeteer's terms (Playwright waits for `visible` by default). */
const waitOptions = ({ state = 'visible', timeout = 30_000 } = {}) => ({ visible: state === 'visible', hidden: state === 'hidden', timeout });

/** Playwright's `a+b` key chords for puppeteer's keyboard. */
async function pressChord(keyboard, chord) {
  const keys = chord.split('+');
  for (const k of keys.slice(0, -1)) await keyboard.down(k);
  await keyboard.press(keys.at(-1));
  for (const k of keys.slice(0, -1).reverse()) await keyboard.up(k);
}

/** A puppeteer page with the Playwright methods and events the console tests use. */
function firefoxPage(page) {
  const element = async (selector) => {
    await page.waitForSelector(selector, { timeout: 30_000 });
    return selector;
  };
  const on = (selector, fn, arg) => element(selector).then(() => page.$eval(selector, fn, arg));
  // Playwright's test: checkVisibility() (false inside a closed <details>, whose content Firefox
  // still lays out), visibility `visible`, and a non-empty box.
  const visible = (selector) => page.evaluate((s) => {
    const el = document.querySelector(s);
    if (!el || !el.checkVisibility() || getComputedStyle(el).visibility !== 'visible') return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  }, selector);
  const disabled = (selector) => on(selector, (el) => el.matches(':disabled') || el.closest('[aria-disabled="true"]') !== null);
  const setChecked = async (selector, checked) => {
    await element(selector);
    if ((await page.$eval(selector, (el) => el.checked)) !== checked) await page.locator(selector).click();
  };
  const press = async (selector, key) => {
    await page.focus(await element(selector));
    await pressChord(page.keyboard, key);
  };
  const adapted = {
    goto: (url) => page.goto(url),
    reload: () => page.reload(),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    $$eval: (selector, fn, arg) => page.$$eval(selector, fn, arg),
    waitForSelector: (selector, options) => page.waitForSelector(selector, waitOptions(options)),
    waitForFunction: (fn, arg, { timeout = 30_000 } = {}) => page.waitForFunction(fn, { timeout }, arg),
    // `force`: as Playwright, without waiting for the element to be enabled (a click on a
    // disabled button, which must do nothing).
    click: async (selector, { force = false } = {}) => (force
      ? (await page.waitForSelector(selector, { timeout: 30_000 })).click()
      : page.locator(selector).setTimeout(30_000).click()),
    // As Playwright: the field's text selected and replaced in one edit, so the page gets an
    // `input` event even when the value is '' (puppeteer's fill clears a field without one).
    fill: async (selector, value) => {
      // Playwright's conditions for fill: the field is visible, enabled and editable.
      await page.waitForFunction((s) => {
        const el = document.querySelector(s);
        return el !== null && el.getClientRects().length > 0 && !el.disabled && !el.readOnly;
      }, { timeout: 30_000 }, selector);
      await page.$eval(selector, (el, text) => {
        el.focus();
        el.select();
        if (!(text === '' ? el.value === '' || document.execCommand('delete') : document.execCommand('insertText', false, text))) {
          throw new Error(`could not fill ${el.id || el.tagName}`);
        }
      }, value);
    },
    check: (selector) => setChecked(selector, true),
    uncheck: (selector) => setChecked(selector, false),
    focus: async (selector) => page.focus(await element(selector)),
    press,
    textContent: (selector) => on(selector, (el) => el.textContent),
    getAttribute: (selector, name) => on(selector, (el, n) => el.getAttribute(n), name),
    inputValue: (selector) => on(selector, (el) => el.value),
    isChecked: (selector) => on(selector, (el) => el.checked),
    isDisabled: disabled,
    isEnabled: async (selector) => !(await disabled(selector)),
    isVisible: visible,
    isHidden: async (selector) => !(await visible(selector)),
    // A locator: the page's methods on one selector.
    locator: (selector) => ({
      ...Object.fromEntries(['press', 'fill', 'click', 'check', 'uncheck', 'focus', 'textContent', 'getAttribute', 'inputValue',
        'isChecked', 'isDisabled', 'isEnabled', 'isVisible', 'isHidden'].map((name) => [name, (...args) => adapted[name](selector, ...args)])),
      pressSequentially: async (text) => {
        await adapted.focus(selector);
        await page.keyboard.type(text);
      },
    }),
    keyboard: { press: (key) => pressChord(page.keyboard, key), type: (text) => page.keyboard.type(text) },
    screenshot: (options) => page.screenshot(options),
    on(event, handler) {
      if (event === 'request') page.on('request', (r) => handler(firefoxRequest(r)));
      else if (event === 'response') page.on('response', (r) => handler({ status: () => r.status(), url: () => r.url(), text: () => r.text(), request: () => firefoxRequest(r.request()) }));
      else if (event === 'console') page.on('console', (m) => handler({ text: () => m.text(), type: () => m.type(), location: () => m.location() }));
      else if (event === 'pageerror') page.on('pageerror', handler);
      else throw new Error(`the Firefox adapter has no '${event}' event`);
    },
  };
  return adapted;
}

const requests = new WeakMap();

/** Playwright's request: `postData()` is synchronous there; over BiDi the body is fetched, so it
 * is fetched as the request starts and `postData()` refuses to answer before it is known. */
function firefoxRequest(r) {
  if (requests.has(r)) return requests.get(r);
  let body = null;
  let known = !r.hasPostData();
  if (!known) r.fetchPostData().then((b) => { body = b ?? null; known = true; }, () => { known = true; body = '<the request body could not be read>'; });
  const adapted = {
    url: () => r.url(),
    method: () => r.method(),
    allHeaders: async () => r.headers(),
    headers: () => r.headers(),
    postData() {
      if (!known) throw new Error(`the body of ${r.method()} ${r.url()} is not read yet`);
      return body;
    },
  };
  requests.set(r, adapted);
  return adapted;
}
