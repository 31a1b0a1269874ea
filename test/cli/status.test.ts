import { describe, expect, it } from 'vitest';
import { aprioraLogin, expectEnvelope, expectNoSecrets, logIn, sandboxSecrets, trackerLogin, useSandbox } from '../support/cli.js';

const t = useSandbox();

describe('apriora status', () => {
  it('shows both connections working', async () => {
    await logIn(t.cli, t.sandbox, { fieldMap: false });
    const status = await t.cli.run(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(expectEnvelope(status, true).data).toMatchObject({
      profile: 'default',
      sandbox: true,
      credentialStore: 'file',
      fieldMapComplete: false,
      tracker: { host: t.sandbox.trackerUrl, logon: { ok: true }, credentialSources: { apiKey: 'file', password: 'file' } },
      apriora: {
        host: t.sandbox.aprioraUrl,
        apiKeySource: 'file',
        auth: { ok: true },
        defaultModality: 'phone',
        trackerIntegration: { hasCredentials: false },
      },
    });
    const human = await t.cli.run(['status']);
    expect(human.code).toBe(0);
    const lines = human.stdout.split('\n');
    expect(lines[0]).toBe('Profile default (sandbox)');
    expect(lines).toContain('Tracker');
    expect(lines).toContain('Apriora');
    expect(lines.indexOf('Tracker')).toBeLessThan(lines.indexOf('Apriora'));
    expect(human.stdout).toMatch(/Logon\s+✓ accepted by Tracker/);
    expect(human.stdout).toMatch(/Key\s+✓ accepted by Apriora/);
    expect(human.stdout).toMatch(/^Default modality\s+phone$/m);
    expect(human.stdout).toMatch(/^Tracker integration\s+not connected — run `apriora tracker connect`$/m);
    expectNoSecrets(sandboxSecrets(t.sandbox), [status, human]);
  });

  it('with the field map: fieldMapComplete', async () => {
    await logIn(t.cli, t.sandbox);
    const status = await t.cli.run(['status', '--json']);
    expect(status.code).toBe(0);
    expect(status.json().data.fieldMapComplete).toBe(true);
  });

  it('without an Apriora login: exit 4, says how to log in, and still reports the Tracker side', async () => {
    expect((await trackerLogin(t.cli, t.sandbox)).code).toBe(0);
    const json = await t.cli.run(['status', '--json']);
    expect(json.code).toBe(4);
    const document = expectEnvelope(json, false);
    expect(document.error).toMatchObject({ code: 'not_logged_in', hint: 'apriora login' });
    expect(document.data).toMatchObject({ tracker: { logon: { ok: true } }, apriora: { apiKeySource: null, auth: { ok: false } } });
    const human = await t.cli.run(['status']);
    expect(human.code).toBe(4);
    expect(human.stderr).toMatch(/^Error: Not logged in to Apriora/m);
    expect(human.stderr).toMatch(/^Try: apriora login/m);
    expect(human.stdout).toMatch(/^API key\s+missing$/m);
  });

  it('without a Tracker login: exit 4 naming the Tracker login, with Apriora still checked', async () => {
    expect((await aprioraLogin(t.cli, t.sandbox)).code).toBe(0);
    const json = await t.cli.run(['status', '--json']);
    expect(json.code).toBe(4);
    const document = expectEnvelope(json, false);
    expect(document.error).toMatchObject({ code: 'not_logged_in', hint: 'apriora tracker login' });
    expect(document.data).toMatchObject({ tracker: { logon: { ok: false } }, apriora: { auth: { ok: true } } });
  });

  it('a refused Apriora key is exit 4 with its own code', async () => {
    await logIn(t.cli, t.sandbox);
    const json = await t.cli.run(['status', '--json'], { env: { APRIORA_API_KEY: 'revoked-key' } });
    expect(json.code).toBe(4);
    expect(json.json().error.code).toBe('apriora_unauthorized');
    expect(json.json().data.apriora).toMatchObject({ apiKeySource: 'env', auth: { ok: false } });
  });
});
