// The package as users get it (installed from its tarball), through its ES module entry.
import test from 'node:test';
import assert from 'node:assert/strict';
import { signRequest, buildFlushRequest, parseFlushResponse } from 'ncloud-redis-flush';
import {
  fixture, vectors, SECRET, rng, randomUrl, randomText, nodeRequestTarget, nodeSignature, exposedText, showsSecret,
} from './helpers.mjs';

const KEY_CHARS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'];

test('every signature vector', () => {
  for (const v of vectors) {
    const r = signRequest({ method: v.method, url: v.url, timestamp: v.timestamp, accessKey: v.accessKey, secretKey: v.secretKey });
    assert.equal(r.signature, v.signature);
    assert.equal(r.requestTarget, v.signedPathAndQuery);
    assert.equal(r.stringToSign, v.stringToSign);
    assert.deepEqual(r.headers, {
      'x-ncp-apigw-timestamp': v.timestamp,
      'x-ncp-iam-access-key': v.accessKey,
      'x-ncp-apigw-signature-v2': v.signature,
    });
  }
});

test('1,000 random requests: signature equals node:crypto, requestTarget equals Node URL', () => {
  const seed = Number(process.env.SEED ?? Date.now() % 2 ** 31);
  const r = rng(seed);
  let compared = 0;
  let refused = 0;
  while (compared < 1000) {
    const i = compared + refused;
    const method = r.pick(['GET', 'post', 'Put', 'DELETE', 'patch', 'OPTIONS', 'head']);
    const url = randomUrl(r);
    // As the URL parser sees it: outer C0 controls and spaces trimmed, tabs and newlines removed.
    const cleaned = url.replace(/^[\u0000-\u0020]+/, '').replace(/[\t\n\r]/g, '');
    if (/^[/\\]{2}/.test(cleaned)) {
      // `//host…` names a host without a scheme: refused on purpose, never signed.
      assert.throws(() => signRequest({ method, url, timestamp: 1, accessKey: 'AK', secretKey: 'SK' }), { kind: 'input', field: 'url' });
      refused++;
      continue;
    }
    const timestamp = r.int(2 ** 31) * 1000 + r.int(1000);
    const accessKey = randomText(r, 40, KEY_CHARS);
    const secretKey = randomText(r, r.next() < 0.2 ? 300 : 50);
    const ctx = `seed ${seed}, case ${i}: ${JSON.stringify({ method, url, accessKey })}`;
    const signed = signRequest({ method, url, timestamp: r.next() < 0.5 ? timestamp : String(timestamp), accessKey, secretKey });
    const expected = nodeSignature(method, url, timestamp, accessKey, secretKey);
    assert.equal(signed.requestTarget, nodeRequestTarget(url), ctx);
    assert.equal(signed.stringToSign, expected.sts, ctx);
    assert.equal(signed.signature, expected.signature, ctx);
    assert.equal(signed.method, method.toUpperCase(), ctx);
    compared++;
  }
  assert.ok(refused < 200, `${refused} refused`);
});

