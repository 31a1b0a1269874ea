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
    const { confirm, declined } = await import('../../cli/prompt.js');
    const [{ redactKeys }, { requireTrackerCredentials }, { DEFAULT_ACTIVITY_TYPE, requireFieldMap }] = await Promise.all([
      import('../../http/redact.js'),
      import('../../workflows/connections.js'),
      import('../../workflows/field-map.js'),
    ]);
    const tracker = await ctx.factory.tracker().catch((error: unknown) => {
      if (error instanceof AuthError && error.code === 'not_logged_in') {
        throw new InputError(`${error.message}: there are no Tracker credentials to send`, { code: 'tracker_credentials_missing', hint: error.hint });
      }
      throw error;
    });
    const fieldMap = requireFieldMap(tracker.profile?.tracker?.fieldMap, ctx.profileName);
    // Hand Apriora only credentials that Tracker accepts.
    await tracker.client.checkLogon(ctx.signal);
    const apriora = await ctx.factory.apriora();

    const { target } = tracker;
    const credentials = requireTrackerCredentials(target, ctx.profileName);
    const payload = {
      credentials: { ...credentials, region: target.region ?? null },
      activityType: tracker.profile?.tracker?.activityType ?? DEFAULT_ACTIVITY_TYPE,
      activityFields: {
        overallScore: Number(fieldMap.overallScore),
        reportLink: Number(fieldMap.reportLink),
        gradingCriteria: Number(fieldMap.gradingCriteria),
        feedback: Number(fieldMap.feedback),
      },
    };
    const shown = redactKeys(payload) as typeof payload;
    const summary = [
      ['Tracker host', target.baseUrl],
      ['Region', payload.credentials.region ?? '(custom base URL)'],
      ['API Username', payload.credentials.username],
      ['API Key', shown.credentials.apiKey],
      ['API Password', shown.credentials.password],
      ['Activity type', payload.activityType],
      ['Overall Score', payload.activityFields.overallScore],
      ['Report link', payload.activityFields.reportLink],
      ['Grading Criteria', payload.activityFields.gradingCriteria],
      ['Feedback', payload.activityFields.feedback],
    ] as [string, string | number][];

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
    if (!tracker.profile?.sandbox && ctx.interactive && !ctx.yes) {
      ctx.preview.fields(summary);
      if (!(await confirm(ctx, `Send these to Apriora's Tracker integration for profile "${ctx.profileName}"?`, true))) {
        return declined(ctx);
      }
    }
    const integration = await apriora.client.updateTrackerIntegration(payload, ctx.signal);
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
