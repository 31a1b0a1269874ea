import type { AprioraClient } from '../apriora/client.js';
import { invitedTrackerId, type Position } from '../apriora/partner.js';
import type { Candidate, Report } from '../apriora/schemas.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { failedPushItem, type PushItem } from '../lib/items.js';
import { cleanText } from '../lib/sanitize.js';
import type { FieldMap, FieldTypes } from '../store/profiles.js';
import type { WriteLock } from '../store/write-lock.js';
import type { TrackerClient } from '../tracker/client.js';
import type { RecordRow } from '../tracker/schemas.js';
import {
  ACTIVITY_STATUS,
  type ActivityContent,
  activityMatches,
  activitySubject,
  buildActivity,
  hasInterviewMarker,
  hasMarker,
  interviewKey,
  interviewMarkerSearchText,
  isActivityFor,
  isSafePositionId,
  isSafeReportId,
  linkedCandidateId,
  markerSearchText,
  reportMarkersIn,
  trackerJobId,
} from './activity-content.js';
import { type BulkCallbacks, type BulkRun, runBulk } from './bulk.js';
import { isUncertainWrite, itemError, MAX_WRITE_ATTEMPTS } from './failures.js';
import { withKeyLock } from './keyed-lock.js';
import { type ReportSelector, reportSource } from './report-sources.js';

export { activityMarker } from './activity-content.js';

/**
 * Report → Tracker: the candidate (found by e-mail, created when missing) and one "Apriora Interview" activity per
 * report. No local database: the activity's subject carries a stable marker with the report id (`apriora help
 * results`), so every push looks the marker up first, then creates, updates or skips.
 *
 * Never twice: on this machine, the look-up and the write of a report run under its write lock (`report:<id>`), and
 * those of a new candidate under `email:<e-mail>`, so two pushes, or the listener and a push, cannot both find
 * nothing and both create; the look-up that decides is the one made after the lock is taken. Across machines no lock
 * reaches: after each create the record is read back, and a second one carrying the same marker (or e-mail) makes
 * the item `duplicate`, with every id, instead of a silent double; so does a look-up that finds the marker twice.
 */

export type { PushItem };
export type PushStatus = PushItem['status'];

export interface PushDeps {
  tracker: TrackerClient;
  apriora: AprioraClient;
  /** Tracker customfield ids (as the profile stores them: numeric strings). */
  fieldMap: FieldMap;
  /** The mapped fields' Tracker types (the profile's); without them every field is taken as Text. */
  fieldTypes?: FieldTypes | undefined;
  /** The activity type's name, e.g. "Apriora Interview". */
  activityType: string;
  /** Optional: positions already read in this run (bulk runs share positions between reports). */
  positions?: Map<string, Promise<Position>>;
  /**
   * Serializes the writes of one report (`report:<id>`) and of one new candidate (`email:<e-mail>`) across every
   * process of the profile (src/store/write-lock.ts; tests pass an in-memory KeyedLock). Null only for dry runs,
   * which write nothing.
   */
  writeLock: WriteLock | null;
}

export interface PushOptions {
  dryRun: boolean;
  /** The report when the caller has just read it (bulk sources): saves reading it again. */
  report?: Report;
  /** The report's position when the caller has it: used instead of reading it (when it is the report's). */
  position?: Position;
  /** The candidate's e-mail as a webhook gave it; the report's candidate stays authoritative. */
  candidateEmail?: string;
}

/** A failure with its own item code. */
class PushFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Pushes one report: reads it, finds or creates the Tracker candidate, then creates, updates or skips the one
 * activity carrying the report's marker. Never throws: failures are items. Pushes of the same report id run one at
 * a time within this process.
 */
export async function pushReport(deps: PushDeps, reportId: string, options: PushOptions): Promise<PushItem> {
  const item = failedPushItem(reportId);
  try {
    return await withKeyLock(`report:${reportId}`, () => push(deps, reportId, options, item));
  } catch (error) {
    return { ...item, status: 'failed', error: itemError(error) };
  }
}

