// What both CLI suites need to run the installed program: without a terminal, on a
// pseudo-terminal, with a clean environment, every output kept for the secret checks; and a way
// to wait until the gateway has logged every request made so far.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// The bin npm linked when it installed the tarball (process.cwd() is the install folder).
export const CLI = join(process.cwd(), 'node_modules', '.bin', 'ncloud-redis-flush');

export const shellQuote = (v) => `'${String(v).replaceAll("'", `'\\''`)}'`;

/**
 * Runners whose child processes see PATH, `home()` as $HOME and `env` only (nothing of ours
 * leaks in), and whose outputs are pushed to `outputs`. `defaultEnv()` is used when a run gives
 * no `env`.
 */
export function runners({ home, outputs, defaultEnv = () => ({}) }) {
  const cliEnv = (extra) => ({ PATH: process.env.PATH, HOME: home(), LANG: 'C.UTF-8', ...extra });

  /** Runs a program without a terminal (stdin a closed pipe); resolves to `{ code, stdout, stderr }`. */
  function runProgram(file, args, { env = defaultEnv(), input = '' } = {}) {
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, { env: cliEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      child.stderr.on('data', (d) => { stderr += d; });
      child.on('error', reject);
      child.on('close', (code) => {
        outputs.push({ args: [file, ...args].join(' '), stdout, stderr });
        resolve({ code, stdout, stderr });
      });
      child.stdin.end(input);
    });
  }

  /**
   * Runs the CLI on a pseudo-terminal (`script` from util-linux), types `answer` once it asks;
   * resolves to `{ code, out, asked }` (stdout and stderr merged, as on a terminal).
   */
  function runOnTerminal(args, { env = defaultEnv(), answer }) {
    return new Promise((resolve, reject) => {
      const commandLine = [CLI, ...args].map(shellQuote).join(' ');
      const child = spawn('script', ['-qec', commandLine, '/dev/null'], { env: cliEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let asked = false;
      const collect = (d) => {
        out += d;
        if (!asked && /Type the (server )?instance number to confirm/.test(out)) {
          asked = true;
          child.stdin.write(`${answer}\n`);
        }
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.on('error', reject);
      child.on('close', (code) => {
        child.stdin.destroy();
        outputs.push({ args: `script: ${commandLine}`, stdout: out, stderr: '' });
        resolve({ code, out, asked });
      });
    });
  }

  /**
   * Runs the CLI on a pseudo-terminal and answers each prompt in turn: `steps` is a list of
   * `[pattern, text]`; once the output (from where the previous answer was typed) matches
   * `pattern`, `text` and a newline are typed. Resolves to `{ code, out, answered }` (the number
   * of steps answered).
   */
  function runDialog(args, { env = defaultEnv(), steps, input }) {
    return new Promise((resolve, reject) => {
      const commandLine = [CLI, ...args].map(shellQuote).join(' ');
      const child = spawn('script', ['-qec', commandLine, '/dev/null'], { env: cliEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let from = 0;
      let answered = 0;
      const collect = (d) => {
        out += d;
        while (answered < steps.length && steps[answered][0].test(out.slice(from))) {
          child.stdin.write(`${steps[answered][1]}\r`);
          from = out.length;
          answered++;
        }
      };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.on('error', reject);
      child.on('close', (code) => {
        child.stdin.destroy();
        outputs.push({ args: `script: ${commandLine}`, stdout: out, stderr: '' });
        resolve({ code, out, answered });
      });
      if (input !== undefined) child.stdin.write(input);
    });
  }

  return { cliEnv, runProgram, runOnTerminal, runDialog };
}

/**
 * `settledLogs()`: waits until `gateway()` has logged every request made so far (by requesting a
 * sentinel path and waiting for its line); resolves to the log length.
 */
export function logSettler(gateway, name) {
  let sentinels = 0;
  return async function settledLogs() {
    const path = `/${name}-sentinel-${++sentinels}`;
    await (await fetch(`${gateway().url}${path}`)).arrayBuffer();
    while (!gateway().logs.some((l) => l.path === path)) await sleep(10);
    return gateway().logs.length;
  };
}
