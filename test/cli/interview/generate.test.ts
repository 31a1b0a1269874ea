import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTrackerSeed } from '../../../src/sandbox/index.js';
import { AT_TERMINAL, DOWN, expectEnvelope, loggedInCli, ndjson, openJobIds, TestCli, useSandbox } from '../../support/cli.js';

/**
 * `apriora interview generate` against the in-process sandbox: one Apriora position per Tracker job, never two, under
 * faults and re-runs. What is asserted is the exit code, the envelope or table, and the positions the sandbox holds.
 */

const SEEDS = {
  /** 40 jobs, 31 open: a bulk run under injected faults stays short. */
  faults: generateTrackerSeed({ jobs: 40 }),
  /** 120 jobs: long enough to interrupt. */
  many: generateTrackerSeed({ jobs: 120 }),
  /** 520 jobs: enough creates for lost answers to meet every path of the read-back. */
  large: generateTrackerSeed({ jobs: 520 }),
  /** 1,100 jobs: a jobs file of 1,000 of them is read from the job list's pages. */
  jobList: generateTrackerSeed({ jobs: 1_100 }),
};

const t = useSandbox({ seed: { jobs: 60 }, loggedIn: { fieldMap: false }, cliPer: 'file' });

/**
 * A CLI whose profile allows `perMinute` Tracker requests a minute (and `burst` at once); a customer's profile (not a
 * sandbox) if told.
 */
async function cliWithRateLimit(perMinute: number, { customer = false, burst }: { customer?: boolean; burst?: number } = {}): Promise<TestCli> {
  const cli = new TestCli();
  const { apiKey, password, username, aprioraApiKey } = t.sandbox.credentials;
  const mark = customer ? [] : ['--sandbox'];
  const tracker = await cli.run(
    [
      'tracker',
      'login',
      '--base-url',
      t.sandbox.trackerUrl,
      ...mark,
      '--username',
      username,
      '--api-key-stdin',
      '--password-stdin',
      '--rate-limit',
      String(perMinute),
      ...(burst ? ['--rate-burst', String(burst)] : []),
    ],
    { input: `${apiKey}\n${password}\n` },
  );
  expect(tracker.code, tracker.stderr).toBe(0);
  const apriora = await cli.run(['login', ...mark, '--base-url', t.sandbox.aprioraUrl, '--api-key-stdin', '--modality', 'phone'], {
    input: `${aprioraApiKey}\n`,
  });
  expect(apriora.code, apriora.stderr).toBe(0);
  return cli;
}

interface Item {
  jobId: number;
  title: string | null;
  positionId: string | null;
  interviewUrl: string | null;
  status: 'created' | 'exists' | 'updated' | 'skipped' | 'failed';
  error?: { code: string; message: string };
}

const requestsFor = (op: string) => t.sandbox.requests.filter((request) => request.op === op);
/** Jobs read from Tracker: list pages and single reads. */
const trackerReads = () => requestsFor('getRecords').length + requestsFor('getIndividualRecord').length;
const writes = () => t.sandbox.requests.filter((request) => request.api === 'apriora' && request.method !== 'GET');
const trackerPositions = () => t.sandbox.apriora.positions.filter((position) => position.externalSource === 'tracker');
const generate = (...args: string[]) => t.cli.run(['interview', 'generate', ...args]);

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

