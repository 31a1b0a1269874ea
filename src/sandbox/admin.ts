import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { AppError, InputError } from '../errors.js';
import { AprioraFailure } from './apriora/protocol.js';
import { type AprioraSeed, loadAprioraSeed } from './apriora/seed.js';
import type { AprioraState } from './apriora/state.js';
import { completedEvent, deliverWebhook } from './apriora/webhook.js';
import type { FaultController } from './faults.js';
import { readBody, sendJson } from './http-io.js';
import type { RequestLog } from './request-log.js';
import { jobFieldsSchema } from './tracker/model.js';
import { loadTrackerSeed, type TrackerSeed } from './tracker/seed-schema.js';
import type { TrackerState } from './tracker/state.js';

export const ADMIN_PREFIX = '/__sandbox/';

export interface AdminDeps {
  tracker: TrackerState;
  apriora: AprioraState;
  faults: FaultController;
  log: RequestLog;
  reset(seed?: TrackerSeed, aprioraSeed?: AprioraSeed): void;
  describe(): Record<string, unknown>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

async function readJson(request: IncomingMessage): Promise<unknown> {
  const text = await readBody(request);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`The request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const newJobSchema = jobFieldsSchema.omit({ id: true, createdAt: true, updatedAt: true }).strict();

/** Adds a job as a recruiter would in Tracker's UI (the Widget API has no operation for it in this project). */
function addJob(tracker: TrackerState, body: unknown): unknown {
  const parsed = newJobSchema.safeParse(body);
  if (!parsed.success) throw new InputError(`Invalid job:\n${z.prettifyError(parsed.error)}`, { details: parsed.error.issues });
  const input = parsed.data;
  const problems: string[] = [];
  if (input.clientId !== null && !tracker.client(input.clientId)) problems.push(`no client ${input.clientId}`);
  if (input.contactId !== null && !tracker.contact(input.contactId)) problems.push(`no contact ${input.contactId}`);
  if (!tracker.settings.opportunityStatuses.some((status) => status.Name === input.status)) {
    problems.push(`"${input.status}" is not an opportunity status`);
  }
  for (const owner of input.ownerUserIds) if (!tracker.user(owner)) problems.push(`no user ${owner}`);
  for (const value of input.customFields) {
    if (tracker.customField(value.id)?.Association !== 'Opportunity') problems.push(`custom field ${value.id} is not an Opportunity field`);
  }
  if (problems.length > 0) throw new InputError(`Invalid job: ${problems.join('; ')}`);
  return tracker.addJob(input);
}

const completeInterviewSchema = z.strictObject({
  positionId: z.string().min(1),
  email: z.string().min(1),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  /** 0–100; absent = drawn from the report's PRNG. */
  score: z.number().min(0).max(100).optional(),
  /** Unix seconds; absent = now. */
  at: z.number().int().nonnegative().optional(),
  /** The report's pdfUrl exactly as given (any string, or null); absent = generated. */
  pdfUrl: z.string().nullable().optional(),
  /** Also deliver the signed `session.completed` webhook, as Apriora would. */
  webhook: z.strictObject({ url: z.url(), secret: z.string().min(1) }).optional(),
});

/** A candidate completes an Apriora interview (what the web app would do); the report is generated. */
async function completeInterview(apriora: AprioraState, body: unknown): Promise<unknown> {
  const parsed = completeInterviewSchema.safeParse(body);
  if (!parsed.success) {
    throw new InputError(`Invalid interview completion:\n${z.prettifyError(parsed.error)}`, { details: parsed.error.issues });
  }
  const { positionId, email, firstName, lastName, score, at, pdfUrl, webhook } = parsed.data;
  const completed = apriora.completeInterview({
    positionId,
    email,
    ...(firstName === undefined ? {} : { firstName }),
    ...(lastName === undefined ? {} : { lastName }),
    ...(score === undefined ? {} : { score }),
    ...(at === undefined ? {} : { at }),
    ...(pdfUrl === undefined ? {} : { pdfUrl }),
  });
  if (!webhook) return completed;
  const payload = completedEvent(completed.candidate, completed.report);
  return { ...completed, delivery: await deliverWebhook(webhook.url, webhook.secret, payload, apriora.now()) };
}

const partOf = (body: unknown, key: string): unknown =>
  typeof body === 'object' && body !== null && key in body ? (body as Record<string, unknown>)[key] : undefined;

/**
 * Admin endpoints for tests and scripts run out of process. No authentication: they answer loopback clients only.
 *   GET  /__sandbox/health                 liveness, base URLs (url, trackerUrl, aprioraUrl), aprioraApiKey, apis
 *   GET  /__sandbox/state                  {"tracker": <database, seed format>, "apriora": <database, seed format;
 *                                          the integration shows hasCredentials, never the stored credentials>}
 *   GET  /__sandbox/requests?op=&api=&since=   {"requests": [...]} (credentials masked)
 *   GET  /__sandbox/faults                 current fault options and queued one-shot faults
 *   POST /__sandbox/faults                 FaultCommand: merge options, queue oneShot faults, clear
 *   POST /__sandbox/reset                  both databases back to their start seeds (or {"tracker": <seed>,
 *                                          "apriora": <seed>}, either optional), log emptied, faults as started
 *   POST /__sandbox/tracker/jobs           add a job (seed job fields, without id/timestamps)
 *   POST /__sandbox/apriora/complete       {positionId, email, firstName?, lastName?, score?, at?, pdfUrl?, webhook?: {url,
 *                                          secret}}: a candidate completes the interview → 201 {candidate, report,
 *                                          delivery?} (the signed session.completed POSTed to webhook.url); 404
 *                                          for an unknown position
 */
export async function serveAdmin(request: IncomingMessage, response: ServerResponse, url: URL, deps: AdminDeps): Promise<void> {
  if (!LOOPBACK.has(request.socket.remoteAddress ?? '')) {
    sendJson(response, 403, { error: { code: 'forbidden', message: 'Admin endpoints answer loopback clients only' } });
    return;
  }
  const route = `${request.method ?? 'GET'} ${url.pathname.replace(/\/+$/, '')}`;
  try {
    switch (route) {
      case 'GET /__sandbox/health':
        sendJson(response, 200, { ok: true, ...deps.describe() });
        return;
      case 'GET /__sandbox/state':
        sendJson(response, 200, { tracker: deps.tracker.snapshot(), apriora: deps.apriora.snapshot() });
        return;
      case 'GET /__sandbox/requests': {
        const op = url.searchParams.get('op');
        const api = url.searchParams.get('api');
        const since = Number(url.searchParams.get('since') ?? 0);
        const requests = deps.log.entries.filter((entry) => (op === null || entry.op === op) && (api === null || entry.api === api) && entry.seq > since);
        sendJson(response, 200, { requests });
        return;
      }
      case 'GET /__sandbox/faults':
        sendJson(response, 200, deps.faults.describe());
        return;
      case 'POST /__sandbox/faults':
        deps.faults.apply(await readJson(request));
        sendJson(response, 200, deps.faults.describe());
        return;
      case 'POST /__sandbox/reset': {
        const body = await readJson(request);
        const tracker = partOf(body, 'tracker');
        const apriora = partOf(body, 'apriora');
        deps.reset(
          tracker === undefined ? undefined : loadTrackerSeed(tracker, 'The reset seed'),
          apriora === undefined ? undefined : loadAprioraSeed(apriora, 'The Apriora reset seed'),
        );
        sendJson(response, 200, { ok: true });
        return;
      }
      case 'POST /__sandbox/tracker/jobs':
        sendJson(response, 201, { job: addJob(deps.tracker, await readJson(request)) });
        return;
      case 'POST /__sandbox/apriora/complete':
        sendJson(response, 201, await completeInterview(deps.apriora, await readJson(request)));
        return;
      default:
        sendJson(response, 404, { error: { code: 'not_found', message: `No admin endpoint ${route}` } });
    }
  } catch (error) {
    if (error instanceof AprioraFailure) {
      sendJson(response, error.status, error.toBody());
    } else if (error instanceof AppError) {
      sendJson(response, 400, { error: { code: error.code, message: error.message, details: error.details ?? null } });
    } else {
      sendJson(response, 500, { error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } });
    }
  }
}
