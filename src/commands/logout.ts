import { Command, defineCommand, examples } from '../cli/command.js';

export default defineCommand(
  () => new Command('logout').description("Remove the profile's stored Apriora API key").addHelpText('after', examples('apriora logout --profile acme')),
  async (_options, ctx) => {
    const { removeSecrets } = await import('../cli/save-secrets.js');
    const { kind, removed } = await removeSecrets(ctx, ['apriora.apiKey']);
    return {
      data: { profile: ctx.profileName, removed, store: kind },
      render: () =>
        ctx.out.line(
          removed.length
            ? `${ctx.out.colors.green('✓')} Removed the Apriora API key of profile "${ctx.profileName}"`
            : `No Apriora API key was stored for profile "${ctx.profileName}"`,
        ),
    };
  },
);
