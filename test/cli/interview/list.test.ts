import { beforeEach, describe, expect, it } from 'vitest';
import { expectEnvelope, ndjson, openJobIds, TestCli, useSandbox } from '../../support/cli.js';

const t = useSandbox({ loggedIn: { fieldMap: false }, cliPer: 'file' });
let a: number;
let b: number;

const positionOf = (jobId: number) => t.sandbox.apriora.positionByExternalId('tracker', String(jobId))!;

beforeEach(async () => {
  [a, b] = openJobIds(t.sandbox) as [number, number];
  expect((await t.cli.run(['interview', 'generate', '--job', String(a), '--job', String(b)])).code).toBe(0);
  // a position that is not linked to Tracker is not listed
  t.sandbox.apriora.createPosition({ title: 'Walk-in screen', description: 'Not from Tracker', modality: 'video', externalSource: null, externalId: null });
});

describe('apriora interview list', () => {
  it('lists the positions linked to Tracker jobs, and only those', async () => {
    const list = await t.cli.run(['interview', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    const listed = expectEnvelope(list, true).data;
    expect(listed.count).toBe(2);
    expect(listed.interviews.map((p: { positionId: string; externalId: string }) => [p.externalId, p.positionId]).sort()).toEqual(
      [
        [String(a), positionOf(a).positionId],
        [String(b), positionOf(b).positionId],
      ].sort(),
    );
    expect(t.sandbox.apriora.positions).toHaveLength(3);
  });

  it('--job narrows to that job; a job without an interview is an empty list', async () => {
    const one = await t.cli.run(['interview', 'list', '--job', String(b), '--json']);
    expect(one.json().data.interviews).toEqual([expect.objectContaining({ positionId: positionOf(b).positionId, externalId: String(b) })]);
    const none = await t.cli.run(['interview', 'list', '--job', '3999']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('No interview is linked to Tracker job 3999.\n');
  });

  it('renders a table; --limit and ndjson', async () => {
    const human = await t.cli.run(['interview', 'list']);
    expect(human.code).toBe(0);
    const lines = human.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^│ Job\s+│ Title\s+│ Position\s+│ Modality\s+│ Status\s+│ Interview URL\s+│$/);
    expect(human.stdout).toMatch(new RegExp(`│ ${a} │ .+ │ ${positionOf(a).positionId}\\s+│ phone\\s+│ active │ ${positionOf(a).interviewUrl} │`));
    expect(lines).toHaveLength(5);

    const limited = await t.cli.run(['interview', 'list', '--limit', '1', '--output', 'ndjson']);
    expect(limited.code).toBe(0);
    expect(ndjson(limited.stdout)).toEqual([expect.objectContaining({ externalSource: 'tracker', positionId: expect.stringMatching(/^pos_/) })]);
  });

  it('nothing generated yet: a friendly empty table', async () => {
    t.sandbox.reset();
    const result = await t.cli.run(['interview', 'list']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('No interviews are linked to Tracker jobs yet.\n');
  });

  it('a bad --job is exit 2; without an Apriora login exit 4', async () => {
    const bad = await t.cli.run(['interview', 'list', '--job', 'x1', '--json']);
    expect(bad.code).toBe(2);
    expect(expectEnvelope(bad, false).error.code).toBe('invalid_job_id');
    const other = new TestCli();
    try {
      const result = await other.run(['interview', 'list']);
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/^Try: apriora login/m);
    } finally {
      other.cleanup();
    }
  });
});
