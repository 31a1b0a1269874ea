import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/http/client.js';
import { clockOutcome } from '../../src/workflows/doctor-checks.js';
import { useStrictNock } from '../support/nock-http.js';

const BASE = 'https://clock.example';

useStrictNock();

describe("the server's clock from its Date header", () => {
  it('is unknown before an answer, then the offset of the last Date header within its one-second resolution', async () => {
    const http = new HttpClient({ baseUrl: BASE, service: 'Test', maxRetries: 0 });
    expect(http.serverClock).toBeUndefined();
    nock(BASE).get('/none').reply(200, {});
    await http.request({ method: 'GET', path: '/none', idempotent: true });
    expect(http.serverClock).toBeUndefined();
    nock(BASE)
      .get('/ahead')
      .reply(200, {}, { Date: new Date(Date.now() + 400_000).toUTCString() });
    await http.request({ method: 'GET', path: '/ahead', idempotent: true });
    const clock = http.serverClock!;
    expect(Math.abs(clock.offsetMs - 400_000)).toBeLessThanOrEqual(clock.uncertaintyMs + 50);
    expect(clock.uncertaintyMs).toBeGreaterThanOrEqual(500);
  });
});

describe('the clock check', () => {
  const at = (offsetMs: number) => ({ offsetMs, uncertaintyMs: 600 });
  it('this machine against Apriora decides: ok within a minute, a warning beyond, a failure beyond 300 s', () => {
    expect(clockOutcome({ tracker: at(2_000), apriora: at(-1_000) })).toMatchObject({
      status: 'ok',
      detail: 'within a minute of the servers (Tracker +2.0 s, Apriora -1.0 s)',
    });
    expect(clockOutcome({ tracker: at(1_000), apriora: at(-90_000) })).toMatchObject({
      status: 'warn',
      code: 'clock_skew',
      detail: "Tracker +1.0 s, Apriora -90.0 s: this machine's clock is more than a minute off",
      fix: expect.stringContaining("Set this machine's clock"),
    });
    expect(clockOutcome({ tracker: at(1_000), apriora: at(-301_000) })).toMatchObject({
      status: 'fail',
      code: 'clock_skew',
      exitCode: 2,
      detail: "Tracker +1.0 s, Apriora -301.0 s: this machine's clock is more than 300 s off; Apriora's webhook signatures are refused beyond that",
      fix: expect.stringContaining("Set this machine's clock"),
    });
    // What the Date header cannot tell apart is not counted: 60.5 s with 0.6 s of uncertainty is within the minute.
    expect(clockOutcome({ apriora: at(60_500) }).status).toBe('ok');
    expect(clockOutcome({}).status).toBe('skip');
  });

  it("Tracker alone off is a warning naming Tracker's clock, never a failure blaming this machine", () => {
    const trackerOff = clockOutcome({ tracker: at(400_000), apriora: at(500) });
    expect(trackerOff).toMatchObject({ status: 'warn', code: 'tracker_clock_skew', exitCode: null });
    expect(trackerOff.detail).toBe(
      "Tracker +400.0 s, Apriora +0.5 s: Tracker's clock (or a proxy in front of it) is off; this machine agrees with Apriora, so webhooks are not at risk",
    );
    expect(trackerOff.fix).not.toContain("Set this machine's clock");
    // Without Apriora's clock, whose clock is off cannot be told: a warning that says so.
    expect(clockOutcome({ tracker: at(400_000) })).toMatchObject({ status: 'warn', code: 'clock_skew' });
  });

  it('both servers agreeing with each other but not with this machine blame this machine', () => {
    expect(clockOutcome({ tracker: at(400_000), apriora: at(401_000) })).toMatchObject({
      status: 'fail',
      detail:
        "Tracker +400.0 s, Apriora +401.0 s: this machine's clock is more than 300 s off (Tracker and Apriora agree with each other); Apriora's webhook signatures are refused beyond that",
      fix: expect.stringContaining("Set this machine's clock"),
    });
  });
});
