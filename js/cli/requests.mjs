// The CLI's requests: signed afresh for every attempt, sent with Node's fetch, retried as
// --retries says; the listing of every page, and the lookups a flush makes first.
import { setTimeout as sleep } from 'node:timers/promises';
import { buildFlushRequest, buildListRequest, forgetSigningKeys, parseFlushResponse, parseListResponse } from '../index.node.mjs';
import { clockOffset, listAllPages, nothingRan, readAnswer } from '../domain.js';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, RETRY_AFTER_CAP_MS } from './args.mjs';
import {
  CliError, GATEWAY_WINDOW, PROGRAM, SKEW_WARN_MS, clean, describe, describeOffset, endpointName, listCommand, origin, stderr,
} from './output.mjs';

/** @typedef {import('./args.mjs').Settings} Settings */
/** @typedef {import('./output.mjs').State} State */
/** @typedef {import('./output.mjs').ReportedError} ReportedError */
/** @typedef {import('./output.mjs').ShownInstance} ShownInstance */
/** @typedef {import('./output.mjs').ShownServer} ShownServer */
/** @typedef {import('../index.node.mjs').FlushHttpRequest} FlushHttpRequest */
/**
 * What a flush names, looked up before it is sent: the instance, the master server flushed
 * (null for Classic) and the other servers.
 * @typedef {{ instance: ShownInstance, server: ShownServer | null, replicas: ShownServer[] }} Target
 */

/**
 * What every request of a run shares.
 * @param {Settings} s @param {number} timestamp
 */
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

/** Wipes what the signing module keeps of the key in use; the CLI calls it before it exits. */
export const forgetKeys = () => forgetSigningKeys();

/**
 * The flush of the platform: a Classic instance, or a VPC / Cache server.
 * @param {Settings} s @param {number} timestamp @returns {FlushHttpRequest}
 */
export const buildFlush = (s, timestamp) => buildFlushRequest(/** @type {import('../index.node.mjs').FlushRequestOptions} */ ({ ...common(s, timestamp), [s.P.flushField]: s.instanceNo }));

/**
 * One page of the platform's listing.
 * @param {Settings} s @param {number} timestamp @param {number} pageNo @returns {FlushHttpRequest}
 */
export const buildList = (s, timestamp, pageNo) => buildListRequest({ ...common(s, timestamp), pageNo, pageSize: s.pageSize });

/**
 * Milliseconds to add to Date.now() to get the server's clock, from an answer's Date header.
 * @param {Response} response @param {number} sentAt @param {number} receivedAt
 */
const offsetFrom = (response, sentAt, receivedAt) => clockOffset(response.headers.get('date'), sentAt, receivedAt);

/**
 * A failure of fetch as this program's error; `sent`: the request had been handed to fetch.
 * @param {any} e  what fetch threw: an Error whose `cause` (undici's) may hold the system error
 * @param {Settings} s @param {string | URL} url @param {boolean} [sent]
 * @returns {CliError}
 */
function networkError(e, s, url, sent = false) {
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') {
    return new CliError('timeout', 'ETIMEDOUT', `no answer from ${origin(url)} within ${s.timeoutMs / 1000} s`);
  }
  const cause = e?.cause;
  const code = cause?.code ?? cause?.errno ?? 'ERR_NETWORK';
  const detail = cause?.message ?? e?.message ?? String(e);
  if (sent && !NOT_SENT.has(String(code))) return new CliError('network', String(code), `the connection to ${origin(url)} failed before an answer came: ${detail}`);
  return new CliError('network', String(code), `cannot reach ${origin(url)}: ${detail}`);
}


/**
 * Network errors that prove the request never left: no connection was made (refused, no route,
 * no such host). Any other failure (a connection dropped, a timeout) may come after the server
 * read the request.
 */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * --use-server-time signs with the server's clock only when it is at most this far from ours: a
 * clock further off is more likely a wrong date here, or a server that is not NAVER Cloud's
 * (whose Date header would then choose the timestamps we sign), than a drift to follow.
 */
const MAX_SERVER_OFFSET_MS = 15 * 60_000;

const offsetRefused = (/** @type {number} */ offset) => new CliError('usage', 'ERR_CLOCK_OFFSET',
  `the server's clock is ${describeOffset(offset)} this computer's: more than the ${MAX_SERVER_OFFSET_MS / 60_000} minutes --use-server-time follows; nothing signed was sent`, {
    hint: 'set this computer\'s clock (NTP) and run without --use-server-time; if the clock here is right, check --endpoint: is it NAVER Cloud\'s gateway?',
  });

