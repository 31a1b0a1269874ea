import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { generateTrackerSeed, type RunningSandbox, signAprioraWebhook, startSandbox } from '../../../src/sandbox/index.js';

/**
 * `apriora activity listen` in process: runCli with in-memory streams and an AbortController standing in for
 * Ctrl-C / SIGTERM, against the sandbox started in the same process. The test plays Apriora: it completes interviews
 * in the sandbox and POSTs signed `session.completed` deliveries. What needs a real process (signals, SIGKILL and
 * replay, the second signal) stays in test/e2e/activity-listen.test.ts.
 */

const SECRET = 'whsec_cli_listen';
let sandbox: RunningSandbox;
let home: string;
let positionId: string;
let reportCount = 0;
const outputs: string[] = [];

interface Run {
  /** Resolves to the exit code. */
  code: Promise<number>;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once the output so far satisfies `predicate`; rejects if the command ends first. */
  until(predicate: (stdout: string, stderr: string) => boolean): Promise<void>;
  /** What the first Ctrl-C or SIGTERM does: aborts the command's signal with the signal's name. */
  signal(name: 'SIGINT' | 'SIGTERM'): void;
}

function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    APRIORA_CONFIG_DIR: home,
    APRIORA_DATA_DIR: join(home, 'data'),
    APRIORA_CREDENTIAL_STORE: 'file',
    CI: '1',
    ...extra,
  };
}

function collector(onWrite: () => void): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      text += chunk.toString();
      onWrite();
      callback();
    },
  });
  return { stream, text: () => text };
}

