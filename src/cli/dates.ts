import { InputError } from '../errors.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** How far ahead an invitation may be scheduled: a later one would block the candidate's invitation for that long. */
export const MAX_SCHEDULE_AHEAD_MS = 30 * UNITS.d!;

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A calendar date or date-time, checked field by field (2027-02-30 is refused, not rolled over to March). Without an
 * offset it is UTC, whatever the machine's time zone, so that a script means the same instant everywhere.
 */
function parseIso(text: string): Date | undefined {
  const match = ISO.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone = 'Z'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '');
    const [oh, om] = [Number(digits.slice(1, 3)), Number(digits.slice(3, 5))];
    if (oh > 14 || om > 59) return undefined;
    offsetMinutes = (digits.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Math.round(Number(`0${fraction}`) * 1000);
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000);
}

const DATE_FORMS = 'a date (2026-11-01, midnight UTC) or a date-time (2026-11-01T09:30:00Z; without an offset it is UTC)';

/** A date flag: YYYY-MM-DD, an ISO date-time, or a duration back from now such as 24h or 7d. */
export function parseDateInput(value: string, flag: string, now: Date = new Date()): Date {
  const text = value.trim();
  const relative = /^(\d+)\s*([mhdw])$/i.exec(text);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * UNITS[relative[2]!.toLowerCase()]!);
  const date = parseIso(text);
  if (!date) throw new InputError(`${flag} must be ${DATE_FORMS} or a duration (24h, 7d), not "${value}"`);
  return date;
}

/** A duration flag (30m, 2h, 1d, 1w) in milliseconds, at most `maxMs` when given. */
export function parseDuration(value: string, flag: string, maxMs?: number): number {
  const match = /^(\d+)\s*([mhdw])$/i.exec(value.trim());
  const ms = match ? Number(match[1]) * UNITS[match[2]!.toLowerCase()]! : Number.NaN;
  if (!match || !Number.isSafeInteger(ms) || ms <= 0) {
    throw new InputError(`${flag} must be a duration such as 30m, 2h or 1d, not "${value}"`);
  }
  if (maxMs !== undefined && ms > maxMs) throw new InputError(`${flag} ${value.trim()} is too far ahead: at most ${Math.round(maxMs / UNITS.d!)} days`);
  return ms;
}

/** A date flag that must lie ahead, by at most `maxAheadMs` when given: YYYY-MM-DD or an ISO date-time (UTC without an offset). */
export function parseFutureDate(value: string, flag: string, now: Date = new Date(), maxAheadMs?: number): Date {
  const text = value.trim();
  const date = parseIso(text);
  if (!date) throw new InputError(`${flag} must be ${DATE_FORMS}, not "${value}"`);
  if (date.getTime() <= now.getTime()) {
    throw new InputError(`${flag} ${text} is not in the future`, { hint: 'Give a later date-time, use --delay 30m, or leave both out to send now.' });
  }
  if (maxAheadMs !== undefined && date.getTime() - now.getTime() > maxAheadMs) {
    throw new InputError(`${flag} ${text} is too far ahead: at most ${Math.round(maxAheadMs / UNITS.d!)} days from now`);
  }
  return date;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * An instant as a person reads it in a question or a preview: "29 Nov 2026 10:00 UTC (in 2 h)". UTC, whatever the
 * machine's zone, as the date flags are read.
 */
export function readableTime(date: Date, now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const absolute = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
  return `${absolute} (${relativeTime(date.getTime() - now.getTime())})`;
}

/** "in 2 h 5 min", "3 days ago", "now". */
function relativeTime(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  if (minutes === 0) return 'now';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const span =
    days >= 2 ? `${days} days` : days === 1 ? `1 day${hours ? ` ${hours} h` : ''}` : hours ? `${hours} h${rest ? ` ${rest} min` : ''}` : `${rest} min`;
  return ms > 0 ? `in ${span}` : `${span} ago`;
}
