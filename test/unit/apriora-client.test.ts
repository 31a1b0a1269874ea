import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AprioraClient,
  PATHS,
  reportLink,
  signWebhook,
  type TrackerIntegrationPatch,
  verifyWebhookSignature,
  webhookPayload,
} from '../../src/apriora/index.js';
import { type AppError, AuthError, ConflictError, InputError, NotFoundError, RemoteError } from '../../src/errors.js';
import type { HttpClientOptions } from '../../src/http/client.js';
import { REDACTED, redactKeys } from '../../src/http/redact.js';
import { testHttpClient, useStrictNock } from '../support/nock-http.js';

const ORIGIN = 'https://api.apriora.test';
const PREFIX = '/v1/api';
const BASE = `${ORIGIN}${PREFIX}`;
const API_KEY = 'apk_live_7f3c9a1e5b2d4f60';
const TRACKER_API_KEY = 'TRK-KEY-0a1b2c3d4e5f';
const TRACKER_PASSWORD = 'Tr4cker-Pa55word!';
const SECRETS = [API_KEY, TRACKER_API_KEY, TRACKER_PASSWORD];
const JSON_HEADERS = { 'content-type': 'application/json' };

interface Captured {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** Every trace line of the current test; afterEach checks that no secret is in any of them. */
let lines: string[] = [];
let delays: number[] = [];

function apriora(options: Partial<HttpClientOptions> = {}) {
  // Every client of a test traces into the file's arrays, which afterEach checks for secrets.
  const { http } = testHttpClient(BASE, 'Apriora', {
    sleep: async (ms) => {
      delays.push(ms);
    },
    trace: (line) => lines.push(line),
    ...options,
  });
  return { client: new AprioraClient({ http, apiKey: API_KEY }), http };
}

type Method = 'GET' | 'POST' | 'PATCH';

/**
 * One expected call: `path` is relative to the API base, `query` the exact query (or none at all), each answer is
 * `[status, body, headers?]`, used in order, one request each. Returns the requests as they were sent.
 */
function expectCall(method: Method, path: string, answers: [number, unknown, Record<string, string>?][], query?: Record<string, string>): Captured[] {
  const captured: Captured[] = [];
  const scope = nock(ORIGIN);
  for (const [status, answer, headers] of answers) {
    const base = scope.intercept(PREFIX + path, method);
    const interceptor = query ? base.query(query) : base;
    interceptor.reply(function (uri, body) {
      captured.push({
        method,
        path: uri,
        headers: this.req.headers as Captured['headers'],
        body: typeof body === 'string' && body ? JSON.parse(body) : body || undefined,
      });
      if (typeof answer === 'string') return [status, answer, { 'content-type': 'text/plain', ...headers }];
      return [status, answer as nock.Body, { ...JSON_HEADERS, ...headers }];
    });
  }
  return captured;
}

function expectAuthenticated(captured: Captured[], count = 1): void {
  expect(captured).toHaveLength(count);
  for (const request of captured) {
    expect(request.headers['x-api-key']).toBe(API_KEY);
    expect(request.headers.accept).toBe('application/json');
  }
}

function expectNoSecrets(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

async function rejection<T extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    const appError = error as AppError;
    expectNoSecrets(JSON.stringify({ message: appError.message, hint: appError.hint, details: appError.details }));
    return error as T;
  }
  throw new Error('expected a rejection');
}

function apiError(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra } };
}

const POSITION = {
  positionId: 'pos_1',
  title: 'Senior Nurse',
  modality: 'video',
  status: 'active',
  externalSource: 'tracker',
  externalId: '4711',
  interviewUrl: 'https://app.apriora.ai/i/pos_1',
  createdAt: 1_735_689_600,
};

const INVITATION = {
  invitationId: 'inv_1',
  positionId: 'pos_1',
  candidateId: 'cand_1',
  email: 'jane@example.com',
  status: 'sent',
  interviewLink: 'https://app.apriora.ai/i/inv_1',
  createdAt: 1_735_689_700,
  // Not in the listed shape; read when Apriora echoes it back.
  externalCandidateId: '5001',
};

