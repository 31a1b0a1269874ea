import type { IncomingHttpHeaders } from 'node:http';

/** One request to an emulated API, as `requests` and `GET /__sandbox/requests` show it. Secrets are masked. */
export interface RecordedRequest {
  seq: number;
  /** ISO time the request arrived. */
  time: string;
  /** Which emulated API ("tracker", "apriora"). */
  api: string;
  method: string;
  path: string;
  /** The query string's parameters (first value of each), secret-looking ones masked; absent without a query. */
  query?: Record<string, string>;
  /** The operation, e.g. "getRecords" (Tracker) or "POST /positions" (Apriora). */
  op: string;
  headers: Record<string, string>;
  /** Parsed JSON body with credentials replaced by "***" (the raw text when it is not JSON). */
  body: unknown;
  /** HTTP status sent; null when the connection was reset instead. */
  httpStatus: number | null;
  /** The in-body status of the API's answer (Tracker's `status`); null when the request never reached the handler. */
  appStatus: number | null;
  /** The injected fault, if any. */
  fault: string | null;
  durationMs: number;
  /** A sandbox bug met while handling the request. */
  error?: string;
}

const MASK = '***';
const SECRET_KEYS = /^(password|apikey|api_key|oauthtoken|token|bearertoken|secret)$/i;

/** Masks every value under a `credentials` object and every secret-looking key, anywhere in the body. */
export function redactSecrets(value: unknown, underCredentials = false): unknown {
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, underCredentials));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => {
        const secret = underCredentials || SECRET_KEYS.test(key);
        if (secret && (typeof entry === 'string' || typeof entry === 'number')) return [key, entry === '' ? '' : MASK];
        return [key, redactSecrets(entry, secret || key.toLowerCase() === 'credentials')];
      }),
    );
  }
  return underCredentials && (typeof value === 'string' || typeof value === 'number') ? MASK : value;
}

export function redactHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (name === 'authorization') {
      const scheme = text.split(' ')[0] ?? '';
      result[name] = text.includes(' ') ? `${scheme} ${MASK}` : MASK;
    } else if (name === 'x-api-key' || name === 'cookie') {
      result[name] = MASK;
    } else {
      result[name] = text;
    }
  }
  return result;
}

/** Keeps the newest entries only, so that a long-running sandbox does not grow without bound. */
export const MAX_RECORDED_REQUESTS = 10_000;

export class RequestLog {
  private seq = 0;
  /** Every request ever answered, by "<api> <op> <HTTP status>": unlike `entries`, never trimmed. */
  readonly totals = new Map<string, number>();
  private readonly listeners = new Set<(entry: RecordedRequest) => void>();
  constructor(readonly entries: RecordedRequest[] = []) {}

  /** Calls `listener` with each request as it is logged; returns the unsubscribe function. */
  subscribe(listener: (entry: RecordedRequest) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  add(entry: Omit<RecordedRequest, 'seq'>): RecordedRequest {
    this.seq += 1;
    const recorded = { seq: this.seq, ...entry };
    this.entries.push(recorded);
    const key = `${entry.api} ${entry.op} ${entry.httpStatus ?? 'reset'}`;
    this.totals.set(key, (this.totals.get(key) ?? 0) + 1);
    if (this.entries.length > MAX_RECORDED_REQUESTS) this.entries.splice(0, this.entries.length - MAX_RECORDED_REQUESTS);
    for (const listener of this.listeners) listener(recorded);
    return recorded;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
