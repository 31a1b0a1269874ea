// Start-up cost of the CLI as a ratio to a bare `node -e 0`, measured in one run on this machine: `--version`,
// `--help`, two sub-command helps, and `status` of a profile logged out of both services (it reads the profile and
// the credentials file, and finds nothing to send a request with: no network at all; exit 4).
// Usage: node test/bench/startup.mjs [runs]   (after `npm run build`)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliEnv, logIn, mustRun } from './fixtures/cli.mjs';

const bin = fileURLToPath(new URL('../../bin/apriora.js', import.meta.url));
export const STATUS_CASE = 'apriora status (no network)';

/** name → [args, expected exit code]. */
const CASES = {
  'node -e 0': [['-e', '0'], 0],
  'apriora --version': [[bin, '--version'], 0],
  'apriora --help': [[bin, '--help'], 0],
  'apriora tracker login --help': [[bin, 'tracker', 'login', '--help'], 0],
  'apriora interview generate --help': [[bin, 'interview', 'generate', '--help'], 0],
  [STATUS_CASE]: [[bin, 'status'], 4],
};

/**
 * A config dir whose profile was logged in to a sandbox (so it holds the sandbox's addresses, field map and
 * settings), then logged out of both: `status` there has nothing to send a request with. The caller removes it.
 */
export async function prepareStatusProfile() {
  const { startSandbox } = await import('../../dist/sandbox/index.js');
  const sandbox = await startSandbox({ port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'apriora-bench-status-'));
  try {
    await logIn(dir, sandbox, { fieldMap: true });
    await mustRun(dir, ['logout']);
    await mustRun(dir, ['tracker', 'logout']);
  } finally {
    await sandbox.close();
  }
  return dir;
}

function once([args, expected], env) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore', env });
  if (result.status !== expected) throw new Error(`${args.join(' ')} exited ${result.status}, not ${expected}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Median wall time of each case; the cases are interleaved so that machine noise hits them alike. Every CLI case
 * runs with its config in `configDir` (the status case is left out without one).
 */
export function measureStartup(runs = 30, configDir) {
  const env = configDir ? cliEnv(configDir) : process.env;
  const cases = Object.entries(CASES).filter(([name]) => configDir || name !== STATUS_CASE);
  const samples = Object.fromEntries(cases.map(([name]) => [name, []]));
  for (let round = -1; round < runs; round++) {
    for (const [name, spec] of cases) {
      const ms = once(spec, env);
      if (round >= 0) samples[name].push(ms);
    }
  }
  const baseline = median(samples['node -e 0']);
  return Object.entries(samples).map(([name, values]) => ({ name, ms: median(values), ratio: median(values) / baseline }));
}

export function printStartup(rows, runs) {
  console.log(`start-up, median of ${runs} interleaved runs (Node ${process.version}):`);
  for (const { name, ms, ratio } of rows) {
    console.log(`  ${name.padEnd(34)} ${ms.toFixed(1).padStart(7)} ms   ${ratio.toFixed(2)}x node -e 0`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2] ?? 30);
  const dir = await prepareStatusProfile();
  try {
    printStartup(measureStartup(runs, dir), runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
