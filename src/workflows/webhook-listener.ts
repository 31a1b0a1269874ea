import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputError } from '../errors.js';
import { isTransientFailure } from './failures.js';
import type { PushItem } from './push-activity.js';
import { type AcceptedRecord, type JournalLoad, newDeliveryId, WebhookJournal } from './webhook-journal.js';
import {
  type AcceptedDelivery,
  type AcceptOutcome,
  createWebhookHandler,
  type DeliverySink,
  type ReceiverConfig,
  type RequestLog,
} from './webhook-receiver.js';

/**
 * `apriora activity listen` minus the command line: the HTTP server, the journal, de-duplication and a bounded push
 * queue with retries. Each accepted delivery goes: verified → journaled (fsync) → 202 → queued → pushed → done.
 *
 * Shutdown order (`stop()`): refuse new deliveries (server closed: new connections refused, requests on open
 * keep-alive connections get 503) → let the deliveries being journaled finish (they get their 2xx and are queued) →
 * push everything in flight and queued → close the journal.
 */

export interface RetryPolicy {
  /** Push attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1_000, maxDelayMs: 15_000 };
/** Deliveries journaled but not yet pushed; beyond this a delivery is answered 503 with Retry-After. */
export const DEFAULT_MAX_PENDING = 1_000;
export const BUSY_RETRY_AFTER_SECONDS = 30;
/** Report ids remembered as pushed, for de-duplication (oldest forgotten first). */
const MAX_REMEMBERED = 100_000;

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
}

export interface ListenerOptions {
  host: string;
  port: number;
  path: string;
  secret: string | null;
  concurrency: number;
  journalPath: string;
  push: (reportId: string) => Promise<PushItem>;
  onEvent: (event: ListenEvent) => void;
  /** Journal warnings (torn lines). */
  warn: (message: string) => void;
  retry?: RetryPolicy;
  maxPending?: number;
  maxBodyBytes?: number;
  /** Unix seconds, for the signature's freshness (tests). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter in its upper half: attempt 1 waits ~base, then ~2×, ~4×… up to the cap. */
export function backoffMs(policy: RetryPolicy, failedAttempts: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempts - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** At most `concurrency` jobs at once; the rest wait in order. `size` counts waiting and running jobs. */
export class WorkQueue<T> {
  private readonly waiting: T[] = [];
  private running = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    private readonly worker: (item: T) => Promise<void>,
  ) {}

  get size(): number {
    return this.waiting.length + this.running;
  }

  add(item: T): void {
    this.waiting.push(item);
    this.pump();
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length) {
      const item = this.waiting.shift() as T;
      this.running++;
      void this.worker(item)
        .catch(() => {})
        .finally(() => {
          this.running--;
          this.pump();
          if (this.size === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            for (const resolve of waiters) resolve();
          }
        });
    }
  }

