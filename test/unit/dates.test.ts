import { describe, expect, it } from 'vitest';
import { MAX_SCHEDULE_AHEAD_MS, parseDateInput, parseDuration, parseFutureDate, readableTime } from '../../src/cli/dates.js';

const now = new Date('2026-11-30T12:00:00Z');

describe('date flags', () => {
  it('read dates and date-times as UTC unless an offset is given, whatever the machine time zone', () => {
    expect(parseDateInput('2026-11-01', '--since', now).toISOString()).toBe('2026-11-01T00:00:00.000Z');
    expect(parseDateInput('2026-11-01T09:30', '--since', now).toISOString()).toBe('2026-11-01T09:30:00.000Z');
    expect(parseDateInput('2026-11-01 09:30:15.5', '--since', now).toISOString()).toBe('2026-11-01T09:30:15.500Z');
    expect(parseDateInput('2026-11-01T09:30:00-05:00', '--since', now).toISOString()).toBe('2026-11-01T14:30:00.000Z');
    expect(parseDateInput('2026-11-01T09:30:00+0530', '--since', now).toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(parseDateInput('24h', '--since', now).toISOString()).toBe('2026-11-29T12:00:00.000Z');
  });

  it('refuse impossible calendar dates instead of rolling them over', () => {
    for (const bad of [
      '2027-02-30',
      '2027-02-29T10:00:00Z',
      '2026-13-01',
      '2026-04-31',
      '2026-11-01T24:00',
      '2026-11-01T09:60',
      '2026-11-01T09:30+15:00',
      'tomorrow',
    ]) {
      expect(() => parseDateInput(bad, '--since', now), bad).toThrow(/--since must be/);
    }
    expect(parseDateInput('2028-02-29', '--since', now).toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it('--send-at: in the future, and at most the cap ahead', () => {
    expect(parseFutureDate('2026-12-01T09:00:00Z', '--send-at', now, MAX_SCHEDULE_AHEAD_MS).toISOString()).toBe('2026-12-01T09:00:00.000Z');
    expect(() => parseFutureDate('2026-11-30T11:59:59Z', '--send-at', now)).toThrow(/not in the future/);
    expect(() => parseFutureDate('2027-02-30T10:00:00Z', '--send-at', now)).toThrow(/must be a date/);
    expect(() => parseFutureDate('9999-12-31T23:59:59Z', '--send-at', now, MAX_SCHEDULE_AHEAD_MS)).toThrow(/too far ahead: at most 30 days/);
  });

  it('--delay: a positive duration, at most the cap', () => {
    expect(parseDuration('30m', '--delay', MAX_SCHEDULE_AHEAD_MS)).toBe(1_800_000);
    expect(parseDuration('30d', '--delay', MAX_SCHEDULE_AHEAD_MS)).toBe(MAX_SCHEDULE_AHEAD_MS);
    expect(() => parseDuration('31d', '--delay', MAX_SCHEDULE_AHEAD_MS)).toThrow(/too far ahead/);
    expect(() => parseDuration('99999d', '--delay', MAX_SCHEDULE_AHEAD_MS)).toThrow(/too far ahead/);
    for (const bad of ['0m', '-5m', '1.5h', '']) expect(() => parseDuration(bad, '--delay'), bad).toThrow(/must be a duration/);
  });
});

describe('readableTime', () => {
  it('shows an instant as a person reads it, in UTC, with how far it is from now', () => {
    expect(readableTime(new Date('2026-11-29T10:00:00.000Z'), now)).toBe('29 Nov 2026 10:00 UTC (1 day 2 h ago)');
    expect(readableTime(new Date('2026-11-30T14:05:00Z'), now)).toBe('30 Nov 2026 14:05 UTC (in 2 h 5 min)');
    expect(readableTime(new Date('2026-11-30T12:30:00Z'), now)).toBe('30 Nov 2026 12:30 UTC (in 30 min)');
    expect(readableTime(new Date('2026-12-25T08:00:00Z'), now)).toBe('25 Dec 2026 08:00 UTC (in 24 days)');
    expect(readableTime(new Date('2026-11-01T00:00:00Z'), now)).toBe('1 Nov 2026 00:00 UTC (29 days ago)');
    expect(readableTime(now, now)).toBe('30 Nov 2026 12:00 UTC (now)');
  });
});
