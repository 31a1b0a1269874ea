import { AuthError } from '../errors.js';
import { HttpClient } from '../http/client.js';
import type { Profile, Profiles } from '../store/profiles.js';
import type { SecretStore } from '../store/secret-store.js';
import { SETTING_ENV, settingFromEnv, type CredentialSource } from '../store/credentials.js';
import type { AprioraClient } from '../apriora/client.js';
import type { TrackerClient } from '../tracker/client.js';
import { parseBaseUrl, parseRegion, trackerBaseUrl, type Region } from '../tracker/hosts.js';
import type { Context } from './context.js';

/** TRACKER_BASE_URL or APRIORA_BASE_URL, validated; undefined when unset or empty. */
export function baseUrlFromEnv(ctx: Context, name: 'tracker.baseUrl' | 'apriora.baseUrl'): string | undefined {
  const value = settingFromEnv(name, ctx.env);
  return value === undefined ? undefined : parseBaseUrl(value, SETTING_ENV[name]);
}

/** TRACKER_REGION, validated; undefined when unset or empty. */
export function regionFromEnv(ctx: Context): Region | undefined {
  const value = settingFromEnv('tracker.region', ctx.env);
  return value === undefined ? undefined : parseRegion(value, SETTING_ENV['tracker.region']);
}

/** Just under the ~100 requests/minute integrators report for Tracker (spec §5). */
export const DEFAULT_TRACKER_RATE_LIMIT = 90;
const USER_AGENT = 'apriora-tracker-cli';

export async function openProfileStore(ctx: Context): Promise<Profiles> {
  const [{ configDir }, { openProfiles }] = await Promise.all([import('../store/paths.js'), import('../store/profiles.js')]);
  return openProfiles(configDir(ctx.env));
}

export type StoreKind = 'keychain' | 'file';

/** APRIORA_CREDENTIAL_STORE (for scripts and tests) wins over the profile's choice; the keychain is the default. */
export function storeKindFor(ctx: Context, profile: Profile | undefined): StoreKind {
  const fromEnv = ctx.env.APRIORA_CREDENTIAL_STORE;
  if (fromEnv === 'file' || fromEnv === 'keychain') return fromEnv;
  return profile?.credentialStore ?? 'keychain';
}

export async function openSecrets(ctx: Context, kind: StoreKind): Promise<SecretStore> {
  const [{ configDir }, { openSecretStore }] = await Promise.all([import('../store/paths.js'), import('../store/credentials.js')]);
  return openSecretStore({ kind, configDir: configDir(ctx.env) });
}

export function httpClient(ctx: Context, options: { baseUrl: string; service: string; rateLimitPerMinute?: number }): HttpClient {
  return new HttpClient({ ...options, trace: ctx.trace, userAgent: USER_AGENT });
}

export interface Resolved<T = string> {
  value: T;
  source: CredentialSource | 'flag' | 'profile' | 'default';
}

export interface TrackerTarget {
  baseUrl: string;
  region: Region | undefined;
  username: Resolved | undefined;
  apiKey: Resolved | undefined;
  password: Resolved | undefined;
}

/** Where the profile's Tracker connection points, and each credential with the place it came from. */
export async function resolveTrackerTarget(ctx: Context, profile: Profile | undefined, secrets: SecretStore): Promise<TrackerTarget> {
  const { resolveSecret } = await import('../store/credentials.js');
  const region = regionFromEnv(ctx) ?? profile?.tracker?.region;
  const baseUrl = baseUrlFromEnv(ctx, 'tracker.baseUrl') ?? profile?.tracker?.baseUrl;
  const envUsername = settingFromEnv('tracker.username', ctx.env);
  const username: Resolved | undefined = envUsername
    ? { value: envUsername, source: 'env' }
    : profile?.tracker?.username ? { value: profile.tracker.username, source: 'profile' } : undefined;
  const lookup = { profile: ctx.profileName, env: ctx.env, store: secrets };
  const [apiKey, password] = await Promise.all([
    resolveSecret('tracker.apiKey', lookup),
    resolveSecret('tracker.password', lookup),
  ]);
  return { baseUrl: trackerBaseUrl({ region, baseUrl }), region: baseUrl ? undefined : region ?? 'us', username, apiKey, password };
}

