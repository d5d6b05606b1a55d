// The console's modules in Node: www/console.js imports the package's domain module from
// `./pkg/domain.js`, the package served next to the page (ncloud-gateway's pkg_dir). In Node that
// folder is the repository's pkg/: a resolve hook maps the one to the other. Import this module,
// then import www/ modules dynamically (static imports are resolved before any hook is in place).
import { register } from 'node:module';

const PKG = new URL('../../pkg/', import.meta.url).href;
const WWW = new URL('../../www/', import.meta.url).href;

const hook = `
export async function resolve(specifier, context, next) {
  if (specifier.startsWith('./pkg/') && context.parentURL?.startsWith(${JSON.stringify(WWW)})) {
    return next(${JSON.stringify(PKG)} + specifier.slice('./pkg/'.length), context);
  }
  return next(specifier, context);
}
`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);

/** www/console.js, with the package's domain module under it. */
export const consoleModule = await import('../../www/console.js');