test('already-serialized URLs (the signing kernel) sign as the string-timestamp path does, and as node:crypto and Node URL say', () => {
  // A number timestamp, ASCII strings and a URL already in serialized form take the kernel; a
  // string timestamp takes the module's general path. Both must give the same object.
  const seed = Number(process.env.SEED ?? Date.now() % 2 ** 31);
  const r = rng(seed);
  const hosts = ['https://ncloud.apigw.ntruss.com', 'http://127.0.0.1:8080', 'https://h:', 'HTTPS://h', ''];
  const pieces = ['a', 'Z', '0', '-', '_', '~', '/', '.', '..', '%', '%2e', '%41', '?', '=', '&', ':', '@', '[', ']', '|', "'", ' ', 'é', '#'];
  let kernelShaped = 0;
  for (let i = 0; i < 2000; i++) {
    let path = '/';
    for (let n = r.int(10); n > 0; n--) path += r.pick(pieces);
    const url = r.pick(hosts) + path;
    if (url.startsWith('//')) continue;
    const method = r.pick(['GET', 'post', 'Patch', 'DELETE']);
    const timestamp = r.int(2 ** 31) * 1000 + r.int(1000);
    const accessKey = randomText(r, 30, KEY_CHARS);
    const secretKey = randomText(r, r.next() < 0.2 ? 100 : 40, KEY_CHARS);
    const apiKey = r.next() < 0.3 ? randomText(r, 20, KEY_CHARS) : undefined;
    const ctx = `seed ${seed}, case ${i}: ${JSON.stringify({ method, url })}`;
    const options = { method, url, timestamp, accessKey, secretKey, apiKey };
    const kernel = signRequest(options);
    assert.deepEqual(kernel, signRequest({ ...options, timestamp: String(timestamp) }), ctx);
    const expected = nodeSignature(method, url, timestamp, accessKey, secretKey);
    assert.equal(kernel.signature, expected.signature, ctx);
    assert.equal(kernel.requestTarget, nodeRequestTarget(url), ctx);
    if (/^(https?:\/\/[a-z0-9.:-]+)?\/[\w\-~\/=&:@\[\]]*(\?[\w\-~\/=&:@\[\]%?.]*)?$/.test(url)) kernelShaped++;
  }
  assert.ok(kernelShaped > 200, `${kernelShaped} URLs of the kernel's shape`);
});

test('dot segments after a dot-led segment: signed as Node\'s URL parser, and so its fetch, sends them', () => {
  // Node 20's parser leaves `.` and `..` unresolved there (`/x/.a/.` stays as written), where
  // the URL Standard and the browsers resolve them: the host's parser is asked, as for `|` and `^`.
  for (const url of ['https://ncloud.apigw.ntruss.com/x/.a/.', '/b/.a/.?q=1', 'https://h/x/.a/..', '/x//.a/.', 'HTTPS://h//.a/.', '/x/.a/%2e']) {
    const r = signRequest({ method: 'GET', url, timestamp: 1764380000123, accessKey: 'AK', secretKey: 'SK' });
    assert.equal(r.requestTarget, nodeRequestTarget(url), url);
    assert.equal(r.signature, nodeSignature('GET', url, 1764380000123, 'AK', 'SK').signature, url);
  }
});

test('the kernel and the body buffer survive the module memory growing between calls', () => {
  const options = { method: 'POST', url: 'https://ncloud.apigw.ntruss.com/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=1', timestamp: 1764380000123, accessKey: 'AK', secretKey: 'SK' };
  const before = signRequest(options);
  assert.equal(before.signature, nodeSignature(options.method, options.url, options.timestamp, 'AK', 'SK').signature);
  // A 3 MB answer makes the module grow its memory (detaching every view of the old buffer).
  const seed = JSON.parse(fixture('flush-response.json'));
  const item = seed.flushCloudDBInstanceResponse.cloudDBInstanceList[0];
  seed.flushCloudDBInstanceResponse.cloudDBInstanceList = Array.from({ length: 1500 }, (_, i) => ({ ...item, cloudDBInstanceNo: String(i + 1) }));
  seed.flushCloudDBInstanceResponse.totalRows = 1500;
  const big = parseFlushResponse(JSON.stringify(seed, null, 2));
  assert.equal(big.cloudDBInstanceList.length, 1500);
  assert.equal(big.cloudDBInstanceList[1499].cloudDBInstanceNo, '1500');
  assert.deepEqual(signRequest(options), before);
  assert.equal(parseFlushResponse(fixture('flush-response.json')).cloudDBInstanceList[0].cloudDBInstanceNo, '882689');
  // Non-ASCII bodies take a second, larger write.
  const korean = fixture('flush-response.json').replace('"test"', '"테스트 서비스"');
  assert.equal(parseFlushResponse(korean).cloudDBInstanceList[0].cloudDBServiceName, '테스트 서비스');
});

