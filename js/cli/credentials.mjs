// Credentials: flags, else environment, else ~/.ncloud/configure; both keys from one source.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError, secrets, usageError } from './output.mjs';

export function findCredentials(values, env) {
  const fromFlags = [values['access-key'], values['secret-key']];
  if (fromFlags.some((v) => v !== undefined)) {
    if (fromFlags.some((v) => !v)) throw usageError('--access-key and --secret-key go together, and neither may be empty');
    return credentialsFrom(fromFlags, 'the --access-key/--secret-key flags');
  }
  const fromEnv = [env.NCLOUD_ACCESS_KEY, env.NCLOUD_SECRET_KEY];
  if (fromEnv.some((v) => v)) {
    if (fromEnv.some((v) => !v)) throw usageError(`NCLOUD_${fromEnv[0] ? 'SECRET' : 'ACCESS'}_KEY is not set while NCLOUD_${fromEnv[0] ? 'ACCESS' : 'SECRET'}_KEY is`, 'set both, or neither to use ~/.ncloud/configure');
    return credentialsFrom(fromEnv, 'NCLOUD_ACCESS_KEY/NCLOUD_SECRET_KEY');
  }
  const home = env.HOME || homedir();
  const file = join(home, '.ncloud', 'configure');
  const profile = values.profile ?? 'DEFAULT';
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e.code === 'ENOENT') {
      throw new CliError('usage', 'ERR_NO_CREDENTIALS', 'no credentials: no --access-key/--secret-key, no NCLOUD_ACCESS_KEY/NCLOUD_SECRET_KEY, no ~/.ncloud/configure', {
        hint: 'create an API key in the NAVER Cloud console (My Page → Authentication key) and pass it in one of these ways (see --help)',
      });
    }
    throw new CliError('usage', 'ERR_NO_CREDENTIALS', `cannot read ${file}: ${e.code ?? e.message}`);
  }
  const section = readIni(text)[profile.toLowerCase()];
  if (!section) throw new CliError('usage', 'ERR_NO_CREDENTIALS', `${file} has no [${profile}] section`, { hint: 'see --help for the file\'s format' });
  const keys = [section.ncloud_access_key_id, section.ncloud_secret_access_key];
  if (keys.some((v) => !v)) {
    throw new CliError('usage', 'ERR_NO_CREDENTIALS', `[${profile}] of ${file} lacks ${keys[0] ? 'ncloud_secret_access_key' : 'ncloud_access_key_id'}`, { hint: 'see --help for the file\'s format' });
  }
  return { ...credentialsFrom(keys, `~/.ncloud/configure [${profile}]`), apiUrl: section.ncloud_api_url || undefined };
}

function credentialsFrom([accessKey, secretKey], source) {
  secrets.push(secretKey);
  return { accessKey, secretKey, source };
}

/** `{ section: { key: value } }`, section names lowercased; lines before any header are DEFAULT. */
function readIni(text) {
  const sections = {};
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