const REPORT = {
  reportId: 'rep_1',
  candidateId: 'cand_1',
  positionId: 'pos_1',
  overallScore: 87.5,
  overallFeedback: 'Strong clinical judgement.',
  questionSummary: [{ question: 'Why nursing?', summary: 'Family tradition.' }],
  tags: [{ name: 'Shift', value: 'nights', evidence: 'Said so at 03:12.' }],
  skills: [{ name: 'Communication', score: 9, feedback: 'Clear.' }],
  timeCompleted: 1_735_700_000,
  videoUrl: 'https://cdn.apriora.ai/v/rep_1.mp4',
  pdfUrl: null,
  interviewLanguage: 'en',
};

const INTEGRATION = {
  hasCredentials: true,
  region: 'uk',
  username: 'api.user@customer.com',
  activityType: 'Apriora Interview',
  activityFields: { overallScore: 201, reportLink: '202', gradingCriteria: 203, feedback: null },
  automations: {
    invites: { enabled: true, rules: [{ field: 'status', op: 'equals', value: 'Shortlisted' }], delayMinutes: 30, onePerCandidatePerDay: true },
    interviewCreation: { enabled: false, modality: 'phone', templateId: null, filters: [] },
  },
};

function positions(from: number, count: number) {
  return Array.from({ length: count }, (_, i) => ({ ...POSITION, positionId: `pos_${from + i}`, externalId: String(from + i) }));
}

useStrictNock();

beforeEach(() => {
  lines = [];
  delays = [];
});

afterEach(() => {
  for (const line of lines) expectNoSecrets(line);
});

