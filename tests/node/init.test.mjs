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
