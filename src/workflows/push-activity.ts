import type { AprioraClient } from '../apriora/client.js';
import type { Position } from '../apriora/partner.js';
import type { Candidate, Report } from '../apriora/schemas.js';
import { ConflictError, NotFoundError } from '../errors.js';
import { failedPushItem, type PushItem } from '../lib/items.js';
import { cleanText } from '../lib/sanitize.js';
import type { FieldMap, FieldTypes } from '../store/profiles.js';
import type { TrackerClient } from '../tracker/client.js';
import type { RecordRow } from '../tracker/schemas.js';
import {
  ACTIVITY_STATUS,
  type ActivityContent,
  activityMatches,
  activitySubject,
  buildActivity,
  hasMarker,
  isActivityFor,
  markerSearchText,
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
}

export interface PushOptions {
  dryRun: boolean;
  /** The report when the caller has just read it (bulk sources): saves reading it again. */
  report?: Report;
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
  const report = options.report?.reportId === reportId ? options.report : await readReport(apriora, reportId);
  if (!report) throw new PushFailure('report_not_found', `Apriora has no report ${reportId}`);

  const [candidate, position] = await Promise.all([
    apriora.getCandidates({ candidateId: report.candidateId }).then((list) => list.find((c) => c.candidateId === report.candidateId)),
    readPosition(deps, report.positionId),
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

  const found = await withKeyLock(`email:${candidate.email.trim().toLowerCase()}`, () => findOrCreateCandidate(tracker, candidate, item.jobId, options.dryRun));
  item.trackerCandidateId = found.id;
  item.candidateCreated = found.created;
  if (found.id === null) return { ...item, status: 'created' }; // dry run: a new candidate has no activity yet

  const wanted: ActivityContent = { ...draft, activity: { ...draft.activity, linkRecordId: found.id } };
  const existing = await findActivity(tracker, reportId, found.id);
  if (existing) {
    const note = typeof existing.details.note === 'string' ? existing.details.note : await activityNoteOf(tracker, existing.id);
    if (activityMatches({ subject: existing.details.subject ?? existing.name, note, customfields: existing.customfields }, wanted)) {
      return { ...item, status: 'skipped' };
    }
    if (!options.dryRun) await updateActivity(tracker, existing.id, wanted);
    return { ...item, status: 'updated' };
  }
  if (options.dryRun) return { ...item, status: 'created' };

  for (let attempt = 1; ; attempt++) {
    try {
      await tracker.createActivity(wanted.activity, wanted.customfields);
      return { ...item, status: 'created' };
    } catch (error) {
      if (!isUncertainWrite(error) || attempt >= MAX_WRITE_ATTEMPTS) throw error;
      // The answer was lost: Tracker may have committed the activity. Look before writing again.
      if (await findActivity(tracker, reportId, found.id)) return { ...item, status: 'created' };
    }
  }
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

async function findOrCreateCandidate(
  tracker: TrackerClient,
  candidate: Candidate,
  jobId: number | null,
  dryRun: boolean,
): Promise<{ id: number | null; created: boolean }> {
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
      return { id: created.recordId, created: true };
    } catch (error) {
      if (error instanceof ConflictError) {
        // Someone created the candidate meanwhile (status 3): use theirs.
        const theirs = await findTrackerCandidate(tracker, email, fullname);
        if (theirs !== undefined) return { id: theirs, created: false };
        throw new PushFailure('tracker_candidate_unresolved', `Tracker says a candidate with e-mail ${email} exists, but it cannot be found by e-mail`);
      }
      if (!isUncertainWrite(error) || attempt >= MAX_WRITE_ATTEMPTS) throw error;
      const landed = await findTrackerCandidate(tracker, email, fullname);
      if (landed !== undefined) return { id: landed, created: true };
    }
  }
}

/** The activity of this report on this candidate (the oldest, should there be several). */
/**
 * The report's activity: the oldest one with its marker on this candidate, else the oldest with its marker anywhere
 * (the e-mail now resolves to another candidate record): one report never gets a second activity.
 */
async function findActivity(tracker: TrackerClient, reportId: string, candidateId: number): Promise<RecordRow | undefined> {
  let linked: RecordRow | undefined;
  let elsewhere: RecordRow | undefined;
  for await (const row of tracker.iterateRecords({ recordtype: 'A', searchtext: markerSearchText(reportId), includecustomfields: true, numrecords: 100 })) {
    if (isActivityFor(row, reportId, candidateId)) {
      if (!linked || row.id < linked.id) linked = row;
    } else if (hasMarker(row, reportId) && (!elsewhere || row.id < elsewhere.id)) {
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
    (ref) => pushReport(shared, ref.reportId, { dryRun: options.dryRun, report: ref.report }),
    run,
  );
}
