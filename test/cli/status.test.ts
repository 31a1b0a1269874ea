import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  aprioraLogin,
  expectEnvelope,
  expectNoSecrets,
  KEYCHAIN_STORE,
  logIn,
  sandboxSecrets,
  trackerLogin,
  useNoKeychain,
  useSandbox,
} from '../support/cli.js';

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

describe('apriora status without an OS keychain', () => {
  useNoKeychain();

  it('a profile that does not exist is "no such profile" with the login to run, not "keychain unavailable"', async () => {
    const human = await t.cli.run(['status', '--profile', 'nope'], { env: KEYCHAIN_STORE });
    expect(human.code).toBe(4);
    expect(human.stderr).toBe(
      'Error: Not logged in: there is no profile "nope"\nTry: apriora tracker login --profile nope, then apriora login --profile nope\n',
    );
    expect(human.stdout).toMatch(/^Logon\s+✗ Not logged in to Tracker: there is no profile "nope"$/m);

    // With other profiles on the machine, the hint names them.
    await logIn(t.cli, t.sandbox, { fieldMap: false });
    const requests = t.sandbox.requests.length;
    const json = await t.cli.run(['status', '--profile', 'nope', '--json'], { env: KEYCHAIN_STORE });
    expect(json.code).toBe(4);
    expect(expectEnvelope(json, false).error).toEqual({
      code: 'not_logged_in',
      message: 'Not logged in: there is no profile "nope"',
      hint: 'apriora tracker login --profile nope, then apriora login --profile nope (profiles on this machine: default)',
      details: { profile: 'nope', exists: false, profiles: ['default'] },
    });
    expect(JSON.stringify(json.json())).not.toMatch(/keychain_|Secret Service|D-Bus/i);
    expect(t.sandbox.requests).toHaveLength(requests);
  });

  it('a profile that keeps its secrets in the keychain still says the keychain cannot be reached (never "not logged in")', async () => {
    expect((await trackerLogin(t.cli, t.sandbox)).code).toBe(0);
    const config = t.cli.config();
    config.profiles.default.credentialStore = 'keychain';
    writeFileSync(join(t.cli.configDir, 'config.json'), JSON.stringify(config), { mode: 0o600 });
    const status = await t.cli.run(['tracker', 'status', '--json'], { env: KEYCHAIN_STORE });
    expect(status.code).toBe(4);
    expect(status.json().error.code).toBe('keychain_unavailable');
  });
});

describe('apriora status: the credentials file', () => {
  it('one its group or others may read is refused with the chmod that fixes it (exit 2), and left as it was', async () => {
    await logIn(t.cli, t.sandbox, { fieldMap: false });
    const file = join(t.cli.configDir, 'credentials.json');
    chmodSync(file, 0o644);
    const human = await t.cli.run(['status']);
    expect(human.code).toBe(2);
    expect(human.stderr).toBe(
      `Error: The credentials file ${file} is open to other users (mode 0644): refusing to use it.\n` +
        `Try: Run \`chmod 600 ${file}\`; if others could have read it, replace the keys it holds.\n`,
    );
    const json = await t.cli.run(['tracker', 'status', '--json']);
    expect(json.code).toBe(2);
    expect(expectEnvelope(json, false).error).toMatchObject({ code: 'insecure_credentials_file', details: { path: file, mode: '0644' } });
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expectNoSecrets(sandboxSecrets(t.sandbox), [human, json]);

    chmodSync(file, 0o600);
    expect((await t.cli.run(['status'])).code).toBe(0);
  });
});
