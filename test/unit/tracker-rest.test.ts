import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Factory } from '../../src/cli/factory.js';
import { AuthError, EnvironmentError, InputError, NotFoundError, RemoteError } from '../../src/errors.js';
import { HttpClient } from '../../src/http/client.js';
import { memoryRestJwtCache, openRestJwtCache, REST_JWT_DIR, restJwtCachePath } from '../../src/store/rest-token-cache.js';
import { WIDGET_HOSTS } from '../../src/tracker/hosts.js';
import { type Applicant, derivedRestBaseUrl, REST_HOSTS, REST_TOKEN_HINT, TrackerRestClient, type TrackerRestClientOptions } from '../../src/tracker/rest.js';
import { REUSE_MARGIN_MS, restJwtKey, reusableUntil } from '../../src/tracker/rest-auth.js';
import { defaultCountry, parseCountry, requireTrackerRestToken, trackerRestBaseUrl } from '../../src/workflows/connections.js';
import { testHttpClient, useStrictNock } from '../support/nock-http.js';

const REST = 'https://evousapi.tracker-rms.com';
const TOKEN = 'rest-api-token-0123456789abcdef';
const JWT = ['eyJhbGciOiJIUzI1NiJ9.first-jwt.sig-one', 'eyJhbGciOiJIUzI1NiJ9.second-jwt.sig-two', 'eyJhbGciOiJIUzI1NiJ9.third-jwt.sig-three'];
const EXCHANGE = '/api/Auth/ExchangeToken';
const SEARCH = '/api/v1/OpportunityResource/Search';
const HOUR = 3_600_000;
/** The cache key of TOKEN at REST. */
const KEY = restJwtKey(REST, TOKEN);

