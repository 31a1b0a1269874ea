import { Command, defineCommand, examples } from '../../cli/command.js';

export default defineCommand(
  () =>
    new Command('logout').description("Remove the profile's stored Tracker secrets").addHelpText('after', examples('apriora tracker logout --profile acme')),
  async (_options, ctx) => {
    const { removeSecrets } = await import('../../cli/save-secrets.js');
    const { kind, removed } = await removeSecrets(ctx, ['tracker.apiKey', 'tracker.password', 'tracker.restToken']);
    return {
      data: { profile: ctx.profileName, removed, store: kind },
      render: () =>
        ctx.out.line(
          removed.length
            ? `${ctx.out.colors.green('✓')} Removed the Tracker credentials of profile "${ctx.profileName}" ` +
                `from the ${kind === 'file' ? 'credentials file' : 'keychain'}`
            : `No Tracker credentials were stored for profile "${ctx.profileName}"`,
        ),
    };
  },
);
