// The domain module both clients share (js/domain.js), as the installed package ships it:
// `ncloud-redis-flush/domain` with its types, its platform table held to the library's requests,
// and the CLI and the console using it rather than copies of their own.
import test from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildFlushRequest, buildListRequest } from 'ncloud-redis-flush';
import * as domain from 'ncloud-redis-flush/domain';
import { ROOT } from '../support/gateway.mjs';
import { CLI, runners } from './harness.mjs';

const INSTALLED = join(process.cwd(), 'node_modules', 'ncloud-redis-flush');
const KEYS = { NCLOUD_ACCESS_KEY: 'AK-cli-domain', NCLOUD_SECRET_KEY: 'SK-cli-domain-S3CR3T-ibis-4d2a' };
const outputs = [];
const { runProgram } = runners({ home: () => '/nonexistent', outputs, defaultEnv: () => KEYS });

test('the package exports ./domain with its types', () => {
  const pkg = JSON.parse(readFileSync(join(INSTALLED, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.exports['./domain'], { types: './domain.d.ts', default: './domain.js' });
  for (const file of ['domain.js', 'domain.d.ts']) assert.ok(existsSync(join(INSTALLED, file)), file);
  const dts = readFileSync(join(INSTALLED, 'domain.d.ts'), 'utf8');
  for (const name of ['PLATFORMS', 'curlCommand', 'shellQuote', 'clockOffset', 'listAllPages', 'instanceView', 'errorCause', 'stripControls', 'LIST_MAX_PAGES']) {
    assert.match(dts, new RegExp(`export (declare )?(const|function) ${name}\\b`), name);
  }
});

test('the platform table names what buildFlushRequest and buildListRequest send', () => {
  const common = { timestamp: 1, accessKey: 'a', secretKey: 's', endpoint: 'http://127.0.0.1:1' };
  for (const [name, P] of Object.entries(domain.PLATFORMS)) {
    assert.equal(P.name, name);
    assert.equal(domain.platformOf(name), P);
    const flush = new URL(buildFlushRequest({ ...common, platform: name, [P.flushField]: '123' }).url);
    assert.equal(flush.pathname, P.flushPath);
    assert.equal(flush.searchParams.get(P.flushField), '123');
    const list = new URL(buildListRequest({ ...common, platform: name, instanceNos: ['7'] }).url);
    assert.equal(list.pathname, P.listPath);
    assert.equal(list.searchParams.get(`${P.instanceNoList}.1`), '7');
    assert.ok(domain.API_PREFIXES.some((p) => P.flushPath.startsWith(p) && P.listPath.startsWith(p)), name);
  }
  assert.deepEqual(domain.API_PREFIXES, ['/clouddb/', '/vredis/', '/vcache/']);
  assert.equal(domain.platformOf('moon'), undefined);
  assert.equal(domain.platformOf('__proto__'), undefined);
});

test('listAllPages: every page until totalRows, an instance moved across pages kept once, at most LIST_MAX_PAGES', async () => {
  const rows = ['1', '2', '3', '4', '5'].map((no) => ({ cloudRedisInstanceNo: no }));
  const asked = [];
  const fetchPage = async (pageNo) => {
    asked.push(pageNo);
    // Page 2 repeats instance 2 (an instance created while paging pushed it across the boundary).
    const page = pageNo === 1 ? rows.slice(0, 2) : pageNo === 2 ? rows.slice(1, 3) : rows.slice(3, 5);
    return { totalRows: 5, cloudRedisInstanceList: page };
  };
  const got = await domain.listAllPages({ platform: 'vpc', pageSize: 2, fetchPage });
  assert.deepEqual(got.instances.map((i) => i.cloudRedisInstanceNo), ['1', '2', '3', '4', '5']);
  assert.deepEqual(asked, [1, 2, 3]);
  assert.equal(got.pages, 3);
  let pages = 0;
  const endless = await domain.listAllPages({ platform: 'classic', pageSize: 1, fetchPage: async (n) => { pages = n; return { totalRows: 1e9, cloudDBInstanceList: [{ cloudDBInstanceNo: String(n) }] }; } });
  assert.equal(pages, domain.LIST_MAX_PAGES);
  assert.equal(endless.instances.length, domain.LIST_MAX_PAGES);
});

test('the CLI prints the domain\'s curl command for --dry-run', async () => {
  for (const args of [['flush', '882689'], ['flush', '882689', '--method', 'GET'], ['list', '--platform', 'vpc']]) {
    const j = await runProgram(CLI, [...args, '--dry-run', '--json']);
    assert.equal(j.code, 0, j.stderr);
    const { request, curl } = JSON.parse(j.stdout);
    assert.equal(curl, domain.curlCommand(request));
    assert.match(curl, new RegExp(`^curl -X ${request.method} `));
  }
});

test('the CLI and the console keep no copy of what the domain module holds', () => {
  const files = [
    join(ROOT, 'js', 'cli.mjs'),
    ...(existsSync(join(ROOT, 'js', 'cli')) ? readdirSync(join(ROOT, 'js', 'cli')).map((f) => join(ROOT, 'js', 'cli', f)) : []),
    join(ROOT, 'www', 'console.js'),
    join(ROOT, 'www', 'app.js'),
  ];
  const copies = {
    'a platform table': /(const|let) PLATFORMS\s*=|ServerInstanceList`/,
    'a curl command': /function curlCommand|['"`]curl -/,
    'shell quoting': /function shellQuote|const shellQuote/,
    'a clock offset from Date': /\+ 500 - \(sentAt \+ receivedAt\)/,
    'a listing pager': /pageNo \* [\w.]+ >= [\w.]+totalRows|MAX_PAGES\s*=/,
    'an instance view': /function instanceView|function engineOf/,
    'error codes read anew': /case '1003':|case '210':/,
  };
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const [what, pattern] of Object.entries(copies)) assert.doesNotMatch(text, pattern, `${file} has ${what} of its own`);
  }
});
