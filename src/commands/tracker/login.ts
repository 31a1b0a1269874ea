import { Command, defineCommand, examples, Option, positiveInt } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { SANDBOX_FLAG_HELP } from '../../cli/local-sandbox.js';
import { InputError } from '../../errors.js';
import type { Region } from '../../tracker/hosts.js';

const command = () =>
  new Command('login')
    .description("Verify a customer's Tracker API credentials and keep them in the OS keychain")
    .addOption(new Option('--region <region>', 'Tracker data centre').choices(['us', 'ca', 'uk'] as const))
    .option('--base-url <url>', 'Tracker Widget API base URL (a sandbox or emulator); overrides --region')
    .option('--username <email>', 'API Username issued by Tracker Support')
    .option('--api-key-stdin', 'read the API Key from standard input')
    .option('--password-stdin', 'read the API Password from standard input (after the API Key when both are piped)')
    .option('--rest-token-stdin', 'read the REST API token from standard input (after the API Key and Password when they are piped too)')
    .option('--with-rest-token', 'also log in a REST API token (for the applicant commands): asked for at a terminal unless piped or in TRACKER_REST_TOKEN')
    .option('--rest-base-url <url>', "Tracker REST API base URL (default: the region's REST host, or <base-url>/tracker-rest)")
    .option('--country <code>', "ISO country code of phone numbers typed without one (default: the region's: US, CA or GB)")
    .option('--sandbox', SANDBOX_FLAG_HELP.tracker)
    .option('--insecure-storage', 'keep the secrets in a 0600 file in the config dir instead of the keychain')
    .option(
      '--env-secrets',
      'verify the secrets of TRACKER_API_KEY and TRACKER_PASSWORD (and TRACKER_REST_TOKEN) and store none, removing any the profile stored: CI without a keychain (settings and --sandbox are saved)',
    )
    .option('--rate-limit <perMinute>', 'client-side limit of Tracker requests in any minute (default 90)', positiveInt)
    .option('--rate-burst <n>', 'Tracker requests that may go at once after a pause, within the limit (default: a tenth of it)', positiveInt)
    .addHelpText(
      'after',
      examples(
        'apriora tracker login --region us --username api.user@customer.com',
        'printf "%s\\n%s\\n" "$KEY" "$PASS" | apriora tracker login --region uk --username api@acme.com --api-key-stdin --password-stdin',
        'printf "%s\\n%s\\n%s\\n" "$KEY" "$PASS" "$REST_TOKEN" | apriora tracker login --region us --username api@acme.com --api-key-stdin --password-stdin --rest-token-stdin',
        'apriora tracker login --region uk --username api@acme.com --with-rest-token --country IE',
        'printf "%s\\n" "$REST_TOKEN" | apriora tracker login --profile acme --rest-token-stdin',
        'apriora tracker login --base-url http://127.0.0.1:4010 --sandbox',
        'TRACKER_API_KEY=… TRACKER_PASSWORD=… apriora tracker login --base-url "$TRACKER_SANDBOX_URL" --username api@acme.com --sandbox --env-secrets',
      ),
    );

type Options = ReturnType<ReturnType<typeof command>['opts']>;

