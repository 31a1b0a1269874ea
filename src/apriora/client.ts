import { z } from 'zod';
import { type AppError, AuthError, ConflictError, InputError, NotFoundError, RemoteError } from '../errors.js';
import type { HttpClient, HttpRequest, HttpResponse } from '../http/client.js';
import { parseAnswer } from '../http/parse.js';
import { redactKeys } from '../http/redact.js';
import {
  type Automations,
  conflictExistingId,
  type EXTERNAL_SOURCE,
  INVALID_INPUT_CODES,
  INVITATION_QUERY,
  type Invitation,
  invitation,
  invitationList,
  isInvalidInputCode,
  KEY_CHECK_PATH,
  MAX_PAGE_SIZE,
  type Modality,
  PATHS,
  type Position,
  type PositionStatus,
  parseErrorBody,
  position,
  positionList,
  type Template,
  type TrackerIntegration,
  type TrackerIntegrationCredentials,
  type TrackerIntegrationWritable,
  templateList,
  trackerIntegration,
} from './partner.js';
import { type Candidate, candidateList, type Report, reportList } from './schemas.js';

/** Apriora's production API [C]; a sandbox or the local emulator overrides it. */

export interface AprioraClientOptions {
  http: HttpClient;
  apiKey: string;
}

export interface ReportFilter {
  reportId?: string;
  positionId?: string;
  candidateId?: string;
}

export interface CandidateFilter {
  email?: string;
  candidateId?: string;
  positionId?: string;
}

export interface NewPosition {
  title: string;
  description: string;
  modality: Modality;
  externalSource: typeof EXTERNAL_SOURCE;
  /** The Tracker job id. */
  externalId: string;
  templateId?: string;
  creationNotes?: string;
  location?: string;
}

export interface PositionQuery {
  externalSource?: string;
  externalId?: string;
}

export interface PageQuery {
  /** At most 100; larger values are clamped. */
  limit?: number;
  offset?: number;
}

export interface PositionPatch {
  title?: string;
  description?: string;
  status?: PositionStatus;
}

export interface NewInvitation {
  positionId: string;
  candidate: { email: string; firstName: string; lastName: string; phone?: string };
  externalCandidateId?: string;
  /** Unix seconds; omitted means now. */
  sendAt?: number;
}

export interface InvitationQuery {
  positionId?: string;
  email?: string;
  /** Only invitations created after this instant (Unix seconds). */
  createdAfter?: number;
}

export type TrackerIntegrationPatch = Partial<TrackerIntegrationWritable> & { credentials?: TrackerIntegrationCredentials };

type Query = Record<string, string | number | undefined>;

interface Call<S extends z.ZodType> {
  method: HttpRequest['method'];
  path: string;
  query?: Query;
  json?: unknown;
  schema: S;
  /** What a 404 means for this call, e.g. "Apriora has no position pos_1". */
  notFound?: string;
  signal?: AbortSignal;
}

/** Any JSON array: used where only "the API answered" matters. */
const anyList = z.array(z.unknown());

/** Typed Apriora API operations: one method per endpoint, no integration logic. */
export class AprioraClient {
  readonly http: HttpClient;
  private readonly apiKey: string;

  constructor({ http, apiKey }: AprioraClientOptions) {
    if (!apiKey) throw new AuthError('No Apriora API key', { code: 'apriora_no_key', hint: 'Run `apriora login`.' });
    this.http = http;
    this.apiKey = apiKey;
    http.addSecret(apiKey);
  }

  private async call<S extends z.ZodType>(call: Call<S>): Promise<z.infer<S>> {
    const what = `Apriora ${call.method} ${call.path}`;
    const response = await this.http.request({
      method: call.method,
      path: call.path,
      query: call.query,
      json: call.json,
      headers: { 'x-api-key': this.apiKey, accept: 'application/json' },
      // Only reads are retried freely; POST and PATCH are retried by the HTTP layer on 429 only.
      idempotent: call.method === 'GET',
      signal: call.signal,
    });
    if (response.status < 200 || response.status > 299) {
      throw aprioraError(response, what, (value) => this.http.redact(value), call.notFound);
    }
    return parseAnswer(call.schema, response.body, what);
  }

