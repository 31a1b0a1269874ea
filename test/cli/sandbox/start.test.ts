import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_CREDENTIALS, startSandbox } from '../../../src/sandbox/index.js';
import { expectEnvelope, type RunningCli, TestCli, useCli } from '../../support/cli.js';

/** `apriora sandbox start` in this process: it serves until its stop signal is aborted (what Ctrl-C or SIGTERM does). */

const t = useCli();
const running: RunningCli[] = [];

// Runs before useCli's afterEach removes the CLI's dirs: vitest runs after-hooks last registered first.
afterEach(async () => {
  for (const each of running.splice(0)) {
    each.controller.abort('SIGTERM');
    await each.done;
  }
});

function start(args: string[]): RunningCli {
  const each = t.cli.start(['sandbox', 'start', '--port', '0', ...args]);
  each.stdin.end();
  running.push(each);
  return each;
}

/** Starts with --json and returns the envelope once it is printed. */
async function startJson(args: string[] = []) {
  const each = start([...args, '--json']);
  await each.until((stdout) => stdout.includes('\n'));
  return { each, envelope: JSON.parse(each.stdout.text) };
}

async function stop(each: RunningCli) {
  each.controller.abort('SIGTERM');
  running.splice(running.indexOf(each), 1);
  return each.done;
}

