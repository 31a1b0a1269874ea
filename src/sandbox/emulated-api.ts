import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultController } from './faults.js';
import { readBody, sendText, sleep, tryParseJson, BodyTooLargeError } from './http-io.js';
import { redactHeaders, redactSecrets, type RequestLog } from './request-log.js';

export interface EmulatedRequest {
  method: string;
  path: string;
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
 * One emulated API mounted under a path prefix (Tracker's `/api/widget/`; Apriora's `/apriora/v1/api/` can join the
 * same way). It maps a request to an answer; faults, latency and the request log are added around it by serveEmulated.
 */
export interface EmulatedApi {
  readonly name: string;
  readonly prefix: string;
  resolve(request: { method: string; path: string }): Resolution;
  handle(op: string, request: EmulatedRequest): EmulatedResponse;
}

export interface PipelineDeps {
  faults: FaultController;
  log: RequestLog;
}

const html = (status: number, title: string): string =>
  `<!DOCTYPE html><html><head><title>${status} ${title}</title></head><body><h1>${title}</h1>` +
  `<p>The server encountered a temporary error and could not complete your request.</p></body></html>`;

const HTML = 'text/html; charset=utf-8';

export async function serveEmulated(
  api: EmulatedApi,
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  { faults, log }: PipelineDeps,
): Promise<void> {
  const started = Date.now();
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
  const send = (answer: EmulatedResponse): void =>
    sendText(response, answer.status, answer.body, answer.contentType, answer.headers ?? {});
  const reset = (): void => {
    request.socket.destroy();
  };

  if (tooLarge) {
    sendText(response, 413, html(413, 'Request Entity Too Large'), HTML);
    record(413, null);
    return;
  }
  if ('reject' in resolution) {
    send(resolution.reject);
    record(resolution.reject.status, null, resolution.reject);
    return;
  }

  const decision = faults.decide({ api: api.name, op: resolution.op, isWrite: resolution.isWrite });
  if (decision.delayMs > 0) await sleep(decision.delayMs);
  const { fault } = decision;
  const handle = (): EmulatedResponse => api.handle(resolution.op, { method, path, body });

  switch (fault?.kind) {
    case undefined: {
      const answer = handle();
      send(answer);
      record(answer.status, null, answer);
      return;
    }
    case 'rate-limit':
    case '429': {
      const retryAfter = String(fault.retryAfterSeconds);
      sendText(response, 429, 'Too Many Requests', 'text/plain; charset=utf-8', { 'Retry-After': retryAfter });
      record(429, fault.kind);
      return;
    }
    case '5xx':
      sendText(response, 503, html(503, 'Service Unavailable'), HTML);
      record(503, fault.kind);
      return;
    case 'reset':
      reset();
      record(null, fault.kind);
      return;
    case 'after-commit': {
      const answer = handle();
      if (fault.mode === '502') {
        sendText(response, 502, html(502, 'Bad Gateway'), HTML);
        record(502, fault.kind, answer);
      } else {
        reset();
        record(null, fault.kind, answer);
      }
      return;
    }
  }
}
