import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { KeyedLock } from '../lib/keyed-lock.js';
import { writePrivateFile } from './private-file.js';
import { openWriteLocks, type WriteLock, type WriteLockOptions, writeLocksDir } from './write-lock.js';

/**
 * The profile's one cached Tracker REST token (a JWT) with its expiry, shared by every process of the profile:
 * Tracker keeps one live JWT per API token, so two processes that each exchanged their own would knock each other out.
 *
 * `<dataDir>/<profile>/tracker-rest-jwt.json`, 0600 in a 0700 directory, written atomically. It holds the JWT, its
 * expiry and a key (a hash of the REST base URL and the API token, never the token): a JWT obtained with another API
 * token or from another host is never reused. Whoever exchanges a token does so under the profile's `jwt` write lock.
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
  /** The cached entry, or undefined when there is none (or the file is unreadable as JSON: it is rewritten later). */
  read(): CachedRestJwt | undefined;
  write(entry: CachedRestJwt): void;
  /** Removes the entry; true when there was one. */
  clear(): boolean;
  /** Runs `fn` holding the profile's lock on the cached JWT: one exchange at a time among the profile's processes. */
  locked<T>(fn: () => Promise<T>): Promise<T>;
}

export const REST_JWT_FILE_NAME = 'tracker-rest-jwt.json';
const LOCK_KEY = 'jwt:tracker-rest';
/** An exchange takes one request (with retries): a holder much slower than this is stuck. */
const LOCK_WAIT_MS = 60_000;

export function restJwtCachePath(dataDir: string, profile: string): string {
  return join(dataDir, profile, REST_JWT_FILE_NAME);
}

/** The shared file of the profile; nothing is created until a JWT is written or the lock taken. */
export function openRestJwtCache(dataDir: string, profile: string, options: WriteLockOptions = {}): RestJwtCache {
  const path = restJwtCachePath(dataDir, profile);
  let locks: WriteLock | undefined;
  return {
    read: () => parseEntry(readText(path)),
    write: (entry) => writePrivateFile(path, `${JSON.stringify(serialize(entry), undefined, '\t')}\n`),
    clear() {
      const had = readText(path) !== undefined;
      rmSync(path, { force: true });
      return had;
    },
    locked(fn) {
      locks ??= openWriteLocks(writeLocksDir(dataDir, profile), { waitMs: LOCK_WAIT_MS, ...options });
      return locks.run(LOCK_KEY, fn);
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
    locked: (fn) => lock.run(LOCK_KEY, fn),
  };
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
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
