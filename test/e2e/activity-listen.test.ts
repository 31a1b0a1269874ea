import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTrackerSeed, type RunningSandbox, signAprioraWebhook, startSandbox } from '../../src/sandbox/index.js';
import { readJournalText } from '../../src/webhooks/journal.js';
import { barrier, rawRequest, signedDeliveryRequest, slowClients, tally } from '../support/flood.js';
import { type CliResult, CliSandbox, logInWithInterview, type RunningCli, recordedRuns } from './harness.js';

/**
 * End-to-end: `apriora activity listen` (the built CLI) against one in-process sandbox. The test plays Apriora: it
 * creates reports in the sandbox and POSTs signed `session.completed` deliveries. What is asserted is what ends up in
 * the sandbox's Tracker (one "Apriora Interview" activity per acknowledged report), the HTTP answers, the journal,
 * and the exit code. These cases need a real process (stdin, signals, SIGKILL and the replay after it, a burst under
 * load); single deliveries, rejections, duplicates and the output are tested in process, in
 * test/cli/activity-listen.test.ts.
 */

const SECRET = 'whsec_e2e_listen';
let sandbox: RunningSandbox;
let cli: CliSandbox;
let positionId: string;
const { results, run } = recordedRuns(() => cli);
let reportCount = 0;

/** A completed interview of a new candidate: the report id. */
function newReport(): string {
  const n = ++reportCount;
  return sandbox.apriora.completeInterview({ positionId, email: `listen.${n}@example.com`, firstName: 'Listen', lastName: `Person${n}x` }).report.reportId;
}

const activitiesOf = (reportId: string) => sandbox.tracker.activities.filter((activity) => activity.subject.includes(`[apriora:${reportId}]`));
const journalFile = () => join(cli.configDir, 'data', 'default', 'webhooks.jsonl');
const journalText = () => (existsSync(journalFile()) ? readFileSync(journalFile(), 'utf8') : '');
const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

interface Listener {
  running: RunningCli;
  url: string;
}

async function listen(extra: string[] = [], env: Record<string, string> = { APRIORA_WEBHOOK_SECRET: SECRET }): Promise<Listener> {
  const running = cli.start(['activity', 'listen', '--port', '0', '--json', ...extra], { env });
  await running.until((stdout) => stdout.includes('"listening"'));
  let url = '';
  await running.until((stdout) => {
    const line = jsonLines(stdout).find((entry) => entry.listening);
    url = line?.listening ?? '';
    return Boolean(url);
  });
  return { running, url };
}

async function stop(listener: Listener, signal: NodeJS.Signals = 'SIGTERM'): Promise<CliResult> {
  listener.running.child.kill(signal);
  const result = await listener.running.done;
  results.push(result);
  return result;
}

function body(reportId: string, event = 'session.completed'): string {
  return JSON.stringify({ event, data: { candidateId: 'cand_x', candidateEmail: 'x@example.com', reportId, positionId, time: Math.floor(Date.now() / 1000) } });
}

interface Answer {
  status: number;
  json: any;
}

async function deliver(url: string, reportId: string, options: { at?: number; secret?: string; raw?: string } = {}): Promise<Answer> {
  const text = options.raw ?? body(reportId);
  const at = options.at ?? Math.floor(Date.now() / 1000);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'apriora-signature': signAprioraWebhook(options.secret ?? SECRET, text, at) },
    body: text,
  });
  const answer = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(answer);
  } catch {
    /* not JSON */
  }
  return { status: response.status, json };
}

