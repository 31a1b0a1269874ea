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
  it('is ok within a minute, a warning beyond, a failure beyond the 300 s webhook signatures allow', () => {
    expect(
      clockOutcome([
        ['Tracker', at(2_000)],
        ['Apriora', at(-1_000)],
      ]),
    ).toMatchObject({ status: 'ok', detail: 'within a minute of the servers (Tracker +2.0 s, Apriora -1.0 s)' });
    expect(
      clockOutcome([
        ['Tracker', at(90_000)],
        ['Apriora', undefined],
      ]),
    ).toMatchObject({ status: 'warn', code: 'clock_skew', exitCode: null });
    expect(
      clockOutcome([
        ['Tracker', at(1_000)],
        ['Apriora', at(-301_000)],
      ]),
    ).toMatchObject({
      status: 'fail',
      code: 'clock_skew',
      exitCode: 2,
      detail: "Tracker +1.0 s, Apriora -301.0 s: beyond 300 s Apriora's webhook signatures are refused",
    });
    // What the Date header cannot tell apart is not counted: 60.5 s with 0.6 s of uncertainty is within the minute.
    expect(clockOutcome([['Tracker', at(60_500)]]).status).toBe('ok');
    expect(clockOutcome([['Tracker', undefined]]).status).toBe('skip');
  });
});
