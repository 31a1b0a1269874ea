import type { SandboxCredentials } from '../credentials.js';
import type { EmulatedApi, EmulatedRequest, EmulatedResponse } from '../emulated-api.js';
import { isPlainObject } from './protocol.js';
import { type OpportunityResourceRow, opportunityResourceRow, rowLookups } from './rest-rows.js';
import type { TrackerState } from './state.js';

/** Where Tracker's REST v1 API is mounted in the sandbox: its base URL is `<sandbox url>/tracker-rest`. */
export const TRACKER_REST_PREFIX = '/tracker-rest';

export const REST_EXCHANGE_OP = 'POST /api/Auth/ExchangeToken';
export const REST_SEARCH_OP = 'POST /api/v1/OpportunityResource/Search';
/** The operations, `<METHOD> <path>` as the request log, the admin `?op=` filter and one-shot faults name them. */
export const TRACKER_REST_OPS = [REST_EXCHANGE_OP, REST_SEARCH_OP] as const;
export type TrackerRestOpName = (typeof TRACKER_REST_OPS)[number];

/** A search page holds at most this many rows, whatever `pageSize` asks. */
export const REST_MAX_PAGE_SIZE = 10;

const JSON_TYPE = 'application/json; charset=utf-8';
const PATHS: ReadonlyMap<string, TrackerRestOpName> = new Map(TRACKER_REST_OPS.map((op) => [op.split(' ')[1]?.toLowerCase() ?? '', op]));

const answer = (status: number, value: unknown, headers: Record<string, string> = {}): EmulatedResponse => ({
  status,
  contentType: JSON_TYPE,
  body: JSON.stringify(value),
  headers,
});
const failure = (status: number, message: string, headers: Record<string, string> = {}): EmulatedResponse => answer(status, { message }, headers);

function parseObject(text: string): Record<string, unknown> | EmulatedResponse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return failure(400, text.trim() === '' ? 'A non-empty request body is required.' : 'The request body is not valid JSON.');
  }
  return isPlainObject(value) ? value : failure(400, 'The request body must be a JSON object.');
}

