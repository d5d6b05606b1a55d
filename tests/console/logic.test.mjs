// The console's pure logic (www/console.js) in Node: validation, endpoints, the curl command run
// by a real shell, units, dates, clocks, error titles and hints.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { buildFlushRequest, buildListRequest, parseFlushResponse, parseListResponse } from '../../pkg/index.node.mjs';
import { consoleModule } from './www-modules.mjs';

const {
  CLOCK_WINDOW_MS, ENDPOINTS, clockOffset, curlCommand, describeClockOffset, endpointNote, errorTitle,
  formatApiDate, formatBytes, formatDuration, hintFor, outcomeText, parseApiDate, resolveEndpoint,
  roleText, shellQuote, statusTone, validateBaseUrl, validateInstanceNo, validateKey, validateTimeout, yesNo,
  API_PREFIXES, PLATFORMS, confirmWords, describeTarget, findTarget, flushNumberOf, flushParams, haWarning,
  instanceView, instancesOf, listParams, validateRegionCode,
} = consoleModule;

test('validateInstanceNo accepts what buildFlushRequest accepts, and says why not', () => {
  for (const good of ['1', '882689', '9'.repeat(19)]) {
    assert.deepEqual(validateInstanceNo(good), { valid: true, message: '' }, good);
  }
  const cases = {
    '': /Enter the instance number/,
    '0': /No leading zero/,
    '0123': /No leading zero/,
    '12a': /Digits only: remove “a”/,
    '12 3': /Digits only: remove a space/,
    '-5': /Digits only: remove “-”/,
    '1.5e3': /remove “\.” and “e”/,
    '１２３': /Digits only: remove “１”, “２” and “３”/,
    '12\u00a03': /U\+00A0/,
    ['1'.repeat(20)]: /at most 19 digits \(this has 20\)/,
  };
  for (const [value, message] of Object.entries(cases)) {
    const result = validateInstanceNo(value);
    assert.equal(result.valid, false, JSON.stringify(value));
    assert.match(result.message, message, JSON.stringify(value));
  }
  // The console never lets through what the library refuses, nor refuses what it takes.
  for (const value of ['1', '882689', '9'.repeat(19), '', '0', '0123', '12a', ' 1', '1'.repeat(20), '٣']) {
    let libraryAccepts = true;
    try {
      buildFlushRequest({ cloudDBInstanceNo: value, timestamp: 1, accessKey: 'a', secretKey: 's' });
    } catch {
      libraryAccepts = false;
    }
    assert.equal(validateInstanceNo(value).valid, libraryAccepts, JSON.stringify(value));
  }
});

test('validateKey wants a value without surrounding spaces', () => {
  assert.equal(validateKey('AK1', 'access key').valid, true);
  assert.match(validateKey('', 'secret key').message, /Enter the secret key/);
  assert.match(validateKey('AK1 ', 'access key').message, /access key starts or ends with a space/);
  assert.match(validateKey('\tAK1', 'access key').message, /space/);
});

