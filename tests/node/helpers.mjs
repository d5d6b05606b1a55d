// Shared by the Node tests: fixtures, vectors, a seeded random generator and independent
// references (node:crypto's HMAC, Node's own URL parser).
import { readFileSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
export const testsDir = join(here, '..');
export const fixture = (name) => readFileSync(join(testsDir, 'fixtures', name), 'utf8');
export const vectors = JSON.parse(readFileSync(join(testsDir, 'vectors', 'signature-vectors.json'), 'utf8')).vectors;
export const SECRET = 'S3CR3T-zebra-quokka-9f8e7d';

/** mulberry32: a small seeded generator, so a failing case can be replayed from its seed. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  const pick = (list) => list[int(list.length)];
  return { next, int, pick };
}

const PIECES = [
  'a', 'Z', '0', '9', '-', '_', '.', '~', '/', '\\', '?', '#', '%', '%2e', '%2E', '%zz', '..', '.', ' ', '"', "'",
  '<', '>', '`', '{', '}', '|', '^', '[', ']', '@', '!', '$', '&', '(', ')', '*', '+', ',', ';', '=', ':', '\t', '\n',
  '\u0001', '\u007f', 'é', 'ß', 'ключ', '한국', '😀', '\u00a0', '\ufeff', '\ud800', 'cloudDBInstanceNo=882689',
];

/** A random URL: absolute or a path, with odd characters everywhere. */
export function randomUrl(r) {
  let path = '/';
  const n = r.int(12);
  for (let i = 0; i < n; i++) path += r.pick(PIECES);
  switch (r.int(4)) {
    case 0: return `https://ncloud.apigw.ntruss.com${path}`;
    case 1: return `http://127.0.0.1:${1 + r.int(65535)}${path}`;
    case 2: return `  ${path}  `;
    default: return path;
  }
}

/** A random string of `max` characters at most, any of them Unicode. */
export function randomText(r, max, alphabet) {
  let s = '';
  const n = 1 + r.int(max);
  for (let i = 0; i < n; i++) {
    s += alphabet ? r.pick(alphabet) : String.fromCodePoint(r.pick([0x21 + r.int(94), 0xa1 + r.int(0x500), 0x1f600 + r.int(80)]));
  }
  return s;
}

/** Path and query as Node's URL parser (what undici's fetch sends) serializes `url`. */
export function nodeRequestTarget(url) {
  const u = new URL(url, 'https://ncloud.apigw.ntruss.com/');
  return u.href.slice(u.origin.length).split('#')[0];
}

/** The signature computed independently with node:crypto. */
export function nodeSignature(method, url, timestamp, accessKey, secretKey) {
  const sts = `${method.toUpperCase()} ${nodeRequestTarget(url)}\n${timestamp}\n${accessKey}`;
  return { sts, signature: createHmac('sha256', Buffer.from(secretKey, 'utf8')).update(sts, 'utf8').digest('base64') };
}

/** Every string a thrown value exposes: its name, stack, and every own property (message too). */
export function exposedText(value) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return String(value);
  const parts = [String(value.name), String(value.stack)];
  for (const key of Object.getOwnPropertyNames(value)) {
    try {
      parts.push(key, String(value[key]));
    } catch {
      parts.push(key);
    }
  }
  return parts.join('\n');
}

/** Whether `text` shows the test secret, whole or its most recognisable part. */
export const showsSecret = (text) => text.includes(SECRET) || text.includes('zebra');
