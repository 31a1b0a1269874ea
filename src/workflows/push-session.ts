import type { AprioraClient } from '../apriora/client.js';
import type { Candidate, Report } from '../apriora/schemas.js';
import type { WriteLedger } from '../store/write-ledger.js';
import type { WriteLock } from '../store/write-lock.js';
import type { TrackerClient } from '../tracker/client.js';
import type { BulkSlot } from './bulk.js';
import { retryRead } from './failures.js';
import { ActivityIndex, CandidateIndex, type IndexOptions, type PagedRead } from './tracker-index.js';

/**
 * What the pushes of one run (or of one listener, for as long as it runs) share so that each costs Tracker as few
 * requests as it can: the index of marked activities and of candidates (./tracker-index.ts), read when that is cheaper
 * than looking each report up; the read-backs of creates, made together by one scan of the newest activities instead
 * of one look-up per create; and what was read of Apriora (positions, the candidates of a position).
 */

/** An index older than this is read again: well within the ledger's retention, against which it is checked. */
export const INDEX_MAX_AGE_MS = 12 * 60 * 60 * 1000;
/** An index read stopped at its budget is gone on with within this time, else read from the start. */
const PAUSED_READ_MAX_AGE_MS = 60 * 60 * 1000;
/** Pages an index may always take (a small database is read whole from the first report on). */
const MIN_INDEX_PAGES = 20;
/** A look-up per item costs about this many requests: an index may take this many pages per report expected. */
const PAGES_PER_REPORT = 2;
/** A stopped read goes on once its budget has grown by this share (each resumption re-reads one page). */
const RESUME_GROWTH = 1.5;
/** After an index read failed, items are looked up one by one for this long before it is tried again. */
const FAILED_READ_PAUSE_MS = 60_000;
/**
 * Before deciding that a report has no activity yet, an index whose last scan is older than this reads the newest
 * activities first (another machine may have pushed the report meanwhile).
 */
export const REFRESH_AFTER_MS = 60_000;
/** Creates waiting for their read-back when items give their slot back meanwhile (bulk runs): one scan for so many. */
const DETACHED_BATCH = 50;
/** At most this many items wait for a read-back without their slot. */
const MAX_DETACHED = 100;
/** A read-back never waits longer than this for other creates to share its scan. */
const MAX_READ_BACK_WAIT_MS = 30_000;

/** A push stopped (Ctrl-C) before it wrote anything: run the command again. */
export class PushInterrupted extends Error {
  readonly code = 'interrupted';
  constructor() {
    super('Stopped before this report was written: run the command again (what was done is found, not repeated)');
  }
}

export interface PushSessionOptions {
  tracker: TrackerClient;
  apriora: AprioraClient;
  /** Null for dry runs (nothing is written, the index is trusted). */
  writeLock: WriteLock | null;
  /** Pushes in flight at most (the run's or the listener's concurrency). */
  concurrency: number;
  /** Reports expected so far (grows while a source is read); without it, the pushes begun so far. */
  demand?: () => number;
  /** The run's stop signal: index reads are cancelled with it. The listener gives none (it finishes what it took). */
  signal?: AbortSignal | undefined;
  /** Items give their bulk slot back while they wait for a read-back, so that one scan serves many creates. */
  detach?: boolean;
  /**
   * How long an item waits for an index being read before it is looked up on its own (the read goes on); without
   * it, items wait for the read (a bulk run). The listener sets it, so that a large database read again never stalls
   * its deliveries.
   */
  indexWaitMs?: number;
  now?: () => number;
}

export class PushSession {
  readonly tracker: TrackerClient;
  readonly apriora: AprioraClient;
  readonly signal: AbortSignal | undefined;
  readonly now: () => number;
  private readonly activitySlot: IndexSlot<ActivityIndex>;
  private readonly candidateSlot: IndexSlot<CandidateIndex>;
  private readonly batches = new Set<ReadBack>();
  private readonly activityReadBacks = new WeakMap<ActivityIndex, ReadBack>();
  private readonly candidateReadBacks = new WeakMap<CandidateIndex, ReadBack>();
  private readonly positionCandidates = new Map<string, Promise<Candidate[]>>();
  private readonly positionReports = new Map<string, number>();
  private readonly batchSize: number;
  private readonly detach: boolean;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private working = 0;
  private settling = false;
  private detached = 0;
  private begun = 0;

  constructor(private readonly options: PushSessionOptions) {
    this.tracker = options.tracker;
    this.apriora = options.apriora;
    this.signal = options.signal;
    this.now = options.now ?? Date.now;
    this.detach = Boolean(options.detach);
    this.batchSize = this.detach ? DETACHED_BATCH : Math.max(1, options.concurrency);
    const indexOptions: IndexOptions = { ledger: this.ledger, trustWithoutLedger: options.writeLock === null, now: this.now };
    const demand = options.demand ?? (() => this.begun);
    this.activitySlot = new IndexSlot(() => ActivityIndex.start(options.tracker, indexOptions), demand, this.now, this.signal);
    this.candidateSlot = new IndexSlot(() => CandidateIndex.start(options.tracker, indexOptions), demand, this.now, this.signal);
  }

