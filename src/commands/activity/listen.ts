import { connectApriora, connectTracker, openSecrets, storeKindFor } from '../../cli/factory.js';
import type { Context } from '../../cli/context.js';
import { colorsFor } from '../../cli/output.js';
import type { ActivityListenOptions } from '../../cli/program.js';
import type { CommandResult } from '../../cli/run.js';
import { readStdinLines } from '../../cli/stdin.js';
import { InputError } from '../../errors.js';
import { dataDir } from '../../store/paths.js';
import { DEFAULT_ACTIVITY_TYPE } from '../../workflows/field-map.js';
import { pushReport } from '../../workflows/push-activity.js';
import { journalPath } from '../../workflows/webhook-journal.js';
import { WebhookListener, type ListenEvent } from '../../workflows/webhook-listener.js';

/**
 * `apriora activity listen`: receives Apriora's signed webhooks and pushes each completed interview into Tracker.
 * Runs until Ctrl-C or SIGTERM, then stops accepting, finishes what was acknowledged, and exits 0.
 */
export default async function listen(options: ActivityListenOptions, ctx: Context): Promise<CommandResult> {
  const path = options.path.startsWith('/') ? options.path : `/${options.path}`;
  const stdinSecret = options.secretStdin ? (await readStdinLines(ctx.stdin, 1, ['--secret-stdin']))[0] : undefined;

  const tracker = await connectTracker(ctx);
  const apriora = await connectApriora(ctx, tracker);
  const { resolveSecret } = await import('../../store/credentials.js');
  const secret = options.insecureNoVerify && stdinSecret === undefined && !ctx.env.APRIORA_WEBHOOK_SECRET
    ? undefined
    : await resolveSecret('apriora.webhookSecret', {
      profile: ctx.profileName,
      stdinValue: stdinSecret,
      env: ctx.env,
      store: await openSecrets(ctx, storeKindFor(ctx, tracker.profile)),
    });
  if (!secret && !options.insecureNoVerify) {
    throw new InputError('No webhook signing secret: deliveries could not be verified', {
      code: 'missing_value',
      hint: "Set APRIORA_WEBHOOK_SECRET or pipe it in with --secret-stdin (the secret set in Apriora's web app). For local tests only: --insecure-no-verify.",
    });
  }
  const fieldMap = tracker.profile?.tracker?.fieldMap;
  if (!fieldMap) {
    throw new InputError(`Profile "${ctx.profileName}" has no map of the "Apriora Interview" activity fields`, {
      code: 'field_map_missing',
      hint: `apriora tracker fields map${ctx.profileName === 'default' ? '' : ` --profile ${ctx.profileName}`} (add --auto to pick the fields by name)`,
    });
  }

  const errColors = ctx.errColors;
  if (options.insecureNoVerify) {
    const ignored = secret ? ' (the secret given is ignored)' : '';
    ctx.stderr.write(`${errColors.red(errColors.bold('WARNING:'))} --insecure-no-verify: webhook signatures are NOT checked${ignored}. Anyone who can reach this port can make the listener push reports. Local testing only.\n`);
  }

  const json = ctx.mode !== 'table';
  const writeLine = (event: ListenEvent) => {
    if (json) {
      const { item, ...rest } = event;
      const line = item
        ? { ...rest, candidateEmail: item.candidateEmail, trackerCandidateId: item.trackerCandidateId, candidateCreated: item.candidateCreated, jobId: item.jobId, subject: item.subject, ...(item.error ? { error: item.error } : {}) }
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

  // Shut down on the first Ctrl-C (ctx.signal; a second one exits at once in main.ts) or SIGTERM (a second exits).
  let stopping = false;
  let requestStop!: (why: string) => void;
  const stopRequested = new Promise<string>((resolve) => { requestStop = resolve; });
  const onAbort = () => requestStop('SIGINT');
  const onTerm = () => {
    if (stopping) process.exit(143);
    requestStop('SIGTERM');
  };
  if (ctx.signal.aborted) onAbort();
  else ctx.signal.addEventListener('abort', onAbort, { once: true });
  process.on('SIGTERM', onTerm);

  let summary;
  try {
    const { url } = await listener.start();
    if (json) ctx.stdout.write(`${JSON.stringify({ listening: url })}\n`);
    else {
      ctx.stderr.write(`Listening on ${errColors.bold(url)} (profile "${ctx.profileName}", ${options.insecureNoVerify ? 'signatures NOT verified' : 'signed deliveries only'}). Press Ctrl-C to stop.\n`);
      ctx.stderr.write(`${errColors.dim(['time    ', 'event            ', 'report        ', 'status    ', 'detail'].join('  '))}\n`);
    }
    const why = await stopRequested;
    stopping = true;
    const waiting = listener.pending;
    if (json) ctx.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), stopping: why, pending: waiting })}\n`);
    else ctx.stderr.write(`${why}: no longer accepting deliveries; finishing ${waiting} push${waiting === 1 ? '' : 'es'} (${why === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again quits at once; the journal keeps the rest for the next start)\n`);
    summary = await listener.stop();
  } finally {
    process.off('SIGTERM', onTerm);
    ctx.signal.removeEventListener('abort', onAbort);
  }
  if (json) ctx.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), stopped: true, summary })}\n`);
  else {
    ctx.stderr.write(`Stopped. ${summary.accepted} accepted, ${summary.duplicates} duplicate, ${summary.rejected} rejected, ${summary.ignored} ignored`
      + `${summary.replayed ? `, ${summary.replayed} replayed` : ''}; pushed: ${summary.created} created, ${summary.updated} updated, ${summary.skipped} skipped, ${summary.failed} failed.\n`);
  }
  return { data: { listening: listener.url, summary }, printed: true };
}

function tableLine(event: ListenEvent, colors: ReturnType<typeof colorsFor>): string {
  const time = event.time.slice(11, 19);
  const status = event.status;
  const painted = status === 'failed' || status === 'rejected' || status === 'error' ? colors.red(status.padEnd(10))
    : status === 'created' || status === 'updated' ? colors.green(status.padEnd(10))
      : status === 'retrying' || status === 'busy' || status === 'unavailable' ? colors.yellow(status.padEnd(10))
        : status.padEnd(10);
  const detail = [event.http ? `HTTP ${event.http}` : '', event.detail ?? ''].filter(Boolean).join(' ');
  return [time, (event.event ?? '-').padEnd(17), (event.reportId ?? '-').padEnd(14), painted, detail].join('  ');
}
