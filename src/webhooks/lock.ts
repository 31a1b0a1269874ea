import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../errors.js';
import { isProcessAlive } from '../lib/process.js';
import { ensurePrivateDir } from '../store/paths.js';

/**
 * One listener per journal: `<journal>.lock` holds the pid of the listener using it. A lock left by a process that
 * no longer exists (SIGKILL, a reboot) is taken over.
 */

export interface PidLock {
  readonly path: string;
  /** Removes the lock file if it is still ours. Safe to call more than once. */
  release(): void;
}

/** Locks held by this process: a second listener in the same process is refused too. */
const heldLocks = new Set<string>();

export function lockPathOf(journalPath: string): string {
  return `${journalPath}.lock`;
}

/** Takes the lock of the journal at `journalPath` (creating its directory, 0700), or throws `listener_running`. */
export function acquireJournalLock(journalPath: string): PidLock {
  ensurePrivateDir(dirname(journalPath));
  const lockPath = lockPathOf(journalPath);
  if (heldLocks.has(lockPath)) {
    throw new InputError('This process already has the webhook journal open', { code: 'listener_running' });
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeFileSync(fd, `${process.pid}\n`);
      closeSync(fd);
      heldLocks.add(lockPath);
      return { path: lockPath, release: releaseOnce(lockPath) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let pid = NaN;
      try {
        pid = Number.parseInt(readFileSync(lockPath, 'utf8').trim(), 10);
      } catch {
        // removed meanwhile: try again
      }
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isProcessAlive(pid)) {
        throw new InputError(`Another \`apriora activity listen\` (pid ${pid}) is using the webhook journal of this profile`, {
          code: 'listener_running',
          hint: `Stop it first, or use another profile. The lock is ${lockPath}.`,
        });
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new InputError(`Could not lock the webhook journal (${lockPath})`, { hint: 'Remove the lock file if no listener is running.' });
}

function releaseOnce(lockPath: string): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    heldLocks.delete(lockPath);
    try {
      if (readFileSync(lockPath, 'utf8').trim() === String(process.pid)) rmSync(lockPath, { force: true });
    } catch {
      // already gone
    }
  };
}
