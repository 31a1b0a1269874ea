import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/sandbox/index.js';
import { aprioraLogin, expectEnvelope, expectNoSecrets, loggedInCli, sandboxSecrets, startTestSandbox, TestCli, trackerLogin } from '../support/cli.js';

let sandbox: RunningSandbox;
let cli: TestCli;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
});
afterEach(() => cli.cleanup());

describe('apriora status', () => {
  it('shows both connections working', async () => {
    cli = await loggedInCli(sandbox, { fieldMap: false });
    const status = await cli.run(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(expectEnvelope(status, true).data).toMatchObject({
      profile: 'default',
      sandbox: true,
      credentialStore: 'file',
      fieldMapComplete: false,
      tracker: { host: sandbox.trackerUrl, logon: { ok: true }, credentialSources: { apiKey: 'file', password: 'file' } },
      apriora: {
        host: sandbox.aprioraUrl,
        apiKeySource: 'file',
        auth: { ok: true },
        defaultModality: 'phone',
        trackerIntegration: { hasCredentials: false },
      },
    });
    const human = await cli.run(['status']);
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
    expectNoSecrets(sandboxSecrets(sandbox), [status, human]);
  });

  it('with the field map: fieldMapComplete', async () => {
    cli = await loggedInCli(sandbox);
    const status = await cli.run(['status', '--json']);
    expect(status.code).toBe(0);
    expect(status.json().data.fieldMapComplete).toBe(true);
  });

  it('without an Apriora login: exit 4, says how to log in, and still reports the Tracker side', async () => {
    cli = new TestCli();
    expect((await trackerLogin(cli, sandbox)).code).toBe(0);
    const json = await cli.run(['status', '--json']);
    expect(json.code).toBe(4);
    const document = expectEnvelope(json, false);
    expect(document.error).toMatchObject({ code: 'not_logged_in', hint: 'apriora login' });
    expect(document.data).toMatchObject({ tracker: { logon: { ok: true } }, apriora: { apiKeySource: null, auth: { ok: false } } });
    const human = await cli.run(['status']);
    expect(human.code).toBe(4);
    expect(human.stderr).toMatch(/^Error: Not logged in to Apriora/m);
    expect(human.stderr).toMatch(/^Try: apriora login/m);
    expect(human.stdout).toMatch(/^API key\s+missing$/m);
  });

  it('without a Tracker login: exit 4 naming the Tracker login, with Apriora still checked', async () => {
    cli = new TestCli();
    expect((await aprioraLogin(cli, sandbox)).code).toBe(0);
    const json = await cli.run(['status', '--json']);
    expect(json.code).toBe(4);
    const document = expectEnvelope(json, false);
    expect(document.error).toMatchObject({ code: 'not_logged_in', hint: 'apriora tracker login' });
    expect(document.data).toMatchObject({ tracker: { logon: { ok: false } }, apriora: { auth: { ok: true } } });
  });

  it('a refused Apriora key is exit 4 with its own code', async () => {
    cli = await loggedInCli(sandbox);
    const json = await cli.run(['status', '--json'], { env: { APRIORA_API_KEY: 'revoked-key' } });
    expect(json.code).toBe(4);
    expect(json.json().error.code).toBe('apriora_unauthorized');
    expect(json.json().data.apriora).toMatchObject({ apiKeySource: 'env', auth: { ok: false } });
  });
});
