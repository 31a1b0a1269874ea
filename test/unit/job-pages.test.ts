import { describe, expect, it } from 'vitest';
import { IdSet } from '../../src/lib/id-set.js';
import type { TrackerClient } from '../../src/tracker/client.js';
import { estimateJobReads, JobPages, type ListPage, PAGE_SIZE, trackerJobPage } from '../../src/workflows/job-pages.js';
import type { JobForInterview } from '../../src/workflows/jobs.js';

/**
 * Job ids resolved from the job list's pages (src/workflows/job-pages.ts): which pages are read for which ids, what
 * is left to single reads, and what happens when the list cannot be used.
 */

const job = (id: number, description = `<p>Job ${id}</p>`): JobForInterview => ({
  id,
  reference: `JOB-${id}`,
  title: `Job ${id}`,
  descriptionHtml: description,
  client: 'Mercy',
  location: 'Boston, MA',
  type: 'Permanent',
  status: 'Open',
  payRate: '',
  startDate: '',
});

const range = (from: number, count: number, step = 1) => Array.from({ length: count }, (_, i) => from + i * step);

function idSet(ids: number[]): IdSet {
  const set = new IdSet();
  for (const id of ids) set.add(id);
  return set;
}

/** A job list holding `ids` (sorted), page by page as Tracker serves it; `read` records the page numbers asked for. */
function list(ids: number[], wanted: IdSet, options: { fail?: (page: number) => boolean; description?: string } = {}) {
  const sorted = [...ids].sort((a, b) => a - b);
  const read: number[] = [];
  const readPage = async (page: number): Promise<ListPage> => {
    read.push(page);
    if (options.fail?.(page)) throw new Error(`page ${page} failed`);
    const rows = sorted.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE);
    const jobs = rows.filter((id) => wanted.has(id)).map((id) => job(id, options.description));
    return { rows: rows.length, firstId: rows[0] ?? 0, lastId: rows.at(-1) ?? 0, ascending: true, found: jobs.length, jobs };
  };
  return { readPage, read };
}

