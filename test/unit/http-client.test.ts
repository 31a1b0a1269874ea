import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { type AppError, InputError, RemoteError } from '../../src/errors.js';
import { HttpClient, type HttpClientOptions } from '../../src/http/client.js';
import { parseAnswer } from '../../src/http/parse.js';
import { REDACTED, redactHeaders, redactKeys, redactValues } from '../../src/http/redact.js';
import { isRetryableStatus, parseRetryAfter } from '../../src/http/retry.js';
import { backoffDelay } from '../../src/lib/backoff.js';
import { parseBaseUrl, parseRegion, trackerBaseUrl, WIDGET_HOSTS } from '../../src/tracker/hosts.js';
import { widgetStatus } from '../../src/tracker/schemas.js';
import { testHttpClient, useStrictNock } from '../support/nock-http.js';
import { systemError } from '../support/system-error.js';

const BASE = 'http://api.test';
const PASSWORD = 'pa55-WORD-secret';
const API_KEY = 'KEY-0123456789abcdef';
const BEARER = 'eyJhbGciOi.bearer-token-value';

interface Harness {
  http: HttpClient;
  delays: number[];
  lines: string[];
}

function client(options: Partial<HttpClientOptions> = {}): Harness {
  return testHttpClient(BASE, 'Tracker', { maxRetries: 3, secrets: [PASSWORD, API_KEY], ...options });
}

async function failure(promise: Promise<unknown>): Promise<RemoteError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RemoteError);
    return error as RemoteError;
  }
  throw new Error('expected the request to fail');
}

function expectNoSecrets(text: string): void {
  for (const secret of [PASSWORD, API_KEY, BEARER]) expect(text).not.toContain(secret);
}

const read = { method: 'POST', path: '/read', json: { q: 1 }, idempotent: true } as const;
const write = { method: 'POST', path: '/write', json: { q: 1 }, idempotent: false } as const;

useStrictNock();

describe('HttpClient requests', () => {
  it('sends JSON with content-type and accept headers and parses the JSON answer', async () => {
    const scope = nock(BASE)
      .matchHeader('content-type', 'application/json')
      .matchHeader('accept', 'application/json')
      .matchHeader('user-agent', 'apriora-test/1')
      .post('/api/thing', { hello: 'world', n: [1, 2] })
      .reply(200, { ok: true }, { 'content-type': 'application/json' });
    const { http } = client({ userAgent: 'apriora-test/1' });
    const response = await http.request({ method: 'POST', path: '/api/thing', json: { hello: 'world', n: [1, 2] }, idempotent: false });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true });
    expect(http.requestsSent).toBe(1);
    scope.done();
  });

  it('encodes query parameters and skips undefined ones', async () => {
    nock(BASE)
      .get('/search')
      .query((query) => {
        expect(query).toEqual({ q: 'a b&c=d/é', n: '5', flag: 'false' });
        return true;
      })
      .reply(200, []);
    const { http, lines } = client();
    await http.request({
      method: 'GET',
      path: '/search',
      query: { q: 'a b&c=d/é', n: 5, flag: false, missing: undefined },
      idempotent: true,
    });
    const requestLine = lines.find((line) => line.startsWith('-> GET'));
    expect(requestLine).toContain('q=a+b%26c%3Dd%2F%C3%A9');
    expect(requestLine).not.toContain('missing');
  });

  it('strips trailing slashes from the base URL', async () => {
    nock(BASE).get('/x').reply(200, {});
    const { http } = client({ baseUrl: `${BASE}//` });
    expect(http.baseUrl).toBe(BASE);
    await http.request({ method: 'GET', path: '/x', idempotent: true });
  });

  it('returns a non-JSON answer as text with an undefined body', async () => {
    nock(BASE).get('/html').reply(200, '<html>maintenance</html>', { 'content-type': 'text/html' });
    const { http } = client();
    const response = await http.request({ method: 'GET', path: '/html', idempotent: true });
    expect(response.body).toBeUndefined();
    expect(response.text).toBe('<html>maintenance</html>');
  });

  it('keeps its defaults when options are passed as undefined', async () => {
    nock(BASE).post('/read').reply(503).post('/read').reply(200, {});
    const delays: number[] = [];
    const http = new HttpClient({
      baseUrl: BASE,
      service: 'Tracker',
      timeoutMs: undefined,
      maxRetries: undefined,
      maxRetryAfterMs: undefined,
      secrets: undefined,
      rateLimitPerMinute: undefined,
      random: undefined,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    await http.request(read);
    expect(delays).toHaveLength(1);
  });
});

