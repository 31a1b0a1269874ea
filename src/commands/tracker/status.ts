import { Command, defineCommand, examples } from '../../cli/command.js';

export default defineCommand(
  () =>
    new Command('status')
      .description('Show the Tracker connection of the profile and check that the credentials work')
      .addHelpText('after', examples('apriora tracker status', 'apriora tracker status --profile acme --json')),
  async (_options, ctx) => {
    const [{ trackerStatus, notLoggedIn }, { renderTrackerStatus }] = await Promise.all([
      import('../../workflows/connections.js'),
      import('../../cli/status-view.js'),
    ]);
    const { factory, profileName } = ctx;
    const probe = await factory.trackerProbe();
    const tracker = await trackerStatus({ ...probe, profileName }, ctx.signal);
    const data = { profile: profileName, sandbox: Boolean(probe.profile?.sandbox), credentialStore: factory.storeKind(probe.profile), ...tracker.data };
    const missing = !probe.profile && !probe.client;
    return {
      data,
      error: missing ? notLoggedIn(['tracker'], profileName, undefined, (await factory.profiles()).list()) : tracker.failure,
      render: () => {
        ctx.out.fields([['Profile', `${profileName}${data.sandbox ? ctx.out.colors.dim(' (sandbox)') : ''}`]]);
        renderTrackerStatus(ctx.out, tracker.data);
      },
    };
  },
);
