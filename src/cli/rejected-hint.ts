import { AuthError } from '../errors.js';

const RETRY_LOGIN = /run `apriora tracker login` again/;

/**
 * The same rejection with the "run `apriora tracker login` again" of its hint replaced by `retry`: what the user
 * actually runs (`apriora onboard`) or changes (the variables a `--env-secrets` login reads). Anything else is
 * returned as it is.
 */
export function withRetryHint(error: unknown, retry: string): unknown {
  if (!(error instanceof AuthError) || !error.hint || !RETRY_LOGIN.test(error.hint)) return error;
  return new AuthError(error.message, { code: error.code, hint: error.hint.replace(RETRY_LOGIN, retry), details: error.details, cause: error });
}
