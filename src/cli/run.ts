import { AppError, InterruptedError } from '../errors.js';
import { terminalText } from '../lib/sanitize.js';
import type { CommandResult } from './command.js';
import type { Context } from './context.js';
import { type Envelope, writeJson } from './output.js';

/** Runs one command and maps its outcome to output and an exit code: the one place that does so. */
export async function execute(ctx: Context, run: () => Promise<CommandResult>): Promise<number> {
  try {
    const result = await run();
    if (result.printed) {
      if (result.error && ctx.mode === 'table') printError(ctx, result.error);
    } else if (ctx.mode === 'table') {
      await result.render?.();
      if (result.error) printError(ctx, result.error);
    } else {
      const envelope: Envelope = { ok: !result.error, data: result.data, warnings: ctx.warnings };
      if (result.error) envelope.error = errorBody(result.error);
      writeJson(ctx.stdout, envelope, false);
    }
    return result.error?.exitCode ?? 0;
  } catch (error) {
    if (error instanceof AppError) return reportFailure(ctx, error);
    if (ctx.signal.aborted) return reportFailure(ctx, new InterruptedError('Interrupted'));
    return reportFailure(ctx, (await environmentFault(ctx, error)) ?? error);
  }
}

/** A fault of the machine (a file that cannot be written, a full disk, a port in use) is exit 2 with its fix, not a bug. */
async function environmentFault(ctx: Context, error: unknown): Promise<AppError | undefined> {
  const [{ environmentFault }, { storageRoles }] = await Promise.all([import('../system-errors.js'), import('../store/paths.js')]);
  return environmentFault(error, storageRoles(ctx.env));
}

export function reportFailure(ctx: Pick<Context, 'mode' | 'stdout' | 'stderr' | 'debug' | 'warnings'>, error: unknown): number {
  const appError = error instanceof AppError ? error : undefined;
  if (ctx.mode !== 'table') {
    const body: Envelope['error'] = appError
      ? errorBody(appError)
      : {
          code: 'internal_error',
          message: `Unexpected internal error: ${messageOf(error)}`,
          hint: 'Run again with --debug and report the output.',
          details: null,
        };
    writeJson(ctx.stdout, { ok: false, error: body, warnings: ctx.warnings } satisfies Envelope, false);
  }
  if (appError) {
    if (ctx.mode === 'table') printError(ctx, appError);
  } else {
    ctx.stderr.write(`Error: unexpected internal error: ${safe(messageOf(error))}\n`);
    ctx.stderr.write(
      ctx.debug && error instanceof Error && error.stack ? `${safe(error.stack, true)}\n` : 'Try: run again with --debug and report the output.\n',
    );
  }
  return appError?.exitCode ?? 1;
}

/**
 * Messages and hints may quote remote text (a Tracker error, a job title): printed safe for the terminal, one line
 * each, so that a line break inside cannot forge a `Try:` line.
 */
function printError(ctx: Pick<Context, 'stderr'>, error: AppError): void {
  ctx.stderr.write(`Error: ${safe(error.message)}\n`);
  if (error.pointer) {
    // The input and a caret line under its bad part, each made safe alone (an escaped character widens the input).
    const { input, column, length } = error.pointer;
    const before = safe(input.slice(0, column));
    const bad = safe(input.slice(column, column + Math.max(length, 0)));
    ctx.stderr.write(`  ${safe(input)}\n  ${' '.repeat(before.length)}${'^'.repeat(Math.max(bad.length, 1))}\n`);
  }
  if (error.hint) ctx.stderr.write(`Try: ${safe(error.hint)}\n`);
}

function safe(text: string, multiline = false): string {
  return terminalText(text, { multiline });
}

function errorBody(error: AppError): NonNullable<Envelope['error']> {
  return { code: error.code, message: error.message, hint: error.hint ?? null, details: error.details ?? null };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
