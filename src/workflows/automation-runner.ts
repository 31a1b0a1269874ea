import type { AprioraClient } from '../apriora/client.js';
import type { Automations, Position } from '../apriora/partner.js';
import type { ItemError } from '../lib/items.js';
import type { AutomationState } from '../store/automation-state.js';
import type { WriteLock } from '../store/write-lock.js';
import type { TrackerClient } from '../tracker/client.js';
import { toTrackerDateTime } from '../tracker/dates.js';
import { type ApplicantPages, type PositionedApplicant, readAllApplicants, readApplicantsAfter } from './applicant-cursor.js';
import { automationApplicant, decideInvitesWithPhones, gatherInviteData, gatherJobs } from './automation-data.js';
import { decideInterviews, type InviteDecision } from './automation-decisions.js';
import { scheduleInvite } from './automation-schedule.js';
import { itemError } from './failures.js';
import { type GenerateItem, generateInterviews } from './generate-interviews.js';
import { type InviteItem, inviteCandidate } from './invite-candidates.js';

/**
 * `automations run`: Apriora's Tracker automations executed by this tool, one cycle at a time.
 *
 * A cycle: (a) when interview creation is enabled, the open jobs created or updated since the last cycle that the
 * engine says `create` get their interview (the generate workflow: one position per job, never two); (b) when
 * invitations are enabled, the applicant rows after the cursor (all of them, every `fullScanEveryMs`) are decided by
 * the engine and each `invite` goes through inviteCandidate (one invitation, one Not Started activity, under the
 * interview's lock, read back). A failing job or candidate is reported and the cycle goes on.
 *
 * The cursor (`applicants.lastApplicationId`) only moves over rows decided for good: invited, or skipped. A row that
 * waits (its delay, a blackout) or failed holds it, so the next cycle reads it again (the rows after it cost a page
 * per ten). Before an invitation is sent, its row is written to `applicants.unfinished` in the state; a runner killed
 * at any point then finds it there and finishes it (inviteCandidate finds the invitation, 409 `already_invited`, and
 * the activity, by its marker): no duplicate, nothing skipped. A row that failed in MAX_ATTEMPTS cycles is given up
 * (reported); the next full scan tries it again.
 */

/** Cycles that may fail one row's invitation before the cursor moves past it. */
export const MAX_ATTEMPTS = 3;
/** Jobs updated this long before the previous cycle started are read again (clocks of two machines). */
export const JOBS_OVERLAP_MS = 60_000;

export interface RunnerDeps {
  tracker: TrackerClient;
  apriora: AprioraClient;
  rest: ApplicantPages;
  writeLock: WriteLock;
  /** ISO 3166 alpha-2, for phone numbers typed without their country code. */
  country: string;
  activityType: string;
  /** Epoch ms (tests pass a clock). */
  now?: () => number;
  /** Stops the cycle before its next item. */
  signal: AbortSignal;
}

export interface CycleOptions {
  /** Every row is read again when the last full scan is older than this. */
  fullScanEveryMs: number;
}

/** One line of the runner's log: an action, or a word about the cycle. */
export type RunnerEvent =
  | {
      type: 'invite';
      applicationId: number;
      jobId: number;
      candidateId: number;
      email: string | null;
      positionId: string;
      status: InviteItem['status'];
      invitationId: string | null;
      activityId: number | null;
      sendAt: string | null;
      reason?: InviteItem['reason'];
      error?: ItemError;
      /** Failed MAX_ATTEMPTS times: the cursor moves on (the next full scan tries again). */
      givenUp?: boolean;
    }
  | { type: 'interview'; jobId: number; title: string | null; status: GenerateItem['status']; positionId: string | null; error?: ItemError }
  | { type: 'error'; stage: 'interviews' | 'invites'; error: ItemError };

export interface CycleSummary {
  startedAt: string;
  finishedAt: string;
  /** Every applicant row was read. */
  fullScan: boolean;
  rowsRead: number;
  /** Applicant search requests. */
  searchRequests: number;
  /** Invitations sent. */
  invited: number;
  /** Invitations found made already (Apriora's own automation, or an earlier cycle). */
  alreadyInvited: number;
  /** Interviews created. */
  created: number;
  failed: number;
  skipped: number;
  /** Rows whose invitation is not due yet (delay). */
  waiting: number;
  /** Stopped (Ctrl-C, SIGTERM) before the end. */
  interrupted: boolean;
  automations: { invites: boolean; interviews: boolean };
}

export interface CycleResult {
  state: AutomationState;
  summary: CycleSummary;
  /** Apriora's integration, as read at the start of the cycle. */
  automations: Automations;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * One cycle. `save` is called with the new state after the interviews, before each invitation (the row marked
 * unfinished), and after the applicants: the caller writes it atomically.
 */
export async function runCycle(
  deps: RunnerDeps,
  previous: AutomationState,
  options: CycleOptions,
  onEvent: (event: RunnerEvent) => void,
  save: (state: AutomationState) => void,
): Promise<CycleResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const state: AutomationState = structuredClone(previous);
  const integration = await deps.apriora.getTrackerIntegration(deps.signal);
  const { automations } = integration;
  const summary: CycleSummary = {
    startedAt: iso(started),
    finishedAt: iso(started),
    fullScan: false,
    rowsRead: 0,
    searchRequests: 0,
    invited: 0,
    alreadyInvited: 0,
    created: 0,
    failed: 0,
    skipped: 0,
    waiting: 0,
    interrupted: false,
    automations: { invites: automations.invites.enabled, interviews: automations.interviewCreation.enabled },
  };
  state.lastCycle = { startedAt: summary.startedAt, finishedAt: null, invited: 0, created: 0, failed: 0, skipped: 0 };

