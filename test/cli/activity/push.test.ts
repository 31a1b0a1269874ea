import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AT_TERMINAL,
  type CliResult,
  expectEnvelope,
  expectNoSecrets,
  loggedInCli,
  openJobIds,
  sandboxSecrets,
  savedFieldMap,
  type TestCli,
  useSandbox,
} from '../../support/cli.js';

/**
 * `apriora activity push` against the in-process sandbox. What is asserted is what ends up in the sandbox's Tracker
 * (candidates, activities, their custom field values, the exact write requests) and what the CLI reports.
 */

const t = useSandbox({ seed: { jobs: 12, candidates: 20 }, cliPer: 'none' });
const results: CliResult[] = [];

async function run(cli: TestCli, args: string[]): Promise<CliResult> {
  const result = await cli.run(args);
  results.push(result);
  return result;
}

/** The Apriora interview of a Tracker job, made with the CLI. */
async function interviewFor(cli: TestCli, jobId: number): Promise<string> {
  const result = await run(cli, ['interview', 'generate', '--job', String(jobId), '--json']);
  expect(result.code, result.stderr).toBe(0);
  return result.json().data.items[0].positionId as string;
}

const push = (cli: TestCli, ...args: string[]) => run(cli, ['activity', 'push', ...args, '--json']);
const activitiesOf = (reportId: string) => t.sandbox.tracker.activities.filter((activity) => activity.subject.includes(`[apriora:${reportId}]`));
const trackerWrites = () =>
  t.sandbox.requests.filter(
    (request) => request.api === 'tracker' && ['createResource', 'createActivity', 'updateRecord', 'resourceApplication'].includes(request.op),
  );
const fieldValue = (activity: { customFields: { id: number; value: string }[] }, id: number) => activity.customFields.find((field) => field.id === id)?.value;
const gradingLines = (skills: { name: string; score: number; feedback: string }[]) =>
  skills.map((skill) => `${skill.name}: ${skill.score}${skill.feedback ? ` — ${skill.feedback}` : ''}`).join('\n');

afterAll(() => {
  // No secret in any output of this file.
  expectNoSecrets(sandboxSecrets(t.sandbox), results);
});

