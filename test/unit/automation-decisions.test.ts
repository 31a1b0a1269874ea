import { describe, expect, it } from 'vitest';
import type { InterviewCreationAutomation, InvitesAutomation } from '../../src/apriora/partner.js';
import { type AutomationApplicant, type AutomationJob, decideInterviews, decideInvites, type InviteContext } from '../../src/workflows/automation-decisions.js';

const NOW = Date.parse('2026-06-10T16:00:00Z'); // 12:00 in New York
const MIN = 60_000;

const settings = (extra: Partial<InvitesAutomation> = {}): InvitesAutomation => ({
  enabled: true,
  trigger: { statuses: ['Applied'] },
  rules: [],
  delayMinutes: 0,
  onePerCandidatePerDay: true,
  blackout: null,
  ...extra,
});

const job = (id: number, extra: Partial<AutomationJob> = {}): AutomationJob => ({
  id,
  title: 'Nurse',
  location: 'Boston, MA',
  type: 'Permanent',
  client: 'General Hospital',
  status: 'Open',
  open: true,
  position: { positionId: `pos_${id}`, modality: 'video', status: 'active' },
  ...extra,
});

let nextId = 7001;
const applicant = (jobId: number, email: string, extra: Partial<AutomationApplicant> = {}): AutomationApplicant => ({
  applicationId: nextId++,
  jobId,
  candidateId: 5000 + nextId,
  status: 'Applied',
  active: true,
  source: 'LinkedIn',
  email,
  appliedAt: NOW - 60 * MIN,
  ...extra,
});

const context = (extra: Partial<InviteContext> = {}): InviteContext => ({
  now: NOW,
  invitedToPosition: () => false,
  invitedInLastDay: () => false,
  interviewed: () => false,
  ...extra,
});

const jobsOf = (...list: AutomationJob[]) => new Map(list.map((j) => [j.id, j]));
const summary = (decisions: ReturnType<typeof decideInvites>) =>
  decisions.map((d) => [d.applicant.email, d.kind === 'skip' || d.kind === 'wait' ? d.reason.code : d.kind]);

