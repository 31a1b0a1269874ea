import { connectApriora, connectTracker } from '../../cli/factory.js';
import type { Context } from '../../cli/context.js';
import type { TrackerConnectOptions } from '../../cli/program.js';
import { confirm } from '../../cli/prompt.js';
import type { CommandResult } from '../../cli/run.js';
import { AuthError, InputError, InterruptedError } from '../../errors.js';
import { redactKeys } from '../../http/redact.js';
import { DEFAULT_ACTIVITY_TYPE } from '../../workflows/field-map.js';

/**
 * The guide's "enter these credentials in Settings > Integrations > Tracker": the profile's Tracker credentials,
 * region, activity type and field map go to Apriora's Tracker integration.
 */
export default async function connect(options: TrackerConnectOptions, ctx: Context): Promise<CommandResult> {
  const tracker = await connectTracker(ctx).catch((error: unknown) => {
    if (error instanceof AuthError && error.code === 'not_logged_in') {
      throw new InputError(`${error.message}: there are no Tracker credentials to send`, { code: 'tracker_credentials_missing', hint: error.hint });
    }
    throw error;
  });
  const fieldMap = tracker.profile?.tracker?.fieldMap;
  if (!fieldMap) {
    throw new InputError(`The "Apriora Interview" field map of profile "${ctx.profileName}" is not set`, {
      code: 'field_map_missing',
      hint: `apriora tracker fields map${ctx.profileName === 'default' ? '' : ` --profile ${ctx.profileName}`}`,
    });
  }
  // Hand Apriora only credentials that Tracker accepts.
  await tracker.client.checkLogon(ctx.signal);
  const apriora = await connectApriora(ctx, tracker);

  const { target } = tracker;
  const payload = {
    credentials: {
      apiKey: target.apiKey!.value,
      username: target.username!.value,
      password: target.password!.value,
      region: target.region ?? null,
    },
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
    ctx.out.fields(summary);
    if (!await confirm(ctx, `Send these to Apriora's Tracker integration for profile "${ctx.profileName}"?`, true)) {
      throw new InterruptedError('Nothing sent');
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
}
