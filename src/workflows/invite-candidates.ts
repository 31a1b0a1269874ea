import type { AprioraClient } from '../apriora/client.js';
import { type Invitation, invitedTrackerId, type Position } from '../apriora/partner.js';
import { AppError, ConflictError, InputError, NotFoundError } from '../errors.js';
import type { ItemError } from '../lib/items.js';
import { cleanText } from '../lib/sanitize.js';
import type { WriteLock } from '../store/write-lock.js';
import type { TrackerClient } from '../tracker/client.js';
import type { RecordRow } from '../tracker/schemas.js';
import {
  buildInvitationActivity,
  hasInterviewMarker,
  interviewKey,
  interviewMarkerSearchText,
  isSafePositionId,
  reportMarkersIn,
  subjectOf,
} from './activity-content.js';
import { type BulkCallbacks, type BulkRun, type ItemStatus, runBulk } from './bulk.js';
import { confirmWrite, isUncertainWrite, itemError, MAX_WRITE_ATTEMPTS } from './failures.js';
import { jobFromRecord } from './jobs.js';
import { candidatePhone, typedPhones } from './phones.js';
import { positionOfJob } from './positions.js';
import { findTrackerCandidate } from './push-tracker.js';

/**
 * `interview invite`: Tracker candidates invited to the Apriora interview of one Tracker job, and each invitation
 * recorded in Tracker as the interview's one "Apriora Interview" activity (status Not Started, the interview's
 * marker `[apriora:<positionId>/<trackerCandidateId>]`), which the report's push later completes.
 *
 * Never twice: Apriora keeps one invitation per position and e-mail (409 `already_invited` is `exists`); a create
 * whose answer was lost is looked up (`GET /invitations?positionId&email`) before it is sent again. The activity is
 * looked up and written under the interview's write lock (`interview:<positionId>/<trackerCandidateId>`), the lock
 * `activity push` takes before it completes the same activity, and every create is read back.
 */

/** One candidate to invite: a Tracker candidate id (from an applicant row, or given), or an e-mail to resolve. */
export type CandidateRef = { candidateId: number; email?: string | undefined; name?: string | undefined; status?: string | undefined } | { email: string };

/** Why a candidate was not invited. */
export const SKIP_REASONS = {
  no_email: 'no e-mail in Tracker',
  no_phone: 'no usable phone number',
  already_interviewed: 'already took this interview',
} as const;
export type SkipReason = keyof typeof SKIP_REASONS;

export interface InviteItem {
  /** The Tracker candidate id (null when an e-mail could not be resolved to one). */
  candidateId: number | null;
  email: string | null;
  name: string | null;
  /** The E.164 number sent to Apriora (phone interviews only). */
  phone: string | null;
  invitationId: string | null;
  interviewLink: string | null;
  /** When Apriora sends the invitation (ISO 8601), when scheduled for later. */
  sendAt: string | null;
  /** The invitation's activity in Tracker: its id when known. */
  activityId: number | null;
  /** What happened to the activity: written now, found, or (dry run) would be written. Null when none was reached. */
  activity: 'created' | 'exists' | null;
  /** created: invited now; exists: already invited; skipped: not invited (see reason); failed: see error. */
  status: ItemStatus;
  reason?: { code: SkipReason; message: string };
  error?: ItemError;
  /** duplicate: the activities found with the interview's marker, oldest first. */
  duplicates?: { activityIds: number[] };
}

/** The job, its interview, and how to invite: checked once before any candidate. */
export interface InviteTarget {
  jobId: number;
  jobTitle: string;
  position: Position;
}

export interface InviteSettings {
  /** Unix seconds; undefined = now. */
  sendAt?: number | undefined;
  /** ISO 3166 alpha-2, for phone numbers typed without their country code. */
  country: string;
  activityType: string;
  dryRun: boolean;
}

export interface InviteDeps {
  tracker: TrackerClient;
  apriora: AprioraClient;
  /** Null only for dry runs, which write nothing. */
  writeLock: WriteLock | null;
  /** Unix seconds now (tests pass a fixed clock). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** The run's signal: an item that has not sent its invitation yet when it aborts sends nothing. */
  signal?: AbortSignal;
  /** Who has taken the interview already (e-mail → report id), read once per run (inviteCandidates). */
  interviewed?: () => Promise<Map<string, string>>;
}

/**
 * The e-mails (lower case) of the candidates with a report for the position, and the report: read from Apriora once
 * per run, because a report is not in Tracker until it is pushed, and nobody who took the interview is invited to it.
 */
