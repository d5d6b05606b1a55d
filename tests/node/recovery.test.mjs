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
  // traps, then give one back: 64 MiB left, less than the body below and its XML tree need.
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
  wasm = null;

  // 24 MB of XML elements under a member the schema does not know: the body fits in the body
  // buffer, the tree the XML reader builds of it does not fit in what is left. (JSON is read
  // without a tree, and its normalized text leaves the module in pieces: a JSON body cannot
  // exhaust the module's memory.) The parse traps with the body buffer locked; the package
  // replaces the module and parses again, to the answer's verdict: no returnCode.
  const body = `<flushCloudDBInstanceResponse><x>${'<y><z><w/></z></y>'.repeat(24e6 / 18)}</x></flushCloudDBInstanceResponse>`;
  assert.throws(() => parseFlushResponse(body), (err) => err.kind === 'parse' && err.code === 'ERR_MISSING_FIELD');

  // Later calls work: a parse through the same body buffer, and a signature.
  const parsed = parseFlushResponse(fixture('flush-response.json'));
  assert.equal(parsed.returnCode, 0);
  const v = vectors[0];
  const signed = signRequest({ method: v.method, url: v.url, timestamp: v.timestamp, accessKey: v.accessKey, secretKey: v.secretKey });
  assert.equal(signed.signature, v.signature);
  // And the module in use now has its memory free again.
  assert.ok(initSync().memory.buffer.byteLength < 1 << 30);
});
