import { describe, expect, it } from 'vitest';
import type { RecordRow } from '../../src/tracker/schemas.js';
import {
  activitySubject,
  buildInvitationActivity,
  hasInterviewMarker,
  hasMarker,
  interviewMarker,
  interviewMarkerSearchText,
  invitationSubject,
  reportMarkersIn,
  SUBJECT_MAX_LENGTH,
} from '../../src/workflows/activity-content.js';
import { defaultCountry, parseCountry } from '../../src/workflows/connections.js';
import { candidatePhone, normalisePhone, typedPhones } from '../../src/workflows/phones.js';

const row = (subject: string): RecordRow => ({ id: 1, name: subject, company: '', status: '', dateopened: '', details: { subject }, customfields: [] });

describe('phone numbers', () => {
  it('free-typed numbers become E.164 for the default country', () => {
    expect(normalisePhone('(617) 555-0110', 'US')).toEqual({ e164: '+16175550110', valid: true });
    expect(normalisePhone('07700 900123', 'GB')).toMatchObject({ e164: '+447700900123' });
    expect(normalisePhone('+44 20 7946 0958', 'US')).toMatchObject({ e164: '+442079460958', valid: true });
    expect(normalisePhone('416-555-0199', 'CA')).toMatchObject({ e164: '+14165550199' });
    for (const bad of ['', 'n/a', '12', '555-0110', 'call me']) expect(normalisePhone(bad, 'US')).toBeUndefined();
  });

  it('cellphone, then workphone, then homephone: the first valid number; else the first possible one; else none', () => {
    expect(candidatePhone({ cellphone: 'n/a', workphone: '(617) 555-0110', homephone: '(212) 555-0100' }, 'US')).toEqual({
      e164: '+16175550110',
      field: 'workphone',
      raw: '(617) 555-0110',
    });
    // 555 is not an allocated area code: possible, not valid; a valid home number wins over it.
    expect(candidatePhone({ cellphone: '+1 555 021-2345', homephone: '(617) 555-0110' }, 'US')?.field).toBe('homephone');
    expect(candidatePhone({ cellphone: '+1 555 021-2345' }, 'US')?.e164).toBe('+15550212345');
    expect(candidatePhone({ cellphone: '', workphone: null, homephone: 'none' }, 'US')).toBeUndefined();
  });

  it('a number outside the allocated ranges is used only when typed whole (country code, trunk 0, or ten NANP digits)', () => {
    expect(normalisePhone('07700 900123', 'GB')).toEqual({ e164: '+447700900123', valid: false });
    expect(normalisePhone('+44 7700 900123', 'US')).toEqual({ e164: '+447700900123', valid: false });
    expect(normalisePhone('555-0110', 'GB')).toBeUndefined();
    expect(normalisePhone('617 555 0110 x12', 'GB')).toBeUndefined();
    expect(normalisePhone('+1 555 021-2345', 'GB')?.e164).toBe('+15550212345');
    expect(normalisePhone('555 021 2345', 'US')?.e164).toBe('+15550212345');
    expect(normalisePhone('(617) 555-0110 ext. 5', 'US')?.e164).toBe('+16175550110');
    expect(typedPhones({ cellphone: ' 07700 900123 ', workphone: '', homephone: null })).toEqual(['07700 900123']);
  });

  it("the default country: the profile's, else its region's, else US; --country is checked", () => {
    expect(defaultCountry({ tracker: { country: 'DE' } }, { region: 'us' })).toBe('DE');
    expect(defaultCountry({ tracker: { region: 'uk' } }, { region: 'uk' })).toBe('GB');
    expect(defaultCountry(undefined, { region: 'ca' })).toBe('CA');
    expect(defaultCountry(undefined, { region: undefined })).toBe('US');
    expect(parseCountry(' gb ', '--country')).toBe('GB');
    expect(() => parseCountry('XX', '--country')).toThrow();
  });
});

describe('interview markers', () => {
  it('an interview marker is never a report marker, and the reverse', () => {
    expect(interviewMarker('pos_1', 5003)).toBe('[apriora:pos_1/5003]');
    expect(interviewMarkerSearchText('pos_1', 5003)).toBe('apriora:pos_1/5003');
    const subject = 'Apriora Interview: Nurse — 82/100 [apriora:rep_12] [apriora:pos_1/5003]';
    expect(reportMarkersIn(subject)).toEqual(['rep_12']);
    expect(reportMarkersIn('Apriora Interview: Nurse — invited [apriora:pos_1/5003]')).toEqual([]);
    expect(hasMarker(row(subject), 'pos_1')).toBe(false);
    expect(hasInterviewMarker(row(subject), 'pos_1', 5003)).toBe(true);
    expect(hasInterviewMarker(row(subject), 'pos_1', 500)).toBe(false);
    expect(hasInterviewMarker(row('[apriora:pos_1/50031]'), 'pos_1', 5003)).toBe(false);
  });

  it('subjects stay within 255 characters: the title is cut, never a marker', () => {
    const title = 'Senior Registered Nurse '.repeat(20);
    const report = { reportId: `rep_${'x'.repeat(60)}`, overallScore: 82.46, positionId: `pos_${'y'.repeat(60)}` };
    const both = activitySubject(report, title, 123456789);
    expect(both.length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
    expect(both.endsWith(`— 82.5/100 [apriora:${report.reportId}] [apriora:${report.positionId}/123456789]`)).toBe(true);
    const invited = invitationSubject(title, report.positionId, 123456789);
    expect(invited.length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
    expect(invited.endsWith(`— invited [apriora:${report.positionId}/123456789]`)).toBe(true);
    // A position id that cannot be a marker leaves the report's subject as it was.
    expect(activitySubject({ ...report, positionId: 'pos 1' }, 'Nurse', 5)).toBe(`Apriora Interview: Nurse — 82.5/100 [apriora:${report.reportId}]`);
  });

  it('the invitation activity: Not Started, linked to the candidate, no custom fields, the link and the marker in the note', () => {
    const built = buildInvitationActivity(
      {
        jobTitle: 'Nurse',
        jobId: 3101,
        positionId: 'pos_1',
        trackerCandidateId: 5003,
        email: 'ada@example.com',
        interviewLink: 'https://app.apriora.ai/interview/pos_1?invitation=inv_1',
        invitationId: 'inv_1',
        sendAt: 1_800_000_000,
        phone: '+16175550110',
      },
      { activityType: 'Apriora Interview', now: 1_772_719_620 },
    );
    expect(built.customfields).toEqual([]);
    expect(built.activity).toMatchObject({
      subject: 'Apriora Interview: Nurse — invited [apriora:pos_1/5003]',
      type: 'Apriora Interview',
      status: 'Not Started',
      linkRecordType: 'R',
      linkRecordId: 5003,
      date: '2026-03-05',
      time: '02:07 PM',
    });
    expect(built.activity.note).toContain('https://app.apriora.ai/interview/pos_1?invitation=inv_1');
    expect(built.activity.note).toContain('Tracker job 3101');
    expect(built.activity.note).toContain('2027-01-15T08:00:00Z');
    expect(built.activity.note?.split('\n').at(-1)).toBe('[apriora:pos_1/5003]');
  });
});
