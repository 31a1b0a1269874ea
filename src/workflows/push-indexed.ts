import type { Candidate } from '../apriora/schemas.js';
import { RemoteError } from '../errors.js';
import type { WriteLock } from '../store/write-lock.js';
import type { TrackerClient } from '../tracker/client.js';
import type { RecordRow } from '../tracker/schemas.js';
import { type ActivityContent, activityMatches, interviewKey, interviewKeysIn, linkedCandidateId } from './activity-content.js';
import { retryRead } from './failures.js';
import { withKeyLock } from './keyed-lock.js';
import type { ItemScope, PushSession } from './push-session.js';
import {
  activityNoteOf,
  candidateIdsByEmail,
  createActivityRecord,
  createCandidate,
  created,
  doubled,
  emailLockKey,
  type Found,
  findOrCreateCandidate,
  findTrackerCandidate,
  fullNameOf,
  oneLine,
  pickActivity,
  updateActivity,
  type Written,
} from './push-tracker.js';
import { type ActivityIndex, type CandidateIndex, interviewMarkedActivities, markedActivities, oldestInvitation } from './tracker-index.js';

/**
 * A report's push with the session's index (./push-session.ts): the same decisions as the look-up-per-report path
 * (./push-activity.ts), taken from the index where the write ledger says it is still right, each under the same
 * write locks; creates are read back by the session's next scan of the newest activities (and candidates).
 */

export interface IndexedPush {
  session: PushSession;
  acts: ActivityIndex;
  scope: ItemScope;
  tracker: TrackerClient;
  writeLock: WriteLock | null;
  dryRun: boolean;
}

export interface ReportJob {
  reportId: string;
  candidate: Candidate;
  jobId: number | null;
  /** The interview's position, when it can be written into a marker. */
  positionId: string | undefined;
  wantedFor: (candidateId: number) => ActivityContent;
  /** Apriora's word on which Tracker record of the e-mail was invited (used when there is no candidate index). */
  invitedRecord: () => Promise<number | undefined>;
}

type Outcome = { written: Written; readBack?: { at: number | undefined; keys: string[] } };

/**
 * Pushes one report with the index: the candidate used (id null: a dry run's new one) and what was written. Tracker
 * refusing the write (status 99, e.g. the candidate record the index named was deleted or merged since it was read)
 * makes the e-mail be looked up again, once.
 */
export async function pushWithIndex(ctx: IndexedPush, job: ReportJob): Promise<{ found: Found; written?: Written }> {
  try {
    return await pushIndexedOnce(ctx, job);
  } catch (error) {
    const index = await ctx.session.candidates();
    if (!(error instanceof RemoteError) || error.code !== 'tracker_invalid_request' || !index?.idsOf(job.candidate.email).length) throw error;
    index.forget(job.candidate.email);
    index.freshness.doubt(emailLockKey(job.candidate.email));
    return pushIndexedOnce(ctx, job);
  }
}

