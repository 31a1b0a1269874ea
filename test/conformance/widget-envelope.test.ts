import { expect } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { type Answer, conformance, envelope, issued, widget } from './harness.js';

const basic = (username: string, password: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`,
});

/** getRecords with these instructions and the issued credentials. */
const records = (sandbox: RunningSandbox, instructions: Record<string, unknown>): Promise<Answer> =>
  widget(sandbox, 'getRecords', envelope(sandbox, 'getRecords', { instructions }));

/** A candidate id of the sandbox's database, read through the Widget API. */
async function someCandidateId(sandbox: RunningSandbox): Promise<number> {
  const answer = await records(sandbox, { recordtype: 'R', numrecords: 1 });
  const [row] = answer.body.results as { id: number }[];
  if (!row) throw new Error('the sandbox holds no candidate');
  return row.id;
}

/** How many activities (at most a page) the sandbox's API user owns. */
function activitiesOfApiUser(sandbox: RunningSandbox): number {
  const me = sandbox.tracker.userByEmail(sandbox.credentials.username);
  if (!me) throw new Error('the sandbox lost its API user');
  const mine = sandbox.tracker.activities.filter((activity) => activity.userId === me.UserId).length;
  expect(mine).toBeGreaterThan(0);
  return Math.min(mine, 100);
}

const refused = { http: 200, body: { status: 99, count: 0 } } as const;
const notFound = { http: 200, body: { status: 1, message: 'User not found or password incorrect.', count: 0 } } as const;
const messageNames =
  (...words: string[]) =>
  (answer: Answer) => {
    for (const word of words) expect(answer.body.message).toContain(word);
  };

conformance('Widget API: the envelope', [
  {
    name: 'getSettingsData with the issued credentials: HTTP 200, status 0, a message and a count',
    send: (sandbox) => widget(sandbox, 'getSettingsData', envelope(sandbox, 'getSettingsData')),
    expect: { http: 200, body: { status: 0, message: 'success', count: 0 } },
  },
  {
    name: 'checkLogon answers {status, message, count} in a JSON body',
    send: (sandbox) => widget(sandbox, 'checkLogon', envelope(sandbox, 'checkLogon')),
    expect: { http: 200, body: { status: 0, message: 'success', count: 0 } },
    check: (answer) => expect(Object.keys(answer.body).sort()).toEqual(['count', 'message', 'status']),
  },
  {
    name: 'a GET is not an operation: HTTP 405, Allow: POST',
    send: async (sandbox) => {
      const response = await fetch(`${sandbox.trackerUrl}/api/widget/checkLogon`);
      return { http: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    expect: { http: 405 },
  },
  {
    name: 'an unknown operation: status 99 naming it',
    send: (sandbox) => widget(sandbox, 'deleteEverything', envelope(sandbox, 'deleteEverything')),
    expect: refused,
    check: messageNames('deleteEverything'),
  },
  {
    name: 'Content-Type: text/plain (the body right): status 99, nothing is read',
    send: (sandbox) => widget(sandbox, 'checkLogon', JSON.stringify(envelope(sandbox, 'checkLogon')), { 'content-type': 'text/plain' }),
    expect: refused,
    check: messageNames('text/plain', 'application/json'),
  },
  {
    name: 'Content-Type: application/json; charset=utf-8 is JSON: status 0',
    send: (sandbox) => widget(sandbox, 'checkLogon', envelope(sandbox, 'checkLogon'), { 'content-type': 'application/json; charset=utf-8' }),
    expect: { http: 200, body: { status: 0 } },
  },
  {
    name: 'a body that is not JSON: status 99',
    send: (sandbox) => widget(sandbox, 'checkLogon', '{"trackerrms": '),
    expect: refused,
  },
  {
    name: 'an extra key beside "trackerrms": status 99 naming it',
    send: (sandbox) => widget(sandbox, 'checkLogon', { ...(envelope(sandbox, 'checkLogon') as object), debug: true }),
    expect: refused,
    check: messageNames("'debug'"),
  },
  {
    name: 'a second operation inside "trackerrms": status 99',
    send: (sandbox) => widget(sandbox, 'checkLogon', { trackerrms: { checkLogon: { credentials: issued(sandbox) }, getRecords: {} } }),
    expect: refused,
    check: messageNames("'getRecords'"),
  },
  {
    name: 'an unknown key inside the operation object: status 99',
    send: (sandbox) => widget(sandbox, 'getRecords', envelope(sandbox, 'getRecords', { instructions: { recordtype: 'O' }, options: {} })),
    expect: refused,
    check: messageNames("'options'"),
  },
  {
    name: 'the key inside "trackerrms" is the path\'s operation, in its exact case: status 99 otherwise',
    send: (sandbox) => widget(sandbox, 'checkLogon', { trackerrms: { checklogon: { credentials: issued(sandbox) } } }),
    expect: refused,
  },
  {
    name: 'no "trackerrms" at all: status 99',
    send: (sandbox) => widget(sandbox, 'checkLogon', { checkLogon: { credentials: issued(sandbox) } }),
    expect: refused,
  },
]);

conformance('Widget API: credentials', [
  {
    name: 'username, password and apikey as issued: status 0 acting as that user (onlymyrecords: their activities)',
    send: (sandbox) => records(sandbox, { recordtype: 'A', onlymyrecords: true }),
    expect: { http: 200, body: { status: 0 } },
    check: (answer, sandbox) => expect(answer.body.count).toBe(activitiesOfApiUser(sandbox)),
  },
  {
    name: 'username + password only (no apikey): status 0 acting as that user',
    send: (sandbox) => {
      const { username, password } = sandbox.credentials;
      return widget(sandbox, 'getRecords', envelope(sandbox, 'getRecords', { instructions: { recordtype: 'A', onlymyrecords: true } }, { username, password }));
    },
    expect: { http: 200, body: { status: 0 } },
    check: (answer, sandbox) => expect(answer.body.count).toBe(activitiesOfApiUser(sandbox)),
  },
  {
    name: 'apikey only: status 0 acting as the system administrator (the user the key was issued with)',
    send: (sandbox) =>
      widget(
        sandbox,
        'getRecords',
        envelope(sandbox, 'getRecords', { instructions: { recordtype: 'A', onlymyrecords: true } }, { apikey: sandbox.credentials.apiKey }),
      ),
    expect: { http: 200, body: { status: 0 } },
    check: (answer, sandbox) => expect(answer.body.count).toBe(activitiesOfApiUser(sandbox)),
  },
  {
    name: 'apikey with empty username, password and oauthtoken (as a form sends them): status 0',
    send: (sandbox) =>
      widget(sandbox, 'checkLogon', envelope(sandbox, 'checkLogon', {}, { username: '', password: '', apikey: sandbox.credentials.apiKey, oauthtoken: '' })),
    expect: { http: 200, body: { status: 0 } },
  },
  {
    name: 'the username in another letter case: status 0 (an e-mail is case-insensitive)',
    send: (sandbox) =>
      widget(sandbox, 'checkLogon', envelope(sandbox, 'checkLogon', {}, { ...issued(sandbox), username: sandbox.credentials.username.toUpperCase() })),
    expect: { http: 200, body: { status: 0 } },
  },
  {
    name: 'the password in another letter case: status 1 (a password is exact)',
    send: (sandbox) =>
      widget(sandbox, 'checkLogon', envelope(sandbox, 'checkLogon', {}, { ...issued(sandbox), password: sandbox.credentials.password.toUpperCase() })),
    expect: notFound,
  },
  {
    name: 'a wrong apikey beside the right username and password: status 1 (what is sent must match)',
    send: (sandbox) => widget(sandbox, 'checkLogon', envelope(sandbox, 'checkLogon', {}, { ...issued(sandbox), apikey: 'not-the-key' })),
    expect: notFound,
  },
  {
    name: 'a wrong password beside the right apikey: status 1',
    send: (sandbox) => widget(sandbox, 'checkLogon', envelope(sandbox, 'checkLogon', {}, { ...issued(sandbox), password: 'wrong' })),
    expect: notFound,
  },
  {
    name: 'a username of nobody: status 1',
    send: (sandbox) => widget(sandbox, 'checkLogon', envelope(sandbox, 'checkLogon', {}, { ...issued(sandbox), username: 'nobody@sandbox.example' })),
    expect: notFound,
  },
  {
    name: 'a username without its password: status 1',
    send: (sandbox) => widget(sandbox, 'checkLogon', envelope(sandbox, 'checkLogon', {}, { username: sandbox.credentials.username })),
    expect: notFound,
  },
  {
    name: 'empty credentials: status 1',
    send: (sandbox) => widget(sandbox, 'checkLogon', envelope(sandbox, 'checkLogon', {}, {})),
    expect: notFound,
  },
  {
    name: 'no credentials object: status 1',
    send: (sandbox) => widget(sandbox, 'checkLogon', { trackerrms: { checkLogon: {} } }),
    expect: notFound,
  },
  {
    name: 'an OAuth token the sandbox never issued: status 1',
    send: (sandbox) => widget(sandbox, 'checkLogon', envelope(sandbox, 'checkLogon', {}, { ...issued(sandbox), oauthtoken: 'made-up' })),
    expect: notFound,
  },
  {
    name: 'an unknown key inside credentials: status 99',
    send: (sandbox) => widget(sandbox, 'checkLogon', envelope(sandbox, 'checkLogon', {}, { ...issued(sandbox), token: 'x' })),
    expect: refused,
    check: messageNames('token'),
  },
  {
    name: 'a credential that is not a string: status 99',
    send: (sandbox) => widget(sandbox, 'checkLogon', envelope(sandbox, 'checkLogon', {}, { ...issued(sandbox), password: 12345 })),
    expect: refused,
    check: messageNames('credentials.password'),
  },
  {
    name: 'Authorization: Basic with the right user and password beside the body: status 0',
    send: (sandbox) =>
      widget(sandbox, 'getSettingsData', envelope(sandbox, 'getSettingsData'), basic(sandbox.credentials.username, sandbox.credentials.password)),
    expect: { http: 200, body: { status: 0 } },
  },
  {
    name: 'Authorization: Basic with a wrong password, the body right: status 1 (when sent, it must match)',
    send: (sandbox) => widget(sandbox, 'getSettingsData', envelope(sandbox, 'getSettingsData'), basic(sandbox.credentials.username, 'wrong')),
    expect: notFound,
  },
  {
    name: 'an Authorization header that is not Basic: status 1',
    send: (sandbox) => widget(sandbox, 'getSettingsData', envelope(sandbox, 'getSettingsData'), { authorization: 'Bearer abc' }),
    expect: notFound,
  },
  {
    name: 'the user no longer active: status 2',
    send: (sandbox) => {
      const me = sandbox.tracker.userByEmail(sandbox.credentials.username);
      if (!me) throw new Error('the sandbox lost its API user');
      me.Active = false;
      return widget(sandbox, 'checkLogon', envelope(sandbox, 'checkLogon'));
    },
    expect: { http: 200, body: { status: 2, message: 'User is not active.', count: 0 } },
  },
  {
    name: 'the credentials are checked before the request: a bad request with wrong credentials is status 1',
    send: (sandbox) => widget(sandbox, 'getRecords', envelope(sandbox, 'getRecords', { instructions: { recordtype: 'o' } }, { apikey: 'wrong' })),
    expect: notFound,
  },
]);

conformance('Widget API: getRecords instructions and their types', [
  {
    name: 'onlymyrecords: "false" (a string where a boolean is expected): status 99',
    send: (sandbox) => records(sandbox, { recordtype: 'O', onlymyrecords: 'false' }),
    expect: refused,
    check: messageNames('onlymyrecords'),
  },
  {
    name: 'onlymyrecords: false (a boolean): status 0',
    send: (sandbox) => records(sandbox, { recordtype: 'O', onlymyrecords: false }),
    expect: { http: 200, body: { status: 0 } },
  },
  {
    name: 'includecustomfields: 1 (a number where a boolean is expected): status 99',
    send: (sandbox) => records(sandbox, { recordtype: 'O', includecustomfields: 1 }),
    expect: refused,
    check: messageNames('includecustomfields'),
  },
  {
    name: 'state: "OPEN" (not one of "", open, closed, won): status 99',
    send: (sandbox) => records(sandbox, { recordtype: 'O', state: 'OPEN' }),
    expect: refused,
    check: messageNames('state'),
  },
  {
    name: 'state: "open": status 0',
    send: (sandbox) => records(sandbox, { recordtype: 'O', state: 'open' }),
    expect: { http: 200, body: { status: 0 } },
  },
  {
    name: 'recordtype: "o" (record types are upper-case letters): status 99',
    send: (sandbox) => records(sandbox, { recordtype: 'o' }),
    expect: refused,
    check: messageNames('recordtype'),
  },
  {
    name: 'recordtype: "Z" (no such record type): status 99',
    send: (sandbox) => records(sandbox, { recordtype: 'Z' }),
    expect: refused,
    check: messageNames('recordtype'),
  },
  {
    name: 'sortdir: "DESC" (not asc or desc): status 99',
    send: (sandbox) => records(sandbox, { recordtype: 'O', sortdir: 'DESC' }),
    expect: refused,
    check: messageNames('sortdir'),
  },
  {
    name: 'updatedafter: "2025-01-01" (a date without its time): status 99',
    send: (sandbox) => records(sandbox, { recordtype: 'O', updatedafter: '2025-01-01' }),
    expect: refused,
    check: messageNames('updatedafter'),
  },
  {
    name: 'updatedafter: "2025-01-01T00:00:00" (ISO, not YYYY-MM-DD HH:MM:SS): status 99',
    send: (sandbox) => records(sandbox, { recordtype: 'O', updatedafter: '2025-01-01T00:00:00' }),
    expect: refused,
  },
  {
    name: 'updatedbefore: "2025-02-30 00:00:00" (no such day): status 99',
    send: (sandbox) => records(sandbox, { recordtype: 'O', updatedbefore: '2025-02-30 00:00:00' }),
    expect: refused,
    check: messageNames('updatedbefore'),
  },
  {
    name: 'updatedafter: "2000-01-01 00:00:00": status 0, the rows updated since',
    send: (sandbox) => records(sandbox, { recordtype: 'O', updatedafter: '2000-01-01 00:00:00' }),
    expect: { http: 200, body: { status: 0 } },
    check: (answer) => expect((answer.body.results as unknown[]).length).toBeGreaterThan(0),
  },
  {
    name: 'numrecords: 150: a page of at most 100 rows, count the rows on this page',
    send: async (sandbox) => {
      const seeded = await fetch(`${sandbox.url}/__sandbox/reset`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ generate: { extraApplicants: 130 } }),
      });
      expect(seeded.status).toBe(200);
      return records(sandbox, { recordtype: 'R', numrecords: 150 });
    },
    expect: { http: 200, body: { status: 0, count: 100 } },
    check: (answer) => expect(answer.body.results).toHaveLength(100),
  },
  {
    name: 'numrecords: 0: status 99 (a page holds at least one row)',
    send: (sandbox) => records(sandbox, { recordtype: 'O', numrecords: 0 }),
    expect: refused,
    check: messageNames('numrecords'),
  },
  {
    name: 'numrecords: -1: status 99',
    send: (sandbox) => records(sandbox, { recordtype: 'O', numrecords: -1 }),
    expect: refused,
    check: messageNames('numrecords'),
  },
  {
    name: 'pagenum: -1: status 99',
    send: (sandbox) => records(sandbox, { recordtype: 'O', pagenum: -1 }),
    expect: refused,
    check: messageNames('pagenum'),
  },
  {
    name: 'numrecords: 2, pagenum: 1: the second page of two rows',
    send: (sandbox) => records(sandbox, { recordtype: 'O', numrecords: 2, pagenum: 1 }),
    expect: { http: 200, body: { status: 0, count: 2 } },
  },
]);

conformance('Widget API: write answers', [
  {
    name: 'createResource writes one record: status 0, count 1, recordId and recordName',
    send: (sandbox) =>
      widget(
        sandbox,
        'createResource',
        envelope(sandbox, 'createResource', { resource: { firstname: 'Ada', lastname: 'Conformance', email: 'ada.conformance@example.com' } }),
      ),
    expect: { http: 200, body: { status: 0, count: 1, recordName: 'Ada Conformance' } },
    check: (answer) => expect(answer.body.recordId).toEqual(expect.any(Number)),
  },
  {
    name: 'createResource for an e-mail that exists, without overwriteresource: status 3, count 0, recordId 0',
    send: async (sandbox) => {
      const resource = { firstname: 'Ada', lastname: 'Conformance', email: 'ada.twice@example.com' };
      await widget(sandbox, 'createResource', envelope(sandbox, 'createResource', { resource }));
      return widget(sandbox, 'createResource', envelope(sandbox, 'createResource', { resource }));
    },
    expect: { http: 200, body: { status: 3, count: 0, recordId: 0 } },
  },
  {
    name: 'updateRecord of one record: status 0, count 1',
    send: async (sandbox) => {
      const recordid = await someCandidateId(sandbox);
      return widget(
        sandbox,
        'updateRecord',
        envelope(sandbox, 'updateRecord', { instructions: { recordtype: 'R', recordid }, updates: [{ column: 'jobtitle', value: 'Conformance Tester' }] }),
      );
    },
    expect: { http: 200, body: { status: 0, count: 1 } },
  },
  {
    name: 'resourceApplication of a new candidate to a job: status 0, count 1',
    send: async (sandbox) => {
      const resource = { firstname: 'Grace', lastname: 'Conformance', email: 'grace.conformance@example.com' };
      const created = await widget(sandbox, 'createResource', envelope(sandbox, 'createResource', { resource }));
      const instructions = { opportunityid: 3101, resourceid: created.body.recordId, assigntolist: 'long' };
      return widget(sandbox, 'resourceApplication', envelope(sandbox, 'resourceApplication', { instructions }));
    },
    expect: { http: 200, body: { status: 0, count: 1 } },
  },
  {
    name: 'createActivity linked to a candidate: status 0, count 1',
    send: async (sandbox) => {
      const activity = {
        subject: 'Conformance interview',
        type: 'Apriora Interview',
        date: '2025-06-03',
        time: '02:30 PM',
        status: 'Completed',
        note: 'conformance',
        linkRecordType: 'R',
        linkRecordId: await someCandidateId(sandbox),
      };
      return widget(sandbox, 'createActivity', envelope(sandbox, 'createActivity', { activity }));
    },
    expect: { http: 200, body: { status: 0, count: 1 } },
  },
  {
    name: 'createActivity with "instructions" (not part of the operation): status 99',
    send: (sandbox) => widget(sandbox, 'createActivity', envelope(sandbox, 'createActivity', { instructions: {}, activity: {} })),
    expect: refused,
    check: messageNames("'instructions'"),
  },
  {
    name: 'createResource with overwriteresource: "false" (a string where a boolean is expected): status 99, nothing written',
    send: (sandbox) =>
      widget(
        sandbox,
        'createResource',
        envelope(sandbox, 'createResource', {
          instructions: { overwriteresource: 'false' },
          resource: { firstname: 'Ada', lastname: 'Strings', email: 'ada.strings@example.com' },
        }),
      ),
    expect: refused,
    check: (answer, sandbox) => {
      messageNames('overwriteresource')(answer);
      expect(sandbox.tracker.candidates.some((candidate) => candidate.email === 'ada.strings@example.com')).toBe(false);
    },
  },
  {
    name: 'resourceApplication with assigntolist: "SHORT" (the list names are lower case): status 99',
    send: async (sandbox) => {
      const instructions = { opportunityid: 3101, resourceid: await someCandidateId(sandbox), assigntolist: 'SHORT' };
      return widget(sandbox, 'resourceApplication', envelope(sandbox, 'resourceApplication', { instructions }));
    },
    expect: refused,
    check: messageNames('assigntolist'),
  },
  {
    name: 'a write that fails counts nothing: status 99, count 0',
    send: (sandbox) => widget(sandbox, 'updateRecord', envelope(sandbox, 'updateRecord', { instructions: { recordtype: 'R', recordid: 999999 }, updates: [] })),
    expect: refused,
    check: messageNames('999999'),
  },
]);
