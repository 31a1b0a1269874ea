import type { z } from 'zod';
import { RemoteError } from '../errors.js';
import type { WriteLedger } from '../store/write-ledger.js';
import type { GetRecordsQuery, TrackerClient } from '../tracker/client.js';
import type { RecordRow, recordsPage } from '../tracker/schemas.js';

type RecordsPage = z.infer<typeof recordsPage>;

import {
  hasInterviewMarker,
  hasMarker,
  interviewKey,
  interviewKeysIn,
  interviewMarkerSearchText,
  linkedCandidateId,
  markerSearchText,
  reportMarkersIn,
  subjectOf,
} from './activity-content.js';

/**
 * What a run that pushes many reports knows of Tracker, read in list pages instead of one look-up per report: the
 * marked "Apriora Interview" activities (by report marker and by interview marker) and the candidates (by e-mail).
 *
 * An index is read at one moment (`snapshotAt`) and kept up to date with what this process writes. Whether it is
 * still right about one key (`report:<id>`, `interview:<pos>/<cand>`, `email:<e-mail>`) when that key is about to be
 * written is asked of the write ledger that every process of this machine keeps beside the write locks: a key
 * written since the index knew it is looked up in Tracker again (one request), any other key is answered by the
 * index. Writers on other machines are not in the ledger: the read-back after each create reports their doubles.
 */

const PAGE_SIZE = 100;
/** What getRecords searches for to find every marked activity (the markers without their brackets). */
export const MARKED_SEARCH_TEXT = 'apriora:';

/**
 * Which keys an index is still right about. Without a ledger, the index is trusted when nothing is written (dry
 * runs), and never otherwise.
 */
export class Freshness {
  private readonly known = new Map<string, number>();
  /** Keys the index is known to be wrong about until they are looked up again. */
  private readonly doubted = new Set<string>();

  constructor(
    /** When the index was read (before its first page was asked for). */
    readonly snapshotAt: number,
    private readonly ledger: WriteLedger | undefined,
    private readonly trustWithoutLedger: boolean,
  ) {}

  /** Whether no process of this machine has written `key` since the index last knew it. */
  current(key: string): boolean {
    if (this.doubted.has(key)) return false;
    if (!this.ledger) return this.trustWithoutLedger;
    const entry = this.ledger.latest(key);
    if (!entry) return true;
    if (entry.pending) return false;
    return entry.at < (this.known.get(key) ?? this.snapshotAt);
  }

  /** The index now holds what Tracker had for `key` at `at` (a look-up started then, or a write stamped just before). */
  knownAt(key: string, at: number): void {
    this.doubted.delete(key);
    if (at > (this.known.get(key) ?? this.snapshotAt)) this.known.set(key, at);
  }

  /** The index's answer for `key` is wrong (e.g. its record is gone): look it up again before trusting it. */
  doubt(key: string): void {
    this.doubted.add(key);
  }
}

export interface IndexOptions {
  ledger: WriteLedger | undefined;
  trustWithoutLedger: boolean;
  now?: () => number;
}

// ---------------------------------------------------------------------------------------------------------------
// Activities

/** The part of an activity row a push compares and writes: id, subject, note (when the row has one), fields, link. */
function slimActivity(row: RecordRow): RecordRow {
  const subject = subjectOf(row);
  const details: Record<string, unknown> = { subject };
  if (typeof row.details.note === 'string') details.note = row.details.note;
  const candidateId = linkedCandidateId(row);
  if (candidateId !== undefined) details.resourceid = candidateId;
  return {
    id: row.id,
    name: subject,
    company: '',
    status: '',
    dateopened: '',
    details,
    customfields: row.customfields.map((field) => ({ id: field.id, value: field.value })),
  };
}

/** Every marked activity of Tracker, by the report and interview markers in its subject. */
export class ActivityIndex {
  private readonly rows = new Map<number, RecordRow>();
  private readonly byReport = new Map<string, Set<number>>();
  private readonly byInterview = new Map<string, Set<number>>();
  /** The highest activity id read: a later scan reads down to it (ids grow). */
  watermark = 0;
  /** When a scan last began (the build, or a read-back). */
  lastScanAt: number;
  private readonly scans = new DownScan();

  private constructor(readonly freshness: Freshness) {
    this.lastScanAt = freshness.snapshotAt;
  }

