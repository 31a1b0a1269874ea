// Start-up cost of the CLI as a ratio to a bare `node -e 0`, measured in one run on this machine.
// Usage: node test/bench/startup.mjs [runs]   (after `npm run build`)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/apriora.js', import.meta.url));
const runs = Number(process.argv[2] ?? 30);
const cases = {
  'node -e 0': ['-e', '0'],
  'apriora --version': [bin, '--version'],
  'apriora --help': [bin, '--help'],
  'apriora tracker login --help': [bin, 'tracker', 'login', '--help'],
};

function once(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

// Interleave the cases so that machine noise hits them alike; one warm-up round first.
const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
for (let round = -1; round < runs; round++) {
  for (const [name, args] of Object.entries(cases)) {
    const ms = once(args);
    if (round >= 0) samples[name].push(ms);
  }
}

const baseline = median(samples['node -e 0']);
console.log(`start-up, median of ${runs} runs (Node ${process.version}):`);
for (const [name, values] of Object.entries(samples)) {
  const ms = median(values);
  console.log(`  ${name.padEnd(30)} ${ms.toFixed(1).padStart(7)} ms   ${(ms / baseline).toFixed(2)}x node -e 0`);
}
