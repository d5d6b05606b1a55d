// The CLI's output: every line it writes goes through stdout()/stderr() here, with the secret
// (once known) masked and text from the server made safe for a terminal; the error report with
// its hint and exit code; the reports of a flush and of a listing.
import { CLOCK_WINDOW_MS, errorCause, instanceView, jsonText, shellQuote, stripControls } from '../domain.js';

/** @typedef {import('./args.mjs').Settings} Settings */
/** @typedef {import('../domain.js').InstanceView} InstanceView */
/** @typedef {import('../domain.js').ServerView} ServerView */
/**
 * What a run keeps between its requests (cli.mjs makes it): the attempts of the last request,
 * the offset added to this computer's clock to sign, whether it is known yet (--use-server-time
 * probes first), the server's clock offset last seen and whether it was warned about.
 * @typedef {{ attempts: number, offset: number, offsetKnown: boolean, skew: number | null, skewWarned: boolean }} State
 */
/**
 * An error as this program reports it: a CliError, the module's errors (kind, code, field,
 * httpStatus, details, requestId), the domain's; `hint` and `mayHaveRun` added on the way.
 * @typedef {Error & import('../domain.js').ErrorLike & { hint?: string, mayHaveRun?: boolean }} ReportedError
 */
/**
 * An instance as this program shows it: the domain's view, its region, and each server's role
 * as its code and its name.
 * @typedef {Omit<InstanceView, 'servers'> & { servers: ShownServer[] }} ShownInstance
 * @typedef {Omit<ServerView, 'role'> & { roleCode?: string, role?: string }} ShownServer
 */

export const PROGRAM = 'ncloud-redis-flush';
export const EXIT = { ok: 0, api: 1, usage: 2, network: 3 };
/** A server clock further than this from ours gets a warning. */
export const SKEW_WARN_MS = 60_000;
export const GATEWAY_WINDOW = `${CLOCK_WINDOW_MS / 60_000} minutes`;

/** An error of this program, with the fields the module's errors have. */
export class CliError extends Error {
  /**
   * @param {string} kind @param {string} code @param {string} message
   * @param {{ hint?: string, field?: string }} [extra]
   */
  constructor(kind, code, message, extra = {}) {
    super(message);
    this.kind = kind;
    this.code = code;
    /** @type {string | undefined} */
    this.hint = undefined;
    /** @type {boolean | undefined} */
    this.mayHaveRun = undefined;
    Object.assign(this, extra);
  }
}

/** @param {string} message @param {string} [hint] */
export const usageError = (message, hint) => new CliError('usage', 'ERR_USAGE', message, { hint });

// ---------------------------------------------------------------------------------------------
// Output: everything goes through here, with the secret (once known) masked.

/** The secrets of this run: never written, whatever writes. */
/** @type {string[]} */
export const secrets = [];
/** @param {unknown} text @returns {string} */
export function mask(text) {
  let out = String(text);
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('********');
  return out;
}
/**
 * What reaches the terminal: the secret masked, and no control character but newline and tab
 * (escape sequences removed whole), whoever wrote the text: an answer's names and messages cannot
 * move the cursor, clear the screen or set the window title. JSON output is escaped (jsonText)
 * and so passes unchanged.
 */
export const safe = (/** @type {unknown} */ text) => stripControls(mask(text));
export const stdout = (/** @type {unknown} */ text) => process.stdout.write(safe(text));
export const stderr = (/** @type {unknown} */ text) => process.stderr.write(safe(text));

/** `12 s ahead of`, `150 s (2 min 30 s) behind`: a clock offset for a sentence. @param {number} ms */
export function describeOffset(ms) {
  const s = Math.round(Math.abs(ms) / 1000);
  const human = s >= 120 ? ` (${Math.floor(s / 60)} min ${s % 60} s)` : '';
  return `${s} s${human} ${ms >= 0 ? 'ahead of' : 'behind'}`;
}


/** @param {string | URL} url @returns {string} */
export const origin = (url) => {
  try {
    return new URL(url).origin;
  } catch {
    return String(url);
  }
};


