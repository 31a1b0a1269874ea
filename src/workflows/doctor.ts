/** The read-only checks of `apriora doctor` (also run first by `smoke` and last by `onboard`). */
import { AppError } from '../errors.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface DoctorCheck {
  /** Stable id for scripts, e.g. `tracker.logon`, `tracker.fields`, `apriora.integration`. */
  id: string;
  /** What was checked, for people. */
  title: string;
  status: CheckStatus;
  /** What was found (sanitised data: never a secret). */
  detail: string;
  /** The fix, for warn and fail; null otherwise. */
  fix: string | null;
  /** The error code behind a warn or fail, as the rest of the tool names it; null otherwise. */
  code: string | null;
  /** The exit code this check's failure stands for (2 setup, 4 credentials, 5 remote); null unless it failed. */
  exitCode: number | null;
}

export interface DoctorReport {
  profile: string;
  ok: boolean;
  checks: DoctorCheck[];
  summary: Record<CheckStatus, number>;
  elapsedMs: number;
}

/** A check's result before its id and title are put on it. */
export type Outcome = Omit<DoctorCheck, 'id' | 'title'>;

export function ok(detail: string): Outcome {
  return { status: 'ok', detail, fix: null, code: null, exitCode: null };
}

export function skip(detail: string): Outcome {
  return { status: 'skip', detail, fix: null, code: null, exitCode: null };
}

export function warn(detail: string, fix: string, code: string): Outcome {
  return { status: 'warn', detail, fix, code, exitCode: null };
}

export function fail(detail: string, fix: string, code: string, exitCode: 2 | 4 | 5): Outcome {
  return { status: 'fail', detail, fix, code, exitCode };
}

/**
 * A failure from an error: the tool's own errors keep their message, hint, code and exit code (1 never: an error
 * that is not the tool's own is taken as the service's answer, exit 5).
 */
export function failFrom(error: unknown, fallbackFix: string): Outcome {
  if (error instanceof AppError) {
    const exitCode = error.exitCode === 2 || error.exitCode === 4 || error.exitCode === 5 ? error.exitCode : 5;
    return fail(error.message, error.hint ?? fallbackFix, error.code, exitCode);
  }
  const message = error instanceof Error ? error.message : String(error);
  return fail(`The check failed unexpectedly: ${message}`, fallbackFix, 'check_failed', 5);
}

export function summarize(profile: string, checks: DoctorCheck[], elapsedMs: number): DoctorReport {
  const summary: Record<CheckStatus, number> = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of checks) summary[check.status]++;
  return { profile, ok: summary.fail === 0, checks, summary, elapsedMs };
}
