#!/usr/bin/env node
// ncloud-redis-flush: the command-line client of the package.
//
//   ncloud-redis-flush flush <cloudDBInstanceNo> [options]      (`--help` documents them)
//   ncloud-redis-flush flush --platform vpc|cache <master server instance no> [--region-code KR]
//   ncloud-redis-flush list [--platform classic|vpc|cache] [--region-code KR] [--json]
//
// Signs with the package's own WebAssembly module and sends with Node's `fetch` (Node >= 20); no
// dependencies. Exit codes: 0 flushed or listed (or --dry-run printed), 1 API / gateway / HTTP
// error, 2 usage error, not confirmed, or not a master server, 3 network error or timeout.
//
// A VPC or Cache flush names a *server*; before flushing, the CLI lists the platform's instances
// (every page) and finds the one whose server list holds that number: a number that is not a
// master server of a listed instance is refused, and the confirmation shows the service name and,
// on an HA instance, that the replicas are cleared too.
//
// The secret key is never written anywhere: not in messages, not in --dry-run's curl command
// (which carries the signature headers only), not in --json output; as a last guard every line
// this program writes has the secret masked.
//
// This file is the entry; the stages are in cli/: args.mjs (the options and the settings),
// credentials.mjs, requests.mjs (signing, sending, retries, listings and lookups), confirm.mjs
// and output.mjs (every line written, the reports and the hints).
import { readFileSync } from 'node:fs';
import { curlCommand, jsonText } from './domain.js';
import { endpointOf, parseCommandLine, settings, USAGE } from './cli/args.mjs';
import { checkConfirmable, confirm } from './cli/confirm.mjs';
import { findCredentials, maskSecretsOf } from './cli/credentials.mjs';
import { CliError, EXIT, GATEWAY_WINDOW, PROGRAM, reportError, reportListing, reportSuccess, stderr, stdout } from './cli/output.mjs';
import { buildFlush, buildList, findClassic, findMaster, flush, forgetKeys, listAll } from './cli/requests.mjs';

/** The package's version, from its package.json. */
function version() {
  try {
    return JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/**
 * One run: resolves to the exit code (EXIT); every error is reported here, once.
 * @param {string[]} argv @param {import('./cli/args.mjs').Env} env
 * @returns {Promise<number>}
 */
async function main(argv, env) {
  const jsonWanted = argv.includes('--json');
  /** @type {import('./cli/args.mjs').Settings | null} */
  let s = null;
  /** @type {import('./cli/output.mjs').State} */
  const state = { attempts: 0, offset: 0, offsetKnown: true, skew: null, skewWarned: false };
  maskSecretsOf(argv, env);
  try {
    const { values, positionals } = parseCommandLine(argv);
    if (values.help || positionals[0] === 'help') {
      stdout(USAGE);
      return EXIT.ok;
    }
    if (values.version) {
      stdout(`${version()}\n`);
      return EXIT.ok;
    }
    // The stages: the arguments, the credentials, then where requests go (the file may say).
    const checked = settings(values, positionals);
    const credentials = findCredentials(values, env);
    s = { ...checked, credentials, ...endpointOf(values, env, credentials) };
    state.offsetKnown = !s.useServerTime;
    const listing = s.command === 'list';
    // Every argument is checked (instance number, endpoint, keys) before anything is asked or sent.
    const request = listing ? buildList(s, Date.now(), 1) : buildFlush(s, Date.now());
    if (s.dryRun) {
      const curl = curlCommand(request);
      if (s.json) {
        /** @type {Record<string, unknown>} */
        const out = { ok: true, dryRun: true, platform: s.platform };
        if (!listing) out[s.P.flushField] = s.instanceNo;
        stdout(jsonText({ ...out, request, curl }) + '\n');
      } else {
        const what = listing ? ' This is the first page of the listing.' : '';
        stderr(`# dry run: nothing sent. Signed at ${new Date(Number(request.headers['x-ncp-apigw-timestamp'])).toISOString()}; valid for ${GATEWAY_WINDOW}.${what}\n`);
        stdout(`${curl}\n`);
      }
      return EXIT.ok;
    }
    if (listing) {
      reportListing(await listAll(s, state), s);
      return EXIT.ok;
    }
    // VPC and Cache: no question asked (nor flush sent) before the server is known to be a master.
    // Classic: before asking on a terminal, the instance is looked up so the question names it.
    checkConfirmable(s);
    const target = s.platform !== 'classic' ? await findMaster(s, state) : s.yes ? null : await findClassic(s, state);
    await confirm(s, target);
    const result = await flush(s, state);
    reportSuccess(result, s, state, s.json, target);
    return EXIT.ok;
  } catch (e) {
    if (!(e instanceof Error) || (!(/** @type {{ kind?: unknown }} */ (e)).kind && !(e instanceof CliError))) {
      stderr(`${PROGRAM}: internal error: ${/** @type {{ stack?: unknown } | null | undefined} */ (e)?.stack ?? e}\n`);
      return EXIT.api;
    }
    return reportError(e, s, state, s?.json ?? jsonWanted);
  }
}

try {
  process.exitCode = await main(process.argv.slice(2), process.env);
} finally {
  // The signing module keeps the prepared state of the key in use: wiped before the process ends.
  forgetKeys();
}
