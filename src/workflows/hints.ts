import { AuthError } from '../errors.js';

/** A command to suggest, naming the profile unless it is the default one: `apriora login --profile acme`. */
export function commandFor(command: string, profileName: string): string {
  return profileName === 'default' ? command : `${command} --profile ${profileName}`;
}

/** The variables each side reads its credentials from. */
export const SECRET_VARIABLES = {
  tracker: 'TRACKER_API_KEY, TRACKER_USERNAME and TRACKER_PASSWORD',
  apriora: 'APRIORA_API_KEY',
} as const;

const LOGIN = {
  tracker: { command: 'apriora tracker login', env: SECRET_VARIABLES.tracker },
  apriora: { command: 'apriora login', env: SECRET_VARIABLES.apriora },
} as const;

/**
 * How to log in to one side: the command, and with `withEnv` the variables that do without a login. A profile that
 * keeps no secrets (`credentialStore: "env"`) is only ever "logged in" by its variables: those are what to set.
 */
export function loginHint(service: keyof typeof LOGIN, profileName: string, withEnv = false, envOnly = false): string {
  const { command, env } = LOGIN[service];
  if (envOnly) return envProfileHint([service], profileName);
  return withEnv ? `${commandFor(command, profileName)} (or set ${env})` : commandFor(command, profileName);
}

/** What to set for a profile that reads its secrets from the environment, and how to store them instead. */
export function envProfileHint(services: (keyof typeof LOGIN)[], profileName: string): string {
  const variables = services.map((service) => LOGIN[service].env).join(', and ');
  const logins = services.map((service) => commandFor(LOGIN[service].command, profileName)).join(' and ');
  return `Set ${variables}: profile "${profileName}" keeps no secrets, it reads them from the environment (or store them: ${logins})`;
}

/** The fix of a secret from the environment that was rejected: the variables, not a login that would not change them. */
export function correctVariablesHint(variables: string): string {
  return `correct ${variables} (in CI, the repository's secrets) and run again`;
}

const RETRY_LOGIN = [/run `apriora tracker login` again/, /log in again with `apriora login`/];

/**
 * The same rejection with the "run `apriora tracker login` again" (or "log in again with `apriora login`") of its
 * hint replaced by `retry`: what the user actually runs (`apriora onboard`) or changes (the variables the secrets came
 * from). Anything else is returned as it is.
 */
export function withRetryHint(error: unknown, retry: string): unknown {
  if (!(error instanceof AuthError) || !error.hint) return error;
  const pattern = RETRY_LOGIN.find((candidate) => candidate.test(error.hint!));
  if (!pattern) return error;
  return new AuthError(error.message, { code: error.code, hint: error.hint.replace(pattern, retry), details: error.details, cause: error });
}
