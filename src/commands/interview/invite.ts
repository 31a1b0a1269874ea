import { Command, collect, concurrency, defineCommand, examples } from '../../cli/command.js';
import { InputError } from '../../errors.js';
import type { CandidateRef, InviteItem } from '../../workflows/invite-candidates.js';

const command = () =>
  new Command('invite')
    .description("Invite Tracker candidates to a job's Apriora interview, and record each invitation in Tracker: never twice")
    .requiredOption('--job <id>', 'the Tracker job (it must be open and have an Apriora interview)')
    .option('--applicants', "every active applicant of the job (Tracker's REST API token needed)")
    .option('--status <status>', 'with --applicants: only applicants with this pipeline status (repeatable; default Applied)', collect)
    .option('--candidate <idOrEmail>', 'a Tracker candidate id or e-mail (repeatable)', collect)
    .option('--candidates-file <path>', 'file with one Tracker candidate id or e-mail per line ("-" for stdin)')
    .option(
      '--send-at <date>',
      'send the invitations at this date-time, at most 30 days ahead (ISO 8601, e.g. 2026-11-02T09:00:00-05:00; UTC without an offset)',
    )
    .option('--delay <duration>', 'send the invitations after this long (30m, 2h, 1d; at most 30d)')
    .option('--country <code>', "country of phone numbers typed without a country code (default: the profile's, from its region)")
    .option('--dry-run', 'show who would be invited, without inviting or writing anything')
    .option('--concurrency <n>', 'candidates processed at once (1-32)', concurrency, 4)
    .addHelpText(
      'after',
      examples(
        'apriora interview invite --job 3101 --candidate 5004 --candidate ada@example.com',
        'apriora interview invite --job 3101 --applicants --status Applied --status Shortlisted --delay 30m',
        'apriora interview invite --job 3101 --candidates-file people.txt --dry-run',
      ),
    );

