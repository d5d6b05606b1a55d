// The console's pure logic (www/console.js) in Node: validation, endpoints, the curl command run
// by a real shell, units, dates, clocks, error titles and hints.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  CLOCK_WINDOW_MS, ENDPOINTS, clockOffset, curlCommand, describeClockOffset, endpointNote, errorTitle,
  formatApiDate, formatBytes, formatDuration, hintFor, outcomeText, parseApiDate, resolveEndpoint,
  roleText, shellQuote, statusTone, validateBaseUrl, validateInstanceNo, validateKey, validateTimeout, yesNo,
} from '../../www/console.js';
import { buildFlushRequest, parseFlushResponse } from '../../pkg/index.node.mjs';

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
