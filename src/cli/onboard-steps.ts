import type { Modality } from '../apriora/partner.js';
import { InputError } from '../errors.js';
import type { Region } from '../tracker/hosts.js';
import type { SettingsData } from '../tracker/schemas.js';
import type { FieldKey } from '../workflows/field-map.js';
import type { Context } from './context.js';
import type { StoreKind } from './factory.js';

/** One step of the onboarding guide and what this run found or did. */
export interface OnboardStep {
  id: string;
  title: string;
  /** done-before: nothing to do; done-now: done by this run; skipped: left as it is (optional); needs-support: Tracker Support must act. */
  status: 'done-before' | 'done-now' | 'skipped' | 'needs-support' | 'declined';
  detail: string;
}

/** The answers `onboard` may be given instead of being asked. */
export interface OnboardAnswers {
  region?: Region;
  baseUrl?: string;
  username?: string;
  sandbox?: boolean;
  insecureStorage?: boolean;
  aprioraBaseUrl?: string;
  modality?: Modality;
  fieldIds: Partial<Record<FieldKey, string>>;
  automations?: 'none' | 'invites' | 'interviews' | 'both';
  company?: string;
  /** The command that runs onboard again with this run's flags, for the hints of a step that stops. */
  next?: string;
}

/** A value as the shell reads it back: plain when it can be, else in single quotes. */
function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

/**
 * `apriora onboard` with every non-secret flag of this run (and --no-input when prompts are off), so that running the
 * hint as printed goes on with the same hosts, store and answers, whatever was saved before the run stopped.
 */
export function onboardAgain(ctx: Context, answers: OnboardAnswers): string {
  const words = ['apriora onboard'];
  const flag = (name: string, value: string | undefined) => {
    if (value !== undefined) words.push(`${name} ${shellWord(value)}`);
  };
  if (ctx.profileName !== 'default') flag('--profile', ctx.profileName);
  if (answers.sandbox) words.push('--sandbox');
  if (answers.insecureStorage) words.push('--insecure-storage');
  flag('--region', answers.region);
  flag('--base-url', answers.baseUrl);
  flag('--username', answers.username);
  flag('--apriora-base-url', answers.aprioraBaseUrl);
  flag('--modality', answers.modality);
  flag('--overall-score', answers.fieldIds.overallScore);
  flag('--report-link', answers.fieldIds.reportLink);
  flag('--grading-criteria', answers.fieldIds.gradingCriteria);
  flag('--feedback', answers.fieldIds.feedback);
  flag('--automations', answers.automations);
  flag('--company', answers.company);
  if (!ctx.interactive) words.push('--no-input');
  return words.join(' ');
}

/**
 * A value `onboard` needs and has neither from a flag nor from the environment, off a terminal: exit 2 naming both.
 * Secrets have no flag (a flag value shows in the shell history and `ps`): their variable, or a login first.
 */
export function missingAnswer(what: string, how: { flag?: string; env?: string; login?: string }): InputError {
  const ways = [how.flag && `pass ${how.flag}`, how.env && `set ${how.env}`, how.login && `log in first (${how.login})`].filter(Boolean);
  const text = ways.join(', or ');
  return new InputError(`${what} is required`, {
    code: 'missing_value',
    hint: `${text.charAt(0).toUpperCase()}${text.slice(1)} (prompts are off: no terminal, CI, or --no-input).`,
    details: { flag: how.flag ?? null, env: how.env ?? null },
  });
}

/** A secret from the environment or the profile's store, else typed at a terminal (masked), else exit 2. */
async function secretOrAsk(
  ctx: Context,
  known: string | undefined,
  question: string,
  how: { env: string; login: string },
  beforeAsking: () => Promise<void>,
  /** Why the saved one does not count (another host), for the error off a terminal. */
  why = '',
): Promise<{ value: string; typed: boolean }> {
  if (known !== undefined) return { value: known, typed: false };
  if (!ctx.interactive) throw missingAnswer(`${question}${why}`, how);
  await beforeAsking();
  const { askSecret } = await import('./prompt.js');
  return { value: await askSecret(ctx, question, { flag: how.login, env: how.env }), typed: true };
}

/**
 * The fix of rejected credentials: secrets from the environment are corrected there (a login would not change what
 * the next run reads); typed or stored ones by running onboard again.
 */
async function rejected(error: unknown, fromEnv: boolean, side: 'tracker' | 'apriora', next: string | undefined): Promise<unknown> {
  const { withRetryHint, correctVariablesHint, SECRET_VARIABLES } = await import('../workflows/hints.js');
  return withRetryHint(error, fromEnv ? correctVariablesHint(SECRET_VARIABLES[side]) : `run \`${next ?? 'apriora onboard'}\` again`);
}