describe('apriora activity push', () => {
  let cli: TestCli;
  let fields: ReturnType<typeof savedFieldMap>;
  let jobId: number;
  let positionId: string;
  beforeEach(async () => {
    cli = await loggedInCli(t.sandbox);
    fields = savedFieldMap(cli);
    jobId = openJobIds(t.sandbox)[0]!;
    positionId = await interviewFor(cli, jobId);
  });
  afterEach(() => cli.cleanup());

  it('one report → one activity on the candidate with that e-mail; again: skipped; changed score: updated', async () => {
    const person = t.sandbox.tracker.candidates[3]!;
    const { report } = t.sandbox.apriora.completeInterview({
      positionId,
      email: person.email.toUpperCase(),
      firstName: person.firstname,
      lastName: person.lastname,
    });
    const job = t.sandbox.tracker.job(jobId)!;
    const candidatesBefore = t.sandbox.tracker.candidates.length;
    t.sandbox.requests.length = 0;

    const first = await push(cli, '--report', report.reportId);
    expect(first.code, first.stderr).toBe(0);
    const data = expectEnvelope(first, true).data;
    // The report's marker, then the interview's (position / Tracker candidate): one activity per interview.
    const subject = `Apriora Interview: ${job.title} — ${report.overallScore}/100 [apriora:${report.reportId}] [apriora:${report.positionId}/${person.id}]`;
    expect(data.items).toEqual([
      {
        reportId: report.reportId,
        candidateEmail: person.email.toUpperCase(),
        trackerCandidateId: person.id,
        candidateCreated: false,
        jobId,
        subject,
        activityId: t.sandbox.tracker.activities.find((activity) => activity.subject === subject)!.id,
        status: 'created',
      },
    ]);
    expect(data).toMatchObject({ dryRun: false, activityType: 'Apriora Interview', source: 'report' });
    expect(data.summary).toMatchObject({ total: 1, created: 1, failed: 0 });
    expect(t.sandbox.tracker.candidates).toHaveLength(candidatesBefore);

    const [activity, ...others] = activitiesOf(report.reportId);
    expect(others).toHaveLength(0);
    const completed = new Date(report.timeCompleted * 1000);
    const hours = completed.getUTCHours();
    const date = completed.toISOString().slice(0, 10);
    const time = `${String(hours % 12 || 12).padStart(2, '0')}:${String(completed.getUTCMinutes()).padStart(2, '0')} ${hours < 12 ? 'AM' : 'PM'}`;
    expect(activity).toMatchObject({
      type: 'Apriora Interview',
      linkRecordType: 'R',
      linkRecordId: person.id,
      status: 'Completed',
      date,
      time,
      customFieldsForm: 'beside',
    });
    expect(fieldValue(activity!, fields.overallScore)).toBe(String(report.overallScore));
    expect(fieldValue(activity!, fields.reportLink)).toBe(report.pdfUrl ?? `https://app.apriora.ai/reports/${report.reportId}`);
    expect(fieldValue(activity!, fields.gradingCriteria)).toBe(gradingLines(report.skills));
    expect(fieldValue(activity!, fields.feedback)).toBe(report.overallFeedback);
    expect(activity!.note).toContain(report.questionSummary[0]!.summary);
    expect(activity!.note).toContain(`[apriora:${report.reportId}]`);

    // the one write Tracker received: createActivity, linked to the candidate, with the four mapped fields
    const writes = trackerWrites();
    expect(writes.map((request) => request.op)).toEqual(['createActivity']);
    expect(writes[0]!.body).toEqual({
      trackerrms: {
        createActivity: {
          credentials: { username: '***', password: '***', apikey: '***', oauthtoken: '' },
          activity: { subject, type: 'Apriora Interview', date, time, status: 'Completed', note: activity!.note, linkRecordType: 'R', linkRecordId: person.id },
          customfields: [
            { id: fields.overallScore, value: String(report.overallScore) },
            { id: fields.reportLink, value: fieldValue(activity!, fields.reportLink) },
            { id: fields.gradingCriteria, value: gradingLines(report.skills) },
            { id: fields.feedback, value: report.overallFeedback },
          ],
        },
      },
    });

    const again = await push(cli, '--report', report.reportId);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json().data.items).toEqual([expect.objectContaining({ status: 'skipped', trackerCandidateId: person.id })]);
    expect(activitiesOf(report.reportId)).toHaveLength(1);

    const stored = t.sandbox.apriora.reports.find((r) => r.reportId === report.reportId)!;
    stored.overallScore = stored.overallScore === 41 ? 42 : 41;
    const updated = await push(cli, '--report', report.reportId);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.json().data.items).toEqual([expect.objectContaining({ status: 'updated' })]);
    const after = activitiesOf(report.reportId);
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(activity!.id);
    expect(fieldValue(after[0]!, fields.overallScore)).toBe(String(stored.overallScore));
    expect(after[0]!.subject).toContain(` — ${stored.overallScore}/100 `);

    const human = await run(cli, ['activity', 'push', '--report', report.reportId]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(report.reportId);
    expect(human.stdout).toMatch(/│ Report\s+│ Candidate\s+│ Tracker candidate\s+│ Job\s+│ Activity\s+│ Status\s+│/);
    expect(human.stdout).toMatch(
      new RegExp(
        `│ ${report.reportId}\\s+│ ${person.email.toUpperCase().replace(/[.+]/g, '\\$&')}\\s+│ ${person.id}\\s+│ ${jobId} │ ${activity!.id}\\s+│ skipped │`,
      ),
    );
    expect(human.stdout).toMatch(/1 report: 1 skipped/);
  });

  it('an e-mail unknown to Tracker creates the candidate once (source Apriora, on the long list), even for two reports in one run', async () => {
    const email = 'grace.hopper@newcomer.example';
    const before = t.sandbox.tracker.candidates.length;
    const first = t.sandbox.apriora.completeInterview({ positionId, email, firstName: 'Grace', lastName: 'Hopper' }).report;
    const second = t.sandbox.apriora.completeInterview({ positionId, email, firstName: 'Grace', lastName: 'Hopper' }).report;

    const result = await push(cli, '--report', first.reportId, '--report', second.reportId, '--concurrency', '4');
    expect(result.code, result.stderr).toBe(0);
    const items = result.json().data.items as { status: string; trackerCandidateId: number; candidateCreated: boolean }[];
    expect(items.map((item) => item.status)).toEqual(['created', 'created']);

    expect(t.sandbox.tracker.candidates).toHaveLength(before + 1);
    // The second push waited for the first (same e-mail) and found its candidate: one createResource, no status 3.
    expect(t.sandbox.requests.filter((r) => r.op === 'createResource')).toHaveLength(1);
    const created = t.sandbox.tracker.candidates.find((candidate) => candidate.email === email)!;
    expect(created).toMatchObject({ firstname: 'Grace', lastname: 'Hopper', fullname: 'Grace Hopper', source: 'Apriora' });
    expect(items.every((item) => item.trackerCandidateId === created.id)).toBe(true);
    expect(items.filter((item) => item.candidateCreated)).toHaveLength(1);
    expect(t.sandbox.tracker.applications.filter((a) => a.resourceId === created.id)).toEqual([
      expect.objectContaining({ opportunityId: jobId, list: 'long' }),
    ]);
    expect(t.sandbox.tracker.activities.filter((a) => a.linkRecordId === created.id && a.linkRecordType === 'R')).toHaveLength(2);

    const again = await push(cli, '--candidate', email);
    expect(again.json().data.items.map((item: { status: string }) => item.status)).toEqual(['skipped', 'skipped']);
    expect(t.sandbox.tracker.candidates).toHaveLength(before + 1);
  });

  it('an answer lost after Tracker committed the activity ends with exactly one activity', async () => {
    const person = t.sandbox.tracker.candidates[5]!;
    const { report } = t.sandbox.apriora.completeInterview({ positionId, email: person.email });
    t.sandbox.faults.push({ kind: 'after-commit', op: 'createActivity', api: 'tracker' });

    const result = await push(cli, '--report', report.reportId);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data.items).toEqual([expect.objectContaining({ status: 'created' })]);
    expect(activitiesOf(report.reportId)).toHaveLength(1);
    expect(t.sandbox.requests.filter((r) => r.op === 'createActivity')).toHaveLength(1);

    const again = await push(cli, '--report', report.reportId);
    expect(again.json().data.items).toEqual([expect.objectContaining({ status: 'skipped' })]);
    expect(activitiesOf(report.reportId)).toHaveLength(1);

    // With the connection reset instead of a 502, too.
    const other = t.sandbox.apriora.completeInterview({ positionId, email: t.sandbox.tracker.candidates[6]!.email }).report;
    t.sandbox.faults.push({ kind: 'after-commit', op: 'createActivity', api: 'tracker', mode: 'reset' });
    const reset = await push(cli, '--report', other.reportId);
    expect(reset.code, reset.stderr).toBe(0);
    expect(activitiesOf(other.reportId)).toHaveLength(1);
  });

  it('another machine creates the same activity between our create and its read-back: duplicate with both ids, exit 3', async () => {
    const person = t.sandbox.tracker.candidates[9]!;
    const { report } = t.sandbox.apriora.completeInterview({ positionId, email: person.email });
    // The second writer, on a machine no lock reaches: as Tracker answers our createActivity, it commits its own.
    const unsubscribe = t.sandbox.onRequest((request) => {
      if (request.op !== 'createActivity' || activitiesOf(report.reportId).length !== 1) return;
      const ours = activitiesOf(report.reportId)[0]!;
      t.sandbox.tracker.addActivity({ ...ours, customFields: ours.customFields.map((field) => ({ ...field })) });
    });
    try {
      const result = await push(cli, '--report', report.reportId);
      expect(result.code).toBe(3);
      const ids = activitiesOf(report.reportId).map((activity) => activity.id);
      expect(ids).toHaveLength(2);
      const document = expectEnvelope(result, false);
      expect(document.error).toMatchObject({ code: 'partial_failure', message: '1 of 1 reports found twice in Tracker (status duplicate)' });
      expect(document.data.items).toEqual([
        expect.objectContaining({
          reportId: report.reportId,
          trackerCandidateId: person.id,
          status: 'duplicate',
          duplicates: { activityIds: ids },
          error: { code: 'duplicate_activity', message: expect.stringContaining(`Tracker has 2 activities for report ${report.reportId} (${ids.join(', ')})`) },
        }),
      ]);
      expect(document.data.summary).toMatchObject({ total: 1, created: 0, failed: 0, duplicate: 1 });
      // The read-back is one getRecords after the create.
      const ops = t.sandbox.requests.filter((r) => r.api === 'tracker').map((r) => r.op);
      expect(ops.slice(ops.indexOf('createActivity'))).toEqual(['createActivity', 'getRecords']);
    } finally {
      unsubscribe();
    }

    // The next push writes nothing (the oldest already says what the report says) and still reports the double.
    const again = await push(cli, '--report', report.reportId);
    expect(again.code).toBe(3);
    expect(again.json().data.items).toEqual([
      expect.objectContaining({ status: 'duplicate', duplicates: { activityIds: activitiesOf(report.reportId).map((a) => a.id) } }),
    ]);
    expect(activitiesOf(report.reportId)).toHaveLength(2);
    // Once a person has deleted the extra one: skipped, exit 0.
    t.sandbox.tracker.activities.splice(t.sandbox.tracker.activities.indexOf(activitiesOf(report.reportId)[1]!), 1);
    const cleaned = await push(cli, '--report', report.reportId);
    expect(cleaned.code, cleaned.stderr).toBe(0);
    expect(cleaned.json().data.items).toEqual([expect.objectContaining({ status: 'skipped' })]);
  });

  it('the table shows a duplicate with its ids, and the run exits 3', async () => {
    const person = t.sandbox.tracker.candidates[10]!;
    const { report } = t.sandbox.apriora.completeInterview({ positionId, email: person.email });
    const unsubscribe = t.sandbox.onRequest((request) => {
      if (request.op !== 'createActivity' || activitiesOf(report.reportId).length !== 1) return;
      t.sandbox.tracker.addActivity({ ...activitiesOf(report.reportId)[0]! });
    });
    try {
      const human = await run(cli, ['activity', 'push', '--report', report.reportId]);
      expect(human.code).toBe(3);
      const [first, second] = activitiesOf(report.reportId).map((activity) => activity.id);
      expect(human.stdout).toMatch(new RegExp(`duplicate: Tracker has 2 activities for report ${report.reportId} \\(${first}, ${second}\\)`));
      expect(human.stdout).toMatch(/1 report: 1 duplicate in/);
      expect(human.stderr).toMatch(/^Error: 1 of 1 reports found twice in Tracker \(status duplicate\)/m);
      expect(human.stderr).toMatch(/^Try: Keep the oldest record named in each duplicate item and delete the others in Tracker/m);
    } finally {
      unsubscribe();
    }
  });

  it('--job, --since 24h and --candidate select the right reports', async () => {
    const otherJob = openJobIds(t.sandbox)[1]!;
    const otherPosition = await interviewFor(cli, otherJob);
    const [a, b, c] = [t.sandbox.tracker.candidates[0]!, t.sandbox.tracker.candidates[1]!, t.sandbox.tracker.candidates[2]!];
    const now = Math.floor(Date.now() / 1000);
    const onJob = t.sandbox.apriora.completeInterview({ positionId, email: a.email, at: now - 3 * 86_400 }).report;
    const onJobRecent = t.sandbox.apriora.completeInterview({ positionId, email: b.email, at: now - 3600 }).report;
    const otherRecent = t.sandbox.apriora.completeInterview({ positionId: otherPosition, email: a.email, at: now - 60 }).report;
    const otherOld = t.sandbox.apriora.completeInterview({ positionId: otherPosition, email: c.email, at: now - 2 * 86_400 }).report;
    const ids = (result: CliResult) => (result.json().data.items as { reportId: string }[]).map((item) => item.reportId).sort();

    const dry = (...args: string[]) => push(cli, ...args, '--dry-run');
    const byJob = await dry('--job', String(jobId));
    expect(byJob.code, byJob.stderr).toBe(0);
    expect(ids(byJob)).toEqual([onJob.reportId, onJobRecent.reportId].sort());
    expect(byJob.json().data.items.every((item: { jobId: number }) => item.jobId === jobId)).toBe(true);
    expect(byJob.json().data.source).toBe('job');

    const since = await dry('--since', '24h');
    expect(ids(since)).toEqual([onJobRecent.reportId, otherRecent.reportId].sort());

    const byCandidate = await dry('--candidate', a.email.toUpperCase());
    expect(ids(byCandidate)).toEqual([onJob.reportId, otherRecent.reportId].sort());
    expect(ids(await dry('--candidate', c.email))).toEqual([otherOld.reportId]);

    // Repeatable: the reports of each job, and of each candidate, once.
    const both = await dry('--job', String(jobId), '--job', String(otherJob), '--job', String(jobId));
    expect(ids(both)).toEqual([onJob.reportId, onJobRecent.reportId, otherRecent.reportId, otherOld.reportId].sort());
    expect(ids(await dry('--candidate', a.email, '--candidate', c.email.toUpperCase(), '--candidate', a.email))).toEqual(
      [onJob.reportId, otherRecent.reportId, otherOld.reportId].sort(),
    );

    const unlinked = await dry('--job', String(openJobIds(t.sandbox)[2]!));
    expect(unlinked.code).toBe(0);
    expect(unlinked.json().data.items).toEqual([]);
    expect(unlinked.json().warnings).toEqual([expect.stringMatching(/No Apriora interview is linked/)]);
    expect(trackerWrites()).toHaveLength(0);

    const real = await push(cli, '--since', '24h');
    expect(real.code, real.stderr).toBe(0);
    expect(activitiesOf(onJobRecent.reportId)).toHaveLength(1);
    expect(activitiesOf(otherRecent.reportId)).toHaveLength(1);
    expect(activitiesOf(onJob.reportId)).toHaveLength(0);
    expect(activitiesOf(otherOld.reportId)).toHaveLength(0);
  });

  it('--since: one reports read per linked position, no position read again, results in list order, oldest first', async () => {
    const jobs = openJobIds(t.sandbox).slice(1, 5);
    const positions = [positionId];
    for (const job of jobs) positions.push(await interviewFor(cli, job));
    const people = t.sandbox.tracker.candidates;
    const now = Math.floor(Date.now() / 1000);
    const complete = (position: string, person: number, ago: number) =>
      t.sandbox.apriora.completeInterview({ positionId: position, email: people[person]!.email, at: now - ago }).report.reportId;
    // Completed in another order than the positions are listed in.
    const later = complete(positions[3]!, 5, 60);
    const earlier = complete(positions[3]!, 6, 600);
    const first = complete(positions[1]!, 7, 30);
    complete(positions[2]!, 8, 3 * 86_400); // too old
    t.sandbox.requests.length = 0;

    const result = await push(cli, '--since', '24h', '--concurrency', '1');
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data.items.map((item: { reportId: string; status: string }) => [item.reportId, item.status])).toEqual([
      [first, 'created'],
      [earlier, 'created'],
      [later, 'created'],
    ]);
    const apriora = t.sandbox.requests.filter((request) => request.api === 'apriora');
    const count = (op: string) => apriora.filter((request) => request.op === op).length;
    expect(count('GET /positions/{positionId}')).toBe(0);
    expect(count('GET /reports')).toBe(t.sandbox.apriora.listPositions({ externalSource: 'tracker' }).length);
    expect(count('GET /positions')).toBe(1);
  });

  it('--dry-run reads everything and writes nothing', async () => {
    const known = t.sandbox.tracker.candidates[4]!;
    const existing = t.sandbox.apriora.completeInterview({ positionId, email: known.email }).report;
    const fresh = t.sandbox.apriora.completeInterview({ positionId, email: 'new.person@dry.example' }).report;
    const candidatesBefore = t.sandbox.tracker.candidates.length;
    const activitiesBefore = t.sandbox.tracker.activities.length;
    t.sandbox.requests.length = 0;

    const result = await push(cli, '--job', String(jobId), '--dry-run');
    expect(result.code, result.stderr).toBe(0);
    const data = expectEnvelope(result, true).data;
    expect(data.dryRun).toBe(true);
    expect(data.items).toEqual([
      expect.objectContaining({ reportId: existing.reportId, status: 'created', trackerCandidateId: known.id, candidateCreated: false }),
      expect.objectContaining({ reportId: fresh.reportId, status: 'created', trackerCandidateId: null, candidateCreated: true }),
    ]);
    expect(trackerWrites()).toHaveLength(0);
    expect(t.sandbox.requests.filter((r) => r.api === 'apriora' && r.method !== 'GET')).toHaveLength(0);
    expect(t.sandbox.tracker.candidates).toHaveLength(candidatesBefore);
    expect(t.sandbox.tracker.activities).toHaveLength(activitiesBefore);

    const human = await run(cli, ['activity', 'push', '--job', String(jobId), '--dry-run']);
    expect(human.stdout).toMatch(/│ new\s+│ \d+ │ new\s+│ would be created │/);
    expect(human.stdout.trimEnd().split('\n').at(-1)).toMatch(/^2 reports: 2 would be created in \d+\.\ds \(dry run: nothing written\)$/);

    // After a real push, a dry run with a changed report says "updated" and still writes nothing.
    expect((await push(cli, '--job', String(jobId))).code).toBe(0);
    t.sandbox.apriora.reports.find((r) => r.reportId === existing.reportId)!.overallFeedback = 'Changed feedback.';
    t.sandbox.requests.length = 0;
    const plan = await push(cli, '--job', String(jobId), '--dry-run');
    expect(plan.json().data.items.map((item: { status: string }) => item.status)).toEqual(['updated', 'skipped']);
    expect(trackerWrites()).toHaveLength(0);
  });

  it('an unknown report id is a failed item (exit 3); the others are still pushed', async () => {
    const { report } = t.sandbox.apriora.completeInterview({ positionId, email: t.sandbox.tracker.candidates[7]!.email });
    const result = await push(cli, '--report', 'rep_does_not_exist', '--report', report.reportId);
    expect(result.code).toBe(3);
    const document = expectEnvelope(result, false);
    expect(document.error.code).toBe('partial_failure');
    expect(document.data.items).toEqual([
      expect.objectContaining({
        reportId: 'rep_does_not_exist',
        status: 'failed',
        error: { code: 'report_not_found', message: expect.stringContaining('rep_does_not_exist') },
      }),
      expect.objectContaining({ reportId: report.reportId, status: 'created' }),
    ]);
    expect(activitiesOf(report.reportId)).toHaveLength(1);

    const human = await run(cli, ['activity', 'push', '--report', 'rep_does_not_exist']);
    expect(human.code).toBe(3);
    expect(human.stdout).toMatch(/failed: Apriora has no report rep_does_not_exist/);
    expect(human.stderr).toMatch(/^Error: 1 of 1 reports failed/m);
  });

  it('duplicate report ids are pushed once, with a warning', async () => {
    const { report } = t.sandbox.apriora.completeInterview({ positionId, email: t.sandbox.tracker.candidates[8]!.email });
    const result = await push(cli, '--report', report.reportId, '--report', report.reportId);
    expect(result.code).toBe(0);
    expect(result.json().warnings).toEqual(['1 duplicate report id ignored']);
    expect(result.json().data.items).toHaveLength(1);
    expect(activitiesOf(report.reportId)).toHaveLength(1);
  });

  it('usage errors: no source, two sources, a bad job id or date are exit 2', async () => {
    for (const args of [
      [],
      ['--report', 'rep_1', '--job', '3101'],
      ['--job', 'abc'],
      ['--since', 'yesterday'],
      ['--candidate', 'not-an-email'],
      ['--report', ' '],
      ['--report', 'rep_1', '--concurrency', '33'],
      ['--report', 'rep_1', '--concurrency', '0'],
    ]) {
      const result = await push(cli, ...args);
      expect(result.code, args.join(' ')).toBe(2);
      expectEnvelope(result, false);
    }
    const human = await run(cli, ['activity', 'push', '--report', 'rep_1', '--since', '7d']);
    expect(human.stderr).toBe(
      'Error: --report and --since cannot be used together\nTry: apriora activity push --report rep_12 | --job 3101 | --since 24h | --candidate ada@example.com\n',
    );
    const concurrency = await run(cli, ['activity', 'push', '--report', 'rep_1', '--concurrency', '64']);
    expect(concurrency.stderr).toBe(
      "Error: option '--concurrency <n>' argument '64' is invalid. must be a whole number from 1 to 32.\nTry: apriora activity push --help\n",
    );
    expect(trackerWrites()).toHaveLength(0);
  });
});

