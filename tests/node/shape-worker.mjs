// One parse of one hostile shape in a fresh module instance; prints how much the module's memory
// grew, per byte of the body.   node shape-worker.mjs <shape> <bytes>
import { parseFlushResponse } from 'ncloud-redis-flush';
import { initSync } from 'ncloud-redis-flush/init';
import { SHAPES } from '../support/hostile-shapes.mjs';

const [shape, bytes] = process.argv.slice(2);
const body = SHAPES[shape](Number(bytes));
const before = initSync().memory.buffer.byteLength;
let verdict = 'ok';
try {
  parseFlushResponse(body);
} catch (err) {
  verdict = err.code;
}
const growth = (initSync().memory.buffer.byteLength - before) / body.length;
process.stdout.write(JSON.stringify({ growth, verdict }));
