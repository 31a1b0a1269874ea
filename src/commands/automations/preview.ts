import type { InterviewCreationAutomation, InvitesAutomation } from '../../apriora/partner.js';
import { Command, collect, defineCommand, examples, Option } from '../../cli/command.js';
import type { Context } from '../../cli/context.js';
import { InputError } from '../../errors.js';
import type { InterviewPreviewItem, InvitePreview, InvitePreviewItem } from '../../workflows/automation-preview.js';

const command = () =>
  new Command('preview')
    .description("What Apriora's automations would do now: who would be invited, when, who not and why; which open jobs would get an interview. Read-only")
    .argument('[automation]', 'invites or interviews (default: both)')
    .option('--trigger-status <status>', 'try these trigger statuses instead of the saved ones (repeatable)', collect)
    .option('--rule <rule>', 'try these invite rules instead of the saved ones, e.g. "source ~ linkedin" (repeatable)', collect)
    .option('--delay <duration>', 'try this delay after the application (0, 30m, 2h, 1d; at most 7d)')
    .option('--one-per-day', 'try at most one invitation per candidate per day')
    .option('--no-one-per-day', 'try without the one-per-day limit')
    .option('--blackout <window>', 'try this phone blackout window HH:MM-HH:MM (with --timezone)')
    .option('--no-blackout', 'try without a blackout')
    .option('--timezone <zone>', "the blackout's IANA time zone, e.g. America/New_York")
    .addOption(new Option('--modality <modality>', 'try interviews of this modality').choices(['phone', 'video'] as const))
    .option('--filter <rule>', 'try these interview-creation filters instead of the saved ones, e.g. "job.location != Remote" (repeatable)', collect)
    .option('--country <code>', "country of phone numbers typed without a country code (default: the profile's, from its region)")
    .addHelpText(
      'after',
      examples(
        'apriora automations preview',
        'apriora automations preview invites --delay 30m --blackout 20:00-08:00 --timezone America/New_York',
        'apriora automations preview invites --trigger-status Applied --rule "job.type in [Permanent, Contract]" --json',
        'apriora automations preview interviews --filter "job.location != Remote"',
      ),
    );

