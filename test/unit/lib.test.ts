import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/lib/backoff.js';
import { Limiter } from '../../src/lib/limiter.js';
import { ReadAhead } from '../../src/lib/read-ahead.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** A task that waits for its release; the test releases them one by one. */
function gated() {
  const releases: (() => void)[] = [];
  const task = () =>
    new Promise<void>((resolve) => {
      releases.push(resolve);
    });
  return {
    task,
    releaseNext: () => releases.shift()?.(),
    get started() {
      return releases.length;
    },
  };
}

describe('Limiter', () => {
  it('never runs more than `concurrency` tasks at once', async () => {
    const limiter = new Limiter(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        limiter.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 1 + (i % 4)));
          running--;
          return i;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(results).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('starts waiting tasks in the order they came (FIFO)', async () => {
    const limiter = new Limiter(2);
    const started: number[] = [];
    const done = Array.from({ length: 8 }, (_, i) =>
      limiter.run(async () => {
        started.push(i);
        await new Promise((resolve) => setTimeout(resolve, (8 - i) % 3));
      }),
    );
    await Promise.all(done);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('a failing task frees its slot and rejects its own run only', async () => {
    const limiter = new Limiter(1);
    const failing = limiter.run(async () => {
      throw new Error('no');
    });
    const next = limiter.run(async () => 'yes');
    await expect(failing).rejects.toThrow('no');
    await expect(next).resolves.toBe('yes');
    expect(limiter.size).toBe(0);
  });

  it('size counts running and waiting tasks; hasRoom and idle resolve when they should', async () => {
    const limiter = new Limiter(2);
    const gate = gated();
    await expect(limiter.idle()).resolves.toBeUndefined();
    await expect(limiter.hasRoom()).resolves.toBeUndefined();

    const runs = [limiter.run(gate.task), limiter.run(gate.task), limiter.run(gate.task)];
    expect(limiter.size).toBe(3);
    let room = false;
    let idle = false;
    void limiter.hasRoom().then(() => {
      room = true;
    });
    void limiter.idle().then(() => {
      idle = true;
    });
    await tick();
    expect(gate.started).toBe(2);
    expect([room, idle]).toEqual([false, false]);

    gate.releaseNext(); // the third task takes the slot: still 2 running
    await tick();
    expect(limiter.size).toBe(2);
    expect([room, idle]).toEqual([false, false]);

    gate.releaseNext(); // one running: room for another
    await tick();
    expect(limiter.size).toBe(1);
    expect([room, idle]).toEqual([true, false]);

    gate.releaseNext();
    await Promise.all(runs);
    await tick();
    expect(limiter.size).toBe(0);
    expect([room, idle]).toEqual([true, true]);
  });

  it('refuses a concurrency below 1', () => {
    expect(() => new Limiter(0)).toThrow(RangeError);
    expect(() => new Limiter(1.5)).toThrow(RangeError);
  });
});

describe('backoffDelay', () => {
  const options = { baseMs: 1_000, capMs: 15_000 };

  it('fixedShare 0 (full jitter): a delay in [0, min(cap, base·2^attempt)]', () => {
    expect(backoffDelay(0, { ...options, random: () => 0 })).toBe(0);
    expect(backoffDelay(0, { ...options, random: () => 1 })).toBe(1_000);
    expect(backoffDelay(2, { ...options, random: () => 1 })).toBe(4_000);
    expect(backoffDelay(10, { ...options, random: () => 1 })).toBe(15_000);
    for (let attempt = 0; attempt < 12; attempt++) {
      const delay = backoffDelay(attempt, options);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(Math.min(15_000, 1_000 * 2 ** attempt));
    }
  });

  it('fixedShare 0.5 (equal jitter): a delay in [ceiling/2, ceiling]', () => {
    const equal = { ...options, fixedShare: 0.5 };
    expect(backoffDelay(0, { ...equal, random: () => 0 })).toBe(500);
    expect(backoffDelay(0, { ...equal, random: () => 1 })).toBe(1_000);
    expect(backoffDelay(3, { ...equal, random: () => 0 })).toBe(4_000);
    expect(backoffDelay(3, { ...equal, random: () => 0.5 })).toBe(6_000);
    expect(backoffDelay(10, { ...equal, random: () => 0 })).toBe(7_500);
    expect(backoffDelay(10, { ...equal, random: () => 1 })).toBe(15_000);
    for (let attempt = 0; attempt < 12; attempt++) {
      const ceiling = Math.min(15_000, 1_000 * 2 ** attempt);
      const delay = backoffDelay(attempt, equal);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });
});

describe('ReadAhead', () => {
  async function* numbers(count: number, failAfter?: number) {
    for (let i = 1; i <= count; i++) {
      if (i === failAfter) throw new Error(`source failed at ${i}`);
      yield i;
    }
  }
  const collect = async (source: AsyncIterable<number>) => {
    const seen: number[] = [];
    try {
      for await (const n of source) seen.push(n);
    } catch (error) {
      return { seen, error: (error as Error).message };
    }
    return { seen };
  };

  it('says whether the source holds at least n items, then yields every item once, in order', async () => {
    const small = new ReadAhead(numbers(3), 100, new AbortController().signal);
    expect(await small.reaches(10)).toBe(false);
    expect(small.seen).toBe(3);
    expect(await collect(small)).toEqual({ seen: [1, 2, 3] });

    const big = new ReadAhead(numbers(250), 100, new AbortController().signal);
    expect(await big.reaches(10)).toBe(true);
    expect(await collect(big)).toEqual({ seen: Array.from({ length: 250 }, (_, i) => i + 1) });
    expect(big.seen).toBe(250);
  });

  it('reads at most `limit` items ahead; a failure comes after the items before it; stopped: yields nothing more', async () => {
    const ahead = new ReadAhead(numbers(1000), 50, new AbortController().signal);
    await ahead.reaches(10);
    await tick();
    expect(ahead.seen).toBe(50);
    const failing = new ReadAhead(numbers(20, 15), 100, new AbortController().signal);
    expect(await failing.reaches(10)).toBe(true);
    expect(await collect(failing)).toEqual({ seen: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14], error: 'source failed at 15' });

    const controller = new AbortController();
    const stopped = new ReadAhead(numbers(1000), 5, controller.signal);
    await stopped.reaches(5);
    controller.abort();
    const { seen } = await collect(stopped);
    expect(seen.length).toBeLessThanOrEqual(6);
  });
});
