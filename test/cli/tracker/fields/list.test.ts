import { describe, expect, it } from 'vitest';
import { expectEnvelope, TestCli, useSandbox } from '../../../support/cli.js';

const t = useSandbox({ loggedIn: { fieldMap: false, apriora: false } });

describe('apriora tracker fields list', () => {
  it('lists every custom field (association, id, name, type) and the activity types, as Tracker has them', async () => {
    const result = await t.cli.run(['tracker', 'fields', 'list', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const data = expectEnvelope(result, true).data;
    const { customFields, taskTypes } = t.sandbox.tracker.settings;
    expect(data.customFields).toEqual(customFields.map((field) => expect.objectContaining({ association: field.Association, id: field.Id, name: field.Name })));
    expect(data.activityTypes).toEqual(taskTypes.map((type) => ({ id: type.Id, name: type.Name })));
    expect(data.activityTypes).toContainEqual(expect.objectContaining({ name: 'Apriora Interview' }));
  });

  it('--association filters, case-insensitively', async () => {
    const result = await t.cli.run(['tracker', 'fields', 'list', '--association', 'activity', '--json']);
    expect(result.code).toBe(0);
    const data = result.json().data;
    expect(data.customFields.length).toBe(t.sandbox.tracker.settings.customFields.filter((field) => field.Association === 'Activity').length);
    expect(data.customFields.length).toBeGreaterThan(0);
    expect(data.customFields.every((field: { association: string }) => field.association === 'Activity')).toBe(true);
    expect(data.activityTypes).toContainEqual(expect.objectContaining({ name: 'Apriora Interview' }));
    expect(result.json().warnings).toEqual([]);
  });

  it('renders two tables in table mode', async () => {
    const result = await t.cli.run(['tracker', 'fields', 'list', '--association', 'Activity']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('Custom fields');
    expect(result.stdout).toMatch(/│ Association │ Id\s+│ Name\s+│ Type\s+│/);
    expect(result.stdout).toMatch(/│ Activity\s+│ 448 │ Overall Score\s+│ Number │/);
    expect(result.stdout).not.toMatch(/│ Resource/);
    expect(lines).toContain('Activity types');
    expect(result.stdout).toMatch(/│ 21 │ Apriora Interview │/);
  });

  it('an association the database does not have: an empty list and a warning naming the ones it has', async () => {
    const json = await t.cli.run(['tracker', 'fields', 'list', '--association', 'Spaceship', '--json']);
    expect(json.code).toBe(0);
    expect(json.json().data.customFields).toEqual([]);
    expect(json.json().warnings).toEqual([expect.stringMatching(/^No custom fields of association "Spaceship"; the database has: .*Activity/)]);
    const human = await t.cli.run(['tracker', 'fields', 'list', '--association', 'Spaceship']);
    expect(human.stderr).toMatch(/^Warning: No custom fields of association "Spaceship"/);
    expect(human.stdout).toContain('No custom fields.');
  });

  it('without a Tracker login it is exit 4 with the hint to log in', async () => {
    const other = new TestCli();
    try {
      const result = await other.run(['tracker', 'fields', 'list']);
      expect(result.code).toBe(4);
      expect(result.stderr).toMatch(/^Try: apriora tracker login/m);
    } finally {
      other.cleanup();
    }
  });

  it('Tracker still refusing after the retries is exit 5', async () => {
    t.sandbox.faults.configure({ retryAfterSeconds: 0 });
    t.sandbox.faults.push(...Array.from({ length: 5 }, () => ({ kind: '429' as const, api: 'tracker', op: 'getSettingsData' })));
    const result = await t.cli.run(['tracker', 'fields', 'list', '--json']);
    expect(result.code).toBe(5);
    expect(expectEnvelope(result, false).error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('after 5 attempts') });
    expect(t.sandbox.requests.filter((request) => request.op === 'getSettingsData')).toHaveLength(5);
  });
});
