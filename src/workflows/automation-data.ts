import type { AprioraClient } from '../apriora/client.js';
import type { InvitesAutomation } from '../apriora/partner.js';
import type { TrackerClient } from '../tracker/client.js';
import type { Applicant } from '../tracker/rest.js';
import type { AutomationApplicant, AutomationJob, InviteContext } from './automation-decisions.js';
import { interviewedByEmail } from './invite-candidates.js';
import { jobFromRow, jobsQuery } from './jobs.js';
import { trackerPositions } from './positions.js';

/**
 * The automations' inputs read from Tracker and Apriora (minimal version: the engine brings the full one).
 */

export interface AutomationDataDeps {
  tracker: TrackerClient;
  apriora: AprioraClient;
  signal?: AbortSignal | undefined;
}

export function toAutomationApplicant(row: Applicant): AutomationApplicant {
  const applied = row.appliedAt ? Date.parse(row.appliedAt) : Number.NaN;
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

/** Open Tracker jobs (updated after a Tracker date-time when given), with the Apriora position linked to each. */
export async function gatherJobs(deps: AutomationDataDeps, options: { updatedAfter?: string | undefined } = {}): Promise<Map<number, AutomationJob>> {
  const jobs = new Map<number, AutomationJob>();
  const query = jobsQuery({ state: 'open', ...(options.updatedAfter ? { updatedAfter: options.updatedAfter } : {}) });
  for await (const row of deps.tracker.iterateRecords(query, deps.signal)) {
    const job = jobFromRow(row);
    jobs.set(job.id, {
      id: job.id,
      title: job.title,
      location: job.location,
      type: job.type,
      client: job.client,
      status: job.status,
      open: true,
      position: null,
    });
  }
  if (jobs.size === 0) return jobs;
  for await (const position of trackerPositions(deps.apriora, {}, deps.signal)) {
    const job = position.externalId ? jobs.get(Number(position.externalId)) : undefined;
    if (job && !job.position) job.position = { positionId: position.positionId, modality: position.modality, status: position.status };
  }
  return jobs;
}

export interface InviteData {
  jobs: Map<number, AutomationJob>;
  applicants: AutomationApplicant[];
  context: InviteContext;
}

/** Everything decideInvites needs about these applicant rows. */
export async function gatherInviteData(
  deps: AutomationDataDeps,
  options: { settings: InvitesAutomation; applicants: readonly Applicant[]; now: number },
): Promise<InviteData> {
  const applicants = options.applicants.map(toAutomationApplicant);
  const triggers = new Set(options.settings.trigger.statuses.map((status) => status.trim().toLowerCase()));
  const candidates = applicants.filter((row) => row.active && triggers.has(row.status.trim().toLowerCase()));
  const jobs = candidates.length ? await gatherJobs(deps) : new Map<number, AutomationJob>();
  const positions = new Set<string>();
  for (const row of candidates) {
    const position = jobs.get(row.jobId)?.position;
    if (position?.status === 'active') positions.add(position.positionId);
  }
  const invited = new Set<string>();
  const lastDay = new Set<string>();
  const taken = new Set<string>();
  const key = (positionId: string, email: string) => `${positionId}\n${email.trim().toLowerCase()}`;
  if (positions.size) {
    const createdAfter = Math.floor(options.now / 1000) - 24 * 3600;
    for await (const invitation of deps.apriora.iterateInvitations({ createdAfter }, undefined, deps.signal)) {
      if (invitation.createdAt === null || invitation.createdAt >= createdAfter) lastDay.add(invitation.email.trim().toLowerCase());
    }
    for (const positionId of positions) {
      for await (const invitation of deps.apriora.iterateInvitations({ positionId }, undefined, deps.signal)) {
        if (invitation.positionId === positionId) invited.add(key(positionId, invitation.email));
      }
      for (const email of (await interviewedByEmail(deps.apriora, positionId, deps.signal)).keys()) taken.add(key(positionId, email));
    }
  }
  return {
    jobs,
    applicants,
    context: {
      now: options.now,
      invitedToPosition: (positionId, email) => invited.has(key(positionId, email)),
      invitedInLastDay: (email) => lastDay.has(email.trim().toLowerCase()),
      interviewed: (positionId, email) => taken.has(key(positionId, email)),
    },
  };
}
