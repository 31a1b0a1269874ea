// `npm run bench`: what the request-efficiency goals are measured by, in one run, against the sandbox (the built CLI
// spawned as a user would run it; scenario data put straight into the sandbox's state). Each measure with a goal is
// given as a value, its ratio to the goal and pass/fail; a table at the end, and a JSON summary with --json.
// The profiles of push, since, jobs-file and listener have no client rate limit to speak of (the requests are
// counted, not paced); generate runs at the profile's default limit, generate-10k at 1,000 a minute.
//
// Parts (keys for --only), in order:
//   generate     interview generate --all-open at ~1,000 open jobs (1,010), 25 ms latency, concurrency 8, default
//                rate limit: requests per job (≤ 1.05), wall time / ideal bound (≤ 1.25; bound = latency ×
//                (sequential requests + creates / concurrency)), peak RSS
//   generate-10k the same at ~10,000 open jobs, 2 ms latency: peak RSS of the CLI process (< 150 MB), requests per job
//   push         activity push --job: 300 new reports of candidates Tracker has (Tracker requests per report ≤ 1.3);
//                the same 300 pushed again, all already in Tracker (≤ 0.1); 300 new reports of candidates Tracker
//                does not have (≤ 2.3); 300 candidates Tracker has, all with the same name: push (≤ 1.3), push again
//                (≤ 0.1). No latency. (push.mjs)
//   since        activity push --since 24h over 1,000 Tracker-linked interviews, 10 with a new report (known
//                candidates), 25 ms latency: wall time (≤ 5 s), requests (push.mjs)
//   jobs-file    interview generate --jobs-file with 1,000 ids of a 1,100-job database, no latency: Tracker requests
//                (≤ 20) (generate.mjs)
//   listener     activity listen, 1,000 signed session.completed deliveries over 5 interviews (known candidates), no
//                latency: Tracker (≤ 1.3) and Apriora (≤ 1.1) requests per delivery after the first of each interview,
//                counted once the listener's log shows every report pushed (listener.mjs)
//   startup      median of interleaved runs as a ratio to `node -e 0`: --version (≤ 1.4), --help (≤ 1.5), status of a
//                logged-out profile, which makes no request (≤ 1.8) (startup.mjs)
//   rate-limit   (only with --all or --rate-limit; about a minute and a half) 120 jobs by id at the default client
//                rate limit under a server limit of 100 Tracker requests a minute: HTTP 429s received (= 0)
//   automations  (only with --all or --automations; about a minute and a half) the automations runner on 1,000 open
//                jobs and 5,000 applicant rows, 25 ms latency: requests of a first and an idle cycle (automations.mjs)
//
// Usage: npm run bench [-- options]
//   --json [path]   the JSON summary into `path`; without a path, on stdout (the human output then goes to stderr)
//   --only a,b      run only these parts      --all   also rate-limit and automations
//   --jobs N (first generation scenario, default 1000)   --reports N (push, 300)   --deliveries N (listener, 1000)
//   --runs N (start-up rounds, 20)   --strict (exit 1 when a goal is missed)
// A part that fails to run is a FAIL row with its error; the others still run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { automationsScenario, printAutomations } from './automations.mjs';
import { generationScenario, jobsFileScenario, printGeneration, printJobsFile, printRateLimit, rateLimitScenario } from './generate.mjs';
import { listenerScenario, printListener } from './listener.mjs';
import { knownScenario, newCandidatesScenario, printPush, sameNameScenario, sinceScenario } from './push.mjs';
import { Results } from './results.mjs';
import { measureStartup, prepareStatusProfile, printStartup, STATUS_CASE } from './startup.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const jsonAt = args.indexOf('--json');
const jsonPath = jsonAt >= 0 && args[jsonAt + 1] && !args[jsonAt + 1].startsWith('--') ? resolve(args[jsonAt + 1]) : undefined;
const jsonToStdout = jsonAt >= 0 && jsonPath === undefined;
// With the JSON summary on stdout, every human line goes to stderr (the parts print with console.log).
if (jsonToStdout) console.log = console.error;

const PARTS = ['generate', 'generate-10k', 'push', 'since', 'jobs-file', 'listener', 'startup', 'rate-limit', 'automations'];
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined;
const unknown = only?.filter((part) => !PARTS.includes(part)) ?? [];
if (unknown.length) {
  console.error(`unknown part(s) ${unknown.join(', ')}; parts: ${PARTS.join(', ')}`);
  process.exit(2);
}
const optional = new Set(['rate-limit', 'automations']);
const selected = (part) => (only ? only.includes(part) : !optional.has(part) || flag('--all') || flag(`--${part}`));

