import { join } from 'node:path';
import { AuthError, InputError } from '../errors.js';
import { CREDENTIALS_FILE_NAME, FileSecretStore } from './file-secrets.js';
import { KeychainSecretStore } from './keychain.js';
import type { Env } from './paths.js';
import { MemorySecretStore, type SecretStore, type SecretStoreKind } from './secret-store.js';

/** Every secret the CLI knows, with the environment variable that overrides it. */
export const SECRET_ENV = {
  'tracker.apiKey': 'TRACKER_API_KEY',
  'tracker.password': 'TRACKER_PASSWORD',
  'tracker.restToken': 'TRACKER_REST_TOKEN',
  'apriora.apiKey': 'APRIORA_API_KEY',
  'apriora.webhookSecret': 'APRIORA_WEBHOOK_SECRET',
} as const;

export type SecretName = keyof typeof SECRET_ENV;
/** Non-secret settings that the environment overrides (they live in the profile otherwise). */
export const SETTING_ENV = {
  'tracker.username': 'TRACKER_USERNAME',
  'tracker.region': 'TRACKER_REGION',
  'tracker.baseUrl': 'TRACKER_BASE_URL',
  'tracker.restBaseUrl': 'TRACKER_REST_BASE_URL',
  'apriora.baseUrl': 'APRIORA_BASE_URL',
} as const;

export type SettingName = keyof typeof SETTING_ENV;

/** Where a resolved secret came from (printed by `status` / `doctor`). */
export type CredentialSource = 'stdin' | 'env' | SecretStoreKind;

export interface ResolvedSecret {
  value: string;
  source: CredentialSource;
}

export interface ResolveOptions {
  profile: string;
  /** Value the command read from stdin (`--api-key-stdin`, `--password-stdin`); a trailing newline is dropped. */
  stdinValue?: string | undefined;
  env?: Env;
  /** The keychain, or the file store when the profile chose `credentialStore: 'file'`. */
  store?: SecretStore | undefined;
  /**
   * An optional secret (the REST token, the webhook secret): a machine with no keychain at all (no Secret Service)
   * cannot have stored it, so it reads as not set instead of failing commands that the environment fully configures.
   * A locked keychain (or one that hangs, perhaps on an unlock prompt) still fails: the secret may be in it.
   */
  optional?: boolean;
}

/** Keychain / file account of a secret: `<profile>/<secret name>`. */
export function accountFor(profile: string, name: SecretName): string {
  return `${profile}/${name}`;
}

/** A non-secret setting from the environment, when set and not empty. */
export function settingFromEnv(name: SettingName, env: Env = process.env): string | undefined {
  const value = env[SETTING_ENV[name]];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * First hit wins: (1) stdin, (2) environment, (3) the store (keychain, or the 0600 file when the profile asked for
 * it). Undefined when nothing is set anywhere. Store failures (keychain locked / unavailable) propagate: they must
 * never look like "not logged in".
 */
export async function resolveSecret(name: SecretName, options: ResolveOptions): Promise<ResolvedSecret | undefined> {
  if (options.stdinValue !== undefined) {
    const value = options.stdinValue.replace(/\r?\n$/, '');
    if (value === '') {
      throw new InputError(`Nothing was read from stdin for ${name}.`, {
        code: 'empty_stdin',
        hint: `Pipe the value in, or set ${SECRET_ENV[name]} instead.`,
      });
    }
    return { value, source: 'stdin' };
  }
  // A value read from a file with CRLF line ends (`export X=$(cat token.txt)`) keeps its CR: dropped, as from stdin.
  const fromEnv = (options.env ?? process.env)[SECRET_ENV[name]]?.replace(/[\r\n]+$/, '');
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, source: 'env' };
  if (!options.store) return undefined;
  let stored: string | undefined;
  try {
    stored = await options.store.get(accountFor(options.profile, name));
  } catch (error) {
    if (options.optional && isKeychainMissing(error)) return undefined;
    throw error;
  }
  return stored === undefined ? undefined : { value: stored, source: options.store.kind };
}

function isKeychainMissing(error: unknown): boolean {
  if (!(error instanceof AuthError) || error.code !== 'keychain_unavailable') return false;
  const details = error.details as { reason?: unknown } | undefined;
  return details?.reason !== 'timeout';
}

export function credentialsFilePath(configDir: string): string {
  return join(configDir, CREDENTIALS_FILE_NAME);
}

export interface OpenSecretStoreOptions {
  kind: SecretStoreKind;
  configDir: string;
}

/** The store to read and write secrets; nothing is loaded or touched until it is used. */
export function openSecretStore({ kind, configDir }: OpenSecretStoreOptions): SecretStore {
  switch (kind) {
    case 'keychain':
      return new KeychainSecretStore();
    case 'file':
      return new FileSecretStore(credentialsFilePath(configDir));
    case 'memory':
      return new MemorySecretStore();
  }
}
