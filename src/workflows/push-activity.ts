import type { AprioraClient } from '../apriora/client.js';
import { invitedTrackerId, type Position } from '../apriora/partner.js';
import type { Candidate, Report } from '../apriora/schemas.js';
import { NotFoundError } from '../errors.js';
import { failedPushItem, type PushItem } from '../lib/items.js';
import { ReadAhead } from '../lib/read-ahead.js';
import type { FieldMap, FieldTypes } from '../store/profiles.js';
import type { WriteLedger } from '../store/write-ledger.js';
import type { WriteLock } from '../store/write-lock.js';
import type { TrackerClient } from '../tracker/client.js';
import {
  type ActivityContent,
  activityMatches,
  activitySubject,
  buildActivity,
  interviewKey,
  interviewKeysIn,
  isSafePositionId,
  isSafeReportId,
  linkedCandidateId,
  trackerJobId,
} from './activity-content.js';
import { type BulkCallbacks, type BulkRun, type BulkSlot, runBulk } from './bulk.js';
import { itemError } from './failures.js';
import { withKeyLock } from './keyed-lock.js';
import { pushWithIndex } from './push-indexed.js';
import { type ItemScope, PushSession } from './push-session.js';
import {
  activityNoteOf,
  createActivityRecord,
  created,
  doubled,
  emailLockKey,
  type Found,
  findOrCreateCandidate,
  oneLine,
  PushFailure,
  pickActivity,
  recorded,
  updateActivity,
  type Written,
} from './push-tracker.js';
import { type ReportRef, type ReportSelector, reportSource } from './report-sources.js';
import { interviewMarkedActivities, markedActivities, oldestInvitation } from './tracker-index.js';

export { activityMarker } from './activity-content.js';
export { PushSession } from './push-session.js';
export { findTrackerCandidate } from './push-tracker.js';

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
 *
 * Many reports at once (a bulk run, the listener) share a session (./push-session.ts): the look-ups come from an index
 * read in list pages, the re-check under the lock from the write ledger of this machine's processes, and the
 * read-backs from shared scans of the newest records (./push-indexed.ts).
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
  /** Shared by the pushes of a bulk run or of the listener: the index, the shared read-backs, what Apriora said. */
  session?: PushSession | undefined;
}

export interface PushOptions {
  dryRun: boolean;
  /** The report when the caller has just read it (bulk sources): saves reading it again. */
  report?: Report;
  /** The report's position when the caller has it: saves reading it. */
  position?: Position;
  /**
   * The candidate as a webhook gave it: when it is the report's candidate and Tracker's index (a session's) already
   * knows the e-mail, the Apriora candidate is not read. Otherwise it is ignored: the report decides.
   */
  candidateHint?: { candidateId: string; email: string };
}

/**
 * Pushes one report: reads it, finds or creates the Tracker candidate, then creates, updates or skips the one
 * activity carrying the report's marker. Never throws: failures are items. Pushes of the same report id run one at
 * a time within this process. `slot`: the bulk run's place of this push, given back while it only waits.
 */
export async function pushReport(deps: PushDeps, reportId: string, options: PushOptions, slot?: BulkSlot): Promise<PushItem> {
  const item = failedPushItem(reportId);
  try {
    return await withKeyLock(`report:${reportId}`, async () => {
      const scope = deps.session?.begin(slot);
      try {
        return await push(deps, reportId, options, item, scope);
      } finally {
        scope?.end();
      }
    });
  } catch (error) {
    return { ...item, status: 'failed', error: itemError(error) };
  }
}

