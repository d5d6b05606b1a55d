// The command-line client as users get it: the `ncloud-redis-flush` bin of the installed tarball,
// run as a child process against the local gateway over two real Redis servers, and against small
// loopback servers that fail, stall, retry, or lie about the time. Every output is collected and
// checked for the secret keys at the end.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, totalKeys, fill, command, freePort } from '../support/redis.mjs';
import { startGateway } from '../support/gateway.mjs';
import { CLI, logSettler, runners } from './harness.mjs';

const INSTALLED = join(process.cwd(), 'node_modules', 'ncloud-redis-flush');
const CLOCK_OFFSET = new URL('./clock-offset.mjs', import.meta.url).href;

// One key pair per credential source, so the audit log shows which source the CLI used.
const FLAGS = { accessKey: 'AK-cli-flags', secretKey: 'SK-cli-flags-S3CR3T-narwhal-9f1c' };
const ENV = { accessKey: 'AK-cli-env', secretKey: 'SK-cli-env-S3CR3T-walrus-77aa' };
const FILE = { accessKey: 'AK-cli-file', secretKey: 'SK-cli-file-S3CR3T-puffin-3b2e' };
const WRONG_SECRET = 'SK-cli-wrong-S3CR3T-orca-0d0d';
const SECRETS = [FLAGS.secretKey, ENV.secretKey, FILE.secretKey, WRONG_SECRET];
const A = '882689';
const B = '882690';

let redisA;
let redisB;
let gateway;
let home; // the CLI's $HOME: an empty temp folder unless a test writes ~/.ncloud/configure
const outputs = []; // every stdout and stderr of every run, for the secret check
const cleanups = [];

before(async () => {
  accessSync(CLI, constants.X_OK);
  [redisA, redisB] = await Promise.all([startRedis(), startRedis()]);
  gateway = await startGateway({
    credentials: [FLAGS, ENV, FILE],
    instances: [
      { no: A, redisUrl: redisA.url, name: 'cache-a' },
      { no: B, redisUrl: redisB.url, name: 'cache-b', isHa: true },
    ],
  });
  home = mkdtempSync(join(tmpdir(), 'ncloud-cli-home-'));
});

after(async () => {
  for (const c of cleanups.reverse()) await c();
  await gateway?.stop();
  await Promise.all([redisA?.close(), redisB?.close()]);
  if (home) rmSync(home, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Helpers.

const { runProgram, runOnTerminal } = runners({ home: () => home, outputs });

const flagArgs = (c = FLAGS) => ['--access-key', c.accessKey, '--secret-key', c.secretKey];
const envOf = (c = ENV) => ({ NCLOUD_ACCESS_KEY: c.accessKey, NCLOUD_SECRET_KEY: c.secretKey });

const run = (args, options) => runProgram(CLI, args, options);

/** Waits until the gateway has logged every request made so far; resolves to the log length. */
const settledLogs = logSettler(() => gateway, 'cli-test');

/** The API lines (anything under /clouddb/) logged from `index` on. */
const apiLinesSince = (index) => gateway.logs.slice(index).filter((l) => l.path.startsWith('/clouddb/'));

async function fillBoth(a = 12, b = 9) {
  await command(redisA.port, 'FLUSHALL');
  await command(redisB.port, 'FLUSHALL');
  await fill(redisA.port, a, 'a');
  await fill(redisB.port, b, 'b');
  assert.equal(await totalKeys(redisA.port), a);
  assert.equal(await totalKeys(redisB.port), b);
}

/** A loopback HTTP server whose `handler(req, res, body, n)` answers request n (0-based). */
async function startServer(handler) {
  const requests = [];
  const server = createHttpServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const n = requests.length;
    requests.push({
      method: req.method,
      url: req.url,
      timestamp: req.headers['x-ncp-apigw-timestamp'],
      accessKey: req.headers['x-ncp-iam-access-key'],
      signature: req.headers['x-ncp-apigw-signature-v2'],
    });
    try {
      await handler(req, res, body, n);
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
  return { url: `http://127.0.0.1:${server.address().port}`, requests, close };
}

/** Relays a request to the gateway, unchanged; `shiftDateMs` moves the answer's Date header. */
async function relay(req, res, body, { shiftDateMs = 0 } = {}) {
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) if (k.startsWith('x-ncp-') || k === 'content-type') headers[k] = v;
  const answer = await fetch(`${gateway.url}${req.url}`, { method: req.method, headers, body: body.length ? body : undefined });
  const text = await answer.text();
  const date = new Date(Date.parse(answer.headers.get('date')) + shiftDateMs).toUTCString();
  res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain', date });
  res.end(text);
}

const gatewayError = (res, status, code, message) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { errorCode: code, message, details: 'from the test server' } }));
};

