import { RemoteError } from '../errors.js';
import { backoffDelay } from '../lib/backoff.js';
import { isSecretHeader, redactHeaders, redactKeys, redactValues } from './redact.js';
import { isRetryableStatus, parseRetryAfter } from './retry.js';
import { createThrottle, type Throttle } from './throttle.js';
import { type RawResponse, send } from './transport.js';

export type Trace = (line: string) => void;

export { createThrottle, type Throttle } from './throttle.js';

export interface HttpClientOptions {
  /** Base URL without a trailing slash; request paths are appended to it. */
  baseUrl: string;
  /** The service's name in error messages ("Tracker", "Apriora"). */
  service: string;
  /** How to point the client at another URL, added to the hint when the host cannot be reached. */
  changeUrl?: string;
  timeoutMs?: number;
  /** Retries after the first attempt. */
  maxRetries?: number;
  /** Client-side limit (see createThrottle); undefined means unlimited. */
  rateLimitPerMinute?: number;
  /** Requests that may go at once under `rateLimitPerMinute` after a pause (default: a tenth of it). */
  rateBurst?: number;
  /** The window that `rateLimitPerMinute` applies to; 60 000 ms unless a test shortens it. */
  rateLimitIntervalMs?: number;
  /**
   * A throttle shared with other clients (one rate budget for Tracker's Widget and REST APIs); when given,
   * `rateLimitPerMinute`, `rateBurst` and `rateLimitIntervalMs` are ignored.
   */
  throttle?: Throttle;
  /** Longest Retry-After we are willing to wait before giving up. */
  maxRetryAfterMs?: number;
  trace?: Trace;
  /** Secret values to mask in traces and error messages. */
  secrets?: string[];
  userAgent?: string;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  headers?: Record<string, string>;
  /**
   * Reads are retried on 429, 5xx, timeouts and network errors. Writes are retried only where the request
   * provably was not processed (429, connection refused): anything else needs a read-back by the caller.
   */
  idempotent: boolean;
  signal?: AbortSignal;
}

/** The server's clock as its last `Date` header told it, against this machine's clock at the middle of that request. */
export interface ServerClock {
  /** Server time minus local time, in ms (positive: this machine is behind). */
  offsetMs: number;
  /** How far off the offset may be: the Date header's one-second resolution and half the round trip. */
  uncertaintyMs: number;
}

export interface HttpResponse {
  status: number;
  headers: RawResponse['headers'];
  /** Parsed JSON when the body is JSON, otherwise undefined. */
  body: unknown;
  text: string;
}

// The abort listener goes once the wait is over: the command's one signal is shared by every request and retry, and
// listeners left behind pile up on it (Node warns past ten).
const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** The one HTTP layer under both API clients: timeouts, retries with Retry-After and jitter, rate limit, trace. */
export class HttpClient {
  readonly baseUrl: string;
  private readonly options: Required<
    Omit<HttpClientOptions, 'trace' | 'rateLimitPerMinute' | 'rateBurst' | 'rateLimitIntervalMs' | 'userAgent' | 'throttle' | 'changeUrl'>
  > &
    Pick<HttpClientOptions, 'trace' | 'userAgent'>;
  private readonly acquireSlot: Throttle;
  private readonly changeUrl: string | undefined;
  private requestCount = 0;
  /** The last answer's `Date` header and when its request went and came back; read only when asked (doctor). */
  private lastDate: { date: string; sentAt: number; receivedAt: number } | undefined;

  constructor(options: HttpClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    // `??` rather than spreading `options` over defaults: an option passed as `undefined` keeps its default.
    this.options = {
      baseUrl: this.baseUrl,
      service: options.service,
      timeoutMs: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 4,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 120_000,
      secrets: [...(options.secrets ?? [])],
      sleep: options.sleep ?? defaultSleep,
      random: options.random ?? Math.random,
      trace: options.trace,
      userAgent: options.userAgent,
    };
    this.changeUrl = options.changeUrl;
    this.acquireSlot = options.throttle ?? createThrottle(options.rateLimitPerMinute, { burst: options.rateBurst, intervalMs: options.rateLimitIntervalMs });
  }

  /** This client's throttle, to give another client the same rate budget (`throttle` option). */
  get throttle(): Throttle {
    return this.acquireSlot;
  }

  /** Requests sent so far, retries included (for benchmarks and `--debug` summaries). */
  get requestsSent(): number {
    return this.requestCount;
  }

  /** The server's clock from the last answer that carried a `Date` header; undefined before any. */
  get serverClock(): ServerClock | undefined {
    if (!this.lastDate) return undefined;
    const { date, sentAt, receivedAt } = this.lastDate;
    const server = Date.parse(date);
    if (Number.isNaN(server)) return undefined;
    const roundTrip = Math.max(0, receivedAt - sentAt);
    // A Date header is truncated to the second: the server's clock read between `server` and `server + 1000`.
    return { offsetMs: server + 500 - (sentAt + roundTrip / 2), uncertaintyMs: 500 + roundTrip / 2 };
  }

