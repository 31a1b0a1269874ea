import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import {
  type AcceptedRecord,
  deliveryHints,
  type JournalRecord,
  journalPath,
  readJournalText,
  serializeRecords,
  WebhookJournal,
} from '../../src/webhooks/journal.js';
import { acquireJournalLock } from '../../src/webhooks/lock.js';

const posix = process.platform !== 'win32';
const mode = (path: string) => statSync(path).mode & 0o777;

const accepted = (id: string, reportId: string): AcceptedRecord => ({
  type: 'accepted',
  id,
  reportId,
  event: 'session.completed',
  receivedAt: '2025-01-01T00:00:00.000Z',
});
const done = (id: string, status = 'created'): JournalRecord => ({ type: 'done', id, status });
const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'apriora-journal-'));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('readJournalText', () => {
  it('returns accepted entries without a done record, oldest first', () => {
    const text = serializeRecords([accepted('a', 'rep_1'), accepted('b', 'rep_2'), done('a'), accepted('c', 'rep_3')]);
    const load = readJournalText(text);
    expect(load.pending.map((r) => r.id)).toEqual(['b', 'c']);
    expect(load.finished).toEqual(['rep_1']);
    expect(load.skippedLines).toBe(0);
  });

  it('a failed push is not "finished": a redelivery of it is pushed again', () => {
    const load = readJournalText(serializeRecords([accepted('a', 'rep_1'), done('a', 'failed'), accepted('b', 'rep_2'), done('b', 'skipped')]));
    expect(load.pending).toEqual([]);
    expect(load.finished).toEqual(['rep_2']);
  });

  it('one pending entry per report id', () => {
    const load = readJournalText(serializeRecords([accepted('a', 'rep_1'), accepted('b', 'rep_1')]));
    expect(load.pending.map((r) => r.id)).toEqual(['a']);
  });

  it('ignores a torn last line with a warning', () => {
    const warnings: string[] = [];
    const text = `${serializeRecords([accepted('a', 'rep_1'), accepted('b', 'rep_2')])}{"type":"accepted","id":"c","repo`;
    const load = readJournalText(text, (m) => warnings.push(m));
    expect(load.pending.map((r) => r.id)).toEqual(['a', 'b']);
    expect(load.skippedLines).toBe(1);
    expect(warnings).toEqual([expect.stringContaining('incomplete last line')]);
  });

  it('skips a corrupt line in the middle, keeps the rest', () => {
    const warnings: string[] = [];
    const text = `${JSON.stringify(accepted('a', 'rep_1'))}\n\u0000\u0000garbage\n${JSON.stringify(accepted('b', 'rep_2'))}\n{"type":"nope","id":"x"}\n`;
    const load = readJournalText(text, (m) => warnings.push(m));
    expect(load.pending.map((r) => r.id)).toEqual(['a', 'b']);
    expect(load.skippedLines).toBe(2);
    expect(warnings).toHaveLength(2);
  });

  it("keeps a delivery's candidateEmail and positionId through a write and a read; lines without them still load", () => {
    const hinted: AcceptedRecord = { ...accepted('a', 'rep_1'), candidateEmail: 'Ada@Example.com', positionId: 'pos_1' };
    const plain = accepted('b', 'rep_2');
    const load = readJournalText(serializeRecords([hinted, plain]));
    expect(load.pending).toEqual([hinted, plain]);
    expect(Object.keys(load.pending[1]!)).toEqual(['type', 'id', 'reportId', 'event', 'receivedAt']);
  });

  it('a journal line is data: hints that are not strings, too long, or hold controls or blanks are dropped, the delivery kept', () => {
    const line = (extra: Record<string, unknown>) => `${JSON.stringify({ ...accepted('a', 'rep_1'), ...extra })}\n`;
    for (const extra of [
      { candidateEmail: 'ada@example.com\u001b]52;c;x\u0007', positionId: 'pos\n1' },
      { candidateEmail: `${'a'.repeat(250)}@example.com`, positionId: `pos_${'1'.repeat(200)}` },
      { candidateEmail: 42, positionId: ['pos_1'] },
      { candidateEmail: 'not an e-mail', positionId: '' },
      { candidateEmail: 'ada@example.com\u202e', positionId: 'pos_\u200b1' },
    ]) {
      expect(readJournalText(line(extra)).pending, JSON.stringify(extra)).toEqual([accepted('a', 'rep_1')]);
    }
    expect(readJournalText(line({ candidateEmail: ' ada@example.com ', positionId: ' pos_1 ' })).pending).toEqual([
      { ...accepted('a', 'rep_1'), candidateEmail: 'ada@example.com', positionId: 'pos_1' },
    ]);
  });

  it('deliveryHints takes the webhook data as it comes', () => {
    expect(deliveryHints({ candidateId: 'c', candidateEmail: 'ada@example.com', reportId: 'r', positionId: 'pos_1', time: 1 })).toEqual({
      candidateId: 'c',
      candidateEmail: 'ada@example.com',
      positionId: 'pos_1',
    });
    expect(deliveryHints(null)).toEqual({});
    expect(deliveryHints({ candidateEmail: 'a@b@c' })).toEqual({});
  });

  it('an empty or missing journal has nothing to do', () => {
    expect(readJournalText('')).toEqual({ pending: [], finished: [], skippedLines: 0 });
  });
});