describe('AprioraClient requests', () => {
  it('verifyKey makes one authenticated GET /templates', async () => {
    const captured = expectCall('GET', '/templates', [[200, [{ templateId: 't1', name: 'Default', modality: 'video' }]]]);
    const { client } = apriora();
    await expect(client.verifyKey()).resolves.toBeUndefined();
    expectAuthenticated(captured);
    expect(captured[0]!.path).toBe(`${PREFIX}/templates`);
    expect(captured[0]!.body).toBeUndefined();
  });

  it('the key reaches the server in X-API-Key but never a trace line', async () => {
    expectCall('GET', '/templates', [[200, []]]);
    const { client } = apriora();
    await client.verifyKey();
    expect(lines.some((line) => line.includes('"x-api-key":"***"'))).toBe(true);
    expect(lines.join('\n')).not.toContain(API_KEY);
  });

  it('getReports sends only the given filters and parses the reports', async () => {
    const captured = expectCall('GET', '/reports', [[200, [REPORT]]], { reportId: 'rep_1' });
    const { client } = apriora();
    const reports = await client.getReports({ reportId: 'rep_1', positionId: undefined });
    expectAuthenticated(captured);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({
      reportId: 'rep_1',
      overallScore: 87.5,
      skills: [{ name: 'Communication', score: 9, feedback: 'Clear.' }],
      pdfUrl: null,
      interviewLanguage: 'en',
    });
  });

  it('getReports tolerates nulls in optional text and lists', async () => {
    const sparse = {
      ...REPORT,
      overallFeedback: null,
      questionSummary: null,
      tags: [{ name: 'x', value: null, evidence: null }],
      skills: undefined,
      videoUrl: undefined,
    };
    expectCall('GET', '/reports', [[200, [sparse]]], { positionId: 'pos_1', candidateId: 'cand_1' });
    const { client } = apriora();
    const [report] = await client.getReports({ positionId: 'pos_1', candidateId: 'cand_1' });
    expect(report).toMatchObject({ overallFeedback: '', questionSummary: [], skills: [], videoUrl: null, tags: [{ name: 'x', value: null, evidence: '' }] });
  });

  it('getReports without a filter is an input error and sends nothing', async () => {
    const { client } = apriora();
    const error = await rejection(client.getReports({}), InputError);
    expect(error.exitCode).toBe(2);
    await rejection(client.getReports({ reportId: '', candidateId: undefined }), InputError);
  });

  it('getReports rejects a score outside 0–100 as an unexpected answer', async () => {
    expectCall('GET', '/reports', [[200, [{ ...REPORT, overallScore: 870 }]]], { reportId: 'rep_1' });
    const { client } = apriora();
    const error = await rejection(client.getReports({ reportId: 'rep_1' }), RemoteError);
    expect(error.code).toBe('unexpected_response');
    expect(error.message).toContain('0.overallScore');
  });

  it('getCandidates sends the filters and parses the candidates', async () => {
    const candidate = { candidateId: 'cand_1', email: 'jane@example.com', firstName: 'Jane', lastName: 'Doe', resumeUrl: null };
    const captured = expectCall('GET', '/candidates', [[200, [candidate]]], { email: 'jane@example.com' });
    const { client } = apriora();
    await expect(client.getCandidates({ email: 'jane@example.com' })).resolves.toEqual([candidate]);
    expectAuthenticated(captured);
  });

  it('listTemplates parses the templates', async () => {
    const templates = [{ templateId: 't1', name: 'Nursing', modality: 'phone' }];
    expectCall('GET', '/templates', [[200, templates]]);
    const { client } = apriora();
    await expect(client.listTemplates()).resolves.toEqual(templates);
  });

  it('createPosition POSTs the position once and parses the 201', async () => {
    const captured = expectCall('POST', '/positions', [[201, POSITION]]);
    const { client } = apriora();
    const created = await client.createPosition({
      title: 'Senior Nurse',
      description: 'Nights, ICU.',
      modality: 'video',
      externalSource: 'tracker',
      externalId: '4711',
      templateId: 't1',
      creationNotes: undefined,
      location: 'Leeds',
    });
    expectAuthenticated(captured);
    expect(captured[0]!.headers['content-type']).toBe('application/json');
    expect(captured[0]!.body).toStrictEqual({
      title: 'Senior Nurse',
      description: 'Nights, ICU.',
      modality: 'video',
      externalSource: 'tracker',
      externalId: '4711',
      templateId: 't1',
      location: 'Leeds',
    });
    expect(created).toEqual(POSITION);
  });

  it('listPositions sends only the defined parameters and clamps limit to 100', async () => {
    const first = expectCall('GET', '/positions', [[200, [POSITION]]], { externalSource: 'tracker', externalId: '4711', limit: '100', offset: '0' });
    const second = expectCall('GET', '/positions', [[200, []]], { externalId: '9' });
    const { client } = apriora();
    await expect(client.listPositions({ externalSource: 'tracker', externalId: '4711', limit: 500, offset: 0 })).resolves.toEqual([POSITION]);
    await expect(client.listPositions({ externalId: '9', externalSource: undefined })).resolves.toEqual([]);
    expectAuthenticated(first);
    expectAuthenticated(second);
  });

  it('listPositions refuses a limit below 1 or a negative offset before sending', async () => {
    const { client } = apriora();
    await rejection(client.listPositions({ limit: 0 }), InputError);
    await rejection(client.listPositions({ offset: -1 }), InputError);
  });

  it('iteratePositions pages by offset until a short page (250 → offsets 0, 100, 200)', async () => {
    const query = { externalSource: 'tracker', limit: '100' };
    const pages = [
      expectCall('GET', '/positions', [[200, positions(0, 100)]], { ...query, offset: '0' }),
      expectCall('GET', '/positions', [[200, positions(100, 100)]], { ...query, offset: '100' }),
      expectCall('GET', '/positions', [[200, positions(200, 50)]], { ...query, offset: '200' }),
    ];
    const { client } = apriora();
    const ids: string[] = [];
    for await (const item of client.iteratePositions({ externalSource: 'tracker' })) ids.push(item.positionId);
    expect(ids).toHaveLength(250);
    expect(new Set(ids).size).toBe(250);
    expect(ids[249]).toBe('pos_249');
    for (const page of pages) expectAuthenticated(page);
  });

  it('iteratePositions with readAhead asks for the next page as soon as a full one arrives, and past a short page for none', async () => {
    const query = { limit: '100' };
    const first = expectCall('GET', '/positions', [[200, positions(0, 100)]], { ...query, offset: '0' });
    const second = expectCall('GET', '/positions', [[200, positions(100, 30)]], { ...query, offset: '100' });
    const { client } = apriora();
    const iterator = client.iteratePositions({}, 100, undefined, { readAhead: true });
    expect((await iterator.next()).value?.positionId).toBe('pos_0');
    // Only the first position consumed: the second page is already on its way.
    await expect.poll(() => second.length).toBe(1);
    let count = 1;
    for await (const _ of iterator) count++;
    expect(count).toBe(130);
    expect(first).toHaveLength(1);
  });

  it('iteratePositions stops on an empty page after full pages', async () => {
    expectCall('GET', '/positions', [[200, positions(0, 2)]], { limit: '2', offset: '0' });
    expectCall('GET', '/positions', [[200, []]], { limit: '2', offset: '2' });
    const { client } = apriora();
    const ids: string[] = [];
    for await (const item of client.iteratePositions({}, 2)) ids.push(item.positionId);
    expect(ids).toEqual(['pos_0', 'pos_1']);
  });

  it('iteratePositions reads a server that ignores limit without duplicates', async () => {
    expectCall('GET', '/positions', [[200, positions(0, 150)]], { limit: '100', offset: '0' });
    expectCall('GET', '/positions', [[200, []]], { limit: '100', offset: '150' });
    const { client } = apriora();
    let count = 0;
    for await (const _ of client.iteratePositions({})) count++;
    expect(count).toBe(150);
  });

  it('iteratePositions fails instead of looping when the server ignores offset', async () => {
    nock(ORIGIN).get(`${PREFIX}/positions`).query(true).times(2).reply(200, positions(0, 100), JSON_HEADERS);
    const { client } = apriora();
    const seen: string[] = [];
    const error = await rejection(
      (async () => {
        for await (const item of client.iteratePositions({})) seen.push(item.positionId);
      })(),
      RemoteError,
    );
    expect(error.code).toBe('paging_stuck');
    expect(seen).toHaveLength(100);
  });

  it('iteratePositions refuses a page size below 1', async () => {
    const { client } = apriora();
    await rejection(client.iteratePositions({}, 0).next(), InputError);
  });

  it('getPosition GETs one position, with the id encoded', async () => {
    const captured = expectCall('GET', '/positions/pos%2F1', [[200, { ...POSITION, positionId: 'pos/1' }]]);
    const { client } = apriora();
    await expect(client.getPosition('pos/1')).resolves.toMatchObject({ positionId: 'pos/1', status: 'active' });
    expectAuthenticated(captured);
  });

  it('updatePosition PATCHes only the given fields', async () => {
    const captured = expectCall('PATCH', '/positions/pos_1', [[200, { ...POSITION, status: 'closed' }]]);
    const { client } = apriora();
    const updated = await client.updatePosition('pos_1', { status: 'closed', title: undefined });
    expectAuthenticated(captured);
    expect(captured[0]!.body).toStrictEqual({ status: 'closed' });
    expect(updated.status).toBe('closed');
  });

  it('createInvitation POSTs the invitation and parses the 201', async () => {
    const captured = expectCall('POST', '/invitations', [[201, INVITATION]]);
    const { client } = apriora();
    const created = await client.createInvitation({
      positionId: 'pos_1',
      candidate: { email: 'jane@example.com', firstName: 'Jane', lastName: 'Doe', phone: '+44 7700 900123' },
      externalCandidateId: '8812',
      sendAt: 1_735_800_000,
    });
    expectAuthenticated(captured);
    expect(captured[0]!.body).toStrictEqual({
      positionId: 'pos_1',
      candidate: { email: 'jane@example.com', firstName: 'Jane', lastName: 'Doe', phone: '+44 7700 900123' },
      externalCandidateId: '8812',
      sendAt: 1_735_800_000,
    });
    expect(created).toEqual(INVITATION);
  });

  it('createInvitation leaves out the optional fields that were not given', async () => {
    const captured = expectCall('POST', '/invitations', [[201, INVITATION]]);
    const { client } = apriora();
    await client.createInvitation({ positionId: 'pos_1', candidate: { email: 'jane@example.com', firstName: 'Jane', lastName: 'Doe' } });
    expect(captured[0]!.body).toStrictEqual({
      positionId: 'pos_1',
      candidate: { email: 'jane@example.com', firstName: 'Jane', lastName: 'Doe' },
    });
  });

  it('listInvitations and iterateInvitations send the query', async () => {
    const captured = expectCall('GET', '/invitations', [[200, [INVITATION]]], { positionId: 'pos_1', email: 'jane@example.com', limit: '20', offset: '40' });
    expectCall('GET', '/invitations', [[200, [INVITATION]]], { positionId: 'pos_1', limit: '100', offset: '0' });
    const { client } = apriora();
    await expect(client.listInvitations({ positionId: 'pos_1', email: 'jane@example.com', limit: 20, offset: 40 })).resolves.toEqual([INVITATION]);
    expectAuthenticated(captured);
    const all = [];
    for await (const item of client.iterateInvitations({ positionId: 'pos_1' })) all.push(item);
    expect(all).toEqual([INVITATION]);
  });

  it('listInvitations sends createdAfter (Unix seconds); iterateInvitations pages by limit/offset up to 100', async () => {
    const page = (from: number, count: number) => Array.from({ length: count }, (_, i) => ({ ...INVITATION, invitationId: `inv_${from + i}` }));
    const first = expectCall('GET', '/invitations', [[200, page(0, 100)]], {
      email: 'jane@example.com',
      createdAfter: '1735700000',
      limit: '100',
      offset: '0',
    });
    const second = expectCall('GET', '/invitations', [[200, page(100, 3)]], {
      email: 'jane@example.com',
      createdAfter: '1735700000',
      limit: '100',
      offset: '100',
    });
    const { client } = apriora();
    const all = [];
    for await (const item of client.iterateInvitations({ email: 'jane@example.com', createdAfter: 1_735_700_000 }, 500)) all.push(item.invitationId);
    expect(all).toHaveLength(103);
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
  });

  it.each([
    ['phone_required', 'phone'],
    ['invalid_phone', 'phone'],
    ['invalid_email', 'e-mail'],
    ['position_closed', 'closed'],
  ])('422 %s on POST /invitations is an InputError with that code', async (code, said) => {
    expectCall('POST', '/invitations', [[422, apiError(code, 'No.')]]);
    const { client } = apriora();
    const error = await rejection(client.createInvitation({ positionId: 'pos_1', candidate: { email: 'a@b.c', firstName: 'A', lastName: 'B' } }), InputError);
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(said);
  });

  it('getTrackerIntegration parses the settings; customfield ids become numbers', async () => {
    const captured = expectCall('GET', '/integrations/tracker', [[200, INTEGRATION]]);
    const { client } = apriora();
    const integration = await client.getTrackerIntegration();
    expectAuthenticated(captured);
    expect(integration.activityFields).toEqual({ overallScore: 201, reportLink: 202, gradingCriteria: 203, feedback: null });
    expect(integration.automations.invites).toEqual({
      enabled: true,
      trigger: { statuses: ['Applied'] },
      rules: [{ field: 'status', op: 'equals', value: 'Shortlisted' }],
      delayMinutes: 30,
      onePerCandidatePerDay: true,
      blackout: null,
    });
    expect(integration.region).toBe('uk');
  });

  it('updateTrackerIntegration PATCHes the subset and the credentials, which never reach a trace line', async () => {
    const captured = expectCall('PATCH', '/integrations/tracker', [[200, INTEGRATION]]);
    const { client } = apriora();
    const patch: TrackerIntegrationPatch = {
      activityFields: { overallScore: 201, reportLink: 202, gradingCriteria: 203, feedback: 204 },
      credentials: { apiKey: TRACKER_API_KEY, username: 'api.user@customer.com', password: TRACKER_PASSWORD, region: 'uk' },
    };
    const integration = await client.updateTrackerIntegration(patch);
    expectAuthenticated(captured);
    expect(captured[0]!.body).toStrictEqual({
      activityFields: { overallScore: 201, reportLink: 202, gradingCriteria: 203, feedback: 204 },
      credentials: { apiKey: TRACKER_API_KEY, username: 'api.user@customer.com', password: TRACKER_PASSWORD, region: 'uk' },
    });
    expect(integration.hasCredentials).toBe(true);
    const body = lines.find((line) => line.includes('"credentials"'));
    expect(body).toContain(`"apiKey":"${REDACTED}"`);
    expect(body).toContain(`"password":"${REDACTED}"`);
    // afterEach checks every line for the secrets as well.
    expectNoSecrets(lines.join('\n'));
  });

  it('updateTrackerIntegration keeps echoed credentials out of the result, the trace and the error', async () => {
    const echo = { ...INTEGRATION, credentials: { apiKey: TRACKER_API_KEY, password: TRACKER_PASSWORD } };
    expectCall('PATCH', '/integrations/tracker', [[200, echo]]);
    const echoedError = apiError('invalid_credentials', `Tracker refused ${TRACKER_API_KEY} / ${TRACKER_PASSWORD}`, {
      credentials: { apiKey: TRACKER_API_KEY },
    });
    expectCall('PATCH', '/integrations/tracker', [[422, echoedError]]);
    const { client } = apriora();
    const credentials = { apiKey: TRACKER_API_KEY, username: 'u@x.com', password: TRACKER_PASSWORD, region: null };
    const integration = await client.updateTrackerIntegration({ credentials });
    expect(integration).not.toHaveProperty('credentials');
    expectNoSecrets(JSON.stringify(integration));
    const error = await rejection(client.updateTrackerIntegration({ credentials }), InputError);
    expect(error.message).toContain(`Tracker refused ${REDACTED}`);
  });

  it('redactKeys masks apiKey and password nested in credentials', () => {
    expect(redactKeys({ credentials: { apiKey: 'k', username: 'u', password: 'p', region: 'us' } })).toEqual({
      credentials: { apiKey: REDACTED, username: 'u', password: REDACTED, region: 'us' },
    });
  });

  it('passes an aborted signal through', async () => {
    const { client } = apriora();
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    await expect(client.listTemplates(controller.signal)).rejects.toThrow('stopped');
  });
});

