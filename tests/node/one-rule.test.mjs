// One rule per check: every bad input gets the same verdict, kind and code from signRequest,
// buildFlushRequest and buildListRequest (issue 14). The expected verdicts are written out here,
// so a rule that drifts on every entry at once fails too.
import test from 'node:test';
import assert from 'node:assert/strict';
import { signRequest, buildFlushRequest, buildListRequest } from 'ncloud-redis-flush';

const base = { timestamp: 1764380000123, accessKey: 'AK', secretKey: 'SK-secret' };
const entries = {
  signRequest: (o) => signRequest({ method: 'POST', url: 'https://ncloud.apigw.ntruss.com/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=882689', ...o }),
  buildFlushRequest: (o) => buildFlushRequest({ cloudDBInstanceNo: '882689', ...o }),
  buildListRequest: (o) => buildListRequest({ ...o }),
};

/** What `call` does: `{ ok, timestamp }` or `{ kind, code, field }`. */
function verdict(call) {
  try {
    const r = call();
    return { ok: true, timestamp: r.headers['x-ncp-apigw-timestamp'] };
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    assert.ok(!String(err.message).includes('SK-secret'), err.message);
    return { kind: err.kind, code: err.code, field: err.field, type: err instanceof TypeError };
  }
}

const MISSING = 'ERR_MISSING_ARG';
const VALUE = 'ERR_INVALID_ARG_VALUE';
const TYPE = 'ERR_INVALID_ARG_TYPE';

const timestamps = [
  ['empty string', '', MISSING],
  ['undefined', undefined, MISSING],
  ['null', null, MISSING],
  ['NaN', NaN, VALUE],
  ['Infinity', Infinity, VALUE],
  ['-Infinity', -Infinity, VALUE],
  ['negative', -1, VALUE],
  ['fractional', 1764380000123.5, VALUE],
  ['2^53', 2 ** 53, VALUE],
  ['1e300', 1e300, VALUE],
  ['leading zero', '01764380000123', VALUE],
  ['two zeros', '00', VALUE],
  ['leading space', ' 1764380000123', VALUE],
  ['trailing space', '1764380000123 ', VALUE],
  ['plus sign', '+1764380000123', VALUE],
  ['minus sign', '-1764380000123', VALUE],
  ['1e3', '1e3', VALUE],
  ['decimal point', '1764380000123.0', VALUE],
  ['letters', 'now', VALUE],
  ['string 2^53', '9007199254740992', VALUE],
  ['23 digits', '99999999999999999999999', VALUE],
  ['negative bigint', -1n, VALUE],
  ['bigint 2^53', 2n ** 53n, VALUE],
  ['huge bigint', 2n ** 200n, VALUE],
  ['boolean', true, TYPE],
  ['object', {}, TYPE],
  ['array', [1764380000123], TYPE],
  ['Date', new Date(1764380000123), TYPE],
];

test('every entry refuses each bad timestamp alike', () => {
  for (const [what, timestamp, code] of timestamps) {
    const verdicts = Object.entries(entries).map(([name, call]) => [name, verdict(() => call({ ...base, timestamp }))]);
    for (const [name, v] of verdicts) {
      assert.deepEqual(v, { kind: 'input', code, field: 'timestamp', type: code === TYPE }, `${name}, timestamp ${what}`);
    }
  }
});

test('every entry accepts each good timestamp alike and sends it in canonical decimal', () => {
  const good = [
    [0, '0'], ['0', '0'], [0n, '0'], [-0, '0'],
    [1764380000123, '1764380000123'], ['1764380000123', '1764380000123'], [1764380000123n, '1764380000123'],
    [2 ** 53 - 1, '9007199254740991'], ['9007199254740991', '9007199254740991'], [2n ** 53n - 1n, '9007199254740991'],
  ];
  for (const [timestamp, sent] of good) {
    for (const [name, call] of Object.entries(entries)) {
      assert.deepEqual(verdict(() => call({ ...base, timestamp })), { ok: true, timestamp: sent }, `${name}, ${String(timestamp)}`);
    }
  }
});

test('every entry refuses each bad key alike', () => {
  const cases = [
    ['accessKey', '', MISSING],
    ['accessKey', undefined, MISSING],
    ['accessKey', 'A K', VALUE],
    ['accessKey', 'AK\n', VALUE],
    ['accessKey', 'ключ', VALUE],
    ['accessKey', 5, TYPE],
    ['secretKey', '', MISSING],
    ['secretKey', null, MISSING],
    ['secretKey', 5, TYPE],
    ['secretKey', ['SK'], TYPE],
    ['apiKey', '', VALUE],
    ['apiKey', 'a b', VALUE],
    ['apiKey', 'é', VALUE],
    ['apiKey', 7, TYPE],
    ['signatureVersion', 'v3', VALUE],
    ['signatureVersion', 2, TYPE],
  ];
  for (const [field, value, code] of cases) {
    for (const [name, call] of Object.entries(entries)) {
      assert.deepEqual(verdict(() => call({ ...base, [field]: value })), { kind: 'input', code, field, type: code === TYPE }, `${name}, ${field} ${JSON.stringify(value)}`);
    }
  }
  // A secret key of any text is a key: its UTF-8 bytes.
  for (const secretKey of ['ключ', '😀', 'a'.repeat(65), 'x'.repeat(5000)]) {
    for (const [name, call] of Object.entries(entries)) {
      assert.equal(verdict(() => call({ ...base, secretKey })).ok, true, `${name}, secret of ${secretKey.length}`);
    }
  }
});

test('method and URL: signRequest and the builders refuse alike', () => {
  // The builders take GET or POST (POST when left out) and an endpoint; signRequest any method
  // token and a URL.
  assert.deepEqual(verdict(() => entries.signRequest({ ...base, method: undefined })), { kind: 'input', code: MISSING, field: 'method', type: false });
  for (const [method, code] of [['', MISSING], ['GE T', VALUE], ['CONNECT', VALUE], ['trace', VALUE], ['G\u00c9T', VALUE], [5, TYPE]]) {
    for (const [name, call] of Object.entries(entries)) {
      assert.deepEqual(verdict(() => call({ ...base, method })), { kind: 'input', code, field: 'method', type: code === TYPE }, `${name}, method ${JSON.stringify(method)}`);
    }
  }
  for (const [url, code] of [['ftp://h/x', VALUE], ['https://user:pw@h/x', VALUE], ['relative', VALUE], ['//h/x', VALUE], ['https://h:99999', VALUE], ['https://[::1', VALUE], [5, TYPE]]) {
    const expected = (field) => ({ kind: 'input', code, field, type: code === TYPE });
    assert.deepEqual(verdict(() => entries.signRequest({ ...base, url })), expected('url'), `signRequest, url ${url}`);
    assert.deepEqual(verdict(() => entries.buildFlushRequest({ ...base, endpoint: url })), expected('endpoint'), `buildFlushRequest, endpoint ${url}`);
    assert.deepEqual(verdict(() => entries.buildListRequest({ ...base, endpoint: url })), expected('endpoint'), `buildListRequest, endpoint ${url}`);
  }
  assert.deepEqual(verdict(() => entries.signRequest({ ...base, url: '' })), { kind: 'input', code: MISSING, field: 'url', type: false });
});

test('signRequest with a timestamp string signs the very text it sends', () => {
  const r = signRequest({ method: 'GET', url: '/x', timestamp: '1764380000123', accessKey: 'AK', secretKey: 'SK' });
  assert.equal(r.stringToSign, 'GET /x\n1764380000123\nAK');
  assert.equal(r.headers['x-ncp-apigw-timestamp'], '1764380000123');
});
