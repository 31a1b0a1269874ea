import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTrackerSeed, type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { type CliResult, CliSandbox, logInWithInterview, recordedRuns } from './harness.js';

/**
 * End-to-end: `apriora automations` as real processes of one profile against one in-process sandbox. The runner
 * invites exactly whom the preview lists as invite-now (same applicants, same sendAt), each once with one Not Started
 * activity in Tracker; a second cycle does nothing; a new application is invited once its delay has passed; a runner
 * killed with SIGKILL mid-cycle and run again leaves every due applicant invited once; a second runner of the profile
 * exits 2 naming the first; status changes made in Tracker while the runner runs are picked up by the next full scan;
 * interview creation gives a new open job that passes the filters its interview, and no other.
 */

let sandbox: RunningSandbox;
let cli: CliSandbox;
let positionId: string;
let jobId: number;
/** The sandbox's clock runs this many ms off the real one (an application made "31 minutes ago"). */
let clockOffsetMs = 0;
const { results, run } = recordedRuns(() => cli);

const runOnce = (...extra: string[]) => run(['automations', 'run', '--once', '--json', ...extra]);
const lines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
const events = (result: CliResult): any[] => lines(result.stdout).flatMap((line) => (line.event ? [line.event] : []));
const invites = (result: CliResult) => events(result).filter((event) => event.type === 'invite');
const cycleOf = (result: CliResult) => lines(result.stdout).find((line) => line.cycle)?.cycle;
const stateFile = () => join(cli.configDir, 'data', 'default', 'automations.json');

const invitationsOf = (email: string) => sandbox.apriora.invitations.filter((i) => i.email.toLowerCase() === email.toLowerCase());
const activitiesOf = (candidateId: number) => sandbox.tracker.activities.filter((a) => a.subject.includes(`[apriora:${positionId}/${candidateId}]`));
const lastSeq = () => sandbox.requests.at(-1)?.seq ?? 0;

let people = 0;
/** A candidate applies to the live job, `minutesAgo` before now by the sandbox's clock. */
function apply(extra: { status?: string; active?: boolean; source?: string; minutesAgo?: number; job?: number } = {}) {
  const n = ++people;
  const email = `auto.${n}@example.com`;
  clockOffsetMs = -(extra.minutesAgo ?? 0) * 60_000;
  try {
    const { application, candidate } = sandbox.tracker.addApplicant({
      jobId: extra.job ?? jobId,
      email,
      firstName: `Auto${n}`,
      lastName: 'Applicant',
      phone: `(617) 555-${String(1000 + n).padStart(4, '0')}`,
      ...(extra.status ? { status: extra.status } : {}),
      ...(extra.active === undefined ? {} : { active: extra.active }),
      ...(extra.source ? { source: extra.source } : {}),
    });
    return { applicationId: application.id, candidateId: candidate.id, email };
  } finally {
    clockOffsetMs = 0;
  }
}

/** Each of `emails` has exactly one invitation to the interview and one Not Started activity in Tracker. */
function expectInvitedOnce(applicants: { candidateId: number; email: string }[]) {
  for (const { candidateId, email } of applicants) {
    expect(invitationsOf(email), email).toHaveLength(1);
    expect(invitationsOf(email)[0]!.positionId).toBe(positionId);
    const activities = activitiesOf(candidateId);
    expect(activities, email).toHaveLength(1);
    expect(activities[0]!.status).toBe('Not Started');
  }
}

async function admin(method: string, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${sandbox.url}/__sandbox/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The next full scan is due: the state file says the last one was two hours ago. */
function fullScanDue(): void {
  const state = JSON.parse(readFileSync(stateFile(), 'utf8'));
  state.applicants.lastFullScanAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
  writeFileSync(stateFile(), JSON.stringify(state));
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: generateTrackerSeed({ jobs: 10, candidates: 30 }), clock: () => new Date(Date.now() + clockOffsetMs) });
  cli = new CliSandbox();
  // Phone interviews: the blackout applies to them.
  positionId = await logInWithInterview(run, sandbox, { restToken: true });
  jobId = sandbox.tracker.jobs.find((job) => sandbox.tracker.jobState(job) === 'open')!.id;
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
  for (const result of results) expect(result.stderr + result.stdout).not.toContain(sandbox.credentials.restToken);
  cli?.cleanup();
});

