import { connect, type Socket } from 'node:net';
import { signAprioraWebhook } from '../../src/sandbox/index.js';

/**
 * Clients for flooding the webhook listener over loopback (test/unit/webhook-connections.test.ts,
 * test/e2e/activity-listen.test.ts): raw HTTP/1.1 requests on connections of their own, which tell an answer from a
 * reset, and slow clients that trickle a request's headers and connect again when dropped. The full-size figures
 * come from test/bench/listener-flood.mjs, which has its own copy of these (it runs on the built code).
 */

/** A signed `session.completed` as Apriora sends it: headers and body in one write, then the connection closes. */
export function signedDeliveryRequest(path: string, secret: string, body: string): string {
  return (
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nApriora-Signature: ${signAprioraWebhook(secret, body, Math.floor(Date.now() / 1000))}\r\n` +
    `Connection: close\r\n\r\n${body}`
  );
}

export interface RawAnswer {
  /** null: no answer (a reset, or closed without one). */
  status: number | null;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
  /** Why there is no answer: the socket error (ECONNRESET…), `timeout` or `closed without an answer`. */
  error?: string;
  ms: number;
}

/** Lets many connections open before any of them sends: each calls `connected()`; all send once every one has. */
export interface Barrier {
  connected(): void;
  ready: Promise<void>;
}

export function barrier(count: number): Barrier {
  let connected = 0;
  let go!: () => void;
  const ready = new Promise<void>((resolve) => {
    go = resolve;
  });
  return {
    ready,
    connected: () => {
      if (++connected === count) go();
    },
  };
}

/** Sends `request` on a new connection and reads the answer (never rejects); with `wait`, sends once it is ready. */
export function rawRequest(port: number, request: string, options: { timeoutMs?: number; wait?: Barrier } = {}): Promise<RawAnswer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let data = '';
    let settled = false;
    const finish = (error?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const split = data.indexOf('\r\n\r\n');
      const head = split >= 0 ? data.slice(0, split).split('\r\n') : [];
      const status = /^HTTP\/1\.1 (\d{3})/.exec(head[0] ?? '')?.[1];
      const headers: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({
        status: status ? Number(status) : null,
        headers,
        body: split >= 0 ? data.slice(split + 4) : '',
        ...(status ? {} : { error: error ?? 'closed without an answer' }),
        ms: performance.now() - started,
      });
    };
    const complete = () => {
      const split = data.indexOf('\r\n\r\n');
      if (split < 0) return false;
      const length = /\r\ncontent-length: *(\d+)/i.exec(data.slice(0, split + 2))?.[1];
      return length !== undefined && Buffer.byteLength(data.slice(split + 4)) >= Number(length);
    };
    const timer = setTimeout(() => finish('timeout'), options.timeoutMs ?? 30_000);
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      const wait = options.wait;
      if (!wait) return socket.write(request);
      wait.connected();
      void wait.ready.then(() => {
        if (!settled) socket.write(request);
      });
    });
    socket.on('data', (chunk: string) => {
      data += chunk;
      if (complete()) finish();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code ?? error.message));
    socket.on('close', () => finish());
  });
}

/** Answers counted by status, or by error (`reset` for ECONNRESET). */
export function tally(answers: RawAnswer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) {
    const key = answer.status ? String(answer.status) : answer.error === 'ECONNRESET' ? 'reset' : (answer.error ?? 'none');
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

export interface SlowClients {
  readonly stats: { connects: number; drops: number };
  /** Connections open now. */
  readonly open: number;
  stop(): void;
}

/**
 * `count` connections from 127.0.0.1 that send a request's headers one byte every `byteEveryMs` (never finishing
 * them), and connect again as soon as they are dropped.
 */
export function slowClients(port: number, path: string, count: number, byteEveryMs: number): SlowClients {
  const prefix = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: `;
  const sockets = new Map<Socket, number>();
  let running = true;
  const stats = { connects: 0, drops: 0 };
  const open = () => {
    if (!running) return;
    const socket = connect(port, '127.0.0.1');
    stats.connects++;
    socket.on('connect', () => sockets.set(socket, 0));
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => {
      sockets.delete(socket);
      if (!running) return;
      stats.drops++;
      setImmediate(open);
    });
  };
  const tick = setInterval(() => {
    for (const [socket, sent] of sockets) {
      if (socket.destroyed || !socket.writable) continue;
      socket.write(sent < prefix.length ? prefix[sent]! : 'a');
      sockets.set(socket, sent + 1);
    }
  }, byteEveryMs);
  for (let i = 0; i < count; i++) open();
  return {
    stats,
    get open() {
      return sockets.size;
    },
    stop() {
      running = false;
      clearInterval(tick);
      for (const socket of sockets.keys()) socket.destroy();
    },
  };
}
