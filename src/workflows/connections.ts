import type { AprioraClient } from '../apriora/client.js';
import { DEFAULT_APRIORA_BASE_URL } from '../apriora/hosts.js';
import { AppError, AuthError, InputError, NotFoundError } from '../errors.js';
import { type CredentialSource, resolveSecret, SETTING_ENV, settingFromEnv } from '../store/credentials.js';
import type { Env } from '../store/paths.js';
import type { Profile } from '../store/profiles.js';
import type { SecretStore } from '../store/secret-store.js';
import type { TrackerClient } from '../tracker/client.js';
import { parseBaseUrl, parseRegion, type Region, trackerBaseUrl, trackerPace } from '../tracker/hosts.js';
import type { TrackerRestClient } from '../tracker/rest.js';
import { derivedRestBaseUrl, restTokenHint } from '../tracker/rest-hosts.js';
import { correctVariablesHint, envProfileHint, loginHint, SECRET_VARIABLES, withRetryHint } from './hints.js';

/**
 * Where each connection of a profile points and where each credential came from (flag, env, keychain, file), and the
 * read-only checks `status` runs on them.
 */
export interface Resolved<T = string> {
  value: T;
  source: CredentialSource | 'flag' | 'profile' | 'default';
}

export interface Lookup {
  env: Env;
  profileName: string;
  profile: Profile | undefined;
  /** Undefined when there is nothing to read: a profile that does not exist. */
  secrets: SecretStore | undefined;
}

/** TRACKER_BASE_URL, TRACKER_REST_BASE_URL or APRIORA_BASE_URL, validated; undefined when unset or empty. */
export function baseUrlFromEnv(env: Env, name: 'tracker.baseUrl' | 'tracker.restBaseUrl' | 'apriora.baseUrl'): string | undefined {
  const value = settingFromEnv(name, env);
  return value === undefined ? undefined : parseBaseUrl(value, SETTING_ENV[name]);
}

/** TRACKER_REGION, validated; undefined when unset or empty. */
export function regionFromEnv(env: Env): Region | undefined {
  const value = settingFromEnv('tracker.region', env);
  return value === undefined ? undefined : parseRegion(value, SETTING_ENV['tracker.region']);
}

export interface TrackerTarget {
  baseUrl: string;
  region: Region | undefined;
  username: Resolved | undefined;
  apiKey: Resolved | undefined;
  password: Resolved | undefined;
  /** The host the profile's stored secrets were saved for, when the environment points elsewhere (they are not used). */
  storedFor?: string | undefined;
}

export interface TrackerCredentials {
  apiKey: string;
  username: string;
  password: string;
}

export async function resolveTrackerTarget({ env, profileName, profile, secrets }: Lookup): Promise<TrackerTarget> {
  const region = regionFromEnv(env) ?? profile?.tracker?.region;
  const baseUrl = baseUrlFromEnv(env, 'tracker.baseUrl') ?? profile?.tracker?.baseUrl;
  const envUsername = settingFromEnv('tracker.username', env);
  const username: Resolved | undefined = envUsername
    ? { value: envUsername, source: 'env' }
    : profile?.tracker?.username
      ? { value: profile.tracker.username, source: 'profile' }
      : undefined;
  const host = trackerBaseUrl({ region, baseUrl });
  // A stored secret is sent only to the host it was saved for: the profile's, not another one the environment names.
  const savedHost = profile?.tracker && trackerBaseUrl(profile.tracker);
  const otherHost = savedHost !== undefined && savedHost !== host;
  const lookup = { profile: profileName, env, store: otherHost ? undefined : secrets };
  const [apiKey, password] = await Promise.all([resolveSecret('tracker.apiKey', lookup), resolveSecret('tracker.password', lookup)]);
  return { baseUrl: host, region: baseUrl ? undefined : (region ?? 'us'), username, apiKey, password, ...(otherHost ? { storedFor: savedHost } : {}) };
}

/** The three Widget API credentials, when all are set. */
export function trackerCredentials(target: TrackerTarget): TrackerCredentials | undefined {
  const { apiKey, username, password } = target;
  return apiKey && username && password ? { apiKey: apiKey.value, username: username.value, password: password.value } : undefined;
}

