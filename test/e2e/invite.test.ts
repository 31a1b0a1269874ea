import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRACKER_REST_TOKEN, generateTrackerSeed, type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { restJwtCachePath } from '../../src/store/rest-token-cache.js';
import { restJwtKey } from '../../src/tracker/rest-auth.js';
import { candidatePhone } from '../../src/workflows/phones.js';
import { type CliResult, CliSandbox, logInTracker, logInWithInterview, recordedRuns } from './harness.js';

/**
 * End-to-end: `interview invite --applicants` as real processes of one profile (one config and data dir, so one
 * shared REST JWT cache) against one in-process sandbox whose applicant search spans many pages of other jobs' rows.
 * Whatever runs at the same time or fails on the way, each invitable applicant of the job ends with exactly one
 * invitation in Apriora and one "Apriora Interview" activity in Tracker; the others are skipped with their reason;
 * the profile's processes share one JWT instead of knocking each other's out.
 *
 * With E2E_FIGURES=1 the counts behind the assertions are printed at the end.
 */

const REST_OPS = { search: 'POST /api/v1/OpportunityResource/Search', exchange: 'POST /api/Auth/ExchangeToken' } as const;
let sandbox: RunningSandbox;
let cli: CliSandbox;
let positionId: string;
let jobId: number;
let cohort = 0;
const { results, run, finished } = recordedRuns(() => cli);
const figures: Record<string, unknown> = {};

const invite = (...extra: string[]) => cli.start(['interview', 'invite', '--job', String(jobId), '--applicants', '--json', ...extra]);
/** The JWT cache of the token the profile logged in (shared by every profile using it). */
const jwtFile = () => restJwtCachePath(join(cli.configDir, 'data'), restJwtKey(sandbox.trackerRestUrl, DEFAULT_TRACKER_REST_TOKEN));
const cachedJwt = (): string | undefined => (existsSync(jwtFile()) ? JSON.parse(readFileSync(jwtFile(), 'utf8')).jwt : undefined);
const requestsFor = (op: string, since = 0) => sandbox.requests.filter((request) => request.seq > since && request.op === op);
const lastSeq = () => sandbox.requests.at(-1)?.seq ?? 0;
const invitationsOf = (email: string) =>
  sandbox.apriora.invitations.filter((i) => i.positionId === positionId && i.email.toLowerCase() === email.toLowerCase());
const interviewActivities = (candidateId: number) =>
  sandbox.tracker.activities.filter((activity) => activity.subject.includes(`[apriora:${positionId}/${candidateId}]`));

/**
 * `count` new applicants of the job, Applied and active: most with a US number typed locally, every fifth without a
 * usable number, every seventh without an e-mail; plus one withdrawn and one Shortlisted, which are not invited.
 */
function newApplicants(count: number): void {
  const n = ++cohort;
  for (let i = 0; i < count; i++) {
    const email = i % 7 === 6 ? '' : `inv.${n}.${i}@example.com`;
    const phone = i % 5 === 4 ? 'n/a' : `(617) 555-${String(100 + ((n * 31 + i) % 100)).padStart(4, '0')}`;
    sandbox.tracker.addApplicant({ jobId, email, firstName: `Inv${n}`, lastName: `Person${i}x`, phone });
  }
  sandbox.tracker.addApplicant({ jobId, email: `inv.${n}.withdrawn@example.com`, phone: '(617) 555-0150', active: false });
  sandbox.tracker.addApplicant({ jobId, email: `inv.${n}.short@example.com`, phone: '(617) 555-0151', status: 'Shortlisted' });
}

/** What the job's applicants must come to: the active Applied ones, each invitable or skipped for a reason. */
function expectedOutcome() {
  const invited: { candidateId: number; email: string }[] = [];
  const skipped = new Map<number, string>();
  const notAsked: { candidateId: number; email: string }[] = [];
  const seen = new Set<number>();
  for (const row of sandbox.tracker.applicantRows(jobId)) {
    if (seen.has(row.resourceId)) continue;
    seen.add(row.resourceId);
    const candidate = sandbox.tracker.candidates.find((c) => c.id === row.resourceId)!;
    if (row.activeRecord !== 'y' || row.opportunityResourceStatusName !== 'Applied') notAsked.push({ candidateId: candidate.id, email: candidate.email });
    else if (!candidate.email) skipped.set(candidate.id, 'no_email');
    else if (!candidatePhone(candidate as unknown as Record<string, unknown>, 'US')) skipped.set(candidate.id, 'no_phone');
    else invited.push({ candidateId: candidate.id, email: candidate.email });
  }
  return { invited, skipped, notAsked };
}

/**
 * Each invitable applicant invited once with one activity, none of the others; the items of `last` (a run that
 * exited 0) say created or exists for the invited and skipped with the reason for the rest.
 */
