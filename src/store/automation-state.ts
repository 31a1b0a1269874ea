import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { fileSystemFault } from '../system-errors.js';
import { writePrivateFile } from './private-file.js';

/**
 * The automation runner's state: `<dataDir>/<profile>/automations.json` (0600, written atomically: a crash leaves the
 * old file or the new one, never half of one). Its cursors say where the next cycle starts:
 *
 * - `applicants.lastApplicationId`: every applicant row up to this id (rows come in ascending id) is decided for good
 *   (invited, or skipped); `applicants.rowsUpToLast` counts the rows up to it, to find its page again;
 *   `applicants.unfinished`: rows whose invitation was started and not finished (failed, or the runner was
 *   killed meanwhile), by id, with the number of cycles that tried: the next cycle finishes them;
 * - `applicants.lastFullScanAt`: when every row was last read (status changes of older rows);
 * - `jobs.lastCycleAt`: jobs created or updated after it get their interview in the next cycle.
 *
 * A missing file is a first run. A file that cannot be read as this shape is set aside (`automations.json.corrupt`)
 * with a warning, and the runner starts over: a full scan, which invites nobody twice (every invitation is checked
 * against Apriora and Tracker first) and skips nobody.
 */

export const AUTOMATION_STATE_FILE = 'automations.json';

export interface LastCycle {
  /** ISO 8601 */
  startedAt: string;
  finishedAt: string | null;
  invited: number;
  created: number;
  failed: number;
  skipped: number;
}

export interface AutomationState {
  version: 1;
  applicants: {
    lastApplicationId: number | null;
    /** Rows up to and including lastApplicationId when it was read: where its page is. */
    rowsUpToLast: number | null;
    /** ISO 8601 */
    lastFullScanAt: string | null;
    /** Application id → cycles that started its invitation without finishing it (the cursor waits for it). */
    unfinished: Record<string, number>;
  };
  jobs: { lastCycleAt: string | null };
  lastCycle: LastCycle | null;
  nextRunAt: string | null;
}

const iso = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'not a date');
const schema = z.object({
  version: z.literal(1),
  applicants: z.object({
    lastApplicationId: z.number().int().positive().nullable(),
    rowsUpToLast: z.number().int().nonnegative().nullable().default(null),
    lastFullScanAt: iso.nullable(),
    unfinished: z.record(z.string(), z.number().int().nonnegative()).default({}),
  }),
  jobs: z.object({ lastCycleAt: iso.nullable() }),
  lastCycle: z
    .object({
      startedAt: iso,
      finishedAt: iso.nullable(),
      invited: z.number().int().nonnegative(),
      created: z.number().int().nonnegative(),
      failed: z.number().int().nonnegative(),
      skipped: z.number().int().nonnegative().default(0),
    })
    .nullable(),
  nextRunAt: iso.nullable().default(null),
});

export function automationStatePath(dataDir: string, profile: string): string {
  return join(dataDir, profile, AUTOMATION_STATE_FILE);
}

export function emptyAutomationState(): AutomationState {
  return {
    version: 1,
    applicants: { lastApplicationId: null, rowsUpToLast: null, lastFullScanAt: null, unfinished: {} },
    jobs: { lastCycleAt: null },
    lastCycle: null,
    nextRunAt: null,
  };
}

export type AutomationStateRead = { status: 'missing' } | { status: 'ok'; state: AutomationState } | { status: 'corrupt'; reason: string };

/** The state file as it is, read only (for `automations status`): never throws for a missing or unreadable shape. */
export function readAutomationState(path: string): AutomationStateRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    // A directory in its place, a file it may not read: exit 2 naming the path, not an internal error.
    throw fileSystemFault(error, { path }) ?? error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { status: 'corrupt', reason: 'not JSON' };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { status: 'corrupt', reason: issue ? `${issue.path.join('.') || 'the file'}: ${issue.message}` : 'not the expected shape' };
  }
  return { status: 'ok', state: parsed.data };
}

/**
 * The state for a runner: a missing file is a new state; a corrupt one is renamed to `<file>.corrupt` (replacing an
 * older one), `warn` is told, and the runner starts over.
 */
export function loadAutomationState(path: string, warn: (message: string) => void): AutomationState {
  const read = readAutomationState(path);
  if (read.status === 'ok') return read.state;
  if (read.status === 'corrupt') {
    const aside = `${path}.corrupt`;
    renameSync(path, aside);
    warn(
      `The automation runner's state ${path} could not be read (${read.reason}): kept as ${aside}; starting over with a full scan (nobody is invited twice)`,
    );
  }
  return emptyAutomationState();
}

export function writeAutomationState(path: string, state: AutomationState): void {
  writePrivateFile(path, `${JSON.stringify(state, null, 2)}\n`);
}
