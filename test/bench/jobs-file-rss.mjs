// Peak RSS of `apriora interview generate --jobs-file <big file> --dry-run` against the sandbox (goal: < 150 MB for a
// 50 MB file). The run does one Tracker read per id, so it is measured over a bounded time: the first pass over the
// whole file (which checks and counts every line), then the run itself until --seconds have passed since the start;
// then SIGINT, as Ctrl-C would: the CLI stops cleanly, prints what it did and exits 130. The figure is the CLI
// process's own peak (process.resourceUsage().maxRSS at exit), which covers both passes, the run and the final report.
//
// Two scenarios, each one run, both the command exactly as a user types it (table output):
//  1. a profile at the default Tracker rate limit (90 requests a minute): what reading the file costs;
//  2. a profile allowing 10,000 Tracker requests a minute (over 100 times Tracker's real limit) against the sandbox
//     without latency: the file streamed through a run that keeps going, every item kept for the final table.
// With --fast, a third: 1,000,000 requests a minute and --output ndjson, as fast as this machine goes. Its peak grows
// with the run, not with the file: the client-side rate limiter remembers each request of the last minute (to never
// exceed the limit over any 60 s), which at a real limit is at most a few hundred.
// Usage: npm run build && node test/bench/jobs-file-rss.mjs [--mb 50] [--seconds 60] [--file /tmp/apriora-jobs-50mb.txt] [--fast]
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTrackerSeed, startSandbox } from '../../dist/sandbox/index.js';

const BIN = fileURLToPath(new URL('../../bin/apriora.js', import.meta.url));
const RSS_HOOK = fileURLToPath(new URL('./fixtures/report-rss.mjs', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const megabytes = Number(option('--mb', 50));
const seconds = Number(option('--seconds', 60));
const file = option('--file', join(tmpdir(), `apriora-jobs-${megabytes}mb.txt`));
const JOBS = 2_000;

/**
 * `megabytes` of ids, one a line: the sandbox's jobs first (they exist), then distinct 8-digit ids in a scrambled
 * order (Tracker knows none of them: each is one read and a failed item), with a comment and a blank line now and then.
 */
async function writeJobsFile(path, firstIds) {
  const out = createWriteStream(path);
  const write = (text) => (out.write(text) ? undefined : new Promise((resolve) => out.once('drain', resolve)));
  const limit = megabytes * 1024 * 1024;
  let size = 0;
  let chunk = '# job ids exported for the interview generation benchmark\n';
  for (const id of firstIds) chunk += `${id}\n`;
  // A permutation of [0, span): 7,919 is prime and does not divide span.
  const span = 8_000_000;
  for (let i = 0; size + chunk.length < limit; i++) {
    chunk += `${10_000_000 + ((i * 7_919) % span)}\n`;
    if (i % 1000 === 999) chunk += i % 2000 === 1999 ? '\n' : '# next thousand\n';
    if (chunk.length > 1 << 16) {
      size += chunk.length;
      await write(chunk);
      chunk = '';
    }
  }
  await new Promise((resolve, reject) => out.end(chunk, (error) => (error ? reject(error) : resolve())));
}

function cli(dir, cliArgs, { input = '', stopAfterMs } = {}) {
  const rssFile = join(dir, `rss-${Date.now()}`);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', RSS_HOOK, BIN, ...cliArgs], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, APRIORA_CONFIG_DIR: dir, APRIORA_CREDENTIAL_STORE: 'file', CI: '1', BENCH_RSS_FILE: rssFile },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdoutBytes = 0;
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdoutBytes += chunk.length;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = stopAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGINT'), stopAfterMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const rssKb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : Number.NaN;
      resolve({ code, signal, ms: Date.now() - started, stdoutBytes, stderr, rssKb });
    });
    child.stdin.end(input);
  });
}

/** One measured run, with a new profile at `rateLimit`. */
async function measure({ title, rateLimit, extra }) {
  const dir = mkdtempSync(join(tmpdir(), 'apriora-bench-'));
  try {
    const { apiKey, password, username, aprioraApiKey } = sandbox.credentials;
    const limit = rateLimit === undefined ? [] : ['--rate-limit', String(rateLimit)];
    const tracker = await cli(
      dir,
      ['tracker', 'login', '--sandbox', '--base-url', sandbox.trackerUrl, '--username', username, '--api-key-stdin', '--password-stdin', ...limit],
      { input: `${apiKey}\n${password}\n` },
    );
    const apriora = await cli(dir, ['login', '--sandbox', '--base-url', sandbox.aprioraUrl, '--api-key-stdin', '--modality', 'phone'], {
      input: `${aprioraApiKey}\n`,
    });
    if (tracker.code !== 0 || apriora.code !== 0) throw new Error(`login failed:\n${tracker.stderr}${apriora.stderr}`);

    const trackerReads = () => [...sandbox.requestTotals].filter(([key]) => key.startsWith('tracker getIndividualRecord')).reduce((sum, [, n]) => sum + n, 0);
    const before = trackerReads();
    let firstRead;
    const watch = setInterval(() => {
      if (firstRead === undefined && trackerReads() > before) firstRead = Date.now();
    }, 20);
    const started = Date.now();
    const command = ['interview', 'generate', '--jobs-file', file, '--dry-run', ...extra];
    const result = await cli(dir, command, { stopAfterMs: seconds * 1000 });
    clearInterval(watch);

    console.log(`${title}:`);
    console.log(`  apriora ${command.join(' ')}`);
    console.log(`  first pass (check and count every line) until the first Tracker read: ${firstRead ? ((firstRead - started) / 1000).toFixed(1) : '-'} s`);
    console.log(
      `  SIGINT after ${seconds} s: exit ${result.code} after ${(result.ms / 1000).toFixed(1)} s; ` +
        `jobs read from Tracker: ${(trackerReads() - before).toLocaleString('en')}; output ${(result.stdoutBytes / 1024 / 1024).toFixed(1)} MB`,
    );
    const notes = result.stderr.split('\n').filter((line) => /Warning|Error/.test(line));
    console.log(`  stderr: ${notes.join(' | ')}`);
    console.log(`  peak RSS of the CLI process: ${(result.rssKb / 1024).toFixed(1)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sandbox = await startSandbox({ port: 0, seed: generateTrackerSeed({ jobs: JOBS }) });
try {
  if (!existsSync(file) || Math.abs(statSync(file).size - megabytes * 1024 * 1024) > 1024 * 1024) {
    await writeJobsFile(
      file,
      sandbox.tracker.jobs.map((job) => job.id),
    );
  }
  const lines = readFileSync(file, 'latin1').split('\n').length - 1;
  console.log(`jobs file ${file}: ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB, ${lines.toLocaleString('en')} lines`);
  const scenarios = [
    { title: 'profile at the default rate limit (90 Tracker requests a minute)', rateLimit: undefined, extra: [] },
    { title: 'sandbox without latency, profile at 10,000 Tracker requests a minute', rateLimit: 10_000, extra: [] },
  ];
  if (args.includes('--fast')) {
    scenarios.push({
      title: 'sandbox without latency, profile at 1,000,000 Tracker requests a minute, ndjson',
      rateLimit: 1_000_000,
      extra: ['--output', 'ndjson'],
    });
  }
  for (const scenario of scenarios) await measure(scenario);
} finally {
  await sandbox.close();
}
