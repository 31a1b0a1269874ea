import { httpClient } from '../../cli/factory.js';
import type { Context } from '../../cli/context.js';
import type { SandboxCompleteOptions } from '../../cli/program.js';
import type { CommandResult } from '../../cli/run.js';
import { InputError, RemoteError } from '../../errors.js';
import { parseBaseUrl } from '../../tracker/hosts.js';

interface Completed {
  candidate: { candidateId: string; email: string; firstName: string; lastName: string };
  report: { reportId: string; positionId: string; overallScore: number; timeCompleted: number };
  delivery?: { url: string; ok: boolean; status: number | null; error?: string };
}

/** A candidate completes an interview in a running sandbox; optionally the signed webhook goes out too. */
export default async function complete(options: SandboxCompleteOptions, ctx: Context): Promise<CommandResult> {
  const sandboxUrl = parseBaseUrl(options.sandboxUrl, '--sandbox-url');
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(options.email)) throw new InputError(`--email "${options.email}" is not an e-mail address`);
  let webhook: { url: string; secret: string } | undefined;
  if (options.webhookUrl) {
    const secret = ctx.env.APRIORA_WEBHOOK_SECRET;
    if (!secret) {
      throw new InputError('--webhook-url needs the signing secret in APRIORA_WEBHOOK_SECRET', {
        hint: 'Use the same secret as `apriora activity listen`.',
      });
    }
    webhook = { url: parseBaseUrl(options.webhookUrl, '--webhook-url'), secret };
  }
  const http = httpClient(ctx, { baseUrl: sandboxUrl, service: 'Sandbox' });
  http.addSecret(webhook?.secret);
  const response = await http.request({
    method: 'POST',
    path: '/__sandbox/apriora/complete',
    json: { positionId: options.position, email: options.email, firstName: options.firstName, lastName: options.lastName, webhook },
    idempotent: false,
    signal: ctx.signal,
  });
  if (response.status !== 201) {
    const message = (response.body as { error?: { message?: string } } | undefined)?.error?.message ?? response.text.slice(0, 300);
    throw response.status === 404 ? new InputError(message, { hint: 'List positions with `apriora interview list`.' }) : new RemoteError(`The sandbox answered HTTP ${response.status}: ${message}`);
  }
  const completed = response.body as Completed;
  if (completed.delivery && !completed.delivery.ok) {
    ctx.warn(`The webhook to ${completed.delivery.url} was not accepted: ${completed.delivery.status ?? completed.delivery.error}`);
  }
  return {
    data: completed,
    render: () => {
      const { green } = ctx.out.colors;
      const { candidate, report, delivery } = completed;
      ctx.out.line(`${green('✓')} ${[candidate.firstName, candidate.lastName].filter(Boolean).join(' ') || 'The candidate'} <${candidate.email}> completed position ${report.positionId}: report ${report.reportId}, score ${report.overallScore}`);
      if (delivery?.ok) ctx.out.line(`${green('✓')} session.completed delivered to ${delivery.url} (HTTP ${delivery.status})`);
    },
  };
}