export async function interviewedByEmail(apriora: AprioraClient, positionId: string, signal?: AbortSignal): Promise<Map<string, string>> {
  const reports = (await apriora.getReports({ positionId }, signal)).filter((report) => report.positionId === positionId);
  const taken = new Map<string, string>();
  if (reports.length === 0) return taken;
  const emails = new Map(
    (await apriora.getCandidates({ positionId }, signal)).map((candidate) => [candidate.candidateId, candidate.email.trim().toLowerCase()]),
  );
  for (const report of reports) {
    const email = emails.get(report.candidateId);
    if (email && !taken.has(email)) taken.set(email, report.reportId);
  }
  return taken;
}

/**
 * The job's interview, ready for invitations: the job exists and is open, and an Apriora position linked to it exists
 * and is not closed. Anything else is an InputError for the whole run, saying what to do.
 */
export async function inviteTarget(deps: Pick<InviteDeps, 'tracker' | 'apriora'>, jobId: number, signal?: AbortSignal): Promise<InviteTarget> {
  const generate = `apriora interview generate --job ${jobId}`;
  let record: Awaited<ReturnType<TrackerClient['getIndividualRecord']>>;
  try {
    record = await deps.tracker.getIndividualRecord('O', jobId, signal);
  } catch (error) {
    if (error instanceof NotFoundError) throw new InputError(`Tracker has no job with id ${jobId}`, { code: 'job_not_found', hint: error.hint });
    throw error;
  }
  const job = jobFromRecord(record);
  if (!(await isOpenJob(deps.tracker, jobId, record.name, signal))) {
    throw new InputError(`Tracker job ${jobId} (${job.title}) is not open (status ${job.status || 'unknown'}): its applicants are not invited`, {
      code: 'job_not_open',
      hint: 'Reopen the job in Tracker, or pick an open one: apriora tracker jobs list',
    });
  }
  const position = await positionOfJob(deps.apriora, jobId, signal);
  if (!position) {
    throw new InputError(`Tracker job ${jobId} (${job.title}) has no Apriora interview yet`, { code: 'no_interview', hint: `Create it first: ${generate}` });
  }
  if (position.status === 'closed') {
    throw new InputError(`The Apriora interview of job ${jobId} (${position.positionId}) is closed`, {
      code: 'position_closed',
      hint: `Reopen it in Apriora, or create the job's interview: ${generate}`,
    });
  }
  if (!isSafePositionId(position.positionId)) {
    throw new InputError(`The Apriora position id ${JSON.stringify(position.positionId)} cannot be written as a Tracker marker`, {
      code: 'invalid_position_id',
    });
  }
  return { jobId, jobTitle: job.title, position };
}

/**
 * Whether the job is among Tracker's open jobs. getIndividualRecord gives the status's name only, not whether it
 * counts as open; getRecords with `state: open` does, and its `searchtext` filters on the name, so the open jobs of
 * that name are read and the id looked for. (The name is cut before any `[`, which LIKE reads as a character class.)
 */
async function isOpenJob(tracker: TrackerClient, jobId: number, name: string, signal?: AbortSignal): Promise<boolean> {
  const searchtext = name.split('[')[0]!.trim();
  for await (const row of tracker.iterateRecords({ recordtype: 'O', state: 'open', searchtext, numrecords: 100 }, signal)) {
    if (row.id === jobId) return true;
  }
  return false;
}

