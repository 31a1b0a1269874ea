import type { EmulatedApi, EmulatedRequest, EmulatedResponse } from '../emulated-api.js';
import {
  type AprioraOperation,
  createInvitation,
  createPosition,
  getPosition,
  getTrackerIntegration,
  listCandidates,
  listInvitations,
  listPositions,
  listReports,
  listTemplates,
  updatePosition,
  updateTrackerIntegration,
} from './ops.js';
import { AprioraFailure, errorAnswer, invalidRequest, jsonAnswer } from './protocol.js';
import type { AprioraState } from './state.js';

/** Where the Apriora API is mounted in the sandbox: its base URL is `<sandbox url>/apriora/v1/api`. */
export const APRIORA_API_PREFIX = '/apriora/v1/api';

interface Route {
  method: string;
  /** Path segments after the prefix; `{name}` is a parameter. */
  segments: readonly string[];
  handler: AprioraOperation;
}

const route = (method: string, path: string, handler: AprioraOperation): [string, Route] => [
  `${method} ${path}`,
  { method, segments: path.split('/').filter(Boolean), handler },
];

/**
 * The operations, named `<METHOD> <path template>` exactly as the spec's tables write them (e.g. `POST /positions`,
 * `GET /positions/{positionId}`). These names are what the request log's `op`, the admin `?op=` filter and one-shot
 * faults (`{ api: 'apriora', op: 'POST /positions' }`) use. POST and PATCH are writes (after-commit faults apply).
 */
const ROUTES: ReadonlyMap<string, Route> = new Map([
  route('GET', '/templates', listTemplates),
  route('POST', '/positions', createPosition),
  route('GET', '/positions', listPositions),
  route('GET', '/positions/{positionId}', getPosition),
  route('PATCH', '/positions/{positionId}', updatePosition),
  route('POST', '/invitations', createInvitation),
  route('GET', '/invitations', listInvitations),
  route('GET', '/candidates', listCandidates),
  route('GET', '/reports', listReports),
  route('GET', '/integrations/tracker', getTrackerIntegration),
  route('PATCH', '/integrations/tracker', updateTrackerIntegration),
]);

export const APRIORA_OPS = [...ROUTES.keys()];
export type AprioraOpName = (typeof APRIORA_OPS)[number];

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** Operations that change the database: the only ones an after-commit fault applies to. */
export function isAprioraWriteOp(op: string): boolean {
  const found = ROUTES.get(op);
  return found !== undefined && WRITE_METHODS.has(found.method);
}

function segmentsOf(path: string): string[] | undefined {
  const rest = path.slice(APRIORA_API_PREFIX.length);
  if (rest !== '' && !rest.startsWith('/')) return undefined;
  try {
    return rest.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

function matches(route: Route, segments: readonly string[]): Record<string, string> | undefined {
  if (route.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, expected] of route.segments.entries()) {
    const actual = segments[index] ?? '';
    const name = /^\{(\w+)\}$/.exec(expected)?.[1];
    if (name !== undefined) params[name] = actual;
    else if (expected !== actual) return undefined;
  }
  return params;
}

/**
 * Query parameters the way the emulator reads them: an empty value is absent; a name given twice is 422 (stricter
 * than the spec, which is silent: which of two limits would apply is a guess, so none is made).
 */
function flatQuery(query: URLSearchParams): Record<string, string> {
  const flat: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, value] of query) {
    if (seen.has(name)) throw invalidRequest(`query.${name}: given more than once`);
    seen.add(name);
    if (value !== '') flat[name] = value;
  }
  return flat;
}

/** A body is JSON and says so (stricter than the spec, which names no media type): anything else is 415. */
function parseBody(text: string, contentType: string | string[] | undefined): unknown {
  const type = (typeof contentType === 'string' ? contentType : '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type !== 'application/json') {
    throw new AprioraFailure(415, 'unsupported_media_type', `Content-Type: expected application/json, got ${type === '' ? 'none' : type}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidRequest(text.trim() === '' ? 'body: a JSON object is required' : 'body: not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidRequest('body: expected a JSON object');
  return value;
}

export interface AprioraApiOptions {
  state: AprioraState;
  /** The `X-API-Key` every call must carry. */
  apiKey: string;
}

/**
 * Apriora's API at `/apriora/v1/api/*` (spec: apriora-api.md): JSON in and out, `X-API-Key` on every call (401
 * `unauthorized` otherwise), errors as `{"error": {"code", "message"}}`, also for injected faults (429 with
 * Retry-After, 502, 503) and oversized bodies (413).
 */
export function createAprioraApi({ state, apiKey }: AprioraApiOptions): EmulatedApi {
  const find = (method: string, path: string): { route: Route; params: Record<string, string> } | undefined => {
    const segments = segmentsOf(path);
    if (!segments) return undefined;
    for (const candidate of ROUTES.values()) {
      if (candidate.method !== method) continue;
      const params = matches(candidate, segments);
      if (params) return { route: candidate, params };
    }
    return undefined;
  };

  return {
    name: 'apriora',
    prefix: APRIORA_API_PREFIX,
    resolve({ method, path }) {
      const segments = segmentsOf(path) ?? [];
      const found = find(method, path);
      if (found) {
        const op = `${method} /${found.route.segments.join('/')}`;
        return { op, isWrite: isAprioraWriteOp(op) };
      }
      const shown = `/${segments.join('/')}`;
      const allowed = [...ROUTES.values()].filter((candidate) => matches(candidate, segments)).map((candidate) => candidate.method);
      if (allowed.length > 0) {
        return {
          op: `${method} ${shown}`,
          reject: errorAnswer(405, 'method_not_allowed', `${method} is not allowed on ${shown}`, { Allow: allowed.join(', ') }),
        };
      }
      return { op: `${method} ${shown}`, reject: errorAnswer(404, 'not_found', `No route ${method} ${shown}`) };
    },
    handle(op, request: EmulatedRequest): EmulatedResponse {
      const given = request.headers['x-api-key'];
      if (given !== apiKey) return errorAnswer(401, 'unauthorized', 'Invalid API key');
      const found = find(request.method, request.path);
      if (!found) return errorAnswer(404, 'not_found', `No route ${op}`);
      try {
        return found.route.handler({
          state,
          params: found.params,
          query: flatQuery(request.query),
          body: () => parseBody(request.body, request.headers['content-type']),
        });
      } catch (error) {
        if (error instanceof AprioraFailure) return jsonAnswer(error.status, error.toBody());
        const reason = error instanceof Error ? error.message : String(error);
        return { ...errorAnswer(500, 'internal_error', reason), error: error instanceof Error ? (error.stack ?? reason) : reason };
      }
    },
    transportError(status, retryAfterSeconds) {
      switch (status) {
        case 413:
          return errorAnswer(413, 'payload_too_large', 'The request body is too large');
        case 429: {
          const seconds = retryAfterSeconds ?? 1;
          return errorAnswer(429, 'rate_limited', `Too many requests; retry after ${seconds} seconds`, { 'Retry-After': String(seconds) });
        }
        case 502:
          return errorAnswer(502, 'bad_gateway', 'Bad gateway');
        default:
          return errorAnswer(status, 'service_unavailable', 'The service is temporarily unavailable');
      }
    },
  };
}
