// js/cli/requests.mjs imports ../index.node.mjs: the Node entry the build writes into pkg/ (from
// js/api.js and the wasm-bindgen glue). Its types are the package's.
export * from '../../../pkg/index.js';