describe('AprioraClient error mapping', () => {
  it('401 is an AuthError (exit 4) with the login hint, the echoed key masked', async () => {
    expectCall('GET', '/templates', [[401, apiError('unauthorized', `Invalid API key ${API_KEY}`)]]);
    const { client } = apriora();
    const error = await rejection(client.verifyKey(), AuthError);
    expect(error.code).toBe('apriora_unauthorized');
    expect(error.exitCode).toBe(4);
    expect(error.hint).toContain('apriora login');
    expect(error.message).toContain(`Invalid API key ${REDACTED}`);
  });

  it('401 without a JSON body still maps to AuthError', async () => {
    expectCall('GET', '/templates', [[401, 'Unauthorized']]);
    const { client } = apriora();
    const error = await rejection(client.listTemplates(), AuthError);
    expect(error.code).toBe('apriora_unauthorized');
  });

  it('403 is an AuthError apriora_forbidden', async () => {
    expectCall('GET', '/integrations/tracker', [[403, apiError('forbidden', 'Partner access is not enabled')]]);
    const { client } = apriora();
    const error = await rejection(client.getTrackerIntegration(), AuthError);
    expect(error.code).toBe('apriora_forbidden');
    expect(error.exitCode).toBe(4);
    expect(error.message).toContain('Partner access is not enabled');
  });

  it('404 is a NotFoundError naming the position', async () => {
    expectCall('GET', '/positions/pos_404', [[404, apiError('not_found', 'No such position')]]);
    const { client } = apriora();
    const error = await rejection(client.getPosition('pos_404'), NotFoundError);
    expect(error.status).toBe(404);
    expect(error.code).toBe('not_found');
    expect(error.message).toContain('pos_404');
  });

  it('409 position_exists is a ConflictError carrying the existing position id; the POST is sent once', async () => {
    const captured = expectCall('POST', '/positions', [[409, apiError('position_exists', 'Already linked', { positionId: 'pos_9' })]]);
    const { client } = apriora();
    const error = await rejection(
      client.createPosition({ title: 'T', description: 'D', modality: 'phone', externalSource: 'tracker', externalId: '4711' }),
      ConflictError,
    );
    expect(captured).toHaveLength(1);
    expect(error.code).toBe('position_exists');
    expect(error.existingId).toBe('pos_9');
    expect(error.status).toBe(409);
    expect(error.exitCode).toBe(5);
  });

  it('409 already_invited is a ConflictError carrying the existing invitation id', async () => {
    expectCall('POST', '/invitations', [[409, apiError('already_invited', 'Invited yesterday', { invitationId: 'inv_7' })]]);
    const { client } = apriora();
    const error = await rejection(
      client.createInvitation({ positionId: 'pos_1', candidate: { email: 'a@b.c', firstName: 'A', lastName: 'B' } }),
      ConflictError,
    );
    expect(error.code).toBe('already_invited');
    expect(error.existingId).toBe('inv_7');
  });

  it('another 409 code is a ConflictError with that code and no existing id', async () => {
    expectCall('PATCH', '/positions/pos_1', [[409, apiError('position_closed', 'Closed positions cannot change')]]);
    const { client } = apriora();
    const error = await rejection(client.updatePosition('pos_1', { title: 'New' }), ConflictError);
    expect(error.code).toBe('position_closed');
    expect(error.existingId).toBeUndefined();
  });

  it('422 is an InputError (exit 2) carrying Apriora’s message', async () => {
    expectCall('POST', '/positions', [[422, apiError('validation_failed', 'title must not be empty')]]);
    const { client } = apriora();
    const error = await rejection(
      client.createPosition({ title: '', description: 'D', modality: 'video', externalSource: 'tracker', externalId: '1' }),
      InputError,
    );
    expect(error.code).toBe('apriora_invalid_input');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('title must not be empty');
    expect(error.details).toMatchObject({ status: 422, code: 'validation_failed' });
  });

  it('another 4xx is a RemoteError with Apriora’s code and message', async () => {
    expectCall('GET', '/candidates', [[400, apiError('bad_filter', 'email is malformed')]], { email: 'nope' });
    const { client } = apriora();
    const error = await rejection(client.getCandidates({ email: 'nope' }), RemoteError);
    expect(error.code).toBe('bad_filter');
    expect(error.status).toBe(400);
    expect(error.exitCode).toBe(5);
    expect(error.message).toContain('email is malformed');
  });
});

