// `interview invite --applicants` on one job with 50 applicants in a database of 2,000 applicant rows, against the
// sandbox with injected latency: requests per invited applicant by API (Tracker Widget, Tracker REST, Apriora) from
// the sandbox's request log, the wall time without a client rate limit, and the wall time at the default client rate
// limit (90 Tracker requests a minute, Widget and REST sharing it) computed from the counts.
// With --at-rate-limit it also runs the invite again, on a fresh sandbox and profile, at the default client rate limit
// under a server limit of 100 Tracker requests a minute, and reports the measured time and the 429s received.
// The 50 applicants are Applied and active, each with a usable US phone number (a phone interview); the job's other
// rows are set to other statuses, so that exactly 50 are invited.
// Usage: npm run build && node test/bench/invite.mjs [--at-rate-limit] [--latency 25] [--rows 2000] [--applicants 50]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTrackerSeed, startSandbox } from '../../dist/sandbox/index.js';
import { countRequests, runCli } from './fixtures/cli.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const LATENCY_MS = option('--latency', 25);
const ROWS = option('--rows', 2000);
const APPLICANTS = option('--applicants', 50);
const JOBS = 40;
const CLIENT_RATE_PER_MINUTE = 90;

const run = runCli;

/**
 * The database: ROWS applicant rows over JOBS jobs, of which the third open job holds APPLICANTS active Applied
 * applicants with usable phones (its seeded rows of other candidates moved to other statuses).
 */
function benchSeed() {
  const base = generateTrackerSeed({ jobs: JOBS });
  const states = new Map(base.settings.opportunityStatuses.map((status) => [status.Name, status.State]));
  const job = base.jobs.filter((each) => states.get(each.status) === 'open')[2];
  const probe = generateTrackerSeed({ jobs: JOBS, jobApplicants: { [job.id]: 0 } });
  const seeded = probe.applications.filter((row) => row.opportunityId === job.id).length;
  const seed = generateTrackerSeed({
    jobs: JOBS,
    extraApplicants: ROWS - probe.applications.length - APPLICANTS,
    jobApplicants: { [job.id]: APPLICANTS + seeded },
  });
  const seededCandidates = new Set(probe.candidates.map((candidate) => candidate.id));
  const onJob = seed.applications.filter((row) => row.opportunityId === job.id);
  for (const row of onJob) {
    if (seededCandidates.has(row.resourceId) && row.status === 'Applied') Object.assign(row, { status: 'Shortlisted', list: 'short', shortlistedBy: 'user' });
  }
  const invited = new Set(onJob.filter((row) => !seededCandidates.has(row.resourceId)).map((row) => row.resourceId));
  for (const candidate of seed.candidates) {
    if (invited.has(candidate.id) && !candidate.cellphone) candidate.cellphone = `(617) 555-${String(200 + (candidate.id % 100)).padStart(4, '0')}`;
  }
  return { seed, jobId: job.id };
}

/** A profile logged in to both emulators with the REST token (which caches a JWT), and the job's interview generated. */
async function setUp(dir, sandbox, jobId, rateLimit) {
  const { apiKey, password, username, aprioraApiKey, restToken } = sandbox.credentials;
  const limit = rateLimit ? [] : ['--rate-limit', '100000'];
  const steps = [
    [
      [
        'tracker',
        'login',
        '--sandbox',
        '--base-url',
        sandbox.trackerUrl,
        '--username',
        username,
        '--api-key-stdin',
        '--password-stdin',
        '--rest-token-stdin',
        ...limit,
      ],
      `${apiKey}\n${password}\n${restToken}\n`,
    ],
    [['login', '--sandbox', '--base-url', sandbox.aprioraUrl, '--api-key-stdin', '--modality', 'phone'], `${aprioraApiKey}\n`],
    [['tracker', 'fields', 'map', '--auto']],
    [['interview', 'generate', '--job', String(jobId), '--json']],
  ];
  for (const [cliArgs, input] of steps) {
    const result = await run(dir, cliArgs, input);
    if (result.code !== 0) throw new Error(`${cliArgs.join(' ')} exited ${result.code}:\n${result.stderr}`);
  }
}

