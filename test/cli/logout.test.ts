import { describe, expect, it } from 'vitest';
import { aprioraLogin, expectEnvelope, trackerLogin, useSandbox } from '../support/cli.js';

const t = useSandbox();

describe('apriora logout', () => {
  it('removes the Apriora key only; the Tracker secrets stay', async () => {
    expect((await trackerLogin(t.cli, t.sandbox)).code).toBe(0);
    expect((await aprioraLogin(t.cli, t.sandbox)).code).toBe(0);
    const result = await t.cli.run(['logout', '--json']);
    expect(result.code).toBe(0);
    expect(expectEnvelope(result, true).data).toEqual({ profile: 'default', removed: ['apriora.apiKey'], store: 'file' });
    expect(Object.keys(t.cli.storedSecrets()!).sort()).toEqual(['default/tracker.apiKey', 'default/tracker.password']);

    const status = await t.cli.run(['status', '--json']);
    expect(status.code).toBe(4);
    expect(status.json().error.code).toBe('not_logged_in');
    expect(status.json().data.tracker.logon.ok).toBe(true);
  });

  it('says what it removed, and that nothing was there the second time', async () => {
    expect((await aprioraLogin(t.cli, t.sandbox, ['--profile', 'acme'])).code).toBe(0);
    const first = await t.cli.run(['logout', '--profile', 'acme']);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('✓ Removed the Apriora API key of profile "acme"\n');
    const second = await t.cli.run(['logout', '--profile', 'acme']);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('No Apriora API key was stored for profile "acme"\n');
  });

  it('warns when APRIORA_API_KEY is still set', async () => {
    const result = await t.cli.run(['logout', '--json'], { env: { APRIORA_API_KEY: 'still-here' } });
    expect(result.code).toBe(0);
    expect(result.json()).toEqual({
      ok: true,
      data: { profile: 'default', removed: [], store: 'file' },
      warnings: ['APRIORA_API_KEY is still set in the environment'],
    });
  });

  it('an invalid profile name is exit 2', async () => {
    const result = await t.cli.run(['logout', '--profile', 'has space']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error: Invalid profile name "has space"/m);
  });
});
