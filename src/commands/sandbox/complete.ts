import { Command, defineCommand, examples } from '../../cli/command.js';
import { LOCAL_SANDBOX_URL } from '../../cli/local-sandbox.js';
import { InputError, RemoteError } from '../../errors.js';

const command = () =>
  new Command('complete')
    .description('Simulate a candidate completing an interview in a running sandbox (creates the report)')
    .requiredOption('--position <id>', 'Apriora position id')
    .requiredOption('--email <email>', "the candidate's e-mail")
    .option('--first-name <name>', "the candidate's first name")
    .option('--last-name <name>', "the candidate's last name")
    .option('--sandbox-url <url>', `the running sandbox (default: the profile's, when it is a sandbox profile, else ${LOCAL_SANDBOX_URL})`)
    .option('--webhook-url <url>', 'also deliver the signed session.completed webhook to this URL')
    .addHelpText(
      'after',
      examples(
        'apriora sandbox complete --position pos_1 --email ada@example.com',
        'APRIORA_WEBHOOK_SECRET=s3cret apriora sandbox complete --position pos_1 --email ada@example.com --webhook-url http://127.0.0.1:8787/webhooks/apriora',
      ),
    );

interface Completed {
  candidate: { candidateId: string; email: string; firstName: string; lastName: string };
  report: { reportId: string; positionId: string; overallScore: number; timeCompleted: number };
  delivery?: { url: string; ok: boolean; status: number | null; error?: string };
}

/** A candidate completes an interview in a running sandbox; optionally the signed webhook goes out too. */
export default defineCommand(command, async (options, ctx) => {
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(options.email)) throw new InputError(`--email "${options.email}" is not an e-mail address`);
  const [{ parseBaseUrl }, { sandboxAdmin }] = await Promise.all([import('../../tracker/hosts.js'), import('../../cli/sandbox-admin.js')]);
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
  const sandbox = await sandboxAdmin(ctx, options.sandboxUrl, [webhook?.secret]);
  const response = await sandbox.request({
    method: 'POST',
    path: '/__sandbox/apriora/complete',
    json: { positionId: options.position, email: options.email, firstName: options.firstName, lastName: options.lastName, webhook },
    idempotent: false,
    signal: ctx.signal,
  });
  if (response.status !== 201) {
    const message = (response.body as { error?: { message?: string } } | undefined)?.error?.message ?? response.text.slice(0, 300);
    throw response.status === 404
      ? new InputError(message, { hint: 'List positions with `apriora interview list`.' })
      : new RemoteError(`The sandbox answered HTTP ${response.status}: ${message}`);
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
      ctx.out.line(
        `${green('✓')} ${[candidate.firstName, candidate.lastName].filter(Boolean).join(' ') || 'The candidate'} <${candidate.email}> completed position ` +
          `${report.positionId}: report ${report.reportId}, score ${report.overallScore}`,
      );
      if (delivery?.ok) ctx.out.line(`${green('✓')} session.completed delivered to ${delivery.url} (HTTP ${delivery.status})`);
    },
  };
});
