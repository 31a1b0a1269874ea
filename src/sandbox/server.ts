import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_PREFIX, serveAdmin } from './admin.js';
import { DEFAULT_SANDBOX_CREDENTIALS, type SandboxCredentials } from './credentials.js';
import { serveEmulated, type EmulatedApi } from './emulated-api.js';
import { FaultController, type FaultOptions } from './faults.js';
import { sendJson } from './http-io.js';
import { RequestLog, type RecordedRequest } from './request-log.js';
import { createTrackerApi } from './tracker/api.js';
import { generateTrackerSeed } from './tracker/seed.js';
import type { TrackerSeed } from './tracker/seed-schema.js';
import { TrackerState } from './tracker/state.js';

export interface SandboxOptions {
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** The Tracker database to start from (default: generateTrackerSeed()). */
  seed?: TrackerSeed;
  faults?: FaultOptions;
  credentials?: SandboxCredentials;
  /** Clock of the Tracker database (timestamps of writes); tests may fix it. */
  clock?: () => Date;
}

export interface RunningSandbox {
  /** Base URL, e.g. http://127.0.0.1:PORT. */
  url: string;
  /** Tracker base URL (the same base): the client appends /api/widget/<op>. */
  trackerUrl: string;
  credentials: SandboxCredentials;
  tracker: TrackerState;
  faults: FaultController;
  /** Every request to an emulated API, oldest first, credentials masked. */
  requests: RecordedRequest[];
  /** Back to the start seed (or the given one); empties the request log; restores the start fault options. */
  reset(seed?: TrackerSeed): void;
  close(): Promise<void>;
}

function baseUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * Starts the local emulator in this process. Routes: `/api/widget/*` → Tracker's Widget API, `/__sandbox/*` →
 * admin endpoints; further emulated APIs (Apriora) mount by adding an EmulatedApi to `apis`.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? '127.0.0.1';
  const credentials: SandboxCredentials = { ...(options.credentials ?? DEFAULT_SANDBOX_CREDENTIALS) };
  const initialSeed = options.seed ?? generateTrackerSeed({ apiUsername: credentials.username });
  const tracker = new TrackerState(initialSeed, options.clock);
  tracker.ensureUser(credentials.username);
  const faults = new FaultController(options.faults);
  const log = new RequestLog();
  let url = '';

  const apis: EmulatedApi[] = [createTrackerApi({ state: tracker, credentials, baseUrl: () => url })];

  const reset = (seed?: TrackerSeed): void => {
    tracker.reset(seed ?? initialSeed);
    tracker.ensureUser(credentials.username);
    log.clear();
    faults.reset();
  };

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestUrl = new URL(request.url ?? '/', 'http://sandbox.invalid');
    const path = requestUrl.pathname;
    if (path.startsWith(ADMIN_PREFIX)) {
      await serveAdmin(request, response, requestUrl, {
        tracker,
        faults,
        log,
        reset,
        describe: () => ({ url, trackerUrl: url, apis: apis.map((api) => ({ name: api.name, prefix: api.prefix })) }),
      });
      return;
    }
    const api = apis.find((candidate) => path.startsWith(candidate.prefix));
    if (api) {
      await serveEmulated(api, request, response, path, { faults, log });
      return;
    }
    sendJson(response, 404, { Message: `No HTTP resource was found that matches the request URI '${path}'.` });
  };

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent && !response.destroyed) {
        sendJson(response, 500, { error: { code: 'internal', message: error instanceof Error ? error.message : String(error) } });
      }
    });
  });
  await listen(server, options.port ?? 0, host);
  url = baseUrl(host, (server.address() as AddressInfo).port);

  return {
    url,
    trackerUrl: url,
    credentials,
    tracker,
    faults,
    requests: log.entries,
    reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
