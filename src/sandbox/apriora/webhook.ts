import type { AprioraCandidate, AprioraReport } from './model.js';
import { APRIORA_SIGNATURE_HEADER, signAprioraWebhook } from './signature.js';

export interface WebhookDelivery {
  url: string;
  ok: boolean;
  /** The receiver's HTTP status; null when it could not be reached. */
  status: number | null;
  error?: string;
}

/** What Apriora POSTs when a report is ready: `session.completed`, signed with the shared secret. */
export function completedEvent(candidate: AprioraCandidate, report: AprioraReport) {
  return {
    event: 'session.completed' as const,
    data: {
      candidateId: candidate.candidateId,
      candidateEmail: candidate.email,
      reportId: report.reportId,
      positionId: report.positionId,
      time: report.timeCompleted,
    },
  };
}

export async function deliverWebhook(url: string, secret: string, payload: unknown, nowSeconds: number): Promise<WebhookDelivery> {
  const body = JSON.stringify(payload);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [APRIORA_SIGNATURE_HEADER]: signAprioraWebhook(secret, body, nowSeconds) },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    return { url, ok: response.ok, status: response.status };
  } catch (error) {
    return { url, ok: false, status: null, error: error instanceof Error ? error.message : String(error) };
  }
}
