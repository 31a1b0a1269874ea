import { expect } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { type Answer, conformance } from './harness.js';

const EXCHANGE = '/api/Auth/ExchangeToken';
const SEARCH = '/api/v1/OpportunityResource/Search';

interface RestRequest {
  method?: string;
  /** A raw string is sent as it is; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** One raw request to {sandbox}/tracker-rest<path>: JSON content type unless the headers say otherwise. */
async function rest(sandbox: RunningSandbox, path: string, { method = 'POST', body, headers = {} }: RestRequest = {}): Promise<Answer> {
  const response = await fetch(`${sandbox.trackerRestUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { http: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

/** POST /api/Auth/ExchangeToken with the sandbox's API token (or the one given). */
const exchange = (sandbox: RunningSandbox, bearerToken: unknown = sandbox.credentials.restToken): Promise<Answer> =>
  rest(sandbox, EXCHANGE, { body: { bearerToken } });

/** A JWT from a fresh exchange. */
async function jwt(sandbox: RunningSandbox): Promise<string> {
  const answer = await exchange(sandbox);
  return answer.body.token as string;
}

/** POST /api/v1/OpportunityResource/Search with `Authorization: Bearer <token>`. */
const search = (
  sandbox: RunningSandbox,
  token: string,
  body: unknown = { searchText: '', pageSize: 10, pageNumber: 1 },
  headers: Record<string, string> = {},
) => rest(sandbox, SEARCH, { body, headers: { authorization: `Bearer ${token}`, ...headers } });

const rows = (answer: Answer): Array<Record<string, unknown>> => answer.body.data as Array<Record<string, unknown>>;

conformance('Tracker REST v1: the token exchange', [
  {
    name: 'the API token → 200 {token, expiration}: a JWT of three parts and an ISO 8601 expiry in the future',
    send: (sandbox) => exchange(sandbox),
    expect: { http: 200 },
    check: ({ body }) => {
      expect(body.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(Date.parse(body.expiration as string)).toBeGreaterThan(Date.now());
    },
  },
  {
    name: 'a wrong API token → 401',
    send: (sandbox) => exchange(sandbox, 'not-the-token'),
    expect: { http: 401, body: { message: expect.any(String) } },
  },
  {
    name: 'the API token in another letter case → 401 (tokens compare exactly)',
    send: (sandbox) => exchange(sandbox, sandbox.credentials.restToken.toUpperCase()),
    expect: { http: 401 },
  },
  {
    name: 'no bearerToken → 400',
    send: (sandbox) => rest(sandbox, EXCHANGE, { body: {} }),
    expect: { http: 400, body: { message: expect.any(String) } },
  },
  {
    name: 'bearerToken that is not a string → 400',
    send: (sandbox) => exchange(sandbox, 12345),
    expect: { http: 400 },
  },
  {
    name: 'an empty body → 400',
    send: (sandbox) => rest(sandbox, EXCHANGE, { body: '' }),
    expect: { http: 400 },
  },
  {
    name: 'a body that is not JSON → 400',
    send: (sandbox) => rest(sandbox, EXCHANGE, { body: '{"bearerToken":' }),
    expect: { http: 400 },
  },
  {
    name: 'a JSON array instead of an object → 400',
    send: (sandbox) => rest(sandbox, EXCHANGE, { body: [sandbox.credentials.restToken] }),
    expect: { http: 400 },
  },
  {
    name: 'Content-Type text/plain (stricter: JSON only) → 415',
    send: (sandbox) => rest(sandbox, EXCHANGE, { body: { bearerToken: sandbox.credentials.restToken }, headers: { 'content-type': 'text/plain' } }),
    expect: { http: 415 },
    check: (_answer, sandbox) => expect(sandbox.tracker.restAuth.exchanges).toBe(0),
  },
  {
    name: 'GET on the exchange → 405 with Allow: POST',
    send: (sandbox) => rest(sandbox, EXCHANGE, { method: 'GET', headers: {} }),
    expect: { http: 405 },
  },
  {
    name: 'a wrong API token hands out nothing: the live JWT stays live',
    send: async (sandbox) => {
      const token = await jwt(sandbox);
      await exchange(sandbox, 'not-the-token');
      return search(sandbox, token);
    },
    expect: { http: 200 },
  },
]);

conformance('Tracker REST v1: one live JWT per API token, expiry and 401s', [
  {
    name: 'a search with the JWT → 200',
    send: async (sandbox) => search(sandbox, await jwt(sandbox)),
    expect: { http: 200, body: { pageNumber: 1, pageSize: 10, totalRecords: expect.any(Number) } },
  },
  {
    name: 'a second exchange supersedes the first JWT → 401 with it',
    send: async (sandbox) => {
      const first = await jwt(sandbox);
      await jwt(sandbox);
      return search(sandbox, first);
    },
    expect: { http: 401, body: { message: expect.any(String) } },
  },
  {
    name: 'the JWT of the second exchange works → 200',
    send: async (sandbox) => {
      await jwt(sandbox);
      return search(sandbox, await jwt(sandbox));
    },
    expect: { http: 200 },
  },
  {
    name: 'an expired JWT → 401',
    send: async (sandbox) => {
      const token = await jwt(sandbox);
      sandbox.tracker.restAuth.expireLive();
      return search(sandbox, token);
    },
    expect: { http: 401 },
  },
  {
    name: 'after expiry a new exchange → a JWT that works',
    send: async (sandbox) => {
      await jwt(sandbox);
      sandbox.tracker.restAuth.expireLive();
      return search(sandbox, await jwt(sandbox));
    },
    expect: { http: 200 },
  },
  {
    name: 'no Authorization header → 401 with WWW-Authenticate: Bearer',
    send: async (sandbox) => {
      const response = await fetch(`${sandbox.trackerRestUrl}${SEARCH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ searchText: '', pageSize: 10, pageNumber: 1 }),
      });
      return { http: response.status, body: { challenge: response.headers.get('www-authenticate') } };
    },
    expect: { http: 401, body: { challenge: expect.stringMatching(/^Bearer/) } },
  },
  {
    name: 'the API token itself as the bearer (not exchanged) → 401',
    send: (sandbox) => search(sandbox, sandbox.credentials.restToken),
    expect: { http: 401 },
  },
  {
    name: 'a made-up JWT → 401',
    send: (sandbox) => search(sandbox, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'),
    expect: { http: 401 },
  },
  {
    name: 'the JWT under the Basic scheme → 401',
    send: async (sandbox) => {
      const token = await jwt(sandbox);
      return rest(sandbox, SEARCH, { body: { searchText: '' }, headers: { authorization: `Basic ${token}` } });
    },
    expect: { http: 401 },
  },
  {
    name: 'a 401 comes before the body is read: no JWT and a broken body → 401, not 400',
    send: (sandbox) => rest(sandbox, SEARCH, { body: '{broken' }),
    expect: { http: 401 },
  },
  {
    name: 'the exchange needs no Authorization header and ignores a stale one → 200',
    send: (sandbox) => rest(sandbox, EXCHANGE, { body: { bearerToken: sandbox.credentials.restToken }, headers: { authorization: 'Bearer stale.jwt.value' } }),
    expect: { http: 200 },
  },
]);

