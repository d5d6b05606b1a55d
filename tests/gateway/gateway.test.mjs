// ncloud-gateway over two real Redis servers, driven from Node through the installed npm package:
// flushes, every kind of tampering, unknown instances, a stopped Redis, concurrency, forwarding,
// the audit trail, CORS and static files.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildFlushRequest, parseFlushResponse, signRequest } from 'ncloud-redis-flush';
import { startRedis, totalKeys, fill, command } from '../support/redis.mjs';
import { startGateway, ROOT } from '../support/gateway.mjs';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';

const AK = 'AK-gateway-test';
const SK = 'SK-S3CR3T-walrus-5e4d';
const AK2 = 'AK-second';
const SK2 = 'SK-second-S3CR3T';
const A = '882689';
const B = '882690';

let redisA;
let redisB;
let gateway;

before(async () => {
  [redisA, redisB] = await Promise.all([startRedis(), startRedis()]);
  gateway = await startGateway({
    credentials: [{ accessKey: AK, secretKey: SK }, { accessKey: AK2, secretKey: SK2 }],
    instances: [
      { no: A, redisUrl: redisA.url, name: 'cache-a' },
      { no: B, redisUrl: redisB.url, name: 'cache-b', isHa: true },
    ],
    extra: `pkg_dir = ${JSON.stringify(join(ROOT, 'pkg'))}`,
  });
});

after(async () => {
  await gateway?.stop();
  await Promise.all([redisA?.close(), redisB?.close()]);
});

/** A signed flush request to the test gateway. */
function flushRequest(no, extra = {}) {
  return buildFlushRequest({ cloudDBInstanceNo: no, endpoint: gateway.url, timestamp: Date.now(), accessKey: AK, secretKey: SK, ...extra });
}

async function send(request) {
  const response = await fetch(request.url, request);
  return { status: response.status, text: await response.text(), headers: response.headers };
}

function parse(answer) {
  return parseFlushResponse(answer.text, { status: answer.status });
}

function errorOf(answer) {
  try {
    parse(answer);
  } catch (e) {
    return e;
  }
  assert.fail(`expected an error, got ${answer.status} ${answer.text.slice(0, 200)}`);
}

test('a signed flush empties instance A and leaves every key of B (JSON and XML, POST and GET, body)', async () => {
  for (const variant of [{}, { responseFormatType: 'xml' }, { method: 'GET' }, { paramsIn: 'body' }, { signatureVersion: 'v1' }]) {
    await fill(redisA.port, 20, 'a');
    await fill(redisB.port, 15, 'b');
    assert.equal(await totalKeys(redisA.port), 20);
    const answer = await send(flushRequest(A, variant));
    assert.equal(answer.status, 200, answer.text);
    const result = parse(answer);
    assert.equal(result.returnCode, 0);
    assert.equal(result.returnMessage, 'success');
    assert.equal(result.totalRows, 1);
    assert.match(result.requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const instance = result.cloudDBInstanceList[0];
    assert.equal(instance.cloudDBInstanceNo, A);
    assert.equal(instance.cloudDBServiceName, 'cache-a');
    assert.match(instance.engineVersion, /^REDIS \d+\.\d+/);
    assert.equal(instance.cloudDBPort, redisA.port);
    assert.equal(instance.isHa, false);
    assert.equal(typeof instance.memorySize, 'number');
    assert.equal(instance.cloudDBServerInstanceList[0].cloudDBServerRole.code, 'M');
    assert.match(instance.cloudDBServerInstanceList[0].uptime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0900$/);
    assert.equal(answer.headers.get('content-type').split(';')[0], variant.responseFormatType === 'xml' ? 'application/xml' : 'application/json');
    assert.equal(await totalKeys(redisA.port), 0, `A not empty after ${JSON.stringify(variant)}`);
    assert.equal(await totalKeys(redisB.port), 15, `B touched by ${JSON.stringify(variant)}`);
    await command(redisB.port, 'FLUSHALL');
  }
});

test('every tampering fails with 401 / 200 and flushes nothing', async () => {
  await fill(redisA.port, 5, 'a');
  await fill(redisB.port, 5, 'b');
  const now = Date.now();
  const base = flushRequest(A, { method: 'POST', timestamp: now });
  const sig = base.headers['x-ncp-apigw-signature-v2'];
  const flipped = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1);
  const cases = {
    'method changed': { ...base, method: 'GET' },
    'path changed': { ...base, url: base.url.replace('flushCloudDBInstance', 'getCloudDBInstanceList') },
    'query value changed (another instance)': { ...base, url: base.url.replace(`cloudDBInstanceNo=${A}`, `cloudDBInstanceNo=${B}`) },
    'timestamp changed': { ...base, headers: { ...base.headers, 'x-ncp-apigw-timestamp': String(now + 1) } },
    'access key changed': { ...base, headers: { ...base.headers, 'x-ncp-iam-access-key': AK2 } },
    'unknown access key': { ...base, headers: { ...base.headers, 'x-ncp-iam-access-key': 'nobody' } },
    'signature byte changed': { ...base, headers: { ...base.headers, 'x-ncp-apigw-signature-v2': flipped } },
    'signed by another key': { ...base, headers: { ...base.headers, 'x-ncp-apigw-signature-v2': flushRequest(A, { timestamp: now, secretKey: SK2 }).headers['x-ncp-apigw-signature-v2'] } },
    'timestamp 5 min + 1 s in the past': flushRequest(A, { timestamp: Date.now() - 301_000 }),
    'timestamp 5 min + 1 s in the future': flushRequest(A, { timestamp: Date.now() + 301_000 }),
    'no signature': { ...base, headers: { 'x-ncp-apigw-timestamp': String(now), 'x-ncp-iam-access-key': AK } },
    'no timestamp': { ...base, headers: { 'x-ncp-iam-access-key': AK, 'x-ncp-apigw-signature-v2': sig } },
  };
  for (const [name, request] of Object.entries(cases)) {
    const answer = await send(request);
    assert.equal(answer.status, 401, `${name}: ${answer.text}`);
    const e = errorOf(answer);
    assert.equal(e.kind, 'gateway', name);
    assert.equal(e.code, '200', name);
    assert.equal(e.message.includes('Authentication Failed'), true, name);
    assert.ok(!answer.text.includes(sig), `${name}: the answer shows a signature`);
    assert.equal(await totalKeys(redisA.port), 5, `${name} flushed A`);
    assert.equal(await totalKeys(redisB.port), 5, `${name} flushed B`);
  }
  // 5 min − 1 s away is still inside the window.
  const inside = await send(flushRequest(A, { timestamp: Date.now() - 299_000 }));
  assert.equal(inside.status, 200, inside.text);
  assert.equal(await totalKeys(redisA.port), 0);
  assert.equal(await totalKeys(redisB.port), 5);
  await command(redisB.port, 'FLUSHALL');
});

