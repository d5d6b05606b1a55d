// Compiled with `tsc --strict --noEmit` against the installed package: every function, option
// and result field is typed, and a flush request is accepted by fetch as it is.
import {
  signRequest, buildFlushRequest, parseFlushResponse,
  type SignRequestOptions, type SignedRequest, type FlushRequestOptions, type FlushHttpRequest,
  type ParseOptions, type FlushResponse, type CloudDBInstance, type CloudDBServerInstance,
  type AccessControlGroup, type NcloudError, type NcloudErrorKind,
} from 'ncloud-redis-flush';
import {
  buildListRequest, parseListResponse,
  type RedisFlushResponse, type CacheFlushResponse, type CloudDBInstanceListResponse, type RedisInstanceListResponse,
  type CloudRedisInstance, type CloudCacheInstance, type ListRequestOptions,
} from 'ncloud-redis-flush';
import init, { initSync } from 'ncloud-redis-flush/init';

const signOptions: SignRequestOptions = {
  method: 'GET', url: '/clouddb/v2/flushCloudDBInstance?cloudDBInstanceNo=1', timestamp: Date.now(),
  accessKey: 'AK', secretKey: 'SK', apiKey: 'k', signatureVersion: 'v1',
};
const signed: SignedRequest = signRequest(signOptions);
const texts: string[] = [signed.method, signed.url, signed.requestTarget, signed.stringToSign, signed.signature];
const header: string | undefined = signed.headers['x-ncp-apigw-signature-v2'];

const flushOptions: FlushRequestOptions = {
  cloudDBInstanceNo: '882689', responseFormatType: 'xml', method: 'GET', paramsIn: 'query', endpoint: 'gov',
  timestamp: '1700000000000', accessKey: 'AK', secretKey: 'SK',
};
const request: FlushHttpRequest = buildFlushRequest({ ...flushOptions, endpoint: 'http://127.0.0.1:8080' });
const method: 'GET' | 'POST' = request.method;
const body: string | undefined = request.body;

async function flush(): Promise<number> {
  const response = await fetch(request.url, request);
  const options: ParseOptions = { status: response.status, format: 'json' };
  try {
    const result: FlushResponse = parseFlushResponse(await response.text(), options);
    const code: number = result.returnCode;
    const message: string = result.returnMessage;
    const rows: number = result.totalRows;
    const id: string | undefined = result.requestId;
    const instance: CloudDBInstance | undefined = result.cloudDBInstanceList[0];
    if (!instance) return code;
    const scalars: [string?, string?, string?, string?, number?, number?, string?, number?, boolean?, string?, number?,
      string?, string?, string?, string?, string?, string?, boolean?, boolean?] = [
      instance.cloudDBInstanceNo, instance.cloudDBServiceName, instance.dbKindCode, instance.engineVersion,
      instance.cpuCount, instance.memorySize, instance.licenseCode, instance.cloudDBPort, instance.isHa,
      instance.backupTime, instance.backupFileRetentionPeriod, instance.cloudDBInstanceStatusName,
      instance.collation, instance.rebootScheduleTime, instance.createDate, instance.cloudDBImageProductCode,
      instance.cloudDBProductCode, instance.isCloudDBConfigNeedReboot, instance.isCloudDBNeedReboot,
    ];
    const nested: (string | undefined)[] = [
      instance.dataStorageType?.code, instance.dataStorageType?.codeName, instance.zone?.zoneNo, instance.zone?.zoneName,
      instance.zone?.zoneCode, instance.zone?.zoneDescription, instance.zone?.regionNo, instance.region?.regionNo,
      instance.region?.regionCode, instance.region?.regionName,
      ...instance.cloudDBConfigList.flatMap((c) => [c.configName, c.configValue]),
      ...instance.cloudDBConfigGroupList.flatMap((g) => [g.configGroupNo, g.configGroupType, g.configGroupName]),
    ];
    const acgs: AccessControlGroup[] = instance.accessControlGroupList;
    const acg: [string?, string?, string?, boolean?, string?][] = acgs.map((a) => [
      a.accessControlGroupConfigurationNo, a.accessControlGroupName, a.accessControlGroupDescription, a.isDefault, a.createDate,
    ]);
    const servers: CloudDBServerInstance[] = instance.cloudDBServerInstanceList;
    const server: [string?, string?, string?, string?, string?, string?, string?, number?, number?, string?, string?][] =
      servers.map((s) => [
        s.cloudDBServerInstanceNo, s.cloudDBServerInstanceStatusName, s.cloudDBServerName, s.cloudDBServerRole?.code,
        s.cloudDBServerRole?.codeName, s.privateDnsName, s.publicDnsName, s.dataStorageSize, s.usedDataStorageSize,
        s.createDate, s.uptime,
      ]);
    return code + message.length + rows + (id?.length ?? 0) + scalars.length + nested.length + acg.length + server.length;
  } catch (e) {
    const err = e as NcloudError;
    const kind: NcloudErrorKind = err.kind;
    const parts: (string | number | undefined)[] = [err.code, err.field, err.httpStatus, err.details, err.requestId, err.message];
    return kind.length + parts.length;
  }
}

async function manual(bytes: ArrayBuffer): Promise<void> {
  initSync({ module: bytes });
  await init({ module_or_path: new URL('https://cdn.example/ncloud_redis_flush_bg.wasm') });
}

// @ts-expect-error: the instance number must be a string, never a number that can lose digits.
buildFlushRequest({ ...flushOptions, cloudDBInstanceNo: 882689 });
// @ts-expect-error: only json or xml.
parseFlushResponse('', { format: 'yaml' });

// The family: each platform's own instance field, and answers typed by platform.
const vpcRequest: FlushHttpRequest = buildFlushRequest({ platform: 'vpc', cloudRedisServerInstanceNo: '1103457', regionCode: 'KR', timestamp: 1, accessKey: 'a', secretKey: 'b' });
// @ts-expect-error: the VPC flush takes cloudRedisServerInstanceNo, not cloudDBInstanceNo.
buildFlushRequest({ platform: 'vpc', cloudDBInstanceNo: '1', timestamp: 1, accessKey: 'a', secretKey: 'b' });
const vpc: RedisFlushResponse = parseFlushResponse('', { platform: 'vpc' });
const redis: CloudRedisInstance | undefined = vpc.cloudRedisInstanceList[0];
const groups: string[] = redis?.accessControlGroupNoList ?? [];
const cache: CacheFlushResponse = parseFlushResponse('', { platform: 'cache' });
const valkey: CloudCacheInstance | undefined = cache.cloudCacheInstanceList[0];
const listOptions: ListRequestOptions = { platform: 'vpc', regionCode: 'KR', pageNo: 1, pageSize: 50, instanceNos: ['1'], timestamp: 1, accessKey: 'a', secretKey: 'b' };
const listRequest: FlushHttpRequest = buildListRequest(listOptions);
const classicList: CloudDBInstanceListResponse = parseListResponse('');
const vpcList: RedisInstanceListResponse = parseListResponse('', { platform: 'vpc' });

export { texts, header, method, body, flush, manual, vpcRequest, groups, valkey, listRequest, classicList, vpcList };
