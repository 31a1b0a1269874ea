import type { z } from 'zod';
import { AuthError, ConflictError, RemoteError } from '../errors.js';
import type { HttpClient } from '../http/client.js';
import { parseAnswer } from '../http/parse.js';
import { widgetStatus } from './schemas.js';

export interface TrackerCredentials {
  apiKey: string;
  username: string;
  password: string;
}

/** Ops on which a public SDK also sends HTTP Basic auth; harmless, and recommended by Tracker (`apriora help api`). */
const BASIC_AUTH_OPS = new Set(['createActivity', 'resourceApplication', 'getSettingsData']);

export interface WidgetCall<S extends z.ZodType> {
  op: string;
  /** Everything beside `credentials` inside the op object: `instructions`, the entity, `customfields`… */
  payload?: Record<string, unknown>;
  schema: S;
  /** Reads may be retried freely; writes are not retried once sent. */
  read: boolean;
  signal?: AbortSignal;
}

/** The Widget API envelope (`apriora help api`): POST /api/widget/<op> with {"trackerrms": {"<op>": {credentials, …}}}. */
export function widgetEnvelope(op: string, credentials: TrackerCredentials, payload: Record<string, unknown> = {}) {
  return {
    trackerrms: {
      [op]: {
        credentials: {
          username: credentials.username,
          password: credentials.password,
          apikey: credentials.apiKey,
          oauthtoken: '',
        },
        ...payload,
      },
    },
  };
}

export async function callWidget<S extends z.ZodType>(http: HttpClient, credentials: TrackerCredentials, call: WidgetCall<S>): Promise<z.infer<S>> {
  const headers: Record<string, string> = {};
  if (BASIC_AUTH_OPS.has(call.op)) {
    headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
  }
  const response = await http.request({
    method: 'POST',
    path: `/api/widget/${call.op}`,
    json: widgetEnvelope(call.op, credentials, call.payload),
    headers,
    idempotent: call.read,
    signal: call.signal,
  });
  if (response.status === 401 || response.status === 403) {
    throw new AuthError(`Tracker refused ${call.op} with HTTP ${response.status}`, {
      code: 'tracker_http_auth',
      hint: 'Check the API credentials with `apriora tracker status`, or log in again with `apriora tracker login`.',
      details: { op: call.op, status: response.status },
    });
  }
  if (response.status !== 200) {
    throw new RemoteError(`Tracker answered HTTP ${response.status} to ${call.op}`, {
      status: response.status,
      code: 'tracker_http_error',
      details: { op: call.op, body: http.redact(response.text).slice(0, 500) },
    });
  }
  const envelope = parseAnswer(widgetStatus, response.body, `Tracker ${call.op}`);
  // Tracker's message is often a raw server error, which may quote the request: mask the credentials in it.
  throwForStatus(call.op, envelope.status, http.redact(envelope.message));
  return parseAnswer(call.schema, response.body, `Tracker ${call.op}`);
}

/** In-body status → typed error (`apriora help api`): 1 and 2 are authentication failures, 3 a conflict, 99 invalid request. */
export function throwForStatus(op: string, status: number, message: string): void {
  const said = message ? `: ${message}` : '';
  switch (status) {
    case 0:
      return;
    case 1:
      throw new AuthError(`Tracker rejected the credentials (user not found)${said}`, {
        code: 'tracker_user_not_found',
        hint: 'Check the API Key, API Username and API Password that Tracker Support issued, then run `apriora tracker login` again.',
      });
    case 2:
      throw new AuthError(`Tracker says the API user is not active${said}`, {
        code: 'tracker_user_inactive',
        hint: 'Ask the customer to reactivate the API user in Tracker, or ask Tracker Support for new API credentials.',
      });
    case 3:
      throw new ConflictError(`Tracker refused ${op}: the record exists and cannot be overwritten${said}`, {
        code: 'tracker_record_exists',
      });
    case 99:
      throw new RemoteError(`Tracker rejected ${op} as an invalid request${said}`, {
        code: 'tracker_invalid_request',
        details: { op, status },
      });
    default:
      throw new RemoteError(`Tracker answered ${op} with unknown status ${status}${said}`, {
        code: 'tracker_unknown_status',
        details: { op, status },
      });
  }
}
