import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWriteLedger, type WriteLedger } from '../../src/store/write-ledger.js';
import type { GetRecordsQuery, TrackerClient } from '../../src/tracker/client.js';
import type { RecordRow } from '../../src/tracker/schemas.js';
import { ActivityIndex, CandidateIndex, Freshness, type PagedRead } from '../../src/workflows/tracker-index.js';

/**
 * The index of src/workflows/tracker-index.ts against a fake Tracker that pages like the Widget API (100 rows a page,
 * 0-based pagenum, searchtext on the name, sortfield id): which pages it asks for, and what it answers by marker and
 * e-mail.
 */

type Row = RecordRow;

/** With `ignore`, the fake answers like a server that ignores sortdir (always ascending) or pagenum (always page 0). */
function fakeTracker(rows: { A: Row[]; R: Row[] }, ignore?: 'sortdir' | 'pagenum') {
  const queries: GetRecordsQuery[] = [];
  const tracker = {
    async getRecords(query: GetRecordsQuery) {
      queries.push(query);
      const search = (query.searchtext ?? '').toLowerCase();
      const all = rows[query.recordtype as 'A' | 'R'].filter((row) => row.name.toLowerCase().includes(search));
      const desc = query.sortdir === 'desc' && ignore !== 'sortdir';
      all.sort((a, b) => (desc ? b.id - a.id : a.id - b.id));
      const size = query.numrecords ?? 100;
      const pagenum = ignore === 'pagenum' ? 0 : (query.pagenum ?? 0);
      const page = all.slice(pagenum * size, (pagenum + 1) * size);
      return { status: 0, message: '', count: page.length, results: page };
    },
  };
  return { tracker: tracker as unknown as TrackerClient, queries };
}

const activity = (id: number, subject: string, candidateId = 5001): Row => ({
  id,
  name: subject,
  company: '',
  status: '',
  dateopened: '',
  details: { subject, note: `note ${id}`, resourceid: candidateId, ActivityTypeName: 'Apriora Interview' },
  customfields: [{ id: 21, value: '82' }],
});
const candidate = (id: number, email: string, name = 'Sam Smith'): Row => ({
  id,
  name,
  company: '',
  status: '',
  dateopened: '',
  details: { email },
  customfields: [],
});

async function readWhole(start: { read: PagedRead }, budget = 1000): Promise<void> {
  expect(await start.read.continue(() => budget)).toBe(true);
}

