// `npm run build && node test/bench/listener-flood.mjs`: the built `apriora activity listen` against the sandbox,
// flooded from one address over loopback.
//  1. N slow connections (default 300) send a request's headers one byte a second, never finishing them, and
//     connect again as soon as they are dropped (in a child process); meanwhile valid signed deliveries (default
//     40, one every 250 ms, each on a new connection) are timed: the share answered 202 within 3 s.
//  2. M valid deliveries (default 2,000, one report each) on M connections all open before any of them sends: the
//     count of 202 / 200 / 503 / resets; once the listener has pushed what it acknowledged, the activities per
//     report in the sandbox's Tracker (each 202 must be exactly one activity, each 503 none).
//  3. Every delivery answered 503 is sent again, 50 at a time, until acknowledged: then each report has exactly one
//     activity.
// Flags: --slow N, --probes N, --flood N, --byte-every MS (default 1000), --latency MS (sandbox latency, default 0).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const PATH = '/webhooks/apriora';

// ---------------------------------------------------------------------------------------------------------------
// The slow clients, in a process of their own: `--attacker <port> <count> <byteEveryMs>`; prints its counts as JSON
// on stdout when stdin closes.

if (args[0] === '--attacker') {
  const [port, count, byteEveryMs] = args.slice(1, 4).map(Number);
  const prefix = `POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `;
  const sockets = new Map();
  const stats = { connects: 0, drops: 0, answers: {} };
  let running = true;
  const open = () => {
    if (!running) return;
    stats.connects++;
    const socket = connect(port, '127.0.0.1');
    let first = '';
    socket.on('connect', () => sockets.set(socket, 0));
    socket.setEncoding('latin1').on('data', (chunk) => {
      if (first.length < 12) first += chunk;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      if (!running) return;
      stats.drops++;
      const status = /^HTTP\/1\.1 (\d{3})/.exec(first)?.[1] ?? 'none';
      stats.answers[status] = (stats.answers[status] ?? 0) + 1;
      setImmediate(open);
    });
  };
  const tick = setInterval(() => {
    for (const [socket, sent] of sockets) {
      if (socket.destroyed || !socket.writable) continue;
      socket.write(sent < prefix.length ? prefix[sent] : 'a');
      sockets.set(socket, sent + 1);
    }
  }, byteEveryMs);
  for (let i = 0; i < count; i++) open();
  process.stdin.resume();
  process.stdin.on('end', () => {
    running = false;
    clearInterval(tick);
    stats.openAtEnd = sockets.size;
    for (const socket of sockets.keys()) socket.destroy();
    process.stdout.write(`${JSON.stringify(stats)}\n`);
  });
} else {
  await main();
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * Sends `request` on a new connection and reads the answer; never rejects. With `barrier`, the request is written
 * once `barrier.ready` resolves (after `barrier.connected()` for this connection).
 */
function rawRequest(port, request, { timeoutMs = 30_000, barrier } = {}) {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    let settled = false;
    const finish = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(data)?.[1];
      resolve({ status: status ? Number(status) : null, error: status ? undefined : error, ms: performance.now() - started, text: data });
    };
    const complete = () => {
      const split = data.indexOf('\r\n\r\n');
      if (split < 0) return false;
      const length = /\r\ncontent-length: *(\d+)/i.exec(data.slice(0, split + 2))?.[1];
      return length !== undefined && Buffer.byteLength(data.slice(split + 4)) >= Number(length);
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      if (!barrier) return socket.write(request);
      barrier.connected();
      barrier.ready.then(() => {
        if (!settled) socket.write(request);
      });
    });
    socket.on('data', (chunk) => {
      data += chunk;
      if (complete()) finish();
    });
    socket.on('error', (error) => finish(error.code ?? error.message));
    socket.on('close', () => finish(data ? undefined : 'closed without an answer'));
  });
}