  /** One authenticated call without side effects: resolves when Apriora accepts the key (see KEY_CHECK_PATH). */
  async verifyKey(signal?: AbortSignal): Promise<void> {
    await this.call({ method: 'GET', path: KEY_CHECK_PATH, schema: anyList, signal });
  }

  /** Reports matching the filter [C]; at least one filter is required and `reportId` wins on Apriora's side. */
  async getReports(filter: ReportFilter, signal?: AbortSignal): Promise<Report[]> {
    const query = definedQuery({ reportId: filter.reportId, positionId: filter.positionId, candidateId: filter.candidateId });
    if (Object.keys(query).length === 0) {
      throw new InputError('Reports are fetched by reportId, positionId or candidateId: give at least one', {
        code: 'apriora_report_filter_missing',
      });
    }
    return this.call({ method: 'GET', path: '/reports', query, schema: reportList, signal });
  }

  /** Candidates matching the filter [C]. */
  async getCandidates(filter: CandidateFilter, signal?: AbortSignal): Promise<Candidate[]> {
    const query = definedQuery({ email: filter.email, candidateId: filter.candidateId, positionId: filter.positionId });
    return this.call({ method: 'GET', path: '/candidates', query, schema: candidateList, signal });
  }

  async listTemplates(signal?: AbortSignal): Promise<Template[]> {
    return this.call({ method: 'GET', path: PATHS.templates, schema: templateList, signal });
  }

  /** Creates a position linked to a Tracker job. A linked job is a ConflictError `position_exists` with `existingId`. */
  async createPosition(input: NewPosition, signal?: AbortSignal): Promise<Position> {
    const json = {
      title: input.title,
      description: input.description,
      modality: input.modality,
      externalSource: input.externalSource,
      externalId: input.externalId,
      templateId: input.templateId,
      creationNotes: input.creationNotes,
      location: input.location,
    };
    return this.call({ method: 'POST', path: PATHS.positions, json: withoutUndefined(json), schema: position, signal });
  }

  /** One page of positions. */
  async listPositions(query: PositionQuery & PageQuery, signal?: AbortSignal): Promise<Position[]> {
    return this.call({
      method: 'GET',
      path: PATHS.positions,
      query: definedQuery({ externalSource: query.externalSource, externalId: query.externalId, ...page(query) }),
      schema: positionList,
      signal,
    });
  }

  /**
   * Every position matching the query, one page held at a time; with `readAhead`, the next page is requested as soon
   * as a full one arrives (two pages held at most).
   */
  iteratePositions(query: PositionQuery, pageSize = MAX_PAGE_SIZE, signal?: AbortSignal, options: { readAhead?: boolean } = {}): AsyncGenerator<Position> {
    return paginate(
      (limit, offset) => this.listPositions({ externalSource: query.externalSource, externalId: query.externalId, limit, offset }, signal),
      (item) => item.positionId,
      pageSize,
      `Apriora GET ${PATHS.positions}`,
      options.readAhead ?? false,
    );
  }

  async getPosition(positionId: string, signal?: AbortSignal): Promise<Position> {
    const path = PATHS.position(requireId(positionId, 'position id'));
    return this.call({ method: 'GET', path, schema: position, notFound: `Apriora has no position ${positionId}`, signal });
  }

  async updatePosition(positionId: string, patch: PositionPatch, signal?: AbortSignal): Promise<Position> {
    const path = PATHS.position(requireId(positionId, 'position id'));
    const json = withoutUndefined({ title: patch.title, description: patch.description, status: patch.status });
    return this.call({ method: 'PATCH', path, json, schema: position, notFound: `Apriora has no position ${positionId}`, signal });
  }