/**
 * Step 1: Tracker credentials, verified against Tracker. Secrets from the environment stay there (nothing secret is
 * stored, as in CI); secrets typed at a terminal go to the profile's store (the keychain, or the 0600 file). The
 * profile keeps the non-secret settings: host, username, whether it is a sandbox.
 */
export async function trackerCredentialsStep(ctx: Context, answers: OnboardAnswers): Promise<{ step: OnboardStep; typed: boolean }> {
  const [{ parseBaseUrl }, { LOCAL_SANDBOX_URL }, connections, { settingFromEnv }, { chooseSecretStore, saveSecrets }] = await Promise.all([
    import('../tracker/hosts.js'),
    import('./local-sandbox.js'),
    import('../workflows/connections.js'),
    import('../store/credentials.js'),
    import('./save-secrets.js'),
  ]);
  const { factory } = ctx;
  const profiles = await factory.profiles();
  const profile = profiles.get(ctx.profileName);
  const saved = profile?.tracker;
  const envBaseUrl = connections.baseUrlFromEnv(ctx.env, 'tracker.baseUrl');
  const envRegion = connections.regionFromEnv(ctx.env);
  const where: { region?: Region | undefined; baseUrl?: string | undefined } | undefined = answers.baseUrl
    ? { baseUrl: parseBaseUrl(answers.baseUrl) }
    : answers.region
      ? { region: answers.region }
      : envBaseUrl
        ? { baseUrl: envBaseUrl }
        : envRegion
          ? { region: envRegion }
          : saved?.baseUrl || saved?.region
            ? { region: saved.baseUrl ? undefined : saved.region, baseUrl: saved.baseUrl }
            : answers.sandbox
              ? { baseUrl: LOCAL_SANDBOX_URL }
              : undefined;
  // The store chosen here keeps every secret onboarding asks for, not only the first two.
  const labels = {
    what: 'the secrets you type (the Tracker API Key and Password, then the REST API token and Apriora API key when asked for)',
    envHint: 'TRACKER_API_KEY, TRACKER_USERNAME, TRACKER_PASSWORD and APRIORA_API_KEY',
  };
  let kind: StoreKind = answers.insecureStorage ? 'file' : factory.storeToSaveIn(profile);
  let storeChosen = false;
  const chooseStore = async () => {
    if (storeChosen) return;
    kind = await chooseSecretStore(ctx, kind, labels);
    storeChosen = true;
  };
  const target = where ?? (ctx.interactive ? await (await import('./tracker-region.js')).askRegion(ctx) : undefined);
  if (!target) throw missingAnswer('The Tracker region', { flag: '--region us|ca|uk or --base-url URL', env: 'TRACKER_REGION or TRACKER_BASE_URL' });
  const { WIDGET_HOSTS } = await import('../tracker/hosts.js');
  const host = target.baseUrl ?? WIDGET_HOSTS[target.region ?? 'us'];

  // What the profile's store holds counts only for the host it was saved for.
  const savedHost = saved && (saved.baseUrl ?? WIDGET_HOSTS[saved.region ?? 'us']);
  const sameHost = !savedHost || savedHost === host;
  const otherHost = sameHost ? '' : ` for ${host} (the profile's saved one is for ${savedHost})`;
  const resolved = await factory.trackerTarget();
  const usable = (secret: typeof resolved.apiKey) => (secret && (secret.source === 'env' || sameHost) ? secret.value : undefined);
  // Where typed secrets will go is settled before anything is asked.
  if (ctx.interactive && (usable(resolved.apiKey) === undefined || usable(resolved.password) === undefined)) await chooseStore();
  // The username is no secret: a new host for the same profile keeps it unless another one is given.
  let username = answers.username ?? settingFromEnv('tracker.username', ctx.env) ?? saved?.username;
  if (username === undefined) {
    if (!ctx.interactive) throw missingAnswer('The Tracker API Username', { flag: '--username', env: 'TRACKER_USERNAME' });
    const { askText } = await import('./prompt.js');
    username = await askText(ctx, 'Tracker API Username (e-mail)', { flag: '--username', env: 'TRACKER_USERNAME' });
  }
  const login = 'apriora tracker login';
  const apiKey = await secretOrAsk(ctx, usable(resolved.apiKey), 'Tracker API Key', { env: 'TRACKER_API_KEY', login }, chooseStore, otherHost);
  const password = await secretOrAsk(ctx, usable(resolved.password), 'Tracker API Password', { env: 'TRACKER_PASSWORD', login }, chooseStore, otherHost);

  // Verified before anything is stored: rejected credentials leave the profile as it was.
  const rate = { perMinute: saved?.rateLimitPerMinute, burst: saved?.rateBurst };
  const client = await factory.trackerClient(host, { apiKey: apiKey.value, username, password: password.value }, rate);
  try {
    await client.checkLogon(ctx.signal);
  } catch (error) {
    const fromEnv = resolved.apiKey?.source === 'env' || resolved.password?.source === 'env';
    throw await rejected(error, fromEnv, 'tracker', answers.next);
  }

  const typed = { 'tracker.apiKey': apiKey.typed ? apiKey.value : undefined, 'tracker.password': password.typed ? password.value : undefined };
  const stored = apiKey.typed || password.typed ? await saveSecrets(ctx, kind, typed, labels) : undefined;
  // Both secrets from the environment for a profile that holds none: it is kept like a `tracker login --env-secrets`
  // one, so that a later run without the variables names them instead of asking a keychain that never held anything.
  const envOnly =
    !stored &&
    resolved.apiKey?.source === 'env' &&
    resolved.password?.source === 'env' &&
    (profile === undefined || profile.credentialStore === 'env' || (!profile.credentialStore && !profile.tracker && !profile.apriora));
  const next = {
    region: target.baseUrl ? undefined : target.region,
    baseUrl: target.baseUrl,
    username,
    sandbox: answers.sandbox ?? profile?.sandbox,
  };
  const settingsChanged =
    next.region !== saved?.region ||
    next.baseUrl !== saved?.baseUrl ||
    next.username !== saved?.username ||
    next.sandbox !== profile?.sandbox ||
    (envOnly && profile?.credentialStore !== 'env');
  if (settingsChanged || stored) {
    profiles.update(ctx.profileName, (current) => ({
      ...current,
      sandbox: next.sandbox,
      ...(stored && stored.kind !== 'memory' ? { credentialStore: stored.kind } : envOnly ? { credentialStore: 'env' as const } : {}),
      tracker: { ...current.tracker, region: next.region, baseUrl: next.baseUrl, username },
    }));
  }
  const source = apiKey.typed ? `saved in the ${stored?.kind === 'file' ? 'credentials file' : 'OS keychain'}` : `from ${resolved.apiKey?.source}`;
  return {
    step: {
      id: 'tracker.credentials',
      title: 'Tracker credentials',
      status: settingsChanged || stored ? 'done-now' : 'done-before',
      detail: `${username} at ${host}, accepted by Tracker (secrets ${source})`,
    },
    typed: stored !== undefined,
  };
}

