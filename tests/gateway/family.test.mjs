// The API family on the local gateway, over real Redis servers: VPC and Cache flushes by server
// instance number, in JSON and XML, each emptying only its own Redis; the three listings.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildFlushRequest, buildListRequest, parseFlushResponse, parseListResponse, signRequest } from 'ncloud-redis-flush';
import { startRedis, totalKeys, fill } from '../support/redis.mjs';
import { startGateway } from '../support/gateway.mjs';

const AK = 'AK-family';
const SK = 'SK-family-S3CR3T';
const CLASSIC = '882689';
const VPC = '1103456'; // servers 11034561 (master), 11034562 (slave): HA
const VPC_JP = '1103470';
const CACHE = '2200001';
let redis; // { classic, vpc, vpcJp, cache }
let gateway;

before(async () => {
  const [classic, vpc, vpcJp, cache] = await Promise.all([startRedis(), startRedis(), startRedis(), startRedis()]);
  redis = { classic, vpc, vpcJp, cache };
  gateway = await startGateway({
    credentials: [{ accessKey: AK, secretKey: SK }],
    instances: [
      { no: CLASSIC, redisUrl: classic.url, name: 'classic-cache' },
      { no: VPC, redisUrl: vpc.url, name: 'orders', platform: 'vpc', isHa: true },
      { no: VPC_JP, redisUrl: vpcJp.url, name: 'tokyo', platform: 'vpc', regionCode: 'JPN' },
      { no: CACHE, redisUrl: cache.url, name: 'sessions', platform: 'cache' },
    ],
  });
});

after(async () => {
  await gateway?.stop();
  await Promise.all(Object.values(redis ?? {}).map((r) => r.close()));
});

const call = (extra) => ({ endpoint: gateway.url, timestamp: Date.now(), accessKey: AK, secretKey: SK, ...extra });

async function send(request) {
  const response = await fetch(request.url, request);
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
}

async function fillAll() {
  for (const r of Object.values(redis)) await fill(r.port, 6, 'k');
}

async function counts() {
  const out = {};
  for (const [name, r] of Object.entries(redis)) out[name] = await totalKeys(r.port);
  return out;
}

test('VPC flush by the master server number empties only that Redis, JSON and XML', async () => {
  for (const responseFormatType of ['json', 'xml']) {
    await fillAll();
    const answer = await send(buildFlushRequest(call({ platform: 'vpc', cloudRedisServerInstanceNo: `${VPC}1`, regionCode: 'KR', responseFormatType })));
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.type.split(';')[0], `application/${responseFormatType}`);
    const result = parseFlushResponse(answer.text, { platform: 'vpc', status: answer.status });
    assert.equal(result.returnCode, 0);
    const instance = result.cloudRedisInstanceList[0];
    assert.equal(instance.cloudRedisInstanceNo, VPC);
    assert.equal(instance.cloudRedisServiceName, 'orders');
    assert.equal(instance.isHa, true);
    assert.deepEqual(instance.cloudRedisServerInstanceList.map((s) => [s.cloudRedisServerInstanceNo, s.cloudRedisServerRole.code]), [[`${VPC}1`, 'M'], [`${VPC}2`, 'S']]);
    assert.match(instance.engineVersion, /^\d+\.\d+/);
    assert.deepEqual(await counts(), { classic: 6, vpc: 0, vpcJp: 6, cache: 6 });
  }
});

test('the VPC API answers XML when no format is asked, as NAVER Cloud does', async () => {
  await fillAll();
  const url = `${gateway.url}/vredis/v2/flushAllCloudRedisServerInstance?cloudRedisServerInstanceNo=${VPC_JP}1`;
  const signed = signRequest({ method: 'GET', url, timestamp: Date.now(), accessKey: AK, secretKey: SK });
  const answer = await send({ url, method: 'GET', headers: signed.headers });
  assert.equal(answer.status, 200, answer.text);
  assert.match(answer.text, /^<\?xml[^>]*>\s*<flushAllCloudRedisServerInstanceResponse>/);
  assert.equal(parseFlushResponse(answer.text, { platform: 'vpc' }).cloudRedisInstanceList[0].cloudRedisServiceName, 'tokyo');
  assert.deepEqual(await counts(), { classic: 6, vpc: 6, vpcJp: 0, cache: 6 });
});

