import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTrackerSeed, type RunningSandbox, signAprioraWebhook, startSandbox } from '../../src/sandbox/index.js';
import { CliSandbox, logInWithInterview, recordedRuns } from './harness.js';

/**
 * End-to-end: writers that overlap on one machine, as real processes of one profile (one config and data dir) against
 * one in-process sandbox: two `activity push` runs over the same reports, and the listener plus a push. Whatever
 * runs at the same time, each report ends as exactly one activity and each e-mail as one candidate; a lock left by a
 * killed process is taken over. The sandbox adds latency so that the processes' look-ups and writes interleave.
 *
 * With E2E_FIGURES=1 the counts behind the assertions are printed at the end.
 */

const SECRET = 'whsec_e2e_concurrency';
let sandbox: RunningSandbox;
let cli: CliSandbox;
let positionId: string;
let people = 0;
const { results, run, finished } = recordedRuns(() => cli);
const figures: Record<string, unknown> = {};

/**
 * `count` completed interviews of new candidates (e-mails Tracker does not know), two reports per candidate, so that
 * the candidate create path is raced too: the report ids and the e-mails.
 */
function newReports(count: number): { reportIds: string[]; emails: string[] } {
  const reportIds: string[] = [];
  const emails: string[] = [];
  for (let i = 0; i < count; i += 2) {
    const n = ++people;
    const email = `race.${n}@example.com`;
    emails.push(email);
    for (let j = 0; j < 2 && i + j < count; j++) {
      reportIds.push(sandbox.apriora.completeInterview({ positionId, email, firstName: 'Race', lastName: `Person${n}x` }).report.reportId);
    }
  }
  return { reportIds, emails };
}

const activitiesOf = (reportId: string) => sandbox.tracker.activities.filter((activity) => activity.subject.includes(`[apriora:${reportId}]`));
const candidatesOf = (email: string) => sandbox.tracker.candidates.filter((candidate) => candidate.email.toLowerCase() === email.toLowerCase());
/** The write locks of the sandbox's Tracker database (one directory under data/locks). */
const locksDir = () => {
  const root = join(cli.configDir, 'data', 'locks');
  const [database] = existsSync(root) ? readdirSync(root) : [];
  return join(root, database ?? 'none');
};
const heldLocks = () => (existsSync(locksDir()) ? readdirSync(locksDir()).filter((name) => name.endsWith('.lock')) : []);
const jsonLines = (stdout: string): any[] =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

/** Activities per report and candidates per e-mail, as {min, max}; both must be exactly 1. */
function counts(reportIds: string[], emails: string[]) {
  const perReport = reportIds.map((id) => activitiesOf(id).length);
  const perEmail = emails.map((email) => candidatesOf(email).length);
  return {
    reports: reportIds.length,
    activitiesPerReport: { min: Math.min(...perReport), max: Math.max(...perReport) },
    emails: emails.length,
    candidatesPerEmail: { min: Math.min(...perEmail), max: Math.max(...perEmail) },
  };
}

function expectExactlyOne(reportIds: string[], emails: string[]) {
  for (const reportId of reportIds) expect(activitiesOf(reportId).length, reportId).toBe(1);
  for (const email of emails) expect(candidatesOf(email).length, email).toBe(1);
}

const push = (reportIds: string[], output: 'json' | 'ndjson' = 'json') =>
  cli.start(['activity', 'push', ...reportIds.flatMap((id) => ['--report', id]), '--concurrency', '4', '--output', output]);

function deliveryBody(reportId: string): string {
  return JSON.stringify({
    event: 'session.completed',
    data: { candidateId: 'cand_x', candidateEmail: 'x@example.com', reportId, positionId, time: Math.floor(Date.now() / 1000) },
  });
}

async function deliver(url: string, reportId: string): Promise<number> {
  const text = deliveryBody(reportId);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apriora-signature': signAprioraWebhook(SECRET, text, Math.floor(Date.now() / 1000)) },
    body: text,
  });
  await response.text();
  return response.status;
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: generateTrackerSeed({ jobs: 4, candidates: 6 }) });
  cli = new CliSandbox();
  positionId = await logInWithInterview(run, sandbox);
});

afterAll(async () => {
  await sandbox?.close();
  for (const result of results) expect(result.stderr).not.toContain(SECRET);
  cli?.cleanup();
  if (process.env.E2E_FIGURES) console.log(`figures ${JSON.stringify(figures, null, 2)}`);
});

