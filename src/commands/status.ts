import { Command, defineCommand, examples } from '../cli/command.js';

/** Both connections of the profile at a glance, like `gh auth status`; exit 4 when either is not usable. */
export default defineCommand(
  () =>
    new Command('status')
      .description('Both connections of the profile at a glance: Tracker and Apriora')
      .addHelpText('after', examples('apriora status', 'apriora status --profile acme --json')),
  async (_options, ctx) => {
    const [{ trackerStatus, aprioraStatus, notLoggedIn }, { renderTrackerStatus, renderAprioraStatus }] = await Promise.all([
      import('../workflows/connections.js'),
      import('../cli/status-view.js'),
    ]);
    const { factory, profileName, signal } = ctx;
    const profile = await factory.profile();
    const [tracker, apriora] = await Promise.all([
      factory.trackerProbe().then((probe) => trackerStatus({ ...probe, profileName }, signal)),
      factory.aprioraProbe().then((probe) => aprioraStatus({ ...probe, profileName }, signal)),
    ]);
    const data = {
      profile: profileName,
      sandbox: Boolean(profile?.sandbox),
      credentialStore: factory.storeKind(profile),
      tracker: tracker.data,
      apriora: apriora.data,
      fieldMapComplete: Boolean(tracker.data.fieldMap),
    };
    // A profile that does not exist, and nothing in the environment: one error that says so, for both sides.
    const missing = !profile && tracker.failure?.code === 'not_logged_in' && apriora.failure?.code === 'not_logged_in';
    return {
      data,
      error: missing ? notLoggedIn(['tracker', 'apriora'], profileName, profile, (await factory.profiles()).list()) : (tracker.failure ?? apriora.failure),
      render: () => {
        const { bold, dim } = ctx.out.colors;
        ctx.out.line(`${bold('Profile')} ${profileName}${data.sandbox ? dim(' (sandbox)') : ''}`);
        ctx.out.line();
        ctx.out.line(bold('Tracker'));
        renderTrackerStatus(ctx.out, tracker.data);
        ctx.out.line();
        ctx.out.line(bold('Apriora'));
        renderAprioraStatus(ctx.out, apriora.data);
      },
    };
  },
);
