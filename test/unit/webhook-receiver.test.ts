import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PushItem } from '../../src/lib/items.js';
import { signAprioraWebhook } from '../../src/sandbox/index.js';
import { DEFAULT_TRACKER_RATE_LIMIT } from '../../src/tracker/hosts.js';
import { type ListenEvent, type ListenerOptions, MAX_PENDING, MIN_PENDING, pendingCap, WebhookListener } from '../../src/webhooks/listener.js';
import { DeliveryQueue, type PushDelivery, pushWithRetries, retryDelayMs } from '../../src/webhooks/queue.js';
import { checkDeclaredLength, checkRoute, DuplicateFilter, inspectDelivery, MAX_WEBHOOK_BODY_BYTES } from '../../src/webhooks/receiver.js';
import { isTransientFailure } from '../../src/workflows/failures.js';
import type { PushItem as WorkflowPushItem } from '../../src/workflows/push-activity.js';

const SECRET = 'whsec_test';
const NOW = 1_750_000_000;
const PATH = '/webhooks/apriora';

function payload(reportId: string | null = 'rep_1', event = 'session.completed') {
  return { event, data: { candidateId: 'cand_1', candidateEmail: 'ada@example.com', reportId, positionId: 'pos_1', time: NOW } };
}
const bodyOf = (value: unknown) => Buffer.from(JSON.stringify(value));
const signed = (body: Buffer | string, at = NOW, secret = SECRET) => ({ 'apriora-signature': signAprioraWebhook(secret, body, at) });
const config = { path: PATH, secret: SECRET, now: () => NOW };

describe('checkRoute', () => {
  it('404 for another path, 405 for another method on the path', () => {
    expect(checkRoute('POST', '/elsewhere', PATH)).toMatchObject({ status: 404 });
    expect(checkRoute('GET', PATH, PATH)).toMatchObject({ status: 405, headers: { Allow: 'POST' } });
    expect(checkRoute('POST', `${PATH}?x=1`, PATH)).toBeUndefined();
    expect(checkRoute('POST', `${PATH}/`, PATH)).toBeUndefined();
  });
});

