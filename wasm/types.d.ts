
/** Milliseconds since the Unix epoch: an integer number, or its decimal digits. */
export type TimestampInput = number | string | bigint;

/** Options of {@link signRequest}. */
export interface SignRequestOptions {
  /** HTTP method, any case; signed (and returned) uppercased. */
  method: string;
  /** Absolute http(s) URL, or a path starting with `/`, with its query. */
  url: string;
  /** Milliseconds since the Unix epoch, e.g. `Date.now()`: the module never reads a clock. */
  timestamp: TimestampInput;
  /** Access key id (`x-ncp-iam-access-key`). */
  accessKey: string;
  /** Secret key: the HMAC key. Never appears in any result or error. */
  secretKey: string;
  /** API Gateway API key (`x-ncp-apigw-api-key`), sent but not signed; not used by API v2. */
  apiKey?: string;
  /** `'v2'` (default): header `x-ncp-apigw-signature-v2`; `'v1'`: `x-ncp-apigw-signature-v1`. */
  signatureVersion?: 'v1' | 'v2';
}

/** The result of {@link signRequest}. */
export interface SignedRequest {
  /** The method, uppercased. */
  method: string;
  /** The URL to fetch: the input's origin (if any) and the serialized request target. */
  url: string;
  /** Path and query exactly as `fetch(url)` sends them (WHATWG URL serialization). */
  requestTarget: string;
  /** `METHOD requestTarget\ntimestamp\naccessKey`. */
  stringToSign: string;
  /** base64(HMAC-SHA256(secretKey, stringToSign)). */
  signature: string;
  /**
   * `x-ncp-apigw-timestamp`, `x-ncp-iam-access-key`, `x-ncp-apigw-signature-v2` (or `-v1`) and,
   * when given, `x-ncp-apigw-api-key`.
   */
  headers: Record<string, string>;
}

/** `'public'`, `'gov'`, `'fin'` (NAVER Cloud's gateways) or a base URL such as `http://127.0.0.1:8080`. */
export type Endpoint = 'public' | 'gov' | 'fin' | (string & {});

/** What every API call shares: method, where the parameters go, endpoint, time and keys. */
export interface CallOptions {
  /** Format of the answer, `'json'` (default) or `'xml'`. */
  responseFormatType?: 'json' | 'xml';
  /** `'POST'` (default) or `'GET'`, any case. */
  method?: 'GET' | 'POST' | 'get' | 'post';
  /**
   * `'query'` (default): parameters in the signed query string, for GET and POST.
   * `'body'`: a form body, as the API page's example; the body is NOT covered by the signature.
   */
  paramsIn?: 'query' | 'body';
  /** Which gateway: `'public'` (default), `'gov'`, `'fin'` or a base URL. */
  endpoint?: Endpoint;
  /** Milliseconds since the Unix epoch. */
  timestamp: TimestampInput;
  /** Access key id. */
  accessKey: string;
  /** Secret key. */
  secretKey: string;
  /** API Gateway API key, sent but not signed. */
  apiKey?: string;
  /** Signature header version, `'v2'` (default) or `'v1'`. */
  signatureVersion?: 'v1' | 'v2';
}

/** Which API family: Classic Cloud DB for Redis, Redis on the VPC platform, or Cloud DB for Cache. */
export type Platform = 'classic' | 'vpc' | 'cache';

/** `flushCloudDBInstance` (Classic, the default platform). */
export interface ClassicFlushRequestOptions extends CallOptions {
  platform?: 'classic';
  /** The instance to flush: a string of digits. Anything else is refused. */
  cloudDBInstanceNo: string;
}

/** `flushAllCloudRedisServerInstance` (Redis on the VPC platform). */
export interface VpcFlushRequestOptions extends CallOptions {
  platform: 'vpc';
  /** The *server* instance to flush (the master's on an HA instance; its replicas are cleared too). */
  cloudRedisServerInstanceNo: string;
  /** Region code, e.g. `'KR'`. */
  regionCode?: string;
}

/** `flushAllCloudCacheServerInstance` (Cloud DB for Cache). */
export interface CacheFlushRequestOptions extends CallOptions {
  platform: 'cache';
  /** The server instance to flush. */
  cloudCacheServerInstanceNo: string;
  /** Region code, e.g. `'KR'`. */
  regionCode?: string;
}

