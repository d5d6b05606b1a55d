// The console wipes the signing module's key state (issue 14): the module keeps the HMAC
// midstates of the key in use, and the console calls forgetSigningKeys() when the secret field is
// cleared and when the page is hidden. Checked by scanning the module's memory, in the page, for
// the midstates of the secret typed (tests/support/memory-scan.mjs computes them independently).
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from '../support/chromium.mjs';
import { midstates } from '../support/memory-scan.mjs';
import { A, AK, SK, fillForm, openConsole, openPage, readPreview, startStack } from './harness.mjs';

let stack;
let browser;

before(async () => {
  stack = await startStack();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** How many times each of the secret's midstates is in the module's memory. */
function held(page, secret) {
  return page.evaluate(async (forms) => {
    // The same module instance the console uses (one URL, one module).
    const raw = await import('./pkg/ncloud_redis_flush.js');
    const memory = new Uint8Array(raw.__memory().buffer);
    return forms.map((form) => {
      let count = 0;
      for (let i = memory.indexOf(form[0]); i !== -1; i = memory.indexOf(form[0], i + 1)) {
        let j = 1;
        while (j < form.length && memory[i + j] === form[j]) j++;
        if (j === form.length) count++;
      }
      return count;
    });
  }, midstates(secret).map((m) => Array.from(m)));
}

test('the key state is wiped when the secret is cleared and when the page is hidden', async () => {
  const s = await openPage(browser);
  try {
    await openConsole(s.page, `${stack.gateway.url}/`);
    await fillForm(s.page, { accessKey: AK, secretKey: SK, instanceNo: A });
    assert.ok((await readPreview(s.page)).headers['x-ncp-apigw-signature-v2'], 'the preview is signed');
    assert.deepEqual(await held(s.page, SK), [1, 1], 'the key in use is kept, once');

    await s.page.fill('#secret-key', '');
    assert.deepEqual(await held(s.page, SK), [0, 0], 'cleared with the secret field');

    await s.page.fill('#secret-key', SK);
    assert.deepEqual(await held(s.page, SK), [1, 1], 'prepared again for the next preview');
    // The page hidden (another tab, a locked screen): what the browser reports and fires.
    await s.page.evaluate(() => {
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    assert.deepEqual(await held(s.page, SK), [0, 0], 'wiped when the page is hidden');
    assert.deepEqual(s.errors(), []);
  } finally {
    await s.close();
  }
});
