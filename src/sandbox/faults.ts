import { z } from 'zod';
import { InputError } from '../errors.js';
import { createRandom, pick, type Random } from './prng.js';

/**
 * Fault injection for the emulated APIs, decided before a request is handled:
 * - `5xx`: HTTP 503: for Tracker an HTML body (a proxy or IIS error page, not a Widget answer); for Apriora its JSON
 *   error body (`service_unavailable`);
 * - `429`: HTTP 429 with `Retry-After` (Apriora: JSON error `rate_limited`);
 * - `reset`: the socket is destroyed without an answer;
 * - `after-commit`: write operations only: the write happens, then the answer is a 502 or a reset, so the client
 *   believes it failed (the case that read-back-before-retry exists for).
 */
export const FAULT_KINDS = ['5xx', '429', 'reset', 'after-commit'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type AfterCommitMode = '502' | 'reset';

export const faultOptionsSchema = z.strictObject({
  /** Fixed delay before every emulated-API answer. */
  latencyMs: z.number().min(0).optional(),
  /** Extra random delay, 0..latencyJitterMs, added to latencyMs. */
  latencyJitterMs: z.number().min(0).optional(),
  /** Probability (0..1) that a request gets a random fault of one of `kinds`. */
  failRate: z.number().min(0).max(1).optional(),
  /** Kinds a random fault is chosen from (default: all). */
  kinds: z.array(z.enum(FAULT_KINDS)).min(1).optional(),
  /** PRNG seed: with it, the random faults and jitter of a run are reproducible. */
  seed: z.number().int().optional(),
  /** Server-side limit over a sliding 60 s window; 0 or absent = off. Over it: 429 with Retry-After. */
  rateLimitPerMinute: z.number().int().min(0).optional(),
  /**
   * Only requests to this emulated API count towards the rate limit; absent = every API. "tracker" counts the Widget
   * and the REST API together (one database's budget); "tracker-rest" the REST API alone.
   */
  rateLimitApi: z.string().min(1).optional(),
  /** Retry-After of the injected `429` kind (default 1). */
  retryAfterSeconds: z.number().int().min(0).optional(),
});
export type FaultOptions = z.input<typeof faultOptionsSchema>;

export const oneShotFaultSchema = z.strictObject({
  kind: z.enum(FAULT_KINDS),
  /**
   * Only a request for this operation takes the fault; absent = the next request. Tracker ops are Widget names
   * ("createActivity"); Tracker REST and Apriora ops are `<METHOD> <path template>` ("POST
   * /api/v1/OpportunityResource/Search", "POST /positions", "GET /positions/{positionId}").
   */
  op: z.string().min(1).optional(),
  /** Only a request to this emulated API ("tracker", "tracker-rest", "apriora"); absent = any. */
  api: z.string().min(1).optional(),
  /** For after-commit: answer 502 (default) or reset the socket. */
  mode: z.enum(['502', 'reset']).optional(),
});
export type OneShotFault = z.input<typeof oneShotFaultSchema>;

/** The JSON body of `POST /__sandbox/faults`: options to merge, one-shot faults to queue, `clear` to start over. */
export const faultCommandSchema = faultOptionsSchema.extend({
  clear: z.boolean().optional(),
  oneShot: z.array(oneShotFaultSchema).optional(),
});
export type FaultCommand = z.input<typeof faultCommandSchema>;

export interface ResolvedFaultOptions {
  latencyMs: number;
  latencyJitterMs: number;
  failRate: number;
  kinds: FaultKind[];
  seed: number | null;
  rateLimitPerMinute: number;
  rateLimitApi: string | null;
  retryAfterSeconds: number;
}

export interface FaultTarget {
  api: string;
  /** The rate-limit budget the API shares (its EmulatedApi's rateLimitGroup), e.g. "tracker" for "tracker-rest". */
  group?: string;
  op: string;
  isWrite: boolean;
}

export type InjectedFault =
  | { kind: '5xx' }
  | { kind: '429'; retryAfterSeconds: number }
  | { kind: 'reset' }
  | { kind: 'after-commit'; mode: AfterCommitMode }
  | { kind: 'rate-limit'; retryAfterSeconds: number };

export interface FaultDecision {
  delayMs: number;
  fault: InjectedFault | null;
}

const DEFAULTS: ResolvedFaultOptions = {
  latencyMs: 0,
  latencyJitterMs: 0,
  failRate: 0,
  // What `sandbox start` uses without --faults: after-commit (a write whose answer is lost) only when asked for.
  kinds: ['5xx', '429', 'reset'],
  seed: null,
  rateLimitPerMinute: 0,
  rateLimitApi: null,
  retryAfterSeconds: 1,
};
const WINDOW_MS = 60_000;

function validated<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(`Invalid ${what}:\n${z.prettifyError(result.error)}`, { code: 'invalid_faults', details: result.error.issues });
  }
  return result.data;
}

