import type { TrackerIntegration } from '../apriora/partner.js';
import { AppError, InputError } from '../errors.js';
import type { CommandResult } from './command.js';
import type { Context } from './context.js';
import type { OnboardAnswers, OnboardStep, SupportNeeded } from './onboard-steps.js';

/**
 * `apriora onboard`: the onboarding guide as one resumable run. Each step first looks at what is already done for the
 * profile and does, or asks for, only what is missing; it stops where Tracker Support must act (printing the request)
 * and ends with doctor's checks.
 */
export async function onboard(ctx: Context, given: OnboardAnswers & { company?: string }): Promise<CommandResult> {
  const steps = await import('./onboard-steps.js');
  // Every hint to run onboard again repeats this run's flags: nothing of them is lost when it stops before saving them.
  const next = steps.onboardAgain(ctx, given);
  const answers = { ...given, next };
  const done: OnboardStep[] = [];
  try {
    return await onboardSteps(ctx, answers, done);
  } catch (error) {
    if (!(error instanceof AppError) || ![2, 4, 5].includes(error.exitCode)) throw error;
    return stoppedByError(ctx, done, next, error);
  }
}

/** A failure part-way: the steps done so far (what is saved), the error, and the command to go on. */
function stoppedByError(ctx: Context, done: OnboardStep[], next: string, error: AppError): CommandResult {
  return {
    data: { profile: ctx.profileName, nothingToDo: false, steps: done, next, doctor: null },
    render: () => {
      if (done.length === 0) return;
      renderSteps(ctx, done);
      ctx.out.line(`Onboarding stopped after these steps (what is done is kept); once fixed, run \`${next}\` to go on.`);
      ctx.out.line('');
    },
    error,
  };
}

async function onboardSteps(ctx: Context, answers: OnboardAnswers & { company?: string; next: string }, done: OnboardStep[]): Promise<CommandResult> {
  const steps = await import('./onboard-steps.js');
  const restHostBefore = await steps.savedTrackerRestHost(ctx);
  const credentials = await steps.trackerCredentialsStep(ctx, answers);
  done.push(credentials.step);
  done.push(await steps.trackerRestTokenStep(ctx, credentials.typed, restHostBefore));

  const tracker = await ctx.factory.tracker();
  const settings = await tracker.client.getSettingsData(ctx.signal);
  const fields = await steps.fieldMapSteps(ctx, settings, answers);
  done.push(...fields.steps);
  if (fields.support) return supportNeeded(ctx, done, fields.support, answers.company, answers.next);

  done.push(await steps.aprioraKeyStep(ctx, answers));
  const integration = await integrationStep(ctx);
  done.push(integration.step);
  if (!integration.held) return stoppedByChoice(ctx, done, answers.next);
  done.push(await automationsStep(ctx, integration.held, answers, integration.step.status === 'done-now'));

  const { runDoctor, renderDoctor, doctorFailure } = await import('./doctor-run.js');
  const doctor = await runDoctor(ctx);
  const nothingToDo = done.every((step) => step.status !== 'done-now');
  return {
    data: { profile: ctx.profileName, nothingToDo, steps: done, doctor },
    render: () => {
      renderSteps(ctx, done);
      ctx.out.line(nothingToDo ? 'Nothing to do: every step is already done.' : `${ctx.out.colors.green('✓')} Profile "${ctx.profileName}" is onboarded.`);
      ctx.out.line('');
      ctx.out.line('Doctor:');
      renderDoctor(ctx.out, doctor);
    },
    error: doctorFailure(doctor),
  };
}

/** "No" to a confirmation: nothing more is written, and the next run goes on from here. Not a failure (exit 0). */
function stoppedByChoice(ctx: Context, done: OnboardStep[], next: string): CommandResult {
  return {
    data: { profile: ctx.profileName, declined: true, steps: done, doctor: null, next },
    render: () => {
      renderSteps(ctx, done);
      ctx.out.line(`Nothing sent. Onboarding stopped there; run \`${next}\` to go on (what is done is kept).`);
    },
  };
}

const MARKS: Record<OnboardStep['status'], string> = { 'done-before': '✓', 'done-now': '✓', skipped: '-', 'needs-support': '✗', declined: '-' };
const WORDS: Record<OnboardStep['status'], string> = {
  'done-before': 'already done',
  'done-now': 'done now',
  skipped: 'skipped',
  'needs-support': 'needs Tracker Support',
  declined: 'declined',
};

function renderSteps(ctx: Context, steps: OnboardStep[]): void {
  const { green, yellow, red, dim } = ctx.out.colors;
  const color = { 'done-before': green, 'done-now': green, skipped: dim, 'needs-support': red, declined: yellow } as const;
  for (const step of steps) {
    const word = step.status === 'done-now' ? yellow(WORDS[step.status]) : dim(WORDS[step.status]);
    ctx.out.line(`${color[step.status](MARKS[step.status])} ${step.title}: ${word}, ${step.detail}`);
  }
}