/**
 * A flush that was sent and whose outcome is unknown: it is not sent again (a second flush would
 * delete what was written since the first), and the error says how to check. Exit 3.
 * @param {ReportedError} error @param {Settings} s @returns {ReportedError}
 */
function mayHaveRun(error, s) {
  return Object.assign(error, {
    mayHaveRun: true,
    hint: `the flush was sent and may have happened: no answer says it did not run, so it was not sent again. Check the instance before flushing again: ${listCommand(s)}`,
  });
}

/** @param {number} retry @param {number | null} retryAfterMs @returns {number} */
function backoff(retry, retryAfterMs) {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retry);
  const jittered = ceiling / 2 + Math.random() * (ceiling / 2);
  return Math.round(retryAfterMs == null ? jittered : Math.max(jittered, Math.min(retryAfterMs, RETRY_AFTER_CAP_MS)));
}

/** @param {Response} response @returns {number | null} */
function retryAfter(response) {
  const v = response.headers.get('retry-after');
  if (!v) return null;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : null;
}

/**
 * Sends one API call; resolves to `parse`'s result. `build(timestamp)` signs the request (afresh
 * for every attempt), `parse(text, status)` reads the answer, `label` prefixes the retry messages.
 * A listing (`once` false) is retried on 429, 5xx, network errors and timeouts. A flush (`once`)
 * is retried only when it provably did not run: no connection was made, or the answer says
 * nothing ran (429, the gateway's 503); once it may have reached the server, it is never sent
 * again and the error says so (mayHaveRun).
 * @template T
 * @param {Settings} s @param {State} state
 * @param {(timestamp: number) => FlushHttpRequest} build
 * @param {(text: string, status: number) => T} parse
 * @param {{ label?: string, once?: boolean }} [options]
 * @returns {Promise<T>}
 */
