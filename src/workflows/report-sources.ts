import { setMaxListeners } from 'node:events';
import type { AprioraClient } from '../apriora/client.js';
import type { Position } from '../apriora/partner.js';
import type { Report } from '../apriora/schemas.js';
import { positionOfJob, trackerPositions } from './positions.js';

/** A report to push: its id, and the report itself and its position when the source has just read them. */
export interface ReportRef {
  reportId: string;
  report?: Report;
  /** The report's position (the --since scan and the job source have it): the push then does not read it again. */
  position?: Position;
}

export type ReportSelector =
  | { kind: 'ids'; reportIds: string[] }
  | { kind: 'job'; jobIds: number[] }
  | { kind: 'since'; since: Date }
  | { kind: 'candidate'; emails: string[] };

/** Positions whose reports the --since scan reads at once, unless the caller says otherwise. */
export const DEFAULT_SCAN_CONCURRENCY = 16;

export interface ReportSourceOptions {
  /** --since: positions whose reports are read at once (default DEFAULT_SCAN_CONCURRENCY). */
  scanConcurrency?: number;
}

/**
 * The reports a selector names, each once, oldest completion first within each position (the --since scan keeps the
 * order of the positions list). `warn` hears of empty sources.
 */
export function reportSource(
  apriora: AprioraClient,
  selector: ReportSelector,
  signal: AbortSignal,
  warn: (message: string) => void,
  options: ReportSourceOptions = {},
): AsyncIterable<ReportRef> {
  switch (selector.kind) {
    case 'ids':
      return deduplicated(fromIds(selector.reportIds));
    case 'job':
      return deduplicated(each(selector.jobIds, (jobId) => reportsOfJob(apriora, jobId, signal, warn)));
    case 'since':
      return deduplicated(reportsSince(apriora, selector.since, signal, scanConcurrency(options.scanConcurrency)));
    case 'candidate':
      return deduplicated(each(selector.emails, (email) => reportsOfCandidate(apriora, email, signal, warn)));
  }
}

function scanConcurrency(value: number | undefined): number {
  if (value === undefined) return DEFAULT_SCAN_CONCURRENCY;
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`scanConcurrency must be a positive integer, not ${value}`);
  return value;
}

/** The refs of each key's source, one key after another. */
async function* each<K>(keys: K[], source: (key: K) => AsyncIterable<ReportRef>): AsyncGenerator<ReportRef> {
  for (const key of keys) yield* source(key);
}

async function* fromIds(ids: string[]): AsyncGenerator<ReportRef> {
  for (const reportId of ids) yield { reportId };
}

/** The reports of the position linked to one Tracker job. */
async function* reportsOfJob(apriora: AprioraClient, jobId: number, signal: AbortSignal, warn: (message: string) => void): AsyncGenerator<ReportRef> {
  const position = await positionOfJob(apriora, jobId, signal);
  if (!position) {
    warn(`No Apriora interview is linked to Tracker job ${jobId} (create one with \`apriora interview generate --job ${jobId}\`)`);
    return;
  }
  yield* refs(await apriora.getReports({ positionId: position.positionId }, signal), position);
}

/**
 * Reports completed since `since`, of every Tracker-linked position. The positions list is paged with read-ahead,
 * and the reports of up to `concurrency` positions are read at once: a window that moves in list order, so refs come
 * out in that order and at most `concurrency` positions' reports are held. Stopping (the signal, or the consumer
 * leaving early) cancels the reads under way and starts no other.
 */
async function* reportsSince(apriora: AprioraClient, since: Date, signal: AbortSignal, concurrency: number): AsyncGenerator<ReportRef> {
  const from = since.getTime() / 1000;
  const stop = new AbortController();
  // Each read under way listens to it (two listeners at most while it waits for a slot), and so does a page read.
  setMaxListeners(2 * concurrency + 4, stop.signal);
  const onAbort = () => stop.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const positions = trackerPositions(apriora, {}, stop.signal, { readAhead: true })[Symbol.asyncIterator]();
  const window: Promise<ReportRef[]>[] = [];
  let listed = false;
  try {
    for (;;) {
      while (!listed && window.length < concurrency) {
        signal.throwIfAborted();
        const next = await positions.next();
        if (next.done) {
          listed = true;
          break;
        }
        const position = next.value;
        const read = apriora.getReports({ positionId: position.positionId }, stop.signal).then((reports) => [
          ...refs(
            reports.filter((report) => report.timeCompleted >= from),
            position,
          ),
        ]);
        read.catch(() => {}); // awaited in turn below; this only keeps a read abandoned by a stop from going unhandled
        window.push(read);
      }
      const head = window.shift();
      if (!head) return;
      const ready = await head;
      signal.throwIfAborted();
      yield* ready;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    stop.abort(signal.aborted ? signal.reason : new DOMException('the report scan stopped', 'AbortError'));
    await positions.return?.(undefined);
  }
}

/** Every report of the Apriora candidate(s) with this e-mail. */
async function* reportsOfCandidate(apriora: AprioraClient, email: string, signal: AbortSignal, warn: (message: string) => void): AsyncGenerator<ReportRef> {
  const wanted = email.toLowerCase();
  const candidates = (await apriora.getCandidates({ email }, signal)).filter((candidate) => candidate.email.trim().toLowerCase() === wanted);
  if (!candidates.length) {
    warn(`Apriora has no candidate with e-mail ${email}`);
    return;
  }
  for (const candidate of candidates) yield* refs(await apriora.getReports({ candidateId: candidate.candidateId }, signal));
}

/** Oldest completion first; each ref carries its position when it is known (the report's own, never another's). */
function* refs(reports: Report[], position?: Position): Generator<ReportRef> {
  const ordered = [...reports].sort((a, b) => a.timeCompleted - b.timeCompleted || a.reportId.localeCompare(b.reportId));
  for (const report of ordered) {
    yield position && report.positionId === position.positionId ? { reportId: report.reportId, report, position } : { reportId: report.reportId, report };
  }
}

/** Each report once, whatever the source. */
async function* deduplicated(source: AsyncIterable<ReportRef>): AsyncGenerator<ReportRef> {
  const seen = new Set<string>();
  for await (const ref of source) {
    if (seen.has(ref.reportId)) continue;
    seen.add(ref.reportId);
    yield ref;
  }
}
