import { AppError, AuthError } from '../errors.js';
import type { Profile } from '../store/profiles.js';
import type { SecretStore } from '../store/secret-store.js';
import type { Context } from './context.js';
import { aprioraClient, resolveAprioraTarget, resolveTrackerTarget, trackerClient } from './factory.js';

export interface Check {
  ok: boolean;
  error?: { code: string; message: string };
}

function failed(error: AppError): Check {
  return { ok: false, error: { code: error.code, message: error.message } };
}

function loginHint(ctx: Context, command: string): string {
  return `${command}${ctx.profileName === 'default' ? '' : ` --profile ${ctx.profileName}`}`;
}

/** The Tracker side of `status`: where it points, where each credential came from, and whether Tracker accepts them. */
export async function trackerStatus(ctx: Context, profile: Profile | undefined, secrets: SecretStore) {
  const target = await resolveTrackerTarget(ctx, profile, secrets);
  let logon: Check;
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
      logon = { ok: true };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      failure = error;
      logon = failed(error);
    }
  } else {
    failure = new AuthError(`Not logged in to Tracker for profile "${ctx.profileName}"`, { code: 'not_logged_in', hint: loginHint(ctx, 'apriora tracker login') });
    logon = failed(failure);
  }
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
      },
      logon,
      namingConventions: naming,
      activityType: profile?.tracker?.activityType ?? null,
      fieldMap: profile?.tracker?.fieldMap ?? null,
    },
  };
}

/** The Apriora side of `status`: host, key source, whether the key is accepted, and the Tracker integration's state. */
export async function aprioraStatus(ctx: Context, profile: Profile | undefined, secrets: SecretStore) {
  const target = await resolveAprioraTarget(ctx, profile, secrets);
  let auth: Check;
  let integration: { hasCredentials: boolean; activityFieldsComplete: boolean } | null = null;
  let failure: AppError | undefined;
  if (target.apiKey) {
    const client = await aprioraClient(ctx, target.baseUrl, target.apiKey.value);
    try {
      await client.verifyKey(ctx.signal);
      auth = { ok: true };
      const current = await client.getTrackerIntegration(ctx.signal);
      integration = {
        hasCredentials: current.hasCredentials,
        activityFieldsComplete: Object.values(current.activityFields ?? {}).every((id) => id !== null && id !== undefined && id !== ''),
      };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      failure = error;
      auth = failed(error);
    }
  } else {
    failure = new AuthError(`Not logged in to Apriora for profile "${ctx.profileName}"`, { code: 'not_logged_in', hint: loginHint(ctx, 'apriora login') });
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