export default defineCommand(command, async (options, ctx, [automation]) => {
  if (automation !== undefined && automation !== 'invites' && automation !== 'interviews') {
    throw new InputError(`Preview which automation? "${automation}" is neither invites nor interviews`, {
      hint: 'apriora automations preview [invites|interviews]',
    });
  }
  const [{ parseRule, formatRule }, { parseBlackout, parseTimeZone }, { parseDelay }] = await Promise.all([
    import('../../workflows/automation-rules.js'),
    import('../../workflows/automation-schedule.js'),
    import('../../workflows/automation-validate.js'),
  ]);
  const invitesOnly = ['triggerStatus', 'rule', 'delay', 'onePerDay', 'blackout', 'timezone'] as const;
  const interviewsOnly = ['modality', 'filter'] as const;
  const given = (keys: readonly string[]) => keys.filter((key) => (options as Record<string, unknown>)[key] !== undefined);
  if (automation === 'interviews' && given(invitesOnly).length) throw new InputError(`--${flagName(given(invitesOnly)[0]!)} goes with the invites automation`);
  if (automation === 'invites' && given(interviewsOnly).length)
    throw new InputError(`--${flagName(given(interviewsOnly)[0]!)} goes with the interviews automation`);

  // Every flag is checked before any request.
  const rules = options.rule?.map((text) => parseRule(text, 'invites', '--rule'));
  const filters = options.filter?.map((text) => parseRule(text, 'interviews', '--filter'));
  // The parsers of `enable`: preview takes and refuses the same delays, windows and zones.
  const delayMinutes = options.delay === undefined ? undefined : parseDelay(options.delay, '--delay');
  if (options.timezone !== undefined && options.blackout === false) throw new InputError('--timezone and --no-blackout cannot be used together');
  if (typeof options.blackout === 'string' && options.timezone === undefined) {
    throw new InputError('--blackout needs --timezone: the window is in the local time of a zone', {
      hint: `apriora automations preview invites --blackout ${options.blackout} --timezone America/New_York`,
    });
  }
  const blackout =
    typeof options.blackout === 'string' ? parseBlackout(options.blackout, options.timezone!, '--blackout') : options.blackout === false ? null : undefined;
  // --timezone alone: the saved window in another zone (as `enable` takes it).
  const timezone = blackout === undefined && options.timezone !== undefined ? parseTimeZone(options.timezone, '--timezone') : undefined;
  const [{ parseCountry, defaultCountry }] = await Promise.all([import('../../workflows/connections.js')]);
  const countryFlag = options.country === undefined ? undefined : parseCountry(options.country, '--country');

  const apriora = await ctx.factory.apriora();
  const tracker = await ctx.factory.tracker();
  const wantInvites = automation !== 'interviews';
  const wantInterviews = automation !== 'invites';
  const rest = wantInvites ? await ctx.factory.trackerRest() : undefined;
  if (rest) await rest.verify(ctx.signal);
  const saved = (await apriora.client.getTrackerIntegration(ctx.signal)).automations;

  let triggerStatuses = options.triggerStatus;
  if (!triggerStatuses && wantInvites && saved.invites.enabled) {
    // The saved trigger statuses, checked too: one the database does not have selects nobody, silently.
    const { checkApplicantStatuses } = await import('../../workflows/applicants.js');
    await checkApplicantStatuses(tracker.client, saved.invites.trigger.statuses, 'trigger statuses Apriora holds', ctx.signal).catch((error: unknown) => {
      if (!(error instanceof InputError)) throw error;
      ctx.warn(`${error.message} (${error.hint ?? ''}): change them with apriora automations enable invites --trigger-status <status>`);
    });
  }
  if (triggerStatuses && wantInvites) {
    const { checkApplicantStatuses } = await import('../../workflows/applicants.js');
    triggerStatuses = await checkApplicantStatuses(tracker.client, triggerStatuses, '--trigger-status', ctx.signal);
  }
  if (timezone !== undefined && !saved.invites.blackout) {
    throw new InputError('--timezone is the zone of a blackout window, and Apriora holds none', {
      hint: 'Give the window too: --blackout 20:00-08:00 --timezone America/New_York',
    });
  }
  const invites: InvitesAutomation = {
    ...saved.invites,
    ...(triggerStatuses ? { trigger: { statuses: triggerStatuses } } : {}),
    ...(rules ? { rules } : {}),
    ...(delayMinutes === undefined ? {} : { delayMinutes }),
    ...(options.onePerDay === undefined ? {} : { onePerCandidatePerDay: options.onePerDay }),
    ...(blackout === undefined ? {} : { blackout }),
    ...(timezone !== undefined && saved.invites.blackout ? { blackout: { ...saved.invites.blackout, timezone } } : {}),
  };
  const interviews: InterviewCreationAutomation = {
    ...saved.interviewCreation,
    ...(options.modality ? { modality: options.modality } : {}),
    ...(filters ? { filters } : {}),
  };
  const tried = { invites: given(invitesOnly).length > 0, interviews: given(interviewsOnly).length > 0 };

  const { previewJobs, previewInvites, previewInterviews } = await import('../../workflows/automation-preview.js');
  const deps = { tracker: tracker.client, apriora: apriora.client, signal: ctx.signal };
  const now = Date.now();
  const jobs = await previewJobs(deps);
  const country = countryFlag ?? defaultCountry(tracker.profile, tracker.target);
  const invitePreview = rest ? await previewInvites({ ...deps, applicants: rest }, invites, jobs, { country, now }) : undefined;
  // As the runner: interview creation applies to jobs created or updated after it was switched on, i.e. since the
  // runner's last cycle (from now on when it has not run yet).
  let interviewJobs = jobs;
  if (wantInterviews) {
    const [{ dataDir }, { automationStatePath, readAutomationState }, { gatherJobs }, { JOBS_OVERLAP_MS }, { toTrackerDateTime }, { readableTime }] =
      await Promise.all([
        import('../../store/paths.js'),
        import('../../store/automation-state.js'),
        import('../../workflows/automation-data.js'),
        import('../../workflows/automation-runner.js'),
        import('../../tracker/dates.js'),
        import('../../cli/dates.js'),
      ]);
    const read = readAutomationState(automationStatePath(dataDir(ctx.env), ctx.profileName));
    const lastCycleAt = read.status === 'ok' ? read.state.jobs.lastCycleAt : null;
    const since = lastCycleAt === null ? now : Date.parse(lastCycleAt) - JOBS_OVERLAP_MS;
    interviewJobs = await gatherJobs(deps, { updatedAfter: toTrackerDateTime(new Date(since)) });
    ctx.warn(
      `Interview creation takes the open jobs created or updated ${lastCycleAt === null ? 'from the first cycle of apriora automations run on' : `since ${readableTime(new Date(since))}`}; ` +
        'older open jobs get theirs with apriora interview generate --all-open',
    );
  }
  const interviewItems = wantInterviews ? previewInterviews(interviews, interviewJobs) : undefined;

  if (wantInvites && !invites.enabled) ctx.warn("Apriora's invitation automation is switched off: this is what it would do once switched on");
  if (wantInterviews && !interviews.enabled) ctx.warn("Apriora's interview creation is switched off: this is what it would do once switched on");

  const settingsView = {
    invites: { ...invites, rules: invites.rules.map(formatRule) },
    interviews: { ...interviews, filters: interviews.filters.map(formatRule) },
  };
  return {
    data: {
      now: new Date(now).toISOString(),
      openJobs: jobs.size,
      invites: invitePreview ? { settings: invites, tried: tried.invites, country, ...invitePreview } : null,
      interviews: interviewItems ? { settings: interviews, tried: tried.interviews, items: interviewItems } : null,
    },
    render: async () => {
      if (invitePreview) await renderInvites(ctx, settingsView.invites, tried.invites, invitePreview);
      if (invitePreview && interviewItems) ctx.out.line();
      if (interviewItems) await renderInterviews(ctx, settingsView.interviews, tried.interviews, interviewItems);
    },
  };
});

