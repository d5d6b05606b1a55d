// Assembles the npm package in pkg/ from wasm-bindgen's `--target web` output (in the folder
// given as the first argument) and the hand-written files in js/.
//
//   pkg/ncloud_redis_flush.js        ES module glue (wasm-bindgen's), with `init`/`initSync`
//   pkg/ncloud_redis_flush.cjs       the same glue as CommonJS, loading the .wasm synchronously
//   pkg/api.js, pkg/index.cjs        the public functions (js/api.js) over the glue, ESM and CJS
//   pkg/init.js                      export "./init": the public functions plus init/initSync
//   pkg/index.node.mjs               Node ESM entry (sync init from the file)
//   pkg/index.browser.js             browser / bundler entry (top-level await init)
//   pkg/index.d.ts, index.d.cts      types of the entries (no init functions, no `any`)
//   pkg/ncloud_redis_flush_bg.wasm   written by the build script (wasm-opt output)
//   pkg/cli.mjs                      the command-line client (bin `ncloud-redis-flush`)
import { readFileSync, writeFileSync, copyFileSync, mkdirSync, chmodSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bindgen = process.argv[2];
const out = join(root, 'pkg');
const name = 'ncloud_redis_flush';
mkdirSync(out, { recursive: true });

const fail = (msg) => {
  console.error(`build-package: ${msg}`);
  process.exit(1);
};

// ---- ES module glue, as wasm-bindgen wrote it.
const glue = readFileSync(join(bindgen, `${name}.js`), 'utf8');
writeFileSync(join(out, `${name}.js`), glue);

// ---- CommonJS glue: the same code with its `export` keywords turned into `module.exports`.
const exported = [...glue.matchAll(/^export (?:function|class) (\w+)/gm)].map((m) => m[1]);
for (const fn of ['signRequest', 'buildFlushRequest', 'buildListRequest', 'parseFlushResponse', 'parseListResponse']) {
  if (!exported.includes(fn)) fail(`the glue does not export ${fn}`);
}
const tail = 'export { initSync, __wbg_init as default };';
if (!glue.includes(tail)) fail('unexpected end of the wasm-bindgen glue (was wasm-bindgen updated?)');
let cjs = glue
  .replace(/^export (function|class) /gm, '$1 ')
  .replace(tail, '')
  .replaceAll('import.meta.url', "require('node:url').pathToFileURL(__filename)");
if (/^\s*(import|export)\b/m.test(cjs)) fail('ES module syntax left in the CommonJS glue');
cjs = `'use strict';\n${cjs}
initSync({ module: require('node:fs').readFileSync(require('node:path').join(__dirname, '${name}_bg.wasm')) });
module.exports = { ${exported.join(', ')} };
`;
writeFileSync(join(out, `${name}.cjs`), cjs);

// ---- The public functions (js/api.js) as an ES module and as CommonJS.
const api = readFileSync(join(root, 'js/api.js'), 'utf8');
if (/^\s*(import|export)\b/m.test(api)) fail('js/api.js must not use import/export statements');
const publicNames = ['signRequest', 'buildFlushRequest', 'buildListRequest', 'parseFlushResponse', 'parseListResponse'];
writeFileSync(join(out, 'api.js'), `import * as raw from './${name}.js';\n${api}\nexport { ${publicNames.join(', ')} };\n`);
writeFileSync(join(out, 'index.cjs'), `'use strict';\nconst raw = require('./${name}.cjs');\n${api}\nmodule.exports = { ${publicNames.join(', ')} };\n`);
writeFileSync(join(out, 'init.js'), `// For hosts that load the WebAssembly themselves: call init() or initSync() first.\nexport { default, initSync } from './${name}.js';\nexport * from './api.js';\n`);

// ---- Entries.
copyFileSync(join(root, 'js/index.node.mjs'), join(out, 'index.node.mjs'));
copyFileSync(join(root, 'js/index.browser.js'), join(out, 'index.browser.js'));
copyFileSync(join(root, 'js/cli.mjs'), join(out, 'cli.mjs'));
chmodSync(join(out, 'cli.mjs'), 0o755);

// ---- Types. The glue's .d.ts holds our interfaces, the three functions and the init API; the
// entries export the first two only. Raw wasm exports are typed `unknown`, not `any`.
let dts = readFileSync(join(bindgen, `${name}.d.ts`), 'utf8').replace(/: any\b/g, ': unknown');
writeFileSync(join(out, `${name}.d.ts`), dts);
const initAt = dts.indexOf('export type InitInput');
if (initAt < 0) fail('no init section in the glue types');
const entryTypes = dts.slice(0, initAt).replace(/^\/\* @ts-self-types=.*\n/m, '');
writeFileSync(join(out, 'index.d.ts'), entryTypes);
writeFileSync(join(out, 'index.d.cts'), entryTypes);

// ---- package.json, version from Cargo.toml.
const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const version = /^version\s*=\s*"([^"]+)"/m.exec(cargo)?.[1] ?? fail('no version in Cargo.toml');
const description = /^description\s*=\s*"([^"]+)"/m.exec(cargo)?.[1] ?? '';
const pkg = {
  name: 'ncloud-redis-flush',
  version,
  description,
  license: 'MIT OR Apache-2.0',
  type: 'module',
  main: './index.cjs',
  module: './index.browser.js',
  types: './index.d.ts',
  bin: { 'ncloud-redis-flush': './cli.mjs' },
  exports: {
    '.': {
      node: {
        import: { types: './index.d.ts', default: './index.node.mjs' },
        require: { types: './index.d.cts', default: './index.cjs' },
      },
      browser: { types: './index.d.ts', default: './index.browser.js' },
      import: { types: './index.d.ts', default: './index.browser.js' },
      default: { types: './index.d.cts', default: './index.cjs' },
    },
    './init': { types: `./${name}.d.ts`, default: './init.js' },
    './wasm': `./${name}_bg.wasm`,
    './package.json': './package.json',
  },
  files: [
    `${name}_bg.wasm`, `${name}.js`, `${name}.cjs`, `${name}.d.ts`, 'api.js', 'index.cjs', 'init.js',
    'index.node.mjs', 'index.browser.js', 'index.d.ts', 'index.d.cts', 'cli.mjs', 'README.md',
  ],
  sideEffects: ['./index.node.mjs', './index.browser.js', './index.cjs', `./${name}.cjs`],
  engines: { node: '>=18' },
  keywords: ['naver-cloud', 'ncloud', 'redis', 'flush', 'hmac', 'signature', 'wasm'],
};
writeFileSync(join(out, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
copyFileSync(join(root, 'README.md'), join(out, 'README.md'));
console.log(`pkg/: ncloud-redis-flush@${version}, exports ${exported.join(', ')}`);