test('validateBaseUrl and resolveEndpoint: this origin for the gateway and its regions, else the custom URL', () => {
  assert.deepEqual(validateBaseUrl('http://127.0.0.1:8080/'), { valid: true, message: '', url: 'http://127.0.0.1:8080' });
  assert.equal(validateBaseUrl('https://gw.example/prefix//').url, 'https://gw.example/prefix');
  assert.match(validateBaseUrl('').message, /Enter the base URL/);
  assert.match(validateBaseUrl('127.0.0.1:8080').message, /http/);
  assert.match(validateBaseUrl('localhost').message, /Not a URL/);
  assert.match(validateBaseUrl('ftp://host').message, /http:\/\/ or https:\/\//);
  assert.match(validateBaseUrl('http://u:p@host').message, /user name and password/);
  assert.match(validateBaseUrl('http://host/?a=1').message, /query/);
  assert.match(validateBaseUrl('http://host/#x').message, /fragment/);

  const origin = 'http://127.0.0.1:9000';
  for (const choice of ['origin', 'public', 'gov', 'fin']) {
    assert.deepEqual(resolveEndpoint(choice, 'http://ignored', origin), { valid: true, base: origin, message: '' }, choice);
  }
  assert.deepEqual(resolveEndpoint('custom', 'http://127.0.0.1:8080/', origin), { valid: true, base: 'http://127.0.0.1:8080', message: '' });
  assert.equal(resolveEndpoint('custom', '', origin).valid, false);
  assert.equal(resolveEndpoint('elsewhere', '', origin).valid, false);
  // Every base the console resolves is one the library takes.
  for (const base of [origin, resolveEndpoint('custom', 'https://gw.example/prefix/', origin).base]) {
    const r = buildFlushRequest({ cloudDBInstanceNo: '1', endpoint: base, timestamp: 1, accessKey: 'a', secretKey: 's' });
    assert.ok(r.url.startsWith(`${base}/clouddb/v2/flushCloudDBInstance?`), r.url);
  }
});

test('endpointNote tells where requests go and which --upstream a region needs', () => {
  const origin = 'http://127.0.0.1:9000';
  assert.match(endpointNote('origin', origin), /this page \(http:\/\/127\.0\.0\.1:9000\)/);
  assert.match(endpointNote('public', origin), /--upstream https:\/\/ncloud\.apigw\.ntruss\.com\b/);
  assert.match(endpointNote('gov', origin), /--upstream https:\/\/ncloud\.apigw\.gov-ntruss\.com\b/);
  assert.match(endpointNote('fin', origin), /--upstream https:\/\/fin-ncloud\.apigw\.fin-ntruss\.com\b/);
  assert.match(endpointNote('gov', origin), /Requests go to this gateway \(http:\/\/127\.0\.0\.1:9000\)/);
  assert.match(endpointNote('custom', origin), /CORS/);
  // The region URLs are the library's own.
  for (const region of ['public', 'gov', 'fin']) {
    const r = buildFlushRequest({ cloudDBInstanceNo: '1', endpoint: region, timestamp: 1, accessKey: 'a', secretKey: 's' });
    assert.ok(r.url.startsWith(`${ENDPOINTS[region].upstream}/`), `${region}: ${r.url}`);
  }
});

test('validateTimeout: whole seconds from 1 to 300', () => {
  assert.deepEqual(validateTimeout('30'), { valid: true, message: '', ms: 30_000 });
  assert.equal(validateTimeout('1').ms, 1000);
  assert.equal(validateTimeout('300').ms, 300_000);
  for (const bad of ['', '0', '301', '1.5', '-1', 'ten', ' 30']) assert.equal(validateTimeout(bad).valid, false, bad);
});

test('shellQuote and curlCommand: a real shell hands curl exactly the request', () => {
  assert.equal(shellQuote('abc-1.2/x:y'), 'abc-1.2/x:y');
  assert.equal(shellQuote("it's"), "'it'\\''s'");
  assert.equal(shellQuote(''), "''");
  const request = {
    method: 'POST',
    url: 'http://127.0.0.1:1/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=882689&responseFormatType=json',
    headers: { 'x-ncp-apigw-timestamp': '1546221796556', 'x-ncp-iam-access-key': "AK'$(touch /tmp/x)`;", 'x-ncp-apigw-signature-v2': 'a+b/c==' },
    body: 'cloudDBInstanceNo=1&x=$HOME "q"',
  };
  const command = curlCommand(request);
  assert.match(command, /^curl -X POST '/);
  assert.equal(command.split(' \\\n  ').length, 5);
  // `sh` parses the command with a stand-in for curl that prints its arguments, one per line.
  const argv = execFileSync('sh', ['-c', `curl() { printf '%s\\n' "$@"; }\n${command}`], { encoding: 'utf8' }).split('\n').slice(0, -1);
  assert.deepEqual(argv, [
    '-X', 'POST', request.url,
    '-H', 'x-ncp-apigw-timestamp: 1546221796556',
    '-H', "x-ncp-iam-access-key: AK'$(touch /tmp/x)`;",
    '-H', 'x-ncp-apigw-signature-v2: a+b/c==',
    '--data-raw', request.body,
  ]);
  const get = curlCommand({ method: 'GET', url: 'https://h/p?a=1', headers: {} });
  assert.equal(get, "curl -X GET 'https://h/p?a=1'");
});

test('formatBytes in binary units', () => {
  assert.equal(formatBytes(3221225472), '3 GiB');
  assert.equal(formatBytes(1073741824), '1 GiB');
  assert.equal(formatBytes(1610612736), '1.5 GiB');
  assert.equal(formatBytes(536870912), '512 MiB');
  assert.equal(formatBytes(13421772800), '12.5 GiB');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(1024), '1 KiB');
  assert.equal(formatBytes(2 ** 50), '1 PiB');
  assert.equal(formatBytes(undefined), '—');
  assert.equal(formatBytes(-1), '—');
});

test('formatDuration, parseApiDate and formatApiDate', () => {
  assert.equal(formatDuration(0), '0 s');
  assert.equal(formatDuration(44_600), '45 s');
  assert.equal(formatDuration(-600_400), '10 min');
  assert.equal(formatDuration(185_000), '3 min 5 s');
  assert.equal(formatDuration(7_620_000), '2 h 7 min');
  assert.equal(formatDuration(3_600_000), '1 h');
  assert.equal(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 59_000), '3 d 4 h');
  assert.equal(parseApiDate('2018-12-28T17:28:00+0900'), Date.UTC(2018, 11, 28, 8, 28, 0));
  assert.equal(parseApiDate('2018-12-28T17:28:00+09:00'), Date.UTC(2018, 11, 28, 8, 28, 0));
  assert.equal(parseApiDate('2018-12-28T08:28:00Z'), Date.UTC(2018, 11, 28, 8, 28, 0));
  assert.equal(parseApiDate('yesterday'), null);
  assert.equal(parseApiDate(undefined), null);
  assert.equal(formatApiDate('2018-12-28T17:28:00+0900'), '2018-12-28 17:28:00 +09:00');
  assert.equal(formatApiDate('not a date'), 'not a date');
});