async function push(deps: PushDeps, reportId: string, options: PushOptions, item: PushItem): Promise<PushItem> {
  const { tracker, apriora } = deps;
  if (!isSafeReportId(reportId)) {
    throw new PushFailure('invalid_report_id', `The report id ${JSON.stringify(reportId)} cannot be written as a Tracker marker; nothing was written`);
  }
  const report = options.report?.reportId === reportId ? options.report : await readReport(apriora, reportId);
  if (!report || report.reportId !== reportId) throw new PushFailure('report_not_found', `Apriora has no report ${reportId}`);

  const [candidate, position] = await Promise.all([
    apriora.getCandidates({ candidateId: report.candidateId }).then((list) => list.find((c) => c.candidateId === report.candidateId)),
    options.position?.positionId === report.positionId ? options.position : readPosition(deps, report.positionId),
  ]);
  if (!candidate) throw new PushFailure('candidate_not_found', `Apriora has no candidate ${report.candidateId} (of report ${reportId})`);
  if (!candidate.email.trim())
    throw new PushFailure('candidate_email_missing', `Apriora's candidate ${candidate.candidateId} has no e-mail: the Tracker candidate cannot be found`);
  item.candidateEmail = candidate.email;
  item.jobId = trackerJobId(position);
  item.subject = activitySubject(report, position.title);
  // Built and checked before anything is written: a report whose activity Tracker cannot take gets no candidate either.
  const draft = buildActivity(report, {
    jobTitle: position.title,
    activityType: deps.activityType,
    candidateId: 0,
    fieldMap: deps.fieldMap,
    fieldTypes: deps.fieldTypes,
  });

  const emailKey = `email:${oneLine(candidate.email).toLowerCase()}`;
  const found = await withKeyLock(emailKey, () =>
    underWriteLock(deps, options, emailKey, () => findOrCreateCandidate(tracker, candidate, item.jobId, options.dryRun)),
  );
  item.trackerCandidateId = found.id;
  item.candidateCreated = found.created;
  if (found.id === null) return { ...item, status: 'created' }; // dry run: a new candidate has no activity yet

  // The subject carries the interview's marker too, with the Tracker record the activity is on (the invitation's
  // activity, if any, becomes this one).
  const wantedFor = (candidateId: number): ActivityContent => ({
    ...draft,
    activity: { ...draft.activity, linkRecordId: candidateId, subject: activitySubject(report, position.title, candidateId) },
  });
  const interview = isSafePositionId(report.positionId)
    ? { positionId: report.positionId, key: `interview:${interviewKey(report.positionId, found.id)}` }
    : undefined;
  // The invitation may be recorded on another Tracker record with this e-mail (Tracker allows two): the one
  // Apriora's invitation names, when it names one.
  const invitedElsewhere = async (): Promise<number | undefined> => {
    const invitations = await apriora.listInvitations({ positionId: report.positionId, email: candidate.email });
    const invitation = invitations.find((i) => i.positionId === report.positionId && i.email.trim().toLowerCase() === candidate.email.trim().toLowerCase());
    const other = invitation && invitedTrackerId(invitation);
    return other === found.id ? undefined : other;
  };
  const written = await underWriteLock(deps, options, `report:${reportId}`, () =>
    writeActivity(tracker, reportId, found.id!, wantedFor, options.dryRun, (write) =>
      interview ? underWriteLock(deps, options, interview.key, () => write(interview.positionId, invitedElsewhere)) : write(undefined, invitedElsewhere),
    ),
  );
  return withDuplicates(
    // The record the activity is on: the e-mail's, or another record of that e-mail that the invitation names.
    {
      ...item,
      status: written.status,
      activityId: written.activityId,
      trackerCandidateId: written.candidateId,
      subject: wantedFor(written.candidateId).activity.subject,
    },
    found.duplicateIds,
    written.duplicateIds,
    reportId,
    oneLine(candidate.email),
  );
}

/** Runs a look-up-then-write under the key's write lock (dry runs write nothing and take none). */
function underWriteLock<T>(deps: PushDeps, options: PushOptions, key: string, fn: () => Promise<T>): Promise<T> {
  if (options.dryRun) return fn();
  if (!deps.writeLock) throw new Error('pushReport: a write needs the write lock');
  return deps.writeLock.run(key, fn);
}

/**
 * The report's activity, under its write lock: looked up now (a look-up made before the lock was taken could be
 * stale: another process may have written meanwhile), then skipped, updated or created; a create is read back.
 */
/** What was written, and the activity's id (the oldest when doubled; null for a dry run's create). */
type Written = { status: 'created' | 'updated' | 'skipped'; activityId: number | null; candidateId: number; duplicateIds?: number[] };