  /** Resolves when nothing is waiting or running. */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

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
  };
  private readonly retry: RetryPolicy;
  private readonly maxPending: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly queue: WorkQueue<AcceptedRecord>;
  /** Deliveries being journaled right now, by report id: resolves true once journaled (then `active`). */
  private readonly journaling = new Map<string, Promise<boolean>>();
  /** Report ids journaled and not yet done. */
  private readonly active = new Set<string>();
  /** Report ids pushed (not failed): a redelivery is a duplicate. A failed push may be redelivered and retried. */
  private readonly finished = new Set<string>();
  private accepting = true;
  private server: Server | undefined;
  private journal: WebhookJournal | undefined;
  private serverClosed: Promise<void> = Promise.resolve();
  private stopping: Promise<ListenSummary> | undefined;
  url = '';

  constructor(private readonly options: ListenerOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.sleep = options.sleep ?? defaultSleep;
    this.queue = new WorkQueue(options.concurrency, (record) => this.process(record));
  }

  get open(): boolean {
    return this.accepting;
  }

  /** Deliveries journaled and not yet done (waiting, being pushed, or waiting to retry). */
  get pending(): number {
    return this.queue.size;
  }

  private emit(event: Omit<ListenEvent, 'time'>): void {
    this.options.onEvent({ time: new Date().toISOString(), ...event });
  }

  private remember(reportId: string): void {
    this.finished.delete(reportId);
    this.finished.add(reportId);
    if (this.finished.size > MAX_REMEMBERED) this.finished.delete(this.finished.values().next().value as string);
  }

  /** Opens (and compacts) the journal, queues what it left unfinished, then listens. Returns the webhook URL. */
  async start(): Promise<{ url: string; load: JournalLoad }> {
    const { journal, load } = await WebhookJournal.open(this.options.journalPath, this.options.warn);
    this.journal = journal;
    for (const reportId of load.finished) this.remember(reportId);
    try {
      const config: ReceiverConfig = {
        path: this.options.path,
        secret: this.options.secret,
        ...(this.options.maxBodyBytes ? { maxBodyBytes: this.options.maxBodyBytes } : {}),
        ...(this.options.now ? { now: this.options.now } : {}),
      };
      const server = createServer(createWebhookHandler(config, this, (entry) => this.logRequest(entry)));
      // Each connection may buffer a body of up to maxBodyBytes before its signature is checked: bound the total.
      server.maxConnections = 256;
      server.requestTimeout = 30_000;
      server.headersTimeout = 15_000;
      server.keepAliveTimeout = 5_000;
      await new Promise<void>((resolve, reject) => {
        const onError = (error: NodeJS.ErrnoException) => {
          server.off('listening', onListening);
          reject(
            error.code === 'EADDRINUSE'
              ? new InputError(`Port ${this.options.port} on ${this.options.host} is already in use`, {
                  code: 'port_in_use',
                  hint: 'Pick another one with --port N (0 picks a free port).',
                })
              : error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL'
                ? new InputError(`Cannot listen on ${this.options.host}:${this.options.port} (${error.code})`, {
                    hint: 'Use --host 127.0.0.1 and a --port above 1024.',
                  })
                : error,
          );
        };
        const onListening = () => {
          server.off('error', onError);
          resolve();
        };
        server.once('error', onError);
        server.once('listening', onListening);
        server.listen(this.options.port, this.options.host);
      });
      this.server = server;
      this.serverClosed = new Promise((resolve) => server.once('close', () => resolve()));
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
      this.url = `http://${host}:${address.port}${this.options.path}`;
    } catch (error) {
      await journal.close();
      throw error;
    }
    for (const record of load.pending) {
      this.active.add(record.reportId);
      this.summary.replayed++;
      this.emit({
        event: record.event,
        reportId: record.reportId,
        status: 'replaying',
        id: record.id,
        detail: `received ${record.receivedAt}, not pushed before the last stop`,
      });
      this.queue.add(record);
    }
    return { url: this.url, load };
  }

  private logRequest(entry: RequestLog): void {
    this.summary.received++;
    const counter = ({ accepted: 'accepted', duplicate: 'duplicates', ignored: 'ignored', rejected: 'rejected', busy: 'busy' } as const)[
      entry.status as 'accepted' | 'duplicate' | 'ignored' | 'rejected' | 'busy'
    ];
    if (counter) this.summary[counter]++;
    const { status, ...rest } = entry;
    this.emit({ ...rest, status: status as ListenStatus });
  }

  /** DeliverySink: journal (fsync) then queue; de-duplicated by report id. */
  async accept(delivery: AcceptedDelivery): Promise<AcceptOutcome> {
    const { reportId } = delivery;
    for (let inProgress = this.journaling.get(reportId); inProgress; inProgress = this.journaling.get(reportId)) {
      if (await inProgress) return { outcome: 'duplicate' };
    }
    if (this.active.has(reportId) || this.finished.has(reportId)) return { outcome: 'duplicate' };
    if (!this.accepting) return { outcome: 'closing' };
    if (this.queue.size + this.journaling.size >= this.maxPending) return { outcome: 'busy', retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS };
    const journal = this.journal;
    if (!journal) return { outcome: 'closing' };

    const record: AcceptedRecord = { type: 'accepted', id: newDeliveryId(), reportId, event: delivery.event, receivedAt: new Date().toISOString() };
    let settle!: (journaled: boolean) => void;
    this.journaling.set(
      reportId,
      new Promise<boolean>((resolve) => {
        settle = resolve;
      }),
    );
    try {
      await journal.append(record);
    } catch (error) {
      this.journaling.delete(reportId);
      settle(false);
      return { outcome: 'error', message: error instanceof Error ? error.message : String(error) };
    }
    this.active.add(reportId);
    this.journaling.delete(reportId);
    settle(true);
    this.queue.add(record);
    return { outcome: 'accepted', id: record.id };
  }

  /** Pushes one journaled delivery, retrying transient failures, then records it done. */
  private async process(record: AcceptedRecord): Promise<void> {
    let item: PushItem;
    let attempt = 1;
    for (; ; attempt++) {
      item = await this.pushOnce(record.reportId);
      const code = item.error?.code;
      if (item.status !== 'failed' || !isTransientFailure(code) || attempt >= this.retry.attempts) break;
      const delay = backoffMs(this.retry, attempt);
      this.emit({
        event: record.event,
        reportId: record.reportId,
        status: 'retrying',
        id: record.id,
        attempt,
        detail: `${code}: ${item.error?.message ?? ''} (again in ${(delay / 1000).toFixed(1)} s)`,
      });
      await this.sleep(delay);
    }
    this.summary[item.status]++;
    // Still failing transiently after every retry (Tracker or Apriora down): the delivery stays pending in the
    // journal and is pushed again at the next start. Apriora was answered 2xx and will not send it again.
    const transient = item.status === 'failed' && isTransientFailure(item.error?.code);
    try {
      if (!transient) await this.journal?.append({ type: 'done', id: record.id, status: item.status });
    } catch (error) {
      this.options.warn(
        `webhook journal: could not record ${record.reportId} as done (it will be pushed again at the next start): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    this.active.delete(record.reportId);
    if (item.status !== 'failed') this.remember(record.reportId);
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

  private async pushOnce(reportId: string): Promise<PushItem> {
    try {
      return await this.options.push(reportId);
    } catch (error) {
      // pushReport never throws; should it, the failure is final (not transient).
      return {
        reportId,
        candidateEmail: null,
        trackerCandidateId: null,
        candidateCreated: false,
        jobId: null,
        subject: null,
        status: 'failed',
        error: { code: 'internal_error', message: error instanceof Error ? error.message : String(error) },
      };
    }
  }

  /** Stops accepting, finishes every journaled delivery, closes the journal. Safe to call more than once. */
  stop(): Promise<ListenSummary> {
    this.stopping ??= (async () => {
      this.accepting = false;
      if (this.server) {
        this.server.close();
        this.server.closeIdleConnections();
      }
      // Deliveries already past the checks finish journaling (they are answered 202 and queued).
      await Promise.all([...this.journaling.values()]);
      await this.queue.idle();
      // Everything acknowledged is pushed; connections still open are idle keep-alives or late requests (503).
      const grace = new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref());
      await Promise.race([this.serverClosed, grace]);
      this.server?.closeAllConnections();
      await this.serverClosed;
      await this.journal?.close();
      return this.summary;
    })();
    return this.stopping;
  }
}