function expectEachOnce(last: CliResult) {
  const { invited, skipped, notAsked } = expectedOutcome();
  expect(invited.length).toBeGreaterThan(10);
  for (const { candidateId, email } of invited) {
    expect(invitationsOf(email), email).toHaveLength(1);
    expect(invitationsOf(email)[0]!.externalCandidateId).toBe(String(candidateId));
    const activities = interviewActivities(candidateId);
    expect(activities, String(candidateId)).toHaveLength(1);
    expect(activities[0]!.status).toBe('Not Started');
  }
  for (const { candidateId, email } of notAsked) {
    if (email) expect(invitationsOf(email), email).toHaveLength(0);
    expect(interviewActivities(candidateId)).toHaveLength(0);
  }
  for (const candidateId of skipped.keys()) expect(interviewActivities(candidateId)).toHaveLength(0);
  const items: { candidateId: number; status: string; reason?: { code: string } }[] = last.json().data.items;
  expect(items).toHaveLength(invited.length + skipped.size);
  const byId = new Map(items.map((item) => [item.candidateId, item]));
  for (const { candidateId } of invited) expect(['created', 'exists']).toContain(byId.get(candidateId)?.status);
  for (const [candidateId, code] of skipped) expect(byId.get(candidateId)).toMatchObject({ status: 'skipped', reason: { code } });
  return { invited: invited.length, skipped: skipped.size, notAsked: notAsked.length };
}

const statuses = (result: CliResult) => {
  const counts: Record<string, number> = {};
  for (const item of result.json().data.items as { status: string }[]) counts[item.status] = (counts[item.status] ?? 0) + 1;
  return counts;
};

beforeAll(async () => {
  // 12 jobs with their seeded applicants plus 200 more over the other jobs: the search spans 20+ pages, mostly rows
  // of other jobs, which the client must filter out.
  sandbox = await startSandbox({ port: 0, seed: generateTrackerSeed({ jobs: 12, candidates: 20, extraApplicants: 200 }) });
  cli = new CliSandbox();
  positionId = await logInWithInterview(run, sandbox, { restToken: true });
  jobId = sandbox.tracker.jobs.find((job) => sandbox.tracker.jobState(job) === 'open')!.id;
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
  const { restToken } = sandbox.credentials;
  for (const result of results) expect(result.stderr + result.stdout).not.toContain(restToken);
  cli?.cleanup();
  if (process.env.E2E_FIGURES) console.log(`figures ${JSON.stringify(figures, null, 2)}`);
});

