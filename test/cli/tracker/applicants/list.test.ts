import { afterEach, describe, expect, it } from 'vitest';
import { Factory } from '../../../../src/cli/factory.js';
import type { Applicant, ApplicantSource } from '../../../../src/workflows/applicants.js';
import { expectEnvelope, ndjson, openJobIds, useSandbox } from '../../../support/cli.js';

/**
 * `apriora tracker applicants list`: rows selected on the client (job, status, active), whatever the REST search
 * returns. The REST client is replaced by a fake source of rows here: the search returns other jobs' rows too.
 */

const t = useSandbox({ seed: { jobs: 12, candidates: 20 }, loggedIn: { fieldMap: false, apriora: false }, cliPer: 'test' });

const original = Object.getOwnPropertyDescriptor(Factory.prototype, 'trackerRest');
afterEach(() => {
  if (original) Object.defineProperty(Factory.prototype, 'trackerRest', original);
  else delete (Factory.prototype as unknown as Record<string, unknown>).trackerRest;
});

function row(applicationId: number, jobId: number, candidateId: number, status: string, active = true): Applicant {
  return {
    applicationId,
    jobId,
    candidateId,
    jobName: `Job ${jobId}`,
    statusId: null,
    status,
    active,
    name: `Person ${candidateId}`,
    email: `p${candidateId}@example.com`,
    source: 'Website',
    appliedAt: '2026-03-01T10:00:00Z',
    updatedAt: null,
  };
}

/** Every row of the database, whatever the job asked for (the server may ignore filters). */
function useRows(rows: Applicant[]): { asked: { jobId?: number }[] } {
  const asked: { jobId?: number }[] = [];
  const source: ApplicantSource = {
    async *applicants(options) {
      asked.push({ ...(options.jobId === undefined ? {} : { jobId: options.jobId }) });
      yield* rows;
    },
  };
  Object.defineProperty(Factory.prototype, 'trackerRest', { value: async () => source, configurable: true, writable: true });
  return { asked };
}

describe('apriora tracker applicants list', () => {
  it("--job: that job's active rows only, even when the search returns other jobs' rows; --status and --include-inactive", async () => {
    const [jobA, jobB] = openJobIds(t.sandbox) as [number, number];
    const { asked } = useRows([row(1, jobA, 11, 'Applied'), row(2, jobB, 12, 'Applied'), row(3, jobA, 13, 'Shortlisted'), row(4, jobA, 14, 'Applied', false)]);
    const result = await t.cli.run(['tracker', 'applicants', 'list', '--job', String(jobA), '--json']);
    expect(result.code, result.stderr).toBe(0);
    const data = expectEnvelope(result, true).data;
    expect(data.applicants.map((a: Applicant) => a.applicationId)).toEqual([1, 3]);
    expect(asked).toEqual([{ jobId: jobA }]);

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
    expect(ndjson(applied.stdout).map((a: Applicant) => a.applicationId)).toEqual([1, 4]);

    const table = await t.cli.run(['tracker', 'applicants', 'list', '--job', String(jobA), '--include-inactive']);
    expect(table.stdout).toContain('p13@example.com');
    expect(table.stdout).toContain('Applied (inactive)');
  });

  it('--all-open: the rows of open jobs only', async () => {
    const open = openJobIds(t.sandbox);
    const closed = t.sandbox.tracker.jobs.find((job) => !open.includes(job.id))!.id;
    useRows([row(1, open[0]!, 11, 'Applied'), row(2, closed, 12, 'Applied'), row(3, open[1]!, 13, 'Applied')]);
    const result = await t.cli.run(['tracker', 'applicants', 'list', '--all-open', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data.applicants.map((a: Applicant) => a.applicationId)).toEqual([1, 3]);
  });

  it('usage errors are exit 2; without a REST client, exit 4 saying where the token comes from', async () => {
    expect((await t.cli.run(['tracker', 'applicants', 'list', '--json'])).code).toBe(2);
    expect((await t.cli.run(['tracker', 'applicants', 'list', '--job', '1', '--all-open', '--json'])).code).toBe(2);
    if (!original) {
      const result = await t.cli.run(['tracker', 'applicants', 'list', '--job', '1', '--json']);
      expect(result.code).toBe(4);
      expect(result.json().error.hint).toContain('Security Settings');
    }
  });
});
