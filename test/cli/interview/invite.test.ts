import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrackerCandidate } from '../../../src/sandbox/index.js';
import { AT_TERMINAL, expectEnvelope, loggedInCli, ndjson, openJobIds, savedFieldMap, useSandbox } from '../../support/cli.js';

/**
 * `apriora interview invite` against the in-process sandbox: one invitation per candidate and interview, and one
 * "Apriora Interview" activity per interview in Tracker, from Not Started (invited) to Completed (the report pushed).
 */

const t = useSandbox({ seed: { jobs: 12, candidates: 20 }, loggedIn: {}, cliPer: 'test' });

let jobId: number;
let positionId: string;

const invite = (...args: string[]) => t.cli.run(['interview', 'invite', '--job', String(jobId), ...args]);
const requestsFor = (op: string) => t.sandbox.requests.filter((request) => request.op === op);
const invitationsOf = (email: string) =>
  t.sandbox.apriora.invitations.filter((i) => i.positionId === positionId && i.email.toLowerCase() === email.toLowerCase());
const interviewActivities = (candidateId: number) =>
  t.sandbox.tracker.activities.filter((activity) => activity.subject.includes(`[apriora:${positionId}/${candidateId}]`));

/** A seeded candidate whose phones are as given (the others emptied). */
function candidateWithPhones(index: number, phones: { cellphone?: string; workphone?: string; homephone?: string }) {
  const candidate = t.sandbox.tracker.candidates[index]!;
  Object.assign(candidate, { cellphone: '', workphone: '', homephone: '' }, phones);
  return candidate;
}

/** Adds the sandbox's REST API token to the logged-in profile (a second `tracker login`). */
async function logInRestToken(extra: string[] = []): Promise<void> {
  const { apiKey, password, username, restToken } = t.sandbox.credentials;
  const login = await t.cli.run(
    [
      ...['tracker', 'login', '--base-url', t.sandbox.trackerUrl, '--sandbox', '--username', username],
      ...['--api-key-stdin', '--password-stdin', '--rest-token-stdin', ...extra],
    ],
    { input: `${apiKey}\n${password}\n${restToken}\n` },
  );
  expect(login.code, login.stderr).toBe(0);
}

beforeEach(async () => {
  jobId = openJobIds(t.sandbox)[0]!;
  const generated = await t.cli.run(['interview', 'generate', '--job', String(jobId), '--json']);
  expect(generated.code, generated.stderr).toBe(0);
  positionId = generated.json().data.items[0].positionId;
});

