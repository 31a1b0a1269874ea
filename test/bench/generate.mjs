// `apriora interview generate` against the sandbox:
//  - --all-open at 1,000 open jobs, 25 ms injected latency, concurrency 8: requests per job, wall time against the
//    ideal bound (latency × (sequential requests + creates / concurrency)), peak RSS of the CLI process;
//  - --all-open at 10,000 open jobs (2 ms latency: this one measures memory), peak RSS;
//  - --jobs-file with 1,000 ids of a 1,100-job database (every job, open or not, in a scrambled order, 100 left
//    out), no latency: the Tracker requests that resolve the ids;
//  - (rate limit, only when asked) 120 jobs by id against a sandbox allowing 100 Tracker requests a minute, at the
//    profile's default client rate limit: no HTTP 429 is ever received.
// Standalone: npm run build && node test/bench/generate.mjs [--jobs 1000]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTrackerSeed, startSandbox } from '../../dist/sandbox/index.js';
import { countRequests, logIn, runCli } from './fixtures/cli.mjs';

/** The seed cycles 9 open jobs in every 12: enough jobs for `open` of them to be open. */
function seedWithOpenJobs(open) {
  return generateTrackerSeed({ jobs: Math.ceil((open * 12) / 9) + 12 });
}

async function withProfile(seed, loginOptions, fn) {
  const sandbox = await startSandbox({ port: 0, seed });
  const dir = mkdtempSync(join(tmpdir(), 'apriora-bench-generate-'));
  try {
    await logIn(dir, sandbox, loginOptions);
    return await fn(sandbox, dir);
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Generation over every open job. */
export async function generationScenario({ openJobs, latencyMs, concurrency, rateLimit }) {
  return withProfile(seedWithOpenJobs(openJobs), { rateLimit }, async (sandbox, dir) => {
    const open = sandbox.tracker.jobs.filter((job) => sandbox.tracker.jobState(job) === 'open').length;
    const baseline = new Map(sandbox.requestTotals);
    sandbox.faults.configure({ latencyMs });
    const result = await runCli(dir, ['interview', 'generate', '--all-open', '--concurrency', String(concurrency), '--output', 'ndjson'], '', { rss: true });
    sandbox.faults.clear();
    if (result.code !== 0) throw new Error(`generate exited ${result.code}:\n${result.stderr}`);
    const requests = countRequests(sandbox, baseline);
    const positionReads = requests.byOp['apriora GET /positions'] ?? 0;
    const creates = requests.byOp['apriora POST /positions'] ?? 0;
    // Requests that must happen one after another (first Tracker page, the positions index), then the creates
    // spread over `concurrency` lanes; later Tracker pages overlap with the creates.
    const idealMs = latencyMs * (1 + positionReads + Math.ceil(creates / concurrency));
    const tracker = requests.byApi.tracker;
    const apriora = requests.byApi.apriora;
    return {
      open,
      items: result.stdout.trim().split('\n').length - 1,
      positions: sandbox.apriora.listPositions().length,
      latencyMs,
      concurrency,
      tracker,
      trackerPages: requests.byOp['tracker getRecords'] ?? 0,
      apriora,
      positionReads,
      creates,
      http429: requests.http429,
      requestsPerJob: (tracker + apriora) / open,
      wallMs: Math.round(result.ms),
      idealMs,
      boundRatio: result.ms / idealMs,
      rssMb: result.rssKb / 1024,
    };
  });
}

export function printGeneration(title, s) {
  console.log(title);
  console.log(`  jobs ${s.open} open → ${s.items} items, ${s.positions} positions; latency ${s.latencyMs} ms, concurrency ${s.concurrency}`);
  console.log(
    `  requests: Tracker ${s.tracker} (${s.trackerPages} pages), Apriora ${s.apriora} (${s.positionReads} position reads, ${s.creates} creates); ` +
      `${s.requestsPerJob.toFixed(3)} per job; 429s ${s.http429}`,
  );
  console.log(
    `  wall ${(s.wallMs / 1000).toFixed(2)} s vs ideal ${(s.idealMs / 1000).toFixed(2)} s ` +
      `(latency × (sequential + creates / concurrency)) = ${s.boundRatio.toFixed(2)}x; peak RSS of the CLI process ${s.rssMb.toFixed(1)} MB`,
  );
}

/** The ids of `count` of the jobs (those left out spread evenly), in a scrambled but fixed order. */
function wantedIds(jobs, count) {
  const left = jobs.length - count;
  const dropped = new Set(Array.from({ length: left }, (_, k) => Math.floor(((k + 0.5) * jobs.length) / left)));
  const kept = jobs.filter((_, i) => !dropped.has(i));
  const gcd = (a, b) => (b === 0 ? a : gcd(b, a % b));
  let stride = 7;
  while (gcd(stride, kept.length) !== 1) stride += 2;
  return kept.map((_, i) => kept[(i * stride) % kept.length].id);
}

/** `interview generate --jobs-file` with `ids` ids of a `jobs`-job database. */
export async function jobsFileScenario({ jobs = 1100, ids = 1000, latencyMs = 0 } = {}) {
  return withProfile(generateTrackerSeed({ jobs }), { rateLimit: 1_000_000 }, async (sandbox, dir) => {
    const wanted = wantedIds(sandbox.tracker.jobs, ids);
    if (new Set(wanted).size !== ids) throw new Error('jobs file: the ids are not distinct');
    const file = join(dir, 'jobs.txt');
    writeFileSync(file, `${wanted.join('\n')}\n`);
    const baseline = new Map(sandbox.requestTotals);
    sandbox.faults.configure({ latencyMs });
    const result = await runCli(dir, ['interview', 'generate', '--jobs-file', file, '--json']);
    sandbox.faults.clear();
    let summary;
    try {
      summary = JSON.parse(result.stdout).data.summary;
    } catch {
      throw new Error(`generate --jobs-file exited ${result.code} without a JSON result:\n${result.stderr}`);
    }
    const requests = countRequests(sandbox, baseline);
    return {
      jobs: sandbox.tracker.jobs.length,
      ids,
      latencyMs,
      exitCode: result.code,
      summary,
      tracker: requests.byApi.tracker,
      apriora: requests.byApi.apriora,
      byOp: requests.byOp,
      wallMs: Math.round(result.ms),
    };
  });
}

export function printJobsFile(s) {
  console.log(`interview generate --jobs-file: ${s.ids} ids of a ${s.jobs}-job database, latency ${s.latencyMs} ms`);
  console.log(
    `  exit ${s.exitCode}, ${JSON.stringify(s.summary)}; Tracker ${s.tracker} requests ` +
      `(${Object.entries(s.byOp)
        .filter(([op]) => op.startsWith('tracker '))
        .map(([op, n]) => `${op.slice(8)} ${n}`)
        .join(', ')}), Apriora ${s.apriora}; wall ${(s.wallMs / 1000).toFixed(2)} s`,
  );
}

/**
 * 120 jobs by id under a server limit of 100 Tracker requests a minute. The ids come on stdin, one read each (a jobs
 * file of more than 20 ids is read from the job list instead), so that the client's pacing is what is measured.
 */
export async function rateLimitScenario(jobs = 120) {
  const seed = generateTrackerSeed({ jobs });
  const sandbox = await startSandbox({ port: 0, seed, faults: { rateLimitPerMinute: 100, rateLimitApi: 'tracker' } });
  const dir = mkdtempSync(join(tmpdir(), 'apriora-bench-generate-'));
  try {
    await logIn(dir, sandbox);
    const ids = sandbox.tracker.jobs.map((job) => job.id);
    const baseline = new Map(sandbox.requestTotals);
    const result = await runCli(dir, ['interview', 'generate', '--jobs-file', '-', '--concurrency', '8', '--json'], `${ids.join('\n')}\n`);
    const requests = countRequests(sandbox, baseline);
    return { code: result.code, wallMs: Math.round(result.ms), jobs: ids.length, trackerRequests: requests.byApi.tracker, http429: requests.http429 };
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printRateLimit(s) {
  console.log(`Tracker rate limit: ${s.jobs} jobs by id against a sandbox that allows 100 Tracker requests a minute (default client limit)`);
  console.log(`  exit ${s.code}; ${s.trackerRequests} Tracker requests in ${(s.wallMs / 1000).toFixed(1)} s; HTTP 429 received: ${s.http429}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
  const jobs = option('--jobs', 1000);
  printGeneration(`interview generate --all-open, ${jobs} jobs`, await generationScenario({ openJobs: jobs, latencyMs: 25, concurrency: 8 }));
  printJobsFile(await jobsFileScenario());
}
