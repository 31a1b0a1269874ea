import type { GetRecordsQuery } from '../tracker/client.js';
import type { IndividualRecord, RecordRow } from '../tracker/schemas.js';

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

/** What interview generation needs of a Tracker job, from a list row or from getIndividualRecord. */
export interface JobForInterview {
  id: number;
  reference: string | null;
  title: string;
  /** HTML as Tracker stores it; undefined when the source did not carry it (fetch the record). */
  descriptionHtml: string | undefined;
  client: string;
  location: string;
  type: string;
  status: string;
  payRate: string;
  startDate: string;
}

const str = (value: unknown): string => (typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '');

export function jobFromRow(row: RecordRow): JobForInterview {
  const summary = jobSummary(row);
  const details = row.details;
  return {
    id: summary.id,
    reference: summary.reference,
    title: summary.title,
    descriptionHtml: typeof details.description === 'string' ? details.description : undefined,
    client: summary.company,
    location: summary.location,
    type: str(details.type),
    status: summary.status,
    payRate: str(details.salarypayrate),
    startDate: str(details.startdate),
  };
}

/**
 * The same job as jobFromRow makes of its list row: a record's name is the plain title, or carries the reference as a
 * list name does; its subject carries the reference before the title.
 */
export function jobFromRecord(record: IndividualRecord): JobForInterview {
  const named = REFERENCE.exec(record.name);
  const reference = named?.[1] ?? REFERENCE.exec(record.subject)?.[1] ?? null;
  return {
    id: record.id,
    reference,
    title: named?.[2] ?? record.name,
    descriptionHtml: record.description,
    client: record.clientname,
    location: record.location || [record.city, record.state].filter(Boolean).join(', '),
    type: record.type,
    status: record.status,
    payRate: str(record.salarypayrate),
    startDate: record.startdate,
  };
}
