// The console's pure logic: validation, endpoints, the curl command, formatting, error titles and
// hints. No DOM, no clock, no I/O, so Node's test runner checks it (tests/console/logic.test.mjs).

/** The gateway refuses timestamps further than this from its clock (NAVER Cloud: 5 minutes). */
export const CLOCK_WINDOW_MS = 5 * 60 * 1000;
export const DEFAULT_TIMEOUT_S = 30;
export const MAX_TIMEOUT_S = 300;
export const FLUSH_PATH = '/clouddb/v2/flushCloudDBInstance';

/** Where the console sends requests. `upstream`: the URL the gateway's --upstream must name. */
export const ENDPOINTS = {
  origin: { label: 'This gateway' },
  public: { label: 'NAVER Cloud public', upstream: 'https://ncloud.apigw.ntruss.com' },
  gov: { label: 'NAVER Cloud gov', upstream: 'https://ncloud.apigw.gov-ntruss.com' },
  fin: { label: 'NAVER Cloud fin', upstream: 'https://fin-ncloud.apigw.fin-ntruss.com' },
  custom: { label: 'Custom base URL' },
};

const ok = (extra = {}) => ({ valid: true, message: '', ...extra });
const bad = (message) => ({ valid: false, message });

/** Names a character for a message: `"a"`, `a space`, `a tab`, `U+00A0`. */
function nameOf(ch) {
  if (ch === ' ') return 'a space';
  if (ch === '\t') return 'a tab';
  if (ch === '\n' || ch === '\r') return 'a line break';
  const cp = ch.codePointAt(0);
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || /\s/u.test(ch)) return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `“${ch}”`;
}

/** Lists up to 3 distinct characters: `“a”, “-” and a space`. */
function listChars(chars) {
  const names = [...new Set(chars)].slice(0, 3).map(nameOf);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names[0];
}

/** An instance number as the API (and buildFlushRequest) accept it: 1–19 digits, no leading 0. */
export function validateInstanceNo(value) {
  if (value === '') return bad('Enter the instance number, e.g. 882689.');
  const others = [...value].filter((c) => c < '0' || c > '9');
  if (others.length) return bad(`Digits only: remove ${listChars(others)}.`);
  if (value[0] === '0') return bad('No leading zero: instance numbers start with 1–9.');
  if (value.length > 19) return bad(`Too long: at most 19 digits (this has ${value.length}).`);
  return ok();
}

/** An access key or secret key: present, without surrounding spaces (a paste accident). */
export function validateKey(value, what) {
  if (value === '') return bad(`Enter the ${what}.`);
  if (value.trim() !== value) return bad(`The ${what} starts or ends with a space: remove it.`);
  return ok();
}

/** A custom base URL: absolute http(s), no credentials, query or fragment. `url`: without a trailing `/`. */
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

/** The request timeout in seconds, 1 to 300; `ms` when valid. */
export function validateTimeout(value) {
  if (!/^\d+$/.test(value)) return bad(`Whole seconds, 1 to ${MAX_TIMEOUT_S}.`);
  const s = Number(value);
  if (s < 1 || s > MAX_TIMEOUT_S) return bad(`Between 1 and ${MAX_TIMEOUT_S} seconds.`);
  return ok({ ms: s * 1000 });
}

/**
 * The base URL requests go to. `this gateway` and the three NAVER Cloud regions all mean the page's
 * own origin: the gateway that serves the console forwards /clouddb/ to its --upstream.
 */
export function resolveEndpoint(choice, customUrl, origin) {
  if (choice === 'custom') {
    const check = validateBaseUrl(customUrl);
    return check.valid ? { valid: true, base: check.url, message: '' } : { valid: false, base: '', message: check.message };
  }
  if (!ENDPOINTS[choice]) return { valid: false, base: '', message: `Unknown endpoint “${choice}”.` };
  return { valid: true, base: origin, message: '' };
}

/** The sentence under the endpoint choice: where requests go, and what must be true for it to work. */
export function endpointNote(choice, origin) {
  const e = ENDPOINTS[choice];
  if (choice === 'custom') {
    return 'Requests go straight to this URL. A server on another origin must answer CORS and expose Date (ncloud-gateway does).';
  }
  if (e?.upstream) {
    return `Requests go to this gateway (${origin}); it reaches ${e.label} only if it runs with `
      + `--upstream ${e.upstream}. Otherwise it answers from its own configuration: this page cannot tell.`;
  }
  return `Requests go to the server of this page (${origin}): ncloud-gateway, emulating or forwarding.`;
}