/** A failure with its own item code. */
class InviteFailure extends AppError {
  readonly exitCode = 5;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const oneLine = (value: unknown): string => (typeof value === 'string' ? cleanText(value).trim() : typeof value === 'number' ? String(value) : '');

/** Invites one candidate and records the invitation in Tracker. Never throws: failures are items. */
export async function inviteCandidate(deps: InviteDeps, target: InviteTarget, settings: InviteSettings, ref: CandidateRef): Promise<InviteItem> {
  const item: InviteItem = {
    candidateId: 'candidateId' in ref ? ref.candidateId : null,
    email: ref.email ? oneLine(ref.email) : null,
    name: 'name' in ref && ref.name ? oneLine(ref.name) : null,
    phone: null,
    invitationId: null,
    interviewLink: null,
    sendAt: settings.sendAt ? new Date(settings.sendAt * 1000).toISOString() : null,
    activityId: null,
    activity: null,
    status: 'failed',
  };
  try {
    return await invite(deps, target, settings, ref, item);
  } catch (error) {
    if (deps.signal?.aborted && item.invitationId === null) {
      return { ...item, status: 'failed', error: { code: 'interrupted', message: 'stopped before its invitation was sent: run the command again' } };
    }
    return { ...item, status: 'failed', error: describeFailure(error, item) };
  }
}

function describeFailure(error: unknown, item: InviteItem): ItemError {
  const details = error instanceof NotFoundError ? (error.details as { recordtype?: string } | undefined) : undefined;
  if (details?.recordtype === 'R') return { code: 'candidate_not_found', message: `Tracker has no candidate with id ${item.candidateId}` };
  return itemError(error);
}

async function invite(deps: InviteDeps, target: InviteTarget, settings: InviteSettings, ref: CandidateRef, item: InviteItem): Promise<InviteItem> {
  const { tracker } = deps;
  let candidateId: number;
  if ('candidateId' in ref) candidateId = ref.candidateId;
  else {
    const found = await findTrackerCandidate(tracker, ref.email);
    if (found === undefined) throw new InviteFailure('candidate_not_found', `Tracker has no candidate with e-mail ${oneLine(ref.email)}`);
    candidateId = found;
    item.candidateId = candidateId;
  }
  const record = (await tracker.getIndividualRecord('R', candidateId, deps.signal)) as Record<string, unknown>;
  const firstName = oneLine(record.firstname);
  const lastName = oneLine(record.lastname) || oneLine(record.surname);
  const fullName = oneLine(record.fullname) || oneLine(record.name) || `${firstName} ${lastName}`.trim();
  item.name = fullName || item.name;
  const email = oneLine(record.email) || item.email || '';
  item.email = email || null;
  // Why this candidate cannot be invited, if so: said only once the interview's activity is known to be missing (an
  // invited candidate stays `exists`, whatever their phone).
  let cannot: InviteItem['reason'];
  if (!email) cannot = { code: 'no_email', message: SKIP_REASONS.no_email };
  else if (target.position.modality === 'phone') {
    const phone = candidatePhone(record, settings.country);
    if (phone) item.phone = phone.e164;
    else {
      const typed = typedPhones(record).map((value) => JSON.stringify(oneLine(value)));
      cannot = {
        code: 'no_phone',
        message: typed.length ? `${SKIP_REASONS.no_phone} (${typed.join(', ')}, read as ${settings.country})` : 'no phone number in Tracker',
      };
    }
  }

  const names = splitName(firstName, lastName, fullName, email);
  const { positionId } = target.position;
  const input = {
    positionId,
    candidate: { email, firstName: names.firstName, lastName: names.lastName, ...(item.phone ? { phone: item.phone } : {}) },
    externalCandidateId: String(candidateId),
    ...(settings.sendAt ? { sendAt: settings.sendAt } : {}),
  };
  // Look-up, invitation and activity under the interview's lock (shared with `activity push`): two runs of the
  // profile never both invite the same candidate, and one that finds the interview's activity sends nothing.
  const key = `interview:${interviewKey(positionId, candidateId)}`;
  return underWriteLock(deps, settings.dryRun, key, () => inviteUnderLock(deps, target, settings, { candidateId, email, input, cannot }, item));
}

async function inviteUnderLock(
  deps: InviteDeps,
  target: InviteTarget,
  settings: InviteSettings,
  candidate: { candidateId: number; email: string; input: Parameters<AprioraClient['createInvitation']>[0]; cannot: InviteItem['reason'] },
  item: InviteItem,
): Promise<InviteItem> {
  const { positionId } = target.position;
  const { candidateId, email } = candidate;
  deps.signal?.throwIfAborted();
  const found = await interviewActivities(deps.tracker, positionId, candidateId, deps.signal);
  if (found.length > 0) {
    // The interview's activity exists: the candidate was invited (Not Started), or has taken the interview (a report
    // completed it, or was pushed for it). Nothing is sent: Apriora would send a second invitation to someone who
    // already took the interview.
    item.activity = 'exists';
    item.activityId = found[0]!.id;
    const invitation = email ? await findInvitation(deps.apriora, positionId, email) : undefined;
    item.invitationId = invitation?.invitationId ?? null;
    item.interviewLink = invitation?.interviewLink ?? null;
    if (found.length > 1)
      return duplicateActivities(
        item,
        candidateId,
        found.map((row) => row.id),
      );
    const reports = reportMarkersIn(subjectOf(found[0]!));
    if (!invitation && reports.length > 0) {
      // Taken without an invitation (a shared link), then pushed: there is nothing left to invite to.
      return { ...item, status: 'skipped', reason: { code: 'already_interviewed', message: `${SKIP_REASONS.already_interviewed} (report ${reports[0]})` } };
    }
    return { ...item, status: 'exists' };
  }
  if (candidate.cannot) return { ...item, status: 'skipped', reason: candidate.cannot };
  const report = (await deps.interviewed?.())?.get(email.toLowerCase());
  if (report) return { ...item, status: 'skipped', reason: { code: 'already_interviewed', message: `${SKIP_REASONS.already_interviewed} (report ${report})` } };

  let invited: Invited;
  if (settings.dryRun) {
    const existing = await findInvitation(deps.apriora, positionId, email);
    invited = existing ? { status: 'exists', invitation: existing } : { status: 'created' };
  } else {
    deps.signal?.throwIfAborted(); // stopped (Ctrl-C) while this item waited: nothing new is sent
    invited = await createInvitation(deps, candidate.input);
  }
  if (invited.status === 'exists' && !invited.invitation) {
    const found = await findInvitation(deps.apriora, positionId, email);
    if (found) invited = { ...invited, invitation: found };
  }
  item.status = invited.status;
  item.invitationId = invited.invitation?.invitationId ?? invited.existingId ?? null;
  item.interviewLink = invited.invitation?.interviewLink ?? null;
  const invitedId = invited.invitation && invitedTrackerId(invited.invitation);
  if (invited.status === 'exists' && invitedId !== undefined && invitedId !== candidateId) {
    // Invited (one invitation per e-mail) as another Tracker record with this e-mail: its activity is that record's.
    return {
      ...item,
      status: 'duplicate',
      error: {
        code: 'duplicate_candidate',
        message:
          `Tracker has two candidates with e-mail ${email} (${Math.min(invitedId, candidateId)}, ${Math.max(invitedId, candidateId)}): ` +
          `the invitation was sent, and is recorded, for candidate ${invitedId}; nothing was written for ${candidateId}. Merge them in Tracker`,
      },
    };
  }

  const known = invited.invitation;
  const written = await writeInvitationActivity(deps, target, settings, { candidateId, email, phone: item.phone, invitation: known });
  item.activity = written.activity;
  item.activityId = written.activityId;
  if (written.interviewLink) item.interviewLink = written.interviewLink;
  if (written.invitationId && !item.invitationId) item.invitationId = written.invitationId;
  if (written.duplicateIds) return duplicateActivities(item, candidateId, written.duplicateIds);
  return item;
}

function duplicateActivities(item: InviteItem, candidateId: number, ids: number[]): InviteItem {
  return {
    ...item,
    status: 'duplicate',
    error: {
      code: 'duplicate_activity',
      message:
        `Tracker has ${ids.length} activities for the interview of candidate ${candidateId} (${ids.join(', ')}), ` +
        `e.g. written by another machine at the same time: keep ${ids[0]} and delete the others in Tracker`,
    },
    duplicates: { activityIds: ids },
  };
}

/** Apriora wants a first and a last name: Tracker's, else the full name split at its last space, else the e-mail's user part. */
function splitName(firstName: string, lastName: string, fullName: string, email: string): { firstName: string; lastName: string } {
  if (firstName || lastName) return { firstName: firstName || lastName, lastName: firstName ? lastName : '' };
  const space = fullName.lastIndexOf(' ');
  if (space > 0) return { firstName: fullName.slice(0, space), lastName: fullName.slice(space + 1) };
  return { firstName: fullName || email.split('@')[0]!, lastName: '' };
}

/** The invitation of this e-mail to this position, if any (Apriora compares e-mails ignoring case). */
async function findInvitation(apriora: AprioraClient, positionId: string, email: string): Promise<Invitation | undefined> {
  const wanted = email.trim().toLowerCase();
  for await (const invitation of apriora.iterateInvitations({ positionId, email })) {
    if (invitation.positionId === positionId && invitation.email.trim().toLowerCase() === wanted) return invitation;
  }
  return undefined;
}

type Invited = { status: 'created' | 'exists'; invitation?: Invitation; existingId?: string };

/**
 * `POST /invitations`: 201 → created; 409 `already_invited` → exists; a lost answer (5xx, reset, timeout) → the
 * invitation is looked up before it is sent again, so a committed one is never sent twice.
 */
async function createInvitation(deps: InviteDeps, input: Parameters<AprioraClient['createInvitation']>[0]): Promise<Invited> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { status: 'created', invitation: await deps.apriora.createInvitation(input) };
    } catch (error) {
      if (error instanceof ConflictError && error.code === 'already_invited') {
        return { status: 'exists', ...(error.existingId ? { existingId: error.existingId } : {}) };
      }
      if (!isUncertainWrite(error)) throw error;
      const landed = await confirmWrite(() => findInvitation(deps.apriora, input.positionId, input.candidate.email), error, deps.sleep);
      if (landed) return { status: 'created', invitation: landed };
      if (attempt >= MAX_WRITE_ATTEMPTS) throw error;
    }
  }
}