describe('WebhookJournal', () => {
  it('lives in <dataDir>/<profile>/webhooks.jsonl, dir 0700, file 0600', async () => {
    const path = journalPath(join(tmp, 'data'), 'acme');
    expect(path).toBe(join(tmp, 'data', 'acme', 'webhooks.jsonl'));
    const { journal } = await WebhookJournal.open(path);
    await journal.append(accepted('a', 'rep_1'));
    await journal.close();
    if (posix) {
      expect(mode(join(tmp, 'data', 'acme'))).toBe(0o700);
      expect(mode(path)).toBe(0o600);
    }
    expect(lines(path)).toEqual([accepted('a', 'rep_1')]);
  });

  it('appends are on disk when the promise resolves; concurrent appends keep every line whole', async () => {
    const path = join(tmp, 'p', 'webhooks.jsonl');
    const { journal } = await WebhookJournal.open(path);
    await Promise.all(Array.from({ length: 200 }, (_, i) => journal.append(accepted(`id${i}`, `rep_${i}`))));
    // Before close: what the promises promised is already in the file.
    expect(lines(path)).toHaveLength(200);
    await journal.close();
    expect(new Set(lines(path).map((r) => r.id)).size).toBe(200);
  });

  it('replays unfinished entries and compacts the file to just them', async () => {
    const path = join(tmp, 'p', 'webhooks.jsonl');
    mkdirSync(join(tmp, 'p'), { recursive: true });
    const history: JournalRecord[] = [];
    for (let i = 0; i < 50; i++) history.push(accepted(`id${i}`, `rep_${i}`), done(`id${i}`));
    history.push(accepted('open1', 'rep_a'), accepted('open2', 'rep_b'), done('open2', 'failed'), accepted('open3', 'rep_c'));
    writeFileSync(path, `${serializeRecords(history)}{"type":"acc`, { mode: 0o600 });

    const warnings: string[] = [];
    const { journal, load } = await WebhookJournal.open(path, (m) => warnings.push(m));
    expect(load.pending.map((r) => r.id)).toEqual(['open1', 'open3']);
    expect(load.finished).toHaveLength(50);
    expect(warnings).toHaveLength(1);
    // compacted: only the unfinished entries, the torn line gone
    expect(lines(path)).toEqual([accepted('open1', 'rep_a'), accepted('open3', 'rep_c')]);
    await journal.append(done('open1'));
    await journal.close();

    const again = await WebhookJournal.open(path);
    expect(again.load.pending.map((r) => r.id)).toEqual(['open3']);
    await again.journal.close();
    expect(lines(path)).toEqual([accepted('open3', 'rep_c')]);
  });

  it('refuses appends after close', async () => {
    const { journal } = await WebhookJournal.open(join(tmp, 'p', 'webhooks.jsonl'));
    await journal.close();
    await expect(journal.append(accepted('a', 'rep_1'))).rejects.toThrow(/closed/);
  });
});

describe('acquireJournalLock', () => {
  it('one listener per journal: a live lock refuses, a dead one is taken over', () => {
    const path = join(tmp, 'p', 'webhooks.jsonl');
    const first = acquireJournalLock(path);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    if (posix) expect(mode(join(tmp, 'p'))).toBe(0o700);
    expect(() => acquireJournalLock(path)).toThrow(InputError);
    first.release();
    first.release();
    expect(existsSync(`${path}.lock`)).toBe(false);

    // A lock left by a process that no longer exists (SIGKILL)
    writeFileSync(`${path}.lock`, '2147483646\n');
    const second = acquireJournalLock(path);
    expect(readFileSync(`${path}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    second.release();
  });

  it('a live process holding the lock is named in the error', () => {
    const path = join(tmp, 'p', 'webhooks.jsonl');
    mkdirSync(join(tmp, 'p'), { recursive: true });
    writeFileSync(`${path}.lock`, `${process.ppid}\n`);
    let error: unknown;
    try {
      acquireJournalLock(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'listener_running', message: expect.stringContaining(`pid ${process.ppid}`) });
    expect(existsSync(`${path}.lock`)).toBe(true);
  });
});
