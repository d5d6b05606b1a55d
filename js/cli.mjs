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
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildFlushRequest, buildListRequest, parseFlushResponse, parseListResponse } from './index.node.mjs';
import {
  CLOCK_WINDOW_MS, LIST_PAGE_SIZE, MAX_PAGE_SIZE, PLATFORMS, clockOffset, curlCommand, errorCause,
  instanceView, listAllPages,
} from './domain.js';

const PROGRAM = 'ncloud-redis-flush';
const EXIT = { ok: 0, api: 1, usage: 2, network: 3 };
const DEFAULT_TIMEOUT_S = 30;
const DEFAULT_RETRIES = 3;
const MAX_RETRIES = 10;
const BACKOFF_BASE_MS = 200;
const BACKOFF_CAP_MS = 2000;
const RETRY_AFTER_CAP_MS = 10_000;
const SKEW_WARN_MS = 60_000;
const GATEWAY_WINDOW = `${CLOCK_WINDOW_MS / 60_000} minutes`;

const USAGE = `Usage: ${PROGRAM} flush <cloudDBInstanceNo> [options]
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
  --profile <name>       section of ~/.ncloud/configure to read (default: DEFAULT)
  --region <r>           public (default), gov or fin: NAVER Cloud's API gateways
  --endpoint <url>       another API gateway base URL, e.g. http://127.0.0.1:8080
                         (default: $NCLOUD_API_GW, else ncloud_api_url of the configure file,
                         else the public gateway)
  --format <f>           answer format asked for: json (default) or xml
  --method <m>           POST (default) or GET
  --timeout <seconds>    time limit of each attempt (default: ${DEFAULT_TIMEOUT_S})
  --retries <n>          retries of 429 and 5xx answers, network errors and timeouts
                         (default: ${DEFAULT_RETRIES}, at most ${MAX_RETRIES}). Waits ${BACKOFF_BASE_MS}, ${BACKOFF_BASE_MS * 2}, ${BACKOFF_BASE_MS * 4} ms … at most
                         ${BACKOFF_CAP_MS / 1000} s, each cut to a random 50-100 %, or a Retry-After up to ${RETRY_AFTER_CAP_MS / 1000} s.
                         Every attempt is signed afresh. Other 4xx answers are never retried.
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
  3  network error or timeout (after the retries)

Examples:
  NCLOUD_ACCESS_KEY=... NCLOUD_SECRET_KEY=... ${PROGRAM} flush 882689
  ${PROGRAM} flush 882689 --region gov --yes --json
  ${PROGRAM} flush 882689 --dry-run | sh
  ${PROGRAM} list --platform vpc --region-code KR
  ${PROGRAM} flush --platform vpc 11034561 --region-code KR
  ${PROGRAM} list --platform cache --json
`;

/** An error of this program, with the fields the module's errors have. */
class CliError extends Error {
  constructor(kind, code, message, extra = {}) {
    super(message);
    this.kind = kind;
    this.code = code;
    Object.assign(this, extra);
  }
}

const usageError = (message, hint) => new CliError('usage', 'ERR_USAGE', message, { hint });

// ---------------------------------------------------------------------------------------------
// Output: everything goes through here, with the secret (once known) masked.

const secrets = [];
function mask(text) {
  let out = String(text);
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('********');
  return out;
}
const stdout = (text) => process.stdout.write(mask(text));
const stderr = (text) => process.stderr.write(mask(text));

// ---------------------------------------------------------------------------------------------
// Options.

const OPTIONS = {
  platform: { type: 'string' },
  'region-code': { type: 'string' },
  'page-size': { type: 'string' },
  'access-key': { type: 'string' },
  'secret-key': { type: 'string' },
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
};

function parseCommandLine(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    // Node's messages name the option, never another argument's value.
    throw usageError(e.message.replace(/\. To specify a positional argument.*$/s, ''), `see ${PROGRAM} --help`);
  }
  return parsed;
}

