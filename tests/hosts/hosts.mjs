// What the host suites (Deno, Bun, workerd) share: Redis A and B behind the local gateway, the
// probe's input (the signature vectors and fixtures), and every assertion on a probe's report,
// so each host is held to the same expectations.
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { startRedis, fill, totalKeys } from '../support/redis.mjs';
import { startGateway, ROOT } from '../support/gateway.mjs';

export { ROOT };
const testsDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (...path) => readFileSync(join(testsDir, ...path), 'utf8');

export const vectors = JSON.parse(read('vectors', 'signature-vectors.json')).vectors;
export const AK = 'AK-hosts-test';
/** Recognisable, so that finding it where it must not be is unambiguous. */
export const SK = 'SK-H0STS-S3CR3T-pangolin-7c1d';
export const A = '882689';
export const B = '882690';

/** The fixtures each host parses: `[file, HTTP status, what it must give]`. */
const FIXTURES = [
  ['flush-response-loose.json', undefined, { value: JSON.parse(read('fixtures', 'flush-response-loose.expected.json')) }],
  ['flush-response-edge.xml', undefined, { value: JSON.parse(read('fixtures', 'flush-response-edge.expected.json')) }],
  ['error-gateway-auth.json', 401, { error: { kind: 'gateway', code: '200' } }],
];

/** A binary of the repository's dev dependencies (deno, bun, workerd). */
export const bin = (name) => join(ROOT, 'node_modules', '.bin', name);

/** The version `<binary> --version` prints (`2.9.6` of `deno 2.9.6 (stable, …)`). */
export const version = (name) => /\d[\w.-]*/.exec(execFileSync(bin(name), ['--version'], { encoding: 'utf8' }))?.[0];

/** What the probe gets: vectors, fixtures, and where and how to flush instance A. */
export function probeInput(gatewayUrl) {
  return {
    vectors,
    fixtures: Object.fromEntries(FIXTURES.map(([file, status]) => [file, { text: read('fixtures', file), status }])),
    flush: { endpoint: gatewayUrl, instanceNo: A, accessKey: AK, secretKey: SK },
  };
}

/** Every assertion on a probe's report (tests/hosts/probe.mjs). */
export function assertProbe(report, host) {
  assert.equal(report.signatures.length, vectors.length, host);
  vectors.forEach((v, i) => {
    const { value, error } = report.signatures[i];
    assert.equal(error, undefined, `${host}, vector ${i}: ${JSON.stringify(error)}`);
    assert.equal(value.signature, v.signature, `${host}, vector ${i}`);
    assert.equal(value.requestTarget, v.signedPathAndQuery, `${host}, vector ${i}`);
    assert.equal(value.stringToSign, v.stringToSign, `${host}, vector ${i}`);
    assert.deepEqual(value.headers, {
      'x-ncp-apigw-timestamp': v.timestamp,
      'x-ncp-iam-access-key': v.accessKey,
      'x-ncp-apigw-signature-v2': v.signature,
    }, `${host}, vector ${i}`);
  });
  for (const [file, , expected] of FIXTURES) {
    const got = report.parsed[file];
    if (expected.value) {
      assert.deepEqual(got, { value: expected.value }, `${host}: ${file}`);
    } else {
      assert.equal(got.value, undefined, `${host}: ${file} parsed without an error`);
      assert.equal(got.error.isError, true, `${host}: ${file}: not an Error`);
      assert.equal(got.error.name, 'NcloudRedisFlushError', `${host}: ${file}`);
      assert.equal(got.error.kind, expected.error.kind, `${host}: ${file}`);
      assert.equal(got.error.code, expected.error.code, `${host}: ${file}`);
    }
  }
  assertFlushed(report.flush, host);
  assert.ok(!JSON.stringify(report).includes(SK), `${host}: the report shows the secret key`);
}

/** A flush of A through the gateway, as the probe reports it. */
export function assertFlushed(flush, host) {
  assert.equal(flush.status, 200, `${host}: ${JSON.stringify(flush)}`);
  assert.equal(flush.error, undefined, `${host}: ${JSON.stringify(flush.error)}`);
  assert.equal(flush.value.returnCode, 0, host);
  assert.equal(flush.value.cloudDBInstanceList.length, 1, host);
  assert.equal(flush.value.cloudDBInstanceList[0].cloudDBInstanceNo, A, host);
  assert.equal(flush.value.cloudDBInstanceList[0].cloudDBServiceName, 'cache-a', host);
}

/**
 * Redis A and B behind a gateway that knows the test's key: `{ gateway, fill(), assertOnlyAFlushed(),
 * stop() }`. `fill()` writes keys to both; `assertOnlyAFlushed()` checks that A is empty and B whole.
 */
export async function startStack() {
  const [redisA, redisB] = await Promise.all([startRedis(), startRedis()]);
  let gateway;
  try {
    gateway = await startGateway({
      credentials: [{ accessKey: AK, secretKey: SK }],
      instances: [{ no: A, redisUrl: redisA.url, name: 'cache-a' }, { no: B, redisUrl: redisB.url, name: 'cache-b' }],
    });
  } catch (e) {
    await Promise.all([redisA.close(), redisB.close()]);
    throw e;
  }
  return {
    gateway,
    async fill() {
      await fill(redisA.port, 6, 'a');
      await fill(redisB.port, 4, 'b');
      assert.equal(await totalKeys(redisA.port), 6);
      assert.equal(await totalKeys(redisB.port), 4);
    },
    /** Keys in A and in B. */
    keys: async () => ({ a: await totalKeys(redisA.port), b: await totalKeys(redisB.port) }),
    async assertOnlyAFlushed(host) {
      assert.equal(await totalKeys(redisA.port), 0, `${host}: instance A still has keys`);
      assert.equal(await totalKeys(redisB.port), 4, `${host}: instance B lost keys`);
    },
    async stop() {
      await gateway.stop();
      await Promise.all([redisA.close(), redisB.close()]);
    },
  };
}

/** A temporary folder, removed by `remove()`. */
export function tempDir(prefix) {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
