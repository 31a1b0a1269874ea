import type { Blackout } from '../apriora/partner.js';
import { InputError } from '../errors.js';

/**
 * When the invitation automation may send an invitation: `delayMinutes` after the application, and for a phone
 * interview never inside the blackout window (local time of its zone, read with Intl, so that DST changes are
 * honoured; a window may cross midnight). An invitation due inside the window is made with `sendAt` = its end.
 */

const HH_MM = /^(\d{1,2}):(\d{2})$/;
const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * `--blackout 20:00-08:00 --timezone America/New_York` → the automation's blackout: the one parser of `enable` and
 * `preview`, so both take and refuse the same inputs. Times are 24-hour HH:MM ("8:00" is read as "08:00"); a window
 * may cross midnight; start and end must differ. Errors exit 2 and point at the bad part; the zone's errors name
 * `timezoneFlag`.
 */
export function parseBlackout(window: string, timezone: string, flag: string, timezoneFlag = '--timezone'): Blackout {
  const text = window.trim();
  const dash = text.indexOf('-');
  const form = `${flag} takes a window HH:MM-HH:MM in 24-hour time, e.g. 20:00-08:00 (it may cross midnight)`;
  const pointAt = (at: number, what: string) =>
    new InputError(`${flag} "${text}": ${what}\n  ${text}\n  ${' '.repeat(at)}^`, { code: 'invalid_blackout', hint: form });
  if (dash < 0) throw pointAt(text.length, 'no "-" between the start and the end');
  const parts = [
    { value: text.slice(0, dash), at: 0, name: 'start' },
    { value: text.slice(dash + 1), at: dash + 1, name: 'end' },
  ];
  const [start, end] = parts.map((part) => {
    const value = part.value.trim();
    const at = part.at + (part.value.length - part.value.trimStart().length);
    const time = timeOfDay(value);
    if (time === undefined) throw pointAt(at, `the ${part.name} "${value}" is not a time HH:MM (00:00 to 23:59)`);
    return time;
  }) as [string, string];
  if (start === end) throw pointAt(0, 'the start and the end are the same: give a window, or no blackout');
  return { start, end, timezone: parseTimeZone(timezone, timezoneFlag) };
}

/** "08:00" or "8:00" → "08:00"; undefined when it is not a time of day. */
export function timeOfDay(value: string): string | undefined {
  const match = HH_MM.exec(value.trim());
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return undefined;
  return `${String(hours).padStart(2, '0')}:${match[2]}`;
}

/** An IANA time zone name as Intl knows it (canonical spelling, "america/new_york" → "America/New_York"), else exit 2. */
export function parseTimeZone(timezone: string, flag: string): string {
  const name = timezone.trim();
  const hint = 'Give an IANA time zone name, e.g. America/New_York, America/Chicago, America/Los_Angeles, Europe/London or UTC';
  // Intl also takes fixed offsets ("+05:00"): a blackout follows a place's clock, DST included.
  if (!name || /^[+-]|^\d/.test(name)) {
    throw new InputError(`${flag}: "${timezone}" is not an IANA time zone name`, { code: 'invalid_timezone', hint });
  }
  let zone: string;
  try {
    zone = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    throw new InputError(`${flag}: "${timezone}" is not an IANA time zone this machine knows`, { code: 'invalid_timezone', hint });
  }
  // "EST", "MST", "HST" name a fixed offset (no DST), not a place: "EST" is not New York's clock half of the year.
  if ((!zone.includes('/') && !/^(?:UTC|GMT|Etc\/.*)$/i.test(zone)) || /^(?:EST|MST|HST|EST5EDT|CST6CDT|MST7MDT|PST8PDT)$/i.test(name)) {
    throw new InputError(`${flag}: "${timezone}" is an abbreviation, not a place's time zone`, { code: 'invalid_timezone', hint });
  }
  return zone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let found = formatters.get(timezone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, found);
  }
  return found;
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  /** Minutes since local midnight. */
  minutes: number;
  second: number;
}

/** The wall-clock time of `instant` in `timezone`. */
export function localTime(instant: number, timezone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of formatter(timezone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    minutes: (parts.hour! % 24) * 60 + parts.minute!,
    second: parts.second!,
  };
}

/** Local time minus UTC at `instant`, in ms. */
function offsetAt(instant: number, timezone: string): number {
  const local = localTime(instant, timezone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, 0, local.minutes, local.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The first instant after `after` at which the wall clock of `timezone` shows `minutes` on that local date, or (the
 * time does not exist that day: a spring-forward gap) the first instant after the gap.
 */
function instantOfLocal(timezone: string, date: { year: number; month: number; day: number }, minutes: number, after: number): number {
  const naive = Date.UTC(date.year, date.month - 1, date.day, 0, minutes);
  const offsets = new Set([offsetAt(naive - DAY, timezone), offsetAt(naive, timezone), offsetAt(naive + DAY, timezone)]);
  const candidates = [...offsets].map((offset) => naive - offset).sort((a, b) => a - b);
  const shows = (instant: number) => {
    const local = localTime(instant, timezone);
    return local.year === date.year && local.month === date.month && local.day === date.day && local.minutes === minutes;
  };
  const valid = candidates.filter((instant) => shows(instant) && instant > after);
  if (valid.length > 0) return valid[0]!;
  // A gap: the clock jumps over `minutes`. The window ends when the clock jumps, the first instant past it.
  let low = candidates[0]!;
  let high = candidates[candidates.length - 1]!;
  const before = offsetAt(low, timezone);
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    if (offsetAt(middle, timezone) === before) low = middle;
    else high = middle;
  }
  return high;
}

function inWindow(minutes: number, start: number, end: number): boolean {
  return start < end ? minutes >= start && minutes < end : minutes >= start || minutes < end;
}

/** When the blackout that `instant` is in ends, or undefined when `instant` is not in one. */
export function blackoutEnd(instant: number, blackout: Blackout): number | undefined {
  const start = toMinutes(blackout.start);
  const end = toMinutes(blackout.end);
  if (start === end) return undefined;
  const local = localTime(instant, blackout.timezone);
  if (!inWindow(local.minutes, start, end)) return undefined;
  // Before the end on the same local day, or (a window across midnight, in its evening part) on the next one.
  let date = { year: local.year, month: local.month, day: local.day };
  if (local.minutes >= end) {
    const next = new Date(Date.UTC(local.year, local.month - 1, local.day + 1));
    date = { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
  }
  return instantOfLocal(blackout.timezone, date, end, instant);
}

/**
 * When an invitation for an application made at `appliedAt` (epoch ms) may go out: appliedAt + delay; for a phone
 * interview inside the blackout window → the window's end. `due`: the delay has passed (the invitation is made now);
 * `at`: when it goes out; `sendAt`: that time when the blackout moved it (the invitation is scheduled), else undefined.
 */
export function scheduleInvite(input: { appliedAt: number; delayMinutes: number; blackout: Blackout | null; modality: 'phone' | 'video'; now: number }): {
  due: boolean;
  at: number;
  sendAt: number | undefined;
} {
  const ready = input.appliedAt + Math.max(0, input.delayMinutes) * MINUTE;
  const due = ready <= input.now;
  const goes = due ? input.now : ready;
  const sendAt = input.modality === 'phone' && input.blackout ? blackoutEnd(goes, input.blackout) : undefined;
  return { due, at: sendAt ?? ready, sendAt };
}
