import { randomBytes } from 'node:crypto';

/** How long an exchanged JWT lives unless the sandbox is told otherwise (Tracker documents no lifetime). */
export const DEFAULT_REST_TOKEN_TTL_SECONDS = 3600;

/** Superseded JWTs remembered, so that a 401 can say why (the answer is a 401 all the same). */
const REMEMBERED = 1000;

export type JwtCheck = 'ok' | 'expired' | 'superseded' | 'unknown';

export interface RestAuthView {
  /** Token exchanges answered 200 since the start or the last reset. */
  exchanges: number;
  ttlSeconds: number;
  /** The live JWT's expiry (ISO 8601), null when none was handed out or it was expired by the admin API. */
  liveExpiresAt: string | null;
}

const base64url = (value: Buffer | string): string => Buffer.from(value).toString('base64url');

/**
 * Tracker REST v1's token exchange: ONE live JWT per API token. Each exchange hands out a new random JWT (three
 * base64url parts, so it looks like one) and supersedes the previous one, which then answers 401. The sandbox has one
 * API token, so one live JWT.
 */
export class RestAuth {
  private exchangeCount = 0;
  private ttl: number;
  private live: { token: string; expiresAtMs: number } | null = null;
  private readonly superseded = new Set<string>();

  constructor(
    private readonly startTtlSeconds: number,
    private readonly clock: () => Date,
  ) {
    this.ttl = startTtlSeconds;
  }

  get exchanges(): number {
    return this.exchangeCount;
  }

  get ttlSeconds(): number {
    return this.ttl;
  }

  /** Lifetime of the JWTs exchanged from now on (the live one keeps its expiry). */
  set ttlSeconds(seconds: number) {
    if (!Number.isFinite(seconds) || seconds <= 0) throw new RangeError('The JWT lifetime must be a positive number of seconds');
    this.ttl = seconds;
  }

  /** Forgets every JWT, zeroes the exchange count and restores the start lifetime. */
  reset(): void {
    this.exchangeCount = 0;
    this.ttl = this.startTtlSeconds;
    this.live = null;
    this.superseded.clear();
  }

  exchange(): { token: string; expiration: string } {
    const now = this.clock().getTime();
    if (this.live) this.remember(this.live.token);
    const expiresAtMs = now + Math.round(this.ttl * 1000);
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = base64url(
      JSON.stringify({ sub: 'sandbox-api', jti: randomBytes(12).toString('hex'), iat: Math.floor(now / 1000), exp: Math.floor(expiresAtMs / 1000) }),
    );
    const token = `${header}.${payload}.${base64url(randomBytes(32))}`;
    this.live = { token, expiresAtMs };
    this.exchangeCount += 1;
    return { token, expiration: new Date(expiresAtMs).toISOString() };
  }

  check(token: string): JwtCheck {
    if (this.live && token === this.live.token) return this.clock().getTime() < this.live.expiresAtMs ? 'ok' : 'expired';
    return this.superseded.has(token) ? 'superseded' : 'unknown';
  }

  /** The live JWT expires now (what waiting out its lifetime would do). */
  expireLive(): void {
    if (this.live) this.live.expiresAtMs = Math.min(this.live.expiresAtMs, this.clock().getTime());
  }

  describe(): RestAuthView {
    return {
      exchanges: this.exchangeCount,
      ttlSeconds: this.ttl,
      liveExpiresAt: this.live && this.live.expiresAtMs > this.clock().getTime() ? new Date(this.live.expiresAtMs).toISOString() : null,
    };
  }

  private remember(token: string): void {
    this.superseded.add(token);
    if (this.superseded.size > REMEMBERED) {
      const [oldest] = this.superseded;
      if (oldest !== undefined) this.superseded.delete(oldest);
    }
  }
}
