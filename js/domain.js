// The domain both clients share: the command-line client (cli.mjs) and the web console (www/)
// import it from the package (`ncloud-redis-flush/domain`, pkg/domain.js). No DOM, no clock, no
// I/O: the listing pager is handed a `fetchPage` callback, the answer reader a stream, the clock
// readings are arguments.

/** The gateway refuses timestamps further than this from its clock (NAVER Cloud: 5 minutes). */
export const CLOCK_WINDOW_MS = 5 * 60 * 1000;

/**
 * The most bytes of an answer either client reads: 16 MiB (a 1,000-instance listing page is
 * about 2 MiB). A longer answer is refused before it is parsed, and no more than this is read.
 */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/** Instances asked for per listing page by default, and the most a page may ask for. */
export const LIST_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;
/** The most pages one listing reads, in the CLI and in the console. */
export const LIST_MAX_PAGES = 1000;

/**
 * @typedef {object} Platform
 * @property {string} name           `classic`, `vpc` or `cache`: the core's `platform` option
 * @property {string} label          short name (the console's choices)
 * @property {string} product        the product's full name
 * @property {string} service        the name the CLI writes before "instance" or "server"
 * @property {boolean} byServer      the flush names the master *server*, not the instance
 * @property {string} flushPath      the flush action's path
 * @property {string} listPath       the listing action's path
 * @property {string} flushField     the flush's parameter (and the option of buildFlushRequest)
 * @property {string} instanceNoList the listing's filter parameter (instanceNos), without `.N`
 * @property {string} numberLabel    what the number the flush takes is called
 * @property {string} list           the member of an answer holding the instances
 * @property {string} instanceNo     an instance's number field
 * @property {string} serviceName    an instance's name field
 * @property {string} status         an instance's status name field
 * @property {string} servers        an instance's server list field
 * @property {string} serverNo       a server's number field
 * @property {string} serverName     a server's name field
 * @property {string} role           a server's role field (a CommonCode)
 * @property {string} serverStatus   a server's status name field
 * @property {string} port           an instance's port field
 */

/**
 * @param {string} name @param {string} prefix @param {Omit<Platform, 'name' | 'list' | 'instanceNo' | 'serviceName' | 'status' | 'servers' | 'serverNo' | 'serverName' | 'role' | 'serverStatus' | 'port'>} rest
 * @returns {Platform}
 */
const platform = (name, prefix, rest) => ({
  name,
  ...rest,
  list: `${prefix}InstanceList`,
  instanceNo: `${prefix}InstanceNo`,
  serviceName: `${prefix}ServiceName`,
  status: `${prefix}InstanceStatusName`,
  servers: `${prefix}ServerInstanceList`,
  serverNo: `${prefix}ServerInstanceNo`,
  serverName: `${prefix}ServerName`,
  role: `${prefix}ServerRole`,
  serverStatus: `${prefix}ServerInstanceStatusName`,
  port: `${prefix}Port`,
});

/**
 * The three API families, as the core's `Platform` table names them (tests/cli/domain.test.mjs
 * holds the names, paths and parameters equal to buildFlushRequest's and buildListRequest's).
 * @type {Readonly<Record<'classic' | 'vpc' | 'cache', Platform>>}
 */
export const PLATFORMS = Object.freeze({
  classic: platform('classic', 'cloudDB', {
    label: 'Classic', product: 'Cloud DB for Redis (Classic)', service: 'Cloud DB for Redis', byServer: false,
    flushPath: '/clouddb/v2/flushCloudDBInstance', listPath: '/clouddb/v2/getCloudDBInstanceList',
    flushField: 'cloudDBInstanceNo', instanceNoList: 'cloudDBInstanceNoList', numberLabel: 'Instance number',
  }),
  vpc: platform('vpc', 'cloudRedis', {
    label: 'Redis VPC', product: 'Cloud DB for Redis (VPC)', service: 'Redis (VPC)', byServer: true,
    flushPath: '/vredis/v2/flushAllCloudRedisServerInstance', listPath: '/vredis/v2/getCloudRedisInstanceList',
    flushField: 'cloudRedisServerInstanceNo', instanceNoList: 'cloudRedisInstanceNoList', numberLabel: 'Master server number',
  }),
  cache: platform('cache', 'cloudCache', {
    label: 'Cloud DB for Cache', product: 'Cloud DB for Cache', service: 'Cloud DB for Cache', byServer: true,
    flushPath: '/vcache/v2/flushAllCloudCacheServerInstance', listPath: '/vcache/v2/getCloudCacheInstanceList',
    flushField: 'cloudCacheServerInstanceNo', instanceNoList: 'cloudCacheInstanceNoList', numberLabel: 'Master server number',
  }),
});

