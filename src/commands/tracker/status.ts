import { openProfileStore, openSecrets, resolveTrackerTarget, storeKindFor, trackerClient } from '../../cli/factory.js';
import type { Context } from '../../cli/context.js';
import type { CommandResult } from '../../cli/run.js';
import { AppError, AuthError } from '../../errors.js';

export default async function status(_options: object, ctx: Context): Promise<CommandResult> {
  const profiles = await openProfileStore(ctx);
  const profile = profiles.get(ctx.profileName);
  const store = storeKindFor(ctx, profile);
  const target = await resolveTrackerTarget(ctx, profile, await openSecrets(ctx, store));
  const credentials = {
    username: target.username?.source ?? null,
    apiKey: target.apiKey?.source ?? null,
    password: target.password?.source ?? null,
  };

  let check: { ok: boolean; error?: { code: string; message: string } } = { ok: false };
  let naming: Record<string, string> | null = null;
  let failure: AppError | undefined;
  if (target.apiKey && target.username && target.password) {
    const client = await trackerClient(ctx, target.baseUrl, {
      apiKey: target.apiKey.value, username: target.username.value, password: target.password.value,
    }, profile?.tracker?.rateLimitPerMinute);
    try {
      await client.checkLogon(ctx.signal);
      const settings = await client.getSettingsData(ctx.signal);
      naming = Object.fromEntries(Object.entries(settings.namingConventions).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      check = { ok: true };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      failure = error;
      check = { ok: false, error: { code: error.code, message: error.message } };
    }
  } else {
    failure = new AuthError(`Not logged in to Tracker for profile "${ctx.profileName}"`, {
      code: 'not_logged_in',
      hint: `apriora tracker login${ctx.profileName === 'default' ? '' : ` --profile ${ctx.profileName}`}`,
    });
    check = { ok: false, error: { code: failure.code, message: failure.message } };
  }

  const fieldMap = profile?.tracker?.fieldMap ?? null;
  const data = {
    profile: ctx.profileName,
    sandbox: Boolean(profile?.sandbox),
    host: target.baseUrl,
    region: target.region ?? null,
    username: target.username?.value ?? null,
    credentialStore: store,
    credentialSources: credentials,
    logon: check,
    namingConventions: naming,
    activityType: profile?.tracker?.activityType ?? null,
    fieldMap,
  };
  return {
    data,
    error: failure,
    render: () => {
      const { green, red, dim } = ctx.out.colors;
      const source = (value: string | null) => value ?? red('missing');
      ctx.out.fields([
        ['Profile', `${ctx.profileName}${data.sandbox ? dim(' (sandbox)') : ''}`],
        ['Host', data.host],
        ['Username', `${data.username ?? red('missing')}${target.username ? dim(` (from ${target.username.source})`) : ''}`],
        ['API Key', source(credentials.apiKey)],
        ['API Password', source(credentials.password)],
        ['Logon', check.ok ? green('✓ accepted by Tracker') : red(`✗ ${check.error?.message ?? 'not checked'}`)],
        ['Jobs are called', naming ? naming.opportunity ?? naming.Opportunity ?? '-' : null],
        ['Candidates are called', naming ? naming.resource ?? naming.Resource ?? '-' : null],
        ['Field map', fieldMap ? `${green('complete')} ${dim(`(activity "${data.activityType ?? 'Apriora Interview'}")`)}` : red('not mapped — run `apriora tracker fields map`')],
      ]);
    },
  };
}
