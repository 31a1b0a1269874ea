import { openProfileStore, storeKindFor } from '../../cli/factory.js';
import type { Context } from '../../cli/context.js';
import type { CommandResult } from '../../cli/run.js';
import { removeSecrets } from '../../cli/save-secrets.js';

export default async function logout(_options: object, ctx: Context): Promise<CommandResult> {
  const profiles = await openProfileStore(ctx);
  const { kind, removed } = await removeSecrets(ctx, storeKindFor(ctx, profiles.get(ctx.profileName)), ['tracker.apiKey', 'tracker.password', 'tracker.restToken']);
  return {
    data: { profile: ctx.profileName, removed, store: kind },
    render: () => ctx.out.line(removed.length
      ? `${ctx.out.colors.green('✓')} Removed the Tracker credentials of profile "${ctx.profileName}" from the ${kind === 'file' ? 'credentials file' : 'keychain'}`
      : `No Tracker credentials were stored for profile "${ctx.profileName}"`),
  };
}
