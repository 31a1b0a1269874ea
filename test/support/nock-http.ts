import nock from 'nock';
import { afterEach, beforeEach, expect } from 'vitest';
import { HttpClient, type HttpClientOptions } from '../../src/http/client.js';

/** An HttpClient for nock tests: no real waiting (delays recorded), deterministic jitter, every trace line kept. */
export function testHttpClient(baseUrl: string, service: string, options: Partial<HttpClientOptions> = {}) {
  const delays: number[] = [];
  const lines: string[] = [];
  const http = new HttpClient({
    baseUrl,
    service,
    maxRetries: 2,
    timeoutMs: 2_000,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 0.5,
    trace: (line) => lines.push(line),
    ...options,
  });
  return { http, delays, lines };
}

/** No real network in the file's tests, and every interceptor a test declares must be used by it. */
export function useStrictNock(): void {
  beforeEach(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.abortPendingRequests();
    nock.cleanAll();
    nock.enableNetConnect();
    expect(pending, 'every nock interceptor was used').toEqual([]);
  });
}