function shuffle<T>(items: T[], seed = 7): T[] {
  const result = [...items];
  let state = seed;
  for (let i = result.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

async function takeAll(pages: JobPages, ids: number[]) {
  const results: (JobForInterview | { id: number })[] = [];
  for (const id of ids) results.push(await pages.take(id));
  return results;
}

const fromPage = (result: JobForInterview | { id: number }) => 'descriptionHtml' in result;

describe('JobPages', () => {
  it('1,000 of 1,100 jobs, asked in any order: the 10 pages that hold them, never the one past the highest', async () => {
    const jobs = range(3101, 1_100);
    const ids = shuffle(jobs.slice(0, 1_000));
    const wanted = idSet(ids);
    const { readPage, read } = list(jobs, wanted);
    const results = await takeAll(new JobPages(wanted, readPage), ids);
    expect(results.map((result) => result.id)).toEqual(ids);
    expect(results.every(fromPage)).toBe(true);
    expect(results.find((result) => result.id === 3101)).toEqual(job(3101));
    expect(read).toEqual(range(0, 10));
  });

  it('in input order, the pages are read as the ids need them, one page ahead', async () => {
    const jobs = range(1, 1_000);
    const ids = range(1, 300);
    const wanted = idSet(ids);
    const { readPage, read } = list(jobs, wanted);
    const pages = new JobPages(wanted, readPage);
    await pages.take(1);
    // page 0, and page 1 ahead of time
    expect(read).toEqual([0, 1]);
    await pages.take(100);
    expect(read).toEqual([0, 1]);
    await pages.take(101);
    expect(read).toEqual([0, 1, 2]);
    await takeAll(pages, range(102, 199));
    expect(read).toEqual([0, 1, 2]);
  });

  it('starts from the page of the lowest wanted id, found by a binary search', async () => {
    const jobs = range(1, 100_000);
    const ids = shuffle(range(90_001, 500));
    const wanted = idSet(ids);
    const { readPage, read } = list(jobs, wanted);
    const results = await takeAll(new JobPages(wanted, readPage), ids);
    expect(results.every(fromPage)).toBe(true);
    // The search (ids 90,001 and up are on page 900 or before), then the five pages that hold the ids.
    expect(read.length).toBeLessThanOrEqual(16);
    expect(read.slice(-5)).toEqual([900, 901, 902, 903, 904]);
    expect(Math.max(...read)).toBe(904);
  });

  it('ids far apart are left to single reads once a page shows that paging to them would cost more', async () => {
    const jobs = range(1, 100_000);
    const ids = range(5_000, 25, 4_000);
    const wanted = idSet(ids);
    const { readPage, read } = list(jobs, wanted);
    const results = await takeAll(new JobPages(wanted, readPage), ids);
    // The first id is looked for (a search of at most 7 pages: the ids might have been all the jobs of those pages);
    // its page shows 100 ids a page, so the other 24 are read singly.
    expect(fromPage(results[0]!)).toBe(true);
    expect(results.slice(1)).toEqual(ids.slice(1).map((id) => ({ id })));
    expect(read.length).toBeLessThanOrEqual(7);
    expect(read.at(-1)).toBe(49);
  });

  it('ids as sparse as the jobs themselves are read by pages (a database whose ids are far apart)', async () => {
    const jobs = range(1_000, 5_000, 37);
    const ids = shuffle(jobs.slice(0, 1_000));
    const wanted = idSet(ids);
    const { readPage, read } = list(jobs, wanted);
    const results = await takeAll(new JobPages(wanted, readPage), ids);
    expect(results.every(fromPage)).toBe(true);
    expect(read).toEqual(range(0, 10));
  });

  it('two clusters far apart: the pages of each, with a search between them', async () => {
    const jobs = range(1, 50_000);
    const ids = [...range(1, 300), ...range(40_001, 300)];
    const wanted = idSet(ids);
    const { readPage, read } = list(jobs, wanted);
    const results = await takeAll(new JobPages(wanted, readPage), ids);
    expect(results.every(fromPage)).toBe(true);
    expect(read.slice(0, 3)).toEqual([0, 1, 2]);
    expect(read.slice(-3)).toEqual([400, 401, 402]);
    expect(read.length).toBeLessThanOrEqual(6 + 12);
  });

  it('ids the pages do not show (no such job, past the end of the list) are left to single reads', async () => {
    const jobs = range(3101, 200).filter((id) => id !== 3150 && id !== 3250);
    const ids = [3101, 3150, 3199, 3250, 3300, 3301, 3400, 99_999, ...range(3102, 40)];
    const wanted = idSet(ids);
    const { readPage, read } = list(jobs, wanted);
    const results = await takeAll(new JobPages(wanted, readPage), ids);
    const single = results.filter((result) => !fromPage(result)).map((result) => result.id);
    expect(single).toEqual([3150, 3250, 3301, 3400, 99_999]);
    // Page 1 is short: the end of the list, nothing read after it.
    expect(read).toEqual([0, 1]);
  });

  it('a page that cannot be read: the ids not read yet are left to single reads', async () => {
    const jobs = range(1, 1_000);
    const ids = range(1, 600);
    const wanted = idSet(ids);
    const { readPage, read } = list(jobs, wanted, { fail: (page) => page === 3 });
    const results = await takeAll(new JobPages(wanted, readPage), ids);
    expect(results.slice(0, 300).every(fromPage)).toBe(true);
    expect(results.slice(300)).toEqual(range(301, 300).map((id) => ({ id })));
    expect(read).toEqual([0, 1, 2, 3]);
  });

  it('stopped (Ctrl-C) while a page is read: the stop, not single reads', async () => {
    const controller = new AbortController();
    const wanted = idSet(range(1, 300));
    const pages = new JobPages(
      wanted,
      async () => {
        controller.abort(new Error('interrupted'));
        throw new Error('aborted');
      },
      controller.signal,
    );
    await expect(pages.take(1)).rejects.toThrow('aborted');
  });

  it('a list that is not sorted by id is not used', async () => {
    const wanted = idSet(range(1, 300));
    const read: number[] = [];
    const pages = new JobPages(wanted, async (page) => {
      read.push(page);
      return { rows: PAGE_SIZE, firstId: 500, lastId: 7, ascending: false, found: 1, jobs: [job(7)] };
    });
    expect(await takeAll(pages, [7, 1, 250])).toEqual([{ id: 7 }, { id: 1 }, { id: 250 }]);
    expect(read).toEqual([0]);
  });

  it('jobs waiting for their turn are kept up to a budget; beyond it they are read singly', async () => {
    const jobs = range(1, 200);
    const ids = [...range(1, 200)].reverse();
    const wanted = idSet(ids);
    // 200 jobs of 200,000 characters each: about 80 MB if all were kept for the last id to be asked first; about 32 MB are.
    const { readPage } = list(jobs, wanted, { description: 'x'.repeat(200_000) });
    const results = await takeAll(new JobPages(wanted, readPage), ids);
    const kept = results.filter(fromPage).length;
    expect(kept).toBeGreaterThan(60);
    expect(kept).toBeLessThan(100);
    expect(results.map((result) => result.id)).toEqual(ids);
  });
});

describe('trackerJobPage', () => {
  it('asks for every job (all states) sorted by id, 100 a page, and keeps only the wanted jobs', async () => {
    const calls: unknown[] = [];
    const row = (id: number) => ({
      id,
      name: `JOB-${id} Nurse`,
      company: 'Mercy',
      status: 'Closed',
      dateopened: '',
      details: { description: '<p>x</p>' },
      customfields: [],
    });
    const tracker = {
      async getRecords(query: unknown) {
        calls.push(query);
        return { status: 0, message: '', count: 3, results: [row(5), row(6), row(9)] };
      },
    } as unknown as TrackerClient;
    const page = await trackerJobPage(tracker, idSet([6, 9, 12]))(4);
    expect(calls).toEqual([{ recordtype: 'O', state: '', searchtext: '', numrecords: 100, sortfield: 'id', sortdir: 'asc', pagenum: 4 }]);
    expect(page).toMatchObject({ rows: 3, firstId: 5, lastId: 9, ascending: true, found: 2 });
    expect(page.jobs.map((each) => [each.id, each.reference, each.title, each.status])).toEqual([
      [6, 'JOB-6', 'Nurse', 'Closed'],
      [9, 'JOB-9', 'Nurse', 'Closed'],
    ]);
  });
});

describe('estimateJobReads', () => {
  it('counts the pages of a dense list from the lowest id, and single reads for ids far apart', async () => {
    expect(await estimateJobReads(idSet(range(3101, 1_000)))).toEqual({ pages: 10, singles: 0 });
    expect(await estimateJobReads(idSet(range(5_001, 101, 1_000)))).toEqual({ pages: 0, singles: 101 });
    const mixed = await estimateJobReads(idSet([...range(1, 2_000), ...range(1_000_000, 50, 10_000)]));
    expect(mixed).toEqual({ pages: 20, singles: 50 });
  });
});
