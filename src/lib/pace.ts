/** The burst when none is set: a tenth of the budget, so that a quiet client starts at once and then paces. */
export function defaultBurst(perWindow: number): number {
  return Math.max(1, Math.round(perWindow / 10));
}

/** The burst in effect: the one asked for (or the default), never more than the budget itself. */
export function effectiveBurst(perWindow: number, burst: number | undefined): number {
  return Math.min(perWindow, Math.max(1, Math.floor(burst ?? defaultBurst(perWindow))));
}