test('clockOffset reads the Date header; describeClockOffset says who is behind and whether it matters', () => {
  const server = Date.UTC(2026, 0, 1, 12, 0, 0);
  const date = new Date(server).toUTCString();
  // Browser 10 min behind: the request left at server − 10 min and came back 200 ms later.
  const behind = clockOffset(date, server - 600_000, server - 600_000 + 200);
  assert.ok(Math.abs(behind - 600_000) <= 1000, String(behind));
  const ahead = clockOffset(date, server + 90_000, server + 90_000);
  assert.ok(Math.abs(ahead + 90_000) <= 1000, String(ahead));
  assert.equal(clockOffset(null, 1, 2), null);
  assert.equal(clockOffset('garbage', 1, 2), null);

  assert.match(describeClockOffset(behind), /^Your clock is 10 min behind the server’s: more than the 5 minutes/);
  assert.match(describeClockOffset(ahead), /^Your clock is 1 min 30 s ahead of the server’s, within the 5 minutes/);
  assert.match(describeClockOffset(400), /agree/);
  assert.match(describeClockOffset(null), /no Date header/);
  assert.match(describeClockOffset(-(CLOCK_WINDOW_MS + 10_000)), /more than the 5 minutes/);
});

/** The error the library throws for a body and a status. */
function libraryError(body, status) {
  try {
    parseFlushResponse(body, { status });
  } catch (e) {
    return e;
  }
  throw new Error('no error');
}

