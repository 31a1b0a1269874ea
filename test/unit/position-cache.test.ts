import { describe, expect, it } from 'vitest';
import type { Position } from '../../src/apriora/partner.js';
import { PositionCache } from '../../src/workflows/positions.js';

const position = (positionId: string, title = 'Senior Nurse'): Position => ({
  positionId,
  title,
  modality: 'phone',
  status: 'active',
  externalSource: 'tracker',
  externalId: '3101',
  interviewUrl: null,
  createdAt: null,
});

describe('PositionCache (the listener: one read per position)', () => {
  it('a position read is given to every later push until it is too old; then it is read again', async () => {
    let now = 0;
    const cache = new PositionCache({ ttlMs: 1_000, now: () => now });
    const read = Promise.resolve(position('pos_1'));
    cache.set('pos_1', read);
    expect(cache.settled('pos_1')).toBeUndefined(); // not answered yet
    await read;
    expect(cache.get('pos_1')).toBe(read);
    expect(cache.settled('pos_1')).toEqual(position('pos_1'));
    now = 999;
    expect(cache.settled('pos_1')?.positionId).toBe('pos_1');
    now = 1_000;
    expect(cache.get('pos_1')).toBeUndefined();
    expect(cache.settled('pos_1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('a failed read is not kept; a newer read of the same position is not dropped by an older one failing', async () => {
    const cache = new PositionCache();
    const failed = Promise.reject(new Error('HTTP 500'));
    cache.set('pos_1', failed);
    await failed.catch(() => {});
    await Promise.resolve();
    expect(cache.get('pos_1')).toBeUndefined();

    let fail!: (error: Error) => void;
    const older = new Promise<Position>((_, reject) => {
      fail = reject;
    });
    cache.set('pos_2', older);
    const newer = Promise.resolve(position('pos_2', 'Renamed'));
    cache.set('pos_2', newer);
    fail(new Error('HTTP 500'));
    await older.catch(() => {});
    await newer;
    expect(cache.settled('pos_2')?.title).toBe('Renamed');
  });

  it('keeps at most maxEntries positions, dropping the least recently used', async () => {
    const cache = new PositionCache({ maxEntries: 2 });
    for (const id of ['pos_1', 'pos_2']) cache.set(id, Promise.resolve(position(id)));
    cache.get('pos_1');
    cache.set('pos_3', Promise.resolve(position('pos_3')));
    expect([...cache.keys()]).toEqual(['pos_1', 'pos_3']);
    cache.delete('pos_1');
    expect([...cache.keys()]).toEqual(['pos_3']);
  });
});
