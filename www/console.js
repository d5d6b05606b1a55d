// The console's pure logic: validation, endpoints, formatting, hints and the sentences about a
// target. No DOM, no clock, no I/O, so Node's test runner checks it (tests/console/logic.test.mjs).
// What the CLI shares (the platform table, the curl command, the clock offset, the listing pager,
// error titles and causes, the instance view) is the package's domain module, loaded from the
// package next to this page as the package itself is.
import { CLOCK_WINDOW_MS, PLATFORMS, errorCause, errorTitle, isMaster, platformOf } from './pkg/domain.js';

export {
  API_PREFIXES, CLOCK_WINDOW_MS, LIST_MAX_PAGES, LIST_PAGE_SIZE, PLATFORMS, clockOffset, curlCommand, errorTitle,
  MAX_ANSWER_BYTES, findTarget, flushNumberOf, instanceView, instancesOf, isMaster, listAllPages, readAnswer, shellQuote,
} from './pkg/domain.js';

/** @typedef {import('./pkg/domain.js').PlatformName} PlatformName */
/** @typedef {import('./pkg/domain.js').InstanceView} InstanceView */
/** @typedef {import('./pkg/domain.js').ServerView} ServerView */
/** @typedef {import('./pkg/domain.js').CommonCode} CommonCode */
/** @typedef {import('./pkg/domain.js').ErrorLike} ErrorLike */
/** What a flush names, as the listing knows it (the domain's findTarget). @typedef {{ instance: InstanceView, server: ServerView | null }} Target */
/**
 * A field's check: `valid`, the message to show when it is not, and what the check read
 * (`url`: the base URL; `ms`: the timeout).
 * @typedef {{ valid: boolean, message: string, url?: string, ms?: number }} Check
 */
/** @typedef {keyof typeof ENDPOINTS} EndpointChoice */
/**
 * What the hints know of a request: the action, the platform, the path, the base URL, the
 * endpoint chosen, the page's origin, the number and region code, the master server's number,
 * the timeout and the clock offset measured (each optional).
 * @typedef {object} HintContext
 * @property {'flush' | 'list'} [action]
 * @property {PlatformName} [platform]
 * @property {string} [path]
 * @property {string} [base]
 * @property {string} [endpoint]
 * @property {string} [pageOrigin]
 * @property {string} [instanceNo]
 * @property {string} [regionCode]
 * @property {string | null} [master]
 * @property {number} [timeoutMs]
 * @property {number | null} [clockOffsetMs]
 */

export const DEFAULT_TIMEOUT_S = 30;
export const MAX_TIMEOUT_S = 300;
export const FLUSH_PATH = PLATFORMS.classic.flushPath;
export const DEFAULT_REGION = 'KR';

/**
 * Where the console sends requests. `upstream`: the URL the gateway's --upstream must name.
 * @type {Record<'origin' | 'public' | 'gov' | 'fin' | 'custom', { label: string, upstream?: string }>}
 */
export const ENDPOINTS = {
  origin: { label: 'This gateway' },
  public: { label: 'NAVER Cloud public', upstream: 'https://ncloud.apigw.ntruss.com' },
  gov: { label: 'NAVER Cloud gov', upstream: 'https://ncloud.apigw.gov-ntruss.com' },
  fin: { label: 'NAVER Cloud fin', upstream: 'https://fin-ncloud.apigw.fin-ntruss.com' },
  custom: { label: 'Custom base URL' },
};

/** @param {{ url?: string, ms?: number }} [extra] @returns {Check} */
const ok = (extra = {}) => ({ valid: true, message: '', ...extra });
/** @param {string} message @returns {Check} */
const bad = (message) => ({ valid: false, message });

/** Names a character for a message: `"a"`, `a space`, `a tab`, `U+00A0`. @param {string} ch */
function nameOf(ch) {
  if (ch === ' ') return 'a space';
  if (ch === '\t') return 'a tab';
  if (ch === '\n' || ch === '\r') return 'a line break';
  const cp = /** @type {number} */ (ch.codePointAt(0));
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || /\s/u.test(ch)) return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `“${ch}”`;
}

