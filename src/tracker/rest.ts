import { z } from 'zod';
import { AuthError, InputError, NotFoundError, RemoteError } from '../errors.js';
import type { HttpClient, HttpResponse } from '../http/client.js';
import { parseAnswer } from '../http/parse.js';
import { memoryRestJwtCache, type RestJwtCache } from '../store/rest-token-cache.js';
import { type ExchangedJwt, RestTokenBroker } from './rest-auth.js';
import { REST_TOKEN_HINT } from './rest-hosts.js';
import { trackerId } from './schemas.js';

export { derivedRestBaseUrl, REST_HOSTS, REST_OVERRIDE_PREFIX, REST_TOKEN_HINT, restTokenHint } from './rest-hosts.js';

/**
 * Tracker's REST API v1, used only where the Widget API has no operation: listing a job's applicants. Every REST
 * path, field and quirk this tool relies on lives in this module, its hosts in rest-hosts.ts (`apriora help api`).
 */

export const REST_PATHS = {
  exchangeToken: '/api/Auth/ExchangeToken',
  applicantSearch: '/api/v1/OpportunityResource/Search',
} as const;

/** A search page holds at most this many rows, whatever `pageSize` asks. */
export const REST_MAX_PAGE_ROWS = 10;

/** Pages requested while the caller reads the current one, once the number of rows is known. */
export const DEFAULT_READ_AHEAD = 2;

export interface Applicant {
  /** opportunityResourceId */
  applicationId: number;
  /** opportunityId */
  jobId: number;
  /** resourceId */
  candidateId: number;
  /** opportunityName */
  jobName: string;
  /** opportunityResourceStatusId */
  statusId: number | null;
  /** opportunityResourceStatusName: a tenant label such as Applied, Shortlisted, Interview, Offered, Placed, Rejected */
  status: string;
  /** activeRecord "y" (case-insensitive) */
  active: boolean;
  /** resourceDisplayAs */
  name: string;
  /** resourceEmail ('' when none) */
  email: string;
  source: string;
  /** dateCreated (ISO 8601) */
  appliedAt: string | null;
  /** lastUpdated (ISO 8601) */
  updatedAt: string | null;
}

const text = z
  .string()
  .nullish()
  .transform((value) => value ?? '');
const date = z
  .string()
  .nullish()
  .transform((value) => (value ? value : null));

const exchangeAnswer = z.looseObject({
  token: z.string().min(1),
  expiration: z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'not a date'),
});

const opportunityResource = z.looseObject({
  opportunityResourceId: trackerId,
  opportunityId: trackerId,
  resourceId: trackerId,
  opportunityName: text,
  opportunityResourceStatusId: trackerId.nullish().transform((value) => value ?? null),
  opportunityResourceStatusName: text,
  activeRecord: z.union([z.string(), z.boolean()]).nullish(),
  resourceDisplayAs: text,
  resourceEmail: text,
  source: text,
  dateCreated: date,
  lastUpdated: date,
});

const searchAnswer = z.looseObject({
  data: z
    .array(opportunityResource)
    .nullish()
    .transform((value) => value ?? []),
  totalRecords: z.number().int().nonnegative(),
  pageNumber: z.number().int().nullish(),
  pageSize: z.number().int().nullish(),
});

type Row = z.infer<typeof opportunityResource>;

export function toApplicant(row: Row): Applicant {
  return {
    applicationId: row.opportunityResourceId,
    jobId: row.opportunityId,
    candidateId: row.resourceId,
    jobName: row.opportunityName,
    statusId: row.opportunityResourceStatusId,
    status: row.opportunityResourceStatusName,
    active: row.activeRecord === true || (typeof row.activeRecord === 'string' && row.activeRecord.trim().toLowerCase() === 'y'),
    name: row.resourceDisplayAs,
    email: row.resourceEmail.trim(),
    source: row.source,
    appliedAt: row.dateCreated,
    updatedAt: row.lastUpdated,
  };
}

