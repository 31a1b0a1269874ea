import { closeSync, fstatSync, openSync, readFileSync, rmSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { KeyedLock } from '../lib/keyed-lock.js';
import { fileSystemFault } from '../system-errors.js';
import { dataDirRole } from './paths.js';
import { writePrivateFile } from './private-file.js';
import { openWriteLocks, type WriteLock, type WriteLockOptions } from './write-lock.js';

/**
 * The cached Tracker REST session token (a JWT) of one REST API token, with its expiry, shared by every process on
 * this machine that uses that token — whichever profile they run under: Tracker keeps one live JWT per API token, so
 * two processes (or two profiles holding the same token) that each exchanged their own would knock each other out.
 *
 * `<dataDir>/tracker-rest/<key prefix>.json`, 0600 in a 0700 directory, written atomically, its lock beside it. The key
 * is a hash of the REST base URL and the API token (restJwtKey), so the file name never reveals the token; the file
 * holds the JWT, its expiry and the whole key (a JWT obtained with another API token or from another host is never
 * reused). Whoever exchanges the token does so under the lock.
 *
 * A cache file that other users may read (or that another user owns) is never trusted: its JWT is treated as exposed,
 * and the next exchange both ends it (one live JWT per token) and replaces the file.
 */
export interface CachedRestJwt {
  /** restJwtKey(baseUrl, apiToken): which token and host the JWT belongs to. */
  key: string;
  jwt: string;
  /** Epoch ms (local clock) after which the JWT is no longer valid. */
  expiresAt: number;
  /** Epoch ms (local clock) when it was obtained. */
  obtainedAt: number;
}

export interface RestJwtCache {
  /**
   * The cached entry, or undefined when there is none, the file is unreadable as JSON, or it is open to other users
   * (rewritten by the next exchange). A file that cannot be read at all (a directory in its place, no permission) is
   * an EnvironmentError naming the path.
   */
  read(): CachedRestJwt | undefined;
  write(entry: CachedRestJwt): void;
  /** Removes the entry; true when there was one. */
  clear(): boolean;
  /** Runs `fn` holding the lock on the cached JWT: one exchange at a time among the processes using the token. */
  locked<T>(fn: () => Promise<T>): Promise<T>;
}

export interface RestJwtCacheOptions extends WriteLockOptions {
  /** Told (once per cache) that the file was open to other users or not ours, so that its JWT was not used. */
  onExposed?: (message: string) => void;
}

/** The directory of the cached JWTs, under the data dir. */
export const REST_JWT_DIR = 'tracker-rest';
/** Hex digits of the key in the file name: 128 bits, enough to never collide. */
const FILE_KEY_LENGTH = 32;
/** An exchange takes one request (with retries): a holder much slower than this is stuck. */
const LOCK_WAIT_MS = 60_000;

export function restJwtCacheDir(dataDir: string): string {
  return join(dataDir, REST_JWT_DIR);
}

/** `<dataDir>/tracker-rest/<first 32 hex digits of the key>.json`. */
export function restJwtCachePath(dataDir: string, key: string): string {
  if (!/^[0-9a-f]{32,}$/.test(key)) throw new Error('A REST JWT cache key is a hex digest');
  return join(restJwtCacheDir(dataDir), `${key.slice(0, FILE_KEY_LENGTH)}.json`);
}

/** The shared cache of the JWT of `key`; nothing is created until a JWT is written or the lock taken. */
export function openRestJwtCache(dataDir: string, key: string, options: RestJwtCacheOptions = {}): RestJwtCache {
  const { onExposed, ...lockOptions } = options;
  const path = restJwtCachePath(dataDir, key);
  const roles = [dataDirRole(dataDir)];
  // A file system fault names the path, the data dir and the fix (exit 2), wherever it is caught.
  const located = (error: unknown) => fileSystemFault(error, { roles, path }) ?? error;
  let locks: WriteLock | undefined;
  let warned = false;
  const exposed = (reason: string) => {
    if (warned) return;
    warned = true;
    onExposed?.(
      `The cached Tracker REST session token ${path} ${reason}: it was not used. A new one is exchanged, which ends the exposed one, ` +
        'and replaces the file (0600).',
    );
  };
  return {
    read() {
      try {
        const file = readPrivate(path);
        if (file?.exposed) exposed(file.exposed);
        return parseEntry(file?.text);
      } catch (error) {
        throw located(error);
      }
    },
    write(entry) {
      try {
        writePrivateFile(path, `${JSON.stringify(serialize(entry), undefined, '\t')}\n`);
      } catch (error) {
        throw located(error);
      }
    },
    clear() {
      try {
        const had = readPrivate(path) !== undefined;
        rmSync(path, { force: true });
        return had;
      } catch (error) {
        throw located(error);
      }
    },
    locked(fn) {
      try {
        locks ??= openWriteLocks(restJwtCacheDir(dataDir), { waitMs: LOCK_WAIT_MS, ...lockOptions });
      } catch (error) {
        return Promise.reject(located(error));
      }
      return locks.run(`jwt:${key.slice(0, FILE_KEY_LENGTH)}`, fn);
    },
  };
}

/** A cache that lives as long as this process (tests, and clients built without a data dir). */
export function memoryRestJwtCache(): RestJwtCache {
  let entry: CachedRestJwt | undefined;
  const lock = new KeyedLock();
  return {
    read: () => (entry ? { ...entry } : undefined),
    write: (value) => {
      entry = { ...value };
    },
    clear() {
      const had = entry !== undefined;
      entry = undefined;
      return had;
    },
    locked: (fn) => lock.run('jwt', fn),
  };
}

/**
 * The file's text; undefined when there is none. Of a file that others may read or that is not ours, only why: its JWT
 * may have been read (or planted), so it is not used, and not silently tightened either — the next exchange ends that
 * JWT and replaces the file.
 */
function readPrivate(path: string): { text?: string; exposed?: string } | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory())
      throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${path}'`), { code: 'EISDIR', syscall: 'read', path });
    const reason = exposure(stats);
    return reason ? { exposed: reason } : { text: readFileSync(fd, 'utf8') };
  } catch (error) {
    const system = error as NodeJS.ErrnoException;
    // A read on an open file names no path: give it the file's, for the message.
    if (typeof system.code === 'string' && system.path === undefined) Object.assign(system, { path, syscall: system.syscall ?? 'read' });
    throw error;
  } finally {
    closeSync(fd);
  }
}

