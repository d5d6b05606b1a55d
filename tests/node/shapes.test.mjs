// The parser's memory on hostile shapes is linear in the body: each shape at 1 MB and at 10 MB,
// each parse in a fresh module instance (a child process), the growth of the module's memory
// per byte of the body compared. Times are in `make bench` (ratios against JSON.parse).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SHAPES } from '../support/hostile-shapes.mjs';

const worker = fileURLToPath(new URL('./shape-worker.mjs', import.meta.url));
const run = (shape, bytes) => JSON.parse(execFileSync(process.execPath, [worker, shape, String(bytes)], { encoding: 'utf8', timeout: 120_000 }));

// The growth per byte every shape may reach: 8, the UTF-8 copy of the body included (the XML
// tree is 12 bytes an element, tests/xml-memory). The normalized text leaves the module in pieces
// as it is written: a text tens of times the body, each `{}` instance an object with its four
// lists, grows the module by a piece, not by the text.
const LIMIT = 8;

// Shapes whose text is tens of times the body: at 10 MB it would pass MAX_NORMALIZED_BYTES
// (192 MiB), and they are refused as they are written, with ERR_ANSWER_TOO_LARGE. Their growth is
// compared from 1 MB to 4 MB, where they are read to the end, and bounded at 10 MB too.
const EXPANDING = new Set(['empty instances', 'XML, empty instances']);

for (const shape of Object.keys(SHAPES)) {
  const largest = EXPANDING.has(shape) ? 4e6 : 1e7;
  test(`hostile shape, ${shape}: memory linear in the body, 1 MB to ${largest / 1e6} MB`, () => {
    const small = run(shape, 1e6);
    const large = run(shape, largest);
    assert.equal(large.verdict, small.verdict);
    // Linear: the growth per byte does not rise with the size, but for the slack of vectors that
    // double their capacity (a factor below 2) and of 64 KiB pages.
    assert.ok(large.growth <= small.growth * 1.5 + 0.05, `${small.growth.toFixed(2)} per byte at 1 MB, ${large.growth.toFixed(2)} at ${largest / 1e6} MB`);
        assert.ok(large.growth <= LIMIT, `${large.growth.toFixed(2)} bytes per byte at ${largest / 1e6} MB (limit ${LIMIT})`);
    if (EXPANDING.has(shape)) {
      const huge = run(shape, 1e7);
      assert.equal(huge.verdict, 'ERR_ANSWER_TOO_LARGE');
      assert.ok(huge.growth <= LIMIT, `${huge.growth.toFixed(2)} bytes per byte at 10 MB (limit ${LIMIT})`);
    }
  });
}