/** One page of the applicant search. */
export interface ApplicantPage {
  /** Every row of the page (no job filter). */
  applicants: Applicant[];
  totalRecords: number;
  pageNumber: number;
  /** The page size asked for. */
  pageSize: number;
}

export interface TrackerRestClientOptions {
  /** An HTTP client whose base URL is the REST base URL. */
  http: HttpClient;
  /** The REST API token (the fourth secret of a profile). */
  apiToken: string;
  /** The token's shared JWT cache; without it the JWT lives as long as this client. */
  cache?: RestJwtCache;
  /** How to log a REST API token in, for errors that call for a new one (default REST_TOKEN_HINT). */
  tokenHint?: string;
  now?: () => number;
  /** Rows asked for per page (default and at most what Tracker serves: 10). */
  pageSize?: number;
  /** Pages requested ahead while one is read (default 2; 0: the next page only once this one is read). */
  readAhead?: number;
}

/** Typed Tracker REST v1 operations, behind the token broker. */
export class TrackerRestClient {
  readonly http: HttpClient;
  readonly broker: RestTokenBroker;
  private readonly pageSize: number;
  private readonly readAhead: number;
  private readonly tokenHint: string;

  constructor({
    http,
    apiToken,
    cache,
    now = Date.now,
    pageSize = REST_MAX_PAGE_ROWS,
    readAhead = DEFAULT_READ_AHEAD,
    tokenHint = REST_TOKEN_HINT,
  }: TrackerRestClientOptions) {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new InputError(`The page size must be a whole number of at least 1, not ${pageSize}`);
    this.http = http;
    this.tokenHint = tokenHint;
    this.pageSize = pageSize;
    this.readAhead = Math.max(0, Math.floor(readAhead));
    http.addSecret(apiToken);
    this.broker = new RestTokenBroker({
      baseUrl: http.baseUrl,
      apiToken,
      cache: cache ?? memoryRestJwtCache(),
      now,
      exchange: (signal) => exchangeToken(http, apiToken, now, signal, tokenHint),
    });
  }

  /** The token works: a JWT cached by this profile, or one exchanged now (and cached). For `status`. */
  async verify(signal?: AbortSignal): Promise<void> {
    await this.broker.token(signal);
  }

  /** Exchanges the API token now, whatever the cache holds, and caches the JWT: a login proving a new token. */
  async verifyNewToken(signal?: AbortSignal): Promise<void> {
    await this.broker.fresh(signal);
  }

  /**
   * Proves the API token (for `doctor`) as cheaply for the other processes using it as possible: a usable cached JWT
   * is tried on one search row and kept, since a new exchange would end it for all of them (one live JWT per API
   * token); without one, or when Tracker no longer accepts it, the token is exchanged through the broker and the new
   * JWT cached for the next commands, as any command would.
   */
  async probeToken(signal?: AbortSignal): Promise<{ via: 'cached' | 'exchange' }> {
    const cached = this.broker.cached();
    if (cached) {
      const response = await this.send(
        { method: 'POST', path: REST_PATHS.applicantSearch, json: { searchText: '', pageSize: 1, pageNumber: 1 }, idempotent: true, signal },
        cached,
      );
      if (response.status === 200) return { via: 'cached' };
      if (response.status !== 401) throw httpError(this.http, response, 'OpportunityResource/Search');
      await this.broker.renew(cached, signal);
      return { via: 'exchange' };
    }
    await this.broker.token(signal);
    return { via: 'exchange' };
  }

  /** One page of the search (1-based), every row of it. */
  async searchPage(pageNumber: number, pageSize: number = this.pageSize, signal?: AbortSignal): Promise<ApplicantPage> {
    const response = await this.authorized(
      {
        method: 'POST',
        path: REST_PATHS.applicantSearch,
        json: { searchText: '', pageSize, pageNumber },
        idempotent: true,
        signal,
      },
      'OpportunityResource/Search',
    );
    const answer = parseAnswer(searchAnswer, response.body, 'Tracker REST OpportunityResource/Search');
    return { applicants: answer.data.map(toApplicant), totalRecords: answer.totalRecords, pageNumber, pageSize };
  }

