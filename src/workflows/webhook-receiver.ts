import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TOLERANCE_SECONDS } from '../apriora/partner.js';
import { WEBHOOK_EVENTS, type WebhookPayload, webhookPayload } from '../apriora/schemas.js';

/**
 * The HTTP edge of `apriora activity listen`: decides what a request is (a verified delivery, or a rejection with
 * its status) from its method, path, headers and raw body. The checks are pure functions; `createWebhookHandler`
 * wires them to node:http and hands verified `session.completed` deliveries to a sink (journal + queue).
 * A rejected request never reaches the sink, so it writes nothing.
 */

/** Apriora's payloads are a few hundred bytes; anything near this is not a webhook. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;
/** After a 413, bytes still arriving are discarded (never buffered) up to this many, then the socket is cut. */
const DISCARD_AFTER_413_BYTES = 4 * 1024 * 1024;

export interface ReceiverConfig {
  /** URL path of the webhook, e.g. `/webhooks/apriora`. */
  path: string;
  /** The shared signing secret; null only with --insecure-no-verify. */
  secret: string | null;
  maxBodyBytes?: number;
  toleranceSeconds?: number;
  /** Unix seconds (tests). */
  now?: () => number;
}

export type RejectReason =
  | 'not_found'
  | 'method_not_allowed'
  | 'payload_too_large'
  | 'missing'
  | 'malformed'
  | 'stale'
  | 'mismatch'
  | 'invalid_json'
  | 'invalid_payload';

export interface Rejection {
  kind: 'rejected';
  status: 400 | 401 | 404 | 405 | 413;
  reason: RejectReason;
  message: string;
  headers?: Record<string, string>;
}

export interface VerifiedEvent {
  kind: 'event';
  /** One of Apriora's events, or a newer one this version does not know (acknowledged and ignored). */
  event: WebhookPayload['event'] | (string & {});
  /** Set for every `session.completed`; may be null for earlier events. */
  reportId: string | null;
  /** Undefined for an event this version does not know. */
  payload: WebhookPayload | undefined;
}

export type Verdict = Rejection | VerifiedEvent;

const reject = (status: Rejection['status'], reason: RejectReason, message: string, headers?: Record<string, string>): Rejection =>
  headers ? { kind: 'rejected', status, reason, message, headers } : { kind: 'rejected', status, reason, message };

/** Before reading the body: the path (404) and the method (405). */
export function checkRoute(method: string | undefined, url: string | undefined, path: string): Rejection | undefined {
  let pathname: string;
  try {
    pathname = new URL(url ?? '/', 'http://listener.invalid').pathname;
  } catch {
    return reject(404, 'not_found', 'Not found');
  }
  if (pathname !== path && pathname !== `${path}/`) return reject(404, 'not_found', `Not found: the webhook path is ${path}`);
  if (method !== 'POST') return reject(405, 'method_not_allowed', 'Only POST is accepted', { Allow: 'POST' });
  return undefined;
}

/** A body whose declared length is already over the limit is refused without reading any of it. */
export function checkDeclaredLength(headers: IncomingHttpHeaders, maxBytes = MAX_WEBHOOK_BODY_BYTES): Rejection | undefined {
  const declared = headers['content-length'];
  if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > maxBytes) return tooLarge(maxBytes);
  return undefined;
}

export function tooLarge(maxBytes = MAX_WEBHOOK_BODY_BYTES): Rejection {
  return reject(413, 'payload_too_large', `The body is larger than ${maxBytes} bytes`);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * After reading the body: the signature over the raw bytes (401, checked before anything is parsed), then the JSON
 * (400) and its shape (400).
 */
export function inspectDelivery(headers: IncomingHttpHeaders, rawBody: Buffer, config: ReceiverConfig): Verdict {
  const maxBytes = config.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES;
  if (rawBody.length > maxBytes) return tooLarge(maxBytes);
  if (config.secret !== null) {
    const tolerance = config.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
    const check = verifyWebhookSignature({
      header: headerValue(headers, WEBHOOK_SIGNATURE_HEADER),
      rawBody,
      secret: config.secret,
      toleranceSeconds: tolerance,
      ...(config.now ? { nowSeconds: config.now() } : {}),
    });
    if (!check.ok) {
      const messages = {
        missing: 'The Apriora-Signature header is missing',
        malformed: 'The Apriora-Signature header is malformed (expected t=<unix seconds>,v1=<hex>)',
        stale: `The signature timestamp is more than ${tolerance} s away from now`,
        mismatch: 'The signature does not match the body',
      } as const;
      return reject(401, check.reason, messages[check.reason]);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
  } catch {
    return reject(400, 'invalid_json', 'The body is not JSON');
  }
  const event = (json as { event?: unknown } | null)?.event;
  if (typeof event === 'string' && !(WEBHOOK_EVENTS as readonly string[]).includes(event)) {
    // Signed by Apriora, but an event newer than this version: acknowledge it so that Apriora does not retry.
    return { kind: 'event', event, reportId: null, payload: undefined };
  }
  const parsed = webhookPayload.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first?.path.length ? `${first.path.join('.')}: ` : '';
    return reject(400, 'invalid_payload', `The body is not an Apriora webhook (${where}${first?.message ?? 'invalid'})`);
  }
  return { kind: 'event', event: parsed.data.event, reportId: parsed.data.data.reportId, payload: parsed.data };
}

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

// ---------------------------------------------------------------------------------------------------------------
// node:http wiring

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
          { Connection: 'close', 'Retry-After': '30' },
        );
        request.resume();
        return log({ event: null, reportId: null, status: 'unavailable', http: 503, detail: 'shutting down' });
      }
      const declared = checkDeclaredLength(request.headers, maxBytes);
      if (declared) return rejected(request, response, declared, true);
      const read = await readBody(request, maxBytes);
      if (read.kind === 'aborted') return;
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
            { Connection: 'close', 'Retry-After': '30' },
          );
          return log({ ...base, status: 'unavailable', http: 503, detail: 'shutting down' });
        case 'error':
          send(response, 503, { ok: false, error: { code: 'journal_error', message: 'The delivery could not be recorded' } }, { 'Retry-After': '30' });
          return log({ ...base, status: 'error', http: 503, detail: outcome.message });
      }
    })().catch((error: unknown) => {
      send(response, 500, { ok: false, error: { code: 'internal_error', message: 'Internal error' } });
      log({ event: null, reportId: null, status: 'error', http: 500, detail: error instanceof Error ? error.message : String(error) });
    });
  };
}
