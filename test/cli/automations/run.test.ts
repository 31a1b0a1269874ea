import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ndjson, openJobIds, useSandbox } from '../../support/cli.js';

/**
 * `apriora automations run` against the in-process sandbox: the invitations automation executed by the tool, each
 * invitation recorded in Tracker, cursors in the profile's data dir, one runner per profile.
 */

const t = useSandbox({ seed: { jobs: 12, candidates: 20 }, loggedIn: { restToken: true }, cliPer: 'test' });

let jobId: number;
let positionId: string;

const stateFile = () => join(t.cli.dataDir, 'default', 'automations.json');
const state = () => JSON.parse(readFileSync(stateFile(), 'utf8'));
const invitationsOf = (email: string) =>
  t.sandbox.apriora.invitations.filter((i) => i.positionId === positionId && i.email.toLowerCase() === email.toLowerCase());
const activitiesOf = (candidateId: number) => t.sandbox.tracker.activities.filter((a) => a.subject.includes(`[apriora:${positionId}/${candidateId}]`));
const apply = (email: string, extra: { status?: string; active?: boolean; jobId?: number } = {}) =>
  t.sandbox.tracker.addApplicant({ jobId, email, firstName: email.split('@')[0]!, lastName: 'Applicant', phone: '(617) 555-0120', ...extra }).candidate;
const runOnce = (...args: string[]) => t.cli.run(['automations', 'run', '--once', '--json', ...args]);
const events = (stdout: string) =>
  ndjson(stdout)
    .filter((line) => line.event)
    .map((line) => line.event);
const cycle = (stdout: string) => ndjson(stdout).find((line) => line.cycle)?.cycle;

beforeEach(async () => {
  jobId = openJobIds(t.sandbox)[0]!;
  const generated = await t.cli.run(['interview', 'generate', '--job', String(jobId), '--json']);
  expect(generated.code, generated.stderr).toBe(0);
  positionId = generated.json().data.items[0].positionId;
  // The seeded applicant rows are set aside, so that each test names every applicant it expects.
  for (const row of t.sandbox.tracker.applications) row.active = false;
  t.sandbox.apriora.updateIntegration({ automations: { invites: { enabled: true, delayMinutes: 0, onePerCandidatePerDay: true } } });
});

