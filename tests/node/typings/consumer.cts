// The CommonJS typings: `require('ncloud-redis-flush')` under TypeScript's node16 resolution.
import lib = require('ncloud-redis-flush');

const r: lib.FlushHttpRequest = lib.buildFlushRequest({ cloudDBInstanceNo: '1', timestamp: 1, accessKey: 'a', secretKey: 'b' });
const s: string = lib.signRequest({ method: 'GET', url: '/', timestamp: 1, accessKey: 'a', secretKey: 'b' }).signature;
const n: number = lib.parseFlushResponse('{}').totalRows;
export = { r, s, n };
