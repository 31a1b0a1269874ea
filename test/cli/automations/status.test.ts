import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyAutomationState, writeAutomationState } from '../../../src/store/automation-state.js';
import { expectEnvelope, useSandbox } from '../../support/cli.js';

/** `apriora automations status`: both automations as Apriora holds them, and the local runner's state. */

const t = useSandbox({ seed: { jobs: 2, candidates: 2 }, loggedIn: { fieldMap: false } });

describe('apriora automations status', () => {
  it('shows the defaults of a fresh integration and a runner that never ran', async () => {
    const result = await t.cli.run(['automations', 'status', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const data = expectEnvelope(result, true).data;
    expect(data.automations).toEqual({
      invites: { enabled: false, trigger: { statuses: ['Applied'] }, rules: [], delayMinutes: 0, onePerCandidatePerDay: true, blackout: null },
      interviewCreation: { enabled: false, modality: 'video', templateId: null, filters: [] },
    });
    expect(data.aprioraRuns).toEqual({ invites: false, interviews: false });
    expect(data.runner).toMatchObject({ ran: false });
    const table = await t.cli.run(['automations', 'status']);
    expect(table.stdout).toContain('never run on this machine for this profile');
    expect(table.stdout).not.toContain('Apriora runs');
  });

  it('shows rules in the small syntax, says Apriora runs what is enabled, and reads the runner state', async () => {
    const enabled = await t.cli.run([
      'automations',
      'enable',
      'invites',
      '--rule',
      'job.type in [Permanent, Contract]',
      '--delay',
      '90m',
      '--blackout',
      '20:00-08:00',
      '--timezone',
      'America/New_York',
    ]);
    expect(enabled.code, enabled.stderr).toBe(0);
    expect((await t.cli.run(['automations', 'enable', 'interviews', '--template', 'tpl_2', '--filter', 'job.title ~ nurse'])).code).toBe(0);
    const dir = join(t.cli.dataDir, 'default');
    mkdirSync(dir, { recursive: true });
    const state = emptyAutomationState();
    state.applicants.lastApplicationId = 4711;
    state.applicants.lastFullScanAt = '2026-01-05T09:00:00.000Z';
    state.jobs.lastCycleAt = '2026-01-05T09:00:00.000Z';
    state.lastCycle = { startedAt: '2026-01-05T09:00:00.000Z', finishedAt: '2026-01-05T09:00:04.000Z', invited: 3, created: 1, failed: 0, skipped: 2 };
    writeAutomationState(join(dir, 'automations.json'), state);
    const table = await t.cli.run(['automations', 'status']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/Rules\s+job\.type in \[Permanent, Contract\]/);
    expect(table.stdout).toMatch(/Delay\s+1h 30m/);
    expect(table.stdout).toMatch(/Blackout \(phone\)\s+20:00-08:00 America\/New_York/);
    expect(table.stdout).toMatch(/Template\s+Video interview — general \(tpl_2\)/);
    expect(table.stdout).toMatch(/Filters\s+job\.title ~ nurse/);
    expect(table.stdout).toContain('Apriora runs invitations and interview creation itself while enabled');
    expect(table.stdout).toMatch(/Last cycle\s+2026-01-05T09:00:00\.000Z to 2026-01-05T09:00:04\.000Z/);
    expect(table.stdout).toMatch(/Invited \/ created \/ skipped \/ failed\s+3 \/ 1 \/ 2 \/ 0/);
    expect(table.stdout).toMatch(/Last application seen\s+4711/);

    const json = (await t.cli.run(['automations', 'status', '--json'])).json().data;
    expect(json.aprioraRuns).toEqual({ invites: true, interviews: true });
    expect(json.runner).toMatchObject({ ran: true, applicants: { lastApplicationId: 4711 }, lastCycle: { invited: 3 } });
  });

  it('a damaged runner state is reported: the next run starts over with a full scan', async () => {
    const dir = join(t.cli.dataDir, 'default');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'automations.json'), '{"lastCycle": {"startedAt": "yesterday"}}');
    const result = await t.cli.run(['automations', 'status']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/State\s+unreadable \(.*\): the next run starts over with a full scan/);
  });
});