/** Options of {@link buildFlushRequest}: one of the three flush APIs. */
export type FlushRequestOptions = ClassicFlushRequestOptions | VpcFlushRequestOptions | CacheFlushRequestOptions;

/** Options of {@link buildListRequest}. */
export interface ListRequestOptions extends CallOptions {
  /** `'classic'` (default: getCloudDBInstanceList, dbKindCode=REDIS), `'vpc'` or `'cache'`. */
  platform?: Platform;
  /** Only these instances (strings of digits). */
  instanceNos?: string[];
  /** VPC and Cache: region code, e.g. `'KR'`. */
  regionCode?: string;
  /** Classic: region number. */
  regionNo?: string;
  /** Classic: zone number. */
  zoneNo?: string;
  /** Page number, from 1. */
  pageNo?: number;
  /** Rows per page. */
  pageSize?: number;
}

/** A signed request: `fetch(r.url, r)` sends it as is. */
export interface FlushHttpRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** `cloudDBInstanceNo=…&responseFormatType=…` when `paramsIn` is `'body'`. */
  body?: string;
}

/** Options of {@link parseFlushResponse} and {@link parseListResponse}. */
export interface ParseOptions {
  /** `'json'` or `'xml'`; detected from the body when absent. */
  format?: 'json' | 'xml';
  /** The HTTP status, if known (`response.status`). */
  status?: number;
}

/** {@link ParseOptions} with the API family whose answer this is: `'classic'` (default), `'vpc'` or `'cache'`. */
export interface PlatformParseOptions extends ParseOptions {
  platform?: Platform;
}

/** A code and its name, e.g. `{ code: 'M', codeName: 'Master' }`. */
export interface CommonCode {
  code?: string;
  codeName?: string;
}

export interface Zone {
  zoneNo?: string;
  zoneName?: string;
  zoneCode?: string;
  zoneDescription?: string;
  regionNo?: string;
}

export interface Region {
  regionNo?: string;
  regionCode?: string;
  regionName?: string;
}

export interface CloudDBConfig {
  configName?: string;
  configValue?: string;
}

export interface CloudDBConfigGroup {
  configGroupNo?: string;
  configGroupType?: string;
  configGroupName?: string;
}

export interface AccessControlGroup {
  accessControlGroupConfigurationNo?: string;
  accessControlGroupName?: string;
  accessControlGroupDescription?: string;
  isDefault?: boolean;
  createDate?: string;
}

export interface CloudDBServerInstance {
  cloudDBServerInstanceNo?: string;
  cloudDBServerInstanceStatusName?: string;
  cloudDBServerName?: string;
  /** `M` Master, `H` Hidden Master, `S` Slave. */
  cloudDBServerRole?: CommonCode;
  privateDnsName?: string;
  publicDnsName?: string;
  /** Bytes. */
  dataStorageSize?: number;
  /** Bytes. */
  usedDataStorageSize?: number;
  createDate?: string;
  uptime?: string;
}

export interface CloudDBInstance {
  cloudDBInstanceNo?: string;
  cloudDBServiceName?: string;
  dbKindCode?: string;
  engineVersion?: string;
  cpuCount?: number;
  /** Bytes (exact up to 2^53 − 1). */
  memorySize?: number;
  dataStorageType?: CommonCode;
  licenseCode?: string;
  cloudDBPort?: number;
  isHa?: boolean;
  /** `HH:MM`. */
  backupTime?: string;
  backupFileRetentionPeriod?: number;
  cloudDBInstanceStatusName?: string;
  collation?: string;
  rebootScheduleTime?: string;
  createDate?: string;
  cloudDBImageProductCode?: string;
  cloudDBProductCode?: string;
  isCloudDBConfigNeedReboot?: boolean;
  isCloudDBNeedReboot?: boolean;
  zone?: Zone;
  region?: Region;
  cloudDBConfigList: CloudDBConfig[];
  cloudDBConfigGroupList: CloudDBConfigGroup[];
  accessControlGroupList: AccessControlGroup[];
  cloudDBServerInstanceList: CloudDBServerInstance[];
}