  // Switched off: switched on again later, it applies to the jobs from then on.
  if (!automations.interviewCreation.enabled) state.jobs.lastCycleAt = null;
  if (automations.interviewCreation.enabled && !deps.signal.aborted) {
    try {
      await createInterviews(deps, automations, state, started, summary, onEvent);
    } catch (error) {
      if (!deps.signal.aborted) {
        summary.failed++;
        onEvent({ type: 'error', stage: 'interviews', error: itemError(error) });
      }
    }
    save(state);
  }
  if (automations.invites.enabled && !deps.signal.aborted) {
    try {
      await sendInvites(deps, automations, state, options, started, summary, onEvent, save);
    } catch (error) {
      if (!deps.signal.aborted) {
        summary.failed++;
        onEvent({ type: 'error', stage: 'invites', error: itemError(error) });
      }
    }
  }
  summary.interrupted = deps.signal.aborted;
  summary.finishedAt = iso(now());
  state.lastCycle = {
    startedAt: summary.startedAt,
    finishedAt: summary.finishedAt,
    invited: summary.invited,
    created: summary.created,
    failed: summary.failed,
    skipped: summary.skipped,
  };
  save(state);
  return { state, summary, automations };
}

/**
 * (a) Interviews for the open jobs created or updated since the last cycle. Interview creation applies to jobs created
 * or updated after it was switched on: the first cycle that finds it on only starts the clock (older open jobs:
 * `apriora interview generate --all-open`).
 */
async function createInterviews(
  deps: RunnerDeps,
  automations: Automations,
  state: AutomationState,
  started: number,
  summary: CycleSummary,
  onEvent: (event: RunnerEvent) => void,
): Promise<void> {
  if (state.jobs.lastCycleAt === null) {
    state.jobs.lastCycleAt = iso(started);
    return;
  }
  const since = Date.parse(state.jobs.lastCycleAt) - JOBS_OVERLAP_MS;
  const jobs = await gatherJobs(deps, { updatedAfter: toTrackerDateTime(new Date(since)) });
  const decisions = decideInterviews(automations.interviewCreation, jobs.values());
  const ids = decisions.filter((decision) => decision.kind === 'create').map((decision) => decision.job.id);
  let failed = 0;
  if (ids.length > 0) {
    const { interviewCreation } = automations;
    const run = await generateInterviews(
      { tracker: deps.tracker, apriora: deps.apriora },
      { modality: interviewCreation.modality, templateId: interviewCreation.templateId ?? undefined, update: false, dryRun: false },
      { ids },
      {
        concurrency: 1,
        signal: deps.signal,
        onTotal: () => {},
        onResult: (item) => {
          if (item.status === 'created') summary.created++;
          if (item.status === 'failed') {
            failed++;
            summary.failed++;
          }
          onEvent({
            type: 'interview',
            jobId: item.jobId,
            title: item.title,
            status: item.status,
            positionId: item.positionId,
            ...(item.error ? { error: item.error } : {}),
          });
        },
      },
    );
    if (run.sourceError !== undefined) throw run.sourceError;
    if (run.interrupted) return;
  }
  // A job that failed is read again next cycle: the cursor stays until every job of the window has its interview.
  if (failed === 0) state.jobs.lastCycleAt = iso(started);
}

type Outcome = 'final' | 'pending';

