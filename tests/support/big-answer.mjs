// A server's answer larger than the clients may read (16 MiB), for the CLI's and the console's
// answer-size tests.

/**
 * Writes `total` bytes of a JSON-looking answer to `res`, as fast as the client reads them (the
 * writes wait for 'drain'), and stops when the client goes away. Resolves to the bytes written.
 * `end`: end the answer once written (otherwise it is left open, as a server that never finishes).
 */
export async function stream(res, total, { end = true } = {}) {
  const chunk = Buffer.alloc(256 * 1024, 'a');
  let sent = 0;
  let closed = false;
  const gone = new Promise((resolve) => res.once('close', resolve)).then(() => { closed = true; });
  const head = Buffer.from('{"getCloudDBInstanceListResponse":{"returnMessage":"');
  res.write(head);
  sent += head.length;
  while (sent < total && !closed) {
    const more = res.write(chunk);
    sent += chunk.length;
    if (!more) await Promise.race([new Promise((resolve) => res.once('drain', resolve)), gone]);
  }
  if (!closed && end) res.end('"}}');
  return sent;
}
