// Start-up cost of the CLI as a ratio to a bare `node -e 0`, measured in one run on this machine.
// Usage: node test/bench/startup.mjs [runs] [--clean-env]   (after `npm run build`)
// `status` runs without any network: against a sandbox profile whose secrets are not stored (it reads and validates
// the profile, finds no credentials and says so, exit 4), and with no profile at all.
// Every run, `node -e 0` included, gets the caller's environment (less its apriora settings): what Node itself does at
// start-up for it (NODE_OPTIONS, NODE_EXTRA_CA_CERTS: tens of ms) is paid by all alike. --clean-env passes only PATH
// and HOME, for the CLI's own cost against a bare Node.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/apriora.js', import.meta.url));

const PROFILE = {
  profiles: {
    default: {
      sandbox: true,
      credentialStore: 'file',
      tracker: { baseUrl: 'http://127.0.0.1:9', username: 'api.user@sandbox.example' },
      apriora: { baseUrl: 'http://127.0.0.1:9/apriora/v1/api' },
    },
  },
};

function cases(dir) {
  const withProfile = join(dir, 'profile');
  const empty = join(dir, 'empty');
  mkdirSync(withProfile, { mode: 0o700 });
  mkdirSync(empty, { mode: 0o700 });
  writeFileSync(join(withProfile, 'config.json'), JSON.stringify(PROFILE), { mode: 0o600 });
  const cli = (configDir, args, codes = [0]) => ({ args: [bin, ...args], configDir, codes });
  return {
    'node -e 0': { args: ['-e', '0'], configDir: empty, codes: [0] },
    'apriora --version': cli(empty, ['--version']),
    'apriora --help': cli(empty, ['--help']),
    'apriora status': cli(withProfile, ['status'], [4]),
    'apriora status (no profile)': cli(empty, ['status'], [4]),
    'apriora tracker login --help': cli(empty, ['tracker', 'login', '--help']),
    'apriora interview generate --help': cli(empty, ['interview', 'generate', '--help']),
  };
}

const NODE_SETTINGS = ['NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS'];

function baseEnv(cleanEnv) {
  if (cleanEnv) return { PATH: process.env.PATH, HOME: process.env.HOME };
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(TRACKER_|APRIORA_|XDG_|FORCE_COLOR$|NO_COLOR$)/.test(key)));
}

function once({ args, configDir, codes }, cleanEnv) {
  const env = {
    ...baseEnv(cleanEnv),
    APRIORA_CONFIG_DIR: configDir,
    APRIORA_DATA_DIR: join(configDir, 'data'),
    APRIORA_CREDENTIAL_STORE: 'file',
    CI: '1',
  };
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore', env });
  if (!codes.includes(result.status)) throw new Error(`${args.join(' ')} exited ${result.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Median wall time of each case; the cases are interleaved so that machine noise hits them alike. */
export function measureStartup(runs = 30, { cleanEnv = false } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'apriora-startup-'));
  try {
    const all = cases(dir);
    const samples = Object.fromEntries(Object.keys(all).map((name) => [name, []]));
    for (let round = -1; round < runs; round++) {
      for (const [name, spec] of Object.entries(all)) {
        const ms = once(spec, cleanEnv);
        if (round >= 0) samples[name].push(ms);
      }
    }
    const baseline = median(samples['node -e 0']);
    return Object.entries(samples).map(([name, values]) => ({ name, ms: median(values), ratio: median(values) / baseline }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printStartup(rows, runs, { cleanEnv = false } = {}) {
  const inherited = cleanEnv ? [] : NODE_SETTINGS.filter((name) => process.env[name]);
  const note = cleanEnv ? ', PATH and HOME only' : inherited.length ? `, with ${inherited.join(' and ')} set` : '';
  console.log(`start-up, median of ${runs} interleaved runs (Node ${process.version}${note}):`);
  for (const { name, ms, ratio } of rows) {
    console.log(`  ${name.padEnd(34)} ${ms.toFixed(1).padStart(7)} ms   ${ratio.toFixed(2)}x node -e 0`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cleanEnv = process.argv.includes('--clean-env');
  const runs = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 30);
  printStartup(measureStartup(runs, { cleanEnv }), runs, { cleanEnv });
}
