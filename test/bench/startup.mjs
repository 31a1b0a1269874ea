// Start-up cost of the CLI as a ratio to a bare `node -e 0`, measured in one run on this machine.
// Usage: node test/bench/startup.mjs [runs]   (after `npm run build`)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/apriora.js', import.meta.url));
const CASES = {
  'node -e 0': ['-e', '0'],
  'apriora --version': [bin, '--version'],
  'apriora --help': [bin, '--help'],
  'apriora tracker login --help': [bin, 'tracker', 'login', '--help'],
  'apriora interview generate --help': [bin, 'interview', 'generate', '--help'],
};

function once(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median wall time of each case; the cases are interleaved so that machine noise hits them alike. */
export function measureStartup(runs = 30) {
  const samples = Object.fromEntries(Object.keys(CASES).map((name) => [name, []]));
  for (let round = -1; round < runs; round++) {
    for (const [name, args] of Object.entries(CASES)) {
      const ms = once(args);
      if (round >= 0) samples[name].push(ms);
    }
  }
  const baseline = median(samples['node -e 0']);
  return Object.entries(samples).map(([name, values]) => ({ name, ms: median(values), ratio: median(values) / baseline }));
}

export function printStartup(rows, runs) {
  console.log(`start-up, median of ${runs} interleaved runs (Node ${process.version}):`);
  for (const { name, ms, ratio } of rows) {
    console.log(`  ${name.padEnd(30)} ${ms.toFixed(1).padStart(7)} ms   ${ratio.toFixed(2)}x node -e 0`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2] ?? 30);
  printStartup(measureStartup(runs), runs);
}