test('errorTitle and hintFor turn the library’s errors into something a person can act on', () => {
  const ctx = { base: 'http://127.0.0.1:8080', endpoint: 'origin', pageOrigin: 'http://127.0.0.1:8080', instanceNo: '999999', timeoutMs: 30_000 };
  const auth = libraryError('{"error":{"errorCode":"200","message":"Authentication Failed","details":"the signature does not match"}}', 401);
  assert.deepEqual([auth.kind, auth.code, auth.httpStatus], ['gateway', '200', 401]);
  assert.equal(errorTitle(auth), 'Authentication failed');
  assert.match(hintFor(auth, { ...ctx, clockOffsetMs: 300 }), /Check the access key and the secret key/);
  assert.match(hintFor(auth, { ...ctx, clockOffsetMs: 300 }), /clock/);
  const skewed = hintFor(auth, { ...ctx, clockOffsetMs: 600_000 });
  assert.match(skewed, /^Your clock is 10 min behind the server’s: set it right/);
  assert.doesNotMatch(skewed, /secret key/);

  const unknown = libraryError('{"responseError":{"returnCode":"1003","returnMessage":"The instance does not exist."}}', 400);
  assert.equal(errorTitle(unknown), 'Unknown instance');
  assert.match(hintFor(unknown, ctx), /^Unknown instance 999999: check the number/);

  const later = libraryError('{"responseError":{"returnCode":"1000","returnMessage":"Please try your call again later."}}', 500);
  assert.match(hintFor(later, ctx), /Try again in a moment/);
  const permission = libraryError('{"error":{"errorCode":"210","message":"Permission Denied"}}', 403);
  assert.match(hintFor(permission, ctx), /permission/);
  const upstream = libraryError('{"error":{"errorCode":"500","message":"Endpoint Error"}}', 503);
  assert.match(hintFor(upstream, ctx), /--upstream/);

  const html = libraryError('<html><body>Not Found</body></html>', 404);
  assert.equal(html.kind, 'http');
  assert.equal(errorTitle(html), 'HTTP 404');
  assert.match(hintFor(html, ctx), /does not answer \/clouddb\/v2\/flushCloudDBInstance: it is not ncloud-gateway/);
  assert.match(hintFor(html, { ...ctx, endpoint: 'custom' }), /^Nothing answers .* at http:\/\/127\.0\.0\.1:8080: check the base URL/);
  const notJson = libraryError('hello', 200);
  assert.equal(notJson.kind, 'parse');
  assert.match(hintFor(notJson, ctx), /not a Cloud DB API answer/);

  const network = { kind: 'network', code: 'FETCH_FAILED', message: 'Failed to fetch' };
  assert.equal(errorTitle(network), 'Could not reach the gateway');
  assert.match(hintFor(network, { ...ctx, base: 'http://127.0.0.1:1234' }), /^Is the gateway running at http:\/\/127\.0\.0\.1:1234\?/);
  assert.match(hintFor(network, { ...ctx, base: 'http://127.0.0.1:1234' }), /CORS/);
  assert.match(hintFor(network, { ...ctx, base: 'http://gw:1', pageOrigin: 'https://console.example' }), /https: browsers block/);
  assert.doesNotMatch(hintFor(network, { ...ctx, base: 'http://127.0.0.1:1', pageOrigin: 'https://console.example' }), /https: browsers block/);
  assert.match(hintFor({ kind: 'timeout', code: 'TIMEOUT' }, ctx), /^No answer within 30 s\. .*may have been flushed/);
  assert.match(hintFor({ kind: 'cancelled', code: 'CANCELLED' }, ctx), /may have been flushed/);
});

