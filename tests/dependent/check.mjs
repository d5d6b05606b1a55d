// Builds tests/dependent for wasm32 and checks its module: it exports only what the crate defines
// (its function and the memory, plus the two globals the linker always exports), imports nothing
// (no wasm-bindgen glue came with the core), and signs correctly with the core.
//   node tests/dependent/check.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
execFileSync('cargo', ['build', '--quiet', '--release', '-p', 'ncloud-redis-flush-dependent',
  '--target', 'wasm32-unknown-unknown'], { cwd: root, stdio: 'inherit' });
const bytes = readFileSync(`${root}/target/wasm32-unknown-unknown/release/ncloud_redis_flush_dependent.wasm`);
const module = new WebAssembly.Module(bytes);

const exports = WebAssembly.Module.exports(module).map((e) => e.name).sort();
const linker = ['__data_end', '__heap_base'];
assert.deepEqual(exports.filter((n) => !linker.includes(n)), ['dependent_signature_len', 'memory'],
  `the dependent's module exports ${exports.join(', ')}`);
assert.deepEqual(WebAssembly.Module.imports(module), [], 'the dependent imports nothing');

const { exports: instance } = new WebAssembly.Instance(module, {});
assert.equal(instance.dependent_signature_len(), 44, 'signs the API page example');
console.log(`dependent crate: builds for wasm32 with its own allocator; exports ${exports.join(', ')}; signs`);
