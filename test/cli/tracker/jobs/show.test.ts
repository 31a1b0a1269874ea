import { beforeEach, describe, expect, it } from 'vitest';
import { expectEnvelope, useSandbox } from '../../../support/cli.js';

const t = useSandbox({ loggedIn: { fieldMap: false, apriora: false } });
beforeEach(() => {
  t.sandbox.requests.length = 0;
});

describe('apriora tracker jobs show', () => {
  it('prints the job with a clean-text description', async () => {
    const job = t.sandbox.tracker.jobs[0]!;
    const human = await t.cli.run(['tracker', 'jobs', 'show', String(job.id)]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^Id\\s+${job.id}$`, 'm'));
    expect(human.stdout).toMatch(new RegExp(`^Name\\s+${job.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(human.stdout).toContain(job.title);
    expect(human.stdout).not.toMatch(/<\/?(p|ul|li|h\d|strong)>/);
    // the list items of the HTML description, as text
    const items = [...job.description.matchAll(/<li>(.*?)<\/li>/g)].map((match) => match[1]!);
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(human.stdout).toContain(` * ${item.replace(/&amp;/g, '&')}`);
    expect(t.sandbox.requests.map((request) => [request.op, (request.body as any).trackerrms.getIndividualRecord?.instructions])).toEqual([
      ['getIndividualRecord', expect.objectContaining({ recordtype: 'O', recordid: job.id })],
    ]);
  });

  it('--json gives the record', async () => {
    const job = t.sandbox.tracker.jobs[1]!;
    const json = await t.cli.run(['tracker', 'jobs', 'show', String(job.id), '--json']);
    expect(json.code).toBe(0);
    expect(expectEnvelope(json, true).data.job).toMatchObject({ id: job.id, name: job.title });
  });

  it('an id that is not a number is exit 2 before asking Tracker; an unknown one is exit 5 not_found', async () => {
    const word = await t.cli.run(['tracker', 'jobs', 'show', 'JOB-1']);
    expect(word.code).toBe(2);
    expect(word.stderr).toMatch(/^Error: A Tracker job id is a number, not "JOB-1"$/m);
    expect(word.stderr).toMatch(/^Try: Find ids with `apriora tracker jobs list`\.$/m);
    expect(t.sandbox.requests).toEqual([]);

    const missing = await t.cli.run(['tracker', 'jobs', 'show', '1', '--json']);
    expect(missing.code).toBe(5);
    expect(expectEnvelope(missing, false).error.code).toBe('not_found');

    const noArgument = await t.cli.run(['tracker', 'jobs', 'show']);
    expect(noArgument.code).toBe(2);
    expect(noArgument.stderr).toMatch(/^Error: missing required argument 'id'/m);
  });
});
