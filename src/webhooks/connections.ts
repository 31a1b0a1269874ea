import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The connection limits of `apriora activity listen` (`apriora help webhooks`, CONNECTIONS): how many connections
 * the server keeps open, per client address and in all, and which one goes when a new one arrives at a cap.
 *
 * A connection is either *waiting* for a complete request (its headers still arriving, or idle between two
 * requests), *reading* a request's body, or *handling* a complete request (signature, journal, answer). Apriora sends
 * a whole delivery at once, so a real delivery spends microseconds waiting and reading; a client trickling its
 * headers or body a byte at a time stays there. When a new connection arrives at a cap, the connection that has been
 * waiting or reading the longest is closed to make room (oldest first; one handling a complete request never is).
 * When every connection at the cap is handling a complete request, the new connection is the one turned away. Either
 * way the connection closed is answered `503` with `Retry-After` and then half-closed, so that a client which has
 * already sent its request reads that answer instead of a reset.
 */

export interface ConnectionLimits {
  /** Connections open at once, all clients together. */
  maxConnections: number;
  /** Connections open at once from one client address (behind a proxy or tunnel: the proxy's). */
  maxConnectionsPerAddress: number;
  /** A connection closed early gets this long to read its 503 and close its side; then it is cut. */
  closeGraceMs: number;
  /** Seconds in the Retry-After of the 503 sent to a connection closed early. */
  retryAfterSeconds: number;
}

export interface PressureReport {
  /** Connections closed early to make room for new ones. */
  evicted: number;
  /** New connections turned away: every open one was handling a complete request. */
  refused: number;
  /** Over this many seconds. */
  seconds: number;
}

type Phase = 'waiting' | 'reading' | 'handling';

interface Tracked {
  socket: Socket;
  address: string;
  phase: Phase;
  /** When the connection began waiting for its current request (ms): at connect, then after each answer. */
  since: number;
  /** `socket.bytesRead` at `since`. */
  bytesAtStart: number;
  /** Requests answered on this connection. */
  answered: number;
  /** The response of the request being read or handled. */
  response: ServerResponse | undefined;
}

/** How often, at most, the closings are reported (the first one at once). */
const REPORT_EVERY_MS = 60_000;

/** Sockets closed early: a request arriving on one is not handled. */
const closedEarly = new WeakSet<Socket>();

/** Whether the connection was closed early (evicted or turned away): whatever it sends is not handled. */
export function wasClosedEarly(socket: Socket): boolean {
  return closedEarly.has(socket);
}

function unavailableBody(): string {
  return JSON.stringify({ ok: false, error: { code: 'too_many_connections', message: 'Too many connections; try again later' } });
}

