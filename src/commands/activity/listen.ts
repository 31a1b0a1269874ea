import { Command, defineCommand, examples, nonNegativeInt, positiveInt } from '../../cli/command.js';
import type { Colors } from '../../cli/output.js';
import { InputError } from '../../errors.js';
import type { ListenEvent } from '../../workflows/webhook-listener.js';

const command = () =>
  new Command('listen')
    .description('Receive Apriora session.completed webhooks and push each result into Tracker as it arrives')
    .option('--port <n>', 'port to listen on', nonNegativeInt, 8787)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--path <path>', 'URL path of the webhook', '/webhooks/apriora')
    .option('--secret-stdin', 'read the webhook signing secret from standard input (else APRIORA_WEBHOOK_SECRET)')
    .option('--insecure-no-verify', 'accept unsigned deliveries (local testing only)')
    .option('--concurrency <n>', 'deliveries pushed at once', positiveInt, 4)
    .addHelpText(
      'after',
      examples('APRIORA_WEBHOOK_SECRET=… apriora activity listen --port 8787', 'apriora activity listen --json   # one JSON line per event'),
    );

/**
 * `apriora activity listen`: receives Apriora's signed webhooks and pushes each completed interview into Tracker.
 * Runs until Ctrl-C or SIGTERM, then stops accepting, finishes what was acknowledged, and exits 0.
 */
export default defineCommand(command, async (options, ctx) => {
  const { readStdinLines } = await import('../../cli/stdin.js');
  const path = options.path.startsWith('/') ? options.path : `/${options.path}`;
  const stdinSecret = options.secretStdin ? (await readStdinLines(ctx.stdin, 1, ['--secret-stdin']))[0] : undefined;

  const [{ dataDir }, { DEFAULT_ACTIVITY_TYPE, requireFieldMap }, { pushReport }, { journalPath }, { WebhookListener }] = await Promise.all([
    import('../../store/paths.js'),
    import('../../workflows/field-map.js'),
    import('../../workflows/push-activity.js'),
    import('../../workflows/webhook-journal.js'),
    import('../../workflows/webhook-listener.js'),
  ]);
  const tracker = await ctx.factory.tracker();
  const apriora = await ctx.factory.apriora();
  const { resolveSecret } = await import('../../store/credentials.js');
  const secret =
    options.insecureNoVerify && stdinSecret === undefined && !ctx.env.APRIORA_WEBHOOK_SECRET
      ? undefined
      : await resolveSecret('apriora.webhookSecret', {
          profile: ctx.profileName,
          stdinValue: stdinSecret,
          env: ctx.env,
          store: await ctx.factory.secrets(),
        });
  if (!secret && !options.insecureNoVerify) {
    throw new InputError('No webhook signing secret: deliveries could not be verified', {
      code: 'missing_value',
      hint: "Set APRIORA_WEBHOOK_SECRET or pipe it in with --secret-stdin (the secret set in Apriora's web app). For local tests only: --insecure-no-verify.",
    });
  }
  const fieldMap = requireFieldMap(tracker.profile?.tracker?.fieldMap, ctx.profileName);

  const errColors = ctx.errColors;
  if (options.insecureNoVerify) {
    const ignored = secret ? ' (the secret given is ignored)' : '';
    ctx.stderr.write(
      `${errColors.red(errColors.bold('WARNING:'))} --insecure-no-verify: webhook signatures are NOT checked${ignored}. Anyone who can reach this port can make the listener push reports. Local testing only.\n`,
    );
  }

  const json = ctx.mode !== 'table';
  const writeLine = (event: ListenEvent) => {
    if (json) {
      const { item, ...rest } = event;
      const line = item
        ? {
            ...rest,
            candidateEmail: item.candidateEmail,
            trackerCandidateId: item.trackerCandidateId,
            candidateCreated: item.candidateCreated,
            jobId: item.jobId,
            subject: item.subject,
            ...(item.error ? { error: item.error } : {}),
          }
        : rest;
      ctx.stdout.write(`${JSON.stringify(line)}\n`);
    } else {
      ctx.stderr.write(`${tableLine(event, errColors)}\n`);
    }
  };

  const deps = { tracker: tracker.client, apriora: apriora.client, fieldMap, activityType: tracker.profile?.tracker?.activityType ?? DEFAULT_ACTIVITY_TYPE };
  const listener = new WebhookListener({
    host: options.host,
    port: options.port,
    path,
    secret: options.insecureNoVerify ? null : secret!.value,
    concurrency: options.concurrency,
    journalPath: journalPath(dataDir(ctx.env), ctx.profileName),
    push: (reportId) => pushReport(deps, reportId, { dryRun: false }),
    onEvent: writeLine,
    warn: (message) => {
      if (json) ctx.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), warning: message })}\n`);
      else ctx.stderr.write(`${errColors.yellow('Warning:')} ${message}\n`);
    },
  });

  // The first Ctrl-C or SIGTERM aborts ctx.signal (its reason is the signal's name); a second one exits at once.
  const stopRequested = new Promise<string>((resolve) => {
    if (ctx.signal.aborted) resolve(String(ctx.signal.reason));
    else ctx.signal.addEventListener('abort', () => resolve(String(ctx.signal.reason)), { once: true });
  });

  const { url } = await listener.start();
  if (json) ctx.stdout.write(`${JSON.stringify({ listening: url })}\n`);
  else {
    ctx.stderr.write(
      `Listening on ${errColors.bold(url)} (profile "${ctx.profileName}", ${options.insecureNoVerify ? 'signatures NOT verified' : 'signed deliveries only'}). Press Ctrl-C to stop.\n`,
    );
    ctx.stderr.write(`${errColors.dim(['time    ', 'event            ', 'report        ', 'status    ', 'detail'].join('  '))}\n`);
  }
  const why = await stopRequested;
  const waiting = listener.pending;
  if (json) ctx.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), stopping: why, pending: waiting })}\n`);
  else
    ctx.stderr.write(
      `${why}: no longer accepting deliveries; finishing ${waiting} push${waiting === 1 ? '' : 'es'} (${why === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again quits at once; the journal keeps the rest for the next start)\n`,
    );
  const summary = await listener.stop();
  if (json) ctx.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), stopped: true, summary })}\n`);
  else {
    ctx.stderr.write(
      `Stopped. ${summary.accepted} accepted, ${summary.duplicates} duplicate, ${summary.rejected} rejected, ${summary.ignored} ignored` +
        `${summary.replayed ? `, ${summary.replayed} replayed` : ''}; pushed: ${summary.created} created, ${summary.updated} updated, ${summary.skipped} skipped, ${summary.failed} failed.\n`,
    );
  }
  return { data: { listening: listener.url, summary }, printed: true };
});

function tableLine(event: ListenEvent, colors: Colors): string {
  const time = event.time.slice(11, 19);
  const status = event.status;
  const painted =
    status === 'failed' || status === 'rejected' || status === 'error'
      ? colors.red(status.padEnd(10))
      : status === 'created' || status === 'updated'
        ? colors.green(status.padEnd(10))
        : status === 'retrying' || status === 'busy' || status === 'unavailable'
          ? colors.yellow(status.padEnd(10))
          : status.padEnd(10);
  const detail = [event.http ? `HTTP ${event.http}` : '', event.detail ?? ''].filter(Boolean).join(' ');
  return [time, (event.event ?? '-').padEnd(17), (event.reportId ?? '-').padEnd(14), painted, detail].join('  ');
}
