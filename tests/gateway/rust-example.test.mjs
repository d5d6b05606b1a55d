// examples/flush.rs, the crate's Rust example, run with cargo against ncloud-gateway over real
// Redis: it signs, sends with ureq and parses; the named instance is emptied, the other is not.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { startRedis, totalKeys, fill } from '../support/redis.mjs';
import { startGateway, ROOT } from '../support/gateway.mjs';

const AK = 'AK-rust-example';
const SK = 'SK-S3CR3T-rust-heron-71';
const A = '882689';
const B = '882690';

let redisA;
let redisB;
let gateway;
let example;

before(async () => {
  // Built first, so that running it is not timed against the gateway's clock-skew window.
  execFileSync('cargo', ['build', '--quiet', '--example', 'flush'], { cwd: ROOT, stdio: 'inherit' });
  example = `${ROOT}/target/debug/examples/flush`;
  [redisA, redisB] = await Promise.all([startRedis(), startRedis()]);
  gateway = await startGateway({
    credentials: [{ accessKey: AK, secretKey: SK }],
    instances: [
      { no: A, redisUrl: redisA.url, name: 'orders-cache' },
      { no: B, redisUrl: redisB.url, name: 'sessions' },
    ],
  });
});

after(async () => {
  await gateway?.stop();
  await Promise.all([redisA?.close(), redisB?.close()]);
});

function run(args, env) {
  const result = spawnSync(example, args, {
    env: { PATH: process.env.PATH, NCLOUD_API_GW: gateway.url, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the Rust example flushes the named instance through the gateway, and only that one', async () => {
  await fill(redisA.port, 20);
  await fill(redisB.port, 7);
  const out = run([A], { NCLOUD_ACCESS_KEY: AK, NCLOUD_SECRET_KEY: SK });
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout, `flushed ${A} (orders-cache)\n`);
  assert.equal(await totalKeys(redisA.port), 0);
  assert.equal(await totalKeys(redisB.port), 7);
});

test('the Rust example with a wrong secret: gateway error 200, exit 1, nothing flushed, no key shown', async () => {
  await fill(redisA.port, 5);
  const out = run([A], { NCLOUD_ACCESS_KEY: AK, NCLOUD_SECRET_KEY: 'SK-wrong-S3CR3T' });
  assert.equal(out.code, 1);
  assert.match(out.stderr, /^flush: gateway 200: /);
  assert.ok(!`${out.stdout}${out.stderr}`.includes('S3CR3T'));
  assert.equal(await totalKeys(redisA.port), 5);
});

test('the Rust example refuses a bad instance number before sending anything', async () => {
  const before = gateway.logs.length;
  const out = run(['0882689'], { NCLOUD_ACCESS_KEY: AK, NCLOUD_SECRET_KEY: SK });
  assert.equal(out.code, 2);
  assert.match(out.stderr, /cloudDBInstanceNo/);
  assert.equal(gateway.logs.length, before);
});
