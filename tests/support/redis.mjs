// Real Redis servers for tests and the demo: Debian's redis-server on loopback ports, data in a
// temporary folder, stopped by whoever started them. A small RESP client talks to them.
import { spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Sends one command and resolves to its reply (strings, numbers, arrays; errors reject). */
export function command(port, ...args) {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let buffer = Buffer.alloc(0);
    socket.setTimeout(5000, () => socket.destroy(new Error(`redis ${port}: timeout`)));
    socket.on('error', reject);
    socket.on('connect', () => {
      let out = `*${args.length}\r\n`;
      for (const a of args) out += `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`;
      socket.write(out);
    });
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      const parsed = parse(buffer, 0);
      if (parsed) {
        socket.end();
        if (parsed.value instanceof Error) reject(parsed.value);
        else resolve(parsed.value);
      }
    });
  });
}

function parse(buf, at) {
  const eol = buf.indexOf('\r\n', at);
  if (eol < 0) return null;
  const type = String.fromCharCode(buf[at]);
  const line = buf.toString('utf8', at + 1, eol);
  const next = eol + 2;
  switch (type) {
    case '+': return { value: line, end: next };
    case '-': return { value: new Error(line), end: next };
    case ':': return { value: Number(line), end: next };
    case '$': {
      const n = Number(line);
      if (n < 0) return { value: null, end: next };
      if (buf.length < next + n + 2) return null;
      return { value: buf.toString('utf8', next, next + n), end: next + n + 2 };
    }
    case '*': {
      const n = Number(line);
      const items = [];
      let pos = next;
      for (let i = 0; i < n; i++) {
        const item = parse(buf, pos);
        if (!item) return null;
        items.push(item.value);
        pos = item.end;
      }
      return { value: items, end: pos };
    }
    default: return { value: new Error(`unexpected RESP type ${type}`), end: next };
  }
}

/** Keys in every database of the server. */
export async function totalKeys(port) {
  const info = await command(port, 'INFO', 'keyspace');
  return [...info.matchAll(/keys=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
}

/** Writes `count` keys spread over databases 0 and 1. */
export async function fill(port, count, prefix = 'k') {
  const half = Math.ceil(count / 2);
  const args0 = [];
  for (let i = 0; i < half; i++) args0.push(`${prefix}:${i}`, `v${i}`);
  if (args0.length) await command(port, 'MSET', ...args0);
  for (let i = half; i < count; i++) {
    // One key per command in db 1: SELECT does not survive across our one-shot connections.
    await command(port, 'EVAL', "redis.call('SELECT', 1); return redis.call('SET', KEYS[1], ARGV[1])", 1, `${prefix}:${i}`, `v${i}`);
  }
}

/** Starts redis-server on a free loopback port. `stop()` and `start()` again on the same port. */
export async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ncloud-redis-'));
  let child = null;
  const start = () => new Promise((resolve, reject) => {
    child = spawn('redis-server', [
      '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir,
      '--protected-mode', 'yes', '--databases', '16', '--loglevel', 'warning',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`redis-server on ${port} did not start: ${output}`)), 10_000);
    const poll = async () => {
      try {
        await command(port, 'PING');
        clearTimeout(timer);
        resolve();
      } catch {
        if (child.exitCode === null) setTimeout(poll, 50);
      }
    };
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    child.on('exit', (code) => { if (code) { clearTimeout(timer); reject(new Error(`redis-server exited ${code}: ${output}`)); } });
    poll();
  });
  const stop = () => new Promise((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    start,
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
