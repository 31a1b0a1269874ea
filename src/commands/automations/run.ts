import { Command, defineCommand, examples } from '../../cli/command.js';
import { InputError, PartialFailureError } from '../../errors.js';

const command = () =>
  new Command('run')
    .description("Run Apriora's Tracker automations from here: interviews for new jobs, invitations for new applicants")
    .option('--once', 'one cycle, then exit (for cron)')
    .option('--watch', 'a cycle every --interval until Ctrl-C or SIGTERM')
    .option('--interval <duration>', 'with --watch: time between cycles (e.g. 5m)', '5m')
    .option('--full-scan-every <duration>', 'read every applicant row again this often, for status changes (e.g. 1h)', '1h')
    .addHelpText(
      'after',
      `${examples('apriora automations run --once', 'apriora automations run --watch --interval 5m --full-scan-every 1h', 'apriora automations run --watch --json   # one JSON line per action')}
One runner per profile; safe to stop or kill at any time. How to run it from cron, systemd or Kubernetes: apriora help automations
`,
    );

/**
 * `apriora automations run`: the invitations and interview creation that Apriora's automations would do, done by
 * this tool (src/workflows/automation-runner.ts). Exit 0; 3 when items failed (--once); 2 when another runner holds
 * the profile.
 */
export default defineCommand(command, async (options, ctx) => {
  if (Boolean(options.once) === Boolean(options.watch)) {
    throw new InputError(options.once ? '--once and --watch cannot be used together' : 'Give --once (one cycle) or --watch (a cycle every --interval)', {
      hint: 'apriora automations run --once   |   apriora automations run --watch --interval 5m',
    });
  }
  const [{ parseDuration }, { dataDir }, state, { acquireRunnerLock }, { runCycle }, { runnerOutput }, { DEFAULT_ACTIVITY_TYPE }, { defaultCountry }] =
    await Promise.all([
      import('../../cli/dates.js'),
      import('../../store/paths.js'),
      import('../../store/automation-state.js'),
      import('../../store/runner-lock.js'),
      import('../../workflows/automation-runner.js'),
      import('../../cli/automation-output.js'),
      import('../../apriora/partner.js'),
      import('../../workflows/connections.js'),
    ]);
  const intervalMs = parseDuration(options.interval, '--interval');
  const fullScanEveryMs = parseDuration(options.fullScanEvery, '--full-scan-every');
  if (options.once && options.interval !== '5m') ctx.warn('--interval goes with --watch: ignored');

  const tracker = await ctx.factory.tracker();
  const apriora = await ctx.factory.apriora();
  const rest = await ctx.factory.trackerRest();
  const writeLock = await ctx.factory.writeLocks();
  const output = runnerOutput(ctx);
  const stateFile = state.automationStatePath(dataDir(ctx.env), ctx.profileName);

  // The lock could not be kept fresh (the process stalled): another runner may take over, so this one stops.
  const compromised = new AbortController();
  const lock = await acquireRunnerLock(stateFile, {
    profile: ctx.profileName,
    onCompromised: (error) => {
      output.warn(`The runner lost its lock (${error.message}): stopping`);
      compromised.abort('lock_compromised');
    },
  });
  const signal = AbortSignal.any([ctx.signal, compromised.signal]);
  const onStop = () => output.stopping(String(ctx.signal.reason ?? 'SIGINT'));
  ctx.signal.addEventListener('abort', onStop, { once: true });
  try {
    let current = state.loadAutomationState(stateFile, (message) => output.warn(message));
    const save = (next: typeof current) => state.writeAutomationState(stateFile, next);
    output.started({ profile: ctx.profileName, mode: options.once ? 'once' : 'watch', intervalMs, fullScanEveryMs });
    const deps = {
      tracker: tracker.client,
      apriora: apriora.client,
      rest,
      writeLock,
      country: defaultCountry(tracker.profile, tracker.target),
      activityType: tracker.profile?.tracker?.activityType ?? DEFAULT_ACTIVITY_TYPE,
      signal,
    };
    let warnedAprioraRuns = false;
    const cycles = [];
    let failed = 0;
    for (;;) {
      const result = await runCycle(deps, current, { fullScanEveryMs }, (event) => output.event(event), save);
      if (!warnedAprioraRuns && (result.automations.invites.enabled || result.automations.interviewCreation.enabled)) {
        warnedAprioraRuns = true;
        output.warn(
          "Apriora runs these automations on its side too, since they are enabled in its Tracker integration: both would invite, and Apriora's already_invited keeps it to one invitation per candidate and interview",
        );
      }
      current = result.state;
      failed += result.summary.failed;
      const nextRunAt = options.watch && !signal.aborted ? new Date(Date.now() + intervalMs).toISOString() : null;
      current.nextRunAt = nextRunAt;
      save(current);
      output.cycle(result.summary, nextRunAt);
      cycles.push(result.summary);
      if (options.once || signal.aborted) break;
      await sleep(intervalMs, signal);
      if (signal.aborted) break;
    }
    if (current.nextRunAt !== null) {
      // Stopped while waiting for the next cycle: no next run to show in `automations status`.
      current.nextRunAt = null;
      save(current);
    }
    const data = { stateFile, cycles: cycles.length, last: cycles.at(-1) ?? null };
    if (options.once && failed > 0) {
      return { data, printed: true, error: new PartialFailureError(`${failed} item${failed === 1 ? '' : 's'} of the cycle failed (see the log above)`) };
    }
    return { data, printed: true };
  } finally {
    ctx.signal.removeEventListener('abort', onStop);
    await lock.release();
  }
});

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