describe('decideInvites', () => {
  const jobs = jobsOf(
    job(1),
    job(2, { open: false, status: 'Closed' }),
    job(3, { position: null }),
    job(4, { position: { positionId: 'pos_4', modality: 'video', status: 'closed' } }),
  );

  it('every skip code, with the first condition that excludes each applicant', () => {
    const list = [
      applicant(1, 'ok@example.com'),
      applicant(1, 'gone@example.com', { active: false }),
      applicant(1, 'short@example.com', { status: 'Shortlisted' }),
      applicant(2, 'closed@example.com'),
      applicant(3, 'nointerview@example.com'),
      applicant(4, 'closedinterview@example.com'),
      applicant(99, 'unknownjob@example.com'),
      applicant(1, '  '),
      applicant(1, 'Invited@Example.com'),
      applicant(1, 'took@example.com'),
      applicant(1, 'today@example.com'),
    ];
    const decisions = decideInvites(
      settings(),
      jobs,
      list,
      context({
        invitedToPosition: (positionId, email) => positionId === 'pos_1' && email === 'invited@example.com',
        interviewed: (positionId, email) => positionId === 'pos_1' && email === 'took@example.com',
        invitedInLastDay: (email) => email === 'today@example.com',
      }),
    );
    expect(summary(decisions)).toEqual([
      ['ok@example.com', 'invite'],
      ['gone@example.com', 'inactive'],
      ['short@example.com', 'not_trigger_status'],
      ['closed@example.com', 'job_not_live'],
      ['nointerview@example.com', 'job_not_live'],
      ['closedinterview@example.com', 'job_not_live'],
      ['unknownjob@example.com', 'job_not_live'],
      ['  ', 'no_email'],
      ['Invited@Example.com', 'already_invited'],
      ['took@example.com', 'already_interviewed'],
      ['today@example.com', 'invited_today'],
    ]);
    const reasons = decisions.map((d) => (d.kind === 'skip' ? d.reason.message : ''));
    expect(reasons[2]).toContain('Shortlisted is not a trigger status (Applied)');
    expect(reasons[3]).toContain('not open in Tracker (status Closed)');
    expect(reasons[4]).toContain('has no Apriora interview');
    expect(reasons[5]).toContain('interview is closed');
    expect(decisions[6]!.job).toBeUndefined();
    expect(decisions[0]).toEqual({ kind: 'invite', applicant: list[0], job: jobs.get(1), sendAt: undefined });
  });

  it('trigger statuses match ignoring case and blanks', () => {
    const decisions = decideInvites(
      settings({ trigger: { statuses: [' shortlisted ', 'APPLIED'] } }),
      jobs,
      [
        applicant(1, 'a@example.com', { status: 'Shortlisted' }),
        applicant(1, 'b@example.com', { status: 'applied' }),
        applicant(1, 'c@example.com', { status: 'Rejected' }),
      ],
      context(),
    );
    expect(summary(decisions).map(([, code]) => code)).toEqual(['invite', 'invite', 'not_trigger_status']);
  });

  it('rules: the message names rule N and its text; all must hold', () => {
    const rules = [
      { field: 'source', op: 'not_contains' as const, value: 'agency' },
      { field: 'job.type', op: 'in' as const, value: ['Permanent', 'Contract'] },
      { field: 'candidate.email', op: 'not_equals' as const, value: 'blocked@example.com' },
    ];
    const decisions = decideInvites(
      settings({ rules }),
      jobsOf(job(1), job(5, { type: 'Temp' })),
      [
        applicant(1, 'a@example.com', { source: 'Big Agency Ltd' }),
        applicant(5, 'b@example.com'),
        applicant(1, 'BLOCKED@example.com'),
        applicant(1, 'c@example.com'),
      ],
      context(),
    );
    expect(decisions.map((d) => (d.kind === 'skip' ? d.reason.message : d.kind))).toEqual([
      'rule 1 (source !~ agency) does not hold',
      'rule 2 (job.type in [Permanent, Contract]) does not hold',
      'rule 3 (candidate.email != blocked@example.com) does not hold',
      'invite',
    ]);
  });

  it('one per day within one call and across jobs, in input order; off: every job', () => {
    const list = [applicant(1, 'ann@example.com'), applicant(6, 'ANN@example.com'), applicant(7, 'ann@example.com', { appliedAt: NOW })];
    const all = jsonJobs();
    expect(summary(decideInvites(settings(), all, list, context()))).toEqual([
      ['ann@example.com', 'invite'],
      ['ANN@example.com', 'invited_today'],
      ['ann@example.com', 'invited_today'],
    ]);
    // Input order decides who is first.
    expect(summary(decideInvites(settings(), all, [...list].reverse(), context()))[0]).toEqual(['ann@example.com', 'invite']);
    expect(summary(decideInvites(settings({ onePerCandidatePerDay: false }), all, list, context())).map(([, code]) => code)).toEqual([
      'invite',
      'invite',
      'invite',
    ]);
    // Invited elsewhere in the last 24 h: none today, unless one per day is off.
    const ctx = context({ invitedInLastDay: (email) => email === 'ann@example.com' });
    expect(summary(decideInvites(settings(), all, list, ctx)).map(([, code]) => code)).toEqual(['invited_today', 'invited_today', 'invited_today']);
    expect(summary(decideInvites(settings({ onePerCandidatePerDay: false }), all, list, ctx)).map(([, code]) => code)).toEqual(['invite', 'invite', 'invite']);
  });

  it('a waiting applicant takes no one-per-day turn; a skipped one neither', () => {
    const list = [
      applicant(1, 'ann@example.com', { appliedAt: NOW - MIN }),
      applicant(6, 'ann@example.com', { status: 'Rejected' }),
      applicant(7, 'ann@example.com'),
    ];
    expect(summary(decideInvites(settings({ delayMinutes: 30 }), jsonJobs(), list, context()))).toEqual([
      ['ann@example.com', 'delay'],
      ['ann@example.com', 'not_trigger_status'],
      ['ann@example.com', 'invite'],
    ]);
  });

  it('two Tracker records with one e-mail on one job: one invitation', () => {
    const decisions = decideInvites(
      settings({ onePerCandidatePerDay: false }),
      jobs,
      [applicant(1, 'x@example.com'), applicant(1, 'X@example.com')],
      context(),
    );
    expect(summary(decisions)).toEqual([
      ['x@example.com', 'invite'],
      ['X@example.com', 'already_invited'],
    ]);
  });

  it('delay and blackout: wait until when, or invite with sendAt', () => {
    const phone = job(8, { position: { positionId: 'pos_8', modality: 'phone', status: 'active' } });
    const night = Date.parse('2026-06-11T02:00:00Z'); // 22:00 in New York
    const blackout = { start: '20:00', end: '08:00', timezone: 'America/New_York' };
    const list = [
      applicant(8, 'a@example.com', { appliedAt: night - 60 * MIN }),
      applicant(8, 'b@example.com', { appliedAt: night - 5 * MIN }),
      applicant(1, 'c@example.com', { appliedAt: night - 60 * MIN }),
      applicant(1, 'd@example.com', { appliedAt: night - 5 * MIN }),
    ];
    const decisions = decideInvites(settings({ delayMinutes: 30, blackout }), jobsOf(job(1), phone), list, context({ now: night }));
    const morning = Date.parse('2026-06-11T12:00:00Z');
    expect(decisions[0]).toMatchObject({ kind: 'invite', sendAt: morning });
    expect(decisions[1]).toMatchObject({ kind: 'wait', at: morning, reason: { code: 'blackout' } });
    expect(decisions[2]).toMatchObject({ kind: 'invite', sendAt: undefined });
    expect(decisions[3]).toMatchObject({ kind: 'wait', at: night + 25 * MIN, reason: { code: 'delay' } });
    expect((decisions[3] as { reason: { message: string } }).reason.message).toContain('30 min');
  });
});

