import { expect } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { type Answer, type ConformanceCase, conformance, envelope, widget } from './harness.js';

/** The Widget operations (spec §3): each op's required parts and types, updateRecord's column lists, record types. */

const call =
  (op: string, rest: Record<string, unknown> = {}) =>
  (sandbox: RunningSandbox) =>
    widget(sandbox, op, envelope(sandbox, op, rest));

const firstCandidate = (sandbox: RunningSandbox): number => sandbox.tracker.candidates[0]!.id;
const firstJob = (sandbox: RunningSandbox): number => sandbox.tracker.jobs[0]!.id;
const firstActivity = (sandbox: RunningSandbox): number => sandbox.tracker.activities[0]!.id;

const update = (recordtype: string, recordid: (sandbox: RunningSandbox) => number, column: string, value: string | number) => (sandbox: RunningSandbox) =>
  widget(
    sandbox,
    'updateRecord',
    envelope(sandbox, 'updateRecord', { instructions: { recordtype, recordid: recordid(sandbox) }, updates: [{ column, value }] }),
  );

const OK = { http: 200, body: { status: 0 } };
const INVALID = { http: 200, body: { status: 99 } };
const invalidColumn = (column: string) => ({ http: 200, body: { status: 99, message: `Invalid column name '${column}'.` } });

/** Tracker's column names for candidates (R), with a value each column takes. */
const CANDIDATE_COLUMNS: Record<string, string | number> = {
  firstname: 'Ada',
  surname: 'Lovelace',
  preferredname: 'Addie',
  email: 'ada.lovelace@example.com',
  email2: 'ada@home.example',
  mobilephone: '(617) 555-0199',
  homephone: '617 555 0100',
  workphone: '617 555 0101',
  jobtitle: 'Analyst',
  town: 'Boston',
  county: 'MA',
  postcode: '02110',
  country: 'USA',
  linkedin: 'https://www.linkedin.com/in/ada',
  source: 'Referral',
  note: 'Met at a meetup',
  availability: 'Two weeks',
  resourcestatusid: 2,
};
/** createResource's field names: not columns of the candidate table. */
const NOT_CANDIDATE_COLUMNS = ['lastname', 'cellphone', 'city', 'zipcode', 'state', 'fullname', 'status'];

const JOB_COLUMNS: Record<string, string | number> = {
  opportunityname: 'Night Nurse',
  description: '<p>Nights</p>',
  location: 'Downtown',
  city: 'Boston',
  state: 'MA',
  salarypayrate: 65000,
  feebillrate: 12000,
  startdate: '2026-01-05',
  enddate: '2026-06-30',
  opportunitystatusid: 4,
};
const NOT_JOB_COLUMNS = ['title', 'jobtitle', 'country', 'status'];

const ACTIVITY_COLUMNS: Record<string, string> = {
  subject: 'Phone screen',
  note: 'Went well',
  taskstatus: 'Completed',
  priority: 'High',
  contacttype: 'Phone',
  startdate: '2026-01-05',
  starttime: '10:30 AM',
  activitytype: 'Call',
};
const NOT_ACTIVITY_COLUMNS = ['date', 'time', 'type', 'status'];

/** updateRecord of one record type: each of its columns accepted, each name that is not one refused with 99. */
function columnsOf(
  type: 'R' | 'O' | 'A',
  noun: string,
  record: Parameters<typeof update>[1],
  columns: Record<string, string | number>,
  notColumns: string[],
  why = '',
): ConformanceCase[] {
  return [
    ...Object.entries(columns).map(([column, value]) => ({
      name: `updateRecord ${type}: "${column}" is ${noun} column → 0`,
      send: update(type, record, column, value),
      expect: OK,
    })),
    ...notColumns.map((column) => ({
      name: `updateRecord ${type}: "${column}"${why} is not ${noun} column → 99 Invalid column name`,
      send: update(type, record, column, 'x'),
      expect: invalidColumn(column),
    })),
  ];
}