test('outcomeText, statusTone, yesNo and roleText', () => {
  assert.equal(outcomeText(null), 'Flushed');
  assert.equal(outcomeText({ kind: 'gateway', code: '200', httpStatus: 401 }), 'Authentication failed (gateway 200 · HTTP 401)');
  assert.equal(outcomeText({ kind: 'api', code: '1003', httpStatus: 400 }), 'Unknown instance (api 1003 · HTTP 400)');
  assert.equal(outcomeText({ kind: 'timeout' }), 'Timed out');
  assert.equal(outcomeText({ kind: 'cancelled' }), 'Cancelled');
  assert.equal(outcomeText({ kind: 'network' }), 'Network error');
  assert.equal(statusTone('running'), 'ok');
  assert.equal(statusTone('settingup'), 'busy');
  assert.equal(statusTone('deleting'), 'bad');
  assert.equal(statusTone(undefined), 'neutral');
  assert.deepEqual([yesNo(true), yesNo(false), yesNo(undefined)], ['Yes', 'No', '—']);
  assert.equal(roleText({ code: 'M', codeName: 'Master' }), 'Master (M)');
  assert.equal(roleText({ code: 'H' }), 'H');
  assert.equal(roleText(undefined), '—');
});

// ---- the API family ------------------------------------------------------------------------------

test('validateInstanceNo on VPC and Cache asks for the master server’s number; the same digits rule', () => {
  for (const platform of ['vpc', 'cache']) {
    assert.match(validateInstanceNo('', platform).message, /master server’s number, or pick an instance/);
    assert.equal(validateInstanceNo('11034561', platform).valid, true);
    assert.match(validateInstanceNo('0123', platform).message, /No leading zero/);
  }
  assert.match(validateInstanceNo('', 'classic').message, /^Enter the instance number, e.g\. 882689\.$/);
});

test('validateRegionCode: upper-case letters, digits and -, at most 16; never what the library refuses', () => {
  for (const good of ['KR', 'SGN', 'JPN', 'USWN', 'DEN', 'FKR', 'KR-2', 'A'.repeat(16)]) assert.deepEqual(validateRegionCode(good), { valid: true, message: '' }, good);
  assert.equal(validateRegionCode('').message, 'Enter the region code, e.g. KR.');
  assert.equal(validateRegionCode('kr').message, 'Region codes are upper case: KR.');
  assert.equal(validateRegionCode('K R').message, 'Letters, digits and “-” only: remove a space.');
  assert.equal(validateRegionCode('KR/1').message, 'Letters, digits and “-” only: remove “/”.');
  assert.match(validateRegionCode('A'.repeat(17)).message, /at most 16 characters \(this has 17\)/);
  for (const value of ['KR', 'kr', '', 'K R', 'KR/1', 'Ｋ', 'A'.repeat(16), 'A'.repeat(17), 'KR&x=1']) {
    let libraryAccepts = true;
    try {
      buildFlushRequest({ platform: 'vpc', cloudRedisServerInstanceNo: '1', regionCode: value, timestamp: 1, accessKey: 'a', secretKey: 's' });
    } catch {
      libraryAccepts = false;
    }
    if (validateRegionCode(value).valid) assert.ok(libraryAccepts, JSON.stringify(value));
    if (!libraryAccepts) assert.equal(validateRegionCode(value).valid, false, JSON.stringify(value));
  }
});

test('flushParams and listParams make the library build each platform’s API, at the paths PLATFORMS names', () => {
  const call = { endpoint: 'http://127.0.0.1:1', timestamp: 1, accessKey: 'a', secretKey: 's' };
  assert.deepEqual(flushParams('classic', '882689', 'KR'), { cloudDBInstanceNo: '882689' });
  for (const [platform, field] of [['classic', 'cloudDBInstanceNo'], ['vpc', 'cloudRedisServerInstanceNo'], ['cache', 'cloudCacheServerInstanceNo']]) {
    const region = platform === 'classic' ? undefined : 'KR';
    const flush = new URL(buildFlushRequest({ ...flushParams(platform, '12', region), ...call }).url);
    assert.equal(flush.pathname, PLATFORMS[platform].flushPath);
    assert.equal(flush.searchParams.get(field), '12');
    assert.equal(PLATFORMS[platform].flushField, field);
    assert.equal(flush.searchParams.get('regionCode'), region ?? null);
    const list = new URL(buildListRequest({ ...listParams(platform, region), ...call }).url);
    assert.equal(list.pathname, PLATFORMS[platform].listPath);
    assert.equal(list.searchParams.get('regionCode'), region ?? null);
    assert.ok(API_PREFIXES.some((p) => flush.pathname.startsWith(p) && list.pathname.startsWith(p)), platform);
  }
  assert.equal(PLATFORMS.classic.flushPath, '/clouddb/v2/flushCloudDBInstance');
});

