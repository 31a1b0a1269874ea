import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTrackerSeed, type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { cliEnv, cliResult } from '../support/cli-common.js';
import { BIN, type CliResult } from './harness.js';

/**
 * Faults of the machine that only a real process meets: directories it may not read or write, a read-only file
 * system. Each is exit 2 naming the path and the fix, never "unexpected internal error".
 *
 * Permission bits do not stop root, so as root the CLI runs as nobody (setpriv) in directories root owns; as any
 * other user it runs as itself in directories it made 0555 / 0000. The read-only file system is a read-only bind
 * mount in a mount namespace of the CLI's own (unshare), so nothing outside the test sees it.
 */

const root = process.getuid?.() === 0;
const NOBODY = 65534;
const AS_NOBODY = ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--'];
const runsUnprivileged =
  process.platform === 'linux' && (!root || spawnSync(AS_NOBODY[0]!, [...AS_NOBODY.slice(1), process.execPath, BIN, '--version']).status === 0);
const probe = mkdtempSync(join(tmpdir(), 'apriora-ro-probe-'));
const UNSHARE = root ? ['unshare', '-m'] : ['unshare', '-r', '-m'];
const canMountReadOnly =
  process.platform === 'linux' && spawnSync(UNSHARE[0]!, [...UNSHARE.slice(1), 'sh', '-c', 'mount --bind -o ro "$0" "$0"', probe]).status === 0;
rmSync(probe, { recursive: true, force: true });

const base = mkdtempSync(join(tmpdir(), 'apriora-env-'));
chmodSync(base, 0o755); // nobody must be able to reach the directories inside
let sandbox: RunningSandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: generateTrackerSeed({ jobs: 3, candidates: 3 }) });
});
afterAll(async () => {
  await sandbox?.close();
  rmSync(base, { recursive: true, force: true });
});

/** Runs `apriora …args` unprivileged (as nobody under root, else as this user), `prefix` before it (unshare). */
function run(
  args: string[],
  options: { env: Record<string, string | undefined>; input?: string; prefix?: string[]; privileged?: boolean },
): Promise<CliResult> {
  const command = [...(options.prefix ?? []), ...(root && !options.privileged ? AS_NOBODY : []), process.execPath, BIN, ...args];
  const child = spawn(command[0]!, command.slice(1), { env: cliEnv(base, options.env), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(cliResult(code, stdout, stderr)));
  });
}

/** A directory the unprivileged CLI may use as its own. */
function ownDir(name: string): string {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (root) chownSync(dir, NOBODY, NOBODY);
  return dir;
}

/** A directory the unprivileged CLI does not own, with `mode`. */
function foreignDir(name: string, mode: number): string {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, mode);
  return dir;
}

function trackerLogin(configDir: string, extra: { prefix?: string[]; privileged?: boolean } = {}) {
  const { apiKey, password, username } = sandbox.credentials;
  return run(['tracker', 'login', '--sandbox', '--base-url', sandbox.trackerUrl, '--username', username, '--api-key-stdin', '--password-stdin'], {
    env: { APRIORA_CONFIG_DIR: configDir, APRIORA_DATA_DIR: join(configDir, 'data') },
    input: `${apiKey}\n${password}\n`,
    ...extra,
  });
}

const notABug = (result: CliResult) => expect(result.stderr + result.stdout).not.toMatch(/internal error|report the output|\n\s+at /);