function settings(values, positionals, env) {
  const [command, ...args] = positionals;
  if (command === undefined) throw usageError('no command given', `usage: ${PROGRAM} flush <cloudDBInstanceNo>, or ${PROGRAM} list (see --help)`);
  if (command !== 'flush' && command !== 'list') {
    throw usageError(`unknown command '${command.slice(0, 32)}'`, `the commands are: ${PROGRAM} flush <cloudDBInstanceNo> and ${PROGRAM} list (see --help)`);
  }
  const platform = (values.platform ?? 'classic').toLowerCase();
  if (!Object.hasOwn(PLATFORMS, platform)) throw usageError('--platform must be classic, vpc or cache');
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

  const format = (values.format ?? 'json').toLowerCase();
  if (!['json', 'xml'].includes(format)) throw usageError('--format must be json or xml');
  const method = (values.method ?? 'POST').toUpperCase();
  if (!['GET', 'POST'].includes(method)) throw usageError('--method must be GET or POST');

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
  if (command === 'flush') buildFlushRequest({ ...check, [P.flushField]: instanceNo });
  else buildListRequest({ ...check, pageNo: 1, pageSize });
  const credentials = findCredentials(values, env);
  let endpoint = 'public';
  let endpointSource = 'default';
  if (values.region !== undefined) [endpoint, endpointSource] = [values.region.toLowerCase(), '--region'];
  else if (values.endpoint !== undefined) [endpoint, endpointSource] = [values.endpoint, '--endpoint'];
  else if (env.NCLOUD_API_GW) [endpoint, endpointSource] = [env.NCLOUD_API_GW, 'NCLOUD_API_GW'];
  else if (credentials.apiUrl) [endpoint, endpointSource] = [credentials.apiUrl, 'ncloud_api_url in ~/.ncloud/configure'];

  return {
    command, platform, P, instanceNo, regionCode, pageSize,
    format, method, timeoutMs, retries, endpoint, endpointSource, credentials,
    yes: Boolean(values.yes), dryRun: Boolean(values['dry-run']), json: Boolean(values.json),
    useServerTime: Boolean(values['use-server-time']),
  };
}

// ---------------------------------------------------------------------------------------------
// Credentials: flags, else environment, else ~/.ncloud/configure; both keys from one source.

function findCredentials(values, env) {
  const fromFlags = [values['access-key'], values['secret-key']];
  if (fromFlags.some((v) => v !== undefined)) {
    if (fromFlags.some((v) => !v)) throw usageError('--access-key and --secret-key go together, and neither may be empty');
    return credentialsFrom(fromFlags, 'the --access-key/--secret-key flags');
  }
  const fromEnv = [env.NCLOUD_ACCESS_KEY, env.NCLOUD_SECRET_KEY];
  if (fromEnv.some((v) => v)) {
    if (fromEnv.some((v) => !v)) throw usageError(`NCLOUD_${fromEnv[0] ? 'SECRET' : 'ACCESS'}_KEY is not set while NCLOUD_${fromEnv[0] ? 'ACCESS' : 'SECRET'}_KEY is`, 'set both, or neither to use ~/.ncloud/configure');
    return credentialsFrom(fromEnv, 'NCLOUD_ACCESS_KEY/NCLOUD_SECRET_KEY');
  }
  const home = env.HOME || homedir();
  const file = join(home, '.ncloud', 'configure');
  const profile = values.profile ?? 'DEFAULT';
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e.code === 'ENOENT') {
      throw new CliError('usage', 'ERR_NO_CREDENTIALS', 'no credentials: no --access-key/--secret-key, no NCLOUD_ACCESS_KEY/NCLOUD_SECRET_KEY, no ~/.ncloud/configure', {
        hint: 'create an API key in the NAVER Cloud console (My Page → Authentication key) and pass it in one of these ways (see --help)',
      });
    }
    throw new CliError('usage', 'ERR_NO_CREDENTIALS', `cannot read ${file}: ${e.code ?? e.message}`);
  }
  const section = readIni(text)[profile.toLowerCase()];
  if (!section) throw new CliError('usage', 'ERR_NO_CREDENTIALS', `${file} has no [${profile}] section`, { hint: 'see --help for the file\'s format' });
  const keys = [section.ncloud_access_key_id, section.ncloud_secret_access_key];
  if (keys.some((v) => !v)) {
    throw new CliError('usage', 'ERR_NO_CREDENTIALS', `[${profile}] of ${file} lacks ${keys[0] ? 'ncloud_secret_access_key' : 'ncloud_access_key_id'}`, { hint: 'see --help for the file\'s format' });
  }
  return { ...credentialsFrom(keys, `~/.ncloud/configure [${profile}]`), apiUrl: section.ncloud_api_url || undefined };
}

