import { openProfileStore, openSecrets, storeKindFor } from '../../cli/factory.js';
import type { Context } from '../../cli/context.js';
import type { CommandResult } from '../../cli/run.js';

const TRACKER_SECRETS = ['tracker.apiKey', 'tracker.password', 'tracker.restToken'] as const;

export default async function logout(_options: object, ctx: Context): Promise<CommandResult> {
  const profiles = await openProfileStore(ctx);
  const profile = profiles.get(ctx.profileName);
  const store = await openSecrets(ctx, storeKindFor(ctx, profile));
  const removed: string[] = [];
  const { accountFor } = await import('../../store/credentials.js');
  for (const name of TRACKER_SECRETS) {
    if (await store.delete(accountFor(ctx.profileName, name))) removed.push(name);
  }
  const envStillSet = ['TRACKER_API_KEY', 'TRACKER_PASSWORD'].filter((name) => ctx.env[name]);
  if (envStillSet.length) ctx.warn(`${envStillSet.join(' and ')} ${envStillSet.length > 1 ? 'are' : 'is'} still set in the environment`);
  return {
    data: { profile: ctx.profileName, removed, store: store.kind },
    render: () => ctx.out.line(removed.length
      ? `${ctx.out.colors.green('✓')} Removed the Tracker credentials of profile "${ctx.profileName}" from the ${store.kind === 'file' ? 'credentials file' : 'keychain'}`
      : `No Tracker credentials were stored for profile "${ctx.profileName}"`),
  };
}
