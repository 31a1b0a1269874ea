import { describe, expect, it } from 'vitest';
import type { AprioraClient } from '../../src/apriora/client.js';
import type { Report } from '../../src/apriora/schemas.js';
import { ConflictError, RemoteError } from '../../src/errors.js';
import type { WriteLock } from '../../src/store/write-lock.js';
import type { TrackerClient } from '../../src/tracker/client.js';
import type { RecordRow } from '../../src/tracker/schemas.js';
import {
  activityCustomFields,
  activityDateTime,
  activityMarker,
  activityMatches,
  activityNote,
  activitySubject,
  buildActivity,
  formatScore,
  gradingCriteriaText,
  isActivityFor,
  markerSearchText,
  trackerJobId,
} from '../../src/workflows/activity-content.js';
import { KeyedLock, withKeyLock } from '../../src/workflows/keyed-lock.js';
import { type PushDeps, pushReport } from '../../src/workflows/push-activity.js';

const FIELD_MAP = { overallScore: '451', reportLink: '452', gradingCriteria: '453', feedback: '454' };

function sampleReport(overrides: Partial<Report> = {}): Report {
  return {
    reportId: 'rep_12',
    candidateId: 'cand_3',
    positionId: 'pos_1',
    overallScore: 82,
    overallFeedback: 'Strong fit. Recommended.',
    questionSummary: [
      { question: 'Tell me about your experience.', summary: 'Eight years on a ward.' },
      { question: 'Why this role?', summary: '' },
    ],
    tags: [
      { name: 'Availability', value: 'Immediate', evidence: 'Said she can start Monday' },
      { name: 'Licensed', value: true, evidence: '' },
    ],
    skills: [
      { name: 'Patient care', score: 9, feedback: 'Concrete examples.' },
      { name: 'Documentation', score: 6.5, feedback: '' },
      { name: 'Teamwork', score: null, feedback: 'Not assessed in depth.' },
    ],
    timeCompleted: Date.UTC(2026, 2, 5, 14, 7, 59) / 1000,
    videoUrl: null,
    pdfUrl: null,
    ...overrides,
  };
}

