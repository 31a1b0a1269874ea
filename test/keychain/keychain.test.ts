/**
 * Real Secret Service tests. Run them through `bash .ci/keychain-session.sh npx vitest run --config
 * test/vitest.config.ts test/keychain`, which starts a private D-Bus session with an unlocked throwaway gnome-keyring
 * and sets APRIORA_KEYCHAIN_TEST=1 (and APRIORA_KEYCHAIN_TEST_PASSWORD, needed to unlock after the locked test).
 * Skipped otherwise.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../../src/errors.js';
import { KeychainSecretStore } from '../../src/store/keychain.js';
import { defaultCollection, isLocked, lock, searchItems, secretServicePid, unlock } from './secret-service.js';

const enabled = process.env.APRIORA_KEYCHAIN_TEST === '1';
const password = process.env.APRIORA_KEYCHAIN_TEST_PASSWORD;

const account = (name: string) => `kc-test-${randomBytes(4).toString('hex')}/${name}`;

async function rejection(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

describe.skipIf(!enabled)('KeychainSecretStore against a real Secret Service', () => {
  it('stores, reads, overwrites and deletes a credential', async () => {
    const store = new KeychainSecretStore();
    const acct = account('tracker.apiKey');
    expect(await store.get(acct)).toBeUndefined();
    await store.set(acct, 'first-value');
    await store.set(acct, 'second välue ✓');
    expect(await store.get(acct)).toBe('second välue ✓');
    // really in the Secret Service (not the kernel keyring), once, under service apriora-cli
    expect(searchItems(acct)[0]).toHaveLength(1);
    expect(await store.delete(acct)).toBe(true);
    expect(await store.get(acct)).toBeUndefined();
    expect(await store.delete(acct)).toBe(false);
    expect(searchItems(acct)).toEqual([[], []]);
  });

  it.skipIf(!password)('reports a locked keychain as keychain_locked, not as "not logged in"', async () => {
    const store = new KeychainSecretStore();
    const acct = account('tracker.password');
    const secret = `pw-${randomBytes(8).toString('hex')}`;
    await store.set(acct, secret);
    const collection = defaultCollection();
    lock(collection);
    try {
      expect(isLocked(collection)).toBe(true);
      expect(searchItems(acct)[1]).toHaveLength(1); // still there, just locked

      const started = Date.now();
      const read = await rejection(store.get(acct));
      expect(Date.now() - started).toBeLessThan(3_500);
      expect(read.code).toBe('keychain_locked');
      expect(read.exitCode).toBe(4);
      expect(read.message).toBe(`The keychain is locked: cannot read the credential "${acct}".`);
      expect(read.hint).toMatch(/TRACKER_PASSWORD/);

      // Item attributes stay searchable while locked: an account that was never stored is truly "not stored".
      expect(await store.get(account('apriora.apiKey'))).toBeUndefined();

      const write = await rejection(store.set(acct, 'new-secret-value'));
      expect(write.code).toBe('keychain_locked');
      const removal = await rejection(store.delete(acct));
      expect(removal.code).toBe('keychain_locked');

      for (const error of [read, write, removal]) {
        const text = JSON.stringify({ message: error.message, hint: error.hint, details: error.details });
        expect(text).not.toContain(secret);
        expect(text).not.toContain('new-secret-value');
      }
    } finally {
      unlock(collection, password as string);
    }
    expect(isLocked(collection)).toBe(false);
    expect(await store.get(acct)).toBe(secret); // locked did not lose it
    expect(await store.delete(acct)).toBe(true);
  });

  it('reports an unresponsive Secret Service as keychain_unavailable within the 3 s bound', async () => {
    const store = new KeychainSecretStore();
    const acct = account('apriora.webhookSecret');
    await store.set(acct, 'v');
    const pid = secretServicePid();
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGSTOP');
    let error: AuthError;
    const started = Date.now();
    try {
      error = await rejection(store.get(acct));
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    expect(Date.now() - started).toBeLessThan(3_500);
    expect(error.code).toBe('keychain_unavailable');
    expect(error.message).toMatch(/keychain is unavailable/);
    expect(await store.delete(acct)).toBe(true);
  });
});
