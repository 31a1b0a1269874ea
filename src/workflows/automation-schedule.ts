import type { Blackout } from '../apriora/partner.js';
import { InputError } from '../errors.js';

/** When an automatic invitation may go out: delay and blackout (minimal version: the engine brings the full one). */

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function parseBlackout(window: string, timezone: string, flag: string): Blackout {
  const [start = '', end = ''] = window.split('-').map((part) => part.trim());
  if (!HHMM.test(start) || !HHMM.test(end)) throw new InputError(`${flag} must be HH:MM-HH:MM, not "${window}"`);
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new InputError(`${flag}: unknown time zone "${timezone}"`);
  }
  return { start, end, timezone };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function localMinutes(at: number, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

function inWindow(at: number, blackout: Blackout): boolean {
  const now = localMinutes(at, blackout.timezone);
  const start = minutesOf(blackout.start);
  const end = minutesOf(blackout.end);
  return start <= end ? now >= start && now < end : now >= start || now < end;
}

export function scheduleInvite(input: { appliedAt: number; delayMinutes: number; blackout: Blackout | null; modality: 'phone' | 'video'; now: number }): {
  due: boolean;
  at: number;
  sendAt: number | undefined;
} {
  let at = input.appliedAt + input.delayMinutes * 60_000;
  const from = Math.max(at, input.now);
  if (input.modality === 'phone' && input.blackout && inWindow(from, input.blackout)) {
    // Minute by minute to the window's end, in the zone's local time (DST-safe).
    let end = Math.ceil(from / 60_000) * 60_000;
    for (let step = 0; step < 48 * 60 && inWindow(end, input.blackout); step++) end += 60_000;
    at = end;
    return { due: input.appliedAt + input.delayMinutes * 60_000 <= input.now, at, sendAt: at };
  }
  return { due: at <= input.now, at, sendAt: undefined };
}
