import { beforeEach, describe, expect, it } from 'vitest';
import { expectEnvelope, ndjson, openJobIds, TestCli, useSandbox } from '../../../support/cli.js';

const t = useSandbox({ seed: { jobs: 250 }, loggedIn: { fieldMap: false, apriora: false } });
beforeEach(() => {
  t.sandbox.requests.length = 0;
});

const getRecords = () => t.sandbox.requests.filter((request) => request.op === 'getRecords').map((request) => (request.body as any).trackerrms.getRecords);

describe('apriora tracker jobs list', () => {
  it('pages correctly across 250 jobs (0-based pages until a short page)', async () => {
    const result = await t.cli.run(['tracker', 'jobs', 'list', '--state', 'all', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const data = expectEnvelope(result, true).data;
    const jobs = data.jobs as { id: number }[];
    expect(jobs).toHaveLength(250);
    expect(data.count).toBe(250);
    expect(new Set(jobs.map((job) => job.id)).size).toBe(250);
    expect(jobs.map((job) => job.id)).toEqual(t.sandbox.tracker.jobs.map((job) => job.id).sort((a, b) => a - b));
    expect(getRecords().map(({ instructions }) => [instructions.recordtype, instructions.numrecords, instructions.pagenum])).toEqual([
      ['O', 100, 0],
      ['O', 100, 1],
      ['O', 100, 2],
    ]);
  });

  it('--state open (the default) lists exactly the open jobs; --limit and ndjson stream what Tracker holds', async () => {
    const open = openJobIds(t.sandbox);
    expect(open.length).toBeGreaterThan(100);
    expect(open.length).toBeLessThan(250);
    const openResult = await t.cli.run(['tracker', 'jobs', 'list', '--json']);
    expect(openResult.code).toBe(0);
    expect(openResult.json().data.count).toBe(open.length);
    expect(
      openResult
        .json()
        .data.jobs.map((job: { id: number }) => job.id)
        .sort(),
    ).toEqual([...open].sort());

    t.sandbox.requests.length = 0;
    const limited = await t.cli.run(['tracker', 'jobs', 'list', '--state', 'all', '--limit', '120', '--output', 'ndjson']);
    expect(limited.code).toBe(0);
    const lines = ndjson(limited.stdout);
    expect(lines).toHaveLength(120);
    expect(lines[0]).toEqual(expect.objectContaining({ id: expect.any(Number), title: expect.any(String) }));
    // a stream prints items only: no envelope, no summary
    expect(lines.every((line) => 'id' in line && !('ok' in line))).toBe(true);
    expect(getRecords()).toHaveLength(2);
  });

  it('--search and --page-size go into the Tracker query', async () => {
    const result = await t.cli.run(['tracker', 'jobs', 'list', '--state', 'all', '--search', 'Nurse', '--page-size', '25', '--json']);
    expect(result.code, result.stderr).toBe(0);
    const jobs = result.json().data.jobs as { title: string }[];
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((job) => /nurse/i.test(job.title))).toBe(true);
    const [first] = getRecords();
    expect(first.instructions).toMatchObject({ recordtype: 'O', numrecords: 25, pagenum: 0 });
    expect(JSON.stringify(first)).toContain('Nurse');
  });

  it('renders a table of id, reference, title, company, status, location, date opened', async () => {
    const job = t.sandbox.tracker.jobs.toSorted((a, b) => a.id - b.id)[0]!;
    const result = await t.cli.run(['tracker', 'jobs', 'list', '--state', 'all', '--limit', '2']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[1]).toMatch(/^│ Id\s+│ Ref\s+│ Title\s+│ Company\s+│ Status\s+│ Location\s+│ Opened\s+│$/);
    expect(lines[2]).toContain(`│ ${job.id} │`);
    expect(lines[2]).toContain(job.title);
    expect(lines).toHaveLength(5);

    const none = await t.cli.run(['tracker', 'jobs', 'list', '--search', 'no job is called this']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('No jobs match.\n');
  });

  it('bad flag values are usage errors (exit 2), in the envelope with --json', async () => {
    const limit = await t.cli.run(['tracker', 'jobs', 'list', '--limit', 'x', '--json']);
    expect(limit.code).toBe(2);
    expect(expectEnvelope(limit, false).error.code).toBe('usage_error');
    const state = await t.cli.run(['tracker', 'jobs', 'list', '--state', 'sold']);
    expect(state.code).toBe(2);
    expect(state.stderr).toMatch(/^Error: option '--state <state>' argument 'sold' is invalid/m);
    const date = await t.cli.run(['tracker', 'jobs', 'list', '--updated-after', 'last week', '--json']);
    expect(date.code).toBe(2);
    expect(expectEnvelope(date, false).error.message).toMatch(/^--updated-after must be a date/);
    expect(getRecords()).toEqual([]);
  });

  it('without a Tracker login it is exit 4', async () => {
    const other = new TestCli();
    try {
      const result = await other.run(['tracker', 'jobs', 'list', '--json']);
      expect(result.code).toBe(4);
      expect(expectEnvelope(result, false).error.code).toBe('not_logged_in');
    } finally {
      other.cleanup();
    }
  });
});
