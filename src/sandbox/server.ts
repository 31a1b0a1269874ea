import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ADMIN_PREFIX, serveAdmin } from './admin.js';
import { APRIORA_API_PREFIX, createAprioraApi } from './apriora/api.js';
import type { AprioraSeed } from './apriora/seed.js';
import { AprioraState } from './apriora/state.js';
import { type ResolvedSandboxCredentials, resolveSandboxCredentials, type SandboxCredentials } from './credentials.js';
import { SANDBOX_DEFAULT_ADDRESS } from './defaults.js';
import { type EmulatedApi, serveEmulated } from './emulated-api.js';
import { FaultController, type FaultOptions } from './faults.js';
import { sendJson } from './http-io.js';
import { type RecordedRequest, RequestLog } from './request-log.js';
import { createTrackerApi } from './tracker/api.js';
import { createTrackerRestApi, TRACKER_REST_PREFIX } from './tracker/rest-api.js';
import { generateTrackerSeed } from './tracker/seed.js';
import type { TrackerSeed } from './tracker/seed-schema.js';
import { TrackerState } from './tracker/state.js';

export interface SandboxOptions {
  /** Interface to listen on (default SANDBOX_DEFAULT_ADDRESS.host). */
  host?: string;
  /** Port; 0 (the default) picks a free one. */
  port?: number;
  /** The Tracker database to start from (default: generateTrackerSeed()). */
  seed?: TrackerSeed;
  /** The Apriora database to start from (default: defaultAprioraSeed(): the templates, no positions). */
  aprioraSeed?: AprioraSeed;
  faults?: FaultOptions;
  /** Widget API credentials and the Apriora API key (default DEFAULT_SANDBOX_CREDENTIALS). */
  credentials?: SandboxCredentials;
  /** Clock of both databases (timestamps of writes, JWT expiry); tests may fix it. */
  clock?: () => Date;
  /**
   * Lifetime of the JWTs Tracker REST v1's token exchange hands out, in seconds (default 3600); also settable at run
   * time (`sandbox.tracker.restAuth.ttlSeconds`, `POST /__sandbox/tracker/rest`). A reset restores it.
   */
  restTokenTtlSeconds?: number;
}

export interface RunningSandbox {
  /** Base URL, `http://<host>:<port>` (loopback when listening on every interface). */
  url: string;
  /** Tracker base URL (the same base): the client appends /api/widget/<op>. */
  trackerUrl: string;
  /** Tracker REST v1 base URL, `<url>/tracker-rest`: the client appends /api/Auth/ExchangeToken, /api/v1/… */
  trackerRestUrl: string;
  /** Apriora base URL, `<url>/apriora/v1/api`: the client appends /positions, /reports, … */
  aprioraUrl: string;
  /**
   * What the emulators accept: the Widget API's three credentials, the REST v1 API token (restToken) and the Apriora
   * `X-API-Key` (aprioraApiKey).
   */
  credentials: ResolvedSandboxCredentials;
  tracker: TrackerState;
  apriora: AprioraState;
  faults: FaultController;
  /** The newest 10,000 requests to an emulated API, oldest first, credentials masked. */
  requests: RecordedRequest[];
  /** Counts of every request since start, by "<api> <op> <HTTP status>" (for benchmarks). */
  requestTotals: ReadonlyMap<string, number>;
  /**
   * Calls `listener` with each request to an emulated API as it is logged: its answer has just been handed to the
   * socket, and the database may be changed before the client reads that answer (a test playing a second writer on
   * another machine). Returns the unsubscribe function.
   */
  onRequest(listener: (request: RecordedRequest) => void): () => void;
  /**
   * Both databases back to their start seeds (or the given ones); empties the request log; restores the start
   * fault options.
   */
  reset(seed?: TrackerSeed, aprioraSeed?: AprioraSeed): void;
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

/** A prefix ending in "/" matches what starts with it; otherwise the prefix itself or the prefix and a "/…". */
function mountedAt(prefix: string, path: string): boolean {
  return prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * Starts the local emulator in this process. Routes: `/api/widget/*` → Tracker's Widget API, `/tracker-rest/*` →
 * Tracker's REST v1 API (token exchange, applicant search), `/apriora/v1/api/*` →
 * Apriora's API, `/__sandbox/*` → admin endpoints; a further emulated API mounts by adding an EmulatedApi to `apis`.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const host = options.host ?? SANDBOX_DEFAULT_ADDRESS.host;
  const credentials = resolveSandboxCredentials(options.credentials);
  const initialSeed = options.seed ?? generateTrackerSeed({ apiUsername: credentials.username });
  const tracker = new TrackerState(
    initialSeed,
    options.clock,
    options.restTokenTtlSeconds === undefined ? {} : { restTokenTtlSeconds: options.restTokenTtlSeconds },
  );
  tracker.ensureUser(credentials.username);
  const apriora = new AprioraState(options.aprioraSeed, options.clock);
  const initialAprioraSeed = options.aprioraSeed;
  const faults = new FaultController(options.faults);
  const log = new RequestLog();
  let url = '';

  const apis: EmulatedApi[] = [
    createTrackerApi({ state: tracker, credentials, baseUrl: () => url }),
    createTrackerRestApi({ state: tracker, credentials }),
    createAprioraApi({ state: apriora, apiKey: credentials.aprioraApiKey }),
  ];

  const reset = (seed?: TrackerSeed, aprioraSeed?: AprioraSeed): void => {
    tracker.reset(seed ?? initialSeed);
    tracker.ensureUser(credentials.username);
    apriora.reset(aprioraSeed ?? initialAprioraSeed);
    log.clear();
    faults.reset();
  };

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestUrl = new URL(request.url ?? '/', 'http://sandbox.invalid');
    const path = requestUrl.pathname;
    if (path.startsWith(ADMIN_PREFIX)) {
      await serveAdmin(request, response, requestUrl, {
        tracker,
        apriora,
        faults,
        log,
        reset,
        generate: (seedOptions) => generateTrackerSeed({ ...seedOptions, apiUsername: credentials.username }),
        describe: () => ({
          url,
          trackerUrl: url,
          trackerRestUrl: `${url}${TRACKER_REST_PREFIX}`,
          aprioraUrl: `${url}${APRIORA_API_PREFIX}`,
          aprioraApiKey: credentials.aprioraApiKey,
          restToken: credentials.restToken,
          apis: apis.map((api) => ({ name: api.name, prefix: api.prefix })),
        }),
      });
      return;
    }
    const api = apis.find((candidate) => mountedAt(candidate.prefix, path));
    if (api) {
      await serveEmulated(api, request, response, requestUrl, { faults, log });
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
    trackerRestUrl: `${url}${TRACKER_REST_PREFIX}`,
    aprioraUrl: `${url}${APRIORA_API_PREFIX}`,
    credentials,
    tracker,
    apriora,
    faults,
    requests: log.entries,
    requestTotals: log.totals,
    onRequest: (listener) => log.subscribe(listener),
    reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