describe('apriora interview invite', () => {
  describe("--applicants (read through the sandbox's Tracker REST API)", () => {
    it('invites each active applicant of the job with the statuses asked (default Applied) once; again: all exists', async () => {
      await logInRestToken();
      const [otherJob] = openJobIds(t.sandbox).filter((id) => id !== jobId);
      const apply = (email: string, extra: { status?: string; active?: boolean; jobId?: number } = {}) =>
        t.sandbox.tracker.addApplicant({ jobId, email, firstName: email.split('@')[0]!, lastName: 'Applicant', phone: '(617) 555-0120', ...extra }).candidate;
      // The job's seeded rows are set aside (made inactive), so that the test names every applicant it expects.
      for (const row of t.sandbox.tracker.applications.filter((application) => application.opportunityId === jobId)) row.active = false;
      const a = apply('ann@example.com');
      const b = apply('ben@example.com', { status: 'Shortlisted' });
      const c = apply('cal@example.com', { active: false });
      const d = apply('dee@example.com', { jobId: otherJob! });
      const e = apply('eve@example.com');
      t.sandbox.requests.length = 0;

      const first = await invite('--applicants', '--json');
      expect(first.code, first.stderr).toBe(0);
      expect(first.json().data.items.map((item: { candidateId: number; status: string }) => [item.candidateId, item.status])).toEqual([
        [a.id, 'created'],
        [e.id, 'created'],
      ]);
      const exchanges = t.sandbox.tracker.tokenExchanges;
      const shortlisted = await invite('--applicants', '--status', 'Shortlisted', '--status', 'Applied', '--json');
      expect(shortlisted.json().data.items.map((item: { candidateId: number; status: string }) => [item.candidateId, item.status])).toEqual([
        [a.id, 'exists'],
        [b.id, 'created'],
        [e.id, 'exists'],
      ]);
      // The JWT cached by the first run is reused by the second: no new exchange.
      expect(t.sandbox.tracker.tokenExchanges).toBe(exchanges);
      for (const person of [a, b, e]) {
        expect(invitationsOf(person.email)).toHaveLength(1);
        expect(interviewActivities(person.id)).toHaveLength(1);
      }
      expect(invitationsOf(c.email)).toHaveLength(0);
      expect(invitationsOf(d.email)).toHaveLength(0);
    });

    it("without a REST token: exit 4 saying where the customer's admin generates one; nothing sent", async () => {
      const result = await invite('--applicants', '--json');
      expect(result.code).toBe(4);
      expect(result.json().error.hint).toContain('Security Settings');
      expect(requestsFor('POST /invitations')).toHaveLength(0);
    });
  });

  it('--candidate: the exact invitation Apriora receives, one Not Started activity; again: exists and nothing written', async () => {
    const person = candidateWithPhones(3, { cellphone: '(617) 555-0110' });
    const job = t.sandbox.tracker.job(jobId)!;
    t.sandbox.requests.length = 0;

    const first = await invite('--candidate', String(person.id), '--json');
    expect(first.code, first.stderr).toBe(0);
    const data = expectEnvelope(first, true).data;
    expect(data).toMatchObject({ dryRun: false, job: { id: jobId, title: job.title }, position: { id: positionId, modality: 'phone' }, country: 'US' });
    const [posted] = requestsFor('POST /invitations');
    expect(posted!.body).toStrictEqual({
      positionId,
      candidate: { email: person.email, firstName: person.firstname, lastName: person.lastname, phone: '+16175550110' },
      externalCandidateId: String(person.id),
    });
    const [stored] = invitationsOf(person.email);
    const [activity] = interviewActivities(person.id);
    expect(data.items).toEqual([
      {
        candidateId: person.id,
        email: person.email,
        name: person.fullname,
        phone: '+16175550110',
        invitationId: stored!.invitationId,
        interviewLink: stored!.interviewLink,
        sendAt: null,
        activityId: activity!.id,
        activity: 'created',
        status: 'created',
      },
    ]);
    expect(activity).toMatchObject({
      type: 'Apriora Interview',
      status: 'Not Started',
      subject: `Apriora Interview: ${job.title} — invited [apriora:${positionId}/${person.id}]`,
      linkRecordType: 'R',
      linkRecordId: person.id,
      customFields: [],
    });
    expect(activity!.note).toContain(stored!.interviewLink);
    expect(activity!.note).toContain(job.title);
    expect(activity!.note.trimEnd().endsWith(`[apriora:${positionId}/${person.id}]`)).toBe(true);

    const again = await invite('--candidate', person.email.toUpperCase(), '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(again.json().data.items).toEqual([
      expect.objectContaining({ candidateId: person.id, status: 'exists', invitationId: stored!.invitationId, activity: 'exists', activityId: activity!.id }),
    ]);
    expect(invitationsOf(person.email)).toHaveLength(1);
    expect(interviewActivities(person.id)).toHaveLength(1);
    expect(requestsFor('createActivity')).toHaveLength(1);
  });

  it('a phone interview skips a candidate without a usable phone (nothing sent); local numbers become E.164', async () => {
    const none = candidateWithPhones(4, { cellphone: 'n/a', homephone: '12' });
    const work = candidateWithPhones(5, { workphone: '617.555.0111 ext' });
    const noEmail = candidateWithPhones(6, { cellphone: '(617) 555-0112' });
    noEmail.email = '';
    const result = await invite('--candidate', String(none.id), '--candidate', String(work.id), '--candidate', String(noEmail.id), '--json');
    expect(result.code, result.stderr).toBe(0);
    const items = result.json().data.items;
    expect(items.map((item: { status: string }) => item.status)).toEqual(['skipped', 'created', 'skipped']);
    expect(items[0]).toMatchObject({ candidateId: none.id, reason: { code: 'no_phone' }, invitationId: null, activity: null });
    expect(items[1]).toMatchObject({ candidateId: work.id, phone: '+16175550111' });
    expect(items[2]).toMatchObject({ candidateId: noEmail.id, reason: { code: 'no_email' } });
    expect(requestsFor('POST /invitations').map((request) => (request.body as { candidate: { email: string } }).candidate.email)).toEqual([work.email]);
    expect(interviewActivities(none.id)).toHaveLength(0);
    expect(result.json().data.summary).toMatchObject({ total: 3, created: 1, skipped: 2, failed: 0 });
  });

  it('--country GB reads 07700 900123 as +447700900123', async () => {
    const person = candidateWithPhones(3, { cellphone: '07700 900123' });
    const result = await invite('--candidate', String(person.id), '--country', 'gb', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data).toMatchObject({ country: 'GB', items: [{ phone: '+447700900123', status: 'created' }] });
  });

  it('already invited in Apriora (409): exists, and the missing activity is written', async () => {
    const person = candidateWithPhones(3, { cellphone: '(617) 555-0110' });
    const earlier = t.sandbox.apriora.createInvitation({
      positionId,
      candidate: { email: person.email, firstName: person.firstname, lastName: person.lastname, phone: '+16175550110' },
    });
    const result = await invite('--candidate', String(person.id), '--json');
    expect(result.code, result.stderr).toBe(0);
    const [activity] = interviewActivities(person.id);
    expect(result.json().data.items).toEqual([
      expect.objectContaining({
        status: 'exists',
        invitationId: earlier.invitationId,
        activity: 'created',
        activityId: activity!.id,
        interviewLink: earlier.interviewLink,
      }),
    ]);
    expect(activity!.note).toContain(earlier.interviewLink);
    const table = await invite('--candidate', String(person.id));
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('already invited');
  });

  it('invited, completed, pushed: still one activity, now Completed with both markers and the four fields', async () => {
    const person = candidateWithPhones(3, { cellphone: '(617) 555-0110' });
    const inviteRun = await invite('--candidate', String(person.id), '--json');
    expect(inviteRun.code).toBe(0);
    const [invited] = interviewActivities(person.id);
    expect(invited!.status).toBe('Not Started');
    expect(inviteRun.json().data.items[0].activityId).toBe(invited!.id);

    const { report } = t.sandbox.apriora.completeInterview({ positionId, email: person.email });
    const pushed = await t.cli.run(['activity', 'push', '--report', report.reportId, '--json']);
    expect(pushed.code, pushed.stderr).toBe(0);
    // The same activity, by id: the push says which one it completed.
    expect(pushed.json().data.items).toEqual([expect.objectContaining({ status: 'updated', trackerCandidateId: person.id, activityId: invited!.id })]);
    const activities = interviewActivities(person.id);
    expect(activities).toHaveLength(1);
    const [completed] = activities;
    expect(completed!.id).toBe(invited!.id);
    expect(completed!.status).toBe('Completed');
    expect(completed!.subject).toContain(`[apriora:${report.reportId}] [apriora:${positionId}/${person.id}]`);
    const fields = savedFieldMap(t.cli);
    const value = (id: number) => completed!.customFields.find((field) => field.id === id)?.value;
    expect(String(value(fields.overallScore))).toBe(String(report.overallScore));
    expect(value(fields.reportLink)).toBeTruthy();
    expect(value(fields.gradingCriteria)).toBeTruthy();
    expect(value(fields.feedback)).toBeTruthy();

    // Pushed again: skipped; invited again: exists, and the completed activity is not touched.
    const again = await t.cli.run(['activity', 'push', '--report', report.reportId, '--json']);
    expect(again.json().data.items).toEqual([expect.objectContaining({ status: 'skipped' })]);
    const reinvite = await invite('--candidate', String(person.id), '--json');
    expect(reinvite.json().data.items).toEqual([expect.objectContaining({ status: 'exists', activity: 'exists', activityId: invited!.id })]);
    expect(interviewActivities(person.id)).toHaveLength(1);
    expect(interviewActivities(person.id)[0]!.status).toBe('Completed');
  });

  it('a report pushed before any invitation gets one activity with both markers; a later invite sends and writes nothing', async () => {
    const person = candidateWithPhones(3, { cellphone: '(617) 555-0110' });
    const { report } = t.sandbox.apriora.completeInterview({ positionId, email: person.email });
    expect((await t.cli.run(['activity', 'push', '--report', report.reportId, '--json'])).code).toBe(0);
    t.sandbox.requests.length = 0;
    const result = await invite('--candidate', String(person.id), '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data.items).toEqual([
      expect.objectContaining({
        status: 'skipped',
        activity: 'exists',
        reason: { code: 'already_interviewed', message: `already took this interview (report ${report.reportId})` },
      }),
    ]);
    // Taken without an invitation: no invitation is sent to someone who already took the interview.
    expect(requestsFor('POST /invitations')).toHaveLength(0);
    expect(invitationsOf(person.email)).toHaveLength(0);
    expect(requestsFor('createActivity')).toHaveLength(0);
    expect(interviewActivities(person.id)).toHaveLength(1);
  });

  it("the interview's activity decides before the phone: invited stays exists, taken stays already_interviewed, phone or not", async () => {
    const invited = candidateWithPhones(3, { cellphone: '(617) 555-0110' });
    expect((await invite('--candidate', String(invited.id), '--json')).code).toBe(0);
    Object.assign(invited, { cellphone: '' }); // the number deleted in Tracker since
    const taker = candidateWithPhones(4, {});
    const { report } = t.sandbox.apriora.completeInterview({ positionId, email: taker.email });
    expect((await t.cli.run(['activity', 'push', '--report', report.reportId, '--json'])).code).toBe(0);
    t.sandbox.requests.length = 0;

    const again = await invite('--candidate', String(invited.id), '--candidate', String(taker.id), '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(again.json().data.items.map((item: { status: string; reason?: { code: string } }) => [item.status, item.reason?.code])).toEqual([
      ['exists', undefined],
      ['skipped', 'already_interviewed'],
    ]);
    expect(requestsFor('POST /invitations')).toHaveLength(0);
  });

  it('took the interview, report not pushed yet: skipped already_interviewed, nothing sent (Apriora is asked once per run)', async () => {
    const taker = candidateWithPhones(3, { cellphone: '(617) 555-0110' });
    const other = candidateWithPhones(4, { cellphone: '(617) 555-0111' });
    const { report } = t.sandbox.apriora.completeInterview({ positionId, email: taker.email });
    t.sandbox.requests.length = 0;
    const result = await invite('--candidate', String(taker.id), '--candidate', String(other.id), '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data.items.map((item: { status: string; reason?: { message: string } }) => [item.status, item.reason?.message])).toEqual([
      ['skipped', `already took this interview (report ${report.reportId})`],
      ['created', undefined],
    ]);
    expect(invitationsOf(taker.email)).toHaveLength(0);
    expect(requestsFor('GET /reports')).toHaveLength(1);
  });

  it("a job title that looks like markers never reads as one: each push completes its own candidate's activity", async () => {
    const [a, b] = [3, 4].map((index, n) => candidateWithPhones(index, { cellphone: `(617) 555-015${n}` })) as [TrackerCandidate, TrackerCandidate];
    expect((await invite('--candidate', String(a.id), '--candidate', String(b.id), '--json')).code).toBe(0);
    const { report } = t.sandbox.apriora.completeInterview({ positionId, email: a.email });
    // Another job whose title carries the markers of those interviews and of the report.
    const title = `Fake [apriora:${positionId}/${b.id}] [apriora:${report.reportId}]`;
    const forged = t.sandbox.tracker.addJob({ title, status: 'Open', clientId: t.sandbox.tracker.jobs[0]!.clientId });
    const other = await t.cli.run(['interview', 'generate', '--job', String(forged.id), '--json']);
    expect(other.code, other.stderr).toBe(0);
    const forgedRun = await t.cli.run(['interview', 'invite', '--job', String(forged.id), '--candidate', String(a.id), '--candidate', String(b.id), '--json']);
    expect(forgedRun.code, forgedRun.stderr).toBe(0);
    const pushed = await t.cli.run(['activity', 'push', '--report', report.reportId, '--json']);
    expect(pushed.code, pushed.stderr).toBe(0);
    const [own] = interviewActivities(a.id);
    expect(pushed.json().data.items[0]).toMatchObject({ status: 'updated', activityId: own!.id });
    expect(own!.status).toBe('Completed');
    // The forged job's activities are untouched, their titles' brackets written as parentheses.
    const forgedActivities = t.sandbox.tracker.activities.filter((activity) => activity.subject.startsWith('Apriora Interview: Fake ('));
    expect(forgedActivities.map((activity) => activity.status)).toEqual(['Not Started', 'Not Started']);
  });

  it('two Tracker records with one e-mail: one invitation, one activity, completed by the push whichever record it finds', async () => {
    const first = candidateWithPhones(3, { cellphone: '(617) 555-0110' });
    const { id: _id, ...rest } = first;
    const second = t.sandbox.tracker.addCandidate({ ...rest, email: first.email.toUpperCase() });
    expect(second.id).toBeGreaterThan(first.id);

    // Invited as the newer record; then the older one (same e-mail): Apriora has the invitation already, for the other.
    const invited = await invite('--candidate', String(second.id), '--candidate', String(first.id), '--concurrency', '1', '--json');
    expect(invited.code).toBe(3);
    const [a, b] = invited.json().data.items;
    expect(a).toMatchObject({ candidateId: second.id, status: 'created', activity: 'created' });
    expect(b).toMatchObject({ candidateId: first.id, status: 'duplicate', error: { code: 'duplicate_candidate' } });
    expect(interviewActivities(first.id)).toHaveLength(0);
    expect(interviewActivities(second.id)).toHaveLength(1);

    // The push finds the e-mail's oldest record; the invitation names the other: its activity is the one completed.
    const { report } = t.sandbox.apriora.completeInterview({ positionId, email: first.email });
    const pushed = await t.cli.run(['activity', 'push', '--report', report.reportId, '--json']);
    expect(pushed.code, pushed.stderr).toBe(0);
    const marker = `[apriora:${positionId}/${second.id}]`;
    expect(pushed.json().data.items[0]).toMatchObject({ status: 'updated', activityId: a.activityId, trackerCandidateId: second.id });
    expect(pushed.json().data.items[0].subject).toContain(marker);
    // Pushed again: found by the report's marker, left as it is, still on the invited record.
    const again = await t.cli.run(['activity', 'push', '--report', report.reportId, '--json']);
    expect(again.json().data.items[0]).toMatchObject({ status: 'skipped', activityId: a.activityId, trackerCandidateId: second.id });
    const all = t.sandbox.tracker.activities.filter((activity) => activity.subject.includes(`[apriora:${positionId}/`));
    expect(all.map((activity) => [activity.id, activity.status, activity.subject.endsWith(marker)])).toEqual([[a.activityId, 'Completed', true]]);
  });

  it('answers lost after commit (POST /invitations, createActivity): no duplicate; a re-run completes', async () => {
    const people = [3, 4, 5].map((index, n) => candidateWithPhones(index, { cellphone: `(617) 555-011${n}` }));
    t.sandbox.faults.push(
      { kind: 'after-commit', api: 'apriora', op: 'POST /invitations' },
      { kind: 'after-commit', api: 'apriora', op: 'POST /invitations', mode: 'reset' },
      { kind: 'after-commit', api: 'tracker', op: 'createActivity' },
      { kind: 'after-commit', api: 'tracker', op: 'createActivity', mode: 'reset' },
    );
    const first = await invite(...people.flatMap((person) => ['--candidate', String(person.id)]), '--concurrency', '1', '--json');
    // Every lost answer was confirmed by a read-back: the first run already did everything, once.
    expect(first.code, first.stderr).toBe(0);
    expect(first.json().data.items.map((item: { status: string; activity: string }) => `${item.status}/${item.activity}`)).toEqual([
      'created/created',
      'created/created',
      'created/created',
    ]);
    expect(requestsFor('POST /invitations')).toHaveLength(3);
    expect(t.sandbox.requests.filter((request) => request.fault).length).toBeGreaterThanOrEqual(4);
    const again = await invite(...people.flatMap((person) => ['--candidate', String(person.id)]), '--json');
    expect(again.code, again.stderr).toBe(0);
    for (const person of people) {
      expect(invitationsOf(person.email)).toHaveLength(1);
      expect(interviewActivities(person.id)).toHaveLength(1);
    }
    expect(again.json().data.items.map((item: { status: string }) => item.status)).toEqual(['exists', 'exists', 'exists']);
  });

  it('--candidates-file (ids and e-mails, comments, repeats) and --dry-run write nothing', async () => {
    const a = candidateWithPhones(3, { cellphone: '(617) 555-0110' });
    const b = candidateWithPhones(4, { cellphone: '(617) 555-0111' });
    const file = join(t.cli.configDir, 'people.txt');
    writeFileSync(file, `# people\n${a.id}\n\n${b.email}\n${a.id}\n`);
    t.sandbox.requests.length = 0;
    const dry = await invite('--candidates-file', file, '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.json().data.items).toEqual([
      expect.objectContaining({ candidateId: a.id, status: 'created', activity: 'created', activityId: null }),
      expect.objectContaining({ candidateId: b.id, status: 'created' }),
    ]);
    expect(dry.json().warnings).toEqual(['1 repeated candidate ignored']);
    expect(
      t.sandbox.requests.filter((request) => request.method !== 'GET' && !['checkPerson', 'getRecords', 'getIndividualRecord'].includes(request.op)),
    ).toEqual([]);

    const real = await t.cli.run(['interview', 'invite', '--job', String(jobId), '--candidates-file', '-', '--output', 'ndjson'], {
      input: `${a.email}\n${b.id}\n`,
    });
    expect(real.code, real.stderr).toBe(0);
    const lines = ndjson(real.stdout);
    expect(lines.slice(0, 2).map((line) => line.status)).toEqual(['created', 'created']);
    expect(lines[2]).toMatchObject({ summary: { total: 2, created: 2 } });
  });

  it('--send-at and --delay schedule the invitation; a past date is exit 2', async () => {
    const person = candidateWithPhones(3, { cellphone: '(617) 555-0110' });
    const at = new Date(Date.now() + 3 * 86_400_000);
    at.setUTCMilliseconds(0);
    const result = await invite('--candidate', String(person.id), '--send-at', at.toISOString(), '--json');
    expect(result.code, result.stderr).toBe(0);
    expect((requestsFor('POST /invitations')[0]!.body as { sendAt: number }).sendAt).toBe(at.getTime() / 1000);
    expect(result.json().data.items[0]).toMatchObject({ sendAt: at.toISOString() });

    const other = candidateWithPhones(4, { cellphone: '(617) 555-0111' });
    const before = Math.floor(Date.now() / 1000);
    expect((await invite('--candidate', String(other.id), '--delay', '2h', '--json')).code).toBe(0);
    const sendAt = (requestsFor('POST /invitations')[1]!.body as { sendAt: number }).sendAt;
    expect(sendAt).toBeGreaterThanOrEqual(before + 7200);
    expect(sendAt).toBeLessThan(before + 7300);

    const past = await invite('--candidate', String(person.id), '--send-at', '2020-01-01', '--json');
    expect(past.code).toBe(2);
    expect(past.json().error.message).toContain('not in the future');
  });

  it('a job without an interview, or a closed one, is exit 2 naming `interview generate`', async () => {
    const other = openJobIds(t.sandbox)[1]!;
    const person = t.sandbox.tracker.candidates[3]!;
    const none = await t.cli.run(['interview', 'invite', '--job', String(other), '--candidate', String(person.id), '--json']);
    expect(none.code).toBe(2);
    expect(none.json().error).toMatchObject({ code: 'no_interview', hint: expect.stringContaining(`apriora interview generate --job ${other}`) });

    t.sandbox.tracker.job(jobId)!.status = 'Closed';
    const closed = await invite('--candidate', String(person.id), '--json');
    expect(closed.code).toBe(2);
    expect(closed.json().error.code).toBe('job_not_open');

    t.sandbox.tracker.job(jobId)!.status = 'Open';
    t.sandbox.apriora.positions.find((p) => p.positionId === positionId)!.status = 'closed';
    const closedPosition = await invite('--candidate', String(person.id), '--json');
    expect(closedPosition.code).toBe(2);
    expect(closedPosition.json().error).toMatchObject({ code: 'position_closed', hint: expect.stringContaining('apriora interview generate') });
    expect(requestsFor('POST /invitations')).toHaveLength(0);
  });

  it('an unknown candidate id or e-mail is a failed item (exit 3); the others are invited', async () => {
    const person = candidateWithPhones(3, { cellphone: '(617) 555-0110' });
    const result = await invite('--candidate', '999999', '--candidate', 'nobody@nowhere.example', '--candidate', String(person.id), '--json');
    expect(result.code).toBe(3);
    const items = result.json().data.items;
    expect(items.map((item: { status: string; error?: { code: string } }) => [item.status, item.error?.code])).toEqual([
      ['failed', 'candidate_not_found'],
      ['failed', 'candidate_not_found'],
      ['created', undefined],
    ]);
  });

  it('Ctrl-C while items wait for the rate limit: they send nothing; every invitation sent is reported; a re-run completes', async () => {
    const people = t.sandbox.tracker.candidates.slice(0, 12).map((_, index) => candidateWithPhones(index, { cellphone: `(617) 555-01${10 + index}` }));
    // 11 Tracker requests a minute, one candidate at a time: two get through (2 job reads + 4 each), the third reads its
    // record, then waits for a slot to look for its activity: that is when Ctrl-C comes.
    await logInRestToken(['--rate-limit', '11', '--rate-burst', '11']);
    const args = [
      'interview',
      'invite',
      '--job',
      String(jobId),
      ...people.flatMap((p) => ['--candidate', String(p.id)]),
      '--concurrency',
      '2',
      '--output',
      'ndjson',
    ];
    t.sandbox.requests.length = 0;
    const run = t.cli.start(args);
    run.stdin.end();
    await run.until((stdout) => stdout.split('\n').length > 2);
    await vi.waitFor(() => expect(requestsFor('getIndividualRecord').length).toBe(4)); // the job's and three candidates'
    const started = Date.now();
    run.controller.abort('SIGINT');
    const interrupted = await run.done;
    expect(interrupted.code, interrupted.stderr).toBe(130);
    expect(Date.now() - started).toBeLessThan(5_000); // not a minute later, when slots free up
    const items = ndjson(interrupted.stdout).slice(0, -1) as { candidateId: number; status: string }[];
    const sent = t.sandbox.apriora.invitations.filter((i) => i.positionId === positionId);
    expect(sent).toHaveLength(2);
    // Nothing was sent that the run did not report as sent.
    expect(new Set(sent.map((i) => i.externalCandidateId))).toEqual(
      new Set(items.filter((item) => item.status === 'created').map((item) => String(item.candidateId))),
    );
    await logInRestToken(['--rate-limit', '90', '--rate-burst', '90']);
    const rerun = await t.cli.run(args);
    expect(rerun.code, rerun.stderr).toBe(0);
    for (const person of people) {
      expect(invitationsOf(person.email)).toHaveLength(1);
      expect(interviewActivities(person.id)).toHaveLength(1);
    }
  });

  it('usage errors are exit 2', async () => {
    for (const args of [
      [],
      ['--candidate', '1', '--candidates-file', 'x'],
      ['--candidate', 'nope'],
      ['--candidate', '1', '--status', 'Applied'],
      ['--candidate', '1', '--delay', 'soon'],
      ['--candidate', '1', '--country', 'XX'],
      ['--candidate', '1', '--send-at', '2030-01-01', '--delay', '1h'],
    ]) {
      const result = await invite(...args, '--json');
      expect(result.code, JSON.stringify(args)).toBe(2);
    }
  });

  it("on a customer's profile at a terminal, asks before inviting, saying when; no is exit 0 and sends nothing", async () => {
    const cli = await loggedInCli(t.sandbox, { sandboxProfile: false });
    try {
      const person = candidateWithPhones(3, { cellphone: '(617) 555-0110' });
      const running = cli.start(['interview', 'invite', '--job', String(jobId), '--candidate', String(person.id)], AT_TERMINAL);
      await running.answer('Invite 1 candidate', 'n\r');
      const result = await running.done;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe('Nothing written.\n');
      expect(result.stderr).toContain(', sent now, and record each invitation in Tracker, for profile "default"?');
      expect(requestsFor('POST /invitations')).toHaveLength(0);

      const soon = new Date(Date.now() + 2 * 3_600_000 + 120_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      const at = `${soon.getUTCFullYear()}-${pad(soon.getUTCMonth() + 1)}-${pad(soon.getUTCDate())}T${pad(soon.getUTCHours())}:${pad(soon.getUTCMinutes())}:00Z`;
      const scheduled = cli.start(['interview', 'invite', '--job', String(jobId), '--candidate', String(person.id), '--send-at', at, '--json'], AT_TERMINAL);
      await scheduled.answer('Invite 1 candidate', 'n\r');
      const scheduledResult = await scheduled.done;
      expect(scheduledResult.code, scheduledResult.stderr).toBe(0);
      expect(scheduledResult.json().data).toEqual({ declined: true, written: false });
      expect(scheduledResult.stderr).toMatch(/, sent on \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2} UTC \(in 2 h( \d min)?\), and record each invitation/);
      expect(requestsFor('POST /invitations')).toHaveLength(0);
    } finally {
      cli.cleanup();
    }
  });

  it('`apriora help json` names every field the invite items, applicants and invitations carry', async () => {
    await logInRestToken();
    const help = (await import('../../../src/cli/help/json.js')).default;
    // A field is named in quotes, or (items, summary, dryRun) at the head of its line in the list of what data holds.
    const documented = (keys: Iterable<string>) => [...keys].filter((key) => !help.includes(`"${key}"`) && !new RegExp(`^ {2}${key} `, 'm').test(help));
    const invited = await invite('--applicants', '--json');
    expect(invited.code, invited.stderr).toBe(0);
    const { items, ...data } = invited.json().data;
    expect(items.map((item: { status: string }) => item.status)).toEqual(expect.arrayContaining(['created', 'skipped']));
    expect(documented(Object.keys(data))).toEqual([]);
    expect(documented(new Set(items.flatMap((item: object) => Object.keys(item))))).toEqual([]);
    for (const item of items.filter((each: { reason?: { code: string } }) => each.reason)) expect(help).toContain(item.reason.code);
    const applicants = await t.cli.run(['tracker', 'applicants', 'list', '--job', String(jobId), '--json']);
    expect(documented(Object.keys(applicants.json().data))).toEqual([]);
    expect(documented(Object.keys(applicants.json().data.applicants[0]))).toEqual([]);
    const invitations = await t.cli.run(['interview', 'invitations', '--job', String(jobId), '--json']);
    expect(documented(Object.keys(invitations.json().data))).toEqual([]);
    // An invitation also carries what else Apriora sends, documented as passed on as it comes.
    expect(documented(['invitationId', 'positionId', 'candidateId', 'email', 'status', 'interviewLink', 'createdAt', 'externalCandidateId'])).toEqual([]);
    expect(Object.keys(invitations.json().data.invitations[0])).toEqual(expect.arrayContaining(['invitationId', 'status', 'createdAt']));
  });
});
