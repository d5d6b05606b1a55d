// The console (www/) on the three API families, in Debian's Chromium, served by the real gateway
// over real Redis servers, one per instance: Classic A and B (HA), Redis VPC "orders" (HA), "carts"
// and "tokyo" (region JPN), and Cloud DB for Cache "sessions". Listing each platform, picking an
// instance, the confirmation by service name or number (and its HA warning), flushes that empty
// only their own Redis, errors and hints, keyboard use and a phone-sized screen. Every test checks
// that the page had no console or page error and that the secret key appeared nowhere it must not.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { promisify } from 'node:util';
import { buildListRequest, parseFlushResponse, parseListResponse, signRequest } from '../../pkg/index.node.mjs';
import { launch } from '../support/chromium.mjs';
import { command, fill, freePort, totalKeys } from '../support/redis.mjs';
import { consoleModule } from './www-modules.mjs';
import {
  A, AK, B, FAMILY, PKG, SK, WWW, fillForm, listInstances, openConsole, openPage, pageTraces, readInstances,
  readPreview, startGateway, startStack, waitOutcome,
} from './harness.mjs';
import { startRedis } from '../support/redis.mjs';

const { LIST_PAGE_SIZE, formatBytes } = consoleModule;

let stack;
let browser;
let gateway;
/** Every Redis by the name tests use: A, B and the FAMILY names. */
let redis;

