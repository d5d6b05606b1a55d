// A/B of signRequest between built packages, in one process: `node bench/ab.mjs DIR_A DIR_B …`
// (each a pkg/ folder: copy pkg/ aside before a change, build, compare). Every package and
// node:crypto's createHmac run in alternating rounds (the order reversed every other round);
// medians and 10th percentiles of the rounds, each relative to DIR_A. The machine is shared and
// noisy: trust a difference only when the medians and the p10s agree, over two runs.
//   N=2000 ROUNDS=101 CASE=flush|url CPU=1 (process CPU time instead of wall time)
import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { timeLoop as wallLoop, median } from './lib.mjs';

/** @param {(i: number) => unknown} fn @param {number} n */
const cpuLoop = (fn, n) => {
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) fn(i);
  const used = process.cpuUsage(start);
  return ((used.user + used.system) * 1000) / n;
};
const timeLoop = process.env.CPU ? cpuLoop : wallLoop;
const p10 = (/** @type {number[]} */ xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 10)];

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: node bench/ab.mjs DIR_A [DIR_B …]');
  process.exit(2);
}
const packages = [];
for (const dir of dirs) packages.push(await import(pathToFileURL(resolve(dir, 'index.node.mjs')).href));

const accessKey = 'ncp_iam_BPAMKR1ABCDEFGHIJKLM';
const secretKey = 'ncp_iam_BPKMKR0123456789abcdefghijklmnopqrstuvwx';
const timestamp = 1764380000123;
const flush = packages[0].buildFlushRequest({ cloudDBInstanceNo: '882689', timestamp, accessKey, secretKey });
const cases = {
  flush: { method: flush.method, url: flush.url, timestamp, accessKey, secretKey },
  url: {
    method: 'GET',
    url: 'https://ncloud.apigw.ntruss.com/clouddb/v2/getCloudDBInstanceList?dbKindCode=REDIS&cloudDBServiceName=주문 캐시&memo=a b',
    timestamp, accessKey, secretKey,
  },
};
const n = Number(process.env.N || 2000);
const rounds = Number(process.env.ROUNDS || 101);
for (const [name, options] of Object.entries(cases)) {
  if (process.env.CASE && process.env.CASE !== name) continue;
  const expected = JSON.stringify(packages[0].signRequest(options));
  const { stringToSign } = packages[0].signRequest(options);
  /** @type {Record<string, () => unknown>} */
  const fns = { 'node:crypto': () => createHmac('sha256', secretKey).update(stringToSign).digest('base64') };
  packages.forEach((p, i) => {
    if (JSON.stringify(p.signRequest(options)) !== expected) throw new Error(`${dirs[i]} signs differently`);
    fns[dirs[i]] = () => p.signRequest(options);
  });
  const names = Object.keys(fns);
  /** @type {Record<string, number[]>} */
  const times = Object.fromEntries(names.map((k) => [k, []]));
  for (let w = 0; w < 3; w++) for (const k of names) timeLoop(fns[k], n);
  for (let r = 0; r < rounds; r++) for (const k of r % 2 ? [...names].reverse() : names) times[k].push(timeLoop(fns[k], n));
  const a = dirs[0];
  console.log(`-- ${name} (${rounds} rounds of ${n}${process.env.CPU ? ', CPU time' : ''})`);
  for (const k of names) {
    const m = median(times[k]);
    console.log(
      `${k.padEnd(28)} ${m.toFixed(0).padStart(6)} ns  ${(m / median(times['node:crypto'])).toFixed(3)}x node:crypto  ` +
        `${(m / median(times[a])).toFixed(3)}x A  p10 ${p10(times[k]).toFixed(0)} ns ${(p10(times[k]) / p10(times[a])).toFixed(3)}x A`,
    );
  }
}
