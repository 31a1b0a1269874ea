import { describe, expect, it } from 'vitest';
import type { Applicant } from '../../../../src/workflows/applicants.js';
import { expectEnvelope, ndjson, openJobIds, useSandbox } from '../../../support/cli.js';

/**
 * `apriora tracker applicants list` against the sandbox's Tracker REST API, which returns every job's rows whatever is
 * asked: the rows are selected on the client (job, status, active).
 */

const t = useSandbox({ seed: { jobs: 12, candidates: 20 }, loggedIn: { fieldMap: false, apriora: false, restToken: true }, cliPer: 'test' });

const searches = () => t.sandbox.requests.filter((request) => request.op === 'POST /api/v1/OpportunityResource/Search');

describe('apriora tracker applicants list', () => {
  it("--job: that job's active rows only, though the search returns other jobs' rows; --status and --include-inactive", async () => {
    const [jobA, jobB] = openJobIds(t.sandbox) as [number, number];
    const a = t.sandbox.tracker.addApplicant({ jobId: jobA, email: 'ada@example.com', firstName: 'Ada', lastName: 'Byron' });
    t.sandbox.tracker.addApplicant({ jobId: jobB, email: 'bob@example.com', firstName: 'Bob', lastName: 'Other' });
    t.sandbox.tracker.addApplicant({ jobId: jobA, email: 'sam@example.com', firstName: 'Sam', lastName: 'Short', status: 'Shortlisted' });
    t.sandbox.tracker.addApplicant({ jobId: jobA, email: 'wes@example.com', firstName: 'Wes', lastName: 'Gone', active: false });
    const all = t.sandbox.tracker.applicantRows();
    const ofJob = t.sandbox.tracker.applicantRows(jobA);
    expect(all.length).toBeGreaterThan(ofJob.length);
    t.sandbox.requests.length = 0;

    const result = await t.cli.run(['tracker', 'applicants', 'list', '--job', String(jobA), '--json']);
    expect(result.code, result.stderr).toBe(0);
    const data = expectEnvelope(result, true).data;
    expect(data.applicants.map((row: Applicant) => row.applicationId)).toEqual(
      ofJob.filter((row) => row.activeRecord === 'y').map((row) => row.opportunityResourceId),
    );
    expect(data.applicants.find((row: Applicant) => row.email === 'ada@example.com')).toMatchObject({
      applicationId: a.application.id,
      jobId: jobA,
      candidateId: a.candidate.id,
      status: 'Applied',
      active: true,
      name: 'Ada Byron',
    });
    // Every page of the search was read (1-based, 10 rows), since any page may hold a row of this job.
    expect(searches().map((request) => (request.body as { pageNumber: number }).pageNumber)).toEqual(
      Array.from({ length: Math.ceil(all.length / 10) }, (_, index) => index + 1),
    );

    const applied = await t.cli.run([
      'tracker',
      'applicants',
      'list',
      '--job',
      String(jobA),
      '--status',
      'applied',
      '--include-inactive',
      '--output',
      'ndjson',
    ]);
    expect(ndjson(applied.stdout).map((row: Applicant) => row.applicationId)).toEqual(
      ofJob.filter((row) => row.opportunityResourceStatusName === 'Applied').map((row) => row.opportunityResourceId),
    );

    const table = await t.cli.run(['tracker', 'applicants', 'list', '--job', String(jobA), '--include-inactive']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('sam@example.com');
    expect(table.stdout).toContain('Applied (inactive)');
  });

  it('--all-open: the active rows of open jobs only', async () => {
    const open = new Set(openJobIds(t.sandbox));
    const result = await t.cli.run(['tracker', 'applicants', 'list', '--all-open', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const expected = t.sandbox.tracker
      .applicantRows()
      .filter((row) => open.has(row.opportunityId) && row.activeRecord === 'y')
      .map((row) => row.opportunityResourceId);
    expect(expected.length).toBeGreaterThan(0);
    expect(new Set(result.json().data.applicants.map((row: Applicant) => row.applicationId))).toEqual(new Set(expected));
    expect(t.sandbox.tracker.applicantRows().some((row) => !open.has(row.opportunityId))).toBe(true);
  });

  it('usage errors are exit 2; without a REST token, exit 4 saying where the token comes from', async () => {
    expect((await t.cli.run(['tracker', 'applicants', 'list', '--json'])).code).toBe(2);
    expect((await t.cli.run(['tracker', 'applicants', 'list', '--job', '1', '--all-open', '--json'])).code).toBe(2);
    const [jobId] = openJobIds(t.sandbox);
    const result = await t.cli.run(['tracker', 'applicants', 'list', '--job', String(jobId), '--json'], { env: { TRACKER_REST_TOKEN: undefined } });
    expect(result.code, result.stderr).toBe(0);
    // A job that does not exist is not an empty list; a status the database does not have is exit 2, with its statuses.
    const missing = await t.cli.run(['tracker', 'applicants', 'list', '--job', '1', '--json']);
    expect([missing.code, missing.json().error.code]).toEqual([5, 'not_found']);
    const typo = await t.cli.run(['tracker', 'applicants', 'list', '--job', String(jobId), '--status', 'Aplied', '--json']);
    expect([typo.code, typo.json().error.code]).toEqual([2, 'unknown_status']);
    expect(typo.json().error.hint).toContain('Applied, Shortlisted');
    const other = await t.cli.run(['tracker', 'applicants', 'list', '--job', '1', '--json', '--profile', 'widget-only'], {
      env: { TRACKER_API_KEY: 'k', TRACKER_PASSWORD: 'p', TRACKER_USERNAME: 'u@example.com', TRACKER_BASE_URL: t.sandbox.trackerUrl },
    });
    expect(other.code).toBe(4);
    expect(other.json().error.code).toBe('tracker_rest_token_missing');
    expect(other.json().error.hint).toContain('Security Settings');
  });
});
