import type { Candidate } from '../apriora/schemas.js';
import { ConflictError } from '../errors.js';
import { cleanText } from '../lib/sanitize.js';
import type { WriteLedger } from '../store/write-ledger.js';
import type { TrackerClient } from '../tracker/client.js';
import type { RecordRow } from '../tracker/schemas.js';
import { ACTIVITY_STATUS, type ActivityContent, isActivityFor } from './activity-content.js';
import { isUncertainWrite, MAX_WRITE_ATTEMPTS } from './failures.js';
import { markedActivities } from './tracker-index.js';

/**
 * The Tracker reads and writes of a report's push, shared by the look-up-per-report path (./push-activity.ts) and
 * the indexed one (./push-indexed.ts).
 */

/** A failure with its own item code. */
export class PushFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One line of a candidate's data as Tracker gets it: control characters removed. */
export const oneLine = (value: string): string => cleanText(value).trim();

export function fullNameOf(candidate: Candidate): string {
  return `${oneLine(candidate.firstName)} ${oneLine(candidate.lastName)}`.trim();
}

/** The write lock (and ledger) key of a candidate e-mail. */
export function emailLockKey(email: string): string {
  return `email:${oneLine(email).toLowerCase()}`;
}

/** The Tracker candidate the push uses: found, or created now (id null: a dry run's new candidate). */
export interface Found {
  id: number | null;
  created: boolean;
  duplicateIds?: number[];
}

/** What was written, and the activity's id (the oldest when doubled; null for a dry run's create). */
export type Written = { status: 'created' | 'updated' | 'skipped'; activityId: number | null; candidateId: number; duplicateIds?: number[] };

/**
 * The Tracker candidate with this e-mail (`apriora help api`, Tracker): checkPerson says whether a resource exists and
 * gives a full name; getRecords searches names only, so the rows named so are read and the one whose e-mail matches
 * (ignoring case) is kept. Undefined when Tracker has no candidate with that e-mail.
 */
export async function findTrackerCandidate(tracker: TrackerClient, email: string, fallbackName?: string): Promise<number | undefined> {
  const person = await tracker.checkPerson({ email });
  if (!person.recordTypes.toUpperCase().includes('R')) return undefined;
  const wanted = email.trim().toLowerCase();
  // firstRecord may describe a contact or user of the same e-mail (C and U come first): try the report's name too.
  const names = [...new Set([person.firstRecord?.fullname, fallbackName].map((name) => name?.trim() ?? '').filter(Boolean))];
  for (const name of names) {
    for await (const row of tracker.iterateRecords({ recordtype: 'R', searchtext: name, numrecords: 100 })) {
      const rowEmail = row.details.email;
      if (typeof rowEmail === 'string' && rowEmail.trim().toLowerCase() === wanted) return row.id;
    }
  }
  throw new PushFailure(
    'tracker_candidate_unresolved',
    `Tracker has a candidate with e-mail ${email}, but none of the candidates named ${names.map((n) => `"${n}"`).join(' or ') || '(no name)'} has that e-mail`,
  );
}

/** The ids of every Tracker candidate named `fullname` whose e-mail is `email` (ignoring case), oldest first. */
export async function candidateIdsByEmail(tracker: TrackerClient, email: string, fullname: string): Promise<number[]> {
  const wanted = email.trim().toLowerCase();
  const ids: number[] = [];
  for await (const row of tracker.iterateRecords({ recordtype: 'R', searchtext: fullname, numrecords: 100 })) {
    const rowEmail = row.details.email;
    if (typeof rowEmail === 'string' && rowEmail.trim().toLowerCase() === wanted) ids.push(row.id);
  }
  return ids.sort((a, b) => a - b);
}

/**
 * The Tracker candidate with the e-mail, created when there is none (the caller holds the e-mail's write lock, so the
 * look-up here is fresh). A create is read back: should another machine have created one too, `duplicateIds` lists
 * them all and the oldest is used, the one every writer picks.
 */
export async function findOrCreateCandidate(
  tracker: TrackerClient,
  candidate: Candidate,
  jobId: number | null,
  dryRun: boolean,
  ledger?: WriteLedger,
): Promise<Found> {
  const email = oneLine(candidate.email);
  const existing = await findTrackerCandidate(tracker, email, fullNameOf(candidate) || email);
  if (existing !== undefined) return { id: existing, created: false };
  if (dryRun) return { id: null, created: true };
  const { unconfirmed: _, ...made } = await recorded(
    ledger,
    [emailLockKey(email)],
    (result) => result.id,
    () => createCandidate(tracker, candidate, jobId, true),
  );
  return made;
}

/**
 * A write recorded in the write ledger (src/store/write-ledger.ts), by the holder of the keys' locks: marked pending
 * before, stamped after, so that a process holding an index of Tracker looks these keys up again.
 */
export async function recorded<T>(ledger: WriteLedger | undefined, keys: string[], idOf: (result: T) => number | null, write: () => Promise<T>): Promise<T> {
  for (const key of keys) ledger?.writing(key);
  const result = await write();
  for (const key of keys) ledger?.written(key, idOf(result));
  return result;
}

