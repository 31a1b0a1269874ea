import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeEach, describe, expect, it } from 'vitest';
import { APRIORA_SIGNATURE_HEADER, signAprioraWebhook } from '../../../src/sandbox/index.js';
import { expectEnvelope, useSandbox } from '../../support/cli.js';

const t = useSandbox();
let positionId: string;

beforeEach(() => {
  positionId = t.sandbox.apriora.createPosition({
    title: 'Registered Nurse',
    description: 'ICU',
    modality: 'phone',
    externalSource: 'tracker',
    externalId: '3101',
  }).positionId;
});

const complete = (...args: string[]) => t.cli.run(['sandbox', 'complete', '--sandbox-url', t.sandbox.url, ...args]);

/** A webhook receiver that answers `status` and keeps what it got. */
async function receiver(status: number) {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/apriora`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('apriora sandbox complete', () => {
  it('a candidate completes the position: the report is in the sandbox, and the envelope shows it', async () => {
    const result = await complete('--position', positionId, '--email', 'ada@example.com', '--first-name', 'Ada', '--last-name', 'Lovelace', '--json');
    expect(result.code, result.stderr).toBe(0);
    const data = expectEnvelope(result, true).data;
    expect(t.sandbox.apriora.reports).toHaveLength(1);
    const report = t.sandbox.apriora.reports[0]!;
    expect(report).toMatchObject({ positionId });
    expect(data).toEqual({
      candidate: expect.objectContaining({ candidateId: expect.any(String), email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' }),
      report: expect.objectContaining({ reportId: report.reportId, positionId, overallScore: report.overallScore, timeCompleted: report.timeCompleted }),
    });
  });

  it('prints one line saying who completed what', async () => {
    const result = await complete('--position', positionId, '--email', 'ada@example.com', '--first-name', 'Ada', '--last-name', 'Lovelace');
    expect(result.code, result.stderr).toBe(0);
    const report = t.sandbox.apriora.reports[0]!;
    expect(result.stdout).toBe(`✓ Ada Lovelace <ada@example.com> completed position ${positionId}: report ${report.reportId}, score ${report.overallScore}\n`);
  });

  it('--webhook-url delivers the signed session.completed event', async () => {
    const hook = await receiver(200);
    try {
      const secret = 'whsec_complete_test';
      const result = await t.cli.run(
        ['sandbox', 'complete', '--sandbox-url', t.sandbox.url, '--position', positionId, '--email', 'bo@example.com', '--webhook-url', hook.url],
        {
          env: { APRIORA_WEBHOOK_SECRET: secret },
        },
      );
      expect(result.code, result.stderr).toBe(0);
      const report = t.sandbox.apriora.reports[0]!;
      expect(result.stdout.split('\n')[1]).toBe(`✓ session.completed delivered to ${hook.url} (HTTP 200)`);
      expect(hook.received).toHaveLength(1);
      const [delivery] = hook.received;
      const event = JSON.parse(delivery!.body);
      expect(event).toEqual({
        event: 'session.completed',
        data: { candidateId: expect.any(String), candidateEmail: 'bo@example.com', reportId: report.reportId, positionId, time: report.timeCompleted },
      });
      const signature = String(delivery!.headers[APRIORA_SIGNATURE_HEADER]);
      const timestamp = Number(/^t=(\d+),/.exec(signature)?.[1]);
      expect(signature).toBe(signAprioraWebhook(secret, delivery!.body, timestamp));
      expect(result.stdout + result.stderr).not.toContain(secret);
    } finally {
      await hook.close();
    }
  });

  it('a webhook the receiver refuses is a warning, not a failure', async () => {
    const hook = await receiver(401);
    try {
      const result = await t.cli.run(
        ['sandbox', 'complete', '--sandbox-url', t.sandbox.url, '--position', positionId, '--email', 'bo@example.com', '--webhook-url', hook.url, '--json'],
        { env: { APRIORA_WEBHOOK_SECRET: 'wrong-secret' } },
      );
      expect(result.code).toBe(0);
      const document = expectEnvelope(result, true);
      expect(document.data.delivery).toEqual({ url: hook.url, ok: false, status: 401 });
      expect(document.warnings).toEqual([`The webhook to ${hook.url} was not accepted: 401`]);
      expect(t.sandbox.apriora.reports).toHaveLength(1);

      const human = await t.cli.run(
        ['sandbox', 'complete', '--sandbox-url', t.sandbox.url, '--position', positionId, '--email', 'cy@example.com', '--webhook-url', hook.url],
        {
          env: { APRIORA_WEBHOOK_SECRET: 'wrong-secret' },
        },
      );
      expect(human.code).toBe(0);
      const report = t.sandbox.apriora.reports.at(-1)!;
      expect(human.stdout.split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^✓ .+ <cy@example\\.com> completed position ${positionId}: report ${report.reportId}, score \\d+$`)),
        '',
      ]);
      expect(human.stderr).toBe(`Warning: The webhook to ${hook.url} was not accepted: 401\n`);
    } finally {
      await hook.close();
    }
  });

  it('an unknown position is exit 2 with the hint to list them; a bad e-mail or no secret for the webhook too', async () => {
    const unknown = await complete('--position', 'pos_404', '--email', 'ada@example.com');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('Error: Position pos_404 not found\nTry: List positions with `apriora interview list`.\n');
    const email = await complete('--position', positionId, '--email', 'ada', '--json');
    expect(email.code).toBe(2);
    expect(expectEnvelope(email, false).error.message).toBe('--email "ada" is not an e-mail address');
    const noSecret = await complete('--position', positionId, '--email', 'ada@example.com', '--webhook-url', 'http://127.0.0.1:9/hook', '--json');
    expect(noSecret.code).toBe(2);
    expect(noSecret.json().error.message).toBe('--webhook-url needs the signing secret in APRIORA_WEBHOOK_SECRET');
    const missing = await complete('--email', 'ada@example.com', '--json');
    expect(missing.code).toBe(2);
    expect(expectEnvelope(missing, false).error).toMatchObject({ code: 'usage_error', message: "required option '--position <id>' not specified" });
    expect(t.sandbox.apriora.reports).toEqual([]);
  });

  it('something that is not the sandbox is exit 5', async () => {
    const teapot = await receiver(418);
    try {
      const result = await t.cli.run([
        'sandbox',
        'complete',
        '--sandbox-url',
        new URL(teapot.url).origin,
        '--position',
        positionId,
        '--email',
        'ada@example.com',
        '--json',
      ]);
      expect(result.code).toBe(5);
      expect(expectEnvelope(result, false).error.message).toMatch(/^The sandbox answered HTTP 418/);
    } finally {
      await teapot.close();
    }
  });

  it('stopped while waiting for a sandbox that is not there: exit 130', async () => {
    const closed = await receiver(200);
    await closed.close();
    const run = t.cli.start(['sandbox', 'complete', '--sandbox-url', new URL(closed.url).origin, '--position', positionId, '--email', 'ada@example.com']);
    run.stdin.end();
    await new Promise((resolve) => setTimeout(resolve, 50));
    run.controller.abort('SIGINT');
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toBe('Error: Interrupted\n');
  });
});
