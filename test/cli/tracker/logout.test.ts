import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../../src/sandbox/index.js';
import { aprioraLogin, expectEnvelope, sandboxSecrets, startTestSandbox, TestCli, trackerLogin } from '../../support/cli.js';

let sandbox: RunningSandbox;
let cli: TestCli;

beforeAll(async () => {
  sandbox = await startTestSandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.reset();
  cli = new TestCli();
});
afterEach(() => cli.cleanup());

describe('apriora tracker logout', () => {
  it('removes the stored Tracker secrets (and only those); status is then exit 4', async () => {
    expect((await trackerLogin(cli, sandbox)).code).toBe(0);
    expect((await aprioraLogin(cli, sandbox)).code).toBe(0);
    const result = await cli.run(['tracker', 'logout', '--json']);
    expect(result.code).toBe(0);
    expect(expectEnvelope(result, true).data).toEqual({ profile: 'default', removed: ['tracker.apiKey', 'tracker.password'], store: 'file' });
    const stored = readFileSync(join(cli.configDir, 'credentials.json'), 'utf8');
    const { apiKey, password, aprioraApiKey } = sandbox.credentials;
    for (const secret of [apiKey, password]) expect(stored).not.toContain(secret);
    expect(cli.storedSecrets()).toEqual({ 'default/apriora.apiKey': aprioraApiKey });
    expect((await cli.run(['tracker', 'status'])).code).toBe(4);
    // the profile itself stays: a new login only needs the secrets
    expect(cli.config().profiles.default.tracker.username).toBe(sandbox.credentials.username);
  });

  it('says what it removed, and that nothing was there the second time', async () => {
    expect((await trackerLogin(cli, sandbox)).code).toBe(0);
    const first = await cli.run(['tracker', 'logout']);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe('✓ Removed the Tracker credentials of profile "default" from the credentials file\n');
    const second = await cli.run(['tracker', 'logout']);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('No Tracker credentials were stored for profile "default"\n');
    expect((await cli.run(['tracker', 'logout', '--json'])).json().data.removed).toEqual([]);
    for (const secret of sandboxSecrets(sandbox)) expect(first.stdout + second.stdout).not.toContain(secret);
  });

  it('warns when the environment still holds a Tracker secret', async () => {
    expect((await trackerLogin(cli, sandbox)).code).toBe(0);
    const json = await cli.run(['tracker', 'logout', '--json'], { env: { TRACKER_PASSWORD: 'from-env' } });
    expect(json.code).toBe(0);
    expect(json.json().warnings).toEqual(['TRACKER_PASSWORD is still set in the environment']);
    const human = await cli.run(['tracker', 'logout'], { env: { TRACKER_API_KEY: 'k', TRACKER_PASSWORD: 'p' } });
    expect(human.stderr).toBe('Warning: TRACKER_API_KEY and TRACKER_PASSWORD are still set in the environment\n');
  });

  it('an invalid profile name is exit 2', async () => {
    const result = await cli.run(['tracker', 'logout', '--profile', '../etc', '--json']);
    expect(result.code).toBe(2);
    expect(expectEnvelope(result, false).error.message).toMatch(/Invalid profile name "\.\.\/etc"/);
  });
});
