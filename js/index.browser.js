// Browser and bundler entry: fetches and instantiates the WebAssembly module next to this file
// (bundlers see `new URL(..., import.meta.url)` and emit the .wasm as an asset), so the exports
// are ready as soon as the import resolves. Hosts that load the module themselves use
// `ncloud-redis-flush/init`, which exports `init` and `initSync`.
import init from './ncloud_redis_flush.js';

await init({ module_or_path: new URL('./ncloud_redis_flush_bg.wasm', import.meta.url) });

export { signRequest, buildFlushRequest, buildListRequest, parseFlushResponse, parseListResponse, forgetSigningKeys } from './api.js';
