// Cloudflare Workers (workerd) entry, chosen by the `workerd` export condition that wrangler
// sets. Workers refuse to compile WebAssembly from bytes at run time, so the .wasm is imported
// as a module: wrangler (esbuild) and workerd's own module configuration both turn
// `import … from '….wasm'` into a compiled `WebAssembly.Module`, which `initSync` instantiates.
// The exports are ready as soon as the import resolves, as with the other entries.
import { initSync } from './ncloud_redis_flush.js';
import module from './ncloud_redis_flush_bg.wasm';

initSync({ module });

export { signRequest, buildFlushRequest, buildListRequest, parseFlushResponse, parseListResponse } from './api.js';
