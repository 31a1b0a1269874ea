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
