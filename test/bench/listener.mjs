// The built `apriora activity listen` against the sandbox (no injected latency): N signed `session.completed`
// deliveries (default 1,000), one new report each, of candidates Tracker already has, over 5 interviews. The first
// delivery of each interview is sent and pushed first; then the rest, at most 16 in flight (a 503 is sent again
// after a short wait). Requests are counted once the listener's log shows every report pushed: the requests per
// delivery after the first of each interview, by API, and the time from the first of those deliveries to the last
// push.
// Standalone: npm run build && node test/bench/listener.mjs [--deliveries 1000] [--positions 5]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateTrackerSeed, signAprioraWebhook, startSandbox } from '../../dist/sandbox/index.js';
import { cliEnv, countRequests, logIn } from './fixtures/cli.mjs';
import { addTrackerCandidates, completeInterviews, expectOneActivityEach, linkPosition, openJobs, people } from './seed.mjs';

const BIN = fileURLToPath(new URL('../../bin/apriora.js', import.meta.url));
const SECRET = 'whsec_bench_listener';
const PATH = '/webhooks/apriora';
const IN_FLIGHT = 16;
const PUSHED = new Set(['created', 'updated', 'skipped', 'failed']);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** POSTs one signed delivery of `report` (with the candidate's e-mail); resolves to the HTTP status (0: no answer). */
function deliver(port, report, email) {
  const at = Math.floor(Date.now() / 1000);
  const body = JSON.stringify({
    event: 'session.completed',
    data: { candidateId: report.candidateId, candidateEmail: email, reportId: report.reportId, positionId: report.positionId, time: at },
  });
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: PATH,
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'apriora-signature': signAprioraWebhook(SECRET, body, at) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

/** Sends every delivery, IN_FLIGHT at a time, until each is answered 202 or 200. */
async function deliverAll(port, deliveries) {
  const queue = [...deliveries];
  const answers = {};
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      for (;;) {
        const status = await deliver(port, next.report, next.email);
        answers[status] = (answers[status] ?? 0) + 1;
        if (status === 202 || status === 200) break;
        await sleep(200);
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return answers;
}

/** The listener, a process of its own: its JSON log lines as they come, and how to stop it. */
async function startListener(dir) {
  const child = spawn(process.execPath, [BIN, 'activity', 'listen', '--port', '0', '--json'], {
    env: cliEnv(dir, { APRIORA_WEBHOOK_SECRET: SECRET }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines = [];
  let buffer = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      lines.push(JSON.parse(buffer.slice(0, end)));
      buffer = buffer.slice(end + 1);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => child.on('close', resolve));
  while (!lines.some((line) => line.listening)) {
    if (child.exitCode !== null) throw new Error(`the listener exited ${child.exitCode}:\n${stderr}`);
    await sleep(50);
  }
  const port = Number(new URL(lines.find((line) => line.listening).listening).port);
  /** Resolves once every report id has a push line (a final status) in the log. */
  const pushed = async (reportIds, timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    const wanted = new Set(reportIds);
    for (;;) {
      const done = new Set(lines.filter((line) => PUSHED.has(line.status) || (line.status === 'duplicate' && 'subject' in line)).map((line) => line.reportId));
      if ([...wanted].every((id) => done.has(id))) return;
      if (child.exitCode !== null) throw new Error(`the listener exited ${child.exitCode}:\n${stderr}`);
      if (Date.now() > deadline) throw new Error(`the listener pushed ${[...wanted].filter((id) => done.has(id)).length} of ${wanted.size} in time`);
      await sleep(50);
    }
  };
  const stop = async () => {
    child.kill('SIGTERM');
    return exited;
  };
  return { port, lines, pushed, stop };
}

export async function listenerScenario({ deliveries = 1000, positions = 5 } = {}) {
  const sandbox = await startSandbox({ port: 0, seed: generateTrackerSeed({ jobs: 12 }) });
  const dir = mkdtempSync(join(tmpdir(), 'apriora-bench-listen-'));
  let listener;
  try {
    await logIn(dir, sandbox, { rateLimit: 1_000_000, fieldMap: true });
    const linked = openJobs(sandbox, positions).map((job) => linkPosition(sandbox, job));
    const persons = people(deliveries, { domain: 'listen.example', stem: 'listened' });
    addTrackerCandidates(sandbox, persons);
    // Dealt round-robin over the interviews: deliveries 0..positions-1 are the first of each.
    const all = persons.map((person, i) => ({ email: person.email, report: completeInterviews(sandbox, linked[i % positions].positionId, [person])[0] }));
    const firsts = all.slice(0, positions);
    const rest = all.slice(positions);

    listener = await startListener(dir);
    await deliverAll(listener.port, firsts);
    await listener.pushed(
      firsts.map((d) => d.report.reportId),
      60_000,
    );
    const baseline = new Map(sandbox.requestTotals);
    const started = performance.now();
    const answers = await deliverAll(listener.port, rest);
    await listener.pushed(
      rest.map((d) => d.report.reportId),
      600_000,
    );
    const drainMs = performance.now() - started;
    const requests = countRequests(sandbox, baseline);
    expectOneActivityEach(
      sandbox,
      all.map((d) => d.report),
      'listener',
    );
    const measured = rest.length;
    return {
      deliveries,
      positions,
      measured,
      answers,
      drainMs: Math.round(drainMs),
      trackerRequests: requests.byApi.tracker,
      aprioraRequests: requests.byApi.apriora,
      trackerPerDelivery: requests.byApi.tracker / measured,
      aprioraPerDelivery: requests.byApi.apriora / measured,
      byOp: requests.byOp,
    };
  } finally {
    if (listener) await listener.stop();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printListener(s) {
  console.log(`activity listen: ${s.deliveries} signed deliveries over ${s.positions} interviews (known candidates), no latency`);
  console.log(
    `  after the first of each interview (${s.measured} deliveries, answers ${JSON.stringify(s.answers)}): ` +
      `Tracker ${s.trackerRequests} (${s.trackerPerDelivery.toFixed(2)} per delivery), Apriora ${s.aprioraRequests} (${s.aprioraPerDelivery.toFixed(2)} per delivery); ` +
      `all pushed ${(s.drainMs / 1000).toFixed(1)} s after the first was sent`,
  );
  console.log(
    `  by operation: ${Object.entries(s.byOp)
      .sort((a, b) => b[1] - a[1])
      .map(([op, n]) => `${op.replace(/^tracker /, '')} ${n}`)
      .join(', ')}`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
  printListener(await listenerScenario({ deliveries: option('--deliveries', 1000), positions: option('--positions', 5) }));
}
