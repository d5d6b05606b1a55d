// The CLI's arguments: the usage text, the options, and the settings of a run, every argument
// checked (the instance number by the library itself) before anything is asked or sent.
import { parseArgs } from 'node:util';
import { buildFlushRequest, buildListRequest } from '../index.node.mjs';
import { LIST_PAGE_SIZE, MAX_PAGE_SIZE, PLATFORMS } from '../domain.js';
import { GATEWAY_WINDOW, PROGRAM, SKEW_WARN_MS, usageError } from './output.mjs';

/** @typedef {import('../domain.js').PlatformName} PlatformName */
/** The options parsed (parseArgs' `values`). @typedef {ReturnType<typeof parseCommandLine>['values']} Values */
/** The environment the CLI reads (NCLOUD_*, HOME). @typedef {Record<string, string | undefined>} Env */
/**
 * The settings of a run: the arguments checked (settings), the credentials (findCredentials)
 * and where requests go (endpointOf), as cli.mjs puts them together.
 * @typedef {ReturnType<typeof settings> & { credentials: import('./credentials.mjs').Credentials } & ReturnType<typeof endpointOf>} Settings
 */

export const DEFAULT_TIMEOUT_S = 30;
export const DEFAULT_RETRIES = 3;
export const MAX_RETRIES = 10;
export const BACKOFF_BASE_MS = 200;
export const BACKOFF_CAP_MS = 2000;
export const RETRY_AFTER_CAP_MS = 10_000;

export const USAGE = `Usage: ${PROGRAM} flush <cloudDBInstanceNo> [options]
       ${PROGRAM} flush --platform vpc|cache <serverInstanceNo> [--region-code <code>] [options]
       ${PROGRAM} list [--platform classic|vpc|cache] [--region-code <code>] [options]

flush: deletes every key of every database of a NAVER Cloud Redis instance, with a request
signed by your API key. There is no undo.
  --platform classic   Cloud DB for Redis (Classic), API flushCloudDBInstance: give the instance
                       number ("DB instance no." in the console). The default.
  --platform vpc       Redis on the VPC platform, API flushAllCloudRedisServerInstance: give the
                       number of the instance's MASTER SERVER (see \`list --platform vpc\`)
  --platform cache     Cloud DB for Cache, API flushAllCloudCacheServerInstance: likewise, the
                       master server's number
  For vpc and cache the instances are listed first (as \`list\` does, every page) to find the
  instance that holds the server: a number that is not a master server of a listed instance is
  refused (exit 2) before anything is flushed. On an HA instance the replicas are cleared too.
  For classic, before asking on a terminal, the instance is looked up (one listing request) so
  the question shows its service name: an instance number that is not listed is refused (exit 2).

list: prints the platform's instances, every page, as a table: instance number, service name,
status, engine, HA, region, and each server's number, name and role. Changes nothing and asks
nothing. With --json: the instances and every parsed answer, as one JSON object.

Options:
  --platform <p>         classic (default), vpc or cache: the API family (see above)
  --region-code <code>   vpc and cache only: the region of the instance, e.g. KR, JPN, SGN
                         (default: none sent, and NAVER Cloud uses its first region). Not
                         --region, which picks the API gateway
  --page-size <n>        instances per listing request (default: ${LIST_PAGE_SIZE}, 1 to ${MAX_PAGE_SIZE}); \`list\` and the
                         vpc/cache flush's lookup read every page (pageNo, pageSize, totalRows)
  --access-key <id>      access key id        (else $NCLOUD_ACCESS_KEY, else ~/.ncloud/configure)
  --secret-key <key>     secret key           (else $NCLOUD_SECRET_KEY, else ~/.ncloud/configure)
                         prefer the environment or the file: flags show in the process list
                         (ps) to other users, and the CLI warns
  --secret-key-stdin     read the secret key from standard input (its first line), e.g.
                         --access-key <id> --secret-key-stdin < file; not from a terminal
  --profile <name>       section of ~/.ncloud/configure to read (default: DEFAULT)
  --region <r>           public (default), gov or fin: NAVER Cloud's API gateways
  --endpoint <url>       another API gateway base URL, e.g. http://127.0.0.1:8080
                         (default: $NCLOUD_API_GW, else ncloud_api_url of the configure file,
                         else the public gateway)
  --format <f>           answer format asked for: json (default) or xml
  --method <m>           POST (default) or GET
  --timeout <seconds>    time limit of each attempt (default: ${DEFAULT_TIMEOUT_S})
  --retries <n>          retries (default: ${DEFAULT_RETRIES}, at most ${MAX_RETRIES}). Listings and lookups: of 429
                         and 5xx answers, network errors and timeouts. A flush only when it
                         provably did not run: no connection made (refused, DNS), or an answer
                         that says nothing ran (429, the gateway's 503). Once a flush may have
                         reached the server (a dropped connection, a timeout, another 5xx) it is
                         not sent again: exit 3, with the command that lists the instance.
                         Waits ${BACKOFF_BASE_MS}, ${BACKOFF_BASE_MS * 2}, ${BACKOFF_BASE_MS * 4} ms … at most ${BACKOFF_CAP_MS / 1000} s, each cut to a random
                         50-100 %, or a Retry-After up to ${RETRY_AFTER_CAP_MS / 1000} s. Every attempt is signed afresh.
                         Other 4xx answers are never retried.
  --use-server-time      sign with the server's clock: an unsigned OPTIONS request first reads the
                         gateway's Date header, then requests are signed with
                         Date.now() + that offset (for a computer whose clock is off)
  -y, --yes              do not ask for confirmation (needed without a terminal); a vpc/cache
                         flush still looks the server up and refuses one that is not a master;
                         a classic flush sends the flush alone (no lookup: for keys that may
                         flush but not list)
  --dry-run              print the signed request as a curl command and send nothing
                         (valid for ${GATEWAY_WINDOW}; no confirmation and no lookup; for \`list\`,
                         the first page's request)
  --json                 machine-readable result (or error) as one JSON object on stdout
  -h, --help             this text
  -V, --version          the package version

Confirmation: on a terminal you are asked to type the instance number given to flush (for vpc
and cache, the server's number, after its instance's service name and, on an HA instance, a
warning that the replicas are cleared too). Without a terminal (stdin or stdout not a TTY) the
command refuses unless --yes is given.

Credentials are looked up as NAVER Cloud's tools do, one source for both keys: the flags, else
the environment, else ~/.ncloud/configure ($HOME honoured), lines such as
  [DEFAULT]
  ncloud_access_key_id = <access key id>
  ncloud_secret_access_key = <secret key>
  ncloud_api_url = https://ncloud.apigw.ntruss.com      (optional)

Clock: NAVER Cloud refuses signatures more than ${GATEWAY_WINDOW} off its clock. When an answer's
Date header is more than ${SKEW_WARN_MS / 1000} s away from this computer's clock, a warning tells the offset.

Exit codes:
  0  flushed or listed (or, with --dry-run, the request printed)
  1  the API, the gateway or the HTTP answer reported an error
  2  usage error: bad option, bad instance number, no credentials, not confirmed; for vpc and
     cache, a server number that is not a master server of a listed instance
  3  network error or timeout (after the retries), or a flush that was sent and may have
     happened (not sent again: list the instance to check)

Examples:
  NCLOUD_ACCESS_KEY=... NCLOUD_SECRET_KEY=... ${PROGRAM} flush 882689
  ${PROGRAM} flush 882689 --region gov --yes --json
  ${PROGRAM} flush 882689 --dry-run | sh
  ${PROGRAM} list --platform vpc --region-code KR
  ${PROGRAM} flush --platform vpc 11034561 --region-code KR
  ${PROGRAM} list --platform cache --json
`;