async function pushIndexedOnce(ctx: IndexedPush, job: ReportJob): Promise<{ found: Found; written?: Written }> {
  const { session, acts } = ctx;
  const { reportId } = job;
  let peek = acts.forReport(reportId);
  if (peek.length === 0) {
    if (!(await session.freshen(acts))) await lookUpReport(ctx, reportId);
    peek = acts.forReport(reportId);
  }
  // The candidate is looked for unless the report's one activity already says which record it is on.
  let found: Found | undefined;
  let unconfirmed: CandidateIndex | undefined;
  const resolve = async (): Promise<Found> => {
    if (!found) {
      const resolved = await candidateWithIndex(ctx, job);
      found = resolved.found;
      unconfirmed = resolved.readBack;
    }
    return found;
  };
  if (peek.length !== 1 && (await resolve()).id === null) return { found: found! };

  const outcome = await lockedWrite(ctx, `report:${reportId}`, false, async (): Promise<Outcome | undefined> => {
    const rows = await reportRows(ctx, reportId);
    if (rows.length !== 1 && (await resolve()).id === null) return undefined;
    const existing = pickActivity(rows, reportId, found?.id ?? 0);
    if (existing) return rewriteExisting(ctx, job, existing, rows, resolve);
    const candidateId = (await resolve()).id;
    if (candidateId === null) return undefined;
    const { positionId } = job;
    if (positionId === undefined) return completeOrCreate(ctx, job, candidateId, undefined);
    return lockedWrite(ctx, `interview:${interviewKey(positionId, candidateId)}`, false, () => completeOrCreate(ctx, job, candidateId, positionId));
  });
  if (!outcome) return { found: found! }; // a dry run's new candidate: no activity yet

  let { written } = outcome;
  if (outcome.readBack || unconfirmed) {
    // Read back by the next scans (shared with other items): this item only waits from here on.
    if (outcome.readBack) ctx.scope.detach();
    const made = await session.scans({ activities: outcome.readBack ? acts : undefined, candidates: unconfirmed });
    if (outcome.readBack && !made.activities) await readBackAlone(job.reportId, 'activity', () => lookUpReport(ctx, reportId));
    if (unconfirmed && !made.candidates) {
      const index = unconfirmed;
      await readBackAlone(job.reportId, 'candidate', async () => {
        const email = oneLine(job.candidate.email);
        for (const id of await candidateIdsByEmail(ctx.tracker, email, fullNameOf(job.candidate) || email)) index.add(email, id);
      });
    }
  }
  if (outcome.readBack) {
    const rows = acts.forReport(reportId);
    written = { ...created(rows), candidateId: written.candidateId };
    const { at, keys } = outcome.readBack;
    if (rows.length > 0 && at !== undefined) for (const key of keys) acts.freshness.knownAt(key, at + 1);
  }
  const candidate = found ?? { id: written.candidateId, created: false };
  if (unconfirmed && candidate.id !== null) {
    // Another machine may have created the same candidate at the same time: both are then in the index.
    const twice = doubled([...unconfirmed.idsOf(job.candidate.email), candidate.id]);
    if (twice.duplicateIds) return { found: { ...candidate, duplicateIds: twice.duplicateIds }, written };
  }
  return { found: candidate, written };
}

/** The report's activity exists: skipped when it says what the report says, else rewritten. */
async function rewriteExisting(
  ctx: IndexedPush,
  job: ReportJob,
  existing: RecordRow,
  rows: RecordRow[],
  resolve: () => Promise<Found>,
): Promise<Outcome | undefined> {
  // A double found earlier stays reported (never silent) until a person deletes the extra ones in Tracker.
  const twice = doubled(rows.map((row) => row.id));
  // Rewritten for the record it is on (found by the report's marker: perhaps another record of the e-mail).
  const onCandidate = linkedCandidateId(existing) ?? (await resolve()).id;
  if (onCandidate === null) return undefined;
  const wanted = job.wantedFor(onCandidate);
  const note = typeof existing.details.note === 'string' ? existing.details.note : await activityNoteOf(ctx.tracker, existing.id);
  if (activityMatches({ subject: existing.details.subject ?? existing.name, note, customfields: existing.customfields }, wanted)) {
    return { written: { status: 'skipped', activityId: existing.id, candidateId: onCandidate, ...twice } };
  }
  if (!ctx.dryRun) await rewrite(ctx, existing.id, wanted, onCandidate, [`report:${job.reportId}`]);
  return { written: { status: 'updated', activityId: existing.id, candidateId: onCandidate, ...twice } };
}

/**
 * No activity of this report yet: the invitation's activity of this interview, if `interview invite` wrote one, is
 * completed instead of creating a second (one activity per interview); else the activity is created.
 */