  /** An empty index and the read that fills it: every marked activity, oldest id first, page by page. */
  static start(tracker: TrackerClient, options: IndexOptions): { index: ActivityIndex; read: PagedRead } {
    const index = new ActivityIndex(new Freshness((options.now ?? Date.now)(), options.ledger, options.trustWithoutLedger));
    const query = { recordtype: 'A', searchtext: MARKED_SEARCH_TEXT, includecustomfields: true, sortfield: 'id', sortdir: 'asc' } as const;
    return { index, read: new PagedRead(tracker, query, (row) => index.add(row, true)) };
  }

  /**
   * Adds or replaces a row (an activity whose subject changed moves between markers). Only rows of a scan (`scanned`)
   * raise the watermark: a row found by a look-up may be newer than others not read yet.
   */
  add(row: RecordRow, scanned = false): void {
    this.remove(row.id);
    if (scanned && row.id > this.watermark) this.watermark = row.id;
    const slim = slimActivity(row);
    const subject = subjectOf(slim);
    const reports = reportMarkersIn(subject);
    const interviews = interviewKeysIn(subject);
    if (reports.length === 0 && interviews.length === 0) return;
    this.rows.set(row.id, slim);
    for (const reportId of reports) addTo(this.byReport, reportId, row.id);
    for (const key of interviews) addTo(this.byInterview, key, row.id);
  }

  private remove(id: number): void {
    const old = this.rows.get(id);
    if (!old) return;
    this.rows.delete(id);
    const subject = subjectOf(old);
    for (const reportId of reportMarkersIn(subject)) removeFrom(this.byReport, reportId, id);
    for (const key of interviewKeysIn(subject)) removeFrom(this.byInterview, key, id);
  }

  /** The activities carrying the report's exact marker, oldest first. */
  forReport(reportId: string): RecordRow[] {
    return this.pick(this.byReport.get(reportId)).filter((row) => hasMarker(row, reportId));
  }

  /** The activities carrying the interview's exact marker, oldest first. */
  forInterview(positionId: string, candidateId: number): RecordRow[] {
    return this.pick(this.byInterview.get(interviewKey(positionId, candidateId))).filter((row) => hasInterviewMarker(row, positionId, candidateId));
  }

  /** What a look-up of the report's marker found (started at `at`): those rows, and no other, carry it. */
  replaceReport(reportId: string, rows: RecordRow[], at: number): void {
    for (const row of this.forReport(reportId)) this.remove(row.id);
    for (const row of rows) this.add(row);
    this.freshness.knownAt(`report:${reportId}`, at);
  }

  /** What a look-up of the interview's marker found (started at `at`). */
  replaceInterview(positionId: string, candidateId: number, rows: RecordRow[], at: number): void {
    for (const row of this.forInterview(positionId, candidateId)) this.remove(row.id);
    for (const row of rows) this.add(row);
    this.freshness.knownAt(`interview:${interviewKey(positionId, candidateId)}`, at);
  }

  /** An activity this process has just rewritten: its new subject, note and fields. */
  updated(id: number, content: { subject: string; note: string; customfields: { id: number; value: unknown }[]; candidateId: number }): void {
    const row: RecordRow = {
      id,
      name: content.subject,
      company: '',
      status: '',
      dateopened: '',
      details: { subject: content.subject, note: content.note, resourceid: content.candidateId },
      customfields: content.customfields.map((field) => ({ id: field.id, value: field.value as string | number })),
    };
    this.add(row);
  }

  /**
   * The marked activities created since the last scan: the newest first, down to the watermark (usually one page).
   * Returns how many rows were new.
   */
  async scanNew(tracker: TrackerClient, now: () => number = Date.now): Promise<number> {
    const startedAt = now();
    const query = { recordtype: 'A', searchtext: MARKED_SEARCH_TEXT, includecustomfields: true, sortfield: 'id', sortdir: 'desc' } as const;
    const rows = await this.scans.read(tracker, query, this.watermark);
    for (const row of rows) this.add(row, true);
    this.lastScanAt = startedAt;
    return rows.length;
  }

  get size(): number {
    return this.rows.size;
  }

