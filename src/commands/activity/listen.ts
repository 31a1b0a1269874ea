import { Command, concurrency, defineCommand, examples, maxPending, port, urlPath } from '../../cli/command.js';
import { InputError } from '../../errors.js';

const command = () =>
  new Command('listen')
    .description('Receive Apriora session.completed webhooks and push each result into Tracker as it arrives')
    .option('--port <n>', 'port to listen on (0 picks a free one)', port, 8787)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--path <path>', 'URL path of the webhook, starting with "/"', urlPath, '/webhooks/apriora')
    .option('--secret-stdin', 'read the webhook signing secret from standard input (else APRIORA_WEBHOOK_SECRET)')
    .option('--insecure-no-verify', 'accept unsigned deliveries (local testing only)')
    .option('--concurrency <n>', 'deliveries pushed at once (1-32)', concurrency, 4)
    .option(
      '--max-pending <n>',
      "deliveries waiting to be pushed before more are answered 503 (default: what Tracker's rate limit drains in ~10 min)",
      maxPending,
    )
    .addHelpText(
      'after',
      "\nPending deliveries: at most what Tracker's rate limit (the profile's\n" +
        'tracker.rateLimitPerMinute, 90 a minute unless set) pushes in about 10 minutes\n' +
        'at ~1.3 Tracker requests a delivery: 692 at 90 a minute, never fewer than 100\n' +
        'nor more than 10,000 (--max-pending sets another cap). Beyond it a delivery is\n' +
        'answered 503 with Retry-After, and Apriora sends it again later. The start line\n' +
        'states the cap and the drain time it stands for.\n' +
        examples(
          'APRIORA_WEBHOOK_SECRET=… apriora activity listen --port 8787',
          'apriora activity listen --json   # one JSON line per event',
          'apriora activity listen --max-pending 2000',
        ),
    );

/**
 * `apriora activity listen`: receives Apriora's signed webhooks and pushes each completed interview into Tracker.
 * Runs until Ctrl-C or SIGTERM, then stops accepting, finishes what was acknowledged, and exits 0.
 */
export default defineCommand(command, async (options, ctx) => {
  const { readStdinLines } = await import('../../cli/stdin.js');
  const stdinSecret = options.secretStdin ? (await readStdinLines(ctx.stdin, 1, ['--secret-stdin'], ctx.signal))[0] : undefined;

  const [
    { dataDir },
    { DEFAULT_ACTIVITY_TYPE, requireFieldMap, resolveFieldTypes },
    { pushReport, PushSession },
    { isTransientFailure },
    { journalPath, pendingCap, WebhookListener },
    { listenOutput },
    { PositionCache },
    { DEFAULT_TRACKER_RATE_LIMIT },
  ] = await Promise.all([
    import('../../store/paths.js'),
    import('../../workflows/field-map.js'),
    import('../../workflows/push-activity.js'),
    import('../../workflows/failures.js'),
    import('../../webhooks/index.js'),
    import('../../cli/listen-output.js'),
    import('../../workflows/positions.js'),
    import('../../tracker/hosts.js'),
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

  const output = listenOutput(ctx);
  if (options.insecureNoVerify) output.insecure(Boolean(secret));

  // One cache for every delivery: a position is read once per listener (again after a while, or after a failed push).
  const positions = new PositionCache();
  // One writer per report and per new candidate among this profile's processes (a push running meanwhile).
  const writeLock = await ctx.factory.writeLocks();
  const deps = {
    positions,
    tracker: tracker.client,
    apriora: apriora.client,
    fieldMap,
    fieldTypes: await resolveFieldTypes(tracker.client, fieldMap, tracker.profile?.tracker?.fieldTypes, ctx.signal),
    activityType: tracker.profile?.tracker?.activityType ?? DEFAULT_ACTIVITY_TYPE,
    writeLock,
    // Every delivery shares one session: Tracker's index, and read-backs made together. No stop signal: what was
    // acknowledged is pushed to the end.
    session: new PushSession({
      tracker: tracker.client,
      apriora: apriora.client,
      writeLock,
      concurrency: options.concurrency,
      indexWaitMs: 5_000,
      detach: true,
    }),
  };
  const pending = pendingCap(tracker.profile?.tracker?.rateLimitPerMinute ?? DEFAULT_TRACKER_RATE_LIMIT, options.maxPending);
  const listener = new WebhookListener({
    host: options.host,
    port: options.port,
    path: options.path,
    secret: options.insecureNoVerify ? null : secret!.value,
    concurrency: options.concurrency,
    journalPath: journalPath(dataDir(ctx.env), ctx.profileName),
    maxPending: pending.maxPending,
    // A push waiting for the read-back it shares with others gives its place to the next delivery.
    push: async ({ reportId, candidateId, candidateEmail, positionId }, slot) => {
      const position = positionId === undefined ? undefined : positions.settled(positionId);
      // Apriora's signed word on its own candidate; an unsigned delivery (--insecure-no-verify) is not taken at its word.
      const candidateHint = candidateId && candidateEmail && !options.insecureNoVerify ? { candidateId, email: candidateEmail } : undefined;
      const item = await pushReport(deps, reportId, { dryRun: false, candidateHint, position }, slot);
      if (item.status === 'failed' && positionId !== undefined) positions.delete(positionId);
      return item;
    },
    isTransient: isTransientFailure,
    onEvent: (event) => output.event(event),
    warn: (message) => output.warn(message),
  });

  // The first Ctrl-C or SIGTERM aborts ctx.signal (its reason is the signal's name); a second one exits at once.
  const { untilAborted } = await import('../../lib/abort.js');
  const stopRequested = untilAborted(ctx.signal);

  const { url } = await listener.start();
  output.listening(url, { profile: ctx.profileName, verified: !options.insecureNoVerify, pending });
  const why = await stopRequested;
  output.stopping(why, listener.pending);
  const summary = await listener.stop();
  output.stopped(summary);
  return { data: { listening: listener.url, summary }, printed: true };
});