async function scenario({ rateLimit }) {
  const { seed, jobId } = benchSeed();
  const sandbox = await startSandbox({ port: 0, seed });
  const dir = mkdtempSync(join(tmpdir(), 'apriora-bench-'));
  try {
    await setUp(dir, sandbox, jobId, rateLimit);
    const rows = sandbox.tracker.applicantRows().length;
    const activeApplied = sandbox.tracker
      .applicantRows(jobId)
      .filter((row) => row.activeRecord === 'y' && row.opportunityResourceStatusName === 'Applied').length;
    const exchangesBefore = sandbox.tracker.tokenExchanges;
    const baseline = new Map(sandbox.requestTotals);
    sandbox.faults.configure({ latencyMs: LATENCY_MS, ...(rateLimit ? { rateLimitPerMinute: 100, rateLimitApi: 'tracker' } : {}) });
    const result = await run(dir, ['interview', 'invite', '--job', String(jobId), '--applicants', '--json']);
    sandbox.faults.clear();
    if (result.code !== 0) throw new Error(`interview invite exited ${result.code}:\n${result.stderr}`);
    const summary = JSON.parse(result.stdout).data.summary;
    return {
      jobId,
      rows,
      activeApplied,
      summary,
      wallMs: result.ms,
      exchanges: sandbox.tracker.tokenExchanges - exchangesBefore,
      invitations: sandbox.apriora.invitations.length,
      ...countRequests(sandbox, baseline),
    };
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const minutes = (ms) => `${(ms / 60_000).toFixed(2)} min`;
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

const s = await scenario({ rateLimit: false });
const invited = s.summary.created;
const widget = s.byApi.tracker;
const rest = s.byApi['tracker-rest'];
const apriora = s.byApi.apriora;
const exchange = s.byOp['tracker-rest POST /api/Auth/ExchangeToken'] ?? 0;
const pages = s.byOp['tracker-rest POST /api/v1/OpportunityResource/Search'] ?? 0;
const trackerTotal = widget + rest;
const per = (n) => (n / invited).toFixed(2);
console.log(
  `interview invite --job ${s.jobId} --applicants: ${s.rows.toLocaleString('en')} applicant rows in the database, ` +
    `${s.activeApplied} active Applied on the job (phone interview, every one with a usable phone)`,
);
console.log(`  items ${JSON.stringify(s.summary)}; invitations in Apriora ${s.invitations}; latency ${LATENCY_MS} ms per request, no client rate limit`);
console.log(`  requests per invited applicant (${invited} invited):`);
console.log(`    Tracker Widget ${per(widget)} (${widget} in all)`);
console.log(`    Tracker REST   ${per(rest)} (${rest} in all: ${exchange} token exchange${exchange === 1 ? '' : 's'}, ${pages} search pages)`);
console.log(`    Apriora        ${per(apriora)} (${apriora} in all)`);
console.log(`    Tracker (Widget + REST) ${per(trackerTotal)}, all APIs ${per(trackerTotal + apriora)}`);
console.log(`  by operation: ${JSON.stringify(s.byOp)}`);
console.log(`  wall time ${seconds(s.wallMs)} (the CLI process, start to exit)`);
// The client allows 90 Tracker requests in any 60 s window (Widget and REST together): the sustained rate gives
// requests / 90 minutes; with the first 90 sent at once, the last request cannot start before
// floor((requests - 1) / 90) minutes.
const sustainedMs = (trackerTotal / CLIENT_RATE_PER_MINUTE) * 60_000;
const windowMs = Math.floor((trackerTotal - 1) / CLIENT_RATE_PER_MINUTE) * 60_000;
console.log(
  `  at the default client rate limit (${CLIENT_RATE_PER_MINUTE} Tracker requests/min): ${trackerTotal} Tracker requests → ` +
    `${minutes(sustainedMs)} at the sustained rate; at least ${minutes(windowMs)} with the first window's burst`,
);

if (flag('--at-rate-limit')) {
  const limited = await scenario({ rateLimit: true });
  const total = limited.byApi.tracker + limited.byApi['tracker-rest'];
  console.log('At the default client rate limit, against a sandbox allowing 100 Tracker requests a minute (Widget and REST together):');
  console.log(
    `  items ${JSON.stringify(limited.summary)}; ${total} Tracker requests (${limited.byApi['tracker-rest']} REST), ` +
      `${limited.byApi.apriora} Apriora; HTTP 429 received ${limited.http429}; wall time ${seconds(limited.wallMs)} (${minutes(limited.wallMs)})`,
  );
}
