import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateTrackerSeed, type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { BIN, type CliResult, CliSandbox, expectEnvelope } from './harness.js';

/**
 * The built CLI as a real process, for what only a process shows: what start-up loads, signals, secrets through a
 * real pipe, a reader that closes the pipe early, two processes at once. Everything else is tested in this process
 * (test/cli).
 */

const SEEDS = {
  /** 60 jobs, 45 of them open. */
  base: generateTrackerSeed({ jobs: 60 }),
  /** 270 jobs, 203 open: long enough to interrupt. */
  many: generateTrackerSeed({ jobs: 270 }),
};

let sandbox: RunningSandbox;
let cli: CliSandbox;

interface Item {
  jobId: number;
  positionId: string | null;
  status: 'created' | 'exists' | 'updated' | 'skipped' | 'failed';
}

function trackerLogin(): Promise<CliResult> {
  const { apiKey, password, username } = sandbox.credentials;
  return cli.run(['tracker', 'login', '--base-url', sandbox.trackerUrl, '--sandbox', '--username', username, '--api-key-stdin', '--password-stdin', '--json'], {
    input: `${apiKey}\n${password}\n`,
  });
}

function aprioraLogin(): Promise<CliResult> {
  return cli.run(['login', '--sandbox', '--base-url', sandbox.aprioraUrl, '--api-key-stdin', '--modality', 'phone', '--json'], {
    input: `${sandbox.credentials.aprioraApiKey}\n`,
  });
}

async function loggedIn(): Promise<void> {
  const tracker = await trackerLogin();
  expect(tracker.code, tracker.stderr).toBe(0);
  const apriora = await aprioraLogin();
  expect(apriora.code, apriora.stderr).toBe(0);
}

const ndjson = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
const trackerPositions = () => sandbox.apriora.positions.filter((position) => position.externalSource === 'tracker');
const openJobIds = () => sandbox.tracker.jobs.filter((job) => sandbox.tracker.jobState(job) === 'open').map((job) => job.id);

function expectOnePositionPerJob(jobIds: number[]) {
  const counts = new Map<number, number>();
  for (const position of trackerPositions()) counts.set(Number(position.externalId), (counts.get(Number(position.externalId)) ?? 0) + 1);
  expect([...counts.keys()].sort()).toEqual([...jobIds].sort());
  expect([...counts.values()].every((count) => count === 1)).toBe(true);
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: SEEDS.base });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.reset();
  cli = new CliSandbox();
});
afterEach(() => cli.cleanup());

