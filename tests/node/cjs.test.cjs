// The package through require(): CommonJS consumers get the same API, no init call.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createHmac } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const lib = require('ncloud-redis-flush');

const testsDir = join(__dirname, '..');
const { vectors } = JSON.parse(readFileSync(join(testsDir, 'vectors', 'signature-vectors.json'), 'utf8'));

test('require() exposes the functions', () => {
  assert.deepEqual(Object.keys(lib).sort(), ['buildFlushRequest', 'buildListRequest', 'forgetSigningKeys', 'parseFlushResponse', 'parseListResponse', 'signRequest']);
});

test('require(): vectors and node:crypto agree', () => {
  for (const v of vectors) assert.equal(lib.signRequest(v).signature, v.signature);
  for (let i = 0; i < 200; i++) {
    const url = `/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=${i + 1}&x=${'é'.repeat(i % 7)}`;
    const r = lib.signRequest({ method: 'post', url, timestamp: 1e12 + i, accessKey: 'AK', secretKey: `sk-${i}` });
    const u = new URL(url, 'http://h/');
    const sts = `POST ${u.pathname}${u.search}\n${1e12 + i}\nAK`;
    assert.equal(r.signature, createHmac('sha256', `sk-${i}`).update(sts).digest('base64'));
  }
});

test('require(): parse and errors', () => {
  const body = readFileSync(join(testsDir, 'fixtures', 'flush-response.json'), 'utf8');
  assert.equal(lib.parseFlushResponse(body).cloudDBInstanceList[0].memorySize, 3221225472);
  assert.throws(() => lib.buildFlushRequest({ cloudDBInstanceNo: 'x', timestamp: 1, accessKey: 'a', secretKey: 'b' }), {
    kind: 'input', code: 'ERR_INVALID_ARG_VALUE', field: 'cloudDBInstanceNo',
  });
});