const columnCases: ConformanceCase[] = [
  ...columnsOf('R', 'a candidate', firstCandidate, CANDIDATE_COLUMNS, NOT_CANDIDATE_COLUMNS, ' (a createResource field name)'),
  ...columnsOf('O', 'a job', firstJob, JOB_COLUMNS, NOT_JOB_COLUMNS),
  ...columnsOf('A', 'an activity', firstActivity, ACTIVITY_COLUMNS, NOT_ACTIVITY_COLUMNS),
  {
    name: 'updateRecord R: the columns land in the record (surname, mobilephone, town, postcode)',
    send: (sandbox) =>
      widget(
        sandbox,
        'updateRecord',
        envelope(sandbox, 'updateRecord', {
          instructions: { recordtype: 'R', recordid: firstCandidate(sandbox) },
          updates: [
            { column: 'surname', value: 'Lovelace' },
            { column: 'mobilephone', value: '(617) 555-0199' },
            { column: 'town', value: 'Boston' },
            { column: 'postcode', value: '02110' },
          ],
        }),
      ),
    expect: OK,
    check: (_answer, sandbox) => {
      expect(sandbox.tracker.candidates[0]).toMatchObject({ lastname: 'Lovelace', cellphone: '(617) 555-0199', city: 'Boston', zipcode: '02110' });
    },
  },
  {
    name: 'updateRecord: one unknown column among good ones → 99 and nothing is written',
    send: (sandbox) =>
      widget(
        sandbox,
        'updateRecord',
        envelope(sandbox, 'updateRecord', {
          instructions: { recordtype: 'R', recordid: firstCandidate(sandbox) },
          updates: [
            { column: 'town', value: 'Nowhere' },
            { column: 'city', value: 'Nowhere' },
          ],
        }),
      ),
    expect: invalidColumn('city'),
    check: (_answer, sandbox) => {
      expect(sandbox.tracker.candidates[0]!.city).not.toBe('Nowhere');
    },
  },
  { name: 'updateRecord A: startdate that is not YYYY-MM-DD → 99', send: update('A', firstActivity, 'startdate', '05/01/2026'), expect: INVALID },
  { name: 'updateRecord A: starttime that is not "hh:mm AM" → 99', send: update('A', firstActivity, 'starttime', 'noon'), expect: INVALID },
  { name: 'updateRecord A: activitytype in the wrong case ("call") → 99', send: update('A', firstActivity, 'activitytype', 'call'), expect: INVALID },
  {
    name: 'updateRecord R: resourcestatusid that is not an integer id → 99',
    send: update('R', firstCandidate, 'resourcestatusid', 'Available'),
    expect: INVALID,
  },
  { name: 'updateRecord R: resourcestatusid of no status → 99', send: update('R', firstCandidate, 'resourcestatusid', 999), expect: INVALID },
  { name: 'updateRecord O: salarypayrate that is not a number → 99', send: update('O', firstJob, 'salarypayrate', 'lots'), expect: INVALID },
  { name: 'updateRecord R: a record that does not exist → 99', send: update('R', () => 999_999, 'town', 'Boston'), expect: INVALID },
  { name: 'updateRecord: without instructions → 99', send: call('updateRecord', { updates: [{ column: 'town', value: 'x' }] }), expect: INVALID },
  {
    name: 'updateRecord: recordid that is not an integer → 99',
    send: call('updateRecord', { instructions: { recordtype: 'R', recordid: 'abc' }, updates: [] }),
    expect: INVALID,
  },
];

const RECORD_TYPES_WITH_ROWS = ['C', 'N', 'X'];
const RECORD_TYPES_WITHOUT_ROWS = ['L', 'P', 'T'];
const getRecords = (recordtype: string, more: Record<string, unknown> = {}) => call('getRecords', { instructions: { recordtype, ...more } });
const results = (answer: Answer): Record<string, unknown>[] => answer.body.results as Record<string, unknown>[];
const detailsOf = (answer: Answer): Record<string, unknown>[] => results(answer).map((row) => row.details as Record<string, unknown>);