/** A VPC listing answer as NAVER Cloud's API page shows one: an HA instance and a standalone one. */
const VPC_LISTING = JSON.stringify({
  getCloudRedisInstanceListResponse: {
    requestId: 'r-1', returnCode: '0', returnMessage: 'success', totalRows: 2,
    cloudRedisInstanceList: [
      {
        cloudRedisInstanceNo: '1103456', cloudRedisServiceName: 'orders', cloudRedisInstanceStatusName: 'running',
        engineVersion: '7.0.15', cloudRedisPort: 6379, isHa: true, isBackup: true, backupTime: '03:00', backupFileRetentionPeriod: 2,
        createDate: '2024-01-15T10:00:00+0900', accessControlGroupNoList: ['11034560', '99'], configGroupName: 'prod-7',
        role: { code: 'REPLICATION', codeName: 'Replication' },
        cloudRedisServerInstanceList: [
          { cloudRedisServerInstanceNo: '11034562', cloudRedisServerName: 'orders-002', cloudRedisServerRole: { code: 'S', codeName: 'Slave' },
            cloudRedisServerInstanceStatusName: 'running', regionCode: 'KR', zoneCode: 'KR-2', privateDomain: 'b.vpc', memorySize: 3221225472, cpuCount: 4 },
          { cloudRedisServerInstanceNo: '11034561', cloudRedisServerName: 'orders-001', cloudRedisServerRole: { code: 'M', codeName: 'Master' },
            cloudRedisServerInstanceStatusName: 'running', regionCode: 'KR', zoneCode: 'KR-1', privateDomain: 'a.vpc', memorySize: 3221225472, cpuCount: 4,
            uptime: '2024-02-01T09:00:00+0900' },
        ],
      },
      {
        cloudRedisInstanceNo: '1103460', cloudRedisServiceName: 'carts', cloudRedisInstanceStatusName: 'creating', isHa: false, isBackup: false,
        accessControlGroupNoList: [], cloudRedisServerInstanceList: [],
      },
    ],
  },
});

