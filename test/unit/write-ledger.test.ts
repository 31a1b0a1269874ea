import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEDGER_RETENTION_MS, ledgerStem, openWriteLedger } from '../../src/store/write-ledger.js';
import { lockFileName, openWriteLocks } from '../../src/store/write-lock.js';

/**
 * The write ledger of src/store/write-ledger.ts on a real directory: what the holders of write locks wrote, one file
 * per key and day, readable by every process that shares the locks.
 */

let tmp: string;
let dir: string;
const mode = (path: string) => statSync(path).mode & 0o777;
const DAY = 24 * 60 * 60 * 1000;
const NOON = Date.parse('2026-03-10T12:00:00Z');

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'apriora-ledger-'));
  dir = join(tmp, 'locks', 'db', 'ledger');
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('write ledger', () => {
  it('a key is pending while written, then stamped with the record and the time; other keys are untouched', () => {
    let now = NOON;
    const ledger = openWriteLedger(dir, () => now);
    expect(ledger.latest('report:rep_1')).toBeUndefined();
    ledger.writing('report:rep_1');
    expect(ledger.latest('report:rep_1')).toEqual({ at: NOON, pending: true, id: null });
    now += 250;
    expect(ledger.written('report:rep_1', 9001)).toBe(NOON + 250);
    expect(ledger.latest('report:rep_1')).toEqual({ at: NOON + 250, pending: false, id: 9001 });
    expect(ledger.latest('report:rep_2')).toBeUndefined();

    // Another process of the machine (another handle on the same directory) reads the same entries.
    expect(openWriteLedger(dir, () => now).latest('report:rep_1')).toEqual({ at: NOON + 250, pending: false, id: 9001 });
  });

  it('files are 0600 in 0700 directories, named by a hash of the key (no e-mail in a name), as the lock is', () => {
    const ledger = openWriteLedger(dir, () => NOON);
    ledger.written('email:ada@example.com', 5001);
    expect(mode(dir)).toBe(0o700);
    const day = join(dir, '2026-03-10');
    expect(mode(day)).toBe(0o700);
    const names = readdirSync(day);
    expect(names).toEqual([`${ledgerStem('email:ada@example.com')}.json`]);
    expect(`${ledgerStem('email:ada@example.com')}.lock`).toBe(lockFileName('email:ada@example.com'));
    expect(names[0]).not.toContain('ada');
    expect(mode(join(day, names[0]!))).toBe(0o600);
    expect(JSON.parse(readFileSync(join(day, names[0]!), 'utf8'))).toEqual({ at: NOON, pending: false, id: 5001 });
  });

  it('an entry stays readable for at least the retention; days before yesterday are removed when a ledger is opened', () => {
    let now = NOON;
    const ledger = openWriteLedger(dir, () => now);
    ledger.written('report:rep_1', 1);
    now = NOON + LEDGER_RETENTION_MS; // the next day, same time: still read
    expect(ledger.latest('report:rep_1')).toMatchObject({ id: 1 });
    ledger.written('report:rep_2', 2);
    now = NOON + 2 * DAY; // two days on: the first day is no longer read
    expect(ledger.latest('report:rep_1')).toBeUndefined();
    expect(ledger.latest('report:rep_2')).toMatchObject({ id: 2 });
    expect(readdirSync(dir).sort()).toEqual(['2026-03-10', '2026-03-11']);
    openWriteLedger(dir, () => now);
    expect(readdirSync(dir)).toEqual(['2026-03-11']);
  });

  it('the newest entry of a key wins across days; a torn file reads as a write in progress', () => {
    let now = Date.parse('2026-03-10T23:59:59Z');
    const ledger = openWriteLedger(dir, () => now);
    ledger.written('interview:pos_1/5001', 7);
    now += 2000; // past midnight: a new day's file
    ledger.writing('interview:pos_1/5001');
    expect(ledger.latest('interview:pos_1/5001')).toMatchObject({ pending: true });

    mkdirSync(join(dir, '2026-03-11'), { recursive: true });
    writeFileSync(join(dir, '2026-03-11', `${ledgerStem('report:rep_9')}.json`), '{"at": 17');
    expect(ledger.latest('report:rep_9')).toEqual({ at: Number.MAX_SAFE_INTEGER, pending: true, id: null });
  });

  it('a ledger the file system refuses (a file where its directory should be) is one clear error, exit 2, nothing written', () => {
    mkdirSync(join(tmp, 'locks', 'db'), { recursive: true });
    writeFileSync(dir, 'not a directory');
    const ledger = openWriteLedger(dir, () => NOON);
    for (const use of [() => ledger.writing('report:rep_1'), () => ledger.latest('report:rep_1')]) {
      expect(use).toThrow(expect.objectContaining({ code: 'write_ledger_unusable', exitCode: 2, message: expect.stringContaining('ENOTDIR') }));
    }
  });

  it("the write locks carry their directory's ledger; it is made only when first written", async () => {
    const locksDir = join(tmp, 'locks', 'db2');
    const locks = openWriteLocks(locksDir);
    await locks.run('report:rep_1', async () => {
      locks.ledger!.written('report:rep_1', 42);
    });
    expect(readdirSync(locksDir)).toEqual(['ledger']);
    expect(openWriteLocks(locksDir).ledger!.latest('report:rep_1')).toMatchObject({ id: 42 });
  });
});
