import { trackerStatus } from '../../cli/connections.js';
import { openProfileStore, openSecrets, storeKindFor } from '../../cli/factory.js';
import type { Context } from '../../cli/context.js';
import type { CommandResult } from '../../cli/run.js';
import { renderTracker } from '../status.js';

export default async function status(_options: object, ctx: Context): Promise<CommandResult> {
  const profiles = await openProfileStore(ctx);
  const profile = profiles.get(ctx.profileName);
  const store = storeKindFor(ctx, profile);
  const tracker = await trackerStatus(ctx, profile, await openSecrets(ctx, store));
  const data = { profile: ctx.profileName, sandbox: Boolean(profile?.sandbox), credentialStore: store, ...tracker.data };
  return {
    data,
    error: tracker.failure,
    render: () => {
      ctx.out.fields([['Profile', `${ctx.profileName}${data.sandbox ? ctx.out.colors.dim(' (sandbox)') : ''}`]]);
      renderTracker(ctx, tracker.data);
    },
  };
}