describe('overlapping writers of one profile on one machine', () => {
  it('two concurrent `activity push` runs over the same 40 reports, 3 rounds of fresh reports: one activity per report, one candidate per e-mail', async () => {
    sandbox.faults.configure({ latencyMs: 5, latencyJitterMs: 20, seed: 8 });
    try {
      const rounds: unknown[] = [];
      for (let round = 1; round <= 3; round++) {
        const { reportIds, emails } = newReports(40);
        const [a, b] = await Promise.all([finished(push(reportIds)), finished(push(reportIds))]);
        expect(a.code, a.stderr).toBe(0);
        expect(b.code, b.stderr).toBe(0);
        expectExactlyOne(reportIds, emails);
        // Each report was created by exactly one of the two runs; the other found it (skipped).
        const statuses = new Map<string, string[]>();
        for (const item of [...a.json().data.items, ...b.json().data.items]) statuses.set(item.reportId, [...(statuses.get(item.reportId) ?? []), item.status]);
        for (const reportId of reportIds) expect(statuses.get(reportId)?.sort(), reportId).toEqual(['created', 'skipped']);
        expect(a.json().data.summary.duplicate + b.json().data.summary.duplicate).toBe(0);
        expect(heldLocks()).toEqual([]);
        rounds.push({ round, ...counts(reportIds, emails) });
      }
      figures.twoPushes = rounds;
    } finally {
      sandbox.faults.clear();
    }
  }, 120_000);

  it('the listener and a push over the same 40 reports at the same time: one activity per report, one candidate per e-mail', async () => {
    sandbox.faults.configure({ latencyMs: 5, latencyJitterMs: 20, seed: 9 });
    try {
      const { reportIds, emails } = newReports(40);
      const listener = cli.start(['activity', 'listen', '--port', '0', '--json', '--concurrency', '4'], { env: { APRIORA_WEBHOOK_SECRET: SECRET } });
      let url = '';
      await listener.until((stdout) => {
        url = jsonLines(stdout).find((line) => line.listening)?.listening ?? '';
        return Boolean(url);
      });

      // The push starts first, in report order; once Tracker receives its first write, Apriora delivers the same 40
      // reports, last first, 10 at a time: the two processes meet in the middle, on the same reports at the same time.
      // (A push of many reports reports its items once their creates are read back, together: its first write is
      // the moment it has started writing.)
      const firstWrite = new Promise<void>((resolve) => {
        const unsubscribe = sandbox.onRequest((request) => {
          if (request.op !== 'createActivity' && request.op !== 'createResource') return;
          unsubscribe();
          resolve();
        });
      });
      const pushRun = push(reportIds, 'ndjson');
      await firstWrite;
      const answers: number[] = [];
      const reversed = [...reportIds].reverse();
      for (let i = 0; i < reversed.length; i += 10) answers.push(...(await Promise.all(reversed.slice(i, i + 10).map((id) => deliver(url, id)))));
      expect(answers.every((status) => status === 202)).toBe(true);
      const pushed = await finished(pushRun);
      expect(pushed.code, pushed.stderr).toBe(0);
      await listener.until((stdout) => jsonLines(stdout).filter((line) => line.candidateEmail !== undefined).length === reportIds.length);
      listener.child.kill('SIGTERM');
      const stopped = await finished(listener);
      expect(stopped.code, stopped.stderr).toBe(0);

      expectExactlyOne(reportIds, emails);
      const summary = jsonLines(stopped.stdout).at(-1).summary;
      const pushSummary = jsonLines(pushed.stdout).at(-1).summary;
      expect(summary).toMatchObject({ accepted: 40, failed: 0, duplicateRecords: 0 });
      expect(pushSummary).toMatchObject({ total: 40, failed: 0, duplicate: 0 });
      // Between them, each report was created once; both did some of the work.
      expect(summary.created + pushSummary.created).toBe(40);
      expect(summary.created).toBeGreaterThan(0);
      expect(pushSummary.created).toBeGreaterThan(0);
      expect(heldLocks()).toEqual([]);
      figures.listenerAndPush = { ...counts(reportIds, emails), createdByListener: summary.created, createdByPush: pushSummary.created };
    } finally {
      sandbox.faults.clear();
    }
  }, 120_000);

  it('a lock left by a process killed while writing is taken over once stale: the next push completes, one activity', async () => {
    const { reportIds, emails } = newReports(1);
    sandbox.faults.configure({ latencyMs: 400 });
    let killedAt = 0;
    try {
      const first = push(reportIds);
      await waitFor(() => heldLocks().some((name) => name.startsWith('report-')), 20_000);
      first.child.kill('SIGKILL');
      const crashed = await finished(first);
      killedAt = Date.now();
      expect(crashed.code).toBeNull();
    } finally {
      sandbox.faults.clear();
    }
    const left = heldLocks();
    expect(left.some((name) => name.startsWith('report-'))).toBe(true); // SIGKILL: nothing released it

    const again = await finished(push(reportIds));
    const waited = Date.now() - killedAt;
    expect(again.code, again.stderr).toBe(0);
    expect(again.json().data.items).toEqual([expect.objectContaining({ status: expect.stringMatching(/^(created|skipped)$/) })]);
    expectExactlyOne(reportIds, emails);
    expect(heldLocks()).toEqual([]);
    // Taken over after the stale time (10 s without a refresh), not after the 3-minute wait.
    expect(waited).toBeLessThan(20_000);
    figures.staleTakeover = { locksLeftByKill: left.length, msFromKillToSecondPushDone: waited };
  }, 60_000);
});

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
