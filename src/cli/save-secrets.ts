import { AuthError } from '../errors.js';
import type { SecretName } from '../store/credentials.js';
import type { SecretStore } from '../store/secret-store.js';
import type { Context } from './context.js';
import type { StoreKind } from './factory.js';
import { confirm } from './prompt.js';

/**
 * Secrets go to the keychain. When it is unavailable, a person at a terminal may choose the 0600 file after a
 * warning; a script gets an error instead: secrets are never written to a file implicitly.
 */
export async function saveSecrets(
  ctx: Context,
  kind: StoreKind,
  secrets: Partial<Record<SecretName, string>>,
  labels: { what: string; envHint: string },
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
export async function removeSecrets(ctx: Context, names: SecretName[]): Promise<{ kind: SecretStore['kind']; removed: SecretName[] }> {
  const { accountFor, SECRET_ENV } = await import('../store/credentials.js');
  const store = await ctx.factory.secrets();
  const removed: SecretName[] = [];
  for (const name of names) {
    if (await store.delete(accountFor(ctx.profileName, name))) removed.push(name);
  }
  const stillSet = names.map((name) => SECRET_ENV[name]).filter((variable) => ctx.env[variable]);
  if (stillSet.length) ctx.warn(`${stillSet.join(' and ')} ${stillSet.length > 1 ? 'are' : 'is'} still set in the environment`);
  return { kind: store.kind, removed };
}