export default defineCommand(command, async (options, ctx) => {
  const [
    { settingFromEnv },
    { WIDGET_HOSTS, DEFAULT_TRACKER_RATE_LIMIT },
    { askOptionalSecret, askSecret, askText },
    { chooseSecretStore, saveSecrets },
    connections,
  ] = await Promise.all([
    import('../../store/credentials.js'),
    import('../../tracker/hosts.js'),
    import('../../cli/prompt.js'),
    import('../../cli/save-secrets.js'),
    import('../../workflows/connections.js'),
  ]);
  const { factory } = ctx;
  const profiles = await factory.profiles();
  const profile = profiles.get(ctx.profileName) ?? {};
  const labels = {
    what: 'the Tracker API Key and Password',
    envHint:
      'TRACKER_API_KEY, TRACKER_USERNAME and TRACKER_PASSWORD (and TRACKER_BASE_URL or TRACKER_REGION); `apriora tracker login --env-secrets` checks them and saves the profile without storing them (apriora help ci)',
  };
  // The flags are checked first; then, before anything is asked, where the secrets will go and that it can be reached.
  const given = await givenTarget(ctx, options, profile.tracker);
  const { parseBaseUrl } = await import('../../tracker/hosts.js');
  const restBaseUrlFlag = options.restBaseUrl === undefined ? undefined : parseBaseUrl(options.restBaseUrl, '--rest-base-url');
  const country = options.country === undefined ? undefined : connections.parseCountry(options.country);
  const perMinute = options.rateLimit ?? profile.tracker?.rateLimitPerMinute ?? DEFAULT_TRACKER_RATE_LIMIT;
  if (options.rateBurst !== undefined && options.rateBurst > perMinute) {
    throw new InputError(`--rate-burst ${options.rateBurst} is more than the rate limit: at most ${perMinute} requests go in any minute`, {
      hint: `Give --rate-burst ${perMinute} or less (or a higher --rate-limit).`,
    });
  }
  // A burst saved for an earlier, higher limit no longer fits: the new limit's default is used.
  const keptBurst =
    options.rateBurst ?? (profile.tracker?.rateBurst !== undefined && profile.tracker.rateBurst <= perMinute ? profile.tracker.rateBurst : undefined);
  const rate = { perMinute, burst: keptBurst };
  // With --env-secrets the secrets stay in the environment: no store is probed or written, so no keychain is needed.
  const envSecrets = Boolean(options.envSecrets);
  if (envSecrets) assertEnvSecrets(ctx, options);
  // A login that stores secrets puts them in the keychain again when the profile kept them in the environment until now.
  const current = factory.storeKind(profile);
  if (current === 'env' && !envSecrets) assertNotTokenAlone(ctx, options);
  const kind = envSecrets ? 'env' : await chooseSecretStore(ctx, options.insecureStorage ? 'file' : factory.storeToSaveIn(profile), labels);
  const { region, baseUrl } = given ?? (await (await import('../../cli/tracker-region.js')).askRegion(ctx));

  const piped = await readPipedSecrets(ctx, options);
  // Neither piped nor in the environment, the API Key and Password the profile already holds are used again (and
  // verified again): adding or replacing the REST token alone, or a login from a script changing a setting. A person at
  // a terminal is asked for them as before, unless the login is only about the REST token.
  const restTokenLogin = Boolean(options.restTokenStdin || options.withRestToken);
  const secretsGiven =
    piped.apiKey !== undefined || piped.password !== undefined || (ctx.env.TRACKER_API_KEY !== undefined && ctx.env.TRACKER_PASSWORD !== undefined);
  const host = baseUrl ?? WIDGET_HOSTS[region ?? 'us'];
  const reuse = !secretsGiven && (!ctx.interactive || restTokenLogin);
  // Stored secrets go only to the host they were saved for: a login to another host (--base-url, --region, --sandbox)
  // needs them given again.
  const target = reuse ? await factory.trackerTarget() : undefined;
  const saved = target?.baseUrl === host && !target.storedFor ? target : undefined;
  const storedElsewhere =
    target && !saved && (target.storedFor !== undefined || [target.apiKey, target.password].some((secret) => secret && secret.source !== 'env'));
  const movedFrom = storedElsewhere ? (target.storedFor ?? target.baseUrl) : undefined;
  const reused = { apiKey: saved?.apiKey, password: saved?.password };
  const username =
    options.username ??
    settingFromEnv('tracker.username', ctx.env) ??
    (reused.apiKey && reused.password ? profile.tracker?.username : undefined) ??
    (await askText(ctx, 'API Username (e-mail)', { flag: '--username', env: 'TRACKER_USERNAME' }, profile.tracker?.username));
  let askedWidgetSecrets = false;
  const ask = (question: string, how: { flag: string; env: string }) => {
    askedWidgetSecrets = true;
    return askSecret(ctx, question, how);
  };
  const forHost = movedFrom ? ` for ${host} (the profile's saved one is for ${movedFrom})` : '';
  const apiKey =
    piped.apiKey ?? ctx.env.TRACKER_API_KEY ?? reused.apiKey?.value ?? (await ask(`API Key${forHost}`, { flag: '--api-key-stdin', env: 'TRACKER_API_KEY' }));
  const password =
    piped.password ??
    ctx.env.TRACKER_PASSWORD ??
    reused.password?.value ??
    (await ask(`API Password${forHost}`, { flag: '--password-stdin', env: 'TRACKER_PASSWORD' }));
  // The REST API token is optional (only the applicant commands need it): required with --with-rest-token, else
  // offered at a terminal after the Widget secrets were asked for (Enter skips it).
  const restToken =
    piped.restToken ??
    (ctx.env.TRACKER_REST_TOKEN || undefined) ??
    (options.withRestToken
      ? await askSecret(ctx, 'REST API token', { flag: '--rest-token-stdin', env: 'TRACKER_REST_TOKEN' })
      : askedWidgetSecrets
        ? await askOptionalSecret(ctx, 'REST API token (optional; needed to read applicants — Enter to skip)')
        : undefined);

  // Verify before storing anything: rejected credentials leave the profile as it was.
  const client = await factory.trackerClient(host, { apiKey, username, password }, rate);
  try {
    await client.checkLogon(ctx.signal);
  } catch (error) {
    if (!envSecrets) throw error;
    const { withRetryHint } = await import('../../workflows/hints.js');
    throw withRetryHint(error, "correct TRACKER_API_KEY, TRACKER_USERNAME and TRACKER_PASSWORD (in CI, the repository's secrets) and run again");
  }
  // The REST token is proven by one exchange, whose JWT the profile's next commands reuse.
  const restHost = connections.trackerRestBaseUrl(ctx.env, { tracker: { restBaseUrl: profile.tracker?.restBaseUrl } }, host).value;
  const restBaseUrl = restBaseUrlFlag ?? restHost;
  if (restToken !== undefined) await (await factory.trackerRestClient(restBaseUrl, restToken, rate)).verifyNewToken(ctx.signal);

  // A secret read back from the store it goes to is not written again.
  const keep = (secret: typeof reused.apiKey, value: string) => (secret?.value === value && secret.source === kind ? undefined : value);
  const widgetSecrets = { 'tracker.apiKey': keep(reused.apiKey, apiKey), 'tracker.password': keep(reused.password, password) };
  const keptWidgetSecrets = widgetSecrets['tracker.apiKey'] === undefined && widgetSecrets['tracker.password'] === undefined;
  const stored =
    kind === 'env' ? { kind: 'env' as const, where: '' } : await saveSecrets(ctx, kind, { ...widgetSecrets, 'tracker.restToken': restToken }, labels);
  // From now on no command reads the profile's store: what it held no longer applies (and may be for another host).
  const removed = kind === 'env' && current !== 'env' && profiles.get(ctx.profileName) ? await removeStoredSecrets(ctx) : [];
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
      rateBurst: keptBurst,
      ...(restBaseUrlFlag ? { restBaseUrl: restBaseUrlFlag } : {}),
      ...(country ? { country } : {}),
    },
  }));

  const data = {
    profile: ctx.profileName,
    host,
    region: baseUrl ? null : region,
    username,
    credentialStore: stored.kind,
    sandbox: Boolean(options.sandbox ?? profile.sandbox),
    restHost: restBaseUrl,
    /** A REST API token was verified and stored by this login. */
    restToken: restToken !== undefined,
    /** The API Key and Password the profile held were used again (none was given). */
    reusedCredentials: keptWidgetSecrets,
    country: country ?? connections.defaultCountry(profile, { region: baseUrl ? undefined : region }),
    /** The secrets the profile had stored, removed by --env-secrets. */
    removedSecrets: removed,
  };
  return {
    data,
    render: () => {
      const { green } = ctx.out.colors;
      ctx.out.line(`${green('✓')} Logged in to Tracker at ${host} as ${username} (profile "${ctx.profileName}")`);
      if (restToken !== undefined) ctx.out.line(`${green('✓')} REST API token accepted by Tracker at ${restBaseUrl}`);
      if (stored.kind === 'env') {
        const variables = restToken === undefined ? 'TRACKER_API_KEY and TRACKER_PASSWORD' : 'TRACKER_API_KEY, TRACKER_PASSWORD and TRACKER_REST_TOKEN';
        ctx.out.line(`${green('✓')} Nothing stored: each command reads the secrets from ${variables}`);
        if (removed.length) ctx.out.line(`${green('✓')} Removed what the profile had stored (${removed.join(', ')}): it no longer applies`);
        return;
      }
      const where = stored.kind === 'file' ? `credentials file ${stored.where}` : 'OS keychain';
      if (keptWidgetSecrets && restToken !== undefined) {
        ctx.out.line(`${green('✓')} REST API token saved in the ${where} (the stored API Key and API Password are kept)`);
      } else {
        const what = restToken === undefined ? 'API Key and API Password' : 'API Key, API Password and REST API token';
        ctx.out.line(`${green('✓')} ${what} ${keptWidgetSecrets ? 'kept' : 'saved'} in the ${where}`);
      }
    },
  };
});

