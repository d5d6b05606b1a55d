// Assembles the npm package in pkg/ from wasm-bindgen's `--target web` output (in the folder
// given as the first argument) and the hand-written files in js/.
//
//   pkg/ncloud_redis_flush.js        ES module glue (wasm-bindgen's), with `init`/`initSync`
//   pkg/ncloud_redis_flush.cjs       the same glue as CommonJS, loading the .wasm synchronously
//   pkg/api.js, pkg/index.cjs        the public functions (js/api.js) over the glue, ESM and CJS
//   pkg/init.js                      export "./init": the public functions plus init/initSync
//   pkg/index.node.mjs               Node ESM entry: the public functions, sync init from the file
//   pkg/index.browser.js             browser / bundler entry (top-level await init)
//   pkg/index.workerd.js             Cloudflare Workers entry (the .wasm imported as a module)
//   pkg/index.d.ts, index.d.cts      types of the entries (no init functions, no `any`)
//   pkg/ncloud_redis_flush_bg.wasm   written by the build script (wasm-opt output)
//   pkg/cli.mjs, pkg/cli/*.mjs       the command-line client (bin `ncloud-redis-flush`): the entry,
//                                    and its stages (js/cli/: arguments, credentials, requests,
//                                    confirmation, output)
//   pkg/domain.js, domain.d.ts       export "./domain": what the CLI and the web console share
//                                    (js/domain.js: no DOM, no I/O), its types from its JSDoc
import { readFileSync, readdirSync, writeFileSync, copyFileSync, mkdirSync, chmodSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bindgen = process.argv[2];
const out = join(root, 'pkg');
const name = 'ncloud_redis_flush';
mkdirSync(out, { recursive: true });

/** @param {string} msg @returns {never} */
const fail = (msg) => {
  console.error(`build-package: ${msg}`);
  process.exit(1);
};

// ---- ES module glue, as wasm-bindgen wrote it, plus `__reinstantiate`: a fresh instance of the
// same compiled module, for the public functions to recover from a trap (js/api.js, `recovering`).
const tail = 'export { initSync, __wbg_init as default };';
let glue = readFileSync(join(bindgen, `${name}.js`), 'utf8');
if (!glue.includes('let wasmModule, wasmInstance, wasm;') || !glue.includes(tail)) {
  fail('unexpected wasm-bindgen glue (was wasm-bindgen updated?)');
}
glue = glue.replace(tail, `/** Replaces the module instance by a fresh one of the same compiled module: a trap may leave the
 * old one's state broken (a lock held, an allocation half made). */
export function __reinstantiate() {
    const module = wasmModule;
    wasm = undefined;
    initSync({ module });
}

${tail}`);
writeFileSync(join(out, `${name}.js`), glue);

// ---- CommonJS glue: the same code with its `export` keywords turned into `module.exports`.
const exported = [...glue.matchAll(/^export (?:function|class) (\w+)/gm)].map((m) => m[1]);
for (const fn of ['signRequest', 'buildFlushRequest', 'buildListRequest', 'parseFlushResponse', 'parseListResponse', 'forgetSigningKeys']) {
  if (!exported.includes(fn)) fail(`the glue does not export ${fn}`);
}
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
const publicNames = ['signRequest', 'buildFlushRequest', 'buildListRequest', 'parseFlushResponse', 'parseListResponse', 'forgetSigningKeys'];
// Each public function is exported wrapped by `recovering` (js/api.js): after a trap the module
// is replaced and the call made again.
const wrapped = publicNames.map((n) => `const ${n}$ = recovering(${n});`).join('\n');
const esmExports = `${wrapped}\nexport { ${publicNames.map((n) => `${n}$ as ${n}`).join(', ')} };\n`;
const cjsExports = `${wrapped}\nmodule.exports = { ${publicNames.map((n) => `${n}: ${n}$`).join(', ')} };\n`;
writeFileSync(join(out, 'api.js'), `import * as raw from './${name}.js';\n${api}\n${esmExports}`);
writeFileSync(join(out, 'index.cjs'), `'use strict';\nconst raw = require('./${name}.cjs');\n${api}\n${cjsExports}`);
writeFileSync(join(out, 'init.js'), `// For hosts that load the WebAssembly themselves: call init() or initSync() first.\nexport { default, initSync } from './${name}.js';\nexport * from './api.js';\n`);

// ---- Entries.
// The Node ESM entry holds the public functions itself rather than importing api.js: one module
// fewer to resolve and load before the first signature (bench/RESULTS.md, "What brought the module from 77 to 67 KiB"). It shares
// the glue (so the module is instantiated once, also for `./init`). The .wasm is loaded
// synchronously: `import { signRequest } from 'ncloud-redis-flush'` needs no init call.
// `process.getBuiltinModule` (Node >= 20.16) rather than `import 'node:fs'`: the ES module
// facade of a built-in is slow to load on its first import; older Node imports it.
writeFileSync(
  join(out, 'index.node.mjs'),
  `// Node.js ES module entry (generated by js/build-package.mjs from js/api.js).
import * as raw from './${name}.js';

const { readFileSync } = process.getBuiltinModule?.('node:fs') ?? (await import('node:fs'));
raw.initSync({ module: readFileSync(new URL('./${name}_bg.wasm', import.meta.url)) });
${api}
${esmExports}`,
);
copyFileSync(join(root, 'js/index.browser.js'), join(out, 'index.browser.js'));
copyFileSync(join(root, 'js/index.workerd.js'), join(out, 'index.workerd.js'));
copyFileSync(join(root, 'js/cli.mjs'), join(out, 'cli.mjs'));
chmodSync(join(out, 'cli.mjs'), 0o755);
rmSync(join(out, 'cli'), { recursive: true, force: true });
mkdirSync(join(out, 'cli'));
for (const file of readdirSync(join(root, 'js/cli')).filter((f) => f.endsWith('.mjs'))) {
  copyFileSync(join(root, 'js/cli', file), join(out, 'cli', file));
}

// ---- The shared domain (js/domain.js), and its types written by TypeScript from its JSDoc.
copyFileSync(join(root, 'js/domain.js'), join(out, 'domain.js'));
{
  let ts;
  try {
    ts = (await import('typescript')).default;
  } catch {
    fail('typescript is needed to write pkg/domain.d.ts (npm install at the repository root)');
  }
  /** @type {Record<string, string>} */
  const written = {};
  const program = ts.createProgram([join(root, 'js/domain.js')], {
    allowJs: true, checkJs: true, strict: true, declaration: true, emitDeclarationOnly: true,
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, skipLibCheck: true,
  }, { ...ts.createCompilerHost({}), writeFile: (file, text) => { written[file] = text; } });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  if (diagnostics.length) fail(`js/domain.js: ${ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' })}`);
  program.emit();
  const dts = Object.entries(written).find(([file]) => file.endsWith('domain.d.ts'))?.[1] ?? fail('TypeScript wrote no domain.d.ts');
  writeFileSync(join(out, 'domain.d.ts'), dts);
}

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
      // First: only tools that build for workerd set it (wrangler sets `workerd`, `worker` and
      // `browser`; with nodejs_compat some set `node` too). Not `worker`, which bundlers also set
      // for a browser's Web Workers, where the browser entry is the one that works.
      workerd: { types: './index.d.ts', default: './index.workerd.js' },
      node: {
        import: { types: './index.d.ts', default: './index.node.mjs' },
        require: { types: './index.d.cts', default: './index.cjs' },
      },
      browser: { types: './index.d.ts', default: './index.browser.js' },
      import: { types: './index.d.ts', default: './index.browser.js' },
      default: { types: './index.d.cts', default: './index.cjs' },
    },
    './init': { types: `./${name}.d.ts`, default: './init.js' },
    './domain': { types: './domain.d.ts', default: './domain.js' },
    './wasm': `./${name}_bg.wasm`,
    './package.json': './package.json',
  },
  files: [
    `${name}_bg.wasm`, `${name}.js`, `${name}.cjs`, `${name}.d.ts`, 'api.js', 'index.cjs', 'init.js',
    'index.node.mjs', 'index.browser.js', 'index.workerd.js', 'index.d.ts', 'index.d.cts', 'cli.mjs', 'cli/',
    'domain.js', 'domain.d.ts', 'README.md',
  ],
  sideEffects: ['./index.node.mjs', './index.browser.js', './index.workerd.js', './index.cjs', `./${name}.cjs`],
  engines: { node: '>=18' },
  keywords: ['naver-cloud', 'ncloud', 'redis', 'flush', 'hmac', 'signature', 'wasm'],
};
writeFileSync(join(out, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
copyFileSync(join(root, 'README.md'), join(out, 'README.md'));
console.log(`pkg/: ncloud-redis-flush@${version}, exports ${exported.join(', ')}`);
