import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookPayload } from '../apriora/schemas.js';
import { listenFault } from '../system-errors.js';
import { ConnectionGuard, type PressureReport, wasClosedEarly } from './connections.js';
import { checkDeclaredLength, checkRoute, inspectDelivery, MAX_WEBHOOK_BODY_BYTES, type ReceiverConfig, type Rejection, tooLarge } from './receiver.js';

/**
 * The HTTP server of `apriora activity listen` and its limits: connections, header and request timeouts, the body
 * size, and the answers (`apriora help webhooks`, WHAT EACH REQUEST GETS and CONNECTIONS). Each connection is
 * admitted by the connection guard (./connections.ts: caps per address and in all, the slowest incomplete connection
 * evicted first); each request goes route → size → signature and shape (./receiver.ts) → the sink (journal + queue),
 * which answers 503 with Retry-After when full. A rejected request never reaches the sink, so it writes nothing.
 */

export const SERVER_LIMITS = {
  /**
   * Connections open at once. Each may buffer a body of up to the body limit before its signature is checked: bound
   * the total. At a cap the slowest incomplete connection makes room (./connections.ts).
   */
  maxConnections: 512,
  /** Connections open at once from one client address. */
  maxConnectionsPerAddress: 256,
  /** For a request's headers: Apriora sends a delivery at once, so a short wait is enough. */
  headersTimeoutMs: 5_000,
  /** For a whole request. */
  requestTimeoutMs: 10_000,
  /** An idle keep-alive connection is closed after this long. */
  keepAliveTimeoutMs: 5_000,
  /** How often the header and request timeouts are checked. */
  timeoutCheckIntervalMs: 1_000,
  /** A connection closed early (at a cap) gets this long to read its 503 and close its side. */
  closeGraceMs: 2_000,
  /** Seconds in the Retry-After of the 503 sent to a connection closed at a cap. */
  connectionsRetryAfterSeconds: 10,
  /** Connections the kernel queues before they are accepted. */
  backlog: 1_024,
} as const;

export type ServerLimits = { -readonly [K in keyof typeof SERVER_LIMITS]: number };

/** After a 413, bytes still arriving are discarded (never buffered) up to this many, then the socket is cut. */
const DISCARD_AFTER_413_BYTES = 4 * 1024 * 1024;
/** Seconds in the Retry-After of a 503 while shutting down or when the journal cannot be written. */
const RETRY_AFTER_SECONDS = '30';
/** At the end of a shutdown, connections still open get this long before they are cut. */
const CLOSE_GRACE_MS = 1_000;

export type BodyRead = { kind: 'body'; body: Buffer } | { kind: 'too_large' } | { kind: 'aborted' };

/** Reads a request body up to `maxBytes`; stops collecting at the first byte over it. */
export function readBody(request: IncomingMessage, maxBytes = MAX_WEBHOOK_BODY_BYTES): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyRead) => {
      if (settled) return;
      settled = true;
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onAbort);
      request.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        finish({ kind: 'too_large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: 'body', body: Buffer.concat(chunks, size) });
    const onAbort = () => finish({ kind: 'aborted' });
    const onClose = () => {
      if (!request.complete) finish({ kind: 'aborted' });
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onAbort);
    request.on('close', onClose);
  });
}

export interface AcceptedDelivery {
  event: 'session.completed';
  reportId: string;
  payload: WebhookPayload;
}

export type AcceptOutcome =
  | { outcome: 'accepted'; id: string }
  | { outcome: 'duplicate' }
  /** The queue is full: try again later. */
  | { outcome: 'busy'; retryAfterSeconds: number }
  /** The listener is shutting down. */
  | { outcome: 'closing' }
  /** The journal could not be written. */
  | { outcome: 'error'; message: string };

export interface DeliverySink {
  /** Journals (fsync) and queues a verified `session.completed`; resolves before the answer is sent. */
  accept(delivery: AcceptedDelivery): Promise<AcceptOutcome>;
  /** Whether the listener still takes deliveries (false while shutting down). */
  readonly open: boolean;
}

