import type { PushItem } from '../lib/items.js';
import type { PressureReport } from './connections.js';
import { type AcceptedRecord, type DeliveryHints, deliveryHints, type JournalLoad, newDeliveryId, WebhookJournal } from './journal.js';
import { acquireJournalLock, type PidLock } from './lock.js';
import { DEFAULT_RETRY, DeliveryQueue, type PushDelivery, pushWithRetries, type QueueSlot, type RetryPolicy } from './queue.js';
import { DuplicateFilter, type ReceiverConfig } from './receiver.js';
import {
  type AcceptedDelivery,
  type AcceptOutcome,
  createWebhookHandler,
  type DeliverySink,
  type RequestLog,
  type ServerLimits,
  WebhookServer,
} from './server.js';

/**
 * `apriora activity listen` minus the command line: composes the pid lock (./lock.ts), the journal (./journal.ts),
 * the HTTP server (./server.ts), duplicate detection (./receiver.ts) and the push queue with retries (./queue.ts).
 * Each accepted delivery goes: verified → journaled (fsync) → 202 → queued → pushed → done.
 * `start()` and `stop()` spell out the order of their steps.
 */

export type { PushDelivery };

/** Deliveries journaled but not yet pushed, when the caller gives no cap; beyond it a delivery is answered 503. */
export const DEFAULT_MAX_PENDING = 1_000;
export const BUSY_RETRY_AFTER_SECONDS = 30;

/** Tracker requests a delivery is expected to cost on average (its activity, now and then a new candidate). */
export const TRACKER_REQUESTS_PER_DELIVERY = 1.3;
/** The pending deliveries are capped at what Tracker's rate limit lets the listener push in about this time. */
export const PENDING_DRAIN_MINUTES = 10;
/** The cap's bounds, whatever the rate limit: room for a burst, and a backlog that is still worth holding. */
export const MIN_PENDING = 100;
export const MAX_PENDING = 10_000;

/** How many deliveries may wait to be pushed, and how long draining that many takes at the rate limit. */
export interface PendingCap {
  maxPending: number;
  /** Minutes to push `maxPending` deliveries at `perMinute` Tracker requests a minute. */
  drainMinutes: number;
  /** Tracker requests a minute the cap is sized for. */
  perMinute: number;
}

/**
 * The pending cap sized to what the rate limit drains in PENDING_DRAIN_MINUTES: a delivery beyond it would wait
 * longer than that, so Apriora is asked to send it again later (503 with Retry-After) instead. `maxPending` overrides
 * the computed cap (its drain time is then what it stands for at that rate).
 */
export function pendingCap(trackerRequestsPerMinute: number, maxPending?: number): PendingCap {
  const perMinute = trackerRequestsPerMinute > 0 ? trackerRequestsPerMinute : 1;
  const cap = maxPending ?? Math.min(MAX_PENDING, Math.max(MIN_PENDING, Math.floor((perMinute / TRACKER_REQUESTS_PER_DELIVERY) * PENDING_DRAIN_MINUTES)));
  return { maxPending: cap, drainMinutes: (cap * TRACKER_REQUESTS_PER_DELIVERY) / perMinute, perMinute };
}

export type ListenStatus = 'accepted' | 'duplicate' | 'ignored' | 'rejected' | 'busy' | 'unavailable' | 'error' | 'replaying' | 'retrying' | PushItem['status'];

/** One line of the listener's log. */
export interface ListenEvent {
  time: string;
  event: string | null;
  reportId: string | null;
  status: ListenStatus;
  /** The HTTP status answered (request lines only). */
  http?: number;
  /** The journal id of the delivery. */
  id?: string;
  detail?: string;
  attempt?: number;
  /** Push results. */
  item?: PushItem;
}

export interface ListenSummary {
  received: number;
  accepted: number;
  duplicates: number;
  ignored: number;
  rejected: number;
  busy: number;
  replayed: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  /** Pushes whose read-back found the report's activity (or the candidate) twice in Tracker: item status duplicate. */
  duplicateRecords: number;
}

export interface ListenerOptions {
  host: string;
  port: number;
  path: string;
  secret: string | null;
  concurrency: number;
  journalPath: string;
  /** Pushes one delivery's report into Tracker (with the webhook's hints, when it had them); reports its failures in the item. */
  push: (delivery: PushDelivery, slot?: QueueSlot) => Promise<PushItem>;
  /** Whether a failed push's error code is worth trying again (and, after the last attempt, at the next start). */
  isTransient: (code: string | undefined) => boolean;
  onEvent: (event: ListenEvent) => void;
  /** Journal warnings (torn lines, a done mark that could not be written); connections closed at a cap. */
  warn: (message: string) => void;
  retry?: RetryPolicy;
  maxPending?: number;
  maxBodyBytes?: number;
  /** Connection limits and timeouts other than the defaults (tests). */
  limits?: Partial<ServerLimits>;
  /** Unix seconds, for the signature's freshness (tests). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const REQUEST_COUNTERS = { accepted: 'accepted', duplicate: 'duplicates', ignored: 'ignored', rejected: 'rejected', busy: 'busy' } as const;

export class WebhookListener implements DeliverySink {
  readonly summary: ListenSummary = {
    received: 0,
    accepted: 0,
    duplicates: 0,
    ignored: 0,
    rejected: 0,
    busy: 0,
    replayed: 0,
    created: 0,
    updated: 0,
    skipped: 0,
    failed: 0,
    duplicateRecords: 0,
  };
  private readonly retry: RetryPolicy;
  private readonly maxPending: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly queue: DeliveryQueue<AcceptedRecord>;
  /** Deliveries queued and not yet done. */
  private unfinished = 0;
  private readonly duplicates = new DuplicateFilter();
  private accepting = true;
  private lock: PidLock | undefined;
  private journal: WebhookJournal | undefined;
  private server: WebhookServer | undefined;
  private stopping: Promise<ListenSummary> | undefined;
  url = '';

