// The key in the module (issue 14): the module's memory never holds a secret key it is not using.
// It keeps at most the prepared state (HMAC midstates) of the key in use; the scratch input is
// wiped after every call, on every path; forgetSigningKeys() wipes the kept state. Checked by
// scanning the module's WebAssembly.Memory (from `ncloud-redis-flush/init`'s initSync, the same
// instance the package's functions use) for the secret's bytes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initSync, signRequest, buildFlushRequest, buildListRequest, forgetSigningKeys } from 'ncloud-redis-flush/init';
import { scanForKeys } from '../support/memory-scan.mjs';

const require = createRequire(import.meta.url);
const wasm = initSync({ module: readFileSync(require.resolve('ncloud-redis-flush/wasm')) });

test('no key A after key B, none of B after forgetSigningKeys(), on every path', () => {
  const { checked, findings, marker, kept } = scanForKeys({ signRequest, buildFlushRequest, buildListRequest, forgetSigningKeys }, wasm.memory);
  assert.equal(checked, 30);
  assert.deepEqual(findings, []);
  assert.equal(marker, 1, 'the scan finds a marker written into the memory');
  assert.equal(kept, 10, 'the midstates of the key in use are found, once each, after the signRequest cases');
});

test('forgetSigningKeys() leaves signing working, with the same signatures', () => {
  const options = { method: 'POST', url: '/x', timestamp: 5, accessKey: 'AK', secretKey: 'SK-forget' };
  const before = signRequest(options).signature;
  forgetSigningKeys();
  forgetSigningKeys();
  assert.equal(signRequest(options).signature, before);
});