/** Lists up to 3 distinct characters: `“a”, “-” and a space`. @param {string[]} chars */
function listChars(chars) {
  const names = [...new Set(chars)].slice(0, 3).map(nameOf);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
}

/**
 * An instance number as the API (and buildFlushRequest) accept it: 1–19 digits, no leading 0. On
 * VPC and Cache the flush takes the master *server*'s number.
 * @param {string} value @param {string} [platform]
 * @returns {Check}
 */
export function validateInstanceNo(value, platform = 'classic') {
  if (value === '') {
    return bad(platformOf(platform)?.byServer
      ? 'Enter the master server’s number, or pick an instance after List instances.'
      : 'Enter the instance number, e.g. 882689.');
  }
  const others = [...value].filter((c) => c < '0' || c > '9');
  if (others.length) return bad(`Digits only: remove ${listChars(others)}.`);
  if (value[0] === '0') return bad('No leading zero: instance numbers start with 1–9.');
  if (value.length > 19) return bad(`Too long: at most 19 digits (this has ${value.length}).`);
  return ok();
}

/**
 * A region code such as KR, SGN or JPN, as NAVER Cloud writes them: upper-case letters, digits and
 * `-`, at most 16 (the library takes lower case too, but no region is named so).
 * @param {string} value @returns {Check}
 */
export function validateRegionCode(value) {
  if (value === '') return bad(`Enter the region code, e.g. ${DEFAULT_REGION}.`);
  const others = [...value].filter((c) => !/[A-Za-z0-9-]/.test(c));
  if (others.length) return bad(`Letters, digits and “-” only: remove ${listChars(others)}.`);
  if (value.length > 16) return bad(`Too long: at most 16 characters (this has ${value.length}).`);
  if (value !== value.toUpperCase()) return bad(`Region codes are upper case: ${value.toUpperCase()}.`);
  return ok();
}

/**
 * The options of buildFlushRequest that name what is flushed, on `platform`.
 * @param {PlatformName} platform @param {string} number @param {string} [regionCode]
 * @returns {Partial<import('./pkg/index.browser.js').FlushRequestOptions>}
 */
export function flushParams(platform, number, regionCode) {
  if (platform === 'classic') return { cloudDBInstanceNo: number };
  return /** @type {Partial<import('./pkg/index.browser.js').FlushRequestOptions>} */ ({ platform, [PLATFORMS[platform].flushField]: number, regionCode });
}

/**
 * The options of buildListRequest that choose the listing, on `platform`.
 * @param {PlatformName} platform @param {string} [regionCode]
 * @returns {{ platform: PlatformName, regionCode?: string }}
 */
export function listParams(platform, regionCode) {
  return platform === 'classic' ? { platform } : { platform, regionCode };
}

/**
 * An access key or secret key: present, without surrounding spaces (a paste accident).
 * @param {string} value @param {string} what @returns {Check}
 */
export function validateKey(value, what) {
  if (value === '') return bad(`Enter the ${what}.`);
  if (value.trim() !== value) return bad(`The ${what} starts or ends with a space: remove it.`);
  return ok();
}

/**
 * A custom base URL: absolute http(s), no credentials, query or fragment. `url`: without a trailing `/`.
 * @param {string} value @returns {Check}
 */
