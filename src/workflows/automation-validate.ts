import { type Blackout, MAX_DELAY_MINUTES } from '../apriora/partner.js';
import { InputError } from '../errors.js';

/**
 * The parts of an automation's settings checked before anything is sent: the delay (the blackout window and its time
 * zone: parseBlackout and parseTimeZone of automation-schedule.ts, shared by `enable` and `preview`).
 */

const UNIT_MINUTES: Readonly<Record<string, number>> = { m: 1, min: 1, h: 60, d: 1440 };

/** "30m", "2h", "1d", "0" (a bare number is minutes) → whole minutes, 0 to 7 days. */
export function parseDelay(value: string, flag: string): number {
  const match = /^(\d+)\s*(m|min|h|d)?$/i.exec(value.trim());
  const minutes = match ? Number(match[1]) * UNIT_MINUTES[(match[2] ?? 'm').toLowerCase()]! : Number.NaN;
  if (!match || !Number.isSafeInteger(minutes)) {
    throw new InputError(`${flag} must be a duration such as 0, 30m, 2h or 1d, not "${value}"`, { code: 'invalid_duration' });
  }
  if (minutes > MAX_DELAY_MINUTES) throw new InputError(`${flag} ${value.trim()} is too long: at most 7d (10080 minutes)`, { code: 'invalid_duration' });
  return minutes;
}

/** Minutes as the shortest exact duration: 0, 45m, 2h, 1d, 1h 30m. */
export function formatDelay(minutes: number): string {
  if (minutes === 0) return '0';
  const parts: string[] = [];
  let rest = minutes;
  for (const [unit, size] of [
    ['d', 1440],
    ['h', 60],
    ['m', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join(' ');
}

/** "20:00-08:00 America/New_York", or "none". */
export function formatBlackout(blackout: Blackout | null): string {
  return blackout ? `${blackout.start}-${blackout.end} ${blackout.timezone}` : 'none';
}
