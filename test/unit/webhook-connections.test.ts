import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PushItem } from '../../src/lib/items.js';
import { signAprioraWebhook } from '../../src/sandbox/index.js';
import { type ListenerOptions, WebhookListener } from '../../src/webhooks/listener.js';
import { type AcceptOutcome, createWebhookHandler, type DeliverySink, SERVER_LIMITS, type ServerLimits, WebhookServer } from '../../src/webhooks/server.js';
import { isTransientFailure } from '../../src/workflows/failures.js';
import { barrier, type RawAnswer, rawRequest, signedDeliveryRequest, slowClients, tally } from '../support/flood.js';

/**
 * The listener stays reachable: the connection caps (per client address, in all), the slowest incomplete connection
 * evicted first at a cap, and 503 + Retry-After instead of a reset when the server or the queue is full. Loopback
 * only, bounded in count and time; the full-size figures come from test/bench/listener-flood.mjs.
 */

const SECRET = 'whsec_connections';
const PATH = '/webhooks/apriora';

const nowSeconds = () => Math.floor(Date.now() / 1000);

function deliveryBody(reportId: string): string {
  return JSON.stringify({
    event: 'session.completed',
    data: { candidateId: 'cand_1', candidateEmail: 'ada@example.com', reportId, positionId: 'pos_1', time: nowSeconds() },
  });
}

const deliveryRequest = (reportId: string) => signedDeliveryRequest(PATH, SECRET, deliveryBody(reportId));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const pushed = (reportId: string): PushItem => ({
  reportId,
  candidateEmail: 'ada@example.com',
  trackerCandidateId: 5001,
  candidateCreated: false,
  jobId: 3101,
  activityId: 9011,
  subject: `s ${reportId}`,
  status: 'created',
});

// ---------------------------------------------------------------------------------------------------------------
// The server alone, with a sink the test controls and small caps