function jsonJobs() {
  return jobsOf(job(1), job(6), job(7));
}

describe('decideInterviews', () => {
  const creation = (filters: InterviewCreationAutomation['filters'] = []): InterviewCreationAutomation => ({
    enabled: true,
    modality: 'video',
    templateId: null,
    filters,
  });

  it('open jobs without an interview that pass every filter, in input order', () => {
    const jobs = [
      job(1, { position: null }),
      job(2, { position: null, open: false, status: 'Closed' }),
      job(3),
      job(4, { position: null, location: 'Remote' }),
      job(5, { position: null, client: 'ACME Staffing', type: 'contract' }),
    ];
    const filters = [
      { field: 'job.location', op: 'not_equals' as const, value: 'remote' },
      { field: 'job.type', op: 'in' as const, value: ['Permanent', 'Contract'] },
    ];
    const decisions = decideInterviews(creation(filters), jobs);
    expect(decisions.map((d) => [d.job.id, d.kind === 'skip' ? d.reason.code : d.kind])).toEqual([
      [1, 'create'],
      [2, 'not_open'],
      [3, 'has_interview'],
      [4, 'filter'],
      [5, 'create'],
    ]);
    expect(decisions[3]).toMatchObject({ reason: { message: 'filter 1 (job.location != remote) does not hold' } });
    expect(decisions[2]).toMatchObject({ reason: { message: expect.stringContaining('pos_3') } });
  });

  it('job.status and job.title filters', () => {
    const jobs = [job(1, { position: null, status: 'Urgent', title: 'Senior Nurse' }), job(2, { position: null, status: 'Open', title: 'Driver' })];
    const decisions = decideInterviews(
      creation([
        { field: 'job.title', op: 'contains', value: 'NURSE' },
        { field: 'job.status', op: 'equals', value: 'urgent' },
      ]),
      jobs,
    );
    expect(decisions.map((d) => d.kind)).toEqual(['create', 'skip']);
    expect(decideInterviews(creation(), jobs).map((d) => d.kind)).toEqual(['create', 'create']);
  });
});