describe('HttpClient retries', () => {
  it('retries a read on 429 honouring Retry-After in seconds', async () => {
    nock(BASE)
      .post('/read')
      .reply(429, 'slow down', { 'retry-after': '3' })
      .post('/read')
      .reply(429, '', { 'retry-after': '0.5' })
      .post('/read')
      .reply(200, { ok: 1 });
    const { http, delays } = client();
    const response = await http.request(read);
    expect(response.body).toEqual({ ok: 1 });
    expect(delays).toEqual([3000, 500]);
    expect(http.requestsSent).toBe(3);
  });

  it('honours Retry-After given as an HTTP date', async () => {
    const when = new Date(Date.now() + 10_000).toUTCString();
    nock(BASE).post('/read').reply(429, '', { 'retry-after': when }).post('/read').reply(200, {});
    const { http, delays } = client();
    await http.request(read);
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThan(8_000);
    expect(delays[0]).toBeLessThanOrEqual(10_000);
  });

  it('backs off with jitter when a 429 has no usable Retry-After', async () => {
    nock(BASE).post('/read').reply(429).post('/read').reply(429, '', { 'retry-after': 'soon' }).post('/read').reply(200, {});
    const { http, delays } = client({ random: () => 1 });
    await http.request(read);
    expect(delays).toEqual([250, 500]);
  });

  it('gives up when Retry-After is longer than maxRetryAfterMs', async () => {
    nock(BASE).post('/read').reply(429, '', { 'retry-after': '600' });
    const { http, delays } = client({ maxRetryAfterMs: 60_000 });
    const error = await failure(http.request(read));
    expect(error.code).toBe('rate_limited');
    expect(delays).toEqual([]);
  });

  it('retries a read on 503 with exponential backoff, then succeeds', async () => {
    nock(BASE).post('/read').reply(503).post('/read').reply(502).post('/read').reply(500).post('/read').reply(200, { done: true });
    const { http, delays } = client({ random: () => 0.5 });
    const response = await http.request(read);
    expect(response.body).toEqual({ done: true });
    expect(delays).toEqual([125, 250, 500]);
  });

  it('retries a read after a connection reset, then succeeds', async () => {
    nock(BASE).post('/read').replyWithError(systemError('ECONNRESET')).post('/read').reply(200, { ok: true });
    const { http, delays } = client();
    const response = await http.request(read);
    expect(response.body).toEqual({ ok: true });
    expect(delays).toHaveLength(1);
    expect(http.requestsSent).toBe(2);
  });

  it('gives up after maxRetries on 429 with RemoteError rate_limited (exit 5)', async () => {
    nock(BASE).post('/read').times(3).reply(429, '', { 'retry-after': '1' });
    const { http, delays } = client({ maxRetries: 2 });
    const error = await failure(http.request(read));
    expect(error.code).toBe('rate_limited');
    expect(error.exitCode).toBe(5);
    expect(error.status).toBe(429);
    expect(error.message).toContain('3 attempts');
    expect(delays).toEqual([1000, 1000]);
    expect(http.requestsSent).toBe(3);
  });

  it('gives up after maxRetries on 503 with RemoteError server_error', async () => {
    nock(BASE).post('/read').times(3).reply(503, 'down');
    const { http } = client({ maxRetries: 2 });
    const error = await failure(http.request(read));
    expect(error.code).toBe('server_error');
    expect(error.exitCode).toBe(5);
    expect(error.status).toBe(503);
    expect(error.details).toMatchObject({ attempts: 3, body: 'down' });
    expect(http.requestsSent).toBe(3);
  });

  it('gives up after maxRetries on connection resets with RemoteError network_error', async () => {
    nock(BASE).post('/read').times(3).replyWithError(systemError('ECONNRESET'));
    const { http } = client({ maxRetries: 2 });
    const error = await failure(http.request(read));
    expect(error.code).toBe('network_error');
    expect(error.exitCode).toBe(5);
    expect(error.message).toContain('ECONNRESET');
    expect(error.details).toMatchObject({ attempts: 3 });
    expect(http.requestsSent).toBe(3);
  });

  it('does not retry a write on 503', async () => {
    nock(BASE).post('/write').reply(503);
    const { http, delays } = client();
    const error = await failure(http.request(write));
    expect(error.code).toBe('server_error');
    expect(error.hint).toMatch(/may or may not have been applied/);
    expect(http.requestsSent).toBe(1);
    expect(delays).toEqual([]);
  });

  it('does not retry a write after a connection reset', async () => {
    nock(BASE).post('/write').replyWithError(systemError('ECONNRESET'));
    const { http, delays } = client();
    const error = await failure(http.request(write));
    expect(error.code).toBe('network_error');
    expect(http.requestsSent).toBe(1);
    expect(delays).toEqual([]);
  });

  it('retries a write when the connection was refused (the request was never sent)', async () => {
    nock(BASE).post('/write').replyWithError(systemError('ECONNREFUSED')).post('/write').reply(200, {});
    const { http } = client();
    await http.request(write);
    expect(http.requestsSent).toBe(2);
  });

  it('a failed TLS handshake is one line naming the host and the reason (tls_error), never retried', async () => {
    const tls = (code: string, message: string) => Object.assign(new Error(message), { code });
    for (const [error, reason] of [
      [tls('CERT_HAS_EXPIRED', 'certificate has expired'), 'certificate has expired'],
      [tls('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), 'self-signed certificate'],
      [
        tls('EPROTO', 'write EPROTO 80CC0D25017F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/ssl/record.c:350:\n'),
        'wrong version number (the server does not speak TLS: an http:// URL?)',
      ],
      [
        tls('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'C0:error:0A000410:SSL routines::sslv3 alert handshake failure:ssl/record/rec_layer_s3.c:1605:'),
        'sslv3 alert handshake failure',
      ],
    ] as const) {
      nock(BASE).post('/read').replyWithError(error);
      const { http, delays } = client();
      const failed = await failure(http.request(read));
      expect(failed.code).toBe('tls_error');
      expect(failed.exitCode).toBe(5);
      expect(failed.message).toBe(`TLS handshake with api.test failed: ${reason}`);
      expect(failed.message).not.toContain('\n');
      expect(failed.hint).toMatch(/URL/);
      expect(http.requestsSent).toBe(1);
      expect(delays).toEqual([]);
    }
  });

  it('retries a write on 429', async () => {
    nock(BASE).post('/write').reply(429, '', { 'retry-after': '2' }).post('/write').reply(200, { ok: true });
    const { http, delays } = client();
    const response = await http.request(write);
    expect(response.body).toEqual({ ok: true });
    expect(delays).toEqual([2000]);
    expect(http.requestsSent).toBe(2);
  });

  it('does not retry a 4xx other than 429 and 408', async () => {
    nock(BASE).post('/read').reply(400, { error: 'bad' });
    const { http } = client();
    const response = await http.request(read);
    expect(response.status).toBe(400);
    expect(http.requestsSent).toBe(1);
  });
});

describe('HttpClient timeouts', () => {
  it('turns a timeout into RemoteError code timeout', async () => {
    nock(BASE).post('/write').delay(1_000).reply(200, {});
    const { http, lines } = client({ timeoutMs: 40 });
    const started = Date.now();
    const error = await failure(http.request(write));
    expect(Date.now() - started).toBeLessThan(500);
    expect(error.code).toBe('timeout');
    expect(error.exitCode).toBe(5);
    expect(error.message).toContain('40 ms');
    expect(http.requestsSent).toBe(1);
    expect(lines.some((line) => line.includes('failed after'))).toBe(true);
  });

  it('retries a read after a timeout', async () => {
    nock(BASE).post('/read').delay(1_000).reply(200, { late: true }).post('/read').reply(200, { ok: true });
    const { http } = client({ timeoutMs: 40 });
    const response = await http.request(read);
    expect(response.body).toEqual({ ok: true });
    expect(http.requestsSent).toBe(2);
  });

  it('stops at once when the caller aborts', async () => {
    nock(BASE).post('/read').delay(1_000).reply(200, {});
    const { http } = client();
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user pressed Ctrl-C')), 20);
    await expect(http.request({ ...read, signal: controller.signal })).rejects.toThrow('user pressed Ctrl-C');
    expect(http.requestsSent).toBe(1);
  });
});

describe('HttpClient client-side rate limit', () => {
  it('spreads the requests beyond the burst over the interval', async () => {
    nock(BASE).post('/read').times(4).reply(200, {});
    // 2 per 150 ms with a burst of 1: one at once, then one every 75 ms.
    const { http } = client({ rateLimitPerMinute: 2, rateLimitIntervalMs: 150, rateBurst: 1 });
    const started = Date.now();
    const finished: number[] = [];
    await Promise.all(Array.from({ length: 4 }, () => http.request(read).then(() => finished.push(Date.now() - started))));
    finished.sort((a, b) => a - b);
    expect(finished[1]).toBeGreaterThanOrEqual(70);
    expect(finished[2]).toBeGreaterThanOrEqual(145);
    expect(finished[3]).toBeGreaterThanOrEqual(220);
    expect(http.requestsSent).toBe(4);
  });

  it('does not delay requests within the limit', async () => {
    nock(BASE).post('/read').times(3).reply(200, {});
    const { http } = client({ rateLimitPerMinute: 100 });
    const started = Date.now();
    await Promise.all([http.request(read), http.request(read), http.request(read)]);
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('HttpClient trace and redaction', () => {
  const secretBody = {
    trackerrms: { op: { credentials: { username: 'u@x.com', password: PASSWORD, apikey: API_KEY, oauthtoken: '' } } },
  };
  const headers = { authorization: `Bearer ${BEARER}`, 'x-api-key': API_KEY };

  it('traces method, URL and status without the secrets', async () => {
    nock(BASE)
      .post('/api/widget/op')
      .reply(200, { status: 0, echo: { password: PASSWORD } });
    const { http, lines } = client();
    await http.request({ method: 'POST', path: '/api/widget/op', json: secretBody, headers, idempotent: true });
    const all = lines.join('\n');
    expect(all).toContain(`-> POST ${BASE}/api/widget/op`);
    expect(all).toMatch(new RegExp(`<- 200 POST ${BASE}/api/widget/op \\(\\d+ ms\\)`));
    expect(all).toContain('u@x.com');
    expect(all).toContain(REDACTED);
    expectNoSecrets(all);
  });

  it('masks secrets a server echoes back in a non-JSON body, including the Authorization value', async () => {
    const echo = `bad request: password=${PASSWORD} key=${API_KEY} auth=${BEARER}`;
    nock(BASE).post('/read').times(4).reply(503, echo, { 'content-type': 'text/plain' });
    const { http, lines } = client();
    const error = await failure(http.request({ ...read, json: secretBody, headers }));
    expect(lines.some((line) => line.includes('<- 503'))).toBe(true);
    expectNoSecrets(lines.join('\n'));
    expectNoSecrets(error.message);
    expectNoSecrets(JSON.stringify(error.details));
    expect(JSON.stringify(error.details)).toContain('bad request');
  });

  it('does not leak half a secret when a long body is truncated', async () => {
    // The password straddles both limits: 500 characters in error details, 2 000 in the trace.
    const first = `${'x'.repeat(490)}${PASSWORD}`;
    const long = `${first}${'y'.repeat(1_990 - first.length)}${PASSWORD}${'z'.repeat(100)}`;
    nock(BASE).post('/write').reply(500, long, { 'content-type': 'text/plain' });
    const { http, lines } = client();
    const error = await failure(http.request(write));
    const prefix = PASSWORD.slice(0, 8);
    expect(lines.join('\n')).not.toContain(prefix);
    expect(JSON.stringify(error.details)).not.toContain(prefix);
  });

  it('keeps secrets out of traces and errors on network failures', async () => {
    nock(BASE).post('/read').query(true).times(4).replyWithError(systemError('ECONNRESET'));
    const { http, lines } = client();
    const error = await failure(http.request({ ...read, query: { key: API_KEY }, json: secretBody, headers }));
    expect(lines.some((line) => line.includes('failed after'))).toBe(true);
    expectNoSecrets(lines.join('\n'));
    expectNoSecrets(error.message);
    expectNoSecrets(JSON.stringify(error.details));
  });

  it('masks a secret added later with addSecret and offers redact()', () => {
    const { http } = client({ secrets: [] });
    http.addSecret('late-secret-value');
    http.addSecret(undefined);
    expect(http.redact('a late-secret-value b')).toBe(`a ${REDACTED} b`);
  });

  it('redactKeys masks secret-named keys deeply and keeps empty values', () => {
    expect(redactKeys({ a: { password: 'p', apikey: 'k', oauthtoken: '', list: [{ token: 't', name: 'n' }] } })).toEqual({
      a: { password: REDACTED, apikey: REDACTED, oauthtoken: '', list: [{ token: REDACTED, name: 'n' }] },
    });
  });

  it('redactHeaders masks credentials headers only', () => {
    expect(redactHeaders({ Authorization: 'Basic abc', 'content-type': 'application/json', Cookie: 'c' })).toEqual({
      Authorization: REDACTED,
      'content-type': 'application/json',
      Cookie: REDACTED,
    });
  });

  it('redactValues masks every occurrence', () => {
    expect(redactValues(`${PASSWORD}/${PASSWORD}`, [PASSWORD])).toBe(`${REDACTED}/${REDACTED}`);
  });
});

describe('retry helpers', () => {
  it('parseRetryAfter reads delta-seconds', () => {
    expect(parseRetryAfter('0')).toBe(0);
    expect(parseRetryAfter('7')).toBe(7_000);
    expect(parseRetryAfter(' 1.5 ')).toBe(1_500);
  });

  it('parseRetryAfter reads the HTTP date forms', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wednesday, 01-Jan-25 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });

  it('parseRetryAfter ignores anything else', () => {
    for (const value of [null, '', 'soon', '-5', '2 3', '1e3', 'NaN']) {
      expect(parseRetryAfter(value), String(value)).toBeUndefined();
    }
  });

  it('backoffDelay stays within [0, min(cap, base·2^attempt)]', () => {
    const options = { baseMs: 250, capMs: 8_000 };
    expect(backoffDelay(0, { ...options, random: () => 0 })).toBe(0);
    expect(backoffDelay(0, { ...options, random: () => 0.999999 })).toBe(250);
    expect(backoffDelay(3, { ...options, random: () => 0.999999 })).toBe(2_000);
    expect(backoffDelay(10, { ...options, random: () => 0.999999 })).toBe(8_000);
    expect(backoffDelay(50, { ...options, random: () => 0.999999 })).toBe(8_000);
    for (let attempt = 0; attempt < 12; attempt++) {
      const delay = backoffDelay(attempt, { ...options, random: Math.random });
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(Math.min(8_000, 250 * 2 ** attempt));
    }
  });

  it('isRetryableStatus covers 408, 429 and 5xx only', () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 409].some(isRetryableStatus)).toBe(false);
  });
});

describe('parseAnswer', () => {
  it('names the missing field', () => {
    let error: unknown;
    try {
      parseAnswer(widgetStatus, { message: 'x' }, 'Tracker checkLogon');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).code).toBe('unexpected_response');
    expect((error as RemoteError).message).toMatch(/^Tracker checkLogon answered with an unexpected shape: status:/);
  });

  it('rejects a body that is not JSON', () => {
    expect(() => parseAnswer(widgetStatus, undefined, 'Tracker checkLogon')).toThrow(/not JSON/);
  });
});

describe('Tracker hosts', () => {
  it('maps regions to the Widget API hosts (`apriora help api`)', () => {
    expect(WIDGET_HOSTS).toEqual({
      us: 'https://evoapius.tracker-rms.com',
      ca: 'https://evoapica.tracker-rms.com',
      uk: 'https://evoapi.tracker-rms.com',
    });
    expect(trackerBaseUrl({ region: 'us' })).toBe('https://evoapius.tracker-rms.com');
    expect(trackerBaseUrl({ region: 'ca' })).toBe('https://evoapica.tracker-rms.com');
    expect(trackerBaseUrl({ region: 'uk' })).toBe('https://evoapi.tracker-rms.com');
  });

  it('lets a base-URL override win over the region', () => {
    expect(trackerBaseUrl({ region: 'uk', baseUrl: 'http://127.0.0.1:4010' })).toBe('http://127.0.0.1:4010');
    expect(trackerBaseUrl({ baseUrl: 'http://127.0.0.1:4010' })).toBe('http://127.0.0.1:4010');
  });

  it('parseRegion accepts us/ca/uk in any case and rejects others with InputError (exit 2)', () => {
    expect(parseRegion('us')).toBe('us');
    expect(parseRegion(' CA ')).toBe('ca');
    expect(parseRegion('Uk')).toBe('uk');
    for (const bad of ['eu', '', 'usa']) {
      let error: unknown;
      try {
        parseRegion(bad);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as AppError).exitCode).toBe(2);
      expect((error as AppError).message).toContain('--region');
    }
  });

  it('parseBaseUrl normalises http(s) URLs and rejects others with InputError (exit 2)', () => {
    expect(parseBaseUrl('http://127.0.0.1:4010/')).toBe('http://127.0.0.1:4010');
    expect(parseBaseUrl('https://sandbox.example.com/tracker//')).toBe('https://sandbox.example.com/tracker');
    for (const bad of ['not a url', 'ftp://example.com', 'file:///etc/passwd']) {
      let error: unknown;
      try {
        parseBaseUrl(bad, '--base-url');
      } catch (caught) {
        error = caught;
      }
      expect(error, bad).toBeInstanceOf(InputError);
      expect((error as AppError).exitCode).toBe(2);
      expect((error as AppError).message).toContain('--base-url');
    }
  });

  it('parseBaseUrl refuses a user name or password in the URL without echoing it', () => {
    for (const [bad, shown] of [
      ['https://user:hunter2@evoapius.tracker-rms.com', 'https://***@evoapius.tracker-rms.com'],
      ['https://:hunter2@evoapius.tracker-rms.com/', 'https://***@evoapius.tracker-rms.com/'],
      ['http://user@127.0.0.1:4010', 'http://***@127.0.0.1:4010'],
      ['https://us er:hun ter2@[bad', 'https://***@[bad'],
    ]) {
      let error: unknown;
      try {
        parseBaseUrl(bad!, 'TRACKER_BASE_URL');
      } catch (caught) {
        error = caught;
      }
      expect(error, bad).toBeInstanceOf(InputError);
      expect((error as AppError).message).toContain(`"${shown}"`);
      expect(JSON.stringify({ m: (error as AppError).message, h: (error as AppError).hint })).not.toMatch(/hunter2|hun ter2/);
    }
    expect(parseBaseUrl('https://host.example/path@v1')).toBe('https://host.example/path@v1');
  });
});