describe("apriora activity push with a customer's profile at a terminal", () => {
  it('asks before writing, saying how many and since when: no is exit 0 and writes nothing; yes writes', async () => {
    const cli = await loggedInCli(t.sandbox, { sandboxProfile: false });
    try {
      const positionId = await interviewFor(cli, openJobIds(t.sandbox)[0]!);
      const { report } = t.sandbox.apriora.completeInterview({ positionId, email: t.sandbox.tracker.candidates[9]!.email });
      const declined = cli.start(['activity', 'push', '--report', report.reportId], AT_TERMINAL);
      await declined.answer(
        `Write 1 "Apriora Interview" activity into Tracker (one per report ${report.reportId}; one already there is updated or skipped) for profile "default"?`,
        'n\r',
      );
      const no = await declined.done;
      expect(no.code, no.stderr).toBe(0);
      expect(no.stdout).toBe('Nothing written.\n');
      expect(no.stderr).not.toContain('Error');
      expect(trackerWrites()).toHaveLength(0);

      // The reports are counted before the question; the time is shown as a person reads it.
      const since = new Date(Date.now() - 86_400_000);
      const day = `${since.getUTCDate()} ${since.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })} ${since.getUTCFullYear()}`;
      const declinedJson = cli.start(['activity', 'push', '--since', '1d', '--json'], AT_TERMINAL);
      await declinedJson.answer(`Write 1 "Apriora Interview" activity into Tracker (one per report completed since ${day} `, 'n\r');
      const noJson = await declinedJson.done;
      expect(noJson.code).toBe(0);
      expect(noJson.json()).toEqual({ ok: true, data: { declined: true, written: false }, warnings: [] });
      expect(noJson.stderr).toMatch(/ UTC \(1 day ago\); one already there/);
      expect(noJson.stderr).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
      expect(trackerWrites()).toHaveLength(0);

      const accepted = cli.start(['activity', 'push', '--since', '1d'], AT_TERMINAL);
      await accepted.answer('Write 1 "Apriora Interview" activity into Tracker (one per report completed since ', 'y\r');
      const yes = await accepted.done;
      expect(yes.code, yes.stderr).toBe(0);
      expect(activitiesOf(report.reportId)).toHaveLength(1);
    } finally {
      cli.cleanup();
    }
  });
});