describe('AprioraClient retries (HTTP layer)', () => {
  it('a GET answered 429 with Retry-After waits that long and is retried', async () => {
    const captured = expectCall('GET', '/templates', [
      [429, apiError('rate_limited', 'Slow down'), { 'retry-after': '2' }],
      [200, []],
    ]);
    const { client } = apriora();
    await expect(client.listTemplates()).resolves.toEqual([]);
    expectAuthenticated(captured, 2);
    expect(delays).toEqual([2_000]);
  });

  it('a POST answered 429 with Retry-After is retried', async () => {
    const captured = expectCall('POST', '/invitations', [
      [429, apiError('rate_limited', 'Slow down'), { 'retry-after': '1' }],
      [201, INVITATION],
    ]);
    const { client } = apriora();
    await expect(
      client.createInvitation({ positionId: 'pos_1', candidate: { email: 'jane@example.com', firstName: 'Jane', lastName: 'Doe' } }),
    ).resolves.toEqual(INVITATION);
    expectAuthenticated(captured, 2);
    expect(captured[1]!.body).toStrictEqual(captured[0]!.body);
    expect(delays).toEqual([1_000]);
  });

  it('a POST answered 503 is not retried: exactly one request', async () => {
    const captured = expectCall('POST', '/positions', [[503, apiError('unavailable', 'Maintenance')]]);
    const { client } = apriora();
    const error = await rejection(
      client.createPosition({ title: 'T', description: 'D', modality: 'video', externalSource: 'tracker', externalId: '1' }),
      RemoteError,
    );
    expect(captured).toHaveLength(1);
    expect(error.code).toBe('server_error');
    expect(error.status).toBe(503);
    expect(delays).toEqual([]);
  });

  it('a PATCH answered 503 is not retried either', async () => {
    const captured = expectCall('PATCH', '/positions/pos_1', [[503, '']]);
    const { client } = apriora();
    await rejection(client.updatePosition('pos_1', { status: 'active' }), RemoteError);
    expect(captured).toHaveLength(1);
  });

  it('a GET answered 503 is retried', async () => {
    const captured = expectCall('GET', '/positions/pos_1', [
      [503, 'Service Unavailable'],
      [200, POSITION],
    ]);
    const { client } = apriora();
    await expect(client.getPosition('pos_1')).resolves.toEqual(POSITION);
    expect(captured).toHaveLength(2);
    expect(delays).toHaveLength(1);
  });

  it('a GET that keeps answering 503 fails with exit 5 after the retries', async () => {
    const captured = expectCall('GET', '/templates', [
      [503, ''],
      [503, ''],
      [503, ''],
    ]);
    const { client } = apriora();
    const error = await rejection(client.verifyKey(), RemoteError);
    expect(error.exitCode).toBe(5);
    expect(captured).toHaveLength(3);
  });
});