/**
 * Creates the Tracker candidate (the caller found none, under the e-mail's write lock). With `readBack`, the create is
 * read back by e-mail among the candidates of that name: should another machine have created one too, `duplicateIds`
 * lists them all and the oldest is used, the one every writer picks. Without it, `unconfirmed` says that the caller
 * reads it back itself.
 */
export async function createCandidate(
  tracker: TrackerClient,
  candidate: Candidate,
  jobId: number | null,
  readBack: boolean,
): Promise<Found & { id: number; unconfirmed?: boolean }> {
  const email = oneLine(candidate.email);
  const fullname = fullNameOf(candidate) || email;
  const resource = {
    firstname: oneLine(candidate.firstName) || fullname,
    lastname: oneLine(candidate.lastName),
    fullname,
    email,
    source: 'Apriora',
  };
  const listing = jobId === null ? {} : { assigntoopportunity: jobId, assigntolist: 'long' as const };
  for (let attempt = 1; ; attempt++) {
    try {
      const created = await tracker.createResource(resource, listing);
      if (!readBack) return { id: created.recordId, created: true, unconfirmed: true };
      // Read back by e-mail among the candidates of that name (the name this push gave it).
      const ids = await candidateIdsByEmail(tracker, email, fullname);
      const all = ids.includes(created.recordId) ? ids : [...ids, created.recordId];
      const twice = doubled(all);
      return { id: twice.duplicateIds?.[0] ?? created.recordId, created: true, ...twice };
    } catch (error) {
      if (error instanceof ConflictError) {
        // Someone created the candidate meanwhile (status 3): use theirs.
        const theirs = await findTrackerCandidate(tracker, email, fullname);
        if (theirs !== undefined) return { id: theirs, created: false };
        throw new PushFailure('tracker_candidate_unresolved', `Tracker says a candidate with e-mail ${email} exists, but it cannot be found by e-mail`);
      }
      if (!isUncertainWrite(error) || attempt >= MAX_WRITE_ATTEMPTS) throw error;
      // The answer was lost: look before creating again; what is found is also the read-back.
      const landed = await candidateIdsByEmail(tracker, email, fullname);
      if (landed.length > 0) {
        const twice = doubled(landed);
        return { id: twice.duplicateIds?.[0] ?? landed[0]!, created: true, ...twice };
      }
    }
  }
}

/**
 * Creates the report's activity. Resolves to undefined once Tracker took it, or to the report's marked activities when
 * an answer was lost and the look-up made before writing again found them (that look-up is also the read-back).
 */
export async function createActivityRecord(tracker: TrackerClient, reportId: string, wanted: ActivityContent): Promise<RecordRow[] | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      await tracker.createActivity(wanted.activity, wanted.customfields);
      return undefined;
    } catch (error) {
      if (!isUncertainWrite(error) || attempt >= MAX_WRITE_ATTEMPTS) throw error;
      // The answer was lost: Tracker may have committed the activity. Look before writing again.
      const landed = await markedActivities(tracker, reportId);
      if (landed.length > 0) return landed;
    }
  }
}

export function created(rows: RecordRow[]): Omit<Written, 'candidateId'> {
  const ids = rows.map((row) => row.id);
  return { status: 'created', activityId: ids.length ? Math.min(...ids) : null, ...doubled(ids) };
}

/** `{ duplicateIds }` (sorted) when there is more than one id. */
export function doubled(ids: number[]): { duplicateIds?: number[] } {
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  return unique.length > 1 ? { duplicateIds: unique } : {};
}

/**
 * The report's activity among the marked ones: the oldest on this candidate, else the oldest anywhere (the e-mail
 * now resolves to another candidate record): one report never gets a second activity.
 */
export function pickActivity(rows: RecordRow[], reportId: string, candidateId: number): RecordRow | undefined {
  let linked: RecordRow | undefined;
  let elsewhere: RecordRow | undefined;
  for (const row of rows) {
    if (isActivityFor(row, reportId, candidateId)) {
      if (!linked || row.id < linked.id) linked = row;
    } else if (!elsewhere || row.id < elsewhere.id) {
      elsewhere = row;
    }
  }
  return linked ?? elsewhere;
}

/** Activity list rows are not documented to carry the note [O]: read the activity itself when the row has none. */
export async function activityNoteOf(tracker: TrackerClient, activityId: number): Promise<unknown> {
  const record = (await tracker.getIndividualRecord('A', activityId)) as Record<string, unknown>;
  return record.note;
}

/** Updating to the same values twice does no harm, so a lost answer is simply tried again. */
export async function updateActivity(tracker: TrackerClient, recordid: number, wanted: ActivityContent): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await tracker.updateRecord({
        recordtype: 'A',
        recordid,
        updates: [
          { column: 'subject', value: wanted.activity.subject },
          { column: 'note', value: wanted.activity.note ?? '' },
          { column: 'taskstatus', value: wanted.activity.status ?? ACTIVITY_STATUS },
        ],
        customfields: wanted.customfields,
      });
      return;
    } catch (error) {
      if (!isUncertainWrite(error) || attempt >= MAX_WRITE_ATTEMPTS) throw error;
    }
  }
}
