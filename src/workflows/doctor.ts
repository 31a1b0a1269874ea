/** The read-only checks of `apriora doctor` (also run first by `smoke` and last by `onboard`). */
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
