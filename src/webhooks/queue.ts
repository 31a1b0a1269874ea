import { backoffDelay } from '../lib/backoff.js';
import { failedPushItem, type PushItem } from '../lib/items.js';
import { Limiter } from '../lib/limiter.js';

/**
 * The push side of the listener: journaled deliveries wait in a `DeliveryQueue` (the project's `Limiter`: at most
 * --concurrency pushes at once, the rest in arrival order), and each is pushed by `pushWithRetries`, which tries a
 * transient failure again after an exponential backoff.
 */

export interface RetryPolicy {
  /** Push attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1_000, maxDelayMs: 15_000 };

/**
 * The wait after `failedAttempts` failed pushes: "equal jitter", a delay in [ceiling/2, ceiling] with
 * ceiling = min(max, base·2^(failedAttempts-1)), so about 1, 2 and 4 s with the default policy.
 */
export function retryDelayMs(policy: RetryPolicy, failedAttempts: number, random: () => number = Math.random): number {
  return backoffDelay(failedAttempts - 1, { baseMs: policy.baseDelayMs, capMs: policy.maxDelayMs, fixedShare: 0.5, random });
}

/** What a push is given of a delivery: the report id, and the webhook's hints when it had them. */
export interface PushDelivery {
  reportId: string;
  candidateId?: string;
  candidateEmail?: string;
  positionId?: string;
}

export interface RetryOptions {
  push: (delivery: PushDelivery) => Promise<PushItem>;
  /** Whether a failure's code is worth trying again (the services were down, slow or rate limiting). */
  isTransient: (code: string | undefined) => boolean;
  policy: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  /** Called before each wait. */
  onRetry: (failed: { attempt: number; item: PushItem; delayMs: number }) => void;
}

export interface PushOutcome {
  item: PushItem;
  /** Attempts made. */
  attempt: number;
  /** Still failing transiently after every attempt: worth pushing again later. */
  transient: boolean;
}

/** Pushes one delivery's report; a transient failure is tried again, `policy.attempts` times in all. Never throws. */
export async function pushWithRetries(delivery: PushDelivery, options: RetryOptions): Promise<PushOutcome> {
  let item: PushItem;
  let attempt = 1;
  for (; ; attempt++) {
    item = await pushOnce(delivery, options.push);
    if (item.status !== 'failed' || !options.isTransient(item.error?.code) || attempt >= options.policy.attempts) break;
    const delayMs = retryDelayMs(options.policy, attempt);
    options.onRetry({ attempt, item, delayMs });
    await options.sleep(delayMs);
  }
  return { item, attempt, transient: item.status === 'failed' && options.isTransient(item.error?.code) };
}

async function pushOnce(delivery: PushDelivery, push: (delivery: PushDelivery) => Promise<PushItem>): Promise<PushItem> {
  try {
    return await push(delivery);
  } catch (error) {
    // The push reports its failures in the item; should it throw, the failure is final (not transient).
    return failedPushItem(delivery.reportId, { code: 'internal_error', message: error instanceof Error ? error.message : String(error) });
  }
}

/** A delivery's place among the `concurrency` pushed at once. */
export interface QueueSlot {
  /**
   * Gives the place to the next delivery while this one only waits (for a read-back shared with other pushes); it
   * still counts as pending, and `idle()` still waits for it.
   */
  release(): void;
}

/** Items handed to `worker`, at most `concurrency` at once (released places aside), the others waiting in order. */
export class DeliveryQueue<T> {
  private readonly limiter: Limiter;
  /** Items whose place was released and that are not finished. */
  private released = 0;
  private releasedDone: (() => void)[] = [];

  constructor(
    concurrency: number,
    private readonly worker: (item: T, slot: QueueSlot) => Promise<void>,
  ) {
    this.limiter = new Limiter(concurrency);
  }

  /** Items waiting or being worked on. */
  get size(): number {
    return this.limiter.size + this.released;
  }

  add(item: T): void {
    this.limiter
      .run(
        () =>
          new Promise<void>((freePlace) => {
            let released = false;
            const slot: QueueSlot = {
              release: () => {
                if (released) return;
                released = true;
                this.released++;
                freePlace();
              },
            };
            void this.worker(item, slot)
              .catch(() => {})
              .finally(() => {
                if (!released) return freePlace();
                if (--this.released === 0) for (const resolve of this.releasedDone.splice(0)) resolve();
              });
          }),
      )
      .catch(() => {});
  }

  /** Resolves when nothing is waiting or being worked on. */
  async idle(): Promise<void> {
    for (;;) {
      await this.limiter.idle();
      if (this.released === 0) return;
      await new Promise<void>((resolve) => this.releasedDone.push(resolve));
    }
  }
}
