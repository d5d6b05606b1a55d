// Hostile input and faults, against the installed package: 100,000 random calls with wrong
// types, wrong shapes and random strings to every export; the secret never shows; the instance
// keeps signing correctly; memory stays bounded. Replay a failure with SEED=<seed>.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { signRequest, buildFlushRequest, parseFlushResponse } from 'ncloud-redis-flush';
import { initSync } from 'ncloud-redis-flush/init';
import { SECRET, nodeRequestTarget, exposedText, showsSecret } from './helpers.mjs';
import { KINDS } from './hostile-worker.mjs';

const seed = Number(process.env.SEED ?? Date.now() % 2 ** 31);
const CALLS = 100_000;
const WARM_UP = 10_000;
const MiB = 2 ** 20;

// Memory bounds, growth from after the warm-up to after the 100,000 calls, each measured after
// two full garbage collections (the worker runs under --expose-gc):
const BOUNDS = {
  // The module's linear memory grows in 64 KiB pages and never shrinks. The workload's bodies stay
  // under ~10 kB, so after the warm-up the allocator reuses its free chunks (0 growth measured:
  // the memory stays at its initial 1,179,648 bytes). 1 MiB over 100,000 calls is < 11 bytes per call: smaller than the smallest
  // allocation (16 bytes), so a leak in most calls — or a 100-byte leak in one call in ten —
  // exceeds it.
  wasmMemory: 1 * MiB,
  // wasm-bindgen's table of JavaScript values held by the module: one leaked handle per call
  // would add 100,000 slots. Options whose reading throws are read by js/api.js, never by the
  // module (wasm-bindgen 0.2.130 leaks a slot when a `catch` import throws), so nothing should
  // stay; 256 leaves room for the table's own growth step.
  externrefTable: () => 256,
  // V8's live heap: results and errors are garbage once checked (~0.17 MiB growth measured). A
  // leak of one small object (≥ 84 bytes) per call exceeds 8 MiB.
  heapUsed: 8 * MiB,
  // Buffers outside the heap (the TextEncoder copies of bodies): a leaked copy per parse call
  // (a third of the calls, ≥ 100 bytes each) would exceed it (~16 KiB growth measured).
  arrayBuffersAndExternal: 8 * MiB,
  // The resident set: only a coarse guard, because it keeps V8's code space and the allocator's
  // freed pages after a collection (24 to 40 MiB growth measured, with no leak anywhere else);
  // it catches leaks of more than ~1.3 kB per call.
  rss: 128 * MiB,
};

test(`${CALLS.toLocaleString('en')} random calls: an Error with kind and code, never the secret; the instance still signs; bounded memory (seed ${seed})`, () => {
  const worker = fileURLToPath(new URL('./hostile-worker.mjs', import.meta.url));
  const child = spawnSync(process.execPath, ['--expose-gc', worker, String(seed), String(CALLS), String(WARM_UP)], {
    encoding: 'utf8',
    maxBuffer: 64 * MiB,
  });
  assert.equal(child.status, 0, `seed ${seed}: the worker failed\n${child.stderr}`);
  const report = JSON.parse(child.stdout);
  const { stats, before, after } = report;
  const ctx = `seed ${seed} (replay: SEED=${seed})`;
  assert.deepEqual(stats.problems, [], `${ctx}\n${stats.problems.join('\n')}`);
  assert.equal(stats.returned + stats.thrown, CALLS, ctx);
  // The mix is really hostile, and still reaches every outcome.
  assert.ok(stats.thrown > CALLS / 2, `${ctx}: only ${stats.thrown} calls threw`);
  assert.ok(stats.returned > CALLS / 10, `${ctx}: only ${stats.returned} calls returned`);
  for (const kind of KINDS) assert.ok(stats.byKind[kind] > 0, `${ctx}: no ${kind} error in ${JSON.stringify(stats.byKind)}`);
  assert.equal(report.vectorsStillSign, true, `${ctx}: the instance no longer signs the vectors correctly`);

  assert.equal(report.gc, true, 'the worker runs with --expose-gc');
  const growth = {
    wasmMemory: after.wasmMemory - before.wasmMemory,
    externrefTable: after.externrefTable - before.externrefTable,
    heapUsed: after.heapUsed - before.heapUsed,
    arrayBuffersAndExternal: after.arrayBuffers + after.external - before.arrayBuffers - before.external,
    rss: after.rss - before.rss,
  };
  const known = Object.keys(stats.known).length ? `, known js/api.js issues ${JSON.stringify(stats.known)}` : '';
  console.log(`hostile: ${CALLS} calls in ${report.ms} ms, ${stats.returned} returned, thrown ${JSON.stringify(stats.byKind)}${known}, ${stats.moduleReadThrew} buildFlushRequest options that throw when read; growth ${JSON.stringify(growth)}; wasm memory ${after.wasmMemory} bytes`);
  for (const [what, limit] of Object.entries(BOUNDS)) {
    const bound = typeof limit === 'function' ? limit(stats) : limit;
    assert.ok(growth[what] <= bound, `${ctx}: ${what} grew by ${growth[what]}, more than ${bound}`);
  }
});

