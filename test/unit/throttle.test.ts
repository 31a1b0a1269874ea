import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Factory } from '../../src/cli/factory.js';
import { createThrottle, type Throttle } from '../../src/http/throttle.js';
import { defaultBurst } from '../../src/lib/pace.js';
import { WIDGET_HOSTS } from '../../src/tracker/hosts.js';
import { REST_HOSTS } from '../../src/tracker/rest.js';

/**
 * The client-side pace of Tracker requests, on a fake clock: when each request may go, for a burst, a steady stream
 * and a whole minute's worth, shared by two clients, and when a waiting request is abandoned.
 */

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

const clock = () => Date.now();

/** Asks for `count` slots at once; resolves with the (fake) time at which each was granted, in asking order. */
function ask(throttle: Throttle, count: number, signal?: AbortSignal): Promise<number>[] {
  return Array.from({ length: count }, () => throttle(signal).then(() => Date.now()));
}

/** The most grants in any window of `windowMs` starting at a grant. */
function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; start < sorted.length; start++) {
    while (end < sorted.length && sorted[end]! < sorted[start]! + windowMs) end++;
    most = Math.max(most, end - start);
  }
  return most;
}

describe('the Tracker request throttle', () => {
  it('lets a burst go at once, then one request every minute / limit', async () => {
    const throttle = createThrottle(90, { now: clock });
    expect(defaultBurst(90)).toBe(9);
    const granted = ask(throttle, 12);
    await vi.advanceTimersByTimeAsync(3_000);
    // 9 at once; the 10th when a token is back (60 000 / 90 = 666.7 ms), then the same spacing.
    expect(await Promise.all(granted)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 667, 1334, 2000]);
  });

  it('never lets more than the limit through in any 60 s window, and keeps the limit as its steady rate', async () => {
    const throttle = createThrottle(90, { burst: 20, now: clock });
    const granted = ask(throttle, 300);
    await vi.advanceTimersByTimeAsync(240_000);
    const times = await Promise.all(granted);
    expect(times.slice(0, 20)).toEqual(Array(20).fill(0));
    expect(busiestWindow(times, 60_000)).toBe(90);
    // Each minute: the 20 that the bucket refilled while the window was full, then 70 more at 0.67 s. The 300th is the
    // 30th of the fourth minute.
    expect(times.filter((time) => time >= 60_000 && time < 120_000)).toHaveLength(90);
    expect(times.slice(270, 290)).toEqual(Array(20).fill(180_000));
    expect(times.at(-1)).toBe(186_667);
  });

  it('refills the burst after a pause, never beyond it', async () => {
    const throttle = createThrottle(60, { burst: 3, now: clock });
    await Promise.all(ask(throttle, 3));
    await vi.advanceTimersByTimeAsync(30_000);
    const start = Date.now();
    const granted = ask(throttle, 5);
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await Promise.all(granted)).map((time) => time - start)).toEqual([0, 0, 0, 1_000, 2_000]);
  });

  it('caps the burst at the limit and honours a burst of 1', async () => {
    const capped = createThrottle(4, { burst: 50, intervalMs: 1_000, now: clock });
    const first = ask(capped, 6);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await Promise.all(first)).toEqual([0, 0, 0, 0, 1_000, 1_000]);

    vi.setSystemTime(10_000);
    const one = createThrottle(60, { burst: 1, now: clock });
    const second = ask(one, 3);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(await Promise.all(second)).toEqual([10_000, 11_000, 12_000]);
  });

  it('a request abandoned while it waits leaves the queue: the one behind it takes its slot; no timer is left', async () => {
    const throttle = createThrottle(60, { burst: 1, now: clock });
    await throttle();
    const controller = new AbortController();
    const abandoned = throttle(controller.signal);
    const next = throttle().then(() => Date.now());
    await vi.advanceTimersByTimeAsync(500);
    controller.abort(new Error('Ctrl-C'));
    await expect(abandoned).rejects.toThrow('Ctrl-C');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await next).toBe(1_000);

    const alone = new AbortController();
    const waiting = throttle(alone.signal);
    alone.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
    expect(vi.getTimerCount()).toBe(0);
    // An already aborted signal takes no slot either.
    await expect(throttle(AbortSignal.abort(new Error('late')))).rejects.toThrow('late');
    await vi.advanceTimersByTimeAsync(1_000);
    const free = ask(throttle, 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(await free[0]).toBe(Date.now());
  });

  it('no limit: every request goes at once', async () => {
    const none = createThrottle(undefined);
    const granted = ask(none, 500);
    await vi.advanceTimersByTimeAsync(0);
    expect(new Set(await Promise.all(granted))).toEqual(new Set([0]));
  });
});

describe("the factory's Tracker throttle", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'apriora-throttle-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is one budget for the Widget and REST clients, at the rate and burst given', async () => {
    const factory = new Factory({ env: { APRIORA_DATA_DIR: dir, APRIORA_CONFIG_DIR: dir }, profileName: 'default', trace: undefined });
    const widget = await factory.trackerClient(WIDGET_HOSTS.us, { apiKey: 'k', username: 'u', password: 'p' }, { perMinute: 30, burst: 2 });
    const rest = await factory.trackerRestClient(REST_HOSTS.us, 'rest-api-token-0123456789abcdef', { perMinute: 30, burst: 2 });
    expect(rest.http.throttle).toBe(widget.http.throttle);
    // Widget, REST, Widget, REST: two at once, then one every 2 s whichever client asks.
    const granted = [widget, rest, widget, rest].map((client) => client.http.throttle().then(() => Date.now()));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await Promise.all(granted)).toEqual([0, 0, 2_000, 4_000]);
  });
});