/** The REST host the profile's stored REST token was saved for (before this run changes the Tracker host), if any. */
export async function savedTrackerRestHost(ctx: Context): Promise<string | undefined> {
  const profile = await ctx.factory.profile();
  if (!profile?.tracker) return undefined;
  const [{ trackerRestBaseUrl }, { WIDGET_HOSTS }] = await Promise.all([import('../workflows/connections.js'), import('../tracker/hosts.js')]);
  return trackerRestBaseUrl({}, profile, profile.tracker.baseUrl ?? WIDGET_HOSTS[profile.tracker.region ?? 'us']).value;
}

/**
 * The optional REST API token (only the applicant commands need it): checked when set, offered at a terminal after
 * typed secrets. A stored token saved for another host (`savedFor`, the profile's REST host before this run) is never
 * sent to this one: it is removed, as it no longer applies.
 */
export async function trackerRestTokenStep(ctx: Context, offer: boolean, savedFor?: string): Promise<OnboardStep> {
  const { factory } = ctx;
  const base = { id: 'tracker.restToken', title: 'Tracker REST API token' };
  const profile = await factory.profile();
  const rate = { perMinute: profile?.tracker?.rateLimitPerMinute, burst: profile?.tracker?.rateBurst };
  const rest = await factory.trackerRestTarget();
  let dropped = '';
  if (rest.token && rest.token.source !== 'env' && savedFor !== undefined && savedFor !== rest.baseUrl.value) {
    const { removeSecrets } = await import('./save-secrets.js');
    await removeSecrets(ctx, ['tracker.restToken'], { warnStillSet: false });
    dropped = `the saved one was for ${savedFor} and was removed; `;
    rest.token = undefined;
    offer = true;
  }
  if (rest.token) {
    await (await factory.trackerRestClient(rest.baseUrl.value, rest.token.value, rate)).verify(ctx.signal);
    return { ...base, status: 'done-before', detail: `accepted by Tracker at ${rest.baseUrl.value} (from ${rest.token.source})` };
  }
  if (offer && ctx.interactive) {
    const { askOptionalSecret } = await import('./prompt.js');
    const token = await askOptionalSecret(ctx, 'Tracker REST API token (optional; needed to read applicants — Enter to skip)');
    if (token !== undefined) {
      await (await factory.trackerRestClient(rest.baseUrl.value, token, rate)).verifyNewToken(ctx.signal);
      const { saveSecrets } = await import('./save-secrets.js');
      const labels = { what: 'the Tracker REST API token', envHint: 'TRACKER_REST_TOKEN' };
      await saveSecrets(ctx, factory.storeKind(profile), { 'tracker.restToken': token }, labels);
      return { ...base, status: 'done-now', detail: `accepted by Tracker at ${rest.baseUrl.value} and saved` };
    }
  }
  // A profile that keeps no secrets takes the token from the environment only.
  const how = factory.storeKind(profile) === 'env' ? 'set TRACKER_REST_TOKEN' : 'TRACKER_REST_TOKEN, or apriora tracker login --rest-token-stdin';
  return { ...base, status: 'skipped', detail: `${dropped || 'none set: '}only the applicant commands need it (${how})` };
}

