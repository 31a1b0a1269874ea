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
import type { TrackerSeedOptions } from './tracker/seed.js';
import { loadTrackerSeed, type TrackerSeed } from './tracker/seed-schema.js';
import { TrackerAdminFailure, type TrackerState } from './tracker/state.js';

export const ADMIN_PREFIX = '/__sandbox/';

export interface AdminDeps {
  tracker: TrackerState;
  apriora: AprioraState;
  faults: FaultController;
  log: RequestLog;
  reset(seed?: TrackerSeed, aprioraSeed?: AprioraSeed): void;
  /** generateTrackerSeed with the sandbox's API user. */
  generate(options: TrackerSeedOptions): TrackerSeed;
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

const generateSchema = z.strictObject({
  jobs: z.number().int().min(0).optional(),
  candidates: z.number().int().min(0).optional(),
  seed: z.number().int().optional(),
  extraApplicants: z.number().int().min(0).max(200_000).optional(),
  jobApplicants: z.record(z.string().regex(/^\d+$/, 'expected a job id'), z.number().int().min(0).max(100_000)).optional(),
});

function generated(deps: AdminDeps, body: unknown): TrackerSeed {
  const parsed = generateSchema.safeParse(body);
  if (!parsed.success) throw new InputError(`Invalid generate options:\n${z.prettifyError(parsed.error)}`, { details: parsed.error.issues });
  const options = Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined)) as TrackerSeedOptions;
  try {
    return deps.generate(options);
  } catch (error) {
    if (error instanceof RangeError) throw new InputError(error.message);
    throw error;
  }
}

const newApplicationSchema = z.strictObject({
  jobId: z.number().int().positive(),
  email: z.string().trim().optional(),
  firstName: z.string().trim().min(1).optional(),
  lastName: z.string().trim().min(1).optional(),
  phone: z.string().optional(),
  status: z.string().trim().min(1).optional(),
  source: z.string().optional(),
  active: z.boolean().optional(),
});

const applicationChangeSchema = z
  .strictObject({ status: z.string().trim().min(1).optional(), active: z.boolean().optional() })
  .refine((change) => change.status !== undefined || change.active !== undefined, 'give status, active or both');

/** A recruiter moves an application along the pipeline, or withdraws it: its row as REST v1 now shows it. */
function updateApplication(tracker: TrackerState, id: number, body: unknown): unknown {
  const parsed = applicationChangeSchema.safeParse(body);
  if (!parsed.success) throw new InputError(`Invalid application change:\n${z.prettifyError(parsed.error)}`, { details: parsed.error.issues });
  const { status, active } = parsed.data;
  const application = tracker.updateApplication(id, { ...(status === undefined ? {} : { status }), ...(active === undefined ? {} : { active }) });
  const [row] = tracker.applicantRows(application.opportunityId).filter((each) => each.opportunityResourceId === id);
  return { application: row };
}

/** A candidate applies to a job (what the customer's careers site would do): the candidate is made when needed. */
function addApplication(tracker: TrackerState, body: unknown): unknown {
  const parsed = newApplicationSchema.safeParse(body);
  if (!parsed.success) throw new InputError(`Invalid application:\n${z.prettifyError(parsed.error)}`, { details: parsed.error.issues });
  const input = Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined)) as z.output<typeof newApplicationSchema>;
  if (input.email !== undefined && input.email !== '' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email)) {
    throw new InputError(`"${input.email}" is not an e-mail address`);
  }
  const { application, candidate, candidateCreated } = tracker.addApplicant({ ...input, jobId: input.jobId });
  const [row] = tracker.applicantRows(application.opportunityId).filter((each) => each.opportunityResourceId === application.id);
  return {
    application: row,
    candidate: {
      candidateId: candidate.id,
      name: candidate.fullname,
      email: candidate.email,
      cellphone: candidate.cellphone,
      workphone: candidate.workphone,
      homephone: candidate.homephone,
      created: candidateCreated,
    },
  };
}

const restSettingsSchema = z.strictObject({
  /** Lifetime of the JWTs exchanged from now on. */
  ttlSeconds: z
    .number()
    .positive()
    .max(10 * 365 * 24 * 3600)
    .optional(),
  /** The live JWT expires now. */
  expire: z.boolean().optional(),
});

function configureRest(tracker: TrackerState, body: unknown): unknown {
  const parsed = restSettingsSchema.safeParse(body);
  if (!parsed.success) throw new InputError(`Invalid REST settings:\n${z.prettifyError(parsed.error)}`, { details: parsed.error.issues });
  if (parsed.data.ttlSeconds !== undefined) tracker.restAuth.ttlSeconds = parsed.data.ttlSeconds;
  if (parsed.data.expire) tracker.restAuth.expireLive();
  return tracker.restAuth.describe();
}

const partOf = (body: unknown, key: string): unknown =>
  typeof body === 'object' && body !== null && key in body ? (body as Record<string, unknown>)[key] : undefined;

