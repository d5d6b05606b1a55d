// Quick: signing and seed parsing ratios only (for trying build settings).
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { signRequest, buildFlushRequest, parseFlushResponse } from '../pkg/index.node.mjs';
import { compare } from './lib.mjs';
const accessKey = 'ncp_iam_BPAMKR1ABCDEFGHIJKLM';
const secretKey = 'ncp_iam_BPKMKR0123456789abcdefghijklmnopqrstuvwx';
const timestamp = 1764380000123;
const flush = buildFlushRequest({ cloudDBInstanceNo: '882689', timestamp, accessKey, secretKey });
const o = { method: flush.method, url: flush.url, timestamp, accessKey, secretKey };
const { stringToSign } = signRequest(o);
const r1 = compare(() => signRequest(o), () => createHmac('sha256', secretKey).update(stringToSign).digest('base64'), { n: 20000, rounds: 9 });
const u = { method: 'GET', url: 'https://ncloud.apigw.ntruss.com/clouddb/v2/getCloudDBInstanceList?dbKindCode=REDIS&cloudDBServiceName=주문 캐시&memo=a b', timestamp, accessKey, secretKey };
const uSts = signRequest(u).stringToSign;
const r3 = compare(() => signRequest(u), () => createHmac('sha256', secretKey).update(uSts).digest('base64'), { n: 20000, rounds: 9 });
const seed = readFileSync(new URL('../tests/fixtures/flush-response.json', import.meta.url), 'utf8');
const r2 = compare(() => parseFlushResponse(seed), () => JSON.parse(seed), { n: 5000, rounds: 9 });
console.log(`sign ${r1.ratio.toFixed(2)} (${r1.candidate.toFixed(0)} ns)  sign, URL to serialize ${r3.ratio.toFixed(2)} (${r3.candidate.toFixed(0)} ns)  parse ${r2.ratio.toFixed(2)} (${r2.candidate.toFixed(0)} ns)`);
