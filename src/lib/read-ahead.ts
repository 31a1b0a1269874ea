/**
 * A source read ahead of its consumer (up to `limit` items), counting the items seen: how many a run has is known
 * early, while the work goes on. A failure of the source is thrown where it happened, after the items before it.
 */
export class ReadAhead<T> implements AsyncIterable<T> {
  seen = 0;
  private readonly buffer: T[] = [];
  private readonly iterator: AsyncIterator<T>;
  private done = false;
  private failure: { error: unknown } | undefined;
  private reading = false;
  private changed: (() => void)[] = [];

  constructor(
    source: AsyncIterable<T>,
    private readonly limit: number,
    private readonly signal: AbortSignal,
  ) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  /** Whether the source holds at least `count` items (read ahead until it is known). */
  async reaches(count: number): Promise<boolean> {
    this.pump();
    while (this.seen < count && !this.done && !this.failure && !this.signal.aborted) await this.change();
    return this.seen >= count;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (;;) {
      this.pump();
      const next = this.buffer.shift();
      if (next !== undefined) {
        yield next;
        continue;
      }
      if (this.failure) throw this.failure.error;
      if (this.done || this.signal.aborted) return;
      await this.change();
    }
  }

  private change(): Promise<void> {
    return new Promise((resolve) => this.changed.push(resolve));
  }

  private notify(): void {
    const waiting = this.changed;
    this.changed = [];
    for (const resolve of waiting) resolve();
  }

  private pump(): void {
    if (this.reading || this.done || this.failure) return;
    this.reading = true;
    void (async () => {
      try {
        while (this.buffer.length < this.limit && !this.signal.aborted) {
          const next = await this.iterator.next();
          if (next.done) {
            this.done = true;
            break;
          }
          this.seen++;
          this.buffer.push(next.value);
          this.notify();
        }
      } catch (error) {
        this.failure = { error };
      } finally {
        this.reading = false;
        this.notify();
      }
    })();
  }
}