async function push(deps: PushDeps, reportId: string, options: PushOptions, item: PushItem, scope: ItemScope | undefined): Promise<PushItem> {
  const { tracker, apriora, session } = deps;
  if (!isSafeReportId(reportId)) {
    throw new PushFailure('invalid_report_id', `The report id ${JSON.stringify(reportId)} cannot be written as a Tracker marker; nothing was written`);
  }
  const report = options.report?.reportId === reportId ? options.report : await readReport(apriora, reportId);
  if (!report || report.reportId !== reportId) throw new PushFailure('report_not_found', `Apriora has no report ${reportId}`);

  const [candidate, position] = await Promise.all([
    session ? sessionCandidate(session, report, options.candidateHint) : aprioraCandidate(apriora, report),
    options.position?.positionId === report.positionId ? knownPosition(deps, options.position) : readPosition(deps, report.positionId),
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
  // The subject carries the interview's marker too, with the Tracker record the activity is on (the invitation's
  // activity, if any, becomes this one).
  const wantedFor = (candidateId: number): ActivityContent => ({
    ...draft,
    activity: { ...draft.activity, linkRecordId: candidateId, subject: activitySubject(report, position.title, candidateId) },
  });
  // The invitation may be recorded on another Tracker record with this e-mail (Tracker allows two): the one
  // Apriora's invitation names, when it names one.
  const invitedRecord = async (): Promise<number | undefined> => {
    const invitations = await apriora.listInvitations({ positionId: report.positionId, email: candidate.email });
    const invitation = invitations.find((i) => i.positionId === report.positionId && i.email.trim().toLowerCase() === candidate.email.trim().toLowerCase());
    return invitation && invitedTrackerId(invitation);
  };
  const invitedElsewhere = (foundId: number) => async (): Promise<number | undefined> => {
    const other = await invitedRecord();
    return other === foundId ? undefined : other;
  };
  const finish = (found: Found, written: Written | undefined): PushItem => {
    item.trackerCandidateId = found.id;
    item.candidateCreated = found.created;
    if (!written) return { ...item, status: 'created' }; // dry run: a new candidate has no activity yet
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
  };

  const acts = session && scope ? await session.activities() : undefined;
  if (session && scope && acts) {
    const { found, written } = await pushWithIndex(
      { session, acts, scope, tracker, writeLock: deps.writeLock, dryRun: options.dryRun },
      {
        reportId,
        candidate,
        jobId: item.jobId,
        positionId: isSafePositionId(report.positionId) ? report.positionId : undefined,
        wantedFor,
        invitedRecord,
      },
    );
    return finish(found, written);
  }

  const emailKey = emailLockKey(candidate.email);
  const ledger = options.dryRun ? undefined : deps.writeLock?.ledger;
  const found = await withKeyLock(emailKey, () =>
    underWriteLock(deps, options, emailKey, () => findOrCreateCandidate(tracker, candidate, item.jobId, options.dryRun, ledger)),
  );
  if (found.id === null) return finish(found, undefined);
  const foundId = found.id;
  const interview = isSafePositionId(report.positionId)
    ? { positionId: report.positionId, key: `interview:${interviewKey(report.positionId, foundId)}` }
    : undefined;
  const written = await underWriteLock(deps, options, `report:${reportId}`, () =>
    writeActivity(tracker, ledger, reportId, foundId, wantedFor, options.dryRun, (write) =>
      interview
        ? underWriteLock(deps, options, interview.key, () => write(interview.positionId, invitedElsewhere(foundId)))
        : write(undefined, invitedElsewhere(foundId)),
    ),
  );
  return finish(found, written);
}

/** The report's Apriora candidate. */
async function aprioraCandidate(apriora: AprioraClient, report: Report): Promise<Candidate | undefined> {
  return (await apriora.getCandidates({ candidateId: report.candidateId })).find((c) => c.candidateId === report.candidateId);
}

/**
 * The report's candidate in a session: the webhook's e-mail when the index knows it (no Apriora read: its name is only
 * needed to create a candidate, and this one exists), else what Apriora says.
 */
async function sessionCandidate(session: PushSession, report: Report, hint: PushOptions['candidateHint']): Promise<Candidate | undefined> {
  // A hint about another candidate (a changed or forged delivery) never chooses the record.
  const email = hint?.candidateId === report.candidateId ? hint.email.trim() : undefined;
  if (email) {
    const index = await session.candidates();
    if (index && index.idsOf(email).length > 0) return { candidateId: report.candidateId, email, firstName: '', lastName: '', resumeUrl: null };
  }
  return session.aprioraCandidate(report);
}

/** Runs a look-up-then-write under the key's write lock (dry runs write nothing and take none). */
function underWriteLock<T>(deps: PushDeps, options: PushOptions, key: string, fn: () => Promise<T>): Promise<T> {
  if (options.dryRun) return fn();
  if (!deps.writeLock) throw new Error('pushReport: a write needs the write lock');
  return deps.writeLock.run(key, () => {
    deps.session?.checkStopped(); // a bulk run stopped (Ctrl-C) starts no further write
    return fn();
  });
}

/**
 * The report's activity, under its write lock: looked up now (a look-up made before the lock was taken could be
 * stale: another process may have written meanwhile), then skipped, updated or created; a create is read back.
 */
async function writeActivity(
  tracker: TrackerClient,
  ledger: WriteLedger | undefined,
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
    if (!dryRun)
      await recorded(
        ledger,
        keysOf(reportId, wanted),
        () => existing.id,
        () => updateActivity(tracker, existing.id, wanted),
      );
    return { status: 'updated', activityId: existing.id, candidateId: onCandidate, ...twice };
  }
  // No activity of this report yet: the invitation's activity of this interview, if `interview invite` wrote one,
  // is completed instead of creating a second (one activity per interview). Looked up, and the activity written,
  // under the interview's lock, which `interview invite` takes too.
  return underInterviewLock(async (positionId, invitedElsewhere) => {
    // The invitation's activity on `onCandidate`, completed with the report (recorded in the ledger).
    const complete = async (invitation: { id: number }, onCandidate: number): Promise<Written> => {
      const wanted = wantedFor(onCandidate);
      if (!dryRun) {
        await recorded(
          ledger,
          keysOf(reportId, wanted),
          () => invitation.id,
          () => updateActivity(tracker, invitation.id, wanted),
        );
      }
      return { status: 'updated', activityId: invitation.id, candidateId: onCandidate };
    };
    const invited = positionId === undefined ? undefined : oldestInvitation(await interviewMarkedActivities(tracker, positionId, candidateId));
    if (invited) return complete(invited, candidateId);
    const elsewhere = positionId === undefined ? undefined : await invitedElsewhere();
    const theirs = elsewhere !== undefined && oldestInvitation(await interviewMarkedActivities(tracker, positionId!, elsewhere));
    if (elsewhere !== undefined && theirs) return complete(theirs, elsewhere);
    if (dryRun) return { status: 'created', activityId: null, candidateId };
    const wanted = wantedFor(candidateId);
    return recorded(
      ledger,
      keysOf(reportId, wanted),
      (result) => result.activityId,
      async () => {
        // Read back: another machine (no lock reaches it) may have created the report's activity at the same time.
        const landed = await createActivityRecord(tracker, reportId, wanted);
        return { ...created(landed ?? (await markedActivities(tracker, reportId))), candidateId };
      },
    );
  });
}

/** The ledger keys of writing a report's activity: the report, and the interviews whose marker its subject carries. */
function keysOf(reportId: string, wanted: ActivityContent): string[] {
  return [`report:${reportId}`, ...interviewKeysIn(wanted.activity.subject).map((key) => `interview:${key}`)];
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
        `the activity is on ${item.trackerCandidateId ?? candidateIds[0]}; merge the others into it in Tracker`,
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

/** A position the caller gave: remembered for the run's other reports. */
function knownPosition(deps: PushDeps, position: Position): Position {
  if (deps.positions && !deps.positions.has(position.positionId)) deps.positions.set(position.positionId, Promise.resolve(position));
  return position;
}

// ---------------------------------------------------------------------------------------------------------------
// Bulk

/** Below this many reports a run looks each one up, as a single push does: an index would cost more than it saves. */
export const INDEX_FROM_REPORTS = 10;
/** Reports read ahead of the pushes, so that the index's budget knows how many are coming. */
const READ_AHEAD_REPORTS = 1_000;

/**
 * Every report the selector names, pushed with at most `concurrency` at once; positions are read once per run. From
 * INDEX_FROM_REPORTS reports on, the run shares a session: Tracker is read in list pages instead of per report.
 */
export function pushReports(
  deps: Omit<PushDeps, 'positions' | 'session'>,
  selector: ReportSelector,
  options: {
    dryRun: boolean;
    warn: (message: string) => void;
    /** The selector's reports already listed (by listReports, to count them before asking): not read again. */
    listed?: ReportRef[];
  },
  run: BulkCallbacks<PushItem>,
): Promise<BulkRun> {
  if (options.listed) run.onTotal(options.listed.length);
  else if (selector.kind === 'ids') run.onTotal(selector.reportIds.length);
  const refs = options.listed ? fromList(options.listed) : reportSource(deps.apriora, selector, run.signal, options.warn);
  const source = new ReadAhead(refs, READ_AHEAD_REPORTS, run.signal);
  return (async () => {
    const session = (await source.reaches(INDEX_FROM_REPORTS))
      ? new PushSession({
          tracker: deps.tracker,
          apriora: deps.apriora,
          writeLock: deps.writeLock,
          concurrency: run.concurrency,
          demand: () => source.seen,
          signal: run.signal,
          detach: true,
        })
      : undefined;
    const shared: PushDeps = { ...deps, positions: new Map<string, Promise<Position>>(), session };
    return runBulk(
      source,
      (ref: ReportRef & { position?: Position }, slot) =>
        pushReport(shared, ref.reportId, { dryRun: options.dryRun, report: ref.report, ...(ref.position ? { position: ref.position } : {}) }, slot),
      run,
    );
  })();
}

/**
 * Every report the selector names, read before anything is written: what a confirmation counts. Report ids are not
 * read (the push reads each one).
 */
export async function listReports(
  apriora: AprioraClient,
  selector: ReportSelector,
  signal: AbortSignal,
  warn: (message: string) => void,
): Promise<ReportRef[]> {
  const refs: ReportRef[] = [];
  for await (const ref of reportSource(apriora, selector, signal, warn)) refs.push(ref);
  return refs;
}

async function* fromList(refs: ReportRef[]): AsyncGenerator<ReportRef> {
  yield* refs;
}