async function writeActivity(
  tracker: TrackerClient,
  reportId: string,
  candidateId: number,
  wantedFor: (candidateId: number) => ActivityContent,
  dryRun: boolean,
  underInterviewLock: (write: (positionId: string | undefined, invitedElsewhere: () => Promise<number | undefined>) => Promise<Written>) => Promise<Written>,
): Promise<Written> {
  const marked = await markedActivities(tracker, reportId);
  const existing = pickActivity(marked, reportId, candidateId);
  if (existing) {
    // A double found earlier stays reported (never silent) until a person deletes the extra ones in Tracker.
    const twice = doubled(marked.map((row) => row.id));
    // Rewritten for the record it is on (found by the report's marker: perhaps another record of the e-mail).
    const onCandidate = linkedCandidateId(existing) ?? candidateId;
    const wanted = wantedFor(onCandidate);
    const note = typeof existing.details.note === 'string' ? existing.details.note : await activityNoteOf(tracker, existing.id);
    if (activityMatches({ subject: existing.details.subject ?? existing.name, note, customfields: existing.customfields }, wanted)) {
      return { status: 'skipped', activityId: existing.id, candidateId: onCandidate, ...twice };
    }
    if (!dryRun) await updateActivity(tracker, existing.id, wanted);
    return { status: 'updated', activityId: existing.id, candidateId: onCandidate, ...twice };
  }
  // No activity of this report yet: the invitation's activity of this interview, if `interview invite` wrote one,
  // is completed instead of creating a second (one activity per interview). Looked up, and the activity written,
  // under the interview's lock, which `interview invite` takes too.
  return underInterviewLock(async (positionId, invitedElsewhere) => {
    const invited = positionId === undefined ? undefined : await invitationActivity(tracker, positionId, candidateId);
    if (invited) {
      if (!dryRun) await updateActivity(tracker, invited.id, wantedFor(candidateId));
      return { status: 'updated', activityId: invited.id, candidateId };
    }
    const elsewhere = positionId === undefined ? undefined : await invitedElsewhere();
    const theirs = elsewhere !== undefined && (await invitationActivity(tracker, positionId!, elsewhere));
    if (elsewhere !== undefined && theirs) {
      if (!dryRun) await updateActivity(tracker, theirs.id, wantedFor(elsewhere));
      return { status: 'updated', activityId: theirs.id, candidateId: elsewhere };
    }
    return { ...(await createActivity(tracker, reportId, wantedFor(candidateId), dryRun)), candidateId };
  });
}

async function createActivity(tracker: TrackerClient, reportId: string, wanted: ActivityContent, dryRun: boolean): Promise<Omit<Written, 'candidateId'>> {
  if (dryRun) return { status: 'created', activityId: null };

  for (let attempt = 1; ; attempt++) {
    try {
      await tracker.createActivity(wanted.activity, wanted.customfields);
      break;
    } catch (error) {
      if (!isUncertainWrite(error) || attempt >= MAX_WRITE_ATTEMPTS) throw error;
      // The answer was lost: Tracker may have committed the activity. Look before writing again; what is found is
      // also the read-back.
      const landed = await markedActivities(tracker, reportId);
      if (landed.length > 0) return created(landed);
    }
  }
  // Read back: another machine (no lock reaches it) may have created the report's activity at the same time.
  return created(await markedActivities(tracker, reportId));
}

function created(rows: RecordRow[]): Omit<Written, 'candidateId'> {
  const ids = rows.map((row) => row.id);
  return { status: 'created', activityId: ids.length ? Math.min(...ids) : null, ...doubled(ids) };
}

/** `{ duplicateIds }` (sorted) when there is more than one id. */
function doubled(ids: number[]): { duplicateIds?: number[] } {
  const unique = [...new Set(ids)].sort((a, b) => a - b);
  return unique.length > 1 ? { duplicateIds: unique } : {};
}

/** A push that found its record twice in Tracker: status `duplicate`, the ids, and what to do about it. */
function withDuplicates(item: PushItem, candidateIds: number[] | undefined, activityIds: number[] | undefined, reportId: string, email: string): PushItem {
  if (!candidateIds && !activityIds) return item;
  const problems: string[] = [];
  if (activityIds) {
    problems.push(
      `Tracker has ${activityIds.length} activities for report ${reportId} (${activityIds.join(', ')}), e.g. pushed by another machine at the same time: ` +
        `keep ${activityIds[0]} (pushes update the oldest) and delete the others in Tracker`,
    );
  }
  if (candidateIds) {
    problems.push(
      `Tracker has ${candidateIds.length} candidates with e-mail ${email} (${candidateIds.join(', ')}), e.g. created by another machine at the same time: ` +
        `the activity is on ${candidateIds[0]}; merge the others into it in Tracker`,
    );
  }
  return {
    ...item,
    status: 'duplicate',
    error: { code: activityIds ? 'duplicate_activity' : 'duplicate_candidate', message: problems.join('; ') },
    duplicates: { ...(activityIds ? { activityIds } : {}), ...(candidateIds ? { candidateIds } : {}) },
  };
}

async function readReport(apriora: AprioraClient, reportId: string): Promise<Report | undefined> {
  try {
    return (await apriora.getReports({ reportId })).find((report) => report.reportId === reportId);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined; // an empty list is the documented answer; a 404 means the same
    throw error;
  }
}

