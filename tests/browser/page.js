// Runs in the page (as a module, or bundled by Vite): imports the package by its name, uses all
// three functions and leaves what it found in window.__results.
import { signRequest, buildFlushRequest, parseFlushResponse } from 'ncloud-redis-flush';

const results = {};
try {
  const vectors = await (await fetch('/vectors.json')).json();
  results.signatures = vectors.vectors.map((v) => signRequest(v).signature);
  results.flush = buildFlushRequest({ cloudDBInstanceNo: '882689', timestamp: 1546221796556, accessKey: 'AK', secretKey: 'SK' });
  results.parsed = parseFlushResponse(await (await fetch('/flush-response.xml')).text());
  try {
    signRequest({ method: 'GET', url: '/', timestamp: NaN, accessKey: 'AK', secretKey: 'SK' });
  } catch (e) {
    results.error = { isError: e instanceof Error, kind: e.kind, code: e.code, field: e.field };
  }
} catch (e) {
  results.failure = String(e && e.stack || e);
}
window.__results = results;