const results = new Results();
const started = Date.now();
const sections = [];

/** Runs a part; a failure becomes an error row and the next part runs. */
async function part(key, title, fn) {
  if (!selected(key)) return;
  const partStarted = Date.now();
  try {
    await fn();
  } catch (error) {
    console.log(`${title}: could not be measured: ${error instanceof Error ? error.stack : error}`);
    results.error(title, error);
  }
  sections.push({ part: key, seconds: Math.round((Date.now() - partStarted) / 100) / 10 });
}

const jobs = option('--jobs', 1000);
await part('generate', `generate --all-open, ${jobs.toLocaleString('en')} jobs`, async () => {
  const s = await generationScenario({ openJobs: jobs, latencyMs: 25, concurrency: 8 });
  printGeneration(`interview generate --all-open, ${s.open.toLocaleString('en')} open jobs`, s);
  const name = `generate --all-open, ${s.open.toLocaleString('en')} jobs (25 ms)`;
  results.add(name, 'requests per job', s.requestsPerJob, { goal: 1.05, digits: 3 });
  results.add(name, 'wall / ideal bound', s.boundRatio, { goal: 1.25, unit: 'x' });
  results.add(name, 'wall time', s.wallMs / 1000, { unit: 's' });
  results.add(name, 'peak RSS', s.rssMb, { unit: 'MB', digits: 1 });
  results.detail('generate', s);
});

await part('generate-10k', 'generate --all-open, 10,000 jobs', async () => {
  // 10,000 jobs take 100 pages of Tracker jobs: above the default 90 requests/minute, which would only add a minute of
  // waiting to a run that measures memory, so this profile allows more.
  const s = await generationScenario({ openJobs: 10_000, latencyMs: 2, concurrency: 8, rateLimit: 1000 });
  printGeneration(`interview generate --all-open, ${s.open.toLocaleString('en')} open jobs (memory)`, s);
  const name = `generate --all-open, ${s.open.toLocaleString('en')} jobs (2 ms)`;
  results.add(name, 'peak RSS', s.rssMb, { goal: 150, comparison: '<', unit: 'MB', digits: 1 });
  results.add(name, 'requests per job', s.requestsPerJob, { goal: 1.05, digits: 3 });
  results.add(name, 'wall time', s.wallMs / 1000, { unit: 's' });
  results.detail('generate-10k', s);
});

const reports = option('--reports', 300);
await part('push', `activity push, ${reports} reports`, async () => {
  const perReport = (name, s, goal) => {
    results.add(name, 'Tracker requests per report', s.trackerPerReport, { goal });
    results.add(name, 'Apriora requests per report', s.aprioraPerReport);
  };
  const known = await knownScenario({ reports });
  printPush(`activity push --job: ${reports} new reports, candidates Tracker has`, known.first);
  printPush(`activity push --job again: the same ${reports} reports, all in Tracker`, known.again);
  perReport(`push: ${reports} new reports, known candidates`, known.first, 1.3);
  perReport(`push again: the same ${reports}, all in Tracker`, known.again, 0.1);
  results.detail('push-known', known.first);
  results.detail('push-again', known.again);

  const fresh = await newCandidatesScenario({ reports });
  printPush(`activity push --job: ${reports} new reports, candidates Tracker does not have`, fresh.first);
  perReport(`push: ${reports} new reports, new candidates`, fresh.first, 2.3);
  results.detail('push-new-candidates', fresh.first);

  const same = await sameNameScenario({ reports });
  printPush(`activity push --job: ${reports} new reports, known candidates all of the same name`, same.first);
  printPush('activity push --job again: the same reports, all in Tracker', same.again);
  perReport(`push: ${reports} same-named known candidates`, same.first, 1.3);
  perReport(`push again: ${reports} same-named, all in Tracker`, same.again, 0.1);
  results.detail('push-same-name', same.first);
  results.detail('push-same-name-again', same.again);
});

await part('since', 'push --since, 1,000 interviews', async () => {
  const s = await sinceScenario({ positions: 1000, fresh: 10, latencyMs: 25 });
  printPush(`activity push --since 24h: ${s.positions.toLocaleString('en')} linked interviews, ${s.reports} new reports, ${s.latencyMs} ms latency`, s);
  const name = `push --since: ${s.positions.toLocaleString('en')} interviews, ${s.reports} new (25 ms)`;
  results.add(name, 'wall time', s.wallMs / 1000, { goal: 5, unit: 's' });
  results.add(name, 'Tracker requests', s.trackerRequests, { digits: 0 });
  results.add(name, 'Apriora requests', s.aprioraRequests, { digits: 0 });
  results.detail('since', s);
});

