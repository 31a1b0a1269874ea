import { AuthError } from '../errors.js';
import type { SecretName } from '../store/credentials.js';
import type { SecretStore } from '../store/secret-store.js';
import type { Context } from './context.js';
import type { StoreKind } from './factory.js';
import { confirm } from './prompt.js';

/** What a login keeps, for its messages. */
export interface SecretLabels {
  /** "the Tracker API Key and Password" */
  what: string;
  /** The variables that do without a login: "TRACKER_API_KEY, TRACKER_USERNAME and TRACKER_PASSWORD". */
  envHint: string;
}

const KEYCHAIN_PROBE = 'keychain-check';

/**
 * Called by a login before it asks for anything: the store its secrets will go to. When that is the keychain and no
 * keychain can be reached (a server, a container, CI, WSL), a person at a terminal may choose the 0600 file now; a
 * script gets exit 4 at once, saying how to go on — never after the secrets were typed in.
 */
export async function chooseSecretStore(ctx: Context, kind: StoreKind, labels: SecretLabels): Promise<StoreKind> {
  if (kind !== 'keychain') return kind;
  try {
    // An account that is never stored: reading it needs no unlock prompt, and fails only when there is no keychain.
    await (await ctx.factory.secrets('keychain')).get(`${ctx.profileName}/${KEYCHAIN_PROBE}`);
    return kind;
  } catch (error) {
    if (!(error instanceof AuthError) || !/keychain_(unavailable|locked)/.test(error.code)) throw error;
    const [{ credentialsFilePath }, { configDir }] = await Promise.all([import('../store/credentials.js'), import('../store/paths.js')]);
    const reason = keychainReason(error);
    if (ctx.interactive && !ctx.yes) {
      ctx.stderr.write(`\n${ctx.errColors.yellow('WARNING')}: no OS keychain to keep ${labels.what} in (${reason}).\n`);
      if (await confirm(ctx, `Store ${labels.what} in a plain file readable only by you (0600) instead?`)) return 'file';
    }
    throw new AuthError(`No OS keychain to keep ${labels.what} in (${reason}); nothing was asked for or stored.`, {
      code: error.code,
      hint:
        `Run the login again with --insecure-storage to use a 0600 file (${credentialsFilePath(configDir(ctx.env))}) instead, ` +
        `or, in CI, skip the login and set ${labels.envHint}.`,
      details: error.details,
    });
  }
}

/** Why there is no keychain, short: "it is locked", "no Secret Service is running", else the keychain's own words. */
function keychainReason(error: AuthError): string {
  if (error.code === 'keychain_locked') return 'it is locked';
  const reason = String((error.details as { reason?: unknown } | undefined)?.reason ?? error.message);
  if (reason === 'timeout') return 'it did not answer in time';
  if (/org\.freedesktop\.secrets/i.test(reason)) return 'no Secret Service is running';
  if (/d-?bus/i.test(reason) && /failed to connect|autolaunch|DBUS_SESSION_BUS_ADDRESS/i.test(reason)) return 'no D-Bus session, so no Secret Service';
  return reason.split(' | ')[0]!;
}

/**
 * Secrets go to the keychain. When it is unavailable, a person at a terminal may choose the 0600 file after a
 * warning; a script gets an error instead: secrets are never written to a file implicitly.
 */
export async function saveSecrets(
  ctx: Context,
  kind: StoreKind,
  secrets: Partial<Record<SecretName, string>>,
  labels: SecretLabels,
): Promise<{ kind: SecretStore['kind']; where: string }> {
  const [{ accountFor, credentialsFilePath }, { configDir }] = await Promise.all([import('../store/credentials.js'), import('../store/paths.js')]);
  const where = credentialsFilePath(configDir(ctx.env));
  const write = async (store: SecretStore) => {
    for (const [name, value] of Object.entries(secrets)) {
      if (value !== undefined) await store.set(accountFor(ctx.profileName, name as SecretName), value);
    }
    return { kind: store.kind, where };
  };
  try {
    return await write(await ctx.factory.secrets(kind));
  } catch (error) {
    if (kind !== 'keychain' || !(error instanceof AuthError) || !/keychain_(unavailable|locked)/.test(error.code)) throw error;
    const fallback =
      ctx.interactive &&
      !ctx.yes &&
      (await (async () => {
        ctx.stderr.write(`\n${ctx.errColors.yellow('WARNING')}: ${error.message}\n`);
        return confirm(ctx, `Store ${labels.what} in a plain file readable only by you (0600) instead?`);
      })());
    if (!fallback) {
      throw new AuthError(`${error.message} Nothing was stored.`, {
        code: error.code,
        hint: `Unlock or start the keychain and log in again, pass --insecure-storage to use a 0600 file, or set ${labels.envHint}.`,
      });
    }
    return write(await ctx.factory.secrets('file'));
  }
}

/** Removes the profile's secrets from the store it uses; names the ones that were there. */
export async function removeSecrets(
  ctx: Context,
  names: SecretName[],
  { warnStillSet = true }: { warnStillSet?: boolean } = {},
): Promise<{ kind: SecretStore['kind']; removed: SecretName[] }> {
  const { accountFor, SECRET_ENV } = await import('../store/credentials.js');
  const store = await ctx.factory.secrets();
  const removed: SecretName[] = [];
  for (const name of names) {
    if (await store.delete(accountFor(ctx.profileName, name))) removed.push(name);
  }
  const stillSet = names.map((name) => SECRET_ENV[name]).filter((variable) => ctx.env[variable]);
  if (warnStillSet && stillSet.length) ctx.warn(`${stillSet.join(' and ')} ${stillSet.length > 1 ? 'are' : 'is'} still set in the environment`);
  return { kind: store.kind, removed };
}
