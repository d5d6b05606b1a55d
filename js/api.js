// The public functions, wrapping the wasm-bindgen exports (`raw`, bound by the build: an ES
// module import or a require) with a fast path for signRequest. Kept free of import/export
// statements so the build can emit it as an ES module and as CommonJS.
//
// signRequest's fast path (the kernel, `__signKernel`) checks only the *types* of the options
// here, writes the strings into the module's memory, and the module checks every value and signs;
// anything it declines — a wrong type, an invalid value, a URL to serialize, non-ASCII text —
// goes to the full path, which reads the options itself, signs or throws the precise error.

const SIGNATURE_V1 = 'x-ncp-apigw-signature-v1';
const SIGNATURE_V2 = 'x-ncp-apigw-signature-v2';

/**
 * A plain copy of the options `keys` (own or inherited, as a property read finds them): what the
 * module reads, so that no getter, proxy trap or revoked proxy ever throws while the module is
 * reading (an exception there would cost it an externref slot, a wasm-bindgen leak). A read that
 * throws is an input error naming the field, thrown here. Values that are not objects are given
 * back as they are, for the module to report.
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
  const values = {};
  for (const key of keys) {
    let value;
    try {
      value = options[key];
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

// The module's memory as bytes, for writing the kernel's input and the body buffer in place.
// Made on first use (the module is instantiated after this file is evaluated) and again after
// the memory grows, which detaches the old view and every view made from it.
let memory = null;
function memoryBytes() {
  if (memory === null || memory.byteLength === 0) memory = new Uint8Array(raw.__memory().buffer);
  return memory;
}

// The signing kernel's scratch input and output areas (`__kernelScratch`), as views of it.
let kernel = null;
function kernelViews() {
  if (kernel === null || kernel.output.byteLength === 0) {
    const bytes = memoryBytes();
    const [address, inputSize, outputSize] = raw.__kernelScratch();
    kernel = {
      input: bytes.subarray(address, address + inputSize),
      output: bytes.subarray(address + inputSize, address + inputSize + outputSize),
    };
  }
  return kernel;
}
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The result object of signRequest. */
function signed(method, url, requestTarget, timestamp, accessKey, signature, apiKey, v1) {
  const headers = {
    'x-ncp-apigw-timestamp': timestamp,
    'x-ncp-iam-access-key': accessKey,
    [v1 ? SIGNATURE_V1 : SIGNATURE_V2]: signature,
  };
  if (apiKey !== undefined) headers['x-ncp-apigw-api-key'] = apiKey;
  return {
    method,
    url,
    requestTarget,
    stringToSign: `${method} ${requestTarget}\n${timestamp}\n${accessKey}`,
    signature,
    headers,
  };
}

/**
 * The kernel path: ASCII strings, a URL already in serialized form (the common case: what
 * buildFlushRequest makes, what a user writes) and a timestamp number or string of digits. The
 * strings are written into the module's memory in one encodeInto, the module checks everything
 * the full path checks and writes the signature; the request target is a slice of the URL.
 * `undefined` when the module declines (anything unusual or invalid): the full path then signs or
 * reports the precise error.
 */
function signKernel(method, url, timestamp, accessKey, secretKey, apiKey, v1) {
  const stamp = typeof timestamp === 'string' ? timestamp : '';
  const text = url + method + accessKey + secretKey + (apiKey ?? '') + stamp;
  const { read, written } = encoder.encodeInto(text, kernelViews().input);
  // Everything read and one byte a character: all ASCII, and it fitted.
  if (read !== text.length || written !== read) return undefined;
  const originLength = raw.__signKernel(
    url.length, method.length, accessKey.length, secretKey.length, apiKey?.length,
    stamp === '' ? timestamp : NaN, stamp.length,
  );
  if (originLength < 0) return undefined;
  // Signing may have grown the memory: take the views again.
  const signature = decoder.decode(kernelViews().output);
  return signed(method.toUpperCase(), url, url.slice(originLength), String(timestamp), accessKey, signature, apiKey, v1);
}