describe('WebhookServer connection caps', () => {
  let server: WebhookServer | undefined;
  afterEach(async () => {
    server?.stopAccepting();
    await server?.closeRemainingConnections(0);
    server = undefined;
  });

  /** A server whose sink answers once `gate` is opened; `accepted` lists the report ids it was given. */
  async function start(limits: Partial<ServerLimits>) {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const accepted: string[] = [];
    const sink: DeliverySink = {
      open: true,
      async accept(delivery): Promise<AcceptOutcome> {
        accepted.push(delivery.reportId);
        await gate;
        return { outcome: 'accepted', id: `dlv_${delivery.reportId}` };
      },
    };
    const pressure: string[] = [];
    server = await WebhookServer.listen(
      { host: '127.0.0.1', port: 0, path: PATH },
      createWebhookHandler({ path: PATH, secret: SECRET }, sink, () => {}),
      { limits, onPressure: (p) => pressure.push(`${p.evicted}/${p.refused}`) },
    );
    return { port: Number(new URL(server.url).port), open, accepted, pressure };
  }

  /** A connection that sends `text` and then nothing; resolves with what it received once it is closed. */
  async function stalled(port: number, text: string) {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      received += chunk;
    });
    let error = '';
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
    });
    const closed = new Promise<{ received: string; error: string }>((resolve) => socket.on('close', () => resolve({ received, error })));
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    socket.write(text);
    return { socket, closed };
  }

  it('at the per-address cap a new connection evicts the oldest incomplete one (503 + Retry-After), never one being handled', async () => {
    const { port, open, accepted, pressure } = await start({ maxConnectionsPerAddress: 3, maxConnections: 10 });
    // One complete delivery held by the sink (handling), then two connections trickling their headers.
    const handled = rawRequest(port, deliveryRequest('rep_handled'));
    await expect.poll(() => accepted).toEqual(['rep_handled']);
    const oldest = await stalled(port, 'POST /webhooks/apriora HTTP/1.1\r\nHo');
    await sleep(20);
    const newer = await stalled(port, 'POST /webhooks/apriora HTTP/1.1\r\nHo');
    await sleep(20);

    // The cap is reached: a valid delivery makes the oldest trickling connection go, and is served.
    const fresh = rawRequest(port, deliveryRequest('rep_fresh'));
    const evicted = await oldest.closed;
    expect(evicted.received).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(evicted.received).toMatch(/\r\nRetry-After: 10\r\n/);
    expect(evicted.received).toContain('"too_many_connections"');
    expect(evicted.error).toBe('');
    expect(newer.socket.destroyed).toBe(false);
    await expect.poll(() => accepted).toEqual(['rep_handled', 'rep_fresh']);
    open();
    expect(await handled).toMatchObject({ status: 202 });
    expect(await fresh).toMatchObject({ status: 202 });
    expect(pressure).toEqual(['1/0']);
    newer.socket.destroy();
  });

  it('an idle keep-alive connection at the cap is closed as an idle one is (no 503 written after its answer)', async () => {
    const { port, open } = await start({ maxConnectionsPerAddress: 2 });
    open();
    const keepAlive = await stalled(port, deliveryRequest('rep_keep').replace('Connection: close\r\n', ''));
    await expect.poll(() => keepAlive.socket.bytesRead).toBeGreaterThan(0);
    const slow = await stalled(port, 'POST /webhooks/apriora HTTP/1.1\r\nHo');
    await sleep(20);
    expect((await rawRequest(port, deliveryRequest('rep_fresh'))).status).toBe(202);
    const closed = await keepAlive.closed;
    expect(closed.received).toMatch(/^HTTP\/1\.1 202 Accepted\r\n/);
    expect(closed.received).not.toContain('503');
    expect(slow.socket.destroyed).toBe(false);
    slow.socket.destroy();
  });

  it('a body trickling in is evicted with a 503 through its response, and is never handed to the sink', async () => {
    const { port, open, accepted } = await start({ maxConnectionsPerAddress: 1 });
    open();
    const body = deliveryBody('rep_slow_body');
    const signature = signAprioraWebhook(SECRET, body, nowSeconds());
    const slow = await stalled(
      port,
      `POST ${PATH} HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\nApriora-Signature: ${signature}\r\n\r\n${body.slice(0, 10)}`,
    );
    await sleep(20);
    const fresh = await rawRequest(port, deliveryRequest('rep_fresh'));
    expect(fresh.status).toBe(202);
    // the rest of the slow body, too late: it was answered 503 and is not accepted
    if (!slow.socket.destroyed) slow.socket.end(body.slice(10));
    const evicted = await slow.closed;
    expect(evicted.received).toMatch(/^HTTP\/1\.1 503 /);
    expect(evicted.received).toMatch(/retry-after: 10/i);
    await sleep(20);
    expect(accepted).toEqual(['rep_fresh']);
  });

  it('with every connection handling a complete request, a new one is answered 503 + Retry-After, not reset', async () => {
    const { port, open, accepted, pressure } = await start({ maxConnectionsPerAddress: 2, maxConnections: 2 });
    const first = rawRequest(port, deliveryRequest('rep_1'));
    const second = rawRequest(port, deliveryRequest('rep_2'));
    await expect.poll(() => accepted.length).toBe(2);
    const third = await rawRequest(port, deliveryRequest('rep_3'));
    expect(third).toMatchObject({ status: 503, headers: { 'retry-after': '10', connection: 'close' } });
    expect(JSON.parse(third.body)).toEqual({ ok: false, error: { code: 'too_many_connections', message: expect.any(String) } });
    expect(third.error).toBeUndefined();
    open();
    expect((await first).status).toBe(202);
    expect((await second).status).toBe(202);
    expect(accepted).toEqual(['rep_1', 'rep_2']);
    expect(pressure).toEqual(['0/1']);
  });

  it('the default limits: short header and request timeouts, a cap per address below the total', () => {
    expect(SERVER_LIMITS.headersTimeoutMs).toBeLessThanOrEqual(5_000);
    expect(SERVER_LIMITS.requestTimeoutMs).toBeLessThanOrEqual(10_000);
    expect(SERVER_LIMITS.maxConnectionsPerAddress).toBeLessThan(SERVER_LIMITS.maxConnections);
  });

  it('a connection that sends no complete headers is closed with 408 after the header timeout', async () => {
    const { port } = await start({ headersTimeoutMs: 300, requestTimeoutMs: 600, timeoutCheckIntervalMs: 100 });
    const started = performance.now();
    const slow = await stalled(port, 'POST /webhooks/apriora HTTP/1.1\r\nHo');
    const closed = await slow.closed;
    expect(closed.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The listener with its default limits, a fake push counting what it pushes

describe('WebhookListener under load', () => {
  let tmp: string;
  let listener: WebhookListener | undefined;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'apriora-flood-'));
  });
  afterEach(async () => {
    await listener?.stop();
    listener = undefined;
    rmSync(tmp, { recursive: true, force: true });
  });

  async function startListener(push: ListenerOptions['push'], extra: { maxPending?: number; concurrency?: number } = {}) {
    const warnings: string[] = [];
    listener = new WebhookListener({
      host: '127.0.0.1',
      port: 0,
      path: PATH,
      secret: SECRET,
      concurrency: extra.concurrency ?? 4,
      journalPath: join(tmp, 'default', 'webhooks.jsonl'),
      push,
      isTransient: isTransientFailure,
      onEvent: () => {},
      warn: (message) => warnings.push(message),
      ...(extra.maxPending ? { maxPending: extra.maxPending } : {}),
    });
    const { url } = await listener.start();
    return { port: Number(new URL(url).port), warnings };
  }

  it('300 connections from one address trickling headers and reconnecting: ≥ 95% of valid deliveries get 202 within 3 s', async () => {
    const pushes = new Map<string, number>();
    const { port, warnings } = await startListener(async ({ reportId }) => {
      pushes.set(reportId, (pushes.get(reportId) ?? 0) + 1);
      return pushed(reportId);
    });
    const attack = slowClients(port, PATH, 300, 250);
    try {
      await expect.poll(() => attack.open, { timeout: 5_000 }).toBeGreaterThanOrEqual(SERVER_LIMITS.maxConnectionsPerAddress);
      const probes: Promise<RawAnswer>[] = [];
      for (let i = 0; i < 40; i++) {
        probes.push(rawRequest(port, deliveryRequest(`rep_probe_${i}`), { timeoutMs: 10_000 }));
        await sleep(50);
      }
      const answers = await Promise.all(probes);
      const onTime = answers.filter((answer) => answer.status === 202 && answer.ms <= 3_000).length;
      expect(onTime / answers.length, JSON.stringify(answers.filter((a) => a.status !== 202).slice(0, 3))).toBeGreaterThanOrEqual(0.95);
      // The attack did reach the cap: its connections were evicted and came back.
      expect(listener!.connections.evicted).toBeGreaterThan(0);
      expect(attack.stats.drops).toBeGreaterThan(0);
      expect(warnings[0]).toMatch(/^too many connections \(limit 256 per client address, 512 in all\): \d+ slow connections? closed to make room/);
    } finally {
      attack.stop();
    }
    await listener!.stop();
    expect([...pushes.values()].every((count) => count === 1)).toBe(true);
  });

  it('2,000 simultaneous valid deliveries, a small queue: 202, 200 or 503 + Retry-After each, no reset; every 202 pushed once', async () => {
    const pushes = new Map<string, number>();
    const { port } = await startListener(
      async ({ reportId }) => {
        pushes.set(reportId, (pushes.get(reportId) ?? 0) + 1);
        await sleep(2);
        return pushed(reportId);
      },
      { maxPending: 100, concurrency: 4 },
    );
    const count = 2_000;
    const reportIds = Array.from({ length: count }, (_, i) => `rep_flood_${i}`);
    // Every connection is open before any of them sends its delivery.
    const wait = barrier(count);
    const answers = await Promise.all(reportIds.map((reportId) => rawRequest(port, deliveryRequest(reportId), { wait })));
    const byStatus = tally(answers);
    expect(
      Object.keys(byStatus).every((key) => ['202', '200', '503'].includes(key)),
      JSON.stringify(byStatus),
    ).toBe(true);
    expect(byStatus['202']).toBeGreaterThan(0);
    expect(byStatus['503']).toBeGreaterThan(0);
    for (const answer of answers.filter((a) => a.status === 503)) expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    await listener!.stop();
    const acknowledged = reportIds.filter((_, i) => answers[i]!.status === 202);
    expect(acknowledged.length).toBe(listener!.summary.accepted);
    for (const reportId of acknowledged) expect(pushes.get(reportId), reportId).toBe(1);
    // and nothing answered 503 was pushed
    expect(pushes.size).toBe(acknowledged.length);
  });
});
