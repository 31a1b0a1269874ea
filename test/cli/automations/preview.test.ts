import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { emptyAutomationState, writeAutomationState } from '../../../src/store/automation-state.js';
import { expectEnvelope, openJobIds, useSandbox } from '../../support/cli.js';

/**
 * `apriora automations preview` against the in-process sandbox: the saved automations (or flags) applied to the
 * applicants of the live jobs, read-only.
 */

const t = useSandbox({ seed: { jobs: 12, candidates: 20 }, loggedIn: { restToken: true } });

/** The runner last ran long ago: interview creation takes every job updated since (all the seeded ones). */
function ranLongAgo(): void {
  const state = emptyAutomationState();
  state.jobs.lastCycleAt = '2020-01-01T00:00:00.000Z';
  writeAutomationState(join(t.cli.dataDir, 'default', 'automations.json'), state);
}

let phoneJob: number;
let videoJob: number;
let bareJob: number;

const preview = (...args: string[]) => t.cli.run(['automations', 'preview', ...args]);
/** Requests that change something (the Widget API and the REST search are POSTs that only read). */
const writes = () =>
  t.sandbox.requests.filter(
    (request) =>
      request.method !== 'GET' &&
      ![
        'checkPerson',
        'getRecords',
        'getIndividualRecord',
        'getSettingsData',
        'POST /api/Auth/ExchangeToken',
        'POST /api/v1/OpportunityResource/Search',
      ].includes(request.op),
  );

function saveInvites(invites: Record<string, unknown>, interviewCreation?: Record<string, unknown>): void {
  t.sandbox.apriora.updateIntegration({ automations: { invites, ...(interviewCreation ? { interviewCreation } : {}) } } as never);
}

const apply = (jobId: number, email: string, extra: { status?: string; phone?: string; source?: string } = {}) =>
  t.sandbox.tracker.addApplicant({ jobId, email, firstName: email.split('@')[0] || undefined, lastName: 'Applicant', phone: '(617) 555-0120', ...extra });

beforeEach(async () => {
  [phoneJob, videoJob, bareJob] = openJobIds(t.sandbox) as [number, number, number];
  for (const [job, modality] of [
    [phoneJob, 'phone'],
    [videoJob, 'video'],
  ] as const) {
    const generated = await t.cli.run(['interview', 'generate', '--job', String(job), '--modality', modality]);
    expect(generated.code, generated.stderr).toBe(0);
  }
  // The seeded applications are set aside: each test names the applicants it expects.
  for (const row of t.sandbox.tracker.applications) row.active = false;
  saveInvites({ enabled: true, trigger: { statuses: ['Applied'] }, rules: [], delayMinutes: 0, onePerCandidatePerDay: true, blackout: null });
});

type Item = { email: string; jobId: number; decision: string; reason: { code: string; message: string } | null; sendAt: string | null; at: string | null };
const decisions = (items: Item[]) =>
  items.filter((item) => item.reason?.code !== 'inactive').map((item) => [item.email, item.jobId, item.reason?.code ?? item.decision]);

