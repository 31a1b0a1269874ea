import { createHmac } from 'node:crypto';

/** The header Apriora signs its webhook deliveries in (HTTP header names are case-insensitive). */
export const APRIORA_SIGNATURE_HEADER = 'apriora-signature';

/**
 * The `Apriora-Signature` value for a delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`,
 * over the exact bytes that are sent.
 */
export function signAprioraWebhook(secret: string, rawBody: string | Uint8Array, timestampSeconds: number): string {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  const signedPayload = Buffer.concat([Buffer.from(`${timestampSeconds}.`, 'utf8'), body]);
  const digest = createHmac('sha256', secret).update(signedPayload).digest('hex');
  return `t=${timestampSeconds},v1=${digest}`;
}