/** The members every successful answer has (`returnCode` 0). */
export interface AnswerHeader {
  requestId?: string;
  returnCode: number;
  returnMessage: string;
  totalRows: number;
}

/** A successful answer of `flushCloudDBInstance`. */
export interface FlushResponse extends AnswerHeader {
  cloudDBInstanceList: CloudDBInstance[];
}

/** A successful answer of `getCloudDBInstanceList`. */
export interface CloudDBInstanceListResponse extends AnswerHeader {
  cloudDBInstanceList: CloudDBInstance[];
}

/** One server of a Redis (VPC) instance. */
export interface CloudRedisServerInstance {
  cloudRedisServerInstanceNo?: string;
  cloudRedisServerName?: string;
  cloudRedisServerRole?: CommonCode;
  cloudRedisServerInstanceStatusName?: string;
  cloudRedisServerInstanceStatus?: CommonCode;
  cloudRedisServerInstanceOperation?: CommonCode;
  cloudRedisProductCode?: string;
  regionCode?: string;
  zoneCode?: string;
  vpcNo?: string;
  subnetNo?: string;
  privateDomain?: string;
  cpuCount?: number;
  memorySize?: number;
  osMemorySize?: number;
  uptime?: string;
  createDate?: string;
  slotName?: string;
}

/** A Redis instance on the VPC platform. */
export interface CloudRedisInstance {
  cloudRedisInstanceNo?: string;
  cloudRedisServiceName?: string;
  cloudRedisInstanceStatusName?: string;
  cloudRedisInstanceStatus?: CommonCode;
  cloudRedisInstanceOperation?: CommonCode;
  cloudRedisImageProductCode?: string;
  engineVersion?: string;
  license?: CommonCode;
  /** The API page's spelling of `license`. */
  licence?: CommonCode;
  cloudRedisPort?: number;
  /** HA: a flush runs on the master and clears its replicas too. */
  isHa?: boolean;
  isBackup?: boolean;
  cloudRedisServerPrefix?: string;
  backupFileRetentionPeriod?: number;
  backupTime?: string;
  backupSchedule?: string;
  createDate?: string;
  shardCount?: number;
  shardCopyCount?: number;
  accessControlGroupNoList: string[];
  configGroupNo?: string;
  configGroupName?: string;
  role?: CommonCode;
  cloudRedisServerInstanceList: CloudRedisServerInstance[];
}

/** One server of a Cloud DB for Cache instance. */
export interface CloudCacheServerInstance {
  cloudCacheServerInstanceNo?: string;
  cloudCacheServerName?: string;
  cloudCacheServerRole?: CommonCode;
  cloudCacheServerInstanceStatusName?: string;
  cloudCacheServerInstanceStatus?: CommonCode;
  cloudCacheServerInstanceOperation?: CommonCode;
  cloudCacheProductCode?: string;
  regionCode?: string;
  zoneCode?: string;
  vpcNo?: string;
  subnetNo?: string;
  privateDomain?: string;
  cpuCount?: number;
  memorySize?: number;
  osMemorySize?: number;
  uptime?: string;
  createDate?: string;
  slotName?: string;
}

/** A Cloud DB for Cache instance (Valkey or Redis). */
export interface CloudCacheInstance {
  cloudCacheInstanceNo?: string;
  cloudCacheServiceName?: string;
  cloudCacheDbmsCode?: CommonCode;
  cloudCacheInstanceStatusName?: string;
  cloudCacheInstanceStatus?: CommonCode;
  cloudCacheInstanceOperation?: CommonCode;
  cloudCacheImageProductCode?: string;
  engineVersion?: string;
  license?: CommonCode;
  licence?: CommonCode;
  cloudCachePort?: number;
  isHa?: boolean;
  isBackup?: boolean;
  cloudCacheServerPrefix?: string;
  backupFileRetentionPeriod?: number;
  backupTime?: string;
  backupSchedule?: string;
  createDate?: string;
  shardCount?: number;
  shardCopyCount?: number;
  accessControlGroupNoList: string[];
  configGroupNo?: string;
  configGroupName?: string;
  role?: CommonCode;
  cloudCacheServerInstanceList: CloudCacheServerInstance[];
}