// ---------------------------------------------------------------------------------------------

test('--help and --version', async () => {
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  for (const text of ['Usage: ncloud-redis-flush flush <cloudDBInstanceNo>', '--dry-run', '--use-server-time', 'Exit codes', '~/.ncloud/configure', 'NCLOUD_ACCESS_KEY']) {
    assert.ok(help.stdout.includes(text), `--help lacks ${text}`);
  }
  assert.equal((await run(['flush', '--help'])).stdout, help.stdout);
  const { version } = JSON.parse(readFileSync(join(INSTALLED, 'package.json'), 'utf8'));
  const v = await run(['--version']);
  assert.equal(v.code, 0);
  assert.equal(v.stdout, `${version}\n`);
  assert.equal((await run([])).code, 2);
  assert.equal((await run(['flushall', A])).code, 2);
});

test('credentials from the flags (before the environment and the file) flush A and leave B', async () => {
  await fillBoth();
  writeConfigure(`[DEFAULT]\nncloud_access_key_id = ${FILE.accessKey}\nncloud_secret_access_key = ${WRONG_SECRET}\n`);
  try {
    const since = await settledLogs();
    const r = await run(['flush', A, '--endpoint', gateway.url, '--yes', ...flagArgs()], { env: envOf({ accessKey: ENV.accessKey, secretKey: WRONG_SECRET }) });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await totalKeys(redisA.port), 0);
    assert.equal(await totalKeys(redisB.port), 9);
    assert.match(r.stdout, /^Flushed Cloud DB for Redis instance 882689\.\n/);
    assert.match(r.stdout, /^ {2}instance +882689$/m);
    assert.match(r.stdout, /^ {2}service +cache-a$/m);
    assert.match(r.stdout, /^ {2}engine +REDIS \d+\.\d+/m);
    assert.match(r.stdout, /^ {2}status +\S+/m);
    assert.match(r.stdout, /^ {2}servers +\S+/m);
    await settledLogs();
    const lines = apiLinesSince(since);
    assert.equal(lines.length, 1);
    assert.deepEqual([lines[0].access_key, lines[0].instance, lines[0].outcome], [FLAGS.accessKey, A, 'flushed']);
  } finally {
    removeConfigure();
  }
});

