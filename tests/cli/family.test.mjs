// The command-line client and the API family: `list` of every platform and `flush --platform
// vpc|cache` by master server number, as users get them (the installed tarball's bin), against
// the local gateway over one real Redis server per instance. Every output is collected and
// checked for the secret keys at the end.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { mkdtempSync, rmSync, accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, totalKeys, fill, command } from '../support/redis.mjs';
import { startGateway } from '../support/gateway.mjs';
import { CLI, logSettler, runners } from './harness.mjs';

const CLOCK_OFFSET = new URL('./clock-offset.mjs', import.meta.url).href;

const KEYS = { accessKey: 'AK-cli-family', secretKey: 'SK-cli-family-S3CR3T-manatee-51d0' };
const FLAG_KEYS = { accessKey: 'AK-cli-family-flags', secretKey: 'SK-cli-family-S3CR3T-axolotl-a7e2' };
const SECRETS = [KEYS.secretKey, FLAG_KEYS.secretKey];

// Instances of every platform; servers are numbered <instance>1 (master) and, on HA, <instance>2.
const INSTANCES = {
  classicA: { no: '882689', name: 'classic-a' },
  classicB: { no: '882690', name: 'classic-b', isHa: true },
  orders: { no: '1103456', name: 'orders', platform: 'vpc', isHa: true, regionCode: 'KR' },
  tokyo: { no: '1103470', name: 'tokyo', platform: 'vpc', regionCode: 'JPN' },
  payments: { no: '1103480', name: 'payments', platform: 'vpc', regionCode: 'KR' },
  sessions: { no: '2200001', name: 'sessions', platform: 'cache', isHa: true },
  tokens: { no: '2200002', name: 'tokens', platform: 'cache' },
};
const KEYS_PER_REDIS = 7;
const master = (name) => `${INSTANCES[name].no}1`;
const slave = (name) => `${INSTANCES[name].no}2`;

let redis = {}; // name → Redis server
let gateway;
let home;
const outputs = [];
const cleanups = [];

before(async () => {
  accessSync(CLI, constants.X_OK);
  const names = Object.keys(INSTANCES);
  const servers = await Promise.all(names.map(() => startRedis()));
  redis = Object.fromEntries(names.map((n, i) => [n, servers[i]]));
  gateway = await startGateway({
    credentials: [KEYS, FLAG_KEYS],
    instances: names.map((n) => ({ ...INSTANCES[n], redisUrl: redis[n].url })),
  });
  home = mkdtempSync(join(tmpdir(), 'ncloud-cli-family-home-'));
});

