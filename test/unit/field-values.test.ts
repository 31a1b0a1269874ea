import { describe, expect, it } from 'vitest';
import { reportLink, reportPdfUrl } from '../../src/apriora/partner.js';
import type { Report } from '../../src/apriora/schemas.js';
import { InputError } from '../../src/errors.js';
import { activityCustomFields, activityNote, activitySubject, buildActivity, reportLinks, SUBJECT_MAX_LENGTH } from '../../src/workflows/activity-content.js';
import { fieldKind, fieldValueProblem } from '../../src/workflows/field-map.js';
import { positionFromJob } from '../../src/workflows/job-position.js';

const FIELD_MAP = { overallScore: '451', reportLink: '452', gradingCriteria: '453', feedback: '454' };
const TYPES = { overallScore: 'Number', reportLink: 'Text', gradingCriteria: 'Memo', feedback: 'Memo' };
const APP_LINK = 'https://app.apriora.ai/reports/rep_12';

function report(overrides: Partial<Report> = {}): Report {
  return {
    reportId: 'rep_12',
    candidateId: 'cand_3',
    positionId: 'pos_1',
    overallScore: 82,
    overallFeedback: 'Strong fit.',
    questionSummary: [{ question: 'Why this role?', summary: 'Wants nights.' }],
    tags: [],
    skills: [{ name: 'Patient care', score: 9, feedback: 'Concrete examples.' }],
    timeCompleted: Date.UTC(2026, 2, 5, 14, 7) / 1000,
    videoUrl: null,
    pdfUrl: null,
    ...overrides,
  };
}

const longPdf = (length: number) => {
  const base = 'https://cdn.apriora.ai/reports/rep_12.pdf?X-Amz-Signature=';
  return base + 'f'.repeat(length - base.length);
};

describe('the Report link', () => {
  it('is the PDF link only when it is a plain http(s) URL', () => {
    expect(reportPdfUrl({ pdfUrl: 'https://cdn.apriora.ai/r.pdf' })).toBe('https://cdn.apriora.ai/r.pdf');
    expect(reportPdfUrl({ pdfUrl: ' http://cdn.example/r.pdf ' })).toBe('http://cdn.example/r.pdf');
    for (const bad of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'java\nscript:alert(1)',
      'data:text/html,x',
      'ftp://x/r.pdf',
      '/reports/r.pdf',
      'https://x/a b.pdf',
      `https://x/\u001b]0;t.pdf`,
      '',
      null,
    ]) {
      expect(reportPdfUrl({ pdfUrl: bad }), String(bad)).toBeNull();
      expect(reportLink({ reportId: 'rep_12', pdfUrl: bad })).toBe(APP_LINK);
    }
  });

  it('falls back to the app link when the PDF link does not fit a Text field; the PDF link goes into the note', () => {
    const pdfUrl = longPdf(318);
    expect(reportLinks(report({ pdfUrl }), 'Text')).toEqual({ link: APP_LINK, pdfInNote: pdfUrl });
    expect(reportLinks(report({ pdfUrl }), undefined)).toEqual({ link: APP_LINK, pdfInNote: pdfUrl }); // no type: Text
    expect(reportLinks(report({ pdfUrl }), 'Memo')).toEqual({ link: pdfUrl, pdfInNote: null });
    expect(reportLinks(report({ pdfUrl: longPdf(255) }), 'Text')).toEqual({ link: longPdf(255), pdfInNote: null });
    expect(reportLinks(report({ pdfUrl: 'javascript:alert(1)' }), 'Text')).toEqual({ link: APP_LINK, pdfInNote: null });

    const note = activityNote(report({ pdfUrl }), 'Nurse', reportLinks(report({ pdfUrl }), 'Text'));
    expect(note.split('\n').slice(0, 4)).toEqual(['Apriora AI interview for Nurse', 'Overall score: 82/100', `Report: ${APP_LINK}`, `PDF: ${pdfUrl}`]);
  });
});

