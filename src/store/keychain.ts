import { AuthError } from '../errors.js';
import type { SecretStore } from './secret-store.js';

export const KEYCHAIN_SERVICE = 'apriora-cli';
export const KEYCHAIN_TIMEOUT_MS = 3_000;

const FALLBACK_HINT =
  'Unlock or start your keyring (e.g. log in to a desktop session, or run `gnome-keyring-daemon --unlock`), ' +
  'or pass secrets via TRACKER_API_KEY / TRACKER_PASSWORD / APRIORA_API_KEY, ' +
  'or store them in a 0600 file with --insecure-storage.';

/** The part of an `@napi-rs/keyring` `AsyncEntry` this store uses (injectable for tests). */
export interface KeyringEntry {
  getPassword(signal?: AbortSignal | null): Promise<string | null>;
  setPassword(password: string, signal?: AbortSignal | null): Promise<void>;
  deleteCredential(signal?: AbortSignal | null): Promise<boolean>;
}

/** Builds an entry; may throw synchronously (the native constructor connects to D-Bus). */
export type KeyringEntryFactory = (service: string, account: string) => KeyringEntry;

export interface KeychainOptions {
  service?: string;
  timeoutMs?: number;
  /** Test seam; defaults to a lazy `import('@napi-rs/keyring')` pinned to the Secret Service on Linux. */
  loadEntryFactory?: () => Promise<KeyringEntryFactory>;
}

let nativeFactory: Promise<KeyringEntryFactory> | undefined;

/** Loads the native addon on first use only, so start-up never pays for it. */
function loadNativeEntryFactory(): Promise<KeyringEntryFactory> {
  nativeFactory ??= import('@napi-rs/keyring').then(
    (keyring): KeyringEntryFactory =>
      (service, account) =>
        // On Linux require the Secret Service: the kernel-keyring fallback silently loses secrets at reboot.
        new keyring.AsyncEntry(service, account, { linux: { store: 'secret-service' } }),
  );
  nativeFactory.catch(() => {
    nativeFactory = undefined;
  });
  return nativeFactory;
}

type Operation = 'read' | 'store' | 'delete';

class KeychainTimeout extends Error {}

/** OS keychain via `@napi-rs/keyring`; every call is bounded by `timeoutMs` (3 s). */
export class KeychainSecretStore implements SecretStore {
  readonly kind = 'keychain' as const;
  readonly service: string;
  readonly timeoutMs: number;
  readonly #load: () => Promise<KeyringEntryFactory>;

  constructor(options: KeychainOptions = {}) {
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.timeoutMs = options.timeoutMs ?? KEYCHAIN_TIMEOUT_MS;
    this.#load = options.loadEntryFactory ?? loadNativeEntryFactory;
  }

  async get(account: string): Promise<string | undefined> {
    const value = await this.#run('read', account, undefined, async (entry, signal) => {
      let found: string | null;
      try {
        found = await entry.getPassword(signal);
      } catch (error) {
        if (!isNoEntry(error)) throw error;
        found = null;
      }
      return found;
    });
    return value ?? undefined;
  }

  async set(account: string, value: string): Promise<void> {
    await this.#run('store', account, value, (entry, signal) => entry.setPassword(value, signal));
  }

  async delete(account: string): Promise<boolean> {
    return this.#run('delete', account, undefined, async (entry, signal) => {
      let deleted: boolean;
      try {
        deleted = await entry.deleteCredential(signal);
      } catch (error) {
        if (!isNoEntry(error)) throw error;
        deleted = false;
      }
      return deleted;
    });
  }

  async #run<T>(op: Operation, account: string, secret: string | undefined, call: (entry: KeyringEntry, signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new KeychainTimeout());
      }, this.timeoutMs);
    });
    // The AbortSignal only cancels a call that has not started yet; a D-Bus call already in flight keeps going
    // (libdbus gives up by itself after ~2 s), hence the race.
    const work = (async () => call((await this.#load())(this.service, account), controller.signal))();
    work.catch(() => undefined); // a late failure after the deadline must not become an unhandled rejection
    try {
      return await Promise.race([work, deadline]);
    } catch (error) {
      throw toAuthError(error, op, account, secret, this.timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Messages of an error and its causes, joined. */
function describe(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    parts.push(current instanceof Error ? current.message : String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(' | ');
}

function isNoEntry(error: unknown): boolean {
  return /no matching credential found|no matching entry found/i.test(describe(error));
}

/**
 * What `@napi-rs/keyring` 2.1.2 says (Linux, Secret Service pinned) — observed against gnome-keyring 42:
 * - locked collection, no prompter (headless) or prompt dismissed, for an account that IS stored (and for any set):
 *   "Couldn't access platform storage: Secret Service: unlock prompt was dismissed" (code GenericFailure, same text
 *   in `cause`). The crate also has "Secret Service: object locked".
 * - no session bus: the constructor throws "Platform failure: DBus error: Failed to connect to socket …" or
 *   "… Using X11 for dbus-daemon autolaunch was disabled …";
 * - bus without a Secret Service: "Platform failure: DBus error: The name org.freedesktop.secrets was not provided
 *   by any .service files";
 * - service hung: "Platform failure: DBus error: Did not receive a reply …" after ~2 s;
 * - keyring without a default collection: set rejects "Couldn't access platform storage: Secret Service: no result
 *   found".
 * - reading (or deleting) an account that is NOT stored in a locked collection resolves null (false) without an
 *   error: item attributes stay searchable while locked, so null truly means "not stored", and a stored item in a
 *   locked collection always surfaces as the unlock error above.
 */
const LOCKED = /\blocked\b|prompt (?:was )?dismissed|before prompt completed|interaction is not allowed/i;
const UNAVAILABLE = new RegExp(
  [
    'd-?bus',
    'secret service',
    'org\\.freedesktop\\.secrets',
    'platform failure',
    'platform storage',
    'no result found',
    'no default store',
    'keyutils',
    'not supported',
    'unavailable',
    'cannot find module',
    'no native binding',
  ].join('|'),
  'i',
);

function scrub(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}

function toAuthError(error: unknown, op: Operation, account: string, secret: string | undefined, timeoutMs: number) {
  const what = `${op} the credential "${account}"`;
  if (error instanceof KeychainTimeout) {
    return new AuthError(
      `The OS keychain is unavailable: it did not answer within ${timeoutMs / 1000} s when trying to ${what} ` +
        '(no responsive Secret Service, or it is waiting on an unlock prompt).',
      { code: 'keychain_unavailable', hint: FALLBACK_HINT, details: { account, operation: op, reason: 'timeout' } },
    );
  }
  const reason = scrub(describe(error), secret);
  const short = scrub(error instanceof Error ? error.message : String(error), secret);
  const details = { account, operation: op, reason };
  if (LOCKED.test(reason)) {
    return new AuthError(`The keychain is locked: cannot ${what}.`, {
      code: 'keychain_locked',
      hint: FALLBACK_HINT,
      details,
    });
  }
  if (UNAVAILABLE.test(reason)) {
    const why = /no result found/i.test(reason) ? 'the Secret Service has no default keyring collection' : short;
    return new AuthError(`The OS keychain is unavailable: cannot ${what} (${why}).`, {
      code: 'keychain_unavailable',
      hint: FALLBACK_HINT,
      details,
    });
  }
  return new AuthError(`The OS keychain failed to ${what}: ${short}`, {
    code: 'keychain_error',
    hint: FALLBACK_HINT,
    details,
  });
}