export function validateBaseUrl(value) {
  const text = value.trim();
  if (text === '') return bad('Enter the base URL, e.g. http://127.0.0.1:8080.');
  let url;
  try {
    url = new URL(text);
  } catch {
    return bad('Not a URL: write it in full, e.g. http://127.0.0.1:8080.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return bad('Use an http:// or https:// URL.');
  if (url.username || url.password) return bad('Remove the user name and password from the URL.');
  if (url.search || text.includes('?')) return bad('Remove the query (“?…”): give the base URL only.');
  if (url.hash || text.includes('#')) return bad('Remove the fragment (“#…”): give the base URL only.');
  return ok({ url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` });
}

/** The request timeout in seconds, 1 to 300; `ms` when valid. @param {string} value @returns {Check} */
export function validateTimeout(value) {
  if (!/^\d+$/.test(value)) return bad(`Whole seconds, 1 to ${MAX_TIMEOUT_S}.`);
  const s = Number(value);
  if (s < 1 || s > MAX_TIMEOUT_S) return bad(`Between 1 and ${MAX_TIMEOUT_S} seconds.`);
  return ok({ ms: s * 1000 });
}

/**
 * The base URL requests go to. `this gateway` and the three NAVER Cloud regions all mean the page's
 * own origin: the gateway that serves the console forwards /clouddb/ to its --upstream.
 * @param {string} choice @param {string} customUrl @param {string} origin
 * @returns {{ valid: boolean, base: string, message: string }}
 */
export function resolveEndpoint(choice, customUrl, origin) {
  if (choice === 'custom') {
    const check = validateBaseUrl(customUrl);
    return check.valid ? { valid: true, base: check.url ?? '', message: '' } : { valid: false, base: '', message: check.message };
  }
  if (!endpointOf(choice)) return { valid: false, base: '', message: `Unknown endpoint “${choice}”.` };
  return { valid: true, base: origin, message: '' };
}

/**
 * The endpoint named `choice`, or undefined for any other text.
 * @param {string} choice
 */
const endpointOf = (choice) => (Object.hasOwn(ENDPOINTS, choice) ? ENDPOINTS[/** @type {EndpointChoice} */ (choice)] : undefined);

/**
 * The sentence under the endpoint choice: where requests go, and what must be true for it to work.
 * @param {string} choice @param {string} origin
 */
export function endpointNote(choice, origin) {
  const e = endpointOf(choice);
  if (choice === 'custom') {
    return 'Requests go straight to this URL. A server on another origin must answer CORS and expose Date (ncloud-gateway does).';
  }
  if (e?.upstream) {
    return `Requests go to this gateway (${origin}); it reaches ${e.label} only if it runs with `
      + `--upstream ${e.upstream}. Otherwise it answers from its own configuration: this page cannot tell.`;
  }
  return `Requests go to the server of this page (${origin}): ncloud-gateway, emulating or forwarding.`;
}

/** Bytes in binary units: `3 GiB`, `1.5 GiB`, `512 MiB`, `0 B`. @param {unknown} bytes */
export function formatBytes(bytes) {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : value < 10 ? 2 : value < 100 ? 1 : 0;
  const text = value.toFixed(digits).replace(/\.?0+$/, '');
  return `${text === '' ? '0' : text} ${units[unit]}`;
}

/** A duration, rounded to the second: `45 s`, `3 min 5 s`, `2 h 7 min`, `3 d 4 h`. @param {number} ms */
export function formatDuration(ms) {
  let s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s} s`;
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d) return h ? `${d} d ${h} h` : `${d} d`;
  if (h) return m ? `${h} h ${m} min` : `${h} h`;
  return s ? `${m} min ${s} s` : `${m} min`;
}

const API_DATE = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d+)?(Z|[+-]\d\d:?\d\d)$/;

/** Milliseconds of an API date such as `2018-12-28T17:28:00+0900`, or null. @param {string | null | undefined} text */
export function parseApiDate(text) {
  const m = API_DATE.exec(text ?? '');
  if (!m) return null;
  const zone = m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].slice(-2)}`;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
  return Number.isNaN(ms) ? null : ms;
}

/** An API date for people, in its own zone: `2018-12-28 17:28:00 +09:00`; other text as is. @param {string | null | undefined} text */
export function formatApiDate(text) {
  const m = API_DATE.exec(text ?? '');
  if (!m) return text ?? '';
  const zone = m[7] === 'Z' ? 'UTC' : `${m[7].slice(0, 3)}:${m[7].slice(-2)}`;
  return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]} ${zone}`;
}

