import { createHash } from 'node:crypto';
import type { CachedRestJwt, RestJwtCache } from '../store/rest-token-cache.js';

/**
 * The token broker of Tracker's REST API: one JWT per API token (and REST host), shared through its cache file by
 * every process that uses the token, whatever its profile, because Tracker keeps one live JWT per API token (a new
 * exchange kills the JWT handed out before it).
 *
 * - A JWT is reused until shortly before it expires (REUSE_MARGIN_MS, or a quarter of its lifetime when that is shorter).
 * - A JWT is obtained under the cache's lock, after reading the cache again: of several processes (or concurrent
 *   requests) needing one, only the first exchanges; the others take what it stored.
 * - After a 401 the caller asks `renew(failedJwt)`: under the lock, the cache is read again, and the API token is
 *   exchanged only when the cache still holds the JWT that failed (or nothing usable). Never one exchange per request.
 */
export interface ExchangedJwt {
  jwt: string;
  /** Epoch ms on this machine's clock. */
  expiresAt: number;
}

export interface RestTokenBrokerOptions {
  /** The REST base URL: part of the cache key. */
  baseUrl: string;
  apiToken: string;
  cache: RestJwtCache;
  /** One token exchange with Tracker. */
  exchange: (signal?: AbortSignal) => Promise<ExchangedJwt>;
  now?: () => number;
}

/** How long before its expiry a JWT stops being reused, at most. */
export const REUSE_MARGIN_MS = 60_000;

/** The cache key of a token at a host: a hash, so that neither the cache file nor its name reveals the API token. */
export function restJwtKey(baseUrl: string, apiToken: string): string {
  return createHash('sha256')
    .update(`tracker-rest\n${baseUrl.replace(/\/+$/, '')}\n${apiToken}`)
    .digest('hex');
}

/** Until when a cached JWT is reused: REUSE_MARGIN_MS before it expires, or a quarter of its lifetime if shorter. */
export function reusableUntil(entry: Pick<CachedRestJwt, 'expiresAt' | 'obtainedAt'>): number {
  const lifetime = Math.max(0, entry.expiresAt - entry.obtainedAt);
  return entry.expiresAt - Math.min(REUSE_MARGIN_MS, lifetime / 4);
}

export class RestTokenBroker {
  private readonly key: string;
  private readonly now: () => number;
  private memory: CachedRestJwt | undefined;
  private pending: Promise<string> | undefined;
  private exchangeCount = 0;

  constructor(private readonly options: RestTokenBrokerOptions) {
    this.key = restJwtKey(options.baseUrl, options.apiToken);
    this.now = options.now ?? Date.now;
  }

  /** Token exchanges this broker started (for tests, benchmarks and status). */
  get exchanges(): number {
    return this.exchangeCount;
  }

  /** A usable JWT that this process or another one using the token already holds; undefined when there is none. */
  cached(): string | undefined {
    if (this.memory && this.usable(this.memory)) return this.memory.jwt;
    return this.fromCache()?.jwt;
  }

  /** A JWT to use now: a cached one, else (under the lock, after reading the cache again) a new exchange. */
  async token(signal?: AbortSignal): Promise<string> {
    const cached = this.cached();
    if (cached) return cached;
    this.pending ??= this.options.cache
      .locked(async () => this.fromCache()?.jwt ?? (await this.exchangeAndStore(signal)))
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }

  /** After Tracker refused `failed` (401): the newer JWT another process stored, or a new exchange. */
  renew(failed: string, signal?: AbortSignal): Promise<string> {
    return this.options.cache.locked(async () => {
      const shared = this.fromCache();
      if (shared && shared.jwt !== failed) return shared.jwt;
      return this.exchangeAndStore(signal);
    });
  }

  /** A new exchange whatever the cache holds (a login verifying the API token); the JWT is stored for the next command. */
  fresh(signal?: AbortSignal): Promise<string> {
    return this.options.cache.locked(() => this.exchangeAndStore(signal));
  }

  private usable(entry: CachedRestJwt): boolean {
    return entry.key === this.key && this.now() < reusableUntil(entry);
  }

  private fromCache(): CachedRestJwt | undefined {
    const entry = this.options.cache.read();
    if (!entry || !this.usable(entry)) return undefined;
    this.memory = entry;
    return entry;
  }

  private async exchangeAndStore(signal?: AbortSignal): Promise<string> {
    this.exchangeCount++;
    const got = await this.options.exchange(signal);
    const entry: CachedRestJwt = { key: this.key, jwt: got.jwt, expiresAt: got.expiresAt, obtainedAt: this.now() };
    this.memory = entry;
    this.options.cache.write(entry);
    return got.jwt;
  }
}
