import type { AprioraClient } from '../apriora/client.js';
import type { InvitesAutomation, Position } from '../apriora/partner.js';
import { Limiter } from '../lib/limiter.js';
import type { TrackerClient } from '../tracker/client.js';
import type { Applicant } from '../tracker/rest.js';
import type { ApplicantSource } from './applicants.js';
import { type AutomationApplicant, type AutomationJob, decideInvites, type InviteContext, type InviteDecision } from './automation-decisions.js';
import { interviewedByEmail, SKIP_REASONS } from './invite-candidates.js';
import { jobFromRow, jobsQuery } from './jobs.js';
import { candidatePhone, typedPhones } from './phones.js';
import { trackerPositions } from './positions.js';

/**
 * The automations' inputs, read from Tracker and Apriora with few requests: open jobs page by page (100 a page),
 * Tracker-linked positions page by page, applicant rows in one pass over the REST pages, the invitations of the last
 * 24 h once, and, only for the interviews that have an applicant who may be invited, that interview's invitations and
 * reports.
 */

const DAY_MS = 86_400_000;
/** Apriora reads made at once for per-interview and per-candidate look-ups. */
const LOOKUPS_AT_ONCE = 4;

export interface AutomationDataDeps {
  tracker: TrackerClient;
  apriora: AprioraClient;
  /** Applicant rows: the REST client (`ctx.factory.trackerRest()`), or rows the caller read already. */
  applicants?: ApplicantSource;
  signal?: AbortSignal;
}

const norm = (value: string) => value.trim().toLowerCase();

/** An applicant row as the automations see it (appliedAt from the row's dateCreated, else lastUpdated, else 0). */
export function automationApplicant(row: Applicant): AutomationApplicant {
  const applied = Date.parse(row.appliedAt ?? row.updatedAt ?? '');
  return {
    applicationId: row.applicationId,
    jobId: row.jobId,
    candidateId: row.candidateId,
    status: row.status,
    active: row.active,
    source: row.source,
    email: row.email,
    appliedAt: Number.isNaN(applied) ? 0 : applied,
  };
}

function positionSummary(position: Position | undefined): AutomationJob['position'] {
  return position ? { positionId: position.positionId, modality: position.modality, status: position.status } : null;
}

/** Every Tracker-linked position, by Tracker job id (one request per 100). */
export async function linkedPositions(apriora: AprioraClient, signal?: AbortSignal): Promise<Map<number, Position>> {
  const byJob = new Map<number, Position>();
  for await (const position of trackerPositions(apriora, {}, signal)) {
    const jobId = Number(position.externalId);
    if (Number.isSafeInteger(jobId) && !byJob.has(jobId)) byJob.set(jobId, position);
  }
  return byJob;
}

/**
 * Tracker's open jobs (Widget getRecords O, state open, 100 a page; optionally only those updated after a Tracker
 * timestamp), each with its Apriora interview, by id in Tracker's order.
 */
export async function gatherJobs(
  deps: Pick<AutomationDataDeps, 'tracker' | 'apriora' | 'signal'>,
  options: { updatedAfter?: string; positions?: Map<number, Position> } = {},
): Promise<Map<number, AutomationJob>> {
  const rows: ReturnType<typeof jobFromRow>[] = [];
  const query = jobsQuery({ state: 'open', ...(options.updatedAfter ? { updatedAfter: options.updatedAfter } : {}) });
  for await (const row of deps.tracker.iterateRecords(query, deps.signal, { readAhead: true })) rows.push(jobFromRow(row));
  // The positions only when there is a job to match them with: an idle runner cycle (no job updated since the last
  // one) then costs one Tracker page, not a read of every Tracker-linked position.
  const positions = options.positions ?? (rows.length > 0 ? await linkedPositions(deps.apriora, deps.signal) : new Map<number, Position>());
  const jobs = new Map<number, AutomationJob>();
  for (const job of rows) {
    jobs.set(job.id, {
      id: job.id,
      title: job.title,
      location: job.location,
      type: job.type,
      client: job.client,
      status: job.status,
      open: true,
      position: positionSummary(positions.get(job.id)),
    });
  }
  return jobs;
}

