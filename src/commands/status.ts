import { aprioraStatus, trackerStatus } from '../cli/connections.js';
import { openProfileStore, openSecrets, storeKindFor } from '../cli/factory.js';
import type { Context } from '../cli/context.js';
import type { CommandResult } from '../cli/run.js';

type TrackerData = Awaited<ReturnType<typeof trackerStatus>>['data'];
type AprioraData = Awaited<ReturnType<typeof aprioraStatus>>['data'];

/** Both connections of the profile at a glance, like `gh auth status`; exit 4 when either is not usable. */
export default async function status(_options: object, ctx: Context): Promise<CommandResult> {
  const profiles = await openProfileStore(ctx);
  const profile = profiles.get(ctx.profileName);
  const store = storeKindFor(ctx, profile);
  const secrets = await openSecrets(ctx, store);
  const [tracker, apriora] = await Promise.all([trackerStatus(ctx, profile, secrets), aprioraStatus(ctx, profile, secrets)]);
  const data = {
    profile: ctx.profileName,
    sandbox: Boolean(profile?.sandbox),
    credentialStore: store,
    tracker: tracker.data,
    apriora: apriora.data,
    fieldMapComplete: Boolean(tracker.data.fieldMap),
  };
  return {
    data,
    error: tracker.failure ?? apriora.failure,
    render: () => {
      const { bold, dim } = ctx.out.colors;
      ctx.out.line(`${bold('Profile')} ${ctx.profileName}${data.sandbox ? dim(' (sandbox)') : ''}`);
      ctx.out.line();
      ctx.out.line(bold('Tracker'));
      renderTracker(ctx, tracker.data);
      ctx.out.line();
      ctx.out.line(bold('Apriora'));
      renderApriora(ctx, apriora.data);
    },
  };
}

export function renderTracker(ctx: Context, data: TrackerData): void {
  const { green, red, dim } = ctx.out.colors;
  const source = (value: string | null) => value ?? red('missing');
  ctx.out.fields([
    ['Host', data.host],
    ['Username', `${data.username ?? red('missing')}${data.credentialSources.username ? dim(` (from ${data.credentialSources.username})`) : ''}`],
    ['API Key', source(data.credentialSources.apiKey)],
    ['API Password', source(data.credentialSources.password)],
    ['Logon', data.logon.ok ? green('✓ accepted by Tracker') : red(`✗ ${data.logon.error?.message ?? 'not checked'}`)],
    ['Jobs are called', data.namingConventions ? data.namingConventions.opportunity ?? '-' : null],
    ['Candidates are called', data.namingConventions ? data.namingConventions.resource ?? '-' : null],
    ['Field map', data.fieldMap ? `${green('complete')} ${dim(`(activity "${data.activityType ?? 'Apriora Interview'}")`)}` : red('not mapped — run `apriora tracker fields map`')],
  ]);
}

function renderApriora(ctx: Context, data: AprioraData): void {
  const { green, red, yellow } = ctx.out.colors;
  const integration = data.trackerIntegration;
  ctx.out.fields([
    ['Host', data.host],
    ['API key', data.apiKeySource ?? red('missing')],
    ['Key', data.auth.ok ? green('✓ accepted by Apriora') : red(`✗ ${data.auth.error?.message ?? 'not checked'}`)],
    ['Default modality', data.defaultModality],
    ['Tracker integration', integration
      ? integration.hasCredentials
        ? `${green('connected')}${integration.activityFieldsComplete ? '' : yellow(' (activity fields not mapped)')}`
        : yellow('not connected — run `apriora tracker connect`')
      : null],
  ]);
}