test('unknown and malformed instances, other paths: the documented errors', async () => {
  const unknown = await send(flushRequest('999999'));
  assert.equal(unknown.status, 400);
  assert.deepEqual([errorOf(unknown).kind, errorOf(unknown).code], ['api', '1003']);
  const xml = await send(flushRequest('999999', { responseFormatType: 'xml' }));
  assert.match(xml.text, /^<\?xml[^>]*>\s*<responseError>/);
  assert.equal(errorOf(xml).code, '1003');

  // A signed request whose instance number is not a number (built by hand: the module refuses).
  const url = `${gateway.url}/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=12a&responseFormatType=json`;
  const signed = signRequest({ method: 'POST', url, timestamp: Date.now(), accessKey: AK, secretKey: SK });
  const bad = await send({ url, method: 'POST', headers: signed.headers });
  assert.equal(bad.status, 400);
  assert.equal(errorOf(bad).kind, 'api');
  assert.notEqual(errorOf(bad).code, '0');

  const other = await send({ url: `${gateway.url}/nowhere`, method: 'GET' });
  assert.equal(other.status, 404);
  assert.deepEqual([errorOf(other).kind, errorOf(other).code], ['gateway', '300']);
  const otherAction = `${gateway.url}/clouddb/v2/noSuchAction?x=1`;
  const signedOther = signRequest({ method: 'GET', url: otherAction, timestamp: Date.now(), accessKey: AK, secretKey: SK });
  const otherAnswer = await send({ url: otherAction, method: 'GET', headers: signedOther.headers });
  assert.equal(otherAnswer.status, 404);
  assert.equal(errorOf(otherAnswer).code, '300');
});

test('a stopped Redis gives 500 / 1000, the gateway keeps serving, and recovers', async () => {
  await redisA.stop();
  const down = await send(flushRequest(A));
  assert.equal(down.status, 500, down.text);
  const e = errorOf(down);
  assert.deepEqual([e.kind, e.code, e.httpStatus], ['api', '1000', 500]);
  // Instance B still works while A is down.
  assert.equal((await send(flushRequest(B))).status, 200);
  await redisA.start();
  await fill(redisA.port, 3, 'a');
  const up = await send(flushRequest(A));
  assert.equal(up.status, 200, up.text);
  assert.equal(await totalKeys(redisA.port), 0);
});

