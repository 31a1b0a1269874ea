import { Command, defineCommand, examples } from '../../cli/command.js';

export default defineCommand(
  () =>
    new Command('logout')
      .description("Remove the profile's stored Tracker secrets and its cached REST token")
      .addHelpText('after', examples('apriora tracker logout --profile acme')),
  async (_options, ctx) => {
    const { removeSecrets } = await import('../../cli/save-secrets.js');
    // The JWT exchanged for the profile's REST token goes too: it is as good as the token until it expires. (Another
    // profile sharing the token merely exchanges again on its next command.)
    const rest = await ctx.factory.trackerRestTarget();
    const jwtCache = rest.token && (await ctx.factory.restJwtCache(rest.baseUrl.value, rest.token.value));
    const { kind, removed } = await removeSecrets(ctx, ['tracker.apiKey', 'tracker.password', 'tracker.restToken']);
    const cachedRestJwt = jwtCache ? jwtCache.clear() : false;
    return {
      data: { profile: ctx.profileName, removed, store: kind, cachedRestJwt },
      render: () =>
        ctx.out.line(
          removed.length || cachedRestJwt
            ? `${ctx.out.colors.green('✓')} Removed the Tracker credentials of profile "${ctx.profileName}" ` +
                `from the ${kind === 'file' ? 'credentials file' : 'keychain'}${cachedRestJwt ? ', and its cached REST token' : ''}`
            : `No Tracker credentials were stored for profile "${ctx.profileName}"`,
        ),
    };
  },
);
