import type { TrackerIntegration } from '../apriora/partner.js';
import { InputError } from '../errors.js';
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
  const [{ confirm }, { integrationSummary }, { DEFAULT_APRIORA_BASE_URL }] = await Promise.all([
    import('./prompt.js'),
    import('../workflows/tracker-integration.js'),
    import('../apriora/hosts.js'),
  ]);
  // Stored Tracker secrets go only to the profile's own Apriora: to another one (APRIORA_BASE_URL), only secrets the
  // environment gives. A customer's production credentials must not reach a staging account by a variable left set.
  const profileApriora = input.apriora.profile?.apriora?.baseUrl ?? DEFAULT_APRIORA_BASE_URL;
  const { apiKey, password } = input.tracker.target;
  const stored = [apiKey, password].filter((secret) => secret && secret.source !== 'env').length > 0;
  if (stored && input.apriora.target.baseUrl !== profileApriora) {
    throw new InputError(
      `Not sending the profile's stored Tracker secrets to ${input.apriora.target.baseUrl}: they go only to the profile's Apriora (${profileApriora})`,
      {
        code: 'other_apriora_host',
        hint: 'To connect that Apriora, give the Tracker secrets in TRACKER_API_KEY and TRACKER_PASSWORD; or unset APRIORA_BASE_URL.',
      },
    );
  }
  if (!input.tracker.profile?.sandbox && ctx.interactive && !ctx.yes) {
    ctx.preview.fields(integrationSummary(input.tracker.target.baseUrl, input.payload, input.shown));
    if (!(await confirm(ctx, `Send these to Apriora's Tracker integration for profile "${ctx.profileName}"?`, true))) {
      return undefined;
    }
  }
  return input.apriora.client.updateTrackerIntegration(input.payload, ctx.signal);
}
