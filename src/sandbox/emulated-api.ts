import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { FaultController } from './faults.js';
import { BodyTooLargeError, readBody, sendText, sleep, tryParseJson } from './http-io.js';
import { type RequestLog, redactHeaders, redactSecrets } from './request-log.js';

export interface EmulatedRequest {
  method: string;
  path: string;
  /** The query string's parameters (Apriora's list filters; Tracker has none). */
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface EmulatedResponse {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
  /** The in-body status of the answer, when the API has one (Tracker's `status`). */
  appStatus?: number | null;
  /** A sandbox bug met while answering, kept in the request log. */
  error?: string;
}

export type Resolution = { op: string; isWrite: boolean } | { reject: EmulatedResponse; op: string };

/**
 * One emulated API mounted under a path prefix (Tracker's `/api/widget/`, Apriora's `/apriora/v1/api`). It maps a
 * request to an answer; faults, latency and the request log are added around it by serveEmulated.
 */
export interface EmulatedApi {
  readonly name: string;
  readonly prefix: string;
  /**
   * The rate-limit budget this API shares with another (`rateLimitApi` naming either counts both): Tracker's REST
   * API ("tracker-rest") counts with its Widget API ("tracker"), as one database's budget. Absent = its own name.
   */
  readonly rateLimitGroup?: string;
  resolve(request: { method: string; path: string }): Resolution;
  handle(op: string, request: EmulatedRequest): EmulatedResponse;
  /**
   * The answer to an oversized body (413) or an injected fault (429 with Retry-After, 502, 503), in the API's own
   * error format. Absent: the proxy-style answers (HTML error pages, a plain-text 429), as for Tracker.
   */
  transportError?(status: TransportErrorStatus, retryAfterSeconds?: number): EmulatedResponse;
}

export type TransportErrorStatus = 413 | 429 | 502 | 503;

export interface PipelineDeps {
  faults: FaultController;
  log: RequestLog;
}

const html = (status: number, title: string): string =>
  `<!DOCTYPE html><html><head><title>${status} ${title}</title></head><body><h1>${title}</h1>` +
  `<p>The server encountered a temporary error and could not complete your request.</p></body></html>`;

const HTML = 'text/html; charset=utf-8';

function firstValues(query: URLSearchParams): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of query) if (!Object.hasOwn(values, name)) values[name] = value;
  return values;
}

function defaultTransportError(status: TransportErrorStatus, retryAfterSeconds = 1): EmulatedResponse {
  switch (status) {
    case 413:
      return { status, contentType: HTML, body: html(413, 'Request Entity Too Large') };
    case 429:
      return { status, contentType: 'text/plain; charset=utf-8', body: 'Too Many Requests', headers: { 'Retry-After': String(retryAfterSeconds) } };
    case 502:
      return { status, contentType: HTML, body: html(502, 'Bad Gateway') };
    case 503:
      return { status, contentType: HTML, body: html(503, 'Service Unavailable') };
  }
}

export async function serveEmulated(
  api: EmulatedApi,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  { faults, log }: PipelineDeps,
): Promise<void> {
  const started = Date.now();
  const path = url.pathname;
  const method = request.method ?? 'GET';
  let body = '';
  let tooLarge = false;
  try {
    body = await readBody(request);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    tooLarge = true;
  }

  const resolution = api.resolve({ method, path });
  const record = (httpStatus: number | null, fault: string | null, answer?: EmulatedResponse): void => {
    log.add({
      time: new Date(started).toISOString(),
      api: api.name,
      method,
      path,
      ...(url.search === '' ? {} : { query: redactSecrets(firstValues(url.searchParams)) as Record<string, string> }),
      op: resolution.op,
      headers: redactHeaders(request.headers),
      body: tooLarge ? '(body too large)' : redactSecrets(tryParseJson(body)),
      httpStatus,
      appStatus: answer?.appStatus ?? null,
      fault,
      durationMs: Date.now() - started,
      ...(answer?.error === undefined ? {} : { error: answer.error }),
    });
  };
  const send = (answer: EmulatedResponse): void => sendText(response, answer.status, answer.body, answer.contentType, answer.headers ?? {});
  const transportError = (status: TransportErrorStatus, retryAfterSeconds?: number): EmulatedResponse =>
    api.transportError?.(status, retryAfterSeconds) ?? defaultTransportError(status, retryAfterSeconds);
  const reset = (): void => {
    request.socket.destroy();
  };

  if (tooLarge) {
    send(transportError(413));
    record(413, null);
    return;
  }
  if ('reject' in resolution) {
    send(resolution.reject);
    record(resolution.reject.status, null, resolution.reject);
    return;
  }

  const decision = faults.decide({
    api: api.name,
    op: resolution.op,
    isWrite: resolution.isWrite,
    ...(api.rateLimitGroup === undefined ? {} : { group: api.rateLimitGroup }),
  });
  if (decision.delayMs > 0) await sleep(decision.delayMs);
  const { fault } = decision;
  const handle = (): EmulatedResponse => api.handle(resolution.op, { method, path, query: url.searchParams, headers: request.headers, body });

  switch (fault?.kind) {
    case undefined: {
      const answer = handle();
      send(answer);
      record(answer.status, null, answer);
      return;
    }
    case 'rate-limit':
    case '429': {
      send(transportError(429, fault.retryAfterSeconds));
      record(429, fault.kind);
      return;
    }
    case '5xx':
      send(transportError(503));
      record(503, fault.kind);
      return;
    case 'reset':
      reset();
      record(null, fault.kind);
      return;
    case 'after-commit': {
      const answer = handle();
      if (fault.mode === '502') {
        send(transportError(502));
        record(502, fault.kind, answer);
      } else {
        reset();
        record(null, fault.kind, answer);
      }
      return;
    }
  }
}