/** What the activity type and field map steps found: a step each, or the request Tracker Support must act on. */
export type FieldMapOutcome = { steps: OnboardStep[]; support?: undefined } | { steps: OnboardStep[]; support: SupportNeeded };

/** What Tracker Support must create: the activity type (with its fields), or only the `fields` missing on it. */
export interface SupportNeeded {
  code: 'activity_type_missing' | 'activity_fields_missing';
  message: string;
  activityType: string;
  fields?: FieldKey[];
}

/**
 * Steps 2 and 3: the "Apriora Interview" activity type exists in Tracker with its four fields, and the profile maps
 * them. A saved map whose ids Tracker still lists on the activity is kept; otherwise the fields are picked by name,
 * asking on a terminal where a name is ambiguous (off a terminal: exit 2 naming the id flags).
 */
export async function fieldMapSteps(ctx: Context, settings: SettingsData, answers: OnboardAnswers): Promise<FieldMapOutcome> {
  const { ACTIVITY_FIELDS, DEFAULT_ACTIVITY_TYPE, findActivityType, proposeFieldMap } = await import('../workflows/field-map.js');
  const profile = await ctx.factory.profile();
  const wanted = profile?.tracker?.activityType ?? DEFAULT_ACTIVITY_TYPE;
  const type = findActivityType(settings, wanted);
  const typeStep: OnboardStep = { id: 'tracker.activityType', title: `Activity type "${type.name}"`, status: 'done-before', detail: 'exists in Tracker' };
  if (!type.found && type.known) {
    return {
      steps: [{ ...typeStep, status: 'needs-support', detail: 'missing in Tracker: only Tracker Support can create it' }],
      support: { code: 'activity_type_missing', message: `This Tracker database has no activity type "${wanted}"`, activityType: wanted },
    };
  }
  if (!type.known) typeStep.detail = 'not checked: Tracker listed no activity types';

  const { associations, proposals } = proposeFieldMap(settings.customFields);
  const onActivity = (id: string | undefined) =>
    settings.customFields.some((field) => String(field.Id) === id?.trim() && (associations.length === 0 || associations.includes(field.Association)));
  const savedMap = profile?.tracker?.fieldMap;
  const explicit = answers.fieldIds;
  const explicitDiffers = ACTIVITY_FIELDS.some((field) => explicit[field.key] !== undefined && explicit[field.key]?.trim() !== savedMap?.[field.key]);
  const mapStep = { id: 'tracker.fieldMap', title: 'Field map' };
  if (savedMap && !explicitDiffers && ACTIVITY_FIELDS.every((field) => onActivity(savedMap[field.key])) && profile?.tracker?.activityType === type.name) {
    const ids = ACTIVITY_FIELDS.map((field) => savedMap[field.key]).join(', ');
    return { steps: [typeStep, { ...mapStep, status: 'done-before', detail: `fields ${ids} on the activity` }] };
  }
  const absent = proposals.filter((proposal) => proposal.candidates.length === 0 && explicit[proposal.key] === undefined);
  if (absent.length) {
    const names = absent.map((proposal) => `"${proposal.label}"`).join(', ');
    return {
      steps: [typeStep, { ...mapStep, status: 'needs-support', detail: `no activity field named ${names} in Tracker: only Tracker Support can create them` }],
      support: {
        code: 'activity_fields_missing',
        message: `The "${type.name}" activity has no custom field ${names} in this Tracker database`,
        activityType: type.name,
        fields: absent.map((proposal) => proposal.key),
      },
    };
  }
  const { pickFieldMap, saveFieldMap } = await import('./field-map-choice.js');
  const { fields } = await pickFieldMap(ctx, settings, explicit, ctx.interactive ? 'ask' : 'auto');
  await saveFieldMap(ctx, type.name, fields);
  return {
    steps: [typeStep, { ...mapStep, status: 'done-now', detail: `fields ${fields.map((field) => field.id).join(', ')} mapped and saved` }],
  };
}