describe('apriora activity push without a field map', () => {
  it('is exit 2 with the hint to map the fields, and writes nothing', async () => {
    const cli = await loggedInCli(t.sandbox, { fieldMap: false });
    try {
      const result = await push(cli, '--report', 'rep_1');
      expect(result.code).toBe(2);
      expect(expectEnvelope(result, false).error).toMatchObject({ code: 'field_map_missing', hint: 'apriora tracker fields map' });
      const human = await run(cli, ['activity', 'push', '--report', 'rep_1']);
      expect(human.code).toBe(2);
      expect(human.stderr).toMatch(/^Try: apriora tracker fields map$/m);
      expect(trackerWrites()).toHaveLength(0);
    } finally {
      cli.cleanup();
    }
  });
});

describe('apriora activity push without an Apriora login', () => {
  it('is exit 4, and writes nothing', async () => {
    const cli = await loggedInCli(t.sandbox, { apriora: false });
    try {
      const result = await push(cli, '--since', '7d');
      expect(result.code).toBe(4);
      expect(expectEnvelope(result, false).error).toMatchObject({ code: 'not_logged_in', message: 'Not logged in to Apriora for profile "default"' });
      expect(trackerWrites()).toHaveLength(0);
    } finally {
      cli.cleanup();
    }
  });
});