describe('start-up', () => {
  const trace = ['--import', join(__dirname, 'fixtures', 'trace-imports.mjs')];
  /** What a command that has no request to make never needs: validators, the keychain, locks, colours off a terminal. */
  const HEAVY_PACKAGES =
    /\/node_modules\/(zod|@napi-rs|proper-lockfile|graceful-fs|picocolors|html-to-text|cli-table3|@inquirer|csv-parse|p-throttle|libphonenumber-js)\//;
  const loadedBy = (result: CliResult) => result.stderr.split('\n').filter((line) => line.startsWith('[loaded]'));

  it('--version and --help exit 0 and load only the definitions they show, never a client, store or workflow', async () => {
    // `--no-color` first: not a help page rendered at build time, so commander renders it.
    const cases: [string[], string[]][] = [
      [['--version'], []],
      [
        ['--no-color', '--help'],
        ['login', 'logout', 'status', 'doctor', 'onboard', 'smoke', 'completion', 'help'],
      ],
      [['--no-color', 'tracker', 'login', '--help'], ['tracker/login']],
      [['--no-color', 'tracker', 'fields', 'map', '--help'], ['tracker/fields/map']],
      [['--no-color', 'interview', 'generate', '--help'], ['interview/generate']],
      [['--no-color', 'activity', 'listen', '--help'], ['activity/listen']],
    ];
    for (const [args, commands] of cases) {
      const result = await cli.run(args, { extraNodeArgs: trace });
      expect(result.code).toBe(0);
      const loaded = loadedBy(result);
      expect(loaded.some((line) => line.includes('/dist/cli/main.js'))).toBe(true);
      expect(loaded.filter((line) => /\/dist\/(tracker|apriora|store|sandbox|http|workflows|webhooks)\//.test(line))).toEqual([]);
      expect(loaded.filter((line) => HEAVY_PACKAGES.test(line))).toEqual([]);
      const commandFiles = loaded.map((line) => /\/dist\/commands\/(.+)\.js$/.exec(line)?.[1]).filter(Boolean);
      expect(commandFiles.sort()).toEqual([...commands].sort());
    }
    const run = await cli.run(['tracker', 'support-request', 'credentials'], { extraNodeArgs: trace });
    expect(run.stderr).toContain('/dist/commands/tracker/support-request.js');
  });

  it('off a terminal, every `<command words> --help` prints the page rendered at build time, as commander would, without loading it', async () => {
    const pages = JSON.parse(readFileSync(join(BIN, '..', '..', 'dist', 'cli', 'help-pages.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(pages)).toEqual(expect.arrayContaining(['', 'tracker', 'tracker login', 'interview generate', 'activity listen', 'sandbox start']));
    for (const [key, page] of Object.entries(pages)) {
      const words = key ? key.split(' ') : [];
      const [fast, rendered] = await Promise.all([cli.run([...words, '--help'], { extraNodeArgs: trace }), cli.run(['--no-color', ...words, '-h'])]);
      expect(fast.code, key).toBe(0);
      expect(fast.stdout, key).toBe(page);
      expect(rendered.stdout, key).toBe(page);
      expect(loadedBy(fast).filter((line) => /\/node_modules\/|\/dist\/(?!cli\/(main|help-pages)\.js)/.test(line))).toEqual([]);
    }
    // Anything else on the line goes to commander: the unknown option is a usage error, not the page.
    const other = await cli.run(['tracker', 'login', '--bogus', '--help']);
    expect(other.stdout).toBe(pages['tracker login']);
  });

  it('status without anything to ask a server reads the profile without zod, and loads no keychain, client or lock', async () => {
    // No profile, and the keychain as the default store: the keychain is not asked.
    const none = await cli.run(['status', '--json'], { extraNodeArgs: trace, env: { APRIORA_CREDENTIAL_STORE: undefined } });
    expect(none.code).toBe(4);
    expect(expectEnvelope(none, false).error).toMatchObject({ code: 'not_logged_in', message: 'Not logged in: there is no profile "default"' });
    // A sandbox profile whose secrets are not stored (file store): read, validated, and reported as logged out.
    const profile = { sandbox: true, credentialStore: 'file', tracker: { baseUrl: 'http://127.0.0.1:9', username: 'api@acme.test', rateLimitPerMinute: 60 } };
    writeFileSync(join(cli.configDir, 'config.json'), JSON.stringify({ profiles: { default: profile } }), { mode: 0o600 });
    const loggedOut = await cli.run(['status', '--json'], { extraNodeArgs: trace });
    expect(loggedOut.code).toBe(4);
    expect(loggedOut.json().data).toMatchObject({
      sandbox: true,
      credentialStore: 'file',
      tracker: { host: 'http://127.0.0.1:9', username: 'api@acme.test', logon: { ok: false, error: { code: 'not_logged_in' } } },
      apriora: { apiKeySource: null },
    });
    for (const result of [none, loggedOut]) {
      const loaded = loadedBy(result);
      expect(loaded.some((line) => line.includes('/dist/store/profiles.js'))).toBe(true);
      expect(loaded.filter((line) => HEAVY_PACKAGES.test(line))).toEqual([]);
      expect(
        loaded.filter((line) =>
          /\/dist\/(http|webhooks|sandbox)\/|\/dist\/(tracker|apriora)\/(client|rest|rest-auth|widget|schemas|partner)\.js|\/write-lock\.js/.test(line),
        ),
      ).toEqual([]);
    }
    // The same profile with colour on a terminal's behalf: only then is picocolors loaded.
    const coloured = await cli.run(['status'], { extraNodeArgs: trace, env: { FORCE_COLOR: '1' } });
    expect(loadedBy(coloured).some((line) => line.includes('/node_modules/picocolors/'))).toBe(true);
  });
});

describe('pipes', () => {
  it('secrets piped through a real stdin are verified and stored, in no output', async () => {
    const tracker = await trackerLogin();
    expect(tracker.code, tracker.stderr).toBe(0);
    expect(expectEnvelope(tracker, true).data).toMatchObject({ username: sandbox.credentials.username, credentialStore: 'file' });
    const apriora = await aprioraLogin();
    expect(apriora.code, apriora.stderr).toBe(0);
    const credentialsFile = join(cli.configDir, 'credentials.json');
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600);
    const { apiKey, password, aprioraApiKey } = sandbox.credentials;
    expect(JSON.parse(readFileSync(credentialsFile, 'utf8')).secrets).toEqual({
      'default/tracker.apiKey': apiKey,
      'default/tracker.password': password,
      'default/apriora.apiKey': aprioraApiKey,
    });
    for (const result of [tracker, apriora]) {
      for (const secret of [apiKey, password, aprioraApiKey]) expect(result.stdout + result.stderr).not.toContain(secret);
    }
  });

  it('a reader that closes the pipe early (| head -1) ends the command quietly', async () => {
    expect((await trackerLogin()).code).toBe(0);
    const child = spawn(process.execPath, [BIN, 'tracker', 'jobs', 'list', '--state', 'all', '--output', 'ndjson', '--page-size', '10'], { env: cli.env() });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const [code] = await once(child, 'close');
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('signals', () => {
  it('Ctrl-C stops interview generate cleanly (exit 130, what was done reported); a re-run completes the rest without duplicates', async () => {
    await loggedIn();
    sandbox.reset(SEEDS.many);
    const open = openJobIds();
    expect(open.length).toBeGreaterThan(200);
    sandbox.faults.configure({ latencyMs: 50 });

    const run = cli.start(['interview', 'generate', '--all-open', '--concurrency', '2', '--output', 'ndjson']);
    await run.until((stdout) => stdout.includes('\n'));
    run.child.kill('SIGINT');
    const interrupted = await run.done;
    expect(interrupted.code, interrupted.stderr).toBe(130);
    const lines = ndjson(interrupted.stdout);
    const summary = lines.at(-1);
    expect(summary).toMatchObject({ summary: { failed: 0 }, error: { code: 'interrupted' } });
    const items = lines.slice(0, -1) as Item[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThan(open.length);
    expect(summary.summary.total).toBe(items.length);
    expect(items.every((item) => item.status === 'created')).toBe(true);
    // Every position the run made was reported, and no other exists.
    expect(
      trackerPositions()
        .map((position) => Number(position.externalId))
        .sort(),
    ).toEqual(items.map((item) => item.jobId).sort());

    sandbox.faults.configure({ latencyMs: 0 });
    const rerun = await cli.run(['interview', 'generate', '--all-open', '--concurrency', '8', '--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const summaryAfter = rerun.json().data.summary;
    expect(summaryAfter).toMatchObject({ total: open.length, exists: items.length, created: open.length - items.length, failed: 0 });
    expectOnePositionPerJob(open);
  });

  it('a second Ctrl-C while stopping exits 130 at once, saying that work may be unfinished and how to finish it', async () => {
    await loggedIn();
    sandbox.reset(SEEDS.many);
    // Slow enough that the first Ctrl-C's clean stop (the jobs under way finishing) is still going on at the second.
    sandbox.faults.configure({ latencyMs: 600 });
    const run = cli.start(['interview', 'generate', '--all-open', '--concurrency', '2', '--output', 'ndjson']);
    await run.until((stdout) => stdout.includes('\n'));
    run.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 100));
    run.child.kill('SIGINT');
    const stopped = await run.done;
    // The requests it left under way still land: let them, before the next test resets the sandbox.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    sandbox.faults.configure({ latencyMs: 0 });
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(
      '\nInterrupted again: stopping now, some work may be unfinished. Run the same command again to finish it: what was done is found, not repeated.\n',
    );
  });

  it('SIGTERM stops sandbox start: the server closes and the exit code is 0', async () => {
    const run = cli.start(['sandbox', 'start', '--port', '0', '--json']);
    const { adminUrl } = JSON.parse(await waitForLine(run)).data;
    expect((await fetch(`${adminUrl}/health`)).status).toBe(200);
    run.child.kill('SIGTERM');
    const stopped = await run.done;
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stderr).toBe('');
    await expect(fetch(`${adminUrl}/health`)).rejects.toThrow();
  });
});

/** The first line a running CLI printed on stdout. */
async function waitForLine(run: ReturnType<CliSandbox['start']>): Promise<string> {
  let line = '';
  await run.until((stdout) => {
    line = stdout.split('\n')[0] ?? '';
    return stdout.includes('\n');
  });
  return line;
}

describe('jobs from a pipe', () => {
  it('ids are processed as they arrive: the first job is reported while the pipe is still open', async () => {
    await loggedIn();
    const [a, b] = openJobIds();
    const run = cli.start(['interview', 'generate', '--jobs-file', '-', '--output', 'ndjson'], { input: `# from a feed\n${a}\n`, stdinOpen: true });
    let first = '';
    await run.until((stdout) => {
      first = stdout;
      return stdout.includes('\n');
    });
    expect(JSON.parse(first.split('\n')[0]!)).toMatchObject({ jobId: a, status: 'created' });
    run.child.stdin?.end(`${b}\n${a}\n`);
    const result = await run.done;
    expect(result.code, result.stderr).toBe(0);
    const lines = ndjson(result.stdout);
    expect(lines.slice(0, -1).map((item: Item) => [item.jobId, item.status])).toEqual([
      [a, 'created'],
      [b, 'created'],
    ]);
    expect(lines.at(-1)).toEqual({ summary: expect.objectContaining({ total: 2, created: 2 }) });
    expectOnePositionPerJob([a!, b!]);
  });

  it('a run that fails before reading all of stdin exits at once, even though its writer keeps the pipe open', async () => {
    // Not logged in: exit 4 after the first id was read; the rest of stdin is never needed.
    const run = cli.start(['interview', 'generate', '--jobs-file', '-'], { input: '3101\n', stdinOpen: true });
    const result = await run.done;
    expect(result.code).toBe(4);
    expect(run.child.stdin?.writableEnded).toBe(false);
    run.child.stdin?.destroy();
  });
});

describe('concurrent processes', () => {
  it('two concurrent runs over the same 50 jobs create exactly one position per job', async () => {
    await loggedIn();
    const ids = sandbox.tracker.jobs.slice(0, 50).map((job) => job.id);
    const file = join(cli.configDir, 'jobs-50.txt');
    writeFileSync(file, `${ids.join('\n')}\n`);
    const args = ['interview', 'generate', '--jobs-file', file, '--concurrency', '8', '--json'];
    const results = await Promise.all([cli.run(args), cli.run(args)]);
    for (const result of results) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.json().data.items).toHaveLength(50);
    }
    expect(sandbox.apriora.positions).toHaveLength(50);
    expectOnePositionPerJob(ids);

    const statuses = new Map<number, string[]>();
    for (const result of results) {
      for (const item of result.json().data.items as Item[]) statuses.set(item.jobId, [...(statuses.get(item.jobId) ?? []), item.status]);
    }
    expect([...statuses.keys()].sort()).toEqual([...ids].sort());
    for (const [jobId, seen] of statuses) expect(seen.sort(), `job ${jobId}`).toEqual(['created', 'exists']);
    const positionOf = new Map(sandbox.apriora.positions.map((position) => [Number(position.externalId), position.positionId]));
    for (const result of results) {
      for (const item of result.json().data.items as Item[]) expect(item.positionId).toBe(positionOf.get(item.jobId));
    }
  });
});
