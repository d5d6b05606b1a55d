// The memory scan of issue 14, shared by Node (tests/node/memory.test.mjs) and the browsers
// (tests/browser/package.test.mjs): signs with key A, then key B, on every path, and looks in
// the module's WebAssembly.Memory for the bytes of each secret — and for the key blocks HMAC
// derives from it (XORed with ipad 0x36 and opad 0x5c). A plain module: no Node or DOM imports.

/** How many times `needle` (bytes) occurs in `memory` (bytes). */
export function occurrences(memory, needle) {
  let count = 0;
  for (let i = memory.indexOf(needle[0]); i !== -1 && i <= memory.length - needle.length; i = memory.indexOf(needle[0], i + 1)) {
    let j = 1;
    while (j < needle.length && memory[i + j] === needle[j]) j++;
    if (j === needle.length) count++;
  }
  return count;
}

const utf8 = (text) => new TextEncoder().encode(text);

// SHA-256's compression function (FIPS 180-4), written out as the test's own reference: the HMAC
// midstates the module keeps are the states after one key block, which no host API exposes.
const K = Uint32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const rotr = (x, n) => (x >>> n) | (x << (32 - n));
function compress(state, block) {
  const w = new Uint32Array(64);
  for (let i = 0; i < 16; i++) w[i] = (block[4 * i] << 24) | (block[4 * i + 1] << 16) | (block[4 * i + 2] << 8) | block[4 * i + 3];
  for (let i = 16; i < 64; i++) {
    const s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >>> 3);
    const s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >>> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  let [a, b, c, d, e, f, g, h] = state;
  for (let i = 0; i < 64; i++) {
    const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) >>> 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
    [h, g, f, e, d, c, b, a] = [g, f, e, (d + t1) >>> 0, c, b, a, (t1 + t2) >>> 0];
  }
  return state.map((x, i) => (x + [a, b, c, d, e, f, g, h][i]) >>> 0);
}
function sha256(bytes) {
  const padded = new Uint8Array(Math.ceil((bytes.length + 9) / 64) * 64);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  new DataView(padded.buffer).setUint32(padded.length - 4, bytes.length * 8);
  let state = IV;
  for (let i = 0; i < padded.length; i += 64) state = compress(state, padded.subarray(i, i + 64));
  const out = new Uint8Array(32);
  state.forEach((x, i) => new DataView(out.buffer).setUint32(4 * i, x));
  return out;
}
/** HMAC-SHA256's inner and outer midstates of `secret`, as the module stores them: eight
 * 32-bit words each, little-endian (wasm32). */
export function midstates(secret) {
  let key = utf8(secret);
  if (key.length > 64) key = sha256(key);
  const block = new Uint8Array(64);
  block.set(key);
  return [0x36, 0x5c].map((pad) => {
    const state = compress(IV, block.map((b) => b ^ pad));
    const bytes = new Uint8Array(32);
    state.forEach((x, i) => new DataView(bytes.buffer).setUint32(4 * i, x, true));
    return bytes;
  });
}
const FORMS = ['the bytes', 'the ipad form', 'the opad form', 'the inner midstate', 'the outer midstate'];
/** The secret's bytes, its HMAC key blocks' XORed forms and its midstates. */
const forms = (secret) => [utf8(secret), utf8(secret).map((b) => b ^ 0x36), utf8(secret).map((b) => b ^ 0x5c), ...midstates(secret)];

/** A call that must throw; the scan goes on either way. */
function refused(call) {
  try {
    call();
  } catch {
    return;
  }
  throw new Error('the call was expected to be refused');
}

/**
 * Runs the scan. `api` holds the package's functions and `memory` the module's
 * `WebAssembly.Memory` (from `initSync` / `init`, the same instance the functions use).
 * Returns `{ checked, findings, marker, kept }`: the number of (path, key length) cases, the
 * secrets found where none may be, how often a marker written into the memory is found, and in
 * how many cases the midstates of the key in use were found exactly once (the scan is not
 * vacuous: it does find what the module keeps).
 */
export function scanForKeys(api, memory) {
  const { signRequest, buildFlushRequest, buildListRequest, forgetSigningKeys } = api;
  const calls = {
    'signRequest (serialized URL)': (secretKey) => signRequest({ method: 'POST', url: '/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=1', timestamp: 1, accessKey: 'AK', secretKey }),
    'signRequest (URL to serialize, non-ASCII)': (secretKey) => signRequest({ method: 'get', url: 'https://h.example/검색 결과?q=한국 어', timestamp: '2', accessKey: 'AK', secretKey }),
    'signRequest (refused)': (secretKey) => refused(() => signRequest({ method: 'GET', url: '/x', timestamp: '01', accessKey: 'AK', secretKey })),
    'signRequest (wrong type)': (secretKey) => refused(() => signRequest({ method: 'GET', url: 5, timestamp: 1, accessKey: 'AK', secretKey })),
    buildFlushRequest: (secretKey) => buildFlushRequest({ cloudDBInstanceNo: '882689', timestamp: 3, accessKey: 'AK', secretKey }),
    buildListRequest: (secretKey) => buildListRequest({ platform: 'vpc', timestamp: 4, accessKey: 'AK', secretKey }),
  };
  const findings = [];
  const count = (secret) => forms(secret).map((form) => occurrences(new Uint8Array(memory.buffer), form));
  const absent = (secret, when) => {
    for (const [i, n] of count(secret).entries()) {
      if (n > 0) findings.push(`${FORMS[i]} of ${secret.slice(0, 12)}… ${when}: ${n}`);
    }
  };
  // The module keeps the key in use, as its midstates: each found once, while it is in use.
  let kept = 0;
  let checked = 0;
  for (const [name, call] of Object.entries(calls)) {
    for (const length of [12, 40, 64, 65, 300]) {
      checked++;
      const a = `A${String(checked).padStart(3, '0')}-zebra-quokka-${'x'.repeat(length)}`.slice(0, length);
      const b = `B${a.slice(1)}`;
      call(a);
      call(a);
      call(b);
      absent(a, `after ${name} with key B`);
      // Of the key in use, only the midstates: not its bytes (the scratch input is wiped after
      // every call), nor its padded key blocks.
      const [bytes, ipad, opad, inner, outer] = count(b);
      if (bytes + ipad + opad > 0) findings.push(`the bytes or key blocks of the key in use ${b.slice(0, 12)}…, after ${name}: ${[bytes, ipad, opad]}`);
      if (!name.includes('refused') && !name.includes('wrong type') && name.startsWith('signRequest')) {
        if (inner === 1 && outer === 1) kept++;
        else findings.push(`the midstates of the key in use ${b.slice(0, 12)}…, after ${name}: found ${inner} and ${outer} times, not once each`);
      }
      forgetSigningKeys();
      absent(b, `after ${name} and forgetSigningKeys()`);
    }
  }
  // Not vacuous: the scan finds a secret the memory does hold.
  const marker = utf8('MARKER-in-memory-1234567890');
  const bytes = new Uint8Array(memory.buffer);
  bytes.set(marker, 1024 * 1024);
  const found = occurrences(bytes, marker);
  bytes.fill(0, 1024 * 1024, 1024 * 1024 + marker.length);
  return { checked, findings, marker: found, kept };
}
