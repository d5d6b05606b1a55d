// The public functions, wrapping the wasm-bindgen exports (`raw`, bound by the build: an ES
// module import or a require). Kept free of import/export statements so the build can emit it as
// an ES module and as CommonJS.
//
// signRequest has one path: it reads the options once and checks only their *types* here; the
// strings go into the module's scratch input with one encodeInto (grown for long or non-ASCII
// text), and the module's one signing path (`__sign`) checks every value, signs, and writes the
// string to sign and the signature, which are read back from its memory. A wrong type goes to the
// module's own option reader, which names it.

/**
 * A plain copy of the options `keys` (own or inherited, as a property read finds them): what the
 * module reads, so that no getter, proxy trap or revoked proxy ever throws while the module is
 * reading (an exception there would cost it an externref slot, a wasm-bindgen leak). A read that
 * throws is an input error naming the field, thrown here. Values that are not objects are given
 * back as they are, for the module to report.
 */
/**
 * @param {unknown} options
 * @param {readonly string[]} keys
 * @returns {unknown}
 */
function copy(options, keys) {
  if (options === null || typeof options !== 'object') return options;
  let isArray;
  try {
    isArray = Array.isArray(options);
  } catch {
    throw raw.__unreadable('options');
  }
  if (isArray) return options;
  const source = /** @type {Record<string, unknown>} */ (options);
  /** @type {Record<string, unknown>} */
  const values = {};
  for (const key of keys) {
    let value;
    try {
      value = source[key];
      // A list is copied too: its items are read here, not by the module.
      if (key === 'instanceNos' && Array.isArray(value)) value = Array.from(value);
    } catch {
      throw raw.__unreadable(key);
    }
    if (value !== undefined) values[key] = value;
  }
  return values;
}

const SIGN_KEYS = ['method', 'url', 'timestamp', 'accessKey', 'secretKey', 'apiKey', 'signatureVersion'];
const CALL_KEYS = ['responseFormatType', 'method', 'paramsIn', 'endpoint', 'timestamp', 'accessKey', 'secretKey', 'apiKey', 'signatureVersion'];
const FLUSH_KEYS = ['platform', 'cloudDBInstanceNo', 'cloudRedisServerInstanceNo', 'cloudCacheServerInstanceNo', 'regionCode', ...CALL_KEYS];
const LIST_KEYS = ['platform', 'instanceNos', 'regionCode', 'regionNo', 'zoneNo', 'pageNo', 'pageSize', ...CALL_KEYS];

// The module's memory as bytes, for writing the signing path's scratch input and the body buffer in place.
// Made on first use (the module is instantiated after this file is evaluated) and again after
// the memory grows, which detaches the old view and every view made from it.
/** @type {Uint8Array | null} */
let memory = null;
/** @returns {Uint8Array} */
function memoryBytes() {
  if (memory === null || memory.byteLength === 0) memory = new Uint8Array(raw.__memory().buffer);
  return memory;
}

// The signing path's scratch input (grown on demand) and the module's `meta` words, which say
// where the signed request's pieces are in its output.
/**
 * @typedef {object} Scratch
 * @property {number} address        where the input is, in the module's memory
 * @property {number} meta           where the `meta` words are
 * @property {number} capacity       the input's size in bytes
 * @property {Uint8Array | null} input   a view of the input (null until made, empty once detached)
 * @property {Uint32Array | null} words  a view of the meta words
 */
/** @type {Scratch | null} */
let scratch = null;
/**
 * @param {number} units  UTF-16 units to make room for
 * @returns {Scratch & { input: Uint8Array, words: Uint32Array }}
 */
function scratchFor(units) {
  // UTF-8 takes at most three bytes a UTF-16 unit.
  const capacity = units * 3;
  if (scratch === null || scratch.capacity < capacity) {
    const address = raw.__signScratch(Math.max(capacity, 4096));
    if (address === 0) throw raw.__signError();
    scratch = { address, meta: raw.__signMeta(), capacity: Math.max(capacity, 4096), input: null, words: null };
  }
  if (scratch.input === null || scratch.input.byteLength === 0) {
    const bytes = memoryBytes();
    scratch.input = bytes.subarray(scratch.address, scratch.address + scratch.capacity);
    scratch.words = new Uint32Array(bytes.buffer, scratch.meta, 13);
  }
  return /** @type {Scratch & { input: Uint8Array, words: Uint32Array }} */ (scratch);
}
const encoder = new TextEncoder();
const decoder = new TextDecoder();

