import type { SandboxCredentials } from '../credentials.js';
import type { EmulatedApi, EmulatedResponse } from '../emulated-api.js';
import type { TrackerState } from './state.js';
import { handleWidgetCall, isWidgetWriteOp } from './widget.js';

export const TRACKER_WIDGET_PREFIX = '/api/widget/';

export interface TrackerApiOptions {
  state: TrackerState;
  credentials: SandboxCredentials;
  /** Base URL of the sandbox, used as checkPerson's recordLink. */
  baseUrl: () => string;
}

/** The Widget API at `/api/widget/<op>`: POST only; every application-level answer is HTTP 200 JSON. */
export function createTrackerApi({ state, credentials, baseUrl }: TrackerApiOptions): EmulatedApi {
  return {
    name: 'tracker',
    prefix: TRACKER_WIDGET_PREFIX,
    resolve({ method, path }) {
      const rest = path.slice(TRACKER_WIDGET_PREFIX.length).replace(/\/+$/, '');
      let op = rest;
      try {
        op = decodeURIComponent(rest);
      } catch {
        // keep the raw segment: it will be answered as an unknown operation
      }
      if (method !== 'POST') {
        const reject: EmulatedResponse = {
          status: 405,
          contentType: 'application/json; charset=utf-8',
          body: JSON.stringify({ Message: `The requested resource does not support http method '${method}'.` }),
          headers: { Allow: 'POST' },
        };
        return { op, reject };
      }
      return { op, isWrite: isWidgetWriteOp(op) };
    },
    handle(op, request) {
      const { response, internalError } = handleWidgetCall(op, request, { state, credentials, recordLink: baseUrl() });
      return {
        status: 200,
        contentType: 'application/json; charset=utf-8',
        body: JSON.stringify(response),
        appStatus: response.status,
        ...(internalError === undefined ? {} : { error: internalError }),
      };
    },
  };
}
