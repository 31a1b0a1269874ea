import { describe, expect, it } from 'vitest';
import type { Blackout } from '../../src/apriora/partner.js';
import { InputError } from '../../src/errors.js';
import { blackoutEnd, parseBlackout, scheduleInvite } from '../../src/workflows/automation-schedule.js';

const NY: Blackout = { start: '20:00', end: '08:00', timezone: 'America/New_York' };
const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('no error');
}

describe('parseBlackout', () => {
  it('reads HH:MM-HH:MM and an IANA zone (canonical spelling)', () => {
    expect(parseBlackout('20:00-08:00', 'America/New_York', '--blackout')).toEqual(NY);
    expect(parseBlackout(' 22:30 - 06:15 ', 'europe/london', '--blackout')).toEqual({ start: '22:30', end: '06:15', timezone: 'Europe/London' });
    expect(parseBlackout('00:00-23:59', 'UTC', '--blackout').timezone).toBe('UTC');
  });

  it('refuses a bad time with exit 2, pointing at it', () => {
    const end = inputError(() => parseBlackout('20:00-24:00', 'UTC', '--blackout'));
    expect(end.exitCode).toBe(2);
    expect(end.message).toContain('the end "24:00" is not a time HH:MM');
    expect(end.message).toContain('\n  20:00-24:00\n        ^');
    const start = inputError(() => parseBlackout('8:0-09:00', 'UTC', '--blackout'));
    expect(start.message).toContain('the start "8:0"');
    expect(start.message).toContain('\n  8:0-09:00\n  ^');
    // One-digit hours are read as HH:MM, as `enable` always took them.
    expect(parseBlackout('8:00-9:00', 'UTC', '--blackout')).toEqual({ start: '08:00', end: '09:00', timezone: 'UTC' });
    expect(inputError(() => parseBlackout('20:00 08:00', 'UTC', '--blackout')).message).toContain('no "-"');
    expect(inputError(() => parseBlackout('20:00-20:00', 'UTC', '--blackout')).message).toContain('the same');
    expect(inputError(() => parseBlackout('20:60-08:00', 'UTC', '--blackout')).message).toContain('"20:60"');
  });

  it('refuses an unknown zone and fixed offsets with exit 2', () => {
    const unknown = inputError(() => parseBlackout('20:00-08:00', 'Mars/Olympus_Mons', '--blackout'));
    expect(unknown.exitCode).toBe(2);
    expect(unknown.message).toContain('"Mars/Olympus_Mons"');
    expect(unknown.hint).toContain('America/New_York');
    expect(inputError(() => parseBlackout('20:00-08:00', '+05:00', '--blackout')).message).toContain('not an IANA time zone name');
    expect(inputError(() => parseBlackout('20:00-08:00', '', '--blackout')).exitCode).toBe(2);
  });
});