  get ledger(): WriteLedger | undefined {
    return this.options.writeLock?.ledger;
  }

  /** The index of marked activities, read (or read on) now if needed; undefined: look each report up. */
  activities(): Promise<ActivityIndex | undefined> {
    return this.stoppable(this.activitySlot.get(this.options.indexWaitMs));
  }

  /** The index of candidates by e-mail, likewise; undefined: look each e-mail up. */
  candidates(): Promise<CandidateIndex | undefined> {
    return this.stoppable(this.candidateSlot.get(this.options.indexWaitMs));
  }

  /** Throws PushInterrupted once the run is stopped: no write starts after Ctrl-C. */
  checkStopped(): void {
    if (this.signal?.aborted) throw new PushInterrupted();
  }

  private async stoppable<T>(read: Promise<T>): Promise<T> {
    try {
      return await read;
    } catch (error) {
      this.checkStopped(); // an index read cancelled by Ctrl-C
      throw error;
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Items: who is working, who waits (a read-back is made once no item is working, or enough creates wait)

  /** An item begins (its report's in-process lock held). */
  begin(slot?: BulkSlot): ItemScope {
    this.begun++;
    this.working++;
    return new ItemScope(this, slot);
  }

  /** @internal */
  end(scope: ItemScope): void {
    if (scope.released) this.detached--;
    this.working--;
    this.poke();
  }

  /** @internal */
  tryDetach(): boolean {
    if (!this.detach || this.detached >= MAX_DETACHED) return false;
    this.detached++;
    return true;
  }

  /** Waits for a scan: the item is idle meanwhile (a scan starts once no item is working). */
  private async idle<T>(wait: () => Promise<T>): Promise<T> {
    this.working--;
    this.poke();
    try {
      return await wait();
    } finally {
      this.working++;
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Read-backs riding on scans

  /**
   * Resolves after a scan of the newest activities (into `activities`) and of the newest candidates (into
   * `candidates`), each begun after this call; the item is idle meanwhile. Says which scans were made: one that
   * failed (or that the server cannot answer newest first) leaves the caller to read its own records back.
   */
  async scans(wanted: { activities?: ActivityIndex | undefined; candidates?: CandidateIndex | undefined }): Promise<ScansMade> {
    const made = (joined: Promise<void>): Promise<boolean> =>
      joined.then(
        () => true,
        () => false,
      );
    const activities = wanted.activities
      ? made(this.join(this.activityReadBacks, wanted.activities, (index) => index.scanNew(this.tracker, this.now)))
      : Promise.resolve(true);
    const candidates = wanted.candidates
      ? made(this.join(this.candidateReadBacks, wanted.candidates, (index) => index.scanNew(this.tracker)))
      : Promise.resolve(true);
    return this.idle(async () => ({ activities: await activities, candidates: await candidates }));
  }

  /**
   * Reads the newest activities first when the index has not been scanned for a while; false when that scan could
   * not be made (look the report up instead).
   */
  async freshen(index: ActivityIndex): Promise<boolean> {
    if (this.now() - index.lastScanAt <= REFRESH_AFTER_MS) return true;
    return (await this.scans({ activities: index })).activities;
  }

  private join<I extends object>(batches: WeakMap<I, ReadBack>, index: I, scan: (index: I) => Promise<unknown>): Promise<void> {
    let batch = batches.get(index);
    if (!batch) {
      batch = new ReadBack(() => scan(index));
      batches.set(index, batch);
    }
    this.batches.add(batch);
    return batch.add();
  }

  /**
   * Starts the scans that should start now: once enough creates wait, or no item is working any more (checked again
   * a moment later, so that the item taking a finished one's place counts); bounds how long a read-back waits.
   */
  private poke(): void {
    let waiting = false;
    for (const batch of this.batches) {
      if (batch.waiting === 0) {
        if (!batch.running) this.batches.delete(batch);
        continue;
      }
      waiting = true;
      if (batch.waiting >= this.batchSize) batch.flush(() => this.poke());
    }
    if (waiting && this.working <= 0 && !this.settling) {
      this.settling = true;
      setImmediate(() => {
        this.settling = false;
        if (this.working > 0) return;
        for (const batch of this.batches) batch.flush(() => this.poke());
      });
    }
    if (waiting && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        for (const batch of this.batches) batch.flush(() => this.poke());
      }, MAX_READ_BACK_WAIT_MS);
    } else if (!waiting && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Apriora

  /** The report's candidate: from the position's candidates once a position has more than one report, else alone. */
  async aprioraCandidate(report: Report): Promise<Candidate | undefined> {
    const { positionId, candidateId } = report;
    const seen = (this.positionReports.get(positionId) ?? 0) + 1;
    this.positionReports.set(positionId, seen);
    if (seen >= 2) {
      let list = this.positionCandidates.get(positionId);
      if (!list) {
        list = this.apriora.getCandidates({ positionId });
        list.catch(() => this.positionCandidates.delete(positionId)); // a failed read is not remembered
        this.positionCandidates.set(positionId, list);
      }
      const hit = (await list.catch(() => [] as Candidate[])).find((candidate) => candidate.candidateId === candidateId);
      if (hit) return hit;
    }
    return (await this.apriora.getCandidates({ candidateId })).find((candidate) => candidate.candidateId === candidateId);
  }
}

/** Which of the scans asked for were made. */
export interface ScansMade {
  activities: boolean;
  candidates: boolean;
}

/** One push of the session. */
export class ItemScope {
  released = false;

  constructor(
    private readonly session: PushSession,
    private readonly slot: BulkSlot | undefined,
  ) {}

  /** Gives the bulk slot back (when the session allows): the item only waits for a read-back from now on. */
  detach(): void {
    if (this.released || !this.slot || !this.session.tryDetach()) return;
    this.released = true;
    this.slot.release();
  }

  end(): void {
    this.session.end(this);
  }
}

/** Waiters for one scan: each is served by a scan that began after it joined. */
class ReadBack {
  private waiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  running = false;

  constructor(private readonly scan: () => Promise<unknown>) {}

  get waiting(): number {
    return this.waiters.length;
  }

  add(): Promise<void> {
    return new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  flush(then: () => void): void {
    if (this.running || this.waiters.length === 0) return;
    const batch = this.waiters.splice(0);
    this.running = true;
    // Read-backs are not cancelled by Ctrl-C: they say what became of writes already made.
    retryRead(this.scan)
      .then(
        () => {
          for (const waiter of batch) waiter.resolve();
        },
        (error: unknown) => {
          for (const waiter of batch) waiter.reject(error);
        },
      )
      .finally(() => {
        this.running = false;
        then();
      });
  }
}

/**
 * One index, read when first needed and again when too old, within a page budget that grows with the reports
 * expected: a read stopped at its budget goes on later; meanwhile (and for a while after a failed read) items are
 * looked up one by one.
 */
class IndexSlot<I extends { freshness: { snapshotAt: number } }> {
  private current: { index: I; read: PagedRead; startDemand: number } | undefined;
  private pending: Promise<I | undefined> | undefined;
  private failedUntil = 0;
  /** The budget counts the reports expected since this: since the previous complete index was started. */
  private budgetFrom = 0;

  constructor(
    private readonly make: () => { index: I; read: PagedRead },
    private readonly demand: () => number,
    private readonly now: () => number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  private budget(): number {
    return Math.max(MIN_INDEX_PAGES, PAGES_PER_REPORT * (this.demand() - this.budgetFrom));
  }

  private expired(current: { index: I; read: PagedRead }): boolean {
    return this.now() - current.index.freshness.snapshotAt >= (current.read.complete ? INDEX_MAX_AGE_MS : PAUSED_READ_MAX_AGE_MS);
  }

  /** The index, read (or read on) first if needed; with `waitMs`, undefined once the read has taken that long. */
  get(waitMs?: number): Promise<I | undefined> {
    if (!this.pending) {
      if (this.now() < this.failedUntil) return Promise.resolve(undefined);
      const current = this.current;
      if (current && !this.expired(current)) {
        if (current.read.complete) return Promise.resolve(current.index);
        if (this.budget() < current.read.reach * RESUME_GROWTH) return Promise.resolve(undefined);
      }
      this.pending = this.advance().finally(() => {
        this.pending = undefined;
      });
      this.pending.catch(() => {}); // awaited by the items that wait for it; the read may go on with no one waiting
    }
    return waitMs === undefined ? this.pending : atMost(this.pending, waitMs);
  }

  private async advance(): Promise<I | undefined> {
    for (;;) {
      let current = this.current;
      if (!current || this.expired(current)) {
        if (current?.read.complete) this.budgetFrom = current.startDemand;
        current = this.current = { ...this.make(), startDemand: this.demand() };
      }
      let outcome: boolean | 'shifted';
      try {
        outcome = await current.read.continue(() => this.budget(), this.signal);
      } catch (error) {
        if (this.signal?.aborted) throw error;
        this.current = undefined;
        this.failedUntil = this.now() + FAILED_READ_PAUSE_MS;
        return undefined;
      }
      if (outcome === 'shifted') {
        this.current = undefined; // a record was deleted meanwhile: read again from the start
        continue;
      }
      return outcome ? current.index : undefined;
    }
  }
}

/** What `pending` resolves to, or undefined once `ms` have passed first. */
function atMost<T>(pending: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([pending, late]).finally(() => clearTimeout(timer));
}
