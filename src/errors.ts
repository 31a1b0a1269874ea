/**
 * Typed errors shared by every layer. The CLI maps them to exit codes and the JSON error envelope in one place
 * (src/cli/run.ts); lower layers only pick the right class.
 */
export interface ErrorOptions {
  hint?: string;
  details?: unknown;
  cause?: unknown;
  /** The input a user typed and the part of it that is wrong: printed under the message with a caret line. */
  pointer?: ErrorPointer;
}

/** `input` as typed; the bad part starts at `column` (0-based, in characters) and is `length` long (0 = its end). */
export interface ErrorPointer {
  input: string;
  column: number;
  length: number;
}

export abstract class AppError extends Error {
  abstract readonly exitCode: number;
  abstract readonly code: string;
  readonly hint: string | undefined;
  readonly details: unknown;
  readonly pointer: ErrorPointer | undefined;

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.details = options.details;
    this.pointer = options.pointer;
  }
}

/** Bad flag, malformed file, unknown id format, missing value when prompting is not allowed. Exit 2. */
export class InputError extends AppError {
  readonly exitCode = 2;
  readonly code: string;
  constructor(message: string, options: ErrorOptions & { code?: string } = {}) {
    super(message, options);
    this.code = options.code ?? 'invalid_input';
  }
}

/**
 * The machine is in the way, not the code: a file or directory that cannot be read or written (permissions,
 * read-only, not a directory), a full disk, a port in use, an address that does not resolve. Exit 2, like a bad
 * flag: the user fixes it. Built from Node's system errors by src/system-errors.ts; the message names the path (or
 * host and port) and the hint says how to fix it.
 */
export class EnvironmentError extends AppError {
  readonly exitCode = 2;
  readonly code: string;
  constructor(message: string, options: ErrorOptions & { code: string }) {
    super(message, options);
    this.code = options.code;
  }
}

/** Some items of a bulk run failed; the rest succeeded and were reported. Exit 3. */
export class PartialFailureError extends AppError {
  readonly exitCode = 3;
  readonly code = 'partial_failure';
}

/** Credentials missing or rejected, keychain unavailable or locked. Exit 4. */
export class AuthError extends AppError {
  readonly exitCode = 4;
  readonly code: string;
  constructor(message: string, options: ErrorOptions & { code?: string } = {}) {
    super(message, options);
    this.code = options.code ?? 'authentication_failed';
  }
}

/** A remote service failed (5xx/429 after retries, network) or answered something we cannot parse. Exit 5. */
export class RemoteError extends AppError {
  readonly exitCode = 5;
  readonly code: string;
  readonly status: number | undefined;
  constructor(message: string, options: ErrorOptions & { code?: string; status?: number } = {}) {
    super(message, options);
    this.code = options.code ?? 'remote_error';
    this.status = options.status;
  }
}

/** The remote record exists and may not be overwritten (Tracker status 3, Apriora 409). */
export class ConflictError extends RemoteError {
  readonly existingId: string | undefined;
  constructor(message: string, options: ErrorOptions & { code?: string; status?: number; existingId?: string } = {}) {
    super(message, { ...options, code: options.code ?? 'conflict' });
    this.existingId = options.existingId;
  }
}

/** A remote record does not exist (Apriora 404, Tracker lookup by id that finds nothing). Exit 5 unless handled. */
export class NotFoundError extends RemoteError {
  constructor(message: string, options: ErrorOptions & { status?: number } = {}) {
    super(message, { ...options, code: 'not_found' });
  }
}

/** The user pressed Ctrl-C. Exit 130. */
export class InterruptedError extends AppError {
  readonly exitCode = 130;
  readonly code = 'interrupted';
}
