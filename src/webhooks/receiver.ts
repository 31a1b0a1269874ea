import type { IncomingHttpHeaders } from 'node:http';
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TOLERANCE_SECONDS } from '../apriora/partner.js';
import { WEBHOOK_EVENTS, type WebhookPayload, webhookPayload } from '../apriora/schemas.js';

/**
 * What a request to `apriora activity listen` is: a verified delivery, or a rejection with its status, decided from
 * its method, path, headers and raw body (pure functions; ./server.ts wires them to node:http); and whether a
 * verified delivery is a duplicate of one already received (`DuplicateFilter`).
 */

/** Apriora's payloads are a few hundred bytes; anything near this is not a webhook. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;
/** Report ids remembered as pushed, for de-duplication (oldest forgotten first). */
const MAX_REMEMBERED = 100_000;

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

/**
 * Duplicate detection by report id. A report is a duplicate while its delivery is being journaled (once that
 * succeeds), while it is journaled and not yet pushed (`active`), and once pushed (`finished`, the last 100,000).
 * A failed push is forgotten: Apriora's redelivery of it is pushed again.
 */
export class DuplicateFilter {
  /** Deliveries being journaled right now, by report id: resolves true once journaled (then active). */
  private readonly journaling = new Map<string, Promise<boolean>>();
  /** Report ids journaled and not yet done. */
  private readonly active = new Set<string>();
  /** Report ids pushed (not failed). */
  private readonly finished = new Set<string>();

  constructor(private readonly maxRemembered = MAX_REMEMBERED) {}

  /** Deliveries being journaled right now. */
  get journalingCount(): number {
    return this.journaling.size;
  }

  /** Waits for a delivery of the same report being journaled; then whether the report is already received. */
  async isDuplicate(reportId: string): Promise<boolean> {
    for (let inProgress = this.journaling.get(reportId); inProgress; inProgress = this.journaling.get(reportId)) {
      if (await inProgress) return true;
    }
    return this.active.has(reportId) || this.finished.has(reportId);
  }

  /**
   * Marks a delivery as being journaled; call the function returned with whether that worked. Journaled, the report
   * is active until `finish`.
   */
  journalingStarted(reportId: string): (journaled: boolean) => void {
    let settle!: (journaled: boolean) => void;
    this.journaling.set(
      reportId,
      new Promise<boolean>((resolve) => {
        settle = resolve;
      }),
    );
    return (journaled) => {
      if (journaled) this.active.add(reportId);
      this.journaling.delete(reportId);
      settle(journaled);
    };
  }

  /** Resolves once every delivery being journaled now has been (or failed to be). */
  async journalingSettled(): Promise<void> {
    await Promise.all([...this.journaling.values()]);
  }

  /** A delivery journaled by an earlier run, replayed now. */
  replaying(reportId: string): void {
    this.active.add(reportId);
  }

  /** Its push finished: a pushed report stays a duplicate, a failed one may be delivered again. */
  finish(reportId: string, pushed: boolean): void {
    this.active.delete(reportId);
    if (pushed) this.remember(reportId);
  }

  /** A report pushed (by this run or, from the journal, the run before). */
  remember(reportId: string): void {
    this.finished.delete(reportId);
    this.finished.add(reportId);
    if (this.finished.size > this.maxRemembered) this.finished.delete(this.finished.values().next().value as string);
  }
}