/** One line of the listener's log, for every request answered. */
export interface RequestLog {
  event: string | null;
  reportId: string | null;
  /** accepted | duplicate | ignored | rejected | busy | unavailable | error */
  status: string;
  http: number;
  id?: string;
  detail?: string;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  response.end(text);
}

function sendRejection(request: IncomingMessage, response: ServerResponse, rejection: Rejection, closeConnection: boolean): void {
  const headers = { ...rejection.headers, ...(closeConnection ? { Connection: 'close' } : {}) };
  send(response, rejection.status, { ok: false, error: { code: rejection.reason, message: rejection.message } }, headers);
  if (closeConnection) {
    // The rest of the body is discarded without being kept (a well-behaved client then reads the 413); a client
    // that keeps sending well past the limit is cut off.
    let discarded = 0;
    const cut = () => request.socket.destroy();
    const timer = setTimeout(cut, 5_000);
    timer.unref();
    request.on('data', (chunk: Buffer) => {
      discarded += chunk.length;
      if (discarded > DISCARD_AFTER_413_BYTES) cut();
    });
    request.on('end', () => clearTimeout(timer));
    request.on('close', () => clearTimeout(timer));
    request.resume();
  }
}

/** The request listener: route, size, signature, shape, then the sink. Never throws. */
export function createWebhookHandler(
  config: ReceiverConfig,
  sink: DeliverySink,
  log: (entry: RequestLog) => void,
): (request: IncomingMessage, response: ServerResponse) => void {
  const maxBytes = config.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES;
  const rejected = (
    request: IncomingMessage,
    response: ServerResponse,
    rejection: Rejection,
    closeConnection = false,
    event: string | null = null,
    reportId: string | null = null,
  ) => {
    sendRejection(request, response, rejection, closeConnection);
    log({ event, reportId, status: 'rejected', http: rejection.status, detail: `${rejection.reason}: ${rejection.message}` });
  };
  return (request, response) => {
    void (async () => {
      const routing = checkRoute(request.method, request.url, config.path);
      if (routing) return rejected(request, response, routing);
      if (!sink.open) {
        send(
          response,
          503,
          { ok: false, error: { code: 'shutting_down', message: 'The listener is shutting down' } },
          { Connection: 'close', 'Retry-After': RETRY_AFTER_SECONDS },
        );
        request.resume();
        return log({ event: null, reportId: null, status: 'unavailable', http: 503, detail: 'shutting down' });
      }
      const declared = checkDeclaredLength(request.headers, maxBytes);
      if (declared) return rejected(request, response, declared, true);
      const read = await readBody(request, maxBytes);
      // Closed early to make room (a slow request at the connection cap): already answered 503.
      if (read.kind === 'aborted' || wasClosedEarly(request.socket)) return;
      if (read.kind === 'too_large') return rejected(request, response, tooLarge(maxBytes), true);
      const verdict = inspectDelivery(request.headers, read.body, config);
      if (verdict.kind === 'rejected') return rejected(request, response, verdict);
      if (verdict.event !== 'session.completed' || !verdict.reportId || !verdict.payload) {
        send(response, 200, { ok: true, ignored: true });
        return log({ event: verdict.event, reportId: verdict.reportId, status: 'ignored', http: 200, detail: 'only session.completed is pushed' });
      }
      const outcome = await sink.accept({ event: 'session.completed', reportId: verdict.reportId, payload: verdict.payload });
      const base = { event: verdict.event, reportId: verdict.reportId };
      switch (outcome.outcome) {
        case 'accepted':
          send(response, 202, { ok: true, id: outcome.id });
          return log({ ...base, status: 'accepted', http: 202, id: outcome.id });
        case 'duplicate':
          send(response, 200, { ok: true, duplicate: true });
          return log({ ...base, status: 'duplicate', http: 200, detail: 'already received' });
        case 'busy':
          send(
            response,
            503,
            { ok: false, error: { code: 'busy', message: 'Too many deliveries waiting; try again later' } },
            { 'Retry-After': String(outcome.retryAfterSeconds) },
          );
          return log({ ...base, status: 'busy', http: 503, detail: 'queue full' });
        case 'closing':
          send(
            response,
            503,
            { ok: false, error: { code: 'shutting_down', message: 'The listener is shutting down' } },
            { Connection: 'close', 'Retry-After': RETRY_AFTER_SECONDS },
          );
          return log({ ...base, status: 'unavailable', http: 503, detail: 'shutting down' });
        case 'error':
          send(
            response,
            503,
            { ok: false, error: { code: 'journal_error', message: 'The delivery could not be recorded' } },
            { 'Retry-After': RETRY_AFTER_SECONDS },
          );
          return log({ ...base, status: 'error', http: 503, detail: outcome.message });
      }
    })().catch((error: unknown) => {
      send(response, 500, { ok: false, error: { code: 'internal_error', message: 'Internal error' } });
      log({ event: null, reportId: null, status: 'error', http: 500, detail: error instanceof Error ? error.message : String(error) });
    });
  };
}

