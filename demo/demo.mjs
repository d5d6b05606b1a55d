// Until the local gateway exists: sign a fetch-ready flush request and parse the seed's answer,
// through the built package.
import { readFileSync } from 'node:fs';
import { signRequest, buildFlushRequest, parseFlushResponse } from '../pkg/index.node.mjs';

const accessKey = 'demo-access-key';
const secretKey = 'demo-secret-key';
const request = buildFlushRequest({ cloudDBInstanceNo: '882689', timestamp: Date.now(), accessKey, secretKey });
console.log('A signed, fetch-ready flush request (fetch(r.url, r)):');
console.log(request);
const { stringToSign } = signRequest({ method: request.method, url: request.url, timestamp: request.headers['x-ncp-apigw-timestamp'], accessKey, secretKey });
console.log('\nIts string to sign:\n' + stringToSign);
const answer = parseFlushResponse(readFileSync(new URL('../tests/fixtures/flush-response.json', import.meta.url), 'utf8'));
console.log('\nThe API page\'s example answer, parsed:');
console.dir(answer, { depth: 4 });