test('credentials from NCLOUD_ACCESS_KEY / NCLOUD_SECRET_KEY (before the file), endpoint from NCLOUD_API_GW', async () => {
  await fillBoth();
  writeConfigure(`[DEFAULT]\nncloud_access_key_id = ${FILE.accessKey}\nncloud_secret_access_key = ${WRONG_SECRET}\n`);
  try {
    const since = await settledLogs();
    const r = await run(['flush', A, '--yes'], { env: { ...envOf(ENV), NCLOUD_API_GW: gateway.url } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await totalKeys(redisA.port), 0);
    assert.equal(await totalKeys(redisB.port), 9);
    await settledLogs();
    assert.deepEqual(apiLinesSince(since).map((l) => [l.access_key, l.outcome]), [[ENV.accessKey, 'flushed']]);
  } finally {
    removeConfigure();
  }
});

test('credentials from ~/.ncloud/configure under $HOME, its ncloud_api_url, --profile', async () => {
  await fillBoth();
  writeConfigure([
    '# written by ncloud configure',
    '[DEFAULT]',
    `ncloud_access_key_id = ${FILE.accessKey}`,
    `ncloud_secret_access_key = ${FILE.secretKey}`,
    `ncloud_api_url = ${gateway.url}`,
    '',
    '[other]',
    `ncloud_access_key_id=${ENV.accessKey}`,
    `ncloud_secret_access_key=${ENV.secretKey}`,
    `ncloud_api_url=${gateway.url}`,
    '',
  ].join('\n'));
  try {
    const since = await settledLogs();
    const r = await run(['flush', B, '--yes']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await totalKeys(redisB.port), 0);
    assert.equal(await totalKeys(redisA.port), 12);
    assert.match(r.stdout, /^ {2}service +cache-b$/m);
    const p = await run(['flush', A, '--yes', '--profile', 'other']);
    assert.equal(p.code, 0, p.stderr);
    assert.equal(await totalKeys(redisA.port), 0);
    await settledLogs();
    assert.deepEqual(apiLinesSince(since).map((l) => [l.access_key, l.instance]), [[FILE.accessKey, B], [ENV.accessKey, A]]);
    const missing = await run(['flush', A, '--yes', '--profile', 'nope']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no \[nope\] section/);
  } finally {
    removeConfigure();
  }
  // No source at all: a usage error naming the three.
  const none = await run(['flush', A, '--yes', '--endpoint', gateway.url]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /ERR_NO_CREDENTIALS/);
  assert.match(none.stderr, /NCLOUD_ACCESS_KEY/);
  const half = await run(['flush', A, '--yes', '--endpoint', gateway.url], { env: { NCLOUD_ACCESS_KEY: ENV.accessKey } });
  assert.equal(half.code, 2);
  assert.match(half.stderr, /NCLOUD_SECRET_KEY is not set/);
});

function writeConfigure(text) {
  mkdirSync(join(home, '.ncloud'), { recursive: true });
  writeFileSync(join(home, '.ncloud', 'configure'), text, { mode: 0o600 });
}
function removeConfigure() {
  rmSync(join(home, '.ncloud'), { recursive: true, force: true });
}

test('--json: the result and the errors as one JSON object on stdout; --format xml and --method GET', async () => {
  await fillBoth();
  const r = await run(['flush', A, '--endpoint', gateway.url, '--yes', '--json', '--format', 'xml', '--method', 'get'], { env: envOf() });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.ok, true);
  assert.equal(out.attempts, 1);
  assert.equal(out.cloudDBInstanceNo, A);
  assert.equal(out.result.returnCode, 0);
  assert.equal(out.result.cloudDBInstanceList[0].cloudDBInstanceNo, A);
  assert.equal(out.result.cloudDBInstanceList[0].cloudDBServiceName, 'cache-a');
  assert.equal(out.result.cloudDBInstanceList[0].cloudDBPort, redisA.port);
  assert.equal(typeof out.clockSkewMs, 'number');
  assert.equal(await totalKeys(redisA.port), 0);

  const unknown = await run(['flush', '999999', '--endpoint', gateway.url, '--yes', '--json'], { env: envOf() });
  assert.equal(unknown.code, 1);
  const e = JSON.parse(unknown.stdout);
  assert.equal(e.ok, false);
  assert.equal(e.exitCode, 1);
  assert.deepEqual([e.error.kind, e.error.code, e.error.httpStatus], ['api', '1003', 400]);
  assert.match(e.error.hint, /unknown instance/);

  const usage = await run(['flush', A, '--format', 'yaml', '--json'], { env: envOf() });
  assert.equal(usage.code, 2);
  assert.equal(JSON.parse(usage.stdout).error.kind, 'usage');
});