/** Removes every secret the profile stored (in the store it used until now); a store that cannot be reached is a warning. */
async function removeStoredSecrets(ctx: Context): Promise<string[]> {
  const [{ SECRET_ENV }, { removeSecrets }] = await Promise.all([import('../../store/credentials.js'), import('../../cli/save-secrets.js')]);
  try {
    const { removed } = await removeSecrets(ctx, Object.keys(SECRET_ENV) as (keyof typeof SECRET_ENV)[], { warnStillSet: false });
    return removed;
  } catch (error) {
    // No keychain at all on this machine (CI): nothing can be stored in it.
    const { code, details } = error as { code?: unknown; details?: { reason?: unknown } };
    if (code !== 'keychain_unavailable' || details?.reason === 'timeout') {
      ctx.warn(`The secrets this profile stored could not be removed (${(error as Error).message}); no command reads them any more.`);
    }
    return [];
  }
}

/** --env-secrets takes every secret from the environment: piped secrets, a file store or a missing variable are exit 2. */
function assertEnvSecrets(ctx: Context, options: Options): void {
  const piped = [options.apiKeyStdin && '--api-key-stdin', options.passwordStdin && '--password-stdin', options.restTokenStdin && '--rest-token-stdin'];
  const stdinFlags = piped.filter(Boolean);
  const conflicting = [...stdinFlags, options.insecureStorage && '--insecure-storage'].filter(Boolean);
  if (conflicting.length) {
    const why = [options.insecureStorage && 'it stores no secret', stdinFlags.length && 'it reads no secret from stdin'].filter(Boolean).join(' and ');
    throw new InputError(`--env-secrets cannot be used with ${conflicting.join(' and ')}: ${why}`, {
      hint: 'Set TRACKER_API_KEY and TRACKER_PASSWORD (and TRACKER_REST_TOKEN) instead.',
    });
  }
  const missing = ['TRACKER_API_KEY', 'TRACKER_PASSWORD', ...(options.withRestToken ? ['TRACKER_REST_TOKEN'] : [])].filter((name) => !ctx.env[name]?.trim());
  if (missing.length) {
    throw new InputError(`--env-secrets reads the secrets from the environment, but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`, {
      code: 'missing_value',
      hint: `Set ${missing.join(' and ')} (in CI, from the repository's secrets), or log in without --env-secrets.`,
    });
  }
}

