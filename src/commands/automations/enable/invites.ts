import { Command, collect, defineCommand, examples } from '../../../cli/command.js';
import { InputError } from '../../../errors.js';

const command = () =>
  new Command('invites')
    .description("Switch on Apriora's automatic invitations of Tracker applicants, and tune them")
    .option('--trigger-status <status>', 'an applicant pipeline status that makes an applicant due (repeatable; replaces the held list)', collect)
    .option('--rule <rule>', 'a rule all invited applicants meet, e.g. "job.location != Remote" (repeatable; replaces the held rules)', collect)
    .option('--no-rules', 'remove every rule')
    .option('--delay <duration>', 'wait this long after the application (0, 30m, 2h, 1d; at most 7d)')
    .option('--one-per-day', 'at most one invitation per candidate per day, across all jobs')
    .option('--no-one-per-day', 'no daily limit per candidate')
    .option('--blackout <HH:MM-HH:MM>', 'no phone invitation goes out in this window (local time of --timezone); due ones wait for its end')
    .option('--timezone <zone>', 'the IANA time zone of the blackout window, e.g. America/New_York')
    .option('--no-blackout', 'phone invitations go out at any hour')
    .option('--dry-run', 'show the change without sending it')
    .addHelpText(
      'after',
      `${examples(
        'apriora automations enable invites',
        'apriora automations enable invites --trigger-status Applied --trigger-status Shortlisted --delay 30m',
        'apriora automations enable invites --rule "job.location != Remote" --rule "job.type in [Permanent, Contract]"',
        'apriora automations enable invites --blackout 20:00-08:00 --timezone America/New_York --dry-run',
      )}
Rules: <field> <operator> <value>. Fields: status, source, candidate.email, job.title, job.location, job.type, job.client.
Operators: = != ~ (contains) !~ (does not contain) in [a, b] "not in" [a, b]; text compares ignoring case.
Flags not given keep what Apriora holds.
`,
    );

export default defineCommand(command, async (options, ctx) => {
  const [{ parseRule }, { parseDelay }, { parseBlackout, parseTimeZone }, { changedInvites }, { applyInvitesChange }] = await Promise.all([
    import('../../../workflows/automation-rules.js'),
    import('../../../workflows/automation-validate.js'),
    import('../../../workflows/automation-schedule.js'),
    import('../../../workflows/automation-settings.js'),
    import('../../../cli/automation-change.js'),
  ]);
  // Every part is checked before any request.
  const rules =
    options.rules === false ? (options.rule ? conflict('--rule', '--no-rules') : []) : options.rule?.map((rule) => parseRule(rule, 'invites', '--rule'));
  const delayMinutes = options.delay === undefined ? undefined : parseDelay(options.delay, '--delay');
  let blackout: ReturnType<typeof parseBlackout> | null | undefined;
  let timezone: string | undefined;
  if (options.blackout === false) {
    if (options.timezone !== undefined) conflict('--timezone', '--no-blackout');
    blackout = null;
  } else if (typeof options.blackout === 'string') {
    if (options.timezone === undefined) {
      throw new InputError('--blackout needs --timezone: the window is in the local time of a zone', {
        hint: `apriora automations enable invites --blackout ${options.blackout} --timezone America/New_York`,
      });
    }
    blackout = parseBlackout(options.blackout, options.timezone, '--blackout');
  } else if (options.timezone !== undefined) timezone = parseTimeZone(options.timezone, '--timezone');
  const statuses = options.triggerStatus?.map((status) => status.trim());
  if (statuses?.some((status) => status === '')) throw new InputError('--trigger-status must not be empty');

  const apriora = await ctx.factory.apriora();
  let triggerStatuses: string[] | undefined;
  if (statuses) {
    const { checkApplicantStatuses } = await import('../../../workflows/applicants.js');
    const tracker = await ctx.factory.tracker();
    triggerStatuses = [...new Set(await checkApplicantStatuses(tracker.client, statuses, '--trigger-status', ctx.signal))];
  }
  const before = (await apriora.client.getAutomations(ctx.signal)).invites;
  const after = changedInvites(before, {
    enabled: true,
    triggerStatuses,
    rules,
    delayMinutes,
    onePerCandidatePerDay: options.onePerDay,
    blackout,
    timezone,
  });
  return applyInvitesChange(ctx, { apriora: apriora.client, before, after, dryRun: Boolean(options.dryRun), sandbox: Boolean(apriora.profile?.sandbox) });
});

function conflict(a: string, b: string): never {
  throw new InputError(`${a} and ${b} cannot be used together`);
}
