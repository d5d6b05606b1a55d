// Node.js ES module entry: loads the WebAssembly module synchronously from the package folder,
// so `import { signRequest } from 'ncloud-redis-flush'` needs no init call.
import { readFileSync } from 'node:fs';
import { initSync } from './ncloud_redis_flush.js';

initSync({ module: readFileSync(new URL('./ncloud_redis_flush_bg.wasm', import.meta.url)) });

export { signRequest, buildFlushRequest, buildListRequest, parseFlushResponse, parseListResponse } from './api.js';