  private pick(ids: Set<number> | undefined): RecordRow[] {
    if (!ids) return [];
    return [...ids]
      .sort((a, b) => a - b)
      .map((id) => this.rows.get(id))
      .filter((row): row is RecordRow => row !== undefined);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Candidates

const emailKey = (email: string): string => email.trim().toLowerCase();

/** Every Tracker candidate's id by e-mail (ignoring case), oldest first. */
export class CandidateIndex {
  private readonly byEmail = new Map<string, number[]>();
  watermark = 0;
  private readonly scans = new DownScan();

  private constructor(readonly freshness: Freshness) {}

  /** An empty index and the read that fills it: every candidate, oldest id first, page by page. */
  static start(tracker: TrackerClient, options: IndexOptions): { index: CandidateIndex; read: PagedRead } {
    const index = new CandidateIndex(new Freshness((options.now ?? Date.now)(), options.ledger, options.trustWithoutLedger));
    return { index, read: new PagedRead(tracker, { recordtype: 'R', sortfield: 'id', sortdir: 'asc' }, (row) => index.addRow(row)) };
  }

  private addRow(row: RecordRow): void {
    if (row.id > this.watermark) this.watermark = row.id;
    if (typeof row.details.email === 'string' && row.details.email.trim()) this.add(row.details.email, row.id);
  }

  /** The ids of the candidates with this e-mail, oldest first. */
  idsOf(email: string): number[] {
    return this.byEmail.get(emailKey(email)) ?? [];
  }

  /** Forgets the e-mail's records (one of them is gone from Tracker). */
  forget(email: string): void {
    this.byEmail.delete(emailKey(email));
  }

  add(email: string, id: number): void {
    const key = emailKey(email);
    const ids = this.byEmail.get(key) ?? [];
    if (!ids.includes(id)) {
      ids.push(id);
      ids.sort((a, b) => a - b);
    }
    this.byEmail.set(key, ids);
  }

  /** The candidates created since the last scan, newest first, down to the watermark. */
  async scanNew(tracker: TrackerClient): Promise<number> {
    const rows = await this.scans.read(tracker, { recordtype: 'R', sortfield: 'id', sortdir: 'desc' }, this.watermark);
    for (const row of rows) this.addRow(row);
    return rows.length;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Paging

type ListQuery = Omit<GetRecordsQuery, 'pagenum' | 'recordid' | 'numrecords'>;

/**
 * Every row of an oldest-first query, page after page (the next page asked for while one is consumed), read up to a
 * page budget at a time: a read stopped at its budget goes on from where it stopped once the budget has grown. New
 * records only add rows at the end; a record deleted meanwhile would shift the pages, so going on starts by reading
 * the last page again and starts over when it changed. Each part begins by asking for the page just past the budget:
 * a list longer than the budget costs that one request, not the budget.
 */
export class PagedRead {
  /** Pages read. */
  pages = 0;
  complete = false;
  /** The budget found too small by the last probe (0: none was). */
  private tooLongFor = 0;
  private lastIds: number[] = [];

  constructor(
    private readonly tracker: TrackerClient,
    private readonly query: ListQuery,
    private readonly onRow: (row: RecordRow) => void,
  ) {}

  /** The pages a read stopped at its budget is known to need more than: it goes on once the budget has outgrown them. */
  get reach(): number {
    return Math.max(this.pages, this.tooLongFor);
  }

  /**
   * Reads on while `budget()` allows another page. Resolves true once every row was read, false when stopped at the
   * budget, and 'shifted' when the pages moved since the last call (the read must start over).
   */
  async continue(budget: () => number, signal?: AbortSignal): Promise<boolean | 'shifted'> {
    if (this.complete) return true;
    const fetchPage = (pagenum: number): Promise<RecordsPage> => {
      const pending = this.tracker.getRecords({ ...this.query, numrecords: PAGE_SIZE, pagenum }, signal);
      pending.catch(() => {}); // awaited below; an abandoned read-ahead must not go unhandled
      return pending;
    };
    const limit = budget();
    if (this.pages + 1 > limit) return false;
    if ((await fetchPage(limit)).results.length > 0) {
      this.tooLongFor = limit;
      return false;
    }
    if (this.pages > 0) {
      const again = await fetchPage(this.pages - 1);
      if (again.results.map((row) => row.id).join() !== this.lastIds.join()) return 'shifted';
    }
    let next: Promise<RecordsPage> | undefined = fetchPage(this.pages);
    while (next) {
      const page: RecordsPage = await next;
      const full = page.results.length >= PAGE_SIZE;
      const withinBudget = this.pages + 2 <= budget();
      next = full && withinBudget ? fetchPage(this.pages + 1) : undefined;
      const ids = page.results.map((row) => row.id);
      if (ids.length > 0 && ids[0] === this.lastIds[0]) {
        // A server that ignores pagenum would otherwise make this loop forever.
        throw new RemoteError(`Tracker returned page ${this.pages} of getRecords again: paging is not working`, { code: 'paging_stuck' });
      }
      for (const row of page.results) this.onRow(row);
      this.pages++;
      this.lastIds = ids;
      if (!full) {
        this.complete = true;
        return true;
      }
    }
    return false;
  }
}

/**
 * The rows of a newest-first query down to (not including) `watermark`. Stopping at the watermark is only right when
 * the rows do come newest first: a server that ignores `sortdir` or `pagenum` is refused (`scan_unordered`,
 * `paging_stuck`), and the caller reads what it needs some other way.
 */
async function readDown(tracker: TrackerClient, query: ListQuery, watermark: number): Promise<RecordRow[]> {
  const rows: RecordRow[] = [];
  let previousFirst: number | undefined;
  let previousIds = new Set<number>();
  let below = Number.POSITIVE_INFINITY;
  for (let pagenum = 0; ; pagenum++) {
    const page = await tracker.getRecords({ ...query, numrecords: PAGE_SIZE, pagenum });
    if (page.results.length > 0 && page.results[0]!.id === previousFirst) {
      throw new RemoteError(`Tracker returned page ${pagenum - 1} of getRecords again: paging is not working`, { code: 'paging_stuck' });
    }
    // A record created meanwhile pushes the last rows of the previous page onto this one: already read, not disorder.
    let shifted = 0;
    while (shifted < page.results.length && previousIds.has(page.results[shifted]!.id)) shifted++;
    const fresh = page.results.slice(shifted);
    const ids = fresh.map((row) => row.id);
    // The whole page is checked before any row is taken: one out of order may hide below the watermark.
    for (const id of ids) {
      if (id >= below) {
        throw new RemoteError('Tracker did not return the newest records first (getRecords ignored sortdir): the scan cannot stop at what it read before', {
          code: 'scan_unordered',
        });
      }
      below = id;
    }
    previousFirst = page.results[0]?.id;
    previousIds = new Set(page.results.map((row) => row.id));
    for (const row of fresh) {
      if (row.id <= watermark) return rows;
      rows.push(row);
    }
    if (page.results.length < PAGE_SIZE) return rows;
  }
}

/** Scans of the newest rows, given up for good once the server showed that it does not answer them newest first. */
class DownScan {
  private broken: unknown;

  async read(tracker: TrackerClient, query: ListQuery, watermark: number): Promise<RecordRow[]> {
    if (this.broken) throw this.broken;
    try {
      return await readDown(tracker, query, watermark);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === 'scan_unordered' || code === 'paging_stuck') this.broken = error;
      throw error;
    }
  }
}

function addTo(map: Map<string, Set<number>>, key: string, id: number): void {
  const ids = map.get(key);
  if (ids) ids.add(id);
  else map.set(key, new Set([id]));
}

function removeFrom(map: Map<string, Set<number>>, key: string, id: number): void {
  const ids = map.get(key);
  if (!ids) return;
  ids.delete(id);
  if (ids.size === 0) map.delete(key);
}

// ---------------------------------------------------------------------------------------------------------------
// Per-item look-ups (a handful of reports, and keys the ledger says were written since the index was read)

/** Every activity whose subject carries the report's exact marker. */
export async function markedActivities(tracker: TrackerClient, reportId: string): Promise<RecordRow[]> {
  const rows: RecordRow[] = [];
  for await (const row of tracker.iterateRecords({ recordtype: 'A', searchtext: markerSearchText(reportId), includecustomfields: true, numrecords: 100 })) {
    if (hasMarker(row, reportId)) rows.push(row);
  }
  return rows;
}

/** Every activity whose subject carries the interview's exact marker, whatever its status. */
export async function interviewMarkedActivities(tracker: TrackerClient, positionId: string, candidateId: number): Promise<RecordRow[]> {
  const rows: RecordRow[] = [];
  for await (const row of tracker.iterateRecords({
    recordtype: 'A',
    searchtext: interviewMarkerSearchText(positionId, candidateId),
    includecustomfields: true,
    numrecords: 100,
  })) {
    if (hasInterviewMarker(row, positionId, candidateId)) rows.push(row);
  }
  return rows;
}

/**
 * The activity `interview invite` wrote for this interview and no report has completed yet: the oldest of `rows`
 * carrying no report marker.
 */
export function oldestInvitation(rows: RecordRow[]): RecordRow | undefined {
  let oldest: RecordRow | undefined;
  for (const row of rows) {
    if (reportMarkersIn(subjectOf(row)).length > 0) continue; // completed by another report of the same interview
    if (!oldest || row.id < oldest.id) oldest = row;
  }
  return oldest;
}
