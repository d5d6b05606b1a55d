// The CLI wipes the signing module's key state before it exits (issue 14): whatever the command
// and its outcome, the midstates of a key the module held are gone from its memory at exit.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ENTRY = join(process.cwd(), 'node_modules', 'ncloud-redis-flush', 'cli.mjs');
const PROBE = join(import.meta.dirname, 'key-probe.mjs');
const SECRET = 'SK-cli-forget-probe-0123456789';

test('the CLI calls forgetSigningKeys() before it exits, on success and on error', () => {
  for (const args of [['--version'], ['list', '--dry-run', '--access-key', 'AK', '--secret-key', SECRET], ['flush', 'not-a-number', '--yes']]) {
    const r = spawnSync(process.execPath, ['--import', PROBE, ENTRY, ...args], {
      env: { PATH: process.env.PATH, HOME: '/nonexistent', KEY_PROBE_SECRET: SECRET },
      encoding: 'utf8',
    });
    const probe = /key-probe: (\S+) -> (\S+)/.exec(r.stderr);
    assert.ok(probe, `no probe line: ${r.stderr}`);
    assert.equal(probe[1], '1,1', 'the module held the key before the CLI ran');
    assert.equal(probe[2], '0,0', `${args.join(' ')}: the key's state is still in the module at exit`);
  }
});