export interface TrackerConnection {
  profile: Profile | undefined;
  profiles: Profiles;
  target: TrackerTarget;
  client: TrackerClient;
}

/** The profile's Tracker client, or an AuthError that says how to log in. */
export async function connectTracker(ctx: Context): Promise<TrackerConnection> {
  const profiles = await openProfileStore(ctx);
  const profile = profiles.get(ctx.profileName);
  const secrets = await openSecrets(ctx, storeKindFor(ctx, profile));
  const target = await resolveTrackerTarget(ctx, profile, secrets);
  const missing = [
    !target.apiKey && 'API Key (TRACKER_API_KEY)',
    !target.username && 'API Username (TRACKER_USERNAME)',
    !target.password && 'API Password (TRACKER_PASSWORD)',
  ].filter(Boolean);
  if (missing.length || !target.apiKey || !target.username || !target.password) {
    throw new AuthError(`Not logged in to Tracker for profile "${ctx.profileName}": missing ${missing.join(', ')}`, {
      code: 'not_logged_in',
      hint: `apriora tracker login${ctx.profileName === 'default' ? '' : ` --profile ${ctx.profileName}`} (or set TRACKER_API_KEY, TRACKER_USERNAME and TRACKER_PASSWORD)`,
    });
  }
  const client = await trackerClient(ctx, target.baseUrl, {
    apiKey: target.apiKey.value,
    username: target.username.value,
    password: target.password.value,
  }, profile?.tracker?.rateLimitPerMinute);
  return { profile, profiles, target, client };
}

export async function trackerClient(
  ctx: Context,
  baseUrl: string,
  credentials: { apiKey: string; username: string; password: string },
  rateLimitPerMinute = DEFAULT_TRACKER_RATE_LIMIT,
): Promise<TrackerClient> {
  const { TrackerClient } = await import('../tracker/client.js');
  return new TrackerClient({ http: httpClient(ctx, { baseUrl, service: 'Tracker', rateLimitPerMinute }), credentials });
}

export const APRIORA_DEFAULT_BASE_URL = 'https://api.apriora.ai/v1/api';

export interface AprioraTarget {
  baseUrl: string;
  apiKey: Resolved | undefined;
}

export async function resolveAprioraTarget(ctx: Context, profile: Profile | undefined, secrets: SecretStore): Promise<AprioraTarget> {
  const { resolveSecret } = await import('../store/credentials.js');
  const baseUrl = baseUrlFromEnv(ctx, 'apriora.baseUrl') ?? profile?.apriora?.baseUrl ?? APRIORA_DEFAULT_BASE_URL;
  const apiKey = await resolveSecret('apriora.apiKey', { profile: ctx.profileName, env: ctx.env, store: secrets });
  return { baseUrl, apiKey };
}

export async function aprioraClient(ctx: Context, baseUrl: string, apiKey: string): Promise<AprioraClient> {
  const { AprioraClient } = await import('../apriora/client.js');
  return new AprioraClient({ http: httpClient(ctx, { baseUrl, service: 'Apriora' }), apiKey });
}

export interface AprioraConnection {
  profile: Profile | undefined;
  profiles: Profiles;
  target: AprioraTarget;
  client: AprioraClient;
}

/** The profile's Apriora client, or an AuthError that says how to log in. */
export async function connectApriora(ctx: Context, opened?: { profiles: Profiles; profile: Profile | undefined }): Promise<AprioraConnection> {
  const profiles = opened?.profiles ?? await openProfileStore(ctx);
  const profile = opened ? opened.profile : profiles.get(ctx.profileName);
  const target = await resolveAprioraTarget(ctx, profile, await openSecrets(ctx, storeKindFor(ctx, profile)));
  if (!target.apiKey) {
    throw new AuthError(`Not logged in to Apriora for profile "${ctx.profileName}"`, {
      code: 'not_logged_in',
      hint: `apriora login${ctx.profileName === 'default' ? '' : ` --profile ${ctx.profileName}`} (or set APRIORA_API_KEY)`,
    });
  }
  return { profile, profiles, target, client: await aprioraClient(ctx, target.baseUrl, target.apiKey.value) };
}
