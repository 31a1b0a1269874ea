import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  APRIORA_OPS,
  AprioraState,
  DEFAULT_APRIORA_API_KEY,
  DEFAULT_APRIORA_TEMPLATES,
  isAprioraWriteOp,
  loadAprioraSeed,
  type RunningSandbox,
  startSandbox,
} from '../../src/sandbox/index.js';

type Json = Record<string, any>;

interface Answer {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

const SECRETS = { apiKey: 'customer-tracker-key-9f8e7d', username: 'api.user@acme.example', password: 'hunter2-very-secret', region: 'us' };

describe('sandbox: Apriora API emulator', () => {
  let sandbox: RunningSandbox;

  async function api(method: string, path: string, body?: unknown, key: string | null = sandbox.credentials.aprioraApiKey): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (key !== null) headers['X-API-Key'] = key;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${sandbox.aprioraUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  async function admin(path: string, init: RequestInit = {}): Promise<Answer> {
    const response = await fetch(`${sandbox.url}/__sandbox/${path}`, init);
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text === '' ? null : JSON.parse(text), text };
  }

  const positionBody = (externalId: string, extra: Json = {}): Json => ({
    title: 'Senior Nurse',
    description: '<p>Night shifts in the ICU.</p>',
    modality: 'phone',
    externalSource: 'tracker',
    externalId,
    ...extra,
  });

  async function createPosition(externalId: string, extra: Json = {}): Promise<Json> {
    const answer = await api('POST', '/positions', positionBody(externalId, extra));
    expect(answer.status, answer.text).toBe(201);
    return answer.body as Json;
  }

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(() => {
    sandbox.reset();
  });

  it('is mounted at <url>/apriora/v1/api with the default key, and names its ops after the spec', () => {
    expect(sandbox.aprioraUrl).toBe(`${sandbox.url}/apriora/v1/api`);
    expect(sandbox.credentials.aprioraApiKey).toBe(DEFAULT_APRIORA_API_KEY);
    expect(DEFAULT_APRIORA_API_KEY).toBe('sandbox-apriora-key-0000');
    expect(APRIORA_OPS).toEqual(expect.arrayContaining(['GET /templates', 'POST /positions', 'GET /positions/{positionId}', 'PATCH /integrations/tracker']));
    expect(isAprioraWriteOp('POST /positions')).toBe(true);
    expect(isAprioraWriteOp('PATCH /positions/{positionId}')).toBe(true);
    expect(isAprioraWriteOp('GET /positions')).toBe(false);
  });

  describe('transport', () => {
    it('answers 401 without the key or with a wrong one', async () => {
      for (const key of [null, 'wrong-key', '']) {
        const answer = await api('GET', '/templates', undefined, key);
        expect(answer.status).toBe(401);
        expect(answer.body).toEqual({ error: { code: 'unauthorized', message: 'Invalid API key' } });
      }
      expect((await api('POST', '/positions', positionBody('1'), 'wrong')).status).toBe(401);
      expect(sandbox.apriora.positions).toHaveLength(0);
    });

    it('uses the key it was started with', async () => {
      const custom = await startSandbox({ credentials: { apiKey: 'k', username: 'u@x.example', password: 'p', aprioraApiKey: 'ci-key' } });
      try {
        const call = (key: string) => fetch(`${custom.aprioraUrl}/templates`, { headers: { 'X-API-Key': key } });
        expect((await call('ci-key')).status).toBe(200);
        expect((await call(DEFAULT_APRIORA_API_KEY)).status).toBe(401);
      } finally {
        await custom.close();
      }
    });

    it('answers 404 not_found to an unknown route and 405 to a wrong method, in the error format', async () => {
      const missing = await api('GET', '/interviews');
      expect(missing.status).toBe(404);
      expect(missing.body.error).toMatchObject({ code: 'not_found', message: expect.any(String) });
      const wrongMethod = await api('DELETE', '/positions');
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.headers.get('allow')).toBe('POST, GET');
      expect(wrongMethod.body.error.code).toBe('method_not_allowed');
    });

    it('answers 422 invalid_request to a body that is not a JSON object', async () => {
      for (const body of ['{"title": ', '[]', '']) {
        const answer = await api('POST', '/positions', body);
        expect(answer.status).toBe(422);
        expect(answer.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/^body: /) });
      }
    });
  });

  describe('templates', () => {
    it('lists the seeded phone and video templates', async () => {
      const answer = await api('GET', '/templates');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(DEFAULT_APRIORA_TEMPLATES);
      const templates = answer.body as { templateId: string; name: string; modality: string }[];
      expect(templates.map((t) => t.name)).toEqual(expect.arrayContaining(['Standard phone screen', 'Video interview — general', 'Nurse phone screen']));
      expect(new Set(templates.map((t) => t.modality))).toEqual(new Set(['phone', 'video']));
    });
  });

  describe('positions', () => {
    it('creates a position: 201 with the spec shape, Unix seconds and an interview URL', async () => {
      const before = Math.floor(Date.now() / 1000);
      const answer = await api('POST', '/positions', positionBody('3101', { templateId: 'tpl_3', creationNotes: 'Ask about ICU', location: 'Boston, MA' }));
      expect(answer.status).toBe(201);
      const position = answer.body as Json;
      expect(position).toMatchObject({
        positionId: expect.stringMatching(/^pos_\d+$/),
        title: 'Senior Nurse',
        modality: 'phone',
        status: 'active',
        externalSource: 'tracker',
        externalId: '3101',
        description: '<p>Night shifts in the ICU.</p>',
        templateId: 'tpl_3',
        creationNotes: 'Ask about ICU',
        location: 'Boston, MA',
      });
      expect(position.interviewUrl).toBe(`https://app.apriora.ai/interview/${position.positionId}`);
      expect(Number.isInteger(position.createdAt)).toBe(true);
      expect(position.createdAt).toBeGreaterThanOrEqual(before);
      expect(position.createdAt).toBeLessThan(before + 60);
      expect(sandbox.apriora.position(position.positionId)).toEqual(position);
    });

    it('answers 409 position_exists with the positionId when the external id is already linked', async () => {
      const first = await createPosition('3102');
      const again = await api('POST', '/positions', positionBody('3102', { title: 'Something else', modality: 'video' }));
      expect(again.status).toBe(409);
      expect(again.body).toEqual({
        error: { code: 'position_exists', message: expect.any(String), positionId: first.positionId },
      });
      expect(sandbox.apriora.positions).toHaveLength(1);
    });

    it('creates exactly one position when 50 requests race for the same external id', async () => {
      const answers = await Promise.all(Array.from({ length: 50 }, () => api('POST', '/positions', positionBody('4242'))));
      const statuses = answers.map((answer) => answer.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(49);
      const winner = answers.find((answer) => answer.status === 201)?.body as Json;
      for (const answer of answers.filter((a) => a.status === 409)) expect(answer.body.error.positionId).toBe(winner.positionId);
      expect(sandbox.apriora.listPositions({ externalSource: 'tracker', externalId: '4242' })).toHaveLength(1);
    });

    it('lists in creation order, filters on the external id, pages with limit and offset', async () => {
      const ids: string[] = [];
      for (const externalId of ['11', '12', '13', '14', '15']) ids.push((await createPosition(externalId)).positionId);

      const all = await api('GET', '/positions');
      expect(all.status).toBe(200);
      expect((all.body as Json[]).map((p) => p.positionId)).toEqual(ids);

      const paged = await api('GET', '/positions?limit=2&offset=1');
      expect((paged.body as Json[]).map((p) => p.positionId)).toEqual(ids.slice(1, 3));
      expect((await api('GET', '/positions?offset=4&limit=100')).body).toHaveLength(1);
      expect((await api('GET', '/positions?offset=9')).body).toEqual([]);

      const one = await api('GET', '/positions?externalSource=tracker&externalId=13');
      expect(one.body).toEqual([expect.objectContaining({ positionId: ids[2], externalId: '13' })]);
      expect((await api('GET', '/positions?externalId=999')).body).toEqual([]);
      expect((await api('GET', '/positions?externalSource=bullhorn&externalId=13')).body).toEqual([]);

      for (const [query, field] of [
        ['limit=101', 'limit'],
        ['limit=0', 'limit'],
        ['offset=-1', 'offset'],
        ['limit=ten', 'limit'],
      ]) {
        const bad = await api('GET', `/positions?${query}`);
        expect(bad.status, query).toBe(422);
        expect(bad.body.error.code).toBe('invalid_request');
        expect(bad.body.error.message).toMatch(new RegExp(`^${field}: `));
      }
    });

    it('gets and patches a position; 404 not_found for an unknown id', async () => {
      const created = await createPosition('21');
      const got = await api('GET', `/positions/${created.positionId}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(created);

      const patched = await api('PATCH', `/positions/${created.positionId}`, { title: 'Charge Nurse', status: 'closed' });
      expect(patched.status).toBe(200);
      expect(patched.body).toEqual({ ...created, title: 'Charge Nurse', status: 'closed' });
      expect(sandbox.apriora.position(created.positionId)?.status).toBe('closed');

      const badStatus = await api('PATCH', `/positions/${created.positionId}`, { status: 'archived' });
      expect(badStatus.status).toBe(422);
      expect(badStatus.body.error.message).toMatch(/^status: /);

      for (const [method, body] of [
        ['GET', undefined],
        ['PATCH', { title: 'X' }],
      ] as const) {
        const missing = await api(method, '/positions/pos_999999', body);
        expect(missing.status).toBe(404);
        expect(missing.body).toEqual({ error: { code: 'not_found', message: 'Position pos_999999 not found' } });
      }
    });

    it('answers 422 invalid_request naming the field', async () => {
      const cases: [Json, RegExp][] = [
        [{ ...positionBody('31'), title: undefined }, /^title: /],
        [{ ...positionBody('31'), title: '  ' }, /^title: must not be blank/],
        [positionBody('31', { modality: 'email' }), /^modality: /],
        [positionBody('31', { externalSource: 'bullhorn' }), /^externalSource: /],
        [positionBody(31 as unknown as string), /^externalId: /],
        [{ ...positionBody('31'), description: undefined }, /^description: /],
        [positionBody('31', { templateId: 'tpl_nope' }), /^templateId: no template tpl_nope/],
        [positionBody('31', { templateId: 'tpl_2' }), /^templateId: template tpl_2 is a video template, but modality is phone/],
        [positionBody('31', { colour: 'blue' }), /colour/],
      ];
      for (const [body, message] of cases) {
        const answer = await api('POST', '/positions', body);
        expect(answer.status, JSON.stringify(body)).toBe(422);
        expect(answer.body.error.code).toBe('invalid_request');
        expect(answer.body.error.message).toMatch(message);
      }
      expect(sandbox.apriora.positions).toHaveLength(0);
      expect((await api('POST', '/positions', positionBody('31', { modality: 'video', templateId: 'tpl_2' }))).status).toBe(201);
    });
  });

  describe('invitations and candidates', () => {
    it('invites once per position and e-mail (409 already_invited), lists, and knows the candidate', async () => {
      const position = await createPosition('41');
      const other = await createPosition('42');
      const invite = (positionId: string, email: string, extra: Json = {}) =>
        api('POST', '/invitations', {
          positionId,
          candidate: { email, firstName: 'Ada', lastName: 'Lovelace', phone: '+16175550100' },
          externalCandidateId: '5001',
          ...extra,
        });

      const first = await invite(position.positionId, 'Ada.Lovelace@example.com');
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({
        invitationId: expect.stringMatching(/^inv_\d+$/),
        positionId: position.positionId,
        candidateId: expect.stringMatching(/^cand_\d+$/),
        email: 'Ada.Lovelace@example.com',
        status: 'sent',
        interviewLink: expect.stringContaining(position.positionId),
        createdAt: expect.any(Number),
        externalCandidateId: '5001',
      });

      const again = await invite(position.positionId, 'ada.lovelace@EXAMPLE.com');
      expect(again.status).toBe(409);
      expect(again.body).toEqual({ error: { code: 'already_invited', message: expect.any(String), invitationId: first.body.invitationId } });

      const future = Math.floor(Date.now() / 1000) + 3600;
      const scheduled = await invite(other.positionId, 'ada.lovelace@example.com', { sendAt: future });
      expect(scheduled.status).toBe(201);
      expect(scheduled.body).toMatchObject({ status: 'scheduled', sendAt: future, candidateId: first.body.candidateId });
      expect((await invite(other.positionId, 'grace@example.com')).status).toBe(201);

      const byPosition = await api('GET', `/invitations?positionId=${other.positionId}`);
      // newest first
      expect((byPosition.body as Json[]).map((i) => i.email)).toEqual(['grace@example.com', 'ada.lovelace@example.com']);
      const byEmail = await api('GET', '/invitations?email=ADA.LOVELACE@example.com');
      expect(byEmail.body).toHaveLength(2);
      expect((await api('GET', '/invitations?limit=1&offset=2')).body).toEqual([expect.objectContaining({ email: 'Ada.Lovelace@example.com' })]);

      const candidates = await api('GET', '/candidates?email=ada.lovelace@example.com');
      expect(candidates.body).toEqual([
        expect.objectContaining({
          candidateId: first.body.candidateId,
          email: 'Ada.Lovelace@example.com',
          firstName: 'Ada',
          lastName: 'Lovelace',
          resumeUrl: null,
        }),
      ]);
      expect((await api('GET', `/candidates?positionId=${position.positionId}`)).body).toHaveLength(1);
      expect((await api('GET', `/candidates?positionId=${other.positionId}`)).body).toHaveLength(2);
      expect((await api('GET', '/candidates')).body).toHaveLength(2);

      const badEmail = await invite(position.positionId, 'not-an-email');
      expect(badEmail.status).toBe(422);
      expect(badEmail.body.error.message).toMatch(/^candidate\.email: /);
      const noPosition = await invite('pos_999999', 'x@example.com');
      expect(noPosition.status).toBe(422);
      expect(noPosition.body.error.message).toMatch(/^positionId: /);
    });
  });

  describe('Tracker integration settings', () => {
    it('starts disabled and without credentials', async () => {
      const answer = await api('GET', '/integrations/tracker');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        hasCredentials: false,
        region: null,
        username: null,
        activityType: 'Apriora Interview',
        activityFields: { overallScore: null, reportLink: null, gradingCriteria: null, feedback: null },
        automations: {
          invites: { enabled: false, trigger: { statuses: ['Applied'] }, rules: [], delayMinutes: 0, onePerCandidatePerDay: true, blackout: null },
          interviewCreation: { enabled: false, modality: 'video', templateId: null, filters: [] },
        },
      });
    });

    it('stores credentials write-only: never in an answer, the state dump or the request log', async () => {
      const patch = await api('PATCH', '/integrations/tracker', {
        credentials: SECRETS,
        activityFields: { overallScore: 701, feedback: 704 },
        automations: { invites: { enabled: true, delayMinutes: 30 } },
      });
      expect(patch.status).toBe(200);
      expect(patch.body).toMatchObject({
        hasCredentials: true,
        region: 'us',
        username: SECRETS.username,
        activityFields: { overallScore: 701, reportLink: null, gradingCriteria: null, feedback: 704 },
        automations: { invites: { enabled: true, delayMinutes: 30, onePerCandidatePerDay: true }, interviewCreation: { enabled: false } },
      });

      const partial = await api('PATCH', '/integrations/tracker', {
        activityFields: { reportLink: 702 },
        automations: { interviewCreation: { enabled: true, modality: 'video', templateId: 'tpl_2' } },
      });
      expect(partial.body).toMatchObject({
        hasCredentials: true,
        activityFields: { overallScore: 701, reportLink: 702, feedback: 704 },
        automations: { invites: { enabled: true }, interviewCreation: { enabled: true, modality: 'video', templateId: 'tpl_2' } },
      });

      const got = await api('GET', '/integrations/tracker');
      expect(got.body).toEqual(partial.body);
      expect(sandbox.apriora.storedTrackerCredentials()).toEqual(SECRETS);

      const state = await admin('state');
      expect(state.body.apriora.integration).toMatchObject({ hasCredentials: true });
      const log = await admin('requests?api=apriora');
      expect(log.body.requests.length).toBeGreaterThanOrEqual(3);
      expect((log.body.requests as Json[])[0]).toMatchObject({ op: 'PATCH /integrations/tracker', api: 'apriora', httpStatus: 200 });
      for (const text of [patch.text, partial.text, got.text, state.text, log.text, JSON.stringify(sandbox.requests)]) {
        expect(text).not.toContain(SECRETS.apiKey);
        expect(text).not.toContain(SECRETS.password);
      }
      expect(log.text).not.toContain(DEFAULT_APRIORA_API_KEY);

      const badTemplate = await api('PATCH', '/integrations/tracker', { automations: { interviewCreation: { templateId: 'tpl_nope' } } });
      expect(badTemplate.status).toBe(422);
      expect(badTemplate.body.error.code).toBe('invalid_automation');
      expect(badTemplate.body.error.message).toMatch(/^automations\.interviewCreation\.templateId: /);
      const incomplete = await api('PATCH', '/integrations/tracker', { credentials: { apiKey: 'k' } });
      expect(incomplete.status).toBe(422);
      expect(incomplete.body.error.message).toMatch(/credentials\.username/);
      expect((await api('PATCH', '/integrations/tracker', { activityType: 'Call' })).status).toBe(422);
      const badRegion = await api('PATCH', '/integrations/tracker', { credentials: { ...SECRETS, region: 'eu' } });
      expect(badRegion.status).toBe(422);
      expect(badRegion.body.error.message).toMatch(/^credentials\.region: /);
      const noRegion = await api('PATCH', '/integrations/tracker', { credentials: { ...SECRETS, region: null } });
      expect(noRegion.body).toMatchObject({ hasCredentials: true, region: null });

      const cleared = await api('PATCH', '/integrations/tracker', { credentials: null, hasCredentials: true });
      expect(cleared.body.hasCredentials).toBe(false);
      expect(sandbox.apriora.storedTrackerCredentials()).toBeNull();
    });
  });

  describe('reports', () => {
    it('needs at least one filter', async () => {
      const answer = await api('GET', '/reports');
      expect(answer.status).toBe(422);
      expect(answer.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/reportId/) });
      expect((await api('GET', '/reports?positionId=')).status).toBe(422);
      expect((await api('GET', '/reports?positionId=pos_1')).body).toEqual([]);
    });

    it('completeInterview makes a candidate and a report that GET /reports and GET /candidates show', async () => {
      const position = await createPosition('51', { title: 'Registered Nurse - ICU' });
      await api('POST', '/invitations', {
        positionId: position.positionId,
        candidate: { email: 'jo.smith@example.com', firstName: 'Jo', lastName: 'Smith', phone: '+16175550101' },
      });

      const completed = await admin('apriora/complete', {
        method: 'POST',
        body: JSON.stringify({ positionId: position.positionId, email: 'Jo.Smith@example.com' }),
      });
      expect(completed.status).toBe(201);
      const { candidate, report } = completed.body as { candidate: Json; report: Json };
      expect(candidate).toMatchObject({ email: 'jo.smith@example.com', firstName: 'Jo', lastName: 'Smith' });
      expect(report).toMatchObject({
        reportId: expect.stringMatching(/^rep_\d+$/),
        candidateId: candidate.candidateId,
        positionId: position.positionId,
        overallScore: expect.any(Number),
        overallFeedback: expect.stringContaining('Jo'),
        timeCompleted: expect.any(Number),
        videoUrl: null,
      });
      expect(report.overallScore).toBeGreaterThanOrEqual(0);
      expect(report.overallScore).toBeLessThanOrEqual(100);
      expect(report.questionSummary.length).toBeGreaterThanOrEqual(3);
      expect(report.questionSummary.length).toBeLessThanOrEqual(5);
      expect(report.questionSummary[0].question).toContain('Registered Nurse - ICU');
      expect(report.skills.length).toBeGreaterThanOrEqual(3);
      expect(report.skills.length).toBeLessThanOrEqual(4);
      for (const skill of report.skills) expect(skill).toEqual({ name: expect.any(String), score: expect.any(Number), feedback: expect.any(String) });
      for (const tag of report.tags) expect(tag).toEqual({ name: expect.any(String), value: expect.any(String), evidence: expect.any(String) });
      expect(report.pdfUrl === null || /^https:\/\/.+\.pdf$/.test(report.pdfUrl)).toBe(true);

      const byPosition = await api('GET', `/reports?positionId=${position.positionId}`);
      expect(byPosition.body).toEqual([report]);
      expect((await api('GET', `/reports?reportId=${report.reportId}&positionId=pos_999999`)).body).toEqual([report]);
      expect((await api('GET', `/reports?candidateId=${candidate.candidateId}`)).body).toEqual([report]);
      expect((await api('GET', `/reports?candidateId=${candidate.candidateId}&positionId=pos_999999`)).body).toEqual([]);
      expect((await api('GET', '/candidates?email=JO.SMITH@example.com')).body).toEqual([candidate]);
      expect((await api('GET', `/candidates?candidateId=${candidate.candidateId}`)).body).toEqual([candidate]);
      expect((await api('GET', `/invitations?positionId=${position.positionId}`)).body[0].status).toBe('completed');

      const video = await createPosition('52', { modality: 'video', title: 'Data Analyst' });
      const { report: videoReport, candidate: newcomer } = sandbox.apriora.completeInterview({
        positionId: video.positionId,
        email: 'sam.lee@example.com',
        score: 91,
        at: 1_750_000_000,
      });
      expect(newcomer).toMatchObject({ firstName: 'Sam', lastName: 'Lee' });
      expect(videoReport).toMatchObject({ overallScore: 91, timeCompleted: 1_750_000_000, videoUrl: expect.stringMatching(/^https:\/\/.+/) });

      const unknown = await admin('apriora/complete', { method: 'POST', body: JSON.stringify({ positionId: 'pos_999999', email: 'a@b.example' }) });
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('not_found');
      expect((await admin('apriora/complete', { method: 'POST', body: JSON.stringify({ email: 'a@b.example' }) })).status).toBe(400);
    });

    it('generates the same report for the same interview', () => {
      const run = () => {
        const state = new AprioraState(undefined, () => new Date(Date.UTC(2025, 5, 1)));
        const position = state.createPosition({
          title: 'Senior Software Engineer',
          description: '',
          modality: 'video',
          externalSource: 'tracker',
          externalId: '1',
        });
        return state.completeInterview({ positionId: position.positionId, email: 'kim@example.com' });
      };
      expect(run()).toEqual(run());
    });
  });

  describe('faults and admin', () => {
    it('takes one-shot faults addressed to api "apriora" and leaves Tracker alone', async () => {
      sandbox.faults.push({ kind: '5xx', api: 'apriora' });
      const tracker = await fetch(`${sandbox.trackerUrl}/api/widget/checkLogon`, { method: 'POST', body: '{}' });
      expect(tracker.status).toBe(200);
      await tracker.text();
      const faulted = await api('GET', '/templates');
      expect(faulted.status).toBe(503);
      expect(faulted.body).toEqual({ error: { code: 'service_unavailable', message: expect.any(String) } });
      expect((await api('GET', '/templates')).status).toBe(200);

      sandbox.faults.configure({ retryAfterSeconds: 7 });
      sandbox.faults.push({ kind: '429', api: 'apriora', op: 'GET /positions' });
      expect((await api('GET', '/templates')).status).toBe(200);
      const limited = await api('GET', '/positions?limit=5');
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('7');
      expect(limited.body.error.code).toBe('rate_limited');
      expect(sandbox.requests.at(-1)).toMatchObject({ api: 'apriora', op: 'GET /positions', query: { limit: '5' }, httpStatus: 429, fault: '429' });
    });

    it('after-commit on POST /positions: the position exists while the client saw a 502', async () => {
      sandbox.faults.push({ kind: 'after-commit', api: 'apriora', op: 'POST /positions' });
      // a read is not a write: the fault waits for the POST
      expect((await api('GET', '/positions')).status).toBe(200);
      const failed = await api('POST', '/positions', positionBody('61'));
      expect(failed.status).toBe(502);
      expect(failed.body.error.code).toBe('bad_gateway');
      expect(sandbox.requests.at(-1)).toMatchObject({ op: 'POST /positions', httpStatus: 502, fault: 'after-commit' });

      const readBack = await api('GET', '/positions?externalSource=tracker&externalId=61');
      expect(readBack.body).toHaveLength(1);
      const retry = await api('POST', '/positions', positionBody('61'));
      expect(retry.status).toBe(409);
      expect(retry.body.error.positionId).toBe((readBack.body as Json[])[0]?.positionId);
    });

    it('health, state and reset cover Apriora beside Tracker', async () => {
      const health = await admin('health');
      expect(health.body).toMatchObject({
        ok: true,
        aprioraUrl: sandbox.aprioraUrl,
        aprioraApiKey: DEFAULT_APRIORA_API_KEY,
        apis: expect.arrayContaining([{ name: 'apriora', prefix: '/apriora/v1/api' }]),
      });

      const position = await createPosition('71');
      sandbox.apriora.completeInterview({ positionId: position.positionId, email: 'x@example.com' });
      const state = await admin('state');
      expect(Object.keys(state.body)).toEqual(['tracker', 'apriora', 'trackerRest']);
      expect(state.body.apriora).toMatchObject({
        templates: DEFAULT_APRIORA_TEMPLATES,
        positions: [position],
        invitations: [],
        candidates: [expect.objectContaining({ email: 'x@example.com' })],
        reports: [expect.objectContaining({ positionId: position.positionId })],
        integration: expect.objectContaining({ hasCredentials: false }),
      });
      // the dump loads back as a seed
      expect(loadAprioraSeed(state.body.apriora).positions).toEqual([position]);

      expect((await admin('reset', { method: 'POST' })).status).toBe(200);
      expect(sandbox.apriora.positions).toEqual([]);
      expect(sandbox.apriora.reports).toEqual([]);

      const seeded = await admin('reset', {
        method: 'POST',
        body: JSON.stringify({
          apriora: {
            positions: [{ positionId: 'pos_500', title: 'Welder', modality: 'phone', externalSource: 'tracker', externalId: '900', createdAt: 1_700_000_000 }],
          },
        }),
      });
      expect(seeded.status).toBe(200);
      expect((await api('GET', '/positions/pos_500')).body).toMatchObject({
        title: 'Welder',
        status: 'active',
        interviewUrl: expect.stringContaining('pos_500'),
      });
      expect((await createPosition('901')).positionId).toBe('pos_501');
      const invalid = await admin('reset', { method: 'POST', body: JSON.stringify({ apriora: { reports: [{ reportId: 'r' }] } }) });
      expect(invalid.status).toBe(400);
    });
  });
});