  /**
   * Invites a candidate. An existing invitation (same position, same e-mail ignoring case) is a ConflictError
   * `already_invited` whose `existingId` is the invitation id; the 422s of INVALID_INPUT_CODES are InputErrors with
   * that code (`phone_required`, `invalid_phone`, `invalid_email`, `position_closed`).
   */
  async createInvitation(input: NewInvitation, signal?: AbortSignal): Promise<Invitation> {
    const json = withoutUndefined({
      positionId: input.positionId,
      candidate: withoutUndefined({
        email: input.candidate.email,
        firstName: input.candidate.firstName,
        lastName: input.candidate.lastName,
        phone: input.candidate.phone,
      }),
      externalCandidateId: input.externalCandidateId,
      sendAt: input.sendAt,
    });
    return this.call({ method: 'POST', path: PATHS.invitations, json, schema: invitation, signal });
  }

  /** One page of invitations, newest first. */
  async listInvitations(query: InvitationQuery & PageQuery, signal?: AbortSignal): Promise<Invitation[]> {
    return this.call({
      method: 'GET',
      path: PATHS.invitations,
      query: definedQuery({
        [INVITATION_QUERY.positionId]: query.positionId,
        [INVITATION_QUERY.email]: query.email,
        [INVITATION_QUERY.createdAfter]: query.createdAfter,
        ...page(query),
      }),
      schema: invitationList,
      signal,
    });
  }

  /** Every invitation matching the query, one page held at a time. */
  iterateInvitations(query: InvitationQuery, pageSize = MAX_PAGE_SIZE, signal?: AbortSignal): AsyncGenerator<Invitation> {
    return paginate(
      (limit, offset) => this.listInvitations({ positionId: query.positionId, email: query.email, createdAfter: query.createdAfter, limit, offset }, signal),
      (item) => item.invitationId,
      pageSize,
      `Apriora GET ${PATHS.invitations}`,
    );
  }

  async getTrackerIntegration(signal?: AbortSignal): Promise<TrackerIntegration> {
    return withoutCredentials(await this.call({ method: 'GET', path: PATHS.trackerIntegration, schema: trackerIntegration, signal }));
  }

  /** The automations Apriora holds for the Tracker integration (a part it does not send takes its default). */
  async getAutomations(signal?: AbortSignal): Promise<Automations> {
    return (await this.getTrackerIntegration(signal)).automations;
  }

  /**
   * Replaces the automation objects given, whole (Apriora replaces each object a PATCH names and leaves the other),
   * and answers what Apriora then holds. A rule Apriora refuses is an InputError `invalid_rule` with `details.index`.
   */
  async updateAutomations(part: Partial<Automations>, signal?: AbortSignal): Promise<Automations> {
    const automations = withoutUndefined({ invites: part.invites, interviewCreation: part.interviewCreation });
    if (Object.keys(automations).length === 0) throw new InputError('No automation to change');
    return (await this.updateTrackerIntegration({ automations }, signal)).automations;
  }

  /**
   * Changes the Tracker integration. `credentials` are write-only: they are registered as secrets before the request
   * so that neither the trace nor an error (even one that echoes the body) can show them.
   */
  async updateTrackerIntegration(patch: TrackerIntegrationPatch, signal?: AbortSignal): Promise<TrackerIntegration> {
    if (patch.credentials) {
      this.http.addSecret(patch.credentials.apiKey);
      this.http.addSecret(patch.credentials.password);
    }
    const json = withoutUndefined({
      activityType: patch.activityType,
      activityFields: patch.activityFields,
      automations: patch.automations,
      credentials: patch.credentials,
    });
    return withoutCredentials(await this.call({ method: 'PATCH', path: PATHS.trackerIntegration, json, schema: trackerIntegration, signal }));
  }
}

/**
 * Non-2xx answer → typed error, in one place. 429 and 5xx never get here: the HTTP layer retries them and throws.
 * Messages quote Apriora's error message with every known secret masked.
 */
