import type { AprioraClient } from '../apriora/client.js';
import type { InterviewCreationAutomation, InvitesAutomation } from '../apriora/partner.js';
import type { TrackerClient } from '../tracker/client.js';
import type { ApplicantSource } from './applicants.js';
import { decideInvitesWithPhones, gatherInviteData, gatherJobs } from './automation-data.js';
import { type AutomationJob, decideInterviews, type InviteDecision } from './automation-decisions.js';
import { localTime } from './automation-schedule.js';

/**
 * `automations preview`: what the automations would do now with the given settings, read-only. The decisions are
 * decideInvites' and decideInterviews' (the runner's), on the data gatherInviteData reads.
 */

export interface InvitePreviewItem {
  applicationId: number;
  jobId: number;
  jobTitle: string | null;
  positionId: string | null;
  modality: 'phone' | 'video' | null;
  candidateId: number;
  email: string;
  status: string;
  /** invite: would be invited now; wait: later (see `at`); skip: not (see reason). */
  decision: InviteDecision['kind'];
  /** invite: when Apriora sends it when the blackout moved it (ISO 8601), else null (now). */
  sendAt: string | null;
  /** wait: when it would be invited or go out (ISO 8601). */
  at: string | null;
  /** sendAt or at in the blackout's zone ("2026-06-11 08:00 EDT"), when there is a blackout. */
  local: string | null;
  /** The E.164 number a phone invitation would carry. */
  phone: string | null;
  reason: { code: string; message: string } | null;
}

export interface InvitePreview {
  items: InvitePreviewItem[];
  /** Every applicant row, by decision (invite, wait) or skip code. */
  counts: Record<string, number>;
  /** How many interviews had their invitations and reports read (those with an applicant who may be invited). */
  checkedPositions: number;
}

export interface PreviewDeps {
  tracker: TrackerClient;
  apriora: AprioraClient;
  applicants: ApplicantSource;
  signal?: AbortSignal;
}

/** "2026-06-11 08:00 EDT" in `timezone`. */
export function formatInZone(instant: number, timezone: string): string {
  const local = localTime(instant, timezone);
  const zone =
    new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'short' })
      .formatToParts(new Date(instant))
      .find((part) => part.type === 'timeZoneName')?.value ?? timezone;
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${local.year}-${pad(local.month)}-${pad(local.day)} ${pad(Math.floor(local.minutes / 60))}:${pad(local.minutes % 60)} ${zone}`;
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The open jobs (with their interviews), read once for both automations. */
export function previewJobs(deps: Pick<PreviewDeps, 'tracker' | 'apriora' | 'signal'>): Promise<Map<number, AutomationJob>> {
  return gatherJobs(deps);
}

/**
 * The invitation automation's decisions for every applicant row; the items are the active applications of open
 * jobs (the others are only counted). Phone numbers are read from Tracker only for applicants otherwise due.
 */
export async function previewInvites(
  deps: PreviewDeps,
  settings: InvitesAutomation,
  jobs: Map<number, AutomationJob>,
  options: { country: string; now?: number },
): Promise<InvitePreview> {
  const data = await gatherInviteData(deps, { settings, jobs, ...(options.now === undefined ? {} : { now: options.now }) });
  const { decisions, phones } = await decideInvitesWithPhones(deps.tracker, settings, data, options.country, deps.signal);
  const counts: Record<string, number> = {};
  const items: InvitePreviewItem[] = [];
  const zone = settings.blackout?.timezone;
  for (const decision of decisions) {
    const key = decision.kind === 'skip' ? decision.reason.code : decision.kind;
    counts[key] = (counts[key] ?? 0) + 1;
    // Listed: the active applications of open jobs; the others are only counted.
    if (!decision.job || (decision.kind === 'skip' && decision.reason.code === 'inactive')) continue;
    const { applicant, job } = decision;
    const when = decision.kind === 'invite' ? decision.sendAt : decision.kind === 'wait' ? decision.at : undefined;
    items.push({
      applicationId: applicant.applicationId,
      jobId: applicant.jobId,
      jobTitle: job.title,
      positionId: job.position?.positionId ?? null,
      modality: job.position?.modality ?? null,
      candidateId: applicant.candidateId,
      email: applicant.email,
      status: applicant.status,
      decision: decision.kind,
      sendAt: decision.kind === 'invite' && decision.sendAt !== undefined ? iso(decision.sendAt) : null,
      at: decision.kind === 'wait' ? iso(decision.at) : null,
      local: when !== undefined && zone ? formatInZone(when, zone) : null,
      phone: phones.get(applicant.applicationId) ?? null,
      reason: decision.kind === 'invite' ? null : decision.reason,
    });
  }
  return { items, counts, checkedPositions: data.checkedPositions.length };
}

export interface InterviewPreviewItem {
  jobId: number;
  title: string;
  client: string;
  location: string;
  type: string;
  status: string;
  decision: 'create' | 'skip';
  positionId: string | null;
  reason: { code: string; message: string } | null;
}

/** The interview-creation automation's decision for each open job. */
export function previewInterviews(settings: InterviewCreationAutomation, jobs: Map<number, AutomationJob>): InterviewPreviewItem[] {
  return decideInterviews(settings, jobs.values()).map((decision) => ({
    jobId: decision.job.id,
    title: decision.job.title,
    client: decision.job.client,
    location: decision.job.location,
    type: decision.job.type,
    status: decision.job.status,
    decision: decision.kind,
    positionId: decision.job.position?.positionId ?? null,
    reason: decision.kind === 'skip' ? decision.reason : null,
  }));
}