after(async () => {
  for (const c of cleanups.reverse()) await c();
  await gateway?.stop();
  await Promise.all(Object.values(redis).map((r) => r.close()));
  if (home) rmSync(home, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Helpers.

const keyEnv = () => ({ NCLOUD_ACCESS_KEY: KEYS.accessKey, NCLOUD_SECRET_KEY: KEYS.secretKey });
const { runProgram, runOnTerminal: onTerminal } = runners({ home: () => home, outputs, defaultEnv: keyEnv });

/** The CLI against the gateway (unless `endpoint` says otherwise), keys from the environment. */
const run = (args, { endpoint = gateway.url, ...options } = {}) => runProgram(CLI, [...args, '--endpoint', endpoint], options);

/** The CLI against the gateway on a pseudo-terminal (`script`); types `answer` when asked. `{ code, out, asked }`. */
const runOnTerminal = (args, options) => onTerminal([...args, '--endpoint', gateway.url], options);

/** Waits until the gateway has logged every request made so far; resolves to the log length. */
const settledLogs = logSettler(() => gateway, 'cli-family');

/** `[method, action, instance, outcome]` of the API requests logged from `index` on. */
async function apiCallsSince(index) {
  await settledLogs();
  return gateway.logs.slice(index)
    .filter((l) => /^\/(clouddb|vredis|vcache)\//.test(l.path))
    .map((l) => [l.method, l.action, l.instance, l.outcome.split(':')[0]]);
}

async function fillAll() {
  for (const r of Object.values(redis)) {
    await command(r.port, 'FLUSHALL');
    await fill(r.port, KEYS_PER_REDIS, 'k');
  }
}

/** `{ name: keys }` of every instance's Redis. */
async function counts() {
  const out = {};
  for (const [name, r] of Object.entries(redis)) out[name] = await totalKeys(r.port);
  return out;
}

/** Every Redis full, except `emptied`. */
const fullExcept = (...emptied) => Object.fromEntries(Object.keys(INSTANCES).map((n) => [n, emptied.includes(n) ? 0 : KEYS_PER_REDIS]));

const byPlatform = (platform) => Object.keys(INSTANCES).filter((n) => (INSTANCES[n].platform ?? 'classic') === platform);

/** The table rows `list` must print for instance `name`: a line per server. */
function expectedRows(name) {
  const i = INSTANCES[name];
  const platform = i.platform ?? 'classic';
  const ha = i.isHa ? 'yes' : 'no';
  const region = i.regionCode ?? 'KR';
  const second = platform === 'classic' ? 'H \\(Hidden Master\\)' : 'S \\(Slave\\)';
  const rows = [new RegExp(`^${i.no} +${i.name} +running +\\S.*\\S +${ha} +${region} +${i.no}1 +${i.name}-001 +M \\(Master\\)$`, 'm')];
  if (i.isHa) rows.push(new RegExp(`^ +${i.no}2 +${i.name}-002 +${second}$`, 'm'));
  return rows;
}

const LIST_KEYS = {
  classic: ['cloudDBInstanceList', 'cloudDBInstanceNo', 'cloudDBServiceName', 'cloudDBServerInstanceList', 'cloudDBServerInstanceNo', 'cloudDBServerRole'],
  vpc: ['cloudRedisInstanceList', 'cloudRedisInstanceNo', 'cloudRedisServiceName', 'cloudRedisServerInstanceList', 'cloudRedisServerInstanceNo', 'cloudRedisServerRole'],
  cache: ['cloudCacheInstanceList', 'cloudCacheInstanceNo', 'cloudCacheServiceName', 'cloudCacheServerInstanceList', 'cloudCacheServerInstanceNo', 'cloudCacheServerRole'],
};

/** `[instance no, service name, [[server no, role code] …]]` of a parsed listing's instances. */
function summary(platform, instances) {
  const [, no, name, servers, serverNo, role] = LIST_KEYS[platform];
  return instances.map((i) => [i[no], i[name], i[servers].map((v) => [v[serverNo], v[role].code])]);
}

function expectedSummary(platform, names = byPlatform(platform)) {
  return names.map((n) => {
    const i = INSTANCES[n];
    const servers = [[`${i.no}1`, 'M']];
    if (i.isHa) servers.push([`${i.no}2`, platform === 'classic' ? 'H' : 'S']);
    return [i.no, i.name, servers];
  });
}

/** A loopback HTTP server answering request n with `handler(req, res, body, n)`. */
async function startServer(handler) {
  const requests = [];
  const server = createHttpServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const n = requests.length;
    requests.push({ method: req.method, url: req.url, signature: req.headers['x-ncp-apigw-signature-v2'] });
    try {
      await handler(req, res, body, n);
    } catch (e) {
      res.destroy(e);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return { url: `http://127.0.0.1:${server.address().port}`, requests };
}

/** Relays a request to the gateway unchanged. */
async function relay(req, res, body) {
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) if (k.startsWith('x-ncp-') || k === 'content-type') headers[k] = v;
  const answer = await fetch(`${gateway.url}${req.url}`, { method: req.method, headers, body: body.length ? body : undefined });
  const text = await answer.text();
  res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain', date: answer.headers.get('date') });
  res.end(text);
}

// ---------------------------------------------------------------------------------------------

test('--help documents list, --platform, --region-code and --page-size', async () => {
  const help = await runProgram(CLI, ['--help']);
  assert.equal(help.code, 0);
  for (const text of [
    'ncloud-redis-flush list [--platform classic|vpc|cache]', 'flush --platform vpc|cache <serverInstanceNo>', '--region-code <code>',
    '--page-size <n>', 'flushAllCloudRedisServerInstance', 'flushAllCloudCacheServerInstance', 'replicas are cleared too', 'not a master server',
  ]) {
    assert.ok(help.stdout.includes(text), `--help lacks ${text}`);
  }
  assert.equal((await runProgram(CLI, ['list', '--help'])).stdout, help.stdout);
});

test('list: every instance of each platform, one line per server, and nothing of the other platforms', async () => {
  const since = await settledLogs();
  for (const platform of ['classic', 'vpc', 'cache']) {
    const args = platform === 'classic' ? ['list'] : ['list', '--platform', platform];
    const r = await run(args);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^INSTANCE +SERVICE +STATUS +ENGINE +HA +REGION +SERVER +SERVER NAME +ROLE\n/);
    for (const name of byPlatform(platform)) for (const row of expectedRows(name)) assert.match(r.stdout, row, `${platform}: ${name}\n${r.stdout}`);
    for (const name of Object.keys(INSTANCES).filter((n) => !byPlatform(platform).includes(n))) {
      assert.ok(!r.stdout.includes(INSTANCES[name].no), `${platform} lists ${name}`);
    }
    const lines = r.stdout.trimEnd().split('\n');
    const servers = byPlatform(platform).reduce((n, name) => n + (INSTANCES[name].isHa ? 2 : 1), 0);
    assert.equal(lines.length, 1 + servers + 1, r.stdout);
    const label = { classic: 'Cloud DB for Redis', vpc: 'Redis \\(VPC\\)', cache: 'Cloud DB for Cache' }[platform];
    assert.match(lines.at(-1), new RegExp(`^${byPlatform(platform).length} ${label} instances?\\.`));
  }
  // Cache instances show their DBMS with the version.
  assert.match((await run(['list', '--platform', 'cache'])).stdout, /^2200001 +sessions +running +Redis \d+\.\d+/m);
  // Listing is not destructive: no confirmation asked (no terminal, no --yes), nothing flushed.
  assert.deepEqual((await apiCallsSince(since)).map(([m, action, , outcome]) => [m, action, outcome]), [
    ['POST', 'getCloudDBInstanceList', 'listed'],
    ['POST', 'getCloudRedisInstanceList', 'listed'],
    ['POST', 'getCloudCacheInstanceList', 'listed'],
    ['POST', 'getCloudCacheInstanceList', 'listed'],
  ]);
});

test('list --region-code filters VPC and Cache listings; an empty listing says so; Classic refuses it', async () => {
  const kr = await run(['list', '--platform', 'vpc', '--region-code', 'KR']);
  assert.equal(kr.code, 0, kr.stderr);
  for (const row of [...expectedRows('orders'), ...expectedRows('payments')]) assert.match(kr.stdout, row);
  assert.ok(!kr.stdout.includes(INSTANCES.tokyo.no));
  assert.match(kr.stdout, /^2 Redis \(VPC\) instances in region KR\./m);
  const jpn = await run(['list', '--platform', 'vpc', '--region-code', 'JPN']);
  assert.equal(jpn.code, 0, jpn.stderr);
  for (const row of expectedRows('tokyo')) assert.match(jpn.stdout, row);
  assert.ok(!jpn.stdout.includes(INSTANCES.orders.no));

  const none = await run(['list', '--platform', 'cache', '--region-code', 'JPN']);
  assert.equal(none.code, 0, none.stderr);
  assert.equal(none.stdout, 'No Cloud DB for Cache instances in region JPN.\n');
  const noneJson = JSON.parse((await run(['list', '--platform', 'cache', '--region-code', 'JPN', '--json'])).stdout);
  assert.deepEqual([noneJson.ok, noneJson.totalRows, noneJson.cloudCacheInstanceList], [true, 0, []]);

  const classic = await run(['list', '--region-code', 'KR']);
  assert.equal(classic.code, 2);
  assert.match(classic.stderr, /--region-code is for --platform vpc and cache/);
});

test('list --json: the instances with their servers, and every parsed answer', async () => {
  for (const platform of ['classic', 'vpc', 'cache']) {
    for (const format of ['json', 'xml']) {
      const r = await run(['list', '--platform', platform, '--json', '--format', format]);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      const [listKey] = LIST_KEYS[platform];
      assert.deepEqual([out.ok, out.platform, out.totalRows, out.pages], [true, platform, byPlatform(platform).length, 1]);
      assert.deepEqual(summary(platform, out[listKey]), expectedSummary(platform));
      assert.equal(out.answers.length, 1);
      assert.equal(out.answers[0].returnCode, 0);
      assert.equal(typeof out.answers[0].requestId, 'string');
      assert.deepEqual(out.answers[0][listKey], out[listKey]);
    }
  }
  const vpc = JSON.parse((await run(['list', '--platform', 'vpc', '--json'])).stdout);
  const orders = vpc.cloudRedisInstanceList.find((i) => i.cloudRedisInstanceNo === INSTANCES.orders.no);
  assert.equal(orders.isHa, true);
  assert.equal(orders.cloudRedisPort, redis.orders.port);
  assert.equal(orders.cloudRedisServerInstanceList[0].regionCode, 'KR');
});

test('list reads every page: --page-size 1 and 2 give the same instances in 3 and 2 requests', async () => {
  const whole = await run(['list', '--platform', 'vpc']);
  for (const [pageSize, pages] of [[1, 3], [2, 2], [3, 1]]) {
    const since = await settledLogs();
    const r = await run(['list', '--platform', 'vpc', '--page-size', String(pageSize)]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, whole.stdout);
    assert.equal(r.stderr, '');
    assert.deepEqual((await apiCallsSince(since)).map((c) => c[1]), Array(pages).fill('getCloudRedisInstanceList'));

    const j = await run(['list', '--platform', 'vpc', '--page-size', String(pageSize), '--json', '--format', 'xml']);
    const out = JSON.parse(j.stdout);
    assert.equal(out.pages, pages);
    assert.equal(out.answers.length, pages);
    assert.ok(out.answers.every((a) => a.totalRows === 3 && a.cloudRedisInstanceList.length <= pageSize));
    assert.deepEqual(out.answers.flatMap((a) => a.cloudRedisInstanceList), out.cloudRedisInstanceList);
    assert.deepEqual(summary('vpc', out.cloudRedisInstanceList), expectedSummary('vpc'));
  }
  // The requests carry pageNo and pageSize, signed.
  const pager = await startServer((req, res, body) => relay(req, res, body));
  const r = await run(['list', '--platform', 'cache', '--page-size', '1'], { endpoint: pager.url });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(pager.requests.map((q) => q.url), [1, 2].map((n) => `/vcache/v2/getCloudCacheInstanceList?pageNo=${n}&pageSize=1&responseFormatType=json`));
  for (const row of [...expectedRows('sessions'), ...expectedRows('tokens')]) assert.match(r.stdout, row);
});

test('flush --platform vpc <master server> --yes empties only that instance\'s Redis', async () => {
  await fillAll();
  const since = await settledLogs();
  // No credentials anywhere: refused before the lookup. Then the keys from the flags.
  const none = await run(['flush', '--platform', 'vpc', master('orders'), '--yes'], { env: {} });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /ERR_NO_CREDENTIALS/);
  const flags = ['--access-key', FLAG_KEYS.accessKey, '--secret-key', FLAG_KEYS.secretKey];
  const ok = await run(['flush', '--platform', 'vpc', master('orders'), '--yes', ...flags], { env: {} });
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(await counts(), fullExcept('orders'));
  assert.match(ok.stdout, /^Flushed Redis \(VPC\) server 11034561, the master of instance 1103456\.\n/);
  assert.match(ok.stdout, /^ {2}service +orders$/m);
  assert.match(ok.stdout, /^ {2}servers +11034561 orders-001 \(M, running\), 11034562 orders-002 \(S, running\)$/m);
  assert.match(ok.stdout, /^ {2}HA +yes: the replicas were cleared too$/m);
  // The lookup, then the flush of the master server, with the flags' key.
  assert.deepEqual(await apiCallsSince(since), [
    ['POST', 'getCloudRedisInstanceList', null, 'listed'],
    ['POST', 'flushAllCloudRedisServerInstance', master('orders'), 'flushed'],
  ]);
  assert.ok(gateway.logs.slice(since).filter((l) => l.action).every((l) => l.access_key === FLAG_KEYS.accessKey));

  // --region-code, --json, --format xml, --method GET; a non-HA instance in another region.
  const jpn = await run(['flush', '--platform', 'vpc', master('tokyo'), '--region-code', 'JPN', '--yes', '--json', '--format', 'xml', '--method', 'GET']);
  assert.equal(jpn.code, 0, jpn.stderr);
  const out = JSON.parse(jpn.stdout);
  assert.deepEqual([out.ok, out.platform, out.cloudRedisServerInstanceNo, out.regionCode, out.cloudRedisInstanceNo, out.attempts],
    [true, 'vpc', master('tokyo'), 'JPN', INSTANCES.tokyo.no, 1]);
  assert.equal(out.result.returnCode, 0);
  assert.equal(out.result.cloudRedisInstanceList[0].cloudRedisServiceName, 'tokyo');
  assert.equal(typeof out.clockSkewMs, 'number');
  assert.deepEqual(await counts(), fullExcept('orders', 'tokyo'));
  assert.doesNotMatch((await run(['flush', '--platform', 'vpc', master('payments'), '--yes'])).stdout, /HA/);
  assert.deepEqual(await counts(), fullExcept('orders', 'tokyo', 'payments'));
});

test('flush --platform cache <master server> --yes empties only that instance\'s Redis', async () => {
  await fillAll();
  const since = await settledLogs();
  const r = await run(['flush', '--platform', 'cache', master('tokens'), '--yes']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(await counts(), fullExcept('tokens'));
  assert.match(r.stdout, /^Flushed Cloud DB for Cache server 22000021, the master of instance 2200002\.\n/);
  assert.match(r.stdout, /^ {2}service +tokens$/m);
  assert.match(r.stdout, /^ {2}engine +Redis \d+\.\d+/m);
  assert.doesNotMatch(r.stdout, /HA/);
  const ha = await run(['flush', '--platform', 'cache', master('sessions'), '--yes', '--json']);
  assert.equal(ha.code, 0, ha.stderr);
  assert.deepEqual([JSON.parse(ha.stdout).cloudCacheServerInstanceNo, JSON.parse(ha.stdout).cloudCacheInstanceNo], [master('sessions'), INSTANCES.sessions.no]);
  assert.deepEqual(await counts(), fullExcept('tokens', 'sessions'));
  assert.deepEqual(await apiCallsSince(since), [
    ['POST', 'getCloudCacheInstanceList', null, 'listed'],
    ['POST', 'flushAllCloudCacheServerInstance', master('tokens'), 'flushed'],
    ['POST', 'getCloudCacheInstanceList', null, 'listed'],
    ['POST', 'flushAllCloudCacheServerInstance', master('sessions'), 'flushed'],
  ]);
});

test('a slave, an instance number, another platform\'s or another region\'s server: exit 2, nothing flushed', async () => {
  await fillAll();
  const since = await settledLogs();
  const cases = [
    [['--platform', 'vpc', slave('orders')], 'ERR_NOT_MASTER', /server 11034562 is not a master: it is the Slave \(S\) server of Redis \(VPC\) instance 1103456 \(orders\)/, /flush --platform vpc 11034561$/],
    [['--platform', 'cache', slave('sessions')], 'ERR_NOT_MASTER', /server 22000012 is not a master: it is the Slave \(S\) server of Cloud DB for Cache instance 2200001 \(sessions\)/, /flush --platform cache 22000011$/],
    [['--platform', 'vpc', INSTANCES.orders.no], 'ERR_UNKNOWN_SERVER', /no Redis \(VPC\) instance has a server 1103456/, /1103456 is the number of instance orders; a flush names its master server: 11034561/],
    [['--platform', 'vpc', master('sessions')], 'ERR_UNKNOWN_SERVER', /no Redis \(VPC\) instance has a server 22000011/, /list --platform vpc/],
    [['--platform', 'cache', master('orders')], 'ERR_UNKNOWN_SERVER', /no Cloud DB for Cache instance has a server 11034561/, /list --platform cache/],
    [['--platform', 'vpc', master('tokyo'), '--region-code', 'KR'], 'ERR_UNKNOWN_SERVER', /no Redis \(VPC\) instance in region KR has a server 11034701/, /list --platform vpc --region-code KR/],
  ];
  for (const [args, code, message, hint] of cases) {
    const r = await run(['flush', ...args, '--yes']);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^ {2}kind +usage$/m);
    assert.match(r.stderr, new RegExp(`^ {2}code +${code}$`, 'm'));
    assert.match(r.stderr, message);
    assert.match(r.stderr, /nothing was flushed/);
    assert.match(r.stderr.split('\n').find((l) => l.startsWith('  hint')), hint);
    assert.equal(r.stdout, '');
    const j = await run(['flush', ...args, '--yes', '--json']);
    assert.equal(j.code, 2);
    assert.deepEqual([JSON.parse(j.stdout).ok, JSON.parse(j.stdout).exitCode, JSON.parse(j.stdout).error.code], [false, 2, code]);
  }
  assert.deepEqual(await counts(), fullExcept());
  // Only listings reached the gateway: not one flush.
  const calls = await apiCallsSince(since);
  assert.equal(calls.length, cases.length * 2);
  assert.ok(calls.every(([, action, , outcome]) => action.endsWith('InstanceList') && outcome === 'listed'), JSON.stringify(calls));
});

test('on a terminal: the service name, the HA warning, and the server number typed to confirm', async () => {
  await fillAll();
  // HA (VPC): the warning names the replica; typing the instance's number instead aborts.
  const wrong = await runOnTerminal(['flush', '--platform', 'vpc', master('orders')], { answer: INSTANCES.orders.no });
  assert.ok(wrong.asked, wrong.out);
  assert.equal(wrong.code, 2, wrong.out);
  assert.match(wrong.out, /This deletes EVERY key of Redis \(VPC\) instance 1103456 "orders" \(master server 11034561, region KR\) at http:\/\/127\.0\.0\.1:\d+\./);
  assert.match(wrong.out, /WARNING: "orders" is a high-availability \(HA\) instance: its replicas \(server 11034562\) are cleared too\./);
  assert.match(wrong.out, /not confirmed: nothing was flushed/);
  assert.deepEqual(await counts(), fullExcept());

  const right = await runOnTerminal(['flush', '--platform', 'vpc', master('orders')], { answer: master('orders') });
  assert.ok(right.asked, right.out);
  assert.equal(right.code, 0, right.out);
  assert.match(right.out, /WARNING: "orders" is a high-availability \(HA\) instance/);
  assert.match(right.out, /Flushed Redis \(VPC\) server 11034561, the master of instance 1103456\./);
  assert.deepEqual(await counts(), fullExcept('orders'));

  // Not HA: the service name, no warning.
  const single = await runOnTerminal(['flush', '--platform', 'vpc', master('tokyo'), '--region-code', 'JPN'], { answer: master('tokyo') });
  assert.ok(single.asked, single.out);
  assert.equal(single.code, 0, single.out);
  assert.match(single.out, /This deletes EVERY key of Redis \(VPC\) instance 1103470 "tokyo" \(master server 11034701, region JPN\)/);
  assert.doesNotMatch(single.out, /WARNING|HA/);
  assert.deepEqual(await counts(), fullExcept('orders', 'tokyo'));

  // Cache, HA.
  const cache = await runOnTerminal(['flush', '--platform', 'cache', master('sessions')], { answer: master('sessions') });
  assert.ok(cache.asked, cache.out);
  assert.equal(cache.code, 0, cache.out);
  assert.match(cache.out, /This deletes EVERY key of Cloud DB for Cache instance 2200001 "sessions" \(master server 22000011, region KR\)/);
  assert.match(cache.out, /WARNING: "sessions" is a high-availability \(HA\) instance: its replicas \(server 22000012\) are cleared too\./);
  assert.deepEqual(await counts(), fullExcept('orders', 'tokyo', 'sessions'));

  // A slave is refused before any question.
  const refused = await runOnTerminal(['flush', '--platform', 'vpc', slave('orders')], { answer: slave('orders') });
  assert.equal(refused.asked, false, refused.out);
  assert.equal(refused.code, 2, refused.out);
  assert.match(refused.out, /ERR_NOT_MASTER/);

  // Without a terminal and without --yes: refused before anything is sent, the lookup included.
  const since = await settledLogs();
  const noTty = await run(['flush', '--platform', 'vpc', master('payments')], { input: `${master('payments')}\n` });
  assert.equal(noTty.code, 2);
  assert.match(noTty.stderr, /refusing to flush Redis \(VPC\) server 11034801 without confirmation: no terminal/);
  assert.deepEqual(await apiCallsSince(since), []);
  assert.deepEqual(await counts(), fullExcept('orders', 'tokyo', 'sessions'));
});

test('--dry-run for vpc sends nothing (not even the lookup); its curl command, run by curl, flushes', async () => {
  await fillAll();
  const since = await settledLogs();
  const dry = await run(['flush', '--platform', 'vpc', master('orders'), '--region-code', 'KR', '--dry-run']);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stderr, /nothing sent/);
  assert.match(dry.stdout, /^curl /);
  assert.ok(dry.stdout.includes(`/vredis/v2/flushAllCloudRedisServerInstance?cloudRedisServerInstanceNo=${master('orders')}&regionCode=KR&responseFormatType=json`), dry.stdout);
  assert.ok(dry.stdout.includes(`x-ncp-iam-access-key: ${KEYS.accessKey}`));
  assert.deepEqual(await apiCallsSince(since), []);
  assert.deepEqual(await counts(), fullExcept());

  const curl = await runProgram('sh', ['-c', dry.stdout]);
  assert.equal(curl.code, 0, curl.stderr);
  assert.match(curl.stdout, /"flushAllCloudRedisServerInstanceResponse"/);
  assert.deepEqual(await counts(), fullExcept('orders'));

  const json = JSON.parse((await run(['flush', '--platform', 'cache', master('sessions'), '--dry-run', '--json'])).stdout);
  assert.deepEqual([json.ok, json.dryRun, json.platform, json.cloudCacheServerInstanceNo], [true, true, 'cache', master('sessions')]);
  assert.match(json.request.url, /\/vcache\/v2\/flushAllCloudCacheServerInstance\?cloudCacheServerInstanceNo=22000011&/);
  const list = await run(['list', '--platform', 'vpc', '--dry-run']);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /\/vredis\/v2\/getCloudRedisInstanceList\?pageNo=1&pageSize=100&responseFormatType=json/);
  assert.match(list.stderr, /first page/);
  assert.deepEqual(await counts(), fullExcept('orders'));
});

