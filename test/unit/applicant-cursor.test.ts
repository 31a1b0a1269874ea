import { describe, expect, it } from 'vitest';
import type { Applicant, ApplicantPage } from '../../src/tracker/rest.js';
import { type ApplicantPages, MAX_WALK_BACK, readAllApplicants, readApplicantsAfter } from '../../src/workflows/applicant-cursor.js';

/** A fake REST search: rows in ascending id, 1-based pages of at most 10, every page request counted. */
class FakeSearch implements ApplicantPages {
  requests: number[] = [];
  constructor(public ids: number[]) {}

  private row(id: number): Applicant {
    return {
      applicationId: id,
      jobId: 1,
      candidateId: id + 1000,
      jobName: 'Job',
      statusId: 1,
      status: 'Applied',
      active: true,
      name: `C ${id}`,
      email: `c${id}@example.com`,
      source: 'Web',
      appliedAt: null,
      updatedAt: null,
    };
  }

  async searchPage(pageNumber: number, pageSize = 10): Promise<ApplicantPage> {
    this.requests.push(pageNumber);
    const size = Math.min(pageSize, 10);
    const sorted = [...this.ids].sort((a, b) => a - b);
    return {
      applicants: sorted.slice((pageNumber - 1) * size, pageNumber * size).map((id) => this.row(id)),
      totalRecords: sorted.length,
      pageNumber,
      pageSize: size,
    };
  }

  async *applicants(): AsyncIterable<Applicant> {
    for (let page = 1; ; page++) {
      const answer = await this.searchPage(page);
      yield* answer.applicants;
      if (answer.applicants.length < 10 || page * 10 >= answer.totalRecords) return;
    }
  }
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
const ids = (read: { rows: { row: Applicant }[] }) => read.rows.map((entry) => entry.row.applicationId);

describe('readApplicantsAfter', () => {
  it('without a cursor reads every row, each with its position', async () => {
    const source = new FakeSearch(range(1, 25));
    const read = await readApplicantsAfter(source, { lastApplicationId: null, rowsUpToLast: null });
    expect(read.full).toBe(true);
    expect(ids(read)).toEqual(range(1, 25));
    expect(read.rows[24]!.rowsUpTo).toBe(25);
  });

  it('an idle cycle on 5,000 rows costs one request', async () => {
    const source = new FakeSearch(range(1, 5000));
    const read = await readApplicantsAfter(source, { lastApplicationId: 5000, rowsUpToLast: 5000 });
    expect(ids(read)).toEqual([]);
    expect(source.requests).toEqual([500]);
    expect(read.requests).toBe(1);
  });

  it('new rows at the end are read from the page of the last seen one on', async () => {
    const source = new FakeSearch([...range(1, 4995), ...range(6001, 12)]);
    const read = await readApplicantsAfter(source, { lastApplicationId: 4995, rowsUpToLast: 4995 });
    expect(ids(read)).toEqual(range(6001, 12));
    expect(source.requests).toEqual([500, 501]);
    expect(read.rows.at(-1)!.rowsUpTo).toBe(5007);
    expect(read.full).toBe(false);
  });

  it('rows deleted before the cursor: the page moved back, the read walks back to it and misses nothing', async () => {
    // 5,000 rows seen; then 15 of the oldest were deleted and 3 new rows arrived.
    const source = new FakeSearch([...range(16, 4985), 5001, 5002, 5003]);
    const read = await readApplicantsAfter(source, { lastApplicationId: 5000, rowsUpToLast: 5000 });
    expect(ids(read)).toEqual([5001, 5002, 5003]);
    // Page 500 is past the end; the last page (499) holds 4,991..5,003... (after walking back as needed).
    expect(source.requests.length).toBeLessThanOrEqual(3);
  });

  it('rows deleted just before the cursor on the same page: walks back one page', async () => {
    const source = new FakeSearch([...range(1, 90), ...range(100, 21)]); // 91..99 deleted: 111 rows seen as 120
    const read = await readApplicantsAfter(source, { lastApplicationId: 111, rowsUpToLast: 111 });
    expect(ids(read)).toEqual(range(112, 9));
  });

  it('the cursor row moved to an earlier page: its page starts after it, so the read walks back', async () => {
    // The cursor was row 31 at position 31 (page 4); rows 1..10 were deleted: page 4 now starts with 41.
    const source = new FakeSearch([...range(11, 40), ...range(51, 2)]);
    const read = await readApplicantsAfter(source, { lastApplicationId: 31, rowsUpToLast: 31 });
    expect(source.requests[0]).toBe(4);
    expect(source.requests).toContain(3);
    expect(ids(read)).toEqual([...range(32, 19), 51, 52]);
  });

  it('rows inserted before the cursor (the search index catching up): pages moved forward, rows are taken by id', async () => {
    // Seen up to id 100 at position 50 (even ids); 15 odd ids below 100 showed up since, and 101..103 are new.
    const source = new FakeSearch([...range(1, 50).map((i) => i * 2), ...range(1, 15).map((i) => i * 2 + 69), 101, 102, 103]);
    const read = await readApplicantsAfter(source, { lastApplicationId: 100, rowsUpToLast: 50 });
    expect(ids(read)).toEqual([101, 102, 103]);
    expect(source.requests).toEqual([5, 6, 7]);
    expect(read.rows.map((entry) => entry.rowsUpTo)).toEqual([66, 67, 68]);
  });

  it('a cursor past the end (its rows deleted) finds nothing new and costs a page or two', async () => {
    const source = new FakeSearch(range(1, 30));
    const read = await readApplicantsAfter(source, { lastApplicationId: 80, rowsUpToLast: 80 });
    expect(ids(read)).toEqual([]);
    expect(source.requests).toEqual([8, 3]);
  });

  it('an empty database: nothing, without walking', async () => {
    const source = new FakeSearch([]);
    const read = await readApplicantsAfter(source, { lastApplicationId: 12, rowsUpToLast: 12 });
    expect(ids(read)).toEqual([]);
    expect(source.requests.length).toBeLessThanOrEqual(2);
  });

  it('gives the estimate up after MAX_WALK_BACK pages and reads every row', async () => {
    // The cursor row was at position 200; 150 older rows were deleted and 200 new ones came: many pages off.
    const source = new FakeSearch(range(151, 250));
    const read = await readApplicantsAfter(source, { lastApplicationId: 200, rowsUpToLast: 200 });
    expect(ids(read)).toEqual(range(201, 200));
    expect(source.requests.slice(0, MAX_WALK_BACK + 1)).toEqual([20, 19, 18, 17, 16, 15]);
    expect(source.requests.filter((page) => page === 1)).toHaveLength(1);
    expect(MAX_WALK_BACK).toBeGreaterThan(0);
  });

  it('without rowsUpToLast starts at page 1 and reads on', async () => {
    const source = new FakeSearch(range(1, 22));
    const read = await readApplicantsAfter(source, { lastApplicationId: 20, rowsUpToLast: null });
    expect(ids(read)).toEqual([21, 22]);
    expect(source.requests).toEqual([1, 2, 3]);
  });
});

describe('readAllApplicants', () => {
  it('reads each row once, in id order', async () => {
    const read = await readAllApplicants(new FakeSearch(range(1, 13)));
    expect(ids(read)).toEqual(range(1, 13));
    expect(read.full).toBe(true);
  });
});