/** (b) Invitations for the applicant rows after the cursor (or all of them, for a full scan). */
async function sendInvites(
  deps: RunnerDeps,
  automations: Automations,
  state: AutomationState,
  options: CycleOptions,
  started: number,
  summary: CycleSummary,
  onEvent: (event: RunnerEvent) => void,
  save: (state: AutomationState) => void,
): Promise<void> {
  const cursor = state.applicants;
  const lastFull = cursor.lastFullScanAt ? Date.parse(cursor.lastFullScanAt) : undefined;
  const full = cursor.lastApplicationId === null || lastFull === undefined || started - lastFull >= options.fullScanEveryMs;
  const read = full ? await readAllApplicants(deps.rest, deps.signal) : await readApplicantsAfter(deps.rest, cursor, deps.signal);
  summary.fullScan = read.full;
  summary.rowsRead = read.rows.length;
  summary.searchRequests = read.requests;
  if (read.full) cursor.lastFullScanAt = iso(started);
  if (read.rows.length === 0) {
    save(state);
    return;
  }

  const byId = new Map<number, PositionedApplicant>(read.rows.map((entry) => [entry.row.applicationId, entry]));
  const data = await gatherInviteData(deps, {
    settings: automations.invites,
    applicants: read.rows.map((entry) => automationApplicant(entry.row)),
    now: deps.now?.() ?? Date.now(),
  });
  // As the preview decides (the same function): a phone applicant without a usable number takes no one-per-day turn.
  const { decisions } = await decideInvitesWithPhones(deps.tracker, automations.invites, data, deps.country, deps.signal);
  const outcomes = new Map<number, Outcome>();
  const positions = new Map<string, Promise<Position>>();

  for (const decision of decisions) {
    const id = decision.applicant.applicationId;
    if (deps.signal.aborted) break;
    const unfinished = Object.hasOwn(cursor.unfinished, String(id));
    if (decision.kind === 'wait') {
      summary.waiting++;
      outcomes.set(id, 'pending');
    } else if (decision.kind === 'skip' && !(unfinished && decision.reason.code === 'already_invited' && decision.job?.position)) {
      summary.skipped++;
      outcomes.set(id, 'final');
    } else {
      // An invite, or a row this runner started to invite and did not finish (killed, or failed after sending):
      // inviteCandidate finds what was done and does the rest.
      const job = decision.job!;
      // Scheduled again at the moment of sending: a long cycle may have crossed into (or out of) the blackout since the
      // decisions were made, and a sendAt must lie ahead.
      const fresh = scheduleInvite({
        appliedAt: decision.applicant.appliedAt,
        delayMinutes: automations.invites.delayMinutes,
        blackout: automations.invites.blackout,
        modality: job.position!.modality,
        now: deps.now?.() ?? Date.now(),
      });
      if (decision.kind === 'invite' && !fresh.due) {
        summary.waiting++;
        outcomes.set(id, 'pending');
        continue;
      }
      const sendAt = decision.kind === 'invite' ? fresh.sendAt : undefined;
      outcomes.set(id, await inviteOne(deps, state, job.id, job.title, job.position!.positionId, positions, decision, sendAt, summary, onEvent, save));
    }
  }

  // The cursor moves over the rows decided for good, in id order, up to the first one that is not.
  for (const entry of read.rows) {
    const id = entry.row.applicationId;
    if (outcomes.get(id) !== 'final') break;
    if (cursor.lastApplicationId === null || id > cursor.lastApplicationId || read.full) {
      cursor.lastApplicationId = id;
      cursor.rowsUpToLast = byId.get(id)!.rowsUpTo;
    }
  }
  save(state);
}

async function inviteOne(
  deps: RunnerDeps,
  state: AutomationState,
  jobId: number,
  jobTitle: string,
  positionId: string,
  positions: Map<string, Promise<Position>>,
  decision: InviteDecision,
  sendAt: number | undefined,
  summary: CycleSummary,
  onEvent: (event: RunnerEvent) => void,
  save: (state: AutomationState) => void,
): Promise<Outcome> {
  const { applicant } = decision;
  const key = String(applicant.applicationId);
  const attempts = (state.applicants.unfinished[key] ?? 0) + 1;
  state.applicants.unfinished[key] = attempts;
  save(state); // before anything is sent: a runner killed from here on finishes this row next time
  let item: InviteItem;
  try {
    let position = positions.get(positionId);
    if (!position) {
      position = deps.apriora.getPosition(positionId);
      positions.set(positionId, position);
      position.catch(() => positions.delete(positionId));
    }
    // No signal: the item in hand is finished (Ctrl-C stops before the next one).
    item = await inviteCandidate(
      { tracker: deps.tracker, apriora: deps.apriora, writeLock: deps.writeLock },
      { jobId, jobTitle, position: await position },
      { sendAt: sendAt === undefined ? undefined : Math.ceil(sendAt / 1000), country: deps.country, activityType: deps.activityType, dryRun: false },
      { candidateId: applicant.candidateId, email: applicant.email || undefined },
    );
  } catch (error) {
    item = failedItem(applicant.candidateId, applicant.email, itemError(error));
  }
  const failed = item.status === 'failed';
  const givenUp = failed && attempts >= MAX_ATTEMPTS;
  if (!failed || givenUp) delete state.applicants.unfinished[key];
  if (item.status === 'created') summary.invited++;
  else if (item.status === 'exists') summary.alreadyInvited++;
  else if (item.status === 'skipped') summary.skipped++;
  else if (failed || item.status === 'duplicate') summary.failed++;
  onEvent({
    type: 'invite',
    applicationId: applicant.applicationId,
    jobId,
    candidateId: applicant.candidateId,
    email: item.email,
    positionId,
    status: item.status,
    invitationId: item.invitationId,
    activityId: item.activityId,
    sendAt: item.sendAt,
    ...(item.reason ? { reason: item.reason } : {}),
    ...(item.error ? { error: item.error } : {}),
    ...(givenUp ? { givenUp } : {}),
  });
  return failed && !givenUp ? 'pending' : 'final';
}

function failedItem(candidateId: number, email: string, error: ItemError): InviteItem {
  return {
    candidateId,
    email: email || null,
    name: null,
    phone: null,
    invitationId: null,
    interviewLink: null,
    sendAt: null,
    activityId: null,
    activity: null,
    status: 'failed',
    error,
  };
}
