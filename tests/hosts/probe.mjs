// Runs in every host (Deno, Bun, workerd): the package's three functions on the data the Node
// test sends, and one real flush through the local gateway. It only reports what it got; the Node
// test (hosts.mjs) holds every assertion, the same for each host.
import { signRequest, buildFlushRequest, parseFlushResponse } from 'ncloud-redis-flush';

/** `{ value }` or `{ error }` with what a caller sees of a thrown value. */
function settle(fn) {
  try {
    return { value: fn() };
  } catch (e) {
    return { error: { isError: e instanceof Error, name: e?.name, kind: e?.kind, code: e?.code, message: e?.message } };
  }
}

/**
 * `input`: `{ vectors, fixtures: { name: { text, status } }, flush: { endpoint, instanceNo,
 * accessKey, secretKey } }`. Resolves to the signatures, the parsed fixtures and the flush's
 * HTTP status and parsed answer.
 */
export async function probe(input) {
  const signatures = input.vectors.map((v) => settle(() => signRequest({
    method: v.method, url: v.url, timestamp: v.timestamp, accessKey: v.accessKey, secretKey: v.secretKey,
  })));
  const parsed = {};
  for (const [name, { text, status }] of Object.entries(input.fixtures)) {
    parsed[name] = settle(() => parseFlushResponse(text, status === undefined ? {} : { status }));
  }
  const f = input.flush;
  const request = buildFlushRequest({
    cloudDBInstanceNo: f.instanceNo, endpoint: f.endpoint, timestamp: Date.now(), accessKey: f.accessKey, secretKey: f.secretKey,
  });
  const response = await fetch(request.url, { ...request, signal: AbortSignal.timeout(20_000) });
  const text = await response.text();
  return { signatures, parsed, flush: { status: response.status, ...settle(() => parseFlushResponse(text, { status: response.status })) } };
}
