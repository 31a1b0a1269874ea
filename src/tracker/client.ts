import type { z } from 'zod';
import { InputError, NotFoundError, RemoteError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import { parseAnswer } from '../http/parse.js';
import {
  checkPersonAnswer,
  createdAnswer,
  individualRecord,
  individualRecordAnswer,
  type RecordRow,
  recordsPage,
  settingsData,
  widgetStatus,
} from './schemas.js';
import { callWidget, type TrackerCredentials } from './widget.js';

const RECORD_NAMES = { L: 'lead', O: 'job', P: 'project', T: 'ticket', A: 'activity', R: 'candidate' } as const;

/** Record-type codes (`apriora help api`). */
export type RecordType = 'C' | 'N' | 'L' | 'O' | 'P' | 'T' | 'R' | 'X' | 'A';
export type LinkRecordType = 'C' | 'N' | 'L' | 'O' | 'P' | 'T' | 'R';

export interface GetRecordsQuery {
  recordtype: RecordType;
  recordid?: number;
  state?: '' | 'open' | 'closed' | 'won';
  searchtext?: string;
  onlymyrecords?: boolean;
  numrecords?: number;
  pagenum?: number;
  sortfield?: string;
  sortdir?: 'asc' | 'desc';
  /** "YYYY-MM-DD HH:MM:SS" */
  updatedafter?: string;
  updatedbefore?: string;
  includecustomfields?: boolean;
}

export interface CustomFieldValue {
  id: number;
  value: string | number;
}

export interface NewResource {
  firstname?: string;
  lastname?: string;
  fullname?: string;
  email?: string;
  cellphone?: string;
  workphone?: string;
  homephone?: string;
  jobtitle?: string;
  company?: string;
  city?: string;
  state?: string;
  zipcode?: string;
  country?: string;
  linkedin?: string;
  source?: string;
  note?: string;
  status?: string;
  customfields?: CustomFieldValue[];
}

export interface CreateResourceOptions {
  overwriteresource?: boolean;
  assigntoopportunity?: number;
  assigntolist?: 'short' | 'long';
  shortlistedby?: 'user' | 'resource';
}

export interface ResourceApplication {
  opportunityid: number;
  resourceid: number;
  assigntolist: 'short' | 'long';
  shortlistedby?: 'user' | 'resource';
  source?: string;
}

export interface NewActivity {
  subject: string;
  /** The activity type's name, e.g. "Apriora Interview". */
  type: string;
  /** "YYYY-MM-DD" */
  date: string;
  /** "hh:mm AM" */
  time: string;
  status?: string;
  priority?: string;
  contactType?: string;
  note?: string;
  userId?: number;
  linkRecordType: LinkRecordType;
  linkRecordId: number;
}

export interface RecordUpdate {
  recordtype: RecordType;
  recordid: number;
  updates?: { column: string; value: string | number }[];
  customfields?: CustomFieldValue[];
}

export interface TrackerClientOptions {
  http: HttpClient;
  credentials: TrackerCredentials;
}

/** Typed Widget API operations (`apriora help api`). One method per operation; no integration logic here. */
export class TrackerClient {
  readonly http: HttpClient;
  private readonly credentials: TrackerCredentials;

  constructor({ http, credentials }: TrackerClientOptions) {
    this.http = http;
    this.credentials = credentials;
    http.addSecret(credentials.apiKey);
    http.addSecret(credentials.password);
  }

  private call<S extends z.ZodType>(op: string, schema: S, read: boolean, payload?: Record<string, unknown>, signal?: AbortSignal) {
    return callWidget(this.http, this.credentials, { op, schema, read, payload, signal });
  }

  /** Validates the credentials; throws AuthError on status 1 or 2. */
  async checkLogon(signal?: AbortSignal): Promise<void> {
    await this.call('checkLogon', widgetStatus, true, undefined, signal);
  }

  getSettingsData(signal?: AbortSignal) {
    return this.call('getSettingsData', settingsData, true, undefined, signal);
  }

  /** One page of records. `count` is the size of this page only. */
  getRecords(query: GetRecordsQuery, signal?: AbortSignal) {
    return this.call('getRecords', recordsPage, true, { instructions: query }, signal);
  }

  /**
   * Every record matching the query, page after page (0-based `pagenum`) until a short page.
   * Memory stays flat: one page is held at a time.
   */
  async *iterateRecords(
    query: Omit<GetRecordsQuery, 'pagenum' | 'recordid'>,
    signal?: AbortSignal,
    options: { readAhead?: boolean } = {},
  ): AsyncGenerator<RecordRow> {
    const pageSize = query.numrecords ?? 100;
    // Paging stops on a short page, which a page size of 0 (or less) never yields: it would loop for ever.
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      throw new InputError(`The page size must be a whole number of at least 1, not ${pageSize}`);
    }
    const fetchPage = (pagenum: number): Promise<z.infer<typeof recordsPage>> => {
      const pending = this.getRecords({ ...query, numrecords: pageSize, pagenum }, signal);
      pending.catch(() => {}); // awaited below; this only keeps an abandoned read-ahead from going unhandled
      return pending;
    };
    let previousFirstId: number | undefined;
    let next: ReturnType<typeof fetchPage> | undefined = fetchPage(0);
    for (let pagenum = 0; next; pagenum++) {
      const page: z.infer<typeof recordsPage> = await next;
      const full = page.results.length >= pageSize;
      // With read-ahead the next page is on its way while this one is consumed, so bulk work never waits on paging.
      next = full && options.readAhead ? fetchPage(pagenum + 1) : undefined;
      const firstId = page.results[0]?.id;
      if (firstId !== undefined && firstId === previousFirstId) {
        // A server that ignores pagenum would otherwise make this loop forever.
        throw new RemoteError(`Tracker returned page ${pagenum} of getRecords again: paging is not working`, { code: 'paging_stuck' });
      }
      previousFirstId = firstId;
      yield* page.results;
      if (full && !options.readAhead) next = fetchPage(pagenum + 1);
    }
  }

  async getIndividualRecord(recordtype: 'L' | 'O' | 'P' | 'T' | 'A' | 'R', recordid: number, signal?: AbortSignal) {
    const answer = await this.call('getIndividualRecord', individualRecordAnswer, true, { instructions: { recordtype, recordid } }, signal);
    const record =
      answer.record ??
      answer.result ??
      answer.results?.[0] ??
      (hasRecordId(answer) ? parseAnswer(individualRecord, flatRecord(answer), 'Tracker getIndividualRecord') : undefined);
    if (!record) {
      throw new NotFoundError(`Tracker has no ${RECORD_NAMES[recordtype]} with id ${recordid}`, {
        details: { recordtype, recordid },
        hint: recordtype === 'O' ? 'List the ids with `apriora tracker jobs list --state all`.' : undefined,
      });
    }
    return record;
  }

  /** Whether a person with this e-mail or phone exists, and of which kinds (`recordTypes`, e.g. "CRU"). No id. */
  checkPerson(details: { email?: string; phone?: string }, signal?: AbortSignal) {
    return this.call('checkPerson', checkPersonAnswer, true, { details: { email: details.email ?? '', phone: details.phone ?? '' } }, signal);
  }

  /** Creates a candidate. Status 3 (exists, not overwritten) surfaces as ConflictError. */
  async createResource(resource: NewResource, options: CreateResourceOptions = {}, signal?: AbortSignal) {
    const answer = await this.call('createResource', createdAnswer, false, { instructions: options, resource }, signal);
    return { recordId: requireId(answer.recordId, 'createResource'), recordName: answer.recordName };
  }

  async resourceApplication(application: ResourceApplication, signal?: AbortSignal): Promise<void> {
    await this.call('resourceApplication', widgetStatus, false, { instructions: application }, signal);
  }

  async updateRecord({ recordtype, recordid, updates = [], customfields = [] }: RecordUpdate, signal?: AbortSignal): Promise<void> {
    await this.call('updateRecord', widgetStatus, false, { instructions: { recordtype, recordid }, updates, customfields }, signal);
  }

  /**
   * Tracker's sample puts `customfields` beside `activity`, a public SDK inside it; we send the documented form.
   * The answer carries no activity id: find it again with getRecords (recordtype "A").
   */
  async createActivity(activity: NewActivity, customfields: CustomFieldValue[] = [], signal?: AbortSignal): Promise<void> {
    await this.call('createActivity', widgetStatus, false, { activity, customfields }, signal);
  }
}

function hasRecordId(answer: object): boolean {
  return 'id' in answer;
}

/**
 * A flat answer mixes the envelope with the record: its `status` is the in-body status (a number), not the record's
 * status (text), so the envelope fields are dropped before the record is parsed.
 */
function flatRecord(answer: Record<string, unknown>): Record<string, unknown> {
  const { status: _status, message: _message, count: _count, ...record } = answer;
  return record;
}

function requireId(id: number | null | undefined, op: string): number {
  if (!id) throw new RemoteError(`Tracker answered ${op} without a record id`, { code: 'unexpected_response' });
  return id;
}