function underWriteLock<T>(deps: InviteDeps, dryRun: boolean, key: string, fn: () => Promise<T>): Promise<T> {
  if (dryRun) return fn();
  if (!deps.writeLock) throw new Error('inviteCandidate: a write needs the write lock');
  return deps.writeLock.run(key, fn);
}

interface ActivityWritten {
  activity: 'created' | 'exists';
  activityId: number | null;
  interviewLink?: string | null;
  invitationId?: string;
  duplicateIds?: number[];
}

/** Every activity carrying the interview's exact marker, whatever its status, oldest first. */
export async function interviewActivities(tracker: TrackerClient, positionId: string, candidateId: number, signal?: AbortSignal): Promise<RecordRow[]> {
  const rows: RecordRow[] = [];
  const query = { recordtype: 'A' as const, searchtext: interviewMarkerSearchText(positionId, candidateId), numrecords: 100 };
  for await (const row of tracker.iterateRecords(query, signal)) {
    if (hasInterviewMarker(row, positionId, candidateId)) rows.push(row);
  }
  return rows.sort((a, b) => a.id - b.id);
}

/** The invitation's activity, created as Not Started and read back (the caller found none, under the interview's lock). */
async function writeInvitationActivity(
  deps: InviteDeps,
  target: InviteTarget,
  settings: InviteSettings,
  candidate: { candidateId: number; email: string; phone: string | null; invitation: Invitation | undefined },
): Promise<ActivityWritten> {
  const { tracker } = deps;
  const { positionId } = target.position;
  if (settings.dryRun) return { activity: 'created', activityId: null };

  const { invitation } = candidate;
  const interviewLink = invitation?.interviewLink ?? target.position.interviewUrl ?? null;
  const content = buildInvitationActivity(
    {
      jobTitle: target.jobTitle,
      jobId: target.jobId,
      positionId,
      trackerCandidateId: candidate.candidateId,
      email: candidate.email,
      interviewLink,
      invitationId: invitation?.invitationId ?? null,
      sendAt: settings.sendAt,
      phone: candidate.phone ?? undefined,
    },
    { activityType: settings.activityType, now: (deps.now ?? (() => Math.floor(Date.now() / 1000)))() },
  );
  const result = (rows: RecordRow[]): ActivityWritten => {
    const ids = rows.map((row) => row.id);
    return {
      activity: 'created',
      activityId: ids[0] ?? null,
      interviewLink,
      ...(invitation ? { invitationId: invitation.invitationId } : {}),
      ...(ids.length > 1 ? { duplicateIds: ids } : {}),
    };
  };
  // Marked in the write ledger (before, and stamped after): a push holding an index of Tracker read earlier looks this
  // interview up again instead of trusting its index.
  const ledger = deps.writeLock?.ledger;
  const key = `interview:${interviewKey(positionId, candidate.candidateId)}`;
  ledger?.writing(key);
  const stamped = (rows: RecordRow[]): ActivityWritten => {
    ledger?.written(key, rows[0]?.id ?? null);
    return result(rows);
  };
  for (let attempt = 1; ; attempt++) {
    try {
      await tracker.createActivity(content.activity, content.customfields);
      break;
    } catch (error) {
      if (!isUncertainWrite(error) || attempt >= MAX_WRITE_ATTEMPTS) throw error;
      // The answer was lost: Tracker may have committed the activity. Look before writing again.
      const landed = await confirmWrite(async () => {
        const rows = await interviewActivities(tracker, positionId, candidate.candidateId);
        return rows.length > 0 ? rows : undefined;
      }, error);
      if (landed) return stamped(landed);
    }
  }
  // Read back: the id, and a double written by another machine at the same time (no lock reaches it).
  return stamped(await interviewActivities(tracker, positionId, candidate.candidateId));
}

/** Each candidate of the source invited, with at most `concurrency` at once, each reported as it completes. */
export function inviteCandidates(
  deps: InviteDeps,
  target: InviteTarget,
  settings: InviteSettings,
  candidates: AsyncIterable<CandidateRef> | Iterable<CandidateRef>,
  run: BulkCallbacks<InviteItem>,
): Promise<BulkRun> {
  let interviewed: Promise<Map<string, string>> | undefined;
  const withSignal: InviteDeps = {
    ...deps,
    signal: deps.signal ?? run.signal,
    interviewed: deps.interviewed ?? (() => (interviewed ??= interviewedByEmail(deps.apriora, target.position.positionId, run.signal))),
  };
  return runBulk(candidates, (ref) => inviteCandidate(withSignal, target, settings, ref), run);
}
