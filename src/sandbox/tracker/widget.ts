import type { SandboxCredentials } from '../credentials.js';
import type { TrackerUser } from './model.js';
import { checkLogon, checkPerson, getIndividualRecord, getRecords, getSettingsData } from './ops-read.js';
import { createActivity, createResource, resourceApplication, updateRecord } from './ops-write.js';
import {
  invalid,
  isPlainObject,
  objectAt,
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

function authenticate(payload: Record<string, unknown>, context: WidgetHandlerContext): TrackerUser {
  const given = objectAt(payload, 'credentials');
  const { credentials, state } = context;
  const notFound = new WidgetFailure(WidgetStatus.UserNotFound, 'User not found or password incorrect.');
  if (!given || given.apikey !== credentials.apiKey || given.username !== credentials.username || given.password !== credentials.password) {
    throw notFound;
  }
  const user = state.userByEmail(credentials.username);
  if (!user) throw notFound;
  if (!user.Active) throw new WidgetFailure(WidgetStatus.UserNotActive, 'User is not active.');
  return user;
}

/**
 * Answers `POST /api/widget/<op>`: always an application-level answer (HTTP 200 and a status in the body). Order of
 * checks: known op, JSON, envelope (`trackerrms.<op>`, exact case), credentials, then the op's own validation.
 */
export function handleWidgetCall(op: string, rawBody: string, context: WidgetHandlerContext): WidgetOutcome {
  try {
    const operation = Object.hasOwn(OPERATIONS, op) ? OPERATIONS[op] : undefined;
    if (!operation) throw invalid(`The operation '${op}' is not supported.`);
    let parsedBody: unknown;
    try {
      parsedBody = JSON.parse(rawBody);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw invalid(`Unexpected character encountered while parsing value: ${reason}`);
    }
    const envelope = isPlainObject(parsedBody) ? objectAt(parsedBody, 'trackerrms') : undefined;
    const payload = envelope ? objectAt(envelope, op) : undefined;
    if (!payload) throw invalid(RAW.nullReference);
    const user = authenticate(payload, context);
    return { response: operation({ op, payload, user }, context) };
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