interface Sent {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

type Answer = [status: number, body: unknown, headers?: Record<string, string>];

/** Expects exactly `count` REST requests; each is recorded as sent and answered by `handler`. */
function serve(count: number, handler: (request: Sent, index: number) => Answer): Sent[] {
  const sent: Sent[] = [];
  nock(REST)
    .post(/.*/)
    .times(count)
    .reply(function (uri, body) {
      const request = { path: uri, headers: this.req.headers as Sent['headers'], body: typeof body === 'string' ? JSON.parse(body) : body };
      sent.push(request);
      const [status, answer, headers] = handler(request, sent.length - 1);
      return [status, answer as nock.Body, { 'content-type': 'application/json', ...headers }];
    });
  return sent;
}

function row(id: number, jobId = 7, extra: Record<string, unknown> = {}) {
  return {
    opportunityResourceId: id,
    opportunityId: jobId,
    resourceId: 1000 + id,
    opportunityName: `Job ${jobId}`,
    opportunityResourceStatusId: 3,
    opportunityResourceStatusName: 'Applied',
    activeRecord: 'y',
    resourceDisplayAs: `Person ${id}`,
    resourceEmail: `p${id}@example.com`,
    source: 'Website',
    dateCreated: '2025-05-01T09:30:00Z',
    lastUpdated: '2025-05-02T10:00:00Z',
    ...extra,
  };
}

function rows(from: number, count: number, jobOf: (id: number) => number = () => 7) {
  return Array.from({ length: count }, (_, i) => row(from + i, jobOf(from + i)));
}

const expiresIn = (ms: number, from = Date.now()) => new Date(from + ms).toISOString();

/**
 * A REST server to the spec's letter: one live JWT per token (a new exchange supersedes the last), pages of at most
 * 10 rows whatever is asked, 1-based; every filter but searchText ignored.
 */
function tracker(all: ReturnType<typeof row>[], options: { lifetimeMs?: number } = {}) {
  let live: string | undefined;
  let issued = 0;
  const state = { exchanges: 0, searches: [] as { page: number; size: number }[] };
  const handler = (request: Sent): Answer => {
    if (request.path === EXCHANGE) {
      state.exchanges++;
      if (request.body?.bearerToken !== TOKEN) return [401, { message: 'Invalid token' }];
      live = JWT[issued++] ?? `jwt-${issued}`;
      return [200, { token: live, expiration: expiresIn(options.lifetimeMs ?? HOUR) }];
    }
    if (request.headers.authorization !== `Bearer ${live}`) return [401, { message: 'Unauthorized' }];
    const { pageNumber, pageSize } = request.body;
    state.searches.push({ page: pageNumber, size: pageSize });
    const size = Math.min(pageSize, 10);
    return [200, { data: all.slice((pageNumber - 1) * size, pageNumber * size), totalRecords: all.length, pageNumber, pageSize }];
  };
  return { state, handler };
}

function restClient(options: Partial<TrackerRestClientOptions> = {}) {
  const harness = testHttpClient(REST, 'Tracker REST');
  const client = new TrackerRestClient({ http: harness.http, apiToken: TOKEN, ...options });
  return { ...harness, client };
}

async function collect(iterable: AsyncIterable<Applicant>): Promise<Applicant[]> {
  const out: Applicant[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function failure<T extends Error>(promise: Promise<unknown>, type: new (...args: any[]) => T): Promise<T> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as T;
  }
  throw new Error('expected a failure');
}

useStrictNock();

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apriora-rest-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('Tracker REST requests', () => {
  it('exchanges the API token (no auth header), then searches with the Bearer JWT: exact requests, rows mapped', async () => {
    nock(REST, { badheaders: ['authorization'] })
      .matchHeader('content-type', 'application/json')
      .matchHeader('accept', 'application/json')
      .post(EXCHANGE, (body) => JSON.stringify(body) === JSON.stringify({ bearerToken: TOKEN }))
      .reply(200, { token: JWT[0], expiration: expiresIn(HOUR) }, { 'content-type': 'application/json' });
    nock(REST)
      .matchHeader('authorization', `Bearer ${JWT[0]}`)
      .matchHeader('content-type', 'application/json')
      .post(SEARCH, (body) => JSON.stringify(body) === JSON.stringify({ searchText: '', pageSize: 10, pageNumber: 1 }))
      .reply(
        200,
        {
          data: [
            row(11),
            row(12, 8, {
              opportunityResourceId: '12',
              activeRecord: 'N',
              resourceEmail: null,
              source: null,
              opportunityResourceStatusId: null,
              dateCreated: null,
              extraField: 'kept out',
            }),
            row(13, 7, { activeRecord: 'Y' }),
          ],
          totalRecords: 3,
          pageNumber: 1,
          pageSize: 10,
        },
        { 'content-type': 'application/json' },
      );
    const { client } = restClient();
    expect(await collect(client.applicants())).toEqual([
      {
        applicationId: 11,
        jobId: 7,
        candidateId: 1011,
        jobName: 'Job 7',
        statusId: 3,
        status: 'Applied',
        active: true,
        name: 'Person 11',
        email: 'p11@example.com',
        source: 'Website',
        appliedAt: '2025-05-01T09:30:00Z',
        updatedAt: '2025-05-02T10:00:00Z',
      },
      {
        applicationId: 12,
        jobId: 8,
        candidateId: 1012,
        jobName: 'Job 8',
        statusId: null,
        status: 'Applied',
        active: false,
        name: 'Person 12',
        email: '',
        source: '',
        appliedAt: null,
        updatedAt: '2025-05-02T10:00:00Z',
      },
      expect.objectContaining({ applicationId: 13, active: true }),
    ]);
    expect(client.broker.exchanges).toBe(1);
  });

  it('an answer of the wrong shape is a clear remote error naming the field', async () => {
    serve(2, (request) => (request.path === EXCHANGE ? [200, { token: JWT[0], expiration: expiresIn(HOUR) }] : [200, { data: [{ opportunityId: 7 }] }]));
    const error = await failure(collect(restClient().client.applicants()), RemoteError);
    expect(error.code).toBe('unexpected_response');
    expect(error.message).toMatch(/OpportunityResource\/Search answered with an unexpected shape: .*totalRecords/);
  });

  it('404 reads the error body message and points at the REST base URL; 429 waits Retry-After; 5xx is retried', async () => {
    const { client, delays } = restClient();
    serve(5, (request, index) => {
      if (request.path === EXCHANGE) return [200, { token: JWT[0], expiration: expiresIn(HOUR) }];
      if (index === 1) return [429, { message: 'slow down' }, { 'retry-after': '3' }];
      if (index === 2) return [503, 'busy'];
      if (index === 3) return [200, { data: [row(1)], totalRecords: 1 }];
      return [404, { message: 'No such route' }];
    });
    expect((await client.searchPage(1)).applicants.map((a) => a.applicationId)).toEqual([1]);
    expect(delays[0]).toBe(3000);
    expect(delays).toHaveLength(2);
    const notFound = await failure(client.searchPage(2), NotFoundError);
    expect(notFound.message).toBe('Tracker REST answered HTTP 404 to OpportunityResource/Search (Tracker said: No such route)');
    expect(notFound.hint).toContain(`Check the REST base URL (${REST})`);
    expect(notFound.hint).toContain('TRACKER_REST_BASE_URL');
  });
});

describe('Tracker REST applicant paging', () => {
  it('stops at a short page (1-based pages of 10)', async () => {
    const server = tracker(rows(1, 13));
    serve(3, server.handler);
    const found = await collect(restClient({ readAhead: 0 }).client.applicants());
    expect(found.map((a) => a.applicationId)).toEqual(rows(1, 13).map((r) => r.opportunityResourceId));
    expect(server.state.searches).toEqual([
      { page: 1, size: 10 },
      { page: 2, size: 10 },
    ]);
  });

  it('a short page ends the search even when totalRecords says there is more', async () => {
    serve(3, (request) =>
      request.path === EXCHANGE
        ? [200, { token: JWT[0], expiration: expiresIn(HOUR) }]
        : request.body.pageNumber === 1
          ? [200, { data: rows(1, 10), totalRecords: 500 }]
          : [200, { data: rows(11, 4), totalRecords: 500 }],
    );
    expect(await collect(restClient({ readAhead: 0 }).client.applicants())).toHaveLength(14);
  });

  it('stops once pageNumber × pageSize reaches totalRecords (no empty last page)', async () => {
    const server = tracker(rows(1, 20));
    serve(3, server.handler);
    expect(await collect(restClient({ readAhead: 0 }).client.applicants())).toHaveLength(20);
    expect(server.state.searches.map((s) => s.page)).toEqual([1, 2]);
  });

  it('an empty database is one request after the exchange', async () => {
    const server = tracker([]);
    serve(2, server.handler);
    expect(await collect(restClient().client.applicants())).toEqual([]);
    expect(server.state.searches).toEqual([{ page: 1, size: 10 }]);
  });

  it('asked for 50 a page, the server answers 10: the pages after the first ask for the 10 actually served', async () => {
    const server = tracker(rows(1, 25));
    serve(4, server.handler);
    const found = await collect(restClient({ pageSize: 50, readAhead: 0 }).client.applicants());
    expect(found.map((a) => a.applicationId)).toEqual(rows(1, 25).map((r) => r.opportunityResourceId));
    expect(server.state.searches).toEqual([
      { page: 1, size: 50 },
      { page: 2, size: 10 },
      { page: 3, size: 10 },
    ]);
  });

  it('filters rows by job on the client: the search returns every job', async () => {
    const server = tracker(rows(1, 24, (id) => (id % 3 === 0 ? 7 : 8)));
    serve(4, server.handler);
    const found = await collect(restClient().client.applicants({ jobId: 7 }));
    expect(found.map((a) => a.applicationId)).toEqual([3, 6, 9, 12, 15, 18, 21, 24]);
    expect(found.every((a) => a.jobId === 7)).toBe(true);
    // The request asks for every row: no server-side filter is trusted (nor sent)
    expect(server.state.searches).toEqual([1, 2, 3].map((page) => ({ page, size: 10 })));
  });

  it('a server ignoring pageNumber is an error, not an endless loop', async () => {
    serve(3, (request) => (request.path === EXCHANGE ? [200, { token: JWT[0], expiration: expiresIn(HOUR) }] : [200, { data: rows(1, 10), totalRecords: 50 }]));
    const error = await failure(collect(restClient({ readAhead: 0 }).client.applicants()), RemoteError);
    expect(error.code).toBe('paging_stuck');
  });

  it('reads ahead: while page n is read, pages n+1 and n+2 are on their way (bounded by the total)', async () => {
    const server = tracker(rows(1, 45));
    serve(6, server.handler);
    const iterator = restClient({ readAhead: 2 }).client.applicants()[Symbol.asyncIterator]();
    expect((await iterator.next()).value.applicationId).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.state.searches.map((s) => s.page).sort()).toEqual([1, 2, 3]);
    for (let i = 2; i <= 10; i++) expect((await iterator.next()).value.applicationId).toBe(i);
    expect((await iterator.next()).value.applicationId).toBe(11);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.state.searches.map((s) => s.page).sort()).toEqual([1, 2, 3, 4]);
    let rest = 0;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) rest++;
    expect(rest).toBe(34);
    // never past the last page: 45 rows are 5 pages
    expect(server.state.searches.map((s) => s.page).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('a caller that stops reading cancels the pages read ahead', async () => {
    const server = tracker(rows(1, 45));
    // the exchange, page 1, and pages 2 and 3 read ahead (answered or cancelled)
    nock(REST)
      .post(/.*/)
      .times(2)
      .reply(function (uri, body) {
        const [status, answer] = server.handler({ path: uri, headers: this.req.headers as Sent['headers'], body });
        return [status, answer as nock.Body];
      });
    nock(REST).post(SEARCH).times(2).delay(200).reply(200, { data: [], totalRecords: 45 });
    for await (const applicant of restClient({ readAhead: 2 }).client.applicants()) {
      expect(applicant.applicationId).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      break;
    }
    expect(server.state.searches.map((s) => s.page)).toEqual([1]);
  });
});

describe('Tracker REST token broker', () => {
  it('two clients sharing the token cache exchange once; the 0600 cache file holds the JWT, not the API token', async () => {
    const server = tracker(rows(1, 3));
    serve(3, server.handler);
    const cache = () => openRestJwtCache(dir, KEY);
    const first = restClient({ cache: cache() }).client;
    const second = restClient({ cache: cache() }).client;
    expect(await collect(first.applicants())).toHaveLength(3);
    expect(await collect(second.applicants())).toHaveLength(3);
    expect(server.state.exchanges).toBe(1);
    expect(first.broker.exchanges + second.broker.exchanges).toBe(1);

    const path = restJwtCachePath(dir, KEY);
    expect(path).toBe(join(dir, REST_JWT_DIR, `${KEY.slice(0, 32)}.json`));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, REST_JWT_DIR)).mode & 0o777).toBe(0o700);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(TOKEN);
    expect(JSON.parse(text)).toEqual({
      version: 1,
      key: restJwtKey(REST, TOKEN),
      jwt: JWT[0],
      expiresAt: expect.any(String),
      obtainedAt: expect.any(String),
    });
    // the lock is released: nothing left behind but the file
    expect(readdirSync(join(dir, REST_JWT_DIR))).toEqual([`${KEY.slice(0, 32)}.json`]);
  });

  it("doctor's probe: a cached JWT Tracker accepts is kept; none, or one refused, is exchanged and the new JWT cached", async () => {
    const server = tracker(rows(1, 3));
    const cache = openRestJwtCache(dir, KEY);
    // Nothing cached: one exchange, cached for the next commands, which use it without exchanging again.
    serve(1, server.handler);
    expect(await restClient({ cache }).client.probeToken()).toEqual({ via: 'exchange' });
    expect(server.state.exchanges).toBe(1);
    expect(cache.read()).toMatchObject({ jwt: JWT[0] });
    serve(1, server.handler);
    expect(await restClient({ cache }).client.probeToken()).toEqual({ via: 'cached' });
    serve(1, server.handler);
    await restClient({ cache }).client.searchPage(1);
    expect(server.state.exchanges).toBe(1);
    // Refused (another client exchanged the token meanwhile): exchanged again, and the new JWT is the cached one.
    cache.write({ ...cache.read()!, jwt: 'jwt-superseded' });
    serve(2, server.handler);
    expect(await restClient({ cache }).client.probeToken()).toEqual({ via: 'exchange' });
    expect(server.state.exchanges).toBe(2);
    expect(cache.read()).toMatchObject({ jwt: JWT[1] });
  });

  it('concurrent first requests of one client share one exchange', async () => {
    const server = tracker(rows(1, 30));
    serve(4, server.handler);
    const { client } = restClient();
    await Promise.all([client.searchPage(1), client.searchPage(2), client.searchPage(3)]);
    expect(server.state.exchanges).toBe(1);
  });

  it('a JWT of another API token or another REST host is never reused', async () => {
    const cache = openRestJwtCache(dir, KEY);
    const soon = Date.now();
    cache.write({ key: restJwtKey(REST, 'another-token'), jwt: 'jwt-of-another-token', expiresAt: soon + HOUR, obtainedAt: soon });
    const server = tracker(rows(1, 1));
    serve(2, server.handler);
    await restClient({ cache }).client.searchPage(1);
    expect(server.state.exchanges).toBe(1);
    cache.write({ key: restJwtKey('https://evocaapi.tracker-rms.com', TOKEN), jwt: 'jwt-of-another-host', expiresAt: soon + HOUR, obtainedAt: soon });
    serve(2, server.handler);
    await restClient({ cache }).client.searchPage(1);
    expect(server.state.exchanges).toBe(2);
  });

  it('a cache file that is not JSON is ignored and replaced', async () => {
    const cache = openRestJwtCache(dir, KEY);
    cache.write({ key: 'k', jwt: 'j', expiresAt: 1, obtainedAt: 0 });
    writeFileSync(restJwtCachePath(dir, KEY), '{not json');
    expect(cache.read()).toBeUndefined();
    const server = tracker(rows(1, 1));
    serve(2, server.handler);
    await restClient({ cache }).client.searchPage(1);
    expect(cache.read()?.jwt).toBe(JWT[0]);
    expect(cache.clear()).toBe(true);
    expect(cache.clear()).toBe(false);
  });

  it('reuses the JWT until shortly before it expires, then exchanges again', async () => {
    const start = Date.now();
    let now = start;
    const server = tracker(rows(1, 1));
    serve(5, server.handler);
    const { client } = restClient({ now: () => now, cache: memoryRestJwtCache() });
    await client.searchPage(1);
    now = start + HOUR - REUSE_MARGIN_MS - 1_000;
    await client.searchPage(1);
    expect(server.state.exchanges).toBe(1);
    now = start + HOUR - REUSE_MARGIN_MS + 1_000;
    await client.searchPage(1);
    expect(server.state.exchanges).toBe(2);
  });

  it('a short-lived JWT is reused for three quarters of its life (never one exchange per request)', () => {
    expect(reusableUntil({ obtainedAt: 0, expiresAt: 40_000 })).toBe(30_000);
    expect(reusableUntil({ obtainedAt: 0, expiresAt: HOUR })).toBe(HOUR - 60_000);
    expect(reusableUntil({ obtainedAt: 0, expiresAt: 0 })).toBe(0);
  });

  it("Tracker's clock: the JWT's lifetime is carried over with the answer's Date header", async () => {
    const cache = memoryRestJwtCache();
    const trackerNow = Date.now() - 2 * HOUR; // Tracker's clock is two hours behind
    serve(2, (request) =>
      request.path === EXCHANGE
        ? [200, { token: JWT[0], expiration: expiresIn(HOUR, trackerNow) }, { date: new Date(trackerNow).toUTCString() }]
        : [200, { data: [], totalRecords: 0 }],
    );
    await restClient({ cache }).client.searchPage(1);
    const entry = cache.read()!;
    expect(Math.abs(entry.expiresAt - (Date.now() + HOUR))).toBeLessThan(5_000);
  });

  /** Another process exchanges the token: the server's live JWT moves on, this client's cache does not know. */
  const supersede = (server: ReturnType<typeof tracker>) => server.handler({ path: EXCHANGE, headers: {}, body: { bearerToken: TOKEN } });

  it('401 → the cache still holds the JWT that failed → one exchange and one retry with the new JWT', async () => {
    const cache = memoryRestJwtCache();
    const server = tracker(rows(1, 1));
    serve(2, server.handler);
    await restClient({ cache }).client.searchPage(1); // JWT[0]
    supersede(server); // JWT[1] is live now
    const sent = serve(3, server.handler);
    const { client } = restClient({ cache });
    expect((await client.searchPage(1)).applicants).toHaveLength(1);
    expect(sent.map((request) => [request.path, request.headers.authorization])).toEqual([
      [SEARCH, `Bearer ${JWT[0]}`],
      [EXCHANGE, undefined],
      [SEARCH, `Bearer ${JWT[2]}`],
    ]);
    expect(client.broker.exchanges).toBe(1);
    expect(cache.read()?.jwt).toBe(JWT[2]);
  });

  it('401 when the shared cache already holds a newer JWT → no exchange, just the retry with it', async () => {
    const server = tracker(rows(1, 1));
    serve(2, server.handler);
    const { client } = restClient({ cache: openRestJwtCache(dir, KEY) });
    await client.searchPage(1); // JWT[0], kept in memory too
    // Another process of the profile refreshed: its JWT is live and in the shared file
    serve(1, server.handler);
    await restClient({ cache: openRestJwtCache(dir, KEY) }).client.verifyNewToken();
    expect(openRestJwtCache(dir, KEY).read()?.jwt).toBe(JWT[1]);
    const sent = serve(2, server.handler);
    expect((await client.searchPage(1)).applicants).toHaveLength(1);
    expect(sent.map((request) => [request.path, request.headers.authorization])).toEqual([
      [SEARCH, `Bearer ${JWT[0]}`],
      [SEARCH, `Bearer ${JWT[1]}`],
    ]);
    expect(client.broker.exchanges).toBe(1);
    expect(server.state.exchanges).toBe(2);
  });

  it('concurrent requests refused together renew once', async () => {
    const cache = memoryRestJwtCache();
    const server = tracker(rows(1, 30));
    serve(2, server.handler);
    const { client } = restClient({ cache });
    await client.searchPage(1);
    supersede(server);
    serve(7, server.handler); // 3 refused, 1 exchange, 3 retried
    await Promise.all([client.searchPage(1), client.searchPage(2), client.searchPage(3)]);
    expect(client.broker.exchanges).toBe(2);
  });

  it('a cache file open to other users is never trusted: a new exchange (ending the exposed JWT) replaces it at 0600; one warning', async () => {
    const server = tracker(rows(1, 1));
    serve(2, server.handler);
    await restClient({ cache: openRestJwtCache(dir, KEY) }).client.searchPage(1); // JWT[0] cached
    const path = restJwtCachePath(dir, KEY);
    chmodSync(path, 0o644);
    const warnings: string[] = [];
    const cache = openRestJwtCache(dir, KEY, { onExposed: (message) => warnings.push(message) });
    const sent = serve(3, server.handler);
    const { client } = restClient({ cache });
    await client.searchPage(1);
    await client.searchPage(1);
    expect(sent.map((request) => [request.path, request.headers.authorization])).toEqual([
      [EXCHANGE, undefined],
      [SEARCH, `Bearer ${JWT[1]}`],
      [SEARCH, `Bearer ${JWT[1]}`],
    ]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(openRestJwtCache(dir, KEY).read()?.jwt).toBe(JWT[1]);
    expect(warnings).toEqual([
      `The cached Tracker REST session token ${path} is open to other users (mode 0644): it was not used. ` +
        'A new one is exchanged, which ends the exposed one, and replaces the file (0600).',
    ]);
    // group-readable is no better
    chmodSync(path, 0o640);
    expect(openRestJwtCache(dir, KEY).read()).toBeUndefined();
  });

  it.runIf(process.getuid?.() === 0)('a cache file that another user owns is never trusted', () => {
    const warnings: string[] = [];
    const cache = openRestJwtCache(dir, KEY, { onExposed: (message) => warnings.push(message) });
    const now = Date.now();
    cache.write({ key: KEY, jwt: JWT[0]!, expiresAt: now + HOUR, obtainedAt: now });
    chownSync(restJwtCachePath(dir, KEY), 1, 1);
    expect(cache.read()).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining('belongs to another user (uid 1): it was not used')]);
  });

  it('a directory where the cache file should be is exit 2 naming the path and the fix, before any request', async () => {
    const path = restJwtCachePath(dir, KEY);
    mkdirSync(path, { recursive: true });
    const error = await failure(restClient({ cache: openRestJwtCache(dir, KEY) }).client.searchPage(1), EnvironmentError);
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('is_a_directory');
    expect(error.message).toBe(`Cannot read ${path} (in the data dir): it is a directory, not a file`);
    expect(error.hint).toBe(`Move the directory ${path} out of the way.`);
  });

  it('two profiles holding the same REST API token share one cached JWT: neither knocks the other out', async () => {
    const env = { APRIORA_DATA_DIR: dir, APRIORA_CONFIG_DIR: dir };
    const server = tracker(rows(1, 1));
    serve(3, server.handler);
    const a = await new Factory({ env, profileName: 'a', trace: undefined }).trackerRestClient(REST, TOKEN);
    const b = await new Factory({ env, profileName: 'b', trace: undefined }).trackerRestClient(`${REST}/`, TOKEN);
    await a.searchPage(1);
    await b.searchPage(1);
    expect(server.state.exchanges).toBe(1);
    // b logs the token in again (a new exchange): a takes b's JWT from the shared file instead of exchanging back
    serve(1, server.handler);
    await b.verifyNewToken();
    const sent = serve(2, server.handler);
    await a.searchPage(1);
    expect(sent.map((request) => request.headers.authorization)).toEqual([`Bearer ${JWT[0]}`, `Bearer ${JWT[1]}`]);
    expect(server.state.exchanges).toBe(2);
    expect(readdirSync(join(dir, REST_JWT_DIR))).toEqual([`${KEY.slice(0, 32)}.json`]);
    // another token (or host) has a file of its own
    expect(restJwtCachePath(dir, restJwtKey(REST, 'another-token'))).not.toBe(restJwtCachePath(dir, KEY));
    expect(restJwtCachePath(dir, restJwtKey(REST_HOSTS.ca, TOKEN))).not.toBe(restJwtCachePath(dir, KEY));
  });

  it('a second 401 saying the JWT was replaced: another client using the token exchanged it (exit 4)', async () => {
    let exchanges = 0;
    serve(4, (request) => {
      if (request.path === EXCHANGE) return [200, { token: JWT[exchanges++], expiration: expiresIn(HOUR) }];
      return [401, { message: 'The token has been replaced by a newer one.' }];
    });
    const error = await failure(restClient({ tokenHint: 'HINT' }).client.searchPage(1), AuthError);
    expect(error.exitCode).toBe(4);
    expect(error.code).toBe('tracker_rest_unauthorized');
    expect(error.message).toBe(
      'Tracker REST refused OpportunityResource/Search with a fresh token (HTTP 401) (Tracker said: The token has been replaced by a newer one.): ' +
        'another client using the same REST API token (on another machine, or another tool) exchanged it since: ' +
        'Tracker keeps one live session per REST API token',
    );
    expect(error.hint).toBe(
      'Clients sharing a REST API token knock each other out: let one of them use it at a time, then run the command again. ' +
        'If the token was replaced or revoked: HINT',
    );
  });

  it('a second 401 is exit 4: another client may have exchanged the token, or it was revoked', async () => {
    let exchanges = 0;
    const sent = serve(4, (request) => {
      if (request.path === EXCHANGE) return [200, { token: JWT[exchanges++], expiration: expiresIn(HOUR) }];
      return [401, { message: 'Token revoked' }];
    });
    const error = await failure(restClient().client.searchPage(1), AuthError);
    expect(error.exitCode).toBe(4);
    expect(error.code).toBe('tracker_rest_unauthorized');
    expect(error.message).toContain('another client using the same REST API token (on another machine, or another tool) may have exchanged it since');
    expect(error.message).toContain('or the token was revoked or lost its access');
    expect(error.message).toContain('Tracker said: Token revoked');
    expect(error.hint).toContain('Tools & Settings → Security Settings → API');
    expect(sent.map((request) => request.path)).toEqual([EXCHANGE, SEARCH, EXCHANGE, SEARCH]);
  });

  it('a refused exchange is exit 4: wrong or revoked API token, and what to do', async () => {
    serve(1, () => [401, { message: 'Invalid API token' }]);
    const error = await failure(restClient().client.verify(), AuthError);
    expect(error.exitCode).toBe(4);
    expect(error.code).toBe('tracker_rest_token_rejected');
    expect(error.message).toBe('Tracker refused the REST API token (HTTP 401) (Tracker said: Invalid API token): it is wrong, or it was revoked');
    expect(error.hint).toContain('generating a new one revokes the old one');
    expect(error.hint).toContain('--rest-token-stdin');
    expect(error.hint).toContain('TRACKER_REST_TOKEN');
  });

  it('verify uses a cached JWT without a request; verifyNewToken exchanges and caches', async () => {
    const cache = openRestJwtCache(dir, KEY);
    const server = tracker([]);
    serve(1, server.handler);
    await restClient({ cache }).client.verifyNewToken();
    await restClient({ cache }).client.verify(); // no request
    expect(server.state.exchanges).toBe(1);
  });

  it('the API token and the JWT never appear in a --debug trace or an error, even when echoed back', async () => {
    const { client, lines } = restClient();
    serve(3, (request, index) => {
      if (request.path === EXCHANGE) return [200, { token: JWT[0], expiration: expiresIn(HOUR) }];
      if (index === 1) return [200, { data: [], totalRecords: 0, echo: `you sent Bearer ${JWT[0]} for ${TOKEN}` }];
      return [400, { message: `bad bearer ${JWT[0]} (token ${TOKEN})` }];
    });
    await client.searchPage(1);
    const error = await failure(client.searchPage(2), RemoteError);
    const everything = [...lines, error.message, JSON.stringify(error.details), error.hint ?? ''].join('\n');
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(JWT[0]);
    expect(everything).not.toContain('first-jwt');
    expect(lines.some((line) => line.includes('"authorization":"***"'))).toBe(true);
    expect(lines.some((line) => line.includes('"bearerToken":"***"'))).toBe(true);
    expect(lines.some((line) => line.includes('"token":"***"'))).toBe(true);
    expect(error.message).toBe('Tracker REST answered HTTP 400 to OpportunityResource/Search (Tracker said: bad bearer *** (token ***))');
  });
});

