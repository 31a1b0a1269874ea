import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateTrackerSeed, type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';
import { type CliResult, CliSandbox, expectEnvelope } from './harness.js';

/**
 * End-to-end: the built CLI against one in-process sandbox (Tracker and Apriora emulators). What is asserted is what
 * users rely on: exit codes, the JSON envelope, and the records that end up in the sandbox.
 */

const SEEDS = {
  /** 60 jobs, 45 of them open: the default of this file. */
  base: generateTrackerSeed({ jobs: 60 }),
  /** 40 jobs, 31 open: a bulk run under injected faults stays short. */
  faults: generateTrackerSeed({ jobs: 40 }),
  /** 270 jobs, 203 open: long enough to interrupt. */
  many: generateTrackerSeed({ jobs: 270 }),
};

let sandbox: RunningSandbox;

const secrets = () => {
  const { apiKey, password, username, aprioraApiKey } = sandbox.credentials;
  return [apiKey, password, aprioraApiKey, Buffer.from(`${username}:${password}`).toString('base64')];
};

function trackerLogin(cli: CliSandbox): Promise<CliResult> {
  const { apiKey, password, username } = sandbox.credentials;
  return cli.run(['tracker', 'login', '--base-url', sandbox.trackerUrl, '--sandbox', '--username', username, '--api-key-stdin', '--password-stdin'], {
    input: `${apiKey}\n${password}\n`,
  });
}

function aprioraLogin(cli: CliSandbox, extra: string[] = [], key = sandbox.credentials.aprioraApiKey): Promise<CliResult> {
  return cli.run(['login', '--sandbox', '--base-url', sandbox.aprioraUrl, '--api-key-stdin', ...extra], { input: `${key}\n` });
}

/** A throwaway CLI logged in to both sandboxes. */
async function loggedIn(aprioraFlags: string[] = ['--modality', 'phone']): Promise<CliSandbox> {
  const cli = new CliSandbox();
  const tracker = await trackerLogin(cli);
  expect(tracker.code, tracker.stderr).toBe(0);
  const apriora = await aprioraLogin(cli, aprioraFlags);
  expect(apriora.code, apriora.stderr).toBe(0);
  return cli;
}

function expectNoSecrets(results: CliResult[]) {
  for (const result of results) {
    for (const secret of secrets()) {
      expect(result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
    }
  }
}

const ndjson = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
const requestsFor = (op: string) => sandbox.requests.filter((request) => request.op === op);
const writes = () => sandbox.requests.filter((request) => request.api === 'apriora' && request.method !== 'GET');
const trackerPositions = () => sandbox.apriora.positions.filter((position) => position.externalSource === 'tracker');
const openJobIds = () => sandbox.tracker.jobs.filter((job) => sandbox.tracker.jobState(job) === 'open').map((job) => job.id);

/** How many positions each Tracker job id is linked to. */
function positionsPerJob(): Map<number, number> {
  const counts = new Map<number, number>();
  for (const position of trackerPositions()) counts.set(Number(position.externalId), (counts.get(Number(position.externalId)) ?? 0) + 1);
  return counts;
}

function expectOnePositionPerJob(jobIds: number[]) {
  const counts = positionsPerJob();
  expect([...counts.keys()].sort()).toEqual([...jobIds].sort());
  expect([...counts.values()].every((count) => count === 1)).toBe(true);
}

const decode = (html: string) =>
  html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

interface Item {
  jobId: number;
  title: string | null;
  positionId: string | null;
  interviewUrl: string | null;
  status: 'created' | 'exists' | 'updated' | 'skipped' | 'failed';
  error?: { code: string; message: string };
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: SEEDS.base });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.reset();
});

