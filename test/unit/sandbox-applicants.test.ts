import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateTrackerSeed, loadTrackerSeed, type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';

type Json = Record<string, unknown>;

describe('sandbox: applicants in the Tracker database', () => {
  let sandbox: RunningSandbox;

  async function widget(op: string, parts: Json = {}): Promise<Json> {
    const { apiKey, username, password } = sandbox.credentials;
    const response = await fetch(`${sandbox.trackerUrl}/api/widget/${op}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ trackerrms: { [op]: { credentials: { apikey: apiKey, username, password, oauthtoken: '' }, ...parts } } }),
    });
    return (await response.json()) as Json;
  }
  async function admin(path: string, body?: unknown): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${sandbox.url}/__sandbox/${path}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Json };
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

  describe('seed', () => {
    const seed = generateTrackerSeed();
    const openIds = new Set(
      seed.jobs.filter((job) => seed.settings.opportunityStatuses.find((status) => status.Name === job.status)?.State === 'open').map((job) => job.id),
    );
    const candidate = (id: number) => seed.candidates.find((each) => each.id === id)!;

    it('puts applicants on the open jobs with several statuses, inactive rows among them', () => {
      const statuses = seed.settings.opportunityResourceStatuses.map((status) => status.Name);
      expect(statuses).toEqual(['Applied', 'Shortlisted', 'Interview', 'Offered', 'Placed', 'Rejected']);
      const onOpen = seed.applications.filter((row) => openIds.has(row.opportunityId));
      expect(new Set(onOpen.map((row) => row.opportunityId)).size).toBe(openIds.size);
      expect(new Set(onOpen.map((row) => row.status)).size).toBeGreaterThanOrEqual(4);
      expect(onOpen.filter((row) => !row.active).length).toBeGreaterThanOrEqual(2);
      for (const row of seed.applications) expect(statuses).toContain(row.status);
      expect(seed.applications.some((row) => !openIds.has(row.opportunityId))).toBe(true);
    });

    it('has the first open job as a showcase: phones in local formats, none, garbage, no e-mail, a withdrawn row', () => {
      const rows = seed.applications.filter((row) => row.opportunityId === 3101);
      const people = rows.map((row) => ({ ...candidate(row.resourceId), status: row.status, active: row.active }));
      expect(people.map((person) => [person.cellphone, person.status, person.active])).toEqual([
        ['(617) 555-0110', 'Applied', true],
        ['617.555.0134', 'Applied', true],
        ['', 'Applied', true],
        ['07700 900123', 'Applied', true],
        ['ext 12', 'Applied', true],
        ['', 'Applied', false],
        ['(617) 555-0116', 'Shortlisted', true],
        ['617.555.0152', 'Applied', true],
      ]);
      expect(people.filter((person) => person.email === '')).toHaveLength(1);
      expect(people[2]).toMatchObject({ workphone: '', homephone: '' });
      expect(people[5]).toMatchObject({ workphone: '+1 212 555 0115', homephone: '(212) 555-0145' });
    });

    it('has a candidate on two jobs, and candidates with and without phones', () => {
      const jobsOf = new Map<number, number>();
      for (const row of seed.applications) jobsOf.set(row.resourceId, (jobsOf.get(row.resourceId) ?? 0) + 1);
      const olivia = seed.applications.filter((row) => row.resourceId === 5001 && openIds.has(row.opportunityId));
      expect(olivia.length).toBeGreaterThanOrEqual(2);
      const phoneless = seed.candidates.filter((each) => each.cellphone === '' && each.workphone === '' && each.homephone === '');
      expect(phoneless.length).toBeGreaterThan(0);
      expect(phoneless.length).toBeLessThan(seed.candidates.length);
    });

    it('generates bulk applicant rows: extraApplicants spread over the jobs, jobApplicants filling one job', () => {
      const big = generateTrackerSeed({ extraApplicants: 1914, jobApplicants: { 3102: 50 } });
      expect(big.applications).toHaveLength(2000);
      expect(big.applications.filter((row) => row.opportunityId === 3102)).toHaveLength(50);
      expect(new Set(big.applications.map((row) => row.id)).size).toBe(2000);
      const perJob = big.jobs.filter((job) => job.id !== 3102).map((job) => big.applications.filter((row) => row.opportunityId === job.id).length);
      expect(Math.min(...perJob)).toBeGreaterThan(150);
      expect(generateTrackerSeed({ extraApplicants: 1914, jobApplicants: { 3102: 50 } })).toEqual(big);
      expect(() => generateTrackerSeed({ jobApplicants: { 99: 1 } })).toThrow(/job 99/);
    });

    it('rejects a seed whose applicant status is unknown or that lists a candidate twice on a job', () => {
      const base = { jobs: [{ id: 1, title: 'Welder' }], candidates: [{ id: 2, firstname: 'A' }] };
      expect(() => loadTrackerSeed({ ...base, applications: [{ id: 3, opportunityId: 1, resourceId: 2, status: 'Hired' }] })).toThrow(/"Hired" is not in/);
      expect(() =>
        loadTrackerSeed({
          ...base,
          applications: [
            { id: 3, opportunityId: 1, resourceId: 2 },
            { id: 4, opportunityId: 1, resourceId: 2 },
          ],
        }),
      ).toThrow(/twice/);
    });
  });

  describe('Widget API', () => {
    it('getSettingsData lists opportunityResourceStatuses; getIndividualRecord R has the three phones', async () => {
      const settings = await widget('getSettingsData');
      expect(settings.opportunityResourceStatuses).toEqual(sandbox.tracker.settings.opportunityResourceStatuses);
      const record = await widget('getIndividualRecord', { instructions: { recordtype: 'R', recordid: 5006 } });
      expect((record.results as Json[])[0]).toMatchObject({ cellphone: '', workphone: '+1 212 555 0115', homephone: '(212) 555-0145' });
    });

    it('resourceApplication makes an applicant row: Applied on the long list, Shortlisted on the short one', async () => {
      const before = sandbox.tracker.applications.length;
      expect(await widget('resourceApplication', { instructions: { opportunityid: 3103, resourceid: 5009, source: 'Website' } })).toMatchObject({ status: 0 });
      expect(sandbox.tracker.applicantRows(3103).at(-1)).toMatchObject({
        opportunityResourceId: sandbox.tracker.applications.at(-1)!.id,
        resourceId: 5009,
        opportunityResourceStatusName: 'Applied',
        opportunityResourceStatusId: 1,
        activeRecord: 'y',
        source: 'Website',
      });
      expect(await widget('resourceApplication', { instructions: { opportunityid: 3103, resourceid: 5015, assigntolist: 'short' } })).toMatchObject({
        status: 0,
      });
      expect(sandbox.tracker.applicantRows(3103).at(-1)).toMatchObject({ resourceId: 5015, opportunityResourceStatusName: 'Shortlisted' });
      expect(sandbox.tracker.applications).toHaveLength(before + 2);
      // again: the row exists
      expect(await widget('resourceApplication', { instructions: { opportunityid: 3103, resourceid: 5009 } })).toMatchObject({ status: 3 });
    });

    it('resourceApplication for a withdrawn row is "record exists" (3): the row stays withdrawn', async () => {
      const withdrawn = sandbox.tracker.applications.find((row) => !row.active && row.opportunityId === 3101)!;
      expect(await widget('resourceApplication', { instructions: { opportunityid: 3101, resourceid: withdrawn.resourceId } })).toMatchObject({
        status: 3,
      });
      expect(sandbox.tracker.applications.find((row) => row.id === withdrawn.id)).toMatchObject({ active: false });
    });

    it('createResource with assigntoopportunity makes an applicant row', async () => {
      const answer = await widget('createResource', {
        instructions: { assigntoopportunity: 3101 },
        resource: { firstname: 'Ada', lastname: 'Lovelace', email: 'ada.new@example.com', cellphone: '(617) 555-0199', source: 'Apriora' },
      });
      expect(answer).toMatchObject({ status: 0, recordId: expect.any(Number) });
      expect(sandbox.tracker.applicantRows(3101).at(-1)).toMatchObject({
        resourceId: answer.recordId,
        opportunityResourceStatusName: 'Applied',
        resourceDisplayAs: 'Ada Lovelace',
        resourceEmail: 'ada.new@example.com',
        source: 'Apriora',
      });
    });
  });

  describe('POST /__sandbox/applications', () => {
    it('creates the candidate when needed and the applicant row; GET lists a job’s rows', async () => {
      const created = await admin('applications', {
        jobId: 3103,
        email: 'Grace.Hopper@example.com',
        firstName: 'Grace',
        lastName: 'Hopper',
        phone: '(617) 555-0177',
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        application: expect.objectContaining({
          opportunityId: 3103,
          opportunityResourceStatusName: 'Applied',
          activeRecord: 'y',
          resourceEmail: 'Grace.Hopper@example.com',
        }),
        candidate: {
          candidateId: expect.any(Number),
          name: 'Grace Hopper',
          email: 'Grace.Hopper@example.com',
          cellphone: '(617) 555-0177',
          workphone: '',
          homephone: '',
          created: true,
        },
      });
      const known = await admin('applications', { jobId: 3103, email: 'olivia.bennett@example.com', status: 'shortlisted' });
      expect(known.status).toBe(201);
      expect(known.body).toMatchObject({
        application: { resourceId: 5001, opportunityResourceStatusName: 'Shortlisted' },
        candidate: { candidateId: 5001, created: false },
      });
      const nameless = await admin('applications', { jobId: 3103, active: false });
      expect(nameless.body).toMatchObject({ application: { activeRecord: 'n', resourceEmail: '' }, candidate: { name: 'Walk-in Applicant', created: true } });
      const fromEmail = await admin('applications', { jobId: 3104, email: 'jo.smith@example.com' });
      expect(fromEmail.body).toMatchObject({ candidate: { name: 'Jo Smith' } });

      const rows = await fetch(`${sandbox.url}/__sandbox/applications?jobId=3103`);
      expect(((await rows.json()) as { applications: unknown[] }).applications).toEqual(sandbox.tracker.applicantRows(3103));
      expect(
        sandbox.tracker
          .applicantRows(3103)
          .slice(-3)
          .map((row) => row.opportunityResourceId),
      ).toEqual([
        (created.body.application as Json).opportunityResourceId,
        (known.body.application as Json).opportunityResourceId,
        (nameless.body.application as Json).opportunityResourceId,
      ]);
    });

    it('answers 404 for an unknown job, 409 already_applied, 400 for an unknown status or a bad body', async () => {
      expect(await admin('applications', { jobId: 1, email: 'a@example.com' })).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
      const again = await admin('applications', { jobId: 3101, email: 'OLIVIA.bennett@example.com' });
      expect(again).toMatchObject({ status: 409, body: { error: { code: 'already_applied', applicationId: 7001 } } });
      expect(await admin('applications', { jobId: 3101, email: 'new@example.com', status: 'Hired' })).toMatchObject({
        status: 400,
        body: { error: { code: 'invalid_status' } },
      });
      expect((await admin('applications', { email: 'x@example.com' })).status).toBe(400);
      expect((await admin('applications', { jobId: 3101, email: 'not-an-email' })).status).toBe(400);
      expect(sandbox.tracker.candidateByEmail('new@example.com')).toBeUndefined();
    });
  });
});