await part('jobs-file', 'generate --jobs-file, 1,000 ids', async () => {
  const s = await jobsFileScenario({ jobs: 1100, ids: 1000 });
  printJobsFile(s);
  const name = `generate --jobs-file: ${s.ids.toLocaleString('en')} ids, ${s.jobs.toLocaleString('en')} jobs`;
  results.add(name, 'Tracker requests', s.tracker, { goal: 20, digits: 0 });
  results.add(name, 'Tracker requests per id', s.tracker / s.ids, { digits: 3 });
  results.add(name, 'wall time', s.wallMs / 1000, { unit: 's' });
  results.detail('jobs-file', s);
});

const deliveries = option('--deliveries', 1000);
await part('listener', `activity listen, ${deliveries} deliveries`, async () => {
  const s = await listenerScenario({ deliveries, positions: 5 });
  printListener(s);
  const name = `listen: ${s.deliveries.toLocaleString('en')} deliveries, ${s.positions} interviews`;
  results.add(name, 'Tracker requests per delivery', s.trackerPerDelivery, { goal: 1.3 });
  results.add(name, 'Apriora requests per delivery', s.aprioraPerDelivery, { goal: 1.1 });
  results.add(name, 'all pushed after', s.drainMs / 1000, { unit: 's' });
  results.detail('listener', s);
});

const runs = option('--runs', 20);
await part('startup', 'start-up', async () => {
  const dir = await prepareStatusProfile();
  try {
    const rows = measureStartup(runs, dir);
    printStartup(rows, runs);
    const goals = { 'apriora --version': 1.4, 'apriora --help': 1.5, [STATUS_CASE]: 1.8 };
    const name = `start-up (median of ${runs}, × node -e 0)`;
    for (const row of rows) {
      if (row.name === 'node -e 0') results.add(name, 'node -e 0', row.ms, { unit: 'ms', digits: 1 });
      else results.add(name, row.name.replace(/^apriora /, ''), row.ratio, { goal: goals[row.name], unit: 'x' });
    }
    results.detail('startup', { runs, rows });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

await part('rate-limit', 'rate limit, 120 jobs', async () => {
  const s = await rateLimitScenario(120);
  printRateLimit(s);
  const name = 'generate --jobs-file, 120 ids, server limit 100/min';
  results.add(name, 'HTTP 429 received', s.http429, { goal: 0, comparison: '=', digits: 0 });
  results.add(name, 'wall time', s.wallMs / 1000, { unit: 's', digits: 1 });
  results.detail('rate-limit', s);
});

await part('automations', 'automations run --once', async () => {
  const s = await automationsScenario({ openJobs: 1000, rows: 5000, latencyMs: 25 });
  printAutomations(s);
  const name = `automations run --once: ${s.open.toLocaleString('en')} jobs, ${s.rows.toLocaleString('en')} rows`;
  for (const [cycle, c] of [
    ['first cycle', s.first],
    ['idle cycle', s.idle],
  ]) {
    results.add(name, `${cycle}: Tracker requests`, c.byApi.tracker + c.byApi['tracker-rest'], { digits: 0 });
    results.add(name, `${cycle}: Apriora requests`, c.byApi.apriora, { digits: 0 });
  }
  results.detail('automations', s);
});

const seconds = Math.round((Date.now() - started) / 1000);
console.log('');
console.log(`npm run bench: goals met ${results.passed}, missed or not measured ${results.failed} (${seconds} s)`);
console.log(results.table());
const skipped = [...optional].filter((part) => !selected(part));
console.log(
  [
    '',
    'ratio = value ÷ goal: at most 1 meets an "at most" goal. Rows without a goal are context.',
    'push, push --since, the jobs file and the listener run without client pacing (their goals count requests; at',
    "Tracker's ~100 a minute each request costs 0.6 s); generate 1k runs at the default 90 a minute. Start-up ratios",
    'are against `node -e 0` with only PATH and HOME set. Databases: push, 300 reports and about 320 candidates (a push',
    'reads the candidate list once: add a page per 100 candidates); jobs file, 1,000 ids in 1,100 jobs.',
    skipped.length ? `Not run (--all, or --only ${skipped.join(',')}): ${skipped.join(', ')}.` : '',
  ].join('\n'),
);

const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout?.trim() || null;
const summary = results.summary({
  bench: 'apriora npm run bench',
  date: new Date().toISOString(),
  commit,
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  args,
  seconds,
  parts: sections,
});
if (jsonPath) {
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify(summary, null, 2)}\n`);
  console.log(`JSON summary: ${jsonPath}`);
}
if (jsonToStdout) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
process.exitCode = results.errors.length || (flag('--strict') && results.failed) ? 1 : 0;