test('--dry-run sends nothing; its curl command, run by curl, flushes', async () => {
  await fillBoth();
  for (const extra of [[], ['--method', 'GET', '--format', 'xml']]) {
    await fill(redisA.port, 4, 'again');
    const since = await settledLogs();
    // No --yes and no terminal: a dry run needs no confirmation.
    const dry = await run(['flush', A, '--endpoint', gateway.url, '--dry-run', ...extra, ...flagArgs()]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^curl /);
    assert.match(dry.stderr, /nothing sent/);
    for (const header of ['x-ncp-apigw-timestamp', 'x-ncp-iam-access-key: AK-cli-flags', 'x-ncp-apigw-signature-v2']) assert.ok(dry.stdout.includes(header), header);
    assert.ok(await totalKeys(redisA.port) > 0);
    await settledLogs();
    assert.equal(apiLinesSince(since).length, 0, 'the dry run reached the gateway');

    const curl = await runProgram('sh', ['-c', dry.stdout]);
    assert.equal(curl.code, 0, curl.stderr);
    assert.match(curl.stdout, extra.length ? /<flushCloudDBInstanceResponse>/ : /"flushCloudDBInstanceResponse"/);
    assert.equal(await totalKeys(redisA.port), 0);
    assert.equal(await totalKeys(redisB.port), 9);
    await settledLogs();
    assert.deepEqual(apiLinesSince(since).map((l) => [l.method, l.access_key, l.outcome]), [[extra.length ? 'GET' : 'POST', FLAGS.accessKey, 'flushed']]);
  }
  const json = await run(['flush', A, '--endpoint', gateway.url, '--dry-run', '--json'], { env: envOf() });
  assert.equal(json.code, 0);
  const out = JSON.parse(json.stdout);
  assert.equal(out.dryRun, true);
  assert.equal(out.request.method, 'POST');
  assert.match(out.request.url, /cloudDBInstanceNo=882689/);
  assert.match(out.curl, /^curl /);
  assert.equal((await run(['flush', A, '--dry-run', '--use-server-time'], { env: envOf() })).code, 2);
});

test('bad credentials: exit 1, gateway 200 and the hint; nothing flushed', async () => {
  await fillBoth();
  for (const creds of [{ accessKey: FLAGS.accessKey, secretKey: WRONG_SECRET }, { accessKey: 'AK-nobody', secretKey: WRONG_SECRET }]) {
    const r = await run(['flush', A, '--endpoint', gateway.url, '--yes', ...flagArgs(creds)]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^ {2}kind +gateway$/m);
    assert.match(r.stderr, /^ {2}code +200$/m);
    assert.match(r.stderr, /^ {2}message +API Gateway error 200: Authentication Failed/m);
    assert.match(r.stderr, /^ {2}hint +check the access key and secret key \(taken from the --access-key\/--secret-key flags\) and this computer's clock/m);
    assert.match(r.stderr, /^ {2}http +401$/m);
    assert.doesNotMatch(r.stderr, /retrying/); // a 401 is not retried
    assert.equal(await totalKeys(redisA.port), 12);
  }
});

test('a bad instance number exits 2 before any request', async () => {
  const counting = await startServer((req, res) => gatewayError(res, 500, '900', 'should not be reached'));
  for (const no of ['12a', '0123', '+5', '882689 ', '8826890000000000000000000000x', '８８２６８９']) {
    const since = await settledLogs();
    for (const endpoint of [gateway.url, counting.url]) {
      const r = await run(['flush', no, '--endpoint', endpoint, '--yes'], { env: envOf() });
      assert.equal(r.code, 2, `${no}: ${r.stderr}`);
      assert.match(r.stderr, /^ {2}kind +input$/m);
      assert.match(r.stderr, /cloudDBInstanceNo/);
    }
    await settledLogs();
    assert.equal(apiLinesSince(since).length, 0, `${no} reached the gateway`);
  }
  // Even without any credentials, the number is what is reported; `--` lets it start with '-'.
  for (const args of [['flush', 'abc', '--yes'], ['flush', '--yes', '--', '-5']]) {
    const r = await run(args);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^ {2}kind +input$/m);
  }
  assert.equal(counting.requests.length, 0);
  // Other usage errors.
  const e = ['--endpoint', counting.url];
  for (const args of [
    ['--format', 'yaml', ...e], ['--method', 'PUT', ...e], ['--region', 'moon'], ['--region', 'gov', ...e],
    ['--timeout', '0', ...e], ['--timeout', 'soon', ...e], ['--retries', '-1', ...e], ['--retries', '11', ...e], ['--bogus', ...e],
  ]) {
    const u = await run(['flush', A, '--yes', ...args], { env: envOf() });
    assert.equal(u.code, 2, `${args.join(' ')}: ${u.stderr}`);
    assert.match(u.stderr, /kind +usage/);
  }
  // A secret typed where the option name was forgotten is not echoed (checked with every output below).
  const stray = await run(['flush', A, ENV.secretKey, '--yes', '--endpoint', counting.url], { env: envOf() });
  assert.equal(stray.code, 2);
  assert.equal(counting.requests.length, 0);
});

