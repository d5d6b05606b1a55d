// A trap of the WebAssembly module — here memory exhausted while it parses, with its body buffer
// locked — must not leave the package unusable: the public functions replace the instance and
// make the call again, and every later call works.
import test from 'node:test';
import assert from 'node:assert/strict';
import { parseFlushResponse, signRequest } from 'ncloud-redis-flush';
import { initSync } from 'ncloud-redis-flush/init';
import { fixture, vectors } from './helpers.mjs';

const MiB = 1 << 20;

test('after the module traps (memory exhausted mid-parse), the call is answered and the next calls work', () => {
  let wasm = initSync();
  // 24 MB of XML elements under a member the schema does not know: the body fits in the body
  // buffer, the tree the XML reader builds of it does not fit in what is left. (JSON is read
  // without a tree, and its normalized text leaves the module in pieces: a JSON body cannot
  // exhaust the module's memory.)
  const body = `<flushCloudDBInstanceResponse><x>${'<y><z><w/></z></y>'.repeat(24e6 / 18)}</x></flushCloudDBInstanceResponse>`;

  // Fill the module's memory (wasm32: at most 4 GiB) until its allocator traps, with blocks of
  // 64 MiB and then of 1 MiB (less than a MiB is left), then give back the last blocks, enough for
  // the body buffer and a MiB more: far less than the tree needs (several bytes a body byte,
  // tests/xml-memory), whatever the tree's size per element.
  /** @param {number} size */
  const fill = (size) => {
    const blocks = [];
    for (;;) {
      try {
        blocks.push(wasm.__wbindgen_malloc(size, 1));
      } catch (err) {
        assert.ok(err instanceof WebAssembly.RuntimeError, String(err));
        return blocks;
      }
    }
  };
  assert.ok(fill(64 * MiB).length > 2, 'the memory could not be filled with 64 MiB blocks');
  const small = fill(MiB);
  const give = Math.ceil((body.length + 64) / MiB) + 1;
  assert.ok(small.length >= give, `only ${small.length} blocks of a MiB could be had`);
  for (let i = 0; i < give; i++) wasm.__wbindgen_free(small.pop(), MiB, 1);
  wasm = null;

  // The parse traps with the body buffer locked; the package replaces the module and parses
  // again, to the answer's verdict: no returnCode.
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