test('buildFlushRequest: fetch-ready and signed over the instance number', () => {
  const r = buildFlushRequest({ cloudDBInstanceNo: '882689', timestamp: 1546221796556, accessKey: 'Y0Z9EG0lKoeWAQCSHRtM', secretKey: 'TESTSECRETKEY0123456789abcdefghijklmnopq' });
  assert.equal(r.method, 'POST');
  assert.equal(r.url, 'https://ncloud.apigw.ntruss.com/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=882689&responseFormatType=json');
  assert.equal(r.body, undefined);
  assert.ok(!('body' in r));
  const expected = nodeSignature('POST', r.url, 1546221796556, 'Y0Z9EG0lKoeWAQCSHRtM', 'TESTSECRETKEY0123456789abcdefghijklmnopq');
  assert.equal(r.headers['x-ncp-apigw-signature-v2'], expected.signature);
  // A Request built from it keeps every header and the URL as signed.
  const req = new Request(r.url, r);
  assert.equal(req.method, 'POST');
  assert.equal(new URL(req.url).pathname + new URL(req.url).search, nodeRequestTarget(r.url));
  for (const [k, v] of Object.entries(r.headers)) assert.equal(req.headers.get(k), v);

  const body = buildFlushRequest({
    cloudDBInstanceNo: '1', paramsIn: 'body', endpoint: 'fin', responseFormatType: 'xml', signatureVersion: 'v1',
    apiKey: 'gw-key', timestamp: '1700000000000', accessKey: 'AK', secretKey: SECRET,
  });
  assert.equal(body.url, 'https://fin-ncloud.apigw.fin-ntruss.com/clouddb/v2/flushCloudDBInstance');
  assert.equal(body.body, 'cloudDBInstanceNo=1&responseFormatType=xml');
  assert.equal(body.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(body.headers['x-ncp-apigw-api-key'], 'gw-key');
  assert.equal(body.headers['x-ncp-apigw-signature-v1'], nodeSignature('POST', body.url, 1700000000000, 'AK', SECRET).signature);
  assert.equal(buildFlushRequest({ cloudDBInstanceNo: '1', endpoint: 'gov', method: 'get', timestamp: 1, accessKey: 'AK', secretKey: SECRET }).url,
    'https://ncloud.apigw.gov-ntruss.com/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=1&responseFormatType=json');
});

test('parseFlushResponse: the seed answer, JSON and XML, every field typed', () => {
  const json = parseFlushResponse(fixture('flush-response.json'), { status: 200 });
  const expected = JSON.parse(fixture('flush-response.json')).flushCloudDBInstanceResponse;
  expected.returnCode = 0;
  assert.deepEqual(json, expected);
  const instance = json.cloudDBInstanceList[0];
  assert.equal(instance.memorySize, 3221225472);
  assert.equal(typeof instance.isHa, 'boolean');
  assert.equal(json.cloudDBInstanceList[0].cloudDBServerInstanceList[1].cloudDBServerInstanceNo, undefined);
  assert.ok(!('cloudDBServerInstanceNo' in json.cloudDBInstanceList[0].cloudDBServerInstanceList[1]));

  const xml = parseFlushResponse(fixture('flush-response.xml'));
  assert.deepEqual(xml, { ...expected, requestId: '3c1d7d0a-5b8e-4b4e-9f55-2f0d6c3c1a11' });
  assert.deepEqual(parseFlushResponse(fixture('flush-response.xml'), { format: 'xml' }), xml);
  assert.deepEqual(parseFlushResponse(fixture('flush-response-loose.json')), JSON.parse(fixture('flush-response-loose.expected.json')));
  assert.deepEqual(parseFlushResponse(fixture('flush-response-edge.xml')), JSON.parse(fixture('flush-response-edge.expected.json')));
});

test('a long answer, whose text leaves the module in pieces, reads as its instances on both paths', () => {
  // 30,000 instances: about 3 MB of text, several pieces of a MiB. The expectation is built here
  // from the instances sent (each with its four lists, empty).
  const sent = Array.from({ length: 30_000 }, (_, i) => ({ cloudDBInstanceNo: String(100000 + i), cloudDBServiceName: `svc-${i} "${'é'.repeat(i % 7)}"`, memorySize: String(i) }));
  const body = JSON.stringify({ flushCloudDBInstanceResponse: { returnCode: '0', returnMessage: 'success', cloudDBInstanceList: sent } });
  const lists = { cloudDBConfigList: [], cloudDBConfigGroupList: [], accessControlGroupList: [], cloudDBServerInstanceList: [] };
  const expected = {
    returnCode: 0, returnMessage: 'success', totalRows: sent.length,
    cloudDBInstanceList: sent.map((s) => ({ ...s, memorySize: Number(s.memorySize), ...lists })),
  };
  assert.deepStrictEqual(parseFlushResponse(body), expected);
  // `format: 'JSON'` (any case) is read by the module's own option reader: the other path.
  assert.deepStrictEqual(parseFlushResponse(body, { format: 'JSON', status: 200 }), expected);
  // Given twice, the last list counts: the first one's pieces are dropped.
  const twice = body.replace(/\}\}$/, ',"cloudDBInstanceList":[{"cloudDBInstanceNo":"7"}]}}');
  assert.deepStrictEqual(parseFlushResponse(twice).cloudDBInstanceList, [{ cloudDBInstanceNo: '7', ...lists }]);
});

