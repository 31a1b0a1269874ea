import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { KeyedLock } from '../lib/keyed-lock.js';
import { ensurePrivateDir } from './paths.js';
import { openWriteLedger, type WriteLedger } from './write-ledger.js';

/**
 * Write locks: one writer per key (a report id, a candidate e-mail, an interview) among every process writing to one
 * Tracker database on this machine, whatever its profile: two `activity push` runs, or the listener and an invite,
 * never write the same record at the same time.
 *
 * A held lock is a directory `<dataDir>/locks/<database key>/<kind>-<hash>.lock` (0700; the key is hashed, so no e-mail
 * appears in a file name), made with proper-lockfile: mkdir is atomic, the holder refreshes the directory's mtime
 * every STALE_MS/2, and a lock whose mtime is older than STALE_MS (its holder was killed, or the machine lost
 * power) is taken over. Released locks leave nothing behind; what their holders wrote is kept in `ledger/` beside them
 * (./write-ledger.ts). Within one process, callers of the same key queue in memory first (KeyedLock), so only one of
 * them at a time polls the file system.
 */

/** Runs `fn` while holding the lock of `key`; waits (bounded) while another holder has it. */
export interface WriteLock {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /**
   * What the holders of these locks wrote (src/store/write-ledger.ts), shared by every process that shares the locks;
   * absent for locks that only reach this process (tests).
   */
  readonly ledger?: WriteLedger;
}

/** A lock not refreshed for this long is stale: its holder is gone, and the next writer takes it over. */
export const STALE_MS = 10_000;
/** How long a writer waits for a lock another process holds before its item fails with `write_lock_busy`. */
export const DEFAULT_WAIT_MS = 180_000;

/** Another process of the profile held the lock for longer than we wait. Worth trying again later. */
export class WriteLockBusyError extends Error {
  readonly code = 'write_lock_busy';
}

export interface WriteLockOptions {
  /** Default DEFAULT_WAIT_MS. */
  waitMs?: number;
  /** Default STALE_MS (at least 2 s: proper-lockfile's floor). */
  staleMs?: number;
}

/**
 * The write locks of one Tracker database (`<dataDir>/locks/<key>`): every profile of this machine that writes to
 * it shares them, so two profiles of one customer never both create a record. `databaseKey` names the database
 * without revealing it (see trackerDatabaseKey).
 */
export function writeLocksDir(dataDir: string, databaseKey: string): string {
  return join(dataDir, 'locks', databaseKey);
}

/** A file-name-safe key of a Tracker database: its Widget URL and API user, hashed. */
export function trackerDatabaseKey(baseUrl: string, username: string): string {
  return createHash('sha256')
    .update(`tracker\n${baseUrl.replace(/\/+$/, '')}\n${username.trim().toLowerCase()}`)
    .digest('hex')
    .slice(0, 24);
}

/** The write locks in `dir`, which is created now (0700), so that an unusable data dir fails before any write. */
export function openWriteLocks(dir: string, options: WriteLockOptions = {}): WriteLock {
  ensurePrivateDir(dir);
  return new FileWriteLocks(dir, options.waitMs ?? DEFAULT_WAIT_MS, options.staleMs ?? STALE_MS);
}

/** The lock directory's name for `key`: `report:rep_12` → `report-<24 hex>.lock`. */
export function lockFileName(key: string): string {
  const kind = /^[a-z]+(?=:)/.exec(key)?.[0] ?? 'key';
  return `${kind}-${createHash('sha256').update(key).digest('hex').slice(0, 24)}.lock`;
}

/** proper-lockfile's file operations, with lock directories made 0700 (mkdir's default would follow the umask). */
const privateFs = {
  ...fs,
  mkdir: (path: string, callback: (error: NodeJS.ErrnoException | null) => void) => fs.mkdir(path, { mode: 0o700 }, (error) => callback(error)),
};

/** proper-lockfile (and graceful-fs, which patches fs as it loads) is loaded when a first lock is taken, not when opened. */
let lockfile: Promise<typeof import('proper-lockfile')> | undefined;
const loadLockfile = () => (lockfile ??= import('proper-lockfile').then((module) => module.default));

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

class FileWriteLocks implements WriteLock {
  private readonly inProcess = new KeyedLock();
  readonly ledger: WriteLedger;

  constructor(
    private readonly dir: string,
    private readonly waitMs: number,
    private readonly staleMs: number,
  ) {
    this.ledger = openWriteLedger(join(dir, 'ledger'));
  }

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    return this.inProcess.run(key, async () => {
      const release = await this.acquire(key);
      try {
        return await fn();
      } finally {
        await release().catch(() => {}); // already released: compromised (see acquire), or removed by hand
      }
    });
  }

  private async acquire(key: string): Promise<() => Promise<void>> {
    const lockPath = join(this.dir, lockFileName(key));
    const deadline = Date.now() + this.waitMs;
    const { lock } = await loadLockfile();
    for (let attempt = 0; ; attempt++) {
      try {
        return await lock(lockPath, {
          lockfilePath: lockPath,
          realpath: false,
          stale: this.staleMs,
          retries: 0,
          fs: privateFs,
          // The holder could not refresh the lock in time (the process was stalled for STALE_MS) and someone may have
          // taken it over. Nothing to undo here: the read-back after each create reports a double as `duplicate`.
          // (Without this handler proper-lockfile throws from a timer and the process dies.)
          onCompromised: () => {},
        });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
        if (Date.now() >= deadline) {
          throw new WriteLockBusyError(
            `Another apriora process of this profile has been writing the same record for over ${Math.round(this.waitMs / 1000)} s (lock ${lockPath})`,
          );
        }
        // 25 ms, doubling up to 500 ms, with jitter: short holds (a few Tracker requests) are picked up quickly.
        const ceiling = Math.min(500, 25 * 2 ** Math.min(attempt, 5));
        await sleep(Math.min(ceiling / 2 + Math.random() * (ceiling / 2), Math.max(1, deadline - Date.now())));
      }
    }
  }
}
