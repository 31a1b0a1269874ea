import { describe, expect, it } from 'vitest';
import type { AprioraClient, ReportFilter } from '../../src/apriora/client.js';
import type { Position } from '../../src/apriora/partner.js';
import type { Report } from '../../src/apriora/schemas.js';
import { DEFAULT_SCAN_CONCURRENCY, type ReportRef, reportSource } from '../../src/workflows/report-sources.js';

/**
 * The report sources of `activity push` against a fake Apriora client that records every read: which positions'
 * reports were asked for, how many reads were under way at once, and whether a stop reached the reads under way.
 */

const SINCE = new Date('2026-03-01T00:00:00Z');
const AT = SINCE.getTime() / 1000;

const position = (n: number): Position => ({
  positionId: `pos_${n}`,
  title: `Job ${n}`,
  modality: 'phone',
  status: 'active',
  externalSource: 'tracker',
  externalId: String(3000 + n),
  interviewUrl: null,
  createdAt: null,
});

const report = (reportId: string, positionId: string, timeCompleted: number): Report => ({
  reportId,
  candidateId: `cand_${reportId}`,
  positionId,
  overallScore: 80,
  overallFeedback: '',
  questionSummary: [],
  tags: [],
  skills: [],
  timeCompleted,
  videoUrl: null,
  pdfUrl: null,
});

interface FakeOptions {
  /** When each position's reads answer, relative to one another (default: in the order asked). */
  answerAfter?: (positionId: string) => number;
  /** Reads wait for `release()` instead of answering by themselves. */
  held?: boolean;
}