/** Holds the fault settings of a running sandbox; tests and the admin endpoint change them at run time. */
export class FaultController {
  private options: ResolvedFaultOptions = { ...DEFAULTS };
  private queue: z.output<typeof oneShotFaultSchema>[] = [];
  private admitted: number[] = [];
  private random: Random = createRandom(0);
  private readonly initial: FaultOptions;

  constructor(
    initial: FaultOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.initial = validated(faultOptionsSchema, initial, 'fault options');
    this.reset();
  }

  /** Back to the options the sandbox started with; the queue and the rate-limit window are emptied. */
  reset(): void {
    this.clear();
    this.configure(this.initial);
  }

  /** No faults at all. */
  clear(): void {
    this.options = { ...DEFAULTS, kinds: [...DEFAULTS.kinds] };
    this.queue = [];
    this.admitted = [];
    this.reseed(null);
  }

  /** Merges options into the current ones. */
  configure(patch: FaultOptions): void {
    const options = validated(faultOptionsSchema, patch, 'fault options');
    const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
    this.options = { ...this.options, ...defined };
    if (options.seed !== undefined) this.reseed(options.seed);
  }

  /** Queues faults that each apply once, to the next matching request, before any random fault. */
  push(...faults: OneShotFault[]): void {
    for (const fault of faults) this.queue.push(validated(oneShotFaultSchema, fault, 'one-shot fault'));
  }

  /** Applies an admin command (`POST /__sandbox/faults`). */
  apply(command: unknown): void {
    const { clear, oneShot, ...options } = validated(faultCommandSchema, command, 'fault command');
    if (clear) this.clear();
    this.configure(options);
    if (oneShot) this.push(...oneShot);
  }

  describe(): { options: ResolvedFaultOptions; queue: OneShotFault[] } {
    return { options: { ...this.options, kinds: [...this.options.kinds] }, queue: this.queue.map((fault) => ({ ...fault })) };
  }

  decide(target: FaultTarget): FaultDecision {
    const { latencyMs, latencyJitterMs } = this.options;
    const delayMs = Math.round(latencyMs + (latencyJitterMs > 0 ? this.random() * latencyJitterMs : 0));
    return { delayMs, fault: this.rateLimited(target) ?? this.takeQueued(target) ?? this.randomFault(target) };
  }

  private reseed(seed: number | null): void {
    this.options.seed = seed;
    this.random = createRandom(seed ?? Math.floor(Math.random() * 2 ** 32));
  }

  private rateLimited(target: FaultTarget): InjectedFault | null {
    const limit = this.options.rateLimitPerMinute;
    if (limit <= 0) return null;
    const only = this.options.rateLimitApi;
    if (only !== null && only !== target.api && only !== target.group) return null;
    const now = this.now();
    this.admitted = this.admitted.filter((time) => time > now - WINDOW_MS);
    const oldest = this.admitted[0];
    if (this.admitted.length >= limit && oldest !== undefined) {
      return { kind: 'rate-limit', retryAfterSeconds: Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)) };
    }
    this.admitted.push(now);
    return null;
  }

  private takeQueued(target: FaultTarget): InjectedFault | null {
    const index = this.queue.findIndex(
      (fault) =>
        (fault.op === undefined || fault.op === target.op) &&
        (fault.api === undefined || fault.api === target.api) &&
        (fault.kind !== 'after-commit' || target.isWrite),
    );
    if (index < 0) return null;
    const [fault] = this.queue.splice(index, 1);
    return fault ? this.materialize(fault.kind, fault.mode ?? '502') : null;
  }

  private randomFault(target: FaultTarget): InjectedFault | null {
    if (this.options.failRate <= 0 || this.random() >= this.options.failRate) return null;
    const eligible = this.options.kinds.filter((kind) => kind !== 'after-commit' || target.isWrite);
    if (eligible.length === 0) return null;
    const kind = pick(this.random, eligible);
    return this.materialize(kind, this.random() < 0.5 ? '502' : 'reset');
  }

  private materialize(kind: FaultKind, mode: AfterCommitMode): InjectedFault {
    switch (kind) {
      case '5xx':
        return { kind };
      case '429':
        return { kind, retryAfterSeconds: this.options.retryAfterSeconds };
      case 'reset':
        return { kind };
      case 'after-commit':
        return { kind, mode };
    }
  }
}