// The string to sign and the signature are ASCII (`Signed`, src/signing/kernel.rs): in Node a
// Buffer over the memory reads them faster than TextDecoder (bench/RESULTS.md, "signing in
// Node"). `globalThis.Buffer`: bundlers see no Node global to polyfill.
const NodeBuffer = /** @type {{ Buffer?: typeof import('node:buffer').Buffer }} */ (globalThis).Buffer;
/** @type {import('node:buffer').Buffer | null} */
let memoryBuffer = null;
// The view `memoryBuffer` was made for (`buffer` is a slow getter on a WebAssembly memory).
/** @type {Uint8Array | null} */
let memoryBufferOf = null;
/** ASCII text of the module's memory. @param {number} start @param {number} end @returns {string} */
function asciiText(start, end) {
  const bytes = memoryBytes();
  if (NodeBuffer === undefined) return decoder.decode(bytes.subarray(start, end));
  if (memoryBuffer === null || memoryBufferOf !== bytes) {
    memoryBuffer = NodeBuffer.from(bytes.buffer);
    memoryBufferOf = bytes;
  }
  return memoryBuffer.toString('latin1', start, end);
}

// Where the host's TextEncoder is a binding of the page's engine (browsers, their workers), one
// encodeInto call costs about 1 µs in Chromium — half of a signature — where a loop writes
// 200 ASCII characters in a third of that; Node's encodeInto is a fast call, faster than the loop
// (bench/RESULTS.md, "Signing in Chromium"). Either way the module gets the same UTF-8 bytes.
const scope = /** @type {{ document?: unknown, WorkerGlobalScope?: unknown }} */ (globalThis);
const ASCII_BY_LOOP = scope.document !== undefined || scope.WorkerGlobalScope !== undefined;

/**
 * Writes ASCII `s` at `at` in `into`: the next offset, or -1 at the first non-ASCII unit.
 * @param {Uint8Array} into @param {number} at @param {string} s @returns {number}
 */
function asciiInto(into, at, s) {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return -1;
    into[at + i] = c;
  }
  return at + n;
}

/**
 * Writes the strings one after the other as UTF-8 at the start of `into`; the bytes written.
 * @param {Uint8Array} into
 * @param {string} a @param {string} b @param {string} c @param {string} d @param {string} e
 * @param {string} f @param {string} g
 * @returns {number}
 */
function writeText(into, a, b, c, d, e, f, g) {
  if (ASCII_BY_LOOP) {
    // Piece by piece: no concatenated string to flatten first.
    let at = asciiInto(into, 0, a);
    if (at >= 0) at = asciiInto(into, at, b);
    if (at >= 0) at = asciiInto(into, at, c);
    if (at >= 0) at = asciiInto(into, at, d);
    if (at >= 0) at = asciiInto(into, at, e);
    if (at >= 0) at = asciiInto(into, at, f);
    if (at >= 0) at = asciiInto(into, at, g);
    if (at >= 0) return at;
  }
  return encoder.encodeInto(a + b + c + d + e + f + g, into).written;
}
// The header names, from the module: timestamp, access key, signature v1, v2, API key.
/** @type {string[] | null} */
let names = null;
/** The header names as internalized keys (`split` makes strings that are not: each
 * `headers[name] =` then took V8's megamorphic keyed store). @returns {string[]} */
function headerNames() {
  return Object.keys(Object.fromEntries(raw.__headerNames().split(' ').map((name) => [name, 0])));
}

/** @param {unknown} v @returns {v is string | null | undefined} */
const isText = (v) => v === undefined || v === null || typeof v === 'string';

/**
 * @param {unknown} options
 * @returns {ReturnType<typeof raw.signRequest>}
 */