/** Delivers every report, `batch` at a time; returns the report ids that got a 2xx. Errors count as not acknowledged. */
async function burst(url: string, reportIds: string[], batch: number, onAcked?: (count: number) => void): Promise<Set<string>> {
  const acked = new Set<string>();
  for (let i = 0; i < reportIds.length; i += batch) {
    await Promise.all(
      reportIds.slice(i, i + batch).map(async (reportId) => {
        try {
          const answer = await deliver(url, reportId);
          if (answer.status >= 200 && answer.status < 300) {
            acked.add(reportId);
            onAcked?.(acked.size);
          }
        } catch {
          // refused / reset: the listener is going away; not acknowledged
        }
      }),
    );
  }
  return acked;
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, seed: generateTrackerSeed({ jobs: 6, candidates: 10 }) });
  cli = new CliSandbox();
  positionId = await logInWithInterview(run, sandbox);
});

afterAll(async () => {
  await sandbox?.close();
  for (const result of results) {
    expect(result.stdout).not.toContain(SECRET);
    expect(result.stderr).not.toContain(SECRET);
  }
  cli?.cleanup();
});

describe('apriora activity listen', () => {
  it('refuses to start without the field map (exit 2, hint `apriora tracker fields map`)', async () => {
    const other = new CliSandbox();
    try {
      const { apiKey, password, username, aprioraApiKey } = sandbox.credentials;
      await other.run(['tracker', 'login', '--base-url', sandbox.trackerUrl, '--sandbox', '--username', username, '--api-key-stdin', '--password-stdin'], {
        input: `${apiKey}\n${password}\n`,
      });
      await other.run(['login', '--sandbox', '--base-url', sandbox.aprioraUrl, '--api-key-stdin'], { input: `${aprioraApiKey}\n` });
      const result = await other.run(['activity', 'listen', '--port', '0', '--secret-stdin', '--json'], { input: `${SECRET}\n` });
      expect(result.code).toBe(2);
      expect(result.json()).toMatchObject({ ok: false, error: { code: 'field_map_missing', hint: expect.stringContaining('apriora tracker fields map') } });
    } finally {
      other.cleanup();
    }
  });

  it('200 deliveries (200 reports) sent 20 at a time → 200 activities, none lost', async () => {
    const reportIds = Array.from({ length: 200 }, () => newReport());
    const listener = await listen(['--concurrency', '8']);
    const acked = await burst(listener.url, reportIds, 20);
    expect(acked.size).toBe(200);
    const result = await stop(listener);
    expect(result.code, result.stderr).toBe(0);
    for (const reportId of reportIds) expect(activitiesOf(reportId), reportId).toHaveLength(1);
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({ summary: { accepted: 200, created: 200, failed: 0 } });
  });

  it('stays reachable: 300 slow reconnecting connections from one address, then 1,000 deliveries at once → 202 or 503 + Retry-After, never a reset; each 202 one activity', async () => {
    const listener = await listen();
    const port = Number(new URL(listener.url).port);
    const request = (reportId: string) => signedDeliveryRequest('/webhooks/apriora', SECRET, body(reportId));

    const probeReports = Array.from({ length: 20 }, () => newReport());
    const attack = slowClients(port, '/webhooks/apriora', 300, 250);
    let probes: Awaited<ReturnType<typeof rawRequest>>[];
    try {
      await expect.poll(() => attack.open, { timeout: 10_000 }).toBeGreaterThanOrEqual(256);
      const pending = [];
      for (const reportId of probeReports) {
        pending.push(rawRequest(port, request(reportId), { timeoutMs: 10_000 }));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      probes = await Promise.all(pending);
      expect(attack.stats.drops).toBeGreaterThan(0);
    } finally {
      attack.stop();
    }
    expect(probes.filter((answer) => answer.status === 202 && answer.ms <= 3_000).length, JSON.stringify(tally(probes))).toBeGreaterThanOrEqual(19);

    const floodReports = Array.from({ length: 1_000 }, () => newReport());
    const wait = barrier(floodReports.length);
    const answers = await Promise.all(floodReports.map((reportId) => rawRequest(port, request(reportId), { wait })));
    const counts = tally(answers);
    expect(
      Object.keys(counts).every((key) => key === '202' || key === '503'),
      JSON.stringify(counts),
    ).toBe(true);
    for (const answer of answers.filter((a) => a.status === 503)) expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);

    const result = await stop(listener);
    expect(result.code, result.stderr).toBe(0);
    const acknowledged = new Set([...probeReports, ...floodReports].filter((_, i) => [...probes, ...answers][i]!.status === 202));
    for (const reportId of [...probeReports, ...floodReports]) expect(activitiesOf(reportId), reportId).toHaveLength(acknowledged.has(reportId) ? 1 : 0);
    const lines = jsonLines(result.stdout);
    expect(lines.find((line) => line.warning)?.warning).toMatch(/^too many connections \(limit 256 per client address, 512 in all\): /);
    expect(lines.at(-1)).toMatchObject({ summary: { accepted: acknowledged.size, created: acknowledged.size, failed: 0 } });
  });

  it('SIGTERM during a burst: stops accepting, pushes every acknowledged delivery, exits 0', async () => {
    sandbox.faults.configure({ latencyMs: 5 });
    try {
      const reportIds = Array.from({ length: 120 }, () => newReport());
      const listener = await listen();
      let signalled = false;
      const acked = await burst(listener.url, reportIds, 20, (count) => {
        if (count >= 30 && !signalled) {
          signalled = true;
          listener.running.child.kill('SIGTERM');
        }
      });
      const result = await listener.running.done;
      results.push(result);
      expect(result.code, result.stderr).toBe(0);
      expect(acked.size).toBeGreaterThanOrEqual(30);
      expect(acked.size).toBeLessThan(120);
      const lines = jsonLines(result.stdout);
      // The signal came with pushes still queued: they were finished, not dropped.
      expect(lines.find((line) => line.stopping)).toMatchObject({ stopping: 'SIGTERM', pending: expect.any(Number) });
      expect(lines.find((line) => line.stopping).pending).toBeGreaterThan(0);
      // Nothing acknowledged is lost, nothing unacknowledged is pushed, nothing twice.
      for (const reportId of reportIds) expect(activitiesOf(reportId), reportId).toHaveLength(acked.has(reportId) ? 1 : 0);
      // The journal has nothing left to do: the next start replays nothing.
      const again = await listen();
      const rerun = await stop(again);
      expect(jsonLines(rerun.stdout).filter((line) => line.status === 'replaying')).toEqual([]);
    } finally {
      sandbox.faults.configure({ latencyMs: 0 });
    }
  });

  it('SIGKILL during a burst, then a new listener: every acknowledged delivery becomes exactly one activity', async () => {
    sandbox.faults.configure({ latencyMs: 5 });
    try {
      const reportIds = Array.from({ length: 120 }, () => newReport());
      const first = await listen();
      let killed = false;
      const acked = await burst(first.url, reportIds, 20, (count) => {
        if (count >= 50 && !killed) {
          killed = true;
          first.running.child.kill('SIGKILL');
        }
      });
      const crashed = await first.running.done;
      results.push(crashed);
      expect(crashed.code).toBeNull();
      expect(acked.size).toBeGreaterThanOrEqual(50);
      const pushedBeforeCrash = reportIds.filter((id) => activitiesOf(id).length > 0).length;
      expect(pushedBeforeCrash).toBeLessThan(acked.size); // the kill left work behind

      const second = await listen();
      const result = await stop(second);
      expect(result.code, result.stderr).toBe(0);
      const replayed = jsonLines(result.stdout)
        .filter((line) => line.status === 'replaying')
        .map((line) => line.reportId);
      expect(replayed.length).toBeGreaterThan(0);
      for (const reportId of reportIds) {
        if (acked.has(reportId)) expect(activitiesOf(reportId), reportId).toHaveLength(1);
        else expect(activitiesOf(reportId).length, reportId).toBeLessThanOrEqual(1);
      }
      // Nothing left unfinished in the journal.
      expect(readJournalText(journalText()).pending).toEqual([]);
    } finally {
      sandbox.faults.configure({ latencyMs: 0 });
    }
  });
});