function signRequest(options) {
  if (options === null || typeof options !== 'object') return raw.signRequest(options);
  // The options are read once, here, into locals (copying them into a fresh object would cost
  // as much as the rest of the call); a read that throws is reported by `copy`.
  let method, url, timestamp, accessKey, secretKey, apiKey, signatureVersion;
  try {
    ({ method, url, timestamp, accessKey, secretKey, apiKey, signatureVersion } = options);
  } catch {
    return raw.signRequest(copy(options, SIGN_KEYS));
  }
  const tsType = typeof timestamp;
  if (
    typeof method === 'string' && typeof url === 'string' && typeof accessKey === 'string' &&
    typeof secretKey === 'string' && (tsType === 'number' || tsType === 'string') &&
    (apiKey === undefined || typeof apiKey === 'string') &&
    (signatureVersion === undefined || signatureVersion === 'v2' || signatureVersion === 'v1')
  ) {
    const result = signKernel(method, url, timestamp, accessKey, secretKey, apiKey, signatureVersion === 'v1');
    if (result !== undefined) return result;
  }
  // The full path signs what the kernel declines and reports the precise error: from the values
  // read above (an array is passed as it is, for the module to name).
  let isArray = false;
  try {
    isArray = Array.isArray(options);
  } catch {
    throw raw.__unreadable('options');
  }
  if (isArray) return raw.signRequest(options);
  const values = { method, url, timestamp, accessKey, secretKey, apiKey, signatureVersion };
  for (const key of SIGN_KEYS) if (values[key] === undefined) delete values[key];
  return raw.signRequest(values);
}

function buildFlushRequest(options) {
  return raw.buildFlushRequest(copy(options, FLUSH_KEYS));
}

// parseFlushResponse's fast path: a string body and plain options go straight to the module,
// which answers normalized JSON text for the host's own JSON.parse (faster than building the
// objects property by property from WebAssembly). Anything else takes the full path, which
// checks the arguments and throws the precise error.
const FORMATS = new Map([[undefined, 0], ['json', 1], ['xml', 2]]);
// Answer shapes, as the module numbers them: flushes 0-2, listings 3-5.
const PLATFORMS = new Map([[undefined, 0], ['classic', 0], ['vpc', 1], ['cache', 2]]);
const PARSE_KEYS = ['format', 'status', 'platform'];

/**
 * Writes `body` as UTF-8 into the module's body buffer (`__bodyBuffer`) with one encodeInto —
 * no intermediate array, no second copy — and returns its length in bytes, or -1 when the
 * buffer cannot be had.
 */
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

/** The normalized JSON of `body` (the fast path's module call). */
function parseText(body, formatCode, status, answer) {
  const length = writeBody(body);
  return length < 0
    ? raw.__parseFast(encoder.encode(body), formatCode, status, answer)
    : raw.__parseBuffered(length, formatCode, status, answer);
}

/** The fast path of both parsers (`o` is the copy of the options); `undefined` when the
 * arguments need the full path. */
function parseFast(body, o, listing) {
  if (typeof body !== 'string') return undefined;
  if (o === undefined) return JSON.parse(parseText(body, 0, 0, listing ? 3 : 0));
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return undefined;
  // Map lookups compare values as they are: only these exact strings (or undefined) qualify.
  const formatCode = FORMATS.get(o.format);
  const platformCode = PLATFORMS.get(o.platform);
  const { status } = o;
  if (
    formatCode !== undefined && platformCode !== undefined &&
    (status === undefined || (Number.isInteger(status) && status >= 100 && status <= 999))
  ) {
    return JSON.parse(parseText(body, formatCode, status ?? 0, platformCode + (listing ? 3 : 0)));
  }
  return undefined;
}

function parseFlushResponse(body, options) {
  const o = copy(options, PARSE_KEYS);
  return parseFast(body, o, false) ?? raw.parseFlushResponse(body, o);
}

function parseListResponse(body, options) {
  const o = copy(options, PARSE_KEYS);
  return parseFast(body, o, true) ?? raw.parseListResponse(body, o);
}

function buildListRequest(options) {
  return raw.buildListRequest(copy(options, LIST_KEYS));
}

/** Forgets the views of the module's memory: after `raw.__reinstantiate()` they show the old one. */
function resetViews() {
  memory = null;
  kernel = null;
}

/**
 * `fn`, recovering from a trap of the module. A trap (a `WebAssembly.RuntimeError`: memory
 * exhausted, or a bug) may leave the instance's state broken — a lock held, an allocation half
 * made — so that every later call would trap too. The module is then replaced by a fresh instance
 * of the same compiled module and the call made once more (the functions are pure: same inputs,
 * same result). A second trap is thrown as an `Error` of kind `internal`, code `ERR_WASM_TRAP`.
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