describe('apriora login / status', () => {
  let cli: CliSandbox;
  beforeEach(() => {
    cli = new CliSandbox();
  });
  afterEach(() => cli.cleanup());

  it('a good key is verified and stored (not in config.json); status shows both connections working', async () => {
    expect((await trackerLogin(cli)).code).toBe(0);
    const result = await aprioraLogin(cli, ['--modality', 'phone', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(expectEnvelope(result, true).data).toEqual({
      profile: 'default',
      host: sandbox.aprioraUrl,
      credentialStore: 'file',
      defaultModality: 'phone',
    });
    expect(requestsFor('GET /templates')).toHaveLength(1);

    const config = readFileSync(join(cli.configDir, 'config.json'), 'utf8');
    expect(config).not.toContain(sandbox.credentials.aprioraApiKey);
    expect(JSON.parse(config).profiles.default.apriora).toEqual({ baseUrl: sandbox.aprioraUrl, defaultModality: 'phone' });
    const stored = JSON.parse(readFileSync(join(cli.configDir, 'credentials.json'), 'utf8'));
    expect(stored.secrets['default/apriora.apiKey']).toBe(sandbox.credentials.aprioraApiKey);

    const status = await cli.run(['status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(expectEnvelope(status, true).data).toMatchObject({
      profile: 'default',
      sandbox: true,
      credentialStore: 'file',
      tracker: { host: sandbox.trackerUrl, logon: { ok: true }, credentialSources: { apiKey: 'file', password: 'file' } },
      apriora: {
        host: sandbox.aprioraUrl,
        apiKeySource: 'file',
        auth: { ok: true },
        defaultModality: 'phone',
        trackerIntegration: { hasCredentials: false },
      },
    });
    const human = await cli.run(['status']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Key\s+✓ accepted by Apriora/);
    expectNoSecrets([result, status, human]);
  });

  it('a rejected key is exit 4 and stores nothing', async () => {
    const json = await aprioraLogin(cli, ['--json'], 'not-the-apriora-key');
    expect(json.code).toBe(4);
    expect(expectEnvelope(json, false).error.code).toBe('apriora_unauthorized');
    expect(existsSync(join(cli.configDir, 'credentials.json'))).toBe(false);
    expect(existsSync(join(cli.configDir, 'config.json'))).toBe(false);

    // With a Tracker login in place, the profile stays as it was.
    expect((await trackerLogin(cli)).code).toBe(0);
    const configBefore = readFileSync(join(cli.configDir, 'config.json'), 'utf8');
    const human = await aprioraLogin(cli, ['--modality', 'video'], 'not-the-apriora-key');
    expect(human.code).toBe(4);
    expect(human.stderr).toMatch(/^Error: Apriora rejected the API key/m);
    expect(human.stderr).toMatch(/^Try: /m);
    const stored = JSON.parse(readFileSync(join(cli.configDir, 'credentials.json'), 'utf8'));
    expect(Object.keys(stored.secrets).sort()).toEqual(['default/tracker.apiKey', 'default/tracker.password']);
    expect(readFileSync(join(cli.configDir, 'config.json'), 'utf8')).toBe(configBefore);
    for (const result of [json, human]) expect(result.stdout + result.stderr).not.toContain('not-the-apriora-key');
  });

  it('status without an Apriora login is exit 4 and says how to log in', async () => {
    expect((await trackerLogin(cli)).code).toBe(0);
    const json = await cli.run(['status', '--json']);
    expect(json.code).toBe(4);
    const document = expectEnvelope(json, false);
    expect(document.error).toMatchObject({ code: 'not_logged_in', hint: 'apriora login' });
    expect(document.data).toMatchObject({ tracker: { logon: { ok: true } }, apriora: { apiKeySource: null, auth: { ok: false } } });
    const human = await cli.run(['status']);
    expect(human.code).toBe(4);
    expect(human.stderr).toMatch(/^Error: Not logged in to Apriora/m);
    expect(human.stderr).toMatch(/^Try: apriora login/m);
  });
});

describe('apriora tracker connect', () => {
  let cli: CliSandbox;
  beforeEach(async () => {
    cli = await loggedIn();
  });
  afterEach(() => cli.cleanup());

  it('needs a field map, masks secrets in --dry-run, then hands Apriora the Tracker credentials and field ids', async () => {
    const unmapped = await cli.run(['tracker', 'connect', '--json', '--debug']);
    expect(unmapped.code).toBe(2);
    expect(expectEnvelope(unmapped, false).error).toMatchObject({ code: 'field_map_missing', hint: 'apriora tracker fields map' });
    expect((await cli.run(['tracker', 'fields', 'map', '--auto'])).code).toBe(0);
    const fieldMap = JSON.parse(readFileSync(join(cli.configDir, 'config.json'), 'utf8')).profiles.default.tracker.fieldMap as Record<string, string>;
    const activityFields = Object.fromEntries(Object.entries(fieldMap).map(([key, id]) => [key, Number(id)]));
    expect(Object.keys(activityFields).sort()).toEqual(['feedback', 'gradingCriteria', 'overallScore', 'reportLink']);
    sandbox.requests.length = 0;

    const dryRun = await cli.run(['tracker', 'connect', '--dry-run', '--json', '--debug']);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(expectEnvelope(dryRun, true).data).toEqual({
      dryRun: true,
      apriora: sandbox.aprioraUrl,
      wouldSend: {
        credentials: { apiKey: '***', username: sandbox.credentials.username, password: '***', region: null },
        activityType: 'Apriora Interview',
        activityFields,
      },
    });
    const humanDryRun = await cli.run(['tracker', 'connect', '--dry-run']);
    expect(humanDryRun.code).toBe(0);
    expect(humanDryRun.stdout).toMatch(/API Key\s+\*\*\*/);
    expect(humanDryRun.stdout).toMatch(/Dry run: nothing sent/);
    expect(requestsFor('PATCH /integrations/tracker')).toEqual([]);
    expect(sandbox.apriora.integration().hasCredentials).toBe(false);
    expect(sandbox.apriora.storedTrackerCredentials()).toBeNull();

    const real = await cli.run(['tracker', 'connect', '--json', '--debug']);
    expect(real.code, real.stderr).toBe(0);
    expect(expectEnvelope(real, true).data).toMatchObject({
      dryRun: false,
      sent: { credentials: { apiKey: '***', password: '***' } },
      integration: { hasCredentials: true, activityFields },
    });
    expect(real.stderr).toMatch(/\[debug\] -> PATCH .*\/integrations\/tracker/);
    expect(requestsFor('PATCH /integrations/tracker')).toHaveLength(1);
    const { apiKey, username, password } = sandbox.credentials;
    expect(sandbox.apriora.storedTrackerCredentials()).toEqual({ apiKey, username, password, region: null });
    expect(sandbox.apriora.integration()).toMatchObject({ hasCredentials: true, username, activityType: 'Apriora Interview', activityFields });

    const human = await cli.run(['tracker', 'connect', '--debug']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`now holds the credentials of ${username}`);
    const status = await cli.run(['status', '--json']);
    expect(status.json().data.apriora.trackerIntegration).toEqual({ hasCredentials: true, activityFieldsComplete: true });

    expectNoSecrets([unmapped, dryRun, humanDryRun, real, human, status]);
  });
});

describe('apriora interview generate', () => {
  let cli: CliSandbox;
  beforeAll(async () => {
    cli = await loggedIn();
  });
  afterAll(() => cli.cleanup());

  const generate = (...args: string[]) => cli.run(['interview', 'generate', ...args]);

  it('--job creates one position from the Tracker job; again: exists; --update: updated; --dry-run writes nothing', async () => {
    const job = sandbox.tracker.job(openJobIds()[0]!)!;
    const result = await generate('--job', String(job.id), '--json');
    expect(result.code, result.stderr).toBe(0);
    const data = expectEnvelope(result, true).data;
    expect(data).toMatchObject({ dryRun: false, modality: 'phone', template: null, summary: { total: 1, created: 1, failed: 0 } });
    expect(data.items).toEqual([
      { jobId: job.id, title: job.title, positionId: expect.stringMatching(/^pos_/), interviewUrl: expect.stringMatching(/^https:\/\//), status: 'created' },
    ]);

    expect(sandbox.apriora.positions).toHaveLength(1);
    const position = sandbox.apriora.positions[0]!;
    expect(position).toMatchObject({
      positionId: data.items[0].positionId,
      interviewUrl: data.items[0].interviewUrl,
      title: job.title,
      location: job.location,
      modality: 'phone',
      externalSource: 'tracker',
      externalId: String(job.id),
      templateId: null,
    });
    expect(position.description).not.toMatch(/<\/?[a-z][^>]*>/i);
    const listItems = [...job.description.matchAll(/<li>(.*?)<\/li>/g)].map((match) => decode(match[1]!));
    expect(listItems.length).toBeGreaterThan(3);
    for (const text of listItems) expect(position.description).toContain(text);

    const again = await generate('--job', String(job.id), '--json');
    expect(again.code).toBe(0);
    expect(again.json().data.items).toEqual([expect.objectContaining({ jobId: job.id, status: 'exists', positionId: position.positionId })]);
    expect(sandbox.apriora.positions).toHaveLength(1);
    expect(requestsFor('POST /positions')).toHaveLength(1);

    // The job changed in Tracker: --update carries the change over to the one position.
    job.title = `${job.title} (night shift)`;
    const updated = await generate('--job', String(job.id), '--update', '--json');
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.json().data.items).toEqual([expect.objectContaining({ jobId: job.id, status: 'updated', positionId: position.positionId })]);
    expect(sandbox.apriora.positions).toHaveLength(1);
    expect(sandbox.apriora.positions[0]!.title).toBe(job.title);

    sandbox.requests.length = 0;
    const other = openJobIds()[1]!;
    const dryRun = await generate('--job', String(job.id), '--job', String(other), '--update', '--dry-run', '--json');
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.json().data).toMatchObject({ dryRun: true, summary: { total: 2, updated: 1, created: 1 } });
    expect(dryRun.json().data.items.map((item: Item) => [item.jobId, item.status])).toEqual([
      [job.id, 'updated'],
      [other, 'created'],
    ]);
    expect(writes()).toEqual([]);
    expect(sandbox.apriora.positions).toHaveLength(1);
  });

  it('two concurrent runs over the same 50 jobs create exactly one position per job', async () => {
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

  it('--all-open under injected faults links every open job exactly once; a re-run completes what failed', async () => {
    sandbox.reset(SEEDS.faults);
    const open = openJobIds();
    sandbox.faults.configure({ failRate: 0.3, kinds: ['5xx', '429', 'reset', 'after-commit'], seed: 7, retryAfterSeconds: 0 });
    // At least one create is committed and then answered with an error (both ways), whatever the random draws.
    sandbox.faults.push(
      { kind: 'after-commit', api: 'apriora', op: 'POST /positions', mode: '502' },
      { kind: 'after-commit', api: 'apriora', op: 'POST /positions', mode: 'reset' },
    );
    const first = await generate('--all-open', '--concurrency', '8', '--json');
    expect([0, 3, 5], first.stdout + first.stderr).toContain(first.code);

    const faulted = sandbox.requests.filter((request) => request.fault !== null);
    expect(new Set(faulted.map((request) => request.fault))).toEqual(new Set(['5xx', '429', 'reset', 'after-commit']));
    expect(requestsFor('POST /positions').filter((request) => request.fault === 'after-commit').length).toBeGreaterThanOrEqual(2);

    // Never a duplicate, even while faults are injected.
    expect([...positionsPerJob().values()].every((count) => count === 1)).toBe(true);
    const document = first.json();
    const items: Item[] = document.data?.items ?? [];
    expect(new Set(items.map((item) => item.jobId)).size).toBe(items.length);
    const positionOf = new Map(trackerPositions().map((position) => [Number(position.externalId), position.positionId]));
    for (const item of items.filter((each) => each.status !== 'failed')) {
      expect(item.status).toBe('created');
      expect(item.positionId).toBe(positionOf.get(item.jobId));
    }
    if (first.code === 0) {
      expect(items).toHaveLength(open.length);
    } else {
      expect(document.ok).toBe(false);
      sandbox.faults.clear();
      const rerun = await generate('--all-open', '--json');
      expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
      // What the first run linked (reported or not) is found; only the rest is created.
      for (const item of rerun.json().data.items as Item[]) {
        expect(item.status, `job ${item.jobId}`).toBe(positionOf.has(item.jobId) ? 'exists' : 'created');
      }
    }
    expectOnePositionPerJob(open);
  });

  it('a create whose retries run out is a failed item (exit 3), and a re-run creates it once', async () => {
    const [a, b] = openJobIds();
    // Every attempt of the one create fails before it is committed.
    sandbox.faults.push(...Array.from({ length: 3 }, () => ({ kind: '5xx' as const, api: 'apriora', op: 'POST /positions' })));
    const failed = await generate('--job', String(a), '--json');
    expect(failed.code).toBe(3);
    expect(failed.json().data.items).toEqual([
      expect.objectContaining({ jobId: a, status: 'failed', error: expect.objectContaining({ code: 'server_error' }) }),
    ]);
    expect(requestsFor('POST /positions')).toHaveLength(3);
    expect(sandbox.apriora.positions).toEqual([]);

    // A failure, then a commit whose answer is lost: the read-back finds the position instead of creating another.
    sandbox.faults.push({ kind: '5xx', api: 'apriora', op: 'POST /positions' }, { kind: 'after-commit', api: 'apriora', op: 'POST /positions', mode: 'reset' });
    const rerun = await generate('--job', String(a), '--job', String(b), '--concurrency', '1', '--json');
    expect(rerun.code, rerun.stdout).toBe(0);
    expect(rerun.json().data.items.map((item: Item) => [item.jobId, item.status])).toEqual([
      [a, 'created'],
      [b, 'created'],
    ]);
    expect(
      requestsFor('POST /positions')
        .slice(3)
        .map((request) => request.fault),
    ).toEqual(['5xx', 'after-commit', null]);
    expectOnePositionPerJob([a!, b!]);
  });

  it('a malformed --jobs-file is exit 2 naming the line, before anything is written; CSV and stdin work', async () => {
    const txt = join(cli.configDir, 'jobs.txt');
    writeFileSync(txt, '3101\n3102\nabc\n3104\n');
    const bad = await generate('--jobs-file', txt, '--json');
    expect(bad.code).toBe(2);
    expect(expectEnvelope(bad, false).error).toMatchObject({ code: 'invalid_job_id', message: expect.stringContaining('jobs.txt:3') });
    const human = await generate('--jobs-file', txt);
    expect(human.code).toBe(2);
    expect(human.stderr).toMatch(/^Error: .*jobs\.txt:3: "abc" is not a Tracker job id/m);

    const noColumn = join(cli.configDir, 'no-column.csv');
    writeFileSync(noColumn, 'id,title\n3101,Registered Nurse\n');
    const csvBad = await generate('--jobs-file', noColumn, '--json');
    expect(csvBad.code).toBe(2);
    expect(csvBad.json().error).toMatchObject({ code: 'invalid_csv', message: expect.stringContaining('job_id') });
    expect(writes()).toEqual([]);
    expect(sandbox.apriora.positions).toEqual([]);

    const csv = join(cli.configDir, 'jobs.csv');
    writeFileSync(csv, 'title,job_id\n"Nurse, ICU",3101\nDeveloper,3102\n');
    const fromCsv = await generate('--jobs-file', csv, '--json');
    expect(fromCsv.code, fromCsv.stderr).toBe(0);
    expect(fromCsv.json().data.items.map((item: Item) => [item.jobId, item.status])).toEqual([
      [3101, 'created'],
      [3102, 'created'],
    ]);

    const fromStdin = await cli.run(['interview', 'generate', '--jobs-file', '-', '--json'], { input: '# from a pipe\n3103\n\n3104\n3101\n' });
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect(fromStdin.json().data.items.map((item: Item) => [item.jobId, item.status])).toEqual([
      [3103, 'created'],
      [3104, 'created'],
      [3101, 'exists'],
    ]);
    expectOnePositionPerJob([3101, 3102, 3103, 3104]);
  });

  it('an unknown job among good ones is a failed item: exit 3, partial_failure, items in input order', async () => {
    const [a, b] = openJobIds();
    const result = await generate('--job', String(a), '--job', '999999', '--job', String(b), '--json');
    expect(result.code).toBe(3);
    const document = expectEnvelope(result, false);
    expect(document.error.code).toBe('partial_failure');
    expect(document.data.items).toEqual([
      expect.objectContaining({ jobId: a, status: 'created' }),
      {
        jobId: 999999,
        title: null,
        positionId: null,
        interviewUrl: null,
        status: 'failed',
        error: { code: 'job_not_found', message: expect.stringContaining('999999') },
      },
      expect.objectContaining({ jobId: b, status: 'created' }),
    ]);
    expect(document.data.summary).toMatchObject({ total: 3, created: 2, exists: 0, updated: 0, skipped: 0, failed: 1 });
    expectOnePositionPerJob([a!, b!]);

    const human = await generate('--job', String(a), '--job', '999999');
    expect(human.code).toBe(3);
    expect(human.stdout).toMatch(/failed: Tracker has no job with id 999999/);
    expect(human.stderr).toMatch(/^Error: 1 of 2 jobs failed/m);
  });

  it('--output ndjson streams one object per item and a final summary line', async () => {
    const ids = openJobIds().slice(0, 3);
    const result = await generate(...ids.flatMap((id) => ['--job', String(id)]), '--output', 'ndjson');
    expect(result.code, result.stderr).toBe(0);
    const lines = ndjson(result.stdout);
    expect(lines).toHaveLength(4);
    const items = lines.slice(0, 3) as Item[];
    expect(items.map((item) => item.jobId).sort()).toEqual([...ids].sort());
    expect(items.every((item) => item.status === 'created' && typeof item.positionId === 'string')).toBe(true);
    expect(lines[3]).toEqual({ summary: expect.objectContaining({ total: 3, created: 3, failed: 0 }) });
  });

  it('Ctrl-C stops cleanly (exit 130, what was done reported); a re-run completes the rest without duplicates', async () => {
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
    const rerun = await generate('--all-open', '--concurrency', '8', '--json');
    expect(rerun.code, rerun.stderr).toBe(0);
    const summaryAfter = rerun.json().data.summary;
    expect(summaryAfter).toMatchObject({ total: open.length, exists: items.length, created: open.length - items.length, failed: 0 });
    expectOnePositionPerJob(open);
  });

  it('interview list and show find the linked positions; a job without one is not_found with a hint', async () => {
    const [a, b, none] = openJobIds();
    expect((await generate('--job', String(a), '--job', String(b))).code).toBe(0);
    const positionOf = (jobId: number) => sandbox.apriora.positionByExternalId('tracker', String(jobId))!;

    const list = await cli.run(['interview', 'list', '--json']);
    expect(list.code, list.stderr).toBe(0);
    const listed = expectEnvelope(list, true).data;
    expect(listed.count).toBe(2);
    expect(listed.interviews.map((p: { positionId: string; externalId: string }) => [p.externalId, p.positionId]).sort()).toEqual(
      [
        [String(a), positionOf(a!).positionId],
        [String(b), positionOf(b!).positionId],
      ].sort(),
    );

    const one = await cli.run(['interview', 'list', '--job', String(b), '--json']);
    expect(one.json().data.interviews).toEqual([expect.objectContaining({ positionId: positionOf(b!).positionId, externalId: String(b) })]);

    const byJob = await cli.run(['interview', 'show', '--job', String(a), '--json']);
    expect(byJob.code, byJob.stderr).toBe(0);
    expect(byJob.json().data.interview).toMatchObject({
      positionId: positionOf(a!).positionId,
      title: positionOf(a!).title,
      externalSource: 'tracker',
      externalId: String(a),
    });
    const byId = await cli.run(['interview', 'show', positionOf(a!).positionId]);
    expect(byId.code, byId.stderr).toBe(0);
    expect(byId.stdout).toContain(positionOf(a!).title);
    expect(byId.stdout).toMatch(new RegExp(`Tracker job\\s+${a}`));

    const missing = await cli.run(['interview', 'show', '--job', String(none), '--json']);
    expect(missing.code).toBe(5);
    expect(expectEnvelope(missing, false).error).toMatchObject({ code: 'not_found', hint: `apriora interview generate --job ${none}` });
    const missingHuman = await cli.run(['interview', 'show', '--job', String(none)]);
    expect(missingHuman.code).toBe(5);
    expect(missingHuman.stderr).toMatch(/^Try: apriora interview generate --job \d+/m);
  });
});

describe('modality and templates', () => {
  let cli: CliSandbox;
  beforeAll(async () => {
    cli = await loggedIn([]);
  });
  afterAll(() => cli.cleanup());

  it('no modality anywhere is exit 2; --template picks the template and its modality; an unknown template lists them', async () => {
    const [a, b] = openJobIds();
    const missing = await cli.run(['interview', 'generate', '--job', String(a), '--json']);
    expect(missing.code).toBe(2);
    expect(expectEnvelope(missing, false).error).toMatchObject({ code: 'missing_value', hint: expect.stringContaining('--modality') });
    expect(writes()).toEqual([]);

    const nurse = sandbox.apriora.templates.find((template) => template.name === 'Nurse phone screen')!;
    const templated = await cli.run(['interview', 'generate', '--job', String(a), '--template', 'Nurse phone screen', '--json']);
    expect(templated.code, templated.stderr).toBe(0);
    expect(templated.json().data).toMatchObject({ modality: nurse.modality, template: { id: nurse.templateId, name: nurse.name } });
    expect(sandbox.apriora.positions).toEqual([expect.objectContaining({ externalId: String(a), templateId: nurse.templateId, modality: nurse.modality })]);

    const unknown = await cli.run(['interview', 'generate', '--job', String(b), '--template', 'Astronaut screen', '--json']);
    expect(unknown.code).toBe(2);
    const error = expectEnvelope(unknown, false).error;
    expect(error.code).toBe('unknown_template');
    for (const template of sandbox.apriora.templates) expect(error.hint).toContain(template.name);
    expect(sandbox.apriora.positions).toHaveLength(1);
  });
});