export function aprioraError(
  response: Pick<HttpResponse, 'status' | 'body' | 'text'>,
  what: string,
  redact: (text: string) => string,
  notFound?: string,
): AppError {
  const { status } = response;
  const info = parseErrorBody(response.body);
  const said = info?.message ? `: ${redact(info.message)}` : '';
  const details = {
    request: what,
    status,
    code: info?.code,
    body: redact(response.body === undefined ? response.text : JSON.stringify(redactKeys(response.body))).slice(0, 500),
  };
  switch (status) {
    case 401:
      return new AuthError(`Apriora rejected the API key (HTTP 401)${said}`, {
        code: 'apriora_unauthorized',
        hint: 'Check the Apriora API key, then log in again with `apriora login`.',
        details,
      });
    case 403:
      return new AuthError(`Apriora refused ${what} for this API key (HTTP 403)${said}`, {
        code: 'apriora_forbidden',
        hint: 'The key is valid but may not make this call: ask Apriora to enable partner access for it, or log in with another key (`apriora login`).',
        details,
      });
    case 404:
      return new NotFoundError(`${notFound ?? `Apriora found nothing at ${what}`} (HTTP 404)${said}`, { status, details });
    case 409:
      return new ConflictError(`Apriora refused ${what}: ${info?.code ?? 'conflict'}${said}`, {
        code: info?.code ?? 'conflict',
        status,
        existingId: conflictExistingId(info),
        details: { ...details, existingId: conflictExistingId(info) },
      });
    case 422:
      if (isInvalidInputCode(details.code)) {
        return new InputError(`Apriora rejected ${what}: ${INVALID_INPUT_CODES[details.code]}${said}`, { code: details.code, details });
      }
      return new InputError(`Apriora rejected ${what} as invalid${said}`, {
        code: 'apriora_invalid_input',
        hint: 'Correct the value Apriora names and run the command again.',
        details,
      });
    default:
      return new RemoteError(`Apriora answered ${what} with HTTP ${status}${said}`, {
        code: info?.code ?? 'apriora_http_error',
        status,
        details,
      });
  }
}

/**
 * Offset paging until a short page. The offset advances by what actually came back, so a server that ignores
 * `limit` is still read correctly; one that ignores `offset` repeats a page, which is caught instead of looping.
 * With `readAhead`, the next page is on its way while this one is consumed.
 */
async function* paginate<T>(
  fetchPage: (limit: number, offset: number) => Promise<T[]>,
  idOf: (item: T) => string,
  pageSize: number,
  what: string,
  readAhead = false,
): AsyncGenerator<T> {
  const limit = clampLimit(pageSize, 'page size');
  const request = (offset: number): Promise<T[]> => {
    const pending = fetchPage(limit, offset);
    pending.catch(() => {}); // awaited below; this only keeps an abandoned read-ahead from going unhandled
    return pending;
  };
  let offset = 0;
  let previousFirstId: string | undefined;
  let next: Promise<T[]> | undefined = request(0);
  while (next) {
    const items: T[] = await next;
    const first = items[0];
    const firstId = first === undefined ? undefined : idOf(first);
    if (firstId !== undefined && firstId === previousFirstId) {
      throw new RemoteError(`${what} returned the same page again at offset ${offset}: paging is not working`, {
        code: 'paging_stuck',
        details: { offset, limit },
      });
    }
    previousFirstId = firstId;
    const full = items.length >= limit;
    offset += items.length;
    next = full && readAhead ? request(offset) : undefined;
    yield* items;
    if (full && !readAhead) next = request(offset);
  }
}

function clampLimit(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new InputError(`The ${name} must be a whole number of at least 1, not ${value}`);
  }
  return Math.min(value, MAX_PAGE_SIZE);
}

function page(query: PageQuery): Query {
  if (query.offset !== undefined && (!Number.isInteger(query.offset) || query.offset < 0)) {
    throw new InputError(`The offset must be a whole number of at least 0, not ${query.offset}`);
  }
  return { limit: query.limit === undefined ? undefined : clampLimit(query.limit, 'limit'), offset: query.offset };
}

/** Only the parameters that were given: undefined and empty strings are left out of the query string. */
function definedQuery(query: Query): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') out[key] = value;
  }
  return out;
}

function withoutUndefined<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as T;
}

function requireId(value: string, name: string): string {
  if (!value?.trim()) throw new InputError(`The ${name} is empty`);
  return value;
}

/** Apriora never returns the Tracker credentials; should it ever echo them, they must not reach the caller's output. */
function withoutCredentials(integration: TrackerIntegration): TrackerIntegration {
  const { credentials: _credentials, ...rest } = integration as TrackerIntegration & { credentials?: unknown };
  return rest as TrackerIntegration;
}