describe('blackoutEnd', () => {
  it('a window across midnight: its evening and morning parts end at the next end; outside it: none', () => {
    // 2026-06-10, EDT (UTC-4): 20:00 local = 00:00Z next day.
    expect(blackoutEnd(at('2026-06-11T03:30:00Z'), NY)).toBe(at('2026-06-11T12:00:00Z')); // 23:30 → 08:00 next day
    expect(blackoutEnd(at('2026-06-11T00:00:00Z'), NY)).toBe(at('2026-06-11T12:00:00Z')); // 20:00 sharp: inside
    expect(blackoutEnd(at('2026-06-11T11:59:00Z'), NY)).toBe(at('2026-06-11T12:00:00Z')); // 07:59 → 08:00 same day
    expect(blackoutEnd(at('2026-06-11T12:00:00Z'), NY)).toBeUndefined(); // 08:00 sharp: outside
    expect(blackoutEnd(at('2026-06-10T23:59:00Z'), NY)).toBeUndefined(); // 19:59
  });

  it('a window within one day', () => {
    const lunch: Blackout = { start: '12:00', end: '13:30', timezone: 'Europe/London' };
    expect(blackoutEnd(at('2026-01-15T12:10:00Z'), lunch)).toBe(at('2026-01-15T13:30:00Z'));
    expect(blackoutEnd(at('2026-07-15T12:10:00Z'), lunch)).toBe(at('2026-07-15T12:30:00Z')); // BST: 13:10 local
    expect(blackoutEnd(at('2026-01-15T13:30:00Z'), lunch)).toBeUndefined();
    expect(blackoutEnd(at('2026-01-15T11:59:00Z'), lunch)).toBeUndefined();
  });

  it('DST starts (2026-03-08 in America/New_York): the window ends at 08:00 EDT, not 08:00 EST', () => {
    // 2026-03-07 21:00 EST = 2026-03-08T02:00Z; the clocks go 02:00 EST → 03:00 EDT at 07:00Z.
    expect(blackoutEnd(at('2026-03-08T02:00:00Z'), NY)).toBe(at('2026-03-08T12:00:00Z'));
    // 01:00 EST (just before the change) and 03:30 EDT (just after) end at the same instant.
    expect(blackoutEnd(at('2026-03-08T06:00:00Z'), NY)).toBe(at('2026-03-08T12:00:00Z'));
    expect(blackoutEnd(at('2026-03-08T07:30:00Z'), NY)).toBe(at('2026-03-08T12:00:00Z'));
    // 20:00 EDT that evening = 00:00Z: inside again; 19:59 EDT outside.
    expect(blackoutEnd(at('2026-03-09T00:00:00Z'), NY)).toBe(at('2026-03-09T12:00:00Z'));
    expect(blackoutEnd(at('2026-03-08T23:59:00Z'), NY)).toBeUndefined();
  });

  it('DST starts: a window ending at a time the clocks skip ends when they jump (03:00 EDT)', () => {
    const early: Blackout = { start: '22:00', end: '02:30', timezone: 'America/New_York' };
    expect(blackoutEnd(at('2026-03-08T04:00:00Z'), early)).toBe(at('2026-03-08T07:00:00Z'));
  });

  it('DST ends (2026-11-01 in America/New_York): the window ends at 08:00 EST, not 08:00 EDT', () => {
    // 2026-10-31 21:00 EDT = 2026-11-01T01:00Z; the clocks go 02:00 EDT → 01:00 EST at 06:00Z.
    expect(blackoutEnd(at('2026-11-01T01:00:00Z'), NY)).toBe(at('2026-11-01T13:00:00Z'));
    expect(blackoutEnd(at('2026-11-01T05:30:00Z'), NY)).toBe(at('2026-11-01T13:00:00Z')); // 01:30 EDT
    expect(blackoutEnd(at('2026-11-01T06:30:00Z'), NY)).toBe(at('2026-11-01T13:00:00Z')); // 01:30 EST
    expect(blackoutEnd(at('2026-11-01T12:59:00Z'), NY)).toBe(at('2026-11-01T13:00:00Z')); // 07:59 EST
    expect(blackoutEnd(at('2026-11-01T13:00:00Z'), NY)).toBeUndefined();
    // 19:59 EST = 00:59Z is outside, 20:00 EST = 01:00Z inside.
    expect(blackoutEnd(at('2026-11-02T00:59:00Z'), NY)).toBeUndefined();
    expect(blackoutEnd(at('2026-11-02T01:00:00Z'), NY)).toBe(at('2026-11-02T13:00:00Z'));
  });

  it('DST ends: a window ending at a time the clocks show twice ends at the next one', () => {
    const early: Blackout = { start: '22:00', end: '01:30', timezone: 'America/New_York' };
    expect(blackoutEnd(at('2026-11-01T03:00:00Z'), early)).toBe(at('2026-11-01T05:30:00Z')); // 23:00 EDT → 01:30 EDT
    expect(blackoutEnd(at('2026-11-01T06:10:00Z'), early)).toBe(at('2026-11-01T06:30:00Z')); // 01:10 EST → 01:30 EST
  });
});