describe('apriora interview generate', () => {
  it('--job creates one position from the Tracker job; again: exists; --update: updated; --dry-run writes nothing', async () => {
    const job = t.sandbox.tracker.job(openJobIds(t.sandbox)[0]!)!;
    const result = await generate('--job', String(job.id), '--json');
    expect(result.code, result.stderr).toBe(0);
    const data = expectEnvelope(result, true).data;
    expect(data).toMatchObject({ dryRun: false, modality: 'phone', template: null, summary: { total: 1, created: 1, failed: 0 } });
    expect(data.items).toEqual([
      { jobId: job.id, title: job.title, positionId: expect.stringMatching(/^pos_/), interviewUrl: expect.stringMatching(/^https:\/\//), status: 'created' },
    ]);

    expect(t.sandbox.apriora.positions).toHaveLength(1);
    const position = t.sandbox.apriora.positions[0]!;
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
    // the exact create Apriora received
    const [create] = requestsFor('POST /positions');
    expect(create!.body).toMatchObject({ title: job.title, modality: 'phone', externalSource: 'tracker', externalId: String(job.id) });
    expect(position.description).not.toMatch(/<\/?[a-z][^>]*>/i);
    const listItems = [...job.description.matchAll(/<li>(.*?)<\/li>/g)].map((match) => decode(match[1]!));
    expect(listItems.length).toBeGreaterThan(3);
    for (const text of listItems) expect(position.description).toContain(text);

    const again = await generate('--job', String(job.id), '--json');
    expect(again.code).toBe(0);
    expect(again.json().data.items).toEqual([expect.objectContaining({ jobId: job.id, status: 'exists', positionId: position.positionId })]);
    expect(t.sandbox.apriora.positions).toHaveLength(1);
    expect(requestsFor('POST /positions')).toHaveLength(1);

    // The job changed in Tracker: --update carries the change over to the one position.
    job.title = `${job.title} (night shift)`;
    const updated = await generate('--job', String(job.id), '--update', '--json');
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.json().data.items).toEqual([expect.objectContaining({ jobId: job.id, status: 'updated', positionId: position.positionId })]);
    expect(t.sandbox.apriora.positions).toHaveLength(1);
    expect(t.sandbox.apriora.positions[0]!.title).toBe(job.title);

    t.sandbox.requests.length = 0;
    const other = openJobIds(t.sandbox)[1]!;
    const dryRun = await generate('--job', String(job.id), '--job', String(other), '--update', '--dry-run', '--json');
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.json().data).toMatchObject({ dryRun: true, summary: { total: 2, updated: 1, created: 1 } });
    expect(dryRun.json().data.items.map((item: Item) => [item.jobId, item.status])).toEqual([
      [job.id, 'updated'],
      [other, 'created'],
    ]);
    expect(writes()).toEqual([]);
    expect(t.sandbox.apriora.positions).toHaveLength(1);
  });

  it('renders a table of the items and a summary line; a dry run says "would be"', async () => {
    const [a, b, c] = openJobIds(t.sandbox);
    const first = await generate('--job', String(a), '--job', String(b));
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^│ Job\s+│ Title\s+│ Position\s+│ Interview URL\s+│ Status\s+│$/);
    const positionOf = (jobId: number) => t.sandbox.apriora.positionByExternalId('tracker', String(jobId))!;
    expect(lines[2]).toMatch(new RegExp(`^│ ${a} │ .+ │ ${positionOf(a!).positionId}\\s+│ ${positionOf(a!).interviewUrl} │ created │$`));
    expect(lines[3]).toMatch(new RegExp(`^│ ${b} │ .+ │ ${positionOf(b!).positionId}\\s+│ .+ │ created │$`));
    expect(lines.at(-1)).toMatch(/^2 jobs: 2 created in \d+\.\ds$/);

    const dryRun = await generate('--job', String(a), '--job', String(c), '--dry-run');
    expect(dryRun.code).toBe(0);
    expect(dryRun.stdout).toMatch(new RegExp(`^│ ${c} │ .+ │ would be created │$`, 'm'));
    expect(dryRun.stdout).toMatch(new RegExp(`^│ ${a} │ .+ │ exists\\s+│$`, 'm'));
    expect(dryRun.stdout.trimEnd().split('\n').at(-1)).toMatch(/^2 jobs: 1 would be created, 1 exists in \d+\.\ds \(dry run: nothing written\)$/);
    expect(t.sandbox.apriora.positions).toHaveLength(2);
  });

  it('--all-open under injected faults links every open job exactly once; a re-run completes what failed', async () => {
    t.sandbox.reset(SEEDS.faults);
    const open = openJobIds(t.sandbox);
    t.sandbox.faults.configure({ failRate: 0.3, kinds: ['5xx', '429', 'reset', 'after-commit'], seed: 7, retryAfterSeconds: 0 });
    // At least one create is committed and then answered with an error (both ways), whatever the random draws.
    t.sandbox.faults.push(
      { kind: 'after-commit', api: 'apriora', op: 'POST /positions', mode: '502' },
      { kind: 'after-commit', api: 'apriora', op: 'POST /positions', mode: 'reset' },
    );
    const first = await generate('--all-open', '--concurrency', '8', '--json');
    expect([0, 3, 5], first.stdout + first.stderr).toContain(first.code);

    const faulted = t.sandbox.requests.filter((request) => request.fault !== null);
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
      t.sandbox.faults.clear();
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
    const [a, b] = openJobIds(t.sandbox);
    // Every attempt of the one create fails before it is committed.
    t.sandbox.faults.push(...Array.from({ length: 3 }, () => ({ kind: '5xx' as const, api: 'apriora', op: 'POST /positions' })));
    const failed = await generate('--job', String(a), '--json');
    expect(failed.code).toBe(3);
    expect(failed.json().data.items).toEqual([
      expect.objectContaining({ jobId: a, status: 'failed', error: expect.objectContaining({ code: 'server_error' }) }),
    ]);
    expect(requestsFor('POST /positions')).toHaveLength(3);
    expect(t.sandbox.apriora.positions).toEqual([]);

    // A failure, then a commit whose answer is lost: the read-back finds the position instead of creating another.
    t.sandbox.faults.push(
      { kind: '5xx', api: 'apriora', op: 'POST /positions' },
      { kind: 'after-commit', api: 'apriora', op: 'POST /positions', mode: 'reset' },
    );
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
    const txt = join(t.cli.configDir, 'jobs.txt');
    writeFileSync(txt, '3101\n3102\nabc\n3104\n');
    const bad = await generate('--jobs-file', txt, '--json');
    expect(bad.code).toBe(2);
    expect(expectEnvelope(bad, false).error).toMatchObject({ code: 'invalid_job_id', message: expect.stringContaining('jobs.txt:3') });
    const human = await generate('--jobs-file', txt);
    expect(human.code).toBe(2);
    expect(human.stderr).toMatch(/^Error: .*jobs\.txt:3: "abc" is not a Tracker job id/m);

    const noColumn = join(t.cli.configDir, 'no-column.csv');
    writeFileSync(noColumn, 'id,title\n3101,Registered Nurse\n');
    const csvBad = await generate('--jobs-file', noColumn, '--json');
    expect(csvBad.code).toBe(2);
    expect(csvBad.json().error).toMatchObject({ code: 'invalid_csv', message: expect.stringContaining('job_id') });
    const unreadable = await generate('--jobs-file', join(t.cli.configDir, 'missing.txt'), '--json');
    expect(unreadable.code).toBe(2);
    expect(unreadable.json().error.code).toBe('unreadable_file');
    expect(writes()).toEqual([]);
    expect(t.sandbox.apriora.positions).toEqual([]);

    const csv = join(t.cli.configDir, 'jobs.csv');
    writeFileSync(csv, 'title,job_id\n"Nurse, ICU",3101\nDeveloper,3102\n');
    const fromCsv = await generate('--jobs-file', csv, '--json');
    expect(fromCsv.code, fromCsv.stderr).toBe(0);
    expect(fromCsv.json().data.items.map((item: Item) => [item.jobId, item.status])).toEqual([
      [3101, 'created'],
      [3102, 'created'],
    ]);

    const fromStdin = await t.cli.run(['interview', 'generate', '--jobs-file', '-', '--json'], { input: '# from a pipe\n3103\n\n3104\n3101\n' });
    expect(fromStdin.code, fromStdin.stderr).toBe(0);
    expect(fromStdin.json().data.items.map((item: Item) => [item.jobId, item.status])).toEqual([
      [3103, 'created'],
      [3104, 'created'],
      [3101, 'exists'],
    ]);
    expectOnePositionPerJob([3101, 3102, 3103, 3104]);
  });

  it('duplicate ids are processed once, with a warning', async () => {
    const [a] = openJobIds(t.sandbox);
    const result = await generate('--job', String(a), '--job', String(a), '--json');
    expect(result.code).toBe(0);
    expect(result.json().warnings).toEqual(['1 duplicate job id ignored']);
    expect(result.json().data.items).toHaveLength(1);
    expectOnePositionPerJob([a!]);
  });

  it('an unknown job among good ones is a failed item: exit 3, partial_failure, items in input order', async () => {
    const [a, b] = openJobIds(t.sandbox);
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
    const ids = openJobIds(t.sandbox).slice(0, 3);
    const result = await generate(...ids.flatMap((id) => ['--job', String(id)]), '--output', 'ndjson');
    expect(result.code, result.stderr).toBe(0);
    const lines = ndjson(result.stdout);
    expect(lines).toHaveLength(4);
    const items = lines.slice(0, 3) as Item[];
    expect(items.map((item) => item.jobId).sort()).toEqual([...ids].sort());
    expect(items.every((item) => item.status === 'created' && typeof item.positionId === 'string')).toBe(true);
    expect(lines[3]).toEqual({ summary: expect.objectContaining({ total: 3, created: 3, failed: 0 }) });
  });

  it('an abort (Ctrl-C) stops cleanly: exit 130, what was done reported; a re-run completes the rest without duplicates', async () => {
    t.sandbox.reset(SEEDS.many);
    const open = openJobIds(t.sandbox);
    expect(open.length).toBeGreaterThan(60);
    t.sandbox.faults.configure({ latencyMs: 20 });

    const run = t.cli.start(['interview', 'generate', '--all-open', '--concurrency', '2', '--output', 'ndjson']);
    run.stdin.end();
    await run.until((stdout) => stdout.includes('\n'));
    run.controller.abort('SIGINT');
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

    t.sandbox.faults.configure({ latencyMs: 0 });
    const terminated = t.cli.start(['interview', 'generate', '--all-open', '--concurrency', '1', '--output', 'ndjson']);
    terminated.stdin.end();
    terminated.controller.abort('SIGTERM');
    // SIGTERM is the same clean stop, with the exit status of a terminated process.
    expect((await terminated.done).code).toBe(143);
    const rerun = await generate('--all-open', '--concurrency', '8', '--json');
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.json().data.summary).toMatchObject({ total: open.length, exists: items.length, created: open.length - items.length, failed: 0 });
    expectOnePositionPerJob(open);
  });

  it('in table mode an interrupted run prints the table, then the error and the hint to run it again', async () => {
    t.sandbox.faults.configure({ latencyMs: 20 });
    const run = t.cli.start(['interview', 'generate', '--all-open', '--concurrency', '1']);
    run.stdin.end();
    await new Promise<void>((resolve) => {
      const check = () => (trackerPositions().length > 0 ? resolve() : setTimeout(check, 5));
      check();
    });
    run.controller.abort('SIGINT');
    const interrupted = await run.done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stdout).toMatch(/│ created │/);
    expect(interrupted.stderr).toMatch(/^Error: Interrupted after \d+ jobs$/m);
    expect(interrupted.stderr).toMatch(/^Try: Run the same command again: what was done is found and not repeated\.$/m);
  });

  it('usage errors: no source, two sources, --updated-after without --all-open, a bad id: exit 2, nothing written', async () => {
    for (const [args, message] of [
      [[], 'Which jobs? Give --job ID, --jobs-file PATH or --all-open'],
      [['--job', '3101', '--all-open'], '--job and --all-open cannot be used together'],
      [['--job', '3101', '--updated-after', '7d'], '--updated-after goes with --all-open'],
      [['--job', 'abc'], '--job: "abc" is not a Tracker job id (a positive whole number)'],
      [['--all-open', '--updated-after', 'soon'], expect.stringMatching(/^--updated-after must be a date/)],
    ] as [string[], unknown][]) {
      const result = await generate(...args, '--json');
      expect(result.code, args.join(' ')).toBe(2);
      expect(expectEnvelope(result, false).error.message, args.join(' ')).toEqual(message);
    }
    for (const value of ['0', '33', '1000']) {
      const concurrency = await generate('--job', '3101', '--concurrency', value, '--json');
      expect(concurrency.code, value).toBe(2);
      expect(concurrency.json().error).toMatchObject({
        code: 'usage_error',
        message: `option '--concurrency <n>' argument '${value}' is invalid. must be a whole number from 1 to 32.`,
      });
    }
    expect((await generate('--job', '3101', '--modality', 'fax')).code).toBe(2);
    expect(t.sandbox.requests).toEqual([]);
  });
});

