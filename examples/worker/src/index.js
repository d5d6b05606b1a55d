// A Cloudflare Worker that flushes one Cloud DB for Redis instance: on a schedule (the cron
// triggers of wrangler.toml) and, when FLUSH_TOKEN is set, on `POST /flush` with
// `Authorization: Bearer <FLUSH_TOKEN>` (e.g. from a deploy pipeline).
//
// Secrets (`wrangler secret put NAME`): NCLOUD_ACCESS_KEY, NCLOUD_SECRET_KEY, FLUSH_TOKEN.
// Variables (wrangler.toml [vars]): NCLOUD_INSTANCE_NO; NCLOUD_PLATFORM ('classic', 'vpc' or
// 'cache'; on VPC and Cache the number is the master *server*'s); NCLOUD_REGION_CODE (VPC and
// Cache); NCLOUD_ENDPOINT ('public', 'gov', 'fin' or a base URL; 'public' by default).
import { buildFlushRequest, parseFlushResponse } from 'ncloud-redis-flush';

/** The option that names the instance to flush, per API family. */
const INSTANCE_OPTION = {
  classic: 'cloudDBInstanceNo',
  vpc: 'cloudRedisServerInstanceNo',
  cache: 'cloudCacheServerInstanceNo',
};

/** How long the API may take to answer before the flush is reported as failed. */
const TIMEOUT_MS = 30_000;

/**
 * Flushes the instance the Worker's environment names. Resolves to the parsed answer; rejects
 * with the package's typed error (`kind`, `code`) or a `TimeoutError`.
 */
export async function flush(env) {
  const platform = env.NCLOUD_PLATFORM || 'classic';
  const option = INSTANCE_OPTION[platform];
  if (!option) throw new RangeError(`NCLOUD_PLATFORM: '${platform}' is not one of classic, vpc, cache`);
  const request = buildFlushRequest({
    platform,
    [option]: env.NCLOUD_INSTANCE_NO,
    ...(platform !== 'classic' && env.NCLOUD_REGION_CODE ? { regionCode: env.NCLOUD_REGION_CODE } : {}),
    endpoint: env.NCLOUD_ENDPOINT || 'public',
    timestamp: Date.now(),
    accessKey: env.NCLOUD_ACCESS_KEY,
    secretKey: env.NCLOUD_SECRET_KEY,
  });
  const response = await fetch(request.url, { ...request, signal: AbortSignal.timeout(TIMEOUT_MS) });
  return parseFlushResponse(await response.text(), { status: response.status, platform });
}

/** What a log line or an answer may show of a failure: never the request, never a key. */
function describeError(err) {
  return { error: err.name, kind: err.kind ?? null, code: err.code ?? null, message: err.message };
}

/** What a log line or an answer shows of a flush: the API's request id and the instance. */
function describeResult(result) {
  const list = result.cloudDBInstanceList ?? result.cloudRedisInstanceList ?? result.cloudCacheInstanceList ?? [];
  return { flushed: true, requestId: result.requestId ?? null, instances: list.map((i) => i.cloudDBServiceName ?? i.cloudRedisServiceName ?? i.cloudCacheServiceName ?? null) };
}

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time. */
function authorized(request, token) {
  const given = new TextEncoder().encode(request.headers.get('authorization') ?? '');
  const expected = new TextEncoder().encode(`Bearer ${token}`);
  return given.byteLength === expected.byteLength && crypto.subtle.timingSafeEqual(given, expected);
}

const json = (body, status) => Response.json(body, { status, headers: { 'cache-control': 'no-store' } });

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (pathname !== '/flush') return json({ error: 'not found' }, 404);
    if (!env.FLUSH_TOKEN) return json({ error: 'flushing over HTTP is off: set the FLUSH_TOKEN secret' }, 404);
    if (request.method !== 'POST') return json({ error: 'use POST' }, 405);
    if (!authorized(request, env.FLUSH_TOKEN)) return json({ error: 'unauthorized' }, 401);
    try {
      return json(describeResult(await flush(env)), 200);
    } catch (err) {
      return json(describeError(err), 502);
    }
  },

  async scheduled(controller, env) {
    try {
      console.log(JSON.stringify({ cron: controller.cron, ...describeResult(await flush(env)) }));
    } catch (err) {
      console.error(JSON.stringify({ cron: controller.cron, ...describeError(err) }));
      throw err; // the Cron Trigger's invocation is reported as failed
    }
  },
};