const recordTypeCases: ConformanceCase[] = [
  ...[...RECORD_TYPES_WITH_ROWS, ...RECORD_TYPES_WITHOUT_ROWS, 'O', 'R', 'A'].map((type) => ({
    name: `getRecords recordtype "${type}" is a Tracker record type → 0 with a results list`,
    send: getRecords(type),
    expect: OK,
    check: (answer: Answer) => {
      expect(Array.isArray(answer.body.results)).toBe(true);
      expect(answer.body.count).toBe(results(answer).length);
      expect(String(answer.body.message)).not.toMatch(/sandbox/i);
    },
  })),
  {
    name: 'getRecords C lists clients, N contacts, X placed applicants: rows with id, name and details',
    send: getRecords('C'),
    expect: OK,
    check: async (answer, sandbox) => {
      expect(results(answer).length).toBe(sandbox.tracker.clients.length);
      const contacts = await widget(sandbox, 'getRecords', envelope(sandbox, 'getRecords', { instructions: { recordtype: 'N' } }));
      expect(results(contacts).length).toBe(Math.min(100, sandbox.tracker.contacts.length));
      expect(results(contacts)[0]).toMatchObject({ id: expect.any(Number), name: expect.any(String), details: expect.any(Object) });
    },
  },
  { name: 'getRecords recordtype "Z" is not a record type → 99', send: getRecords('Z'), expect: INVALID },
  { name: 'getRecords without a recordtype → 99', send: call('getRecords', { instructions: {} }), expect: INVALID },
  {
    name: 'getRecords O rows carry details.values, details.shortlisted and details.Owners',
    send: getRecords('O'),
    expect: OK,
    check: (answer) => {
      for (const details of detailsOf(answer)) {
        expect(details).toHaveProperty('values');
        expect(details.shortlisted).toEqual(expect.any(Number));
        expect(Array.isArray(details.Owners)).toBe(true);
      }
      expect(detailsOf(answer).some((details) => (details.Owners as unknown[]).length > 0)).toBe(true);
    },
  },
  {
    name: 'getRecords A rows carry details.activityTypeId, datedue and timedue beside activityid, ActivityTypeName, startdate',
    send: getRecords('A'),
    expect: OK,
    check: (answer, sandbox) => {
      expect(results(answer).length).toBeGreaterThan(0);
      const types = new Map(sandbox.tracker.settings.taskTypes.map((type) => [type.Name, type.Id]));
      for (const details of detailsOf(answer)) {
        expect(details).toMatchObject({ activityid: expect.any(Number), ActivityTypeName: expect.any(String), startdate: expect.any(String) });
        expect(details.activityTypeId).toBe(types.get(details.ActivityTypeName as string));
        expect(details.datedue).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(details.timedue).toMatch(/^\d{2}:\d{2} (AM|PM)$/);
      }
    },
  },
  {
    name: 'getIndividualRecord L, P or T of an id the database lacks → 0 with no results',
    send: call('getIndividualRecord', { instructions: { recordtype: 'L', recordid: 1 } }),
    expect: { http: 200, body: { status: 0, count: 0, results: [] } },
  },
  {
    name: 'getIndividualRecord C (not one of L, O, P, T, A, R) → 99',
    send: call('getIndividualRecord', { instructions: { recordtype: 'C', recordid: 1 } }),
    expect: INVALID,
  },
  { name: 'getIndividualRecord without recordid → 99', send: call('getIndividualRecord', { instructions: { recordtype: 'O' } }), expect: INVALID },
];

const activity = (sandbox: RunningSandbox, fields: Record<string, unknown>) => ({
  subject: 'Phone screen',
  type: 'Call',
  date: '2026-01-05',
  time: '10:30 AM',
  linkRecordType: 'R',
  linkRecordId: firstCandidate(sandbox),
  ...fields,
});
const createActivity = (fields: Record<string, unknown>) => (sandbox: RunningSandbox) =>
  widget(sandbox, 'createActivity', envelope(sandbox, 'createActivity', { activity: activity(sandbox, fields) }));

const activityCases: ConformanceCase[] = [
  {
    name: 'createActivity with an exact type name and a link to a candidate → 0 created, linked',
    send: createActivity({}),
    expect: { http: 200, body: { status: 0, message: 'created' } },
    check: (_answer, sandbox) => {
      expect(sandbox.tracker.activities.at(-1)).toMatchObject({ type: 'Call', linkRecordType: 'R', linkRecordId: firstCandidate(sandbox) });
    },
  },
  {
    name: 'createActivity with type "call" (wrong case) → 99, nothing created',
    send: createActivity({ type: 'call' }),
    expect: INVALID,
    check: (_answer, sandbox) => {
      expect(sandbox.tracker.activities.some((a) => a.subject === 'Phone screen')).toBe(false);
    },
  },
  { name: 'createActivity with a type that does not exist → 99', send: createActivity({ type: 'Coffee' }), expect: INVALID },
  { name: 'createActivity with linkRecordType "r" (a record type in lower case) → 99', send: createActivity({ linkRecordType: 'r' }), expect: INVALID },
  { name: 'createActivity without a type → 99', send: createActivity({ type: '' }), expect: INVALID },
  {
    name: 'createActivity with linkRecordType "" (no link) → 99: a link is required',
    send: createActivity({ linkRecordType: '', linkRecordId: 0 }),
    expect: INVALID,
  },
  { name: 'createActivity without linkRecordId → 99', send: createActivity({ linkRecordId: undefined }), expect: INVALID },
  { name: 'createActivity linked to a candidate that does not exist → 99', send: createActivity({ linkRecordId: 999_999 }), expect: INVALID },
  { name: 'createActivity linked to a lead the database lacks → 99', send: createActivity({ linkRecordType: 'L', linkRecordId: 1 }), expect: INVALID },
  { name: 'createActivity with linkRecordType "A" (not a link type) → 99', send: createActivity({ linkRecordType: 'A', linkRecordId: 9001 }), expect: INVALID },
  { name: 'createActivity with date not YYYY-MM-DD → 99', send: createActivity({ date: '05/01/2026' }), expect: INVALID },
  { name: 'createActivity with time not "hh:mm AM" → 99', send: createActivity({ time: '25:00' }), expect: INVALID },
  { name: 'createActivity without an activity object → 99', send: call('createActivity', {}), expect: INVALID },
  {
    name: 'createActivity linked to a job → 0',
    send: (sandbox) => createActivity({ linkRecordType: 'O', linkRecordId: firstJob(sandbox) })(sandbox),
    expect: OK,
  },
];

