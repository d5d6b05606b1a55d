
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

/** Options of {@link buildFlushRequest}. */
export interface FlushRequestOptions {
  /** The instance to flush: a string of digits. Anything else is refused. */
  cloudDBInstanceNo: string;
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

/** A signed request: `fetch(r.url, r)` sends it as is. */
export interface FlushHttpRequest {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** `cloudDBInstanceNo=…&responseFormatType=…` when `paramsIn` is `'body'`. */
  body?: string;
}

/** Options of {@link parseFlushResponse}. */
export interface ParseOptions {
  /** `'json'` or `'xml'`; detected from the body when absent. */
  format?: 'json' | 'xml';
  /** The HTTP status, if known (`response.status`). */
  status?: number;
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

/** A successful answer of `flushCloudDBInstance` (`returnCode` 0). */
export interface FlushResponse {
  requestId?: string;
  returnCode: number;
  returnMessage: string;
  totalRows: number;
  cloudDBInstanceList: CloudDBInstance[];
}

/** Where an error came from. */
export type NcloudErrorKind = 'input' | 'parse' | 'http' | 'gateway' | 'api';

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