function fakeApriora(positions: Position[], reports: Report[], options: FakeOptions = {}) {
  const reads: string[] = [];
  const aborted: string[] = [];
  const waiting: (() => void)[] = [];
  let inFlight = 0;
  let peak = 0;
  let positionPages = 0;
  const client = {
    iteratePositions: async function* (_query: unknown, pageSize: number, signal?: AbortSignal) {
      for (let i = 0; i < positions.length; i++) {
        if (i % pageSize === 0) positionPages++;
        signal?.throwIfAborted();
        yield positions[i]!;
      }
    },
    getReports: (filter: ReportFilter, signal?: AbortSignal) =>
      new Promise<Report[]>((resolve, reject) => {
        const positionId = filter.positionId!;
        reads.push(positionId);
        inFlight++;
        peak = Math.max(peak, inFlight);
        let settled = false;
        const onAbort = () => {
          if (settled) return;
          settled = true;
          inFlight--;
          aborted.push(positionId);
          reject(signal?.reason);
        };
        const answer = () => {
          if (settled) return;
          settled = true;
          inFlight--;
          signal?.removeEventListener('abort', onAbort);
          resolve(reports.filter((r) => r.positionId === positionId));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        if (options.held) waiting.push(answer);
        else setTimeout(answer, options.answerAfter?.(positionId) ?? 0);
      }),
    getCandidates: async () => [],
    listPositions: async (query: { externalId?: string }) => positions.filter((p) => p.externalId === query.externalId).slice(0, 1),
  };
  return {
    apriora: client as unknown as AprioraClient,
    reads,
    aborted,
    get inFlight() {
      return inFlight;
    },
    get peak() {
      return peak;
    },
    get positionPages() {
      return positionPages;
    },
    /** Answers the first `count` reads waiting now (all of them by default). */
    release(count = Number.POSITIVE_INFINITY) {
      for (const answer of waiting.splice(0, count)) answer();
    },
  };
}

async function collect(source: AsyncIterable<ReportRef>): Promise<ReportRef[]> {
  const refs: ReportRef[] = [];
  for await (const ref of source) refs.push(ref);
  return refs;
}

const since = (apriora: AprioraClient, signal = new AbortController().signal, scanConcurrency?: number) =>
  reportSource(apriora, { kind: 'since', since: SINCE }, signal, () => {}, scanConcurrency === undefined ? {} : { scanConcurrency });

describe('reportSource --since', () => {
  it('refs come in the order of the positions list, oldest completion first within each, whatever order the reads answer in', async () => {
    const positions = Array.from({ length: 40 }, (_, i) => position(i));
    const reports = [
      report('rep_b', 'pos_3', AT + 50),
      report('rep_a', 'pos_3', AT + 10),
      report('rep_old', 'pos_3', AT - 1),
      report('rep_c', 'pos_17', AT + 5),
      report('rep_e', 'pos_39', AT + 1),
      report('rep_d', 'pos_39', AT + 1),
      report('rep_f', 'pos_0', AT),
    ];
    // Later positions answer first.
    const fake = fakeApriora(positions, reports, { answerAfter: (id) => 40 - Number(id.slice(4)) });
    const refs = await collect(since(fake.apriora, undefined, 8));
    expect(refs.map((ref) => ref.reportId)).toEqual(['rep_f', 'rep_a', 'rep_b', 'rep_c', 'rep_d', 'rep_e']);
    // One read of each position's reports, in list order; the positions list itself is not read again.
    expect(fake.reads).toEqual(positions.map((p) => p.positionId));
    expect(fake.positionPages).toBe(1);
  });

  it('each ref carries the report and its position from the list, so the push reads neither again', async () => {
    const positions = [position(1), position(2)];
    const fake = fakeApriora(positions, [report('rep_1', 'pos_1', AT + 1), report('rep_2', 'pos_2', AT + 2)]);
    const refs = await collect(since(fake.apriora));
    expect(refs).toEqual([
      { reportId: 'rep_1', report: expect.objectContaining({ reportId: 'rep_1' }), position: positions[0] },
      { reportId: 'rep_2', report: expect.objectContaining({ reportId: 'rep_2' }), position: positions[1] },
    ]);
  });

  it('a report the position read returns for another position carries no position; a report listed twice comes once', async () => {
    const fake = fakeApriora([position(1), position(2)], []);
    const stray = report('rep_x', 'pos_9', AT + 1);
    const twice = report('rep_t', 'pos_1', AT + 2);
    (fake.apriora as unknown as { getReports: () => Promise<Report[]> }).getReports = async () => [stray, twice];
    const refs = await collect(since(fake.apriora));
    expect(refs.map((ref) => [ref.reportId, ref.position?.positionId])).toEqual([
      ['rep_x', undefined],
      ['rep_t', 'pos_1'],
    ]);
  });

  it(`reads the reports of at most ${DEFAULT_SCAN_CONCURRENCY} positions at once by default, or the number asked for`, async () => {
    const positions = Array.from({ length: 100 }, (_, i) => position(i));
    const byDefault = fakeApriora(positions, []);
    await collect(since(byDefault.apriora));
    expect(byDefault.peak).toBe(DEFAULT_SCAN_CONCURRENCY);
    expect(byDefault.reads).toHaveLength(100);

    const four = fakeApriora(positions, []);
    await collect(since(four.apriora, undefined, 4));
    expect(four.peak).toBe(4);
    expect(four.reads).toHaveLength(100);

    expect(() => since(four.apriora, undefined, 0)).toThrow(RangeError);
  });

  it('does not read ahead of its consumer by more than the window: memory stays flat', async () => {
    const positions = Array.from({ length: 200 }, (_, i) => position(i));
    const reports = positions.map((p, i) => report(`rep_${i}`, p.positionId, AT + 1));
    const fake = fakeApriora(positions, reports);
    const iterator = since(fake.apriora, undefined, 5)[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.reportId).toBe('rep_0');
    await expect.poll(() => fake.inFlight).toBe(0);
    // The first position's read, and the four others of the window: no more until the consumer asks.
    expect(fake.reads).toHaveLength(5);
    await iterator.return?.(undefined);
    expect(fake.reads).toHaveLength(5);
  });

  it('a stop (Ctrl-C) cancels the reads under way and starts no other; the scan ends with the stop', async () => {
    const positions = Array.from({ length: 50 }, (_, i) => position(i));
    const fake = fakeApriora(positions, [report('rep_0', 'pos_0', AT + 1)], { held: true });
    const controller = new AbortController();
    const iterator = since(fake.apriora, controller.signal, 6)[Symbol.asyncIterator]();
    const first = iterator.next();
    await expect.poll(() => fake.reads.length).toBe(6);
    fake.release(1);
    expect((await first).value?.reportId).toBe('rep_0');

    const second = iterator.next();
    await expect.poll(() => fake.reads.length).toBe(7);
    controller.abort('SIGINT');
    await expect(second).rejects.toBe('SIGINT');
    expect(fake.reads).toHaveLength(7);
    expect(fake.aborted).toEqual(positions.slice(1, 7).map((p) => p.positionId));
    expect(fake.inFlight).toBe(0);
    expect(await iterator.next()).toEqual({ done: true, value: undefined });
    expect(fake.reads).toHaveLength(7);
  });

  it('a consumer that leaves early cancels the reads under way', async () => {
    const positions = Array.from({ length: 30 }, (_, i) => position(i));
    const fake = fakeApriora(positions, [report('rep_0', 'pos_0', AT + 1)], { held: true });
    const iterator = since(fake.apriora, undefined, 3)[Symbol.asyncIterator]();
    const first = iterator.next();
    await expect.poll(() => fake.reads.length).toBe(3);
    fake.release(1);
    expect((await first).value?.reportId).toBe('rep_0');
    await iterator.return?.(undefined);
    expect(fake.reads).toEqual(['pos_0', 'pos_1', 'pos_2']);
    expect(fake.aborted).toEqual(['pos_1', 'pos_2']);
  });

  it('a read that fails ends the scan with its error, after the refs of the positions before it', async () => {
    const positions = Array.from({ length: 10 }, (_, i) => position(i));
    const fake = fakeApriora(positions, [report('rep_1', 'pos_1', AT + 1), report('rep_5', 'pos_5', AT + 1)]);
    const getReports = fake.apriora.getReports.bind(fake.apriora);
    (fake.apriora as unknown as { getReports: typeof getReports }).getReports = (filter, signal) =>
      filter.positionId === 'pos_3' ? Promise.reject(new Error('Apriora answered HTTP 500')) : getReports(filter, signal);
    const refs: string[] = [];
    await expect(
      (async () => {
        for await (const ref of since(fake.apriora, undefined, 4)) refs.push(ref.reportId);
      })(),
    ).rejects.toThrow('HTTP 500');
    expect(refs).toEqual(['rep_1']);
  });
});

describe('reportSource --job', () => {
  it('the refs of the job carry its position', async () => {
    const linked = position(7);
    const fake = fakeApriora([linked], [report('rep_2', 'pos_7', AT + 2), report('rep_1', 'pos_7', AT + 1)]);
    const refs = await collect(reportSource(fake.apriora, { kind: 'job', jobIds: [3007] }, new AbortController().signal, () => {}));
    expect(refs.map((ref) => [ref.reportId, ref.position])).toEqual([
      ['rep_1', linked],
      ['rep_2', linked],
    ]);
  });
});