const resource = (fields: Record<string, unknown>) => ({ firstname: 'Ada', lastname: 'Lovelace', email: 'ada.lovelace@example.com', ...fields });

const resourceCases: ConformanceCase[] = [
  {
    name: 'createResource with a status from resourceStatuses → 0 with recordId',
    send: call('createResource', { resource: resource({ status: 'Available' }) }),
    expect: { http: 200, body: { status: 0, recordId: expect.any(Number), recordName: 'Ada Lovelace' } },
  },
  {
    name: 'createResource with a status not in resourceStatuses → 99, nothing created',
    send: call('createResource', { resource: resource({ status: 'Superstar' }) }),
    expect: INVALID,
    check: (_answer, sandbox) => {
      expect(sandbox.tracker.candidateByEmail('ada.lovelace@example.com')).toBeUndefined();
    },
  },
  {
    name: 'createResource with a status in the wrong case ("available") → 99',
    send: call('createResource', { resource: resource({ status: 'available' }) }),
    expect: INVALID,
  },
  { name: 'createResource without a resource object → 99', send: call('createResource', {}), expect: INVALID },
  { name: 'createResource without any name → 99', send: call('createResource', { resource: { email: 'nobody@example.com' } }), expect: INVALID },
  {
    name: 'createResource for an e-mail that exists, without overwriteresource → 3 with recordId 0',
    send: (sandbox) => call('createResource', { resource: resource({ email: sandbox.tracker.candidates[0]!.email }) })(sandbox),
    expect: { http: 200, body: { status: 3, recordId: 0 } },
  },
  {
    name: 'createResource assigning to a job that does not exist → 99',
    send: call('createResource', { instructions: { assigntoopportunity: 999_999 }, resource: resource({}) }),
    expect: INVALID,
  },
];

/** A candidate with no row on the first job, and one that has a row there. */
function pair(sandbox: RunningSandbox, onJob: boolean): { opportunityid: number; resourceid: number } {
  const job = firstJob(sandbox);
  const on = new Set(sandbox.tracker.applicationsForJob(job).map((a) => a.resourceId));
  const candidate = sandbox.tracker.candidates.find((c) => on.has(c.id) === onJob)!;
  return { opportunityid: job, resourceid: candidate.id };
}

const applicationCases: ConformanceCase[] = [
  {
    name: 'resourceApplication for a candidate not on the job → 0, an Applied row on the long list',
    send: (sandbox) => call('resourceApplication', { instructions: { ...pair(sandbox, false), assigntolist: 'long' } })(sandbox),
    expect: OK,
    check: (_answer, sandbox) => {
      expect(sandbox.tracker.applications.at(-1)).toMatchObject({ list: 'long', status: 'Applied', active: true });
    },
  },
  {
    name: 'resourceApplication for a candidate already on that job → 3 (the record exists), the row unchanged',
    send: async (sandbox) => {
      const target = pair(sandbox, true);
      const before = structuredClone(sandbox.tracker.application(target.opportunityid, target.resourceid));
      const answer = await call('resourceApplication', { instructions: { ...target, assigntolist: 'short' } })(sandbox);
      expect(sandbox.tracker.application(target.opportunityid, target.resourceid)).toEqual(before);
      return answer;
    },
    expect: { http: 200, body: { status: 3 } },
  },
  {
    name: 'resourceApplication for a withdrawn (inactive) row → 3 as well',
    send: async (sandbox) => {
      const withdrawn = sandbox.tracker.applications.find((a) => !a.active)!;
      return call('resourceApplication', { instructions: { opportunityid: withdrawn.opportunityId, resourceid: withdrawn.resourceId } })(sandbox);
    },
    expect: { http: 200, body: { status: 3 } },
  },
  { name: 'resourceApplication without instructions → 99', send: call('resourceApplication', {}), expect: INVALID },
  {
    name: 'resourceApplication with a job that does not exist → 99',
    send: (sandbox) => call('resourceApplication', { instructions: { opportunityid: 999_999, resourceid: firstCandidate(sandbox) } })(sandbox),
    expect: INVALID,
  },
  {
    name: 'resourceApplication with assigntolist "middle" → 99',
    send: (sandbox) => call('resourceApplication', { instructions: { ...pair(sandbox, false), assigntolist: 'middle' } })(sandbox),
    expect: INVALID,
  },
];

