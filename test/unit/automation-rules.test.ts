import { describe, expect, it } from 'vitest';
import type { Rule } from '../../src/apriora/partner.js';
import { InputError } from '../../src/errors.js';
import { firstFailingRule, formatRule, INTERVIEW_FILTER_FIELDS, INVITE_RULE_FIELDS, parseRule, ruleHolds } from '../../src/workflows/automation-rules.js';
import { parseBlackout, parseTimeZone, timeOfDay } from '../../src/workflows/automation-schedule.js';
import { formatDelay, parseDelay } from '../../src/workflows/automation-validate.js';

function failure(text: string, kind: 'invites' | 'interviews' = 'invites'): InputError {
  try {
    parseRule(text, kind, '--rule');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error(`parsed: ${text}`);
}

describe('parseRule', () => {
  it.each<[string, Rule]>([
    ['status = Applied', { field: 'status', op: 'equals', value: 'Applied' }],
    ['status==Applied', { field: 'status', op: 'equals', value: 'Applied' }],
    ['job.location != Remote', { field: 'job.location', op: 'not_equals', value: 'Remote' }],
    ['source ~ linkedin', { field: 'source', op: 'contains', value: 'linkedin' }],
    ['source !~ agency', { field: 'source', op: 'not_contains', value: 'agency' }],
    ['job.type in [Permanent, Contract]', { field: 'job.type', op: 'in', value: ['Permanent', 'Contract'] }],
    ['job.type not in [Temp]', { field: 'job.type', op: 'not_in', value: ['Temp'] }],
    ['job.type NOT   IN [Temp]', { field: 'job.type', op: 'not_in', value: ['Temp'] }],
    ['JOB.Title = Senior Nurse  ', { field: 'job.title', op: 'equals', value: 'Senior Nurse' }],
    ['job.location in [ "New York, NY" , \'Boston\' ,Remote ]', { field: 'job.location', op: 'in', value: ['New York, NY', 'Boston', 'Remote'] }],
    ['job.client = "  Acme  "', { field: 'job.client', op: 'equals', value: '  Acme  ' }],
    ['job.title = "say \\"hi\\""', { field: 'job.title', op: 'equals', value: 'say "hi"' }],
    ['candidate.email ~ @example.com', { field: 'candidate.email', op: 'contains', value: '@example.com' }],
    ['source equals LinkedIn', { field: 'source', op: 'equals', value: 'LinkedIn' }],
    ['source not_contains agency', { field: 'source', op: 'not_contains', value: 'agency' }],
    ['status in[Applied,Shortlisted]', { field: 'status', op: 'in', value: ['Applied', 'Shortlisted'] }],
  ])('%s', (text, rule) => {
    expect(parseRule(text, 'invites', '--rule')).toEqual(rule);
  });

  it('interview filters take the job fields and job.status, not the applicant ones', () => {
    expect(parseRule('job.status = Open', 'interviews', '--filter')).toEqual({ field: 'job.status', op: 'equals', value: 'Open' });
    for (const field of INTERVIEW_FILTER_FIELDS) expect(parseRule(`${field} = x`, 'interviews', '--filter').field).toBe(field);
    for (const field of INVITE_RULE_FIELDS) expect(parseRule(`${field} = x`, 'invites', '--rule').field).toBe(field);
    expect(failure('status = Applied', 'interviews').message).toMatch(/"status" is not a field of interview filters/);
    expect(failure('job.status = Open').message).toMatch(/"job\.status" is not a field of invite rules/);
  });

  it.each([
    ['job.locaton = Remote', /unknown field "job\.locaton"/, 0, 11, /Fields of an invite rule: status, source, candidate\.email/],
    ['status > 3', /unknown operator ">"/, 7, 1, /operators: = \(equals\)/],
    ['status like x', /unknown operator "like"/, 7, 4, /operators/],
    // A doubled or mixed symbol is a typo, not an operator and a value that starts with "=".
    ['source !== Referral', /unknown operator "!=="/, 7, 3, /operators/],
    ['source ~= linkedin', /unknown operator "~="/, 7, 2, /operators/],
    ['source => x', /unknown operator "=>"/, 7, 2, /operators/],
    ['status', /an operator is missing/, 6, 0, /operators/],
    ['status =', /a value is missing after "="/, 8, 0, undefined],
    ['status = [Applied]', /a list goes only with "in" or "not in"/, 9, 9, undefined],
    ['job.type in Permanent', /"in" takes a list in brackets/, 12, 9, undefined],
    ['job.type in [Permanent, Contract', /not closed with "\]"/, 12, 1, undefined],
    ['job.type in []', /the list is empty/, 12, 2, undefined],
    ['job.type in [a,,b]', /an empty value in the list/, 15, 1, undefined],
    ['job.type in [a] extra', /unexpected text after the list/, 16, 5, undefined],
    ['job.type in [a [b]]', /cannot hold another list/, 15, 1, undefined],
    ['job.type not [a]', /"not" must be followed by "in"/, 9, 3, undefined],
    ['status = "Applied', /quote is not closed/, 9, 1, undefined],
    ['status = "Applied" x', /unexpected text after the quoted value/, 19, 1, undefined],
    ['', /the rule is empty/, 0, 0, undefined],
    ['= Applied', /a rule starts with a field name/, 0, 1, undefined],
  ])('%j → %s, pointing at the token', (text, message, column, length, hint) => {
    const error = failure(text);
    expect(error.exitCode).toBe(2);
    expect(error.code).toBe('invalid_rule');
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`--rule "${text}": `)).toBe(true);
    expect(error.pointer).toEqual({ input: text, column, length });
    if (hint) expect(error.hint).toMatch(hint);
  });
});