describe('interview invite --applicants, real processes of one profile', () => {
  it('two runs at the same time, after login then with a cold JWT cache: each invitation and activity once, at most one exchange', async () => {
    sandbox.faults.configure({ latencyMs: 5, latencyJitterMs: 20, seed: 11 });
    try {
      const rounds: Record<string, unknown>[] = [];
      for (const cache of ['after login', 'cold']) {
        newApplicants(20);
        if (cache === 'cold') {
          rmSync(jwtFile());
          expect(cachedJwt()).toBeUndefined();
        } else {
          expect(cachedJwt()).toBeTruthy(); // the login's exchange is cached
        }
        const exchanges = sandbox.tracker.tokenExchanges;
        const since = lastSeq();
        const [a, b] = await Promise.all([finished(invite('--concurrency', '4')), finished(invite('--concurrency', '4'))]);
        expect(a.code, a.stderr).toBe(0);
        expect(b.code, b.stderr).toBe(0);
        const outcome = expectEachOnce(a);
        expectEachOnce(b);
        // Every new invitation was created by exactly one of the two runs.
        const created = (result: CliResult) =>
          (result.json().data.items as { candidateId: number; status: string }[]).filter((i) => i.status === 'created').map((i) => i.candidateId);
        const both = [...created(a), ...created(b)];
        expect(new Set(both).size).toBe(both.length);
        const exchanged = sandbox.tracker.tokenExchanges - exchanges;
        expect(exchanged).toBe(cache === 'cold' ? 1 : 0);
        expect(requestsFor(REST_OPS.search, since).filter((r) => r.httpStatus === 401)).toHaveLength(0);
        if (process.platform !== 'win32') expect(statSync(jwtFile()).mode & 0o777).toBe(0o600);
        rounds.push({ cache, exchanged, ...outcome, a: statuses(a), b: statuses(b), searches: requestsFor(REST_OPS.search, since).length });
      }
      figures.twoRuns = rounds;
    } finally {
      sandbox.faults.clear();
    }
  }, 120_000);

  it('random 5xx/429/reset/after-commit at 30% plus lost answers on every write and on the REST calls: re-runs end with each invitation and activity once, nobody lost', async () => {
    newApplicants(20);
    rmSync(jwtFile()); // so that the exchange meets its faults too
    sandbox.faults.configure({ failRate: 0.3, seed: 42, latencyMs: 2, latencyJitterMs: 5 });
    sandbox.faults.push(
      { kind: 'after-commit', api: 'apriora', op: 'POST /invitations' },
      { kind: 'after-commit', api: 'apriora', op: 'POST /invitations', mode: 'reset' },
      { kind: 'after-commit', api: 'tracker', op: 'createActivity' },
      { kind: 'after-commit', api: 'tracker', op: 'createActivity', mode: 'reset' },
      { kind: '5xx', api: 'tracker-rest', op: REST_OPS.exchange },
      { kind: 'reset', api: 'tracker-rest', op: REST_OPS.exchange },
      { kind: '5xx', api: 'tracker-rest', op: REST_OPS.search },
      { kind: 'reset', api: 'tracker-rest', op: REST_OPS.search },
    );
    const since = lastSeq();
    const exchanges = sandbox.tracker.tokenExchanges;
    const codes: (number | null)[] = [];
    let last: CliResult | undefined;
    try {
      // The first round is two runs at the same time; then one run after another until one exits 0.
      const [a, b] = await Promise.all([finished(invite()), finished(invite())]);
      codes.push(a.code, b.code);
      last = a.code === 0 ? a : b.code === 0 ? b : undefined;
      for (let round = 0; !last && round < 8; round++) {
        const again = await finished(invite());
        codes.push(again.code);
        if (again.code === 0) last = again;
      }
    } finally {
      sandbox.faults.clear();
    }
    // 3: some candidates failed; 5: the search still failing after retries (what was done is reported). Never 1 (a bug).
    for (const code of codes) expect([0, 3, 5]).toContain(code);
    // Whatever a failed run said was created exists, once.
    for (const result of results.filter((r) => r.code === 3 || r.code === 5)) {
      for (const item of (result.json().data?.items ?? []) as { status: string; email: string }[]) {
        if (item.status === 'created') expect(invitationsOf(item.email), item.email).toHaveLength(1);
      }
    }
    expect(last, `exit codes ${codes.join(', ')}`).toBeDefined();
    const outcome = expectEachOnce(last!);
    const faulted = sandbox.requests.filter((r) => r.seq > since && r.fault);
    const faults: Record<string, number> = {};
    for (const r of faulted) faults[`${r.op} ${r.fault}`] = (faults[`${r.op} ${r.fault}`] ?? 0) + 1;
    // The queued lost answers were all met.
    for (const op of ['POST /invitations', 'createActivity'])
      expect(faulted.filter((r) => r.op === op && r.fault?.startsWith('after-commit')).length).toBeGreaterThanOrEqual(2);
    expect(faulted.filter((r) => r.op === REST_OPS.exchange).length).toBeGreaterThanOrEqual(2);
    expect(faulted.filter((r) => r.op === REST_OPS.search).length).toBeGreaterThanOrEqual(2);
    // One exchange for every run of the profile, plus one per exchange whose answer was lost after it superseded the JWT.
    const lostExchanges = faulted.filter((r) => r.op === REST_OPS.exchange && r.fault?.startsWith('after-commit')).length;
    expect(sandbox.tracker.tokenExchanges - exchanges).toBeLessThanOrEqual(1 + lostExchanges);
    figures.faults = { exitCodes: codes, ...outcome, exchanges: sandbox.tracker.tokenExchanges - exchanges, faults };
  }, 240_000);

  it('a JWT that expires mid-run, or that another caller supersedes: one exchange at most, the requests retried, the run succeeds; --debug shows no JWT', async () => {
    const outcomes: Record<string, unknown>[] = [];
    for (const how of ['expired', 'superseded by another caller', 'superseded by another process of the profile']) {
      newApplicants(10);
      sandbox.faults.configure({ latencyMs: 15 });
      const exchanges = sandbox.tracker.tokenExchanges;
      const since = lastSeq();
      const before = cachedJwt();
      const running = cli.start(['--debug', 'interview', 'invite', '--job', String(jobId), '--applicants', '--json', '--concurrency', '2']);
      // Once the run has read a few pages of the search, its JWT stops working.
      await waitFor(() => requestsFor(REST_OPS.search, since).length >= 3, 20_000);
      let outside = 0;
      if (how === 'expired') sandbox.tracker.restAuth.expireLive();
      else if (how === 'superseded by another caller') {
        const response = await fetch(`${sandbox.trackerRestUrl}/api/Auth/ExchangeToken`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ bearerToken: sandbox.credentials.restToken }),
        });
        expect(response.status).toBe(200);
        outside = 1;
      } else {
        // A login of the same profile exchanges a new token (and caches it): the running process picks it up from the cache.
        const login = await logInTracker(run, sandbox, { restToken: true });
        expect(login.code, login.stderr).toBe(0);
        outside = 1;
      }
      const result = await finished(running);
      sandbox.faults.clear();
      expect(result.code, result.stderr).toBe(0);
      expectEachOnce(result);
      const refused = requestsFor(REST_OPS.search, since).filter((r) => r.httpStatus === 401).length;
      const exchanged = sandbox.tracker.tokenExchanges - exchanges - outside;
      expect(refused).toBeGreaterThanOrEqual(1);
      // The superseding login stored its JWT in the profile's cache: the run takes it from there, no exchange of its own.
      expect(exchanged).toBe(how === 'superseded by another process of the profile' ? 0 : 1);
      const after = cachedJwt()!;
      expect(after).not.toBe(before);
      expect(result.stderr).toContain('OpportunityResource/Search');
      for (const jwt of [before!, after, ...after.split('.').slice(1)]) expect(result.stderr).not.toContain(jwt);
      expect(result.stderr).not.toContain(sandbox.credentials.restToken);
      outcomes.push({ how, searchesRefused: refused, exchangesByTheRun: exchanged });
    }
    figures.jwtMidRun = outcomes;
  }, 120_000);

  it('a revoked REST API token: exit 4 saying so and how to log in a new one; --debug shows neither the token nor a JWT', async () => {
    const original = sandbox.credentials.restToken;
    const jwt = cachedJwt()!;
    try {
      // The admin generated a new token: the old one and its JWT stop working.
      sandbox.credentials.restToken = 'sandbox-rest-token-regenerated';
      sandbox.tracker.restAuth.expireLive();
      const since = lastSeq();
      const result = await finished(cli.start(['--debug', 'interview', 'invite', '--job', String(jobId), '--applicants', '--json']));
      expect(result.code, result.stderr).toBe(4);
      const error = result.json().error;
      expect(error.message).toMatch(/revoked/);
      expect(error.hint).toContain('--rest-token-stdin');
      expect(error.hint).toContain('Security Settings');
      expect(requestsFor('POST /invitations', since)).toHaveLength(0);
      // One exchange tried (the cached JWT failed), not one per request.
      expect(requestsFor(REST_OPS.exchange, since)).toHaveLength(1);
      expect(result.stderr).toContain('ExchangeToken');
      for (const secret of [original, jwt]) {
        expect(result.stderr).not.toContain(secret);
        expect(result.stdout).not.toContain(secret);
      }

      // A cache holding a bad JWT and a profile with a wrong token (from the environment): exit 4 too.
      writeFileSync(jwtFile(), readFileSync(jwtFile(), 'utf8').replace(jwt, 'not.a.jwt'));
      const wrong = await run(['--debug', 'interview', 'invite', '--job', String(jobId), '--applicants', '--json'], undefined, {
        TRACKER_REST_TOKEN: 'wrong-rest-token-1234',
      });
      expect(wrong.code, wrong.stderr).toBe(4);
      expect(wrong.json().error.code).toMatch(/^tracker_rest_/);
      expect(wrong.stderr).not.toContain('wrong-rest-token-1234');
    } finally {
      sandbox.credentials.restToken = original;
    }
    // The right token again (as a new login would bring): the profile works again.
    const login = await logInTracker(run, sandbox, { restToken: true });
    expect(login.code, login.stderr).toBe(0);
    const again = await finished(invite());
    expect(again.code, again.stderr).toBe(0);
  }, 60_000);

  it('an invited candidate completes the interview, `apriora sandbox complete` then `activity push`: still one activity, now Completed with the four fields', async () => {
    const { invited } = expectedOutcome();
    const person = invited[0]!;
    const [activity] = interviewActivities(person.candidateId);
    expect(activity!.status).toBe('Not Started');
    const completed = await run(['sandbox', 'complete', '--sandbox-url', sandbox.url, '--position', positionId, '--email', person.email, '--json']);
    expect(completed.code, completed.stderr).toBe(0);
    const reportId = completed.json().data.report.reportId;
    const pushed = await run(['activity', 'push', '--report', reportId, '--json']);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.json().data.items).toEqual([expect.objectContaining({ status: 'updated', trackerCandidateId: person.candidateId })]);
    const activities = interviewActivities(person.candidateId);
    expect(activities).toHaveLength(1);
    expect(activities[0]!.id).toBe(activity!.id);
    expect(activities[0]!.status).toBe('Completed');
    expect(activities[0]!.subject).toContain(`[apriora:${reportId}]`);
    expect(activities[0]!.customFields.filter((field) => String(field.value ?? '') !== '')).toHaveLength(4);
  }, 60_000);
});

async function waitFor(predicate: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