test('parseFlushResponse: every error body throws an Error with kind and code', () => {
  const cases = [
    ['error-common.json', 500, 'api', '1000'],
    ['error-common.xml', 400, 'api', '800'],
    ['error-gateway-auth.json', 401, 'gateway', '200'],
    ['error-gateway-permission.json', 401, 'gateway', '210'],
    ['error-gateway-notfound.json', 404, 'gateway', '300'],
    ['error-returncode.json', 200, 'api', '1200'],
    ['error-http-502.html', 502, 'http', 'ERR_HTTP_STATUS'],
  ];
  for (const [file, status, kind, code] of cases) {
    assert.throws(() => parseFlushResponse(fixture(file), { status }), (e) => {
      assert.ok(e instanceof Error, file);
      assert.equal(e.kind, kind, file);
      assert.equal(e.code, code, file);
      assert.equal(e.httpStatus, status, file);
      assert.equal(typeof e.message, 'string');
      return true;
    });
  }
  assert.throws(() => parseFlushResponse(fixture('error-gateway-auth.json')), { kind: 'gateway', details: 'Invalid authentication information.' });
  assert.throws(() => parseFlushResponse(fixture('error-returncode.json')), { kind: 'api', requestId: 'r-77' });
});

// [call, expected kind, expected code, expected field]
const badCalls = () => {
  const ok = { method: 'GET', url: '/x', timestamp: 1, accessKey: 'AK', secretKey: SECRET };
  const flush = { cloudDBInstanceNo: '1', timestamp: 1, accessKey: 'AK', secretKey: SECRET };
  return [
    [() => signRequest(), 'ERR_INVALID_ARG_TYPE', 'options'],
    [() => signRequest(null), 'ERR_INVALID_ARG_TYPE', 'options'],
    [() => signRequest('GET /x'), 'ERR_INVALID_ARG_TYPE', 'options'],
    [() => signRequest([]), 'ERR_INVALID_ARG_TYPE', 'options'],
    [() => signRequest({ ...ok, accessKey: undefined }), 'ERR_MISSING_ARG', 'accessKey'],
    [() => signRequest({ ...ok, accessKey: '' }), 'ERR_MISSING_ARG', 'accessKey'],
    [() => signRequest({ ...ok, secretKey: '' }), 'ERR_MISSING_ARG', 'secretKey'],
    [() => signRequest({ ...ok, secretKey: 42 }), 'ERR_INVALID_ARG_TYPE', 'secretKey'],
    [() => signRequest({ ...ok, secretKey: Buffer.from('x') }), 'ERR_INVALID_ARG_TYPE', 'secretKey'],
    [() => signRequest({ ...ok, url: new URL('https://h/x') }), 'ERR_INVALID_ARG_TYPE', 'url'],
    [() => signRequest({ ...ok, url: 'ftp://h/x' }), 'ERR_INVALID_ARG_VALUE', 'url'],
    [() => signRequest({ ...ok, url: 'no slash' }), 'ERR_INVALID_ARG_VALUE', 'url'],
    [() => signRequest({ ...ok, url: 'https://user:pw@h/x' }), 'ERR_INVALID_ARG_VALUE', 'url'],
    [() => signRequest({ ...ok, method: 'GE T' }), 'ERR_INVALID_ARG_VALUE', 'method'],
    [() => signRequest({ ...ok, method: '' }), 'ERR_MISSING_ARG', 'method'],
    [() => signRequest({ ...ok, method: 7 }), 'ERR_INVALID_ARG_TYPE', 'method'],
    [() => signRequest({ ...ok, timestamp: NaN }), 'ERR_INVALID_ARG_VALUE', 'timestamp'],
    [() => signRequest({ ...ok, timestamp: -1 }), 'ERR_INVALID_ARG_VALUE', 'timestamp'],
    [() => signRequest({ ...ok, timestamp: 1.5 }), 'ERR_INVALID_ARG_VALUE', 'timestamp'],
    [() => signRequest({ ...ok, timestamp: 2 ** 53 }), 'ERR_INVALID_ARG_VALUE', 'timestamp'],
    [() => signRequest({ ...ok, timestamp: Infinity }), 'ERR_INVALID_ARG_VALUE', 'timestamp'],
    [() => signRequest({ ...ok, timestamp: '1.5' }), 'ERR_INVALID_ARG_VALUE', 'timestamp'],
    [() => signRequest({ ...ok, timestamp: new Date() }), 'ERR_INVALID_ARG_TYPE', 'timestamp'],
    [() => signRequest({ ...ok, timestamp: undefined }), 'ERR_MISSING_ARG', 'timestamp'],
    [() => signRequest({ ...ok, signatureVersion: 'v3' }), 'ERR_INVALID_ARG_VALUE', 'signatureVersion'],
    [() => signRequest({ ...ok, apiKey: 'a b' }), 'ERR_INVALID_ARG_VALUE', 'apiKey'],
    [() => buildFlushRequest(), 'ERR_INVALID_ARG_TYPE', 'options'],
    [() => buildFlushRequest({ ...flush, cloudDBInstanceNo: 882689 }), 'ERR_INVALID_ARG_TYPE', 'cloudDBInstanceNo'],
    [() => buildFlushRequest({ ...flush, cloudDBInstanceNo: '' }), 'ERR_MISSING_ARG', 'cloudDBInstanceNo'],
    [() => buildFlushRequest({ ...flush, cloudDBInstanceNo: '88268a' }), 'ERR_INVALID_ARG_VALUE', 'cloudDBInstanceNo'],
    [() => buildFlushRequest({ ...flush, cloudDBInstanceNo: '1&cloudDBInstanceNo=2' }), 'ERR_INVALID_ARG_VALUE', 'cloudDBInstanceNo'],
    [() => buildFlushRequest({ ...flush, method: 'DELETE' }), 'ERR_INVALID_ARG_VALUE', 'method'],
    [() => buildFlushRequest({ ...flush, method: 'GET', paramsIn: 'body' }), 'ERR_INVALID_ARG_VALUE', 'paramsIn'],
    [() => buildFlushRequest({ ...flush, endpoint: 'moon' }), 'ERR_INVALID_ARG_VALUE', 'endpoint'],
    [() => buildFlushRequest({ ...flush, responseFormatType: 'yaml' }), 'ERR_INVALID_ARG_VALUE', 'responseFormatType'],
    [() => parseFlushResponse(), 'ERR_INVALID_ARG_TYPE', 'body'],
    [() => parseFlushResponse(Buffer.from('{}')), 'ERR_INVALID_ARG_TYPE', 'body'],
    [() => parseFlushResponse('{}', 'json'), 'ERR_INVALID_ARG_TYPE', 'options'],
    [() => parseFlushResponse('{}', { format: 'yaml' }), 'ERR_INVALID_ARG_VALUE', 'format'],
    [() => parseFlushResponse('{}', { status: '200' }), 'ERR_INVALID_ARG_TYPE', 'status'],
  ];
};