/** The credentials, or an AuthError naming the missing ones and how to log in. */
export function requireTrackerCredentials(target: TrackerTarget, profileName: string, envOnly = false): TrackerCredentials {
  const credentials = trackerCredentials(target);
  if (credentials) return credentials;
  const missing = [
    !target.apiKey && 'API Key (TRACKER_API_KEY)',
    !target.username && 'API Username (TRACKER_USERNAME)',
    !target.password && 'API Password (TRACKER_PASSWORD)',
  ].filter(Boolean);
  const elsewhere = target.storedFor ? ` (its stored secrets are for ${target.storedFor}, not ${target.baseUrl})` : '';
  throw new AuthError(`Not logged in to Tracker for profile "${profileName}": missing ${missing.join(', ')}${elsewhere}`, {
    code: 'not_logged_in',
    hint: loginHint('tracker', profileName, true, envOnly),
  });
}

/** Where Tracker's REST API is, and the REST API token (the profile's fourth Tracker secret) when one is set. */
export interface TrackerRestTarget {
  baseUrl: Resolved;
  token: Resolved | undefined;
  /** The profile's own REST host, when another one is in use and the stored token was therefore not read. */
  storedFor?: string | undefined;
}

/**
 * The REST base URL, first hit wins: TRACKER_REST_BASE_URL, the profile's restBaseUrl (tracker login
 * --rest-base-url), the region's REST host when the Widget API is a region's host, else (a sandbox or emulator) the
 * Widget base URL followed by /tracker-rest.
 */
export function trackerRestBaseUrl(env: Env, profile: Profile | undefined, widgetBaseUrl: string): Resolved {
  const fromEnv = baseUrlFromEnv(env, 'tracker.restBaseUrl');
  if (fromEnv) return { value: fromEnv, source: 'env' };
  if (profile?.tracker?.restBaseUrl) return { value: profile.tracker.restBaseUrl, source: 'profile' };
  return { value: derivedRestBaseUrl(widgetBaseUrl), source: 'default' };
}

export async function resolveTrackerRestTarget({ env, profileName, profile, secrets }: Lookup, widget: TrackerTarget): Promise<TrackerRestTarget> {
  const baseUrl = trackerRestBaseUrl(env, profile, widget.baseUrl);
  // As for the Widget secrets: the stored token goes only to the REST host the profile names.
  const savedHost = profile?.tracker && trackerRestBaseUrl({}, profile, trackerBaseUrl(profile.tracker)).value;
  const otherHost = savedHost !== undefined && savedHost !== baseUrl.value;
  const token = await resolveSecret('tracker.restToken', { profile: profileName, env, store: otherHost ? undefined : secrets, optional: true });
  return { baseUrl, token, ...(otherHost ? { storedFor: savedHost } : {}) };
}

/** The REST API token, or an AuthError saying where the customer's admin generates one and how to log it in. */
export function requireTrackerRestToken(target: TrackerRestTarget, profileName: string, envOnly = false): string {
  if (target.token) return target.token.value;
  const elsewhere = target.storedFor
    ? ` at ${target.baseUrl.value} (the profile's REST host is ${target.storedFor}: a token it stores is not sent elsewhere)`
    : '';
  throw new AuthError(`No Tracker REST API token for profile "${profileName}"${elsewhere}: listing applicants needs Tracker's REST API`, {
    code: 'tracker_rest_token_missing',
    hint: restTokenHint(profileName, envOnly),
  });
}

const REGION_COUNTRIES: Record<Region, string> = { us: 'US', ca: 'CA', uk: 'GB' };

/** The country of phone numbers typed without a country code: the profile's (tracker login --country), else the region's. */
export function defaultCountry(profile: Profile | undefined, target: { region?: Region | undefined }): string {
  return profile?.tracker?.country ?? REGION_COUNTRIES[target.region ?? 'us'];
}

/** Codes of the right shape that name no country. */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ']);