describe('inspectDelivery', () => {
  it('accepts a correctly signed session.completed', () => {
    const body = bodyOf(payload());
    expect(inspectDelivery(signed(body), body, config)).toMatchObject({ kind: 'event', event: 'session.completed', reportId: 'rep_1' });
  });

  it('401 for a missing, malformed or mismatched signature', () => {
    const body = bodyOf(payload());
    expect(inspectDelivery({}, body, config)).toMatchObject({ status: 401, reason: 'missing' });
    expect(inspectDelivery({ 'apriora-signature': 'sha256=abc' }, body, config)).toMatchObject({ status: 401, reason: 'malformed' });
    expect(inspectDelivery(signed(body, NOW, 'other secret'), body, config)).toMatchObject({ status: 401, reason: 'mismatch' });
    // the signature covers the raw bytes: the same JSON re-serialised differently does not match
    const spaced = Buffer.from(JSON.stringify(payload(), null, 1));
    expect(inspectDelivery(signed(body), spaced, config)).toMatchObject({ status: 401, reason: 'mismatch' });
  });

  it('a signed event newer than this version is acknowledged and ignored, not rejected', () => {
    const body = bodyOf({ event: 'session.expired', data: { reportId: 'rep_1' } });
    expect(inspectDelivery(signed(body), body, config)).toMatchObject({ kind: 'event', event: 'session.expired', reportId: null, payload: undefined });
    expect(inspectDelivery({}, body, config)).toMatchObject({ status: 401 });
  });

  it('the HMAC covers the timestamp exactly as sent (leading zeros included)', () => {
    const body = bodyOf(payload());
    const t = `0${NOW}`;
    const v1 = createHmac('sha256', SECRET).update(`${t}.`).update(body).digest('hex');
    expect(inspectDelivery({ 'apriora-signature': `t=${t},v1=${v1}` }, body, config)).toMatchObject({ kind: 'event' });
  });

  it('401 stale for a timestamp more than 300 s away (either way)', () => {
    const body = bodyOf(payload());
    expect(inspectDelivery(signed(body, NOW - 301), body, config)).toMatchObject({ status: 401, reason: 'stale' });
    expect(inspectDelivery(signed(body, NOW + 301), body, config)).toMatchObject({ status: 401, reason: 'stale' });
    expect(inspectDelivery(signed(body, NOW - 300), body, config)).toMatchObject({ kind: 'event' });
  });

  it('400 for a body that is not JSON, or not an Apriora webhook; the signature is checked first', () => {
    const notJson = Buffer.from('{"event": "session.completed",');
    expect(inspectDelivery({}, notJson, config)).toMatchObject({ status: 401 });
    expect(inspectDelivery(signed(notJson), notJson, config)).toMatchObject({ status: 400, reason: 'invalid_json' });
    const wrong = bodyOf({ event: 'session.completed', data: { reportId: 'rep_1' } });
    expect(inspectDelivery(signed(wrong), wrong, config)).toMatchObject({ status: 400, reason: 'invalid_payload' });
    const noReport = bodyOf(payload(null));
    expect(inspectDelivery(signed(noReport), noReport, config)).toMatchObject({ status: 400, reason: 'invalid_payload' });
    const latin1 = Buffer.from([0x7b, 0xff, 0x7d]);
    expect(inspectDelivery(signed(latin1), latin1, config)).toMatchObject({ status: 400, reason: 'invalid_json' });
  });

  it('other events pass (they are acknowledged, not pushed)', () => {
    const body = bodyOf(payload(null, 'session.started'));
    expect(inspectDelivery(signed(body), body, config)).toMatchObject({ kind: 'event', event: 'session.started', reportId: null });
  });

  it('without a secret (--insecure-no-verify) the signature is not checked', () => {
    const body = bodyOf(payload());
    expect(inspectDelivery({}, body, { ...config, secret: null })).toMatchObject({ kind: 'event' });
  });

  it('413 for a body over the limit, declared or read', () => {
    expect(checkDeclaredLength({ 'content-length': String(MAX_WEBHOOK_BODY_BYTES + 1) })).toMatchObject({ status: 413 });
    expect(checkDeclaredLength({ 'content-length': String(MAX_WEBHOOK_BODY_BYTES) })).toBeUndefined();
    const big = Buffer.alloc(11, 0x20);
    expect(inspectDelivery(signed(big), big, { ...config, maxBodyBytes: 10 })).toMatchObject({ status: 413 });
  });
});

describe('retries and queue', () => {
  it('the retry delay is "equal jitter": in [ceiling/2, ceiling], growing and capped', () => {
    const policy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 5000 };
    expect(retryDelayMs(policy, 1, () => 0)).toBe(500);
    expect(retryDelayMs(policy, 1, () => 1)).toBe(1000);
    expect(retryDelayMs(policy, 2, () => 1)).toBe(2000);
    expect(retryDelayMs(policy, 3, () => 0)).toBe(2000);
    expect(retryDelayMs(policy, 10, () => 1)).toBe(5000);
    expect(retryDelayMs(policy, 10, () => 0)).toBe(2500);
  });

  it('pushWithRetries tries a transient failure again, up to the policy, and says whether it still is one', async () => {
    const waits: number[] = [];
    const retries: number[] = [];
    let calls = 0;
    const failing = async ({ reportId }: { reportId: string }) => {
      calls++;
      return item(reportId, 'failed', { code: 'rate_limited', message: 'HTTP 429' });
    };
    const options = {
      isTransient: isTransientFailure,
      policy: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
      sleep: async (ms: number) => {
        waits.push(ms);
      },
      onRetry: ({ attempt }: { attempt: number }) => retries.push(attempt),
    };
    const outcome = await pushWithRetries({ reportId: 'rep_1' }, { ...options, push: failing });
    expect(outcome).toMatchObject({ attempt: 3, transient: true, item: { status: 'failed' } });
    expect(calls).toBe(3);
    expect(retries).toEqual([1, 2]);
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);

    // a push that throws is a final failure, tried once
    const thrown = await pushWithRetries(
      { reportId: 'rep_2' },
      {
        ...options,
        push: async () => {
          throw new Error('boom');
        },
      },
    );
    expect(thrown).toMatchObject({ attempt: 1, transient: false, item: { status: 'failed', error: { code: 'internal_error', message: 'boom' } } });
  });

  it('the queue runs at most `concurrency` jobs at once, in order, and counts waiting and running ones', async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const queue = new DeliveryQueue<number>(3, async (n) => {
      started.push(n);
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (n === 7) throw new Error('a failing job does not stop the queue');
    });
    for (let i = 0; i < 20; i++) queue.add(i);
    expect(queue.size).toBe(20);
    await queue.idle();
    expect(peak).toBe(3);
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(queue.size).toBe(0);
  });

  it('a job that releases its place lets the next one start, still counts as pending, and idle() waits for it', async () => {
    let finishReleased!: () => void;
    const started: number[] = [];
    const queue = new DeliveryQueue<number>(1, async (n, slot) => {
      started.push(n);
      if (n === 0) {
        slot.release();
        slot.release(); // a second release changes nothing
        await new Promise<void>((resolve) => {
          finishReleased = resolve;
        });
      }
    });
    queue.add(0);
    queue.add(1);
    queue.add(2);
    await vi.waitFor(() => expect(started).toEqual([0, 1, 2]));
    expect(queue.size).toBe(1);
    let idle = false;
    void queue.idle().then(() => {
      idle = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(idle).toBe(false);
    finishReleased();
    await vi.waitFor(() => expect(idle).toBe(true));
    expect(queue.size).toBe(0);
  });

  it("the listener's PushItem is the push's item", () => {
    const fromWorkflow: WorkflowPushItem = item('rep_1', 'created');
    const forListener: PushItem = fromWorkflow;
    expect(forListener.status).toBe('created');
  });
});