/** The listening server, and the steps that close it (in the order the listener's shutdown runs them). */
export class WebhookServer {
  private constructor(
    private readonly server: Server,
    /** The webhook's URL: `http://<host>:<port><path>`. */
    readonly url: string,
    private readonly closed: Promise<void>,
    private readonly guard: ConnectionGuard,
  ) {}

  /** Connections closed early at a cap since start (evicted, turned away), and those still being closed. */
  get connectionStats(): { evicted: number; refused: number; closing: number } {
    return this.guard.stats;
  }

  /**
   * Listens on `host:port` (0: a free port). A port in use, or an address that is not this machine's or does not
   * resolve, is an EnvironmentError (exit 2) naming it (src/system-errors.ts).
   * `onPressure` hears when connections are closed at a cap (at once the first time, then at most once a minute).
   */
  static async listen(
    options: { host: string; port: number; path: string },
    handler: (request: IncomingMessage, response: ServerResponse) => void,
    settings: { limits?: Partial<ServerLimits>; onPressure?: (pressure: PressureReport, limits: ServerLimits) => void } = {},
  ): Promise<WebhookServer> {
    const limits: ServerLimits = { ...SERVER_LIMITS, ...settings.limits };
    const guard = new ConnectionGuard(
      {
        maxConnections: limits.maxConnections,
        maxConnectionsPerAddress: limits.maxConnectionsPerAddress,
        closeGraceMs: limits.closeGraceMs,
        retryAfterSeconds: limits.connectionsRetryAfterSeconds,
      },
      (pressure) => settings.onPressure?.(pressure, limits),
    );
    const server = createServer({ connectionsCheckingInterval: limits.timeoutCheckIntervalMs }, (request, response) => {
      if (guard.requestStarted(request, response)) handler(request, response);
    });
    server.on('connection', (socket) => guard.admit(socket));
    server.once('close', () => guard.dispose());
    server.requestTimeout = limits.requestTimeoutMs;
    server.headersTimeout = limits.headersTimeoutMs;
    server.keepAliveTimeout = limits.keepAliveTimeoutMs;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        reject(listenError(error, options));
      };
      const onListening = () => {
        server.off('error', onError);
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(options.port, options.host, limits.backlog);
    });
    const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
    return new WebhookServer(server, `http://${host}:${address.port}${options.path}`, closed, guard);
  }

  /** New connections are refused; requests still arriving on open connections are answered (503 while stopping). */
  stopAccepting(): void {
    this.server.close();
  }

  /** Keep-alive connections with no request under way are closed now. */
  closeIdleConnections(): void {
    this.server.closeIdleConnections();
  }

  /** Connections still open get a short grace to finish, then are cut; resolves once the server is closed. */
  async closeRemainingConnections(graceMs = CLOSE_GRACE_MS): Promise<void> {
    const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([this.closed, grace]);
    this.server.closeAllConnections();
    await this.closed;
  }
}

function listenError(error: NodeJS.ErrnoException, options: { host: string; port: number }): unknown {
  return listenFault(error, options) ?? error;
}