/** An ISO 3166-1 alpha-2 country code, upper-cased; anything else is exit 2. */
export function parseCountry(value: string, source = '--country'): string {
  const code = value.trim().toUpperCase();
  if (code === 'UK') throw new InputError(`${source} takes ISO 3166 codes: the United Kingdom is GB, not UK`, { hint: `Use ${source} GB.` });
  let known = false;
  if (/^[A-Z]{2}$/.test(code) && !NOT_COUNTRIES.has(code)) {
    const name = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' }).of(code);
    known = name !== undefined && name !== code && name !== 'Unknown Region';
  }
  if (!known) {
    throw new InputError(`${source} must be a two-letter ISO 3166 country code, not "${value}"`, {
      hint: `For example ${source} US, CA or GB: the country of phone numbers typed without a country code.`,
    });
  }
  return code;
}

export interface AprioraTarget {
  baseUrl: string;
  apiKey: Resolved | undefined;
  /** The profile's own Apriora host, when another one is in use and the stored key was therefore not read. */
  storedFor?: string | undefined;
}

export async function resolveAprioraTarget({ env, profileName, profile, secrets }: Lookup): Promise<AprioraTarget> {
  const savedHost = profile?.apriora?.baseUrl ?? DEFAULT_APRIORA_BASE_URL;
  const baseUrl = baseUrlFromEnv(env, 'apriora.baseUrl') ?? savedHost;
  // The stored key goes only to the Apriora host the profile names.
  const otherHost = baseUrl !== savedHost && profile !== undefined;
  const apiKey = await resolveSecret('apriora.apiKey', { profile: profileName, env, store: baseUrl === savedHost ? secrets : undefined });
  return { baseUrl, apiKey, ...(otherHost ? { storedFor: savedHost } : {}) };
}

export function requireAprioraKey(target: AprioraTarget, profileName: string, envOnly = false): string {
  if (target.apiKey) return target.apiKey.value;
  const elsewhere = target.storedFor ? ` at ${target.baseUrl} (the profile's Apriora is ${target.storedFor}: a key it stores is not sent elsewhere)` : '';
  throw new AuthError(`Not logged in to Apriora for profile "${profileName}"${elsewhere}`, {
    code: 'not_logged_in',
    hint: loginHint('apriora', profileName, true, envOnly),
  });
}

/** Verifies before anything is stored: a rejected key is exit 4, a base URL that is not Apriora's API exit 2. */
export async function verifyAprioraKey(client: AprioraClient, baseUrl: string, signal: AbortSignal): Promise<void> {
  await client.verifyKey(signal).catch((error: unknown) => {
    if (error instanceof NotFoundError) {
      throw new InputError(`${baseUrl} does not look like the Apriora API: it has no /templates endpoint`, {
        hint: 'Check --base-url: it ends in /v1/api (the sandbox serves Apriora at <sandbox URL>/apriora/v1/api).',
      });
    }
    throw error;
  });
}

const SERVICE_NAMES = { tracker: 'Tracker', apriora: 'Apriora' } as const;

/**
 * What `status` says when a side has no credentials: "Not logged in to Tracker for profile …", or, for a profile that
 * does not exist at all, that there is no such profile (never a keychain error: the keychain is not asked). `known`
 * lists the profiles that do exist, for the hint.
 */
export function notLoggedIn(services: (keyof typeof SERVICE_NAMES)[], profileName: string, profile: Profile | undefined, known: string[] = []): AuthError {
  const to = services.length === 1 ? ` to ${SERVICE_NAMES[services[0]!]}` : '';
  const envOnly = profile?.credentialStore === 'env';
  const hint = envOnly ? envProfileHint(services, profileName) : services.map((service) => loginHint(service, profileName)).join(', then ');
  if (profile !== undefined) return new AuthError(`Not logged in${to} for profile "${profileName}"`, { code: 'not_logged_in', hint });
  const others = known.filter((name) => name !== profileName);
  return new AuthError(`Not logged in${to}: there is no profile "${profileName}"`, {
    code: 'not_logged_in',
    hint: `${hint}${others.length ? ` (profiles on this machine: ${others.join(', ')})` : ''}`,
    details: { profile: profileName, exists: false, profiles: others },
  });
}

export interface Check {
  ok: boolean;
  error?: { code: string; message: string };
}

function failed(error: AppError): Check {
  return { ok: false, error: { code: error.code, message: error.message } };
}