export interface InviteData {
  now: number;
  jobs: Map<number, AutomationJob>;
  applicants: AutomationApplicant[];
  context: InviteContext;
  /** The interviews whose invitations and reports were read (the others have no applicant who may be invited). */
  checkedPositions: string[];
}

export interface GatherInviteOptions {
  settings: InvitesAutomation;
  /** epoch ms (default Date.now()). */
  now?: number;
  /** The open jobs, when read already (gatherJobs). */
  jobs?: Map<number, AutomationJob>;
  /** The applicants to decide on, when read already (an incremental cycle); default every row of `deps.applicants`. */
  applicants?: AutomationApplicant[];
}

/** Whether an applicant may be invited as far as the data read so far says (the checks that need no Apriora read). */
function mayBeInvited(settings: InvitesAutomation, jobs: ReadonlyMap<number, AutomationJob>, applicant: AutomationApplicant): string | undefined {
  if (!applicant.active || !norm(applicant.email)) return undefined;
  if (!settings.trigger.statuses.some((status) => norm(status) === norm(applicant.status))) return undefined;
  const job = jobs.get(applicant.jobId);
  return job?.open && job.position?.status === 'active' ? job.position.positionId : undefined;
}

/**
 * Everything decideInvites needs: the open jobs and their interviews, the applicant rows (one pass over the REST
 * pages), the invitations of the last 24 h (listed once), and for each interview with an applicant who may be
 * invited its invitations and the e-mails of those with a report.
 */
export async function gatherInviteData(deps: AutomationDataDeps, options: GatherInviteOptions): Promise<InviteData> {
  const now = options.now ?? Date.now();
  const { signal } = deps;
  const jobs = options.jobs ?? (await gatherJobs(deps));
  let applicants = options.applicants;
  if (!applicants) {
    if (!deps.applicants) throw new Error('gatherInviteData: no applicant source');
    applicants = [];
    for await (const row of deps.applicants.applicants(signal ? { signal } : {})) applicants.push(automationApplicant(row));
  }

  const recent = new Set<string>();
  const recentTo = new Set<string>();
  for await (const invitation of deps.apriora.iterateInvitations({ createdAfter: Math.floor((now - DAY_MS) / 1000) }, 100, signal)) {
    if (invitation.createdAt !== null && invitation.createdAt * 1000 < now - DAY_MS) continue;
    recent.add(norm(invitation.email));
    recentTo.add(`${invitation.positionId}\n${norm(invitation.email)}`);
  }

  const positions = new Set<string>();
  for (const applicant of applicants) {
    const positionId = mayBeInvited(options.settings, jobs, applicant);
    if (positionId) positions.add(positionId);
  }
  const invited = new Map<string, Set<string>>();
  const interviewed = new Map<string, Set<string>>();
  const limiter = new Limiter(LOOKUPS_AT_ONCE);
  await Promise.all(
    [...positions].map((positionId) =>
      limiter.run(async () => {
        const emails = new Set<string>();
        for await (const invitation of deps.apriora.iterateInvitations({ positionId }, 100, signal)) {
          if (invitation.positionId === positionId) emails.add(norm(invitation.email));
        }
        invited.set(positionId, emails);
        interviewed.set(positionId, new Set((await interviewedByEmail(deps.apriora, positionId, signal)).keys()));
      }),
    ),
  );

  const context: InviteContext = {
    now,
    invitedToPosition: (positionId, email) => recentTo.has(`${positionId}\n${email}`) || (invited.get(positionId)?.has(email) ?? false),
    invitedInLastDay: (email) => recent.has(email),
    interviewed: (positionId, email) => interviewed.get(positionId)?.has(email) ?? false,
  };
  return { now, jobs, applicants, context, checkedPositions: [...positions] };
}

/** The phone an invitation to a phone interview would carry, or why there is none. */
export type PhoneCheck = { phone: string } | { skip: { code: 'no_phone'; message: string } };