describe('apriora sandbox start', () => {
  it('--json prints the envelope first, serves both APIs, and exits 0 when stopped', async () => {
    const { each, envelope } = await startJson();
    expect(envelope).toEqual({
      ok: true,
      data: {
        trackerUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
        trackerRestUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/tracker-rest$/),
        aprioraUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/apriora\/v1\/api$/),
        adminUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/__sandbox$/),
        credentials: { ...DEFAULT_SANDBOX_CREDENTIALS },
        jobs: expect.any(Number),
        faults: expect.objectContaining({ failRate: 0, latencyMs: 0, kinds: ['5xx', '429', 'reset'] }),
      },
      warnings: [],
    });
    const { trackerUrl, aprioraUrl, adminUrl } = envelope.data;
    expect(Number(new URL(trackerUrl).port)).not.toBe(4010);
    const health = await fetch(`${adminUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ trackerUrl, aprioraUrl });

    // A user logs in against it.
    const user = new TestCli();
    try {
      const { apiKey, password, restToken, username } = envelope.data.credentials;
      const login = await user.run(
        ['tracker', 'login', '--sandbox', '--base-url', trackerUrl, '--username', username, '--api-key-stdin', '--password-stdin', '--rest-token-stdin'],
        { input: `${apiKey}\n${password}\n${restToken}\n` },
      );
      expect(login.code, login.stderr).toBe(0);
      const jobs = await user.run(['tracker', 'jobs', 'list', '--state', 'all', '--json']);
      expect(jobs.json().data.count).toBe(envelope.data.jobs);
      // The REST token works against the sandbox's Tracker REST API, at the trackerRestUrl printed.
      const applicants = await user.run(['tracker', 'applicants', 'list', '--all-open', '--json']);
      expect(applicants.code, applicants.stderr).toBe(0);
      expect(applicants.json().data.count).toBeGreaterThan(0);
    } finally {
      user.cleanup();
    }

    const stopped = await stop(each);
    expect(stopped.code, stopped.stderr).toBe(0);
    // only the envelope: nothing after it
    expect(stopped.stdout.trim().split('\n')).toHaveLength(1);
    await expect(fetch(`${adminUrl}/health`)).rejects.toThrow();
  });

  it('table mode prints the addresses, the credentials and how to log in, then waits', async () => {
    const each = start([]);
    await each.until((stdout) => stdout.includes('Press Ctrl-C to stop.'));
    const text = each.stdout.text;
    const trackerUrl = /^Tracker sandbox listening on (http:\S+)$/m.exec(text)?.[1];
    expect(trackerUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(text).toMatch(new RegExp(`^Apriora sandbox listening on ${trackerUrl}/apriora/v1/api$`, 'm'));
    expect(text).toMatch(/^API Key\s+sandbox-api-key-0000$/m);
    expect(text).toMatch(/^API Username\s+api\.user@sandbox\.example$/m);
    expect(text).toMatch(/^API Password\s+sandbox-password$/m);
    expect(text).toMatch(new RegExp(`^Tracker REST sandbox listening on ${trackerUrl}/tracker-rest$`, 'm'));
    expect(text).toMatch(/^API token\s+sandbox-rest-token-0000$/m);
    // The three Tracker secrets piped to one login, in the order it reads them.
    expect(text).toMatch(/^ {2}printf '%s\\n%s\\n%s\\n' 'sandbox-api-key-0000' 'sandbox-password' 'sandbox-rest-token-0000' \| \\$/m);
    expect(text).toMatch(/^API key\s+sandbox-apriora-key-0000$/m);
    expect(text).toMatch(new RegExp(`^Admin ${trackerUrl}/__sandbox$`, 'm'));
    expect(text).toContain(
      `apriora tracker login --sandbox --insecure-storage --base-url ${trackerUrl} --username api.user@sandbox.example --api-key-stdin --password-stdin --rest-token-stdin --rate-burst 90\n`,
    );
    expect(text).toContain(`apriora login --sandbox --insecure-storage --base-url ${trackerUrl}/apriora/v1/api --api-key-stdin`);
    const stopped = await stop(each);
    expect(stopped.code).toBe(0);
    expect(stopped.stderr).toBe('');
  });

  it('--jobs, --latency, --fail-rate, --faults and --rate-limit shape the sandbox', async () => {
    const { envelope } = await startJson(['--jobs', '7', '--latency', '5', '--fail-rate', '0.25', '--faults', '5xx, reset', '--rate-limit', '50']);
    expect(envelope.data.jobs).toBe(7);
    expect(envelope.data.faults).toMatchObject({ latencyMs: 5, failRate: 0.25, kinds: ['5xx', 'reset'], rateLimitPerMinute: 50, rateLimitApi: 'tracker' });
    const state = (await (await fetch(`${envelope.data.adminUrl}/state`)).json()) as any;
    expect(state.tracker.jobs).toHaveLength(7);
  });

  it('--seed loads a Tracker database from a file', async () => {
    const { each, envelope } = await startJson(['--jobs', '3']);
    const state = (await (await fetch(`${envelope.data.adminUrl}/state`)).json()) as any;
    await stop(each);
    const file = join(t.cli.configDir, 'seed.json');
    writeFileSync(file, JSON.stringify(state.tracker));
    const seeded = await startJson(['--seed', file]);
    expect(seeded.envelope.data.jobs).toBe(3);
    const again = (await (await fetch(`${seeded.envelope.data.adminUrl}/state`)).json()) as any;
    expect(again.tracker.jobs.map((job: { id: number }) => job.id)).toEqual(state.tracker.jobs.map((job: { id: number }) => job.id));
  });

  it('bad options are exit 2 before anything listens', async () => {
    const seedAndJobs = await t.cli.run(['sandbox', 'start', '--port', '0', '--seed', 'seed.json', '--jobs', '3', '--json']);
    expect(seedAndJobs.code).toBe(2);
    expect(expectEnvelope(seedAndJobs, false).error.message).toBe('--seed and --jobs cannot be used together');
    const kinds = await t.cli.run(['sandbox', 'start', '--port', '0', '--faults', '5xx,meteor']);
    expect(kinds.code).toBe(2);
    expect(kinds.stderr).toBe('Error: --faults takes a comma-separated list of 5xx, 429, reset, after-commit; not meteor\n');
    const missingSeed = await t.cli.run(['sandbox', 'start', '--port', '0', '--seed', join(t.cli.configDir, 'nope.json'), '--json']);
    expect(missingSeed.code).toBe(2);
    expect(expectEnvelope(missingSeed, false).error.code).toBe('invalid_seed');
    for (const args of [
      ['--fail-rate', '2'],
      ['--port', '-1'],
      ['--jobs', '0'],
    ]) {
      const result = await t.cli.run(['sandbox', 'start', ...args, '--json']);
      expect(result.code, args.join(' ')).toBe(2);
      expect(expectEnvelope(result, false).error.code).toBe('usage_error');
    }
  });

  it('a port in use is exit 2 with a hint', async () => {
    const taken = await startSandbox({ port: 0 });
    try {
      const port = new URL(taken.url).port;
      const result = await t.cli.run(['sandbox', 'start', '--port', port, '--json']);
      expect(result.code).toBe(2);
      expect(expectEnvelope(result, false).error).toMatchObject({
        code: 'port_in_use',
        message: `Port ${port} on 127.0.0.1 is already in use`,
        hint: 'Stop what listens there, or pick another port with --port N (0 picks a free one).',
      });
    } finally {
      await taken.close();
    }
  });

  it('a port above 65535 is a usage error; a host that does not resolve is exit 2 naming it', async () => {
    const range = await t.cli.run(['sandbox', 'start', '--port', '70000', '--json']);
    expect(range.code).toBe(2);
    expect(expectEnvelope(range, false).error).toMatchObject({
      code: 'usage_error',
      message: "option '--port <n>' argument '70000' is invalid. must be a port number from 0 to 65535 (0 picks a free one).",
    });
    const host = await t.cli.run(['sandbox', 'start', '--port', '0', '--host', '999.1.1.1']);
    expect(host.code).toBe(2);
    expect(host.stderr).toMatch(/^Error: Cannot listen on 999\.1\.1\.1: /m);
    expect(host.stderr).toMatch(/^Try: Use --host 127\.0\.0\.1 /m);
    expect(host.stdout).toBe('');
  });
});
