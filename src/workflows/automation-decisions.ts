import type { InterviewCreationAutomation, InvitesAutomation } from '../apriora/partner.js';
import { firstFailingRule, formatRule } from './automation-rules.js';
import { scheduleInvite } from './automation-schedule.js';

/**
 * What the automations decide, from data already read: pure, no I/O, so that `automations preview` and `automations
 * run` make the same decisions from the same data.
 */

export interface AutomationJob {
  id: number;
  title: string;
  location: string;
  type: string;
  client: string;
  status: string;
  open: boolean;
  position: { positionId: string; modality: 'phone' | 'video'; status: 'draft' | 'active' | 'closed' } | null;
}

export interface AutomationApplicant {
  applicationId: number;
  jobId: number;
  candidateId: number;
  status: string;
  active: boolean;
  source: string;
  email: string;
  /** epoch ms */
  appliedAt: number;
}

export interface InviteContext {
  now: number;
  /** e-mails (lower case) invited to this position already */
  invitedToPosition: (positionId: string, email: string) => boolean;
  /** e-mails (lower case) invited to any position in the last 24 h (one-per-day) */
  invitedInLastDay: (email: string) => boolean;
  /** already took the interview */
  interviewed: (positionId: string, email: string) => boolean;
}

export type InviteDecision =
  | { kind: 'invite'; applicant: AutomationApplicant; job: AutomationJob; sendAt: number | undefined }
  | { kind: 'wait'; applicant: AutomationApplicant; job: AutomationJob; at: number; reason: { code: 'delay' | 'blackout'; message: string } }
  | { kind: 'skip'; applicant: AutomationApplicant; job: AutomationJob | undefined; reason: { code: string; message: string } };

const norm = (value: string) => value.trim().toLowerCase();
const iso = (ms: number) => new Date(ms).toISOString();

/** The facts the invite rules are evaluated against. */
export function inviteFacts(applicant: AutomationApplicant, job: AutomationJob): Record<string, string> {
  return {
    status: applicant.status,
    source: applicant.source,
    'candidate.email': applicant.email,
    'job.title': job.title,
    'job.location': job.location,
    'job.type': job.type,
    'job.client': job.client,
    'job.status': job.status,
  };
}

/** Why a job's applicants are not invited, or undefined when it is live (open, with an active Apriora interview). */
function notLive(job: AutomationJob | undefined): string | undefined {
  if (!job) return 'the job is not open in Tracker';
  if (!job.open) return `the job is not open in Tracker (status ${job.status || 'unknown'})`;
  if (!job.position) return 'the job has no Apriora interview';
  if (job.position.status !== 'active') return `the job's Apriora interview is ${job.position.status}`;
  return undefined;
}

/**
 * One decision per applicant, in input order. The first condition that excludes an applicant is its reason:
 * inactive, not_trigger_status, job_not_live, no_email, already_invited, already_interviewed, rule (rule N),
 * invited_today; then the delay and (phone) the blackout. Within one call, an e-mail the engine decides to invite
 * counts as invited today (one per day, across jobs) and as invited to that position.
 */