function credentialsFrom([accessKey, secretKey], source) {
  secrets.push(secretKey);
  return { accessKey, secretKey, source };
}

/** `{ section: { key: value } }`, section names lowercased; lines before any header are DEFAULT. */
function readIni(text) {
  const sections = {};
  let current = (sections.default = {});
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*(?:profile\s+)?([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      current = sections[header[1].toLowerCase()] ??= {};
      continue;
    }
    const eq = line.search(/[=:]/);
    if (eq > 0) current[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return sections;
}

// ---------------------------------------------------------------------------------------------
// The request.

/** What every request of a run shares. */
const common = (s, timestamp) => ({
  platform: s.platform,
  ...(s.regionCode !== undefined && { regionCode: s.regionCode }),
  responseFormatType: s.format,
  method: s.method,
  endpoint: s.endpoint,
  timestamp,
  accessKey: s.credentials.accessKey,
  secretKey: s.credentials.secretKey,
});

/** The flush of the platform: a Classic instance, or a VPC / Cache server. */
const buildFlush = (s, timestamp) => buildFlushRequest({ ...common(s, timestamp), [s.P.flushField]: s.instanceNo });

/** One page of the platform's listing. */
const buildList = (s, timestamp, pageNo) => buildListRequest({ ...common(s, timestamp), pageNo, pageSize: s.pageSize });

/** Milliseconds to add to Date.now() to get the server's clock, from an answer's Date header. */
const offsetFrom = (response, sentAt, receivedAt) => clockOffset(response.headers.get('date'), sentAt, receivedAt);

function describeOffset(ms) {
  const s = Math.round(Math.abs(ms) / 1000);
  const human = s >= 120 ? ` (${Math.floor(s / 60)} min ${s % 60} s)` : '';
  return `${s} s${human} ${ms >= 0 ? 'ahead of' : 'behind'}`;
}

function networkError(e, s, url) {
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') {
    return new CliError('timeout', 'ETIMEDOUT', `no answer from ${origin(url)} within ${s.timeoutMs / 1000} s`);
  }
  const cause = e?.cause;
  const code = cause?.code ?? cause?.errno ?? 'ERR_NETWORK';
  const detail = cause?.message ?? e?.message ?? String(e);
  return new CliError('network', String(code), `cannot reach ${origin(url)}: ${detail}`);
}

const origin = (url) => {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
};

function backoff(retry, retryAfterMs) {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retry);
  const jittered = ceiling / 2 + Math.random() * (ceiling / 2);
  return Math.round(retryAfterMs == null ? jittered : Math.max(jittered, Math.min(retryAfterMs, RETRY_AFTER_CAP_MS)));
}