function signRequest(options) {
  if (options === null || typeof options !== 'object') return raw.signRequest(options);
  // The options are read once, here, into locals (copying them into a fresh object would cost
  // as much as the rest of the call); a read that throws is reported by `copy`.
  let method, url, timestamp, accessKey, secretKey, apiKey, signatureVersion, isArray;
  try {
    ({ method, url, timestamp, accessKey, secretKey, apiKey, signatureVersion } = /** @type {Record<string, unknown>} */ (options));
    isArray = Array.isArray(options);
  } catch {
    return raw.signRequest(copy(options, SIGN_KEYS));
  }
  const tsType = typeof timestamp;
  if (
    isArray || !isText(method) || !isText(url) || !isText(accessKey) || !isText(secretKey) ||
    !isText(apiKey) || !isText(signatureVersion) ||
    !(tsType === 'number' || tsType === 'string' || tsType === 'bigint' || timestamp == null)
  ) {
    // A wrong type: the module's option reader names it (from the values read above; an array
    // is passed as it is, for the module to name).
    if (isArray) return raw.signRequest(options);
    /** @type {Record<string, unknown>} */
    const values = { method, url, timestamp, accessKey, secretKey, apiKey, signatureVersion };
    for (const key of SIGN_KEYS) if (values[key] === undefined) delete values[key];
    return raw.signRequest(values);
  }
  // `undefined` and `null` are absent: an empty required string (missing) or no option.
  const m = method ?? '', u = url ?? '', ak = accessKey ?? '', sk = secretKey ?? '';
  const api = apiKey ?? undefined, version = signatureVersion ?? undefined;
  const stamp = tsType === 'number' ? '' : tsType === 'string' ? /** @type {string} */ (timestamp) : timestamp == null ? '' : String(timestamp);
  const apiText = api ?? '', versionText = version ?? '';
  const s = scratchFor(u.length + m.length + ak.length + sk.length + apiText.length + versionText.length + stamp.length);
  // The URL last: the module counts characters only in the short fields (`split_utf16`).
  const written = writeText(s.input, m, ak, sk, apiText, versionText, stamp, u);
  const n = raw.__sign(
    written, u.length, m.length, ak.length, sk.length, api === undefined ? -1 : api.length,
    version === undefined ? -1 : version.length, tsType === 'number' ? -1 : stamp.length,
    tsType === 'number' ? /** @type {number} */ (timestamp) : 0,
  );
  if (n < 0) throw raw.__signError();
  // Signing may have grown the memory, which detaches the views: take them again then.
  const words = s.words.byteLength === 0 ? scratchFor(0).words : s.words;
  const out = words[0];
  const signed = asciiText(out, out + n + 44);
  const signature = signed.slice(n);
  if (names === null) names = headerNames();
  /** @type {Record<string, string>} */
  const headers = {};
  headers[names[0]] = signed.slice(words[5], words[6]);
  headers[names[1]] = ak;
  headers[names[words[11] ? 2 : 3]] = signature;
  if (api !== undefined) headers[names[4]] = api;
  return {
    method: signed.slice(words[1], words[2]),
    url: words[10] === 0 ? u : words[12] ? asciiText(out + words[9], out + words[10])
      : decoder.decode(memoryBytes().subarray(out + words[9], out + words[10])),
    requestTarget: signed.slice(words[3], words[4]),
    stringToSign: signed.slice(0, n),
    signature,
    headers,
  };
}

/** Wipes what the module keeps of the signing keys (see js/types.d.ts). */
function forgetSigningKeys() {
  raw.forgetSigningKeys();
}

/** @param {unknown} options */
function buildFlushRequest(options) {
  return raw.buildFlushRequest(copy(options, FLUSH_KEYS));
}

// parseFlushResponse's fast path: a string body and plain options go straight to the module,
// which answers normalized JSON text for the host's own JSON.parse (faster than building the
// objects property by property from WebAssembly). Anything else takes the full path, which
// checks the arguments and throws the precise error.
/** @type {Map<unknown, number>} */
const FORMATS = new Map([[undefined, 0], ['json', 1], ['xml', 2]]);
// Answer shapes, as the module numbers them: flushes 0-2, listings 3-5.
/** @type {Map<unknown, number>} */
const PLATFORMS = new Map([[undefined, 0], ['classic', 0], ['vpc', 1], ['cache', 2]]);
const PARSE_KEYS = ['format', 'status', 'platform'];

