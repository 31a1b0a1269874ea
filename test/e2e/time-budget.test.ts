import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBlackhole } from '../support/blackhole.js';
import { CliSandbox, expectEnvelope } from './harness.js';

/**
 * A time budget bounds the whole process, not only what it prints: against hosts that accept connections and never
 * answer, `smoke --timeout` ends the process (every request aborted, nothing left to keep it alive) right after its
 * report.
 */

let blackhole: Awaited<ReturnType<typeof startBlackhole>>;
let cli: CliSandbox;

beforeAll(async () => {
  blackhole = await startBlackhole();
  cli = new CliSandbox();
});

afterAll(async () => {
  await blackhole.close();
  cli.cleanup();
});

/** Every credential in the environment, both services at the host that never answers. */
const env = () => ({
  TRACKER_API_KEY: 'tracker-key-0123456789',
  TRACKER_USERNAME: 'api.user@example.com',
  TRACKER_PASSWORD: 'tracker-password-0123456789',
  TRACKER_REST_TOKEN: 'tracker-rest-token-0123456789',
  TRACKER_BASE_URL: blackhole.url,
  APRIORA_API_KEY: 'apriora-key-0123456789',
  APRIORA_BASE_URL: blackhole.url,
});

describe('smoke --timeout against a host that never answers', () => {
  it('prints smoke_timeout at the budget and the process exits right after it', async () => {
    const started = performance.now();
    const result = await cli.run(['smoke', '--json', '--job', '3106', '--candidate', '5001', '--timeout', '3'], { env: env() });
    const wallMs = performance.now() - started;
    expect(result.code, result.stderr).toBe(5);
    const document = expectEnvelope(result, false);
    expect(document.error).toMatchObject({ code: 'smoke_timeout', message: 'The smoke run did not finish within its time budget of 3 s' });
    expect(document.data.steps[0]).toMatchObject({ id: 'doctor', status: 'fail' });
    // The doctor's requests were under way (a connection each) and were dropped with the run.
    expect(blackhole.connections()).toBeGreaterThan(0);
    expect(wallMs).toBeGreaterThan(3_000);
    expect(wallMs).toBeLessThan(5_000);
  }, 30_000);
});