/**
 * The Tracker candidate record of each applicant decided `invite` to a phone interview (and only those), read once
 * per candidate: its usable phone (E.164, numbers typed without a country code read as `country`) or no_phone.
 */
export async function checkPhones(
  tracker: TrackerClient,
  decisions: readonly InviteDecision[],
  country: string,
  signal?: AbortSignal,
  /** Checks made already, by candidate id (decideInvitesWithPhones keeps them across its rounds). */
  byCandidate: Map<number, Promise<PhoneCheck>> = new Map(),
): Promise<Map<number, PhoneCheck>> {
  const due = decisions.filter((decision) => decision.kind === 'invite' && decision.job.position?.modality === 'phone');
  const limiter = new Limiter(LOOKUPS_AT_ONCE);
  const check = (candidateId: number) =>
    limiter.run(async (): Promise<PhoneCheck> => {
      const record = (await tracker.getIndividualRecord('R', candidateId, signal)) as Record<string, unknown>;
      const phone = candidatePhone(record, country);
      if (phone) return { phone: phone.e164 };
      const typed = typedPhones(record).map((value) => JSON.stringify(value));
      return {
        skip: { code: 'no_phone', message: typed.length ? `${SKIP_REASONS.no_phone} (${typed.join(', ')}, read as ${country})` : 'no phone number in Tracker' },
      };
    });
  for (const decision of due) {
    const { candidateId } = decision.applicant;
    if (!byCandidate.has(candidateId)) byCandidate.set(candidateId, check(candidateId));
  }
  const checks = new Map<number, PhoneCheck>();
  for (const decision of due) checks.set(decision.applicant.applicationId, await byCandidate.get(decision.applicant.candidateId)!);
  return checks;
}

/**
 * decideInvites, then the phone of each applicant due for a phone interview: one without a usable phone is skipped
 * (no_phone) and the rest decided again without them, so that they take no one-per-day turn from another job.
 * The decisions stay one per applicant, in input order; `phones` holds the E.164 number of each phone invitation.
 */
export async function decideInvitesWithPhones(
  tracker: TrackerClient,
  settings: InvitesAutomation,
  data: Pick<InviteData, 'jobs' | 'applicants' | 'context'>,
  country: string,
  signal?: AbortSignal,
): Promise<{ decisions: InviteDecision[]; phones: Map<number, string> }> {
  const phones = new Map<number, string>();
  const noPhone = new Map<number, { code: 'no_phone'; message: string }>();
  const checked = new Set<number>();
  // A candidate's record is read once for the whole decision, whatever the rounds: a candidate without a usable
  // phone who applied to several jobs would otherwise be read again in each round that moves their turn on.
  const byCandidate = new Map<number, Promise<PhoneCheck>>();
  let decided = decideInvites(settings, data.jobs, data.applicants, data.context);
  // Each round reads the phones not read yet; one without a usable phone gives its one-per-day turn back, so the
  // others are decided again (a handful of rounds at most: each one only removes applicants).
  for (;;) {
    const unread = decided.filter((decision) => decision.kind === 'invite' && !checked.has(decision.applicant.applicationId));
    const checks = await checkPhones(tracker, unread, country, signal, byCandidate);
    let removed = false;
    for (const [applicationId, check] of checks) {
      checked.add(applicationId);
      if ('phone' in check) phones.set(applicationId, check.phone);
      else {
        noPhone.set(applicationId, check.skip);
        removed = true;
      }
    }
    if (!removed) break;
    decided = decideInvites(
      settings,
      data.jobs,
      data.applicants.filter((applicant) => !noPhone.has(applicant.applicationId)),
      data.context,
    );
  }
  const byId = new Map(decided.map((decision) => [decision.applicant.applicationId, decision]));
  const decisions = data.applicants.map((applicant): InviteDecision => {
    const skip = noPhone.get(applicant.applicationId);
    if (skip) return { kind: 'skip', applicant, job: data.jobs.get(applicant.jobId), reason: skip };
    return byId.get(applicant.applicationId)!;
  });
  return { decisions, phones };
}
