import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSandbox, signAprioraWebhook } from '../../../src/sandbox/index.js';
import { loggedInCli, ndjson, openJobIds, type RunningCli, type RunOptions, startTestSandbox, type TestCli } from '../../support/cli.js';

/**
 * `apriora activity listen` in process: runCli with in-memory streams and an AbortController standing in for
 * Ctrl-C / SIGTERM, against the sandbox started in the same process. The test plays Apriora: it completes interviews
 * in the sandbox and POSTs signed `session.completed` deliveries. What needs a real process (signals, SIGKILL and
 * replay, the second signal) stays in test/e2e/activity-listen.test.ts.
 *
 * One sandbox and one logged-in CLI serve the whole file, never reset: the interview made first and the journal carry
 * over from test to test.
 */

const SECRET = 'whsec_cli_listen';
let sandbox: RunningSandbox;
let cli: TestCli;
let positionId: string;
let reportCount = 0;
/** Every command started here: none may print the secret. */
const started: RunningCli[] = [];

/** Starts `apriora …args` with stdin ended. */
function start(args: string[], options: RunOptions = {}): RunningCli {
  const running = cli.start(args, options);
  running.stdin.end();
  started.push(running);
  return running;
}

/** A completed interview of a new candidate: the report id. */
function newReport(): string {
  const n = ++reportCount;
  return sandbox.apriora.completeInterview({ positionId, email: `cli.listen.${n}@example.com`, firstName: 'Cli', lastName: `Listener${n}x` }).report.reportId;
}

const journalText = () => {
  const file = join(cli.dataDir, 'default', 'webhooks.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
};
const activitiesOf = (reportId: string) => sandbox.tracker.activities.filter((activity) => activity.subject.includes(`[apriora:${reportId}]`));

function body(reportId: string, event = 'session.completed'): string {
  return JSON.stringify({ event, data: { candidateId: 'cand_x', candidateEmail: 'x@example.com', reportId, positionId, time: Math.floor(Date.now() / 1000) } });
}

async function deliver(url: string, text: string, options: { at?: number; secret?: string; signed?: boolean } = {}) {
  const at = options.at ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.signed !== false) headers['apriora-signature'] = signAprioraWebhook(options.secret ?? SECRET, text, at);
  const response = await fetch(url, { method: 'POST', headers, body: text });
  return { status: response.status, json: (await response.json()) as any };
}

/** Starts `activity listen --port 0 --json`; resolves once its `{"listening": url}` line is out. */
async function listen(extra: string[] = []): Promise<{ running: RunningCli; url: string }> {
  const running = start(['activity', 'listen', '--port', '0', '--json', ...extra], { env: { APRIORA_WEBHOOK_SECRET: SECRET } });
  let url = '';
  await running.until((stdout) => {
    url = ndjson(stdout).find((line) => line.listening)?.listening ?? '';
    return Boolean(url);
  });
  return { running, url };
}

beforeAll(async () => {
  sandbox = await startTestSandbox({ jobs: 4, candidates: 6 });
  cli = await loggedInCli(sandbox);
  const generated = await start(['interview', 'generate', '--job', String(openJobIds(sandbox)[0]), '--json']).done;
  expect(generated.code, generated.stderr).toBe(0);
  positionId = generated.json().data.items[0].positionId;
});

afterAll(async () => {
  await sandbox?.close();
  for (const running of started) for (const output of [running.stdout.text, running.stderr.text]) expect(output).not.toContain(SECRET);
  cli?.cleanup();
});