/**
 * The fields this program shows of an instance, whatever the platform (the domain's instanceView).
 * @param {{ platform: import('../domain.js').PlatformName }} s @param {Record<string, any>} raw
 * @returns {ShownInstance}
 */
export function describe(s, raw) {
  const view = instanceView(s.platform, raw);
  return {
    ...view,
    region: view.regionCode,
    servers: view.servers.map((v) => ({ ...v, roleCode: v.role?.code, role: v.role?.codeName ?? v.role?.code })),
  };
}

/** Text from the API for a table or a sentence: no control characters (not even a newline), escape sequences removed whole. */
/** @param {unknown} v @param {string} [fallback] @returns {string} */
export const clean = (v, fallback = '-') => {
  const text = v === undefined || v === null ? '' : stripControls(v).replace(/[\n\t]/g, ' ');
  return text === '' ? fallback : text;
};

/** Where requests go, for people: a gateway URL's origin, or NAVER Cloud's named gateway. */
/** @param {{ endpoint: string }} s */
export const endpointName = (s) => (s.endpoint.includes('://') ? origin(s.endpoint) : `NAVER Cloud (${s.endpoint})`);

/** The exact `list` command that shows what this run's flush names: same platform, region code, gateway and profile. */
/** @param {Settings} s */
export function listCommand(s) {
  const args = [PROGRAM, 'list', '--platform', s.platform];
  if (s.regionCode !== undefined) args.push('--region-code', s.regionCode);
  if (s.endpointSource === '--region' || s.endpointSource === '--endpoint') args.push(s.endpointSource, s.endpoint);
  if (s.profile !== undefined) args.push('--profile', s.profile);
  return args.map((a) => shellQuote(a)).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Results and errors.

/**
 * @param {ReportedError} e @param {Settings | null} [s] @param {State | null} [state]
 * @returns {string}
 */
export function hintFor(e, s, state) {
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

/** @param {ReportedError} e @returns {number} */
export function exitCodeFor(e) {
  if (e.mayHaveRun) return EXIT.network; // sent, outcome unknown: as a timeout is
  if (e.kind === 'usage' || e.kind === 'input') return EXIT.usage;
  if (e.kind === 'network' || e.kind === 'timeout') return EXIT.network;
  if (['parse', 'http', 'gateway', 'api'].includes(e.kind ?? '')) return EXIT.api;
  return EXIT.api;
}

/**
 * Writes the error (a table on stderr, or one JSON object on stdout); returns the exit code.
 * @param {ReportedError} e @param {Settings | null} s @param {State | null} state @param {boolean} json
 * @returns {number}
 */
export function reportError(e, s, state, json) {
  const exitCode = exitCodeFor(e);
  /** @type {{ kind: string, code: string, message: string, hint: string, field?: string, httpStatus?: number, details?: string, requestId?: string, mayHaveRun?: boolean }} */
  const error = {
    kind: e.kind ?? 'internal',
    code: e.code ?? 'ERR_INTERNAL',
    message: e.message,
    hint: hintFor(e, s, state),
  };
  for (const k of /** @type {const} */ (['field', 'httpStatus', 'details', 'requestId', 'mayHaveRun'])) if (e[k] !== undefined) Object.assign(error, { [k]: e[k] });
  if (json) {
    /** @type {{ ok: false, exitCode: number, error: typeof error, attempts?: number, clockSkewMs?: number }} */
    const out = { ok: false, exitCode, error };
    if (state?.attempts) out.attempts = state.attempts;
    if (state?.skew != null) out.clockSkewMs = state.skew;
    stdout(jsonText(out) + '\n');
  } else {
    /** @type {[string, string][]} */
    const rows = [['kind', clean(error.kind)], ['code', clean(error.code)], ['message', clean(error.message)]];
    if (error.httpStatus !== undefined) rows.push(['http', String(error.httpStatus)]);
    if (error.requestId) rows.push(['request', clean(error.requestId)]);
    if (state && state.attempts > 1) rows.push(['attempts', String(state.attempts)]);
    rows.push(['hint', clean(error.hint)]);
    stderr(`${PROGRAM}: error\n${table(rows)}`);
  }
  return exitCode;
}

/** @param {[string, string][]} rows */
export const table = (rows) => rows.map(([k, v]) => `  ${k.padEnd(9)} ${v}\n`).join('');

/**
 * The report of a flush: the instance as the answer shows it, or the answer as JSON.
 * @param {Record<string, any>} result  the parsed flush answer
 * @param {Settings} s @param {State} state @param {boolean} json
 * @param {import('./requests.mjs').Target | null} target  what was looked up before (VPC, Cache; Classic on a terminal)
 */
export function reportSuccess(result, s, state, json, target) {
  if (json) {
    /** @type {Record<string, unknown>} */
    const out = { ok: true, platform: s.platform, [s.P.flushField]: s.instanceNo };
    if (s.regionCode !== undefined) out.regionCode = s.regionCode;
    if (target) out[s.P.instanceNo] = target.instance.no;
    Object.assign(out, { attempts: state.attempts, result });
    if (state.skew != null) out.clockSkewMs = state.skew;
    stdout(jsonText(out) + '\n');
    return;
  }
  if (s.platform !== 'classic') return reportServerFlush(result, s, /** @type {import('./requests.mjs').Target} */ (target));
  const answered = /** @type {Record<string, any>[]} */ (result.cloudDBInstanceList).map((i) => describe(s, i));
  const instance = answered.find((i) => i.no === s.instanceNo) ?? answered[0];
  let text = `Flushed Cloud DB for Redis instance ${s.instanceNo}.\n`;
  if (instance) {
    const servers = instance.servers.map((v) => {
      const info = [v.roleCode, v.status].filter(Boolean).map((x) => clean(x)).join(', ');
      return `${clean(v.name ?? v.no, '?')}${info ? ` (${info})` : ''}`;
    });
    text += table([
      ['instance', clean(instance.no ?? s.instanceNo)],
      ['service', clean(instance.name)],
      ['engine', clean(instance.engine)],
      ['status', clean(instance.status)],
      ['servers', servers.length ? servers.join(', ') : '-'],
    ]);
  }
  if (result.requestId) text += table([['request', clean(result.requestId)]]);
  stdout(text);
}

/**
 * The human report of a VPC or Cache flush: the instance that holds the server, its servers.
 * @param {Record<string, any>} result @param {Settings} s
 * @param {import('./requests.mjs').Target} target  findMaster's: a VPC or Cache flush is made after it
 */
function reportServerFlush(result, s, target) {
  const answered = /** @type {Record<string, any>[]} */ (result[s.P.list]).map((i) => describe(s, i));
  const instance = answered.find((i) => i.servers.some((v) => v.no === s.instanceNo)) ?? answered[0] ?? target.instance;
  let text = `Flushed ${s.P.service} server ${s.instanceNo}, the master of instance ${clean(instance.no)}.\n`;
  const servers = instance.servers.map((v) => {
    const info = [v.roleCode, v.status].filter(Boolean).map((x) => clean(x)).join(', ');
    return [clean(v.no, '?'), v.name ? clean(v.name) : null, info ? `(${info})` : null].filter(Boolean).join(' ');
  });
  /** @type {[string, string][]} */
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

/**
 * `list`: the instances as a table, one line per server; or, with --json, one object.
 * @param {{ instances: Record<string, any>[], answers: unknown[], totalRows: number }} listing
 * @param {Settings} s
 */
export function reportListing({ instances, answers, totalRows }, s) {
  const { P } = s;
  if (s.json) {
    /** @type {Record<string, unknown>} */
    const out = { ok: true, platform: s.platform };
    if (s.regionCode !== undefined) out.regionCode = s.regionCode;
    Object.assign(out, { totalRows, pages: answers.length, [P.list]: instances, answers });
    stdout(jsonText(out) + '\n');
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
    const servers = i.servers.length ? i.servers : [/** @type {ShownServer} */ ({})];
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
