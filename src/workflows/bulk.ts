import { Limiter } from '../lib/limiter.js';

export { ITEM_STATUSES, type ItemStatus } from '../lib/items.js';

export interface BulkRun {
  /** The signal aborted before the source was exhausted. */
  interrupted: boolean;
  /** The source itself failed (e.g. a page of jobs could not be read); results so far were reported. */
  sourceError?: unknown;
}

/** How a command follows a bulk run: how many at once, when to stop, each result, and the total once known. */
export interface BulkCallbacks<T> {
  concurrency: number;
  signal: AbortSignal;
  onResult: (item: T, index: number) => void;
  /** The number of items, once known (at once for ids, at the end of the scan for a page source). */
  onTotal: (total: number) => void;
}

/** An item's place among the `concurrency` in flight. */
export interface BulkSlot {
  /**
   * Gives the place to the next item while this one only waits (e.g. for a read-back shared with other items); it is
   * still reported when it completes, and the run still waits for it.
   */
  release(): void;
}

/**
 * Runs `worker` over a stream of items with at most `concurrency` in flight, reporting each result as it completes.
 * Memory stays flat: items are pulled from the source only when a slot is free.
 * Once `signal` aborts, no new item starts; the ones in flight finish. `worker` reports its own failures as results.
 */
export async function runBulk<I, R>(
  source: AsyncIterable<I> | Iterable<I>,
  worker: (item: I, slot: BulkSlot) => Promise<R>,
  options: { concurrency: number; signal: AbortSignal; onResult: (result: R, index: number) => void },
): Promise<BulkRun> {
  const limiter = new Limiter(options.concurrency);
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  let interrupted = false;
  let sourceError: unknown;
  let started = 0;
  /** Items not yet reported, released slots or not. */
  const unfinished = new Set<Promise<void>>();
  try {
    for (;;) {
      // Checked before pulling the next item, so that an interrupted run reads no further page of its source.
      if (options.signal.aborted) {
        interrupted = true;
        await iterator.return?.();
        break;
      }
      const next = await iterator.next();
      if (next.done) break;
      const index = started++;
      const item = next.value;
      // The result is reported before the slot is freed (unless the worker released it), so that `idle()` below also
      // waits for the last report.
      void limiter
        .run(
          () =>
            new Promise<void>((freeSlot) => {
              const task = (async () => options.onResult(await worker(item, { release: () => freeSlot() }), index))().catch(() => {});
              unfinished.add(task);
              void task.finally(() => {
                unfinished.delete(task);
                freeSlot();
              });
            }),
        )
        .catch(() => {});
      await limiter.hasRoom();
    }
  } catch (error) {
    // A page read cancelled by Ctrl-C is an interruption, not a failure of the source.
    if (options.signal.aborted) interrupted = true;
    else sourceError = error;
  }
  await limiter.idle();
  while (unfinished.size > 0) await Promise.all([...unfinished]);
  return sourceError === undefined ? { interrupted } : { interrupted, sourceError };
}
