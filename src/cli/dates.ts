import { InputError } from '../errors.js';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A date flag: YYYY-MM-DD, an ISO date-time, or a duration back from now such as 24h or 7d. */
export function parseDateInput(value: string, flag: string, now: Date = new Date()): Date {
  const text = value.trim();
  const relative = /^(\d+)\s*([mhdw])$/i.exec(text);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * UNITS[relative[2]!.toLowerCase()]!);
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const date = new Date(dateOnly ? `${text}T00:00:00Z` : text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) {
    throw new InputError(`${flag} must be a date (2026-11-01), a date-time (2026-11-01T09:30:00Z) or a duration (24h, 7d), not "${value}"`);
  }
  return date;
}

/** A duration flag (30m, 2h, 1d, 1w) in milliseconds. */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+)\s*([mhdw])$/i.exec(value.trim());
  const ms = match ? Number(match[1]) * UNITS[match[2]!.toLowerCase()]! : Number.NaN;
  if (!match || !Number.isSafeInteger(ms) || ms <= 0) {
    throw new InputError(`${flag} must be a duration such as 30m, 2h or 1d, not "${value}"`);
  }
  return ms;
}

/** A date flag that must lie ahead: YYYY-MM-DD (midnight UTC) or an ISO date-time; no relative durations. */
export function parseFutureDate(value: string, flag: string, now: Date = new Date()): Date {
  const text = value.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const date = new Date(dateOnly ? `${text}T00:00:00Z` : text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(date.getTime())) {
    throw new InputError(`${flag} must be a date (2026-11-01) or a date-time (2026-11-01T09:30:00Z, or with an offset), not "${value}"`);
  }
  if (date.getTime() <= now.getTime()) {
    throw new InputError(`${flag} ${text} is not in the future`, { hint: 'Give a later date-time, use --delay 30m, or leave both out to send now.' });
  }
  return date;
}
