// The example Worker (examples/worker/) in workerd, from its npm package: bundled as wrangler
// bundles it (esbuild with the `workerd`, `worker` and `browser` conditions, the .wasm kept as a
// module of its own), against the installed tarball; its fetch and scheduled handlers flush
// through the local gateway over real Redis. Beside it, the test's probe Worker signs the
// vectors, parses fixtures and flushes, as in Deno and Bun.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, copyFileSync, writeFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort } from '../support/redis.mjs';
import { startStack, probeInput, assertProbe, bin, version, tempDir, ROOT, AK, SK, A } from './hosts.mjs';

const { build } = await import(pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('esbuild')).href);
const TOKEN = 'flush-token-for-the-test-4b1e';
const WASM = 'ncloud_redis_flush_bg.wasm';

let stack;
let temp;
let workerd;
let output = '';
let bundles;
const url = {};

/**
 * Bundles `entry` into `dir`/worker.js as wrangler does: conditions `workerd`, `worker`,
 * `browser`; `.wasm` imports left to the host as modules. Returns the bundle's input files.
 */
async function bundle(entry, dir) {
  const result = await build({
    entryPoints: [entry], outfile: join(dir, 'worker.js'), bundle: true, format: 'esm', platform: 'neutral',
    target: 'es2022', conditions: ['workerd', 'worker', 'browser'], mainFields: ['browser', 'module', 'main'],
    external: ['*.wasm'], metafile: true, logLevel: 'silent', absWorkingDir: process.cwd(),
  });
  copyFileSync(join(process.cwd(), 'node_modules/ncloud-redis-flush', WASM), join(dir, WASM));
  return Object.keys(result.metafile.inputs);
}

const text = (name, value) => `(name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)})`;

/** A worker of the capnp configuration: its bundle in `dir` (relative to the configuration's
 * folder, as capnp's `embed` wants), its bindings, loopback-only fetch. */
function worker(id, dir, bindings, flags = []) {
  return `const ${id} :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "${dir}/worker.js"),
    (name = "${WASM}", wasm = embed "${dir}/${WASM}"),
  ],
  compatibilityDate = "2025-01-01",
  compatibilityFlags = ${JSON.stringify(flags)},
  bindings = [ ${bindings.join(',\n    ')} ],
  globalOutbound = "loopback",
);
`;
}