function retryAfter(response) {
  const v = response.headers.get('retry-after');
  if (!v) return null;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

/**
 * Sends one API call, retrying 429, 5xx, network errors and timeouts; resolves to `parse`'s
 * result. `build(timestamp)` signs the request (afresh for every attempt), `parse(text, status)`
 * reads the answer, `label` prefixes the retry messages.
 */
async function send(s, state, build, parse, label = '') {
  state.attempts = 0;
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= s.retries;
    const retry = async (why, retryAfterMs = null) => {
      const wait = backoff(attempt, retryAfterMs);
      stderr(`${label}attempt ${attempt + 1} of ${s.retries + 1}: ${why}; retrying in ${(wait / 1000).toFixed(1)} s\n`);
      await sleep(wait);
    };
    state.attempts = attempt + 1;
    let url = build(0).url;
    try {
      if (!state.offsetKnown) {
        // --use-server-time: an unsigned OPTIONS of the action's path (no query) flushes nothing
        // anywhere; its Date header is the gateway's clock. Learnt once; later answers refine it.
        const probeUrl = new URL(url);
        probeUrl.search = '';
        url = probeUrl.href;
        const sentAt = Date.now();
        const probe = await fetch(probeUrl, { method: 'OPTIONS', redirect: 'manual', signal: AbortSignal.timeout(s.timeoutMs) });
        await probe.arrayBuffer();
        const offset = offsetFrom(probe, sentAt, Date.now());
        state.offsetKnown = true;
        if (offset === null) {
          stderr('warning: the server sent no Date header; signing with this computer\'s clock\n');
        } else {
          state.offset = offset;
          state.skew = offset;
          state.skewWarned = true; // said here; no second warning about the same offset
          stderr(`signing with the server's time: its clock is ${describeOffset(offset)} this computer's\n`);
        }
      }
      // Signed afresh for every attempt: a new timestamp, a new signature.
      const request = build(Date.now() + state.offset);
      url = request.url;
      const sentAt = Date.now();
      const response = await fetch(request.url, {
        method: request.method, headers: request.headers, body: request.body, redirect: 'manual',
        signal: AbortSignal.timeout(s.timeoutMs),
      });
      const text = await response.text();
      const offset = offsetFrom(response, sentAt, Date.now());
      if (offset !== null) {
        state.skew = offset;
        if (Math.abs(offset) > SKEW_WARN_MS && !state.skewWarned) {
          state.skewWarned = true;
          const advice = s.useServerTime
            ? 'signing with the server\'s time (--use-server-time)'
            : `NAVER Cloud refuses signatures more than ${GATEWAY_WINDOW} off; fix the clock (NTP) or pass --use-server-time`;
          stderr(`warning: the server's clock (Date: ${response.headers.get('date')}) is ${describeOffset(offset)} this computer's; ${advice}\n`);
        }
        if (s.useServerTime) state.offset = offset;
      }
      if ((response.status === 429 || response.status >= 500) && !last) {
        await retry(`HTTP ${response.status}`, retryAfter(response));
        continue;
      }
      return parse(text, response.status);
    } catch (e) {
      if (e?.kind) throw e; // the module's errors: input, parse, http, gateway, api
      const error = networkError(e, s, url);
      if (last) throw error;
      await retry(`${error.kind} error (${error.code})`);
    }
  }
}

/** The flush: Classic, VPC or Cache, as the settings say. */
const flush = (s, state) => send(s, state, (ts) => buildFlush(s, ts), (text, status) => parseFlushResponse(text, { platform: s.platform, status }));

/**
 * Every instance of the platform (in `--region-code`, when given): page after page of
 * `pageSize` until `totalRows` are read. Resolves to `{ instances, answers, totalRows }`.
 */
async function listAll(s, state) {
  const { instances, answers, totalRows } = await listAllPages({
    platform: s.platform,
    pageSize: s.pageSize,
    fetchPage: (pageNo) => send(
      s, state,
      (ts) => buildList(s, ts, pageNo),
      (text, status) => parseListResponse(text, { platform: s.platform, status }),
      `listing page ${pageNo}: `,
    ),
  });
  if (instances.length < totalRows) {
    stderr(`warning: the listing announced ${totalRows} instances (totalRows) but its pages held ${instances.length}\n`);
  }
  return { instances, answers, totalRows };
}

/** The fields this program shows of an instance, whatever the platform (the domain's instanceView). */
function describe(s, raw) {
  const view = instanceView(s.platform, raw);
  return {
    ...view,
    region: view.regionCode,
    servers: view.servers.map((v) => ({ ...v, roleCode: v.role?.code, role: v.role?.codeName ?? v.role?.code })),
  };
}

