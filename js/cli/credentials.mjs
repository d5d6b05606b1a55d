// Credentials: flags, else environment, else ~/.ncloud/configure; both keys from one source.
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, secrets, stderr, usageError } from './output.mjs';

/** @typedef {import('./args.mjs').Values} Values */
/** @typedef {import('./args.mjs').Env} Env */
/**
 * The keys of a run, from one source (`source` names it, for the hints); `apiUrl`: the
 * configure file's ncloud_api_url.
 * @typedef {{ accessKey: string, secretKey: string, source: string, apiUrl?: string }} Credentials
 */

/**
 * Before anything is parsed or written: every secret key the command line or the environment
 * holds (--secret-key X, --secret-key=X, NCLOUD_SECRET_KEY), to be masked wherever it appears,
 * even in an error about the arguments themselves.
 * @param {string[]} argv @param {Env} env
 */
export function maskSecretsOf(argv, env) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--secret-key' && i + 1 < argv.length) secrets.push(argv[i + 1]);
    else if (argv[i].startsWith('--secret-key=')) secrets.push(argv[i].slice('--secret-key='.length));
  }
  if (env.NCLOUD_SECRET_KEY) secrets.push(env.NCLOUD_SECRET_KEY);
}

/** @param {Values} values @param {Env} env @returns {Credentials} */
export function findCredentials(values, env) {
  if (values['secret-key-stdin']) return fromStdin(values, env);
  const fromFlags = [values['access-key'], values['secret-key']];
  if (fromFlags.some((v) => v !== undefined)) {
    if (fromFlags.some((v) => !v)) throw usageError('--access-key and --secret-key go together, and neither may be empty', 'or give --access-key with --secret-key-stdin');
    stderr('warning: --secret-key shows the secret key in the process list (ps) to every user of this computer; prefer NCLOUD_SECRET_KEY, ~/.ncloud/configure or --secret-key-stdin\n');
    return credentialsFrom(/** @type {[string, string]} */ (fromFlags), 'the --access-key/--secret-key flags');
  }
  const fromEnv = [env.NCLOUD_ACCESS_KEY, env.NCLOUD_SECRET_KEY];
  if (fromEnv.some((v) => v)) {
    if (fromEnv.some((v) => !v)) throw usageError(`NCLOUD_${fromEnv[0] ? 'SECRET' : 'ACCESS'}_KEY is not set while NCLOUD_${fromEnv[0] ? 'ACCESS' : 'SECRET'}_KEY is`, 'set both, or neither to use ~/.ncloud/configure');
    return credentialsFrom(/** @type {[string, string]} */ (fromEnv), 'NCLOUD_ACCESS_KEY/NCLOUD_SECRET_KEY');
  }
  const home = env.HOME || homedir();
  const file = join(home, '.ncloud', 'configure');
  const profile = values.profile ?? 'DEFAULT';
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (caught) {
    const e = /** @type {NodeJS.ErrnoException} */ (caught);
    if (e.code === 'ENOENT') {
      throw new CliError('usage', 'ERR_NO_CREDENTIALS', 'no credentials: no --access-key/--secret-key, no NCLOUD_ACCESS_KEY/NCLOUD_SECRET_KEY, no ~/.ncloud/configure', {
        hint: 'create an API key in the NAVER Cloud console (My Page → Authentication key) and pass it in one of these ways (see --help)',
      });
    }
    throw new CliError('usage', 'ERR_NO_CREDENTIALS', `cannot read ${file}: ${e.code ?? e.message}`);
  }
  warnIfReadable(file);
  const section = readIni(text)[profile.toLowerCase()];
  if (!section) throw new CliError('usage', 'ERR_NO_CREDENTIALS', `${file} has no [${profile}] section`, { hint: 'see --help for the file\'s format' });
  const keys = [section.ncloud_access_key_id, section.ncloud_secret_access_key];
  if (keys.some((v) => !v)) {
    throw new CliError('usage', 'ERR_NO_CREDENTIALS', `[${profile}] of ${file} lacks ${keys[0] ? 'ncloud_secret_access_key' : 'ncloud_access_key_id'}`, { hint: 'see --help for the file\'s format' });
  }
  return { ...credentialsFrom(/** @type {[string, string]} */ (keys), `~/.ncloud/configure [${profile}]`), apiUrl: section.ncloud_api_url || undefined };
}

/**
 * --secret-key-stdin: the first line of standard input (a pipe or a file), with --access-key or NCLOUD_ACCESS_KEY.
 * @param {Values} values @param {Env} env @returns {Credentials}
 */
function fromStdin(values, env) {
  if (values['secret-key'] !== undefined) throw usageError('give --secret-key or --secret-key-stdin, not both');
  const accessKey = values['access-key'] ?? env.NCLOUD_ACCESS_KEY;
  if (!accessKey) throw usageError('--secret-key-stdin needs the access key: --access-key <id> (or NCLOUD_ACCESS_KEY)');
  if (process.stdin.isTTY) {
    throw usageError('--secret-key-stdin reads the secret key from a pipe or a file, not from a terminal', 'e.g. --secret-key-stdin < file; on a terminal, NCLOUD_SECRET_KEY or ~/.ncloud/configure');
  }
  let text;
  try {
    text = readFileSync(0, 'utf8');
  } catch (caught) {
    const e = /** @type {NodeJS.ErrnoException} */ (caught);
    throw usageError(`--secret-key-stdin: cannot read standard input (${e.code ?? e.message})`);
  }
  const secretKey = text.split(/\r?\n/)[0].trim();
  if (!secretKey) throw usageError('--secret-key-stdin: standard input holds no secret key (its first line is empty)', 'e.g. --secret-key-stdin < file');
  return credentialsFrom([accessKey, secretKey], '--secret-key-stdin');
}

/** As ssh does for a private key: a warning when the file with the secret can be read by others than its owner. */
/** @param {string} file */
function warnIfReadable(file) {
  let mode;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    return;
  }
  const who = [mode & 0o040 ? 'group' : null, mode & 0o004 ? 'others' : null].filter(Boolean).join(' and ');
  if (!who) return;
  stderr(`warning: ${file} is readable by ${who} (mode ${mode.toString(8).padStart(4, '0')}) and holds the secret key: chmod 600 ${file}\n`);
}

/** @param {[string, string]} keys @param {string} source @returns {Credentials} */
function credentialsFrom([accessKey, secretKey], source) {
  secrets.push(secretKey);
  return { accessKey, secretKey, source };
}

/**
 * `{ section: { key: value } }`, section names lowercased; lines before any header are DEFAULT.
 * @param {string} text @returns {Record<string, Record<string, string>>}
 */
function readIni(text) {
  /** @type {Record<string, Record<string, string>>} */
  const sections = {};
  /** @type {Record<string, string>} */
  let current = (sections.default = {});
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*(?:profile\s+)?([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      current = sections[header[1].toLowerCase()] ??= {};
      continue;
    }
    const eq = line.search(/[=:]/);
    if (eq > 0) current[line.slice(0, eq).trim().toLowerCase()] = line.slice(eq + 1).trim();
  }
  return sections;
}
