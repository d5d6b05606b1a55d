// Preloaded into the CLI's process (`node --import`) by forget.test.mjs: signs with the CLI's own
// instance of the module (the package's Node entry, the same URL the CLI imports), so that the
// module holds that key's state, and at exit reports how many times each of its midstates is
// still in the module's memory.
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { signRequest } from 'ncloud-redis-flush';
import { midstates, occurrences } from '../support/memory-scan.mjs';

const secret = process.env.KEY_PROBE_SECRET;
const dir = dirname(createRequire(import.meta.url).resolve('ncloud-redis-flush/package.json'));
const raw = await import(pathToFileURL(join(dir, 'ncloud_redis_flush.js')).href);
const count = () => midstates(secret).map((m) => occurrences(new Uint8Array(raw.__memory().buffer), m)).join(',');
signRequest({ method: 'GET', url: '/x', timestamp: 1, accessKey: 'AK', secretKey: secret });
const before = count();
process.on('exit', () => writeSync(2, `key-probe: ${before} -> ${count()}\n`));
