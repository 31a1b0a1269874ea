import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockFileName, openWriteLocks, trackerDatabaseKey, writeLocksDir } from '../../src/store/write-lock.js';

/**
 * The write locks of src/store/write-lock.ts on a real directory. Two `openWriteLocks` of the same directory stand
 * for two processes of one profile (each has its own in-process queue, so only the lock directory can keep them
 * apart); real processes are in test/e2e/activity-concurrency.test.ts.
 */

const mode = (path: string) => statSync(path).mode & 0o777;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let tmp: string;
let dir: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'apriora-locks-'));
  dir = writeLocksDir(join(tmp, 'data'), trackerDatabaseKey('https://evoapius.tracker-rms.com', 'api@acme.com'));
});
afterEach(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('write locks', () => {
  it('live under <data>/locks/<database key> (0700), one 0700 directory per held key, named by a hash; nothing left after', async () => {
    expect(dir).toMatch(new RegExp(`^${join(tmp, 'data', 'locks').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/[0-9a-f]{24}$`));
    // One key per database: the same URL (trailing slash or not) and user (any case), whatever the profile.
    expect(trackerDatabaseKey('https://evoapius.tracker-rms.com/', 'API@acme.com')).toBe(dir.split('/').at(-1));
    expect(trackerDatabaseKey('https://evoapi.tracker-rms.com', 'api@acme.com')).not.toBe(dir.split('/').at(-1));
    const locks = openWriteLocks(dir);
    expect(mode(dir)).toBe(0o700);
    const name = lockFileName('email:ada@example.com');
    expect(name).toMatch(/^email-[0-9a-f]{24}\.lock$/);
    expect(lockFileName('report:rep_12')).toMatch(/^report-[0-9a-f]{24}\.lock$/);
    await locks.run('email:ada@example.com', async () => {
      expect(readdirSync(dir)).toEqual([name]);
      expect(mode(join(dir, name))).toBe(0o700);
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('two holders of one directory (two processes) never run the same key at once; other keys run freely', async () => {
    const first = openWriteLocks(dir);
    const second = openWriteLocks(dir);
    let inside = 0;
    let overlap = false;
    const order: string[] = [];
    const task = (locks: typeof first, name: string, key = 'report:rep_1') =>
      locks.run(key, async () => {
        inside += key === 'report:rep_1' ? 1 : 0;
        if (inside > 1) overlap = true;
        order.push(`start ${name}`);
        await sleep(30);
        order.push(`end ${name}`);
        inside -= key === 'report:rep_1' ? 1 : 0;
      });
    let otherDone = false;
    await Promise.all([
      task(first, 'a'),
      task(second, 'b'),
      task(first, 'c'),
      task(second, 'd'),
      task(second, 'other', 'report:rep_2').then(() => {
        otherDone = order.filter((entry) => entry.startsWith('end ')).length <= 2;
      }),
    ]);
    expect(overlap).toBe(false);
    expect(otherDone).toBe(true);
    expect(order.filter((entry) => entry !== 'start other' && entry !== 'end other')).toHaveLength(8);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a failing holder gives the lock back', async () => {
    const locks = openWriteLocks(dir);
    await expect(
      locks.run('report:rep_1', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(readdirSync(dir)).toEqual([]);
    expect(await locks.run('report:rep_1', async () => 'again')).toBe('again');
  });

  it('a lock left by a killed holder (not refreshed for longer than the stale time) is taken over at once', async () => {
    const lockDir = join(dir, lockFileName('report:rep_1'));
    mkdirSync(lockDir, { recursive: true });
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lockDir, minuteAgo, minuteAgo);
    const started = Date.now();
    expect(await openWriteLocks(dir, { waitMs: 5_000 }).run('report:rep_1', async () => 'taken')).toBe('taken');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(existsSync(lockDir)).toBe(false);
  });

  it('a lock that stops being refreshed goes stale after the stale time and is taken over', async () => {
    const lockDir = join(dir, lockFileName('report:rep_1'));
    mkdirSync(lockDir, { recursive: true }); // held by a process that died just now: fresh, never refreshed again
    const started = Date.now();
    expect(await openWriteLocks(dir, { staleMs: 2_000, waitMs: 10_000 }).run('report:rep_1', async () => 'taken')).toBe('taken');
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(1_900);
    expect(waited).toBeLessThan(4_000);
  });

  it('a live holder keeps its lock past the stale time; a waiter gives up after its wait with write_lock_busy', async () => {
    const holder = openWriteLocks(dir, { staleMs: 2_000 });
    const waiter = openWriteLocks(dir, { staleMs: 2_000, waitMs: 3_000 });
    let release!: () => void;
    const held = holder.run('report:rep_1', () => new Promise<void>((resolve) => (release = resolve)));
    await sleep(50);
    const started = Date.now();
    const error = await waiter.run('report:rep_1', async () => 'should not run').catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
    expect(error).toMatchObject({ code: 'write_lock_busy', message: expect.stringContaining('writing the same record for over 3 s') });
    release();
    await held;
    expect(readdirSync(dir)).toEqual([]);
  });
});
