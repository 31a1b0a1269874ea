import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aprioraLogin, expectEnvelope, sandboxSecrets, trackerLogin, useSandbox } from '../../support/cli.js';

const t = useSandbox();

describe('apriora tracker logout', () => {
  it('removes the stored Tracker secrets (and only those); status is then exit 4', async () => {
    expect((await trackerLogin(t.cli, t.sandbox)).code).toBe(0);
    expect((await aprioraLogin(t.cli, t.sandbox)).code).toBe(0);
    const result = await t.cli.run(['tracker', 'logout', '--json']);
    expect(result.code).toBe(0);
    expect(expectEnvelope(result, true).data).toEqual({
      profile: 'default',
      removed: ['tracker.apiKey', 'tracker.password'],
      store: 'file',
      cachedRestJwt: false,
    });
    const stored = readFileSync(join(t.cli.configDir, 'credentials.json'), 'utf8');
    const { apiKey, password, aprioraApiKey } = t.sandbox.credentials;
    for (const secret of [apiKey, password]) expect(stored).not.toContain(secret);
    expect(t.cli.storedSecrets()).toEqual({ 'default/apriora.apiKey': aprioraApiKey });
    expect((await t.cli.run(['tracker', 'status'])).code).toBe(4);
    // the profile itself stays: a new login only needs the secrets
    expect(t.cli.config().profiles.default.tracker.username).toBe(t.sandbox.credentials.username);
  });

  it('says what it removed, and that nothing was there the second time', async () => {
    expect((await trackerLogin(t.cli, t.sandbox)).code).toBe(0);
    const first = await t.cli.run(['tracker', 'logout']);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('✓ Removed the Tracker credentials of profile "default" from the credentials file\n');
    const second = await t.cli.run(['tracker', 'logout']);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('No Tracker credentials were stored for profile "default"\n');
    expect((await t.cli.run(['tracker', 'logout', '--json'])).json().data.removed).toEqual([]);
    for (const secret of sandboxSecrets(t.sandbox)) expect(first.stdout + second.stdout).not.toContain(secret);
  });

  it('warns when the environment still holds a Tracker secret', async () => {
    expect((await trackerLogin(t.cli, t.sandbox)).code).toBe(0);
    const json = await t.cli.run(['tracker', 'logout', '--json'], { env: { TRACKER_PASSWORD: 'from-env' } });
    expect(json.code).toBe(0);
    expect(json.json().warnings).toEqual(['TRACKER_PASSWORD is still set in the environment']);
    const human = await t.cli.run(['tracker', 'logout'], { env: { TRACKER_API_KEY: 'k', TRACKER_PASSWORD: 'p' } });
    expect(human.stderr).toBe('Warning: TRACKER_API_KEY and TRACKER_PASSWORD are still set in the environment\n');
  });

  it('an invalid profile name is exit 2', async () => {
    const result = await t.cli.run(['tracker', 'logout', '--profile', '../etc', '--json']);
    expect(result.code).toBe(2);
    expect(expectEnvelope(result, false).error.message).toMatch(/Invalid profile name "\.\.\/etc"/);
  });
});