/** Text from the API, made safe for a terminal: no control characters. */
const clean = (v, fallback = '-') => (v === undefined || v === null || v === '' ? fallback : String(v).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?'));

/** Where requests go, for people: a gateway URL's origin, or NAVER Cloud's named gateway. */
const endpointName = (s) => (s.endpoint.includes('://') ? origin(s.endpoint) : `NAVER Cloud (${s.endpoint})`);

const listCommand = (s) => `${PROGRAM} list --platform ${s.platform}${s.regionCode !== undefined ? ` --region-code ${s.regionCode}` : ''}`;

/**
 * VPC and Cache: the listed instance that holds server `s.instanceNo`, which must be its master.
 * Resolves to `{ instance, server, replicas }` (described); anything else is refused.
 */
async function findMaster(s, state) {
  const { P } = s;
  const { instances } = await listAll(s, state);
  const where = s.regionCode !== undefined ? ` in region ${s.regionCode}` : '';
  for (const raw of instances) {
    const instance = describe(s, raw);
    const server = instance.servers.find((v) => v.no === s.instanceNo);
    if (!server) continue;
    const masters = instance.servers.filter((v) => v.roleCode === 'M');
    if (server.roleCode === 'M') {
      return { instance, server, replicas: instance.servers.filter((v) => v.roleCode !== 'M') };
    }
    const role = server.roleCode ? `the ${clean(server.role)} (${clean(server.roleCode)}) server` : 'a server of unknown role';
    throw new CliError('usage', 'ERR_NOT_MASTER', `server ${s.instanceNo} is not a master: it is ${role} of ${P.service} instance ${clean(instance.no)} (${clean(instance.name)}); nothing was flushed`, {
      hint: masters.length === 1
        ? `a flush names the master server: ${PROGRAM} flush --platform ${s.platform} ${clean(masters[0].no)}${s.regionCode !== undefined ? ` --region-code ${s.regionCode}` : ''}`
        : `a flush names a master server (role M): see ${listCommand(s)}`,
    });
  }
  const asInstance = instances.map((i) => describe(s, i)).find((i) => i.no === s.instanceNo);
  const master = asInstance?.servers.find((v) => v.roleCode === 'M');
  throw new CliError('usage', 'ERR_UNKNOWN_SERVER', `no ${P.service} instance${where} has a server ${s.instanceNo}; nothing was flushed`, {
    hint: asInstance
      ? `${s.instanceNo} is the number of instance ${clean(asInstance.name)}; a flush names its master server${master ? `: ${clean(master.no)}` : ''}`
      : `the instances and their servers: ${listCommand(s)}; check --platform, --region-code and --region/--endpoint`,
  });
}

/**
 * Classic, before asking on a terminal: the listed instance `s.instanceNo` (one listing request
 * filtered by its number), so the question can name its service. Refused when none is listed.
 * Resolves to `{ instance, server: null, replicas }` (described).
 */
async function findClassic(s, state) {
  const { P } = s;
  const answer = await send(
    s, state,
    (ts) => buildListRequest({ ...common(s, ts), instanceNos: [s.instanceNo] }),
    (text, status) => parseListResponse(text, { platform: s.platform, status }),
    'looking the instance up: ',
  );
  const raw = answer[P.list].find((i) => i[P.instanceNo] === s.instanceNo);
  if (!raw) {
    throw new CliError('usage', 'ERR_UNKNOWN_INSTANCE', `no ${P.service} instance ${s.instanceNo} is listed by ${endpointName(s)}; nothing was flushed`, {
      hint: `the instances: ${listCommand(s)}; check the number, --region/--endpoint and the keys' account`,
    });
  }
  const instance = describe(s, raw);
  return { instance, server: null, replicas: instance.servers.filter((v) => v.roleCode !== 'M') };
}

// ---------------------------------------------------------------------------------------------
// Confirmation.

/** Without --yes, a terminal to ask on is needed: checked before anything is sent. */
function checkConfirmable(s) {
  if (s.yes || (process.stdin.isTTY && process.stdout.isTTY)) return;
  const what = s.platform === 'classic' ? 'instance' : `${s.P.service} server`;
  throw new CliError('usage', 'ERR_NOT_CONFIRMED', `refusing to flush ${what} ${s.instanceNo} without confirmation: no terminal to ask on`, {
    hint: 'pass --yes to flush without asking, or --dry-run to see the request',
  });
}

/** On a terminal, asks to type the number given; `target` is findMaster's (VPC and Cache). */
async function confirm(s, target) {
  if (s.yes) return;
  checkConfirmable(s);
  const where = endpointName(s);
  let question;
  if (!target) {
    question = `This deletes EVERY key of Cloud DB for Redis instance ${s.instanceNo} at ${where}.\nType the instance number to confirm: `;
  } else if (s.platform === 'classic') {
    const { instance } = target;
    const about = [instance.status, instance.engine].filter(Boolean).map((v) => clean(v)).join(', ');
    question = `This deletes EVERY key of ${s.P.service} instance ${s.instanceNo} "${clean(instance.name)}"${about ? ` (${about})` : ''} at ${where}.\n`;
    if (instance.isHa) question += `WARNING: "${clean(instance.name)}" is a high-availability (HA) instance: its standby is cleared too.\n`;
    question += 'Type the instance number to confirm: ';
  } else {
    const { instance, replicas } = target;
    const region = s.regionCode ?? instance.region;
    question = `This deletes EVERY key of ${s.P.service} instance ${clean(instance.no)} "${clean(instance.name)}" (master server ${s.instanceNo}${region ? `, region ${clean(region)}` : ''}) at ${where}.\n`;
    if (instance.isHa) {
      const nos = replicas.map((v) => clean(v.no)).join(', ');
      question += `WARNING: "${clean(instance.name)}" is a high-availability (HA) instance: its replicas${nos ? ` (server ${nos})` : ''} are cleared too.\n`;
    }
    question += 'Type the server instance number to confirm: ';
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  const answer = await new Promise((resolve) => {
    let done = false;
    rl.on('close', () => { if (!done) resolve(null); });
    rl.question(mask(question), (a) => {
      done = true;
      resolve(a);
    });
  });
  rl.close();
  if (answer === null) stderr('\n'); // Ctrl-C or Ctrl-D: end the prompt's line
  if (answer === null || answer.trim() !== s.instanceNo) {
    throw new CliError('usage', 'ERR_NOT_CONFIRMED', `not confirmed: nothing was flushed`, {
      hint: answer === null ? 'no answer' : `the answer was not ${s.instanceNo}`,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Results and errors.

function hintFor(e, s, state) {
  if (e.hint) return e.hint;
  const auth = () => {
    let h = `check the access key and secret key (taken from ${s?.credentials?.source ?? 'nowhere'}) and this computer's clock: NAVER Cloud allows ${GATEWAY_WINDOW}`;
    if (state?.skew != null && Math.abs(state.skew) > SKEW_WARN_MS) h += `; the server's clock is ${describeOffset(state.skew)} yours: fix the clock or pass --use-server-time`;
    return h;
  };
  const endpoint = `check the endpoint (${s?.endpointSource ?? 'default'}: ${s?.endpoint ?? 'public'}); it must be an API Gateway base URL`;
  // The domain's one reading of the kinds and codes (errorCause); the words are this program's.
  switch (errorCause(e)) {
    case 'input':
      if (e.field === 'cloudDBInstanceNo') return 'the instance number is the digits shown as "DB instance no." in the console, e.g. 882689';
      if (e.field === 'cloudRedisServerInstanceNo' || e.field === 'cloudCacheServerInstanceNo') {
        return `the server instance number is the digits of the instance's master server, as \`${PROGRAM} list --platform ${s?.platform ?? 'vpc'}\` shows them`;
      }
      if (e.field === 'regionCode') return '--region-code takes a region code such as KR, JPN or SGN';
      return `fix ${e.field ? `the ${e.field}` : 'the arguments'} (see --help)`;
    case 'unreachable': return `is the endpoint reachable? ${endpoint}; check the network, DNS, proxy and firewall`;
    case 'no-answer': return `the endpoint did not answer in time: is it reachable and up? raise --timeout if it is slow; ${endpoint}`;
    case 'not-an-answer': return `the answer is not NAVER Cloud's: ${endpoint}`;
    case 'auth': return auth();
    case 'permission': return 'permission denied: give the key\'s (sub) account the Cloud DB for Redis permission';
    case 'not-found': return `not found: ${endpoint}`;
    case 'rate-limit': return e.kind === 'http' ? 'rate limited: wait and try again, or raise --retries' : 'quota, throttle or rate limit reached: wait and try again';
    case 'upstream-unreachable': case 'upstream-timeout': return 'the service behind the gateway failed or was too slow: try again later';
    case 'too-large': case 'gateway': return 'see NAVER Cloud\'s API Gateway error codes';
    case 'unknown-target':
      if (s && s.platform !== 'classic') {
        return `unknown server: no ${s.P.service} server ${s.instanceNo ?? ''} for this key in this region; check the number, --region-code and --region/--endpoint`;
      }
      return `unknown instance: no Cloud DB for Redis instance ${s?.instanceNo ?? ''} for this key in this region; check the number and --region/--endpoint`;
    case 'not-master': return `the server is not a master: a flush names the instance's master server (see ${PROGRAM} list)`;
    case 'busy': return 'the service could not do it now: try again later';
    case 'bad-parameter': return `the API refused a parameter: check the instance number${s && s.platform !== 'classic' ? ', --region-code' : ''}, --format and --method`;
    case 'api': return 'see the returnCode in NAVER Cloud\'s Cloud DB for Redis API documentation';
    case 'answer-too-large': return `the answer is far larger than NAVER Cloud's: ${endpoint}`;
    case 'server-failed': return 'the server failed: try again later, or raise --retries';
    case 'http': return `unexpected HTTP answer: ${endpoint}`;
    default: return `see ${PROGRAM} --help`;
  }
}

function exitCodeFor(e) {
  if (e.kind === 'usage' || e.kind === 'input') return EXIT.usage;
  if (e.kind === 'network' || e.kind === 'timeout') return EXIT.network;
  if (['parse', 'http', 'gateway', 'api'].includes(e.kind)) return EXIT.api;
  return EXIT.api;
}

function reportError(e, s, state, json) {
  const exitCode = exitCodeFor(e);
  const error = {
    kind: e.kind ?? 'internal',
    code: e.code ?? 'ERR_INTERNAL',
    message: e.message,
    hint: hintFor(e, s, state),
  };
  for (const k of ['field', 'httpStatus', 'details', 'requestId']) if (e[k] !== undefined) error[k] = e[k];
  if (json) {
    const out = { ok: false, exitCode, error };
    if (state?.attempts) out.attempts = state.attempts;
    if (state?.skew != null) out.clockSkewMs = state.skew;
    stdout(JSON.stringify(out) + '\n');
  } else {
    const rows = [['kind', error.kind], ['code', error.code], ['message', error.message]];
    if (error.httpStatus !== undefined) rows.push(['http', String(error.httpStatus)]);
    if (error.requestId) rows.push(['request', error.requestId]);
    if (state?.attempts > 1) rows.push(['attempts', String(state.attempts)]);
    rows.push(['hint', error.hint]);
    stderr(`${PROGRAM}: error\n${table(rows)}`);
  }
  return exitCode;
}

const table = (rows) => rows.map(([k, v]) => `  ${k.padEnd(9)} ${v}\n`).join('');

function reportSuccess(result, s, state, json, target) {
  if (json) {
    const out = { ok: true, platform: s.platform, [s.P.flushField]: s.instanceNo };
    if (s.regionCode !== undefined) out.regionCode = s.regionCode;
    if (target) out[s.P.instanceNo] = target.instance.no;
    Object.assign(out, { attempts: state.attempts, result });
    if (state.skew != null) out.clockSkewMs = state.skew;
    stdout(JSON.stringify(out) + '\n');
    return;
  }
  if (s.platform !== 'classic') return reportServerFlush(result, s, target);
  const instance = result.cloudDBInstanceList.find((i) => i.cloudDBInstanceNo === s.instanceNo) ?? result.cloudDBInstanceList[0];
  let text = `Flushed Cloud DB for Redis instance ${s.instanceNo}.\n`;
  if (instance) {
    const servers = instance.cloudDBServerInstanceList.map((v) => {
      const info = [v.cloudDBServerRole?.code, v.cloudDBServerInstanceStatusName].filter(Boolean).join(', ');
      return `${v.cloudDBServerName ?? v.cloudDBServerInstanceNo ?? '?'}${info ? ` (${info})` : ''}`;
    });
    text += table([
      ['instance', instance.cloudDBInstanceNo ?? s.instanceNo],
      ['service', instance.cloudDBServiceName ?? '-'],
      ['engine', instance.engineVersion ?? '-'],
      ['status', instance.cloudDBInstanceStatusName ?? '-'],
      ['servers', servers.length ? servers.join(', ') : '-'],
    ]);
  }
  if (result.requestId) text += table([['request', result.requestId]]);
  stdout(text);
}

/** The human report of a VPC or Cache flush: the instance that holds the server, its servers. */
function reportServerFlush(result, s, target) {
  const answered = result[s.P.list].map((i) => describe(s, i));
  const instance = answered.find((i) => i.servers.some((v) => v.no === s.instanceNo)) ?? answered[0] ?? target.instance;
  let text = `Flushed ${s.P.service} server ${s.instanceNo}, the master of instance ${clean(instance.no)}.\n`;
  const servers = instance.servers.map((v) => {
    const info = [v.roleCode, v.status].filter(Boolean).map((x) => clean(x)).join(', ');
    return [clean(v.no, '?'), v.name ? clean(v.name) : null, info ? `(${info})` : null].filter(Boolean).join(' ');
  });
  const rows = [
    ['instance', clean(instance.no)],
    ['service', clean(instance.name)],
    ['engine', clean(instance.engine)],
    ['status', clean(instance.status)],
    ['servers', servers.length ? servers.join(', ') : '-'],
  ];
  if (instance.isHa) rows.push(['HA', 'yes: the replicas were cleared too']);
  if (result.requestId) rows.push(['request', clean(result.requestId)]);
  stdout(text + table(rows));
}

/** `list`: the instances as a table, one line per server; or, with --json, one object. */
function reportListing({ instances, answers, totalRows }, s) {
  const { P } = s;
  if (s.json) {
    const out = { ok: true, platform: s.platform };
    if (s.regionCode !== undefined) out.regionCode = s.regionCode;
    Object.assign(out, { totalRows, pages: answers.length, [P.list]: instances, answers });
    stdout(JSON.stringify(out) + '\n');
    return;
  }
  const where = s.regionCode !== undefined ? ` in region ${s.regionCode}` : '';
  if (!instances.length) {
    stdout(`No ${P.service} instances${where}.\n`);
    return;
  }
  const rows = [['INSTANCE', 'SERVICE', 'STATUS', 'ENGINE', 'HA', 'REGION', 'SERVER', 'SERVER NAME', 'ROLE']];
  for (const raw of instances) {
    const i = describe(s, raw);
    const head = [clean(i.no), clean(i.name), clean(i.status), clean(i.engine), i.isHa === undefined ? '-' : i.isHa ? 'yes' : 'no', clean(i.region)];
    const servers = i.servers.length ? i.servers : [{}];
    servers.forEach((v, n) => {
      const role = v.roleCode && v.role && v.role !== v.roleCode ? `${v.roleCode} (${v.role})` : v.roleCode ?? v.role;
      rows.push([...(n === 0 ? head : head.map(() => '')), clean(v.no), clean(v.name), clean(role)]);
    });
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  let text = rows.map((r) => r.map((v, c) => v.padEnd(widths[c])).join('  ').trimEnd() + '\n').join('');
  text += `${instances.length} ${P.service} instance${instances.length === 1 ? '' : 's'}${where}.`;
  if (s.platform !== 'classic') text += ` A flush names the master (M) server: ${PROGRAM} flush --platform ${s.platform} <SERVER>`;
  stdout(`${text}\n`);
}

// ---------------------------------------------------------------------------------------------

function version() {
  try {
    return JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

async function main(argv, env) {
  const jsonWanted = argv.includes('--json');
  let s = null;
  const state = { attempts: 0, offset: 0, offsetKnown: true, skew: null, skewWarned: false };
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
    s = settings(values, positionals, env);
    state.offsetKnown = !s.useServerTime;
    const listing = s.command === 'list';
    // Every argument is checked (instance number, endpoint, keys) before anything is asked or sent.
    const request = listing ? buildList(s, Date.now(), 1) : buildFlush(s, Date.now());
    if (s.dryRun) {
      const curl = curlCommand(request);
      if (s.json) {
        const out = { ok: true, dryRun: true, platform: s.platform };
        if (!listing) out[s.P.flushField] = s.instanceNo;
        stdout(JSON.stringify({ ...out, request, curl }) + '\n');
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
    if (!(e instanceof Error) || (!e.kind && !(e instanceof CliError))) {
      stderr(`${PROGRAM}: internal error: ${e?.stack ?? e}\n`);
      return EXIT.api;
    }
    return reportError(e, s, state, s?.json ?? jsonWanted);
  }
}

process.exitCode = await main(process.argv.slice(2), process.env);