test('bad input: an Error with kind input, a stable code, the field, never the secret', () => {
  for (const [call, code, field] of badCalls()) {
    let thrown;
    try {
      call();
    } catch (e) {
      thrown = e;
    }
    const ctx = call.toString();
    assert.ok(thrown instanceof Error, `${ctx} did not throw an Error`);
    assert.equal(thrown.kind, 'input', ctx);
    assert.equal(thrown.code, code, `${ctx}: ${thrown.message}`);
    assert.equal(thrown.field, field, ctx);
    assert.ok(thrown.message.includes(field), `${ctx}: message "${thrown.message}" does not name ${field}`);
    if (code === 'ERR_INVALID_ARG_TYPE') assert.ok(thrown instanceof TypeError, ctx);
    // Name, stack and every own property (hostile.test.mjs scans its 100,000 random calls alike).
    assert.ok(!showsSecret(exposedText(thrown)), `${ctx} leaked the secret`);
  }
});

test('hostile bodies: parse errors, quickly', () => {
  const cases = [
    ['[' .repeat(100_000), 'ERR_TOO_DEEP'],
    ['{"a":'.repeat(100_000), 'ERR_TOO_DEEP'],
    ['<a>'.repeat(100_000), 'ERR_TOO_DEEP'],
    ['<?xml version="1.0"?><!DOCTYPE l [<!ENTITY l "l"><!ENTITY l2 "&l;&l;&l;&l;&l;&l;&l;&l;&l;&l;"><!ENTITY l3 "&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;&l2;">]><responseError><returnCode>&l3;</returnCode></responseError>', 'ERR_XML_DTD'],
    ['x'.repeat(10 * 2 ** 20), 'ERR_UNKNOWN_FORMAT'],
    [`{"flushCloudDBInstanceResponse":{"returnCode":"0","returnMessage":"${'é'.repeat(5 * 2 ** 20)}`, 'ERR_INVALID_JSON'],
    ['{"flushCloudDBInstanceResponse":{"returnCode":"0","cloudDBInstanceList":[{"memorySize":1e400}]}}', 'ERR_INVALID_FIELD'],
    ['{"other":{}}', 'ERR_UNKNOWN_ROOT'],
    ['', 'ERR_EMPTY_BODY'],
  ];
  for (const [body, code] of cases) {
    const started = process.hrtime.bigint();
    assert.throws(() => parseFlushResponse(body), { kind: 'parse', code }, body.slice(0, 40));
    // Not a timing assertion: a guard against exponential work, with a hundredfold margin.
    assert.ok(process.hrtime.bigint() - started < 10_000_000_000n, `${code} took more than 10 s`);
  }
});

test('10,000 bad calls leave the same instance signing correctly', () => {
  const calls = badCalls();
  let thrown = 0;
  for (let i = 0; i < 10_000; i++) {
    try {
      calls[i % calls.length][0]();
    } catch (e) {
      if (e instanceof Error && e.kind === 'input') thrown++;
    }
  }
  assert.equal(thrown, 10_000);
  const v = vectors[4];
  assert.equal(signRequest(v).signature, v.signature);
});
