import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/**
 * A tiny Tracker REST v1 stand-in for CLI tests that need only the token: ExchangeToken (one live JWT per token, as
 * Tracker does) and an empty applicant search. Commands reach it with --rest-base-url or TRACKER_REST_BASE_URL.
 */
export interface RestStub {
  readonly url: string;
  readonly token: string;
  /** Every request as received: path, Authorization header, parsed body. */
  readonly requests: { path: string; authorization: string | undefined; body: any }[];
  /** The JWTs handed out, in order: the last one is the live one. */
  readonly jwts: string[];
  readonly exchanges: number;
  reset(): void;
  close(): Promise<void>;
}

export async function startRestStub(token = 'stub-rest-token-0123456789'): Promise<RestStub> {
  const requests: RestStub['requests'] = [];
  const jwts: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: any;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      const path = (req.url ?? '').split('?')[0]!;
      requests.push({ path, authorization: req.headers.authorization, body });
      const answer = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.method === 'POST' && path === '/api/Auth/ExchangeToken') {
        if (body?.bearerToken !== token) return answer(401, { message: 'Invalid API token' });
        const jwt = `stub-jwt-${jwts.length + 1}-${randomBytes(8).toString('hex')}`;
        jwts.push(jwt);
        return answer(200, { token: jwt, expiration: new Date(Date.now() + 3_600_000).toISOString() });
      }
      if (req.method === 'POST' && path === '/api/v1/OpportunityResource/Search') {
        if (!jwts.length || req.headers.authorization !== `Bearer ${jwts.at(-1)}`) return answer(401, { message: 'Unauthorized' });
        return answer(200, { data: [], totalRecords: 0, pageNumber: body?.pageNumber ?? 1, pageSize: body?.pageSize ?? 10 });
      }
      return answer(404, { message: 'Not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    jwts,
    get exchanges() {
      return requests.filter((request) => request.path === '/api/Auth/ExchangeToken').length;
    },
    reset() {
      requests.length = 0;
      jwts.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One stub for the test file (vitest hooks), reset before each test. */
export function useRestStub(): { readonly stub: RestStub } {
  let stub: RestStub | undefined;
  beforeAll(async () => {
    stub = await startRestStub();
  });
  afterAll(async () => {
    await stub?.close();
  });
  beforeEach(() => stub?.reset());
  return {
    get stub() {
      if (!stub) throw new Error('the REST stub is started before the tests');
      return stub;
    },
  };
}