/** `Your clock is 10 min behind the server’s` (offset: server minus browser, in ms). @param {number} offsetMs */
function offsetPhrase(offsetMs) {
  return `Your clock is ${formatDuration(offsetMs)} ${offsetMs > 0 ? 'behind' : 'ahead of'} the server’s`;
}

/** @param {unknown} offsetMs @returns {offsetMs is number} */
const beyondWindow = (offsetMs) => typeof offsetMs === 'number' && Math.abs(offsetMs) > CLOCK_WINDOW_MS - 2000;

/** A sentence about the offset clockOffset measured. @param {number | null | undefined} offsetMs */
export function describeClockOffset(offsetMs) {
  if (typeof offsetMs !== 'number') return 'The server sent no Date header, so the clocks could not be compared.';
  if (Math.abs(offsetMs) < 2000) return 'Your clock and the server’s agree (within about a second).';
  return beyondWindow(offsetMs)
    ? `${offsetPhrase(offsetMs)}: more than the 5 minutes the gateway allows.`
    : `${offsetPhrase(offsetMs)}, within the 5 minutes the gateway allows.`;
}

/** @param {HintContext} ctx */
const notAGateway = (ctx) => {
  const path = ctx.path ?? FLUSH_PATH;
  return ctx.endpoint === 'custom'
    ? `Nothing answers ${path} at ${ctx.base}: check the base URL; it must be an API gateway such as ncloud-gateway.`
    : `The server of this page (${ctx.base}) does not answer ${path}: it is not ncloud-gateway (a static server?). `
      + 'Open the console from ncloud-gateway, or choose “Custom base URL” and enter the gateway’s address.';
};

/**
 * What a person can do about an error. `ctx`: { action ('flush' or 'list'), platform, path, base,
 * endpoint, pageOrigin, instanceNo, regionCode, master, timeoutMs, clockOffsetMs } (each optional).
 * @param {ErrorLike} error @param {HintContext} [ctx]
 * @returns {string}
 */