export class ConnectionGuard {
  /** Open connections, in the order they began waiting for their current request (oldest first). */
  private readonly open = new Map<Socket, Tracked>();
  private readonly perAddress = new Map<string, number>();
  /** Connections closed early, still reading the client's last bytes until it closes or its grace ends. */
  private readonly closing = new Map<Socket, NodeJS.Timeout>();
  private evicted = 0;
  private refused = 0;
  private unreported = { evicted: 0, refused: 0 };
  private lastReport = 0;
  private reportTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: ConnectionLimits,
    private readonly report: (pressure: PressureReport) => void = () => {},
    private readonly clock: () => number = Date.now,
  ) {}

  /** Since start: connections evicted, and connections turned away. */
  get stats(): { evicted: number; refused: number; closing: number } {
    return { evicted: this.evicted, refused: this.refused, closing: this.closing.size };
  }

  /** A new connection (the server's `connection` event): makes room at a cap, or turns it away. */
  admit(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    const full =
      ((this.perAddress.get(address) ?? 0) >= this.limits.maxConnectionsPerAddress && !this.makeRoom(address)) ||
      (this.open.size >= this.limits.maxConnections && !this.makeRoom(undefined));
    if (full) {
      this.refuse(socket);
      return;
    }
    const tracked: Tracked = { socket, address, phase: 'waiting', since: this.clock(), bytesAtStart: 0, answered: 0, response: undefined };
    this.open.set(socket, tracked);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    socket.once('close', () => this.forget(socket));
  }

  /**
   * A request's headers are in (the server's `request` event). False if its connection was closed early: the
   * request is then drained and not answered (its 503 is already sent).
   */
  requestStarted(request: IncomingMessage, response: ServerResponse): boolean {
    const socket = request.socket;
    if (closedEarly.has(socket)) {
      request.resume();
      return false;
    }
    const tracked = this.open.get(socket);
    if (!tracked) return true;
    // The request started when the connection began waiting for it: a connection whose headers trickled in stays old.
    tracked.phase = 'reading';
    tracked.response = response;
    request.once('end', () => {
      // Complete: never evicted while it is checked, journaled and answered.
      if (tracked.phase === 'reading' && tracked.response === response && !response.writableEnded) tracked.phase = 'handling';
    });
    response.once('finish', () => {
      if (tracked.response !== response) return;
      tracked.answered++;
      tracked.response = undefined;
      this.waitAgain(tracked);
    });
    return true;
  }

  /** Stops the report timer (the server is closed). */
  dispose(): void {
    if (this.reportTimer) clearTimeout(this.reportTimer);
    this.reportTimer = undefined;
    this.flushReport();
  }

  /** A response went out: the connection waits for its next request from now on. */
  private waitAgain(tracked: Tracked): void {
    tracked.phase = 'waiting';
    tracked.since = this.clock();
    tracked.bytesAtStart = tracked.socket.bytesRead;
    // Re-inserted: the map stays ordered by the time each connection began waiting.
    this.open.delete(tracked.socket);
    this.open.set(tracked.socket, tracked);
  }

  private forget(socket: Socket): void {
    const tracked = this.open.get(socket);
    if (tracked) {
      this.open.delete(socket);
      const count = (this.perAddress.get(tracked.address) ?? 1) - 1;
      if (count > 0) this.perAddress.set(tracked.address, count);
      else this.perAddress.delete(tracked.address);
    }
    const timer = this.closing.get(socket);
    if (timer) clearTimeout(timer);
    this.closing.delete(socket);
  }

  /** Closes the oldest connection still waiting for or reading a request (from `address` if given). */
  private makeRoom(address: string | undefined): boolean {
    for (const tracked of this.open.values()) {
      if (tracked.phase === 'handling') continue;
      if (address !== undefined && tracked.address !== address) continue;
      this.evict(tracked);
      return true;
    }
    return false;
  }

  private evict(tracked: Tracked): void {
    this.evicted++;
    this.unreported.evicted++;
    this.forget(tracked.socket);
    const { socket, response } = tracked;
    closedEarly.add(socket);
    if (response && !response.headersSent) {
      // Headers in, body still arriving: answered through its response; the server closes the connection after it.
      const body = unavailableBody();
      response.writeHead(503, {
        'Content-Type': 'application/json',
        'Content-Length': String(Buffer.byteLength(body)),
        'Retry-After': String(this.limits.retryAfterSeconds),
        Connection: 'close',
      });
      response.end(body);
      this.linger(socket, false);
    } else if (response || (tracked.answered > 0 && socket.bytesRead === tracked.bytesAtStart)) {
      // An answer already on its way, or idle between two requests: closed as an idle keep-alive connection is.
      this.linger(socket, false);
      socket.end();
    } else {
      this.linger(socket, true);
    }
    this.scheduleReport();
  }

  private refuse(socket: Socket): void {
    this.refused++;
    this.unreported.refused++;
    closedEarly.add(socket);
    this.linger(socket, true);
    this.scheduleReport();
  }

  /**
   * Sends the 503 (if `answer`) and half-closes; what the client still sends is read and discarded until it closes
   * its side, or the grace ends. Past the limit of connections being closed, the oldest of them is cut.
   */
  private linger(socket: Socket, answer: boolean): void {
    if (answer && socket.writable) {
      const body = unavailableBody();
      socket.end(
        'HTTP/1.1 503 Service Unavailable\r\n' +
          'Content-Type: application/json\r\n' +
          `Content-Length: ${Buffer.byteLength(body)}\r\n` +
          `Retry-After: ${this.limits.retryAfterSeconds}\r\n` +
          'Connection: close\r\n\r\n' +
          body,
      );
    }
    const timer = setTimeout(() => socket.destroy(), this.limits.closeGraceMs);
    timer.unref();
    this.closing.set(socket, timer);
    socket.once('close', () => this.forget(socket));
    if (this.closing.size > this.limits.maxConnections) {
      const [oldest] = this.closing.keys();
      if (oldest) {
        this.forget(oldest);
        oldest.destroy();
      }
    }
  }

  private scheduleReport(): void {
    const now = this.clock();
    if (now - this.lastReport >= REPORT_EVERY_MS) {
      this.flushReport();
      return;
    }
    if (this.reportTimer) return;
    this.reportTimer = setTimeout(
      () => {
        this.reportTimer = undefined;
        this.flushReport();
      },
      this.lastReport + REPORT_EVERY_MS - now,
    );
    this.reportTimer.unref();
  }

  private flushReport(): void {
    const { evicted, refused } = this.unreported;
    if (evicted === 0 && refused === 0) return;
    const now = this.clock();
    const seconds = this.lastReport === 0 ? 0 : Math.round((now - this.lastReport) / 1000);
    this.unreported = { evicted: 0, refused: 0 };
    this.lastReport = now;
    this.report({ evicted, refused, seconds });
  }
}