describe("a customer's profile at a terminal", () => {
  it('asks before creating, saying how many: no is exit 0 and writes nothing; yes creates', async () => {
    const customer = await loggedInCli(t.sandbox, { fieldMap: false, sandboxProfile: false });
    try {
      const [a] = openJobIds(t.sandbox);
      const declined = customer.start(['interview', 'generate', '--job', String(a)], AT_TERMINAL);
      await declined.answer('Create 1 phone interview in Apriora, one per job (one that exists is kept), for profile "default"?', 'n\r');
      const no = await declined.done;
      expect(no.code, no.stderr).toBe(0);
      expect(no.stdout).toBe('Nothing written.\n');
      expect(no.stderr).not.toContain('Error');
      expect(writes()).toEqual([]);

      const [b, c] = openJobIds(t.sandbox).slice(1);
      const json = customer.start(['interview', 'generate', '--job', String(b), '--job', String(c), '--update', '--json'], AT_TERMINAL);
      await json.answer('Create 2 phone interviews in Apriora, one per job (one that exists is updated), for profile "default"?', 'n\r');
      const noJson = await json.done;
      expect(noJson.code).toBe(0);
      expect(noJson.json()).toEqual({ ok: true, data: { declined: true, written: false }, warnings: [] });
      expect(writes()).toEqual([]);

      const accepted = customer.start(['interview', 'generate', '--all-open', '--dry-run'], AT_TERMINAL);
      const dryRun = await accepted.done;
      // a dry run writes nothing, so it asks nothing
      expect(dryRun.code).toBe(0);
      expect(dryRun.stderr).not.toContain('Create phone interviews');

      const confirmed = customer.start(['interview', 'generate', '--all-open'], AT_TERMINAL);
      // Every open job: counted (listed once) before the question.
      const listedBefore = requestsFor('getRecords').length;
      await confirmed.answer(
        `Create ${openJobIds(t.sandbox).length} phone interviews in Apriora, one per open job (one that exists is kept), for profile "default"?`,
        'y\r',
      );
      const yes = await confirmed.done;
      expect(yes.code, yes.stderr).toBe(0);
      expectOnePositionPerJob(openJobIds(t.sandbox));
      expect(requestsFor('getRecords').length - listedBefore).toBe(1); // the open jobs fit one page: listed once, not again by the run
    } finally {
      customer.cleanup();
    }
  });
});

