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

const require = createRequire(import.meta.url);
const wasm = initSync({ module: readFileSync(require.resolve('ncloud-redis-flush/wasm')) });

/** How many times `needle` (bytes) occurs in the module's memory. */
function occurrences(needle) {
  const memory = new Uint8Array(wasm.memory.buffer);
  let count = 0;
  for (let i = memory.indexOf(needle[0]); i !== -1 && i <= memory.length - needle.length; i = memory.indexOf(needle[0], i + 1)) {
    let j = 1;
    while (j < needle.length && memory[i + j] === needle[j]) j++;
    if (j === needle.length) count++;
  }
  return count;
}
const utf8 = (text) => new TextEncoder().encode(text);
/** The secret's bytes and its HMAC key blocks' XORed forms (ipad 0x36, opad 0x5c). */
const forms = (secret) => [utf8(secret), utf8(secret).map((b) => b ^ 0x36), utf8(secret).map((b) => b ^ 0x5c)];
const assertAbsent = (secret, when) => {
  for (const [i, form] of forms(secret).entries()) {
    assert.equal(occurrences(form), 0, `${['the bytes', 'the ipad form', 'the opad form'][i]} of ${secret.slice(0, 12)}… ${when}`);
  }
};

const calls = {
  'signRequest (serialized URL)': (secretKey) => signRequest({ method: 'POST', url: '/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=1', timestamp: 1, accessKey: 'AK', secretKey }),
  'signRequest (URL to serialize, non-ASCII)': (secretKey) => signRequest({ method: 'get', url: 'https://h.example/검색 결과?q=한국 어', timestamp: '2', accessKey: 'AK', secretKey }),
  'signRequest (refused)': (secretKey) => assert.throws(() => signRequest({ method: 'GET', url: '/x', timestamp: '01', accessKey: 'AK', secretKey })),
  'signRequest (wrong type)': (secretKey) => assert.throws(() => signRequest({ method: 'GET', url: 5, timestamp: 1, accessKey: 'AK', secretKey })),
  buildFlushRequest: (secretKey) => buildFlushRequest({ cloudDBInstanceNo: '882689', timestamp: 3, accessKey: 'AK', secretKey }),
  buildListRequest: (secretKey) => buildListRequest({ platform: 'vpc', timestamp: 4, accessKey: 'AK', secretKey }),
};

test('no key A after key B, none of B after forgetSigningKeys(), on every path', () => {
  let n = 0;
  for (const [name, call] of Object.entries(calls)) {
    for (const length of [12, 40, 64, 65, 300]) {
      n++;
      const a = `A${String(n).padStart(3, '0')}-zebra-quokka-${'x'.repeat(length)}`.slice(0, length);
      const b = `B${a.slice(1)}`;
      call(a);
      call(a);
      call(b);
      assertAbsent(a, `after ${name} with key B`);
      forgetSigningKeys();
      assertAbsent(b, `after ${name} and forgetSigningKeys()`);
    }
  }
  // Not vacuous: the scan finds a secret the module does hold — its own input, while it is there.
  const marker = 'MARKER-in-memory-1234567890';
  const memory = new Uint8Array(wasm.memory.buffer);
  memory.set(utf8(marker), 1024 * 1024);
  assert.equal(occurrences(utf8(marker)), 1);
  memory.fill(0, 1024 * 1024, 1024 * 1024 + marker.length);
});

test('forgetSigningKeys() leaves signing working, with the same signatures', () => {
  const options = { method: 'POST', url: '/x', timestamp: 5, accessKey: 'AK', secretKey: 'SK-forget' };
  const before = signRequest(options).signature;
  forgetSigningKeys();
  forgetSigningKeys();
  assert.equal(signRequest(options).signature, before);
});