/**
 * Admin endpoints for tests and scripts run out of process. No authentication: they answer loopback clients only.
 *   GET  /__sandbox/health                 liveness, base URLs (url, trackerUrl, trackerRestUrl, aprioraUrl),
 *                                          aprioraApiKey, restToken, apis
 *   GET  /__sandbox/state                  {"tracker": <database, seed format>, "apriora": <database, seed format;
 *                                          the integration shows hasCredentials, never the stored credentials>,
 *                                          "trackerRest": {exchanges, ttlSeconds, liveExpiresAt}}
 *   GET  /__sandbox/requests?op=&api=&since=   {"requests": [...]} (credentials masked)
 *   GET  /__sandbox/faults                 current fault options and queued one-shot faults
 *   POST /__sandbox/faults                 FaultCommand: merge options, queue oneShot faults, clear
 *   POST /__sandbox/reset                  both databases back to their start seeds (or {"tracker": <seed>,
 *                                          "apriora": <seed>}, either optional; or {"generate": {jobs?,
 *                                          candidates?, seed?, extraApplicants?, jobApplicants?}} for a generated
 *                                          Tracker database), log emptied, faults as started, REST JWTs forgotten
 *   POST /__sandbox/tracker/jobs           add a job (seed job fields, without id/timestamps)
 *   DELETE /__sandbox/tracker/custom-fields/<id>   Tracker Support deletes a custom field → 200 {removed: <field>};
 *                                          404 unknown field
 *   GET  /__sandbox/tracker/rest           {exchanges, ttlSeconds, liveExpiresAt}: REST v1's token exchanges
 *   POST /__sandbox/tracker/rest           {ttlSeconds?, expire?}: JWT lifetime from now on; expire the live JWT
 *   GET  /__sandbox/applications?jobId=    {"applications": [OpportunityResource rows, ascending id]}
 *   POST /__sandbox/applications           {jobId, email?, firstName?, lastName?, phone?, status?, source?,
 *                                          active?}: a candidate applies → 201 {application: <row>, candidate};
 *                                          404 unknown job, 409 already_applied (with applicationId)
 *   PATCH /__sandbox/applications/<id>     {status?, active?}: a recruiter moves the application to another pipeline
 *                                          status or withdraws it (lastUpdated stamped) → 200 {application: <row>};
 *                                          404 unknown application, 400 invalid_status
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
    const applicationPatch = /^PATCH \/__sandbox\/applications\/(\d+)$/.exec(route);
    if (applicationPatch) {
      sendJson(response, 200, updateApplication(deps.tracker, Number(applicationPatch[1]), await readJson(request)));
      return;
    }
    const fieldDelete = /^DELETE \/__sandbox\/tracker\/custom-fields\/(\d+)$/.exec(route);
    if (fieldDelete) {
      sendJson(response, 200, { removed: deps.tracker.removeCustomField(Number(fieldDelete[1])) });
      return;
    }
    switch (route) {
      case 'GET /__sandbox/health':
        sendJson(response, 200, { ok: true, ...deps.describe() });
        return;
      case 'GET /__sandbox/state':
        sendJson(response, 200, { tracker: deps.tracker.snapshot(), apriora: deps.apriora.snapshot(), trackerRest: deps.tracker.restAuth.describe() });
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
        const generate = partOf(body, 'generate');
        if (tracker !== undefined && generate !== undefined) throw new InputError('Give "tracker" or "generate", not both');
        deps.reset(
          generate !== undefined ? generated(deps, generate) : tracker === undefined ? undefined : loadTrackerSeed(tracker, 'The reset seed'),
          apriora === undefined ? undefined : loadAprioraSeed(apriora, 'The Apriora reset seed'),
        );
        sendJson(response, 200, { ok: true });
        return;
      }
      case 'POST /__sandbox/tracker/jobs':
        sendJson(response, 201, { job: addJob(deps.tracker, await readJson(request)) });
        return;
      case 'GET /__sandbox/tracker/rest':
        sendJson(response, 200, deps.tracker.restAuth.describe());
        return;
      case 'POST /__sandbox/tracker/rest':
        sendJson(response, 200, configureRest(deps.tracker, await readJson(request)));
        return;
      case 'GET /__sandbox/applications': {
        const jobId = url.searchParams.get('jobId');
        if (jobId !== null && !/^\d+$/.test(jobId)) throw new InputError('jobId must be a job id');
        sendJson(response, 200, { applications: deps.tracker.applicantRows(jobId === null ? undefined : Number(jobId)) });
        return;
      }
      case 'POST /__sandbox/applications':
        sendJson(response, 201, addApplication(deps.tracker, await readJson(request)));
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
    } else if (error instanceof TrackerAdminFailure) {
      sendJson(response, error.status, { error: { code: error.code, message: error.message, ...error.extra } });
    } else if (error instanceof AppError) {
      sendJson(response, 400, { error: { code: error.code, message: error.message, details: error.details ?? null } });
    } else {
      sendJson(response, 500, { error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } });
    }
  }
}