describe('formatRule', () => {
  it.each([
    'status = Applied',
    'job.location != Remote',
    'source ~ linkedin',
    'source !~ agency',
    'job.type in [Permanent, Contract]',
    'job.type not in [Temp]',
    'job.location in ["New York, NY", Boston]',
    'job.client = "  Acme  "',
    'job.title = "[draft]"',
  ])('%s reads back as itself', (text) => {
    const rule = parseRule(text, 'invites', '--rule');
    expect(formatRule(rule)).toBe(text);
    expect(parseRule(formatRule(rule), 'invites', '--rule')).toEqual(rule);
  });
});

describe('firstFailingRule', () => {
  const facts = { status: 'Applied', source: 'LinkedIn Jobs', 'candidate.email': 'Ann@Example.com', 'job.location': ' Boston ', 'job.type': 'Permanent' };
  const rule = (text: string) => parseRule(text, 'invites', '--rule');

  it.each([
    ['status = applied', true],
    ['status = Shortlisted', false],
    ['status != shortlisted', true],
    ['status != APPLIED', false],
    ['source ~ linkedin', true],
    ['source ~ indeed', false],
    ['source !~ agency', true],
    ['source !~ JOBS', false],
    ['job.type in [Contract, permanent]', true],
    ['job.type in [Contract, Temp]', false],
    ['job.type not in [Temp]', true],
    ['job.type not in [PERMANENT]', false],
    ['job.location = boston', true],
    ['candidate.email ~ @example.com', true],
    ['job.client = Acme', false],
    ['job.client != Acme', true],
    ['job.client in [Acme]', false],
  ])('%s → %s (case-insensitive, trimmed; a missing fact is empty)', (text, holds) => {
    expect(ruleHolds(rule(text), facts)).toBe(holds);
  });

  it('all must hold: the index of the first that does not, or -1', () => {
    expect(firstFailingRule([], facts)).toBe(-1);
    expect(firstFailingRule([rule('status = Applied'), rule('source ~ linkedin')], facts)).toBe(-1);
    expect(firstFailingRule([rule('status = Applied'), rule('source ~ indeed'), rule('job.type = Temp')], facts)).toBe(1);
  });
});

describe('automation-validate', () => {
  it('delays: 0 to 7 days', () => {
    expect(parseDelay('0', '--delay')).toBe(0);
    expect(parseDelay('45', '--delay')).toBe(45);
    expect(parseDelay('30m', '--delay')).toBe(30);
    expect(parseDelay('2h', '--delay')).toBe(120);
    expect(parseDelay('7d', '--delay')).toBe(10_080);
    expect(() => parseDelay('8d', '--delay')).toThrow(/at most 7d/);
    expect(() => parseDelay('-5m', '--delay')).toThrow(/--delay must be a duration/);
    expect(() => parseDelay('soon', '--delay')).toThrow(InputError);
    expect([0, 45, 120, 90, 1440, 10_080].map(formatDelay)).toEqual(['0', '45m', '2h', '1h 30m', '1d', '7d']);
  });

  it('times of day and IANA time zones (the one parser of enable and preview)', () => {
    expect(timeOfDay('8:05')).toBe('08:05');
    expect(timeOfDay('23:59')).toBe('23:59');
    expect(timeOfDay('24:00')).toBeUndefined();
    expect(timeOfDay('8pm')).toBeUndefined();
    expect(parseTimeZone('America/New_York', '--timezone')).toBe('America/New_York');
    expect(parseTimeZone('UTC', '--timezone')).toBe('UTC');
    expect(() => parseTimeZone('Mars/Olympus', '--timezone')).toThrow(/--timezone: "Mars\/Olympus" is not an IANA time zone this machine knows/);
    expect(() => parseTimeZone('+05:00', '--timezone')).toThrow(/not an IANA time zone name/);
    expect(parseBlackout('20:00-08:00', 'America/New_York', '--blackout')).toEqual({ start: '20:00', end: '08:00', timezone: 'America/New_York' });
    expect(parseBlackout('8:00-9:30', 'UTC', '--blackout')).toEqual({ start: '08:00', end: '09:30', timezone: 'UTC' });
    expect(() => parseBlackout('20:00', 'UTC', '--blackout')).toThrow(/no "-"/);
    expect(() => parseBlackout('20:00-20:00', 'UTC', '--blackout')).toThrow(/the same/);
    expect(() => parseBlackout('20:00-25:00', 'UTC', '--blackout')).toThrow(/the end "25:00" is not a time HH:MM/);
    // The zone's error names --timezone, not --blackout.
    expect(() => parseBlackout('20:00-08:00', 'Mars/Olympus', '--blackout')).toThrow(/^--timezone: /);
  });
});