test('a stopped gateway exits 3 (after the retries); a server that never answers times out with 3 (a flush is not sent again)', async () => {
  const stopped = await startGateway({ credentials: [ENV], instances: [] });
  await stopped.stop();
  const r = await run(['flush', A, '--endpoint', stopped.url, '--yes', '--retries', '1'], { env: envOf() });
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /^ {2}kind +network$/m);
  assert.match(r.stderr, /^ {2}code +ECONNREFUSED$/m);
  assert.match(r.stderr, /^ {2}hint +is the endpoint reachable\?/m);
  assert.match(r.stderr, /attempt 1 of 2: network error \(ECONNREFUSED\); retrying/);
  assert.match(r.stderr, /^ {2}attempts +2$/m);

  const closedPort = await freePort();
  const j = await run(['flush', A, '--endpoint', `http://127.0.0.1:${closedPort}`, '--yes', '--retries', '0', '--json'], { env: envOf() });
  assert.equal(j.code, 3);
  assert.deepEqual([JSON.parse(j.stdout).error.kind, JSON.parse(j.stdout).exitCode], ['network', 3]);

  // Accepts, reads, never answers.
  const sockets = [];
  let requests = 0;
  let listings = 0;
  const silent = createNetServer((socket) => {
    sockets.push(socket);
    socket.once('data', (d) => {
      if (/^POST \/clouddb\/v2\/flushCloudDBInstance\?/.test(d.toString('latin1'))) requests++;
      if (/^POST \/clouddb\/v2\/getCloudDBInstanceList\?/.test(d.toString('latin1'))) listings++;
    });
  });
  await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => { for (const s of sockets) s.destroy(); silent.close(() => resolve()); }));
  const t = await run(['flush', A, '--endpoint', `http://127.0.0.1:${silent.address().port}`, '--yes', '--timeout', '0.3', '--retries', '1'], { env: envOf() });
  assert.equal(t.code, 3, t.stderr);
  assert.match(t.stderr, /^ {2}kind +timeout$/m);
  assert.match(t.stderr, /no answer from http:\/\/127\.0\.0\.1:\d+ within 0\.3 s/);
  // The flush may have reached the server: it is not sent again, whatever --retries says.
  assert.doesNotMatch(t.stderr, /retrying/);
  assert.match(t.stderr, /may have happened/);
  assert.equal(requests, 1, 'a flush that may have run was sent again');
  // A listing changes nothing: it is retried, one request per attempt.
  const l = await run(['list', '--endpoint', `http://127.0.0.1:${silent.address().port}`, '--timeout', '0.3', '--retries', '1'], { env: envOf() });
  assert.equal(l.code, 3, l.stderr);
  assert.match(l.stderr, /^ {2}kind +timeout$/m);
  assert.match(l.stderr, /attempt 1 of 2: timeout error/);
  assert.equal(listings, 2, 'one request per attempt');
});

test('without a terminal and without --yes it refuses and flushes nothing', async () => {
  await fillBoth();
  const since = await settledLogs();
  const r = await run(['flush', A, '--endpoint', gateway.url], { env: envOf(), input: `${A}\n` });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /refusing to flush instance 882689 without confirmation: no terminal/);
  assert.match(r.stderr, /--yes/);
  assert.equal(await totalKeys(redisA.port), 12);
  await settledLogs();
  assert.equal(apiLinesSince(since).length, 0);
});