let tmp: string;
let ledger: WriteLedger;
let now: number;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'apriora-index-'));
  now = Date.parse('2026-03-10T12:00:00Z');
  ledger = openWriteLedger(join(tmp, 'ledger'), () => now);
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('activity index', () => {
  it('reads every marked activity in pages of 100, oldest first, the next page asked for while one is consumed', async () => {
    const rows = [
      activity(9001, 'Apriora Interview: Nurse — 82/100 [apriora:rep_1] [apriora:pos_1/5001]'),
      activity(9002, 'Apriora Interview: Nurse — invited [apriora:pos_1/5002]', 5002),
      activity(9003, 'A call about apriora: nothing marked'),
      ...Array.from({ length: 247 }, (_, i) => activity(9100 + i, `Apriora Interview — 50/100 [apriora:rep_${100 + i}]`)),
    ];
    const { tracker, queries } = fakeTracker({ A: rows, R: [] });
    const start = ActivityIndex.start(tracker, { ledger, trustWithoutLedger: false, now: () => now });
    await readWhole(start);
    // First the page just past the budget (empty: the list fits in it), then the pages.
    expect(queries).toEqual(
      [1000, 0, 1, 2].map((pagenum) => ({
        recordtype: 'A',
        searchtext: 'apriora:',
        includecustomfields: true,
        sortfield: 'id',
        sortdir: 'asc',
        numrecords: 100,
        pagenum,
      })),
    );
    const index = start.index;
    expect(index.size).toBe(249);
    expect(index.watermark).toBe(9346);
    expect(index.forReport('rep_1').map((row) => row.id)).toEqual([9001]);
    // The row keeps what a push compares: subject, note, fields, the candidate it is on.
    expect(index.forReport('rep_1')[0]).toMatchObject({
      details: { subject: rows[0]!.name, note: 'note 9001', resourceid: 5001 },
      customfields: [{ id: 21, value: '82' }],
    });
    expect(index.forInterview('pos_1', 5001).map((row) => row.id)).toEqual([9001]);
    expect(index.forInterview('pos_1', 5002).map((row) => row.id)).toEqual([9002]);
    // Markers are exact: rep_1 is not rep_10x, pos_1/5001 not pos_1/500.
    expect(index.forReport('rep_10')).toEqual([]);
    expect(index.forInterview('pos_1', 500)).toEqual([]);
  });

  it('a list longer than the budget costs one request (the page just past it); read once the budget has outgrown it', async () => {
    const rows = Array.from({ length: 450 }, (_, i) => activity(9000 + i, `Apriora Interview [apriora:rep_${i}]`));
    const { tracker, queries } = fakeTracker({ A: rows, R: [] });
    const start = ActivityIndex.start(tracker, { ledger, trustWithoutLedger: false });
    expect(await start.read.continue(() => 2)).toBe(false);
    expect(queries.map((q) => q.pagenum)).toEqual([2]);
    expect(queries[0]).toMatchObject({ recordtype: 'A', searchtext: 'apriora:', sortfield: 'id', sortdir: 'asc', numrecords: 100 });
    expect(start.read.pages).toBe(0);
    expect(start.read.reach).toBe(2);
    expect(await start.read.continue(() => 4)).toBe(false); // still too short: probed again, nothing read
    expect(queries.map((q) => q.pagenum)).toEqual([2, 4]);
    expect(start.read.reach).toBe(4);
    expect(await start.read.continue(() => 10)).toBe(true);
    expect(queries.map((q) => q.pagenum)).toEqual([2, 4, 10, 0, 1, 2, 3, 4]);
    expect(start.index.size).toBe(450);
  });

  it('a read stopped at its budget goes on from there (re-reading the last page first), or says the pages shifted', async () => {
    // 100 rows and a budget of 1: page 1 is empty, but only reading it would tell that page 0 is the last.
    const rows = Array.from({ length: 200 }, (_, i) => activity(9000 + i, `Apriora Interview [apriora:rep_${i}]`));
    const some = rows.slice(0, 100);
    const { tracker, queries } = fakeTracker({ A: some, R: [] });
    const start = ActivityIndex.start(tracker, { ledger, trustWithoutLedger: false });
    expect(await start.read.continue(() => 1)).toBe(false);
    expect(queries.map((q) => q.pagenum)).toEqual([1, 0]);
    expect(start.read.pages).toBe(1);
    some.push(...rows.slice(100, 150));
    expect(await start.read.continue(() => 10)).toBe(true);
    expect(queries.map((q) => q.pagenum)).toEqual([1, 0, 10, 0, 1]);
    expect(start.index.size).toBe(150);

    // A record deleted between two parts of a read shifts the pages: the read says so (and is started over).
    const other = rows.slice(0, 100);
    const shifted = fakeTracker({ A: other, R: [] });
    const again = ActivityIndex.start(shifted.tracker, { ledger, trustWithoutLedger: false });
    expect(await again.read.continue(() => 1)).toBe(false);
    other.splice(3, 1);
    expect(await again.read.continue(() => 10)).toBe('shifted');
  });

  it('a scan reads the newest activities down to the watermark; what it finds is added', async () => {
    const rows = [activity(9001, 'Apriora Interview [apriora:rep_1]')];
    const { tracker, queries } = fakeTracker({ A: rows, R: [] });
    const start = ActivityIndex.start(tracker, { ledger, trustWithoutLedger: false, now: () => now });
    await readWhole(start);
    const index = start.index;
    rows.push(activity(9002, 'Apriora Interview [apriora:rep_2]'), activity(9003, 'Apriora Interview [apriora:rep_2]'));
    queries.length = 0;
    now += 5000;
    expect(await index.scanNew(tracker, () => now)).toBe(2);
    expect(queries).toEqual([
      { recordtype: 'A', searchtext: 'apriora:', includecustomfields: true, sortfield: 'id', sortdir: 'desc', numrecords: 100, pagenum: 0 },
    ]);
    expect(index.forReport('rep_2').map((row) => row.id)).toEqual([9002, 9003]);
    expect(index.watermark).toBe(9003);
    expect(index.lastScanAt).toBe(now);

    // A row found by a look-up never raises the watermark: older rows not read yet would be skipped by the next scan.
    index.replaceReport('rep_9', [activity(9050, 'Apriora Interview [apriora:rep_9]')], now);
    expect(index.watermark).toBe(9003);
  });

  it("a rewrite moves the row to its new markers; a look-up's rows replace the report's", async () => {
    const { tracker } = fakeTracker({ A: [activity(9002, 'Apriora Interview: Nurse — invited [apriora:pos_1/5001]')], R: [] });
    const start = ActivityIndex.start(tracker, { ledger, trustWithoutLedger: false });
    await readWhole(start);
    const index = start.index;
    index.updated(9002, { subject: 'Apriora Interview: Nurse — 82/100 [apriora:rep_1] [apriora:pos_1/5001]', note: 'n', customfields: [], candidateId: 5001 });
    expect(index.forReport('rep_1').map((row) => row.id)).toEqual([9002]);
    expect(index.forInterview('pos_1', 5001)[0]!.details.subject).toContain('[apriora:rep_1]');
    index.replaceReport('rep_1', [], now);
    expect(index.forReport('rep_1')).toEqual([]);
    expect(index.forInterview('pos_1', 5001)).toEqual([]);
  });
});