describe('activity content', () => {
  it('marker and its search text', () => {
    expect(activityMarker('rep_12')).toBe('[apriora:rep_12]');
    expect(markerSearchText('rep_12')).toBe('apriora:rep_12');
  });

  it('subject names the job, the score and the marker', () => {
    expect(activitySubject(sampleReport(), 'Senior Nurse')).toBe('Apriora Interview: Senior Nurse — 82/100 [apriora:rep_12]');
    expect(activitySubject(sampleReport({ overallScore: 77.46 }), '  ')).toBe('Apriora Interview — 77.5/100 [apriora:rep_12]');
    expect(formatScore(0)).toBe('0');
  });

  it('date and 12-hour time in UTC', () => {
    expect(activityDateTime(Date.UTC(2026, 2, 5, 14, 7, 59) / 1000)).toEqual({ date: '2026-03-05', time: '02:07 PM' });
    expect(activityDateTime(Date.UTC(2026, 0, 1, 0, 5) / 1000)).toEqual({ date: '2026-01-01', time: '12:05 AM' });
    expect(activityDateTime(Date.UTC(2026, 11, 31, 12, 0) / 1000)).toEqual({ date: '2026-12-31', time: '12:00 PM' });
    expect(activityDateTime(Date.UTC(2026, 11, 31, 23, 59, 59) / 1000)).toEqual({ date: '2026-12-31', time: '11:59 PM' });
    expect(activityDateTime(Date.UTC(2026, 6, 4, 9, 30) / 1000)).toEqual({ date: '2026-07-04', time: '09:30 AM' });
  });

  it('grading criteria: one `Name: score — feedback` line per skill', () => {
    expect(gradingCriteriaText(sampleReport().skills)).toBe(
      ['Patient care: 9 — Concrete examples.', 'Documentation: 6.5', 'Teamwork: n/a — Not assessed in depth.'].join('\n'),
    );
    expect(gradingCriteriaText([])).toBe('');
  });

  it('note: questions with summaries, tags, the link, and the marker last', () => {
    expect(activityNote(sampleReport(), 'Senior Nurse')).toBe(
      [
        'Apriora AI interview for Senior Nurse',
        'Overall score: 82/100',
        'Report: https://app.apriora.ai/reports/rep_12',
        '',
        'Questions',
        '1. Tell me about your experience.',
        '   Eight years on a ward.',
        '2. Why this role?',
        '',
        'Tags',
        '- Availability: Immediate — Said she can start Monday',
        '- Licensed: true',
        '',
        '[apriora:rep_12]',
      ].join('\n'),
    );
    const bare = activityNote(sampleReport({ questionSummary: [], tags: [] }), null);
    expect(bare).toBe('Apriora AI interview\nOverall score: 82/100\nReport: https://app.apriora.ai/reports/rep_12\n\n[apriora:rep_12]');
  });

  it('custom fields keyed by the mapped ids; the PDF wins as report link', () => {
    expect(activityCustomFields(sampleReport({ pdfUrl: 'https://cdn.example/rep_12.pdf' }), FIELD_MAP)).toEqual([
      { id: 451, value: '82' },
      { id: 452, value: 'https://cdn.example/rep_12.pdf' },
      { id: 453, value: 'Patient care: 9 — Concrete examples.\nDocumentation: 6.5\nTeamwork: n/a — Not assessed in depth.' },
      { id: 454, value: 'Strong fit. Recommended.' },
    ]);
    expect(activityCustomFields(sampleReport(), FIELD_MAP)[1]).toEqual({ id: 452, value: 'https://app.apriora.ai/reports/rep_12' });
    expect(() => activityCustomFields(sampleReport(), { ...FIELD_MAP, feedback: 'abc' })).toThrow(/not a numeric/);
  });

  it('buildActivity links the candidate and carries type, status, date and time', () => {
    const built = buildActivity(sampleReport(), { jobTitle: 'Senior Nurse', activityType: 'Apriora Interview', candidateId: 5003, fieldMap: FIELD_MAP });
    expect(built.activity).toMatchObject({
      subject: 'Apriora Interview: Senior Nurse — 82/100 [apriora:rep_12] [apriora:pos_1/5003]',
      type: 'Apriora Interview',
      date: '2026-03-05',
      time: '02:07 PM',
      status: 'Completed',
      linkRecordType: 'R',
      linkRecordId: 5003,
    });
    expect(built.activity.note).toContain('[apriora:rep_12]');
  });

  it('matching ignores line endings and trailing blanks, not values', () => {
    const built = buildActivity(sampleReport(), { jobTitle: 'X', activityType: 'Apriora Interview', candidateId: 1, fieldMap: FIELD_MAP });
    const same = {
      subject: built.activity.subject,
      note: `${built.activity.note!.replace(/\n/g, '\r\n')}\r\n`,
      customfields: built.customfields.map((field) => ({ id: field.id, value: field.value })),
    };
    expect(activityMatches(same, built)).toBe(true);
    expect(activityMatches({ ...same, customfields: same.customfields.map((f) => (f.id === 451 ? { id: 451, value: '81' } : f)) }, built)).toBe(false);
    expect(activityMatches({ ...same, customfields: same.customfields.slice(1) }, built)).toBe(false);
    expect(activityMatches({ ...same, subject: 'other' }, built)).toBe(false);
  });

  it('job id only from a Tracker-linked position', () => {
    expect(trackerJobId({ externalSource: 'tracker', externalId: '3101' })).toBe(3101);
    expect(trackerJobId({ externalSource: 'bullhorn', externalId: '3101' })).toBeNull();
    expect(trackerJobId({ externalSource: 'tracker', externalId: null })).toBeNull();
    expect(trackerJobId({ externalSource: 'tracker', externalId: 'JOB-1' })).toBeNull();
  });

  it('an activity row is ours when the exact marker is in its subject and it links the candidate', () => {
    const row = (subject: string, details: Record<string, unknown>): RecordRow => ({
      id: 9001,
      name: subject,
      company: '',
      status: '',
      dateopened: '',
      details: { subject, ...details },
      customfields: [],
    });
    expect(isActivityFor(row('A — 1/100 [apriora:rep_12]', { resourceid: 5003 }), 'rep_12', 5003)).toBe(true);
    expect(isActivityFor(row('A — 1/100 [apriora:rep_12]', { resourceid: null, linkrecordtype: 'R', linkrecordid: '5003' }), 'rep_12', 5003)).toBe(true);
    expect(isActivityFor(row('A — 1/100 [apriora:rep_123]', { resourceid: 5003 }), 'rep_12', 5003)).toBe(false);
    expect(isActivityFor(row('A — 1/100 [apriora:rep_12]', { resourceid: 5004 }), 'rep_12', 5003)).toBe(false);
    expect(isActivityFor(row('A — 1/100 [apriora:rep_12]', { linkrecordtype: 'O', linkrecordid: 5003 }), 'rep_12', 5003)).toBe(false);
  });
});