describe('apriora automations preview', () => {
  it('invites: who would be invited now, who not and the first reason; nothing written', async () => {
    saveInvites({
      enabled: true,
      trigger: { statuses: ['Applied'] },
      rules: [{ field: 'source', op: 'not_contains', value: 'agency' }],
      delayMinutes: 0,
      onePerCandidatePerDay: true,
      blackout: null,
    });
    const ann = apply(phoneJob, 'ann@example.com').candidate;
    apply(phoneJob, 'ben@example.com', { status: 'Shortlisted' });
    apply(phoneJob, 'cal@example.com', { phone: '' });
    const dee = apply(phoneJob, 'dee@example.com').candidate;
    apply(phoneJob, 'eve@example.com', { source: 'Big Agency' });
    apply(videoJob, 'ann@example.com');
    apply(videoJob, 'fay@example.com');
    apply(bareJob, 'gus@example.com');
    apply(videoJob, '');
    const invited = await t.cli.run(['interview', 'invite', '--job', String(phoneJob), '--candidate', String(dee.id)]);
    expect(invited.code, invited.stderr).toBe(0);
    t.sandbox.requests.length = 0;

    const result = await preview('invites', '--json');
    expect(result.code, result.stderr).toBe(0);
    const data = expectEnvelope(result, true).data;
    expect(data.interviews).toBeNull();
    expect(data.invites.tried).toBe(false);
    expect(decisions(data.invites.items)).toEqual([
      ['ann@example.com', phoneJob, 'invite'],
      ['ben@example.com', phoneJob, 'not_trigger_status'],
      ['cal@example.com', phoneJob, 'no_phone'],
      ['dee@example.com', phoneJob, 'already_invited'],
      ['eve@example.com', phoneJob, 'rule'],
      ['ann@example.com', videoJob, 'invited_today'],
      ['fay@example.com', videoJob, 'invite'],
      ['gus@example.com', bareJob, 'job_not_live'],
      ['', videoJob, 'no_email'],
    ]);
    const byEmail = (email: string, jobId: number) => data.invites.items.find((item: Item) => item.email === email && item.jobId === jobId);
    expect(byEmail('ann@example.com', phoneJob)).toMatchObject({ candidateId: ann.id, phone: '+16175550120', sendAt: null, modality: 'phone' });
    expect(byEmail('eve@example.com', phoneJob).reason.message).toBe('rule 1 (source !~ agency) does not hold');
    expect(byEmail('cal@example.com', phoneJob).reason.message).toBe('no phone number in Tracker');
    expect(byEmail('gus@example.com', bareJob).reason.message).toContain('no Apriora interview');
    expect(data.invites.counts).toMatchObject({ invite: 2, no_phone: 1, already_invited: 1, rule: 1, invited_today: 1, job_not_live: 1, no_email: 1 });
    expect(writes()).toEqual([]);
    // The invitations are listed once per run, not per applicant: the last 24 h, then each interview with someone to invite.
    const listed = t.sandbox.requests.filter((request) => request.op === 'GET /invitations');
    expect(listed.length).toBeLessThanOrEqual(3);
    // Only applicants otherwise due to a phone interview have their Tracker record read.
    expect(t.sandbox.requests.filter((request) => request.op === 'getIndividualRecord')).toHaveLength(2);

    const table = await preview('invites');
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('invite now');
    expect(table.stdout).toContain('not invite: invited to another interview in the last 24 h');
    expect(table.stdout).toContain('1. source !~ agency');
    expect(table.stdout).not.toContain('ben@example.com'); // a status that triggers nothing: counted, not listed
  });

  it('flags try settings before saving them: delay, blackout in its zone, no one-per-day, other statuses and rules', async () => {
    apply(phoneJob, 'ann@example.com');
    apply(videoJob, 'ann@example.com');
    apply(phoneJob, 'ben@example.com', { status: 'Shortlisted' });

    const delayed = await preview('invites', '--delay', '30m', '--json');
    expect(delayed.code, delayed.stderr).toBe(0);
    const waiting = delayed.json().data.invites;
    expect(waiting.tried).toBe(true);
    expect(waiting.settings.delayMinutes).toBe(30);
    expect(decisions(waiting.items)).toEqual([
      ['ann@example.com', phoneJob, 'delay'],
      ['ann@example.com', videoJob, 'delay'],
      ['ben@example.com', phoneJob, 'not_trigger_status'],
    ]);
    expect(Date.parse(waiting.items[0].at) - Date.now()).toBeGreaterThan(25 * 60_000);

    // A blackout around now (UTC): the phone invitation is made now and sent at its end; the video one at once.
    const hour = new Date().getUTCHours();
    const hh = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
    const blackout = await preview('invites', '--blackout', `${hh(hour - 1)}-${hh(hour + 2)}`, '--timezone', 'UTC', '--no-one-per-day', '--json');
    expect(blackout.code, blackout.stderr).toBe(0);
    const [phoneItem, videoItem] = blackout.json().data.invites.items as (Item & { local: string })[];
    expect(phoneItem).toMatchObject({ decision: 'invite', local: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:00 UTC$/) });
    expect(new Date(phoneItem!.sendAt!).getUTCHours()).toBe((hour + 2) % 24);
    expect(videoItem).toMatchObject({ decision: 'invite', sendAt: null });

    const statuses = await preview('invites', '--trigger-status', 'shortlisted', '--rule', 'candidate.email ~ ben', '--json');
    expect(statuses.code, statuses.stderr).toBe(0);
    expect(decisions(statuses.json().data.invites.items)).toEqual([
      ['ann@example.com', phoneJob, 'not_trigger_status'],
      ['ann@example.com', videoJob, 'not_trigger_status'],
      ['ben@example.com', phoneJob, 'invite'],
    ]);
    expect(statuses.json().data.invites.settings.trigger.statuses).toEqual(['Shortlisted']);
  });

  it('a bad flag exits 2 before any request', async () => {
    t.sandbox.requests.length = 0;
    const rule = await preview('invites', '--rule', 'salary > 10');
    expect(rule.code).toBe(2);
    expect(rule.stderr).toContain('unknown field "salary"');
    const window = await preview('invites', '--blackout', '20:00-25:00', '--timezone', 'America/New_York');
    expect(window.code).toBe(2);
    expect(window.stderr).toContain('"25:00"');
    expect((await preview('invites', '--blackout', '20:00-08:00', '--timezone', 'Moon/Base')).code).toBe(2);
    expect((await preview('invites', '--blackout', '20:00-08:00')).code).toBe(2);
    expect((await preview('invites', '--delay', 'soon')).code).toBe(2);
    expect((await preview('interviews', '--delay', '30m')).code).toBe(2);
    expect((await preview('everything')).code).toBe(2);
    expect(t.sandbox.requests).toEqual([]);
    const status = await preview('invites', '--trigger-status', 'Aplied');
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('not a pipeline status');
  });

  it('saved trigger statuses the database does not have: a warning with the statuses it has', async () => {
    saveInvites({ enabled: true, trigger: { statuses: ['Nonexistent'] } });
    const result = await preview('invites', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().warnings.join('\n')).toMatch(/"Nonexistent" is not a pipeline status.*Applied, Shortlisted/);
  });

  it('interviews: which open jobs would get one, and why not the others', async () => {
    const open = openJobIds(t.sandbox);
    const remote = t.sandbox.tracker.job(open[3]!)!;
    saveInvites(
      { enabled: false },
      { enabled: true, modality: 'video', templateId: null, filters: [{ field: 'job.title', op: 'not_equals', value: remote.title }] },
    );
    ranLongAgo();
    t.sandbox.requests.length = 0;
    const result = await preview('interviews', '--json');
    expect(result.code, result.stderr).toBe(0);
    const { interviews, invites } = result.json().data;
    expect(invites).toBeNull();
    const byJob = new Map(interviews.items.map((item: { jobId: number }) => [item.jobId, item]));
    expect(interviews.items.map((item: { jobId: number }) => item.jobId)).toEqual(open);
    expect(byJob.get(phoneJob)).toMatchObject({ decision: 'skip', reason: { code: 'has_interview' } });
    expect(byJob.get(open[3]!)).toMatchObject({ decision: 'skip', reason: { code: 'filter' } });
    expect(byJob.get(bareJob)).toMatchObject({ decision: 'create', reason: null });
    expect(writes()).toEqual([]);
    // No REST token is needed, nor used, for the interviews.
    expect(t.sandbox.requests.filter((request) => request.api !== 'tracker' && request.api !== 'apriora')).toEqual([]);

    const tried = await preview('interviews', '--filter', `job.title = ${remote.title}`);
    expect(tried.code, tried.stderr).toBe(0);
    expect(tried.stdout).toContain('settings tried, not saved');
    expect(tried.stdout).toContain('create a video interview');
    expect(tried.stdout).toContain(`filter 1 (job.title = ${remote.title}) does not hold`);
  });

  it('both, with the saved settings; a switched-off automation is said so', async () => {
    saveInvites({ enabled: false });
    ranLongAgo();
    apply(videoJob, 'ann@example.com');
    const result = await preview('--json');
    expect(result.code, result.stderr).toBe(0);
    const envelope = result.json();
    expect(envelope.data.invites.items.map((item: Item) => item.decision)).toEqual(['invite']);
    expect(envelope.data.interviews.items.length).toBe(openJobIds(t.sandbox).length);
    expect(envelope.warnings.join('\n')).toContain('invitation automation is switched off');
  });
});