  addSecret(value: string | undefined): void {
    if (value && !this.options.secrets.includes(value)) this.options.secrets.push(value);
  }

  /** `text` with every known secret masked, for callers that put remote text into errors. */
  redact(text: string): string {
    return this.safe(text);
  }

  async request(req: HttpRequest): Promise<HttpResponse> {
    const target = this.url(req);
    const url = target.toString();
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    // A server may echo credentials back (error pages): mask secret header values like any other secret.
    for (const [key, value] of Object.entries(headers)) {
      if (isSecretHeader(key)) this.addSecret(value.trim().split(/\s+/).pop());
    }
    if (this.options.userAgent) headers['user-agent'] = this.options.userAgent;
    let body: string | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    }

    for (let attempt = 0; ; attempt++) {
      // Stopped while waiting for a slot (Ctrl-C, a read-ahead no longer needed): stop waiting, nothing is sent, and
      // the slot stays free for the requests behind it.
      await this.acquireSlot(req.signal);
      this.requestCount++;
      const started = Date.now();
      this.traceRequest(req, url, headers, attempt);
      let response: RawResponse;
      // One controller and one timer per attempt, cleared as soon as the answer is read: AbortSignal.timeout and
      // AbortSignal.any keep every request's signals alive for the whole timeout, which bulk runs pay for in memory.
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(new DOMException('timeout', 'TimeoutError')), this.options.timeoutMs);
      const forward = () => controller.abort(req.signal?.reason);
      req.signal?.addEventListener('abort', forward, { once: true });
      try {
        response = await send(target, { method: req.method, headers, body, signal: controller.signal });
      } catch (error) {
        clearTimeout(timer);
        req.signal?.removeEventListener('abort', forward);
        if (req.signal?.aborted) throw req.signal.reason;
        const tls = tlsFailure(error);
        if (tls) {
          // A certificate or protocol mismatch is the same on every attempt: no retry.
          this.trace(`<- ${req.method} ${url} failed after ${Date.now() - started} ms: TLS handshake failed: ${tls.reason}`);
          throw new RemoteError(`TLS handshake with ${target.host} failed: ${tls.reason}`, {
            code: 'tls_error',
            hint: tls.hint,
            details: { url: this.safe(url), attempts: attempt + 1, errno: tls.code },
            cause: error,
          });
        }
        const failure = describeNetworkError(error, controller.signal.reason, this.options.timeoutMs);
        this.trace(`<- ${req.method} ${url} failed after ${Date.now() - started} ms: ${failure.message}`);
        const retryable = req.idempotent || failure.notSent;
        if (retryable && attempt < this.options.maxRetries) {
          await this.wait(backoffDelay(attempt, this.backoff()), req.signal);
          continue;
        }
        throw new RemoteError(`${this.options.service} could not be reached: ${failure.message}`, {
          code: failure.timeout ? 'timeout' : 'network_error',
          hint:
            req.idempotent || failure.notSent
              ? `Check the network and the ${this.options.service} URL (${this.baseUrl}), then run the command again.${this.changeUrl ? ` ${this.changeUrl}` : ''}`
              : 'The write may or may not have been applied; run the command again: it checks before writing.',
          details: { url: this.safe(url), attempts: attempt + 1 },
          cause: error,
        });
      }

      clearTimeout(timer);
      req.signal?.removeEventListener('abort', forward);
      const date = response.headers.get('date');
      if (date) this.lastDate = { date, sentAt: started, receivedAt: Date.now() };
      const { text } = response;
      const parsed = parseBody(text, response.headers.get('content-type'));
      this.traceResponse(req, url, response.status, Date.now() - started, parsed, text);