function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** Skips counted but not listed in the table: statuses that trigger nothing. */
const QUIET_SKIPS = new Set(['not_trigger_status']);

async function renderInvites(
  ctx: Context,
  settings: Omit<InvitesAutomation, 'rules'> & { rules: string[] },
  tried: boolean,
  preview: InvitePreview,
): Promise<void> {
  const { colors } = ctx.out;
  ctx.out.line(colors.bold(`Invitations${tried ? ' (settings tried, not saved)' : ''}`));
  ctx.out.fields([
    ['Enabled', settings.enabled ? 'yes' : 'no'],
    ['Trigger', settings.trigger.statuses.join(', ')],
    ['Rules', settings.rules.length ? settings.rules.map((rule, i) => `${i + 1}. ${rule}`).join('\n') : 'none'],
    ['Delay', `${settings.delayMinutes} min`],
    ['One per day', settings.onePerCandidatePerDay ? 'yes' : 'no'],
    ['Blackout', settings.blackout ? `${settings.blackout.start}-${settings.blackout.end} ${settings.blackout.timezone} (phone interviews)` : 'none'],
  ]);
  ctx.out.line();
  const shown = preview.items.filter((item) => !(item.reason && QUIET_SKIPS.has(item.reason.code)));
  await ctx.out.table<InvitePreviewItem>(
    [
      { header: 'Job', priority: 5, cut: false, value: (item) => item.jobId },
      { header: 'Title', priority: 2, value: (item) => item.jobTitle },
      { header: 'Candidate', priority: 4, cut: false, value: (item) => item.candidateId },
      { header: 'E-mail', priority: 3, cut: false, value: (item) => item.email },
      { header: 'Status', priority: 1, value: (item) => item.status },
      {
        header: 'Would',
        priority: 4,
        minWidth: 16,
        value: (item) =>
          item.decision === 'invite'
            ? item.sendAt
              ? `invite now, to be sent ${item.local ?? item.sendAt}`
              : 'invite now'
            : item.decision === 'wait'
              ? `wait until ${item.local ?? item.at} (${item.reason?.code})`
              : `not invite: ${item.reason?.message}`,
      },
    ],
    shown,
    'No applicant of a live job would be invited, wait or be excluded.',
  );
  const total = Object.values(preview.counts).reduce((sum, count) => sum + count, 0);
  const counts = Object.entries(preview.counts)
    .map(([code, count]) => `${code} ${count}`)
    .join(', ');
  ctx.out.line(colors.dim(`${total} applicant row${total === 1 ? '' : 's'}: ${counts || 'none'}`));
  if (total > shown.length)
    ctx.out.line(
      colors.dim(
        'Not listed: applicants of jobs that are not open, inactive applications and statuses that trigger nothing (--json lists those of open jobs).',
      ),
    );
}

async function renderInterviews(
  ctx: Context,
  settings: Omit<InterviewCreationAutomation, 'filters'> & { filters: string[] },
  tried: boolean,
  items: InterviewPreviewItem[],
): Promise<void> {
  const { colors } = ctx.out;
  ctx.out.line(colors.bold(`Interview creation${tried ? ' (settings tried, not saved)' : ''}`));
  ctx.out.fields([
    ['Enabled', settings.enabled ? 'yes' : 'no'],
    ['Modality', settings.modality],
    ['Template', settings.templateId ?? "Apriora's default"],
    ['Filters', settings.filters.length ? settings.filters.map((rule, i) => `${i + 1}. ${rule}`).join('\n') : 'none'],
  ]);
  ctx.out.line();
  await ctx.out.table<InterviewPreviewItem>(
    [
      { header: 'Job', priority: 5, cut: false, value: (item) => item.jobId },
      { header: 'Title', priority: 3, value: (item) => item.title },
      { header: 'Client', priority: 2, value: (item) => item.client },
      { header: 'Location', priority: 0, value: (item) => item.location },
      { header: 'Type', priority: 1, value: (item) => item.type },
      {
        header: 'Would',
        priority: 4,
        minWidth: 16,
        value: (item) => (item.decision === 'create' ? `create a ${settings.modality} interview` : `not: ${item.reason?.message}`),
      },
    ],
    items,
    'No open job created or updated since interview creation takes them (see the warning above).',
  );
}
