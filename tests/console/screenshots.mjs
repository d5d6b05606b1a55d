// Writes the console's screenshots to docs/: the form with its preview, the 401 error, the
// confirmation dialog, the result, the Redis VPC instance list, the confirmation of an HA instance,
// and a phone-sized screen. Real Redis, the real gateway, Debian's Chromium; nothing leaves loopback.
//   node tests/console/screenshots.mjs
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launch } from '../support/chromium.mjs';
import { fill } from '../support/redis.mjs';
import {
  A, AK, FAMILY, ROOT, SK, fillForm, listInstances, openConsole, openPage, startStack, waitOutcome,
} from './harness.mjs';

const docs = join(ROOT, 'docs');
mkdirSync(docs, { recursive: true });
const shot = (name) => join(docs, `console-${name}.png`);

const stack = await startStack({ family: true });
const browser = await launch();
try {
  await fill(stack.redisA.port, 1200, 'session');
  await fill(stack.redisB.port, 300, 'cart');
  const url = `${stack.gateway.url}/`;

  const desk = await openPage(browser, { viewport: { width: 1280, height: 1000 } });
  await openConsole(desk.page, url);
  await fillForm(desk.page, { accessKey: AK, secretKey: SK, instanceNo: A });
  await desk.page.click('.sts summary');
  await desk.page.evaluate(() => window.scrollTo(0, 0));
  await desk.page.screenshot({ path: shot('preview') });

  await fillForm(desk.page, { secretKey: 'a-secret-typed-wrong' });
  await desk.page.click('#flush');
  await desk.page.fill('#confirm-input', A);
  await desk.page.click('#confirm-flush');
  await waitOutcome(desk.page);
  await desk.page.evaluate(() => window.scrollTo(0, 0));
  await desk.page.screenshot({ path: shot('error-401') });

  await fillForm(desk.page, { secretKey: SK });
  await desk.page.click('#flush');
  await desk.page.fill('#confirm-input', A);
  await desk.page.screenshot({ path: shot('confirm') });
  await desk.page.click('#confirm-flush');
  await desk.page.waitForSelector('#outcome .alert.success');
  await desk.page.evaluate(() => window.scrollTo(0, 0));
  await desk.page.screenshot({ path: shot('result') });
  await desk.close();

  // Redis VPC: the instances of KR, orders (HA) picked; then its confirmation.
  await fill(stack.redis.orders.port, 800, 'order');
  const vpc = await openPage(browser, { viewport: { width: 1280, height: 1000 } });
  await openConsole(vpc.page, url);
  await fillForm(vpc.page, { accessKey: AK, secretKey: SK, platform: 'vpc' });
  await listInstances(vpc.page);
  await vpc.page.click(`#instances .pick[data-instance="${FAMILY.orders.no}"]`);
  await vpc.page.locator('section:has(> #request-title)').screenshot({ path: shot('instances') });
  await vpc.page.click('#flush');
  await vpc.page.fill('#confirm-input', 'orders');
  await vpc.page.screenshot({ path: shot('confirm-ha') });
  await vpc.close();

  await fill(stack.redisA.port, 50, 'session');
  const phone = await openPage(browser, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  await openConsole(phone.page, url);
  await fillForm(phone.page, { accessKey: AK, secretKey: SK, instanceNo: A });
  await phone.page.click('#flush');
  await phone.page.fill('#confirm-input', A);
  await phone.page.click('#confirm-flush');
  await phone.page.waitForSelector('#outcome .alert.success');
  await phone.page.evaluate(() => document.querySelector('#outcome').scrollIntoView());
  await phone.page.screenshot({ path: shot('phone') });
  await phone.close();
  for (const name of ['preview', 'error-401', 'confirm', 'result', 'instances', 'confirm-ha', 'phone']) console.log(shot(name));
} finally {
  await browser.close();
  await stack.stop();
}
