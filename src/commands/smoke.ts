import { Command, defineCommand, examples, MAX_TIMEOUT_SECONDS, timeoutSeconds } from '../cli/command.js';
import type { Context } from '../cli/context.js';
import { type AppError, InputError, InterruptedError } from '../errors.js';

/** The run's time budget when --timeout is not given, in seconds. */
const DEFAULT_TIMEOUT_SECONDS = 120;

const command = () =>
  new Command('smoke')
    .description('A write round trip for CI against a Tracker sandbox: doctor, the interview of a job, a smoke activity read back')
    .option('--job <id>', 'Tracker job whose interview is created or found (default: APRIORA_SMOKE_JOB)')
    .option('--candidate <id>', 'Tracker test candidate (resource id) the smoke activity is written on (default: APRIORA_SMOKE_CANDIDATE)')
    .option('--allow-production', 'run on a profile not marked as a sandbox (writes one smoke activity to that database)')
    .option(
      '--timeout <seconds>',
      `time budget of the whole run, every request included, 1 to ${MAX_TIMEOUT_SECONDS} (default ${DEFAULT_TIMEOUT_SECONDS})`,
      timeoutSeconds,
    )
    .addHelpText(
      'after',
      `
Steps, in order; the first that fails ends the run (the rest are reported "skip"):
  doctor      every check of \`apriora doctor\`
  sandbox     the profile is marked as a sandbox (\`apriora tracker login --sandbox\`),
              or --allow-production is given
  candidate   the test candidate exists in Tracker (read before anything is written)
  interview   the Apriora interview of the job, created or found (as \`interview generate\`)
  write       an activity of the profile's activity type on the candidate, with the four
              mapped fields
  read-back   the activity read back: type, link and each field compared with what was sent
  mark        subject "Apriora smoke check <run id> — passed [apriora smoke]", Completed

The activity carries "[apriora smoke]" and the run id, never an "[apriora:…]" marker:
\`activity push\` never takes it for an interview result. Each run writes one new activity;
the interview is found again, never doubled.

Exit codes:
  0    every step passed
  2    refused or missing input: a profile not marked as a sandbox (nothing written), no
       job or candidate, one Tracker does not have, no field map; or a failed doctor
       check's code
  4    credentials missing or refused (the doctor check's code)
  5    a step failed remotely, a read-back mismatch (smoke_mismatch), or the time budget
       ran out (smoke_timeout)
` +
        examples(
          'apriora smoke --job 3101 --candidate 5001',
          'APRIORA_SMOKE_JOB=3101 APRIORA_SMOKE_CANDIDATE=5001 apriora smoke --json --timeout 60',
          'apriora help ci',
        ),
    );

