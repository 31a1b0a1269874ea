import { type AppError, AuthError, InputError, InterruptedError, RemoteError } from '../errors.js';
import type { CheckStatus, DoctorReport } from '../workflows/doctor.js';
import type { Context } from './context.js';
import { type HumanOutput, safeText } from './output.js';

/** Runs every doctor check for the context's profile, concurrently. */
export async function runDoctor(ctx: Context): Promise<DoctorReport> {
  const [{ runDoctorChecks }, { dataDir }] = await Promise.all([import('../workflows/doctor-checks.js'), import('../store/paths.js')]);
  const { factory, profileName, signal } = ctx;
  const profile = await factory.profile();
  const report = await runDoctorChecks({
    profileName,
    profile,
    env: ctx.env,
    dataDir: dataDir(ctx.env),
    storeKind: factory.storeKind(profile),
    tracker: () => factory.trackerProbe(),
    apriora: () => factory.aprioraProbe(),
    secrets: () => factory.secrets(),
    signal,
  });
  // Ctrl-C makes the checks under way fail: that is an interruption, not a report.
  if (signal.aborted) throw new InterruptedError('Interrupted');
  return report;
}

const MARKS: Record<CheckStatus, string> = { ok: '✓', warn: '!', fail: '✗', skip: '-' };

/** One line per check: status mark, title, detail, and the fix under a warning or failure; then a summary line. */
export function renderDoctor(out: HumanOutput, report: DoctorReport): void {
  const { green, yellow, red, dim, bold } = out.colors;
  const paint: Record<CheckStatus, (text: string) => string> = { ok: green, warn: yellow, fail: red, skip: dim };
  const width = Math.max(0, ...report.checks.map((check) => check.title.length));
  // Details carry remote text (field names, usernames): stripped of every terminal sequence before our colours go on.
  const plain = (text: string) => safeText(text, { enabled: false }, false);
  for (const check of report.checks) {
    out.line(`${paint[check.status](MARKS[check.status])} ${check.title.padEnd(width)}  ${plain(check.detail)}`);
    if (check.fix && (check.status === 'warn' || check.status === 'fail')) out.line(`  ${' '.repeat(width)}  ${dim('Try:')} ${plain(check.fix)}`);
  }
  const { ok, warn, fail, skip } = report.summary;
  const counts = [`${ok} ok`, `${warn} warning${warn === 1 ? '' : 's'}`, `${fail} failed`, `${skip} skipped`].join(', ');
  out.line();
  out.line(`${report.ok ? green(bold('Ready')) : red(bold('Not ready'))}: ${counts} (profile ${report.profile}, ${(report.elapsedMs / 1000).toFixed(1)} s)`);
}

/** The error a failed report exits with (the first failed check's exit code), or undefined when nothing failed. */
export function doctorFailure(report: DoctorReport): AppError | undefined {
  const failed = report.checks.filter((check) => check.status === 'fail');
  const first = failed[0];
  if (!first) return undefined;
  const message = `${failed.length} of ${report.checks.length} checks failed: ${failed.map((check) => check.id).join(', ')}`;
  const options = { code: 'checks_failed', hint: first.fix ?? undefined, details: { failed: failed.map((check) => check.id) } };
  if (first.exitCode === 4) return new AuthError(message, options);
  if (first.exitCode === 5) return new RemoteError(message, options);
  return new InputError(message, options);
}