test('instanceView: a VPC instance in the console’s shape, the master’s memory, zones and regions from its servers', () => {
  const [orders, carts] = instancesOf('vpc', parseListResponse(VPC_LISTING, { platform: 'vpc' }));
  assert.deepEqual({ ...orders, servers: orders.servers.length, groups: orders.groups }, {
    platform: 'vpc', no: '1103456', name: 'orders', status: 'running', kind: 'Redis', engine: 'Redis 7.0.15',
    memorySize: 3221225472, cpuCount: 4, isHa: true, port: 6379, mode: 'Replication', configGroup: 'prod-7',
    zone: 'KR-2, KR-1', region: 'KR', regionCode: 'KR', isBackup: true, backupTime: '03:00', backupRetention: 2,
    createDate: '2024-01-15T10:00:00+0900', servers: 2, groups: [{ no: '11034560' }, { no: '99' }], configs: [],
  });
  assert.deepEqual(orders.servers[1], {
    no: '11034561', name: 'orders-001', role: { code: 'M', codeName: 'Master' }, status: 'running', dns: 'a.vpc', uptime: '2024-02-01T09:00:00+0900',
  });
  assert.equal(flushNumberOf(orders), '11034561', 'the master, wherever it is listed');
  assert.equal(flushNumberOf(carts), null, 'no server, nothing to pick');
  assert.deepEqual([carts.engine, carts.memorySize, carts.zone, carts.region], [undefined, undefined, undefined, undefined]);

  const cache = instanceView('cache', parseListResponse(JSON.stringify({ getCloudCacheInstanceListResponse: {
    returnCode: '0', returnMessage: 'success', totalRows: 1,
    cloudCacheInstanceList: [{ cloudCacheInstanceNo: '2200001', cloudCacheServiceName: 's', cloudCacheDbmsCode: { code: 'VALKEY', codeName: 'Valkey' },
      engineVersion: '8.0.1', cloudCacheServerInstanceList: [{ cloudCacheServerInstanceNo: '22000011', cloudCacheServerRole: { code: 'M' } }] }],
  } }), { platform: 'cache' }).cloudCacheInstanceList[0]);
  assert.deepEqual([cache.engine, cache.kind, flushNumberOf(cache)], ['Valkey 8.0.1', 'Valkey', '22000011']);

  const classic = instanceView('classic', parseFlushResponse(JSON.stringify({ flushCloudDBInstanceResponse: {
    returnCode: '0', returnMessage: 'success', totalRows: 1,
    cloudDBInstanceList: [{ cloudDBInstanceNo: '882689', cloudDBServiceName: 'c', engineVersion: 'REDIS 5.0', isHa: true,
      zone: { zoneName: 'KR-1', zoneDescription: 'Gasan zone' }, region: { regionName: 'Korea', regionCode: 'KR' },
      cloudDBServerInstanceList: [{ cloudDBServerInstanceNo: '8826891', cloudDBServerRole: { code: 'M' }, privateDnsName: 'p', publicDnsName: 'q' }],
      accessControlGroupList: [{ accessControlGroupConfigurationNo: '7', accessControlGroupName: 'g', isDefault: true }] }],
  } })).cloudDBInstanceList[0]);
  assert.deepEqual([classic.engine, classic.zone, classic.region, classic.servers[0].dns, flushNumberOf(classic)],
    ['REDIS 5.0', 'KR-1 (Gasan zone)', 'Korea (KR)', 'p · q', '882689']);
  assert.deepEqual(classic.groups, [{ no: '7', name: 'g', description: undefined, isDefault: true }]);
});

test('findTarget, describeTarget and confirmWords: what a number names, and what confirms it', () => {
  const instances = instancesOf('vpc', parseListResponse(VPC_LISTING, { platform: 'vpc' }));
  const master = findTarget('vpc', instances, '11034561');
  assert.deepEqual([master.instance.no, master.server.name], ['1103456', 'orders-001']);
  assert.deepEqual(describeTarget(master), { tone: 'info',
    text: 'Flushes orders (instance 1103456) through its master server orders-001 (11034561). HA: its replica orders-002 is cleared too.' });
  const slave = findTarget('vpc', instances, '11034562');
  assert.deepEqual(describeTarget(slave), { tone: 'warn',
    text: '11034562 is orders-002, a Slave of orders (instance 1103456): the flush takes the master’s number, 11034561. The API refuses a replica’s.' });
  // On VPC and Cache a number names a server, never an instance.
  assert.equal(findTarget('vpc', instances, '1103456'), null);
  assert.equal(findTarget('vpc', instances, ''), null);
  assert.equal(findTarget('vpc', undefined, '11034561'), null);
  assert.equal(describeTarget(null), null);

  assert.deepEqual(confirmWords(master, '11034561'), ['orders', '1103456']);
  assert.deepEqual(confirmWords(null, '11034561'), ['11034561']);
  const nameless = { instance: { ...master.instance, name: undefined }, server: master.server };
  assert.deepEqual(confirmWords(nameless, '11034561'), ['1103456']);

  const classic = [{ platform: 'classic', no: '882689', name: 'c', isHa: false, servers: [{ no: '8826891', role: { code: 'M' } }] }];
  assert.deepEqual(findTarget('classic', classic, '882689'), { instance: classic[0], server: null });
  assert.equal(findTarget('classic', classic, '8826891'), null);
  assert.deepEqual(describeTarget(findTarget('classic', classic, '882689')), { tone: 'info', text: 'Flushes c (instance 882689).' });
});