function start(args: string[], options: { input?: string; env?: Record<string, string> } = {}): Run {
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const waiter of waiters) waiter();
  };
  const stdout = collector(notify);
  const stderr = collector(notify);
  const stdin = new PassThrough();
  stdin.end(options.input ?? '');
  const controller = new AbortController();
  let ended = false;
  const code = runCli(['node', 'apriora', ...args], { stdin, stdout: stdout.stream, stderr: stderr.stream }, env(options.env), controller.signal).finally(
    () => {
      ended = true;
      outputs.push(stdout.text(), stderr.text());
      notify();
    },
  );
  return {
    code,
    stdout: stdout.text,
    stderr: stderr.text,
    until(predicate) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(stdout.text(), stderr.text())) {
            waiters.delete(check);
            resolve();
          } else if (ended) {
            waiters.delete(check);
            reject(new Error(`the command ended before the awaited output:\n${stdout.text()}\nstderr:\n${stderr.text()}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    signal: (name) => controller.abort(name),
  };
}

async function run(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const running = start(args, input === undefined ? {} : { input });
  const code = await running.code;
  return { code, stdout: running.stdout(), stderr: running.stderr() };
}

const jsonLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

/** A completed interview of a new candidate: the report id. */
function newReport(): string {
  const n = ++reportCount;
  return sandbox.apriora.completeInterview({ positionId, email: `cli.listen.${n}@example.com`, firstName: 'Cli', lastName: `Listener${n}x` }).report.reportId;
}

const journalText = () => {
  const file = join(home, 'data', 'default', 'webhooks.jsonl');
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
async function listen(extra: string[] = []): Promise<{ running: Run; url: string }> {
  const running = start(['activity', 'listen', '--port', '0', '--json', ...extra], { env: { APRIORA_WEBHOOK_SECRET: SECRET } });
  let url = '';
  await running.until((stdout) => {
    url = jsonLines(stdout).find((line) => line.listening)?.listening ?? '';
    return Boolean(url);
  });
  return { running, url };
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: generateTrackerSeed({ jobs: 4, candidates: 6 }) });
  home = mkdtempSync(join(tmpdir(), 'apriora-cli-listen-'));
  const { apiKey, password, username, aprioraApiKey } = sandbox.credentials;
  const tracker = await run(
    ['tracker', 'login', '--sandbox', '--base-url', sandbox.trackerUrl, '--username', username, '--api-key-stdin', '--password-stdin'],
    `${apiKey}\n${password}\n`,
  );
  expect(tracker.code, tracker.stderr).toBe(0);
  const apriora = await run(['login', '--sandbox', '--base-url', sandbox.aprioraUrl, '--api-key-stdin', '--modality', 'phone'], `${aprioraApiKey}\n`);
  expect(apriora.code, apriora.stderr).toBe(0);
  const mapped = await run(['tracker', 'fields', 'map', '--auto']);
  expect(mapped.code, mapped.stderr).toBe(0);
  const jobId = sandbox.tracker.jobs.find((job) => sandbox.tracker.jobState(job) === 'open')!.id;
  const generated = await run(['interview', 'generate', '--job', String(jobId), '--json']);
  expect(generated.code, generated.stderr).toBe(0);
  positionId = JSON.parse(generated.stdout).data.items[0].positionId;
});

afterAll(async () => {
  await sandbox?.close();
  for (const output of outputs) expect(output).not.toContain(SECRET);
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('apriora activity listen (in process)', () => {
  it('a signed delivery → one activity; the stop signal → the `stopped` line with the summary, exit 0', async () => {
    const reportId = newReport();
    const { running, url } = await listen();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhooks\/apriora$/);

    const answer = await deliver(url, body(reportId));
    expect(answer).toEqual({ status: 202, json: { ok: true, id: expect.stringMatching(/^dlv_/) } });
    await running.until((stdout) => stdout.includes('"status":"created"'));
    running.signal('SIGTERM');
    expect(await running.code).toBe(0);

    const activities = activitiesOf(reportId);
    expect(activities).toHaveLength(1);
    expect(activities[0]!.type).toBe('Apriora Interview');
    const lines = jsonLines(running.stdout());
    expect(lines[0]).toEqual({ listening: url });
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
      summary: { received: 1, accepted: 1, duplicates: 0, ignored: 0, rejected: 0, busy: 0, replayed: 0, created: 1, updated: 0, skipped: 0, failed: 0 },
    });
    expect(lines).toHaveLength(5);
    expect(running.stderr()).toBe('');
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

    running.signal('SIGTERM');
    expect(await running.code).toBe(0);
    expect(journalText()).not.toContain(reportId);
    expect(sandbox.tracker.activities.length).toBe(activitiesBefore);
    const lines = jsonLines(running.stdout());
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
    running.signal('SIGTERM');
    expect(await running.code).toBe(0);
    expect(activitiesOf(reportId)).toHaveLength(1);
    expect(jsonLines(running.stdout()).at(-1)).toMatchObject({ summary: { accepted: 1, duplicates: 4, created: 1 } });
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
    running.signal('SIGINT');
    expect(await running.code).toBe(0);
    expect(running.stdout()).toBe('');
    const stderr = running.stderr();
    expect(stderr).toMatch(/^WARNING: --insecure-no-verify: webhook signatures are NOT checked\. /);
    expect(stderr).toContain('(profile "default", signatures NOT verified). Press Ctrl-C to stop.');
    expect(stderr).toMatch(/session\.completed\s+\S+\s+accepted\s+HTTP 202/);
    expect(stderr).toContain('SIGINT: no longer accepting deliveries; finishing 0 pushes (Ctrl-C again quits at once;');
    expect(stderr).toContain('Stopped. 1 accepted, 0 duplicate, 0 rejected, 0 ignored; pushed: 1 created, 0 updated, 0 skipped, 0 failed.');
    expect(activitiesOf(reportId)).toHaveLength(1);
  });

  it('refuses to start without a secret: exit 2 with the hint', async () => {
    const refused = await run(['activity', 'listen', '--port', '0']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Error: .*secret/i);
    expect(refused.stderr).toMatch(/Try: .*APRIORA_WEBHOOK_SECRET.*--secret-stdin/);
    expect(refused.stdout).toBe('');
  });
});
