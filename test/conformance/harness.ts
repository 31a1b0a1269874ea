import { describe, expect, it } from 'vitest';
import { type RunningSandbox, startSandbox } from '../../src/sandbox/index.js';

/**
 * The conformance suite: raw requests (not through the product's clients) and the answer each must get, so the
 * sandbox answers like the APIs it stands in for. A case reads as the contract: what is sent, what comes back.
 */
export interface ConformanceCase {
  /** What the case shows, as a sentence. */
  name: string;
  /** Sends the request against a fresh sandbox and returns what came back. */
  send: (sandbox: RunningSandbox) => Promise<Answer>;
  /** What the answer must be: the HTTP status and a subset of the JSON body. */
  expect: { http?: number; body?: Record<string, unknown> };
  /** Further checks of the answer or of the sandbox's state afterwards. */
  check?: (answer: Answer, sandbox: RunningSandbox) => void | Promise<void>;
}

export interface Answer {
  http: number;
  body: Record<string, unknown>;
}

/** POST {sandbox}/api/widget/<op> with a raw body and headers (the envelope is the caller's). */
export async function widget(sandbox: RunningSandbox, op: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${sandbox.trackerUrl}/api/widget/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { http: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

/** The sandbox's Widget credentials, as issued. */
export function issued(sandbox: RunningSandbox): { username: string; password: string; apikey: string; oauthtoken: string } {
  const { username, password, apiKey } = sandbox.credentials;
  return { username, password, apikey: apiKey, oauthtoken: '' };
}

/** `{"trackerrms": {"<op>": {credentials, ...rest}}}` with the issued credentials unless others are given. */
export function envelope(sandbox: RunningSandbox, op: string, rest: Record<string, unknown> = {}, credentials: unknown = issued(sandbox)): unknown {
  return { trackerrms: { [op]: { credentials, ...rest } } };
}

/** One `it` per case, each against its own sandbox (no case sees another's writes). */
export function conformance(title: string, cases: ConformanceCase[]): void {
  describe(title, () => {
    for (const testCase of cases) {
      it(testCase.name, async () => {
        const sandbox = await startSandbox({ port: 0 });
        try {
          const answer = await testCase.send(sandbox);
          if (testCase.expect.http !== undefined) expect(answer.http, JSON.stringify(answer.body)).toBe(testCase.expect.http);
          if (testCase.expect.body) expect(answer.body).toMatchObject(testCase.expect.body);
          await testCase.check?.(answer, sandbox);
        } finally {
          await sandbox.close();
        }
      });
    }
  });
}