export function decideInvites(
  settings: InvitesAutomation,
  jobs: ReadonlyMap<number, AutomationJob>,
  applicants: Iterable<AutomationApplicant>,
  ctx: InviteContext,
): InviteDecision[] {
  const triggers = new Set(settings.trigger.statuses.map(norm));
  const invitedNow = new Set<string>();
  const invitedNowTo = new Set<string>();
  const decisions: InviteDecision[] = [];
  for (const applicant of applicants) {
    const job = jobs.get(applicant.jobId);
    const skip = (code: string, message: string) => decisions.push({ kind: 'skip', applicant, job, reason: { code, message } });
    if (!applicant.active) {
      skip('inactive', 'the application is inactive (withdrawn or deleted)');
      continue;
    }
    if (!triggers.has(norm(applicant.status))) {
      skip('not_trigger_status', `status ${applicant.status || '(none)'} is not a trigger status (${settings.trigger.statuses.join(', ')})`);
      continue;
    }
    const why = notLive(job);
    if (why || !job?.position) {
      skip('job_not_live', why ?? 'the job has no Apriora interview');
      continue;
    }
    const email = norm(applicant.email);
    if (!email) {
      skip('no_email', 'no e-mail in Tracker');
      continue;
    }
    const { positionId, modality } = job.position;
    if (invitedNowTo.has(`${positionId}\n${email}`)) {
      skip('already_invited', `${email} is invited to this interview in this cycle (another Tracker record with this e-mail)`);
      continue;
    }
    if (ctx.invitedToPosition(positionId, email)) {
      skip('already_invited', 'already invited to this interview');
      continue;
    }
    if (ctx.interviewed(positionId, email)) {
      skip('already_interviewed', 'already took this interview');
      continue;
    }
    const failing = firstFailingRule(settings.rules, inviteFacts(applicant, job));
    if (failing >= 0) {
      skip('rule', `rule ${failing + 1} (${formatRule(settings.rules[failing]!)}) does not hold`);
      continue;
    }
    if (settings.onePerCandidatePerDay && (invitedNow.has(email) || ctx.invitedInLastDay(email))) {
      skip('invited_today', 'invited to another interview in the last 24 h (one invitation per candidate per day)');
      continue;
    }
    const schedule = scheduleInvite({
      appliedAt: applicant.appliedAt,
      delayMinutes: settings.delayMinutes,
      blackout: settings.blackout,
      modality,
      now: ctx.now,
    });
    if (!schedule.due) {
      const blackout = schedule.sendAt !== undefined;
      decisions.push({
        kind: 'wait',
        applicant,
        job,
        at: schedule.at,
        reason: blackout
          ? {
              code: 'blackout',
              message: `the delay ends inside the blackout (${settings.blackout!.start}-${settings.blackout!.end}): goes out at ${iso(schedule.at)}`,
            }
          : { code: 'delay', message: `the delay (${settings.delayMinutes} min) ends at ${iso(schedule.at)}` },
      });
      continue;
    }
    invitedNow.add(email);
    invitedNowTo.add(`${positionId}\n${email}`);
    decisions.push({ kind: 'invite', applicant, job, sendAt: schedule.sendAt });
  }
  return decisions;
}

export type InterviewDecision =
  | { kind: 'create'; job: AutomationJob }
  | { kind: 'skip'; job: AutomationJob; reason: { code: 'has_interview' | 'not_open' | 'filter'; message: string } };

/** The facts the interview-creation filters are evaluated against. */
export function jobFacts(job: AutomationJob): Record<string, string> {
  return { 'job.title': job.title, 'job.location': job.location, 'job.type': job.type, 'job.client': job.client, 'job.status': job.status };
}

/** One decision per job, in input order: open jobs without an Apriora interview that pass every filter get one. */
export function decideInterviews(settings: InterviewCreationAutomation, jobs: Iterable<AutomationJob>): InterviewDecision[] {
  const decisions: InterviewDecision[] = [];
  for (const job of jobs) {
    if (!job.open) {
      decisions.push({ kind: 'skip', job, reason: { code: 'not_open', message: `not open in Tracker (status ${job.status || 'unknown'})` } });
      continue;
    }
    if (job.position) {
      decisions.push({ kind: 'skip', job, reason: { code: 'has_interview', message: `has its Apriora interview (${job.position.positionId})` } });
      continue;
    }
    const failing = firstFailingRule(settings.filters, jobFacts(job));
    if (failing >= 0) {
      decisions.push({
        kind: 'skip',
        job,
        reason: { code: 'filter', message: `filter ${failing + 1} (${formatRule(settings.filters[failing]!)}) does not hold` },
      });
      continue;
    }
    decisions.push({ kind: 'create', job });
  }
  return decisions;
}