describe('freshness against the ledger', () => {
  it('the index answers a key nobody wrote since it was read; a later entry, or one still pending, means look it up', () => {
    const freshness = new Freshness(now, ledger, false);
    expect(freshness.current('report:rep_1')).toBe(true);
    now -= 1000;
    ledger.written('report:rep_1', 9001); // written before the index was read: in it
    expect(freshness.current('report:rep_1')).toBe(true);
    now += 2000;
    ledger.written('report:rep_1', 9001); // written since
    expect(freshness.current('report:rep_1')).toBe(false);
    freshness.knownAt('report:rep_1', now + 1); // looked up (or written by this process) after that
    expect(freshness.current('report:rep_1')).toBe(true);
    ledger.writing('report:rep_1'); // a writer killed mid-write leaves it pending
    now += 60_000;
    expect(freshness.current('report:rep_1')).toBe(false);

    // Without a ledger: trusted only when nothing is written (dry runs).
    expect(new Freshness(now, undefined, true).current('report:rep_1')).toBe(true);
    expect(new Freshness(now, undefined, false).current('report:rep_1')).toBe(false);
  });
});

describe('candidate index', () => {
  it('every candidate by e-mail (any case), oldest id first, whatever their names; new ones by a scan down to the watermark', async () => {
    const rows = [
      ...Array.from({ length: 300 }, (_, i) => candidate(5001 + i, `sam.smith.${i}@example.com`)),
      candidate(5400, 'Twice@Example.com', 'Ann Twice'),
      candidate(5401, 'twice@example.com ', 'Ann Twice'),
      candidate(5402, '', 'No Mail'),
    ];
    const { tracker, queries } = fakeTracker({ A: [], R: rows });
    const start = CandidateIndex.start(tracker, { ledger, trustWithoutLedger: false });
    await readWhole(start);
    expect(queries.map((q) => [q.recordtype, q.sortfield, q.sortdir, q.pagenum, q.searchtext])).toEqual([
      ['R', 'id', 'asc', 1000, undefined],
      ['R', 'id', 'asc', 0, undefined],
      ['R', 'id', 'asc', 1, undefined],
      ['R', 'id', 'asc', 2, undefined],
      ['R', 'id', 'asc', 3, undefined],
    ]);
    const index = start.index;
    expect(index.idsOf('SAM.SMITH.17@example.com')).toEqual([5018]);
    expect(index.idsOf('twice@example.com')).toEqual([5400, 5401]);
    expect(index.idsOf('nobody@example.com')).toEqual([]);
    expect(index.watermark).toBe(5402);

    rows.push(candidate(5403, 'new@example.com', 'New Person'));
    queries.length = 0;
    expect(await index.scanNew(tracker)).toBe(1);
    expect(queries).toEqual([{ recordtype: 'R', sortfield: 'id', sortdir: 'desc', numrecords: 100, pagenum: 0 }]);
    expect(index.idsOf('new@example.com')).toEqual([5403]);
  });
});

