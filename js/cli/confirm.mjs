// The confirmation of a flush: on a terminal, the number typed back; without one, --yes.
import { createInterface } from 'node:readline';
import { CliError, clean, endpointName, safe, stderr } from './output.mjs';

/** @typedef {import('./args.mjs').Settings} Settings */

/** Without --yes, a terminal to ask on is needed: checked before anything is sent. */
/** @param {Settings} s */
export function checkConfirmable(s) {
  if (s.yes || (process.stdin.isTTY && process.stdout.isTTY)) return;
  const what = s.platform === 'classic' ? 'instance' : `${s.P.service} server`;
  throw new CliError('usage', 'ERR_NOT_CONFIRMED', `refusing to flush ${what} ${s.instanceNo} without confirmation: no terminal to ask on`, {
    hint: 'pass --yes to flush without asking, or --dry-run to see the request',
  });
}

/** On a terminal, asks to type the number given; `target` is findMaster's (VPC and Cache). */
/** @param {Settings} s @param {import('./requests.mjs').Target | null} target */
export async function confirm(s, target) {
  if (s.yes) return;
  checkConfirmable(s);
  const where = endpointName(s);
  let question;
  if (!target) {
    question = `This deletes EVERY key of Cloud DB for Redis instance ${s.instanceNo} at ${where}.\nType the instance number to confirm: `;
  } else if (s.platform === 'classic') {
    const { instance } = target;
    const about = [instance.status, instance.engine].filter(Boolean).map((v) => clean(v)).join(', ');
    question = `This deletes EVERY key of ${s.P.service} instance ${s.instanceNo} "${clean(instance.name)}"${about ? ` (${about})` : ''} at ${where}.\n`;
    if (instance.isHa) question += `WARNING: "${clean(instance.name)}" is a high-availability (HA) instance: its standby is cleared too.\n`;
    question += 'Type the instance number to confirm: ';
  } else {
    const { instance, replicas } = target;
    const region = s.regionCode ?? instance.region;
    question = `This deletes EVERY key of ${s.P.service} instance ${clean(instance.no)} "${clean(instance.name)}" (master server ${s.instanceNo}${region ? `, region ${clean(region)}` : ''}) at ${where}.\n`;
    if (instance.isHa) {
      const nos = replicas.map((v) => clean(v.no)).join(', ');
      question += `WARNING: "${clean(instance.name)}" is a high-availability (HA) instance: its replicas${nos ? ` (server ${nos})` : ''} are cleared too.\n`;
    }
    question += 'Type the server instance number to confirm: ';
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  /** @type {string | null} */
  const answer = await new Promise((resolve) => {
    let done = false;
    rl.on('close', () => { if (!done) resolve(null); });
    rl.question(safe(question), (a) => {
      done = true;
      resolve(a);
    });
  });
  rl.close();
  if (answer === null) stderr('\n'); // Ctrl-C or Ctrl-D: end the prompt's line
  if (answer === null || answer.trim() !== s.instanceNo) {
    throw new CliError('usage', 'ERR_NOT_CONFIRMED', `not confirmed: nothing was flushed`, {
      hint: answer === null ? 'no answer' : `the answer was not ${s.instanceNo}`,
    });
  }
}
