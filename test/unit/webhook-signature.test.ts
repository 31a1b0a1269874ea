import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from '../../src/apriora/partner.js';
import { APRIORA_SIGNATURE_HEADER, signAprioraWebhook, startSandbox } from '../../src/sandbox/index.js';

/**
 * The sandbox signs webhooks with its own code and the product verifies them with its own: both are checked against
 * a vector derived from the published rule, `t=<t>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, so a mistake on
 * one side cannot be hidden by the same mistake on the other.
 */
const SECRET = 'whsec_test_vector';
const TIMESTAMP = 1_750_000_000;
const BODY = '{"event":"session.completed","data":{"candidateId":"cand_1","reportId":"rep_1"}}';
const DIGEST = 'fb364f7b5f8643907d3af43cdd9d6c498cd7b4f82d2e27f521c1c75a01e581f1';
const HEADER = `t=${TIMESTAMP},v1=${DIGEST}`;

describe('webhook signature test vector', () => {
  it('the vector follows the rule: HMAC-SHA256 over "<t>.<raw body>", hex', () => {
    expect(createHmac('sha256', SECRET).update(`${TIMESTAMP}.${BODY}`, 'utf8').digest('hex')).toBe(DIGEST);
  });

  it('the sandbox signer produces the vector, for text and for bytes', () => {
    expect(signAprioraWebhook(SECRET, BODY, TIMESTAMP)).toBe(HEADER);
    expect(signAprioraWebhook(SECRET, Buffer.from(BODY, 'utf8'), TIMESTAMP)).toBe(HEADER);
  });

  it('the product verifier accepts the vector', () => {
    expect(verifyWebhookSignature({ header: HEADER, rawBody: BODY, secret: SECRET, nowSeconds: TIMESTAMP })).toEqual({ ok: true, timestamp: TIMESTAMP });
    expect(verifyWebhookSignature({ header: HEADER, rawBody: Buffer.from(BODY), secret: SECRET, nowSeconds: TIMESTAMP + 300 })).toEqual({
      ok: true,
      timestamp: TIMESTAMP,
    });
  });

  it('both sides use the same header name', () => {
    expect(APRIORA_SIGNATURE_HEADER.toLowerCase()).toBe('apriora-signature');
    expect(WEBHOOK_SIGNATURE_HEADER.toLowerCase()).toBe(APRIORA_SIGNATURE_HEADER.toLowerCase());
  });

  it('a tampered body, timestamp, signature or secret fails verification', () => {
    const verify = (header: string, rawBody = BODY, secret = SECRET) => verifyWebhookSignature({ header, rawBody, secret, nowSeconds: TIMESTAMP });
    expect(verify(HEADER, BODY.replace('rep_1', 'rep_2'))).toEqual({ ok: false, reason: 'mismatch' });
    expect(verify(HEADER, `${BODY}\n`)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verify(`t=${TIMESTAMP + 1},v1=${DIGEST}`)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verify(`t=0${TIMESTAMP},v1=${DIGEST}`)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verify(`t=${TIMESTAMP},v1=${DIGEST.slice(0, -1)}0`)).toEqual({ ok: false, reason: 'mismatch' });
    expect(verify(HEADER, BODY, 'whsec_other')).toEqual({ ok: false, reason: 'mismatch' });
    expect(signAprioraWebhook(SECRET, BODY, TIMESTAMP + 1)).not.toContain(DIGEST);
    expect(signAprioraWebhook(SECRET, `${BODY} `, TIMESTAMP)).not.toContain(DIGEST);
  });
});

describe('sandbox webhook delivery', () => {
  it('POSTs session.completed with a signature the product verifier accepts', async () => {
    const received: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
    const receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body: Buffer.concat(chunks) });
        response.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const completedAt = new Date(TIMESTAMP * 1000);
    const sandbox = await startSandbox({ port: 0, clock: () => completedAt });
    try {
      const position = sandbox.apriora.createPosition({ title: 'ICU Nurse', description: 'Nights', modality: 'video', externalSource: null, externalId: null });
      const answer = await fetch(`${sandbox.url}/__sandbox/apriora/complete`, {
        method: 'POST',
        body: JSON.stringify({
          positionId: position.positionId,
          email: 'ada@example.com',
          webhook: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`, secret: SECRET },
        }),
      });
      expect(answer.status).toBe(201);
      expect(((await answer.json()) as { delivery: unknown }).delivery).toMatchObject({ ok: true, status: 202 });

      expect(received).toHaveLength(1);
      const [{ headers, body }] = received as [(typeof received)[number]];
      const header = headers[WEBHOOK_SIGNATURE_HEADER];
      expect(header).toMatch(new RegExp(`^t=${TIMESTAMP},v1=[0-9a-f]{64}$`));
      expect(verifyWebhookSignature({ header: header as string, rawBody: body, secret: SECRET, nowSeconds: TIMESTAMP })).toEqual({
        ok: true,
        timestamp: TIMESTAMP,
      });
      expect(JSON.parse(body.toString('utf8'))).toMatchObject({ event: 'session.completed', data: { positionId: position.positionId } });
    } finally {
      await sandbox.close();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