describe('pendingCap', () => {
  it("is what Tracker's rate limit drains in about 10 minutes at 1.3 requests a delivery, within 100 and 10,000", () => {
    // 692 at the default rate: the figure `apriora activity listen --help` and `apriora help webhooks` give.
    expect(pendingCap(DEFAULT_TRACKER_RATE_LIMIT)).toEqual({ maxPending: 692, drainMinutes: expect.closeTo(10, 1), perMinute: 90 });
    expect(pendingCap(100).maxPending).toBe(769);
    expect(pendingCap(600).maxPending).toBe(4615);
    expect(pendingCap(5)).toEqual({ maxPending: MIN_PENDING, drainMinutes: 26, perMinute: 5 });
    expect(pendingCap(100_000)).toMatchObject({ maxPending: MAX_PENDING, drainMinutes: 0.13 });
  });

  it('an explicit cap wins; its drain time is what it stands for at the rate', () => {
    expect(pendingCap(90, 45)).toEqual({ maxPending: 45, drainMinutes: 0.65, perMinute: 90 });
    expect(pendingCap(90, 20_000)).toMatchObject({ maxPending: 20_000, drainMinutes: expect.closeTo(288.9, 1) });
  });
});

describe('DuplicateFilter', () => {
  it('a report is a duplicate while being journaled (once that succeeds), while active, and once pushed', async () => {
    const filter = new DuplicateFilter(2);
    const journaled = filter.journalingStarted('rep_1');
    expect(filter.journalingCount).toBe(1);
    const waiting = filter.isDuplicate('rep_1');
    journaled(true);
    expect(await waiting).toBe(true);
    expect(filter.journalingCount).toBe(0);
    filter.finish('rep_1', true);
    expect(await filter.isDuplicate('rep_1')).toBe(true);
    // the oldest pushed report is forgotten beyond the limit
    filter.remember('rep_2');
    filter.remember('rep_3');
    expect(await filter.isDuplicate('rep_1')).toBe(false);
    expect(await filter.isDuplicate('rep_3')).toBe(true);
  });

  it('a failed journal write or a failed push is not a duplicate', async () => {
    const filter = new DuplicateFilter();
    const journaled = filter.journalingStarted('rep_1');
    const waiting = filter.isDuplicate('rep_1');
    journaled(false);
    expect(await waiting).toBe(false);
    filter.replaying('rep_2');
    expect(await filter.isDuplicate('rep_2')).toBe(true);
    filter.finish('rep_2', false);
    expect(await filter.isDuplicate('rep_2')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The listener over loopback HTTP, with a fake push

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

function post(url: string, body: Buffer | string, headers: Record<string, string> = {}, method = 'POST'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Streams `total` bytes in chunks without a Content-Length (chunked encoding). */
function postChunked(url: string, total: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: null }));
    });
    req.on('error', reject);
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    let sent = 0;
    const write = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

const item = (reportId: string, status: PushItem['status'], error?: PushItem['error']): PushItem => ({
  reportId,
  candidateEmail: 'ada@example.com',
  trackerCandidateId: 5001,
  candidateCreated: false,
  jobId: 3101,
  activityId: 9011,
  subject: `s ${reportId}`,
  status,
  ...(error ? { error } : {}),
});

let tmp: string;
let listener: WebhookListener | undefined;
let events: ListenEvent[];
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'apriora-listen-'));
  events = [];
});
afterEach(async () => {
  await listener?.stop();
  listener = undefined;
  rmSync(tmp, { recursive: true, force: true });
});

