import { type AppError, AuthError, InputError, InterruptedError, RemoteError } from '../errors.js';
import type { CheckStatus, DoctorReport } from '../workflows/doctor.js';
import type { Context } from './context.js';
import { type HumanOutput, safeText } from './output.js';
import { displayWidth } from './table-fit.js';

/**
 * A diagnostic answers fast: each request of doctor's own clients gives up after DOCTOR_REQUEST_TIMEOUT_MS and is
 * retried at most once, and the whole run is bounded by DOCTOR_BUDGET_MS (what is still under way then fails).
 */
export const DOCTOR_REQUEST_TIMEOUT_MS = 10_000;
export const DOCTOR_MAX_RETRIES = 1;
export const DOCTOR_BUDGET_MS = 25_000;
/** A rate limit asking to wait longer than this fails its check at once, rather than running out doctor's time. */
export const DOCTOR_MAX_RETRY_AFTER_MS = 5_000;

/**
 * Runs every doctor check for the context's profile, concurrently. `signal` (smoke's time budget) stops every request
 * of the run when it aborts, as Ctrl-C does.
 */
export async function runDoctor(ctx: Context, options: { signal?: AbortSignal } = {}): Promise<DoctorReport> {
  const [{ runDoctorChecks }, { dataDir }] = await Promise.all([import('../workflows/doctor-checks.js'), import('../store/paths.js')]);
  const { factory, profileName } = ctx;
  const limits = { timeoutMs: DOCTOR_REQUEST_TIMEOUT_MS, maxRetries: DOCTOR_MAX_RETRIES, maxRetryAfterMs: DOCTOR_MAX_RETRY_AFTER_MS };
  const bound = new AbortController();
  // No hint on the reason: each check that was cut keeps its own fix.
  const timer = setTimeout(
    () => bound.abort(new RemoteError(`no answer within doctor's time limit of ${DOCTOR_BUDGET_MS / 1000} s`, { code: 'timeout' })),
    DOCTOR_BUDGET_MS,
  );
  const signal = AbortSignal.any([options.signal ?? ctx.signal, bound.signal]);
  try {
    const profiles = await factory.profiles();
    const profile = profiles.get(profileName);
    const report = await runDoctorChecks({
      profileName,
      profile,
      knownProfiles: profile ? [] : profiles.list(),
      env: ctx.env,
      dataDir: dataDir(ctx.env),
      storeKind: factory.storeKind(profile),
      tracker: () => factory.trackerProbe(limits),
      apriora: () => factory.aprioraProbe(limits),
      secrets: () => factory.secrets(),
      signal,
    });
    // Ctrl-C makes the checks under way fail: that is an interruption, not a report.
    if (ctx.signal.aborted) throw new InterruptedError('Interrupted');
    return report;
  } finally {
    clearTimeout(timer);
  }
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
    if (check.fix && (check.status === 'warn' || check.status === 'fail')) {
      const [first = '', ...rest] = fixLines(plain(check.fix), width + 4, out.width);
      out.line(first.replace('Try:', dim('Try:')));
      for (const line of rest) out.line(line);
    }
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

/** The narrowest room worth keeping a fix under its check's detail; below it, the fix starts nearer the margin. */
const MIN_FIX_ROOM = 40;

/**
 * "Try: <fix>" under a check, indented by `indent`, its words wrapped to `lineWidth` when tables are fitted (the same
 * width rule); a word wider than the line (a URL, a command) is never cut. One line when nothing is fitted.
 */
export function fixLines(fix: string, indent: number, lineWidth: number | undefined): string[] {
  const text = `Try: ${fix}`;
  if (lineWidth === undefined) return [`${' '.repeat(indent)}${text}`];
  const start = lineWidth - indent >= MIN_FIX_ROOM ? indent : 2;
  const room = Math.max(1, lineWidth - start);
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/ +/)) {
    const next = current ? `${current} ${word}` : word;
    if (current && displayWidth(next) > room) {
      lines.push(current);
      current = `     ${word}`; // under the text after "Try: "
    } else current = next;
  }
  lines.push(current);
  return lines.map((line) => `${' '.repeat(start)}${line}`);
}