async function completeOrCreate(ctx: IndexedPush, job: ReportJob, candidateId: number, positionId: string | undefined): Promise<Outcome> {
  const reportKey = `report:${job.reportId}`;
  if (positionId !== undefined) {
    const interview = `interview:${interviewKey(positionId, candidateId)}`;
    const invited = oldestInvitation(await interviewRows(ctx, positionId, candidateId));
    if (invited) {
      if (!ctx.dryRun) await rewrite(ctx, invited.id, job.wantedFor(candidateId), candidateId, [reportKey, interview]);
      return { written: { status: 'updated', activityId: invited.id, candidateId } };
    }
    const elsewhere = await invitationElsewhere(ctx, job, candidateId, positionId);
    if (elsewhere) {
      if (!ctx.dryRun) await rewrite(ctx, elsewhere.row.id, job.wantedFor(elsewhere.candidateId), elsewhere.candidateId, [reportKey]);
      return { written: { status: 'updated', activityId: elsewhere.row.id, candidateId: elsewhere.candidateId } };
    }
  }
  if (ctx.dryRun) return { written: { status: 'created', activityId: null, candidateId } };

  const wanted = job.wantedFor(candidateId);
  const keys = [reportKey, ...(positionId === undefined ? [] : [`interview:${interviewKey(positionId, candidateId)}`])];
  beforeWrite(ctx, keys);
  const landed = await createActivityRecord(ctx.tracker, job.reportId, wanted);
  const at = stamp(ctx, keys, null);
  if (landed) {
    // An answer was lost and the look-up before writing again found the activity: that look-up is the read-back.
    ctx.acts.replaceReport(job.reportId, landed, at === undefined ? ctx.session.now() : at + 1);
    return { written: { ...created(landed), candidateId } };
  }
  return { written: { status: 'created', activityId: null, candidateId }, readBack: { at, keys } };
}

/**
 * The invitation's activity of this interview on another Tracker record with the same e-mail (Tracker allows two):
 * any of them, with the candidate index; else the one Apriora's invitation names.
 */
async function invitationElsewhere(
  ctx: IndexedPush,
  job: ReportJob,
  candidateId: number,
  positionId: string,
): Promise<{ candidateId: number; row: RecordRow } | undefined> {
  const index = await ctx.session.candidates();
  const others = index ? index.idsOf(job.candidate.email) : [await job.invitedRecord()];
  for (const other of others) {
    if (other === undefined || other === candidateId) continue;
    const row = oldestInvitation(await interviewRows(ctx, positionId, other));
    if (row) return { candidateId: other, row };
  }
  return undefined;
}

/** Rewrites an activity (subject, note, status, fields) and records it: in the ledger, then in the index. */
async function rewrite(ctx: IndexedPush, id: number, wanted: ActivityContent, candidateId: number, held: string[]): Promise<void> {
  // Other processes must re-check the interviews whose marker the subject carries, too (invitations look for them).
  const keys = [...new Set([...held, ...interviewKeysIn(wanted.activity.subject).map((key) => `interview:${key}`)])];
  beforeWrite(ctx, keys);
  await updateActivity(ctx.tracker, id, wanted);
  const at = stamp(ctx, keys, id);
  ctx.acts.updated(id, { subject: wanted.activity.subject, note: wanted.activity.note ?? '', customfields: wanted.customfields, candidateId });
  // Right about the keys whose lock this push holds; the others are looked up again if they are asked about.
  if (at !== undefined) for (const key of held) ctx.acts.freshness.knownAt(key, at + 1);
}

/**
 * The Tracker candidate with the e-mail: from the index when it has one; else, under the e-mail's write lock, looked
 * up (only if the ledger says the e-mail was written since the index was read) and created when missing. A create is
 * read back later, with the activity (`readBack`); Tracker refuses a second candidate of an e-mail (status 3).
 */
