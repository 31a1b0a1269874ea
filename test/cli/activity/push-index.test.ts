import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { AprioraClient } from '../../../src/apriora/client.js';
import { RemoteError } from '../../../src/errors.js';
import { HttpClient } from '../../../src/http/client.js';
import { Limiter } from '../../../src/lib/limiter.js';
import { openWriteLedger } from '../../../src/store/write-ledger.js';
import { openWriteLocks } from '../../../src/store/write-lock.js';
import { type GetRecordsQuery, TrackerClient } from '../../../src/tracker/client.js';
import { pushReport } from '../../../src/workflows/push-activity.js';
import { PushSession } from '../../../src/workflows/push-session.js';
import { type CliResult, expectEnvelope, openJobIds, useSandbox } from '../../support/cli.js';

/**
 * `apriora activity push` of many reports against the in-process sandbox: what each costs in Tracker requests (the
 * activities and candidates read in list pages, creates read back by shared scans), and that neither the index nor
 * the shared read-back ever lets a report be written twice on this machine, or a double from elsewhere go unreported.
 */

const t = useSandbox({ seed: { jobs: 12, candidates: 320 }, loggedIn: {} });

let jobId: number;
let positionId: string;
beforeEach(async () => {
  // No client-side pacing in these runs: they count requests, not time.
  const config = t.cli.config();
  config.profiles.default.tracker.rateLimitPerMinute = 100_000;
  writeFileSync(join(t.cli.configDir, 'config.json'), JSON.stringify(config));
  jobId = openJobIds(t.sandbox)[0]!;
  const generated = await t.cli.run(['interview', 'generate', '--job', String(jobId), '--json']);
  expect(generated.code, generated.stderr).toBe(0);
  positionId = generated.json().data.items[0].positionId;
});

/** Tracker candidates with an e-mail no other candidate has. */
const knownPeople = () =>
  t.sandbox.tracker.candidates.filter(
    (c) => c.email.trim() && t.sandbox.tracker.candidates.filter((o) => o.email.toLowerCase() === c.email.toLowerCase()).length === 1,
  );
const activitiesOf = (reportId: string) => t.sandbox.tracker.activities.filter((activity) => activity.subject.includes(`[apriora:${reportId}]`));

/**
 * Tracker requests made by `work`, by kind: getRecords split into index pages (oldest id first), scans of the newest
 * (newest first) and look-ups (by name or marker).
 */
async function trackerRequests<T>(work: () => Promise<T>): Promise<{ result: T; kinds: Record<string, number>; total: number }> {
  const from = t.sandbox.requests.at(-1)?.seq ?? 0;
  const result = await work();
  const kinds: Record<string, number> = {};
  let total = 0;
  for (const request of t.sandbox.requests) {
    if (request.seq <= from || request.api !== 'tracker') continue;
    let kind = request.op;
    if (request.op === 'getRecords') {
      const query = (request.body as any).trackerrms.getRecords.instructions;
      kind = `${query.recordtype} ${query.sortdir === 'desc' ? 'scan' : query.sortfield === 'id' ? 'page' : 'look-up'}`;
    }
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    total++;
  }
  return { result, kinds, total };
}

const push = (...args: string[]): Promise<CliResult> => t.cli.run(['activity', 'push', ...args, '--json']);
const statuses = (result: CliResult) => {
  const counts: Record<string, number> = {};
  for (const item of result.json().data.items as { status: string }[]) counts[item.status] = (counts[item.status] ?? 0) + 1;
  return counts;
};

