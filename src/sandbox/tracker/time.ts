/**
 * Tracker writes timestamps as "YYYY-MM-DD HH:MM:SS" (the format of `updatedafter`/`updatedbefore`). The sandbox
 * stores every timestamp in that form, in UTC, so that plain string comparison orders them.
 */
export type TrackerTimestamp = string;

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;
const TIME_12H = /^(\d{1,2}):(\d{2})\s*(AM|PM)$/i;

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

export function formatTimestamp(date: Date): TrackerTimestamp {
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  );
}

export function formatDate(date: Date): string {
  return formatTimestamp(date).slice(0, 10);
}

/** Accepts "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]" (or with a T); returns the canonical form, or undefined. */
export function normalizeTimestamp(input: string): TrackerTimestamp | undefined {
  const match = TIMESTAMP.exec(input.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00'] = match;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
  const canonical = formatTimestamp(date);
  // Date.UTC rolls 2025-02-30 over into March: a round trip that changes the text means the input was not a date.
  return canonical === `${y}-${mo}-${d} ${h}:${mi}:${s}` ? canonical : undefined;
}

export function isDate(input: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(input) && normalizeTimestamp(input) !== undefined;
}

/** "hh:mm AM" → "HH:MM:SS" (24 h), or undefined when it is not a 12-hour clock time. */
export function parseTime12h(input: string): string | undefined {
  const match = TIME_12H.exec(input.trim());
  if (!match) return undefined;
  const [, hh, mm, meridiem] = match;
  const hour = Number(hh);
  const minute = Number(mm);
  if (hour < 1 || hour > 12 || minute > 59) return undefined;
  const hour24 = (hour % 12) + (meridiem?.toUpperCase() === 'PM' ? 12 : 0);
  return `${pad(hour24)}:${pad(minute)}:00`;
}

export function formatTime12h(date: Date): string {
  const hour = date.getUTCHours();
  return `${pad(hour % 12 === 0 ? 12 : hour % 12)}:${pad(date.getUTCMinutes())} ${hour < 12 ? 'AM' : 'PM'}`;
}