test('usage errors exit 2 before any request', async () => {
  const since = await settledLogs();
  const cases = [
    [['flush', '--platform', 'moon', '1'], /--platform must be classic, vpc or cache/],
    [['list', '--platform', 'moon'], /--platform must be classic, vpc or cache/],
    [['flush', master('orders'), '--region-code', 'KR', '--yes'], /--region-code is for --platform vpc and cache/],
    [['flush', '--platform', 'vpc', '--yes'], /no server instance number given/],
    [['flush', '--platform', 'vpc', '011034561', '--yes'], /cloudRedisServerInstanceNo/],
    [['flush', '--platform', 'cache', '2200001x', '--yes'], /cloudCacheServerInstanceNo/],
    [['flush', '--platform', 'vpc', master('orders'), '--region-code', 'K R', '--yes'], /regionCode/],
    [['list', '--platform', 'vpc', '--region-code', 'K R'], /regionCode/],
    [['list', '--page-size', '0'], /--page-size must be a whole number from 1 to 1000/],
    [['list', '--page-size', '1001'], /--page-size/],
    [['list', 'orders'], /1 unexpected argument\(s\) after list/],
    [['list', KEYS.secretKey], /unexpected argument/],
  ];
  for (const [args, message] of cases) {
    const r = await run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.match(r.stderr, /^ {2}kind +(usage|input)$/m);
  }
  assert.deepEqual(await apiCallsSince(since), []);
});