/**
 * Writes `body` as UTF-8 into the module's body buffer (`__bodyBuffer`) with one encodeInto —
 * no intermediate array, no second copy — and returns its length in bytes, or -1 when the
 * buffer cannot be had.
 */
/** @param {string} body @returns {number} */
function writeBody(body) {
  // Room for an ASCII body first; UTF-8 takes at most three bytes a UTF-16 unit.
  let capacity = body.length + 64;
  for (;;) {
    const address = raw.__bodyBuffer(capacity);
    if (address === 0) return -1;
    const { read, written } = encoder.encodeInto(body, memoryBytes().subarray(address, address + capacity));
    if (read === body.length) return written;
    if (capacity >= body.length * 3) return -1;
    capacity = body.length * 3;
  }
}

/**
 * The normalized JSON of `body` (the fast path's module call).
 * @param {string} body @param {number} formatCode @param {number} status @param {number} answer
 * @returns {string}
 */
function parseText(body, formatCode, status, answer) {
  const length = writeBody(body);
  return length < 0
    ? raw.__parseFast(encoder.encode(body), formatCode, status, answer)
    : raw.__parseBuffered(length, formatCode, status, answer);
}

/** The fast path of both parsers (`o` is the copy of the options); `undefined` when the
 * arguments need the full path.
 * @param {unknown} body @param {unknown} o @param {boolean} listing
 * @returns {unknown}
 */
function parseFast(body, o, listing) {
  if (typeof body !== 'string') return undefined;
  if (o === undefined) return JSON.parse(parseText(body, 0, 0, listing ? 3 : 0));
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return undefined;
  // Map lookups compare values as they are: only these exact strings (or undefined) qualify.
  const { format, platform, status } = /** @type {{ format?: unknown, platform?: unknown, status?: unknown }} */ (o);
  const formatCode = FORMATS.get(format);
  const platformCode = PLATFORMS.get(platform);
  if (
    formatCode !== undefined && platformCode !== undefined &&
    (status === undefined || (typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 999))
  ) {
    return JSON.parse(parseText(body, formatCode, status ?? 0, platformCode + (listing ? 3 : 0)));
  }
  return undefined;
}

/** @param {unknown} body @param {unknown} options */
function parseFlushResponse(body, options) {
  const o = copy(options, PARSE_KEYS);
  return parseFast(body, o, false) ?? raw.parseFlushResponse(body, o);
}

/** @param {unknown} body @param {unknown} options */
function parseListResponse(body, options) {
  const o = copy(options, PARSE_KEYS);
  return parseFast(body, o, true) ?? raw.parseListResponse(body, o);
}

/** @param {unknown} options */
function buildListRequest(options) {
  return raw.buildListRequest(copy(options, LIST_KEYS));
}

/** Forgets the views of the module's memory: after `raw.__reinstantiate()` they show the old one. */
function resetViews() {
  memory = null;
  memoryBuffer = null;
  memoryBufferOf = null;
  scratch = null;
}

/**
 * `fn`, recovering from a trap of the module. A trap (a `WebAssembly.RuntimeError`: memory
 * exhausted, or a bug) may leave the instance's state broken — a lock held, an allocation half
 * made — so that every later call would trap too. The module is then replaced by a fresh instance
 * of the same compiled module and the call made once more (the functions are pure: same inputs,
 * same result). A second trap is thrown as an `Error` of kind `internal`, code `ERR_WASM_TRAP`.
 * @template R
 * @param {(first?: unknown, second?: unknown) => R} fn
 * @returns {(first?: unknown, second?: unknown) => R}
 */
function recovering(fn) {
  return function (first, second) {
    for (let attempt = 1; ; attempt++) {
      try {
        return fn(first, second);
      } catch (err) {
        if (!(err instanceof WebAssembly.RuntimeError)) throw err;
        raw.__reinstantiate();
        resetViews();
        if (attempt === 2) {
          const error = new Error(`the WebAssembly module trapped (${err.message}); it was replaced, and the call can be made again`, { cause: err });
          error.name = 'NcloudRedisFlushError';
          throw Object.assign(error, { kind: 'internal', code: 'ERR_WASM_TRAP' });
        }
      }
    }
  };
}