describe('AprioraClient unexpected answers', () => {
  it('an object where a list belongs is unexpected_response naming the path', async () => {
    expectCall('GET', '/positions', [[200, { positions: [POSITION] }]], { limit: '10' });
    const { client } = apriora();
    const error = await rejection(client.listPositions({ limit: 10 }), RemoteError);
    expect(error.code).toBe('unexpected_response');
    expect(error.exitCode).toBe(5);
    expect(error.message).toContain('Apriora GET /positions');
  });

  it('a position without positionId is unexpected_response naming the field', async () => {
    const { positionId: _positionId, ...withoutId } = POSITION;
    expectCall('POST', '/positions', [[201, withoutId]]);
    const { client } = apriora();
    const error = await rejection(
      client.createPosition({ title: 'T', description: 'D', modality: 'video', externalSource: 'tracker', externalId: '1' }),
      RemoteError,
    );
    expect(error.code).toBe('unexpected_response');
    expect(error.message).toContain('Apriora POST /positions');
    expect(error.message).toContain('positionId');
  });

  it('an item without its id inside a list names the index and the field', async () => {
    expectCall('GET', '/invitations', [[200, [INVITATION, { ...INVITATION, invitationId: undefined }]]]);
    const { client } = apriora();
    const error = await rejection(client.listInvitations({}), RemoteError);
    expect(error.message).toContain('1.invitationId');
  });

  it('a 200 that is not JSON is unexpected_response', async () => {
    expectCall('GET', '/templates', [[200, '<html>login</html>', { 'content-type': 'text/html' }]]);
    const { client } = apriora();
    const error = await rejection(client.verifyKey(), RemoteError);
    expect(error.code).toBe('unexpected_response');
  });
});

