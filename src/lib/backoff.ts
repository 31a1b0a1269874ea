export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  random?: () => number;
  /** The part of each delay that is not random: 0 is "full jitter", 0.5 "equal jitter". */
  fixedShare?: number;
}

/** Exponential backoff: a delay in [fixed, ceiling] where ceiling = min(cap, base·2^attempt), attempt counting from 0. */
export function backoffDelay(attempt: number, { baseMs, capMs, random = Math.random, fixedShare = 0 }: BackoffOptions): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  const fixed = ceiling * fixedShare;
  return Math.round(fixed + random() * (ceiling - fixed));
}
