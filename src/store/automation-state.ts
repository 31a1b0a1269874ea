import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';

/**
 * The local automation runner's state, one file per profile: `<dataDir>/<profile>/automations.json` (0600, written
 * atomically by the runner). Times are epoch milliseconds. This module reads it; the runner writes it.
 */

export const AUTOMATION_STATE_FILE = 'automations.json';

export interface LastCycle {
  startedAt: number;
  /** null while the cycle runs (or when it never finished). */
  finishedAt: number | null;
  invited: number;
  created: number;
  failed: number;
}

export interface AutomationState {
  applicants: { lastApplicationId: number | null; lastFullScanAt: number | null };
  jobs: { lastCycleAt: number | null };
  lastCycle: LastCycle | null;
}

const time = z
  .number()
  .nonnegative()
  .nullish()
  .transform((value) => value ?? null);
const count = z
  .number()
  .int()
  .nonnegative()
  .nullish()
  .transform((value) => value ?? 0);

export const automationStateSchema = z.looseObject({
  applicants: z
    .looseObject({
      lastApplicationId: z
        .number()
        .int()
        .nullish()
        .transform((value) => value ?? null),
      lastFullScanAt: time,
    })
    .nullish()
    .transform((value) => value ?? { lastApplicationId: null, lastFullScanAt: null }),
  jobs: z
    .looseObject({ lastCycleAt: time })
    .nullish()
    .transform((value) => value ?? { lastCycleAt: null }),
  lastCycle: z
    .looseObject({ startedAt: z.number().nonnegative(), finishedAt: time, invited: count, created: count, failed: count })
    .nullish()
    .transform((value) => value ?? null),
});

/** The state file of a profile. */
export function automationStatePath(dataDir: string, profile: string): string {
  return join(dataDir, profile, AUTOMATION_STATE_FILE);
}

/** The runner's state, or undefined when it never ran for this profile (no file). A damaged file is an InputError. */
export function readAutomationState(path: string): AutomationState | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = automationStateSchema.safeParse(json);
  if (!parsed.success) {
    throw new InputError(`The automation runner's state ${path} is damaged`, {
      code: 'automation_state_damaged',
      hint: 'Delete it: the next `apriora automations run` starts again with a full scan (Apriora refuses a second invitation to the same interview).',
    });
  }
  const { applicants, jobs, lastCycle } = parsed.data;
  return {
    applicants: { lastApplicationId: applicants.lastApplicationId, lastFullScanAt: applicants.lastFullScanAt },
    jobs: { lastCycleAt: jobs.lastCycleAt },
    lastCycle: lastCycle && {
      startedAt: lastCycle.startedAt,
      finishedAt: lastCycle.finishedAt,
      invited: lastCycle.invited,
      created: lastCycle.created,
      failed: lastCycle.failed,
    },
  };
}
