import type { TrackerIntegration } from '../apriora/partner.js';
import type { IntegrationPayload } from '../workflows/tracker-integration.js';
import type { Context } from './context.js';
import type { AprioraConnection, TrackerConnection } from './factory.js';

/** The payload `tracker connect` sends for the profile, with its secrets masked for showing. */
export async function connectPayload(ctx: Context, tracker: TrackerConnection): Promise<{ payload: IntegrationPayload; shown: IntegrationPayload }> {
  const [{ redactKeys }, { requireTrackerCredentials }, { DEFAULT_ACTIVITY_TYPE, requireFieldMap }, { integrationPayload }] = await Promise.all([
    import('../http/redact.js'),
    import('../workflows/connections.js'),
    import('../workflows/field-map.js'),
    import('../workflows/tracker-integration.js'),
  ]);
  const fieldMap = requireFieldMap(tracker.profile?.tracker?.fieldMap, ctx.profileName);
  const credentials = requireTrackerCredentials(tracker.target, ctx.profileName);
  const payload = integrationPayload(credentials, tracker.target.region, tracker.profile?.tracker?.activityType ?? DEFAULT_ACTIVITY_TYPE, fieldMap);
  return { payload, shown: redactKeys(payload) as IntegrationPayload };
}

/**
 * Sends the payload to Apriora's Tracker integration: on a terminal, for a profile not marked as a sandbox, what will
 * be sent is shown first (secrets masked) and asked about (--yes skips the question; "no" sends nothing and gives undefined).
 */
export async function sendToIntegration(
  ctx: Context,
  input: { tracker: TrackerConnection; apriora: AprioraConnection; payload: IntegrationPayload; shown: IntegrationPayload },
): Promise<TrackerIntegration | undefined> {
  const [{ confirm }, { integrationSummary }] = await Promise.all([import('./prompt.js'), import('../workflows/tracker-integration.js')]);
  if (!input.tracker.profile?.sandbox && ctx.interactive && !ctx.yes) {
    ctx.preview.fields(integrationSummary(input.tracker.target.baseUrl, input.payload, input.shown));
    if (!(await confirm(ctx, `Send these to Apriora's Tracker integration for profile "${ctx.profileName}"?`, true))) {
      return undefined;
    }
  }
  return input.apriora.client.updateTrackerIntegration(input.payload, ctx.signal);
}