const OPTIONS = /** @type {const} */ ({
  platform: { type: 'string' },
  'region-code': { type: 'string' },
  'page-size': { type: 'string' },
  'access-key': { type: 'string' },
  'secret-key': { type: 'string' },
  'secret-key-stdin': { type: 'boolean' },
  profile: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  format: { type: 'string' },
  method: { type: 'string' },
  timeout: { type: 'string' },
  retries: { type: 'string' },
  'use-server-time': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
});

/** @param {string[]} argv */
export function parseCommandLine(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    // Node's messages name the option, never another argument's value; but an "option" may be a
    // key typed after a stray dash: a name that does not look like an option's is not shown.
    let message = String(/** @type {Error} */ (e).message).replace(/\. To specify a positional argument.*$/s, '');
    const unknown = /^Unknown option '([^']*)'/.exec(message);
    if (unknown && !/^--?[a-z][a-z0-9-]{0,30}$/.test(unknown[1])) message = 'unknown option (not shown: it does not look like an option name, and may be a key)';
    throw usageError(message, `see ${PROGRAM} --help`);
  }
  return parsed;
}

/**
 * The settings of a run from its arguments, every one checked (the instance number and region
 * code by the library itself); the credentials and the endpoint come next (endpointOf).
 * @param {Values} values @param {string[]} positionals
 */