describe('scans of the newest rows against a server that does not answer them newest first', () => {
  const marked = (from: number, n: number) => Array.from({ length: n }, (_, i) => activity(from + i, `Apriora Interview [apriora:rep_${from + i}]`));

  it('rows that do not come newest first (sortdir ignored): scan_unordered, nothing added; the next scan fails without a request', async () => {
    const rows = marked(9001, 5);
    const { tracker, queries } = fakeTracker({ A: rows, R: [candidate(5001, 'a@example.com'), candidate(5002, 'b@example.com')] }, 'sortdir');
    const start = ActivityIndex.start(tracker, { ledger, trustWithoutLedger: false });
    await readWhole(start);
    const index = start.index;
    rows.push(...marked(9100, 30)); // written by another machine
    queries.length = 0;
    await expect(index.scanNew(tracker)).rejects.toMatchObject({ code: 'scan_unordered' });
    expect(index.forReport('rep_9100')).toEqual([]);
    expect(index.watermark).toBe(9005);
    await expect(index.scanNew(tracker)).rejects.toMatchObject({ code: 'scan_unordered' });
    expect(queries).toHaveLength(1);

    const candidates = CandidateIndex.start(tracker, { ledger, trustWithoutLedger: false });
    await readWhole(candidates);
    await expect(candidates.index.scanNew(tracker)).rejects.toMatchObject({ code: 'scan_unordered' });
  });

  it('an order broken across pages is found too', async () => {
    const rows = marked(9001, 250);
    const { tracker } = fakeTracker({ A: rows, R: [] });
    const start = ActivityIndex.start(tracker, { ledger, trustWithoutLedger: false });
    await readWhole(start);
    rows.push(...marked(9300, 150));
    // Page 1 comes from an ascending list: its first id is above the last of page 0.
    const mixed = {
      getRecords: (query: GetRecordsQuery) => tracker.getRecords(query.pagenum === 1 ? { ...query, sortdir: 'asc' } : query),
    } as unknown as TrackerClient;
    await expect(start.index.scanNew(mixed)).rejects.toMatchObject({ code: 'scan_unordered' });
  });

  it('a record created between two pages pushes a row already read onto the next page: taken once, not disorder', async () => {
    const rows = marked(9001, 5);
    const { tracker } = fakeTracker({ A: rows, R: [] });
    const start = ActivityIndex.start(tracker, { ledger, trustWithoutLedger: false });
    await readWhole(start);
    rows.push(...marked(9100, 150));
    const shifting = {
      getRecords: async (query: GetRecordsQuery) => {
        if (query.pagenum === 1) rows.push(...marked(9300, 1)); // written by another machine while page 0 was read
        return tracker.getRecords(query);
      },
    } as unknown as TrackerClient;
    expect(await start.index.scanNew(shifting)).toBe(150);
    expect(start.index.forReport('rep_9100')).toHaveLength(1);
    expect(start.index.forReport('rep_9249')).toHaveLength(1);
    expect(start.index.watermark).toBe(9249);
  });

  it('the same page again (pagenum ignored): paging_stuck, not a read without end', async () => {
    const rows = marked(9001, 5);
    const start = ActivityIndex.start(fakeTracker({ A: rows, R: [] }).tracker, { ledger, trustWithoutLedger: false });
    await readWhole(start);
    rows.push(...marked(9100, 250));
    const { tracker, queries } = fakeTracker({ A: rows, R: [] }, 'pagenum');
    await expect(start.index.scanNew(tracker)).rejects.toMatchObject({ code: 'paging_stuck' });
    expect(queries.map((q) => q.pagenum)).toEqual([0, 1]);
    expect(start.index.forReport('rep_9349')).toEqual([]);
  });
});