describe('apriora automations, real processes against the sandbox', () => {
  it('enable invites with rules → Apriora holds them; preview lists whom run --once invites, same sendAt; a second run: nothing; a new application: invited once its delay has passed', async () => {
    // Our own applicants on the live job: two due, one excluded by the rule, one in a status that triggers nothing.
    const due = [apply(), apply({ source: 'LinkedIn' })];
    const referral = apply({ source: 'Referral' });
    const shortlisted = apply({ status: 'Shortlisted' });
    // A blackout around now (UTC): the phone invitations are scheduled for its end.
    const hour = new Date().getUTCHours();
    const hh = (h: number) => `${String((h + 24) % 24).padStart(2, '0')}:00`;
    // A bad rule: exit 2, pointing at the bad token, before any request.
    const quiet = lastSeq();
    const bad = await run(['automations', 'enable', 'invites', '--rule', 'source !== Referral', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.json().error).toMatchObject({ code: 'invalid_rule', message: expect.stringContaining('unknown operator "!=="') });
    expect(lastSeq()).toBe(quiet);
    const enabled = await run([
      'automations',
      'enable',
      'invites',
      '--trigger-status',
      'Applied',
      '--rule',
      'source != Referral',
      '--rule',
      'candidate.email ~ @example.com',
      '--delay',
      '0',
      '--blackout',
      `${hh(hour - 1)}-${hh(hour + 2)}`,
      '--timezone',
      'UTC',
      '--json',
    ]);
    expect(enabled.code, enabled.stderr).toBe(0);
    const held = sandbox.apriora.integration().automations.invites;
    expect(held).toMatchObject({
      enabled: true,
      trigger: { statuses: ['Applied'] },
      rules: [
        { field: 'source', op: 'not_equals', value: 'Referral' },
        { field: 'candidate.email', op: 'contains', value: '@example.com' },
      ],
      delayMinutes: 0,
      blackout: { start: hh(hour - 1), end: hh(hour + 2), timezone: 'UTC' },
    });

    const preview = await run(['automations', 'preview', 'invites', '--json']);
    expect(preview.code, preview.stderr).toBe(0);
    const items: { applicationId: number; candidateId: number; email: string; decision: string; sendAt: string | null; reason: { code: string } | null }[] =
      preview.json().data.invites.items;
    const byApplication = new Map(items.map((item) => [item.applicationId, item]));
    const inviteNow = items.filter((item) => item.decision === 'invite');
    for (const person of due) expect(byApplication.get(person.applicationId)).toMatchObject({ decision: 'invite', sendAt: expect.any(String) });
    expect(byApplication.get(referral.applicationId)).toMatchObject({ decision: 'skip', reason: { code: 'rule' } });
    expect(byApplication.get(shortlisted.applicationId)).toMatchObject({ decision: 'skip', reason: { code: 'not_trigger_status' } });
    expect(inviteNow.length).toBeGreaterThanOrEqual(due.length);
    const before = sandbox.apriora.invitations.length;

    const first = await runOnce();
    expect(first.code, first.stderr).toBe(0);
    const sent = invites(first).filter((event) => event.status === 'created');
    // Exactly the preview's invite-now: the same applicants, the same sendAt.
    expect(sent.map((event) => event.applicationId).sort()).toEqual(inviteNow.map((item) => item.applicationId).sort());
    expect(sandbox.apriora.invitations.length - before).toBe(inviteNow.length);
    for (const item of inviteNow) {
      const [invitation] = invitationsOf(item.email);
      expect(invitation, item.email).toBeDefined();
      expect(invitation!.sendAt).toBe(Date.parse(item.sendAt!) / 1000);
      expect(invitation!.status).toBe('scheduled');
    }
    expectInvitedOnce(inviteNow);
    expect(invitationsOf(referral.email)).toHaveLength(0);
    expect(invitationsOf(shortlisted.email)).toHaveLength(0);

    const second = await runOnce();
    expect(second.code, second.stderr).toBe(0);
    expect(invites(second)).toEqual([]);
    expect(cycleOf(second)).toMatchObject({ invited: 0, failed: 0, fullScan: false });
    expect(sandbox.apriora.invitations.length - before).toBe(inviteNow.length);

    // A delay: an application made 31 minutes ago is due, one made now waits and holds back nobody else.
    const delayed = await run(['automations', 'enable', 'invites', '--delay', '30m', '--no-blackout', '--json']);
    expect(delayed.code, delayed.stderr).toBe(0);
    const fresh = apply();
    const applied = await admin('POST', 'applications', { jobId, email: 'walk.in@example.com', phone: '(617) 555-0777' });
    expect(applied.status).toBe(201);
    const walkIn = applied.body.candidate as { candidateId: number; email: string };
    const earlier = apply({ minutesAgo: 31 });
    const third = await runOnce();
    expect(third.code, third.stderr).toBe(0);
    expect(invites(third).map((event) => [event.applicationId, event.status])).toEqual([[earlier.applicationId, 'created']]);
    expect(cycleOf(third)).toMatchObject({ invited: 1, waiting: 2 });
    expect(invitationsOf(fresh.email)).toHaveLength(0);
    // Their delay passes (the applications are stamped 31 minutes earlier): the next cycle invites them, once.
    const past = new Date(Date.now() - 31 * 60_000).toISOString().replace('T', ' ').slice(0, 19);
    for (const application of sandbox.tracker.applications) {
      if (application.resourceId === fresh.candidateId || application.resourceId === walkIn.candidateId) application.createdAt = past;
    }
    const fourth = await runOnce();
    expect(fourth.code, fourth.stderr).toBe(0);
    expect(
      invites(fourth)
        .map((event) => event.candidateId)
        .sort(),
    ).toEqual([fresh.candidateId, walkIn.candidateId].sort());
    expectInvitedOnce([earlier, fresh, { candidateId: walkIn.candidateId, email: walkIn.email }]);
    const fifth = await runOnce();
    expect(invites(fifth)).toEqual([]);
  }, 120_000);

  it('killed with SIGKILL mid-cycle, then run again: every due applicant invited once, one activity each, none missed', async () => {
    const set = await run(['automations', 'enable', 'invites', '--delay', '0', '--no-one-per-day', '--json']);
    expect(set.code, set.stderr).toBe(0);
    const due = Array.from({ length: 8 }, () => apply());
    const since = lastSeq();
    sandbox.faults.configure({ latencyMs: 80 });
    let killedAfter = 0;
    try {
      const running = cli.start(['automations', 'run', '--once', '--json']);
      await waitFor(() => sandbox.requests.some((r) => r.seq > since && r.op === 'POST /invitations' && r.httpStatus === 201), 30_000);
      running.child.kill('SIGKILL');
      const killed = await running.done;
      results.push(killed);
      expect(killed.code).toBeNull();
      killedAfter = due.filter((person) => invitationsOf(person.email).length > 0).length;
    } finally {
      sandbox.faults.clear();
    }
    expect(killedAfter).toBeGreaterThanOrEqual(1);
    expect(killedAfter).toBeLessThan(due.length);
    const again = await runOnce();
    expect(again.code, again.stderr).toBe(0);
    expectInvitedOnce(due);
    const third = await runOnce();
    expect(third.code, third.stderr).toBe(0);
    expect(invites(third)).toEqual([]);
    expectInvitedOnce(due);
  }, 120_000);

  it('a second runner of the profile exits 2 naming the first', async () => {
    const first = cli.start(['automations', 'run', '--watch', '--interval', '1h', '--json']);
    await first.until((stdout) => stdout.includes('"cycle"'));
    const second = await run(['automations', 'run', '--once']);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`pid ${first.child.pid}`);
    first.child.kill('SIGTERM');
    const stopped = await first.done;
    results.push(stopped);
    expect(stopped.code, stopped.stderr).toBe(0);
    const third = await runOnce();
    expect(third.code, third.stderr).toBe(0);
  }, 60_000);

  it('PATCH /__sandbox/applications/<id>: a row moved into a trigger status is invited by the next full scan, one moved out is not', async () => {
    const set = await run(['automations', 'enable', 'invites', '--delay', '30m', '--json']);
    expect(set.code, set.stderr).toBe(0);
    const movedIn = apply({ status: 'Shortlisted', minutesAgo: 60 });
    const waiting = apply({ minutesAgo: 10 });
    const movedOut = apply({ minutesAgo: 60 });
    const patched = await admin('PATCH', `applications/${movedOut.applicationId}`, { status: 'rejected' });
    expect(patched.status).toBe(200);
    expect(patched.body.application).toMatchObject({ opportunityResourceId: movedOut.applicationId, opportunityResourceStatusName: 'Rejected' });
    expect((await admin('PATCH', 'applications/99999999', { status: 'Applied' })).status).toBe(404);
    expect((await admin('PATCH', `applications/${movedIn.applicationId}`, { status: 'Hired?' })).status).toBe(400);
    expect((await admin('PATCH', `applications/${movedIn.applicationId}`, {})).status).toBe(400);

    const first = await runOnce('--full-scan-every', '1h');
    expect(first.code, first.stderr).toBe(0);
    expect(invites(first)).toEqual([]);
    expect(cycleOf(first)).toMatchObject({ waiting: 1 });

    // While the runner holds the waiting row: it is withdrawn; the Shortlisted one is moved back to Applied.
    const row = sandbox.tracker.applications.find((a) => a.id === movedIn.applicationId)!;
    const stamped = row.updatedAt;
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await admin('PATCH', `applications/${movedIn.applicationId}`, { status: 'Applied' })).status).toBe(200);
    expect(row.updatedAt > stamped).toBe(true);
    expect((await admin('PATCH', `applications/${waiting.applicationId}`, { active: false })).status).toBe(200);
    for (const application of sandbox.tracker.applications) {
      if (application.id === waiting.applicationId) application.createdAt = new Date(Date.now() - 40 * 60_000).toISOString().replace('T', ' ').slice(0, 19);
    }

    // Not a full scan yet: the row behind the cursor is not read again.
    const second = await runOnce('--full-scan-every', '1h');
    expect(second.code, second.stderr).toBe(0);
    expect(cycleOf(second)).toMatchObject({ fullScan: false });
    expect(invites(second)).toEqual([]);
    expect(invitationsOf(waiting.email)).toHaveLength(0);

    fullScanDue();
    const third = await runOnce('--full-scan-every', '1h');
    expect(third.code, third.stderr).toBe(0);
    expect(cycleOf(third)).toMatchObject({ fullScan: true });
    expect(invites(third).map((event) => [event.applicationId, event.status])).toEqual([[movedIn.applicationId, 'created']]);
    expectInvitedOnce([movedIn]);
    expect(invitationsOf(movedOut.email)).toHaveLength(0);
    expect(invitationsOf(waiting.email)).toHaveLength(0);
  }, 120_000);

  it('interview creation: a new open job whose title matches the filter gets its interview on the next cycle; one that does not match, or is closed, does not', async () => {
    const off = await run(['automations', 'disable', 'invites', '--json']);
    expect(off.code, off.stderr).toBe(0);
    const on = await run(['automations', 'enable', 'interviews', '--filter', 'job.title ~ nurse', '--json']);
    expect(on.code, on.stderr).toBe(0);
    expect(sandbox.apriora.integration().automations.interviewCreation).toMatchObject({
      enabled: true,
      filters: [{ field: 'job.title', op: 'contains', value: 'nurse' }],
    });
    // The first cycle gives the seeded open jobs that match theirs.
    const baseline = await runOnce();
    expect(baseline.code, baseline.stderr).toBe(0);

    const addJob = async (title: string, status: string) => {
      const added = await admin('POST', 'tracker/jobs', { title, status, description: `<p>${title}: we are hiring.</p>`, location: 'Boston, MA' });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      return (added.body.job as { id: number }).id;
    };
    const nurse = await addJob('Night Nurse (ICU)', 'Open');
    const welder = await addJob('Welder', 'Open');
    const closedNurse = await addJob('Senior Nurse', 'Closed');
    const positionsOf = (job: number) => sandbox.apriora.positions.filter((p) => p.externalId === String(job));

    const cycle = await runOnce();
    expect(cycle.code, cycle.stderr).toBe(0);
    const created = events(cycle).filter((event) => event.type === 'interview');
    expect(created.map((event) => [event.jobId, event.status])).toEqual([[nurse, 'created']]);
    expect(positionsOf(nurse)).toHaveLength(1);
    expect(positionsOf(welder)).toHaveLength(0);
    expect(positionsOf(closedNurse)).toHaveLength(0);

    const again = await runOnce();
    expect(again.code, again.stderr).toBe(0);
    expect(events(again).filter((event) => event.type === 'interview' && event.status === 'created')).toEqual([]);
    expect(positionsOf(nurse)).toHaveLength(1);
  }, 120_000);
});

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
