// The API family through the package: VPC and Cache flushes, the listings, the platform option.
import test from 'node:test';
import assert from 'node:assert/strict';
import { buildFlushRequest, buildListRequest, parseFlushResponse, parseListResponse } from 'ncloud-redis-flush';
import { fixture, nodeSignature } from './helpers.mjs';

const keys = { timestamp: 1764380000123, accessKey: 'AK', secretKey: 'SK-family' };

test('buildFlushRequest: the three platforms, signed over their parameters', () => {
  const cases = [
    [{ cloudDBInstanceNo: '882689' }, '/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=882689&responseFormatType=json'],
    [{ platform: 'classic', cloudDBInstanceNo: '882689' }, '/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=882689&responseFormatType=json'],
    [{ platform: 'vpc', cloudRedisServerInstanceNo: '1103457', regionCode: 'KR' }, '/vredis/v2/flushAllCloudRedisServerInstance?cloudRedisServerInstanceNo=1103457&regionCode=KR&responseFormatType=json'],
    [{ platform: 'cache', cloudCacheServerInstanceNo: '77', responseFormatType: 'xml' }, '/vcache/v2/flushAllCloudCacheServerInstance?cloudCacheServerInstanceNo=77&responseFormatType=xml'],
  ];
  for (const [options, target] of cases) {
    const r = buildFlushRequest({ ...keys, ...options });
    assert.equal(r.url, `https://ncloud.apigw.ntruss.com${target}`);
    assert.equal(r.headers['x-ncp-apigw-signature-v2'], nodeSignature('POST', r.url, keys.timestamp, 'AK', 'SK-family').signature);
  }
  // Each platform's own instance field; the others' are not read.
  assert.throws(() => buildFlushRequest({ ...keys, platform: 'vpc', cloudDBInstanceNo: '1' }), { kind: 'input', field: 'cloudRedisServerInstanceNo', code: 'ERR_MISSING_ARG' });
  assert.throws(() => buildFlushRequest({ ...keys, platform: 'cache', cloudCacheServerInstanceNo: 77 }), { field: 'cloudCacheServerInstanceNo', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => buildFlushRequest({ ...keys, cloudDBInstanceNo: '1', regionCode: 'KR' }), { field: 'regionCode' });
  assert.throws(() => buildFlushRequest({ ...keys, platform: 'mainframe', cloudDBInstanceNo: '1' }), { field: 'platform' });
});

test('buildListRequest: the three listings', () => {
  const classic = buildListRequest({ ...keys, method: 'GET', instanceNos: ['882689', '882700'], pageNo: 1, pageSize: 20 });
  assert.equal(classic.url, 'https://ncloud.apigw.ntruss.com/clouddb/v2/getCloudDBInstanceList?dbKindCode=REDIS&cloudDBInstanceNoList.1=882689&cloudDBInstanceNoList.2=882700&pageNo=1&pageSize=20&responseFormatType=json');
  assert.equal(classic.method, 'GET');
  assert.equal(classic.headers['x-ncp-apigw-signature-v2'], nodeSignature('GET', classic.url, keys.timestamp, 'AK', 'SK-family').signature);
  assert.match(buildListRequest({ ...keys, platform: 'vpc', regionCode: 'KR' }).url, /\/vredis\/v2\/getCloudRedisInstanceList\?regionCode=KR&responseFormatType=json$/);
  assert.match(buildListRequest({ ...keys, platform: 'cache' }).url, /\/vcache\/v2\/getCloudCacheInstanceList\?responseFormatType=json$/);
  assert.throws(() => buildListRequest({ ...keys, instanceNos: '882689' }), { field: 'instanceNos', code: 'ERR_INVALID_ARG_TYPE' });
  assert.throws(() => buildListRequest({ ...keys, instanceNos: ['88 2689'] }), { field: 'instanceNos', code: 'ERR_INVALID_ARG_VALUE' });
  assert.throws(() => buildListRequest({ ...keys, pageNo: 0 }), { field: 'pageNo' });
});

test('parseFlushResponse and parseListResponse by platform, JSON and XML', () => {
  const vpc = parseFlushResponse(fixture('vpc-flush-response.xml'), { platform: 'vpc' });
  assert.deepEqual(parseFlushResponse(fixture('vpc-flush-response.json'), { platform: 'vpc', status: 200 }), vpc);
  const instance = vpc.cloudRedisInstanceList[0];
  assert.equal(instance.isHa, true);
  assert.deepEqual(instance.accessControlGroupNoList, ['31337', '31338']);
  assert.equal(instance.cloudRedisServerInstanceList[1].memorySize, 4294967296);
  const cache = parseFlushResponse(fixture('cache-flush-response.json'), { platform: 'cache' });
  assert.equal(cache.cloudCacheInstanceList[0].cloudCacheDbmsCode.code, 'VALKEY');
  const list = parseListResponse(fixture('classic-list-response.json'));
  assert.deepEqual(list.cloudDBInstanceList.map((i) => i.cloudDBServiceName), ['test', 'sessions']);
  assert.equal(parseListResponse(fixture('vpc-list-response.json'), { platform: 'vpc' }).totalRows, 1);
  // The wrong answer for the platform asked, and errors, whatever the platform.
  assert.throws(() => parseFlushResponse(fixture('vpc-flush-response.json')), { kind: 'parse', code: 'ERR_UNKNOWN_ROOT' });
  assert.throws(() => parseListResponse(fixture('flush-response.json')), { kind: 'parse', code: 'ERR_UNKNOWN_ROOT' });
  assert.throws(() => parseListResponse(fixture('error-gateway-auth.json'), { platform: 'cache', status: 401 }), { kind: 'gateway', code: '200' });
  assert.throws(() => parseFlushResponse('{}', { platform: 'vax' }), { kind: 'input', field: 'platform' });
});
