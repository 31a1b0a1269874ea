/**
 * The CLI itself against a real Secret Service (see keychain.test.ts for how to run): `tracker login` keeps the
 * secrets in the keychain, `status` reads them from there, a locked keychain is reported as locked (exit 4), and
 * `logout` removes them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { KeychainSecretStore } from '../../src/store/keychain.js';
import { CliSandbox } from '../e2e/harness.js';
import { defaultCollection, lock, unlock } from './secret-service.js';

const enabled = process.env.APRIORA_KEYCHAIN_TEST === '1';

describe.skipIf(!enabled)('apriora with the OS keychain (real Secret Service)', () => {
  let sandbox: RunningSandbox;
  const cli = new CliSandbox();
  const profile = `kc-${process.pid}`;
  const keychain = { APRIORA_CREDENTIAL_STORE: 'keychain' };

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(async () => {
    await sandbox.close();
    cli.cleanup();
  });

  it('login stores in the keychain, status reads it, a locked keychain says so, logout removes it', async () => {
    const { apiKey, password, username, restToken } = sandbox.credentials;
    const login = await cli.run(
      [
        ...['--profile', profile, 'tracker', 'login', '--base-url', sandbox.trackerUrl, '--username', username],
        ...['--api-key-stdin', '--password-stdin', '--rest-token-stdin', '--json'],
      ],
      { env: keychain, input: `${apiKey}\n${password}\n${restToken}\n` },
    );
    expect(login.code, login.stderr).toBe(0);
    expect(login.json().data.credentialStore).toBe('keychain');
    expect(existsSync(join(cli.configDir, 'credentials.json'))).toBe(false);
    expect(readFileSync(join(cli.configDir, 'config.json'), 'utf8')).not.toContain(password);
    expect(await new KeychainSecretStore().get(`${profile}/tracker.password`)).toBe(password);
    expect(await new KeychainSecretStore().get(`${profile}/tracker.restToken`)).toBe(restToken);

    const status = await cli.run(['--profile', profile, 'tracker', 'status', '--json'], { env: keychain });
    expect(status.code, status.stderr).toBe(0);
    expect(status.json().data.credentialSources).toEqual({ username: 'profile', apiKey: 'keychain', password: 'keychain', restToken: 'keychain' });

    const collection = defaultCollection();
    lock(collection);
    try {
      const locked = await cli.run(['--profile', profile, 'tracker', 'status'], { env: keychain });
      expect(locked.code).toBe(4);
      expect(locked.stderr).toMatch(/^Error: The keychain is locked/m);
      expect(locked.stderr).not.toMatch(/Not logged in/);
    } finally {
      unlock(collection, process.env.APRIORA_KEYCHAIN_TEST_PASSWORD ?? '');
    }

    const logout = await cli.run(['--profile', profile, 'tracker', 'logout', '--json'], { env: keychain });
    expect(logout.json().data.removed).toEqual(['tracker.apiKey', 'tracker.password', 'tracker.restToken']);
    expect(await new KeychainSecretStore().get(`${profile}/tracker.password`)).toBeUndefined();
    expect(await new KeychainSecretStore().get(`${profile}/tracker.restToken`)).toBeUndefined();
  });
});
