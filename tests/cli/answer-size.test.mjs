// The CLI reads at most MAX_ANSWER_BYTES (16 MiB) of an answer: a longer one, declared by its
// Content-Length or streamed in chunks, is refused with an error that names the limit, before it
// is parsed, and without waiting for the rest. A listing's refusal is an HTTP error (exit 1, not
// retried: the same server would send the same answer); a flush's answer that was too large to
// read may be the answer of a flush that ran, so the flush is not sent again and the error says
// it may have happened (exit 3, as a timeout). Run as users get it (the installed tarball's bin)
// against small loopback servers.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, runners } from './harness.mjs';
import { stream } from '../support/big-answer.mjs';

const KEYS = { accessKey: 'AK-cli-answer-size', secretKey: 'SK-cli-answer-size-S3CR3T-tapir-51d0' };
const A = '882689';
const MiB = 1024 * 1024;
const LIMIT = 16 * MiB;

let home;
const outputs = [];
const cleanups = [];

before(() => {
  home = mkdtempSync(join(tmpdir(), 'ncloud-cli-answer-size-home-'));
});

after(async () => {
  for (const c of cleanups.reverse()) await c();
  if (home) rmSync(home, { recursive: true, force: true });
});

const env = { NCLOUD_ACCESS_KEY: KEYS.accessKey, NCLOUD_SECRET_KEY: KEYS.secretKey };
const { runProgram } = runners({ home: () => home, outputs, defaultEnv: () => env });

/** Runs the CLI; also resolves `ms`, how long it ran. */
async function run(args) {
  const started = Date.now();
  const r = await runProgram(CLI, args);
  return { ...r, ms: Date.now() - started };
}

/**
 * A loopback server whose every API answer is `shape`: `declared` (a Content-Length of 1 GiB, 64
 * MiB sent, then the answer is left open) or `chunked` (64 MiB streamed, no length). OPTIONS
 * (the --use-server-time probe) gets a 204 with a Date, unless `probe` is true: then it gets the
 * long answer too. Counts the requests and the bytes it managed to write.
 */
async function startServer(shape, { probe = false } = {}) {
  const requests = [];
  const written = [];
  const server = createHttpServer(async (req, res) => {
    requests.push({ method: req.method, path: req.url.split('?')[0] });
    for await (const _ of req);
    if (req.method === 'OPTIONS' && !probe) {
      res.writeHead(204, { date: new Date().toUTCString() });
      res.end();
      return;
    }
    if (shape === 'declared') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1024 * MiB) });
      written.push(await stream(res, 64 * MiB, { end: false }));
    } else {
      res.writeHead(200, { 'content-type': 'application/json' }); // no length: chunked
      written.push(await stream(res, 64 * MiB));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  }));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    written,
    flushes: () => requests.filter((r) => r.method !== 'OPTIONS' && r.path.includes('flush')).length,
  };
}

// --timeout 10: a client that waited for the whole answer would time out (exit 3, "no answer
// within 10 s") on the declared one; these runs must end well before.
const OPTIONS = ['--timeout', '10', '--retries', '2'];

for (const shape of ['declared', 'chunked']) {
  test(`list: an answer above 16 MiB (${shape === 'declared' ? 'a Content-Length of 1 GiB' : 'a chunked body of 64 MiB'}) is refused, exit 1, not retried, not read`, { timeout: 60_000 }, async () => {
    const server = await startServer(shape);
    const r = await run(['list', '--endpoint', server.url, ...OPTIONS]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^ {2}code +ERR_BODY_TOO_LARGE$/m);
    assert.match(r.stderr, /above the 16 MiB an answer may have/);
    assert.match(r.stderr, /^ {2}hint +the answer is far larger than NAVER Cloud's/m);
    assert.doesNotMatch(r.stderr, /retrying/);
    assert.equal(server.requests.length, 1, 'the listing was sent again');
    assert.ok(r.ms < 8000, `the CLI took ${r.ms} ms`);

    const j = await run(['list', '--endpoint', server.url, ...OPTIONS, '--json']);
    assert.equal(j.code, 1, j.stderr);
    const out = JSON.parse(j.stdout);
    assert.deepEqual([out.ok, out.exitCode, out.error.kind, out.error.code, out.error.httpStatus], [false, 1, 'http', 'ERR_BODY_TOO_LARGE', 200]);
    assert.match(out.error.message, /16 MiB/);
    // The client stopped reading: the server could not write the whole answer (only what the
    // sockets' buffers took), and never much more than the limit.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const bytes of server.written) assert.ok(bytes < LIMIT + 8 * MiB, `the server wrote ${bytes} bytes`);
  });

  test(`flush: an answer above 16 MiB (${shape}) is refused and the flush is not sent again: it may have happened, exit 3`, { timeout: 60_000 }, async () => {
    const server = await startServer(shape);
    const r = await run(['flush', A, '--yes', '--endpoint', server.url, ...OPTIONS]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /^ {2}code +ERR_BODY_TOO_LARGE$/m);
    assert.match(r.stderr, /above the 16 MiB an answer may have/);
    assert.match(r.stderr, /may have happened/);
    assert.ok(r.stderr.includes(`ncloud-redis-flush list --platform classic --endpoint ${server.url}`), r.stderr);
    assert.doesNotMatch(r.stderr, /retrying/);
    assert.equal(server.flushes(), 1, 'the flush was sent again');
    assert.ok(r.ms < 8000, `the CLI took ${r.ms} ms`);

    const j = await run(['flush', A, '--yes', '--endpoint', server.url, ...OPTIONS, '--json']);
    assert.equal(j.code, 3, j.stderr);
    const out = JSON.parse(j.stdout);
    assert.deepEqual([out.exitCode, out.error.code, out.error.mayHaveRun], [3, 'ERR_BODY_TOO_LARGE', true]);
    assert.match(out.error.hint, /may have happened/);
    assert.equal(server.flushes(), 2, 'one flush a run');
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const bytes of server.written) assert.ok(bytes < LIMIT + 8 * MiB, `the server wrote ${bytes} bytes`);
  });
}

test('--use-server-time: a probe answer above 16 MiB is refused before anything signed is sent', { timeout: 60_000 }, async () => {
  const server = await startServer('chunked', { probe: true });
  const r = await run(['flush', A, '--yes', '--use-server-time', '--endpoint', server.url, ...OPTIONS]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /above the 16 MiB an answer may have/);
  assert.deepEqual(server.requests.map((q) => q.method), ['OPTIONS']);
  assert.equal(server.flushes(), 0);
});

test('no output of this suite shows the secret', () => {
  for (const { args, stdout, stderr } of outputs) {
    assert.ok(!stdout.includes(KEYS.secretKey) && !stderr.includes(KEYS.secretKey), `${args} shows the secret`);
  }
});
