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
  // traps, then give two back: 128 MiB left, less than the tree of the body below needs.
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

  // 12 MB of empty arrays where instances belong: its tree needs about 260 MB. The parse traps
  // with the body buffer locked; the package replaces the module and parses again.
  const body = `{"flushCloudDBInstanceResponse":{"returnCode":"0","returnMessage":"success","cloudDBInstanceList":[${'[],'.repeat(4e6)}[]]}}`;
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