function tally(answers) {
  const counts = {};
  for (const answer of answers) {
    const key = answer.status ? String(answer.status) : answer.error === 'ECONNRESET' ? 'reset' : answer.error;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function main() {
  const { generateTrackerSeed, signAprioraWebhook, startSandbox } = await import('../../dist/sandbox/index.js');
  const BIN = fileURLToPath(new URL('../../bin/apriora.js', import.meta.url));
  const SELF = fileURLToPath(import.meta.url);
  const SECRET = 'whsec_bench_flood';
  const slow = option('--slow', 300);
  const probes = option('--probes', 40);
  const flood = option('--flood', 2000);
  const byteEveryMs = option('--byte-every', 1000);
  const latencyMs = option('--latency', 0);

  const sandbox = await startSandbox({ port: 0, seed: generateTrackerSeed({ jobs: 6, candidates: 10 }) });
  const dir = mkdtempSync(join(tmpdir(), 'apriora-bench-listen-'));
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    APRIORA_CONFIG_DIR: join(dir, 'config'),
    APRIORA_DATA_DIR: join(dir, 'data'),
    APRIORA_CREDENTIAL_STORE: 'file',
    CI: '1',
  };
  const cli = (cliArgs, input = '') =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...cliArgs], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.setEncoding('utf8').on('data', (chunk) => {
        stderr += chunk;
      });
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`apriora ${cliArgs.join(' ')}: exit ${code}\n${stderr}`))));
      child.stdin.end(input);
    });

  try {
    const { apiKey, password, username, aprioraApiKey } = sandbox.credentials;
    await cli(
      [
        'tracker',
        'login',
        '--sandbox',
        '--base-url',
        sandbox.trackerUrl,
        '--rate-limit',
        '100000',
        '--username',
        username,
        '--api-key-stdin',
        '--password-stdin',
      ],
      `${apiKey}\n${password}\n`,
    );
    await cli(['login', '--sandbox', '--base-url', sandbox.aprioraUrl, '--api-key-stdin', '--modality', 'phone'], `${aprioraApiKey}\n`);
    await cli(['tracker', 'fields', 'map', '--auto']);
    const jobId = sandbox.tracker.jobs.find((job) => sandbox.tracker.jobState(job) === 'open').id;
    const generated = JSON.parse(await cli(['interview', 'generate', '--job', String(jobId), '--json']));
    const positionId = generated.data.items[0].positionId;
    let n = 0;
    const newReport = () => {
      n++;
      return sandbox.apriora.completeInterview({ positionId, email: `flood.${n}@example.com`, firstName: 'Flood', lastName: `Person${n}x` }).report.reportId;
    };
    const deliveryRequest = (reportId) => {
      const at = Math.floor(Date.now() / 1000);
      const body = JSON.stringify({
        event: 'session.completed',
        data: { candidateId: 'cand_x', candidateEmail: 'x@example.com', reportId, positionId, time: at },
      });
      return (
        `POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Apriora-Signature: ${signAprioraWebhook(SECRET, body, at)}\r\nConnection: close\r\n\r\n${body}`
      );
    };
    const activities = new Map();
    const countActivities = () => {
      activities.clear();
      for (const activity of sandbox.tracker.activities) {
        const id = /\[apriora:([^\]]+)\]/.exec(activity.subject)?.[1];
        if (id) activities.set(id, (activities.get(id) ?? 0) + 1);
      }
    };

    // The listener, a process of its own.
    sandbox.faults.configure({ latencyMs });
    const listener = spawn(process.execPath, [BIN, 'activity', 'listen', '--port', '0', '--json'], {
      env: { ...env, APRIORA_WEBHOOK_SECRET: SECRET },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const lines = [];
    let buffer = '';
    listener.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        lines.push(JSON.parse(buffer.slice(0, end)));
        buffer = buffer.slice(end + 1);
      }
    });
    let listenerStderr = '';
    listener.stderr.setEncoding('utf8').on('data', (chunk) => {
      listenerStderr += chunk;
    });
    const exited = new Promise((resolve) => listener.on('close', (code) => resolve(code)));
    while (!lines.some((line) => line.listening)) {
      if (listener.exitCode !== null) throw new Error(`the listener exited ${listener.exitCode}:\n${listenerStderr}`);
      await sleep(50);
    }
    const url = new URL(lines.find((line) => line.listening).listening);
    const port = Number(url.port);
    const pushedCount = () => lines.filter((line) => ['created', 'updated', 'skipped', 'failed'].includes(line.status)).length;
    const acceptedCount = () => lines.filter((line) => line.status === 'accepted').length;
    const drained = async () => {
      while (pushedCount() < acceptedCount()) await sleep(100);
    };

    // 1. Slow connections, valid probes.
    const probeReports = Array.from({ length: probes }, newReport);
    const attacker = spawn(process.execPath, [SELF, '--attacker', String(port), String(slow), String(byteEveryMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let attackerOut = '';
    attacker.stdout.setEncoding('utf8').on('data', (chunk) => {
      attackerOut += chunk;
    });
    const attackerDone = new Promise((resolve) => attacker.on('close', resolve));
    await sleep(3_000);
    const probeAnswers = [];
    for (const reportId of probeReports) {
      probeAnswers.push(rawRequest(port, deliveryRequest(reportId), { timeoutMs: 15_000 }));
      await sleep(250);
    }
    const answered = await Promise.all(probeAnswers);
    attacker.stdin.end();
    await attackerDone;
    const attack = JSON.parse(attackerOut || '{}');
    const onTime = answered.filter((answer) => answer.status === 202 && answer.ms <= 3_000).length;
    const sorted = answered.map((answer) => answer.ms).sort((a, b) => a - b);
    const warnings = lines.filter((line) => line.warning).map((line) => line.warning);
    console.log(`1. ${slow} slow connections from 127.0.0.1 (one header byte every ${byteEveryMs} ms, reconnecting when dropped)`);
    console.log(
      `   valid deliveries answered 202 within 3 s: ${onTime} of ${probes} (${((100 * onTime) / probes).toFixed(1)}%); answers ${JSON.stringify(tally(answered))}`,
    );
    console.log(`   latency: median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms, max ${sorted.at(-1).toFixed(0)} ms`);
    console.log(
      `   slow clients: ${attack.connects} connections, ${attack.drops} dropped (answers to them: ${JSON.stringify(attack.answers)}), ${attack.openAtEnd} open at the end`,
    );
    console.log(`   listener warnings: ${warnings.length}${warnings[0] ? `, first: ${warnings[0]}` : ''}`);
    await drained();
    await sleep(2_500); // the slow clients' last connections are closed

    // 2. Simultaneous valid deliveries.
    const floodReports = Array.from({ length: flood }, newReport);
    let connected = 0;
    let go;
    const ready = new Promise((resolve) => {
      go = resolve;
    });
    const barrier = {
      ready,
      connected: () => {
        if (++connected === flood) go();
      },
    };
    const started = performance.now();
    const floodAnswers = await Promise.all(floodReports.map((reportId) => rawRequest(port, deliveryRequest(reportId), { barrier })));
    const floodMs = performance.now() - started;
    const counts = tally(floodAnswers);
    const retryAfter = new Set(floodAnswers.filter((a) => a.status === 503).map((a) => /\r\nretry-after: *(\d+)/i.exec(a.text)?.[1] ?? 'missing'));
    const codes = {};
    for (const answer of floodAnswers.filter((a) => a.status === 503)) {
      const code = /"code":"([a-z_]+)"/.exec(answer.text)?.[1] ?? '?';
      codes[code] = (codes[code] ?? 0) + 1;
    }
    await drained();
    countActivities();
    const acked = floodReports.filter((_, i) => floodAnswers[i].status === 202);
    const refused = floodReports.filter((_, i) => floodAnswers[i].status === 503);
    const ackedOnce = acked.filter((reportId) => activities.get(reportId) === 1).length;
    const refusedPushed = refused.filter((reportId) => (activities.get(reportId) ?? 0) > 0).length;
    console.log(`2. ${flood} valid deliveries on ${flood} connections open at once (all sent in ${(floodMs / 1000).toFixed(1)} s)`);
    console.log(
      `   202: ${counts['202'] ?? 0}, 200: ${counts['200'] ?? 0}, 503: ${counts['503'] ?? 0} (${JSON.stringify(codes)}; Retry-After ${[...retryAfter].join('/')}), ` +
        `resets: ${counts.reset ?? 0}, other: ${JSON.stringify(Object.fromEntries(Object.entries(counts).filter(([k]) => !['202', '200', '503', 'reset'].includes(k))))}`,
    );
    console.log(`   202 with exactly one activity: ${ackedOnce} of ${acked.length}; 503 with an activity: ${refusedPushed} of ${refused.length}`);

    // 3. What was answered 503 is sent again, 50 at a time.
    let pending = [...refused, ...probeReports.filter((_, i) => answered[i].status !== 202)];
    let rounds = 0;
    while (pending.length && rounds < 30) {
      rounds++;
      const next = [];
      for (let i = 0; i < pending.length; i += 50) {
        const batch = pending.slice(i, i + 50);
        const answers = await Promise.all(batch.map((reportId) => rawRequest(port, deliveryRequest(reportId))));
        batch.forEach((reportId, j) => {
          if (answers[j].status !== 202 && answers[j].status !== 200) next.push(reportId);
        });
      }
      pending = next;
      if (pending.length) await sleep(1_000);
    }
    await drained();
    listener.kill('SIGTERM');
    const code = await exited;
    countActivities();
    const all = [...probeReports, ...floodReports];
    const perReport = all.map((reportId) => activities.get(reportId) ?? 0);
    const summary = lines.find((line) => line.stopped)?.summary;
    console.log(`3. the ${refused.length} answered 503 sent again, 50 at a time: ${pending.length} still refused after ${rounds} round(s)`);
    console.log(
      `   activities per report over all ${all.length} reports: min ${Math.min(...perReport)}, max ${Math.max(...perReport)}; ` +
        `listener exit ${code}, summary ${JSON.stringify(summary)}`,
    );
  } finally {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
