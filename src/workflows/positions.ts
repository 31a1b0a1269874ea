import type { AprioraClient } from '../apriora/client.js';
import { EXTERNAL_SOURCE, type Position } from '../apriora/partner.js';

/** The Apriora position linked to a Tracker job (its external id), if any. */
export async function positionOfJob(apriora: AprioraClient, jobId: number, signal?: AbortSignal): Promise<Position | undefined> {
  const [position] = await apriora.listPositions({ externalSource: EXTERNAL_SOURCE, externalId: String(jobId), limit: 1 }, signal);
  return position;
}

/** Every position linked to a Tracker job, page by page (or the one of `jobId`); `readAhead` requests the next page early. */
export function trackerPositions(
  apriora: AprioraClient,
  filter: { jobId?: number },
  signal?: AbortSignal,
  options: { readAhead?: boolean } = {},
): AsyncIterable<Position> {
  const externalId = filter.jobId === undefined ? undefined : String(filter.jobId);
  return apriora.iteratePositions({ externalSource: EXTERNAL_SOURCE, externalId }, 100, signal, options);
}

/** The Tracker job id a position is linked to, or null. */
export function linkedJobId(position: Position): string | null {
  return position.externalSource === EXTERNAL_SOURCE ? position.externalId : null;
}

export interface PositionCacheOptions {
  /** How long a position read is used (default 10 minutes): a renamed job reaches new activities after that. */
  ttlMs?: number;
  /** Positions kept at most (default 1,000), the least recently used dropped first. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * The positions a long-running process (the listener) has read, shared by all its pushes so that a position is read
 * once, not once per report. A Map by position id, as `PushDeps.positions` takes it: an entry older than `ttlMs` is
 * gone, the least recently used beyond `maxEntries` too, and a read that failed is never kept.
 */
export class PositionCache extends Map<string, Promise<Position>> {
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  /** When each entry was stored, and its position once the read succeeded. */
  private readonly meta = new Map<string, { storedAt: number; position?: Position }>();

  constructor(options: PositionCacheOptions = {}) {
    super();
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.maxEntries = Math.max(1, options.maxEntries ?? 1_000);
    this.now = options.now ?? Date.now;
  }

  override get(positionId: string): Promise<Position> | undefined {
    const pending = super.get(positionId);
    if (!pending) return undefined;
    const meta = this.meta.get(positionId);
    if (!meta || this.now() - meta.storedAt >= this.ttlMs) {
      this.delete(positionId);
      return undefined;
    }
    // Most recently used last: the first entry is the one to drop.
    super.delete(positionId);
    super.set(positionId, pending);
    return pending;
  }

  override set(positionId: string, pending: Promise<Position>): this {
    super.delete(positionId);
    super.set(positionId, pending);
    const meta: { storedAt: number; position?: Position } = { storedAt: this.now() };
    this.meta.set(positionId, meta);
    pending.then(
      (position) => {
        if (super.get(positionId) === pending) meta.position = position;
      },
      () => {
        if (super.get(positionId) === pending) this.delete(positionId);
      },
    );
    while (this.size > this.maxEntries) {
      const oldest = this.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
    return this;
  }

  override delete(positionId: string): boolean {
    this.meta.delete(positionId);
    return super.delete(positionId);
  }

  override clear(): void {
    this.meta.clear();
    super.clear();
  }

  /** The position already read and still fresh, without reading it. */
  settled(positionId: string): Position | undefined {
    return this.get(positionId) && this.meta.get(positionId)?.position;
  }
}