/** Tracker Support must create the activity type or the fields missing on it: the request to send, then exit 2 saying what to run next. */
async function supportNeeded(ctx: Context, steps: OnboardStep[], support: SupportNeeded, company: string | undefined, next: string): Promise<CommandResult> {
  const { customActivityRequest } = await import('../workflows/support-request.js');
  const request = customActivityRequest(company?.trim() || '<company name>', { activityType: support.activityType, fields: support.fields });
  return {
    data: { profile: ctx.profileName, nothingToDo: false, steps, supportRequest: request, next, doctor: null },
    render: () => {
      renderSteps(ctx, steps);
      ctx.out.line('');
      ctx.out.line('Send this request to Tracker Support:');
      ctx.out.line('');
      ctx.out.line(`Subject: ${request.subject}\n\n${request.body}`);
      ctx.out.line('');
    },
    error: new InputError(`${support.message}: Tracker Support must create it before onboarding can go on`, {
      code: support.code,
      hint: `Send the request above to Tracker Support; once they have done it, run \`${next}\` again (what is done is kept).`,
    }),
  };
}

/** Step 5: Apriora's Tracker integration holds these credentials (their username and region) and the same field map. */
async function integrationStep(ctx: Context): Promise<{ step: OnboardStep; held: TrackerIntegration | undefined }> {
  const [{ connectPayload, sendToIntegration }, { integrationDifferences }] = await Promise.all([
    import('./tracker-connect.js'),
    import('../workflows/tracker-integration.js'),
  ]);
  const [connection, apriora, profile] = await Promise.all([ctx.factory.tracker(), ctx.factory.apriora(), ctx.factory.profile()]);
  // The connection was made before this run saved the field map: the profile as it is now.
  const tracker = { ...connection, profile };
  const base = { id: 'apriora.integration', title: "Apriora's Tracker integration" };
  const { payload, shown } = await connectPayload(ctx, tracker);
  const before = await apriora.client.getTrackerIntegration(ctx.signal);
  const differences = integrationDifferences(before, payload);
  const fields = Object.values(payload.activityFields).join(', ');
  if (differences.length === 0) {
    return { step: { ...base, status: 'done-before', detail: `holds the credentials of ${payload.credentials.username} and fields ${fields}` }, held: before };
  }
  const held = await sendToIntegration(ctx, { tracker, apriora, payload, shown });
  if (!held) return { step: { ...base, status: 'declined', detail: 'not sent: you answered no' }, held };
  return {
    step: { ...base, status: 'done-now', detail: `sent the credentials of ${payload.credentials.username} and fields ${fields} (${differences.join('; ')})` },
    held,
  };
}

type Which = NonNullable<OnboardAnswers['automations']>;

/**
 * Step 6: the automations. `--automations` switches on those it names (never off: that is `automations disable`);
 * without it, what Apriora holds is kept, and a person at a terminal (without --yes) is asked once, while the
 * integration is first connected. Both off is a valid choice, so it is never an error.
 */
async function automationsStep(ctx: Context, held: TrackerIntegration, answers: OnboardAnswers, firstConnection: boolean): Promise<OnboardStep> {
  const base = { id: 'apriora.automations', title: 'Automations' };
  const { invites, interviewCreation } = held.automations;
  const state = `invitations ${invites.enabled ? 'on' : 'off'}, interview creation ${interviewCreation.enabled ? 'on' : 'off'}`;
  let which: Which | undefined = answers.automations;
  if (which === undefined && !invites.enabled && !interviewCreation.enabled && firstConnection && ctx.interactive && !ctx.yes) {
    const { choose } = await import('./prompt.js');
    which = await choose<Which>(
      ctx,
      "Switch on Apriora's automations?",
      [
        { name: 'Not now', value: 'none', description: 'later: apriora automations enable invites|interviews' },
        { name: 'Invitations', value: 'invites', description: 'who applies to a live job gets an invitation' },
        { name: 'Interview creation', value: 'interviews', description: 'every new open job gets an interview' },
        { name: 'Both', value: 'both' },
      ],
      { flag: '--automations none|invites|interviews|both' },
    );
  }
  const wanted = { invites: which === 'invites' || which === 'both', interviews: which === 'interviews' || which === 'both' };
  const toEnable = { invites: wanted.invites && !invites.enabled, interviews: wanted.interviews && !interviewCreation.enabled };
  if (!toEnable.invites && !toEnable.interviews) {
    const status = invites.enabled || interviewCreation.enabled ? 'done-before' : 'skipped';
    const later = status === 'skipped' ? ' (switch on: --automations, or apriora automations enable)' : '';
    return { ...base, status, detail: `${state}${later}` };
  }
  const [{ applyInvitesChange, applyInterviewsChange }, { changedInvites, changedInterviews }] = await Promise.all([
    import('./automation-change.js'),
    import('../workflows/automation-settings.js'),
  ]);
  const apriora = await ctx.factory.apriora();
  const sandbox = Boolean(apriora.profile?.sandbox);
  const switched: string[] = [];
  if (toEnable.invites) {
    await applyInvitesChange(ctx, { apriora: apriora.client, before: invites, after: changedInvites(invites, { enabled: true }), dryRun: false, sandbox });
    switched.push('invitations');
  }
  if (toEnable.interviews) {
    const templates = await apriora.client.listTemplates(ctx.signal);
    const modality = apriora.profile?.apriora?.defaultModality;
    const after = changedInterviews(interviewCreation, { enabled: true, modality });
    await applyInterviewsChange(ctx, { apriora: apriora.client, before: interviewCreation, after, templates, dryRun: false, sandbox });
    switched.push(`interview creation (${after.modality})`);
  }
  return { ...base, status: 'done-now', detail: `switched on ${switched.join(' and ')}` };
}
