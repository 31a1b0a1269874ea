import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import type { SandboxCredentials } from '../credentials.js';
import type { TrackerUser } from './model.js';
import { checkLogon, checkPerson, getIndividualRecord, getRecords, getSettingsData } from './ops-read.js';
import { createActivity, createResource, resourceApplication, updateRecord } from './ops-write.js';
import {
  invalid,
  isPlainObject,
  objectAt,
  parsePart,
  RAW,
  type WidgetContext,
  WidgetFailure,
  type WidgetOperation,
  type WidgetResponse,
  WidgetStatus,
} from './protocol.js';

const READ_OPS = { checkLogon, getSettingsData, getRecords, getIndividualRecord, checkPerson } as const;
const WRITE_OPS = { createResource, resourceApplication, updateRecord, createActivity } as const;
const OPERATIONS: Readonly<Record<string, WidgetOperation>> = { ...READ_OPS, ...WRITE_OPS };

export type WidgetOpName = keyof typeof READ_OPS | keyof typeof WRITE_OPS;
export const WIDGET_OPS = Object.keys(OPERATIONS) as WidgetOpName[];

/** Operations that change the database: the only ones an after-commit fault applies to. */
export function isWidgetWriteOp(op: string): boolean {
  return Object.hasOwn(WRITE_OPS, op);
}

export interface WidgetHandlerContext extends WidgetContext {
  credentials: SandboxCredentials;
}

export interface WidgetOutcome {
  response: WidgetResponse;
  /** Set when the handler threw something other than a WidgetFailure: a sandbox bug, answered as status 99. */
  internalError?: string;
}

/** The keys each operation's object may hold beside nothing else (`apriora help api`): any other key answers 99. */
const PAYLOAD_KEYS: Readonly<Record<WidgetOpName, readonly string[]>> = {
  checkLogon: ['credentials'],
  getSettingsData: ['credentials'],
  getRecords: ['credentials', 'instructions'],
  getIndividualRecord: ['credentials', 'instructions'],
  checkPerson: ['credentials', 'details'],
  createResource: ['credentials', 'instructions', 'resource'],
  resourceApplication: ['credentials', 'instructions'],
  updateRecord: ['credentials', 'instructions', 'updates', 'customfields'],
  createActivity: ['credentials', 'activity', 'customfields'],
};

const credentialsSchema = z.strictObject({
  username: z.string().optional(),
  password: z.string().optional(),
  apikey: z.string().optional(),
  oauthtoken: z.string().optional(),
});

const sameEmail = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

function requireJson(headers: IncomingHttpHeaders): void {
  const given = headers['content-type'] ?? '';
  const mediaType = given.split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType !== 'application/json') {
    throw invalid(`The request entity's media type '${mediaType || '(none)'}' is not supported: send Content-Type: application/json.`);
  }
}

/** `{"trackerrms": {"<op>": {…}}}` and nothing beside: an unknown key anywhere in the frame answers 99. */
function unwrap(op: WidgetOpName, body: unknown): Record<string, unknown> {
  const envelope = isPlainObject(body) ? objectAt(body, 'trackerrms') : undefined;
  const payload = envelope ? objectAt(envelope, op) : undefined;
  if (!isPlainObject(body) || !envelope || !payload) throw invalid(RAW.nullReference);
  const unexpected = (container: Record<string, unknown>, allowed: readonly string[], where: string): void => {
    const extra = Object.keys(container).find((key) => !allowed.includes(key));
    if (extra !== undefined) throw invalid(`Could not find member '${extra}' on ${where}.`);
  };
  unexpected(body, ['trackerrms'], 'the request body (it holds only "trackerrms")');
  unexpected(envelope, [op], `"trackerrms" (it holds only "${op}")`);
  unexpected(payload, PAYLOAD_KEYS[op], `"${op}" (it holds ${PAYLOAD_KEYS[op].map((key) => `"${key}"`).join(', ')})`);
  return payload;
}

/** The user and password of `Authorization: Basic base64(user:password)`, or undefined when it is not that form. */
function basicAuth(header: string): { username: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Tracker's rules (`apriora help sandbox`): `apikey` alone acts as the system administrator (the user the key was
 * issued with); username (an e-mail, any letter case) + password act as that user; when both forms are sent, both
 * must match. An `Authorization: Basic` header, when sent, must name the same user and password. An OAuth token is
 * not issued by the sandbox, so a non-empty one fails. Every failure is status 1; an inactive user is status 2.
 */
function authenticate(payload: Record<string, unknown>, headers: IncomingHttpHeaders, context: WidgetHandlerContext): TrackerUser {
  const { credentials, state } = context;
  const notFound = new WidgetFailure(WidgetStatus.UserNotFound, 'User not found or password incorrect.');
  if (!isPlainObject(payload.credentials)) throw notFound;
  const given = parsePart(credentialsSchema, payload.credentials, 'credentials');
  const username = given.username ?? '';
  const password = given.password ?? '';
  const apikey = given.apikey ?? '';
  const asUser = username !== '' || password !== '';
  if (!asUser && apikey === '') throw notFound;
  if (apikey !== '' && apikey !== credentials.apiKey) throw notFound;
  if (asUser && !(sameEmail(username, credentials.username) && password === credentials.password)) throw notFound;
  if ((given.oauthtoken ?? '') !== '') throw notFound;
  const header = headers.authorization;
  if (header !== undefined) {
    const basic = basicAuth(header);
    if (!basic || !sameEmail(basic.username, credentials.username) || basic.password !== credentials.password) throw notFound;
  }
  const user = state.userByEmail(credentials.username);
  if (!user) throw notFound;
  if (!user.Active) throw new WidgetFailure(WidgetStatus.UserNotActive, 'User is not active.');
  return user;
}

/** A successful write wrote one record: its answer counts it (Tracker's `count: 1`). */
function counted(op: string, response: WidgetResponse): WidgetResponse {
  return isWidgetWriteOp(op) && response.status === WidgetStatus.Success ? { ...response, count: 1 } : response;
}

/**
 * Answers `POST /api/widget/<op>`: always an application-level answer (HTTP 200 and a status in the body). Order of
 * checks: known op, Content-Type, JSON, envelope (`trackerrms.<op>`, exact case, no other key), credentials, then
 * the op's own validation.
 */
export function handleWidgetCall(op: string, request: { body: string; headers: IncomingHttpHeaders }, context: WidgetHandlerContext): WidgetOutcome {
  try {
    const operation = Object.hasOwn(OPERATIONS, op) ? OPERATIONS[op] : undefined;
    if (!operation) throw invalid(`The operation '${op}' is not supported.`);
    requireJson(request.headers);
    let parsedBody: unknown;
    try {
      parsedBody = JSON.parse(request.body);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw invalid(`Unexpected character encountered while parsing value: ${reason}`);
    }
    const payload = unwrap(op as WidgetOpName, parsedBody);
    const user = authenticate(payload, request.headers, context);
    return { response: counted(op, operation({ op, payload, user }, context)) };
  } catch (error) {
    if (error instanceof WidgetFailure) return { response: error.toResponse() };
    // Tracker, too, answers 99 with the raw exception message.
    const reason = error instanceof Error ? error.message : String(error);
    return {
      response: { status: WidgetStatus.InvalidRequest, message: reason, count: 0 },
      internalError: error instanceof Error ? (error.stack ?? reason) : reason,
    };
  }
}