test('haWarning: on HA, the replicas are cleared too and data comes back only from a backup, as of its time', () => {
  const [orders, carts] = instancesOf('vpc', parseListResponse(VPC_LISTING, { platform: 'vpc' }));
  assert.equal(haWarning(orders), 'orders is highly available (HA): the flush runs on the master and its replica orders-002 is cleared too. '
    + 'The data comes back only from a backup, as of the backup’s time (backups run daily at 03:00, kept 2 d).');
  assert.equal(haWarning(carts), '');
  assert.equal(haWarning(undefined), '');
  assert.match(haWarning({ ...orders, isBackup: false }), /Backups are off for this instance: nothing can bring the data back\.$/);
  const three = { ...orders, servers: [...orders.servers, { no: '3', name: 'orders-003', role: { code: 'S' } }] };
  assert.match(haWarning(three), /its replicas orders-002 and orders-003 are cleared too/);
});

test('errorTitle and hintFor on VPC and Cache, and for listings', () => {
  const error = (body, status) => {
    try {
      parseFlushResponse(body, { platform: 'vpc', status });
    } catch (e) {
      return e;
    }
    throw new Error('no error');
  };
  const ctx = { action: 'flush', platform: 'vpc', base: 'http://127.0.0.1:8080', instanceNo: '11034562', regionCode: 'KR', master: '11034561' };
  const slave = error('{"responseError":{"returnCode":"1006","returnMessage":"not a master"}}', 400);
  assert.deepEqual([slave.kind, slave.code], ['api', '1006']);
  assert.equal(errorTitle(slave), 'Not a master server');
  assert.equal(hintFor(slave, ctx), 'Server 11034562 is not a master: the flush takes the master server’s number, 11034561. List instances and pick the instance: the console fills it in.');
  const unknown = error('{"responseError":{"returnCode":"1003","returnMessage":"no"}}', 400);
  assert.match(hintFor(unknown, ctx), /^Unknown server 11034562 in region KR: the flush takes the master server’s number/);
  assert.match(hintFor(unknown, { ...ctx, platform: 'classic' }), /^Unknown instance 11034562: check the number/);
  const other = error('{"responseError":{"returnCode":"1200","returnMessage":"busy"}}', 400);
  assert.equal(errorTitle(other), 'The API refused the flush');
  assert.equal(errorTitle(other, 'list'), 'The API refused the listing');
  assert.match(hintFor(other, { ...ctx, action: 'list' }), /^The API refused the listing/);
  assert.match(hintFor({ kind: 'timeout' }, { action: 'list' }), /A listing changes nothing/);
  assert.doesNotMatch(hintFor({ kind: 'cancelled' }, { action: 'list' }), /flushed/);
  const html = error('<html>Not Found</html>', 404);
  assert.match(hintFor(html, { ...ctx, endpoint: 'origin', path: PLATFORMS.vpc.listPath }), /does not answer \/vredis\/v2\/getCloudRedisInstanceList: it is not ncloud-gateway/);
  const denied = error('{"error":{"errorCode":"210","message":"Permission Denied"}}', 403);
  assert.match(hintFor(denied, { platform: 'cache' }), /permission for Cloud DB for Cache\.$/);
});

test('the console’s platform table, curl command, clock offset, pager, titles and instance view are the package’s domain module', async () => {
  const domain = await import('../../pkg/domain.js');
  for (const name of ['PLATFORMS', 'API_PREFIXES', 'CLOCK_WINDOW_MS', 'LIST_PAGE_SIZE', 'LIST_MAX_PAGES', 'curlCommand', 'shellQuote',
    'clockOffset', 'listAllPages', 'errorTitle', 'instanceView', 'instancesOf', 'findTarget', 'flushNumberOf', 'isMaster']) {
    assert.equal(consoleModule[name], domain[name], name);
  }
  // One page limit for both clients.
  assert.equal(consoleModule.LIST_MAX_PAGES, 1000);
});
