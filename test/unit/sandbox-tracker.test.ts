import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  APRIORA_ACTIVITY_FIELD_NAMES,
  FaultController,
  generateTrackerSeed,
  loadTrackerSeed,
  type RunningSandbox,
  type SandboxCredentials,
  startSandbox,
} from '../../src/sandbox/index.js';

type Json = Record<string, unknown>;

interface CallOptions {
  credentials?: Partial<{ username: string; password: string; apikey: string; oauthtoken: string }>;
  /** The key inside `trackerrms`, when it should differ from the path's op. */
  envelopeOp?: string;
}

function credentialsOf(sandbox: RunningSandbox): { username: string; password: string; apikey: string; oauthtoken: string } {
  const { apiKey, username, password } = sandbox.credentials;
  return { username, password, apikey: apiKey, oauthtoken: '' };
}

function post(sandbox: RunningSandbox, op: string, body: string): Promise<Response> {
  return fetch(`${sandbox.trackerUrl}/api/widget/${op}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  });
}

async function widget(sandbox: RunningSandbox, op: string, parts: Json = {}, options: CallOptions = {}): Promise<Json> {
  const credentials = { ...credentialsOf(sandbox), ...options.credentials };
  const body = { trackerrms: { [options.envelopeOp ?? op]: { credentials, ...parts } } };
  const response = await post(sandbox, op, JSON.stringify(body));
  expect(response.status).toBe(200);
  return (await response.json()) as Json;
}

const rows = (answer: Json): Json[] => answer.results as Json[];
const details = (row: Json): Json => row.details as Json;

describe('sandbox: Tracker Widget API emulator', () => {
  let sandbox: RunningSandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  beforeEach(() => {
    sandbox.reset();
  });

  describe('envelope and credentials', () => {
    it('answers 99 when the key inside trackerrms is not the path op', async () => {
      const answer = await widget(sandbox, 'checkLogon', {}, { envelopeOp: 'getRecords' });
      expect(answer).toMatchObject({ status: 99, count: 0 });
      expect(answer.message).toEqual(expect.any(String));
    });

    it('answers 99 to malformed JSON and to an unknown op, still with HTTP 200', async () => {
      const malformed = await post(sandbox, 'checkLogon', '{"trackerrms": ');
      expect(malformed.status).toBe(200);
      expect(await malformed.json()).toMatchObject({ status: 99 });
      expect(await widget(sandbox, 'createLead')).toMatchObject({ status: 99 });
    });

    it('answers 1 to a wrong password, api key or username, and to missing credentials', async () => {
      for (const wrong of [{ password: 'nope' }, { apikey: 'nope' }, { username: 'someone@else.example' }]) {
        expect(await widget(sandbox, 'checkLogon', {}, { credentials: wrong })).toMatchObject({ status: 1 });
      }
      const response = await post(sandbox, 'checkLogon', JSON.stringify({ trackerrms: { checkLogon: {} } }));
      expect(await response.json()).toMatchObject({ status: 1 });
    });

    it('answers 0 to checkLogon with the sandbox credentials, and 2 when the user is not active', async () => {
      expect(await widget(sandbox, 'checkLogon')).toEqual({ status: 0, message: 'success', count: 0 });
      const user = sandbox.tracker.userByEmail(sandbox.credentials.username);
      if (!user) throw new Error('the API user is missing');
      user.Active = false;
      expect(await widget(sandbox, 'checkLogon')).toMatchObject({ status: 2 });
    });

    it('uses the credentials it was started with', async () => {
      const credentials: SandboxCredentials = { apiKey: 'k-1', username: 'robot@ci.example', password: 'p-1' };
      const custom = await startSandbox({ credentials });
      try {
        expect(await widget(custom, 'checkLogon')).toMatchObject({ status: 0 });
        expect(custom.tracker.userByEmail('robot@ci.example')?.Active).toBe(true);
      } finally {
        await custom.close();
      }
    });
  });

  describe('getSettingsData', () => {
    it('lists the four activity fields, their look-alikes, the activity type and the API user', async () => {
      const answer = await widget(sandbox, 'getSettingsData');
      expect(answer.status).toBe(0);
      const fields = answer.customFields as { Association: string; Id: number; Name: string; Type: string; ListId: number | null }[];
      const activityFields = fields.filter((field) => field.Association === 'Activity');
      for (const name of APRIORA_ACTIVITY_FIELD_NAMES) {
        expect(activityFields.filter((field) => field.Name === name)).toHaveLength(1);
      }
      const sameNameElsewhere = (name: string) => fields.filter((field) => field.Name.toLowerCase() === name.toLowerCase() && field.Association !== 'Activity');
      expect(sameNameElsewhere('Overall Score').map((field) => field.Association)).toContain('Resource');
      expect(sameNameElsewhere('Report link').map((field) => field.Association)).toContain('Opportunity');
      expect(sameNameElsewhere('Feedback').length).toBeGreaterThanOrEqual(1);
      expect(fields.some((field) => field.Name === 'Visa Status')).toBe(true);

      expect((answer.taskTypes as { Name: string }[]).map((type) => type.Name)).toEqual(
        expect.arrayContaining(['Apriora Interview', 'Call', 'Meeting', 'Interview']),
      );
      expect(answer.users).toEqual(expect.arrayContaining([expect.objectContaining({ Email: sandbox.credentials.username, Active: true })]));
      expect(answer.opportunityStatuses).toEqual(expect.arrayContaining([{ Id: 1, Name: 'Open' }]));
      expect(answer.namingConventions).toMatchObject({ opportunity: 'Job', resource: 'Candidate' });
    });
  });

  describe('getRecords and getIndividualRecord', () => {
    let big: RunningSandbox;
    const seed = generateTrackerSeed({ jobs: 250 });
    const statesByName = new Map(seed.settings.opportunityStatuses.map((status) => [status.Name, status.State]));
    const stateOf = (status: string) => statesByName.get(status);

    beforeAll(async () => {
      big = await startSandbox({ seed });
    });
    afterAll(async () => {
      await big.close();
    });

    const jobs = (instructions: Json) => widget(big, 'getRecords', { instructions: { recordtype: 'O', ...instructions } });
    /** Every matching job, page by page (a page holds at most 100 rows): {count} of them all. */
    const allJobs = async (instructions: Json): Promise<{ count: number }> => {
      let count = 0;
      for (let pagenum = 0; ; pagenum += 1) {
        const page = await jobs({ ...instructions, numrecords: 100, pagenum });
        count += page.count as number;
        if ((page.count as number) < 100) return { count };
      }
    };

    it('pages 250 jobs as 100/100/50 and then an empty page (pagenum is 0-based)', async () => {
      const counts: number[] = [];
      const ids = new Set<unknown>();
      for (let pagenum = 0; pagenum < 4; pagenum += 1) {
        const answer = await jobs({ numrecords: 100, pagenum });
        expect(answer.status).toBe(0);
        expect(answer.count).toBe(rows(answer).length);
        counts.push(answer.count as number);
        for (const row of rows(answer)) ids.add(row.id);
      }
      expect(counts).toEqual([100, 100, 50, 0]);
      expect(ids.size).toBe(250);
    });

    it('shows the reference in the list name and plain fields in details', async () => {
      const [row] = rows(await jobs({ numrecords: 1 }));
      expect(row?.name).toMatch(/^JOB-\d+ \S/);
      expect(details(row ?? {})).toMatchObject({ jobtitle: expect.any(String), clientname: expect.any(String) });
      expect(String(details(row ?? {}).jobtitle)).not.toMatch(/^JOB-/);
      expect(String(details(row ?? {}).description)).toMatch(/^<p>We are looking for .*<ul><li>/);
      expect(row?.dateopened).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });

    it('filters on state open, closed (everything not open) and won', async () => {
      const expected = {
        open: seed.jobs.filter((job) => stateOf(job.status) === 'open').length,
        closed: seed.jobs.filter((job) => stateOf(job.status) !== 'open').length,
        won: seed.jobs.filter((job) => stateOf(job.status) === 'won').length,
      };
      expect(expected.open).toBeGreaterThan(0);
      expect(expected.won).toBeGreaterThan(0);
      for (const state of ['open', 'closed', 'won'] as const) {
        const answer = await allJobs({ state });
        expect(answer.count).toBe(expected[state]);
      }
      expect((await allJobs({ state: '' })).count).toBe(250);
    });

    it('searches the name only, ignoring case', async () => {
      const answer = await jobs({ searchtext: 'NURSE', numrecords: 500 });
      const expected = seed.jobs.filter((job) => job.title.toLowerCase().includes('nurse')).length;
      expect(expected).toBeGreaterThan(0);
      expect(answer.count).toBe(expected);
      for (const row of rows(answer)) expect(String(row.name).toLowerCase()).toContain('nurse');

      const byReference = await jobs({ searchtext: 'JOB-3105 ' });
      expect(rows(byReference).map((row) => row.id)).toEqual([3105]);
      // a client's name is not searched
      const client = seed.clients[0]?.name ?? '';
      expect((await jobs({ searchtext: client })).count).toBe(0);
    });

    it('filters on updatedafter / updatedbefore and sorts on a details field', async () => {
      const sorted = seed.jobs.map((job) => job.updatedAt).sort();
      const cut = sorted[199] ?? '';
      const after = await allJobs({ updatedafter: cut });
      expect(after.count).toBe(sorted.filter((time) => time > cut).length);
      const before = await allJobs({ updatedbefore: cut });
      expect(before.count).toBe(sorted.filter((time) => time < cut).length);

      const desc = rows(await jobs({ sortfield: 'lastupdateddatetime', sortdir: 'desc', numrecords: 3 }));
      expect(desc.map((row) => details(row).lastupdateddatetime)).toEqual(sorted.slice(-3).reverse());

      expect(await jobs({ updatedafter: 'yesterday' })).toMatchObject({ status: 99 });
      expect(await jobs({ sortfield: 'nosuchcolumn' })).toMatchObject({ status: 99 });
    });

    it('returns one record for recordid, ignoring the other instructions', async () => {
      const answer = await jobs({ recordid: 3110, state: 'won', searchtext: 'zzz' });
      expect(answer.count).toBe(1);
      expect(rows(answer)[0]?.id).toBe(3110);
    });

    it('answers 99 when recordtype is missing', async () => {
      expect(await widget(big, 'getRecords', { instructions: {} })).toMatchObject({ status: 99 });
    });

    it('returns a job with its full fields from getIndividualRecord', async () => {
      const answer = await widget(big, 'getIndividualRecord', { instructions: { recordtype: 'O', recordid: 3101 } });
      expect(answer).toMatchObject({ status: 0, count: 1 });
      const [job] = rows(answer);
      expect(job).toMatchObject({
        id: 3101,
        name: seed.jobs[0]?.title,
        subject: `JOB-3101 ${seed.jobs[0]?.title}`,
        clientid: expect.any(Number),
        clientname: expect.any(String),
        status: seed.jobs[0]?.status,
        Owners: expect.any(Array),
        Placements: expect.any(Array),
        executivesummary: expect.arrayContaining([{ recordName: 'Status', recordValue: seed.jobs[0]?.status }]),
      });
      expect(String(job?.description)).toMatch(/^<p>We are looking for .*<ul><li>/);
      for (const key of ['contactid', 'contactname', 'type', 'location', 'city', 'state', 'salarypayrate', 'startdate', 'enddate', 'shortlisted']) {
        expect(job).toHaveProperty(key);
      }
      const missing = await widget(big, 'getIndividualRecord', { instructions: { recordtype: 'O', recordid: 1 } });
      expect(missing).toMatchObject({ status: 0, count: 0, results: [] });
      expect(await widget(big, 'getIndividualRecord', { instructions: { recordtype: 'O' } })).toMatchObject({ status: 99 });
    });
  });

  describe('candidates', () => {
    const email = 'Jane.Selby@Example.com';
    const resource = { firstname: 'Jane', lastname: 'Selby', email, cellphone: '888-3487', source: 'Apriora', note: 'From Apriora' };

    it('checkPerson finds nothing, createResource creates, checkPerson then reports an R without an id', async () => {
      const before = await widget(sandbox, 'checkPerson', { details: { email, phone: '' } });
      expect(before).toMatchObject({ status: 0, recordTypes: '', firstRecord: null });

      const created = await widget(sandbox, 'createResource', { instructions: { overwriteresource: false }, resource });
      expect(created).toMatchObject({ status: 0, recordId: expect.any(Number), recordName: 'Jane Selby' });

      const after = await widget(sandbox, 'checkPerson', { details: { email: email.toLowerCase(), phone: '' } });
      expect(after).toMatchObject({ status: 0, recordTypes: 'R', recordLink: sandbox.url });
      expect(after.firstRecord).toEqual({
        fullname: 'Jane Selby',
        jobtitle: '',
        company: '',
        phone: '',
        cell: '888-3487',
        email,
        linkedin: '',
      });
      expect(JSON.stringify(after)).not.toContain(String(created.recordId));

      const found = rows(await widget(sandbox, 'getRecords', { instructions: { recordtype: 'R', searchtext: 'Jane Selby' } }));
      expect(found.map((row) => row.id)).toEqual([created.recordId]);
      expect(details(found[0] ?? {}).email).toBe(email);
    });

    it('createResource answers 3 with recordId 0 for an existing e-mail, and overwrites when told to', async () => {
      const created = await widget(sandbox, 'createResource', { instructions: {}, resource });
      const again = await widget(sandbox, 'createResource', {
        instructions: { overwriteresource: false },
        resource: { ...resource, email: email.toUpperCase() },
      });
      expect(again).toMatchObject({ status: 3, recordId: 0 });

      const overwritten = await widget(sandbox, 'createResource', {
        instructions: { overwriteresource: true },
        resource: { ...resource, jobtitle: 'Java Programmer' },
      });
      expect(overwritten).toMatchObject({ status: 0, message: 'updated', recordId: created.recordId });
      expect(sandbox.tracker.candidate(created.recordId as number)?.jobtitle).toBe('Java Programmer');
      expect(sandbox.tracker.candidates.filter((c) => c.email.toLowerCase() === email.toLowerCase())).toHaveLength(1);
    });

    it('createResource with assigntoopportunity and resourceApplication put the candidate on a list', async () => {
      const created = await widget(sandbox, 'createResource', {
        instructions: { assigntoopportunity: 3101, assigntolist: 'long', shortlistedby: 'resource' },
        resource,
      });
      const id = created.recordId as number;
      expect(sandbox.tracker.application(3101, id)).toMatchObject({ list: 'long', status: 'Applied' });

      // Already on the job: "record exists" (3), not a move to the short list.
      const promote = { opportunityid: '3101', resourceid: String(id), assigntolist: 'short', shortlistedby: 'user', source: 'Apriora' };
      expect(await widget(sandbox, 'resourceApplication', { instructions: promote })).toMatchObject({ status: 3 });
      expect(sandbox.tracker.application(3101, id)).toMatchObject({ list: 'long', status: 'Applied' });
      expect(await widget(sandbox, 'resourceApplication', { instructions: { ...promote, opportunityid: '3102' } })).toMatchObject({
        status: 0,
        message: 'created',
      });
      expect(sandbox.tracker.application(3102, id)).toMatchObject({ list: 'short', status: 'Shortlisted', shortlistedBy: 'user' });
      expect(await widget(sandbox, 'resourceApplication', { instructions: { ...promote, opportunityid: 999 } })).toMatchObject({ status: 99 });
    });
  });

  describe('activities', () => {
    const settingsFieldIds = () =>
      Object.fromEntries(
        sandbox.tracker.settings.customFields.filter((field) => field.Association === 'Activity').map((field) => [field.Name, field.Id]),
      ) as Record<string, number>;

    const activity = (candidateId: number) => ({
      subject: 'Apriora Interview: Senior Nurse',
      type: 'Apriora Interview',
      date: '2025-06-03',
      time: '02:30 PM',
      status: 'Completed',
      priority: 'Medium',
      contactType: '',
      note: 'apriora-report:rep_123',
      userId: 1,
      linkRecordType: 'R',
      linkRecordId: candidateId,
    });

    async function createInterviewActivity(): Promise<{ candidateId: number; answer: Json }> {
      const candidateId = sandbox.tracker.candidates[0]?.id ?? 0;
      const ids = settingsFieldIds();
      const answer = await widget(sandbox, 'createActivity', {
        activity: activity(candidateId),
        customfields: [
          { id: ids['Overall Score'], value: 87 },
          { id: ids['Report link'], value: 'https://app.apriora.example/reports/rep_123' },
          { id: ids['Grading Criteria'], value: 'Communication: 9/10' },
          { id: ids.Feedback, value: 'Strong candidate' },
        ],
      });
      return { candidateId, answer };
    }

    it('stores customfields given beside activity and returns them from getRecords A with includecustomfields', async () => {
      const { candidateId, answer } = await createInterviewActivity();
      expect(answer).toEqual({ status: 0, message: 'created', count: 1 });

      const stored = sandbox.tracker.activities.at(-1);
      expect(stored).toMatchObject({ type: 'Apriora Interview', customFieldsForm: 'beside', linkRecordType: 'R', linkRecordId: candidateId });

      const listed = rows(
        await widget(sandbox, 'getRecords', {
          instructions: { recordtype: 'A', searchtext: 'Apriora Interview', includecustomfields: true, numrecords: 100 },
        }),
      );
      expect(listed).toHaveLength(1);
      const [row] = listed;
      expect(details(row ?? {})).toMatchObject({
        activityid: stored?.id,
        ActivityTypeName: 'Apriora Interview',
        subject: 'Apriora Interview: Senior Nurse',
        resourceid: candidateId,
        opportunityid: null,
        startdate: '2025-06-03 14:30:00',
        note: 'apriora-report:rep_123',
        taskstatus: 'Completed',
        lastupdateddatetime: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/),
      });
      expect(row?.customfields).toEqual(
        expect.arrayContaining([
          { id: settingsFieldIds()['Overall Score'], name: 'Overall Score', value: '87' },
          { id: settingsFieldIds().Feedback, name: 'Feedback', value: 'Strong candidate' },
        ]),
      );
    });

    it('records customfields given inside activity as the "inside" form', async () => {
      const ids = settingsFieldIds();
      const candidateId = sandbox.tracker.candidates[0]?.id ?? 0;
      const answer = await widget(sandbox, 'createActivity', {
        activity: { ...activity(candidateId), customfields: [{ id: ids.Feedback, value: 'inside' }] },
      });
      expect(answer.status).toBe(0);
      expect(sandbox.tracker.activities.at(-1)).toMatchObject({ customFieldsForm: 'inside', customFields: [{ id: ids.Feedback, value: 'inside' }] });
    });

    it('answers 99 to an unknown type, an unknown field id, a look-alike field of another association and a bad link', async () => {
      const candidateId = sandbox.tracker.candidates[0]?.id ?? 0;
      const resourceScore = sandbox.tracker.settings.customFields.find((f) => f.Association === 'Resource' && f.Name === 'Overall Score');
      const count = sandbox.tracker.activities.length;
      const cases: Json[] = [
        { activity: { ...activity(candidateId), type: 'Apriora Interviews' } },
        { activity: activity(candidateId), customfields: [{ id: 99999, value: 'x' }] },
        { activity: activity(candidateId), customfields: [{ id: resourceScore?.Id, value: '87' }] },
        { activity: { ...activity(candidateId), linkRecordId: 1 } },
        { activity: { ...activity(candidateId), time: '14:30' } },
      ];
      for (const parts of cases) expect(await widget(sandbox, 'createActivity', parts)).toMatchObject({ status: 99 });
      expect(sandbox.tracker.activities).toHaveLength(count);
    });

    it('answers 99 to a value its field cannot hold (Text over 255 characters, Number not numeric, Date not a date), writing nothing', async () => {
      const candidateId = sandbox.tracker.candidates[0]?.id ?? 0;
      const ids = settingsFieldIds();
      const count = sandbox.tracker.activities.length;
      const link = `https://cdn.apriora.example/r.pdf?sig=${'a'.repeat(300)}`;
      expect(await widget(sandbox, 'createActivity', { activity: activity(candidateId), customfields: [{ id: ids['Report link'], value: link }] })).toEqual({
        status: 99,
        message: 'String or binary data would be truncated.',
        count: 0,
      });
      expect(
        await widget(sandbox, 'createActivity', { activity: activity(candidateId), customfields: [{ id: ids['Overall Score'], value: 'high' }] }),
      ).toMatchObject({
        status: 99,
        message: `Error converting value "high" to type 'System.Decimal'.`,
      });
      sandbox.tracker.settings.customFields.find((field) => field.Id === ids['Overall Score'])!.Type = 'Date';
      expect(
        await widget(sandbox, 'createActivity', { activity: activity(candidateId), customfields: [{ id: ids['Overall Score'], value: '82' }] }),
      ).toMatchObject({
        status: 99,
      });
      expect(sandbox.tracker.activities).toHaveLength(count);
      // 255 characters fit; a Memo field has no such limit
      const fits = await widget(sandbox, 'createActivity', {
        activity: activity(candidateId),
        customfields: [
          { id: ids['Report link'], value: 'x'.repeat(255) },
          { id: ids.Feedback, value: 'y'.repeat(5000) },
        ],
      });
      expect(fits.status).toBe(0);
    });

    it('updateRecord changes columns and custom fields of an activity', async () => {
      await createInterviewActivity();
      const stored = sandbox.tracker.activities.at(-1);
      if (!stored) throw new Error('no activity was stored');
      const id = stored.id;
      stored.updatedAt = '2025-01-01 00:00:00';
      const ids = settingsFieldIds();
      const answer = await widget(sandbox, 'updateRecord', {
        instructions: { recordtype: 'A', recordid: id },
        updates: [
          { column: 'subject', value: 'Apriora Interview (updated)' },
          { column: 'note', value: 'apriora-report:rep_123 v2' },
          { column: 'taskstatus', value: 'Completed' },
        ],
        customfields: [{ id: ids['Overall Score'], value: '91' }],
      });
      expect(answer).toMatchObject({ status: 0 });
      expect(sandbox.tracker.activity(id)).toMatchObject({ subject: 'Apriora Interview (updated)', note: 'apriora-report:rep_123 v2' });
      expect(sandbox.tracker.activity(id)?.customFields).toContainEqual({ id: ids['Overall Score'], value: '91' });
      expect(stored.updatedAt > '2025-01-01 00:00:00').toBe(true);

      const record = rows(await widget(sandbox, 'getIndividualRecord', { instructions: { recordtype: 'A', recordid: id } }))[0];
      expect(record).toMatchObject({ subject: 'Apriora Interview (updated)', ActivityTypeName: 'Apriora Interview' });

      const badColumn = await widget(sandbox, 'updateRecord', {
        instructions: { recordtype: 'A', recordid: id },
        updates: [
          { column: 'subject', value: 'partial' },
          { column: 'colour', value: 'red' },
        ],
      });
      expect(badColumn).toMatchObject({ status: 99 });
      expect(sandbox.tracker.activity(id)?.subject).toBe('Apriora Interview (updated)');
      expect(await widget(sandbox, 'updateRecord', { instructions: { recordtype: 'A', recordid: 1 }, updates: [] })).toMatchObject({ status: 99 });
    });

    it('updateRecord takes integer ids for id-typed columns of a candidate', async () => {
      const candidate = sandbox.tracker.candidates[1];
      const placed = sandbox.tracker.settings.resourceStatuses.find((status) => status.Name === 'Placed');
      const ok = await widget(sandbox, 'updateRecord', {
        instructions: { recordtype: 'R', recordid: candidate?.id },
        updates: [{ column: 'resourcestatusid', value: String(placed?.Id) }],
      });
      expect(ok.status).toBe(0);
      expect(candidate?.status).toBe('Placed');
      const byName = await widget(sandbox, 'updateRecord', {
        instructions: { recordtype: 'R', recordid: candidate?.id },
        updates: [{ column: 'resourcestatusid', value: 'Placed' }],
      });
      expect(byName.status).toBe(99);
    });
  });

  describe('faults', () => {
    it('answers 503 with an HTML body', async () => {
      sandbox.faults.push({ kind: '5xx' });
      const response = await post(sandbox, 'checkLogon', '{}');
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      await response.text();
      expect(await widget(sandbox, 'checkLogon')).toMatchObject({ status: 0 });
    });

    it('answers 429 with Retry-After', async () => {
      sandbox.faults.push({ kind: '429', op: 'getRecords' });
      expect(await widget(sandbox, 'checkLogon')).toMatchObject({ status: 0 });
      const response = await post(sandbox, 'getRecords', '{}');
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('1');
      await response.text();
    });

    it('drops the connection on reset', async () => {
      sandbox.faults.push({ kind: 'reset' });
      await expect(post(sandbox, 'checkLogon', '{}')).rejects.toThrow();
      expect(sandbox.requests.at(-1)).toMatchObject({ op: 'checkLogon', httpStatus: null, fault: 'reset' });
    });

    it('after-commit: the write is in the state while the answer failed (502 or reset)', async () => {
      const candidateId = sandbox.tracker.candidates[0]?.id ?? 0;
      const call = (subject: string) =>
        post(
          sandbox,
          'createActivity',
          JSON.stringify({
            trackerrms: {
              createActivity: {
                credentials: credentialsOf(sandbox),
                activity: { subject, type: 'Call', date: '2025-06-03', time: '09:00 AM', linkRecordType: 'R', linkRecordId: candidateId },
              },
            },
          }),
        );
      sandbox.faults.push({ kind: 'after-commit' }, { kind: 'after-commit', op: 'createActivity', mode: 'reset' });

      // a read is not a write: the queued after-commit fault waits for the next write
      expect(await widget(sandbox, 'checkLogon')).toMatchObject({ status: 0 });
      const failed = await call('first');
      expect(failed.status).toBe(502);
      await failed.text();
      expect(sandbox.tracker.activities.some((a) => a.subject === 'first')).toBe(true);

      await expect(call('second')).rejects.toThrow();
      expect(sandbox.tracker.activities.some((a) => a.subject === 'second')).toBe(true);
      expect(sandbox.requests.slice(-2).map((r) => [r.httpStatus, r.appStatus, r.fault])).toEqual([
        [502, 0, 'after-commit'],
        [null, 0, 'after-commit'],
      ]);
    });

    it('random faults follow failRate and kinds, reproducibly with a seed', async () => {
      sandbox.faults.configure({ failRate: 1, kinds: ['5xx'], seed: 7 });
      const response = await post(sandbox, 'checkLogon', '{}');
      expect(response.status).toBe(503);
      await response.text();

      const sequence = (seed: number) => {
        const controller = new FaultController({ failRate: 0.5, seed, latencyJitterMs: 100 });
        return Array.from({ length: 20 }, () => {
          const decision = controller.decide({ api: 'tracker', op: 'createActivity', isWrite: true });
          return `${decision.delayMs}:${decision.fault?.kind ?? '-'}`;
        });
      };
      expect(sequence(42)).toEqual(sequence(42));
      expect(sequence(42)).not.toEqual(sequence(43));
      expect(new Set(sequence(42).map((entry) => entry.split(':')[1])).size).toBeGreaterThan(2);
    });

    it('delays answers by latencyMs', async () => {
      sandbox.faults.configure({ latencyMs: 150 });
      const started = performance.now();
      expect(await widget(sandbox, 'checkLogon')).toMatchObject({ status: 0 });
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('enforces rateLimitPerMinute with 429 and a Retry-After in seconds', async () => {
      sandbox.faults.configure({ rateLimitPerMinute: 3 });
      for (let i = 0; i < 3; i += 1) expect(await widget(sandbox, 'checkLogon')).toMatchObject({ status: 0 });
      const limited = await post(sandbox, 'checkLogon', '{}');
      expect(limited.status).toBe(429);
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      await limited.text();
      expect(sandbox.requests.at(-1)).toMatchObject({ httpStatus: 429, fault: 'rate-limit' });
    });
  });

  describe('admin endpoints', () => {
    const admin = (path: string, init?: RequestInit) => fetch(`${sandbox.url}/__sandbox/${path}`, init);

    it('reports health, dumps the state and the request log with credentials masked', async () => {
      expect(await (await admin('health')).json()).toMatchObject({ ok: true, trackerUrl: sandbox.trackerUrl });
      await widget(sandbox, 'checkLogon');

      const log = (await (await admin('requests?op=checkLogon')).json()) as { requests: Json[] };
      expect(log.requests).toHaveLength(1);
      const body = log.requests[0]?.body as { trackerrms: { checkLogon: { credentials: Json } } };
      expect(body.trackerrms.checkLogon.credentials).toEqual({ username: '***', password: '***', apikey: '***', oauthtoken: '' });
      expect(JSON.stringify(log)).not.toContain(sandbox.credentials.password);
      expect(log.requests[0]).toMatchObject({ httpStatus: 200, appStatus: 0, api: 'tracker' });

      const state = (await (await admin('state')).json()) as { tracker: unknown };
      const reloaded = loadTrackerSeed(state.tracker);
      expect(reloaded.jobs).toHaveLength(sandbox.tracker.jobs.length);
    });

    it('sets faults and queues one-shot faults, and reset restores everything', async () => {
      const set = await admin('faults', { method: 'POST', body: JSON.stringify({ latencyMs: 5, oneShot: [{ kind: '5xx', op: 'getSettingsData' }] }) });
      expect(await set.json()).toMatchObject({ options: { latencyMs: 5 }, queue: [{ kind: '5xx', op: 'getSettingsData' }] });
      const faulted = await post(sandbox, 'getSettingsData', '{}');
      expect(faulted.status).toBe(503);
      await faulted.text();

      const bad = await admin('faults', { method: 'POST', body: JSON.stringify({ failRate: 2 }) });
      expect(bad.status).toBe(400);
      await bad.text();

      const added = await admin('tracker/jobs', { method: 'POST', body: JSON.stringify({ title: 'Night Nurse', clientId: 34001, status: 'Open' }) });
      expect(added.status).toBe(201);
      const { job } = (await added.json()) as { job: { id: number; reference: string } };
      expect(job.reference).toBe(`JOB-${job.id}`);
      expect(sandbox.tracker.job(job.id)?.title).toBe('Night Nurse');

      expect((await admin('reset', { method: 'POST' })).status).toBe(200);
      expect(sandbox.tracker.job(job.id)).toBeUndefined();
      expect(sandbox.requests).toHaveLength(0);
      expect(sandbox.faults.describe().options.latencyMs).toBe(0);
    });
  });
});

