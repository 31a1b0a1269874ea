import * as fs from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { InputError } from '../errors.js';
import { isProcessAlive } from '../lib/process.js';
import { ensurePrivateDir } from './paths.js';
import { writePrivateFile } from './private-file.js';

/**
 * One automation runner per profile: `<dataDir>/<profile>/automations.lock` (a proper-lockfile lock directory, kept
 * fresh while the runner lives) and, beside it, `automations.runner.json` naming the holder (pid, host, since when).
 * A lock whose holder was killed (kill -9, a reboot) goes stale within STALE_MS and is taken over; on the same host a
 * holder whose pid is gone is taken over at once.
 */

export const RUNNER_STALE_MS = 10_000;

export interface RunnerLock {
  readonly path: string;
  /** Removes the lock if it is still ours. Safe to call more than once. */
  release(): Promise<void>;
}

export interface Holder {
  pid: number;
  host: string;
  since: string;
}

const privateFs = {
  ...fs,
  mkdir: (path: string, callback: (error: NodeJS.ErrnoException | null) => void) => fs.mkdir(path, { mode: 0o700 }, (error) => callback(error)),
};

export function runnerLockPath(stateFile: string): string {
  return join(dirname(stateFile), 'automations.lock');
}

function holderPath(stateFile: string): string {
  return join(dirname(stateFile), 'automations.runner.json');
}

function readHolder(path: string): Holder | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(path, 'utf8')) as Partial<Holder>;
    return typeof value.pid === 'number' && typeof value.since === 'string'
      ? { pid: value.pid, host: String(value.host ?? ''), since: value.since }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the profile's runner lock, or throws InputError `runner_running` (exit 2) naming the runner that holds it.
 * `onCompromised`: the lock could not be kept fresh (the process stalled) and another runner may take over: stop.
 */
export async function acquireRunnerLock(
  stateFile: string,
  options: { profile: string; onCompromised: (error: Error) => void; staleMs?: number; now?: () => Date },
): Promise<RunnerLock> {
  ensurePrivateDir(dirname(stateFile));
  const lockPath = runnerLockPath(stateFile);
  const holderFile = holderPath(stateFile);
  for (let attempt = 0; ; attempt++) {
    try {
      const release = await lockfile.lock(lockPath, {
        lockfilePath: lockPath,
        realpath: false,
        stale: options.staleMs ?? RUNNER_STALE_MS,
        retries: 0,
        fs: privateFs,
        onCompromised: options.onCompromised,
      });
      const holder: Holder = { pid: process.pid, host: hostname(), since: (options.now?.() ?? new Date()).toISOString() };
      writePrivateFile(holderFile, `${JSON.stringify(holder)}\n`);
      let released = false;
      return {
        path: lockPath,
        async release() {
          if (released) return;
          released = true;
          if (readHolder(holderFile)?.pid === process.pid) fs.rmSync(holderFile, { force: true });
          await release().catch(() => {}); // compromised, or removed by hand
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const holder = readHolder(holderFile);
      // A runner of this host that no longer exists (killed): its lock is taken over without waiting for it to go stale.
      if (attempt < 2 && holder && holder.host === hostname() && holder.pid !== process.pid && !isProcessAlive(holder.pid)) {
        fs.rmSync(lockPath, { recursive: true, force: true });
        continue;
      }
      const who = holder
        ? `pid ${holder.pid}${holder.host && holder.host !== hostname() ? ` on ${holder.host}` : ''}, running since ${holder.since}`
        : 'starting';
      throw new InputError(`Another \`apriora automations run\` (${who}) is running for profile "${options.profile}"`, {
        code: 'runner_running',
        hint: `One runner per profile: stop that one first (Ctrl-C or SIGTERM), or wait for it to finish. The lock is ${lockPath}.`,
        details: holder ? { pid: holder.pid, host: holder.host, since: holder.since } : undefined,
      });
    }
  }
}

/**
 * The runner holding the profile's lock now, read without taking it: undefined when the lock is free, stale (not kept
 * fresh within RUNNER_STALE_MS), or held by a process of this host that no longer exists.
 */
export function liveRunner(stateFile: string, now: number = Date.now()): Holder | undefined {
  let mtime: number;
  try {
    mtime = fs.statSync(runnerLockPath(stateFile)).mtimeMs;
  } catch {
    return undefined;
  }
  if (now - mtime > RUNNER_STALE_MS) return undefined;
  const holder = readHolder(holderPath(stateFile));
  if (holder && holder.host === hostname() && !isProcessAlive(holder.pid)) return undefined;
  return holder ?? { pid: 0, host: '', since: new Date(mtime).toISOString() };
}