const SETTINGS_LISTS = [
  'opportunityStatuses',
  'resourceStatuses',
  'resourceSources',
  'taskTypes',
  'opportunityResourceStatuses',
  'accessRights',
  'leadStatuses',
  'leadSources',
  'opportunityWorkTypes',
  'projectStatuses',
  'departments',
  'ticketTypes',
  'ticketStatuses',
  'userTeams',
];

const settingsCases: ConformanceCase[] = [
  {
    name: `getSettingsData lists ${SETTINGS_LISTS.join(', ')} as [{Id, Name}]`,
    send: call('getSettingsData'),
    expect: OK,
    check: (answer) => {
      for (const list of SETTINGS_LISTS) {
        const entries = answer.body[list] as unknown[];
        expect(entries, list).toEqual(expect.arrayContaining([{ Id: expect.any(Number), Name: expect.any(String) }]));
        for (const entry of entries) expect(Object.keys(entry as object).sort(), list).toEqual(['Id', 'Name']);
      }
    },
  },
  {
    name: 'getSettingsData: opportunityResourceStatuses are the applicant statuses (Applied, Shortlisted, …)',
    send: call('getSettingsData'),
    expect: OK,
    check: (answer) => {
      const names = (answer.body.opportunityResourceStatuses as { Name: string }[]).map((s) => s.Name);
      expect(names).toEqual(expect.arrayContaining(['Applied', 'Shortlisted']));
    },
  },
  {
    name: 'getSettingsData: customFields, customFieldLists, users and namingConventions as documented',
    send: call('getSettingsData'),
    expect: OK,
    check: (answer) => {
      expect(answer.body.customFields).toEqual(
        expect.arrayContaining([{ Association: expect.any(String), Id: 448, Name: 'Overall Score', Type: 'Number', ListId: null }]),
      );
      expect(answer.body.customFieldLists).toEqual(expect.arrayContaining([expect.objectContaining({ Id: expect.any(Number), Items: expect.any(Array) })]));
      expect(answer.body.users).toEqual(
        expect.arrayContaining([
          { UserId: expect.any(Number), Username: expect.any(String), Email: expect.any(String), LastLogon: expect.anything(), Active: true },
        ]),
      );
      expect(answer.body.namingConventions).toMatchObject({ opportunity: expect.any(String), resource: expect.any(String) });
    },
  },
];

const checkPersonCases: ConformanceCase[] = [
  { name: 'checkPerson without details → 99', send: call('checkPerson', {}), expect: INVALID },
  { name: 'checkPerson with neither e-mail nor phone → 99', send: call('checkPerson', { details: { email: '', phone: '' } }), expect: INVALID },
  {
    name: 'checkPerson by a candidate e-mail → 0 with recordTypes holding R and no record id',
    send: (sandbox) => call('checkPerson', { details: { email: sandbox.tracker.candidates[0]!.email } })(sandbox),
    expect: { http: 200, body: { status: 0, recordTypes: expect.stringContaining('R') } },
    check: (answer) => {
      expect(answer.body.firstRecord).not.toHaveProperty('id');
    },
  },
];

conformance('Widget API: updateRecord columns', columnCases);
conformance('Widget API: record types and list rows', recordTypeCases);
conformance('Widget API: createActivity', activityCases);
conformance('Widget API: createResource', resourceCases);
conformance('Widget API: resourceApplication', applicationCases);
conformance('Widget API: getSettingsData', settingsCases);
conformance('Widget API: checkPerson', checkPersonCases);