/**
 * A profile logged in with --env-secrets keeps no secrets, so a REST token alone has nowhere to go beside them: it is
 * set as TRACKER_REST_TOKEN, or the whole login is done again without --env-secrets (which stores them all).
 */
function assertNotTokenAlone(ctx: Pick<Context, 'profileName'>, options: Options): void {
  const tokenLogin = options.restTokenStdin || options.withRestToken;
  // Only piped Widget secrets make it a new login that stores them all; those of the environment stay there.
  const widgetGiven = options.apiKeyStdin || options.passwordStdin;
  if (!tokenLogin || widgetGiven) return;
  const flag = options.restTokenStdin ? '--rest-token-stdin' : '--with-rest-token';
  throw new InputError(`Profile "${ctx.profileName}" keeps no secrets (it was logged in with --env-secrets): ${flag} has nowhere to store the REST API token`, {
    code: 'env_profile',
    hint:
      'Set TRACKER_REST_TOKEN beside TRACKER_API_KEY and TRACKER_PASSWORD, or log in again without --env-secrets to store them all ' +
      '(--api-key-stdin --password-stdin --rest-token-stdin).',
  });
}

/** The target that the flags, the environment or the profile give, validated; undefined when the region must be asked. */
async function givenTarget(ctx: Context, options: Options, saved: { region?: Region; baseUrl?: string } | undefined) {
  const [{ parseBaseUrl, parseRegion }, { baseUrlFromEnv, regionFromEnv }, { LOCAL_SANDBOX_URL }] = await Promise.all([
    import('../../tracker/hosts.js'),
    import('../../workflows/connections.js'),
    import('../../cli/local-sandbox.js'),
  ]);
  if (options.baseUrl) return { region: undefined, baseUrl: parseBaseUrl(options.baseUrl) };
  if (options.region) return { region: parseRegion(options.region), baseUrl: undefined };
  const envBaseUrl = baseUrlFromEnv(ctx.env, 'tracker.baseUrl');
  if (envBaseUrl) return { region: undefined, baseUrl: envBaseUrl };
  const envRegion = regionFromEnv(ctx.env);
  if (envRegion) return { region: envRegion, baseUrl: undefined };
  if (options.sandbox) return { region: undefined, baseUrl: saved?.baseUrl ?? LOCAL_SANDBOX_URL };
  if (saved?.baseUrl || saved?.region) return { region: saved.baseUrl ? undefined : saved.region, baseUrl: saved.baseUrl };
  return undefined;
}

/** The secrets piped on stdin, one a line in this order: API Key, API Password, REST API token (only those flagged). */
async function readPipedSecrets(ctx: Context, options: Options): Promise<{ apiKey?: string; password?: string; restToken?: string }> {
  const wanted = (
    [
      ['apiKey', options.apiKeyStdin, '--api-key-stdin'],
      ['password', options.passwordStdin, '--password-stdin'],
      ['restToken', options.restTokenStdin, '--rest-token-stdin'],
    ] as const
  ).filter(([, flagged]) => flagged);
  if (wanted.length === 0) return {};
  const { readStdinLines } = await import('../../cli/stdin.js');
  const lines = await readStdinLines(
    ctx.stdin,
    wanted.length,
    wanted.map(([, , flag]) => flag),
    ctx.signal,
  );
  return Object.fromEntries(wanted.map(([name], index) => [name, lines[index]]));
}
