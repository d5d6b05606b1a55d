// The package in a browser, as users load it: from a <script type="module"> with an import map,
// and bundled by Vite. Both run in Debian's Chromium and must sign and parse like node:crypto.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHmac } from 'node:crypto';
import { launch, watchErrors } from '../support/chromium.mjs';
import { serveStatic } from '../support/static-server.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vectors = JSON.parse(readFileSync(join(root, 'tests/vectors/signature-vectors.json'), 'utf8')).vectors;

/** A fresh folder with the packed package installed, the page and its data. */
function project() {
  const dir = mkdtempSync(join(tmpdir(), 'ncloud-browser-'));
  execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: join(root, 'pkg') });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'browser-test', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', `./${tarball}`], { cwd: dir });
  copyFileSync(join(root, 'tests/browser/page.js'), join(dir, 'page.js'));
  mkdirSync(join(dir, 'public'));
  copyFileSync(join(root, 'tests/vectors/signature-vectors.json'), join(dir, 'public/vectors.json'));
  copyFileSync(join(root, 'tests/fixtures/flush-response.xml'), join(dir, 'public/flush-response.xml'));
  return dir;
}

async function resultsOf(url) {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await page.goto(url);
    await page.waitForFunction(() => window.__results !== undefined, null, { timeout: 30_000 });
    const results = await page.evaluate(() => window.__results);
    assert.deepEqual(errors, []);
    return results;
  } finally {
    await browser.close();
  }
}

function check(results) {
  assert.equal(results.failure, undefined, results.failure);
  assert.deepEqual(results.signatures, vectors.map((v) => v.signature));
  const sts = 'POST /clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=882689&responseFormatType=json\n1546221796556\nAK';
  assert.equal(results.flush.headers['x-ncp-apigw-signature-v2'], createHmac('sha256', 'SK').update(sts).digest('base64'));
  assert.equal(results.parsed.cloudDBInstanceList[0].memorySize, 3221225472);
  assert.equal(results.parsed.requestId, '3c1d7d0a-5b8e-4b4e-9f55-2f0d6c3c1a11');
  assert.deepEqual(results.error, { isError: true, kind: 'input', code: 'ERR_INVALID_ARG_VALUE', field: 'timestamp' });
}

test('<script type="module"> with an import map', async () => {
  const dir = project();
  try {
    for (const f of readdirSync(join(dir, 'public'))) copyFileSync(join(dir, 'public', f), join(dir, f));
    writeFileSync(join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>module</title>
<script type="importmap">{"imports":{"ncloud-redis-flush":"/node_modules/ncloud-redis-flush/index.browser.js"}}</script>
<script type="module" src="/page.js"></script>`);
    const server = await serveStatic(dir);
    try {
      check(await resultsOf(`${server.url}/index.html`));
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bundled by Vite', async () => {
  const dir = project();
  try {
    writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>vite</title><script type="module" src="/page.js"></script>');
    execFileSync(join(root, 'node_modules/.bin/vite'), ['build', '--logLevel', 'error', '--outDir', 'dist'], {
      cwd: dir,
      env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
    });
    const assets = readdirSync(join(dir, 'dist/assets'));
    assert.ok(assets.some((f) => f.endsWith('.wasm')), `Vite emitted no .wasm: ${assets}`);
    const server = await serveStatic(join(dir, 'dist'));
    try {
      check(await resultsOf(`${server.url}/index.html`));
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the key leaves no trace in the module\'s memory (issue 14): key A gone after key B, B after forgetSigningKeys()', async () => {
  const dir = project();
  try {
    copyFileSync(join(root, 'tests/support/memory-scan.mjs'), join(dir, 'memory-scan.mjs'));
    writeFileSync(join(dir, 'index.html'), `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>memory</title>
<script type="importmap">{"imports":{"ncloud-redis-flush/init":"/node_modules/ncloud-redis-flush/init.js"}}</script>
<script type="module">
import init, * as api from 'ncloud-redis-flush/init';
import { scanForKeys } from '/memory-scan.mjs';
try {
  const wasm = await init({ module_or_path: '/node_modules/ncloud-redis-flush/ncloud_redis_flush_bg.wasm' });
  window.__results = scanForKeys(api, wasm.memory);
} catch (e) {
  window.__results = { failure: String(e && e.stack || e) };
}
</script>`);
    const server = await serveStatic(dir);
    try {
      const results = await resultsOf(`${server.url}/index.html`);
      assert.equal(results.failure, undefined, results.failure);
      assert.equal(results.checked, 30);
      assert.deepEqual(results.findings, []);
      assert.equal(results.marker, 1, 'the scan finds a marker written into the memory');
      assert.equal(results.kept, 10, 'the midstates of the key in use are found, once each, after the signRequest cases');
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
