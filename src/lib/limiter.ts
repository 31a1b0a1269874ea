/**
 * At most `concurrency` tasks run at once; the others wait in order. Bulk runs and the webhook queue share it, so
 * "how many at once" means the same thing everywhere.
 */
export class Limiter {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private roomWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];

  constructor(readonly concurrency: number) {
    if (!Number.isSafeInteger(concurrency) || concurrency < 1) throw new RangeError(`concurrency must be a positive integer, not ${concurrency}`);
  }

  /** Tasks running or waiting. */
  get size(): number {
    return this.running + this.waiting.length;
  }

  /** Runs `task` once a slot is free. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiting one, so `running` never dips in between.
    if (this.running >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
      this.notify();
    }
  }

  /** Resolves once fewer tasks than `concurrency` are running or waiting: the moment to take the next one. */
  hasRoom(): Promise<void> {
    if (this.size < this.concurrency) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** Resolves when nothing is running or waiting. */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private notify(): void {
    if (this.size < this.concurrency) this.roomWaiters = release(this.roomWaiters);
    if (this.size === 0) this.idleWaiters = release(this.idleWaiters);
  }
}

function release(waiters: (() => void)[]): (() => void)[] {
  for (const resolve of waiters) resolve();
  return [];
}
