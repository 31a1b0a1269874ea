import { effectiveBurst } from '../lib/pace.js';

/**
 * Waits for a free request slot. One throttle may serve several clients: they then share one rate budget. A waiter
 * whose signal aborts leaves the queue at once and takes no slot.
 */
export type Throttle = (signal?: AbortSignal) => Promise<void>;

export interface ThrottleOptions {
  /** Requests that may go at once after a quiet spell; default a tenth of the budget (9 of 90), at most the budget. */
  burst?: number | undefined;
  /** The window the budget applies to: 60 000 ms unless a test shortens it. */
  intervalMs?: number | undefined;
  /** A monotonic clock in ms (tests pass a fake one). */
  now?: () => number;
}

/**
 * At most `perWindow` requests in any window of `intervalMs` (a minute), spread evenly: a token bucket of `burst`
 * tokens refilled at perWindow per window, so that after a pause `burst` requests go at once and then one every
 * window / perWindow (0.67 s at 90 a minute). The bucket alone would let burst + perWindow through in the window that
 * starts with a full bucket, so the requests of the last window are also counted and a request waits while that count
 * is at the budget: the budget holds over every window, not only on average. Requests go in the order they asked.
 * No limit when `perWindow` is undefined or 0.
 */
export function createThrottle(perWindow: number | undefined, options: ThrottleOptions = {}): Throttle {
  if (!perWindow || perWindow <= 0) return async (signal) => signal?.throwIfAborted();
  const bucket = new TokenBucket(perWindow, options);
  return (signal) => bucket.acquire(signal);
}

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** A rounding margin (in tokens and in ms): a token refilled to 0.999999… is a token. */
const EPSILON = 1e-6;

class TokenBucket {
  private readonly burst: number;
  private readonly intervalMs: number;
  /** Tokens per ms. */
  private readonly rate: number;
  private readonly now: () => number;
  private tokens: number;
  private refilledAt: number;
  /** When the requests of the last window went, oldest first (from `head` on). */
  private readonly sent: number[] = [];
  private head = 0;
  private readonly waiters: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly perWindow: number,
    options: ThrottleOptions,
  ) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.burst = effectiveBurst(perWindow, options.burst);
    this.rate = perWindow / this.intervalMs;
    this.now = options.now ?? (() => performance.now());
    this.tokens = this.burst;
    this.refilledAt = this.now();
  }

  acquire(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.waiters.length === 0 && this.waitMs(this.now()) === 0) {
      this.take(this.now());
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const at = this.waiters.indexOf(waiter);
          if (at >= 0) this.waiters.splice(at, 1);
          if (this.waiters.length === 0) this.stopTimer();
          reject(signal!.reason);
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
      this.schedule();
    });
  }

  /** How long until a request may go: a token in the bucket, and room in the last window. */
  private waitMs(now: number): number {
    this.refill(now);
    while (this.head < this.sent.length && this.sent[this.head]! + this.intervalMs <= now) this.head++;
    if (this.head > 1024 && this.head * 2 > this.sent.length) {
      this.sent.splice(0, this.head);
      this.head = 0;
    }
    const forToken = this.tokens >= 1 - EPSILON ? 0 : (1 - this.tokens) / this.rate;
    const inWindow = this.sent.length - this.head;
    const forWindow = inWindow < this.perWindow ? 0 : this.sent[this.sent.length - this.perWindow]! + this.intervalMs - now;
    return Math.max(0, forToken, forWindow);
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + (now - this.refilledAt) * this.rate);
    this.refilledAt = now;
  }

  private take(now: number): void {
    this.tokens = Math.max(0, this.tokens - 1);
    this.sent.push(now);
  }

  private schedule(): void {
    if (this.timer !== undefined || this.waiters.length === 0) return;
    const wait = this.waitMs(this.now());
    this.timer = setTimeout(() => this.release(), Math.max(0, Math.ceil(wait - EPSILON)));
  }

  private release(): void {
    this.timer = undefined;
    for (let waiter = this.waiters[0]; waiter && this.waitMs(this.now()) === 0; waiter = this.waiters[0]) {
      this.waiters.shift();
      waiter.signal?.removeEventListener('abort', waiter.onAbort);
      this.take(this.now());
      waiter.resolve();
    }
    this.schedule();
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