describe('apriora activity push: values fit their Tracker field', () => {
  let cli: TestCli;
  let fields: ReturnType<typeof savedFieldMap>;
  let positionId: string;
  beforeEach(async () => {
    cli = await loggedInCli(t.sandbox);
    fields = savedFieldMap(cli);
    positionId = await interviewFor(cli, openJobIds(t.sandbox)[0]!);
  });
  afterEach(() => cli.cleanup());

  /** A signed PDF link of `length` characters, as storage services hand them out. */
  const signedPdfUrl = (length: number) => {
    const base = 'https://cdn.apriora.ai/reports/rep_signed.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=604800&X-Amz-Signature=';
    return base + 'a'.repeat(length - base.length);
  };

  /** A candidate completes the interview, through the sandbox's admin endpoint (its report's pdfUrl as given). */
  async function complete(body: Record<string, unknown>): Promise<{ reportId: string; pdfUrl: string | null }> {
    const response = await fetch(`${t.sandbox.url}/__sandbox/apriora/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ positionId, ...body }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { report: { reportId: string; pdfUrl: string | null } }).report;
  }

  it('a 318-character PDF link: the Report link is the app link (≤ 255), the PDF link is in the note; exit 0; again: skipped', async () => {
    const person = t.sandbox.tracker.candidates[2]!;
    const pdfUrl = signedPdfUrl(318);
    expect(pdfUrl).toHaveLength(318);
    const report = await complete({ email: person.email, pdfUrl });
    expect(report.pdfUrl).toBe(pdfUrl);

    const result = await push(cli, '--report', report.reportId);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data.items[0]).toMatchObject({ status: 'created', trackerCandidateId: person.id });
    const [activity, ...others] = activitiesOf(report.reportId);
    expect(others).toHaveLength(0);
    const link = fieldValue(activity!, fields.reportLink)!;
    expect(link).toBe(`https://app.apriora.ai/reports/${report.reportId}`);
    expect(link.length).toBeLessThanOrEqual(255);
    expect(activity!.note).toContain(`Report: ${link}\nPDF: ${pdfUrl}\n`);

    const again = await push(cli, '--report', report.reportId);
    expect(again.json().data.items[0].status).toBe('skipped');
  });

  it('a short http(s) PDF link is the Report link itself', async () => {
    const pdfUrl = signedPdfUrl(200);
    const report = await complete({ email: t.sandbox.tracker.candidates[4]!.email, pdfUrl });
    expect((await push(cli, '--report', report.reportId)).code).toBe(0);
    const [activity] = activitiesOf(report.reportId);
    expect(fieldValue(activity!, fields.reportLink)).toBe(pdfUrl);
    expect(activity!.note).not.toContain('PDF:');
  });

  it('a javascript: (or any non-http) pdfUrl is never stored as the link, nor in the note', async () => {
    for (const [index, pdfUrl] of [
      'javascript:alert(document.cookie)',
      'JaVaScRiPt:alert(1)//https://cdn.apriora.ai/x.pdf',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
    ].entries()) {
      const report = await complete({ email: t.sandbox.tracker.candidates[6 + index]!.email, pdfUrl });
      const result = await push(cli, '--report', report.reportId);
      expect(result.code, result.stderr).toBe(0);
      const [activity] = activitiesOf(report.reportId);
      expect(fieldValue(activity!, fields.reportLink)).toBe(`https://app.apriora.ai/reports/${report.reportId}`);
      expect(activity!.note).not.toMatch(/script|data:/i);
    }
  });

  it('a report whose score field cannot hold its value fails before anything is written: no candidate, no activity (exit 3)', async () => {
    // Tracker Support made "Overall Score" a Date field; the map keeps that type
    t.sandbox.tracker.settings.customFields.find((field) => field.Id === fields.overallScore)!.Type = 'Date';
    const mapped = await cli.run(['tracker', 'fields', 'map', '--auto']);
    expect(mapped.code, mapped.stderr).toBe(0);
    expect(cli.config().profiles.default.tracker.fieldTypes.overallScore).toBe('Date');

    const email = 'ada.lovelace@newcomer.example';
    const report = await complete({ email, firstName: 'Ada', lastName: 'Lovelace', score: 82 });
    const candidatesBefore = t.sandbox.tracker.candidates.length;
    t.sandbox.requests.length = 0;

    const result = await push(cli, '--report', report.reportId);
    expect(result.code).toBe(3);
    const item = result.json().data.items[0];
    expect(item).toMatchObject({ status: 'failed', trackerCandidateId: null, candidateCreated: false, error: { code: 'field_value_invalid' } });
    expect(item.error.message).toMatch(/^Overall Score "82" does not fit Tracker field \d+ \(Date\): it is not a date \(YYYY-MM-DD\); nothing was written/);
    expect(t.sandbox.tracker.candidates).toHaveLength(candidatesBefore);
    expect(t.sandbox.tracker.candidateByEmail(email)).toBeUndefined();
    expect(activitiesOf(report.reportId)).toHaveLength(0);
    expect(trackerWrites()).toEqual([]);
    expect(t.sandbox.requests.filter((request) => request.api === 'tracker')).toEqual([]);

    // the table says why, on the item's line
    const human = await cli.run(['activity', 'push', '--report', report.reportId]);
    expect(human.code).toBe(3);
    expect(human.stdout).toMatch(/failed: Overall Score "82" does not fit Tracker field/);
  });

  it('a profile mapped before field types were kept still works: the types Tracker lists are read once', async () => {
    const config = cli.config();
    delete config.profiles.default.tracker.fieldTypes;
    writeFileSync(join(cli.configDir, 'config.json'), JSON.stringify(config));
    const report = await complete({ email: t.sandbox.tracker.candidates[10]!.email, pdfUrl: signedPdfUrl(318) });
    const before = t.sandbox.requests.filter((r) => r.op === 'getSettingsData').length;
    const result = await push(cli, '--report', report.reportId);
    expect(result.code, result.stderr).toBe(0);
    expect(t.sandbox.requests.filter((r) => r.op === 'getSettingsData').length - before).toBe(1);
    const [activity] = activitiesOf(report.reportId);
    expect(fieldValue(activity!, fields.reportLink)).toBe(`https://app.apriora.ai/reports/${report.reportId}`);
  });

  it('control characters in report fields reach Tracker cleaned (subject, note, fields, candidate)', async () => {
    const ESC = '\u001b';
    const email = 'mallory@newcomer.example';
    const report = await complete({ email, firstName: `Mal${ESC}]0;x\u0007lory`, lastName: `O${ESC}[2J'Neil` });
    const stored = t.sandbox.apriora.reports.find((r) => r.reportId === report.reportId)!;
    stored.overallFeedback = `Strong${ESC}]52;c;ZXZpbA==\u0007 answers.\r\nSecond line\twith a tab.`;
    stored.questionSummary[0]!.summary = `Said ${ESC}[31mred${ESC}[0m things`;
    t.sandbox.apriora.positions.find((p) => p.positionId === positionId)!.title = `Nurse${ESC}]0;PWN\u0007`;

    const result = await push(cli, '--report', report.reportId);
    expect(result.code, result.stderr).toBe(0);
    const [activity] = activitiesOf(report.reportId);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters
    const bad = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
    expect(activity!.subject).toBe(
      `Apriora Interview: Nurse)0;PWN — ${stored.overallScore}/100 [apriora:${report.reportId}] [apriora:${positionId}/${activity!.linkRecordId}]`,
    );
    expect(activity!.note).not.toMatch(bad);
    expect(activity!.note).toContain('Said [31mred[0m things');
    expect(fieldValue(activity!, fields.feedback)).toBe('Strong]52;c;ZXZpbA== answers.\nSecond line\twith a tab.');
    for (const field of activity!.customFields) expect(field.value).not.toMatch(bad);
    const candidate = t.sandbox.tracker.candidateByEmail(email)!;
    expect(candidate).toMatchObject({ firstname: 'Mal]0;xlory', lastname: "O[2J'Neil" });
  });
});