export default defineCommand(command, async (options, ctx) => {
  const [
    { BulkReporter },
    { MAX_SCHEDULE_AHEAD_MS, parseDuration, parseFutureDate, readableTime },
    { parseJobId },
    { parseCandidate, candidateKey, openCandidatesFile },
    { confirm, declined },
  ] = await Promise.all([
    import('../../cli/bulk.js'),
    import('../../cli/dates.js'),
    import('../../cli/jobs-input.js'),
    import('../../cli/candidates-input.js'),
    import('../../cli/prompt.js'),
  ]);
  const jobId = parseJobId(options.job, '--job');
  const chosen = [options.applicants && '--applicants', options.candidate && '--candidate', options.candidatesFile && '--candidates-file'].filter(Boolean);
  if (chosen.length !== 1) {
    throw new InputError(
      chosen.length ? `${chosen.join(' and ')} cannot be used together` : 'Whom? Give --applicants, --candidate ID|EMAIL or --candidates-file PATH',
      {
        hint: `apriora interview invite --job ${jobId} --applicants | --candidate 5004 | --candidates-file people.txt`,
      },
    );
  }
  if (options.status && !options.applicants) throw new InputError('--status goes with --applicants');
  if (options.sendAt !== undefined && options.delay !== undefined) throw new InputError('--send-at and --delay cannot be used together');
  const sendAtMs =
    options.sendAt !== undefined
      ? parseFutureDate(options.sendAt, '--send-at', new Date(), MAX_SCHEDULE_AHEAD_MS).getTime()
      : options.delay !== undefined
        ? Date.now() + parseDuration(options.delay, '--delay', MAX_SCHEDULE_AHEAD_MS)
        : undefined;
  const sendAt = sendAtMs === undefined ? undefined : Math.ceil(sendAtMs / 1000);
  const [{ defaultCountry, parseCountry }, { inviteCandidates, inviteTarget }, { DEFAULT_ACTIVITY_TYPE }] = await Promise.all([
    import('../../workflows/connections.js'),
    import('../../workflows/invite-candidates.js'),
    import('../../apriora/partner.js'),
  ]);
  const countryFlag = options.country === undefined ? undefined : parseCountry(options.country, '--country');

  // Candidates named on the command line are checked before anything else; a file line by line (stdin lazily).
  let listed: CandidateRef[] | undefined;
  if (options.candidate) {
    const seen = new Set<string>();
    listed = [];
    for (const value of options.candidate) {
      const input = parseCandidate(value, '--candidate');
      if (seen.has(candidateKey(input))) continue;
      seen.add(candidateKey(input));
      listed.push(input);
    }
    if (listed.length < options.candidate.length) ctx.warn(duplicatesIgnored(options.candidate.length - listed.length));
  }
  const file = options.candidatesFile ? await openCandidatesFile(options.candidatesFile, ctx.stdin, ctx.signal) : undefined;
  try {
    if (file?.duplicates) ctx.warn(duplicatesIgnored(file.duplicates));
    const tracker = await ctx.factory.tracker();
    const apriora = await ctx.factory.apriora();
    const dryRun = Boolean(options.dryRun);
    const target = await inviteTarget({ tracker: tracker.client, apriora: apriora.client }, jobId, ctx.signal);
    const country = countryFlag ?? defaultCountry(tracker.profile, tracker.target);

    let candidates: AsyncIterable<CandidateRef> | Iterable<CandidateRef>;
    if (listed) candidates = listed;
    else if (file) candidates = file.candidates();
    else {
      const { applicantsToInvite, checkApplicantStatuses, DEFAULT_INVITE_STATUSES } = await import('../../workflows/applicants.js');
      const rest = await ctx.factory.trackerRest();
      await rest.verify(ctx.signal); // a refused REST token fails here, before any output (the cached JWT costs nothing)
      const statuses = await checkApplicantStatuses(tracker.client, options.status ?? DEFAULT_INVITE_STATUSES, '--status', ctx.signal);
      candidates = applicantsToInvite(rest, jobId, statuses, ctx.signal);
    }

    const total = listed?.length ?? file?.total;
    const askToWrite = !dryRun && !tracker.profile?.sandbox;
    if (ctx.interactive && !ctx.yes && askToWrite) {
      if (options.candidatesFile === '-') {
        throw new InputError('Cannot ask for confirmation: the terminal is where the candidates are read from (--candidates-file -)', {
          hint: `Pass --yes, or pipe them in: cat people.txt | apriora interview invite --job ${jobId} --candidates-file - --yes`,
        });
      }
      const who = total !== undefined ? `${total} candidate${total === 1 ? '' : 's'}` : options.applicants ? 'the applicants' : 'the candidates on stdin';
      const when = sendAtMs === undefined ? 'now' : `on ${readableTime(new Date(sendAtMs))}`;
      const question = `Invite ${who} to the ${target.position.modality} interview "${target.jobTitle}" (${target.position.positionId}), sent ${when}, and record each invitation in Tracker, for profile "${ctx.profileName}"?`;
      if (!(await confirm(ctx, question, true))) return declined(ctx);
    }

    const reporter = new BulkReporter<InviteItem>(ctx, { label: 'Candidates', noun: { one: 'candidate', plural: 'candidates' }, dryRun });
    if (total !== undefined) reporter.setTotal(total);
    const writeLock = dryRun ? null : await ctx.factory.writeLocks();
    const activityType = tracker.profile?.tracker?.activityType ?? DEFAULT_ACTIVITY_TYPE;
    const run = await inviteCandidates(
      { tracker: tracker.client, apriora: apriora.client, writeLock },
      target,
      { sendAt, country, activityType, dryRun },
      candidates,
      reporter.callbacks(options.concurrency),
    );
    if (file && file.total === undefined && file.duplicates) ctx.warn(duplicatesIgnored(file.duplicates));
    return reporter.result(
      run,
      [
        { header: 'Candidate', priority: 5, cut: false, value: (item) => item.candidateId },
        { header: 'Name', priority: 2, value: (item) => item.name },
        { header: 'E-mail', priority: 4, cut: false, value: (item) => item.email },
        ...(target.position.modality === 'phone' ? [{ header: 'Phone', priority: 4, cut: false, value: (item: InviteItem) => item.phone }] : []),
        { header: 'Invitation', priority: 3, cut: false, value: (item) => item.invitationId },
        { header: 'Activity', priority: 1, cut: false, value: (item) => item.activityId ?? (item.activity === 'created' && dryRun ? 'new' : null) },
        {
          header: 'Status',
          priority: 6,
          minWidth: 12,
          value: (item) => {
            if (item.error) return `${item.status}: ${item.error.message}`;
            if (item.reason) return `skipped: ${item.reason.message}`;
            const status = dryRun && item.status === 'created' ? 'would be invited' : item.status === 'created' ? 'invited' : 'already invited';
            const activity = item.activity === 'created' && item.status === 'exists' ? (dryRun ? ' (activity would be written)' : ' (activity written)') : '';
            return `${status}${activity}`;
          },
        },
      ],
      {
        job: { id: target.jobId, title: target.jobTitle },
        position: { id: target.position.positionId, modality: target.position.modality, status: target.position.status },
        sendAt: sendAt === undefined ? null : new Date(sendAt * 1000).toISOString(),
        country,
      },
    );
  } finally {
    await file?.close();
  }
});

function duplicatesIgnored(count: number): string {
  return `${count} repeated candidate${count === 1 ? '' : 's'} ignored`;
}