/** ASP.NET reads a [FromBody] model from JSON only: any other media type (or none) is 415 before the body is read. */
function jsonContentType(request: EmulatedRequest): EmulatedResponse | undefined {
  const header = request.headers['content-type'];
  const type = (typeof header === 'string' ? header : '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type)) return undefined;
  return failure(415, 'The request entity has a media type which the server or resource does not support; send application/json.');
}

const isAnswer = (value: Record<string, unknown> | EmulatedResponse): value is EmulatedResponse =>
  typeof value.status === 'number' && typeof value.contentType === 'string' && typeof value.body === 'string';

/** A positive integer, or the default when absent or null; anything else is the 400's message. */
function positiveInt(body: Record<string, unknown>, key: string, fallback: number): number | string {
  const value = body[key];
  if (value === undefined || value === null) return fallback;
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : `${key} must be an integer of 1 or more.`;
}

function unauthorized(message: string): EmulatedResponse {
  return failure(401, message, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
}

export interface TrackerRestApiOptions {
  state: TrackerState;
  credentials: Required<Pick<SandboxCredentials, 'restToken'>>;
}

/**
 * Tracker's REST v1 API at `/tracker-rest/api/...`, to the letter of its contract (the spec's §4):
 * - `POST /api/Auth/ExchangeToken` `{"bearerToken": "<API token>"}` (no auth header) → 200 `{"token", "expiration"}`;
 *   401 for a wrong token. ONE live JWT per API token: each exchange supersedes the JWT handed out before it.
 * - `POST /api/v1/OpportunityResource/Search` with `Authorization: Bearer <JWT>` and `{"searchText", "pageSize",
 *   "pageNumber"}` → `{"data": [OpportunityResource], "totalRecords", "pageNumber", "pageSize"}`. Pages are 1-based
 *   and hold at most 10 rows whatever pageSize asks (the answer says pageSize 10 then); rows come in ascending
 *   opportunityResourceId, active or not, of every job; every filter other than searchText (opportunityId, …) is
 *   ignored. searchText (trimmed; empty = everything) matches, ignoring case, a part of the candidate's name
 *   (resourceDisplayAs), e-mail (resourceEmail) or the job's name (opportunityName).
 * Errors are plain HTTP codes with a JSON `{"message"}` body: 415 for a body sent as anything but JSON (stricter than
 * the spec, which names no media type: ASP.NET's rule), 400 for a bad body, 401 without, or with an unknown,
 * superseded or expired JWT, 404 for an unknown path, 405 for a method other than POST. Paths ignore case.
 * Rate limits count with the Widget API's (rateLimitGroup "tracker"); faults and latency apply as elsewhere.
 */
export function createTrackerRestApi({ state, credentials }: TrackerRestApiOptions): EmulatedApi {
  const exchange = (request: EmulatedRequest): EmulatedResponse => {
    const unsupported = jsonContentType(request);
    if (unsupported) return unsupported;
    const body = parseObject(request.body);
    if (isAnswer(body)) return body;
    const given = body.bearerToken;
    if (typeof given !== 'string' || given === '') return failure(400, 'bearerToken is required.');
    if (given !== credentials.restToken) return failure(401, 'The API token is invalid or has been revoked.');
    return answer(200, state.restAuth.exchange());
  };

  const search = (request: EmulatedRequest): EmulatedResponse => {
    const header = request.headers.authorization;
    const jwt = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
    if (jwt === undefined) return unauthorized('Authorization has been denied for this request.');
    switch (state.restAuth.check(jwt)) {
      case 'ok':
        break;
      case 'expired':
        return unauthorized('The token has expired.');
      case 'superseded':
        return unauthorized('The token has been replaced by a newer one.');
      case 'unknown':
        return unauthorized('Authorization has been denied for this request.');
    }
    const unsupported = jsonContentType(request);
    if (unsupported) return unsupported;
    const body = parseObject(request.body);
    if (isAnswer(body)) return body;
    const searchText = body.searchText ?? '';
    if (typeof searchText !== 'string') return failure(400, 'searchText must be a string.');
    const asked = positiveInt(body, 'pageSize', REST_MAX_PAGE_SIZE);
    if (typeof asked === 'string') return failure(400, asked);
    const pageNumber = positiveInt(body, 'pageNumber', 1);
    if (typeof pageNumber === 'string') return failure(400, pageNumber);

    const pageSize = Math.min(asked, REST_MAX_PAGE_SIZE);
    const needle = searchText.trim().toLowerCase();
    const lookups = rowLookups(state);
    let rows: OpportunityResourceRow[] = [...state.applications].sort((a, b) => a.id - b.id).map((application) => opportunityResourceRow(application, lookups));
    if (needle !== '') {
      rows = rows.filter((row) => [row.resourceDisplayAs, row.resourceEmail, row.opportunityName].some((text) => text.toLowerCase().includes(needle)));
    }
    const data = rows.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
    return answer(200, { data, totalRecords: rows.length, pageNumber, pageSize });
  };

  return {
    name: 'tracker-rest',
    prefix: TRACKER_REST_PREFIX,
    rateLimitGroup: 'tracker',
    resolve({ method, path }) {
      const rest = path.slice(TRACKER_REST_PREFIX.length).replace(/\/+$/, '') || '/';
      const op = PATHS.get(rest.toLowerCase());
      if (op === undefined) {
        return { op: `${method} ${rest}`, reject: failure(404, `No HTTP resource was found that matches the request URI '${path}'.`) };
      }
      if (method !== 'POST') {
        return {
          op: `${method} ${op.split(' ')[1]}`,
          reject: failure(405, `The requested resource does not support http method '${method}'.`, { Allow: 'POST' }),
        };
      }
      // The exchange changes the server's state (it supersedes the live JWT): an after-commit fault applies to it.
      return { op, isWrite: op === REST_EXCHANGE_OP };
    },
    handle(op, request) {
      return op === REST_EXCHANGE_OP ? exchange(request) : search(request);
    },
  };
}