describe('seed', () => {
  it('is deterministic and realistic', () => {
    const a = generateTrackerSeed();
    expect(generateTrackerSeed()).toEqual(a);
    expect(a.jobs).toHaveLength(12);
    expect(a.candidates).toHaveLength(20);
    expect(new Set(a.candidates.map((c) => c.email)).size).toBe(20);
    expect(new Set(a.jobs.map((j) => j.status)).size).toBeGreaterThan(3);
    expect(a.jobs[0]?.description).toMatch(/^<p>We are looking for a .+<\/p>.*<ul><li>/);
  });

  it('rejects an invalid seed file with every problem and its path', () => {
    let message = '';
    try {
      loadTrackerSeed(
        {
          jobs: [
            { id: 1, title: 'X', clientId: 5 },
            { id: 1, title: '' },
          ],
        },
        'seed.json',
      );
    } catch (error) {
      message = error instanceof Error ? error.message : '';
    }
    expect(message).toMatch(/^seed\.json is invalid/);
    for (const problem of ['duplicate id 1', 'at jobs[1].title', 'no client 5', 'at jobs[0].clientId']) {
      expect(message).toContain(problem);
    }
    expect(() => loadTrackerSeed({ jobs: 'none' })).toThrow(/expected array/);
    const minimal = loadTrackerSeed({ jobs: [{ id: 10, title: 'Welder' }] });
    expect(minimal.jobs[0]).toMatchObject({ reference: 'JOB-10', status: 'Open' });
    expect(minimal.settings.taskTypes.some((t) => t.Name === 'Apriora Interview')).toBe(true);
  });
});
