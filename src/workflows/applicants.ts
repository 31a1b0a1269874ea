import { InputError } from '../errors.js';
import type { TrackerClient } from '../tracker/client.js';
import type { Applicant } from '../tracker/rest.js';
import type { CandidateRef } from './invite-candidates.js';
import { jobsQuery } from './jobs.js';

/**
 * A job's applicants (Tracker's REST v1 applicant rows), selected for listing and for invitations. The REST search
 * may ignore every filter, so rows are always selected here, by job id, status and active flag.
 */

export type { Applicant };

/** What reads applicant rows: the REST client (tests may pass their own rows). */
export interface ApplicantSource {
  applicants(options: { jobId?: number; signal?: AbortSignal }): AsyncIterable<Applicant>;
}

/** The pipeline status `interview invite --applicants` takes by default. */
export const DEFAULT_INVITE_STATUSES = ['Applied'];

export interface ApplicantFilter {
  /** One job, or several (every open job). */
  jobIds: ReadonlySet<number>;
  /** Pipeline status names, compared ignoring case and surrounding blanks; empty or undefined = any. */
  statuses?: readonly string[] | undefined;
  /** Inactive rows too (withdrawn, deleted applications). */
  includeInactive?: boolean;
}

const norm = (text: string) => text.trim().toLowerCase();

/** The rows of the jobs, with those statuses, active unless asked otherwise, in the order the source gives them. */
export async function* selectApplicants(source: ApplicantSource, filter: ApplicantFilter, signal?: AbortSignal): AsyncGenerator<Applicant> {
  const statuses = filter.statuses?.length ? new Set(filter.statuses.map(norm)) : undefined;
  const only = filter.jobIds.size === 1 ? [...filter.jobIds][0] : undefined;
  for await (const row of source.applicants({ ...(only === undefined ? {} : { jobId: only }), ...(signal ? { signal } : {}) })) {
    if (!filter.jobIds.has(row.jobId)) continue;
    if (!filter.includeInactive && !row.active) continue;
    if (statuses && !statuses.has(norm(row.status))) continue;
    yield row;
  }
}

/** The candidates to invite to one job's interview: its active applicants with those statuses, each candidate once. */
export async function* applicantsToInvite(
  source: ApplicantSource,
  jobId: number,
  statuses: readonly string[],
  signal?: AbortSignal,
): AsyncGenerator<CandidateRef> {
  const seen = new Set<number>();
  for await (const row of selectApplicants(source, { jobIds: new Set([jobId]), statuses }, signal)) {
    if (seen.has(row.candidateId)) continue;
    seen.add(row.candidateId);
    yield { candidateId: row.candidateId, email: row.email || undefined, name: row.name || undefined, status: row.status };
  }
}

/** The ids of every open Tracker job (one getRecords per 100 jobs). */
export async function openJobIdSet(tracker: TrackerClient, signal?: AbortSignal): Promise<Set<number>> {
  const ids = new Set<number>();
  for await (const row of tracker.iterateRecords(jobsQuery({ state: 'open' }), signal)) ids.add(row.id);
  return ids;
}

/**
 * The pipeline statuses asked for, as the tenant spells them (getSettingsData `opportunityResourceStatuses`): a typo
 * would otherwise select nobody, silently. When Tracker lists no statuses, the names are taken as given.
 */
export async function checkApplicantStatuses(tracker: TrackerClient, statuses: readonly string[], flag: string, signal?: AbortSignal): Promise<string[]> {
  if (statuses.length === 0) return [];
  const known = (await tracker.getSettingsData(signal)).opportunityResourceStatuses.map((status) => status.Name.trim()).filter(Boolean);
  if (known.length === 0) return [...statuses];
  const byName = new Map(known.map((name) => [norm(name), name]));
  const unknown = statuses.filter((status) => !byName.has(norm(status)));
  if (unknown.length > 0) {
    throw new InputError(
      `${flag}: ${unknown.map((s) => JSON.stringify(s)).join(', ')} ${unknown.length === 1 ? 'is not a pipeline status' : 'are not pipeline statuses'} of this Tracker database`,
      {
        code: 'unknown_status',
        hint: `Its applicant statuses: ${known.join(', ')}`,
      },
    );
  }
  return statuses.map((status) => byName.get(norm(status))!);
}
