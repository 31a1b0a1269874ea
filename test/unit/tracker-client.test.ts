import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { AuthError, ConflictError, InputError, NotFoundError, RemoteError } from '../../src/errors.js';
import type { HttpClientOptions } from '../../src/http/client.js';
import { TrackerClient } from '../../src/tracker/client.js';
import { widgetEnvelope } from '../../src/tracker/widget.js';
import { testHttpClient, useStrictNock } from '../support/nock-http.js';
import { systemError } from '../support/system-error.js';

const BASE = 'https://evoapius.tracker-rms.com';
const USERNAME = 'api.user@customer.com';
const PASSWORD = 'S3cret-Pass-word!';
const API_KEY = 'APIKEY-9f8e7d6c5b4a';
const BASIC = `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`;
const CREDENTIALS = { username: USERNAME, password: PASSWORD, apikey: API_KEY, oauthtoken: '' };
const SECRETS = [PASSWORD, API_KEY, BASIC.slice('Basic '.length)];

interface Captured {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** One expected Widget call: records the request as sent, answers `answer` with HTTP `status`. */
function widget(op: string, answer: unknown, status = 200, times = 1): Captured[] {
  const captured: Captured[] = [];
  nock(BASE)
    .post(`/api/widget/${op}`)
    .times(times)
    .reply(function (uri, body) {
      captured.push({
        path: uri,
        headers: this.req.headers as Captured['headers'],
        body: typeof body === 'string' ? JSON.parse(body) : body,
      });
      return typeof answer === 'string'
        ? [status, answer, { 'content-type': 'text/html' }]
        : [status, answer as nock.Body, { 'content-type': 'application/json' }];
    });
  return captured;
}

/** The envelope the Widget API requires (`apriora help api`), written out by hand rather than with the code under test. */
function envelope(op: string, rest: Record<string, unknown> = {}) {
  return { trackerrms: { [op]: { credentials: CREDENTIALS, ...rest } } };
}

function expectRequest(captured: Captured[], op: string, rest: Record<string, unknown>, basicAuth: boolean): void {
  expect(captured).toHaveLength(1);
  const [request] = captured;
  expect(request!.path).toBe(`/api/widget/${op}`);
  expect(request!.headers['content-type']).toBe('application/json');
  expect(request!.body).toStrictEqual(envelope(op, rest));
  if (basicAuth) expect(request!.headers.authorization).toBe(BASIC);
  else expect(request!.headers.authorization).toBeUndefined();
}

const ok = { status: 0, message: 'success', count: 0 };

function tracker(options: Partial<HttpClientOptions> = {}) {
  const { http, delays, lines } = testHttpClient(BASE, 'Tracker', options);
  const client = new TrackerClient({ http, credentials: { apiKey: API_KEY, username: USERNAME, password: PASSWORD } });
  return { client, http, delays, lines };
}

async function rejection<T extends Error>(promise: Promise<unknown>, type: abstract new (...args: never[]) => T): Promise<T> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as T;
  }
  throw new Error('expected a rejection');
}

