// Hosts that load the WebAssembly themselves: `ncloud-redis-flush/init` with init / initSync.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import init, { initSync, signRequest } from 'ncloud-redis-flush/init';
import { vectors } from './helpers.mjs';

const require = createRequire(import.meta.url);

test('initSync with the bytes of ncloud-redis-flush/wasm, then sign', () => {
  const bytes = readFileSync(require.resolve('ncloud-redis-flush/wasm'));
  initSync({ module: bytes });
  assert.equal(signRequest(vectors[0]).signature, vectors[0].signature);
});

test('init with a compiled module resolves', async () => {
  const module = await WebAssembly.compile(readFileSync(require.resolve('ncloud-redis-flush/wasm')));
  await init({ module_or_path: module });
  assert.equal(signRequest(vectors[1]).signature, vectors[1].signature);
});

test('the Node entry loads where process.getBuiltinModule is missing (Node before 20.16)', async () => {
  const { spawnSync } = await import('node:child_process');
  const script = `
    delete process.getBuiltinModule;
    const { signRequest } = await import('ncloud-redis-flush');
    process.stdout.write(signRequest(${JSON.stringify(vectors[0])}).signature);`;
  const out = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(out.stderr, '');
  assert.equal(out.stdout, vectors[0].signature);
});