describe('REST hosts, base URL, rate budget and country', () => {
  it('derives the REST host from the region, or <widget base>/tracker-rest for an override', () => {
    expect(REST_HOSTS).toEqual({
      us: 'https://evousapi.tracker-rms.com',
      ca: 'https://evocaapi.tracker-rms.com',
      uk: 'https://evoglapi.tracker-rms.com',
    });
    for (const region of ['us', 'ca', 'uk'] as const) expect(derivedRestBaseUrl(WIDGET_HOSTS[region])).toBe(REST_HOSTS[region]);
    expect(derivedRestBaseUrl('http://127.0.0.1:4010')).toBe('http://127.0.0.1:4010/tracker-rest');
    expect(derivedRestBaseUrl('http://127.0.0.1:4010/')).toBe('http://127.0.0.1:4010/tracker-rest');
  });

  it('TRACKER_REST_BASE_URL > the profile > derived', () => {
    const profile = { tracker: { restBaseUrl: 'https://rest.profile.test' } };
    expect(trackerRestBaseUrl({ TRACKER_REST_BASE_URL: 'http://env.test/' }, profile, WIDGET_HOSTS.uk)).toEqual({ value: 'http://env.test', source: 'env' });
    expect(trackerRestBaseUrl({ TRACKER_REST_BASE_URL: '' }, profile, WIDGET_HOSTS.uk)).toEqual({ value: 'https://rest.profile.test', source: 'profile' });
    expect(trackerRestBaseUrl({}, undefined, WIDGET_HOSTS.uk)).toEqual({ value: REST_HOSTS.uk, source: 'default' });
    expect(() => trackerRestBaseUrl({ TRACKER_REST_BASE_URL: 'ftp://x' }, undefined, WIDGET_HOSTS.uk)).toThrow(InputError);
  });

  it('no REST token: exit 4 saying where the admin generates one', () => {
    const error = (() => {
      try {
        requireTrackerRestToken({ baseUrl: { value: REST, source: 'default' }, token: undefined }, 'acme');
      } catch (caught) {
        return caught as AuthError;
      }
    })()!;
    expect(error).toBeInstanceOf(AuthError);
    expect(error.exitCode).toBe(4);
    expect(error.code).toBe('tracker_rest_token_missing');
    expect(error.hint).toContain('Tools & Settings → Security Settings → API');
    expect(error.hint).toContain('revokes the old one');
    expect(error.hint).toContain(`\`printf '%s\\n' "$TOKEN" | apriora tracker login --profile acme --rest-token-stdin\``);
    expect(error.hint).toContain('`apriora tracker login --profile acme --with-rest-token` at a terminal');
    expect(REST_TOKEN_HINT).toContain(`\`printf '%s\\n' "$TOKEN" | apriora tracker login --rest-token-stdin\``);
    expect(REST_TOKEN_HINT).toContain('`apriora tracker login --with-rest-token` at a terminal');
  });

  it('the default country: the profile, else the region', () => {
    expect(defaultCountry(undefined, { region: 'us' })).toBe('US');
    expect(defaultCountry(undefined, { region: 'ca' })).toBe('CA');
    expect(defaultCountry(undefined, { region: 'uk' })).toBe('GB');
    expect(defaultCountry(undefined, { region: undefined })).toBe('US');
    expect(defaultCountry({ tracker: { country: 'IE' } }, { region: 'uk' })).toBe('IE');
    expect(parseCountry(' ie ')).toBe('IE');
    for (const bad of ['UK', 'XX', 'ZZ', 'EU', 'USA', '', '1A']) expect(() => parseCountry(bad), bad).toThrow(InputError);
  });

  it("the factory's Widget and REST clients share one rate budget", async () => {
    const factory = new Factory({ env: { APRIORA_DATA_DIR: dir, APRIORA_CONFIG_DIR: dir }, profileName: 'default', trace: undefined });
    const widget = await factory.trackerClient(WIDGET_HOSTS.us, { apiKey: 'k', username: 'u', password: 'p' });
    const rest = await factory.trackerRestClient(REST_HOSTS.us, TOKEN);
    expect(rest.http.throttle).toBe(widget.http.throttle);
    expect(rest.http.baseUrl).toBe(REST_HOSTS.us);
  });

  it('a shared throttle: two clients together keep to one limit', async () => {
    const { createThrottle } = await import('../../src/http/client.js');
    const throttle = createThrottle(2, { intervalMs: 300 });
    const a = new HttpClient({ baseUrl: REST, service: 'A', throttle });
    const b = new HttpClient({ baseUrl: REST, service: 'B', throttle, rateLimitPerMinute: 1000 });
    nock(REST).post('/x').times(4).reply(200, {});
    const started = Date.now();
    await Promise.all([a, b, a, b].map((http) => http.request({ method: 'POST', path: '/x', idempotent: true })));
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('a request stopped while it waits for a slot is never sent', async () => {
    const { createThrottle } = await import('../../src/http/client.js');
    const http = new HttpClient({ baseUrl: REST, service: 'A', throttle: createThrottle(1, { intervalMs: 300 }) });
    nock(REST).post('/x').reply(200, {});
    await http.request({ method: 'POST', path: '/x', idempotent: true });
    const controller = new AbortController();
    const waiting = http.request({ method: 'POST', path: '/x', idempotent: true, signal: controller.signal });
    controller.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    expect(http.requestsSent).toBe(1);
  });
});