/**
 * Step 4: the Apriora API key, verified, and the profile's default interview modality. A key from the environment
 * stays there; one typed at a terminal is stored.
 */
export async function aprioraKeyStep(ctx: Context, answers: OnboardAnswers): Promise<OnboardStep> {
  const [{ DEFAULT_APRIORA_BASE_URL }, { parseBaseUrl }, { baseUrlFromEnv, verifyAprioraKey }, { sandboxAprioraUrl }, { chooseSecretStore, saveSecrets }] =
    await Promise.all([
      import('../apriora/partner.js'),
      import('../tracker/hosts.js'),
      import('../workflows/connections.js'),
      import('./local-sandbox.js'),
      import('./save-secrets.js'),
    ]);
  const { factory } = ctx;
  const profiles = await factory.profiles();
  const profile = profiles.get(ctx.profileName);
  const baseUrl = answers.aprioraBaseUrl
    ? parseBaseUrl(answers.aprioraBaseUrl, '--apriora-base-url')
    : (baseUrlFromEnv(ctx.env, 'apriora.baseUrl') ??
      profile?.apriora?.baseUrl ??
      (profile?.sandbox ? sandboxAprioraUrl(profile.tracker?.baseUrl) : DEFAULT_APRIORA_BASE_URL));
  const labels = { what: 'the Apriora API key', envHint: 'APRIORA_API_KEY' };
  const kind: StoreKind = answers.insecureStorage ? 'file' : factory.storeToSaveIn(profile);
  const resolved = await factory.aprioraTarget();
  let chosenKind: StoreKind = kind;
  const apiKey = await secretOrAsk(
    ctx,
    resolved.apiKey && (resolved.apiKey.source === 'env' || (profile?.apriora?.baseUrl ?? DEFAULT_APRIORA_BASE_URL) === baseUrl)
      ? resolved.apiKey.value
      : undefined,
    'Apriora API key',
    { env: 'APRIORA_API_KEY', login: 'apriora login' },
    async () => {
      chosenKind = await chooseSecretStore(ctx, kind, labels);
    },
  );
  try {
    await verifyAprioraKey(await factory.aprioraClient(baseUrl, apiKey.value), baseUrl, ctx.signal);
  } catch (error) {
    throw await rejected(error, !apiKey.typed && resolved.apiKey?.source === 'env', 'apriora', answers.next);
  }

  let modality = answers.modality ?? profile?.apriora?.defaultModality;
  if (modality === undefined) {
    if (!ctx.interactive) throw missingAnswer('The default interview modality', { flag: '--modality phone|video' });
    const { choose } = await import('./prompt.js');
    modality = await choose<Modality>(
      ctx,
      'Default interview modality of this profile',
      [
        { name: 'Phone', value: 'phone' },
        { name: 'Video', value: 'video' },
      ],
      { flag: '--modality phone|video' },
    );
  }
  const stored = apiKey.typed ? await saveSecrets(ctx, chosenKind, { 'apriora.apiKey': apiKey.value }, labels) : undefined;
  const savedBaseUrl = baseUrl === DEFAULT_APRIORA_BASE_URL ? undefined : baseUrl;
  const changed = stored !== undefined || savedBaseUrl !== profile?.apriora?.baseUrl || modality !== profile?.apriora?.defaultModality;
  if (changed) {
    profiles.update(ctx.profileName, (current) => ({
      ...current,
      ...(stored && stored.kind !== 'memory' ? { credentialStore: stored.kind } : {}),
      apriora: { ...current.apriora, baseUrl: savedBaseUrl, defaultModality: modality },
    }));
  }
  const source = apiKey.typed ? `saved in the ${stored?.kind === 'file' ? 'credentials file' : 'OS keychain'}` : `from ${resolved.apiKey?.source}`;
  return {
    id: 'apriora.key',
    title: 'Apriora API key',
    status: changed ? 'done-now' : 'done-before',
    detail: `accepted by Apriora at ${baseUrl} (key ${source}); interviews default to ${modality}`,
  };
}
