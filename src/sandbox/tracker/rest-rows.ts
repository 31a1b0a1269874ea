import type { IdName, TrackerApplication, TrackerCandidate, TrackerJob } from './model.js';
import type { TrackerTimestamp } from './time.js';

/** REST v1's OpportunityResource: one applicant row as `POST /api/v1/OpportunityResource/Search` returns it. */
export interface OpportunityResourceRow {
  opportunityResourceId: number;
  opportunityId: number;
  resourceId: number;
  opportunityName: string;
  opportunityResourceStatusId: number | null;
  opportunityResourceStatusName: string;
  activeRecord: 'y' | 'n';
  resourceDisplayAs: string;
  resourceEmail: string;
  source: string;
  dateCreated: string;
  lastUpdated: string;
}

/** "YYYY-MM-DD HH:MM:SS" (UTC, the sandbox's storage form) → ISO 8601 "YYYY-MM-DDTHH:MM:SSZ". */
export const isoTimestamp = (timestamp: TrackerTimestamp): string => `${timestamp.replace(' ', 'T')}Z`;

export interface RowLookups {
  job(id: number): TrackerJob | undefined;
  candidate(id: number): TrackerCandidate | undefined;
  statusId(name: string): number | null;
}

/** What the rows are made from: the database's records (a TrackerState or a seed). */
export interface RowSource {
  jobs: readonly TrackerJob[];
  candidates: readonly TrackerCandidate[];
  settings: { opportunityResourceStatuses: readonly IdName[] };
}

/** Id lookups for many rows at once (a search over thousands of rows). Status names match ignoring case. */
export function rowLookups(source: RowSource): RowLookups {
  const jobs = new Map(source.jobs.map((job) => [job.id, job]));
  const candidates = new Map(source.candidates.map((candidate) => [candidate.id, candidate]));
  const statuses = new Map(source.settings.opportunityResourceStatuses.map((status) => [status.Name.trim().toLowerCase(), status.Id]));
  return { job: (id) => jobs.get(id), candidate: (id) => candidates.get(id), statusId: (name) => statuses.get(name.trim().toLowerCase()) ?? null };
}

export function opportunityResourceRow(application: TrackerApplication, lookups: RowLookups): OpportunityResourceRow {
  const job = lookups.job(application.opportunityId);
  const candidate = lookups.candidate(application.resourceId);
  return {
    opportunityResourceId: application.id,
    opportunityId: application.opportunityId,
    resourceId: application.resourceId,
    opportunityName: job?.title ?? '',
    opportunityResourceStatusId: lookups.statusId(application.status),
    opportunityResourceStatusName: application.status,
    activeRecord: application.active ? 'y' : 'n',
    resourceDisplayAs: candidate?.fullname ?? '',
    resourceEmail: candidate?.email ?? '',
    source: application.source,
    dateCreated: isoTimestamp(application.createdAt),
    lastUpdated: isoTimestamp(application.updatedAt),
  };
}
