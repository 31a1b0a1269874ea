import { expect } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { type Answer, conformance } from './harness.js';

interface AprioraRequest {
  /** A raw string is sent as it is; anything else as JSON. */
  body?: unknown;
  /** Extra headers; `x-api-key` and `content-type` here replace the defaults (an empty string drops one). */
  headers?: Record<string, string>;
}

/**
 * One raw request to {sandbox}/apriora/v1/api<path> with the sandbox's `X-API-Key` and, with a body, a JSON content
 * type. A JSON array answer (a list) comes back as `{list: [...]}`, so that every answer is an object.
 */
async function apriora(sandbox: RunningSandbox, method: string, path: string, { body, headers = {} }: AprioraRequest = {}): Promise<Answer> {
  const all: Record<string, string> = {
    'x-api-key': sandbox.credentials.aprioraApiKey,
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...headers,
  };
  for (const [name, value] of Object.entries(all)) if (value === '') delete all[name];
  const response = await fetch(`${sandbox.aprioraUrl}${path}`, {
    method,
    headers: all,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const json: unknown = await response.json().catch(() => ({}));
  return { http: response.status, body: Array.isArray(json) ? { list: json } : (json as Record<string, unknown>) };
}

const newPosition = (externalId: string, extra: Record<string, unknown> = {}) => ({
  title: 'Registered Nurse',
  description: 'Night shifts',
  modality: 'video',
  externalSource: 'tracker',
  externalId,
  ...extra,
});

/** POST /positions; returns the new position's id. */
async function position(sandbox: RunningSandbox, externalId = '3101', extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await apriora(sandbox, 'POST', '/positions', { body: newPosition(externalId, extra) });
  expect(answer.http, JSON.stringify(answer.body)).toBe(201);
  return answer.body.positionId as string;
}

const candidate = (email = 'ada@example.com', extra: Record<string, unknown> = {}) => ({ email, firstName: 'Ada', lastName: 'Lovelace', ...extra });

/** POST /invitations to a position, with the given candidate and other fields. */
const invite = (sandbox: RunningSandbox, positionId: string, person: Record<string, unknown> = candidate(), extra: Record<string, unknown> = {}) =>
  apriora(sandbox, 'POST', '/invitations', { body: { positionId, candidate: person, ...extra } });

const list = (answer: Answer): Array<Record<string, unknown>> => answer.body.list as Array<Record<string, unknown>>;
const failure = (code: string) => ({ error: { code, message: expect.any(String) } });

const invites = (extra: Record<string, unknown> = {}) => ({
  enabled: true,
  trigger: { statuses: ['Applied'] },
  rules: [],
  delayMinutes: 30,
  onePerCandidatePerDay: true,
  blackout: null,
  ...extra,
});

const patchIntegration = (sandbox: RunningSandbox, body: unknown) => apriora(sandbox, 'PATCH', '/integrations/tracker', { body });

conformance('Apriora: the X-API-Key header', [
  {
    name: 'the issued key → 200',
    send: (sandbox) => apriora(sandbox, 'GET', '/templates'),
    expect: { http: 200 },
    check: (answer) => expect(list(answer)[0]).toEqual({ templateId: 'tpl_1', name: expect.any(String), modality: 'phone' }),
  },
  {
    name: 'no X-API-Key → 401 unauthorized',
    send: (sandbox) => apriora(sandbox, 'GET', '/templates', { headers: { 'x-api-key': '' } }),
    expect: { http: 401, body: failure('unauthorized') },
  },
  {
    name: 'a wrong key → 401 unauthorized',
    send: (sandbox) => apriora(sandbox, 'GET', '/templates', { headers: { 'x-api-key': 'sandbox-apriora-key-9999' } }),
    expect: { http: 401, body: failure('unauthorized') },
  },
  {
    name: 'the key in another letter case → 401 (keys compare exactly)',
    send: (sandbox) => apriora(sandbox, 'GET', '/templates', { headers: { 'x-api-key': sandbox.credentials.aprioraApiKey.toUpperCase() } }),
    expect: { http: 401 },
  },
  {
    name: 'the key as a Bearer token instead of X-API-Key → 401',
    send: (sandbox) => apriora(sandbox, 'GET', '/templates', { headers: { 'x-api-key': '', authorization: `Bearer ${sandbox.credentials.aprioraApiKey}` } }),
    expect: { http: 401 },
  },
  {
    name: 'the key in the query instead of the header → 401',
    send: (sandbox) => apriora(sandbox, 'GET', `/templates?apiKey=${sandbox.credentials.aprioraApiKey}`, { headers: { 'x-api-key': '' } }),
    expect: { http: 401 },
  },
  {
    name: 'a write without the key changes nothing → 401',
    send: (sandbox) => apriora(sandbox, 'POST', '/positions', { body: newPosition('3101'), headers: { 'x-api-key': '' } }),
    expect: { http: 401 },
    check: (_answer, sandbox) => expect(sandbox.apriora.positions).toHaveLength(0),
  },
  {
    name: 'an unknown path → 404 not_found',
    send: (sandbox) => apriora(sandbox, 'GET', '/interviews'),
    expect: { http: 404, body: failure('not_found') },
  },
  {
    name: 'a method the path does not take → 405 method_not_allowed',
    send: (sandbox) => apriora(sandbox, 'DELETE', '/positions'),
    expect: { http: 405, body: failure('method_not_allowed') },
  },
]);

conformance('Apriora: request bodies and queries', [
  {
    name: 'a body sent as text/plain (stricter: JSON only) → 415 unsupported_media_type',
    send: (sandbox) => apriora(sandbox, 'POST', '/positions', { body: newPosition('3101'), headers: { 'content-type': 'text/plain' } }),
    expect: { http: 415, body: failure('unsupported_media_type') },
    check: (_answer, sandbox) => expect(sandbox.apriora.positions).toHaveLength(0),
  },
  {
    name: 'a body without a Content-Type → 415',
    send: (sandbox) => apriora(sandbox, 'PATCH', '/integrations/tracker', { body: '{}', headers: { 'content-type': '' } }),
    expect: { http: 415, body: failure('unsupported_media_type') },
  },
  {
    name: 'a body that is not JSON → 422 invalid_request',
    send: (sandbox) => apriora(sandbox, 'POST', '/positions', { body: '{"title":' }),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'a JSON array body → 422 invalid_request',
    send: (sandbox) => apriora(sandbox, 'POST', '/positions', { body: [newPosition('3101')] }),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'an unknown query parameter (stricter: refused, not ignored) → 422',
    send: (sandbox) => apriora(sandbox, 'GET', '/positions?externalID=3101'),
    expect: { http: 422, body: failure('invalid_request') },
  },
  ...['/templates', '/positions/pos_1', '/integrations/tracker'].map((path) => ({
    name: `a query parameter on GET ${path}, which reads none (stricter: refused, not ignored) → 422`,
    send: (sandbox: Parameters<typeof apriora>[0]) => apriora(sandbox, 'GET', `${path}?foo=1`),
    expect: { http: 422, body: failure('invalid_request') },
  })),
  {
    name: 'a query parameter given twice (stricter) → 422',
    send: (sandbox) => apriora(sandbox, 'GET', '/positions?limit=5&limit=50'),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'an empty query value is absent: ?externalId= lists every position',
    send: async (sandbox) => {
      await position(sandbox, '3101');
      return apriora(sandbox, 'GET', '/positions?externalId=');
    },
    expect: { http: 200 },
    check: (answer) => expect(list(answer)).toHaveLength(1),
  },
]);

conformance('Apriora: positions', [
  {
    name: 'POST /positions → 201 Position, active, with its interview URL',
    send: (sandbox) => apriora(sandbox, 'POST', '/positions', { body: newPosition('3101') }),
    expect: {
      http: 201,
      body: {
        positionId: 'pos_1',
        title: 'Registered Nurse',
        modality: 'video',
        status: 'active',
        externalSource: 'tracker',
        externalId: '3101',
        interviewUrl: expect.stringContaining('pos_1'),
        createdAt: expect.any(Number),
      },
    },
  },
  {
    name: 'a second position for the same Tracker job → 409 position_exists with the positionId',
    send: async (sandbox) => {
      await position(sandbox, '3101');
      return apriora(sandbox, 'POST', '/positions', { body: newPosition('3101', { title: 'Another' }) });
    },
    expect: { http: 409, body: { error: { code: 'position_exists', positionId: 'pos_1', message: expect.any(String) } } },
  },
  {
    name: 'no title → 422 invalid_request naming it',
    send: (sandbox) => apriora(sandbox, 'POST', '/positions', { body: { ...newPosition('3101'), title: undefined } }),
    expect: { http: 422, body: { error: { code: 'invalid_request', message: expect.stringContaining('title') } } },
  },
  {
    name: 'a blank title → 422',
    send: (sandbox) => apriora(sandbox, 'POST', '/positions', { body: newPosition('3101', { title: '   ' }) }),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'no description → 422',
    send: (sandbox) => apriora(sandbox, 'POST', '/positions', { body: { ...newPosition('3101'), description: undefined } }),
    expect: { http: 422, body: { error: { code: 'invalid_request', message: expect.stringContaining('description') } } },
  },
  {
    name: 'modality "chat" → 422',
    send: (sandbox) => apriora(sandbox, 'POST', '/positions', { body: newPosition('3101', { modality: 'chat' }) }),
    expect: { http: 422, body: { error: { code: 'invalid_request', message: expect.stringContaining('modality') } } },
  },
  {
    name: 'externalSource other than "tracker" → 422',
    send: (sandbox) => apriora(sandbox, 'POST', '/positions', { body: newPosition('3101', { externalSource: 'bullhorn' }) }),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'externalId as a number (it is a string) → 422',
    send: (sandbox) => apriora(sandbox, 'POST', '/positions', { body: newPosition('3101', { externalId: 3101 }) }),
    expect: { http: 422, body: { error: { code: 'invalid_request', message: expect.stringContaining('externalId') } } },
  },
  {
    name: 'an unknown field → 422',
    send: (sandbox) => apriora(sandbox, 'POST', '/positions', { body: newPosition('3101', { salary: 100 }) }),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'an unknown templateId → 422',
    send: (sandbox) => apriora(sandbox, 'POST', '/positions', { body: newPosition('3101', { templateId: 'tpl_99' }) }),
    expect: { http: 422, body: { error: { code: 'invalid_request', message: expect.stringContaining('templateId') } } },
  },
  {
    name: 'a phone template for a video position → 422',
    send: (sandbox) => apriora(sandbox, 'POST', '/positions', { body: newPosition('3101', { templateId: 'tpl_1' }) }),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'optional templateId, creationNotes, location are taken → 201',
    send: (sandbox) =>
      apriora(sandbox, 'POST', '/positions', { body: newPosition('3101', { templateId: 'tpl_2', creationNotes: 'Be kind', location: 'Boston' }) }),
    expect: { http: 201, body: { templateId: 'tpl_2', location: 'Boston' } },
  },
  {
    name: 'GET /positions/{id} → the position',
    send: async (sandbox) => apriora(sandbox, 'GET', `/positions/${await position(sandbox)}`),
    expect: { http: 200, body: { positionId: 'pos_1', externalId: '3101' } },
  },
  {
    name: 'GET /positions/{unknown} → 404 not_found',
    send: (sandbox) => apriora(sandbox, 'GET', '/positions/pos_404'),
    expect: { http: 404, body: failure('not_found') },
  },
  {
    name: 'GET /positions?externalSource=tracker&externalId= finds the linked position',
    send: async (sandbox) => {
      await position(sandbox, '3101');
      await position(sandbox, '3102');
      return apriora(sandbox, 'GET', '/positions?externalSource=tracker&externalId=3102');
    },
    expect: { http: 200 },
    check: (answer) => expect(list(answer).map((p) => p.externalId)).toEqual(['3102']),
  },
  {
    name: 'PATCH /positions/{id} changes only what it names',
    send: async (sandbox) => apriora(sandbox, 'PATCH', `/positions/${await position(sandbox)}`, { body: { status: 'closed' } }),
    expect: { http: 200, body: { status: 'closed', title: 'Registered Nurse', modality: 'video' } },
  },
  {
    name: 'PATCH /positions/{id} with status "open" → 422',
    send: async (sandbox) => apriora(sandbox, 'PATCH', `/positions/${await position(sandbox)}`, { body: { status: 'open' } }),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'PATCH /positions/{id} with a field it does not take (modality) → 422',
    send: async (sandbox) => apriora(sandbox, 'PATCH', `/positions/${await position(sandbox)}`, { body: { modality: 'phone' } }),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'PATCH /positions/{unknown} → 404 not_found',
    send: (sandbox) => apriora(sandbox, 'PATCH', '/positions/pos_404', { body: { status: 'closed' } }),
    expect: { http: 404, body: failure('not_found') },
  },
]);

conformance('Apriora: invitations', [
  {
    name: 'POST /invitations → 201 Invitation, sent, with its interview link',
    send: async (sandbox) => invite(sandbox, await position(sandbox)),
    expect: {
      http: 201,
      body: {
        invitationId: 'inv_1',
        positionId: 'pos_1',
        candidateId: expect.stringMatching(/^cand_/),
        email: 'ada@example.com',
        status: 'sent',
        interviewLink: expect.any(String),
        createdAt: expect.any(Number),
      },
    },
  },
  {
    name: 'the same e-mail in another case on the same position → 409 already_invited with the invitationId',
    send: async (sandbox) => {
      const id = await position(sandbox);
      await invite(sandbox, id);
      return invite(sandbox, id, candidate('ADA@Example.com'));
    },
    expect: { http: 409, body: { error: { code: 'already_invited', invitationId: 'inv_1', message: expect.any(String) } } },
  },
  {
    name: 'the same e-mail on another position → 201',
    send: async (sandbox) => {
      await invite(sandbox, await position(sandbox, '3101'));
      return invite(sandbox, await position(sandbox, '3102'));
    },
    expect: { http: 201 },
  },
  {
    name: 'a phone position without candidate.phone → 422 phone_required',
    send: async (sandbox) => invite(sandbox, await position(sandbox, '3101', { modality: 'phone' })),
    expect: { http: 422, body: failure('phone_required') },
  },
  {
    name: 'a phone position with an E.164 phone → 201',
    send: async (sandbox) => invite(sandbox, await position(sandbox, '3101', { modality: 'phone' }), candidate('ada@example.com', { phone: '+14155550123' })),
    expect: { http: 201 },
  },
  {
    name: 'a phone as typed, "(617) 555-0110", not E.164 → 422 invalid_phone',
    send: async (sandbox) => invite(sandbox, await position(sandbox, '3101', { modality: 'phone' }), candidate('ada@example.com', { phone: '(617) 555-0110' })),
    expect: { http: 422, body: failure('invalid_phone') },
  },
  {
    name: 'an e-mail that is not one → 422 invalid_email',
    send: async (sandbox) => invite(sandbox, await position(sandbox), candidate('ada at example.com')),
    expect: { http: 422, body: failure('invalid_email') },
  },
  {
    name: 'a closed position → 422 position_closed',
    send: async (sandbox) => {
      const id = await position(sandbox);
      await apriora(sandbox, 'PATCH', `/positions/${id}`, { body: { status: 'closed' } });
      return invite(sandbox, id);
    },
    expect: { http: 422, body: failure('position_closed') },
  },
  {
    name: 'an unknown position → 422 invalid_request (a body that names nothing real)',
    send: (sandbox) => invite(sandbox, 'pos_404'),
    expect: { http: 422, body: { error: { code: 'invalid_request', message: expect.stringContaining('positionId') } } },
  },
  {
    name: 'no candidate.lastName → 422',
    send: async (sandbox) => invite(sandbox, await position(sandbox), { email: 'ada@example.com', firstName: 'Ada' }),
    expect: { http: 422, body: { error: { code: 'invalid_request', message: expect.stringContaining('candidate.lastName') } } },
  },
  {
    name: 'an unknown candidate field → 422',
    send: async (sandbox) => invite(sandbox, await position(sandbox), candidate('ada@example.com', { mobile: '+14155550123' })),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'externalCandidateId as a string → 201, kept',
    send: async (sandbox) => invite(sandbox, await position(sandbox), candidate(), { externalCandidateId: '5001' }),
    expect: { http: 201 },
    check: (_answer, sandbox) => expect(sandbox.apriora.invitations[0]?.externalCandidateId).toBe('5001'),
  },
  {
    name: 'sendAt in the future → 201 scheduled',
    send: async (sandbox) => invite(sandbox, await position(sandbox), candidate(), { sendAt: Math.floor(Date.now() / 1000) + 3600 }),
    expect: { http: 201, body: { status: 'scheduled' } },
  },
  {
    name: 'sendAt in the past (the spec says future; stricter: refused) → 422',
    send: async (sandbox) => invite(sandbox, await position(sandbox), candidate(), { sendAt: Math.floor(Date.now() / 1000) - 3600 }),
    expect: { http: 422, body: { error: { code: 'invalid_request', message: expect.stringContaining('sendAt') } } },
    check: (_answer, sandbox) => expect(sandbox.apriora.invitations).toHaveLength(0),
  },
  {
    name: 'sendAt as an ISO date string (it is Unix seconds) → 422',
    send: async (sandbox) => invite(sandbox, await position(sandbox), candidate(), { sendAt: '2030-01-01T00:00:00Z' }),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'GET /invitations?email= matches ignoring case, newest first',
    send: async (sandbox) => {
      await invite(sandbox, await position(sandbox, '3101'));
      await invite(sandbox, await position(sandbox, '3102'));
      return apriora(sandbox, 'GET', '/invitations?email=ADA%40EXAMPLE.COM');
    },
    expect: { http: 200 },
    check: (answer) => expect(list(answer).map((i) => i.invitationId)).toEqual(['inv_2', 'inv_1']),
  },
  {
    name: 'GET /invitations?createdAfter=<a date string> → 422 (Unix seconds)',
    send: (sandbox) => apriora(sandbox, 'GET', '/invitations?createdAfter=2025-01-01'),
    expect: { http: 422, body: failure('invalid_request') },
  },
]);

conformance('Apriora: pagination', [
  {
    name: 'limit=2&offset=1 → the second and third positions',
    send: async (sandbox) => {
      for (const id of ['3101', '3102', '3103', '3104']) await position(sandbox, id);
      return apriora(sandbox, 'GET', '/positions?limit=2&offset=1');
    },
    expect: { http: 200 },
    check: (answer) => expect(list(answer).map((p) => p.externalId)).toEqual(['3102', '3103']),
  },
  {
    name: 'limit=100 (the maximum) → 200',
    send: (sandbox) => apriora(sandbox, 'GET', '/positions?limit=100'),
    expect: { http: 200, body: { list: [] } },
  },
  {
    name: 'limit=101 → 422 (at most 100)',
    send: (sandbox) => apriora(sandbox, 'GET', '/positions?limit=101'),
    expect: { http: 422, body: { error: { code: 'invalid_request', message: expect.stringContaining('limit') } } },
  },
  {
    name: 'limit=0 → 422',
    send: (sandbox) => apriora(sandbox, 'GET', '/invitations?limit=0'),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'offset=-1 → 422',
    send: (sandbox) => apriora(sandbox, 'GET', '/invitations?offset=-1'),
    expect: { http: 422, body: { error: { code: 'invalid_request', message: expect.stringContaining('offset') } } },
  },
  {
    name: 'limit=ten → 422',
    send: (sandbox) => apriora(sandbox, 'GET', '/positions?limit=ten'),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'an offset beyond the end → 200 []',
    send: async (sandbox) => {
      await position(sandbox);
      return apriora(sandbox, 'GET', '/positions?offset=5');
    },
    expect: { http: 200, body: { list: [] } },
  },
]);

conformance('Apriora: candidates and reports', [
  {
    name: 'GET /reports without a filter → 422',
    send: (sandbox) => apriora(sandbox, 'GET', '/reports'),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'GET /reports?reportId= wins over the other filters',
    send: async (sandbox) => {
      const id = await position(sandbox);
      const { report } = sandbox.apriora.completeInterview({ positionId: id, email: 'ada@example.com' });
      return apriora(sandbox, 'GET', `/reports?reportId=${report.reportId}&positionId=pos_other`);
    },
    expect: { http: 200 },
    check: (answer) =>
      expect(list(answer)[0]).toMatchObject({
        reportId: 'rep_1',
        positionId: 'pos_1',
        overallScore: expect.any(Number),
        skills: expect.any(Array),
        timeCompleted: expect.any(Number),
      }),
  },
  {
    name: 'GET /candidates?email= matches ignoring case',
    send: async (sandbox) => {
      await invite(sandbox, await position(sandbox));
      return apriora(sandbox, 'GET', '/candidates?email=Ada%40Example.com');
    },
    expect: { http: 200 },
    check: (answer) => expect(list(answer)[0]).toMatchObject({ email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' }),
  },
]);

conformance('Apriora: the Tracker integration', [
  {
    name: 'GET /integrations/tracker → the settings, hasCredentials false, the activity type',
    send: (sandbox) => apriora(sandbox, 'GET', '/integrations/tracker'),
    expect: { http: 200, body: { hasCredentials: false, activityType: 'Apriora Interview', automations: expect.any(Object) } },
  },
  {
    name: 'PATCH credentials → hasCredentials true, and neither the answer nor a GET holds a secret',
    send: async (sandbox) => {
      const patched = await patchIntegration(sandbox, {
        credentials: { apiKey: 'secret-key-1', username: 'api@tenant.example', password: 'secret-pass-1', region: 'us' },
      });
      const read = await apriora(sandbox, 'GET', '/integrations/tracker');
      return { http: read.http, body: { patched: patched.body, read: read.body } };
    },
    expect: { http: 200, body: { read: { hasCredentials: true, username: 'api@tenant.example', region: 'us' } } },
    check: (answer) => {
      const text = JSON.stringify(answer.body);
      expect(text).not.toContain('secret-key-1');
      expect(text).not.toContain('secret-pass-1');
      expect(text).not.toContain('credentials');
    },
  },
  {
    name: 'PATCH credentials without a password → 422',
    send: (sandbox) => patchIntegration(sandbox, { credentials: { apiKey: 'k', username: 'u@x.example', region: 'us' } }),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'PATCH credentials: null clears them → hasCredentials false',
    send: async (sandbox) => {
      await patchIntegration(sandbox, { credentials: { apiKey: 'k', username: 'u@x.example', password: 'p', region: 'uk' } });
      return patchIntegration(sandbox, { credentials: null });
    },
    expect: { http: 200, body: { hasCredentials: false } },
  },
  {
    name: 'PATCH a region that is not us/ca/uk → 422',
    send: (sandbox) => patchIntegration(sandbox, { region: 'eu' }),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'PATCH activityFields merges: the fields not named keep their ids',
    send: async (sandbox) => {
      await patchIntegration(sandbox, { activityFields: { overallScore: 448, reportLink: 449 } });
      return patchIntegration(sandbox, { activityFields: { reportLink: 500 } });
    },
    expect: { http: 200, body: { activityFields: { overallScore: 448, reportLink: 500, gradingCriteria: null, feedback: null } } },
  },
  {
    name: 'PATCH an activity field id as a string → 422',
    send: (sandbox) => patchIntegration(sandbox, { activityFields: { overallScore: '448' } }),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'PATCH another activityType → 422',
    send: (sandbox) => patchIntegration(sandbox, { activityType: 'Interview' }),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'PATCH an unknown top-level field → 422',
    send: (sandbox) => patchIntegration(sandbox, { webhookUrl: 'https://example.com' }),
    expect: { http: 422, body: failure('invalid_request') },
  },
  {
    name: 'PATCH hasCredentials true (read-only) is ignored',
    send: (sandbox) => patchIntegration(sandbox, { hasCredentials: true }),
    expect: { http: 200, body: { hasCredentials: false } },
  },
  {
    name: 'PATCH automations.invites replaces that object whole and leaves interviewCreation',
    send: async (sandbox) => {
      await patchIntegration(sandbox, { automations: { interviewCreation: { enabled: true, modality: 'video', templateId: 'tpl_2', filters: [] } } });
      await patchIntegration(sandbox, { automations: { invites: invites({ delayMinutes: 45 }) } });
      return patchIntegration(sandbox, { automations: { invites: { enabled: false } } });
    },
    expect: {
      http: 200,
      body: {
        automations: {
          // Replaced whole: delayMinutes is back to its default, not the 45 sent before.
          invites: { enabled: false, delayMinutes: 0, trigger: { statuses: ['Applied'] }, rules: [] },
          interviewCreation: { enabled: true, templateId: 'tpl_2' },
        },
      },
    },
  },
  {
    name: 'an invite rule on an unknown field → 422 invalid_rule with details.index',
    send: (sandbox) =>
      patchIntegration(sandbox, {
        automations: {
          invites: invites({
            rules: [
              { field: 'status', op: 'equals', value: 'Applied' },
              { field: 'candidate.phone', op: 'equals', value: 'x' },
            ],
          }),
        },
      }),
    expect: { http: 422, body: { error: { code: 'invalid_rule', details: { index: 1 }, message: expect.any(String) } } },
    check: async (_answer, sandbox) => {
      const read = await apriora(sandbox, 'GET', '/integrations/tracker');
      expect(read.body).toMatchObject({ automations: { invites: { enabled: false } } });
    },
  },
  {
    name: 'a list value with equals → 422 invalid_rule',
    send: (sandbox) => patchIntegration(sandbox, { automations: { invites: invites({ rules: [{ field: 'job.title', op: 'equals', value: ['Nurse'] }] }) } }),
    expect: { http: 422, body: { error: { code: 'invalid_rule', details: { index: 0 } } } },
  },
  {
    name: 'an unknown rule op → 422 invalid_rule',
    send: (sandbox) => patchIntegration(sandbox, { automations: { invites: invites({ rules: [{ field: 'job.title', op: 'starts_with', value: 'Nurse' }] }) } }),
    expect: { http: 422, body: { error: { code: 'invalid_rule', details: { index: 0 } } } },
  },
  {
    name: 'job.status is a filter of interview creation, not an invite rule → 422 invalid_rule',
    send: (sandbox) => patchIntegration(sandbox, { automations: { invites: invites({ rules: [{ field: 'job.status', op: 'equals', value: 'Open' }] }) } }),
    expect: { http: 422, body: { error: { code: 'invalid_rule' } } },
  },
  {
    name: 'an interview-creation filter on job.status → 200',
    send: (sandbox) =>
      patchIntegration(sandbox, {
        automations: { interviewCreation: { enabled: true, modality: 'video', filters: [{ field: 'job.status', op: 'in', value: ['Open'] }] } },
      }),
    expect: { http: 200 },
  },
  {
    name: 'delayMinutes 10081 → 422 invalid_automation',
    send: (sandbox) => patchIntegration(sandbox, { automations: { invites: invites({ delayMinutes: 10_081 }) } }),
    expect: { http: 422, body: failure('invalid_automation') },
  },
  {
    name: 'a blackout in an unknown time zone → 422 invalid_automation',
    send: (sandbox) =>
      patchIntegration(sandbox, { automations: { invites: invites({ blackout: { start: '20:00', end: '08:00', timezone: 'Mars/Olympus' } }) } }),
    expect: { http: 422, body: failure('invalid_automation') },
  },
  {
    name: 'a blackout crossing midnight in an IANA zone → 200',
    send: (sandbox) =>
      patchIntegration(sandbox, {
        automations: { invites: invites({ blackout: { start: '20:00', end: '08:00', timezone: 'America/New_York' } }) },
      }),
    expect: { http: 200, body: { automations: { invites: { blackout: { start: '20:00', end: '08:00' } } } } },
  },
  {
    name: 'an unknown automation → 422',
    send: (sandbox) => patchIntegration(sandbox, { automations: { reminders: { enabled: true } } }),
    expect: { http: 422, body: failure('invalid_request') },
  },
]);