test('on a terminal: typing the instance number confirms, anything else aborts', async () => {
  await fillBoth();
  const wrong = await runOnTerminal(['flush', A, '--endpoint', gateway.url], { env: envOf(), answer: B });
  assert.ok(wrong.asked, wrong.out);
  assert.equal(wrong.code, 2, wrong.out);
  // The question names the instance's service, as the listing gives it (one lookup request).
  assert.match(wrong.out, /This deletes EVERY key of Cloud DB for Redis instance 882689 "cache-a" \(running, [^)]+\) at http:\/\/127\.0\.0\.1:\d+/);
  assert.doesNotMatch(wrong.out, /WARNING/);
  assert.match(wrong.out, /not confirmed: nothing was flushed/);
  assert.equal(await totalKeys(redisA.port), 12);
  assert.equal(await totalKeys(redisB.port), 9);

  const right = await runOnTerminal(['flush', A, '--endpoint', gateway.url], { env: envOf(), answer: A });
  assert.ok(right.asked, right.out);
  assert.equal(right.code, 0, right.out);
  assert.match(right.out, /Flushed Cloud DB for Redis instance 882689\./);
  assert.equal(await totalKeys(redisA.port), 0);
  assert.equal(await totalKeys(redisB.port), 9);

  // --yes on a terminal: no question, and no lookup: the flush alone.
  await fill(redisA.port, 3, 'a');
  const since = await settledLogs();
  const yes = await runOnTerminal(['flush', A, '--endpoint', gateway.url, '--yes'], { env: envOf(), answer: 'unused' });
  assert.equal(yes.asked, false);
  assert.equal(yes.code, 0, yes.out);
  assert.equal(await totalKeys(redisA.port), 0);
  await settledLogs();
  assert.deepEqual(apiLinesSince(since).map((l) => l.path), ['/clouddb/v2/flushCloudDBInstance']);
});

test('on a terminal: an HA instance is named with its warning; an unlisted number is refused before any question', async () => {
  await fillBoth();
  const ha = await runOnTerminal(['flush', B, '--endpoint', gateway.url], { env: envOf(), answer: 'no' });
  assert.ok(ha.asked, ha.out);
  assert.match(ha.out, /instance 882690 "cache-b" [^\n]*\r?\nWARNING: "cache-b" is a high-availability \(HA\) instance: its standby is cleared too\./);
  assert.equal(ha.code, 2, ha.out);
  assert.equal(await totalKeys(redisB.port), 9);

  const since = await settledLogs();
  const unknown = await runOnTerminal(['flush', '999999', '--endpoint', gateway.url], { env: envOf(), answer: '999999' });
  assert.equal(unknown.asked, false, unknown.out);
  assert.equal(unknown.code, 2, unknown.out);
  assert.match(unknown.out, /no Cloud DB for Redis instance 999999 is listed by http:\/\/127\.0\.0\.1:\d+; nothing was flushed/);
  assert.match(unknown.out, /ncloud-redis-flush list --platform classic/);
  await settledLogs();
  // One listing request, filtered by the number; no flush.
  const lines = apiLinesSince(since);
  assert.deepEqual(lines.map((l) => l.path), ['/clouddb/v2/getCloudDBInstanceList']);
  assert.equal(await totalKeys(redisA.port), 12);
  assert.equal(await totalKeys(redisB.port), 9);
});