/** A successful answer of `flushAllCloudRedisServerInstance`. */
export interface RedisFlushResponse extends AnswerHeader {
  cloudRedisInstanceList: CloudRedisInstance[];
}

/** A successful answer of `getCloudRedisInstanceList`. */
export interface RedisInstanceListResponse extends AnswerHeader {
  cloudRedisInstanceList: CloudRedisInstance[];
}

/** A successful answer of `flushAllCloudCacheServerInstance`. */
export interface CacheFlushResponse extends AnswerHeader {
  cloudCacheInstanceList: CloudCacheInstance[];
}

/** A successful answer of `getCloudCacheInstanceList`. */
export interface CacheInstanceListResponse extends AnswerHeader {
  cloudCacheInstanceList: CloudCacheInstance[];
}

/** Where an error came from. */
/** `internal`: the WebAssembly module trapped twice on the same call (code `ERR_WASM_TRAP`); it
 * was replaced by a fresh instance, so the next call works. */
export type NcloudErrorKind = 'input' | 'parse' | 'http' | 'gateway' | 'api' | 'internal';

/**
 * What every function throws: an `Error` (a `TypeError` for an argument of the wrong type)
 * with these properties.
 */
export interface NcloudError extends Error {
  kind: NcloudErrorKind;
  /** The gateway's `errorCode`, the API's `returnCode`, or this library's `ERR_…` code. */
  code: string;
  /** For `kind: 'input'`: the argument at fault. */
  field?: string;
  /** The HTTP status, when known. */
  httpStatus?: number;
  /** The gateway's `details`, or the start of an HTTP error body. */
  details?: string;
  /** The API's `requestId`, when an API error carries one. */
  requestId?: string;
}

/**
 * Signs any NAVER Cloud API Gateway request: `METHOD requestTarget\ntimestamp\naccessKey` with
 * HMAC-SHA256, where `requestTarget` is the path and query exactly as `fetch(url)` sends them.
 */
export function signRequest(options: SignRequestOptions): SignedRequest;

/**
 * Wipes what the module keeps of the signing keys: the prepared state (HMAC-SHA256 midstates) of
 * the key in use, and the scratch area the strings of a call are written into (wiped after every
 * call anyway). The module never keeps a secret key's bytes. Call it when the secret is no longer
 * needed: a form field cleared, a page hidden, a program about to exit. The next signature
 * prepares its key again.
 *
 * @example
 * const signed = signRequest({ method: 'GET', url, timestamp: Date.now(), accessKey, secretKey });
 * forgetSigningKeys();
 */
export function forgetSigningKeys(): void;

/** A complete, signed flush request of the chosen platform (Classic by default). */
export function buildFlushRequest(options: FlushRequestOptions): FlushHttpRequest;

/** A signed instance listing (getCloudDBInstanceList, getCloudRedisInstanceList, getCloudCacheInstanceList). */
export function buildListRequest(options: ListRequestOptions): FlushHttpRequest;

/** The answer of a flush, typed; every gateway and API error is thrown as an {@link NcloudError}. */
export function parseFlushResponse(body: string, options?: ParseOptions & { platform?: 'classic' }): FlushResponse;
export function parseFlushResponse(body: string, options: ParseOptions & { platform: 'vpc' }): RedisFlushResponse;
export function parseFlushResponse(body: string, options: ParseOptions & { platform: 'cache' }): CacheFlushResponse;
export function parseFlushResponse(body: string, options?: PlatformParseOptions): FlushResponse | RedisFlushResponse | CacheFlushResponse;

/** The answer of an instance listing, typed; errors as for {@link parseFlushResponse}. */
export function parseListResponse(body: string, options?: ParseOptions & { platform?: 'classic' }): CloudDBInstanceListResponse;
export function parseListResponse(body: string, options: ParseOptions & { platform: 'vpc' }): RedisInstanceListResponse;
export function parseListResponse(body: string, options: ParseOptions & { platform: 'cache' }): CacheInstanceListResponse;
export function parseListResponse(body: string, options?: PlatformParseOptions): CloudDBInstanceListResponse | RedisInstanceListResponse | CacheInstanceListResponse;