  constructor(private readonly options: ListenerOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.sleep = options.sleep ?? defaultSleep;
    this.queue = new DeliveryQueue(options.concurrency, (record, slot) => this.process(record, slot));
  }

  /** DeliverySink: whether deliveries are still taken (false from the first step of `stop()`). */
  get open(): boolean {
    return this.accepting;
  }

  /** Connections closed early at a cap since start (evicted, turned away), and those still being closed. */
  get connections(): { evicted: number; refused: number; closing: number } {
    return this.server?.connectionStats ?? { evicted: 0, refused: 0, closing: 0 };
  }

  /** Deliveries journaled and not yet done (waiting, being pushed, or waiting to retry). */
  get pending(): number {
    return this.unfinished;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Start: lock → open (and compact) the journal → listen → replay what the last run left unfinished.

  /** Returns the webhook URL and what the journal held. On failure, whatever was opened is closed again. */
  async start(): Promise<{ url: string; load: JournalLoad }> {
    this.lockJournal();
    let load: JournalLoad;
    try {
      load = await this.openJournal();
      await this.listen();
    } catch (error) {
      await this.closeJournal();
      this.releaseLock();
      throw error;
    }
    this.replay(load.pending);
    return { url: this.url, load };
  }

  private lockJournal(): void {
    this.lock = acquireJournalLock(this.options.journalPath);
  }

  private async openJournal(): Promise<JournalLoad> {
    const { journal, load } = await WebhookJournal.open(this.options.journalPath, this.options.warn);
    this.journal = journal;
    for (const reportId of load.finished) this.duplicates.remember(reportId);
    return load;
  }

  private async listen(): Promise<void> {
    const config: ReceiverConfig = {
      path: this.options.path,
      secret: this.options.secret,
      ...(this.options.maxBodyBytes ? { maxBodyBytes: this.options.maxBodyBytes } : {}),
      ...(this.options.now ? { now: this.options.now } : {}),
    };
    const handler = createWebhookHandler(config, this, (entry) => this.logRequest(entry));
    const { host, port, path } = this.options;
    this.server = await WebhookServer.listen({ host, port, path }, handler, {
      ...(this.options.limits ? { limits: this.options.limits } : {}),
      onPressure: (pressure, limits) => this.options.warn(pressureMessage(pressure, limits)),
    });
    this.url = this.server.url;
  }

  private replay(pending: AcceptedRecord[]): void {
    for (const record of pending) {
      this.duplicates.replaying(record.reportId);
      this.summary.replayed++;
      this.emit({
        event: record.event,
        reportId: record.reportId,
        status: 'replaying',
        id: record.id,
        detail: `received ${record.receivedAt}, not pushed before the last stop`,
      });
      this.enqueue(record);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Stop (`apriora help webhooks`, STOPPING). Safe to call more than once: every call gets the same summary.

  stop(): Promise<ListenSummary> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<ListenSummary> {
    this.stopAccepting();
    this.closeIdleConnections();
    await this.finishJournaling();
    await this.drainQueue();
    await this.closeRemainingConnections();
    await this.closeJournal();
    this.releaseLock();
    return this.summary;
  }

  /** 1. New connections are refused; a request still arriving on an open connection is answered 503. */
  private stopAccepting(): void {
    this.accepting = false;
    this.server?.stopAccepting();
  }

  /** 2. Idle keep-alive connections are closed. */
  private closeIdleConnections(): void {
    this.server?.closeIdleConnections();
  }

  /** 3. Deliveries already past the checks finish journaling: they are answered 202 and queued. */
  private finishJournaling(): Promise<void> {
    return this.duplicates.journalingSettled();
  }

  /**
   * 4. Every acknowledged delivery is pushed, retries included. Nothing new enters the queue any more, and each
   * push is bounded by its retry policy; a second signal quits at once, and the journal keeps the rest.
   */
  private drainQueue(): Promise<void> {
    return this.queue.idle();
  }

  /** 5. Connections still open (idle keep-alives, late requests answered 503) get a short grace, then are cut. */
  private async closeRemainingConnections(): Promise<void> {
    await this.server?.closeRemainingConnections();
  }

  /** 6. The last done marks are flushed (fsync) and the journal closed. */
  private async closeJournal(): Promise<void> {
    await this.journal?.close();
  }

  /** 7. The pid lock is released: another listener may now take the journal. */
  private releaseLock(): void {
    this.lock?.release();
  }

  // -------------------------------------------------------------------------------------------------------------
  // Deliveries

  private emit(event: Omit<ListenEvent, 'time'>): void {
    this.options.onEvent({ time: new Date().toISOString(), ...event });
  }

  private logRequest(entry: RequestLog): void {
    this.summary.received++;
    const counter = REQUEST_COUNTERS[entry.status as keyof typeof REQUEST_COUNTERS];
    if (counter) this.summary[counter]++;
    const { status, ...rest } = entry;
    this.emit({ ...rest, status: status as ListenStatus });
  }

  /** DeliverySink: de-duplicated by report id, journaled (fsync), then queued. */
  async accept(delivery: AcceptedDelivery): Promise<AcceptOutcome> {
    const { reportId } = delivery;
    if (await this.duplicates.isDuplicate(reportId)) return { outcome: 'duplicate' };
    if (!this.accepting) return { outcome: 'closing' };
    if (this.unfinished + this.duplicates.journalingCount >= this.maxPending) return { outcome: 'busy', retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS };
    const journal = this.journal;
    if (!journal) return { outcome: 'closing' };

    const record: AcceptedRecord = {
      type: 'accepted',
      id: newDeliveryId(),
      reportId,
      event: delivery.event,
      receivedAt: new Date().toISOString(),
      ...verifiedHints(deliveryHints(delivery.payload.data), this.options.secret !== null),
    };
    const journaled = this.duplicates.journalingStarted(reportId);
    try {
      await journal.append(record);
    } catch (error) {
      journaled(false);
      return { outcome: 'error', message: error instanceof Error ? error.message : String(error) };
    }
    journaled(true);
    this.enqueue(record);
    return { outcome: 'accepted', id: record.id };
  }

  /** Counted from here until its result is out (exactly: the queue's own count lags by a few microtasks). */
  private enqueue(record: AcceptedRecord): void {
    this.unfinished++;
    this.queue.add(record);
  }

  /** Pushes one journaled delivery (retrying transient failures), then records it done. */
  private async process(record: AcceptedRecord, slot?: QueueSlot): Promise<void> {
    const hints = deliveryHints(record);
    const { item, attempt, transient } = await pushWithRetries(
      { reportId: record.reportId, ...hints },
      {
        push: (delivery) => this.options.push(delivery, slot),
        isTransient: this.options.isTransient,
        policy: this.retry,
        sleep: this.sleep,
        onRetry: ({ attempt, item, delayMs }) =>
          this.emit({
            event: record.event,
            reportId: record.reportId,
            status: 'retrying',
            id: record.id,
            attempt,
            detail: `${item.error?.code}: ${item.error?.message ?? ''} (again in ${(delayMs / 1000).toFixed(1)} s)`,
          }),
      },
    );
    this.summary[item.status === 'duplicate' ? 'duplicateRecords' : item.status]++;
    // Still failing transiently after every retry (Tracker or Apriora down): the delivery stays pending in the
    // journal and is pushed again at the next start. Apriora was answered 2xx and will not send it again.
    try {
      if (!transient) await this.journal?.append({ type: 'done', id: record.id, status: item.status });
    } catch (error) {
      this.options.warn(
        `webhook journal: could not record ${record.reportId} as done (it will be pushed again at the next start): ` +
          (error instanceof Error ? error.message : String(error)),
      );
    }
    this.duplicates.finish(record.reportId, item.status !== 'failed');
    this.unfinished--;
    this.emit({
      event: record.event,
      reportId: record.reportId,
      status: item.status,
      id: record.id,
      attempt,
      item,
      detail: item.error
        ? `${item.error.code}: ${item.error.message}${transient ? ' (kept in the journal: pushed again at the next start)' : ''}`
        : (item.subject ?? undefined),
    });
  }
}

/**
 * An unsigned delivery's candidate e-mail is not journaled: a later run that verifies signatures must never take it
 * for Apriora's word.
 */
function verifiedHints(hints: DeliveryHints, signed: boolean): DeliveryHints {
  if (signed) return hints;
  const { candidateEmail: _unsigned, ...rest } = hints;
  return rest;
}

const plural = (count: number, one: string, many: string) => `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;

/** The warning when connections are closed at a cap: the first at once, then at most one a minute. */
export function pressureMessage({ evicted, refused, seconds }: PressureReport, limits: ServerLimits): string {
  const what = [
    evicted ? `${plural(evicted, 'slow connection', 'slow connections')} closed to make room` : '',
    refused ? `${plural(refused, 'new connection', 'new connections')} turned away (every open one busy with a delivery)` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return (
    `too many connections (limit ${limits.maxConnectionsPerAddress} per client address, ${limits.maxConnections} in all): ${what}` +
    `${seconds ? ` in the last ${seconds} s` : ''}, answered 503 with Retry-After ${limits.connectionsRetryAfterSeconds}`
  );
}