test('retries: the gateway\'s 503 twice, then success: three attempts, each signed afresh', async () => {
  await fillBoth();
  // The gateway's 503 (errorCode 500, Endpoint Error): it did not reach the API, nothing ran.
  const flaky = await startServer((req, res, body, n) => {
    if (n < 2) return gatewayError(res, 503, '500', 'Endpoint Error');
    return relay(req, res, body);
  });
  const r = await run(['flush', A, '--endpoint', flaky.url, '--yes', '--json'], { env: envOf() });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).attempts, 3);
  assert.equal(flaky.requests.length, 3);
  assert.match(r.stderr, /attempt 1 of 4: HTTP 503; retrying/);
  assert.match(r.stderr, /attempt 2 of 4: HTTP 503; retrying/);
  const stamps = flaky.requests.map((q) => Number(q.timestamp));
  assert.ok(stamps[0] < stamps[1] && stamps[1] < stamps[2], `timestamps not fresh: ${stamps}`);
  assert.equal(new Set(flaky.requests.map((q) => q.signature)).size, 3);
  assert.ok(flaky.requests.every((q) => q.method === 'POST' && q.url === `/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=${A}&responseFormatType=json`));
  assert.equal(await totalKeys(redisA.port), 0);
  assert.equal(await totalKeys(redisB.port), 9);
});

test('retries: 429 (with Retry-After) is retried; a dropped connection is retried for a listing, not for a flush', async () => {
  await fillBoth();
  const limited = await startServer((req, res, body, n) => {
    if (n === 0) {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
      return res.end(JSON.stringify({ error: { errorCode: '420', message: 'Rate Limited' } }));
    }
    return relay(req, res, body);
  });
  const r = await run(['flush', A, '--endpoint', limited.url, '--yes'], { env: envOf() });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(limited.requests.length, 2);
  assert.notEqual(limited.requests[0].signature, limited.requests[1].signature);
  assert.equal(await totalKeys(redisA.port), 0);

  await fill(redisA.port, 5, 'a');
  const dropping = await startServer((req, res, body, n) => (n === 0 ? req.socket.destroy() : relay(req, res, body)));
  const d = await run(['list', '--endpoint', dropping.url], { env: envOf() });
  assert.equal(d.code, 0, d.stderr);
  assert.match(d.stderr, /attempt 1 of 4: network error/);
  assert.equal(dropping.requests.length, 2);
  // The same drop on a flush: the server read it, so it may have run; not sent again.
  const dropped = await startServer((req, res, body, n) => (n === 0 ? req.socket.destroy() : relay(req, res, body)));
  const f = await run(['flush', A, '--endpoint', dropped.url, '--yes'], { env: envOf() });
  assert.equal(f.code, 3, f.stderr);
  assert.doesNotMatch(f.stderr, /retrying/);
  assert.equal(dropped.requests.length, 1);
  assert.equal(await totalKeys(redisA.port), 5);
  const again = await run(['flush', A, '--endpoint', dropped.url, '--yes'], { env: envOf() });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(await totalKeys(redisA.port), 0);
});

test('retries: never a 400 or 401; bounded by --retries', async () => {
  const cases = [
    [401, (res) => gatewayError(res, 401, '200', 'Authentication Failed'), 'gateway', '200'],
    [400, (res) => { res.writeHead(400, { 'content-type': 'application/json' }); res.end(JSON.stringify({ responseError: { returnCode: '1001', returnMessage: 'bad parameter' } })); }, 'api', '1001'],
    [403, (res) => gatewayError(res, 403, '210', 'Permission Denied'), 'gateway', '210'],
  ];
  for (const [status, answer, kind, code] of cases) {
    const server = await startServer((req, res) => answer(res));
    const r = await run(['flush', A, '--endpoint', server.url, '--yes', '--json'], { env: envOf() });
    assert.equal(r.code, 1, `${status}: ${r.stderr}`);
    assert.equal(server.requests.length, 1, `${status} was retried`);
    const e = JSON.parse(r.stdout);
    assert.deepEqual([e.error.kind, e.error.code, e.error.httpStatus, e.attempts], [kind, code, status, 1]);
  }
  const down = await startServer((req, res) => gatewayError(res, 503, '500', 'Endpoint Error'));
  const none = await run(['flush', A, '--endpoint', down.url, '--yes', '--retries', '0'], { env: envOf() });
  assert.equal(none.code, 1);
  assert.equal(down.requests.length, 1);
  assert.match(none.stderr, /^ {2}kind +gateway$/m);
  assert.match(none.stderr, /^ {2}http +503$/m);
  const two = await run(['flush', A, '--endpoint', down.url, '--yes', '--retries', '2', '--json'], { env: envOf() });
  assert.equal(two.code, 1);
  assert.equal(down.requests.length, 1 + 3);
  assert.equal(JSON.parse(two.stdout).attempts, 3);
});

