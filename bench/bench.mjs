// make bench: every figure a ratio against a reference measured in the same process, in the
// same run (alternating rounds, medians), raw times beside. `--smoke` runs a few iterations
// only, to prove the benchmark still works (CI); its figures mean nothing.
import { readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { gzipSync, constants } from 'node:zlib';
import { createHmac } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { tmpdir, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import jsSha256 from 'js-sha256';
import { hmac as nobleHmac } from '@noble/hashes/hmac.js';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { signRequest, buildFlushRequest, parseFlushResponse } from '../pkg/index.node.mjs';
import { compare, fmt, median } from './lib.mjs';
import { launch } from '../tests/support/chromium.mjs';
import { serveStatic } from '../tests/support/static-server.mjs';
import { startRedis, fill } from '../tests/support/redis.mjs';
import { startGateway } from '../tests/support/gateway.mjs';
import { JSON_FORMS, SHAPES } from '../tests/support/hostile-shapes.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const smoke = process.argv.includes('--smoke');
const scale = (n) => (smoke ? Math.max(1, Math.floor(n / 200)) : n);
const rows = [];
const row = (what, reference, r, target) => {
  rows.push({ what, reference, ratio: r.ratio, candidate: r.candidate, ref: r.reference, target });
  const mark = target ? (r.ratio <= target.value ? 'met' : 'NOT met') : 'reported';
  console.log(`${what} vs ${reference}: ${r.ratio.toFixed(2)} (${fmt(r.candidate)} vs ${fmt(r.reference)}) ${target ? `target ≤ ${target.value}: ${mark}` : mark}`);
};

// ---- Signing the flush request, Node.
const accessKey = 'ncp_iam_BPAMKR1ABCDEFGHIJKLM';
const secretKey = 'ncp_iam_BPKMKR0123456789abcdefghijklmnopqrstuvwx';
const timestamp = 1764380000123;
const flush = buildFlushRequest({ cloudDBInstanceNo: '882689', timestamp, accessKey, secretKey });
const signOptions = { method: flush.method, url: flush.url, timestamp, accessKey, secretKey };
const { stringToSign, signature } = signRequest(signOptions);
const base64 = (bytes) => Buffer.from(bytes).toString('base64');
// Every implementation must agree before it is timed.
for (const other of [
  createHmac('sha256', secretKey).update(stringToSign).digest('base64'),
  base64(jsSha256.sha256.hmac.arrayBuffer(secretKey, stringToSign)),
  base64(nobleHmac(nobleSha256, new TextEncoder().encode(secretKey), new TextEncoder().encode(stringToSign))),
]) {
  if (other !== signature) throw new Error('the implementations disagree on the signature');
}
const sign = () => signRequest(signOptions);
const n = scale(20_000);
row('signRequest (flush request), Node', 'node:crypto createHmac + base64', compare(sign, () => createHmac('sha256', secretKey).update(stringToSign).digest('base64'), { n, rounds: smoke ? 1 : 15 }), { value: 0.9 });
// A URL that needs serializing (spaces, Hangul): the same one path, with the serializer at work.
const serializeOptions = { method: 'GET', url: 'https://ncloud.apigw.ntruss.com/clouddb/v2/getCloudDBInstanceList?dbKindCode=REDIS&cloudDBServiceName=주문 캐시&memo=a b', timestamp, accessKey, secretKey };
const serialized = signRequest(serializeOptions);
if (serialized.signature !== createHmac('sha256', secretKey).update(serialized.stringToSign).digest('base64')) throw new Error('the serialized URL is signed wrong');
row('signRequest (URL to serialize: spaces, Hangul), Node', 'node:crypto createHmac + base64', compare(() => signRequest(serializeOptions), () => createHmac('sha256', secretKey).update(serialized.stringToSign).digest('base64'), { n, rounds: smoke ? 1 : 15 }), { value: 1.5 });
row('signRequest (flush request), Node', 'js-sha256 HMAC + base64', compare(sign, () => base64(jsSha256.sha256.hmac.arrayBuffer(secretKey, stringToSign)), { n, rounds: smoke ? 1 : 15 }));
const enc = new TextEncoder();
row('signRequest (flush request), Node', '@noble/hashes HMAC + base64', compare(sign, () => base64(nobleHmac(nobleSha256, enc.encode(secretKey), enc.encode(stringToSign))), { n, rounds: smoke ? 1 : 15 }));

// ---- Parsing, Node.
const seedJson = readFileSync(join(root, 'tests/fixtures/flush-response.json'), 'utf8');
const seedXml = readFileSync(join(root, 'tests/fixtures/flush-response.xml'), 'utf8');
const seed = JSON.parse(seedJson);
const big = structuredClone(seed);
const instance = seed.flushCloudDBInstanceResponse.cloudDBInstanceList[0];
big.flushCloudDBInstanceResponse.cloudDBInstanceList = Array.from({ length: 1000 }, (_, i) => ({
  ...structuredClone(instance), cloudDBInstanceNo: String(882689 + i), cloudDBServiceName: `service-${i}`,
}));
big.flushCloudDBInstanceResponse.totalRows = 1000;
const bigJson = JSON.stringify(big, null, 2);
const pn = scale(5_000);
row('parseFlushResponse, seed JSON (2.3 KB)', 'JSON.parse', compare(() => parseFlushResponse(seedJson), () => JSON.parse(seedJson), { n: pn, rounds: smoke ? 1 : 15 }), { value: 1.8 });
row(`parseFlushResponse, 1,000 instances (${(bigJson.length / 1e6).toFixed(1)} MB)`, 'JSON.parse', compare(() => parseFlushResponse(bigJson), () => JSON.parse(bigJson), { n: scale(20), rounds: smoke ? 1 : 9, warmup: smoke ? 0 : 2 }), { value: 1.8 });
row('parseFlushResponse, seed XML', 'JSON.parse of the JSON form', compare(() => parseFlushResponse(seedXml), () => JSON.parse(seedJson), { n: pn, rounds: smoke ? 1 : 15 }));

// ---- Hostile shapes (tests/support/hostile-shapes.mjs), 4 MB each: cost against JSON.parse of
// the same text (of the same document written as JSON, for XML). Errors count as answers (the
// verdict is what the call returns).
const attempt = (body) => () => {
  try {
    parseFlushResponse(body);
  } catch {}
};
for (const [shape, make] of Object.entries(SHAPES)) {
  const size = smoke ? 20_000 : 4e6;
  const body = make(size);
  const reference = JSON_FORMS[shape]?.(size) ?? body;
  const jsonParse = () => {
    try {
      JSON.parse(reference);
    } catch {}
  };
  row(`parseFlushResponse, hostile: ${shape} (${(body.length / 1e6).toFixed(1)} MB)`, reference === body ? 'JSON.parse' : 'JSON.parse of the JSON form', compare(attempt(body), jsonParse, { n: 1, rounds: smoke ? 1 : 7, warmup: smoke ? 0 : 1 }), { value: 3.0 });
}

// ---- Signing in headless Chromium: our sync call against WebCrypto with the key imported.
{
  const server = await serveStatic(root);
  const browser = await launch();
  try {
    const page = await browser.newPage();
    await page.goto(`${server.url}/bench/blank.html`);
    const result = await page.evaluate(async ({ signOptions, stringToSign, n, rounds }) => {
      const { signRequest } = await import('/pkg/index.browser.js');
      const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(signOptions.secretKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      const data = new TextEncoder().encode(stringToSign);
      const ours = () => { const t = performance.now(); for (let i = 0; i < n; i++) signRequest(signOptions); return (performance.now() - t) * 1e6 / n; };
      const theirs = async () => { const t = performance.now(); for (let i = 0; i < n; i++) await crypto.subtle.sign('HMAC', key, data); return (performance.now() - t) * 1e6 / n; };
      ours(); await theirs();
      const a = []; const b = [];
      for (let r = 0; r < rounds; r++) { a.push(ours()); b.push(await theirs()); }
      const med = (xs) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)];
      return { candidate: med(a), reference: med(b) };
    }, { signOptions, stringToSign, n: scale(5_000), rounds: smoke ? 1 : 9 });
    row('signRequest, headless Chromium', 'WebCrypto subtle.sign (key imported, awaited)', { ...result, ratio: result.candidate / result.reference }, { value: 0.4 });
  } finally {
    await browser.close();
    await server.close();
  }
}

// ---- Size.
const wasmPath = join(root, 'pkg/ncloud_redis_flush_bg.wasm');
const gz = (path) => gzipSync(readFileSync(path), { level: constants.Z_BEST_COMPRESSION }).length;
const wasmRaw = statSync(wasmPath).size;
const wasmGz = gz(wasmPath);
const glue = ['ncloud_redis_flush.js', 'index.node.mjs'].map((f) => join(root, 'pkg', f));
const glueRaw = glue.reduce((s, f) => s + statSync(f).size, 0);
const glueGz = glue.reduce((s, f) => s + gz(f), 0);
console.log(`.wasm after wasm-opt: ${wasmRaw} B raw, ${wasmGz} B gzip -9 (target ≤ 40960: ${wasmGz <= 40960 ? 'met' : 'NOT met'}); JS glue ${glueRaw} B raw, ${glueGz} B gzip -9`);

// ---- Import to first signature, Node, fresh processes.
const startup = [];
const script = `const t = performance.now(); const { signRequest } = await import(${JSON.stringify(join(root, 'pkg/index.node.mjs'))}); signRequest(${JSON.stringify(signOptions)}); console.log(performance.now() - t);`;
for (let i = 0; i < (smoke ? 2 : 21); i++) {
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  startup.push(Number(out.stdout.trim()));
}
const startupMs = median(startup);
console.log(`import → first signature, fresh Node process: ${startupMs.toFixed(2)} ms (median of ${startup.length}; aim < 10 ms)`);

// ---- Gateway throughput against redis-benchmark on the same Redis.
let gatewayLine = '';
{
  const redis = await startRedis();
  const gateway = await startGateway({ credentials: [{ accessKey, secretKey }], instances: [{ no: '882689', redisUrl: redis.url, name: 'bench' }] });
  try {
    const seconds = smoke ? 1 : 10;
    const connections = 8;
    let ok = 0;
    let errors = 0;
    const until = Date.now() + seconds * 1000;
    const worker = async () => {
      while (Date.now() < until) {
        const r = buildFlushRequest({ cloudDBInstanceNo: '882689', endpoint: gateway.url, timestamp: Date.now(), accessKey, secretKey });
        const response = await fetch(r.url, r);
        const text = await response.text();
        try {
          parseFlushResponse(text, { status: response.status });
          ok++;
        } catch {
          errors++;
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: connections }, worker));
    const gatewayRps = ok / ((performance.now() - started) / 1000);
    await fill(redis.port, 10);
    const bench = execFileSync('redis-benchmark', ['-p', String(redis.port), '-c', String(connections), '-n', String(smoke ? 1000 : 50_000), '-q', 'FLUSHALL'], { encoding: 'utf8' });
    const redisRps = Number(/([\d.]+) requests per second/.exec(bench)?.[1] ?? NaN);
    gatewayLine = `gateway: ${gatewayRps.toFixed(0)} signed flushes/s over ${connections} loopback connections (${errors} errors) vs redis-benchmark FLUSHALL ${redisRps.toFixed(0)}/s: ratio ${(gatewayRps / redisRps).toFixed(3)}`;
    console.log(gatewayLine);
    if (errors) throw new Error(`the gateway answered ${errors} errors`);
  } finally {
    await gateway.stop();
    await redis.close();
  }
}

// ---- The table.
const table = [
  '| what | reference | ratio | candidate | reference | target |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.what} | ${r.reference} | **${r.ratio.toFixed(2)}** | ${fmt(r.candidate)} | ${fmt(r.ref)} | ${r.target ? `≤ ${r.target.value}${r.ratio <= r.target.value ? ' ✓' : ' ✗'}` : 'reported'} |`),
  `| .wasm after wasm-opt, gzip -9 | — | — | ${(wasmGz / 1024).toFixed(1)} KiB (${(wasmRaw / 1024).toFixed(1)} KiB raw) | — | ≤ 40 KiB${wasmGz <= 40960 ? ' ✓' : ' ✗'} |`,
  `| JS glue (glue + api + Node entry), gzip -9 | — | — | ${(glueGz / 1024).toFixed(1)} KiB (${(glueRaw / 1024).toFixed(1)} KiB raw) | — | reported |`,
  `| import → first signature, fresh Node process | — | — | ${startupMs.toFixed(2)} ms | — | reported (aim < 10 ms) |`,
  `| ${gatewayLine.replace(/^gateway: /, 'gateway: ')} | redis-benchmark FLUSHALL | — | — | — | reported |`,
];
console.log(`\n${table.join('\n')}`);
if (!smoke) {
  writeFileSync(join(root, 'target/bench-table.md'), `${table.join('\n')}\n\nMachine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}.\n`);
  console.log('\n(table also written to target/bench-table.md)');
}