describe('apriora automations run', () => {
  it('--once invites the due applicants and records them; a second --once: nothing new; a new application: invited next cycle', async () => {
    const ann = apply('ann@example.com');
    const ben = apply('ben@example.com', { status: 'Shortlisted' });
    const cal = apply('cal@example.com');

    const first = await runOnce();
    expect(first.code, first.stderr).toBe(0);
    const invited = events(first.stdout).filter((event) => event.type === 'invite');
    expect(invited.map((event) => [event.candidateId, event.status])).toEqual([
      [ann.id, 'created'],
      [cal.id, 'created'],
    ]);
    expect(invitationsOf('ann@example.com')).toHaveLength(1);
    expect(invitationsOf('ben@example.com')).toHaveLength(0);
    expect(activitiesOf(ann.id)).toHaveLength(1);
    expect(activitiesOf(cal.id)).toHaveLength(1);
    expect(cycle(first.stdout)).toMatchObject({ invited: 2, failed: 0, fullScan: true });
    expect(statSync(stateFile()).mode & 0o777).toBe(0o600);
    const saved = state();
    const lastRow = Math.max(...t.sandbox.tracker.applications.map((a) => a.id));
    expect(saved.applicants.lastApplicationId).toBe(lastRow);
    expect(saved.applicants.lastFullScanAt).toEqual(expect.any(String));
    expect(saved.lastCycle).toMatchObject({ invited: 2, failed: 0 });
    expect(saved.applicants.unfinished).toEqual({});

    const searches = () => t.sandbox.requests.filter((request) => request.op === 'OpportunityResource/Search').length;
    const before = searches();
    const second = await runOnce();
    expect(second.code, second.stderr).toBe(0);
    expect(events(second.stdout)).toEqual([]);
    expect(cycle(second.stdout)).toMatchObject({ invited: 0, fullScan: false, rowsRead: 0 });
    expect(searches() - before).toBeLessThanOrEqual(2);
    expect(invitationsOf('ann@example.com')).toHaveLength(1);
    void ben;

    const dee = apply('dee@example.com');
    const third = await runOnce();
    expect(third.code, third.stderr).toBe(0);
    expect(events(third.stdout).map((event) => [event.candidateId, event.status])).toEqual([[dee.id, 'created']]);
    expect(invitationsOf('dee@example.com')).toHaveLength(1);
    expect(state().applicants.lastApplicationId).toBeGreaterThan(saved.applicants.lastApplicationId);
  });

  it('an application still inside its delay holds the cursor and is invited once due', async () => {
    t.sandbox.apriora.updateIntegration({ automations: { invites: { enabled: true, delayMinutes: 30 } } });
    apply('eve@example.com');
    const first = await runOnce();
    expect(first.code, first.stderr).toBe(0);
    expect(cycle(first.stdout)).toMatchObject({ invited: 0, waiting: 1 });
    expect(invitationsOf('eve@example.com')).toHaveLength(0);
    const held = state().applicants.lastApplicationId;
    t.sandbox.apriora.updateIntegration({ automations: { invites: { enabled: true, delayMinutes: 0 } } });
    const second = await runOnce();
    expect(cycle(second.stdout)).toMatchObject({ invited: 1, waiting: 0, fullScan: false });
    expect(invitationsOf('eve@example.com')).toHaveLength(1);
    expect(state().applicants.lastApplicationId).toBeGreaterThan(held ?? 0);
  });

  it('a second runner of the profile exits 2 naming the first', async () => {
    const watch = t.cli.start(['automations', 'run', '--watch', '--interval', '1h', '--json']);
    await watch.until((stdout) => stdout.includes('"cycle"'));
    const second = await t.cli.run(['automations', 'run', '--once']);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`pid ${process.pid}`);
    expect(second.stderr).toMatch(/running since \d{4}-/);
    expect(state().nextRunAt).not.toBeNull();
    watch.controller.abort('SIGTERM');
    const stopped = await watch.done;
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(ndjson(stopped.stdout).some((line) => line.stopping === 'SIGTERM')).toBe(true);
    expect(state().nextRunAt).toBeNull(); // no next run once stopped
    // Released: the next runner starts.
    const third = await runOnce();
    expect(third.code, third.stderr).toBe(0);
  });

  it('stopped mid-cycle, then run again: no duplicate, none missed', async () => {
    const people = ['fay', 'gus', 'hal', 'ida', 'jon'].map((name) => apply(`${name}@example.com`));
    const running = t.cli.start(['automations', 'run', '--once', '--json']);
    await running.until((stdout) => stdout.includes('"type":"invite"'));
    running.controller.abort('SIGINT');
    const stopped = await running.done;
    expect(stopped.code, stopped.stderr).toBe(0);
    const firstBatch = events(stopped.stdout).filter((event) => event.type === 'invite').length;
    expect(firstBatch).toBeLessThan(people.length);

    const rerun = await runOnce();
    expect(rerun.code, rerun.stderr).toBe(0);
    for (const person of people) {
      expect(invitationsOf(person.email)).toHaveLength(1);
      expect(activitiesOf(person.id)).toHaveLength(1);
    }
  });

  it('killed after sending an invitation and before its activity: the restart records it, without a second invitation', async () => {
    const kim = apply('kim@example.com');
    // The runner was killed after POST /invitations: Apriora has the invitation, Tracker no activity, and the state
    // marks the row unfinished (written before the invitation was sent).
    const first = await runOnce();
    expect(first.code, first.stderr).toBe(0);
    for (const activity of activitiesOf(kim.id)) t.sandbox.tracker.activities.splice(t.sandbox.tracker.activities.indexOf(activity), 1);
    const saved = state();
    const row = t.sandbox.tracker.applications.find((application) => application.resourceId === kim.id)!;
    saved.applicants.lastApplicationId = row.id - 1;
    saved.applicants.unfinished = { [row.id]: 1 };
    writeFileSync(stateFile(), JSON.stringify(saved));

    const rerun = await runOnce();
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(events(rerun.stdout).map((event) => [event.candidateId, event.status])).toEqual([[kim.id, 'exists']]);
    expect(invitationsOf('kim@example.com')).toHaveLength(1);
    expect(activitiesOf(kim.id)).toHaveLength(1);
    expect(state().applicants.unfinished).toEqual({});
  });

  it('a corrupt state file is set aside with a warning and the runner starts over without inviting twice', async () => {
    apply('lou@example.com');
    expect((await runOnce()).code).toBe(0);
    writeFileSync(stateFile(), '{"version": 1, "applic');
    const rerun = await runOnce();
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(ndjson(rerun.stdout).find((line) => line.warning?.includes('could not be read'))).toBeTruthy();
    expect(existsSync(`${stateFile()}.corrupt`)).toBe(true);
    expect(invitationsOf('lou@example.com')).toHaveLength(1);
    expect(cycle(rerun.stdout)).toMatchObject({ invited: 0, fullScan: true });
  });

  it('interview creation: jobs created or updated after it was switched on; the open jobs from before are left alone', async () => {
    t.sandbox.apriora.updateIntegration({ automations: { invites: { enabled: false }, interviewCreation: { enabled: true, modality: 'video' } } });
    const first = await runOnce();
    expect(first.code, first.stderr).toBe(0);
    // The first cycle starts the clock: the open jobs without an interview are a backlog (interview generate --all-open).
    expect(events(first.stdout).filter((event) => event.type === 'interview')).toEqual([]);
    const job = t.sandbox.tracker.addJob({ title: 'Night Nurse', status: 'Open', clientId: t.sandbox.tracker.jobs[0]!.clientId });
    const second = await runOnce();
    const created = events(second.stdout).filter((event) => event.type === 'interview' && event.status === 'created');
    expect(created.map((event) => event.jobId)).toEqual([job.id]);
    const again = await runOnce();
    expect(events(again.stdout).filter((event) => event.type === 'interview')).toEqual([]);
  });

  it('needs --once or --watch, and says how', async () => {
    const result = await t.cli.run(['automations', 'run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--once');
  });

  it('table mode logs human lines on stderr and warns that Apriora runs the automation too', async () => {
    apply('max@example.com');
    const result = await t.cli.run(['automations', 'run', '--once']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/invited {2}candidate \d+ <max@example.com>/);
    expect(result.stderr).toContain('Apriora runs these automations on its side too');
    expect(result.stderr).toMatch(/Cycle done: 1 invited/);
  });
});