  /**
   * Every applicant row, page after page, optionally only those of one job: filtered here, since the search may
   * ignore any filter. Stops at a page shorter than the page size used, or once pageNumber × pageSize reaches
   * totalRecords. Once the total is known, up to `readAhead` pages are requested while the current one is read.
   */
  applicants(options: { jobId?: number; signal?: AbortSignal } = {}): AsyncIterable<Applicant> {
    return this.iterate(options.jobId, options.signal);
  }

  private async *iterate(jobId: number | undefined, signal: AbortSignal | undefined): AsyncGenerator<Applicant> {
    // Read-ahead requests still in flight when the caller stops reading are cancelled.
    const stop = new AbortController();
    const onAbort = () => stop.abort(signal?.reason);
    if (signal?.aborted) throw signal.reason;
    signal?.addEventListener('abort', onAbort, { once: true });
    const inFlight = new Map<number, Promise<ApplicantPage>>();
    const request = (pageNumber: number, size: number) => {
      const pending = this.searchPage(pageNumber, size, stop.signal);
      pending.catch(() => {}); // awaited below; this only keeps an abandoned read-ahead from going unhandled
      inFlight.set(pageNumber, pending);
    };
    try {
      let size: number;
      let previousFirst: number | undefined;
      let requested = 1;
      request(1, this.pageSize);
      for (let pageNumber = 1; ; pageNumber++) {
        const pending = inFlight.get(pageNumber);
        if (!pending) break;
        inFlight.delete(pageNumber);
        let page: ApplicantPage;
        try {
          page = await pending;
        } catch (error) {
          throw signal?.aborted ? signal.reason : error;
        }
        const rows = page.applicants;
        // The page size actually used: at most 10 rows whatever was asked (unless the page shows more), and the next
        // pages ask for that size, so that page numbers keep counting the same rows.
        size = rows.length > REST_MAX_PAGE_ROWS ? page.pageSize : Math.min(page.pageSize, REST_MAX_PAGE_ROWS);
        const first = rows[0]?.applicationId;
        if (first !== undefined && first === previousFirst) {
          // A server that ignores pageNumber would otherwise make this loop for ever.
          throw new RemoteError(`Tracker REST returned page ${pageNumber} of the applicant search again: paging is not working`, { code: 'paging_stuck' });
        }
        previousFirst = first;
        const last = rows.length < size || pageNumber * size >= page.totalRecords;
        const ahead = () => {
          // Up to `readAhead` pages after this one, as long as the total says there are rows for them.
          const lastPage = Math.max(pageNumber + 1, Math.ceil(page.totalRecords / size));
          const until = Math.min(lastPage, pageNumber + Math.max(1, this.readAhead));
          while (requested < until) request(++requested, size);
        };
        if (!last && this.readAhead > 0) ahead();
        for (const applicant of rows) {
          if (jobId === undefined || applicant.jobId === jobId) yield applicant;
        }
        if (last) break;
        if (this.readAhead === 0) ahead();
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (inFlight.size) stop.abort(new Error('no longer needed'));
    }
  }

  /** A request with the profile's JWT; on a 401 the broker renews it once and the request is sent again. */
  private async authorized(req: Parameters<HttpClient['request']>[0], what: string): Promise<HttpResponse> {
    const jwt = await this.broker.token(req.signal);
    let response = await this.send(req, jwt);
    if (response.status === 401) {
      const renewed = await this.broker.renew(jwt, req.signal);
      response = await this.send(req, renewed);
      if (response.status === 401) throw this.refusedAfterRenewal(response, what);
    }
    if (response.status !== 200) throw httpError(this.http, response, what);
    return response;
  }

  /**
   * A 401 to a JWT just renewed. Tracker keeps one live session per REST API token, so the likeliest cause is another
   * client using the same token (another machine, another tool) exchanging it in between; a revoked token is the other.
   */
  private refusedAfterRenewal(response: HttpResponse, what: string): AuthError {
    const said = bodyMessage(this.http, response);
    const others = 'another client using the same REST API token (on another machine, or another tool)';
    const why = SUPERSEDED.test(rawMessage(response))
      ? `${others} exchanged it since: Tracker keeps one live session per REST API token`
      : `${others} may have exchanged it since (Tracker keeps one live session per REST API token), or the token was revoked or lost its access`;
    return new AuthError(`Tracker REST refused ${what} with a fresh token (HTTP 401)${said}: ${why}`, {
      code: 'tracker_rest_unauthorized',
      hint:
        'Clients sharing a REST API token knock each other out: let one of them use it at a time, then run the command again. ' +
        `If the token was replaced or revoked: ${this.tokenHint}`,
      details: { status: 401 },
    });
  }

  private send(req: Parameters<HttpClient['request']>[0], jwt: string): Promise<HttpResponse> {
    this.http.addSecret(jwt);
    return this.http.request({ ...req, headers: { ...req.headers, authorization: `Bearer ${jwt}` } });
  }
}

/** POST /api/Auth/ExchangeToken: the API token for a JWT and its expiry (on this machine's clock). */
export async function exchangeToken(
  http: HttpClient,
  apiToken: string,
  now: () => number,
  signal?: AbortSignal,
  tokenHint: string = REST_TOKEN_HINT,
): Promise<ExchangedJwt> {
  const response = await http.request({
    method: 'POST',
    path: REST_PATHS.exchangeToken,
    json: { bearerToken: apiToken },
    // A repeated exchange only replaces a JWT that was never received: safe to retry.
    idempotent: true,
    signal,
  });
  if (response.status === 401 || response.status === 403) {
    throw new AuthError(`Tracker refused the REST API token (HTTP ${response.status})${bodyMessage(http, response)}: it is wrong, or it was revoked`, {
      code: 'tracker_rest_token_rejected',
      hint: `${tokenHint} Check that the token logged in is the latest one.`,
      details: { status: response.status },
    });
  }
  if (response.status !== 200) throw httpError(http, response, 'ExchangeToken');
  const answer = parseAnswer(exchangeAnswer, response.body, 'Tracker REST ExchangeToken');
  http.addSecret(answer.token);
  return { jwt: answer.token, expiresAt: localExpiry(Date.parse(answer.expiration), response.headers.get('date'), now()) };
}

/**
 * `expiration` is on Tracker's clock: with the answer's Date header, the JWT's lifetime is carried over to this
 * machine's clock, so that a clock running ahead or behind neither reuses a dead JWT nor exchanges on every command.
 */
function localExpiry(expiration: number, dateHeader: string | null, now: number): number {
  const serverNow = dateHeader ? Date.parse(dateHeader) : Number.NaN;
  return Number.isNaN(serverNow) ? expiration : now + (expiration - serverNow);
}

/** What Tracker says of a JWT that a newer exchange replaced ("The token has been replaced by a newer one."). */
const SUPERSEDED = /replaced|supersede|newer (one|token|session)|another (session|login|exchange)/i;

/** An error body's `message` as received ('' when there is none): only tested, never shown unmasked. */
function rawMessage(response: HttpResponse): string {
  const message = (response.body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : '';
}

/** ", Tracker said: …" from an error body's `message`, secrets masked; '' when there is none. */
function bodyMessage(http: HttpClient, response: HttpResponse): string {
  const message = (response.body as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' && message.trim() ? ` (Tracker said: ${http.redact(message.trim()).slice(0, 300)})` : '';
}

function httpError(http: HttpClient, response: HttpResponse, what: string): RemoteError {
  const message = `Tracker REST answered HTTP ${response.status} to ${what}${bodyMessage(http, response)}`;
  const details = { status: response.status, body: http.redact(response.text).slice(0, 500) };
  if (response.status === 404) {
    return new NotFoundError(message, {
      status: 404,
      details,
      hint: `Check the REST base URL (${http.baseUrl}): set it with \`apriora tracker login --rest-base-url\` or TRACKER_REST_BASE_URL.`,
    });
  }
  return new RemoteError(message, { code: 'tracker_rest_http_error', status: response.status, details });
}