describe('values fit their Tracker field', () => {
  it('types: Text holds 255 characters, Number a number, Date a date, Memo anything; unknown is Text', () => {
    expect(fieldKind('Memo')).toBe('memo');
    expect(fieldKind('Number')).toBe('number');
    expect(fieldKind('Date')).toBe('date');
    expect(fieldKind('Text')).toBe('text');
    expect(fieldKind('List')).toBe('text');
    expect(fieldKind(undefined)).toBe('text');
    expect(fieldValueProblem('Text', 'x'.repeat(255))).toBeUndefined();
    expect(fieldValueProblem('Text', 'x'.repeat(256))).toMatch(/256 characters, more than the 255/);
    expect(fieldValueProblem(undefined, 'x'.repeat(256))).toBeDefined();
    expect(fieldValueProblem('Number', '82.5')).toBeUndefined();
    expect(fieldValueProblem('Number', 'high')).toBe('is not a number');
    expect(fieldValueProblem('Date', '82')).toMatch(/not a date/);
    expect(fieldValueProblem('Memo', 'x'.repeat(10_000))).toBeUndefined();
  });

  it('a value that does not fit is field_value_invalid, naming the field, its id and type, and the fix', () => {
    const build =
      (types: Record<string, string> | undefined, overrides: Partial<Report> = {}) =>
      () =>
        buildActivity(report(overrides), { jobTitle: 'Nurse', activityType: 'Apriora Interview', candidateId: 7, fieldMap: FIELD_MAP, fieldTypes: types });
    expect(build(TYPES, { overallFeedback: 'y'.repeat(5000) })).not.toThrow();
    expect(build({ ...TYPES, overallScore: 'Date' })).toThrow(
      'Overall Score "82" does not fit Tracker field 451 (Date): it is not a date (YYYY-MM-DD); nothing was written. To fix: map a field that can hold it',
    );
    expect(build({ ...TYPES, feedback: 'Text' }, { overallFeedback: 'y'.repeat(300) })).toThrow(
      /^Feedback does not fit Tracker field 454 \(Text\): it has 300 characters, more than the 255 a Text field holds/,
    );
    // a profile mapped before types were kept: Text, and the fix is to map again
    expect(build(undefined, { overallFeedback: 'y'.repeat(300) })).toThrow(
      /\(type unknown, taken as Text\).*run `apriora tracker fields map` to record the field types/,
    );
    try {
      build({ ...TYPES, overallScore: 'Date' })();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect(error).toMatchObject({ code: 'field_value_invalid', details: { field: 'overallScore', customFieldId: '451', type: 'Date' } });
    }
  });

  it('the four values are cleaned of control characters; multi-line fields keep \\n and \\t', () => {
    const values = activityCustomFields(
      report({
        overallFeedback: 'Good\u001b[2J.\r\nNext\tline\u0007',
        skills: [{ name: 'Care\u001b]0;x\u0007', score: 9, feedback: 'ok\u009b' }],
        pdfUrl: 'https://cdn.example/r.pdf',
      }),
      FIELD_MAP,
      TYPES,
    );
    expect(values).toEqual([
      { id: 451, value: '82' },
      { id: 452, value: 'https://cdn.example/r.pdf' },
      { id: 453, value: 'Care]0;x: 9 — ok' },
      { id: 454, value: 'Good[2J.\nNext\tline' },
    ]);
  });

  it('the subject is one clean line of at most 255 characters, its score and marker whole', () => {
    expect(activitySubject(report(), 'Nurse\u001b]0;PWN\u0007\nNights')).toBe('Apriora Interview: Nurse)0;PWN Nights — 82/100 [apriora:rep_12]');
    // Brackets of the title are parentheses: only the markers the tool writes are in brackets.
    expect(activitySubject(report(), 'Fake [apriora:rep_1]')).toBe('Apriora Interview: Fake (apriora:rep_1) — 82/100 [apriora:rep_12]');
    const long = activitySubject(report(), 'N'.repeat(400));
    expect(long).toHaveLength(SUBJECT_MAX_LENGTH);
    expect(long).toMatch(/^Apriora Interview: N+… — 82\/100 \[apriora:rep_12\]$/);
  });
});

describe('the Apriora position of a Tracker job', () => {
  it('has no control characters: HTML entities are decoded first, then cleaned', () => {
    const position = positionFromJob(
      {
        id: 3101,
        reference: 'JOB-3101',
        title: '\u001b]0;PWN\u0007x\u001b[2J',
        descriptionHtml: '<p>On call &#27;]52;c;ZXZpbA==&#7; &#x9b;2J nights</p><ul><li>BLS</li></ul>',
        client: 'St Mary\u0007',
        location: 'Leeds\r\nUK',
        type: 'Permanent',
        status: 'Open',
        payRate: '',
        startDate: '',
      },
      { modality: 'phone', notes: 'Ask about nights\u001b[2J\nand weekends' },
    );
    expect(JSON.stringify(position)).not.toMatch(/\\u00(0[0-8]|0b|0c|0e|0f|1[0-9a-f]|7f|8[0-9a-f]|9[0-9a-f])/i);
    expect(position).toMatchObject({
      title: ']0;PWNx[2J',
      location: 'Leeds UK',
      creationNotes: 'Tracker job JOB-3101 (id 3101)\nClient: St Mary\nType: Permanent\nAsk about nights[2J\nand weekends',
    });
    // &#x9b; is "›" in HTML (C1 references map to Windows-1252), not the C1 CSI
    expect(position.description).toBe('On call ]52;c;ZXZpbA== ›2J nights\n\n * BLS');
  });
});

describe('plainNumber', () => {
  it('writes a score as plain decimals, never with an exponent', async () => {
    const { plainNumber } = await import('../../src/workflows/activity-content.js');
    expect([82, 82.46, 1e-7, 0, 100].map(plainNumber)).toEqual(['82', '82.46', '0.0000001', '0', '100']);
  });
});
