// js/api.js calls the wasm-bindgen glue through `raw`, a binding the build gives it
// (js/build-package.mjs: `import * as raw from './ncloud_redis_flush.js'`, or a require): its
// functions as the glue's JSDoc types them, the public ones as the package's types say.
type Types = typeof import('../../../pkg/index.js');

declare const raw: {
  signRequest(options: unknown): ReturnType<Types['signRequest']>;
  buildFlushRequest(options: unknown): ReturnType<Types['buildFlushRequest']>;
  buildListRequest(options: unknown): ReturnType<Types['buildListRequest']>;
  parseFlushResponse(body: unknown, options: unknown): unknown;
  parseListResponse(body: unknown, options: unknown): unknown;
  forgetSigningKeys(): void;
  __memory(): WebAssembly.Memory;
  __signScratch(capacity: number): number;
  __signMeta(): number;
  __signError(): Error;
  __sign(written: number, url: number, method: number, accessKey: number, secretKey: number, apiKey: number, signatureVersion: number, timestampLength: number, timestamp: number): number;
  __headerNames(): string;
  __bodyBuffer(capacity: number): number;
  __parseFast(body: Uint8Array, format: number, status: number, answer: number): string;
  __parseBuffered(length: number, format: number, status: number, answer: number): string;
  __unreadable(field: string): Error;
  __reinstantiate(): void;
};

// What js/api.js uses of WebAssembly's JavaScript API: TypeScript declares it with the DOM's
// types only, and js/ is checked without them (it runs in Node and workerd as well).
declare namespace WebAssembly {
  interface Memory { readonly buffer: ArrayBuffer }
  class RuntimeError extends Error {}
}