/** @typedef {keyof typeof PLATFORMS} PlatformName */

/**
 * The paths under which the API answers, the first segment of each platform's paths (the gateway
 * forwards exactly these; gateway/src/routes.rs takes them from the core's `Platform` the same way).
 * @type {readonly string[]}
 */
export const API_PREFIXES = Object.freeze(Object.values(PLATFORMS).map((p) => p.flushPath.slice(0, p.flushPath.indexOf('/', 1) + 1)));

/**
 * The platform named `name`, or undefined for any other text.
 * @param {unknown} name
 * @returns {Platform | undefined}
 */
export const platformOf = (name) => (typeof name === 'string' && Object.hasOwn(PLATFORMS, name) ? PLATFORMS[/** @type {PlatformName} */ (name)] : undefined);

// ---- terminal text --------------------------------------------------------------------------

// ESC sequences (CSI, OSC, DCS and the other string sequences, two-character escapes), then any
// other C0 control but tab and newline, DEL and C1.
const ESCAPES = /\u001b(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?|[ -/]*[0-~]?)|\u009b[0-?]*[ -/]*[@-~]?|[\u0090\u0098\u009d-\u009f][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\|\u009c)?/g;
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text made safe for a terminal: escape sequences removed whole (a window title, a cursor move),
 * then every other control character (C0 but tab and newline, DEL, C1).
 * @param {unknown} text
 * @returns {string}
 */
export const stripControls = (text) => String(text).replace(ESCAPES, '').replace(CONTROLS, '');

/**
 * JSON text whose strings hold no raw DEL or C1 character (JSON.stringify escapes C0 only).
 * @param {unknown} value
 * @returns {string}
 */
export const jsonText = (value) => JSON.stringify(value).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

// ---- the curl command -----------------------------------------------------------------------

/**
 * Quotes a word for a POSIX shell.
 * @param {string} text
 * @returns {string}
 */
