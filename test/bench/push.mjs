// `apriora activity push` against the sandbox (no injected latency: these measure requests per report), each family
// in a sandbox of its own, with a profile that has no client rate limit to speak of:
//  - known: N new reports (default 300) of candidates Tracker already has (one job's interview; `push --job`), then
//    the same N pushed again (every activity already in Tracker: a re-push);
//  - new: N new reports of candidates Tracker does not have (each push creates the candidate);
//  - same name: N candidates Tracker has, all with the same name (distinct e-mails), pushed, then pushed again.
// And `activity push --since 24h` over 1,000 Tracker-linked interviews of which 10 have a new report (of a known
// candidate), at 25 ms injected latency: the wall time of the command and its requests.
// Standalone: npm run build && node test/bench/push.mjs [--reports 300] [--positions 1000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTrackerSeed, startSandbox } from '../../dist/sandbox/index.js';
import { countRequests, logIn, runCli } from './fixtures/cli.mjs';
import { addTrackerCandidates, completeInterviews, expectOneActivityEach, linkPosition, openJobs, people } from './seed.mjs';

/** High enough that the client-side limit never waits: the counts, not the pacing, are measured. */
const NO_RATE_LIMIT = 1_000_000;

/** A sandbox and a logged-in profile with its field map; `fn(sandbox, dir)`; then both are gone. */
async function withProfile(seed, fn) {
  const sandbox = await startSandbox({ port: 0, seed });
  const dir = mkdtempSync(join(tmpdir(), 'apriora-bench-push-'));
  try {
    await logIn(dir, sandbox, { rateLimit: NO_RATE_LIMIT, fieldMap: true });
    return await fn(sandbox, dir);
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One measured `apriora activity push …`: its summary, the requests it made, its wall time. */
async function measuredPush(sandbox, dir, selection) {
  const baseline = new Map(sandbox.requestTotals);
  const result = await runCli(dir, ['activity', 'push', ...selection, '--json']);
  const requests = countRequests(sandbox, baseline);
  let summary;
  try {
    summary = JSON.parse(result.stdout).data.summary;
  } catch {
    throw new Error(`activity push ${selection.join(' ')} exited ${result.code} without a JSON result:\n${result.stderr}`);
  }
  if (result.code !== 0) throw new Error(`activity push ${selection.join(' ')} exited ${result.code}: ${JSON.stringify(summary)}\n${result.stderr}`);
  return { summary, wallMs: result.ms, ...requests };
}

/** What a measured push reports: per report, by API, and the operations. */
function perReport(push, reports) {
  return {
    reports,
    summary: push.summary,
    wallMs: Math.round(push.wallMs),
    trackerRequests: push.byApi.tracker,
    aprioraRequests: push.byApi.apriora,
    trackerPerReport: push.byApi.tracker / reports,
    aprioraPerReport: push.byApi.apriora / reports,
    byOp: push.byOp,
  };
}

/** New reports of known candidates, then the same pushed again. */
export async function knownScenario({ reports = 300 } = {}) {
  return withProfile(generateTrackerSeed({ jobs: 12 }), async (sandbox, dir) => {
    const [job] = openJobs(sandbox, 1);
    const position = linkPosition(sandbox, job);
    const persons = people(reports, { domain: 'known.example', stem: 'known' });
    addTrackerCandidates(sandbox, persons);
    const made = completeInterviews(sandbox, position.positionId, persons);
    const first = await measuredPush(sandbox, dir, ['--job', String(job.id)]);
    expectOneActivityEach(sandbox, made, 'push (known candidates)');
    const again = await measuredPush(sandbox, dir, ['--job', String(job.id)]);
    expectOneActivityEach(sandbox, made, 're-push (known candidates)');
    return { first: perReport(first, reports), again: perReport(again, reports) };
  });
}

/** New reports of candidates Tracker does not have yet. */
export async function newCandidatesScenario({ reports = 300 } = {}) {
  return withProfile(generateTrackerSeed({ jobs: 12 }), async (sandbox, dir) => {
    const [job] = openJobs(sandbox, 1);
    const position = linkPosition(sandbox, job);
    const made = completeInterviews(sandbox, position.positionId, people(reports, { domain: 'new.example', stem: 'newcomer' }));
    const candidatesBefore = sandbox.tracker.candidates.length;
    const first = await measuredPush(sandbox, dir, ['--job', String(job.id)]);
    expectOneActivityEach(sandbox, made, 'push (new candidates)');
    return { first: { ...perReport(first, reports), candidatesCreated: sandbox.tracker.candidates.length - candidatesBefore } };
  });
}

/** Known candidates who all have the same name: pushed, then pushed again. */
export async function sameNameScenario({ reports = 300 } = {}) {
  return withProfile(generateTrackerSeed({ jobs: 12 }), async (sandbox, dir) => {
    const [job] = openJobs(sandbox, 1);
    const position = linkPosition(sandbox, job);
    const persons = people(reports, { domain: 'namesake.example', stem: 'namesake', sameName: { firstName: 'Sam', lastName: 'Taylor' } });
    addTrackerCandidates(sandbox, persons);
    const made = completeInterviews(sandbox, position.positionId, persons);
    const first = await measuredPush(sandbox, dir, ['--job', String(job.id)]);
    expectOneActivityEach(sandbox, made, 'push (same-named candidates)');
    const again = await measuredPush(sandbox, dir, ['--job', String(job.id)]);
    expectOneActivityEach(sandbox, made, 're-push (same-named candidates)');
    return { first: perReport(first, reports), again: perReport(again, reports) };
  });
}

/** `push --since 24h` over `positions` Tracker-linked interviews, `fresh` of them with one new report each. */
export async function sinceScenario({ positions = 1000, fresh = 10, latencyMs = 25 } = {}) {
  return withProfile(generateTrackerSeed({ jobs: positions, candidates: 20 }), async (sandbox, dir) => {
    const jobs = sandbox.tracker.jobs.slice(0, positions);
    if (jobs.length < positions) throw new Error(`the seed has ${jobs.length} jobs, ${positions} wanted`);
    const linked = jobs.map((job) => linkPosition(sandbox, job));
    const persons = people(fresh, { domain: 'since.example', stem: 'recent' });
    addTrackerCandidates(sandbox, persons);
    const now = Math.floor(Date.now() / 1000);
    // Spread over the list of interviews, completed within the last hour.
    const step = Math.max(1, Math.floor(positions / fresh));
    const made = persons.flatMap((person, i) =>
      completeInterviews(sandbox, linked[(i * step + step - 1) % positions].positionId, [person], now - 3600 + i * 60),
    );
    sandbox.faults.configure({ latencyMs });
    let push;
    try {
      push = await measuredPush(sandbox, dir, ['--since', '24h']);
    } finally {
      sandbox.faults.clear();
    }
    expectOneActivityEach(sandbox, made, 'push --since');
    return { positions, reports: fresh, latencyMs, ...perReport(push, fresh) };
  });
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const ops = (byOp) =>
  Object.entries(byOp)
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${op.replace(/^tracker /, '')} ${n}`)
    .join(', ');

export function printPush(title, s) {
  console.log(title);
  console.log(
    `  ${s.reports} reports → ${JSON.stringify(s.summary)}; Tracker ${s.trackerRequests} (${s.trackerPerReport.toFixed(2)} per report), ` +
      `Apriora ${s.aprioraRequests} (${s.aprioraPerReport.toFixed(2)} per report); wall ${seconds(s.wallMs)}`,
  );
  console.log(`  by operation: ${ops(s.byOp)}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
  const reports = option('--reports', 300);
  const known = await knownScenario({ reports });
  printPush('push: new reports, known candidates', known.first);
  printPush('push again: the same reports', known.again);
  printPush('push: new reports, new candidates', (await newCandidatesScenario({ reports })).first);
  const same = await sameNameScenario({ reports });
  printPush('push: same-named known candidates', same.first);
  printPush('push again: same-named candidates', same.again);
  const since = await sinceScenario({ positions: option('--positions', 1000) });
  printPush(`push --since 24h: ${since.positions} linked interviews, ${since.latencyMs} ms latency`, since);
}
