// The automations runner against the sandbox with injected latency: 1,000 open jobs, 5,000 applicant rows, a profile
// logged in with the REST token and Apriora, every open job's interview created beforehand (`interview generate
// --all-open`, not measured), both automations switched on in the sandbox's Apriora (`automations enable invites
// --delay 0`, `automations enable interviews`), then `automations run --once` twice: the first cycle (every applicant
// row read and decided, the due ones invited; every open job checked for its interview) and an idle cycle (nothing
// new). For each: requests by API (Tracker Widget, Tracker REST, Apriora) from the sandbox's request log, invitations
// made, the wall time without a client rate limit, and the Tracker time at the default client rate limit (90
// requests a minute, Widget and REST sharing it) computed from the counts.
// Called by `npm run bench -- --all` (or `-- --automations`); standalone:
//   npm run build && node test/bench/automations.mjs [--latency 25] [--open-jobs 1000] [--rows 5000] [--by-op]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTrackerSeed, startSandbox } from '../../dist/sandbox/index.js';
import { countRequests, runCli } from './fixtures/cli.mjs';

const CLIENT_RATE_PER_MINUTE = 90;
/** Candidates of the generated database besides the one per extra row: they apply to several jobs each. */
const CANDIDATES = 400;

const run = runCli;

async function must(dir, cliArgs, input) {
  const result = await run(dir, cliArgs, input);
  if (result.code !== 0) throw new Error(`apriora ${cliArgs.join(' ')} exited ${result.code}:\n${result.stderr}`);
  return result;
}

/** A database with exactly `openJobs` open jobs (9 in every 12 of the seed's jobs are open) and `rows` applicant rows. */
function benchSeed(openJobs, rows) {
  const options = { candidates: CANDIDATES };
  const openOf = (seed) => {
    const states = new Map(seed.settings.opportunityStatuses.map((status) => [status.Name, status.State]));
    return seed.jobs.filter((job) => states.get(job.status) === 'open').length;
  };
  let jobs = Math.floor((openJobs * 12) / 9);
  while (openOf(generateTrackerSeed({ ...options, jobs })) < openJobs) jobs++;
  const probe = generateTrackerSeed({ ...options, jobs });
  const seed = generateTrackerSeed({ ...options, jobs, extraApplicants: Math.max(0, rows - probe.applications.length) });
  return { seed, open: openOf(seed) };
}

/** One `automations run --once`, measured. */
async function cycle(dir, sandbox) {
  const invitationsBefore = sandbox.apriora.invitations.length;
  const baseline = new Map(sandbox.requestTotals);
  const result = await run(dir, ['automations', 'run', '--once', '--json']);
  if (result.code !== 0) throw new Error(`automations run --once exited ${result.code}:\n${result.stderr}\n${result.stdout.slice(-2000)}`);
  const lines = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  const summary = lines.find((line) => line.cycle)?.cycle;
  const requests = countRequests(sandbox, baseline);
  return { summary, wallMs: result.ms, invitations: sandbox.apriora.invitations.length - invitationsBefore, ...requests };
}

/**
 * The scenario: set up (not measured), then the first cycle and an idle cycle.
 * Returns { open, rows, first, idle } (each cycle: summary, wallMs, invitations, byApi, byOp, http429).
 */
export async function automationsScenario({ openJobs = 1000, rows = 5000, latencyMs = 25 } = {}) {
  const { seed, open } = benchSeed(openJobs, rows);
  const sandbox = await startSandbox({ port: 0, seed });
  const dir = mkdtempSync(join(tmpdir(), 'apriora-bench-'));
  try {
    const { apiKey, password, username, aprioraApiKey, restToken } = sandbox.credentials;
    // No client rate limit for the measurement: the time at 90/min is computed from the counts.
    await must(
      dir,
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
        '--rate-limit',
        '100000',
      ],
      `${apiKey}\n${password}\n${restToken}\n`,
    );
    await must(dir, ['login', '--sandbox', '--base-url', sandbox.aprioraUrl, '--api-key-stdin', '--modality', 'phone'], `${aprioraApiKey}\n`);
    await must(dir, ['tracker', 'fields', 'map', '--auto']);
    await must(dir, ['interview', 'generate', '--all-open', '--concurrency', '8', '--json']);
    await must(dir, ['automations', 'enable', 'invites', '--trigger-status', 'Applied', '--delay', '0', '--yes', '--json']);
    await must(dir, ['automations', 'enable', 'interviews', '--modality', 'phone', '--yes', '--json']);
    const totalRows = sandbox.tracker.applicantRows().length;
    sandbox.faults.configure({ latencyMs });
    const first = await cycle(dir, sandbox);
    const idle = await cycle(dir, sandbox);
    sandbox.faults.clear();
    return { open, rows: totalRows, latencyMs, first, idle };
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;
const atRate = (requests) => {
  const ms = (requests / CLIENT_RATE_PER_MINUTE) * 60_000;
  return ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${(ms / 1000).toFixed(1)} s`;
};

export function printAutomations(s, { byOp = false } = {}) {
  console.log(
    `automations run --once: ${s.open.toLocaleString('en')} open jobs (each with its interview, made beforehand), ` +
      `${s.rows.toLocaleString('en')} applicant rows; invites (Applied, no delay) and interview creation enabled; ` +
      `latency ${s.latencyMs} ms, no client rate limit`,
  );
  for (const [name, c] of [
    ['first cycle', s.first],
    ['idle cycle ', s.idle],
  ]) {
    const tracker = c.byApi.tracker + c.byApi['tracker-rest'];
    const sum = c.summary ?? {};
    console.log(
      `  ${name}: Widget ${c.byApi.tracker}, REST ${c.byApi['tracker-rest']}, Apriora ${c.byApi.apriora}; ` +
        `${c.invitations} invitations (${sum.skipped ?? '?'} skipped, ${sum.rowsRead ?? '?'} rows read${sum.fullScan ? ', full scan' : ''}); ` +
        `wall ${seconds(c.wallMs)}; Tracker at ${CLIENT_RATE_PER_MINUTE}/min ≥ ${atRate(tracker)}; 429s ${c.http429}`,
    );
    if (byOp) console.log(`    by operation: ${JSON.stringify(c.byOp)}`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
  const s = await automationsScenario({ openJobs: option('--open-jobs', 1000), rows: option('--rows', 5000), latencyMs: option('--latency', 25) });
  printAutomations(s, { byOp: args.includes('--by-op') });
}
