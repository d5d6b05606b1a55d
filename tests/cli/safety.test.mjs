// What the command-line client must never do, whatever a server answers or a user types: send a
// flush twice on its own, pass a server's control characters to the terminal, echo the secret
// key, or sign with a clock that is far off. Run as users get it (the
// installed tarball's bin) against small loopback servers that count what they receive, and the
// local gateway over a real Redis server.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, totalKeys, fill } from '../support/redis.mjs';
import { startGateway } from '../support/gateway.mjs';
import { CLI, runners } from './harness.mjs';

const KEYS = { accessKey: 'AK-cli-safety', secretKey: 'SK-cli-safety-S3CR3T-quokka-6c1e' };
const A = '882689';

let redis;
let gateway;
let home;
const outputs = [];
const cleanups = [];

before(async () => {
  redis = await startRedis();
  gateway = await startGateway({ credentials: [KEYS], instances: [{ no: A, redisUrl: redis.url, name: 'cache-a' }] });
  home = mkdtempSync(join(tmpdir(), 'ncloud-cli-safety-home-'));
});

after(async () => {
  for (const c of cleanups.reverse()) await c();
  await gateway?.stop();
  await redis?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

const env = { NCLOUD_ACCESS_KEY: KEYS.accessKey, NCLOUD_SECRET_KEY: KEYS.secretKey };
const { runProgram, runDialog } = runners({ home: () => home, outputs, defaultEnv: () => env });
const run = (args, options) => runProgram(CLI, args, options);

/** A loopback HTTP server whose `handler(req, res, n)` answers request n; counts the requests. */
async function startServer(handler) {
  const requests = [];
  const server = createHttpServer(async (req, res) => {
    const n = requests.length;
    requests.push({ method: req.method, path: req.url.split('?')[0] });
    try {
      await handler(req, res, n);
    } catch (e) {
      res.destroy(e);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  cleanups.push(close);
  const flushes = () => requests.filter((r) => r.path.includes('flush')).length;
  return { url: `http://127.0.0.1:${server.address().port}`, requests, flushes, server };
}

const json = (res, status, value, headers = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
};
const gatewayError = (res, status, code, message) => json(res, status, { error: { errorCode: code, message, details: 'from the test server' } });

// ---------------------------------------------------------------------------------------------
// A flush is sent once.

test('a flush whose connection drops after the request, or that is never answered, is not sent again: exit 3, and how to check', async () => {
  const dropping = await startServer((req) => req.socket.destroy());
  const d = await run(['flush', A, '--yes', '--endpoint', dropping.url]);
  assert.equal(d.code, 3, d.stderr);
  assert.equal(dropping.flushes(), 1, 'the flush was sent again');
  assert.doesNotMatch(d.stderr, /retrying/);
  assert.match(d.stderr, /may have/);
  assert.ok(d.stderr.includes(`ncloud-redis-flush list --platform classic --endpoint ${dropping.url}`), d.stderr);

  const silent = await startServer(() => new Promise(() => {}));
  const t = await run(['flush', A, '--yes', '--endpoint', silent.url, '--timeout', '0.3', '--json']);
  assert.equal(t.code, 3, t.stderr);
  assert.equal(silent.flushes(), 1, 'the flush was sent again');
  const out = JSON.parse(t.stdout);
  assert.equal(out.exitCode, 3);
  assert.equal(out.error.kind, 'timeout');
  assert.match(out.error.hint, /may have/);

  // A VPC flush: the lookup (a listing) may be retried, the flush is not.
  let listed = 0;
  const vpc = await startServer((req, res) => {
    if (req.url.includes('getCloudRedisInstanceList')) {
      listed++;
      if (listed === 1) return req.socket.destroy();
      return json(res, 200, { getCloudRedisInstanceListResponse: { returnCode: '0', returnMessage: 'success', totalRows: 1, cloudRedisInstanceList: [{
        cloudRedisInstanceNo: '1103456', cloudRedisServiceName: 'orders', isHa: false,
        cloudRedisServerInstanceList: [{ cloudRedisServerInstanceNo: '11034561', cloudRedisServerRole: { code: 'M', codeName: 'Master' } }],
      }] } });
    }
    return req.socket.destroy();
  });
  const v = await run(['flush', '--platform', 'vpc', '11034561', '--yes', '--endpoint', vpc.url]);
  assert.equal(v.code, 3, v.stderr);
  assert.equal(listed, 2, 'the listing was not retried');
  assert.equal(vpc.flushes(), 1, 'the flush was sent again');
  assert.ok(v.stderr.includes(`ncloud-redis-flush list --platform vpc --endpoint ${vpc.url}`), v.stderr);
});

test('a flush is retried only on answers that say nothing ran: 429 and the gateway\'s 503; not 500, 502 or 504', async () => {
  await fill(redis.port, 4, 'a');
  const relay = async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) if (k.startsWith('x-ncp-')) headers[k] = v;
    const answer = await fetch(`${gateway.url}${req.url}`, { method: req.method, headers });
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(await answer.text());
  };
  const busy = await startServer((req, res, n) => {
    if (n === 0) return gatewayError(res, 429, '420', 'Rate Limited');
    if (n === 1) return gatewayError(res, 503, '500', 'Endpoint Error');
    return relay(req, res);
  });
  const r = await run(['flush', A, '--yes', '--endpoint', busy.url, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(busy.flushes(), 3);
  assert.equal(await totalKeys(redis.port), 0);

  for (const [status, code] of [[500, '900'], [504, '510'], [502, null]]) {
    const failing = await startServer((req, res) => (code ? gatewayError(res, status, code, 'failed') : (res.writeHead(status), res.end('<html>bad gateway</html>'))));
    const f = await run(['flush', A, '--yes', '--endpoint', failing.url]);
    assert.equal(f.code, 3, `${status}: ${f.stderr}`);
    assert.equal(failing.flushes(), 1, `${status} was retried`);
    assert.match(f.stderr, /may have/);
  }

  // Listings keep --retries: a dropped connection and a 500 are retried.
  const flaky = await startServer((req, res, n) => (n === 0 ? req.socket.destroy() : n === 1 ? gatewayError(res, 500, '900', 'x') : relay(req, res)));
  const l = await run(['list', '--endpoint', flaky.url]);
  assert.equal(l.code, 0, l.stderr);
  assert.equal(flaky.requests.length, 3);
});

// ---------------------------------------------------------------------------------------------
// Control characters from the server.

const EVIL = '\u001b]0;pwned\u0007\u001b[2J\u009b31m\u007f\r';
// Raw control characters other than newline and tab: none may reach the terminal.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

test('text from the server (names, messages, details) reaches stdout and stderr without control characters', async () => {
  const instance = {
    cloudDBInstanceNo: A, cloudDBServiceName: `cache${EVIL}-a`, cloudDBInstanceStatusName: `running${EVIL}`, engineVersion: `REDIS${EVIL} 7`,
    isHa: true, region: { regionCode: `KR${EVIL}` },
    cloudDBServerInstanceList: [{ cloudDBServerInstanceNo: `${A}1`, cloudDBServerName: `srv${EVIL}`, cloudDBServerRole: { code: 'M', codeName: `Master${EVIL}` }, cloudDBServerInstanceStatusName: `running${EVIL}` }],
  };
  const evil = await startServer((req, res) => {
    if (req.url.includes('getCloudDBInstanceList')) {
      return json(res, 200, { getCloudDBInstanceListResponse: { returnCode: '0', returnMessage: `success${EVIL}`, totalRows: 1, cloudDBInstanceList: [instance] } });
    }
    if (req.url.includes('999')) return json(res, 400, { responseError: { returnCode: '1003', returnMessage: `unknown${EVIL} instance` } });
    if (req.url.includes('777')) return json(res, 401, { error: { errorCode: '200', message: `Authentication${EVIL}Failed`, details: `details${EVIL}` } });
    return json(res, 200, { flushCloudDBInstanceResponse: { requestId: `req${EVIL}`, returnCode: '0', returnMessage: `success${EVIL}`, totalRows: 1, cloudDBInstanceList: [instance] } });
  });
  const runs = [
    await run(['flush', A, '--yes', '--endpoint', evil.url]),
    await run(['flush', A, '--yes', '--endpoint', evil.url, '--json']),
    await run(['list', '--endpoint', evil.url]),
    await run(['list', '--endpoint', evil.url, '--json']),
    await run(['flush', '999', '--yes', '--endpoint', evil.url]),
    await run(['flush', '777', '--yes', '--endpoint', evil.url]),
    await run(['flush', '777', '--yes', '--endpoint', evil.url, '--json']),
  ];
  assert.equal(runs[0].code, 0, runs[0].stderr);
  assert.match(runs[0].stdout, /service +cache-a/);
  assert.equal(runs[2].code, 0, runs[2].stderr);
  assert.equal(runs[4].code, 1);
  assert.equal(runs[5].code, 1);
  for (const [i, r] of runs.entries()) {
    assert.doesNotMatch(r.stdout, CONTROL, `run ${i}: stdout ${JSON.stringify(r.stdout)}`);
    assert.doesNotMatch(r.stderr, CONTROL, `run ${i}: stderr ${JSON.stringify(r.stderr)}`);
    assert.ok(!r.stdout.includes('pwned') || runs[i] === runs[1] || runs[i] === runs[3] || runs[i] === runs[6], `run ${i}: the title text is shown`);
  }
  // --json keeps the text, escaped: nothing of it is a raw control character.
  assert.ok(JSON.parse(runs[1].stdout).result.cloudDBInstanceList[0].cloudDBServiceName.includes('\u001b]0;pwned'));

  // The terminal's question names the instance: no control character there either.
  const asked = await runDialog(['flush', A, '--endpoint', evil.url], { steps: [[/Type the instance number to confirm/, 'no']] });
  assert.equal(asked.answered, 1, asked.out);
  assert.ok(!asked.out.includes('\u001b]0;pwned') && !asked.out.includes('\u001b[2J'), JSON.stringify(asked.out));
});

// ---------------------------------------------------------------------------------------------
// The secret key.

test('the secret key is never echoed, whatever the mistake; --secret-key warns; --secret-key-stdin reads it', async () => {
  const S = KEYS.secretKey;
  const mistakes = [
    ['--access-key', KEYS.accessKey, S, 'flush', A],
    ['--access-key', KEYS.accessKey, S],
    [S, 'flush', A],
    ['flush', A, S, '--yes'],
    ['list', S],
    ['--access-key', KEYS.accessKey, '--secret-key', S, '--bogus'],
    ['--access-key', KEYS.accessKey, '--secret-key', S, 'flush'],
    ['--access-key', KEYS.accessKey, '--secret-key', S, 'lisst'],
    ['--access-key', KEYS.accessKey, `--secret-key=${S}`, '--platform', 'moon', 'flush', A],
    ['--access-key', KEYS.accessKey, '--secret-key', `-${S}`, 'flush', A, '--yes'],
    ['--access-key', KEYS.accessKey, '--secret-key', S, 'flush', A, '--endpoint', 'ftp://x'],
    ['--access-key', KEYS.accessKey, '--secret-key', S, 'flush', A, '--yes', '--endpoint', 'http://127.0.0.1:1', '--retries', '0'],
    ['--access-key', KEYS.accessKey, '--secret-key', S, `--${S}`, 'flush', A],
    ['--access-key', KEYS.accessKey, '--secret-key'],
    ['--secret-key', S, 'flush', A, '--yes'],
  ];
  for (const args of mistakes) {
    const r = await run(args, { env: {} });
    assert.notEqual(r.code, 0, args.join(' '));
  }
  const warned = await run(['--access-key', KEYS.accessKey, '--secret-key', S, 'flush', A, '--dry-run'], { env: {} });
  assert.equal(warned.code, 0, warned.stderr);
  assert.match(warned.stderr, /warning: --secret-key .*process list/);

  await fill(redis.port, 3, 'a');
  const piped = await run(['--access-key', KEYS.accessKey, '--secret-key-stdin', 'flush', A, '--yes', '--endpoint', gateway.url], { env: {}, input: `${S}\n` });
  assert.equal(piped.code, 0, piped.stderr);
  assert.doesNotMatch(piped.stderr, /warning/);
  assert.equal(await totalKeys(redis.port), 0);
  const empty = await run(['--access-key', KEYS.accessKey, '--secret-key-stdin', 'flush', A, '--yes', '--endpoint', gateway.url], { env: {}, input: '' });
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /--secret-key-stdin/);

  for (const { args, stdout, stderr } of outputs) {
    assert.ok(!stdout.includes(S), `stdout of ${args.replaceAll(S, '<secret>')} shows the secret`);
    assert.ok(!stderr.includes(S), `stderr of ${args.replaceAll(S, '<secret>')} shows the secret`);
  }
});

test('~/.ncloud/configure readable by group or others: a warning, as ssh gives; none at 0600', async () => {
  mkdirSync(join(home, '.ncloud'), { recursive: true });
  const file = join(home, '.ncloud', 'configure');
  writeFileSync(file, `[DEFAULT]\nncloud_access_key_id = ${KEYS.accessKey}\nncloud_secret_access_key = ${KEYS.secretKey}\n`);
  try {
    for (const [mode, warns] of [[0o644, true], [0o640, true], [0o600, false], [0o400, false]]) {
      chmodSync(file, mode);
      const r = await run(['flush', A, '--dry-run'], { env: {} });
      assert.equal(r.code, 0, r.stderr);
      if (warns) {
        assert.match(r.stderr, /warning: .*\.ncloud\/configure is readable by (group|others|group and others) \(mode 0?6[04][04]\)/);
        assert.match(r.stderr, /chmod 600/);
      } else {
        assert.doesNotMatch(r.stderr, /warning/);
      }
    }
  } finally {
    rmSync(join(home, '.ncloud'), { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------------
// Clocks.

test('--use-server-time refuses a server clock more than 15 minutes off: exit 2, nothing signed is sent', async () => {
  const off = await startServer((req, res) => {
    res.writeHead(204, { date: new Date(Date.now() + 20 * 60_000).toUTCString() });
    res.end();
  });
  const r = await run(['flush', A, '--yes', '--use-server-time', '--endpoint', off.url]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /15 min/);
  assert.match(r.stderr, /20 min/);
  assert.deepEqual(off.requests.map((q) => q.method), ['OPTIONS']);
  const j = await run(['list', '--use-server-time', '--endpoint', off.url, '--json']);
  assert.equal(j.code, 2);
  assert.equal(JSON.parse(j.stdout).error.code, 'ERR_CLOCK_OFFSET');
});

test('no output of this suite shows a raw escape sequence or the secret', () => {
  for (const { args, stdout, stderr } of outputs) {
    for (const text of [stdout, stderr]) {
      assert.ok(!text.includes(KEYS.secretKey), `${args.replaceAll(KEYS.secretKey, '<secret>')} shows the secret`);
      assert.ok(!text.includes('\u001b]0;pwned'), `${args} passed a title sequence through`);
    }
  }
});