describe('scheduleInvite', () => {
  const base = { delayMinutes: 30, blackout: NY, modality: 'phone' as const };

  it('delay 0: due at once, sent now outside the blackout', () => {
    const now = at('2026-06-10T16:00:00Z'); // 12:00 EDT
    expect(scheduleInvite({ ...base, delayMinutes: 0, appliedAt: now, now })).toEqual({ due: true, at: now, sendAt: undefined });
  });

  it('before the delay has passed: not due, at the end of the delay', () => {
    const applied = at('2026-06-10T16:00:00Z');
    const now = applied + 10 * MIN;
    expect(scheduleInvite({ ...base, appliedAt: applied, now })).toEqual({ due: false, at: applied + 30 * MIN, sendAt: undefined });
    expect(scheduleInvite({ ...base, appliedAt: applied, now: applied + 30 * MIN })).toEqual({ due: true, at: applied + 30 * MIN, sendAt: undefined });
  });

  it('a phone invitation due inside the blackout is scheduled for its end', () => {
    const applied = at('2026-06-11T01:00:00Z'); // 21:00 EDT
    const now = applied + 45 * MIN;
    expect(scheduleInvite({ ...base, appliedAt: applied, now })).toEqual({ due: true, at: at('2026-06-11T12:00:00Z'), sendAt: at('2026-06-11T12:00:00Z') });
  });

  it('a delay ending inside the blackout: not due yet, goes out at its end', () => {
    const applied = at('2026-06-10T23:50:00Z'); // 19:50 EDT; the delay ends 20:20
    expect(scheduleInvite({ ...base, appliedAt: applied, now: applied + MIN })).toEqual({
      due: false,
      at: at('2026-06-11T12:00:00Z'),
      sendAt: at('2026-06-11T12:00:00Z'),
    });
  });

  it('due long ago, now outside the blackout: sent now', () => {
    const applied = at('2026-06-11T01:00:00Z'); // 21:00 EDT, inside then
    const now = at('2026-06-11T14:00:00Z'); // 10:00 EDT next morning
    expect(scheduleInvite({ ...base, appliedAt: applied, now })).toEqual({ due: true, at: applied + 30 * MIN, sendAt: undefined });
  });

  it('a video interview ignores the blackout', () => {
    const applied = at('2026-06-11T01:00:00Z');
    const now = applied + 45 * MIN;
    expect(scheduleInvite({ ...base, modality: 'video', appliedAt: applied, now })).toEqual({ due: true, at: applied + 30 * MIN, sendAt: undefined });
  });

  it('on the DST change days the scheduled time is 08:00 local', () => {
    const spring = scheduleInvite({ ...base, delayMinutes: 0, appliedAt: at('2026-03-08T04:00:00Z'), now: at('2026-03-08T04:00:00Z') });
    expect(spring.sendAt).toBe(at('2026-03-08T12:00:00Z'));
    const fall = scheduleInvite({ ...base, delayMinutes: 0, appliedAt: at('2026-11-01T04:00:00Z'), now: at('2026-11-01T04:00:00Z') });
    expect(fall.sendAt).toBe(at('2026-11-01T13:00:00Z'));
  });
});

describe('time zones that name an offset, not a place', () => {
  it('EST, PST8PDT: refused (no DST, or a legacy name), with the hint; a place or UTC: kept', async () => {
    const { parseTimeZone } = await import('../../src/workflows/automation-schedule.js');
    expect(() => parseTimeZone('EST', '--timezone')).toThrow(/abbreviation/);
    expect(() => parseTimeZone('PST8PDT', '--timezone')).toThrow(/abbreviation/);
    expect(parseTimeZone('US/Eastern', '--timezone')).toBe('America/New_York');
    expect(parseTimeZone('UTC', '--timezone')).toBe('UTC');
  });
});
