// The CLI as the package ships it: a thin entry (bin `ncloud-redis-flush` → cli.mjs) over one
// module per stage in cli/: arguments, credentials, requests, confirmation, output.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const INSTALLED = join(process.cwd(), 'node_modules', 'ncloud-redis-flush');
const STAGES = ['args.mjs', 'confirm.mjs', 'credentials.mjs', 'output.mjs', 'requests.mjs'];

test('the bin is a thin entry over one module per stage, all shipped', () => {
  const pkg = JSON.parse(readFileSync(join(INSTALLED, 'package.json'), 'utf8'));
  assert.equal(pkg.bin['ncloud-redis-flush'], './cli.mjs');
  assert.ok(pkg.files.includes('cli/'), pkg.files.join(' '));
  assert.deepEqual(readdirSync(join(INSTALLED, 'cli')).sort(), STAGES);
  const entry = readFileSync(join(INSTALLED, 'cli.mjs'), 'utf8');
  assert.ok(entry.split('\n').length < 120, `cli.mjs has ${entry.split('\n').length} lines`);
  const imports = [...entry.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
  for (const stage of STAGES) assert.ok(imports.includes(`./cli/${stage}`), `cli.mjs does not import ./cli/${stage}`);
  // The stages are the program: the entry neither signs, sends nor parses.
  assert.doesNotMatch(entry, /\bfetch\(|parseArgs|readIni|createInterface|index\.node\.mjs/);
});
