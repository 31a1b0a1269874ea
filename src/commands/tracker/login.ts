import { askSecret, askText, choose } from '../../cli/prompt.js';
import { baseUrlFromEnv, openProfileStore, regionFromEnv, storeKindFor, trackerClient, type StoreKind } from '../../cli/factory.js';
import { settingFromEnv } from '../../store/credentials.js';
import { saveSecrets } from '../../cli/save-secrets.js';
import type { Context } from '../../cli/context.js';
import type { TrackerLoginOptions } from '../../cli/program.js';
import type { CommandResult } from '../../cli/run.js';
import { readStdinLines } from '../../cli/stdin.js';
import { parseBaseUrl, parseRegion, WIDGET_HOSTS, type Region } from '../../tracker/hosts.js';

/** Where `apriora sandbox start` listens by default; the sandbox module is loaded only when it is the target. */
async function localSandboxUrl(): Promise<string> {
  return (await import('../../sandbox/index.js')).SANDBOX_DEFAULT_ADDRESS.url;
}

export default async function login(options: TrackerLoginOptions, ctx: Context): Promise<CommandResult> {
  const profiles = await openProfileStore(ctx);
  const profile = profiles.get(ctx.profileName) ?? {};
  const { region, baseUrl } = await chooseTarget(ctx, options, profile.tracker);

  const piped = await readPipedSecrets(ctx, options);
  const username = options.username ?? settingFromEnv('tracker.username', ctx.env)
    ?? await askText(ctx, 'API Username (e-mail)', { flag: '--username', env: 'TRACKER_USERNAME' }, profile.tracker?.username);
  const apiKey = piped.apiKey ?? ctx.env.TRACKER_API_KEY
    ?? await askSecret(ctx, 'API Key', { flag: '--api-key-stdin', env: 'TRACKER_API_KEY' });
  const password = piped.password ?? ctx.env.TRACKER_PASSWORD
    ?? await askSecret(ctx, 'API Password', { flag: '--password-stdin', env: 'TRACKER_PASSWORD' });

  // Verify before storing anything: rejected credentials leave the profile as it was.
  const client = await trackerClient(ctx, baseUrl ?? WIDGET_HOSTS[region ?? 'us'], { apiKey, username, password }, options.rateLimit);
  await client.checkLogon(ctx.signal);

  const kind: StoreKind = options.insecureStorage ? 'file' : storeKindFor(ctx, profile);
  const stored = await saveSecrets(ctx, kind, { 'tracker.apiKey': apiKey, 'tracker.password': password }, {
    what: 'the Tracker API Key and Password',
    envHint: 'TRACKER_API_KEY, TRACKER_USERNAME and TRACKER_PASSWORD',
  });
  profiles.update(ctx.profileName, (current) => ({
    ...current,
    sandbox: options.sandbox ?? current.sandbox,
    credentialStore: stored.kind === 'memory' ? undefined : stored.kind,
    tracker: {
      ...current.tracker,
      region: baseUrl ? undefined : region,
      baseUrl,
      username,
      ...(options.rateLimit ? { rateLimitPerMinute: options.rateLimit } : {}),
    },
  }));

  const host = baseUrl ?? WIDGET_HOSTS[region ?? 'us'];
  const data = { profile: ctx.profileName, host, region: baseUrl ? null : region, username, credentialStore: stored.kind, sandbox: Boolean(options.sandbox ?? profile.sandbox) };
  return {
    data,
    render: () => {
      const { green } = ctx.out.colors;
      ctx.out.line(`${green('✓')} Logged in to Tracker at ${host} as ${username} (profile "${ctx.profileName}")`);
      ctx.out.line(`${green('✓')} API Key and API Password saved in the ${stored.kind === 'file' ? `credentials file ${stored.where}` : 'OS keychain'}`);
    },
  };
}

async function chooseTarget(ctx: Context, options: TrackerLoginOptions, saved: { region?: Region; baseUrl?: string } | undefined) {
  if (options.baseUrl) return { region: undefined, baseUrl: parseBaseUrl(options.baseUrl) };
  if (options.region) return { region: parseRegion(options.region), baseUrl: undefined };
  const envBaseUrl = baseUrlFromEnv(ctx, 'tracker.baseUrl');
  if (envBaseUrl) return { region: undefined, baseUrl: envBaseUrl };
  const envRegion = regionFromEnv(ctx);
  if (envRegion) return { region: envRegion, baseUrl: undefined };
  if (options.sandbox) return { region: undefined, baseUrl: saved?.baseUrl ?? await localSandboxUrl() };
  if (saved?.baseUrl || saved?.region) return { region: saved.baseUrl ? undefined : saved.region, baseUrl: saved.baseUrl };
  const region = await choose<Region>(ctx, 'Where is the Tracker database hosted?', [
    { name: 'United States', value: 'us', description: WIDGET_HOSTS.us },
    { name: 'Canada', value: 'ca', description: WIDGET_HOSTS.ca },
    { name: 'United Kingdom and rest of the world', value: 'uk', description: WIDGET_HOSTS.uk },
  ], { flag: '--region us|ca|uk or --base-url URL', env: 'TRACKER_REGION', what: 'The Tracker region' });
  return { region, baseUrl: undefined };
}

async function readPipedSecrets(ctx: Context, options: TrackerLoginOptions): Promise<{ apiKey?: string; password?: string }> {
  const flags = [options.apiKeyStdin && '--api-key-stdin', options.passwordStdin && '--password-stdin'].filter((flag): flag is string => Boolean(flag));
  if (flags.length === 0) return {};
  const lines = await readStdinLines(ctx.stdin, flags.length, flags);
  if (options.apiKeyStdin && options.passwordStdin) return { apiKey: lines[0], password: lines[1] };
  return options.apiKeyStdin ? { apiKey: lines[0] } : { password: lines[0] };
}