export default defineCommand(command, async (options, ctx) => {
  const [{ runDoctor, doctorFailure, renderDoctor }, smoke] = await Promise.all([import('../cli/doctor-run.js'), import('../workflows/smoke.js')]);
  // What the run needs is checked before anything is asked of Tracker or Apriora.
  const jobId = requiredId(ctx, options.job, '--job', 'APRIORA_SMOKE_JOB', 'Which Tracker job does the smoke run use?');
  const candidateId = requiredId(ctx, options.candidate, '--candidate', 'APRIORA_SMOKE_CANDIDATE', 'Which Tracker test candidate does the smoke run write on?');
  const budgetSeconds = options.timeout ?? DEFAULT_TIMEOUT_SECONDS;
  const runId = smoke.smokeRunId();
  const started = performance.now();
  const budget = new smoke.SmokeBudget(budgetSeconds, ctx.signal);
  const steps = new smoke.SmokeSteps(budget);
  const data = {
    profile: ctx.profileName,
    runId,
    ok: false,
    sandbox: false,
    allowProduction: Boolean(options.allowProduction),
    jobId,
    candidateId,
    timeoutSeconds: budgetSeconds,
    elapsedMs: 0,
    steps: steps.steps,
    doctor: null as Awaited<ReturnType<typeof runDoctor>> | null,
    interview: null as Awaited<ReturnType<typeof smoke.smokeInterview>> | null,
    activity: null as import('../workflows/smoke.js').SmokeActivity | null,
  };
  let error: AppError | undefined;
  /** Set once the activity may exist: an interrupted run then names it. */
  let findActivity: (() => Promise<number | undefined>) | undefined;
  try {
    // The profile's mark is reported whichever step fails, the doctor's included.
    data.sandbox = Boolean((await ctx.factory.profile())?.sandbox);
    await steps.run('doctor', async () => {
      const report = await runDoctor(ctx, { signal: budget.signal });
      data.doctor = report;
      const failed = doctorFailure(report);
      if (failed) throw failed;
      const { ok, warn, skip } = report.summary;
      return { value: report, detail: `${ok} ok, ${warn} warn, ${skip} skip` };
    });
    const { factory } = ctx;
    await steps.run('sandbox', async () => {
      if (data.sandbox) return { value: undefined, detail: `profile "${ctx.profileName}" is marked as a sandbox` };
      if (options.allowProduction) return { value: undefined, detail: `profile "${ctx.profileName}" is not a sandbox: --allow-production given` };
      throw new InputError(`Profile "${ctx.profileName}" is not marked as a sandbox: the smoke run writes an activity, so it stops here; nothing was written`, {
        code: 'not_a_sandbox',
        hint: `Mark the profile: apriora tracker login --sandbox${ctx.profileName === 'default' ? '' : ` --profile ${ctx.profileName}`} (in CI: see \`apriora help ci\`), or pass --allow-production to write to this database anyway.`,
      });
    });

    const [{ DEFAULT_ACTIVITY_TYPE, requireFieldMap, resolveFieldTypes }] = await Promise.all([import('../workflows/field-map.js')]);
    const tracker = await factory.tracker();
    const apriora = await factory.apriora();
    const fieldMap = requireFieldMap(tracker.profile?.tracker?.fieldMap, ctx.profileName);
    const fieldTypes = await budget.race(resolveFieldTypes(tracker.client, fieldMap, tracker.profile?.tracker?.fieldTypes, budget.signal));
    const deps = {
      tracker: tracker.client,
      apriora: apriora.client,
      fieldMap,
      fieldTypes,
      activityType: tracker.profile?.tracker?.activityType ?? DEFAULT_ACTIVITY_TYPE,
      modality: tracker.profile?.apriora?.defaultModality ?? 'phone',
      signal: budget.signal,
    };

    await steps.run('candidate', async () => {
      const name = await smoke.smokeCandidate(deps, candidateId);
      return { value: name, detail: `candidate ${candidateId}${name ? ` (${name})` : ''}` };
    });
    const interview = await steps.run('interview', async () => {
      const found = await smoke.smokeInterview(deps, jobId);
      data.interview = found;
      return { value: found, detail: `job ${jobId}: interview ${found.positionId} ${found.status === 'created' ? 'created' : 'found'}` };
    });
    const content = smoke.smokeActivityContent(deps, runId, interview, candidateId);
    data.activity = { id: null, type: deps.activityType, subject: content.activity.subject, linkRecordType: 'R', linkRecordId: candidateId, fields: [] };
    findActivity = () => smoke.findSmokeActivityId(deps.tracker, runId);
    await steps.run('write', async () => {
      await smoke.writeSmokeActivity(deps, runId, content);
      return { value: undefined, detail: `"${deps.activityType}" activity on candidate ${candidateId}, run ${runId}` };
    });
    const { activity } = await steps.run('read-back', async () => {
      try {
        const read = await smoke.readBackSmokeActivity(deps, runId, content);
        data.activity = read.activity;
        return { value: read, detail: `activity ${read.activity.id}: type, link and ${read.activity.fields.length} fields as sent` };
      } catch (failure) {
        const details = (failure as AppError).details as { activity?: typeof data.activity } | undefined;
        if (details?.activity) data.activity = details.activity;
        throw failure;
      }
    });
    await steps.run('mark', async () => {
      const subject = await smoke.markSmokeActivity(deps, runId, activity.id!);
      data.activity = { ...activity, subject };
      return { value: undefined, detail: `activity ${activity.id}: "${subject}"` };
    });
    data.ok = true;
  } catch (failure) {
    if (ctx.signal.aborted) {
      if (findActivity && data.activity && data.activity.id === null) data.activity.id = (await findActivity()) ?? null;
      error = interrupted(smoke.stopDescription(ctx.signal.reason), runId, data.activity, findActivity !== undefined);
    } else {
      error = smoke.stepError(failure);
    }
    steps.skipRest('not run: an earlier step failed');
  } finally {
    budget.dispose();
    data.elapsedMs = Math.round(performance.now() - started);
  }
  return {
    data,
    error,
    render: () => {
      const { green, red, dim, bold } = ctx.out.colors;
      const marks = { ok: green('✓'), fail: red('✗'), skip: dim('-') };
      if (data.doctor && doctorFailure(data.doctor)) renderDoctor(ctx.out, data.doctor);
      for (const step of data.steps) {
        ctx.out.line(
          `${marks[step.status]} ${step.title.padEnd(38)} ${step.status === 'skip' ? dim(step.detail) : `${step.detail} ${dim(`(${step.elapsedMs} ms)`)}`}`,
        );
      }
      ctx.out.line();
      ctx.out.line(
        data.ok
          ? bold(`Smoke run ${runId} passed in ${(data.elapsedMs / 1000).toFixed(1)} s (activity ${data.activity?.id})`)
          : bold(`Smoke run ${runId} failed after ${(data.elapsedMs / 1000).toFixed(1)} s`),
      );
    },
  };
});

/** The interruption in words, naming the activity the run wrote (by id when it was read back, else by its run id). */
function interrupted(how: string, runId: string, activity: { id: number | null } | null, written: boolean): InterruptedError {
  const left = !written ? '' : activity?.id ? `; its activity ${activity.id} stays in Tracker` : `; its activity (subject with ${runId}) may be in Tracker`;
  return new InterruptedError(`The smoke run was ${how}${left}`);
}

/** A Tracker id from the flag, else the environment; missing or not a whole number is exit 2 naming both. */
function requiredId(ctx: Context, flag: string | undefined, flagName: string, envName: string, question: string): number {
  const raw = flag ?? (ctx.env[envName]?.trim() || undefined);
  if (raw === undefined) {
    throw new InputError(question, { code: 'missing_value', hint: `Pass ${flagName} ID or set ${envName}.` });
  }
  if (!/^\d+$/.test(raw.trim()) || Number(raw) <= 0 || !Number.isSafeInteger(Number(raw))) {
    throw new InputError(`${flag === undefined ? envName : flagName} must be a Tracker record id (a whole number), not "${raw}"`, {
      code: 'invalid_id',
      hint: `Pass ${flagName} ID or set ${envName}.`,
    });
  }
  return Number(raw.trim());
}
