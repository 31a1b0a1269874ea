import { Command, defineCommand, examples } from '../../cli/command.js';
import { AuthError, InputError } from '../../errors.js';

/**
 * The guide's "enter these credentials in Settings > Integrations > Tracker": the profile's Tracker credentials,
 * region, activity type and field map go to Apriora's Tracker integration.
 */
export default defineCommand(
  () =>
    new Command('connect')
      .description("Send the profile's Tracker credentials and field map to Apriora's Tracker integration")
      .option('--dry-run', 'show what would be sent (secrets masked) without sending it')
      .addHelpText('after', examples('apriora tracker connect --dry-run', 'apriora tracker connect --profile acme --yes')),
  async (options, ctx) => {
    const [{ connectPayload, sendToIntegration }, { integrationSummary }] = await Promise.all([
      import('../../cli/tracker-connect.js'),
      import('../../workflows/tracker-integration.js'),
    ]);
    const tracker = await ctx.factory.tracker().catch((error: unknown) => {
      if (error instanceof AuthError && error.code === 'not_logged_in') {
        throw new InputError(`${error.message}: there are no Tracker credentials to send`, { code: 'tracker_credentials_missing', hint: error.hint });
      }
      throw error;
    });
    // Checked before Tracker is asked anything: a map is needed to build what is sent.
    const { requireFieldMap } = await import('../../workflows/field-map.js');
    requireFieldMap(tracker.profile?.tracker?.fieldMap, ctx.profileName);
    // Hand Apriora only credentials that Tracker accepts.
    await tracker.client.checkLogon(ctx.signal);
    const apriora = await ctx.factory.apriora();
    const { payload, shown } = await connectPayload(ctx, tracker);
    const summary = integrationSummary(tracker.target.baseUrl, payload, shown);

    if (options.dryRun) {
      return {
        data: { dryRun: true, wouldSend: shown, apriora: apriora.target.baseUrl },
        render: () => {
          ctx.out.line(`Would send to Apriora's Tracker integration at ${apriora.target.baseUrl}:`);
          ctx.out.fields(summary);
          ctx.out.line(ctx.out.colors.dim('Dry run: nothing sent.'));
        },
      };
    }
    const integration = await sendToIntegration(ctx, { tracker, apriora, payload, shown });
    if (!integration) return (await import('../../cli/prompt.js')).declined(ctx);
    return {
      data: { dryRun: false, sent: shown, integration },
      render: () => {
        const { green } = ctx.out.colors;
        ctx.out.line(`${green('✓')} Apriora's Tracker integration now holds the credentials of ${payload.credentials.username}`);
        ctx.out.line(`${green('✓')} Activity "${payload.activityType}" with fields ${Object.values(payload.activityFields).join(', ')}`);
      },
    };
  },
);