describe('activity push of many reports', () => {
  it('300 new reports of known candidates: one create each, the rest in pages and shared scans (≤ 1.3 requests a report); again: the pages only (≤ 0.1)', async () => {
    const people = knownPeople().slice(0, 300);
    expect(people).toHaveLength(300);
    const reports = people.map((person) => t.sandbox.apriora.completeInterview({ positionId, email: person.email }).report);

    const first = await trackerRequests(() => push('--job', String(jobId)));
    expect(first.result.code, first.result.stderr).toBe(0);
    expect(statuses(first.result)).toEqual({ created: 300 });
    for (const [i, report] of reports.entries()) expect(activitiesOf(report.reportId).map((a) => a.linkRecordId)).toEqual([people[i]!.id]);
    const { 'A scan': scans = 0, ...rest } = first.kinds;
    // The activities (none marked yet: one page), the 320-odd candidates (4 pages), each after the probe of the page
    // past its budget; 300 creates; no person check, no name search, no look-up of a marker, no read of a single record.
    expect(rest).toEqual({ 'A page': 2, 'R page': 5, createActivity: 300 });
    expect(scans).toBeGreaterThanOrEqual(6); // at most 50 creates read back by one scan
    expect(scans).toBeLessThanOrEqual(12);
    expect(first.total / 300).toBeLessThanOrEqual(1.3);

    const again = await trackerRequests(() => push('--job', String(jobId)));
    expect(again.result.code, again.result.stderr).toBe(0);
    expect(statuses(again.result)).toEqual({ skipped: 300 });
    // The probe, then the 300 marked activities in 4 pages (the last one empty), nothing else: no candidate is looked for.
    expect(again.kinds).toEqual({ 'A page': 5 });
    expect(again.total / 300).toBeLessThanOrEqual(0.1);
  });

  it('300 reports of new candidates: the candidate and the activity created, no look-up before (≤ 2.3 requests a report)', async () => {
    const reports = Array.from(
      { length: 300 },
      (_, i) => t.sandbox.apriora.completeInterview({ positionId, email: `new.person.${i}@example.com`, firstName: 'New', lastName: `Person${i}` }).report,
    );
    const candidatesBefore = t.sandbox.tracker.candidates.length;
    const run = await trackerRequests(() => push('--report', ...reports.flatMap((r, i) => (i === 0 ? [r.reportId] : ['--report', r.reportId]))));
    expect(run.result.code, run.result.stderr).toBe(0);
    const items = run.result.json().data.items as { status: string; candidateCreated: boolean; trackerCandidateId: number }[];
    expect(statuses(run.result)).toEqual({ created: 300 });
    expect(items.every((item) => item.candidateCreated)).toBe(true);
    expect(t.sandbox.tracker.candidates).toHaveLength(candidatesBefore + 300);
    for (const [i, report] of reports.entries()) {
      const created = t.sandbox.tracker.candidateByEmail(`new.person.${i}@example.com`)!;
      expect(items[i]!.trackerCandidateId).toBe(created.id);
      expect(activitiesOf(report.reportId).map((a) => a.linkRecordId)).toEqual([created.id]);
    }
    const { 'A scan': activityScans = 0, 'R scan': candidateScans = 0, ...rest } = run.kinds;
    expect(rest).toEqual({ 'A page': 2, 'R page': 5, createResource: 300, createActivity: 300 });
    expect(activityScans + candidateScans).toBeLessThanOrEqual(24);
    expect(run.total / 300).toBeLessThanOrEqual(2.3);
  });

  it('300 candidates of one name: found by e-mail in the pages, never by name: no more requests than any other 300', async () => {
    const people = Array.from({ length: 300 }, (_, i) =>
      t.sandbox.tracker.addCandidate({ firstname: 'Sam', lastname: 'Smith', email: `sam.smith.${i}@example.com` } as never),
    );
    for (const person of people) t.sandbox.apriora.completeInterview({ positionId, email: person.email, firstName: 'Sam', lastName: 'Smith' });

    const first = await trackerRequests(() => push('--job', String(jobId)));
    expect(first.result.code, first.result.stderr).toBe(0);
    expect(statuses(first.result)).toEqual({ created: 300 });
    expect(first.result.json().data.items.map((item: { trackerCandidateId: number }) => item.trackerCandidateId)).toEqual(people.map((p) => p.id));
    expect(first.kinds['R look-up']).toBeUndefined();
    expect(first.kinds.checkPerson).toBeUndefined();
    expect(first.kinds['R page']).toBe(8); // 620-odd candidates, and the probe
    expect(first.total / 300).toBeLessThanOrEqual(1.3);

    const again = await trackerRequests(() => push('--job', String(jobId)));
    expect(statuses(again.result)).toEqual({ skipped: 300 });
    expect(again.kinds).toEqual({ 'A page': 5 });
  });

  it('a dry run of many reports reads the pages, writes nothing and records nothing in the ledger', async () => {
    const people = knownPeople().slice(0, 12);
    for (const person of people) t.sandbox.apriora.completeInterview({ positionId, email: person.email });
    t.sandbox.apriora.completeInterview({ positionId, email: 'brand.new@example.com', firstName: 'Brand', lastName: 'New' });
    const run = await trackerRequests(() => push('--job', String(jobId), '--dry-run'));
    expect(run.result.code, run.result.stderr).toBe(0);
    expect(statuses(run.result)).toEqual({ created: 13 });
    expect(run.result.json().data.items.at(-1)).toMatchObject({ trackerCandidateId: null, candidateCreated: true, activityId: null });
    expect(run.kinds).toEqual({ 'A page': 2, 'R page': 5 });
    expect(existsSync(join(t.cli.dataDir, 'locks'))).toBe(false);
  });
});

