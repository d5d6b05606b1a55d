// The console (www/) in Debian's Chromium, served by the real gateway over two real Redis
// servers: preview, confirmation, flush, errors and their hints, the session's history, the
// secret's hygiene, keyboard use and a phone-sized screen. Every test checks that the page had no
// console or page error and that the secret key appeared nowhere it must not.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { signRequest, parseFlushResponse } from '../../pkg/index.node.mjs';
import { launch } from '../support/chromium.mjs';
import { fill, totalKeys, command, freePort } from '../support/redis.mjs';
import { serveStatic } from '../support/static-server.mjs';
import { consoleModule } from './www-modules.mjs';
import {
  A, AK, B, PKG, SK, WWW, confirmFlush, fillForm, openConsole, openPage, pageTraces, readPreview, shiftClock, startGateway, startStack,
  waitOutcome,
} from './harness.mjs';

const { formatBytes } = consoleModule;

let stack;
let browser;
let redisA;
let redisB;
let gateway;

before(async () => {
  stack = await startStack();
  ({ redisA, redisB, gateway } = stack);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Empties both servers, then writes `a` keys in A and `b` in B. */
async function seed(a, b) {
  await Promise.all([command(redisA.port, 'FLUSHALL'), command(redisB.port, 'FLUSHALL')]);
  await fill(redisA.port, a, 'a');
  await fill(redisB.port, b, 'b');
  assert.deepEqual([await totalKeys(redisA.port), await totalKeys(redisB.port)], [a, b]);
}

async function keys() {
  return [await totalKeys(redisA.port), await totalKeys(redisB.port)];
}

/** No console or page error, and the secret key in no storage, cookie, URL, console message or request. */
async function assertClean(s) {
  assert.deepEqual(s.errors(), []);
  const traces = await pageTraces(s.page);
  for (const [where, text] of Object.entries(traces)) assert.ok(!text.includes(SK), `the secret key is in ${where}`);
  for (const text of s.consoleMessages) assert.ok(!text.includes(SK), `the secret key is in a console message: ${text}`);
  for (const r of s.requests) {
    const sent = `${r.url()}\n${JSON.stringify(await r.allHeaders())}\n${r.postData() ?? ''}`;
    assert.ok(!sent.includes(SK), `the secret key was sent: ${r.method()} ${r.url()}`);
  }
}

/** The gateway's audit lines for the API written since `from`. */
const apiLogs = (from) => gateway.logs.slice(from).filter((l) => l.path.startsWith('/clouddb/'));

/** The outcome panel's error: kind, code and texts. */
function readError(page) {
  return page.evaluate(() => {
    const panel = document.querySelector('#outcome .alert.failure');
    if (!panel) return null;
    const facts = {};
    for (const div of panel.querySelectorAll('.error-facts > div')) facts[div.querySelector('dt').textContent] = div.querySelector('dd').textContent;
    return {
      role: panel.getAttribute('role'), live: panel.getAttribute('aria-live'), kind: panel.dataset.kind, code: panel.dataset.code,
      title: panel.querySelector('h2').textContent, facts, message: panel.querySelector('.message').textContent,
      hint: panel.querySelector('.hint').lastChild.textContent, clock: panel.querySelector('.clock')?.lastChild.textContent ?? null,
    };
  });
}

/** The session's history, newest first: [time, instance, endpoint, outcome]. */
function readHistory(page) {
  return page.$$eval('#history tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
}

const FLUSH_URL = (base, no, format = 'json') => `${base}/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=${no}&responseFormatType=${format}`;

test('fill, preview, confirm and flush: A is empty, B untouched, the instance card and its servers shown', async () => {
  await seed(40, 25);
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${gateway.url}/`);
    const logsBefore = gateway.logs.length;
    const t0 = Date.now();
    await fillForm(s.page, { accessKey: AK, secretKey: SK, instanceNo: A });
    const preview = await readPreview(s.page);
    const t1 = Date.now();

    // The preview is the request signRequest makes for the same inputs, at the time it was shown.
    const timestamp = preview.headers['x-ncp-apigw-timestamp'];
    assert.match(timestamp, /^\d{13}$/);
    assert.ok(Number(timestamp) >= t0 && Number(timestamp) <= t1, `timestamp ${timestamp} not taken while the preview was shown`);
    const expected = signRequest({ method: 'POST', url: FLUSH_URL(gateway.url, A), timestamp, accessKey: AK, secretKey: SK });
    assert.equal(preview.method, 'POST');
    assert.equal(preview.url, expected.url);
    assert.deepEqual(preview.headers, expected.headers);
    assert.equal(preview.headers['x-ncp-apigw-signature-v2'], expected.signature);
    assert.match(preview.body, /none/);
    assert.ok(preview.curl.includes(`-H 'x-ncp-apigw-signature-v2: ${expected.signature}'`), preview.curl);
    assert.ok(!preview.text.includes(SK), 'the preview shows the secret key');
    await s.page.click('.sts summary');
    assert.equal(await s.page.textContent('.sts pre'), expected.stringToSign);

    // "Sign again": a fresh timestamp, and again signRequest's signature.
    const t2 = Date.now();
    await s.page.click('#resign');
    const again = await readPreview(s.page);
    const t3 = Date.now();
    const ts2 = Number(again.headers['x-ncp-apigw-timestamp']);
    assert.ok(ts2 >= t2 && ts2 <= t3, `re-signed timestamp ${ts2} not fresh`);
    assert.equal(again.headers['x-ncp-apigw-signature-v2'],
      signRequest({ method: 'POST', url: FLUSH_URL(gateway.url, A), timestamp: ts2, accessKey: AK, secretKey: SK }).signature);
    assert.deepEqual(apiLogs(logsBefore), [], 'previewing sent a request');

    // The confirmation: a real modal dialog, labelled, Flush disabled until the number is typed.
    await s.page.click('#flush');
    const dialog = await s.page.evaluate(() => {
      const d = document.querySelector('#confirm');
      return {
        open: d.open, modal: d.matches(':modal'), role: d.getAttribute('role'),
        title: document.getElementById(d.getAttribute('aria-labelledby')).textContent,
        text: document.getElementById(d.getAttribute('aria-describedby')).textContent,
        disabled: document.querySelector('#confirm-flush').disabled, focused: document.activeElement.id,
      };
    });
    assert.deepEqual([dialog.open, dialog.modal, dialog.role, dialog.title, dialog.disabled, dialog.focused],
      [true, true, 'alertdialog', `Flush instance ${A}?`, true, 'confirm-input']);
    assert.match(dialog.text, new RegExp(`instance ${A} is deleted .*${gateway.url}`));
    await s.page.fill('#confirm-input', A);
    assert.equal(await s.page.isEnabled('#confirm-flush'), true);
    await s.page.click('#confirm-flush');
    await waitOutcome(s.page);

    assert.deepEqual(await keys(), [0, 25]);
    const flushes = apiLogs(logsBefore);
    assert.equal(flushes.length, 1);
    assert.deepEqual([flushes[0].method, flushes[0].status, flushes[0].access_key, flushes[0].instance, flushes[0].outcome],
      ['POST', 200, AK, A, 'flushed']);

    // The request the page sent: the previewed one, signed anew.
    const [sent] = s.apiRequests();
    assert.equal(s.apiRequests().length, 1);
    assert.equal(sent.url(), FLUSH_URL(gateway.url, A));
    const sentHeaders = await sent.allHeaders();
    assert.equal(sentHeaders['x-ncp-apigw-signature-v2'],
      signRequest({ method: 'POST', url: sent.url(), timestamp: sentHeaders['x-ncp-apigw-timestamp'], accessKey: AK, secretKey: SK }).signature);

    // The result, checked against the raw answer the page shows one click away.
    assert.match(await s.page.textContent('#outcome .alert.success h2'), new RegExp(`^Instance ${A} \\(cache-a\\) flushed$`));
    assert.equal(await s.page.getAttribute('#announcer', 'aria-live'), 'polite');
    assert.equal(await s.page.textContent('#announcer'), `Instance ${A} flushed.`);
    assert.equal(await s.page.evaluate(() => document.activeElement.closest('#outcome') !== null), true, 'focus is not on the result');
    await s.page.click('#outcome details.raw summary');
    const raw = await s.page.textContent('#outcome details.raw pre');
    const instance = parseFlushResponse(raw).cloudDBInstanceList[0];
    const card = await s.page.evaluate((no) => {
      const el = document.querySelector(`#outcome .instance[data-instance="${no}"]`);
      const facts = {};
      for (const div of el.querySelectorAll('.facts > div')) facts[div.querySelector('dt').textContent] = div.querySelector('dd').textContent;
      return {
        name: el.querySelector('.service-name').textContent, status: el.querySelector('.badge').textContent, facts,
        servers: [...el.querySelectorAll('table.servers tbody tr')].map((r) => [...r.cells].map((c) => c.textContent)),
        groups: [...el.querySelectorAll('.acgs li')].map((li) => li.textContent),
      };
    }, A);
    assert.equal(card.name, 'cache-a');
    assert.equal(card.status, 'running');
    assert.equal(card.facts.Memory, formatBytes(instance.memorySize));
    assert.match(card.facts.Memory, /^\d+(\.\d+)? (MiB|GiB)$/);
    assert.equal(card.facts['High availability'], 'No');
    assert.equal(card.facts.Zone, 'KR-1 (Gasan zone)');
    assert.equal(card.facts.Region, 'Korea (KR)');
    assert.equal(card.facts.Engine, instance.engineVersion);
    assert.match(card.facts.Engine, /^REDIS \d+\.\d+/);
    assert.equal(card.facts.Port, String(redisA.port));
    assert.equal(card.servers.length, 1);
    const [name, role, status, dns, uptime] = card.servers[0];
    assert.deepEqual([name, role, status, dns], ['cache-a-001', 'Master (M)', 'running', '127.0.0.1']);
    assert.match(uptime, /^\d+ (s|min)( \d+ s)?since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+09:00$/);
    assert.equal(card.groups.length, 1);
    assert.match(card.groups[0], /^cloud-redis-882689 #\d+/);

    const history = await readHistory(s.page);
    assert.equal(history.length, 1);
    assert.deepEqual(history[0].slice(1), [A, `This gateway${gateway.url}`, 'Flushed']);
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('the curl command of the preview, copied with Copy, flushes the instance from a shell', async () => {
  await seed(9, 4);
  const s = await openPage(browser);
  try {
    // What the page gives the clipboard, recorded on its way to the browser's own writeText
    // (Firefox has no clipboard-read permission to read it back).
    await s.context.addInitScript(() => {
      const write = Clipboard.prototype.writeText;
      window.copied = [];
      Clipboard.prototype.writeText = function writeText(text) {
        window.copied.push(text);
        return write.call(this, text);
      };
    });
    await openConsole(s.page, `${gateway.url}/`);
    await fillForm(s.page, { accessKey: AK, secretKey: SK, instanceNo: A });
    const { curl } = await readPreview(s.page);
    await s.page.click('#copy');
    await s.page.waitForFunction(() => document.querySelector('.copy-status')?.textContent.includes('Copied'));
    assert.deepEqual(await s.page.evaluate(() => window.copied), [curl]);
    assert.ok(!curl.includes(SK));

    const { stdout } = await promisify(execFile)('sh', ['-c', `${curl} --silent --show-error --noproxy '*' --write-out '\\n%{http_code}'`]);
    const body = stdout.slice(0, stdout.lastIndexOf('\n'));
    assert.equal(stdout.slice(stdout.lastIndexOf('\n') + 1), '200', stdout);
    assert.equal(parseFlushResponse(body).cloudDBInstanceList[0].cloudDBInstanceNo, A);
    assert.deepEqual(await keys(), [0, 4]);
    assert.deepEqual(s.apiRequests(), [], 'the page itself sent a request');
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('without navigator.clipboard, Copy selects the command for Ctrl+C', async () => {
  const s = await openPage(browser);
  try {
    await s.context.addInitScript(() => Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined }));
    await openConsole(s.page, `${gateway.url}/`);
    await fillForm(s.page, { accessKey: AK, secretKey: SK, instanceNo: A });
    const { curl } = await readPreview(s.page);
    await s.page.click('#copy');
    assert.match(await s.page.textContent('.copy-status'), /press Ctrl\+C/);
    assert.equal(await s.page.evaluate(() => window.getSelection().toString()), curl);
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('a wrong secret: the 401 with kind, code, message, hint and clock; nothing flushed; then the right one flushes', async () => {
  await seed(10, 5);
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${gateway.url}/`);
    const logsBefore = gateway.logs.length;
    await fillForm(s.page, { accessKey: AK, secretKey: 'SK-not-the-right-one', instanceNo: A });
    await confirmFlush(s.page, A);
    await waitOutcome(s.page);
    const error = await readError(s.page);
    assert.equal(error.role, 'alert');
    assert.equal(error.live, 'assertive');
    assert.deepEqual([error.kind, error.code, error.title], ['gateway', '200', 'Authentication failed']);
    assert.deepEqual(error.facts, { Kind: 'gateway', Code: '200', 'HTTP status': '401' });
    assert.match(error.message, /^API Gateway error 200: Authentication Failed/);
    assert.match(error.hint, /Check the access key and the secret key/);
    assert.match(error.hint, /clock/);
    // The browser and the gateway read the same clock; the page learnt the gateway's from Date.
    assert.match(error.clock, /Your clock and the server’s agree/);
    assert.deepEqual(await keys(), [10, 5]);
    assert.match(apiLogs(logsBefore)[0].outcome, /^auth_failed/);

    await fillForm(s.page, { secretKey: SK });
    await confirmFlush(s.page, A);
    await s.page.waitForSelector('#outcome .alert.success');
    assert.deepEqual(await keys(), [0, 5]);
    const history = await readHistory(s.page);
    assert.deepEqual(history.map((row) => [row[1], row[3]]), [
      [A, 'Flushed'],
      [A, 'Authentication failed (gateway 200 · HTTP 401)'],
    ]);
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('a browser clock 10 minutes slow: the 401 hint says so, from the Date header', async () => {
  await seed(3, 3);
  const s = await openPage(browser);
  try {
    await shiftClock(s.context, -10 * 60_000);
    await openConsole(s.page, `${gateway.url}/`);
    await fillForm(s.page, { accessKey: AK, secretKey: SK, instanceNo: A });
    await confirmFlush(s.page, A);
    await waitOutcome(s.page);
    const error = await readError(s.page);
    assert.deepEqual([error.kind, error.code], ['gateway', '200']);
    assert.match(error.hint, /^Your clock is 10 min( \d+ s)? behind the server’s: set it right/);
    assert.doesNotMatch(error.hint, /secret key/);
    assert.match(error.clock, /10 min( \d+ s)? behind the server’s: more than the 5 minutes/);
    assert.deepEqual(await keys(), [3, 3]);
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('a confirmation typed wrong sends nothing; Escape closes the dialog', async () => {
  await seed(8, 4);
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${gateway.url}/`);
    const logsBefore = gateway.logs.length;
    await fillForm(s.page, { accessKey: AK, secretKey: SK, instanceNo: A });
    await s.page.click('#flush');
    await s.page.waitForSelector('#confirm[open]');

    await s.page.fill('#confirm-input', '88268'); // a prefix: not yet wrong, not yet right
    assert.equal(await s.page.isDisabled('#confirm-flush'), true);
    assert.equal(await s.page.isVisible('#confirm-mismatch'), false);
    await s.page.fill('#confirm-input', '882698'); // transposed digits
    assert.equal(await s.page.isDisabled('#confirm-flush'), true);
    assert.equal(await s.page.isVisible('#confirm-mismatch'), true);
    assert.equal(await s.page.getAttribute('#confirm-input', 'aria-invalid'), 'true');
    await s.page.press('#confirm-input', 'Enter'); // implicit submission must not flush
    await s.page.click('#confirm-flush', { force: true }); // nor a click on the disabled button
    assert.equal(await s.page.evaluate(() => document.querySelector('#confirm').open), true);
    await s.page.fill('#confirm-input', ` ${A}`); // close is not equal
    assert.equal(await s.page.isDisabled('#confirm-flush'), true);

    await s.page.fill('#confirm-input', A);
    assert.equal(await s.page.isEnabled('#confirm-flush'), true); // the check is equality, not "always off"
    await s.page.keyboard.press('Escape');
    assert.equal(await s.page.evaluate(() => document.querySelector('#confirm').open), false);
    assert.equal(await s.page.evaluate(() => document.activeElement.id), 'flush');

    // Reopened, the dialog starts empty again.
    await s.page.click('#flush');
    assert.equal(await s.page.inputValue('#confirm-input'), '');
    assert.equal(await s.page.isDisabled('#confirm-flush'), true);
    await s.page.click('#confirm-cancel');

    assert.deepEqual(s.apiRequests().map((r) => r.url()), []);
    assert.deepEqual(apiLogs(logsBefore), []);
    assert.deepEqual(await keys(), [8, 4]);
    assert.deepEqual(await readHistory(s.page), []);
    assert.equal(await s.page.isHidden('#outcome'), true);
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('the form is checked as it is typed; an invalid form opens no dialog', async () => {
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${gateway.url}/`);
    const field = s.page.locator('#instance-no');
    const message = () => s.page.evaluate(() => {
      const p = document.querySelector('#instance-no-error');
      return p.hidden ? '' : p.textContent;
    });
    await field.pressSequentially('0');
    assert.match(await message(), /No leading zero/);
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    await field.press('Backspace');
    assert.match(await message(), /Enter the instance number/);
    await field.pressSequentially('12a');
    assert.equal(await message(), 'Digits only: remove “a”.');
    await field.press('Backspace');
    assert.equal(await message(), '');
    assert.equal(await field.getAttribute('aria-invalid'), null);
    assert.equal(await field.getAttribute('aria-describedby'), 'instance-no-error instance-no-note');

    await s.page.fill('#access-key', `${AK} `);
    assert.match(await s.page.textContent('#access-key-error'), /ends with a space/);
    await s.page.fill('#access-key', '');

    // Enter with everything missing: no dialog, every problem shown, focus on the first.
    await s.page.fill('#instance-no', '');
    await s.page.press('#instance-no', 'Enter');
    assert.equal(await s.page.evaluate(() => document.querySelector('#confirm').open), false);
    assert.equal(await s.page.evaluate(() => document.activeElement.id), 'access-key');
    for (const id of ['access-key', 'secret-key', 'instance-no']) {
      assert.equal(await s.page.isVisible(`#${id}-error`), true, id);
    }
    assert.match(await s.page.textContent('#preview'), /Complete the form .*access key, secret key, instance number/);

    await s.page.check('input[name="endpoint"][value="custom"]');
    await s.page.fill('#custom-url', 'http://127.0.0.1:1/?x=1');
    assert.match(await s.page.textContent('#custom-url-error'), /Remove the query/);
    await s.page.fill('#timeout', '0');
    assert.match(await s.page.textContent('#timeout-error'), /Between 1 and 300/);
    assert.deepEqual(s.apiRequests(), []);
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('GET and XML: instance B flushed, its card, and the raw XML one click away', async () => {
  await seed(6, 12);
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${gateway.url}/`);
    const logsBefore = gateway.logs.length;
    await fillForm(s.page, { accessKey: AK, secretKey: SK, instanceNo: B, method: 'GET', format: 'xml' });
    const preview = await readPreview(s.page);
    assert.equal(preview.method, 'GET');
    assert.equal(preview.url, FLUSH_URL(gateway.url, B, 'xml'));
    assert.equal(preview.headers['x-ncp-apigw-signature-v2'],
      signRequest({ method: 'GET', url: preview.url, timestamp: preview.headers['x-ncp-apigw-timestamp'], accessKey: AK, secretKey: SK }).signature);
    await confirmFlush(s.page, B);
    await s.page.waitForSelector('#outcome .alert.success');
    assert.deepEqual(await keys(), [6, 0]);
    assert.deepEqual(apiLogs(logsBefore).map((l) => [l.method, l.instance, l.outcome]), [['GET', B, 'flushed']]);
    assert.equal(await s.page.textContent(`.instance[data-instance="${B}"] .service-name`), 'sessions-b');
    assert.deepEqual(await s.page.$$eval(`.instance[data-instance="${B}"] .facts > div`, (rows) => rows
      .filter((r) => r.querySelector('dt')?.textContent === 'High availability').map((r) => r.querySelector('dd').textContent)), ['Yes']);
    assert.match(await s.page.textContent('#outcome details.raw summary'), /XML/);
    assert.equal(await s.page.isVisible('#outcome details.raw pre'), false);
    await s.page.click('#outcome details.raw summary');
    assert.equal(await s.page.isVisible('#outcome details.raw pre'), true);
    assert.match(await s.page.textContent('#outcome details.raw pre'), /^<\?xml[^>]*>\s*<flushCloudDBInstanceResponse>/);
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('an unknown instance: api 1003 and what to do', async () => {
  await seed(2, 2);
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${gateway.url}/`);
    await fillForm(s.page, { accessKey: AK, secretKey: SK, instanceNo: '999999' });
    await confirmFlush(s.page, '999999');
    await waitOutcome(s.page);
    const error = await readError(s.page);
    assert.deepEqual([error.kind, error.code, error.title, error.facts['HTTP status']], ['api', '1003', 'Unknown instance', '400']);
    assert.match(error.hint, /^Unknown instance 999999: check the number/);
    assert.deepEqual(await keys(), [2, 2]);
    assert.match((await readHistory(s.page))[0][3], /^Unknown instance \(api 1003 · HTTP 400\)$/);
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('no gateway at the custom URL: a network error that asks whether it runs there', async () => {
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${gateway.url}/`);
    const closed = `http://127.0.0.1:${await freePort()}`;
    await fillForm(s.page, { endpoint: 'custom', customUrl: closed, accessKey: AK, secretKey: SK, instanceNo: A });
    assert.equal((await readPreview(s.page)).url, FLUSH_URL(closed, A));
    await confirmFlush(s.page, A);
    await waitOutcome(s.page);
    const error = await readError(s.page);
    assert.deepEqual([error.kind, error.code, error.title], ['network', 'FETCH_FAILED', 'Could not reach the gateway']);
    assert.ok(error.hint.startsWith(`Is the gateway running at ${closed}?`), error.hint);
    assert.equal(error.clock, null);
    assert.equal((await readHistory(s.page))[0][3], 'Network error');
    await assertClean(s);
  } finally {
    await s.close();
  }
});

/** An API server that answers CORS preflights and never answers anything else. */
async function hangingServer() {
  const waiting = [];
  let onRequest = () => {};
  const server = createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'x-ncp-apigw-timestamp, x-ncp-iam-access-key, x-ncp-apigw-signature-v2',
      });
      res.end();
      return;
    }
    waiting.push(res);
    onRequest();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    received: () => waiting.length,
    nextRequest: () => new Promise((r) => { onRequest = r; }),
    close: () => new Promise((r) => {
      for (const res of waiting) res.destroy();
      server.close(r);
      server.closeAllConnections();
    }),
  };
}

test('Cancel stops a flush in progress; the timeout ends one that gets no answer', async () => {
  const hang = await hangingServer();
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${gateway.url}/`);
    await fillForm(s.page, { endpoint: 'custom', customUrl: hang.url, accessKey: AK, secretKey: SK, instanceNo: A });
    const arrived = hang.nextRequest();
    await confirmFlush(s.page, A);
    await arrived;
    assert.equal(await s.page.isVisible('#progress'), true);
    assert.equal(await s.page.textContent('#progress-text'), `Flushing instance ${A} at ${hang.url}…`);
    assert.equal(await s.page.getAttribute('#progress-text', 'role'), 'status');
    assert.equal(await s.page.isDisabled('#flush'), true);
    await s.page.click('#cancel');
    await waitOutcome(s.page);
    let error = await readError(s.page);
    assert.deepEqual([error.kind, error.code, error.title], ['cancelled', 'CANCELLED', 'Cancelled']);
    assert.match(error.hint, /may have been flushed anyway/);
    assert.equal(await s.page.isEnabled('#flush'), true);

    await fillForm(s.page, { timeout: 1 });
    const second = hang.nextRequest();
    await confirmFlush(s.page, A);
    await second;
    await s.page.waitForSelector('#outcome .alert.failure[data-kind="timeout"]', { timeout: 20_000 });
    error = await readError(s.page);
    assert.deepEqual([error.code, error.message], ['TIMEOUT', 'No answer within 1 s.']);
    assert.match(error.hint, /^No answer within 1 s\./);
    assert.equal(hang.received(), 2);
    assert.deepEqual((await readHistory(s.page)).map((r) => r[3]), ['Timed out', 'Cancelled']);
    await assertClean(s);
  } finally {
    await s.close();
    await hang.close();
  }
});

test('from a static server: /clouddb/ is not there (404 and its hint), a custom gateway URL works across origins', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ncloud-console-'));
  cpSync(WWW, dir, { recursive: true });
  cpSync(PKG, join(dir, 'pkg'), { recursive: true });
  const server = await serveStatic(dir);
  await seed(5, 7);
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${server.url}/`);
    assert.match(await s.page.textContent('#endpoint-note'), new RegExp(`server of this page \\(${server.url}\\)`));
    await fillForm(s.page, { accessKey: AK, secretKey: SK, instanceNo: B });
    await confirmFlush(s.page, B);
    await waitOutcome(s.page);
    let error = await readError(s.page);
    assert.deepEqual([error.kind, error.code, error.facts['HTTP status']], ['http', 'ERR_HTTP_STATUS', '404']);
    assert.match(error.hint, /it is not ncloud-gateway \(a static server\?\)\. .*Custom base URL/);

    await fillForm(s.page, { endpoint: 'custom', customUrl: `${gateway.url}/`, secretKey: 'SK-wrong' });
    await confirmFlush(s.page, B);
    await s.page.waitForSelector('#outcome .alert.failure[data-code="200"]');
    error = await readError(s.page);
    // Date is read across origins only because the gateway exposes it (CORS).
    assert.match(error.clock, /agree/);

    await fillForm(s.page, { secretKey: SK });
    await confirmFlush(s.page, B);
    await s.page.waitForSelector('#outcome .alert.success');
    assert.deepEqual(await keys(), [5, 0]);
    assert.equal(await s.page.textContent(`.instance[data-instance="${B}"] .service-name`), 'sessions-b');
    assert.deepEqual((await readHistory(s.page)).map((r) => r[3]), [
      'Flushed', 'Authentication failed (gateway 200 · HTTP 401)', 'HTTP 404 (http ERR_HTTP_STATUS · HTTP 404)',
    ]);
    await assertClean(s);
  } finally {
    await s.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('NAVER Cloud through the gateway: the request goes to this origin, which forwards it to its --upstream', async () => {
  await seed(6, 6);
  // A forwarding gateway serving the console; its upstream is the emulating gateway, standing in
  // for NAVER Cloud, so nothing leaves loopback.
  const forwarder = await startGateway({ extra: `www_dir = ${JSON.stringify(WWW)}\npkg_dir = ${JSON.stringify(PKG)}` }, ['--upstream', gateway.url, '--allow-http-upstream']);
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${forwarder.url}/`);
    await fillForm(s.page, { endpoint: 'gov', accessKey: AK, secretKey: SK, instanceNo: A });
    const note = await s.page.textContent('#endpoint-note');
    assert.match(note, new RegExp(`Requests go to this gateway \\(${forwarder.url}\\)`));
    assert.match(note, /--upstream https:\/\/ncloud\.apigw\.gov-ntruss\.com\b/);
    assert.equal((await readPreview(s.page)).url, FLUSH_URL(forwarder.url, A));
    await s.page.click('#flush');
    assert.match(await s.page.textContent('#confirm-base'), /forwarded to https:\/\/ncloud\.apigw\.gov-ntruss\.com if the gateway runs with that --upstream/);
    await s.page.fill('#confirm-input', A);
    await s.page.click('#confirm-flush');
    await s.page.waitForSelector('#outcome .alert.success');
    assert.deepEqual(await keys(), [0, 6]);
    assert.deepEqual(forwarder.logs.filter((l) => l.path.startsWith('/clouddb/')).map((l) => l.outcome), ['forwarded: 200']);
    assert.deepEqual(s.apiRequests().map((r) => new URL(r.url()).origin), [forwarder.url]);
    assert.equal((await readHistory(s.page))[0][2], `NAVER Cloud gov${forwarder.url}`);
    await assertClean(s);
  } finally {
    await s.close();
    await forwarder.stop();
  }
});

test('remember the access key: stored only when ticked, never the secret, which a reload forgets', async () => {
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${gateway.url}/`);
    const storage = () => s.page.evaluate(() => ({ ...localStorage }));
    await fillForm(s.page, { accessKey: AK, secretKey: SK, instanceNo: A });
    assert.deepEqual(await storage(), {});
    await s.page.click('#reveal');
    assert.deepEqual([await s.page.getAttribute('#secret-key', 'type'), await s.page.getAttribute('#reveal', 'aria-pressed')], ['text', 'true']);
    await s.page.click('#reveal');
    assert.deepEqual([await s.page.getAttribute('#secret-key', 'type'), await s.page.getAttribute('#reveal', 'aria-pressed')], ['password', 'false']);

    await s.page.check('#remember');
    assert.deepEqual(Object.values(await storage()), [AK]);
    await s.page.fill('#access-key', `${AK}-2`);
    assert.deepEqual(Object.values(await storage()), [`${AK}-2`]);
    await assertClean(s);

    await s.page.reload();
    await s.page.waitForSelector('#loader', { state: 'hidden' });
    assert.equal(await s.page.inputValue('#access-key'), `${AK}-2`);
    assert.equal(await s.page.isChecked('#remember'), true);
    assert.equal(await s.page.inputValue('#secret-key'), '');

    await s.page.uncheck('#remember');
    assert.deepEqual(await storage(), {});
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('by keyboard: a logical tab order with visible focus, Enter submits, Escape closes, Enter flushes', async () => {
  await seed(4, 4);
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${gateway.url}/`);
    const focused = () => s.page.evaluate(() => {
      const el = document.activeElement;
      const shown = el.closest('.segmented') ? el.nextElementSibling : el; // segmented radios draw focus on their label
      const style = getComputedStyle(shown);
      return { id: el.id || `${el.name}=${el.value}`, outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
    });
    const order = [];
    for (let i = 0; i < 12; i++) {
      await s.page.keyboard.press('Tab');
      const f = await focused();
      assert.ok(f.outline, `no visible focus on ${f.id}`);
      order.push(f.id);
    }
    // The platform and List instances come before the number they fill in.
    assert.deepEqual(order, ['endpoint=origin', 'access-key', 'remember', 'secret-key', 'reveal', 'platform=classic', 'list',
      'instance-no', 'format=json', 'method=POST', 'timeout', 'flush']);

    await s.page.focus('#access-key');
    await s.page.keyboard.type(AK);
    await s.page.keyboard.press('Tab');
    await s.page.keyboard.press('Tab');
    await s.page.keyboard.type(SK);
    for (let i = 0; i < 4; i++) await s.page.keyboard.press('Tab'); // reveal, platform, list, instance number
    assert.equal(await s.page.evaluate(() => document.activeElement.id), 'instance-no');
    await s.page.keyboard.type(A);
    await s.page.keyboard.press('Enter');
    assert.equal(await s.page.evaluate(() => document.querySelector('#confirm').open && document.activeElement.id), 'confirm-input');
    await s.page.keyboard.press('Escape');
    assert.equal(await s.page.evaluate(() => !document.querySelector('#confirm').open && document.activeElement.id), 'instance-no');
    assert.deepEqual(await keys(), [4, 4]);

    await s.page.keyboard.press('Enter');
    await s.page.keyboard.type(A);
    await s.page.keyboard.press('Enter');
    await s.page.waitForSelector('#outcome .alert.success');
    assert.deepEqual(await keys(), [0, 4]);
    assert.equal(await s.page.evaluate(() => document.activeElement.matches('#outcome h2')), true);
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('a phone-sized screen (375 px): one column, no sideways scrolling, the result readable', async () => {
  await seed(3, 1);
  const s = await openPage(browser, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  try {
    await openConsole(s.page, `${gateway.url}/`);
    await fillForm(s.page, { accessKey: AK, secretKey: SK, instanceNo: A });
    await confirmFlush(s.page, A);
    await s.page.waitForSelector('#outcome .alert.success');
    assert.deepEqual(await keys(), [0, 1]);
    const layout = await s.page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      widest: Math.max(...[...document.querySelectorAll('.panel, pre, table, button, input')].map((e) => e.getBoundingClientRect().right)),
      columns: new Set([...document.querySelectorAll('.layout > .column')].map((c) => c.getBoundingClientRect().left)).size,
      flushWidth: document.querySelector('#flush').getBoundingClientRect().width,
    }));
    assert.ok(layout.scrollWidth <= 375, `the page scrolls sideways: ${layout.scrollWidth}px`);
    assert.equal(layout.columns, 1);
    assert.ok(layout.flushWidth >= 300, `Flush is ${layout.flushWidth}px wide`);
    // Wide tables scroll inside their frame; their frame stays on the screen.
    const frames = await s.page.$$eval('.table-scroll', (els) => els.map((e) => e.getBoundingClientRect().right));
    for (const right of frames) assert.ok(right <= 375, `a table frame ends at ${right}px`);
    await assertClean(s);
  } finally {
    await s.close();
  }
});