describe('modality and templates', () => {
  let noModality: TestCli;
  beforeAll(async () => {
    noModality = await loggedInCli(t.sandbox, { fieldMap: false, modality: null });
  });
  afterAll(() => noModality.cleanup());

  it('no modality anywhere is exit 2; --template picks the template and its modality; an unknown template lists them', async () => {
    const [a, b] = openJobIds(t.sandbox);
    const missing = await noModality.run(['interview', 'generate', '--job', String(a), '--json']);
    expect(missing.code).toBe(2);
    expect(expectEnvelope(missing, false).error).toMatchObject({ code: 'missing_value', hint: expect.stringContaining('--modality') });
    expect(writes()).toEqual([]);

    const nurse = t.sandbox.apriora.templates.find((template) => template.name === 'Nurse phone screen')!;
    const templated = await noModality.run(['interview', 'generate', '--job', String(a), '--template', 'Nurse phone screen', '--json']);
    expect(templated.code, templated.stderr).toBe(0);
    expect(templated.json().data).toMatchObject({ modality: nurse.modality, template: { id: nurse.templateId, name: nurse.name } });
    expect(t.sandbox.apriora.positions).toEqual([expect.objectContaining({ externalId: String(a), templateId: nurse.templateId, modality: nurse.modality })]);

    const unknown = await noModality.run(['interview', 'generate', '--job', String(b), '--template', 'Astronaut screen', '--json']);
    expect(unknown.code).toBe(2);
    const error = expectEnvelope(unknown, false).error;
    expect(error.code).toBe('unknown_template');
    for (const template of t.sandbox.apriora.templates) expect(error.hint).toContain(template.name);
    expect(t.sandbox.apriora.positions).toHaveLength(1);
  });

  it('at a terminal, no modality anywhere is a question; with --no-input it stays exit 2 naming --modality and the default', async () => {
    const [a, b] = openJobIds(t.sandbox);
    const run = noModality.start(['interview', 'generate', '--job', String(a), '--json'], AT_TERMINAL);
    await run.answer('Interview modality (set a default with `apriora login --modality`)', `${DOWN}\r`);
    const asked = await run.done;
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.json().data.modality).toBe('video');
    expect(t.sandbox.apriora.positions).toEqual([expect.objectContaining({ externalId: String(a), modality: 'video' })]);

    const scripted = await noModality.run(['interview', 'generate', '--job', String(b), '--no-input'], AT_TERMINAL);
    expect(scripted.code).toBe(2);
    expect(scripted.stderr).toBe(
      'Error: Which modality, phone or video?\nTry: Pass --modality phone|video, or set a default with `apriora login --modality phone|video`.\n',
    );
    expect(t.sandbox.apriora.positions).toHaveLength(1);
  });

  it('prompts take the colour decision of the rest of stderr: none with --no-color, NO_COLOR or TERM=dumb', async () => {
    const [a] = openJobIds(t.sandbox);
    const colour = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`); // a colour (SGR) sequence
    // Inquirer's own theme colours whenever this process's stdout could: as if it were a terminal.
    const saved = process.env.FORCE_COLOR;
    process.env.FORCE_COLOR = '1';
    try {
      for (const [args, env] of [
        [['--no-color'], {}],
        [[], { NO_COLOR: '1' }],
        [[], { TERM: 'dumb' }],
      ] as const) {
        const run = noModality.start(['interview', 'generate', '--job', String(a), '--dry-run', ...args], {
          ...AT_TERMINAL,
          env: { ...AT_TERMINAL.env, ...env },
        });
        await run.answer('Interview modality', '\r');
        const result = await run.done;
        expect(result.code, result.stderr).toBe(0);
        expect(result.stderr).toContain('Interview modality');
        expect(result.stderr, JSON.stringify(env)).not.toMatch(colour);
      }
      // Colour on (stderr a terminal): the prompt is in colour too.
      const coloured = noModality.start(['interview', 'generate', '--job', String(a), '--dry-run'], AT_TERMINAL);
      await coloured.answer('Interview modality', '\r');
      expect((await coloured.done).stderr).toMatch(colour);
    } finally {
      if (saved === undefined) delete process.env.FORCE_COLOR;
      else process.env.FORCE_COLOR = saved;
    }
    expect(t.sandbox.apriora.positions).toEqual([]);
  });

  it('--modality on the command line wins over the profile', async () => {
    const [a] = openJobIds(t.sandbox);
    const result = await t.cli.run(['interview', 'generate', '--job', String(a), '--modality', 'video', '--json']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().data.modality).toBe('video');
    expect(t.sandbox.apriora.positions).toEqual([expect.objectContaining({ externalId: String(a), modality: 'video' })]);
  });
});

describe('apriora interview generate without a login', () => {
  it('is exit 4 naming the login that is missing, and writes nothing', async () => {
    const trackerOnly = await loggedInCli(t.sandbox, { fieldMap: false, apriora: false });
    try {
      const result = await trackerOnly.run(['interview', 'generate', '--job', '3101', '--json']);
      expect(result.code).toBe(4);
      expect(expectEnvelope(result, false).error).toMatchObject({ code: 'not_logged_in', hint: expect.stringMatching(/^apriora login/) });
      expect(writes()).toEqual([]);
    } finally {
      trackerOnly.cleanup();
    }
  });
});

describe('jobs input', () => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes of a terminal's stderr
  const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
  const jobsFile = (name: string, content: string | Buffer) => {
    const path = join(t.cli.configDir, name);
    writeFileSync(path, content);
    return path;
  };
  const utf16 = (text: string, endian: 'le' | 'be') => {
    const le = Buffer.from(`\uFEFF${text}`, 'utf16le');
    return endian === 'le' ? le : le.swap16();
  };

  it('no ids at all (empty file, only comments, empty stdin) is exit 2 naming the source, before any request', async () => {
    for (const [name, content] of [
      ['jobs.txt', ''],
      ['comments.txt', '# the export failed\n\n'],
    ] as const) {
      const path = jobsFile(name, content);
      const result = await generate('--jobs-file', path, '--json');
      expect(result.code, name).toBe(2);
      expect(expectEnvelope(result, false).error).toMatchObject({ code: 'no_job_ids', message: `${path} has no job ids` });
    }
    const human = await generate('--jobs-file', jobsFile('jobs.txt', ''));
    expect(human.code).toBe(2);
    expect(human.stdout).toBe('');
    expect(human.stderr).toMatch(/^Error: .*jobs\.txt has no job ids\nTry: Put one Tracker job id per line/);

    const piped = await t.cli.run(['interview', 'generate', '--jobs-file', '-'], { input: '' });
    expect(piped.code).toBe(2);
    expect(piped.stderr).toMatch(
      /^Error: stdin has no job ids\nTry: Pipe job ids in, one per line\. Empty input usually means that the command before the pipe failed\.$/m,
    );
    expect(piped.stdout).not.toContain('No jobs.');
    expect(t.sandbox.requests).toEqual([]);
  });

  it('UTF-16 files with a byte order mark (LE and BE, as Excel and Notepad save them) are read', async () => {
    const [a, b, c] = openJobIds(t.sandbox);
    const le = await generate('--jobs-file', jobsFile('le.txt', utf16(`# exported\r\n${a}\r\n${b}\r\n`, 'le')), '--json');
    expect(le.code, le.stderr).toBe(0);
    expect(le.json().data.items.map((item: Item) => [item.jobId, item.status])).toEqual([
      [a, 'created'],
      [b, 'created'],
    ]);
    const be = await generate('--jobs-file', jobsFile('be.csv', utf16(`title,job_id\r\n"Nurse, ICU",${c}\r\n`, 'be')), '--json');
    expect(be.code, be.stderr).toBe(0);
    expect(be.json().data.items.map((item: Item) => [item.jobId, item.status])).toEqual([[c, 'created']]);
    expectOnePositionPerJob([a!, b!, c!]);
  });

  it('a binary or non-UTF-8 file is exit 2 asking to save it as UTF-8, nothing requested', async () => {
    const garbage = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919 + 13) % 256));
    const result = await generate('--jobs-file', jobsFile('jobs.xlsx', garbage));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Error: .*jobs\.xlsx is not UTF-8 text: it looks like a binary file or another encoding\nTry: Save it as UTF-8/);
    const json = await generate('--jobs-file', jobsFile('jobs.txt', Buffer.from('3101\n3102\n', 'utf16le')), '--json');
    expect(json.code).toBe(2);
    expect(json.json().error.code).toBe('invalid_encoding');
    expect(t.sandbox.requests).toEqual([]);
  });

  it('a repeated id in a file is processed once with a warning; items keep the file order', async () => {
    const [a, b, c] = openJobIds(t.sandbox);
    const result = await generate('--jobs-file', jobsFile('jobs.txt', `${c}\n${a}\n${c}\n${b}\n${a}\n`), '--concurrency', '3', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(result.json().warnings).toEqual(['2 duplicate job ids ignored']);
    expect(result.json().data.items.map((item: Item) => item.jobId)).toEqual([c, a, b]);
    expect(requestsFor('getIndividualRecord')).toHaveLength(3);
    expectOnePositionPerJob([a!, b!, c!]);
  });

  it('1,000 ids of a 1,100-job database are read from the job list: 10 pages, not 1,000 reads; items as by single reads', async () => {
    t.sandbox.reset(SEEDS.jobList);
    const fast = await cliWithRateLimit(1_000_000);
    try {
      const all = t.sandbox.tracker.jobs.map((job) => job.id);
      // 1,000 jobs in a scrambled order (closed ones included), ids Tracker does not know, repeats and a comment.
      const chosen = all.slice(50, 1_050).sort((a, b) => ((a * 7_919) % 1_009) - ((b * 7_919) % 1_009));
      const unknown = [999_999, 1, all.at(-1)! + 1];
      const lines = [...chosen.slice(0, 500), unknown[0], '# more', ...chosen.slice(500), unknown[1], chosen[3], unknown[2], chosen[700]];
      const path = join(fast.configDir, 'jobs.txt');
      writeFileSync(path, `${lines.join('\n')}\n`);
      const closed = chosen.filter((id) => t.sandbox.tracker.jobState(t.sandbox.tracker.job(id)!) !== 'open');
      expect(closed.length).toBeGreaterThan(100);
      t.sandbox.requests.length = 0;

      const result = await fast.run(['interview', 'generate', '--jobs-file', path, '--concurrency', '8', '--json']);
      expect(result.code, result.stderr).toBe(3);
      const document = result.json();
      expect(document.warnings).toEqual(['2 duplicate job ids ignored']);
      const items: Item[] = document.data.items;
      expect(items.map((item) => item.jobId)).toEqual([...chosen.slice(0, 500), unknown[0], ...chosen.slice(500), unknown[1], unknown[2]]);
      for (const item of items) {
        if (unknown.includes(item.jobId)) {
          expect(item).toMatchObject({ status: 'failed', title: null, error: { code: 'job_not_found', message: `Tracker has no job with id ${item.jobId}` } });
        } else {
          expect(item, String(item.jobId)).toMatchObject({ status: 'created', title: t.sandbox.tracker.job(item.jobId)!.title });
        }
      }
      expectOnePositionPerJob(chosen);

      // The pages from the lowest id on (job 3151 is on page 0) to the end of the list (4201 is wanted: page 11 is
      // empty), then a single read for each id that no page showed.
      const pages = requestsFor('getRecords');
      expect(pages.map((request) => (request.body as any).trackerrms.getRecords.instructions.pagenum)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      expect(pages.every((request) => (request.body as any).trackerrms.getRecords.instructions.state === '')).toBe(true);
      expect(requestsFor('getIndividualRecord')).toHaveLength(3);
      expect(t.sandbox.requests.filter((request) => request.api === 'tracker').length).toBeLessThanOrEqual(20);
    } finally {
      fast.cleanup();
    }
  });

  it('a job read from a list page makes the same Apriora position as one read singly', async () => {
    t.sandbox.reset(SEEDS.jobList);
    const fast = await cliWithRateLimit(1_000_000);
    const ids = t.sandbox.tracker.jobs.map((job) => job.id).filter((_, index) => index % 37 === 0);
    expect(ids.length).toBeGreaterThan(20);
    const creates = () =>
      Object.fromEntries(requestsFor('POST /positions').map((request) => [(request.body as { externalId: string }).externalId, request.body]));

    // stdin: each job read singly
    t.sandbox.requests.length = 0;
    const single = await fast.run(['interview', 'generate', '--jobs-file', '-', '--json'], { input: `${ids.join('\n')}\n` });
    expect(single.code, single.stderr).toBe(0);
    expect(requestsFor('getRecords')).toEqual([]);
    expect(requestsFor('getIndividualRecord')).toHaveLength(ids.length);
    const fromRecords = creates();

    // --job, more than 20 of them: read from the pages
    t.sandbox.reset(SEEDS.jobList);
    t.sandbox.requests.length = 0;
    const paged = await fast.run(['interview', 'generate', ...ids.flatMap((id) => ['--job', String(id)]), '--json']);
    expect(paged.code, paged.stderr).toBe(0);
    expect(requestsFor('getIndividualRecord')).toEqual([]);
    expect(requestsFor('getRecords').length).toBeGreaterThan(0);
    const fromRows = creates();

    expect(Object.keys(fromRows)).toHaveLength(ids.length);
    expect(fromRows).toEqual(fromRecords);
    expect(fromRows[String(ids[1])]).toMatchObject({
      creationNotes: expect.stringMatching(/^Tracker job JOB-\d+ \(id \d+\)\nClient: .+\nType: .+\nPay rate: .+\nStart: /),
    });
    expect(paged.json().data.items).toEqual(
      single.json().data.items.map((item: Item) => ({ ...item, positionId: expect.any(String), interviewUrl: expect.any(String) })),
    );
    fast.cleanup();
  });

  it('stdin is streamed: a bad line stops the run with exit 2 naming stdin:line, the jobs before it are reported', async () => {
    const [a, b] = openJobIds(t.sandbox);
    const result = await t.cli.run(['interview', 'generate', '--jobs-file', '-', '--concurrency', '1', '--json'], {
      input: `${a}\n${b}\n${a}\nJOB-3104\n`,
    });
    expect(result.code).toBe(2);
    const document = expectEnvelope(result, false);
    expect(document.error).toMatchObject({
      code: 'invalid_job_id',
      message: 'stdin:4: "JOB-3104" is not a Tracker job id (a positive whole number) (after 2 jobs; those are reported)',
    });
    expect(document.data.items.map((item: Item) => [item.jobId, item.status])).toEqual([
      [a, 'created'],
      [b, 'created'],
    ]);
    expect(document.warnings).toEqual(['1 duplicate job id ignored']);
    expectOnePositionPerJob([a!, b!]);
  });

  it('above 10 minutes at the profile rate limit: a warning with the estimate, and on a terminal a question', async () => {
    // 10 Tracker requests a minute: 101 ids too far apart to be read by list pages, one read each, are about 11 minutes.
    // All 10 may go at once: a job under way when a run is stopped does not wait for a slot.
    const slow = await cliWithRateLimit(10, { burst: 10 });
    try {
      const ids = Array.from({ length: 101 }, (_, i) => 5001 + i * 1_000);
      const path = join(slow.configDir, 'jobs.txt');
      writeFileSync(path, `${ids.join('\n')}\n`);
      const estimate = '101 jobs at 10 Tracker requests a minute (one read per job) take about 11 minutes';
      t.sandbox.requests.length = 0;
      // Slow answers and one job at a time: each run below is stopped long before it meets its rate limit.
      t.sandbox.faults.configure({ latencyMs: 100 });

      // At a terminal: asked first; no is exit 0, and not one job is read.
      const declined = slow.start(['interview', 'generate', '--jobs-file', path, '--dry-run'], AT_TERMINAL);
      await declined.answer(`${estimate}. Go on?`, 'n\r');
      const no = await declined.done;
      expect(no.code, no.stderr).toBe(0);
      expect(plain(no.stderr).split('\n')).toContain(`Warning: ${estimate}`);
      expect(no.stdout).toBe('Nothing written.\n');
      expect(trackerReads()).toBe(0);

      // Without a terminal (or with --yes): the warning, then the run starts.
      for (const [options, args] of [
        [{}, []],
        [AT_TERMINAL, ['--yes']],
      ] as const) {
        const run = slow.start(['interview', 'generate', '--jobs-file', path, '--dry-run', '--concurrency', '1', ...args], options);
        await run.until((_stdout, stderr) => stderr.includes('Warning:'));
        run.controller.abort('SIGINT');
        const stopped = await run.done;
        expect(stopped.code).toBe(130);
        expect(plain(stopped.stderr).split('\n')).toContain(`Warning: ${estimate}`);
        expect(stopped.stderr).not.toContain('Go on?');
      }
      const untilJobsRead = () =>
        new Promise<void>((resolve) => {
          const check = () => (trackerReads() > 0 ? resolve() : setTimeout(check, 5));
          check();
        });
      t.sandbox.requests.length = 0;
      const json = slow.start(['interview', 'generate', '--jobs-file', path, '--dry-run', '--concurrency', '1', '--json']);
      json.stdin.end();
      await untilJobsRead();
      json.controller.abort('SIGINT');
      expect((await json.done).json().warnings).toEqual([estimate]);

      // 100 ids are 10 minutes: no warning, no question.
      writeFileSync(path, `${ids.slice(0, 100).join('\n')}\n`);
      t.sandbox.requests.length = 0;
      const quick = slow.start(['interview', 'generate', '--jobs-file', path, '--dry-run', '--concurrency', '1', '--json'], AT_TERMINAL);
      await untilJobsRead();
      quick.controller.abort('SIGINT');
      const result = await quick.done;
      expect(result.code).toBe(130);
      expect(result.json().warnings).toEqual([]);
      expect(result.stderr).not.toContain('Go on?');
    } finally {
      slow.cleanup();
    }
  });

  it('a long list of ids is estimated by the list pages it takes: no warning for 1,000 ids close together', async () => {
    // As above: the jobs under way when the run is stopped do not wait for a slot.
    const slow = await cliWithRateLimit(10, { burst: 10 });
    try {
      const path = join(slow.configDir, 'jobs.txt');
      // 1,000 ids in 10 pages, and 50 far apart: 60 Tracker requests at 10 a minute are 6 minutes, not 105.
      writeFileSync(
        path,
        `${[...Array.from({ length: 1_000 }, (_, i) => 3101 + i), ...Array.from({ length: 50 }, (_, i) => 100_000 + i * 1_000)].join('\n')}\n`,
      );
      t.sandbox.requests.length = 0;
      const run = slow.start(['interview', 'generate', '--jobs-file', path, '--dry-run', '--json'], AT_TERMINAL);
      await new Promise<void>((resolve) => {
        const check = () => (requestsFor('getRecords').length > 0 ? resolve() : setTimeout(check, 5));
        check();
      });
      run.controller.abort('SIGINT');
      const result = await run.done;
      expect(result.code).toBe(130);
      expect(result.json().warnings).toEqual([]);
      expect(result.stderr).not.toContain('Go on?');

      writeFileSync(
        path,
        `${Array.from({ length: 6_000 }, (_, i) => 3101 + i).join('\n')}\n${Array.from({ length: 60 }, (_, i) => 100_000 + i * 1_000).join('\n')}\n`,
      );
      const long = slow.start(['interview', 'generate', '--jobs-file', path, '--dry-run'], AT_TERMINAL);
      await long.answer('6,060 jobs at 10 Tracker requests a minute (60 list pages and 60 single reads) take about 12 minutes. Go on?', 'n\r');
      expect((await long.done).code).toBe(0);
    } finally {
      slow.cleanup();
    }
  });

  it("on a customer's profile at a terminal the estimate and the write confirmation are one question", async () => {
    const customer = await cliWithRateLimit(10, { customer: true });
    try {
      const path = join(customer.configDir, 'jobs.txt');
      writeFileSync(path, `${Array.from({ length: 2_000 }, (_, i) => 5001 + i * 1_000).join('\n')}\n`);
      const run = customer.start(['interview', 'generate', '--jobs-file', path], AT_TERMINAL);
      await run.answer('2,000 jobs at 10 Tracker requests a minute (one read per job) take about 3 h 20 min. Create 2,000 phone interviews in Apriora', 'n\r');
      const result = await run.done;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toBe('Nothing written.\n');
      expect(writes()).toEqual([]);

      // Ids typed at the terminal: it cannot also answer the question.
      const typed = await customer.run(['interview', 'generate', '--jobs-file', '-'], { ...AT_TERMINAL, input: '3101\n' });
      expect(typed.code).toBe(2);
      expect(typed.stderr).toMatch(/^Error: Cannot ask for confirmation: the terminal is where the job ids are read from \(--jobs-file -\)\nTry: Pass --yes/m);
      expect(writes()).toEqual([]);
    } finally {
      customer.cleanup();
    }
  });
});