function expectNoSecrets(text: string): void {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

useStrictNock();

function row(id: number | string, extra: Record<string, unknown> = {}) {
  return { id, name: `Record ${id}`, company: 'Acme', status: 'Open', dateopened: '2025-01-02', details: { email: `r${id}@x.com` }, ...extra };
}

describe('TrackerClient requests', () => {
  it('widgetEnvelope nests the credentials under the op name', () => {
    expect(widgetEnvelope('checkLogon', { apiKey: API_KEY, username: USERNAME, password: PASSWORD }, { x: 1 })).toStrictEqual(envelope('checkLogon', { x: 1 }));
  });

  it('checkLogon sends credentials only, without Basic auth', async () => {
    const captured = widget('checkLogon', { status: 0, message: 'success' });
    const { client } = tracker();
    await expect(client.checkLogon()).resolves.toBeUndefined();
    expectRequest(captured, 'checkLogon', {}, false);
  });

  it('getSettingsData sends credentials only with Basic auth and parses the lists', async () => {
    const captured = widget('getSettingsData', {
      ...ok,
      namingConventions: { opportunity: 'Job', resource: 'Candidate' },
      opportunityStatuses: [{ Id: 1, Name: 'Open' }],
      resourceStatuses: [{ Id: '7', Name: 'Active' }],
      taskTypes: [{ Id: 12, Name: 'Apriora Interview' }],
      customFields: [{ Association: 'A', Id: '31', Name: 'Apriora Score', Type: 'Number', ListId: null }],
      customFieldLists: [{ Id: 4, Name: 'Grades', Items: [{ Id: 5, Name: 'A' }] }],
      users: [{ UserId: 3, Username: 'jane', Email: 'jane@x.com', LastLogon: '2025-01-01', Active: true }],
    });
    const { client } = tracker();
    const settings = await client.getSettingsData();
    expectRequest(captured, 'getSettingsData', {}, true);
    expect(settings.namingConventions).toEqual({ opportunity: 'Job', resource: 'Candidate' });
    expect(settings.resourceStatuses).toEqual([{ Id: 7, Name: 'Active' }]);
    expect(settings.taskTypes).toEqual([{ Id: 12, Name: 'Apriora Interview' }]);
    expect(settings.customFields[0]).toMatchObject({ Association: 'A', Id: 31, Name: 'Apriora Score', Type: 'Number' });
    expect(settings.customFieldLists[0]!.Items).toEqual([{ Id: 5, Name: 'A' }]);
    expect(settings.users[0]).toMatchObject({ UserId: 3, Email: 'jane@x.com', Active: true });
    expect(settings.resourceSources).toEqual([]);
  });

  it('getRecords sends the query as instructions and parses the results', async () => {
    const query = {
      recordtype: 'A',
      state: 'open',
      searchtext: 'Jane Doe',
      onlymyrecords: false,
      numrecords: 50,
      pagenum: 2,
      sortfield: 'dateopened',
      sortdir: 'desc',
      updatedafter: '2025-01-01 00:00:00',
      updatedbefore: '2025-02-01 00:00:00',
      includecustomfields: true,
    } as const;
    const captured = widget('getRecords', {
      status: 0,
      message: 'success',
      count: 2,
      results: [row('101', { customfields: [{ id: '31', name: 'Apriora Score', value: '87' }] }), { id: 102, name: null, details: null }],
    });
    const { client } = tracker();
    const page = await client.getRecords(query);
    expectRequest(captured, 'getRecords', { instructions: query }, false);
    expect(page.count).toBe(2);
    expect(page.results).toHaveLength(2);
    expect(page.results[0]).toMatchObject({
      id: 101,
      name: 'Record 101',
      company: 'Acme',
      details: { email: 'r101@x.com' },
      customfields: [{ id: 31, name: 'Apriora Score', value: '87' }],
    });
    expect(page.results[1]).toMatchObject({ id: 102, name: '', company: '', details: {}, customfields: [] });
  });

  it('getRecords by id sends recordid', async () => {
    const captured = widget('getRecords', { ...ok, count: 1, results: [row(5)] });
    const { client } = tracker();
    const page = await client.getRecords({ recordtype: 'R', recordid: 5 });
    expectRequest(captured, 'getRecords', { instructions: { recordtype: 'R', recordid: 5 } }, false);
    expect(page.results.map((r) => r.id)).toEqual([5]);
  });

  it('getIndividualRecord sends recordtype and recordid and unwraps the record', async () => {
    const job = {
      id: 3111,
      name: 'Senior Nurse',
      clientid: '44',
      clientname: 'General Hospital',
      description: '<p>Nights</p>',
      executivesummary: [{ recordName: 'Shift', recordValue: 'Nights' }],
      Owners: [{ UserId: 3 }],
    };
    const captured = widget('getIndividualRecord', { ...ok, record: job });
    const { client } = tracker();
    const record = await client.getIndividualRecord('O', 3111);
    expectRequest(captured, 'getIndividualRecord', { instructions: { recordtype: 'O', recordid: 3111 } }, false);
    expect(record).toMatchObject({ id: 3111, name: 'Senior Nurse', clientid: 44, clientname: 'General Hospital', location: '' });
    expect(record.executivesummary).toEqual([{ recordName: 'Shift', recordValue: 'Nights' }]);
    expect(record.Placements).toEqual([]);
  });

  it('getIndividualRecord reads a flat answer too', async () => {
    widget('getIndividualRecord', { ...ok, id: '77', name: 'Flat Job' });
    const { client } = tracker();
    await expect(client.getIndividualRecord('O', 77)).resolves.toMatchObject({ id: 77, name: 'Flat Job' });
  });

  it('getIndividualRecord throws NotFoundError when the answer has no record', async () => {
    widget('getIndividualRecord', { ...ok });
    const { client } = tracker();
    const error = await rejection(client.getIndividualRecord('R', 9), NotFoundError);
    expect(error.code).toBe('not_found');
  });

  it('checkPerson sends details{email, phone} and parses the answer', async () => {
    const captured = widget('checkPerson', {
      ...ok,
      recordTypes: 'CRU',
      firstRecord: { fullname: 'Jane Doe', email: 'jane@x.com', phone: null },
      recordLink: 'https://tracker/link',
    });
    const { client } = tracker();
    const answer = await client.checkPerson({ email: 'jane@x.com' });
    expectRequest(captured, 'checkPerson', { details: { email: 'jane@x.com', phone: '' } }, false);
    expect(answer.recordTypes).toBe('CRU');
    expect(answer.firstRecord).toMatchObject({ fullname: 'Jane Doe', email: 'jane@x.com', phone: '', company: '' });
  });

  it('createResource sends instructions and resource and returns the record id', async () => {
    const resource = {
      firstname: 'Jane',
      lastname: 'Doe',
      email: 'jane@x.com',
      cellphone: '+1 555 0100',
      source: 'Apriora',
      customfields: [{ id: 31, value: 'yes' }],
    };
    const options = { overwriteresource: false, assigntoopportunity: 3111, assigntolist: 'long', shortlistedby: 'resource' } as const;
    const captured = widget('createResource', { status: 0, message: 'created', recordId: '4567', recordName: 'Jane Doe' });
    const { client } = tracker();
    const created = await client.createResource(resource, options);
    expectRequest(captured, 'createResource', { instructions: options, resource }, false);
    expect(created).toEqual({ recordId: 4567, recordName: 'Jane Doe' });
  });

  it('createResource without options sends empty instructions', async () => {
    const captured = widget('createResource', { ...ok, recordId: 8, recordName: 'X' });
    const { client } = tracker();
    await client.createResource({ fullname: 'X' });
    expectRequest(captured, 'createResource', { instructions: {}, resource: { fullname: 'X' } }, false);
  });

  it('createResource status 3 is a ConflictError', async () => {
    widget('createResource', { status: 3, message: 'Record exists', recordId: 0 });
    const { client } = tracker();
    const error = await rejection(client.createResource({ email: 'jane@x.com' }), ConflictError);
    expect(error.code).toBe('tracker_record_exists');
    expect(error.exitCode).toBe(5);
  });

  it('createResource without a record id is an unexpected response', async () => {
    widget('createResource', { status: 0, message: 'created', recordId: 0 });
    const { client } = tracker();
    const error = await rejection(client.createResource({ email: 'jane@x.com' }), RemoteError);
    expect(error.code).toBe('unexpected_response');
  });

  it('resourceApplication sends the instructions with Basic auth', async () => {
    const application = { opportunityid: 3111, resourceid: 4567, assigntolist: 'short', shortlistedby: 'user', source: 'Apriora' } as const;
    const captured = widget('resourceApplication', ok);
    const { client } = tracker();
    await expect(client.resourceApplication(application)).resolves.toBeUndefined();
    expectRequest(captured, 'resourceApplication', { instructions: application }, true);
  });

  it('updateRecord sends instructions{recordtype, recordid}, updates and customfields', async () => {
    const captured = widget('updateRecord', { status: 0, message: 'updated' });
    const { client } = tracker();
    await client.updateRecord({
      recordtype: 'A',
      recordid: 900,
      updates: [
        { column: 'subject', value: 'Interview done' },
        { column: 'resourcestatusid', value: 7 },
      ],
      customfields: [{ id: 31, value: 87 }],
    });
    expectRequest(
      captured,
      'updateRecord',
      {
        instructions: { recordtype: 'A', recordid: 900 },
        updates: [
          { column: 'subject', value: 'Interview done' },
          { column: 'resourcestatusid', value: 7 },
        ],
        customfields: [{ id: 31, value: 87 }],
      },
      false,
    );
  });

  it('updateRecord sends empty updates and customfields lists by default', async () => {
    const captured = widget('updateRecord', ok);
    const { client } = tracker();
    await client.updateRecord({ recordtype: 'R', recordid: 1 });
    expectRequest(captured, 'updateRecord', { instructions: { recordtype: 'R', recordid: 1 }, updates: [], customfields: [] }, false);
  });

  it('createActivity puts customfields beside activity and sends Basic auth', async () => {
    const activity = {
      subject: 'Apriora interview: Jane Doe',
      type: 'Apriora Interview',
      date: '2025-03-04',
      time: '02:30 PM',
      status: 'Completed',
      priority: 'Normal',
      contactType: 'Video',
      note: '<p>Score 87</p>',
      userId: 3,
      linkRecordType: 'R',
      linkRecordId: 4567,
    } as const;
    const customfields = [
      { id: 31, value: 87 },
      { id: 32, value: 'https://apriora/report/1' },
    ];
    const captured = widget('createActivity', { status: 0, message: 'created' });
    const { client } = tracker();
    await expect(client.createActivity(activity, customfields)).resolves.toBeUndefined();
    expectRequest(captured, 'createActivity', { activity, customfields }, true);
    const op = (captured[0]!.body as { trackerrms: { createActivity: { activity: object } } }).trackerrms.createActivity;
    expect(op.activity).not.toHaveProperty('customfields');
  });

  it('createActivity without custom fields sends an empty list beside activity', async () => {
    const activity = { subject: 's', type: 't', date: '2025-03-04', time: '09:00 AM', linkRecordType: 'O', linkRecordId: 1 } as const;
    const captured = widget('createActivity', ok);
    const { client } = tracker();
    await client.createActivity(activity);
    expectRequest(captured, 'createActivity', { activity, customfields: [] }, true);
  });
});

describe('TrackerClient.iterateRecords', () => {
  function pages(total: number, pageSize: number) {
    const requests: unknown[] = [];
    const count = Math.floor(total / pageSize) + 1;
    nock(BASE)
      .post('/api/widget/getRecords')
      .times(count)
      .reply((_uri, body) => {
        const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as {
          trackerrms: { getRecords: { instructions: { pagenum: number; numrecords: number } } };
        };
        const { instructions } = parsed.trackerrms.getRecords;
        requests.push(instructions);
        const start = instructions.pagenum * instructions.numrecords;
        const ids = Array.from({ length: Math.max(0, Math.min(instructions.numrecords, total - start)) }, (_, i) => start + i + 1);
        return [200, { status: 0, message: 'success', count: ids.length, results: ids.map((id) => row(id)) }];
      });
    return requests;
  }

  it('pages with 0-based pagenum until a short page (250 rows, pages of 100: 3 requests)', async () => {
    const requests = pages(250, 100);
    const { client } = tracker();
    const ids: number[] = [];
    for await (const record of client.iterateRecords({ recordtype: 'R', state: 'open', numrecords: 100 })) ids.push(record.id);
    expect(ids).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(requests).toEqual([
      { recordtype: 'R', state: 'open', numrecords: 100, pagenum: 0 },
      { recordtype: 'R', state: 'open', numrecords: 100, pagenum: 1 },
      { recordtype: 'R', state: 'open', numrecords: 100, pagenum: 2 },
    ]);
  });

  it('stops on the empty page after an exactly full last page', async () => {
    const requests = pages(200, 100);
    const { client } = tracker();
    let n = 0;
    for await (const _record of client.iterateRecords({ recordtype: 'O' })) n++;
    expect(n).toBe(200);
    expect(requests.map((r) => (r as { pagenum: number }).pagenum)).toEqual([0, 1, 2]);
    expect(requests.every((r) => (r as { numrecords: number }).numrecords === 100)).toBe(true);
  });

  it('with readAhead, asks for the next page while the current one is consumed, and reads every row once', async () => {
    const requests = pages(250, 100);
    const { client } = tracker();
    const rows = client.iterateRecords({ recordtype: 'O', numrecords: 100 }, undefined, { readAhead: true });
    const first = await rows.next();
    expect(first.value?.id).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requests.map((r) => (r as { pagenum: number }).pagenum)).toEqual([0, 1]);
    const ids = [first.value!.id];
    for await (const record of rows) ids.push(record.id);
    expect(ids).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(requests.map((r) => (r as { pagenum: number }).pagenum)).toEqual([0, 1, 2]);
  });

  it('without readAhead, asks for a page only when the previous one is used up', async () => {
    const requests = pages(250, 100);
    const { client } = tracker();
    const rows = client.iterateRecords({ recordtype: 'O', numrecords: 100 });
    await rows.next();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requests).toHaveLength(1);
    await rows.return(undefined);
    nock.cleanAll();
  });

  it('makes one request for an empty result', async () => {
    const requests = pages(0, 25);
    const { client } = tracker();
    const all = [];
    for await (const record of client.iterateRecords({ recordtype: 'A', numrecords: 25 })) all.push(record);
    expect(all).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('refuses a page size that could never end the paging', async () => {
    const { client } = tracker();
    const iterate = async () => {
      for await (const _record of client.iterateRecords({ recordtype: 'R', numrecords: 0 })) {
        // nothing
      }
    };
    await expect(iterate()).rejects.toBeInstanceOf(InputError);
  });
});

describe('TrackerClient in-body status (`apriora help api`)', () => {
  it('status 0 is success', async () => {
    widget('checkLogon', { status: 0, message: 'success' });
    await expect(tracker().client.checkLogon()).resolves.toBeUndefined();
  });

  it('status 1 is AuthError tracker_user_not_found (exit 4)', async () => {
    widget('checkLogon', { status: 1, message: 'User not found' });
    const error = await rejection(tracker().client.checkLogon(), AuthError);
    expect(error.code).toBe('tracker_user_not_found');
    expect(error.exitCode).toBe(4);
    expect(error.message).toContain('User not found');
  });

  it('status 2 is AuthError tracker_user_inactive (exit 4)', async () => {
    widget('getSettingsData', { status: 2, message: 'User not active' });
    const error = await rejection(tracker().client.getSettingsData(), AuthError);
    expect(error.code).toBe('tracker_user_inactive');
    expect(error.exitCode).toBe(4);
  });

  it('status 3 is ConflictError tracker_record_exists (exit 5)', async () => {
    widget('updateRecord', { status: 3, message: 'Record exists and cannot be overwritten' });
    const error = await rejection(tracker().client.updateRecord({ recordtype: 'R', recordid: 1 }), ConflictError);
    expect(error.code).toBe('tracker_record_exists');
    expect(error.exitCode).toBe(5);
    expect(error.message).toContain('updateRecord');
  });

  it("status 99 is RemoteError tracker_invalid_request carrying Tracker's message", async () => {
    widget('createActivity', { status: 99, message: 'Invalid column name linkRecordTyp' });
    const activity = { subject: 's', type: 't', date: '2025-03-04', time: '09:00 AM', linkRecordType: 'R', linkRecordId: 1 } as const;
    const error = await rejection(tracker().client.createActivity(activity), RemoteError);
    expect(error).not.toBeInstanceOf(ConflictError);
    expect(error.code).toBe('tracker_invalid_request');
    expect(error.exitCode).toBe(5);
    expect(error.message).toContain('Invalid column name linkRecordTyp');
  });

  it("status 99 masks credentials quoted in Tracker's message", async () => {
    widget('checkLogon', { status: 99, message: `Conversion failed for '${PASSWORD}' / '${API_KEY}'` });
    const error = await rejection(tracker().client.checkLogon(), RemoteError);
    expect(error.message).toContain('Conversion failed');
    expectNoSecrets(error.message);
    expectNoSecrets(JSON.stringify(error.details ?? null));
  });

  it('an unknown status is a RemoteError', async () => {
    widget('checkLogon', { status: 42, message: 'What' });
    const error = await rejection(tracker().client.checkLogon(), RemoteError);
    expect(error).not.toBeInstanceOf(ConflictError);
    expect(error.code).toBe('tracker_unknown_status');
    expect(error.exitCode).toBe(5);
    expect(error.message).toContain('42');
  });
});

describe('TrackerClient malformed answers', () => {
  it('a body that is not JSON is unexpected_response', async () => {
    widget('checkLogon', '<html>Service Unavailable</html>');
    const error = await rejection(tracker().client.checkLogon(), RemoteError);
    expect(error.code).toBe('unexpected_response');
    expect(error.message).toMatch(/not JSON/);
  });

  it('JSON without status is unexpected_response naming the field', async () => {
    widget('getRecords', { message: 'ok', results: [] });
    const error = await rejection(tracker().client.getRecords({ recordtype: 'R' }), RemoteError);
    expect(error.code).toBe('unexpected_response');
    expect(error.message).toMatch(/\bstatus\b/);
  });

  it('a non-numeric id is unexpected_response naming results.0.id', async () => {
    widget('getRecords', { status: 0, message: 'ok', count: 1, results: [row('abc')] });
    const error = await rejection(tracker().client.getRecords({ recordtype: 'R' }), RemoteError);
    expect(error.code).toBe('unexpected_response');
    expect(error.message).toContain('results.0.id');
    expect(error.details).toMatchObject({ issues: [{ path: ['results', '0', 'id'] }] });
  });

  it('an HTTP error other than 5xx/429 is a RemoteError whose details hold no secrets', async () => {
    widget('checkLogon', `<pre>404: not here ${USERNAME}:${PASSWORD} key ${API_KEY}</pre>`, 404);
    const error = await rejection(tracker().client.checkLogon(), RemoteError);
    expect(error.code).toBe('tracker_http_error');
    expect(error.status).toBe(404);
    expect(JSON.stringify(error.details)).toContain('not here');
    expectNoSecrets(error.message);
    expectNoSecrets(JSON.stringify(error.details));
  });

  it('HTTP 401 or 403 is an authentication failure (exit 4) that names no secret', async () => {
    widget('checkLogon', `<pre>401: bad credentials ${USERNAME}:${PASSWORD} key ${API_KEY}</pre>`, 401);
    const error = await rejection(tracker().client.checkLogon(), AuthError);
    expect(error.code).toBe('tracker_http_auth');
    expect(error.exitCode).toBe(4);
    expectNoSecrets(error.message);
    expectNoSecrets(JSON.stringify(error.details));
  });

  it('HTTP 400 is tracker_http_error', async () => {
    widget('getRecords', { error: 'bad' }, 400);
    const error = await rejection(tracker().client.getRecords({ recordtype: 'R' }), RemoteError);
    expect(error.code).toBe('tracker_http_error');
  });
});

describe('TrackerClient retries', () => {
  const activity = { subject: 's', type: 'Apriora Interview', date: '2025-03-04', time: '09:00 AM', linkRecordType: 'R', linkRecordId: 1 } as const;

  it('retries a read (getRecords) on 503, then succeeds', async () => {
    widget('getRecords', 'busy', 503);
    widget('getRecords', { ...ok, count: 1, results: [row(1)] });
    const { client, http, delays } = tracker();
    const page = await client.getRecords({ recordtype: 'R' });
    expect(page.results).toHaveLength(1);
    expect(http.requestsSent).toBe(2);
    expect(delays).toHaveLength(1);
  });

  it('retries a read (checkPerson) on a connection reset, then succeeds', async () => {
    nock(BASE).post('/api/widget/checkPerson').replyWithError(systemError('ECONNRESET'));
    widget('checkPerson', { ...ok, recordTypes: '' });
    const { client, http } = tracker();
    await expect(client.checkPerson({ email: 'a@b.c' })).resolves.toMatchObject({ recordTypes: '' });
    expect(http.requestsSent).toBe(2);
  });

  it('does not retry createActivity on 503: exactly one request', async () => {
    const captured = widget('createActivity', 'busy', 503);
    const { client, http } = tracker();
    const error = await rejection(client.createActivity(activity), RemoteError);
    expect(error.code).toBe('server_error');
    expect(captured).toHaveLength(1);
    expect(http.requestsSent).toBe(1);
  });

  it('does not retry createActivity after a connection reset: exactly one request', async () => {
    nock(BASE).post('/api/widget/createActivity').replyWithError(systemError('ECONNRESET'));
    const { client, http } = tracker();
    const error = await rejection(client.createActivity(activity), RemoteError);
    expect(error.code).toBe('network_error');
    expect(http.requestsSent).toBe(1);
  });

  it('retries createActivity on 429 honouring Retry-After', async () => {
    nock(BASE).post('/api/widget/createActivity').reply(429, '', { 'retry-after': '4' });
    const captured = widget('createActivity', ok);
    const { client, http, delays } = tracker();
    await client.createActivity(activity);
    expect(captured).toHaveLength(1);
    expect(http.requestsSent).toBe(2);
    expect(delays).toEqual([4000]);
  });

  it('does not retry createResource on 503', async () => {
    widget('createResource', 'busy', 503);
    const { client, http } = tracker();
    await rejection(client.createResource({ email: 'a@b.c' }), RemoteError);
    expect(http.requestsSent).toBe(1);
  });

  it('a write that times out is RemoteError timeout, sent once', async () => {
    nock(BASE).post('/api/widget/updateRecord').delay(1_000).reply(200, ok);
    const { client, http } = tracker({ timeoutMs: 40 });
    const error = await rejection(client.updateRecord({ recordtype: 'R', recordid: 1 }), RemoteError);
    expect(error.code).toBe('timeout');
    expect(http.requestsSent).toBe(1);
  });
});

describe('TrackerClient debug trace', () => {
  it('traces method, URL and status but never the password, API key or Authorization value', async () => {
    const activity = { subject: 's', type: 't', date: '2025-03-04', time: '09:00 AM', linkRecordType: 'R', linkRecordId: 1 } as const;
    widget('createActivity', { status: 0, message: 'created', echo: { credentials: CREDENTIALS } });
    widget('getSettingsData', `server error for ${BASIC} ${PASSWORD} ${API_KEY}`, 500, 3);
    const { client, lines } = tracker();
    await client.createActivity(activity);
    await rejection(client.getSettingsData(), RemoteError);
    const all = lines.join('\n');
    expect(all).toContain(`-> POST ${BASE}/api/widget/createActivity`);
    expect(all).toContain(`<- 200 POST ${BASE}/api/widget/createActivity`);
    expect(all).toContain(`<- 500 POST ${BASE}/api/widget/getSettingsData`);
    expect(all).toContain(USERNAME);
    expectNoSecrets(all);
  });
});