before(async () => {
  stack = await startStack({ family: true });
  ({ gateway } = stack);
  redis = { A: stack.redisA, B: stack.redisB, ...stack.redis };
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** How many keys each Redis gets from seed(): distinct, so that a swap would show. */
const SEEDED = { A: 5, B: 6, orders: 7, carts: 8, tokyo: 9, sessions: 10 };

async function seed() {
  for (const [name, r] of Object.entries(redis)) {
    await command(r.port, 'FLUSHALL');
    await fill(r.port, SEEDED[name], name);
  }
  assert.deepEqual(await counts(), SEEDED);
}

async function counts() {
  const out = {};
  for (const [name, r] of Object.entries(redis)) out[name] = await totalKeys(r.port);
  return out;
}

/** SEEDED with `name` emptied. */
const emptied = (name) => ({ ...SEEDED, [name]: 0 });

const API = /^\/(clouddb|vredis|vcache)\//;
/** The gateway's audit lines for the API written since `from`. */
const apiLogs = (from) => gateway.logs.slice(from).filter((l) => API.test(l.path));
const flushLogs = (from) => apiLogs(from).filter((l) => /flush/i.test(l.path));

/** No console or page error; the secret key in no storage, cookie, URL, console message, request or page text. */
async function assertClean(s) {
  assert.deepEqual(s.errors(), []);
  const traces = await pageTraces(s.page);
  for (const [where, text] of Object.entries(traces)) assert.ok(!text.includes(SK), `the secret key is in ${where}`);
  for (const text of s.consoleMessages) assert.ok(!text.includes(SK), `the secret key is in a console message: ${text}`);
  for (const r of s.requests) {
    const sent = `${r.url()}\n${JSON.stringify(await r.allHeaders())}\n${r.postData() ?? ''}`;
    assert.ok(!sent.includes(SK), `the secret key was sent: ${r.method()} ${r.url()}`);
  }
  assert.ok(!(await s.page.evaluate(() => document.documentElement.outerHTML)).includes(SK), 'the secret key is in the page');
}

/** The listing NAVER Cloud's API gives (through the module in Node, not the page). */
async function apiListing(platform, regionCode) {
  const request = buildListRequest({ platform, regionCode, endpoint: gateway.url, timestamp: Date.now(), accessKey: AK, secretKey: SK });
  const response = await fetch(request.url, request);
  return parseListResponse(await response.text(), { platform, status: response.status });
}

const LIST = { classic: 'cloudDBInstanceList', vpc: 'cloudRedisInstanceList', cache: 'cloudCacheInstanceList' };
const PREFIX = { classic: 'cloudDB', vpc: 'cloudRedis', cache: 'cloudCache' };

/** What the page must show of an instance of the API's listing, written out per platform. */
function expectedPick(platform, raw) {
  const p = PREFIX[platform];
  const servers = raw[`${p}ServerInstanceList`];
  const engine = platform === 'classic' ? raw.engineVersion
    : platform === 'vpc' ? `Redis ${raw.engineVersion}` : `${raw.cloudCacheDbmsCode.codeName} ${raw.engineVersion}`;
  return {
    no: raw[`${p}InstanceNo`],
    name: raw[`${p}ServiceName`],
    number: raw[`${p}InstanceNo`],
    status: raw[`${p}InstanceStatusName`],
    engine,
    ha: raw.isHa ? 'HA' : 'no HA',
    count: `${servers.length} server${servers.length === 1 ? '' : 's'}`,
    servers: servers.map((s) => [s[`${p}ServerName`], s[`${p}ServerInstanceNo`], s[`${p}ServerRole`].codeName]),
  };
}

/** The result card of instance `no`: name, subtitle, status, facts, server rows, groups. */
function readCard(page, no) {
  return page.evaluate((n) => {
    const el = document.querySelector(`#outcome .instance[data-instance="${n}"]`);
    if (!el) return null;
    const facts = {};
    for (const div of el.querySelectorAll('.facts > div')) facts[div.querySelector('dt').textContent] = div.querySelector('dd').textContent;
    return {
      name: el.querySelector('.service-name').textContent, subtitle: el.querySelector('.card-head p').textContent,
      status: el.querySelector('.badge').textContent, facts,
      columns: [...el.querySelectorAll('table.servers th')].map((th) => th.textContent),
      servers: [...el.querySelectorAll('table.servers tbody tr')].map((r) => [...r.cells].map((c) => c.textContent)),
      named: [...el.querySelectorAll('table.servers tbody tr.named')].map((r) => r.dataset.server),
      groups: [...el.querySelectorAll('.acgs li')].map((li) => li.textContent),
    };
  }, no);
}

/** The confirmation dialog as a person and a screen reader meet it. */
function readDialog(page) {
  return page.evaluate(() => {
    const d = document.querySelector('#confirm');
    const ha = document.querySelector('#confirm-ha');
    return {
      open: d.open, modal: d.matches(':modal'), role: d.getAttribute('role'),
      title: document.getElementById(d.getAttribute('aria-labelledby')).textContent,
      described: document.getElementById(d.getAttribute('aria-describedby')).textContent,
      ha: ha.hidden ? null : ha.textContent, label: document.querySelector('#confirm-label').textContent,
      disabled: document.querySelector('#confirm-flush').disabled, focused: document.activeElement.id,
      mismatch: document.querySelector('#confirm-mismatch').hidden ? null : document.querySelector('#confirm-mismatch').textContent,
    };
  });
}

/** The outcome panel's error. */
function readError(page, scope = '#outcome') {
  return page.evaluate((sel) => {
    const panel = document.querySelector(`${sel} .alert.failure`);
    if (!panel) return null;
    const facts = {};
    for (const div of panel.querySelectorAll('.error-facts > div')) facts[div.querySelector('dt').textContent] = div.querySelector('dd').textContent;
    return {
      role: panel.getAttribute('role'), kind: panel.dataset.kind, code: panel.dataset.code,
      title: panel.querySelector('.alert-title').textContent, facts, message: panel.querySelector('.message').textContent,
      hint: panel.querySelector('.hint').lastChild.textContent, clock: panel.querySelector('.clock')?.lastChild.textContent ?? null,
    };
  }, scope);
}

const readHistory = (page) => page.$$eval('#history tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
const pickInstance = (page, no) => page.click(`#instances .pick[data-instance="${no}"]`);

/** The signature the page sent, checked against signRequest; the request's URL. */
async function assertSigned(request) {
  const headers = await request.allHeaders();
  assert.equal(headers['x-ncp-apigw-signature-v2'], signRequest({
    method: request.method(), url: request.url(), timestamp: headers['x-ncp-apigw-timestamp'], accessKey: AK, secretKey: SK,
  }).signature, `${request.method()} ${request.url()}`);
  assert.equal(headers['x-ncp-iam-access-key'], AK);
  return request.url();
}

const CONFIGURED = {
  classic: { '': [[A, 'cache-a'], [B, 'sessions-b']] },
  vpc: { KR: [[FAMILY.orders.no, 'orders'], [FAMILY.carts.no, 'carts']], JPN: [[FAMILY.tokyo.no, 'tokyo']] },
  cache: { KR: [[FAMILY.sessions.no, 'sessions']] },
};

test('List instances on each platform and region: every configured instance, with its servers, as the API lists them', async () => {
  await seed();
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${gateway.url}/`);
    await fillForm(s.page, { accessKey: AK, secretKey: SK });
    assert.equal(await s.page.isVisible('#region-field'), false, 'Classic has no region code');
    const logsBefore = gateway.logs.length;
    let requestsBefore = 0;
    for (const [platform, regions] of Object.entries(CONFIGURED)) {
      for (const [region, configured] of Object.entries(regions)) {
        await fillForm(s.page, { platform, ...(region ? { regionCode: region } : {}) });
        assert.equal(await s.page.isVisible('#region-field'), platform !== 'classic');
        await listInstances(s.page);
        const where = `${platform} ${region}`;

        // Exactly the configured instances of this platform and region, each as the API lists it.
        const shown = await readInstances(s.page);
        assert.deepEqual(shown.map((i) => [i.number, i.name]), configured, where);
        const api = (await apiListing(platform, region || undefined))[LIST[platform]];
        assert.deepEqual(shown.map(({ checked, disabled, named, ...rest }) => rest), api.map((raw) => expectedPick(platform, raw)), where);
        for (const i of shown) {
          assert.match(i.engine, /^(REDIS|Redis) \d+\.\d+/, where);
          assert.equal(i.status, 'running');
          assert.equal(i.disabled, false);
          assert.equal(i.checked, false);
        }
        const legend = await s.page.textContent('#instances legend');
        assert.equal(legend, `${{ classic: 'Classic', vpc: 'Redis VPC', cache: 'Cloud DB for Cache' }[platform]} instances${region ? ` in ${region}` : ''} (${configured.length})`);
        assert.match(await s.page.textContent('#list-status'), new RegExp(`^${configured.length} .*instances?${region ? ` in ${region}` : ''}: pick one`));

        // One signed listing request, to the platform's listing API, in the region asked.
        const sent = s.apiRequests().slice(requestsBefore);
        requestsBefore = s.apiRequests().length;
        assert.equal(sent.length, 1, where);
        const url = new URL(await assertSigned(sent[0]));
        assert.equal(url.pathname, { classic: '/clouddb/v2/getCloudDBInstanceList', vpc: '/vredis/v2/getCloudRedisInstanceList', cache: '/vcache/v2/getCloudCacheInstanceList' }[platform]);
        assert.equal(url.searchParams.get('regionCode'), region || null);
        assert.equal(await s.page.textContent('#instances .list-meta code'), `POST ${url.href}`);
      }
    }
    // The VPC listing was last made for JPN: for KR it is out of date, and cannot be picked from.
    await fillForm(s.page, { platform: 'vpc', regionCode: 'KR' });
    assert.match(await s.page.textContent('#instances .stale'), /^Listed in JPN at .*another region: List instances again/);
    assert.deepEqual((await readInstances(s.page)).map((i) => [i.name, i.disabled]), [['tokyo', true]]);
    await listInstances(s.page);
    assert.equal(await s.page.isVisible('#instances .stale'), false);
    // The HA instance shows both servers, and which one the flush names.
    const orders = (await readInstances(s.page)).find((i) => i.no === FAMILY.orders.no);
    assert.deepEqual(orders.servers, [['orders-001', FAMILY.orders.master, 'Master'], ['orders-002', FAMILY.orders.slave, 'Slave']]);
    assert.equal(orders.named, FAMILY.orders.master);
    assert.deepEqual([orders.ha, orders.disabled], ['HA', false]);

    // The page's five listings and this test's own four, all listings.
    assert.equal(s.apiRequests().length, 5);
    assert.deepEqual(apiLogs(logsBefore).map((l) => l.outcome), Array(5 + 4).fill('listed'));
    assert.deepEqual(flushLogs(logsBefore), []);
    assert.deepEqual(await counts(), SEEDED, 'listing changed data');
    assert.deepEqual(await readHistory(s.page), []);
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('more instances than a listing page: the console reads every page, signed, and shows them all', async () => {
  // A gateway of its own with 230 Classic instances (over one Redis: listing does not touch data).
  const many = 2 * LIST_PAGE_SIZE + 30;
  const store = await startRedis();
  const big = await startGateway({
    credentials: [{ accessKey: AK, secretKey: SK }],
    instances: Array.from({ length: many }, (_, i) => ({ no: String(700001 + i), redisUrl: store.url, name: `svc-${String(i + 1).padStart(3, '0')}` })),
    extra: `www_dir = ${JSON.stringify(WWW)}\npkg_dir = ${JSON.stringify(PKG)}`,
  });
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${big.url}/`);
    await fillForm(s.page, { accessKey: AK, secretKey: SK, platform: 'classic' });
    await listInstances(s.page);
    const shown = await readInstances(s.page);
    assert.equal(shown.length, many);
    assert.deepEqual(shown.map((i) => i.number), Array.from({ length: many }, (_, i) => String(700001 + i)));
    assert.equal(await s.page.textContent('#instances legend'), `Classic instances (${many})`);
    assert.match(await s.page.textContent('#instances .list-meta'), /3 pages of 100, the last POST /);
    assert.equal(await s.page.isVisible('#instances .note.warn'), false);
    // Three signed requests, pages 1 to 3 of LIST_PAGE_SIZE.
    const sent = s.apiRequests();
    assert.equal(sent.length, 3);
    for (const [i, request] of sent.entries()) {
      const url = new URL(await assertSigned(request));
      assert.equal(url.searchParams.get('pageNo'), String(i + 1));
      assert.equal(url.searchParams.get('pageSize'), String(LIST_PAGE_SIZE));
    }
    // The last instance can be picked: its number fills the form.
    await pickInstance(s.page, String(700000 + many));
    assert.equal(await s.page.inputValue('#instance-no'), String(700000 + many));
    await assertClean(s);
  } finally {
    await s.close();
    await big.stop();
    await store.close();
  }
});

test('pick a VPC instance, confirm by its service name, flush: only its Redis is emptied, and the page shows it', async () => {
  await seed();
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${gateway.url}/`);
    const logsBefore = gateway.logs.length;
    await fillForm(s.page, { accessKey: AK, secretKey: SK, platform: 'vpc' });
    assert.equal(await s.page.inputValue('#region-code'), 'KR', 'the region code defaults to KR');
    assert.equal(await s.page.textContent('#instance-no-label'), 'Master server number');
    await listInstances(s.page);
    await pickInstance(s.page, FAMILY.carts.no);

    // Picking fills in the master server's number and says which server the flush names.
    assert.equal(await s.page.inputValue('#instance-no'), FAMILY.carts.master);
    assert.equal(await s.page.textContent('#target-note'), `Flushes carts (instance ${FAMILY.carts.no}) through its master server carts-001 (${FAMILY.carts.master}).`);
    assert.equal(await s.page.getAttribute('#instance-no', 'aria-describedby'), 'instance-no-error instance-no-note target-note');
    assert.deepEqual((await readInstances(s.page)).map((i) => [i.no, i.checked]), [[FAMILY.orders.no, false], [FAMILY.carts.no, true]]);
    const preview = await readPreview(s.page);
    const flushUrl = `${gateway.url}/vredis/v2/flushAllCloudRedisServerInstance?cloudRedisServerInstanceNo=${FAMILY.carts.master}&regionCode=KR&responseFormatType=json`;
    assert.equal(preview.url, flushUrl);
    assert.equal(preview.headers['x-ncp-apigw-signature-v2'],
      signRequest({ method: 'POST', url: flushUrl, timestamp: preview.headers['x-ncp-apigw-timestamp'], accessKey: AK, secretKey: SK }).signature);
    assert.ok(preview.curl.includes(flushUrl));

    // The confirmation names the instance and its server; it takes the name (or the number), exactly.
    await s.page.click('#flush');
    let dialog = await readDialog(s.page);
    assert.deepEqual([dialog.open, dialog.modal, dialog.role, dialog.title, dialog.ha, dialog.disabled, dialog.focused],
      [true, true, 'alertdialog', 'Flush carts?', null, true, 'confirm-input']);
    assert.equal(dialog.described, `Every key in every database of carts (instance ${FAMILY.carts.no}) is deleted (FLUSHALL) at ${gateway.url}, `
      + `through its master server carts-001 (${FAMILY.carts.master}). This cannot be undone.`);
    assert.equal(dialog.label, `Type carts or ${FAMILY.carts.no} to confirm`);
    assert.equal(await s.page.getAttribute('#confirm-input', 'inputmode'), null, 'a name needs the full keyboard');
    for (const [typed, mismatch] of [['cart', null], ['Carts', 'This is neither the service name nor the instance number.'], ['carts ', 'This is neither the service name nor the instance number.'], [FAMILY.carts.master, 'This is neither the service name nor the instance number.']]) {
      await s.page.fill('#confirm-input', typed);
      dialog = await readDialog(s.page);
      assert.deepEqual([dialog.disabled, dialog.mismatch], [true, mismatch], JSON.stringify(typed));
    }
    await s.page.fill('#confirm-input', 'carts');
    assert.equal(await s.page.isEnabled('#confirm-flush'), true);
    await s.page.click('#confirm-flush');
    await waitOutcome(s.page);

    assert.deepEqual(await counts(), emptied('carts'));
    assert.deepEqual(flushLogs(logsBefore).map((l) => [l.method, l.path, l.instance, l.outcome, l.status]),
      [['POST', '/vredis/v2/flushAllCloudRedisServerInstance', FAMILY.carts.master, 'flushed', 200]]);
    const sent = s.apiRequests();
    assert.equal(sent.length, 2, 'one listing, one flush');
    assert.equal(await assertSigned(sent[1]), flushUrl);

    // The result, checked against the raw answer the page shows one click away.
    assert.equal(await s.page.textContent('#outcome .alert.success h2'), `Instance ${FAMILY.carts.no} (carts) flushed`);
    assert.match(await s.page.textContent('#outcome .alert.success p'), new RegExp(`^Every key in every database is deleted, through its master server carts-001 \\(${FAMILY.carts.master}\\)\\. Answered at`));
    assert.equal(await s.page.textContent('#announcer'), `Instance ${FAMILY.carts.no} (carts) flushed, through its master server carts-001 (${FAMILY.carts.master}).`);
    assert.equal(await s.page.evaluate(() => document.activeElement.matches('#outcome h2')), true);
    await s.page.click('#outcome details.raw summary');
    const instance = parseFlushResponse(await s.page.textContent('#outcome details.raw pre'), { platform: 'vpc' }).cloudRedisInstanceList[0];
    const master = instance.cloudRedisServerInstanceList[0];
    const card = await readCard(s.page, FAMILY.carts.no);
    assert.equal(card.name, 'carts');
    assert.equal(card.subtitle, `Instance ${FAMILY.carts.no} · Redis VPC`);
    assert.equal(card.status, 'running');
    assert.equal(card.facts.Engine, `Redis ${instance.engineVersion}`);
    assert.equal(card.facts.Memory, formatBytes(master.memorySize));
    assert.match(card.facts.Memory, /^\d+(\.\d+)? (MiB|GiB)$/);
    assert.equal(card.facts.CPU, `${master.cpuCount} vCPU`);
    assert.equal(card.facts['High availability'], 'No');
    assert.equal(card.facts.Mode, 'Stand Alone');
    assert.equal(card.facts.Region, 'KR');
    assert.equal(card.facts.Zone, 'KR-1');
    assert.equal(card.facts.Port, String(redis.carts.port));
    assert.equal(card.facts.Backup, '03:00 daily, kept 1 d');
    assert.deepEqual(card.columns, ['Name', 'Number', 'Role', 'Status', 'Private domain', 'Uptime']);
    assert.equal(card.servers.length, 1);
    const [name, number, role, status, domain, uptime] = card.servers[0];
    assert.deepEqual([name, number, role, status, domain], ['carts-001', `${FAMILY.carts.master}in the request`, 'Master (M)', 'running', '127.0.0.1']);
    assert.match(uptime, /^\d+ (s|min)( \d+ s)?since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+09:00$/);
    assert.deepEqual(card.named, [FAMILY.carts.master]);
    assert.deepEqual(card.groups, instance.accessControlGroupNoList.map((no) => `#${no}`));
    assert.deepEqual(card.groups, [`#${FAMILY.carts.no}0`]);

    const history = await readHistory(s.page);
    assert.deepEqual(history.map((r) => r.slice(1)), [[`${FAMILY.carts.master}Redis VPC · carts`, `This gateway${gateway.url}`, 'Flushed']]);
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('Cloud DB for Cache, GET and XML: a wrong name sends nothing; the instance number confirms', async () => {
  await seed();
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${gateway.url}/`);
    const logsBefore = gateway.logs.length;
    await fillForm(s.page, { accessKey: AK, secretKey: SK, platform: 'cache', method: 'GET', format: 'xml' });
    await listInstances(s.page);
    assert.match(await s.page.textContent('#instances details.raw summary'), /HTTP 200 · XML/);
    await pickInstance(s.page, FAMILY.sessions.no);
    assert.equal(await s.page.inputValue('#instance-no'), FAMILY.sessions.master);

    await s.page.click('#flush');
    assert.equal((await readDialog(s.page)).label, `Type sessions or ${FAMILY.sessions.no} to confirm`);
    // Another instance's name, a name with a different case, the server's number: all refused.
    for (const wrong of ['sessions-b', 'Sessions', FAMILY.sessions.master, `${FAMILY.sessions.no}0`]) {
      await s.page.fill('#confirm-input', wrong);
      assert.equal(await s.page.isDisabled('#confirm-flush'), true, wrong);
      assert.equal(await s.page.isVisible('#confirm-mismatch'), true, wrong);
      assert.equal(await s.page.getAttribute('#confirm-input', 'aria-invalid'), 'true');
      await s.page.press('#confirm-input', 'Enter'); // implicit submission must not flush
      await s.page.click('#confirm-flush', { force: true }); // nor a click on the disabled button
      await s.page.evaluate(() => document.querySelector('#confirm-form').requestSubmit()); // nor a submission past the button
      assert.equal(await s.page.evaluate(() => document.querySelector('#confirm').open), true);
    }
    await s.page.keyboard.press('Escape');
    assert.equal(await s.page.evaluate(() => document.querySelector('#confirm').open), false);
    assert.deepEqual(flushLogs(logsBefore), [], 'a wrong confirmation sent a flush');
    assert.equal(s.apiRequests().length, 1, 'only the listing was sent');
    assert.deepEqual(await counts(), SEEDED);
    assert.equal(await s.page.isHidden('#outcome'), true);

    await s.page.click('#flush');
    await s.page.fill('#confirm-input', FAMILY.sessions.no);
    await s.page.click('#confirm-flush');
    await s.page.waitForSelector('#outcome .alert.success');
    assert.deepEqual(await counts(), emptied('sessions'));
    assert.deepEqual(flushLogs(logsBefore).map((l) => [l.method, l.path, l.instance, l.outcome]),
      [['GET', '/vcache/v2/flushAllCloudCacheServerInstance', FAMILY.sessions.master, 'flushed']]);
    assert.equal(new URL(await assertSigned(s.apiRequests()[1])).search,
      `?cloudCacheServerInstanceNo=${FAMILY.sessions.master}&regionCode=KR&responseFormatType=xml`);

    assert.equal(await s.page.textContent('#outcome .alert.success h2'), `Instance ${FAMILY.sessions.no} (sessions) flushed`);
    assert.match(await s.page.textContent('#outcome details.raw summary'), /XML/);
    assert.match(await s.page.textContent('#outcome details.raw pre'), /^<\?xml[^>]*>\s*<flushAllCloudCacheServerInstanceResponse>/);
    const raw = parseFlushResponse(await s.page.textContent('#outcome details.raw pre'), { platform: 'cache' }).cloudCacheInstanceList[0];
    const card = await readCard(s.page, FAMILY.sessions.no);
    assert.deepEqual([card.name, card.subtitle, card.status], ['sessions', `Instance ${FAMILY.sessions.no} · Cloud DB for Cache`, 'running']);
    assert.equal(card.facts.Engine, `${raw.cloudCacheDbmsCode.codeName} ${raw.engineVersion}`);
    assert.equal(card.facts.Memory, formatBytes(raw.cloudCacheServerInstanceList[0].memorySize));
    assert.deepEqual([card.facts['High availability'], card.facts.Region, card.facts.Zone], ['No', 'KR', 'KR-1']);
    assert.deepEqual(card.servers.map((r) => r.slice(0, 3)), [['sessions-001', `${FAMILY.sessions.master}in the request`, 'Master (M)']]);
    assert.deepEqual(card.groups, [`#${FAMILY.sessions.no}0`]);
    assert.deepEqual((await readHistory(s.page)).map((r) => r.slice(1)),
      [[`${FAMILY.sessions.master}Cloud DB for Cache · sessions`, `This gateway${gateway.url}`, 'Flushed']]);
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('the curl command of a Cloud DB for Cache preview, run by a shell, flushes only that instance', async () => {
  await seed();
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${gateway.url}/`);
    await fillForm(s.page, { accessKey: AK, secretKey: SK, platform: 'cache', instanceNo: FAMILY.sessions.master });
    const { curl, url } = await readPreview(s.page);
    assert.equal(url, `${gateway.url}/vcache/v2/flushAllCloudCacheServerInstance?cloudCacheServerInstanceNo=${FAMILY.sessions.master}&regionCode=KR&responseFormatType=json`);
    assert.ok(!curl.includes(SK));
    const { stdout } = await promisify(execFile)('sh', ['-c', `${curl} --silent --show-error --noproxy '*' --write-out '\\n%{http_code}'`]);
    assert.equal(stdout.slice(stdout.lastIndexOf('\n') + 1), '200', stdout);
    const answer = parseFlushResponse(stdout.slice(0, stdout.lastIndexOf('\n')), { platform: 'cache' });
    assert.equal(answer.cloudCacheInstanceList[0].cloudCacheServiceName, 'sessions');
    assert.deepEqual(await counts(), emptied('sessions'));
    assert.deepEqual(s.apiRequests(), [], 'the page itself sent a request');
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('an HA instance: the dialog says the replicas are cleared too and data comes back only from a backup', async () => {
  await seed();
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${gateway.url}/`);
    const logsBefore = gateway.logs.length;
    await fillForm(s.page, { accessKey: AK, secretKey: SK, platform: 'vpc' });
    await listInstances(s.page);
    await pickInstance(s.page, FAMILY.orders.no);
    assert.equal(await s.page.inputValue('#instance-no'), FAMILY.orders.master);
    assert.equal(await s.page.textContent('#target-note'),
      `Flushes orders (instance ${FAMILY.orders.no}) through its master server orders-001 (${FAMILY.orders.master}). HA: its replica orders-002 is cleared too.`);

    await s.page.click('#flush');
    const dialog = await readDialog(s.page);
    assert.equal(dialog.title, 'Flush orders?');
    const warning = 'orders is highly available (HA): the flush runs on the master and its replica orders-002 is cleared too. '
      + 'The data comes back only from a backup, as of the backup’s time (backups run daily at 03:00, kept 1 d).';
    assert.equal(dialog.ha, warning);
    assert.ok(dialog.described.endsWith(warning), 'the warning is not part of the dialog’s description');
    assert.equal(await s.page.isVisible('#confirm-ha'), true);
    await s.page.click('#confirm-cancel');

    // Not on an instance that is not HA.
    await pickInstance(s.page, FAMILY.carts.no);
    await s.page.click('#flush');
    assert.equal((await readDialog(s.page)).ha, null);
    assert.doesNotMatch((await readDialog(s.page)).described, /highly available|replica|backup/);
    await s.page.click('#confirm-cancel');

    // Classic HA instances too.
    await fillForm(s.page, { platform: 'classic' });
    assert.equal(await s.page.inputValue('#instance-no'), '', 'a number picked on another platform stayed');
    await listInstances(s.page);
    await pickInstance(s.page, B);
    assert.equal(await s.page.inputValue('#instance-no'), B);
    await s.page.click('#flush');
    assert.match((await readDialog(s.page)).ha, /^sessions-b is highly available \(HA\): the flush runs on the master and its replica sessions-b-002 is cleared too\. The data comes back only from a backup, as of the backup’s time/);
    assert.equal((await readDialog(s.page)).label, `Type sessions-b or ${B} to confirm`);
    await s.page.click('#confirm-cancel');
    assert.deepEqual(flushLogs(logsBefore), []);
    assert.deepEqual(await counts(), SEEDED);

    // Back on VPC, the listing is still there: flush orders, confirmed by its instance number.
    await fillForm(s.page, { platform: 'vpc' });
    await pickInstance(s.page, FAMILY.orders.no);
    await s.page.click('#flush');
    await s.page.fill('#confirm-input', FAMILY.orders.no);
    await s.page.click('#confirm-flush');
    await s.page.waitForSelector('#outcome .alert.success');
    assert.deepEqual(await counts(), emptied('orders'));
    assert.deepEqual(flushLogs(logsBefore).map((l) => [l.path, l.instance, l.outcome]),
      [['/vredis/v2/flushAllCloudRedisServerInstance', FAMILY.orders.master, 'flushed']]);
    assert.match(await s.page.textContent('#outcome .alert.success p'), /through its master server orders-001 \(11034561\)\. The instance is HA: its replicas are cleared too\./);
    const card = await readCard(s.page, FAMILY.orders.no);
    assert.deepEqual([card.facts['High availability'], card.facts.Mode], ['Yes', 'Replication']);
    assert.deepEqual(card.servers.map((r) => r.slice(0, 3)), [
      ['orders-001', `${FAMILY.orders.master}in the request`, 'Master (M)'],
      ['orders-002', FAMILY.orders.slave, 'Slave (S)'],
    ]);
    assert.deepEqual(card.named, [FAMILY.orders.master]);
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('typing by hand: an unlisted server number flushes; a replica’s is warned about and refused (api 1006); a wrong region (1003)', async () => {
  await seed();
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${gateway.url}/`);
    const logsBefore = gateway.logs.length;
    await fillForm(s.page, { accessKey: AK, secretKey: SK, platform: 'vpc', instanceNo: FAMILY.carts.master });
    assert.equal(await s.page.isHidden('#target-note'), true);
    await s.page.click('#flush');
    let dialog = await readDialog(s.page);
    assert.equal(dialog.title, `Flush server ${FAMILY.carts.master}?`);
    assert.match(dialog.described, /of the instance whose master server is 11034601 is deleted .*if it is highly available \(HA\), its replicas are cleared too/);
    assert.equal(dialog.label, `Type ${FAMILY.carts.master} to confirm`);
    assert.equal(await s.page.getAttribute('#confirm-input', 'inputmode'), 'numeric');
    await s.page.fill('#confirm-input', FAMILY.carts.master);
    await s.page.click('#confirm-flush');
    await s.page.waitForSelector('#outcome .alert.success');
    assert.deepEqual(await counts(), emptied('carts'));
    assert.equal(await s.page.textContent('#outcome .alert.success h2'), `Instance ${FAMILY.carts.no} (carts) flushed`);

    // A replica's number, typed after a listing: the page says whose it is, the API refuses it.
    await seed();
    await listInstances(s.page);
    await s.page.fill('#instance-no', FAMILY.orders.slave);
    assert.equal(await s.page.getAttribute('#target-note', 'class'), 'target-note warn');
    assert.equal(await s.page.textContent('#target-note'),
      `${FAMILY.orders.slave} is orders-002, a Slave of orders (instance ${FAMILY.orders.no}): the flush takes the master’s number, ${FAMILY.orders.master}. The API refuses a replica’s.`);
    assert.ok((await readInstances(s.page)).every((i) => !i.checked));
    await s.page.click('#flush');
    dialog = await readDialog(s.page);
    assert.match(dialog.described, /through its server orders-002 \(11034562\)\. This cannot be undone\. 11034562 is not a master: the API will refuse it\./);
    await s.page.fill('#confirm-input', 'orders');
    await s.page.click('#confirm-flush');
    await waitOutcome(s.page);
    let error = await readError(s.page);
    assert.deepEqual([error.role, error.kind, error.code, error.title, error.facts['HTTP status']], ['alert', 'api', '1006', 'Not a master server', '400']);
    assert.equal(error.hint, `Server ${FAMILY.orders.slave} is not a master: the flush takes the master server’s number, ${FAMILY.orders.master}. List instances and pick the instance: the console fills it in.`);
    assert.equal(await s.page.textContent('#announcer'), `Flush of orders (server ${FAMILY.orders.slave}) failed: Not a master server.`);

    // A number of KR in region JPN: unknown there.
    await fillForm(s.page, { regionCode: 'JPN', instanceNo: FAMILY.carts.master });
    await s.page.click('#flush');
    await s.page.fill('#confirm-input', FAMILY.carts.master);
    await s.page.click('#confirm-flush');
    await s.page.waitForSelector('#outcome .alert.failure[data-code="1003"]');
    error = await readError(s.page);
    assert.match(error.hint, /^Unknown server 11034601 in region JPN: the flush takes the master server’s number, in the instance’s region\./);
    assert.deepEqual(await counts(), SEEDED);
    assert.deepEqual(flushLogs(logsBefore).map((l) => [l.instance, l.outcome]), [
      [FAMILY.carts.master, 'flushed'], [FAMILY.orders.slave, 'unknown_instance'], [FAMILY.carts.master, 'unknown_instance'],
    ]);
    assert.deepEqual((await readHistory(s.page)).map((r) => [r[1], r[3]]), [
      [`${FAMILY.carts.master}Redis VPC`, 'Unknown instance (api 1003 · HTTP 400)'],
      [`${FAMILY.orders.slave}Redis VPC · orders`, 'Not a master server (api 1006 · HTTP 400)'],
      [`${FAMILY.carts.master}Redis VPC`, 'Flushed'],
    ]);
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('listing errors: a bad region code is refused before sending; a wrong secret shows the 401 and its hint; no gateway; Cancel', async () => {
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${gateway.url}/`);
    await fillForm(s.page, { accessKey: AK, secretKey: SK, platform: 'cache' });
    for (const [typed, message] of [['kr', 'Region codes are upper case: KR.'], ['K R', 'Letters, digits and “-” only: remove a space.'], ['', 'Enter the region code, e.g. KR.']]) {
      await fillForm(s.page, { regionCode: typed });
      await s.page.click('#list');
      assert.equal(await s.page.textContent('#region-code-error'), message);
      assert.equal(await s.page.getAttribute('#region-code', 'aria-invalid'), 'true');
      assert.equal(await s.page.evaluate(() => document.activeElement.id), 'region-code');
    }
    assert.deepEqual(s.apiRequests(), []);
    assert.match(await s.page.textContent('#preview'), /Complete the form .*region code, master server number/);

    await fillForm(s.page, { regionCode: 'KR', secretKey: 'SK-not-the-right-one' });
    await listInstances(s.page);
    const error = await readError(s.page, '#instances');
    assert.deepEqual([error.role, error.kind, error.code, error.title, error.facts['HTTP status']], ['alert', 'gateway', '200', 'Authentication failed', '401']);
    assert.match(error.hint, /Check the access key and the secret key/);
    assert.match(error.clock, /agree/);
    assert.equal(await s.page.textContent('#list-status'), 'Listing failed: Authentication failed.');
    assert.deepEqual(await readInstances(s.page), []);

    await fillForm(s.page, { secretKey: SK });
    await listInstances(s.page);
    assert.equal(await readError(s.page, '#instances'), null);
    assert.deepEqual((await readInstances(s.page)).map((i) => i.name), ['sessions']);

    const closed = `http://127.0.0.1:${await freePort()}`;
    await fillForm(s.page, { endpoint: 'custom', customUrl: closed });
    assert.match(await s.page.textContent('#instances .stale'), /another endpoint/);
    await listInstances(s.page);
    const network = await readError(s.page, '#instances');
    assert.deepEqual([network.kind, network.title], ['network', 'Could not reach the gateway']);
    assert.ok(network.hint.startsWith(`Is the gateway running at ${closed}?`), network.hint);

    // A gateway that never answers: Cancel ends the listing, and the focus stays on List instances.
    const waiting = [];
    const hang = createServer((req, res) => {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, POST', 'access-control-allow-headers': '*' });
        res.end();
      } else {
        waiting.push(res);
      }
    });
    await new Promise((r) => hang.listen(0, '127.0.0.1', r));
    try {
      await fillForm(s.page, { customUrl: `http://127.0.0.1:${hang.address().port}` });
      await s.page.focus('#list');
      await s.page.keyboard.press('Enter');
      await s.page.waitForSelector('#list-cancel:not([hidden])');
      assert.equal(await s.page.getAttribute('#list', 'aria-disabled'), 'true');
      assert.equal(await s.page.textContent('#list-status'), 'Listing Cloud DB for Cache instances in KR…');
      assert.equal(await s.page.evaluate(() => document.activeElement.id), 'list');
      await s.page.keyboard.press('Enter'); // a second listing is not started
      await s.page.click('#list-cancel');
      await s.page.waitForSelector('#instances .alert.failure[data-kind="cancelled"]');
      const cancelled = await readError(s.page, '#instances');
      assert.equal(cancelled.hint, 'A listing changes nothing: list again when you are ready.');
      assert.equal(await s.page.getAttribute('#list', 'aria-disabled'), null);
      assert.equal(waiting.length, 1);
    } finally {
      for (const res of waiting) res.destroy();
      hang.closeAllConnections();
      await new Promise((r) => hang.close(r));
    }
    assert.deepEqual(await readHistory(s.page), [], 'a listing is not a flush');
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('by keyboard: choose the platform, list, arrow through the instances, Enter, type the name, Enter flushes', async () => {
  await seed();
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${gateway.url}/`);
    await fillForm(s.page, { accessKey: AK, secretKey: SK });
    const focused = () => s.page.evaluate(() => {
      const el = document.activeElement;
      const shown = el.closest('.segmented') ? el.nextElementSibling : el;
      const style = getComputedStyle(shown);
      return { id: el.id || `${el.name}=${el.value}`, outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
    });
    await s.page.focus('#reveal');
    await s.page.keyboard.press('Tab');
    assert.deepEqual(await focused(), { id: 'platform=classic', outline: true });
    await s.page.keyboard.press('ArrowRight');
    assert.deepEqual(await focused(), { id: 'platform=vpc', outline: true });
    await s.page.keyboard.press('Tab');
    assert.deepEqual(await focused(), { id: 'region-code', outline: true });
    await s.page.keyboard.press('Tab');
    assert.deepEqual(await focused(), { id: 'list', outline: true });
    await s.page.keyboard.press('Enter');
    await s.page.waitForSelector('#instances .pick');
    assert.equal(await s.page.getAttribute('#list-status', 'role'), 'status');

    // The instances are one radio group, named and described for a screen reader.
    await s.page.keyboard.press('Tab');
    assert.deepEqual(await focused(), { id: `pick=${FAMILY.orders.no}`, outline: true });
    const radio = await s.page.evaluate(() => {
      const el = document.activeElement;
      return {
        name: el.getAttribute('aria-label'),
        description: el.getAttribute('aria-describedby').split(' ').map((id) => document.getElementById(id).textContent).join(' '),
        group: el.closest('fieldset').querySelector('legend').textContent,
      };
    });
    assert.deepEqual(radio, {
      name: `orders, instance ${FAMILY.orders.no}`,
      description: radio.description,
      group: 'Redis VPC instances in KR (2)',
    });
    assert.match(radio.description, /^Redis \d+\.\d+\.\d+ · HA · 2 servers orders-001 11034561 Master the flush names this one, orders-002 11034562 Slave$/);
    await s.page.keyboard.press('ArrowDown');
    assert.deepEqual(await focused(), { id: `pick=${FAMILY.carts.no}`, outline: true });
    assert.equal(await s.page.inputValue('#instance-no'), FAMILY.carts.master);
    await s.page.keyboard.press('Tab'); // the listing's raw answer, one Tab away
    assert.equal(await s.page.evaluate(() => document.activeElement.matches('#instances details.raw summary')), true);
    await s.page.keyboard.press('Tab');
    assert.equal((await focused()).id, 'instance-no');

    await s.page.keyboard.press('Enter');
    assert.equal(await s.page.evaluate(() => document.querySelector('#confirm').open && document.activeElement.id), 'confirm-input');
    await s.page.keyboard.type('carts');
    await s.page.keyboard.press('Enter');
    await s.page.waitForSelector('#outcome .alert.success');
    assert.deepEqual(await counts(), emptied('carts'));
    assert.equal(await s.page.evaluate(() => document.activeElement.matches('#outcome h2')), true);
    await assertClean(s);
  } finally {
    await s.close();
  }
});

test('NAVER Cloud through the gateway: the VPC listing and flush go to this origin, which forwards /vredis/ upstream', async () => {
  await seed();
  const forwarder = await startGateway({ extra: `www_dir = ${JSON.stringify(WWW)}\npkg_dir = ${JSON.stringify(PKG)}` }, ['--upstream', gateway.url, '--allow-http-upstream']);
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${forwarder.url}/`);
    await fillForm(s.page, { endpoint: 'public', accessKey: AK, secretKey: SK, platform: 'vpc' });
    await listInstances(s.page);
    assert.deepEqual((await readInstances(s.page)).map((i) => i.name), ['orders', 'carts']);
    await pickInstance(s.page, FAMILY.orders.no);
    await s.page.click('#flush');
    assert.match(await s.page.textContent('#confirm-base'), /forwarded to https:\/\/ncloud\.apigw\.ntruss\.com if the gateway runs with that --upstream/);
    await s.page.fill('#confirm-input', 'orders');
    await s.page.click('#confirm-flush');
    await s.page.waitForSelector('#outcome .alert.success');
    assert.deepEqual(await counts(), emptied('orders'));
    assert.deepEqual(forwarder.logs.filter((l) => API.test(l.path)).map((l) => [l.path, l.outcome]), [
      ['/vredis/v2/getCloudRedisInstanceList', 'forwarded: 200'],
      ['/vredis/v2/flushAllCloudRedisServerInstance', 'forwarded: 200'],
    ]);
    assert.deepEqual(s.apiRequests().map((r) => new URL(r.url()).origin), [forwarder.url, forwarder.url]);
    await assertClean(s);
  } finally {
    await s.close();
    await forwarder.stop();
  }
});

test('a phone-sized screen (375 px): the instance list and a VPC result fit, no sideways scrolling', async () => {
  await seed();
  const s = await openPage(browser, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  try {
    await openConsole(s.page, `${gateway.url}/`);
    await fillForm(s.page, { accessKey: AK, secretKey: SK, platform: 'vpc' });
    await listInstances(s.page);
    await pickInstance(s.page, FAMILY.orders.no);
    const widths = () => s.page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      widest: Math.max(...[...document.querySelectorAll('.panel, .pick, pre, table, button, input:not([type=radio])')].map((e) => e.getBoundingClientRect().right)),
    }));
    let layout = await widths();
    assert.ok(layout.scrollWidth <= 375, `the page scrolls sideways: ${layout.scrollWidth}px`);
    assert.ok(layout.widest <= 375, `something ends at ${layout.widest}px`);
    await s.page.click('#flush');
    await s.page.fill('#confirm-input', 'orders');
    const dialog = await s.page.evaluate(() => document.querySelector('#confirm').getBoundingClientRect().right);
    assert.ok(dialog <= 375, `the dialog ends at ${dialog}px`);
    await s.page.click('#confirm-flush');
    await s.page.waitForSelector('#outcome .alert.success');
    assert.deepEqual(await counts(), emptied('orders'));
    layout = await widths();
    assert.ok(layout.scrollWidth <= 375, `the page scrolls sideways: ${layout.scrollWidth}px`);
    const frames = await s.page.$$eval('.table-scroll', (els) => els.map((e) => e.getBoundingClientRect().right));
    for (const right of frames) assert.ok(right <= 375, `a table frame ends at ${right}px`);
    await assertClean(s);
  } finally {
    await s.close();
  }
});