describe('apriora activity listen (in process)', () => {
  it('a signed delivery → one activity; the stop signal → the `stopped` line with the summary, exit 0', async () => {
    const reportId = newReport();
    const { running, url } = await listen();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhooks\/apriora$/);

    const answer = await deliver(url, body(reportId));
    expect(answer).toEqual({ status: 202, json: { ok: true, id: expect.stringMatching(/^dlv_/) } });
    await running.until((stdout) => stdout.includes('"status":"created"'));
    running.controller.abort('SIGTERM');
    expect((await running.done).code).toBe(0);

    const activities = activitiesOf(reportId);
    expect(activities).toHaveLength(1);
    expect(activities[0]!.type).toBe('Apriora Interview');
    const lines = ndjson(running.stdout.text);
    // The pending cap: what the default 90 Tracker requests a minute push in about 10 minutes.
    expect(lines[0]).toEqual({ listening: url, maxPending: 692, drainMinutes: 10, trackerRequestsPerMinute: 90 });
    expect(lines[1]).toEqual({ time: expect.any(String), event: 'session.completed', reportId, http: 202, id: answer.json.id, status: 'accepted' });
    expect(lines[2]).toEqual({
      time: expect.any(String),
      event: 'session.completed',
      reportId,
      status: 'created',
      id: answer.json.id,
      attempt: 1,
      detail: expect.stringContaining(reportId),
      candidateEmail: `cli.listen.${reportCount}@example.com`,
      trackerCandidateId: expect.any(Number),
      candidateCreated: true,
      jobId: expect.any(Number),
      subject: expect.stringContaining(reportId),
    });
    expect(lines[3]).toEqual({ time: expect.any(String), stopping: 'SIGTERM', pending: 0 });
    expect(lines[4]).toEqual({
      time: expect.any(String),
      stopped: true,
      summary: {
        received: 1,
        accepted: 1,
        duplicates: 0,
        ignored: 0,
        rejected: 0,
        busy: 0,
        replayed: 0,
        created: 1,
        updated: 0,
        skipped: 0,
        failed: 0,
        duplicateRecords: 0,
      },
    });
    expect(lines).toHaveLength(5);
    expect(running.stderr.text).toBe('');
  });

  it('bad signature, stale timestamp, oversized body, unsigned → 401/401/413/401; other events 200 ignored; nothing journaled or pushed', async () => {
    const reportId = newReport();
    const activitiesBefore = sandbox.tracker.activities.length;
    const { running, url } = await listen();

    expect(await deliver(url, body(reportId), { secret: 'not the secret' })).toMatchObject({ status: 401, json: { ok: false, error: { code: 'mismatch' } } });
    const stale = await deliver(url, body(reportId), { at: Math.floor(Date.now() / 1000) - 301 });
    expect(stale).toMatchObject({ status: 401, json: { ok: false, error: { code: 'stale' } } });
    const padded = JSON.stringify({ ...JSON.parse(body(reportId)), padding: 'x'.repeat(300 * 1024) });
    expect((await deliver(url, padded)).status).toBe(413);
    expect(await deliver(url, body(reportId), { signed: false })).toMatchObject({ status: 401, json: { error: { code: 'missing' } } });
    expect(await deliver(url, body(reportId, 'session.started'))).toEqual({ status: 200, json: { ok: true, ignored: true } });

    running.controller.abort('SIGTERM');
    expect((await running.done).code).toBe(0);
    expect(journalText()).not.toContain(reportId);
    expect(sandbox.tracker.activities.length).toBe(activitiesBefore);
    const lines = ndjson(running.stdout.text);
    expect(lines.filter((line) => line.status === 'rejected').map((line) => line.http)).toEqual([401, 401, 413, 401]);
    expect(lines.at(-1)).toMatchObject({ stopped: true, summary: { received: 5, rejected: 4, ignored: 1, accepted: 0, created: 0 } });
  });

  it('the same delivery five times → one activity; the repeats are answered 200 duplicate', async () => {
    const reportId = newReport();
    const { running, url } = await listen(['--concurrency', '2']);
    const text = body(reportId);
    const answers = await Promise.all(Array.from({ length: 5 }, () => deliver(url, text)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 202]);
    expect(answers.filter((a) => a.status === 200).every((a) => a.json.duplicate === true)).toBe(true);
    running.controller.abort('SIGTERM');
    expect((await running.done).code).toBe(0);
    expect(activitiesOf(reportId)).toHaveLength(1);
    expect(ndjson(running.stdout.text).at(-1)).toMatchObject({ summary: { accepted: 1, duplicates: 4, created: 1 } });
  });

  it('a push whose read-back finds the activity twice (another machine) logs status duplicate with both ids; counted apart', async () => {
    const reportId = newReport();
    const unsubscribe = sandbox.onRequest((request) => {
      if (request.op === 'createActivity' && activitiesOf(reportId).length === 1) sandbox.tracker.addActivity({ ...activitiesOf(reportId)[0]! });
    });
    try {
      const { running, url } = await listen();
      expect((await deliver(url, body(reportId))).status).toBe(202);
      await running.until((stdout) => ndjson(stdout).some((line) => line.reportId === reportId && line.candidateEmail));
      running.controller.abort('SIGTERM');
      expect((await running.done).code).toBe(0);
      const ids = activitiesOf(reportId).map((activity) => activity.id);
      expect(ids).toHaveLength(2);
      const lines = ndjson(running.stdout.text);
      expect(lines.find((line) => line.candidateEmail)).toMatchObject({
        reportId,
        status: 'duplicate',
        duplicates: { activityIds: ids },
        error: { code: 'duplicate_activity' },
        detail: expect.stringContaining(`duplicate_activity: Tracker has 2 activities for report ${reportId} (${ids.join(', ')})`),
      });
      expect(lines.at(-1)).toMatchObject({ summary: { accepted: 1, duplicates: 0, created: 0, failed: 0, duplicateRecords: 1 } });
      // Done, not retried: a redelivery is answered as a duplicate delivery and writes nothing.
      expect(journalText()).toContain('"status":"duplicate"');
    } finally {
      unsubscribe();
    }
  });

  it('table mode: human lines on stderr, nothing on stdout; --insecure-no-verify warns loudly', async () => {
    const reportId = newReport();
    const running = start(['activity', 'listen', '--port', '0', '--insecure-no-verify']);
    let url = '';
    await running.until((_, stderr) => {
      url = /Listening on (http:\/\/127\.0\.0\.1:\d+\/webhooks\/apriora)/.exec(stderr)?.[1] ?? '';
      return Boolean(url);
    });
    expect((await deliver(url, body(reportId), { signed: false })).status).toBe(202);
    await running.until((_, stderr) => / {2}created {2}/.test(stderr));
    running.controller.abort('SIGINT');
    expect((await running.done).code).toBe(0);
    expect(running.stdout.text).toBe('');
    const stderr = running.stderr.text;
    expect(stderr).toMatch(/^WARNING: --insecure-no-verify: webhook signatures are NOT checked\. /);
    expect(stderr).toContain(
      '(profile "default", signatures NOT verified); up to 692 deliveries wait to be pushed, about 10 min at 90 Tracker requests a minute, ' +
        'more are answered 503. Press Ctrl-C to stop.',
    );
    expect(stderr).toMatch(/session\.completed\s+\S+\s+accepted\s+HTTP 202/);
    expect(stderr).toContain('SIGINT: no longer accepting deliveries; finishing 0 pushes (Ctrl-C again quits at once;');
    expect(stderr).toContain('Stopped. 1 accepted, 0 duplicate, 0 rejected, 0 ignored; pushed: 1 created, 0 updated, 0 skipped, 0 failed.');
    expect(activitiesOf(reportId)).toHaveLength(1);
  });

  it('--max-pending sets the cap, said in the start line with the drain time it stands for', async () => {
    const json = await listen(['--max-pending', '300']);
    expect(ndjson(json.running.stdout.text)[0]).toEqual({ listening: json.url, maxPending: 300, drainMinutes: 4.3, trackerRequestsPerMinute: 90 });
    json.running.controller.abort('SIGTERM');
    expect((await json.running.done).code).toBe(0);

    const table = start(['activity', 'listen', '--port', '0', '--max-pending', '5000'], { env: { APRIORA_WEBHOOK_SECRET: SECRET } });
    await table.until((_, stderr) => stderr.includes('Press Ctrl-C'));
    table.controller.abort('SIGTERM');
    expect((await table.done).code).toBe(0);
    expect(table.stderr.text).toContain('up to 5,000 deliveries wait to be pushed, about 72 min at 90 Tracker requests a minute, more are answered 503.');
  });

  it('one position read for every delivery of that position (the cache is shared), the webhook hints passed on', async () => {
    const reports = [newReport(), newReport(), newReport()];
    sandbox.requests.length = 0;
    const { running, url } = await listen(['--concurrency', '1']);
    for (const reportId of reports) {
      expect((await deliver(url, body(reportId))).status).toBe(202);
      await running.until((stdout) => ndjson(stdout).some((line) => line.reportId === reportId && line.candidateEmail));
    }
    running.controller.abort('SIGTERM');
    expect((await running.done).code).toBe(0);
    for (const reportId of reports) expect(activitiesOf(reportId)).toHaveLength(1);
    const apriora = sandbox.requests.filter((request) => request.api === 'apriora');
    expect(apriora.filter((request) => request.op === 'GET /positions/{positionId}')).toHaveLength(1);
    expect(apriora.filter((request) => request.op === 'GET /reports')).toHaveLength(3);
  });

  it('refuses to start without a secret: exit 2 with the hint', async () => {
    const refused = await start(['activity', 'listen', '--port', '0']).done;
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Error: .*secret/i);
    expect(refused.stderr).toMatch(/Try: .*APRIORA_WEBHOOK_SECRET.*--secret-stdin/);
    expect(refused.stdout).toBe('');
  });

  it('--port above 65535, a --path without "/", --concurrency outside 1-32, --max-pending 0: usage errors, nothing started', async () => {
    for (const [extra, message] of [
      [['--port', '70000'], "option '--port <n>' argument '70000' is invalid. must be a port number from 0 to 65535 (0 picks a free one)."],
      [['--path', 'webhooks/apriora'], `option '--path <path>' argument 'webhooks/apriora' is invalid. must be a URL path starting with "/"`],
      [['--concurrency', '33'], "option '--concurrency <n>' argument '33' is invalid. must be a whole number from 1 to 32."],
      [['--concurrency', '0'], "option '--concurrency <n>' argument '0' is invalid. must be a whole number from 1 to 32."],
      [['--max-pending', '0'], "option '--max-pending <n>' argument '0' is invalid. must be a whole number from 1 to 100000."],
    ] as const) {
      const result = await start(['activity', 'listen', ...extra, '--json'], { env: { APRIORA_WEBHOOK_SECRET: SECRET } }).done;
      expect(result.code, extra.join(' ')).toBe(2);
      expect(result.json().error.code).toBe('usage_error');
      expect(result.json().error.message).toContain(message);
    }
    expect(existsSync(join(cli.dataDir, 'default', 'webhooks.jsonl.lock'))).toBe(false);
  });

  it('a port in use, a host that does not resolve, a data dir that is a file: exit 2 naming each, with the fix', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const inUse = await start(['activity', 'listen', '--port', String(port), '--json'], { env: { APRIORA_WEBHOOK_SECRET: SECRET } }).done;
      expect(inUse.code).toBe(2);
      expect(inUse.json().error).toMatchObject({ code: 'port_in_use', message: `Port ${port} on 127.0.0.1 is already in use` });
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }

    const host = await start(['activity', 'listen', '--port', '0', '--host', '999.1.1.1'], { env: { APRIORA_WEBHOOK_SECRET: SECRET } }).done;
    expect(host.code).toBe(2);
    expect(host.stderr).toMatch(/^Error: Cannot listen on 999\.1\.1\.1: (no such host or address|the name could not be resolved \(DNS did not answer\))$/m);
    expect(host.stderr).toMatch(/^Try: Use --host 127\.0\.0\.1 /m);

    const file = join(cli.configDir, 'not-a-dir');
    writeFileSync(file, '');
    const dataDir = await start(['activity', 'listen', '--port', '0', '--json'], { env: { APRIORA_WEBHOOK_SECRET: SECRET, APRIORA_DATA_DIR: file } }).done;
    expect(dataDir.code).toBe(2);
    expect(dataDir.json().error).toMatchObject({
      code: 'not_a_directory',
      message: `The data dir ${file} is a file, not a directory`,
      hint: `Move ${file} out of the way, or set APRIORA_DATA_DIR to a directory.`,
    });
    for (const result of [host, dataDir]) expect(result.stderr + result.stdout).not.toMatch(/internal error|\n\s+at /);
  });
});
