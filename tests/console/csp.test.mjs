// The console's Content-Security-Policy: its requests may go to the page's own origin, to http
// only on loopback (a gateway on this computer: 127.0.0.1, localhost) and to https
// anywhere else; never to a plain-http host elsewhere, where the signed request (and the answer
// about the account's instances) would cross the network in clear.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from '../support/chromium.mjs';
import { WWW, openConsole, openPage, startStack } from './harness.mjs';

// Not http://[::1]:*: CSP host sources cannot name an IPv6 literal (Chromium drops it, with a
// console error); a gateway on [::1] is reached as localhost, or serves the page ('self').
const LOOPBACK = ['http://127.0.0.1:*', 'http://localhost:*'];

/** The directives of the page's CSP meta, as `{ name: [sources] }`. */
function csp() {
  const html = readFileSync(join(WWW, 'index.html'), 'utf8');
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
  assert.ok(meta, 'index.html has no Content-Security-Policy meta');
  return Object.fromEntries(meta[1].split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name, sources]));
}

test('connect-src: this origin, http on loopback only, https elsewhere', () => {
  const policy = csp();
  assert.deepEqual(policy['connect-src'].slice().sort(), ["'self'", ...LOOPBACK, 'https:'].sort());
  assert.ok(!policy['connect-src'].includes('http:'), 'http: allows any plain-http host');
  assert.deepEqual(policy['default-src'], ["'none'"]);
});

let stack;
let browser;

test('the gateway serves the console with the same policy as a header, plus frame-ancestors', async () => {
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(readFileSync(join(WWW, 'index.html'), 'utf8'))[1];
  const response = await fetch(`${stack.gateway.url}/`);
  await response.arrayBuffer();
  assert.equal(response.headers.get('content-security-policy'), `${meta}; frame-ancestors 'none'`);
});

before(async () => {
  stack = await startStack();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('in the browser: plain http to another host is refused by the policy; loopback and https are not', async () => {
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${stack.gateway.url}/`);
    // The policy parses without a complaint (Chromium logs an invalid source as an error).
    assert.deepEqual(s.errors(), []);
    const { port } = new URL(stack.gateway.url);
    const allowed = [`http://127.0.0.1:${port}/csp-probe`, `http://localhost:${port}/csp-probe`, `https://127.0.0.1:${port}/csp-probe`];
    const refused = ['http://csp-probe.invalid/x', 'http://192.0.2.1/x', 'http://10.0.0.1:8080/x'];
    const violations = await s.page.evaluate(async (urls) => {
      const seen = [];
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
      await Promise.all(urls.map((u) => fetch(u, { cache: 'no-store' }).then((r) => r.arrayBuffer(), () => null)));
      await new Promise((resolve) => setTimeout(resolve, 200));
      return seen;
    }, [...allowed, ...refused]);
    const origins = violations.map((v) => { const [directive, uri] = v.split(' '); return `${directive} ${new URL(uri).origin}`; });
    for (const url of refused) assert.ok(origins.includes(`connect-src ${new URL(url).origin}`), `${url} was not refused: ${violations}`);
    for (const url of allowed) assert.ok(!origins.some((o) => o.endsWith(` ${new URL(url).origin}`)), `${url} was refused: ${violations}`);
    // Reported once by each policy that refuses it: the gateway's header and the page's meta.
    assert.equal(new Set(violations).size, refused.length, violations.join('\n'));
  } finally {
    await s.close();
  }
});