/** Why a cache file cannot be trusted: open to other users, or owned by another; undefined when it is private. */
function exposure(stats: Stats): string | undefined {
  if (process.platform === 'win32') return undefined;
  if (typeof process.getuid === 'function' && stats.uid !== process.getuid()) return `belongs to another user (uid ${stats.uid})`;
  if ((stats.mode & 0o077) !== 0) return `is open to other users (mode ${(stats.mode & 0o777).toString(8).padStart(4, '0')})`;
  return undefined;
}

function serialize(entry: CachedRestJwt) {
  return {
    version: 1,
    key: entry.key,
    jwt: entry.jwt,
    expiresAt: new Date(entry.expiresAt).toISOString(),
    obtainedAt: new Date(entry.obtainedAt).toISOString(),
  };
}

function parseEntry(text: string | undefined): CachedRestJwt | undefined {
  if (text === undefined) return undefined;
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    const expiresAt = Date.parse(String(raw.expiresAt));
    const obtainedAt = Date.parse(String(raw.obtainedAt));
    if (raw.version !== 1 || typeof raw.key !== 'string' || typeof raw.jwt !== 'string' || !raw.jwt || Number.isNaN(expiresAt) || Number.isNaN(obtainedAt)) {
      return undefined;
    }
    return { key: raw.key, jwt: raw.jwt, expiresAt, obtainedAt };
  } catch {
    return undefined;
  }
}
