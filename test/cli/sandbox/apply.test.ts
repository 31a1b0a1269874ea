import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { expectEnvelope, loggedInCli, useSandbox } from '../../support/cli.js';

const t = useSandbox();

const apply = (...args: string[]) => t.cli.run(['sandbox', 'apply', '--sandbox-url', t.sandbox.url, ...args]);

describe('apriora sandbox apply', () => {
  it('a new candidate applies: the candidate and the applicant row are in the sandbox, and the envelope shows them', async () => {
    const before = t.sandbox.tracker.applicantRows(3103).length;
    const result = await apply(
      '--job',
      '3103',
      '--email',
      'ada@example.com',
      '--first-name',
      'Ada',
      '--last-name',
      'Lovelace',
      '--phone',
      '(617) 555-0199',
      '--json',
    );
    expect(result.code, result.stderr).toBe(0);
    const rows = t.sandbox.tracker.applicantRows(3103);
    expect(rows).toHaveLength(before + 1);
    const row = rows.at(-1)!;
    expect(row).toMatchObject({
      resourceDisplayAs: 'Ada Lovelace',
      resourceEmail: 'ada@example.com',
      opportunityResourceStatusName: 'Applied',
      activeRecord: 'y',
    });
    expect(t.sandbox.tracker.candidate(row.resourceId)).toMatchObject({ cellphone: '(617) 555-0199' });
    expect(expectEnvelope(result, true).data).toEqual({
      application: row,
      candidate: expect.objectContaining({ candidateId: row.resourceId, name: 'Ada Lovelace', email: 'ada@example.com', created: true }),
    });
  });

  it('prints one line; a known e-mail reuses the candidate; --status sets the pipeline status', async () => {
    const result = await apply('--job', '3103', '--email', 'olivia.bennett@example.com', '--status', 'Shortlisted');
    expect(result.code, result.stderr).toBe(0);
    const row = t.sandbox.tracker.applicantRows(3103).at(-1)!;
    const title = t.sandbox.tracker.job(3103)!.title;
    expect(result.stdout).toBe(
      `✓ Olivia Bennett <olivia.bennett@example.com> applied to job 3103 (${title}): application ${row.opportunityResourceId}, Shortlisted, candidate 5001\n`,
    );
  });

  it('without --email: a new candidate without an e-mail', async () => {
    const result = await apply('--job', '3103', '--first-name', 'Sam', '--last-name', 'Walker');
    expect(result.code, result.stderr).toBe(0);
    const row = t.sandbox.tracker.applicantRows(3103).at(-1)!;
    expect(row).toMatchObject({ resourceDisplayAs: 'Sam Walker', resourceEmail: '' });
    expect(result.stdout).toMatch(new RegExp(`^✓ Sam Walker applied to job 3103 .*new candidate ${row.resourceId}\\n$`));
  });

  it('an unknown job, a candidate already on the job, an unknown status or a bad e-mail are exit 2', async () => {
    const unknown = await apply('--job', '99', '--email', 'ada@example.com');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('Error: No job 99\nTry: List the jobs with `apriora tracker jobs list`.\n');
    const again = await apply('--job', '3101', '--email', 'olivia.bennett@example.com', '--json');
    expect(again.code).toBe(2);
    expect(expectEnvelope(again, false).error).toMatchObject({ code: 'already_applied', details: { applicationId: 7001 } });
    const status = await apply('--job', '3101', '--email', 'new@example.com', '--status', 'Hired', '--json');
    expect(status.code).toBe(2);
    expect(expectEnvelope(status, false).error.message).toMatch(/"Hired" is not an applicant status/);
    const email = await apply('--job', '3101', '--email', 'ada', '--json');
    expect(email.code).toBe(2);
    expect(expectEnvelope(email, false).error.message).toBe('--email "ada" is not an e-mail address');
    const job = await apply('--job', 'x', '--json');
    expect(job.code).toBe(2);
    expect(t.sandbox.tracker.candidateByEmail('new@example.com')).toBeUndefined();
  });

  it('something that is not the sandbox is exit 5', async () => {
    const server = createServer((_request, response) => response.writeHead(418).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const result = await t.cli.run(['sandbox', 'apply', '--sandbox-url', url, '--job', '3101', '--json']);
      expect(result.code).toBe(5);
      expect(expectEnvelope(result, false).error.message).toMatch(/^The sandbox answered HTTP 418/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('apriora sandbox apply: which sandbox', () => {
  it("without --sandbox-url, a sandbox profile's own Tracker URL (a sandbox on another port); none there: a hint naming --sandbox-url", async () => {
    const cli = await loggedInCli(t.sandbox, { fieldMap: false, apriora: false });
    try {
      const result = await cli.run(['sandbox', 'apply', '--job', '3103', '--email', 'port@example.com', '--json']);
      expect(result.code, result.stderr).toBe(0);
      expect(t.sandbox.tracker.applicantRows(3103).some((row) => row.resourceEmail === 'port@example.com')).toBe(true);
    } finally {
      cli.cleanup();
    }
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const none = await t.cli.run(['sandbox', 'apply', '--sandbox-url', `http://127.0.0.1:${closed}`, '--job', '3103', '--json']);
    expect(none.code).toBe(5);
    expect(none.json().error.hint).toContain('--sandbox-url');
  });
});
