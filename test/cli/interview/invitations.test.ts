import { describe, expect, it } from 'vitest';
import { expectEnvelope, ndjson, openJobIds, useSandbox } from '../../support/cli.js';

/** `apriora interview invitations`: what Apriora holds, for a job's interview or an e-mail, newest first. */

const t = useSandbox({ seed: { jobs: 12, candidates: 20 }, loggedIn: { fieldMap: false }, cliPer: 'test' });

async function interviewOf(jobId: number): Promise<string> {
  const generated = await t.cli.run(['interview', 'generate', '--job', String(jobId), '--json']);
  expect(generated.code, generated.stderr).toBe(0);
  return generated.json().data.items[0].positionId;
}

describe('apriora interview invitations', () => {
  it('--job lists the invitations of its interview, newest first; --email filters; ndjson streams', async () => {
    const [jobA, jobB] = openJobIds(t.sandbox);
    const posA = await interviewOf(jobA!);
    const posB = await interviewOf(jobB!);
    const invite = (positionId: string, email: string) =>
      t.sandbox.apriora.createInvitation({ positionId, candidate: { email, firstName: 'A', lastName: 'B', phone: '+16175550110' } });
    const first = invite(posA, 'ada@example.com');
    const other = invite(posB, 'ada@example.com');
    first.createdAt -= 60; // older
    const second = invite(posA, 'bob@example.com');

    const result = await t.cli.run(['interview', 'invitations', '--job', String(jobA), '--json']);
    expect(result.code, result.stderr).toBe(0);
    const data = expectEnvelope(result, true).data;
    expect(data).toMatchObject({ jobId: jobA, positionId: posA, count: 2 });
    expect(data.invitations.map((i: { invitationId: string }) => i.invitationId)).toEqual([second.invitationId, first.invitationId]);
    expect(t.sandbox.requests.filter((r) => r.op === 'GET /invitations').at(-1)!.query).toMatchObject({ positionId: posA });

    const byEmail = await t.cli.run(['interview', 'invitations', '--email', 'ADA@example.com', '--json']);
    expect(
      byEmail
        .json()
        .data.invitations.map((i: { invitationId: string }) => i.invitationId)
        .sort(),
    ).toEqual([first.invitationId, other.invitationId].sort());

    const streamed = await t.cli.run(['interview', 'invitations', '--job', String(jobA), '--output', 'ndjson']);
    expect(ndjson(streamed.stdout)).toHaveLength(2);

    const table = await t.cli.run(['interview', 'invitations', '--job', String(jobA)]);
    expect(table.stdout).toContain('bob@example.com');
    expect(table.stdout).toContain('Interview link');
  });

  it('a job without an interview is exit 2 naming interview generate; no invitations is an empty list', async () => {
    const [jobA, jobB] = openJobIds(t.sandbox);
    const none = await t.cli.run(['interview', 'invitations', '--job', String(jobA), '--json']);
    expect(none.code).toBe(2);
    expect(none.json().error).toMatchObject({ code: 'no_interview', hint: expect.stringContaining(`apriora interview generate --job ${jobA}`) });
    await interviewOf(jobB!);
    const empty = await t.cli.run(['interview', 'invitations', '--job', String(jobB)]);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain('No invitations.');
  });
});