const journalFile = () => join(tmp, 'default', 'webhooks.jsonl');
const journalLines = () =>
  existsSync(journalFile())
    ? readFileSync(journalFile(), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];

async function startListener(push: ListenerOptions['push'], extra: Partial<ListenerOptions> = {}): Promise<string> {
  listener = new WebhookListener({
    host: '127.0.0.1',
    port: 0,
    path: PATH,
    secret: SECRET,
    concurrency: 4,
    journalPath: journalFile(),
    push,
    isTransient: isTransientFailure,
    onEvent: (e) => events.push(e),
    warn: () => {},
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    ...extra,
  });
  return (await listener.start()).url;
}

const delivery = (reportId: string, event = 'session.completed') => {
  const body = bodyOf(payload(reportId, event));
  return [body, signed(body, Math.floor(Date.now() / 1000))] as const;
};

describe('WebhookListener', () => {
  it('journals before answering 202, pushes once, records done', async () => {
    const pushed: string[] = [];
    let journalAtPush: any[] = [];
    const url = await startListener(async ({ reportId }) => {
      journalAtPush = journalLines();
      pushed.push(reportId);
      return item(reportId, 'created');
    });
    const answer = await post(url, ...delivery('rep_1'));
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ ok: true, id: expect.stringMatching(/^dlv_/) });
    await listener!.stop();
    expect(pushed).toEqual(['rep_1']);
    expect(journalAtPush).toEqual([
      expect.objectContaining({ type: 'accepted', reportId: 'rep_1', id: answer.body.id, event: 'session.completed', receivedAt: expect.any(String) }),
    ]);
    expect(journalLines().map((r) => r.type)).toEqual(['accepted', 'done']);
    expect(events.map((e) => e.status)).toEqual(['accepted', 'created']);
  });

  it('the same delivery five times (at once, then again) is pushed once; repeats get 200 duplicate', async () => {
    const pushed: string[] = [];
    const url = await startListener(async ({ reportId }) => {
      pushed.push(reportId);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return item(reportId, 'created');
    });
    const [body, headers] = delivery('rep_1');
    const answers = await Promise.all(Array.from({ length: 5 }, () => post(url, body, headers)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 202]);
    for (const a of answers.filter((x) => x.status === 200)) expect(a.body).toEqual({ ok: true, duplicate: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await post(url, ...delivery('rep_1'))).body).toEqual({ ok: true, duplicate: true });
    await listener!.stop();
    expect(pushed).toEqual(['rep_1']);
    expect(journalLines().filter((r) => r.type === 'accepted')).toHaveLength(1);
  });

  it('rejections write nothing to the journal and push nothing', async () => {
    const pushed: string[] = [];
    const url = await startListener(async ({ reportId }) => {
      pushed.push(reportId);
      return item(reportId, 'created');
    });
    const body = bodyOf(payload('rep_1'));
    expect((await post(url, body)).status).toBe(401);
    expect((await post(url, body, { 'apriora-signature': 'garbage' })).status).toBe(401);
    const stale = await post(url, body, signed(body, Math.floor(Date.now() / 1000) - 301));
    expect(stale).toMatchObject({ status: 401, body: { ok: false, error: { code: 'stale' } } });
    expect((await post(url, body, signed(body, Math.floor(Date.now() / 1000), 'wrong'))).status).toBe(401);
    const notJson = Buffer.from('not json');
    expect((await post(url, notJson, signed(notJson, Math.floor(Date.now() / 1000)))).status).toBe(400);
    expect((await post(url.replace(PATH, '/other'), body, signed(body, Math.floor(Date.now() / 1000)))).status).toBe(404);
    const get = await post(url, '', {}, 'GET');
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const big = Buffer.alloc(MAX_WEBHOOK_BODY_BYTES + 1, 0x20);
    expect((await post(url, big, signed(big, Math.floor(Date.now() / 1000)))).status).toBe(413);
    expect((await postChunked(url, 2 * MAX_WEBHOOK_BODY_BYTES)).status).toBe(413);
    await listener!.stop();
    expect(pushed).toEqual([]);
    expect(journalLines()).toEqual([]);
    expect(events.every((e) => e.status === 'rejected')).toBe(true);
    expect(listener!.summary.rejected).toBe(9);
  });

  it('acknowledges other events with 200 without pushing or journaling', async () => {
    const pushed: string[] = [];
    const url = await startListener(async ({ reportId }) => {
      pushed.push(reportId);
      return item(reportId, 'created');
    });
    const answer = await post(url, ...delivery('rep_1', 'session.started'));
    expect(answer).toMatchObject({ status: 200, body: { ok: true, ignored: true } });
    await listener!.stop();
    expect(pushed).toEqual([]);
    expect(journalLines()).toEqual([]);
    expect(events).toEqual([expect.objectContaining({ event: 'session.started', status: 'ignored' })]);
  });

  it('retries transient failures with backoff, then keeps the delivery pending in the journal for the next start', async () => {
    let calls = 0;
    const url = await startListener(async ({ reportId }) => {
      calls++;
      return item(reportId, 'failed', { code: 'server_error', message: 'HTTP 503' });
    });
    await post(url, ...delivery('rep_1'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(calls).toBe(3);
    expect(events.filter((e) => e.status === 'retrying')).toHaveLength(2);
    // acknowledged to Apriora, never pushed: no done record, so the next start replays it
    expect(journalLines().map((line) => line.type)).toEqual(['accepted']);
    expect(events.at(-1)?.detail).toMatch(/pushed again at the next start/);
    // a failed report is not a duplicate: Apriora's redelivery is pushed again
    expect((await post(url, ...delivery('rep_1'))).status).toBe(202);
    await listener!.stop();
    expect(calls).toBe(6);
  });

  it('a port already in use is a usage error (exit 2), and the journal is released', async () => {
    const url = await startListener(async ({ reportId }) => item(reportId, 'created'));
    const port = Number(new URL(url).port);
    const other = new WebhookListener({
      host: '127.0.0.1',
      port,
      path: PATH,
      secret: SECRET,
      concurrency: 1,
      journalPath: join(tmp, 'other', 'webhooks.jsonl'),
      push: async ({ reportId }) => item(reportId, 'created'),
      isTransient: isTransientFailure,
      onEvent: () => {},
      warn: () => {},
    });
    await expect(other.start()).rejects.toMatchObject({ code: 'port_in_use', exitCode: 2 });
    expect(existsSync(join(tmp, 'other', 'webhooks.jsonl.lock'))).toBe(false);
  });

  it('a second listener on the same journal is refused (listener_running), also in the same process', async () => {
    await startListener(async ({ reportId }) => item(reportId, 'created'));
    const second = new WebhookListener({
      host: '127.0.0.1',
      port: 0,
      path: PATH,
      secret: SECRET,
      concurrency: 1,
      journalPath: journalFile(),
      push: async ({ reportId }) => item(reportId, 'created'),
      isTransient: isTransientFailure,
      onEvent: () => {},
      warn: () => {},
    });
    await expect(second.start()).rejects.toMatchObject({ code: 'listener_running', exitCode: 2 });
    // the first one still holds the lock
    expect(existsSync(`${journalFile()}.lock`)).toBe(true);
  });

  it('stop() in order: refuse deliveries, finish the queue with the journal open and the lock held, close the journal, release the lock', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const duringDrain: { open: boolean; locked: boolean }[] = [];
    const url = await startListener(
      async ({ reportId }) => {
        await gate;
        duringDrain.push({ open: listener!.open, locked: existsSync(`${journalFile()}.lock`) });
        return item(reportId, 'created');
      },
      { concurrency: 1 },
    );
    expect((await post(url, ...delivery('rep_1'))).status).toBe(202);
    expect((await post(url, ...delivery('rep_2'))).status).toBe(202);

    // A request whose headers arrived before the stop and whose body arrives after it: answered 503 shutting_down.
    const [body, headers] = delivery('rep_3');
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      answer += chunk;
    });
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const head = Object.entries({ ...headers, 'content-type': 'application/json', 'content-length': String(body.length) })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.write(`POST ${PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\n${head}\r\n${body.subarray(0, 10).toString()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));

    const stopped = listener!.stop();
    expect(listener!.open).toBe(false);
    await expect(post(url, ...delivery('rep_late'))).rejects.toThrow(/ECONNREFUSED|ECONNRESET|socket hang up/);
    socket.end(body.subarray(10));
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 503/);
    expect(answer).toMatch(/retry-after: 30/i);
    expect(answer).toContain('"shutting_down"');

    release();
    const summary = await stopped;
    expect(duringDrain).toEqual([
      { open: false, locked: true },
      { open: false, locked: true },
    ]);
    expect(summary).toMatchObject({ accepted: 2, created: 2 });
    expect(events.find((e) => e.reportId === 'rep_3')).toMatchObject({ status: 'unavailable', http: 503 });
    // both done marks were written before the journal was closed; then the lock went
    expect(journalLines().map((r) => r.type)).toEqual(['accepted', 'accepted', 'done', 'done']);
    expect(existsSync(`${journalFile()}.lock`)).toBe(false);
  });

  it('does not retry a permanent failure', async () => {
    let calls = 0;
    const url = await startListener(async ({ reportId }) => {
      calls++;
      return item(reportId, 'failed', { code: 'report_not_found', message: 'no' });
    });
    await post(url, ...delivery('rep_1'));
    await listener!.stop();
    expect(calls).toBe(1);
    expect(listener!.summary.failed).toBe(1);
  });

  it('answers 503 with Retry-After when too many deliveries wait', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const url = await startListener(
      async ({ reportId }) => {
        await gate;
        return item(reportId, 'created');
      },
      { concurrency: 1, maxPending: 2 },
    );
    expect((await post(url, ...delivery('rep_1'))).status).toBe(202);
    expect((await post(url, ...delivery('rep_2'))).status).toBe(202);
    const busy = await post(url, ...delivery('rep_3'));
    expect(busy.status).toBe(503);
    expect(Number(busy.headers['retry-after'])).toBeGreaterThan(0);
    release();
    await listener!.stop();
    expect(
      journalLines()
        .filter((r) => r.type === 'accepted')
        .map((r) => r.reportId),
    ).toEqual(['rep_1', 'rep_2']);
  });

  it('stop() refuses new connections and finishes the queued pushes', async () => {
    const pushed: string[] = [];
    const url = await startListener(
      async ({ reportId }) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        pushed.push(reportId);
        return item(reportId, 'created');
      },
      { concurrency: 2 },
    );
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post(url, ...delivery(`rep_${i}`))));
    expect(answers.every((a) => a.status === 202)).toBe(true);
    const stopped = listener!.stop();
    await expect(post(url, ...delivery('rep_late'))).rejects.toThrow(/ECONNREFUSED|ECONNRESET|socket hang up/);
    const summary = await stopped;
    expect(pushed.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `rep_${i}`).sort());
    expect(summary).toMatchObject({ accepted: 10, created: 10 });
  });

  it("the push gets the webhook's candidateEmail and positionId, which the journal keeps; implausible ones are left out", async () => {
    const pushed: PushDelivery[] = [];
    const url = await startListener(async (given) => {
      pushed.push(given);
      return item(given.reportId, 'created');
    });
    // A body whose hints are not plausible data: pushed on its report id alone.
    const odd = bodyOf({
      event: 'session.completed',
      data: { candidateId: 'cand_2', candidateEmail: 'eve@example.com\u001b[2J', reportId: 'rep_2', positionId: `pos_${'9'.repeat(200)}`, time: NOW },
    });
    expect((await post(url, ...delivery('rep_1'))).status).toBe(202);
    expect((await post(url, odd, signed(odd, Math.floor(Date.now() / 1000)))).status).toBe(202);
    await listener!.stop();
    expect(pushed.sort((a, b) => a.reportId.localeCompare(b.reportId))).toEqual([
      { reportId: 'rep_1', candidateId: 'cand_1', candidateEmail: 'ada@example.com', positionId: 'pos_1' },
      { reportId: 'rep_2', candidateId: 'cand_2' },
    ]);
    const accepted = journalLines()
      .filter((line) => line.type === 'accepted')
      .sort((a, b) => a.reportId.localeCompare(b.reportId));
    expect(accepted).toEqual([
      {
        type: 'accepted',
        id: expect.any(String),
        reportId: 'rep_1',
        event: 'session.completed',
        receivedAt: expect.any(String),
        candidateId: 'cand_1',
        candidateEmail: 'ada@example.com',
        positionId: 'pos_1',
      },
      { type: 'accepted', id: expect.any(String), reportId: 'rep_2', event: 'session.completed', receivedAt: expect.any(String), candidateId: 'cand_2' },
    ]);
  });

  it('a journal line of an older version (no hints) is replayed on its report id; one with hints passes them', async () => {
    mkdirSync(join(tmp, 'default'), { recursive: true });
    const receivedAt = new Date().toISOString();
    writeFileSync(
      journalFile(),
      [
        JSON.stringify({ type: 'accepted', id: 'd1', reportId: 'rep_1', event: 'session.completed', receivedAt }),
        JSON.stringify({
          type: 'accepted',
          id: 'd2',
          reportId: 'rep_2',
          event: 'session.completed',
          receivedAt,
          candidateEmail: 'b@example.com',
          positionId: 'pos_2',
        }),
        '',
      ].join('\n'),
    );
    const pushed: PushDelivery[] = [];
    await startListener(async (given) => {
      pushed.push(given);
      return item(given.reportId, 'created');
    });
    await listener!.stop();
    expect(pushed).toEqual([{ reportId: 'rep_1' }, { reportId: 'rep_2', candidateEmail: 'b@example.com', positionId: 'pos_2' }]);
  });

  it('replays the journal at start: unfinished entries are pushed once, and are duplicates meanwhile', async () => {
    // What a SIGKILL leaves behind: two acknowledged deliveries, one pushed (done), one not; a dead listener's lock.
    mkdirSync(join(tmp, 'default'), { recursive: true });
    const record = (id: string, reportId: string) =>
      JSON.stringify({ type: 'accepted', id, reportId, event: 'session.completed', receivedAt: new Date().toISOString() });
    writeFileSync(
      journalFile(),
      [record('d1', 'rep_1'), record('d2', 'rep_2'), JSON.stringify({ type: 'done', id: 'd1', status: 'created' }), record('d3', 'rep_3'), '{"type":"acc'].join(
        '\n',
      ),
    );
    writeFileSync(`${journalFile()}.lock`, '2147483646\n');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const pushed: string[] = [];
    const warnings: string[] = [];
    const url = await startListener(
      async ({ reportId }) => {
        pushed.push(reportId);
        await gate;
        return item(reportId, 'created');
      },
      { warn: (m) => warnings.push(m) },
    );
    expect(events.filter((e) => e.status === 'replaying').map((e) => e.reportId)).toEqual(['rep_2', 'rep_3']);
    expect(warnings).toEqual([expect.stringContaining('incomplete last line')]);
    // redeliveries: of a report being replayed, and of one pushed before the crash
    expect((await post(url, ...delivery('rep_2'))).body).toEqual({ ok: true, duplicate: true });
    expect((await post(url, ...delivery('rep_1'))).body).toEqual({ ok: true, duplicate: true });
    release();
    await listener!.stop();
    expect(pushed.sort()).toEqual(['rep_2', 'rep_3']);
    // the next start has nothing left to do
    const load = readFileSync(journalFile(), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(
      load
        .filter((r) => r.type === 'done')
        .map((r) => r.id)
        .sort(),
    ).toEqual(['d2', 'd3']);
  });
});