async function send(s, state, build, parse, { label = '', once = false } = {}) {
  state.attempts = 0;
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= s.retries;
    const retry = async (/** @type {string} */ why, /** @type {number | null} */ retryAfterMs = null) => {
      const wait = backoff(attempt, retryAfterMs);
      stderr(`${label}attempt ${attempt + 1} of ${s.retries + 1}: ${why}; retrying in ${(wait / 1000).toFixed(1)} s\n`);
      await sleep(wait);
    };
    state.attempts = attempt + 1;
    let url = build(0).url;
    let sent = false; // the signed request has been handed to fetch
    try {
      if (!state.offsetKnown) {
        // --use-server-time: an unsigned OPTIONS of the action's path (no query) flushes nothing
        // anywhere; its Date header is the gateway's clock. Learnt once; later answers refine it.
        const probeUrl = new URL(url);
        probeUrl.search = '';
        url = probeUrl.href;
        const sentAt = Date.now();
        const probe = await fetch(probeUrl, { method: 'OPTIONS', redirect: 'manual', signal: AbortSignal.timeout(s.timeoutMs) });
        await readAnswer(probe); // read (at most MAX_ANSWER_BYTES) and dropped
        const offset = offsetFrom(probe, sentAt, Date.now());
        state.offsetKnown = true;
        if (offset === null) {
          stderr('warning: the server sent no Date header; signing with this computer\'s clock\n');
        } else {
          if (Math.abs(offset) > MAX_SERVER_OFFSET_MS) throw offsetRefused(offset);
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
      sent = true;
      const response = await fetch(request.url, {
        method: request.method, headers: request.headers, body: request.body, redirect: 'manual',
        signal: AbortSignal.timeout(s.timeoutMs),
      });
      // At most MAX_ANSWER_BYTES are read: a longer answer is refused (kind http,
      // ERR_BODY_TOO_LARGE) before it is parsed, and not retried (the same server would send the
      // same answer). A flush's answer too long to read may say the flush ran: not sent again.
      let text;
      try {
        text = await readAnswer(response);
      } catch (e) {
        const error = /** @type {ReportedError} */ (e);
        if (once && error?.code === 'ERR_BODY_TOO_LARGE') throw mayHaveRun(error, s);
        throw e;
      }
      const offset = offsetFrom(response, sentAt, Date.now());
      if (offset !== null) {
        state.skew = offset;
        if (Math.abs(offset) > SKEW_WARN_MS && !state.skewWarned) {
          state.skewWarned = true;
          const advice = s.useServerTime
            ? 'signing with the server\'s time (--use-server-time)'
            : `NAVER Cloud refuses signatures more than ${GATEWAY_WINDOW} off; fix the clock (NTP) or pass --use-server-time`;
          stderr(`warning: the server's clock (Date: ${clean(response.headers.get('date'))}) is ${describeOffset(offset)} this computer's; ${advice}\n`);
        }
        if (s.useServerTime && Math.abs(offset) <= MAX_SERVER_OFFSET_MS) state.offset = offset;
      }
      const { status } = response;
      if (status === 429 || status >= 500) {
        /** @type {ReportedError | null} */
        let refused = null;
        try {
          parse(text, status);
        } catch (e) {
          refused = /** @type {ReportedError} */ (e);
        }
        const again = !once || nothingRan(status, refused?.kind ? refused : null);
        if (again && !last) {
          await retry(`HTTP ${status}`, retryAfter(response));
          continue;
        }
        if (!again && refused) throw mayHaveRun(refused, s);
      }
      return parse(text, status);
    } catch (caught) {
      const e = /** @type {ReportedError} */ (caught);
      if (e?.kind) throw e; // the module's errors (input, parse, http, gateway, api), and mayHaveRun's
      const error = networkError(e, s, url, sent);
      if (once && sent && !(error.kind === 'network' && NOT_SENT.has(error.code))) throw mayHaveRun(error, s);
      if (last) throw error;
      await retry(`${error.kind} error (${error.code})`);
    }
  }
}

/**
 * The flush: Classic, VPC or Cache, as the settings say; resolves to the parsed answer.
 * @param {Settings} s @param {State} state
 * @returns {Promise<Record<string, any>>}
 */
export const flush = (s, state) => send(
  s, state,
  (ts) => buildFlush(s, ts),
  (text, status) => parseFlushResponse(text, { platform: s.platform, status }),
  { once: true },
);

/**
 * Every instance of the platform (in `--region-code`, when given): page after page of
 * `pageSize` until `totalRows` are read. Resolves to `{ instances, answers, totalRows }`.
 * @param {Settings} s @param {State} state
 */
export async function listAll(s, state) {
  const { instances, answers, totalRows } = await listAllPages({
    platform: s.platform,
    pageSize: s.pageSize,
    fetchPage: (pageNo) => send(
      s, state,
      (ts) => buildList(s, ts, pageNo),
      (text, status) => /** @type {Record<string, any> & { totalRows: number }} */ (parseListResponse(text, { platform: s.platform, status })),
      { label: `listing page ${pageNo}: ` },
    ),
  });
  if (instances.length < totalRows) {
    stderr(`warning: the listing announced ${totalRows} instances (totalRows) but its pages held ${instances.length}\n`);
  }
  return { instances, answers, totalRows };
}

/**
 * VPC and Cache: the listed instance that holds server `s.instanceNo`, which must be its master.
 * Resolves to `{ instance, server, replicas }` (described); anything else is refused.
 * @param {Settings} s @param {State} state @returns {Promise<Target>}
 */
export async function findMaster(s, state) {
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
 * @param {Settings} s @param {State} state @returns {Promise<Target>}
 */
export async function findClassic(s, state) {
  const { P } = s;
  const answer = await send(
    s, state,
    // A flush's settings hold its number (settings() refuses a flush without one).
    (ts) => buildListRequest({ ...common(s, ts), instanceNos: [/** @type {string} */ (s.instanceNo)] }),
    (text, status) => parseListResponse(text, { platform: s.platform, status }),
    { label: 'looking the instance up: ' },
  );
  const raw = /** @type {Record<string, any>[]} */ (/** @type {Record<string, any>} */ (answer)[P.list]).find((i) => i[P.instanceNo] === s.instanceNo);
  if (!raw) {
    throw new CliError('usage', 'ERR_UNKNOWN_INSTANCE', `no ${P.service} instance ${s.instanceNo} is listed by ${endpointName(s)}; nothing was flushed`, {
      hint: `the instances: ${listCommand(s)}; check the number, --region/--endpoint and the keys' account`,
    });
  }
  const instance = describe(s, raw);
  return { instance, server: null, replicas: instance.servers.filter((v) => v.roleCode !== 'M') };
}
