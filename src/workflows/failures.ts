import { AppError, ConflictError, RemoteError } from '../errors.js';
import { backoffDelay } from '../lib/backoff.js';
import type { ItemError } from '../lib/items.js';

/** Failures after which a write may or may not have happened: confirm with a read before writing again. */
const UNCERTAIN_CODES: ReadonlySet<string> = new Set(['server_error', 'network_error', 'timeout']);

export function isUncertainWrite(error: unknown): boolean {
  return error instanceof RemoteError && !(error instanceof ConflictError) && UNCERTAIN_CODES.has(error.code);
}

/**
 * Item failures worth trying the whole item again for later: the services were down, slow or rate limiting (also
 * while confirming a write), or another process of the profile held the item's write lock for too long.
 */
export function isTransientFailure(code: string | undefined): boolean {
  return code !== undefined && (UNCERTAIN_CODES.has(code) || ['rate_limited', 'write_unconfirmed', 'write_lock_busy', 'write_ledger_unusable'].includes(code));
}

/** How long writes are retried after an uncertain failure, each time after a confirming read. */
export const MAX_WRITE_ATTEMPTS = 3;

/**
 * Reads after an uncertain write, each already retried by the HTTP layer: a read that still fails is tried again this
 * many times in all, a little later, before the item gives up.
 */
export const READ_BACK_ATTEMPTS = 3;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * `read`, tried again (up to READ_BACK_ATTEMPTS in all, a second or two apart) while it fails in a way that may pass:
 * for reads whose answer decides how an item is reported.
 */
export async function retryRead<T>(read: () => Promise<T>, sleep: (ms: number) => Promise<void> = defaultSleep): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (attempt + 1 >= READ_BACK_ATTEMPTS || !isTransientFailure(typeof code === 'string' ? code : undefined)) throw error;
      await sleep(backoffDelay(attempt, { baseMs: 1_000, capMs: 4_000, fixedShare: 0.5 }));
    }
  }
}

/**
 * After a write whose answer was lost (`writeError`): what `read` finds (the record, if it was written), or an error
 * saying that the write could not be confirmed either way (code `write_unconfirmed`) once the read keeps failing.
 */
export async function confirmWrite<T>(read: () => Promise<T | undefined>, writeError: unknown, sleep?: (ms: number) => Promise<void>): Promise<T | undefined> {
  try {
    return await retryRead(read, sleep);
  } catch (readError) {
    const written = writeError instanceof Error ? writeError.message : String(writeError);
    throw new RemoteError(`${written}; whether it was written could not be checked: ${(readError as Error).message}`, {
      code: 'write_unconfirmed',
      hint: 'Run the command again: it looks for the record before writing, so nothing is duplicated.',
      cause: readError,
    });
  }
}

/** A bulk item's `error`: the typed error's code and message, or an internal error for anything else. */
export function itemError(error: unknown): ItemError {
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof AppError || (error instanceof Error && typeof code === 'string')) {
    return { code: String(code), message: (error as Error).message };
  }
  return { code: 'internal_error', message: error instanceof Error ? error.message : String(error) };
}