export function hintFor(error, ctx = {}) {
  const base = ctx.base ?? 'the gateway';
  const listing = ctx.action === 'list';
  const platform = platformOf(ctx.platform) ?? PLATFORMS.classic;
  // The domain's one reading of the kinds and codes (errorCause); the words are the console's.
  switch (errorCause(error)) {
    case 'unreachable': {
      let text = `Is the gateway running at ${base}? Start it (ncloud-gateway --config gateway.toml) or correct the endpoint.`;
      const loopback = /^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/.test(base);
      if (ctx.pageOrigin?.startsWith('https:') && base.startsWith('http:') && !loopback) {
        text += ' This page is https: browsers block its requests to http URLs other than loopback.';
      } else if (ctx.pageOrigin && !base.startsWith(ctx.pageOrigin)) {
        text += ' A gateway on another origin must also answer CORS (ncloud-gateway does).';
      }
      return text;
    }
    case 'no-answer':
      if (listing) return `No answer within ${formatDuration(ctx.timeoutMs ?? DEFAULT_TIMEOUT_S * 1000)}. A listing changes nothing: try again, or raise the timeout.`;
      return `No answer within ${formatDuration(ctx.timeoutMs ?? DEFAULT_TIMEOUT_S * 1000)}. The request was sent: the instance may have been flushed anyway. Check it before trying again, or raise the timeout.`;
    case 'cancelled':
      if (listing) return 'A listing changes nothing: list again when you are ready.';
      return 'The request had been sent: the instance may have been flushed anyway. Check it before trying again.';
    case 'auth':
      if (beyondWindow(ctx.clockOffsetMs)) {
        return `${offsetPhrase(ctx.clockOffsetMs)}: set it right (sync it with NTP) and try again. `
          + 'The gateway refuses a timestamp more than 5 minutes away from its own clock.';
      }
      return 'Check the access key and the secret key: copy them again from the NAVER Cloud console '
        + '(a key of another account fails the same way). If they are right, check the clock: the gateway '
        + 'refuses a timestamp more than 5 minutes away from its own.';
    case 'permission': return `The access key may not call this API: give its account or sub account permission for ${ctx.platform ? platform.product : 'Cloud DB for Redis'}.`;
    case 'not-found': return notAGateway(ctx);
    case 'rate-limit': return 'Too many requests: wait a minute, then try again.';
    case 'too-large': return 'The request was larger than the gateway accepts.';
    case 'upstream-unreachable': return 'The gateway could not reach its upstream: check its --upstream URL and its network.';
    case 'upstream-timeout': return listing
      ? 'The upstream did not answer the gateway in time: try again later.'
      : 'The upstream did not answer the gateway in time: try again later; the instance may have been flushed anyway.';
    case 'gateway': return 'See the gateway’s message above.';
    case 'unknown-target':
      if (platform.byServer) {
        return `Unknown server${ctx.instanceNo ? ` ${ctx.instanceNo}` : ''}${ctx.regionCode ? ` in region ${ctx.regionCode}` : ''}: `
          + 'the flush takes the master server’s number, in the instance’s region. List instances and pick the instance: '
          + 'the console fills in its master’s number.';
      }
      return `Unknown instance${ctx.instanceNo ? ` ${ctx.instanceNo}` : ''}: check the number in the Cloud DB for Redis console, and that the endpoint (region) is the instance’s.`;
    case 'not-master':
      return `${ctx.instanceNo ? `Server ${ctx.instanceNo}` : 'This server'} is not a master: the flush takes the master server’s number`
        + `${ctx.master ? `, ${ctx.master}` : ''}. List instances and pick the instance: the console fills it in.`;
    case 'busy': return listing
      ? 'The service could not answer right now. Try again in a moment.'
      : 'The service could not flush the instance right now (Redis unreachable or busy). Try again in a moment; if it lasts, check the instance’s status.';
    case 'bad-parameter':
      if (listing) return 'The API refused a parameter of the listing: check the region code and the response format.';
      return platform.byServer
        ? 'The API refused a parameter: check the server number, the region code and the response format.'
        : 'The API refused a parameter: check the instance number and the response format.';
    case 'api': return listing
      ? 'The API refused the listing: read its message above.'
      : 'The API refused the flush: read its message above; the instance may not be in a state that can be flushed.';
    case 'answer-too-large': return listing
      ? `The answer is far larger than an API answer: is ${base} an API gateway?`
      : `The answer is far larger than an API answer: is ${base} an API gateway? The request was sent and its answer not read: the instance may have been flushed anyway. Check it before trying again.`;
    case 'server-failed': return `The server at ${base} failed (HTTP ${error.httpStatus}). Try again later.`;
    case 'http': return `The server at ${base} answered HTTP ${error.httpStatus} without an API error: check the endpoint.`;
    case 'not-an-answer':
      return `The answer is not a Cloud DB API answer: is ${base} an API gateway? A static server answers with a page.`;
    case 'input':
      return error.field ? `Correct the ${error.field} field.` : 'Correct the form.';
    default:
      return '';
  }
}

/** One line for the session's history: `Flushed`, `gateway 200 · HTTP 401`, `Timed out` … @param {ErrorLike | null} error */
export function outcomeText(error) {
  if (!error) return 'Flushed';
  if (error.kind === 'cancelled') return 'Cancelled';
  if (error.kind === 'timeout') return 'Timed out';
  if (error.kind === 'network') return 'Network error';
  const status = error.httpStatus ? ` · HTTP ${error.httpStatus}` : '';
  return `${errorTitle(error)} (${error.kind} ${error.code}${status})`;
}

/** The badge colour of a status name. @param {string | null | undefined} name */
export function statusTone(name) {
  const s = (name ?? '').toLowerCase();
  if (s === 'running') return 'ok';
  if (['settingup', 'creating', 'pending', 'rebooting', 'upgrading', 'recovering', 'changing'].includes(s)) return 'busy';
  if (['deleting', 'deleted', 'error', 'failed', 'stopped'].includes(s)) return 'bad';
  return 'neutral';
}

/** `Yes`, `No`, or `—` when unknown. */
export const yesNo = (/** @type {unknown} */ value) => (value === true ? 'Yes' : value === false ? 'No' : '—');

