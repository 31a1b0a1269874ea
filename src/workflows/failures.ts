import { AppError, ConflictError, RemoteError } from '../errors.js';
import type { ItemError } from '../lib/items.js';

/** Failures after which a write may or may not have happened: confirm with a read before writing again. */
const UNCERTAIN_CODES: ReadonlySet<string> = new Set(['server_error', 'network_error', 'timeout']);

export function isUncertainWrite(error: unknown): boolean {
  return error instanceof RemoteError && !(error instanceof ConflictError) && UNCERTAIN_CODES.has(error.code);
}

/**
 * Item failures worth trying the whole item again for later: the services were down, slow or rate limiting, or
 * another process of the profile held the item's write lock for too long.
 */
export function isTransientFailure(code: string | undefined): boolean {
  return code !== undefined && (UNCERTAIN_CODES.has(code) || code === 'rate_limited' || code === 'write_lock_busy');
}

/** How long writes are retried after an uncertain failure, each time after a confirming read. */
export const MAX_WRITE_ATTEMPTS = 3;

/** A bulk item's `error`: the typed error's code and message, or an internal error for anything else. */
export function itemError(error: unknown): ItemError {
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof AppError || (error instanceof Error && typeof code === 'string')) {
    return { code: String(code), message: (error as Error).message };
  }
  return { code: 'internal_error', message: error instanceof Error ? error.message : String(error) };
}