/** An activity carrying the report's markers, as another writer would have made it. */
const writeActivityOf = (reportId: string, candidateId: number) =>
  t.sandbox.tracker.addActivity({
    subject: `Apriora Interview: written elsewhere [apriora:${reportId}] [apriora:${positionId}/${candidateId}]`,
    type: 'Apriora Interview',
    date: '2026-03-10',
    time: '09:00 AM',
    status: 'Completed',
    note: `[apriora:${reportId}]`,
    linkRecordType: 'R',
    linkRecordId: candidateId,
    customFields: [],
  } as never);

describe('never twice, with the index', () => {
  /** The write locks' directory of the sandbox's Tracker database (made when a push starts). */
  const locksDir = () => {
    const root = join(t.cli.dataDir, 'locks');
    return join(root, readdirSync(root)[0]!);
  };

  /**
   * 20 reports of known candidates, pushed one at a time; as Tracker receives the first create, `meanwhile` runs (the
   * index has been read by then): it stands for another writer.
   */
  async function pushWhile(meanwhile: (last: { reportId: string; candidateId: number }) => void) {
    const people = knownPeople().slice(0, 20);
    const reports = people.map((person) => t.sandbox.apriora.completeInterview({ positionId, email: person.email }).report);
    const last = { reportId: reports.at(-1)!.reportId, candidateId: people.at(-1)!.id };
    let done = false;
    const unsubscribe = t.sandbox.onRequest((request) => {
      if (done || request.op !== 'createActivity') return;
      done = true;
      meanwhile(last);
    });
    try {
      return { ...(await trackerRequests(() => push('--job', String(jobId), '--concurrency', '1'))), last };
    } finally {
      unsubscribe();
    }
  }

  it('another process of this machine writes a report after the index was read: its ledger entry makes the push look it up, not create', async () => {
    const run = await pushWhile(({ reportId, candidateId }) => {
      // What a second `activity push` (or the listener) does under the report's lock: mark, write, stamp.
      const ledger = openWriteLedger(join(locksDir(), 'ledger'));
      ledger.writing(`report:${reportId}`);
      const theirs = writeActivityOf(reportId, candidateId);
      ledger.written(`report:${reportId}`, theirs.id);
    });
    expect(run.result.code, run.result.stderr).toBe(0);
    const items = run.result.json().data.items as { reportId: string; status: string }[];
    expect(items.find((item) => item.reportId === run.last.reportId)).toMatchObject({ status: 'updated' });
    expect(statuses(run.result)).toEqual({ created: 19, updated: 1 });
    expect(activitiesOf(run.last.reportId)).toHaveLength(1);
    // That report alone was looked up, by its marker.
    expect(run.kinds['A look-up']).toBe(1);
    expect(run.kinds.createActivity).toBe(19);
    expect(run.kinds.updateRecord).toBe(1);
  });

  it('a double written behind the ledger (another machine) is reported duplicate by the read-back scan, both ids, exit 3', async () => {
    let theirs = 0;
    const run = await pushWhile(({ reportId, candidateId }) => {
      theirs = writeActivityOf(reportId, candidateId).id;
    });
    expect(run.result.code).toBe(3);
    const ids = activitiesOf(run.last.reportId).map((activity) => activity.id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(theirs);
    const document = expectEnvelope(run.result, false);
    expect(document.error).toMatchObject({ code: 'partial_failure', message: '1 of 20 reports found twice in Tracker (status duplicate)' });
    expect(document.data.items.find((item: { reportId: string }) => item.reportId === run.last.reportId)).toMatchObject({
      status: 'duplicate',
      duplicates: { activityIds: ids },
      error: {
        code: 'duplicate_activity',
        message: `Tracker has 2 activities for report ${run.last.reportId} (${ids.join(', ')}), e.g. pushed by another machine at the same time: keep ${ids[0]} (pushes update the oldest) and delete the others in Tracker`,
      },
    });
    expect(run.kinds['A look-up']).toBeUndefined();
  });

  it('an invitation written by `interview invite` after the index was read is completed, not doubled (the ledger says so)', async () => {
    const run = await pushWhile(({ candidateId }) => {
      // What `interview invite` does under the interview's lock: mark, write the Not Started activity, stamp.
      const ledger = openWriteLedger(join(locksDir(), 'ledger'));
      const key = `interview:${positionId}/${candidateId}`;
      ledger.writing(key);
      const invitation = t.sandbox.tracker.addActivity({
        subject: `Apriora Interview: Nurse — invited [apriora:${positionId}/${candidateId}]`,
        type: 'Apriora Interview',
        date: '2026-03-10',
        time: '09:00 AM',
        status: 'Not Started',
        note: 'invited',
        linkRecordType: 'R',
        linkRecordId: candidateId,
        customFields: [],
      } as never);
      ledger.written(key, invitation.id);
    });
    expect(run.result.code, run.result.stderr).toBe(0);
    const item = (run.result.json().data.items as { reportId: string; status: string; activityId: number }[]).find((i) => i.reportId === run.last.reportId)!;
    expect(item.status).toBe('updated');
    const onCandidate = t.sandbox.tracker.activities.filter((a) => a.subject.includes(`[apriora:${positionId}/${run.last.candidateId}]`));
    expect(onCandidate.map((a) => a.id)).toEqual([item.activityId]);
    expect(onCandidate[0]).toMatchObject({ status: 'Completed' });
    expect(onCandidate[0]!.subject).toContain(`[apriora:${run.last.reportId}]`);
    // Only that interview was looked up again.
    expect(run.kinds['A look-up']).toBe(1);
    expect(run.kinds.createActivity).toBe(19);
  });

  it('another machine creates the same new candidate as this push does: both ids reported (duplicate_candidate), the activity on ours', async () => {
    const reports = Array.from(
      { length: 12 },
      (_, i) => t.sandbox.apriora.completeInterview({ positionId, email: `twin.${i}@example.com`, firstName: 'Twin', lastName: `Person${i}` }).report,
    );
    const email = 'twin.11@example.com';
    let theirs = 0;
    const unsubscribe = t.sandbox.onRequest((request) => {
      if (request.op !== 'createResource' || theirs || !t.sandbox.tracker.candidateByEmail(email)) return;
      theirs = t.sandbox.tracker.addCandidate({ firstname: 'Twin', lastname: 'Elsewhere', email } as never).id;
    });
    try {
      const run = await trackerRequests(() => push('--job', String(jobId)));
      expect(run.result.code).toBe(3);
      const ours = t.sandbox.tracker.candidates.find((c) => c.email === email && c.id !== theirs)!;
      const item = (run.result.json().data.items as any[]).find((i) => i.reportId === reports[11]!.reportId);
      expect(item).toMatchObject({
        status: 'duplicate',
        trackerCandidateId: ours.id,
        candidateCreated: true,
        duplicates: { candidateIds: [ours.id, theirs] },
        error: {
          code: 'duplicate_candidate',
          message: `Tracker has 2 candidates with e-mail ${email} (${ours.id}, ${theirs}), e.g. created by another machine at the same time: the activity is on ${ours.id}; merge the others into it in Tracker`,
        },
      });
      expect(activitiesOf(reports[11]!.reportId).map((a) => a.linkRecordId)).toEqual([ours.id]);
      expect(run.kinds.checkPerson).toBeUndefined();
    } finally {
      unsubscribe();
    }
  });

  it('a single push, looked up report by report, records its writes in the ledger too (for the indexes of others)', async () => {
    const person = knownPeople()[0]!;
    const { report } = t.sandbox.apriora.completeInterview({ positionId, email: person.email });
    const fresh = t.sandbox.apriora.completeInterview({ positionId, email: 'single.new@example.com', firstName: 'Single', lastName: 'New' }).report;
    const result = await push('--report', report.reportId, '--report', fresh.reportId);
    expect(result.code, result.stderr).toBe(0);
    const ledger = openWriteLedger(join(locksDir(), 'ledger'));
    const [activity] = activitiesOf(report.reportId);
    expect(ledger.latest(`report:${report.reportId}`)).toMatchObject({ pending: false, id: activity!.id });
    expect(ledger.latest(`interview:${positionId}/${person.id}`)).toMatchObject({ pending: false, id: activity!.id });
    const created = t.sandbox.tracker.candidateByEmail('single.new@example.com')!;
    expect(ledger.latest('email:single.new@example.com')).toMatchObject({ pending: false, id: created.id });
    expect(ledger.latest(`report:${fresh.reportId}`)).toMatchObject({ pending: false, id: activitiesOf(fresh.reportId)[0]!.id });
  });

  it('Ctrl-C: the report being written finishes and is read back; nothing after it is written', async () => {
    const people = knownPeople().slice(0, 30);
    for (const person of people) t.sandbox.apriora.completeInterview({ positionId, email: person.email });
    const running = t.cli.start(['activity', 'push', '--job', String(jobId), '--concurrency', '1', '--json']);
    const unsubscribe = t.sandbox.onRequest((request) => {
      if (request.op === 'createActivity') running.controller.abort('SIGINT');
    });
    try {
      const result = await running.done;
      expect(result.code).toBe(130);
      expect(t.sandbox.requests.filter((request) => request.op === 'createActivity')).toHaveLength(1);
      const items = result.json().data.items as { status: string; activityId: number }[];
      expect(items).toEqual([expect.objectContaining({ status: 'created', activityId: expect.any(Number) })]);
    } finally {
      unsubscribe();
    }
  });
});

/** What the listener pushes with: one session (4 at a time) and the profile's field map, over these clients. */
function listenerDeps(tracker: TrackerClient, apriora: AprioraClient) {
  const writeLock = openWriteLocks(join(t.cli.dataDir, 'locks', 'listener-test'));
  const profile = t.cli.config().profiles.default.tracker;
  return {
    tracker,
    apriora,
    fieldMap: profile.fieldMap,
    fieldTypes: profile.fieldTypes,
    activityType: 'Apriora Interview',
    writeLock,
    positions: new Map(),
    session: new PushSession({ tracker, apriora, writeLock, concurrency: 4, indexWaitMs: 5_000 }),
  };
}

describe('listener-like pushes through one session', () => {
  it('deliveries with the candidate e-mail, 4 at a time: ≤ 1.3 Tracker and ≤ 1.1 Apriora requests each', async () => {
    const { apiKey, username, password, aprioraApiKey } = t.sandbox.credentials;
    const tracker = new TrackerClient({
      http: new HttpClient({ baseUrl: t.sandbox.trackerUrl, service: 'Tracker' }),
      credentials: { apiKey, username, password },
    });
    const apriora = new AprioraClient({ http: new HttpClient({ baseUrl: t.sandbox.aprioraUrl, service: 'Apriora' }), apiKey: aprioraApiKey });
    const deps = listenerDeps(tracker, apriora);
    const deliveries = knownPeople()
      .slice(0, 200)
      .map((person) => {
        const { report } = t.sandbox.apriora.completeInterview({ positionId, email: person.email });
        return { reportId: report.reportId, hint: { candidateId: report.candidateId, email: person.email } };
      });
    const before = new Map(t.sandbox.requestTotals);
    const limiter = new Limiter(4);
    const items = await Promise.all(
      deliveries.map((delivery) => limiter.run(() => pushReport(deps, delivery.reportId, { dryRun: false, candidateHint: delivery.hint }))),
    );
    expect(items.map((item) => item.status)).toEqual(deliveries.map(() => 'created'));
    let trackerCount = 0;
    let aprioraCount = 0;
    const byOp: Record<string, number> = {};
    for (const [key, n] of t.sandbox.requestTotals) {
      const count = n - (before.get(key) ?? 0);
      if (count === 0) continue;
      byOp[key] = count;
      if (key.startsWith('tracker ')) trackerCount += count;
      if (key.startsWith('apriora ')) aprioraCount += count;
    }
    // Apriora: each report, and the position once; no candidate (Tracker's index knows every e-mail).
    expect(Object.keys(byOp).filter((key) => key.startsWith('apriora '))).toEqual(['apriora GET /reports 200', 'apriora GET /positions/{positionId} 200']);
    expect(byOp['tracker createActivity 200']).toBe(200);
    expect(trackerCount / 200).toBeLessThanOrEqual(1.3);
    expect(aprioraCount / 200).toBeLessThanOrEqual(1.1);

    // A hint about another candidate (another e-mail Tracker knows) never chooses the record: the report does.
    const [owner, other] = knownPeople().slice(200, 202);
    const { report } = t.sandbox.apriora.completeInterview({ positionId, email: owner!.email });
    const otherId = t.sandbox.apriora.completeInterview({ positionId, email: other!.email }).report.candidateId;
    const pushed = await pushReport(deps, report.reportId, { dryRun: false, candidateHint: { candidateId: otherId, email: other!.email } });
    const ownerRecord = t.sandbox.tracker.candidates.find((candidate) => candidate.email === owner!.email)!;
    expect(pushed).toMatchObject({ status: 'created', trackerCandidateId: ownerRecord.id, candidateEmail: owner!.email });

    // The record the index names is merged away in Tracker (deleted, the e-mail now on another record): the next
    // report of that e-mail is looked up again and lands on the record Tracker has now, not failed.
    const merged = knownPeople()[202]!;
    const firstReport = t.sandbox.apriora.completeInterview({ positionId, email: merged.email }).report;
    const first = await pushReport(deps, firstReport.reportId, { dryRun: false });
    expect(first.status).toBe('created');
    const gone = t.sandbox.tracker.candidates.findIndex((candidate) => candidate.id === first.trackerCandidateId);
    const [removed] = t.sandbox.tracker.candidates.splice(gone, 1);
    const survivor = t.sandbox.tracker.addCandidate({ firstname: removed!.firstname, lastname: removed!.lastname, email: merged.email });
    const secondReport = t.sandbox.apriora.completeInterview({ positionId, email: merged.email }).report;
    const second = await pushReport(deps, secondReport.reportId, { dryRun: false });
    expect(second).toMatchObject({ status: 'created', trackerCandidateId: survivor.id });
  });
});

describe('read-backs when the scan of the newest activities cannot be used', () => {
  type Page = ReturnType<TrackerClient['getRecords']>;

  /** Pushes as the listener does, through a client whose getRecords goes through `answer` (a Tracker that answers otherwise). */
  function sessionPush(answer: (query: GetRecordsQuery, next: (query: GetRecordsQuery) => Page) => Page) {
    const { apiKey, username, password, aprioraApiKey } = t.sandbox.credentials;
    const tracker = new TrackerClient({
      http: new HttpClient({ baseUrl: t.sandbox.trackerUrl, service: 'Tracker' }),
      credentials: { apiKey, username, password },
    });
    const next = tracker.getRecords.bind(tracker);
    tracker.getRecords = (query, signal) => answer(query, (changed) => next(changed, signal));
    const apriora = new AprioraClient({ http: new HttpClient({ baseUrl: t.sandbox.aprioraUrl, service: 'Apriora' }), apiKey: aprioraApiKey });
    const deps = listenerDeps(tracker, apriora);
    return (deliveries: { reportId: string; email: string }[]) => {
      const limiter = new Limiter(4);
      return Promise.all(deliveries.map((delivery) => limiter.run(() => pushReport(deps, delivery.reportId, { dryRun: false }))));
    };
  }

  /**
   * `reports` reports (and marked activities of other reports already in Tracker, so that a scan has something to stop at);
   * as Tracker receives the first create, another machine writes every one of them (and `alsoElsewhere` more).
   */
  function doubledElsewhere(reports: number, alsoElsewhere = 0) {
    const people = knownPeople();
    for (const person of people.slice(40, 43)) writeActivityOf(`rep_earlier_${person.id}`, person.id);
    const deliveries = people.slice(0, reports).map((person) => ({
      reportId: t.sandbox.apriora.completeInterview({ positionId, email: person.email }).report.reportId,
      email: person.email,
      id: person.id,
    }));
    let done = false;
    const unsubscribe = t.sandbox.onRequest((request) => {
      if (done || request.op !== 'createActivity') return;
      done = true;
      for (const delivery of deliveries) writeActivityOf(delivery.reportId, delivery.id);
      for (const person of people.slice(50, 50 + alsoElsewhere)) writeActivityOf(`rep_other_${person.id}`, person.id);
    });
    return { deliveries, unsubscribe };
  }

  const expectAllDoubled = (items: { reportId: string; status: string; duplicates?: { activityIds?: number[] } | undefined }[]) => {
    expect(items.map((item) => item.status)).toEqual(items.map(() => 'duplicate'));
    for (const item of items) {
      const ids = activitiesOf(item.reportId).map((activity) => activity.id);
      expect(ids).toHaveLength(2);
      expect(item.duplicates).toEqual({ activityIds: ids });
    }
  };

  it('a Tracker that ignores sortdir (oldest first): every double from another machine is still reported, each read back by its marker', async () => {
    const { deliveries, unsubscribe } = doubledElsewhere(30);
    const run = sessionPush((query, next) => next(query.sortdir === 'desc' ? { ...query, sortdir: 'asc' } : query));
    try {
      const before = t.sandbox.requests.at(-1)?.seq ?? 0;
      expectAllDoubled(await run(deliveries));
      const lookUps = t.sandbox.requests.filter((request) => {
        if (request.seq <= before || request.op !== 'getRecords') return false;
        const query = (request.body as any).trackerrms.getRecords.instructions;
        return query.searchtext?.startsWith('apriora:') && query.searchtext !== 'apriora:';
      });
      expect(lookUps).toHaveLength(30);
    } finally {
      unsubscribe();
    }
  });

  it('a Tracker that ignores pagenum: the scan stops (paging_stuck) and each create is read back by its marker', async () => {
    const { deliveries, unsubscribe } = doubledElsewhere(30, 120);
    const run = sessionPush((query, next) => next(query.sortdir === 'desc' ? { ...query, pagenum: 0 } : query));
    try {
      expectAllDoubled(await run(deliveries));
    } finally {
      unsubscribe();
    }
  });

  it('a scan failing after its retries (503): each create is read back by its marker, the doubles reported', async () => {
    const { deliveries, unsubscribe } = doubledElsewhere(12);
    const run = sessionPush((query, next) =>
      query.sortdir === 'desc' ? Promise.reject(new RemoteError('Tracker answered HTTP 503', { code: 'server_error', status: 503 })) : next(query),
    );
    try {
      expectAllDoubled(await run(deliveries));
    } finally {
      unsubscribe();
    }
  }, 60_000); // the reads are retried after a pause

  it('when reading back by marker fails too, the item fails saying the activity was written; a re-run finds it', async () => {
    const people = knownPeople().slice(0, 8);
    const deliveries = people.map((person) => ({
      reportId: t.sandbox.apriora.completeInterview({ positionId, email: person.email }).report.reportId,
      email: person.email,
    }));
    const unavailable = () => Promise.reject(new RemoteError('Tracker answered HTTP 503', { code: 'server_error', status: 503 }));
    const run = sessionPush((query, next) => {
      const lookUp = query.searchtext?.startsWith('apriora:') && query.searchtext !== 'apriora:';
      return query.sortdir === 'desc' || lookUp ? unavailable() : next(query);
    });
    const items = await run(deliveries);
    for (const [i, item] of items.entries()) {
      expect(item).toMatchObject({
        status: 'failed',
        error: {
          code: 'read_back_failed',
          message: expect.stringMatching(
            new RegExp(`^The activity of report ${deliveries[i]!.reportId} was written but could not be read back .*running the command again finds it`),
          ),
        },
      });
      expect(activitiesOf(deliveries[i]!.reportId)).toHaveLength(1);
    }
    const again = await sessionPush((query, next) => next(query))(deliveries);
    expect(again.map((item) => item.status)).toEqual(deliveries.map(() => 'skipped'));
  }, 60_000); // the reads are retried after a pause
});

describe('index budget', () => {
  it('more candidates than the budget reaches: the candidate index costs one request (the probe), each candidate is looked up', async () => {
    for (let i = 0; i < 4100; i++) t.sandbox.tracker.addCandidate({ firstname: 'Many', lastname: `Person${i}`, email: `many.${i}@example.com` } as never);
    const people = knownPeople();
    // The look-up-per-report path (under 10 reports): what a report costs there.
    const few = people.slice(0, 9).map((person) => t.sandbox.apriora.completeInterview({ positionId, email: person.email }).report.reportId);
    const alone = await trackerRequests(() => push(...few.flatMap((reportId) => ['--report', reportId])));
    expect(statuses(alone.result)).toEqual({ created: 9 });
    const perReport = alone.total / 9;

    const reports = people.slice(9, 29).map((person) => t.sandbox.apriora.completeInterview({ positionId, email: person.email }).report.reportId);
    const run = await trackerRequests(() => push(...reports.flatMap((reportId) => ['--report', reportId])));
    expect(run.result.code, run.result.stderr).toBe(0);
    expect(statuses(run.result)).toEqual({ created: 20 });
    expect(run.kinds['R page']).toBe(1);
    const candidateLookUps = (kinds: Record<string, number>) => (kinds.checkPerson ?? 0) + (kinds['R look-up'] ?? 0);
    expect(candidateLookUps(run.kinds)).toBe((candidateLookUps(alone.kinds) / 9) * 20);
    expect(run.total).toBeLessThanOrEqual(perReport * 20 + 1);
  });
});
