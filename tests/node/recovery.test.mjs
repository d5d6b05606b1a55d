// A trap of the WebAssembly module — here memory exhausted while it parses, with its body buffer
// locked — must not leave the package unusable: the public functions replace the instance and
// make the call again, and every later call works.
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseFlushResponse, signRequest } from 'ncloud-redis-flush';
import { initSync } from 'ncloud-redis-flush/init';
import { fixture, vectors } from './helpers.mjs';

const BLOCK = 64 << 20;

test('after the module traps (memory exhausted mid-parse), the call is answered and the next calls work', () => {
  let wasm = initSync();
  // Fill the module's memory (wasm32: at most 4 GiB) with blocks of 64 MiB until its allocator
  // traps, then give two back: 128 MiB left, less than the normalized form of the body below.
  const blocks = [];
  for (;;) {
    try {
      blocks.push(wasm.__wbindgen_malloc(BLOCK, 1));
    } catch (err) {
      assert.ok(err instanceof WebAssembly.RuntimeError, String(err));
      break;
    }
  }
  assert.ok(blocks.length > 2, `only ${blocks.length} blocks could be had`);
  wasm.__wbindgen_free(blocks.pop(), BLOCK, 1);
  wasm.__wbindgen_free(blocks.pop(), BLOCK, 1);
  wasm = null;

  // 7.5 MB of empty instances, then an array where an instance belongs: each `{}` is written
  // with its four lists, about 270 MB before the last item fails. (The reader builds no tree,
  // so a body that fails early, like empty arrays where instances belong, never traps.) The
  // parse traps with the body buffer locked; the package replaces the module and parses again.
  const body = `{"flushCloudDBInstanceResponse":{"returnCode":"0","returnMessage":"success","cloudDBInstanceList":[${'{},'.repeat(2.5e6)}[]]}}`;
  assert.throws(() => parseFlushResponse(body), (err) => err.kind === 'parse' && err.code === 'ERR_INVALID_FIELD');

  // Later calls work: a parse through the same body buffer, and a signature.
  const parsed = parseFlushResponse(fixture('flush-response.json'));
  assert.equal(parsed.returnCode, 0);
  const v = vectors[0];
  const signed = signRequest({ method: v.method, url: v.url, timestamp: v.timestamp, accessKey: v.accessKey, secretKey: v.secretKey });
  assert.equal(signed.signature, v.signature);
  // And the module in use now has its memory free again.
  assert.ok(initSync().memory.buffer.byteLength < 1 << 30);
});
