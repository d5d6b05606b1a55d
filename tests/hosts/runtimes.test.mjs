// Deno 2 and Bun, from their npm packages, run tests/hosts/main.mjs against the installed
// tarball (tests/node/run.sh installs it next to these files): `import … from
// 'ncloud-redis-flush'` with no init call, the signature vectors, parsed fixtures, and a real
// flush through the local gateway over real Redis.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startStack, probeInput, assertProbe, bin, version, tempDir } from './hosts.mjs';

const run = promisify(execFile);
let stack;
let temp;

before(async () => {
  stack = await startStack();
  temp = tempDir('ncloud-hosts-');
});
after(async () => {
  await stack?.stop();
  temp?.remove();
});

/** The environment of a host: no update check, its caches in the temporary folder, and a dead
 * registry, so that any attempt to fetch a package fails instead of reaching the network. */
const hostEnv = () => ({
  PATH: process.env.PATH,
  HOME: temp.path,
  DENO_NO_UPDATE_CHECK: '1',
  DENO_DIR: join(temp.path, 'deno'),
  BUN_INSTALL_CACHE_DIR: join(temp.path, 'bun'),
  NPM_CONFIG_REGISTRY: 'http://127.0.0.1:9/',
  NO_COLOR: '1',
});

const HOSTS = {
  deno: (input) => [bin('deno'), [
    'run', '--no-config', '--no-lock', '--node-modules-dir=manual', '--no-prompt', '--no-remote',
    `--allow-read=${process.cwd()},${input}`, '--allow-net=127.0.0.1', 'tests/hosts/main.mjs', input,
  ]],
  bun: (input) => [bin('bun'), ['run', '--no-install', 'tests/hosts/main.mjs', input]],
};

for (const [host, command] of Object.entries(HOSTS)) {
  test(`${host} ${version(host)}: vectors, fixtures and a real flush from the installed package`, async () => {
    await stack.fill();
    const input = join(temp.path, `${host}-input.json`);
    writeFileSync(input, JSON.stringify(probeInput(stack.gateway.url)));
    const [file, args] = command(input);
    const { stdout, stderr } = await run(file, args, { cwd: process.cwd(), env: hostEnv(), timeout: 60_000 });
    const report = JSON.parse(stdout);
    // The Node entry of the installed tarball, with its synchronous init: no init call needed.
    assert.equal(report.entry, new URL('node_modules/ncloud-redis-flush/index.node.mjs', `file://${process.cwd()}/`).href, stderr);
    assertProbe(report, host);
    await stack.assertOnlyAFlushed(host);
  });
}
