// Starts ncloud-gateway (the binary cargo built) with a generated configuration on a free
// loopback port; collects its audit lines.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = process.env.NCLOUD_ROOT ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const GATEWAY_BIN = process.env.NCLOUD_GATEWAY_BIN ?? join(ROOT, 'target', 'debug', 'ncloud-gateway');

const toml = (v) => JSON.stringify(v);

/** The TOML text of a configuration. */
export function configText({ credentials = [], instances = [], maxClockSkewMs = 300_000, extra = '' }) {
  let text = `listen = "127.0.0.1:0"\nmax_clock_skew_ms = ${maxClockSkewMs}\n${extra}\n`;
  for (const c of credentials) text += `[[credentials]]\naccess_key = ${toml(c.accessKey)}\nsecret_key = ${toml(c.secretKey)}\n`;
  for (const i of instances) {
    text += `[[instances]]\ncloud_db_instance_no = ${toml(i.no)}\nredis_url = ${toml(i.redisUrl)}\ncloud_db_service_name = ${toml(i.name)}\n`;
    if (i.isHa) text += 'is_ha = true\n';
    if (i.platform) text += `platform = ${toml(i.platform)}\n`;
    if (i.regionCode) text += `region_code = ${toml(i.regionCode)}\n`;
  }
  return text;
}

/** Starts a gateway; resolves to `{ url, logs, stop() }`. */
export async function startGateway(options, args = []) {
  const dir = mkdtempSync(join(tmpdir(), 'ncloud-gateway-'));
  const file = join(dir, 'gateway.toml');
  writeFileSync(file, configText(options));
  const child = spawn(GATEWAY_BIN, ['--config', file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const logs = [];
  let stderr = '';
  let pending = '';
  child.stdout.on('data', (d) => {
    pending += d;
    const lines = pending.split('\n');
    pending = lines.pop();
    for (const line of lines) if (line.trim()) logs.push(JSON.parse(line));
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`gateway did not start: ${stderr}`)), 20_000);
    child.stderr.on('data', (d) => {
      stderr += d;
      // The whole line: stderr may arrive in pieces, and a URL cut at "http://127" is not loopback.
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\r?\n/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`gateway exited with ${code}: ${stderr}`));
    });
  });
  return {
    url,
    logs,
    stderr: () => stderr,
    child,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) {
        rmSync(dir, { recursive: true, force: true });
        return resolve();
      }
      child.once('exit', () => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      });
      child.kill('SIGTERM');
    }),
  };
}
