// `npm run bench`: interview generation against the sandbox with injected latency — wall time against the ideal
// bound, requests per job, peak RSS at 1,000 and 10,000 jobs — then a Tracker-heavy run under Tracker's reported
// rate limit to show that no 429 is ever received, then the automations runner (a first cycle and an idle cycle on
// 1,000 open jobs and 5,000 applicant rows: see automations.mjs), then the start-up ratios.
// Flags: --skip-rate-limit (the rate-limit part takes about a minute), --skip-automations (the runner part takes
// about a minute and a half), --jobs N (first scenario, default 1000).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTrackerSeed, startSandbox } from '../../dist/sandbox/index.js';
import { automationsScenario, printAutomations } from './automations.mjs';
import { measureStartup, printStartup } from './startup.mjs';

const BIN = fileURLToPath(new URL('../../bin/apriora.js', import.meta.url));
const RSS_HOOK = fileURLToPath(new URL('./fixtures/report-rss.mjs', import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);

/** The seed cycles 9 open jobs in every 12: enough jobs for `open` of them to be open. */
function seedWithOpenJobs(open) {
  return generateTrackerSeed({ jobs: Math.ceil((open * 12) / 9) + 12 });
}

function run(dir, cliArgs, { input = '', env = {} } = {}) {
  const rssFile = join(dir, `rss-${Date.now()}-${Math.random()}`);
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', RSS_HOOK, BIN, ...cliArgs], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        APRIORA_CONFIG_DIR: dir,
        APRIORA_CREDENTIAL_STORE: 'file',
        CI: '1',
        BENCH_RSS_FILE: rssFile,
        ...env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let buffer = '';
    let lines = 0;
    let lastLine = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        lastLine = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        lines++;
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let rssKb = NaN;
      try {
        rssKb = Number(readFileSync(rssFile, 'utf8'));
      } catch {
        /* the process died before exit */
      }
      resolve({ code, ms, lines, lastLine, stderr, rssKb });
    });
    child.stdin.end(input);
  });
}

async function login(dir, sandbox, trackerArgs = []) {
  const { apiKey, password, username, aprioraApiKey } = sandbox.credentials;
  const tracker = await run(
    dir,
    ['tracker', 'login', '--sandbox', '--base-url', sandbox.trackerUrl, '--username', username, '--api-key-stdin', '--password-stdin', ...trackerArgs],
    { input: `${apiKey}\n${password}\n` },
  );
  const apriora = await run(dir, ['login', '--sandbox', '--base-url', sandbox.aprioraUrl, '--api-key-stdin', '--modality', 'phone'], {
    input: `${aprioraApiKey}\n`,
  });
  if (tracker.code !== 0 || apriora.code !== 0) throw new Error(`login failed:\n${tracker.stderr}${apriora.stderr}`);
}

/** Requests by API, op and status since `baseline` (a copy of `sandbox.requestTotals` taken earlier). */
function countRequests(sandbox, baseline) {
  const count = (predicate) => {
    let total = 0;
    for (const [key, n] of sandbox.requestTotals) {
      const [api, ...rest] = key.split(' ');
      const status = rest.pop();
      if (predicate({ api, op: rest.join(' '), status })) total += n - (baseline.get(key) ?? 0);
    }
    return total;
  };
  return {
    tracker: count((r) => r.api === 'tracker'),
    trackerPages: count((r) => r.op === 'getRecords'),
    apriora: count((r) => r.api === 'apriora'),
    positionReads: count((r) => r.op === 'GET /positions'),
    creates: count((r) => r.op === 'POST /positions'),
    http429: count((r) => r.status === '429'),
  };
}