test('50 concurrent clients, 20 signed flushes and writes each: every answer well-formed, no 5xx', async () => {
  const statuses = new Map();
  const client = async (c) => {
    for (let i = 0; i < 20; i++) {
      const target = (c + i) % 2 ? redisA : redisB;
      await command(target.port, 'SET', `load:${c}:${i}`, 'x');
      const answer = await send(flushRequest(target === redisA ? A : B));
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      assert.equal(answer.status, 200, answer.text);
      const result = parse(answer);
      assert.equal(result.returnCode, 0);
      assert.equal(result.cloudDBInstanceList[0].cloudDBInstanceNo, target === redisA ? A : B);
    }
  };
  await Promise.all(Array.from({ length: 50 }, (_, c) => client(c)));
  assert.deepEqual([...statuses.entries()], [[200, 1000]]);
});

test('forwarding: a gateway with --upstream relays to an emulating one, unchanged', async () => {
  const forwarder = await startGateway({}, ['--upstream', gateway.url, '--allow-http-upstream']);
  try {
    await fill(redisA.port, 7, 'a');
    await fill(redisB.port, 4, 'b');
    const request = buildFlushRequest({ cloudDBInstanceNo: A, endpoint: forwarder.url, timestamp: Date.now(), accessKey: AK, secretKey: SK });
    const answer = await send(request);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(parse(answer).cloudDBInstanceList[0].cloudDBInstanceNo, A);
    assert.equal(await totalKeys(redisA.port), 0);
    assert.equal(await totalKeys(redisB.port), 4);
    assert.equal(answer.headers.get('access-control-allow-origin'), '*');
    // Form bodies and failures travel too.
    await fill(redisA.port, 2, 'a');
    const body = await send(buildFlushRequest({ cloudDBInstanceNo: A, paramsIn: 'body', endpoint: forwarder.url, timestamp: Date.now(), accessKey: AK, secretKey: SK }));
    assert.equal(body.status, 200, body.text);
    assert.equal(await totalKeys(redisA.port), 0);
    const denied = await send({ ...request, headers: { ...request.headers, 'x-ncp-apigw-timestamp': String(Date.now()) } });
    assert.equal(denied.status, 401);
    assert.equal(errorOf(denied).code, '200');
    assert.ok(forwarder.logs.some((l) => l.outcome === 'forwarded: 200' && l.access_key === AK));
    assert.ok(forwarder.logs.some((l) => l.outcome === 'forwarded: 401'));
  } finally {
    await forwarder.stop();
  }
});

test('CORS preflight, the package at /pkg/ with application/wasm', async () => {
  const preflight = await fetch(`${gateway.url}/clouddb/v2/flushCloudDBInstance`, {
    method: 'OPTIONS',
    headers: { origin: 'http://example.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-ncp-apigw-signature-v2' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  assert.match(preflight.headers.get('access-control-allow-headers'), /x-ncp-apigw-signature-v2/);
  const wasm = await fetch(`${gateway.url}/pkg/ncloud_redis_flush_bg.wasm`);
  assert.equal(wasm.status, 200);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.ok(WebAssembly.validate(new Uint8Array(await wasm.arrayBuffer())));
  const missing = await fetch(`${gateway.url}/pkg/nothing.js`);
  assert.equal(missing.status, 404);
});

// The console's policy (its meta tag) plus frame-ancestors, which a meta tag cannot carry: the
// one policy, written once, in www/index.html.
const CSP = `${/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(readFileSync(join(ROOT, 'www', 'index.html'), 'utf8'))[1]}; frame-ancestors 'none'`;

test('static files carry Content-Security-Policy, nosniff and no-referrer; API answers do not need them', async () => {
  for (const path of ['/pkg/ncloud_redis_flush_bg.wasm', '/pkg/package.json', '/pkg/nothing.js']) {
    const r = await fetch(`${gateway.url}${path}`);
    await r.arrayBuffer();
    assert.equal(r.headers.get('content-security-policy'), CSP, path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer', path);
  }
});

test('the audit trail: one line per request, who flushed what, never a secret or a signature', async () => {
  const before = gateway.logs.length;
  const request = flushRequest(A);
  await send(request);
  await send({ ...request, headers: { ...request.headers, 'x-ncp-apigw-signature-v2': 'AAAA' } });
  await new Promise((r) => setTimeout(r, 100));
  const lines = gateway.logs.slice(before);
  assert.equal(lines.length, 2);
  const [ok, denied] = lines;
  assert.equal(ok.access_key, AK);
  assert.equal(ok.action, 'flushCloudDBInstance');
  assert.equal(ok.instance, A);
  assert.equal(ok.outcome, 'flushed');
  assert.equal(ok.status, 200);
  assert.equal(typeof ok.latency_ms, 'number');
  assert.match(ok.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.match(ok.remote, /^127\.0\.0\.1:\d+$/);
  assert.match(denied.outcome, /^auth_failed: the signature does not match/);
  const everything = JSON.stringify(gateway.logs) + gateway.stderr();
  for (const secret of [SK, SK2, request.headers['x-ncp-apigw-signature-v2']]) {
    assert.ok(!everything.includes(secret), 'a secret or a signature reached the logs');
  }
});
