/**
 * Runs `worker` over a stream of items with at most `concurrency` in flight, reporting each result as it completes.
 * Memory stays flat: items are pulled from the source only when a slot is free.
 * Once `signal` aborts, no new item starts; the ones in flight finish. `worker` reports its own failures as results.
 */
export interface BulkRun {
  /** The signal aborted before the source was exhausted. */
  interrupted: boolean;
  /** The source itself failed (e.g. a page of jobs could not be read); results so far were reported. */
  sourceError?: unknown;
}

export async function runBulk<I, R>(
  source: AsyncIterable<I> | Iterable<I>,
  worker: (item: I) => Promise<R>,
  options: { concurrency: number; signal: AbortSignal; onResult: (result: R, index: number) => void },
): Promise<BulkRun> {
  const inFlight = new Set<Promise<void>>();
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  let interrupted = false;
  let sourceError: unknown;
  let started = 0;
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
      const task: Promise<void> = worker(next.value)
        .then((result) => options.onResult(result, index))
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= options.concurrency) await Promise.race(inFlight);
    }
  } catch (error) {
    // A page read cancelled by Ctrl-C is an interruption, not a failure of the source.
    if (options.signal.aborted) interrupted = true;
    else sourceError = error;
  }
  await Promise.allSettled(inFlight);
  return sourceError === undefined ? { interrupted } : { interrupted, sourceError };
}