conformance('Tracker REST v1: applicant search', [
  {
    name: 'rows carry the OpportunityResource fields, activeRecord "y"/"n" and ISO 8601 dates',
    send: async (sandbox) => search(sandbox, await jwt(sandbox)),
    expect: { http: 200 },
    check: (answer) => {
      const [row] = rows(answer);
      expect(row).toMatchObject({
        opportunityResourceId: expect.any(Number),
        opportunityId: expect.any(Number),
        resourceId: expect.any(Number),
        opportunityName: expect.any(String),
        opportunityResourceStatusName: expect.any(String),
        activeRecord: expect.stringMatching(/^[yn]$/),
        resourceDisplayAs: expect.any(String),
        resourceEmail: expect.any(String),
        source: expect.any(String),
        dateCreated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/),
        lastUpdated: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/),
      });
    },
  },
  {
    name: 'pageSize 50 → at most 10 rows, and the answer says pageSize 10',
    send: async (sandbox) => search(sandbox, await jwt(sandbox), { searchText: '', pageSize: 50, pageNumber: 1 }),
    expect: { http: 200, body: { pageSize: 10, pageNumber: 1 } },
    check: (answer) => expect(rows(answer).length).toBe(10),
  },
  {
    name: 'pages are 1-based, in ascending opportunityResourceId, and page 2 follows page 1',
    send: async (sandbox) => {
      const token = await jwt(sandbox);
      const first = await search(sandbox, token, { searchText: '', pageSize: 10, pageNumber: 1 });
      const second = await search(sandbox, token, { searchText: '', pageSize: 10, pageNumber: 2 });
      return { http: second.http, body: { ids: [...rows(first), ...rows(second)].map((row) => row.opportunityResourceId) } };
    },
    expect: { http: 200 },
    check: ({ body }) => {
      const ids = body.ids as number[];
      expect(ids.length).toBe(20);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    },
  },
  {
    name: 'pageSize 3 → 3 rows; totalRecords counts every row',
    send: async (sandbox) => search(sandbox, await jwt(sandbox), { searchText: '', pageSize: 3, pageNumber: 1 }),
    expect: { http: 200, body: { pageSize: 3, totalRecords: expect.any(Number) } },
    check: (answer, sandbox) => {
      expect(rows(answer).length).toBe(3);
      expect(answer.body.totalRecords).toBe(sandbox.tracker.applications.length);
    },
  },
  {
    name: 'a page beyond the last → 200 with no rows',
    send: async (sandbox) => search(sandbox, await jwt(sandbox), { searchText: '', pageSize: 10, pageNumber: 10_000 }),
    expect: { http: 200, body: { data: [] } },
  },
  {
    name: 'searchText matches a part of the e-mail, ignoring case',
    send: async (sandbox) => search(sandbox, await jwt(sandbox), { searchText: 'OLIVIA.BENNETT', pageSize: 10, pageNumber: 1 }),
    expect: { http: 200 },
    check: (answer) => {
      expect(rows(answer).length).toBeGreaterThan(0);
      for (const row of rows(answer)) expect(String(row.resourceEmail).toLowerCase()).toContain('olivia.bennett');
    },
  },
  {
    name: 'an opportunityId filter is ignored (a client filters rows itself)',
    send: async (sandbox) => search(sandbox, await jwt(sandbox), { searchText: '', pageSize: 10, pageNumber: 1, opportunityId: 3101 }),
    expect: { http: 200 },
    check: (answer, sandbox) => expect(answer.body.totalRecords).toBe(sandbox.tracker.applications.length),
  },
  {
    name: 'no paging fields → page 1 of 10 rows',
    send: async (sandbox) => search(sandbox, await jwt(sandbox), {}),
    expect: { http: 200, body: { pageNumber: 1, pageSize: 10 } },
  },
  {
    name: 'pageNumber 0 → 400',
    send: async (sandbox) => search(sandbox, await jwt(sandbox), { searchText: '', pageSize: 10, pageNumber: 0 }),
    expect: { http: 400, body: { message: expect.stringContaining('pageNumber') } },
  },
  {
    name: 'pageSize 0 → 400',
    send: async (sandbox) => search(sandbox, await jwt(sandbox), { searchText: '', pageSize: 0, pageNumber: 1 }),
    expect: { http: 400, body: { message: expect.stringContaining('pageSize') } },
  },
  {
    name: 'pageSize as a string "10" → 400 (types as specified)',
    send: async (sandbox) => search(sandbox, await jwt(sandbox), { searchText: '', pageSize: '10', pageNumber: 1 }),
    expect: { http: 400 },
  },
  {
    name: 'pageNumber 1.5 → 400',
    send: async (sandbox) => search(sandbox, await jwt(sandbox), { searchText: '', pageSize: 10, pageNumber: 1.5 }),
    expect: { http: 400 },
  },
  {
    name: 'searchText that is not a string → 400',
    send: async (sandbox) => search(sandbox, await jwt(sandbox), { searchText: 42, pageSize: 10, pageNumber: 1 }),
    expect: { http: 400 },
  },
  {
    name: 'a body that is not JSON → 400',
    send: async (sandbox) => search(sandbox, await jwt(sandbox), '{"searchText": '),
    expect: { http: 400 },
  },
  {
    name: 'Content-Type text/plain (stricter: JSON only) → 415',
    send: async (sandbox) => search(sandbox, await jwt(sandbox), { searchText: '' }, { 'content-type': 'text/plain' }),
    expect: { http: 415 },
  },
  {
    name: 'GET on the search → 405',
    send: async (sandbox) => rest(sandbox, SEARCH, { method: 'GET', headers: { authorization: `Bearer ${await jwt(sandbox)}` } }),
    expect: { http: 405 },
  },
  {
    name: 'an unknown path → 404',
    send: async (sandbox) => rest(sandbox, '/api/v1/Opportunity/Search', { body: {}, headers: { authorization: `Bearer ${await jwt(sandbox)}` } }),
    expect: { http: 404, body: { message: expect.any(String) } },
  },
]);
