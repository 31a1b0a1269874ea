import type { GetRecordsQuery } from '../tracker/client.js';
import type { RecordRow } from '../tracker/schemas.js';

export interface JobSummary {
  id: number;
  reference: string | null;
  title: string;
  company: string;
  status: string;
  location: string;
  dateOpened: string;
}

export type JobState = 'open' | 'closed' | 'all';

/** List names may carry Tracker's reference ("JOB-3111 Senior Nurse"); `details` holds the plain fields. */
const REFERENCE = /^([A-Z][A-Z0-9]*-\d+)\s+(.+)$/;

export function jobSummary(row: RecordRow): JobSummary {
  const details = row.details;
  const text = (key: string) => (typeof details[key] === 'string' ? (details[key] as string).trim() : '');
  const reference = REFERENCE.exec(row.name);
  const location = text('location') || [text('city'), text('state')].filter(Boolean).join(', ');
  return {
    id: row.id,
    reference: reference?.[1] ?? null,
    title: text('jobtitle') || text('title') || reference?.[2] || row.name,
    company: row.company || text('clientname') || text('company'),
    status: row.status || text('status'),
    location,
    dateOpened: row.dateopened || text('dateopened'),
  };
}

export function jobsQuery(options: { state: JobState; search?: string; updatedAfter?: string; pageSize?: number }): Omit<GetRecordsQuery, 'pagenum'> {
  return {
    recordtype: 'O',
    state: options.state === 'all' ? '' : options.state,
    searchtext: options.search ?? '',
    numrecords: options.pageSize ?? 100,
    sortfield: 'id',
    sortdir: 'asc',
    ...(options.updatedAfter ? { updatedafter: options.updatedAfter } : {}),
  };
}
