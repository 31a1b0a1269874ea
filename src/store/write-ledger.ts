import { createHash, randomBytes } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError } from '../errors.js';
import { ensurePrivateDir } from './paths.js';

/**
 * The write ledger: what this machine's processes wrote to one Tracker database, kept beside its write locks
 * (`<locks dir>/ledger/`), so that a process holding an index of Tracker read a while ago can tell, under a key's
 * write lock, whether anyone on this machine has written that key since (then it looks the key up in Tracker again)
 * or not (then its index is still right for that key, and the re-check costs no request).
 *
 * The holder of a key's write lock marks the key `pending` before it writes to Tracker and stamps it written after,
 * both before it releases the lock; a process killed in between leaves it pending, which every reader treats as
 * "look it up". One file per key and day (`<UTC day>/<kind>-<hash>.json`, 0600 in 0700 directories; the key is
 * hashed as in the lock's name, so no e-mail appears in a file name), replaced atomically. Days older than yesterday
 * are removed when a process opens the ledger: an entry is readable for at least LEDGER_RETENTION_MS.
 */

/** An entry is readable for at least this long; an index older than this cannot be checked against the ledger. */
export const LEDGER_RETENTION_MS = 24 * 60 * 60 * 1000;

export interface LedgerEntry {
  /** When the entry was written (ms since the epoch, this machine's clock). */
  at: number;
  /** Marked before a write and never stamped after it: the write may or may not have happened. */
  pending: boolean;
  /** The record written, when known. */
  id: number | null;
}

export interface WriteLedger {
  /** Before writing the key's record (under its lock): from now on, an index may be stale for it. */
  writing(key: string): void;
  /** After writing it (under its lock, before releasing it): returns the entry's time. */
  written(key: string, id: number | null): number;
  /** The key's newest entry, if one was written within the retention. */
  latest(key: string): LedgerEntry | undefined;
}

/** The file stem of a key: `report:rep_12` → `report-<24 hex>` (the write lock's naming). */
export function ledgerStem(key: string): string {
  const kind = /^[a-z]+(?=:)/.exec(key)?.[0] ?? 'key';
  return `${kind}-${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** The ledger in `dir` (created on the first write); days older than yesterday are removed now. */
export function openWriteLedger(dir: string, now: () => number = Date.now): WriteLedger {
  sweep(dir, now());
  return new FileLedger(dir, now);
}

class FileLedger implements WriteLedger {
  constructor(
    private readonly dir: string,
    private readonly now: () => number,
  ) {}

  writing(key: string): void {
    this.put(key, { at: this.now(), pending: true, id: null });
  }

  written(key: string, id: number | null): number {
    const at = this.now();
    this.put(key, { at, pending: false, id });
    return at;
  }

  latest(key: string): LedgerEntry | undefined {
    const now = this.now();
    let newest: LedgerEntry | undefined;
    for (const day of new Set([dayOf(now - LEDGER_RETENTION_MS), dayOf(now)])) {
      const entry = read(this.dir, join(this.dir, day, `${ledgerStem(key)}.json`));
      if (entry && (!newest || entry.at >= newest.at)) newest = entry;
    }
    return newest;
  }

  /** Written to a temporary file, then renamed over the entry: a reader sees the old entry or the new one. */
  private put(key: string, entry: LedgerEntry): void {
    try {
      this.putFile(key, entry);
    } catch (error) {
      throw unusable(this.dir, error);
    }
  }

  private putFile(key: string, entry: LedgerEntry): void {
    const dayDir = ensurePrivateDir(join(this.dir, dayOf(entry.at)));
    const path = join(dayDir, `${ledgerStem(key)}.json`);
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      const fd = openSync(tmp, 'wx', 0o600);
      try {
        writeFileSync(fd, JSON.stringify(entry), 'utf8');
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
  }
}

function read(dir: string, path: string): LedgerEntry | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw unusable(dir, error);
  }
  try {
    const value = JSON.parse(text) as Partial<LedgerEntry>;
    if (typeof value.at === 'number') return { at: value.at, pending: value.pending === true, id: typeof value.id === 'number' ? value.id : null };
  } catch {
    // unreadable: treated as a write in progress below
  }
  // A torn or foreign file says someone wrote this key: whoever reads it looks the key up again.
  return { at: Number.MAX_SAFE_INTEGER, pending: true, id: null };
}

/** Removes the days before yesterday: no writer writes into them any more (each writes into its own day). */
function sweep(dir: string, now: number): void {
  let days: string[];
  try {
    days = readdirSync(dir);
  } catch {
    return; // no ledger yet
  }
  const keepFrom = dayOf(now - LEDGER_RETENTION_MS);
  for (const day of days) {
    if (DAY.test(day) && day < keepFrom) rmSync(join(dir, day), { recursive: true, force: true });
  }
}

/** A ledger the file system refuses (a file where its directory should be, permissions): one clear error, nothing written. */
function unusable(dir: string, error: unknown): Error {
  if (error instanceof EnvironmentError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  return new EnvironmentError(`The write ledger ${dir} cannot be used${code ? ` (${code})` : ''}: nothing was written`, {
    code: 'write_ledger_unusable',
    cause: error,
    hint: 'Fix its permissions, or remove it while no push, invite or listener runs: it is made again on the next write.',
  });
}