async function candidateWithIndex(ctx: IndexedPush, job: ReportJob): Promise<{ found: Found; readBack?: CandidateIndex }> {
  const { session } = ctx;
  const { candidate } = job;
  const key = emailLockKey(candidate.email);
  const index = await session.candidates();
  if (!index) {
    return {
      found: await lockedWrite(ctx, key, true, () => {
        if (!ctx.dryRun) session.checkStopped();
        return findOrCreateCandidate(ctx.tracker, candidate, job.jobId, ctx.dryRun, ctx.dryRun ? undefined : session.ledger);
      }),
    };
  }
  const email = oneLine(candidate.email);
  const known = index.idsOf(email);
  if (known.length > 0) return { found: { id: known[0]!, created: false } };

  let unconfirmed = false;
  const found = await lockedWrite(ctx, key, true, async (): Promise<Found> => {
    if (!index.freshness.current(key)) {
      const at = session.now();
      const theirs = await findTrackerCandidate(ctx.tracker, email, fullNameOf(candidate) || email);
      if (theirs !== undefined) index.add(email, theirs);
      index.freshness.knownAt(key, at);
    }
    const ids = index.idsOf(email);
    if (ids.length > 0) return { id: ids[0]!, created: false };
    if (ctx.dryRun) return { id: null, created: true };
    beforeWrite(ctx, [key]);
    const { unconfirmed: later, ...made } = await createCandidate(ctx.tracker, candidate, job.jobId, false);
    const at = stamp(ctx, [key], made.id);
    for (const id of [made.id, ...(made.duplicateIds ?? [])]) index.add(email, id);
    if (at !== undefined) index.freshness.knownAt(key, at + 1);
    unconfirmed = Boolean(later);
    return made;
  });
  return unconfirmed ? { found, readBack: index } : { found };
}

/** Looks the report's marked activities up in Tracker, into the index. */
async function lookUpReport(ctx: IndexedPush, reportId: string): Promise<void> {
  const at = ctx.session.now();
  ctx.acts.replaceReport(reportId, await markedActivities(ctx.tracker, reportId), at);
}

/**
 * Reads a create back on its own, when the shared scan could not be made: a double from another machine is still
 * found. Should that fail too, the item fails saying what was written.
 */
async function readBackAlone(reportId: string, what: 'activity' | 'candidate', read: () => Promise<void>): Promise<void> {
  try {
    await retryRead(read);
  } catch (error) {
    const written =
      what === 'activity' ? `The activity of report ${reportId} was written` : `The candidate and the activity of report ${reportId} were written`;
    throw new RemoteError(
      `${written} but could not be read back to check for doubles (${(error as Error).message}); running the command again finds it and does not write it twice`,
      { code: 'read_back_failed', cause: error },
    );
  }
}

/** The report's marked activities: the index's, or Tracker's when another process has written the report since. */
async function reportRows(ctx: IndexedPush, reportId: string): Promise<RecordRow[]> {
  if (!ctx.acts.freshness.current(`report:${reportId}`)) await lookUpReport(ctx, reportId);
  return ctx.acts.forReport(reportId);
}

/** The interview's marked activities: the index's, or Tracker's when another process has written the interview since. */
async function interviewRows(ctx: IndexedPush, positionId: string, candidateId: number): Promise<RecordRow[]> {
  if (!ctx.acts.freshness.current(`interview:${interviewKey(positionId, candidateId)}`)) {
    const at = ctx.session.now();
    ctx.acts.replaceInterview(positionId, candidateId, await interviewMarkedActivities(ctx.tracker, positionId, candidateId), at);
  }
  return ctx.acts.forInterview(positionId, candidateId);
}

/**
 * Runs `fn` under the key's write lock (and, with `inProcess`, first the process's own lock of the key: e-mails,
 * which different reports share); dry runs take no write lock.
 */
function lockedWrite<T>(ctx: IndexedPush, key: string, inProcess: boolean, fn: () => Promise<T>): Promise<T> {
  const take = (inner: () => Promise<T>): Promise<T> => {
    const underFileLock = (): Promise<T> => {
      if (ctx.dryRun) return inner();
      if (!ctx.writeLock) throw new Error('pushReport: a write needs the write lock');
      return ctx.writeLock.run(key, inner);
    };
    return inProcess ? withKeyLock(key, underFileLock) : underFileLock();
  };
  return take(fn);
}

/** No write once the run is stopped; the keys are marked in the ledger as being written. */
function beforeWrite(ctx: IndexedPush, keys: string[]): void {
  ctx.session.checkStopped();
  const ledger = ctx.session.ledger;
  for (const key of keys) ledger?.writing(key);
}

/** Stamps the keys written in the ledger; the time, or undefined without a ledger. */
function stamp(ctx: IndexedPush, keys: string[], id: number | null): number | undefined {
  const ledger = ctx.session.ledger;
  if (!ledger) return undefined;
  let at = 0;
  for (const key of keys) at = Math.max(at, ledger.written(key, id));
  return at;
}
