import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TRACKER_REST_TOKEN, generateTrackerSeed, type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';

type Json = Record<string, unknown>;

interface Answer {
  status: number;
  headers: Headers;
  body: Json;
}

const EXCHANGE = 'POST /api/Auth/ExchangeToken';
const SEARCH = 'POST /api/v1/OpportunityResource/Search';

describe('sandbox: Tracker REST v1 emulator', () => {
  let sandbox: RunningSandbox;
  let now = Date.parse('2025-06-02T09:00:00Z');

  async function call(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(`${sandbox.trackerRestUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: Json = {};
    try {
      parsed = JSON.parse(text) as Json;
    } catch {
      parsed = { text };
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  const exchange = (token: string = sandbox.credentials.restToken) => call('/api/Auth/ExchangeToken', { bearerToken: token });
  async function jwt(): Promise<string> {
    const answer = await exchange();
    expect(answer.status).toBe(200);
    return answer.body.token as string;
  }
  const search = (token: string | null, body: unknown = { searchText: '', pageSize: 10, pageNumber: 1 }) =>
    call('/api/v1/OpportunityResource/Search', body, token === null ? {} : { Authorization: `Bearer ${token}` });
  const widget = (op: string) => {
    const { apiKey, username, password } = sandbox.credentials;
    return fetch(`${sandbox.trackerUrl}/api/widget/${op}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ trackerrms: { [op]: { credentials: { apikey: apiKey, username, password, oauthtoken: '' } } } }),
    });
  };

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, clock: () => new Date(now) });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(() => {
    now = Date.parse('2025-06-02T09:00:00Z');
    sandbox.reset();
  });

  describe('token exchange', () => {
    it('answers a JWT-looking token and its expiration for the API token, and counts exchanges', async () => {
      expect(sandbox.trackerRestUrl).toBe(`${sandbox.url}/tracker-rest`);
      expect(sandbox.credentials.restToken).toBe(DEFAULT_TRACKER_REST_TOKEN);
      expect(DEFAULT_TRACKER_REST_TOKEN).toBe('sandbox-rest-token-0000');
      const answer = await exchange();
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/), expiration: '2025-06-02T10:00:00.000Z' });
      const [header] = String(answer.body.token).split('.');
      expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
      expect(sandbox.tracker.tokenExchanges).toBe(1);
      const second = await exchange();
      expect(second.body.token).not.toBe(answer.body.token);
      expect(sandbox.tracker.tokenExchanges).toBe(2);
    });

    it('answers 401 with a message for a wrong API token, 400 for a body without one; neither counts', async () => {
      const wrong = await exchange('not-the-token');
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ message: expect.any(String) });
      expect((await call('/api/Auth/ExchangeToken', {})).status).toBe(400);
      expect((await call('/api/Auth/ExchangeToken', 'nope')).body).toEqual({ message: 'The request body is not valid JSON.' });
      expect(sandbox.tracker.tokenExchanges).toBe(0);
    });

    it('keeps one live JWT: a new exchange makes the previous one 401', async () => {
      const first = await jwt();
      expect((await search(first)).status).toBe(200);
      const second = await jwt();
      const superseded = await search(first);
      expect(superseded.status).toBe(401);
      expect(superseded.body).toEqual({ message: 'The token has been replaced by a newer one.' });
      expect((await search(second)).status).toBe(200);
    });

    it('an expired JWT is 401; the lifetime is an option, settable through the admin API; reset restores it', async () => {
      const token = await jwt();
      now += 3599_000;
      expect((await search(token)).status).toBe(200);
      now += 1000;
      const expired = await search(token);
      expect(expired.status).toBe(401);
      expect(expired.body).toEqual({ message: 'The token has expired.' });

      const admin = await fetch(`${sandbox.url}/__sandbox/tracker/rest`, { method: 'POST', body: JSON.stringify({ ttlSeconds: 60 }) });
      expect(await admin.json()).toEqual({ exchanges: 1, ttlSeconds: 60, liveExpiresAt: null });
      expect((await exchange()).body.expiration).toBe(new Date(now + 60_000).toISOString());
      const fresh = (await exchange()).body.token as string;
      await fetch(`${sandbox.url}/__sandbox/tracker/rest`, { method: 'POST', body: JSON.stringify({ expire: true }) });
      expect((await search(fresh)).status).toBe(401);
      expect(await (await fetch(`${sandbox.url}/__sandbox/tracker/rest`)).json()).toEqual({ exchanges: 3, ttlSeconds: 60, liveExpiresAt: null });

      sandbox.reset();
      expect(sandbox.tracker.restAuth.describe()).toEqual({ exchanges: 0, ttlSeconds: 3600, liveExpiresAt: null });
      expect((await search(fresh)).status).toBe(401);
    });

    it('takes the start option restTokenTtlSeconds and its own restToken', async () => {
      const other = await startSandbox({
        port: 0,
        restTokenTtlSeconds: 5,
        credentials: { apiKey: 'k', username: 'u@x.example', password: 'p', restToken: 'rt' },
      });
      try {
        const answer = await fetch(`${other.trackerRestUrl}/api/auth/exchangetoken`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ bearerToken: 'rt' }),
        });
        expect(answer.status).toBe(200);
        const { expiration } = (await answer.json()) as { expiration: string };
        expect(Date.parse(expiration) - Date.now()).toBeLessThanOrEqual(5000);
        expect(other.tracker.tokenExchanges).toBe(1);
      } finally {
        await other.close();
      }
    });
  });

  describe('applicant search', () => {
    it('answers 401 without a JWT, with a wrong one, or with another scheme', async () => {
      for (const answer of [await search(null), await search('a.b.c'), await call('/api/v1/OpportunityResource/Search', {}, { Authorization: 'Basic eDp5' })]) {
        expect(answer.status).toBe(401);
        expect(answer.body).toEqual({ message: expect.any(String) });
        expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    });

    it('pages 1-based, at most 10 rows whatever pageSize asks, in ascending ids, all jobs: filters other than searchText are ignored', async () => {
      const token = await jwt();
      const all = sandbox.tracker.applicantRows();
      expect(all.length).toBeGreaterThan(20);
      const first = await search(token, { searchText: '', pageSize: 50, pageNumber: 1, opportunityId: 3101, activeRecord: 'y' });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ data: all.slice(0, 10), totalRecords: all.length, pageNumber: 1, pageSize: 10 });
      const jobs = new Set((first.body.data as Json[]).map((row) => row.opportunityId));
      expect(jobs.size).toBeGreaterThan(1);

      const seen: Json[] = [];
      for (let page = 1; ; page += 1) {
        const answer = await search(token, { pageSize: 100, pageNumber: page });
        const data = answer.body.data as Json[];
        seen.push(...data);
        if (data.length < 10) break;
      }
      expect(seen).toEqual(all);
      const ids = seen.map((row) => row.opportunityResourceId as number);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));

      const small = await search(token, { pageSize: 3, pageNumber: 2 });
      expect(small.body).toMatchObject({ pageNumber: 2, pageSize: 3, data: all.slice(3, 6) });
      const defaults = await search(token, {});
      expect(defaults.body).toMatchObject({ pageNumber: 1, pageSize: 10, data: all.slice(0, 10) });
      expect((await search(token, { pageNumber: 999 })).body).toEqual({ data: [], totalRecords: all.length, pageNumber: 999, pageSize: 10 });
    });

    it('rows carry the OpportunityResource fields, inactive rows included', async () => {
      const token = await jwt();
      const data = (await search(token)).body.data as Json[];
      expect(data[0]).toEqual({
        opportunityResourceId: 7001,
        opportunityId: 3101,
        resourceId: 5001,
        opportunityName: sandbox.tracker.job(3101)!.title,
        opportunityResourceStatusId: 1,
        opportunityResourceStatusName: 'Applied',
        activeRecord: 'y',
        resourceDisplayAs: 'Olivia Bennett',
        resourceEmail: 'olivia.bennett@example.com',
        source: expect.any(String),
        dateCreated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
        lastUpdated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
      });
      expect(data.some((row) => row.activeRecord === 'n')).toBe(true);
    });

    it('searchText matches candidate name, e-mail or job name, ignoring case', async () => {
      const token = await jwt();
      const rows = sandbox.tracker.applicantRows();
      const byName = (await search(token, { searchText: 'oLIVIA', pageNumber: 1 })).body;
      expect(byName.totalRecords).toBe(rows.filter((row) => row.resourceDisplayAs === 'Olivia Bennett').length);
      expect(byName.totalRecords).toBeGreaterThanOrEqual(2); // one candidate on two jobs
      const byEmail = (await search(token, { searchText: 'KENJI.BRENNAN@example.net' })).body;
      expect((byEmail.data as Json[]).every((row) => row.resourceEmail === 'kenji.brennan@example.net')).toBe(true);
      const title = sandbox.tracker.job(3101)!.title;
      const byJob = (await search(token, { searchText: title.toUpperCase(), pageSize: 10 })).body;
      expect(byJob.totalRecords).toBe(rows.filter((row) => row.opportunityName.toLowerCase().includes(title.toLowerCase())).length);
      expect((await search(token, { searchText: 'nobody-matches-this' })).body).toMatchObject({ data: [], totalRecords: 0 });
    });

    it('answers 400 with a message to a bad body', async () => {
      const token = await jwt();
      for (const body of ['', 'not json', [], { pageNumber: 0 }, { pageSize: -1 }, { pageSize: '10' }, { searchText: 5 }]) {
        const answer = await search(token, body);
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.body).toEqual({ message: expect.any(String) });
      }
    });

    it('answers 404 for an unknown path and 405 for another method, with a message', async () => {
      expect((await call('/api/v1/Nothing', {})).status).toBe(404);
      const get = await fetch(`${sandbox.trackerRestUrl}/api/v1/OpportunityResource/Search`);
      expect(get.status).toBe(405);
      expect(await get.json()).toEqual({ message: expect.any(String) });
    });
  });

  describe('faults, log and rate limit', () => {
    it('logs REST requests with their ops, the API token and the JWT masked', async () => {
      const token = await jwt();
      await search(token);
      const logged = sandbox.requests.filter((entry) => entry.api === 'tracker-rest');
      expect(logged.map((entry) => `${entry.op} ${entry.httpStatus}`)).toEqual([`${EXCHANGE} 200`, `${SEARCH} 200`]);
      expect(logged[0]!.body).toEqual({ bearerToken: '***' });
      expect(logged[1]!.headers.authorization).toBe('Bearer ***');
      expect(JSON.stringify(sandbox.requests)).not.toContain(token);
      expect(JSON.stringify(sandbox.requests)).not.toContain(sandbox.credentials.restToken);
      const admin = (await (await fetch(`${sandbox.url}/__sandbox/requests?api=tracker-rest&op=${encodeURIComponent(SEARCH)}`)).json()) as { requests: Json[] };
      expect(admin.requests).toHaveLength(1);
    });

    it('takes one-shot faults by REST op: 5xx and 429 on the search, after-commit on the exchange', async () => {
      const token = await jwt();
      sandbox.faults.push({ kind: '5xx', api: 'tracker-rest', op: SEARCH }, { kind: '429', op: SEARCH });
      expect((await widget('checkLogon')).status).toBe(200); // not the op
      expect((await search(token)).status).toBe(503);
      const limited = await search(token);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect((await search(token)).status).toBe(200);

      // The exchange happened, its answer was lost: the JWT the client holds is superseded.
      sandbox.faults.push({ kind: 'after-commit', op: EXCHANGE });
      expect((await exchange()).status).toBe(502);
      expect(sandbox.tracker.tokenExchanges).toBe(2);
      expect((await search(token)).status).toBe(401);
      // after-commit applies to writes only: the search is a read
      sandbox.faults.push({ kind: 'after-commit', op: SEARCH });
      const fresh = await jwt();
      expect((await search(fresh)).status).toBe(200);
    });

    it('random faults and latency apply to REST too', async () => {
      const token = await jwt();
      sandbox.faults.configure({ failRate: 1, kinds: ['5xx'], latencyMs: 30 });
      const started = Date.now();
      expect((await search(token)).status).toBe(503);
      expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    });

    it('rateLimitApi "tracker" counts Widget and REST requests in one budget', async () => {
      sandbox.faults.configure({ rateLimitPerMinute: 3, rateLimitApi: 'tracker' });
      expect((await widget('checkLogon')).status).toBe(200);
      const token = await jwt();
      expect((await search(token)).status).toBe(200);
      const overRest = await search(token);
      expect(overRest.status).toBe(429);
      expect(Number(overRest.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await widget('checkLogon')).status).toBe(429);
      // Apriora is not in that budget
      const apriora = await fetch(`${sandbox.aprioraUrl}/templates`, { headers: { 'X-API-Key': sandbox.credentials.aprioraApiKey } });
      expect(apriora.status).toBe(200);
    });

    it('rateLimitApi "tracker-rest" counts REST requests alone', async () => {
      sandbox.faults.configure({ rateLimitPerMinute: 1, rateLimitApi: 'tracker-rest' });
      await jwt();
      expect((await exchange()).status).toBe(429);
      expect((await widget('checkLogon')).status).toBe(200);
    });
  });

  describe('admin', () => {
    it('health and state show the REST URL, token and exchange count', async () => {
      await jwt();
      const health = (await (await fetch(`${sandbox.url}/__sandbox/health`)).json()) as Json;
      expect(health).toMatchObject({ trackerRestUrl: sandbox.trackerRestUrl, restToken: sandbox.credentials.restToken });
      const state = (await (await fetch(`${sandbox.url}/__sandbox/state`)).json()) as Json;
      expect(state.trackerRest).toEqual({ exchanges: 1, ttlSeconds: 3600, liveExpiresAt: '2025-06-02T10:00:00.000Z' });
      expect(health.apis).toContainEqual({ name: 'tracker-rest', prefix: '/tracker-rest' });
    });

    it('POST /reset {"generate"} makes a big generated database: one job with 50 applicants among 2,000 rows', async () => {
      const base = generateTrackerSeed().applications.length;
      const reset = await fetch(`${sandbox.url}/__sandbox/reset`, {
        method: 'POST',
        body: JSON.stringify({ generate: { extraApplicants: 2000 - base - 50 + 3, jobApplicants: { 3102: 50 } } }),
      });
      expect(reset.status).toBe(200);
      expect(sandbox.tracker.applications).toHaveLength(2000);
      expect(sandbox.tracker.applicantRows(3102)).toHaveLength(50);
      const token = await jwt();
      expect((await search(token, { pageNumber: 200 })).body).toMatchObject({ totalRecords: 2000, data: expect.any(Array) });
      expect(((await search(token, { pageNumber: 200 })).body.data as Json[]).length).toBe(10);
      const bad = await fetch(`${sandbox.url}/__sandbox/reset`, { method: 'POST', body: JSON.stringify({ generate: { jobApplicants: { 1: 5 } } }) });
      expect(bad.status).toBe(400);
      sandbox.reset();
      expect(sandbox.tracker.applications.length).toBe(base);
    });
  });
});