before(async () => {
  stack = await startStack();
  temp = tempDir('ncloud-workerd-');
  // The example, next to the installed package, so that its import resolves to the tarball.
  cpSync(join(ROOT, 'examples/worker/src'), join(process.cwd(), 'example-worker/src'), { recursive: true });
  bundles = {
    example: await bundle('example-worker/src/index.js', join(temp.path, 'example')),
    probe: await bundle('tests/hosts/probe-worker.mjs', join(temp.path, 'probe')),
  };
  const [probePort, examplePort, badPort] = await Promise.all([freePort(), freePort(), freePort()]);
  const env = (secretKey) => [
    text('NCLOUD_INSTANCE_NO', A), text('NCLOUD_ENDPOINT', stack.gateway.url),
    text('NCLOUD_ACCESS_KEY', AK), text('NCLOUD_SECRET_KEY', secretKey), text('FLUSH_TOKEN', TOKEN),
  ];
  const config = join(temp.path, 'config.capnp');
  writeFileSync(config, `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "probe", worker = .probe),
    (name = "example", worker = .example),
    (name = "example-bad-key", worker = .exampleBadKey),
    (name = "loopback", network = (allow = ["127.0.0.1/32"])),
  ],
  sockets = [
    (name = "probe", address = "127.0.0.1:${probePort}", http = (), service = "probe"),
    (name = "example", address = "127.0.0.1:${examplePort}", http = (), service = "example"),
    (name = "example-bad-key", address = "127.0.0.1:${badPort}", http = (), service = "example-bad-key"),
  ],
);
${worker('probe', 'probe', ['(name = "EXAMPLE", service = "example")'], ['service_binding_extra_handlers'])}
${worker('example', 'example', env(SK))}
${worker('exampleBadKey', 'example', env('not-the-secret-key'))}
`);
  // --experimental: the probe's `EXAMPLE.scheduled()` (service_binding_extra_handlers), how
  // miniflare triggers a Cron event too.
  workerd = spawn(bin('workerd'), ['serve', config, '--verbose', '--experimental'], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH, HOME: temp.path } });
  workerd.stdout.on('data', (d) => { output += d; });
  workerd.stderr.on('data', (d) => { output += d; });
  Object.assign(url, { probe: `http://127.0.0.1:${probePort}`, example: `http://127.0.0.1:${examplePort}`, bad: `http://127.0.0.1:${badPort}` });
  // Ready when every socket answers (the Worker has loaded: a top-level error fails every request).
  const deadline = Date.now() + 30_000;
  for (const base of Object.values(url)) {
    for (;;) {
      if (workerd.exitCode !== null) throw new Error(`workerd exited ${workerd.exitCode}: ${output}`);
      try {
        await fetch(`${base}/`);
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`workerd did not listen: ${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
});

after(async () => {
  if (workerd && workerd.exitCode === null) {
    const exited = new Promise((r) => workerd.once('exit', r));
    workerd.kill('SIGTERM');
    await exited;
  }
  await stack?.stop();
  temp?.remove();
});

const post = async (base, path, body, headers = {}) => {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
};

test(`workerd ${version('workerd')}: wrangler's conditions pick the package's workerd entry, which imports the .wasm as a module`, () => {
  for (const inputs of Object.values(bundles)) {
    const files = inputs.map((f) => relative('node_modules/ncloud-redis-flush', f));
    assert.ok(files.includes('index.workerd.js'), files.join(', '));
    assert.ok(!files.includes('index.browser.js'), files.join(', '));
  }
  assert.match(readFileSync(join(temp.path, 'example/worker.js'), 'utf8'), /from "\.\/ncloud_redis_flush_bg\.wasm"/);
});

test('workerd: the probe Worker signs the vectors, parses the fixtures and really flushes', async () => {
  await stack.fill();
  const { status, body } = await post(url.probe, '/probe', probeInput(stack.gateway.url));
  assert.equal(status, 200, JSON.stringify(body));
  assertProbe(body, 'workerd');
  await stack.assertOnlyAFlushed('workerd');
});

test('example Worker, fetch: POST /flush with the token flushes A; without it, nothing is flushed', async () => {
  await stack.fill();
  for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${TOKEN}x` }, { authorization: TOKEN }]) {
    const answer = await post(url.example, '/flush', undefined, headers);
    assert.equal(answer.status, 401, JSON.stringify({ headers, answer }));
  }
  assert.equal((await fetch(`${url.example}/flush`)).status, 405);
  assert.equal((await fetch(`${url.example}/`)).status, 404);
  assert.deepEqual(await stack.keys(), { a: 6, b: 4 }, 'flushed without the token');

  const { status, body } = await post(url.example, '/flush', undefined, { authorization: `Bearer ${TOKEN}` });
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.flushed, true);
  assert.deepEqual(body.instances, ['cache-a']);
  assert.match(body.requestId, /^[0-9a-f-]{36}$/);
  await stack.assertOnlyAFlushed('example fetch');
});

test('example Worker, scheduled: the Cron Trigger flushes A with the credentials from its env', async () => {
  await stack.fill();
  const { status, body } = await post(url.probe, '/scheduled', { cron: '0 4 * * *' });
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.outcome, 'ok', output);
  await stack.assertOnlyAFlushed('example scheduled');
  assert.match(output, /"cron":"0 4 \* \* \*","flushed":true/);
});

test('example Worker with a wrong secret key: a typed gateway error, no flush, no key shown', async () => {
  await stack.fill();
  const { status, body } = await post(url.bad, '/flush', undefined, { authorization: `Bearer ${TOKEN}` });
  assert.equal(status, 502, JSON.stringify(body));
  assert.equal(body.kind, 'gateway');
  assert.equal(body.code, '200');
  assert.deepEqual(await stack.keys(), { a: 6, b: 4 }, 'flushed with a wrong key');
  assert.ok(!JSON.stringify(body).includes('not-the-secret-key'));
  assert.ok(!output.includes(SK) && !output.includes('not-the-secret-key'), output);
});