test('retries and clock skew work for the lookup and the flush', async () => {
  await fillAll();
  // The first listing request gets a bare 503, the first flush request the gateway's 429 (it
  // says nothing ran): both retried, signed afresh.
  let failedList = false;
  let failedFlush = false;
  const flaky = await startServer((req, res, body) => {
    if (!failedList && req.url.includes('InstanceList')) {
      failedList = true;
      res.writeHead(503);
      return res.end();
    }
    if (!failedFlush && req.url.includes('flushAll')) {
      failedFlush = true;
      res.writeHead(429, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ error: { errorCode: '420', message: 'Rate Limited' } }));
    }
    return relay(req, res, body);
  });
  const r = await run(['flush', '--platform', 'vpc', master('payments'), '--yes', '--json'], { endpoint: flaky.url });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /listing page 1: attempt 1 of 4: HTTP 503; retrying/);
  assert.match(r.stderr, /^attempt 1 of 4: HTTP 429; retrying/m);
  assert.equal(JSON.parse(r.stdout).attempts, 2);
  assert.equal(flaky.requests.length, 4);
  assert.equal(new Set(flaky.requests.map((q) => q.signature)).size, 4);
  assert.deepEqual(await counts(), fullExcept('payments'));

  // A computer 10 minutes behind: refused at the lookup (nothing flushed); --use-server-time flushes.
  const behind = { ...keyEnv(), NODE_OPTIONS: `--import ${CLOCK_OFFSET}`, CLOCK_OFFSET_MS: String(-600_000) };
  const since = await settledLogs();
  const refused = await run(['flush', '--platform', 'cache', master('tokens'), '--yes'], { env: behind });
  assert.equal(refused.code, 1, refused.stderr);
  assert.match(refused.stderr, /warning: the server's clock .* is \d+ s \(10 min \d+ s\) ahead of this computer's/);
  assert.match(refused.stderr, /^ {2}code +200$/m);
  assert.deepEqual(await counts(), fullExcept('payments'));
  const fixed = await run(['flush', '--platform', 'cache', master('tokens'), '--yes', '--use-server-time'], { env: behind });
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.match(fixed.stderr, /signing with the server's time: its clock is \d+ s \(10 min \d+ s\) ahead of this computer's/);
  assert.deepEqual(await counts(), fullExcept('payments', 'tokens'));
  // The refused lookup; then one unsigned OPTIONS to read the clock, the lookup and the flush.
  assert.deepEqual((await apiCallsSince(since)).map(([m, action, , outcome]) => [m, action, outcome]), [
    ['POST', 'getCloudCacheInstanceList', 'auth_failed'],
    ['OPTIONS', null, 'preflight'],
    ['POST', 'getCloudCacheInstanceList', 'listed'],
    ['POST', 'flushAllCloudCacheServerInstance', 'flushed'],
  ]);
  const list = await run(['list', '--platform', 'vpc', '--use-server-time'], { env: behind });
  assert.equal(list.code, 0, list.stderr);
  for (const row of expectedRows('orders')) assert.match(list.stdout, row);
});

test('no output of any run contains a secret key', () => {
  assert.ok(outputs.length > 60, `only ${outputs.length} runs recorded`);
  assert.ok(outputs.some((o) => o.stdout.includes(`x-ncp-iam-access-key: ${KEYS.accessKey}`)));
  for (const { args, stdout, stderr } of outputs) {
    for (const secret of SECRETS) {
      const shown = args.replaceAll(secret, '<secret>');
      assert.ok(!stdout.includes(secret), `stdout of ${shown} shows a secret`);
      assert.ok(!stderr.includes(secret), `stderr of ${shown} shows a secret`);
    }
  }
});