describe.skipIf(!runsUnprivileged)('directories the CLI may not use (real permission errors)', () => {
  it('an unreadable config dir: exit 2, "Permission denied" naming config.json and the chmod', async () => {
    const dir = foreignDir('unreadable', 0o000);
    const result = await run(['tracker', 'status'], { env: { APRIORA_CONFIG_DIR: dir } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `Error: Permission denied: cannot read ${dir}/config.json (in the config dir)\n` +
        `Try: Make ${dir} yours and readable and writable by you (\`ls -ld ${dir}\`, \`chmod 700 ${dir}\`), or set APRIORA_CONFIG_DIR to a directory you own.\n`,
    );
  });

  it('a config dir it may read but not write: the login is verified, then exit 2 naming the credentials file; nothing stored', async () => {
    const dir = foreignDir('read-only', 0o555);
    const result = await trackerLogin(dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^Error: Permission denied: cannot write ${dir}/credentials\\.json \\(in the config dir\\)$`, 'm'));
    expect(result.stderr).toMatch(/^Try: Make .* or set APRIORA_CONFIG_DIR to a directory you own\.$/m);
    expect(existsSync(join(dir, 'credentials.json'))).toBe(false);
    expect(existsSync(join(dir, 'config.json'))).toBe(false);
    notABug(result);
  });

  it('a data dir it may not write: activity listen is exit 2 naming the data dir, before it listens', async () => {
    const config = ownDir('listener-config');
    const login = await trackerLogin(config);
    expect(login.code, login.stderr).toBe(0);
    const env = { APRIORA_CONFIG_DIR: config, APRIORA_DATA_DIR: config };
    const apriora = await run(['login', '--sandbox', '--base-url', sandbox.aprioraUrl, '--api-key-stdin'], {
      env,
      input: `${sandbox.credentials.aprioraApiKey}\n`,
    });
    expect(apriora.code, apriora.stderr).toBe(0);
    expect((await run(['tracker', 'fields', 'map', '--auto'], { env })).code).toBe(0);

    const data = foreignDir('data-not-mine', 0o755);
    const result = await run(['activity', 'listen', '--port', '0'], { env: { ...env, APRIORA_DATA_DIR: data, APRIORA_WEBHOOK_SECRET: 'whsec_env_test' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      // The first level it cannot make: the write locks' dir.
      `Error: Permission denied: cannot create ${data}/locks (in the data dir)\n` +
        `Try: Make ${data} yours and readable and writable by you (\`ls -ld ${data}\`, \`chmod 700 ${data}\`), or set APRIORA_DATA_DIR to a directory you own.\n`,
    );
  });
});

describe.skipIf(!canMountReadOnly)("a config dir on a read-only or a full file system (mounts of the CLI's own)", () => {
  it('reading works; a login is exit 2 naming the directory and "read-only file system"', async () => {
    const dir = join(base, 'mounted-ro');
    mkdirSync(dir, { mode: 0o700 });
    const login = await trackerLogin(dir, { privileged: true });
    expect(login.code, login.stderr).toBe(0);
    const mountReadOnly = [...UNSHARE, 'sh', '-c', 'mount --bind -o ro "$0" "$0" && exec "$@"', dir];

    const status = await run(['tracker', 'status', '--json'], { env: { APRIORA_CONFIG_DIR: dir }, prefix: mountReadOnly, privileged: true });
    expect(status.code, status.stdout).toBe(0);

    const again = await trackerLogin(dir, { prefix: mountReadOnly, privileged: true });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(new RegExp(`^Error: Cannot (write|change the mode of) ${dir}.*: it is on a read-only file system$`, 'm'));
    expect(again.stderr).toMatch(/^Try: Remount it read-write, or set APRIORA_CONFIG_DIR to a writable directory\.$/m);
    notABug(again);
  });

  it('a full disk (a tmpfs of 8 KiB, filled): the login is exit 2, "no space left" naming the file and the fix', async () => {
    const dir = join(base, 'full');
    mkdirSync(dir, { mode: 0o700 });
    const fillUp = [...UNSHARE, 'sh', '-c', 'mount -t tmpfs -o size=8k tmpfs "$0" && (head -c 8192 /dev/zero > "$0/filler" 2>/dev/null; exec "$@")', dir];
    const result = await trackerLogin(dir, { prefix: fillUp, privileged: true });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `Error: Cannot write ${dir}/credentials.json (in the config dir): no space left on the device\n` +
        `Try: Free some space (\`df -h ${dir}\`), or set APRIORA_CONFIG_DIR to a directory on another disk.\n`,
    );
  });
});