export function shellQuote(text) {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * A curl command that sends `request` exactly, one option a line.
 * @param {{ method: string, url: string, headers: Record<string, string>, body?: string | null }} request
 * @returns {string}
 */
export function curlCommand(request) {
  const parts = [`curl -X ${shellQuote(request.method)} ${shellQuote(request.url)}`];
  for (const [name, value] of Object.entries(request.headers)) parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (request.body !== undefined && request.body !== null) parts.push(`--data-raw ${shellQuote(request.body)}`);
  return parts.join(' \\\n  ');
}

// ---- clocks ---------------------------------------------------------------------------------

/**
 * The server's clock minus this computer's, in whole ms, from an answer's `Date` header and this
 * computer's clock when the request left and when the answer came; null without a usable Date.
 * @param {string | null | undefined} dateHeader
 * @param {number} sentAt
 * @param {number} receivedAt
 * @returns {number | null}
 */
export function clockOffset(dateHeader, sentAt, receivedAt) {
  const server = Date.parse(dateHeader ?? '');
  if (Number.isNaN(server)) return null;
  // Date truncates to the second: the server's time was on average half a second later.
  return Math.round(server + 500 - (sentAt + receivedAt) / 2);
}

// ---- reading an answer ----------------------------------------------------------------------

/**
 * The error of an answer longer than MAX_ANSWER_BYTES (kind `http`, code `ERR_BODY_TOO_LARGE`).
 * @param {number} status
 * @param {number | null} declared   the Content-Length, when it said
 * @returns {Error & { kind: string, code: string, httpStatus: number }}
 */
export function answerTooLarge(status, declared) {
  const size = declared === null ? 'more' : `${declared} bytes`;
  return Object.assign(new Error(`the answer (HTTP ${status}) is ${size}, above the ${MAX_ANSWER_BYTES / 1024 / 1024} MiB an answer may have; it was not read`), {
    kind: 'http', code: 'ERR_BODY_TOO_LARGE', httpStatus: status,
  });
}

/**
 * The text of an answer, read from its body stream up to MAX_ANSWER_BYTES: an answer that
 * declares (Content-Length) or sends more is refused with answerTooLarge, and the stream is
 * cancelled, so no more than the limit is ever held.
 * @param {{ status: number, headers: { get(name: string): string | null }, body: ReadableStream<Uint8Array> | null }} response
 * @returns {Promise<string>}
 */
export async function readAnswer(response) {
  const length = response.headers.get('content-length');
  if (length !== null && /^\s*\d+\s*$/.test(length) && Number(length) > MAX_ANSWER_BYTES) {
    await response.body?.cancel().catch(() => {});
    throw answerTooLarge(response.status, Number(length));
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => {});
      throw answerTooLarge(response.status, null);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

// ---- the listing pager ----------------------------------------------------------------------

/**
 * @typedef {{ totalRows: number, [member: string]: unknown }} ListAnswer
 */

/**
 * Every instance of a listing: page after page of `pageSize` (pageNo 1, 2, …, at most
 * LIST_MAX_PAGES) until `totalRows` are read or a page is empty. An instance that moves across a
 * page boundary while paging is kept once. `fetchPage(pageNo)` sends and parses one page.
 * @template {ListAnswer} T
 * @param {{ platform: PlatformName, pageSize?: number, fetchPage: (pageNo: number) => Promise<T> }} options
 * @returns {Promise<{ instances: Record<string, any>[], answers: T[], totalRows: number, pages: number }>}
 */
export async function listAllPages({ platform, pageSize = LIST_PAGE_SIZE, fetchPage }) {
  const P = PLATFORMS[platform];
  /** @type {T[]} */
  const answers = [];
  /** @type {Record<string, any>[]} */
  const instances = [];
  const seen = new Set();
  let totalRows = 0;
  for (let pageNo = 1; pageNo <= LIST_MAX_PAGES; pageNo++) {
    const answer = await fetchPage(pageNo);
    answers.push(answer);
    totalRows = answer.totalRows;
    const page = /** @type {Record<string, any>[]} */ (answer[P.list] ?? []);
    for (const instance of page) {
      const no = instance[P.instanceNo];
      if (no !== undefined && no !== null && seen.has(no)) continue;
      if (no !== undefined && no !== null) seen.add(no);
      instances.push(instance);
    }
    if (page.length === 0 || instances.length >= totalRows || pageNo * pageSize >= totalRows) break;
  }
  return { instances, answers, totalRows, pages: answers.length };
}

// ---- instances of the three families, in one shape ------------------------------------------

/** @param {unknown[]} values @returns {string[]} */
const uniq = (values) => /** @type {string[]} */ ([...new Set(values.filter((v) => v !== undefined && v !== null && v !== ''))]);

/**
 * `Redis 7.0.15` from a VPC instance's bare `7.0.15`; other texts (`REDIS 7.0.15`) as they are.
 * @param {string} name @param {string | undefined} version
 */
function engineOf(name, version) {
  if (!version) return undefined;
  return /^\d/.test(version) ? `${name} ${version}` : version;
}

/**
 * @typedef {{ code?: string, codeName?: string }} CommonCode
 * @typedef {{ no?: string, name?: string, role?: CommonCode, status?: string, dns: string, uptime?: string, regionCode?: string }} ServerView
 * @typedef {object} InstanceView
 * @property {PlatformName} platform
 * @property {string} [no]
 * @property {string} [name]
 * @property {string} [status]
 * @property {string} [kind]
 * @property {string} [engine]
 * @property {number} [memorySize]
 * @property {number} [cpuCount]
 * @property {boolean} [isHa]
 * @property {number} [port]
 * @property {string} [mode]
 * @property {string} [configGroup]
 * @property {string} [zone]
 * @property {string} [region]
 * @property {string} [regionCode]
 * @property {boolean} [isBackup]
 * @property {string} [backupTime]
 * @property {number} [backupRetention]
 * @property {string} [createDate]
 * @property {ServerView[]} servers
 * @property {{ no?: string, name?: string, description?: string, isDefault?: boolean }[]} groups
 * @property {{ configName?: string, configValue?: string }[]} configs
 */

/**
 * An instance of any platform (an element of parseListResponse's or parseFlushResponse's list) in
 * one shape: number, name, status, engine, memory, HA, zone and region, port, backups, servers
 * (number, name, role, status, DNS, uptime) and access control groups.
 * @param {PlatformName} platform
 * @param {Record<string, any>} raw
 * @returns {InstanceView}
 */
export function instanceView(platform, raw) {
  if (platform === 'classic') {
    const zone = raw.zone ?? {};
    const region = raw.region ?? {};
    return {
      platform, no: raw.cloudDBInstanceNo, name: raw.cloudDBServiceName, status: raw.cloudDBInstanceStatusName,
      kind: raw.dbKindCode, engine: raw.engineVersion ?? raw.dbKindCode, memorySize: raw.memorySize, cpuCount: raw.cpuCount,
      isHa: raw.isHa, port: raw.cloudDBPort, mode: undefined, configGroup: undefined,
      zone: zone.zoneName || zone.zoneCode ? `${zone.zoneName ?? zone.zoneCode}${zone.zoneDescription ? ` (${zone.zoneDescription})` : ''}` : undefined,
      region: region.regionName || region.regionCode ? `${region.regionName ?? region.regionCode}${region.regionName && region.regionCode ? ` (${region.regionCode})` : ''}` : undefined,
      regionCode: region.regionCode,
      isBackup: undefined, backupTime: raw.backupTime, backupRetention: raw.backupFileRetentionPeriod, createDate: raw.createDate,
      servers: (raw.cloudDBServerInstanceList ?? []).map((/** @type {Record<string, any>} */ s) => ({
        no: s.cloudDBServerInstanceNo, name: s.cloudDBServerName, role: s.cloudDBServerRole,
        status: s.cloudDBServerInstanceStatusName, dns: [s.privateDnsName, s.publicDnsName].filter(Boolean).join(' · '), uptime: s.uptime,
      })),
      groups: (raw.accessControlGroupList ?? []).map((/** @type {Record<string, any>} */ g) => ({
        no: g.accessControlGroupConfigurationNo, name: g.accessControlGroupName, description: g.accessControlGroupDescription, isDefault: g.isDefault,
      })),
      configs: raw.cloudDBConfigList ?? [],
    };
  }
  const P = PLATFORMS[platform];
  /** @type {Record<string, any>[]} */
  const servers = raw[P.servers] ?? [];
  const master = servers.find((s) => s[P.role]?.code === 'M') ?? servers[0] ?? {};
  const dbms = platform === 'cache' ? (raw.cloudCacheDbmsCode?.codeName ?? raw.cloudCacheDbmsCode?.code ?? 'Redis') : 'Redis';
  return {
    platform, no: raw[P.instanceNo], name: raw[P.serviceName], status: raw[P.status],
    kind: dbms, engine: engineOf(dbms, raw.engineVersion), memorySize: master.memorySize, cpuCount: master.cpuCount,
    isHa: raw.isHa, port: raw[P.port], mode: raw.role?.codeName ?? raw.role?.code, configGroup: raw.configGroupName,
    zone: uniq(servers.map((s) => s.zoneCode)).join(', ') || undefined,
    region: uniq(servers.map((s) => s.regionCode)).join(', ') || undefined,
    regionCode: uniq(servers.map((s) => s.regionCode))[0],
    isBackup: raw.isBackup, backupTime: raw.backupTime, backupRetention: raw.backupFileRetentionPeriod, createDate: raw.createDate,
    servers: servers.map((s) => ({
      no: s[P.serverNo], name: s[P.serverName], role: s[P.role],
      status: s[P.serverStatus], dns: s.privateDomain ?? '', uptime: s.uptime,
    })),
    groups: (raw.accessControlGroupNoList ?? []).map((/** @type {string} */ no) => ({ no })),
    configs: [],
  };
}

/**
 * The instances of an answer of parseListResponse or parseFlushResponse on `platform`, as instanceView.
 * @param {PlatformName} platform
 * @param {Record<string, any> | null | undefined} result
 * @returns {InstanceView[]}
 */
export function instancesOf(platform, result) {
  return (result?.[PLATFORMS[platform].list] ?? []).map((/** @type {Record<string, any>} */ raw) => instanceView(platform, raw));
}

/** @param {ServerView | undefined | null} server */
export const isMaster = (server) => server?.role?.code === 'M';

/**
 * The number a flush of `instance` names: the instance's (Classic) or its first master server's; null without one.
 * @param {InstanceView} instance
 * @returns {string | null}
 */
export function flushNumberOf(instance) {
  if (!PLATFORMS[instance.platform].byServer) return instance.no ?? null;
  return instance.servers.find(isMaster)?.no ?? null;
}

/**
 * What `number` names among listed `instances` of `platform`: `{ instance, server }` (server: the
 * server of that number on VPC and Cache, null on Classic), or null when no listed one has it.
 * @param {PlatformName} platform
 * @param {InstanceView[] | null | undefined} instances
 * @param {string | null | undefined} number
 * @returns {{ instance: InstanceView, server: ServerView | null } | null}
 */
export function findTarget(platform, instances, number) {
  if (!number) return null;
  for (const instance of instances ?? []) {
    if (!PLATFORMS[platform].byServer) {
      if (instance.no === number) return { instance, server: null };
    } else {
      const server = instance.servers.find((s) => s.no === number);
      if (server) return { instance, server };
    }
  }
  return null;
}

// ---- errors ---------------------------------------------------------------------------------

/**
 * @typedef {{ kind?: string, code?: string, httpStatus?: number, message?: string, field?: string, details?: string, requestId?: string }} ErrorLike
 */

const GATEWAY_TITLES = {
  200: 'Authentication failed', 210: 'Permission denied', 300: 'Not found', 400: 'Quota exceeded',
  410: 'Throttled', 420: 'Rate limited', 430: 'Request too large', 500: 'Upstream unreachable',
  510: 'Upstream timed out', 900: 'Unexpected gateway error',
};
const API_TITLES = {
  1000: 'Try again later', 1001: 'Invalid parameter', 1002: 'Invalid instance number', 1003: 'Unknown instance',
  1006: 'Not a master server',
};

/**
 * A short title for an error (the library's, or the clients' own kinds network, timeout,
 * cancelled). `action`: `'flush'` (default) or `'list'`.
 * @param {ErrorLike} error
 * @param {'flush' | 'list'} [action]
 * @returns {string}
 */
export function errorTitle(error, action = 'flush') {
  const code = /** @type {keyof typeof GATEWAY_TITLES & keyof typeof API_TITLES} */ (error.code);
  switch (error.kind) {
    case 'network': return 'Could not reach the gateway';
    case 'timeout': return 'No answer in time';
    case 'cancelled': return 'Cancelled';
    case 'gateway': return GATEWAY_TITLES[code] ?? 'API Gateway error';
    case 'api': return API_TITLES[code] ?? (action === 'list' ? 'The API refused the listing' : 'The API refused the flush');
    case 'http': return error.code === 'ERR_BODY_TOO_LARGE' ? 'Answer too large' : `HTTP ${error.httpStatus ?? 'error'}`;
    case 'parse': return 'Unreadable answer';
    case 'input': return 'Invalid input';
    default: return 'Error';
  }
}

/**
 * @typedef {'unreachable' | 'no-answer' | 'cancelled' | 'auth' | 'permission' | 'not-found' | 'rate-limit'
 *   | 'too-large' | 'upstream-unreachable' | 'upstream-timeout' | 'gateway' | 'unknown-target' | 'not-master'
 *   | 'busy' | 'bad-parameter' | 'api' | 'answer-too-large' | 'server-failed' | 'http' | 'not-an-answer' | 'input'
 *   | 'other'} Cause
 */

/**
 * What an error means, whatever the client: the one reading of the error kinds and codes that
 * both clients' hints are written from.
 * @param {ErrorLike} error
 * @returns {Cause}
 */
export function errorCause(error) {
  switch (error.kind) {
    case 'network': return 'unreachable';
    case 'timeout': return 'no-answer';
    case 'cancelled': return 'cancelled';
    case 'input': return 'input';
    case 'parse': return 'not-an-answer';
    case 'gateway':
      switch (error.code) {
        case '200': return 'auth';
        case '210': return 'permission';
        case '300': return 'not-found';
        case '400': case '410': case '420': return 'rate-limit';
        case '430': return 'too-large';
        case '500': return 'upstream-unreachable';
        case '510': return 'upstream-timeout';
        default: return 'gateway';
      }
    case 'api':
      switch (error.code) {
        case '1003': return 'unknown-target';
        case '1006': return 'not-master';
        case '1000': return 'busy';
        case '1001': case '1002': return 'bad-parameter';
        default: return 'api';
      }
    case 'http': {
      if (error.code === 'ERR_BODY_TOO_LARGE') return 'answer-too-large';
      const status = error.httpStatus ?? 0;
      if (status === 401 || status === 403) return 'auth';
      if (status === 404 || status === 405 || status === 501) return 'not-found';
      if (status === 429) return 'rate-limit';
      if (status >= 500) return 'server-failed';
      return 'http';
    }
    default: return 'other';
  }
}

/**
 * True when an answer says that nothing ran, so that sending the same flush again cannot repeat
 * it: HTTP 429 (a quota, throttle or rate limit), or the gateway's 503 Endpoint Error (error code
 * 500: the endpoint behind the gateway was not reached).
 * @param {number} status
 * @param {ErrorLike | null} error   the error the answer parses to, if any
 * @returns {boolean}
 */
export function nothingRan(status, error) {
  if (status === 429) return true;
  return status === 503 && error?.kind === 'gateway' && error.code === '500';
}