function readPosition(deps: PushDeps, positionId: string): Promise<Position> {
  if (!deps.positions) return deps.apriora.getPosition(positionId);
  let pending = deps.positions.get(positionId);
  if (!pending) {
    pending = deps.apriora.getPosition(positionId);
    pending.catch(() => deps.positions?.delete(positionId)); // a failed read is not remembered
    deps.positions.set(positionId, pending);
  }
  return pending;
}

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

/** One line of a candidate's data as Tracker gets it: control characters removed. */
const oneLine = (value: string): string => cleanText(value).trim();

function fullNameOf(candidate: Candidate): string {
  return `${oneLine(candidate.firstName)} ${oneLine(candidate.lastName)}`.trim();
}

/**
 * The Tracker candidate with the e-mail, created when there is none (under the e-mail's write lock, so the look-up
 * here is fresh). A create is read back: should another machine have created one too, `duplicateIds` lists them all
 * and the oldest is used, the one every writer picks.
 */
async function findOrCreateCandidate(
  tracker: TrackerClient,
  candidate: Candidate,
  jobId: number | null,
  dryRun: boolean,
): Promise<{ id: number | null; created: boolean; duplicateIds?: number[] }> {
  const email = oneLine(candidate.email);
  const fullname = fullNameOf(candidate) || email;
  const existing = await findTrackerCandidate(tracker, email, fullname);
  if (existing !== undefined) return { id: existing, created: false };
  if (dryRun) return { id: null, created: true };

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

/** The ids of every Tracker candidate named `fullname` whose e-mail is `email` (ignoring case), oldest first. */
async function candidateIdsByEmail(tracker: TrackerClient, email: string, fullname: string): Promise<number[]> {
  const wanted = email.trim().toLowerCase();
  const ids: number[] = [];
  for await (const row of tracker.iterateRecords({ recordtype: 'R', searchtext: fullname, numrecords: 100 })) {
    const rowEmail = row.details.email;
    if (typeof rowEmail === 'string' && rowEmail.trim().toLowerCase() === wanted) ids.push(row.id);
  }
  return ids.sort((a, b) => a - b);
}

/** Every activity whose subject carries the report's exact marker. */
async function markedActivities(tracker: TrackerClient, reportId: string): Promise<RecordRow[]> {
  const rows: RecordRow[] = [];
  for await (const row of tracker.iterateRecords({ recordtype: 'A', searchtext: markerSearchText(reportId), includecustomfields: true, numrecords: 100 })) {
    if (hasMarker(row, reportId)) rows.push(row);
  }
  return rows;
}

/**
 * The activity `interview invite` wrote for this interview and no report has completed yet: the oldest activity
 * carrying the interview's marker and no report marker. Undefined when there is none.
 */
async function invitationActivity(tracker: TrackerClient, positionId: string, candidateId: number): Promise<RecordRow | undefined> {
  let oldest: RecordRow | undefined;
  for await (const row of tracker.iterateRecords({
    recordtype: 'A',
    searchtext: interviewMarkerSearchText(positionId, candidateId),
    includecustomfields: true,
    numrecords: 100,
  })) {
    if (!hasInterviewMarker(row, positionId, candidateId)) continue;
    const subject = typeof row.details.subject === 'string' ? row.details.subject : row.name;
    if (reportMarkersIn(subject).length > 0) continue; // completed by another report of the same interview
    if (!oldest || row.id < oldest.id) oldest = row;
  }
  return oldest;
}

/**
 * The report's activity among the marked ones: the oldest on this candidate, else the oldest anywhere (the e-mail
 * now resolves to another candidate record): one report never gets a second activity.
 */
function pickActivity(rows: RecordRow[], reportId: string, candidateId: number): RecordRow | undefined {
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
async function activityNoteOf(tracker: TrackerClient, activityId: number): Promise<unknown> {
  const record = (await tracker.getIndividualRecord('A', activityId)) as Record<string, unknown>;
  return record.note;
}

/** Updating to the same values twice does no harm, so a lost answer is simply tried again. */
async function updateActivity(tracker: TrackerClient, recordid: number, wanted: ActivityContent): Promise<void> {
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

/** Every report the selector names, pushed with at most `concurrency` at once; positions are read once per run. */
export function pushReports(
  deps: Omit<PushDeps, 'positions'>,
  selector: ReportSelector,
  options: { dryRun: boolean; warn: (message: string) => void },
  run: BulkCallbacks<PushItem>,
): Promise<BulkRun> {
  if (selector.kind === 'ids') run.onTotal(selector.reportIds.length);
  const shared: PushDeps = { ...deps, positions: new Map<string, Promise<Position>>() };
  return runBulk(
    reportSource(deps.apriora, selector, run.signal, options.warn),
    (ref) => pushReport(shared, ref.reportId, { dryRun: options.dryRun, report: ref.report, position: ref.position }),
    run,
  );
}
