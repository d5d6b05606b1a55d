// The console reads at most MAX_ANSWER_BYTES (16 MiB) of an answer: a listing or a flush answered
// with more (a Content-Length above the limit, or a chunked body that streams past it) is shown
// as an error that names the limit, at once, without reading the rest. A flush's answer too long
// to read may be the answer of a flush that ran: the hint says so. In Debian's Chromium, the page
// served by the real gateway, the API a small loopback server (CORS as the gateway answers it).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { launch } from '../support/chromium.mjs';
import { A, AK, PKG, SK, WWW, confirmFlush, fillForm, listInstances, openConsole, openPage, startGateway, waitOutcome } from './harness.mjs';
import { stream } from '../support/big-answer.mjs';

const MiB = 1024 * 1024;
/**
 * What the server may manage to write before the console's cancel reaches it: the page reads at
 * most 16 MiB, but the browser's network service and the sockets buffer ahead of the page.
 */
const WRITTEN_AT_MOST = 64 * MiB;

let gateway;
let browser;

before(async () => {
  gateway = await startGateway({
    credentials: [{ accessKey: AK, secretKey: SK }],
    instances: [],
    extra: `www_dir = ${JSON.stringify(WWW)}\npkg_dir = ${JSON.stringify(PKG)}`,
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await gateway?.stop();
});

const CORS = { 'access-control-allow-origin': '*' };

/**
 * An API server that answers CORS preflights, and every other request with `shape`: `declared`
 * (a Content-Length of 1 GiB, 256 MiB sent, then left open) or `chunked` (256 MiB, no length).
 */
async function oversizedServer(shape) {
  const requests = [];
  const written = [];
  const server = createServer(async (req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...CORS,
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'x-ncp-apigw-timestamp, x-ncp-iam-access-key, x-ncp-apigw-signature-v2',
      });
      res.end();
      return;
    }
    requests.push({ method: req.method, path: req.url.split('?')[0] });
    if (shape === 'declared') {
      res.writeHead(200, { ...CORS, 'content-type': 'application/json', 'content-length': String(1024 * MiB) });
      written.push(await stream(res, 256 * MiB, { end: false }));
    } else {
      res.writeHead(200, { ...CORS, 'content-type': 'application/json' });
      written.push(await stream(res, 256 * MiB));
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    written,
    close: () => new Promise((r) => {
      server.close(r);
      server.closeAllConnections();
    }),
  };
}

/** An error panel (the listing's or the outcome's): kind, code, title, facts, message, hint. */
function readPanel(page, where) {
  return page.evaluate((selector) => {
    const panel = document.querySelector(`${selector} .alert.failure`);
    if (!panel) return null;
    const facts = {};
    for (const div of panel.querySelectorAll('.error-facts > div')) facts[div.querySelector('dt').textContent] = div.querySelector('dd').textContent;
    return {
      kind: panel.dataset.kind, code: panel.dataset.code, title: panel.querySelector('.alert-title').textContent, facts,
      message: panel.querySelector('.message').textContent, hint: panel.querySelector('.hint').lastChild.textContent,
    };
  }, where);
}

for (const shape of ['declared', 'chunked']) {
  const what = shape === 'declared' ? 'a Content-Length of 1 GiB' : 'a chunked body of 256 MiB';

  test(`a listing answered with more than 16 MiB (${what}): an error naming the limit, the rest not read`, { timeout: 90_000 }, async () => {
    const api = await oversizedServer(shape);
    const s = await openPage(browser);
    try {
      await openConsole(s.page, `${gateway.url}/`);
      // 5 s: a console that waited for the whole answer would time out instead.
      await fillForm(s.page, { endpoint: 'custom', customUrl: api.url, accessKey: AK, secretKey: SK, timeout: 5 });
      const started = Date.now();
      await listInstances(s.page);
      assert.ok(Date.now() - started < 4000, `the listing took ${Date.now() - started} ms`);
      const error = await readPanel(s.page, '#instances');
      assert.ok(error, await s.page.textContent('#instances'));
      assert.deepEqual([error.kind, error.code, error.title, error.facts['HTTP status']], ['http', 'ERR_BODY_TOO_LARGE', 'Answer too large', '200']);
      assert.match(error.message, /above the 16 MiB an answer may have/);
      assert.match(error.hint, /far larger than an API answer/);
      assert.match(await s.page.textContent('#list-status'), /^Listing failed: Answer too large\.$/);
      assert.deepEqual(api.requests.map((r) => r.path), ['/clouddb/v2/getCloudDBInstanceList']);
      await new Promise((r) => setTimeout(r, 200));
      for (const bytes of api.written) assert.ok(bytes < WRITTEN_AT_MOST, `the server wrote ${bytes} bytes: the answer was read on`);
      assert.deepEqual(s.errors(), []);
    } finally {
      await s.close();
      await api.close();
    }
  });

  test(`a flush answered with more than 16 MiB (${what}): an error naming the limit, and that it may have run`, { timeout: 90_000 }, async () => {
    const api = await oversizedServer(shape);
    const s = await openPage(browser);
    try {
      await openConsole(s.page, `${gateway.url}/`);
      await fillForm(s.page, { endpoint: 'custom', customUrl: api.url, accessKey: AK, secretKey: SK, instanceNo: A, timeout: 5 });
      const started = Date.now();
      await confirmFlush(s.page, A);
      await waitOutcome(s.page);
      assert.ok(Date.now() - started < 4000, `the flush took ${Date.now() - started} ms`);
      const error = await readPanel(s.page, '#outcome');
      assert.ok(error, await s.page.textContent('#outcome'));
      assert.deepEqual([error.kind, error.code, error.title, error.facts['HTTP status']], ['http', 'ERR_BODY_TOO_LARGE', 'Answer too large', '200']);
      assert.match(error.message, /above the 16 MiB an answer may have/);
      assert.match(error.hint, /may have been flushed anyway/);
      assert.deepEqual(api.requests.map((r) => r.path), ['/clouddb/v2/flushCloudDBInstance']);
      const history = await s.page.$$eval('#history tbody tr', (rows) => rows.map((r) => r.cells[3].textContent));
      assert.deepEqual(history, ['Answer too large (http ERR_BODY_TOO_LARGE · HTTP 200)']);
      await new Promise((r) => setTimeout(r, 200));
      for (const bytes of api.written) assert.ok(bytes < WRITTEN_AT_MOST, `the server wrote ${bytes} bytes: the answer was read on`);
      assert.deepEqual(s.errors(), []);
    } finally {
      await s.close();
      await api.close();
    }
  });
}
