import type { InterviewCreationAutomation, InvitesAutomation } from '../apriora/partner.js';
import { firstFailingRule } from './automation-rules.js';
import { scheduleInvite } from './automation-schedule.js';

/** The automations' decisions: pure, shared by preview and run (minimal version: the engine brings the full one). */

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
  invitedToPosition: (positionId: string, email: string) => boolean;
  invitedInLastDay: (email: string) => boolean;
  interviewed: (positionId: string, email: string) => boolean;
}
export type InviteDecision =
  | { kind: 'invite'; applicant: AutomationApplicant; job: AutomationJob; sendAt: number | undefined }
  | { kind: 'wait'; applicant: AutomationApplicant; job: AutomationJob; at: number; reason: { code: 'delay' | 'blackout'; message: string } }
  | { kind: 'skip'; applicant: AutomationApplicant; job: AutomationJob | undefined; reason: { code: string; message: string } };

const norm = (value: string) => value.trim().toLowerCase();

export function decideInvites(
  settings: InvitesAutomation,
  jobs: ReadonlyMap<number, AutomationJob>,
  applicants: Iterable<AutomationApplicant>,
  ctx: InviteContext,
): InviteDecision[] {
  const triggers = new Set(settings.trigger.statuses.map(norm));
  const invitedNow = new Set<string>();
  const decisions: InviteDecision[] = [];
  for (const applicant of applicants) {
    const job = jobs.get(applicant.jobId);
    const skip = (code: string, message: string) => decisions.push({ kind: 'skip', applicant, job, reason: { code, message } });
    const email = norm(applicant.email);
    if (!triggers.has(norm(applicant.status))) skip('not_trigger_status', `status ${applicant.status} is not a trigger status`);
    else if (!applicant.active) skip('inactive', 'the application is not active');
    else if (!job?.open || !job.position || job.position.status !== 'active') skip('job_not_live', 'the job is not open with an active interview');
    else if (!email) skip('no_email', 'no e-mail in Tracker');
    else if (ctx.invitedToPosition(job.position.positionId, email)) skip('already_invited', 'already invited to this interview');
    else if (ctx.interviewed(job.position.positionId, email)) skip('already_interviewed', 'already took this interview');
    else {
      const facts = {
        status: applicant.status,
        source: applicant.source,
        'candidate.email': applicant.email,
        'job.title': job.title,
        'job.location': job.location,
        'job.type': job.type,
        'job.client': job.client,
      };
      const failing = firstFailingRule(settings.rules, facts);
      if (failing >= 0) {
        skip('rule', `rule ${failing + 1} does not hold`);
        continue;
      }
      const when = scheduleInvite({
        appliedAt: applicant.appliedAt,
        delayMinutes: settings.delayMinutes,
        blackout: settings.blackout,
        modality: job.position.modality,
        now: ctx.now,
      });
      if (!when.due) {
        decisions.push({ kind: 'wait', applicant, job, at: when.at, reason: { code: 'delay', message: `due at ${new Date(when.at).toISOString()}` } });
      } else if (settings.onePerCandidatePerDay && (ctx.invitedInLastDay(email) || invitedNow.has(email))) {
        skip('invited_today', 'invited to another job in the last 24 h');
      } else {
        invitedNow.add(email);
        decisions.push({ kind: 'invite', applicant, job, sendAt: when.sendAt });
      }
    }
  }
  return decisions;
}

export type InterviewDecision =
  | { kind: 'create'; job: AutomationJob }
  | { kind: 'skip'; job: AutomationJob; reason: { code: 'has_interview' | 'not_open' | 'filter'; message: string } };

export function decideInterviews(settings: InterviewCreationAutomation, jobs: Iterable<AutomationJob>): InterviewDecision[] {
  const decisions: InterviewDecision[] = [];
  for (const job of jobs) {
    const facts = { 'job.title': job.title, 'job.location': job.location, 'job.type': job.type, 'job.client': job.client, 'job.status': job.status };
    const failing = firstFailingRule(settings.filters, facts);
    if (job.position) decisions.push({ kind: 'skip', job, reason: { code: 'has_interview', message: `interview ${job.position.positionId}` } });
    else if (!job.open) decisions.push({ kind: 'skip', job, reason: { code: 'not_open', message: 'the job is not open' } });
    else if (failing >= 0) decisions.push({ kind: 'skip', job, reason: { code: 'filter', message: `filter ${failing + 1} does not hold` } });
    else decisions.push({ kind: 'create', job });
  }
  return decisions;
}
