import { describe, expect, it } from 'vitest';
import { useSandbox } from '../../support/cli.js';

/** `apriora automations disable invites|interviews`: only `enabled` changes. */

const t = useSandbox({ seed: { jobs: 2, candidates: 2 }, loggedIn: { fieldMap: false } });

const patches = () => t.sandbox.requests.filter((request) => request.op === 'PATCH /integrations/tracker');
const held = () => t.sandbox.apriora.integration().automations;

describe('apriora automations disable', () => {
  it('switches invites off and keeps every other setting', async () => {
    expect((await t.cli.run(['automations', 'enable', 'invites', '--delay', '30m', '--rule', 'source ~ linkedin'])).code).toBe(0);
    const before = held().invites;
    const dry = await t.cli.run(['automations', 'disable', 'invites', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/Enabled[\s│]+yes[\s│]+no/);
    expect(held().invites.enabled).toBe(true);
    const count = patches().length;
    const result = await t.cli.run(['automations', 'disable', 'invites', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(
      patches()
        .slice(count)
        .map((request) => request.body),
    ).toEqual([{ automations: { invites: { ...before, enabled: false } } }]);
    expect(held().invites).toEqual({ ...before, enabled: false });
    expect(result.json().data).toMatchObject({ sent: true, saved: { enabled: false, delayMinutes: 30 } });
  });

  it('switches interview creation off', async () => {
    expect((await t.cli.run(['automations', 'enable', 'interviews', '--template', 'tpl_4'])).code).toBe(0);
    const result = await t.cli.run(['automations', 'disable', 'interviews']);
    expect(result.code, result.stderr).toBe(0);
    expect(held().interviewCreation).toEqual({ enabled: false, modality: 'video', templateId: 'tpl_4', filters: [] });
    expect(result.stdout).toContain('Apriora saved the interview creation settings');
  });

  it('an unknown automation exits 2 before any request', async () => {
    t.sandbox.requests.length = 0;
    const result = await t.cli.run(['automations', 'disable', 'emails']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('"emails" is not an automation: choose invites or interviews');
    expect(t.sandbox.requests).toEqual([]);
  });
});
