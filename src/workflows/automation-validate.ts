import { type Blackout, MAX_DELAY_MINUTES } from '../apriora/partner.js';
import { InputError } from '../errors.js';

/** The parts of an automation's settings checked before anything is sent: times of day, time zones, the delay. */

const TIME = /^(\d{1,2}):(\d{2})$/;

/** "08:00" (or "8:00") → "08:00"; anything else is an InputError naming the flag. */
export function validateTime(value: string, flag: string): string {
  const match = TIME.exec(value.trim());
  const hours = match ? Number(match[1]) : Number.NaN;
  const minutes = match ? Number(match[2]) : Number.NaN;
  if (!match || hours > 23 || minutes > 59) {
    throw new InputError(`${flag}: "${value}" is not a time of day as HH:MM (00:00 to 23:59)`, {
      code: 'invalid_time',
      pointer: { input: value, column: 0, length: value.length },
    });
  }
  return `${String(hours).padStart(2, '0')}:${match[2]}`;
}

/** An IANA time zone name ("America/New_York", "Europe/London", "UTC"), spelled as the runtime knows it. */
export function validateTimezone(value: string, flag: string): string {
  const name = value.trim();
  let resolved: string | undefined;
  if (name !== '' && !/^[+-]/.test(name)) {
    try {
      resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    } catch {
      resolved = undefined;
    }
  }
  if (!resolved) {
    throw new InputError(`${flag}: "${value}" is not an IANA time zone`, {
      code: 'invalid_timezone',
      hint: 'Give a name such as America/New_York, America/Chicago, America/Los_Angeles, Europe/London or UTC.',
    });
  }
  return resolved;
}

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

/**
 * "20:00-08:00" and a time zone → the automation's blackout (a window may cross midnight; start and end must differ).
 * The engine's scheduling module has the same parser; either may be used.
 */
export function parseBlackout(window: string, timezone: string, flag: string): Blackout {
  const parts = window.split('-');
  if (parts.length !== 2) {
    throw new InputError(`${flag}: "${window}" is not a window as HH:MM-HH:MM (e.g. 20:00-08:00)`, {
      code: 'invalid_time',
      pointer: { input: window, column: 0, length: window.length },
    });
  }
  const start = validateTime(parts[0]!, `${flag} (start)`);
  const end = validateTime(parts[1]!, `${flag} (end)`);
  if (start === end) throw new InputError(`${flag}: the window ${window} starts and ends at the same time`, { code: 'invalid_time' });
  return { start, end, timezone: validateTimezone(timezone, '--timezone') };
}

/** "20:00-08:00 America/New_York", or "none". */
export function formatBlackout(blackout: Blackout | null): string {
  return blackout ? `${blackout.start}-${blackout.end} ${blackout.timezone}` : 'none';
}