describe('withKeyLock', () => {
  it('runs one call per key at a time, in order; other keys run freely; a failure releases the key', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    let active = 0;
    let maxActive = 0;
    const task = (name: string, fail = false) =>
      lock.run('k', async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        log.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        log.push(`end ${name}`);
        active--;
        if (fail) throw new Error(name);
        return name;
      });
    const other = lock.run('other', async () => 'other');
    const results = await Promise.allSettled([task('a'), task('b', true), task('c')]);
    expect(await other).toBe('other');
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(maxActive).toBe(1);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(lock.size).toBe(0);
  });

  it('the process-wide lock is shared', async () => {
    let inside = 0;
    let overlap = false;
    await Promise.all(
      [1, 2, 3].map(() =>
        withKeyLock('shared-key', async () => {
          inside++;
          if (inside > 1) overlap = true;
          await new Promise((resolve) => setTimeout(resolve, 2));
          inside--;
        }),
      ),
    );
    expect(overlap).toBe(false);
  });
});

/**
 * A fake Tracker with the few operations pushReport uses, a knob to lose createActivity's answer, and knobs for a
 * second writer on another machine: right after this push's create, it creates the same activity or candidate too.
 */
function fakeWorld(
  options: { loseCreateAnswer?: number; candidateExists?: boolean; conflictOnCreate?: boolean; otherMachineCreates?: 'activity' | 'candidate' } = {},
) {
  const activities: { id: number; subject: string; note: string; linkRecordId: number; customfields: { id: number; value: string }[] }[] = [];
  const candidates: { id: number; fullname: string; email: string }[] = options.candidateExists
    ? [
        { id: 5001, fullname: 'Ada Lovelace', email: 'ADA@example.com' },
        { id: 5002, fullname: 'Ada Lovelace', email: 'other@example.com' },
      ]
    : [];
  let lose = options.loseCreateAnswer ?? 0;
  const calls: string[] = [];
  const tracker = {
    async checkPerson({ email }: { email: string }) {
      calls.push('checkPerson');
      const hit = candidates.find((c) => c.email.toLowerCase() === email.toLowerCase());
      return { status: 0, message: '', recordTypes: hit ? 'R' : '', firstRecord: hit ? { fullname: hit.fullname, email: hit.email } : null, recordLink: '' };
    },
    async *iterateRecords(query: { recordtype: string; searchtext: string }) {
      calls.push(`iterateRecords ${query.recordtype}`);
      if (query.recordtype === 'R') {
        for (const c of candidates.filter((c) => c.fullname.toLowerCase().includes(query.searchtext.toLowerCase()))) {
          yield { id: c.id, name: c.fullname, details: { email: c.email }, customfields: [] };
        }
      } else {
        for (const a of activities.filter((a) => a.subject.toLowerCase().includes(query.searchtext.toLowerCase()))) {
          yield { id: a.id, name: a.subject, details: { subject: a.subject, note: a.note, resourceid: a.linkRecordId }, customfields: a.customfields };
        }
      }
    },
    async createResource(resource: { fullname: string; email: string }) {
      calls.push('createResource');
      if (options.conflictOnCreate) {
        candidates.push({ id: 5009, fullname: resource.fullname, email: resource.email });
        throw new ConflictError('exists', { code: 'tracker_record_exists' });
      }
      const id = 5100 + candidates.length;
      candidates.push({ id, fullname: resource.fullname, email: resource.email });
      if (options.otherMachineCreates === 'candidate') candidates.push({ id: 5090, fullname: resource.fullname, email: resource.email.toUpperCase() });
      return { recordId: id, recordName: resource.fullname };
    },
    async createActivity(activity: { subject: string; note: string; linkRecordId: number }, customfields: { id: number; value: string }[]) {
      calls.push('createActivity');
      activities.push({ id: 9001 + activities.length, subject: activity.subject, note: activity.note, linkRecordId: activity.linkRecordId, customfields });
      if (options.otherMachineCreates === 'activity') {
        activities.push({ id: 9001 + activities.length, subject: activity.subject, note: activity.note, linkRecordId: activity.linkRecordId, customfields });
      }
      if (lose > 0) {
        lose--;
        throw new RemoteError('Tracker answered HTTP 502', { code: 'server_error', status: 502 });
      }
    },
    async updateRecord() {
      calls.push('updateRecord');
    },
  };
  const report = sampleReport();
  const apriora = {
    async getReports({ reportId }: { reportId: string }) {
      return reportId === report.reportId ? [report] : [];
    },
    async getCandidates() {
      return [{ candidateId: 'cand_3', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', resumeUrl: null }];
    },
    async listInvitations() {
      return [];
    },
    async getPosition() {
      return {
        positionId: 'pos_1',
        title: 'Senior Nurse',
        modality: 'phone',
        status: 'active',
        externalSource: 'tracker',
        externalId: '3101',
        interviewUrl: null,
        createdAt: null,
      };
    },
  };
  // The write lock, recording when each key is taken and given back among the calls.
  const locks = new KeyedLock();
  const writeLock: WriteLock = {
    run: (key, fn) =>
      locks.run(key, async () => {
        calls.push(`lock ${key}`);
        try {
          return await fn();
        } finally {
          calls.push(`unlock ${key}`);
        }
      }),
  };
  const deps: PushDeps = {
    tracker: tracker as unknown as TrackerClient,
    apriora: apriora as unknown as AprioraClient,
    fieldMap: FIELD_MAP,
    activityType: 'Apriora Interview',
    writeLock,
  };
  return { deps, activities, candidates, calls };
}

describe('pushReport with fake clients', () => {
  it("completes the interview's invitation activity instead of creating one; one already completed by another report is left alone", async () => {
    const world = fakeWorld({ candidateExists: true });
    // An invitation activity of this interview (pos_1, candidate 5001), and one of another candidate.
    world.activities.push(
      { id: 8001, subject: 'Apriora Interview: Senior Nurse — invited [apriora:pos_1/5001]', note: '', linkRecordId: 5001, customfields: [] },
      { id: 8002, subject: 'Apriora Interview: Senior Nurse — invited [apriora:pos_1/50011]', note: '', linkRecordId: 50011, customfields: [] },
    );
    const item = await pushReport(world.deps, 'rep_12', { dryRun: false });
    expect(item).toMatchObject({ status: 'updated', trackerCandidateId: 5001, subject: expect.stringContaining('[apriora:rep_12] [apriora:pos_1/5001]') });
    expect(world.calls).toContain('updateRecord');
    expect(world.calls).not.toContain('createActivity');
    expect(world.calls.filter((call) => call.startsWith('lock '))).toEqual(['lock email:ada@example.com', 'lock report:rep_12', 'lock interview:pos_1/5001']);

    // Already completed by another report of the same interview: a new activity for this one.
    const other = fakeWorld({ candidateExists: true });
    other.activities.push({
      id: 8001,
      subject: 'Apriora Interview: Senior Nurse — 70/100 [apriora:rep_9] [apriora:pos_1/5001]',
      note: '',
      linkRecordId: 5001,
      customfields: [],
    });
    expect(await pushReport(other.deps, 'rep_12', { dryRun: false })).toMatchObject({ status: 'created' });
    expect(other.calls).toContain('createActivity');
    expect(other.calls).not.toContain('updateRecord');
  });

  it("a report id that could carry another report's marker fails before any request, and writes nothing", async () => {
    const world = fakeWorld({ candidateExists: true });
    for (const id of ['rep_12]\n[apriora:rep_6', 'rep 1', '[apriora:rep_6]', '']) {
      expect(await pushReport(world.deps, id, { dryRun: false })).toMatchObject({ status: 'failed', error: { code: 'invalid_report_id' } });
    }
    expect(world.calls).toEqual([]);
  });

  it('finds the candidate by e-mail among same-named rows, creates, then skips', async () => {
    const world = fakeWorld({ candidateExists: true });
    const first = await pushReport(world.deps, 'rep_12', { dryRun: false });
    expect(first).toMatchObject({ status: 'created', trackerCandidateId: 5001, candidateCreated: false, jobId: 3101, candidateEmail: 'ada@example.com' });
    expect(world.activities).toHaveLength(1);
    expect(await pushReport(world.deps, 'rep_12', { dryRun: false })).toMatchObject({ status: 'skipped' });
    expect(world.activities).toHaveLength(1);
  });

  it('a lost createActivity answer is confirmed by a read, not repeated', async () => {
    const world = fakeWorld({ candidateExists: true, loseCreateAnswer: 1 });
    expect(await pushReport(world.deps, 'rep_12', { dryRun: false })).toMatchObject({ status: 'created' });
    expect(world.activities).toHaveLength(1);
    expect(world.calls.filter((c) => c === 'createActivity')).toHaveLength(1);
  });

  it('status 3 on createResource means someone else created the candidate: theirs is used', async () => {
    const world = fakeWorld({ conflictOnCreate: true });
    expect(await pushReport(world.deps, 'rep_12', { dryRun: false })).toMatchObject({ status: 'created', trackerCandidateId: 5009, candidateCreated: false });
  });

  it('concurrent pushes of one report write one activity and create one candidate', async () => {
    const world = fakeWorld();
    const items = await Promise.all([1, 2, 3, 4].map(() => pushReport(world.deps, 'rep_12', { dryRun: false })));
    expect(items.map((i) => i.status).sort()).toEqual(['created', 'skipped', 'skipped', 'skipped']);
    expect(world.candidates).toHaveLength(1);
    expect(world.activities).toHaveLength(1);
  });

  it('dry run reads only; unknown report is a failed item', async () => {
    const world = fakeWorld();
    expect(await pushReport(world.deps, 'rep_12', { dryRun: true })).toMatchObject({ status: 'created', trackerCandidateId: null, candidateCreated: true });
    expect(world.calls.filter((c) => c.startsWith('create') || c === 'updateRecord')).toEqual([]);
    expect(await pushReport(world.deps, 'rep_404', { dryRun: false })).toMatchObject({ status: 'failed', error: { code: 'report_not_found' } });
  });

  it('each look-up that decides a write runs under the write lock, and each create is read back', async () => {
    const world = fakeWorld();
    expect(await pushReport(world.deps, 'rep_12', { dryRun: false })).toMatchObject({ status: 'created', candidateCreated: true });
    expect(world.calls).toEqual([
      'lock email:ada@example.com',
      'checkPerson',
      'createResource',
      'iterateRecords R', // read-back of the new candidate
      'unlock email:ada@example.com',
      'lock report:rep_12',
      'iterateRecords A', // the look-up made under the lock
      'lock interview:pos_1/5100', // nested: an invitation's activity of this interview would be completed instead
      'iterateRecords A',
      'createActivity',
      'iterateRecords A', // read-back
      'unlock interview:pos_1/5100',
      'unlock report:rep_12',
    ]);
  });

  it('another machine created the activity too (found by the read-back): duplicate, with both ids', async () => {
    const world = fakeWorld({ candidateExists: true, otherMachineCreates: 'activity' });
    const item = await pushReport(world.deps, 'rep_12', { dryRun: false });
    expect(item).toMatchObject({
      status: 'duplicate',
      trackerCandidateId: 5001,
      duplicates: { activityIds: [9001, 9002] },
      error: { code: 'duplicate_activity', message: expect.stringContaining('Tracker has 2 activities for report rep_12 (9001, 9002)') },
    });
    expect(item.duplicates).not.toHaveProperty('candidateIds');
    expect(world.activities).toHaveLength(2); // reported, not "fixed": deleting records is for a person to decide
    // The next push skips the oldest, creates nothing, and still reports the double.
    const creates = world.calls.filter((c) => c === 'createActivity').length;
    expect(await pushReport(world.deps, 'rep_12', { dryRun: false })).toMatchObject({ status: 'duplicate', duplicates: { activityIds: [9001, 9002] } });
    expect(world.calls.filter((c) => c === 'createActivity')).toHaveLength(creates);
    expect(world.activities).toHaveLength(2);
    world.activities.pop(); // a person deleted the newer one
    expect(await pushReport(world.deps, 'rep_12', { dryRun: false })).toMatchObject({ status: 'skipped' });
  });

  it('another machine created the candidate too: duplicate, both ids, the activity on the oldest', async () => {
    const world = fakeWorld({ otherMachineCreates: 'candidate' });
    const item = await pushReport(world.deps, 'rep_12', { dryRun: false });
    expect(item).toMatchObject({
      status: 'duplicate',
      trackerCandidateId: 5090,
      candidateCreated: true,
      duplicates: { candidateIds: [5090, 5100] },
      error: { code: 'duplicate_candidate', message: expect.stringContaining('Tracker has 2 candidates with e-mail ada@example.com (5090, 5100)') },
    });
    expect(world.activities).toEqual([expect.objectContaining({ linkRecordId: 5090 })]);
  });

  it('a write lock held elsewhere for too long: failed with write_lock_busy, nothing written', async () => {
    const world = fakeWorld({ candidateExists: true });
    const busy: WriteLock = {
      run: async () => {
        throw Object.assign(new Error('Another apriora process of this profile has been writing the same record for over 180 s'), { code: 'write_lock_busy' });
      },
    };
    const item = await pushReport({ ...world.deps, writeLock: busy }, 'rep_12', { dryRun: false });
    expect(item).toMatchObject({ status: 'failed', error: { code: 'write_lock_busy' } });
    expect(world.calls.filter((c) => c.startsWith('create') || c === 'updateRecord')).toEqual([]);
  });

  it('a dry run needs no write lock', async () => {
    const world = fakeWorld({ candidateExists: true });
    expect(await pushReport({ ...world.deps, writeLock: null }, 'rep_12', { dryRun: true })).toMatchObject({ status: 'created' });
    expect(await pushReport({ ...world.deps, writeLock: null }, 'rep_12', { dryRun: false })).toMatchObject({
      status: 'failed',
      error: { code: 'internal_error' },
    });
    expect(world.activities).toHaveLength(0);
  });
});
