// Deno's and Bun's main module: reads the probe's input from the file named by the first
// argument, prints the probe's report as JSON on stdout.
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { probe } from './probe.mjs';

const report = await probe(JSON.parse(readFileSync(process.argv[2], 'utf8')));
report.entry = import.meta.resolve('ncloud-redis-flush');
process.stdout.write(JSON.stringify(report));