test('fuzz findings, through the package: a path resolving to `//` keeps the host; a lone surrogate reads as U+FFFD; an empty item has its lists', () => {
  for (const url of ['/.//evil.example/x', '/..//evil.example/x?q', '\\.\\\\evil.example']) {
    const signed = signRequest({ method: 'GET', url, timestamp: 1, accessKey: 'AK', secretKey: SECRET });
    assert.ok(!signed.url.startsWith('//'), `${url} -> ${signed.url}`);
    const sent = new URL(signed.url, 'https://h.example/');
    assert.equal(sent.host, 'h.example', `${url} -> ${signed.url}`);
    assert.equal(nodeRequestTarget(signed.url), signed.requestTarget);
    assert.equal(nodeRequestTarget(url), signed.requestTarget);
  }
  const flush = buildFlushRequest({ cloudDBInstanceNo: '1', endpoint: 'https://h.example/.//evil.example', timestamp: 1, accessKey: 'AK', secretKey: SECRET });
  assert.equal(new URL(flush.url).host, 'h.example');
  const body = '{"flushCloudDBInstanceResponse":{"returnCode":"0","requestId":"\\ud800","returnMessage":"\\ud83d\\ude80 \\udc00"}}';
  // Both paths: the fast one (plain options) and the full one (an options object it does not
  // take, here one without a prototype).
  for (const options of [undefined, { format: 'json' }, Object.assign(Object.create(null), { format: 'json', status: 200 })]) {
    const r = parseFlushResponse(body, options);
    assert.equal(r.requestId, '\ufffd');
    assert.equal(r.returnMessage, '🚀 \ufffd');
  }
  const lists = { cloudDBConfigList: [], cloudDBConfigGroupList: [], accessControlGroupList: [], cloudDBServerInstanceList: [] };
  assert.deepEqual(
    parseFlushResponse('<flushCloudDBInstanceResponse><returnCode>0</returnCode><cloudDBInstanceList><cloudDBInstance/></cloudDBInstanceList></flushCloudDBInstanceResponse>').cloudDBInstanceList,
    [lists],
  );
  assert.deepEqual(parseFlushResponse('{"flushCloudDBInstanceResponse":{"returnCode":0,"cloudDBInstanceList":[""]}}').cloudDBInstanceList, [lists]);
});

// Defects of js/api.js (the package's JavaScript wrapper) found by the random calls: its fast
// paths read the options themselves. Fixed: a read that throws, or a value that is not exactly a
// known string, now goes to the module's full path.
const wrapperCases = () => {
  const sign = { method: 'GET', url: '/x', timestamp: 1, accessKey: 'AK', secretKey: SECRET };
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();
  const throwing = (key, base) => Object.defineProperty({ ...base }, key, { get() { throw new Error(`getter ${key}`); }, enumerable: true });
  return [
    ['signRequest, a getter that throws', () => signRequest(throwing('method', sign)), 'method'],
    ['signRequest, a proxy whose get trap throws', () => signRequest(new Proxy(sign, { get() { throw new Error('trap'); } })), 'method'],
    ['signRequest, a revoked proxy', () => signRequest(revoked), 'method'],
    ['parseFlushResponse, a getter that throws', () => parseFlushResponse('{}', throwing('format', {})), 'format'],
    ['parseFlushResponse, a revoked proxy', () => parseFlushResponse('{}', revoked), 'format'],
    ['parseFlushResponse, format [Symbol()]', () => parseFlushResponse('{}', { format: [Symbol('s')] }), 'format'],
    ['parseFlushResponse, format with a throwing toString', () => parseFlushResponse('{}', { format: { toString() { throw new Error('x'); } } }), 'format'],
    ['parseFlushResponse, format [\'xml\'] (an array, accepted as xml)', () => parseFlushResponse('<flushCloudDBInstanceResponse><returnCode>0</returnCode></flushCloudDBInstanceResponse>', { format: ['xml'] }), 'format'],
  ];
};

test('hostile options objects: an input error naming the field, like buildFlushRequest', () => {
  for (const [what, call, field] of wrapperCases()) {
    let thrown;
    try {
      call();
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown instanceof Error, `${what}: did not throw`);
    assert.equal(thrown.kind, 'input', `${what}: ${thrown.message}`);
    assert.ok(thrown.field === field || thrown.field === 'options', `${what}: field ${thrown.field}`);
    assert.ok(!showsSecret(exposedText(thrown)), what);
  }
});

test('buildFlushRequest already reports throwing getters and revoked proxies as input errors', () => {
  const flush = { cloudDBInstanceNo: '1', timestamp: 1, accessKey: 'AK', secretKey: SECRET };
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();
  const cases = [
    Object.defineProperty({ ...flush }, 'secretKey', { get() { throw new Error(SECRET); }, enumerable: true }),
    new Proxy(flush, { get() { throw new Error('trap'); } }),
    revoked,
  ];
  for (const options of cases) {
    assert.throws(() => buildFlushRequest(options), (e) => {
      assert.equal(e.kind, 'input');
      // A getter that throws: ERR_INVALID_ARG_VALUE naming it; a revoked proxy: "`options`
      // must be an object" (ERR_INVALID_ARG_TYPE).
      assert.match(e.code, /^ERR_INVALID_ARG_(VALUE|TYPE)$/);
      assert.ok(typeof e.field === 'string');
      // Even a getter's own error that carries the secret is not passed on.
      assert.ok(!showsSecret(exposedText(e)), exposedText(e));
      return true;
    });
  }
});

test('a getter that throws costs the module no memory', () => {
  const exports = initSync();
  const options = Object.defineProperty({ cloudDBInstanceNo: '1', timestamp: 1, accessKey: 'AK', secretKey: SECRET }, 'secretKey', {
    get() { throw new Error('getter'); },
  });
  const call = () => assert.throws(() => buildFlushRequest(options), { kind: 'input', field: 'secretKey' });
  for (let i = 0; i < 1000; i++) call();
  const before = exports.__wbindgen_externrefs.length;
  for (let i = 0; i < 10_000; i++) call();
  assert.equal(exports.__wbindgen_externrefs.length - before, 0, 'externref table slots leaked');
});