/** Generation over every open job: one scenario of the benchmark. */
async function generationScenario({ openJobs, latencyMs, concurrency, trackerArgs = [] }) {
  const sandbox = await startSandbox({ port: 0, seed: seedWithOpenJobs(openJobs) });
  const dir = mkdtempSync(join(tmpdir(), 'apriora-bench-'));
  try {
    await login(dir, sandbox, trackerArgs);
    const open = sandbox.tracker.jobs.filter((job) => sandbox.tracker.jobState(job) === 'open').length;
    const baseline = new Map(sandbox.requestTotals);
    sandbox.faults.configure({ latencyMs });
    const result = await run(dir, ['interview', 'generate', '--all-open', '--concurrency', String(concurrency), '--output', 'ndjson']);
    if (result.code !== 0) throw new Error(`generate exited ${result.code}:\n${result.stderr}`);
    const requests = countRequests(sandbox, baseline);
    const positions = sandbox.apriora.listPositions().length;
    // Requests that must happen one after another (first Tracker page, the positions index), then the creates
    // spread over `concurrency` lanes; later Tracker pages overlap with the creates.
    const sequential = 1 + requests.positionReads;
    const idealMs = latencyMs * (sequential + Math.ceil(requests.creates / concurrency));
    return { open, positions, latencyMs, concurrency, requests, wallMs: result.ms, idealMs, rssMb: result.rssKb / 1024, items: result.lines - 1 };
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function printScenario(title, s) {
  const perJob = (s.requests.tracker + s.requests.apriora) / s.open;
  console.log(title);
  console.log(`  jobs ${s.open} open → ${s.items} items, ${s.positions} positions; latency ${s.latencyMs} ms, concurrency ${s.concurrency}`);
  console.log(
    `  requests: Tracker ${s.requests.tracker} (${s.requests.trackerPages} pages), ` +
      `Apriora ${s.requests.apriora} (${s.requests.positionReads} position reads, ${s.requests.creates} creates); ` +
      `${perJob.toFixed(3)} per job; 429s ${s.requests.http429}`,
  );
  console.log(
    `  wall ${(s.wallMs / 1000).toFixed(2)} s vs ideal ${(s.idealMs / 1000).toFixed(2)} s ` +
      `(latency × (sequential + creates / concurrency)) = ${(s.wallMs / s.idealMs).toFixed(2)}x`,
  );
  console.log(`  peak RSS of the CLI process ${s.rssMb.toFixed(1)} MB`);
}

async function rateLimitScenario(jobs) {
  // Tracker's reported limit is ~100 requests/minute per database; the CLI's default client-side limit is 90.
  const sandbox = await startSandbox({ port: 0, seed: generateTrackerSeed({ jobs }), faults: { rateLimitPerMinute: 100, rateLimitApi: 'tracker' } });
  const dir = mkdtempSync(join(tmpdir(), 'apriora-bench-'));
  try {
    await login(dir, sandbox);
    const ids = sandbox.tracker.jobs.map((job) => job.id);
    const baseline = new Map(sandbox.requestTotals);
    writeFileSync(join(dir, 'jobs.txt'), `${ids.join('\n')}\n`);
    const result = await run(dir, ['interview', 'generate', '--jobs-file', join(dir, 'jobs.txt'), '--concurrency', '8', '--json']);
    const requests = countRequests(sandbox, baseline);
    return { code: result.code, wallMs: result.ms, jobs: ids.length, trackerRequests: requests.tracker, http429: requests.http429 };
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const first = await generationScenario({ openJobs: option('--jobs', 1000), latencyMs: 25, concurrency: 8 });
printScenario(`interview generate --all-open, ${first.open.toLocaleString('en')} jobs`, first);
// 10,000 jobs take 100 pages of Tracker jobs: above the default 90 requests/minute, which would only add a minute of
// waiting to a run that measures memory, so this profile allows more.
const big = await generationScenario({ openJobs: 10_000, latencyMs: 2, concurrency: 8, trackerArgs: ['--rate-limit', '1000'] });
printScenario('interview generate --all-open, 10,000 jobs (memory)', big);
console.log(
  `  peak RSS ${first.open.toLocaleString('en')} → ${big.open.toLocaleString('en')} jobs: ` + `${first.rssMb.toFixed(1)} MB → ${big.rssMb.toFixed(1)} MB`,
);

if (!flag('--skip-rate-limit')) {
  const limited = await rateLimitScenario(120);
  console.log('Tracker rate limit: 120 jobs by id (one Tracker read each) against a sandbox that allows 100 requests/minute');
  console.log(
    `  exit ${limited.code}; ${limited.trackerRequests} Tracker requests in ${(limited.wallMs / 1000).toFixed(1)} s; HTTP 429 received: ${limited.http429}`,
  );
}

if (!flag('--skip-automations')) printAutomations(await automationsScenario({ openJobs: 1000, rows: 5000, latencyMs: 25 }));

const runs = 20;
printStartup(measureStartup(runs), runs);