/** The Tracker side of `status`: where it points, where each credential came from, and whether Tracker accepts them. */
export async function trackerStatus(
  input: {
    target: TrackerTarget;
    client: TrackerClient | undefined;
    profile: Profile | undefined;
    profileName: string;
    /** Tracker's REST API: where, and a client when a REST API token is set. */
    rest: { target: TrackerRestTarget; client: TrackerRestClient | undefined };
  },
  signal: AbortSignal,
) {
  const { target, client, profile, profileName, rest } = input;
  let logon: Check;
  let naming: Record<string, string> | null = null;
  let failure: AppError | undefined;
  // The REST token is checked beside the logon: a cached JWT of the token when there is one, else one exchange.
  const restCheck = rest.client ? checkRest(rest.client, signal) : Promise.resolve(undefined);
  if (client) {
    try {
      await client.checkLogon(signal);
      const settings = await client.getSettingsData(signal);
      naming = Object.fromEntries(Object.entries(settings.namingConventions).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
      logon = { ok: true };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      // Secrets from the environment are corrected there: a login would not change what the next run reads.
      const fromEnv = target.apiKey?.source === 'env' || target.password?.source === 'env';
      failure = (fromEnv ? withRetryHint(error, correctVariablesHint(SECRET_VARIABLES.tracker)) : error) as AppError;
      logon = failed(failure);
    }
  } else {
    failure = notLoggedIn(['tracker'], profileName, profile);
    logon = failed(failure);
  }
  const restResult = await restCheck;
  // Without a REST token nothing fails: only the applicant commands need one, and they say so.
  failure ??= restResult?.failure;
  return {
    failure,
    data: {
      host: target.baseUrl,
      region: target.region ?? null,
      username: target.username?.value ?? null,
      credentialSources: {
        username: target.username?.source ?? null,
        apiKey: target.apiKey?.source ?? null,
        password: target.password?.source ?? null,
        restToken: rest.target.token?.source ?? null,
      },
      logon,
      namingConventions: naming,
      activityType: profile?.tracker?.activityType ?? null,
      fieldMap: profile?.tracker?.fieldMap ?? null,
      rest: {
        host: rest.target.baseUrl.value,
        hostSource: rest.target.baseUrl.source,
        /** null: no REST API token is set (not checked). */
        auth: restResult?.check ?? null,
      },
      defaultCountry: defaultCountry(profile, target),
      pace: trackerPace(profile?.tracker),
    },
  };
}

async function checkRest(client: TrackerRestClient, signal: AbortSignal): Promise<{ check: Check; failure?: AppError }> {
  try {
    await client.verify(signal);
    return { check: { ok: true } };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { check: failed(error), failure: error };
  }
}

export type TrackerStatus = Awaited<ReturnType<typeof trackerStatus>>['data'];

/** The Apriora side of `status`: host, key source, whether the key is accepted, and the Tracker integration's state. */
export async function aprioraStatus(
  input: { target: AprioraTarget; client: AprioraClient | undefined; profile: Profile | undefined; profileName: string },
  signal: AbortSignal,
) {
  const { target, client, profile, profileName } = input;
  let auth: Check;
  let integration: { hasCredentials: boolean; activityFieldsComplete: boolean } | null = null;
  let failure: AppError | undefined;
  if (client) {
    try {
      await client.verifyKey(signal);
      auth = { ok: true };
      const current = await client.getTrackerIntegration(signal);
      integration = {
        hasCredentials: current.hasCredentials,
        activityFieldsComplete: Object.values(current.activityFields ?? {}).every((id) => id !== null && id !== undefined && id !== ''),
      };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      failure = (target.apiKey?.source === 'env' ? withRetryHint(error, correctVariablesHint(SECRET_VARIABLES.apriora)) : error) as AppError;
      auth = failed(failure);
    }
  } else {
    failure = notLoggedIn(['apriora'], profileName, profile);
    auth = failed(failure);
  }
  return {
    failure,
    data: {
      host: target.baseUrl,
      apiKeySource: target.apiKey?.source ?? null,
      auth,
      defaultModality: profile?.apriora?.defaultModality ?? null,
      trackerIntegration: integration,
    },
  };
}

export type AprioraStatus = Awaited<ReturnType<typeof aprioraStatus>>['data'];