test('clock skew: a server whose Date is 10 minutes ahead gets a warning (and the flush still works)', async () => {
  await fillBoth();
  const ahead = await startServer((req, res, body) => relay(req, res, body, { shiftDateMs: 600_000 }));
  const r = await run(['flush', A, '--endpoint', ahead.url, '--yes', '--json'], { env: envOf() });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: the server's clock \(Date: .+ GMT\) is \d+ s \(10 min \d+ s\) ahead of this computer's; .*--use-server-time/);
  assert.ok(Math.abs(JSON.parse(r.stdout).clockSkewMs - 600_000) < 5_000, r.stdout);
  assert.equal(await totalKeys(redisA.port), 0);
  // Within a minute: no warning.
  await fill(redisA.port, 2, 'a');
  const fine = await run(['flush', A, '--endpoint', gateway.url, '--yes'], { env: envOf() });
  assert.equal(fine.code, 0);
  assert.doesNotMatch(fine.stderr, /warning/);
});

test('clock skew: a computer 10 minutes behind is refused by the gateway; --use-server-time flushes', async () => {
  await fillBoth();
  const behind = { ...envOf(), NODE_OPTIONS: `--import ${CLOCK_OFFSET}`, CLOCK_OFFSET_MS: String(-600_000) };
  const since = await settledLogs();
  const refused = await run(['flush', A, '--endpoint', gateway.url, '--yes'], { env: behind });
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /warning: the server's clock .* is \d+ s \(10 min \d+ s\) ahead of this computer's/);
  assert.match(refused.stderr, /^ {2}code +200$/m);
  assert.match(refused.stderr, /^ {2}hint +.*the server's clock is \d+ s \(10 min \d+ s\) ahead of yours: fix the clock or pass --use-server-time$/m);
  assert.equal(await totalKeys(redisA.port), 12);

  const fixed = await run(['flush', A, '--endpoint', gateway.url, '--yes', '--use-server-time'], { env: behind });
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.match(fixed.stderr, /signing with the server's time: its clock is \d+ s \(10 min \d+ s\) ahead of this computer's/);
  assert.equal(await totalKeys(redisA.port), 0);
  assert.equal(await totalKeys(redisB.port), 9);
  await settledLogs();
  // The refused attempt, then the unsigned OPTIONS that read the clock, then the flush.
  assert.deepEqual(apiLinesSince(since).map((l) => [l.method, l.status, l.outcome.split(':')[0]]), [
    ['POST', 401, 'auth_failed'], ['OPTIONS', 204, 'preflight'], ['POST', 200, 'flushed'],
  ]);
  // With a correct clock --use-server-time changes nothing.
  await fill(redisA.port, 2, 'a');
  const normal = await run(['flush', A, '--endpoint', gateway.url, '--yes', '--use-server-time'], { env: envOf() });
  assert.equal(normal.code, 0, normal.stderr);
  assert.equal(await totalKeys(redisA.port), 0);
});

test('no output of any run contains a secret key', () => {
  assert.ok(outputs.length > 40, `only ${outputs.length} runs recorded`);
  // The capture sees what the CLI prints, the access key of the dry runs' curl commands included.
  assert.ok(outputs.some((o) => o.stdout.includes(`x-ncp-iam-access-key: ${FLAGS.accessKey}`)));
  for (const { args, stdout, stderr } of outputs) {
    for (const secret of SECRETS) {
      assert.ok(!stdout.includes(secret), `stdout of ${args.replace(secret, '<secret>')} shows a secret`);
      assert.ok(!stderr.includes(secret), `stderr of ${args.replace(secret, '<secret>')} shows a secret`);
    }
  }
});