/** `Master (M)`, `Slave (S)` … from a CommonCode. @param {CommonCode | null | undefined} role */
export function roleText(role) {
  if (!role) return '—';
  if (role.codeName && role.code) return `${role.codeName} (${role.code})`;
  return role.codeName ?? role.code ?? '—';
}

/** `orders-001 (11034561)`, or the number alone. */
export const serverText = (/** @type {ServerView} */ server) => (server.name ? `${server.name} (${server.no})` : String(server.no));

/** `orders-002 and orders-003`. @param {(string | undefined)[]} names */
function joinNames(names) {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0] ?? '';
}

/** `daily at 03:00, kept 1 d`, or undefined. @param {InstanceView} instance */
export function backupText(instance) {
  if (!instance.backupTime) return undefined;
  return `${instance.backupTime} daily${instance.backupRetention ? `, kept ${instance.backupRetention} d` : ''}`;
}

/**
 * The sentence under the number field about what it names, from the last listing: `{ text, tone }`
 * (tone `info`, or `warn` for a replica's number); null when the number is not in the listing.
 * @param {Target | null | undefined} target
 * @returns {{ tone: 'info' | 'warn', text: string } | null}
 */
export function describeTarget(target) {
  if (!target) return null;
  const { instance, server } = target;
  const name = instance.name ? `${instance.name} (instance ${instance.no})` : `instance ${instance.no}`;
  const replicas = instance.servers.filter((s) => !isMaster(s)).map((s) => s.name ?? s.no);
  const ha = instance.isHa
    ? ` HA: ${replicas.length ? `its ${replicas.length > 1 ? 'replicas' : 'replica'} ${joinNames(replicas)} ${replicas.length > 1 ? 'are' : 'is'}` : 'its replicas are'} cleared too.`
    : '';
  if (!server) return { tone: 'info', text: `Flushes ${name}.${ha}` };
  if (!isMaster(server)) {
    const master = instance.servers.find(isMaster);
    return {
      tone: 'warn',
      text: `${server.no} is ${server.name ?? 'a server'}, a ${server.role?.codeName ?? 'replica'} of ${name}: the flush takes the master’s number`
        + `${master ? `, ${master.no}` : ''}. The API refuses a replica’s.`,
    };
  }
  return { tone: 'info', text: `Flushes ${name} through its master server ${serverText(server)}.${ha}` };
}

/**
 * What the confirmation accepts, exactly: the instance's service name or its number when the
 * listing knows the target, else the number that is sent.
 * @param {Target | null | undefined} target @param {string} number
 * @returns {string[]}
 */
export function confirmWords(target, number) {
  if (!target) return [number];
  return [...new Set([target.instance.name, target.instance.no].filter(/** @returns {w is string} */ (w) => w !== undefined && w !== null && w !== ''))];
}

/**
 * The confirmation's warning for an HA instance: the replicas are cleared too, and the data comes
 * back only from a backup, as of its time. Empty for an instance that is not HA.
 * @param {InstanceView | null | undefined} instance
 */
export function haWarning(instance) {
  if (!instance?.isHa) return '';
  const replicas = instance.servers.filter((s) => !isMaster(s)).map((s) => s.name ?? s.no);
  const who = instance.name ?? `Instance ${instance.no}`;
  const cleared = replicas.length
    ? `its ${replicas.length > 1 ? 'replicas' : 'replica'} ${joinNames(replicas)} ${replicas.length > 1 ? 'are' : 'is'} cleared too`
    : 'its replicas are cleared too';
  const backup = instance.isBackup === false
    ? 'Backups are off for this instance: nothing can bring the data back.'
    : `The data comes back only from a backup, as of the backup’s time${instance.backupTime ? ` (backups run daily at ${instance.backupTime}${instance.backupRetention ? `, kept ${instance.backupRetention} d` : ''})` : ''}.`;
  return `${who} is highly available (HA): the flush runs on the master and ${cleared}. ${backup}`;
}