/** Quotes a word for a POSIX shell. */
export function shellQuote(text) {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/** A curl command that sends `request` ({ method, url, headers, body? }) exactly. */
export function curlCommand(request) {
  const parts = [`curl -X ${shellQuote(request.method)} ${shellQuote(request.url)}`];
  for (const [name, value] of Object.entries(request.headers)) parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (request.body !== undefined && request.body !== null) parts.push(`--data-raw ${shellQuote(request.body)}`);
  return parts.join(' \\\n  ');
}

/** Bytes in binary units: `3 GiB`, `1.5 GiB`, `512 MiB`, `0 B`. */
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

/** A duration, rounded to the second: `45 s`, `3 min 5 s`, `2 h 7 min`, `3 d 4 h`. */
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

/** Milliseconds of an API date such as `2018-12-28T17:28:00+0900`, or null. */
export function parseApiDate(text) {
  const m = API_DATE.exec(text ?? '');
  if (!m) return null;
  const zone = m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].slice(-2)}`;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
  return Number.isNaN(ms) ? null : ms;
}

/** An API date for people, in its own zone: `2018-12-28 17:28:00 +09:00`; other text as is. */
export function formatApiDate(text) {
  const m = API_DATE.exec(text ?? '');
  if (!m) return text ?? '';
  const zone = m[7] === 'Z' ? 'UTC' : `${m[7].slice(0, 3)}:${m[7].slice(-2)}`;
  return `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}:${m[6]} ${zone}`;
}

/**
 * The server's clock minus the browser's, in ms, from the answer's `Date` header (whole seconds)
 * and the browser's clock when the request left and the answer came; null without a usable Date.
 */
export function clockOffset(dateHeader, sentAt, receivedAt) {
  const server = Date.parse(dateHeader ?? '');
  if (Number.isNaN(server)) return null;
  // Date truncates to the second: the server's time was on average half a second later.
  return server + 500 - (sentAt + receivedAt) / 2;
}

/** `Your clock is 10 min behind the server’s` (offset: server minus browser, in ms). */
function offsetPhrase(offsetMs) {
  return `Your clock is ${formatDuration(offsetMs)} ${offsetMs > 0 ? 'behind' : 'ahead of'} the server’s`;
}

const beyondWindow = (offsetMs) => typeof offsetMs === 'number' && Math.abs(offsetMs) > CLOCK_WINDOW_MS - 2000;

/** A sentence about the offset clockOffset measured. */
export function describeClockOffset(offsetMs) {
  if (typeof offsetMs !== 'number') return 'The server sent no Date header, so the clocks could not be compared.';
  if (Math.abs(offsetMs) < 2000) return 'Your clock and the server’s agree (within about a second).';
  return beyondWindow(offsetMs)
    ? `${offsetPhrase(offsetMs)}: more than the 5 minutes the gateway allows.`
    : `${offsetPhrase(offsetMs)}, within the 5 minutes the gateway allows.`;
}

const GATEWAY_TITLES = {
  200: 'Authentication failed', 210: 'Permission denied', 300: 'Not found', 400: 'Quota exceeded',
  410: 'Throttled', 420: 'Rate limited', 430: 'Request too large', 500: 'Upstream unreachable',
  510: 'Upstream timed out', 900: 'Unexpected gateway error',
};
const API_TITLES = { 1000: 'Try again later', 1001: 'Invalid parameter', 1002: 'Invalid instance number', 1003: 'Unknown instance' };

/** A short title for an error (the library's, or the console's own kinds network/timeout/cancelled). */
export function errorTitle(error) {
  switch (error.kind) {
    case 'network': return 'Could not reach the gateway';
    case 'timeout': return 'No answer in time';
    case 'cancelled': return 'Cancelled';
    case 'gateway': return GATEWAY_TITLES[error.code] ?? 'API Gateway error';
    case 'api': return API_TITLES[error.code] ?? 'The API refused the flush';
    case 'http': return `HTTP ${error.httpStatus ?? 'error'}`;
    case 'parse': return 'Unreadable answer';
    case 'input': return 'Invalid input';
    default: return 'Error';
  }
}

const notAGateway = (ctx) => (ctx.endpoint === 'custom'
  ? `Nothing answers ${FLUSH_PATH} at ${ctx.base}: check the base URL; it must be an API gateway such as ncloud-gateway.`
  : `The server of this page (${ctx.base}) does not answer ${FLUSH_PATH}: it is not ncloud-gateway (a static server?). `
    + 'Open the console from ncloud-gateway, or choose “Custom base URL” and enter the gateway’s address.');

/**
 * What a person can do about an error. `ctx`: { base, endpoint, pageOrigin, instanceNo,
 * timeoutMs, clockOffsetMs } (each optional).
 */
export function hintFor(error, ctx = {}) {
  const base = ctx.base ?? 'the gateway';
  switch (error.kind) {
    case 'network': {
      let text = `Is the gateway running at ${base}? Start it (ncloud-gateway --config gateway.toml) or correct the endpoint.`;
      const loopback = /^http:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?(\/|$)/.test(base);
      if (ctx.pageOrigin?.startsWith('https:') && base.startsWith('http:') && !loopback) {
        text += ' This page is https: browsers block its requests to http URLs other than loopback.';
      } else if (ctx.pageOrigin && !base.startsWith(ctx.pageOrigin)) {
        text += ' A gateway on another origin must also answer CORS (ncloud-gateway does).';
      }
      return text;
    }
    case 'timeout':
      return `No answer within ${formatDuration(ctx.timeoutMs ?? DEFAULT_TIMEOUT_S * 1000)}. The request was sent: the instance may have been flushed anyway. Check it before trying again, or raise the timeout.`;
    case 'cancelled':
      return 'The request had been sent: the instance may have been flushed anyway. Check it before trying again.';
    case 'gateway':
      switch (error.code) {
        case '200':
          if (beyondWindow(ctx.clockOffsetMs)) {
            return `${offsetPhrase(ctx.clockOffsetMs)}: set it right (sync it with NTP) and try again. `
              + 'The gateway refuses a timestamp more than 5 minutes away from its own clock.';
          }
          return 'Check the access key and the secret key: copy them again from the NAVER Cloud console '
            + '(a key of another account fails the same way). If they are right, check the clock: the gateway '
            + 'refuses a timestamp more than 5 minutes away from its own.';
        case '210': return 'The access key may not call this API: give its account or sub account permission for Cloud DB for Redis.';
        case '300': return notAGateway(ctx);
        case '400': case '410': case '420': return 'Too many requests: wait a minute, then try again.';
        case '430': return 'The request was larger than the gateway accepts.';
        case '500': return 'The gateway could not reach its upstream: check its --upstream URL and its network.';
        case '510': return 'The upstream did not answer the gateway in time: try again later; the instance may have been flushed anyway.';
        default: return 'See the gateway’s message above.';
      }
    case 'api':
      switch (error.code) {
        case '1003': return `Unknown instance${ctx.instanceNo ? ` ${ctx.instanceNo}` : ''}: check the number in the Cloud DB for Redis console, and that the endpoint (region) is the instance’s.`;
        case '1000': return 'The service could not flush the instance right now (Redis unreachable or busy). Try again in a moment; if it lasts, check the instance’s status.';
        case '1001': case '1002': return 'The API refused a parameter: check the instance number and the response format.';
        default: return 'The API refused the flush: read its message above; the instance may not be in a state that can be flushed.';
      }
    case 'http':
      if ([404, 405, 501].includes(error.httpStatus)) return notAGateway(ctx);
      if (error.httpStatus >= 500) return `The server at ${base} failed (HTTP ${error.httpStatus}). Try again later.`;
      return `The server at ${base} answered HTTP ${error.httpStatus} without an API error: check the endpoint.`;
    case 'parse':
      return `The answer is not a Cloud DB API answer: is ${base} an API gateway? A static server answers with a page.`;
    case 'input':
      return error.field ? `Correct the ${error.field} field.` : 'Correct the form.';
    default:
      return '';
  }
}

/** One line for the session's history: `Flushed`, `gateway 200 · HTTP 401`, `Timed out` … */
export function outcomeText(error) {
  if (!error) return 'Flushed';
  if (error.kind === 'cancelled') return 'Cancelled';
  if (error.kind === 'timeout') return 'Timed out';
  if (error.kind === 'network') return 'Network error';
  const status = error.httpStatus ? ` · HTTP ${error.httpStatus}` : '';
  return `${errorTitle(error)} (${error.kind} ${error.code}${status})`;
}

/** The badge colour of a status name. */
export function statusTone(name) {
  const s = (name ?? '').toLowerCase();
  if (s === 'running') return 'ok';
  if (['settingup', 'creating', 'pending', 'rebooting', 'upgrading', 'recovering', 'changing'].includes(s)) return 'busy';
  if (['deleting', 'deleted', 'error', 'failed', 'stopped'].includes(s)) return 'bad';
  return 'neutral';
}

/** `Yes`, `No`, or `—` when unknown. */
export const yesNo = (value) => (value === true ? 'Yes' : value === false ? 'No' : '—');

/** `Master (M)`, `Slave (S)` … from a CommonCode. */
export function roleText(role) {
  if (!role) return '—';
  if (role.codeName && role.code) return `${role.codeName} (${role.code})`;
  return role.codeName ?? role.code ?? '—';
}
