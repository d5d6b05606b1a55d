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

// The growth per byte each shape may reach. 8 (the UTF-8 copy of the body included) for most; the
// others write an output larger than the body (each `{}` instance becomes an object with all its
// lists, `[]`) or build the XML tree: linear, but above 8, as bench/RESULTS.md records.
const LIMIT = {
  'empty instances': 140,
  'unknown members in instances': 18,
  'XML, many siblings, unknown member': 16,
  'XML, empty instances': 80,
};

for (const shape of Object.keys(SHAPES)) {
  test(`hostile shape, ${shape}: memory linear in the body, 1 MB to 10 MB`, () => {
    const small = run(shape, 1e6);
    const large = run(shape, 1e7);
    assert.equal(large.verdict, small.verdict);
    // Linear: the growth per byte does not rise with the size, but for the slack of vectors that
    // double their capacity (a factor below 2) and of 64 KiB pages.
    assert.ok(large.growth <= small.growth * 1.5 + 0.05, `${small.growth.toFixed(2)} per byte at 1 MB, ${large.growth.toFixed(2)} at 10 MB`);
    const limit = LIMIT[shape] ?? 8;
    assert.ok(large.growth <= limit, `${large.growth.toFixed(2)} bytes per byte at 10 MB (limit ${limit})`);
  });
}
