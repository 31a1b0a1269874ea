import { beforeEach, describe, expect, it } from 'vitest';
import { expectEnvelope, openJobIds, useSandbox } from '../../support/cli.js';

const t = useSandbox({ loggedIn: { fieldMap: false }, cliPer: 'file' });
let a: number;
let none: number;

const positionOf = (jobId: number) => t.sandbox.apriora.positionByExternalId('tracker', String(jobId))!;

beforeEach(async () => {
  [a, none] = openJobIds(t.sandbox) as [number, number];
  expect((await t.cli.run(['interview', 'generate', '--job', String(a)])).code).toBe(0);
});

describe('apriora interview show', () => {
  it('--job finds the linked position', async () => {
    const byJob = await t.cli.run(['interview', 'show', '--job', String(a), '--json']);
    expect(byJob.code, byJob.stderr).toBe(0);
    expect(expectEnvelope(byJob, true).data.interview).toMatchObject({
      positionId: positionOf(a).positionId,
      title: positionOf(a).title,
      externalSource: 'tracker',
      externalId: String(a),
    });
  });

  it('by position id: the record as aligned lines', async () => {
    const position = positionOf(a);
    const byId = await t.cli.run(['interview', 'show', position.positionId]);
    expect(byId.code, byId.stderr).toBe(0);
    expect(byId.stdout).toContain(position.title);
    expect(byId.stdout).toMatch(new RegExp(`^Position\\s+${position.positionId}$`, 'm'));
    expect(byId.stdout).toMatch(new RegExp(`^Tracker job\\s+${a}$`, 'm'));
    expect(byId.stdout).toMatch(/^Modality\s+phone$/m);
    expect(byId.stdout).toMatch(new RegExp(`^Interview URL\\s+${position.interviewUrl}$`, 'm'));
    expect(byId.stdout).toMatch(/^Created\s+\d{4}-\d{2}-\d{2}T/m);
  });

  it('a job without an interview is not_found (exit 5) with the hint to generate it', async () => {
    const missing = await t.cli.run(['interview', 'show', '--job', String(none), '--json']);
    expect(missing.code).toBe(5);
    expect(expectEnvelope(missing, false).error).toMatchObject({ code: 'not_found', hint: `apriora interview generate --job ${none}` });
    const missingHuman = await t.cli.run(['interview', 'show', '--job', String(none)]);
    expect(missingHuman.code).toBe(5);
    expect(missingHuman.stderr).toMatch(/^Try: apriora interview generate --job \d+/m);
    const unknownId = await t.cli.run(['interview', 'show', 'pos_999', '--json']);
    expect(unknownId.code).toBe(5);
    expect(unknownId.json().error.code).toBe('not_found');
  });

  it('a position id and --job together, or neither, is exit 2', async () => {
    for (const args of [[], ['pos_1', '--job', String(a)]]) {
      const result = await t.cli.run(['interview', 'show', ...args, '--json']);
      expect(result.code, args.join(' ')).toBe(2);
      expect(expectEnvelope(result, false).error.message).toBe('Give a position id or --job ID (one of them)');
    }
    expect((await t.cli.run(['interview', 'show', '--job', 'none'])).code).toBe(2);
  });
});