test('Cache flush empties only its Redis', async () => {
  await fillAll();
  const answer = await send(buildFlushRequest(call({ platform: 'cache', cloudCacheServerInstanceNo: `${CACHE}1` })));
  assert.equal(answer.status, 200, answer.text);
  const result = parseFlushResponse(answer.text, { platform: 'cache' });
  assert.equal(result.cloudCacheInstanceList[0].cloudCacheServiceName, 'sessions');
  assert.equal(result.cloudCacheInstanceList[0].cloudCacheDbmsCode.code, 'REDIS');
  assert.deepEqual(await counts(), { classic: 6, vpc: 6, vpcJp: 6, cache: 0 });
});

test('refusals: a slave, another region, another platform, an unknown server; nothing flushed', async () => {
  await fillAll();
  const cases = [
    [{ platform: 'vpc', cloudRedisServerInstanceNo: `${VPC}2` }, '1006'],
    [{ platform: 'vpc', cloudRedisServerInstanceNo: `${VPC}1`, regionCode: 'JPN' }, '1003'],
    [{ platform: 'vpc', cloudRedisServerInstanceNo: `${CACHE}1` }, '1003'],
    [{ platform: 'cache', cloudCacheServerInstanceNo: `${VPC}1` }, '1003'],
    [{ cloudDBInstanceNo: VPC }, '1003'],
    [{ platform: 'vpc', cloudRedisServerInstanceNo: '999999' }, '1003'],
  ];
  for (const [options, code] of cases) {
    const answer = await send(buildFlushRequest(call(options)));
    assert.equal(answer.status, 400, `${JSON.stringify(options)}: ${answer.text}`);
    assert.throws(() => parseFlushResponse(answer.text, { platform: options.platform ?? 'classic', status: answer.status }), { kind: 'api', code });
  }
  assert.deepEqual(await counts(), { classic: 6, vpc: 6, vpcJp: 6, cache: 6 });
});

test('listings show every configured instance of the platform with its servers, JSON and XML', async () => {
  const classic = await send(buildListRequest(call({ method: 'GET' })));
  assert.equal(classic.status, 200, classic.text);
  const c = parseListResponse(classic.text);
  assert.deepEqual(c.cloudDBInstanceList.map((i) => i.cloudDBServiceName), ['classic-cache']);
  assert.equal(c.cloudDBInstanceList[0].cloudDBServerInstanceList.length, 1);

  for (const responseFormatType of ['json', 'xml']) {
    const vpc = await send(buildListRequest(call({ platform: 'vpc', responseFormatType })));
    assert.equal(vpc.status, 200, vpc.text);
    const v = parseListResponse(vpc.text, { platform: 'vpc' });
    assert.equal(v.totalRows, 2);
    assert.deepEqual(v.cloudRedisInstanceList.map((i) => [i.cloudRedisInstanceNo, i.cloudRedisServiceName, i.cloudRedisServerInstanceList.length]), [
      [VPC, 'orders', 2],
      [VPC_JP, 'tokyo', 1],
    ]);
  }
  const kr = parseListResponse((await send(buildListRequest(call({ platform: 'vpc', regionCode: 'KR' })))).text, { platform: 'vpc' });
  assert.deepEqual(kr.cloudRedisInstanceList.map((i) => i.cloudRedisInstanceNo), [VPC]);
  const one = parseListResponse((await send(buildListRequest(call({ platform: 'vpc', instanceNos: [VPC_JP] })))).text, { platform: 'vpc' });
  assert.deepEqual(one.cloudRedisInstanceList.map((i) => i.cloudRedisInstanceNo), [VPC_JP]);
  const page = parseListResponse((await send(buildListRequest(call({ platform: 'vpc', pageNo: 2, pageSize: 1 })))).text, { platform: 'vpc' });
  assert.deepEqual([page.totalRows, page.cloudRedisInstanceList.map((i) => i.cloudRedisInstanceNo)], [2, [VPC_JP]]);
  const cache = parseListResponse((await send(buildListRequest(call({ platform: 'cache' })))).text, { platform: 'cache' });
  assert.deepEqual(cache.cloudCacheInstanceList.map((i) => i.cloudCacheServiceName), ['sessions']);
  // A Redis that is down is still listed, without what only the live server tells.
  await redis.cache.stop();
  try {
    const down = parseListResponse((await send(buildListRequest(call({ platform: 'cache' })))).text, { platform: 'cache' });
    assert.equal(down.cloudCacheInstanceList[0].engineVersion, undefined);
  } finally {
    await redis.cache.start();
  }
  // Listings are authenticated like everything else.
  const r = buildListRequest(call({ platform: 'vpc' }));
  const forged = await send({ ...r, headers: { ...r.headers, 'x-ncp-apigw-timestamp': String(Date.now() + 1) } });
  assert.equal(forged.status, 401);
});