describe('lost answers', () => {
  it('a create committed on its last attempt but answered with an error is read back and reported created', async () => {
    const [a] = openJobIds(t.sandbox);
    t.sandbox.faults.push(
      { kind: '5xx', api: 'apriora', op: 'POST /positions' },
      { kind: '5xx', api: 'apriora', op: 'POST /positions' },
      { kind: 'after-commit', api: 'apriora', op: 'POST /positions', mode: 'reset' },
    );
    const result = await generate('--job', String(a), '--json');
    expect(result.code, result.stdout).toBe(0);
    const position = t.sandbox.apriora.positionByExternalId('tracker', String(a))!;
    expect(result.json().data.items).toEqual([expect.objectContaining({ jobId: a, status: 'created', positionId: position.positionId })]);
    expect(
      t.sandbox.requests.filter((request) => request.api === 'apriora').map((request) => `${request.op}${request.fault ? ` (${request.fault})` : ''}`),
    ).toEqual([
      'GET /positions',
      'POST /positions (5xx)',
      'GET /positions',
      'POST /positions (5xx)',
      'GET /positions',
      'POST /positions (after-commit)',
      'GET /positions',
    ]);
    expectOnePositionPerJob([a!]);
  });

  it('over 520 jobs with random faults and committed creates answered with errors, no failed item has a position', async () => {
    t.sandbox.reset(SEEDS.large);
    const fast = await cliWithRateLimit(1_000_000);
    try {
      const ids = t.sandbox.tracker.jobs.map((job) => job.id);
      const path = join(fast.configDir, 'jobs.txt');
      writeFileSync(path, `${ids.join('\n')}\n`);
      t.sandbox.requests.length = 0;
      t.sandbox.faults.configure({ failRate: 0.3, kinds: ['5xx', 'reset', 'after-commit'], seed: 8 });
      const result = await fast.run(['interview', 'generate', '--jobs-file', path, '--concurrency', '16', '--json']);
      expect([0, 3], result.stderr).toContain(result.code);
      const items: Item[] = result.json().data.items;
      expect(items.map((item) => item.jobId)).toEqual(ids);

      const positionOf = new Map(trackerPositions().map((position) => [Number(position.externalId), position.positionId]));
      const misreported = items.filter((item) => item.status === 'failed' && positionOf.has(item.jobId));
      expect(misreported).toEqual([]);
      for (const item of items.filter((each) => each.status !== 'failed')) {
        expect(item.status).toBe('created');
        expect(item.positionId).toBe(positionOf.get(item.jobId));
      }
      expect(positionOf.size).toBe(items.filter((item) => item.status === 'created').length);
      expect([...positionsPerJob().values()].every((count) => count === 1)).toBe(true);
      expect(requestsFor('POST /positions').filter((request) => request.fault === 'after-commit').length).toBeGreaterThan(50);
    } finally {
      fast.cleanup();
    }
  });
});