describe('Apriora partner assumptions and confirmed shapes', () => {
  it('reportLink prefers the PDF and falls back to the web app', () => {
    expect(reportLink({ reportId: 'rep_1', pdfUrl: 'https://cdn.apriora.ai/r/rep_1.pdf' })).toBe('https://cdn.apriora.ai/r/rep_1.pdf');
    expect(reportLink({ reportId: 'rep_1', pdfUrl: null })).toBe('https://app.apriora.ai/reports/rep_1');
  });

  it('PATHS encodes ids', () => {
    expect(PATHS.position('a b/c')).toBe('/positions/a%20b%2Fc');
  });

  it('webhookPayload parses the four events and keeps extra fields', () => {
    const data = { candidateId: 'cand_1', candidateEmail: 'jane@example.com', reportId: 'rep_1', positionId: 'pos_1', time: 1_735_700_000 };
    const parsed = webhookPayload.parse({ event: 'session.completed', data: { ...data, extra: 1 }, id: 'evt_1' });
    expect(parsed).toMatchObject({ event: 'session.completed', id: 'evt_1', data: { reportId: 'rep_1', extra: 1 } });
    expect(webhookPayload.safeParse({ event: 'session.started', data: { ...data, reportId: null } }).success).toBe(true);
    expect(webhookPayload.safeParse({ event: 'session.completed', data: { ...data, reportId: null } }).success).toBe(false);
    expect(webhookPayload.safeParse({ event: 'session.unknown', data }).success).toBe(false);
  });

  it('verifyWebhookSignature accepts a fresh, correct signature and rejects the rest', () => {
    const secret = 'whsec_test_123';
    const body = JSON.stringify({ event: 'session.completed' });
    const now = 1_735_700_000;
    const header = signWebhook(secret, body, now);
    expect(header).toMatch(/^t=1735700000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature({ header, rawBody: body, secret, nowSeconds: now + 10 })).toEqual({ ok: true, timestamp: now });
    expect(verifyWebhookSignature({ header, rawBody: Buffer.from(body), secret, nowSeconds: now })).toMatchObject({ ok: true });
    expect(verifyWebhookSignature({ header, rawBody: `${body} `, secret, nowSeconds: now })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhookSignature({ header, rawBody: body, secret: 'other', nowSeconds: now })).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifyWebhookSignature({ header, rawBody: body, secret, nowSeconds: now + 301 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyWebhookSignature({ header: 'v1=abc', rawBody: body, secret, nowSeconds: now })).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyWebhookSignature({ header: undefined, rawBody: body, secret })).toEqual({ ok: false, reason: 'missing' });
  });
});