export function settings(values, positionals) {
  const [command, ...args] = positionals;
  if (command === undefined) throw usageError('no command given', `usage: ${PROGRAM} flush <cloudDBInstanceNo>, or ${PROGRAM} list (see --help)`);
  if (command !== 'flush' && command !== 'list') {
    // Shown only when it looks like a word: it may be a key whose option name was forgotten.
    const shown = /^[a-z][a-z-]{0,15}$/.test(command) ? `'${command}'` : '(not shown: it does not look like a command, and may be a key)';
    throw usageError(`unknown command ${shown}`, `the commands are: ${PROGRAM} flush <cloudDBInstanceNo> and ${PROGRAM} list (see --help)`);
  }
  const platformName = (values.platform ?? 'classic').toLowerCase();
  if (!Object.hasOwn(PLATFORMS, platformName)) throw usageError('--platform must be classic, vpc or cache');
  const platform = /** @type {PlatformName} */ (platformName);
  const P = PLATFORMS[platform];
  const regionCode = values['region-code'];
  if (regionCode !== undefined && platform === 'classic') {
    throw usageError('--region-code is for --platform vpc and cache', 'a Classic instance is reached through its gateway: --region public|gov|fin or --endpoint');
  }
  const what = platform === 'classic' ? 'instance number' : 'server instance number';
  const usageLine = platform === 'classic' ? `${PROGRAM} flush <cloudDBInstanceNo>` : `${PROGRAM} flush --platform ${platform} <${P.flushField}>`;
  let instanceNo;
  if (command === 'flush') {
    instanceNo = args.shift();
    if (instanceNo === undefined) throw usageError(`no ${what} given`, `usage: ${usageLine}`);
  }
  // The extra arguments are not shown: a forgotten --secret-key would print the key.
  if (args.length) {
    const after = command === 'flush' ? `the ${what}` : 'list';
    throw usageError(`${args.length} unexpected argument(s) after ${after}`, `usage: ${command === 'flush' ? usageLine : `${PROGRAM} list`} [options]; did you forget an option name?`);
  }
  let pageSize = LIST_PAGE_SIZE;
  if (values['page-size'] !== undefined) {
    if (!/^\d+$/.test(values['page-size']) || !(Number(values['page-size']) >= 1) || Number(values['page-size']) > MAX_PAGE_SIZE) {
      throw usageError(`--page-size must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    }
    pageSize = Number(values['page-size']);
  }

  const formatName = (values.format ?? 'json').toLowerCase();
  if (!['json', 'xml'].includes(formatName)) throw usageError('--format must be json or xml');
  const format = /** @type {'json' | 'xml'} */ (formatName);
  const methodName = (values.method ?? 'POST').toUpperCase();
  if (!['GET', 'POST'].includes(methodName)) throw usageError('--method must be GET or POST');
  const method = /** @type {'GET' | 'POST'} */ (methodName);

  let timeoutMs = DEFAULT_TIMEOUT_S * 1000;
  if (values.timeout !== undefined) {
    const t = Number(values.timeout);
    if (!/^\s*\d*\.?\d+\s*$/.test(values.timeout) || !(t > 0) || t > 86_400) throw usageError('--timeout must be a number of seconds, more than 0');
    timeoutMs = Math.max(1, Math.round(t * 1000));
  }
  let retries = DEFAULT_RETRIES;
  if (values.retries !== undefined) {
    if (!/^\d+$/.test(values.retries) || Number(values.retries) > MAX_RETRIES) throw usageError(`--retries must be a whole number from 0 to ${MAX_RETRIES}`);
    retries = Number(values.retries);
  }
  if (values.region !== undefined && values.endpoint !== undefined) throw usageError('give --region or --endpoint, not both');
  if (values.region !== undefined && !['public', 'gov', 'fin'].includes(values.region.toLowerCase())) throw usageError('--region must be public, gov or fin', 'for any other gateway use --endpoint <url>');
  if (values['dry-run'] && values['use-server-time']) {
    throw usageError('--use-server-time needs a request to the server, and --dry-run sends none', 'set this computer\'s clock, or drop one of the two options');
  }

  // The instance number (and region code) first: reported even when the keys are missing too.
  const check = { platform, ...(regionCode !== undefined && { regionCode }), timestamp: 0, accessKey: 'check', secretKey: 'check' };
  if (command === 'flush') buildFlushRequest(/** @type {import('../index.node.mjs').FlushRequestOptions} */ ({ ...check, [P.flushField]: instanceNo }));
  else buildListRequest({ ...check, pageNo: 1, pageSize });
  return {
    command, platform, P, instanceNo, regionCode, pageSize,
    format, method, timeoutMs, retries, profile: values.profile,
    yes: Boolean(values.yes), dryRun: Boolean(values['dry-run']), json: Boolean(values.json),
    useServerTime: Boolean(values['use-server-time']),
  };
}

/**
 * Where requests go: --region, else --endpoint, else $NCLOUD_API_GW, else the configure file's
 * ncloud_api_url, else the public gateway; `endpointSource` says which, for the hints.
 * @param {Values} values @param {Env} env @param {import('./credentials.mjs').Credentials} credentials
 * @returns {{ endpoint: string, endpointSource: string }}
 */
export function endpointOf(values, env, credentials) {
  if (values.region !== undefined) return { endpoint: values.region.toLowerCase(), endpointSource: '--region' };
  if (values.endpoint !== undefined) return { endpoint: values.endpoint, endpointSource: '--endpoint' };
  if (env.NCLOUD_API_GW) return { endpoint: env.NCLOUD_API_GW, endpointSource: 'NCLOUD_API_GW' };
  if (credentials.apiUrl) return { endpoint: credentials.apiUrl, endpointSource: 'ncloud_api_url in ~/.ncloud/configure' };
  return { endpoint: 'public', endpointSource: 'default' };
}