      if (isRetryableStatus(response.status)) {
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        const retryable = req.idempotent || response.status === 429;
        const tooLong = retryAfter !== undefined && retryAfter > this.options.maxRetryAfterMs;
        if (retryable && !tooLong && attempt < this.options.maxRetries) {
          await this.wait(retryAfter ?? backoffDelay(attempt, this.backoff()), req.signal);
          continue;
        }
        const waitSeconds = retryAfter === undefined ? undefined : Math.ceil(retryAfter / 1000);
        throw new RemoteError(
          response.status === 429
            ? tooLong
              ? `${this.options.service} is rate limiting requests (HTTP 429) and asks to wait ${waitSeconds} s (Retry-After), longer than this command waits`
              : `${this.options.service} is rate limiting requests (HTTP 429) and did not recover after ${attempt + 1} attempts`
            : `${this.options.service} answered HTTP ${response.status}${attempt ? ` after ${attempt + 1} attempts` : ''}`,
          {
            code: response.status === 429 ? 'rate_limited' : 'server_error',
            status: response.status,
            hint:
              req.idempotent || response.status === 429
                ? waitSeconds === undefined
                  ? 'Wait a little and run the command again.'
                  : `Wait ${waitSeconds} s (the service's Retry-After) and run the command again; other processes using the same account share its rate limit.`
                : 'The write may or may not have been applied; run the command again: it checks before writing.',
            details: { url: this.safe(url), attempts: attempt + 1, body: this.safe(text).slice(0, 500) },
          },
        );
      }
      return { status: response.status, headers: response.headers, body: parsed, text };
    }
  }

  private url(req: HttpRequest): URL {
    const url = new URL(this.baseUrl + req.path);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  private backoff() {
    return { baseMs: 250, capMs: 8_000, random: this.options.random };
  }

  private wait(ms: number, signal?: AbortSignal) {
    this.trace(`   retrying in ${ms} ms`);
    return this.options.sleep(ms, signal);
  }

  private safe(text: string): string {
    return redactValues(text, this.options.secrets);
  }

  private trace(line: string): void {
    if (this.options.trace) this.options.trace(this.safe(line));
  }

  private traceRequest(req: HttpRequest, url: string, headers: Record<string, string>, attempt: number): void {
    if (!this.options.trace) return;
    const retry = attempt ? ` (retry ${attempt})` : '';
    this.trace(`-> ${req.method} ${url}${retry}`);
    this.trace(`   headers ${JSON.stringify(redactHeaders(headers))}`);
    if (req.json !== undefined) this.trace(`   body ${JSON.stringify(redactKeys(req.json))}`);
  }

  private traceResponse(req: HttpRequest, url: string, status: number, ms: number, parsed: unknown, text: string): void {
    if (!this.options.trace) return;
    this.trace(`<- ${status} ${req.method} ${url} (${ms} ms)`);
    // Redact before truncating, so that a secret cut in two at the limit cannot leak its first half.
    const shown = this.safe(parsed === undefined ? text : JSON.stringify(redactKeys(parsed)));
    this.trace(`   body ${shown.length > 2000 ? `${shown.slice(0, 2000)}… (${shown.length} chars)` : shown}`);
  }
}

function parseBody(text: string, contentType: string | null): unknown {
  if (!text) return undefined;
  if (contentType && !/json/i.test(contentType) && !/^\s*[[{]/.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeNetworkError(error: unknown, abortReason: unknown, timeoutMs: number): { message: string; timeout: boolean; notSent: boolean } {
  const err = error as { name?: string; message?: string; code?: string; cause?: { code?: string; message?: string } };
  if ((abortReason as { name?: string } | undefined)?.name === 'TimeoutError' || err?.name === 'TimeoutError')
    return { message: `no answer within ${timeoutMs} ms`, timeout: true, notSent: false };
  // undici puts the system error in `cause`; other fetch implementations (and interceptors) throw it directly.
  const code = err?.cause?.code ?? err?.code;
  const message = [err?.message, code ?? err?.cause?.message].filter(Boolean).join(': ') || String(error);
  return { message, timeout: false, notSent: code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' };
}

/** OpenSSL's certificate verification codes as Node reports them (besides its ERR_TLS_* and ERR_SSL_* codes). */
const CERTIFICATE_CODE = /^(?:CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|INVALID_CA|PATH_LENGTH_EXCEEDED|INVALID_PURPOSE|ERR_TLS_CERT)/;

/**
 * A failed TLS handshake, in one line: OpenSSL's reason ("wrong version number", "self-signed certificate") without
 * its error-queue prefix and source file; undefined for any other failure.
 */
function tlsFailure(error: unknown): { code: string; reason: string; hint: string } | undefined {
  const err = error as { code?: unknown; message?: unknown } | null;
  const code = typeof err?.code === 'string' ? err.code : '';
  const message = typeof err?.message === 'string' ? err.message : '';
  const certificate = CERTIFICATE_CODE.test(code);
  if (!certificate && !/^ERR_(?:SSL|TLS)_/.test(code) && !/SSL routines/.test(message)) return undefined;
  const firstLine = message.split('\n')[0]!.trim();
  let reason = firstLine;
  const routines = firstLine.split(':');
  const at = routines.indexOf('SSL routines');
  if (at >= 0) {
    // "…:SSL routines:<function>:<reason>:<source file>:<line>:"
    const after = routines.slice(at + 1);
    const file = after.findIndex((part) => part.includes('/'));
    reason = (file >= 0 ? after.slice(0, file) : after).filter(Boolean).at(-1)?.trim() ?? reason;
  }
  reason ||= code;
  if (certificate) {
    return {
      code,
      reason,
      hint: "The server's certificate is not trusted here. Check the URL; behind a proxy that inspects TLS, give its CA certificate with NODE_EXTRA_CA_CERTS=/path/to/ca.pem.",
    };
  }
  return {
    code,
    reason: /wrong version number|packet length too long|http request/i.test(reason) ? `${reason} (the server does not speak TLS: an http:// URL?)` : reason,
    hint: 'Check the URL: https:// for a TLS server, http:// for a plain one (the local sandbox is http://).',
  };
}
